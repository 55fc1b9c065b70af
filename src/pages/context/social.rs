//! `social`, which every template receives: what link previews show of the page (Open Graph
//! and Twitter card metadata), computed here rather than in templates: its title, a
//! description (a pledge's wording shortened at a word), its canonical URL, and its social
//! card when it has one (`crate::cards`).

use serde::Serialize;

use crate::cards;
use crate::markdown::text::plain_text;
use crate::routes::{self, Item, PageKind};
use crate::templates::views::ViewContext;
use crate::words::shorten;

/// The longest description, in characters, ellipsis included.
pub(super) const DESCRIPTION_MAX: usize = 200;

/// `social` in every template.
#[derive(Debug, Serialize)]
pub(super) struct SocialView {
    /// `og:title`.
    title: String,
    /// `og:description`: at most 200 characters, cut at a word with `…`.
    description: String,
    /// `og:url`: the canonical URL.
    url: String,
    /// `og:type`: `article` for pledges and statements, else `website`.
    kind: &'static str,
    /// `og:site_name`.
    site_name: String,
    /// `og:image`, or null when the page has no card.
    image: Option<ImageView>,
    /// `twitter:card`: `summary_large_image` with a card, else `summary`.
    twitter_card: &'static str,
}

/// A page's social card.
#[derive(Debug, Serialize)]
struct ImageView {
    /// Absolute.
    url: String,
    width: u32,
    height: u32,
    /// What the card says, for `og:image:alt`.
    alt: String,
}

/// The link-preview metadata of page `kind`, titled `title`, at `url` (canonical).
pub(super) fn social(
    views: &ViewContext<'_>,
    kind: PageKind,
    title: &str,
    url: String,
) -> SocialView {
    let site = views.site;
    let image = views
        .cards
        .then(|| routes::card_path(site, kind))
        .flatten()
        .map(|path| ImageView {
            url: format!("{}{path}", site.config.base_url()),
            width: cards::WIDTH,
            height: cards::HEIGHT,
            alt: alt(views, kind, title),
        });
    SocialView {
        title: title.to_string(),
        description: shorten(&description(views, kind), DESCRIPTION_MAX),
        url,
        kind: match kind {
            PageKind::Pledge(_) | PageKind::Statement(_) | PageKind::Embed(_) => "article",
            _ => "website",
        },
        site_name: site.config.title.clone(),
        twitter_card: if image.is_some() {
            "summary_large_image"
        } else {
            "summary"
        },
        image,
    }
}

/// The page's own description: a pledge's wording; an entity's summary; otherwise the
/// text of the item's body, or else a sentence about the page, or else the site's.
fn description(views: &ViewContext<'_>, kind: PageKind) -> String {
    let site = views.site;
    let body = |item: Item| plain_text(&item.body(site).markdown);
    let fallback = || {
        if site.config.description.is_empty() {
            site.config.title.clone()
        } else {
            site.config.description.clone()
        }
    };
    let text = match kind {
        PageKind::Pledge(p) | PageKind::Embed(p) => views.plain_texts[p].clone(),
        PageKind::Entity(e) => match &site.entities[e].summary {
            Some(summary) => summary.clone(),
            None => body(Item::Entity(e)),
        },
        PageKind::Statement(s) => {
            let text = body(Item::Statement(s));
            if text.trim().is_empty() {
                let statement = &site.statements[s];
                format!(
                    "{}, {}: its pledges and where each stands.",
                    statement.title,
                    statement.date.display()
                )
            } else {
                text
            }
        }
        other => match other.item() {
            Some(Item::Home) | None => String::new(),
            Some(item) => body(item),
        },
    };
    if text.trim().is_empty() {
        fallback()
    } else {
        text
    }
}

/// What a card shows, for readers who cannot see it.
fn alt(views: &ViewContext<'_>, kind: PageKind, title: &str) -> String {
    let site = views.site;
    match kind {
        PageKind::Pledge(p) => {
            let pledge = &site.pledges[p];
            format!(
                "{title}: {}. A pledge of the {}.",
                pledge.status.label(),
                site.statements[pledge.statement].title
            )
        }
        PageKind::Statement(s) => format!("{title}, {}.", site.statements[s].date.display()),
        PageKind::Entity(e) => format!(
            "{title}: {} pledges, on {}.",
            views.relations.entity_pledges[e].len(),
            site.config.title
        ),
        _ => title.to_string(),
    }
}
