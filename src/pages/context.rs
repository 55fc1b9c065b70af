//! The template context of every page: home, statements, sections, pledges, entity indexes
//! and entities, sources, free pages, the tracker, search and 404, built from the model's
//! views, with the graphs, citations and tracker tables some of them show.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::graph;
use crate::model::{EntityKind, SourceKind, Status};
use crate::provenance;
use crate::search;
use crate::templates::Templates;
use crate::templates::views::*;

use super::{OPTIONAL_PAGES, PageKind, file_name, page_origin, page_path, page_template};

/// The settings and navigation every template receives as `site`.
#[derive(Debug, Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    root: String,
    author: Option<&'a str>,
    nav: Vec<LinkView>,
    statuses: Vec<StatusView>,
    generator: &'static str,
    assets: BTreeMap<String, String>,
    search: bool,
}

/// A page ready to render: where it goes, with which template, and its context.
pub(super) struct PageJob {
    pub path: String,
    pub template: &'static str,
    pub context: tera::Context,
    pub origin: String,
}

fn crumb(title: &str, url: String) -> LinkView {
    LinkView {
        title: title.to_string(),
        url,
    }
}

/// The settings and navigation every page receives as `site`, serialised once: every page's
/// context gets a copy.
pub(super) fn site_view(
    views: &ViewContext<'_>,
    templates: &Templates,
    assets: BTreeMap<String, String>,
) -> serde_json::Value {
    let site = views.site;
    let mut nav = vec![crumb("Statements", views.url("/statements/"))];
    for kind in EntityKind::ALL {
        nav.push(crumb(
            kind.plural_label(),
            views.url(&format!("/{}/", kind.folder())),
        ));
    }
    nav.push(crumb("Sources", views.url("/sources/")));
    for (template, path, title, _) in OPTIONAL_PAGES {
        if templates.has(template) {
            nav.push(crumb(title, views.url(path)));
        }
    }
    for (i, page) in site.pages.iter().enumerate() {
        nav.push(crumb(&page.title, views.url(&site.page_path(i))));
    }
    let view = SiteView {
        title: &site.config.title,
        description: &site.config.description,
        language: &site.config.language,
        base_url: site.config.base_url(),
        root: views.url("/"),
        author: site.config.author.as_deref(),
        nav,
        statuses: Status::ALL.into_iter().map(Into::into).collect(),
        generator: concat!("communique ", env!("CARGO_PKG_VERSION")),
        assets,
        search: true,
    };
    serde_json::to_value(view).expect("settings serialise")
}

