//! Published texts, read in one place for the importer (`import`) and the source page's
//! reading view (`provenance::reading`), so the two agree on what a title, a heading, a
//! paragraph, its number and its sub-points are. Every format is read into one
//! [`Document`]:
//!
//! - the White House layout (this file): YAML front matter between `---` lines (`title`,
//!   `date`, `source_url` and more), then paragraphs separated by blank lines, with section
//!   headings on lines of their own, bold and underlined (`**<u>Heading</u>**`);
//! - plain text, numbered communiqués and Markdown ([`text`]);
//! - saved web pages ([`html`]).
//!
//! [`detect`] tells the format from the content. Paragraph numbers and sub-point labels
//! are recognised in [`labels`], date lines in [`dates`]. It imports only
//! [`fence`](crate::fence), which says where the front matter ends.

pub mod dates;
mod document;
pub mod html;
pub mod labels;
pub mod text;

pub use document::{Document, Format, Paragraph, Part, Point, Section};

use crate::fence::{self, Fenced, Unfenced};

/// The front matter block of a seed (`---` fences), as [`fence::find`] finds it.
pub fn front_matter(text: &str) -> Result<Fenced, Unfenced> {
    fence::find(text, "---")
}

/// A block of a published text's body, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A section heading, its words one space apart, without its markup.
    Heading(String),
    /// A paragraph: its lines as published, joined by `\n`, each without trailing spaces.
    Paragraph(String),
}

/// The blocks of a body in the White House layout. A line that is empty or holds only
/// whitespace (the publisher pads some with non-breaking spaces) ends a paragraph, and so
/// does a heading line.
pub fn blocks(body: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(paragraph.join("\n")));
            paragraph.clear();
        }
    };
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else if let Some(heading) = heading_text(trimmed) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Heading(heading));
        } else {
            paragraph.push(line.trim_end());
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

/// The heading in a line such as `**<u>Heading</u>**` (or `<u>**Heading**</u>`), if it is
/// one.
pub fn heading_text(line: &str) -> Option<String> {
    let inner = line
        .strip_prefix("**<u>")
        .and_then(|l| l.strip_suffix("</u>**"))
        .or_else(|| {
            line.strip_prefix("<u>**")
                .and_then(|l| l.strip_suffix("**</u>"))
        })?;
    let heading = inner.split_whitespace().collect::<Vec<_>>().join(" ");
    (!heading.is_empty()).then_some(heading)
}

/// Why a text's format cannot be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrecognised(pub &'static str);

/// The format of `text`, told from its content:
///
/// 1. a `---` front matter block at the top: the White House layout;
/// 2. a first character `<` and an `<html`, `<body`, `<p`, `<div`, `<article` or `<main`
///    tag: a saved web page;
/// 3. a Markdown heading (`# `…, or a line of `===`/`---` under text), or two of bold
///    (`**`), links (`](`) and list lines (`- `, `* `): Markdown;
/// 4. two or more blocks opening with paragraph numbers (`1.`, `2.`), two of them in a
///    row (`n.` then `n+1.`): a numbered communiqué;
/// 5. any other text: plain text.
///
/// An empty text, one with NUL or other control characters, and PDF, RTF, XML and JSON
/// are refused.
pub fn detect(text: &str) -> Result<Format, Unrecognised> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(Unrecognised("the file holds no text"));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
    {
        return Err(Unrecognised(
            "the file holds control characters: it is not text",
        ));
    }
    if trimmed.starts_with("%PDF") {
        return Err(Unrecognised(
            "the file is a PDF; copy its text into a .txt file",
        ));
    }
    if trimmed.starts_with("{\\rtf") {
        return Err(Unrecognised("the file is RTF; save it as plain text"));
    }
    if front_matter(text).is_ok() {
        return Ok(Format::WhiteHouse);
    }
    if trimmed.starts_with('<') {
        let lower = trimmed.to_ascii_lowercase();
        if [
            "<html",
            "<body",
            "<p",
            "<div",
            "<article",
            "<main",
            "<!doctype html",
        ]
        .iter()
        .any(|tag| lower.contains(tag))
        {
            return Ok(Format::Html);
        }
        return Err(Unrecognised("the file is markup but not an HTML page"));
    }
    if (trimmed.starts_with('{') || trimmed.starts_with('[')) && serde_json_like(trimmed) {
        return Err(Unrecognised("the file looks like JSON, not a text"));
    }
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let atx = lines.iter().any(|l| {
        let hashes = l.bytes().take_while(|&b| b == b'#').count();
        (1..=6).contains(&hashes) && l[hashes..].starts_with(' ')
    });
    let setext = lines.windows(2).any(|w| {
        !w[0].is_empty()
            && w[1].len() >= 3
            && (w[1].bytes().all(|b| b == b'=') || w[1].bytes().all(|b| b == b'-'))
    });
    let signals = [
        text.matches("**").count() >= 2,
        text.contains("]("),
        lines
            .iter()
            .filter(|l| l.starts_with("- ") || l.starts_with("* "))
            .count()
            >= 2,
    ]
    .iter()
    .filter(|s| **s)
    .count();
    if atx || setext || signals >= 2 {
        return Ok(Format::Markdown);
    }
    let mut numbers: Vec<u32> = Vec::new();
    let mut previous_blank = true;
    for line in &lines {
        if previous_blank
            && let Some((number, _)) = labels::paragraph_number(line)
            && let Ok(n) = number.parse()
        {
            numbers.push(n);
        }
        previous_blank = line.is_empty();
    }
    if numbers.len() < 2 {
        // A copy without blank lines: every line opens a block.
        numbers = lines
            .iter()
            .filter_map(|l| labels::paragraph_number(l).and_then(|(n, _)| n.parse().ok()))
            .collect();
    }
    if numbers.len() >= 2 && numbers.windows(2).any(|w| w[1] == w[0] + 1) {
        return Ok(Format::Numbered);
    }
    Ok(Format::Text)
}

