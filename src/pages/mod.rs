//! The page-rendering stage: every page `routes` lists, rendered through the templates in
//! parallel (reusing a [`BuildCache`] where one is given), and what happens to each rendered
//! page in the thread that rendered it (`PageSink`: its links checked by `links`, and the
//! page handed to the build's sink). The context each page's template receives is built in
//! `context`.

mod context;

use std::collections::{BTreeMap, HashSet};

use rayon::prelude::*;

use crate::cache::{BuildCache, PageCache, Work};
use crate::diagnostic::Diagnostic;
use crate::hash::fnv1a;
use crate::links::{LinkingPages, PageLinks, RefusedUrl, page_links};
use crate::model::Site;
use crate::output::{FileOrigin, OutputFile, Sink};
use crate::routes::{self, PageKind, output_path};
use crate::templates::Templates;
use crate::templates::views::ViewContext;

use context::{PageJob, page_job, site_view};

/// Renders every HTML page through the templates, in parallel, into `sink`.
pub(crate) fn render_pages(
    views: &ViewContext<'_>,
    templates: &Templates,
    assets: BTreeMap<String, String>,
    sink: &PageSink<'_>,
    cache: Option<&mut BuildCache>,
    work: &mut Work,
) -> RenderedPages {
    let site_view = site_view(views, templates, assets);
    let kinds = routes::page_kinds(views.site, |template| templates.has(template));
    let mut cache = cache;
    let caching = cache.is_some();
    let previous = match cache.as_deref_mut() {
        Some(cache) => cache.take_pages(templates.fingerprint()),
        None => PageCache::new(),
    };
    let results: Vec<PageResult> = kinds
        .into_par_iter()
        .map(|kind| {
            let job = page_job(views, &site_view, kind);
            // A page is a pure function of its template set and its context.
            let key = caching.then(|| page_key(&job));
            let path = output_path(&job.path);
            match (key, previous.get(&path)) {
                (Some(key), Some((cached_key, bytes))) if key == *cached_key => {
                    let file = OutputFile {
                        path,
                        bytes: bytes.clone(),
                        origin: job.origin,
                    };
                    sink.finish(Some(key), false, Ok(file))
                }
                _ => {
                    let file = templates
                        .render(job.template, &job.context, &views.url(&job.path))
                        .map(|html| OutputFile {
                            path,
                            bytes: html.into_bytes(),
                            origin: job.origin,
                        });
                    sink.finish(key, true, file)
                }
            }
        })
        .collect();
    let (pages, fresh_cache) = RenderedPages::gather(results, work);
    if let Some(cache) = cache {
        cache.keep_pages(templates.fingerprint(), fresh_cache);
    }
    pages
}

/// The hash a page is cached under: its template's name and its whole context as JSON.
fn page_key(job: &PageJob) -> u64 {
    let json =
        serde_json::to_vec(&job.context.clone().into_json()).expect("a template context is JSON");
    fnv1a(job.template.bytes().chain([0]).chain(json))
}

/// Renders one page, for the preview's quick update of the pages an edit touches.
pub(crate) fn render_page(
    views: &ViewContext<'_>,
    templates: &Templates,
    assets: BTreeMap<String, String>,
    kind: PageKind,
) -> Result<OutputFile, Diagnostic> {
    let site_view = site_view(views, templates, assets);
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
    /// Where each page goes as soon as it is rendered.
    pub sink: &'a dyn Sink,
    /// Every file the build produces, by output path: a link to anything else is broken.
    pub known: &'a HashSet<String>,
    /// The site's path prefix, which internal links start with.
    pub prefix: &'a str,
}

/// One page's outcome, from a rendering thread.
struct PageResult {
    /// Whether the page was rendered rather than reused from the cache.
    rendered: bool,
    /// The page handed to the sink, or its template error.
    page: Result<FinishedPage, Diagnostic>,
}

/// What is left of a page once the sink has it.
struct FinishedPage {
    path: String,
    origin: FileOrigin,
    /// Its cache key and bytes, when the build keeps a cache.
    cached: Option<(u64, Vec<u8>)>,
    links: PageLinks,
    write_error: Option<anyhow::Error>,
}

impl PageSink<'_> {
    /// Checks a rendered page's links, keeps a copy for the cache under `key` (when
    /// caching), and hands the page to the sink.
    fn finish(
        &self,
        key: Option<u64>,
        rendered: bool,
        file: Result<OutputFile, Diagnostic>,
    ) -> PageResult {
        let page = file.map(|file| {
            let links = page_links(&file.bytes, self.prefix, self.known);
            let cached = key.map(|key| (key, file.bytes.clone()));
            let (path, origin) = (file.path.clone(), file.origin.clone());
            let write_error = self.sink.put(file).err();
            FinishedPage {
                path,
                origin,
                cached,
                links,
                write_error,
            }
        });
        PageResult { rendered, page }
    }
}

/// What rendering the pages found; the pages themselves went to the sink.
#[derive(Default)]
pub(crate) struct RenderedPages {
    /// How many pages were rendered or reused.
    pub n_pages: usize,
    /// Template errors, one per page that failed.
    pub diagnostics: Vec<Diagnostic>,
    /// Each internal link to a file the build does not produce, with the pages linking to
    /// it.
    pub missing_links: BTreeMap<String, LinkingPages>,
    /// Each URL whose scheme no page may use (as written in the page), with the pages that
    /// have it.
    pub refused_links: BTreeMap<String, (RefusedUrl, LinkingPages)>,
    /// Pages that could not be written.
    pub write_errors: Vec<anyhow::Error>,
}

impl RenderedPages {
    /// Gathers the pages' outcomes, counting in `work` the pages rendered, and the pages
    /// to cache for the next build.
    fn gather(results: Vec<PageResult>, work: &mut Work) -> (RenderedPages, PageCache) {
        let mut pages = RenderedPages::default();
        let mut fresh_cache = PageCache::new();
        for result in results {
            work.pages_rendered += usize::from(result.rendered);
            let page = match result.page {
                Ok(page) => page,
                Err(diagnostic) => {
                    pages.diagnostics.push(diagnostic);
                    continue;
                }
            };
            pages.n_pages += 1;
            if let Some(cached) = page.cached {
                fresh_cache.insert(page.path.clone(), cached);
            }
            let linking = (page.path, page.origin);
            for url in page.links.missing {
                pages
                    .missing_links
                    .entry(url)
                    .or_default()
                    .insert(linking.clone());
            }
            for refused in page.links.refused {
                pages
                    .refused_links
                    .entry(refused.url.clone())
                    .or_insert_with(|| (refused, LinkingPages::new()))
                    .1
                    .insert(linking.clone());
            }
            if let Some(error) = page.write_error {
                pages.write_errors.push(error);
            }
        }
        (pages, fresh_cache)
    }
}

/// The text of a statement's official source, if it has one with a file.
pub(crate) fn statement_official_text(site: &Site, statement: usize) -> Option<&str> {
    let source = site.statements[statement].source.as_ref()?;
    site.sources[site.source_index(&source.value)?]
        .text
        .as_deref()
}
