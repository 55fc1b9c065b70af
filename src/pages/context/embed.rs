//! A pledge's embeddable card (`embed.html`, `/embed/<statement>/<section>/<pledge>/`): the
//! small page other sites show in an iframe. Its wording is shortened so that the card fits
//! the iframe's height (`crate::embed::HEIGHT`); the last update says what happened most
//! recently, with its source.

use serde::Serialize;

use crate::model::history::{self, since_in};
use crate::routes::SitePaths;
use crate::templates::views::{
    LinkView, StatementHeadView, StatusStepView, StatusView, UpdateView, ViewContext,
};
use crate::words::shorten;

use super::Page;

/// The longest wording an embed shows, in characters, ellipsis included.
const WORDING_MAX: usize = 200;

/// `page` in `embed.html`.
#[derive(Serialize)]
pub(super) struct EmbedPageView<'a> {
    title: &'a str,
    /// The pledge's page (not the embed's): where the card links to.
    url: String,
    /// The pledge's page, absolute, for links that leave the iframe.
    pledge_url: String,
    status: StatusView,
    status_reason: Option<&'a str>,
    since: Option<StatusStepView>,
    wording: String,
    shortened: bool,
    statement: StatementHeadView,
    section: LinkView,
    last_update: Option<UpdateView>,
    n_updates: usize,
}

/// Pledge `pledge`'s embeddable card.
pub(super) fn embed<'a>(views: &ViewContext<'a>, pledge: usize) -> Page<EmbedPageView<'a>> {
    let site = views.site;
    let item = &site.pledges[pledge];
    let steps = history::status_history(item);
    let text = &views.plain_texts[pledge];
    let wording = shorten(text, WORDING_MAX);
    let path = site.pledge_path(pledge);
    let view = EmbedPageView {
        title: &item.title,
        url: views.url(&path),
        pledge_url: format!("{}{path}", site.config.base_url()),
        status: item.status.into(),
        status_reason: item.status_reason.as_deref(),
        since: since_in(&steps, item.status).map(|step| views.status_step(pledge, &step)),
        shortened: wording.chars().count()
            < text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .count(),
        wording,
        statement: views.statement_head(item.statement),
        section: views.section_link(item.section),
        // Updates are listed oldest first (`content` checks it).
        last_update: item
            .updates
            .len()
            .checked_sub(1)
            .map(|u| views.update(pledge, u)),
        n_updates: item.updates.len(),
    };
    Page {
        view,
        title: item.title.clone(),
        breadcrumbs: Vec::new(),
    }
}
