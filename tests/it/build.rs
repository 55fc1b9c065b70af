//! `communique build` end to end: pages, links, determinism, atomic output, themes.

use std::fs;

use crate::support::{Site, broken_links, tree, tree_snapshot};

#[test]
fn minimal_site_renders_every_page_kind() {
    let site = Site::fixture("minimal");
    let run = site.build();
    assert!(run.stdout.starts_with("built 25 pages"), "{}", run.stdout);
    insta::assert_snapshot!("minimal_site", tree_snapshot(&site.public()));
}

#[test]
fn shipped_site_has_no_broken_links() {
    let site = Site::shipped();
    site.build();
    assert_eq!(broken_links(&site.public()), Vec::<(String, String)>::new());
    let files = tree(&site.public());
    for required in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "feed.xml",
        "api/pledges.json",
        "api/entities.json",
        "statements/index.html",
        "statements/us-italy-2025/index.html",
        "statements/us-italy-2025/security/index.html",
        "statements/us-italy-2025/security/ukraine-ceasefire/index.html",
        "topics/index.html",
        "countries/index.html",
        "programs/index.html",
        "programs/imec/index.html",
        "sources/index.html",
        "sources/white-house-2025-04-18/index.html",
        "sources/white-house-2025-04-18/003_2e7e4c96784554f6.txt",
        "about/index.html",
    ] {
        assert!(files.contains_key(required), "{required} was not built");
    }
}

#[test]
fn entity_pages_group_pledges_and_list_neighbours() {
    let site = Site::shipped();
    site.build();
    let imec = site.read("public/programs/imec/index.html");
    assert!(imec.contains("United States – Italy Joint Leaders’ Statement"));
    assert!(imec.contains("U.S.–Italy Cooperation for Shared Prosperity"));
    assert!(imec.contains("/statements/us-italy-2025/shared-prosperity/imec/"));
    assert!(imec.contains("Shares pledges with"));
    // The longest name wins: the IMEC pledge links the corridor, not Europe inside its name.
    let pledge = site.read("public/statements/us-italy-2025/shared-prosperity/imec/index.html");
    assert!(pledge.contains("<a class=\"mention\" href=\"/programs/imec/\">India–Middle\nEast–Europe Economic Corridor</a>"));
    assert!(!pledge.contains("<a class=\"mention\" href=\"/countries/europe/\">"));
}

