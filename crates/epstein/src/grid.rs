//! The lattice, its citizens and cops, and one tick of Epstein's rules M, A
//! and C under the chosen [`Variant`].
//!
//! Rules (Epstein 2002, Model I): a free citizen is active iff
//! H·(1 − L) − R·(1 − exp(−k·C/A)) > T, counting cops C and actives A
//! (itself included) within vision v; a cop arrests one random active
//! citizen within v* and jails it for a random term; agents move to a random
//! empty cell within their vision. Details follow [`Variant`].
//!
//! Data layout: agents are struct-of-arrays; every cell keeps a packed count
//! (cops in the high 32 bits, active citizens in the low 32) so that C and A
//! are one sum over the neighbourhood's row spans, a count of the agents that
//! make it non-empty for movement, and the head of a list of the citizens
//! standing on it. A tick allocates nothing: the activation order and the
//! candidate buffer are reused. No I/O, threads or clock.

use rand::rngs::Xoshiro256PlusPlus as Stream;
use rand::{Rng, RngExt, SeedableRng};

use crate::hardship::Hardship;
use crate::neighbourhood::Neighbourhood;
use crate::params::{ParamError, Params};
use crate::rules::{RiskTable, grievance, is_active};
use crate::variant::{
    Activation, AfterArrest, Centre, JailCountdown, JailRange, JailedCell, Movement, Placement,
    TurnOrder, Variant,
};

/// End-of-list marker in the per-cell citizen lists.
const NONE: u32 = u32::MAX;
/// One cop in a cell's packed view count.
const COP: u64 = 1 << 32;
/// Mask of the active-citizen half of a packed view count.
const ACTIVES: u64 = 0xFFFF_FFFF;
/// Random draws tried before listing every empty cell in view.
const MOVE_TRIES: usize = 16;

/// The public state of a citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitizenState {
    /// Free and not rebelling.
    Quiet,
    /// Free and openly rebelling.
    Active,
    /// In jail (see [`JailCountdown`] for when it leaves).
    Jailed,
}

/// What [`Grid::audit`] found out of step between the grid's kept counts
/// and the agents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    /// A citizen is not on its cell's list.
    #[error("citizen {citizen} missing from cell {cell}'s list")]
    MissingFromCell {
        /// The citizen.
        citizen: usize,
        /// Its cell.
        cell: usize,
    },
    /// The kept counts by state differ from a recount.
    #[error("counts {kept:?} vs recount {recount:?}")]
    Counts {
        /// The counts the grid kept.
        kept: Counts,
        /// The counts recounted from the agents.
        recount: Counts,
    },
    /// The packed counts of what each cell sees drifted.
    #[error("packed view counts drifted")]
    ViewDrift,
    /// The counts of agents on each cell drifted.
    #[error("occupancy counts drifted")]
    OccupancyDrift,
    /// Two agents share a cell where a cell holds one.
    #[error("two agents share a cell under capacity 1")]
    SharedCell,
}

/// Number of citizens in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Quiet citizens.
    pub quiet: u32,
    /// Active citizens.
    pub active: u32,
    /// Jailed citizens.
    pub jailed: u32,
}

/// What one citizen looks like from outside (for inspection and tests).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Citizen {
    /// Current state.
    pub state: CitizenState,
    /// Hardship H in [0, 1].
    pub hardship: f64,
    /// Risk aversion R in [0, 1].
    pub risk_aversion: f64,
    /// Cell index y·width + x.
    pub cell: u32,
    /// Jail steps left (0 when free).
    pub jail_left: u32,
}

/// Per-cell data.
#[derive(Debug, Clone)]
struct Cells {
    /// Cops << 32 | active citizens, on this cell.
    view: Vec<u64>,
    /// Agents that make the cell non-empty for movement.
    blocking: Vec<u32>,
    /// First citizen standing on the cell, or NONE.
    head: Vec<u32>,
}

/// Citizens as struct-of-arrays, indexed by citizen id.
#[derive(Debug, Clone)]
struct Citizens {
    hardship: Vec<f64>,
    risk: Vec<f64>,
    cell: Vec<u32>,
    state: Vec<CitizenState>,
    jail: Vec<u32>,
    /// Next citizen on the same cell, or NONE.
    next: Vec<u32>,
}

