//! M10 Outside actors: presence and its end, announced cuts, and strikes by
//! regional powers exploiting the moment.
//!
//! Rules (brief §4 M10):
//! - An outside power's presence drops to zero on its end day.
//! - An announced cut in its support takes effect on the announced day (M1
//!   reads the cut through the sponsor level).
//! - Intelligence support (`policy::intel`) multiplies interdiction
//!   (M5) and precision (M7) by (1 + intel).
//! - Exploitation: a power with an exploitation rate e strikes on a day with
//!   probability `e · instability · (1 − dissuasion)`, where instability =
//!   `min(1, u·active share + l·(1 − legitimacy) + c·collapse progress)`
//!   (u = `outside.unrest_instability`, 4; l = `outside.illegitimacy_instability`,
//!   0.5; c = `outside.collapse_instability`, 0.5) and dissuasion is the strongest dissuasion lever in force. One uniform is
//!   drawn per power per day. A strike hits the group the power is most
//!   hostile to, kills `outside.strike_casualties` fighters and costs the
//!   struck region's communities `outside.strike_legitimacy` legitimacy.
//! - Donor aid and border cooperation are read by M6 and M5.
//! - Retaliation: a faction the state is attacking strikes at the troops
//!   of an outside power it is hostile to with daily probability
//!   `r · w · (1 − A + A · s)` (r = `outside.retaliation_rate`, w the hostile
//!   tie's weight, A its allegiance to its patron, s the patron's standing):
//!   an intact patron directs the campaign, a fallen one cannot. The power
//!   answers with a strike on it with probability `outside.answer_share`,
//!   and each attack lowers its resolve `max(0, 1 − k · attacks)` (k =
//!   `outside.attack_resolve`), which scales what its intelligence lever
//!   adds to the host (M5, M7). Draws come from their own stream.

use crate::ids::*;
use crate::mechanisms::{Ctx, contest, policy, stance};
use crate::observer::{Narrator, Topic};
use crate::rng::Draws;
use crate::state::State;
use crate::world::{Stance, TieKind, TieTarget};

