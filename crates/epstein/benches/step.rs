//! Cost of one Epstein tick: the 40×40 NetLogo-default world under both
//! variants, then growing grids at the same densities (100² to 1000²).
//!
//! Each iteration is one `Grid::step` on a world that has already run a
//! warm-up, so the state is in its typical regime rather than the start.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use patronfall_epstein::{Grid, Params};

fn warmed(params: Params, warmup: u32) -> Grid {
    let mut g = Grid::new(params, 7).expect("valid parameters");
    for _ in 0..warmup {
        g.step();
    }
    g
}

fn default_grid(c: &mut Criterion) {
    let mut group = c.benchmark_group("epstein_40x40");
    for (name, params) in [("netlogo", Params::netlogo()), ("mesa", Params::mesa_app())] {
        let mut g = warmed(params, 50);
        group.bench_function(BenchmarkId::new("step", name), |b| {
            b.iter(|| {
                g.step();
                black_box(g.counts())
            })
        });
    }
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("epstein_scaling");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    for side in [100u32, 200, 400, 1000] {
        for (name, base) in [("netlogo", Params::netlogo()), ("mesa", Params::mesa_app())] {
            let params = Params {
                width: side,
                height: side,
                ..base
            };
            let mut g = warmed(params, 10);
            group.bench_function(BenchmarkId::new(name, side), |b| {
                b.iter(|| {
                    g.step();
                    black_box(g.counts())
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, default_grid, scaling);
criterion_main!(benches);
