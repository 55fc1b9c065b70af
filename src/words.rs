//! Cutting text at word boundaries: a description shortened for a link preview, a title
//! wrapped into the lines of a card. Counted in characters, not bytes. This module imports
//! nothing from the crate.

/// `text` with its whitespace collapsed, cut at the last word boundary that keeps it within
/// `max` characters, ellipsis included, with `…` added where something was cut. A first
/// word longer than `max` is cut inside.
pub fn shorten(text: &str, max: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let whole = words.join(" ");
    if whole.chars().count() <= max {
        return whole;
    }
    let mut kept = String::new();
    for word in &words {
        let more = usize::from(!kept.is_empty()) + word.chars().count();
        if kept.chars().count() + more + 1 > max {
            break;
        }
        if !kept.is_empty() {
            kept.push(' ');
        }
        kept.push_str(word);
    }
    if kept.is_empty() {
        kept = whole.chars().take(max.saturating_sub(1)).collect();
    }
    let kept = kept.trim_end_matches([',', ';', ':', '.', '-', '–', '—']);
    format!("{kept}…")
}

/// `text` wrapped at word boundaries into at most `max_lines` lines of at most `width`
/// characters each; the last line ends in `…` when words were left over. A word longer than
/// a line is cut.
pub fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let word: String = word.chars().take(width).collect();
        let needed =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if needed > width && !current.is_empty() {
            lines.push(std::mem::take(&mut current));
            if lines.len() == max_lines {
                let rest = words[i..].join(" ");
                let last = lines.pop().unwrap_or_default();
                lines.push(shorten(&format!("{last} {rest}"), width));
                return lines;
            }
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_at_a_word_with_an_ellipsis() {
        assert_eq!(shorten("short  text", 20), "short text");
        assert_eq!(shorten("one two three four", 12), "one two…");
        assert_eq!(shorten("alpha, beta gamma", 12), "alpha, beta…");
        assert_eq!(shorten("alpha, beta gamma", 8), "alpha…");
        assert_eq!(shorten("abcdefghijkl", 5), "abcd…");
        let long = "word ".repeat(100);
        let cut = shorten(&long, 200);
        assert!(
            cut.chars().count() <= 200 && cut.ends_with("word…"),
            "{cut}"
        );
    }

    #[test]
    fn wraps_at_words_within_the_width_and_the_lines() {
        assert_eq!(wrap("aa bb cc", 5, 3), ["aa bb", "cc"]);
        assert_eq!(wrap("aa bb cc dd ee ff", 5, 2), ["aa bb", "cc…"]);
        for line in wrap(&"lorem ipsum dolor ".repeat(20), 28, 4) {
            assert!(line.chars().count() <= 28, "{line}");
        }
    }
}
