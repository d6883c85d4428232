//! Working days in England (and Wales): weekends and bank holidays.
//!
//! The regular bank holidays are computed by rule for any year, so the calendar
//! never runs out. One-off changes (a jubilee, a coronation, a state funeral, a
//! holiday moved to another day) are data in a [`WorkingCalendar`], and an
//! administrator can add to them when a new one is announced.
//!
//! The rules are those in use since 1978, when the Early May bank holiday began.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use time::macros::date;
use time::{Date, Duration, Month, Weekday};

/// A bank holiday added for one year only, such as a coronation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneOffHoliday {
    pub date: Date,
    pub name: Cow<'static, str>,
}

/// A regular bank holiday moved to another day in one year. It keeps its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedHoliday {
    /// The date the rule gives (for example Monday 4 May 2020).
    pub from: Date,
    /// The date it was moved to (Friday 8 May 2020).
    pub to: Date,
}

/// Which days are working days: every weekday that is not a bank holiday.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingCalendar {
    one_offs: Vec<OneOffHoliday>,
    moves: Vec<MovedHoliday>,
}

impl Default for WorkingCalendar {
    fn default() -> Self {
        Self::england()
    }
}

impl WorkingCalendar {
    /// The regular bank holidays only, with no one-off changes.
    pub fn by_rule() -> Self {
        Self {
            one_offs: Vec::new(),
            moves: Vec::new(),
        }
    }

    /// England and Wales, with the one-off holidays and moved days announced so far.
    pub fn england() -> Self {
        Self::by_rule()
            // VE day, 50th anniversary: Early May bank holiday moved to Monday 8 May.
            .with_move(date!(1995 - 05 - 01), date!(1995 - 05 - 08))
            .with_one_off(date!(1999 - 12 - 31), "Millennium Celebrations")
            // Golden Jubilee: Spring bank holiday moved to Tuesday 4 June.
            .with_move(date!(2002 - 05 - 27), date!(2002 - 06 - 04))
            .with_one_off(date!(2002 - 06 - 03), "Golden Jubilee bank holiday")
            .with_one_off(
                date!(2011 - 04 - 29),
                "Bank holiday for the wedding of Prince William and Catherine Middleton",
            )
            // Diamond Jubilee: Spring bank holiday moved to Monday 4 June.
            .with_move(date!(2012 - 05 - 28), date!(2012 - 06 - 04))
            .with_one_off(date!(2012 - 06 - 05), "Queen's Diamond Jubilee")
            // VE day, 75th anniversary: Early May bank holiday moved to Friday 8 May.
            .with_move(date!(2020 - 05 - 04), date!(2020 - 05 - 08))
            // Platinum Jubilee: Spring bank holiday moved to Thursday 2 June.
            .with_move(date!(2022 - 05 - 30), date!(2022 - 06 - 02))
            .with_one_off(date!(2022 - 06 - 03), "Platinum Jubilee bank holiday")
            .with_one_off(
                date!(2022 - 09 - 19),
                "Bank Holiday for the State Funeral of Queen Elizabeth II",
            )
            .with_one_off(
                date!(2023 - 05 - 08),
                "Bank holiday for the coronation of King Charles III",
            )
    }

    /// Adds a one-off bank holiday.
    #[must_use]
    pub fn with_one_off(mut self, date: Date, name: impl Into<Cow<'static, str>>) -> Self {
        self.one_offs.push(OneOffHoliday {
            date,
            name: name.into(),
        });
        self
    }

    /// Moves the regular bank holiday that falls on `from` to `to`. A move whose
    /// `from` is not a regular bank holiday has no effect.
    #[must_use]
    pub fn with_move(mut self, from: Date, to: Date) -> Self {
        self.moves.push(MovedHoliday { from, to });
        self
    }

    pub fn one_offs(&self) -> &[OneOffHoliday] {
        &self.one_offs
    }

    pub fn moves(&self) -> &[MovedHoliday] {
        &self.moves
    }

    /// The bank holidays in `year`, in date order, with their names.
    pub fn bank_holidays(&self, year: i32) -> Vec<(Date, &str)> {
        let mut days: Vec<(Date, &str)> = Vec::new();
        // A move may in principle cross into the next or previous year.
        for rule_year in [year.checked_sub(1), Some(year), year.checked_add(1)]
            .into_iter()
            .flatten()
        {
            for (day, name) in regular_bank_holidays(rule_year) {
                let day = self
                    .moves
                    .iter()
                    .find(|moved| moved.from == day)
                    .map_or(day, |moved| moved.to);
                if day.year() == year {
                    days.push((day, name));
                }
            }
        }
        days.extend(
            self.one_offs
                .iter()
                .filter(|one_off| one_off.date.year() == year)
                .map(|one_off| (one_off.date, one_off.name.as_ref())),
        );
        days.sort_by_key(|(day, _)| *day);
        days.dedup_by_key(|(day, _)| *day);
        days
    }

