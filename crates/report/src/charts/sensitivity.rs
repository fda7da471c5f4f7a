//! Sensitivity and scenario discovery: a tornado chart of which
//! uncertainties drive an outcome (Sobol total and first-order indices with
//! their intervals, or Morris μ* with its interval and σ), with the noise
//! floor (the upper end of the dummy factor's interval) drawn as a dashed
//! line and the factors below it in grey, and the ranges of a PRIM box drawn
//! against each uncertainty's full range.

use super::{Area, ChartError, FONT, HPos, VPos, colour, draw, err, label, short};
use patronfall_results::analyses::discover::DiscoveredBox;
use patronfall_results::analyses::sensitivity::{MorrisEffect, SobolIndex};
use plotters::prelude::*;

/// Most bars a tornado shows.
pub const TOP: usize = 15;

fn rows_axis(labels: Vec<String>) -> impl Fn(&f64) -> String {
    let k = labels.len();
    move |y: &f64| {
        let i = y.floor() as usize;
        if (y - i as f64 - 0.5).abs() < 1e-6 && i < k {
            labels[k - 1 - i].clone()
        } else {
            String::new()
        }
    }
}

/// Width of the column of numbers to the right of a tornado.
const NUMBERS: u32 = 230;

/// The name of the design's dummy factor (`patronfall_ensemble::DUMMY`,
/// as the analysis writes it).
const DUMMY: &str = "dummy";

/// A factor's label: a figure's path, a group's name and size, the dummy.
fn factor_label(name: &str, figures: &[String]) -> String {
    match figures {
        [] if name == DUMMY => "dummy (the dice)".to_string(),
        [only] if only == name => name.to_string(),
        [_] => format!("{name} (1 figure)"),
        _ => format!("{name} ({} figures)", figures.len()),
    }
}

/// The `TOP` largest entries by `key`, and the dummy whatever its rank.
fn top_with_dummy<T>(
    mut e: Vec<&T>,
    key: impl Fn(&T) -> f64,
    name: impl Fn(&T) -> &str,
) -> Vec<&T> {
    e.sort_by(|a, b| key(b).total_cmp(&key(a)).then(name(a).cmp(name(b))));
    let dummy = e.iter().position(|x| name(x) == DUMMY);
    if let Some(d) = dummy.filter(|&d| d >= TOP) {
        let x = e.remove(d);
        e.truncate(TOP - 1);
        e.push(x);
    } else {
        e.truncate(TOP);
    }
    e
}

/// The dashed vertical line of the noise floor.
fn floor_line<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    floor: f64,
    k: usize,
) -> Result<(), ChartError> {
    if !floor.is_finite() {
        return Ok(());
    }
    chart
        .draw_series(DashedLineSeries::new(
            [(floor.max(0.0), 0.0), (floor.max(0.0), k as f64)],
            5,
            4,
            BLACK.stroke_width(1),
        ))
        .map_err(err)?;
    Ok(())
}

/// The bar colour of a factor: the palette above the floor, grey below.
fn bar(above: Option<bool>, palette: usize, alpha: f64) -> ShapeStyle {
    match above {
        Some(false) => RGBColor(170, 170, 170).mix(alpha).filled(),
        _ => colour(palette).mix(alpha).filled(),
    }
}

