//! Plain text from Markdown, and sentences from plain text: what contextual backlinks quote.

use pulldown_cmark::{Event, Parser, TagEnd};

/// The words of a Markdown body without its markup; paragraphs end with a blank line.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                text.push_str("\n\n")
            }
            _ => {}
        }
    }
    text.trim().to_string()
}

/// Splits text into sentences. A period ends a sentence only after a word that is not an
/// abbreviation such as `U.S.`, `D.C.` or an initial such as `J.`.
pub fn sentences(text: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    for paragraph in text.split("\n\n") {
        let paragraph: String = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut start = 0;
        let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
        for (i, &(offset, c)) in chars.iter().enumerate() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            let next = chars.get(i + 1).map(|&(_, c)| c);
            let after = chars.get(i + 2).map(|&(_, c)| c);
            if next != Some(' ') || !after.is_some_and(|c| c.is_uppercase() || c == '"' || c == '“')
            {
                continue;
            }
            let word = paragraph[start..offset].rsplit(' ').next().unwrap_or("");
            let is_abbreviation = c == '.'
                && (word.contains('.')
                    || (word.chars().count() == 1 && word.chars().all(char::is_uppercase)));
            if is_abbreviation {
                continue;
            }
            sentences.push(paragraph[start..=offset].trim().to_string());
            start = offset + 1;
        }
        let rest = paragraph[start..].trim();
        if !rest.is_empty() {
            sentences.push(rest.to_string());
        }
    }
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_markup() {
        assert_eq!(
            plain_text("A *b* [c](x) `d`\ne.\n\nNext."),
            "A b c d e.\n\nNext."
        );
    }

    #[test]
    fn splits_sentences_but_not_abbreviations() {
        let text = "The U.S. and Italy met in Washington, D.C. They agreed. President Donald J. Trump spoke! Was it? Yes.";
        assert_eq!(
            sentences(text),
            vec![
                "The U.S. and Italy met in Washington, D.C. They agreed.",
                "President Donald J. Trump spoke!",
                "Was it?",
                "Yes."
            ]
        );
    }
}
