//! The passages of a source's text that pledges cite, marked in its reading view. Passages
//! may overlap (two pledges quoting the same sentence, or one quote inside another): the
//! text is cut into segments at every passage's start and end, and each segment is marked
//! with every passage that covers it, so that no passage goes unmarked.

use std::ops::Range;

use crate::escape::escape_html;
use crate::quotes::QuoteIndex;

/// A passage of a source that a pledge cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The passage as the pledge quotes it.
    pub passage: String,
    /// The `id` the passage's start gets on the source page, unique on it.
    pub anchor: String,
    /// The citing pledge's URL.
    pub url: String,
    /// The citing pledge's title.
    pub title: String,
}

/// One paragraph of a reading view with its cited passages marked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MarkedParagraph {
    /// The paragraph as escaped HTML: each segment that passages cover in
    /// `<mark class="cited">` (with `overlap` added where more than one does), titled with
    /// the pledges citing it, and an empty `<span class="cite-anchor" id="…">` where each
    /// passage starts.
    pub html: String,
    /// The citations with a passage in this paragraph, by index into the citations given,
    /// in the order their passages start; a pledge citing twice is named once.
    pub cited_by: Vec<usize>,
}

/// Marks `citations` in `paragraphs`. A passage is looked for as quotes are
/// ([`QuoteIndex`]), across paragraph breaks too, and its first occurrence is marked.
/// Returns each paragraph marked, and for each citation whether its passage was found.
pub fn mark_citations(
    paragraphs: &[&str],
    citations: &[Citation],
) -> (Vec<MarkedParagraph>, Vec<bool>) {
    let mut joined = String::new();
    let mut bounds: Vec<Range<usize>> = Vec::with_capacity(paragraphs.len());
    for paragraph in paragraphs {
        if !joined.is_empty() {
            joined.push_str("\n\n");
        }
        let start = joined.len();
        joined.push_str(paragraph);
        bounds.push(start..joined.len());
    }
    let index = QuoteIndex::new(&joined);
    let ranges: Vec<Option<Range<usize>>> = citations
        .iter()
        .map(|citation| index.find(&citation.passage))
        .collect();
    let found = ranges.iter().map(Option::is_some).collect();
    let marked = bounds
        .iter()
        .map(|bound| mark_paragraph(&joined, bound, &ranges, citations))
        .collect();
    (marked, found)
}

fn mark_paragraph(
    text: &str,
    bound: &Range<usize>,
    ranges: &[Option<Range<usize>>],
    citations: &[Citation],
) -> MarkedParagraph {
    // The citations touching this paragraph, by where they start.
    let mut here: Vec<(usize, &Range<usize>)> = ranges
        .iter()
        .enumerate()
        .filter_map(|(i, range)| range.as_ref().map(|r| (i, r)))
        .filter(|(_, r)| r.start < bound.end && r.end > bound.start)
        .collect();
    here.sort_by_key(|(i, r)| (r.start, *i));
    let mut cuts: Vec<usize> = vec![bound.start, bound.end];
    for (_, range) in &here {
        cuts.push(range.start.clamp(bound.start, bound.end));
        cuts.push(range.end.clamp(bound.start, bound.end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut html = String::with_capacity(bound.len() * 11 / 10);
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        for (i, range) in &here {
            if range.start == a {
                html.push_str(&format!(
                    "<span class=\"cite-anchor\" id=\"{}\"></span>",
                    escape_html(&citations[*i].anchor)
                ));
            }
        }
        let covering: Vec<usize> = here
            .iter()
            .filter(|(_, r)| r.start <= a && b <= r.end)
            .map(|(i, _)| *i)
            .collect();
        let segment = escape_html(&text[a..b]);
        if covering.is_empty() {
            html.push_str(&segment);
        } else {
            let mut titles: Vec<&str> = Vec::new();
            for &i in &covering {
                if !titles.contains(&citations[i].title.as_str()) {
                    titles.push(&citations[i].title);
                }
            }
            html.push_str(&format!(
                "<mark class=\"cited{}\" title=\"Cited by: {}\">{segment}</mark>",
                if covering.len() > 1 { " overlap" } else { "" },
                escape_html(&titles.join("; "))
            ));
        }
    }
    let mut cited_by: Vec<usize> = Vec::new();
    for (i, _) in &here {
        if !cited_by
            .iter()
            .any(|&j| citations[j].url == citations[*i].url)
        {
            cited_by.push(*i);
        }
    }
    MarkedParagraph { html, cited_by }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citation(passage: &str, anchor: &str, title: &str) -> Citation {
        Citation {
            passage: passage.into(),
            anchor: anchor.into(),
            url: format!("/{anchor}/"),
            title: title.into(),
        }
    }

    #[test]
    fn passages_are_marked_and_the_rest_escaped() {
        let (marked, found) = mark_citations(
            &["A <b> text. The cited part here. End."],
            &[citation("cited part", "cite-p", "P & Q")],
        );
        assert_eq!(found, vec![true]);
        assert_eq!(
            marked[0].html,
            "A &lt;b&gt; text. The <span class=\"cite-anchor\" id=\"cite-p\"></span><mark class=\"cited\" title=\"Cited by: P &amp; Q\">cited part</mark> here. End."
        );
        assert_eq!(marked[0].cited_by, vec![0]);
    }

    #[test]
    fn overlapping_passages_are_all_marked_in_segments() {
        let text = "One two three four five six.";
        let citations = [
            citation("two three four", "cite-a", "A"),
            citation("four five", "cite-b", "B"),
            citation("two three", "cite-c", "C"),
            citation("not there", "cite-d", "D"),
        ];
        let (marked, found) = mark_citations(&[text], &citations);
        assert_eq!(found, vec![true, true, true, false]);
        assert_eq!(
            marked[0].html,
            "One <span class=\"cite-anchor\" id=\"cite-a\"></span><span class=\"cite-anchor\" id=\"cite-c\"></span>\
             <mark class=\"cited overlap\" title=\"Cited by: A; C\">two three</mark>\
             <mark class=\"cited\" title=\"Cited by: A\"> </mark>\
             <span class=\"cite-anchor\" id=\"cite-b\"></span><mark class=\"cited overlap\" title=\"Cited by: A; B\">four</mark>\
             <mark class=\"cited\" title=\"Cited by: B\"> five</mark> six."
        );
        assert_eq!(marked[0].cited_by, vec![0, 2, 1]);
    }

    #[test]
    fn a_passage_across_paragraphs_is_marked_in_each() {
        let (marked, found) = mark_citations(
            &["First ends here.", "Second starts here."],
            &[citation("here. Second", "cite-x", "X")],
        );
        assert_eq!(found, vec![true]);
        assert_eq!(
            marked[0].html,
            "First ends <span class=\"cite-anchor\" id=\"cite-x\"></span><mark class=\"cited\" title=\"Cited by: X\">here.</mark>"
        );
        assert_eq!(
            marked[1].html,
            "<mark class=\"cited\" title=\"Cited by: X\">Second</mark> starts here."
        );
        assert_eq!(marked[1].cited_by, vec![0]);
    }
}
