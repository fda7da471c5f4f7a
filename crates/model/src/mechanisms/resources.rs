//! M2 Resources: each armed group's daily budget, pay rate and arrears.
//!
//! Rules (brief §4 M2), per group g and day, in US dollars:
//! - need `N = active · cost_per_fighter` (the payroll lists every fighter on
//!   the books, so payroll-funded needs use the listed count);
//! - host payroll `Σ_pays w · payroll_share · N`;
//! - sponsors `Σ_funds w · ℓ_sponsor · N` (ℓ from M1);
//! - illicit `illicit_revenue + Σ_controls w · revenue of controlled crossings`;
//! - pay rate `π = min(1, income / N)`;
//! - arrears (days of unpaid wages) `a ← max(0, a + (1 − income/N))`: a
//!   surplus pays arrears back.
//!
//! Integrated fighters are paid by the state and leave the group's books.

use crate::links::Income;
use crate::mechanisms::{Ctx, patron};
use crate::state::State;
use crate::world::Stance;

/// Updates pay rates and arrears.
pub fn step(cx: &Ctx, state: &mut State) {
    for g in 0..state.groups.len() {
        let group = &cx.world.groups[g];
        let gs = &state.groups[g];
        if matches!(gs.stance, Stance::Integrated | Stance::Dissolved) || gs.active <= 0.0 {
            continue;
        }
        let need = gs.active * group.cost_per_fighter;
        if need <= 0.0 {
            continue;
        }
        let mut income = group.illicit_revenue;
        for tie in &cx.links.income[g] {
            match *tie {
                Income::Payroll(weight) => {
                    income += weight * state.government.policy.payroll_share[g] * need
                }
                Income::Funds(sponsor, weight) => {
                    income += weight * patron::sponsor_level(cx, state, sponsor) * need
                }
            }
        }
        for revenue in &cx.links.controlled_revenue[g] {
            income += revenue;
        }
        let ratio = income / need;
        let gs = &mut state.groups[g];
        gs.pay_rate = ratio.min(1.0);
        gs.arrears = (gs.arrears + 1.0 - ratio).max(0.0);
    }
}
