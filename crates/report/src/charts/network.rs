//! Draws the laid-out actor network: node shape by kind of actor, line
//! colour and dash by kind of tie, line width by weight, every node and tie
//! kind named in text, so the drawing reads in grey print.

use super::{Area, ChartError, FONT, HPos, VPos, colour, draw, err, label};
use crate::network::{LabelBox, MARKER, Network, NodeKind, place_labels};
use patronfall_model::{Stance, TieKind};
use plotters::element::DashedPathElement;
use plotters::prelude::*;

fn tie_slot(k: TieKind) -> usize {
    match k {
        TieKind::Funds => 0,
        TieKind::Arms => 4,
        TieKind::Commands => 2,
        TieKind::CombatSupport => 3,
        TieKind::Sanctuary => 5,
        TieKind::Energy => 7,
        TieKind::Ideology => 6,
        TieKind::Pays => 5,
        TieKind::Hostile => 1,
        TieKind::Controls => 7,
    }
}

/// Tie kinds drawn dashed (sanctuary shares its colour with pays, energy
/// with controls).
fn dashed(k: TieKind) -> bool {
    matches!(
        k,
        TieKind::Hostile | TieKind::Ideology | TieKind::Sanctuary | TieKind::Energy
    )
}

/// Font size of the node labels, in pixels.
const LABEL_PX: u32 = 12;

/// The room a node label takes on the drawing, in pixels (width, height).
/// The SVG backend writes a font of `LABEL_PX` as `LABEL_PX / 1.24` pixels;
/// each character is given 0.6 of that, more than the sans-serif fonts
/// browsers and the PNG renderer pick use on average, so labels placed apart
/// stay apart when drawn. A fixed estimate, not a measurement of installed
/// fonts, keeps the drawing the same on every machine.
pub fn label_size(text: &str) -> (f64, f64) {
    let px = f64::from(LABEL_PX) / 1.24;
    (text.chars().count() as f64 * 0.6 * px + 2.0, 1.3 * px + 1.0)
}

/// The order in which nodes choose their label's place: the most tied
/// first (their neighbourhoods are the most crowded), then in node order.
fn label_order(net: &Network) -> Vec<usize> {
    let degree = |k: usize| {
        net.edges
            .iter()
            .filter(|e| e.from == k || e.to == k)
            .count()
    };
    let mut order: Vec<usize> = (0..net.nodes.len())
        .filter(|&k| net.nodes[k].tied)
        .collect();
    order.sort_by_key(|&k| (std::cmp::Reverse(degree(k)), k));
    order
}

/// A node's label on the drawing: the name without its closing
/// parenthesis (the tables carry the full name), at most 30 characters.
pub fn node_label(name: &str) -> String {
    let short = match name.find(" (") {
        Some(i) if i > 0 && name.ends_with(')') => &name[..i],
        _ => name,
    };
    if short.chars().count() > 30 {
        let mut s: String = short.chars().take(29).collect();
        s.push('…');
        s
    } else {
        short.to_string()
    }
}

/// Draws a node's shape at `at`: a square for a state, a circle for an
/// armed group, a triangle for a community, authority or bloc, a cross for a
/// crossing or region; white inside with a black outline.
fn node_shape<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    kind: NodeKind,
    at: CT::From,
) -> Result<(), ChartError>
where
    CT::From: Clone,
{
    let point = || EmptyElement::<CT::From, DB>::at(at.clone());
    let (fill, edge) = (WHITE.filled(), BLACK.stroke_width(2));
    let triangle = vec![(0, -9), (8, 6), (-8, 6), (0, -9)];
    match kind {
        NodeKind::Patron | NodeKind::Host | NodeKind::Outside => {
            area.draw(&(point() + Rectangle::new([(-8, -8), (8, 8)], fill)))
                .map_err(err)?;
            area.draw(&(point() + Rectangle::new([(-8, -8), (8, 8)], edge)))
        }
        NodeKind::Place => area.draw(&(point() + Cross::new((0, 0), 6, edge))),
        NodeKind::Community | NodeKind::Authority | NodeKind::Bloc => {
            area.draw(&(point() + Polygon::new(triangle.clone(), fill)))
                .map_err(err)?;
            area.draw(&(point() + PathElement::new(triangle, edge)))
        }
        _ => {
            area.draw(&(point() + Circle::new((0, 0), 8, fill)))
                .map_err(err)?;
            area.draw(&(point() + Circle::new((0, 0), 8, edge)))
        }
    }
    .map_err(err)
}

