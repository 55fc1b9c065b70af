//! Content diagnostics: a problem in a file the editor wrote, with its place and a fix.
//!
//! Everything that reads content reports problems as [`Diagnostic`]s and keeps going, so
//! that `check` and `build` can show every problem at once. This module only formats; it
//! never reads files.

use std::fmt;

use serde::Serialize;

use crate::term;

/// How bad a problem is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site cannot be built correctly.
    Error,
    /// The site builds, but something is probably not what the editor meant.
    Warning,
}

/// One problem in one file, located by line and column (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    /// What is wrong: lowercase start, no trailing period.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The offending source line, when one helps.
    pub snippet: Option<Snippet>,
    /// Problems with the same key are one problem met from several files (an unreadable
    /// folder that several sources point into): [`merge_repeats`] keeps the first.
    #[serde(skip)]
    pub repeat_key: Option<String>,
}

/// The source line a diagnostic points into, and how many characters it underlines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The line without its line break, or for a long line the part around `col`.
    pub text: String,
    /// How many characters from `col` on are underlined (at least 1).
    pub width: usize,
    /// The column of `text`'s first character: 1 unless a long line was cut before `col`.
    pub first_col: usize,
}

/// The most characters of a line a snippet shows, and how many of them come before the
/// place pointed at when the line is longer.
const SNIPPET_CHARS: usize = 200;
const SNIPPET_LEAD: usize = 60;

impl Diagnostic {
    /// An error at a known line and column.
    pub fn error(
        path: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            col,
            message: message.into(),
            help: None,
            snippet: None,
            repeat_key: None,
        }
    }

    /// A warning at a known line and column.
    pub fn warning(
        path: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    /// Adds the line telling the editor how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Marks this problem as one that other files may meet too, under `key`.
    pub fn repeated_as(mut self, key: impl Into<String>) -> Self {
        self.repeat_key = Some(key.into());
        self
    }

    /// Is this an error (as opposed to a warning)?
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// How a tab in a snippet is shown: as spaces, so the underline below lines up whatever the
/// terminal's tab stops.
const SNIPPET_TAB: &str = "    ";

impl fmt::Display for Diagnostic {
    /// `path:line:col: error: message`, the snippet underlined, then `help: …`. Text from
    /// content is shown through [`term::escape`]: no control character or bidirectional
    /// override is written raw, and the underline is measured in the columns printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {label}: {}",
            term::escape(&self.path),
            self.line,
            self.col,
            term::escape(&self.message)
        )?;
        if let Some(snippet) = &self.snippet {
            let gutter = self.line.to_string().len();
            let pad = " ".repeat(gutter);
            let start = self.col.saturating_sub(snippet.first_col.max(1));
            let end = start + snippet.width.max(1);
            let mut shown = String::with_capacity(snippet.text.len() + 3);
            let (mut before, mut under, mut n_chars) = (0, 0, 0);
            if snippet.first_col > 1 {
                // The line was cut before the place: say so.
                shown.push('…');
                before += 1;
            }
            for (i, c) in snippet.text.chars().enumerate() {
                let columns = if c == '\t' {
                    shown.push_str(SNIPPET_TAB);
                    SNIPPET_TAB.len()
                } else {
                    term::push_visible(&mut shown, c)
                };
                if i < start {
                    before += columns;
                } else if i < end {
                    under += columns;
                }
                n_chars = i + 1;
            }
            // Underlined places past the end of the line (its line break) take a column each.
            under += end - start.max(n_chars).min(end);
            write!(
                f,
                "\n{pad} |\n{} | {shown}\n{pad} | {}{}",
                self.line,
                " ".repeat(before),
                "^".repeat(under.max(1))
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {}", term::escape(help))?;
        }
        Ok(())
    }
}

/// A file's text with the knowledge needed to turn byte offsets into places.
#[derive(Debug, Clone)]
pub struct SourceText<'a> {
    /// The file, relative to the site root.
    pub path: &'a str,
    /// The whole file.
    pub text: &'a str,
}

