//! Calendar dates as front matter writes them (`2025-04-18`), without times or zones, and
//! months where only the month is known (`2025-08`, for tracker updates).

use std::fmt;

use serde::Serialize;

/// A calendar date, or a month when only the month is known.
///
/// A month sorts as its first day (and just after that day written as a date, so that the
/// order stays total).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, e.g. 2025.
    pub year: u16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31; 1 for a month.
    pub day: u8,
    /// Whether the day is known.
    pub precision: Precision,
}

/// How much of a [`Date`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Precision {
    /// The day: `2025-08-14`.
    #[default]
    Day,
    /// Only the month: `2025-08`.
    Month,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// A date, if it exists in the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month).contains(&day).then_some(Date {
            year,
            month,
            day,
            precision: Precision::Day,
        })
    }

    /// A month, where the day is not known.
    pub fn month(year: u16, month: u8) -> Option<Date> {
        Date::new(year, month, 1).map(|date| Date {
            precision: Precision::Month,
            ..date
        })
    }

    /// Parses `YYYY-MM-DD`, or `YYYY-MM` for a month.
    pub fn parse_day_or_month(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() == 7 && bytes[4] == b'-' && bytes[..4].iter().all(u8::is_ascii_digit) {
            let month = text[5..7].parse().ok()?;
            return Date::month(text[0..4].parse().ok()?, month);
        }
        Date::parse(text)
    }

    /// Whether only the month is known.
    pub fn is_month(&self) -> bool {
        self.precision == Precision::Month
    }

    /// The number of days since 1970-01-01 (of the first day, for a month).
    pub fn days_since_epoch(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` days after 1970-01-01, if it is between the years 0 and 65535.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// Today in UTC, from the system clock. Only `check`'s warnings may use it: the clock
    /// never reaches the output.
    pub fn today_utc() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let days = i64::try_from(seconds / 86_400).unwrap_or(0);
        Date::from_days_since_epoch(days).unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
            precision: Precision::Day,
        })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = text[0..4].parse().ok()?;
        let month = text[5..7].parse().ok()?;
        let day = text[8..10].parse().ok()?;
        Date::new(year, month, day)
    }

    /// The date as readers see it, e.g. `18 April 2025`, or `August 2025` for a month.
    pub fn display(&self) -> String {
        if self.is_month() {
            return format!("{} {}", MONTHS[usize::from(self.month) - 1], self.year);
        }
        format!(
            "{} {} {}",
            self.day,
            MONTHS[usize::from(self.month) - 1],
            self.year
        )
    }

    /// The date as RFC 3339 midnight UTC, for feeds: a month is dated by its first day.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            self.year, self.month, self.day
        )
    }
}

impl fmt::Display for Date {
    /// `2025-04-18`, or `2025-08` for a month (both valid in HTML's `datetime`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_month() {
            return write!(f, "{:04}-{:02}", self.year, self.month);
        }
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_date(deserializer, false)
    }
}

/// A date, or a month where only the month is known (`"2025-08"`): a tracker update's
/// `date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayOrMonth(pub Date);

impl<'de> serde::Deserialize<'de> for DayOrMonth {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_date(deserializer, true).map(DayOrMonth)
    }
}

/// A TOML date or a string holding one; also a month (`"2025-08"`) if `month_allowed`.
fn deserialize_date<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    month_allowed: bool,
) -> Result<Date, D::Error> {
    use serde::Deserialize;
    use serde::de::Error;
    let value = toml::Value::deserialize(deserializer)?;
    let text = match &value {
        toml::Value::Datetime(datetime) => {
            if datetime.time.is_some() || datetime.offset.is_some() || datetime.date.is_none() {
                return Err(D::Error::custom(format!(
                    "expected a date like 2025-04-18, found `{datetime}` (times are not used)"
                )));
            }
            datetime.to_string()
        }
        toml::Value::String(text) => text.clone(),
        other => {
            return Err(D::Error::custom(format!(
                "expected a date like 2025-04-18, found a {}",
                other.type_str()
            )));
        }
    };
    if month_allowed {
        return Date::parse_day_or_month(&text).ok_or_else(|| {
            D::Error::custom(format!(
                "`{text}` is neither a calendar date like 2025-04-18 nor a month like \"2025-08\""
            ))
        });
    }
    Date::parse(&text)
        .ok_or_else(|| D::Error::custom(format!("`{text}` is not a calendar date like 2025-04-18")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(Date::parse("2025-04-18"), Date::new(2025, 4, 18));
        assert_eq!(Date::parse("2024-02-29").map(|d| d.day), Some(29));
        assert_eq!(Date::parse("2025-02-29"), None);
        assert_eq!(Date::parse("2025-13-01"), None);
        assert_eq!(Date::parse("2025-7-1"), None);
    }

    #[test]
    fn displays_for_readers_and_feeds() {
        let date = Date::new(2025, 4, 18).unwrap();
        assert_eq!(date.display(), "18 April 2025");
        assert_eq!(date.to_string(), "2025-04-18");
        assert_eq!(date.rfc3339(), "2025-04-18T00:00:00Z");
    }

    #[test]
    fn deserializes_toml_dates_and_strings() {
        #[derive(serde::Deserialize)]
        struct Holder {
            date: Date,
        }
        let from_date: Holder = toml::from_str("date = 2025-04-18").unwrap();
        let from_string: Holder = toml::from_str("date = \"2025-04-18\"").unwrap();
        assert_eq!(from_date.date, from_string.date);
        let error = toml::from_str::<Holder>("date = 2025-04-18T10:00:00")
            .err()
            .unwrap();
        assert!(error.to_string().contains("times are not used"), "{error}");
        // A month is only for update dates.
        assert!(toml::from_str::<Holder>("date = \"2025-08\"").is_err());
    }

    #[test]
    fn months_display_sort_and_date_feeds_by_their_first_day() {
        #[derive(serde::Deserialize)]
        struct Holder {
            date: DayOrMonth,
        }
        let month = toml::from_str::<Holder>("date = \"2025-08\"")
            .unwrap()
            .date
            .0;
        assert_eq!(month, Date::month(2025, 8).unwrap());
        assert!(month.is_month());
        assert_eq!(month.display(), "August 2025");
        assert_eq!(month.to_string(), "2025-08");
        assert_eq!(month.rfc3339(), "2025-08-01T00:00:00Z");
        let day = toml::from_str::<Holder>("date = 2025-08-14")
            .unwrap()
            .date
            .0;
        assert!(!day.is_month());
        assert!(Date::new(2025, 7, 31).unwrap() < month);
        assert!(month < day);
        assert!(Date::new(2025, 8, 1).unwrap() < month);
        for bad in [
            "\"2025-8\"",
            "\"2025-13\"",
            "\"August 2025\"",
            "\"2025-08-32\"",
        ] {
            let error = toml::from_str::<Holder>(&format!("date = {bad}"))
                .err()
                .unwrap();
            assert!(error.to_string().contains("nor a month like"), "{error}");
        }
    }

    #[test]
    fn days_since_epoch_round_trips() {
        for (text, days) in [
            ("1970-01-01", 0),
            ("2000-03-01", 11_017),
            ("2026-05-31", 20_604),
        ] {
            let date = Date::parse(text).unwrap();
            assert_eq!(date.days_since_epoch(), days, "{text}");
            assert_eq!(Date::from_days_since_epoch(days), Some(date));
        }
        assert!(Date::today_utc().year >= 2025);
    }
}
