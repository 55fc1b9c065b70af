//! The tracker's report card (`tracker.html`): pledges by status overall and per topic,
//! country and program, and every tracker update, newest first.

use serde::Serialize;

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
    status_counts: Vec<StatusCountView>,
    topics: Vec<EntityTallyView>,
    countries: Vec<EntityTallyView>,
    programs: Vec<EntityTallyView>,
    feed_url: String,
    updates: Vec<TrackerUpdateView>,
    corrections: Vec<TrackerCorrectionView>,
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
    counts: Vec<StatusCountView>,
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
            .map(|(e, _)| EntityTallyView {
                entity: views.entity_link(e),
                total: relations.entity_pledges[e].len(),
                counts: views.status_counts(relations.entity_pledges[e].iter().copied()),
            })
            .collect()
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
        status_counts: views.status_counts(0..site.pledges.len()),
        topics: tallies(EntityKind::Topic),
        countries: tallies(EntityKind::Country),
        programs: tallies(EntityKind::Program),
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
    };
    Page {
        view,
        title: "Pledge tracker".to_string(),
        breadcrumbs: vec![home_crumb(views), crumb("Tracker", url)],
    }
}
