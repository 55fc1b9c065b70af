//! The template-facing forms of the site (`*View`): small, owned, serialisable structs built
//! per page from the model, so no template ever receives the whole site.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::markdown::{Rendered, text};
use crate::model::history;
use crate::model::relations::Relations;
use crate::model::{Date, EntityKind, Site, SourceKind, Status};
use crate::routes::{PageKind, SitePaths};

mod standing;

pub use standing::{CorrectionView, ParagraphView, StatusStepView};

/// A titled link.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    /// The link text.
    pub title: String,
    /// The URL, with the site's path prefix.
    pub url: String,
}

/// A status with its label and meaning, for badges and the legend.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    /// `in-progress`, for CSS classes.
    pub slug: &'static str,
    /// `In progress`.
    pub label: &'static str,
    /// What it means.
    pub meaning: &'static str,
}

impl From<Status> for StatusView {
    fn from(status: Status) -> Self {
        StatusView {
            slug: status.slug(),
            label: status.label(),
            meaning: status.meaning(),
        }
    }
}

/// A link to an entity.
#[derive(Debug, Clone, Serialize)]
pub struct EntityLinkView {
    /// Its name.
    pub title: String,
    /// Its page.
    pub url: String,
    /// `topic`, `country` or `program`.
    pub kind: &'static str,
    /// Its slug.
    pub slug: String,
    /// One sentence about it.
    pub summary: Option<String>,
}

/// A pledge in a list.
#[derive(Debug, Clone, Serialize)]
pub struct PledgeCardView {
    /// The headline.
    pub title: String,
    /// Its page.
    pub url: String,
    /// Its status.
    pub status: StatusView,
    /// The statement's title.
    pub statement: String,
    /// The section's title.
    pub section: String,
    /// On an entity's page: the sentence of the pledge that names the entity, as HTML with
    /// the name in `<mark>`.
    pub mention: Option<String>,
    /// Since when it has had its status (`2025-07-16` or `2025-08`), from its updates.
    pub since: Option<String>,
    /// `16 July 2025` or `August 2025`.
    pub since_display: Option<String>,
    /// When the editors last reviewed it.
    pub reviewed: Option<String>,
    /// `31 May 2026`.
    pub reviewed_display: Option<String>,
}

/// A statement's title, page, date and place: what a pledge page shows of its statement,
/// and the head of the statement's card.
#[derive(Debug, Clone, Serialize)]
pub struct StatementHeadView {
    /// Its title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// `2025-04-18`.
    pub date: String,
    /// `18 April 2025`.
    pub date_display: String,
    /// Where it was issued.
    pub place: Option<String>,
}

/// A statement in a list.
#[derive(Debug, Clone, Serialize)]
pub struct StatementCardView {
    /// Its title, page, date and place, serialised as the card's own fields.
    #[serde(flatten)]
    pub head: StatementHeadView,
    /// Its parties.
    pub parties: Vec<EntityLinkView>,
    /// How many pledges it has.
    pub n_pledges: usize,
}

/// A dated tracker update.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateView {
    /// `2025-06-25`.
    pub date: String,
    /// `25 June 2025`.
    pub date_display: String,
    /// The status after it.
    pub status: Option<StatusView>,
    /// What happened.
    pub summary: String,
    /// The page reporting it.
    pub url: String,
    /// That page's title.
    pub title: Option<String>,
    /// A caveat, where the event is less certain.
    pub note: Option<String>,
    /// Its stable anchor on the pledge page.
    pub anchor: String,
}

