//! Where a front matter block is: between a first line that holds only a fence and the next
//! line that does. Content files fence their TOML with `+++`, seeds their YAML with `---`;
//! every reader of either (`content::frontmatter`, the importer, the search index's copy of
//! a source text) finds the block here, so they agree on where it ends. This module imports
//! nothing from the crate.
//!
//! A line is a fence line when it is the fence followed only by whitespace (so `+++\r\n` is
//! one, and `++++` is not).

use std::ops::Range;

/// A front matter block at the start of a text, as byte offsets into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fenced {
    /// The block's lines, without the fence lines around them.
    pub inner: Range<usize>,
    /// Where the text after the closing fence line starts.
    pub body_start: usize,
}

/// Why a text has no front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfenced {
    /// The first line is not a fence line.
    NoOpening,
    /// No line after the first is a fence line.
    NotClosed,
}

/// Finds the block that `fence` lines open and close at the start of `text`.
pub fn find(text: &str, fence: &str) -> Result<Fenced, Unfenced> {
    let first_line_end = line_end(text, 0);
    if text[..first_line_end].trim_end() != fence {
        return Err(Unfenced::NoOpening);
    }
    let mut line_start = first_line_end;
    while line_start < text.len() {
        let next = line_end(text, line_start);
        if text[line_start..next].trim_end() == fence {
            return Ok(Fenced {
                inner: first_line_end..line_start,
                body_start: next,
            });
        }
        line_start = next;
    }
    Err(Unfenced::NotClosed)
}

/// Where the line starting at `start` ends, after its `\n` if it has one.
fn line_end(text: &str, start: usize) -> usize {
    text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_between_fence_lines() {
        let text = "+++\na = 1\n+++\nBody\n";
        let fenced = find(text, "+++").unwrap();
        assert_eq!(&text[fenced.inner.clone()], "a = 1\n");
        assert_eq!(&text[fenced.body_start..], "Body\n");
        let crlf = "---  \r\ntitle: x\r\n---\r\n";
        let fenced = find(crlf, "---").unwrap();
        assert_eq!(&crlf[fenced.inner], "title: x\r\n");
        assert_eq!(fenced.body_start, crlf.len());
        assert_eq!(find("+++\n+++", "+++").unwrap().inner, 4..4);
    }

    #[test]
    fn texts_without_a_block() {
        assert_eq!(find("", "+++"), Err(Unfenced::NoOpening));
        assert_eq!(find("---\n", "+++"), Err(Unfenced::NoOpening));
        assert_eq!(
            find("--- not a fence\n---\n", "---"),
            Err(Unfenced::NoOpening)
        );
        assert_eq!(find("+++\na = 1\n", "+++"), Err(Unfenced::NotClosed));
        assert_eq!(find("---\na\n----\n", "---"), Err(Unfenced::NotClosed));
    }
}
