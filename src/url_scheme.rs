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

use std::borrow::Cow;

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

/// Checks a URL written in front matter: a link to another site, so it must be an absolute
/// `http:` or `https:` URL with a host, without spaces or control characters. The error
/// says what is wrong, to follow "url `<url>` ".
pub fn check_web_address(url: &str) -> Result<(), String> {
    match scheme(url) {
        None => return Err("is not a full web address: it has no https:// or http://".into()),
        Some(scheme) if scheme == "http" || scheme == "https" => {}
        Some(scheme) => {
            return Err(match check(url, Use::Link) {
                Err(refused) => refused.explain(),
                Ok(()) => format!(
                    "uses the `{}:` scheme; a front matter URL must be a web page, starting with https:// or http://",
                    shown(&scheme)
                ),
            });
        }
    }
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("contains {}", describe_char(c)));
    }
    match authority(url) {
        Some(authority) if !host_of(authority).is_empty() => Ok(()),
        _ => Err("has no host: write https:// followed by the site's name".into()),
    }
}

/// Checks the site's `base_url` (or `--base-url`): an `http:` or `https:` URL with a host
/// and at most a port and a path; no user name, query, fragment, spaces or control
/// characters, since every page's address is made by appending a path to it. The error
/// says what is wrong, to follow "base_url `<url>` ".
pub fn check_base_url(url: &str) -> Result<(), String> {
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("contains {}", describe_char(c)));
    }
    match scheme(url) {
        Some(scheme) if scheme == "http" || scheme == "https" => {}
        Some(scheme) => {
            let why = match check(url, Use::Link) {
                Err(refused) if refused.reason == Reason::RunsScript => {
                    format!(", and `{scheme}:` would run script in readers' browsers")
                }
                _ => String::new(),
            };
            return Err(format!("is not an http or https URL{why}"));
        }
        None => return Err("is not an http or https URL: it has no https://".into()),
    }
    let Some(authority) = authority(url) else {
        return Err("has no host: write https:// followed by the site's name".into());
    };
    if authority.contains('@') {
        return Err("has a user name or password (`…@`), which a base URL may not have".into());
    }
    let host = host_of(authority);
    if host.is_empty() {
        return Err("has no host: write https:// followed by the site's name".into());
    }
    let port = &authority[host.len()..];
    if let Some(port) = port.strip_prefix(':')
        && !port.is_empty()
        && (!port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u16>().is_err())
    {
        return Err(format!("has an invalid port `{}`", shown(port)));
    }
    if url.contains('?') {
        return Err("has a query (`?…`), which a base URL may not have".into());
    }
    if url.contains('#') {
        return Err("has a fragment (`#…`), which a base URL may not have".into());
    }
    if url.contains(['"', '<', '>', '\\', '^', '`', '{', '|', '}']) {
        return Err(
            "contains a character that is not allowed in a URL (one of \" < > \\ ^ ` { | })".into(),
        );
    }
    Ok(())
}

