//! The page-rendering stage: which pages the site has (`page_kinds`, `page_path`), rendering
//! them through the templates in parallel (reusing a [`BuildCache`] where one is given), and
//! what happens to each rendered page (`PageSink`: its links checked, internal ones for a
//! file to lead to and every one for its scheme, and the page handed to the build's sink).
//! The context each page's template receives is built in `context`.

mod context;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::hash::fnv1a;
use crate::html_urls;
use crate::model::Site;
use crate::output::{FileOrigin, OutputFile, Sink};
use crate::pipeline::{BuildCache, Work};
use crate::routes::{self, PageKind, output_path};
use crate::templates::Templates;
use crate::templates::views::*;
use crate::url_scheme;

use context::{page_job, site_view};

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
    let site_view = site_view(views, templates, assets);
    let kinds = routes::page_kinds(site, |template| templates.has(template));

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
        match result.page {
            Ok(page) => {
                pages.n_pages += 1;
                if let Some(cached) = page.cached {
                    fresh_cache.insert(page.path.clone(), cached);
                }
                for url in page.links.missing {
                    pages
                        .missing_links
                        .entry(url)
                        .or_default()
                        .insert((page.path.clone(), page.origin.clone()));
                }
                for refused in page.links.refused {
                    pages
                        .refused_links
                        .entry(refused.url.clone())
                        .or_insert_with(|| (refused, BTreeSet::new()))
                        .1
                        .insert((page.path.clone(), page.origin.clone()));
                }
                if let Some(error) = page.write_error {
                    pages.write_errors.push(error);
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
    /// Each internal link to a file the build does not produce, with the pages (path and
    /// origin) linking to it.
    pub missing_links: BTreeMap<String, BTreeSet<(String, FileOrigin)>>,
    /// Each URL whose scheme no page may use (as written in the page), with the pages
    /// (path and origin) that have it.
    pub refused_links: BTreeMap<String, (RefusedUrl, BTreeSet<(String, FileOrigin)>)>,
    /// Pages that could not be written.
    pub write_errors: Vec<anyhow::Error>,
}

/// What the link check found in one page.
#[derive(Debug, Default, PartialEq, Eq)]
struct PageLinks {
    /// Internal links to no file in `known`, sorted.
    missing: Vec<String>,
    /// URLs with a scheme no page may use, sorted.
    refused: Vec<RefusedUrl>,
}

/// A URL in a generated page or feed that no page may use.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct RefusedUrl {
    /// The URL as written in the page.
    pub url: String,
    /// What it is, to start a message: `link to` or `image`.
    pub what: &'static str,
    /// Why it is refused (`url_scheme::Refused::explain`).
    pub why: String,
}

impl RefusedUrl {
    /// "link to `javascript:x` uses the `javascript:` scheme, which …".
    pub fn message(&self) -> String {
        format!(
            "{} `{}` {}",
            self.what,
            url_scheme::shown(&self.url),
            self.why
        )
    }
}

/// Every URL in a page or feed whose scheme no page may use.
pub(crate) fn refused_urls(html: &[u8]) -> Vec<RefusedUrl> {
    let mut refused = Vec::new();
    html_urls::urls_in_page(html, |found| {
        if let Some(url) = refused_url(&found) {
            refused.push(url);
        }
    });
    refused
}

fn refused_url(found: &html_urls::AttributeUrl<'_>) -> Option<RefusedUrl> {
    let decoded = url_scheme::decode_char_refs(found.raw);
    let refused = url_scheme::check(&decoded, found.usage).err()?;
    Some(RefusedUrl {
        url: found.raw.to_string(),
        what: match found.usage {
            url_scheme::Use::Link => "link to",
            url_scheme::Use::Image => "image",
        },
        why: refused.explain(),
    })
}

/// Checks every URL attribute of a page in one pass (`html_urls::urls_in_page`): each URL's
/// scheme (`url_scheme::check`), and each internal `href="…"` and `src="…"` for a file in
/// `known`.
fn page_links(html: &[u8], prefix: &str, known: &HashSet<String>) -> PageLinks {
    let mut links = PageLinks::default();
    let mut wanted = String::new();
    html_urls::urls_in_page(html, |found| {
        if let Some(refused) = refused_url(&found) {
            links.refused.push(refused);
            return;
        }
        if !found.double_quoted || !matches!(found.attribute, "href" | "xlink:href" | "src") {
            return;
        }
        let url = found.raw.split(['#', '?']).next().unwrap_or("");
        let Some(path) = url.strip_prefix(prefix).filter(|p| p.starts_with('/')) else {
            return;
        };
        if url.starts_with("//") {
            return;
        }
        routes::output_path_into(path, &mut wanted);
        if !known.contains(&wanted) && !known.contains(&wanted.replace("%20", " ")) {
            links.missing.push(url.to_string());
        }
    });
    links.missing.sort();
    links.missing.dedup();
    links.refused.sort();
    links.refused.dedup();
    links
}

/// The text of a statement's official source, if it has one with a file.
pub(crate) fn statement_official_text(site: &Site, statement: usize) -> Option<&str> {
    let source = site.statements[statement].source.as_ref()?;
    site.sources[site.source_index(&source.value)?]
        .text
        .as_deref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_scan_of_a_page_finds_missing_and_refused_links() {
        let known: HashSet<String> = ["index.html", "a/index.html", "style.css"]
            .map(String::from)
            .into();
        let page = concat!(
            "<link href=\"/p/style.css?v=1\"><a href=\"/p/a/#x\">a</a><a href=\"/p/b/\">b</a>",
            "<a href=\"https://example.org/\">e</a><a href=\"//example.org/\">e</a>",
            "<a href='javascript:alert(1)'>j</a><a href=\"java&#x73;cript:x\">k</a>",
            "<img src=\"data:image/png;base64,AA\"><img src=\"data:image/svg+xml,x\">",
            "<form action=vbscript:x></form><p>a href=javascript:text is text</p>",
            "<a title=\"say href=javascript:no\" href=\"/p/\">h</a>",
        );
        let links = page_links(page.as_bytes(), "/p", &known);
        assert_eq!(links.missing, vec!["/p/b/".to_string()]);
        let refused: Vec<(&str, &str)> = links
            .refused
            .iter()
            .map(|r| (r.what, r.url.as_str()))
            .collect();
        assert_eq!(
            refused,
            vec![
                ("image", "data:image/svg+xml,x"),
                ("link to", "java&#x73;cript:x"),
                ("link to", "javascript:alert(1)"),
                ("link to", "vbscript:x"),
            ]
        );
        assert_eq!(
            links.refused[2].message(),
            "link to `javascript:alert(1)` uses the `javascript:` scheme, which would run script in readers' browsers"
        );
    }
}
