//! Relationship graphs as static SVG, drawn at build time: they need no JavaScript to see,
//! and every node is a link. Deterministic layouts (circles and columns), no randomness.

use std::fmt::Write;

use crate::escape::escape_html;

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

fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        return label.to_string();
    }
    let cut: String = label.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

fn node_svg(svg: &mut String, node: &Node, x: f64, y: f64, anchor: &str, bold: bool) {
    let label_x = match anchor {
        "end" => x - 10.0,
        "start" => x + 10.0,
        _ => x,
    };
    let label_y = if anchor == "middle" {
        y - 12.0
    } else {
        y + 4.0
    };
    let weight = if bold { " font-weight=\"700\"" } else { "" };
    let _ = write!(
        svg,
        "<a href=\"{url}\"><title>{title}</title><circle class=\"node node-{kind}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\"/><text x=\"{label_x:.1}\" y=\"{label_y:.1}\" text-anchor=\"{anchor}\"{weight}>{label}</text></a>",
        url = escape_html(&node.url),
        title = escape_html(&node.label),
        kind = node.kind,
        r = if bold { 8 } else { 6 },
        label = escape_html(&short(&node.label, 34)),
    );
}

/// An entity and its neighbours on a circle; edge width grows with the pledges they share.
pub fn neighbourhood(center: &Node, neighbours: &[(Node, usize)], description: &str) -> String {
    let width = 640.0;
    let height = 420.0;
    let (cx, cy) = (width / 2.0, height / 2.0);
    let radius = 150.0;
    let mut svg = format!(
        "<svg class=\"graph\" viewBox=\"0 0 {width} {height}\" aria-labelledby=\"graph-title\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"graph-title\">{}</title>",
        escape_html(description)
    );
    let max_shared = neighbours.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as f64;
    let n = neighbours.len().max(1) as f64;
    let positions: Vec<(f64, f64)> = (0..neighbours.len())
        .map(|i| {
            let angle = -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * i as f64 / n;
            (cx + radius * 1.45 * angle.cos(), cy + radius * angle.sin())
        })
        .collect();
    for ((_, shared), (x, y)) in neighbours.iter().zip(&positions) {
        let stroke = 1.0 + 4.0 * *shared as f64 / max_shared;
        let _ = write!(
            svg,
            "<line class=\"edge\" x1=\"{cx:.1}\" y1=\"{cy:.1}\" x2=\"{x:.1}\" y2=\"{y:.1}\" stroke-width=\"{stroke:.1}\"/>"
        );
    }
    for ((node, _), (x, y)) in neighbours.iter().zip(&positions) {
        let anchor = if (*x - cx).abs() < 20.0 {
            "middle"
        } else if *x < cx {
            "end"
        } else {
            "start"
        };
        node_svg(&mut svg, node, *x, *y, anchor, false);
    }
    node_svg(&mut svg, center, cx, cy, "middle", true);
    svg.push_str("</svg>");
    svg
}

/// Pledges in a column on the left, the entities they touch on the right, a line for each
/// link between them.
pub fn bipartite(
    pledges: &[Node],
    entities: &[Node],
    links: &[(usize, usize)],
    description: &str,
) -> String {
    let row = 24.0;
    let rows = pledges.len().max(entities.len()).max(1) as f64;
    let height = rows * row + 30.0;
    let width = 760.0;
    let (left, right) = (270.0, 490.0);
    let pledge_y =
        |i: usize| 20.0 + (i as f64 + 0.5) * (height - 30.0) / pledges.len().max(1) as f64;
    let entity_y =
        |i: usize| 20.0 + (i as f64 + 0.5) * (height - 30.0) / entities.len().max(1) as f64;
    let mut svg = format!(
        "<svg class=\"graph\" viewBox=\"0 0 {width} {height:.0}\" aria-labelledby=\"statement-graph-title\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"statement-graph-title\">{}</title>",
        escape_html(description)
    );
    for &(p, e) in links {
        let _ = write!(
            svg,
            "<line class=\"edge\" x1=\"{left}\" y1=\"{:.1}\" x2=\"{right}\" y2=\"{:.1}\" stroke-width=\"1\"/>",
            pledge_y(p),
            entity_y(e)
        );
    }
    for (i, node) in pledges.iter().enumerate() {
        node_svg(&mut svg, node, left, pledge_y(i), "end", false);
    }
    for (i, node) in entities.iter().enumerate() {
        node_svg(&mut svg, node, right, entity_y(i), "start", false);
    }
    svg.push_str("</svg>");
    svg
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
        assert!(svg.contains("<title id=\"graph-title\">Neighbours of A &amp; B</title>"));
        assert!(svg.contains("href=\"/C/\"") && svg.contains("&lt;D&gt;"));
        assert_eq!(svg.matches("<line").count(), 2);
        let bipartite = bipartite(
            &[node("p1"), node("p2")],
            &[node("e")],
            &[(0, 0), (1, 0)],
            "Pledges and entities",
        );
        assert_eq!(bipartite.matches("<line").count(), 2);
        assert_eq!(bipartite.matches("<a ").count(), 3);
    }

    #[test]
    fn long_labels_are_shortened() {
        assert_eq!(
            short("India–Middle East–Europe Economic Corridor", 20),
            "India–Middle East–E…"
        );
    }
}
