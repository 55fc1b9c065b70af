//! The shipped site says what the official statement says: every paragraph of the official
//! text appears verbatim in exactly one pledge or preamble, and every coverage quote is found
//! in its source. Parsed here independently of the importer.

use std::collections::BTreeMap;
use std::fs;

use crate::support::{Site, blocks, normalize, repo, strip_tags, tree};

/// The paragraphs of the official statement: the body after its front matter, split at
/// blank lines, without the bold underlined section headings.
fn official_paragraphs() -> Vec<String> {
    let text = fs::read_to_string(repo().join("seeds/003_2e7e4c96784554f6.txt")).unwrap();
    let body = text.splitn(3, "---\n").nth(2).unwrap();
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("**<u>") {
            continue;
        }
        if trimmed.is_empty() {
            if !current.trim().is_empty() {
                paragraphs.push(normalize(&current));
            }
            current.clear();
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    if !current.trim().is_empty() {
        paragraphs.push(normalize(&current));
    }
    paragraphs
}

#[test]
fn every_official_paragraph_is_in_exactly_one_pledge_or_preamble() {
    let site = Site::shipped();
    site.build();
    let mut texts: Vec<(String, String)> = Vec::new();
    for (path, bytes) in tree(&site.public()) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for opening in [
            "<blockquote class=\"statement-text pledge-text\">",
            "<blockquote class=\"statement-text preamble\">",
        ] {
            for block in blocks(&html, opening, "</blockquote>") {
                // The paragraph links (¶) are navigation, not the statement's words.
                let text = normalize(&strip_tags(block).replace('¶', ""));
                texts.push((path.clone(), text));
            }
        }
    }
    let paragraphs = official_paragraphs();
    assert_eq!(
        paragraphs.len(),
        17,
        "the official text has a preamble and 16 paragraphs"
    );
    let mut problems = Vec::new();
    for paragraph in &paragraphs {
        let holders: Vec<&str> = texts
            .iter()
            .filter(|(_, t)| t.contains(paragraph.as_str()))
            .map(|(p, _)| p.as_str())
            .collect();
        if holders.len() != 1 {
            problems.push(format!(
                "{} page(s) hold: {paragraph}\n  {holders:?}",
                holders.len()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // And nothing else: each block is exactly one official paragraph.
    for (path, text) in &texts {
        assert!(
            paragraphs.contains(text),
            "{path} holds text that is not an official paragraph: {text}"
        );
    }
}

#[test]
fn every_coverage_quote_is_in_its_source_file() {
    let site = Site::shipped();
    site.build();
    let mut source_files = BTreeMap::new();
    for (path, bytes) in tree(&repo().join("content/sources")) {
        let text = String::from_utf8(bytes).unwrap();
        let file = text
            .lines()
            .find_map(|l| l.strip_prefix("file = \""))
            .unwrap()
            .trim_end_matches('"');
        let source_text = fs::read_to_string(repo().join(file)).unwrap();
        source_files.insert(
            path.trim_end_matches(".md").to_string(),
            normalize(&source_text),
        );
    }
    let pledges: serde_json::Value =
        serde_json::from_str(&site.read("public/api/pledges.json")).unwrap();
    let mut n_quotes = 0;
    for pledge in pledges["pledges"].as_array().unwrap() {
        for coverage in pledge["coverage"].as_array().unwrap() {
            let source = coverage["source"].as_str().unwrap();
            let quote = normalize(coverage["quote"].as_str().unwrap());
            assert!(
                source_files[source].contains(&quote),
                "{source} does not contain: {quote}"
            );
            n_quotes += 1;
        }
    }
    assert!(n_quotes >= 20, "only {n_quotes} quotes");
}
