//! Linking the loaded site: checking every reference between items, and deriving the graph
//! that pages show (an entity's pledges, related pledges, neighbours, previous and next).
//!
//! Pure functions of the [`Site`] and the mentions found in pledge texts; no I/O.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, SourceText, did_you_mean};
use crate::model::{EntityKind, Located, Site};
use crate::quotes::QuoteIndex;

/// How a pledge touches an entity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PledgeEntities {
    /// Entities its front matter lists.
    pub listed: Vec<usize>,
    /// Its statement's parties.
    pub parties: Vec<usize>,
    /// Entities its text mentions but its front matter does not list.
    pub mentioned: Vec<usize>,
}

impl PledgeEntities {
    /// Every entity the pledge touches, once each, sorted.
    pub fn all(&self) -> BTreeSet<usize> {
        self.listed
            .iter()
            .chain(&self.parties)
            .chain(&self.mentioned)
            .copied()
            .collect()
    }

    /// The entities that make it related to other pledges: listed and mentioned, not parties.
    fn topical(&self) -> BTreeSet<usize> {
        self.listed.iter().chain(&self.mentioned).copied().collect()
    }
}

/// The derived graph of a site.
#[derive(Debug, Clone, Default)]
pub struct Relations {
    /// For each statement, its sections in order.
    pub statement_sections: Vec<Vec<usize>>,
    /// For each section, its pledges in order.
    pub section_pledges: Vec<Vec<usize>>,
    /// For each pledge, the entities it touches.
    pub pledge_entities: Vec<PledgeEntities>,
    /// For each entity, the pledges that touch it, in reading order.
    pub entity_pledges: Vec<Vec<usize>>,
    /// For each pledge, the pledges that share the most specific entities with it.
    pub related: Vec<Vec<usize>>,
    /// For each entity, other entities sharing pledges with it, with how many they share.
    pub neighbours: Vec<Vec<(usize, usize)>>,
    /// For each pledge, the previous and next pledge of its statement.
    pub previous: Vec<Option<usize>>,
    /// See `previous`.
    pub next: Vec<Option<usize>>,
    /// For each source, the (pledge, coverage index) pairs that quote it.
    pub source_quotes: Vec<Vec<(usize, usize)>>,
    /// For each source, the statements whose official text it is.
    pub source_statements: Vec<Vec<usize>>,
}

/// The most related pledges shown on a pledge page.
pub const MAX_RELATED: usize = 5;

/// Entities touching more pledges than this say too little to make pledges related.
pub const MAX_RELATEDNESS_FANOUT: usize = 2_000;

