//! The build pipeline, one function per stage: load, render Markdown, link, index for
//! search, make the feeds and data files, render pages (in `pages`) and check their links.
//! Every stage reads the model; files go to an `output::Sink` as soon as they are made: the
//! `Staging` folder when `build` writes, memory for `check`, `serve` and the tests.

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use crate::Problems;
use crate::assets::{asset_urls, source_copies, static_files};
use crate::bodies::{Linking, mention_sentences, render_markdown};
use crate::cache::{BuildCache, Work};
use crate::content::{self, Loaded};
use crate::diagnostic::{Diagnostic, sort_diagnostics};
use crate::feeds;
use crate::links::{missing_link_diagnostics, refused_link_diagnostics};
use crate::model::relations;
use crate::output::{self, FileOrigin, MemorySink, OutputFile, Sink};
use crate::pages;
use crate::preview::Preview;
use crate::provenance;
use crate::routes;
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
