//! Which scheme a URL has, decided the way a browser decides it, and whether the site lets
//! that URL reach an `href` or `src`. This module imports nothing from the crate: every
//! place that writes a URL into a page (Markdown links and images, raw HTML, front matter,
//! `base_url`, the generated pages themselves) asks it the same question.
//!
//! The scheme is found as the WHATWG URL parser finds it: leading and trailing C0 controls
//! and spaces are stripped, every ASCII tab, CR and LF is removed wherever it is, and then
//! `^[A-Za-z][A-Za-z0-9+.-]*:` is a scheme, compared without case. Anything else is a
//! relative URL (a path, `?query`, `#fragment`, `//host/path`, `@/content/link.md`).
//! HTML character references are the caller's business: pulldown-cmark decodes them in
//! link destinations, and [`decode_char_refs`] decodes an HTML attribute's value.
//!
//! What is allowed, and why:
//! - relative URLs: they stay on the site, or (`//host/`) inherit the page's http or https;
//! - `http:` and `https:`: the web;
//! - `mailto:`: opens the reader's mail program with an address, and runs nothing;
//! - `data:` only as an image (`src`, `srcset`, `poster`), and only PNG, JPEG, GIF, WebP or
//!   AVIF: raster images cannot hold script, and the site's CSP (`img-src 'self' data:`)
//!   lets them load. Never SVG (an SVG document can hold script), never in a link.
//!
//! Everything else is refused: `javascript:` and `vbscript:` run script; `data:` in a link
//! can hold a whole page; `file:` points into the reader's disk; and `tel:`, `sms:`, `ftp:`,
//! `blob:` and app schemes (`intent:`, `ms-…:`) hand the reader to another program, which
//! a pledge tracker never needs. Adding one is a line in [`allowed_scheme`].

mod address;
mod char_refs;

pub use address::{check_base_url, check_web_address};
pub use char_refs::decode_char_refs;

/// How a page uses a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Followed when the reader clicks or submits: `href`, `action`, `formaction`, `data`.
    Link,
    /// Loaded into the page: `src`, `srcset`, `poster`, a Markdown image.
    Image,
}

/// Why a URL may not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// `javascript:` or `vbscript:`.
    RunsScript,
    /// A `data:` URL where a link is expected.
    DataInLink,
    /// A `data:` URL of this type where an image is expected: not a raster image.
    DataNotRaster(String),
    /// Any other scheme the site does not allow.
    NotAllowed,
}

/// A refused URL: its scheme (lowercase, without the colon) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The scheme, lowercase, e.g. `javascript`.
    pub scheme: String,
    /// Why it is refused.
    pub reason: Reason,
}

impl Refused {
    /// What is wrong, to follow "link to `<url>` ": e.g. "uses the `javascript:` scheme,
    /// which would run script in readers' browsers".
    pub fn explain(&self) -> String {
        let scheme = &self.scheme;
        match &self.reason {
            Reason::RunsScript => {
                format!("uses the `{scheme}:` scheme, which would run script in readers' browsers")
            }
            Reason::DataInLink => {
                "uses the `data:` scheme, which a link may not use: a data: URL can hold a whole page, script included".to_string()
            }
            Reason::DataNotRaster(mime) if mime.contains("svg") => format!(
                "is a `data:` URL of type `{mime}`: an SVG image can hold script, so only PNG, JPEG, GIF, WebP and AVIF images may be data: URLs"
            ),
            Reason::DataNotRaster(mime) => format!(
                "is a `data:` URL of type `{}`, not a PNG, JPEG, GIF, WebP or AVIF image",
                shown(mime)
            ),
            Reason::NotAllowed => format!(
                "uses the `{}:` scheme, which the site does not link to (allowed: http:, https:, mailto:)",
                shown(scheme)
            ),
        }
    }
}

