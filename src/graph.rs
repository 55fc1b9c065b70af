//! Relationship graphs as static SVG, drawn at build time: they need no JavaScript to see,
//! and every node is a link. Deterministic layouts (columns), no randomness.
//!
//! Each graph is drawn twice, for a wide and a narrow screen (`svg.graph-wide`,
//! `svg.graph-narrow`; the theme's stylesheet shows one), so that its labels are read at
//! about their font size on both: the wide drawing is as wide as the default theme's text
//! column (704 CSS px), the narrow one as a phone's (360). Labels are wrapped to the room
//! their column has, by the conservative width estimate of [`label`], and the viewBox is
//! made to hold every label's box, so none is cut.

pub mod bars;
mod label;

use std::fmt::Write;

use crate::escape::escape_html;

use label::{Anchor, Label, Rect};

/// A node: a labelled link, with a kind for its colour.
#[derive(Debug, Clone)]
pub struct Node {
    /// The label.
    pub label: String,
    /// Where it links.
    pub url: String,
    /// `topic`, `country`, `program` or `pledge`: the CSS class `node-<kind>`.
    pub kind: &'static str,
}

/// Room left free around the drawing, in SVG units.
const MARGIN: f64 = 6.0;
/// The gap between a node's centre and its label.
const GAP: f64 = 11.0;
/// Vertical room between two labels of a column.
const SPACING: f64 = 12.0;

/// The two drawings of a graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    Wide,
    Narrow,
}

impl Screen {
    fn width(self) -> f64 {
        match self {
            Screen::Wide => 704.0,
            Screen::Narrow => 360.0,
        }
    }

    fn class(self) -> &'static str {
        match self {
            Screen::Wide => "graph graph-wide",
            Screen::Narrow => "graph graph-narrow",
        }
    }

    /// The id of the drawing's title, from the graph's.
    fn title_id(self, id: &str) -> String {
        match self {
            Screen::Wide => id.to_string(),
            Screen::Narrow => format!("{id}-narrow"),
        }
    }
}

/// A node placed, with its label.
#[derive(Debug)]
struct Placed<'a> {
    node: &'a Node,
    x: f64,
    y: f64,
    r: f64,
    label: Label,
    /// Whether the label sits above the node rather than beside it.
    above: bool,
}

/// A line from one point to another, with its stroke width.
type Edge = ((f64, f64), (f64, f64), f64);

/// A graph laid out for one screen, before it is written as SVG.
#[derive(Debug)]
struct Layout<'a> {
    width: f64,
    height: f64,
    /// Lines from one point to another, with their stroke width.
    edges: Vec<Edge>,
    nodes: Vec<Placed<'a>>,
}

/// A node and its label, the label's lines wrapped to `room` and centred on the node's
/// height, on the side `anchor` says (`End`: to the left of the node).
fn beside<'a>(node: &'a Node, x: f64, room: f64, max_lines: usize, anchor: Anchor) -> Placed<'a> {
    let lines = label::wrap(&node.label, room, max_lines, false);
    let label_x = match anchor {
        Anchor::End => x - GAP,
        Anchor::Start => x + GAP,
        Anchor::Middle => x,
    };
    Placed {
        node,
        x,
        y: 0.0,
        r: 6.0,
        label: Label {
            lines,
            x: label_x,
            y: 0.0,
            anchor,
            bold: false,
        },
        above: false,
    }
}

impl Placed<'_> {
    /// The height the node and its label need in a column.
    fn height(&self) -> f64 {
        Label::height_of(self.label.lines.len()).max(2.0 * self.r) + SPACING
    }

    /// Moves the node to height `y`, its label's lines centred on it (or, for a label
    /// above its node, ending just above it).
    fn set_y(&mut self, y: f64) {
        self.y = y;
        let n = self.label.lines.len();
        self.label.y = if self.above {
            y - self.r - 5.0 - label::DESCENT - label::LINE * (n - 1) as f64
        } else {
            y - Label::height_of(n) / 2.0 + label::ASCENT
        };
    }
}

