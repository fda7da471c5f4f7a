//! Charts of one representative run: labelled lines over days (unrest per
//! community), small multiples of crossings and interdictions per border
//! segment, and the stance timeline of every faction (one row per faction,
//! one labelled block per stretch of days in the same stance).

use super::{
    Area, ChartError, FONT, HPos, MARKERS, VPos, clip, colour, draw, err, label, marker, short,
    span, spread, whole,
};
use plotters::prelude::*;

/// One line: its label, whether it is dashed, its colour slot, values by day.
#[derive(Clone, Debug)]
pub struct Line {
    /// Direct label drawn beside the line's end (plain text).
    pub label: String,
    /// Dashed or solid.
    pub dashed: bool,
    /// Colour and marker slot.
    pub slot: usize,
    /// Values for day 0, 1, 2, ...
    pub values: Vec<f64>,
}

/// Width of the column of end labels.
const LABELS: u32 = 300;

/// The marker shape of colour slot `slot`: past the palette's length the
/// shapes shift by one, so no two of the first 64 slots look alike.
fn shape(slot: usize) -> usize {
    (slot + slot / MARKERS.len()) % MARKERS.len()
}

/// Days between two markers on a line.
fn marker_step(days: usize) -> usize {
    (days / 8).max(1)
}

/// Labelled lines over days. Each line carries its own marker shape every
/// few days, and its label (with the same marker) sits in a column to the
/// right, level with the line's last value and joined to it by a leader, so
/// lines are told apart by shape and text without colour.
pub fn lines(title: &str, unit: &str, lines: &[Line]) -> Result<String, ChartError> {
    draw(960, 380, |root: &Area| {
        let days = lines
            .iter()
            .map(|l| l.values.len())
            .max()
            .unwrap_or(2)
            .max(2)
            - 1;
        let (lo, hi) = span(
            lines
                .iter()
                .flat_map(|l| l.values.iter().copied())
                .chain([0.0]),
        );
        let (left, right) = root.split_horizontally(960 - LABELS);
        let mut chart = ChartBuilder::on(&left)
            .caption(title, (FONT, 16))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..days as f64, lo..hi)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("day")
            .y_desc(unit)
            .x_label_formatter(&whole)
            .y_label_formatter(&|v| short(*v))
            .light_line_style(WHITE)
            .draw()
            .map_err(err)?;
        let step = marker_step(days);
        for (k, l) in lines.iter().enumerate() {
            let pts: Vec<(f64, f64)> = l
                .values
                .iter()
                .enumerate()
                .map(|(d, v)| (d as f64, *v))
                .collect();
            let style = colour(l.slot).stroke_width(2);
            if l.dashed {
                chart
                    .draw_series(DashedLineSeries::new(pts.clone(), 6, 4, style))
                    .map_err(err)?;
            } else {
                chart
                    .draw_series(LineSeries::new(pts.clone(), style))
                    .map_err(err)?;
            }
            // Markers staggered by line so that coinciding lines still show.
            let offset = (k * step / lines.len().max(1)).min(step - 1);
            for p in pts.iter().skip(offset).step_by(step) {
                marker(chart.plotting_area(), shape(l.slot), *p, colour(l.slot))?;
            }
        }
        // End labels: level with each line's last value, spread apart.
        let (top, bottom) = (
            chart.backend_coord(&(0.0, hi)).1,
            chart.backend_coord(&(0.0, lo)).1,
        );
        let ends: Vec<(i32, i32)> = lines
            .iter()
            .map(|l| {
                let last = l.values.last().copied().unwrap_or(0.0);
                chart.backend_coord(&((l.values.len().max(1) - 1) as f64, last))
            })
            .collect();
        let wanted: Vec<f64> = ends.iter().map(|e| f64::from(e.1)).collect();
        let placed = spread(&wanted, 14.0, f64::from(top), f64::from(bottom));
        let x0 = 960 - LABELS as i32;
        for ((l, end), y) in lines.iter().zip(&ends).zip(&placed) {
            let y = y.round() as i32;
            let leader = vec![*end, (x0 + 4, y), (x0 + 14, y)];
            let style = colour(l.slot).stroke_width(1);
            root.draw(&PathElement::new(leader, style)).map_err(err)?;
            marker(&right, shape(l.slot), (20, y), colour(l.slot))?;
            let last = l.values.last().copied().unwrap_or(0.0);
            right
                .draw(&Text::new(
                    format!("{} ({})", clip(&l.label, 38), short(last)),
                    (30, y),
                    label(12, HPos::Left, VPos::Center),
                ))
                .map_err(err)?;
        }
        Ok(())
    })
}

