//! The layout of a published text as the White House prints it, and as the seeds hold it:
//! YAML front matter between `---` lines (`title`, `date`, `source_url` and more), then
//! paragraphs separated by blank lines, with section headings on lines of their own, bold
//! and underlined (`**<u>Heading</u>**`). The importer reads a seed's sections from here
//! (`import::seed`), and the source page's reading view its paragraphs and headings
//! (`provenance::reading`), so the two agree on what a paragraph and a heading are.
//!
//! It imports only [`fence`](crate::fence), which says where the front matter ends.

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
