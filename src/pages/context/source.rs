//! The index of sources (`sources.html`), and a source's page (`source.html`) with its
//! published text, every passage a pledge cites in it marked as a link to that pledge.

use serde::Serialize;

use crate::model::SourceKind;
use crate::provenance;
use crate::templates::views::{LinkView, QuoteView, SourceCardView, ViewContext};

use super::{Page, crumb, home_crumb};
use crate::routes::{SitePaths, file_name};

/// `page` in `sources.html`.
#[derive(Serialize)]
pub(super) struct SourcesPageView {
    title: &'static str,
    sources: Vec<SourceCardView>,
}

/// `page` in `source.html`.
#[derive(Serialize)]
pub(super) struct SourcePageView<'a> {
    title: &'a str,
    url: String,
    slug: &'a str,
    publisher: Option<&'a str>,
    author: Option<&'a str>,
    date: Option<String>,
    date_display: Option<String>,
    official_url: Option<&'a str>,
    no_url: Option<&'a str>,
    kind: SourceKind,
    kind_label: &'static str,
    content: &'a str,
    text: Option<&'a str>,
    text_html: Option<String>,
    file_url: Option<String>,
    file_name: Option<String>,
    statements: Vec<LinkView>,
    quotes: Vec<QuoteView>,
}

/// Every source, by slug.
pub(super) fn sources(views: &ViewContext<'_>) -> Page<SourcesPageView> {
    let site = views.site;
    let view = SourcesPageView {
        title: "Sources",
        sources: site
            .sources
            .iter()
            .enumerate()
            .map(|(s, source)| SourceCardView {
                title: source.title.clone(),
                url: views.url(&site.source_path(s)),
                publisher: source.publisher.clone(),
                date_display: source.date.map(|d| d.display()),
                kind: source.kind,
                no_url: source.no_url.clone(),
            })
            .collect(),
    };
    Page {
        view,
        title: "Sources".to_string(),
        breadcrumbs: vec![home_crumb(views), crumb("Sources", views.url("/sources/"))],
    }
}

/// A source with its description, its text with the cited passages marked, its copy, and
/// the statements and pledges citing it.
pub(super) fn source<'a>(views: &ViewContext<'a>, source: usize) -> Page<SourcePageView<'a>> {
    let site = views.site;
    let relations = views.relations;
    let item = &site.sources[source];
    let url = views.url(&site.source_path(source));
    let view = SourcePageView {
        title: &item.title,
        url: url.clone(),
        slug: &item.slug,
        publisher: item.publisher.as_deref(),
        author: item.author.as_deref(),
        date: item.date.map(|d| d.to_string()),
        date_display: item.date.map(|d| d.display()),
        official_url: item.url.as_deref(),
        no_url: item.no_url.as_deref(),
        kind: item.kind,
        kind_label: match item.kind {
            SourceKind::Official => "Official text",
            SourceKind::Coverage => "Coverage",
        },
        content: &views.bodies.sources[source].html,
        text: item.text.as_deref(),
        text_html: item
            .text
            .as_ref()
            .map(|text| provenance::highlight_citations(text, &source_citations(views, source))),
        file_url: item.file.as_ref().map(|f| format!("{url}{}", file_name(f))),
        file_name: item.file.as_ref().map(|f| file_name(f)),
        statements: relations.source_statements[source]
            .iter()
            .map(|&statement| views.statement_link(statement))
            .collect(),
        quotes: relations.source_quotes[source]
            .iter()
            .map(|&(pledge, coverage)| QuoteView {
                pledge: views.pledge_link(pledge),
                quote: site.pledges[pledge].coverage[coverage].quote.value.clone(),
            })
            .collect(),
    };
    Page {
        view,
        title: item.title.clone(),
        breadcrumbs: vec![
            home_crumb(views),
            crumb("Sources", views.url("/sources/")),
            crumb(&item.title, url),
        ],
    }
}

/// The passages of a source that pledges cite: coverage quotes of it, and, for the official
/// text of a statement, each pledge's own wording.
fn source_citations(views: &ViewContext<'_>, source: usize) -> Vec<provenance::Citation> {
    let site = views.site;
    let relations = views.relations;
    let citation = |pledge: usize, passage: &str| provenance::Citation {
        passage: passage.to_string(),
        url: views.url(&site.pledge_path(pledge)),
        title: site.pledges[pledge].title.clone(),
    };
    let mut citations: Vec<provenance::Citation> = Vec::new();
    for &statement in &relations.source_statements[source] {
        for &section in &relations.statement_sections[statement] {
            for &pledge in &relations.section_pledges[section] {
                citations.push(citation(pledge, &views.plain_texts[pledge]));
            }
        }
    }
    for &(pledge, coverage) in &relations.source_quotes[source] {
        let quote = &site.pledges[pledge].coverage[coverage].quote.value;
        citations.push(citation(pledge, quote));
    }
    citations
}
