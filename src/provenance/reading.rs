//! The reading view of a published text: its headings and numbered paragraphs, made from
//! the file at build time, without the publisher's front matter or markup.
//!
//! Two layouts are read:
//!
//! - **A seed in the White House layout** (the file opens with a `---` front matter
//!   block): the front matter is dropped, `**<u>Heading</u>**` lines are headings, and
//!   paragraphs are separated by blank lines, as [`crate::published`] reads them for the
//!   importer too.
//! - **Plain text** (anything else, such as a news article saved from a web page). Its
//!   paragraphs are separated by blank lines if the text has any blank line between two
//!   lines of text; if it has none, each line is a paragraph (a copy that lost its blank
//!   lines, as agency wire copies often do). Then, in order:
//!   - a first line that is a scraper's record of the fetch, not the publisher's words, is
//!     dropped ([`is_scrape_header`]);
//!   - paragraphs that are the page's furniture rather than its text are kept apart as
//!     metadata ([`is_metadata`]): the title (again), the title followed by the
//!     publisher's name, and short `Published:`, `Updated:` and `Written by`/`By` lines;
//!   - a short line that does not end a sentence and is followed by more text is a
//!     subheading ([`is_plain_heading`]).
//!
//! Paragraph text is the publisher's words verbatim: only its whitespace is normalised
//! (every run, non-breaking spaces included, becomes one space) and its emphasis markup
//! (`**`, `__`, `<u>`, `<b>`, `<i>`, `<em>`, `<strong>`) removed ([`clean`]).

use std::collections::HashMap;

use crate::published::{self, Block};
use crate::quotes::normalize_for_quotes;

/// A published text as a reader sees it.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// Its blocks in order.
    pub blocks: Vec<ReadingBlock>,
    /// Its paragraphs normalised for quotes, one space apart, for [`Reading::finds`].
    searchable: String,
    /// Each paragraph normalised for quotes, by number less one.
    normalized: Vec<String>,
    /// The number of each paragraph by its normalised text (the first, if two are equal).
    numbers: HashMap<String, usize>,
}

/// One block of a [`Reading`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadingBlock {
    /// A heading.
    Heading {
        /// Its words.
        text: String,
    },
    /// A paragraph of the text, numbered from 1 across the whole text.
    Paragraph {
        /// Its number.
        number: usize,
        /// Its words, verbatim ([`clean`]).
        text: String,
    },
    /// A line of the page's furniture, shown apart from the text: a title, a byline, a date.
    Meta {
        /// Its words.
        text: String,
    },
}

impl Reading {
    /// Whether `passage` is in the paragraphs, found as quotes are (so across paragraph
    /// breaks too): whether [`crate::provenance::mark_citations`] will mark it.
    pub fn finds(&self, passage: &str) -> bool {
        let (passage, _) = normalize_for_quotes(passage);
        !passage.is_empty() && self.searchable.contains(&passage)
    }

    /// The number of the paragraph that is `passage` (a pledge's text), compared as quotes
    /// are ([`normalize_for_quotes`]): the paragraph equal to it, or else the first that
    /// contains it, or else the first it contains (a pledge running over several paragraphs
    /// is numbered by its first).
    pub fn paragraph_of(&self, passage: &str) -> Option<usize> {
        let (key, _) = normalize_for_quotes(passage);
        if key.is_empty() {
            return None;
        }
        if let Some(&number) = self.numbers.get(&key) {
            return Some(number);
        }
        let position = self
            .normalized
            .iter()
            .position(|paragraph| paragraph.contains(&key))
            .or_else(|| {
                self.normalized
                    .iter()
                    .position(|paragraph| key.contains(paragraph.as_str()))
            })?;
        Some(position + 1)
    }

