//! Reading the site from disk: `site.toml`, every file under `content/`, and the source
//! texts that sources point to. Builds a [`Site`]; never renders and never writes.
//!
//! Files are read and parsed in parallel. A file with a problem is left out of the site and
//! reported as a [`Diagnostic`]; loading carries on so every problem is reported at once.

mod assemble;
pub mod frontmatter;
mod listing;
mod parse;
mod read;

use std::path::Path;

use anyhow::Context;
use rayon::prelude::*;
use toml::Spanned;

use crate::Problems;
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, SourceText};
use crate::files::{Project, Refusal};
use crate::model::{Pledge, Site};
use assemble::Parts;
use listing::list_content_files;
use parse::{Parsed, parse_file};

pub use read::{MAX_FILE_BYTES, read_text};

/// A loaded site and the problems found while loading it.
#[derive(Debug)]
pub struct Loaded {
    /// The site, without the files that had errors.
    pub site: Site,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `site.toml` and `content/` under `root`.
///
/// Fails with [`Problems`] when `site.toml` cannot be used at all; every other problem is
/// returned in [`Loaded::diagnostics`].
pub fn load_site(root: &Path) -> anyhow::Result<Loaded> {
    let project = Project::open(root)
        .with_context(|| format!("cannot open the site folder `{}`", root.display()))?;
    let config = load_config(&project)?;
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Problems(vec![Diagnostic::error("content", 1, 1, "the site has no content/ folder").with_help(
            "create content/ with statements/, topics/, countries/, programs/ and sources/ as docs/CONTENT-MODEL.md describes",
        )])
        .into());
    }

    let mut diagnostics = Vec::new();
    let listed = list_content_files(&project, &mut diagnostics);
    let parsed: Vec<(String, Result<Parsed, Vec<Diagnostic>>)> = listed
        .files
        .into_par_iter()
        .map(|(relative, absolute)| {
            let result = read_text(&absolute, &relative)
                .map_err(|diagnostic| vec![diagnostic])
                .and_then(|text| parse_file(&project, &relative, text));
            (relative, result)
        })
        .collect();

    let mut parts = Parts::default();
    for folder in listed.unreadable {
        // Everything below an unreadable folder is unknown: references into it are not
        // reported again.
        let below = folder.strip_prefix("content").unwrap_or(&folder);
        parts
            .unparsed
            .insert(format!("{}/", below.trim_start_matches('/')));
    }
    for (relative, result) in parsed {
        match result {
            Ok(item) => parts.add(item),
            Err(mut problems) => {
                diagnostics.append(&mut problems);
                parts.unparsed.insert(
                    relative
                        .strip_prefix("content/")
                        .unwrap_or(&relative)
                        .to_string(),
                );
            }
        }
    }
    diagnostic::merge_repeats(&mut diagnostics);
    let site = parts.assemble(config, &mut diagnostics);
    Ok(Loaded { site, diagnostics })
}

fn load_config(project: &Project) -> anyhow::Result<Config> {
    let path = match project.resolve_file("site.toml") {
        Ok(path) => path,
        Err(Refusal::Missing) => project.root.join("site.toml"),
        Err(refusal) => {
            return Err(Problems(vec![
                Diagnostic::error(
                    "site.toml",
                    1,
                    1,
                    refusal.message("the settings file", "site.toml"),
                )
                .with_help("make site.toml a regular file inside the project"),
            ])
            .into());
        }
    };
    if !path.is_file() {
        return Err(Problems(vec![Diagnostic::error("site.toml", 1, 1, "the site has no site.toml").with_help(
            "create site.toml with at least title = \"...\" and base_url = \"https://...\" (see the README)",
        )])
        .into());
    }
    let text = read_text(&path, "site.toml").map_err(|diagnostic| Problems(vec![diagnostic]))?;
    let source = SourceText::new("site.toml", &text);
    let mut config = toml::from_str::<Config>(&text).map_err(|error| {
        let (offset, len) = error.span().map_or((0, 1), |span| (span.start, span.end - span.start));
        let message = error.message().trim().trim_end_matches('.');
        Problems(vec![source
            .error_at(offset, len, format!("invalid site.toml: {message}"))
            .with_help("site.toml takes title, base_url, description, language, theme, author, allow_html, license, license_url, [tracker] (review_period_days, method_page) and [[editors]] (id, name)")])
    })?;
    config.text = text.clone();
    if let Some(url) = &config.license_url
        && let Err(why) = crate::url_scheme::check_web_address(url.get_ref())
    {
        let span = url.span();
        return Err(Problems(vec![
            source
                .error_at(
                    span.start,
                    span.end - span.start,
                    format!(
                        "license_url `{}` {why}",
                        crate::url_scheme::shown(url.get_ref())
                    ),
                )
                .with_help(crate::url_scheme::WEB_ADDRESS_HELP),
        ])
        .into());
    }
    // Every page's address starts with base_url, in pages, the feeds and the sitemap.
    if let Err(why) = crate::url_scheme::check_base_url(&config.base_url) {
        /// Read again, only to place the error.
        #[derive(serde::Deserialize)]
        struct BaseUrl {
            base_url: Spanned<String>,
        }
        let span = toml::from_str::<BaseUrl>(&text).map_or(0..1, |b| b.base_url.span());
        return Err(Problems(vec![
            source
                .error_at(
                    span.start,
                    span.end - span.start,
                    format!(
                        "base_url `{}` {why}",
                        crate::url_scheme::shown(&config.base_url)
                    ),
                )
                .with_help(crate::url_scheme::BASE_URL_HELP),
        ])
        .into());
    }
    Ok(config)
}

/// Reads and parses one pledge file again, for the preview's quick update. `relative` is
/// the file's path from the site root (`content/statements/s/a/p.md`). The pledge's
/// `section` and `statement` indices are left at `usize::MAX` for the caller to fill in;
/// errors are left for the full rebuild that follows to report, so any problem gives `None`.
pub fn reparse_pledge(root: &Path, relative: &str) -> Option<Pledge> {
    let project = Project::open(root).ok()?;
    let absolute = project.resolve_file(relative).ok()?;
    let text = read_text(&absolute, relative).ok()?;
    match parse_file(&project, relative, text).ok()? {
        Parsed::Pledge { pledge, .. } => Some(pledge),
        _ => None,
    }
}
