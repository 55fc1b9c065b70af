//! The page-rendering stage: the template context of every page (home, statements,
//! sections, pledges, entity indexes and entities, sources, free pages, the tracker, search,
//! 404) built from the model's views, and rendered through the templates in parallel, reusing
//! a [`BuildCache`] where one is given. Reads the model; writes nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::graph;
use crate::markdown::text;
use crate::model::{EntityKind, Site, SourceKind, Status};
use crate::output::Staging;
use crate::pipeline::{BuildCache, OutputFile, Work, fnv1a, output_path};
use crate::provenance;
use crate::search;
use crate::templates::Templates;
use crate::templates::views::*;

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

/// Which page to render.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PageKind {
    Home,
    Statements,
    Statement(usize),
    Section(usize),
    Pledge(usize),
    Entities(EntityKind),
    Entity(usize),
    Sources,
    Source(usize),
    Free(usize),
    NotFound,
    Tracker,
    Search,
}

/// Pages a theme may offer: rendered, and linked from the navigation, only if it does.
const OPTIONAL_PAGES: [(&str, &str, &str, PageKind); 2] = [
    ("tracker.html", "/tracker/", "Tracker", PageKind::Tracker),
    ("search.html", "/search/", "Search", PageKind::Search),
];

/// A page ready to render: where it goes, with which template, and its context.
struct PageJob {
    path: String,
    template: &'static str,
    context: tera::Context,
    origin: String,
}

fn crumb(title: &str, url: String) -> LinkView {
    LinkView {
        title: title.to_string(),
        url,
    }
}

/// Renders every HTML page through the templates, in parallel.
pub(crate) fn render_pages(
    views: &ViewContext<'_>,
    templates: &Templates,
    assets: BTreeMap<String, String>,
    sink: &PageSink<'_>,
    cache: Option<&mut BuildCache>,
    work: &mut Work,
) -> RenderedPages {
    let site = views.site;
    // Serialised once: every page's context gets a copy.
    let site_view =
        serde_json::to_value(site_view(views, templates, assets)).expect("settings serialise");
    let kinds = page_kinds(site, templates);

    let mut cache = cache;
    let previous = match cache.as_deref_mut() {
        Some(cache) if cache.templates == templates.fingerprint() => {
            std::mem::take(&mut cache.pages)
        }
        _ => HashMap::new(),
    };
    let caching = cache.is_some();
    let results: Vec<PageResult> = kinds
        .into_par_iter()
        .map(|kind| {
            let job = page_job(views, &site_view, kind);
            let path = output_path(&job.path);
            // A page is a pure function of its template set and its context.
            let key = caching.then(|| {
                let json = serde_json::to_vec(&job.context.clone().into_json())
                    .expect("a template context is JSON");
                fnv1a(job.template.bytes().chain([0]).chain(json))
            });
            if let (Some(key), Some((cached_key, bytes))) = (key, previous.get(&path))
                && key == *cached_key
            {
                let file = OutputFile {
                    path,
                    bytes: bytes.clone(),
                    origin: job.origin,
                };
                return sink.finish(key.into(), false, Ok(file));
            }
            let result = templates
                .render(job.template, &job.context, &views.url(&job.path))
                .map(|html| OutputFile {
                    path,
                    bytes: html.into_bytes(),
                    origin: job.origin,
                });
            sink.finish(key, true, result)
        })
        .collect();
    let mut pages = RenderedPages::default();
    let mut fresh_cache = HashMap::new();
    for result in results {
        work.pages_rendered += usize::from(result.rendered);
        match result.file {
            Ok(file) => {
                pages.n_pages += 1;
                if let Some(key) = result.key {
                    fresh_cache.insert(file.path.clone(), (key, file.bytes.clone()));
                }
                for url in result.missing_links {
                    pages
                        .missing_links
                        .entry(url)
                        .or_default()
                        .insert((file.path.clone(), file.origin.clone()));
                }
                if let Some(error) = result.write_error {
                    pages.write_errors.push(error);
                } else if sink.staging.is_none() {
                    pages.files.push(file);
                }
            }
            Err(diagnostic) => pages.diagnostics.push(diagnostic),
        }
    }
    if let Some(cache) = cache {
        cache.templates = templates.fingerprint();
        cache.pages = fresh_cache;
    }
    pages
}

