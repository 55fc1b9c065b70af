//! What a rebuild may reuse from the previous one, for `serve`, and how much a build did.
//!
//! Every reuse is keyed by everything the result depends on, so a cached build always
//! equals a full one byte for byte. `bodies` keys a Markdown body by its kind and text,
//! under a fingerprint of everything bodies may link; `pages` keys a page by the hash of its
//! template and whole context, under the template set's fingerprint; `cards` keys a social
//! card by the hash of its SVG and the theme's fonts. Each build takes what
//! it may reuse and puts back exactly what it used, so the cache never outgrows the site.

use std::collections::HashMap;

use crate::markdown::Rendered;

/// Rendered Markdown bodies by kind and text.
pub(crate) type MarkdownCache = HashMap<(u8, String), Rendered>;

/// Rendered pages by output path, with the hash of their template and context.
pub(crate) type PageCache = HashMap<String, (u64, Vec<u8>)>;

/// Drawn social cards by output path, with the hash of the SVG and fonts they were drawn
/// from (`cards`).
pub(crate) type CardCache = HashMap<String, (u64, Vec<u8>)>;

/// What a rebuild may reuse from the previous one. `serve` keeps one between rebuilds.
#[derive(Debug, Default)]
pub struct BuildCache {
    markdown_inputs: u64,
    markdown: MarkdownCache,
    templates: u64,
    pages: PageCache,
    cards: CardCache,
}

impl BuildCache {
    /// The bodies rendered last time, if what bodies may link (`inputs`, a fingerprint) is
    /// unchanged; none otherwise.
    pub(crate) fn take_markdown(&mut self, inputs: u64) -> MarkdownCache {
        if self.markdown_inputs != inputs {
            self.markdown.clear();
            self.markdown_inputs = inputs;
        }
        std::mem::take(&mut self.markdown)
    }

    /// Keeps the bodies this build used, for the next.
    pub(crate) fn keep_markdown(&mut self, markdown: MarkdownCache) {
        self.markdown = markdown;
    }

    /// The pages rendered last time, if the templates (`templates`, their fingerprint) are
    /// unchanged; none otherwise.
    pub(crate) fn take_pages(&mut self, templates: u64) -> PageCache {
        if self.templates == templates {
            std::mem::take(&mut self.pages)
        } else {
            PageCache::new()
        }
    }

    /// Keeps the pages this build rendered or reused with these templates, for the next.
    pub(crate) fn keep_pages(&mut self, templates: u64, pages: PageCache) {
        self.templates = templates;
        self.pages = pages;
    }
}

impl BuildCache {
    /// The social cards drawn last time, each keyed by the hash of its SVG and fonts.
    pub(crate) fn take_cards(&mut self) -> CardCache {
        std::mem::take(&mut self.cards)
    }

    /// Keeps the cards this build drew or reused, for the next.
    pub(crate) fn keep_cards(&mut self, cards: CardCache) {
        self.cards = cards;
    }
}

/// How much a build rendered, as opposed to reused from its cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Markdown bodies rendered.
    pub markdown_rendered: usize,
    /// HTML pages rendered through the templates.
    pub pages_rendered: usize,
    /// Social cards rasterised (`cards`).
    pub cards_drawn: usize,
}
