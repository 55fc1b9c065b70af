//! Printing to the terminal: every line the commands print goes through here.
//!
//! Two rules hold for all of it:
//!
//! - **Printing never fails a command.** `println!` and `eprintln!` panic when a write fails
//!   (a closed pipe, a full disk), which would turn a finished build into exit code 101.
//!   [`out`] and [`err`] ignore a failed write instead: the command's work is done, and its
//!   exit code says how it went.
//! - **Content never drives the terminal.** File names, slugs and snippets come from content,
//!   and may hold escape sequences (ESC, BEL, CR, backspace, C1 controls) or bidirectional
//!   overrides that would retitle the terminal, recolour it or reorder what is shown. Text
//!   printed for people goes through [`escape`], which shows each such character as a
//!   visible escape such as `\u{1b}`. Machine output (JSON) escapes them in its own syntax
//!   ([`escape_json`]).

use std::borrow::Cow;
use std::io::Write;

/// Whether `c` must not reach a terminal as it is: C0 controls other than line feed and tab,
/// DEL, C1 controls (U+0080–U+009F), and the invisible marks and overrides that change the
/// order in which text is displayed (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}'
        | '\u{b}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}')
}

/// Appends `c` as it is shown to people: itself, or when [unsafe](is_unsafe) its escape
/// (`\u{1b}`). Returns how many characters were appended, which is the columns it takes.
pub fn push_visible(out: &mut String, c: char) -> usize {
    if is_unsafe(c) {
        let before = out.len();
        out.extend(c.escape_unicode());
        // An escape is ASCII: its bytes are its characters.
        out.len() - before
    } else {
        out.push(c);
        1
    }
}

/// `text` with every [unsafe](is_unsafe) character shown as an escape such as `\u{1b}`.
/// Line feeds and tabs are kept. Escaping twice changes nothing more.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        push_visible(&mut shown, c);
    }
    Cow::Owned(shown)
}

/// JSON text with the [unsafe](is_unsafe) characters that serde_json leaves raw (DEL, C1
/// controls, bidirectional marks) written as `\uXXXX` escapes. A JSON reader gets the same
/// strings; a terminal showing the JSON gets no raw control. These characters can only occur
/// inside JSON strings, where such an escape is always valid.
pub fn escape_json(json: &str) -> Cow<'_, str> {
    if !json.chars().any(is_unsafe) {
        return Cow::Borrowed(json);
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) {
            // Every unsafe character is in the Basic Multilingual Plane: four hex digits.
            escaped.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

/// Prints a line for people on stdout, [escaped](escape). A failed write is ignored.
pub fn out(line: &str) {
    write_line(&mut std::io::stdout().lock(), line);
}

/// Prints a line for people on stderr, [escaped](escape). A failed write is ignored.
pub fn err(line: &str) {
    write_line(&mut std::io::stderr().lock(), line);
}

/// Prints `text` on stdout exactly as given, for machine output already escaped for its own
/// format (JSON through [`escape_json`], the syntax stylesheet). A failed write is ignored.
pub fn out_raw(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // Ignored on purpose: see the module documentation.
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// Writes `line`, escaped, and a line break in one write, then flushes; errors are ignored.
fn write_line(to: &mut dyn Write, line: &str) {
    let mut text = escape(line).into_owned();
    text.push('\n');
    // Ignored on purpose: see the module documentation.
    let _ = to.write_all(text.as_bytes()).and_then(|()| to.flush());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_shows_controls_and_bidi_marks_and_keeps_the_rest() {
        let hostile = "a\u{1b}]0;pwned\u{7}b\u{1b}[31mc\rd\u{8}e\u{9b}f\u{202e}g\u{2066}h\u{7f}";
        let shown = escape(hostile);
        assert_eq!(
            shown,
            "a\\u{1b}]0;pwned\\u{7}b\\u{1b}[31mc\\u{d}d\\u{8}e\\u{9b}f\\u{202e}g\\u{2066}h\\u{7f}"
        );
        assert!(!shown.chars().any(is_unsafe));
        assert_eq!(escape(&shown), shown, "escaping twice changes nothing more");
        let plain = "content/topics/été.md:1:2: error: tab\there\nnext line – ünïcödé 日本";
        assert!(matches!(escape(plain), Cow::Borrowed(_)));
        for c in [
            '\u{80}', '\u{9f}', '\u{61c}', '\u{200e}', '\u{200f}', '\u{2069}',
        ] {
            assert!(is_unsafe(c), "{c:?}");
        }
        for c in ['\n', '\t', ' ', '~', '\u{a0}', 'é', '\u{2028}', '\u{200d}'] {
            assert!(!is_unsafe(c), "{c:?}");
        }
    }

    #[test]
    fn push_visible_counts_the_columns_it_appends() {
        let mut out = String::new();
        assert_eq!(push_visible(&mut out, 'é'), 1);
        assert_eq!(push_visible(&mut out, '\u{1b}'), "\\u{1b}".len());
        assert_eq!(push_visible(&mut out, '\u{202e}'), "\\u{202e}".len());
        assert_eq!(out, "é\\u{1b}\\u{202e}");
    }

    #[test]
    fn escape_json_keeps_the_same_strings() {
        let value = serde_json::json!({
            "message": "unknown topic `\u{1b}[31m\u{9b}x\u{202e}\u{7f}`",
        });
        let json = serde_json::to_string_pretty(&value).unwrap();
        let escaped = escape_json(&json);
        assert!(!escaped.chars().any(is_unsafe), "{escaped}");
        assert!(
            escaped.contains("\\u001b[31m\\u009bx\\u202e\\u007f"),
            "{escaped}"
        );
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn a_failed_write_is_ignored() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Err(std::io::ErrorKind::BrokenPipe.into())
            }
        }
        write_line(&mut Broken, "built 3 pages");
    }
}