/// Builds the template context of one page.
pub(super) fn page_job(
    views: &ViewContext<'_>,
    site_view: &serde_json::Value,
    kind: PageKind,
) -> PageJob {
    let site = views.site;
    let relations = views.relations;
    let bodies = views.bodies;
    let home = crumb("Home", views.url("/"));
    let statements_crumb = crumb("Statements", views.url("/statements/"));
    let page: serde_json::Value;
    let path = page_path(site, kind);
    let template = page_template(kind);
    let (title, breadcrumbs): (String, Vec<LinkView>) = match kind {
        PageKind::Home => {
            let title = site
                .home
                .title
                .clone()
                .unwrap_or_else(|| site.config.title.clone());
            let all_pledges = 0..site.pledges.len();
            page = serde_json::json!({
                "title": title,
                "url": views.url("/"),
                "content": bodies.home.html,
                "statements": (0..site.statements.len()).map(|s| views.statement_card(s)).collect::<Vec<_>>(),
                "kinds": EntityKind::ALL.iter().map(|k| KindCountView {
                    title: k.plural_label(),
                    url: views.url(&format!("/{}/", k.folder())),
                    count: site.entities.iter().filter(|e| e.kind == *k).count(),
                }).collect::<Vec<_>>(),
                "status_counts": views.status_counts(all_pledges),
                "n_pledges": site.pledges.len(),
                "n_sources": site.sources.len(),
            });
            (title, vec![])
        }
        PageKind::Statements => {
            page = serde_json::json!({
                "title": "Statements",
                "statements": (0..site.statements.len()).map(|s| views.statement_card(s)).collect::<Vec<_>>(),
            });
            ("Statements".to_string(), vec![home, statements_crumb])
        }
        PageKind::Statement(s) => {
            let item = &site.statements[s];
            let card = views.statement_card(s);
            let pledges: Vec<usize> = relations.statement_sections[s]
                .iter()
                .flat_map(|&sec| relations.section_pledges[sec].iter().copied())
                .collect();
            page = serde_json::json!({
                "title": item.title,
                "url": card.head.url,
                "slug": item.slug,
                "date": card.head.date,
                "date_display": card.head.date_display,
                "place": item.place,
                "parties": card.parties,
                "source": item.source.as_ref().and_then(|src| site.source_index(&src.value)).map(|i| views.source_link(i)),
                "content": bodies.statements[s].html,
                "sections": relations.statement_sections[s].iter().map(|&sec| views.section_block(sec)).collect::<Vec<_>>(),
                "n_pledges": card.n_pledges,
                "status_counts": views.status_counts(pledges.iter().copied()),
                "graph_svg": statement_graph(views, s, &pledges),
            });
            let link = views.statement_link(s);
            (item.title.clone(), vec![home, statements_crumb, link])
        }
        PageKind::Section(sec) => {
            let item = &site.sections[sec];
            let siblings = &relations.statement_sections[item.statement];
            let position = siblings
                .iter()
                .position(|&x| x == sec)
                .expect("a section is among its statement's sections");
            let block = views.section_block(sec);
            page = serde_json::json!({
                "title": item.title,
                "url": block.section.url,
                "slug": item.slug,
                "content": bodies.sections[sec].html,
                "statement": views.statement_link(item.statement),
                "pledges": block.pledges,
                "previous": position.checked_sub(1).map(|p| views.section_link(siblings[p])),
                "next": siblings.get(position + 1).map(|&n| views.section_link(n)),
            });
            let link = views.section_link(sec);
            (
                format!("{} – {}", item.title, site.statements[item.statement].title),
                vec![
                    home,
                    statements_crumb,
                    views.statement_link(item.statement),
                    link,
                ],
            )
        }
        PageKind::Pledge(p) => {
            let item = &site.pledges[p];
            let entities = &relations.pledge_entities[p];
            let by_kind = |kind: EntityKind| -> Vec<EntityLinkView> {
                entities
                    .listed
                    .iter()
                    .filter(|&&e| site.entities[e].kind == kind)
                    .map(|&e| views.entity_link(e))
                    .collect()
            };
            let section_pledges = &relations.section_pledges[item.section];
            page = serde_json::json!({
                "title": item.title,
                "url": views.url(&site.pledge_path(p)),
                "slug": item.slug,
                "content": bodies.pledges[p].html,
                "status": StatusView::from(item.status),
                "status_reason": item.status_reason,
                "statement": views.statement_head(item.statement),
                "section": views.section_link(item.section),
                "position": section_pledges.iter().position(|&x| x == p).map_or(0, |i| i + 1),
                "n_in_section": section_pledges.len(),
                "parties": entities.parties.iter().map(|&e| views.entity_link(e)).collect::<Vec<_>>(),
                "topics": by_kind(EntityKind::Topic),
                "countries": by_kind(EntityKind::Country),
                "programs": by_kind(EntityKind::Program),
                "mentioned": entities.mentioned.iter().map(|&e| views.entity_link(e)).collect::<Vec<_>>(),
                "previous": relations.previous[p].map(|x| views.pledge_link(x)),
                "next": relations.next[p].map(|x| views.pledge_link(x)),
                "related": relations.related[p].iter().map(|&x| views.pledge_card(x)).collect::<Vec<_>>(),
                "coverage": item.coverage.iter().filter_map(|c| {
                    let source = site.source_index(&c.source.value)?;
                    let official = &views.plain_texts[p];
                    let own_text;
                    let document = match &views.official_texts[item.statement] {
                        Some(document) => document,
                        None => {
                            own_text = provenance::OfficialText::new(official);
                            &own_text
                        }
                    };
                    let comparison = provenance::compare_quote(official, &c.quote.value, document);
                    Some(CoverageView {
                        source: views.source_link(source),
                        publisher: site.sources[source].publisher.clone(),
                        kind: site.sources[source].kind,
                        quote: c.quote.value.clone(),
                        diff_html: comparison.diff_html,
                        verbatim_percent: comparison.verbatim_percent,
                        verbatim: comparison.verbatim_percent >= 80,
                        additions: comparison.additions,
                    })
                }).collect::<Vec<_>>(),
                "updates": (0..item.updates.len()).map(|u| views.update(p, u)).collect::<Vec<_>>(),
            });
            (
                item.title.clone(),
                vec![
                    home,
                    statements_crumb,
                    views.statement_link(item.statement),
                    views.section_link(item.section),
                    views.pledge_link(p),
                ],
            )
        }
        PageKind::Entities(kind) => {
            let title = kind.plural_label();
            let url = views.url(&format!("/{}/", kind.folder()));
            page = serde_json::json!({
                "title": title,
                "kind": kind.singular(),
                "url": url,
                "entities": site.entities.iter().enumerate().filter(|(_, e)| e.kind == kind).map(|(i, e)| EntityCardView {
                    title: e.title.clone(),
                    url: views.url(&site.entity_path(i)),
                    summary: e.summary.clone(),
                    n_pledges: relations.entity_pledges[i].len(),
                }).collect::<Vec<_>>(),
            });
            (title.to_string(), vec![home, crumb(title, url)])
        }
        PageKind::Entity(e) => {
            let item = &site.entities[e];
            let kind_url = views.url(&format!("/{}/", item.kind.folder()));
            page = serde_json::json!({
                "title": item.title,
                "url": views.url(&site.entity_path(e)),
                "slug": item.slug,
                "kind": item.kind.singular(),
                "kind_title": item.kind.plural_label(),
                "kind_url": kind_url,
                "aliases": item.aliases,
                "summary": item.summary,
                "official_url": item.url,
                "iso": item.iso,
                "content": bodies.entities[e].html,
                "groups": views.entity_groups(e),
                "n_pledges": relations.entity_pledges[e].len(),
                "status_counts": views.status_counts(relations.entity_pledges[e].iter().copied()),
                "neighbours": relations.neighbours[e].iter().map(|&(other, shared)| NeighbourView {
                    entity: views.entity_link(other),
                    shared,
                }).collect::<Vec<_>>(),
                "graph_svg": (!relations.neighbours[e].is_empty()).then(|| {
                    let node = |entity: usize| graph::Node {
                        label: site.entities[entity].title.clone(),
                        url: views.url(&site.entity_path(entity)),
                        kind: site.entities[entity].kind.singular(),
                    };
                    let neighbours: Vec<(graph::Node, usize)> = relations.neighbours[e]
                        .iter()
                        .take(MAX_GRAPH_NEIGHBOURS)
                        .map(|&(other, shared)| (node(other), shared))
                        .collect();
                    graph::neighbourhood(&node(e), &neighbours, &format!(
                        "{} and the {} entities it shares the most pledges with; thicker lines share more",
                        item.title,
                        neighbours.len()
                    ))
                }),
            });
            let self_link = crumb(&item.title, views.url(&site.entity_path(e)));
            (
                format!("{} – {}", item.title, item.kind.singular()),
                vec![home, crumb(item.kind.plural_label(), kind_url), self_link],
            )
        }
        PageKind::Sources => {
            let url = views.url("/sources/");
            page = serde_json::json!({
                "title": "Sources",
                "sources": site.sources.iter().enumerate().map(|(i, s)| SourceCardView {
                    title: s.title.clone(),
                    url: views.url(&site.source_path(i)),
                    publisher: s.publisher.clone(),
                    date_display: s.date.map(|d| d.display()),
                    kind: s.kind,
                }).collect::<Vec<_>>(),
            });
            ("Sources".to_string(), vec![home, crumb("Sources", url)])
        }
        PageKind::Source(s) => {
            let item = &site.sources[s];
            let url = views.url(&site.source_path(s));
            page = serde_json::json!({
                "title": item.title,
                "url": url,
                "slug": item.slug,
                "publisher": item.publisher,
                "author": item.author,
                "date": item.date.map(|d| d.to_string()),
                "date_display": item.date.map(|d| d.display()),
                "official_url": item.url,
                "kind": item.kind,
                "kind_label": match item.kind { SourceKind::Official => "Official text", SourceKind::Coverage => "Coverage" },
                "content": bodies.sources[s].html,
                "text": item.text,
                "text_html": item.text.as_ref().map(|text| provenance::highlight_citations(text, &source_citations(views, s))),
                "file_url": item.file.as_ref().map(|f| format!("{url}{}", file_name(f))),
                "file_name": item.file.as_ref().map(|f| file_name(f)),
                "statements": relations.source_statements[s].iter().map(|&st| views.statement_link(st)).collect::<Vec<_>>(),
                "quotes": relations.source_quotes[s].iter().map(|&(p, c)| QuoteView {
                    pledge: views.pledge_link(p),
                    quote: site.pledges[p].coverage[c].quote.value.clone(),
                }).collect::<Vec<_>>(),
            });
            (
                item.title.clone(),
                vec![
                    home,
                    crumb("Sources", views.url("/sources/")),
                    crumb(&item.title, url),
                ],
            )
        }
        PageKind::Free(i) => {
            let item = &site.pages[i];
            let url = views.url(&site.page_path(i));
            page = serde_json::json!({
                "title": item.title,
                "url": url,
                "slug": item.slug,
                "content": bodies.pages[i].html,
            });
            (item.title.clone(), vec![home, crumb(&item.title, url)])
        }
        PageKind::Tracker => {
            let url = views.url("/tracker/");
            page = tracker_view(views);
            (
                "Pledge tracker".to_string(),
                vec![home, crumb("Tracker", url)],
            )
        }
        PageKind::Search => {
            let url = views.url("/search/");
            page = serde_json::json!({
                "title": "Search",
                "url": url,
                "bundle_url": views.url(&format!("/{}/", search::BUNDLE)),
                "search_script": search::script_url(views.prefix),
            });
            ("Search".to_string(), vec![home, crumb("Search", url)])
        }
        PageKind::NotFound => {
            page = serde_json::json!({ "title": "Page not found" });
            ("Page not found".to_string(), vec![])
        }
    };
    // The context is assembled as JSON and moved into Tera's context whole: inserting each
    // value would serialise it again, a fifth of the rendering time at 10,000 pledges.
    let mut data = serde_json::Map::new();
    data.insert("page".into(), page);
    data.insert("site".into(), site_view.clone());
    data.insert("page_title".into(), title.into());
    data.insert("page_url".into(), views.url(&path).into());
    data.insert(
        "canonical_url".into(),
        format!("{}{}", site.config.base_url(), path).into(),
    );
    data.insert(
        "breadcrumbs".into(),
        serde_json::to_value(&breadcrumbs).expect("links serialise"),
    );
    data.insert("template".into(), template.into());
    let context = tera::Context::from_value(serde_json::Value::Object(data))
        .expect("an object makes a context");
    let origin = page_origin(site, kind, template);
    PageJob {
        path,
        template,
        context,
        origin,
    }
}