    pub fn is_bank_holiday(&self, date: Date) -> bool {
        self.bank_holidays(date.year())
            .iter()
            .any(|(day, _)| *day == date)
    }

    /// Not a Saturday, not a Sunday and not a bank holiday.
    pub fn is_working_day(&self, date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !self.is_bank_holiday(date)
    }

    /// `date` itself if it is a working day, or else the next working day.
    pub fn next_working_day_on_or_after(&self, date: Date) -> Date {
        let mut day = date;
        while !self.is_working_day(day) {
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        day
    }

    /// The date `n` working days after `date`: day 0 is `date` itself, day 1 the
    /// first working day after it, and so on. Stops at the last date `time` can hold.
    pub fn add_working_days(&self, date: Date, n: u32) -> Date {
        let mut day = date;
        for _ in 0..n {
            let Some(next) = day.next_day() else {
                return day;
            };
            day = self.next_working_day_on_or_after(next);
        }
        day
    }
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian, or Meeus,
/// algorithm). `None` only for years outside the dates `time` can hold.
#[expect(
    clippy::many_single_char_names,
    reason = "the letters of the published algorithm, so it can be checked against it"
)]
pub fn easter_sunday(year: i32) -> Option<Date> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

/// The regular bank holidays of England and Wales in `year`, by rule alone (no
/// one-off changes), in date order.
pub fn regular_bank_holidays(year: i32) -> Vec<(Date, &'static str)> {
    let on = |month: Month, day: u8| Date::from_calendar_date(year, month, day).ok();
    let mut days: Vec<(Option<Date>, &'static str)> = Vec::new();

    days.push(match on(Month::January, 1).map(Date::weekday) {
        Some(Weekday::Saturday) => (on(Month::January, 3), "New Year's Day (substitute day)"),
        Some(Weekday::Sunday) => (on(Month::January, 2), "New Year's Day (substitute day)"),
        _ => (on(Month::January, 1), "New Year's Day"),
    });

    let easter = easter_sunday(year);
    days.push((
        easter.and_then(|day| day.checked_sub(Duration::days(2))),
        "Good Friday",
    ));
    days.push((
        easter.and_then(|day| day.checked_add(Duration::days(1))),
        "Easter Monday",
    ));

    days.push((first_monday(year, Month::May), "Early May bank holiday"));
    days.push((last_monday(year, Month::May), "Spring bank holiday"));
    days.push((last_monday(year, Month::August), "Summer bank holiday"));

    let christmas: [(u8, &'static str); 2] = match on(Month::December, 25).map(Date::weekday) {
        Some(Weekday::Saturday) => [
            (27, "Christmas Day (substitute day)"),
            (28, "Boxing Day (substitute day)"),
        ],
        Some(Weekday::Sunday) => [(26, "Boxing Day"), (27, "Christmas Day (substitute day)")],
        Some(Weekday::Friday) => [(25, "Christmas Day"), (28, "Boxing Day (substitute day)")],
        _ => [(25, "Christmas Day"), (26, "Boxing Day")],
    };
    for (day, name) in christmas {
        days.push((on(Month::December, day), name));
    }

    days.into_iter()
        .filter_map(|(day, name)| day.map(|day| (day, name)))
        .collect()
}

fn first_monday(year: i32, month: Month) -> Option<Date> {
    let first = Date::from_calendar_date(year, month, 1).ok()?;
    let offset = (7 - first.weekday().number_days_from_monday()) % 7;
    Date::from_calendar_date(year, month, 1 + offset).ok()
}

fn last_monday(year: i32, month: Month) -> Option<Date> {
    let length = month.length(year);
    let last = Date::from_calendar_date(year, month, length).ok()?;
    Date::from_calendar_date(
        year,
        month,
        length - last.weekday().number_days_from_monday(),
    )
    .ok()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn dates(calendar: &WorkingCalendar, year: i32) -> Vec<Date> {
        calendar
            .bank_holidays(year)
            .into_iter()
            .map(|(day, _)| day)
            .collect()
    }

    #[test]
    fn easter_sunday_matches_the_published_dates() {
        for (year, expected) in [
            (1818, date!(1818 - 03 - 22)),
            (1943, date!(1943 - 04 - 25)),
            (2000, date!(2000 - 04 - 23)),
            (2008, date!(2008 - 03 - 23)),
            (2011, date!(2011 - 04 - 24)),
            (2019, date!(2019 - 04 - 21)),
            (2023, date!(2023 - 04 - 09)),
            (2024, date!(2024 - 03 - 31)),
            (2025, date!(2025 - 04 - 20)),
            (2026, date!(2026 - 04 - 05)),
            (2027, date!(2027 - 03 - 28)),
            (2038, date!(2038 - 04 - 25)),
            (2285, date!(2285 - 03 - 22)),
        ] {
            assert_eq!(easter_sunday(year), Some(expected), "{year}");
        }
    }

    #[test]
    fn bank_holidays_match_the_gov_uk_lists() {
        let england = WorkingCalendar::england();
        assert_eq!(
            dates(&england, 2023),
            [
                date!(2023 - 01 - 02),
                date!(2023 - 04 - 07),
                date!(2023 - 04 - 10),
                date!(2023 - 05 - 01),
                date!(2023 - 05 - 08),
                date!(2023 - 05 - 29),
                date!(2023 - 08 - 28),
                date!(2023 - 12 - 25),
                date!(2023 - 12 - 26),
            ]
        );
        assert_eq!(
            dates(&england, 2024),
            [
                date!(2024 - 01 - 01),
                date!(2024 - 03 - 29),
                date!(2024 - 04 - 01),
                date!(2024 - 05 - 06),
                date!(2024 - 05 - 27),
                date!(2024 - 08 - 26),
                date!(2024 - 12 - 25),
                date!(2024 - 12 - 26),
            ]
        );
        assert_eq!(
            dates(&england, 2025),
            [
                date!(2025 - 01 - 01),
                date!(2025 - 04 - 18),
                date!(2025 - 04 - 21),
                date!(2025 - 05 - 05),
                date!(2025 - 05 - 26),
                date!(2025 - 08 - 25),
                date!(2025 - 12 - 25),
                date!(2025 - 12 - 26),
            ]
        );
        assert_eq!(
            dates(&england, 2026),
            [
                date!(2026 - 01 - 01),
                date!(2026 - 04 - 03),
                date!(2026 - 04 - 06),
                date!(2026 - 05 - 04),
                date!(2026 - 05 - 25),
                date!(2026 - 08 - 31),
                date!(2026 - 12 - 25),
                date!(2026 - 12 - 28),
            ]
        );
        assert_eq!(
            dates(&england, 2027),
            [
                date!(2027 - 01 - 01),
                date!(2027 - 03 - 26),
                date!(2027 - 03 - 29),
                date!(2027 - 05 - 03),
                date!(2027 - 05 - 31),
                date!(2027 - 08 - 30),
                date!(2027 - 12 - 27),
                date!(2027 - 12 - 28),
            ]
        );
    }

    #[test]
    fn one_off_and_moved_holidays_are_built_in() {
        let england = WorkingCalendar::england();
        assert_eq!(
            dates(&england, 2022),
            [
                date!(2022 - 01 - 03),
                date!(2022 - 04 - 15),
                date!(2022 - 04 - 18),
                date!(2022 - 05 - 02),
                date!(2022 - 06 - 02),
                date!(2022 - 06 - 03),
                date!(2022 - 08 - 29),
                date!(2022 - 09 - 19),
                date!(2022 - 12 - 26),
                date!(2022 - 12 - 27),
            ]
        );
        assert_eq!(
            dates(&england, 2020),
            [
                date!(2020 - 01 - 01),
                date!(2020 - 04 - 10),
                date!(2020 - 04 - 13),
                date!(2020 - 05 - 08),
                date!(2020 - 05 - 25),
                date!(2020 - 08 - 31),
                date!(2020 - 12 - 25),
                date!(2020 - 12 - 28),
            ]
        );
        assert_eq!(
            dates(&england, 2012),
            [
                date!(2012 - 01 - 02),
                date!(2012 - 04 - 06),
                date!(2012 - 04 - 09),
                date!(2012 - 05 - 07),
                date!(2012 - 06 - 04),
                date!(2012 - 06 - 05),
                date!(2012 - 08 - 27),
                date!(2012 - 12 - 25),
                date!(2012 - 12 - 26),
            ]
        );
        assert!(!england.is_bank_holiday(date!(2020 - 05 - 04)));
        assert!(england.is_working_day(date!(2022 - 05 - 30)));
        assert!(!england.is_working_day(date!(2022 - 09 - 19)));
        // The rules alone know nothing of the one-offs.
        assert!(WorkingCalendar::by_rule().is_working_day(date!(2023 - 05 - 08)));
    }

    #[test]
    fn names_follow_gov_uk() {
        let england = WorkingCalendar::england();
        assert_eq!(
            england.bank_holidays(2027),
            [
                (date!(2027 - 01 - 01), "New Year's Day"),
                (date!(2027 - 03 - 26), "Good Friday"),
                (date!(2027 - 03 - 29), "Easter Monday"),
                (date!(2027 - 05 - 03), "Early May bank holiday"),
                (date!(2027 - 05 - 31), "Spring bank holiday"),
                (date!(2027 - 08 - 30), "Summer bank holiday"),
                (date!(2027 - 12 - 27), "Christmas Day (substitute day)"),
                (date!(2027 - 12 - 28), "Boxing Day (substitute day)"),
            ]
        );
        let christmas_2022 = england.bank_holidays(2022);
        assert!(christmas_2022.contains(&(date!(2022 - 12 - 26), "Boxing Day")));
        assert!(
            christmas_2022.contains(&(date!(2022 - 12 - 27), "Christmas Day (substitute day)"))
        );
    }

    #[test]
    fn an_administrator_can_add_a_holiday() {
        let calendar = WorkingCalendar::england()
            .with_one_off(date!(2030 - 06 - 14), "A new one-off")
            .with_move(date!(2030 - 05 - 06), date!(2030 - 05 - 10));
        assert!(calendar.is_bank_holiday(date!(2030 - 06 - 14)));
        assert!(calendar.is_bank_holiday(date!(2030 - 05 - 10)));
        assert!(!calendar.is_bank_holiday(date!(2030 - 05 - 06)));
        assert!(
            calendar
                .bank_holidays(2030)
                .contains(&(date!(2030 - 06 - 14), "A new one-off"))
        );
        assert!(!WorkingCalendar::england().is_bank_holiday(date!(2030 - 06 - 14)));
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let england = WorkingCalendar::england();
        // Friday 2 January 2026 + 1 working day is Monday 5 January.
        assert_eq!(
            england.add_working_days(date!(2026 - 01 - 02), 1),
            date!(2026 - 01 - 05)
        );
        assert_eq!(
            england.add_working_days(date!(2026 - 01 - 03), 0),
            date!(2026 - 01 - 03)
        );
        // Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        // From Wednesday 1 April: 2, 7, 8, 9, 10, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24.
        assert_eq!(
            england.add_working_days(date!(2026 - 04 - 01), 15),
            date!(2026 - 04 - 24)
        );
        // Christmas 2026: 25 and 28 December. From Monday 21 December:
        // 22, 23, 24, 29, 30, 31, 1 Jan is a holiday, 4, 5, 6, 7, 8, 11, 12, 13, 14.
        assert_eq!(
            england.add_working_days(date!(2026 - 12 - 21), 15),
            date!(2027 - 01 - 14)
        );
        assert_eq!(
            england.next_working_day_on_or_after(date!(2026 - 12 - 25)),
            date!(2026 - 12 - 29)
        );
        assert_eq!(
            england.next_working_day_on_or_after(date!(2026 - 12 - 29)),
            date!(2026 - 12 - 29)
        );
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (1980i32..2100, 1u16..=365).prop_filter_map("a real date", |(year, ordinal)| {
            Date::from_ordinal_date(year, ordinal).ok()
        })
    }

    proptest! {
        #[test]
        fn adding_working_days_lands_on_a_working_day(start in any_date(), n in 1u32..400) {
            let england = WorkingCalendar::england();
            let end = england.add_working_days(start, n);
            prop_assert!(england.is_working_day(end));
            prop_assert!(end > start);
        }

        #[test]
        fn adding_working_days_is_monotonic(start in any_date(), n in 0u32..300) {
            let england = WorkingCalendar::england();
            prop_assert!(england.add_working_days(start, n) < england.add_working_days(start, n + 1));
        }

        #[test]
        fn every_bank_holiday_is_a_weekday(year in 1978i32..2500) {
            let england = WorkingCalendar::england();
            for (day, name) in england.bank_holidays(year) {
                prop_assert!(
                    !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday),
                    "{name} on {day}"
                );
                prop_assert_eq!(day.year(), year);
            }
            let count = regular_bank_holidays(year).len();
            prop_assert_eq!(count, 8);
        }
    }
}
