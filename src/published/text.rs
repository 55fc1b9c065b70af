//! Reading plain text, numbered communiqués and Markdown.
//!
//! The text is cut into **blocks** at blank lines (lines holding only whitespace). A text
//! with no blank line between two lines of text (a copy that lost them, as wire copies
//! often do) has one block per line. Inside a block, a line that opens with a sub-point
//! label (or, for numbered communiqués and Markdown, a paragraph number; for Markdown, a
//! `#` heading) starts a block of its own. A block's lines are joined with one space:
//! hard-wrapped lines become one paragraph.
//!
//! Then, in order:
//! - a first line that is a scraper's record of the fetch is dropped ([`is_scrape_header`]);
//! - the **title**: Markdown's first block when it is a `#` heading; in plain text, the
//!   first block when it is one line of at most 20 words that does not end as a sentence
//!   does (`.`, `:`, `;`, `,`) and is no date line, followed by more text, and, when a title
//!   is given (`--title`, or the source's title for the reading view), equal to it;
//! - the **date line**: one of the three blocks after the title that is a date line
//!   ([`super::dates::date_line`]: `18 April 2025`, `Brussels, 14 June 2021`, …);
//! - other **furniture** ([`is_metadata`]): the title again, the title followed by at most
//!   four words, and short `Published:`, `Updated:`, `Posted:`, `Written by`, `By` lines;
//! - **headings**: Markdown's `#` and setext headings, and a block that is wholly bold;
//!   in plain text and numbered communiqués, a block of at most ten words, opening with a
//!   capital letter, not ending as a sentence, a clause or a quote does (`.`, `!`, `?`, `:`,
//!   `;`, `,`, a closing quote, a bracket or an ellipsis) and followed by more text
//!   ([`is_plain_heading`]): short title-case, sentence-case and ALL-CAPS headings alike;
//! - paragraphs, numbered and with sub-points by [`super::document::assemble`].
//!
//! Paragraph text is the publisher's words verbatim: only whitespace is normalised and
//! emphasis markup removed ([`clean`]; for Markdown, all inline markup: a link keeps its
//! words).

use pulldown_cmark::{Event, Parser, TagEnd};

use super::dates::{self, Day};
use super::document::{Document, Format, Raw, assemble};
use super::labels;

/// Reads `text` as `format` (`Text`, `Numbered` or `Markdown`); `title` is the title the
/// text is known by, if any.
pub fn parse(text: &str, format: Format, title: Option<&str>) -> Document {
    let markdown = format == Format::Markdown;
    let numbering = format != Format::Text;
    let blocks = blocks(text, markdown, numbering);
    let mut raw: Vec<Raw> = Vec::new();
    let mut doc_title: Option<String> = None;
    let mut date: Option<Day> = None;
    let n = blocks.len();
    let given = title.map(clean).filter(|t| !t.is_empty());
    for (i, block) in blocks.iter().enumerate() {
        let one_line = block.len() == 1;
        let joined = block.join(" ");
        if markdown && let Some(heading) = atx_heading(&joined).filter(|_| one_line) {
            let (level, words) = heading;
            let words = inline_text(words);
            if i == 0 && level == 1 && doc_title.is_none() {
                doc_title = Some(words.clone());
                raw.push(Raw::Title(words));
            } else {
                raw.push(Raw::Heading(words));
            }
            continue;
        }
        if markdown
            && block.len() >= 2
            && let Some(last) = block.last()
            && last.len() >= 2
            && (last.bytes().all(|b| b == b'=') || last.bytes().all(|b| b == b'-'))
        {
            let words = inline_text(&block[..block.len() - 1].join(" "));
            if i == 0 && last.starts_with('=') {
                doc_title = Some(words.clone());
                raw.push(Raw::Title(words));
            } else {
                raw.push(Raw::Heading(words));
            }
            continue;
        }
        let words = if markdown {
            markdown_words(&joined)
        } else {
            clean(&joined)
        };
        if words.is_empty() {
            continue;
        }
        let head = raw
            .iter()
            .all(|r| matches!(r, Raw::Title(_) | Raw::Meta(_)));
        if i == 0 && !markdown && one_line && n > 1 && is_title_line(&words, given.as_deref()) {
            doc_title = Some(words.clone());
            raw.push(Raw::Title(words));
            continue;
        }
        if head
            && i <= 3
            && date.is_none()
            && one_line
            && let Some(day) = dates::date_line(&words)
        {
            date = Some(day);
            raw.push(Raw::Meta(words));
            continue;
        }
        if is_metadata(&words, given.as_deref().or(doc_title.as_deref())) {
            raw.push(Raw::Meta(words));
            continue;
        }
        let labelled = labels::sub_point(&words).is_some()
            || (numbering && labels::paragraph_number(&words).is_some());
        let heading = if markdown {
            is_bold_block(&joined) && words.split_whitespace().count() <= 12
        } else {
            i + 1 < n && is_plain_heading(&words)
        };
        if heading && !labelled {
            raw.push(Raw::Heading(words));
        } else {
            raw.push(Raw::Text(words));
        }
    }
    if date.is_none() {
        date = opening_dateline(&raw);
    }
    Document {
        format,
        title: doc_title,
        date,
        source_url: None,
        parts: assemble(raw, numbering),
    }
}

