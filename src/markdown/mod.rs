//! Markdown to an HTML fragment: CommonMark with tables, footnotes and strikethrough;
//! `@/` links resolved; fenced code highlighted; heading ids; citable paragraph anchors;
//! entity mentions linked. Knows nothing of pages: it takes a [`RenderContext`] and returns
//! problems as byte ranges of the Markdown, which the caller places in its file.
//!
//! Every link and image destination (inline, reference definitions, autolinks) and, under
//! `allow_html`, every URL attribute of raw HTML is checked with [`crate::url_scheme`]: a
//! `javascript:` link is an error at the destination, never a silently rewritten link.

pub mod highlight;
pub mod mentions;
pub mod text;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::diagnostic::Severity;
use crate::html_urls;
use crate::slug;
use crate::url_scheme::{self, Use};
use mentions::MentionMatcher;

/// What a Markdown body is rendered with.
#[derive(Debug, Clone, Copy)]
pub struct RenderContext<'a> {
    /// Content paths (`statements/s/_index.md`) to URL paths (`/statements/s/`).
    pub link_targets: &'a HashMap<String, String>,
    /// Entity names to link, and the URL of each entity by index; `None` links no mentions.
    pub mentions: Option<(&'a MentionMatcher, &'a [String])>,
    /// Give every top-level paragraph an id and a visible link to cite it.
    pub paragraph_anchors: bool,
    /// Let raw HTML through instead of showing it as text.
    pub allow_html: bool,
    /// Ids the theme gives elements of the pages bodies are shown in: no heading takes one.
    pub theme_ids: &'a ThemeIds,
}

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

/// A link to another content file, to be checked once every page's anchors are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    /// The target's content path, e.g. `programs/nato.md`.
    pub target: String,
    /// The `#anchor`, if any.
    pub anchor: Option<String>,
    /// Where the link is in the Markdown.
    pub range: std::ops::Range<usize>,
}

/// A problem in the Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Error, or a warning that does not stop the build.
    pub severity: Severity,
    /// Where it is in the Markdown.
    pub range: std::ops::Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// The content path a broken link pointed to.
    pub target: Option<String>,
}

/// The rendered fragment and what was learned while rendering it.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML fragment.
    pub html: String,
    /// Ids a link may point to (`#...`).
    pub anchors: BTreeSet<String>,
    /// `@/` links to check.
    pub internal_links: Vec<InternalLink>,
    /// Problems found.
    pub problems: Vec<Problem>,
    /// Entities mentioned, in order of first mention.
    pub mentioned: Vec<usize>,
    /// Heading ids that the theme already uses, each with the id the heading got instead.
    pub renamed_ids: BTreeMap<String, String>,
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

struct Renderer<'a, 'ctx> {
    context: &'ctx RenderContext<'a>,
    markdown: &'a str,
    /// The raw HTML block being read (under `allow_html`), for its URLs.
    html_block: Option<HtmlText>,
    events: Vec<Event<'a>>,
    rendered: Rendered,
    text_run: Vec<(Event<'a>, std::ops::Range<usize>)>,
    link_depth: usize,
    container_depth: usize,
    n_paragraphs: usize,
    open_paragraphs: Vec<Option<String>>,
    mentioned: BTreeSet<usize>,
    /// For each heading id base, the first suffix not yet known to be taken: every
    /// `base-1` … below it is, so a thousand identical headings cost no more than one each.
    next_suffix: std::collections::HashMap<String, usize>,
}

/// Renders `markdown` to an HTML fragment.
pub fn render(markdown: &str, context: &RenderContext<'_>) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut renderer = Renderer {
        context,
        markdown,
        html_block: None,
        events: Vec::new(),
        rendered: Rendered::default(),
        text_run: Vec::new(),
        link_depth: 0,
        container_depth: 0,
        n_paragraphs: 0,
        open_paragraphs: Vec::new(),
        mentioned: BTreeSet::new(),
        next_suffix: std::collections::HashMap::new(),
    };
    let mut parser = Parser::new_ext(markdown, options).into_offset_iter();
    // Definitions are checked where they are written, used or not; their uses are not
    // checked again (see `check_destination`).
    let mut definitions: Vec<(Range<usize>, &str)> = parser
        .reference_definitions()
        .iter()
        .map(|(_, definition)| (definition.span.clone(), definition.dest.as_ref()))
        .collect();
    definitions.sort_by_key(|(span, _)| span.start);
    for (span, dest) in definitions {
        // A definition may serve an image; a use as a link is checked at the use.
        if let Err(refused) = url_scheme::check(dest, Use::Image) {
            let range = definition_destination(markdown, span);
            renderer.refuse(range, "link to", dest, "", &refused);
        }
    }
    while let Some((event, range)) = parser.next() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                renderer.flush_text();
                let language = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                for (inner, _) in parser.by_ref() {
                    match inner {
                        Event::Text(text) => code.push_str(&text),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                renderer
                    .events
                    .push(Event::Html(highlight::highlight(&code, &language).into()));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                renderer.flush_text();
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
                renderer.heading(level, id, classes, attrs, &text, inner_events, range);
            }
            other => renderer.event(other, range),
        }
    }
    renderer.flush_text();
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, renderer.events.into_iter());
    renderer.rendered.html = html;
    renderer.rendered
}

