//! The storage conformance suite, written once and run against every store
//! (`tests/conformance.rs` runs it on SQLite and on PostgreSQL), and the test
//! databases that the suite and the application tests open.

#![expect(
    clippy::missing_panics_doc,
    reason = "test support: every function here fails its test by panicking"
)]

pub mod suite;
pub mod testdb;

/// Declares one `#[tokio::test]` per conformance case, each opening a fresh store
/// with `$open` (an async fn returning `Option<impl Store>`; `None` means the
/// database is not available and the case says so).
#[macro_export]
macro_rules! conformance_tests {
    ($open:path; $($case:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $case() {
                let Some(db) = $open().await else { return };
                $crate::suite::$case(db.store()).await;
            }
        )+
    };
}
