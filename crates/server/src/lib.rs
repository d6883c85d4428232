//! The `send-portal` server: configuration, telemetry, database selection and the
//! operator commands. `main` only parses the command line and calls into here.

pub mod backups;
pub mod commands;
pub mod config;
pub mod database;
pub mod startup;
pub mod telemetry;
pub mod worker;

pub use config::Config;
pub use startup::{Application, Overrides};
