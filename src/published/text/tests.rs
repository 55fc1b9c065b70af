use super::*;
use crate::published::{Part, Point};

fn paragraphs(doc: &Document) -> Vec<(Option<&str>, String)> {
    doc.paragraphs()
        .map(|p| (p.number.as_deref(), p.full_text()))
        .collect()
}

#[test]
fn plain_text_with_a_title_a_date_line_and_hard_wraps() {
    let text = "Joint Statement on Clean Energy\n\nBrussels, 14 June 2021\n\nThe leaders met today\nand agreed as follows.\n\nEnergy Security\n\nWe will build\ngrids.\n";
    let doc = parse(text, Format::Text, None);
    assert_eq!(
        doc.title.as_deref(),
        Some("Joint Statement on Clean Energy")
    );
    assert_eq!(doc.date.map(|d| d.iso()).as_deref(), Some("2021-06-14"));
    assert_eq!(
        paragraphs(&doc),
        vec![
            (
                None,
                "The leaders met today and agreed as follows.".to_string()
            ),
            (None, "We will build grids.".to_string())
        ]
    );
    assert_eq!(doc.preamble().len(), 1);
    assert_eq!(doc.sections()[0].heading, Some("Energy Security"));
    // A given title that the first line is not: the first line is text.
    let doc = parse("Energy\n\nWe will.\n", Format::Text, Some("Other"));
    assert_eq!(doc.title, None);
}

#[test]
fn numbered_paragraphs_keep_numbers_and_labels() {
    let text = "Summit Declaration\n\n11 July 2024\n\nWe, the Heads of State,\nmet in Washington.\n\nDeterrence and Defence\n\n1. Allies will:\n(a) spend more;\n(b) produce more.\n\n2. We agree\nto act.\n\n   (i) at sea;\n\n   (ii) on land.\n\nUkraine\n\n3. We support Ukraine.\n";
    let doc = parse(text, Format::Numbered, None);
    assert_eq!(doc.date.map(|d| d.iso()).as_deref(), Some("2024-07-11"));
    assert_eq!(doc.preamble().len(), 1);
    let sections = doc.sections();
    assert_eq!(sections.len(), 2);
    let first = sections[0].paragraphs[0];
    assert_eq!(first.number.as_deref(), Some("1"));
    assert_eq!(first.text, "Allies will:");
    assert_eq!(
        first.points,
        vec![
            Point {
                label: "(a)".into(),
                text: "spend more;".into()
            },
            Point {
                label: "(b)".into(),
                text: "produce more.".into()
            }
        ]
    );
    assert_eq!(
        sections[0].paragraphs[1].full_text(),
        "We agree to act. (i) at sea; (ii) on land."
    );
    assert_eq!(sections[1].paragraphs[0].number.as_deref(), Some("3"));
}

#[test]
fn markdown_headings_lists_and_inline_markup() {
    let text = "# The Title\n\n*18 April 2025*\n\nA [preamble](https://x.example) with **bold**, and `code`.\n\n## Trade\n\n1. We will trade.\n   - (a) goods;\n   - (b) services.\n2. Second.\n\nSecurity\n--------\n\nText &amp; more.\n";
    let doc = parse(text, Format::Markdown, None);
    assert_eq!(doc.title.as_deref(), Some("The Title"));
    assert_eq!(doc.date.map(|d| d.iso()).as_deref(), Some("2025-04-18"));
    assert_eq!(doc.preamble()[0].text, "A preamble with bold, and code.");
    let sections = doc.sections();
    assert_eq!(sections.len(), 2);
    assert_eq!(
        sections[0].paragraphs[0].full_text(),
        "We will trade. (a) goods; (b) services."
    );
    assert_eq!(sections[0].paragraphs[1].number.as_deref(), Some("2"));
    assert_eq!(sections[1].heading, Some("Security"));
    assert_eq!(sections[1].paragraphs[0].text, "Text & more.");
    assert!(matches!(doc.parts[0], Part::Title(_)));
}

#[test]
fn one_line_per_paragraph_and_a_scrape_header() {
    let text =
        " date 2025-04-18 403\nUS, Italy Agree\n(KUNA) -- The first line.\nThe second line.\n";
    let doc = parse(text, Format::Text, Some("US, Italy Agree"));
    assert_eq!(
        paragraphs(&doc),
        vec![
            (None, "(KUNA) -- The first line.".to_string()),
            (None, "The second line.".to_string())
        ]
    );
}
