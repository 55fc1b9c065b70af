//! The documents of the search index: one per pledge, statement, entity, source and free
//! page, each with its title, type, context line, text, keywords and filter values, made
//! from the model rather than from rendered pages.

use rayon::prelude::*;

use crate::fence;
use crate::markdown::text::plain_text;
use crate::model::EntityKind;
use crate::routes::SitePaths;
use crate::templates::views::ViewContext;

/// One searchable document.
pub(super) struct Document {
    pub(super) url: String,
    pub(super) title: String,
    pub(super) kind: &'static str,
    pub(super) context: String,
    /// Other names it is known by (an entity's aliases): indexed like the title.
    pub(super) aliases: Vec<String>,
    /// What a result takes its excerpt from, and what is indexed besides the title: a
    /// pledge's text, then its tracker updates and the quotes of its coverage.
    pub(super) text: String,
    /// Why the editors gave a pledge its status: indexed, and shown on a line of its own.
    pub(super) reason: Option<String>,
    /// Indexed but not shown: the names and aliases of what the document is about.
    pub(super) related: Vec<String>,
    /// Indexed but not shown: where the document sits, its status.
    pub(super) keywords: Vec<String>,
    /// How its weights count, in percent: `PLEDGE_PRIOR` for pledges, `OTHER_PRIOR` for the
    /// rest.
    pub(super) prior: u32,
    /// (filter, value) pairs.
    pub(super) filters: Vec<(&'static str, String)>,
}

/// The prior of a pledge: the pages the site is about.
const PLEDGE_PRIOR: u32 = 100;
/// The prior of statements, entities, sources and pages, which mostly repeat or list what
/// pledges say: a page of the same relevance as a pledge ranks below it.
const OTHER_PRIOR: u32 = 50;

/// The `Type` filter value of an entity kind.
pub(super) fn kind_label(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Topic => "Topic",
        EntityKind::Country => "Country",
        EntityKind::Program => "Program",
    }
}

/// Every document, pledges first in reading order, then statements, entities, sources and
/// free pages.
pub(super) fn documents(views: &ViewContext<'_>) -> Vec<Document> {
    let site = views.site;
    let mut documents: Vec<Document> = (0..site.pledges.len())
        .into_par_iter()
        .map(|p| pledge(views, p))
        .collect();
    documents.extend((0..site.statements.len()).map(|s| statement(views, s)));
    documents.extend((0..site.entities.len()).map(|e| entity(views, e)));
    documents.extend((0..site.sources.len()).map(|s| source(views, s)));
    documents.extend((0..site.pages.len()).map(|i| page(views, i)));
    documents
}

/// The filter an entity gives the documents that touch it: its kind and title.
fn entity_filter(views: &ViewContext<'_>, entity: usize) -> (&'static str, String) {
    let item = &views.site.entities[entity];
    (kind_label(item.kind), item.title.clone())
}

/// A pledge: its text, its tracker updates (summary, title, caveat) and the quotes of its
/// coverage with their publishers, in its statement and section, filtered by status and by
/// every entity it touches; found by the names and aliases of those entities too.
fn pledge(views: &ViewContext<'_>, p: usize) -> Document {
    let site = views.site;
    let pledge = &site.pledges[p];
    let touched = views.relations.pledge_entities[p].all();
    let mut filters = vec![
        ("Type", "Pledge".to_string()),
        ("Status", pledge.status.label().to_string()),
    ];
    filters.extend(touched.iter().map(|&e| entity_filter(views, e)));
    let mut text = one_line(&views.plain_texts[p]);
    for update in &pledge.updates {
        append(&mut text, &one_line(&update.summary));
        for more in update.title.iter().chain(&update.note) {
            append(&mut text, &one_line(more));
        }
    }
    for coverage in &pledge.coverage {
        let publisher = site
            .source_index(&coverage.source.value)
            .and_then(|s| site.sources[s].publisher.as_deref());
        append(&mut text, &one_line(&coverage.quote.value));
        if let Some(publisher) = publisher {
            append(&mut text, &format!("({publisher})"));
        }
    }
    let section = &site.sections[pledge.section];
    let keywords = vec![
        section.title.clone(),
        site.statements[pledge.statement].title.clone(),
        pledge.status.label().to_string(),
    ];
    let mut related = Vec::new();
    for &e in &touched {
        related.push(site.entities[e].title.clone());
        related.extend(site.entities[e].aliases.iter().cloned());
    }
    Document {
        url: views.url(&site.pledge_path(p)),
        title: pledge.title.clone(),
        kind: "Pledge",
        context: format!(
            "{} › {}",
            site.statements[pledge.statement].title, section.title
        ),
        aliases: Vec::new(),
        text,
        reason: pledge.status_reason.as_deref().map(one_line),
        related,
        keywords,
        prior: PLEDGE_PRIOR,
        filters,
    }
}

