//! The report card's chart: pledges counted by status as horizontal stacked bars, one bar per
//! row (all pledges, or each topic, country or program), each segment as long as its count.
//! Drawn, like the graphs, once for a wide screen and once for a narrow one. Each status has
//! a pattern as well as a colour (`bar-<slug>` and `pattern-<slug>` in the theme's
//! stylesheet), the legend names them, and each segment long enough shows its count, so no
//! status is told by colour alone. The chart is an image (`role="img"`) whose `<desc>` says
//! every count in words; the tables beside it stay the accessible data.

use std::fmt::Write;

use crate::escape::escape_html;

use super::label::{self, Anchor, Label};
use super::{MARGIN, Screen};

/// One status of a bar: its slug (for the CSS classes), its label and its count.
#[derive(Debug, Clone)]
pub struct Segment {
    /// `in-progress`: the CSS classes' suffix.
    pub slug: &'static str,
    /// `In progress`.
    pub label: &'static str,
    /// How many pledges have the status.
    pub count: usize,
}

/// A bar: what it counts, and its counts by status in the legend's order.
#[derive(Debug, Clone)]
pub struct Bar {
    /// What the bar counts: `All 16 pledges`, `Energy`.
    pub label: String,
    /// Its counts by status.
    pub segments: Vec<Segment>,
}

/// A segment placed: its status, its count, where it starts and how long it is.
#[derive(Debug, Clone, PartialEq)]
struct Placed {
    slug: &'static str,
    label: &'static str,
    count: usize,
    x: f64,
    length: f64,
}

/// The bars' thickness, and the room each row takes beyond its label.
const THICKNESS: f64 = 22.0;
/// The room a bar's total takes after it.
const TOTAL_ROOM: f64 = 34.0;

/// Each bar's segments, from `start`, with `full` the length of the longest bar: a segment
/// is `count / longest total × full` long, so a bar's length is its total's share of the
/// longest.
fn segments(bars: &[Bar], start: f64, full: f64) -> Vec<Vec<Placed>> {
    let longest = bars
        .iter()
        .map(|b| b.segments.iter().map(|s| s.count).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    bars.iter()
        .map(|bar| {
            let mut x = start;
            bar.segments
                .iter()
                .filter(|s| s.count > 0)
                .map(|s| {
                    let length = s.count as f64 / longest * full;
                    let placed = Placed {
                        slug: s.slug,
                        label: s.label,
                        count: s.count,
                        x,
                        length,
                    };
                    x += length;
                    placed
                })
                .collect()
        })
        .collect()
}

/// The statuses in the legend: every status of the first bar, counted anywhere or not.
fn legend(bars: &[Bar]) -> Vec<(&'static str, &'static str)> {
    bars.first()
        .map(|b| b.segments.iter().map(|s| (s.slug, s.label)).collect())
        .unwrap_or_default()
}

/// One status's pattern: lines or dots in the status's light colour over its strong one.
fn pattern(slug: &str) -> &'static str {
    match slug {
        "announced" => "<path d=\"M0 4H8\"/>",
        "in-progress" => "<path d=\"M-2 2L2 -2M0 8L8 0M6 10L10 6\"/>",
        "stalled" => "<circle cx=\"4\" cy=\"4\" r=\"1.6\"/>",
        "abandoned" => "<path d=\"M0 0L8 8M8 0L0 8\"/>",
        _ => "",
    }
}

