//! Events: scheduled and stochastic shocks applied at the start of a day.
//!
//! Rule (brief §3, Event): a scheduled event happens when `day = d`; a
//! stochastic one happens on the first day of its window with `u < q`, q its
//! daily probability and u the day's uniform number for it. An insurgent
//! offensive's q is raised while the state's reserve is tied down elsewhere:
//! `q · (1 + o · D)` (o = `contest.opportunism`, D the share of the reserve
//! held by the state's operations and other defences, M7).
//!
//! A scheduled event happens on its day. A stochastic event happens at most
//! once: on each day of its window one uniform number is drawn from the
//! events stream (whether or not it already happened, so draws stay aligned
//! across courses of action) and it happens on the first day the number falls
//! below its daily probability.

use crate::ids::*;
use crate::mechanisms::{Ctx, contest, loyalty};
use crate::observer::{Narrator, Topic};
use crate::rng::Draws;
use crate::state::{Regime, State, Trajectory};
use crate::world::{Event, EventKind, TieTarget};

/// Applies today's events; `events` is the run's list (world events, then the shock's).
pub fn step(
    cx: &Ctx,
    events: &[&Event],
    state: &mut State,
    draws: &mut Draws,
    narr: &mut Narrator,
) {
    for (i, event) in events.iter().enumerate() {
        let happens = match event.timing {
            crate::world::Timing::Day(d) => d == cx.day,
            crate::world::Timing::Hazard { per_day, from, to } => {
                if cx.day >= from && cx.day <= to {
                    let u = draws.uniform();
                    !state.events_done[i] && u < per_day * opportunity(cx, event, state)
                } else {
                    false
                }
            }
        };
        if happens && !state.events_done[i] {
            state.events_done[i] = true;
            apply(cx, event, state, narr);
        }
    }
}

/// The factor on a stochastic event's daily probability: for an insurgent
/// offensive, `1 + o · D`, D the share of the state's reserve tied down by
/// its own operations and the defence of other regions
/// ([`contest::distraction`]) and o = `contest.opportunism`: insurgents
/// strike when the state is busy elsewhere. 1 for every other event.
fn opportunity(cx: &Ctx, event: &Event, state: &State) -> f64 {
    match event.kind {
        EventKind::Offensive { .. } => 1.0 + cx.p.opportunism * contest::distraction(cx, state),
        _ => 1.0,
    }
}

