//! Reading the site from disk: `site.toml`, every file under `content/`, and the source
//! texts that sources point to. Builds a [`Site`]; never renders and never writes.
//!
//! Files are read and parsed in parallel. A file with a problem is left out of the site and
//! reported as a [`Diagnostic`]; loading carries on so every problem is reported at once.

pub mod frontmatter;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;
use toml::Spanned;

use crate::Problems;
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, SourceText};
use crate::files::{self, Project, ReadError, Refusal, WalkOptions};
use crate::model::{
    Body, Coverage, Entity, EntityKind, FreePage, Home, Located, Origin, Pledge, Section, Site,
    Source, Statement, Update, failed_to_load,
};
use crate::slug;
use frontmatter::{
    EntityFrontMatter, HomeFrontMatter, PageFrontMatter, PledgeFrontMatter, SectionFrontMatter,
    SourceFrontMatter, StatementFrontMatter,
};

/// The largest content or source file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// A loaded site and the problems found while loading it.
#[derive(Debug)]
pub struct Loaded {
    /// The site, without the files that had errors.
    pub site: Site,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `site.toml` and `content/` under `root`.
///
/// Fails with [`Problems`] when `site.toml` cannot be used at all; every other problem is
/// returned in [`Loaded::diagnostics`].
pub fn load_site(root: &Path) -> anyhow::Result<Loaded> {
    let project = Project::open(root)
        .with_context(|| format!("cannot open the site folder `{}`", root.display()))?;
    let config = load_config(&project)?;
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Problems(vec![Diagnostic::error("content", 1, 1, "the site has no content/ folder").with_help(
            "create content/ with statements/, topics/, countries/, programs/ and sources/ as docs/CONTENT-MODEL.md describes",
        )])
        .into());
    }

    let mut diagnostics = Vec::new();
    let listed = list_content_files(&project, &mut diagnostics);
    let parsed: Vec<(String, Result<Parsed, Vec<Diagnostic>>)> = listed
        .files
        .into_par_iter()
        .map(|(relative, absolute)| {
            let result = read_text(&absolute, &relative)
                .map_err(|diagnostic| vec![diagnostic])
                .and_then(|text| parse_file(&project, &relative, text));
            (relative, result)
        })
        .collect();

    let mut parts = Parts::default();
    for folder in listed.unreadable {
        // Everything below an unreadable folder is unknown: references into it are not
        // reported again.
        let below = folder.strip_prefix("content").unwrap_or(&folder);
        parts
            .unparsed
            .insert(format!("{}/", below.trim_start_matches('/')));
    }
    for (relative, result) in parsed {
        match result {
            Ok(item) => parts.add(item),
            Err(mut problems) => {
                diagnostics.append(&mut problems);
                parts.unparsed.insert(
                    relative
                        .strip_prefix("content/")
                        .unwrap_or(&relative)
                        .to_string(),
                );
            }
        }
    }
    diagnostic::merge_repeats(&mut diagnostics);
    let site = parts.assemble(config, &mut diagnostics);
    Ok(Loaded { site, diagnostics })
}

fn load_config(project: &Project) -> anyhow::Result<Config> {
    let path = match project.resolve_file("site.toml") {
        Ok(path) => path,
        Err(Refusal::Missing) => project.root.join("site.toml"),
        Err(refusal) => {
            return Err(Problems(vec![
                Diagnostic::error(
                    "site.toml",
                    1,
                    1,
                    refusal.message("the settings file", "site.toml"),
                )
                .with_help("make site.toml a regular file inside the project"),
            ])
            .into());
        }
    };
    if !path.is_file() {
        return Err(Problems(vec![Diagnostic::error("site.toml", 1, 1, "the site has no site.toml").with_help(
            "create site.toml with at least title = \"...\" and base_url = \"https://...\" (see the README)",
        )])
        .into());
    }
    let text = read_text(&path, "site.toml").map_err(|diagnostic| Problems(vec![diagnostic]))?;
    let source = SourceText::new("site.toml", &text);
    let config = toml::from_str::<Config>(&text).map_err(|error| {
        let (offset, len) = error.span().map_or((0, 1), |span| (span.start, span.end - span.start));
        let message = error.message().trim().trim_end_matches('.');
        Problems(vec![source
            .error_at(offset, len, format!("invalid site.toml: {message}"))
            .with_help("site.toml takes title, base_url, description, language, theme, author and allow_html")])
    })?;
    // Every page's address starts with base_url, in pages, the feeds and the sitemap.
    if let Err(why) = crate::url_scheme::check_base_url(&config.base_url) {
        /// Read again, only to place the error.
        #[derive(serde::Deserialize)]
        struct BaseUrl {
            base_url: Spanned<String>,
        }
        let span = toml::from_str::<BaseUrl>(&text).map_or(0..1, |b| b.base_url.span());
        return Err(Problems(vec![
            source
                .error_at(
                    span.start,
                    span.end - span.start,
                    format!(
                        "base_url `{}` {why}",
                        crate::url_scheme::shown(&config.base_url)
                    ),
                )
                .with_help(crate::url_scheme::BASE_URL_HELP),
        ])
        .into());
    }
    Ok(config)
}

