//! The state of a run: what changes from day to day.
//!
//! Plain data indexed by the same ids as the [`World`]; mechanisms are
//! functions that read the world and the state and write the state. Built
//! from a world by [`State::new`].

use crate::ids::*;
use crate::world::{GroupRole, Guidance, Stance, TieKind, World};

/// The regime state of a patron (M1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regime {
    /// Capacity at its starting level.
    Stable,
    /// Capacity falling without collapse (pullback).
    Strained,
    /// Collapse under way.
    Collapsing,
    /// Collapse complete.
    Collapsed,
    /// A successor regime governs.
    Successor,
}

impl Regime {
    /// The name used in outputs.
    pub fn name(self) -> &'static str {
        match self {
            Regime::Stable => "stable",
            Regime::Strained => "strained",
            Regime::Collapsing => "collapsing",
            Regime::Collapsed => "collapsed",
            Regime::Successor => "successor",
        }
    }
}

/// A capacity trajectory toward a floor (M1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trajectory {
    /// Day it starts.
    pub onset: u32,
    /// Capacity at the onset.
    pub from: f64,
    /// Capacity at the end.
    pub floor: f64,
    /// Days from onset to floor.
    pub duration: f64,
}

impl Trajectory {
    /// Capacity on `day`: linear from `from` to `floor` over `duration` days.
    pub fn capacity(&self, day: u32) -> f64 {
        let t = f64::from(day.saturating_sub(self.onset));
        let progress = if self.duration <= 0.0 {
            1.0
        } else {
            (t / self.duration).min(1.0)
        };
        self.from + (self.floor - self.from) * progress
    }
}

/// A patron during a run.
#[derive(Clone, Debug)]
pub struct PatronState {
    /// Capacity, in [0, 1].
    pub capacity: f64,
    /// Capacity before any shock.
    pub baseline: f64,
    /// Regime state.
    pub regime: Regime,
    /// The active capacity trajectory, if any.
    pub trajectory: Option<Trajectory>,
    /// Whether its pools are fleeing (after a collapse).
    pub fleeing: bool,
    /// Share of the collapse completed, in [0, 1]; drives flight.
    pub collapse_progress: f64,
    /// Personnel per theatre.
    pub personnel: Vec<f64>,
    /// How much of the regime's ideological pull survives, in [0, 1].
    pub continuity: f64,
    /// Share of its support cut by announced decisions now in effect.
    pub cut: f64,
    /// An announced cut waiting to take effect: (day, share).
    pub pending_cut: Option<(u32, f64)>,
    /// Share of each support channel cut by `cut` events, in the order of
    /// `TieKind::CHANNELS` (money, arms, advisers, combat support).
    pub channel_cut: [f64; TieKind::CHANNELS.len()],
    /// Pools of would-be leavers.
    pub pools: Vec<PoolState>,
}

/// A pool during a run; people move between its stocks.
#[derive(Clone, Debug)]
pub struct PoolState {
    /// People still on the patron's soil who will not flee.
    pub staying: f64,
    /// People still on the patron's soil who will try to flee.
    pub leavers: f64,
    /// People of this pool held in the host's detention.
    pub detained: f64,
    /// People of this pool who crossed and belong to no group, by host
    /// region (armed newcomers; M5 rounds them up, sends them on or lets
    /// them join a faction of their patron's).
    pub unaffiliated: Vec<f64>,
    /// People of this pool who crossed and then left the host, home or
    /// onward (M5).
    pub departed: f64,
    /// People of this pool who crossed and joined a group, at the border or
    /// later (a tally: they are counted in that group's `active`).
    pub joined: f64,
    /// Would-be leavers turned back at the border so far (a tally).
    pub turned_back: f64,
}

/// An outside power during a run.
#[derive(Clone, Debug)]
pub struct OutsideState {
    /// Troops present.
    pub presence: f64,
    /// Share of its support to clients cut by announced decisions in effect.
    pub cut: f64,
    /// An announced cut waiting to take effect: (day, share).
    pub pending_cut: Option<(u32, f64)>,
    /// Share of each support channel cut by `cut` events (as for patrons).
    pub channel_cut: [f64; TieKind::CHANNELS.len()],
    /// Attacks its troops in the host have suffered from holdouts so far
    /// (M10 retaliation).
    pub attacks: f64,
}

