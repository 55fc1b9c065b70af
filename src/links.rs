//! The links of generated pages and feeds, checked as each is made: every URL attribute for
//! a scheme pages may use (`url_scheme::check`), and every internal `href` and `src` for a
//! file the build makes. What the checks find becomes one error per URL, placed where it
//! can be fixed: a content file, or the template that writes the link.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::diagnostic::{Diagnostic, SourceText};
use crate::html_urls;
use crate::output::FileOrigin;
use crate::routes;
use crate::templates::Templates;
use crate::url_scheme;

/// The pages (output path and origin) that have a link.
pub(crate) type LinkingPages = BTreeSet<(String, FileOrigin)>;

/// What the link check found in one page.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct PageLinks {
    /// Internal links to no file in `known`, sorted.
    pub missing: Vec<String>,
    /// URLs with a scheme no page may use, sorted.
    pub refused: Vec<RefusedUrl>,
}

/// A URL in a generated page or feed that no page may use.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct RefusedUrl {
    /// The URL as written in the page.
    pub url: String,
    /// What it is, to start a message: `link to` or `image`.
    pub what: &'static str,
    /// Why it is refused (`url_scheme::Refused::explain`).
    pub why: String,
}

impl RefusedUrl {
    /// "link to `javascript:x` uses the `javascript:` scheme, which …".
    pub fn message(&self) -> String {
        format!(
            "{} `{}` {}",
            self.what,
            url_scheme::shown(&self.url),
            self.why
        )
    }
}

/// Every URL in a page or feed whose scheme no page may use.
pub(crate) fn refused_urls(html: &[u8]) -> Vec<RefusedUrl> {
    let mut refused = Vec::new();
    html_urls::urls_in_page(html, |found| {
        if let Some(url) = refused_url(&found) {
            refused.push(url);
        }
    });
    refused
}

fn refused_url(found: &html_urls::AttributeUrl<'_>) -> Option<RefusedUrl> {
    let decoded = url_scheme::decode_char_refs(found.raw);
    let refused = url_scheme::check(&decoded, found.usage).err()?;
    Some(RefusedUrl {
        url: found.raw.to_string(),
        what: match found.usage {
            url_scheme::Use::Link => "link to",
            url_scheme::Use::Image => "image",
        },
        why: refused.explain(),
    })
}

/// Checks every URL attribute of a page in one pass (`html_urls::urls_in_page`): each URL's
/// scheme (`url_scheme::check`), and each internal `href="…"` and `src="…"` for a file in
/// `known`.
pub(crate) fn page_links(html: &[u8], prefix: &str, known: &HashSet<String>) -> PageLinks {
    let mut links = PageLinks::default();
    let mut wanted = String::new();
    html_urls::urls_in_page(html, |found| {
        if let Some(refused) = refused_url(&found) {
            links.refused.push(refused);
            return;
        }
        if !found.double_quoted || !matches!(found.attribute, "href" | "xlink:href" | "src") {
            return;
        }
        let url = found.raw.split(['#', '?']).next().unwrap_or("");
        let Some(path) = url.strip_prefix(prefix).filter(|p| p.starts_with('/')) else {
            return;
        };
        if url.starts_with("//") {
            return;
        }
        routes::output_path_into(path, &mut wanted);
        if !known.contains(&wanted) && !known.contains(&wanted.replace("%20", " ")) {
            links.missing.push(url.to_string());
        }
    });
    links.missing.sort();
    links.missing.dedup();
    links.refused.sort();
    links.refused.dedup();
    links
}

/// Every `href` and `src` in the generated HTML that points inside the site must name a
/// generated file: a theme linking to a page that does not exist fails the build. `missing`
/// has each such link with the pages that have it.
pub(crate) fn missing_link_diagnostics(missing: BTreeMap<String, LinkingPages>) -> Vec<Diagnostic> {
    missing
        .into_iter()
        .map(|(url, pages)| {
            Diagnostic::error(
                page_to_fix(&pages).report_path(),
                1,
                1,
                format!(
                    "link to `{url}` leads nowhere: no page or file is generated there (linked from {})",
                    shown_pages(&pages)
                ),
            )
            .with_help("fix the link in the content file or the theme's template")
        })
        .collect()
}

/// Every URL in the generated pages whose scheme no page may use (`url_scheme::check`),
/// such as a `javascript:` link a template writes. Content cannot bring one this far (its
/// URLs are refused where they are written), so each is placed where the template writes
/// it when a template holds it verbatim, and otherwise like a link to nowhere.
pub(crate) fn refused_link_diagnostics(
    refused: BTreeMap<String, (RefusedUrl, LinkingPages)>,
    templates: &Templates,
) -> Vec<Diagnostic> {
    refused
        .into_iter()
        .map(|(url, (refused, pages))| {
            let message = format!("{} (in {})", refused.message(), shown_pages(&pages));
            if let Some((path, text, at)) = templates.find_text(&url).filter(|_| !url.is_empty()) {
                return SourceText::new(path, text).error_at(at, url.len(), message).with_help(
                    "remove the link from the template, or make it http:, https:, mailto: or a path on this site",
                );
            }
            Diagnostic::error(page_to_fix(&pages).report_path(), 1, 1, message)
                .with_help("fix the link in the content file or the theme's template")
        })
        .collect()
}

/// The first three pages by URL path, and how many more: `/a/, /b/, /c/ and 2 more`.
fn shown_pages(pages: &LinkingPages) -> String {
    let shown: Vec<String> = pages
        .iter()
        .take(3)
        .map(|(page, _)| format!("/{}", page.trim_end_matches("index.html")))
        .collect();
    let more = if pages.len() > 3 {
        format!(" and {} more", pages.len() - 3)
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(", "))
}

/// Where a link that pages share is fixed: the first page made from a content file, or
/// else the first page, whose template holds the link.
fn page_to_fix(pages: &LinkingPages) -> &FileOrigin {
    let (_, origin) = pages
        .iter()
        .find(|(_, origin)| origin.is_placed())
        .or_else(|| pages.first())
        .expect("only links that some page has are listed");
    origin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_scan_of_a_page_finds_missing_and_refused_links() {
        let known: HashSet<String> = ["index.html", "a/index.html", "style.css"]
            .map(String::from)
            .into();
        let page = concat!(
            "<link href=\"/p/style.css?v=1\"><a href=\"/p/a/#x\">a</a><a href=\"/p/b/\">b</a>",
            "<a href=\"https://example.org/\">e</a><a href=\"//example.org/\">e</a>",
            "<a href='javascript:alert(1)'>j</a><a href=\"java&#x73;cript:x\">k</a>",
            "<img src=\"data:image/png;base64,AA\"><img src=\"data:image/svg+xml,x\">",
            "<form action=vbscript:x></form><p>a href=javascript:text is text</p>",
            "<a title=\"say href=javascript:no\" href=\"/p/\">h</a>",
        );
        let links = page_links(page.as_bytes(), "/p", &known);
        assert_eq!(links.missing, vec!["/p/b/".to_string()]);
        let refused: Vec<(&str, &str)> = links
            .refused
            .iter()
            .map(|r| (r.what, r.url.as_str()))
            .collect();
        assert_eq!(
            refused,
            vec![
                ("image", "data:image/svg+xml,x"),
                ("link to", "java&#x73;cript:x"),
                ("link to", "javascript:alert(1)"),
                ("link to", "vbscript:x"),
            ]
        );
        assert_eq!(
            links.refused[2].message(),
            "link to `javascript:alert(1)` uses the `javascript:` scheme, which would run script in readers' browsers"
        );
    }
}
