//! Finding entity names in running text: whole words, longest match first.
//!
//! A name with no lowercase letter ("NATO", "U.S.", "AI") matches only as written; any other
//! name matches regardless of ASCII case. A line break in the text counts as a space, and
//! runs of spaces in a name count as one.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// One name to look for, and the entity it stands for.
#[derive(Debug, Clone)]
pub struct Name {
    /// The name as the editor wrote it.
    pub text: String,
    /// The entity's index.
    pub entity: usize,
}

/// Finds entity names in text.
#[derive(Debug, Clone)]
pub struct MentionMatcher {
    exact: Option<(AhoCorasick, Vec<usize>)>,
    folded: Option<(AhoCorasick, Vec<usize>)>,
}

/// A name found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Byte range in the searched text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// The entity it names.
    pub entity: usize,
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn build(names: Vec<(String, usize)>, fold_case: bool) -> Option<(AhoCorasick, Vec<usize>)> {
    if names.is_empty() {
        return None;
    }
    let (patterns, entities): (Vec<String>, Vec<usize>) = names.into_iter().unzip();
    let automaton = AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(fold_case)
        .build(&patterns)
        .expect("entity names are plain strings, which always build an automaton");
    Some((automaton, entities))
}

impl MentionMatcher {
    /// Builds a matcher for these names. Empty names are ignored.
    pub fn new(names: impl IntoIterator<Item = Name>) -> Self {
        let mut exact = Vec::new();
        let mut folded = Vec::new();
        for name in names {
            let text = collapse_whitespace(&name.text);
            if text.is_empty() {
                continue;
            }
            if text.chars().any(char::is_lowercase) {
                folded.push((text, name.entity));
            } else {
                exact.push((text, name.entity));
            }
        }
        MentionMatcher {
            exact: build(exact, false),
            folded: build(folded, true),
        }
    }

    /// Every whole-word mention in `text`, left to right, without overlaps; where names
    /// overlap the longest wins.
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let searchable: String = text
            .chars()
            .map(|c| {
                if c.is_whitespace() && c.len_utf8() == 1 {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let mut candidates = Vec::new();
        for (automaton, entities) in [&self.exact, &self.folded].into_iter().flatten() {
            for found in automaton.find_overlapping_iter(&searchable) {
                if is_whole_word(&searchable, found.start(), found.end()) {
                    candidates.push(Mention {
                        start: found.start(),
                        end: found.end(),
                        entity: entities[found.pattern().as_usize()],
                    });
                }
            }
        }
        candidates.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(b.end.cmp(&a.end))
                .then(a.entity.cmp(&b.entity))
        });
        // Longest first among overlapping candidates: take a candidate unless a longer one
        // that overlaps it exists, then skip everything overlapping what was taken.
        let mut by_length = candidates;
        by_length.sort_by(|a, b| {
            (b.end - b.start)
                .cmp(&(a.end - a.start))
                .then(a.start.cmp(&b.start))
        });
        // What is taken never overlaps, so sorted by start it is sorted by end too: a
        // candidate overlaps something taken exactly when the last taken mention starting
        // before its end reaches past its start. A map keeps this near-linear for a text
        // that names entities a hundred thousand times.
        let mut taken: std::collections::BTreeMap<usize, Mention> =
            std::collections::BTreeMap::new();
        for candidate in by_length {
            let overlaps = taken
                .range(..candidate.end)
                .next_back()
                .is_some_and(|(_, t)| t.end > candidate.start);
            if !overlaps {
                taken.insert(candidate.start, candidate);
            }
        }
        taken.into_values().collect()
    }
}

fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let first = text[start..end].chars().next();
    let last = text[start..end].chars().next_back();
    let boundary = |outside: Option<char>, inside: Option<char>| match (outside, inside) {
        (Some(o), Some(i)) if i.is_alphanumeric() => !o.is_alphanumeric(),
        _ => true,
    };
    boundary(before, first) && boundary(after, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(names: &[(&str, usize)]) -> MentionMatcher {
        MentionMatcher::new(names.iter().map(|(text, entity)| Name {
            text: text.to_string(),
            entity: *entity,
        }))
    }

    fn found<'a>(text: &'a str, matcher: &MentionMatcher) -> Vec<(&'a str, usize)> {
        matcher
            .find(text)
            .into_iter()
            .map(|m| (&text[m.start..m.end], m.entity))
            .collect()
    }

    #[test]
    fn longest_name_wins_across_line_breaks() {
        let matcher = matcher(&[
            ("Europe", 1),
            ("India–Middle East–Europe Economic Corridor", 2),
            ("India", 3),
        ]);
        let text = "develop the India–Middle\nEast–Europe Economic Corridor, from India to Europe";
        assert_eq!(
            found(text, &matcher),
            vec![
                ("India–Middle\nEast–Europe Economic Corridor", 2),
                ("India", 3),
                ("Europe", 1)
            ]
        );
    }

    #[test]
    fn whole_words_only() {
        let matcher = matcher(&[("AI", 1), ("energy", 2), ("Italy", 3)]);
        assert_eq!(found("FAIR AIR energyX", &matcher), vec![]);
        assert_eq!(
            found("AI, Energy and Italy’s", &matcher),
            vec![("AI", 1), ("Energy", 2), ("Italy", 3)]
        );
    }

    #[test]
    fn acronyms_match_only_as_written() {
        let matcher = matcher(&[("NATO", 1), ("U.S.", 2)]);
        assert_eq!(
            found("nato and the U.S. and u.s.", &matcher),
            vec![("U.S.", 2)]
        );
    }
}
