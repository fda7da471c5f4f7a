//! Epstein's (2002) published qualitative results, measured over a few seeds.
//!
//! Each test states the result, measures a statistic on short runs of the
//! 40×40 world and asserts a margin that a model without the mechanism would
//! miss (the contrasts run the same seeds with the mechanism switched off).
//! Margins were set from release-build runs over more seeds than used here;
//! see docs/epstein.md for the numbers.

use patronfall_epstein::{
    CitizenState, CopPath, Grid, LegitimacyPath, Params, Plan, Ratio, grievance, outbursts, series,
};

const SEEDS: [u64; 3] = [1, 2, 3];

fn actives(params: Params, seed: u64, plan: &Plan) -> Vec<u32> {
    series(params, seed, plan)
        .expect("valid run")
        .iter()
        .map(|r| r.counts.active)
        .collect()
}

fn peak_after(a: &[u32], from: usize) -> u32 {
    a[from..].iter().copied().max().unwrap_or(0)
}

fn mean(xs: &[u32]) -> f64 {
    xs.iter().map(|&x| f64::from(x)).sum::<f64>() / xs.len() as f64
}

/// Result 1, deceptive behaviour: aggrieved citizens are active where no cop
/// sees them and quiet where cops are near, with the same private grievance.
/// Vision 3 (NetLogo's Info tab: easier to see with a shorter vision), so
/// that views with no cop are common.
#[test]
fn citizens_stay_quiet_near_cops_and_turn_active_away_from_them() {
    let params = Params {
        citizen_vision: 3.0,
        cop_vision: 3.0,
        ..Params::netlogo()
    };
    // [no cop in view, two or more cops in view] × [active, all].
    let mut tally = [[0u64; 2]; 2];
    for seed in SEEDS {
        let mut g = Grid::new(params, seed).unwrap();
        for step in 0..120 {
            g.step();
            if step < 10 || step % 5 != 0 {
                continue;
            }
            for i in 0..g.citizen_count() as usize {
                let c = g.citizen(i).unwrap();
                if c.state == CitizenState::Jailed
                    || grievance(c.hardship, g.legitimacy()) <= params.threshold
                {
                    continue;
                }
                let bucket = match g.cops_in_view(i).unwrap() {
                    0 => 0,
                    1 => continue,
                    _ => 1,
                };
                tally[bucket][1] += 1;
                if c.state == CitizenState::Active {
                    tally[bucket][0] += 1;
                }
            }
        }
    }
    let away = tally[0][0] as f64 / tally[0][1] as f64;
    let near = tally[1][0] as f64 / tally[1][1] as f64;
    eprintln!("active share: no cop in view {away:.3}, ≥2 cops {near:.3} ({tally:?})");
    assert!(
        tally[0][1] > 1000 && tally[1][1] > 1000,
        "too few observations"
    );
    assert!(
        away > 0.5,
        "aggrieved citizens out of cops' sight should mostly rebel: {away}"
    );
    assert!(
        near < away / 2.5,
        "cops in view should quiet them: {near} vs {away}"
    );
}

/// Result 2, punctuated equilibrium: with NetLogo's defaults long quiet
/// spells are broken by outbursts; with the paper's unrounded ratio the
/// series does not settle back to quiet (NetLogo Info tab).
#[test]
fn netlogo_defaults_show_punctuated_equilibrium() {
    let params = Params::netlogo();
    let plan = Plan::constant(&params, 300);
    for seed in SEEDS {
        let a = actives(params, seed, &plan);
        let o = outbursts(&a[20..], 50, 5);
        let quiet = a[20..].iter().filter(|&&x| x <= 5).count() as f64 / (a.len() - 20) as f64;
        eprintln!(
            "seed {seed}: {} outbursts, peak {}, waits {:?}, quiet share {quiet:.2}",
            o.count, o.peak, o.waits
        );
        assert!(o.count >= 3, "seed {seed}: {} outbursts", o.count);
        assert!(o.peak >= 100, "seed {seed}: peak {}", o.peak);
        assert!(quiet >= 0.4, "seed {seed}: quiet share {quiet}");
        assert!(
            o.waits.iter().any(|&w| w >= 10),
            "seed {seed}: no long quiet spell"
        );
    }
}

