//! Linking the loaded site: checking every reference between items (`validation`, before
//! Markdown is rendered), and deriving the graph that pages show (an entity's pledges,
//! related pledges, neighbours, previous and next), once the mentions in pledge texts are
//! known.
//!
//! Pure functions of the [`Site`] and the mentions found in pledge texts; no I/O.

mod tracking;
mod validation;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::model::{EntityKind, Site};

pub use tracking::{status_warnings, validate_tracking};
pub use validation::{MAX_ENTITIES_PER_PLEDGE, MAX_QUOTE_WORK, entity_limits, validate};

/// How a pledge touches an entity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PledgeEntities {
    /// Entities its front matter lists.
    pub listed: Vec<usize>,
    /// The parties that made it (its own `parties`, or else its statement's) that it does
    /// not list.
    pub parties: Vec<usize>,
    /// Every party that made it, listed or not: who "promised" it.
    pub promised_by: Vec<usize>,
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

/// Derives the graph from a validated site and the entities each pledge's text mentions.
pub fn relate(site: &Site, mentions: &[Vec<usize>]) -> Relations {
    let pledge_entities = pledge_entities(site, mentions);
    let entity_pledges = entity_pledges(site.entities.len(), &pledge_entities);
    let (previous, next) = previous_and_next(site);
    Relations {
        statement_sections: children(
            site.statements.len(),
            site.sections.iter().map(|section| section.statement),
        ),
        section_pledges: children(
            site.sections.len(),
            site.pledges.iter().map(|pledge| pledge.section),
        ),
        related: related_pledges(site.entities.len(), &pledge_entities),
        neighbours: neighbours(&pledge_entities, &entity_pledges),
        source_quotes: source_quotes(site),
        source_statements: source_statements(site),
        pledge_entities,
        entity_pledges,
        previous,
        next,
    }
}

/// For each of `n_parents` parents, the indices of its children in order, given each
/// child's parent.
fn children(n_parents: usize, parents: impl Iterator<Item = usize>) -> Vec<Vec<usize>> {
    let mut children = vec![Vec::new(); n_parents];
    for (child_idx, parent) in parents.enumerate() {
        children[parent].push(child_idx);
    }
    children
}

/// For each pledge, the entities it lists, the parties that made it (its own, or else its
/// statement's) that it does not list, and the entities its text mentions that are neither.
fn pledge_entities(site: &Site, mentions: &[Vec<usize>]) -> Vec<PledgeEntities> {
    site.pledges
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
            let promised_by: Vec<usize> = pledge
                .parties
                .as_ref()
                .unwrap_or(&site.statements[pledge.statement].parties)
                .iter()
                .filter_map(|p| site.entity_index(EntityKind::Country, &p.value))
                .collect();
            let parties: Vec<usize> = promised_by
                .iter()
                .copied()
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
                promised_by,
                mentioned,
            }
        })
        .collect()
}

/// For each entity, the pledges that touch it, in reading order.
fn entity_pledges(n_entities: usize, pledge_entities: &[PledgeEntities]) -> Vec<Vec<usize>> {
    let mut entity_pledges = vec![Vec::new(); n_entities];
    for (pledge_idx, entities) in pledge_entities.iter().enumerate() {
        for entity in entities.all() {
            entity_pledges[entity].push(pledge_idx);
        }
    }
    entity_pledges
}

/// For each pledge, the [`MAX_RELATED`] pledges that share the most specific entities with
/// it: each shared entity adds one over the number of pledges it touches, and entities
/// touching more than [`MAX_RELATEDNESS_FANOUT`] add nothing.
fn related_pledges(n_entities: usize, pledge_entities: &[PledgeEntities]) -> Vec<Vec<usize>> {
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
    let n_pledges = pledge_entities.len();
    let by_score = |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    topical
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
        .collect()
}

/// For each entity, the other entities that share pledges with it, with how many, most
/// first.
fn neighbours(
    pledge_entities: &[PledgeEntities],
    entity_pledges: &[Vec<usize>],
) -> Vec<Vec<(usize, usize)>> {
    let touched: Vec<BTreeSet<usize>> = pledge_entities.iter().map(PledgeEntities::all).collect();
    entity_pledges
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
        .collect()
}

/// For each pledge, the pledges before and after it in its statement.
fn previous_and_next(site: &Site) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut previous = vec![None; site.pledges.len()];
    let mut next = vec![None; site.pledges.len()];
    for pledge_idx in 1..site.pledges.len() {
        if site.pledges[pledge_idx].statement == site.pledges[pledge_idx - 1].statement {
            previous[pledge_idx] = Some(pledge_idx - 1);
            next[pledge_idx - 1] = Some(pledge_idx);
        }
    }
    (previous, next)
}

/// For each source, the (pledge, coverage index) pairs that quote it.
fn source_quotes(site: &Site) -> Vec<Vec<(usize, usize)>> {
    let mut source_quotes = vec![Vec::new(); site.sources.len()];
    for (pledge_idx, pledge) in site.pledges.iter().enumerate() {
        for (coverage_idx, coverage) in pledge.coverage.iter().enumerate() {
            if let Some(source) = site.source_index(&coverage.source.value) {
                source_quotes[source].push((pledge_idx, coverage_idx));
            }
        }
    }
    source_quotes
}

/// For each source, the statements whose official text it is.
fn source_statements(site: &Site) -> Vec<Vec<usize>> {
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
    source_statements
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
