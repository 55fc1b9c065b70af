//! Labels of the graphs: an estimate of how wide a line of text is, and wrapping a label
//! into lines that each fit a width, so that a layout can keep every label inside its
//! viewBox without a browser to measure it.
//!
//! The estimate is deliberately generous. Graph text is set at [`FONT`] SVG units by the
//! themes (`svg.graph { font-size: 13px }` in each theme's stylesheet), in the reader's
//! sans-serif. The widest common fallback, DejaVu Sans, advances about 0.28 em for `i`
//! and `l`, 0.55–0.64 em for most lower-case letters and digits, 0.68–0.77 em for capitals,
//! and 0.82–1.0 em for `m`, `w`, `M` and `W`; bold adds about a tenth. Each class of
//! character is counted here at or above the top of its range, so a real line is
//! narrower than its estimate.

/// The font size of graph text, in SVG units: what the themes' stylesheets set.
pub const FONT: f64 = 13.0;
/// The distance between the baselines of a label's lines, in SVG units.
pub const LINE: f64 = FONT * 1.25;
/// How far glyphs rise above their baseline (capitals and accents), in SVG units.
pub const ASCENT: f64 = FONT * 0.95;
/// How far glyphs fall below their baseline, in SVG units.
pub const DESCENT: f64 = FONT * 0.3;

/// The advance of one character, in em.
fn advance(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '’' | '‘' | '|' | '!' => 0.36,
        ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '‐' => 0.44,
        'm' | 'w' | 'M' | 'W' | '—' | '…' | '%' | '@' => 1.02,
        c if c.is_uppercase() => 0.8,
        '–' => 0.66,
        _ => 0.66,
    }
}

/// The estimated width of a line, in SVG units, at [`FONT`].
pub fn width(line: &str, bold: bool) -> f64 {
    let em: f64 = line.chars().map(advance).sum();
    em * FONT * if bold { 1.12 } else { 1.0 }
}

/// The pieces a label may break between: words, and the parts of a word joined by a dash
/// (`India–Middle`). Each piece says whether a space joins it to the one before.
fn pieces(label: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    for word in label.split_whitespace() {
        let mut first = true;
        let mut current = String::new();
        for c in word.chars() {
            current.push(c);
            if matches!(c, '–' | '—' | '-' | '/') && current.chars().count() > 1 {
                out.push((first, std::mem::take(&mut current)));
                first = false;
            }
        }
        if !current.is_empty() {
            out.push((first, current));
        }
    }
    out
}

/// `text` cut to fit `max` with an ellipsis.
fn cut_to(text: &str, max: f64, bold: bool) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let next = format!("{out}{c}…");
        if width(&next, bold) > max {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// `label` wrapped into at most `max_lines` lines, each estimated no wider than `max`:
/// greedily at spaces and after dashes, with a word too long for a line cut, and an
/// ellipsis on the last line when the label does not fit.
pub fn wrap(label: &str, max: f64, max_lines: usize, bold: bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let pieces = pieces(label);
    for (spaced, piece) in &pieces {
        let joined = if current.is_empty() {
            piece.clone()
        } else if *spaced {
            format!("{current} {piece}")
        } else {
            format!("{current}{piece}")
        };
        if width(&joined, bold) <= max {
            current = joined;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if lines.len() == max_lines {
            break;
        }
        current = if width(piece, bold) <= max {
            piece.clone()
        } else {
            cut_to(piece, max, bold)
        };
    }
    if !current.is_empty() && lines.len() < max_lines {
        lines.push(current);
    }
    let all: usize = pieces.iter().map(|(_, p)| p.chars().count()).sum();
    let shown: usize = lines
        .iter()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).count())
        .sum();
    if let Some(last) = lines
        .last_mut()
        .filter(|l| shown < all && !l.ends_with('…'))
    {
        let with = format!("{last}…");
        *last = if width(&with, bold) <= max {
            with
        } else {
            cut_to(last, max, bold)
        };
    }
    lines
}

/// Where a label's text is tied to its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The lines end at the point (`text-anchor="end"`).
    End,
    /// The lines start at the point.
    Start,
    /// The lines are centred on the point.
    Middle,
}

impl Anchor {
    /// The `text-anchor` value.
    pub fn svg(self) -> &'static str {
        match self {
            Anchor::End => "end",
            Anchor::Start => "start",
            Anchor::Middle => "middle",
        }
    }
}

/// A label laid out: its lines, tied at `x` by `anchor`, the first baseline at `y`.
#[derive(Debug, Clone)]
pub struct Label {
    pub lines: Vec<String>,
    pub x: f64,
    pub y: f64,
    pub anchor: Anchor,
    pub bold: bool,
}

/// A rectangle in SVG units: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Label {
    /// The height of `n` lines from the top of the first to the bottom of the last.
    pub fn height_of(n: usize) -> f64 {
        ASCENT + DESCENT + LINE * n.saturating_sub(1) as f64
    }

    /// The estimated box the label's glyphs fill.
    pub fn rect(&self) -> Rect {
        let widest = self
            .lines
            .iter()
            .map(|l| width(l, self.bold))
            .fold(0.0, f64::max);
        let (left, right) = match self.anchor {
            Anchor::End => (self.x - widest, self.x),
            Anchor::Start => (self.x, self.x + widest),
            Anchor::Middle => (self.x - widest / 2.0, self.x + widest / 2.0),
        };
        Rect {
            left,
            top: self.y - ASCENT,
            right,
            bottom: self.y - ASCENT + Label::height_of(self.lines.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_and_keep_every_word_that_fits() {
        let lines = wrap(
            "India–Middle East–Europe Economic Corridor",
            120.0,
            4,
            false,
        );
        assert!(lines.iter().all(|l| width(l, false) <= 120.0), "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', ""),
            "India–MiddleEast–EuropeEconomicCorridor"
        );
        assert_eq!(wrap("Trade", 120.0, 3, false), ["Trade"]);
    }

    #[test]
    fn labels_too_long_end_in_an_ellipsis_within_the_width() {
        let long = "Supercalifragilisticexpialidocious and a great many other words besides";
        let lines = wrap(long, 90.0, 2, true);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| width(l, true) <= 90.0), "{lines:?}");
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(lines[0].ends_with('…'), "a word too long is cut: {lines:?}");
    }

    #[test]
    fn rects_follow_the_anchor() {
        let label = Label {
            lines: vec!["ab".into(), "abcd".into()],
            x: 100.0,
            y: 50.0,
            anchor: Anchor::End,
            bold: false,
        };
        let rect = label.rect();
        assert_eq!(rect.right, 100.0);
        assert!((rect.left - (100.0 - width("abcd", false))).abs() < 1e-9);
        assert!((rect.bottom - rect.top - (ASCENT + DESCENT + LINE)).abs() < 1e-9);
    }
}
