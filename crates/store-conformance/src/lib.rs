//! The storage conformance suite, written once and run against every store
//! (`tests/conformance.rs` runs it on SQLite and on PostgreSQL), and the test
//! databases that the suite and the application tests open.

#![expect(
    clippy::missing_panics_doc,
    reason = "test support: every function here fails its test by panicking"
)]

pub mod suite;
pub mod testdb;

/// Declares the conformance cases once and runs each on both databases: a
/// `mod sqlite` and a `mod postgres`, each with one `#[tokio::test]` per case
/// that opens a fresh, migrated store (a PostgreSQL case says it did not run when
/// no server is configured; see [`testdb`]).
#[macro_export]
macro_rules! conformance_tests {
    (@on $open:path; $($case:ident),+) => {
        $(
            #[tokio::test]
            async fn $case() {
                let Some(db) = $open().await else { return };
                $crate::suite::$case(db.store()).await;
            }
        )+
    };
    ($($case:ident),+ $(,)?) => {
        mod sqlite {
            $crate::conformance_tests!(@on $crate::testdb::TestDb::sqlite_some; $($case),+);
        }
        mod postgres {
            $crate::conformance_tests!(@on $crate::testdb::TestDb::postgres; $($case),+);
        }
    };
}
