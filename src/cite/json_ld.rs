//! The schema.org JSON-LD of pledge and statement pages, for search engines and other
//! machines reading the claims (README: "Machine-readable claims" says why these types).
//!
//! - A statement is a `CreativeWork` (not `Legislation`: a joint statement binds no one in
//!   law) whose `author`s are the governments that made it, each a `GovernmentOrganization`
//!   serving its `Country`, with `datePublished`, `locationCreated` and its pledges as
//!   `hasPart`.
//! - A pledge is a `Quotation` (its words are the statement's, verbatim) that `isPartOf` its
//!   statement, at its paragraph's `position`, with its tracker status as
//!   `creativeWorkStatus`, each dated update as an `Article` it is the `subjectOf` (the
//!   public report the update cites, with the editors' summary), and each correction as a
//!   `CorrectionComment`.
//!
//! The JSON is written inside `<script type="application/ld+json">`, so `<`, `>` and `&` are
//! written as `\u003c`, `\u003e` and `\u0026`: no text can close the element.

use serde_json::{Value, json};

use super::{absolute, statement_url};
use crate::model::{Correction, EntityKind, Site};
use crate::routes::SitePaths;
use crate::templates::views::ViewContext;

/// The JSON-LD of a pledge's page, ready to put inside its script element.
pub fn pledge(views: &ViewContext<'_>, pledge: usize) -> String {
    let site = views.site;
    let item = &site.pledges[pledge];
    let url = absolute(site, &site.pledge_path(pledge));
    let entities = &views.relations.pledge_entities[pledge];
    let mut claim = json!({
        "@context": "https://schema.org",
        "@type": "Quotation",
        "@id": format!("{url}#pledge"),
        "name": item.title,
        "text": views.plain_texts[pledge],
        "url": url,
        "inLanguage": site.config.language,
        "creativeWorkStatus": item.status.label(),
        "author": governments(site, &entities.promised_by),
        "isPartOf": statement_node(views, item.statement, false),
        "about": entities
            .listed
            .iter()
            .filter(|&&e| site.entities[e].kind != EntityKind::Country)
            .map(|&e| json!({
                "@type": "Thing",
                "name": site.entities[e].title,
                "url": absolute(site, &site.entity_path(e)),
            }))
            .collect::<Vec<_>>(),
        "subjectOf": item.updates.iter().map(|update| {
            // The status an update sets is the pledge's, not the report's: it is said in
            // words, where an `Article`'s own `creativeWorkStatus` would misread as its
            // publication status.
            let description = match update.status {
                Some(status) => format!("{} Status: {}.", update.summary, status.label()),
                None => update.summary.clone(),
            };
            json!({
                "@type": "Article",
                "headline": update.title.as_deref().unwrap_or(&update.summary),
                "description": description,
                "datePublished": update.date.to_string(),
                "url": update.url,
            })
        }).collect::<Vec<_>>(),
        "correction": (0..item.corrections.len()).map(|c| json!({
            "@type": "CorrectionComment",
            "text": item.corrections[c].summary,
            "datePublished": item.corrections[c].date.to_string(),
            "url": format!("{url}#{}", Correction::anchor(&item.corrections, c)),
        })).collect::<Vec<_>>(),
        "publisher": publisher(site),
    });
    if let Some((source, number)) = views.paragraph_number(pledge) {
        claim["position"] = json!(number);
        claim["isBasedOn"] = json!(format!(
            "{}#para-{number}",
            absolute(site, &site.source_path(source))
        ));
    }
    if let Some(license) = &site.config.license_url {
        claim["license"] = json!(license.get_ref());
    }
    script_safe(&claim)
}

/// The JSON-LD of a statement's page, ready to put inside its script element.
pub fn statement(views: &ViewContext<'_>, statement: usize) -> String {
    let mut node = statement_node(views, statement, true);
    node["@context"] = json!("https://schema.org");
    if let Some(license) = &views.site.config.license_url {
        node["license"] = json!(license.get_ref());
    }
    script_safe(&node)
}

/// A statement as a `CreativeWork`, with its pledges as parts when `parts`.
fn statement_node(views: &ViewContext<'_>, statement: usize, parts: bool) -> Value {
    let site = views.site;
    let item = &site.statements[statement];
    let url = statement_url(site, statement);
    let parties: Vec<usize> = item
        .parties
        .iter()
        .filter_map(|p| site.entity_index(EntityKind::Country, &p.value))
        .collect();
    let mut node = json!({
        "@type": "CreativeWork",
        "@id": format!("{url}#statement"),
        "name": item.title,
        "url": url,
        "datePublished": item.date.to_string(),
        "author": governments(site, &parties),
    });
    if let Some(place) = &item.place {
        node["locationCreated"] = json!({"@type": "Place", "name": place});
    }
    if parts {
        node["inLanguage"] = json!(site.config.language);
        let relations = views.relations;
        node["hasPart"] = relations.statement_sections[statement]
            .iter()
            .flat_map(|&s| relations.section_pledges[s].iter())
            .map(|&p| {
                let pledge_url = absolute(site, &site.pledge_path(p));
                json!({
                    "@type": "Quotation",
                    "@id": format!("{pledge_url}#pledge"),
                    "name": site.pledges[p].title,
                    "url": pledge_url,
                    "creativeWorkStatus": site.pledges[p].status.label(),
                })
            })
            .collect();
    }
    node
}

/// Governments, as the countries (entity indices) they govern.
fn governments(site: &Site, countries: &[usize]) -> Vec<Value> {
    countries
        .iter()
        .map(|&e| {
            let name = &site.entities[e].title;
            json!({
                "@type": "GovernmentOrganization",
                "name": name,
                "areaServed": {"@type": "Country", "name": name},
            })
        })
        .collect()
}

/// The site's publisher: its author, or else its title.
fn publisher(site: &Site) -> Value {
    json!({
        "@type": "Organization",
        "name": site.config.author.as_deref().unwrap_or(&site.config.title),
        "url": format!("{}/", site.config.base_url()),
    })
}

/// JSON that no HTML parser ends early: `<`, `>` and `&` escaped, as they only ever occur
/// inside strings.
fn script_safe(value: &Value) -> String {
    let mut value = value.clone();
    if let Some(object) = value.as_object_mut() {
        object.retain(|_, v| !matches!(v, Value::Array(list) if list.is_empty()));
    }
    serde_json::to_string(&value)
        .expect("JSON values serialise")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_cannot_close_its_element() {
        let value = json!({"text": "</script><!-- & -->"});
        let safe = script_safe(&value);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }
}
