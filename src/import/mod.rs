//! Turning a published statement into content files to curate.
//!
//! The format read is that of the White House's published statements: YAML front matter with
//! `title`, `date` and `source_url`, then a Markdown body whose section headings are bold,
//! underlined lines (`**<u>Heading</u>**`). Text before the first heading is the preamble;
//! each paragraph after a heading is one pledge. Writes content files only; never renders.

mod draft;
mod seed;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Serialize;

use crate::content::MAX_FILE_BYTES;
use crate::content::frontmatter::{self, EntityFrontMatter};
use crate::diagnostic::SourceText;
use crate::files;
use crate::markdown::mentions::{MentionMatcher, Name};
use crate::model::EntityKind;
use crate::output;
use crate::slug;
use draft::{host_of, pledge_slug};
use seed::read_seed;

pub use draft::{draft_headline, slug_from};
pub use seed::{Seed, SeedSection, parse_seed};

/// Options for [`import_seed`].
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site folder to write into.
    pub root: PathBuf,
    /// The statement's slug; derived from its title when absent.
    pub slug: Option<String>,
    /// Overwrite existing files.
    pub force: bool,
}

/// Writes content files for the statement in `seed_path`, returning the paths written.
pub fn import_seed(seed_path: &Path, options: &ImportOptions) -> anyhow::Result<Vec<PathBuf>> {
    let text = read_seed(seed_path)?;
    let seed =
        parse_seed(&text).with_context(|| format!("cannot import `{}`", seed_path.display()))?;
    let root = &options.root;
    let statement_slug = options
        .slug
        .clone()
        .unwrap_or_else(|| slug_from(&seed.title, 8));
    if !slug::is_valid(&statement_slug) {
        bail!(
            "`{statement_slug}` is not a valid slug\nhelp: use only lowercase letters a-z, digits and -, e.g. --slug us-italy-2025"
        );
    }
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let seed_relative = seed_in_project(root, seed_path, &text, &mut files)?;
    let suggestions = Suggestions::new(root);
    let parties = suggestions.parties(&seed.title);
    let statement_dir = PathBuf::from("content/statements").join(&statement_slug);
    statement_files(
        &seed,
        &statement_slug,
        &statement_dir,
        &seed_relative,
        parties.clone(),
        &mut files,
    )?;
    section_files(&seed, &statement_dir, &suggestions, &parties, &mut files)?;
    output::write_content_files(root, files, options.force)
}