/// Reads a file as UTF-8 text, refusing files that are too large or not UTF-8.
pub fn read_text(path: &Path, relative: &str) -> Result<String, Diagnostic> {
    let bytes = files::read_limited(path, MAX_FILE_BYTES).map_err(|error| match error {
        ReadError::TooLarge(size) => Diagnostic::error(
            relative,
            1,
            1,
            format!(
                "file is {:.1} MB, more than the {} MB a content file may hold",
                size as f64 / 1e6,
                MAX_FILE_BYTES / 1024 / 1024
            ),
        )
        .with_help("split it, or move large documents out of content/"),
        ReadError::NotAFile(kind) => {
            Diagnostic::error(relative, 1, 1, format!("{kind} is not a regular file"))
                .with_help("remove it: only regular files are read")
        }
        ReadError::Io(error) => {
            Diagnostic::error(relative, 1, 1, format!("cannot read the file: {error}"))
        }
    })?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(
            Diagnostic::error(relative, 1, 1, "file is encoded as UTF-16")
                .with_help("save it as UTF-8 (in most editors: Save with Encoding, UTF-8)"),
        );
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let bytes = error.as_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let (line, col) = SourceText::new(relative, &prefix).line_col(valid);
            Err(Diagnostic::error(
                relative,
                line,
                col,
                format!("file is not valid UTF-8 (byte {valid})"),
            )
            .with_help("save the file as UTF-8"))
        }
    }
}

/// The Markdown files under `content/`, and the folders that could not be read.
struct ContentFiles {
    /// (path from the root as the editor sees it, the file to read).
    files: Vec<(String, PathBuf)>,
    unreadable: Vec<String>,
}

/// Is `name` an editor's backup, swap or temporary file?
fn is_scratch(name: &str) -> bool {
    name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
}

/// Lists the Markdown files under `content/`, reporting links that leave the project,
/// special files, unreadable folders and files that are not Markdown.
fn list_content_files(project: &Project, diagnostics: &mut Vec<Diagnostic>) -> ContentFiles {
    let walk = project.walk(
        "content",
        WalkOptions {
            skip: &is_scratch,
            well_known: false,
        },
    );
    diagnostics.extend(walk.problems);
    let mut files = Vec::new();
    for found in walk.files {
        if !found.name.ends_with(".md") {
            diagnostics.push(
                Diagnostic::warning(&found.relative, 1, 1, "file is not Markdown and is ignored")
                    .with_help("put images and other files under static/"),
            );
            continue;
        }
        files.push((found.relative, found.path));
    }
    ContentFiles {
        files,
        unreadable: walk.unreadable,
    }
}

/// Where a file sits in the content model.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    Home,
    Statement {
        statement: String,
    },
    Section {
        statement: String,
        section: String,
    },
    Pledge {
        statement: String,
        section: String,
        slug: String,
    },
    Entity {
        kind: EntityKind,
        slug: String,
    },
    Source {
        slug: String,
    },
    Page {
        slug: String,
    },
}

