//! The built-in Iraq scenario run as a modest Latin-hypercube ensemble with
//! common random numbers, so that courses of action (and variants of the
//! scenario) are compared on the same samples and seeds.

#![allow(dead_code)]

use patronfall_ensemble::runner::{Options, Row, Sink, run};
use patronfall_ensemble::{Plan, PlanSpec, Sampler};
use patronfall_model::{CoaId, Outcome, Stance};
use patronfall_scenario::Scenario;
use std::sync::atomic::AtomicBool;

struct Keep(Vec<Row>);

impl Sink for Keep {
    type Error = std::convert::Infallible;

    fn accept(&mut self, rows: &[Row]) -> Result<(), Self::Error> {
        self.0.extend(rows.iter().cloned());
        Ok(())
    }
}

pub struct Ensemble {
    pub s: Scenario,
    pub rows: Vec<Row>,
}

impl Ensemble {
    /// Every course of action of the built-in scenario on `runs` samples.
    pub fn new(shock: &str, runs: usize) -> Self {
        Self::of(
            patronfall_scenario::open("iraq-after-tehran").unwrap(),
            shock,
            runs,
        )
    }

    /// Every course of action of `s` on `runs` samples.
    pub fn of(s: Scenario, shock: &str, runs: usize) -> Self {
        let coas: Vec<CoaId> = (0..s.ids.coas.len()).map(CoaId::at).collect();
        let spec = PlanSpec {
            sampler: Sampler::LatinHypercube,
            runs,
            replications: 1,
            coas,
            shock: s.shock(shock),
            days: 365,
            seed: 2026,
            vary: vec![],
        };
        let plan = Plan::new(&s, spec).unwrap();
        let mut keep = Keep(Vec::new());
        run(
            &s,
            &plan,
            Options {
                threads: 2,
                chunk: 64,
                keep_series: false,
                series_sample: 0,
            },
            &AtomicBool::new(false),
            &mut |_, _| {},
            &mut keep,
        )
        .unwrap();
        Ensemble { s, rows: keep.0 }
    }

    pub fn rows(&self, coa: &str) -> Vec<&Row> {
        let c = self.s.coa(coa).unwrap();
        self.rows.iter().filter(|r| r.coa == c).collect()
    }

    pub fn future(&self, coa: &str, future: &str) -> f64 {
        let f = self.s.ids.futures.iter().position(|x| x == future).unwrap();
        let rows = self.rows(coa);
        rows.iter().filter(|r| r.future == Some(f)).count() as f64 / rows.len() as f64
    }

    pub fn stance_share(&self, coa: &str, group: &str, stance: Stance) -> f64 {
        let g = self.s.ids.groups.iter().position(|x| x == group).unwrap();
        let rows = self.rows(coa);
        rows.iter().filter(|r| r.stances[g] == Some(stance)).count() as f64 / rows.len() as f64
    }

    pub fn median(&self, coa: &str, o: Outcome) -> f64 {
        let mut v: Vec<f64> = self.rows(coa).iter().map(|r| r.end.get(o)).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    }
}

impl Ensemble {
    /// Per sample, in sample order, a run's value under one course of action.
    pub fn per_sample(&self, coa: &str, f: impl Fn(&Row) -> f64) -> Vec<f64> {
        let mut rows = self.rows(coa);
        rows.sort_by_key(|r| r.experiment.sample);
        rows.into_iter().map(f).collect()
    }

    /// 1 where the run reached `future`, else 0, per sample.
    pub fn reached(&self, coa: &str, future: &str) -> Vec<f64> {
        let f = self.s.ids.futures.iter().position(|x| x == future).unwrap();
        self.per_sample(coa, |r| f64::from(u8::from(r.future == Some(f))))
    }
}

/// The mean of the paired differences `a − b` and its 95% normal interval.
pub fn paired(a: &[f64], b: &[f64]) -> (f64, f64, f64) {
    assert_eq!(a.len(), b.len(), "paired samples");
    let n = a.len() as f64;
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let half = 1.96 * (var / n).sqrt();
    (mean, mean - half, mean + half)
}
