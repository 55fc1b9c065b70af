//! The reading view of a published text: its headings and numbered paragraphs, made from
//! the file at build time, without the publisher's front matter or markup.
//!
//! The file is read in its format (the source's `format`, else told from the content by
//! [`published::detect`]) by the same reader the importer uses ([`crate::published`]), so
//! the reading view's paragraphs are the imported pledges':
//!
//! - **the White House layout** (a `---` front matter block): the front matter is dropped,
//!   `**<u>Heading</u>**` lines are headings, paragraphs are separated by blank lines;
//! - **plain text, numbered communiqués and Markdown** ([`crate::published::text`]): a
//!   scraper's header is dropped, the title, date and byline lines are kept apart as
//!   metadata, short lines are headings, hard-wrapped lines are joined;
//! - **saved web pages** ([`crate::published::html`]): only the main text, without the
//!   page's furniture.
//!
//! Paragraph text is the publisher's words verbatim: only its whitespace is normalised and
//! its emphasis markup removed ([`clean`]). A paragraph's sub-points follow its words, each
//! with its label.
//!
//! **Numbers and anchors.** Paragraphs are counted from 1 across the whole text (the
//! `number`, which pledges and citations are matched by). A text without published
//! numbers shows that count (`¶ 3`, anchor `#para-3`). A numbered communiqué shows the
//! numbers as published instead: paragraph 7 as published is `¶ 7` at `#para-7`, the
//! anchor an imported pledge with `number = "7"` links to; its unnumbered paragraphs (the
//! preamble) show a bare `¶` at `#para-u<count>`.

use std::collections::HashMap;

pub use crate::published::text::{clean, is_metadata, is_plain_heading, is_scrape_header};
use crate::published::{self, Block, Format, Part};
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
    /// Each paragraph's anchor (`para-7`), by number less one.
    anchors: Vec<String>,
    /// Whether the text numbers its paragraphs as published.
    published_numbers: bool,
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
        /// Its number as published (`7`), if the text numbers it.
        label: Option<String>,
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

    /// The anchor of paragraph `number` (from 1): `para-7`.
    pub fn anchor(&self, number: usize) -> &str {
        &self.anchors[number - 1]
    }

    /// Whether the text numbers its paragraphs as published (a numbered communiqué).
    pub fn published_numbers(&self) -> bool {
        self.published_numbers
    }

    /// What paragraph `number` is shown as after `¶`: its published number in a numbered
    /// communiqué (none for its unnumbered paragraphs), else `number` itself.
    pub fn shown(&self, number: usize) -> Option<String> {
        if !self.published_numbers {
            return Some(number.to_string());
        }
        self.blocks.iter().find_map(|block| match block {
            ReadingBlock::Paragraph {
                number: n, label, ..
            } if *n == number => label.clone(),
            _ => None,
        })
    }

    /// The paragraph whose published number is `label`.
    pub fn numbered(&self, label: &str) -> Option<usize> {
        self.blocks.iter().find_map(|block| match block {
            ReadingBlock::Paragraph {
                number,
                label: Some(l),
                ..
            } if l == label => Some(*number),
            _ => None,
        })
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

/// Reads `text`, the file as published, in `format` (told from the text when `None`);
/// `title` is the source's title, which plain text often repeats at its head.
pub fn read(text: &str, title: Option<&str>, format: Option<Format>) -> Reading {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let format = format.unwrap_or_else(|| published::detect(text).unwrap_or(Format::Text));
    let blocks = match (format, published::front_matter(text)) {
        (Format::WhiteHouse, Ok(fenced)) => seed_blocks(&text[fenced.body_start..]),
        _ => document_blocks(text, format, title),
    };
    let mut number = 0;
    let mut reading = Reading {
        searchable: String::new(),
        normalized: Vec::new(),
        numbers: HashMap::new(),
        anchors: Vec::new(),
        published_numbers: false,
        blocks: blocks
            .into_iter()
            .map(|block| match block {
                ReadingBlock::Paragraph { text, label, .. } => {
                    number += 1;
                    ReadingBlock::Paragraph {
                        number,
                        label,
                        text,
                    }
                }
                other => other,
            })
            .collect(),
    };
    reading.published_numbers = reading
        .blocks
        .iter()
        .any(|b| matches!(b, ReadingBlock::Paragraph { label: Some(_), .. }));
    let mut taken = std::collections::HashSet::new();
    for block in &reading.blocks {
        if let ReadingBlock::Paragraph { number, label, .. } = block {
            let base = match label {
                Some(label) => format!("para-{label}"),
                None if reading.published_numbers => format!("para-u{number}"),
                None => format!("para-{number}"),
            };
            let mut anchor = base.clone();
            let mut k = 2;
            while !taken.insert(anchor.clone()) {
                anchor = format!("{base}-{k}");
                k += 1;
            }
            reading.anchors.push(anchor);
        }
    }
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
                (!text.is_empty()).then_some(ReadingBlock::Paragraph {
                    number: 0,
                    label: None,
                    text,
                })
            }
        })
        .filter(|block| !matches!(block, ReadingBlock::Heading { text } if text.is_empty()))
        .collect()
}

/// The blocks of a text in any other format, from the parts the importer reads too.
fn document_blocks(text: &str, format: Format, title: Option<&str>) -> Vec<ReadingBlock> {
    published::parse(text, format, title)
        .parts
        .into_iter()
        .filter_map(|part| match part {
            Part::Title(text) | Part::Meta(text) => Some(ReadingBlock::Meta { text }),
            Part::Heading(text) => Some(ReadingBlock::Heading { text }),
            Part::Paragraph(paragraph) => {
                let text = paragraph.full_text();
                (!text.is_empty()).then_some(ReadingBlock::Paragraph {
                    number: 0,
                    label: paragraph.number,
                    text,
                })
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(number: usize, text: &str) -> ReadingBlock {
        ReadingBlock::Paragraph {
            number,
            label: None,
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
        let reading = read(seed, Some("A – B"), None);
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
            read(text, Some("US, Italy Agree"), None).blocks,
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
            read(text, Some("The Title Here"), None).blocks,
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