fn place_of(relative: &str) -> Result<Place, Diagnostic> {
    let parts: Vec<&str> = relative.split('/').skip(1).collect();
    let stem = |name: &str| name.trim_end_matches(".md").to_string();
    let place = match parts.as_slice() {
        ["_index.md"] => Place::Home,
        ["statements", statement, "_index.md"] => Place::Statement {
            statement: statement.to_string(),
        },
        ["statements", statement, section, "_index.md"] => Place::Section {
            statement: statement.to_string(),
            section: section.to_string(),
        },
        ["statements", _, name] => {
            return Err(Diagnostic::error(relative, 1, 1, "pledge is not inside a section folder").with_help(format!(
                "move it into a section folder: content/statements/<statement>/<section>/{name}"
            )));
        }
        ["statements", statement, section, name] => Place::Pledge {
            statement: statement.to_string(),
            section: section.to_string(),
            slug: stem(name),
        },
        [folder, name] if EntityKind::from_folder(folder).is_some() => Place::Entity {
            kind: EntityKind::from_folder(folder).expect("checked by the guard"),
            slug: stem(name),
        },
        ["sources", name] => Place::Source { slug: stem(name) },
        ["pages", name] => Place::Page { slug: stem(name) },
        _ => {
            return Err(Diagnostic::error(relative, 1, 1, "file is in no place the content model knows").with_help(
                "content files go in statements/<statement>/<section>/, topics/, countries/, programs/, sources/ or pages/",
            ));
        }
    };
    for part in &parts {
        let slug = part.trim_end_matches(".md");
        if slug != "_index" && !slug::is_valid(slug) {
            return Err(Diagnostic::error(relative, 1, 1, format!("`{slug}` is not a valid slug")).with_help(
                "rename it using only lowercase letters a-z, digits and -, e.g. nato-defense-funding",
            ));
        }
    }
    Ok(place)
}

/// Reads and parses one pledge file again, for the preview's quick update. `relative` is
/// the file's path from the site root (`content/statements/s/a/p.md`). The pledge's
/// `section` and `statement` indices are left at 0 for the caller to fill in; errors are
/// left for the full rebuild that follows to report, so any problem gives `None`.
pub fn reparse_pledge(root: &Path, relative: &str) -> Option<Pledge> {
    let project = Project::open(root).ok()?;
    let absolute = project.resolve_file(relative).ok()?;
    let text = read_text(&absolute, relative).ok()?;
    match parse_file(&project, relative, text).ok()? {
        Parsed::Pledge { pledge, .. } => Some(pledge),
        _ => None,
    }
}

/// One parsed file, before it is attached to its parents.
#[derive(Debug)]
enum Parsed {
    Home(Home),
    Statement(Statement),
    Section {
        statement: String,
        section: Section,
    },
    Pledge {
        statement: String,
        section: String,
        pledge: Pledge,
    },
    Entity(Entity),
    Source(Source),
    Page(FreePage),
}

/// A front matter URL, which must be a web address (`url_scheme::check_web_address`): it is
/// a link to another site, and reaches pages and feeds as an `href`. A bad one is added to
/// `problems` where it is written.
fn web_address(
    source: &SourceText<'_>,
    fm_offset: usize,
    key: &str,
    url: Spanned<String>,
    problems: &mut Vec<Diagnostic>,
) -> String {
    let span = url.span();
    let url = url.into_inner();
    if let Err(why) = crate::url_scheme::check_web_address(&url) {
        problems.push(
            source
                .error_at(
                    fm_offset + span.start,
                    span.end - span.start,
                    format!("{key} `{}` {why}", crate::url_scheme::shown(&url)),
                )
                .with_help(crate::url_scheme::WEB_ADDRESS_HELP),
        );
    }
    url
}

fn located(spanned: Spanned<String>, offset: usize) -> Located<String> {
    let span = spanned.span();
    Located {
        value: spanned.into_inner(),
        span: offset + span.start..offset + span.end,
    }
}

