//! The world: everything a run starts from, as plain data.
//!
//! A [`World`] is what the scenario layer builds from a scenario file after
//! validation and after any uncertain value has been fixed (its nominal value
//! for a single run, a sampled one in an ensemble). The model never changes a
//! world; a run copies what it needs into its [`State`](crate::State).
//!
//! Units used throughout: people and fighters are counts (f64 so that the
//! mean-field mechanisms can move fractions of them), money is US dollars,
//! time is days, and shares, probabilities, morale, legitimacy and capacity
//! lie in [0, 1].

use crate::ids::*;
use crate::outcomes::Condition;
use crate::params::Params;

/// The static description of one case.
#[derive(Clone, Debug, Default)]
pub struct World {
    /// Days simulated when the caller does not say otherwise.
    pub horizon_days: u32,
    /// Behavioural parameters of the mechanisms.
    pub params: Params,
    /// Patron states (kind state, role patron).
    pub patrons: Vec<Patron>,
    /// The host state's government.
    pub host: Host,
    /// Outside powers (kind state, role outside).
    pub outside: Vec<OutsidePower>,
    /// Armed groups: factions, state forces, insurgencies.
    pub groups: Vec<ArmedGroup>,
    /// Clerics and judiciaries.
    pub authorities: Vec<Authority>,
    /// Political blocs.
    pub blocs: Vec<Bloc>,
    /// Communities by region.
    pub communities: Vec<Community>,
    /// Regions of the host state.
    pub regions: Vec<Region>,
    /// Border segments with their crossings.
    pub segments: Vec<Segment>,
    /// Every crossing, numbered across segments.
    pub crossings: Vec<Crossing>,
    /// Directed, typed, weighted links between actors.
    pub ties: Vec<Tie>,
    /// Events that happen whatever the shock.
    pub events: Vec<Event>,
    /// Named bundles of events; a run plays exactly one.
    pub shocks: Vec<Shock>,
    /// Things decision makers can set.
    pub levers: Vec<Lever>,
    /// Courses of action: lever settings and trigger rules.
    pub coas: Vec<Coa>,
    /// Named end states, checked in order; the first whose rule holds is reached.
    pub futures: Vec<Future>,
    /// Policy dimensions bargained over by stakeholders (M8).
    pub issues: Vec<Issue>,
    /// How M6 computes the active share of communities.
    pub unrest: UnrestModel,
}

/// How M6 computes unrest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnrestModel {
    /// The fast mean-field fixed point (the default).
    #[default]
    MeanField,
    /// M6-agents: an Epstein grid per community, `side` × `side` cells, one
    /// step a day.
    Agents {
        /// Cells per side of each community's grid.
        side: u32,
    },
}

/// A patron state: it funds, arms, commands and inspires clients (S1).
#[derive(Clone, Debug, Default)]
pub struct Patron {
    /// Display name.
    pub name: String,
    /// Capacity to support clients at the start, in [0, 1].
    pub capacity: f64,
    /// Theatres where it keeps personnel; one may be the host state.
    pub theaters: Vec<Theater>,
    /// Pools of people on its soil who may flee to the host when it collapses (S4).
    pub pools: Vec<Pool>,
}

/// A theatre of operations of a patron and its personnel there (S2).
#[derive(Clone, Debug, Default)]
pub struct Theater {
    /// Display name.
    pub name: String,
    /// Personnel deployed there at the start (people).
    pub personnel: f64,
    /// Whether this theatre is the host state; support to clients scales with it.
    pub is_host: bool,
}

/// People on a patron's soil who may flee toward the host's border (S4).
#[derive(Clone, Debug, Default)]
pub struct Pool {
    /// Display name, e.g. "regime officials".
    pub name: String,
    /// People in the pool at the start.
    pub people: f64,
    /// Share of the pool that tries to flee once its patron collapses.
    pub flee_share: f64,
    /// Border segments they head for, with relative weights (normalised at use).
    pub routes: Vec<(SegmentId, f64)>,
    /// The armed group crossers join, if any; otherwise they stay an
    /// unaffiliated armed presence in the region the segment leads into.
    pub joins: Option<GroupId>,
}

