//! Where a request leads among the built files: the target decoded once and checked
//! (`resolve`), the `Location` of a redirect, and the content type of a file. Pure
//! functions of paths: nothing here reads a file or the site.

/// Percent-encodes what may not stand in a URL path, so any built file's name makes a valid
/// `Location`.
pub(super) fn encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Decodes `%XX` escapes once; `None` for a malformed escape.
pub fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    Some(decoded)
}

/// Where a request target leads among the built files.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A built file.
    File(String),
    /// A folder asked for without its slash: send the browser there.
    Redirect(String),
    /// Nothing: the site's 404 page.
    NotFound,
    /// A target no file can have: `..`, NUL, backslashes, bad escapes.
    Bad,
}

/// Resolves a request target once: decode, refuse anything that could climb or smuggle,
/// then look the path up among `files`.
pub fn resolve(target: &str, has_file: impl Fn(&str) -> bool) -> Target {
    if !target.starts_with('/') || target.starts_with("//") {
        return Target::Bad;
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = percent_decode(path) else {
        return Target::Bad;
    };
    let Ok(text) = String::from_utf8(decoded) else {
        return Target::Bad;
    };
    if text.contains(['\0', '\\']) || text.chars().any(char::is_control) {
        return Target::Bad;
    }
    let mut segments = Vec::new();
    for segment in text.split('/') {
        match segment {
            "" => {}
            "." | ".." => return Target::Bad,
            other => segments.push(other),
        }
    }
    let joined = segments.join("/");
    if joined.is_empty() {
        return if has_file("index.html") {
            Target::File("index.html".into())
        } else {
            Target::NotFound
        };
    }
    if text.ends_with('/') {
        let index = format!("{joined}/index.html");
        return if has_file(&index) {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if has_file(&joined) {
        Target::File(joined)
    } else if has_file(&format!("{joined}/index.html")) {
        Target::Redirect(format!("/{joined}/"))
    } else {
        Target::NotFound
    }
}

/// The content type of a built file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use hyper::header::HeaderValue;

    use super::*;

    fn site(path: &str) -> bool {
        ["index.html", "a/index.html", "style.css", "a b.txt"].contains(&path)
    }

    #[test]
    fn resolves_once_and_refuses_climbing() {
        assert_eq!(resolve("/", site), Target::File("index.html".into()));
        assert_eq!(resolve("/a/", site), Target::File("a/index.html".into()));
        assert_eq!(resolve("/a", site), Target::Redirect("/a/".into()));
        assert_eq!(
            resolve("/style.css?v=1", site),
            Target::File("style.css".into())
        );
        assert_eq!(resolve("/a%20b.txt", site), Target::File("a b.txt".into()));
        assert_eq!(resolve("/missing", site), Target::NotFound);
        for hostile in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%5c..%5cetc%5cpasswd",
            "/index.html%00.txt",
            "/%zz",
            "//etc/passwd",
            "http://evil.example/",
            "/a/./index.html",
        ] {
            assert_eq!(resolve(hostile, site), Target::Bad, "{hostile}");
        }
        // Decoded once: a double-encoded dot-dot is just a strange, missing file name.
        assert_eq!(resolve("/%252e%252e/etc/passwd", site), Target::NotFound);
    }

    #[test]
    fn redirects_to_any_folder_name_are_valid_headers() {
        assert_eq!(encode_path("/a/"), "/a/");
        assert_eq!(encode_path("/a b/"), "/a%20b/");
        assert_eq!(encode_path("/café/"), "/caf%C3%A9/");
        assert_eq!(encode_path("/100%/\r\n"), "/100%25/%0D%0A");
        assert!(HeaderValue::try_from(encode_path("/\u{7f}\0é\"<>/")).is_ok());
    }
}
