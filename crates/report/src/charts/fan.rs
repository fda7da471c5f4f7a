//! Fan charts of a daily outcome: the median line with the 50% (25–75%) and
//! 90% (5–95%) bands over the sampled runs, one panel per course of action
//! on a shared vertical scale; and the first 72 hours (days 0–3) in detail.

use super::{
    Area, ChartError, FONT, HPos, MARKERS, VPos, colour, draw, err, label, marker, short, span,
};
use crate::timeseries::FanPoint;
use plotters::prelude::*;

/// One panel's data: the course of action and its series.
pub type Panel<'a> = (&'a str, &'a [FanPoint]);

fn band(points: &[FanPoint], lo: usize, hi: usize) -> Vec<(f64, f64)> {
    let mut v: Vec<(f64, f64)> = points.iter().map(|p| (p.day as f64, p.q[hi])).collect();
    v.extend(points.iter().rev().map(|p| (p.day as f64, p.q[lo])));
    v
}

/// A fan chart of one outcome (`title` and `unit` are plain text).
pub fn fan(title: &str, unit: &str, panels: &[Panel]) -> Result<String, ChartError> {
    let n = panels.len().max(1);
    let cols = n.min(3);
    let rows = n.div_ceil(cols);
    draw(960, 40 + 230 * rows as u32, |root: &Area| {
        let root = root.titled(title, (FONT, 18)).map_err(err)?;
        let areas = root.split_evenly((rows, cols));
        let days = panels
            .iter()
            .flat_map(|p| p.1.iter().map(|x| x.day))
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let (lo, hi) = span(
            panels
                .iter()
                .flat_map(|p| p.1.iter().flat_map(|x| [x.q[0], x.q[4]])),
        );
        for (i, (coa, points)) in panels.iter().enumerate() {
            let mut chart = ChartBuilder::on(&areas[i])
                .caption(*coa, (FONT, 14))
                .margin(6)
                .margin_right(14)
                .x_label_area_size(36)
                .y_label_area_size(52)
                .build_cartesian_2d(0f64..days, lo..hi)
                .map_err(err)?;
            chart
                .configure_mesh()
                .x_labels(5)
                .x_label_formatter(&super::whole)
                .y_labels(5)
                .y_label_formatter(&|v| short(*v))
                .x_desc("day")
                .y_desc(unit)
                .light_line_style(WHITE)
                .draw()
                .map_err(err)?;
            let c = colour(0);
            chart
                .draw_series(std::iter::once(Polygon::new(
                    band(points, 0, 4),
                    c.mix(0.18).filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Polygon::new(
                    band(points, 1, 3),
                    c.mix(0.38).filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(LineSeries::new(
                    points.iter().map(|p| (p.day as f64, p.q[2])),
                    BLACK.stroke_width(2),
                ))
                .map_err(err)?;
            if let Some(last) = points.last() {
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("median {}", short(last.q[2])),
                        (days, last.q[2]),
                        label(11, HPos::Right, VPos::Bottom),
                    )))
                    .map_err(err)?;
            }
        }
        Ok(())
    })
}

/// Days 0–3 of several outcomes: per course of action the median (a marker
/// of its own shape, joined by a line) and the 25–75% range (whiskers), the
/// courses of action side by side within each day and named in a key.
pub fn first_72_hours(outcomes: &[(&str, Vec<Panel>)]) -> Result<String, ChartError> {
    let n = outcomes.len().max(1);
    let cols = n.min(3);
    let rows = n.div_ceil(cols);
    let coas: Vec<&str> = outcomes
        .iter()
        .find(|o| !o.1.is_empty())
        .map(|o| o.1.iter().map(|p| p.0).collect())
        .unwrap_or_default();
    let key_rows = coas.len().div_ceil(3).max(1) as u32;
    let height = 40 + 250 * rows as u32 + 22 * key_rows + 10;
    draw(960, height, |root: &Area| {
        let root = root
            .titled(
                "The first 72 hours: median and 25–75% range per course of action",
                (FONT, 18),
            )
            .map_err(err)?;
        let (body, key) = root.split_vertically(250 * rows as u32);
        let areas = body.split_evenly((rows, cols));
        for (o, (name, panels)) in outcomes.iter().enumerate() {
            let pts: Vec<Vec<&FanPoint>> = panels
                .iter()
                .map(|p| p.1.iter().filter(|x| x.day <= 3).collect())
                .collect();
            let (lo, hi) = span(pts.iter().flatten().flat_map(|x| [x.q[1], x.q[3]]));
            let k = panels.len().max(1) as f64;
            let mut chart = ChartBuilder::on(&areas[o])
                .caption(*name, (FONT, 13))
                .margin(6)
                .x_label_area_size(36)
                .y_label_area_size(52)
                .build_cartesian_2d(-0.4f64..3.4f64, lo..hi)
                .map_err(err)?;
            chart
                .configure_mesh()
                .x_labels(5)
                .x_label_formatter(&|d| {
                    if *d >= 0.0 && *d <= 3.0 && d.fract() == 0.0 {
                        format!("{d:.0}")
                    } else {
                        String::new()
                    }
                })
                .y_labels(5)
                .y_label_formatter(&|v| short(*v))
                .x_desc("day")
                .light_line_style(WHITE)
                .draw()
                .map_err(err)?;
            for (c, _) in panels.iter().enumerate() {
                // Courses of action sit side by side within each day.
                let dx = (c as f64 - (k - 1.0) / 2.0) * (0.6 / k);
                let series = &pts[c];
                chart
                    .draw_series(LineSeries::new(
                        series.iter().map(|p| (p.day as f64 + dx, p.q[2])),
                        colour(c).stroke_width(1),
                    ))
                    .map_err(err)?;
                for p in series {
                    let x = p.day as f64 + dx;
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            vec![(x, p.q[1]), (x, p.q[3])],
                            colour(c).stroke_width(2),
                        )))
                        .map_err(err)?;
                    marker(chart.plotting_area(), c, (x, p.q[2]), colour(c))?;
                }
            }
        }
        let font = label(13, HPos::Left, VPos::Center);
        for (c, coa) in coas.iter().enumerate() {
            let (x, y) = (40 + 300 * (c % 3) as i32, 12 + 22 * (c / 3) as i32);
            key.draw(&PathElement::new(
                vec![(x - 10, y), (x + 10, y)],
                colour(c).stroke_width(1),
            ))
            .map_err(err)?;
            marker(&key, c, (x, y), colour(c))?;
            key.draw(&Text::new(
                format!("{} ({})", super::clip(coa, 28), MARKERS[c % MARKERS.len()]),
                (x + 16, y),
                font.clone(),
            ))
            .map_err(err)?;
        }
        Ok(())
    })
}
