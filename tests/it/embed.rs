//! Embedding and sharing (issue 13): the oEmbed responses and the embed pages they name,
//! the social cards (1200×630 PNGs, the same bytes whatever the thread count), the Open
//! Graph metadata of a pledge page, the framing headers of `netlify.toml`, and the embed
//! page under axe at 320 px in light and dark.

use std::collections::BTreeMap;

use crate::browser::{
    RawCommand, axe_script, connect, emulate_color_scheme, shipped_site_in_browser,
};
use crate::support::{Site, repo, tree};

/// The value of `<meta property|name="{key}" content="…">` in `html`.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    let at = html
        .find(&format!("property=\"{key}\" content=\""))
        .or_else(|| html.find(&format!("name=\"{key}\" content=\"")))?;
    let rest = &html[at..];
    let start = rest.find("content=\"")? + 9;
    Some(&rest[start..start + rest[start..].find('"')?])
}

/// The width and height a PNG's IHDR chunk states, after checking its signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn every_oembed_response_names_an_embed_page_that_exists_and_cards_are_pngs() {
    let site = Site::shipped();
    site.build();
    let public = site.public();
    let files = tree(&public);
    let base = "https://communique.example.org";
    let mut responses = 0;
    for (path, bytes) in &files {
        if !path.ends_with("/oembed.json") {
            continue;
        }
        responses += 1;
        let json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        assert_eq!(json["type"], "rich", "{path}");
        assert_eq!(json["version"], "1.0", "{path}");
        assert!(json["width"].as_u64().unwrap() >= 320, "{path}");
        assert!(json["height"].as_u64().unwrap() > 0, "{path}");
        assert!(
            json["provider_name"]
                .as_str()
                .is_some_and(|n| !n.is_empty())
        );
        assert_eq!(json["provider_url"], format!("{base}/"));
        let html = json["html"].as_str().unwrap();
        assert!(
            html.starts_with("<iframe ") && html.ends_with("</iframe>"),
            "{html}"
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("loading=\"lazy\"") && html.contains(" title=\""),
            "{html}"
        );
        let src = html
            .split("src=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let page = src.strip_prefix(base).unwrap();
        assert_eq!(format!("/{}", path.trim_end_matches("oembed.json")), page);
        let embed = String::from_utf8(files[&format!("{}index.html", &page[1..])].clone()).unwrap();
        assert!(embed.contains("<meta name=\"robots\" content=\"noindex\">"));
        assert!(!embed.contains("<script"));
        // The pledge page announces the response.
        let pledge_page = page.replacen("/embed/", "statements/", 1);
        let pledge = String::from_utf8(files[&format!("{pledge_page}index.html")].clone()).unwrap();
        assert!(
            pledge.contains(&format!(
                "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"/{path}\""
            )),
            "{pledge_page}"
        );
        assert!(
            pledge.contains("<textarea id=\"embed-snippet\""),
            "{pledge_page}"
        );
    }
    let pledges = files
        .keys()
        .filter(|p| {
            p.starts_with("statements/")
                && p.matches('/').count() == 4
                && p.ends_with("/index.html")
        })
        .count();
    assert_eq!(responses, pledges, "one oEmbed response per pledge");
    let sitemap = String::from_utf8(files["sitemap.xml"].clone()).unwrap();
    assert!(
        !sitemap.contains("/embed/"),
        "embed pages stay out of the sitemap"
    );

    let cards: Vec<&String> = files.keys().filter(|p| p.ends_with("/card.png")).collect();
    assert!(
        cards.len() > pledges,
        "pledges, statements and entities have cards"
    );
    for card in cards {
        assert_eq!(png_size(&files[card]), (1200, 630), "{card}");
    }
}

