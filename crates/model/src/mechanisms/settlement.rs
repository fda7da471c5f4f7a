//! M8 Political settlement: stakeholders bargain over the scenario's issues,
//! and the predicted position can set delegated levers.
//!
//! Rule (brief §4 M8): every `every_days` days each issue is bargained with
//! KTAB's Spatial Model of Politics (the `patronfall-bargain` crate, the
//! issue's parameters, one dimension on the issue's 0..100 scale). Stakeholders'
//! capabilities follow the simulation:
//! - a patron's capability scales with its capacity c(t);
//! - a bloc's with the mean capacity of the patrons when it is aligned with
//!   them, `cap · (1 − alignment · (1 − c̄))`, so patron-aligned blocs weaken
//!   as the patron does;
//! - an outside power's with its presence, `cap · ((1 − s) + s · presence/presence_0)`,
//!   s = `settlement.presence_capability` (0.5);
//! - an armed group's with its effective strength, `cap · E/E_0`.
//!
//! Capabilities are floored at a millionth of their base so a vanished
//! stakeholder still has a (negligible) voice. The predicted position is the
//! probability-weighted mean of the final positions. When the course of
//! action delegates the issue (`delegate = [...]` in the scenario), each
//! delegated lever takes `low + (high − low) · position / 100`; otherwise the
//! round is a forecast, narrated only. Each round draws one seed from the
//! settlement stream, used only by stochastic SMP variants.
//!
//! A round on an issue the course of action does not delegate is a forecast
//! for the narrative only, so it is computed only when the observer keeps
//! the log (`patronfall run`, the report's representative runs); the
//! ensemble's fast path skips it, with the same results.
//!
//! A round reuses the last computed round's prediction while less than
//! `settlement.recompute_tolerance` (5%) of the total capability has changed
//! hands since then: the total variation distance ½ Σ |s_i − s'_i| between
//! the capability shares s (votes and victory probabilities depend on
//! capabilities only through their ratios). Why a shift and not each
//! stakeholder's own change: the spatial model's prediction is not smooth in
//! capabilities. Moving 0.01–0.1% of the capability already moves it by
//! about 3 points on the 0..100 scale (a bargain taken or not at some turn),
//! while its systematic response is slow (about 5.6 points for shifts of
//! 3–10%); a small stakeholder doubling its tiny share is noise to the
//! outcome but would trigger a round under a per-stakeholder rule. The
//! patron's collapse still triggers rounds: in the Iraq scenario Iran alone
//! holds about a tenth of the capability, and the aligned blocs lose theirs
//! with it (docs/model.md, M8, has the measurements).

use crate::ids::*;
use crate::mechanisms::{Ctx, government, policy};
use crate::observer::{Narrator, Topic};
use crate::rng::Draws;
use crate::state::State;
use patronfall_bargain::{Stakeholder as SmpStakeholder, predict};

/// The bargaining model's scale: an issue's positions run over 0..100, and
/// saliences in [0, 1] are put on it (KTAB's convention).
const SCALE: f64 = 100.0;

/// A stakeholder's capability today given the simulation state.
pub fn capability(cx: &Ctx, state: &State, actor: ActorRef, base: f64) -> f64 {
    let c = match actor {
        ActorRef::Patron(p) => base * state.patrons[p.index()].capacity,
        ActorRef::Bloc(b) => {
            base * (1.0
                - cx.world.blocs[b.index()].patron_alignment
                    * (1.0 - government::mean_capacity(state)))
        }
        ActorRef::Outside(o) => {
            let start = cx.world.outside[o.index()].presence;
            if start > 0.0 {
                let s = cx.p.presence_capability;
                base * ((1.0 - s) + s * state.outside[o.index()].presence / start)
            } else {
                base
            }
        }
        ActorRef::Group(g) => {
            let gs = &state.groups[g.index()];
            if gs.effective_start > 0.0 {
                base * gs.effective / gs.effective_start
            } else {
                base
            }
        }
        _ => base,
    };
    c.max(base * 1e-6)
}

/// The share of total capability that changed hands between two rounds:
/// the total variation distance ½ Σ |a_i − b_i| between capability shares
/// (0 when nothing moved, 1 when the capability moved entirely to other
/// stakeholders).
pub fn capability_shift(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f64>() / 2.0
}

/// Runs the bargaining rounds due today.
pub fn step(cx: &Ctx, state: &mut State, draws: &mut Draws, narr: &mut Narrator) {
    for (k, issue) in cx.world.issues.iter().enumerate() {
        if issue.every_days == 0 || !cx.day.is_multiple_of(issue.every_days) {
            continue;
        }
        let seed = (draws.uniform() * u64::MAX as f64) as u64;
        let delegated = cx.coa.delegated.contains(&k);
        // A forecast nobody reads changes nothing: skip it (the seed above
        // is still drawn, so the settlement stream stays aligned).
        if !delegated && !narr.wants() {
            continue;
        }
        let stakeholders: Vec<SmpStakeholder> = issue
            .stakeholders
            .iter()
            .map(|s| SmpStakeholder {
                capability: capability(cx, state, s.actor, s.capability),
                position: s.position,
                salience: (s.salience * SCALE).max(1e-6),
            })
            .collect();
        // Shares of total capability: the spatial model's votes and victory
        // probabilities depend on capabilities only through their ratios.
        let total: f64 = stakeholders.iter().map(|s| s.capability).sum();
        let caps: Vec<f64> = stakeholders.iter().map(|s| s.capability / total).collect();
        let reuse = state.settlements[k]
            .as_ref()
            .filter(|(last, _, _)| capability_shift(last, &caps) <= cx.p.recompute_tolerance);
        let (position, turns) = match reuse {
            Some((_, position, turns)) => (*position, *turns),
            None => match predict(&stakeholders, &issue.smp, seed) {
                Ok(p) => {
                    state.settlements[k] = Some((caps, p.position, p.turns));
                    (p.position, p.turns)
                }
                Err(why) => {
                    narr.say(
                        Topic::Settlement,
                        2,
                        || format!("no bargaining round on {}: {why}", issue.name),
                        &[],
                    );
                    continue;
                }
            },
        };
        if delegated {
            for &(lever, low, high) in &issue.delegates {
                state.government.levers[lever.index()] = low + (high - low) * position / SCALE;
            }
            policy::refresh_policy(cx, state);
        }
        narr.say(
            Topic::Settlement,
            2,
            || {
                format!(
                    "bargaining round on {}: predicted position {position:.1} after {} turns{}",
                    issue.name,
                    turns,
                    if delegated {
                        " (sets the delegated levers)"
                    } else {
                        " (a forecast: this course of action does not delegate it)"
                    }
                )
            },
            &[("position", position), ("turns", turns as f64)],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::capability_shift;

    #[test]
    fn shift_is_the_share_of_capability_that_changed_hands() {
        let a = [0.5, 0.3, 0.2];
        assert_eq!(capability_shift(&a, &a), 0.0);
        // A tenth moves from the first stakeholder to the third.
        let b = [0.4, 0.3, 0.3];
        assert!((capability_shift(&a, &b) - 0.1).abs() < 1e-12);
        // Everything moves to stakeholders that had nothing.
        assert!((capability_shift(&[1.0, 0.0], &[0.0, 1.0]) - 1.0).abs() < 1e-12);
        // A small stakeholder doubling its share is a small shift.
        let c = [0.99, 0.01];
        let d = [0.98, 0.02];
        assert!((capability_shift(&c, &d) - 0.01).abs() < 1e-12);
    }
}
