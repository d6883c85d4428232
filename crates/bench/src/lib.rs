//! What the benchmarks share: a council's children generated from a seed
//! ([`world`], from the names in [`names`]), and the rest of a council around
//! them ([`council`]: staff, portal accounts, cases, messages, documents),
//! written through the store's own unit of work. The binaries are
//! `match_bench`, `generate`, `driver_bench` (the SQLite drivers compared on the
//! dashboard's reads), `load_bench` and `crash_soak` (the long run of
//! [`crash`], the crash consistency harness), the last two speaking to a running
//! portal as a browser without script does ([`http`]); BENCHMARKS.md has their
//! commands and figures.

pub mod council;
pub mod crash;
pub mod http;
pub mod names;
pub mod stats;
pub mod world;
