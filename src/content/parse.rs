//! Parsing one content file into the item its place calls for: its front matter checked
//! and typed, its references kept with their spans, its URLs checked, and its body kept
//! with its offset. Items are attached to their parents later, by `assemble`.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use toml::Spanned;

use super::frontmatter::{
    self, EntityFrontMatter, HomeFrontMatter, PageFrontMatter, PledgeFrontMatter,
    SectionFrontMatter, SourceFrontMatter, Split, StatementFrontMatter, UpdateFrontMatter,
};
use super::listing::{Place, place_of};
use super::read::read_source_file;
use crate::diagnostic::{Diagnostic, SourceText};
use crate::files::Project;
use crate::model::{
    Body, Correction, Coverage, Entity, EntityKind, FreePage, Home, Located, Origin, Pledge,
    Section, Source, Statement, Status, Update,
};
use crate::published::Format;
use crate::url_scheme;

/// One parsed file, before it is attached to its parents.
#[derive(Debug)]
pub(super) enum Parsed {
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

/// Parses the file at `relative` (from the site root), whose text is `text`, into the item
/// its place in `content/` calls for.
pub(super) fn parse_file(
    project: &Project,
    relative: &str,
    text: String,
) -> Result<Parsed, Vec<Diagnostic>> {
    let place = place_of(relative).map_err(|d| vec![d])?;
    let source = SourceText::new(relative, &text);
    let split = frontmatter::split(&source).map_err(|d| vec![d])?;
    let file = File { source, split };
    Ok(match place {
        Place::Home => Parsed::Home(home(&file)?),
        Place::Statement { statement } => Parsed::Statement(self::statement(&file, statement)?),
        Place::Section { statement, section } => Parsed::Section {
            statement,
            section: self::section(&file, section)?,
        },
        Place::Pledge {
            statement,
            section,
            slug,
        } => Parsed::Pledge {
            statement,
            section,
            pledge: pledge(&file, slug)?,
        },
        Place::Entity { kind, slug } => Parsed::Entity(entity(&file, kind, slug)?),
        Place::Source { slug } => Parsed::Source(self::source(project, &file, slug)?),
        Place::Page { slug } => Parsed::Page(page(&file, slug)?),
    })
}

/// A content file cut into front matter and body.
struct File<'a> {
    source: SourceText<'a>,
    split: Split<'a>,
}

impl File<'_> {
    /// The front matter, typed.
    fn front_matter<T: DeserializeOwned>(&self) -> Result<T, Vec<Diagnostic>> {
        frontmatter::parse(&self.source, &self.split).map_err(|d| vec![d])
    }

    /// Where the front matter starts in the file, which its spans count from.
    fn offset(&self) -> usize {
        self.split.front_matter_offset
    }

    fn body(&self) -> Body {
        Body {
            markdown: self.split.body.to_string(),
            offset: self.split.body_offset,
        }
    }

    fn origin(&self) -> Origin {
        Origin {
            path: self.source.path.to_string(),
            text: self.source.text.to_string(),
        }
    }

    /// A front matter value with its span in the file.
    fn located<T>(&self, spanned: Spanned<T>) -> Located<T> {
        let span = spanned.span();
        let offset = self.offset();
        Located {
            value: spanned.into_inner(),
            span: offset + span.start..offset + span.end,
        }
    }

    /// An error at a front matter value's span.
    fn error_at<T>(&self, value: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        let span = value.span();
        self.source
            .error_at(self.offset() + span.start, span.end - span.start, message)
    }

    /// A front matter URL, which must be a web address (`url_scheme::check_web_address`):
    /// it is a link to another site, and reaches pages and feeds as an `href`. A bad one is
    /// added to `problems` where it is written.
    fn web_address(
        &self,
        key: &str,
        url: Spanned<String>,
        problems: &mut Vec<Diagnostic>,
    ) -> String {
        if let Err(why) = url_scheme::check_web_address(url.get_ref()) {
            problems.push(
                self.error_at(
                    &url,
                    format!("{key} `{}` {why}", url_scheme::shown(url.get_ref())),
                )
                .with_help(url_scheme::WEB_ADDRESS_HELP),
            );
        }
        url.into_inner()
    }
}

fn home(file: &File<'_>) -> Result<Home, Vec<Diagnostic>> {
    let fm: HomeFrontMatter = file.front_matter()?;
    Ok(Home {
        title: fm.title,
        body: file.body(),
        origin: Some(file.origin()),
    })
}

fn statement(file: &File<'_>, slug: String) -> Result<Statement, Vec<Diagnostic>> {
    let fm: StatementFrontMatter = file.front_matter()?;
    Ok(Statement {
        slug,
        title: fm.title,
        date: fm.date,
        place: fm.place,
        parties: fm.parties.into_iter().map(|p| file.located(p)).collect(),
        source: fm.source.map(|s| file.located(s)),
        body: file.body(),
        origin: file.origin(),
    })
}

fn section(file: &File<'_>, slug: String) -> Result<Section, Vec<Diagnostic>> {
    let fm: SectionFrontMatter = file.front_matter()?;
    Ok(Section {
        slug,
        title: fm.title,
        weight: fm.weight,
        statement: usize::MAX,
        body: file.body(),
        origin: file.origin(),
    })
}