fn parse_file(project: &Project, relative: &str, text: String) -> Result<Parsed, Vec<Diagnostic>> {
    let place = place_of(relative).map_err(|d| vec![d])?;
    let source = SourceText::new(relative, &text);
    let split = frontmatter::split(&source).map_err(|d| vec![d])?;
    let fm_offset = split.front_matter_offset;
    let body = Body {
        markdown: split.body.to_string(),
        offset: split.body_offset,
    };
    let origin = |text: &str| Origin {
        path: relative.to_string(),
        text: text.to_string(),
    };
    let one = |d: Diagnostic| vec![d];
    let parsed = match place {
        Place::Home => {
            let fm: HomeFrontMatter = frontmatter::parse(&source, &split).map_err(one)?;
            Parsed::Home(Home {
                title: fm.title,
                body,
                origin: Some(origin(&text)),
            })
        }
        Place::Statement { statement } => {
            let fm: StatementFrontMatter = frontmatter::parse(&source, &split).map_err(one)?;
            Parsed::Statement(Statement {
                slug: statement,
                title: fm.title,
                date: fm.date,
                place: fm.place,
                parties: fm
                    .parties
                    .into_iter()
                    .map(|p| located(p, fm_offset))
                    .collect(),
                source: fm.source.map(|s| located(s, fm_offset)),
                body,
                origin: origin(&text),
            })
        }
        Place::Section { statement, section } => {
            let fm: SectionFrontMatter = frontmatter::parse(&source, &split).map_err(one)?;
            Parsed::Section {
                statement,
                section: Section {
                    slug: section,
                    title: fm.title,
                    weight: fm.weight,
                    statement: usize::MAX,
                    body,
                    origin: origin(&text),
                },
            }
        }
        Place::Pledge {
            statement,
            section,
            slug,
        } => {
            let fm: PledgeFrontMatter = frontmatter::parse(&source, &split).map_err(one)?;
            let mut problems = Vec::new();
            let mut updates: Vec<Update> = Vec::new();
            for update in fm.updates {
                let span = update.date.span();
                let date = update.date.into_inner();
                if let Some(previous) = updates.last()
                    && previous.date > date
                {
                    problems.push(
                        source
                            .error_at(
                                fm_offset + span.start,
                                span.end - span.start,
                                format!(
                                    "update of {date} comes after a later one ({})",
                                    previous.date
                                ),
                            )
                            .with_help("list [[updates]] oldest first"),
                    );
                }
                let url = web_address(&source, fm_offset, "url", update.url, &mut problems);
                updates.push(Update {
                    date,
                    status: update.status,
                    summary: update.summary,
                    url,
                    title: update.title,
                    note: update.note,
                });
            }
            if !problems.is_empty() {
                return Err(problems);
            }
            let mut listed = BTreeMap::new();
            for (kind, names) in [
                (EntityKind::Topic, fm.topics),
                (EntityKind::Country, fm.countries),
                (EntityKind::Program, fm.programs),
            ] {
                listed.insert(
                    kind,
                    names.into_iter().map(|n| located(n, fm_offset)).collect(),
                );
            }
            Parsed::Pledge {
                statement,
                section,
                pledge: Pledge {
                    slug,
                    title: fm.title,
                    weight: fm.weight,
                    section: usize::MAX,
                    statement: usize::MAX,
                    listed,
                    status: fm.status,
                    status_reason: fm.status_reason,
                    updates,
                    coverage: fm
                        .coverage
                        .into_iter()
                        .map(|c| Coverage {
                            source: located(c.source, fm_offset),
                            quote: located(c.quote, fm_offset),
                        })
                        .collect(),
                    body,
                    origin: origin(&text),
                },
            }
        }
        Place::Entity { kind, slug } => {
            let fm: EntityFrontMatter = frontmatter::parse(&source, &split).map_err(one)?;
            let mut problems = Vec::new();
            let url = fm
                .url
                .map(|url| web_address(&source, fm_offset, "url", url, &mut problems));
            let iso = match fm.iso {
                Some(iso) => {
                    let span = iso.span();
                    let code = iso.into_inner();
                    if kind != EntityKind::Country {
                        problems.push(
                            source
                                .error_at(
                                    fm_offset + span.start,
                                    span.end - span.start,
                                    "only countries have an iso code",
                                )
                                .with_help("remove the iso line"),
                        );
                    } else if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                        problems.push(
                            source
                                .error_at(
                                    fm_offset + span.start,
                                    span.end - span.start,
                                    format!("`{code}` is not an ISO 3166-1 alpha-2 code"),
                                )
                                .with_help("write two capital letters, e.g. iso = \"IT\""),
                        );
                    }
                    Some(code)
                }
                None => None,
            };
            if !problems.is_empty() {
                return Err(problems);
            }
            Parsed::Entity(Entity {
                kind,
                slug,
                title: fm.title,
                aliases: fm.aliases.into_iter().map(Spanned::into_inner).collect(),
                summary: fm.summary,
                url,
                iso,
                body,
                origin: origin(&text),
            })
        }
        Place::Source { slug } => {
            let fm: SourceFrontMatter = frontmatter::parse(&source, &split).map_err(one)?;
            let mut problems = Vec::new();
            let url = fm
                .url
                .map(|url| web_address(&source, fm_offset, "url", url, &mut problems));
            if !problems.is_empty() {
                return Err(problems);
            }
            let (file, file_text) = match fm.file {
                Some(file) => {
                    let span = file.span();
                    let path = file.into_inner();
                    let text = read_source_file(project, &path).map_err(|(message, unreadable)| {
                        let mut problem = source
                            .error_at(fm_offset + span.start, span.end - span.start, message)
                            .with_help("give the path of a regular file inside the project, relative to the site root, outside hidden folders, e.g. seeds/003_2e7e4c96784554f6.txt");
                        if let Some(folder) = unreadable {
                            problem = problem.repeated_as(format!("unreadable folder {folder}"));
                        }
                        vec![problem]
                    })?;
                    (Some(path), Some(text))
                }
                None => (None, None),
            };
            Parsed::Source(Source {
                slug,
                title: fm.title,
                publisher: fm.publisher,
                author: fm.author,
                date: fm.date,
                url,
                kind: fm.kind,
                file,
                text: file_text,
                body,
                origin: origin(&text),
            })
        }
        Place::Page { slug } => {
            let fm: PageFrontMatter = frontmatter::parse(&source, &split).map_err(one)?;
            Parsed::Page(FreePage {
                slug,
                title: fm.title,
                weight: fm.weight,
                body,
                origin: origin(&text),
            })
        }
    };
    Ok(parsed)
}

