//! The site's data as JSON under `/api/`: every pledge (`pledges.json`), and every entity and
//! source (`entities.json`), from typed structs whose fields are in alphabetical order.

use std::io::Write;

use serde::Serialize;

use crate::model::Correction;
use crate::model::history;
use crate::routes::SitePaths;
use crate::templates::views::ViewContext;

/// The content's licence, as every JSON file states it.
#[derive(Serialize)]
struct LicenseJson<'a> {
    name: &'a str,
    url: Option<&'a str>,
}

fn license<'a>(views: &ViewContext<'a>) -> Option<LicenseJson<'a>> {
    let config = &views.site.config;
    config.license.as_deref().map(|name| LicenseJson {
        name,
        url: config.license_url.as_ref().map(|u| u.get_ref().as_str()),
    })
}

#[derive(Serialize)]
struct StepJson {
    date: String,
    status: &'static str,
    update: String,
}

#[derive(Serialize)]
struct CorrectionJson<'a> {
    anchor: String,
    date: String,
    summary: &'a str,
    url: String,
}

#[derive(Serialize)]
struct EntityRef<'a> {
    kind: &'static str,
    slug: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct UpdateJson<'a> {
    date: String,
    note: Option<&'a str>,
    status: Option<&'static str>,
    summary: &'a str,
    title: Option<&'a str>,
    url: &'a str,
}

#[derive(Serialize)]
struct CoverageJson<'a> {
    quote: &'a str,
    source: &'a str,
}

/// Where a pledge is in its statement's official text.
#[derive(Serialize)]
struct ParagraphJson {
    number: usize,
    url: String,
}

#[derive(Serialize)]
struct PledgeJson<'a> {
    corrections: Vec<CorrectionJson<'a>>,
    coverage: Vec<CoverageJson<'a>>,
    history: Vec<StepJson>,
    id: String,
    listed: Vec<EntityRef<'a>>,
    mentioned: Vec<EntityRef<'a>>,
    paragraph: Option<ParagraphJson>,
    parties: Vec<&'a str>,
    related: Vec<String>,
    reviewed: Option<String>,
    reviewed_by: Option<&'a str>,
    section: &'a str,
    section_title: &'a str,
    statement: &'a str,
    statement_date: String,
    statement_title: &'a str,
    status: &'static str,
    status_reason: Option<&'a str>,
    status_since: Option<String>,
    text: &'a str,
    title: &'a str,
    updates: Vec<UpdateJson<'a>>,
    url: String,
    weight: i64,
}

fn entity_ref<'a>(views: &ViewContext<'a>, entity: usize) -> EntityRef<'a> {
    let item = &views.site.entities[entity];
    EntityRef {
        kind: item.kind.singular(),
        slug: &item.slug,
        title: &item.title,
    }
}

fn pledge_id(views: &ViewContext<'_>, pledge: usize) -> String {
    let item = &views.site.pledges[pledge];
    format!(
        "{}/{}/{}",
        views.site.statements[item.statement].slug,
        views.site.sections[item.section].slug,
        item.slug
    )
}

