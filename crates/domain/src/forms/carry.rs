//! Carrying saved answers to a newer published version: an answer is kept
//! wherever its question still exists and still accepts it; the person is told
//! which questions are new to them.

use time::Date;

use super::answers::{Answer, Answers};
use super::definition::{FormDefinition, QuestionKey};

/// Answers moved to a newer version.
#[derive(Debug, Clone, PartialEq)]
pub struct Carried {
    pub answers: Answers,
    /// Questions in the new version that were not in the old one.
    pub new_questions: Vec<QuestionKey>,
    /// Answers that could not be kept (their question went, or changed so that
    /// the answer no longer fits).
    pub dropped: Vec<QuestionKey>,
}

pub fn carry_over(
    answers: &Answers,
    from: &FormDefinition,
    to: &FormDefinition,
    today: Date,
) -> Carried {
    let mut kept = Answers::default();
    let mut dropped = Vec::new();
    for (key, answer) in answers.iter() {
        let fits = to.question(key).is_some_and(|(_, q)| {
            *answer == Answer::NotAnswered && !q.required || q.accepts(answer, today)
        });
        if fits {
            kept.set(key.clone(), Some(answer.clone()));
        } else {
            dropped.push(key.clone());
        }
    }
    let new_questions = to
        .questions()
        .filter(|q| from.question(&q.key).is_none())
        .map(|q| q.key.clone())
        .collect();
    Carried {
        answers: kept,
        new_questions,
        dropped,
    }
}
