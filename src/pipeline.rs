//! The build pipeline, one function per stage: load, render Markdown, link, index for
//! search, make the feeds and data files, render pages (in `pages`) and check their links.
//! Every stage reads the model; files go to an `output::Sink` as soon as they are made: the
//! `Staging` folder when `build` writes, memory for `check`, `serve` and the tests.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use crate::Problems;
use crate::content::{self, Loaded};
use crate::diagnostic::Severity;
use crate::diagnostic::{Diagnostic, SourceText, sort_diagnostics};
use crate::feeds;
use crate::files::{Project, WalkOptions};
use crate::hash::fnv1a;
use crate::markdown::{
    self, RenderContext, Rendered, ThemeIds, mentions::MentionMatcher, mentions::Name, text,
};
use crate::model::relations;
use crate::model::{Body, Origin, Site};
use crate::output::{self, FileOrigin, MemorySink, OutputFile, Sink};
use crate::pages;
use crate::preview::Preview;
use crate::provenance;
use crate::routes::{self, Item, SitePaths};
use crate::search;
use crate::templates;
use crate::templates::views::*;

/// Options a build takes beyond the site folder.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// A preview for `serve`: static files keep their plain URLs, so a stylesheet change
    /// changes the stylesheet alone and can be swapped in without a reload.
    pub live: bool,
}

/// A built site, in memory.
#[derive(Debug)]
pub struct Built {
    /// Every file, sorted by path; empty when the build wrote them into its sink as it went
    /// ([`build_into`]).
    pub files: Vec<OutputFile>,
    /// How many files.
    pub n_files: usize,
    /// Warnings (a build with errors fails instead).
    pub diagnostics: Vec<Diagnostic>,
    /// How many HTML pages.
    pub n_pages: usize,
    /// How long it took, in milliseconds.
    pub millis: u128,
    /// How much was rendered rather than reused from a [`BuildCache`].
    pub work: Work,
    /// For a preview build (`BuildOptions::live`), the model, kept to re-render single pages.
    pub preview: Option<Box<Preview>>,
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
    pub(crate) markdown_inputs: u64,
    pub(crate) markdown: HashMap<(u8, String), Rendered>,
    pub(crate) templates: u64,
    pub(crate) pages: HashMap<String, (u64, Vec<u8>)>,
}

/// Builds the site under `root` in memory. Content errors fail with [`Problems`].
pub fn build(root: &Path, options: &BuildOptions) -> anyhow::Result<Built> {
    build_with_cache(root, options, None)
}

/// Builds the site, reusing and refreshing `cache` where one is given.
pub fn build_with_cache(
    root: &Path,
    options: &BuildOptions,
    cache: Option<&mut BuildCache>,
) -> anyhow::Result<Built> {
    let sink = MemorySink::new();
    let mut built = build_into(root, options, cache, &sink)?;
    built.files = sink.into_files();
    Ok(built)
}