/// An armed group during a run. Its people are split into stocks that only
/// move between each other (the conservation invariant).
#[derive(Clone, Debug, Default)]
pub struct GroupState {
    /// Listed fighters still in the group.
    pub active: f64,
    /// Fighters who deserted.
    pub deserted: f64,
    /// Fighters killed.
    pub killed: f64,
    /// Fighters detained by the state.
    pub detained: f64,
    /// Fighters who came under state command when the group integrated.
    pub integrated: f64,
    /// Fighters abroad (insurgencies infiltrating).
    pub abroad: f64,
    /// Fighters who left to a splinter group (a tally: they are counted in
    /// the splinter group's `active`).
    pub splintered: f64,
    /// Morale, in [0, 1].
    pub morale: f64,
    /// Allegiance to (patron, host, itself), summing to 1.
    pub allegiance: [f64; 3],
    /// Stance.
    pub stance: Stance,
    /// Day the current stance began.
    pub stance_since: u32,
    /// Days of unpaid wages owed.
    pub arrears: f64,
    /// Share of today's wage bill covered, in [0, 1].
    pub pay_rate: f64,
    /// Support the group expects from its sponsors, in [0, 1].
    pub expected_support: f64,
    /// Support it actually receives, in [0, 1].
    pub support: f64,
    /// Support it received on day 0: its normal level, against which morale
    /// judges expected support and the host's leader the backing his forces
    /// still have (M7's political ending).
    pub support_start: f64,
    /// The morale the group is used to, against which lost morale presses
    /// toward desertion (M3): its starting morale, then following its morale
    /// with the time constant `loyalty.reference_days`.
    pub morale_usual: f64,
    /// Share of the listed fighters at the start who have deserted, in [0, 1].
    pub desertion_share: f64,
    /// The last desertion equilibrium M3 computed: the share it started
    /// from, the pressure, what its fighters saw gone elsewhere in the army,
    /// and the equilibrium share r*. The search is a pure function of these
    /// and the group's fixed thresholds, so a day whose inputs equal these
    /// bit for bit reuses r* (about two searches in five in the built-in
    /// scenario, mostly settled groups).
    pub desertion_memo: Option<(f64, f64, Seen, f64)>,
    /// What an announcement took off the support the group expects, still
    /// believed (a share of full support); it decays at
    /// `expectation_decay` a day and is dropped when the cut is made (M1).
    pub expectation_offset: f64,
    /// Daily decay of `expectation_offset`, set by the announcement.
    pub expectation_decay: f64,
    /// Precision its sponsors' combat support lends it in a contest today:
    /// `Σ_combat_support w · ℓ` (M1, M7).
    pub combat_support: f64,
    /// Share of its fighters that can shelter beyond the state's reach
    /// today: `min(1, Σ_sanctuary w · ℓ)` (M1, M7).
    pub sanctuary: f64,
    /// Alarm, in [0, 1]: how far something has set the fighters looking at
    /// each other (losses in battle, a nearby fall, the capital threatened,
    /// elite defection); the desertion cascade needs it (M3, M7).
    pub alarm: f64,
    /// Stocks of arms, ammunition and fuel, in days of supply at the normal
    /// rate of use (M2).
    pub stocks: f64,
    /// Today's deliveries as a share of the day's use, in [0, 1] (M2): what
    /// the group can fight with once its stocks are gone.
    pub supply_flow: f64,
    /// People left in the group's recruitment pool (M2).
    pub pool: f64,
    /// Fighters recruited so far (M2).
    pub recruited: f64,
    /// Fighters who went over to another group with their arms (M3).
    pub defected: f64,
    /// Effective strength: active x fill rate x stocks factor x morale
    /// (fighters).
    pub effective: f64,
    /// Effective strength on day 0.
    pub effective_start: f64,
    /// An insurgency whose offensive broke down: the earliest day it may
    /// attack again, the region, and the force ratio (its effective strength
    /// over the region's defenders') it waits for, and the share of its
    /// strength it commits and the campaign's objectives after the region
    /// (M7).
    pub regroup: Option<(u32, RegionId, f64, f64, Vec<RegionId>)>,
    /// A faction against which the state's operation broke down: the
    /// earliest day the state may move against it again and the force ratio
    /// (committed strength over the faction's) it waits for (M7, the same
    /// rule as an insurgency's regrouping).
    pub state_pause: Option<(u32, f64)>,
}

