//! Full-text search: a static, sharded index built from the content model, and the script
//! that searches it in the browser (`client.js`). The format is in docs/SEARCH-INDEX.md.
//!
//! The index is made from the model, not from rendered pages: each pledge, statement,
//! entity, source and free page is one document with a title, a type, a context line, its
//! plain text and the names of what it touches, and its filter values (type, status, topic,
//! country, program). Terms are sharded by their first two characters, so a browser fetches
//! only the shards a query needs. Building it is a few passes over the text, in parallel.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::fence;
use crate::hash::fnv1a;
use crate::markdown::text::plain_text;
use crate::model::{EntityKind, Status};
use crate::output::{FileOrigin, OutputFile};
/// The folder of the search bundle in the output, as `routes` places it.
pub use crate::routes::SEARCH_BUNDLE as BUNDLE;
use crate::routes::SitePaths;
use crate::stopwords;
use crate::templates::views::ViewContext;

/// The version of the format, in `meta.json`.
const FORMAT: u32 = 1;

/// Documents per `docs/<n>.json` file.
const CHUNK: usize = 100;

/// The most characters of a document's text kept for its excerpt.
const TEXT_LIMIT: usize = 1_500;

/// How many times a title counts, against once for the text.
const TITLE_BOOST: u32 = 5;

/// The script, the same for every theme.
const CLIENT: &str = include_str!("client.js");

/// The URL of the script, with a hash of its bytes so it can be cached for good.
pub fn script_url(prefix: &str) -> String {
    format!(
        "{prefix}/{BUNDLE}/search.js?v={:08x}",
        fnv1a(CLIENT.bytes()) as u32
    )
}

/// The words of `text` as the index and the script see them: diacritics removed,
/// lowercased, split on everything that is neither a letter nor a number. Words of one
/// character are dropped.
pub fn tokens(text: &str) -> Vec<String> {
    // Most text is ASCII, where folding is lowercasing: skip the decomposition.
    let folded: String = if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.nfkd()
            .filter(|c| !is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect()
    };
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().nth(1).is_some())
        .map(str::to_string)
        .collect()
}

/// The shard a term is in: its first two characters, each kept if in `[a-z0-9]`, otherwise
/// written as `_<hex>_`.
pub fn shard_key(term: &str) -> String {
    let mut key = String::new();
    for c in term.chars().take(2) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            key.push(c);
        } else {
            key.push_str(&format!("_{:x}_", c as u32));
        }
    }
    key
}

/// One searchable document.
struct Document {
    url: String,
    title: String,
    kind: &'static str,
    context: String,
    /// What a result shows as its excerpt, and what is indexed besides the title.
    text: String,
    /// Indexed but not shown: names of what the document touches, aliases.
    keywords: Vec<String>,
    /// (filter, value) pairs.
    filters: Vec<(&'static str, String)>,
}

/// What a result shows.
#[derive(Serialize)]
struct DocumentView<'a> {
    url: &'a str,
    title: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    context: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    language: &'a str,
    documents: usize,
    chunk: usize,
    stopwords: &'a [&'a str],
    shards: Vec<&'a str>,
    filters: Vec<FilterView<'a>>,
}

#[derive(Serialize)]
struct FilterView<'a> {
    name: &'a str,
    values: Vec<FilterValueView<'a>>,
}

#[derive(Serialize)]
struct FilterValueView<'a> {
    value: &'a str,
    documents: Vec<u32>,
}

/// The order of the filters, and of the `Type` values.
const FILTERS: [&str; 5] = ["Type", "Status", "Topic", "Country", "Program"];
const TYPES: [&str; 7] = [
    "Pledge",
    "Statement",
    "Topic",
    "Country",
    "Program",
    "Source",
    "Page",
];

fn kind_label(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Topic => "Topic",
        EntityKind::Country => "Country",
        EntityKind::Program => "Program",
    }
}

