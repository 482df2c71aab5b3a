//! Calendar dates as the records write them: ISO days (`2021-08-18`) or, where a source gives
//! only a month, month precision (`2021-08`).
//!
//! A month-precision date resolves to the first day of its month, except where it is the
//! inclusive end of something (`to`, `end`), where the loader moves it to the last day with
//! [`Date::as_inclusive_end`]; the timeline counts with the resolved day. Rules judge a month
//! as the range of days it may mean ([`Date::earliest`], [`Date::latest`]): a source that says
//! "July 2021" may mean any day of it, so a rule fires only when every one of them breaks it.

use std::cmp::Ordering;
use std::fmt;

use jiff::civil;
use serde::de::{self, Deserialize, Deserializer, Visitor};

/// How precisely a record gave a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Precision {
    Day,
    Month,
}

/// A resolved calendar day plus the precision it was written with.
#[derive(Debug, Clone, Copy)]
pub struct Date {
    day: civil::Date,
    precision: Precision,
}

impl Date {
    /// A day-precision date; `None` if the day does not exist.
    pub fn ymd(year: i16, month: i8, day: i8) -> Option<Date> {
        civil::Date::new(year, month, day).ok().map(|day| Date { day, precision: Precision::Day })
    }

    /// A day-precision date for use in constant tables; panics on an impossible date, which
    /// can only be a typo in this crate's own source.
    pub const fn constant(year: i16, month: i8, day: i8) -> Date {
        Date { day: civil::date(year, month, day), precision: Precision::Day }
    }

    pub fn from_civil(day: civil::Date) -> Date {
        Date { day, precision: Precision::Day }
    }

    /// Parses `YYYY-MM-DD` or `YYYY-MM`. The error says what is wrong in words a record author
    /// can act on.
    pub fn parse(text: &str) -> Result<Date, String> {
        let bad = || format!("`{text}` is not a date: write YYYY-MM-DD (or YYYY-MM for a month)");
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, len: usize| -> Option<i64> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
        };
        let (year, month, day) = match parts.as_slice() {
            [y, m] => (number(y, 4), number(m, 2), None),
            [y, m, d] => (number(y, 4), number(m, 2), Some(number(d, 2))),
            _ => return Err(bad()),
        };
        let (Some(year), Some(month)) = (year, month) else {
            return Err(bad());
        };
        if !(1..=12).contains(&month) {
            return Err(format!("`{text}` has month {month}: months run from 01 to 12"));
        }
        let (day, precision) = match day {
            None => (1, Precision::Month),
            Some(Some(day)) => (day, Precision::Day),
            Some(None) => return Err(bad()),
        };
        let year = i16::try_from(year).map_err(|_| bad())?;
        civil::Date::new(year, month as i8, day as i8)
            .map(|day| Date { day, precision })
            .map_err(|_| format!("`{text}` does not exist: that month has no day {day}"))
    }

    /// For the inclusive end of a period: a month-precision date means the month's last day.
    pub fn as_inclusive_end(self) -> Date {
        match self.precision {
            Precision::Month => Date { day: self.day.last_of_month(), ..self },
            Precision::Day => self,
        }
    }

    /// The first day the date can mean: the day itself, or the first of its month. A month is
    /// a range of days, never silently one of them: a rule asks whether a fact is *surely*
    /// before or after a date ([`Date::surely_before`], [`Date::surely_after`]).
    pub fn earliest(self) -> Date {
        match self.precision {
            Precision::Month => Date { day: self.day.first_of_month(), precision: Precision::Day },
            Precision::Day => self,
        }
    }

    /// The last day the date can mean: the day itself, or the last of its month.
    pub fn latest(self) -> Date {
        match self.precision {
            Precision::Month => Date { day: self.day.last_of_month(), precision: Precision::Day },
            Precision::Day => self,
        }
    }

    /// Whether every day the date can mean is before `d`.
    pub fn surely_before(self, d: Date) -> bool {
        self.latest() < d.earliest()
    }

    /// Whether every day the date can mean is after `d`.
    pub fn surely_after(self, d: Date) -> bool {
        self.earliest() > d.latest()
    }

    pub fn civil(self) -> civil::Date {
        self.day
    }

    pub fn precision(self) -> Precision {
        self.precision
    }

    pub fn year(self) -> i16 {
        self.day.year()
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        // Date::until counts in days by default; it fails only beyond jiff's range.
        self.day.until(later.day).map_or(0, |span| i64::from(span.get_days()))
    }

    /// The same day `months` months later (clamped to the month's end, as calendars do).
    pub fn plus_months(self, months: i32) -> Date {
        let day = self.day.checked_add(jiff::Span::new().months(months)).unwrap_or(civil::Date::MAX);
        Date { day, precision: Precision::Day }
    }

    /// `days` days later (earlier if negative), clamped to the calendar's range.
    pub fn add_days(self, days: i64) -> Date {
        let day = self.day.checked_add(jiff::Span::new().days(days)).unwrap_or(if days < 0 {
            civil::Date::MIN
        } else {
            civil::Date::MAX
        });
        Date { day, precision: Precision::Day }
    }

    /// The next calendar day.
    pub fn next_day(self) -> Date {
        let day = self.day.tomorrow().unwrap_or(civil::Date::MAX);
        Date { day, precision: Precision::Day }
    }

    /// The previous calendar day.
    pub fn previous_day(self) -> Date {
        let day = self.day.yesterday().unwrap_or(civil::Date::MIN);
        Date { day, precision: Precision::Day }
    }

    /// "18 August 2021", or "August 2021" for a month-precision date: how pages and papers
    /// show it, in the NHS.UK content style (no abbreviated months).
    pub fn display_long(self) -> String {
        match self.precision {
            Precision::Day => self.day.strftime("%-d %B %Y").to_string(),
            Precision::Month => self.day.strftime("%B %Y").to_string(),
        }
    }
}