/// The host state's government (S8).
#[derive(Clone, Debug, Default)]
pub struct Host {
    /// Display name.
    pub name: String,
    /// The head of government's profile.
    pub leader: Leader,
    /// People the state can hold in detention at once.
    pub detention_capacity: f64,
    /// The capital region: it falls when its defenders break (M7).
    pub capital: Option<RegionId>,
    /// Share of the governing coalition's seats at the start below which
    /// the government falls (M9), in [0, 1].
    pub coalition_floor: f64,
}

/// The head of government's profile (M9); each trait in [0, 1].
#[derive(Clone, Debug, Default)]
pub struct Leader {
    /// Display name.
    pub name: String,
    /// Speed and firmness of decisions.
    pub decisiveness: f64,
    /// Willingness to govern across sects and regions.
    pub inclusiveness: f64,
    /// Freedom from corruption; drives the credibility of offers.
    pub integrity: f64,
}

/// An outside power (S9, M10).
#[derive(Clone, Debug, Default)]
pub struct OutsidePower {
    /// Display name.
    pub name: String,
    /// Troops present in the host at the start.
    pub presence: f64,
    /// Day its presence ends, if it does.
    pub presence_end_day: Option<u32>,
    /// Intelligence support to the host at the start, in [0, 1]; multiplies
    /// interdiction and precision by (1 + intel).
    pub intel: f64,
    /// Daily probability of an exploitative strike in the host when the host
    /// is at its most unstable; scaled by instability and dissuasion.
    pub exploitation: f64,
    /// Cooperation in securing the far side of border segments, in [0, 1].
    pub border_cooperation: Vec<(SegmentId, f64)>,
    /// Credibility as a guarantor of a settlement, in [0, 1] (Walter 1997).
    pub guarantee: f64,
    /// Donor aid at the start, in [0, 1] of its full potential.
    pub aid: f64,
}

/// What an armed group is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum GroupRole {
    /// A militia or other non-state armed group.
    #[default]
    Faction,
    /// A force of the host state (army, police, border guards).
    StateForce,
    /// An armed group fighting the host state.
    Insurgency,
}

/// A faction's stance toward the host state (M4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Stance {
    /// Follows its patron.
    #[default]
    Aligned,
    /// Keeps its options open between its patron and the state.
    Hedging,
    /// Keeps its arms and its own counsel: follows no patron and has taken
    /// no terms (a group with no patron, or one whose patron has failed).
    Autonomous,
    /// In talks with the government over an offer.
    Negotiating,
    /// Disarmed or under state command.
    Integrated,
    /// Refuses an offer and keeps its arms.
    Holdout,
    /// Fights the state.
    Insurgent,
    /// Gone: too few fighters remain.
    Dissolved,
}

impl Stance {
    /// All stances, in reporting order.
    pub const ALL: [Stance; 8] = [
        Stance::Aligned,
        Stance::Hedging,
        Stance::Autonomous,
        Stance::Negotiating,
        Stance::Integrated,
        Stance::Holdout,
        Stance::Insurgent,
        Stance::Dissolved,
    ];

    /// The name used in scenario files and outputs.
    pub fn name(self) -> &'static str {
        match self {
            Stance::Aligned => "aligned",
            Stance::Hedging => "hedging",
            Stance::Autonomous => "autonomous",
            Stance::Negotiating => "negotiating",
            Stance::Integrated => "integrated",
            Stance::Holdout => "holdout",
            Stance::Insurgent => "insurgent",
            Stance::Dissolved => "dissolved",
        }
    }

    /// Whether fighters of this stance are outside state control.
    pub fn outside_state_control(self) -> bool {
        !matches!(self, Stance::Integrated | Stance::Dissolved)
    }
}

/// Where a state force's fighters are assigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Front {
    /// Guarding a border segment.
    Segment(SegmentId),
    /// Policing a region.
    Region(RegionId),
}