/// A coverage quote on a pledge page.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageView {
    /// The source's page.
    pub source: LinkView,
    /// Its publisher.
    pub publisher: Option<String>,
    /// `official` or `coverage`.
    pub kind: SourceKind,
    /// Why the source has no link, where it has none.
    pub no_url: Option<String>,
    /// The passage.
    pub quote: String,
    /// The quote set against the official wording: `<del>` for official words it dropped,
    /// `<ins>` for words of its own.
    pub diff_html: String,
    /// The share of its words that are the official wording's, in percent.
    pub verbatim_percent: u32,
    /// Whether it quotes the statement (80% or more of its words) rather than paraphrasing.
    pub verbatim: bool,
    /// Figures and names it states that the official text never does.
    pub additions: Vec<String>,
    /// Where the passage is marked on the source's page (`…/#cite-…`), if it is found in
    /// the source's reading view.
    pub passage_url: Option<String>,
}

/// A section and its pledges, inside a statement or entity page.
#[derive(Debug, Clone, Serialize)]
pub struct SectionBlockView {
    /// The section's title and page, serialised as the block's own `title` and `url`.
    #[serde(flatten)]
    pub section: LinkView,
    /// Its pledges (on an entity page, only those touching the entity).
    pub pledges: Vec<PledgeCardView>,
}

/// A statement and its sections, on an entity page.
#[derive(Debug, Clone, Serialize)]
pub struct StatementGroupView {
    /// The statement's title and page, serialised as the group's own `title` and `url`.
    #[serde(flatten)]
    pub statement: LinkView,
    /// Its sections that have pledges touching the entity.
    pub sections: Vec<SectionBlockView>,
}

/// An entity sharing pledges with another.
#[derive(Debug, Clone, Serialize)]
pub struct NeighbourView {
    /// The entity.
    pub entity: EntityLinkView,
    /// How many pledges they share.
    pub shared: usize,
}

/// An entity in its kind's index.
#[derive(Debug, Clone, Serialize)]
pub struct EntityCardView {
    /// Its name.
    pub title: String,
    /// Its page.
    pub url: String,
    /// One sentence about it.
    pub summary: Option<String>,
    /// How many pledges touch it.
    pub n_pledges: usize,
}

/// A source in the index.
#[derive(Debug, Clone, Serialize)]
pub struct SourceCardView {
    /// Its title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// Its publisher.
    pub publisher: Option<String>,
    /// `18 April 2025`.
    pub date_display: Option<String>,
    /// `official` or `coverage`.
    pub kind: SourceKind,
    /// Why it has no link, where it has none.
    pub no_url: Option<String>,
}

/// A quote of a source by a pledge, on the source page.
#[derive(Debug, Clone, Serialize)]
pub struct QuoteView {
    /// The pledge quoting it.
    pub pledge: LinkView,
    /// The passage.
    pub quote: String,
    /// `#cite-…`, the passage's anchor in the source's reading view, if it is found there.
    pub anchor: Option<String>,
}

/// A kind of entity with its count, for the home page.
#[derive(Debug, Clone, Serialize)]
pub struct KindCountView {
    /// `Topics`.
    pub title: &'static str,
    /// `/topics/`.
    pub url: String,
    /// How many entities of that kind.
    pub count: usize,
}

/// A status with how many pledges have it.
#[derive(Debug, Clone, Serialize)]
pub struct StatusCountView {
    /// The status.
    pub status: StatusView,
    /// How many pledges have it.
    pub count: usize,
    /// Its share of the pledges counted, in whole percent.
    pub percent: usize,
}

/// The rendered Markdown bodies of every item, indexed like the model's vectors.
#[derive(Debug, Default)]
pub struct RenderedBodies {
    /// The home page.
    pub home: Rendered,
    /// Per statement.
    pub statements: Vec<Rendered>,
    /// Per section.
    pub sections: Vec<Rendered>,
    /// Per pledge.
    pub pledges: Vec<Rendered>,
    /// Per entity.
    pub entities: Vec<Rendered>,
    /// Per source.
    pub sources: Vec<Rendered>,
    /// Per free page.
    pub pages: Vec<Rendered>,
}