/// Checks every reference between items, returning one diagnostic per broken reference.
pub fn validate(site: &Site) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for statement in &site.statements {
        let source = SourceText::new(&statement.origin.path, &statement.origin.text);
        for party in &statement.parties {
            check_entity(site, &source, EntityKind::Country, party, &mut diagnostics);
        }
        if let Some(slug) = &statement.source {
            check_source(site, &source, slug, &mut diagnostics);
        }
    }
    // Each source text is normalised once, however many quotes cite it.
    let quote_indexes: Vec<Option<QuoteIndex<'_>>> = site
        .sources
        .iter()
        .map(|s| s.text.as_deref().map(QuoteIndex::new))
        .collect();
    let mut quotes_checked = vec![0usize; site.sources.len()];
    let mut over_budget = vec![false; site.sources.len()];
    for pledge in &site.pledges {
        let source = SourceText::new(&pledge.origin.path, &pledge.origin.text);
        for (kind, names) in &pledge.listed {
            for name in names {
                check_entity(site, &source, *kind, name, &mut diagnostics);
            }
        }
        for coverage in &pledge.coverage {
            let Some(source_index) =
                check_source(site, &source, &coverage.source, &mut diagnostics)
            else {
                continue;
            };
            let cited = &site.sources[source_index];
            let Some(index) = &quote_indexes[source_index] else {
                diagnostics.push(
                    source
                        .error_at(
                            coverage.source.span.start,
                            coverage.source.span.len(),
                            format!(
                                "source `{}` has no file, so the quote cannot be checked",
                                cited.slug
                            ),
                        )
                        .with_help(format!("add file = \"seeds/...\" to {}", cited.origin.path)),
                );
                continue;
            };
            if over_budget[source_index] {
                continue;
            }
            quotes_checked[source_index] += 1;
            if quotes_checked[source_index].saturating_mul(index.searched_bytes().max(1))
                > MAX_QUOTE_WORK
            {
                over_budget[source_index] = true;
                diagnostics.push(
                    source
                        .error_at(coverage.source.span.start, coverage.source.span.len(), format!(
                            "source `{}` is quoted more often than can be checked: more than {} quotes of its {:.1} MB text",
                            cited.slug,
                            quotes_checked[source_index] - 1,
                            index.searched_bytes() as f64 / 1e6
                        ))
                        .with_help(format!(
                            "each quote is looked for in the whole text, and the quotes of one source times its size may come to at most {} MB (say 100 quotes of a 10 MB text); split the source or cite fewer passages",
                            MAX_QUOTE_WORK / 1_000_000
                        )),
                );
                continue;
            }
            if index.find(&coverage.quote.value).is_none() {
                diagnostics.push(
                    source
                        .error_at(coverage.quote.span.start, coverage.quote.span.len(), format!(
                            "quote is not found in source `{}` ({})",
                            cited.slug,
                            cited.file.as_deref().unwrap_or("")
                        ))
                        .with_help("copy the passage exactly as the source words it; spacing and typographic quotes may differ"),
                );
            }
        }
        if pledge
            .listed
            .get(&EntityKind::Topic)
            .is_none_or(Vec::is_empty)
        {
            diagnostics.push(
                Diagnostic::warning(&pledge.origin.path, 1, 1, "pledge has no topic")
                    .with_help("add topics = [\"...\"] so readers can find it by subject"),
            );
        }
    }
    for page in &site.pages {
        if RESERVED_PAGE_SLUGS.contains(&page.slug.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    &page.origin.path,
                    1,
                    1,
                    format!(
                        "page `{}` would be written at /{}/, which the site already uses",
                        page.slug, page.slug
                    ),
                )
                .with_help("rename the file"),
            );
        }
    }
    diagnostics
}

/// Free-page slugs that would collide with generated pages.
pub const RESERVED_PAGE_SLUGS: [&str; 10] = [
    "search-index",
    "statements",
    "topics",
    "countries",
    "programs",
    "sources",
    "api",
    "static",
    "search",
    "tracker",
];

fn check_entity(
    site: &Site,
    source: &SourceText<'_>,
    kind: EntityKind,
    name: &Located<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if site.entity_index(kind, &name.value).is_some()
        || site.failed_to_load(&format!("{}/{}.md", kind.folder(), name.value))
    {
        return;
    }
    let known = site
        .entities
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.slug.as_str());
    let help = match did_you_mean(&name.value, known) {
        Some(close) => format!(
            "did you mean `{close}`? Otherwise create content/{}/{}.md",
            kind.folder(),
            name.value
        ),
        None => format!(
            "create content/{}/{}.md, or correct the slug",
            kind.folder(),
            name.value
        ),
    };
    diagnostics.push(
        source
            .error_at(
                name.span.start,
                name.span.len(),
                format!("unknown {} `{}`", kind.singular(), name.value),
            )
            .with_help(help),
    );
}

fn check_source(
    site: &Site,
    source: &SourceText<'_>,
    name: &Located<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let found = site.source_index(&name.value);
    if found.is_none() && !site.failed_to_load(&format!("sources/{}.md", name.value)) {
        let known = site.sources.iter().map(|s| s.slug.as_str());
        let help = match did_you_mean(&name.value, known) {
            Some(close) => format!(
                "did you mean `{close}`? Otherwise create content/sources/{}.md",
                name.value
            ),
            None => format!(
                "create content/sources/{}.md, or correct the slug",
                name.value
            ),
        };
        diagnostics.push(
            source
                .error_at(
                    name.span.start,
                    name.span.len(),
                    format!("unknown source `{}`", name.value),
                )
                .with_help(help),
        );
    }
    found
}

