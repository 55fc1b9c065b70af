//! What a report adds to the statement: figures and capitalised names in a quote that the
//! statement's whole official text never contains.

use crate::quotes::normalize_for_quotes;

/// A statement's whole official text, prepared once for the [`additions`] of every quote.
#[derive(Debug, Clone)]
pub struct OfficialText {
    normalized: String,
    name_words: String,
}

impl OfficialText {
    /// Prepares `document`, the published text as its file holds it.
    pub fn new(document: &str) -> Self {
        let (normalized, _) = normalize_for_quotes(document);
        // Names are compared without dots or case: "US" is the statement's "U.S.".
        let name_words = format!(" {} ", name_key(&normalized));
        OfficialText {
            normalized,
            name_words,
        }
    }

    fn has_figure(&self, figure: &str) -> bool {
        self.normalized.contains(figure)
    }

    fn has_name(&self, phrase: &str) -> bool {
        self.name_words.contains(&format!(" {} ", name_key(phrase)))
    }
}

/// Figures (any word with a digit) and capitalised names in `quote` that `document` never
/// contains. A capitalised word opening a sentence is not taken for a name, nor is a name
/// whose words are all inside one of `known_names` (or that holds one of them whole): the
/// names of the entities the pledge lists, by title or alias.
pub fn additions(quote: &str, document: &OfficialText, known_names: &[&str]) -> Vec<String> {
    let known: Vec<String> = known_names
        .iter()
        .map(|name| format!(" {} ", name_key(&normalize_for_quotes(name).0)))
        .filter(|key| key.trim().len() > 1)
        .collect();
    let is_known = |phrase: &str| {
        let key = format!(" {} ", name_key(phrase));
        key.trim().len() > 1
            && known
                .iter()
                .any(|name| name.contains(&key) || key.contains(name.as_str()))
    };
    let names_absent = |phrase: &str| !document.has_name(phrase) && !is_known(phrase);
    let words: Vec<&str> = quote.split_whitespace().collect();
    let mut found: Vec<String> = Vec::new();
    let mut name: Vec<&str> = Vec::new();
    let flush = |name: &mut Vec<&str>, found: &mut Vec<String>| {
        if !name.is_empty() {
            let phrase = name.join(" ");
            let phrase = phrase
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_string();
            if !phrase.is_empty() && names_absent(&phrase) && !found.contains(&phrase) {
                found.push(phrase);
            }
            name.clear();
        }
    };
    for (i, word) in words.iter().enumerate() {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '%' && c != '$');
        // A possessive ends a name: "Italy's Single Special Economic Zone" is two names.
        let (bare, possessive) = match bare.strip_suffix("'s").or_else(|| bare.strip_suffix("’s"))
        {
            Some(stem) => (stem, true),
            None => (bare, false),
        };
        let opens_sentence = i == 0 || words[i - 1].ends_with(['.', '!', '?', ':']);
        let is_figure =
            bare.chars().any(|c| c.is_ascii_digit()) && !bare.chars().any(char::is_alphabetic);
        if possessive
            && bare.chars().next().is_some_and(char::is_uppercase)
            && (!opens_sentence || !name.is_empty())
        {
            name.push(bare);
            flush(&mut name, &mut found);
        } else if is_figure {
            flush(&mut name, &mut found);
            let figure = bare.to_string();
            if !document.has_figure(&figure) && !found.contains(&figure) {
                found.push(figure);
            }
        } else if bare
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || (c.is_ascii_digit() && !name.is_empty()))
            && (!opens_sentence || bare.chars().any(|c| c.is_ascii_digit()))
            && bare.len() > 1
        {
            // Names, including ones with digits such as "G20".
            name.push(bare);
            if word.ends_with([',', '.', ';', ':', '!', '?']) {
                flush(&mut name, &mut found);
            }
        } else if !name.is_empty()
            && matches!(bare, "of" | "for" | "and" | "on")
            && i + 1 < words.len()
        {
            // "Office on Drugs and Crime": small words inside a name.
            name.push(bare);
        } else {
            flush(&mut name, &mut found);
        }
    }
    flush(&mut name, &mut found);
    // A name ending in a small word ("Office of") is cut back to its capitalised part.
    found
        .into_iter()
        .map(|phrase| {
            let mut parts: Vec<&str> = phrase.split(' ').collect();
            while parts
                .last()
                .is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase))
            {
                parts.pop();
            }
            parts.join(" ")
        })
        .filter(|phrase| {
            let is_figure = phrase.chars().any(|c| c.is_ascii_digit());
            !phrase.is_empty()
                && if is_figure {
                    !document.has_figure(phrase.as_str())
                } else {
                    names_absent(phrase)
                }
        })
        .fold(Vec::new(), |mut unique: Vec<String>, phrase| {
            if !unique.contains(&phrase) {
                unique.push(phrase);
            }
            unique
        })
}

/// Words lowercased, without dots or other punctuation, one space apart.
fn name_key(text: &str) -> String {
    text.split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_without_dots_or_case() {
        let document = "The U.S. and Italy confirm their joint effort.";
        assert_eq!(
            additions(
                "the US and Italy confirm their joint effort",
                &OfficialText::new(document),
                &[]
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn possessives_and_names_with_digits() {
        let document = "Italy and the new Single Special Economic Zone (SEZ) established in Italy.";
        assert_eq!(
            additions(
                "investments in Italy's Single Special Economic Zone aim to help",
                &OfficialText::new(document),
                &[]
            ),
            Vec::<String>::new()
        );
        let launched = additions(
            "the Corridor, launched at the 2023 G20 Summit, promises",
            &OfficialText::new("the Corridor"),
            &[],
        );
        assert_eq!(launched, vec!["2023", "G20 Summit"]);
    }

    #[test]
    fn additions_are_figures_and_names_the_document_lacks() {
        let document =
            "The U.S. and Italy confirm their joint effort to fight illicit synthetic drugs.";
        let quote = "The World Health Organization reports 168,000 annual opioid overdose deaths globally, a 60% rise since 2000, says Italy.";
        assert_eq!(
            additions(quote, &OfficialText::new(document), &[]),
            vec!["World Health Organization", "168,000", "60%", "2000"]
        );
    }
}
