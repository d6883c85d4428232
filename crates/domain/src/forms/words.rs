//! Conditions and routes in plain words, for the builder's pages and for the
//! comparison of a working copy with its live version.

use super::definition::{Branch, Condition, Destination, FormDefinition, Page, Test};

/// A number as people write it: 3, not 3.0.
pub fn number(n: f64) -> String {
    format!("{n}")
}

/// "the answer to “Does your child have a social worker?” is “Yes”".
pub fn condition(form: &FormDefinition, condition: &Condition) -> String {
    let Some((_, tested)) = form.question(&condition.question) else {
        return "the answer to a question that is no longer in the form".to_owned();
    };
    let subject = format!("the answer to “{}”", tested.text.trim());
    let test = match &condition.test {
        Test::Is { value } => format!("is “{value}”"),
        Test::IsNot { value } => format!("is not “{value}”"),
        Test::Includes { value } => format!("includes “{value}”"),
        Test::Excludes { value } => format!("does not include “{value}”"),
        Test::Between { min, max } => match (min, max) {
            (Some(lo), Some(hi)) => format!("is between {} and {}", number(*lo), number(*hi)),
            (Some(lo), None) => format!("is {} or more", number(*lo)),
            (None, Some(hi)) => format!("is {} or less", number(*hi)),
            (None, None) => "is any number".to_owned(),
        },
    };
    format!("{subject} {test}")
}

/// "page 4 (“Which school does your child go to?”)".
pub fn page_name(form: &FormDefinition, page: &Page) -> String {
    let number = form.page(&page.key).map_or(0, |(i, _)| i + 1);
    match page_label(page) {
        Some(label) => format!("page {number} (“{label}”)"),
        None => format!("page {number}"),
    }
}

/// The page's heading, or its first question's text.
pub fn page_label(page: &Page) -> Option<String> {
    page.heading
        .clone()
        .or_else(|| page.questions.first().map(|q| q.text.trim().to_owned()))
        .filter(|l| !l.is_empty())
}

/// "If the answer to “…” is “No”, go to page 4 (“…”)".
pub fn branch(form: &FormDefinition, branch: &Branch) -> String {
    let to = match &branch.to {
        Destination::End => "go to the end of the form (Check your answers)".to_owned(),
        Destination::Page(key) => match form.page(key) {
            Some((_, page)) => format!("go to {}", page_name(form, page)),
            None => "go to a page that is no longer in the form".to_owned(),
        },
    };
    format!("If {}, {to}", condition(form, &branch.when))
}
