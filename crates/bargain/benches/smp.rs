//! Criterion benchmarks of full SMP runs on KTAB's 7-actor (3 dimensions)
//! and 160-actor (1 dimension) inputs, and of the one-issue `predict` path
//! with 16 stakeholders, the size the simulation calls every few days.

use criterion::{Criterion, criterion_group, criterion_main};
use patronfall_bargain::read::csv;
use patronfall_bargain::{RunOptions, SmpParams, Stakeholder, predict, run};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/ktab/");

fn load(name: &str) -> patronfall_bargain::Scenario {
    let text = std::fs::read_to_string(format!("{FIXTURES}{name}")).expect("fixture");
    csv::parse(&text, name).expect("valid fixture")
}

fn benches(c: &mut Criterion) {
    let s7 = load("dummyData_3Dim.csv");
    c.bench_function("smp_dummyData_3Dim_7_actors", |b| {
        b.iter(|| run(&s7, &s7.params, 0, RunOptions::default()))
    });
    let s160 = load("dummyData-a160.csv");
    // The 160-actor file is too slow for a debug-mode test (about 8 s), so
    // its convergence check lives here, in release mode.
    let check = run(&s160, &s160.params, 0, RunOptions::default());
    assert_eq!(
        check.stop,
        patronfall_bargain::smp::run::StopReason::Converged,
        "dummyData-a160 must converge"
    );
    assert!(
        check
            .steps
            .last()
            .expect("at least one turn")
            .fractional_change
            < 0.02
    );
    let mut group = c.benchmark_group("large");
    group.sample_size(10);
    group.bench_function("smp_dummyData_a160_160_actors", |b| {
        b.iter(|| run(&s160, &s160.params, 0, RunOptions::default()))
    });
    group.finish();
    let sixteen: Vec<Stakeholder> = (0..16)
        .map(|i| Stakeholder {
            capability: 5.0 + ((i * 37) % 50) as f64,
            position: ((i * 61) % 101) as f64,
            salience: 20.0 + ((i * 13) % 70) as f64,
        })
        .collect();
    c.bench_function("predict_1d_16_stakeholders", |b| {
        b.iter(|| predict(&sixteen, &SmpParams::default(), 1).expect("valid"))
    });
}

criterion_group!(smp, benches);
criterion_main!(smp);
