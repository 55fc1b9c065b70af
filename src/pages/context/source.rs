//! The index of sources (`sources.html`), and a source's page (`source.html`) with its
//! published text as a reading view: headings, numbered and anchored paragraphs (each
//! official paragraph linked to its pledge), and every passage a pledge cites marked and
//! anchored.

use serde::Serialize;

use crate::escape::escape_html;
use crate::model::{Site, SourceKind};
use crate::provenance::{self, ReadingBlock};
use crate::routes::PageKind;
use crate::slug;
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
    reading: Vec<ReadingBlockView>,
    n_paragraphs: usize,
    /// Whether the text numbers its paragraphs as published (a numbered communiqué).
    numbered_as_published: bool,
    file_url: Option<String>,
    file_name: Option<String>,
    file_type: Option<&'static str>,
    file_size: Option<String>,
    statements: Vec<LinkView>,
    quotes: Vec<QuoteView>,
}

/// A block of a source's reading view (`page.reading`).
#[derive(Serialize)]
struct ReadingBlockView {
    /// `heading`, `paragraph` or `meta`.
    kind: &'static str,
    /// Its `id`: `para-<n>` for a paragraph, a slug of a heading's words, none for metadata.
    id: Option<String>,
    /// A paragraph's number, from 1 across the whole text.
    number: Option<usize>,
    /// What the paragraph is shown as after `¶`: its published number in a numbered
    /// communiqué (null for its unnumbered paragraphs), else `number`.
    label: Option<String>,
    /// The words as escaped HTML, with cited passages marked.
    html: String,
    /// The pledge this paragraph of the official text is.
    pledge: Option<LinkView>,
    /// The statement, for a paragraph of the official text before its first heading that
    /// is no pledge.
    statement: Option<LinkView>,
    /// The pledges citing passages of this paragraph: each the pledge's `title` and `url`,
    /// and `anchor`, the `#cite-…` link to where its passage starts.
    cited_by: Vec<CitedByView>,
}

#[derive(Serialize)]
struct CitedByView {
    title: String,
    url: String,
    anchor: String,
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
        breadcrumbs: vec![
            home_crumb(views),
            crumb("Sources", views.page_url(PageKind::Sources)),
        ],
    }
}

/// A source with its description, its text with the cited passages marked, its copy, and
/// the statements and pledges citing it.
pub(super) fn source<'a>(views: &ViewContext<'a>, source: usize) -> Page<SourcePageView<'a>> {
    let site = views.site;
    let relations = views.relations;
    let item = &site.sources[source];
    let url = views.url(&site.source_path(source));
    let (reading, n_paragraphs) = reading_view(views, source);
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
        numbered_as_published: views.readings[source]
            .as_ref()
            .is_some_and(|r| r.published_numbers()),
        reading,
        n_paragraphs,
        file_url: item.file.as_ref().map(|f| format!("{url}{}", file_name(f))),
        file_name: item.file.as_ref().map(|f| file_name(f)),
        file_type: item.file.as_ref().map(|f| file_type(f)),
        file_size: item.text.as_ref().map(|text| size_display(text.len())),
        statements: relations.source_statements[source]
            .iter()
            .map(|&statement| views.statement_link(statement))
            .collect(),
        quotes: relations.source_quotes[source]
            .iter()
            .map(|&(pledge, coverage)| {
                let quote = &site.pledges[pledge].coverage[coverage].quote.value;
                QuoteView {
                    pledge: views.pledge_link(pledge),
                    quote: quote.clone(),
                    anchor: found(views, source, quote)
                        .then(|| format!("#{}", citation_anchor(site, views, pledge, coverage))),
                }
            })
            .collect(),
    };
    Page {
        view,
        title: item.title.clone(),
        breadcrumbs: vec![
            home_crumb(views),
            crumb("Sources", views.page_url(PageKind::Sources)),
            crumb(&item.title, url),
        ],
    }
}

/// Whether `quote` is in the reading view of `source`, where it is marked and anchored.
fn found(views: &ViewContext<'_>, source: usize, quote: &str) -> bool {
    views.readings[source]
        .as_ref()
        .is_some_and(|reading| reading.finds(quote))
}

/// The link from a pledge's coverage entry to its passage on the source page
/// (`/sources/<source>/#cite-…`), if the passage is in the source's reading view.
pub(super) fn citation_url(
    views: &ViewContext<'_>,
    pledge: usize,
    coverage: usize,
) -> Option<String> {
    let site = views.site;
    let quoted = &site.pledges[pledge].coverage[coverage];
    let source = site.source_index(&quoted.source.value)?;
    found(views, source, &quoted.quote.value).then(|| {
        format!(
            "{}#{}",
            views.url(&site.source_path(source)),
            citation_anchor(site, views, pledge, coverage)
        )
    })
}

/// The `id` of a pledge's cited passage on its source's page: `cite-<pledge slug>`, with
/// `-2`, `-3`… for the pledge's second and later quotes of the same source. Pledge slugs are
/// unique within a section only, so where another pledge citing the same source has the
/// same slug, the section's slug (and if need be the statement's) goes before it.
fn citation_anchor(site: &Site, views: &ViewContext<'_>, pledge: usize, coverage: usize) -> String {
    let item = &site.pledges[pledge];
    let source = &item.coverage[coverage].source.value;
    let nth = item.coverage[..coverage]
        .iter()
        .filter(|c| &c.source.value == source)
        .count();
    let mut name = item.slug.clone();
    if let Some(s) = site.source_index(source) {
        let others: Vec<usize> = views.relations.source_quotes[s]
            .iter()
            .map(|&(p, _)| p)
            .filter(|&p| p != pledge && site.pledges[p].slug == item.slug)
            .collect();
        if !others.is_empty() {
            let section = &site.sections[item.section].slug;
            let same_section = others
                .iter()
                .any(|&p| &site.sections[site.pledges[p].section].slug == section);
            name = format!("{section}-{name}");
            if same_section {
                name = format!("{}-{name}", site.statements[item.statement].slug);
            }
        }
    }
    if nth == 0 {
        format!("cite-{name}")
    } else {
        format!("cite-{name}-{}", nth + 1)
    }
}

