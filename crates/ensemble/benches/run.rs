//! One run of the built-in scenario, 365 days, on one core: the brief's
//! "a few milliseconds" target (§9), for each course of action, with and
//! without the bargaining rounds of M8.

use criterion::{Criterion, criterion_group, criterion_main};
use patronfall_model::{CoaId, Quiet, RunSpec, World, run};
use patronfall_scenario::Scenario;
use std::hint::black_box;

fn bench_runs(c: &mut Criterion, group: &str, s: &Scenario, world: &World) {
    let mut group = c.benchmark_group(group);
    for (i, name) in s.ids.coas.iter().enumerate() {
        group.bench_function(name.as_str(), |b| {
            let mut seed = 0;
            b.iter(|| {
                seed += 1;
                black_box(run(
                    RunSpec {
                        world,
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

fn runs(c: &mut Criterion) {
    let s = patronfall_scenario::open("iraq-after-tehran").expect("the built-in scenario is valid");
    bench_runs(c, "run_365_days", &s, &s.world);
    // The same runs without the bargaining rounds (M8), to show their share.
    let mut without = s.world.clone();
    without.issues.clear();
    bench_runs(c, "run_365_days_without_bargaining", &s, &without);
}

criterion_group!(benches, runs);
criterion_main!(benches);