/// One Epstein world: lattice, agents, legitimacy and random stream.
#[derive(Debug, Clone)]
pub struct Grid {
    params: Params,
    legitimacy: f64,
    rng: Stream,
    cells: Cells,
    cit: Citizens,
    /// Cell of each cop.
    cops: Vec<u32>,
    citizen_hood: Neighbourhood,
    cop_hood: Neighbourhood,
    risk: RiskTable,
    /// Agent ids: citizens are 0..n, cops n.. (cop j is n + j).
    order: Vec<u32>,
    scratch: Vec<u32>,
    counts: Counts,
    steps: u64,
}

impl Grid {
    /// A new world for `params`, placed at random from `seed`. Every random
    /// draw of the run comes from this one seeded stream (xoshiro256++,
    /// seeded through SplitMix64: fixed algorithms, same numbers everywhere).
    pub fn new(params: Params, seed: u64) -> Result<Grid, ParamError> {
        params.validate()?;
        let (w, h) = (params.width, params.height);
        let n_cells = params.cells();
        let citizen_hood = Neighbourhood::new(params.variant.shape, params.citizen_vision, w, h);
        let cop_hood = Neighbourhood::new(params.variant.shape, params.cop_vision, w, h);
        let risk = RiskTable::new(params.k, params.variant.ratio, citizen_hood.len() as u32);
        let mut grid = Grid {
            params,
            legitimacy: params.legitimacy,
            rng: Stream::seed_from_u64(seed),
            cells: Cells {
                view: vec![0; n_cells],
                blocking: vec![0; n_cells],
                head: vec![NONE; n_cells],
            },
            cit: Citizens {
                hardship: Vec::new(),
                risk: Vec::new(),
                cell: Vec::new(),
                state: Vec::new(),
                jail: Vec::new(),
                next: Vec::new(),
            },
            cops: Vec::new(),
            scratch: Vec::with_capacity(citizen_hood.len().max(cop_hood.len())),
            citizen_hood,
            cop_hood,
            risk,
            order: Vec::new(),
            counts: Counts::default(),
            steps: 0,
        };
        grid.place();
        grid.rebuild_order();
        Ok(grid)
    }

    /// Initial placement per [`Placement`].
    fn place(&mut self) {
        let n = self.params.cells();
        match self.params.variant.placement {
            Placement::Bernoulli => {
                let cd = self.params.citizen_density;
                let pd = self.params.cop_density;
                for cell in 0..n as u32 {
                    let u: f64 = self.rng.random();
                    if u < cd {
                        self.add_citizen(cell);
                    } else if u < cd + pd {
                        self.add_cop(cell);
                    }
                }
            }
            Placement::ExactCounts => {
                let n_cops = ((self.params.cop_density * n as f64).round() as usize).min(n);
                let n_cit =
                    ((self.params.citizen_density * n as f64).round() as usize).min(n - n_cops);
                let mut cells: Vec<u32> = (0..n as u32).collect();
                for i in 0..n_cops + n_cit {
                    let j = self.rng.random_range(i..n);
                    cells.swap(i, j);
                }
                for &cell in &cells[..n_cops] {
                    self.add_cop(cell);
                }
                for &cell in &cells[n_cops..n_cops + n_cit] {
                    self.add_citizen(cell);
                }
            }
        }
    }

    fn add_citizen(&mut self, cell: u32) {
        let id = self.cit.cell.len() as u32;
        let h: f64 = self.rng.random();
        let r: f64 = self.rng.random();
        self.cit.hardship.push(h);
        self.cit.risk.push(r);
        self.cit.cell.push(cell);
        self.cit.state.push(CitizenState::Quiet);
        self.cit.jail.push(0);
        self.cit.next.push(self.cells.head[cell as usize]);
        self.cells.head[cell as usize] = id;
        self.cells.blocking[cell as usize] += 1;
        self.counts.quiet += 1;
    }

    fn add_cop(&mut self, cell: u32) {
        self.cops.push(cell);
        self.cells.view[cell as usize] += COP;
        self.cells.blocking[cell as usize] += 1;
    }

    fn rebuild_order(&mut self) {
        let total = (self.cit.cell.len() + self.cops.len()) as u32;
        self.order.clear();
        self.order.extend(0..total);
    }

