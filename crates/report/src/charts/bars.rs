//! Bar and interval charts of the futures: stacked shares per course of
//! action with direct labels, each future's probability with its 95% Wilson
//! interval, and the paired differences against the first course of action
//! with their 95% Newcombe intervals.

use super::{Area, ChartError, FONT, HPos, VPos, colour, draw, err, label};
use crate::futures::{FutureTable, PairedDiff};
use plotters::prelude::*;

/// The key letter of future `f` (A, B, ..., then A2, B2, ...).
pub fn key(f: usize) -> String {
    let letter = char::from(b'A' + (f % 26) as u8);
    if f < 26 {
        letter.to_string()
    } else {
        format!("{letter}{}", f / 26 + 1)
    }
}

/// Rough width in pixels of `text` at a plotters font size of `size`.
pub fn text_width(text: &str, size: u32) -> f64 {
    text.chars().count() as f64 * f64::from(size) * 0.48
}

/// Stacked horizontal bars: one per course of action, one segment per future.
/// Every segment wide enough carries the future's name (or its key letter,
/// explained in the key below the bars) and its percentage, so the chart
/// reads without colour.
pub fn stacked(t: &FutureTable) -> Result<String, ChartError> {
    let rows = t.coas.len().max(1);
    let key_lines = t.futures.len().div_ceil(3).max(1) as u32;
    let height = 100 + 56 * rows as u32 + 20 * key_lines;
    draw(960, height, |root: &Area| {
        let (top, bottom) = root.split_vertically(height - 20 * key_lines - 8);
        let mut chart = ChartBuilder::on(&top)
            .caption(
                "Futures reached per course of action (share of runs)",
                (FONT, 18),
            )
            .margin(10)
            .margin_right(24)
            .x_label_area_size(40)
            .y_label_area_size(170)
            .build_cartesian_2d(0f64..100f64, 0f64..rows as f64)
            .map_err(err)?;
        let names = t.coas.clone();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(rows * 2 + 1)
            .y_label_formatter(&|y| {
                let i = y.floor() as usize;
                if (y - i as f64 - 0.5).abs() < 1e-6 {
                    names.get(rows - 1 - i).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_labels(11)
            .x_label_formatter(&super::whole)
            .x_desc("% of runs")
            .draw()
            .map_err(err)?;
        let px_per_pct = {
            let (a, b) = (
                chart.backend_coord(&(0.0, 0.0)),
                chart.backend_coord(&(100.0, 0.0)),
            );
            f64::from(b.0 - a.0) / 100.0
        };
        for (c, _) in t.coas.iter().enumerate() {
            let y = (rows - 1 - c) as f64;
            let mut x = 0.0;
            for (f, name) in t.futures.iter().enumerate() {
                let share = t.share[c][f].map_or(0.0, |i| i.estimate) * 100.0;
                if share <= 0.0 {
                    continue;
                }
                let style = colour(f).mix(0.75).filled();
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x, y + 0.15), (x + share, y + 0.85)],
                        style,
                    )))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x, y + 0.15), (x + share, y + 0.85)],
                        BLACK.stroke_width(1),
                    )))
                    .map_err(err)?;
                let room = share * px_per_pct - 8.0;
                let text = [
                    format!("{name} {share:.0}%"),
                    format!("{} {share:.0}%", key(f)),
                    key(f),
                ]
                .into_iter()
                .find(|t| text_width(t, 13) <= room)
                .unwrap_or_default();
                if !text.is_empty() {
                    let text_colour = if f % 8 == 2 { WHITE } else { BLACK };
                    chart
                        .draw_series(std::iter::once(Text::new(
                            text,
                            (x + 4.0 / px_per_pct, y + 0.5),
                            label(13, HPos::Left, VPos::Center).color(&text_colour),
                        )))
                        .map_err(err)?;
                }
                x += share;
            }
        }
        // The key: swatch, letter and name of every future.
        let font = label(13, HPos::Left, VPos::Center);
        for (f, name) in t.futures.iter().enumerate() {
            let (col, line) = ((f % 3) as i32, (f / 3) as i32);
            let (x, y) = (180 + 260 * col, 10 + 20 * line);
            bottom
                .draw(&Rectangle::new(
                    [(x, y - 6), (x + 14, y + 6)],
                    colour(f).mix(0.75).filled(),
                ))
                .map_err(err)?;
            bottom
                .draw(&Rectangle::new(
                    [(x, y - 6), (x + 14, y + 6)],
                    BLACK.stroke_width(1),
                ))
                .map_err(err)?;
            bottom
                .draw(&Text::new(
                    format!("{} = {}", key(f), super::clip(name, 30)),
                    (x + 20, y),
                    font.clone(),
                ))
                .map_err(err)?;
        }
        Ok(())
    })
}

