//! What pages show of the files beside them: the "Cite this …" box of statements, sections
//! and pledges (`page.cite`), the feed a pledge's or entity's page offers (`page.feed`), and
//! the JSON-LD of pledge and statement pages (`page.json_ld`).

use serde::Serialize;

use crate::cite;
use crate::routes::{self, CiteFile, Item};
use crate::templates::views::ViewContext;

/// `page.cite`: the citation shown, with its files.
#[derive(Debug, Serialize)]
pub(super) struct CiteView {
    /// What is cited: `pledge`, `section` or `statement`, for the box's heading.
    what: &'static str,
    /// The citation in plain text, in `style`.
    text: String,
    /// `Chicago author-date style (17th ed.), adapted`.
    style: &'static str,
    /// The access date the citation gives (`2026-05-31`): the editors' last review.
    accessed: String,
    /// `31 May 2026`.
    accessed_display: String,
    /// The files, in the order to offer them.
    files: Vec<CiteFileView>,
}

/// A citation file beside the page.
#[derive(Debug, Serialize)]
struct CiteFileView {
    /// `BibTeX`, `RIS`, `CSL-JSON`, `Plain text`.
    label: &'static str,
    /// Its URL, with the site's path prefix.
    url: String,
    /// `cite.bib`, the name to save it under.
    file_name: &'static str,
    /// Its media type.
    media_type: &'static str,
}

/// `page.feed`: the Atom feed of the page's thread.
#[derive(Debug, Serialize)]
pub(super) struct FeedView {
    /// Its URL, with the site's path prefix.
    url: String,
    /// Its title, for `<link rel="alternate" title="…">`.
    title: String,
}

/// The citation box of a statement, section or pledge.
pub(super) fn cite(views: &ViewContext<'_>, item: Item) -> CiteView {
    let citation = cite::citation(views, item);
    CiteView {
        what: match item {
            Item::Statement(_) => "statement",
            Item::Section(_) => "section",
            _ => "pledge",
        },
        text: cite::plain_text(&citation),
        style: cite::STYLE,
        accessed: citation.accessed.to_string(),
        accessed_display: citation.accessed.display(),
        files: CiteFile::ALL
            .into_iter()
            .map(|format| CiteFileView {
                label: cite::label(format),
                url: views.url(&routes::citation_path(views.site, item, format)),
                file_name: format.file_name(),
                media_type: cite::media_type(format),
            })
            .collect(),
    }
}

/// The feed of a pledge or entity, titled after it.
pub(super) fn feed(views: &ViewContext<'_>, item: Item, title: &str) -> FeedView {
    FeedView {
        url: views.url(&routes::thread_feed_path(views.site, item)),
        title: format!("{}: updates of {title}", views.site.config.title),
    }
}