/// The settings and navigation every page receives as `site`.
fn site_view<'a>(
    views: &ViewContext<'a>,
    templates: &Templates,
    assets: BTreeMap<String, String>,
) -> SiteView<'a> {
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
    SiteView {
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
    }
}

/// Renders one page, for the preview's quick update of the pages an edit touches.
pub(crate) fn render_page(
    views: &ViewContext<'_>,
    templates: &Templates,
    assets: BTreeMap<String, String>,
    kind: PageKind,
) -> Result<OutputFile, Diagnostic> {
    // Serialised once: every page's context gets a copy.
    let site_view =
        serde_json::to_value(site_view(views, templates, assets)).expect("settings serialise");
    let job = page_job(views, &site_view, kind);
    templates
        .render(job.template, &job.context, &views.url(&job.path))
        .map(|html| OutputFile {
            path: output_path(&job.path),
            bytes: html.into_bytes(),
            origin: job.origin,
        })
}

/// Where rendered pages go, and what their links are checked against.
pub(crate) struct PageSink<'a> {
    /// The folder to write each page into as soon as it is rendered; pages are kept in
    /// memory when there is none.
    pub staging: Option<&'a Staging>,
    /// Every file the build produces, by output path: a link to anything else is broken.
    pub known: &'a HashSet<String>,
    /// The site's path prefix, which internal links start with.
    pub prefix: &'a str,
}

/// One page's outcome, from a rendering thread.
struct PageResult {
    key: Option<u64>,
    rendered: bool,
    file: Result<OutputFile, Diagnostic>,
    missing_links: Vec<String>,
    write_error: Option<anyhow::Error>,
}

impl PageSink<'_> {
    /// Checks a rendered page's links and, when streaming, writes it and frees its bytes.
    fn finish(
        &self,
        key: Option<u64>,
        rendered: bool,
        file: Result<OutputFile, Diagnostic>,
    ) -> PageResult {
        let mut result = PageResult {
            key,
            rendered,
            file,
            missing_links: Vec::new(),
            write_error: None,
        };
        if let Ok(file) = &mut result.file {
            result.missing_links = missing_links(&file.bytes, self.prefix, self.known);
            if let Some(staging) = self.staging {
                result.write_error = staging.write(file).err();
                file.bytes = Vec::new();
            }
        }
        result
    }
}

/// The pages of a build: in memory unless they were written as they were rendered.
#[derive(Default)]
pub(crate) struct RenderedPages {
    /// The pages, when kept in memory.
    pub files: Vec<OutputFile>,
    /// How many pages were rendered or reused.
    pub n_pages: usize,
    /// Template errors, one per page that failed.
    pub diagnostics: Vec<Diagnostic>,
    /// Each internal link to a file the build does not produce, with the pages (path and
    /// origin) linking to it.
    pub missing_links: BTreeMap<String, BTreeSet<(String, String)>>,
    /// Pages that could not be written.
    pub write_errors: Vec<anyhow::Error>,
}

/// Every `href` and `src` in a page that points inside the site but at no file in `known`.
fn missing_links(html: &[u8], prefix: &str, known: &HashSet<String>) -> Vec<String> {
    static ATTRIBUTES: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::new(["href=\"", "src=\""]).expect("two plain patterns")
        });
    let mut missing = Vec::new();
    let mut wanted = String::new();
    for found in ATTRIBUTES.find_iter(html) {
        let rest = &html[found.end()..];
        let Some(end) = rest.iter().position(|&b| b == b'"') else {
            continue;
        };
        let Ok(url) = std::str::from_utf8(&rest[..end]) else {
            continue;
        };
        let url = url.split(['#', '?']).next().unwrap_or("");
        let Some(path) = url.strip_prefix(prefix).filter(|p| p.starts_with('/')) else {
            continue;
        };
        if url.starts_with("//") {
            continue;
        }
        // The file a URL path is served from, as `pipeline::output_path` makes it.
        let trimmed = path.trim_start_matches('/');
        wanted.clear();
        if trimmed.is_empty() {
            wanted.push_str("index.html");
        } else {
            wanted.push_str(trimmed);
            if trimmed.ends_with('/') {
                wanted.push_str("index.html");
            }
        }
        if !known.contains(&wanted) && !known.contains(&wanted.replace("%20", " ")) {
            missing.push(url.to_string());
        }
    }
    missing.sort();
    missing.dedup();
    missing
}

