//! Headings and their ids: every heading gets an id that is unique on its page, made from
//! its text (or its `{#id}`), numbered when taken, and never one the theme uses
//! ([`ThemeIds`]) or a paragraph anchor (`p1`, `p2`, …).

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::{Problem, Renderer};
use crate::diagnostic::Severity;
use crate::slug;

/// Ids that the templates (and the generator, for what templates print from it) give
/// elements of a page, such as `main`: a heading whose id would be one of them gets another,
/// so that every id on a page is unique and `#main` still leads to the theme's `<main>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeIds {
    /// Ids used as written, e.g. `main`, `text-heading`.
    pub exact: BTreeSet<String>,
    /// Prefixes of numbered ids: `section-` stands for `section-1`, `section-2`, ….
    pub numbered: BTreeSet<String>,
    /// Prefixes of ids that end in a date and a six-digit hexadecimal hash, as update
    /// anchors do: `update-` stands for `update-2025-04-18-0a1b2c`.
    pub dated: BTreeSet<String>,
}

impl ThemeIds {
    /// Does the theme use `id`?
    pub fn contains(&self, id: &str) -> bool {
        self.exact.contains(id)
            || self.numbered.iter().any(|prefix| {
                id.strip_prefix(prefix.as_str()).is_some_and(|rest| {
                    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
                })
            })
            || self.dated.iter().any(|prefix| {
                id.strip_prefix(prefix.as_str())
                    .is_some_and(is_date_and_hash)
            })
    }
}

/// `2025-04-18-0a1b2c`: a date, a dash and six lowercase hexadecimal digits.
fn is_date_and_hash(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 17
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 | 10 => *b == b'-',
            0..=9 => b.is_ascii_digit(),
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(b),
        })
}

/// Is `id` a paragraph anchor's, `p` and a number?
fn is_paragraph_id(id: &str) -> bool {
    id.len() > 1 && id.starts_with('p') && id[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A heading's start tag, taken apart.
pub(super) struct Heading<'a> {
    pub(super) level: HeadingLevel,
    /// The id written as `{#id}`, if any.
    pub(super) id: Option<CowStr<'a>>,
    pub(super) classes: Vec<CowStr<'a>>,
    pub(super) attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
}

/// A heading's events up to its end tag, and its text for the id.
pub(super) fn heading_contents<'a>(
    parser: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> (String, Vec<(Event<'a>, Range<usize>)>) {
    let mut inner_events = Vec::new();
    let mut text = String::new();
    for (inner, inner_range) in parser.by_ref() {
        match &inner {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
        inner_events.push((inner, inner_range));
    }
    (text, inner_events)
}

impl<'a> Renderer<'a, '_> {
    /// Emits a heading with a unique id; `text` is its text and `inner_events` what is
    /// inside it, `range` where it is in the Markdown.
    pub(super) fn heading(
        &mut self,
        heading: Heading<'a>,
        text: &str,
        inner_events: Vec<(Event<'a>, Range<usize>)>,
        range: Range<usize>,
    ) {
        let Heading {
            level,
            id,
            classes,
            attrs,
        } = heading;
        let explicit = id.is_some();
        let base = id.map(|id| id.to_string()).unwrap_or_else(|| {
            // Every word of the text, split at dots and apostrophes too (`U.S.` gives
            // `u-s`): ids are anchors readers link to, so they keep the rule they had.
            let slug = slug::from_text(text, &[], usize::MAX);
            if slug.is_empty() {
                "section".to_string()
            } else {
                slug
            }
        });
        let unique = self.unique_id(&base);
        if self.context.theme_ids.contains(&base) {
            self.note_renamed(&base, &unique, explicit, range);
        }
        self.rendered.anchors.insert(unique.clone());
        self.events.push(Event::Start(Tag::Heading {
            level,
            id: Some(unique.into()),
            classes,
            attrs,
        }));
        let saved_depth = self.link_depth;
        // Headings get no mention links: a heading is a title, not the pledge's wording.
        self.link_depth += 1;
        for (inner, range) in inner_events {
            self.event(inner, range);
        }
        self.flush_text();
        self.link_depth = saved_depth;
        self.events.push(Event::End(TagEnd::Heading(level)));
    }

    /// `base`, or `base-1`, `base-2`, … if taken by an earlier heading, a paragraph anchor
    /// or the theme.
    fn unique_id(&mut self, base: &str) -> String {
        let mut unique = base.to_string();
        let mut counter = self.next_suffix.get(base).copied().unwrap_or(1);
        while self.rendered.anchors.contains(&unique)
            || is_paragraph_id(&unique)
            || self.context.theme_ids.contains(&unique)
        {
            unique = format!("{base}-{counter}");
            counter += 1;
        }
        self.next_suffix.insert(base.to_string(), counter);
        unique
    }

    /// Records that the heading asked for `base`, an id the theme uses, and got `unique`;
    /// an id written as `{#base}` also gets a warning there.
    fn note_renamed(&mut self, base: &str, unique: &str, explicit: bool, range: Range<usize>) {
        self.rendered
            .renamed_ids
            .insert(base.to_string(), unique.to_string());
        if !explicit {
            return;
        }
        // Point at `{#base}` where it can be found, else at the heading.
        let heading = &self.markdown[range.clone()];
        let at = heading
            .rfind(&format!("#{base}"))
            .map_or(range.clone(), |i| {
                range.start + i..range.start + i + 1 + base.len()
            });
        self.rendered.problems.push(Problem {
            severity: Severity::Warning,
            range: at,
            message: format!(
                "heading id `{base}` is an id the theme uses for its own elements; the heading gets `{unique}` instead"
            ),
            help: format!(
                "give the heading another id, e.g. {{#{base}-text}}; links to it must use the id it gets (#{unique})"
            ),
            target: None,
        });
    }
}