/// Does a text that opens with `{` or `[` close with its match, as JSON does?
fn serde_json_like(trimmed: &str) -> bool {
    let end = trimmed.trim_end();
    (trimmed.starts_with('{') && end.ends_with('}'))
        || (trimmed.starts_with('[') && end.ends_with(']'))
}

/// Reads `text` as `format`; `title` is the title it is known by (the importer's
/// `--title`, a source's title), which plain text may repeat at its head. The White House
/// layout is read here without its front matter (the importer reads that itself).
pub fn parse(text: &str, format: Format, title: Option<&str>) -> Document {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::WhiteHouse => {
            let body = match front_matter(text) {
                Ok(fenced) => &text[fenced.body_start..],
                Err(_) => text,
            };
            let parts = blocks(body)
                .into_iter()
                .map(|block| match block {
                    Block::Heading(h) => Part::Heading(h),
                    Block::Paragraph(text) => Part::Paragraph(Paragraph {
                        number: None,
                        text,
                        points: Vec::new(),
                    }),
                })
                .collect();
            Document {
                format,
                title: title.map(str::to_string),
                date: None,
                source_url: None,
                parts,
            }
        }
        Format::Html => html::parse(text),
        Format::Text | Format::Numbered | Format::Markdown => text::parse(text, format, title),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_paragraphs_in_order() {
        let body = " \nPreamble line one\nline two.  \n\u{a0} \u{a0}\n**<u>U.S. – Italy  Security</u>**  \nFirst.\n  \nSecond.\n";
        assert_eq!(
            blocks(body),
            vec![
                Block::Paragraph("Preamble line one\nline two.".into()),
                Block::Heading("U.S. – Italy Security".into()),
                Block::Paragraph("First.".into()),
                Block::Paragraph("Second.".into()),
            ]
        );
        assert_eq!(heading_text("<u>**A**</u>"), Some("A".into()));
        assert_eq!(heading_text("**A**"), None);
    }
}