/// Help for a refused link in Markdown, raw HTML or a template.
pub const LINK_HELP: &str = "link with https://, http:// or mailto:, a path on this site (/topics/, ../x, #p1) or an @/ link to a content file (@/programs/nato.md); an image may also be a data:image/png, jpeg, gif, webp or avif URL";

/// Help for a URL in front matter.
pub const WEB_ADDRESS_HELP: &str = "front matter URLs link to other sites: write the page's full address, starting with https:// (or http://), e.g. url = \"https://www.nato.int/\"";

/// Help for `base_url`.
pub const BASE_URL_HELP: &str = "write the address the site is served from, with http:// or https://, a host, and at most a path, e.g. base_url = \"https://communique.example.org\" or \"https://example.org/pledges\"";

/// The schemes a link may use, besides relative URLs and `data:` images.
pub fn allowed_scheme(scheme: &str) -> bool {
    matches!(scheme, "http" | "https" | "mailto")
}

/// The raster image types a `data:` URL may have, where an image is expected.
const RASTER_IMAGES: [&str; 5] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/avif",
];

/// The scheme of `url` as a browser sees it, lowercase and without the colon; `None` for a
/// relative URL.
pub fn scheme(url: &str) -> Option<String> {
    let mut scheme = String::new();
    for c in meaningful_chars(url) {
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            c if !scheme.is_empty() && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) => {
                scheme.push(c)
            }
            _ => return None,
        }
    }
    None
}

/// The URL's characters as the URL parser reads them: without leading and trailing C0
/// controls and spaces, and without any ASCII tab, CR or LF.
fn meaningful_chars(url: &str) -> impl Iterator<Item = char> + '_ {
    url.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
}

/// Whether a page may use `url` in the way `usage` says.
pub fn check(url: &str, usage: Use) -> Result<(), Refused> {
    // Nearly every URL of a page is one of these: decided without allocating. Each agrees
    // with `scheme`: `/`, `#`, `?` and `.` are neither stripped nor a letter.
    if url.starts_with(['/', '#', '?', '.'])
        || url.starts_with("https://")
        || url.starts_with("http://")
        || url.starts_with("mailto:")
    {
        return Ok(());
    }
    let Some(scheme) = scheme(url) else {
        return Ok(());
    };
    if allowed_scheme(&scheme) {
        return Ok(());
    }
    let reason = match scheme.as_str() {
        "javascript" | "vbscript" => Reason::RunsScript,
        "data" if usage == Use::Link => Reason::DataInLink,
        "data" => {
            let mime = data_mime_type(url);
            if RASTER_IMAGES.contains(&mime.as_str()) {
                return Ok(());
            }
            Reason::DataNotRaster(mime)
        }
        _ => Reason::NotAllowed,
    };
    Err(Refused { scheme, reason })
}

/// The type of a `data:` URL, lowercase, as the fetch standard reads it: what comes before
/// the first `,` (or `;`), without surrounding whitespace; `text/plain` when empty.
fn data_mime_type(url: &str) -> String {
    let cleaned: String = meaningful_chars(url).collect();
    let after = cleaned.split_once(':').map_or("", |(_, rest)| rest);
    let header = after.split(',').next().unwrap_or("");
    let essence = header
        .split(';')
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| c.is_ascii_whitespace())
        .to_ascii_lowercase();
    if essence.is_empty() {
        "text/plain".to_string()
    } else {
        essence
    }
}