/// Every page of the site, in rendering order.
pub(crate) fn page_kinds(site: &Site, templates: &Templates) -> Vec<PageKind> {
    let mut kinds = vec![
        PageKind::Home,
        PageKind::Statements,
        PageKind::Sources,
        PageKind::NotFound,
    ];
    kinds.extend(
        OPTIONAL_PAGES
            .iter()
            .filter(|(template, ..)| templates.has(template))
            .map(|(.., kind)| *kind),
    );
    kinds.extend((0..site.statements.len()).map(PageKind::Statement));
    kinds.extend((0..site.sections.len()).map(PageKind::Section));
    kinds.extend((0..site.pledges.len()).map(PageKind::Pledge));
    kinds.extend(EntityKind::ALL.map(PageKind::Entities));
    kinds.extend((0..site.entities.len()).map(PageKind::Entity));
    kinds.extend((0..site.sources.len()).map(PageKind::Source));
    kinds.extend((0..site.pages.len()).map(PageKind::Free));
    kinds
}

/// What produced a page, for error reports: its content file, or its template.
fn page_origin(site: &Site, kind: PageKind, template: &str) -> String {
    match kind {
        PageKind::Home => site.home.origin.as_ref().map(|o| o.path.clone()),
        PageKind::Statement(i) => Some(site.statements[i].origin.path.clone()),
        PageKind::Section(i) => Some(site.sections[i].origin.path.clone()),
        PageKind::Pledge(i) => Some(site.pledges[i].origin.path.clone()),
        PageKind::Entity(i) => Some(site.entities[i].origin.path.clone()),
        PageKind::Source(i) => Some(site.sources[i].origin.path.clone()),
        PageKind::Free(i) => Some(site.pages[i].origin.path.clone()),
        PageKind::Statements
        | PageKind::Entities(_)
        | PageKind::Sources
        | PageKind::NotFound
        | PageKind::Tracker
        | PageKind::Search => None,
    }
    .unwrap_or_else(|| format!("generated by {template}"))
}

/// The origin of each page in `kinds`, known before any is rendered.
pub(crate) fn page_origins(site: &Site, kinds: &[PageKind]) -> Vec<String> {
    kinds
        .iter()
        .map(|&kind| page_origin(site, kind, page_template(kind)))
        .collect()
}

/// The template a page renders with.
fn page_template(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "index.html",
        PageKind::Statements => "statements.html",
        PageKind::Statement(_) => "statement.html",
        PageKind::Section(_) => "section.html",
        PageKind::Pledge(_) => "pledge.html",
        PageKind::Entities(_) => "entities.html",
        PageKind::Entity(_) => "entity.html",
        PageKind::Sources => "sources.html",
        PageKind::Source(_) => "source.html",
        PageKind::Free(_) => "page.html",
        PageKind::NotFound => "404.html",
        PageKind::Tracker => "tracker.html",
        PageKind::Search => "search.html",
    }
}

/// The URL path of a page, without the site's prefix, known before it is rendered.
pub(crate) fn page_path(site: &Site, kind: PageKind) -> String {
    match kind {
        PageKind::Home => "/".to_string(),
        PageKind::Statements => "/statements/".to_string(),
        PageKind::Statement(s) => site.statement_path(s),
        PageKind::Section(s) => site.section_path(s),
        PageKind::Pledge(p) => site.pledge_path(p),
        PageKind::Entities(kind) => format!("/{}/", kind.folder()),
        PageKind::Entity(e) => site.entity_path(e),
        PageKind::Sources => "/sources/".to_string(),
        PageKind::Source(s) => site.source_path(s),
        PageKind::Free(i) => site.page_path(i),
        PageKind::NotFound => "/404.html".to_string(),
        PageKind::Tracker => "/tracker/".to_string(),
        PageKind::Search => "/search/".to_string(),
    }
}