/// An armed group (M2, M3, M4, M7).
#[derive(Clone, Debug, Default)]
pub struct ArmedGroup {
    /// Display name.
    pub name: String,
    /// Faction, state force or insurgency.
    pub role: GroupRole,
    /// Home region.
    pub region: Option<RegionId>,
    /// Fighters on the books (the payroll figure).
    pub fighters: f64,
    /// Share of listed fighters actually present (ghost soldiers discount).
    pub fill_rate: f64,
    /// Morale at the start, in [0, 1].
    pub morale: f64,
    /// Ideological commitment to its patron's cause, in [0, 1].
    pub ideology: f64,
    /// Allegiance at the start to (patron, host state, itself); sums to 1.
    pub allegiance: [f64; 3],
    /// Stance at the start.
    pub stance: Stance,
    /// Cost of one fighter (US dollars per day).
    pub cost_per_fighter: f64,
    /// Illicit revenue besides controlled crossings (US dollars per day).
    pub illicit_revenue: f64,
    /// How much the group's morale rests on its sponsors' support, in [0, 1].
    pub sponsor_dependence: f64,
    /// Mean of the fighters' desertion thresholds (Granovetter 1978).
    pub threshold_mean: f64,
    /// Standard deviation of the desertion thresholds.
    pub threshold_sd: f64,
    /// Whether the group demands the departure of foreign forces before it disarms.
    pub foreign_exit_precondition: bool,
    /// Whether the group fights as guerrillas when the state moves against
    /// it: dispersed, choosing its fights, only a share of it within reach
    /// of the state's fire (M7, Deitchman 1962); otherwise it defends its
    /// positions with the defender's advantage.
    pub guerrilla: bool,
    /// The faction this group splintered from, if it is a splinter.
    pub splinter_of: Option<GroupId>,
    /// For state forces: shares of the force assigned to fronts; the rest is reserve.
    pub allocation: Vec<(Front, f64)>,
    /// For insurgencies: fighters abroad who try to infiltrate.
    pub abroad: f64,
    /// For insurgencies: the segment they infiltrate through and daily attempts.
    pub infiltration: Option<(SegmentId, f64)>,
    /// Stocks of arms, ammunition and fuel at the start, in days of supply
    /// at the normal rate of use (M2).
    pub stocks_days: f64,
    /// People who could still join the group: its recruitment pool (M2
    /// force generation; 0: it does not recruit).
    pub recruit_pool: f64,
    /// The side its fighters go over to when they leave under fire, with
    /// their arms, and the share of leavers who do (M3 defection).
    pub defection: Option<(GroupId, f64)>,
}

/// A cleric or a judiciary (S6).
#[derive(Clone, Debug, Default)]
pub struct Authority {
    /// Display name.
    pub name: String,
    /// Cleric or judiciary.
    pub role: AuthorityRole,
    /// Guidance at the start (clerics).
    pub guidance: Guidance,
    /// Credibility it lends to offers it backs, in [0, 1] (judiciaries: immunity).
    pub credibility: f64,
}

/// What kind of authority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AuthorityRole {
    /// A religious authority whose followers heed its guidance.
    #[default]
    Cleric,
    /// A judiciary whose backing makes immunity credible.
    Judiciary,
}

/// A cleric's guidance to followers (S6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Guidance {
    /// Says nothing.
    #[default]
    Silent,
    /// Calls for calm.
    Calm,
    /// Calls for a state monopoly of arms.
    StateMonopoly,
    /// Calls followers to mobilise.
    Mobilization,
}

impl Guidance {
    /// The name used in scenario files and outputs.
    pub fn name(self) -> &'static str {
        match self {
            Guidance::Silent => "silent",
            Guidance::Calm => "calm",
            Guidance::StateMonopoly => "state_monopoly",
            Guidance::Mobilization => "mobilization",
        }
    }

    /// Shift of a full follower's legitimacy target, in units of the guidance effect.
    pub fn legitimacy_sign(self) -> f64 {
        match self {
            Guidance::Silent => 0.0,
            Guidance::Calm => 1.0,
            Guidance::StateMonopoly => 0.6,
            Guidance::Mobilization => -1.0,
        }
    }
}

/// A political bloc (M8, M9).
#[derive(Clone, Debug, Default)]
pub struct Bloc {
    /// Display name.
    pub name: String,
    /// Seats in the legislature.
    pub seats: f64,
    /// Alignment with the patron, in [0, 1].
    pub patron_alignment: f64,
    /// Whether it belongs to the coalition the government rests on (M9).
    pub governing: bool,
    /// The armed groups that are its armed wing (M9).
    pub wings: Vec<GroupId>,
}

