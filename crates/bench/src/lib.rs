//! What the benchmarks share: a council's children generated from a seed
//! ([`world`], from the names in [`names`]), and the rest of a council around
//! them ([`council`]: staff, portal accounts, cases, messages, documents),
//! written through the store's own unit of work. The binaries are
//! `match_bench`, `generate` and `load_bench`; BENCHMARKS.md has their commands and figures.

pub mod council;
pub mod names;
pub mod world;
