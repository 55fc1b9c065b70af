//! Dates as statements print them: `18 April 2025`, `April 18, 2025`, `2025-04-18`, with
//! or without a weekday, a place (`Brussels, 14 June 2021`) or a label (`Published:`).

/// A calendar day found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    /// The year, 1000 to 2999.
    pub year: u16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day, 1 to 31.
    pub day: u8,
}

impl Day {
    /// `2025-04-18`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    fn new(year: u32, month: u32, day: u32) -> Option<Day> {
        let valid =
            (1000..3000).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day);
        valid.then_some(Day {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }
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

/// The month a word names (`April`, `Apr`, `Sept.`), 1 to 12.
fn month_of(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == word || (word.len() <= 4 && m.starts_with(&word)))
        .map(|i| i as u32 + 1)
}

fn number(word: &str) -> Option<u32> {
    let digits = word
        .trim_end_matches(['.', ','])
        .trim_end_matches("st")
        .trim_end_matches("nd")
        .trim_end_matches("rd")
        .trim_end_matches("th");
    (!digits.is_empty() && digits.len() <= 4 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

fn iso(word: &str) -> Option<Day> {
    let word = word.trim_end_matches(['.', ',']);
    let b = word.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    Day::new(
        word[..4].parse().ok()?,
        word[5..7].parse().ok()?,
        word[8..].parse().ok()?,
    )
}

/// The first date in `words`, with the index of its first word and the number of words it
/// takes.
fn find_in(words: &[&str]) -> Option<(Day, usize, usize)> {
    for (i, word) in words.iter().enumerate() {
        if let Some(day) = iso(word) {
            return Some((day, i, 1));
        }
        let next = |k: usize| words.get(i + k).copied().unwrap_or("");
        // 18 April 2025
        if let (Some(d), Some(m), Some(y)) = (number(word), month_of(next(1)), number(next(2)))
            && let Some(day) = Day::new(y, m, d)
        {
            return Some((day, i, 3));
        }
        // April 18, 2025
        if let (Some(m), Some(d), Some(y)) = (month_of(word), number(next(1)), number(next(2)))
            && let Some(day) = Day::new(y, m, d)
        {
            return Some((day, i, 3));
        }
    }
    None
}

/// The first date anywhere in `text`.
pub fn find(text: &str) -> Option<Day> {
    let words: Vec<&str> = text.split_whitespace().collect();
    find_in(&words).map(|(day, _, _)| day)
}

/// The date of a line that is a date line: a date alone, or after a place and a comma
/// (`Brussels, 14 June 2021`), a weekday (`Friday, April 18, 2025`) or a label ending in
/// a colon (`Published: 18 April 2025`) or a word such as `Published`, `Issued` or `on`, in
/// at most ten words, with nothing after it but a
/// full stop.
pub fn date_line(line: &str) -> Option<Day> {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 10 {
        return None;
    }
    let (day, at, taken) = find_in(&words)?;
    let after = &words[at + taken..];
    if !after.is_empty() {
        return None;
    }
    let before = words[..at].join(" ");
    let before = before.trim();
    let last = before.rsplit(' ').next().unwrap_or("").to_lowercase();
    let labelled = [
        "on",
        "published",
        "updated",
        "posted",
        "issued",
        "released",
        "dated",
        "date",
    ]
    .contains(&last.as_str());
    (before.is_empty() || before.ends_with([',', ':', '–', '—', '-']) || labelled).then_some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_forms() {
        let day = Some(Day {
            year: 2025,
            month: 4,
            day: 18,
        });
        for line in [
            "18 April 2025",
            "April 18, 2025",
            "2025-04-18",
            "Friday, April 18, 2025",
            "Published: 18 April 2025",
            "Washington, D.C., April 18th, 2025",
            "Apr. 18, 2025.",
        ] {
            assert_eq!(date_line(line), day, "{line}");
        }
        assert_eq!(
            date_line("Brussels, 14 June 2021").map(|d| d.iso()),
            Some("2021-06-14".into())
        );
        assert_eq!(date_line("The leaders met on 18 April 2025 to talk."), None);
        assert_eq!(date_line("Allies met 18 April 2025"), None);
        assert_eq!(date_line("31 February 2025").map(|d| d.day), Some(31));
        assert_eq!(find("They met on April 18, 2025 in Rome."), day);
        assert_eq!(date_line("May 2025"), None);
    }
}
