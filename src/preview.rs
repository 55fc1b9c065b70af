//! The preview's quick update: when an editor saves a pledge, the pages they are looking at
//! are re-rendered from the last full build's model with that one pledge replaced, in a few
//! milliseconds, before the full rebuild (seconds on a large site) catches every other page
//! up. Like Hugo's fast render mode, it is an approximation that the full rebuild always
//! follows and replaces. For an edit of a pledge's text, headline, status, reason or updates
//! the page it renders equals the full build's byte for byte (tested); a new mention is
//! linked and listed at once, while the related pledges it may bring, and every other page
//! that shows the pledge, wait for the full rebuild. An edit that changes what the pledge
//! lists, its order or its coverage quotes skips the quick update altogether.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::content;
use crate::markdown;
use crate::model::Site;
use crate::model::relations::Relations;
use crate::pages::{self, PageKind};
use crate::pipeline::{Linking, OutputFile};
use crate::provenance::OfficialText;
use crate::templates::Templates;
use crate::templates::views::{RenderedBodies, ViewContext};

/// Everything a full build computed, kept by `serve` to render single pages again.
pub struct Preview {
    pub(crate) site: Site,
    pub(crate) relations: Relations,
    pub(crate) bodies: RenderedBodies,
    pub(crate) sentences: Vec<BTreeMap<usize, String>>,
    pub(crate) official_texts: Vec<Option<OfficialText>>,
    pub(crate) plain_texts: Vec<String>,
    pub(crate) templates: Templates,
    pub(crate) assets: BTreeMap<String, String>,
    pub(crate) linking: Linking,
    /// Output path (`a/b/index.html`) to page.
    pub(crate) pages: HashMap<String, PageKind>,
    /// Content path (`content/statements/…/p.md`) to pledge.
    pub(crate) pledge_files: HashMap<String, usize>,
}

impl std::fmt::Debug for Preview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Preview")
            .field("pages", &self.pages.len())
            .finish_non_exhaustive()
    }
}

impl Preview {
    fn views(&self) -> ViewContext<'_> {
        ViewContext {
            site: &self.site,
            relations: &self.relations,
            bodies: &self.bodies,
            prefix: self.site.config.path_prefix(),
            mention_sentences: &self.sentences,
            official_texts: &self.official_texts,
            plain_texts: &self.plain_texts,
        }
    }

    /// The output path of a pledge's page.
    pub fn pledge_page(&self, pledge: usize) -> String {
        crate::pipeline::output_path(&self.site.pledge_path(pledge))
    }

    /// Reads the pledge file at `relative` (from the site root) again and puts it in place of
    /// the old one. Returns the pledge's index, or `None` when the quick update does not
    /// apply: not a known pledge, a file that does not parse or links nowhere, or a change to
    /// what it lists, its order or its coverage.
    pub fn update_pledge(&mut self, root: &Path, relative: &str) -> Option<usize> {
        let p = *self.pledge_files.get(relative)?;
        let mut pledge = content::reparse_pledge(root, relative)?;
        let old = &self.site.pledges[p];
        let values =
            |pledge: &crate::model::Pledge| -> Vec<(crate::model::EntityKind, Vec<String>)> {
                pledge
                    .listed
                    .iter()
                    .map(|(kind, names)| (*kind, names.iter().map(|n| n.value.clone()).collect()))
                    .collect()
            };
        let coverage = |pledge: &crate::model::Pledge| -> Vec<(String, String)> {
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

        let linking = &self.linking;
        let context = linking.pledge_context(self.site.config.allow_html);
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
        let entities = &mut self.relations.pledge_entities[p];
        entities.mentioned = rendered
            .mentioned
            .iter()
            .copied()
            .filter(|e| !entities.listed.contains(e) && !entities.parties.contains(e))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        self.plain_texts[p] = markdown::text::plain_text(&pledge.body.markdown);
        self.sentences[p] =
            crate::pipeline::pledge_mention_sentences(&linking.matcher, &self.plain_texts[p]);
        self.bodies.pledges[p] = rendered;
        self.site.pledges[p] = pledge;
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
                pages::render_page(&views, &self.templates, self.assets.clone(), kind).ok()
            })
            .collect()
    }
}
