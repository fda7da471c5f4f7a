//! What to watch: an indicator's distribution under each future on one
//! observation day, as horizontal boxes (thin line 5–95%, box 25–75%, dot
//! at the median) with the future's name and its runs written beside the
//! row, so the chart reads without colour.

use super::{Area, ChartError, FONT, HPos, VPos, clip, draw, err, label, short, span};
use plotters::prelude::*;

/// One future's row.
#[derive(Clone, Debug)]
pub struct Row {
    /// The future's display name.
    pub future: String,
    /// Runs that reached it.
    pub runs: usize,
    /// 5, 25, 50, 75 and 95% quantiles.
    pub quantiles: [f64; 5],
}

/// The chart of one indicator on one day.
pub fn distributions(title: &str, rows: &[Row]) -> Result<String, ChartError> {
    let rows: Vec<&Row> = rows
        .iter()
        .filter(|r| r.runs > 0 && r.quantiles.iter().all(|q| q.is_finite()))
        .collect();
    let k = rows.len().max(1);
    let (lo, hi) = span(rows.iter().flat_map(|r| r.quantiles));
    let pad = (hi - lo) * 0.04;
    draw(960, 70 + 34 * k as u32, |root: &Area| {
        let root = root.titled(&clip(title, 110), (FONT, 16)).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .margin_right(24)
            .x_label_area_size(24)
            .y_label_area_size(290)
            .build_cartesian_2d((lo - pad)..(hi + pad), 0f64..k as f64)
            .map_err(err)?;
        let names: Vec<String> = rows
            .iter()
            .map(|r| clip(&format!("{} ({} runs)", r.future, r.runs), 44))
            .collect();
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
            .x_labels(7)
            .x_label_formatter(&|v| short(*v))
            .draw()
            .map_err(err)?;
        for (i, r) in rows.iter().enumerate() {
            let y = (k - 1 - i) as f64 + 0.5;
            let q = r.quantiles;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(q[0], y), (q[4], y)],
                    BLACK.stroke_width(1),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(q[1], y - 0.25), (q[3], y + 0.25)],
                    super::colour(i).mix(0.6).filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Circle::new((q[2], y), 4, BLACK.filled())))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    short(q[2]),
                    (q[2], y + 0.32),
                    label(11, HPos::Center, VPos::Bottom),
                )))
                .map_err(err)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_row_per_future_reached_with_its_name() {
        let rows = [
            Row {
                future: "Spillover <crisis>".into(),
                runs: 12,
                quantiles: [1.0, 2.0, 3.0, 4.0, 5.0],
            },
            Row {
                future: "Never reached".into(),
                runs: 0,
                quantiles: [f64::NAN; 5],
            },
        ];
        let svg = distributions("Crossings on day 14", &rows).unwrap();
        assert!(svg.contains("Spillover &lt;crisis&gt; (12 runs)"), "{svg}");
        assert!(!svg.contains("Never reached"));
    }
}