impl PartialEq for Date {
    fn eq(&self, other: &Date) -> bool {
        self.day == other.day
    }
}
impl Eq for Date {}
impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Date) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Date {
    fn cmp(&self, other: &Date) -> Ordering {
        self.day.cmp(&other.day)
    }
}
impl std::hash::Hash for Date {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.day.hash(state);
    }
}

/// ISO form as written: `2021-08-18`, or `2021-08` for month precision.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            Precision::Day => write!(f, "{}", self.day),
            Precision::Month => write!(f, "{:04}-{:02}", self.day.year(), self.day.month()),
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date (YYYY-MM-DD, or YYYY-MM for a month)")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Date, E> {
                Date::parse(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(DateVisitor)
    }
}

/// A date as pages and papers show it: in words ("1 October 2026", NHS style) with its ISO form
/// for `<time datetime>` and sorting.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DateView {
    pub text: String,
    pub iso: String,
}

impl From<Date> for DateView {
    fn from(d: Date) -> DateView {
        DateView { text: d.display_long(), iso: d.civil().to_string() }
    }
}

/// In a JSON Schema (for editors): a string in either form records accept. The pattern checks
/// the shape; whether the day exists (`2023-02-30`) is the loader's to say.
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": DATE_PATTERN,
            "description": "A date: YYYY-MM-DD, or YYYY-MM where the source gives only the month.",
            "examples": ["2021-07-13", "2021-07"]
        })
    }
}

/// The shape of a date as records write it: `YYYY-MM-DD` or `YYYY-MM`, month 01 to 12, day 01 to 31.
pub const DATE_PATTERN: &str = r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$";

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_and_months() {
        let d = Date::parse("2021-08-18").unwrap();
        assert_eq!(d.to_string(), "2021-08-18");
        assert_eq!(d.precision(), Precision::Day);
        let m = Date::parse("2021-08").unwrap();
        assert_eq!(m.to_string(), "2021-08");
        assert_eq!(m, Date::ymd(2021, 8, 1).unwrap());
        assert_eq!(m.as_inclusive_end(), Date::ymd(2021, 8, 31).unwrap());
        assert_eq!(Date::parse("2024-02").unwrap().as_inclusive_end(), Date::ymd(2024, 2, 29).unwrap());
    }

    #[test]
    fn rejects_impossible_dates_with_reasons() {
        assert!(Date::parse("2021-13-01").unwrap_err().contains("month 13"));
        assert!(Date::parse("2021-02-30").unwrap_err().contains("no day 30"));
        for bad in ["2021", "21-08-01", "2021-8-01", "2021-08-1", "", "2021-08-18T00:00", "abcd-ef", "2021-00"] {
            assert!(Date::parse(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn arithmetic() {
        let a = Date::constant(2021, 7, 13);
        assert_eq!(a.days_until(Date::constant(2021, 7, 14)), 1);
        assert_eq!(a.days_until(Date::constant(2022, 7, 13)), 365);
        assert_eq!(Date::constant(2024, 8, 31).plus_months(6), Date::constant(2025, 2, 28));
        assert_eq!(a.next_day(), Date::constant(2021, 7, 14));
        assert_eq!(a.display_long(), "13 July 2021");
        assert_eq!(Date::parse("2021-08").unwrap().display_long(), "August 2021");
    }
}