/// The people of one identity in one region (M6).
#[derive(Clone, Debug, Default)]
pub struct Community {
    /// Display name.
    pub name: String,
    /// Region.
    pub region: RegionId,
    /// Identity label (free text).
    pub identity: String,
    /// People.
    pub population: f64,
    /// Alignment with the patron, in [0, 1].
    pub patron_alignment: f64,
    /// Mean hardship H at the start, in [0, 1].
    pub hardship: f64,
    /// Perceived legitimacy of the government L at the start, in [0, 1].
    pub legitimacy: f64,
}

/// A region of the host state.
#[derive(Clone, Debug, Default)]
pub struct Region {
    /// Display name.
    pub name: String,
}

/// A border segment (M5, S5).
#[derive(Clone, Debug, Default)]
pub struct Segment {
    /// Display name.
    pub name: String,
    /// The state on the other side.
    pub neighbor: String,
    /// Length in kilometres.
    pub length_km: f64,
    /// Terrain cover, in [0, 1]: 0 open, 1 impassable to observation; detection scales by (1 - terrain).
    pub terrain: f64,
    /// The region crossers arrive in.
    pub region: RegionId,
    /// Crossings on this segment.
    pub crossings: Vec<CrossingId>,
}

/// A crossing point, official or informal.
#[derive(Clone, Debug, Default)]
pub struct Crossing {
    /// Display name.
    pub name: String,
    /// Its segment.
    pub segment: SegmentId,
    /// Official crossing (gates, staff) or informal route.
    pub official: bool,
    /// People who can pass per day.
    pub capacity_per_day: f64,
    /// Illicit revenue to the group controlling it (US dollars per day).
    pub revenue_per_day: f64,
}

/// The kinds of tie (brief §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TieKind {
    /// Money: share of the target's needs the source covers at full capacity.
    Funds,
    /// Weapons: share of the target's arms the source supplies.
    Arms,
    /// Command authority over the target: advisers and commanders present.
    Commands,
    /// Combat support: air power, artillery, crews and maintenance the
    /// source's personnel provide in the field (M1 support, M7 precision).
    CombatSupport,
    /// Sanctuary: territory across the host's border where the target's
    /// fighters can shelter beyond the state's reach (weight = the share of
    /// its fighters that can be there at once; M1 level, M7 reach).
    Sanctuary,
    /// Energy: share of the target community's electricity that comes from
    /// the source's gas and power exports (M1 level, M6 hardship).
    Energy,
    /// Allegiance of the source to the target's cause (weight = strength).
    Ideology,
    /// State payroll: share of the target's listed fighters the host pays.
    Pays,
    /// Hostility: the source would fight the target.
    Hostile,
    /// Control of a crossing or region.
    Controls,
}

impl TieKind {
    /// Every kind, in the order scenario files, outputs and legends list them.
    pub const ALL: [TieKind; 10] = [
        TieKind::Funds,
        TieKind::Arms,
        TieKind::Commands,
        TieKind::CombatSupport,
        TieKind::Sanctuary,
        TieKind::Energy,
        TieKind::Ideology,
        TieKind::Pays,
        TieKind::Hostile,
        TieKind::Controls,
    ];

    /// The support channels a sponsor can cut one by one, in the order of
    /// [`TieKind::channel`].
    pub const CHANNELS: [TieKind; 6] = [
        TieKind::Funds,
        TieKind::Arms,
        TieKind::Commands,
        TieKind::CombatSupport,
        TieKind::Sanctuary,
        TieKind::Energy,
    ];

    /// The index of a support channel in [`TieKind::CHANNELS`], or `None`
    /// for ties that carry no sponsorship.
    pub fn channel(self) -> Option<usize> {
        TieKind::CHANNELS.iter().position(|&k| k == self)
    }

    /// Whether the channel rests on the sponsor's personnel in the host
    /// theatre (advisers, troops, crews): only these follow its presence.
    pub fn needs_presence(self) -> bool {
        matches!(self, TieKind::Commands | TieKind::CombatSupport)
    }

