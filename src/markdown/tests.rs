use super::*;
use mentions::Name;

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
