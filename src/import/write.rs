//! The plan of a statement, and the content files it becomes: the statement with its
//! preamble, its official source pointing at the seed, a file per section and per pledge.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Serialize;

use super::draft::{draft_headline, host_of, pledge_slug, slug_from};
use super::seed::Seed;
use super::suggest::{Suggestions, review_note};
use super::{ImportOptions, Plan, PlanPledge, PlanSection};
use crate::model::Date;
use crate::published::{Document, Format, Paragraph};

/// The plan of a seed in the White House layout: its paragraphs as published, line breaks
/// kept.
pub(super) fn plan_of_seed(seed: Seed, options: &ImportOptions) -> Plan {
    Plan {
        format: Format::WhiteHouse,
        title: options.title.clone().unwrap_or(seed.title),
        date: options.date.unwrap_or(seed.date),
        source_url: seed.source_url,
        preamble: seed.preamble,
        sections: seed
            .sections
            .into_iter()
            .map(|section| PlanSection {
                heading: section.heading,
                pledges: section
                    .paragraphs
                    .into_iter()
                    .map(|paragraph| PlanPledge {
                        number: None,
                        body: paragraph.clone(),
                        lead: paragraph.clone(),
                        text: paragraph,
                        points: Vec::new(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The plan of a document of any other format. The title and date come from the options
/// when given, else from the text; an error says which is missing and how to give it.
pub(super) fn plan_of_document(doc: &Document, options: &ImportOptions) -> anyhow::Result<Plan> {
    let title = options.title.clone().or_else(|| doc.title.clone());
    let date = options
        .date
        .or_else(|| doc.date.and_then(|d| Date::new(d.year, d.month, d.day)));
    let where_title = match doc.format {
        Format::Html => "no <h1> in the main text and no <title>",
        Format::Markdown => "no `# Title` line at the top",
        _ => "no title line at the top (one short line, followed by a blank line)",
    };
    let where_date = match doc.format {
        Format::Html => "no <time datetime>, no article:published_time and no date line",
        _ => {
            "no date line such as `18 April 2025`, `April 18, 2025`, `2025-04-18` or `Brussels, 14 June 2021` near the top"
        }
    };
    let (title, date) = match (title, date) {
        (Some(title), Some(date)) => (title, date),
        (None, None) => bail!(
            "the title and the date are missing: {where_title}; {where_date}\nhelp: pass --title \"The statement's title\" --date YYYY-MM-DD"
        ),
        (None, Some(_)) => bail!(
            "the title is missing: {where_title}\nhelp: pass --title \"The statement's title\""
        ),
        (Some(_), None) => bail!("the date is missing: {where_date}\nhelp: pass --date YYYY-MM-DD"),
    };
    let pledge = |p: &Paragraph| PlanPledge {
        number: p.number.clone(),
        body: markdown_body(p),
        text: p.full_text(),
        lead: p.text.clone(),
        points: p
            .points
            .iter()
            .map(|point| join_label(&point.label, &point.text))
            .collect(),
    };
    Ok(Plan {
        format: doc.format,
        source_url: doc.source_url.clone(),
        preamble: doc.preamble().into_iter().map(markdown_body).collect(),
        sections: doc
            .sections()
            .into_iter()
            .map(|section| PlanSection {
                heading: section.heading.unwrap_or(&title).to_string(),
                pledges: section.paragraphs.into_iter().map(pledge).collect(),
            })
            .collect(),
        title,
        date,
    })
}

fn join_label(label: &str, text: &str) -> String {
    if label.is_empty() {
        text.to_string()
    } else {
        format!("{label} {text}")
    }
}

/// A paragraph as Markdown that renders to its words exactly: its text escaped, then its
/// sub-points as a `-` list whose items open with their labels as published (escaped, so
/// Markdown never renumbers them).
pub fn markdown_body(paragraph: &Paragraph) -> String {
    let mut body = escape_markdown(&paragraph.text);
    for point in &paragraph.points {
        if !body.is_empty() {
            body.push_str(if body.ends_with('\n') { "" } else { "\n\n" });
        }
        body.push_str("- ");
        body.push_str(&escape_markdown(&join_label(&point.label, &point.text)));
        body.push('\n');
    }
    body.trim_end().to_string()
}

/// `text` (one line) escaped so that Markdown shows it as it is: every character Markdown
/// could read as markup is backslash-escaped, and so is a start that would open a list, a
/// heading or a quote (`-`, `+`, `7.`, `1)`).
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    for (i, c) in text.char_indices() {
        let markup = matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '&'
                | '~'
                | '|'
                | '#'
                | '{'
                | '}'
                | '!'
                | '$'
                | '^'
        );
        let opens_block = i == 0 && matches!(c, '-' | '+' | '=')
            || (digits > 0 && i == digits && matches!(c, '.' | ')'));
        if markup || opens_block {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[derive(Serialize)]
struct StatementOut<'a> {
    title: &'a str,
    date: toml::value::Datetime,
    parties: Vec<String>,
    source: &'a str,
}

#[derive(Serialize)]
struct SourceOut<'a> {
    title: &'a str,
    publisher: &'a str,
    date: toml::value::Datetime,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    kind: &'static str,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
}

#[derive(Serialize)]
struct SectionOut<'a> {
    title: &'a str,
    weight: usize,
}

#[derive(Serialize)]
struct PledgeOut {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<String>,
    weight: usize,
    topics: Vec<String>,
    countries: Vec<String>,
    programs: Vec<String>,
    status: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggested_topics: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggested_countries: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggested_programs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    review_note: Option<String>,
}

fn with_front_matter<T: Serialize>(front: &T, body: &str) -> anyhow::Result<String> {
    let toml = toml::to_string(front).context("cannot write front matter")?;
    Ok(if body.is_empty() {
        format!("+++\n{toml}+++\n")
    } else {
        format!("+++\n{toml}+++\n{body}\n")
    })
}

/// The seed's path from `root`, for the source to point at. A seed outside the project is
/// copied into `seeds/` untouched (added to `files`) so that it is inside.
pub(super) fn seed_in_project(
    root: &Path,
    seed_path: &Path,
    text: &str,
    files: &mut Vec<(PathBuf, String)>,
) -> anyhow::Result<String> {
    let root_canonical = root
        .canonicalize()
        .with_context(|| format!("cannot open the site folder `{}`", root.display()))?;
    let seed_canonical = seed_path.canonicalize()?;
    Ok(match seed_canonical.strip_prefix(&root_canonical) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => {
            let name = seed_path
                .file_name()
                .context("the seed has no file name")?
                .to_string_lossy()
                .into_owned();
            files.push((PathBuf::from("seeds").join(&name), text.to_string()));
            format!("seeds/{name}")
        }
    })
}

/// The statement's `_index.md` and its official source, which points at the seed and, for
/// any format but the White House layout, names the format the reading view reads it as.
pub(super) fn statement_files(
    plan: &Plan,
    statement_slug: &str,
    statement_dir: &Path,
    seed_relative: &str,
    parties: Vec<String>,
    files: &mut Vec<(PathBuf, String)>,
) -> anyhow::Result<()> {
    let date: toml::value::Datetime = plan
        .date
        .to_string()
        .parse()
        .expect("a Date prints as a TOML date");
    let host = plan
        .source_url
        .as_deref()
        .and_then(host_of)
        .unwrap_or("source");
    // One source per imported statement, so importing another statement never collides.
    let source_slug = format!("{statement_slug}-official");
    files.push((
        statement_dir.join("_index.md"),
        with_front_matter(
            &StatementOut {
                title: &plan.title,
                date,
                parties,
                source: &source_slug,
            },
            &plan.preamble.join("\n\n"),
        )?,
    ));
    files.push((
        PathBuf::from("content/sources").join(format!("{source_slug}.md")),
        with_front_matter(
            &SourceOut {
                title: &plan.title,
                publisher: host,
                date,
                url: plan.source_url.as_deref(),
                kind: "official",
                file: seed_relative,
                format: (plan.format != Format::WhiteHouse).then(|| plan.format.name()),
            },
            "",
        )?,
    ));
    Ok(())
}

/// Each section's `_index.md` and a file per paragraph, each a pledge with a drafted
/// headline, its published number (its weight too, when it is a whole number), the
/// entities its text names as suggestions, and a review note where it may hold several
/// commitments.
pub(super) fn section_files(
    plan: &Plan,
    statement_dir: &Path,
    suggestions: &Suggestions,
    parties: &[String],
    files: &mut Vec<(PathBuf, String)>,
) -> anyhow::Result<()> {
    let mut pledge_slugs = UniqueSlugs::default();
    let mut section_slugs = UniqueSlugs::default();
    for (section_idx, section) in plan.sections.iter().enumerate() {
        let mut section_slug = slug_from(&section.heading, 6);
        if section_slug.is_empty() {
            section_slug = format!("section-{}", section_idx + 1);
        }
        let section_slug = section_slugs.claim(section_slug);
        let section_dir = statement_dir.join(&section_slug);
        files.push((
            section_dir.join("_index.md"),
            with_front_matter(
                &SectionOut {
                    title: &section.heading,
                    weight: section_idx + 1,
                },
                "",
            )?,
        ));
        for (pledge_idx, pledge) in section.pledges.iter().enumerate() {
            let headline = draft_headline(&pledge.text);
            let slug = pledge_slugs.claim(pledge_slug(&headline));
            let [topics, countries, programs] = suggestions.for_pledge(&pledge.text, parties);
            let front = PledgeOut {
                title: headline,
                number: pledge.number.clone(),
                weight: pledge
                    .number
                    .as_deref()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(pledge_idx + 1),
                topics: Vec::new(),
                countries: Vec::new(),
                programs: Vec::new(),
                status: "announced",
                suggested_topics: topics,
                suggested_countries: countries,
                suggested_programs: programs,
                review_note: review_note(&pledge.lead, &pledge.points),
            };
            files.push((
                section_dir.join(format!("{slug}.md")),
                with_front_matter(&front, &pledge.body)?,
            ));
        }
    }
    Ok(())
}

/// Gives out `base`, then `base-2`, `base-3`, … for names already taken, in constant time
/// per name however many paragraphs share a headline.
#[derive(Default)]
pub(super) struct UniqueSlugs {
    taken: BTreeSet<String>,
    next: std::collections::HashMap<String, usize>,
}

impl UniqueSlugs {
    pub(super) fn claim(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}
