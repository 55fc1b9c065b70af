//! Full-text search: a static, sharded index built from the content model, and the script
//! that searches it in the browser (`client.js`). The format is in docs/SEARCH-INDEX.md.
//!
//! The index is made from the model, not from rendered pages: each pledge, statement,
//! entity, source and free page is one document with a title, a type, a context line, its
//! plain text and the names of what it touches, and its filter values (type, status, topic,
//! country, program). Terms are sharded by their first two characters, so a browser fetches
//! only the shards a query needs. Building it is a few passes over the text, in parallel.

mod documents;
mod language;
mod terms;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::hash::fnv1a;
use crate::model::Status;
use crate::output::{FileOrigin, OutputFile};
/// The folder of the search bundle in the output, as `routes` places it.
pub use crate::routes::SEARCH_BUNDLE as BUNDLE;
use crate::templates::views::ViewContext;
use documents::{Document, documents};
use language::Language;
use terms::{Count, WordMap, deltas, term_counts, weighted_terms};
pub use terms::{shard_key, tokens};

/// The version of the format, in `meta.json`.
const FORMAT: u32 = 2;

/// Documents per `docs/<n>.json` file: small, since a page of results may need a file per
/// result and each document carries its whole text.
const CHUNK: usize = 10;

/// How many times a title (or an alias) counts, against once for the text.
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
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    languages: Vec<&'a str>,
    documents: usize,
    chunk: usize,
    stopwords: BTreeMap<&'a str, &'a [&'a str]>,
    shards: Vec<&'a str>,
    filters: Vec<&'a str>,
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

fn json_file(path: String, value: &impl Serialize) -> OutputFile {
    OutputFile {
        path,
        bytes: serde_json::to_vec(value).expect("search index values serialize"),
        origin: FileOrigin::SearchIndex,
    }
}

/// Builds the search bundle: the script, `meta.json`, `filters.json`, the term shards and
/// the documents.
pub fn index(views: &ViewContext<'_>) -> Vec<OutputFile> {
    // The site declares one language today; every document is in it.
    let languages = [Language::new(&views.site.config.language)];
    let documents = documents(views);
    let shards = postings(&documents, &languages);
    let filters = filter_views(&documents);
    let mut files = vec![OutputFile {
        path: format!("{BUNDLE}/search.js"),
        bytes: CLIENT.as_bytes().to_vec(),
        origin: FileOrigin::SearchIndex,
    }];
    files.push(json_file(
        format!("{BUNDLE}/meta.json"),
        &Meta {
            version: FORMAT,
            languages: languages.iter().map(|l| l.tag.as_str()).collect(),
            documents: documents.len(),
            chunk: CHUNK,
            stopwords: languages
                .iter()
                .map(|l| (l.tag.as_str(), l.stopwords.as_slice()))
                .collect(),
            shards: shards.keys().map(String::as_str).collect(),
            filters: filters.iter().map(|f| f.name).collect(),
        },
    ));
    files.push(json_file(format!("{BUNDLE}/filters.json"), &filters));
    files.extend(shard_files(&shards));
    files.extend(document_chunks(&documents));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// One shard: the word forms whose first two characters give its key, each with its stem
/// (only where the two differ), and the postings of the stems whose first two characters
/// give its key: (document, weight), documents ascending.
#[derive(Default)]
struct Shard {
    forms: BTreeMap<String, Vec<String>>,
    terms: BTreeMap<String, Vec<(u32, u32)>>,
}

type Shards = BTreeMap<String, Shard>;

/// The language of a document: the site's one language today.
fn document_language(_document: &Document) -> usize {
    0
}

/// Counts every document's words, stems each distinct word once per language, weighs every
/// document's stems against the average document length, and files forms and postings by
/// shard.
fn postings(documents: &[Document], languages: &[Language]) -> Shards {
    let counts: Vec<(Vec<(String, Count)>, usize)> = documents
        .par_iter()
        .map(|d| term_counts(d, &languages[document_language(d)]))
        .collect();
    let mut distinct: Vec<(usize, &str)> = counts
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, (words, _))| {
            let language = document_language(&documents[d]);
            words.iter().map(move |(w, _)| (language, w.as_str()))
        })
        .collect();
    distinct.par_sort_unstable();
    distinct.dedup();
    let stems: WordMap<(usize, &str), String> = distinct
        .into_par_iter()
        .map(|(language, word)| ((language, word), languages[language].stem(word)))
        .collect();
    let lengths: usize = counts.iter().map(|(_, length)| length).sum();
    let average_length = lengths as f64 / documents.len().max(1) as f64;
    let per_document: Vec<Vec<(&str, u32)>> = counts
        .par_iter()
        .enumerate()
        .map(|(d, (words, length))| {
            let language = document_language(&documents[d]);
            let mut by_stem: WordMap<&str, Count> = WordMap::default();
            for (word, count) in words {
                let stem = stems[&(language, word.as_str())].as_str();
                let total = by_stem.entry(stem).or_default();
                total.times += count.times;
                total.bonus = total.bonus.max(count.bonus);
            }
            weighted_terms(by_stem, *length, average_length, documents[d].prior)
        })
        .collect();
    // Documents ascend because they are visited in order.
    let mut by_stem: WordMap<&str, Vec<(u32, u32)>> = WordMap::default();
    for (d, terms) in per_document.into_iter().enumerate() {
        for (stem, weight) in terms {
            by_stem.entry(stem).or_default().push((d as u32, weight));
        }
    }
    let mut shards = Shards::new();
    for (stem, postings) in by_stem {
        let shard = shards.entry(shard_key(stem)).or_default();
        shard.terms.insert(stem.to_string(), postings);
    }
    for ((_, word), stem) in &stems {
        if word != stem {
            let forms = &mut shards.entry(shard_key(word)).or_default().forms;
            forms
                .entry(word.to_string())
                .or_default()
                .push(stem.clone());
        }
    }
    for shard in shards.values_mut() {
        for list in shard.forms.values_mut() {
            list.sort();
            list.dedup();
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

/// A form's stems in `terms/<shard>.json`: one stem as a string, several as a list.
#[derive(Serialize)]
#[serde(untagged)]
enum Stems<'a> {
    One(&'a str),
    Several(&'a [String]),
}

#[derive(Serialize)]
struct ShardView<'a> {
    forms: BTreeMap<&'a str, Stems<'a>>,
    terms: BTreeMap<&'a str, Vec<u32>>,
}

/// One `terms/<shard>.json` per shard: its forms, and each term's postings as delta,
/// weight, delta, ….
fn shard_files(shards: &Shards) -> Vec<OutputFile> {
    shards
        .par_iter()
        .map(|(key, shard)| {
            let terms = shard
                .terms
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
            let forms = shard
                .forms
                .iter()
                .map(|(form, stems)| {
                    let stems = match stems.as_slice() {
                        [one] => Stems::One(one),
                        several => Stems::Several(several),
                    };
                    (form.as_str(), stems)
                })
                .collect();
            json_file(
                format!("{BUNDLE}/terms/{key}.json"),
                &ShardView { forms, terms },
            )
        })
        .collect()
}

/// The documents as results show them, `CHUNK` to a `docs/<n>.json` file, each with its
/// whole text so an excerpt can come from anywhere in it.
fn document_chunks(documents: &[Document]) -> Vec<OutputFile> {
    documents
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let views: Vec<DocumentView<'_>> = chunk
                .iter()
                .map(|d| DocumentView {
                    url: &d.url,
                    title: &d.title,
                    kind: d.kind,
                    context: &d.context,
                    text: &d.text,
                    reason: d.reason.as_deref(),
                })
                .collect();
            json_file(format!("{BUNDLE}/docs/{n}.json"), &views)
        })
        .collect()
}