/// Cuts `text` to at most `limit` bytes, at a character boundary.
fn truncate(mut text: String, limit: usize) -> String {
    if text.len() > limit {
        let mut end = limit;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
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

/// Every document, pledges first in reading order, then statements, entities, sources and
/// free pages.
fn documents(views: &ViewContext<'_>) -> Vec<Document> {
    let site = views.site;
    let relations = views.relations;
    let entity_filter = |entity: usize| {
        let item = &site.entities[entity];
        (kind_label(item.kind), item.title.clone())
    };
    let mut documents: Vec<Document> = site
        .pledges
        .par_iter()
        .enumerate()
        .map(|(p, pledge)| {
            let touched = relations.pledge_entities[p].all();
            let mut filters = vec![
                ("Type", "Pledge".to_string()),
                ("Status", pledge.status.label().to_string()),
            ];
            filters.extend(touched.iter().map(|&e| entity_filter(e)));
            let mut text = one_line(&views.plain_texts[p]);
            if let Some(reason) = &pledge.status_reason {
                text.push(' ');
                text.push_str(reason);
            }
            Document {
                url: views.url(&site.pledge_path(p)),
                title: pledge.title.clone(),
                kind: "Pledge",
                context: format!(
                    "{} › {}",
                    site.statements[pledge.statement].title, site.sections[pledge.section].title
                ),
                text,
                keywords: touched
                    .iter()
                    .map(|&e| site.entities[e].title.clone())
                    .chain(std::iter::once(pledge.status.label().to_string()))
                    .collect(),
                filters,
            }
        })
        .collect();
    for (s, statement) in site.statements.iter().enumerate() {
        let mut filters = vec![("Type", "Statement".to_string())];
        let party_entities: Vec<usize> = statement
            .parties
            .iter()
            .filter_map(|party| site.entity_index(EntityKind::Country, &party.value))
            .collect();
        filters.extend(party_entities.iter().map(|&e| entity_filter(e)));
        let mut context = statement.date.display();
        if let Some(place) = &statement.place {
            context = format!("{context} · {place}");
        }
        documents.push(Document {
            url: views.url(&site.statement_path(s)),
            title: statement.title.clone(),
            kind: "Statement",
            context,
            text: one_line(&plain_text(&statement.body.markdown)),
            keywords: party_entities
                .iter()
                .map(|&e| site.entities[e].title.clone())
                .collect(),
            filters,
        });
    }
    for (e, entity) in site.entities.iter().enumerate() {
        let mut text = entity.summary.clone().unwrap_or_default();
        let body = one_line(&plain_text(&entity.body.markdown));
        if !body.is_empty() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&body);
        }
        documents.push(Document {
            url: views.url(&site.entity_path(e)),
            title: entity.title.clone(),
            kind: kind_label(entity.kind),
            context: match relations.entity_pledges[e].len() {
                1 => "1 pledge".to_string(),
                n => format!("{n} pledges"),
            },
            text,
            keywords: entity.aliases.clone(),
            filters: vec![
                ("Type", kind_label(entity.kind).to_string()),
                entity_filter(e),
            ],
        });
    }
    for (s, source) in site.sources.iter().enumerate() {
        let mut context: Vec<String> = Vec::new();
        context.extend(source.publisher.clone());
        context.extend(source.date.map(|date| date.display()));
        let mut text = one_line(&plain_text(&source.body.markdown));
        if let Some(published) = &source.text {
            if !text.is_empty() {
                text.push(' ');
            }
            // The published text is Markdown with some HTML: index its words only.
            text.push_str(&one_line(&plain_text(without_front_matter(published))));
        }
        documents.push(Document {
            url: views.url(&site.source_path(s)),
            title: source.title.clone(),
            kind: "Source",
            context: context.join(" · "),
            text,
            keywords: Vec::new(),
            filters: vec![("Type", "Source".to_string())],
        });
    }
    for (i, page) in site.pages.iter().enumerate() {
        documents.push(Document {
            url: views.url(&site.page_path(i)),
            title: page.title.clone(),
            kind: "Page",
            context: String::new(),
            text: one_line(&plain_text(&page.body.markdown)),
            keywords: Vec::new(),
            filters: vec![("Type", "Page".to_string())],
        });
    }
    documents
}

