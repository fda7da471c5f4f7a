//! The invariants of brief §5, checked on a state: people are conserved
//! across their stocks, shares and probabilities stay in [0, 1], detention
//! holds no more than its capacity, nothing is NaN; and one of the model's
//! own: the policy the mechanisms read was derived from the levers in force,
//! and the desertion equilibrium M3 reuses is the one its inputs give.
//! Tests run them every day of many runs; they are not on the hot path.

use crate::state::State;
use crate::world::World;

/// Every invariant that fails on this state, as sentences (empty when all hold).
pub fn violations(world: &World, state: &State) -> Vec<String> {
    let mut out = Vec::new();
    let expected = world.tracked_people();
    let found = state.tracked_people();
    if (expected - found).abs() > 1e-6 * expected.max(1.0) {
        out.push(format!(
            "people not conserved: {found} tracked, {expected} expected"
        ));
    }
    if state.government.policy_for.as_ref() != Some(&state.government.levers) {
        out.push(
            "a lever moved without the policy being derived again (policy::refresh_policy)"
                .to_string(),
        );
    }
    let detained = state.detained();
    if detained > world.host.detention_capacity.max(0.0) + 1e-6 {
        out.push(format!(
            "{detained} people detained, more than the detention capacity {}",
            world.host.detention_capacity
        ));
    }
    let unit = |what: String, v: f64, out: &mut Vec<String>| {
        if !(0.0..=1.0).contains(&v) || v.is_nan() {
            out.push(format!("{what} = {v} is outside [0, 1]"));
        }
    };
    for (i, p) in state.patrons.iter().enumerate() {
        unit(format!("patron {i} capacity"), p.capacity, &mut out);
        unit(
            format!("patron {i} collapse progress"),
            p.collapse_progress,
            &mut out,
        );
        unit(format!("patron {i} cut"), p.cut, &mut out);
        for q in &p.pools {
            for &v in [q.staying, q.leavers, q.detained, q.departed]
                .iter()
                .chain(&q.unaffiliated)
            {
                if v < -1e-9 || v.is_nan() {
                    out.push(format!("patron {i} has a negative pool stock {v}"));
                }
            }
        }
    }
    for (i, (g, group)) in state.groups.iter().zip(&world.groups).enumerate() {
        if let Some((start, pressure, seen, r_star)) = g.desertion_memo {
            let again = crate::mechanisms::loyalty::cascade_equilibrium(
                start,
                pressure,
                seen,
                group.threshold_mean,
                group.threshold_sd,
            );
            if again.to_bits() != r_star.to_bits() {
                out.push(format!(
                    "group {i} keeps desertion equilibrium {r_star} for inputs that give {again}"
                ));
            }
        }
        unit(format!("group {i} morale"), g.morale, &mut out);
        unit(format!("group {i} pay rate"), g.pay_rate, &mut out);
        unit(
            format!("group {i} desertion share"),
            g.desertion_share,
            &mut out,
        );
        for (k, a) in g.allegiance.iter().enumerate() {
            unit(format!("group {i} allegiance {k}"), *a, &mut out);
        }
        let sum: f64 = g.allegiance.iter().sum();
        if (sum - 1.0).abs() > 1e-9 {
            out.push(format!("group {i} allegiance sums to {sum}"));
        }
        for v in [
            g.active,
            g.deserted,
            g.killed,
            g.detained,
            g.integrated,
            g.abroad,
            g.effective,
            g.arrears,
        ] {
            if v < -1e-9 || v.is_nan() {
                out.push(format!("group {i} has a negative or NaN stock {v}"));
            }
        }
    }
    for (i, c) in state.communities.iter().enumerate() {
        unit(format!("community {i} active share"), c.active, &mut out);
        unit(format!("community {i} legitimacy"), c.legitimacy, &mut out);
        unit(format!("community {i} hardship"), c.hardship, &mut out);
    }
    for (i, s) in state.segments.iter().enumerate() {
        unit(
            format!("segment {i} interdiction probability"),
            s.p_informal,
            &mut out,
        );
        if s.crossers_today < 0.0 || s.interdicted_today < 0.0 {
            out.push(format!("segment {i} has negative crossings"));
        }
    }
    out
}
