//! Calendar dates as front matter writes them (`2025-04-18`), without times or zones.

use std::fmt;

use serde::Serialize;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, e.g. 2025.
    pub year: u16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
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
        (1..=days_in_month)
            .contains(&day)
            .then_some(Date { year, month, day })
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

    /// The date as readers see it, e.g. `18 April 2025`.
    pub fn display(&self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS[usize::from(self.month) - 1],
            self.year
        )
    }

    /// The date as RFC 3339 midnight UTC, for feeds.
    pub fn rfc3339(&self) -> String {
        format!("{self}T00:00:00Z")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
        Date::parse(&text).ok_or_else(|| {
            D::Error::custom(format!("`{text}` is not a calendar date like 2025-04-18"))
        })
    }
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
    }
}
