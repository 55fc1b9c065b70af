//! Reading a saved web page with html5ever (through `scraper`), never with patterns.
//!
//! **The main text** is the first `<main>`; else the `<article>` with the most paragraph
//! text; else the first `[role=main]`; else the element with the highest score, where an
//! element's score is the number of characters in the `<p>` elements that are its
//! children (so the container that holds the paragraphs wins over the `<body>` around it).
//!
//! **Page furniture** inside it is left out, with everything in it: the elements `nav`,
//! `aside`, `footer`, `form`, `script`, `style`, `noscript`, `iframe`, `template`, `svg`,
//! `button`, `select`, `figure`, `dialog`; a `header` that is not inside an `article` or
//! `<main>` (the page's, not the article's); anything `hidden` or `aria-hidden="true"`;
//! the roles `navigation`, `banner`, `contentinfo`, `search`, `complementary`, `dialog`,
//! `alertdialog`; and any element with a class or id word ([`FURNITURE_WORDS`], split at
//! `-`, `_` and spaces) such as `cookie`, `consent`, `share`, `social`, `related`,
//! `breadcrumb`, `newsletter`, `promo`.
//!
//! **Blocks:** the first `<h1>` is the title, `<h2>` and `<h3>` are headings (sections), a
//! `<p>` (or any block of text) is a paragraph, and a `<p>` wholly in bold of at most
//! twelve words not ending in `.` or `:` is a heading too. A top-level `<ol>`'s items are
//! numbered paragraphs (their number from `start` and `value`); the items of a nested list
//! and of a `<ul>` are sub-points of the paragraph before them, labelled as a browser
//! shows them (`a.`, `ii.`; a bullet has no label). An item or a `<br>`-separated line
//! whose text opens with its own label (`(a)`, `7.`) keeps that label instead.
//!
//! **Title:** the `<h1>` in the main text, else `<title>` without a ` | Site` suffix (or a
//! last ` - Site` part of at most four words). **Date:** the first `<time datetime>` in the
//! main text, else `<meta property="article:published_time">` (or `name="date"`,
//! `dcterms.date`, `DC.date`), else a date line at the head of the text. **Source URL:**
//! `<link rel="canonical">`, else `<meta property="og:url">`.

use scraper::{ElementRef, Html, Node, Selector};

use super::dates::{self, Day};
use super::document::{Document, Format, Raw, assemble};
use super::labels;

/// Class and id words that mark page furniture. A word matches when it equals one of
/// these or starts with one of the first group (`breadcrumbs`, `sharebar`).
pub const FURNITURE_WORDS: [&str; 13] = [
    "cookie",
    "consent",
    "share",
    "sharing",
    "social",
    "related",
    "breadcrumb",
    "newsletter",
    "promo",
    "advert",
    "subscribe",
    "gdpr",
    "paywall",
];

/// Words that mark furniture only when they are the whole word.
const FURNITURE_EXACT: [&str; 14] = [
    "ad",
    "ads",
    "nav",
    "navbar",
    "menu",
    "sidebar",
    "banner",
    "popup",
    "modal",
    "footer",
    "skip",
    "pagination",
    "pager",
    "signup",
];

const DROPPED: [&str; 15] = [
    "nav", "aside", "footer", "form", "script", "style", "noscript", "iframe", "template", "svg",
    "button", "select", "figure", "dialog", "object",
];

const DROPPED_ROLES: [&str; 7] = [
    "navigation",
    "banner",
    "contentinfo",
    "search",
    "complementary",
    "dialog",
    "alertdialog",
];

const BLOCKS: [&str; 24] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "blockquote",
    "table",
    "tr",
    "td",
    "th",
    "dl",
    "dt",
    "dd",
    "pre",
    "address",
    "center",
    "details",
    "summary",
    "hr",
    "tbody",
    "thead",
    "caption",
    "body",
];