/// Applies presence ends, due cuts and strikes.
pub fn step(
    cx: &Ctx,
    state: &mut State,
    last_active: f64,
    last_legitimacy: f64,
    draws: &mut Draws,
    narr: &mut Narrator,
) {
    for (o, power) in cx.world.outside.iter().enumerate() {
        let os = &mut state.outside[o];
        if let Some(end) = power.presence_end_day
            && end == cx.day
            && os.presence > 0.0
        {
            let troops = os.presence;
            os.presence = 0.0;
            narr.say(
                Topic::Outside,
                2,
                || {
                    format!(
                        "{}'s military presence ends ({troops:.0} troops leave)",
                        power.name
                    )
                },
                &[("troops", troops)],
            );
        }
        if let Some((day, share)) = os.pending_cut
            && day <= cx.day
        {
            os.cut = (os.cut + share).min(1.0);
            os.pending_cut = None;
            let cut = os.cut;
            narr.say(
                Topic::Outside,
                3,
                || {
                    format!(
                        "{}'s announced cut takes effect: support down {:.0}%",
                        power.name,
                        cut * 100.0
                    )
                },
                &[("cut", cut)],
            );
        }
    }
    let progress = state
        .patrons
        .iter()
        .map(|p| p.collapse_progress)
        .fold(0.0, f64::max);
    let instability = (cx.p.unrest_instability * last_active
        + cx.p.illegitimacy_instability * (1.0 - last_legitimacy)
        + cx.p.collapse_instability * progress)
        .min(1.0);
    let dissuasion = state.government.policy.dissuasion;
    for (o, power) in cx.world.outside.iter().enumerate() {
        let u = draws.uniform();
        if power.exploitation <= 0.0 {
            continue;
        }
        let p = power.exploitation * instability * (1.0 - dissuasion);
        if u >= p {
            continue;
        }
        let target = cx
            .world
            .ties
            .iter()
            .filter(|t| t.kind == TieKind::Hostile && t.from == ActorRef::Outside(OutsideId::at(o)))
            .filter_map(|t| match t.to {
                TieTarget::Actor(ActorRef::Group(g)) if state.groups[g.index()].active > 0.0 => {
                    Some((g, t.weight))
                }
                _ => None,
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let Some((g, _)) = target else { continue };
        let killed = strike(cx, state, g);
        let (who, whom) = (&power.name, &cx.world.groups[g.index()].name);
        narr.say(
            Topic::Outside,
            2,
            || format!("{who} exploits the moment and strikes {whom}: {killed:.0} killed (strike probability {p:.3})"),
            &[("killed", killed), ("probability", p)],
        );
    }
}

/// One strike by an outside power on a group: it kills
/// `outside.strike_casualties` of its fighters and costs the communities of
/// its region `outside.strike_legitimacy` legitimacy. Returns those killed.
fn strike(cx: &Ctx, state: &mut State, g: GroupId) -> f64 {
    let killed = contest::kill(state, g, cx.p.strike_casualties);
    state.strikes += 1.0;
    if let Some(region) = cx.world.groups[g.index()].region {
        for (c, com) in cx.world.communities.iter().enumerate() {
            if com.region == region {
                state.communities[c].grievance_shock += cx.p.strike_legitimacy;
            }
        }
    }
    killed
}

/// Holdouts' retaliation against outside powers, and the powers' answers
/// (M10).
///
/// A faction that holds out or fights the state, while the state's forces
/// attack it, strikes at the troops in the host of each outside power it is
/// hostile to, with daily probability `r · w · (1 − A + A · s)` (r =
/// `outside.retaliation_rate`, w the weight of its hostile tie, A its
/// allegiance to its patron and s the patron's standing,
/// `stance::patron_standing`; the last factor is 1 for a faction with no
/// patron): the patron directs the campaign while it stands. Each attack
/// is answered with a strike on the attacker with probability
/// `outside.answer_share`, and lowers the power's resolve: its
/// intelligence support to the host (a lever above its baseline) is scaled
/// by `max(0, 1 − k · attacks)`, k = `outside.attack_resolve` (see
/// [`policy::resolve`]). Two uniforms are drawn per hostile tie per day, whatever
/// happens, from the retaliation stream, so no other mechanism's draws move.
pub fn retaliate(cx: &Ctx, state: &mut State, draws: &mut Draws, narr: &mut Narrator) {
    for &t in &cx.links.retaliation {
        let tie = &cx.world.ties[t];
        let (u, v) = (draws.uniform(), draws.uniform());
        let (ActorRef::Group(g), TieTarget::Actor(ActorRef::Outside(o))) = (tie.from, tie.to)
        else {
            continue;
        };
        let gs = &state.groups[g.index()];
        let fights = matches!(gs.stance, Stance::Holdout | Stance::Insurgent)
            && gs.active > 0.0
            && state.outside[o.index()].presence > 0.0
            && policy::under_attack(cx, state, g.index());
        if !fights {
            continue;
        }
        // The 2023-24 campaign was the patron's network's: a faction loyal
        // to a patron strikes at full rate while the patron stands, and
        // only with its own share of allegiance once it has fallen.
        let directed = stance::patron_standing(cx, state, g).map_or(1.0, |standing| {
            let loyal = state.groups[g.index()].allegiance[0];
            1.0 - loyal + loyal * standing
        });
        let p = cx.p.retaliation_rate * tie.weight * directed;
        if u >= p {
            continue;
        }
        state.outside[o.index()].attacks += 1.0;
        let (who, whom) = (
            &cx.world.groups[g.index()].name,
            &cx.world.outside[o.index()].name,
        );
        let resolve = policy::resolve(cx, state, o);
        narr.say(
            Topic::Outside,
            2,
            || format!("{who} attacks {whom}'s troops while the state fights it ({whom}'s resolve now {resolve:.2})"),
            &[("resolve", resolve)],
        );
        if v < cx.p.answer_share {
            let killed = strike(cx, state, g);
            narr.say(
                Topic::Outside,
                2,
                || format!("{whom} answers and strikes {who}: {killed:.0} killed"),
                &[("killed", killed)],
            );
        }
    }
}