/// How many bytes the quote checks of one source may read in all: the number of quotes
/// times the size of the text. Each quote is looked for in the whole text (and again when
/// its page is drawn), so this bounds a build's time however a site is written.
pub const MAX_QUOTE_WORK: usize = 1_000_000_000;

/// Derives the graph from a validated site and the entities each pledge's text mentions.
pub fn relate(site: &Site, mentions: &[Vec<usize>]) -> Relations {
    let n_entities = site.entities.len();
    let mut statement_sections = vec![Vec::new(); site.statements.len()];
    for (section_idx, section) in site.sections.iter().enumerate() {
        statement_sections[section.statement].push(section_idx);
    }
    let mut section_pledges = vec![Vec::new(); site.sections.len()];
    for (pledge_idx, pledge) in site.pledges.iter().enumerate() {
        section_pledges[pledge.section].push(pledge_idx);
    }

    let pledge_entities: Vec<PledgeEntities> = site
        .pledges
        .iter()
        .enumerate()
        .map(|(pledge_idx, pledge)| {
            let listed: Vec<usize> = pledge
                .listed
                .iter()
                .flat_map(|(kind, names)| {
                    names
                        .iter()
                        .filter_map(|n| site.entity_index(*kind, &n.value))
                })
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let parties: Vec<usize> = site.statements[pledge.statement]
                .parties
                .iter()
                .filter_map(|p| site.entity_index(EntityKind::Country, &p.value))
                .filter(|e| !listed.contains(e))
                .collect();
            let mentioned: Vec<usize> = mentions
                .get(pledge_idx)
                .into_iter()
                .flatten()
                .copied()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .filter(|e| listed.binary_search(e).is_err() && !parties.contains(e))
                .collect();
            PledgeEntities {
                listed,
                parties,
                mentioned,
            }
        })
        .collect();

    let mut entity_pledges = vec![Vec::new(); n_entities];
    for (pledge_idx, entities) in pledge_entities.iter().enumerate() {
        for entity in entities.all() {
            entity_pledges[entity].push(pledge_idx);
        }
    }

    // For each entity, the pledges that list or mention it (parties aside), computed once.
    let topical: Vec<BTreeSet<usize>> = pledge_entities
        .iter()
        .map(PledgeEntities::topical)
        .collect();
    let mut topical_pledges = vec![Vec::new(); n_entities];
    for (pledge_idx, entities) in topical.iter().enumerate() {
        for &entity in entities {
            topical_pledges[entity].push(pledge_idx);
        }
    }
    // Scores go into a dense array per thread rather than a map per pledge: the sums are
    // the same, added in the same order, without hashing or allocating per pledge.
    let n_pledges = site.pledges.len();
    let by_score = |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    let related = topical
        .par_iter()
        .enumerate()
        .map_init(
            || (vec![0.0_f64; n_pledges], Vec::new()),
            |(scores, scored), (pledge_idx, entities)| {
                for &entity in entities {
                    let fanout = topical_pledges[entity].len();
                    if fanout > MAX_RELATEDNESS_FANOUT {
                        continue;
                    }
                    let weight = 1.0 / fanout as f64;
                    for &other in &topical_pledges[entity] {
                        if other != pledge_idx {
                            if scores[other] == 0.0 {
                                scored.push(other);
                            }
                            scores[other] += weight;
                        }
                    }
                }
                let mut ranked: Vec<(usize, f64)> = scored
                    .drain(..)
                    .map(|other| (other, std::mem::take(&mut scores[other])))
                    .collect();
                if ranked.len() > MAX_RELATED {
                    ranked.select_nth_unstable_by(MAX_RELATED, by_score);
                    ranked.truncate(MAX_RELATED);
                }
                ranked.sort_by(by_score);
                // From a slice, not `into_iter`: collecting in place would keep the whole
                // scoring buffer's capacity alive behind five entries (200 MB at 10k).
                ranked.iter().map(|&(other, _)| other).collect()
            },
        )
        .collect();

    let touched: Vec<BTreeSet<usize>> = pledge_entities.iter().map(PledgeEntities::all).collect();
    let neighbours = entity_pledges
        .par_iter()
        .enumerate()
        .map(|(entity, pledges)| {
            let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
            for &pledge in pledges {
                for &other in &touched[pledge] {
                    if other != entity {
                        *shared.entry(other).or_default() += 1;
                    }
                }
            }
            let mut ranked: Vec<(usize, usize)> = shared.into_iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            ranked
        })
        .collect();

    let mut previous = vec![None; site.pledges.len()];
    let mut next = vec![None; site.pledges.len()];
    for pledge_idx in 1..site.pledges.len() {
        if site.pledges[pledge_idx].statement == site.pledges[pledge_idx - 1].statement {
            previous[pledge_idx] = Some(pledge_idx - 1);
            next[pledge_idx - 1] = Some(pledge_idx);
        }
    }

    let mut source_quotes = vec![Vec::new(); site.sources.len()];
    for (pledge_idx, pledge) in site.pledges.iter().enumerate() {
        for (coverage_idx, coverage) in pledge.coverage.iter().enumerate() {
            if let Some(source) = site.source_index(&coverage.source.value) {
                source_quotes[source].push((pledge_idx, coverage_idx));
            }
        }
    }
    let mut source_statements = vec![Vec::new(); site.sources.len()];
    for (statement_idx, statement) in site.statements.iter().enumerate() {
        if let Some(source) = statement
            .source
            .as_ref()
            .and_then(|s| site.source_index(&s.value))
        {
            source_statements[source].push(statement_idx);
        }
    }

    Relations {
        statement_sections,
        section_pledges,
        pledge_entities,
        entity_pledges,
        related,
        neighbours,
        previous,
        next,
        source_quotes,
        source_statements,
    }
}

