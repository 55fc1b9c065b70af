//! How a report's quote compares with the official wording, and what a report asserts that
//! the official text does not.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::escape::escape_html;
use crate::quotes::normalize_for_quotes;

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

/// Is `c` a dash or a hyphen of any kind: the ASCII hyphen-minus, the Unicode hyphens and
/// dashes (U+2010 to U+2015), the minus sign, and their small and full-width forms?
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
    )
}

/// What a word is compared by: typographic quotes and apostrophes made ASCII, outer
/// punctuation (an ellipsis among it) and inner dots dropped, lowercased. So `U.S.` is `US`,
/// `Trump’s` is `Trump's` and `end…` is `end`.
fn comparable(word: &str) -> String {
    let (normalized, _) = normalize_for_quotes(word);
    normalized
        .trim_matches(|c: char| !c.is_alphanumeric())
        .replace('.', "")
        .to_lowercase()
}

/// A compared word: its byte range in the text and its key ([`comparable`]).
struct Token {
    start: usize,
    end: usize,
    key: String,
}

/// The words of `text` as they are compared. Words are split at whitespace (non-breaking
/// spaces included) and after dashes and hyphens of any kind, so that `US-Italy`,
/// `U.S. – Italy` and `U.S.–Italy` are the same two words; a piece with nothing to compare
/// (a dash alone, an ellipsis) is kept in the text of the word before it.
fn tokens(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut pending_start: Option<usize> = None;
    let mut piece = |start: usize, end: usize, tokens: &mut Vec<Token>| {
        let key = comparable(&text[start..end]);
        if key.is_empty() {
            match tokens.last_mut() {
                Some(last) => last.end = end,
                None => {
                    pending_start.get_or_insert(start);
                }
            }
        } else {
            tokens.push(Token {
                start: pending_start.take().unwrap_or(start),
                end,
                key,
            });
        }
    };
    let mut start: Option<usize> = None;
    let mut after_dash = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                piece(s, i, &mut tokens);
            }
            after_dash = false;
            continue;
        }
        if after_dash
            && !is_dash(c)
            && let Some(s) = start.take()
        {
            piece(s, i, &mut tokens);
        }
        start.get_or_insert(i);
        after_dash = is_dash(c);
    }
    if let Some(s) = start {
        piece(s, text.len(), &mut tokens);
    }
    tokens
}

/// A statement's whole official text, prepared once for the [`additions`] of every quote.
#[derive(Debug, Clone)]
pub struct OfficialText {
    normalized: String,
    name_words: String,
}