/// What view builders read: the site, its graph, its rendered bodies.
pub struct ViewContext<'a> {
    /// The site.
    pub site: &'a Site,
    /// Its graph.
    pub relations: &'a Relations,
    /// Its rendered bodies.
    pub bodies: &'a RenderedBodies,
    /// The path prefix of every URL (`""` at a domain's root).
    pub prefix: &'a str,
    /// For each pledge, the sentence naming each entity its text mentions, as HTML.
    pub mention_sentences: &'a [BTreeMap<usize, String>],
    /// For each statement, its official text prepared for provenance, if it has one.
    pub official_texts: &'a [Option<crate::provenance::OfficialText>],
    /// For each source with a text, that text as a reader sees it: headings and numbered
    /// paragraphs (`provenance::reading`).
    pub readings: &'a [Option<crate::provenance::Reading>],
    /// For each pledge, its text without markup (`pledge_plain_texts`): made once per build
    /// for the mention sentences, the search index, coverage comparisons and citations.
    pub plain_texts: &'a [String],
    /// Whether pledges have embed pages (the theme has `embed.html`).
    pub embeds: bool,
    /// Whether pledges, statements and entities have social cards (drawn by the cards stage).
    pub cards: bool,
}

/// Each pledge's text without markup (`markdown::text::plain_text`), in parallel: what
/// [`ViewContext::plain_texts`] borrows.
pub fn pledge_plain_texts(site: &Site) -> Vec<String> {
    site.pledges
        .par_iter()
        .map(|pledge| text::plain_text(&pledge.body.markdown))
        .collect()
}

fn date_strings(date: Date) -> (String, String) {
    (date.to_string(), date.display())
}

