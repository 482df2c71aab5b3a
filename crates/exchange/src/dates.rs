//! Dates as spreadsheets hold them: date cells, ISO text (`2021-07-13`, `2021-07`), UK
//! day-first text (`13/07/2021`, `13-07-2021`, `13.07.2021`, `13 July 2021`, `13-Jul-2021`),
//! and month-only text (`07/2021`, `Jul 2021`, `July 2021`), which stays at month precision
//! exactly as `YYYY-MM` does in a record.
//!
//! Slashed dates are always read day first: a register kept in England never means 7 March by
//! `03/07/2021`, and a date that only makes sense in US order (`07/31/2021`) is an error that
//! says so, never silently swapped. Two-digit years are refused rather than guessed.

use oversight_syntax::date::Date;

use crate::book::Value;

/// A date read from a cell, or why not, in words for the person who typed it.
pub(crate) fn parse(value: &Value) -> Result<Date, String> {
    match value {
        Value::Date(y, m, d) => Date::ymd(*y, *m, *d).ok_or_else(|| format!("{value} is not a calendar date")),
        Value::Number(n) => excel_serial(*n).ok_or_else(|| {
            format!("`{value}` is a number, not a date: format the cell as a date, or type it as 13/07/2021")
        }),
        Value::Text(text) => parse_text(text.trim()),
        Value::Bool(_) => Err(format!("`{value}` is not a date")),
        Value::Empty => Err("the cell is empty".into()),
    }
}

/// A date cell stored without a date format reads as its serial number (days since 30 Dec
/// 1899). Only serials from 1990 to 2099 are taken as dates: a stray small number (a year,
/// a segment) is not.
fn excel_serial(n: f64) -> Option<Date> {
    const FROM_1990: f64 = 32_874.0;
    const TO_2099: f64 = 73_415.0;
    if n.fract() != 0.0 || !(FROM_1990..=TO_2099).contains(&n) {
        return None;
    }
    Some(Date::constant(1899, 12, 30).add_days(n as i64))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A month named in full or by its first three letters (`Sept` too).
fn month_name(word: &str) -> Option<i8> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| m.starts_with(&word) || (word == "sept" && *m == "september")).map(|i| i as i8 + 1)
}

fn number(s: &str) -> Option<i64> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

/// A day number, allowing an ordinal suffix: `1st`, `22nd`, `13th`.
fn day_number(s: &str) -> Option<i64> {
    let s = s.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    number(s).filter(|_| s.len() <= 2)
}

