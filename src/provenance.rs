//! Provenance: how a report's quote compares with the official wording, what a report asserts
//! that the official text does not, and which passages of a source pledges cite.
//!
//! Pure text functions; no I/O and no knowledge of pages.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::escape::escape_html;
use crate::quotes::{QuoteIndex, normalize_for_quotes};

/// A report's quote set against the official wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteComparison {
    /// The quote with the official words it dropped in `<del>` and its own additions in
    /// `<ins>`, as escaped HTML.
    pub diff_html: String,
    /// The share of the quote's words found, in order, in the official wording (0–100).
    pub verbatim_percent: u32,
    /// Figures and names in the quote that the whole official text never states.
    pub additions: Vec<String>,
}

fn comparable(word: &str) -> String {
    let (normalized, _) = normalize_for_quotes(word);
    normalized
        .trim_matches(|c: char| !c.is_alphanumeric())
        .replace('.', "")
        .to_lowercase()
}

/// A statement's whole official text, prepared once for the [`additions`] of every quote.
#[derive(Debug, Clone)]
pub struct OfficialText {
    normalized: String,
    name_words: String,
}

impl OfficialText {
    /// Prepares `document`.
    pub fn new(document: &str) -> Self {
        let (normalized, _) = normalize_for_quotes(document);
        // Names are compared without dots or case: "US" is the statement's "U.S.".
        let name_words = format!(" {} ", name_key(&normalized));
        OfficialText {
            normalized,
            name_words,
        }
    }

    fn has_figure(&self, figure: &str) -> bool {
        self.normalized.contains(figure)
    }

    fn has_name(&self, phrase: &str) -> bool {
        self.name_words.contains(&format!(" {} ", name_key(phrase)))
    }
}

/// Compares `quote` with `official` (the pledge's wording) word by word, and lists what the
/// quote adds that `official_document` (the whole statement) never says.
pub fn compare_quote(
    official: &str,
    quote: &str,
    official_document: &OfficialText,
) -> QuoteComparison {
    let official_words: Vec<&str> = official.split_whitespace().collect();
    let quote_words: Vec<&str> = quote.split_whitespace().collect();
    let official_keys: Vec<String> = official_words.iter().map(|w| comparable(w)).collect();
    let quote_keys: Vec<String> = quote_words.iter().map(|w| comparable(w)).collect();
    let ops = capture_diff_slices(Algorithm::Patience, &official_keys, &quote_keys);

    // Official words before the first and after the last shared word are outside the quote.
    let first_equal = ops.iter().position(|op| matches!(op, DiffOp::Equal { .. }));
    let last_equal = ops
        .iter()
        .rposition(|op| matches!(op, DiffOp::Equal { .. }));
    let mut html = Vec::new();
    let mut n_equal = 0;
    for (i, op) in ops.iter().enumerate() {
        let inside =
            first_equal.is_some_and(|first| i > first) && last_equal.is_some_and(|last| i < last);
        match *op {
            DiffOp::Equal { new_index, len, .. } => {
                n_equal += len;
                html.push(escape_html(
                    &quote_words[new_index..new_index + len].join(" "),
                ));
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                if inside {
                    html.push(format!(
                        "<del>{}</del>",
                        escape_html(&official_words[old_index..old_index + old_len].join(" "))
                    ));
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                html.push(format!(
                    "<ins>{}</ins>",
                    escape_html(&quote_words[new_index..new_index + new_len].join(" "))
                ));
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                if inside {
                    html.push(format!(
                        "<del>{}</del>",
                        escape_html(&official_words[old_index..old_index + old_len].join(" "))
                    ));
                }
                html.push(format!(
                    "<ins>{}</ins>",
                    escape_html(&quote_words[new_index..new_index + new_len].join(" "))
                ));
            }
        }
    }
    let verbatim_percent = if quote_words.is_empty() {
        0
    } else {
        (n_equal * 100 / quote_words.len()) as u32
    };
    QuoteComparison {
        diff_html: html.join(" "),
        verbatim_percent,
        additions: additions(quote, official_document),
    }
}

/// Figures (any word with a digit) and capitalised names in `quote` that `document` never
/// contains. A capitalised word opening a sentence is not taken for a name.
pub fn additions(quote: &str, document: &OfficialText) -> Vec<String> {
    let names_absent = |phrase: &str| !document.has_name(phrase);
    let words: Vec<&str> = quote.split_whitespace().collect();
    let mut found: Vec<String> = Vec::new();
    let mut name: Vec<&str> = Vec::new();
    let flush = |name: &mut Vec<&str>, found: &mut Vec<String>| {
        if !name.is_empty() {
            let phrase = name.join(" ");
            let phrase = phrase
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_string();
            if !phrase.is_empty() && names_absent(&phrase) && !found.contains(&phrase) {
                found.push(phrase);
            }
            name.clear();
        }
    };
    for (i, word) in words.iter().enumerate() {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '%' && c != '$');
        // A possessive ends a name: "Italy's Single Special Economic Zone" is two names.
        let (bare, possessive) = match bare.strip_suffix("'s").or_else(|| bare.strip_suffix("’s"))
        {
            Some(stem) => (stem, true),
            None => (bare, false),
        };
        let opens_sentence = i == 0 || words[i - 1].ends_with(['.', '!', '?', ':']);
        let is_figure =
            bare.chars().any(|c| c.is_ascii_digit()) && !bare.chars().any(char::is_alphabetic);
        if possessive
            && bare.chars().next().is_some_and(char::is_uppercase)
            && (!opens_sentence || !name.is_empty())
        {
            name.push(bare);
            flush(&mut name, &mut found);
        } else if is_figure {
            flush(&mut name, &mut found);
            let figure = bare.to_string();
            if !document.has_figure(&figure) && !found.contains(&figure) {
                found.push(figure);
            }
        } else if bare
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || (c.is_ascii_digit() && !name.is_empty()))
            && (!opens_sentence || bare.chars().any(|c| c.is_ascii_digit()))
            && bare.len() > 1
        {
            // Names, including ones with digits such as "G20".
            name.push(bare);
            if word.ends_with([',', '.', ';', ':', '!', '?']) {
                flush(&mut name, &mut found);
            }
        } else if !name.is_empty()
            && matches!(bare, "of" | "for" | "and" | "on")
            && i + 1 < words.len()
        {
            // "Office on Drugs and Crime": small words inside a name.
            name.push(bare);
        } else {
            flush(&mut name, &mut found);
        }
    }
    flush(&mut name, &mut found);
    // A name ending in a small word ("Office of") is cut back to its capitalised part.
    found
        .into_iter()
        .map(|phrase| {
            let mut parts: Vec<&str> = phrase.split(' ').collect();
            while parts
                .last()
                .is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase))
            {
                parts.pop();
            }
            parts.join(" ")
        })
        .filter(|phrase| {
            let is_figure = phrase.chars().any(|c| c.is_ascii_digit());
            !phrase.is_empty()
                && if is_figure {
                    !document.has_figure(phrase.as_str())
                } else {
                    names_absent(phrase)
                }
        })
        .fold(Vec::new(), |mut unique: Vec<String>, phrase| {
            if !unique.contains(&phrase) {
                unique.push(phrase);
            }
            unique
        })
}

