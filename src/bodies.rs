//! Markdown bodies and what is derived from their text: what they may link to
//! ([`Linking`]), every body rendered in parallel with its problems placed in its file and
//! its `@/` anchors checked ([`render_markdown`]), and the sentences of each pledge that
//! name an entity (`mention_sentences`). It reads the model; it writes nothing.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::cache::{BuildCache, MarkdownCache, Work};
use crate::diagnostic::{Diagnostic, Severity, SourceText};
use crate::escape::escape_html;
use crate::hash::fnv1a;
use crate::markdown::mentions::{MentionMatcher, Name};
use crate::markdown::{self, RenderContext, Rendered, ThemeIds, text};
use crate::model::{Body, Origin, Site};
use crate::routes::{self, Item, SitePaths};
use crate::templates::Templates;
use crate::templates::views::RenderedBodies;

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
    pub fn new(site: &Site, templates: Option<&Templates>) -> Linking {
        let prefix = site.config.path_prefix();
        Linking {
            targets: link_targets(site),
            matcher: entity_matcher(site),
            entity_urls: (0..site.entities.len())
                .map(|e| format!("{prefix}{}", site.entity_path(e)))
                .collect(),
            theme_ids: templates.map(Templates::theme_ids).unwrap_or_default(),
        }
    }

    /// How the body of `item` is rendered: every body may link and must leave the theme's
    /// ids alone; statements' and pledges' paragraphs get anchors (they are cited), and
    /// pledges' entity mentions are linked. The full build and the preview's quick update
    /// both render through it, so a quick page equals the full build's.
    pub fn render_context(&self, item: Item, allow_html: bool) -> RenderContext<'_> {
        let kind = body_kind(item);
        RenderContext {
            link_targets: &self.targets,
            mentions: (kind == PLEDGE).then_some((&self.matcher, self.entity_urls.as_slice())),
            paragraph_anchors: kind != PLAIN,
            allow_html,
            theme_ids: &self.theme_ids,
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
/// with the name in `<mark>`: the context an entity page quotes. It reads each pledge's
/// plain text (`views::pledge_plain_texts`).
pub(crate) fn mention_sentences(
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
                    escape_html(&sentence[..mention.start]),
                    escape_html(&sentence[mention.start..mention.end]),
                    escape_html(&sentence[mention.end..])
                )
            });
        }
    }
    found
}

/// A body of the home page, a section, an entity, a source or a free page.
const PLAIN: u8 = 0;
/// A statement's body, whose paragraphs are cited.
const CITED: u8 = 1;
/// A pledge's body, cited, with its entity mentions linked.
const PLEDGE: u8 = 2;

/// What a body is rendered as ([`Linking::render_context`]), and the first half of its key
/// in the Markdown cache.
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
    let mut cache = cache;
    let previous = match cache.as_deref_mut() {
        Some(cache) => cache.take_markdown(markdown_fingerprint(site, linking)),
        None => MarkdownCache::new(),
    };
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
                    let context = linking.render_context(item, site.config.allow_html);
                    markdown::render(markdown, &context)
                }
            }
        })
        .collect();
    work.markdown_rendered = rendered_now.into_inner();
    if let Some(cache) = cache {
        // Keep exactly what this build used, so the cache never grows past the site.
        let used = items.iter().zip(&rendered).map(|(&item, rendered)| {
            let key = (body_kind(item), item.body(site).markdown.clone());
            (key, rendered.clone())
        });
        cache.keep_markdown(used.collect());
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