    /// Advances the world by one tick: every agent takes one turn in the
    /// activation order, then (NetLogo) jail terms count down.
    pub fn step(&mut self) {
        let v = self.params.variant;
        if v.activation == Activation::Random {
            // Fisher–Yates: a uniform permutation of all agents.
            for i in (1..self.order.len()).rev() {
                let j = below(&mut self.rng, i as u32 + 1) as usize;
                self.order.swap(i, j);
            }
        }
        let n_cit = self.cit.cell.len() as u32;
        for i in 0..self.order.len() {
            let agent = self.order[i];
            if agent < n_cit {
                self.citizen_turn(agent as usize);
            } else {
                self.cop_turn((agent - n_cit) as usize);
            }
        }
        if v.countdown == JailCountdown::EndOfTick {
            for c in 0..self.cit.state.len() {
                if self.cit.state[c] == CitizenState::Jailed {
                    self.cit.jail[c] = self.cit.jail[c].saturating_sub(1);
                    if self.cit.jail[c] == 0 {
                        self.release(c);
                    }
                }
            }
        }
        self.steps += 1;
    }

    fn citizen_turn(&mut self, c: usize) {
        let v = self.params.variant;
        if self.cit.state[c] == CitizenState::Jailed {
            match v.countdown {
                JailCountdown::EndOfTick => return,
                JailCountdown::OwnTurn => {
                    if self.cit.jail[c] > 0 {
                        self.cit.jail[c] -= 1;
                        return;
                    }
                    self.release(c);
                }
            }
        }
        let moves = v.movement == Movement::All;
        match v.turn {
            TurnOrder::MoveFirst => {
                if moves {
                    self.move_citizen(c);
                }
                self.decide(c);
            }
            TurnOrder::ActFirst => {
                self.decide(c);
                if moves {
                    self.move_citizen(c);
                }
            }
        }
    }

    fn cop_turn(&mut self, j: usize) {
        let v = self.params.variant;
        let moves = v.movement != Movement::None;
        match v.turn {
            TurnOrder::MoveFirst => {
                if moves {
                    self.move_cop(j);
                }
                self.enforce(j);
            }
            TurnOrder::ActFirst => {
                self.enforce(j);
                if moves {
                    self.move_cop(j);
                }
            }
        }
    }

    /// Cops and actives seen from `cell` through `hood`, as (C, actives).
    fn seen(&self, hood: &Neighbourhood, cell: u32) -> (u32, u32) {
        let view = &self.cells.view;
        let mut sum = 0u64;
        hood.for_each_span(cell, |a, b| sum += view[a..b].iter().sum::<u64>());
        if self.params.variant.centre == Centre::Exclude {
            sum -= view[cell as usize];
        }
        ((sum >> 32) as u32, (sum & ACTIVES) as u32)
    }

    /// Rule A for free citizen `c`.
    fn decide(&mut self, c: usize) {
        let g = grievance(self.cit.hardship[c], self.legitimacy);
        let t = self.params.threshold;
        // R·P ≥ 0, so G ≤ T means quiet whatever the neighbourhood holds.
        let active = if g <= t {
            false
        } else {
            let (cops, actives) = self.seen(&self.citizen_hood, self.cit.cell[c]);
            let p = self.risk.probability(cops, actives + 1);
            is_active(g, self.cit.risk[c], p, t)
        };
        let was = self.cit.state[c];
        let cell = self.cit.cell[c] as usize;
        match (was, active) {
            (CitizenState::Quiet, true) => {
                self.cit.state[c] = CitizenState::Active;
                self.cells.view[cell] += 1;
                self.counts.quiet -= 1;
                self.counts.active += 1;
            }
            (CitizenState::Active, false) => {
                self.cit.state[c] = CitizenState::Quiet;
                self.cells.view[cell] -= 1;
                self.counts.active -= 1;
                self.counts.quiet += 1;
            }
            _ => {}
        }
    }

    /// Rule M for free citizen `c`.
    fn move_citizen(&mut self, c: usize) {
        let from = self.cit.cell[c];
        let Some(to) = find_empty(
            &self.citizen_hood,
            &self.cells.blocking,
            &mut self.rng,
            &mut self.scratch,
            from,
        ) else {
            return;
        };
        self.unlink(c);
        self.link(c, to);
        self.cells.blocking[from as usize] -= 1;
        self.cells.blocking[to as usize] += 1;
        if self.cit.state[c] == CitizenState::Active {
            self.cells.view[from as usize] -= 1;
            self.cells.view[to as usize] += 1;
        }
    }