/// Result 3: legitimacy 0.9 → 0.7 at once tips into a massive outburst; the
/// same drop spread over 150 steps does not, because cops jail the few who
/// turn active along the way. Shown with long jail terms (Jmax = 1000, as
/// in Mesa's class defaults); with Jmax = 30 the contrast is weaker
/// (docs/epstein.md).
#[test]
fn sudden_legitimacy_drop_tips_where_gradual_drop_does_not() {
    let sudden = LegitimacyPath::Sudden {
        before: 0.9,
        after: 0.7,
        at: 50,
    };
    let gradual = LegitimacyPath::Gradual {
        from: 0.9,
        to: 0.7,
        start: 50,
        over: 150,
    };
    for (name, base, factor) in [
        ("mesa", Params::mesa_app(), 5.0),
        ("netlogo", Params::netlogo(), 2.0),
    ] {
        let params = Params {
            legitimacy: 0.9,
            max_jail_term: 1000,
            ..base
        };
        let mut peaks = [Vec::new(), Vec::new()];
        for seed in SEEDS {
            for (k, path) in [sudden, gradual].into_iter().enumerate() {
                let plan = Plan {
                    steps: 200,
                    legitimacy: path,
                    cops: CopPath::unchanged(),
                };
                peaks[k].push(peak_after(&actives(params, seed, &plan), 50));
            }
        }
        eprintln!(
            "{name}: sudden peaks {:?}, gradual peaks {:?}",
            peaks[0], peaks[1]
        );
        assert!(
            mean(&peaks[0]) > factor * mean(&peaks[1]),
            "{name}: sudden {:?} vs gradual {:?}",
            peaks[0],
            peaks[1]
        );
        assert!(
            peaks[0].iter().all(|&p| p >= 300),
            "{name}: sudden drop did not tip"
        );
    }
}

/// Result 4: removing cops past a threshold produces outbursts: at
/// L = 0.88 the first quarter of the cops removed changes little, removing
/// half releases large outbursts.
#[test]
fn removing_cops_past_a_threshold_produces_outbursts() {
    let params = Params {
        legitimacy: 0.88,
        ..Params::netlogo()
    };
    let mut peaks: [Vec<u32>; 3] = Default::default();
    for seed in SEEDS {
        for (k, cops) in [64u32, 48, 32].into_iter().enumerate() {
            let plan = Plan {
                steps: 150,
                legitimacy: LegitimacyPath::Constant(params.legitimacy),
                cops: CopPath::new(vec![(50, cops)]),
            };
            peaks[k].push(peak_after(&actives(params, seed, &plan), 50));
        }
    }
    let [all, three_quarters, half] = [&peaks[0], &peaks[1], &peaks[2]].map(|p| mean(p));
    eprintln!(
        "peaks: 64 cops {:?}, 48 {:?}, 32 {:?}",
        peaks[0], peaks[1], peaks[2]
    );
    assert!(half > 3.0 * all, "halving the cops: {half} vs {all}");
    assert!(
        half - three_quarters > 2.0 * (three_quarters - all),
        "no threshold: 64→48 adds {}, 48→32 adds {}",
        three_quarters - all,
        half - three_quarters
    );
}

/// The floor in P is what makes the equilibrium punctuated (NetLogo Info
/// tab): with the paper's unrounded C/A the same seeds stay in one regime.
#[test]
fn unrounded_ratio_removes_the_punctuation() {
    let mut params = Params::netlogo();
    params.variant.ratio = Ratio::Exact;
    let plan = Plan::constant(&params, 300);
    let mut counts = Vec::new();
    for seed in SEEDS {
        let a = actives(params, seed, &plan);
        counts.push(outbursts(&a[20..], 50, 5).count);
    }
    eprintln!("outbursts with C/A unrounded: {counts:?}");
    assert!(counts.iter().all(|&c| c <= 1), "{counts:?}");
}