/// Places `column` top to bottom from `top` over `height`: each node gets at least the
/// room its label needs, and the room to spare is shared evenly.
fn stack(column: &mut [Placed<'_>], top: f64, height: f64) {
    let needed: f64 = column.iter().map(Placed::height).sum();
    let extra = (height - needed).max(0.0) / column.len().max(1) as f64;
    let mut y = top;
    for placed in column {
        let slot = placed.height() + extra;
        placed.set_y(y + slot / 2.0);
        y += slot;
    }
}

fn column_height(column: &[Placed<'_>]) -> f64 {
    column.iter().map(Placed::height).sum()
}

impl Layout<'_> {
    /// Moves everything down or up so that the highest box starts at the margin, and sets
    /// the height to hold the lowest.
    fn fit_height(&mut self) {
        let (top, bottom) = self
            .boxes()
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(t, b), r| {
                (t.min(r.top), b.max(r.bottom))
            });
        let shift = MARGIN - top;
        for placed in &mut self.nodes {
            placed.y += shift;
            placed.label.y += shift;
        }
        for (from, to, _) in &mut self.edges {
            from.1 += shift;
            to.1 += shift;
        }
        self.height = (bottom + shift + MARGIN).ceil();
    }

    /// Every label's box and every node's circle.
    fn boxes(&self) -> Vec<Rect> {
        self.nodes
            .iter()
            .flat_map(|p| {
                [
                    p.label.rect(),
                    Rect {
                        left: p.x - p.r,
                        top: p.y - p.r,
                        right: p.x + p.r,
                        bottom: p.y + p.r,
                    },
                ]
            })
            .collect()
    }

    fn svg(&self, screen: Screen, title_id: &str, description: &str) -> String {
        let id = screen.title_id(title_id);
        let mut svg = format!(
            "<svg class=\"{class}\" viewBox=\"0 0 {width} {height}\" aria-labelledby=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}\">{description}</title>",
            class = screen.class(),
            width = self.width,
            height = self.height,
            description = escape_html(description),
        );
        for ((x1, y1), (x2, y2), stroke) in &self.edges {
            let _ = write!(
                svg,
                "<line class=\"edge\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke-width=\"{stroke:.1}\"/>"
            );
        }
        for placed in &self.nodes {
            node_svg(&mut svg, placed);
        }
        svg.push_str("</svg>");
        svg
    }
}

fn node_svg(svg: &mut String, placed: &Placed<'_>) {
    let label = &placed.label;
    let weight = if label.bold {
        " font-weight=\"700\""
    } else {
        ""
    };
    let _ = write!(
        svg,
        "<a href=\"{url}\"><title>{title}</title><circle class=\"node node-{kind}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\"/><text text-anchor=\"{anchor}\"{weight}>",
        url = escape_html(&placed.node.url),
        title = escape_html(&placed.node.label),
        kind = placed.node.kind,
        x = placed.x,
        y = placed.y,
        r = placed.r,
        anchor = label.anchor.svg(),
    );
    for (i, line) in label.lines.iter().enumerate() {
        let _ = write!(
            svg,
            "<tspan x=\"{x:.1}\" y=\"{y:.1}\">{line}</tspan>",
            x = label.x,
            y = label.y + label::LINE * i as f64,
            line = escape_html(line),
        );
    }
    svg.push_str("</text></a>");
}

/// The entity at the centre, bold, with its label above it.
fn centre<'a>(node: &'a Node, x: f64, room: f64, anchor: Anchor) -> Placed<'a> {
    Placed {
        node,
        x,
        y: 0.0,
        r: 8.0,
        label: Label {
            lines: label::wrap(&node.label, room, 4, true),
            x: match anchor {
                Anchor::Start => MARGIN,
                _ => x,
            },
            y: 0.0,
            anchor,
            bold: true,
        },
        above: true,
    }
}

