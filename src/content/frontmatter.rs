//! Splitting a content file into TOML front matter and Markdown body, and the typed
//! front matter of each kind of file.

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, SourceText};
use crate::fence::{self, Unfenced};
use crate::model::{Date, DayOrMonth, SourceKind, Status};

/// A content file cut in two, with byte offsets into the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML between the `+++` lines.
    pub front_matter: &'a str,
    /// Where the TOML starts in the file.
    pub front_matter_offset: usize,
    /// The Markdown after the closing `+++` line.
    pub body: &'a str,
    /// Where the body starts in the file.
    pub body_offset: usize,
}

/// Cuts `text` into front matter and body, or says what is wrong with its shape.
pub fn split<'a>(source: &SourceText<'a>) -> Result<Split<'a>, Diagnostic> {
    let text = source.text;
    if text.trim().is_empty() {
        return Err(Diagnostic::error(source.path, 1, 1, "file is empty").with_help(
            "start it with a line holding only +++, then front matter such as title = \"...\", then another +++ line",
        ));
    }
    match fence::find(text, "+++") {
        Ok(fenced) => Ok(Split {
            front_matter: &text[fenced.inner.clone()],
            front_matter_offset: fenced.inner.start,
            body: &text[fenced.body_start..],
            body_offset: fenced.body_start,
        }),
        Err(Unfenced::NoOpening) => {
            let line = text.lines().next().unwrap_or("").trim_end();
            let hint = if line == "---" {
                "front matter is TOML between +++ lines; replace the --- lines with +++ and write key = \"value\""
            } else {
                "start the file with a line holding only +++, then front matter such as title = \"...\", then another +++ line"
            };
            Err(source
                .error_at(
                    0,
                    line.len(),
                    "file has no front matter: its first line must be +++",
                )
                .with_help(hint))
        }
        Err(Unfenced::NotClosed) => Err(source
            .error_at(0, 3, "front matter is never closed")
            .with_help("end it with a line holding only +++")),
    }
}

/// Parses front matter TOML into `T`, turning a TOML or schema error into a diagnostic
/// placed in the file.
pub fn parse<T: serde::de::DeserializeOwned>(
    source: &SourceText<'_>,
    split: &Split<'_>,
) -> Result<T, Diagnostic> {
    toml::from_str(split.front_matter).map_err(|error| {
        let (offset, len) = error.span().map_or((0, 1), |span| {
            (span.start, span.end.saturating_sub(span.start))
        });
        let message = error.message().trim().trim_end_matches('.').to_string();
        let message = lowercase_first(&message);
        source
            .error_at(
                split.front_matter_offset + offset,
                len,
                format!("invalid front matter: {message}"),
            )
            .with_help(help_for_toml_error(&message))
    })
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn help_for_toml_error(message: &str) -> String {
    if message.contains("unknown field") {
        "remove the key or correct its spelling; docs/CONTENT-MODEL.md lists the keys of each kind of file".to_string()
    } else if message.contains("missing field") {
        "add the key to the front matter between the +++ lines".to_string()
    } else if message.contains("unknown variant") {
        "use one of the values listed above".to_string()
    } else if message.contains("nor a month like") {
        "write a day as 2025-04-18, or a month as \"2025-08\" (in quotes) when the day is not known"
            .to_string()
    } else if message.contains("date") {
        "write dates as 2025-04-18, without quotes or times".to_string()
    } else {
        "front matter is TOML: strings in double quotes, lists in [ ], one key = value per line"
            .to_string()
    }
}

/// `content/_index.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeFrontMatter {
    /// The home page heading.
    pub title: Option<String>,
}

/// `statements/<statement>/_index.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementFrontMatter {
    /// The statement's title.
    pub title: String,
    /// When it was issued.
    pub date: Date,
    /// Where it was issued.
    pub place: Option<String>,
    /// Country slugs of the parties.
    #[serde(default)]
    pub parties: Vec<Spanned<String>>,
    /// The source slug of its official text.
    pub source: Option<Spanned<String>>,
}

/// `statements/<statement>/<section>/_index.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFrontMatter {
    /// The section heading.
    pub title: String,
    /// Its order in the statement.
    #[serde(default)]
    pub weight: i64,
}

/// One `[[updates]]` entry of a pledge.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateFrontMatter {
    /// When it happened: a date, or a month when the day is not known.
    pub date: Spanned<DayOrMonth>,
    /// The pledge's status after it.
    pub status: Option<Status>,
    /// What happened.
    pub summary: String,
    /// The public page that reports it.
    pub url: Spanned<String>,
    /// That page's title.
    pub title: Option<String>,
    /// A caveat.
    pub note: Option<String>,
}

/// One `[[coverage]]` entry of a pledge.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageFrontMatter {
    /// The source's slug.
    pub source: Spanned<String>,
    /// The passage as the source words it.
    pub quote: Spanned<String>,
}

/// One `[[corrections]]` entry of a pledge.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionFrontMatter {
    /// When the correction was made.
    pub date: Date,
    /// What was wrong and what was changed.
    pub summary: String,
}

