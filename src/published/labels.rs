//! The labels communiqués print before their paragraphs and sub-points, recognised at the
//! start of a line or paragraph and kept as published.
//!
//! - A **paragraph number** is one to three digits and a full stop (`7.`), followed by
//!   whitespace, or alone on its line.
//! - A **sub-point label** is a letter, up to two lowercase letters, a roman numeral or one
//!   or two digits in brackets (`(a)`, `(aa)`, `(iv)`, `(A)`, `(1)`), or a lowercase letter,
//!   a roman numeral or one or two digits followed by `)` (`a)`, `iv)`, `1)`), or a
//!   lowercase letter or a roman numeral followed by a full stop (`a.`, `iv.`), followed by
//!   whitespace; or a bullet (`•`, `-`, `–`, `*`, `·`, `▪`), whose label is empty.

/// The paragraph number opening `text` and the text after it (trimmed), if it opens with one.
pub fn paragraph_number(text: &str) -> Option<(&str, &str)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 || text.as_bytes().get(digits) != Some(&b'.') {
        return None;
    }
    let rest = &text[digits + 1..];
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let number = &text[..digits];
    (number != "0").then_some((number, rest.trim_start()))
}

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b"ivxlc".contains(&b))
}

/// The sub-point label opening `text` (empty for a bullet) and the text after it, if it
/// opens with one and has text after it.
pub fn sub_point(text: &str) -> Option<(&str, &str)> {
    for bullet in ['•', '-', '–', '*', '·', '▪'] {
        if let Some(rest) = text.strip_prefix(bullet)
            && rest.starts_with(char::is_whitespace)
            && !rest.trim().is_empty()
        {
            return Some(("", rest.trim_start()));
        }
    }
    let end = text.find(char::is_whitespace)?;
    let (label, rest) = text.split_at(end);
    if rest.trim().is_empty() {
        return None;
    }
    let ok = if let Some(inner) = label.strip_prefix('(').and_then(|l| l.strip_suffix(')')) {
        let lower = inner.len() <= 2 && inner.bytes().all(|b| b.is_ascii_lowercase());
        let upper = inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_uppercase());
        let digits = inner.len() <= 2 && inner.bytes().all(|b| b.is_ascii_digit());
        lower || upper || digits || is_roman(inner)
    } else if let Some(inner) = label.strip_suffix(')') {
        let letter = inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_lowercase());
        let digits =
            !inner.is_empty() && inner.len() <= 2 && inner.bytes().all(|b| b.is_ascii_digit());
        letter || digits || is_roman(inner)
    } else if let Some(inner) = label.strip_suffix('.') {
        let letter = inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_lowercase());
        letter || is_roman(inner)
    } else {
        false
    };
    ok.then(|| (label, rest.trim_start()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_labels() {
        assert_eq!(paragraph_number("7. We agree."), Some(("7", "We agree.")));
        assert_eq!(paragraph_number("12."), Some(("12", "")));
        assert_eq!(paragraph_number("2025. was"), None);
        assert_eq!(paragraph_number("3.5 percent"), None);
        assert_eq!(paragraph_number("0. x"), None);
        for (text, label) in [
            ("(a) to act;", "(a)"),
            ("(iv) to act;", "(iv)"),
            ("(A) to act;", "(A)"),
            ("(1) to act;", "(1)"),
            ("a) to act;", "a)"),
            ("iii. to act;", "iii."),
            ("b. to act;", "b."),
            ("• to act;", ""),
            ("- to act;", ""),
        ] {
            assert_eq!(sub_point(text), Some((label, "to act;")), "{text}");
        }
        for text in [
            "(KUNA) said",
            "(a)",
            "e.g. this",
            "A. Smith said",
            "-5 degrees",
            "Allies (a) b",
        ] {
            assert_eq!(sub_point(text), None, "{text}");
        }
    }
}