#[test]
fn a_pledge_page_has_its_open_graph_and_twitter_metadata() {
    let site = Site::shipped();
    site.build();
    let path = "statements/us-italy-2025/security/defense-coproduction/";
    let html = site.read(&format!("public/{path}index.html"));
    let url = format!("https://communique.example.org/{path}");
    assert_eq!(
        meta(&html, "og:title"),
        Some("Expand defense co-production and co-development")
    );
    assert_eq!(meta(&html, "og:url"), Some(url.as_str()));
    assert_eq!(meta(&html, "og:type"), Some("article"));
    assert_eq!(
        meta(&html, "og:image"),
        Some(format!("{url}card.png").as_str())
    );
    assert_eq!(meta(&html, "og:image:width"), Some("1200"));
    assert_eq!(meta(&html, "og:image:height"), Some("630"));
    assert!(meta(&html, "og:image:alt").is_some_and(|alt| alt.contains("Announced")));
    assert_eq!(meta(&html, "twitter:card"), Some("summary_large_image"));
    assert!(meta(&html, "og:site_name").is_some_and(|name| !name.is_empty()));
    let description = meta(&html, "og:description").unwrap();
    assert!(description.chars().count() <= 200, "{description}");
    assert!(
        description.ends_with('…'),
        "a long wording is shortened: {description}"
    );
    // Cut at a word: what is kept is the start of the wording, word for word.
    let kept = description.trim_end_matches('…');
    let text = crate::support::normalize(&crate::support::strip_tags(&html));
    assert!(text.contains(kept), "{kept}");
    // A page without a card says so.
    let sources = site.read("public/sources/index.html");
    assert_eq!(meta(&sources, "twitter:card"), Some("summary"));
    assert_eq!(meta(&sources, "og:image"), None);
}

#[test]
fn cards_are_the_same_bytes_whatever_the_thread_count_and_can_be_turned_off() {
    let site = Site::shipped();
    let cards = |threads: &str| -> BTreeMap<String, Vec<u8>> {
        let run = site.run_with_env(&["build"], &[("RAYON_NUM_THREADS", threads)]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        tree(&site.public())
            .into_iter()
            .filter(|(path, _)| path.ends_with(".png"))
            .collect()
    };
    let one = cards("1");
    let two = cards("2");
    assert!(!one.is_empty());
    assert!(one == two, "cards differ between 1 and 2 threads");
    site.edit("site.toml", "cards = true", "cards = false");
    assert!(cards("2").is_empty(), "cards = false draws none");
    let html =
        site.read("public/statements/us-italy-2025/security/defense-coproduction/index.html");
    assert_eq!(meta(&html, "twitter:card"), Some("summary"));
}

/// A `for` path of `netlify.toml` as Netlify matches it (its headers parser turns it into
/// `^/<parts>/?$`, case-insensitive, with `:name` for `[^/]+` and a `*` part for `/?(.*)`).
fn netlify_matches(pattern: &str, path: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Tok {
        Lit(char),
        Seg,
        OptSlash,
        Any,
    }
    let mut toks = vec![Tok::Lit('/')];
    for (i, part) in pattern.split('/').filter(|p| !p.is_empty()).enumerate() {
        if i > 0 {
            toks.push(Tok::Lit('/'));
        }
        if part.starts_with(':') {
            toks.push(Tok::Seg);
        } else if part == "*" {
            if toks.last() == Some(&Tok::Lit('/')) {
                toks.pop();
            }
            toks.extend([Tok::OptSlash, Tok::Any]);
        } else {
            for (j, piece) in part.split('*').enumerate() {
                if j > 0 {
                    toks.push(Tok::Any);
                }
                toks.extend(piece.chars().map(|c| Tok::Lit(c.to_ascii_lowercase())));
            }
        }
    }
    toks.push(Tok::OptSlash);
    fn go(toks: &[Tok], s: &[char]) -> bool {
        match toks.split_first() {
            None => s.is_empty(),
            Some((Tok::Lit(c), rest)) => {
                s.first().is_some_and(|x| x.to_ascii_lowercase() == *c) && go(rest, &s[1..])
            }
            Some((Tok::OptSlash, rest)) => {
                (s.first() == Some(&'/') && go(rest, &s[1..])) || go(rest, s)
            }
            Some((Tok::Any, rest)) => (0..=s.len()).any(|k| go(rest, &s[k..])),
            Some((Tok::Seg, rest)) => (1..=s.len())
                .take_while(|&k| s[k - 1] != '/')
                .any(|k| go(rest, &s[k..])),
        }
    }
    let chars: Vec<char> = path.chars().collect();
    go(&toks, &chars)
}

#[test]
fn netlify_frames_only_embed_pages_with_exactly_one_policy_per_path() {
    assert!(netlify_matches("/*", "/a/b/"));
    assert!(netlify_matches("/:a", "/about/") && !netlify_matches("/:a", "/a/b"));
    assert!(netlify_matches("/", "/") && !netlify_matches("/", "/a"));
    assert!(netlify_matches("/embed/:s/:c/:p/*", "/embed/s/c/p/"));
    assert!(!netlify_matches("/embed/:s/:c/:p/*", "/embed/s/c/"));

    let config: toml::Value =
        toml::from_str(&std::fs::read_to_string(repo().join("netlify.toml")).unwrap()).unwrap();
    let rules: Vec<(String, toml::value::Table)> = config["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| {
            (
                rule["for"].as_str().unwrap().to_string(),
                rule["values"].as_table().unwrap().clone(),
            )
        })
        .collect();
    // Every file of a built site, as its own path and, for a page, as its folder's.
    let site = Site::shipped();
    site.build();
    let mut paths = vec![
        "/".to_string(),
        "/no/such/page/".to_string(),
        "/embed/".to_string(),
    ];
    for file in tree(&site.public()).keys() {
        paths.push(format!("/{file}"));
        if let Some(folder) = file.strip_suffix("index.html") {
            paths.push(format!("/{folder}"));
            paths.push(format!("/{}", folder.trim_end_matches('/')));
        }
    }
    for path in &paths {
        let matching: Vec<&toml::value::Table> = rules
            .iter()
            .filter(|(pattern, _)| netlify_matches(pattern, path))
            .map(|(_, values)| values)
            .collect();
        let policies: Vec<&str> = matching
            .iter()
            .filter_map(|values| values.get("Content-Security-Policy"))
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(policies.len(), 1, "{path} gets {} policies", policies.len());
        let frame_options: Vec<&str> = matching
            .iter()
            .filter_map(|values| values.get("X-Frame-Options"))
            .map(|v| v.as_str().unwrap())
            .collect();
        let embed = path.starts_with("/embed/") && path.matches('/').count() >= 4;
        if embed {
            assert!(policies[0].contains("frame-ancestors *"), "{path}");
            assert!(!frame_options.contains(&"DENY"), "{path}");
        } else {
            assert!(policies[0].contains("frame-ancestors 'none'"), "{path}");
            assert_eq!(frame_options, ["DENY"], "{path}");
        }
        assert!(
            policies[0].contains("script-src 'self'") && !policies[0].contains("unsafe-inline")
        );
    }
    assert!(paths.iter().any(|p| p.ends_with("/oembed.json")));
}

