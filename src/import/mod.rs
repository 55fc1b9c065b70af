//! Turning a published statement into content files to curate.
//!
//! The formats read are those of [`crate::published`]: the White House layout (YAML front
//! matter, `**<u>Heading</u>**` sections, read here in [`seed`]), plain text, numbered
//! communiqués, Markdown and saved web pages, told apart by
//! [`published::detect`](crate::published::detect) unless `--format` says. Each is read
//! into one plan: the preamble (text before the first heading or numbered paragraph),
//! sections (one per heading), and one pledge per paragraph, keeping its published number
//! and its sub-points with their labels. Writes content files only, through
//! [`output::write_content_files`]; never renders.

mod draft;
mod seed;
mod suggest;
mod write;

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::model::Date;
use crate::output;
use crate::published::{self, Format};
use crate::slug;
use seed::read_seed;
use suggest::Suggestions;

pub use draft::{draft_headline, slug_from};
pub use seed::{Seed, SeedSection, parse_seed};
pub use suggest::COMMITMENT_WORDS;

/// Options for [`import_seed`].
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The site folder to write into.
    pub root: PathBuf,
    /// The statement's slug; derived from its title when absent.
    pub slug: Option<String>,
    /// Overwrite existing files.
    pub force: bool,
    /// The format, when not told from the content.
    pub format: Option<Format>,
    /// The title, when the text has none (or to replace it).
    pub title: Option<String>,
    /// The date, when the text has none (or to replace it).
    pub date: Option<Date>,
}

/// A statement ready to write: what [`plan`] reads from a file.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The format it was read as.
    pub format: Format,
    /// Its title.
    pub title: String,
    /// Its date.
    pub date: Date,
    /// Where it was published.
    pub source_url: Option<String>,
    /// The preamble's paragraphs, as Markdown.
    pub preamble: Vec<String>,
    /// Its sections.
    pub sections: Vec<PlanSection>,
}

/// A section of a [`Plan`].
#[derive(Debug, Clone)]
pub struct PlanSection {
    /// Its heading.
    pub heading: String,
    /// Its pledges, one per paragraph.
    pub pledges: Vec<PlanPledge>,
}

/// A pledge of a [`Plan`]: one paragraph of the text.
#[derive(Debug, Clone)]
pub struct PlanPledge {
    /// Its number as published.
    pub number: Option<String>,
    /// Its body: the paragraph as Markdown that renders to its words, sub-points as a list.
    pub body: String,
    /// Its words and sub-points as plain text.
    pub text: String,
    /// Its words without its sub-points.
    pub lead: String,
    /// Its sub-points, each label and words.
    pub points: Vec<String>,
}

/// Reads the statement in `seed_path` into a [`Plan`], and its text.
pub fn plan(seed_path: &Path, options: &ImportOptions) -> anyhow::Result<(Plan, String)> {
    let text = read_seed(seed_path)?;
    let shown = seed_path.display();
    let format = match options.format {
        Some(format) => format,
        None => published::detect(&text).map_err(|why| {
            anyhow::anyhow!(
                "cannot import `{shown}`: cannot tell its format: {}\nhelp: pass --format whitehouse|text|markdown|numbered|html",
                why.0
            )
        })?,
    };
    let plan = match format {
        Format::WhiteHouse => {
            let seed = parse_seed(&text).with_context(|| format!("cannot import `{shown}`"))?;
            write::plan_of_seed(seed, options)
        }
        _ => {
            let doc = published::parse(&text, format, options.title.as_deref());
            write::plan_of_document(&doc, options)
                .with_context(|| format!("cannot import `{shown}` (read as {})", format.name()))?
        }
    };
    if plan.preamble.is_empty() && plan.sections.iter().all(|s| s.pledges.is_empty()) {
        bail!(
            "cannot import `{shown}`: no paragraph of text was found in it (read as {})\nhelp: check the file, or pass --format",
            format.name()
        );
    }
    Ok((plan, text))
}

/// What an import would write, for `--dry-run`: the statement, then each section with its
/// pledges' numbers, first words, sub-points and review notes.
pub fn describe(plan: &Plan) -> String {
    let mut out = format!(
        "{} ({}, read as {})\npreamble: {} paragraph(s)\n",
        plan.title,
        plan.date,
        plan.format.name(),
        plan.preamble.len()
    );
    let pledges: usize = plan.sections.iter().map(|s| s.pledges.len()).sum();
    out.push_str(&format!(
        "{} section(s), {pledges} pledge(s)\n",
        plan.sections.len()
    ));
    for (i, section) in plan.sections.iter().enumerate() {
        out.push_str(&format!(
            "section {}: {} ({} pledge(s))\n",
            i + 1,
            section.heading,
            section.pledges.len()
        ));
        for pledge in &section.pledges {
            let number = pledge
                .number
                .as_deref()
                .map_or_else(|| "  -".to_string(), |n| format!("{n:>3}."));
            let words: Vec<&str> = pledge.text.split_whitespace().take(8).collect();
            let mut line = format!("  {number} {}…", words.join(" "));
            if !pledge.points.is_empty() {
                let labels: Vec<&str> = pledge
                    .points
                    .iter()
                    .filter_map(|p| p.split_whitespace().next())
                    .collect();
                line.push_str(&format!(" [sub-points: {}]", labels.join(" ")));
            }
            if let Some(note) = suggest::review_note(&pledge.lead, &pledge.points) {
                line.push_str(&format!(" [review: {note}]"));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Writes content files for the statement in `seed_path`, returning the paths written.
pub fn import_seed(seed_path: &Path, options: &ImportOptions) -> anyhow::Result<Vec<PathBuf>> {
    let (plan, text) = plan(seed_path, options)?;
    let root = &options.root;
    let statement_slug = options
        .slug
        .clone()
        .unwrap_or_else(|| slug_from(&plan.title, 8));
    if !slug::is_valid(&statement_slug) {
        bail!(
            "`{statement_slug}` is not a valid slug\nhelp: use only lowercase letters a-z, digits and -, e.g. --slug us-italy-2025"
        );
    }
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let seed_relative = write::seed_in_project(root, seed_path, &text, &mut files)?;
    let suggestions = Suggestions::new(root);
    let parties = suggestions.parties(&plan.title);
    let statement_dir = PathBuf::from("content/statements").join(&statement_slug);
    write::statement_files(
        &plan,
        &statement_slug,
        &statement_dir,
        &seed_relative,
        parties.clone(),
        &mut files,
    )?;
    write::section_files(&plan, &statement_dir, &suggestions, &parties, &mut files)?;
    output::write_content_files(root, files, options.force)
}