fn neighbourhood_layout<'a>(
    center: &'a Node,
    neighbours: &'a [(Node, usize)],
    screen: Screen,
) -> Layout<'a> {
    let width = screen.width();
    let max_shared = neighbours.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as f64;
    // Wide: the neighbours in two columns either side of the centre, the most shared at
    // the top. Narrow: one column on the right, the centre on the left.
    let (mut left, mut right, mut middle) = match screen {
        Screen::Wide => {
            let room = 230.0;
            let (left_x, right_x) = (MARGIN + room + GAP, width - MARGIN - room - GAP);
            let mut left = Vec::new();
            let mut right = Vec::new();
            for (i, (node, _)) in neighbours.iter().enumerate() {
                if i % 2 == 0 {
                    right.push(beside(node, right_x, room, 3, Anchor::Start));
                } else {
                    left.push(beside(node, left_x, room, 3, Anchor::End));
                }
            }
            let middle = centre(
                center,
                width / 2.0,
                right_x - left_x - 2.0 * GAP,
                Anchor::Middle,
            );
            (left, right, middle)
        }
        Screen::Narrow => {
            let x = 176.0;
            let room = width - MARGIN - x - GAP;
            let right = neighbours
                .iter()
                .map(|(node, _)| beside(node, x, room, 3, Anchor::Start))
                .collect();
            let middle = centre(center, MARGIN + 40.0, x - 2.0 * GAP - MARGIN, Anchor::Start);
            (Vec::new(), right, middle)
        }
    };
    let above = Label::height_of(middle.label.lines.len()) + middle.r + 5.0;
    let height = column_height(&left)
        .max(column_height(&right))
        .max(2.0 * (above + middle.r))
        // Room for the lines to fan out, however few the neighbours.
        .max(150.0);
    stack(&mut left, 0.0, height);
    stack(&mut right, 0.0, height);
    middle.set_y(height / 2.0);
    // Left after right gives the neighbours' order: right holds 0, 2, 4 …, left 1, 3 ….
    let mut order: Vec<Placed<'a>> = Vec::new();
    let (mut l, mut r) = (left.drain(..), right.drain(..));
    for i in 0..neighbours.len() {
        let next = match screen {
            Screen::Wide if i % 2 == 1 => l.next(),
            _ => r.next(),
        };
        order.extend(next);
    }
    let edges = order
        .iter()
        .zip(neighbours)
        .map(|(p, (_, shared))| {
            let stroke = 1.0 + 4.0 * *shared as f64 / max_shared;
            ((middle.x, middle.y), (p.x, p.y), stroke)
        })
        .collect();
    order.push(middle);
    let mut layout = Layout {
        width,
        height,
        edges,
        nodes: order,
    };
    layout.fit_height();
    layout
}

/// An entity and its neighbours, the centre joined to each by a line whose width grows
/// with the pledges they share.
pub fn neighbourhood(center: &Node, neighbours: &[(Node, usize)], description: &str) -> String {
    [Screen::Wide, Screen::Narrow]
        .into_iter()
        .map(|screen| {
            neighbourhood_layout(center, neighbours, screen).svg(screen, "graph-title", description)
        })
        .collect()
}

fn bipartite_layout<'a>(
    pledges: &'a [Node],
    entities: &'a [Node],
    links: &[(usize, usize)],
    screen: Screen,
) -> Layout<'a> {
    let width = screen.width();
    let (pledge_room, entity_room, lines) = match screen {
        Screen::Wide => (290.0, 220.0, 3),
        Screen::Narrow => (138.0, 122.0, 4),
    };
    let left = MARGIN + pledge_room + GAP;
    let right = width - MARGIN - entity_room - GAP;
    let mut pledge_column: Vec<Placed<'a>> = pledges
        .iter()
        .map(|node| beside(node, left, pledge_room, lines, Anchor::End))
        .collect();
    let mut entity_column: Vec<Placed<'a>> = entities
        .iter()
        .map(|node| beside(node, right, entity_room, lines, Anchor::Start))
        .collect();
    let height = column_height(&pledge_column).max(column_height(&entity_column));
    stack(&mut pledge_column, 0.0, height);
    stack(&mut entity_column, 0.0, height);
    let edges = links
        .iter()
        .filter_map(|&(p, e)| {
            let (p, e) = (pledge_column.get(p)?, entity_column.get(e)?);
            Some(((p.x, p.y), (e.x, e.y), 1.0))
        })
        .collect();
    pledge_column.extend(entity_column);
    let mut layout = Layout {
        width,
        height,
        edges,
        nodes: pledge_column,
    };
    layout.fit_height();
    layout
}