/// A URL as a message shows it: control characters escaped, and cut after 80 characters,
/// so a long `data:` URL or a terminal escape sequence cannot swamp the message.
pub fn shown(url: &str) -> String {
    let mut text = String::new();
    for (i, c) in url.chars().enumerate() {
        if i == 80 {
            text.push('…');
            break;
        }
        match c {
            '\t' => text.push_str("\\t"),
            '\n' => text.push_str("\\n"),
            '\r' => text.push_str("\\r"),
            c if c.is_control() => text.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => text.push(c),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str) -> Refused {
        check(url, Use::Link).expect_err(url)
    }

    #[test]
    fn url_scheme_script_urls_are_refused_in_every_disguise() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "\u{0}\u{1f} javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\tjava\rscript\n:alert(1)",
            "javascript:alert(1)\u{0} ",
            "vbscript:msgbox(1)",
            "VBScript:msgbox(1)",
        ] {
            let refusal = refused(url);
            assert_eq!(refusal.reason, Reason::RunsScript, "{url:?}");
            assert!(refusal.explain().contains("would run script"), "{url:?}");
        }
        assert_eq!(refused("JaVaScRiPt:x").scheme, "javascript");
    }

    #[test]
    fn url_scheme_data_urls_only_as_raster_images() {
        let link = refused("data:text/html,<script>alert(1)</script>");
        assert_eq!(link.reason, Reason::DataInLink);
        assert_eq!(
            refused("data:image/png;base64,iVBORw0KGgo=").reason,
            Reason::DataInLink
        );
        for ok in [
            "data:image/png;base64,iVBORw0KGgo=",
            "DATA:IMAGE/JPEG;base64,/9j/",
            "data: image/gif ;base64,R0lGOD",
            "data:image/webp,xyz",
            "data:image/avif;base64,AAAA",
        ] {
            assert_eq!(check(ok, Use::Image), Ok(()), "{ok}");
        }
        for (bad, mime) in [
            ("data:image/svg+xml,<svg onload=alert(1)>", "image/svg+xml"),
            ("data:image/svg+xml;base64,PHN2Zz4=", "image/svg+xml"),
            ("data:text/html,<script>alert(1)</script>", "text/html"),
            ("data:,hello", "text/plain"),
            ("data:", "text/plain"),
        ] {
            assert_eq!(
                check(bad, Use::Image).unwrap_err().reason,
                Reason::DataNotRaster(mime.to_string()),
                "{bad}"
            );
        }
        assert!(
            check("data:image/svg+xml,x", Use::Image)
                .unwrap_err()
                .explain()
                .contains("SVG image can hold script")
        );
    }

    #[test]
    fn url_scheme_allows_the_web_mail_and_relative_urls() {
        for url in [
            "https://example.org/x?q=1#f",
            "HTTP://example.org",
            "http://example.org",
            "mailto:a@b.org",
            "/x/",
            "#p1",
            "@/topics/a.md",
            "@/statements/s/_index.md#p2",
            "../x",
            "x/y.html",
            "?q=1",
            "//example.org/x",
            "",
            "a b:c",
            "1http:x",
            "\u{ff4a}avascript:x",
            "%6Aavascript:alert(1)",
        ] {
            assert_eq!(check(url, Use::Link), Ok(()), "{url:?}");
            assert_eq!(check(url, Use::Image), Ok(()), "{url:?}");
        }
        assert_eq!(scheme("//example.org/x"), None);
        assert_eq!(scheme("mailto:a@b.org"), Some("mailto".into()));
        assert_eq!(scheme("a+b.c-d:x"), Some("a+b.c-d".into()));
    }

    #[test]
    fn url_scheme_other_schemes_are_refused() {
        for (url, scheme) in [
            ("tel:+390612345", "tel"),
            ("file:///etc/passwd", "file"),
            ("ftp://example.org/", "ftp"),
            ("blob:https://example.org/x", "blob"),
            ("intent://x#Intent;end", "intent"),
            ("c:\\windows", "c"),
        ] {
            let refusal = refused(url);
            assert_eq!(
                (refusal.scheme.as_str(), &refusal.reason),
                (scheme, &Reason::NotAllowed)
            );
            assert!(
                refusal
                    .explain()
                    .contains("allowed: http:, https:, mailto:")
            );
        }
    }

    #[test]
    fn url_scheme_messages_show_urls_safely() {
        assert_eq!(shown("a\tb\u{1b}[2J"), "a\\tb\\u{1b}[2J");
        let long = format!("data:image/svg+xml,{}", "x".repeat(200));
        assert_eq!(shown(&long).chars().count(), 81);
    }
}