/// Reads a source's published text, which must be a regular file inside the project, out of
/// hidden folders. An error says what is wrong and, when a folder on the way cannot be read,
/// which one (several sources may point into it).
fn read_source_file(project: &Project, path: &str) -> Result<String, (String, Option<String>)> {
    let what = "source file";
    let file = project.resolve_file(path).map_err(|refusal| {
        let unreadable = match &refusal {
            Refusal::Unreadable(folder, _) => Some(folder.clone()),
            _ => None,
        };
        (refusal.message(what, path), unreadable)
    })?;
    read_text(&file, path)
        .map_err(|diagnostic| (format!("{what} `{path}`: {}", diagnostic.message), None))
}

/// Parsed files gathered before they are sorted and linked to their parents.
#[derive(Default)]
struct Parts {
    home: Option<Home>,
    statements: Vec<Statement>,
    sections: Vec<(String, Section)>,
    pledges: Vec<(String, String, Pledge)>,
    entities: Vec<Entity>,
    sources: Vec<Source>,
    pages: Vec<FreePage>,
    unparsed: std::collections::BTreeSet<String>,
}

impl Parts {
    fn add(&mut self, item: Parsed) {
        match item {
            Parsed::Home(home) => self.home = Some(home),
            Parsed::Statement(statement) => self.statements.push(statement),
            Parsed::Section { statement, section } => self.sections.push((statement, section)),
            Parsed::Pledge {
                statement,
                section,
                pledge,
            } => self.pledges.push((statement, section, pledge)),
            Parsed::Entity(entity) => self.entities.push(entity),
            Parsed::Source(source) => self.sources.push(source),
            Parsed::Page(page) => self.pages.push(page),
        }
    }