impl<'a> SourceText<'a> {
    /// Wraps a file's path and text.
    pub fn new(path: &'a str, text: &'a str) -> Self {
        SourceText { path, text }
    }

    /// The 1-based line and character column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = self.text[line_start..offset].chars().count() + 1;
        (line, col)
    }

    /// The byte offset of a 1-based line and character column (clamped to the text).
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let line_start: usize = self
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let rest = &self.text[line_start.min(self.text.len())..];
        line_start
            + rest
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(rest.len(), |(i, _)| i)
    }

    /// An error pointing at `len` bytes from `offset`, with the line as a snippet.
    pub fn error_at(&self, offset: usize, len: usize, message: impl Into<String>) -> Diagnostic {
        self.located(Diagnostic::error(self.path, 0, 0, message), offset, len)
    }

    /// A warning pointing at `len` bytes from `offset`, with the line as a snippet.
    pub fn warning_at(&self, offset: usize, len: usize, message: impl Into<String>) -> Diagnostic {
        self.located(Diagnostic::warning(self.path, 0, 0, message), offset, len)
    }

    fn located(&self, mut diagnostic: Diagnostic, offset: usize, len: usize) -> Diagnostic {
        let (line, col) = self.line_col(offset);
        diagnostic.line = line;
        diagnostic.col = col;
        let line_text = self.text.lines().nth(line - 1).unwrap_or("");
        let end = (offset + len).min(self.text.len());
        let mut start = offset.min(end);
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end_boundary = end;
        while !self.text.is_char_boundary(end_boundary) {
            end_boundary += 1;
        }
        let underlined = self.text[start..end_boundary].lines().next().unwrap_or("");
        // A long line is shown around the place, so the underline always lands on it.
        let first_col = if col > SNIPPET_CHARS - SNIPPET_LEAD {
            col - SNIPPET_LEAD
        } else {
            1
        };
        let shown: String = line_text
            .chars()
            .skip(first_col - 1)
            .take(SNIPPET_CHARS)
            .collect();
        let room = shown.chars().count().saturating_sub(col - first_col).max(1);
        diagnostic.snippet = Some(Snippet {
            text: shown,
            width: underlined.chars().count().clamp(1, room),
            first_col,
        });
        diagnostic
    }
}

/// Sorts diagnostics by file, then place, so output is the same on every run.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
    });
}

/// Sorts diagnostics, then keeps only the first of those with the same
/// [`Diagnostic::repeat_key`], saying in its help how many other files met it.
pub fn merge_repeats(diagnostics: &mut Vec<Diagnostic>) {
    sort_diagnostics(diagnostics);
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for key in diagnostics.iter().filter_map(|d| d.repeat_key.clone()) {
        *counts.entry(key).or_default() += 1;
    }
    let mut seen = std::collections::HashSet::new();
    diagnostics.retain_mut(|diagnostic| {
        let Some(key) = &diagnostic.repeat_key else {
            return true;
        };
        if !seen.insert(key.clone()) {
            return false;
        }
        let others = counts[key] - 1;
        if others > 0 {
            let note = format!(
                "{others} other file{} met the same problem and {} not listed",
                if others == 1 { "" } else { "s" },
                if others == 1 { "is" } else { "are" }
            );
            diagnostic.help = Some(match diagnostic.help.take() {
                Some(help) => format!("{help}; {note}"),
                None => note,
            });
        }
        true
    });
}

/// The edit distance between two short strings, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b_chars: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b_chars.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b_chars.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b_chars.len()]
}