fn pledge(file: &File<'_>, slug: String) -> Result<Pledge, Vec<Diagnostic>> {
    let fm: PledgeFrontMatter = file.front_matter()?;
    let updates = updates(file, fm.updates)?;
    let mut listed = BTreeMap::new();
    for (kind, names) in [
        (EntityKind::Topic, fm.topics),
        (EntityKind::Country, fm.countries),
        (EntityKind::Program, fm.programs),
    ] {
        listed.insert(kind, names.into_iter().map(|n| file.located(n)).collect());
    }
    let number = match fm.number {
        Some(number) => {
            let text = number.get_ref();
            let valid = !text.is_empty()
                && text.len() <= 12
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
            if !valid {
                return Err(vec![
                    file.error_at(&number, format!("`{text}` is not a paragraph number"))
                        .with_help("write the number as published, in letters, digits, `.` and `-` (at most 12), e.g. number = \"7\""),
                ]);
            }
            Some(text.clone())
        }
        None => None,
    };
    Ok(Pledge {
        slug,
        number,
        title: fm.title,
        weight: fm.weight,
        section: usize::MAX,
        statement: usize::MAX,
        listed,
        parties: fm
            .parties
            .map(|parties| parties.into_iter().map(|p| file.located(p)).collect()),
        status_span: fm
            .status
            .as_ref()
            .map(|status| file.located(status.clone()).span),
        status: fm.status.map_or(Status::Announced, Spanned::into_inner),
        status_reason: fm.status_reason,
        reviewed: fm.reviewed.map(|date| file.located(date)),
        reviewed_by: fm.reviewed_by.map(|id| file.located(id)),
        corrections: fm
            .corrections
            .into_iter()
            .map(|c| Correction {
                date: c.date,
                summary: c.summary,
            })
            .collect(),
        updates,
        coverage: fm
            .coverage
            .into_iter()
            .map(|c| Coverage {
                source: file.located(c.source),
                quote: file.located(c.quote),
            })
            .collect(),
        body: file.body(),
        origin: file.origin(),
    })
}

/// A pledge's tracker updates, which must be listed oldest first and link to web pages.
fn updates(
    file: &File<'_>,
    written: Vec<UpdateFrontMatter>,
) -> Result<Vec<Update>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut updates: Vec<Update> = Vec::new();
    for update in written {
        if let Some(previous) = updates.last()
            && previous.date > update.date.get_ref().0
        {
            problems.push(
                file.error_at(
                    &update.date,
                    format!(
                        "update of {} comes after a later one ({})",
                        update.date.get_ref().0,
                        previous.date
                    ),
                )
                .with_help("list [[updates]] oldest first"),
            );
        }
        let date = update.date.into_inner().0;
        let url = file.web_address("url", update.url, &mut problems);
        updates.push(Update {
            date,
            status: update.status,
            summary: update.summary,
            url,
            title: update.title,
            note: update.note,
        });
    }
    if problems.is_empty() {
        Ok(updates)
    } else {
        Err(problems)
    }
}

fn entity(file: &File<'_>, kind: EntityKind, slug: String) -> Result<Entity, Vec<Diagnostic>> {
    let fm: EntityFrontMatter = file.front_matter()?;
    let mut problems = Vec::new();
    let url = fm
        .url
        .map(|url| file.web_address("url", url, &mut problems));
    let iso = fm.iso.map(|iso| {
        if kind != EntityKind::Country {
            problems.push(
                file.error_at(&iso, "only countries have an iso code")
                    .with_help("remove the iso line"),
            );
        } else if iso.get_ref().len() != 2 || !iso.get_ref().bytes().all(|b| b.is_ascii_uppercase())
        {
            problems.push(
                file.error_at(
                    &iso,
                    format!("`{}` is not an ISO 3166-1 alpha-2 code", iso.get_ref()),
                )
                .with_help("write two capital letters, e.g. iso = \"IT\""),
            );
        }
        iso.into_inner()
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Entity {
        kind,
        slug,
        title: fm.title,
        aliases: fm.aliases.into_iter().map(Spanned::into_inner).collect(),
        summary: fm.summary,
        url,
        iso,
        body: file.body(),
        origin: file.origin(),
    })
}

fn source(project: &Project, file: &File<'_>, slug: String) -> Result<Source, Vec<Diagnostic>> {
    let fm: SourceFrontMatter = file.front_matter()?;
    let mut problems = Vec::new();
    let url = fm
        .url
        .map(|url| file.web_address("url", url, &mut problems));
    if !problems.is_empty() {
        return Err(problems);
    }
    let (path, text) = match fm.file {
        Some(path) => {
            let text = read_source_file(project, path.get_ref()).map_err(|(message, unreadable)| {
                let mut problem = file.error_at(&path, message)
                    .with_help("give the path of a regular file inside the project, relative to the site root, outside hidden folders, e.g. seeds/003_2e7e4c96784554f6.txt");
                if let Some(folder) = unreadable {
                    problem = problem.repeated_as(format!("unreadable folder {folder}"));
                }
                vec![problem]
            })?;
            (Some(path.into_inner()), Some(text))
        }
        None => (None, None),
    };
    let format = match fm.format {
        Some(name) => match Format::from_name(name.get_ref()) {
            Some(format) => Some(format),
            None => {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                return Err(vec![
                    file.error_at(&name, format!("unknown format `{}`", name.get_ref()))
                        .with_help(format!(
                            "use one of {}, or leave `format` out to tell it from the text",
                            names.join(", ")
                        )),
                ]);
            }
        },
        None => None,
    };
    Ok(Source {
        slug,
        format,
        title: fm.title,
        publisher: fm.publisher,
        author: fm.author,
        date: fm.date,
        url,
        no_url: fm.no_url,
        kind: fm.kind,
        file: path,
        text,
        body: file.body(),
        origin: file.origin(),
    })
}

fn page(file: &File<'_>, slug: String) -> Result<FreePage, Vec<Diagnostic>> {
    let fm: PageFrontMatter = file.front_matter()?;
    Ok(FreePage {
        slug,
        title: fm.title,
        weight: fm.weight,
        body: file.body(),
        origin: file.origin(),
    })
}