impl GroupState {
    /// All people the group accounts for, its recruitment pool included
    /// (recruits move from the pool to the active fighters).
    pub fn people(&self) -> f64 {
        self.active
            + self.deserted
            + self.killed
            + self.detained
            + self.integrated
            + self.abroad
            + self.pool
    }
}

/// A border segment during a run.
#[derive(Clone, Debug, Default)]
pub struct SegmentState {
    /// People who tried to cross today.
    pub attempts_today: f64,
    /// People who crossed today.
    pub crossers_today: f64,
    /// People interdicted today.
    pub interdicted_today: f64,
    /// People who crossed so far.
    pub crossers_total: f64,
    /// People interdicted so far.
    pub interdicted_total: f64,
    /// State fighters (effective) guarding it today.
    pub guards: f64,
    /// Interdiction probability on its informal routes today.
    pub p_informal: f64,
}

/// A crossing during a run (M5).
#[derive(Clone, Debug, Default)]
pub struct CrossingState {
    /// Today's uniform number for rounding interdictions.
    pub u: f64,
    /// Today's interdiction probability of one person crossing here
    /// (`p_x` of M5), set once a day before the flows are resolved.
    pub p_today: f64,
    /// People who crossed here today.
    pub crossed_today: f64,
    /// People interdicted here today.
    pub interdicted_today: f64,
    /// People who crossed here so far.
    pub crossed_total: f64,
}

/// A community during a run (M6).
#[derive(Clone, Debug)]
pub struct CommunityState {
    /// Share of people active, in [0, 1].
    pub active: f64,
    /// Mean hardship, in [0, 1].
    pub hardship: f64,
    /// Perceived legitimacy of the government, in [0, 1].
    pub legitimacy: f64,
    /// Legitimacy lost to collateral damage and strikes, not yet recovered.
    pub grievance_shock: f64,
    /// Casualties so far.
    pub casualties: f64,
}

/// What a group's fighters see gone when they decide whether to leave
/// (Granovetter's r; M3's cascade, `mechanisms::loyalty`): the share of their own unit, or, for the host's own
/// forces, the share of the host's whole army when more of it has gone.
/// Soldiers watch the units beside them as well as their own ("when one
/// person runs, everyone starts to toss their weapons and run", Syria 2024,
/// cases brief); a unit that has held together still sees a neighbouring
/// force melt away. The larger of the two counts, so a unit's own collapse
/// is never diluted by a steadier army around it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Seen {
    /// The group's share of the army's listed fighters (1 for a group that
    /// watches only itself).
    pub own_weight: f64,
    /// The army's fighters gone from the other forces, as a share of the
    /// army's listed fighters (0 for a group that watches only itself).
    pub elsewhere: f64,
}

impl Seen {
    /// A group that watches only itself: factions, insurgencies, and a host
    /// with one force.
    pub const OWN: Seen = Seen {
        own_weight: 1.0,
        elsewhere: 0.0,
    };

    /// The share seen gone when the group's own share is `r`.
    pub fn share(self, r: f64) -> f64 {
        r.max(self.own_weight * r + self.elsewhere)
    }
}

