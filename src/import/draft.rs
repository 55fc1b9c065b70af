//! Drafting what an editor will curate: a pledge's headline from its paragraph, slugs for
//! statements, sections and pledges, and the publisher's name from the source URL.

use crate::slug;
use crate::stopwords;

/// A slug from free text: `U.S. – Italy Cooperation` becomes `us-italy-cooperation`.
///
/// Unlike heading ids, these slugs drop dots and apostrophes inside words (`U.S.` is `us`,
/// `Italy’s` is `italys`): they become file names and URLs, which read better so, and a
/// re-import must name files as the first import did.
pub fn slug_from(text: &str, max_words: usize) -> String {
    slug::from_text(text, &['.', '\'', '’'], max_words)
}

/// Drafts a headline: the paragraph's first sentence, cut to about 70 characters.
pub fn draft_headline(paragraph: &str) -> String {
    let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut sentence_end = text.len();
    for (i, _) in text.match_indices(". ") {
        // "U.S. and" is not the end of a sentence: the period must follow a lowercase word.
        let before = &text[..i];
        let last_word = before.rsplit(' ').next().unwrap_or("");
        if last_word
            .chars()
            .all(|c| c.is_lowercase() || !c.is_alphabetic())
            && !last_word.contains('.')
        {
            sentence_end = i;
            break;
        }
    }
    let sentence = text[..sentence_end].trim_end_matches('.');
    if sentence.chars().count() <= 70 {
        return sentence.to_string();
    }
    let mut cut = String::new();
    for word in sentence.split(' ') {
        if cut.chars().count() + word.chars().count() + 1 > 68 {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

pub(super) fn pledge_slug(headline: &str) -> String {
    let all = slug_from(headline, 64);
    let significant: Vec<&str> = all
        .split('-')
        .filter(|w| !stopwords::is_stop_word(w, stopwords::Use::PledgeSlug) && w.len() > 1)
        .take(5)
        .collect();
    if significant.is_empty() {
        "pledge".to_string()
    } else {
        significant.join("-")
    }
}

/// The publisher's name from a URL's host: `https://www.whitehouse.gov/...` gives `whitehouse.gov`.
pub(super) fn host_of(url: &str) -> Option<&str> {
    let after = url.split_once("://")?.1;
    let host = after.split(['/', '?', '#']).next()?;
    Some(host.strip_prefix("www.").unwrap_or(host)).filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_skip_abbreviations_and_are_cut() {
        assert_eq!(
            draft_headline("The U.S. and Italy agree to work. Then more."),
            "The U.S. and Italy agree to work"
        );
        let long = draft_headline(
            "The U.S. and Italy reiterate the unwavering commitment to NATO and to the principle of developing their collective capacity.",
        );
        assert!(long.ends_with('…') && long.chars().count() <= 70, "{long}");
    }

    #[test]
    fn slugs_from_headings() {
        assert_eq!(
            slug_from("U.S.- Italy Cooperation for Security", 6),
            "us-italy-cooperation-for-security"
        );
        assert_eq!(
            slug_from("United States – Italy Joint Leaders’ Statement", 8),
            "united-states-italy-joint-leaders-statement"
        );
        assert_eq!(
            pledge_slug("The U.S. and Italy underscore that the war in Ukraine must end"),
            "italy-underscore-war-ukraine-must"
        );
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://www.whitehouse.gov/x"),
            Some("whitehouse.gov")
        );
        assert_eq!(host_of("nonsense"), None);
    }
}
