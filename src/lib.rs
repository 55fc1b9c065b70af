//! `communique` turns a statement's sections and pledges into a static site of cross-linked
//! pages: every pledge, section and statement, every topic, country and program they touch,
//! and the source documents behind them.
//!
//! The pipeline: [`content`] walks `content/` and parses front matter into a [`model::Site`];
//! [`model::relations`] checks every reference; [`bodies`] renders Markdown bodies in
//! parallel through [`markdown`], resolving `@/` links and linking entity mentions;
//! `relations` then derives the graph (an entity's pledges, related pledges, neighbours);
//! [`pages`] renders every page through the theme's Tera templates ([`templates`]) in
//! parallel, checking its links ([`links`]); [`search`], [`assets`] and [`feeds`] add the
//! search index, static files, sitemap, feeds and JSON; and every file goes to an
//! [`output::Sink`], which under `build` writes it into a staging folder that replaces the
//! site atomically. [`routes`] says where every page and file goes. [`pipeline`] strings the
//! stages together, so `build`, `check` and `serve` share every step but the last.

#![warn(missing_docs)]
// Diagnostics travel in `Err` only on the cold path of a content problem; boxing them would
// make every call site noisier for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod bodies;
pub mod cache;
pub mod cards;
pub mod cite;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod embed;
pub mod escape;
pub mod feeds;
pub mod fence;
pub mod files;
pub mod graph;
pub mod hash;
pub mod html_urls;
pub mod import;
pub mod links;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pages;
pub mod pipeline;
pub mod provenance;
pub mod published;
pub mod quotes;
pub mod routes;
pub mod search;
pub mod serve;
pub mod slug;
pub mod stopwords;
pub mod templates;
pub mod term;
pub mod url_scheme;
pub mod words;

use diagnostic::Diagnostic;

/// Content problems that stop a build: every one found, errors and warnings, sorted.
#[derive(Debug, Clone)]
pub struct Problems(pub Vec<Diagnostic>);

impl Problems {
    /// How many of the problems are errors.
    pub fn n_errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }
}

impl std::fmt::Display for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        let n_errors = self.n_errors();
        write!(
            f,
            "{n_errors} error(s), {} warning(s)",
            self.0.len() - n_errors
        )
    }
}

impl std::error::Error for Problems {}
