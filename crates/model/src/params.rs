//! The model's general parameters: one definition per knob.
//!
//! Each parameter is declared once below with its name, unit, default, valid
//! range, plausible range, mechanism and the reasons for its value and its
//! plausible range. That single list drives the [`Params`] struct, scenario
//! validation (`[parameters]` overrides), the parameters an ensemble varies
//! with `--vary-parameters`, the JSON Schema and the parameter tables of
//! `docs/model.md` (a test keeps the docs current).
//!
//! The valid range is what the equations accept; the plausible range is what
//! the evidence and the analyst's judgement allow, the same for every
//! scenario. A parameter with no meaningful spread (a tolerance of the
//! computation) is marked `fixed` instead, with the reason. Scenario facts (fighters, border lengths, ...) are not here: they
//! belong to the scenario file; these are the behavioural constants of the
//! mechanisms, which a scenario may override or give a range to.

/// What the registry knows of one parameter.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    /// Dotted name used in scenario files, e.g. `firebreak.interdiction_k`.
    pub name: &'static str,
    /// The unit, e.g. `days`, `1/day`, `probability`.
    pub unit: &'static str,
    /// The default value.
    pub default: f64,
    /// Smallest valid value.
    pub min: f64,
    /// Largest valid value.
    pub max: f64,
    /// What it means and where its value comes from.
    pub doc: &'static str,
    /// The range of values the evidence and the analyst's judgement allow,
    /// `[low, high]` inside `[min, max]` and around the default; `None` for
    /// a parameter fixed at its default (a setting of the computation).
    pub plausible: Option<[f64; 2]>,
    /// Why the plausible range is what it is (or why the parameter is fixed).
    pub plausible_why: &'static str,
    /// Reads the value from a parameter set.
    pub get: fn(&Params) -> f64,
    /// Writes the value into a parameter set.
    pub set: fn(&mut Params, f64),
}

/// A registry entry's plausible range: `[low, high]` or `fixed`.
macro_rules! plausible {
    ([$low:literal, $high:literal]) => {
        Some([$low, $high])
    };
    (fixed) => {
        None
    };
}

macro_rules! params {
    ($( $group:ident . $field:ident : $unit:literal = $default:literal in [$min:literal, $max:literal] plausible $plausible:tt ; $doc:literal ; $why:literal )*) => {
        /// The model's general parameters, grouped by mechanism.
        ///
        /// Built from [`PARAMETERS`]; `Params::default()` holds the documented
        /// defaults.
        #[derive(Clone, Debug, PartialEq)]
        pub struct Params {
            $(
                #[doc = $doc]
                #[doc = concat!("Unit: ", $unit, ".")]
                pub $field: f64,
            )*
        }

        impl Default for Params {
            fn default() -> Self {
                Params { $( $field: $default, )* }
            }
        }

        /// Every parameter of the model, in documentation order.
        pub const PARAMETERS: &[ParamSpec] = &[
            $(
                ParamSpec {
                    name: concat!(stringify!($group), ".", stringify!($field)),
                    unit: $unit,
                    default: $default,
                    min: $min,
                    max: $max,
                    doc: $doc,
                    plausible: plausible!($plausible),
                    plausible_why: $why,
                    get: |p| p.$field,
                    set: |p, v| p.$field = v,
                },
            )*
        ];
    };
}

