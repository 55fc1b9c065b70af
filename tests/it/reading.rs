//! The statement as a reader should see it: the official source page is a reading view of
//! the seed, every paragraph verbatim, numbered and anchored, with none of the publisher's
//! front matter or markup; pledge pages link to their paragraph, and coverage entries to
//! their passage. The seed is parsed here in the simplest way, independently of the
//! generator.

use std::fs;

use crate::support::{Site, blocks, broken_links, normalize, repo, strip_tags, tree};

const OFFICIAL_PAGE: &str = "sources/white-house-2025-04-18/index.html";

/// The official text's paragraphs: the lines after the second `---` line, split at lines
/// holding only whitespace, section heading lines (`**<u>…`) left out.
fn seed_paragraphs() -> Vec<String> {
    let text = fs::read_to_string(repo().join("seeds/003_2e7e4c96784554f6.txt")).unwrap();
    let body = text.splitn(3, "---\n").nth(2).unwrap();
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in body.lines().chain([""]) {
        if line.trim().is_empty() || line.trim().starts_with("**<u>") {
            if !current.trim().is_empty() {
                paragraphs.push(normalize(&current));
            }
            current.clear();
        } else {
            current.push_str(line);
            current.push(' ');
        }
    }
    paragraphs
}

fn text_of(html: &str) -> String {
    normalize(&strip_tags(html).replace("&nbsp;", " "))
}

#[test]
fn the_official_text_is_every_paragraph_verbatim_numbered_and_anchored() {
    let site = Site::shipped();
    site.build();
    let html = site.read(&format!("public/{OFFICIAL_PAGE}"));
    let paragraphs = seed_paragraphs();
    assert_eq!(
        paragraphs.len(),
        17,
        "the seed's paragraphs as this test reads them"
    );
    let page_text = text_of(&html);
    let mut last_at = 0;
    for (i, paragraph) in paragraphs.iter().enumerate() {
        let number = i + 1;
        let opening = format!("<p class=\"para\" id=\"para-{number}\">");
        assert_eq!(
            html.matches(&format!("id=\"para-{number}\"")).count(),
            1,
            "one anchor para-{number}"
        );
        let at = html.find(&opening).expect("the paragraph's element");
        assert!(at > last_at, "¶ {number} comes after ¶ {}", number - 1);
        last_at = at;
        let inner = blocks(&html, &opening, "</p>")[0];
        let shown = text_of(inner);
        let label = format!("¶ {number} ");
        assert!(shown.starts_with(&label), "¶ {number} is labelled: {shown}");
        assert_eq!(&shown[label.len()..], paragraph, "¶ {number} is verbatim");
        assert!(
            inner.contains(&format!("href=\"#para-{number}\"")),
            "¶ {number}'s label links to it"
        );
        assert_eq!(
            page_text.matches(paragraph.as_str()).count(),
            1,
            "¶ {number} appears once: {paragraph}"
        );
    }
    assert!(
        !html.contains("id=\"para-18\""),
        "no paragraph beyond the seed's"
    );
    // Headings are headings, with ids.
    assert!(html.contains("<h3 id=\"part-us-italy-cooperation-for-security\">U.S.- Italy Cooperation for Security</h3>"));
    // The raw file stays downloadable under its own name, with a readable label.
    assert!(html.contains("href=\"/sources/white-house-2025-04-18/003_2e7e4c96784554f6.txt\" download>The text as published by The White House (plain text, 5 KB)</a>"));
    assert!(
        site.public()
            .join("sources/white-house-2025-04-18/003_2e7e4c96784554f6.txt")
            .is_file()
    );
}

#[test]
fn no_page_shows_the_seeds_front_matter_or_markup() {
    let site = Site::shipped();
    site.build();
    for (path, bytes) in tree(&site.public()) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let text = strip_tags(&html);
        for raw in ["---", "source_url:", "modified_time:", "**", "<u>", "</u>"] {
            assert!(!text.contains(raw), "{path} shows `{raw}` as text");
        }
        assert!(
            !html.contains("<pre class=\"source-text\""),
            "{path} shows a raw text"
        );
    }
}

#[test]
fn pledges_link_to_their_paragraph_and_coverage_to_its_passage() {
    let site = Site::shipped();
    site.build();
    let official = site.read(&format!("public/{OFFICIAL_PAGE}"));
    let mut numbers = Vec::new();
    for (path, bytes) in tree(&site.path().join("content/statements")) {
        if path.ends_with("_index.md") {
            continue;
        }
        let source = String::from_utf8(bytes).unwrap();
        let page = site.read(&format!(
            "public/statements/{}/index.html",
            path.trim_end_matches(".md")
        ));
        // Its paragraph: a link to an anchor of the official page, which links back.
        let (_, after) = page
            .split_once("href=\"/sources/white-house-2025-04-18/#para-")
            .unwrap_or_else(|| panic!("{path} links to its paragraph"));
        let number: usize = after[..after.find('"').unwrap()].parse().unwrap();
        // The paragraph and the notes under it, up to the next paragraph or heading.
        let block = blocks(&official, &format!("id=\"para-{number}\""), "</div>")[0];
        let pledge_url = format!("/statements/{}/", path.trim_end_matches(".md"));
        assert!(
            block.contains(&format!("href=\"{pledge_url}\"")),
            "¶ {number} links back to {pledge_url}"
        );
        numbers.push(number);
        // Every coverage entry links to its passage, and the passage is there.
        let n_coverage = source.matches("[[coverage]]").count();
        let passages: Vec<&str> = page
            .match_indices("#cite-")
            .map(|(at, _)| {
                let start = page[..at].rfind('"').unwrap() + 1;
                &page[start..at + page[at..].find('"').unwrap()]
            })
            .collect();
        assert_eq!(passages.len(), n_coverage, "{path}: {passages:?}");
        for passage in passages {
            let (source_page, id) = passage.split_once('#').unwrap();
            let target = site.read(&format!("public{source_page}index.html"));
            assert_eq!(
                target
                    .matches(&format!(
                        "<span class=\"cite-anchor\" id=\"{id}\"></span><mark"
                    ))
                    .count(),
                1,
                "{path}: {passage} is a marked passage"
            );
        }
    }
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (2..=17).collect::<Vec<_>>(),
        "one pledge per paragraph after the preamble"
    );
    assert_eq!(broken_links(&site.public()), Vec::<(String, String)>::new());
}