/// An armed operation between two groups (M7).
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The side that started it.
    pub attacker: GroupId,
    /// The side attacked.
    pub defender: GroupId,
    /// The region fought over.
    pub region: Option<RegionId>,
    /// Day it started.
    pub start_day: u32,
    /// Attacker's committed effective strength at the start.
    pub attacker_start: f64,
    /// The most effective strength the defender has put into the fight so
    /// far: its strength at the start, raised as reserves arrive (M7:
    /// defenders break against it, and regrouping measures odds by it).
    pub defender_peak: f64,
    /// The defender's active fighters at the start: a guerrilla force the
    /// state moves against breaks when its people are gone, not when its
    /// effectiveness falls (M7).
    pub defender_fighters_start: f64,
    /// Whether the defender fights as guerrillas (the group's `guerrilla`
    /// fact, M7).
    pub guerrilla: bool,
    /// Attacker's committed effective strength now.
    pub attacker_strength: f64,
    /// Share of an insurgency's effective strength committed to its
    /// offensive (1 for operations the state starts, whose committed
    /// strength is `attacker_strength`).
    pub commit: f64,
    /// The campaign's remaining objectives, attacked in order once this
    /// region falls (insurgent offensives).
    pub then: Vec<RegionId>,
    /// Effective strength each state force has lost defending this
    /// operation's region, by group index (empty until the first loss): the
    /// losses fall on the troops in the region, not on the force's other
    /// garrisons (M7).
    pub defender_losses: Vec<f64>,
    /// Whether it has ended.
    pub over: bool,
}

/// The government's side of the run: lever values and pending decisions (M9).
#[derive(Clone, Debug)]
pub struct GovernmentState {
    /// Current value of every lever.
    pub levers: Vec<f64>,
    /// Decisions taken and waiting for their delay: (effective day, lever, value).
    pub pending: Vec<(u32, LeverId, f64)>,
    /// Whether each trigger of the course of action has fired.
    pub fired: Vec<bool>,
    /// Share of the state's reserve committed to operations.
    pub committed: f64,
    /// What the levers in force mean to the mechanisms, derived from
    /// `levers` by `policy::refresh_policy` whenever a lever moves.
    pub policy: Policy,
    /// The lever settings `policy` was derived from.
    pub policy_for: Option<Vec<f64>>,
    /// Per bloc: the days of full pressure it has borne while the state
    /// fought its allies, and the day it left the governing coalition.
    pub coalition: Vec<(f64, Option<u32>)>,
    /// Day the government fell when its coalition broke, if it did.
    pub fell: Option<u32>,
    /// Coups attempted against the host's leader so far (M9).
    pub coup_attempts: u32,
    /// Day a coup deposed the host's leader, if one did (M9).
    pub deposed: Option<u32>,
    /// A scripted coup attempt of today (its chance of success), which M9
    /// resolves after the events.
    pub scripted_coup: Option<f64>,
}

/// The levers in force as the mechanisms read them, derived from the lever
/// values and the world alone (M9). Levers move a few times in a run while
/// mechanisms read these every day for every group, region and segment.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// Per armed group: the terms offered to it (immunity, compensation,
    /// posts), each in [0, 1].
    pub offer_terms: Vec<[f64; 3]>,
    /// Per armed group: the intensity of force ordered against it, in [0, 1].
    pub force_against: Vec<f64>,
    /// Per armed group: the share of its payroll the state pays, in [0, 1].
    pub payroll_share: Vec<f64>,
    /// Per region: policing competence, in [0, 1].
    pub policing: Vec<f64>,
    /// Per border segment: outside pressure on the neighbour to secure its
    /// side, in [0, 1].
    pub neighbor_pressure: Vec<f64>,
    /// Per outside power: its strongest intel lever in force, or negative
    /// infinity when no lever names it (`policy::intel` adds the baselines).
    pub intel: Vec<f64>,
    /// The strongest third-party guarantee in force, in [0, 1].
    pub guarantee: f64,
    /// Donor aid in force (the strongest aid lever or outside baseline), in [0, 1].
    pub aid: f64,
    /// The strongest dissuasion lever in force, in [0, 1].
    pub dissuasion: f64,
}

/// Who is trying to cross a border.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Would-be leavers of a patron's pool.
    Pool(PatronId, usize),
    /// Fighters of an insurgency abroad.
    Insurgency(GroupId),
}

/// People heading for a border segment today.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Flow {
    /// Who they are.
    pub source: Source,
    /// Where they try to cross.
    pub segment: SegmentId,
    /// How many (people).
    pub people: f64,
}

