//! The site as data: statements, sections, pledges, entities, sources and free pages.
//!
//! Items live in vectors on [`Site`] and refer to each other by index, never by reference,
//! so the whole graph can be built, shared across threads and rebuilt cheaply. This module
//! does no I/O: `content` fills it, `relations` links it, `pipeline` and the views read it.

mod date;
pub mod history;
pub mod relations;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use date::{Date, DayOrMonth, Precision};

use crate::config::Config;
use crate::hash::fnv1a;

/// A Markdown body and where it starts in its file, for diagnostics.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The Markdown text.
    pub markdown: String,
    /// The byte offset of the body in its file.
    pub offset: usize,
}

/// Where an item came from: its file relative to the site root, and the file's text.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The file, relative to the site root, with `/` separators.
    pub path: String,
    /// The file's whole text, kept so later stages can place their diagnostics.
    pub text: String,
}

/// The status of a pledge in the tracker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Promised; no step towards it found yet.
    Announced,
    /// Concrete steps reported.
    InProgress,
    /// Done as worded.
    Fulfilled,
    /// No progress, or steps reversed.
    Stalled,
    /// Dropped.
    Abandoned,
}

impl Status {
    /// Every status, in the order a report card lists them.
    pub const ALL: [Status; 5] = [
        Status::Announced,
        Status::InProgress,
        Status::Fulfilled,
        Status::Stalled,
        Status::Abandoned,
    ];

    /// The slug used in front matter, CSS classes and JSON.
    pub fn slug(self) -> &'static str {
        match self {
            Status::Announced => "announced",
            Status::InProgress => "in-progress",
            Status::Fulfilled => "fulfilled",
            Status::Stalled => "stalled",
            Status::Abandoned => "abandoned",
        }
    }

    /// The label readers see.
    pub fn label(self) -> &'static str {
        match self {
            Status::Announced => "Announced",
            Status::InProgress => "In progress",
            Status::Fulfilled => "Fulfilled",
            Status::Stalled => "Stalled",
            Status::Abandoned => "Abandoned",
        }
    }

    /// What the status means, for the legend.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::Announced => "promised; no concrete step found yet",
            Status::InProgress => "concrete steps reported, not yet done",
            Status::Fulfilled => "done as worded",
            Status::Stalled => "no progress found, or steps reversed",
            Status::Abandoned => "dropped by those who promised it",
        }
    }
}

/// Whether a source is the official text or coverage of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// The text as its authors published it.
    Official,
    /// A report about it.
    Coverage,
}

/// The three kinds of entity a pledge can touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A policy topic.
    Topic,
    /// A country or region.
    Country,
    /// A named program, treaty, body or initiative.
    Program,
}

impl EntityKind {
    /// Every kind, in display order.
    pub const ALL: [EntityKind; 3] = [EntityKind::Topic, EntityKind::Country, EntityKind::Program];

    /// The folder under `content/` and the URL segment, e.g. `topics`.
    pub fn folder(self) -> &'static str {
        match self {
            EntityKind::Topic => "topics",
            EntityKind::Country => "countries",
            EntityKind::Program => "programs",
        }
    }

    /// The singular word, e.g. `topic`.
    pub fn singular(self) -> &'static str {
        match self {
            EntityKind::Topic => "topic",
            EntityKind::Country => "country",
            EntityKind::Program => "program",
        }
    }

    /// The plural heading, e.g. `Topics`.
    pub fn plural_label(self) -> &'static str {
        match self {
            EntityKind::Topic => "Topics",
            EntityKind::Country => "Countries and regions",
            EntityKind::Program => "Programs",
        }
    }

    /// The kind whose folder is `folder`, if any.
    pub fn from_folder(folder: &str) -> Option<EntityKind> {
        EntityKind::ALL
            .into_iter()
            .find(|kind| kind.folder() == folder)
    }
}

/// A name with the byte range it had in its file, for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Its byte range in the file.
    pub span: std::ops::Range<usize>,
}

/// The home page.
#[derive(Debug, Clone, Default)]
pub struct Home {
    /// Its heading; the site title when absent.
    pub title: Option<String>,
    /// Its text.
    pub body: Body,
    /// Its file, if the site has `content/_index.md`.
    pub origin: Option<Origin>,
}

/// One statement: a joint statement, communiqué or treaty.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Its folder name.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// When it was issued.
    pub date: Date,
    /// Where it was issued.
    pub place: Option<String>,
    /// The countries that made it, as slugs.
    pub parties: Vec<Located<String>>,
    /// The slug of its official text among the sources.
    pub source: Option<Located<String>>,
    /// The preamble.
    pub body: Body,
    /// Its `_index.md`.
    pub origin: Origin,
}

