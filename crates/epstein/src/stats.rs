//! Summary statistics of an active-citizen series: peaks, outbursts and the
//! waiting times between them (Epstein 2002, Figs 3–5).
//!
//! An outburst starts at a step where the active count reaches `on` and ends
//! at the first later step where it falls to `off` or below (hysteresis, so
//! noise around one level is not counted as many outbursts). A waiting time
//! is the number of steps from the end of one outburst to the start of the
//! next.

/// Outburst statistics of one series.
#[derive(Debug, Clone, PartialEq)]
pub struct Outbursts {
    /// Largest active count.
    pub peak: u32,
    /// Number of outbursts started.
    pub count: u32,
    /// Steps spent inside an outburst.
    pub steps_in_outburst: u32,
    /// Waiting times between consecutive outbursts, in steps.
    pub waits: Vec<u32>,
}

impl Outbursts {
    /// Share of the steps spent inside an outburst.
    pub fn share_in_outburst(&self, steps: usize) -> f64 {
        if steps == 0 {
            0.0
        } else {
            f64::from(self.steps_in_outburst) / steps as f64
        }
    }
}

/// Outbursts in `active` with start level `on` and end level `off` (< on).
pub fn outbursts(active: &[u32], on: u32, off: u32) -> Outbursts {
    let mut out = Outbursts {
        peak: active.iter().copied().max().unwrap_or(0),
        count: 0,
        steps_in_outburst: 0,
        waits: Vec::new(),
    };
    let mut inside = false;
    let mut last_end: Option<usize> = None;
    for (t, &a) in active.iter().enumerate() {
        if inside {
            if a <= off {
                inside = false;
                last_end = Some(t);
            } else {
                out.steps_in_outburst += 1;
            }
        } else if a >= on {
            inside = true;
            out.count += 1;
            out.steps_in_outburst += 1;
            if let Some(end) = last_end {
                out.waits.push((t - end) as u32);
            }
        }
    }
    out
}

/// Mean of a slice (0 for an empty one).
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_outbursts_with_hysteresis() {
        let s = [0, 5, 30, 45, 25, 35, 8, 2, 0, 0, 40, 3, 60, 60];
        let o = outbursts(&s, 30, 10);
        assert_eq!(o.peak, 60);
        assert_eq!(o.count, 3);
        // Steps 2–5, 10, 12–13.
        assert_eq!(o.steps_in_outburst, 7);
        assert_eq!(o.waits, vec![4, 1]);
        assert!((o.share_in_outburst(s.len()) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn quiet_series_has_none() {
        let o = outbursts(&[0, 1, 2, 1], 30, 10);
        assert_eq!((o.count, o.peak, o.steps_in_outburst), (0, 2, 0));
        assert_eq!(mean(&[]), 0.0);
        assert_eq!(mean(&[1.0, 3.0]), 2.0);
    }
}
