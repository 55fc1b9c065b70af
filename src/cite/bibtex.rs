//! A citation as a BibTeX `@misc` entry, with biblatex's `date` and `urldate` beside
//! BibTeX's `year`. Text fields are escaped for TeX (`\&`, `\%`, `\{` …) and wrapped in
//! braces so that styles keep their capitals; names are braced whole, so `United States`
//! stays one institutional name; URLs are verbatim fields, so they are only kept free of
//! braces, backslashes and spaces.

use super::Citation;

/// The entry, ending in a newline.
pub(super) fn entry(citation: &Citation) -> String {
    let mut fields: Vec<(&str, String)> = Vec::new();
    if !citation.authors.is_empty() {
        fields.push(("author", names(&citation.authors)));
    }
    fields.push(("title", format!("{{{}}}", escape(&citation.title))));
    fields.push(("howpublished", escape(&citation.container)));
    if !citation.editors.is_empty() {
        fields.push(("editor", names(&citation.editors)));
    }
    fields.push(("publisher", format!("{{{}}}", escape(&citation.publisher))));
    fields.push(("year", citation.issued.year.to_string()));
    fields.push(("date", citation.issued.to_string()));
    fields.push(("url", url(&citation.url)));
    fields.push(("urldate", citation.accessed.to_string()));
    fields.push(("note", escape(&citation.note)));
    let mut out = format!("@misc{{{},\n", citation.id);
    for (name, value) in fields {
        out.push_str(&format!("  {name} = {{{value}}},\n"));
    }
    out.push_str("}\n");
    out
}

/// Institutional names, each braced whole, joined by `and`.
fn names(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("{{{}}}", escape(name)))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Text made safe inside a braced BibTeX field: TeX's special characters escaped, hyphens
/// kept from joining into dashes, and line breaks made spaces.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            // `--` and `---` are TeX's dashes: a hyphen after a hyphen is kept apart.
            '-' if out.ends_with('-') => out.push_str("{}-"),
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URL for a verbatim field: braces, backslashes, spaces and controls percent-encoded,
/// so that the field's braces stay balanced.
fn url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '{' | '}' | '\\' | ' ' | '%' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_control() => out.push_str(&format!("%{:02X}", c as u32 & 0xff)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_specials_are_escaped_and_braces_balance() {
        assert_eq!(
            escape("R&D 100% {new} #1 a_b $5 ~x^2 \\"),
            "R\\&D 100\\% \\{new\\} \\#1 a\\_b \\$5 \\textasciitilde{}x\\textasciicircum{}2 \\textbackslash{}"
        );
        assert_eq!(
            url("https://e.org/a b/{x}#para-7"),
            "https://e.org/a%20b/%7Bx%7D#para-7"
        );
    }
}
