//! Charts of one representative run: labelled lines over days (crossings and
//! interdictions per border segment, unrest per community) and the stance
//! timeline of every faction (one row per faction, one labelled block per
//! stretch of days in the same stance).

use super::{Area, FONT, HPos, VPos, colour, draw, err, label, short, span};
use plotters::prelude::*;

/// One line: its label, whether it is dashed, its colour slot, values by day.
#[derive(Clone, Debug)]
pub struct Line {
    /// Direct label drawn at the line's highest point (plain text).
    pub label: String,
    /// Dashed (the second measure of the same entity) or solid.
    pub dashed: bool,
    /// Colour slot.
    pub slot: usize,
    /// Values for day 0, 1, 2, ...
    pub values: Vec<f64>,
}

/// Labelled lines over days.
pub fn lines(title: &str, unit: &str, lines: &[Line]) -> Result<String, String> {
    draw(960, 340, |root: &Area| {
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
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FONT, 16))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(60)
            .build_cartesian_2d(0f64..days as f64 * 1.12, lo..hi)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("day")
            .y_desc(unit)
            .y_label_formatter(&|v| short(*v))
            .light_line_style(WHITE)
            .draw()
            .map_err(err)?;
        for l in lines {
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
            // Label the line at its peak, where it is easiest to tell apart.
            if let Some(&(d, v)) = pts.iter().fold(None::<&(f64, f64)>, |b, p| match b {
                Some(b) if b.1 >= p.1 => Some(b),
                _ => Some(p),
            }) {
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("{} ({})", l.label, short(v)),
                        (d + days as f64 * 0.01, v),
                        label(11, HPos::Left, VPos::Bottom),
                    )))
                    .map_err(err)?;
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
        .unwrap_or(7)
}

/// Stance timeline: rows of labelled blocks.
pub fn stances(title: &str, rows: &[StanceRow]) -> Result<String, String> {
    let k = rows.len().max(1);
    draw(960, 70 + 34 * k as u32, |root: &Area| {
        let days = rows
            .iter()
            .map(|r| r.stances.len())
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FONT, 16))
            .margin(10)
            .x_label_area_size(26)
            .y_label_area_size(170)
            .build_cartesian_2d(0f64..days, 0f64..k as f64)
            .map_err(err)?;
        let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
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
            .x_desc("day")
            .draw()
            .map_err(err)?;
        for (r, row) in rows.iter().enumerate() {
            let y = (k - 1 - r) as f64;
            let mut start = 0;
            while start < row.stances.len() {
                let s = row.stances[start];
                let mut end = start;
                while end + 1 < row.stances.len() && row.stances[end + 1] == s {
                    end += 1;
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
                if (x1 - x0) / days > 0.07 {
                    chart
                        .draw_series(std::iter::once(Text::new(
                            s,
                            (x0 + days * 0.005, y + 0.5),
                            label(12, HPos::Left, VPos::Center),
                        )))
                        .map_err(err)?;
                }
                start = end + 1;
            }
        }
        Ok(())
    })
}
