//! Markdown to an HTML fragment: CommonMark with tables, footnotes and strikethrough;
//! `@/` links resolved; fenced code highlighted; heading ids; citable paragraph anchors;
//! entity mentions linked. Knows nothing of pages: it takes a [`RenderContext`] and returns
//! problems as byte ranges of the Markdown, which the caller places in its file.
//!
//! Every link and image destination (inline, reference definitions, autolinks) and, under
//! `allow_html`, every URL attribute of raw HTML is checked with [`crate::url_scheme`]: a
//! `javascript:` link is an error at the destination, never a silently rewritten link.
//!
//! This file holds the renderer's state and its walk over the events; `headings` gives
//! headings their ids, `links` checks and resolves link and image destinations, and
//! `raw_html` checks raw HTML.

mod headings;
pub mod highlight;
mod links;
pub mod mentions;
mod raw_html;
pub mod text;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::diagnostic::Severity;
use crate::url_scheme::Use;
use headings::Heading;
use mentions::MentionMatcher;
use raw_html::HtmlText;

// Still reachable here, where pipeline, templates, feeds and serve call it.
pub use crate::escape::escape_html;
pub use headings::ThemeIds;

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

/// The state of one rendering: the events to write, what was learned so far, and where in
/// the document the current event is (inside a link, a container, a paragraph).
struct Renderer<'a, 'ctx> {
    context: &'ctx RenderContext<'a>,
    markdown: &'a str,
    /// The raw HTML block being read (under `allow_html`), for its URLs.
    html_block: Option<HtmlText>,
    events: Vec<Event<'a>>,
    rendered: Rendered,
    text_run: Vec<(Event<'a>, Range<usize>)>,
    link_depth: usize,
    container_depth: usize,
    n_paragraphs: usize,
    open_paragraphs: Vec<Option<String>>,
    mentioned: BTreeSet<usize>,
    /// For each heading id base, the first suffix not yet known to be taken: every
    /// `base-1` … below it is, so a thousand identical headings cost no more than one each.
    next_suffix: HashMap<String, usize>,
}

/// The Markdown extensions bodies are written with.
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Renders `markdown` to an HTML fragment.
pub fn render(markdown: &str, context: &RenderContext<'_>) -> Rendered {
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
        next_suffix: HashMap::new(),
    };
    let mut parser = Parser::new_ext(markdown, OPTIONS).into_offset_iter();
    renderer.check_definitions(parser.reference_definitions());
    while let Some((event, range)) = parser.next() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                renderer.flush_text();
                renderer.code_block(&kind, &mut parser);
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                renderer.flush_text();
                let (text, inner_events) = headings::heading_contents(&mut parser);
                let heading = Heading {
                    level,
                    id,
                    classes,
                    attrs,
                };
                renderer.heading(heading, &text, inner_events, range);
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
    /// Emits a code block, highlighted, reading its text up to its end tag.
    fn code_block(
        &mut self,
        kind: &CodeBlockKind<'_>,
        parser: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
    ) {
        let language = match kind {
            CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
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
        self.events
            .push(Event::Html(highlight::highlight(&code, &language).into()));
    }

    /// Handles one event outside code blocks and heading tags: text is gathered into a run
    /// for mentions, links are checked and resolved, paragraphs get anchors, raw HTML is
    /// checked or escaped, and everything else passes as it is.
    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
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
                let dest_url = self.destination(link_type, dest_url, range, Use::Link);
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
                let dest_url = self.destination(link_type, dest_url, range, Use::Image);
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
            Event::Start(Tag::Paragraph) => self.start_paragraph(event),
            Event::End(TagEnd::Paragraph) => self.end_paragraph(event),
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
            Event::Html(_)
            | Event::InlineHtml(_)
            | Event::Start(Tag::HtmlBlock)
            | Event::End(TagEnd::HtmlBlock) => self.raw_html(event, range),
            other => self.events.push(other),
        }
    }

    /// Opens a paragraph, with an id (`p1`, `p2`, …) if it is a top-level one of a body
    /// with paragraph anchors.
    fn start_paragraph(&mut self, event: Event<'a>) {
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

    /// Closes a paragraph, with the link that cites it if it has an id.
    fn end_paragraph(&mut self, event: Event<'a>) {
        match self.open_paragraphs.pop().flatten() {
            Some(id) => {
                let number = &id[1..];
                self.events.push(Event::Html(
                    format!(" <a class=\"cite\" href=\"#{id}\" aria-label=\"Link to paragraph {number}\" title=\"Link to this paragraph\">¶</a></p>\n").into(),
                ));
            }
            None => self.events.push(event),
        }
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

#[cfg(test)]
mod tests;