/// Pledges in a column on the left, the entities they touch on the right, a line for each
/// link between them.
pub fn bipartite(
    pledges: &[Node],
    entities: &[Node],
    links: &[(usize, usize)],
    description: &str,
) -> String {
    [Screen::Wide, Screen::Narrow]
        .into_iter()
        .map(|screen| {
            bipartite_layout(pledges, entities, links, screen).svg(
                screen,
                "statement-graph-title",
                description,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(label: &str) -> Node {
        Node {
            label: label.into(),
            url: format!("/{label}/"),
            kind: "topic",
        }
    }

    #[test]
    fn graphs_are_linked_escaped_and_labelled() {
        let svg = neighbourhood(
            &node("A & B"),
            &[(node("C"), 2), (node("<D>"), 1)],
            "Neighbours of A & B",
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(
            svg.matches("<svg").count(),
            2,
            "a wide and a narrow drawing"
        );
        assert!(svg.contains("<title id=\"graph-title\">Neighbours of A &amp; B</title>"));
        assert!(svg.contains("<title id=\"graph-title-narrow\">Neighbours of A &amp; B</title>"));
        assert!(svg.contains("href=\"/C/\"") && svg.contains("&lt;D&gt;"));
        assert_eq!(svg.matches("<line").count(), 4);
        let bipartite = bipartite(
            &[node("p1"), node("p2")],
            &[node("e")],
            &[(0, 0), (1, 0)],
            "Pledges and entities",
        );
        assert_eq!(bipartite.matches("<line").count(), 4);
        assert_eq!(bipartite.matches("<a ").count(), 6);
    }

    /// Long names, many of them, and one-word names too long for any line: the worst
    /// the layouts meet.
    fn worst_cases() -> Vec<Node> {
        let names = [
            "India–Middle East–Europe Economic Corridor",
            "United Nations Office on Drugs and Crime Synthetic Drug Strategy",
            "Connectivity and infrastructure",
            "Supercalifragilisticexpialidociousnesswithoutanyspace",
            "Italy",
            "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
            "Strengthen cooperation on critical minerals, energy and the supply chains of both",
        ];
        (0..30).map(|i| node(names[i % names.len()])).collect()
    }

    fn assert_inside(layout: &Layout<'_>, what: &str) {
        assert!(layout.height.is_finite() && layout.height > 0.0);
        for rect in layout.boxes() {
            assert!(
                rect.left >= 0.0
                    && rect.top >= 0.0
                    && rect.right <= layout.width
                    && rect.bottom <= layout.height,
                "{what}: {rect:?} outside 0 0 {} {}",
                layout.width,
                layout.height
            );
        }
    }

    /// Two labels of one column never overlap.
    fn assert_apart(layout: &Layout<'_>, what: &str) {
        let rects: Vec<(f64, Rect)> = layout.nodes.iter().map(|p| (p.x, p.label.rect())).collect();
        for (i, (x, a)) in rects.iter().enumerate() {
            for (y, b) in &rects[i + 1..] {
                if x == y {
                    assert!(
                        a.bottom <= b.top || b.bottom <= a.top,
                        "{what}: {a:?} {b:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_label_lies_inside_the_view_box() {
        let nodes = worst_cases();
        for screen in [Screen::Wide, Screen::Narrow] {
            for n in [0, 1, 2, 3, 7, 14] {
                let neighbours: Vec<(Node, usize)> =
                    nodes.iter().take(n).cloned().zip(1..).collect();
                for centre in &nodes[..7] {
                    let layout = neighbourhood_layout(centre, &neighbours, screen);
                    assert_inside(&layout, &format!("{screen:?} neighbourhood of {n}"));
                    assert_apart(&layout, &format!("{screen:?} neighbourhood of {n}"));
                }
            }
            for (p, e) in [(1, 1), (2, 30), (30, 3), (16, 38)] {
                let pledges: Vec<Node> = nodes.iter().cycle().skip(3).take(p).cloned().collect();
                let entities: Vec<Node> = nodes.iter().cycle().take(e).cloned().collect();
                let links: Vec<(usize, usize)> = (0..p.max(e)).map(|i| (i % p, i % e)).collect();
                let layout = bipartite_layout(&pledges, &entities, &links, screen);
                assert_inside(&layout, &format!("{screen:?} bipartite {p}×{e}"));
                assert_apart(&layout, &format!("{screen:?} bipartite {p}×{e}"));
                assert_eq!(layout.edges.len(), links.len());
            }
        }
    }
}