    /// Rule M for cop `j`.
    fn move_cop(&mut self, j: usize) {
        let from = self.cops[j];
        if let Some(to) = find_empty(
            &self.cop_hood,
            &self.cells.blocking,
            &mut self.rng,
            &mut self.scratch,
            from,
        ) {
            self.relocate_cop(j, to);
        }
    }

    fn relocate_cop(&mut self, j: usize, to: u32) {
        let from = self.cops[j] as usize;
        self.cells.view[from] -= COP;
        self.cells.blocking[from] -= 1;
        self.cells.view[to as usize] += COP;
        self.cells.blocking[to as usize] += 1;
        self.cops[j] = to;
    }

    /// Rule C for cop `j`: arrest one random active citizen in view.
    fn enforce(&mut self, j: usize) {
        let at = self.cops[j];
        // One vectorised sum first: most cops see no active citizen.
        if self.seen(&self.cop_hood, at).1 == 0 {
            return;
        }
        let skip_own = self.params.variant.centre == Centre::Exclude;
        let Grid {
            cells,
            cit,
            scratch,
            cop_hood,
            ..
        } = self;
        scratch.clear();
        cop_hood.for_each_span(at, |a, b| {
            for cell in a..b {
                if cells.view[cell] & ACTIVES == 0 || (skip_own && cell == at as usize) {
                    continue;
                }
                let mut c = cells.head[cell];
                while c != NONE {
                    if cit.state[c as usize] == CitizenState::Active {
                        scratch.push(c);
                    }
                    c = cit.next[c as usize];
                }
            }
        });
        if self.scratch.is_empty() {
            return;
        }
        let pick = below(&mut self.rng, self.scratch.len() as u32) as usize;
        let suspect = self.scratch[pick] as usize;
        self.arrest(suspect);
        if self.params.variant.after_arrest == AfterArrest::MoveToArrestee {
            let to = self.cit.cell[suspect];
            self.relocate_cop(j, to);
        }
    }

    fn arrest(&mut self, c: usize) {
        let v = self.params.variant;
        let cell = self.cit.cell[c] as usize;
        self.cells.view[cell] -= 1;
        self.counts.active -= 1;
        let jmax = self.params.max_jail_term;
        let term = match v.jail_range {
            JailRange::Exclusive if jmax == 0 => 0,
            JailRange::Exclusive => self.rng.random_range(0..jmax),
            JailRange::Inclusive => self.rng.random_range(0..=jmax),
        };
        if term == 0 && v.countdown == JailCountdown::EndOfTick {
            self.cit.state[c] = CitizenState::Quiet;
            self.counts.quiet += 1;
            return;
        }
        self.cit.state[c] = CitizenState::Jailed;
        self.cit.jail[c] = term;
        self.counts.jailed += 1;
        if v.jailed_cell == JailedCell::Vacate {
            self.cells.blocking[cell] -= 1;
        }
    }

    fn release(&mut self, c: usize) {
        self.cit.state[c] = CitizenState::Quiet;
        self.cit.jail[c] = 0;
        self.counts.jailed -= 1;
        self.counts.quiet += 1;
        if self.params.variant.jailed_cell == JailedCell::Vacate {
            self.cells.blocking[self.cit.cell[c] as usize] += 1;
        }
    }

    fn link(&mut self, c: usize, cell: u32) {
        self.cit.next[c] = self.cells.head[cell as usize];
        self.cells.head[cell as usize] = c as u32;
        self.cit.cell[c] = cell;
    }

    fn unlink(&mut self, c: usize) {
        let cell = self.cit.cell[c] as usize;
        let after = self.cit.next[c];
        if self.cells.head[cell] == c as u32 {
            self.cells.head[cell] = after;
            return;
        }
        let mut prev = self.cells.head[cell];
        while prev != NONE {
            if self.cit.next[prev as usize] == c as u32 {
                self.cit.next[prev as usize] = after;
                return;
            }
            prev = self.cit.next[prev as usize];
        }
    }

    /// Citizens in each state after the last tick.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Ticks taken so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The run's parameters (legitimacy there is the initial value).
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// The variant in force.
    pub fn variant(&self) -> Variant {
        self.params.variant
    }

    /// Legitimacy L in force.
    pub fn legitimacy(&self) -> f64 {
        self.legitimacy
    }

