//! The architecture's invariants, written as absences and checked by reading the source:
//! no two files import each other, even through others; only `cmd` and `serve` import the
//! pipeline, and nothing below them imports `serve`; no stage asks whether it writes to a
//! staging folder; the one hash is defined once. A file's imports are the `crate::` and
//! `super::` paths it names outside its unit tests. Unit tests kept in a file of their own
//! (`tests.rs`) may build a site through the pipeline as a fixture: they are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every source file under `src/`, by its path there (`pages/mod.rs`), without its unit
/// tests, inline or in a `tests.rs`.
fn sources() -> BTreeMap<String, String> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    walkdir::WalkDir::new(&src)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "rs"))
        .filter(|entry| entry.file_name() != "tests.rs")
        .map(|entry| {
            let relative = entry.path().strip_prefix(&src).unwrap();
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            (slash(relative), code.to_string())
        })
        .collect()
}

fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The module path of a file: `pages/mod.rs` is `pages`, `lib.rs` the crate.
fn module_of(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The files each file imports.
fn imports(sources: &BTreeMap<String, String>) -> BTreeMap<&str, BTreeSet<&str>> {
    let modules: BTreeMap<Vec<String>, &str> = sources
        .keys()
        .map(|file| (module_of(file), file.as_str()))
        .collect();
    // The file of the longest prefix of `path` that is a module.
    let resolve = |path: &[String]| {
        (1..=path.len())
            .rev()
            .find_map(|n| modules.get(&path[..n]).copied())
    };
    let segments = |text: &str| -> Vec<String> {
        text.split("::")
            .map(|s| s.trim().split(" as ").next().unwrap_or("").to_string())
            .filter(|s| !s.is_empty() && s != "self")
            .collect()
    };
    let mut graph = BTreeMap::new();
    for (file, code) in sources {
        let me = module_of(file);
        let parent = me[..me.len().saturating_sub(1)].to_vec();
        let mut found = BTreeSet::new();
        for (anchor, base) in [("crate::", Vec::new()), ("super::", parent)] {
            for (at, _) in code.match_indices(anchor) {
                let rest = &code[at + anchor.len()..];
                if !rest.starts_with(|c: char| c.is_alphabetic() || c == '_') {
                    continue;
                }
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .unwrap_or(rest.len());
                let mut path = base.clone();
                path.extend(segments(&rest[..end]));
                found.extend(resolve(&path));
                // `crate::a::{b, c::d}` imports each item of the group.
                if rest[..end].ends_with("::") && rest[end..].starts_with('{') {
                    let group = rest[end + 1..].split('}').next().unwrap_or("");
                    for item in group.split(',') {
                        let mut inner = path.clone();
                        inner.extend(segments(item));
                        found.extend(resolve(&inner));
                    }
                }
            }
        }
        found.remove(file.as_str());
        graph.insert(file.as_str(), found);
    }
    graph
}

#[test]
fn no_file_imports_itself_through_others() {
    let sources = sources();
    let graph = imports(&sources);
    // Depth-first search from every file; a file met again on the current path closes a
    // cycle.
    fn visit<'a>(
        file: &'a str,
        graph: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(at) = path.iter().position(|f| *f == file) {
            let mut cycle = path[at..].to_vec();
            cycle.push(file);
            return Some(cycle);
        }
        if !done.insert(file) {
            return None;
        }
        path.push(file);
        for next in &graph[file] {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for file in graph.keys() {
        let cycle = visit(file, &graph, &mut Vec::new(), &mut done);
        assert!(
            cycle.is_none(),
            "import cycle: {}",
            cycle.unwrap().join(" -> ")
        );
    }
}

#[test]
fn only_cmd_and_serve_import_the_pipeline_and_nothing_below_imports_serve() {
    let sources = sources();
    for (importer, imported) in imports(&sources) {
        if imported.contains("pipeline.rs") {
            assert!(
                importer.starts_with("cmd/") || importer.starts_with("serve/"),
                "{importer} imports the pipeline"
            );
        }
        if let Some(serve) = imported.iter().find(|file| file.starts_with("serve/")) {
            assert!(importer.starts_with("serve/"), "{importer} imports {serve}");
        }
    }
}

#[test]
fn stages_hand_files_to_a_sink_and_the_hash_is_defined_once() {
    for (file, code) in sources() {
        assert!(
            !code.contains("Option<&Staging>"),
            "{file} asks whether it writes to a staging folder; take an output::Sink"
        );
        if file != "hash.rs" {
            assert!(
                !code.contains("fn fnv1a"),
                "{file} defines fnv1a; use crate::hash"
            );
        }
    }
}

/// The shared rules at the bottom of the graph: any module may use them, and they use
/// nothing of the crate but each other within their own folder.
const LEAVES: [&str; 8] = [
    "hash.rs",
    "term.rs",
    "slug.rs",
    "stopwords.rs",
    "fence.rs",
    "quotes.rs",
    "escape.rs",
    "url_scheme/",
];

#[test]
fn leaf_modules_import_nothing_from_the_crate() {
    let sources = sources();
    let graph = imports(&sources);
    let mut leaves = 0;
    for (file, imported) in &graph {
        let Some(leaf) = LEAVES.iter().find(|leaf| file.starts_with(*leaf)) else {
            continue;
        };
        leaves += 1;
        let outside: Vec<&&str> = imported
            .iter()
            .filter(|other| !(leaf.ends_with('/') && other.starts_with(leaf)))
            .collect();
        assert!(
            outside.is_empty(),
            "{file} is a leaf module but imports {outside:?}"
        );
    }
    assert!(leaves >= LEAVES.len(), "a leaf module was moved or renamed");
    // `output` stands on the diagnostics only (to report colliding files), which stand on
    // `term` only.
    for (file, imported) in &graph {
        if file.starts_with("output/") {
            let outside: Vec<&&str> = imported
                .iter()
                .filter(|other| !other.starts_with("output/") && **other != "diagnostic.rs")
                .collect();
            assert!(outside.is_empty(), "{file} imports {outside:?}");
        }
    }
    assert_eq!(
        graph["diagnostic.rs"].iter().copied().collect::<Vec<_>>(),
        ["term.rs"]
    );
}

/// The calls that create, change or remove files and folders.
const WRITES: [&str; 14] = [
    "fs::write",
    "File::create",
    "create_dir",
    "fs::rename",
    "remove_file",
    "remove_dir",
    "fs::copy",
    "hard_link",
    "fs::symlink(",
    "set_permissions",
    ".write(true)",
    ".append(true)",
    ".create(true)",
    ".create_new(true)",
];

#[test]
fn only_output_writes_files() {
    let sources = sources();
    let mut writers = BTreeSet::new();
    for (file, code) in &sources {
        for call in WRITES {
            if code.contains(call) {
                if file.starts_with("output/") {
                    writers.insert(file.as_str());
                } else {
                    panic!("{file} calls {call}; hand the file to `output` instead");
                }
            }
        }
    }
    // The check above could pass by reading nothing: the writers must be found.
    for expected in ["output/staging.rs", "output/content_files.rs"] {
        assert!(writers.contains(expected), "{expected} no longer writes?");
    }
}