/// The closest known name to `wanted`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|candidate| (edit_distance(wanted, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= (wanted.len().max(candidate.len()) / 3).max(1))
        .min()
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let source = SourceText::new("a.md", "+++\ntitle = \"é\"\nx\n");
        assert_eq!(source.line_col(0), (1, 1));
        assert_eq!(source.line_col(4), (2, 1));
        let after_e = "+++\ntitle = \"é".len();
        assert_eq!(source.line_col(after_e), (2, 11));
        assert_eq!(source.line_col(10_000), (4, 1));
    }

    #[test]
    fn display_has_place_snippet_and_help() {
        let source = SourceText::new("content/a.md", "+++\ntopics = [\"secuirty\"]\n+++\n");
        let offset = source.text.find("\"secuirty\"").unwrap();
        let diagnostic = source
            .error_at(offset, 10, "unknown topic `secuirty`")
            .with_help("did you mean `security`?");
        let shown = diagnostic.to_string();
        assert_eq!(
            shown,
            "content/a.md:2:11: error: unknown topic `secuirty`\n  |\n2 | topics = [\"secuirty\"]\n  |           ^^^^^^^^^^\n  help: did you mean `security`?"
        );
    }

    #[test]
    fn display_escapes_content_and_keeps_the_underline_under_it() {
        let text = "+++\ntopics = [\"\u{1b}]0;pwned\u{7}\", \"\u{1b}[31mred\u{202e}\"]\n+++\n";
        let source = SourceText::new("content/\u{1b}[2Ja.md", text);
        let offset = text.find("\"\u{1b}[31m").unwrap();
        let diagnostic = source
            .error_at(
                offset,
                "\"\u{1b}[31mred\u{202e}\"".len(),
                "unknown topic `\u{1b}[31mred\u{202e}`",
            )
            .with_help("create content/topics/\u{1b}[31mred\u{202e}.md");
        let shown = diagnostic.to_string();
        assert!(!shown.chars().any(term::is_unsafe), "{shown}");
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(
            lines[0],
            "content/\\u{1b}[2Ja.md:2:25: error: unknown topic `\\u{1b}[31mred\\u{202e}`"
        );
        assert_eq!(
            lines[2],
            "2 | topics = [\"\\u{1b}]0;pwned\\u{7}\", \"\\u{1b}[31mred\\u{202e}\"]"
        );
        // The carets start under the opening quote and end under the closing one.
        let caret = lines[3].find('^').unwrap();
        let quote = lines[2].find("\"\\u{1b}[31m").unwrap();
        assert_eq!(caret, quote);
        assert_eq!(
            lines[3].len(),
            lines[2].len() - "]".len(),
            "{}\n{}",
            lines[2],
            lines[3]
        );
        assert_eq!(
            lines[4],
            "  help: create content/topics/\\u{1b}[31mred\\u{202e}.md"
        );
    }

    #[test]
    fn a_long_line_is_shown_around_the_place() {
        let line = format!("topics = [{}\"bad\"]", "\"a\", ".repeat(300));
        let source = SourceText::new("a.md", &line);
        let offset = line.find("\"bad\"").unwrap();
        let diagnostic = source.error_at(offset, 5, "bad");
        assert_eq!(diagnostic.col, offset + 1);
        let shown = diagnostic.to_string();
        let lines: Vec<&str> = shown.lines().collect();
        let caret = lines[3].find('^').unwrap();
        let text: String = lines[2].chars().skip(caret).take(5).collect();
        assert_eq!(text, "\"bad\"", "{shown}");
        assert!(lines[2].starts_with("1 | …"));
        assert_eq!(lines[3].trim_start_matches([' ', '|']), "^^^^^");
    }

    #[test]
    fn display_shows_tabs_as_spaces_with_the_underline_below() {
        let source = SourceText::new("a.md", "+++\n\ttitle\t= x\n+++\n");
        let offset = source.text.find('x').unwrap();
        let shown = source.error_at(offset, 1, "bad").to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[2], "2 |     title    = x");
        assert_eq!(lines[3], "  |                ^");
        assert!(!shown.contains('\t'));
        // A snippet that underlines past the end of its line keeps its width.
        let mut past = Diagnostic::error("a.md", 1, 3, "end");
        past.snippet = Some(Snippet {
            text: "ab".to_string(),
            width: 2,
            first_col: 1,
        });
        assert_eq!(past.to_string().lines().nth(3), Some("  |   ^^"));
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        let known = ["security", "energy", "space"];
        assert_eq!(did_you_mean("secuirty", known), Some("security"));
        assert_eq!(did_you_mean("agriculture", known), None);
    }
}
