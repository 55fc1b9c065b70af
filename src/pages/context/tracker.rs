//! The tracker's report card (`tracker.html`): pledges by status overall and per topic,
//! country and program, each count linked to the list of the pledges it counts, that list
//! (every pledge, with what its script filters it by), and every tracker update, newest
//! first.

use serde::Serialize;

use crate::graph::bars::{self, Bar, Segment};
use crate::model::EntityKind;
use crate::routes::{self, PageKind};
use crate::templates::views::{
    CorrectionView, EntityLinkView, PledgeCardView, StatusCountView, UpdateView, ViewContext,
};

use super::{Page, crumb, home_crumb};

/// `page` in `tracker.html`.
#[derive(Serialize)]
pub(super) struct TrackerPageView {
    title: &'static str,
    url: String,
    as_of: Option<String>,
    as_of_display: Option<String>,
    n_pledges: usize,
    n_updates: usize,
    n_caveats: usize,
    status_counts: Vec<LinkedCountView>,
    topics: Vec<EntityTallyView>,
    countries: Vec<EntityTallyView>,
    programs: Vec<EntityTallyView>,
    feed_url: String,
    updates: Vec<TrackerUpdateView>,
    corrections: Vec<TrackerCorrectionView>,
    list_url: String,
    list_anchor: &'static str,
    pledges: Vec<ListedPledgeView>,
    charts: ChartsView,
}

/// The report card drawn as stacked bars (HTML: inline SVG), one chart per table; each
/// empty when its table has no rows.
#[derive(Serialize)]
struct ChartsView {
    overall: String,
    topics: String,
    countries: String,
    programs: String,
}

/// A bar of the chart for each row of a table of counts.
fn bars_of(rows: &[(String, &[LinkedCountView])]) -> Vec<Bar> {
    rows.iter()
        .map(|(label, counts)| Bar {
            label: label.clone(),
            segments: counts
                .iter()
                .map(|c| Segment {
                    slug: c.count.status.slug,
                    label: c.count.status.label,
                    count: c.count.count,
                })
                .collect(),
        })
        .collect()
}

/// The chart of a table of entities' counts.
fn tally_chart(tallies: &[EntityTallyView], kind: EntityKind) -> String {
    let rows: Vec<(String, &[LinkedCountView])> = tallies
        .iter()
        .map(|t| (t.entity.title.clone(), t.counts.as_slice()))
        .collect();
    bars::status_bars(
        &bars_of(&rows),
        &format!("chart-{}", kind.folder()),
        &format!("Pledges by {} and status, as stacked bars", kind.singular()),
    )
}

/// A count of pledges with one status, linked to the list of those pledges.
#[derive(Serialize)]
struct LinkedCountView {
    #[serde(flatten)]
    count: StatusCountView,
    /// The tracker's list, filtered to the pledges counted.
    url: String,
}

/// A pledge in the tracker's list, with the slugs of what its script filters it by.
#[derive(Serialize)]
struct ListedPledgeView {
    #[serde(flatten)]
    card: PledgeCardView,
    topics: Vec<String>,
    countries: Vec<String>,
    programs: Vec<String>,
}

/// A correction with the pledge it corrects.
#[derive(Serialize)]
struct TrackerCorrectionView {
    /// The correction's own fields.
    #[serde(flatten)]
    correction: CorrectionView,
    pledge: PledgeCardView,
}

/// An entity's pledges counted by status.
#[derive(Serialize)]
struct EntityTallyView {
    entity: EntityLinkView,
    total: usize,
    /// The tracker's list, filtered to the entity's pledges.
    url: String,
    counts: Vec<LinkedCountView>,
}

/// `counts`, each linked to the list of its pledges: those chosen by `filter` that have its
/// status.
fn linked(
    views: &ViewContext<'_>,
    counts: Vec<StatusCountView>,
    filter: Option<(&str, &str)>,
) -> Vec<LinkedCountView> {
    counts
        .into_iter()
        .map(|count| {
            let status = ("status", count.status.slug);
            let filters: Vec<(&str, &str)> = filter.into_iter().chain([status]).collect();
            LinkedCountView {
                url: views.url(&routes::pledge_list_path(views.site, &filters)),
                count,
            }
        })
        .collect()
}

