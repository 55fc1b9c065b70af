//! `communique import` of what newsrooms receive: a numbered communiqué, a saved web page
//! full of furniture, pasted plain text and Markdown, each imported into a copy of the
//! shipped site and built. Every paragraph must reach the built pages verbatim, with its
//! number and its sub-points' labels; no furniture may reach a page or a content file.

use std::path::Path;

use crate::support::{Site, repo, tree};

fn fixture(name: &str) -> String {
    repo()
        .join("tests/fixtures/import")
        .join(name)
        .display()
        .to_string()
}

/// The text of every built HTML page, tags dropped, entities decoded, whitespace one space.
fn page_texts(public: &Path) -> Vec<(String, String)> {
    tree(public)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, text_of(&String::from_utf8(bytes).unwrap())))
        .collect()
}

fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Imports `name` into a copy of the shipped site and builds it.
fn import_and_build(name: &str, slug: &str, extra: &[&str]) -> Site {
    let site = Site::shipped();
    let seed = fixture(name);
    let mut args = vec!["import", seed.as_str(), "--slug", slug];
    args.extend_from_slice(extra);
    let run = site.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The file is copied untouched and is the statement's official source.
    assert_eq!(
        std::fs::read(site.path().join("seeds").join(name)).unwrap(),
        std::fs::read(&seed).unwrap()
    );
    let source = site.read(&format!("content/sources/{slug}-official.md"));
    assert!(source.contains("kind = \"official\""), "{source}");
    assert!(
        source.contains(&format!("file = \"seeds/{name}\"")),
        "{source}"
    );
    site.build();
    site
}

/// Sections (folders) and pledges (files) written for `slug`, and the pledge files' texts.
fn written(site: &Site, slug: &str) -> (usize, Vec<String>) {
    let files = tree(&site.path().join("content/statements").join(slug));
    let sections = files.keys().filter(|p| p.ends_with("/_index.md")).count();
    let pledges = files
        .iter()
        .filter(|(p, _)| !p.ends_with("_index.md"))
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .collect();
    (sections, pledges)
}

fn assert_verbatim(site: &Site, paragraphs: &[&str]) {
    let pages = page_texts(&site.public());
    for paragraph in paragraphs {
        assert!(
            pages.iter().any(|(_, text)| text.contains(paragraph)),
            "not found verbatim in any built page: {paragraph}"
        );
    }
}

fn assert_no_furniture(site: &Site, slug: &str, furniture: &[&str]) {
    let mut texts = page_texts(&site.public());
    for (path, bytes) in tree(&site.path().join("content")) {
        texts.push((path, String::from_utf8(bytes).unwrap()));
    }
    for (path, text) in &texts {
        // The copy of the file as published is the one place the page stays whole.
        if path.starts_with("sources/") && !path.ends_with("index.html") {
            continue;
        }
        if path.starts_with("sources/") && !path.contains(slug) {
            continue;
        }
        for word in furniture {
            assert!(!text.contains(word), "furniture `{word}` reached {path}");
        }
    }
}

