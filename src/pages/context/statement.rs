//! A statement's page (`statement.html`), with the graph of its pledges and what they touch,
//! and a section's page (`section.html`).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::cite::json_ld;
use crate::graph;
use crate::routes::{Item, SitePaths};
use crate::templates::views::{
    LinkView, SectionBlockView, StatementCardView, StatusCountView, ViewContext,
};

use super::cite::{CiteView, cite};
use super::{Page, home_crumb, statements_crumb};

/// `page` in `statement.html`.
#[derive(Serialize)]
pub(super) struct StatementPageView<'a> {
    /// `title`, `url`, `date`, `date_display`, `place`, `parties` and `n_pledges`.
    #[serde(flatten)]
    card: StatementCardView,
    slug: &'a str,
    source: Option<LinkView>,
    content: &'a str,
    sections: Vec<SectionBlockView>,
    status_counts: Vec<StatusCountView>,
    graph_svg: Option<String>,
    cite: CiteView,
    json_ld: String,
}

/// `page` in `section.html`.
#[derive(Serialize)]
pub(super) struct SectionPageView<'a> {
    /// `title`, `url` and `pledges`.
    #[serde(flatten)]
    block: SectionBlockView,
    slug: &'a str,
    content: &'a str,
    statement: LinkView,
    previous: Option<LinkView>,
    next: Option<LinkView>,
    cite: CiteView,
}

/// A statement with its preamble, its sections and their pledges, and its graph.
pub(super) fn statement<'a>(
    views: &ViewContext<'a>,
    statement: usize,
) -> Page<StatementPageView<'a>> {
    let site = views.site;
    let relations = views.relations;
    let item = &site.statements[statement];
    let sections = &relations.statement_sections[statement];
    let pledges: Vec<usize> = sections
        .iter()
        .flat_map(|&section| relations.section_pledges[section].iter().copied())
        .collect();
    let view = StatementPageView {
        card: views.statement_card(statement),
        slug: &item.slug,
        source: item
            .source
            .as_ref()
            .and_then(|source| site.source_index(&source.value))
            .map(|source| views.source_link(source)),
        content: &views.bodies.statements[statement].html,
        sections: sections
            .iter()
            .map(|&section| views.section_block(section))
            .collect(),
        status_counts: views.status_counts(pledges.iter().copied()),
        graph_svg: statement_graph(views, statement, &pledges),
        cite: cite(views, Item::Statement(statement)),
        json_ld: json_ld::statement(views, statement),
    };
    Page {
        view,
        title: item.title.clone(),
        breadcrumbs: vec![
            home_crumb(views),
            statements_crumb(views),
            views.statement_link(statement),
        ],
    }
}

/// A section with its text, its pledges, and its neighbours in the statement.
pub(super) fn section<'a>(views: &ViewContext<'a>, section: usize) -> Page<SectionPageView<'a>> {
    let site = views.site;
    let item = &site.sections[section];
    let siblings = &views.relations.statement_sections[item.statement];
    let position = siblings
        .iter()
        .position(|&x| x == section)
        .expect("a section is among its statement's sections");
    let view = SectionPageView {
        block: views.section_block(section),
        slug: &item.slug,
        content: &views.bodies.sections[section].html,
        statement: views.statement_link(item.statement),
        previous: position
            .checked_sub(1)
            .map(|previous| views.section_link(siblings[previous])),
        next: siblings
            .get(position + 1)
            .map(|&next| views.section_link(next)),
        cite: cite(views, Item::Section(section)),
    };
    Page {
        title: format!("{} – {}", item.title, site.statements[item.statement].title),
        breadcrumbs: vec![
            home_crumb(views),
            statements_crumb(views),
            view.statement.clone(),
            view.block.section.clone(),
        ],
        view,
    }
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
