//! Logging: JSON lines in production, readable lines at a terminal. Every line
//! logged while handling a request carries that request's id (from its span), and
//! every line logged inside a use case its span too (the use case's name and ids):
//! a JSON line lists all the spans it is in, outermost first, so the request's id
//! is there even when a use case's span is the innermost.
//!
//! With `SEND_PORTAL_LOG_SPAN_TIMES=true`, a line is also logged when each span
//! ends, with how long it was busy and idle: use cases at `info`, store calls at
//! `debug` (`SEND_PORTAL_LOG=info,send_store_sqlite=debug` or `…postgres=debug`),
//! so a slow request shows where its time went.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::config::LogFormat;

pub fn init(format: LogFormat, filter: &str, span_times: bool) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(if span_times {
            FmtSpan::CLOSE
        } else {
            FmtSpan::NONE
        })
        .with_writer(std::io::stderr);
    // A second initialisation (in tests) is harmless: the first subscriber stays.
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
}