/// One border segment's daily crossings and interdictions.
#[derive(Clone, Debug)]
pub struct Segment {
    /// The segment's name (plain text).
    pub name: String,
    /// People crossing per day.
    pub crossed: Vec<f64>,
    /// People interdicted per day.
    pub interdicted: Vec<f64>,
}

/// Small multiples, one panel per border segment on its own scale: people
/// crossing (solid line, filled circles) and interdicted (dashed line, open
/// squares) per day, with the totals in each panel's title.
pub fn segments(title: &str, segs: &[Segment]) -> Result<String, ChartError> {
    let n = segs.len().max(1);
    let cols = n.min(3);
    let rows = n.div_ceil(cols);
    draw(960, 70 + 220 * rows as u32, |root: &Area| {
        let root = root.titled(title, (FONT, 17)).map_err(err)?;
        let (legend, body) = root.split_vertically(26);
        let font = label(13, HPos::Left, VPos::Center);
        for (i, (name, dashed, shape)) in [("crossed", false, 0usize), ("interdicted", true, 6)]
            .iter()
            .enumerate()
        {
            let x = 240 + 260 * i as i32;
            let style = colour(if *dashed { 4 } else { 0 }).stroke_width(2);
            let path = vec![(x, 12), (x + 40, 12)];
            if *dashed {
                legend
                    .draw(&plotters::element::DashedPathElement::new(
                        path, 6, 4, style,
                    ))
                    .map_err(err)?;
            } else {
                legend.draw(&PathElement::new(path, style)).map_err(err)?;
            }
            marker(
                &legend,
                *shape,
                (x + 20, 12),
                colour(if *dashed { 4 } else { 0 }),
            )?;
            legend
                .draw(&Text::new(
                    format!("{name} ({})", MARKERS[*shape]),
                    (x + 48, 12),
                    font.clone(),
                ))
                .map_err(err)?;
        }
        let areas = body.split_evenly((rows, cols));
        for (seg, area) in segs.iter().zip(&areas) {
            let days = seg.crossed.len().max(seg.interdicted.len()).max(2) - 1;
            let (lo, hi) = span(
                seg.crossed
                    .iter()
                    .chain(&seg.interdicted)
                    .copied()
                    .chain([0.0]),
            );
            let caption = format!(
                "{}: {} crossed, {} interdicted",
                clip(&seg.name, 30),
                short(seg.crossed.iter().sum()),
                short(seg.interdicted.iter().sum())
            );
            let mut chart = ChartBuilder::on(area)
                .caption(caption, (FONT, 13))
                .margin(6)
                .margin_right(14)
                .x_label_area_size(36)
                .y_label_area_size(48)
                .build_cartesian_2d(0f64..days as f64, lo..hi)
                .map_err(err)?;
            chart
                .configure_mesh()
                .x_labels(5)
                .y_labels(5)
                .x_label_formatter(&whole)
                .y_label_formatter(&|v| short(*v))
                .x_desc("day")
                .light_line_style(WHITE)
                .draw()
                .map_err(err)?;
            let step = marker_step(days);
            for (values, dashed, shape) in [(&seg.crossed, false, 0), (&seg.interdicted, true, 6)] {
                let slot = if dashed { 4 } else { 0 };
                let pts: Vec<(f64, f64)> = values
                    .iter()
                    .enumerate()
                    .map(|(d, v)| (d as f64, *v))
                    .collect();
                let style = colour(slot).stroke_width(2);
                if dashed {
                    chart
                        .draw_series(DashedLineSeries::new(pts.clone(), 6, 4, style))
                        .map_err(err)?;
                } else {
                    chart
                        .draw_series(LineSeries::new(pts.clone(), style))
                        .map_err(err)?;
                }
                let offset = if dashed { step / 2 } else { 0 };
                for p in pts.iter().skip(offset).step_by(step) {
                    marker(chart.plotting_area(), shape, *p, colour(slot))?;
                }
            }
        }
        Ok(())
    })
}

/// One faction's stance per day.
#[derive(Clone, Debug)]
pub struct StanceRow {
    /// Faction name (plain text).
    pub name: String,
    /// Stance names by day.
    pub stances: Vec<&'static str>,
}

/// The slot of each stance so every chart colours a stance the same way.
fn stance_slot(name: &str) -> usize {
    patronfall_model::Stance::ALL
        .iter()
        .position(|s| s.name() == name)
        .unwrap_or(patronfall_model::Stance::ALL.len())
}