/// A section of a statement.
#[derive(Debug, Clone)]
pub struct Section {
    /// Its folder name.
    pub slug: String,
    /// Its heading.
    pub title: String,
    /// Its order in the statement.
    pub weight: i64,
    /// The statement it belongs to.
    pub statement: usize,
    /// Any text under its heading.
    pub body: Body,
    /// Its `_index.md`.
    pub origin: Origin,
}

/// A dated event in a pledge's tracker timeline.
#[derive(Debug, Clone)]
pub struct Update {
    /// When it happened.
    pub date: Date,
    /// The pledge's status after it, if it changed or was confirmed.
    pub status: Option<Status>,
    /// What happened, in the editors' words.
    pub summary: String,
    /// The public page that reports it.
    pub url: String,
    /// That page's title.
    pub title: Option<String>,
    /// A caveat where the event is less certain.
    pub note: Option<String>,
}

impl Update {
    /// A stable anchor for the update on its pledge's page: its date and a short hash of what
    /// it reports, so adding another update never changes it.
    pub fn anchor(&self) -> String {
        let hash = fnv1a(self.summary.bytes().chain([0]).chain(self.url.bytes()));
        format!("update-{}-{:06x}", self.date, hash & 0xff_ffff)
    }
}

/// A public correction to a pledge: what was wrong before and what was changed.
#[derive(Debug, Clone)]
pub struct Correction {
    /// When it was made.
    pub date: Date,
    /// What was wrong and what changed, in the editors' words.
    pub summary: String,
}

impl Correction {
    /// Its anchor on its pledge's page: `correction-<date>-<n>`, where `n` counts the
    /// pledge's corrections of that date from 1, in the order they are written.
    pub fn anchor(corrections: &[Correction], index: usize) -> String {
        let date = corrections[index].date;
        let n = corrections[..=index]
            .iter()
            .filter(|c| c.date == date)
            .count();
        format!("correction-{date}-{n}")
    }
}

/// Where a source reports a pledge.
#[derive(Debug, Clone)]
pub struct Coverage {
    /// The source's slug.
    pub source: Located<String>,
    /// The passage, as the source words it.
    pub quote: Located<String>,
}

/// One pledge: a paragraph of a statement.
#[derive(Debug, Clone)]
pub struct Pledge {
    /// Its file name without `.md`.
    pub slug: String,
    /// Its paragraph number as published (`7`), for a numbered paragraph.
    pub number: Option<String>,
    /// The editors' headline.
    pub title: String,
    /// Its order in the section.
    pub weight: i64,
    /// The section it belongs to.
    pub section: usize,
    /// The statement it belongs to.
    pub statement: usize,
    /// Entity slugs it lists, by kind.
    pub listed: BTreeMap<EntityKind, Vec<Located<String>>>,
    /// The governments that made it, as country slugs, when not all of its statement's
    /// parties did.
    pub parties: Option<Vec<Located<String>>>,
    /// Its tracker status.
    pub status: Status,
    /// Where `status` is written in the file, if it is.
    pub status_span: Option<std::ops::Range<usize>>,
    /// Why the editors chose that status.
    pub status_reason: Option<String>,
    /// When the editors last checked the evidence.
    pub reviewed: Option<Located<Date>>,
    /// Who did: an `[[editors]]` id from `site.toml`.
    pub reviewed_by: Option<Located<String>>,
    /// Public corrections, in the order written.
    pub corrections: Vec<Correction>,
    /// The tracker timeline, oldest first.
    pub updates: Vec<Update>,
    /// Where sources report it.
    pub coverage: Vec<Coverage>,
    /// The pledge's text, as the statement words it.
    pub body: Body,
    /// Its file.
    pub origin: Origin,
}

/// A topic, country or program.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Which kind it is.
    pub kind: EntityKind,
    /// Its file name without `.md`.
    pub slug: String,
    /// Its name.
    pub title: String,
    /// Other names pledge texts use for it.
    pub aliases: Vec<String>,
    /// One sentence about it.
    pub summary: Option<String>,
    /// Its official page.
    pub url: Option<String>,
    /// ISO 3166-1 alpha-2 code, for countries.
    pub iso: Option<String>,
    /// Longer text about it.
    pub body: Body,
    /// Its file.
    pub origin: Origin,
}

/// A source document: the official text or coverage of it.
#[derive(Debug, Clone)]
pub struct Source {
    /// Its file name without `.md`.
    pub slug: String,
    /// Its title as published.
    pub title: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// Who wrote it.
    pub author: Option<String>,
    /// When it was published.
    pub date: Option<Date>,
    /// Where it was published.
    pub url: Option<String>,
    /// Why it has no `url`, where it has none.
    pub no_url: Option<String>,
    /// Official text or coverage.
    pub kind: SourceKind,
    /// The path of the text as published, relative to the site root.
    pub file: Option<String>,
    /// That file's text, read by `content`.
    pub text: Option<String>,
    /// The format to read that text in; told from the text when `None`.
    pub format: Option<crate::published::Format>,
    /// A description of the source.
    pub body: Body,
    /// Its file.
    pub origin: Origin,
}

