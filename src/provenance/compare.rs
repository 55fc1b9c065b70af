//! How a report's quote compares with the official wording, word by word (what the quote
//! adds that the statement never says is `additions`).

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::additions::{OfficialText, additions};
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
