//! The build, as a straight line of stages in which the site only flows forward:
//! load → link → bodies → relate → views → render → sink. Each stage is a function here that
//! calls the module doing the work (`content`, `bodies`, `model::relations`, `search`,
//! `assets`, `feeds`, `pages`, `links`); files go to an `output::Sink` as soon as they are
//! made: the `Staging` folder when `build` writes, memory for `check`, `serve` and the
//! tests. Only `cmd` and `serve` call the pipeline, and it calls neither.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use crate::Problems;
use crate::assets;
use crate::bodies::{self, Linking};
use crate::cache::{BuildCache, Work};
use crate::cards::{self, Fonts};
use crate::content;
use crate::diagnostic::{Diagnostic, sort_diagnostics};
use crate::embed;
use crate::feeds;
use crate::links;
use crate::model::relations::{self, Relations};
use crate::model::{Date, Site};
use crate::output::{self, FileOrigin, MemorySink, OutputFile, Sink};
use crate::pages::{self, PageSink};
use crate::provenance::{OfficialText, Reading, reading};
use crate::routes::{self, PageKind};
use crate::search;
use crate::templates::views::{self, RenderedBodies, ViewContext};
use crate::templates::{self, Templates};
use crate::url_scheme;

/// Options a build takes beyond the site folder.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// A preview for `serve`: static files keep their plain URLs, so a stylesheet change
    /// changes the stylesheet alone and can be swapped in without a reload, and the build
    /// hands back its [`Model`].
    pub live: bool,
    /// The day `check`'s review warnings count from (`--today`); today in UTC when absent.
    /// It only ever reaches warnings, never the output.
    pub today: Option<Date>,
}

/// A built site.
#[derive(Debug)]
pub struct Built {
    /// Every file, sorted by path, from [`build`] and [`build_with_cache`]; empty from
    /// [`build_into`], which handed them to its sink as it went.
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
    /// For a live build (`BuildOptions::live`), the model, kept to re-render single pages.
    pub model: Option<Box<Model>>,
}

/// What a live build computed, handed back whole so that `serve` can render single pages
/// again without building the site: the pipeline's own products, and nothing of `serve`.
pub struct Model {
    /// The site as loaded.
    pub site: Site,
    /// Its graph.
    pub relations: Relations,
    /// Every rendered Markdown body.
    pub bodies: RenderedBodies,
    /// Each pledge's sentences naming each entity it mentions.
    pub sentences: Vec<BTreeMap<usize, String>>,
    /// Each statement's official text, prepared for coverage comparisons.
    pub official_texts: Vec<Option<OfficialText>>,
    /// Each source's text as a reader sees it (`provenance::reading`).
    pub readings: Vec<Option<Reading>>,
    /// Each pledge's text without markup.
    pub plain_texts: Vec<String>,
    /// The theme's templates.
    pub templates: Templates,
    /// `site.assets`: each static file's URL.
    pub assets: BTreeMap<String, String>,
    /// What bodies may link to.
    pub linking: Linking,
}

impl Model {
    /// What templates and views read of the model, as the build made it.
    pub fn views(&self) -> ViewContext<'_> {
        ViewContext {
            site: &self.site,
            relations: &self.relations,
            bodies: &self.bodies,
            prefix: self.site.config.path_prefix(),
            mention_sentences: &self.sentences,
            official_texts: &self.official_texts,
            readings: &self.readings,
            plain_texts: &self.plain_texts,
            embeds: self.templates.has(routes::EMBED_TEMPLATE),
            cards: has_cards(&self.site, &self.templates),
        }
    }
}

/// Whether the site draws social cards: its theme has `card.svg`, and `site.toml` does not
/// say `cards = false`.
fn has_cards(site: &Site, templates: &Templates) -> bool {
    site.config.cards && templates.has(routes::CARD_TEMPLATE)
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("pledges", &self.site.pledges.len())
            .finish_non_exhaustive()
    }
}

/// Builds the site under `root` in memory. Content errors fail with [`Problems`].
pub fn build(root: &Path, options: &BuildOptions) -> anyhow::Result<Built> {
    build_with_cache(root, options, None)
}

/// Builds the site in memory, reusing and refreshing `cache` where one is given.
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

