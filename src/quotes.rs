//! Finding a quoted passage in a text the way a reader would: whitespace and typographic
//! quotes do not count, so a quote copied from a web page is found in the plain-text source.
//! Coverage quotes are checked with it (`model::relations`), and sources mark their cited
//! passages with it (`provenance`). This module imports nothing from the crate.

/// Normalises text for quote matching: typographic quotes become ASCII ones and every run of
/// whitespace becomes one space. Returns the normalised text and, for each of its bytes, the
/// byte offset in `text` it came from.
pub fn normalize_for_quotes(text: &str) -> (String, Vec<usize>) {
    let mut normalized = String::with_capacity(text.len());
    let mut origins = Vec::with_capacity(text.len());
    let mut in_space = true;
    for (offset, c) in text.char_indices() {
        let mapped = match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if mapped == ' ' {
            if in_space {
                continue;
            }
            in_space = true;
        } else {
            in_space = false;
        }
        let mut buffer = [0; 4];
        for _ in mapped.encode_utf8(&mut buffer).bytes() {
            origins.push(offset);
        }
        normalized.push(mapped);
    }
    if normalized.ends_with(' ') {
        normalized.pop();
        origins.pop();
    }
    (normalized, origins)
}

/// A text normalised once for quote matching, so that many quotes can be looked up in it
/// without normalising it again for each.
#[derive(Debug, Clone)]
pub struct QuoteIndex<'a> {
    text: &'a str,
    normalized: String,
    origins: Vec<usize>,
}

impl<'a> QuoteIndex<'a> {
    /// Normalises `text`.
    pub fn new(text: &'a str) -> Self {
        let (normalized, origins) = normalize_for_quotes(text);
        QuoteIndex {
            text,
            normalized,
            origins,
        }
    }

    /// The length of the normalised text, in bytes: what one search reads.
    pub fn searched_bytes(&self) -> usize {
        self.normalized.len()
    }

    /// Finds `quote` with whitespace and typographic quotes normalised, returning the byte
    /// range it covers in the original text.
    pub fn find(&self, quote: &str) -> Option<std::ops::Range<usize>> {
        let (normal_quote, _) = normalize_for_quotes(quote);
        if normal_quote.is_empty() {
            return None;
        }
        let start = self.normalized.find(&normal_quote)?;
        let last = start + normal_quote.len() - 1;
        let end_char_start = self.origins[last];
        let end = end_char_start
            + self.text[end_char_start..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
        Some(self.origins[start]..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_match_across_whitespace_and_typography() {
        let text = "The U.S. and Italy’s  \n leaders said \u{201C}yes\u{201D}.";
        let index = QuoteIndex::new(text);
        let range = index.find("Italy's leaders said \"yes\"").unwrap();
        assert_eq!(&text[range], "Italy’s  \n leaders said \u{201C}yes\u{201D}");
        assert!(index.find("Italy said").is_none());
        assert!(index.find("   ").is_none());
    }
}
