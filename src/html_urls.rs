//! The URLs in HTML: which attributes hold one, and finding them, both in raw HTML that
//! editors write (Markdown under `allow_html`) and in every generated page. What a URL may
//! be is decided by [`crate::url_scheme`], the only module this one uses.
//!
//! Raw HTML is small, so it is read tag by tag ([`urls_in_markup`]). Generated pages are
//! many and large, so [`urls_in_page`] finds the attribute names in one Aho-Corasick pass
//! (the same pass that finds the links the link checker follows) and reads the markup
//! around a name only when its value is not in double quotes: in escaped text a `"` is
//! always `&quot;`, so `href="` can only start an attribute, whereas `href='` or `href=x`
//! might be words in a paragraph.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::url_scheme::Use;

/// Attributes whose value is a URL that a browser follows or loads, with how it uses it.
/// `xlink:href` and `formaction` are listed for the matcher; `href` and `action` also match
/// them as names, so both spellings give the same answer.
pub const URL_ATTRIBUTES: [(&str, Use); 8] = [
    ("href", Use::Link),
    ("xlink:href", Use::Link),
    ("action", Use::Link),
    ("formaction", Use::Link),
    ("data", Use::Link),
    ("src", Use::Image),
    ("srcset", Use::Image),
    ("poster", Use::Image),
];

/// A URL found in an attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeUrl<'a> {
    /// The attribute, lowercase, as [`URL_ATTRIBUTES`] names it.
    pub attribute: &'static str,
    /// How the browser uses it.
    pub usage: Use,
    /// The URL as written, character references not decoded.
    pub raw: &'a str,
    /// Where `raw` starts in the HTML, in bytes.
    pub offset: usize,
    /// Whether the value was in double quotes.
    pub double_quoted: bool,
}

fn url_attribute(name: &str) -> Option<(&'static str, Use)> {
    URL_ATTRIBUTES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .copied()
}

/// What a piece of raw HTML holds, read as a browser reads it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Markup<'a> {
    /// Every URL in its start tags, in order: one per URL attribute, and one per candidate
    /// of a `srcset`.
    pub urls: Vec<AttributeUrl<'a>>,
    /// Where a start tag opens that the piece never closes: the browser would read what
    /// follows the piece as that tag's attributes.
    pub open_tag: Option<usize>,
}

/// Reads raw HTML tag by tag. Comments (which browsers also end at `<!-->`, `<!--->` and
/// `--!>`), end tags and declarations are skipped.
pub fn urls_in_markup(html: &str) -> Markup<'_> {
    let mut markup = Markup::default();
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let lt = at + found;
        let rest = &html[lt + 1..];
        at = if let Some(comment) = rest.strip_prefix("!--") {
            let body = lt + 4;
            if comment.starts_with('>') {
                body + 1
            } else if comment.starts_with("->") {
                body + 2
            } else {
                let ends = [("-->", 3), ("--!>", 4)];
                ends.iter()
                    .filter_map(|(end, len)| comment.find(end).map(|i| body + i + len))
                    .min()
                    .unwrap_or(html.len())
            }
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let end = tag_attributes(html, lt, |attribute| {
                push_urls(&mut markup.urls, html, attribute);
            });
            match end {
                Some(end) => end_of_raw_text(html, lt, end),
                None => {
                    markup.open_tag = Some(lt);
                    html.len()
                }
            }
        } else if rest.starts_with(['!', '?', '/']) {
            rest.find('>').map_or(html.len(), |end| lt + 1 + end + 1)
        } else {
            lt + 1
        };
    }
    markup
}