    /// The name used in scenario files and outputs.
    pub fn name(self) -> &'static str {
        match self {
            TieKind::Funds => "funds",
            TieKind::Arms => "arms",
            TieKind::Commands => "commands",
            TieKind::CombatSupport => "combat_support",
            TieKind::Sanctuary => "sanctuary",
            TieKind::Energy => "energy",
            TieKind::Ideology => "ideology",
            TieKind::Pays => "pays",
            TieKind::Hostile => "hostile",
            TieKind::Controls => "controls",
        }
    }
}

/// What a tie points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TieTarget {
    /// Another actor.
    Actor(ActorRef),
    /// A crossing (for `controls`).
    Crossing(CrossingId),
    /// A region (for `controls`).
    Region(RegionId),
}

/// A directed, typed, weighted link.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tie {
    /// The actor the tie starts from.
    pub from: ActorRef,
    /// What it points at.
    pub to: TieTarget,
    /// Its kind.
    pub kind: TieKind,
    /// Its weight, in [0, 1].
    pub weight: f64,
}

/// When an event happens.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Timing {
    /// On a given day (day 1 is the first simulated day).
    Day(u32),
    /// At most once, with a daily probability, within a window of days.
    Hazard {
        /// Daily probability while the window is open.
        per_day: f64,
        /// First day of the window.
        from: u32,
        /// Last day of the window.
        to: u32,
    },
}

/// Something that happens to the system (brief §3, Event).
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Identifier used in logs.
    pub name: String,
    /// When it happens.
    pub timing: Timing,
    /// What happens.
    pub kind: EventKind,
}

/// What an event does.
#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    /// The patron's regime collapses: capacity falls to `floor` over
    /// `duration_days` and its pools start to flee (S4).
    Collapse {
        /// Whose regime.
        patron: PatronId,
        /// Days from onset to the floor.
        duration_days: f64,
        /// Capacity left at the end, in [0, 1].
        floor: f64,
    },
    /// The patron pulls back gradually: capacity falls to `floor` over
    /// `duration_days`; nobody flees (S2).
    Pullback {
        /// Which patron.
        patron: PatronId,
        /// Days from onset to the floor.
        duration_days: f64,
        /// Capacity left at the end, in [0, 1].
        floor: f64,
    },
    /// The patron resumes support: capacity rises from where it stands to
    /// `capacity` over `duration_days` (a cut reversed, or aid voted again).
    Resumption {
        /// Which patron.
        patron: PatronId,
        /// Days from onset to the new capacity.
        duration_days: f64,
        /// Capacity at the end, in [0, 1].
        capacity: f64,
    },
    /// The patron moves a share of its personnel from one theatre to another (S2).
    Withdrawal {
        /// Which patron.
        patron: PatronId,
        /// Theatre index left.
        from: usize,
        /// Theatre index reinforced, if any (otherwise the personnel go home).
        to: Option<usize>,
        /// Share of the personnel moved, in [0, 1].
        share: f64,
    },
    /// A sponsor announces it will cut support: clients' expectations fall
    /// before support does (the Afghan 2021 lesson; domain-facts 6.1).
    Announcement {
        /// The sponsor (a patron or an outside power).
        sponsor: ActorRef,
        /// Share by which clients' expected support falls at once, in [0, 1].
        expectation_drop: f64,
        /// Share of the sponsor's support that actually ends on `effective_day`.
        cut: f64,
        /// Days after the announcement when the cut takes effect.
        delay_days: f64,
        /// Days over which the announced drop in expectations fades, as
        /// the time constant of an exponential decay (M1).
        belief_days: f64,
    },
    /// A successor regime takes over the patron (M1).
    Successor {
        /// Which patron.
        patron: PatronId,
        /// Capacity of the successor, in [0, 1].
        capacity: f64,
        /// How much of the old regime's ideological pull survives, in [0, 1].
        continuity: f64,
    },
    /// A group's leader is killed.
    LeaderKilled {
        /// Which group.
        group: GroupId,
        /// Morale lost at once.
        morale_drop: f64,
    },
    /// An authority issues guidance (S6).
    GuidanceIssued {
        /// Which authority.
        authority: AuthorityId,
        /// The new guidance.
        guidance: Guidance,
    },
    /// An outside power strikes a group.
    Strike {
        /// Who strikes.
        by: OutsideId,
        /// Which group.
        group: GroupId,
        /// Fighters killed.
        fighters_killed: f64,
    },
    /// An insurgency launches an offensive on a region (M7).
    Offensive {
        /// The attacker.
        group: GroupId,
        /// The region attacked.
        region: RegionId,
        /// Share of the attacker's effective strength committed, in (0, 1].
        commit: f64,
        /// The regions it attacks next, in order, each once the one before
        /// has fallen (a phased campaign: towns, provinces, the capital).
        then: Vec<RegionId>,
    },
    /// A sponsor cuts some of its support channels (M1): each listed
    /// channel loses `share` of what is left of it.
    Cut {
        /// The sponsor (a patron or an outside power).
        sponsor: ActorRef,
        /// The channels cut.
        channels: Vec<TieKind>,
        /// Share of each channel cut, in [0, 1].
        share: f64,
    },
    /// Officers attempt a coup against the host's leader (M9). The model
    /// also produces attempts of its own (`mechanisms::coup`); a scripted
    /// one is resolved the same way, with its own chance of success.
    Coup {
        /// Probability that the attempt succeeds, in [0, 1] (0 for an
        /// attempt known to have failed).
        success: f64,
    },
    /// A share of a group's fighters (commanders and their units) goes
    /// over to another group, or home, with their arms (M3): elite
    /// defection, which alarms every group on the same side.
    Defection {
        /// The group that loses them.
        group: GroupId,
        /// The group they join (absent: they go home).
        to: Option<GroupId>,
        /// Share of the group's active fighters, in [0, 1].
        share: f64,
    },
}