/// A statement: its preamble, dated and placed, filtered by its parties.
fn statement(views: &ViewContext<'_>, s: usize) -> Document {
    let site = views.site;
    let statement = &site.statements[s];
    let mut filters = vec![("Type", "Statement".to_string())];
    let party_entities: Vec<usize> = statement
        .parties
        .iter()
        .filter_map(|party| site.entity_index(EntityKind::Country, &party.value))
        .collect();
    filters.extend(party_entities.iter().map(|&e| entity_filter(views, e)));
    let mut context = statement.date.display();
    if let Some(place) = &statement.place {
        context = format!("{context} · {place}");
    }
    Document {
        url: views.url(&site.statement_path(s)),
        title: statement.title.clone(),
        kind: "Statement",
        context,
        aliases: Vec::new(),
        text: one_line(&plain_text(&statement.body.markdown)),
        reason: None,
        related: party_entities
            .iter()
            .map(|&e| site.entities[e].title.clone())
            .collect(),
        keywords: Vec::new(),
        prior: OTHER_PRIOR,
        filters,
    }
}

/// A topic, country or program: its summary and text, found by its aliases too.
fn entity(views: &ViewContext<'_>, e: usize) -> Document {
    let site = views.site;
    let entity = &site.entities[e];
    let mut text = entity.summary.clone().unwrap_or_default();
    append(&mut text, &one_line(&plain_text(&entity.body.markdown)));
    Document {
        url: views.url(&site.entity_path(e)),
        title: entity.title.clone(),
        kind: kind_label(entity.kind),
        context: match views.relations.entity_pledges[e].len() {
            1 => "1 pledge".to_string(),
            n => format!("{n} pledges"),
        },
        aliases: entity.aliases.clone(),
        text,
        reason: None,
        related: Vec::new(),
        keywords: Vec::new(),
        prior: OTHER_PRIOR,
        filters: vec![
            ("Type", kind_label(entity.kind).to_string()),
            entity_filter(views, e),
        ],
    }
}

/// A source: its description and the words of its published text.
fn source(views: &ViewContext<'_>, s: usize) -> Document {
    let site = views.site;
    let source = &site.sources[s];
    let mut context: Vec<String> = Vec::new();
    context.extend(source.publisher.clone());
    context.extend(source.date.map(|date| date.display()));
    let mut text = one_line(&plain_text(&source.body.markdown));
    if let Some(published) = &source.text {
        // The published text is Markdown with some HTML: index its words only. (An empty
        // published text still adds the space, as the index always has.)
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&one_line(&plain_text(without_front_matter(published))));
    }
    Document {
        url: views.url(&site.source_path(s)),
        title: source.title.clone(),
        kind: "Source",
        context: context.join(" · "),
        aliases: Vec::new(),
        text,
        reason: None,
        related: Vec::new(),
        keywords: Vec::new(),
        prior: OTHER_PRIOR,
        filters: vec![("Type", "Source".to_string())],
    }
}

/// A free page: its text.
fn page(views: &ViewContext<'_>, i: usize) -> Document {
    let site = views.site;
    let page = &site.pages[i];
    Document {
        url: views.url(&site.page_path(i)),
        title: page.title.clone(),
        kind: "Page",
        context: String::new(),
        aliases: Vec::new(),
        text: one_line(&plain_text(&page.body.markdown)),
        reason: None,
        related: Vec::new(),
        keywords: Vec::new(),
        prior: OTHER_PRIOR,
        filters: vec![("Type", "Page".to_string())],
    }
}

/// Adds `more` to `text`, a space between them when both have words.
fn append(text: &mut String, more: &str) {
    if !more.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(more);
    }
}

/// A published text without the YAML or TOML front matter a seed file may start with, as
/// the importer and `content` find it (`fence::find`).
fn without_front_matter(text: &str) -> &str {
    for fence in ["---", "+++"] {
        if let Ok(fenced) = fence::find(text, fence) {
            return &text[fenced.body_start..];
        }
    }
    text
}

/// One line for the excerpt: paragraphs joined by spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_not_indexed() {
        assert_eq!(without_front_matter("---\ntitle: x\n---\nBody"), "Body");
        assert_eq!(without_front_matter("+++\na = 1\n+++ \r\nBody"), "Body");
        assert_eq!(without_front_matter("--- not a fence"), "--- not a fence");
        let unclosed = "---\ntitle: x\n----\nBody";
        assert_eq!(without_front_matter(unclosed), unclosed);
    }
}
