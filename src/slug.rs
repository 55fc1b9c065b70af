//! The one rule for slugs: what a valid slug is, and how free text becomes one. Content file
//! names, heading ids and the importer's file names all come from here. This module imports
//! nothing from the crate.
//!
//! A slug is made of the text's words, lowercased and joined by `-`. A word is a run of ASCII
//! letters and digits; every other character ends it, except the ones a caller asks to drop,
//! which vanish without ending the word.

/// Is `slug` made only of lowercase ASCII letters, digits and `-`, and does it not start
/// with `-`?
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A slug from free text: its first `max_words` words, lowercased and joined by `-`.
/// Characters in `dropped` are skipped without ending a word, so with `['.']` `U.S.` is the
/// one word `us`, and without it the two words `u` and `s`. Gives an empty string for text
/// with no ASCII letter or digit.
pub fn from_text(text: &str, dropped: &[char], max_words: usize) -> String {
    let mut slug = String::new();
    let mut n_words = 0;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if !in_word {
                if n_words == max_words {
                    break;
                }
                if n_words > 0 {
                    slug.push('-');
                }
                n_words += 1;
                in_word = true;
            }
            slug.push(c.to_ascii_lowercase());
        } else if !dropped.contains(&c) {
            in_word = false;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_slugs() {
        assert!(is_valid("us-italy-2025"));
        assert!(is_valid("a--b-"));
        assert!(!is_valid("Us"));
        assert!(!is_valid(""));
        assert!(!is_valid("-x"));
        assert!(!is_valid("a_b"));
    }

    #[test]
    fn words_joined_by_dashes() {
        assert_eq!(
            from_text("  Hello, World! ", &[], usize::MAX),
            "hello-world"
        );
        assert_eq!(from_text("U.S. – Italy", &[], usize::MAX), "u-s-italy");
        assert_eq!(from_text("U.S. – Italy", &['.'], usize::MAX), "us-italy");
        assert_eq!(
            from_text("Leaders’ plan", &['’'], usize::MAX),
            "leaders-plan"
        );
        assert_eq!(from_text("one two three", &[], 2), "one-two");
        assert_eq!(from_text("one two", &[], 0), "");
        assert_eq!(from_text("Été ça", &[], usize::MAX), "t-a");
        assert_eq!(from_text("—", &[], usize::MAX), "");
    }
}