/// Builds the site, handing every file to `sink` as soon as it is made (`Built::files` is
/// empty). With an `output::Staging` for the sink, memory holds the model, not the output.
pub fn build_into(
    root: &Path,
    options: &BuildOptions,
    mut cache: Option<&mut BuildCache>,
    sink: &dyn Sink,
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
        // `main` refuses a bad --base-url before this; a library caller gets the same check.
        if let Err(why) = crate::url_scheme::check_base_url(base_url) {
            anyhow::bail!(
                "--base-url `{}` {why}\nhelp: {}",
                crate::url_scheme::shown(base_url),
                crate::url_scheme::BASE_URL_HELP
            );
        }
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
    // Read before the first stop on errors, so that problems with static files are reported
    // with the content's.
    let statics = match static_files(root, &site.config.theme) {
        Ok(statics) => statics,
        Err(mut problems) => {
            diagnostics.append(&mut problems);
            Vec::new()
        }
    };
    timings.mark("static files");
    let linking = Linking::new(&site, templates.as_ref());
    let (bodies, mut markdown_problems) =
        render_markdown(&site, &linking, cache.as_deref_mut(), &mut work);
    diagnostics.append(&mut markdown_problems);
    timings.mark("markdown");
    let mentions: Vec<Vec<usize>> = bodies.pledges.iter().map(|r| r.mentioned.clone()).collect();
    let limits = relations::entity_limits(&site, &mentions);
    if !limits.is_empty() {
        // Relating such a pledge is quadratic in its entities: stop before it.
        diagnostics.extend(limits);
        fail_on_errors(&mut diagnostics)?;
    }
    let relations = relations::relate(&site, &mentions);
    timings.mark("relate");
    diagnostics.extend(relations::unused_entities(&site, &relations));
    fail_on_errors(&mut diagnostics)?;
    let templates = templates.expect("a missing theme is an error, and errors return above");

    let sentences = mention_sentences(&site, &linking.matcher);
    // Each statement's official text, prepared once for every coverage comparison.
    let official_texts: Vec<Option<provenance::OfficialText>> = (0..site.statements.len())
        .into_par_iter()
        .map(|s| pages::statement_official_text(&site, s).map(provenance::OfficialText::new))
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
    let assets = asset_urls(&statics, view_context.prefix, !options.live);

    // Every file but the pages first: they come from the model alone, and with them every
    // output path is known before a page is rendered, so each page's links are checked
    // (and the page written) as soon as it is rendered.
    let mut files = Vec::new();
    if templates.has("search.html") {
        files.extend(search::index(&view_context));
    }
    timings.mark("search index");
    files.extend(source_copies(&site));
    files.extend(statics);
    let mut file_outputs: Vec<(String, FileOrigin)> = files
        .iter()
        .map(|file| (file.path.clone(), file.origin.clone()))
        .collect();
    files.into_par_iter().try_for_each(|file| sink.put(file))?;
    file_outputs.extend(feeds::machine_files(&view_context, sink)?);
    timings.mark("feeds and data");
    let kinds = routes::page_kinds(&site, |template| templates.has(template));
    let page_paths: Vec<String> = kinds
        .iter()
        .map(|&kind| routes::output_path(&routes::page_path(&site, kind)))
        .collect();
    // Pages first, so a collision names the content file before a static one.
    let page_origins: Vec<FileOrigin> = kinds
        .iter()
        .map(|&kind| routes::page_origin(&site, kind))
        .collect();
    let mut outputs: Vec<(&str, &FileOrigin)> = page_paths
        .iter()
        .map(String::as_str)
        .zip(&page_origins)
        .collect();
    outputs.extend(
        file_outputs
            .iter()
            .map(|(path, origin)| (path.as_str(), origin)),
    );
    diagnostics.extend(output::collisions(outputs.iter().copied()));
    fail_on_errors(&mut diagnostics)?;
    let known: HashSet<String> = outputs.iter().map(|(path, _)| path.to_string()).collect();
    let n_files = known.len();
    timings.mark("checks");

    let sink = pages::PageSink {
        sink,
        known: &known,
        prefix: view_context.prefix,
    };
    let preview_assets = options.live.then(|| assets.clone());
    let rendered = pages::render_pages(&view_context, &templates, assets, &sink, cache, &mut work);
    timings.mark("pages");
    if let Some(error) = rendered.write_errors.into_iter().next() {
        return Err(error);
    }
    diagnostics.extend(rendered.diagnostics);
    // A page that failed to render would show up again as a broken link to it.
    fail_on_errors(&mut diagnostics)?;
    diagnostics.extend(missing_link_diagnostics(rendered.missing_links));
    diagnostics.extend(refused_link_diagnostics(rendered.refused_links, &templates));
    fail_on_errors(&mut diagnostics)?;
    let n_pages = rendered.n_pages;
    let preview = preview_assets.map(|assets| {
        Box::new(Preview {
            pages: page_paths.into_iter().zip(kinds).collect(),
            pledge_files: site
                .pledges
                .iter()
                .enumerate()
                .map(|(p, pledge)| (pledge.origin.path.clone(), p))
                .collect(),
            linking,
            site,
            relations,
            bodies,
            sentences,
            official_texts,
            templates,
            assets,
        })
    });
    timings.report();
    Ok(Built {
        files: Vec::new(),
        n_files,
        diagnostics,
        n_pages,
        millis: started.elapsed().as_millis(),
        work,
        preview,
    })
}

fn fail_on_errors(diagnostics: &mut Vec<Diagnostic>) -> Result<(), Problems> {
    sort_diagnostics(diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Problems(std::mem::take(diagnostics)));
    }
    Ok(())
}

/// What Markdown bodies may link to, made once per build and kept by the preview: every
/// page an `@/` link may name, the matcher of entity names, and each entity's URL.
#[derive(Debug, Clone)]
pub struct Linking {
    /// Content path (`statements/s/_index.md`) to URL path, for `@/` links.
    pub targets: HashMap<String, String>,
    /// Every entity's title and aliases.
    pub matcher: MentionMatcher,
    /// Each entity's URL, by index.
    pub entity_urls: Vec<String>,
    /// The ids the theme's pages use, which headings may not take.
    pub theme_ids: ThemeIds,
}