/// `statements/<statement>/<section>/<pledge>.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PledgeFrontMatter {
    /// The editors' headline.
    pub title: String,
    /// Its order in the section.
    #[serde(default)]
    pub weight: i64,
    /// Topic slugs.
    #[serde(default)]
    pub topics: Vec<Spanned<String>>,
    /// Country slugs beyond the parties.
    #[serde(default)]
    pub countries: Vec<Spanned<String>>,
    /// Program slugs.
    #[serde(default)]
    pub programs: Vec<Spanned<String>>,
    /// The governments that made it, when not all the statement's parties did.
    pub parties: Option<Vec<Spanned<String>>>,
    /// The tracker status; announced when absent.
    pub status: Option<Spanned<Status>>,
    /// Why the editors chose that status.
    pub status_reason: Option<String>,
    /// When the editors last checked the evidence.
    pub reviewed: Option<Spanned<Date>>,
    /// Who did, as an `[[editors]]` id.
    pub reviewed_by: Option<Spanned<String>>,
    /// Public corrections.
    #[serde(default)]
    pub corrections: Vec<CorrectionFrontMatter>,
    /// The tracker timeline.
    #[serde(default)]
    pub updates: Vec<UpdateFrontMatter>,
    /// Where sources report the pledge.
    #[serde(default)]
    pub coverage: Vec<CoverageFrontMatter>,
    /// Its paragraph number as published (`"7"`), for a numbered paragraph.
    pub number: Option<Spanned<String>>,
    /// Topics the importer found named in the text: suggestions, never listed.
    #[serde(default)]
    pub suggested_topics: Vec<String>,
    /// Countries the importer found named in the text: suggestions, never listed.
    #[serde(default)]
    pub suggested_countries: Vec<String>,
    /// Programs the importer found named in the text: suggestions, never listed.
    #[serde(default)]
    pub suggested_programs: Vec<String>,
    /// The importer's note for the editor (a paragraph that may hold several commitments).
    pub review_note: Option<String>,
}

/// `topics/`, `countries/` and `programs/` files.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityFrontMatter {
    /// Its name.
    pub title: String,
    /// Other names.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// One sentence about it.
    pub summary: Option<String>,
    /// Its official page.
    pub url: Option<Spanned<String>>,
    /// ISO 3166-1 alpha-2 code.
    pub iso: Option<Spanned<String>>,
}

/// `sources/<source>.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFrontMatter {
    /// Its title as published.
    pub title: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// Who wrote it.
    pub author: Option<String>,
    /// When it was published.
    pub date: Option<Date>,
    /// Where it was published.
    pub url: Option<Spanned<String>>,
    /// Why there is no `url`.
    pub no_url: Option<String>,
    /// Official text or coverage.
    pub kind: SourceKind,
    /// The text as published, relative to the site root.
    pub file: Option<Spanned<String>>,
    /// The format `file` is read in (`whitehouse`, `text`, `markdown`, `numbered`, `html`);
    /// told from its content when absent.
    pub format: Option<Spanned<String>>,
}

/// `pages/<page>.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFrontMatter {
    /// Its title.
    pub title: String,
    /// Its order in the navigation.
    #[serde(default)]
    pub weight: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_text(text: &str) -> Result<Split<'_>, Diagnostic> {
        split(&SourceText::new("a.md", text))
    }

    #[test]
    fn splits_front_matter_and_body() {
        let text = "+++\ntitle = \"x\"\n+++\nBody\n";
        let split = split_text(text).unwrap();
        assert_eq!(split.front_matter, "title = \"x\"\n");
        assert_eq!(split.body, "Body\n");
        assert_eq!(&text[split.body_offset..], "Body\n");
        assert_eq!(
            &text[split.front_matter_offset..split.front_matter_offset + 5],
            "title"
        );
    }

    #[test]
    fn accepts_crlf_and_a_final_line_without_newline() {
        let split = split_text("+++\r\ntitle = \"x\"\r\n+++").unwrap();
        assert_eq!(split.body, "");
    }

    #[test]
    fn reports_shape_problems() {
        assert_eq!(split_text("").unwrap_err().message, "file is empty");
        assert_eq!(split_text("  \n\n").unwrap_err().message, "file is empty");
        let unclosed = split_text("+++\ntitle = \"x\"\n").unwrap_err();
        assert_eq!(
            (unclosed.line, unclosed.message.as_str()),
            (1, "front matter is never closed")
        );
        let yaml = split_text("---\ntitle: x\n---\n").unwrap_err();
        assert!(yaml.help.unwrap().contains("replace the --- lines"));
        assert!(
            split_text("Just text")
                .unwrap_err()
                .message
                .contains("no front matter")
        );
    }

    #[test]
    fn toml_errors_point_into_the_file() {
        let text = "+++\ntitle = \"x\"\nwieght = 1\n+++\n";
        let source = SourceText::new("a.md", text);
        let split = split(&source).unwrap();
        let error = parse::<SectionFrontMatter>(&source, &split).unwrap_err();
        assert_eq!((error.line, error.col), (3, 1), "{error}");
        assert!(error.message.contains("unknown field `wieght`"), "{error}");
    }
}