/// Elements whose content browsers never read as tags, up to their end tag.
const RAW_TEXT: [&str; 8] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// Where reading tags goes on after the start tag at `lt`, which ends at `end`: after the
/// matching end tag if it opens a raw text element (whose content holds no tags), else at
/// `end`.
fn end_of_raw_text(html: &str, lt: usize, end: usize) -> usize {
    let name_len = html[lt + 1..]
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(0);
    let name = &html[lt + 1..lt + 1 + name_len];
    if !RAW_TEXT.iter().any(|raw| raw.eq_ignore_ascii_case(name)) {
        return end;
    }
    // `</name` followed by a space, `/` or `>`, in any case.
    let bytes = html.as_bytes();
    let mut at = end;
    while let Some(found) = html[at..].find("</") {
        let close = at + found + 2;
        let after = close + name.len();
        if html
            .get(close..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && bytes
                .get(after)
                .is_none_or(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
        {
            return close - 2;
        }
        at = close;
    }
    html.len()
}

fn push_urls<'a>(urls: &mut Vec<AttributeUrl<'a>>, html: &'a str, attribute: Attribute) {
    let Some((name, usage)) = url_attribute(&html[attribute.name.clone()]) else {
        return;
    };
    let value = &html[attribute.value.clone()];
    let double_quoted = attribute.quote == Some(b'"');
    if name == "srcset" {
        urls.extend(srcset_urls(value).map(|(offset, raw)| AttributeUrl {
            attribute: name,
            usage,
            raw,
            offset: attribute.value.start + offset,
            double_quoted,
        }));
    } else {
        urls.push(AttributeUrl {
            attribute: name,
            usage,
            raw: value,
            offset: attribute.value.start,
            double_quoted,
        });
    }
}

/// One attribute of a start tag: byte ranges of its name and value in the HTML.
struct Attribute {
    name: std::ops::Range<usize>,
    value: std::ops::Range<usize>,
    quote: Option<u8>,
}

/// Reads the start tag that opens at `lt` as the HTML tokenizer does, calling `visit` with
/// each attribute that has a value, and returns where the tag ends: `None` when `html`
/// ends first.
fn tag_attributes(html: &str, lt: usize, mut visit: impl FnMut(Attribute)) -> Option<usize> {
    let bytes = html.as_bytes();
    let len = bytes.len();
    let mut i = lt + 1;
    while i < len && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'/' | b'>') {
        i += 1;
    }
    loop {
        while i < len && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= len {
            return None;
        }
        if bytes[i] == b'>' {
            return Some(i + 1);
        }
        let name_start = i;
        // An attribute name may start with `=`; it ends at a space, `/`, `>` or `=`.
        i += 1;
        while i < len && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'/' | b'>' | b'=')
        {
            i += 1;
        }
        let name = name_start..i;
        let mut j = i;
        while j < len && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= len || bytes[j] != b'=' {
            i = j;
            continue;
        }
        j += 1;
        while j < len && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < len && matches!(bytes[j], b'"' | b'\'') {
            let quote = bytes[j];
            let start = j + 1;
            let end = bytes[start..]
                .iter()
                .position(|&b| b == quote)
                .map_or(len, |p| start + p);
            visit(Attribute {
                name,
                value: start..end,
                quote: Some(quote),
            });
            i = (end + 1).min(len);
        } else {
            let start = j;
            let mut end = j;
            while end < len && !bytes[end].is_ascii_whitespace() && bytes[end] != b'>' {
                end += 1;
            }
            visit(Attribute {
                name,
                value: start..end,
                quote: None,
            });
            i = end;
        }
    }
}

/// The URLs of a `srcset` value with their offsets in it: each candidate's URL runs to the
/// next whitespace (so a `data:` URL keeps its commas), and its descriptors to the next
/// comma.
fn srcset_urls(value: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = value.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let url = &value[start..i];
        let trimmed = url.trim_end_matches(',');
        if trimmed.len() == url.len() {
            while i < bytes.len() && bytes[i] != b',' {
                i += 1;
            }
        }
        Some((start, trimmed))
    })
}

/// Finds the URL attributes' names in a page: `name=`, in any case, longest name first.
static PAGE_ATTRIBUTES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(URL_ATTRIBUTES.map(|(name, _)| format!("{name}=")))
        .expect("eight plain patterns")
});

