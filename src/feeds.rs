//! Machine-readable files: `sitemap.xml`, the Atom feed, `robots.txt` and the JSON data
//! under `/api/`. Built in Rust rather than templates so escaping and determinism are
//! guaranteed: every value is escaped for its format, and nothing depends on the clock.

use std::io::Write;

use serde::Serialize;

use rayon::prelude::*;

use crate::markdown::escape_html;
use crate::model::{Date, Site};
use crate::output::{FileOrigin, Sink};
use crate::routes::{self, PageKind, SitePaths};
use crate::templates::views::ViewContext;

/// Makes every machine-readable file of the site into `sink`, and returns their paths and
/// origins.
pub fn machine_files(
    views: &ViewContext<'_>,
    sink: &dyn Sink,
) -> anyhow::Result<Vec<(String, FileOrigin)>> {
    type Generator = fn(&ViewContext<'_>, &mut dyn Write) -> std::io::Result<()>;
    let generators: [(&str, Generator); 6] = [
        ("sitemap.xml", |v, out| out.write_all(sitemap(v).as_bytes())),
        ("feed.xml", |v, out| {
            write_feed("feed.xml", &atom_feed(v), out)
        }),
        ("updates.xml", |v, out| {
            write_feed("updates.xml", &updates_feed(v), out)
        }),
        ("robots.txt", |v, out| out.write_all(robots(v).as_bytes())),
        ("api/pledges.json", pledges_json),
        ("api/entities.json", entities_json),
    ];
    generators
        .par_iter()
        .map(|(path, generate)| {
            // Streamed: the largest files are tens of megabytes at 10,000 pledges, and a
            // staging folder never needs them held.
            sink.put_with(path, FileOrigin::Generated, &|out| generate(views, out))?;
            Ok((path.to_string(), FileOrigin::Generated))
        })
        .collect()
}

/// Writes a feed, after checking the scheme of every link in it as every page's is. Its
/// URLs come from front matter and `base_url`, which are refused where they are written,
/// so a refusal here is a bug in communique, and stops the build as one.
fn write_feed(name: &str, xml: &str, out: &mut dyn Write) -> std::io::Result<()> {
    if let Some(refused) = crate::links::refused_urls(xml.as_bytes()).first() {
        return Err(std::io::Error::other(format!(
            "{name}: {} (a bug in communique: front matter URLs and base_url are checked before feeds are made)",
            refused.message()
        )));
    }
    out.write_all(xml.as_bytes())
}

fn robots(views: &ViewContext<'_>) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n",
        views.site.config.base_url()
    )
}