/// What a file's name says it holds, for its download link.
fn file_type(file: &str) -> &'static str {
    match file
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
    {
        Some(ext) if ext == "txt" => "plain text",
        Some(ext) if ext == "md" || ext == "markdown" => "Markdown",
        Some(ext) if ext == "html" || ext == "htm" => "HTML",
        _ => "text",
    }
}

/// A file's size for readers: `812 bytes`, `6 KB`, `1.2 MB` (1 KB is 1,024 bytes, rounded
/// to the nearest).
fn size_display(bytes: usize) -> String {
    const KB: usize = 1024;
    if bytes < KB {
        format!("{bytes} bytes")
    } else if bytes < KB * KB {
        format!("{} KB", (bytes + KB / 2) / KB)
    } else {
        format!("{:.1} MB", bytes as f64 / (KB * KB) as f64)
    }
}

/// The reading view of a source's text and its number of paragraphs: each block with its
/// id, a paragraph of the official text linked to the pledge it is (matched by text, not
/// by place) or, before the first heading or pledge, to the statement, and the passages
/// pledges cite marked.
fn reading_view(views: &ViewContext<'_>, source: usize) -> (Vec<ReadingBlockView>, usize) {
    let relations = views.relations;
    let Some(reading) = &views.readings[source] else {
        return (Vec::new(), 0);
    };
    let paragraphs = reading.paragraphs();
    // Which pledge each paragraph is, for the statements this is the official text of.
    let mut pledge_of: Vec<Option<usize>> = vec![None; paragraphs.len()];
    for &statement in &relations.source_statements[source] {
        for &section in &relations.statement_sections[statement] {
            for &pledge in &relations.section_pledges[section] {
                let by_number = views.site.pledges[pledge]
                    .number
                    .as_deref()
                    .and_then(|n| reading.numbered(n));
                if let Some(number) =
                    by_number.or_else(|| reading.paragraph_of(&views.plain_texts[pledge]))
                {
                    pledge_of[number - 1].get_or_insert(pledge);
                }
            }
        }
    }
    let statement = relations.source_statements[source]
        .first()
        .map(|&statement| views.statement_link(statement));
    let citations = source_citations(views, source);
    let (marked, _) = provenance::mark_citations(&paragraphs, &citations);
    // The preamble: the paragraphs before the first heading or pledge, if there is one (a
    // text with neither has no preamble to tell apart).
    let landmark = reading.blocks.iter().position(|block| match block {
        ReadingBlock::Heading { .. } => true,
        ReadingBlock::Paragraph { number, .. } => pledge_of[number - 1].is_some(),
        ReadingBlock::Meta { .. } => false,
    });
    let mut heading_ids: Vec<String> = Vec::new();
    let blocks = reading
        .blocks
        .iter()
        .enumerate()
        .map(|(at, block)| match block {
            ReadingBlock::Heading { text } => {
                let base = match slug::from_text(text, &['.', '’', '\''], 8) {
                    s if s.is_empty() => "part".to_string(),
                    s => format!("part-{s}"),
                };
                let mut id = base.clone();
                let mut k = 2;
                while heading_ids.contains(&id) {
                    id = format!("{base}-{k}");
                    k += 1;
                }
                heading_ids.push(id.clone());
                ReadingBlockView {
                    kind: "heading",
                    id: Some(id),
                    number: None,
                    label: None,
                    html: escape_html(text),
                    pledge: None,
                    statement: None,
                    cited_by: Vec::new(),
                }
            }
            ReadingBlock::Meta { text } => ReadingBlockView {
                kind: "meta",
                id: None,
                number: None,
                label: None,
                html: escape_html(text),
                pledge: None,
                statement: None,
                cited_by: Vec::new(),
            },
            ReadingBlock::Paragraph { number, .. } => {
                let pledge = pledge_of[number - 1];
                let marked = &marked[number - 1];
                ReadingBlockView {
                    kind: "paragraph",
                    id: Some(reading.anchor(*number).to_string()),
                    number: Some(*number),
                    label: reading.shown(*number),
                    html: marked.html.clone(),
                    pledge: pledge.map(|p| views.pledge_link(p)),
                    statement: match landmark {
                        Some(landmark) if at < landmark => statement.clone(),
                        _ => None,
                    },
                    cited_by: marked
                        .cited_by
                        .iter()
                        .map(|&i| CitedByView {
                            title: citations[i].title.clone(),
                            url: citations[i].url.clone(),
                            anchor: format!("#{}", citations[i].anchor),
                        })
                        .collect(),
                }
            }
        })
        .collect();
    (blocks, paragraphs.len())
}

/// The passages of a source that pledges cite: the coverage quotes of it, each with its
/// anchor. (The pledges of an official text are its paragraphs, linked by number.)
fn source_citations(views: &ViewContext<'_>, source: usize) -> Vec<provenance::Citation> {
    let site = views.site;
    views.relations.source_quotes[source]
        .iter()
        .map(|&(pledge, coverage)| provenance::Citation {
            passage: site.pledges[pledge].coverage[coverage].quote.value.clone(),
            anchor: citation_anchor(site, views, pledge, coverage),
            url: views.url(&site.pledge_path(pledge)),
            title: site.pledges[pledge].title.clone(),
        })
        .collect()
}
