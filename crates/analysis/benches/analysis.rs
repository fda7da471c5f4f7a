//! Benchmarks of the heavy analyses at ensemble scale: PRIM on 50,000 runs ×
//! 20 uncertainties, and Sobol indices (with 100 bootstrap resamples) on a
//! Saltelli design of 10,000 base rows × 20 parameters (220,000 outputs).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use patronfall_analysis::design::{monte_carlo, saltelli};
use patronfall_analysis::prim::{Column, PrimData, PrimOptions, find_box};
use patronfall_analysis::sensitivity::{SobolOptions, sobol_indices};

/// 50,000 × 20 uniform table with a planted box on x0 and x1 and 5% label noise.
fn prim_data() -> PrimData {
    let (n, k) = (50_000, 20);
    let x = monte_carlo(n, k + 1, 17).expect("valid shape");
    let y: Vec<bool> = x
        .iter_rows()
        .map(|r| {
            let inside = (0.2..=0.5).contains(&r[0]) && r[1] >= 0.6;
            inside != (r[k] < 0.05)
        })
        .collect();
    let columns = (0..k)
        .map(|j| Column::continuous(&format!("x{j}"), x.column(j)))
        .collect();
    PrimData::new(columns, y).expect("valid table")
}

/// Sobol' G-function (Saltelli et al. 2010, eq. 30) with a_i = i, a cheap
/// stand-in for model outputs.
fn g_function(x: &[f64]) -> f64 {
    x.iter()
        .enumerate()
        .map(|(i, v)| ((4.0 * v - 2.0).abs() + i as f64) / (1.0 + i as f64))
        .product()
}

fn bench_prim(c: &mut Criterion) {
    let data = prim_data();
    let mut group = c.benchmark_group("prim");
    group.sample_size(10);
    group.bench_function("find_box 50k x 20", |b| {
        b.iter(|| find_box(black_box(&data), &PrimOptions::default()).expect("runs"))
    });
    group.finish();
}

fn bench_sobol(c: &mut Criterion) {
    let design = saltelli(10_000, 20, 3).expect("valid design");
    let y: Vec<f64> = design.stacked().iter_rows().map(g_function).collect();
    let mut group = c.benchmark_group("sobol");
    group.sample_size(10);
    group.bench_function("saltelli design 10k x 20", |b| {
        b.iter(|| saltelli(black_box(10_000), 20, 3).expect("valid design"))
    });
    group.bench_function("indices 10k x 20, 100 bootstrap", |b| {
        b.iter(|| sobol_indices(20, black_box(&y), &SobolOptions::default()).expect("runs"))
    });
    group.finish();
}

criterion_group!(benches, bench_prim, bench_sobol);
criterion_main!(benches);