    /// Sets legitimacy L in [0, 1] for the following ticks.
    pub fn set_legitimacy(&mut self, legitimacy: f64) -> Result<(), ParamError> {
        if !(0.0..=1.0).contains(&legitimacy) {
            return Err(ParamError::OutOfUnit {
                name: "legitimacy",
                value: legitimacy,
            });
        }
        self.legitimacy = legitimacy;
        Ok(())
    }

    /// Redraws every citizen's hardship H from `dist` (using the run's stream).
    pub fn set_hardship(&mut self, dist: Hardship) -> Result<(), ParamError> {
        dist.validate()?;
        for h in &mut self.cit.hardship {
            *h = dist.sample(&mut self.rng);
        }
        Ok(())
    }

    /// Sets every citizen's hardship H from `values` (one per citizen, in
    /// citizen order, each in [0, 1]).
    pub fn set_hardships(&mut self, values: &[f64]) -> Result<(), ParamError> {
        if values.len() != self.cit.hardship.len() {
            return Err(ParamError::Hardship(format!(
                "{} values for {} citizens",
                values.len(),
                self.cit.hardship.len()
            )));
        }
        if let Some(bad) = values.iter().find(|h| !(0.0..=1.0).contains(*h)) {
            return Err(ParamError::Hardship(format!("{bad} is outside [0, 1]")));
        }
        self.cit.hardship.copy_from_slice(values);
        Ok(())
    }

    /// Number of citizens (constant over a run).
    pub fn citizen_count(&self) -> u32 {
        self.cit.cell.len() as u32
    }

    /// Number of cops in force.
    pub fn cop_count(&self) -> u32 {
        self.cops.len() as u32
    }

    /// Sets the number of cops: removes cops chosen at random, or adds cops
    /// on random empty cells. Fails when the grid has no empty cell left.
    pub fn set_cop_count(&mut self, wanted: u32) -> Result<(), ParamError> {
        while self.cops.len() > wanted as usize {
            let j = self.rng.random_range(0..self.cops.len());
            let cell = self.cops.swap_remove(j) as usize;
            self.cells.view[cell] -= COP;
            self.cells.blocking[cell] -= 1;
        }
        while self.cops.len() < wanted as usize {
            let Some(cell) = self.random_empty_cell() else {
                self.rebuild_order();
                return Err(ParamError::NoRoom { wanted });
            };
            self.add_cop(cell);
        }
        self.rebuild_order();
        Ok(())
    }

    fn random_empty_cell(&mut self) -> Option<u32> {
        let n = self.cells.blocking.len();
        for _ in 0..64 {
            let cell = self.rng.random_range(0..n);
            if self.cells.blocking[cell] == 0 {
                return Some(cell as u32);
            }
        }
        let empty = self.cells.blocking.iter().filter(|&&b| b == 0).count();
        if empty == 0 {
            return None;
        }
        let k = self.rng.random_range(0..empty);
        self.cells
            .blocking
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == 0)
            .nth(k)
            .map(|(i, _)| i as u32)
    }

    /// Citizen `i` as seen from outside, or `None` past the last citizen.
    pub fn citizen(&self, i: usize) -> Option<Citizen> {
        Some(Citizen {
            state: *self.cit.state.get(i)?,
            hardship: self.cit.hardship[i],
            risk_aversion: self.cit.risk[i],
            cell: self.cit.cell[i],
            jail_left: self.cit.jail[i],
        })
    }

    /// Cops within citizen `i`'s vision, as it would count them now.
    pub fn cops_in_view(&self, i: usize) -> Option<u32> {
        let cell = *self.cit.cell.get(i)?;
        Some(self.seen(&self.citizen_hood, cell).0)
    }

    /// Recomputes every cached count from the agents and reports the first
    /// mismatch. For tests and debugging; costs a full pass over the grid.
    pub fn audit(&self) -> Result<(), AuditError> {
        let n = self.params.cells();
        let mut view = vec![0u64; n];
        let mut blocking = vec![0u32; n];
        let mut counts = Counts::default();
        let hold = self.params.variant.jailed_cell == JailedCell::Hold;
        for c in 0..self.cit.cell.len() {
            let cell = self.cit.cell[c] as usize;
            match self.cit.state[c] {
                CitizenState::Quiet => counts.quiet += 1,
                CitizenState::Active => {
                    counts.active += 1;
                    view[cell] += 1;
                }
                CitizenState::Jailed => counts.jailed += 1,
            }
            if self.cit.state[c] != CitizenState::Jailed || hold {
                blocking[cell] += 1;
            }
            let mut on_list = false;
            let mut k = self.cells.head[cell];
            while k != NONE {
                on_list |= k as usize == c;
                k = self.cit.next[k as usize];
            }
            if !on_list {
                return Err(AuditError::MissingFromCell { citizen: c, cell });
            }
        }
        for &cell in &self.cops {
            view[cell as usize] += COP;
            blocking[cell as usize] += 1;
        }
        if counts != self.counts {
            return Err(AuditError::Counts {
                kept: self.counts,
                recount: counts,
            });
        }
        if view != self.cells.view {
            return Err(AuditError::ViewDrift);
        }
        if blocking != self.cells.blocking {
            return Err(AuditError::OccupancyDrift);
        }
        if hold && blocking.iter().any(|&b| b > 1) {
            return Err(AuditError::SharedCell);
        }
        Ok(())
    }
}