impl ViewContext<'_> {
    /// Prefixes a site path such as `/topics/` for use in a link.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }

    /// The link to a page, from the one place that defines page addresses.
    pub fn page_url(&self, kind: PageKind) -> String {
        self.url(&crate::routes::page_path(self.site, kind))
    }

    /// A link to an entity.
    pub fn entity_link(&self, entity: usize) -> EntityLinkView {
        let item = &self.site.entities[entity];
        EntityLinkView {
            title: item.title.clone(),
            url: self.url(&self.site.entity_path(entity)),
            kind: item.kind.singular(),
            slug: item.slug.clone(),
            summary: item.summary.clone(),
        }
    }

    /// A pledge in a list.
    pub fn pledge_card(&self, pledge: usize) -> PledgeCardView {
        let item = &self.site.pledges[pledge];
        let since = history::status_since(item).map(|step| step.date);
        let reviewed = item.reviewed.as_ref().map(|r| r.value);
        PledgeCardView {
            title: item.title.clone(),
            url: self.url(&self.site.pledge_path(pledge)),
            status: item.status.into(),
            statement: self.site.statements[item.statement].title.clone(),
            section: self.site.sections[item.section].title.clone(),
            mention: None,
            since: since.map(|d| d.to_string()),
            since_display: since.map(|d| d.display()),
            reviewed: reviewed.map(|d| d.to_string()),
            reviewed_display: reviewed.map(|d| d.display()),
        }
    }

    /// A statement in a list.
    pub fn statement_card(&self, statement: usize) -> StatementCardView {
        StatementCardView {
            head: self.statement_head(statement),
            parties: self.parties(statement),
            n_pledges: self.relations.statement_sections[statement]
                .iter()
                .map(|&s| self.relations.section_pledges[s].len())
                .sum(),
        }
    }

    /// A statement's title, page, date and place.
    pub fn statement_head(&self, statement: usize) -> StatementHeadView {
        let item = &self.site.statements[statement];
        let (date, date_display) = date_strings(item.date);
        StatementHeadView {
            title: item.title.clone(),
            url: self.url(&self.site.statement_path(statement)),
            date,
            date_display,
            place: item.place.clone(),
        }
    }

    /// The parties of a statement that exist as countries.
    pub fn parties(&self, statement: usize) -> Vec<EntityLinkView> {
        self.site.statements[statement]
            .parties
            .iter()
            .filter_map(|p| self.site.entity_index(EntityKind::Country, &p.value))
            .map(|e| self.entity_link(e))
            .collect()
    }

    /// A link to a statement.
    pub fn statement_link(&self, statement: usize) -> LinkView {
        LinkView {
            title: self.site.statements[statement].title.clone(),
            url: self.url(&self.site.statement_path(statement)),
        }
    }

    /// A link to a section.
    pub fn section_link(&self, section: usize) -> LinkView {
        LinkView {
            title: self.site.sections[section].title.clone(),
            url: self.url(&self.site.section_path(section)),
        }
    }

    /// A link to a pledge.
    pub fn pledge_link(&self, pledge: usize) -> LinkView {
        LinkView {
            title: self.site.pledges[pledge].title.clone(),
            url: self.url(&self.site.pledge_path(pledge)),
        }
    }

    /// A link to a source.
    pub fn source_link(&self, source: usize) -> LinkView {
        LinkView {
            title: self.site.sources[source].title.clone(),
            url: self.url(&self.site.source_path(source)),
        }
    }

    /// A section with all its pledges.
    pub fn section_block(&self, section: usize) -> SectionBlockView {
        SectionBlockView {
            section: self.section_link(section),
            pledges: self.relations.section_pledges[section]
                .iter()
                .map(|&p| self.pledge_card(p))
                .collect(),
        }
    }

    /// Counts of pledges by status, over the given pledges.
    pub fn status_counts(&self, pledges: impl Iterator<Item = usize>) -> Vec<StatusCountView> {
        let mut counts = [0usize; 5];
        for pledge in pledges {
            let status = self.site.pledges[pledge].status;
            counts[Status::ALL
                .iter()
                .position(|s| *s == status)
                .expect("ALL lists every status")] += 1;
        }
        let total: usize = counts.iter().sum();
        Status::ALL
            .iter()
            .zip(counts)
            .map(|(status, count)| StatusCountView {
                status: (*status).into(),
                count,
                percent: (count * 100).checked_div(total).unwrap_or(0),
            })
            .collect()
    }

    /// An update in a pledge's timeline.
    pub fn update(&self, pledge: usize, update: usize) -> UpdateView {
        let item = &self.site.pledges[pledge].updates[update];
        let (date, date_display) = date_strings(item.date);
        UpdateView {
            date,
            date_display,
            status: item.status.map(Into::into),
            summary: item.summary.clone(),
            url: item.url.clone(),
            title: item.title.clone(),
            note: item.note.clone(),
            anchor: item.anchor(),
        }
    }

    /// The pledges touching an entity, grouped by statement and section.
    pub fn entity_groups(&self, entity: usize) -> Vec<StatementGroupView> {
        // The entity's pledges are in reading order, which is statement order, then section
        // order: one pass groups them. (Filtering every section by membership was quadratic:
        // an eighth of a 50,000-pledge build.)
        let mut groups: Vec<StatementGroupView> = Vec::new();
        let mut current: Option<(usize, usize)> = None;
        for &pledge in &self.relations.entity_pledges[entity] {
            let item = &self.site.pledges[pledge];
            if current.map(|(statement, _)| statement) != Some(item.statement) {
                groups.push(StatementGroupView {
                    statement: self.statement_link(item.statement),
                    sections: Vec::new(),
                });
            }
            let group = groups
                .last_mut()
                .expect("a group was pushed for this statement");
            if current != Some((item.statement, item.section)) {
                group.sections.push(SectionBlockView {
                    section: self.section_link(item.section),
                    pledges: Vec::new(),
                });
            }
            current = Some((item.statement, item.section));
            let mut card = self.pledge_card(pledge);
            card.mention = self.mention_sentences[pledge].get(&entity).cloned();
            group
                .sections
                .last_mut()
                .expect("a block was pushed for this section")
                .pledges
                .push(card);
        }
        groups
    }
}
