use super::*;
use mentions::Name;
use std::collections::BTreeSet;

fn targets() -> HashMap<String, String> {
    HashMap::from([(
        "programs/nato.md".to_string(),
        "/programs/nato/".to_string(),
    )])
}

fn plain(markdown: &str) -> Rendered {
    let targets = targets();
    render(
        markdown,
        &RenderContext {
            link_targets: &targets,
            mentions: None,
            paragraph_anchors: false,
            allow_html: false,
            theme_ids: &ThemeIds::default(),
        },
    )
}

#[test]
fn internal_links_resolve_and_unknown_ones_are_problems() {
    let rendered = plain("See [NATO](@/programs/nato.md#history) and [x](@/programs/none.md).");
    insta::assert_snapshot!(rendered.html, @r#"<p>See <a href="/programs/nato/#history">NATO</a> and <a href="@/programs/none.md">x</a>.</p>"#);
    assert_eq!(
        rendered.internal_links[0].anchor.as_deref(),
        Some("history")
    );
    assert_eq!(rendered.problems.len(), 1);
    assert_eq!(rendered.problems[0].range, 43..66);
    assert!(rendered.problems[0].message.contains("@/programs/none.md"));
}

#[test]
fn raw_html_is_escaped_unless_allowed() {
    let rendered = plain("Hi <script>alert(1)</script>\n\n<div>x</div>\n");
    assert!(!rendered.html.contains("<script>"), "{}", rendered.html);
    assert!(
        rendered.html.contains("&lt;script&gt;"),
        "{}",
        rendered.html
    );
    let targets = targets();
    let allowed = render(
        "<div>x</div>\n",
        &RenderContext {
            link_targets: &targets,
            mentions: None,
            paragraph_anchors: false,
            allow_html: true,
            theme_ids: &ThemeIds::default(),
        },
    );
    assert_eq!(allowed.html, "<div>x</div>\n");
}

#[test]
fn image_alt_text_is_kept_and_escaped() {
    let rendered = plain("![AT&T \"logo\"](x.png)");
    assert_eq!(
        rendered.html,
        "<p><img src=\"x.png\" alt=\"AT&amp;T &quot;logo&quot;\" /></p>\n"
    );
}

#[test]
fn headings_get_unique_ids() {
    let rendered = plain("# Hello, World\n\n## Hello world\n\n### p1\n");
    insta::assert_snapshot!(rendered.html, @r#"
    <h1 id="hello-world">Hello, World</h1>
    <h2 id="hello-world-1">Hello world</h2>
    <h3 id="p1-1">p1</h3>
    "#);
}

#[test]
fn paragraphs_get_citable_anchors_and_mentions_link_once() {
    let matcher = MentionMatcher::new([
        Name {
            text: "NATO".into(),
            entity: 0,
        },
        Name {
            text: "Italy".into(),
            entity: 1,
        },
    ]);
    let urls = vec![
        "/programs/nato/".to_string(),
        "/countries/italy/".to_string(),
    ];
    let targets = targets();
    let rendered = render(
        "Italy and NATO.\n\nNATO again, *Italy* too.\n\n> quoted Italy\n",
        &RenderContext {
            link_targets: &targets,
            mentions: Some((&matcher, &urls)),
            paragraph_anchors: true,
            allow_html: false,
            theme_ids: &ThemeIds::default(),
        },
    );
    insta::assert_snapshot!(rendered.html, @r##"
    <p id="p1"><a class="mention" href="/countries/italy/">Italy</a> and <a class="mention" href="/programs/nato/">NATO</a>. <a class="cite" href="#p1" aria-label="Link to paragraph 1" title="Link to this paragraph">¶</a></p>
    <p id="p2">NATO again, <em>Italy</em> too. <a class="cite" href="#p2" aria-label="Link to paragraph 2" title="Link to this paragraph">¶</a></p>
    <blockquote>
    <p>quoted Italy</p>
    </blockquote>
    "##);
    assert_eq!(rendered.mentioned, vec![1, 0]);
    assert!(rendered.anchors.contains("p2"));
}

#[test]
fn fenced_code_is_highlighted_and_tables_render() {
    let rendered = plain(
        "```rust\nfn main() {}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nx~~y~~[^1]\n\n[^1]: note\n",
    );
    assert!(rendered.html.contains("hl-code"), "{}", rendered.html);
    assert!(rendered.html.contains("<table>"), "{}", rendered.html);
    assert!(rendered.html.contains("<del>y</del>"), "{}", rendered.html);
    assert!(
        rendered.html.contains("footnote-definition"),
        "{}",
        rendered.html
    );
}

fn with_html(markdown: &str) -> Rendered {
    let targets = targets();
    render(
        markdown,
        &RenderContext {
            link_targets: &targets,
            mentions: None,
            paragraph_anchors: false,
            allow_html: true,
            theme_ids: &ThemeIds::default(),
        },
    )
}

/// Each problem as (the Markdown it points at, its message).
fn refused<'a>(markdown: &'a str, rendered: &Rendered) -> Vec<(&'a str, String)> {
    rendered
        .problems
        .iter()
        .map(|p| (&markdown[p.range.clone()], p.message.clone()))
        .collect()
}

#[test]
fn url_checks_refuse_script_links_in_every_markdown_form() {
    let markdown = "[a](javascript:alert(1)) [b](java&#x73;cript:alert(2) \"t\") [c](&#106;avascript:x)\n\
        <javascript:alert(3)> [d](JaVaScRiPt:x) [e](<java\tscript:x>) [f](javascript&colon;x)\n\
        [g](vbscript:x) [h](data:text/html,x) [`]`](tel:1) [i](  <javascript:x>  )\n\n\
        ![j](javascript:x) ![k](data:image/svg+xml,x) ![l](data:image/png;base64,AA)\n";
    let rendered = plain(markdown);
    let found = refused(markdown, &rendered);
    let places: Vec<&str> = found.iter().map(|(place, _)| *place).collect();
    assert_eq!(
        places,
        vec![
            "javascript:alert(1)",
            "java&#x73;cript:alert(2)",
            "&#106;avascript:x",
            "javascript:alert(3)",
            "JaVaScRiPt:x",
            "<java\tscript:x>",
            "javascript&colon;x",
            "vbscript:x",
            "data:text/html,x",
            "tel:1",
            "<javascript:x>",
            "javascript:x",
            "data:image/svg+xml,x",
        ]
    );
    assert_eq!(
        found[1].1,
        "link to `javascript:alert(2)` uses the `javascript:` scheme, which would run script in readers' browsers"
    );
    assert_eq!(
        found[5].1,
        "link to `java\\tscript:x` uses the `javascript:` scheme, which would run script in readers' browsers"
    );
    assert!(found[8].1.contains("a link may not use"), "{}", found[8].1);
    assert!(found[9].1.contains("`tel:` scheme"), "{}", found[9].1);
    assert!(
        found[11].1.starts_with("image `javascript:x`"),
        "{}",
        found[11].1
    );
    assert!(found[12].1.contains("SVG image can hold script"));
    assert!(
        rendered
            .problems
            .iter()
            .all(|p| p.severity == Severity::Error && p.help.contains("mailto:"))
    );
    // The refused links are reported, not rewritten: the HTML is left as it would be.
    assert!(
        rendered
            .html
            .contains("<img src=\"data:image/png;base64,AA\"")
    );
}

#[test]
fn url_checks_allow_the_web_mail_paths_and_content_links() {
    let rendered = plain(
        "[a](https://example.org/x) [b](http://example.org) [c](mailto:a@b.org) <a@b.org>\n\
         <https://example.org> [d](/x/) [e](#p1) [f](../x) [g](?q=1) [h](//example.org/x)\n\
         [i](@/programs/nato.md#history) ![j](x.png) ![k](data:image/gif;base64,R0lG) [l][r]\n\n\
         [r]: https://example.org/r\n",
    );
    assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
}

#[test]
fn url_checks_place_reference_definitions_where_they_are_written() {
    let markdown = "Use [x][r], [y][], [img] and ![i][pic] and [p][pic].\n\n\
        [r]: &#106;avascript:alert(1) \"title\"\n\
        [y]:\n  <vbscript:x>\n\
        [unused]: javascript:never-used\n\
        [pic]: data:image/png;base64,AA\n\
        [img]: ftp://example.org/\n";
    let rendered = plain(markdown);
    let found = refused(markdown, &rendered);
    assert_eq!(
        found.iter().map(|(place, _)| *place).collect::<Vec<_>>(),
        vec![
            "&#106;avascript:alert(1)",
            "<vbscript:x>",
            "javascript:never-used",
            "ftp://example.org/",
            // A raster data: image serves an image, but a link's use of it is refused there.
            "[p][pic]",
        ]
    );
    assert!(found[4].1.contains("a link may not use"), "{}", found[4].1);
}

#[test]
fn url_checks_read_raw_html_only_when_it_is_allowed() {
    let markdown = "Text <a href=\"java&#x73;cript:alert(1)\">x</a> and <img src=x.png srcset='a.png 1x, JAVASCRIPT:y 2x'>.\n\n\
        <div>\n<a\n  HREF=\" javascript:alert(2)\">x</a><object data=\"data:text/html,x\"></object>\n\
        <!-- <a href=\"javascript:in-a-comment\"> -->\n<img src=\"data:image/png;base64,AA\" title=\"href=javascript:no\">\n</div>\n\n\
        > <form action=\"vbscript:x\"><button formaction=&#x6A;avascript:y>go</button></form>\n\n\
        <svg><a xlink:href=\"javascript:z\"/></svg> <video poster=\"data:image/svg+xml,x\"></video>\n";
    let rendered = with_html(markdown);
    let found = refused(markdown, &rendered);
    assert_eq!(
        found.iter().map(|(place, _)| *place).collect::<Vec<_>>(),
        vec![
            "java&#x73;cript:alert(1)",
            "JAVASCRIPT:y",
            " javascript:alert(2)",
            "data:text/html,x",
            "vbscript:x",
            "&#x6A;avascript:y",
            "javascript:z",
            "data:image/svg+xml,x",
        ]
    );
    assert_eq!(
        found[0].1,
        "link to `java&#x73;cript:alert(1)` in a raw HTML `href` attribute uses the `javascript:` scheme, which would run script in readers' browsers"
    );
    assert!(
        found[1]
            .1
            .starts_with("image `JAVASCRIPT:y` in a raw HTML `srcset`")
    );
    // Passed through, not rewritten.
    assert!(rendered.html.contains("java&#x73;cript:alert(1)"));
    // Shown as text, raw HTML can run nothing, and is not checked.
    assert!(plain(markdown).problems.is_empty());
}

#[test]
fn url_checks_refuse_raw_html_that_leaves_a_tag_open() {
    // The browser would read the link rendered after the blank line as the iframe's
    // attributes: `src=javascript:alert(1)//"`.
    let markdown = "<iframe title=\"\n\n[x](/src=javascript:alert(1)//)\n";
    let rendered = with_html(markdown);
    let found = refused(markdown, &rendered);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "<iframe title=\"");
    assert!(
        found[0]
            .1
            .starts_with("raw HTML leaves the tag `<iframe title=\"…` open")
    );
}

#[test]
fn theme_ids_are_not_taken_by_headings() {
    let theme_ids = ThemeIds {
        exact: BTreeSet::from(["main".to_string(), "text-heading".to_string()]),
        numbered: BTreeSet::from(["section-".to_string()]),
        dated: BTreeSet::from(["update-".to_string()]),
    };
    let targets = targets();
    let markdown = "# Main\n\n## Intro {#main}\n\n## Text heading\n\n## Section 2\n\n## Section two\n\n\
        ## Log {#update-2025-04-18-0a1b2c}\n\n## Main 1\n";
    let rendered = render(
        markdown,
        &RenderContext {
            link_targets: &targets,
            mentions: None,
            paragraph_anchors: true,
            allow_html: false,
            theme_ids: &theme_ids,
        },
    );
    insta::assert_snapshot!(rendered.html, @r#"
    <h1 id="main-1">Main</h1>
    <h2 id="main-2">Intro</h2>
    <h2 id="text-heading-1">Text heading</h2>
    <h2 id="section-2-1">Section 2</h2>
    <h2 id="section-two">Section two</h2>
    <h2 id="update-2025-04-18-0a1b2c-1">Log</h2>
    <h2 id="main-1-1">Main 1</h2>
    "#);
    assert!(rendered.anchors.contains("main-2") && !rendered.anchors.contains("main"));
    assert_eq!(rendered.renamed_ids["main"], "main-2");
    // Only the explicit id is worth a warning: the editor chose it.
    let warnings: Vec<_> = rendered
        .problems
        .iter()
        .map(|p| (p.severity, &markdown[p.range.clone()]))
        .collect();
    assert_eq!(
        warnings,
        vec![
            (Severity::Warning, "#main"),
            (Severity::Warning, "#update-2025-04-18-0a1b2c")
        ]
    );
}
