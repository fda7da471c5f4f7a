//! Calibration harness: runs an ensemble in memory and prints each future's
//! share and each faction's end stance per course of action.
//!
//! `cargo run --release -p patronfall-ensemble --example calibrate -- [SCENARIO] [RUNS] [SHOCK]`

use patronfall_ensemble::runner::{Options, Row, Sink, run};
use patronfall_ensemble::{Plan, PlanSpec, Sampler};
use patronfall_model::{CoaId, Outcome, Stance};
use std::sync::atomic::AtomicBool;

struct Keep(Vec<Row>);

impl Sink for Keep {
    type Error = std::convert::Infallible;

    fn accept(&mut self, rows: &[Row]) -> Result<(), Self::Error> {
        self.0.extend(rows.iter().cloned());
        Ok(())
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("iraq-after-tehran", String::as_str);
    let runs: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
    let s = patronfall_scenario::open(name).unwrap_or_else(|e| panic!("{}", e.render()));
    let shock = match args.get(3).map(String::as_str) {
        None => s.default_shock,
        Some("none") => None,
        Some(x) => Some(s.shock(x).expect("known shock")),
    };
    let coas: Vec<CoaId> = (0..s.ids.coas.len()).map(CoaId::at).collect();
    let spec = PlanSpec {
        sampler: Sampler::LatinHypercube,
        runs,
        replications: 1,
        coas: coas.clone(),
        shock,
        days: s.world.horizon_days,
        seed: 1,
        vary: vec![],
    };
    let plan = Plan::new(&s, spec).expect("plan");
    let mut keep = Keep(Vec::new());
    let opts = Options {
        threads: 2,
        chunk: 256,
        keep_series: false,
        series_sample: 0,
    };
    run(
        &s,
        &plan,
        opts,
        &AtomicBool::new(false),
        &mut |_, _| {},
        &mut keep,
    )
    .expect("run");
    print!("{:24}", "future");
    for c in &coas {
        print!("{:>14.13}", s.ids.coas[c.index()]);
    }
    println!();
    for (f, name) in s.ids.futures.iter().enumerate() {
        print!("{name:24.23}");
        for slot in 0..coas.len() {
            let rows: Vec<&Row> = keep
                .0
                .iter()
                .filter(|r| r.experiment.coa_slot == slot)
                .collect();
            print!(
                "{:>14.2}",
                rows.iter().filter(|r| r.future == Some(f)).count() as f64 / rows.len() as f64
            );
        }
        println!();
    }
    for o in [
        Outcome::UnaffiliatedArmed,
        Outcome::Casualties,
        Outcome::FightersOutsideStateControlShare,
    ] {
        print!("{:24.23}", format!("median {}", o.name()));
        for slot in 0..coas.len() {
            let mut v: Vec<f64> = keep
                .0
                .iter()
                .filter(|r| r.experiment.coa_slot == slot)
                .map(|r| r.end.get(o))
                .collect();
            v.sort_by(f64::total_cmp);
            print!("{:>14.3}", v[v.len() / 2]);
        }
        println!();
    }
    println!("\nintegrated/dissolved share at the end");
    for (g, id) in s.ids.groups.iter().enumerate() {
        if s.world.groups[g].role != patronfall_model::GroupRole::Faction {
            continue;
        }
        print!("{id:24.23}");
        for slot in 0..coas.len() {
            let rows: Vec<&Row> = keep
                .0
                .iter()
                .filter(|r| r.experiment.coa_slot == slot)
                .collect();
            let i = rows
                .iter()
                .filter(|r| r.stances[g] == Some(Stance::Integrated))
                .count() as f64
                / rows.len() as f64;
            let d = rows
                .iter()
                .filter(|r| r.stances[g] == Some(Stance::Dissolved))
                .count() as f64
                / rows.len() as f64;
            print!("{:>14}", format!("{i:.2}/{d:.2}"));
        }
        println!();
    }
}
