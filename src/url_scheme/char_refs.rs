//! HTML character references in attribute values, decoded as a browser decodes them before
//! it reads the URL's scheme: `&#106;avascript:` is `javascript:` to a browser, and must be
//! to the check too.

use std::borrow::Cow;

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
    use crate::url_scheme::{Reason, Use, check, scheme};

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
                check(&decoded, Use::Link).expect_err(&decoded).reason,
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
}
