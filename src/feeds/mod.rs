//! Machine-readable files: `sitemap.xml` and `robots.txt` here, the Atom feeds in `atom`
//! (the site's two, and one per pledge and entity), the JSON data under `/api/` in `json`,
//! and the citation files beside each statement, section and pledge page, which `cite`
//! writes. Built in Rust rather than templates so
//! escaping and determinism are guaranteed: every value is escaped for its format, and
//! nothing depends on the clock. The sitemap lists the pages `routes` names.

mod atom;
mod json;

use std::io::Write;

use rayon::prelude::*;

use crate::cite;
use crate::escape::escape_html;
use crate::model::Date;
use crate::output::{FileOrigin, Sink};
use crate::routes::{self, CiteFile, Item, PageKind};
use crate::templates::views::ViewContext;

use atom::{PLEDGES_FEED, UPDATES_FEED, atom_feed, last_change, thread_feed, updates_feed};
use json::{entities_json, pledges_json};

/// The sitemap's file.
const SITEMAP: &str = "sitemap.xml";

/// Makes every machine-readable file of the site into `sink`, and returns their paths and
/// origins.
pub fn machine_files(
    views: &ViewContext<'_>,
    sink: &dyn Sink,
) -> anyhow::Result<Vec<(String, FileOrigin)>> {
    type Generator = fn(&ViewContext<'_>, &mut dyn Write) -> std::io::Result<()>;
    let generators: [(&str, Generator); 7] = [
        (SITEMAP, |v, out| out.write_all(sitemap(v).as_bytes())),
        (PLEDGES_FEED, |v, out| {
            write_feed(PLEDGES_FEED, &atom_feed(v), out)
        }),
        (UPDATES_FEED, |v, out| {
            write_feed(UPDATES_FEED, &updates_feed(v), out)
        }),
        ("robots.txt", |v, out| out.write_all(robots(v).as_bytes())),
        ("api/pledges.json", pledges_json),
        ("api/entities.json", entities_json),
        (routes::CITATIONS_JSON, cite::citations_json),
    ];
    let mut made: Vec<(String, FileOrigin)> = generators
        .par_iter()
        .map(|(path, generate)| {
            // Streamed: the largest files are tens of megabytes at 10,000 pledges, and a
            // staging folder never needs them held.
            sink.put_with(path, FileOrigin::Generated, &|out| generate(views, out))?;
            Ok((path.to_string(), FileOrigin::Generated))
        })
        .collect::<anyhow::Result<_>>()?;
    made.extend(beside_pages(views, sink)?);
    Ok(made)
}

/// The files beside pages: each statement's, section's and pledge's citation in every
/// format, and each pledge's and entity's feed.
fn beside_pages(
    views: &ViewContext<'_>,
    sink: &dyn Sink,
) -> anyhow::Result<Vec<(String, FileOrigin)>> {
    let site = views.site;
    let citations = routes::cited_items(site).collect::<Vec<Item>>();
    let threads = routes::thread_items(site).collect::<Vec<Item>>();
    let mut made: Vec<(String, FileOrigin)> = citations
        .par_iter()
        .map(|&item| {
            let citation = cite::citation(views, item);
            let mut paths = Vec::with_capacity(CiteFile::ALL.len());
            for format in CiteFile::ALL {
                let path = routes::output_path(&routes::citation_path(site, item, format));
                let text = cite::render(&citation, format);
                sink.put_with(&path, FileOrigin::Generated, &|out| {
                    out.write_all(text.as_bytes())
                })?;
                paths.push((path, FileOrigin::Generated));
            }
            Ok(paths)
        })
        .collect::<anyhow::Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    made.extend(
        threads
            .par_iter()
            .map(|&item| {
                let path = routes::output_path(&routes::thread_feed_path(site, item));
                let xml = thread_feed(views, item);
                sink.put_with(&path, FileOrigin::Generated, &|out| {
                    write_feed(&path, &xml, out)
                })?;
                Ok((path, FileOrigin::Generated))
            })
            .collect::<anyhow::Result<Vec<_>>>()?,
    );
    Ok(made)
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
        "User-agent: *\nAllow: /\nSitemap: {}/{SITEMAP}\n",
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
