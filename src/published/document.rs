//! The one document model every format is read into: a title, a date, a source URL, and
//! the text's parts in reading order (title and furniture lines kept apart, headings,
//! paragraphs with their published numbers and sub-points). The importer reads its preamble
//! and sections ([`Document::preamble`], [`Document::sections`]); the source page's reading
//! view reads its parts.

use super::dates::Day;
use super::labels;

/// The formats a published text comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// YAML front matter and `**<u>Heading</u>**` headings, as the White House prints it.
    WhiteHouse,
    /// Plain text: paragraphs separated by blank lines, short lines as headings.
    Text,
    /// Markdown: `#` and setext headings, lists, emphasis and links.
    Markdown,
    /// Plain text whose paragraphs are numbered `1.`, `2.`, … with lettered sub-points.
    Numbered,
    /// A saved web page.
    Html,
}

impl Format {
    /// Every format, by the name `--format` and a source's `format` key use.
    pub const ALL: [Format; 5] = [
        Format::WhiteHouse,
        Format::Text,
        Format::Markdown,
        Format::Numbered,
        Format::Html,
    ];

    /// Its name: `whitehouse`, `text`, `markdown`, `numbered` or `html`.
    pub fn name(self) -> &'static str {
        match self {
            Format::WhiteHouse => "whitehouse",
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Numbered => "numbered",
            Format::Html => "html",
        }
    }

    /// The format a name names.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A sub-point of a paragraph: `(a) to strengthen …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    /// Its label as published (`(a)`, `ii.`), empty for a bullet.
    pub label: String,
    /// Its words.
    pub text: String,
}

/// A paragraph of the text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paragraph {
    /// Its number as published (`7`), if the text numbers it.
    pub number: Option<String>,
    /// Its words (without the number), every run of whitespace one space.
    pub text: String,
    /// Its sub-points in order.
    pub points: Vec<Point>,
}

impl Paragraph {
    /// Its words and its sub-points' labels and words, one space apart: what a reader reads.
    pub fn full_text(&self) -> String {
        let mut all = self.text.clone();
        for point in &self.points {
            for piece in [&point.label, &point.text] {
                if !piece.is_empty() {
                    if !all.is_empty() {
                        all.push(' ');
                    }
                    all.push_str(piece);
                }
            }
        }
        all
    }
}

/// A part of a text, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// The title line (or `<h1>`).
    Title(String),
    /// A line of furniture kept apart from the text: a date line, a byline.
    Meta(String),
    /// A heading: a section starts here.
    Heading(String),
    /// A paragraph.
    Paragraph(Paragraph),
}

/// A published text read into the one model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The format it was read as.
    pub format: Format,
    /// Its title, from the text.
    pub title: Option<String>,
    /// Its date, from the text.
    pub date: Option<Day>,
    /// Where it was published, if the text says.
    pub source_url: Option<String>,
    /// Its parts in reading order.
    pub parts: Vec<Part>,
}

/// A section: its heading (none for the numbered paragraphs of a text without headings)
/// and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section<'a> {
    /// Its heading.
    pub heading: Option<&'a str>,
    /// Its paragraphs.
    pub paragraphs: Vec<&'a Paragraph>,
}

impl Document {
    /// Its paragraphs in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.parts.iter().filter_map(|part| match part {
            Part::Paragraph(p) => Some(p),
            _ => None,
        })
    }

    /// Where the preamble ends: at the first heading or numbered paragraph; with neither,
    /// at the start (every paragraph is then a pledge).
    fn preamble_end(&self) -> usize {
        self.parts
            .iter()
            .position(|part| match part {
                Part::Heading(_) => true,
                Part::Paragraph(p) => p.number.is_some(),
                _ => false,
            })
            .unwrap_or(0)
    }

    /// The paragraphs before the first heading or numbered paragraph.
    pub fn preamble(&self) -> Vec<&Paragraph> {
        self.parts[..self.preamble_end()]
            .iter()
            .filter_map(|part| match part {
                Part::Paragraph(p) => Some(p),
                _ => None,
            })
            .collect()
    }

    /// The sections after the preamble: one per heading, and one without a heading for
    /// paragraphs before the first heading (numbered ones, or all of a text with neither
    /// headings nor numbers).
    pub fn sections(&self) -> Vec<Section<'_>> {
        let mut sections: Vec<Section<'_>> = Vec::new();
        for part in &self.parts[self.preamble_end()..] {
            match part {
                Part::Heading(heading) => sections.push(Section {
                    heading: Some(heading),
                    paragraphs: Vec::new(),
                }),
                Part::Paragraph(p) => match sections.last_mut() {
                    Some(section) => section.paragraphs.push(p),
                    None => sections.push(Section {
                        heading: None,
                        paragraphs: vec![p],
                    }),
                },
                Part::Title(_) | Part::Meta(_) => {}
            }
        }
        sections
    }
}

