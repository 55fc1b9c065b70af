//! The English words too common to carry meaning, in one list for the two places that leave
//! them out: the search index and the importer's pledge slugs. This module imports nothing
//! from the crate.
//!
//! The two uses share most words but not all, and neither may change: the index's words are
//! published in its `meta.json`, and the search script leaves them out of queries too; the
//! slugs name files, which a later import must name the same way. So "us" is searchable (the
//! country) but left out of slugs (nearly every pledge of a US statement names it), and
//! "have" or "also" are indexed as stop words but kept in slugs.

/// Where a stop word is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// The search index of an English site, and the queries the search script reads.
    SearchIndex,
    /// The slug the importer drafts from a pledge's headline.
    PledgeSlug,
}

/// Every stop word, with whether the search index and the pledge slugs leave it out. The
/// index's words come first, in the order its `meta.json` lists them.
const WORDS: [(&str, bool, bool); 37] = [
    ("a", true, true),
    ("an", true, true),
    ("and", true, true),
    ("are", true, true),
    ("as", true, true),
    ("at", true, true),
    ("be", true, true),
    ("been", true, false),
    ("by", true, true),
    ("for", true, true),
    ("from", true, true),
    ("has", true, false),
    ("have", true, false),
    ("in", true, true),
    ("is", true, true),
    ("it", true, true),
    ("its", true, true),
    ("of", true, true),
    ("on", true, true),
    ("or", true, false),
    ("that", true, true),
    ("the", true, true),
    ("their", true, true),
    ("this", true, true),
    ("to", true, true),
    ("was", true, false),
    ("were", true, false),
    ("which", true, true),
    ("will", true, true),
    ("with", true, true),
    ("we", true, true),
    ("our", true, true),
    ("also", true, false),
    ("into", true, false),
    ("these", false, true),
    ("us", false, true),
    ("there", false, true),
];

fn applies(entry: &(&str, bool, bool), usage: Use) -> bool {
    match usage {
        Use::SearchIndex => entry.1,
        Use::PledgeSlug => entry.2,
    }
}

/// The stop words of `usage`, in the list's order.
pub fn words(usage: Use) -> impl Iterator<Item = &'static str> {
    WORDS
        .iter()
        .filter(move |entry| applies(entry, usage))
        .map(|entry| entry.0)
}

/// Italian words too common to carry meaning, for the search index of a site that declares
/// Italian (`it`): articles, prepositions and their contractions, conjunctions and the
/// commonest forms of "essere" and "avere". Written without accents, as the index folds them.
const ITALIAN: [&str; 60] = [
    "il", "lo", "la", "le", "gli", "un", "uno", "una", "di", "da", "in", "con", "su", "per", "tra",
    "fra", "del", "dello", "della", "dei", "degli", "delle", "al", "allo", "alla", "ai", "agli",
    "alle", "dal", "dallo", "dalla", "dai", "dagli", "dalle", "nel", "nello", "nella", "nei",
    "negli", "nelle", "sul", "sulla", "sui", "sulle", "che", "chi", "cui", "non", "come", "ed",
    "ma", "se", "anche", "sono", "ha", "hanno", "era", "questo", "questa", "si",
];

/// The search index's stop words for a language, by its BCP 47 primary subtag: English
/// (the `SearchIndex` words) and Italian; none for other languages.
pub fn search_words(language: &str) -> Vec<&'static str> {
    match language
        .split('-')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "en" => words(Use::SearchIndex).collect(),
        "it" => ITALIAN.to_vec(),
        _ => Vec::new(),
    }
}

/// Is `word` (lowercase) a stop word for `usage`?
pub fn is_stop_word(word: &str, usage: Use) -> bool {
    WORDS
        .iter()
        .any(|entry| entry.0 == word && applies(entry, usage))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_use_has_its_words() {
        assert_eq!(words(Use::SearchIndex).count(), 34);
        assert_eq!(words(Use::PledgeSlug).count(), 29);
        assert!(is_stop_word("the", Use::SearchIndex) && is_stop_word("the", Use::PledgeSlug));
        assert!(is_stop_word("have", Use::SearchIndex) && !is_stop_word("have", Use::PledgeSlug));
        assert!(!is_stop_word("us", Use::SearchIndex) && is_stop_word("us", Use::PledgeSlug));
        assert!(!is_stop_word("italy", Use::PledgeSlug));
    }

    #[test]
    fn each_search_language_has_its_words() {
        assert_eq!(search_words("en-GB").len(), 34);
        assert!(search_words("it").contains(&"della"));
        assert!(!search_words("it").contains(&"the"));
        assert!(search_words("fr").is_empty());
        // "ai" (Italian "to the") is a stop word only in Italian: English keeps "AI".
        assert!(!search_words("en").contains(&"ai"));
    }
}
