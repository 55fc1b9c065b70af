//! The template context of every page: the variables every template receives
//! ([`PageContext`]: `site`, `page_title`, `page_url`, `canonical_url`, `breadcrumbs`,
//! `template`) around `page`, a typed view of the page's own data. The README's "Template
//! context" lists them, and it is the contract with themes.
//!
//! Each kind of page has one function that returns its view, a `#[derive(Serialize)]` struct
//! whose fields are the names its template uses:
//! - `lists`: the home page, the statements, free pages, search and 404;
//! - `statement`: a statement, with its graph, and a section;
//! - `pledge`: a pledge, with its coverage comparisons;
//! - `entity`: the entities of a kind, and an entity with its neighbourhood graph;
//! - `source`: the sources, and a source with its cited passages marked;
//! - `tracker`: the report card;
//! - `embed`: a pledge's embeddable card.
//!
//! `social` gives every page its link-preview metadata (Open Graph and Twitter).
//!
//! Nothing here assembles JSON by string keys, reads a file or renders a template: the views
//! are built from the model through `ViewContext`, serialised once into a `tera::Context`.

mod cite;
mod embed;
mod entity;
mod lists;
mod pledge;
mod social;
mod source;
mod statement;
#[cfg(test)]
mod tests;
mod tracker;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{EntityKind, Status};
use crate::output::FileOrigin;
use crate::routes::{
    self, OPTIONAL_PAGES, PageKind, SitePaths, page_origin, page_path, page_template,
};
use crate::templates::Templates;
use crate::templates::views::{LinkView, StatusView, ViewContext};

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
    license: Option<LicenseView<'a>>,
    method_url: Option<String>,
    editors: Vec<EditorView<'a>>,
}

/// The content's licence, from `site.toml`.
#[derive(Debug, Serialize)]
struct LicenseView<'a> {
    name: &'a str,
    url: Option<&'a str>,
}

/// One of the site's editors.
#[derive(Debug, Serialize)]
struct EditorView<'a> {
    id: &'a str,
    name: &'a str,
}

/// A page ready to render: where it goes, with which template, and its context.
pub(super) struct PageJob {
    pub path: String,
    pub template: &'static str,
    pub context: tera::Context,
    pub origin: FileOrigin,
}

/// What the function of one kind of page returns: the template's `page`, with the page's
/// `<title>` and breadcrumbs.
struct Page<V> {
    /// The template's `page`.
    view: V,
    /// The template's `page_title`.
    title: String,
    /// The template's `breadcrumbs`, from Home to the page itself.
    breadcrumbs: Vec<LinkView>,
}

/// Everything a template receives.
#[derive(Serialize)]
struct PageContext<'a, V> {
    /// The `SiteView`, serialised once per build.
    site: &'a serde_json::Value,
    page: V,
    page_title: String,
    page_url: String,
    canonical_url: String,
    breadcrumbs: Vec<LinkView>,
    template: &'static str,
    social: social::SocialView,
}

fn crumb(title: &str, url: String) -> LinkView {
    LinkView {
        title: title.to_string(),
        url,
    }
}

/// The first breadcrumb of every page that has any.
fn home_crumb(views: &ViewContext<'_>) -> LinkView {
    crumb("Home", views.page_url(PageKind::Home))
}

/// The second breadcrumb of statements, sections and pledges.
fn statements_crumb(views: &ViewContext<'_>) -> LinkView {
    crumb("Statements", views.page_url(PageKind::Statements))
}

/// The settings and navigation every page receives as `site`, serialised once: every page's
/// context gets a copy.
pub(super) fn site_view(
    views: &ViewContext<'_>,
    templates: &Templates,
    assets: BTreeMap<String, String>,
) -> serde_json::Value {
    let site = views.site;
    let mut nav = vec![crumb("Statements", views.page_url(PageKind::Statements))];
    for kind in EntityKind::ALL {
        nav.push(crumb(
            kind.plural_label(),
            views.page_url(PageKind::Entities(kind)),
        ));
    }
    nav.push(crumb("Sources", views.page_url(PageKind::Sources)));
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
        root: views.page_url(PageKind::Home),
        author: site.config.author.as_deref(),
        nav,
        statuses: Status::ALL.into_iter().map(Into::into).collect(),
        generator: concat!("communique ", env!("CARGO_PKG_VERSION")),
        assets,
        search: true,
        license: site.config.license.as_deref().map(|name| LicenseView {
            name,
            url: site
                .config
                .license_url
                .as_ref()
                .map(|u| u.get_ref().as_str()),
        }),
        method_url: routes::method_page_path(site).map(|path| views.url(&path)),
        editors: site
            .config
            .editors
            .iter()
            .map(|e| EditorView {
                id: &e.id,
                name: &e.name,
            })
            .collect(),
    };
    serde_json::to_value(view).expect("settings serialise")
}

/// Builds the template context of one page.
pub(super) fn page_job(
    views: &ViewContext<'_>,
    site_view: &serde_json::Value,
    kind: PageKind,
) -> PageJob {
    let path = page_path(views.site, kind);
    let template = page_template(kind);
    let frame = Frame {
        views,
        site_view,
        path: &path,
        template,
        kind,
    };
    let context = match kind {
        PageKind::Home => frame.context(lists::home(views)),
        PageKind::Statements => frame.context(lists::statements(views)),
        PageKind::Statement(s) => frame.context(statement::statement(views, s)),
        PageKind::Section(s) => frame.context(statement::section(views, s)),
        PageKind::Pledge(p) => frame.context(pledge::pledge(views, p)),
        PageKind::Entities(kind) => frame.context(entity::entities(views, kind)),
        PageKind::Entity(e) => frame.context(entity::entity(views, e)),
        PageKind::Sources => frame.context(source::sources(views)),
        PageKind::Source(s) => frame.context(source::source(views, s)),
        PageKind::Free(i) => frame.context(lists::free_page(views, i)),
        PageKind::Tracker => frame.context(tracker::tracker(views)),
        PageKind::Search => frame.context(lists::search(views)),
        PageKind::NotFound => frame.context(lists::not_found()),
        PageKind::Embed(p) => frame.context(embed::embed(views, p)),
    };
    let origin = page_origin(views.site, kind);
    PageJob {
        path,
        template,
        context,
        origin,
    }
}

/// What every page's context shares, around its own view.
struct Frame<'a> {
    views: &'a ViewContext<'a>,
    site_view: &'a serde_json::Value,
    path: &'a str,
    template: &'static str,
    kind: PageKind,
}

impl Frame<'_> {
    /// Serialises the whole context in one pass and moves it into Tera's: inserting each
    /// variable would serialise it again, a fifth of the rendering time at 10,000 pledges.
    fn context<V: Serialize>(&self, page: Page<V>) -> tera::Context {
        let canonical_url = format!("{}{}", self.views.site.config.base_url(), self.path);
        let social_title = match self.kind {
            PageKind::Home => self.views.site.config.title.as_str(),
            _ => page.title.as_str(),
        };
        let social = social::social(self.views, self.kind, social_title, canonical_url.clone());
        let context = PageContext {
            site: self.site_view,
            page: page.view,
            page_title: page.title,
            page_url: self.views.url(self.path),
            canonical_url,
            breadcrumbs: page.breadcrumbs,
            template: self.template,
            social,
        };
        tera::Context::from_serialize(context).expect("a page's context serialises to an object")
    }
}
