//! Draws the laid-out actor network: node shape by kind of actor, line
//! colour and dash by kind of tie, line width by weight, every node and tie
//! kind named in text, so the drawing reads in grey print.

use super::{Area, FONT, HPos, VPos, colour, draw, err, label};
use crate::network::{Network, NodeKind};
use patronfall_model::{Stance, TieKind};
use plotters::element::DashedPathElement;
use plotters::prelude::*;

fn tie_slot(k: TieKind) -> usize {
    match k {
        TieKind::Funds => 0,
        TieKind::Arms => 4,
        TieKind::Commands => 2,
        TieKind::Ideology => 6,
        TieKind::Pays => 5,
        TieKind::Hostile => 1,
        TieKind::Controls => 7,
    }
}

const TIE_KINDS: [TieKind; 7] = [
    TieKind::Funds,
    TieKind::Arms,
    TieKind::Commands,
    TieKind::Ideology,
    TieKind::Pays,
    TieKind::Hostile,
    TieKind::Controls,
];

/// The network; with `stances` (the end of a run) ties of dissolved or
/// integrated groups are drawn faded and dotted, and factions show their stance.
pub fn network(title: &str, net: &Network, stances: Option<&[Stance]>) -> Result<String, String> {
    draw(960, 640, |root: &Area| {
        let (main, legend) = root.split_horizontally(780);
        let xs = net.nodes.iter().map(|n| n.x);
        let ys = net.nodes.iter().map(|n| n.y);
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
            if matches!(e.kind, TieKind::Hostile | TieKind::Ideology) {
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
        for n in &net.nodes {
            let fill = WHITE.filled();
            let edge = BLACK.stroke_width(2);
            let p = (n.x, n.y);
            match n.kind {
                NodeKind::Patron | NodeKind::Host | NodeKind::Outside => {
                    chart
                        .draw_series([
                            EmptyElement::at(p) + Rectangle::new([(-8, -8), (8, 8)], fill),
                            EmptyElement::at(p) + Rectangle::new([(-8, -8), (8, 8)], edge),
                        ])
                        .map_err(err)?;
                }
                NodeKind::Place => {
                    chart
                        .draw_series(std::iter::once(Cross::new(p, 6, edge)))
                        .map_err(err)?;
                }
                NodeKind::Community | NodeKind::Authority | NodeKind::Bloc => {
                    chart
                        .draw_series([
                            TriangleMarker::new(p, 9, fill),
                            TriangleMarker::new(p, 9, edge),
                        ])
                        .map_err(err)?;
                }
                _ => {
                    chart
                        .draw_series([Circle::new(p, 8, fill), Circle::new(p, 8, edge)])
                        .map_err(err)?;
                }
            }
            let stance = n
                .group
                .and_then(|g| stances.and_then(|s| s.get(g)))
                .map(|s| format!(" [{}]", s.name()))
                .unwrap_or_default();
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{}{stance}", n.label),
                    (n.x, n.y),
                    label(12, HPos::Left, VPos::Bottom),
                )))
                .map_err(err)?;
        }
        // Legend: tie kinds (colour and dash) and node shapes, in words.
        let font = (FONT, 12).into_font();
        legend
            .draw(&Text::new("ties (width = weight)", (8, 30), font.clone()))
            .map_err(err)?;
        for (i, k) in TIE_KINDS.iter().enumerate() {
            let y = 52 + 20 * i as i32;
            let style = colour(tie_slot(*k)).stroke_width(3);
            if matches!(k, TieKind::Hostile | TieKind::Ideology) {
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
                .draw(&Text::new(*s, (8, 210 + 18 * i as i32), font.clone()))
                .map_err(err)?;
        }
        if stances.is_some() {
            legend
                .draw(&Text::new("grey dotted: tie of a", (8, 320), font.clone()))
                .map_err(err)?;
            legend
                .draw(&Text::new(
                    "dissolved/integrated group",
                    (8, 338),
                    font.clone(),
                ))
                .map_err(err)?;
        }
        Ok(())
    })
}