fn chart(bars: &[Bar], id: &str, title: &str, screen: Screen) -> String {
    let width = screen.width();
    let id = screen.title_id(id);
    // Wide: labels in a column on the left. Narrow: each label above its bar.
    let (label_room, start) = match screen {
        Screen::Wide => (200.0, MARGIN + 200.0 + 12.0),
        Screen::Narrow => (width - 2.0 * MARGIN, MARGIN),
    };
    let full = width - MARGIN - TOTAL_ROOM - start;
    let placed = segments(bars, start, full);
    let mut body = String::new();
    // The legend: a swatch and a name per status, flowing onto more lines as needed.
    let mut x = MARGIN;
    let mut y = MARGIN;
    for (slug, name) in legend(bars) {
        let room = 14.0 + 6.0 + label::width(name, false) + 16.0;
        if x + room > width - MARGIN {
            x = MARGIN;
            y += label::LINE + 6.0;
        }
        let _ = write!(
            body,
            "<rect class=\"bar bar-{slug}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"14\" height=\"14\"/><rect class=\"bar-pattern\" fill=\"url(#{id}-{slug})\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"14\" height=\"14\"/><text x=\"{tx:.1}\" y=\"{ty:.1}\">{name}</text>",
            tx = x + 20.0,
            ty = y + 11.5,
            name = escape_html(name),
        );
        x += room;
    }
    y += 14.0 + 14.0;
    for (bar, segments) in bars.iter().zip(&placed) {
        let lines = label::wrap(&bar.label, label_room, 2, false);
        let label_height = Label::height_of(lines.len());
        let bar_y = match screen {
            Screen::Wide => y + (label_height.max(THICKNESS) - THICKNESS) / 2.0,
            Screen::Narrow => y + label_height + 3.0,
        };
        let first = match screen {
            Screen::Wide => bar_y + THICKNESS / 2.0 - label_height / 2.0 + label::ASCENT,
            Screen::Narrow => y + label::ASCENT,
        };
        let text = Label {
            lines,
            x: MARGIN,
            y: first,
            anchor: Anchor::Start,
            bold: false,
        };
        body.push_str("<text>");
        for (i, line) in text.lines.iter().enumerate() {
            let _ = write!(
                body,
                "<tspan x=\"{:.1}\" y=\"{:.1}\">{}</tspan>",
                text.x,
                text.y + label::LINE * i as f64,
                escape_html(line)
            );
        }
        body.push_str("</text>");
        let mut end = start;
        for s in segments {
            let _ = write!(
                body,
                "<rect class=\"bar bar-{slug}\" x=\"{x:.1}\" y=\"{bar_y:.1}\" width=\"{w:.1}\" height=\"{THICKNESS}\"/><rect class=\"bar-pattern\" fill=\"url(#{id}-{slug})\" x=\"{x:.1}\" y=\"{bar_y:.1}\" width=\"{w:.1}\" height=\"{THICKNESS}\"/>",
                slug = s.slug,
                x = s.x,
                w = s.length,
            );
            let digits = s.count.to_string();
            let chip = label::width(&digits, true) + 6.0;
            if s.length >= chip + 4.0 {
                let _ = write!(
                    body,
                    "<rect class=\"bar-chip bar-chip-{slug}\" x=\"{cx:.1}\" y=\"{cy:.1}\" width=\"{chip:.1}\" height=\"16\" rx=\"3\"/><text class=\"bar-count bar-count-{slug}\" x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\" font-weight=\"700\">{digits}</text>",
                    slug = s.slug,
                    cx = s.x + (s.length - chip) / 2.0,
                    cy = bar_y + 3.0,
                    tx = s.x + s.length / 2.0,
                    ty = bar_y + 15.5,
                );
            }
            end = s.x + s.length;
        }
        let total: usize = segments.iter().map(|s| s.count).sum();
        let _ = write!(
            body,
            "<text x=\"{:.1}\" y=\"{:.1}\">{total}</text>",
            end + 6.0,
            bar_y + 15.5
        );
        y = match screen {
            Screen::Wide => y + label_height.max(THICKNESS) + 10.0,
            Screen::Narrow => bar_y + THICKNESS + 12.0,
        };
    }
    let height = (y - 10.0 + MARGIN).ceil();
    let mut svg = format!(
        "<svg class=\"chart {class}\" role=\"img\" viewBox=\"0 0 {width} {height}\" aria-labelledby=\"{id} {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}\">{title}</title><desc id=\"{id}-desc\">{desc}</desc><defs>",
        class = screen.class().trim_start_matches("graph "),
        title = escape_html(title),
        desc = escape_html(&description(bars)),
    );
    for (slug, _) in legend(bars) {
        let _ = write!(
            svg,
            "<pattern id=\"{id}-{slug}\" class=\"pattern-{slug}\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">{}</pattern>",
            pattern(slug)
        );
    }
    svg.push_str("</defs>");
    svg.push_str(&body);
    svg.push_str("</svg>");
    svg
}