/// Each term of a document with its weight (1 to 100): BM25's term-frequency part, from the
/// document's term counts and length (title counted `TITLE_BOOST` times).
fn weighted_terms(
    counts: BTreeMap<String, u32>,
    length: usize,
    average_length: f64,
) -> Vec<(String, u32)> {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    let norm = K1 * (1.0 - B + B * length as f64 / average_length.max(1.0));
    counts
        .into_iter()
        .map(|(term, tf)| {
            let tf = f64::from(tf);
            let weight = tf * (K1 + 1.0) / (tf + norm) / (K1 + 1.0) * 100.0;
            (term, (weight.round() as u32).clamp(1, 100))
        })
        .collect()
}

/// How often each indexed term occurs in a document (title boosted), and its length.
fn term_counts(document: &Document, stopwords: &[&str]) -> (BTreeMap<String, u32>, usize) {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    let mut length = 0;
    let mut add = |text: &str, times: u32| {
        for token in tokens(text) {
            length += times as usize;
            if stopwords.contains(&token.as_str()) {
                continue;
            }
            *counts.entry(token).or_default() += times;
        }
    };
    add(&document.title, TITLE_BOOST);
    add(&document.text, 1);
    for keyword in &document.keywords {
        add(keyword, 1);
    }
    (counts, length)
}

/// Delta-encodes sorted document numbers: the first as it is, then each minus the one
/// before. Filter values and term postings are both written so.
fn deltas(documents: impl IntoIterator<Item = u32>) -> impl Iterator<Item = u32> {
    let mut previous = 0;
    documents.into_iter().map(move |d| {
        let delta = d - previous;
        previous = d;
        delta
    })
}

fn json_file(path: String, value: &impl Serialize) -> OutputFile {
    OutputFile {
        path,
        bytes: serde_json::to_vec(value).expect("search index values serialize"),
        origin: FileOrigin::SearchIndex,
    }
}

