//! The build pipeline, one function per stage: load, render Markdown, link, index for
//! search, make the feeds and data files, render pages (in `pages`) and check their links.
//! Every stage reads the model; files go to a `Staging` folder as soon as they are made when
//! `build` writes, and stay in memory for `check`, `serve` and the tests otherwise.

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
use crate::markdown::{
    self, RenderContext, Rendered, ThemeIds, mentions::MentionMatcher, mentions::Name, text,
};
use crate::model::relations;
use crate::model::{Body, Origin, Site};
use crate::output::Staging;
use crate::pages;
use crate::preview::Preview;
use crate::provenance;
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
    /// Every file, sorted by path; empty when the build wrote them as it went.
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
    build_into(root, options, cache, None)
}

/// Builds the site. With `staging`, every file is written there as soon as it is made and
/// not kept (`Built::files` is empty), so memory holds the model, not the output.
pub fn build_into(
    root: &Path,
    options: &BuildOptions,
    mut cache: Option<&mut BuildCache>,
    staging: Option<&Staging>,
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

    let plain_texts = templates::views::pledge_plain_texts(&site);
    let sentences = mention_sentences(&plain_texts, &linking.matcher);
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
        plain_texts: &plain_texts,
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
    if let Some(staging) = staging {
        files.par_iter().try_for_each(|file| staging.write(file))?;
        for file in &mut files {
            file.bytes = Vec::new();
        }
    }
    // Written as they are made when there is a staging folder; `bytes` is empty then.
    files.extend(feeds::machine_files(&view_context, staging)?);
    timings.mark("feeds and data");
    let kinds = pages::page_kinds(&site, &templates);
    let page_paths: Vec<String> = kinds
        .iter()
        .map(|kind| output_path(&pages::page_path(&site, *kind)))
        .collect();
    // Pages first, so a collision names the content file before a static one.
    let page_origins = pages::page_origins(&site, &kinds);
    let mut outputs: Vec<(&str, &str)> = page_paths
        .iter()
        .zip(&page_origins)
        .map(|(path, origin)| (path.as_str(), origin.as_str()))
        .collect();
    outputs.extend(files.iter().map(|f| (f.path.as_str(), f.origin.as_str())));
    diagnostics.extend(check_duplicate_outputs(&outputs));
    fail_on_errors(&mut diagnostics)?;
    let known: HashSet<String> = outputs.iter().map(|(path, _)| path.to_string()).collect();
    if staging.is_some() {
        files = Vec::new();
    }
    let n_files = known.len();
    timings.mark("checks");

    let sink = pages::PageSink {
        staging,
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
    files.extend(rendered.files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
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
            plain_texts,
            templates,
            assets,
        })
    });
    timings.report();
    Ok(Built {
        files,
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

    /// What a pledge body renders with: paragraph anchors and linked mentions. The full
    /// build and the preview's quick update both take it from here, so they render a pledge
    /// alike.
    pub fn pledge_context(&self, allow_html: bool) -> RenderContext<'_> {
        RenderContext {
            link_targets: &self.targets,
            mentions: Some((&self.matcher, &self.entity_urls)),
            paragraph_anchors: true,
            allow_html,
            theme_ids: &self.theme_ids,
        }
    }
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
fn mention_sentences(
    plain_texts: &[String],
    matcher: &MentionMatcher,
) -> Vec<BTreeMap<usize, String>> {
    plain_texts
        .par_iter()
        .map(|plain_text| pledge_mention_sentences(matcher, plain_text))
        .collect()
}

/// One pledge's sentences for [`mention_sentences`], from its plain text.
pub(crate) fn pledge_mention_sentences(
    matcher: &MentionMatcher,
    plain_text: &str,
) -> BTreeMap<usize, String> {
    let mut found = BTreeMap::new();
    for sentence in text::sentences(plain_text) {
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

/// Renders every Markdown body in parallel, and checks `@/` links and their anchors.
pub fn render_markdown(
    site: &Site,
    linking: &Linking,
    cache: Option<&mut BuildCache>,
    work: &mut Work,
) -> (RenderedBodies, Vec<Diagnostic>) {
    let Linking {
        targets,
        entity_urls,
        theme_ids,
        ..
    } = linking;
    let pledge_context = linking.pledge_context(site.config.allow_html);
    let cited = RenderContext {
        mentions: None,
        ..pledge_context
    };
    let plain = RenderContext {
        paragraph_anchors: false,
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
            .chain([&b"\x02"[..]])
            .chain(theme_ids.exact.iter().map(String::as_bytes))
            .chain([&b"\x03"[..]])
            .chain(theme_ids.numbered.iter().map(String::as_bytes))
            .chain([&b"\x04"[..]])
            .chain(theme_ids.dated.iter().map(String::as_bytes))
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
    let anchors: HashMap<String, &Rendered> = placed
        .iter()
        .map(|(origin, _, rendered)| {
            (
                origin
                    .path
                    .strip_prefix("content/")
                    .unwrap_or(&origin.path)
                    .to_string(),
                *rendered,
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
            let target = anchors.get(&link.target);
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
    (bodies, diagnostics)
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
                    pages::file_name(file)
                ),
                bytes: text.clone().into_bytes(),
                origin: file.clone(),
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
            origin,
        })
        .collect())
}

/// The largest static file copied, in bytes: a site is read into memory, so a stray video
/// or disk image is refused rather than let exhaust it.
pub const MAX_STATIC_BYTES: u64 = 100 * 1024 * 1024;

/// Items that would be written to the same file, each group listing everything involved.
fn check_duplicate_outputs(outputs: &[(&str, &str)]) -> Vec<Diagnostic> {
    let mut by_path: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (path, origin) in outputs {
        by_path.entry(path).or_default().push(origin);
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
/// generated file: a theme linking to a page that does not exist fails the build. `missing`
/// has each such link with the pages (path, origin) that have it.
fn missing_link_diagnostics(
    missing: BTreeMap<String, BTreeSet<(String, String)>>,
) -> Vec<Diagnostic> {
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

/// Every URL in the generated pages whose scheme no page may use (`url_scheme::check`),
/// such as a `javascript:` link a template writes. Content cannot bring one this far (its
/// URLs are refused where they are written), so each is placed where the template writes
/// it when a template holds it verbatim, and otherwise like a link to nowhere.
fn refused_link_diagnostics(
    refused: BTreeMap<String, (pages::RefusedUrl, BTreeSet<(String, String)>)>,
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
            let (_, origin) = pages.iter().find(|(_, origin)| !origin.starts_with("generated")).unwrap_or_else(|| pages.first().expect("only pages with a refused link are listed"));
            Diagnostic::error(
                origin.strip_prefix("generated by ").map_or_else(|| origin.to_string(), |template| format!("templates/{template}")),
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