/// Builds the site, handing every file to `sink` as soon as it is made. With an
/// `output::Staging` for the sink, memory holds the model, not the output.
pub fn build_into(
    root: &Path,
    options: &BuildOptions,
    mut cache: Option<&mut BuildCache>,
    sink: &dyn Sink,
) -> anyhow::Result<Built> {
    let started = Instant::now();
    let mut timings = Timings::new();
    let mut work = Work::default();

    let Inputs {
        site,
        templates,
        statics,
        fonts,
        mut diagnostics,
    } = load(root, options, &mut timings)?;
    let linking = Linking::new(&site, templates.as_ref());
    let (bodies, mut problems) =
        bodies::render_markdown(&site, &linking, cache.as_deref_mut(), &mut work);
    diagnostics.append(&mut problems);
    timings.mark("markdown");
    let relations = relate(&site, &bodies, &mut diagnostics)?;
    timings.mark("relate");
    let templates = templates.expect("a missing theme is an error, and errors return above");
    let quoted = Quoted::new(&site, &linking);
    timings.mark("mention sentences");

    let views = ViewContext {
        site: &site,
        relations: &relations,
        bodies: &bodies,
        prefix: site.config.path_prefix(),
        mention_sentences: &quoted.sentences,
        official_texts: &quoted.official_texts,
        readings: &quoted.readings,
        plain_texts: &quoted.plain_texts,
        embeds: templates.has(routes::EMBED_TEMPLATE),
        cards: has_cards(&site, &templates),
    };
    let assets = assets::asset_urls(&statics, views.prefix, !options.live);
    let (card_files, mut problems) =
        cards::draw_cards(&views, &templates, &fonts, cache.as_deref_mut(), &mut work);
    diagnostics.append(&mut problems);
    timings.mark("cards");
    let mut statics = statics;
    statics.extend(card_files);
    let files = write_files(&views, &templates, statics, sink, &mut timings)?;
    let known = check_outputs(&site, &templates, &files, &mut diagnostics)?;
    timings.mark("checks");
    let page_sink = PageSink {
        sink,
        known: &known,
        prefix: views.prefix,
    };
    let model_assets = options.live.then(|| assets.clone());
    let n_pages = render(&views, &templates, assets, &page_sink, cache, &mut work)
        .and_then(|rendered| check_links(rendered, &templates, &mut diagnostics))?;
    timings.mark("pages");

    let model = model_assets.map(|assets| {
        Box::new(Model {
            site,
            relations,
            bodies,
            sentences: quoted.sentences,
            official_texts: quoted.official_texts,
            readings: quoted.readings,
            plain_texts: quoted.plain_texts,
            templates,
            assets,
            linking,
        })
    });
    timings.report();
    Ok(Built {
        files: Vec::new(),
        n_files: known.len(),
        diagnostics,
        n_pages,
        millis: started.elapsed().as_millis(),
        work,
        model,
    })
}

/// What the load stage read, with every problem found so far.
struct Inputs {
    site: Site,
    /// `None` when the theme failed to load (an error, in `diagnostics`).
    templates: Option<Templates>,
    statics: Vec<OutputFile>,
    /// The fonts the theme bundles for its social cards.
    fonts: Fonts,
    diagnostics: Vec<Diagnostic>,
}

/// Load: the content, with `options.base_url` laid over `site.toml`'s and every reference
/// checked; the templates; the static files. Problems are gathered, not returned: the
/// first stop on errors comes after the bodies are rendered, so that one run reports them
/// all.
fn load(root: &Path, options: &BuildOptions, timings: &mut Timings) -> anyhow::Result<Inputs> {
    let content::Loaded {
        mut site,
        mut diagnostics,
    } = content::load_site(root)?;
    timings.mark("load");
    if let Some(base_url) = &options.base_url {
        // `main` refuses a bad --base-url before this; a library caller gets the same check.
        if let Err(why) = url_scheme::check_base_url(base_url) {
            anyhow::bail!(
                "--base-url `{}` {why}\nhelp: {}",
                url_scheme::shown(base_url),
                url_scheme::BASE_URL_HELP
            );
        }
        site.config.base_url = base_url.clone();
    }
    diagnostics.extend(relations::validate(&site));
    diagnostics.extend(routes::reserved_slug_diagnostics(&site));
    diagnostics.extend(relations::validate_tracking(&site));
    diagnostics.extend(relations::status_warnings(
        &site,
        options.today.unwrap_or_else(Date::today_utc),
    ));
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
    let statics = match assets::static_files(root, &site.config.theme) {
        Ok(statics) => statics,
        Err(mut problems) => {
            diagnostics.append(&mut problems);
            Vec::new()
        }
    };
    let (fonts, mut problems) = cards::load_fonts(root, &site.config.theme);
    diagnostics.append(&mut problems);
    if let Some(templates) = &templates
        && has_cards(&site, templates)
        && fonts.is_empty()
    {
        let theme = &site.config.theme;
        diagnostics.push(
            Diagnostic::error(
                templates.file_of(routes::CARD_TEMPLATE),
                1,
                1,
                format!("the theme draws social cards, but themes/{theme}/fonts/ holds no font"),
            )
            .with_help(format!(
                "add a .ttf or .otf font (with its licence) to themes/{theme}/fonts/, or set `cards = false` in site.toml"
            )),
        );
    }
    timings.mark("static files");
    Ok(Inputs {
        site,
        templates,
        statics,
        fonts,
        diagnostics,
    })
}

