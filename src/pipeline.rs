//! The build pipeline, one function per stage: load, render Markdown, link, render pages,
//! add machine-readable files and static files, check the generated links. Every stage works
//! in memory; writing is left to `output`, so `check` and `serve` reuse all of it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::Problems;
use crate::content::{self, Loaded};
use crate::diagnostic::{Diagnostic, SourceText, sort_diagnostics};
use crate::feeds;
use crate::graph;
use crate::markdown::{
    self, RenderContext, Rendered, mentions::MentionMatcher, mentions::Name, text,
};
use crate::model::relations;
use crate::model::{Body, EntityKind, Origin, Site, SourceKind, Status};
use crate::provenance;
use crate::search;
use crate::templates::views::*;
use crate::templates::{self, Templates};

/// Options a build takes beyond the site folder.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// A preview for `serve`: static files keep their plain URLs, so a stylesheet change
    /// changes the stylesheet alone and can be swapped in without a reload.
    pub live: bool,
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Its path under the output folder, with `/` separators, e.g. `topics/energy/index.html`.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// What produced it, for collision reports: a content or static file, or `generated`.
    pub origin: String,
}

/// A built site, in memory.
#[derive(Debug)]
pub struct Built {
    /// Every file, sorted by path.
    pub files: Vec<OutputFile>,
    /// Warnings (a build with errors fails instead).
    pub diagnostics: Vec<Diagnostic>,
    /// How many HTML pages.
    pub n_pages: usize,
    /// How long it took, in milliseconds.
    pub millis: u128,
    /// How much was rendered rather than reused from a [`BuildCache`].
    pub work: Work,
}

/// How much a build rendered, as opposed to reused from its cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Markdown bodies rendered.
    pub markdown_rendered: usize,
    /// HTML pages rendered through the templates.
    pub pages_rendered: usize,
}

/// What a rebuild may reuse from the previous one, for `serve`.
///
/// Every reuse is keyed by everything the result depends on, so a cached build always
/// equals a full one byte for byte: a Markdown body by its text, its kind and a fingerprint
/// of the names and addresses it may link; a page by its template set's fingerprint and the
/// hash of its whole template context. What changed is rendered; the rest is reused.
#[derive(Debug, Default)]
pub struct BuildCache {
    markdown_inputs: u64,
    markdown: HashMap<(u8, String), Rendered>,
    templates: u64,
    pages: HashMap<String, (u64, Vec<u8>)>,
}

/// Builds the site under `root` in memory. Content errors fail with [`Problems`].
pub fn build(root: &Path, options: &BuildOptions) -> anyhow::Result<Built> {
    build_with_cache(root, options, None)
}

