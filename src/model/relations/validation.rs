//! Checking every reference between items before anything is rendered: the parties, listed
//! entities and sources a file names, that coverage quotes are found in their sources, that
//! no free page takes a generated page's slug, and that no pledge touches too many entities.
//! Each problem is a diagnostic placed where the reference is written.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, SourceText, did_you_mean};
use crate::model::{Coverage, EntityKind, Located, Site};
use crate::quotes::QuoteIndex;

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
    let mut quotes = QuoteChecks::new(site);
    for pledge in &site.pledges {
        let source = SourceText::new(&pledge.origin.path, &pledge.origin.text);
        for (kind, names) in &pledge.listed {
            for name in names {
                check_entity(site, &source, *kind, name, &mut diagnostics);
            }
        }
        for coverage in &pledge.coverage {
            quotes.check(site, &source, coverage, &mut diagnostics);
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
    diagnostics
}

/// How many bytes the quote checks of one source may read in all: the number of quotes
/// times the size of the text. Each quote is looked for in the whole text (and again when
/// its page is drawn), so this bounds a build's time however a site is written.
pub const MAX_QUOTE_WORK: usize = 1_000_000_000;

/// The check of coverage quotes against their sources' texts. Each source text is
/// normalised once, however many quotes cite it, and the quotes of one source are checked
/// until they have cost [`MAX_QUOTE_WORK`].
struct QuoteChecks<'a> {
    /// Each source's text, normalised; `None` for a source without a file.
    indexes: Vec<Option<QuoteIndex<'a>>>,
    /// How many quotes of each source have been looked for.
    checked: Vec<usize>,
    /// The sources whose quotes are no longer looked for.
    over_budget: Vec<bool>,
}

impl<'a> QuoteChecks<'a> {
    fn new(site: &'a Site) -> Self {
        QuoteChecks {
            indexes: site
                .sources
                .iter()
                .map(|s| s.text.as_deref().map(QuoteIndex::new))
                .collect(),
            checked: vec![0; site.sources.len()],
            over_budget: vec![false; site.sources.len()],
        }
    }

    /// Checks that `coverage` names a source with a file, and that its quote is found there.
    fn check(
        &mut self,
        site: &Site,
        source: &SourceText<'_>,
        coverage: &Coverage,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let Some(source_index) = check_source(site, source, &coverage.source, diagnostics) else {
            return;
        };
        let cited = &site.sources[source_index];
        let Some(index) = &self.indexes[source_index] else {
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
            return;
        };
        if self.over_budget[source_index] {
            return;
        }
        self.checked[source_index] += 1;
        if self.checked[source_index].saturating_mul(index.searched_bytes().max(1)) > MAX_QUOTE_WORK
        {
            self.over_budget[source_index] = true;
            diagnostics.push(
                source
                    .error_at(coverage.source.span.start, coverage.source.span.len(), format!(
                        "source `{}` is quoted more often than can be checked: more than {} quotes of its {:.1} MB text",
                        cited.slug,
                        self.checked[source_index] - 1,
                        index.searched_bytes() as f64 / 1e6
                    ))
                    .with_help(format!(
                        "each quote is looked for in the whole text, and the quotes of one source times its size may come to at most {} MB (say 100 quotes of a 10 MB text); split the source or cite fewer passages",
                        MAX_QUOTE_WORK / 1_000_000
                    )),
            );
            return;
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
}

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
    diagnostics.push(unknown(source, name, kind.singular(), kind.folder(), known));
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
        diagnostics.push(unknown(source, name, "source", "sources", known));
    }
    found
}

/// ``unknown <what> `<slug>` ``, at the slug, with the closest known slug or the file to
/// create under `content/<folder>/`.
fn unknown<'a>(
    source: &SourceText<'_>,
    name: &Located<String>,
    what: &str,
    folder: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let slug = &name.value;
    let help = match did_you_mean(slug, known) {
        Some(close) => {
            format!("did you mean `{close}`? Otherwise create content/{folder}/{slug}.md")
        }
        None => format!("create content/{folder}/{slug}.md, or correct the slug"),
    };
    source
        .error_at(
            name.span.start,
            name.span.len(),
            format!("unknown {what} `{slug}`"),
        )
        .with_help(help)
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
