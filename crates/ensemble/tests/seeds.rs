//! The seeds' judgements as calibration targets (issue 22, item 8): the
//! built-in Iraq scenario, 1,000 Latin-hypercube samples per course of action
//! and shock with common random numbers, each judgement checked on paired
//! runs. Targets the model does not meet today are listed in [`NOT_YET`]
//! with the reason (docs/model.md, "The seeds' judgements"); when a change
//! makes one hold, this test fails until it is moved out of the list.

mod common;

use common::{Ensemble, paired};
use patronfall_model::{LeverKind, Outcome, Stance};

const RUNS: usize = 1000;

/// Judgements the model does not reproduce today, with the reason.
const NOT_YET: &[(&str, &str)] = &[
    (
        "passive_holds_the_stick_after_the_collapse",
        "after the abrupt collapse a passive government meets civil strife or the spillover in about four runs of five: both futures are set by thresholds (15% of a community active, 2,500 armed newcomers) that are analyst's guesses, not ranges (issue 22 item 6)",
    ),
    (
        "precise_force_costs_less",
        "force against KH and Nujaba alone kills about 4,700 fewer people than force against every holdout, but ends with legitimacy lower by about 0.003: the holdouts left armed weigh on legitimacy (M6) about as much as the casualties spared",
    ),
    (
        "a_faster_response_lowers_peak_unrest",
        "unrest peaks in the first weeks of the collapse, driven by the alignment shock and the clerics' guidance (M6), before the government's settings take effect; doubling the decision delay moves the peak by about 0.0001",
    ),
];

struct Verdict {
    name: &'static str,
    holds: bool,
    detail: String,
}

