//! Markdown to an HTML fragment: CommonMark with tables, footnotes and strikethrough;
//! `@/` links resolved; fenced code highlighted; heading ids; citable paragraph anchors;
//! entity mentions linked. Knows nothing of pages: it takes a [`RenderContext`] and returns
//! problems as byte ranges of the Markdown, which the caller places in its file.

pub mod highlight;
pub mod mentions;
pub mod text;

use std::collections::{BTreeSet, HashMap};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

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

/// Turns heading text into an id: lowercase ASCII letters and digits joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

struct Renderer<'a, 'ctx> {
    context: &'ctx RenderContext<'a>,
    events: Vec<Event<'a>>,
    rendered: Rendered,
    text_run: Vec<(Event<'a>, std::ops::Range<usize>)>,
    link_depth: usize,
    container_depth: usize,
    n_paragraphs: usize,
    open_paragraphs: Vec<Option<String>>,
    mentioned: BTreeSet<usize>,
}

/// Renders `markdown` to an HTML fragment.
pub fn render(markdown: &str, context: &RenderContext<'_>) -> Rendered {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut renderer = Renderer {
        context,
        events: Vec::new(),
        rendered: Rendered::default(),
        text_run: Vec::new(),
        link_depth: 0,
        container_depth: 0,
        n_paragraphs: 0,
        open_paragraphs: Vec::new(),
        mentioned: BTreeSet::new(),
    };
    let mut parser = Parser::new_ext(markdown, options).into_offset_iter();
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
                renderer.heading(level, id, classes, attrs, &text, inner_events);
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
    fn heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        text: &str,
        inner_events: Vec<(Event<'a>, std::ops::Range<usize>)>,
    ) {
        let base = id.map(|id| id.to_string()).unwrap_or_else(|| {
            let slug = slugify(text);
            if slug.is_empty() {
                "section".to_string()
            } else {
                slug
            }
        });
        let mut unique = base.clone();
        let mut counter = 1;
        while self.rendered.anchors.contains(&unique) || is_paragraph_id(&unique) {
            unique = format!("{base}-{counter}");
            counter += 1;
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
            other => self.events.push(other),
        }
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

fn is_paragraph_id(id: &str) -> bool {
    id.len() > 1 && id.starts_with('p') && id[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests;