/// A date in the first ten words of the first paragraph: `WASHINGTON, April 18, 2025 — …`.
fn opening_dateline(raw: &[Raw]) -> Option<Day> {
    let first = raw.iter().find_map(|r| match r {
        Raw::Text(t) => Some(t),
        _ => None,
    })?;
    let opening: Vec<&str> = first.split_whitespace().take(10).collect();
    dates::find(&opening.join(" "))
}

/// The blocks of a text, each its lines (trimmed, none empty).
fn blocks(text: &str, markdown: bool, numbering: bool) -> Vec<Vec<&str>> {
    let mut lines: Vec<&str> = text.lines().collect();
    if let Some(first) = lines.iter().position(|line| !line.trim().is_empty())
        && is_scrape_header(lines[first])
    {
        lines.drain(..=first);
    }
    let by_line = !markdown && !has_blank_line_between_text(&lines);
    let starts_block = |line: &str| {
        labels::sub_point(line).is_some()
            || (numbering && labels::paragraph_number(line).is_some())
            || (markdown && atx_heading(line).is_some())
    };
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut in_code = false;
    for line in lines {
        let trimmed = line.trim();
        if markdown && trimmed.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if trimmed.is_empty() || by_line || (markdown && atx_heading(trimmed).is_some()) {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else if !current.is_empty() && starts_block(trimmed) {
            blocks.push(std::mem::take(&mut current));
        }
        if !trimmed.is_empty() {
            current.push(trimmed);
        }
        if by_line || (markdown && atx_heading(trimmed).is_some()) {
            blocks.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks.retain(|b| !b.is_empty());
    // A title and a date line at the head, with no blank line between them: a line each.
    if let Some(at) = blocks.iter().take(2).position(|b| {
        b.len() > 1 && b.len() <= 4 && b.iter().any(|line| dates::date_line(line).is_some())
    }) {
        let lines = blocks.remove(at);
        for (k, line) in lines.into_iter().enumerate() {
            blocks.insert(at + k, vec![line]);
        }
    }
    blocks
}

/// A Markdown `#` heading's level and words.
fn atx_heading(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &line[level..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    let words = rest.trim().trim_end_matches('#').trim();
    (!words.is_empty()).then_some((level, words))
}

/// Is a Markdown block wholly bold (`**Ukraine**`), as converted documents mark headings?
fn is_bold_block(block: &str) -> bool {
    let inner = block
        .strip_prefix("**")
        .and_then(|b| b.strip_suffix("**"))
        .or_else(|| block.strip_prefix("__").and_then(|b| b.strip_suffix("__")));
    inner.is_some_and(|i| !i.is_empty() && !i.contains("**") && !i.ends_with([':', '.']))
}

/// A Markdown block's words: its label, if it opens with one, kept as written, and the rest
/// without inline markup.
fn markdown_words(block: &str) -> String {
    if let Some((number, rest)) = labels::paragraph_number(block) {
        return format!("{number}. {}", inline_text(rest))
            .trim()
            .to_string();
    }
    if let Some((label, rest)) = labels::sub_point(block) {
        // A bullet keeps a bullet, so that it is read as a sub-point without a label.
        let label = if label.is_empty() { "-" } else { label };
        return format!("{label} {}", inline_text(rest)).trim().to_string();
    }
    inline_text(block)
}

/// Markdown inline text as a reader reads it: emphasis, links and code markup removed,
/// entities and escapes decoded, whitespace normalised.
pub fn inline_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_),
            ) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_title_line(words: &str, given: Option<&str>) -> bool {
    match given {
        Some(given) => {
            words.eq_ignore_ascii_case(given) || words.to_lowercase() == given.to_lowercase()
        }
        None => {
            words.split_whitespace().count() <= 20
                && !words.ends_with(['.', ':', ';', ','])
                && dates::date_line(words).is_none()
                && labels::paragraph_number(words).is_none()
                && labels::sub_point(words).is_none()
        }
    }
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
mod tests;
