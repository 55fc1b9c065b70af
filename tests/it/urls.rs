//! No link runs script: a script URL in every place a URL can be written (Markdown links,
//! definitions, autolinks and images, raw HTML, front matter, `base_url`, `--base-url`, a
//! template) is an error with its file, line and column under `check` and `build`, with
//! exit code 1 (2 for the flag), and `build` leaves the previous output untouched.

use crate::support::{Site, tree};

const SCRIPT_RUNS: &str =
    "uses the `javascript:` scheme, which would run script in readers' browsers";

/// Builds a copy of the minimal fixture, applies `breakage`, and checks that `check` and
/// `build` both fail with exit code 1 and print every line of `expected` (each the start
/// of a diagnostic: `path:line:col: error: message`), and that `build` left the first
/// build's output as it was.
fn refused(breakage: impl Fn(&Site), expected: &[String]) -> String {
    let site = Site::fixture("minimal");
    site.build();
    let before = tree(&site.public());
    breakage(&site);
    let check = site.run(&["check"]);
    assert_eq!(check.code, 1, "check passed:\n{}", check.stderr);
    let build = site.run(&["build"]);
    assert_eq!(build.code, 1, "build passed:\n{}", build.stderr);
    for stderr in [&check.stderr, &build.stderr] {
        assert!(!stderr.contains("panicked"), "{stderr}");
        for line in expected {
            assert!(
                stderr.lines().any(|l| l == line),
                "missing `{line}` in:\n{stderr}"
            );
        }
        assert!(
            stderr.contains(&format!("{} error(s)", expected.len())),
            "{stderr}"
        );
    }
    assert!(
        build
            .stderr
            .contains("the build failed; the previous output was left untouched")
    );
    assert_eq!(tree(&site.public()), before, "build changed public/");
    assert!(site.leftovers().is_empty(), "{:?}", site.leftovers());
    check.stderr
}

fn error(place: &str, message: &str) -> String {
    format!("{place}: error: {message}")
}

const ABOUT: &str = "content/pages/about.md";

#[test]
fn inline_links_in_every_disguise() {
    let stderr = refused(
        |s| {
            s.write(
                ABOUT,
                "+++\ntitle = \"About\"\n+++\n\
                 [plain](javascript:alert(1))\n\
                 [case](JaVaScRiPt:alert(1))\n\
                 [entity](java&#x73;cript:alert(1))\n\
                 [decimal](&#106;avascript:alert(1))\n\
                 [colon](javascript&colon;alert(1))\n\
                 [tab](<java\tscript:alert(1)>)\n\
                 [space](< javascript:alert(1)>)\n\
                 [control](<&#1;javascript:alert(1)>)\n\
                 [vb](vbscript:msgbox(1))\n\
                 [data](data:text/html;base64,PHNjcmlwdD4=)\n\
                 [fine](https://example.org/) [mail](mailto:a@b.org) [path](/x/#p1) [proto](//example.org/)\n",
            )
        },
        &[
            error(
                &format!("{ABOUT}:4:9"),
                &format!("link to `javascript:alert(1)` {SCRIPT_RUNS}"),
            ),
            error(
                &format!("{ABOUT}:5:8"),
                &format!("link to `JaVaScRiPt:alert(1)` {SCRIPT_RUNS}"),
            ),
            error(
                &format!("{ABOUT}:6:10"),
                &format!("link to `javascript:alert(1)` {SCRIPT_RUNS}"),
            ),
            error(
                &format!("{ABOUT}:7:11"),
                &format!("link to `javascript:alert(1)` {SCRIPT_RUNS}"),
            ),
            error(
                &format!("{ABOUT}:8:9"),
                &format!("link to `javascript:alert(1)` {SCRIPT_RUNS}"),
            ),
            error(
                &format!("{ABOUT}:9:7"),
                &format!("link to `java\\tscript:alert(1)` {SCRIPT_RUNS}"),
            ),
            error(
                &format!("{ABOUT}:10:9"),
                &format!("link to ` javascript:alert(1)` {SCRIPT_RUNS}"),
            ),
            error(
                &format!("{ABOUT}:11:11"),
                &format!("link to `\\u{{1}}javascript:alert(1)` {SCRIPT_RUNS}"),
            ),
            error(
                &format!("{ABOUT}:12:6"),
                "link to `vbscript:msgbox(1)` uses the `vbscript:` scheme, which would run script in readers' browsers",
            ),
            error(
                &format!("{ABOUT}:13:8"),
                "link to `data:text/html;base64,PHNjcmlwdD4=` uses the `data:` scheme, which a link may not use: a data: URL can hold a whole page, script included",
            ),
        ],
    );
    assert!(
        stderr.contains("help: link with https://, http:// or mailto:, a path on this site"),
        "{stderr}"
    );
}

