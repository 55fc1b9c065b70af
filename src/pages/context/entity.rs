//! The index of one kind of entity (`entities.html`), and an entity's page (`entity.html`)
//! with its pledges grouped by statement, its neighbours and their graph.

use serde::Serialize;

use crate::graph;
use crate::model::EntityKind;
use crate::routes::{Item, PageKind, SitePaths};
use crate::templates::views::{
    EntityCardView, NeighbourView, StatementGroupView, StatusCountView, ViewContext,
};

use super::cite::{FeedView, feed};
use super::{Page, crumb, home_crumb};

/// The most neighbours an entity's graph shows.
const MAX_GRAPH_NEIGHBOURS: usize = 14;

/// `page` in `entities.html`.
#[derive(Serialize)]
pub(super) struct EntitiesPageView {
    title: &'static str,
    kind: &'static str,
    url: String,
    entities: Vec<EntityCardView>,
}

/// `page` in `entity.html`.
#[derive(Serialize)]
pub(super) struct EntityPageView<'a> {
    title: &'a str,
    url: String,
    slug: &'a str,
    kind: &'static str,
    kind_title: &'static str,
    kind_url: String,
    aliases: &'a [String],
    summary: Option<&'a str>,
    official_url: Option<&'a str>,
    iso: Option<&'a str>,
    content: &'a str,
    groups: Vec<StatementGroupView>,
    n_pledges: usize,
    status_counts: Vec<StatusCountView>,
    neighbours: Vec<NeighbourView>,
    graph_svg: Option<String>,
    feed: FeedView,
}

/// Every entity of one kind, by slug.
pub(super) fn entities(views: &ViewContext<'_>, kind: EntityKind) -> Page<EntitiesPageView> {
    let site = views.site;
    let title = kind.plural_label();
    let url = views.page_url(PageKind::Entities(kind));
    let view = EntitiesPageView {
        title,
        kind: kind.singular(),
        url: url.clone(),
        entities: site
            .entities
            .iter()
            .enumerate()
            .filter(|(_, entity)| entity.kind == kind)
            .map(|(e, entity)| EntityCardView {
                title: entity.title.clone(),
                url: views.url(&site.entity_path(e)),
                summary: entity.summary.clone(),
                n_pledges: views.relations.entity_pledges[e].len(),
            })
            .collect(),
    };
    Page {
        view,
        title: title.to_string(),
        breadcrumbs: vec![home_crumb(views), crumb(title, url)],
    }
}

/// An entity with its pledges, the entities it shares them with, and their graph.
pub(super) fn entity<'a>(views: &ViewContext<'a>, entity: usize) -> Page<EntityPageView<'a>> {
    let site = views.site;
    let relations = views.relations;
    let item = &site.entities[entity];
    let url = views.url(&site.entity_path(entity));
    let kind_url = views.page_url(PageKind::Entities(item.kind));
    let pledges = &relations.entity_pledges[entity];
    let view = EntityPageView {
        title: &item.title,
        url: url.clone(),
        slug: &item.slug,
        kind: item.kind.singular(),
        kind_title: item.kind.plural_label(),
        kind_url: kind_url.clone(),
        aliases: &item.aliases,
        summary: item.summary.as_deref(),
        official_url: item.url.as_deref(),
        iso: item.iso.as_deref(),
        content: &views.bodies.entities[entity].html,
        groups: views.entity_groups(entity),
        n_pledges: pledges.len(),
        status_counts: views.status_counts(pledges.iter().copied()),
        neighbours: relations.neighbours[entity]
            .iter()
            .map(|&(other, shared)| NeighbourView {
                entity: views.entity_link(other),
                shared,
            })
            .collect(),
        graph_svg: neighbourhood_graph(views, entity),
        feed: feed(views, Item::Entity(entity), &item.title),
    };
    Page {
        view,
        title: format!("{} – {}", item.title, item.kind.singular()),
        breadcrumbs: vec![
            home_crumb(views),
            crumb(item.kind.plural_label(), kind_url),
            crumb(&item.title, url),
        ],
    }
}

/// The entity at the centre, and around it up to `MAX_GRAPH_NEIGHBOURS` of the entities it
/// shares the most pledges with; `None` when it shares none.
fn neighbourhood_graph(views: &ViewContext<'_>, entity: usize) -> Option<String> {
    let site = views.site;
    let neighbours = &views.relations.neighbours[entity];
    if neighbours.is_empty() {
        return None;
    }
    let node = |entity: usize| graph::Node {
        label: site.entities[entity].title.clone(),
        url: views.url(&site.entity_path(entity)),
        kind: site.entities[entity].kind.singular(),
    };
    let shown: Vec<(graph::Node, usize)> = neighbours
        .iter()
        .take(MAX_GRAPH_NEIGHBOURS)
        .map(|&(other, shared)| (node(other), shared))
        .collect();
    Some(graph::neighbourhood(
        &node(entity),
        &shown,
        &format!(
            "{} and the {} entities it shares the most pledges with; thicker lines share more",
            site.entities[entity].title,
            shown.len()
        ),
    ))
}
