//! The terms of the search index: how text becomes words, which shard a word is in, each
//! document's counted and weighted terms, and the delta encoding of document numbers.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::TITLE_BOOST;
use super::documents::Document;
use super::language::Language;

/// What a weight gains when the term is in the document's title or one of its aliases, so a
/// title match outranks any match in the text alone.
pub(super) const TITLE_BONUS: u32 = 100;

/// What a weight gains when the term is in one of the document's aliases but not its title.
pub(super) const ALIAS_BONUS: u32 = 60;

/// What a weight gains when the term names something the document is about (a pledge's
/// topics, countries and programs, by title or alias).
pub(super) const RELATED_BONUS: u32 = 30;

/// FNV-1a for the index's word tables: words are short, and the index is built from the
/// site's own content, so a fast hash beats a keyed one.
#[derive(Default)]
pub(super) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &byte in bytes {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map keyed by words.
pub(super) type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// A word of a text, and whether a hyphen joins it to the next word (`co-production`).
#[derive(Debug, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub hyphen_next: bool,
}

/// Diacritics removed (compatibility decomposition, then no combining marks), lowercased
/// character by character. Character by character is the same as NFKD of the whole text
/// here: canonical reordering only moves combining marks, which are removed.
pub(super) fn fold(text: &str) -> String {
    // Most text is ASCII, where folding is lowercasing.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
        } else {
            decompose_compatible(c, |d| {
                if !is_combining_mark(d) {
                    folded.extend(d.to_lowercase());
                }
            });
        }
    }
    folded
}

/// Calls `each(word, hyphen_next)` for every word of a folded text: runs of letters and
/// numbers, with dotted initials joined (`u.s.` → `us`) and words of one character dropped;
/// `hyphen_next` says whether a hyphen (`-`, U+2010, U+2011) alone separates the word from
/// the next.
pub(super) fn each_word<'a>(folded: &'a str, mut each: impl FnMut(Cow<'a, str>, bool)) {
    // Runs of letters and numbers, each with the separator that follows it.
    let mut runs: Vec<(&str, &str)> = Vec::new();
    let mut rest = folded;
    while let Some(start) = rest.find(char::is_alphanumeric) {
        rest = &rest[start..];
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let word = &rest[..end];
        rest = &rest[end..];
        let separator_end = rest.find(char::is_alphanumeric).unwrap_or(rest.len());
        runs.push((word, &rest[..separator_end]));
        rest = &rest[separator_end..];
    }
    let single = |word: &str| word.chars().nth(1).is_none();
    let mut i = 0;
    while i < runs.len() {
        let (word, mut separator) = runs[i];
        let mut text = Cow::Borrowed(word);
        // Initials: one-character words separated by single dots.
        if single(word) {
            while separator == "." && runs.get(i + 1).is_some_and(|r| single(r.0)) {
                i += 1;
                text.to_mut().push_str(runs[i].0);
                separator = runs[i].1;
            }
        }
        i += 1;
        if !single(&text) {
            let hyphen = matches!(separator, "-" | "\u{2010}" | "\u{2011}") && i < runs.len();
            each(text, hyphen);
        }
    }
}

/// The words of `text` as the index and the script see them: folded, split on everything
/// that is neither a letter nor a number, with dotted initials joined (`U.S.` → `us`) and
/// words of one character dropped. Each word says whether a hyphen alone separates it from
/// the next word.
pub fn words(text: &str) -> Vec<Word> {
    let folded = fold(text);
    let mut out = Vec::new();
    each_word(&folded, |word, hyphen_next| {
        out.push(Word {
            text: word.into_owned(),
            hyphen_next,
        })
    });
    out
}

/// The words of `text`, without the hyphen marks.
pub fn tokens(text: &str) -> Vec<String> {
    words(text).into_iter().map(|w| w.text).collect()
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

/// How often a word occurs in a document (title and aliases counted `TITLE_BOOST` times),
/// and whether it is in the title or an alias.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Count {
    pub(super) times: u32,
    /// The most the term gains for being in the title (`TITLE_BONUS`) or an alias.
    pub(super) bonus: u32,
}

