//! Links and images: each destination is checked with [`url_scheme::check`] where it is
//! written (an inline link's destination, an autolink inside its `<>`, a reference definition
//! once), and `@/` links are resolved to URLs and kept for the anchor check.

use std::ops::Range;

use pulldown_cmark::{CowStr, LinkType, RefDefs};

use super::{InternalLink, Problem, Renderer};
use crate::diagnostic::Severity;
use crate::url_scheme::{self, Use};

impl<'a> Renderer<'a, '_> {
    /// Checks every reference definition where it is written, used or not; their uses are
    /// not checked again (see `check_destination`).
    pub(super) fn check_definitions(&mut self, definitions: &RefDefs<'_>) {
        let mut definitions: Vec<(Range<usize>, &str)> = definitions
            .iter()
            .map(|(_, definition)| (definition.span.clone(), definition.dest.as_ref()))
            .collect();
        definitions.sort_by_key(|(span, _)| span.start);
        for (span, dest) in definitions {
            // A definition may serve an image; a use as a link is checked at the use.
            if let Err(refused) = url_scheme::check(dest, Use::Image) {
                let range = definition_destination(self.markdown, span);
                self.refuse(range, "link to", dest, "", &refused);
            }
        }
    }

    /// Checks a link's or image's destination, resolves it if it is an `@/` link, and opens
    /// the link (no mentions are linked inside it).
    pub(super) fn destination(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        range: Range<usize>,
        usage: Use,
    ) -> CowStr<'a> {
        self.check_destination(link_type, &dest_url, &range, usage);
        let dest_url = self.resolve(dest_url, range);
        self.link_depth += 1;
        dest_url
    }

    /// Checks a link's or image's destination where it is written. Reference-style links
    /// were checked at their definition (as images, the laxer use); here only a `data:`
    /// image definition used as a link is left to refuse.
    fn check_destination(
        &mut self,
        link_type: LinkType,
        dest: &str,
        range: &Range<usize>,
        usage: Use,
    ) {
        let at = match link_type {
            LinkType::Inline => inline_destination(self.markdown, range.clone()),
            LinkType::Autolink => range.start + 1..range.end.saturating_sub(1).max(range.start + 1),
            // `<a@b.org>`: pulldown-cmark writes `mailto:` before it.
            LinkType::Email => return,
            LinkType::Reference
            | LinkType::ReferenceUnknown
            | LinkType::Collapsed
            | LinkType::CollapsedUnknown
            | LinkType::Shortcut
            | LinkType::ShortcutUnknown
            | LinkType::WikiLink { .. } => {
                if usage == Use::Image || url_scheme::check(dest, Use::Image).is_err() {
                    return;
                }
                range.clone()
            }
        };
        if let Err(refused) = url_scheme::check(dest, usage) {
            let what = match usage {
                Use::Link => "link to",
                Use::Image => "image",
            };
            self.refuse(at, what, dest, "", &refused);
        }
    }

    /// Records a refused URL as an error at `range`: "`what` `url``place` `why`".
    pub(super) fn refuse(
        &mut self,
        range: Range<usize>,
        what: &str,
        url: &str,
        place: &str,
        refused: &url_scheme::Refused,
    ) {
        self.rendered.problems.push(Problem {
            severity: Severity::Error,
            range,
            message: format!(
                "{what} `{}`{place} {}",
                url_scheme::shown(url),
                refused.explain()
            ),
            help: url_scheme::LINK_HELP.to_string(),
            target: None,
        });
    }

    /// Resolves an `@/` link to a URL, recording it for the anchor check; other links pass.
    fn resolve(&mut self, dest_url: CowStr<'a>, range: Range<usize>) -> CowStr<'a> {
        let Some(internal) = dest_url.strip_prefix("@/") else {
            return dest_url;
        };
        let (target, anchor) = match internal.split_once('#') {
            Some((target, anchor)) => (target.to_string(), Some(anchor.to_string())),
            None => (internal.to_string(), None),
        };
        let Some(url) = self.context.link_targets.get(&target) else {
            self.rendered.problems.push(Problem {
                severity: Severity::Error,
                range,
                message: format!("link to `@/{internal}` points to no content file"),
                help: "write the file's path under content/, e.g. [NATO](@/programs/nato.md) or [the statement](@/statements/us-italy-2025/_index.md)".to_string(),
                target: Some(target),
            });
            return dest_url;
        };
        let resolved = match &anchor {
            Some(anchor) => format!("{url}#{anchor}"),
            None => url.clone(),
        };
        self.rendered.internal_links.push(InternalLink {
            target,
            anchor,
            range,
        });
        resolved.into()
    }
}

/// Where the destination of an inline link or image (`[text](dest "title")`) is, given the
/// whole link's range: after the `]` that closes the text, skipping nested brackets,
/// backslash escapes and code spans. Falls back to the whole link.
fn inline_destination(markdown: &str, range: Range<usize>) -> Range<usize> {
    let text = &markdown[range.clone()];
    let bytes = text.as_bytes();
    let mut i = if text.starts_with('!') { 2 } else { 1 };
    let mut depth = 1;
    while i < bytes.len() && depth > 0 {
        match bytes[i] {
            b'\\' => i += 1,
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                let fence = &text[i..i + run];
                i += run;
                match text[i..].find(fence) {
                    Some(end) => i += end + run - 1,
                    None => i -= 1,
                }
            }
            b'[' => depth += 1,
            b']' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    if bytes.get(i) != Some(&b'(') {
        return range;
    }
    i += 1;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    let start = i;
    let end = if bytes.get(i) == Some(&b'<') {
        text[i..].find('>').map_or(bytes.len(), |end| i + end + 1)
    } else {
        let mut parens = 0usize;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            match bytes[i] {
                b'\\' => i += 1,
                b'(' => parens += 1,
                b')' if parens == 0 => break,
                b')' => parens -= 1,
                _ => {}
            }
            i += 1;
        }
        i.min(bytes.len())
    };
    if end <= start {
        return range;
    }
    range.start + start..range.start + end
}

/// Where the destination of a reference definition (`[label]: dest "title"`) is, given the
/// definition's span.
fn definition_destination(markdown: &str, span: Range<usize>) -> Range<usize> {
    let text = &markdown[span.clone()];
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() && bytes[i] != b']' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i += 2; // `]:`
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    if i >= bytes.len() {
        return span;
    }
    let end = if bytes[i] == b'<' {
        text[i..].find('>').map_or(bytes.len(), |end| i + end + 1)
    } else {
        text[i..]
            .find(|c: char| c.is_ascii_whitespace())
            .map_or(bytes.len(), |end| i + end)
    };
    span.start + i..span.start + end
}
