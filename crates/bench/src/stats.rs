//! The figures the benchmarks report from the times they took.

use std::time::Duration;

/// The `q` quantile (0 to 1) of `sorted` times (nearest rank); zero of none.
#[must_use]
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index into a list far shorter than 2^52"
    )]
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// [`percentile`] in milliseconds.
#[must_use]
pub fn percentile_ms(sorted: &[Duration], q: f64) -> f64 {
    percentile(sorted, q).as_secs_f64() * 1000.0
}

/// `count` over `seconds`.
#[must_use]
#[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
pub fn per_second(count: usize, seconds: u64) -> f64 {
    count as f64 / seconds as f64
}