/// The short code of a stance, written in blocks too narrow for its name.
pub fn stance_code(name: &str) -> &'static str {
    match name {
        "aligned" => "al",
        "hedging" => "he",
        "autonomous" => "au",
        "negotiating" => "ne",
        "integrated" => "int",
        "holdout" => "ho",
        "insurgent" => "ins",
        "dissolved" => "dis",
        _ => "?",
    }
}

/// Stance timeline: rows of blocks, each labelled with its stance's name or
/// code (explained in the key under the chart).
pub fn stances(title: &str, rows: &[StanceRow]) -> Result<String, ChartError> {
    let k = rows.len().max(1);
    let height = 100 + 34 * k as u32;
    draw(960, height, |root: &Area| {
        let (top, key) = root.split_vertically(height - 30);
        let days = rows
            .iter()
            .map(|r| r.stances.len())
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let mut chart = ChartBuilder::on(&top)
            .caption(title, (FONT, 16))
            .margin(10)
            .margin_right(20)
            .x_label_area_size(40)
            .y_label_area_size(280)
            .build_cartesian_2d(0f64..days, 0f64..k as f64)
            .map_err(err)?;
        let names: Vec<String> = rows.iter().map(|r| clip(&r.name, 42)).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(k * 2 + 1)
            .y_label_formatter(&|y| {
                let i = y.floor() as usize;
                if (y - i as f64 - 0.5).abs() < 1e-6 {
                    names.get(k - 1 - i).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_label_formatter(&whole)
            .x_desc("day")
            .draw()
            .map_err(err)?;
        let px_per_day = {
            let (a, b) = (
                chart.backend_coord(&(0.0, 0.0)),
                chart.backend_coord(&(days, 0.0)),
            );
            f64::from(b.0 - a.0) / days
        };
        let mut seen: Vec<&str> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            let y = (k - 1 - r) as f64;
            let mut start = 0;
            while start < row.stances.len() {
                let s = row.stances[start];
                let mut end = start;
                while end + 1 < row.stances.len() && row.stances[end + 1] == s {
                    end += 1;
                }
                // No block while the group has no stance (a splinter not
                // yet formed).
                if s.is_empty() {
                    start = end + 1;
                    continue;
                }
                if !seen.contains(&s) {
                    seen.push(s);
                }
                let (x0, x1) = (start as f64, end as f64 + 1.0);
                let slot = stance_slot(s);
                chart
                    .draw_series([
                        Rectangle::new(
                            [(x0, y + 0.12), (x1, y + 0.88)],
                            colour(slot).mix(0.35).filled(),
                        ),
                        Rectangle::new([(x0, y + 0.12), (x1, y + 0.88)], BLACK.stroke_width(1)),
                    ])
                    .map_err(err)?;
                let room = (x1 - x0) * px_per_day - 4.0;
                let text = [s, stance_code(s)]
                    .into_iter()
                    .find(|t| super::bars::text_width(t, 12) <= room);
                if let Some(text) = text {
                    chart
                        .draw_series(std::iter::once(Text::new(
                            text,
                            (x0 + 2.0 / px_per_day, y + 0.5),
                            label(12, HPos::Left, VPos::Center),
                        )))
                        .map_err(err)?;
                }
                start = end + 1;
            }
        }
        // The key: every stance that appears, with its colour and code.
        seen.sort_by_key(|s| stance_slot(s));
        let font = label(12, HPos::Left, VPos::Center);
        for (i, s) in seen.iter().enumerate() {
            let x = 20 + 130 * i as i32;
            let slot = stance_slot(s);
            key.draw(&Rectangle::new(
                [(x, 8), (x + 14, 22)],
                colour(slot).mix(0.35).filled(),
            ))
            .map_err(err)?;
            key.draw(&Rectangle::new(
                [(x, 8), (x + 14, 22)],
                BLACK.stroke_width(1),
            ))
            .map_err(err)?;
            key.draw(&Text::new(
                format!("{} = {s}", stance_code(s)),
                (x + 18, 15),
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

    #[test]
    fn every_stance_has_its_own_code() {
        let codes: Vec<&str> = patronfall_model::Stance::ALL
            .iter()
            .map(|s| stance_code(s.name()))
            .collect();
        assert!(!codes.contains(&"?"));
        for (i, c) in codes.iter().enumerate() {
            assert!(!codes[i + 1..].contains(c), "{c} is used twice");
        }
    }
}
