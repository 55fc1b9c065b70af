//! Citations of statements, sections and pledges, and the pages' machine-readable claims.
//!
//! [`citation`] gathers what a citation says of an item into a [`Citation`], once; each
//! format then writes it by hand, escaping for its own syntax: plain text in the site's one
//! style (`text`), a BibTeX `@misc` entry (`bibtex`), a RIS record (`ris`) and a CSL-JSON
//! item (`csl`, through serde). `json_ld` makes the schema.org JSON-LD of pledge and
//! statement pages. Everything comes from the model: the access date is the editors' last
//! review, never the clock.
//!
//! The governments that made the statement are the citation's authors, as institutional
//! names: the words a pledge page quotes are theirs, and a reference manager files the
//! citation under them. The site's editors are its editors and the site's author its
//! publisher, as an edited collection of documents is cited.

mod bibtex;
mod csl;
pub mod json_ld;
mod ris;
mod text;

use crate::model::{Date, Site};
use crate::routes::{CiteFile, Item, SitePaths};
use crate::templates::views::ViewContext;

pub use csl::citations_json;

/// The style of the plain-text citation, as pages state it.
pub const STYLE: &str = "Chicago author-date style (17th ed.), adapted";

/// Everything a citation says of a statement, section or pledge.
#[derive(Debug, Clone)]
pub struct Citation {
    /// Its key, the same in every format: `us-italy-2025:energy:lng-exports`.
    pub id: String,
    /// What is cited.
    pub item: Item,
    /// Its title: the pledge's headline, the section's heading or the statement's title.
    pub title: String,
    /// The governments that made it, as institutional names.
    pub authors: Vec<String>,
    /// The site's title: the collection the page belongs to.
    pub container: String,
    /// For a pledge or section, its statement's title.
    pub statement: Option<String>,
    /// The statement's date: when the words were issued.
    pub issued: Date,
    /// Where the statement was issued.
    pub place: Option<String>,
    /// For a pledge, its paragraph in the statement's official text, as the source page
    /// shows it after ¶ (the published number in a numbered communiqué).
    pub paragraph: Option<String>,
    /// The page's absolute URL; a pledge's carries the anchor of its paragraph,
    /// `#para-<number>`, when the paragraph is known.
    pub url: String,
    /// The site's editors, by name.
    pub editors: Vec<String>,
    /// Who publishes the site: its author, or else its title.
    pub publisher: String,
    /// When the editors last reviewed it (for a statement or section, the latest review of
    /// its pledges), or else the statement's date: never the build's clock.
    pub accessed: Date,
    /// One sentence placing it: `¶ 7 of the <statement>, 18 April 2025`.
    pub note: String,
}

/// The key of an item: its slugs joined by `:`, e.g. `us-italy-2025:energy:lng-exports`.
/// Slugs hold only `a-z`, `0-9` and `-`, so the key is safe in every format.
pub fn key(site: &Site, item: Item) -> String {
    match item {
        Item::Statement(s) => site.statements[s].slug.clone(),
        Item::Section(s) => {
            let section = &site.sections[s];
            format!(
                "{}:{}",
                site.statements[section.statement].slug, section.slug
            )
        }
        Item::Pledge(p) => {
            let pledge = &site.pledges[p];
            format!(
                "{}:{}",
                key(site, Item::Section(pledge.section)),
                pledge.slug
            )
        }
        _ => String::new(),
    }
}

