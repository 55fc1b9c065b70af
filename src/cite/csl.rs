//! Citations as CSL-JSON, the format of citeproc and Zotero, through serde: one item per
//! file beside each page, and every item of the site in `/api/citations.json`. Fields are
//! in alphabetical order, as in the rest of the site's JSON. The governments are `author`s
//! and the editors `editor`s as `literal` names (institutions, not persons); the site is
//! the `container-title`, the statement the `collection-title`, and the paragraph the
//! `section` (`¶ 7`).

use std::io::Write;

use serde::Serialize;

use super::{Citation, citation};
use crate::model::Date;
use crate::routes;
use crate::templates::views::ViewContext;

/// A CSL name given whole, as institutions are.
#[derive(Serialize)]
struct Name<'a> {
    literal: &'a str,
}

/// A CSL date: `{"date-parts": [[2025, 4, 18]]}` (`[[2025, 8]]` for a month).
#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: [Vec<u16>; 1],
}

impl From<Date> for CslDate {
    fn from(date: Date) -> CslDate {
        let mut parts = vec![date.year, u16::from(date.month)];
        if !date.is_month() {
            parts.push(u16::from(date.day));
        }
        CslDate {
            date_parts: [parts],
        }
    }
}

/// One CSL-JSON item.
#[derive(Serialize)]
struct Item<'a> {
    #[serde(rename = "URL")]
    url: &'a str,
    accessed: CslDate,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Name<'a>>,
    #[serde(rename = "collection-title", skip_serializing_if = "Option::is_none")]
    collection_title: Option<&'a str>,
    #[serde(rename = "container-title")]
    container_title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    editor: Vec<Name<'a>>,
    id: &'a str,
    issued: CslDate,
    note: &'a str,
    publisher: &'a str,
    #[serde(rename = "publisher-place", skip_serializing_if = "Option::is_none")]
    publisher_place: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<String>,
    title: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// Names given whole.
fn names(names: &[String]) -> Vec<Name<'_>> {
    names.iter().map(|literal| Name { literal }).collect()
}

fn item(citation: &Citation) -> Item<'_> {
    Item {
        url: &citation.url,
        accessed: citation.accessed.into(),
        author: names(&citation.authors),
        collection_title: citation.statement.as_deref(),
        container_title: &citation.container,
        editor: names(&citation.editors),
        id: &citation.id,
        issued: citation.issued.into(),
        note: &citation.note,
        publisher: &citation.publisher,
        publisher_place: citation.place.as_deref(),
        section: citation.paragraph.as_ref().map(|n| format!("¶ {n}")),
        title: &citation.title,
        kind: "webpage",
    }
}

/// The file beside a page: a CSL-JSON array holding its one item, as reference managers
/// import it.
pub(super) fn file(citation: &Citation) -> String {
    let mut json = serde_json::to_string_pretty(&[item(citation)]).expect("a citation serialises");
    json.push('\n');
    json
}

/// Every statement, section and pledge of the site as one CSL-JSON array, sorted by id.
pub fn citations_json(views: &ViewContext<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut citations: Vec<Citation> = routes::cited_items(views.site)
        .map(|item| citation(views, item))
        .collect();
    citations.sort_by(|a, b| a.id.cmp(&b.id));
    let items: Vec<Item<'_>> = citations.iter().map(item).collect();
    serde_json::to_writer_pretty(&mut *out, &items).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}