#[test]
fn the_embed_page_fits_320_px_and_passes_axe_in_light_and_dark() {
    let Some(axe) = axe_script() else { return };
    let Some((_site, port, driver, runtime)) = shipped_site_in_browser() else {
        return;
    };
    let path = "/embed/us-italy-2025/security/defense-coproduction/";
    runtime.block_on(async {
        let mut failures = Vec::new();
        for width in [320u32, 640] {
            let client = connect(&driver, width).await;
            // Chromium's headless window is at least 500 px wide: emulate the iframe's width.
            client
                .issue_cmd(RawCommand {
                    path: "goog/cdp/execute",
                    body: serde_json::json!({
                        "cmd": "Emulation.setDeviceMetricsOverride",
                        "params": { "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": false }
                    }),
                })
                .await
                .unwrap();
            for scheme in ["light", "dark"] {
                emulate_color_scheme(&client, scheme).await;
                client.goto(&format!("http://127.0.0.1:{port}{path}")).await.unwrap();
                let overflow = client
                    .execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![])
                    .await
                    .unwrap();
                assert!(overflow.as_i64().unwrap() <= 0, "sideways scroll at {width}px: {overflow}");
                let path = crate::browser::screenshot_dir().join(format!("embed-{width}-{scheme}.png"));
                std::fs::write(&path, client.screenshot().await.unwrap()).unwrap();
                client.execute(&axe, vec![]).await.unwrap();
                let violations = client
                    .execute_async(
                        "const done = arguments[arguments.length - 1]; axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }).then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))));",
                        vec![],
                    )
                    .await
                    .unwrap();
                for violation in violations.as_array().into_iter().flatten() {
                    failures.push(format!("embed at {width}px, {scheme}: {violation}"));
                }
            }
            client.close().await.unwrap();
        }
        assert!(failures.is_empty(), "axe-core found:\n{}", failures.join("\n"));
    });
}