/// Dot-and-whisker panels: one per future, one row per course of action.
pub fn intervals(t: &FutureTable) -> Result<String, ChartError> {
    let n = t.futures.len().max(1);
    let cols = n.min(2);
    let rows_of_panels = n.div_ceil(cols);
    let per = 40 + 26 * t.coas.len() as u32;
    draw(960, 40 + per * rows_of_panels as u32, |root: &Area| {
        let root = root
            .titled(
                "Probability of each future, 95% Wilson interval",
                (FONT, 18),
            )
            .map_err(err)?;
        let panels = root.split_evenly((rows_of_panels, cols));
        for (f, name) in t.futures.iter().enumerate() {
            let k = t.coas.len();
            let mut chart = ChartBuilder::on(&panels[f])
                .caption(name, (FONT, 15))
                .margin(6)
                .margin_right(18)
                .x_label_area_size(22)
                .y_label_area_size(150)
                .build_cartesian_2d(0f64..100f64, 0f64..k as f64)
                .map_err(err)?;
            let names = t.coas.clone();
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
                .x_labels(6)
                .x_label_formatter(&super::whole)
                .draw()
                .map_err(err)?;
            for c in 0..k {
                let Some(i) = t.share[c][f] else { continue };
                let y = (k - 1 - c) as f64 + 0.5;
                let (lo, est, hi) = (i.lower * 100.0, i.estimate * 100.0, i.upper * 100.0);
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(lo, y), (hi, y)],
                        BLACK.stroke_width(2),
                    )))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(Circle::new((est, y), 4, BLACK.filled())))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("{est:.0}%"),
                        (hi.min(88.0) + 1.5, y),
                        label(12, HPos::Left, VPos::Center),
                    )))
                    .map_err(err)?;
            }
        }
        Ok(())
    })
}

/// Forest plot of paired differences, in percentage points.
pub fn paired(diffs: &[PairedDiff]) -> Result<String, ChartError> {
    let k = diffs.len().max(1);
    draw(960, 80 + 24 * k as u32, |root: &Area| {
        let reference = diffs.first().map_or(String::new(), |d| d.a.clone());
        let mut chart = ChartBuilder::on(root)
            .caption(
                format!("Paired difference against {reference} (percentage points, 95% Newcombe interval)"),
                (FONT, 16),
            )
            .margin(10)
            .margin_right(24)
            .x_label_area_size(40)
            .y_label_area_size(330)
            .build_cartesian_2d(-100f64..100f64, 0f64..k as f64)
            .map_err(err)?;
        let labels: Vec<String> = diffs
            .iter()
            .map(|d| format!("{}: {}", d.b, d.future))
            .collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(k * 2 + 1)
            .y_label_formatter(&|y| {
                let i = y.floor() as usize;
                if (y - i as f64 - 0.5).abs() < 1e-6 {
                    labels.get(k - 1 - i).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_labels(11)
            .x_label_formatter(&super::whole)
            .x_desc("percentage points (course of action minus reference)")
            .draw()
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, 0.0), (0.0, k as f64)],
                BLACK.stroke_width(1),
            )))
            .map_err(err)?;
        for (j, d) in diffs.iter().enumerate() {
            let y = (k - 1 - j) as f64 + 0.5;
            let (lo, est, hi) = (
                d.diff.lower * 100.0,
                d.diff.estimate * 100.0,
                d.diff.upper * 100.0,
            );
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(lo, y), (hi, y)],
                    BLACK.stroke_width(2),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(est - 0.8, y - 0.25), (est + 0.8, y + 0.25)],
                    BLACK.filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{est:+.0}"),
                    (hi.min(90.0) + 1.5, y),
                    label(11, HPos::Left, VPos::Center),
                )))
                .map_err(err)?;
        }
        Ok(())
    })
}
