//! The preview's quick update: when an editor saves a pledge, the pages they are looking at
//! are re-rendered from the last full build's model with that one pledge replaced, in a few
//! milliseconds, before the full rebuild (seconds on a large site) catches every other page
//! up. Like Hugo's fast render mode, it is an approximation that the full rebuild always
//! follows and replaces. For an edit of a pledge's text, headline, status, reason or updates
//! the page it renders equals the full build's byte for byte (tested); a new mention is
//! linked and listed at once, while the related pledges it may bring, and every other page
//! that shows the pledge, wait for the full rebuild. An edit that changes what the pledge
//! lists, its order or its coverage quotes skips the quick update altogether.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::bodies::pledge_mention_sentences;
use crate::content;
use crate::markdown;
use crate::model::{EntityKind, Pledge};
use crate::output::OutputFile;
use crate::pages;
use crate::pipeline::Model;
use crate::routes::{self, Item, PageKind, SitePaths};
use crate::templates::views::ViewContext;

/// The last full build's model, kept by `serve` to render single pages again, with where
/// to find each page and pledge in it.
pub struct Preview {
    model: Model,
    /// Output path (`a/b/index.html`) to page.
    pages: HashMap<String, PageKind>,
    /// Content path (`content/statements/…/p.md`) to pledge.
    pledge_files: HashMap<String, usize>,
}

impl std::fmt::Debug for Preview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Preview")
            .field("pages", &self.pages.len())
            .finish_non_exhaustive()
    }
}

impl Preview {
    /// Keeps a live build's model, and indexes its pages by output path and its pledges by
    /// content file.
    pub fn new(model: Model) -> Preview {
        let site = &model.site;
        let pages = routes::page_kinds(site, |template| model.templates.has(template))
            .into_iter()
            .map(|kind| (routes::output_path(&routes::page_path(site, kind)), kind))
            .collect();
        let pledge_files = site
            .pledges
            .iter()
            .enumerate()
            .map(|(p, pledge)| (pledge.origin.path.clone(), p))
            .collect();
        Preview {
            model,
            pages,
            pledge_files,
        }
    }

    fn views(&self) -> ViewContext<'_> {
        self.model.views()
    }

    /// Whether `relative` (from the site root) is a pledge's file.
    pub fn is_pledge_file(&self, relative: &str) -> bool {
        self.pledge_files.contains_key(relative)
    }

    /// The output path of a pledge's page.
    pub fn pledge_page(&self, pledge: usize) -> String {
        routes::output_path(&self.model.site.pledge_path(pledge))
    }

    /// Reads the pledge file at `relative` (from the site root) again and puts it in place of
    /// the old one. Returns the pledge's index, or `None` when the quick update does not
    /// apply: not a known pledge, a file that does not parse or links nowhere, or a change to
    /// what it lists, its order or its coverage.
    pub fn update_pledge(&mut self, root: &Path, relative: &str) -> Option<usize> {
        let p = *self.pledge_files.get(relative)?;
        let mut pledge = content::reparse_pledge(root, relative)?;
        let model = &mut self.model;
        let old = &model.site.pledges[p];
        let values = |pledge: &Pledge| -> Vec<(EntityKind, Vec<String>)> {
            pledge
                .listed
                .iter()
                .map(|(kind, names)| (*kind, names.iter().map(|n| n.value.clone()).collect()))
                .collect()
        };
        let coverage = |pledge: &Pledge| -> Vec<(String, String)> {
            pledge
                .coverage
                .iter()
                .map(|c| (c.source.value.clone(), c.quote.value.clone()))
                .collect()
        };
        if pledge.slug != old.slug
            || pledge.weight != old.weight
            || values(&pledge) != values(old)
            || coverage(&pledge) != coverage(old)
        {
            return None;
        }
        pledge.section = old.section;
        pledge.statement = old.statement;

        let linking = &model.linking;
        let context = linking.render_context(Item::Pledge(p), model.site.config.allow_html);
        let rendered = markdown::render(&pledge.body.markdown, &context);
        let links_resolve = rendered
            .internal_links
            .iter()
            .all(|link| linking.targets.contains_key(&link.target));
        let has_errors = rendered
            .problems
            .iter()
            .any(|problem| problem.severity == crate::diagnostic::Severity::Error);
        if has_errors || !links_resolve {
            return None;
        }
        let entities = &mut model.relations.pledge_entities[p];
        entities.mentioned = rendered
            .mentioned
            .iter()
            .copied()
            .filter(|e| !entities.listed.contains(e) && !entities.parties.contains(e))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        model.plain_texts[p] = markdown::text::plain_text(&pledge.body.markdown);
        model.sentences[p] = pledge_mention_sentences(&linking.matcher, &model.plain_texts[p]);
        model.bodies.pledges[p] = rendered;
        model.site.pledges[p] = pledge;
        Some(p)
    }

    /// Renders the pages at these output paths from the current model; unknown paths and
    /// pages that fail to render are left out (the full rebuild reports them).
    pub fn render(&self, paths: &[String]) -> Vec<OutputFile> {
        let views = self.views();
        paths
            .iter()
            .filter_map(|path| self.pages.get(path))
            .filter_map(|&kind| {
                let (templates, assets) = (&self.model.templates, self.model.assets.clone());
                pages::render_page(&views, templates, assets, kind).ok()
            })
            .collect()
    }
}
