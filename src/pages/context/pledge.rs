//! A pledge's page (`pledge.html`): its text, status, place in its statement, entities,
//! neighbours, related pledges, timeline, and each coverage quote compared with its wording.

use serde::Serialize;

use crate::cite::json_ld;
use crate::embed::{Snippet, snippet};
use crate::model::EntityKind;
use crate::model::history::{self, since_in};
use crate::provenance::{self, OfficialText};
use crate::routes::{Item, SitePaths};
use crate::templates::views::{
    CorrectionView, CoverageView, EntityLinkView, LinkView, ParagraphView, PledgeCardView,
    StatementHeadView, StatusStepView, StatusView, UpdateView, ViewContext,
};

use super::cite::{CiteView, FeedView, cite, feed};
use super::source::citation_url;
use super::{Page, home_crumb, statements_crumb};

/// `page` in `pledge.html`.
#[derive(Serialize)]
pub(super) struct PledgePageView<'a> {
    title: &'a str,
    url: String,
    slug: &'a str,
    content: &'a str,
    status: StatusView,
    status_reason: Option<&'a str>,
    since: Option<StatusStepView>,
    history: Vec<StatusStepView>,
    reviewed: Option<String>,
    reviewed_display: Option<String>,
    reviewed_by: Option<&'a str>,
    corrections: Vec<CorrectionView>,
    statement: StatementHeadView,
    section: LinkView,
    position: usize,
    n_in_section: usize,
    paragraph: Option<ParagraphView>,
    /// Its paragraph number as published (`7`), for a numbered paragraph.
    number: Option<&'a str>,
    parties: Vec<EntityLinkView>,
    topics: Vec<EntityLinkView>,
    countries: Vec<EntityLinkView>,
    programs: Vec<EntityLinkView>,
    mentioned: Vec<EntityLinkView>,
    previous: Option<LinkView>,
    next: Option<LinkView>,
    related: Vec<PledgeCardView>,
    coverage: Vec<CoverageView>,
    updates: Vec<UpdateView>,
    cite: CiteView,
    feed: FeedView,
    json_ld: String,
    embed: Option<Snippet>,
}

/// A pledge with everything its page shows.
pub(super) fn pledge<'a>(views: &ViewContext<'a>, pledge: usize) -> Page<PledgePageView<'a>> {
    let site = views.site;
    let relations = views.relations;
    let item = &site.pledges[pledge];
    let entities = &relations.pledge_entities[pledge];
    let links = |entities: &[usize]| -> Vec<EntityLinkView> {
        entities.iter().map(|&e| views.entity_link(e)).collect()
    };
    let listed = |kind: EntityKind| -> Vec<EntityLinkView> {
        entities
            .listed
            .iter()
            .filter(|&&e| site.entities[e].kind == kind)
            .map(|&e| views.entity_link(e))
            .collect()
    };
    let section_pledges = &relations.section_pledges[item.section];
    let steps = history::status_history(item);
    let reviewed = item.reviewed.as_ref().map(|r| r.value);
    let view = PledgePageView {
        title: &item.title,
        url: views.url(&site.pledge_path(pledge)),
        slug: &item.slug,
        content: &views.bodies.pledges[pledge].html,
        status: item.status.into(),
        status_reason: item.status_reason.as_deref(),
        since: since_in(&steps, item.status).map(|step| views.status_step(pledge, &step)),
        history: steps
            .iter()
            .map(|step| views.status_step(pledge, step))
            .collect(),
        reviewed: reviewed.map(|d| d.to_string()),
        reviewed_display: reviewed.map(|d| d.display()),
        reviewed_by: item
            .reviewed_by
            .as_ref()
            .and_then(|by| site.config.editor(&by.value))
            .map(|editor| editor.name.as_str()),
        corrections: views.corrections(pledge),
        statement: views.statement_head(item.statement),
        section: views.section_link(item.section),
        position: section_pledges
            .iter()
            .position(|&x| x == pledge)
            .map_or(0, |i| i + 1),
        n_in_section: section_pledges.len(),
        paragraph: views.paragraph(pledge),
        number: item.number.as_deref(),
        parties: links(&entities.promised_by),
        topics: listed(EntityKind::Topic),
        countries: listed(EntityKind::Country),
        programs: listed(EntityKind::Program),
        mentioned: links(&entities.mentioned),
        previous: relations.previous[pledge].map(|x| views.pledge_link(x)),
        next: relations.next[pledge].map(|x| views.pledge_link(x)),
        related: relations.related[pledge]
            .iter()
            .map(|&x| views.pledge_card(x))
            .collect(),
        coverage: coverage(views, pledge),
        updates: (0..item.updates.len())
            .map(|update| views.update(pledge, update))
            .collect(),
        cite: cite(views, Item::Pledge(pledge)),
        feed: feed(views, Item::Pledge(pledge), &item.title),
        json_ld: json_ld::pledge(views, pledge),
        embed: views.embeds.then(|| snippet(views, pledge)),
    };
    Page {
        view,
        title: item.title.clone(),
        breadcrumbs: vec![
            home_crumb(views),
            statements_crumb(views),
            views.statement_link(item.statement),
            views.section_link(item.section),
            views.pledge_link(pledge),
        ],
    }
}

/// Each coverage quote of a pledge whose source exists, compared with the pledge's wording;
/// its additions are looked for in the statement's official text, or else in the pledge's,
/// and the names of the entities the pledge lists are never additions.
fn coverage(views: &ViewContext<'_>, pledge: usize) -> Vec<CoverageView> {
    let site = views.site;
    let item = &site.pledges[pledge];
    let wording = &views.plain_texts[pledge];
    let own_text;
    let document = match &views.official_texts[item.statement] {
        Some(document) => document,
        None if item.coverage.is_empty() => return Vec::new(),
        None => {
            own_text = OfficialText::new(wording);
            &own_text
        }
    };
    let known_names: Vec<&str> = views.relations.pledge_entities[pledge]
        .listed
        .iter()
        .flat_map(|&e| {
            let entity = &site.entities[e];
            std::iter::once(entity.title.as_str()).chain(entity.aliases.iter().map(String::as_str))
        })
        .collect();
    item.coverage
        .iter()
        .enumerate()
        .filter_map(|(c, quoted)| {
            let source = site.source_index(&quoted.source.value)?;
            let comparison =
                provenance::compare_quote(wording, &quoted.quote.value, document, &known_names);
            Some(CoverageView {
                source: views.source_link(source),
                publisher: site.sources[source].publisher.clone(),
                kind: site.sources[source].kind,
                no_url: site.sources[source].no_url.clone(),
                quote: quoted.quote.value.clone(),
                diff_html: comparison.diff_html,
                verbatim_percent: comparison.verbatim_percent,
                verbatim: comparison.verbatim_percent >= 80,
                additions: comparison.additions,
                passage_url: citation_url(views, pledge, c),
            })
        })
        .collect()
}