/// Relate: the graph of the site, from what each pledge lists and what its text mentions.
/// A pledge touching so many entities that relating it would take too long stops the build
/// first; then entities nothing refers to are warned about, and the build stops on errors.
fn relate(
    site: &Site,
    bodies: &RenderedBodies,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Relations, Problems> {
    let mentions: Vec<Vec<usize>> = bodies.pledges.iter().map(|r| r.mentioned.clone()).collect();
    let limits = relations::entity_limits(site, &mentions);
    if !limits.is_empty() {
        // Relating such a pledge is quadratic in its entities: stop before it.
        diagnostics.extend(limits);
        fail_on_errors(diagnostics)?;
    }
    let relations = relations::relate(site, &mentions);
    diagnostics.extend(relations::unused_entities(site, &relations));
    fail_on_errors(diagnostics)?;
    Ok(relations)
}

/// What pages quote from texts, computed once per build and borrowed by every view.
struct Quoted {
    /// Each pledge's text without markup, for the mention sentences, the search index,
    /// coverage comparisons and citations.
    plain_texts: Vec<String>,
    /// Each pledge's first sentence naming each entity it mentions.
    sentences: Vec<BTreeMap<usize, String>>,
    /// Each statement's official text, prepared once for every coverage comparison.
    official_texts: Vec<Option<OfficialText>>,
    /// Each source's text as a reader sees it, read once for its page and the pledges
    /// citing it.
    readings: Vec<Option<Reading>>,
}

impl Quoted {
    fn new(site: &Site, linking: &Linking) -> Quoted {
        let plain_texts = views::pledge_plain_texts(site);
        Quoted {
            sentences: bodies::mention_sentences(&plain_texts, &linking.matcher),
            plain_texts,
            official_texts: (0..site.statements.len())
                .into_par_iter()
                .map(|s| pages::statement_official_text(site, s).map(OfficialText::new))
                .collect(),
            readings: site
                .sources
                .par_iter()
                .map(|source| {
                    let text = source.text.as_deref()?;
                    Some(reading::read(text, Some(&source.title), source.format))
                })
                .collect(),
        }
    }
}

/// Every file but the pages, into `sink`: the search index (when the theme has a search
/// page), the copies of the sources' texts, the oEmbed responses (when it has embed pages),
/// the static files and social cards (in `statics`), then the feeds and data.
/// They come from the model alone, so with them every output path is known before a page
/// is rendered. Returns each file's path and origin, in that order.
fn write_files(
    views: &ViewContext<'_>,
    templates: &Templates,
    statics: Vec<OutputFile>,
    sink: &dyn Sink,
    timings: &mut Timings,
) -> anyhow::Result<Vec<(String, FileOrigin)>> {
    let mut files = Vec::new();
    if templates.has(routes::page_template(PageKind::Search)) {
        files.extend(search::index(views));
    }
    timings.mark("search index");
    files.extend(assets::source_copies(views.site));
    files.extend(embed::oembed_files(views));
    files.extend(statics);
    let mut written: Vec<(String, FileOrigin)> = files
        .iter()
        .map(|file| (file.path.clone(), file.origin.clone()))
        .collect();
    files.into_par_iter().try_for_each(|file| sink.put(file))?;
    written.extend(feeds::machine_files(views, sink)?);
    timings.mark("feeds and data");
    Ok(written)
}

/// Every output path of the build, pages' and `files'`, after checking that no two files
/// share one. Pages are listed first, so a collision names a content file before a static
/// one. Stops on errors.
fn check_outputs(
    site: &Site,
    templates: &Templates,
    files: &[(String, FileOrigin)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<HashSet<String>, Problems> {
    let pages: Vec<(String, FileOrigin)> = routes::page_kinds(site, |t| templates.has(t))
        .into_iter()
        .map(|kind| {
            let path = routes::output_path(&routes::page_path(site, kind));
            (path, routes::page_origin(site, kind))
        })
        .collect();
    let outputs = pages.iter().chain(files);
    diagnostics.extend(output::collisions(
        outputs
            .clone()
            .map(|(path, origin)| (path.as_str(), origin)),
    ));
    fail_on_errors(diagnostics)?;
    Ok(outputs.map(|(path, _)| path.clone()).collect())
}

/// Render: every page through the templates, each handed to `sink` with its links checked
/// as soon as it is rendered. Fails on the first page that could not be written.
fn render(
    views: &ViewContext<'_>,
    templates: &Templates,
    assets: BTreeMap<String, String>,
    sink: &PageSink<'_>,
    cache: Option<&mut BuildCache>,
    work: &mut Work,
) -> anyhow::Result<pages::RenderedPages> {
    let mut rendered = pages::render_pages(views, templates, assets, sink, cache, work);
    match std::mem::take(&mut rendered.write_errors)
        .into_iter()
        .next()
    {
        Some(error) => Err(error),
        None => Ok(rendered),
    }
}

/// Stops on template errors, then turns the pages' links to nowhere and refused URLs into
/// errors and stops on those. Returns how many pages there are.
fn check_links(
    rendered: pages::RenderedPages,
    templates: &Templates,
    diagnostics: &mut Vec<Diagnostic>,
) -> anyhow::Result<usize> {
    diagnostics.extend(rendered.diagnostics);
    // A page that failed to render would show up again as a broken link to it.
    fail_on_errors(diagnostics)?;
    diagnostics.extend(links::missing_link_diagnostics(rendered.missing_links));
    diagnostics.extend(links::refused_link_diagnostics(
        rendered.refused_links,
        templates,
    ));
    fail_on_errors(diagnostics)?;
    Ok(rendered.n_pages)
}

/// Sorts the diagnostics and, if any is an error, fails with all of them.
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