/// A named bundle of events: the shock a run plays (e.g. abrupt collapse).
#[derive(Clone, Debug, Default)]
pub struct Shock {
    /// Identifier.
    pub name: String,
    /// Its events.
    pub events: Vec<Event>,
}

/// Which part of an offer a lever sets (M4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfferPart {
    /// Immunity from prosecution, in [0, 1].
    Immunity,
    /// Compensation per fighter as a share of a year's cost, in [0, 1].
    Compensation,
    /// Integration posts in state forces, as a share of fighters, in [0, 1].
    Posts,
}

/// What a lever acts on. Values are in [0, 1] unless said otherwise.
#[derive(Clone, Debug, PartialEq)]
pub enum LeverKind {
    /// Share of a state force assigned to the given segments (split by length);
    /// taken from the reserve and from policing in proportion.
    BorderShare {
        /// The force.
        force: GroupId,
        /// The segments.
        segments: Vec<SegmentId>,
    },
    /// One part of the offer to the given factions (empty: all factions).
    Offer {
        /// Which part.
        part: OfferPart,
        /// Factions offered.
        targets: Vec<GroupId>,
    },
    /// Intensity of force against targets that hold out: the share of the
    /// state's reserve committed to operations.
    Force {
        /// Factions targeted (empty: every holdout).
        targets: Vec<GroupId>,
    },
    /// Share of the payroll paid to the targets.
    Payroll {
        /// Groups paid.
        targets: Vec<GroupId>,
    },
    /// An outside power's intelligence support.
    Intel {
        /// Which power.
        power: OutsideId,
    },
    /// An outside power's donor aid.
    Aid {
        /// Which power.
        power: OutsideId,
    },
    /// An outside power's pressure on a neighbour to secure its side: adds to
    /// border cooperation on the given segments.
    NeighborPressure {
        /// Which power.
        power: OutsideId,
        /// The segments.
        segments: Vec<SegmentId>,
    },
    /// An outside power's dissuasion of regional powers from exploiting the moment.
    Dissuasion {
        /// Which power.
        power: OutsideId,
    },
    /// An outside power guarantees the settlement (Walter 1997).
    Guarantee {
        /// Which power.
        power: OutsideId,
    },
    /// The government's response to unrest: competence of policing (raises
    /// the arrest-risk effect) and restraint (avoids heavy-handedness).
    Policing {
        /// Regions policed (empty: all).
        regions: Vec<RegionId>,
    },
}