#[test]
fn builds_are_byte_identical_across_thread_counts_and_mtimes() {
    let site = Site::shipped();
    site.run_with_env(&["build"], &[("RAYON_NUM_THREADS", "1")]);
    let first = tree(&site.public());
    // Touch every content file so modification times differ.
    for entry in walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() {
            let text = fs::read(entry.path()).unwrap();
            fs::write(entry.path(), text).unwrap();
        }
    }
    let run = site.run_with_env(&["build"], &[("RAYON_NUM_THREADS", "4")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let second = tree(&site.public());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = Site::fixture("minimal");
    site.build();
    let before = tree(&site.public());
    site.edit(
        "content/topics/trade.md",
        "title = \"Trade\"",
        "title = \"Trade",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("the previous output was left untouched"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&site.public()), before);
    assert_eq!(site.leftovers(), Vec::<String>::new());
}

#[test]
fn dangerous_output_folders_are_refused_before_anything_is_deleted() {
    let site = Site::fixture("minimal");
    let content_before = tree(&site.path().join("content"));
    for output in ["content", "content/out", "themes", "seeds", ".", ".."] {
        let run = site.run(&[
            "build",
            "--output",
            &site.path().join(output).display().to_string(),
        ]);
        assert_eq!(run.code, 1, "--output {output} was accepted");
        assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    }
    assert_eq!(tree(&site.path().join("content")), content_before);
    assert!(
        site.path()
            .join("themes/default/templates/base.html")
            .exists()
    );
}

#[test]
fn base_url_with_a_path_prefixes_every_link() {
    let site = Site::fixture("minimal");
    let run = site.run(&["build", "--base-url", "https://example.org/sub/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/statements/g7-2030/climate/cut-emissions/index.html");
    assert!(page.contains("href=\"/sub/topics/climate/\""), "{page}");
    assert!(page.contains("href=\"/sub/style.css?v="));
    assert!(!page.contains("href=\"/topics/"));
    assert!(
        site.read("public/sitemap.xml")
            .contains("<loc>https://example.org/sub/topics/climate/</loc>")
    );
}

#[test]
fn both_themes_build_the_same_pages() {
    let site = Site::shipped();
    site.build();
    let default_pages: Vec<String> = tree(&site.public())
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    site.edit("site.toml", "theme = \"default\"", "theme = \"plain\"");
    site.build();
    let plain_pages: Vec<String> = tree(&site.public())
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert_eq!(default_pages, plain_pages);
    assert!(site.read("public/index.html").contains("plain.css"));
    assert_eq!(broken_links(&site.public()), Vec::<(String, String)>::new());
}

#[test]
fn site_templates_override_the_theme_by_name() {
    let site = Site::fixture("minimal");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Overridden {{ page.title }}</h1>{% endblock content %}",
    );
    site.write("static/extra.txt", "extra");
    site.build();
    assert!(
        site.read("public/about/index.html")
            .contains("<h1>Overridden About</h1>")
    );
    assert_eq!(site.read("public/extra.txt"), "extra");
}

#[test]
fn escapes_text_in_every_format() {
    let site = Site::fixture("minimal");
    site.build();
    let page = site.read("public/statements/g7-2030/trade/fair-trade/index.html");
    assert!(
        page.contains("Keep trade &quot;fair &amp; open&quot;"),
        "{page}"
    );
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    let feed = site.read("public/feed.xml");
    assert!(
        feed.contains("<title>Fixture &amp; &lt;Test&gt; site</title>"),
        "{feed}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/api/entities.json")).unwrap();
    assert!(
        json["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["summary"] == "Trade & <tariffs>.")
    );
}

/// A build killed at any moment leaves the previous site whole, and the next build cleans up.
#[cfg(unix)]
#[test]
fn a_killed_build_never_leaves_a_half_written_site() {
    use std::process::{Command, Stdio};
    use std::time::Duration;

    let site = Site::shipped();
    site.build();
    let before = tree(&site.public());
    // Change the content so a finished build would differ from the previous one.
    site.edit("content/_index.md", "+++\n", "+++\n");
    site.edit("site.toml", "title = \"", "title = \"Changed: ");
    for delay_ms in [0u64, 5, 10, 20, 40, 60, 80, 120] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_communique"))
            .args(["build", "--root"])
            .arg(site.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        // Whatever moment the kill hit, public/ is either the old site or the new one, whole.
        if site.public().exists() {
            let now = tree(&site.public());
            let is_old = now == before;
            let is_new = now.len() == before.len()
                && String::from_utf8_lossy(&now["index.html"]).contains("Changed: ");
            assert!(
                is_old || is_new,
                "public/ is half-written after a kill at {delay_ms} ms"
            );
        }
    }
    site.build();
    assert!(site.read("public/index.html").contains("Changed: "));
    assert_eq!(site.leftovers(), Vec::<String>::new());
}

#[test]
fn hostile_text_is_escaped_in_html_feed_and_json() {
    let site = Site::fixture("minimal");
    let hostile = "<script>alert('x')</script> & \"q\"";
    site.write(
        "content/topics/hostile.md",
        format!(
            "+++\ntitle = '''{hostile}'''\naliases = ['''<b>bold</b>''']\nsummary = '''{hostile}'''\n+++\n"
        ),
    );
    site.edit(
        "content/statements/g7-2030/trade/fair-trade.md",
        "topics = [\"trade\"]",
        "topics = [\"trade\", \"hostile\"]",
    );
    site.edit(
        "content/statements/g7-2030/trade/fair-trade.md",
        "title = \"Keep trade \\\"fair & open\\\"\"",
        &format!("title = '''{hostile}'''"),
    );
    site.edit(
        "content/statements/g7-2030/climate/fund-corridor.md",
        "Money for",
        "![<script>alt</script> \"x\"](img.png) Money for",
    );
    site.build();
    for page in [
        "public/topics/hostile/index.html",
        "public/topics/index.html",
        "public/statements/g7-2030/trade/fair-trade/index.html",
        "public/statements/g7-2030/climate/fund-corridor/index.html",
        "public/feed.xml",
    ] {
        let text = site.read(page);
        assert!(!text.contains("<script>"), "{page} lets <script> through");
        assert!(!text.contains("<b>bold</b>"), "{page} lets <b> through");
    }
    let pledge = site.read("public/statements/g7-2030/trade/fair-trade/index.html");
    assert!(
        pledge.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"),
        "{pledge}"
    );
    let corridor = site.read("public/statements/g7-2030/climate/fund-corridor/index.html");
    assert!(
        corridor.contains("alt=\"&lt;script&gt;alt&lt;/script&gt; &quot;x&quot;\""),
        "{corridor}"
    );
    let feed = site.read("public/feed.xml");
    assert!(feed.contains(
        "<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;</title>"
    ));
    // JSON holds the text itself, correctly encoded.
    let pledges: serde_json::Value =
        serde_json::from_str(&site.read("public/api/pledges.json")).unwrap();
    assert!(
        pledges["pledges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["title"] == hostile)
    );
    let entities: serde_json::Value =
        serde_json::from_str(&site.read("public/api/entities.json")).unwrap();
    assert!(
        entities["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["aliases"][0] == "<b>bold</b>")
    );
}

/// A pledge's search result keeps the statement's words and the editors' status reason
/// apart: the reason is in `reason`, shown on a line of its own, and not in `text`.
#[test]
fn search_documents_keep_the_status_reason_apart_from_the_text() {
    let site = Site::shipped();
    site.build();
    let mut pledges = 0;
    let mut reasons = 0;
    for (path, _) in tree(&site.public()) {
        if !(path.starts_with("search-index/docs/") && path.ends_with(".json")) {
            continue;
        }
        let docs: serde_json::Value =
            serde_json::from_str(&site.read(&format!("public/{path}"))).unwrap();
        for doc in docs.as_array().unwrap() {
            let reason = doc.get("reason").and_then(|s| s.as_str());
            if doc["type"] != "Pledge" {
                assert_eq!(reason, None, "{doc}");
                continue;
            }
            pledges += 1;
            let text = doc["text"].as_str().unwrap();
            if let Some(reason) = reason {
                reasons += 1;
                assert!(!reason.is_empty());
                assert!(
                    !text.contains(reason),
                    "the reason runs into the text: {text}"
                );
            }
        }
    }
    assert_eq!(pledges, 16);
    assert!(reasons > 0, "no pledge has a reason");
}