/// What a format's reader finds, before paragraphs and sub-points are put together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Raw {
    Title(String),
    Meta(String),
    Heading(String),
    /// A paragraph that may open with a paragraph number or a sub-point label.
    Text(String),
    /// A paragraph whose number the markup gives (`<ol>`, a Markdown list).
    Numbered(String, String),
    /// A sub-point whose label the markup gives.
    Point(String, String),
}

/// Puts paragraphs together: a text opening with a paragraph number starts a numbered
/// paragraph (when `numbering`), a text opening with a sub-point label is a sub-point of
/// the paragraph before it, anything else is a paragraph of its own. A list with no
/// paragraph before it in its section (right after a heading, or at the top) is no
/// sub-point list: each of its items is a paragraph, its label kept at the start of its
/// text. Empty texts are dropped.
pub(crate) fn assemble(raw: Vec<Raw>, numbering: bool) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    // Whether the items of the list being read are paragraphs of their own.
    let mut alone = false;
    let add_point = |parts: &mut Vec<Part>, alone: &mut bool, label: String, text: String| {
        let last = parts.iter_mut().rev().find(|p| !matches!(p, Part::Meta(_)));
        match last {
            Some(Part::Paragraph(p)) if !*alone => p.points.push(Point { label, text }),
            _ => {
                *alone = true;
                let text = if label.is_empty() {
                    text
                } else {
                    format!("{label} {text}")
                };
                parts.push(Part::Paragraph(Paragraph {
                    number: None,
                    text,
                    points: Vec::new(),
                }));
            }
        }
    };
    for item in raw {
        let is_point = match &item {
            Raw::Point(..) => true,
            Raw::Text(text) => {
                labels::sub_point(text).is_some()
                    && !(numbering && labels::paragraph_number(text).is_some())
            }
            Raw::Meta(_) => true,
            _ => false,
        };
        if !is_point {
            alone = false;
        }
        match item {
            Raw::Title(t) => parts.push(Part::Title(t)),
            Raw::Meta(t) if !t.is_empty() => parts.push(Part::Meta(t)),
            Raw::Heading(t) if !t.is_empty() => parts.push(Part::Heading(t)),
            Raw::Numbered(number, text) => parts.push(Part::Paragraph(Paragraph {
                number: Some(number),
                text,
                points: Vec::new(),
            })),
            Raw::Point(label, text) if !text.is_empty() => {
                add_point(&mut parts, &mut alone, label, text)
            }
            Raw::Text(text) if !text.is_empty() => {
                if numbering && let Some((number, rest)) = labels::paragraph_number(&text) {
                    parts.push(Part::Paragraph(Paragraph {
                        number: Some(number.to_string()),
                        text: rest.to_string(),
                        points: Vec::new(),
                    }));
                } else if let Some((label, rest)) = labels::sub_point(&text) {
                    add_point(&mut parts, &mut alone, label.to_string(), rest.to_string());
                } else {
                    parts.push(Part::Paragraph(Paragraph {
                        number: None,
                        text,
                        points: Vec::new(),
                    }));
                }
            }
            _ => {}
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_points_preamble_and_sections() {
        let raw = vec![
            Raw::Title("T".into()),
            Raw::Text("We met.".into()),
            Raw::Heading("One".into()),
            Raw::Text("1. Allies will:".into()),
            Raw::Text("(a) act;".into()),
            Raw::Text("(b) spend.".into()),
            Raw::Text("2. Done.".into()),
            Raw::Heading("Two".into()),
            Raw::Text("Unnumbered.".into()),
        ];
        let doc = Document {
            format: Format::Numbered,
            title: None,
            date: None,
            source_url: None,
            parts: assemble(raw, true),
        };
        assert_eq!(doc.preamble().len(), 1);
        let sections = doc.sections();
        assert_eq!(sections.len(), 2);
        let first = sections[0].paragraphs[0];
        assert_eq!(first.number.as_deref(), Some("1"));
        assert_eq!(first.full_text(), "Allies will: (a) act; (b) spend.");
        assert_eq!(sections[1].paragraphs[0].number, None);
    }
}
