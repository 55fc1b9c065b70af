use super::*;
use crate::published::Part;

const PAGE: &str = r##"<!DOCTYPE html><html><head><title>Leaders' Statement | Gov Site</title>
<meta property="article:published_time" content="2024-07-11T10:00:00Z">
<link rel="canonical" href="https://gov.example/statement">
<script>var tracking = "SCRIPT TEXT";</script><style>.x{}</style></head>
<body><div class="cookie-banner"><p>We use cookies to improve your experience.</p></div>
<header><nav><a href="/">Home</a><a href="/news">News</a></nav></header>
<main><ol class="breadcrumbs"><li>Home</li><li>News</li></ol>
<article><header><h1>Leaders&rsquo; Statement</h1><p><time datetime="2024-07-11">11 July 2024</time></p></header>
<div class="share-bar"><a href="#">Share on X</a></div>
<p>We met   in&nbsp;Washington &amp; agreed.</p>
<h2>Defence</h2>
<ol><li>Allies will:<ol type="a"><li>spend more;</li><li>produce more.</li></ol></li><li>We agree.</li></ol>
<p><strong>Ukraine</strong></p>
<p>3. We support Ukraine.<br>(a) now;<br>(b) later.</p>
<aside class="related-news"><h3>Related news</h3><p>Other story.</p></aside>
</article></main>
<footer><p>Copyright Gov Site</p></footer></body></html>"##;

#[test]
fn main_text_without_furniture() {
    let doc = parse(PAGE);
    assert_eq!(doc.title.as_deref(), Some("Leaders’ Statement"));
    assert_eq!(doc.date.map(|d| d.iso()).as_deref(), Some("2024-07-11"));
    assert_eq!(
        doc.source_url.as_deref(),
        Some("https://gov.example/statement")
    );
    let texts: Vec<String> = doc.paragraphs().map(|p| p.full_text()).collect();
    assert_eq!(
        texts,
        vec![
            "We met in Washington & agreed.",
            "Allies will: a. spend more; b. produce more.",
            "We agree.",
            "We support Ukraine. (a) now; (b) later.",
        ]
    );
    let numbers: Vec<Option<&str>> = doc.paragraphs().map(|p| p.number.as_deref()).collect();
    assert_eq!(numbers, vec![None, Some("1"), Some("2"), Some("3")]);
    let headings: Vec<&str> = doc
        .parts
        .iter()
        .filter_map(|p| match p {
            Part::Heading(h) => Some(h.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(headings, vec!["Defence", "Ukraine"]);
    let all = format!("{doc:?}");
    for furniture in [
        "cookies",
        "Home",
        "Share on",
        "Related",
        "Copyright",
        "SCRIPT",
    ] {
        assert!(!all.contains(furniture), "{furniture} leaked: {all}");
    }
}

#[test]
fn without_main_the_paragraphs_container_wins() {
    let page = "<html><head><title>A Title - Site</title></head><body><div id=\"menu\"><p>Menu text here</p></div><div class=\"content\"><p>One paragraph of text.</p><p>Two paragraphs of text.</p></div></body></html>";
    let doc = parse(page);
    assert_eq!(doc.title.as_deref(), Some("A Title"));
    assert_eq!(doc.paragraphs().count(), 2);
}
