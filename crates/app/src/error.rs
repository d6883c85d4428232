//! Errors of the use cases.
//!
//! Policy: a use case returns `NotFound` or `Forbidden` for what the caller may show
//! as such (the web layer's 404 and 403 pages); invalid input is refused before a
//! use case is called (the domain's parse functions). `Changed` when someone else
//! changed a record between the person reading it and their change (a guard of
//! the unit of work refused it; nothing was written), for the page to say so and
//! keep what they typed. Everything else is `Store` (a
//! storage failure) or `Internal` (any other failure: a library, a background task,
//! a file store), and becomes a 500 page. An `Internal` error keeps the error that
//! caused it as its `source()`, with a short context saying what was being done;
//! whoever logs one logs the whole chain, through [`ErrorChain`] ("what was being
//! done: why: and why"), and shows none of it to the person using the portal.
//! A context names what the system was doing, never a person's data (no names,
//! emails, message text, tokens, codes or passwords); nor may a cause be built
//! from such data.

use std::borrow::Cow;
use std::error::Error;
use std::fmt;

use send_store::{
    ADVICE_REQUEST_CHANGED, CHILD_CHANGED, FORM_CHANGED, INVOLVEMENT_CHANGED, SUBMISSION_CHANGED,
    StoreError, THREAD_CHANGED,
};

/// The underlying error an [`AppError::Internal`] keeps.
pub type BoxError = Box<dyn Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Someone else changed the record since the person read it.
    #[error("changed by someone else meanwhile")]
    Changed,
    #[error(transparent)]
    Store(StoreError),
    /// A failure outside the store (a background task, a library): logged, never shown.
    /// Its text is the context only; the cause is its `source()` (log it with
    /// [`ErrorChain`]).
    #[error("{context}")]
    Internal {
        /// What was being done, such as "password hashing".
        context: Cow<'static, str>,
        /// Why it failed. `None` only for a state that should not happen and has
        /// no underlying error (see [`AppError::unexpected`]).
        #[source]
        source: Option<BoxError>,
    },
}

impl AppError {
    /// An internal failure caused by `source`, while doing `context`.
    pub fn internal(context: impl Into<Cow<'static, str>>, source: impl Into<BoxError>) -> Self {
        Self::Internal {
            context: context.into(),
            source: Some(source.into()),
        }
    }

    /// An internal failure with no underlying error: a state that should not
    /// happen (no teams at all, say). `context` says what it is.
    pub fn unexpected(context: impl Into<Cow<'static, str>>) -> Self {
        Self::Internal {
            context: context.into(),
            source: None,
        }
    }

    /// A closure for `map_err`: an internal failure while doing `context`.
    pub fn internal_with<E: Into<BoxError>>(context: &'static str) -> impl FnOnce(E) -> Self {
        move |source| Self::internal(context, source)
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The guards whose refusal means "someone else changed this meanwhile".
const CHANGED_GUARDS: [&str; 6] = [
    ADVICE_REQUEST_CHANGED,
    CHILD_CHANGED,
    INVOLVEMENT_CHANGED,
    THREAD_CHANGED,
    FORM_CHANGED,
    SUBMISSION_CHANGED,
];

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match &err {
            StoreError::Conflict { constraint }
                if CHANGED_GUARDS.contains(&constraint.as_str()) =>
            {
                Self::Changed
            }
            _ => Self::Store(err),
        }
    }
}

/// An error and all its causes, for a log line: each `source()` in turn, joined by
/// ": ". A cause whose text the line already ends with (an error that prints its
/// source in its own message, as `StoreError::Other` does) is not repeated.
///
/// For logs only: the text may name tables, files and addresses inside the system,
/// so it is never shown to the person using the portal.
#[derive(Clone, Copy)]
pub struct ErrorChain<'a>(pub &'a (dyn Error + 'static));

impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut line = self.0.to_string();
        let mut cause = self.0.source();
        while let Some(err) = cause {
            let text = err.to_string();
            if !text.is_empty() && !line.ends_with(&text) {
                line.push_str(": ");
                line.push_str(&text);
            }
            cause = err.source();
        }
        f.write_str(&line)
    }
}

impl fmt::Debug for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error with a fixed text and an optional cause.
    #[derive(Debug)]
    struct Layer {
        text: &'static str,
        cause: Option<Box<Layer>>,
    }

    impl fmt::Display for Layer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.text)
        }
    }

    impl Error for Layer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.cause.as_deref().map(|c| c as &(dyn Error + 'static))
        }
    }

    fn layers(texts: &[&'static str]) -> Option<Box<Layer>> {
        texts
            .iter()
            .rev()
            .fold(None, |cause, text| Some(Box::new(Layer { text, cause })))
    }

    #[test]
    fn the_chain_joins_every_cause() {
        let err = AppError::internal(
            "email subject",
            *layers(&["outer", "middle", "root cause"]).unwrap(),
        );
        assert_eq!(
            ErrorChain(&err).to_string(),
            "email subject: outer: middle: root cause"
        );
    }

    #[test]
    fn the_chain_of_an_error_without_a_cause_is_its_text() {
        let err = AppError::unexpected("there are no teams");
        assert_eq!(ErrorChain(&err).to_string(), "there are no teams");
    }

    #[test]
    fn a_store_failure_logs_its_boxed_cause_once() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "database is down");
        let err = AppError::from(StoreError::Other(Box::new(io)));
        // `StoreError::Other` prints its source itself; it is not repeated.
        assert_eq!(
            ErrorChain(&err).to_string(),
            "storage failure: database is down"
        );
        assert!(
            err.source().is_some(),
            "the cause is kept, not only printed"
        );
    }

    #[test]
    fn a_store_failure_with_a_nested_cause_logs_the_whole_chain() {
        let cause = layers(&["query failed", "connection reset"]).unwrap();
        let err = AppError::from(StoreError::Other(cause));
        assert_eq!(
            ErrorChain(&err).to_string(),
            "storage failure: query failed: connection reset"
        );
    }

    #[tokio::test]
    async fn an_internal_error_from_a_failed_task_keeps_its_cause() {
        let failed = tokio::spawn(async { panic!("the task fell over") }).await;
        let err = failed
            .map_err(AppError::internal_with("password task"))
            .unwrap_err();
        let chain = ErrorChain(&err).to_string();
        assert!(chain.starts_with("password task: "), "{chain}");
        assert!(chain.contains("the task fell over"), "{chain}");
    }
}