impl<'a> Renderer<'a, '_> {
    #[allow(clippy::too_many_arguments)]
    fn heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        text: &str,
        inner_events: Vec<(Event<'a>, std::ops::Range<usize>)>,
        range: Range<usize>,
    ) {
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
        let mut unique = base.clone();
        let mut counter = self.next_suffix.get(&base).copied().unwrap_or(1);
        while self.rendered.anchors.contains(&unique)
            || is_paragraph_id(&unique)
            || self.context.theme_ids.contains(&unique)
        {
            unique = format!("{base}-{counter}");
            counter += 1;
        }
        self.next_suffix.insert(base.clone(), counter);
        if self.context.theme_ids.contains(&base) {
            self.rendered
                .renamed_ids
                .insert(base.clone(), unique.clone());
            if explicit {
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

    fn event(&mut self, event: Event<'a>, range: std::ops::Range<usize>) {
        match event {
            Event::Text(_) | Event::SoftBreak => {
                self.text_run.push((event, range));
                return;
            }
            _ => self.flush_text(),
        }
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.check_destination(link_type, &dest_url, &range, Use::Link);
                let dest_url = self.resolve(dest_url, range);
                self.link_depth += 1;
                self.events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            // An image's destination resolves like a link's; its alt text gets no mentions.
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.check_destination(link_type, &dest_url, &range, Use::Image);
                let dest_url = self.resolve(dest_url, range);
                self.link_depth += 1;
                self.events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                self.link_depth -= 1;
                self.events.push(event);
            }
            Event::Start(Tag::Paragraph) => {
                if self.context.paragraph_anchors && self.container_depth == 0 {
                    self.n_paragraphs += 1;
                    let id = format!("p{}", self.n_paragraphs);
                    self.events
                        .push(Event::Html(format!("<p id=\"{id}\">").into()));
                    self.rendered.anchors.insert(id.clone());
                    self.open_paragraphs.push(Some(id));
                } else {
                    self.open_paragraphs.push(None);
                    self.events.push(event);
                }
            }
            Event::End(TagEnd::Paragraph) => match self.open_paragraphs.pop().flatten() {
                Some(id) => {
                    let number = &id[1..];
                    self.events.push(Event::Html(
                        format!(" <a class=\"cite\" href=\"#{id}\" aria-label=\"Link to paragraph {number}\" title=\"Link to this paragraph\">¶</a></p>\n").into(),
                    ));
                }
                None => self.events.push(event),
            },
            Event::Start(
                Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::Item
                | Tag::FootnoteDefinition(_)
                | Tag::Table(_),
            ) => {
                self.container_depth += 1;
                self.events.push(event);
            }
            Event::End(
                TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::FootnoteDefinition
                | TagEnd::Table,
            ) => {
                self.container_depth = self.container_depth.saturating_sub(1);
                self.events.push(event);
            }
            // Raw HTML becomes text, which the HTML writer escapes (and keeps in alt text).
            Event::Html(html) | Event::InlineHtml(html) if !self.context.allow_html => {
                self.events.push(Event::Text(html));
            }
            // Raw HTML passes, but its URLs are checked: a block once it is whole (its
            // lines come one event each), an inline tag at once.
            Event::Start(Tag::HtmlBlock) => {
                self.html_block = Some(HtmlText::default());
                self.events.push(event);
            }
            Event::Html(html) => {
                match &mut self.html_block {
                    Some(block) => block.push(self.markdown, &html, range),
                    None => {
                        let mut text = HtmlText::default();
                        text.push(self.markdown, &html, range);
                        self.check_raw_html(&text);
                    }
                }
                self.events.push(Event::Html(html));
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = self.html_block.take() {
                    self.check_raw_html(&block);
                }
                self.events.push(event);
            }
            Event::InlineHtml(html) => {
                let mut text = HtmlText::default();
                text.push(self.markdown, &html, range);
                self.check_raw_html(&text);
                self.events.push(Event::InlineHtml(html));
            }
            other => self.events.push(other),
        }
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

    /// Checks every URL attribute of a piece of raw HTML, and that it closes its tags: a
    /// start tag left open (`<iframe title="` before a blank line) would take in the HTML
    /// rendered after it as attributes, out of reach of these checks.
    fn check_raw_html(&mut self, html: &HtmlText) {
        let markup = html_urls::urls_in_markup(&html.text);
        if let Some(open) = markup.open_tag {
            let start = html.source_offset(open);
            let tag: String = html.text[open..].chars().take(30).collect();
            let tag = tag.lines().next().unwrap_or("");
            self.rendered.problems.push(Problem {
                severity: Severity::Error,
                range: start..start + tag.len(),
                message: format!(
                    "raw HTML leaves the tag `{}…` open: a browser would read what follows it as the tag's attributes",
                    url_scheme::shown(tag)
                ),
                help: "close the tag with > before the end of the block of raw HTML (a blank line ends the block)".to_string(),
                target: None,
            });
        }
        for url in markup.urls {
            let decoded = url_scheme::decode_char_refs(url.raw);
            if let Err(refused) = url_scheme::check(&decoded, url.usage) {
                let start = html.source_offset(url.offset);
                let what = match url.usage {
                    Use::Link => "link to",
                    Use::Image => "image",
                };
                let place = format!(" in a raw HTML `{}` attribute", url.attribute);
                self.refuse(
                    start..start + url.raw.len(),
                    what,
                    url.raw,
                    &place,
                    &refused,
                );
            }
        }
    }

    /// Records a refused URL as an error at `range`: "`what` `url``place` `why`".
    fn refuse(
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
    fn resolve(&mut self, dest_url: CowStr<'a>, range: std::ops::Range<usize>) -> CowStr<'a> {
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

    /// Emits the pending run of text, linking the first mention of each entity.
    fn flush_text(&mut self) {
        if self.text_run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.text_run);
        let Some((matcher, urls)) = self.context.mentions.filter(|_| self.link_depth == 0) else {
            // Nothing to link: the events go out as they came, so image alt text survives.
            self.events.extend(run.into_iter().map(|(event, _)| event));
            return;
        };
        let mut text = String::new();
        for (event, _) in &run {
            match event {
                Event::Text(t) => text.push_str(t),
                _ => text.push('\n'),
            }
        }
        let mut html = String::with_capacity(text.len() + 64);
        let mut written = 0;
        for mention in matcher.find(&text) {
            if !self.mentioned.insert(mention.entity) {
                continue;
            }
            self.rendered.mentioned.push(mention.entity);
            html.push_str(&escape_html(&text[written..mention.start]));
            html.push_str(&format!(
                "<a class=\"mention\" href=\"{}\">{}</a>",
                escape_html(&urls[mention.entity]),
                escape_html(&text[mention.start..mention.end])
            ));
            written = mention.end;
        }
        html.push_str(&escape_html(&text[written..]));
        self.events.push(Event::Html(html.into()));
    }
}

/// Raw HTML gathered from events, with where each piece came from in the Markdown (a block
/// inside a list or quote loses its indentation or `>` on the way).
#[derive(Default)]
struct HtmlText {
    text: String,
    /// (offset in `text`, offset in the Markdown, whether the piece is the Markdown's text
    /// verbatim, so that offsets inside it map one to one).
    pieces: Vec<(usize, usize, bool)>,
}

impl HtmlText {
    fn push(&mut self, markdown: &str, html: &str, range: Range<usize>) {
        let verbatim = markdown.get(range.clone()) == Some(html);
        self.pieces.push((self.text.len(), range.start, verbatim));
        self.text.push_str(html);
    }

    /// The Markdown offset of an offset in `text`.
    fn source_offset(&self, offset: usize) -> usize {
        let index = self.pieces.partition_point(|(start, ..)| *start <= offset);
        match index.checked_sub(1).map(|i| self.pieces[i]) {
            Some((start, source, true)) => source + (offset - start),
            Some((_, source, false)) => source,
            None => 0,
        }
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

fn is_paragraph_id(id: &str) -> bool {
    id.len() > 1 && id.starts_with('p') && id[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests;
