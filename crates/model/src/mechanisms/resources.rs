//! M2 Resources: each armed group's daily budget, pay rate and arrears, its
//! stocks of arms, ammunition and fuel, and the recruits it draws.
//!
//! Rules (brief §4 M2), per group g and day, in US dollars:
//! - need `N = active · cost_per_fighter` (the payroll lists every fighter on
//!   the books, so payroll-funded needs use the listed count);
//! - payroll: the `pays` and `funds` ties into g are one budget. Each payer
//!   covers its weight's share of it, `w / Σ w` over those ties, so the
//!   shares sum to one whatever ranges the weights were drawn from; the host's
//!   part is scaled by the payroll lever (`payroll_share`), a sponsor's by its
//!   money channel ℓ_funds (M1);
//! - illicit `illicit_revenue + Σ_controls w · revenue of controlled crossings`;
//! - pay rate `π = min(1, income / N)`;
//! - arrears (days of unpaid wages) `a ← max(0, a + (1 − income/N))`: a
//!   surplus pays arrears back.
//!
//! Stocks S (days of supply): a group uses `u = 1` day of supply a day, or
//! `u = resources.combat_use` while it fights in an operation; deliveries
//! bring `u · ((1 − A) + Σ_arms w · ℓ_arms)`, A = min(1, Σ_arms w) the share
//! of its materiel sponsors supply (the rest it makes, buys or captures). So
//! S holds while every sponsor delivers and runs down at `u · Σ w (1 − ℓ)`
//! after a cut; S stays within [0, its starting stocks]. `u` is
//! `1 + (resources.combat_use − 1) · c`, c the share of the group fighting
//! (`combat_share`). What is delivered today is also the group's supply
//! flow: a group with empty stocks still fights with what arrives (M3's
//! stocks factor is at least the flow).
//!
//! Force generation: `recruits = resources.recruit_rate · pool · π ·
//! min(1, m/m₀)` a day from the group's remaining pool (funding and success
//! draw recruits; arrears and defeat deter them); state forces only replace
//! losses (up to their listed fighters).
//!
//! Integrated fighters are paid by the state and leave the group's books.

use crate::links::Income;
use crate::mechanisms::{Ctx, patron};
use crate::state::State;
use crate::world::{GroupRole, Stance, TieKind};

/// The share of group g that fights in ongoing operations today, in
/// [0, 1]: 1 as the attacker of any operation, as the target of an
/// insurgent offensive, or as a state force while an offensive on a region
/// is fought (every state force defends with its police there and its
/// reserve); the exposed share `contest.guerrilla_exposure` as guerrillas the
/// state moves against (they fight when they choose, M7); 0 otherwise.
pub fn combat_share(cx: &Ctx, state: &State, g: usize) -> f64 {
    let state_force = cx.world.groups[g].role == GroupRole::StateForce;
    let mut share: f64 = 0.0;
    for o in state.operations.iter().filter(|o| !o.over) {
        let state_attacks = cx.world.groups[o.attacker.index()].role == GroupRole::StateForce;
        if o.attacker.index() == g || (state_force && !state_attacks && o.region.is_some()) {
            return 1.0;
        }
        if o.defender.index() == g {
            share = share.max(if o.guerrilla {
                cx.p.guerrilla_exposure
            } else {
                1.0
            });
        }
    }
    share
}

/// Updates pay rates, arrears, stocks and recruits.
pub fn step(cx: &Ctx, state: &mut State) {
    // M1 set today's levels; nothing between M1 and M2 moves them.
    let levels = std::mem::take(&mut state.sponsor_levels);
    for g in 0..state.groups.len() {
        let group = &cx.world.groups[g];
        let gs = &state.groups[g];
        if matches!(gs.stance, Stance::Integrated | Stance::Dissolved) || gs.active <= 0.0 {
            continue;
        }
        // Stocks.
        let usage = 1.0 + (cx.p.combat_use - 1.0) * combat_share(cx, state, g);
        let supplied = cx.links.arms_share[g].min(1.0);
        let mut delivered = 1.0 - supplied;
        for &(sponsor, kind, w) in &cx.links.sponsors[g] {
            if kind == TieKind::Arms {
                delivered += w * patron::level_of(&levels, sponsor, kind);
            }
        }
        let stocks = (gs.stocks - usage + usage * delivered).clamp(0.0, group.stocks_days);

        // Pay.
        let need = gs.active * group.cost_per_fighter;
        let mut pay = None;
        if need > 0.0 {
            let budget: f64 = cx.links.income[g]
                .iter()
                .map(|tie| match *tie {
                    Income::Payroll(w) | Income::Funds(_, w) => w,
                })
                .sum();
            let mut income = group.illicit_revenue;
            for tie in &cx.links.income[g] {
                match *tie {
                    Income::Payroll(weight) => {
                        income += weight / budget * state.government.policy.payroll_share[g] * need
                    }
                    Income::Funds(sponsor, weight) => {
                        income += weight / budget
                            * patron::level_of(&levels, sponsor, TieKind::Funds)
                            * need
                    }
                }
            }
            for revenue in &cx.links.controlled_revenue[g] {
                income += revenue;
            }
            pay = Some(income / need);
        }

        let gs = &mut state.groups[g];
        gs.stocks = stocks;
        gs.supply_flow = delivered.min(1.0);
        if let Some(ratio) = pay {
            gs.pay_rate = ratio.min(1.0);
            gs.arrears = (gs.arrears + 1.0 - ratio).max(0.0);
        }
        // Recruits.
        if gs.pool > 0.0 && group.morale > 0.0 {
            let pace = gs.pay_rate * (gs.morale / group.morale).min(1.0);
            let mut recruits = cx.p.recruit_rate * gs.pool * pace;
            if group.role == GroupRole::StateForce {
                recruits = recruits.min((group.fighters - gs.active).max(0.0));
            }
            gs.pool -= recruits;
            gs.active += recruits;
            gs.recruited += recruits;
        }
    }
    state.sponsor_levels = levels;
}
