//! Requests for advice, on both sides: the SEND team records, receives and
//! withdraws them and sees what is overdue (`back_office`); the person asked sees
//! "Advice requested from you" and answers (`portal`). What both draw, the status
//! of a request, is here.

use crate::routes::Routes;
use axum::routing::get;
use send_app::advice::AdviceLine;
use send_domain::advice::AdviceStatus;
use send_domain::dates::long_date;

use crate::components::Tag;

mod back_office;
mod portal;

pub use portal::AdviceForYouLine;
pub use portal::advice_for_you_lines;

pub fn router() -> Routes {
    Routes::new()
        .route(
            "/back-office/involvements/{id}/advice/new",
            get(back_office::show_new).post(back_office::submit_new),
        )
        .route(
            "/back-office/advice/{id}/received",
            get(back_office::show_received).post(back_office::submit_received),
        )
        .route(
            "/back-office/advice/{id}/withdraw",
            get(back_office::show_withdraw).post(back_office::submit_withdraw),
        )
        .route("/back-office/advice/overdue", get(back_office::overdue))
        .route(
            "/back-office/admin/advice-reminders/{kind}",
            get(back_office::show_schedule).post(back_office::submit_schedule),
        )
        .route("/advice/{id}", get(portal::show).post(portal::submit))
        .route("/advice/link/{token}", get(portal::open_link))
}

/// A request's status as a tag, in words first: "Due in 12 days", "Overdue by 3
/// days", "Received 1 December 2026", "Withdrawn".
pub fn advice_tag(line: &AdviceLine) -> Tag {
    match &line.request.status {
        AdviceStatus::Received { on, .. } => {
            Tag::colour(format!("Received {}", long_date(*on)), "green")
        }
        AdviceStatus::Withdrawn { .. } => Tag::colour("Withdrawn", "grey"),
        AdviceStatus::Awaited if line.overdue => {
            let days = line.days_left.unsigned_abs();
            Tag::colour(
                format!("Overdue by {days} day{}", if days == 1 { "" } else { "s" }),
                "red",
            )
        }
        AdviceStatus::Awaited if line.days_left == 0 => Tag::colour("Due today", "orange"),
        AdviceStatus::Awaited => {
            let days = line.days_left;
            Tag::colour(
                format!("Due in {days} day{}", if days == 1 { "" } else { "s" }),
                "blue",
            )
        }
    }
}

/// The same for families: awaited or arrived, without counting days.
pub fn family_advice_tag(line: &AdviceLine) -> Tag {
    match &line.request.status {
        AdviceStatus::Received { on, .. } => {
            Tag::colour(format!("Arrived {}", long_date(*on)), "green")
        }
        AdviceStatus::Withdrawn { .. } => Tag::colour("No longer needed", "grey"),
        AdviceStatus::Awaited => Tag::colour(
            format!("Waiting for it (due by {})", long_date(line.request.due_on)),
            "blue",
        ),
    }
}