/// The most entities one pledge may list or name. Every page that shows a pledge shows its
/// entities, and every entity's page shows the pledge, so a pledge touching `n` entities
/// costs `n²` in the output: this keeps a site's size linear in its content.
pub const MAX_ENTITIES_PER_PLEDGE: usize = 100;

/// Errors for pledges that list, or whose text names, more than
/// [`MAX_ENTITIES_PER_PLEDGE`] entities. `mentions` are the entities each pledge's text
/// names (in any order, with repeats).
pub fn entity_limits(site: &Site, mentions: &[Vec<usize>]) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for (p, pledge) in site.pledges.iter().enumerate() {
        let source = SourceText::new(&pledge.origin.path, &pledge.origin.text);
        let listed: Vec<&Located<String>> = pledge.listed.values().flatten().collect();
        if let Some(beyond) = listed.get(MAX_ENTITIES_PER_PLEDGE) {
            diagnostics.push(
                source
                    .error_at(beyond.span.start, beyond.span.len(), format!(
                        "pledge lists {} entities; at most {MAX_ENTITIES_PER_PLEDGE} may be listed",
                        listed.len()
                    ))
                    .with_help("list only what the pledge is about: every page that shows the pledge shows each of them"),
            );
            continue;
        }
        let named: BTreeSet<usize> = mentions.get(p).into_iter().flatten().copied().collect();
        if named.len() > MAX_ENTITIES_PER_PLEDGE {
            diagnostics.push(
                source
                    .error_at(pledge.body.offset, 1, format!(
                        "pledge text names {} different entities; at most {MAX_ENTITIES_PER_PLEDGE} may be linked from one pledge",
                        named.len()
                    ))
                    .with_help("split the text into several pledges, or remove aliases that match common words"),
            );
        }
    }
    diagnostics
}

/// Warnings for entities that no pledge touches.
pub fn unused_entities(site: &Site, relations: &Relations) -> Vec<Diagnostic> {
    if !site.unparsed.is_empty() {
        // Pledges that failed to load may be the ones referring to these entities.
        return Vec::new();
    }
    site.entities
        .iter()
        .zip(&relations.entity_pledges)
        .filter(|(_, pledges)| pledges.is_empty())
        .map(|(entity, _)| {
            Diagnostic::warning(&entity.origin.path, 1, 1, format!("no pledge refers to {} `{}`", entity.kind.singular(), entity.slug))
                .with_help(format!(
                    "list it in a pledge's {} = [...], add an alias that the pledge text uses, or remove the file",
                    entity.kind.folder()
                ))
        })
        .collect()
}