/// Everything that changes during a run.
#[derive(Clone, Debug)]
pub struct State {
    /// The day just simulated (0 before the first).
    pub day: u32,
    /// Patrons.
    pub patrons: Vec<PatronState>,
    /// Outside powers.
    pub outside: Vec<OutsideState>,
    /// Armed groups.
    pub groups: Vec<GroupState>,
    /// Authorities' current guidance.
    pub guidance: Vec<Guidance>,
    /// Communities.
    pub communities: Vec<CommunityState>,
    /// Border segments.
    pub segments: Vec<SegmentState>,
    /// People heading for the border today (filled by M1 and M5, emptied by M5).
    pub flows: Vec<Flow>,
    /// Crossings.
    pub crossings: Vec<CrossingState>,
    /// Per armed group, the state force's share on each front (M5), as
    /// derived from the levers by `policy::allocate` with the policy; empty
    /// for other groups.
    pub allocation: Vec<Vec<(crate::world::Front, f64)>>,
    /// Per armed group, the state force's share in reserve.
    pub reserve: Vec<f64>,
    /// M6-agents: one Epstein grid per community (empty under the mean field).
    pub agents: Vec<patronfall_epstein::Grid>,
    /// Operations, ongoing and ended.
    pub operations: Vec<Operation>,
    /// Government levers and decisions.
    pub government: GovernmentState,
    /// Casualties of operations and strikes not attributed to a community.
    pub casualties_other: f64,
    /// Strikes by outside powers so far.
    pub strikes: f64,
    /// Elite defections so far: scripted ones and those M9 produced.
    pub elite_defections: u32,
    /// Every sponsor's support level on every channel today, as M1 set it
    /// (`patron::Levels`); M2 reads it for money and arms deliveries.
    pub sponsor_levels: (Vec<f64>, Vec<f64>),
    /// Day the capital fell, if it did.
    pub capital_fell: Option<u32>,
    /// Day the host's leader fled, if he did (the capital then fell
    /// politically on the same day).
    pub leader_fled: Option<u32>,
    /// Day the officers who deposed the leader handed the capital over to
    /// the attackers, if they did (it then fell politically that day).
    pub handed_over: Option<u32>,
    /// Per issue, the capabilities and predicted position of the last
    /// bargaining round actually computed (M8 reuses it while capabilities
    /// have not moved).
    pub settlements: Vec<Option<(Vec<f64>, f64, usize)>>,
    /// Whether each event of the run has happened (stochastic ones at most once).
    pub events_done: Vec<bool>,
    /// Fighters outside state control on day 0 (denominator of a share).
    pub outside_control_start: f64,
    /// Effective strength of all armed groups on day 0.
    pub effective_start_total: f64,
}

