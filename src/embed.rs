//! Embedding a pledge in another site: the iframe snippet that points at its embed page
//! (`routes::PageKind::Embed`), shown in the pledge page's "Embed this pledge" box, and the
//! pledge's static oEmbed response (`oembed.json` beside the embed page), which announces the
//! same snippet to the tools that read `<link rel="alternate" type="application/json+oembed">`.
//! Both exist only when the theme has `embed.html` (`ViewContext::embeds`).

use rayon::prelude::*;
use serde::Serialize;

use crate::escape::escape_html;
use crate::output::{FileOrigin, OutputFile};
use crate::routes::{self, PageKind};
use crate::templates::views::ViewContext;

/// The iframe's width, in CSS pixels: the embed page fits any width from 320 to 640.
pub const WIDTH: u32 = 560;

/// The iframe's height, in CSS pixels: the card's wording is shortened so that it fits.
pub const HEIGHT: u32 = 460;

/// How a pledge is embedded.
#[derive(Debug, Clone, Serialize)]
pub struct Snippet {
    /// The embed page, absolute (`base_url` + path), as the iframe's `src`.
    pub src: String,
    /// The embed page, with the site's path prefix, for links within the site.
    pub url: String,
    /// The oEmbed response, with the site's path prefix.
    pub oembed_url: String,
    /// The iframe's `title`, for screen readers: `Pledge: <title>`.
    pub title: String,
    /// The iframe's width.
    pub width: u32,
    /// The iframe's height.
    pub height: u32,
    /// The HTML to paste: one `<iframe>`, no script.
    pub html: String,
}

/// How pledge `pledge` is embedded.
pub fn snippet(views: &ViewContext<'_>, pledge: usize) -> Snippet {
    let site = views.site;
    let path = routes::page_path(site, PageKind::Embed(pledge));
    let src = format!("{}{path}", site.config.base_url());
    let title = format!("Pledge: {}", site.pledges[pledge].title);
    let html = format!(
        r#"<iframe src="{}" width="{WIDTH}" height="{HEIGHT}" title="{}" loading="lazy"></iframe>"#,
        escape_html(&src),
        escape_html(&title)
    );
    Snippet {
        src,
        url: views.url(&path),
        oembed_url: views.url(&routes::oembed_path(site, pledge)),
        title,
        width: WIDTH,
        height: HEIGHT,
        html,
    }
}

/// An oEmbed 1.0 response of type `rich` (oembed.com, section 2.3.4), its fields in
/// alphabetical order like the rest of the site's JSON.
#[derive(Debug, Serialize)]
struct OEmbed<'a> {
    height: u32,
    html: String,
    provider_name: &'a str,
    provider_url: String,
    title: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    version: &'static str,
    width: u32,
}

/// Every pledge's oEmbed response, when the theme has embed pages.
pub fn oembed_files(views: &ViewContext<'_>) -> Vec<OutputFile> {
    if !views.embeds {
        return Vec::new();
    }
    let site = views.site;
    (0..site.pledges.len())
        .into_par_iter()
        .map(|pledge| {
            let snippet = snippet(views, pledge);
            let response = OEmbed {
                height: snippet.height,
                html: snippet.html,
                provider_name: &site.config.title,
                provider_url: format!("{}/", site.config.base_url()),
                title: &site.pledges[pledge].title,
                kind: "rich",
                version: "1.0",
                width: snippet.width,
            };
            OutputFile {
                path: routes::output_path(&routes::oembed_path(site, pledge)),
                bytes: serde_json::to_vec_pretty(&response).expect("an oEmbed response is JSON"),
                origin: FileOrigin::Content(site.pledges[pledge].origin.path.clone()),
            }
        })
        .collect()
}