params! {
    patron.expectation_lag: "days" = 10.0 in [1.0, 365.0] plausible [5.0, 20.0];
        "Time constant with which a client's expected support follows the support it actually receives (M1). Ten days: the 2024 Syria collapse unfolded over 11-12 days once clients saw support was gone (domain-facts 6.2).";
        "Analyst's judgement (A1): one to three weeks, around the 11-12 days of the 2024 Syria collapse (domain-facts 6.2)."
    patron.announcement_belief: "share" = 0.2 in [0.0, 1.0] plausible [0.1, 0.4];
        "Share of a cut a sponsor has announced but not yet made that its clients count as already in force when they form expectations (M1): 0 ignores announcements until they take effect, 1 believes them fully. Set with the Afghanistan 2021 backtest (SIGAR: the withdrawal announcement was a morale shock in its own right; domain-facts 6.1).";
        "Analyst's judgement (A1): half to twice the default, which was set with one case (Afghanistan 2021)."
    patron.flight_rate: "1/day" = 0.35 in [0.0, 1.0] plausible [0.15, 0.7];
        "Daily share of a pool's remaining would-be leavers who set out when its patron's collapse is complete (M1); scaled by how far the collapse has gone. Chosen so most leave within the first week, as the seeds' 'chaotic and expeditious collapse' suggests.";
        "Analyst's judgement (A1): half to twice the default: most would-be leavers set out within days to about a week."
    patron.presence_weight: "share" = 0.5 in [0.0, 2.0] plausible [0.25, 1.0];
        "How much a change in the patron's personnel in the host theatre changes the support its clients receive (M1, S2): support scales by 1 + w*(personnel/baseline - 1).";
        "Analyst's judgement (A1): half to twice the default."
    patron.surge: "share" = 0.5 in [0.0, 2.0] plausible [0.0, 1.0];
        "Share by which a patron whose regime stands raises the support that rests on its personnel (advisers and commanders, combat support) to a client under attack (M1 reinforcement), up to the ceiling of 1.5 times the baseline every level has: the Soviet airlift of arms, advisers and Cuban troops to Ethiopia under invasion in 1977-78 (cases brief 3, C33). A collapsing or collapsed patron sends nobody; a drained one sends little because its level already carries its capacity and cuts (Russia's limited air strikes for Assad in 2024, domain-facts 6.2). Half again is an analyst's judgement (A1).";
        "Analyst's judgement (A1): from no reinforcement to doubling what rests on the patron's personnel."
    resources.arrears_horizon: "days" = 30.0 in [1.0, 365.0] plausible [15.0, 60.0];
        "Arrears (days of unpaid wages) at which the arrears effect on morale is full (M2). One month: the Aug 2024 PMF salary delay caused an emergency top-up within weeks (domain-facts 1.1).";
        "Analyst's judgement (A1): two weeks to two months around the month within which the Aug 2024 PMF salary delay forced a top-up (domain-facts 1.1)."
    resources.combat_use: "days of supply per day" = 3.0 in [1.0, 20.0] plausible [2.0, 6.0];
        "Days of supply a group uses per day while it fights in an operation, against one outside it (M2). Ammunition and fuel use in combat is several times that of routine operations; 3 is an analyst's judgement (A1): with it a client whose arms are cut and whose stocks hold 90 days can fight for about a month.";
        "Analyst's judgement (A1): combat use from twice to six times routine use."
    resources.critical_stocks: "days of supply" = 30.0 in [1.0, 365.0] plausible [15.0, 60.0];
        "Stocks below which a group's combat power falls in proportion (M2, M3): effectiveness is multiplied by min(1, stocks/critical). A month of supply (A1): units that can see the end of their ammunition ration it and avoid battle.";
        "Analyst's judgement (A1): half to twice the default."
    resources.stocks_morale: "share" = 0.3 in [0.0, 1.0] plausible [0.15, 0.6];
        "Share of target morale lost when a group's stocks are empty (M3), in proportion below the critical level: running dry tells fighters the patron is gone (cases brief: the Derg's stocks lost with Massawa and the ports; the KDP cut off from heavy weapons and supply at one stroke). Analyst's judgement (A1).";
        "Analyst's judgement (A1): half to twice the default."
    resources.recruit_rate: "1/day" = 0.002 in [0.0, 0.1] plausible [0.001, 0.004];
        "Daily share of a group's recruitment pool that joins at full pace (M2 force generation): the pace is scaled by the group's pay rate and its morale against its usual morale (success and funding draw recruits; defeat and arrears deter them). 0.002 a day fills about half of a pool in a year (A1; RENAMO grew to 12,000+ within a year of Nkomati, cases brief 4.2).";
        "Analyst's judgement (A1): half to twice the default: a pool fills by about a third to three quarters in a year at full pace."
    loyalty.allegiance_rate: "1/day" = 0.05 in [0.0, 1.0] plausible [0.025, 0.1];
        "Daily rate at which a group's allegiance moves toward the allegiance its pulls imply (M3).";
        "Analyst's judgement (A1): half to twice the default."
    loyalty.contagion: "1/day" = 0.02 in [0.0, 1.0] plausible [0.01, 0.04];
        "Daily weight of peers' mean allegiance in a group's own (M3): groups tied to the same patron copy each other (S3).";
        "Analyst's judgement (A1): half to twice the default."
    loyalty.inclusiveness_pull: "pull" = 0.5 in [0.0, 5.0] plausible [0.25, 1.0];
        "Pull toward the host state that a fully inclusive leader exerts on every armed group (M3): the host's pull gains c * inclusiveness, beside pay, offers and clerics. Pulls are relative: allegiance moves toward each pull over their sum. Analyst's assumption (A1).";
        "Analyst's judgement (A1): half to twice the default."
    loyalty.self_pull: "pull" = 0.3 in [0.0, 5.0] plausible [0.15, 0.6];
        "Pull of a group's own interest on its allegiance before any arrears (M3): self pull = s + a * min(1, arrears/horizon), a = `loyalty.arrears_pull`. Analyst's assumption (A1).";
        "Analyst's judgement (A1): half to twice the default."
    loyalty.arrears_pull: "pull" = 0.5 in [0.0, 5.0] plausible [0.25, 1.0];
        "Pull toward its own interest added to a group at full arrears (M3), on top of `loyalty.self_pull`: fighters who are not paid look after themselves. Analyst's assumption (A1).";
        "Analyst's judgement (A1): half to twice the default."
    loyalty.morale_rate: "1/day" = 0.15 in [0.0, 1.0] plausible [0.075, 0.3];
        "Daily rate at which morale moves toward its target (M3).";
        "Analyst's judgement (A1): half to twice the default."
    loyalty.arrears_morale: "share" = 0.4 in [0.0, 1.0] plausible [0.2, 0.8];
        "Share of target morale lost at full arrears (M3).";
        "Analyst's judgement (A1): half to twice the default."
    loyalty.pressure_weight: "share" = 1.0 in [0.0, 3.0] plausible [0.5, 2.0];
        "Weight of lost morale (1 - morale/morale at the start) in the desertion pressure of the threshold cascade (M3, Granovetter 1978).";
        "Analyst's judgement (A1): half to twice the default."
    loyalty.ideology_cohesion: "share" = 0.5 in [0.0, 1.0] plausible [0.25, 1.0];
        "Share of desertion pressure that full ideological commitment absorbs: pressure is scaled by (1 - cohesion * ideology) (M3; Humphreys and Weinstein 2005: ideologues keep the strongest ties to their faction).";
        "Analyst's judgement (A1): half to twice the default (twice is the valid maximum)."
    loyalty.leader_cohesion: "share" = 0.25 in [0.0, 1.0] plausible [0.125, 0.5];
        "How far the leader's profile sets the cohesion of the host's own forces (M3, M9): a state force's desertion pressure is scaled by 1 + c * (1 - integrity - inclusiveness), neutral for a leader at 0.5 on both, up to 1 + c for a corrupt, exclusive one. SIGAR 2021: the replacement of most Afghan security chiefs along ethnic lines in Mar-Jun 2021 undermined the forces' cohesion (domain-facts 6.1).";
        "Analyst's judgement (A1): half to twice the default."
    loyalty.desertion_speed: "1/day" = 0.35 in [0.0, 1.0] plausible [0.15, 0.7];
        "Daily share of the gap between current and equilibrium desertion that is realised (M3): cascades take days, not an instant (Syria 2024: 12 days).";
        "Analyst's judgement (A1): half to twice the default: a cascade completes in days to about two weeks (Syria 2024: 12 days)."
    loyalty.hollowing_rate: "1/day" = 0.002 in [0.0, 0.1] plausible [0.001, 0.004];
        "Daily share of a group's active fighters who slip away at full desertion pressure, trigger or no trigger (M3): the slow hollowing of an army whose morale erodes, as distinct from the cascade that breaks it. At 0.002 a unit under half the full pressure loses 0.1% of its fighters a day, about 30% in a year: the order of the quarter to a third a year the Afghan forces lost to attrition and desertion before 2021 (domain-facts 6.1); the Derg's army eroded over three years (cases brief 3).";
        "Analyst's judgement (A1): half to twice the default: at half pressure a sixth to a half of a unit's fighters a year, around the quarter to a third the Afghan forces lost (domain-facts 6.1)."
    loyalty.alarm_decay: "1/day" = 0.1 in [0.0, 1.0] plausible [0.05, 0.2];
        "Daily share of a group's alarm that fades (M3). The desertion cascade needs alarm: battlefield losses, the fall of a nearby town, the capital threatened or elite defection (Granovetter's chain needs someone to see others run; cases brief: armies hollowed for months and broke under attack). A tenth a day: alarm lasts about ten days after the last trigger (A1).";
        "Analyst's judgement (A1): half to twice the default: alarm lasts about five to twenty days."
    loyalty.rout_share: "share of listed fighters" = 0.25 in [0.0, 1.0] plausible [0.15, 0.4];
        "Share of a state force's listed fighters gone to desertion at which the host's other forces see it running and are alarmed (M3's rout trigger: Granovetter's chain across units). A quarter is the point where a cascade reads as a rout rather than the steady loss of hollowing (A1).";
        "Analyst's judgement (A1): from a sixth to two fifths of a force gone before the rest read it as a rout."
    loyalty.reference_days: "days" = 365.0 in [1.0, 3650.0] plausible [180.0, 730.0];
        "Time constant with which the morale a group is used to follows its morale (M3): desertion pressure is morale lost against this reference, so lasting hardship stops pressing once it has become the norm (reference-point adaptation: Kahneman and Tversky 1979 set losses against a reference point, which moves toward what one has). A year is an analyst's judgement (A1): insurgencies of the cases brief that lost their sponsor and lived on (the contras after the 1984 Boland ban, RENAMO after the 1984 Nkomati Accord) adapted within a year or two, while the collapses of the library come weeks to months after their trigger, before the reference has moved far.";
        "Analyst's judgement (A1): half a year to two years, the span within which the cases brief's sponsorless insurgencies adapted."
    stance.decision_interval: "days" = 7.0 in [1.0, 90.0] plausible [3.0, 14.0];
        "Days between a faction's stance decisions (M4).";
        "Analyst's judgement (A1): from twice a week to once a fortnight, about half to twice the default."
    stance.logit_scale: "1/utility" = 4.0 in [0.1, 50.0] plausible [2.0, 8.0];
        "Precision of the logit choice between stances (M4); larger means more deterministic choices.";
        "Analyst's judgement (A1): half to twice the default."
    stance.inertia: "utility" = 0.4 in [0.0, 5.0] plausible [0.2, 0.8];
        "Utility bonus of keeping the current stance (M4).";
        "Analyst's judgement (A1): half to twice the default."
    stance.shown_readiness: "probability" = 0.3 in [0.0, 1.0] plausible [0.15, 0.6];
        "Probability a faction expects the state to use force against it before any force order, per unit of the leader's decisiveness (M4 coercion term): P(force) = r * decisiveness until a force lever targets the faction. Analyst's assumption (A1): a fully decisive leader is expected to strike three times in ten.";
        "Analyst's judgement (A1): half to twice the default."
    stance.dissolve_share: "share of listed fighters" = 0.05 in [0.0, 1.0] plausible [0.025, 0.1];
        "A faction whose active fighters fall below this share of its listed fighters dissolves on its next decision day, its remaining fighters counted as deserted (M4). Analyst's assumption (A1): a twentieth of its strength is no longer an armed group.";
        "Analyst's judgement (A1): half to twice the default."
    stance.offer_weight: "utility" = 1.6 in [0.0, 10.0] plausible [0.8, 3.2];
        "Weight of a credible offer's value in the utility of negotiating and integrating (M4).";
        "Analyst's judgement (A1): half to twice the default."
    stance.ideology_weight: "utility" = 2.6 in [0.0, 10.0] plausible [1.3, 5.2];
        "Weight of ideological commitment times allegiance to the cause, as a cost of integrating and a gain of holding out (M4). Calibrated on the seeds: at 2.6 the wilayat al-faqih factions of the Iraq scenario (commitment 0.85-0.95) integrate in about one run in ten under a generous offer without force, while factions of commitment 0.4-0.6 integrate in nine runs in ten (seed 003: most factions disarm for incentives, two hardline holdouts refuse).";
        "Analyst's judgement (A1): half to twice the default, which was calibrated on the seeds' judgement, not on data."
    stance.security_weight: "utility" = 0.8 in [0.0, 10.0] plausible [0.4, 1.6];
        "Weight of the security dilemma: the strength of hostile armed rivals that remain outside state control (M4).";
        "Analyst's judgement (A1): half to twice the default."
    stance.resource_weight: "utility" = 1.0 in [0.0, 10.0] plausible [0.5, 2.0];
        "Weight of the expected resources (sponsor support and illicit income) a faction keeps by staying armed (M4).";
        "Analyst's judgement (A1): half to twice the default."
    stance.coercion_weight: "utility" = 2.0 in [0.0, 10.0] plausible [1.0, 4.0];
        "Weight of the expected cost of coercion: probability the state uses force times the probability it wins (M4).";
        "Analyst's judgement (A1): half to twice the default."
    stance.foreign_weight: "utility" = 0.8 in [0.0, 10.0] plausible [0.4, 1.6];
        "Cost of integrating while foreign forces remain, for factions that make their departure a precondition (M4; domain-facts 7.4).";
        "Analyst's judgement (A1): half to twice the default."
    stance.host_weight: "utility" = 1.0 in [0.0, 10.0] plausible [0.5, 2.0];
        "Weight of allegiance to the host state in the utility of negotiating and integrating (M4).";
        "Analyst's judgement (A1): half to twice the default."
    stance.splinter_commitment: "share" = 0.5 in [0.0, 1.0] plausible [0.25, 1.0];
        "Share of a faction's ideological commitment that turns into the share of fighters who splinter when it integrates (M4, S7).";
        "Analyst's judgement (A1): half to twice the default (twice is the valid maximum)."
    firebreak.interdiction_k: "km/fighter" = 0.08 in [0.0, 100.0] plausible [0.04, 0.16];
        "Coefficient k of the interdiction probability 1 - exp(-k * forces/km * (1 + intel) * (1 - terrain) * (1 - collusion)) (M5, brief 4). At 0.08, about 7 effective guards per km (10,000 on a 1,500 km border) stop about 40% on informal routes and 80% at official crossings; a threefold surge with intelligence support stops about 90%. No published figure: calibrated so the seeds' contrast between a passive and a surged border shows.";
        "Analyst's judgement (A1): half to twice the default: no published figure, the default was set so that the seeds' contrast between a passive and a surged border shows."
    firebreak.official_factor: "multiplier" = 3.0 in [1.0, 20.0] plausible [1.5, 6.0];
        "How much easier detection is at an official crossing than on an informal route (M5).";
        "Analyst's judgement (A1): half to twice the default."
    firebreak.informal_preference: "share" = 0.6 in [0.0, 1.0] plausible [0.4, 0.8];
        "Share of crossers who avoid official crossings when informal routes exist (M5).";
        "Analyst's judgement (A1): from two fifths to four fifths, neither few nor nearly all crossers avoiding official crossings."
    firebreak.noise_sd: "log-units" = 0.3 in [0.0, 2.0] plausible [0.15, 0.6];
        "Standard deviation of the daily log-normal noise on interdiction effectiveness (M5).";
        "Analyst's judgement (A1): half to twice the default."
    firebreak.pressure_effect: "share" = 0.5 in [0.0, 1.0] plausible [0.25, 0.75];
        "Share of the gap in a neighbour's border cooperation that full outside pressure on it closes (M5): cooperation = b + (1 - b) * e * pressure, b the neighbour's own cooperation. At 0.5 pressure alone cannot seal a border the neighbour does not want sealed. Analyst's assumption (A1).";
        "Analyst's judgement (A1): a quarter to three quarters, so that pressure alone never fully seals a border its neighbour does not want sealed."
    firebreak.roundup_rate: "1/day" = 0.01 in [0.0, 1.0] plausible [0.003, 0.03];
        "Share of a region's unaffiliated armed newcomers the police round up a day at full policing competence (M5: times the region's policing, held while detention has room). Analyst's assumption (A1): at full competence about half are held within ten weeks.";
        "Analyst's judgement (A1): a third to three times the default, from a police that barely looks for them (half held in about seven months) to one that hunts them (half in about three weeks)."
    firebreak.join_rate: "1/day" = 0.02 in [0.0, 1.0] plausible [0.005, 0.05];
        "Share of a region's unaffiliated armed newcomers who join, each day, the strongest faction there tied by ideology to their patron (M5); none join where no such faction stands. Analyst's assumption (A1): most of those who stay find a faction within a few months.";
        "Analyst's judgement (A1): a quarter to two and a half times the default; no source gives how fast armed men fleeing a collapsed patron find a faction of its in the neighbour."
    firebreak.leave_rate: "1/day" = 0.005 in [0.0, 1.0] plausible [0.001, 0.02];
        "Share of a region's unaffiliated armed newcomers who leave the host each day, home or onward (M5). Analyst's assumption (A1): a fifth within about six weeks.";
        "Analyst's judgement (A1): a fifth to four times the default, from men who have nowhere else to go to men who move on within weeks."
    unrest.arrest_k: "dimensionless" = 2.3 in [0.0, 10.0] plausible [1.15, 4.6];
        "Epstein's k in the perceived arrest probability 1 - exp(-k * police/actives) (M6; Epstein 2002).";
        "Analyst's judgement (A1): half to twice Epstein's (2002) constant, which is a convention of his model rather than a measured figure."
    unrest.active_threshold: "grievance" = 0.1 in [0.0, 1.0] plausible [0.05, 0.2];
        "Epstein's threshold T: a person turns active when grievance - risk aversion * arrest risk > T (M6; Epstein 2002).";
        "Analyst's judgement (A1): half to twice Epstein's (2002) threshold."
    unrest.social_contagion: "grievance per active share" = 0.2 in [0.0, 1.0] plausible [0.0, 0.4];
        "How much the active share a person sees lowers their threshold: T - gamma*a (M6; after the contagion extension of Lemos, Lopes and Coelho 2018; 0 gives Epstein's Model I).";
        "From Epstein's Model I without contagion (0) to twice the default (A1)."
    unrest.vision: "people" = 157.0 in [1.0, 100000.0] plausible [84.0, 308.0];
        "Number of people a person sees when judging police and actives (M6 mean field): Epstein's vision 7 on a Moore neighbourhood is 224 cells at citizen density 0.7.";
        "Epstein's vision from 5 to 10 cells on a Moore neighbourhood at citizen density 0.7 (his runs use 7)."
    unrest.police_per_1000: "police per 1000 people" = 5.0 in [0.1, 1000.0] plausible [2.5, 10.0];
        "Police per thousand people that counts as Epstein's canonical cop density relative to citizens (0.074/0.7) in the mean field (M6).";
        "Analyst's judgement (A1): half to twice the default."
    unrest.active_speed: "1/day" = 0.5 in [0.0, 1.0] plausible [0.25, 1.0];
        "Daily share of the gap to the mean-field equilibrium active share that is closed (M6).";
        "Analyst's judgement (A1): half to twice the default (twice is the valid maximum)."
    unrest.legitimacy_rate: "1/day" = 0.05 in [0.0, 1.0] plausible [0.025, 0.1];
        "Daily rate at which a community's perceived legitimacy moves toward its target (M6).";
        "Analyst's judgement (A1): half to twice the default."
    unrest.guidance_effect: "legitimacy" = 0.15 in [0.0, 1.0] plausible [0.075, 0.3];
        "Legitimacy shift of a community that fully follows a cleric's guidance: calm or state monopoly raise it, mobilization lowers it (M6, S6).";
        "Analyst's judgement (A1): half to twice the default."
    unrest.inclusiveness_legitimacy: "legitimacy" = 0.1 in [0.0, 1.0] plausible [0.05, 0.2];
        "Legitimacy target gained by every community from a fully inclusive leader, against one at the middle of the scale (M6, M9): the target moves by i * (inclusiveness - 0.5), so an exclusive leader costs as much. Analyst's assumption (A1).";
        "Analyst's judgement (A1): half to twice the default."
    unrest.aid_legitimacy: "legitimacy" = 0.05 in [0.0, 1.0] plausible [0.025, 0.1];
        "Legitimacy target gained by every community from full donor aid (M6, M10). Analyst's assumption (A1): aid helps the state's standing less than it relieves hardship (`unrest.aid_relief`).";
        "Analyst's judgement (A1): half to twice the default."
    unrest.aid_relief: "hardship" = 0.1 in [0.0, 1.0] plausible [0.05, 0.2];
        "Hardship taken off every community by full donor aid (M6, M10). Analyst's assumption (A1).";
        "Analyst's judgement (A1): half to twice the default."
    unrest.energy_hardship: "hardship per share of electricity lost" = 0.3 in [0.0, 2.0] plausible [0.15, 0.6];
        "Hardship a community gains per unit of its electricity lost when the states that export gas and power to it stop (M6): h rises by this times the sum over its energy ties of weight * (1 - level), the level following the exporter's capacity and cuts (M1). Blackouts in the heat fed the Basra protests of September 2018 (TRT World 2018); a community that loses all its power gains 0.3, about two and a half times the alignment shock of a fully aligned community whose patron collapses (`unrest.alignment_shock`), since a blackout touches everyone (A1), not fitted.";
        "Analyst's judgement (A1): half to twice the default: no figure links lost electricity to hardship."
    unrest.shock_persistence: "multiplier" = 5.0 in [0.1, 100.0] plausible [2.5, 10.0];
        "How many times more slowly a community's legitimacy shock (collateral damage, strikes) fades than its legitimacy moves toward its target (M6): the shock decays by `unrest.legitimacy_rate` / n a day. At 5 a grievance outlasts the ordinary drift of opinion. Analyst's assumption (A1).";
        "Analyst's judgement (A1): half to twice the default."
    unrest.alignment_shock: "hardship" = 0.12 in [0.0, 1.0] plausible [0.06, 0.24];
        "Hardship added to a community fully aligned with a patron when that patron's capacity is gone (lost income, patronage, fear) (M6). Judgement: at 0.25 the patron-aligned minority of the Iraq scenario tipped into mass unrest in almost every collapse run, even with calm clerical guidance, which the seeds do not suggest; at 0.12 it tips in about a third of passive runs, mostly after a mobilisation call.";
        "Analyst's judgement (A1): half to twice the default, below the 0.25 at which the patron-aligned minority tipped in almost every run, against the seeds' judgement."
    unrest.presence_shock: "hardship per armed person per 1000 people" = 0.02 in [0.0, 10.0] plausible [0.01, 0.04];
        "Hardship added per unaffiliated armed newcomer per thousand residents of the region (M6, S4).";
        "Analyst's judgement (A1): half to twice the default."
    unrest.casualty_rate: "1/day" = 0.00003 in [0.0, 0.1] plausible [0.00001, 0.0001];
        "Daily casualties per active person, doubled under the least competent policing (M6). Order of magnitude of Iraq's 2019 protests: several hundred killed over some 20 million protester-days (analyst estimate, no figure in the briefs).";
        "Analyst's judgement (A1): a third to about three times the default, an order-of-magnitude estimate."
    contest.csf_exponent: "exponent" = 1.0 in [0.1, 10.0] plausible [0.5, 2.0];
        "Exponent m of the ratio-form contest success function p = E_a^m / (E_a^m + E_b^m) (M7; Hirshleifer 1989).";
        "Analyst's judgement (A1): half to twice Hirshleifer's (1989) ratio form, from a contest decided mostly by luck to one decided mostly by strength."
    contest.attrition: "1/day" = 0.02 in [0.0, 1.0] plausible [0.01, 0.04];
        "Lanchester coefficient: daily losses inflicted per unit of effective strength (M7).";
        "Analyst's judgement (A1): half to twice the default."
    contest.killed_share: "share" = 0.4 in [0.0, 1.0] plausible [0.2, 0.6];
        "Share of a faction's or insurgency's listed losses in an operation who are killed (M7); the others leave the fight alive and are detained or disperse (`contest.captured_share`). The state's losses are all counted killed. Analyst's assumption (A1): the sources give no split of a militia's losses; 0.4 leaves most of them alive, as the cases' collapses (fighters going home, not dying) suggest.";
        "Analyst's judgement (A1): a fifth to three fifths of a militia's losses killed, as the sources give no split."
    contest.captured_share: "share" = 0.5 in [0.0, 1.0] plausible [0.25, 0.75];
        "Share of the fighters a faction loses alive who are to be detained, as far as detention has room; the rest disperse and count as deserted (M7). It applies to an operation's daily losses (with `contest.killed_share` at 0.4: 30% detained, 30% deserted) and to the fighters left when a faction defeated by the state dissolves. Analyst's assumption (A1): half.";
        "Analyst's judgement (A1): a quarter to three quarters of those lost alive detained."
    contest.loss_morale: "morale per share of fighters lost" = 0.5 in [0.0, 5.0] plausible [0.25, 1.0];
        "Morale a group loses per share of its fighters lost in a day of an operation (M7): at 0.5, losing a tenth of its fighters costs 0.05 of morale (on a 0-1 scale). Analyst's assumption (A1).";
        "Analyst's judgement (A1): half to twice the default."
    contest.break_share: "share" = 0.35 in [0.0, 1.0] plausible [0.2, 0.5];
        "A side breaks when its effective strength falls below this share of its strength at the start of the operation (M7).";
        "Analyst's judgement (A1): a side breaks between a fifth and a half of its starting strength."
    contest.regroup_days: "days" = 30.0 in [1.0, 3650.0] plausible [15.0, 60.0];
        "Days after an insurgency's offensive on a region breaks down before it may attack the same region again (M7): campaigns come in waves (Afghanistan 2021: the Taliban took districts from May to August). Set it beyond the horizon for a single offensive.";
        "Analyst's judgement (A1): half to twice the default."
    contest.regroup_ratio: "share" = 1.0 in [0.0, 10.0] plausible [0.75, 1.5];
        "Force ratio an insurgency waits for before it attacks a region again, as a share of the ratio (its effective strength over the defenders') when its broken offensive began (M7): 1 waits for odds at least as good as the first time, which come when the defenders weaken (desertion, withdrawal) or the insurgency's morale recovers.";
        "Analyst's judgement (A1): from odds a quarter worse than the first offensive's to half again better."
    contest.collateral: "civilians per fighter lost" = 0.3 in [0.0, 10.0] plausible [0.15, 0.6];
        "Civilian casualties per fighter lost in an operation, divided by the attacker's precision multiplier 1 + intel (M7).";
        "Analyst's judgement (A1): half to twice the default."
    contest.legitimacy_per_casualty: "legitimacy per 1000 casualties" = 0.05 in [0.0, 1.0] plausible [0.025, 0.1];
        "Legitimacy shock to an affected community per thousand civilian casualties of state operations, scaled by 0.5 + its alignment with the patron; the shock lowers the legitimacy target and decays (M7, M6).";
        "Analyst's judgement (A1): half to twice the default."
    contest.defender_advantage: "multiplier" = 1.5 in [1.0, 5.0] plausible [1.3, 2.0];
        "Factor on the defender's effective strength in the contest and its fire (M7): prepared positions, force-to-space and terrain. Dupuy's posture factors put a prepared defence at about 1.3-1.5 and a fortified one near 1.6-2.0 (Dupuy 1987); the attacker's rule of thumb of 3:1 at the point of attack (Mearsheimer 1989) is the same idea at a local concentration. 1.5 is a prepared defence (A1).";
        "Dupuy's (1987) posture factors, from a prepared defence (1.3) to a fortified one (2.0)."
    contest.frontage_ratio: "multiple of the other side's strength" = 3.0 in [1.0, 20.0] plausible [2.0, 5.0];
        "The most effective strength a side brings to bear on a day of a state operation against a group that holds its own ground, as a multiple of the other side's (M7 force-to-space): the ground such a group holds grows with its numbers and limits how many attackers can engage it at once, the rest wait, rotate in and replace losses, so a tenfold superiority wins more surely than a threefold one (the day's odds weigh whole strengths) but does not kill ten times as fast (each side's fire comes from its engaged strength). Liddell Hart's force-to-space ratio (beyond some density, more troops add little: Liddell Hart 1960) and the 3:1 rule for the local ratio an attacker seeks (Mearsheimer 1989) give the idea; 3 is that ratio, an analyst's judgement (A1), not fitted. Guerrillas are not affected (their exposed share already limits each day's fight), nor are offensives on a region, whose defenders hold the region's space whatever their numbers.";
        "Analyst's judgement (A1): a local ratio from 2:1 to 5:1 around the 3:1 rule (Mearsheimer 1989)."
    contest.combat_support_weight: "precision per unit of support" = 1.0 in [0.0, 5.0] plausible [0.5, 2.0];
        "Precision a sponsor's full combat support (air power, artillery, crews, maintenance) lends a group in a contest (M7): precision is 1 + intel + w * sum(combat_support weight * level). At 1, full air support doubles the effect of each fighter, about what the sources credit US air power with for the Afghan forces and Russian air power for Assad's (domain-facts 6.1-6.2; A1).";
        "Analyst's judgement (A1): half to twice the default."
    contest.flight_odds: "probability" = 0.5 in [0.0, 1.0] plausible [0.25, 0.75];
        "The attacker's daily odds of prevailing on the capital at which a leader with no backing left flees (M7 political ending): he flees once p >= phi + (1 - phi) * B, B the backing his forces still expect from their sponsors relative to the start. A fully backed leader stays to the end; an abandoned one leaves before the last defenders break (Ghani on 15 Aug 2021, Assad on 8 Dec 2024, Mengistu a week before Addis Ababa fell: domain-facts 6.1-6.2, cases brief 3). 0.5: he flees once the attackers are more likely than not to win the day (A1).";
        "Analyst's judgement (A1): a leader with no backing flees once the attackers' odds of the day reach a quarter to three quarters."
    contest.handover_days: "days" = 7.0 in [0.0, 365.0] plausible [0.0, 14.0];
        "Days a caretaker government takes to hand the capital over after the leader has fled, unless its defenders break first (M7 political ending): it calls off force, asks for terms and hands over on the last of these days. Mengistu flew out on 21 May 1991, his vice-president asked for a ceasefire, and the EPRDF entered Addis Ababa on 28 May after the London talks (cases brief 3.3, C49-C52): 7 days, the one caretaker in the library. Where the army dissolves with its leader (Kabul 2021, Damascus 2024, the same day) the defenders break first: the flight alarms every state force to the full (M3).";
        "From a handover the same day to two weeks around the Derg's seven days (cases brief 3.3; A1)."
    contest.redeploy_days: "days" = 7.0 in [1.0, 365.0] plausible [3.0, 14.0];
        "Days the state's reserves take to reach a region under an insurgent offensive (M7): on day t of the offensive the defenders are the forces policing the region plus the share min(1, t/d) of their reserves. A week is an analyst's judgement (A1): reserves move by road over days, not at once, so a thinly held region is fought first by its garrison (Aleppo fell in about three days in November 2024 while reinforcements were sent toward Hama; domain-facts 6.2).";
        "Analyst's judgement (A1): reserves arrive within half a week to two weeks."
    contest.opportunism: "multiplier per share of the reserve tied down" = 1.0 in [0.0, 10.0] plausible [0.0, 2.0];
        "How much more likely a scripted insurgent offensive with a daily hazard becomes while the state's reserve is tied down elsewhere (M7, events): its daily probability is q * (1 + o * D), D the share of the reserve held by the state's own operations and by the defence of other regions under offensive. Insurgents strike when the state is busy elsewhere: HTS opened its offensive on Aleppo the day the Israel-Hezbollah ceasefire began, with Assad's allies drained (domain-facts 6.2). 1 doubles the hazard when the whole reserve is committed, an analyst's judgement (A1); scheduled offensives are not affected.";
        "Analyst's judgement (A1): from no opportunism at all to tripling the hazard when the whole reserve is committed."
    contest.guerrilla_exposure: "share" = 0.2 in [0.0, 1.0] plausible [0.1, 0.3];
        "Share of a guerrilla force engaged on a day of a state operation against it (M7): guerrillas choose when and where to fight and the state's fire on them is area fire (Deitchman 1962), so both sides' losses are the Lanchester losses times this share, and the guerrillas fight without the defender's advantage of prepared positions. No published figure: set with the library's two guerrilla cases (the contras, RENAMO; 0.1, 0.15, 0.2 and 0.3 tried, docs/validation.md); groups that hold ground are not affected.";
        "The values tried on the library's two guerrilla cases (docs/validation.md)."
    settlement.recompute_tolerance: "share of total capability" = 0.05 in [0.0, 1.0] plausible fixed;
        "A bargaining round reuses the last computed prediction while less than this share of the stakeholders' total capability has changed hands since (the total variation distance between capability shares) (M8). The spatial model's prediction jumps by about 3 points for shifts of 0.01-0.1% (a bargain taken or not at some turn) and responds systematically only by about 5.6 points for shifts of 3-10% (measured on the Iraq scenario's negotiate runs), so rounds within 5% add little beyond that jitter; patron collapse (Iran alone holds about a tenth of the capability) still triggers fresh rounds.";
        "Fixed: a tolerance of the computation (when a bargaining round may reuse the last prediction), not a behaviour; it changes results only by the spatial model's jitter."
    settlement.presence_capability: "share" = 0.5 in [0.0, 1.0] plausible [0.25, 0.75];
        "Share of an outside power's bargaining capability that rests on its troops in the host (M8): capability = b * ((1 - s) + s * troops/troops at the start), so a power that has left keeps the rest. Analyst's assumption (A1): half.";
        "Analyst's judgement (A1): a quarter to three quarters of a power's capability rests on its troops."
    government.decision_delay: "days" = 12.0 in [0.0, 365.0] plausible [6.0, 24.0];
        "Days a fully indecisive, fully constrained government takes to enact a course of action's setting (M9); a decisive leader needs (1 - decisiveness) of it.";
        "Analyst's judgement (A1): half to twice the default."
    government.constraint_weight: "share" = 1.0 in [0.0, 5.0] plausible [0.5, 2.0];
        "How much the seat share of patron-aligned blocs (scaled by patron capacity) slows the government (M9).";
        "Analyst's judgement (A1): half to twice the default."
    government.coalition_patience: "days" = 14.0 in [1.0, 3650.0] plausible [7.0, 28.0];
        "Days of full pressure a governing bloc bears before it leaves the coalition (M9): each day the state's campaign of force goes on against its armed wing it counts one, against another client of the patron it is aligned with it counts its alignment times that patron's capacity. Two weeks is an analyst's judgement (A1), of the order of the June 2020 episode in which men detained in a raid on a Kataib Hizballah cell in Baghdad were freed within days under the factions' pressure; the range runs from a day to the horizon.";
        "Analyst's judgement (A1): half to twice the default: one to four weeks."
    government.immunity_weight: "relative weight" = 0.4 in [0.0, 1.0] plausible [0.2, 0.8];
        "Weight of immunity in the value of an offer to a faction (M9; read by M3 and M4): the value is the weighted mean of the terms offered (immunity, compensation, posts), the three weights normalised by their sum. The seeds name immunity and compensation first: 0.4 each, posts 0.2 (A1).";
        "Analyst's judgement (A1): half to twice the default."
    government.compensation_weight: "relative weight" = 0.4 in [0.0, 1.0] plausible [0.2, 0.8];
        "Weight of compensation in the value of an offer to a faction (M9), with `government.immunity_weight` and `government.posts_weight` (A1).";
        "Analyst's judgement (A1): half to twice the default."
    government.posts_weight: "relative weight" = 0.2 in [0.0, 1.0] plausible [0.1, 0.4];
        "Weight of posts (positions in the state) in the value of an offer to a faction (M9), with `government.immunity_weight` and `government.compensation_weight` (A1).";
        "Analyst's judgement (A1): half to twice the default."
    government.indecisive_credibility: "share" = 0.5 in [0.0, 1.0] plausible [0.25, 0.75];
        "Share of a leader's integrity that counts as the credibility of the government's own offers when the leader has no decisiveness at all (M9): c_gov = integrity * (b + (1 - b) * decisiveness), so a decisive leader's word carries his full integrity and an indecisive one's half of it (A1; Walter 1997's commitment problem).";
        "Analyst's judgement (A1): an indecisive leader's word carries a quarter to three quarters of his integrity."
    government.coup_rate: "1/day" = 0.005 in [0.0, 1.0] plausible [0.0025, 0.01];
        "Daily probability that the host's officers attempt a coup when the army has lost all its sponsors' backing and all its listed fighters (M9 political ending): the hazard is h * (1 - B) * L, B the backing the state forces still expect from their sponsors relative to the start (as in `contest.flight_odds`) and L the share of the state forces' listed fighters gone since the start. A backed or an intact army does not move against its leader. 0.005 is an analyst's judgement (A1): an army with no backing left that has lost a third of its men attempts about one coup in 600 days, of the order of the Derg's single attempt in its three losing years (16 May 1989, after Afabet and the loss of Tigray, as Soviet aid shrank; its plotters wanted a negotiated end to the war: cases brief 3.3).";
        "Analyst's judgement (A1): half to twice the default."
    government.coup_success: "probability" = 0.48 in [0.0, 1.0] plausible [0.35, 0.65];
        "Probability that a coup attempt succeeds (M9 political ending): the plotters depose the leader, call off the government's campaigns of force and hand the capital over to an offensive that is more likely than not to win the day. 0.48 is the mean success rate of the coup attempts of 1950-2010 in Powell and Thyne's dataset (Journal of Peace Research 48(2), 2011); a failed attempt is followed by a purge (`government.purge_morale`).";
        "Powell and Thyne (2011): the rate fell from peaks around 1970 and 1980 until about 2000; 12 of the 18 attempts of 2003-2010 succeeded."
    government.defection_rate: "1/day" = 0.005 in [0.0, 1.0] plausible [0.0025, 0.01];
        "Daily rate at which the commanders of a unit that can go over to another side (its defects_to) take the whole unit over, at no backing left and every listed fighter gone (M9 elite defection): the hazard is r_e * (1 - B) * L with the backing B and losses L that drive coups. No case of the library has a unit that can defect, so nothing was fitted: the rate is the coup rate's, on the reading that an abandoned, bleeding army's officers either seize power or change sides (A1).";
        "Analyst's judgement (A1): half to twice the coup rate."
    government.purge_morale: "morale" = 0.1 in [0.0, 1.0] plausible [0.05, 0.2];
        "Morale every state force loses after a failed coup (M9 political ending), and the alarm it raises in them: the leader purges the officer corps (after the Derg's failed coup of May 1989 nine generals died, 180 officers were held and twelve executed, and the Second Army in Asmara mutinied: cases brief 3.3-3.4). A tenth is an analyst's judgement (A1).";
        "Analyst's judgement (A1): half to twice the default."
    outside.response_delay: "days" = 3.0 in [0.0, 60.0] plausible [1.0, 7.0];
        "Days an outside power takes to act on a lever (M10): the seeds' 72 hours.";
        "Analyst's judgement (A1): a day to a week around the seeds' 72 hours."
    outside.remote_intel: "share" = 0.5 in [0.0, 1.0] plausible [0.25, 0.75];
        "Share of an outside power's baseline intelligence support that remains once its presence in the host has ended (M10, read by M5 and M7): support from over the horizon is thinner. Analyst's assumption (A1): half.";
        "Analyst's judgement (A1): a quarter to three quarters of the support remains from over the horizon."
    outside.strike_casualties: "people" = 20.0 in [0.0, 1000.0] plausible [10.0, 40.0];
        "Fighters killed by one exploitative strike by a regional power (M10).";
        "Analyst's judgement (A1): half to twice the default."
    outside.retaliation_rate: "1/day" = 0.1 in [0.0, 1.0] plausible [0.05, 0.2];
        "Daily probability that a faction the state is attacking strikes at the troops of an outside power it is hostile to, at full hostility (M10; times the hostile tie's weight). The Islamic Resistance in Iraq claimed more than 180 attacks on US forces from 7 October 2023 to mid-August 2024, about 0.6 a day by some five factions, about 0.1 a day each (domain-facts 0, S36); that campaign followed the patron's war, and the model lets a faction strike back only while the state fights it.";
        "Half to twice the Islamic Resistance in Iraq's rate of 2023-24 per faction (domain-facts 0, S36)."
    outside.answer_share: "probability" = 0.25 in [0.0, 1.0] plausible [0.1, 0.5];
        "Probability that an outside power answers an attack on its troops with a strike on the attacker (M10; the strike kills outside.strike_casualties). The US answered the Tower 22 attack with strikes in Iraq and Syria on 2-3 February 2024 (domain-facts 0, S38) but left most of the 180 attacks of 2023-24 unanswered; a quarter is an analyst's judgement (A1).";
        "Analyst's judgement (A1): one attack in ten to one in two answered."
    outside.attack_resolve: "share per attack" = 0.01 in [0.0, 1.0] plausible [0.0, 0.03];
        "Share of an outside power's support beyond its baseline (its intelligence lever) lost per attack its troops suffer from holdouts (M10): the power's resolve is max(0, 1 - k * attacks). The 2023-24 attack campaign was followed by the agreement of 27 September 2024 to end the coalition mission in federal Iraq and the US departure from its bases there in January 2026 (domain-facts 0, S58, S59), while the 2026 defence bill tied aid to disarmament (S60): attacks raise the political price of backing the host. A hundredth per attack, so that a hundred attacks would end the surge of support, is an analyst's judgement (A1).";
        "Analyst's judgement (A1): from no effect to ending the surge after about thirty attacks."
    outside.strike_legitimacy: "legitimacy" = 0.01 in [0.0, 1.0] plausible [0.005, 0.02];
        "Legitimacy shock to the struck region's communities per strike, lowering their legitimacy target until it decays: the state looks unable to protect (M10).";
        "Analyst's judgement (A1): half to twice the default."
    outside.unrest_instability: "instability per active share" = 4.0 in [0.0, 100.0] plausible [2.0, 8.0];
        "Instability per share of the population active in unrest, as regional powers read it when deciding whether to strike (M10): instability = min(1, u * active + l * (1 - legitimacy) + c * collapse progress). At 4 a quarter of the population active is full instability. Analyst's assumption (A1).";
        "Analyst's judgement (A1): half to twice the default: full instability at an eighth to half of the population active."
    outside.illegitimacy_instability: "instability" = 0.5 in [0.0, 10.0] plausible [0.25, 1.0];
        "Instability from a state with no legitimacy left, in the exploitation rule with `outside.unrest_instability` (M10). Analyst's assumption (A1).";
        "Analyst's judgement (A1): half to twice the default."
    outside.collapse_instability: "instability" = 0.5 in [0.0, 10.0] plausible [0.25, 1.0];
        "Instability from a patron whose collapse is complete, in the exploitation rule with `outside.unrest_instability` (M10). Analyst's assumption (A1).";
        "Analyst's judgement (A1): half to twice the default."
}

