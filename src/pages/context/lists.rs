//! The pages that list or hold little of their own: the home page (`index.html`), the
//! statements (`statements.html`), a free page (`page.html`), search (`search.html`) and
//! 404 (`404.html`).

use serde::Serialize;

use crate::model::EntityKind;
use crate::routes::{self, PageKind, SitePaths};
use crate::search;
use crate::templates::views::{KindCountView, StatementCardView, StatusCountView, ViewContext};

use super::{Page, crumb, home_crumb, statements_crumb};

/// `page` in `index.html`.
#[derive(Serialize)]
pub(super) struct HomePageView<'a> {
    title: &'a str,
    url: String,
    content: &'a str,
    statements: Vec<StatementCardView>,
    kinds: Vec<KindCountView>,
    status_counts: Vec<StatusCountView>,
    n_pledges: usize,
    n_sources: usize,
}

/// `page` in `statements.html`.
#[derive(Serialize)]
pub(super) struct StatementsPageView {
    title: &'static str,
    statements: Vec<StatementCardView>,
}

/// `page` in `page.html`.
#[derive(Serialize)]
pub(super) struct FreePageView<'a> {
    title: &'a str,
    url: String,
    slug: &'a str,
    content: &'a str,
}

/// `page` in `search.html`.
#[derive(Serialize)]
pub(super) struct SearchPageView {
    title: &'static str,
    url: String,
    bundle_url: String,
    search_script: String,
}

/// `page` in `404.html`.
#[derive(Serialize)]
pub(super) struct NotFoundPageView {
    title: &'static str,
}

fn statement_cards(views: &ViewContext<'_>) -> Vec<StatementCardView> {
    (0..views.site.statements.len())
        .map(|s| views.statement_card(s))
        .collect()
}

/// The home page: its text, every statement, the entity kinds and the status counts.
pub(super) fn home<'a>(views: &ViewContext<'a>) -> Page<HomePageView<'a>> {
    let site = views.site;
    let title = site.home.title.as_deref().unwrap_or(&site.config.title);
    let view = HomePageView {
        title,
        url: views.page_url(PageKind::Home),
        content: &views.bodies.home.html,
        statements: statement_cards(views),
        kinds: EntityKind::ALL
            .iter()
            .map(|kind| KindCountView {
                title: kind.plural_label(),
                url: views.page_url(PageKind::Entities(*kind)),
                count: site.entities.iter().filter(|e| e.kind == *kind).count(),
            })
            .collect(),
        status_counts: views.status_counts(0..site.pledges.len()),
        n_pledges: site.pledges.len(),
        n_sources: site.sources.len(),
    };
    Page {
        view,
        title: title.to_string(),
        breadcrumbs: vec![],
    }
}

/// Every statement, newest first.
pub(super) fn statements(views: &ViewContext<'_>) -> Page<StatementsPageView> {
    Page {
        view: StatementsPageView {
            title: "Statements",
            statements: statement_cards(views),
        },
        title: "Statements".to_string(),
        breadcrumbs: vec![home_crumb(views), statements_crumb(views)],
    }
}

/// A free page.
pub(super) fn free_page<'a>(views: &ViewContext<'a>, page: usize) -> Page<FreePageView<'a>> {
    let item = &views.site.pages[page];
    let url = views.url(&views.site.page_path(page));
    Page {
        breadcrumbs: vec![home_crumb(views), crumb(&item.title, url.clone())],
        view: FreePageView {
            title: &item.title,
            url,
            slug: &item.slug,
            content: &views.bodies.pages[page].html,
        },
        title: item.title.clone(),
    }
}

/// The search page: where the index and the script are.
pub(super) fn search(views: &ViewContext<'_>) -> Page<SearchPageView> {
    let url = views.page_url(PageKind::Search);
    Page {
        breadcrumbs: vec![home_crumb(views), crumb("Search", url.clone())],
        view: SearchPageView {
            title: "Search",
            url,
            bundle_url: views.url(&routes::search_bundle_path()),
            search_script: search::script_url(views.prefix),
        },
        title: "Search".to_string(),
    }
}

/// The page for a URL the site does not have.
pub(super) fn not_found() -> Page<NotFoundPageView> {
    Page {
        view: NotFoundPageView {
            title: "Page not found",
        },
        title: "Page not found".to_string(),
        breadcrumbs: vec![],
    }
}