    /// The paragraphs' texts, in order: paragraph `n` is at `n - 1`.
    pub fn paragraphs(&self) -> Vec<&str> {
        self.blocks
            .iter()
            .filter_map(|block| match block {
                ReadingBlock::Paragraph { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// Reads `text`, the file as published; `title` is the source's title, which plain text
/// often repeats at its head.
pub fn read(text: &str, title: Option<&str>) -> Reading {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let blocks = match published::front_matter(text) {
        Ok(fenced) => seed_blocks(&text[fenced.body_start..]),
        Err(_) => plain_blocks(text, title),
    };
    let mut number = 0;
    let mut reading = Reading {
        searchable: String::new(),
        normalized: Vec::new(),
        numbers: HashMap::new(),
        blocks: blocks
            .into_iter()
            .map(|block| match block {
                ReadingBlock::Paragraph { text, .. } => {
                    number += 1;
                    ReadingBlock::Paragraph { number, text }
                }
                other => other,
            })
            .collect(),
    };
    reading.searchable = normalize_for_quotes(&reading.paragraphs().join(" ")).0;
    reading.normalized = reading
        .paragraphs()
        .iter()
        .map(|text| normalize_for_quotes(text).0)
        .collect();
    for (i, key) in reading.normalized.iter().enumerate() {
        reading.numbers.entry(key.clone()).or_insert(i + 1);
    }
    reading
}

fn seed_blocks(body: &str) -> Vec<ReadingBlock> {
    published::blocks(body)
        .into_iter()
        .filter_map(|block| match block {
            Block::Heading(text) => Some(ReadingBlock::Heading { text: clean(&text) }),
            Block::Paragraph(text) => {
                let text = clean(&text);
                (!text.is_empty()).then_some(ReadingBlock::Paragraph { number: 0, text })
            }
        })
        .filter(|block| !matches!(block, ReadingBlock::Heading { text } if text.is_empty()))
        .collect()
}

fn plain_blocks(text: &str, title: Option<&str>) -> Vec<ReadingBlock> {
    let mut lines: Vec<&str> = text.lines().collect();
    if let Some(first) = lines.iter().position(|line| !line.trim().is_empty())
        && is_scrape_header(lines[first])
    {
        lines.drain(..=first);
    }
    let paragraphs: Vec<String> = if has_blank_line_between_text(&lines) {
        let mut paragraphs = Vec::new();
        let mut current: Vec<&str> = Vec::new();
        for line in &lines {
            if line.trim().is_empty() {
                if !current.is_empty() {
                    paragraphs.push(current.join("\n"));
                    current.clear();
                }
            } else {
                current.push(line);
            }
        }
        if !current.is_empty() {
            paragraphs.push(current.join("\n"));
        }
        paragraphs
    } else {
        lines
            .iter()
            .filter(|line| !line.trim().is_empty())
            .map(|line| line.to_string())
            .collect()
    };
    let cleaned: Vec<String> = paragraphs
        .iter()
        .map(|p| clean(p))
        .filter(|p| !p.is_empty())
        .collect();
    let n = cleaned.len();
    cleaned
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            if is_metadata(&text, title) {
                ReadingBlock::Meta { text }
            } else if i + 1 < n && is_plain_heading(&text) {
                ReadingBlock::Heading { text }
            } else {
                ReadingBlock::Paragraph { number: 0, text }
            }
        })
        .collect()
}

/// Does a blank line separate two lines of text anywhere in `lines`?
fn has_blank_line_between_text(lines: &[&str]) -> bool {
    let first = lines.iter().position(|line| !line.trim().is_empty());
    let last = lines.iter().rposition(|line| !line.trim().is_empty());
    match (first, last) {
        (Some(first), Some(last)) => lines[first..last].iter().any(|l| l.trim().is_empty()),
        _ => false,
    }
}

/// Is `line` a scraper's record of the fetch rather than the publisher's text? It is when
/// it holds an ISO date (`2025-04-18`) and otherwise only lowercase ASCII words and numbers,
/// with at least one of those: no headline or sentence looks like that, and the tool that
/// saved the coverage seeds wrote a label, the fetch date and the HTTP status so
/// (` date 2025-04-18 403`).
pub fn is_scrape_header(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let is_iso_date = |word: &str| {
        let bytes = word.as_bytes();
        bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    *b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            })
    };
    let dates = words.iter().filter(|w| is_iso_date(w)).count();
    words.len() >= 2
        && dates >= 1
        && words.iter().all(|word| {
            is_iso_date(word)
                || word.bytes().all(|b| b.is_ascii_lowercase())
                || word.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Is `paragraph` the page's furniture: the source's `title`, the title followed by at most
/// four more words (the publisher's name, as a page's heading block repeats it), or a
/// single short line opening with `Published:`, `Updated:`, `Posted:`, `Written by` or
/// `By`? Only whole paragraphs are looked at, so such words inside the text never count.
pub fn is_metadata(paragraph: &str, title: Option<&str>) -> bool {
    if let Some(title) = title.map(clean).filter(|t| !t.is_empty()) {
        let lower = paragraph.to_lowercase();
        let title = title.to_lowercase();
        if let Some(rest) = lower.strip_prefix(&title)
            && rest.split_whitespace().count() <= 4
            && (rest.is_empty() || rest.starts_with(' '))
        {
            return true;
        }
    }
    let short = paragraph.chars().count() <= 80 && paragraph.split_whitespace().count() <= 8;
    let dated = ["Published:", "Updated:", "Posted:"]
        .iter()
        .any(|label| paragraph.starts_with(label));
    let byline = ["Written by ", "By "]
        .iter()
        .any(|label| paragraph.starts_with(label));
    short && (dated || byline)
}

/// Is `paragraph` a subheading of plain text: at most ten words, opening with a capital
/// letter, and not ending as a sentence or a quote does (`.`, `!`, `?`, `:`, `;`, `,`, a
/// closing quote, a bracket or an ellipsis)?
pub fn is_plain_heading(paragraph: &str) -> bool {
    paragraph.split_whitespace().count() <= 10
        && paragraph.chars().next().is_some_and(char::is_uppercase)
        && !paragraph.ends_with([
            '.', '!', '?', ':', ';', ',', '"', '\'', '”', '’', ')', ']', '…',
        ])
}

/// A paragraph's words as published: emphasis markup removed, every run of whitespace one
/// space, no word changed.
pub fn clean(text: &str) -> String {
    const MARKUP: [&str; 12] = [
        "**",
        "__",
        "<u>",
        "</u>",
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<em>",
        "</em>",
        "<strong>",
        "</strong>",
    ];
    let mut stripped = String::with_capacity(text.len());
    let mut rest = text;
    'outer: while let Some(c) = rest.chars().next() {
        for markup in MARKUP {
            if rest.len() >= markup.len()
                && rest.is_char_boundary(markup.len())
                && rest[..markup.len()].eq_ignore_ascii_case(markup)
            {
                rest = &rest[markup.len()..];
                continue 'outer;
            }
        }
        stripped.push(c);
        rest = &rest[c.len_utf8()..];
    }
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(number: usize, text: &str) -> ReadingBlock {
        ReadingBlock::Paragraph {
            number,
            text: text.into(),
        }
    }

    fn heading(text: &str) -> ReadingBlock {
        ReadingBlock::Heading { text: text.into() }
    }

    fn meta(text: &str) -> ReadingBlock {
        ReadingBlock::Meta { text: text.into() }
    }

    #[test]
    fn a_seed_loses_its_front_matter_and_markup_and_is_numbered_throughout() {
        let seed = "---\ntitle: \"A \\u2013 B\"\nsource_url: https://example.org/\n---\n \nThe preamble,\u{a0} over\ntwo lines.  \n  \n**<u>U.S. – Italy  Security</u>**  \nThe **first** pledge’s <u>words</u>.\n\u{a0}  \u{a0}\nThe second.\n\n**<u>More</u>**\nThe third.\n";
        let reading = read(seed, Some("A – B"));
        assert_eq!(
            reading.blocks,
            vec![
                paragraph(1, "The preamble, over two lines."),
                heading("U.S. – Italy Security"),
                paragraph(2, "The first pledge’s words."),
                paragraph(3, "The second."),
                heading("More"),
                paragraph(4, "The third."),
            ]
        );
        assert_eq!(reading.paragraphs()[3], "The third.");
    }

    #[test]
    fn pledges_find_their_paragraph_by_text() {
        let reading = read(
            "---\ntitle: t\n---\nOne two.\n\n**<u>H</u>**\nThree “four”\nfive.\n\nSix. Seven.\n",
            None,
        );
        assert_eq!(reading.paragraph_of("Three \"four\" five."), Some(2));
        assert_eq!(reading.paragraph_of("Seven."), Some(3));
        assert_eq!(reading.paragraph_of("One two. Three"), Some(1));
        assert_eq!(reading.paragraph_of("Eight."), None);
        assert_eq!(reading.paragraph_of(" "), None);
        assert!(reading.finds("two. Three “four”"));
        assert!(!reading.finds("H Three"));
    }

    #[test]
    fn plain_text_with_one_line_per_paragraph_and_a_scrape_header() {
        let text =
            " date 2025-04-18 403\nUS, Italy Agree\n(KUNA) -- The first line.\nThe second line.\n";
        assert_eq!(
            read(text, Some("US, Italy Agree")).blocks,
            vec![
                meta("US, Italy Agree"),
                paragraph(1, "(KUNA) -- The first line."),
                paragraph(2, "The second line."),
            ]
        );
        assert!(is_scrape_header("fetched 2025-04-18 200"));
        assert!(!is_scrape_header("On 2025-04-18 the leaders met."));
        assert!(!is_scrape_header("2025-04-18"));
        assert!(!is_scrape_header("updated on 18 April 2025"));
    }

    #[test]
    fn plain_text_with_blank_lines_has_metadata_and_subheadings() {
        let text = "The Title Here\n\nA standfirst, in one sentence.\n\nThe Title Here NewsVane\n\nPublished: April 18, 2025\n\nWritten by Jane Doe\n\nA Subheading\n\nThe text, over\ntwo lines.\n\nBy the way, this is text: it is a long sentence that opens as a byline does.\n\nThe End\n";
        assert_eq!(
            read(text, Some("The Title Here")).blocks,
            vec![
                meta("The Title Here"),
                paragraph(1, "A standfirst, in one sentence."),
                meta("The Title Here NewsVane"),
                meta("Published: April 18, 2025"),
                meta("Written by Jane Doe"),
                heading("A Subheading"),
                paragraph(2, "The text, over two lines."),
                paragraph(
                    3,
                    "By the way, this is text: it is a long sentence that opens as a byline does."
                ),
                paragraph(4, "The End"),
            ]
        );
    }

    #[test]
    fn cleaning_removes_emphasis_and_keeps_every_word() {
        assert_eq!(
            clean(
                "A **bold**  <U>under</U>\u{a0}<em>lined</em> <strong>word</strong> __here__ 2*3 <a> x"
            ),
            "A bold under lined word here 2*3 <a> x"
        );
    }
}
