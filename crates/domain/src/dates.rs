//! Dates as people type them into the GOV.UK date input: day, month and year in
//! three boxes, each message naming what is missing or wrong.

use time::{Date, Month};

/// Why a typed date was refused. `what` is the question's name ("Date of birth").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("Enter {0}")]
    Missing(String),
    #[error("{0} must include a {1}")]
    MissingPart(String, &'static str),
    #[error("{0} must be a real date")]
    NotReal(String),
    #[error("{0} must be in the past")]
    NotInThePast(String),
    #[error("{0} must be today or in the past")]
    InTheFuture(String),
}

/// A date from the three boxes. The year must have 4 digits. `what` starts with a
/// capital ("Date of birth"); the "Enter …" message lowers its first letter.
pub fn parse_date(what: &str, day: &str, month: &str, year: &str) -> Result<Date, DateError> {
    let (day, month, year) = (day.trim(), month.trim(), year.trim());
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return Err(DateError::Missing(lower_first(what)));
    }
    for (part, name) in [(day, "day"), (month, "month"), (year, "year")] {
        if part.is_empty() {
            return Err(DateError::MissingPart(what.to_owned(), name));
        }
    }
    let not_real = || DateError::NotReal(what.to_owned());
    let day: u8 = day.parse().map_err(|_| not_real())?;
    let month: u8 = month.parse().map_err(|_| not_real())?;
    if year.len() != 4 {
        return Err(not_real());
    }
    let year: i32 = year.parse().map_err(|_| not_real())?;
    let month = Month::try_from(month).map_err(|_| not_real())?;
    Date::from_calendar_date(year, month, day).map_err(|_| not_real())
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// A date of birth: a real date before `today`.
pub fn parse_date_of_birth(
    day: &str,
    month: &str,
    year: &str,
    today: Date,
) -> Result<Date, DateError> {
    let date = parse_date("Date of birth", day, month, year)?;
    if date >= today {
        return Err(DateError::NotInThePast("Date of birth".to_owned()));
    }
    Ok(date)
}

/// A date something happened: a real date no later than `today`.
pub fn parse_past_date(
    what: &str,
    day: &str,
    month: &str,
    year: &str,
    today: Date,
) -> Result<Date, DateError> {
    let date = parse_date(what, day, month, year)?;
    if date > today {
        return Err(DateError::InTheFuture(what.to_owned()));
    }
    Ok(date)
}