/// How often each indexed word occurs in a document, and the document's length. Hyphenated
/// words are also counted joined (`co-production` gives `co`, `production` and
/// `coproduction`), so either spelling finds the other.
pub(super) fn term_counts(
    document: &Document,
    language: &Language,
) -> (Vec<(String, Count)>, usize) {
    let mut fields: Vec<(String, u32, u32)> =
        vec![(fold(&document.title), TITLE_BOOST, TITLE_BONUS)];
    fields.extend(
        document
            .aliases
            .iter()
            .map(|a| (fold(a), TITLE_BOOST, ALIAS_BONUS)),
    );
    fields.push((fold(&document.text), 1, 0));
    fields.extend(document.reason.iter().map(|r| (fold(r), 1, 0)));
    fields.extend(document.related.iter().map(|r| (fold(r), 1, RELATED_BONUS)));
    fields.extend(document.keywords.iter().map(|k| (fold(k), 1, 0)));
    let mut counts: WordMap<Cow<'_, str>, Count> = WordMap::default();
    let mut length = 0;
    for (folded, times, bonus) in &fields {
        let mut joined = String::new();
        let mut previous_hyphen = false;
        each_word(folded, |word, hyphen_next| {
            length += *times as usize;
            if previous_hyphen {
                joined.push_str(&word);
            } else {
                joined.clear();
            }
            if !hyphen_next && previous_hyphen {
                add(&mut counts, Cow::Owned(joined.clone()), *times, *bonus);
            }
            if hyphen_next && !previous_hyphen {
                joined.push_str(&word);
            }
            previous_hyphen = hyphen_next;
            if !language.is_stop_word(&word) {
                add(&mut counts, word, *times, *bonus);
            }
        });
    }
    let counts = counts
        .into_iter()
        .map(|(word, count)| (word.into_owned(), count))
        .collect();
    (counts, length)
}

fn add<'a>(counts: &mut WordMap<Cow<'a, str>, Count>, word: Cow<'a, str>, times: u32, bonus: u32) {
    let count = counts.entry(word).or_default();
    count.times += times;
    count.bonus = count.bonus.max(bonus);
}

/// Each term of a document with its weight: BM25's term-frequency part (1 to 100), from the
/// term's count and the document's length, plus its title or alias bonus, all times the
/// document's prior (a percentage: pledges, what the site is about, come before the pages
/// about them when both match as well).
pub(super) fn weighted_terms<'a>(
    counts: impl IntoIterator<Item = (&'a str, Count)>,
    length: usize,
    average_length: f64,
    prior: u32,
) -> Vec<(&'a str, u32)> {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    let norm = K1 * (1.0 - B + B * length as f64 / average_length.max(1.0));
    counts
        .into_iter()
        .map(|(term, count)| {
            let tf = f64::from(count.times);
            let weight = tf * (K1 + 1.0) / (tf + norm) / (K1 + 1.0) * 100.0;
            let weight = (weight.round() as u32).clamp(1, 100) + count.bonus;
            (term, (weight * prior / 100).max(1))
        })
        .collect()
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
                "meloni", "india", "middle", "east", "corridor", "5g", "us", "pledge"
            ]
        );
    }

    #[test]
    fn initials_join_and_hyphens_are_marked() {
        let found = words("U.S.-Italy co-production, e.g. A.I.");
        let texts: Vec<&str> = found.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["us", "italy", "co", "production", "eg", "ai"]);
        let hyphens: Vec<bool> = found.iter().map(|w| w.hyphen_next).collect();
        assert_eq!(hyphens, [false, false, true, false, false, false]);
        // An en dash does not join: "India–Middle" stays two words.
        assert!(!words("India–Middle")[0].hyphen_next);
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