/// Applies one event.
pub fn apply(cx: &Ctx, event: &Event, state: &mut State, narr: &mut Narrator) {
    let w = cx.world;
    match &event.kind {
        EventKind::Collapse {
            patron,
            duration_days,
            floor,
        } => {
            let ps = &mut state.patrons[patron.index()];
            ps.trajectory = Some(Trajectory {
                onset: cx.day,
                from: ps.capacity,
                floor: *floor,
                duration: *duration_days,
            });
            ps.regime = Regime::Collapsing;
            ps.fleeing = true;
            let name = &w.patrons[patron.index()].name;
            narr.say(
                Topic::Event,
                3,
                || format!("{}: {name}'s regime begins to collapse (capacity {:.2} → {floor:.2} over {duration_days:.0} days)", event.name, ps.capacity),
                &[("capacity", ps.capacity), ("floor", *floor), ("duration_days", *duration_days)],
            );
        }
        EventKind::Pullback {
            patron,
            duration_days,
            floor,
        } => {
            let ps = &mut state.patrons[patron.index()];
            ps.trajectory = Some(Trajectory {
                onset: cx.day,
                from: ps.capacity,
                floor: *floor,
                duration: *duration_days,
            });
            ps.regime = Regime::Strained;
            let name = &w.patrons[patron.index()].name;
            narr.say(
                Topic::Event,
                3,
                || format!("{}: {name} begins to pull back (capacity {:.2} → {floor:.2} over {duration_days:.0} days)", event.name, ps.capacity),
                &[("capacity", ps.capacity), ("floor", *floor)],
            );
        }
        EventKind::Resumption {
            patron,
            duration_days,
            capacity,
        } => {
            let ps = &mut state.patrons[patron.index()];
            ps.trajectory = Some(Trajectory {
                onset: cx.day,
                from: ps.capacity,
                floor: *capacity,
                duration: *duration_days,
            });
            let name = &w.patrons[patron.index()].name;
            narr.say(
                Topic::Event,
                3,
                || format!("{}: {name} resumes its support (capacity {:.2} → {capacity:.2} over {duration_days:.0} days)", event.name, ps.capacity),
                &[("capacity", ps.capacity), ("target", *capacity)],
            );
        }
        EventKind::Withdrawal {
            patron,
            from,
            to,
            share,
        } => {
            let ps = &mut state.patrons[patron.index()];
            let moved = ps.personnel[*from] * share;
            ps.personnel[*from] -= moved;
            if let Some(to) = to {
                ps.personnel[*to] += moved;
            }
            // Clients who fight beside the patron's people see them go: a
            // withdrawal from the host theatre alarms them by the share
            // withdrawn times the weight of the ties those people carry (M3).
            if w.patrons[patron.index()].theaters[*from].is_host {
                for (g, ties) in cx.links.sponsors.iter().enumerate() {
                    let carried: f64 = ties
                        .iter()
                        .filter(|(s, k, _)| *s == ActorRef::Patron(*patron) && k.needs_presence())
                        .map(|(_, _, w)| w)
                        .sum();
                    if carried > 0.0 {
                        loyalty::alarm(state, g, share * carried.min(1.0));
                    }
                }
            }
            let p = &w.patrons[patron.index()];
            let dest = to.map(|t| p.theaters[t].name.as_str()).unwrap_or("home");
            narr.say(
                Topic::Event,
                2,
                || {
                    format!(
                        "{}: {} moves {:.0} personnel from {} to {dest}",
                        event.name, p.name, moved, p.theaters[*from].name
                    )
                },
                &[("personnel", moved)],
            );
        }
        EventKind::Announcement {
            sponsor,
            expectation_drop,
            cut,
            delay_days,
            belief_days,
        } => {
            let effective = cx.day + delay_days.round().max(0.0) as u32;
            match sponsor {
                ActorRef::Patron(p) => {
                    state.patrons[p.index()].pending_cut = Some((effective, *cut))
                }
                ActorRef::Outside(o) => {
                    state.outside[o.index()].pending_cut = Some((effective, *cut))
                }
                _ => {}
            }
            let mut clients = 0;
            for tie in w
                .ties
                .iter()
                .filter(|t| t.from == *sponsor && crate::mechanisms::patron::is_sponsorship(t.kind))
            {
                if let TieTarget::Actor(ActorRef::Group(g)) = tie.to {
                    // The drop is a belief: it lowers expectations at once
                    // and keeps them down while it fades (M1).
                    let gs = &mut state.groups[g.index()];
                    let drop = gs.expected_support * expectation_drop * tie.weight.min(1.0);
                    gs.expected_support -= drop;
                    gs.expectation_offset += drop;
                    gs.expectation_decay = 1.0 / belief_days.max(1.0);
                    clients += 1;
                }
            }
            let name = w.actor_name(*sponsor);
            narr.say(
                Topic::Event,
                3,
                || format!("{}: {name} announces a {:.0}% cut in support from day {effective}; {clients} client groups expect {:.0}% less at once", event.name, cut * 100.0, expectation_drop * 100.0),
                &[("cut", *cut), ("expectation_drop", *expectation_drop)],
            );
        }
        EventKind::Successor {
            patron,
            capacity,
            continuity,
        } => {
            let ps = &mut state.patrons[patron.index()];
            ps.trajectory = None;
            ps.capacity = *capacity;
            ps.regime = Regime::Successor;
            ps.fleeing = false;
            ps.continuity = *continuity;
            let name = &w.patrons[patron.index()].name;
            narr.say(
                Topic::Event,
                3,
                || format!("{}: a successor regime governs {name} (capacity {capacity:.2}, ideological continuity {continuity:.2})", event.name),
                &[("capacity", *capacity), ("continuity", *continuity)],
            );
        }
        EventKind::Coup { success } => {
            // M9 resolves it with the model's own attempts, after the events.
            state.government.scripted_coup = Some(*success);
            narr.say(
                Topic::Event,
                3,
                || {
                    format!(
                        "{}: officers move against {}",
                        event.name, w.host.leader.name
                    )
                },
                &[("success", *success)],
            );
        }
        EventKind::LeaderKilled { group, morale_drop } => {
            let gs = &mut state.groups[group.index()];
            gs.morale = (gs.morale - morale_drop).max(0.0);
            let name = &w.groups[group.index()].name;
            narr.say(
                Topic::Event,
                3,
                || {
                    format!(
                        "{}: {name}'s leader is killed; morale falls to {:.2}",
                        event.name, gs.morale
                    )
                },
                &[("morale", gs.morale)],
            );
        }
        EventKind::GuidanceIssued {
            authority,
            guidance,
        } => {
            state.guidance[authority.index()] = *guidance;
            let name = &w.authorities[authority.index()].name;
            narr.say(
                Topic::Event,
                3,
                || {
                    format!(
                        "{}: {name} issues guidance: {}",
                        event.name,
                        guidance.name()
                    )
                },
                &[],
            );
        }
        EventKind::Strike {
            by,
            group,
            fighters_killed,
        } => {
            let killed = contest::kill(state, *group, *fighters_killed);
            state.strikes += 1.0;
            let (who, whom) = (&w.outside[by.index()].name, &w.groups[group.index()].name);
            narr.say(
                Topic::Event,
                2,
                || format!("{}: {who} strikes {whom}: {killed:.0} killed", event.name),
                &[("killed", killed)],
            );
        }
        EventKind::Offensive {
            group,
            region,
            commit,
            then,
        } => {
            contest::start_offensive(cx, state, *group, *region, *commit, then.clone(), narr);
        }
        EventKind::Cut {
            sponsor,
            channels,
            share,
        } => {
            let cut = match sponsor {
                ActorRef::Patron(p) => &mut state.patrons[p.index()].channel_cut,
                ActorRef::Outside(o) => &mut state.outside[o.index()].channel_cut,
                _ => return,
            };
            for k in channels {
                if let Some(c) = k.channel() {
                    cut[c] += (1.0 - cut[c]) * share;
                }
            }
            let name = w.actor_name(*sponsor);
            let list: Vec<&str> = channels.iter().map(|k| k.name()).collect();
            narr.say(
                Topic::Event,
                3,
                || {
                    format!(
                        "{}: {name} cuts {:.0}% of its {}",
                        event.name,
                        share * 100.0,
                        list.join(", ")
                    )
                },
                &[("share", *share)],
            );
        }
        EventKind::Defection { group, to, share } => {
            let n = loyalty::elite_defection(cx, state, *group, *to, *share, narr);
            let name = &w.groups[group.index()].name;
            narr.say(
                Topic::Event,
                3,
                || format!("{}: {n:.0} fighters of {name} defect", event.name),
                &[("defected", n)],
            );
        }
    }
}