impl Params {
    /// The registry entry of a parameter by its dotted name.
    pub fn spec(name: &str) -> Option<&'static ParamSpec> {
        PARAMETERS.iter().find(|p| p.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_lie_in_their_ranges() {
        let p = Params::default();
        for spec in PARAMETERS {
            let v = (spec.get)(&p);
            assert!(
                v >= spec.min && v <= spec.max,
                "{} = {v} outside [{}, {}]",
                spec.name,
                spec.min,
                spec.max
            );
        }
    }

    #[test]
    fn names_are_unique_and_setters_write_their_own_field() {
        for (i, a) in PARAMETERS.iter().enumerate() {
            for b in &PARAMETERS[i + 1..] {
                assert_ne!(a.name, b.name);
            }
            let mut p = Params::default();
            (a.set)(&mut p, 12345.0);
            assert_eq!((a.get)(&p), 12345.0);
            let changed = PARAMETERS.iter().filter(|s| (s.get)(&p) == 12345.0).count();
            assert_eq!(changed, 1, "{} writes more than its own field", a.name);
        }
    }

    #[test]
    fn plausible_ranges_lie_in_the_valid_ranges_around_the_defaults() {
        let mut varied = 0;
        for spec in PARAMETERS {
            assert!(
                spec.plausible_why.trim_end().ends_with('.') && spec.plausible_why.len() > 20,
                "{} needs a sentence saying why its plausible range is what it is",
                spec.name
            );
            let Some([low, high]) = spec.plausible else {
                assert!(
                    spec.plausible_why.starts_with("Fixed:"),
                    "{}: a fixed parameter says why it is fixed",
                    spec.name
                );
                continue;
            };
            varied += 1;
            assert!(
                low < high,
                "{}: plausible [{low}, {high}] is empty",
                spec.name
            );
            assert!(
                spec.min <= low && high <= spec.max,
                "{}: plausible [{low}, {high}] outside the valid [{}, {}]",
                spec.name,
                spec.min,
                spec.max
            );
            assert!(
                low <= spec.default && spec.default <= high,
                "{}: default {} outside plausible [{low}, {high}]",
                spec.name,
                spec.default
            );
        }
        // Behavioural weights are uncertain: only settings of the
        // computation may be fixed, and fixing one is a decision made here.
        let fixed: Vec<&str> = PARAMETERS
            .iter()
            .filter(|p| p.plausible.is_none())
            .map(|p| p.name)
            .collect();
        assert_eq!(fixed, ["settlement.recompute_tolerance"]);
        assert_eq!(varied + fixed.len(), PARAMETERS.len());
        for name in [
            "firebreak.interdiction_k",
            "stance.ideology_weight",
            "unrest.alignment_shock",
        ] {
            assert!(
                Params::spec(name).and_then(|s| s.plausible).is_some(),
                "{name}"
            );
        }
    }
}