/// Builds the site, reusing and refreshing `cache` where one is given.
pub fn build_with_cache(
    root: &Path,
    options: &BuildOptions,
    mut cache: Option<&mut BuildCache>,
) -> anyhow::Result<Built> {
    let started = Instant::now();
    let mut timings = Timings::new();
    let mut work = Work::default();
    let Loaded {
        mut site,
        mut diagnostics,
    } = content::load_site(root)?;
    timings.mark("load");
    if let Some(base_url) = &options.base_url {
        site.config.base_url = base_url.clone();
    }
    diagnostics.extend(relations::validate(&site));
    timings.mark("validate");
    let templates = match templates::load_templates(root, &site.config.theme) {
        Ok(templates) => Some(templates),
        Err(mut problems) => {
            diagnostics.append(&mut problems);
            None
        }
    };
    let (bodies, mut markdown_problems) = render_markdown(&site, cache.as_deref_mut(), &mut work);
    diagnostics.append(&mut markdown_problems);
    timings.mark("markdown");
    let mentions: Vec<Vec<usize>> = bodies.pledges.iter().map(|r| r.mentioned.clone()).collect();
    let relations = relations::relate(&site, &mentions);
    timings.mark("relate");
    diagnostics.extend(relations::unused_entities(&site, &relations));
    fail_on_errors(&mut diagnostics)?;
    let templates = templates.expect("a missing theme is an error, and errors return above");

    let sentences = mention_sentences(&site);
    // Each statement's official text, prepared once for every coverage comparison.
    let official_texts: Vec<Option<provenance::OfficialText>> = (0..site.statements.len())
        .into_par_iter()
        .map(|s| statement_official_text(&site, s).map(provenance::OfficialText::new))
        .collect();
    timings.mark("mention sentences");
    let view_context = ViewContext {
        site: &site,
        relations: &relations,
        bodies: &bodies,
        prefix: site.config.path_prefix(),
        mention_sentences: &sentences,
        official_texts: &official_texts,
    };
    let statics = match static_files(root, &site.config.theme) {
        Ok(statics) => statics,
        Err(mut problems) => {
            diagnostics.append(&mut problems);
            Vec::new()
        }
    };
    let assets = asset_urls(&statics, view_context.prefix, !options.live);
    timings.mark("static files");
    let (mut files, mut page_problems) = render_pages(
        &view_context,
        &templates,
        assets,
        options.live,
        cache,
        &mut work,
    );
    diagnostics.append(&mut page_problems);
    timings.mark("pages");
    // A page that failed to render would show up again as a broken link to it.
    fail_on_errors(&mut diagnostics)?;
    let n_pages = files.len();
    // The preview skips the search index: Pagefind re-indexes every page, which would slow
    // every save on a large site. Deploy builds always index.
    if templates.has("search.html") && !options.live {
        let pages: Vec<(String, &[u8])> = files
            .iter()
            .filter(|f| f.path.ends_with(".html") && f.path != "404.html")
            .map(|f| {
                (
                    format!(
                        "{}/{}",
                        view_context.prefix,
                        f.path.trim_end_matches("index.html")
                    ),
                    f.bytes.as_slice(),
                )
            })
            .collect();
        let mut bundle = search::index(&pages, &site.config.language)?;
        files.append(&mut bundle);
    }
    timings.mark("search index");
    files.extend(feeds::machine_files(&view_context));
    files.extend(source_copies(&site));
    files.extend(statics);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    timings.mark("feeds and data");
    diagnostics.extend(check_duplicate_outputs(&files));
    diagnostics.extend(check_generated_links(&files, site.config.path_prefix()));
    timings.mark("checks");
    fail_on_errors(&mut diagnostics)?;
    timings.report();
    Ok(Built {
        files,
        diagnostics,
        n_pages,
        millis: started.elapsed().as_millis(),
        work,
    })
}

fn fail_on_errors(diagnostics: &mut Vec<Diagnostic>) -> Result<(), Problems> {
    sort_diagnostics(diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Problems(std::mem::take(diagnostics)));
    }
    Ok(())
}

/// The content path (`statements/s/_index.md`) of every page an `@/` link may point to,
/// with its URL path.
fn link_targets(site: &Site) -> HashMap<String, String> {
    let prefix = site.config.path_prefix();
    let mut targets = HashMap::new();
    let strip = |origin: &Origin| {
        origin
            .path
            .strip_prefix("content/")
            .unwrap_or(&origin.path)
            .to_string()
    };
    if let Some(origin) = &site.home.origin {
        targets.insert(strip(origin), format!("{prefix}/"));
    }
    for (i, item) in site.statements.iter().enumerate() {
        targets.insert(
            strip(&item.origin),
            format!("{prefix}{}", site.statement_path(i)),
        );
    }
    for (i, item) in site.sections.iter().enumerate() {
        targets.insert(
            strip(&item.origin),
            format!("{prefix}{}", site.section_path(i)),
        );
    }
    for (i, item) in site.pledges.iter().enumerate() {
        targets.insert(
            strip(&item.origin),
            format!("{prefix}{}", site.pledge_path(i)),
        );
    }
    for (i, item) in site.entities.iter().enumerate() {
        targets.insert(
            strip(&item.origin),
            format!("{prefix}{}", site.entity_path(i)),
        );
    }
    for (i, item) in site.sources.iter().enumerate() {
        targets.insert(
            strip(&item.origin),
            format!("{prefix}{}", site.source_path(i)),
        );
    }
    for (i, item) in site.pages.iter().enumerate() {
        targets.insert(
            strip(&item.origin),
            format!("{prefix}{}", site.page_path(i)),
        );
    }
    targets
}

/// The matcher for every entity's title and aliases.
fn entity_matcher(site: &Site) -> MentionMatcher {
    MentionMatcher::new(site.entities.iter().enumerate().flat_map(|(entity, item)| {
        std::iter::once(&item.title)
            .chain(&item.aliases)
            .map(move |text| Name {
                text: text.clone(),
                entity,
            })
    }))
}