/// The seed's path from `root`, for the source to point at. A seed outside the project is
/// copied into `seeds/` (added to `files`) so that it is inside.
fn seed_in_project(
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

/// The entities already in the site, suggested for the statement and its pledges where
/// their text names them.
struct Suggestions {
    /// (kind, slug, title and aliases) of each entity.
    entities: Vec<(EntityKind, String, Vec<String>)>,
    matcher: MentionMatcher,
}

impl Suggestions {
    fn new(root: &Path) -> Self {
        let entities = existing_entities(root);
        let matcher =
            MentionMatcher::new(entities.iter().enumerate().flat_map(|(i, (_, _, names))| {
                names.iter().map(move |text| Name {
                    text: text.clone(),
                    entity: i,
                })
            }));
        Suggestions { entities, matcher }
    }

    /// The countries a statement's title names, sorted: its parties.
    fn parties(&self, title: &str) -> Vec<String> {
        self.matcher
            .find(title)
            .into_iter()
            .filter(|m| self.entities[m.entity].0 == EntityKind::Country)
            .map(|m| self.entities[m.entity].1.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// The topics, countries and programs a pledge's paragraph names, each sorted; the
    /// statement's parties are left out.
    fn for_pledge(&self, paragraph: &str, parties: &[String]) -> [Vec<String>; 3] {
        let mut suggested: [BTreeSet<String>; 3] = Default::default();
        for mention in self.matcher.find(paragraph) {
            let (kind, entity_slug, _) = &self.entities[mention.entity];
            if *kind == EntityKind::Country && parties.contains(entity_slug) {
                continue;
            }
            let slot = EntityKind::ALL
                .iter()
                .position(|k| k == kind)
                .expect("ALL lists every kind");
            suggested[slot].insert(entity_slug.clone());
        }
        suggested.map(|set| set.into_iter().collect::<Vec<_>>())
    }
}

/// The entities already written under `root/content`, as (kind, slug, title and aliases).
fn existing_entities(root: &Path) -> Vec<(EntityKind, String, Vec<String>)> {
    let mut entities = Vec::new();
    for kind in EntityKind::ALL {
        let dir = root.join("content").join(kind.folder());
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        paths.sort();
        for path in paths {
            let Ok(bytes) = files::read_limited(&path, MAX_FILE_BYTES) else {
                continue; // `check` reports it
            };
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            let relative = path.to_string_lossy().into_owned();
            let source = SourceText::new(&relative, &text);
            let Ok(split) = frontmatter::split(&source) else {
                continue;
            };
            let Ok(front) = frontmatter::parse::<EntityFrontMatter>(&source, &split) else {
                continue;
            };
            let slug = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut names = vec![front.title];
            names.extend(front.aliases.into_iter().map(toml::Spanned::into_inner));
            entities.push((kind, slug, names));
        }
    }
    entities
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
}

#[derive(Serialize)]
struct SectionOut<'a> {
    title: &'a str,
    weight: usize,
}

#[derive(Serialize)]
struct PledgeOut {
    title: String,
    weight: usize,
    topics: Vec<String>,
    countries: Vec<String>,
    programs: Vec<String>,
    status: &'static str,
}

fn with_front_matter<T: Serialize>(front: &T, body: &str) -> anyhow::Result<String> {
    let toml = toml::to_string(front).context("cannot write front matter")?;
    Ok(if body.is_empty() {
        format!("+++\n{toml}+++\n")
    } else {
        format!("+++\n{toml}+++\n{body}\n")
    })
}

/// The statement's `_index.md` and its official source, which points at the seed.
fn statement_files(
    seed: &Seed,
    statement_slug: &str,
    statement_dir: &Path,
    seed_relative: &str,
    parties: Vec<String>,
    files: &mut Vec<(PathBuf, String)>,
) -> anyhow::Result<()> {
    let date: toml::value::Datetime = seed
        .date
        .to_string()
        .parse()
        .expect("a Date prints as a TOML date");
    let host = seed
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
                title: &seed.title,
                date,
                parties,
                source: &source_slug,
            },
            &seed.preamble.join("\n\n"),
        )?,
    ));
    files.push((
        PathBuf::from("content/sources").join(format!("{source_slug}.md")),
        with_front_matter(
            &SourceOut {
                title: &seed.title,
                publisher: host,
                date,
                url: seed.source_url.as_deref(),
                kind: "official",
                file: seed_relative,
            },
            "",
        )?,
    ));
    Ok(())
}

/// Each section's `_index.md` and a file per paragraph, each a pledge with a drafted
/// headline and the entities its text names.
fn section_files(
    seed: &Seed,
    statement_dir: &Path,
    suggestions: &Suggestions,
    parties: &[String],
    files: &mut Vec<(PathBuf, String)>,
) -> anyhow::Result<()> {
    let mut pledge_slugs = UniqueSlugs::default();
    let mut section_slugs = UniqueSlugs::default();
    for (section_idx, section) in seed.sections.iter().enumerate() {
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
        for (pledge_idx, paragraph) in section.paragraphs.iter().enumerate() {
            let headline = draft_headline(paragraph);
            let slug = pledge_slugs.claim(pledge_slug(&headline));
            let [topics, countries, programs] = suggestions.for_pledge(paragraph, parties);
            let front = PledgeOut {
                title: headline,
                weight: pledge_idx + 1,
                topics,
                countries,
                programs,
                status: "announced",
            };
            files.push((
                section_dir.join(format!("{slug}.md")),
                with_front_matter(&front, paragraph)?,
            ));
        }
    }
    Ok(())
}

/// Gives out `base`, then `base-2`, `base-3`, … for names already taken, in constant time
/// per name however many paragraphs share a headline.
#[derive(Default)]
struct UniqueSlugs {
    taken: BTreeSet<String>,
    next: std::collections::HashMap<String, usize>,
}

impl UniqueSlugs {
    fn claim(&mut self, base: String) -> String {
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