impl LeverKind {
    /// Whether the host government acts on this lever (and so with its decision delay).
    pub fn by_government(&self) -> bool {
        matches!(
            self,
            LeverKind::BorderShare { .. }
                | LeverKind::Offer { .. }
                | LeverKind::Force { .. }
                | LeverKind::Payroll { .. }
                | LeverKind::Policing { .. }
        )
    }
}

/// A named lever with its value when no course of action sets it.
#[derive(Clone, Debug, PartialEq)]
pub struct Lever {
    /// Identifier.
    pub name: String,
    /// What it acts on.
    pub kind: LeverKind,
    /// Value before any setting.
    pub default: f64,
}

/// A lever value a course of action sets from a given day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Setting {
    /// The lever.
    pub lever: LeverId,
    /// Its value.
    pub value: f64,
    /// Day the decision is taken (it takes effect after the actor's delay).
    pub from_day: u32,
}

/// A rule: when a condition holds (checked each day on the previous day's
/// outcomes, from `from_day` on), set a lever (once).
#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    /// The condition.
    pub when: Condition,
    /// First day the rule is checked.
    pub from_day: u32,
    /// The lever set.
    pub lever: LeverId,
    /// Its value.
    pub value: f64,
}

/// A course of action: a bundle of lever settings and trigger rules.
#[derive(Clone, Debug, Default)]
pub struct Coa {
    /// Identifier.
    pub name: String,
    /// Scheduled settings.
    pub settings: Vec<Setting>,
    /// Conditional settings.
    pub triggers: Vec<Trigger>,
    /// Issues (indices into `World::issues`) whose bargaining outcome sets
    /// their delegated levers under this course of action (M8).
    pub delegated: Vec<usize>,
}

/// A named end state.
#[derive(Clone, Debug, Default)]
pub struct Future {
    /// Identifier.
    pub name: String,
    /// All must hold; an empty list always holds (a default future).
    pub conditions: Vec<Condition>,
}

/// A stakeholder of an issue (M8).
#[derive(Clone, Debug)]
pub struct Stakeholder {
    /// The actor.
    pub actor: ActorRef,
    /// Position on the issue's 0..100 scale.
    pub position: f64,
    /// Salience, in [0, 1].
    pub salience: f64,
    /// Capability at the start (arbitrary positive units).
    pub capability: f64,
}

/// A policy dimension bargained over (M8).
#[derive(Clone, Debug)]
pub struct Issue {
    /// Identifier.
    pub name: String,
    /// Stakeholders.
    pub stakeholders: Vec<Stakeholder>,
    /// Days between bargaining rounds.
    pub every_days: u32,
    /// Levers whose value follows the predicted position: value = position/100
    /// mapped linearly onto [low, high].
    pub delegates: Vec<(LeverId, f64, f64)>,
    /// The Spatial Model of Politics' parameters for this issue's rounds
    /// (KTAB's defaults unless the scenario sets some).
    pub smp: patronfall_bargain::SmpParams,
}

impl World {
    /// The ties of one kind.
    pub fn ties_of(&self, kind: TieKind) -> impl Iterator<Item = &Tie> {
        self.ties.iter().filter(move |t| t.kind == kind)
    }

    /// Display name of any actor.
    pub fn actor_name(&self, actor: ActorRef) -> &str {
        match actor {
            ActorRef::Patron(i) => &self.patrons[i.index()].name,
            ActorRef::Host => &self.host.name,
            ActorRef::Outside(i) => &self.outside[i.index()].name,
            ActorRef::Group(i) => &self.groups[i.index()].name,
            ActorRef::Authority(i) => &self.authorities[i.index()].name,
            ActorRef::Bloc(i) => &self.blocs[i.index()].name,
            ActorRef::Community(i) => &self.communities[i.index()].name,
        }
    }

    /// Total people the conservation invariant tracks: armed groups' listed
    /// fighters, those abroad and their recruitment pools, and the patrons'
    /// pools.
    pub fn tracked_people(&self) -> f64 {
        let groups: f64 = self
            .groups
            .iter()
            .map(|g| g.fighters + g.abroad + g.recruit_pool)
            .sum();
        let pools: f64 = self
            .patrons
            .iter()
            .flat_map(|p| &p.pools)
            .map(|p| p.people)
            .sum();
        groups + pools
    }
}