/// Words lowercased, without dots or other punctuation, one space apart.
fn name_key(text: &str) -> String {
    text.split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A passage of a source that a pledge cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The passage as a quote (or the pledge's own wording, for the official text).
    pub passage: String,
    /// The citing pledge's URL.
    pub url: String,
    /// The citing pledge's title.
    pub title: String,
}

/// The source text as escaped HTML, each cited passage wrapped in a link to its pledge.
/// Where passages overlap, the earlier one wins.
pub fn highlight_citations(text: &str, citations: &[Citation]) -> String {
    let index = QuoteIndex::new(text);
    let mut ranges: Vec<(std::ops::Range<usize>, &Citation)> = citations
        .iter()
        .filter_map(|citation| index.find(&citation.passage).map(|range| (range, citation)))
        .collect();
    ranges.sort_by_key(|(range, _)| (range.start, std::cmp::Reverse(range.end)));
    let mut html = String::with_capacity(text.len() * 11 / 10);
    let mut written = 0;
    for (range, citation) in ranges {
        if range.start < written {
            continue;
        }
        html.push_str(&escape_html(&text[written..range.start]));
        html.push_str(&format!(
            "<a class=\"cited\" href=\"{}\" title=\"Cited by: {}\">{}</a>",
            escape_html(&citation.url),
            escape_html(&citation.title),
            escape_html(&text[range.clone()])
        ));
        written = range.end;
    }
    html.push_str(&escape_html(&text[written..]));
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_verbatim_quotes_show_small_differences() {
        let official = "The U.S. and Italy underscore that the war in Ukraine must end, and fully endorse peace.";
        let quote = "The US and Italy underscore that the war in Ukraine must end";
        let comparison = compare_quote(official, quote, &OfficialText::new(official));
        assert_eq!(comparison.verbatim_percent, 100, "{}", comparison.diff_html);
        assert_eq!(
            comparison.diff_html,
            "The US and Italy underscore that the war in Ukraine must end"
        );
        let changed = compare_quote(
            official,
            "The US and Italy insist that the war must end",
            &OfficialText::new(official),
        );
        assert_eq!(
            changed.diff_html,
            "The US and Italy <del>underscore</del> <ins>insist</ins> that the war <del>in Ukraine</del> must end"
        );
    }

    #[test]
    fn names_match_without_dots_or_case() {
        let document = "The U.S. and Italy confirm their joint effort.";
        assert_eq!(
            additions(
                "the US and Italy confirm their joint effort",
                &OfficialText::new(document)
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn possessives_and_names_with_digits() {
        let document = "Italy and the new Single Special Economic Zone (SEZ) established in Italy.";
        assert_eq!(
            additions(
                "investments in Italy's Single Special Economic Zone aim to help",
                &OfficialText::new(document)
            ),
            Vec::<String>::new()
        );
        let launched = additions(
            "the Corridor, launched at the 2023 G20 Summit, promises",
            &OfficialText::new("the Corridor"),
        );
        assert_eq!(launched, vec!["2023", "G20 Summit"]);
    }

    #[test]
    fn additions_are_figures_and_names_the_document_lacks() {
        let document =
            "The U.S. and Italy confirm their joint effort to fight illicit synthetic drugs.";
        let quote = "The World Health Organization reports 168,000 annual opioid overdose deaths globally, a 60% rise since 2000, says Italy.";
        assert_eq!(
            additions(quote, &OfficialText::new(document)),
            vec!["World Health Organization", "168,000", "60%", "2000"]
        );
    }

    #[test]
    fn citations_link_passages_and_escape_the_rest() {
        let text = "A <b> text. The cited part here. End.";
        let citations = [Citation {
            passage: "cited part".into(),
            url: "/p/".into(),
            title: "P & Q".into(),
        }];
        assert_eq!(
            highlight_citations(text, &citations),
            "A &lt;b&gt; text. The <a class=\"cited\" href=\"/p/\" title=\"Cited by: P &amp; Q\">cited part</a> here. End."
        );
    }
}