/// Reads a saved web page.
pub fn parse(text: &str) -> Document {
    let html = Html::parse_document(text);
    let root = main_element(&html);
    let mut walker = Walker::default();
    if let Some(root) = root {
        walker.block(root, false);
    }
    walker.flush();
    let mut raw = walker.raw;
    let mut title = raw.iter().find_map(|r| match r {
        Raw::Title(t) => Some(t.clone()),
        _ => None,
    });
    if title.is_none() {
        title = page_title(&html);
    }
    let mut date = root.and_then(time_in).or_else(|| meta_date(&html));
    // Date and byline lines at the head of the text are furniture.
    for item in raw.iter_mut() {
        match item {
            Raw::Title(_) | Raw::Meta(_) => {}
            Raw::Text(t) => {
                if let Some(day) = dates::date_line(t) {
                    date.get_or_insert(day);
                    *item = Raw::Meta(std::mem::take(t));
                } else if super::text::is_metadata(t, title.as_deref()) {
                    *item = Raw::Meta(std::mem::take(t));
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    Document {
        format: Format::Html,
        title,
        date,
        source_url: canonical(&html),
        parts: assemble(raw, true),
    }
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    match Selector::parse(css) {
        Ok(selector) => html.select(&selector).collect(),
        Err(_) => Vec::new(),
    }
}

/// The characters of `<p>` text directly inside `element`.
fn score(element: ElementRef<'_>) -> usize {
    element
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|child| child.value().name() == "p" && !is_furniture(*child))
        .map(|p| p.text().map(str::len).sum::<usize>())
        .sum()
}

fn paragraph_text(element: ElementRef<'_>) -> usize {
    element
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "p")
        .map(|p| p.text().map(str::len).sum::<usize>())
        .sum()
}

fn main_element(html: &Html) -> Option<ElementRef<'_>> {
    if let Some(main) = select(html, "main").into_iter().next() {
        return Some(main);
    }
    if let Some(article) = select(html, "article")
        .into_iter()
        .max_by_key(|a| paragraph_text(*a))
    {
        return Some(article);
    }
    if let Some(main) = select(html, "[role=main]").into_iter().next() {
        return Some(main);
    }
    let best = select(html, "body *")
        .into_iter()
        .filter(|e| !is_furniture(*e))
        .map(|e| (score(e), e))
        .filter(|(s, _)| *s > 0)
        .fold(None::<(usize, ElementRef<'_>)>, |best, (s, e)| match best {
            Some((b, _)) if b >= s => best,
            _ => Some((s, e)),
        });
    best.map(|(_, e)| e)
        .or_else(|| select(html, "body").into_iter().next())
}

/// Is `element` page furniture, by its name, role, class or id?
fn is_furniture(element: ElementRef<'_>) -> bool {
    let value = element.value();
    let name = value.name();
    if DROPPED.contains(&name) || value.attr("hidden").is_some() {
        return true;
    }
    if name == "header"
        && !element.ancestors().filter_map(ElementRef::wrap).any(|a| {
            matches!(a.value().name(), "article" | "main") || a.value().attr("role") == Some("main")
        })
    {
        return true;
    }
    if value.attr("aria-hidden") == Some("true") {
        return true;
    }
    if value
        .attr("role")
        .is_some_and(|role| DROPPED_ROLES.contains(&role.trim()))
    {
        return true;
    }
    let words = [value.attr("class"), value.attr("id")]
        .into_iter()
        .flatten()
        .flat_map(|v| v.split(|c: char| !c.is_ascii_alphanumeric()))
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>();
    let classes = value.attr("class").unwrap_or("");
    words.iter().any(|w| {
        FURNITURE_WORDS.iter().any(|f| w.starts_with(f)) || FURNITURE_EXACT.contains(&w.as_str())
    }) || ["sr-only", "visually-hidden", "screen-reader"]
        .iter()
        .any(|c| classes.contains(c))
}

/// Walks the main text into blocks.
#[derive(Default)]
struct Walker {
    raw: Vec<Raw>,
    /// The inline text of the block being read, with `\n` for `<br>`.
    buffer: String,
    has_title: bool,
}

impl Walker {
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.buffer);
        self.push_lines(&text);
    }

    /// Pushes a block's text: lines that open with a label start paragraphs of their own,
    /// others join the line before.
    fn push_lines(&mut self, text: &str) {
        let mut current = String::new();
        for line in text.split('\n') {
            let line = normalise(line);
            if line.is_empty() {
                continue;
            }
            let labelled =
                labels::sub_point(&line).is_some() || labels::paragraph_number(&line).is_some();
            if labelled && !current.is_empty() {
                self.raw.push(Raw::Text(std::mem::take(&mut current)));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(&line);
        }
        if !current.is_empty() {
            self.raw.push(Raw::Text(current));
        }
    }

    /// Reads a block-level element's content (`nested`: inside a list item).
    fn block(&mut self, element: ElementRef<'_>, nested: bool) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) => self.buffer.push_str(text),
                Node::Element(_) => {
                    if let Some(el) = ElementRef::wrap(child) {
                        self.element(el, nested);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, el: ElementRef<'_>, nested: bool) {
        if is_furniture(el) {
            return;
        }
        let name = el.value().name();
        match name {
            "br" => self.buffer.push('\n'),
            "h1" => {
                self.flush();
                let text = inline(el);
                if self.has_title {
                    self.raw.push(Raw::Heading(text));
                } else {
                    self.has_title = true;
                    self.raw.push(Raw::Title(text));
                }
            }
            "h2" | "h3" => {
                self.flush();
                self.raw.push(Raw::Heading(inline(el)));
            }
            "ol" | "ul" => {
                self.flush();
                self.list(el, nested);
            }
            "p" if is_bold_heading(el) => {
                self.flush();
                self.raw.push(Raw::Heading(inline(el)));
            }
            _ if BLOCKS.contains(&name)
                || name.starts_with('h') && name.len() == 2
                || name == "li" =>
            {
                self.flush();
                self.block(el, nested);
                self.flush();
            }
            _ => self.block(el, nested),
        }
    }

    fn list(&mut self, list: ElementRef<'_>, nested: bool) {
        let ordered = list.value().name() == "ol";
        let kind = list.value().attr("type").unwrap_or("1");
        let mut n: i64 = list
            .value()
            .attr("start")
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(1);
        for item in list.children().filter_map(ElementRef::wrap) {
            if item.value().name() != "li" {
                self.element(item, nested);
                continue;
            }
            if is_furniture(item) {
                continue;
            }
            if let Some(v) = item
                .value()
                .attr("value")
                .and_then(|v| v.trim().parse().ok())
            {
                n = v;
            }
            // The item's own text, without its nested lists, then those lists.
            let mut own = Walker {
                has_title: true,
                ..Walker::default()
            };
            for child in item.children() {
                match child.value() {
                    Node::Text(text) => own.buffer.push_str(text),
                    Node::Element(_) => {
                        if let Some(el) = ElementRef::wrap(child) {
                            if matches!(el.value().name(), "ol" | "ul") {
                                continue;
                            }
                            own.element(el, true);
                        }
                    }
                    _ => {}
                }
            }
            own.flush();
            let mut texts = own.raw.into_iter();
            if let Some(Raw::Text(first)) = texts.next() {
                let labelled = labels::sub_point(&first).is_some()
                    || labels::paragraph_number(&first).is_some();
                if labelled {
                    self.raw.push(Raw::Text(first));
                } else if ordered && !nested {
                    self.raw.push(Raw::Numbered(n.to_string(), first));
                } else if ordered {
                    self.raw.push(Raw::Point(marker(kind, n), first));
                } else {
                    self.raw.push(Raw::Point(String::new(), first));
                }
            }
            self.raw.extend(texts);
            for sub in item.children().filter_map(ElementRef::wrap) {
                if matches!(sub.value().name(), "ol" | "ul") && !is_furniture(sub) {
                    self.list(sub, true);
                }
            }
            n += 1;
        }
    }
}

/// The marker a browser shows for item `n` of an `<ol type=kind>`: `3.`, `c.`, `C.`,
/// `iii.`, `III.`.
fn marker(kind: &str, n: i64) -> String {
    let letter = |base: u8| -> String {
        if (1..=26).contains(&n) {
            ((base + (n - 1) as u8) as char).to_string()
        } else {
            n.to_string()
        }
    };
    let body = match kind {
        "a" => letter(b'a'),
        "A" => letter(b'A'),
        "i" => roman(n),
        "I" => roman(n).to_uppercase(),
        _ => n.to_string(),
    };
    format!("{body}.")
}

fn roman(mut n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    let mut out = String::new();
    for (value, digits) in [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ] {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// An element's text without furniture, whitespace normalised.
fn inline(el: ElementRef<'_>) -> String {
    let mut walker = Walker {
        has_title: true,
        ..Walker::default()
    };
    walker.block(el, true);
    let text = walker.buffer.replace('\n', " ");
    let mut all: Vec<String> = walker
        .raw
        .into_iter()
        .filter_map(|r| match r {
            Raw::Text(t) | Raw::Heading(t) => Some(t),
            _ => None,
        })
        .collect();
    all.push(text);
    normalise(&all.join(" "))
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A `<p>` wholly in `<strong>` or `<b>`, short and not ending as a sentence.
fn is_bold_heading(p: ElementRef<'_>) -> bool {
    let all = normalise(&p.text().collect::<String>());
    let bold: String = p
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|c| matches!(c.value().name(), "strong" | "b"))
        .map(|c| c.text().collect::<String>())
        .collect();
    !all.is_empty()
        && normalise(&bold) == all
        && all.split_whitespace().count() <= 12
        && !all.ends_with(['.', ':', ';', ','])
        && labels::paragraph_number(&all).is_none()
        && labels::sub_point(&all).is_none()
}

fn page_title(html: &Html) -> Option<String> {
    let title = normalise(&select(html, "title").first()?.text().collect::<String>());
    let title = match title.split_once(" | ") {
        Some((first, _)) => first.trim().to_string(),
        None => [" - ", " – ", " — "]
            .iter()
            .find_map(|dash| {
                let (first, last) = title.rsplit_once(dash)?;
                (last.split_whitespace().count() <= 4 && !first.trim().is_empty())
                    .then(|| first.trim().to_string())
            })
            .unwrap_or(title),
    };
    (!title.is_empty()).then_some(title)
}

fn time_in(root: ElementRef<'_>) -> Option<Day> {
    root.descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| {
            e.value().name() == "time"
                && !e.ancestors().filter_map(ElementRef::wrap).any(is_furniture)
        })
        .find_map(|e| {
            e.value()
                .attr("datetime")
                .and_then(|d| dates::find(d.get(..10).unwrap_or(d)))
        })
}

fn meta_date(html: &Html) -> Option<Day> {
    for css in [
        "meta[property='article:published_time']",
        "meta[name='date']",
        "meta[name='dcterms.date']",
        "meta[name='DC.date']",
    ] {
        if let Some(day) = select(html, css).into_iter().find_map(|m| {
            m.value()
                .attr("content")
                .and_then(|c| dates::find(c.get(..10).unwrap_or(c)))
        }) {
            return Some(day);
        }
    }
    None
}

fn canonical(html: &Html) -> Option<String> {
    let url = select(html, "link[rel=canonical]")
        .into_iter()
        .find_map(|l| l.value().attr("href").map(str::to_string))
        .or_else(|| {
            select(html, "meta[property='og:url']")
                .into_iter()
                .find_map(|m| m.value().attr("content").map(str::to_string))
        })?;
    let url = url.trim().to_string();
    (url.starts_with("https://") || url.starts_with("http://")).then_some(url)
}

#[cfg(test)]
mod tests;