impl Linking {
    /// Collects the link targets and names of `site`, and the ids `templates` use (none
    /// when the theme failed to load: that is an error, and the build stops anyway).
    pub fn new(site: &Site, templates: Option<&templates::Templates>) -> Linking {
        let prefix = site.config.path_prefix();
        Linking {
            targets: link_targets(site),
            matcher: entity_matcher(site),
            entity_urls: (0..site.entities.len())
                .map(|e| format!("{prefix}{}", site.entity_path(e)))
                .collect(),
            theme_ids: templates
                .map(templates::Templates::theme_ids)
                .unwrap_or_default(),
        }
    }
}

/// The content path (`statements/s/_index.md`) of every page an `@/` link may point to,
/// with its URL path.
fn link_targets(site: &Site) -> HashMap<String, String> {
    let prefix = site.config.path_prefix();
    routes::items(site)
        .filter_map(|item| {
            let name = routes::link_name(item.origin(site)?);
            Some((name.to_string(), format!("{prefix}{}", item.path(site))))
        })
        .collect()
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
fn mention_sentences(site: &Site, matcher: &MentionMatcher) -> Vec<BTreeMap<usize, String>> {
    site.pledges
        .par_iter()
        .map(|pledge| pledge_mention_sentences(matcher, pledge))
        .collect()
}

/// One pledge's sentences for [`mention_sentences`].
pub(crate) fn pledge_mention_sentences(
    matcher: &MentionMatcher,
    pledge: &crate::model::Pledge,
) -> BTreeMap<usize, String> {
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
}

/// What a body is rendered as, and the first half of its key in the Markdown cache: home,
/// sections, entities, sources and free pages are plain; statements get paragraph anchors
/// (they are cited); pledges get those and entity mentions.
const PLAIN: u8 = 0;
const CITED: u8 = 1;
const PLEDGE: u8 = 2;

fn body_kind(item: Item) -> u8 {
    match item {
        Item::Statement(_) => CITED,
        Item::Pledge(_) => PLEDGE,
        _ => PLAIN,
    }
}

/// Renders every Markdown body in parallel, and checks `@/` links and their anchors.
pub fn render_markdown(
    site: &Site,
    linking: &Linking,
    cache: Option<&mut BuildCache>,
    work: &mut Work,
) -> (RenderedBodies, Vec<Diagnostic>) {
    let plain = RenderContext {
        link_targets: &linking.targets,
        mentions: None,
        paragraph_anchors: false,
        allow_html: site.config.allow_html,
        theme_ids: &linking.theme_ids,
    };
    let cited = RenderContext {
        paragraph_anchors: true,
        ..plain
    };
    let pledge = RenderContext {
        mentions: Some((&linking.matcher, &linking.entity_urls)),
        ..cited
    };
    let contexts = [plain, cited, pledge];

    let mut no_cache = BuildCache::default();
    let caching = cache.is_some();
    let cache = cache.unwrap_or(&mut no_cache);
    let fingerprint = markdown_fingerprint(site, linking);
    if cache.markdown_inputs != fingerprint {
        cache.markdown.clear();
        cache.markdown_inputs = fingerprint;
    }
    let previous = std::mem::take(&mut cache.markdown);
    let items: Vec<Item> = routes::items(site).collect();
    let rendered_now = std::sync::atomic::AtomicUsize::new(0);
    let rendered: Vec<Rendered> = items
        .par_iter()
        .map(|&item| {
            let kind = body_kind(item);
            let markdown = &item.body(site).markdown;
            match previous.get(&(kind, markdown.clone())) {
                Some(rendered) => rendered.clone(),
                None => {
                    rendered_now.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    markdown::render(markdown, &contexts[usize::from(kind)])
                }
            }
        })
        .collect();
    work.markdown_rendered = rendered_now.into_inner();
    if caching {
        // Keep exactly what this build used, so the cache never grows past the site.
        for (&item, rendered) in items.iter().zip(&rendered) {
            let key = (body_kind(item), item.body(site).markdown.clone());
            cache.markdown.insert(key, rendered.clone());
        }
    }
    let diagnostics = body_diagnostics(site, &items, &rendered);
    (into_bodies(site, rendered), diagnostics)
}

/// A hash of everything a body's rendering depends on besides its own text: what links may
/// name, every entity's names and URL, `allow_html` and the theme's ids.
fn markdown_fingerprint(site: &Site, linking: &Linking) -> u64 {
    let theme_ids = &linking.theme_ids;
    let mut inputs: Vec<(&String, &String)> = linking.targets.iter().collect();
    inputs.sort();
    fnv1a(
        inputs
            .iter()
            .flat_map(|(a, b)| [a.as_bytes(), b.as_bytes()])
            .chain(site.entities.iter().flat_map(|e| {
                // A marker per entity, so a name moving to a neighbour changes the hash.
                [&b"\x01"[..], e.title.as_bytes()]
                    .into_iter()
                    .chain(e.aliases.iter().map(String::as_bytes))
            }))
            .chain(linking.entity_urls.iter().map(String::as_bytes))
            .chain([if site.config.allow_html {
                &b"html"[..]
            } else {
                &b"text"[..]
            }])
            .chain([&b"\x02"[..]])
            .chain(theme_ids.exact.iter().map(String::as_bytes))
            .chain([&b"\x03"[..]])
            .chain(theme_ids.numbered.iter().map(String::as_bytes))
            .chain([&b"\x04"[..]])
            .chain(theme_ids.dated.iter().map(String::as_bytes))
            .flat_map(|bytes| bytes.iter().chain(b"\0"))
            .copied(),
    )
}

/// The bodies rendered in [`routes::items`] order, sorted into their kinds.
fn into_bodies(site: &Site, rendered: Vec<Rendered>) -> RenderedBodies {
    let mut rendered = rendered.into_iter();
    let mut next = |n: usize| -> Vec<Rendered> { rendered.by_ref().take(n).collect() };
    RenderedBodies {
        home: next(1).pop().expect("the home page is always rendered"),
        statements: next(site.statements.len()),
        sections: next(site.sections.len()),
        pledges: next(site.pledges.len()),
        entities: next(site.entities.len()),
        sources: next(site.sources.len()),
        pages: next(site.pages.len()),
    }
}

/// Each body's problems (errors and warnings) placed in its file, and every `@/` link's
/// anchor checked against the ids its target's headings ended up with.
fn body_diagnostics(site: &Site, items: &[Item], rendered: &[Rendered]) -> Vec<Diagnostic> {
    // Pair every body with its file; a home page without one has nothing to report.
    let placed: Vec<(&Origin, &Body, &Rendered)> = items
        .iter()
        .zip(rendered)
        .filter_map(|(&item, rendered)| Some((item.origin(site)?, item.body(site), rendered)))
        .collect();
    let anchors: HashMap<&str, &Rendered> = placed
        .iter()
        .map(|(origin, _, rendered)| (routes::link_name(origin), *rendered))
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
            let place = match problem.severity {
                Severity::Error => SourceText::error_at,
                Severity::Warning => SourceText::warning_at,
            };
            diagnostics.push(
                place(
                    &source,
                    body.offset + problem.range.start,
                    problem.range.len(),
                    problem.message.clone(),
                )
                .with_help(problem.help.clone()),
            );
        }
        for link in &rendered.internal_links {
            let Some(anchor) = &link.anchor else { continue };
            let target = anchors.get(link.target.as_str());
            if target.is_some_and(|known| known.anchors.contains(anchor)) {
                continue;
            }
            // A heading that wanted an id the theme uses got another one.
            let diagnostic = match target.and_then(|t| t.renamed_ids.get(anchor)) {
                Some(given) => source
                    .error_at(body.offset + link.range.start, link.range.len(), format!(
                        "anchor `#{anchor}` in `{}` is an id the theme uses; the heading that asked for it is `#{given}`",
                        link.target
                    ))
                    .with_help(format!("link to #{given}, or give the heading an id of its own with {{#...}}")),
                None => source
                    .error_at(body.offset + link.range.start, link.range.len(), format!(
                        "anchor `#{anchor}` does not exist in `{}`",
                        link.target
                    ))
                    .with_help("link to a heading's id or a paragraph anchor such as #p1, or drop the #anchor"),
            };
            diagnostics.push(diagnostic);
        }
    }
    diagnostics
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