/// Tornado of Sobol indices for one outcome, sorted by total index. Entries
/// whose total index could not be estimated are left out; the numbers of
/// each bar are written in a column to its right.
pub fn sobol(outcome: &str, entries: &[&SobolIndex]) -> Result<String, ChartError> {
    let mut e: Vec<&SobolIndex> = entries
        .iter()
        .copied()
        .filter(|x| n(x.total).is_finite())
        .collect();
    if e.is_empty() {
        return Err(ChartError::NoEstimate(
            "the analysis could not estimate any total index",
        ));
    }
    let floor = e
        .iter()
        .find(|x| x.factor == DUMMY)
        .map_or(f64::NAN, |x| n(x.total_high));
    e = top_with_dummy(e, |x| n(x.total), |x| x.factor.as_str());
    let k = e.len().max(1);
    let finite = |v: f64, or: f64| if v.is_finite() { v } else { or };
    let hi = e
        .iter()
        .map(|x| finite(n(x.total_high), n(x.total)).max(n(x.total)))
        .fold(0.1f64, f64::max);
    draw(960, 90 + 30 * k as u32, |root: &Area| {
        let labels: Vec<String> = e
            .iter()
            .map(|x| factor_label(&x.factor, &x.figures))
            .collect();
        let (left, right) = root.split_horizontally(960 - NUMBERS);
        let mut chart = ChartBuilder::on(&left)
            .caption(format!("Sobol indices: {outcome}"), (FONT, 15))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(300)
            .build_cartesian_2d(0f64..hi * 1.05, 0f64..k as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(k * 2 + 1)
            .y_label_formatter(&rows_axis(labels))
            .x_labels(6)
            .x_desc("share of output variance (dark: first order, light: total; grey: below the noise floor, dashed)")
            .draw()
            .map_err(err)?;
        right
            .draw(&Text::new(
                "ST [95%] / S1",
                (8, chart.backend_coord(&(0.0, k as f64)).1 - 12),
                label(11, HPos::Left, VPos::Center),
            ))
            .map_err(err)?;
        for (j, x) in e.iter().enumerate() {
            let y = (k - 1 - j) as f64;
            chart
                .draw_series([
                    Rectangle::new(
                        [(0.0, y + 0.15), (n(x.total).max(0.0), y + 0.85)],
                        bar(x.above_noise, 3, 0.5),
                    ),
                    Rectangle::new(
                        [(0.0, y + 0.3), (finite(n(x.first), 0.0).max(0.0), y + 0.7)],
                        bar(x.above_noise, 0, 1.0),
                    ),
                ])
                .map_err(err)?;
            if n(x.total_low).is_finite() && n(x.total_high).is_finite() {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![
                            (n(x.total_low).max(0.0), y + 0.5),
                            (n(x.total_high).max(0.0), y + 0.5),
                        ],
                        BLACK.stroke_width(1),
                    )))
                    .map_err(err)?;
            }
            let row = chart.backend_coord(&(0.0, y + 0.5)).1;
            right
                .draw(&Text::new(
                    format!(
                        "{:.2} [{}–{}] / {}{}",
                        n(x.total),
                        two(n(x.total_low)),
                        two(n(x.total_high)),
                        two(n(x.first)),
                        above_text(x.above_noise)
                    ),
                    (8, row),
                    label(11, HPos::Left, VPos::Center),
                ))
                .map_err(err)?;
        }
        floor_line(&mut chart, floor, k)?;
        Ok(())
    })
}

/// What the column of numbers says of a factor above the floor.
fn above_text(above: Option<bool>) -> &'static str {
    if above == Some(true) {
        "  above floor"
    } else {
        ""
    }
}

/// A number of an analysis, NaN where it could not be estimated (`null`).
fn n(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::NAN)
}

/// A number with two decimals, or a dash when it could not be estimated.
fn two(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.2}")
    } else {
        "–".into()
    }
}

