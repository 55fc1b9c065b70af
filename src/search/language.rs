//! The languages of the search index: each language the site declares has its Snowball
//! stemmer (through `rust-stemmers`) and its stop words (`stopwords`). A document's words are
//! indexed by their stem in the document's language; the index also ships every word form it
//! saw with its stem, so the script stems a query exactly as the index did, with no stemmer
//! of its own.

use rust_stemmers::{Algorithm, Stemmer};

use crate::stopwords;

/// One language of the index.
pub(super) struct Language {
    /// Its BCP 47 tag, as the site declares it.
    pub(super) tag: String,
    stemmer: Option<Stemmer>,
    pub(super) stopwords: Vec<&'static str>,
    /// The same, sorted, for `is_stop_word`.
    sorted_stopwords: Vec<&'static str>,
}

/// The Snowball algorithm for a BCP 47 tag's primary subtag, if `rust-stemmers` has one.
fn algorithm(tag: &str) -> Option<Algorithm> {
    let primary = tag
        .split('-')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "en" => Algorithm::English,
        "es" => Algorithm::Spanish,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nl" => Algorithm::Dutch,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    })
}

impl Language {
    pub(super) fn new(tag: &str) -> Language {
        let stopwords = stopwords::search_words(tag);
        let mut sorted_stopwords = stopwords.clone();
        sorted_stopwords.sort_unstable();
        Language {
            tag: tag.to_string(),
            stemmer: algorithm(tag).map(Stemmer::create),
            stopwords,
            sorted_stopwords,
        }
    }

    /// Whether a folded word is one of the language's stop words.
    pub(super) fn is_stop_word(&self, word: &str) -> bool {
        self.sorted_stopwords.binary_search(&word).is_ok()
    }

    /// The stem of a folded word; the word itself in a language without a stemmer. A stem
    /// is never empty, and never shorter than two characters unless the word was.
    pub(super) fn stem(&self, word: &str) -> String {
        match &self.stemmer {
            Some(stemmer) => {
                let stem = stemmer.stem(word);
                if stem.chars().nth(1).is_none() {
                    word.to_string()
                } else {
                    stem.into_owned()
                }
            }
            None => word.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_italian_words_stem_by_their_language() {
        let english = Language::new("en");
        assert_eq!(english.stem("pledges"), "pledg");
        assert_eq!(english.stem("pledged"), "pledg");
        assert_eq!(english.stem("cooperation"), "cooper");
        assert_eq!(english.stem("ai"), "ai");
        let italian = Language::new("it-IT");
        assert_eq!(italian.stem("economica"), italian.stem("economico"));
        assert!(italian.stopwords.contains(&"della"));
        assert_eq!(Language::new("xx").stem("words"), "words");
    }
}