/// Copies of each source's published text, beside its page, so readers can fetch it.
fn source_copies(site: &Site) -> Vec<OutputFile> {
    (0..site.sources.len())
        .filter_map(|i| {
            let source = &site.sources[i];
            let (file, text) = (source.file.as_ref()?, source.text.as_ref()?);
            Some(OutputFile {
                path: routes::source_copy_path(site, i)?,
                bytes: text.clone().into_bytes(),
                origin: FileOrigin::SourceText(file.clone()),
            })
        })
        .collect()
}

/// The theme's `static/` files with the site's own `static/` laid over them. Links are
/// followed inside the project only, hidden files are left out (but `.well-known/`), and a
/// file that cannot be read is reported at its own path.
fn static_files(root: &Path, theme: &str) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let project = Project::open(root).map_err(|error| {
        vec![Diagnostic::error(
            "static",
            1,
            1,
            format!("cannot open the site folder: {error}"),
        )]
    })?;
    let mut files: BTreeMap<String, (Vec<u8>, String)> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for dir in [format!("themes/{theme}/static"), "static".to_string()] {
        let walk = project.walk(
            &dir,
            WalkOptions {
                well_known: true,
                ..WalkOptions::default()
            },
        );
        diagnostics.extend(walk.problems);
        for found in walk.files {
            match crate::files::read_limited(&found.path, MAX_STATIC_BYTES) {
                Ok(bytes) => {
                    files.insert(found.name, (bytes, found.relative));
                }
                Err(error) => diagnostics.push(
                    Diagnostic::error(
                        &found.relative,
                        1,
                        1,
                        format!("cannot read static file: {error}"),
                    )
                    .with_help(format!(
                        "static files may hold up to {} MB; check the file's permissions and size",
                        MAX_STATIC_BYTES / 1024 / 1024
                    )),
                ),
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
            origin: FileOrigin::Static(origin),
        })
        .collect())
}