#[test]
fn reference_definitions_autolinks_and_images() {
    refused(
        |s| {
            s.write(
                ABOUT,
                "+++\ntitle = \"About\"\n+++\n\
                 See [the text][t] and <javascript:alert(2)>.\n\n\
                 ![chart](javascript:alert(3)) ![logo](data:image/svg+xml;base64,PHN2Zz4=) ![dot](data:image/png;base64,iVBORw0KGgo=)\n\n\
                 [t]: javascript:alert(1) \"A title\"\n",
            )
        },
        &[
            error(
                &format!("{ABOUT}:4:24"),
                &format!("link to `javascript:alert(2)` {SCRIPT_RUNS}"),
            ),
            error(
                &format!("{ABOUT}:6:10"),
                &format!("image `javascript:alert(3)` {SCRIPT_RUNS}"),
            ),
            error(
                &format!("{ABOUT}:6:39"),
                "image `data:image/svg+xml;base64,PHN2Zz4=` is a `data:` URL of type `image/svg+xml`: an SVG image can hold script, so only PNG, JPEG, GIF, WebP and AVIF images may be data: URLs",
            ),
            error(
                &format!("{ABOUT}:8:6"),
                &format!("link to `javascript:alert(1)` {SCRIPT_RUNS}"),
            ),
        ],
    );
}

#[test]
fn raw_html_under_allow_html() {
    refused(
        |s| {
            s.edit("site.toml", "description", "allow_html = true\ndescription");
            s.write(
                ABOUT,
                "+++\ntitle = \"About\"\n+++\n\
                 Read <a href=\"java&#x73;cript:alert(1)\">this</a>.\n\n\
                 <div>\n<img src=\"x.png\" srcset=\"x.png 1x, JAVASCRIPT:alert(1) 2x\">\n\
                 <form action=\" javascript:alert(1)\"><button>Go</button></form>\n</div>\n",
            )
        },
        &[
            error(
                &format!("{ABOUT}:4:15"),
                &format!(
                    "link to `java&#x73;cript:alert(1)` in a raw HTML `href` attribute {SCRIPT_RUNS}"
                ),
            ),
            error(
                &format!("{ABOUT}:7:36"),
                &format!(
                    "image `JAVASCRIPT:alert(1)` in a raw HTML `srcset` attribute {SCRIPT_RUNS}"
                ),
            ),
            error(
                &format!("{ABOUT}:8:15"),
                &format!(
                    "link to ` javascript:alert(1)` in a raw HTML `action` attribute {SCRIPT_RUNS}"
                ),
            ),
        ],
    );
}

#[test]
fn front_matter_urls_of_every_kind_of_file() {
    let stderr = refused(
        |s| {
            s.edit(
                "content/topics/trade.md",
                "summary",
                "url = \"JavaScript:alert(document.domain)\"\nsummary",
            );
            s.edit(
                "content/sources/g7-text.md",
                "kind = ",
                "url = \"\\tjavascript:alert(1)\"\nkind = ",
            );
            s.edit(
                "content/statements/g7-2030/climate/cut-emissions.md",
                "url = \"https://example.org/plan\"",
                "url = \"javascript:alert(1)\"",
            );
            s.edit(
                "content/countries/japan.md",
                "iso",
                "url = \"/japan/\"\niso",
            );
        },
        &[
            error(
                "content/countries/japan.md:3:7",
                "url `/japan/` is not a full web address: it has no https:// or http://",
            ),
            error(
                "content/sources/g7-text.md:5:7",
                &format!("url `\\tjavascript:alert(1)` {SCRIPT_RUNS}"),
            ),
            error(
                "content/statements/g7-2030/climate/cut-emissions.md:12:7",
                &format!("url `javascript:alert(1)` {SCRIPT_RUNS}"),
            ),
            error(
                "content/topics/trade.md:3:7",
                &format!("url `JavaScript:alert(document.domain)` {SCRIPT_RUNS}"),
            ),
        ],
    );
    assert!(
        stderr.contains("help: front matter URLs link to other sites: write the page's full address, starting with https:// (or http://)"),
        "{stderr}"
    );
}