fn parse_text(text: &str) -> Result<Date, String> {
    let bad = || {
        format!(
            "\"{text}\" is not a date: write 13/07/2021 (day first), 2021-07-13, or a month alone as 07/2021, Jul 2021 or 2021-07"
        )
    };
    if text.is_empty() {
        return Err("the cell is empty".into());
    }
    // A time of midnight after the date, as some exports add it.
    let text_date = ["T00:00:00", " 00:00:00", " 00:00"].iter().find_map(|t| text.strip_suffix(t)).unwrap_or(text);
    let parts: Vec<&str> = text_date.split(['/', '-', '.', ' ', ',']).filter(|p| !p.is_empty()).collect();
    let year = |s: &str| -> Result<i16, String> {
        match number(s) {
            Some(y) if s.len() == 4 => Ok(y as i16),
            Some(_) if s.len() <= 2 => {
                Err(format!("\"{text}\" has a two-digit year: write the year in full, e.g. 2021"))
            }
            _ => Err(bad()),
        }
    };
    let day = |y: i16, m: i64, d: i64| -> Result<Date, String> {
        if !(1..=12).contains(&m) {
            return Err(if (1..=12).contains(&d) && m <= 31 {
                format!(
                    "\"{text}\" has month {m}: dates are read day first (DD/MM/YYYY), so this would be day {m} of month {d}; write {:02}/{:02}/{y}",
                    m, d
                )
            } else {
                format!("\"{text}\" has month {m}: months run from 1 to 12")
            });
        }
        Date::ymd(y, m as i8, d as i8).ok_or_else(|| {
            let month = MONTHS[(m - 1) as usize];
            let month = month[..1].to_uppercase() + &month[1..];
            format!("\"{text}\" is not a date: {month} {y} has no day {d}")
        })
    };
    let month_only = |y: i16, m: i64| -> Result<Date, String> {
        if !(1..=12).contains(&m) {
            return Err(format!("\"{text}\" has month {m}: months run from 1 to 12"));
        }
        Date::parse(&format!("{y:04}-{m:02}")).map_err(|_| bad())
    };
    // Year first: 2021-07-13 or 2021-07 (the record format's own forms), or 2021/07/13.
    if let [y, m, rest @ ..] = parts.as_slice()
        && y.len() == 4
        && number(y).is_some()
    {
        let y = year(y)?;
        let m = number(m).filter(|_| m.len() == 2).ok_or_else(bad)?;
        return match rest {
            [] => month_only(y, m),
            [d] if d.len() == 2 => day(y, m, number(d).ok_or_else(bad)?),
            _ => Err(bad()),
        };
    }
    match parts.as_slice() {
        // July 13 2021: a named month first is unambiguous.
        [m, d, y] if month_name(m).is_some() => {
            let y = year(y)?;
            day(y, i64::from(month_name(m).unwrap_or(1)), day_number(d).ok_or_else(bad)?)
        }
        // 13/07/2021, 13-Jul-2021, 13 July 2021, 13th July 2021
        [d, m, y] => {
            let y = year(y)?;
            let d = day_number(d).ok_or_else(bad)?;
            let m = number(m).or_else(|| month_name(m).map(i64::from)).ok_or_else(bad)?;
            day(y, m, d)
        }
        // 07/2021, Jul 2021, July-2021
        [m, y] => {
            let y = year(y)?;
            let m = number(m).filter(|_| m.len() <= 2).or_else(|| month_name(m).map(i64::from)).ok_or_else(bad)?;
            month_only(y, m)
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oversight_syntax::date::Precision;

    fn text(s: &str) -> Result<Date, String> {
        parse(&Value::Text(s.into()))
    }

    fn ok(s: &str) -> String {
        text(s).unwrap_or_else(|e| panic!("{s}: {e}")).to_string()
    }

    #[test]
    fn day_forms() {
        for s in ["2021-07-13", "13/07/2021", "13/7/2021", "13-07-2021", "13.07.2021", "13 July 2021", "13 Jul 2021"] {
            assert_eq!(ok(s), "2021-07-13", "{s}");
        }
        for s in ["13-Jul-2021", "13th July 2021", "July 13, 2021", "2021-07-13 00:00:00", "2021-07-13T00:00:00"] {
            assert_eq!(ok(s), "2021-07-13", "{s}");
        }
        assert_eq!(parse(&Value::Date(2021, 7, 13)).unwrap().to_string(), "2021-07-13");
        assert_eq!(parse(&Value::Number(44390.0)).unwrap().to_string(), "2021-07-13");
    }

    #[test]
    fn month_forms_keep_month_precision() {
        for s in ["2020-10", "10/2020", "Oct 2020", "October 2020", "Oct-2020", "oct 2020", "Sept 2020"] {
            let d = text(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(d.precision(), Precision::Month, "{s}");
            assert!(d.to_string().starts_with("2020-"), "{s}");
        }
        assert_eq!(ok("Oct 2020"), "2020-10");
        assert_eq!(ok("9/2020"), "2020-09");
    }

    #[test]
    fn refusals_say_why() {
        assert!(text("31/02/2022").unwrap_err().contains("February 2022 has no day 31"));
        assert!(text("2022-02-31").unwrap_err().contains("no day 31"));
        let us = text("07/31/2021").unwrap_err();
        assert!(us.contains("day first"), "{us}");
        assert!(text("13/07/21").unwrap_err().contains("two-digit year"));
        assert!(text("soon").unwrap_err().contains("is not a date"));
        assert!(text("13/13/2021").unwrap_err().contains("month 13"));
        assert!(parse(&Value::Number(4.0)).is_err(), "a small number is not a date");
        assert!(parse(&Value::Number(2021.0)).is_err(), "nor is a year");
    }
}