/// An update with the pledge it is about.
#[derive(Serialize)]
struct TrackerUpdateView {
    /// The update's own fields.
    #[serde(flatten)]
    update: UpdateView,
    pledge: PledgeCardView,
}

/// The report card, as of the latest update of any pledge.
pub(super) fn tracker(views: &ViewContext<'_>) -> Page<TrackerPageView> {
    let site = views.site;
    let relations = views.relations;
    let as_of = site
        .pledges
        .iter()
        .flat_map(|p| p.updates.iter().map(|u| u.date))
        .max();
    let tallies = |kind: EntityKind| -> Vec<EntityTallyView> {
        site.entities
            .iter()
            .enumerate()
            .filter(|(e, entity)| entity.kind == kind && !relations.entity_pledges[*e].is_empty())
            .map(|(e, entity)| {
                let filter = (kind.singular(), entity.slug.as_str());
                EntityTallyView {
                    entity: views.entity_link(e),
                    total: relations.entity_pledges[e].len(),
                    url: views.url(&routes::pledge_list_path(site, &[filter])),
                    counts: linked(
                        views,
                        views.status_counts(relations.entity_pledges[e].iter().copied()),
                        Some(filter),
                    ),
                }
            })
            .collect()
    };
    // What each pledge is filtered by: the entities whose counts include it.
    let mut touched: Vec<[Vec<String>; 3]> = vec![Default::default(); site.pledges.len()];
    for (e, entity) in site.entities.iter().enumerate() {
        let kind = match entity.kind {
            EntityKind::Topic => 0,
            EntityKind::Country => 1,
            EntityKind::Program => 2,
        };
        for &pledge in &relations.entity_pledges[e] {
            touched[pledge][kind].push(entity.slug.clone());
        }
    }
    let status_counts = linked(views, views.status_counts(0..site.pledges.len()), None);
    let (topics, countries, programs) = (
        tallies(EntityKind::Topic),
        tallies(EntityKind::Country),
        tallies(EntityKind::Program),
    );
    let charts = ChartsView {
        overall: bars::status_bars(
            &bars_of(&[(
                format!("All {} pledges", site.pledges.len()),
                status_counts.as_slice(),
            )]),
            "chart-overall",
            "All pledges by status, as a stacked bar",
        ),
        topics: tally_chart(&topics, EntityKind::Topic),
        countries: tally_chart(&countries, EntityKind::Country),
        programs: tally_chart(&programs, EntityKind::Program),
    };
    let updates = site.updates_newest_first();
    let url = views.page_url(PageKind::Tracker);
    let view = TrackerPageView {
        title: "Pledge tracker",
        url: url.clone(),
        as_of: as_of.map(|d| d.to_string()),
        as_of_display: as_of.map(|d| d.display()),
        n_pledges: site.pledges.len(),
        n_updates: updates.len(),
        n_caveats: site
            .pledges
            .iter()
            .flat_map(|p| &p.updates)
            .filter(|u| u.note.is_some())
            .count(),
        status_counts,
        topics,
        countries,
        programs,
        feed_url: views.url(&format!("/{}", routes::UPDATES_FEED)),
        updates: updates
            .iter()
            .map(|&(_, pledge, update)| TrackerUpdateView {
                update: views.update(pledge, update),
                pledge: views.pledge_card(pledge),
            })
            .collect(),
        corrections: site
            .corrections_newest_first()
            .into_iter()
            .map(|(_, pledge, index)| TrackerCorrectionView {
                correction: views.corrections(pledge).swap_remove(index),
                pledge: views.pledge_card(pledge),
            })
            .collect(),
        list_url: views.url(&routes::pledge_list_path(site, &[])),
        list_anchor: routes::PLEDGE_LIST_ANCHOR,
        pledges: touched
            .into_iter()
            .enumerate()
            .map(|(pledge, [topics, countries, programs])| ListedPledgeView {
                card: views.pledge_card(pledge),
                topics,
                countries,
                programs,
            })
            .collect(),
        charts,
    };
    Page {
        view,
        title: "Pledge tracker".to_string(),
        breadcrumbs: vec![home_crumb(views), crumb("Tracker", url)],
    }
}