    /// Sorts everything into reading order and points children at their parents.
    fn assemble(self, config: Config, diagnostics: &mut Vec<Diagnostic>) -> Site {
        let mut statements = self.statements;
        statements.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        let statement_index: BTreeMap<String, usize> = statements
            .iter()
            .enumerate()
            .map(|(i, s)| (s.slug.clone(), i))
            .collect();

        // Children of a file that failed to load are left out silently, and count as failed.
        let mut dropped = Vec::new();
        let mut sections = Vec::new();
        for (statement_slug, mut section) in self.sections {
            match statement_index.get(&statement_slug) {
                Some(&statement) => {
                    section.statement = statement;
                    sections.push(section);
                }
                None if failed_to_load(
                    &self.unparsed,
                    &format!("statements/{statement_slug}/_index.md"),
                ) =>
                {
                    dropped.push(section.origin.path.clone());
                }
                None => diagnostics.push(missing_parent(
                    &section.origin.path,
                    "statement",
                    &format!("content/statements/{statement_slug}/_index.md"),
                )),
            }
        }
        sections.sort_by(|a, b| {
            (a.statement, a.weight, &a.slug).cmp(&(b.statement, b.weight, &b.slug))
        });
        let section_index: BTreeMap<(usize, String), usize> = sections
            .iter()
            .enumerate()
            .map(|(i, s)| ((s.statement, s.slug.clone()), i))
            .collect();

        let mut pledges = Vec::new();
        for (statement_slug, section_slug, mut pledge) in self.pledges {
            let section = statement_index
                .get(&statement_slug)
                .and_then(|&statement| section_index.get(&(statement, section_slug.clone())));
            match section {
                Some(&section) => {
                    pledge.section = section;
                    pledge.statement = sections[section].statement;
                    pledges.push(pledge);
                }
                None if failed_to_load(
                    &self.unparsed,
                    &format!("statements/{statement_slug}/{section_slug}/_index.md"),
                ) || failed_to_load(
                    &self.unparsed,
                    &format!("statements/{statement_slug}/_index.md"),
                ) =>
                {
                    dropped.push(pledge.origin.path.clone());
                }
                None => diagnostics.push(missing_parent(
                    &pledge.origin.path,
                    "section",
                    &format!("content/statements/{statement_slug}/{section_slug}/_index.md"),
                )),
            }
        }
        pledges.sort_by(|a, b| (a.section, a.weight, &a.slug).cmp(&(b.section, b.weight, &b.slug)));

        let mut unparsed = self.unparsed;
        for path in dropped {
            unparsed.insert(path.strip_prefix("content/").unwrap_or(&path).to_string());
        }
        let mut entities = self.entities;
        entities.sort_by(|a, b| (a.kind, &a.slug).cmp(&(b.kind, &b.slug)));
        let mut sources = self.sources;
        sources.sort_by(|a, b| a.slug.cmp(&b.slug));
        let mut pages = self.pages;
        pages.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));

        Site {
            config,
            home: self.home.unwrap_or_default(),
            unparsed,
            statements,
            sections,
            pledges,
            entities,
            sources,
            pages,
        }
    }
}

fn missing_parent(path: &str, what: &str, expected: &str) -> Diagnostic {
    Diagnostic::error(path, 1, 1, format!("this file's {what} has no _index.md"))
        .with_help(format!("create {expected} with the {what}'s front matter"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_follow_the_content_model() {
        assert_eq!(place_of("content/_index.md").unwrap(), Place::Home);
        assert_eq!(
            place_of("content/statements/s/sec/p-1.md").unwrap(),
            Place::Pledge {
                statement: "s".into(),
                section: "sec".into(),
                slug: "p-1".into()
            }
        );
        assert_eq!(
            place_of("content/programs/nato.md").unwrap(),
            Place::Entity {
                kind: EntityKind::Program,
                slug: "nato".into()
            }
        );
        assert!(
            place_of("content/statements/s/p.md")
                .unwrap_err()
                .message
                .contains("section folder")
        );
        assert!(
            place_of("content/misc/x.md")
                .unwrap_err()
                .message
                .contains("no place")
        );
        assert!(
            place_of("content/topics/Bad_Slug.md")
                .unwrap_err()
                .message
                .contains("not a valid slug")
        );
    }
}