/// What follows `scheme://` up to the path, or `None` when the URL has no `//`.
fn authority(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once(':')?;
    let rest = rest.strip_prefix("//")?;
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The host of an authority: after any `user@`, before any `:port` (an IPv6 literal in
/// brackets keeps its colons).
fn host_of(authority: &str) -> &str {
    let host = authority.rsplit('@').next().unwrap_or(authority);
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    host.split(':').next().unwrap_or(host)
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        '\t' => "a tab".to_string(),
        '\n' | '\r' => "a line break".to_string(),
        c if c.is_control() => format!("a control character (U+{:04X})", u32::from(c)),
        c => format!("a space character (U+{:04X})", u32::from(c)),
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

/// An HTML attribute's value as the browser reads it: numeric character references
/// (`&#106;`, `&#x6A`) and the named references for ASCII characters (`&colon;`, `&Tab;`,
/// `&NewLine;`, …) decoded. Other named references are left as written: each stands for a
/// character that is neither ASCII nor a space, so for finding a scheme it reads like the
/// `&` it starts with.
pub fn decode_char_refs(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    let mut decoded = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        decoded.push_str(&rest[..at]);
        rest = &rest[at..];
        match char_ref(rest) {
            Some((text, len)) => {
                decoded.push_str(&text);
                rest = &rest[len..];
            }
            None => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    Cow::Owned(decoded)
}

/// The character reference at the start of `text` (which starts with `&`): what it stands
/// for and how many bytes it takes.
fn char_ref(text: &str) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    if bytes.get(1) == Some(&b'#') {
        let (radix, start) = match bytes.get(2) {
            Some(b'x' | b'X') => (16, 3),
            _ => (10, 2),
        };
        let digits = bytes[start..]
            .iter()
            .take_while(|b| {
                if radix == 16 {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return None;
        }
        let number = u32::from_str_radix(&text[start..start + digits], radix).unwrap_or(u32::MAX);
        let c = match number {
            0 => '\u{fffd}',
            n => char::from_u32(n).unwrap_or('\u{fffd}'),
        };
        let mut len = start + digits;
        if bytes.get(len) == Some(&b';') {
            len += 1;
        }
        return Some((c.to_string(), len));
    }
    let name_len = bytes[1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if bytes.get(1 + name_len) != Some(&b';') {
        return None;
    }
    let name = &text[1..1 + name_len];
    let decoded = ASCII_NAMED_REFS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)?;
    Some((decoded.to_string(), name_len + 2))
}

/// Every named character reference of HTML that stands for ASCII characters.
const ASCII_NAMED_REFS: [(&str, &str); 46] = [
    ("Tab", "\t"),
    ("NewLine", "\n"),
    ("excl", "!"),
    ("quot", "\""),
    ("QUOT", "\""),
    ("num", "#"),
    ("dollar", "$"),
    ("percnt", "%"),
    ("amp", "&"),
    ("AMP", "&"),
    ("apos", "'"),
    ("lpar", "("),
    ("rpar", ")"),
    ("ast", "*"),
    ("midast", "*"),
    ("plus", "+"),
    ("comma", ","),
    ("period", "."),
    ("sol", "/"),
    ("colon", ":"),
    ("semi", ";"),
    ("lt", "<"),
    ("LT", "<"),
    ("equals", "="),
    ("gt", ">"),
    ("GT", ">"),
    ("quest", "?"),
    ("commat", "@"),
    ("lsqb", "["),
    ("lbrack", "["),
    ("bsol", "\\"),
    ("rsqb", "]"),
    ("rbrack", "]"),
    ("Hat", "^"),
    ("lowbar", "_"),
    ("UnderBar", "_"),
    ("grave", "`"),
    ("DiacriticalGrave", "`"),
    ("lcub", "{"),
    ("lbrace", "{"),
    ("verbar", "|"),
    ("vert", "|"),
    ("VerticalLine", "|"),
    ("rcub", "}"),
    ("rbrace", "}"),
    ("fjlig", "fj"),
];

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
    fn url_scheme_entities_are_the_callers_to_decode() {
        // As pulldown-cmark and browsers decode them.
        for raw in [
            "java&#x73;cript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#106avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "java&Tab;script:alert(1)",
            "java&NewLine;script:alert(1)",
            "&#1;javascript:alert(1)",
            "&#0000106;avascript:alert(1)",
            "java&#9;script:alert(1)",
        ] {
            let decoded = decode_char_refs(raw);
            assert_eq!(
                refused(&decoded).reason,
                Reason::RunsScript,
                "{raw:?} decoded to {decoded:?}"
            );
        }
        // An entity the table does not hold reads as `&`: no scheme, as in a browser.
        assert_eq!(
            decode_char_refs("&nosuch;javascript:x"),
            "&nosuch;javascript:x"
        );
        assert_eq!(scheme(&decode_char_refs("&nbsp;javascript:x")), None);
        assert_eq!(decode_char_refs("a&amp;b&#x26;c&"), "a&b&c&");
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
    fn url_scheme_front_matter_urls_are_web_addresses() {
        assert_eq!(check_web_address("https://www.nato.int/"), Ok(()));
        assert_eq!(check_web_address("http://example.org/a?b#c"), Ok(()));
        assert!(
            check_web_address("javascript:alert(1)")
                .unwrap_err()
                .contains("would run script")
        );
        assert!(
            check_web_address(" JAVASCRIPT:alert(1)")
                .unwrap_err()
                .contains("would run script")
        );
        assert!(
            check_web_address("data:text/html,x")
                .unwrap_err()
                .contains("data:")
        );
        assert!(
            check_web_address("mailto:a@b.org")
                .unwrap_err()
                .contains("must be a web page")
        );
        assert!(
            check_web_address("/about/")
                .unwrap_err()
                .contains("not a full web address")
        );
        assert!(
            check_web_address("https:///x")
                .unwrap_err()
                .contains("no host")
        );
        assert!(
            check_web_address("https:x")
                .unwrap_err()
                .contains("no host")
        );
        assert_eq!(
            check_web_address("https://exa mple.org").unwrap_err(),
            "contains a space"
        );
        assert_eq!(
            check_web_address("https://example.org/\u{1b}[2J").unwrap_err(),
            "contains a control character (U+001B)"
        );
    }

    #[test]
    fn url_scheme_base_urls() {
        for ok in [
            "https://communique.example.org",
            "https://example.org/pledges/",
            "http://127.0.0.1:1111",
            "http://[::1]:1111",
            "https://example.org:8443/a",
        ] {
            assert_eq!(check_base_url(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("javascript:alert(1)//x", "would run script"),
            ("ftp://example.org", "not an http or https URL"),
            ("example.org", "has no https://"),
            ("/pledges", "has no https://"),
            ("https://", "no host"),
            ("https:example.org", "no host"),
            ("https://user:pw@example.org", "user name"),
            ("https://example.org/?a=1", "query"),
            ("https://example.org/#top", "fragment"),
            ("https://example.org:99999", "invalid port"),
            ("https://example.org:80a", "invalid port"),
            (" https://example.org", "a space"),
            ("https://example.org/\n", "a line break"),
            ("https://example.org/\"><script>", "not allowed in a URL"),
        ] {
            let error = check_base_url(bad).expect_err(bad);
            assert!(error.contains(why), "{bad}: {error}");
        }
    }

    #[test]
    fn url_scheme_messages_show_urls_safely() {
        assert_eq!(shown("a\tb\u{1b}[2J"), "a\\tb\\u{1b}[2J");
        let long = format!("data:image/svg+xml,{}", "x".repeat(200));
        assert_eq!(shown(&long).chars().count(), 81);
    }
}