impl OfficialText {
    /// Prepares `document`, the published text as its file holds it.
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
/// quote adds that `official_document` (the whole statement) never says, leaving out the
/// `known_names` (the names of the entities the pledge lists: they are the editors' own
/// reading of it, not the report's addition).
pub fn compare_quote(
    official: &str,
    quote: &str,
    official_document: &OfficialText,
    known_names: &[&str],
) -> QuoteComparison {
    let official_tokens = tokens(official);
    let quote_tokens = tokens(quote);
    let official_keys: Vec<&str> = official_tokens.iter().map(|t| t.key.as_str()).collect();
    let quote_keys: Vec<&str> = quote_tokens.iter().map(|t| t.key.as_str()).collect();
    let ops = capture_diff_slices(Algorithm::Patience, &official_keys, &quote_keys);
    // The words `tokens[from..to]` of `text`, as the text has them.
    let run = |text: &str, tokens: &[Token], from: usize, to: usize| -> String {
        let words = &text[tokens[from].start..tokens[to - 1].end];
        escape_html(&words.split_whitespace().collect::<Vec<_>>().join(" "))
    };

    // Official words before the first and after the last shared word are outside the quote.
    let first_equal = ops.iter().position(|op| matches!(op, DiffOp::Equal { .. }));
    let last_equal = ops
        .iter()
        .rposition(|op| matches!(op, DiffOp::Equal { .. }));
    let mut html = String::new();
    // Where the last piece of the quote written ended, to keep its own spacing: `US-` and
    // `Italy` split by a diff stay joined.
    let mut quote_end: Option<usize> = None;
    let mut n_equal = 0;
    for (i, op) in ops.iter().enumerate() {
        let inside =
            first_equal.is_some_and(|first| i > first) && last_equal.is_some_and(|last| i < last);
        let deleted = |html: &mut String, old_index: usize, old_len: usize| {
            if inside {
                if !html.is_empty() {
                    html.push(' ');
                }
                html.push_str("<del>");
                html.push_str(&run(
                    official,
                    &official_tokens,
                    old_index,
                    old_index + old_len,
                ));
                html.push_str("</del>");
            }
        };
        // The report's own words, underlined.
        let inserted =
            |html: &mut String, quote_end: &mut Option<usize>, new_index: usize, new_len: usize| {
                let piece = format!(
                    "<ins>{}</ins>",
                    run(quote, &quote_tokens, new_index, new_index + new_len)
                );
                push_quote(
                    html,
                    quote_end,
                    quote,
                    &quote_tokens,
                    new_index,
                    new_index + new_len,
                    piece,
                );
            };
        match *op {
            DiffOp::Equal { new_index, len, .. } => {
                n_equal += len;
                let piece = run(quote, &quote_tokens, new_index, new_index + len);
                push_quote(
                    &mut html,
                    &mut quote_end,
                    quote,
                    &quote_tokens,
                    new_index,
                    new_index + len,
                    piece,
                );
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                deleted(&mut html, old_index, old_len);
                quote_end = None;
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => inserted(&mut html, &mut quote_end, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                deleted(&mut html, old_index, old_len);
                if inside {
                    quote_end = None;
                }
                inserted(&mut html, &mut quote_end, new_index, new_len);
            }
        }
    }
    let verbatim_percent = if quote_tokens.is_empty() {
        0
    } else {
        (n_equal * 100 / quote_tokens.len()) as u32
    };
    QuoteComparison {
        diff_html: html,
        verbatim_percent,
        additions: additions(quote, official_document, known_names),
    }
}

/// Appends `piece`, the quote's words `tokens[start..end]`, to `html`, after a space unless
/// it follows the quote's previous piece (ending at `quote_end`) with no space between them
/// in the quote.
fn push_quote(
    html: &mut String,
    quote_end: &mut Option<usize>,
    quote: &str,
    tokens: &[Token],
    start: usize,
    end: usize,
    piece: String,
) {
    let joined = quote_end
        .is_some_and(|last| !quote[last..tokens[start].start].contains(char::is_whitespace));
    if !joined && !html.is_empty() {
        html.push(' ');
    }
    html.push_str(&piece);
    *quote_end = Some(tokens[end - 1].end);
}

/// Figures (any word with a digit) and capitalised names in `quote` that `document` never
/// contains. A capitalised word opening a sentence is not taken for a name, nor is a name
/// whose words are all inside one of `known_names` (or that holds one of them whole): the
/// names of the entities the pledge lists, by title or alias.
pub fn additions(quote: &str, document: &OfficialText, known_names: &[&str]) -> Vec<String> {
    let known: Vec<String> = known_names
        .iter()
        .map(|name| format!(" {} ", name_key(&normalize_for_quotes(name).0)))
        .filter(|key| key.trim().len() > 1)
        .collect();
    let is_known = |phrase: &str| {
        let key = format!(" {} ", name_key(phrase));
        key.trim().len() > 1
            && known
                .iter()
                .any(|name| name.contains(&key) || key.contains(name.as_str()))
    };
    let names_absent = |phrase: &str| !document.has_name(phrase) && !is_known(phrase);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn compare(official: &str, quote: &str) -> QuoteComparison {
        compare_quote(official, quote, &OfficialText::new(official), &[])
    }

    #[test]
    fn near_verbatim_quotes_show_small_differences() {
        let official = "The U.S. and Italy underscore that the war in Ukraine must end, and fully endorse peace.";
        let comparison = compare(
            official,
            "The US and Italy underscore that the war in Ukraine must end",
        );
        assert_eq!(comparison.verbatim_percent, 100, "{}", comparison.diff_html);
        assert_eq!(
            comparison.diff_html,
            "The US and Italy underscore that the war in Ukraine must end"
        );
        let changed = compare(official, "The US and Italy insist that the war must end");
        assert_eq!(
            changed.diff_html,
            "The US and Italy <del>underscore</del> <ins>insist</ins> that the war <del>in Ukraine</del> must end"
        );
    }

    #[test]
    fn typographic_variants_are_the_same_words() {
        // Dashes and hyphens of any kind, with or without spaces around them.
        let official = "further strengthen the U.S. \u{2013} Italy strategic alliance";
        for quote in [
            "further strengthen the US-Italy strategic alliance",
            "further strengthen the U.S.\u{2014}Italy strategic alliance",
            "further strengthen the U.S.\u{2011}Italy strategic alliance",
        ] {
            let comparison = compare(official, quote);
            assert_eq!(
                comparison.verbatim_percent, 100,
                "{quote}: {}",
                comparison.diff_html
            );
            assert!(
                !comparison.diff_html.contains("<"),
                "{}",
                comparison.diff_html
            );
        }
        assert_eq!(
            compare(
                official,
                "further strengthen the US-Italy strategic alliance"
            )
            .diff_html,
            "further strengthen the US-Italy strategic alliance"
        );
        // Curly and straight quotes and apostrophes, non-breaking spaces, an ellipsis.
        let official = "President Trump\u{2019}s leadership in \u{201C}brokering\u{201D} a\u{a0}ceasefire and more";
        let comparison = compare(
            official,
            "President Trump's leadership in \"brokering\" a ceasefire\u{2026}",
        );
        assert_eq!(comparison.verbatim_percent, 100, "{}", comparison.diff_html);
        // A real change beside a hyphen is still shown, and the quote keeps its hyphen.
        let changed = compare(
            "the U.S. \u{2013} Italy strategic alliance",
            "the US-Italy strong alliance",
        );
        assert_eq!(
            changed.diff_html,
            "the US-Italy <del>strategic</del> <ins>strong</ins> alliance"
        );
    }

    #[test]
    fn names_match_without_dots_or_case() {
        let document = "The U.S. and Italy confirm their joint effort.";
        assert_eq!(
            additions(
                "the US and Italy confirm their joint effort",
                &OfficialText::new(document),
                &[]
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
                &OfficialText::new(document),
                &[]
            ),
            Vec::<String>::new()
        );
        let launched = additions(
            "the Corridor, launched at the 2023 G20 Summit, promises",
            &OfficialText::new("the Corridor"),
            &[],
        );
        assert_eq!(launched, vec!["2023", "G20 Summit"]);
    }

    #[test]
    fn additions_are_figures_and_names_the_document_lacks() {
        let document =
            "The U.S. and Italy confirm their joint effort to fight illicit synthetic drugs.";
        let quote = "The World Health Organization reports 168,000 annual opioid overdose deaths globally, a 60% rise since 2000, says Italy.";
        assert_eq!(
            additions(quote, &OfficialText::new(document), &[]),
            vec!["World Health Organization", "168,000", "60%", "2000"]
        );
    }

    #[test]
    fn names_of_the_pledges_own_entities_are_not_additions() {
        let document = OfficialText::new("The U.S. and Italy will develop the Corridor.");
        let quote = "Italy's Digital Services Tax and the G20 Summit, says the Lunar Gateway team, and NATO.";
        assert_eq!(
            additions(quote, &document, &[]),
            vec![
                "Digital Services Tax",
                "G20 Summit",
                "Lunar Gateway",
                "NATO"
            ]
        );
        // By title (a name inside it, or holding it whole) or by alias, case and dots aside.
        assert_eq!(
            additions(
                quote,
                &document,
                &[
                    "Italian Digital Services Tax",
                    "G20",
                    "lunar gateway",
                    "N.A.T.O."
                ]
            ),
            Vec::<String>::new()
        );
        let comparison = compare_quote(
            "The U.S. and Italy will develop the Corridor.",
            "NATO will help the U.S. and Italy develop the Corridor.",
            &document,
            &["North Atlantic Treaty Organization", "NATO"],
        );
        assert!(
            comparison.additions.is_empty(),
            "{:?}",
            comparison.additions
        );
    }
}
