//! The route through a form for a set of answers: which pages are shown, in
//! which order, and where the person goes next. Computed from the answers on
//! every request, so a stale link or a skipped question cannot get past an
//! unanswered page, and answers on pages no longer on the route are not
//! submitted.

use super::answers::{Answer, Answers};
use super::definition::{Condition, Destination, FormDefinition, Page, Question, Test};

/// Where the person goes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The page at this position: the first on the route not yet answered.
    Page(usize),
    /// Every page on the route is answered.
    CheckAnswers,
}

/// The route for a set of answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Walk {
    /// The answered pages on the route, in order (positions in the form).
    pub pages: Vec<usize>,
    pub next: Next,
    /// The answers to the questions shown on those pages: what is submitted.
    pub answers: Answers,
}

impl Walk {
    /// Whether the person may open the page at `index`: it is on their route
    /// and answered, or it is the next to answer.
    pub fn may_open(&self, index: usize) -> bool {
        self.pages.contains(&index) || self.next == Next::Page(index)
    }

    pub fn complete(&self) -> bool {
        self.next == Next::CheckAnswers
    }
}

/// Whether a condition holds for the answers given so far. A test of a question
/// not answered (or not on the route) is false.
pub fn holds(condition: &Condition, answers: &Answers) -> bool {
    let Some(answer) = answers.get(&condition.question) else {
        return false;
    };
    match (&condition.test, answer) {
        (Test::Is { value }, Answer::Choice(c)) => c == value,
        (Test::IsNot { value }, Answer::Choice(c)) => c != value,
        (Test::Is { value }, Answer::YesNo(b)) => yes_no(*b) == value,
        (Test::IsNot { value }, Answer::YesNo(b)) => yes_no(*b) != value,
        (Test::Includes { value }, Answer::Choices(list)) => list.contains(value),
        (Test::Excludes { value }, Answer::Choices(list)) => !list.contains(value),
        (Test::Between { min, max }, Answer::Number(n)) => {
            min.is_none_or(|lo| *n >= lo) && max.is_none_or(|hi| *n <= hi)
        }
        _ => false,
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

/// Whether a question is shown, given the answers on the route before it.
pub fn shown(question: &Question, earlier: &Answers) -> bool {
    question
        .show_when
        .as_ref()
        .is_none_or(|c| holds(c, earlier))
}

/// The questions of a page that are shown, given the answers before it.
pub fn shown_questions<'a>(page: &'a Page, earlier: &Answers) -> Vec<&'a Question> {
    page.questions
        .iter()
        .filter(|q| shown(q, earlier))
        .collect()
}

/// Whether every shown question of a page has an answer: a real one if it is
/// required (enough items, for a group), or at least "not answered" if optional.
fn answered(page: &Page, earlier: &Answers, answers: &Answers) -> bool {
    shown_questions(page, earlier).iter().all(|q| {
        let held = answers.get(&q.key);
        let present = match held {
            None => false,
            Some(Answer::NotAnswered) => !q.required,
            Some(_) => true,
        };
        present
            && q.check_held(held.filter(|a| **a != Answer::NotAnswered))
                .is_ok()
    })
}

/// The route for these answers. Each step only moves forward (a branch to the
/// same or an earlier page is ignored, and refused at publishing), so no page
/// is visited twice and the walk always ends.
pub fn walk(form: &FormDefinition, answers: &Answers) -> Walk {
    let mut on_route = Answers::default();
    let mut pages = Vec::new();
    let mut index = 0;
    while let Some(page) = form.pages.get(index) {
        if !page.show_when.as_ref().is_none_or(|c| holds(c, &on_route)) {
            index += 1;
            continue;
        }
        if !answered(page, &on_route, answers) {
            return Walk {
                pages,
                next: Next::Page(index),
                answers: on_route,
            };
        }
        for question in shown_questions(page, &on_route.clone()) {
            if let Some(answer) = answers.get(&question.key) {
                on_route.set(question.key.clone(), Some(answer.clone()));
            }
        }
        pages.push(index);
        let branch = page.branches.iter().find(|b| holds(&b.when, &on_route));
        index = match branch.map(|b| &b.to) {
            Some(Destination::End) => break,
            Some(Destination::Page(key)) => match form.page(key) {
                Some((target, _)) if target > index => target,
                _ => index + 1,
            },
            None => index + 1,
        };
    }
    Walk {
        pages,
        next: Next::CheckAnswers,
        answers: on_route,
    }
}

/// The answers given before the page at `index` on the route (what its
/// conditions test).
pub fn answers_before(form: &FormDefinition, answers: &Answers, index: usize) -> Answers {
    let walk = walk(form, answers);
    let mut earlier = Answers::default();
    for &p in walk.pages.iter().filter(|&&p| p < index) {
        for q in &form.pages[p].questions {
            if let Some(a) = walk.answers.get(&q.key) {
                earlier.set(q.key.clone(), Some(a.clone()));
            }
        }
    }
    earlier
}