/// For each pledge, the first sentence of its text naming each entity it mentions, as HTML
/// with the name in `<mark>`: the context an entity page quotes.
fn mention_sentences(site: &Site) -> Vec<BTreeMap<usize, String>> {
    let matcher = entity_matcher(site);
    site.pledges
        .par_iter()
        .map(|pledge| {
            let mut found = BTreeMap::new();
            for sentence in text::sentences(&text::plain_text(&pledge.body.markdown)) {
                for mention in matcher.find(&sentence) {
                    found.entry(mention.entity).or_insert_with(|| {
                        format!(
                            "{}<mark>{}</mark>{}",
                            markdown::escape_html(&sentence[..mention.start]),
                            markdown::escape_html(&sentence[mention.start..mention.end]),
                            markdown::escape_html(&sentence[mention.end..])
                        )
                    });
                }
            }
            found
        })
        .collect()
}

/// Renders every Markdown body in parallel, and checks `@/` links and their anchors.
pub fn render_markdown(
    site: &Site,
    cache: Option<&mut BuildCache>,
    work: &mut Work,
) -> (RenderedBodies, Vec<Diagnostic>) {
    let targets = link_targets(site);
    let matcher = entity_matcher(site);
    let prefix = site.config.path_prefix();
    let entity_urls: Vec<String> = (0..site.entities.len())
        .map(|e| format!("{prefix}{}", site.entity_path(e)))
        .collect();
    let plain = RenderContext {
        link_targets: &targets,
        mentions: None,
        paragraph_anchors: false,
        allow_html: site.config.allow_html,
    };
    let cited = RenderContext {
        paragraph_anchors: true,
        ..plain
    };
    let pledge_context = RenderContext {
        mentions: Some((&matcher, &entity_urls)),
        ..cited
    };
    // Everything a body's rendering depends on besides its own text.
    let mut inputs: Vec<(&String, &String)> = targets.iter().collect();
    inputs.sort();
    let fingerprint = fnv1a(
        inputs
            .iter()
            .flat_map(|(a, b)| [a.as_bytes(), b.as_bytes()])
            .chain(site.entities.iter().flat_map(|e| {
                // A marker per entity, so a name moving to a neighbour changes the hash.
                [&b"\x01"[..], e.title.as_bytes()]
                    .into_iter()
                    .chain(e.aliases.iter().map(String::as_bytes))
            }))
            .chain(entity_urls.iter().map(String::as_bytes))
            .chain([if site.config.allow_html {
                &b"html"[..]
            } else {
                &b"text"[..]
            }])
            .flat_map(|bytes| bytes.iter().chain(b"\0"))
            .copied(),
    );
    let mut empty = BuildCache::default();
    let cache = match cache {
        Some(cache) => {
            if cache.markdown_inputs != fingerprint {
                cache.markdown.clear();
                cache.markdown_inputs = fingerprint;
            }
            cache
        }
        None => &mut empty,
    };
    let previous = std::mem::take(&mut cache.markdown);
    let rendered_now = std::sync::atomic::AtomicUsize::new(0);
    let render_all = |bodies: Vec<&Body>, kind: u8, context: &RenderContext<'_>| -> Vec<Rendered> {
        bodies
            .into_par_iter()
            .map(|body| match previous.get(&(kind, body.markdown.clone())) {
                Some(rendered) => rendered.clone(),
                None => {
                    rendered_now.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    markdown::render(&body.markdown, context)
                }
            })
            .collect()
    };
    const PLAIN: u8 = 0;
    const CITED: u8 = 1;
    const PLEDGE: u8 = 2;
    let bodies = RenderedBodies {
        home: render_all(vec![&site.home.body], PLAIN, &plain).remove(0),
        statements: render_all(
            site.statements.iter().map(|s| &s.body).collect(),
            CITED,
            &cited,
        ),
        sections: render_all(
            site.sections.iter().map(|s| &s.body).collect(),
            PLAIN,
            &plain,
        ),
        pledges: render_all(
            site.pledges.iter().map(|s| &s.body).collect(),
            PLEDGE,
            &pledge_context,
        ),
        entities: render_all(
            site.entities.iter().map(|s| &s.body).collect(),
            PLAIN,
            &plain,
        ),
        sources: render_all(
            site.sources.iter().map(|s| &s.body).collect(),
            PLAIN,
            &plain,
        ),
        pages: render_all(site.pages.iter().map(|s| &s.body).collect(), PLAIN, &plain),
    };
    work.markdown_rendered = rendered_now.into_inner();
    // Keep exactly what this build used, so the cache never grows past the site.
    let mut keep = |kind: u8, items: &mut dyn Iterator<Item = (&Body, &Rendered)>| {
        for (body, rendered) in items {
            cache
                .markdown
                .insert((kind, body.markdown.clone()), rendered.clone());
        }
    };
    keep(PLAIN, &mut std::iter::once((&site.home.body, &bodies.home)));
    keep(
        CITED,
        &mut site
            .statements
            .iter()
            .map(|s| &s.body)
            .zip(&bodies.statements),
    );
    keep(
        PLAIN,
        &mut site.sections.iter().map(|s| &s.body).zip(&bodies.sections),
    );
    keep(
        PLEDGE,
        &mut site.pledges.iter().map(|s| &s.body).zip(&bodies.pledges),
    );
    keep(
        PLAIN,
        &mut site.entities.iter().map(|s| &s.body).zip(&bodies.entities),
    );
    keep(
        PLAIN,
        &mut site.sources.iter().map(|s| &s.body).zip(&bodies.sources),
    );
    keep(
        PLAIN,
        &mut site.pages.iter().map(|s| &s.body).zip(&bodies.pages),
    );

    // Pair every body with its file, to place problems and check anchors.
    let mut placed: Vec<(&Origin, &Body, &Rendered)> = Vec::new();
    if let Some(origin) = &site.home.origin {
        placed.push((origin, &site.home.body, &bodies.home));
    }
    placed.extend(
        site.statements
            .iter()
            .zip(&bodies.statements)
            .map(|(s, r)| (&s.origin, &s.body, r)),
    );
    placed.extend(
        site.sections
            .iter()
            .zip(&bodies.sections)
            .map(|(s, r)| (&s.origin, &s.body, r)),
    );
    placed.extend(
        site.pledges
            .iter()
            .zip(&bodies.pledges)
            .map(|(s, r)| (&s.origin, &s.body, r)),
    );
    placed.extend(
        site.entities
            .iter()
            .zip(&bodies.entities)
            .map(|(s, r)| (&s.origin, &s.body, r)),
    );
    placed.extend(
        site.sources
            .iter()
            .zip(&bodies.sources)
            .map(|(s, r)| (&s.origin, &s.body, r)),
    );
    placed.extend(
        site.pages
            .iter()
            .zip(&bodies.pages)
            .map(|(s, r)| (&s.origin, &s.body, r)),
    );
    let anchors: HashMap<String, &BTreeSet<String>> = placed
        .iter()
        .map(|(origin, _, rendered)| {
            (
                origin
                    .path
                    .strip_prefix("content/")
                    .unwrap_or(&origin.path)
                    .to_string(),
                &rendered.anchors,
            )
        })
        .collect();

    let mut diagnostics = Vec::new();
    for (origin, body, rendered) in &placed {
        let source = SourceText::new(&origin.path, &origin.text);
        for problem in &rendered.problems {
            if problem
                .target
                .as_deref()
                .is_some_and(|target| site.failed_to_load(target))
            {
                continue;
            }
            diagnostics.push(
                source
                    .error_at(
                        body.offset + problem.range.start,
                        problem.range.len(),
                        problem.message.clone(),
                    )
                    .with_help(problem.help.clone()),
            );
        }
        for link in &rendered.internal_links {
            let Some(anchor) = &link.anchor else { continue };
            if !anchors
                .get(&link.target)
                .is_some_and(|known| known.contains(anchor))
            {
                diagnostics.push(
                    source
                        .error_at(body.offset + link.range.start, link.range.len(), format!(
                            "anchor `#{anchor}` does not exist in `{}`",
                            link.target
                        ))
                        .with_help("link to a heading's id or a paragraph anchor such as #p1, or drop the #anchor"),
                );
            }
        }
    }
    (bodies, diagnostics)
}

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