impl State {
    /// The state on day 0 of a run of `world` that will play `n_events` events.
    pub fn new(world: &World, n_events: usize, n_triggers: usize) -> Self {
        let patrons = world
            .patrons
            .iter()
            .map(|p| PatronState {
                capacity: p.capacity,
                baseline: p.capacity,
                regime: Regime::Stable,
                trajectory: None,
                fleeing: false,
                collapse_progress: 0.0,
                personnel: p.theaters.iter().map(|t| t.personnel).collect(),
                continuity: 1.0,
                cut: 0.0,
                pending_cut: None,
                channel_cut: [0.0; TieKind::CHANNELS.len()],
                pools: p
                    .pools
                    .iter()
                    .map(|q| PoolState {
                        staying: q.people * (1.0 - q.flee_share),
                        leavers: q.people * q.flee_share,
                        detained: 0.0,
                        unaffiliated: vec![0.0; world.regions.len()],
                        departed: 0.0,
                        joined: 0.0,
                        turned_back: 0.0,
                    })
                    .collect(),
            })
            .collect();
        let groups = world
            .groups
            .iter()
            .map(|g| {
                let effective = g.fighters * g.fill_rate * g.morale;
                GroupState {
                    active: g.fighters,
                    deserted: 0.0,
                    killed: 0.0,
                    detained: 0.0,
                    integrated: 0.0,
                    abroad: g.abroad,
                    splintered: 0.0,
                    morale: g.morale,
                    morale_usual: g.morale,
                    allegiance: g.allegiance,
                    // A state force follows the state (its stance is never
                    // read); an insurgency fights it from the start.
                    stance: match g.role {
                        GroupRole::Faction => g.stance,
                        GroupRole::Insurgency => Stance::Insurgent,
                        GroupRole::StateForce => Stance::Aligned,
                    },
                    stance_since: 0,
                    arrears: 0.0,
                    pay_rate: 1.0,
                    expected_support: 1.0,
                    support: 1.0,
                    support_start: 1.0,
                    desertion_share: 0.0,
                    desertion_memo: None,
                    expectation_offset: 0.0,
                    expectation_decay: 0.0,
                    combat_support: 0.0,
                    sanctuary: 0.0,
                    alarm: 0.0,
                    stocks: g.stocks_days,
                    supply_flow: 1.0,
                    pool: g.recruit_pool,
                    recruited: 0.0,
                    defected: 0.0,
                    effective,
                    effective_start: effective,
                    regroup: None,
                    state_pause: None,
                }
            })
            .collect();
        let communities = world
            .communities
            .iter()
            .map(|c| CommunityState {
                active: 0.0,
                hardship: c.hardship,
                legitimacy: c.legitimacy,
                grievance_shock: 0.0,
                casualties: 0.0,
            })
            .collect();
        State {
            day: 0,
            patrons,
            outside: world
                .outside
                .iter()
                .map(|o| OutsideState {
                    presence: o.presence,
                    cut: 0.0,
                    pending_cut: None,
                    channel_cut: [0.0; TieKind::CHANNELS.len()],
                    attacks: 0.0,
                })
                .collect(),
            groups,
            guidance: world.authorities.iter().map(|a| a.guidance).collect(),
            communities,
            segments: vec![SegmentState::default(); world.segments.len()],
            flows: Vec::new(),
            crossings: vec![CrossingState::default(); world.crossings.len()],
            allocation: vec![Vec::new(); world.groups.len()],
            reserve: vec![0.0; world.groups.len()],
            agents: Vec::new(),
            operations: Vec::new(),
            government: GovernmentState {
                levers: world.levers.iter().map(|l| l.default).collect(),
                pending: Vec::new(),
                fired: vec![false; n_triggers],
                committed: 0.0,
                policy: Policy::default(),
                policy_for: None,
                coalition: vec![(0.0, None); world.blocs.len()],
                fell: None,
                coup_attempts: 0,
                deposed: None,
                scripted_coup: None,
            },
            casualties_other: 0.0,
            strikes: 0.0,
            elite_defections: 0,
            sponsor_levels: (Vec::new(), Vec::new()),
            capital_fell: None,
            leader_fled: None,
            handed_over: None,
            settlements: vec![None; world.issues.len()],
            events_done: vec![false; n_events],
            outside_control_start: 0.0,
            effective_start_total: 0.0,
        }
    }

    /// People held in the host's detention (people): fighters detained at the
    /// border or in operations and detained members of the patrons' pools.
    /// One facility, bounded by the host's detention capacity (M5, M7).
    pub fn detained(&self) -> f64 {
        self.groups.iter().map(|g| g.detained).sum::<f64>()
            + self
                .patrons
                .iter()
                .flat_map(|p| &p.pools)
                .map(|q| q.detained)
                .sum::<f64>()
    }

    /// All people the conservation invariant tracks (see [`World::tracked_people`]).
    pub fn tracked_people(&self) -> f64 {
        let groups: f64 = self.groups.iter().map(GroupState::people).sum();
        let pools: f64 = self
            .patrons
            .iter()
            .flat_map(|p| &p.pools)
            .map(|q| {
                q.staying + q.leavers + q.detained + q.departed + q.unaffiliated.iter().sum::<f64>()
            })
            .sum();
        groups + pools
    }

    /// Unaffiliated armed newcomers in a region (people, over every pool).
    pub fn unaffiliated_in(&self, region: usize) -> f64 {
        self.patrons
            .iter()
            .flat_map(|p| &p.pools)
            .map(|q| q.unaffiliated[region])
            .sum()
    }

    /// Unaffiliated armed newcomers in the host (people).
    pub fn unaffiliated_total(&self) -> f64 {
        self.patrons
            .iter()
            .flat_map(|p| &p.pools)
            .flat_map(|q| &q.unaffiliated)
            .sum()
    }
}