/// The most neighbours an entity's graph shows.
const MAX_GRAPH_NEIGHBOURS: usize = 14;

/// The passages of a source that pledges cite: coverage quotes of it, and, for the official
/// text of a statement, each pledge's own wording.
fn source_citations(views: &ViewContext<'_>, source: usize) -> Vec<provenance::Citation> {
    let site = views.site;
    let relations = views.relations;
    let mut citations: Vec<provenance::Citation> = Vec::new();
    for &statement in &relations.source_statements[source] {
        for &section in &relations.statement_sections[statement] {
            for &pledge in &relations.section_pledges[section] {
                citations.push(provenance::Citation {
                    passage: views.plain_texts[pledge].clone(),
                    url: views.url(&site.pledge_path(pledge)),
                    title: site.pledges[pledge].title.clone(),
                });
            }
        }
    }
    for &(pledge, coverage) in &relations.source_quotes[source] {
        citations.push(provenance::Citation {
            passage: site.pledges[pledge].coverage[coverage].quote.value.clone(),
            url: views.url(&site.pledge_path(pledge)),
            title: site.pledges[pledge].title.clone(),
        });
    }
    citations
}

/// A statement's pledges on the left, the topics, countries and programs they touch on the
/// right (parties left out: they touch every pledge).
fn statement_graph(views: &ViewContext<'_>, statement: usize, pledges: &[usize]) -> Option<String> {
    let site = views.site;
    let relations = views.relations;
    let mut entities: BTreeSet<usize> = BTreeSet::new();
    for &pledge in pledges {
        let touched = &relations.pledge_entities[pledge];
        entities.extend(touched.listed.iter().chain(&touched.mentioned));
    }
    if pledges.is_empty() || entities.is_empty() {
        return None;
    }
    let entities: Vec<usize> = entities.into_iter().collect();
    let pledge_nodes: Vec<graph::Node> = pledges
        .iter()
        .map(|&p| graph::Node {
            label: site.pledges[p].title.clone(),
            url: views.url(&site.pledge_path(p)),
            kind: "pledge",
        })
        .collect();
    let entity_nodes: Vec<graph::Node> = entities
        .iter()
        .map(|&e| graph::Node {
            label: site.entities[e].title.clone(),
            url: views.url(&site.entity_path(e)),
            kind: site.entities[e].kind.singular(),
        })
        .collect();
    let mut links = Vec::new();
    for (pledge_row, &pledge) in pledges.iter().enumerate() {
        let touched = &relations.pledge_entities[pledge];
        for entity in touched.listed.iter().chain(&touched.mentioned) {
            if let Ok(entity_row) = entities.binary_search(entity) {
                links.push((pledge_row, entity_row));
            }
        }
    }
    Some(graph::bipartite(
        &pledge_nodes,
        &entity_nodes,
        &links,
        &format!(
            "The {} pledges of {} and the {} topics, countries and programs they touch",
            pledges.len(),
            site.statements[statement].title,
            entities.len()
        ),
    ))
}