#[test]
fn a_numbered_communique_keeps_numbers_labels_and_sections() {
    let site = import_and_build("communique.txt", "harbour-2031", &[]);
    let (sections, pledges) = written(&site, "harbour-2031");
    assert_eq!(sections, 3);
    assert_eq!(pledges.len(), 8);
    for n in 1..=8 {
        assert!(
            pledges
                .iter()
                .any(|p| p.contains(&format!("number = \"{n}\"\nweight = {n}\n"))),
            "no pledge numbered {n}"
        );
    }
    let statement = site.read("content/statements/harbour-2031/_index.md");
    assert!(statement.contains("date = 2031-07-09"), "{statement}");
    assert!(statement.contains("We, the Heads of State and Government"));
    assert_verbatim(
        &site,
        &[
            "We, the Heads of State and Government of the Harbour Alliance, have gathered in Reykjavik to reaffirm the bond that unites our nations.",
            "Our Alliance remains the foundation of our collective defence.",
            "Allies will strengthen deterrence across all domains. To that end, we commit to:",
            "(a) keep at least 2% of gross domestic product for defence spending;",
            "(b) field the forces set out in the regional plans by 2033;",
            "(c) raise the readiness of our maritime forces.",
            "We agree to expand joint production of munitions. Industry will be invited to a forum in 2032.",
            "The Alliance will support its members in protecting undersea infrastructure, including cables and pipelines:",
            "i. by sharing information on threats in real time;",
            "ii. by holding an annual exercise in the North Atlantic.",
            "Resilience is a national responsibility and a collective commitment.",
            "Allies will adopt a common standard for quantum-safe communications by 2034, as follows:",
            "(1) a pilot network linking national capitals;",
            "(2) a joint centre of expertise in Tallinn.",
            "We welcome the progress made on the Harbour Innovation Fund & its first investments in \"dual-use\" start-ups.",
            "We value our partnerships with countries that share our values.",
            "We thank Iceland for hosting this Summit.",
        ],
    );
    // Sub-points are list items opening with their labels, never renumbered.
    let first = site.read(
        "public/statements/harbour-2031/deterrence-and-defence/allies-strengthen-deterrence-across-all/index.html",
    );
    assert!(
        first.contains("<li>(a) keep at least 2% of gross"),
        "{first}"
    );
    assert!(first.contains("paragraph 1 ·"), "the number is shown");
    assert!(first.contains("/sources/harbour-2031-official/#para-1\">¶&nbsp;1 of"));
    // Its citation names the paragraph as published, not its place among all paragraphs.
    let cite = site.read(
        "public/statements/harbour-2031/deterrence-and-defence/allies-strengthen-deterrence-across-all/cite.txt",
    );
    assert!(cite.contains("¶ 1 of the Harbour"), "{cite}");
    let third = site.read(
        "public/statements/harbour-2031/deterrence-and-defence/alliance-support-members-protecting-undersea/index.html",
    );
    // A `-` list whose items open with the labels: Markdown never renumbers them.
    assert!(third.contains("<ul>\n<li>i. by sharing"), "{third}");
    // The reading view numbers paragraphs as published; the preamble is unnumbered.
    let source = site.read("public/sources/harbour-2031-official/index.html");
    assert!(source.contains("id=\"para-8\""));
    assert!(source.contains("id=\"para-u1\""));
    assert!(source.contains("numbered as published"));
    // Several commitments are flagged, never split.
    assert!(
        pledges
            .iter()
            .any(|p| p.contains("review_note = \"2 sentences with a commitment and 3 sub-points"))
    );
}

#[test]
fn a_saved_page_leaves_its_furniture_out() {
    let site = import_and_build("page.html", "arctic-2031", &[]);
    let (sections, pledges) = written(&site, "arctic-2031");
    assert_eq!(sections, 2);
    assert_eq!(pledges.len(), 4);
    let statement = site.read("content/statements/arctic-2031/_index.md");
    assert!(statement.contains("title = \"Leaders’ Statement on Arctic Shipping\""));
    assert!(statement.contains("date = 2031-11-05"));
    let source = site.read("content/sources/arctic-2031-official.md");
    assert!(source.contains("url = \"https://mfa.example/news/2031/arctic-shipping-statement\""));
    assert!(source.contains("format = \"html\""));
    assert_verbatim(
        &site,
        &[
            "The leaders of the Nordic Council met in Tromsø on 5 November 2031 and adopted the following statement on safe and clean shipping in the Arctic.",
            "We will establish a joint search and rescue centre in Tromsø by 2033.",
            "We agree to share ice charts and weather data in real time:",
            "a. between our coast guards;",
            "b. with commercial operators, free of charge.",
            "We will ban heavy fuel oil in our Arctic waters from 2035 & support ports in installing shore power.",
            "The Nordic Council will report on progress at its next session.",
        ],
    );
    for n in 1..=4 {
        assert!(
            pledges
                .iter()
                .any(|p| p.contains(&format!("number = \"{n}\"")))
        );
    }
    assert_no_furniture(
        &site,
        "arctic-2031",
        &[
            "uses cookies",
            "Skip to main content",
            "News and press releases",
            "Foreign policy topics",
            "Search this site",
            "Newsroom archive",
            "Share on Facebook",
            "Email this page",
            "Photo credit",
            "Minister visits the High North",
            "New icebreaker ordered",
            "weekly newsletter",
            "All rights reserved",
            "Privacy notice",
            "NEWS-TRACKING-SCRIPT",
            "Furniture Sans",
        ],
    );
}

