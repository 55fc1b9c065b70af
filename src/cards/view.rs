//! What `card.svg` receives: `site` (`title`) and `card`, built from the model through the
//! `ViewContext`, with the title already wrapped into lines that fit the card.

use serde::Serialize;

use crate::routes::PageKind;
use crate::templates::views::{StatusView, ViewContext};
use crate::words::{shorten, wrap};

/// `card` in `card.svg`.
#[derive(Serialize)]
struct CardView {
    /// `pledge`, `statement`, `topic`, `country` or `program`.
    kind: &'static str,
    /// `Pledge`, `Joint statement`, `Topic` …
    kind_label: &'static str,
    title: String,
    /// The title wrapped at words: up to 3 lines at `title_size` 60, else up to 4 at 48.
    title_lines: Vec<String>,
    title_size: u32,
    /// A pledge's status, or null.
    status: Option<StatusView>,
    /// A pledge's statement, a statement's date, an entity's kind: one line.
    context: String,
    /// A pledge's section, a statement's or entity's count of pledges: one line.
    detail: String,
}

/// `site` in `card.svg`.
#[derive(Serialize)]
struct CardSite<'a> {
    title: &'a str,
}

#[derive(Serialize)]
struct CardContext<'a> {
    site: CardSite<'a>,
    card: CardView,
}

/// Characters per line of the title at 60 and at 48 pixels, for DejaVu Sans Bold on the
/// 1040 pixels the default template gives it.
const WIDE: (u32, usize, usize) = (60, 28, 3);
const SMALL: (u32, usize, usize) = (48, 36, 4);

fn title_lines(title: &str) -> (Vec<String>, u32) {
    let lines = wrap(title, WIDE.1, WIDE.2 + 1);
    if lines.len() <= WIDE.2 {
        return (lines, WIDE.0);
    }
    (wrap(title, SMALL.1, SMALL.2), SMALL.0)
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 pledge".to_string()
    } else {
        format!("{n} pledges")
    }
}

/// The card's template context for page `kind` (a pledge, statement or entity).
pub(super) fn context(views: &ViewContext<'_>, kind: PageKind) -> tera::Context {
    let site = views.site;
    let relations = views.relations;
    let (card_kind, kind_label, title, status, context, detail) = match kind {
        PageKind::Pledge(p) => {
            let pledge = &site.pledges[p];
            let statement = &site.statements[pledge.statement];
            (
                "pledge",
                "Pledge",
                pledge.title.clone(),
                Some(pledge.status.into()),
                shorten(&statement.title, 70),
                shorten(&site.sections[pledge.section].title, 70),
            )
        }
        PageKind::Statement(s) => {
            let statement = &site.statements[s];
            let n: usize = relations.statement_sections[s]
                .iter()
                .map(|&section| relations.section_pledges[section].len())
                .sum();
            let place = statement
                .place
                .as_deref()
                .map(|place| format!(", {place}"))
                .unwrap_or_default();
            (
                "statement",
                "Joint statement",
                statement.title.clone(),
                None,
                shorten(&format!("{}{place}", statement.date.display()), 70),
                count(n),
            )
        }
        PageKind::Entity(e) => {
            let entity = &site.entities[e];
            let label = match entity.kind.singular() {
                "topic" => "Topic",
                "country" => "Country or region",
                _ => "Program",
            };
            (
                entity.kind.singular(),
                label,
                entity.title.clone(),
                None,
                shorten(entity.summary.as_deref().unwrap_or(""), 70),
                count(relations.entity_pledges[e].len()),
            )
        }
        _ => unreachable!("only pledges, statements and entities have cards"),
    };
    let (lines, size) = title_lines(&title);
    let card = CardView {
        kind: card_kind,
        kind_label,
        title,
        title_lines: lines,
        title_size: size,
        status,
        context,
        detail,
    };
    let context = CardContext {
        site: CardSite {
            title: &site.config.title,
        },
        card,
    };
    tera::Context::from_serialize(context).expect("a card's context serialises to an object")
}