/// The network; with `stances` (the end of a run) ties of dissolved or
/// integrated groups are drawn faded and dotted, and factions show their stance.
pub fn network(
    title: &str,
    net: &Network,
    stances: Option<&[Option<Stance>]>,
) -> Result<String, ChartError> {
    let loose = net.nodes.iter().filter(|n| !n.tied).count();
    let strip_height = if loose == 0 {
        0
    } else {
        30 + 20 * loose.div_ceil(4) as u32
    };
    let height = 760 + strip_height;
    let stance_of = |n: &crate::network::NetNode| {
        n.group
            .and_then(|g| stances.and_then(|s| s.get(g).copied().flatten()))
            .map(|s| format!(" [{}]", s.name()))
            .unwrap_or_default()
    };
    draw(1200, height, |root: &Area| {
        let (top, strip) = root.split_vertically(760);
        let (main, legend) = top.split_horizontally(1000);
        let xs = net.nodes.iter().filter(|n| n.tied).map(|n| n.x);
        let ys = net.nodes.iter().filter(|n| n.tied).map(|n| n.y);
        let (x0, x1) = super::span(xs);
        let (y0, y1) = super::span(ys);
        let (padx, pady) = ((x1 - x0) * 0.12 + 1.0, (y1 - y0) * 0.08 + 1.0);
        let mut chart = ChartBuilder::on(&main)
            .caption(title, (FONT, 16))
            .margin(10)
            .build_cartesian_2d(x0 - padx..x1 + padx, y0 - pady..y1 + pady)
            .map_err(err)?;
        for e in &net.edges {
            let (a, b) = (&net.nodes[e.from], &net.nodes[e.to]);
            let stands = stances.is_none_or(|s| net.tie_stands(e, s));
            let width = (1.0 + 4.0 * e.weight.clamp(0.0, 1.0)).round() as u32;
            let pts = vec![(a.x, a.y), (b.x, b.y)];
            if !stands {
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(
                        pts,
                        2,
                        5,
                        RGBColor(190, 190, 190).stroke_width(1),
                    )))
                    .map_err(err)?;
                continue;
            }
            let style = colour(tie_slot(e.kind)).stroke_width(width);
            if dashed(e.kind) {
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(pts, 7, 4, style)))
                    .map_err(err)?;
            } else {
                chart
                    .draw_series(std::iter::once(PathElement::new(pts, style)))
                    .map_err(err)?;
            }
            // An arrowhead mark three quarters of the way along shows the direction.
            let (mx, my) = (a.x + (b.x - a.x) * 0.75, a.y + (b.y - a.y) * 0.75);
            chart
                .draw_series(std::iter::once(TriangleMarker::new(
                    (mx, my),
                    5,
                    colour(tie_slot(e.kind)).filled(),
                )))
                .map_err(err)?;
        }
        for n in net.nodes.iter().filter(|n| n.tied) {
            node_shape(chart.plotting_area(), n.kind, (n.x, n.y))?;
        }
        // Labels go where they overlap neither each other nor a marker,
        // joined to their node by a thin line when they had to move away.
        let texts: Vec<String> = net
            .nodes
            .iter()
            .map(|n| format!("{}{}", node_label(&n.label), stance_of(n)))
            .collect();
        let points: Vec<(f64, f64)> = net
            .nodes
            .iter()
            .map(|n| {
                let (x, y) = chart.backend_coord(&(n.x, n.y));
                (f64::from(x), f64::from(y))
            })
            .collect();
        let sizes: Vec<(f64, f64)> = texts.iter().map(|t| label_size(t)).collect();
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let bounds = LabelBox {
            x0: f64::from(xr.start),
            y0: f64::from(yr.start),
            x1: f64::from(xr.end),
            y1: f64::from(yr.end),
        };
        let boxes = place_labels(&points, &sizes, &label_order(net), bounds);
        for k in (0..net.nodes.len()).filter(|&k| net.nodes[k].tied) {
            let (b, (x, y)) = (boxes[k], points[k]);
            let (ex, ey) = b.nearest(x, y);
            if (ex - x).hypot(ey - y) > MARKER + 6.0 {
                root.draw(&PathElement::new(
                    vec![(x as i32, y as i32), (ex as i32, ey as i32)],
                    RGBColor(150, 150, 150).stroke_width(1),
                ))
                .map_err(err)?;
            }
            root.draw(&Text::new(
                texts[k].clone(),
                (b.x0.round() as i32, b.y0.round() as i32 + 1),
                label(LABEL_PX, HPos::Left, VPos::Top),
            ))
            .map_err(err)?;
        }
        // Actors without ties, listed under the drawing in columns.
        let loose: Vec<_> = net.nodes.iter().filter(|n| !n.tied).collect();
        if !loose.is_empty() {
            let font = label(12, HPos::Left, VPos::Center);
            strip
                .draw(&Text::new("Actors without ties:", (14, 12), font.clone()))
                .map_err(err)?;
            for (i, n) in loose.iter().enumerate() {
                let (x, y) = (24 + 290 * (i % 4) as i32, 36 + 20 * (i / 4) as i32);
                node_shape(&strip, n.kind, (x, y))?;
                strip
                    .draw(&Text::new(
                        format!("{}{}", node_label(&n.label), stance_of(n)),
                        (x + 14, y),
                        font.clone(),
                    ))
                    .map_err(err)?;
            }
        }
        // Legend: tie kinds (colour and dash) and node shapes, in words.
        let font = (FONT, 12).into_font();
        legend
            .draw(&Text::new("ties (width = weight)", (8, 30), font.clone()))
            .map_err(err)?;
        for (i, k) in TieKind::ALL.iter().enumerate() {
            let y = 52 + 20 * i as i32;
            let style = colour(tie_slot(*k)).stroke_width(3);
            if dashed(*k) {
                legend
                    .draw(&DashedPathElement::new(vec![(8, y), (44, y)], 7, 4, style))
                    .map_err(err)?;
            } else {
                legend
                    .draw(&PathElement::new(vec![(8, y), (44, y)], style))
                    .map_err(err)?;
            }
            legend
                .draw(&Text::new(k.name(), (52, y - 7), font.clone()))
                .map_err(err)?;
        }
        let shapes = [
            "square: state",
            "circle: armed group",
            "triangle: community,",
            "  authority or bloc",
            "cross: crossing/region",
        ];
        for (i, s) in shapes.iter().enumerate() {
            legend
                .draw(&Text::new(*s, (8, 230 + 18 * i as i32), font.clone()))
                .map_err(err)?;
        }
        if stances.is_some() {
            legend
                .draw(&Text::new("grey dotted: tie of a", (8, 340), font.clone()))
                .map_err(err)?;
            legend
                .draw(&Text::new(
                    "dissolved/integrated group",
                    (8, 358),
                    font.clone(),
                ))
                .map_err(err)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The node labels of a drawing: each `<text>` of the label font inside
    /// the network's area (left of the legend, above the list of actors
    /// without ties), with its box as the drawing reserves it.
    fn label_boxes(svg: &str) -> Vec<(String, LabelBox)> {
        let attr = |tag: &str, name: &str| -> f64 {
            let key = format!(" {name}=\"");
            let at = tag.find(&key).map(|i| i + key.len()).expect(name);
            tag[at..tag[at..].find('"').map(|j| at + j).unwrap()]
                .parse()
                .unwrap()
        };
        let mut out = Vec::new();
        for piece in svg.split("<text").skip(1) {
            let (tag, rest) = piece.split_once('>').unwrap();
            let text = rest.split("</text>").next().unwrap().trim();
            let text = text.replace("&amp;", "&").replace("&#39;", "'");
            let (x, y) = (attr(tag, "x"), attr(tag, "y"));
            let font = attr(tag, "font-size");
            if (font - f64::from(LABEL_PX) / 1.24).abs() < 0.01 && x < 1000.0 && y < 760.0 {
                out.push((text.clone(), LabelBox::at(x, y, label_size(&text))));
            }
        }
        out
    }

    /// On the built-in scenario's network, the most crowded the report
    /// draws, no two node labels overlap, at the start or at the end.
    #[test]
    fn node_labels_of_the_built_in_network_do_not_overlap() {
        let s = patronfall_scenario::open("iraq-after-tehran").unwrap();
        let net = Network::of(&s.world);
        let ended = vec![Some(Stance::Integrated); s.world.groups.len()];
        for stances in [None, Some(&ended[..])] {
            let svg = network("network", &net, stances).unwrap();
            let labels = label_boxes(&svg);
            let tied = net.nodes.iter().filter(|n| n.tied).count();
            assert_eq!(labels.len(), tied, "one label per tied actor");
            for (i, (a, p)) in labels.iter().enumerate() {
                for (b, q) in &labels[i + 1..] {
                    assert!(!p.overlaps(q), "“{a}” and “{b}” overlap: {p:?} {q:?}");
                }
            }
        }
    }

    #[test]
    fn node_labels_are_short() {
        assert_eq!(node_label("Iraq (federal government)"), "Iraq");
        assert_eq!(node_label("Kataib Hizballah"), "Kataib Hizballah");
        assert_eq!(node_label("(all of it)"), "(all of it)");
        let long = node_label(&"x".repeat(50));
        assert_eq!(long.chars().count(), 30);
        assert!(long.ends_with('…'));
    }
}