/// Every pledge with its text, status, entities, timeline and coverage.
pub(super) fn pledges_json(views: &ViewContext<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let site = views.site;
    let relations = views.relations;
    let pledges: Vec<PledgeJson<'_>> = site
        .pledges
        .iter()
        .enumerate()
        .map(|(i, pledge)| {
            let statement = &site.statements[pledge.statement];
            let section = &site.sections[pledge.section];
            let entities = &relations.pledge_entities[i];
            let url = format!("{}{}", site.config.base_url(), site.pledge_path(i));
            let steps = history::status_history(pledge);
            PledgeJson {
                id: pledge_id(views, i),
                title: &pledge.title,
                statement: &statement.slug,
                statement_title: &statement.title,
                statement_date: statement.date.to_string(),
                section: &section.slug,
                section_title: &section.title,
                weight: pledge.weight,
                text: pledge.body.markdown.trim(),
                status: pledge.status.slug(),
                status_reason: pledge.status_reason.as_deref(),
                paragraph: views
                    .paragraph_number(i)
                    .map(|(source, number)| ParagraphJson {
                        number,
                        url: format!(
                            "{}{}#{}",
                            site.config.base_url(),
                            site.source_path(source),
                            views.readings[source].as_ref().map_or_else(
                                || format!("para-{number}"),
                                |r| r.anchor(number).to_string()
                            )
                        ),
                    }),
                status_since: history::since_in(&steps, pledge.status)
                    .map(|step| step.date.to_string()),
                history: steps
                    .iter()
                    .map(|step| StepJson {
                        date: step.date.to_string(),
                        status: step.status.slug(),
                        update: pledge.updates[step.update].anchor(),
                    })
                    .collect(),
                reviewed: pledge.reviewed.as_ref().map(|r| r.value.to_string()),
                reviewed_by: pledge.reviewed_by.as_ref().map(|r| r.value.as_str()),
                corrections: (0..pledge.corrections.len())
                    .map(|c| {
                        let anchor = Correction::anchor(&pledge.corrections, c);
                        CorrectionJson {
                            url: format!("{url}#{anchor}"),
                            anchor,
                            date: pledge.corrections[c].date.to_string(),
                            summary: &pledge.corrections[c].summary,
                        }
                    })
                    .collect(),
                url,
                parties: entities
                    .promised_by
                    .iter()
                    .map(|&e| site.entities[e].slug.as_str())
                    .collect(),
                listed: entities
                    .listed
                    .iter()
                    .map(|&e| entity_ref(views, e))
                    .collect(),
                mentioned: entities
                    .mentioned
                    .iter()
                    .map(|&e| entity_ref(views, e))
                    .collect(),
                related: relations.related[i]
                    .iter()
                    .map(|&r| pledge_id(views, r))
                    .collect(),
                updates: pledge
                    .updates
                    .iter()
                    .map(|u| UpdateJson {
                        date: u.date.to_string(),
                        status: u.status.map(|s| s.slug()),
                        summary: &u.summary,
                        url: &u.url,
                        title: u.title.as_deref(),
                        note: u.note.as_deref(),
                    })
                    .collect(),
                coverage: pledge
                    .coverage
                    .iter()
                    .map(|c| CoverageJson {
                        source: &c.source.value,
                        quote: &c.quote.value,
                    })
                    .collect(),
            }
        })
        .collect();
    #[derive(Serialize)]
    struct File<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        license: Option<LicenseJson<'a>>,
        pledges: &'a [PledgeJson<'a>],
    }
    write_json(
        out,
        &File {
            license: license(views),
            pledges: &pledges,
        },
    )
}

/// Writes `value` as indented JSON and a final newline. Every struct serialised here lists
/// its fields in alphabetical order, so the published keys are sorted.
fn write_json(out: &mut dyn Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct EntityJson<'a> {
    aliases: &'a [String],
    iso: Option<&'a str>,
    kind: &'static str,
    neighbours: Vec<NeighbourJson<'a>>,
    official_url: Option<&'a str>,
    pledges: Vec<String>,
    slug: &'a str,
    summary: Option<&'a str>,
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct NeighbourJson<'a> {
    kind: &'static str,
    shared: usize,
    slug: &'a str,
}

#[derive(Serialize)]
struct SourceJson<'a> {
    date: Option<String>,
    kind: crate::model::SourceKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    no_url: Option<&'a str>,
    publisher: Option<&'a str>,
    slug: &'a str,
    title: &'a str,
    url: Option<&'a str>,
}

/// Every entity with its pledges and neighbours, and every source.
pub(super) fn entities_json(views: &ViewContext<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let site = views.site;
    let relations = views.relations;
    let entities: Vec<EntityJson<'_>> = site
        .entities
        .iter()
        .enumerate()
        .map(|(i, entity)| EntityJson {
            kind: entity.kind.singular(),
            slug: &entity.slug,
            title: &entity.title,
            aliases: &entity.aliases,
            summary: entity.summary.as_deref(),
            url: format!("{}{}", site.config.base_url(), site.entity_path(i)),
            official_url: entity.url.as_deref(),
            iso: entity.iso.as_deref(),
            pledges: relations.entity_pledges[i]
                .iter()
                .map(|&p| pledge_id(views, p))
                .collect(),
            neighbours: relations.neighbours[i]
                .iter()
                .map(|&(other, shared)| NeighbourJson {
                    kind: site.entities[other].kind.singular(),
                    slug: &site.entities[other].slug,
                    shared,
                })
                .collect(),
        })
        .collect();
    let sources: Vec<SourceJson<'_>> = site
        .sources
        .iter()
        .map(|s| SourceJson {
            slug: &s.slug,
            title: &s.title,
            publisher: s.publisher.as_deref(),
            date: s.date.map(|d| d.to_string()),
            kind: s.kind,
            no_url: s.no_url.as_deref(),
            url: s.url.as_deref(),
        })
        .collect();
    #[derive(Serialize)]
    struct File<'a> {
        entities: &'a [EntityJson<'a>],
        #[serde(skip_serializing_if = "Option::is_none")]
        license: Option<LicenseJson<'a>>,
        sources: &'a [SourceJson<'a>],
    }
    write_json(
        out,
        &File {
            entities: &entities,
            license: license(views),
            sources: &sources,
        },
    )
}