#[test]
fn the_seeds_judgements_hold_or_are_named() {
    let collapse = Ensemble::new("abrupt_collapse", RUNS);
    let pullback = Ensemble::new("gradual_pullback", RUNS);
    let calm = Ensemble::new("no_shock", RUNS);
    let mut v = Vec::new();

    // Under passive, holding the stick is the likeliest future after both shocks.
    for (name, e) in [
        ("passive_holds_the_stick_after_the_collapse", &collapse),
        ("passive_holds_the_stick_after_the_pullback", &pullback),
    ] {
        let stick = e.future("passive", "holding_the_stick");
        let others = [
            "civil_strife",
            "spillover_crisis",
            "sovereign_consolidation",
            "government_falls",
        ]
        .map(|f| e.future("passive", f));
        v.push(Verdict {
            name,
            holds: others.iter().all(|&o| stick > o),
            detail: format!("holding the stick {stick:.2}, others {others:?}"),
        });
    }
    // Spillover is likelier after the abrupt collapse than after the pullback.
    let (d, lo, _) = paired(
        &collapse.reached("passive", "spillover_crisis"),
        &pullback.reached("passive", "spillover_crisis"),
    );
    v.push(Verdict {
        name: "spillover_likelier_after_the_collapse",
        holds: lo > 0.0,
        detail: format!("paired difference {d:.2} (lower bound {lo:.2})"),
    });
    // Consolidation is a long shot: below half for every course of action.
    for (name, e) in [
        ("consolidation_is_a_long_shot_after_the_collapse", &collapse),
        ("consolidation_is_a_long_shot_after_the_pullback", &pullback),
    ] {
        let most =
            e.s.ids
                .coas
                .iter()
                .map(|c| e.future(c, "sovereign_consolidation"))
                .fold(0.0, f64::max);
        v.push(Verdict {
            name,
            holds: most < 0.5,
            detail: format!("highest share {most:.2}"),
        });
    }
    // ... but clearly likelier with partners than passive or decisive alone.
    let with = collapse.reached("decisive_with_partners", "sovereign_consolidation");
    let (d1, lo1, _) = paired(
        &with,
        &collapse.reached("passive", "sovereign_consolidation"),
    );
    let (d2, lo2, _) = paired(
        &with,
        &collapse.reached("decisive", "sovereign_consolidation"),
    );
    v.push(Verdict {
        name: "partners_make_consolidation_likelier",
        holds: lo1 > 0.0 && lo2 > 0.0,
        detail: format!(
            "over passive {d1:.2} (lower {lo1:.2}), over decisive {d2:.2} (lower {lo2:.2})"
        ),
    });
    // Tehran's fall opens the door.
    let (d, lo, _) = paired(
        &with,
        &calm.reached("decisive_with_partners", "sovereign_consolidation"),
    );
    v.push(Verdict {
        name: "tehrans_fall_opens_the_door",
        holds: lo > 0.0,
        detail: format!("after the collapse minus no shock {d:.2} (lower {lo:.2})"),
    });
    // Most factions integrate under negotiate; KH and Nujaba need force.
    let hardliners = ["kh", "nujaba"];
    let others: Vec<&String> = collapse
        .s
        .ids
        .groups
        .iter()
        .enumerate()
        .filter(|&(g, id)| {
            collapse.s.world.groups[g].role == patronfall_model::GroupRole::Faction
                && collapse.s.world.groups[g].fighters > 0.0
                && !hardliners.contains(&id.as_str())
        })
        .map(|(_, id)| id)
        .collect();
    let integrated = others
        .iter()
        .map(|g| collapse.stance_share("negotiate", g, Stance::Integrated))
        .sum::<f64>()
        / others.len() as f64;
    let hard = hardliners.map(|g| collapse.stance_share("negotiate", g, Stance::Integrated));
    v.push(Verdict {
        name: "most_factions_integrate_under_negotiate",
        holds: integrated > 0.5,
        detail: format!("mean share of the other factions integrated {integrated:.2}"),
    });
    v.push(Verdict {
        name: "kh_and_nujaba_need_force",
        holds: hard.iter().all(|&h| h <= 0.2),
        detail: format!("integrated under negotiate: {hard:?}"),
    });
    // Precise force (KH and Nujaba only) costs fewer casualties and less
    // legitimacy than force against every holdout.
    let mut s = collapse.s.clone();
    let targets = ["kh", "nujaba"].map(|id| {
        patronfall_model::GroupId::at(s.ids.groups.iter().position(|g| g == id).unwrap())
    });
    let lever = s
        .ids
        .levers
        .iter()
        .position(|l| l == "force_holdouts")
        .unwrap();
    s.world.levers[lever].kind = LeverKind::Force {
        targets: targets.to_vec(),
    };
    let precise = Ensemble::of(s, "abrupt_collapse", RUNS);
    let casualties = |e: &Ensemble| e.per_sample("decisive", |r| r.end.get(Outcome::Casualties));
    let legitimacy = |e: &Ensemble| e.per_sample("decisive", |r| r.end.get(Outcome::Legitimacy));
    let (dc, _, hc) = paired(&casualties(&precise), &casualties(&collapse));
    let (dl, ll, _) = paired(&legitimacy(&precise), &legitimacy(&collapse));
    v.push(Verdict {
        name: "precise_force_costs_less",
        holds: hc < 0.0 && ll > 0.0,
        detail: format!("precise minus indiscriminate: casualties {dc:.0} (upper {hc:.0}), legitimacy {dl:.3} (lower {ll:.3})"),
    });
    // A faster government response lowers peak unrest.
    let mut s = collapse.s.clone();
    s.world.params.decision_delay *= 2.0;
    let slow = Ensemble::of(s, "abrupt_collapse", RUNS);
    let peak = |e: &Ensemble| -> Vec<f64> {
        [
            "border_first",
            "negotiate",
            "decisive",
            "decisive_with_partners",
        ]
        .iter()
        .flat_map(|c| e.per_sample(c, |r| r.max.get(Outcome::ActiveShare)))
        .collect()
    };
    let (dp, lp, _) = paired(&peak(&slow), &peak(&collapse));
    v.push(Verdict {
        name: "a_faster_response_lowers_peak_unrest",
        holds: lp > 0.0,
        detail: format!(
            "twice the decision delay minus the default: peak active share {dp:.4} (lower {lp:.4})"
        ),
    });

    let mut failures = Vec::new();
    for t in &v {
        eprintln!(
            "{}: {} ({})",
            t.name,
            if t.holds { "holds" } else { "does not hold" },
            t.detail
        );
        match NOT_YET.iter().find(|(n, _)| *n == t.name) {
            Some((_, why)) if t.holds => failures.push(format!(
                "{} now holds ({}); it was listed because {why}: move it out of NOT_YET",
                t.name, t.detail
            )),
            None if !t.holds => failures.push(format!("{} does not hold: {}", t.name, t.detail)),
            _ => {}
        }
    }
    for (n, _) in NOT_YET {
        assert!(v.iter().any(|t| t.name == *n), "{n} is not checked");
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
