//! Social cards: a 1200×630 PNG for every pledge, statement and entity, beside its page
//! (`routes::card_path`), which its `og:image` names. Each is drawn from the theme's SVG
//! template `card.svg` (a Tera template, laid over by the site's `templates/card.svg` like
//! any other), and rasterised here with resvg, with only the fonts the theme bundles in
//! `themes/<theme>/fonts/` (loaded from their bytes, never the system's), so a card is the
//! same bytes on every machine. Cards are drawn in parallel; with a `BuildCache` (under
//! `serve`), a card whose SVG and fonts are unchanged is not drawn again.

mod draw;
mod view;

use rayon::prelude::*;

use crate::cache::{BuildCache, CardCache, Work};
use crate::diagnostic::Diagnostic;
use crate::hash::fnv1a;
use crate::output::OutputFile;
use crate::routes::{self, CARD_TEMPLATE};
use crate::templates::Templates;
use crate::templates::views::ViewContext;

pub use draw::{Fonts, load_fonts};

/// A card's size in pixels: the size Open Graph and Twitter's large summary card expect.
pub const WIDTH: u32 = 1200;
/// See [`WIDTH`].
pub const HEIGHT: u32 = 630;

/// Draws every card, when `views.cards` says the site has them: the PNG files, and a
/// problem for each card whose template failed or whose SVG could not be read.
pub fn draw_cards(
    views: &ViewContext<'_>,
    templates: &Templates,
    fonts: &Fonts,
    cache: Option<&mut BuildCache>,
    work: &mut Work,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    if !views.cards {
        return (Vec::new(), Vec::new());
    }
    let site = views.site;
    let kinds: Vec<_> = routes::card_pages(site).collect();
    let mut cache = cache;
    let previous = cache
        .as_deref_mut()
        .map(BuildCache::take_cards)
        .unwrap_or_default();
    let results: Vec<Result<(OutputFile, u64, bool), Diagnostic>> = kinds
        .into_par_iter()
        .map(|kind| {
            let path = routes::card_path(site, kind).expect("card_pages have cards");
            let context = view::context(views, kind);
            let svg = templates.render(CARD_TEMPLATE, &context, &views.url(&path))?;
            let key = fnv1a(svg.bytes().chain(fonts.fingerprint().to_le_bytes()));
            let output = routes::output_path(&path);
            let origin = routes::page_origin(site, kind);
            if let Some((cached, bytes)) = previous.get(&output)
                && *cached == key
            {
                let file = OutputFile {
                    path: output,
                    bytes: bytes.clone(),
                    origin,
                };
                return Ok((file, key, false));
            }
            let bytes = draw::rasterise(&svg, fonts).map_err(|why| {
                Diagnostic::error(
                    templates.file_of(CARD_TEMPLATE),
                    1,
                    1,
                    format!(
                        "the card for {} is not an SVG image resvg can draw: {why}",
                        views.url(&path)
                    ),
                )
                .with_help(
                    "check that card.svg renders well-formed SVG 1.1 with a width and height",
                )
            })?;
            Ok((
                OutputFile {
                    path: output,
                    bytes,
                    origin,
                },
                key,
                true,
            ))
        })
        .collect();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut fresh = CardCache::new();
    for result in results {
        match result {
            Ok((file, key, drawn)) => {
                work.cards_drawn += usize::from(drawn);
                if cache.is_some() {
                    fresh.insert(file.path.clone(), (key, file.bytes.clone()));
                }
                files.push(file);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if let Some(cache) = cache {
        cache.keep_cards(fresh);
    }
    (files, problems)
}
