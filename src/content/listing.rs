//! Which files `content/` holds and where each sits in the content model: a statement, a
//! section, a pledge, an entity, a source or a free page. Files that have no place, and
//! names that are not slugs, are reported here.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::files::{Project, WalkOptions};
use crate::model::EntityKind;
use crate::slug;

/// The Markdown files under `content/`, and the folders that could not be read.
pub(super) struct ContentFiles {
    /// (path from the root as the editor sees it, the file to read).
    pub(super) files: Vec<(String, PathBuf)>,
    /// The folders that could not be read, from the root.
    pub(super) unreadable: Vec<String>,
}

/// Is `name` an editor's backup, swap or temporary file?
fn is_scratch(name: &str) -> bool {
    name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
}

/// Lists the Markdown files under `content/`, reporting links that leave the project,
/// special files, unreadable folders and files that are not Markdown.
pub(super) fn list_content_files(
    project: &Project,
    diagnostics: &mut Vec<Diagnostic>,
) -> ContentFiles {
    let walk = project.walk(
        "content",
        WalkOptions {
            skip: &is_scratch,
            well_known: false,
        },
    );
    diagnostics.extend(walk.problems);
    let mut files = Vec::new();
    for found in walk.files {
        if !found.name.ends_with(".md") {
            diagnostics.push(
                Diagnostic::warning(&found.relative, 1, 1, "file is not Markdown and is ignored")
                    .with_help("put images and other files under static/"),
            );
            continue;
        }
        files.push((found.relative, found.path));
    }
    ContentFiles {
        files,
        unreadable: walk.unreadable,
    }
}

/// Where a file sits in the content model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Place {
    Home,
    Statement {
        statement: String,
    },
    Section {
        statement: String,
        section: String,
    },
    Pledge {
        statement: String,
        section: String,
        slug: String,
    },
    Entity {
        kind: EntityKind,
        slug: String,
    },
    Source {
        slug: String,
    },
    Page {
        slug: String,
    },
}

pub(super) fn place_of(relative: &str) -> Result<Place, Diagnostic> {
    let parts: Vec<&str> = relative.split('/').skip(1).collect();
    let stem = |name: &str| name.trim_end_matches(".md").to_string();
    let place = match parts.as_slice() {
        ["_index.md"] => Place::Home,
        ["statements", statement, "_index.md"] => Place::Statement {
            statement: statement.to_string(),
        },
        ["statements", statement, section, "_index.md"] => Place::Section {
            statement: statement.to_string(),
            section: section.to_string(),
        },
        ["statements", _, name] => {
            return Err(Diagnostic::error(relative, 1, 1, "pledge is not inside a section folder").with_help(format!(
                "move it into a section folder: content/statements/<statement>/<section>/{name}"
            )));
        }
        ["statements", statement, section, name] => Place::Pledge {
            statement: statement.to_string(),
            section: section.to_string(),
            slug: stem(name),
        },
        [folder, name] if EntityKind::from_folder(folder).is_some() => Place::Entity {
            kind: EntityKind::from_folder(folder).expect("checked by the guard"),
            slug: stem(name),
        },
        ["sources", name] => Place::Source { slug: stem(name) },
        ["pages", name] => Place::Page { slug: stem(name) },
        _ => {
            return Err(Diagnostic::error(relative, 1, 1, "file is in no place the content model knows").with_help(
                "content files go in statements/<statement>/<section>/, topics/, countries/, programs/, sources/ or pages/",
            ));
        }
    };
    for part in &parts {
        let slug = part.trim_end_matches(".md");
        if slug != "_index" && !slug::is_valid(slug) {
            return Err(Diagnostic::error(relative, 1, 1, format!("`{slug}` is not a valid slug")).with_help(
                "rename it using only lowercase letters a-z, digits and -, e.g. nato-defense-funding",
            ));
        }
    }
    Ok(place)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_follow_the_content_model() {
        assert_eq!(place_of("content/_index.md").unwrap(), Place::Home);
        assert_eq!(
            place_of("content/statements/s/sec/p-1.md").unwrap(),
            Place::Pledge {
                statement: "s".into(),
                section: "sec".into(),
                slug: "p-1".into()
            }
        );
        assert_eq!(
            place_of("content/programs/nato.md").unwrap(),
            Place::Entity {
                kind: EntityKind::Program,
                slug: "nato".into()
            }
        );
        assert!(
            place_of("content/statements/s/p.md")
                .unwrap_err()
                .message
                .contains("section folder")
        );
        assert!(
            place_of("content/misc/x.md")
                .unwrap_err()
                .message
                .contains("no place")
        );
        assert!(
            place_of("content/topics/Bad_Slug.md")
                .unwrap_err()
                .message
                .contains("not a valid slug")
        );
    }
}
