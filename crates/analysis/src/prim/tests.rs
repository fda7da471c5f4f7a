//! Validation of PRIM on synthetic data with planted boxes.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

/// 2000 uniform points in 5 dims; cases of interest inside
/// x0 ∈ [0.2, 0.5], x1 ∈ [0.6, 1]; each label flipped with probability 0.05.
fn planted(seed: u64) -> PrimData {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = 2000;
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); 5];
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let x: Vec<f64> = (0..5).map(|_| rng.random::<f64>()).collect();
        let inside = (0.2..=0.5).contains(&x[0]) && x[1] >= 0.6;
        let flip = rng.random::<f64>() < 0.05;
        y.push(inside != flip);
        for (c, v) in cols.iter_mut().zip(x) {
            c.push(v);
        }
    }
    let columns = cols
        .into_iter()
        .enumerate()
        .map(|(j, v)| Column::continuous(&format!("x{j}"), v))
        .collect();
    PrimData::new(columns, y).unwrap()
}

fn range(limit: &Limit) -> (f64, f64) {
    match limit {
        Limit::Range { lower, upper } => (*lower, *upper),
        Limit::Categories(_) => panic!("expected a range"),
    }
}

#[test]
fn finds_the_planted_box() {
    for seed in [1, 2, 3] {
        let data = planted(seed);
        let traj = find_box(&data, &PrimOptions::default()).unwrap();
        let first = &traj.steps[0];
        assert_eq!(
            (first.coverage, first.mass, first.restricted_dims),
            (1.0, 1.0, 0)
        );
        let i = traj.select_by_density(0.9).unwrap();
        let report = traj.inspect(&data, i).unwrap();
        let names: Vec<&str> = report
            .restrictions
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(names, ["x0", "x1"], "seed {seed}: {report:#?}");
        let (lo0, hi0) = range(&report.restrictions[0].limit);
        let (lo1, _) = range(&report.restrictions[1].limit);
        assert!((lo0 - 0.2).abs() < 0.05, "seed {seed}: x0 lower {lo0}");
        assert!((hi0 - 0.5).abs() < 0.05, "seed {seed}: x0 upper {hi0}");
        assert!((lo1 - 0.6).abs() < 0.05, "seed {seed}: x1 lower {lo1}");
        // x1's upper end is the data maximum: only its lower bound is restricted.
        let bounds: Vec<Bound> = report.restrictions[1].quasi_p.iter().map(|q| q.0).collect();
        assert_eq!(bounds, [Bound::Lower]);
        // With 5% symmetric noise, about 0.72 of the cases of interest lie in
        // the planted box (the rest are flipped labels outside it).
        assert!(
            report.coverage > 0.6,
            "seed {seed}: coverage {}",
            report.coverage
        );
        assert!(
            report.density > 0.85,
            "seed {seed}: density {}",
            report.density
        );
        for r in &report.restrictions {
            for (_, p) in &r.quasi_p {
                assert!(*p < 1e-6, "seed {seed}: {} quasi-p {p}", r.name);
            }
        }
    }
}

#[test]
fn trajectory_is_monotone_in_mass_while_peeling() {
    let data = planted(4);
    let traj = find_box(&data, &PrimOptions::default()).unwrap();
    let peels: Vec<&TrajectoryStep> = traj
        .steps
        .iter()
        .filter(|s| s.phase != Phase::Paste)
        .collect();
    for w in peels.windows(2) {
        assert!(w[1].mass < w[0].mass);
        assert!(w[1].coverage <= w[0].coverage);
    }
    let last = traj.steps.last().unwrap();
    assert!(last.mass >= 0.05 - 1e-12);
    // The trajectory's own counts agree with a recount of its limits.
    for s in &traj.steps {
        assert_eq!(data.count_in(&s.limits), (s.rows, s.hits));
    }
}

#[test]
fn finds_categorical_and_integer_restrictions() {
    // Cases of interest: category "b" and day ≥ 7 (days 0..=9).
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let n = 3000;
    let labels: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
    let (mut cat, mut day, mut noise, mut y) = (vec![], vec![], vec![], vec![]);
    for _ in 0..n {
        let c = rng.random_range(0..4usize);
        let d = rng.random_range(0..10i64);
        cat.push(c);
        day.push(d);
        noise.push(rng.random::<f64>());
        y.push(c == 1 && d >= 7);
    }
    let data = PrimData::new(
        vec![
            Column::categorical("stance", labels, cat),
            Column::discrete("day", day),
            Column::continuous("noise", noise),
        ],
        y,
    )
    .unwrap();
    let opts = PrimOptions {
        mass_min: 0.02,
        ..PrimOptions::default()
    };
    let traj = find_box(&data, &opts).unwrap();
    let i = traj.select_by_density(1.0).unwrap();
    let report = traj.inspect(&data, i).unwrap();
    assert_eq!(report.coverage, 1.0);
    let texts: Vec<&str> = report
        .restrictions
        .iter()
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(texts, ["stance in {b}", "day in [7, 9]"], "{report:#?}");
}

#[test]
fn options_and_selection_errors() {
    let data = planted(5);
    let bad = PrimOptions {
        peel_alpha: 0.0,
        ..PrimOptions::default()
    };
    assert!(find_box(&data, &bad).is_err());
    let bad = PrimOptions {
        mass_min: 1.0,
        ..PrimOptions::default()
    };
    assert!(find_box(&data, &bad).is_err());
    let traj = find_box(&data, &PrimOptions::default()).unwrap();
    assert!(traj.inspect(&data, traj.steps.len()).is_err());
    assert!(traj.select_by_density(1.5).is_err());
    assert_eq!(traj.select_by_density(0.0).unwrap(), 0);
}

#[test]
fn pasting_can_be_disabled_and_original_objective_runs() {
    let data = planted(6);
    let no_paste = PrimOptions {
        paste_alpha: 0.0,
        ..PrimOptions::default()
    };
    let t = find_box(&data, &no_paste).unwrap();
    assert!(t.steps.iter().all(|s| s.phase != Phase::Paste));
    let original = PrimOptions {
        objective: Objective::Original,
        ..PrimOptions::default()
    };
    let t = find_box(&data, &original).unwrap();
    // The original objective keeps peeling while the mean stays positive,
    // down to the minimum mass.
    let last_peel = t
        .steps
        .iter()
        .rev()
        .find(|s| s.phase == Phase::Peel)
        .unwrap();
    assert!(
        last_peel.mass < 0.05 / 0.95 + 1e-9,
        "mass {}",
        last_peel.mass
    );
}