#[test]
fn base_url_in_site_toml() {
    let stderr = refused(
        |s| {
            s.edit(
                "site.toml",
                "https://fixture.example/",
                "javascript:alert(1)//fixture.example/",
            )
        },
        &[error(
            "site.toml:2:12",
            "base_url `javascript:alert(1)//fixture.example/` is not an http or https URL, and `javascript:` would run script in readers' browsers",
        )],
    );
    assert!(stderr.contains("help: write the address the site is served from"));
    refused(
        |s| {
            s.edit(
                "site.toml",
                "fixture.example/",
                "fixture.example/?preview=1",
            )
        },
        &[error(
            "site.toml:2:12",
            "base_url `https://fixture.example/?preview=1` has a query (`?…`), which a base URL may not have",
        )],
    );
}

#[test]
fn base_url_flag_is_a_usage_error() {
    let site = Site::fixture("minimal");
    site.build();
    let before = tree(&site.public());
    for (flag, why) in [
        (
            "javascript:alert(1)",
            "is not an http or https URL, and `javascript:` would run script in readers' browsers",
        ),
        (" JavaScript:alert(1)", "contains a space"),
        ("https://preview.example.org/#top", "has a fragment"),
        (
            "https://user:secret@preview.example.org/",
            "has a user name or password",
        ),
        (
            "preview.example.org",
            "is not an http or https URL: it has no https://",
        ),
    ] {
        let run = site.run(&["build", "--base-url", flag]);
        assert_eq!(run.code, 2, "{flag}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "error: invalid value '{flag}' for '--base-url <BASE_URL>': `{flag}` {why}"
            )),
            "{flag}: {}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("e.g. --base-url https://preview.example.org/pledges")
        );
        assert!(!run.stderr.contains("panicked"));
        assert_eq!(tree(&site.public()), before);
    }
    let run = site.run(&["build", "--base-url", "https://preview.example.org/pledges"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_template_writing_a_script_link() {
    let stderr = refused(
        |s| {
            s.write(
                "templates/page.html",
                "{% extends \"base.html\" %}{% block content %}\n<h1>{{ page.title }}</h1>\n<a class=\"menu\" href=\"javascript:void(0)\">Menu</a>\n{{ page.content | safe }}{% endblock content %}\n",
            )
        },
        &[error(
            "templates/page.html:3:23",
            &format!("link to `javascript:void(0)` {SCRIPT_RUNS} (in /about/)"),
        )],
    );
    assert!(stderr.contains("help: remove the link from the template"));
}

#[test]
fn headings_do_not_take_the_themes_ids() {
    let site = Site::fixture("minimal");
    site.write(
        ABOUT,
        "+++\ntitle = \"About\"\n+++\n## Main\n\n## Method {#main}\n\n## Text heading\n\nSee [method](@/pages/about.md#main-2).\n",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.lines().any(|l| l == format!("{ABOUT}:6:12: warning: heading id `main` is an id the theme uses for its own elements; the heading gets `main-2` instead")),
        "{}",
        run.stderr
    );
    site.build();
    let page = site.read("public/about/index.html");
    assert_eq!(page.matches("id=\"main\"").count(), 1, "{page}");
    assert!(page.contains("<h2 id=\"main-1\">Main</h2>"), "{page}");
    assert!(page.contains("<h2 id=\"main-2\">Method</h2>"), "{page}");
    // `text-heading` is a heading id of the pledge and source pages: no body takes it.
    assert!(
        page.contains("<h2 id=\"text-heading-1\">Text heading</h2>"),
        "{page}"
    );

    // An anchor check uses the ids the headings got.
    site.edit(ABOUT, "#main-2)", "#main)");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.lines().any(|l| l == format!("{ABOUT}:10:5: error: anchor `#main` in `pages/about.md` is an id the theme uses; the heading that asked for it is `#main-2`")),
        "{}",
        run.stderr
    );
}