/// Morris screening: μ* bars with their intervals and σ written beside
/// them. Entries whose μ* could not be estimated are left out.
pub fn morris(outcome: &str, entries: &[&MorrisEffect]) -> Result<String, ChartError> {
    let mut e: Vec<&MorrisEffect> = entries
        .iter()
        .copied()
        .filter(|x| n(x.mu_star).is_finite())
        .collect();
    if e.is_empty() {
        return Err(ChartError::NoEstimate(
            "the analysis could not estimate any μ*",
        ));
    }
    let floor = e
        .iter()
        .find(|x| x.factor == DUMMY)
        .map_or(f64::NAN, |x| n(x.mu_star_high));
    e = top_with_dummy(e, |x| n(x.mu_star), |x| x.factor.as_str());
    let k = e.len().max(1);
    let hi = e
        .iter()
        .map(|x| n(x.mu_star_high).max(n(x.mu_star)))
        .chain([floor])
        .filter(|v| v.is_finite())
        .fold(1e-9f64, f64::max);
    draw(960, 90 + 30 * k as u32, |root: &Area| {
        let labels: Vec<String> = e
            .iter()
            .map(|x| factor_label(&x.factor, &x.figures))
            .collect();
        let (left, right) = root.split_horizontally(960 - NUMBERS);
        let mut chart = ChartBuilder::on(&left)
            .caption(format!("Morris screening: {outcome}"), (FONT, 15))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(300)
            .build_cartesian_2d(0f64..hi * 1.05, 0f64..k as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(k * 2 + 1)
            .y_label_formatter(&rows_axis(labels))
            .x_labels(6)
            .x_label_formatter(&|v| short(*v))
            .x_desc("mean absolute elementary effect μ* (outcome units; grey: below the noise floor, dashed)")
            .draw()
            .map_err(err)?;
        for (j, x) in e.iter().enumerate() {
            let y = (k - 1 - j) as f64;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y + 0.2), (n(x.mu_star).max(0.0), y + 0.8)],
                    bar(x.above_noise, 0, 0.7),
                )))
                .map_err(err)?;
            if n(x.mu_star_low).is_finite() && n(x.mu_star_high).is_finite() {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(n(x.mu_star_low), y + 0.5), (n(x.mu_star_high), y + 0.5)],
                        BLACK.stroke_width(1),
                    )))
                    .map_err(err)?;
            }
            let row = chart.backend_coord(&(0.0, y + 0.5)).1;
            right
                .draw(&Text::new(
                    format!(
                        "μ* {}  σ {}{}",
                        short(n(x.mu_star)),
                        short(n(x.sigma)),
                        above_text(x.above_noise)
                    ),
                    (8, row),
                    label(11, HPos::Left, VPos::Center),
                ))
                .map_err(err)?;
        }
        floor_line(&mut chart, floor, k)?;
        Ok(())
    })
}

/// A PRIM box: each restricted uncertainty's full range (outline) with the
/// box's range filled, both labelled with their values. `support(path)` gives
/// the full range from the manifest.
pub fn discover_box(
    future: &str,
    coa: Option<&str>,
    b: &DiscoveredBox,
    support: &dyn Fn(&str) -> Option<[f64; 2]>,
) -> Result<String, ChartError> {
    let k = b.limits.len().max(1);
    draw(960, 90 + 34 * k as u32, |root: &Area| {
        let labels: Vec<String> = b.limits.iter().map(|l| l.path.clone()).collect();
        let title = format!(
            "Scenario discovery: where {} happens{} (coverage {:.0}%, density {:.0}%)",
            future,
            coa.map_or(String::new(), |c| format!(" under {c}")),
            b.coverage * 100.0,
            b.density * 100.0
        );
        let mut chart = ChartBuilder::on(root)
            .caption(title, (FONT, 15))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(300)
            .build_cartesian_2d(-0.02f64..1.02f64, 0f64..k as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(k * 2 + 1)
            .y_label_formatter(&rows_axis(labels))
            .x_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .x_desc("position within the uncertainty's full range")
            .draw()
            .map_err(err)?;
        for (j, l) in b.limits.iter().enumerate() {
            let y = (k - 1 - j) as f64;
            if !l.categories.is_empty() {
                // A category (the course of action) has no range to draw:
                // its outline with the names kept inside the box.
                chart
                    .draw_series([Rectangle::new(
                        [(0.0, y + 0.25), (1.0, y + 0.75)],
                        BLACK.stroke_width(1),
                    )])
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("one of: {}", l.categories.join(", ")),
                        (0.01, y + 0.88),
                        label(11, HPos::Left, VPos::Bottom),
                    )))
                    .map_err(err)?;
                continue;
            }
            let (low, high) = (n(l.low), n(l.high));
            let [lo, hi] = support(&l.path).unwrap_or([low, high]);
            let w = if hi > lo { hi - lo } else { 1.0 };
            let (a, z) = (
                ((low - lo) / w).clamp(0.0, 1.0),
                ((high - lo) / w).clamp(0.0, 1.0),
            );
            chart
                .draw_series([
                    Rectangle::new([(0.0, y + 0.25), (1.0, y + 0.75)], BLACK.stroke_width(1)),
                    Rectangle::new(
                        [(a, y + 0.25), (z.max(a + 0.003), y + 0.75)],
                        colour(4).mix(0.6).filled(),
                    ),
                ])
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!(
                        "{} – {}   (full range {} – {})",
                        short(low),
                        short(high),
                        short(lo),
                        short(hi)
                    ),
                    (0.01, y + 0.88),
                    label(11, HPos::Left, VPos::Bottom),
                )))
                .map_err(err)?;
        }
        Ok(())
    })
}
