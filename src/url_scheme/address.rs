//! The rules for the two kinds of URL that must be full web addresses, stricter than
//! [`check`]: a front matter URL, a link to another site, and `base_url`, which every
//! page's address is made from.

use super::{Reason, Use, check, scheme, shown};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