/// Every count in words: `Energy: 1 in progress. Trade: 3 in progress, 1 stalled.`
fn description(bars: &[Bar]) -> String {
    bars.iter()
        .map(|bar| {
            let counts: Vec<String> = bar
                .segments
                .iter()
                .filter(|s| s.count > 0)
                .map(|s| format!("{} {}", s.count, s.label.to_lowercase()))
                .collect();
            let counts = if counts.is_empty() {
                "none".to_string()
            } else {
                counts.join(", ")
            };
            format!("{}: {counts}.", bar.label)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The chart of `bars`, titled `title`, its ids starting `id`: a wide and a narrow drawing.
/// Empty when there are no bars.
pub fn status_bars(bars: &[Bar], id: &str, title: &str) -> String {
    if bars.is_empty() {
        return String::new();
    }
    [Screen::Wide, Screen::Narrow]
        .into_iter()
        .map(|screen| chart(bars, id, title, screen))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, counts: [usize; 3]) -> Bar {
        let names = [
            ("announced", "Announced"),
            ("in-progress", "In progress"),
            ("stalled", "Stalled"),
        ];
        Bar {
            label: label.into(),
            segments: names
                .iter()
                .zip(counts)
                .map(|(&(slug, label), count)| Segment { slug, label, count })
                .collect(),
        }
    }

    #[test]
    fn segments_are_as_long_as_their_share_of_the_longest_bar() {
        let bars = [
            bar("All", [2, 13, 1]),
            bar("Trade", [0, 3, 1]),
            bar("None", [0, 0, 0]),
        ];
        let placed = segments(&bars, 10.0, 320.0);
        // The longest bar fills the length; the others their total's share of it.
        for (bar, segments) in bars.iter().zip(&placed) {
            let total: usize = bar.segments.iter().map(|s| s.count).sum();
            let length: f64 = segments.iter().map(|s| s.length).sum();
            assert!(
                (length - total as f64 / 16.0 * 320.0).abs() < 1e-9,
                "{}",
                bar.label
            );
            // Each segment is its count's share, and they follow each other without gaps.
            let mut x = 10.0;
            for s in segments {
                assert!((s.length - s.count as f64 / 16.0 * 320.0).abs() < 1e-9);
                assert!((s.x - x).abs() < 1e-9);
                x += s.length;
            }
        }
        assert_eq!(placed[1].len(), 2, "no segment for a count of 0");
        assert!(placed[2].is_empty());
    }

    #[test]
    fn charts_are_images_with_every_count_in_words_and_fit() {
        let bars = [
            bar("India–Middle East–Europe Economic Corridor", [0, 1, 0]),
            bar("Trade & more", [0, 3, 1]),
        ];
        let svg = status_bars(&bars, "chart-topics", "Pledges by topic and status");
        assert_eq!(svg.matches("<svg").count(), 2);
        assert_eq!(svg.matches("role=\"img\"").count(), 2);
        assert!(svg.contains("<desc id=\"chart-topics-desc\">India–Middle East–Europe Economic Corridor: 1 in progress. Trade &amp; more: 3 in progress, 1 stalled.</desc>"));
        assert!(svg.contains("id=\"chart-topics-narrow-stalled\""));
        assert!(svg.contains("fill=\"url(#chart-topics-stalled)\""));
        assert_eq!(status_bars(&[], "x", "y"), "");
        // Both drawings say the same, byte for byte, from one build to the next.
        assert_eq!(
            svg,
            status_bars(&bars, "chart-topics", "Pledges by topic and status")
        );
    }
}
