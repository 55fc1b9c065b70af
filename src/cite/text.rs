//! The plain-text citation: Chicago author-date style (17th ed.), adapted. Institutional
//! authors, then the year, the title in quotation marks, where it stands in its statement,
//! the site with its editors, the publisher, the access date and the URL:
//!
//! `United States and Italy. 2025. “Energy security.” ¶ 7 of the United States – Italy
//! Joint Leaders’ Statement, 18 April 2025. In Site, edited by The editors. The editors.
//! Accessed 31 May 2026. https://example.org/statements/…/#para-7.`
//!
//! Adapted: plain text has no italics, dates are written day first as the site writes
//! them, and the access date is the editors' last review.

use super::Citation;

/// The citation on one line.
pub(super) fn plain(citation: &Citation) -> String {
    let mut parts: Vec<String> = Vec::new();
    let title = format!("“{}”", sentence(&citation.title));
    if citation.authors.is_empty() {
        parts.push(title);
        parts.push(format!("{}.", citation.issued.year));
    } else {
        parts.push(sentence(&names(&citation.authors)));
        parts.push(format!("{}.", citation.issued.year));
        parts.push(title);
    }
    parts.push(sentence(&citation.note));
    let mut container = format!("In {}", citation.container);
    if !citation.editors.is_empty() {
        container.push_str(&format!(", edited by {}", names(&citation.editors)));
    }
    parts.push(sentence(&container));
    parts.push(sentence(&citation.publisher));
    parts.push(format!("Accessed {}.", citation.accessed.display()));
    parts.push(format!("{}.", citation.url));
    parts.join(" ")
}

/// `A`, `A and B`, `A, B, and C`.
fn names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

/// `text` ending in a full stop, unless it already ends in one, a question or an
/// exclamation mark (inside a closing quotation mark or not).
fn sentence(text: &str) -> String {
    let text = text.trim();
    let bare = text.trim_end_matches(['”', '’', '"', '\'', ')']);
    if bare.ends_with(['.', '?', '!']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_sentences_follow_chicago() {
        let list = |n: &[&str]| names(&n.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(list(&["Italy"]), "Italy");
        assert_eq!(list(&["United States", "Italy"]), "United States and Italy");
        assert_eq!(
            list(&["France", "Germany", "Italy"]),
            "France, Germany, and Italy"
        );
        assert_eq!(sentence("Done"), "Done.");
        assert_eq!(sentence("Done."), "Done.");
        assert_eq!(sentence("Why?"), "Why?");
    }
}