/// Every URL in the attributes of a generated page, in one pass: see the module's comment
/// for how values outside double quotes are told from text. Values that are not UTF-8 are
/// skipped.
pub fn urls_in_page(html: &[u8], mut visit: impl FnMut(AttributeUrl<'_>)) {
    for found in PAGE_ATTRIBUTES.find_iter(html) {
        let start = found.start();
        // A name starts after a space, a quote that closed the previous value, or a `/`.
        if start == 0
            || !matches!(
                html[start - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'"' | b'\'' | b'/'
            )
        {
            continue;
        }
        let (name, usage) = URL_ATTRIBUTES[found.pattern().as_usize()];
        let after = found.end();
        let (value_start, value_end, quote) = match html.get(after) {
            Some(&quote @ (b'"' | b'\'')) => {
                let Some(end) = html[after + 1..].iter().position(|&b| b == quote) else {
                    continue;
                };
                (after + 1, after + 1 + end, Some(quote))
            }
            _ => {
                let end = html[after..]
                    .iter()
                    .position(|&b| b.is_ascii_whitespace() || b == b'>')
                    .map_or(html.len(), |p| after + p);
                (after, end, None)
            }
        };
        if quote != Some(b'"') && !starts_attribute(html, start) {
            continue;
        }
        let Ok(value) = std::str::from_utf8(&html[value_start..value_end]) else {
            continue;
        };
        let double_quoted = quote == Some(b'"');
        if name == "srcset" {
            for (offset, raw) in srcset_urls(value) {
                visit(AttributeUrl {
                    attribute: name,
                    usage,
                    raw,
                    offset: value_start + offset,
                    double_quoted,
                });
            }
        } else {
            visit(AttributeUrl {
                attribute: name,
                usage,
                raw: value,
                offset: value_start,
                double_quoted,
            });
        }
    }
}

/// Is `at` where an attribute's name starts, inside a tag? Looks back to the nearest `<` or
/// `>`: inside a tag only if it is a `<`, and then reads that tag's attributes.
fn starts_attribute(html: &[u8], at: usize) -> bool {
    let Some(lt) = html[..at].iter().rposition(|&b| b == b'<' || b == b'>') else {
        return false;
    };
    if html[lt] != b'<' || !html.get(lt + 1).is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    // The tag up to its end, which holds `at`; cut where UTF-8 allows.
    let end = html[at..]
        .iter()
        .position(|&b| b == b'>')
        .map_or(html.len(), |p| at + p + 1);
    let Ok(tag) = std::str::from_utf8(&html[lt..end]) else {
        return false;
    };
    let mut starts = false;
    tag_attributes(tag, 0, |attribute| {
        starts |= attribute.name.start == at - lt;
    });
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raws(urls: &[AttributeUrl<'_>]) -> Vec<(&'static str, String)> {
        urls.iter()
            .map(|u| (u.attribute, u.raw.to_string()))
            .collect()
    }

    #[test]
    fn url_attributes_in_raw_markup() {
        let html = "<a href=\"x\" title='y'>t</a><!-- <a href=\"c\"> --><IMG SRC=j.png srcset=\"a.png 1x, data:image/png;base64,AA,BB 2x,b.png\"><form action = '/s' ><button formaction=f>b</button></form><svg><a xlink:href='x2'/></svg><object data=d></object><video poster=p.png></video><a title=\"href=no\" href>";
        let markup = urls_in_markup(html);
        assert_eq!(markup.open_tag, None);
        let urls = markup.urls;
        assert_eq!(
            raws(&urls),
            vec![
                ("href", "x".to_string()),
                ("src", "j.png".into()),
                ("srcset", "a.png".into()),
                ("srcset", "data:image/png;base64,AA,BB".into()),
                ("srcset", "b.png".into()),
                ("action", "/s".into()),
                ("formaction", "f".into()),
                ("xlink:href", "x2".into()),
                ("data", "d".into()),
                ("poster", "p.png".into()),
            ]
        );
        for url in &urls {
            assert_eq!(&html[url.offset..url.offset + url.raw.len()], url.raw);
        }
        assert!(urls[0].double_quoted && !urls[1].double_quoted);
    }

    #[test]
    fn url_attributes_after_comments_that_end_early_and_not_in_raw_text() {
        // Browsers end a comment at `<!-->`, `<!--->` and `--!>` too: what follows is live.
        for html in [
            "<!--><a href=\"j:1\">",
            "<!---><a href=\"j:1\">",
            "<!-- x --!><a href=\"j:1\">",
            "<!-- x --><a href=\"j:1\">",
        ] {
            assert_eq!(
                raws(&urls_in_markup(html).urls),
                vec![("href", "j:1".to_string())],
                "{html}"
            );
        }
        assert!(
            urls_in_markup("<!-- <a href=\"j:1\"> -- > still a comment")
                .urls
                .is_empty()
        );
        let markup = urls_in_markup(
            "<script>if (a <b) x = '<a href=\"no\">';</SCRIPT ><a href=\"yes\"><textarea><img src=no></textarea>",
        );
        assert_eq!(raws(&markup.urls), vec![("href", "yes".to_string())]);
        assert_eq!(markup.open_tag, None);
    }

    #[test]
    fn an_open_start_tag_is_reported() {
        assert_eq!(
            urls_in_markup("<p>x</p>\n<iframe title=\"\n").open_tag,
            Some(9)
        );
        assert_eq!(urls_in_markup("<div\n").open_tag, Some(0));
        assert_eq!(urls_in_markup("<div>\n</div").open_tag, None);
        assert_eq!(urls_in_markup("a < b").open_tag, None);
    }

    #[test]
    fn url_attributes_in_a_page_leave_text_alone() {
        let page = "<p>Write href=javascript:x or src='y' in text</p><a class=\"c\" href=\"/a/\" data-src=\"/no/\"><img src='/i.png'><a title=\"t\" HREF=javascript:alert(1)>x</a><a title=\"x href=no\">y</a><form action=\"/s\"><a xlink:href=\"/x\">";
        let mut found = Vec::new();
        urls_in_page(page.as_bytes(), |url| {
            found.push((url.attribute, url.raw.to_string(), url.double_quoted))
        });
        assert_eq!(
            found,
            vec![
                ("href", "/a/".to_string(), true),
                ("src", "/i.png".into(), false),
                ("href", "javascript:alert(1)".into(), false),
                ("action", "/s".into(), true),
                ("xlink:href", "/x".into(), true),
            ]
        );
    }
}
