//! The terms of the search index: how text becomes words, which shard a word is in, each
//! document's weighted terms, and the delta encoding of document numbers.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::TITLE_BOOST;
use super::documents::Document;

/// The words of `text` as the index and the script see them: diacritics removed,
/// lowercased, split on everything that is neither a letter nor a number. Words of one
/// character are dropped.
pub fn tokens(text: &str) -> Vec<String> {
    // Most text is ASCII, where folding is lowercasing: skip the decomposition.
    let folded: String = if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.nfkd()
            .filter(|c| !is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect()
    };
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().nth(1).is_some())
        .map(str::to_string)
        .collect()
}

/// The shard a term is in: its first two characters, each kept if in `[a-z0-9]`, otherwise
/// written as `_<hex>_`.
pub fn shard_key(term: &str) -> String {
    let mut key = String::new();
    for c in term.chars().take(2) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            key.push(c);
        } else {
            key.push_str(&format!("_{:x}_", c as u32));
        }
    }
    key
}

/// Each term of a document with its weight (1 to 100): BM25's term-frequency part, from the
/// document's term counts and length (title counted `TITLE_BOOST` times).
pub(super) fn weighted_terms(
    counts: BTreeMap<String, u32>,
    length: usize,
    average_length: f64,
) -> Vec<(String, u32)> {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    let norm = K1 * (1.0 - B + B * length as f64 / average_length.max(1.0));
    counts
        .into_iter()
        .map(|(term, tf)| {
            let tf = f64::from(tf);
            let weight = tf * (K1 + 1.0) / (tf + norm) / (K1 + 1.0) * 100.0;
            (term, (weight.round() as u32).clamp(1, 100))
        })
        .collect()
}

/// How often each indexed term occurs in a document (title boosted), and its length.
pub(super) fn term_counts(
    document: &Document,
    stopwords: &[&str],
) -> (BTreeMap<String, u32>, usize) {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    let mut length = 0;
    let mut add = |text: &str, times: u32| {
        for token in tokens(text) {
            length += times as usize;
            if stopwords.contains(&token.as_str()) {
                continue;
            }
            *counts.entry(token).or_default() += times;
        }
    };
    add(&document.title, TITLE_BOOST);
    add(&document.text, 1);
    if let Some(status) = &document.status {
        add(status, 1);
    }
    for keyword in &document.keywords {
        add(keyword, 1);
    }
    (counts, length)
}

/// Delta-encodes sorted document numbers: the first as it is, then each minus the one
/// before. Filter values and term postings are both written so.
pub(super) fn deltas(documents: impl IntoIterator<Item = u32>) -> impl Iterator<Item = u32> {
    let mut previous = 0;
    documents.into_iter().map(move |d| {
        let delta = d - previous;
        previous = d;
        delta
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_fold_case_and_diacritics_and_split_on_punctuation() {
        let words = tokens("Méloni's India–Middle East Corridor, 5G & a U.S. pledge");
        assert_eq!(
            words,
            [
                "meloni", "india", "middle", "east", "corridor", "5g", "pledge"
            ]
        );
    }

    #[test]
    fn shard_keys_are_safe_file_names() {
        assert_eq!(shard_key("energy"), "en");
        assert_eq!(shard_key("żubr"), "_17c_u");
        assert_eq!(shard_key("5g"), "5g");
    }

    #[test]
    fn deltas_encode_sorted_numbers() {
        assert_eq!(
            deltas([0, 1, 2, 3, 10]).collect::<Vec<_>>(),
            [0, 1, 1, 1, 7]
        );
    }
}
