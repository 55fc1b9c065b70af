//! The contract with themes: every page of the shipped site gets exactly the variables, the
//! `site` fields and, per template, the `page` fields that the README's "Template context"
//! lists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{page_job, site_view};
use crate::pipeline::{BuildOptions, build};
use crate::routes::page_kinds;

/// The cells of the table that follows `intro` in the README's "Template context" section,
/// one row each.
fn readme_table(readme: &str, intro: &str) -> Vec<Vec<String>> {
    let section = &readme[readme
        .find("### Template context")
        .expect("the README has a Template context section")..];
    let table = &section[section.find(intro).expect("the table's introduction")..];
    table
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            line.replace("\\|", "/")
                .trim_matches('|')
                .split('|')
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .collect()
}

/// The backquoted names a cell lists: those outside brackets (which describe values and
/// sub-fields), up to the first sentence's end.
fn listed_names(cell: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let (mut depth, mut quoted, mut name) = (0usize, false, String::new());
    for c in cell.chars() {
        match c {
            '`' if quoted => {
                if depth == 0 {
                    names.insert(std::mem::take(&mut name));
                }
                quoted = false;
            }
            '`' => {
                name.clear();
                quoted = true;
            }
            _ if quoted => name.push(c),
            '(' => depth += 1,
            ')' => depth -= 1,
            '.' if depth == 0 => break,
            _ => {}
        }
    }
    names
}

fn keys(value: &serde_json::Value) -> BTreeSet<String> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect()
}

#[test]
fn every_page_gets_the_variables_the_readme_lists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut variables = BTreeSet::new();
    let mut site_fields = BTreeSet::new();
    for row in readme_table(&readme, "Every template receives these variables.") {
        for name in listed_names(&row[0]) {
            match name.strip_prefix("site.") {
                Some(field) => {
                    variables.insert("site".to_string());
                    site_fields.insert(field.to_string());
                }
                None => {
                    variables.insert(name);
                }
            }
        }
    }
    let page_fields: BTreeMap<String, BTreeSet<String>> =
        readme_table(&readme, "These are the fields of `page` in each template.")
            .into_iter()
            .map(|row| {
                let template = listed_names(&row[0]).pop_first().unwrap();
                (template, listed_names(&row[1]))
            })
            .collect();
    assert_eq!(page_fields.len(), 14, "{page_fields:?}");

    let options = BuildOptions {
        base_url: None,
        live: true,
        ..BuildOptions::default()
    };
    let built = build(root, &options).unwrap();
    let model = built.model.expect("a live build keeps its model");
    let views = model.views();
    let site = site_view(&views, &model.templates, model.assets.clone());
    assert_eq!(keys(&site), site_fields);
    let mut seen = BTreeSet::new();
    for kind in page_kinds(&model.site, |template| model.templates.has(template)) {
        let job = page_job(&views, &site, kind);
        let context = job.context.into_json();
        assert_eq!(keys(&context), variables, "{}", job.path);
        assert_eq!(
            keys(&context["page"]),
            page_fields[job.template],
            "{}",
            job.path
        );
        seen.insert(job.template);
    }
    assert_eq!(
        seen.len(),
        page_fields.len(),
        "every kind of page is checked"
    );
}
