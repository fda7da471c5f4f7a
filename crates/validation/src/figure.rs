//! Simulated against observed timing, as an SVG figure (text; the caller writes it).
//!
//! One panel per case. The horizontal axis is the lag of the collapse (the
//! first day the milestone's condition holds, e.g. the capital's fall)
//! divided by the observed lag (1 is what happened; tick labels also give
//! days), from 0 to 3. Each panel draws the empirical distribution function
//! of the collapse: the share of runs collapsed by that lag, for the case's
//! shock (red) and the control's (blue). A curve's plateau is the share of
//! runs that collapse within the horizon, so the figure shows direction and
//! timing at once. The observed lag is a black line; for a collapse
//! milestone the timing window is a grey band and the factor-of-two bounds
//! dashed lines. For a survival milestone the black line is the day the
//! client was still standing: a curve should stay low up to it (the share
//! collapsed by then is what is scored).

use crate::backtest::CaseReport;
use std::fmt::Write;

const WIDTH: f64 = 720.0;
const PANEL: f64 = 230.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 46.0;
const BOTTOM: f64 = 56.0;
const X_MAX: f64 = 3.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Step points of the empirical distribution of `lags / observed`, clipped to
/// the axis: (ratio, share fallen), starting at (0, share fallen by lag 0).
fn ecdf(lags: &[Option<f64>], observed: f64) -> Vec<(f64, f64)> {
    let n = lags.len().max(1) as f64;
    let mut xs: Vec<f64> = lags
        .iter()
        .flatten()
        .map(|l| (l / observed).max(0.0))
        .collect();
    xs.sort_by(f64::total_cmp);
    let mut pts = vec![(0.0, 0.0)];
    for (k, x) in xs.iter().enumerate() {
        if *x > X_MAX {
            break;
        }
        let before = pts.last().map_or(0.0, |p| p.1);
        pts.push((*x, before));
        pts.push((*x, (k + 1) as f64 / n));
    }
    let last = pts.last().map_or(0.0, |p| p.1);
    pts.push((X_MAX, last));
    pts
}

/// The figure for the given cases (one panel each).
pub fn svg(cases: &[CaseReport]) -> String {
    let height = TOP + cases.len() as f64 * (PANEL + BOTTOM) + 10.0;
    let plot_w = WIDTH - LEFT - RIGHT;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        s,
        r#"<rect width="100%" height="100%" fill="white"/><text x="{LEFT}" y="22" font-size="15" font-weight="bold">Backtest: day of collapse, simulated against observed</text>"#
    );
    for (i, c) in cases.iter().enumerate() {
        let top = TOP + i as f64 * (PANEL + BOTTOM);
        let y0 = top + PANEL - 24.0;
        let plot_h = PANEL - 44.0;
        let px = |r: f64| LEFT + r.clamp(0.0, X_MAX) / X_MAX * plot_w;
        let py = |share: f64| y0 - share * plot_h;
        let y = c.observed.lag;
        let origin = c.observed.origin.as_deref().unwrap_or("day 0");
        let _ = writeln!(
            s,
            r#"<text x="{LEFT}" y="{:.1}" font-weight="bold">{} — observed: {} ({}), {} {y:.0} days after {}</text>"#,
            top + 8.0,
            esc(&c.scenario),
            esc(&c.observed.name),
            esc(c.observed.note.trim_end_matches('.')),
            if c.observed.kind == "survival" {
                "still standing"
            } else {
                "collapsed"
            },
            esc(origin)
        );
        let survival = c.observed.kind == "survival";
        let (lo, hi) = (1.0 - c.window, 1.0 + c.window);
        if !survival {
            let _ = writeln!(
                s,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{plot_h:.1}" fill="#e6e6e6"/>"##,
                px(lo),
                py(1.0),
                px(hi) - px(lo)
            );
        }
        let bounds = if survival {
            Vec::new()
        } else {
            vec![1.0 / c.timing_factor, c.timing_factor]
        };
        for r in bounds {
            let _ = writeln!(
                s,
                r##"<line x1="{0:.1}" x2="{0:.1}" y1="{1:.1}" y2="{2:.1}" stroke="#777" stroke-dasharray="4 3"/>"##,
                px(r),
                py(1.0),
                y0
            );
        }
        // Axes and ticks.
        let _ = writeln!(
            s,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{y0:.1}" y2="{y0:.1}" stroke="black"/><line x1="{LEFT}" x2="{LEFT}" y1="{:.1}" y2="{y0:.1}" stroke="black"/>"##,
            LEFT + plot_w,
            py(1.0)
        );
        for k in 0..=6 {
            let r = f64::from(k) * 0.5;
            let _ = writeln!(
                s,
                r##"<line x1="{0:.1}" x2="{0:.1}" y1="{y0:.1}" y2="{1:.1}" stroke="black"/><text x="{0:.1}" y="{2:.1}" text-anchor="middle">{r}</text><text x="{0:.1}" y="{3:.1}" text-anchor="middle" fill="#555">{4:.0} d</text>"##,
                px(r),
                y0 + 4.0,
                y0 + 17.0,
                y0 + 30.0,
                r * y
            );
        }
        for k in 0..=4 {
            let share = f64::from(k) * 0.25;
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{share:.2}</text>"#,
                LEFT - 6.0,
                py(share) + 4.0
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">lag ÷ observed lag (days below)</text>"#,
            LEFT + plot_w / 2.0,
            y0 + 44.0
        );
        let _ = writeln!(
            s,
            r#"<text transform="translate({:.1},{:.1}) rotate(-90)" text-anchor="middle">share collapsed</text>"#,
            LEFT - 44.0,
            y0 - plot_h / 2.0
        );
        let _ = writeln!(
            s,
            r#"<line x1="{0:.1}" x2="{0:.1}" y1="{1:.1}" y2="{y0:.1}" stroke="black" stroke-width="2"/>"#,
            px(1.0),
            py(1.0)
        );
        for (result, colour) in [(&c.case, "#b2182b"), (&c.control, "#2166ac")] {
            let pts: Vec<String> = ecdf(&result.lags, y)
                .iter()
                .map(|(r, share)| format!("{:.1},{:.1}", px(*r), py(*share)))
                .collect();
            let _ = writeln!(
                s,
                r##"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"##,
                pts.join(" ")
            );
        }
        let median = |r: &crate::backtest::ShockResult| {
            r.scores
                .median()
                .map_or("after the horizon".to_string(), |m| format!("{m:.0} d"))
        };
        for (k, (result, colour, label)) in [
            (&c.case, "#b2182b", "case"),
            (&c.control, "#2166ac", "control"),
        ]
        .into_iter()
        .enumerate()
        {
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" fill="{colour}">{label} `{}`: {:.0}% collapsed, median {}</text>"##,
                LEFT + 8.0,
                py(1.0) + 14.0 + 15.0 * k as f64,
                esc(&result.shock),
                100.0 * result.scores.share_collapsed,
                median(result)
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecdf_steps_up_to_the_share_fallen() {
        let pts = ecdf(&[Some(5.0), None, Some(10.0), Some(100.0)], 10.0);
        assert_eq!(pts.first(), Some(&(0.0, 0.0)));
        // Two of four runs fall within three observed lags.
        assert_eq!(pts.last(), Some(&(X_MAX, 0.5)));
        assert!(pts.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1));
    }

    #[test]
    fn escapes_text() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