/// Each static file's URL with a `?v=` query naming its content, so a changed file gets a
/// new URL and hosts may let browsers cache static files for a long time.
fn asset_urls(statics: &[OutputFile], prefix: &str, fingerprint: bool) -> BTreeMap<String, String> {
    statics
        .iter()
        .map(|file| {
            let url = if fingerprint {
                format!(
                    "{prefix}/{}?v={:08x}",
                    file.path,
                    fnv1a(file.bytes.iter().copied()) as u32
                )
            } else {
                format!("{prefix}/{}", file.path)
            };
            (file.path.clone(), url)
        })
        .collect()
}

pub use crate::model::fnv1a;

/// Which page to render.
#[derive(Debug, Clone, Copy)]
enum PageKind {
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
fn render_pages(
    views: &ViewContext<'_>,
    templates: &Templates,
    assets: BTreeMap<String, String>,
    live: bool,
    cache: Option<&mut BuildCache>,
    work: &mut Work,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
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
    let site_view = SiteView {
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
        search: !live,
    };

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

    let mut cache = cache;
    let previous = match cache.as_deref_mut() {
        Some(cache) if cache.templates == templates.fingerprint() => {
            std::mem::take(&mut cache.pages)
        }
        _ => HashMap::new(),
    };
    let caching = cache.is_some();
    let results: Vec<(Option<u64>, bool, Result<OutputFile, Diagnostic>)> = kinds
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
                return (Some(key), false, Ok(file));
            }
            let result = templates
                .render(job.template, &job.context, &views.url(&job.path))
                .map(|html| OutputFile {
                    path,
                    bytes: html.into_bytes(),
                    origin: job.origin,
                });
            (key, true, result)
        })
        .collect();
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let mut fresh_cache = HashMap::new();
    for (key, rendered, result) in results {
        work.pages_rendered += usize::from(rendered);
        match result {
            Ok(file) => {
                if let Some(key) = key {
                    fresh_cache.insert(file.path.clone(), (key, file.bytes.clone()));
                }
                files.push(file);
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    if let Some(cache) = cache {
        cache.templates = templates.fingerprint();
        cache.pages = fresh_cache;
    }
    (files, diagnostics)
}

/// The file a URL path is written to: `/a/b/` to `a/b/index.html`, `/404.html` as is.
pub fn output_path(url_path: &str) -> String {
    let trimmed = url_path.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".to_string()
    } else if trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// Builds the template context of one page.
fn page_job(views: &ViewContext<'_>, site_view: &SiteView<'_>, kind: PageKind) -> PageJob {
    let site = views.site;
    let relations = views.relations;
    let bodies = views.bodies;
    let home = crumb("Home", views.url("/"));
    let statements_crumb = crumb("Statements", views.url("/statements/"));
    let mut context = tera::Context::new();
    let (path, template, title, breadcrumbs): (String, &'static str, String, Vec<LinkView>) =
        match kind {
            PageKind::Home => {
                let title = site
                    .home
                    .title
                    .clone()
                    .unwrap_or_else(|| site.config.title.clone());
                let all_pledges = 0..site.pledges.len();
                context.insert("page", &serde_json::json!({
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
            }));
                ("/".to_string(), "index.html", title, vec![])
            }
            PageKind::Statements => {
                context.insert("page", &serde_json::json!({
                "title": "Statements",
                "statements": (0..site.statements.len()).map(|s| views.statement_card(s)).collect::<Vec<_>>(),
            }));
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
                context.insert("page", &serde_json::json!({
                "title": item.title,
                "url": card.url,
                "slug": item.slug,
                "date": card.date,
                "date_display": card.date_display,
                "place": item.place,
                "parties": card.parties,
                "source": item.source.as_ref().and_then(|src| site.source_index(&src.value)).map(|i| views.source_link(i)),
                "content": bodies.statements[s].html,
                "sections": relations.statement_sections[s].iter().map(|&sec| views.section_block(sec, None)).collect::<Vec<_>>(),
                "n_pledges": card.n_pledges,
                "status_counts": views.status_counts(pledges.iter().copied()),
                "graph_svg": statement_graph(views, s, &pledges),
            }));
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
                let block = views.section_block(sec, None);
                context.insert("page", &serde_json::json!({
                "title": item.title,
                "url": block.url,
                "slug": item.slug,
                "content": bodies.sections[sec].html,
                "statement": views.statement_link(item.statement),
                "pledges": block.pledges,
                "previous": position.checked_sub(1).map(|p| views.section_link(siblings[p])),
                "next": siblings.get(position + 1).map(|&n| views.section_link(n)),
            }));
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
                context.insert("page", &serde_json::json!({
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
            }));
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
                context.insert("page", &serde_json::json!({
                "title": title,
                "kind": kind.singular(),
                "url": url,
                "entities": site.entities.iter().enumerate().filter(|(_, e)| e.kind == kind).map(|(i, e)| EntityCardView {
                    title: e.title.clone(),
                    url: views.url(&site.entity_path(i)),
                    summary: e.summary.clone(),
                    n_pledges: relations.entity_pledges[i].len(),
                }).collect::<Vec<_>>(),
            }));
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
                context.insert("page", &serde_json::json!({
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
            }));
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
                context.insert(
                    "page",
                    &serde_json::json!({
                        "title": "Sources",
                        "sources": site.sources.iter().enumerate().map(|(i, s)| SourceCardView {
                            title: s.title.clone(),
                            url: views.url(&site.source_path(i)),
                            publisher: s.publisher.clone(),
                            date_display: s.date.map(|d| d.display()),
                            kind: s.kind,
                        }).collect::<Vec<_>>(),
                    }),
                );
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
                context.insert("page", &serde_json::json!({
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
            }));
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
                context.insert(
                    "page",
                    &serde_json::json!({
                        "title": item.title,
                        "url": url,
                        "slug": item.slug,
                        "content": bodies.pages[i].html,
                    }),
                );
                (
                    site.page_path(i),
                    "page.html",
                    item.title.clone(),
                    vec![home, crumb(&item.title, url)],
                )
            }
            PageKind::Tracker => {
                let url = views.url("/tracker/");
                context.insert("page", &tracker_view(views));
                (
                    "/tracker/".to_string(),
                    "tracker.html",
                    "Pledge tracker".to_string(),
                    vec![home, crumb("Tracker", url)],
                )
            }
            PageKind::Search => {
                let url = views.url("/search/");
                context.insert(
                    "page",
                    &serde_json::json!({
                        "title": "Search",
                        "url": url,
                        "bundle_url": views.url(&format!("/{}/", search::BUNDLE)),
                    }),
                );
                (
                    "/search/".to_string(),
                    "search.html",
                    "Search".to_string(),
                    vec![home, crumb("Search", url)],
                )
            }
            PageKind::NotFound => {
                context.insert("page", &serde_json::json!({ "title": "Page not found" }));
                (
                    "/404.html".to_string(),
                    "404.html",
                    "Page not found".to_string(),
                    vec![],
                )
            }
        };
    context.insert("site", site_view);
    context.insert("page_title", &title);
    context.insert("page_url", &views.url(&path));
    context.insert(
        "canonical_url",
        &format!("{}{}", site.config.base_url(), path),
    );
    context.insert("breadcrumbs", &breadcrumbs);
    context.insert("template", template);
    let origin = match kind {
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
    .unwrap_or_else(|| format!("generated by {template}"));
    PageJob {
        path,
        template,
        context,
        origin,
    }
}

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_string()
}

/// Copies of each source's published text, beside its page, so readers can fetch it.
fn source_copies(site: &Site) -> Vec<OutputFile> {
    site.sources
        .iter()
        .enumerate()
        .filter_map(|(i, source)| {
            let file = source.file.as_ref()?;
            let text = source.text.as_ref()?;
            Some(OutputFile {
                path: format!(
                    "{}{}",
                    output_path(&site.source_path(i)).trim_end_matches("index.html"),
                    file_name(file)
                ),
                bytes: text.clone().into_bytes(),
                origin: file.clone(),
            })
        })
        .collect()
}

/// The theme's `static/` files with the site's own `static/` laid over them.
fn static_files(root: &Path, theme: &str) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files: BTreeMap<String, (Vec<u8>, String)> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for dir in [
        root.join("themes").join(theme).join("static"),
        root.join("static"),
    ] {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    diagnostics.push(Diagnostic::error(
                        dir.strip_prefix(root).unwrap_or(&dir).to_string_lossy(),
                        1,
                        1,
                        format!("cannot read: {error}"),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry
                .path()
                .strip_prefix(&dir)
                .expect("walkdir yields paths under its root");
            let path = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    let origin = entry
                        .path()
                        .strip_prefix(root)
                        .unwrap_or(entry.path())
                        .to_string_lossy()
                        .replace('\\', "/");
                    files.insert(path, (bytes, origin));
                }
                Err(error) => diagnostics.push(Diagnostic::error(
                    path,
                    1,
                    1,
                    format!("cannot read static file: {error}"),
                )),
            }
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(files
        .into_iter()
        .map(|(path, (bytes, origin))| OutputFile {
            path,
            bytes,
            origin,
        })
        .collect())
}

/// Items that would be written to the same file, each group listing everything involved.
fn check_duplicate_outputs(files: &[OutputFile]) -> Vec<Diagnostic> {
    let mut by_path: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for file in files {
        by_path.entry(&file.path).or_default().push(&file.origin);
    }
    by_path
        .into_iter()
        .filter(|(_, origins)| origins.len() > 1)
        .map(|(path, origins)| {
            let first = origins
                .iter()
                .find(|o| !o.starts_with("generated"))
                .unwrap_or(&origins[0]);
            Diagnostic::error(
                *first,
                1,
                1,
                format!(
                    "{} items would be written to `{path}`: {}",
                    origins.len(),
                    origins.join(", ")
                ),
            )
            .with_help("rename one of them so each page and file has its own address")
        })
        .collect()
}

/// Every `href` and `src` in the generated HTML that points inside the site must name a
/// generated file: a theme linking to a page that does not exist fails the build.
fn check_generated_links(files: &[OutputFile], prefix: &str) -> Vec<Diagnostic> {
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    // For each missing URL, the pages linking to it, with what produced each page.
    let mut missing: BTreeMap<String, BTreeSet<(&str, &str)>> = BTreeMap::new();
    for file in files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&file.bytes);
        for attribute in ["href=\"", "src=\""] {
            for (start, _) in html.match_indices(attribute) {
                let rest = &html[start + attribute.len()..];
                let Some(end) = rest.find('"') else { continue };
                let url = rest[..end].split(['#', '?']).next().unwrap_or("");
                let Some(path) = url.strip_prefix(prefix).filter(|p| p.starts_with('/')) else {
                    continue;
                };
                if url.starts_with("//") {
                    continue;
                }
                let wanted = output_path(path);
                let decoded = wanted.replace("%20", " ");
                if !paths.contains(wanted.as_str()) && !paths.contains(decoded.as_str()) {
                    missing
                        .entry(url.to_string())
                        .or_default()
                        .insert((&file.path, &file.origin));
                }
            }
        }
    }
    missing
        .into_iter()
        .map(|(url, pages)| {
            // Place the error in a content file where one produced the page; a theme's
            // link shows up on generated pages too, named by their template.
            let (_, origin) = pages.iter().find(|(_, origin)| !origin.starts_with("generated")).unwrap_or_else(|| pages.first().expect("only pages with a missing link are listed"));
            let shown: Vec<String> = pages.iter().take(3).map(|(page, _)| format!("/{}", page.trim_end_matches("index.html"))).collect();
            let more = if pages.len() > 3 { format!(" and {} more", pages.len() - 3) } else { String::new() };
            Diagnostic::error(
                origin.strip_prefix("generated by ").map_or_else(|| origin.to_string(), |template| format!("templates/{template}")),
                1,
                1,
                format!("link to `{url}` leads nowhere: no page or file is generated there (linked from {}{more})", shown.join(", ")),
            )
            .with_help("fix the link in the content file or the theme's template")
        })
        .collect()
}

/// The most neighbours an entity's graph shows.
const MAX_GRAPH_NEIGHBOURS: usize = 14;

/// The text of a statement's official source, if it has one with a file.
fn statement_official_text(site: &Site, statement: usize) -> Option<&str> {
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

/// Stage durations, printed to stderr when `COMMUNIQUE_TIMINGS` is set: for profiling a
/// build, never part of its output.
struct Timings {
    enabled: bool,
    last: Instant,
    stages: Vec<(&'static str, u128)>,
}

impl Timings {
    fn new() -> Self {
        Timings {
            enabled: std::env::var_os("COMMUNIQUE_TIMINGS").is_some(),
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    fn mark(&mut self, stage: &'static str) {
        if self.enabled {
            self.stages.push((stage, self.last.elapsed().as_micros()));
            self.last = Instant::now();
        }
    }

    fn report(&self) {
        if self.enabled {
            let parts: Vec<String> = self
                .stages
                .iter()
                .map(|(stage, us)| format!("{stage} {:.1} ms", *us as f64 / 1000.0))
                .collect();
            eprintln!("timings: {}", parts.join(", "));
        }
    }
}