/// A free page such as "About".
#[derive(Debug, Clone)]
pub struct FreePage {
    /// Its file name without `.md`.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Its order in the navigation.
    pub weight: i64,
    /// Its text.
    pub body: Body,
    /// Its file.
    pub origin: Origin,
}

/// Everything the content folder holds, once loaded.
#[derive(Debug, Clone)]
pub struct Site {
    /// `site.toml`.
    pub config: Config,
    /// The home page.
    pub home: Home,
    /// Statements, newest first.
    pub statements: Vec<Statement>,
    /// Sections of all statements.
    pub sections: Vec<Section>,
    /// Pledges of all statements, in reading order.
    pub pledges: Vec<Pledge>,
    /// Entities of every kind, sorted by kind then slug.
    pub entities: Vec<Entity>,
    /// Sources, sorted by slug.
    pub sources: Vec<Source>,
    /// Free pages, by weight then slug.
    pub pages: Vec<FreePage>,
    /// Content files (relative to `content/`) that exist but failed to load. Their own
    /// error is reported once; references to them are not reported again.
    pub unparsed: std::collections::BTreeSet<String>,
}

impl Site {
    /// Every tracker update as (date, pledge, index in the pledge's updates), newest first;
    /// ties in reading order.
    pub fn updates_newest_first(&self) -> Vec<(Date, usize, usize)> {
        self.updates_newest_first_of(0..self.pledges.len())
    }

    /// The updates of `pledges` only, ordered as [`Site::updates_newest_first`] orders them.
    pub fn updates_newest_first_of(
        &self,
        pledges: impl IntoIterator<Item = usize>,
    ) -> Vec<(Date, usize, usize)> {
        newest_first(pledges, |p| {
            self.pledges[p].updates.iter().map(|update| update.date)
        })
    }

    /// Every correction as (date, pledge, index in the pledge's corrections), newest first;
    /// ties in reading order.
    pub fn corrections_newest_first(&self) -> Vec<(Date, usize, usize)> {
        self.corrections_newest_first_of(0..self.pledges.len())
    }

    /// The corrections of `pledges` only, ordered as [`Site::corrections_newest_first`]
    /// orders them.
    pub fn corrections_newest_first_of(
        &self,
        pledges: impl IntoIterator<Item = usize>,
    ) -> Vec<(Date, usize, usize)> {
        newest_first(pledges, |p| {
            self.pledges[p]
                .corrections
                .iter()
                .map(|correction| correction.date)
        })
    }

    /// Did `content/<relative>` exist but fail to load, or lie in a folder that could not be
    /// read?
    pub fn failed_to_load(&self, relative: &str) -> bool {
        failed_to_load(&self.unparsed, relative)
    }

    /// The entity of `kind` named `slug`.
    pub fn entity_index(&self, kind: EntityKind, slug: &str) -> Option<usize> {
        self.entities
            .binary_search_by(|entity| (entity.kind, entity.slug.as_str()).cmp(&(kind, slug)))
            .ok()
    }

    /// The source named `slug`.
    pub fn source_index(&self, slug: &str) -> Option<usize> {
        self.sources
            .binary_search_by(|source| source.slug.as_str().cmp(slug))
            .ok()
    }
}

/// Is `relative` in `unparsed`, or under one of its folders (entries ending in `/`)?
pub fn failed_to_load(unparsed: &std::collections::BTreeSet<String>, relative: &str) -> bool {
    unparsed.contains(relative)
        || unparsed
            .iter()
            .any(|folder| folder.ends_with('/') && relative.starts_with(folder.as_str()))
}

/// (date, pledge, index) for each dated event of `pledges`, newest first; ties in reading
/// order (by pledge, then by its own order).
fn newest_first<I: Iterator<Item = Date>>(
    pledges: impl IntoIterator<Item = usize>,
    dates: impl Fn(usize) -> I,
) -> Vec<(Date, usize, usize)> {
    let mut events: Vec<(Date, usize, usize)> = pledges
        .into_iter()
        .flat_map(|p| dates(p).enumerate().map(move |(i, date)| (date, p, i)))
        .collect();
    events.sort_by_key(|&(date, p, i)| (std::cmp::Reverse(date), p, i));
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correction_anchors_count_the_corrections_of_their_day() {
        let correction = |date: &str| Correction {
            date: Date::parse(date).unwrap(),
            summary: String::new(),
        };
        let corrections = [
            correction("2026-11-29"),
            correction("2026-12-01"),
            correction("2026-11-29"),
        ];
        let anchors: Vec<String> = (0..3)
            .map(|i| Correction::anchor(&corrections, i))
            .collect();
        assert_eq!(
            anchors,
            [
                "correction-2026-11-29-1",
                "correction-2026-12-01-1",
                "correction-2026-11-29-2"
            ]
        );
    }
}