/// Every HTML page's absolute URL and, where known, its last change.
fn sitemap(views: &ViewContext<'_>) -> String {
    let site = views.site;
    let base = site.config.base_url();
    let mut entries: Vec<(String, Option<Date>)> = routes::sitemap_pages(site)
        .into_iter()
        .map(|kind| {
            let lastmod = match kind {
                PageKind::Statement(s) => Some(site.statements[s].date),
                PageKind::Pledge(p) => Some(last_change(site, p)),
                PageKind::Source(s) => site.sources[s].date,
                _ => None,
            };
            (routes::page_path(site, kind), lastmod)
        })
        .collect();
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, date) in entries {
        xml.push_str(&format!(
            "  <url><loc>{}</loc>",
            escape_html(&format!("{base}{path}"))
        ));
        if let Some(date) = date {
            xml.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The date of a pledge's latest update, or of its statement when it has none.
fn last_change(site: &Site, pledge: usize) -> Date {
    let item = &site.pledges[pledge];
    item.updates
        .last()
        .map_or(site.statements[item.statement].date, |update| update.date)
}

/// An Atom feed with one entry per pledge, newest change first.
fn atom_feed(views: &ViewContext<'_>) -> String {
    let site = views.site;
    let base = site.config.base_url();
    let mut entries: Vec<(Date, usize)> = site
        .pledges
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                p.updates
                    .last()
                    .map(|u| u.date)
                    .unwrap_or(site.statements[p.statement].date),
                i,
            )
        })
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let updated = entries
        .first()
        .map(|e| e.0)
        .or_else(|| site.statements.first().map(|s| s.date));
    let updated = updated.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let author = site.config.author.as_deref().unwrap_or(&site.config.title);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <subtitle>{}</subtitle>\n  <id>{}/</id>\n  <link rel=\"alternate\" href=\"{}/\"/>\n  <link rel=\"self\" href=\"{}/feed.xml\"/>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n",
        escape_html(&site.config.language),
        escape_html(&site.config.title),
        escape_html(&site.config.description),
        escape_html(base),
        escape_html(base),
        escape_html(base),
        escape_html(author),
    );
    for (date, pledge_idx) in entries.into_iter().take(100) {
        let pledge = &site.pledges[pledge_idx];
        let url = format!("{base}{}", site.pledge_path(pledge_idx));
        let statement = &site.statements[pledge.statement];
        let mut summary = format!("{} — {}", pledge.status.label(), statement.title);
        if let Some(update) = pledge.updates.last() {
            summary.push_str(&format!(
                ". Latest update ({}): {}",
                update.date.display(),
                update.summary
            ));
        }
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" href=\"{}\"/>\n    <published>{}</published>\n    <updated>{}</updated>\n    <summary>{}</summary>\n    <content type=\"html\">{}</content>\n  </entry>\n",
            escape_html(&pledge.title),
            escape_html(&url),
            escape_html(&url),
            statement.date.rfc3339(),
            date.rfc3339(),
            escape_html(&summary),
            escape_html(&views.bodies.pledges[pledge_idx].html),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// An Atom feed of tracker updates, newest first: one entry per dated event.
fn updates_feed(views: &ViewContext<'_>) -> String {
    let site = views.site;
    let base = site.config.base_url();
    let updates = site.updates_newest_first();
    let updated = updates
        .first()
        .map(|u| u.0)
        .or_else(|| site.statements.first().map(|s| s.date));
    let updated = updated.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let author = site.config.author.as_deref().unwrap_or(&site.config.title);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}: tracker updates</title>\n  <id>{}/tracker/</id>\n  <link rel=\"alternate\" href=\"{}/tracker/\"/>\n  <link rel=\"self\" href=\"{}/updates.xml\"/>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n",
        escape_html(&site.config.language),
        escape_html(&site.config.title),
        escape_html(base),
        escape_html(base),
        escape_html(base),
        escape_html(author),
    );
    for (date, pledge_idx, update_idx) in updates {
        let pledge = &site.pledges[pledge_idx];
        let update = &pledge.updates[update_idx];
        let url = format!("{base}{}", site.pledge_path(pledge_idx));
        let mut summary = update.summary.clone();
        if let Some(note) = &update.note {
            summary.push_str(&format!(" (Caveat: {note})"));
        }
        let status = update
            .status
            .map(|s| format!(" [{}]", s.label()))
            .unwrap_or_default();
        xml.push_str(&format!(
            "  <entry>\n    <title>{}{}</title>\n    <id>{}#{}</id>\n    <link rel=\"alternate\" href=\"{}\"/>\n    <link rel=\"related\" href=\"{}\"/>\n    <updated>{}</updated>\n    <summary>{}</summary>\n  </entry>\n",
            escape_html(&pledge.title),
            escape_html(&status),
            escape_html(&url),
            update.anchor(),
            escape_html(&format!("{url}#{}", update.anchor())),
            escape_html(&update.url),
            date.rfc3339(),
            escape_html(&summary),
        ));
    }
    xml.push_str("</feed>\n");
    xml
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

#[derive(Serialize)]
struct PledgeJson<'a> {
    coverage: Vec<CoverageJson<'a>>,
    id: String,
    listed: Vec<EntityRef<'a>>,
    mentioned: Vec<EntityRef<'a>>,
    parties: Vec<&'a str>,
    related: Vec<String>,
    section: &'a str,
    section_title: &'a str,
    statement: &'a str,
    statement_date: String,
    statement_title: &'a str,
    status: &'static str,
    status_reason: Option<&'a str>,
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
fn pledges_json(views: &ViewContext<'_>, out: &mut dyn Write) -> std::io::Result<()> {
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
            PledgeJson {
                id: pledge_id(views, i),
                url: format!("{}{}", site.config.base_url(), site.pledge_path(i)),
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
                parties: entities
                    .parties
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
        pledges: &'a [PledgeJson<'a>],
    }
    write_json(out, &File { pledges: &pledges })
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
    publisher: Option<&'a str>,
    slug: &'a str,
    title: &'a str,
    url: Option<&'a str>,
}

/// Every entity with its pledges and neighbours, and every source.
fn entities_json(views: &ViewContext<'_>, out: &mut dyn Write) -> std::io::Result<()> {
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
            url: s.url.as_deref(),
        })
        .collect();
    #[derive(Serialize)]
    struct File<'a> {
        entities: &'a [EntityJson<'a>],
        sources: &'a [SourceJson<'a>],
    }
    write_json(
        out,
        &File {
            entities: &entities,
            sources: &sources,
        },
    )
}