/// A uniform draw from {0, …, n − 1}, n ≥ 1, by Lemire's (2019)
/// multiply-and-reject method ("Fast random integer generation in an
/// interval", ACM TOMACS 29(1)); exact, and one 32-bit draw almost always.
#[inline]
fn below(rng: &mut Stream, n: u32) -> u32 {
    let mut m = u64::from(rng.next_u32()) * u64::from(n);
    if (m as u32) < n {
        let floor = n.wrapping_neg() % n;
        while (m as u32) < floor {
            m = u64::from(rng.next_u32()) * u64::from(n);
        }
    }
    (m >> 32) as u32
}

/// A uniformly random cell with no blocking agent within `hood` of `from`,
/// or `None` if there is none. Tries random cells first and lists the empty
/// ones only if those all fail; the result is uniform either way.
fn find_empty(
    hood: &Neighbourhood,
    blocking: &[u32],
    rng: &mut Stream,
    scratch: &mut Vec<u32>,
    from: u32,
) -> Option<u32> {
    let n = hood.len() as u32;
    let origin = hood.origin(from);
    for _ in 0..MOVE_TRIES {
        let cell = hood.cell_from(origin, below(rng, n) as usize);
        if blocking[cell as usize] == 0 {
            return Some(cell);
        }
    }
    scratch.clear();
    for i in 0..n as usize {
        let cell = hood.cell_from(origin, i);
        if blocking[cell as usize] == 0 {
            scratch.push(cell);
        }
    }
    if scratch.is_empty() {
        None
    } else {
        Some(scratch[below(rng, scratch.len() as u32) as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::variant::{Ratio, Shape};

    fn all_variants() -> Vec<Params> {
        let mut out = vec![
            Params::netlogo(),
            Params::mesa_app(),
            Params::mesa_defaults(),
        ];
        let mut p = Params::netlogo();
        p.variant.movement = Movement::CopsOnly;
        p.variant.activation = Activation::Sequential;
        out.push(p);
        let mut p = Params::mesa_app();
        p.variant.movement = Movement::None;
        p.variant.shape = Shape::Moore;
        p.variant.ratio = Ratio::Exact;
        out.push(p);
        let mut p = Params::netlogo();
        p.variant.jailed_cell = JailedCell::Hold;
        p.variant.after_arrest = AfterArrest::Stay;
        p.variant.countdown = JailCountdown::OwnTurn;
        p.variant.placement = Placement::Bernoulli;
        out.push(p);
        out
    }

    #[test]
    fn bounded_draws_are_uniform() {
        let mut rng = Stream::seed_from_u64(1);
        let mut hits = [0u32; 7];
        for _ in 0..70_000 {
            hits[below(&mut rng, 7) as usize] += 1;
        }
        // Expected 10 000 each; sd ≈ 93.
        assert!(
            hits.iter().all(|&h| (9_600..10_400).contains(&h)),
            "{hits:?}"
        );
        assert_eq!(below(&mut rng, 1), 0);
    }

    #[test]
    fn caches_stay_consistent_under_every_variant() {
        for params in all_variants() {
            let params = Params {
                width: 20,
                height: 16,
                legitimacy: 0.7,
                ..params
            };
            let mut g = Grid::new(params, 11).unwrap();
            g.audit().unwrap();
            for s in 0..60 {
                g.step();
                if s == 20 {
                    g.set_cop_count(3).unwrap();
                }
                if s == 40 {
                    g.set_cop_count(20).unwrap();
                    g.set_legitimacy(0.5).unwrap();
                }
                g.audit()
                    .unwrap_or_else(|e| panic!("{:?} step {s}: {e}", params.variant));
            }
            let c = g.counts();
            assert_eq!(c.quiet + c.active + c.jailed, g.citizen_count());
        }
    }

    #[test]
    fn same_seed_same_run_other_seed_other_run() {
        let run = |seed| {
            let mut g = Grid::new(Params::netlogo(), seed).unwrap();
            (0..40)
                .map(|_| {
                    g.step();
                    g.counts()
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(run(5), run(5));
        assert_ne!(run(5), run(6));
    }

    #[test]
    fn exact_placement_gives_netlogo_counts() {
        let g = Grid::new(Params::netlogo(), 1).unwrap();
        assert_eq!(g.citizen_count(), 1120);
        assert_eq!(g.cop_count(), 64);
    }

    #[test]
    fn bernoulli_placement_is_near_the_densities() {
        let g = Grid::new(Params::mesa_app(), 1).unwrap();
        let c = f64::from(g.citizen_count());
        let k = f64::from(g.cop_count());
        // 1600 cells: sd of the citizen count ≈ 18, of cops ≈ 8.
        assert!((c - 1120.0).abs() < 80.0, "{c}");
        assert!((k - 64.0).abs() < 35.0, "{k}");
    }

    #[test]
    fn full_legitimacy_keeps_everyone_quiet() {
        let p = Params {
            legitimacy: 1.0,
            ..Params::netlogo()
        };
        let mut g = Grid::new(p, 2).unwrap();
        for _ in 0..30 {
            g.step();
            assert_eq!(g.counts().active, 0);
            assert_eq!(g.counts().jailed, 0);
        }
    }

    #[test]
    fn no_cops_zero_legitimacy_makes_every_aggrieved_citizen_active() {
        let p = Params {
            legitimacy: 0.0,
            cop_density: 0.0,
            ..Params::mesa_app()
        };
        let mut g = Grid::new(p, 4).unwrap();
        g.step();
        let want = (0..g.citizen_count() as usize)
            .filter(|&i| g.citizen(i).unwrap().hardship > 0.1)
            .count() as u32;
        assert_eq!(g.counts().active, want);
    }

    #[test]
    fn hardship_and_cops_can_be_changed_between_steps() {
        // Mesa's countdown: a citizen leaving jail acts in the same turn, so
        // after one tick with no cops and G = 1 nobody free is quiet.
        let mut g = Grid::new(Params::mesa_app(), 9).unwrap();
        g.step();
        g.set_hardship(Hardship::Constant(0.0)).unwrap();
        g.step();
        assert_eq!(g.counts().active, 0);
        assert!(g.set_hardships(&[0.5]).is_err());
        let n = g.citizen_count() as usize;
        g.set_hardships(&vec![1.0; n]).unwrap();
        g.set_cop_count(0).unwrap();
        g.set_legitimacy(0.0).unwrap();
        g.step();
        assert_eq!(g.counts().active + g.counts().jailed, g.citizen_count());
        assert!(g.set_legitimacy(-0.1).is_err());
        assert!(g.set_cop_count(10_000).is_err());
        g.audit().unwrap();
    }

    #[test]
    fn mesa_jail_term_of_zero_still_counts_as_jailed_until_the_next_turn() {
        // Jmax = 0 under Mesa's rules: every arrest is a term of 0, yet the
        // arrestee shows as jailed at the end of the tick if its turn passed.
        let p = Params {
            legitimacy: 0.3,
            max_jail_term: 0,
            ..Params::mesa_app()
        };
        let mut g = Grid::new(p, 8).unwrap();
        let mut seen_jailed = false;
        for _ in 0..20 {
            g.step();
            seen_jailed |= g.counts().jailed > 0;
            for i in 0..g.citizen_count() as usize {
                assert_eq!(g.citizen(i).unwrap().jail_left, 0);
            }
        }
        assert!(seen_jailed);
        // Under NetLogo's rules a term of 0 is no jail at all.
        let p = Params {
            legitimacy: 0.3,
            max_jail_term: 0,
            ..Params::netlogo()
        };
        let mut g = Grid::new(p, 8).unwrap();
        for _ in 0..20 {
            g.step();
            assert_eq!(g.counts().jailed, 0);
        }
    }
}