/// The citation of a statement, section or pledge (any other item gets its statement-less
/// defaults, and is never asked for).
pub fn citation(views: &ViewContext<'_>, item: Item) -> Citation {
    let site = views.site;
    let relations = views.relations;
    let base = site.config.base_url();
    let statement_of = match item {
        Item::Section(s) => site.sections[s].statement,
        Item::Pledge(p) => site.pledges[p].statement,
        Item::Statement(s) => s,
        _ => 0,
    };
    let statement = &site.statements[statement_of];
    let pledges: Vec<usize> = match item {
        Item::Statement(s) => relations.statement_sections[s]
            .iter()
            .flat_map(|&section| relations.section_pledges[section].iter().copied())
            .collect(),
        Item::Section(s) => relations.section_pledges[s].clone(),
        Item::Pledge(p) => vec![p],
        _ => Vec::new(),
    };
    let authors: Vec<String> = match item {
        Item::Pledge(p) => relations.pledge_entities[p]
            .promised_by
            .iter()
            .map(|&e| site.entities[e].title.clone())
            .collect(),
        _ => views
            .parties(statement_of)
            .into_iter()
            .map(|party| party.title)
            .collect(),
    };
    let accessed = pledges
        .iter()
        .filter_map(|&p| site.pledges[p].reviewed.as_ref().map(|r| r.value))
        .max()
        .unwrap_or(statement.date);
    let found = match item {
        Item::Pledge(p) => views.paragraph(p),
        _ => None,
    };
    let mut url = format!("{base}{}", item.path(site));
    // The pledge page's own anchor for its paragraph counts every paragraph of the text.
    if let Some(found) = &found {
        url.push_str(&format!("#para-{}", found.number));
    }
    let paragraph = found.map(|found| found.label);
    let (title, note) = match item {
        Item::Pledge(p) => {
            let of = match &paragraph {
                Some(label) => format!("¶ {label} of the "),
                None => "A pledge of the ".to_string(),
            };
            (
                site.pledges[p].title.clone(),
                format!("{of}{}, {}", statement.title, statement.date.display()),
            )
        }
        Item::Section(s) => (
            site.sections[s].title.clone(),
            format!(
                "A section of the {}, {}",
                statement.title,
                statement.date.display()
            ),
        ),
        _ => {
            let mut note = match &statement.place {
                Some(place) => format!("Issued at {}, {}", place, statement.date.display()),
                None => format!("Issued {}", statement.date.display()),
            };
            note.push_str(&format!(", with {} pledges", pledges.len()));
            (statement.title.clone(), note)
        }
    };
    Citation {
        id: key(site, item),
        item,
        title,
        authors,
        container: site.config.title.clone(),
        statement: (!matches!(item, Item::Statement(_))).then(|| statement.title.clone()),
        issued: statement.date,
        place: statement.place.clone(),
        paragraph,
        url,
        editors: site
            .config
            .editors
            .iter()
            .map(|editor| editor.name.clone())
            .collect(),
        publisher: site
            .config
            .author
            .clone()
            .unwrap_or_else(|| site.config.title.clone()),
        accessed,
        note,
    }
}

/// A citation in one format, as the file beside its page holds it.
pub fn render(citation: &Citation, format: CiteFile) -> String {
    match format {
        CiteFile::Text => format!("{}\n", text::plain(citation)),
        CiteFile::Bibtex => bibtex::entry(citation),
        CiteFile::Ris => ris::record(citation),
        CiteFile::CslJson => csl::file(citation),
    }
}

/// The citation in plain text, in the site's style, for the page to show.
pub fn plain_text(citation: &Citation) -> String {
    text::plain(citation)
}

/// The media type of a format, for the page's download links.
pub fn media_type(format: CiteFile) -> &'static str {
    match format {
        CiteFile::Text => "text/plain",
        CiteFile::Bibtex => "application/x-bibtex",
        CiteFile::Ris => "application/x-research-info-systems",
        CiteFile::CslJson => "application/vnd.citationstyles.csl+json",
    }
}

/// The name readers know a format by.
pub fn label(format: CiteFile) -> &'static str {
    match format {
        CiteFile::Text => "Plain text",
        CiteFile::Bibtex => "BibTeX",
        CiteFile::Ris => "RIS",
        CiteFile::CslJson => "CSL-JSON",
    }
}

/// The absolute URL of an item's page, for the JSON-LD and feeds that name it.
pub(crate) fn absolute(site: &Site, path: &str) -> String {
    format!("{}{path}", site.config.base_url())
}

/// The absolute URL of a statement's page.
pub(crate) fn statement_url(site: &Site, statement: usize) -> String {
    absolute(site, &site.statement_path(statement))
}