/// The report card: pledges by status overall, per topic, country and program, and every
/// tracker update, newest first.
fn tracker_view(views: &ViewContext<'_>) -> serde_json::Value {
    let site = views.site;
    let relations = views.relations;
    let as_of = site
        .pledges
        .iter()
        .flat_map(|p| p.updates.iter().map(|u| u.date))
        .max();
    let by_kind = |kind: EntityKind| -> Vec<serde_json::Value> {
        site.entities
            .iter()
            .enumerate()
            .filter(|(e, entity)| entity.kind == kind && !relations.entity_pledges[*e].is_empty())
            .map(|(e, _)| {
                serde_json::json!({
                    "entity": views.entity_link(e),
                    "total": relations.entity_pledges[e].len(),
                    "counts": views.status_counts(relations.entity_pledges[e].iter().copied()),
                })
            })
            .collect()
    };
    let updates = site.updates_newest_first();
    serde_json::json!({
        "title": "Pledge tracker",
        "url": views.url("/tracker/"),
        "as_of": as_of.map(|d| d.to_string()),
        "as_of_display": as_of.map(|d| d.display()),
        "n_pledges": site.pledges.len(),
        "n_updates": updates.len(),
        "n_caveats": site.pledges.iter().flat_map(|p| &p.updates).filter(|u| u.note.is_some()).count(),
        "status_counts": views.status_counts(0..site.pledges.len()),
        "topics": by_kind(EntityKind::Topic),
        "countries": by_kind(EntityKind::Country),
        "programs": by_kind(EntityKind::Program),
        "feed_url": views.url("/updates.xml"),
        "updates": updates.iter().map(|&(_, p, u)| {
            let mut update = serde_json::to_value(views.update(p, u)).expect("views serialise");
            update["pledge"] = serde_json::to_value(views.pledge_card(p)).expect("views serialise");
            update
        }).collect::<Vec<_>>(),
    })
}