/// Builds the search bundle: the script, `meta.json`, the term shards and the documents.
pub fn index(views: &ViewContext<'_>) -> Vec<OutputFile> {
    let language = &views.site.config.language;
    let stopwords: Vec<&str> = if language == "en" || language.starts_with("en-") {
        stopwords::words(stopwords::Use::SearchIndex).collect()
    } else {
        Vec::new()
    };
    let documents = documents(views);
    let counts: Vec<(BTreeMap<String, u32>, usize)> = documents
        .par_iter()
        .map(|d| term_counts(d, &stopwords))
        .collect();
    let lengths: usize = counts.iter().map(|(_, length)| length).sum();
    let average_length = lengths as f64 / documents.len().max(1) as f64;
    let per_document: Vec<Vec<(String, u32)>> = counts
        .into_par_iter()
        .map(|(counts, length)| weighted_terms(counts, length, average_length))
        .collect();

    // Postings, documents ascending because documents are visited in order.
    let mut shards: BTreeMap<String, BTreeMap<String, Vec<(u32, u32)>>> = BTreeMap::new();
    for (d, terms) in per_document.into_iter().enumerate() {
        for (term, weight) in terms {
            shards
                .entry(shard_key(&term))
                .or_default()
                .entry(term)
                .or_default()
                .push((d as u32, weight));
        }
    }

    let mut files = vec![OutputFile {
        path: format!("{BUNDLE}/search.js"),
        bytes: CLIENT.as_bytes().to_vec(),
        origin: FileOrigin::SearchIndex,
    }];

    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for (d, document) in documents.iter().enumerate() {
        for (name, value) in &document.filters {
            let list = filters.entry(name).or_default().entry(value).or_default();
            if list.last() != Some(&(d as u32)) {
                list.push(d as u32);
            }
        }
    }
    let status_order: Vec<&str> = Status::ALL.iter().map(|s| s.label()).collect();
    let filter_views = FILTERS
        .iter()
        .filter_map(|name| {
            let values = filters.get(name)?;
            let mut values: Vec<(&str, &Vec<u32>)> =
                values.iter().map(|(value, docs)| (*value, docs)).collect();
            let order: Option<&[&str]> = match *name {
                "Type" => Some(&TYPES),
                "Status" => Some(&status_order),
                _ => None,
            };
            if let Some(order) = order {
                values.sort_by_key(|(value, _)| order.iter().position(|o| o == value));
            }
            Some(FilterView {
                name,
                values: values
                    .into_iter()
                    .map(|(value, docs)| FilterValueView {
                        value,
                        documents: deltas(docs.iter().copied()).collect(),
                    })
                    .collect(),
            })
        })
        .collect();
    files.push(json_file(
        format!("{BUNDLE}/meta.json"),
        &Meta {
            version: FORMAT,
            language,
            documents: documents.len(),
            chunk: CHUNK,
            stopwords: &stopwords,
            shards: shards.keys().map(String::as_str).collect(),
            filters: filter_views,
        },
    ));

    let shard_files: Vec<OutputFile> = shards
        .par_iter()
        .map(|(key, terms)| {
            let encoded: BTreeMap<&str, Vec<u32>> = terms
                .iter()
                .map(|(term, postings)| {
                    let documents = deltas(postings.iter().map(|&(d, _)| d));
                    let weights = postings.iter().map(|&(_, weight)| weight);
                    let flat = documents
                        .zip(weights)
                        .flat_map(|(delta, weight)| [delta, weight])
                        .collect();
                    (term.as_str(), flat)
                })
                .collect();
            json_file(format!("{BUNDLE}/terms/{key}.json"), &encoded)
        })
        .collect();
    files.extend(shard_files);

    let chunks: Vec<OutputFile> = documents
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let texts: Vec<String> = chunk
                .iter()
                .map(|d| truncate(d.text.clone(), TEXT_LIMIT))
                .collect();
            let views: Vec<DocumentView<'_>> = chunk
                .iter()
                .zip(&texts)
                .map(|(d, text)| DocumentView {
                    url: &d.url,
                    title: &d.title,
                    kind: d.kind,
                    context: &d.context,
                    text,
                })
                .collect();
            json_file(format!("{BUNDLE}/docs/{n}.json"), &views)
        })
        .collect();
    files.extend(chunks);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_fold_case_and_diacritics_and_split_on_punctuation() {
        let words = tokens("Méloni's India–Middle East Corridor, 5G & a U.S. pledge");
        assert_eq!(
            words,
            [
                "meloni", "india", "middle", "east", "corridor", "5g", "pledge"
            ]
        );
    }

    #[test]
    fn shard_keys_are_safe_file_names() {
        assert_eq!(shard_key("energy"), "en");
        assert_eq!(shard_key("żubr"), "_17c_u");
        assert_eq!(shard_key("5g"), "5g");
    }

    #[test]
    fn front_matter_is_not_indexed() {
        assert_eq!(without_front_matter("---\ntitle: x\n---\nBody"), "Body");
        assert_eq!(without_front_matter("+++\na = 1\n+++ \r\nBody"), "Body");
        assert_eq!(without_front_matter("--- not a fence"), "--- not a fence");
        let unclosed = "---\ntitle: x\n----\nBody";
        assert_eq!(without_front_matter(unclosed), unclosed);
    }

    #[test]
    fn deltas_encode_sorted_numbers() {
        assert_eq!(
            deltas([0, 1, 2, 3, 10]).collect::<Vec<_>>(),
            [0, 1, 1, 1, 7]
        );
    }
}