/// The largest static file copied, in bytes: a site is read into memory, so a stray video
/// or disk image is refused rather than let exhaust it.
pub const MAX_STATIC_BYTES: u64 = 100 * 1024 * 1024;

/// Every `href` and `src` in the generated HTML that points inside the site must name a
/// generated file: a theme linking to a page that does not exist fails the build. `missing`
/// has each such link with the pages (path, origin) that have it.
fn missing_link_diagnostics(
    missing: BTreeMap<String, BTreeSet<(String, FileOrigin)>>,
) -> Vec<Diagnostic> {
    missing
        .into_iter()
        .map(|(url, pages)| {
            // Place the error in a content file where one produced the page; a theme's
            // link shows up on generated pages too, named by their template.
            let (_, origin) = pages.iter().find(|(_, origin)| origin.is_placed()).unwrap_or_else(|| pages.first().expect("only pages with a missing link are listed"));
            let shown: Vec<String> = pages.iter().take(3).map(|(page, _)| format!("/{}", page.trim_end_matches("index.html"))).collect();
            let more = if pages.len() > 3 { format!(" and {} more", pages.len() - 3) } else { String::new() };
            Diagnostic::error(
                origin.report_path(),
                1,
                1,
                format!("link to `{url}` leads nowhere: no page or file is generated there (linked from {}{more})", shown.join(", ")),
            )
            .with_help("fix the link in the content file or the theme's template")
        })
        .collect()
}

/// Every URL in the generated pages whose scheme no page may use (`url_scheme::check`),
/// such as a `javascript:` link a template writes. Content cannot bring one this far (its
/// URLs are refused where they are written), so each is placed where the template writes
/// it when a template holds it verbatim, and otherwise like a link to nowhere.
fn refused_link_diagnostics(
    refused: BTreeMap<String, (pages::RefusedUrl, BTreeSet<(String, FileOrigin)>)>,
    templates: &templates::Templates,
) -> Vec<Diagnostic> {
    refused
        .into_iter()
        .map(|(url, (refused, pages))| {
            let shown: Vec<String> = pages.iter().take(3).map(|(page, _)| format!("/{}", page.trim_end_matches("index.html"))).collect();
            let more = if pages.len() > 3 { format!(" and {} more", pages.len() - 3) } else { String::new() };
            let message = format!("{} (in {}{more})", refused.message(), shown.join(", "));
            let help = "remove the link from the template, or make it http:, https:, mailto: or a path on this site";
            if let Some((path, text, at)) = templates.find_text(&url).filter(|_| !url.is_empty()) {
                return SourceText::new(path, text).error_at(at, url.len(), message).with_help(help);
            }
            let (_, origin) = pages.iter().find(|(_, origin)| origin.is_placed()).unwrap_or_else(|| pages.first().expect("only pages with a refused link are listed"));
            Diagnostic::error(
                origin.report_path(),
                1,
                1,
                message,
            )
            .with_help("fix the link in the content file or the theme's template")
        })
        .collect()
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
            if std::env::var_os("COMMUNIQUE_TIMINGS_RSS").is_some() {
                let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
                let pages: u64 = statm
                    .split(' ')
                    .nth(1)
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                crate::term::err(&format!(
                    "rss after {stage}: {} MB",
                    pages * 4096 / 1_000_000
                ));
            }
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
            crate::term::err(&format!("timings: {}", parts.join(", ")));
        }
    }
}
