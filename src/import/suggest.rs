//! Curating helpers that stay honest: the entities a paragraph names, suggested (never
//! listed) for the editor to confirm, and a note where a paragraph holds several
//! commitments, for the editor to consider splitting it (never split here).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::content::MAX_FILE_BYTES;
use crate::content::frontmatter::{self, EntityFrontMatter};
use crate::diagnostic::SourceText;
use crate::files;
use crate::markdown::mentions::{MentionMatcher, Name};
use crate::markdown::text::sentences;
use crate::model::EntityKind;

/// The entities already in the site, suggested for the statement and its pledges where
/// their text names them.
pub(super) struct Suggestions {
    /// (kind, slug, title and aliases) of each entity.
    entities: Vec<(EntityKind, String, Vec<String>)>,
    matcher: MentionMatcher,
}

impl Suggestions {
    pub(super) fn new(root: &Path) -> Self {
        let entities = existing_entities(root);
        let matcher =
            MentionMatcher::new(entities.iter().enumerate().flat_map(|(i, (_, _, names))| {
                names.iter().map(move |text| Name {
                    text: text.clone(),
                    entity: i,
                })
            }));
        Suggestions { entities, matcher }
    }

    /// The countries a statement's title names, sorted: its parties.
    pub(super) fn parties(&self, title: &str) -> Vec<String> {
        self.matcher
            .find(title)
            .into_iter()
            .filter(|m| self.entities[m.entity].0 == EntityKind::Country)
            .map(|m| self.entities[m.entity].1.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// The topics, countries and programs a pledge's paragraph names, each sorted; the
    /// statement's parties are left out.
    pub(super) fn for_pledge(&self, paragraph: &str, parties: &[String]) -> [Vec<String>; 3] {
        let mut suggested: [BTreeSet<String>; 3] = Default::default();
        for mention in self.matcher.find(paragraph) {
            let (kind, entity_slug, _) = &self.entities[mention.entity];
            if *kind == EntityKind::Country && parties.contains(entity_slug) {
                continue;
            }
            let slot = EntityKind::ALL
                .iter()
                .position(|k| k == kind)
                .expect("ALL lists every kind");
            suggested[slot].insert(entity_slug.clone());
        }
        suggested.map(|set| set.into_iter().collect::<Vec<_>>())
    }
}

/// The entities already written under `root/content`, as (kind, slug, title and aliases).
fn existing_entities(root: &Path) -> Vec<(EntityKind, String, Vec<String>)> {
    let mut entities = Vec::new();
    for kind in EntityKind::ALL {
        let dir = root.join("content").join(kind.folder());
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        paths.sort();
        for path in paths {
            let Ok(bytes) = files::read_limited(&path, MAX_FILE_BYTES) else {
                continue; // `check` reports it
            };
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            let relative = path.to_string_lossy().into_owned();
            let source = SourceText::new(&relative, &text);
            let Ok(split) = frontmatter::split(&source) else {
                continue;
            };
            let Ok(front) = frontmatter::parse::<EntityFrontMatter>(&source, &split) else {
                continue;
            };
            let slug = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut names = vec![front.title];
            names.extend(front.aliases.into_iter().map(toml::Spanned::into_inner));
            entities.push((kind, slug, names));
        }
    }
    entities
}

/// Verbs that make a sentence a commitment, matched as whole lowercase words.
pub const COMMITMENT_WORDS: [&str; 16] = [
    "will",
    "commit",
    "commits",
    "committed",
    "agree",
    "agreed",
    "support",
    "pledge",
    "pledged",
    "decide",
    "decided",
    "undertake",
    "resolve",
    "resolved",
    "intend",
    "shall",
];

/// A note for the editor when a paragraph may hold several commitments: two or more of its
/// sentences hold a commitment word ([`COMMITMENT_WORDS`]), or it has two or more
/// sub-points. The paragraph stays one pledge: splitting it is the editor's call.
pub(super) fn review_note(lead: &str, points: &[String]) -> Option<String> {
    let committing = sentences(lead)
        .iter()
        .filter(|sentence| {
            sentence
                .split(|c: char| !c.is_alphabetic())
                .any(|w| COMMITMENT_WORDS.contains(&w.to_lowercase().as_str()))
        })
        .count();
    match (committing >= 2, points.len() >= 2) {
        (true, true) => Some(format!(
            "{committing} sentences with a commitment and {} sub-points: consider splitting this pledge",
            points.len()
        )),
        (true, false) => Some(format!(
            "{committing} sentences with a commitment: consider splitting this pledge"
        )),
        (false, true) => Some(format!(
            "{} sub-points, which may be commitments of their own: consider splitting this pledge",
            points.len()
        )),
        (false, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_commitments_are_flagged() {
        assert_eq!(review_note("We will act. We met.", &[]), None);
        assert!(review_note("We will act. We also agree to pay.", &[]).is_some());
        let points = vec!["(a) x".to_string(), "(b) y".to_string()];
        assert!(
            review_note("Allies:", &points)
                .unwrap()
                .contains("2 sub-points")
        );
    }
}