/// Builds the template context of one page.
fn page_job(views: &ViewContext<'_>, site_view: &serde_json::Value, kind: PageKind) -> PageJob {
    let site = views.site;
    let relations = views.relations;
    let bodies = views.bodies;
    let home = crumb("Home", views.url("/"));
    let statements_crumb = crumb("Statements", views.url("/statements/"));
    let page: serde_json::Value;
    let (path, template, title, breadcrumbs): (String, &'static str, String, Vec<LinkView>) =
        match kind {
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
                ("/".to_string(), "index.html", title, vec![])
            }
            PageKind::Statements => {
                page = serde_json::json!({
                    "title": "Statements",
                    "statements": (0..site.statements.len()).map(|s| views.statement_card(s)).collect::<Vec<_>>(),
                });
                (
                    "/statements/".to_string(),
                    "statements.html",
                    "Statements".to_string(),
                    vec![home, statements_crumb],
                )
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
                    "url": card.url,
                    "slug": item.slug,
                    "date": card.date,
                    "date_display": card.date_display,
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
                (
                    site.statement_path(s),
                    "statement.html",
                    item.title.clone(),
                    vec![home, statements_crumb, link],
                )
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
                    "url": block.url,
                    "slug": item.slug,
                    "content": bodies.sections[sec].html,
                    "statement": views.statement_link(item.statement),
                    "pledges": block.pledges,
                    "previous": position.checked_sub(1).map(|p| views.section_link(siblings[p])),
                    "next": siblings.get(position + 1).map(|&n| views.section_link(n)),
                });
                let link = views.section_link(sec);
                (
                    site.section_path(sec),
                    "section.html",
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
                let statement = &site.statements[item.statement];
                let section_pledges = &relations.section_pledges[item.section];
                page = serde_json::json!({
                    "title": item.title,
                    "url": views.url(&site.pledge_path(p)),
                    "slug": item.slug,
                    "content": bodies.pledges[p].html,
                    "status": StatusView::from(item.status),
                    "status_reason": item.status_reason,
                    "statement": {
                        "title": statement.title,
                        "url": views.url(&site.statement_path(item.statement)),
                        "date": statement.date.to_string(),
                        "date_display": statement.date.display(),
                        "place": statement.place,
                    },
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
                        let official = text::plain_text(&item.body.markdown);
                        let own_text;
                        let document = match &views.official_texts[item.statement] {
                            Some(document) => document,
                            None => {
                                own_text = provenance::OfficialText::new(&official);
                                &own_text
                            }
                        };
                        let comparison = provenance::compare_quote(&official, &c.quote.value, document);
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
                    site.pledge_path(p),
                    "pledge.html",
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
                (
                    format!("/{}/", kind.folder()),
                    "entities.html",
                    title.to_string(),
                    vec![home, crumb(title, url)],
                )
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
                    site.entity_path(e),
                    "entity.html",
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
                (
                    "/sources/".to_string(),
                    "sources.html",
                    "Sources".to_string(),
                    vec![home, crumb("Sources", url)],
                )
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
                    site.source_path(s),
                    "source.html",
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
                (
                    site.page_path(i),
                    "page.html",
                    item.title.clone(),
                    vec![home, crumb(&item.title, url)],
                )
            }
            PageKind::Tracker => {
                let url = views.url("/tracker/");
                page = tracker_view(views);
                (
                    "/tracker/".to_string(),
                    "tracker.html",
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
                (
                    "/search/".to_string(),
                    "search.html",
                    "Search".to_string(),
                    vec![home, crumb("Search", url)],
                )
            }
            PageKind::NotFound => {
                page = serde_json::json!({ "title": "Page not found" });
                (
                    "/404.html".to_string(),
                    "404.html",
                    "Page not found".to_string(),
                    vec![],
                )
            }
        };
    debug_assert_eq!(
        path,
        page_path(site, kind),
        "page_path must agree with page_job"
    );
    debug_assert_eq!(
        template,
        page_template(kind),
        "page_template must agree with page_job"
    );
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

pub(crate) fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// The most neighbours an entity's graph shows.
const MAX_GRAPH_NEIGHBOURS: usize = 14;

/// The text of a statement's official source, if it has one with a file.
pub(crate) fn statement_official_text(site: &Site, statement: usize) -> Option<&str> {
    let source = site.statements[statement].source.as_ref()?;
    site.sources[site.source_index(&source.value)?]
        .text
        .as_deref()
}

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
                    passage: text::plain_text(&site.pledges[pledge].body.markdown),
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
