//! Full-text search: a static, sharded index built from the content model, and the script
//! that searches it in the browser (`client.js`). The format is in docs/SEARCH-INDEX.md.
//!
//! The index is made from the model, not from rendered pages: each pledge, statement,
//! entity, source and free page is one document with a title, a type, a context line, its
//! plain text and the names of what it touches, and its filter values (type, status, topic,
//! country, program). Terms are sharded by their first two characters, so a browser fetches
//! only the shards a query needs. Building it is a few passes over the text, in parallel.

mod documents;
mod terms;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::hash::fnv1a;
use crate::model::Status;
use crate::output::{FileOrigin, OutputFile};
/// The folder of the search bundle in the output, as `routes` places it.
pub use crate::routes::SEARCH_BUNDLE as BUNDLE;
use crate::stopwords;
use crate::templates::views::ViewContext;
use documents::{Document, documents};
use terms::{deltas, term_counts, weighted_terms};
pub use terms::{shard_key, tokens};

/// The version of the format, in `meta.json`.
const FORMAT: u32 = 1;

/// Documents per `docs/<n>.json` file.
const CHUNK: usize = 100;

/// The most characters of a document's text kept for its excerpt.
const TEXT_LIMIT: usize = 1_500;

/// How many times a title counts, against once for the text.
pub(super) const TITLE_BOOST: u32 = 5;

/// The script, the same for every theme.
const CLIENT: &str = include_str!("client.js");

/// The URL of the script, with a hash of its bytes so it can be cached for good.
pub fn script_url(prefix: &str) -> String {
    format!(
        "{prefix}/{BUNDLE}/search.js?v={:08x}",
        fnv1a(CLIENT.bytes()) as u32
    )
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
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a str>,
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
    let shards = postings(&documents, &stopwords);
    let mut files = vec![OutputFile {
        path: format!("{BUNDLE}/search.js"),
        bytes: CLIENT.as_bytes().to_vec(),
        origin: FileOrigin::SearchIndex,
    }];
    files.push(json_file(
        format!("{BUNDLE}/meta.json"),
        &Meta {
            version: FORMAT,
            language,
            documents: documents.len(),
            chunk: CHUNK,
            stopwords: &stopwords,
            shards: shards.keys().map(String::as_str).collect(),
            filters: filter_views(&documents),
        },
    ));
    files.extend(shard_files(&shards));
    files.extend(document_chunks(&documents));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Each term's postings, (document, weight) with documents ascending, grouped by shard.
type Shards = BTreeMap<String, BTreeMap<String, Vec<(u32, u32)>>>;

/// Weighs every document's terms against the average document length, and files the
/// postings by shard.
fn postings(documents: &[Document], stopwords: &[&str]) -> Shards {
    let counts: Vec<(BTreeMap<String, u32>, usize)> = documents
        .par_iter()
        .map(|d| term_counts(d, stopwords))
        .collect();
    let lengths: usize = counts.iter().map(|(_, length)| length).sum();
    let average_length = lengths as f64 / documents.len().max(1) as f64;
    let per_document: Vec<Vec<(String, u32)>> = counts
        .into_par_iter()
        .map(|(counts, length)| weighted_terms(counts, length, average_length))
        .collect();
    // Documents ascend because they are visited in order.
    let mut shards = Shards::new();
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
    shards
}

/// Every filter with its values in their order (types and statuses as the site lists them,
/// others by value) and the documents of each, delta-encoded.
fn filter_views(documents: &[Document]) -> Vec<FilterView<'_>> {
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
    FILTERS
        .iter()
        .filter_map(|name| {
            let values = filters.remove(name)?;
            let mut values: Vec<(&str, Vec<u32>)> = values.into_iter().collect();
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
                        documents: deltas(docs).collect(),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// One `terms/<shard>.json` per shard: each term's postings as delta, weight, delta, ….
fn shard_files(shards: &Shards) -> Vec<OutputFile> {
    shards
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
        .collect()
}

/// The documents as results show them, `CHUNK` to a `docs/<n>.json` file, with texts cut
/// to `TEXT_LIMIT`.
fn document_chunks(documents: &[Document]) -> Vec<OutputFile> {
    documents
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
                    status: d.status.as_deref(),
                })
                .collect();
            json_file(format!("{BUNDLE}/docs/{n}.json"), &views)
        })
        .collect()
}
