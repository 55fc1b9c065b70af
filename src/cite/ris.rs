//! A citation as a RIS record: one `TAG  - value` line per field, ending `ER  - `, lines
//! ending in CR LF as the format's specification has them. A value is one line: line breaks
//! in it become spaces. The governments are `AU` (institutional names, no comma, so no
//! reader splits them into family and given names), the editors `ED`, the site `T2`, the
//! access date `Y2`.

use super::Citation;
use crate::model::Date;

/// The record, ending in CR LF.
pub(super) fn record(citation: &Citation) -> String {
    let mut lines: Vec<(&str, String)> =
        vec![("TY", "WEB".to_string()), ("ID", citation.id.clone())];
    for author in &citation.authors {
        lines.push(("AU", author.clone()));
    }
    lines.push(("TI", citation.title.clone()));
    lines.push(("T2", citation.container.clone()));
    if let Some(statement) = &citation.statement {
        lines.push(("T3", statement.clone()));
    }
    for editor in &citation.editors {
        lines.push(("ED", editor.clone()));
    }
    lines.push(("PB", citation.publisher.clone()));
    if let Some(place) = &citation.place {
        lines.push(("CY", place.clone()));
    }
    lines.push(("PY", citation.issued.year.to_string()));
    lines.push(("DA", date(citation.issued)));
    lines.push(("Y2", date(citation.accessed)));
    lines.push(("UR", citation.url.clone()));
    lines.push(("N1", citation.note.clone()));
    let mut out = String::new();
    for (tag, value) in lines {
        out.push_str(&format!("{tag}  - {}\r\n", one_line(&value)));
    }
    out.push_str("ER  - \r\n");
    out
}

/// `2025/04/18/`, RIS's date form (`2025/08//` for a month).
fn date(date: Date) -> String {
    if date.is_month() {
        format!("{:04}/{:02}//", date.year, date.month)
    } else {
        format!("{:04}/{:02}/{:02}/", date.year, date.month, date.day)
    }
}

/// A value on one line, without control characters.
fn one_line(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_values_keep_to_one_line() {
        assert_eq!(date(Date::parse("2025-04-18").unwrap()), "2025/04/18/");
        assert_eq!(date(Date::month(2025, 8).unwrap()), "2025/08//");
        assert_eq!(one_line(" a\r\nER  - b "), "a  ER  - b");
    }
}
