//! Reading a seed: a published statement as the White House prints it, with YAML front
//! matter (`title`, `date`, `source_url`) and a body whose section headings are bold,
//! underlined lines (`**<u>Heading</u>**`).

use std::path::Path;

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::content::MAX_FILE_BYTES;
use crate::fence::Unfenced;
use crate::files::{self, ReadError};
use crate::model::Date;
use crate::published::{self, Block};

/// A statement read from a seed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    /// Its title.
    pub title: String,
    /// When it was issued.
    pub date: Date,
    /// Where it was published.
    pub source_url: Option<String>,
    /// The paragraphs before the first heading.
    pub preamble: Vec<String>,
    /// Its sections in order.
    pub sections: Vec<SeedSection>,
}

/// A section of a seed: its heading and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSection {
    /// The heading text.
    pub heading: String,
    /// Its paragraphs, each with its line breaks and without trailing spaces.
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SeedFrontMatter {
    title: String,
    date: serde_yaml_ng::Value,
    source_url: Option<String>,
}

/// Reads a seed file's text.
pub fn parse_seed(text: &str) -> anyhow::Result<Seed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fenced = match published::front_matter(text) {
        Ok(fenced) => fenced,
        Err(Unfenced::NoOpening) => bail!(
            "line 1: the seed does not start with a --- line\nhelp: a seed starts with YAML front matter between --- lines holding title, date and source_url"
        ),
        Err(Unfenced::NotClosed) => bail!(
            "line 1: the seed's front matter is never closed\nhelp: end it with a line holding only ---"
        ),
    };
    let (front, date) = front_matter(&text[fenced.inner])?;
    let (preamble, sections) = body(&text[fenced.body_start..]);
    if sections.is_empty() {
        bail!(
            "the seed has no section headings\nhelp: headings are lines of the form **<u>Heading</u>**"
        );
    }
    Ok(Seed {
        title: front.title.trim().to_string(),
        date,
        source_url: front.source_url,
        preamble,
        sections,
    })
}

/// The seed's front matter, from the YAML between its fences, and its date.
fn front_matter(block: &str) -> anyhow::Result<(SeedFrontMatter, Date)> {
    // Each line ends in `\n` alone, as YAML has always been given it here.
    let mut yaml = String::new();
    for line in block.lines() {
        yaml.push_str(line);
        yaml.push('\n');
    }
    let front: SeedFrontMatter = serde_yaml_ng::from_str(&yaml).map_err(|error| {
        let line = error.location().map_or(2, |l| l.line() + 1);
        anyhow::anyhow!("line {line}: invalid seed front matter: {error}\nhelp: the front matter needs title, date (2025-04-18) and source_url")
    })?;
    let date_text = match &front.date {
        serde_yaml_ng::Value::String(s) => s.clone(),
        other => serde_yaml_ng::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    let date = Date::parse(date_text.get(..10).unwrap_or(&date_text))
        .with_context(|| format!("the seed's date `{date_text}` is not a date like 2025-04-18"))?;
    Ok((front, date))
}

/// The body's paragraphs before the first heading, and its sections, from its blocks
/// ([`published::blocks`], which the source page's reading view reads too).
fn body(text: &str) -> (Vec<String>, Vec<SeedSection>) {
    let mut preamble = Vec::new();
    let mut sections: Vec<SeedSection> = Vec::new();
    for block in published::blocks(text) {
        match block {
            Block::Heading(heading) => sections.push(SeedSection {
                heading,
                paragraphs: Vec::new(),
            }),
            Block::Paragraph(text) => match sections.last_mut() {
                Some(section) => section.paragraphs.push(text),
                None => preamble.push(text),
            },
        }
    }
    (preamble, sections)
}

/// Reads a seed as text, refusing what `check` would refuse as a source file: a special file
/// (a FIFO would block, `/dev/zero` never ends), more than [`MAX_FILE_BYTES`], or text that
/// is not UTF-8.
pub(super) fn read_seed(seed_path: &Path) -> anyhow::Result<String> {
    let shown = seed_path.display();
    let bytes = files::read_limited(seed_path, MAX_FILE_BYTES).map_err(|error| match error {
        ReadError::TooLarge(size) => anyhow::anyhow!(
            "cannot read the seed `{shown}`: it is {:.1} MB, more than the {} MB a source file may hold\nhelp: split the statement, or import only its text",
            size as f64 / 1e6,
            MAX_FILE_BYTES / 1024 / 1024
        ),
        ReadError::NotAFile(kind) => anyhow::anyhow!(
            "cannot read the seed `{shown}`: it is {kind}, not a regular file\nhelp: save the statement to a file and import that"
        ),
        ReadError::Io(error) => anyhow::anyhow!("cannot read the seed `{shown}`: {error}"),
    })?;
    let text = String::from_utf8(bytes).map_err(|error| {
        anyhow::anyhow!(
            "cannot read the seed `{shown}`: it is not valid UTF-8 (byte {})\nhelp: save it as UTF-8",
            error.utf8_error().valid_up_to()
        )
    })?;
    Ok(text)
}