#[test]
fn pasted_plain_text_joins_hard_wrapped_lines() {
    let site = import_and_build("pasted.txt", "coastal-2031", &[]);
    let (sections, pledges) = written(&site, "coastal-2031");
    assert_eq!(sections, 3);
    assert_eq!(pledges.len(), 4);
    let statement = site.read("content/statements/coastal-2031/_index.md");
    assert!(statement.contains("title = \"Joint Statement on Coastal Energy Cooperation\""));
    assert!(statement.contains("date = 2031-04-18"));
    assert_verbatim(
        &site,
        &[
            "The Prime Ministers of Canada and Japan met in Ottawa today and agreed to deepen their cooperation on clean energy along their coasts.",
            "Canada and Japan will build two offshore wind demonstration parks by 2036, with a combined capacity of 500 megawatts.",
            "The two governments will exchange engineers between their national laboratories. Japan will host the first exchange in 2032.",
            "Both countries will modernise three fishing ports each, and share data on fish stocks through the Blue Seas Initiative.",
            "The leaders asked their ministers to report on progress within one year.",
        ],
    );
    // The reading view's paragraphs are the pledges: each links to its pledge.
    let source = site.read("public/sources/coastal-2031-official/index.html");
    assert_eq!(source.matches("Pledge: <a").count(), 4, "{source}");
}

#[test]
fn markdown_loses_its_markup_not_its_words() {
    let site = import_and_build("statement.md", "pacific-2032", &[]);
    let (sections, pledges) = written(&site, "pacific-2032");
    assert_eq!(sections, 2);
    assert_eq!(pledges.len(), 4);
    assert_verbatim(
        &site,
        &[
            "The Governments of Canada and Japan today launched a partnership on ocean science, described in the joint fact sheet.",
            "Canada and Japan will launch a joint research vessel in 2034.",
            "The two countries will share ocean data through an open portal.",
            "The partners will fund 40 doctoral fellowships_each year_ for ten years.",
            "Both countries will create a summer school on polar oceans, to be held alternately in Halifax and Sapporo.",
        ],
    );
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let site = Site::shipped();
    let before = tree(site.path());
    let run = site.run(&["import", &fixture("communique.txt"), "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("read as numbered"), "{}", run.stdout);
    assert!(
        run.stdout.contains("3 section(s), 8 pledge(s)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("    7. We value our partnerships"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("[sub-points: (a) (b) (c)]"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("nothing was written"));
    assert_eq!(tree(site.path()), before);
}

#[test]
fn formats_are_told_from_the_content_or_given() {
    let site = Site::shipped();
    for (name, format) in [
        ("communique.txt", "numbered"),
        ("pasted.txt", "text"),
        ("statement.md", "markdown"),
        ("page.html", "html"),
    ] {
        let run = site.run(&["import", &fixture(name), "--dry-run"]);
        assert!(
            run.stdout.contains(&format!("read as {format})")),
            "{name}: {}",
            run.stdout
        );
    }
    // Told to read the communiqué as plain text, its numbers stay in the words.
    let run = site.run(&[
        "import",
        &fixture("communique.txt"),
        "--dry-run",
        "--format",
        "text",
    ]);
    assert!(run.stdout.contains("- 1. Allies will"), "{}", run.stdout);
    let run = site.run(&["import", &fixture("pasted.txt"), "--format", "pdf"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    site.write("binary.txt", b"\x00\x01\x02 not text");
    let run = site.run(&[
        "import",
        &site.path().join("binary.txt").display().to_string(),
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("cannot tell its format") && run.stderr.contains("--format"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_title_or_date_says_which_and_how_to_give_it() {
    let site = Site::shipped();
    site.write(
        "notitle.txt",
        "1. We will act.\n\n2. We will pay.\n\n14 June 2021\n",
    );
    let path = site.path().join("notitle.txt").display().to_string();
    site.write(
        "nodate.txt",
        "A Statement\n\nWe will act.\n\nWe will pay.\n",
    );
    let nodate = site.path().join("nodate.txt").display().to_string();
    let run = site.run(&["import", &nodate, "--dry-run"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("the date is missing") && run.stderr.contains("--date YYYY-MM-DD"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("title is missing"));
    let run = site.run(&["import", &path, "--dry-run", "--date", "2021-06-14"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("the title is missing") && run.stderr.contains("--title"),
        "{}",
        run.stderr
    );
    let run = site.run(&["import", &nodate, "--date", "2021-06-14", "--slug", "given"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = site.run(&[
        "import",
        &path,
        "--title",
        "Given Title",
        "--date",
        "2021-06-14",
        "--slug",
        "given-2",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.read("content/statements/given-2/_index.md")
            .contains("title = \"Given Title\"")
    );
    site.build();
}