/// As dates are written in GOV.UK services: 5 January 2026.
pub fn long_date(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

/// The moment as UK clock time (GMT, or BST from 1am GMT on the last Sunday of
/// March to 1am GMT on the last Sunday of October), in a UTC-labelled value.
fn uk_local(at: time::OffsetDateTime) -> time::OffsetDateTime {
    let utc = at.to_offset(time::UtcOffset::UTC);
    let year = utc.year();
    let last_sunday = |month: time::Month| {
        let mut day = Date::from_calendar_date(year, month, 31).unwrap_or(utc.date());
        while day.weekday() != time::Weekday::Sunday {
            day = day.previous_day().unwrap_or(day);
        }
        day.with_hms(1, 0, 0)
            .map(time::PrimitiveDateTime::assume_utc)
    };
    let summer = match (
        last_sunday(time::Month::March),
        last_sunday(time::Month::October),
    ) {
        (Ok(start), Ok(end)) => utc >= start && utc < end,
        _ => false,
    };
    if summer {
        utc + time::Duration::hours(1)
    } else {
        utc
    }
}

/// The date in the UK at that moment: 11:30pm UTC on 4 June is 5 June (BST).
pub fn uk_date(at: time::OffsetDateTime) -> Date {
    uk_local(at).date()
}

/// The moment a UK day starts: midnight GMT, or 11pm UTC the day before in
/// summer time.
pub fn uk_day_start(date: Date) -> time::OffsetDateTime {
    let midnight = date.midnight().assume_utc();
    let an_hour_before = midnight - time::Duration::hours(1);
    if uk_date(an_hour_before) == date {
        an_hour_before
    } else {
        midnight
    }
}

/// The hour of the day in the UK at that moment (0 to 23).
pub fn uk_hour(at: time::OffsetDateTime) -> u8 {
    uk_local(at).hour()
}

/// The time in the UK (GMT, or BST from 1am GMT on the last Sunday of March to
/// 1am GMT on the last Sunday of October), as GOV.UK writes it: "23 November
/// 2026 at 10:05am". Every page and email writes a moment this way (or by
/// [`clock_time`] or [`uk_long_date`] when the day or the time is said already),
/// never as "22:05".
pub fn uk_time(at: time::OffsetDateTime) -> String {
    format!("{} at {}", uk_long_date(at), clock_time(at))
}

/// The time of day in the UK, as GOV.UK writes it: "10:05am", "9:57pm" (noon
/// is "12:00pm", midnight "12:00am").
pub fn clock_time(at: time::OffsetDateTime) -> String {
    let local = uk_local(at);
    let (hour, minute) = (local.hour(), local.minute());
    let (twelve, half) = match hour {
        0 => (12, "am"),
        1..=11 => (hour, "am"),
        12 => (12, "pm"),
        _ => (hour - 12, "pm"),
    };
    format!("{twelve}:{minute:02}{half}")
}

/// The day in the UK at that moment, written as GOV.UK writes dates: "5 June
/// 2026" for 11:30pm UTC on 4 June (BST).
pub fn uk_long_date(at: time::OffsetDateTime) -> String {
    long_date(uk_date(at))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    #[test]
    fn a_uk_day_starts_at_midnight_in_winter_and_at_11pm_utc_in_summer() {
        use time::macros::datetime;
        assert_eq!(
            super::uk_day_start(date!(2026 - 01 - 15)),
            datetime!(2026-01-15 0:00 UTC)
        );
        assert_eq!(
            super::uk_day_start(date!(2026 - 06 - 04)),
            datetime!(2026-06-03 23:00 UTC)
        );
    }

    use super::*;

    #[test]
    fn uk_times_follow_british_summer_time() {
        use time::macros::datetime;
        assert_eq!(
            uk_time(datetime!(2026-11-23 10:05 UTC)),
            "23 November 2026 at 10:05am"
        );
        assert_eq!(
            uk_time(datetime!(2026-07-01 12:30 UTC)),
            "1 July 2026 at 1:30pm"
        );
        // 2026: BST from 29 March 01:00 GMT to 25 October 01:00 GMT.
        assert_eq!(
            uk_time(datetime!(2026-03-29 00:59 UTC)),
            "29 March 2026 at 12:59am"
        );
        assert_eq!(
            uk_time(datetime!(2026-03-29 01:00 UTC)),
            "29 March 2026 at 2:00am"
        );
        assert_eq!(
            uk_time(datetime!(2026-10-25 00:59 UTC)),
            "25 October 2026 at 1:59am"
        );
        assert_eq!(
            uk_time(datetime!(2026-10-25 01:00 UTC)),
            "25 October 2026 at 1:00am"
        );
        assert_eq!(
            uk_time(datetime!(2026-12-31 23:30 UTC)),
            "31 December 2026 at 11:30pm"
        );
    }

    #[test]
    fn the_time_and_the_day_alone_are_written_as_in_a_full_moment() {
        use time::macros::datetime;
        assert_eq!(clock_time(datetime!(2026-12-06 21:57 UTC)), "9:57pm");
        assert_eq!(clock_time(datetime!(2026-12-06 0:05 UTC)), "12:05am");
        assert_eq!(clock_time(datetime!(2026-12-06 12:00 UTC)), "12:00pm");
        assert_eq!(clock_time(datetime!(2026-06-04 23:30 UTC)), "12:30am");
        assert_eq!(uk_long_date(datetime!(2026-06-04 23:30 UTC)), "5 June 2026");
        assert_eq!(
            uk_long_date(datetime!(2026-12-04 23:30 UTC)),
            "4 December 2026"
        );
    }

    #[test]
    fn typed_dates_name_what_is_missing_or_wrong() {
        assert_eq!(
            parse_date("Date of birth", "5", "1", "2020"),
            Ok(date!(2020 - 01 - 05))
        );
        assert_eq!(
            parse_date("Date of birth", "", "", "")
                .unwrap_err()
                .to_string(),
            "Enter date of birth"
        );
        assert_eq!(
            parse_date("Date of birth", "5", "", "2020")
                .unwrap_err()
                .to_string(),
            "Date of birth must include a month"
        );
        assert_eq!(
            parse_date("Date of birth", "30", "2", "2020")
                .unwrap_err()
                .to_string(),
            "Date of birth must be a real date"
        );
        assert!(parse_date("Date of birth", "29", "2", "2024").is_ok());
        assert!(parse_date("Date of birth", "1", "1", "20").is_err());
        assert_eq!(
            parse_date_of_birth("1", "1", "2030", date!(2026 - 11 - 23))
                .unwrap_err()
                .to_string(),
            "Date of birth must be in the past"
        );
        assert_eq!(long_date(date!(2026 - 01 - 05)), "5 January 2026");
    }
}
