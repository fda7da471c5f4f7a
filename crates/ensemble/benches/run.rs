//! One run of the built-in scenario, 365 days, on one core: the brief's
//! "a few milliseconds" target (§9), for each course of action, with and
//! without the bargaining rounds of M8.

use criterion::{Criterion, criterion_group, criterion_main};
use patronfall_model::{CoaId, Quiet, RunSpec, run};
use std::hint::black_box;

fn one_run(c: &mut Criterion) {
    let s = patronfall_scenario::open("iraq-after-tehran").expect("the built-in scenario is valid");
    let mut group = c.benchmark_group("run_365_days");
    for (i, name) in s.ids.coas.iter().enumerate() {
        group.bench_function(name.as_str(), |b| {
            let mut seed = 0;
            b.iter(|| {
                seed += 1;
                black_box(run(
                    RunSpec {
                        world: &s.world,
                        coa: CoaId::at(i),
                        shock: s.default_shock,
                        days: 365,
                        seed,
                    },
                    &mut Quiet,
                ))
            })
        });
    }
    group.finish();
    // The same runs without the bargaining rounds (M8), to show their share.
    let mut without = s.world.clone();
    without.issues.clear();
    let mut group = c.benchmark_group("run_365_days_without_bargaining");
    for (i, name) in s.ids.coas.iter().enumerate() {
        group.bench_function(name.as_str(), |b| {
            let mut seed = 0;
            b.iter(|| {
                seed += 1;
                black_box(run(
                    RunSpec {
                        world: &without,
                        coa: CoaId::at(i),
                        shock: s.default_shock,
                        days: 365,
                        seed,
                    },
                    &mut Quiet,
                ))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, one_run);
criterion_main!(benches);
