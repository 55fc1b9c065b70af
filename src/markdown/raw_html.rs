//! Raw HTML under `allow_html`: it passes into the fragment, but every URL attribute in it
//! is checked with [`url_scheme::check`] (after [`url_scheme::decode_char_refs`]), and a
//! start tag left open is an error, since what follows would become its attributes.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{Problem, Renderer};
use crate::diagnostic::Severity;
use crate::html_urls;
use crate::url_scheme::{self, Use};

impl<'a> Renderer<'a, '_> {
    /// Passes an event of raw HTML on, checking a block once it is whole (its lines come
    /// one event each) and an inline tag at once. Without `allow_html`, raw HTML becomes
    /// text, which the HTML writer escapes (and keeps in alt text).
    pub(super) fn raw_html(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) if !self.context.allow_html => {
                self.events.push(Event::Text(html));
            }
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
}

/// Raw HTML gathered from events, with where each piece came from in the Markdown (a block
/// inside a list or quote loses its indentation or `>` on the way).
#[derive(Default)]
pub(super) struct HtmlText {
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
