//! The implementation choices on which NetLogo's Rebellion and Mesa's
//! `epstein_civil_violence` example disagree, each as a named option.
//!
//! Epstein (2002) leaves several details open; the two widely used
//! implementations settle them differently and the differences change the
//! dynamics (see `docs/epstein.md`, which tabulates both).
//! [`Variant::netlogo`] and [`Variant::mesa`] bundle each implementation's
//! choices; every field can be overridden on its own.

/// Which cells an agent sees: the cells within `vision` of its own cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Manhattan distance |dx| + |dy| ≤ vision: a diamond (Mesa's
    /// `OrthogonalVonNeumannGrid`, and the paper's "N, S, E and W").
    VonNeumann,
    /// Euclidean distance dx² + dy² ≤ vision²: a disc (NetLogo's
    /// `patches in-radius vision`).
    Disc,
    /// Chebyshev distance max(|dx|, |dy|) ≤ vision: a square (the Moore grid
    /// that made Mesa's model "remarkably stable", mesa/mesa#2408).
    Moore,
}

/// Whether the agent's own cell is part of what it sees.
///
/// NetLogo's `in-radius` includes the patch itself, so an active citizen
/// counts itself once in `1 + actives` and once among the actives; Mesa's
/// `get_neighborhood` leaves the centre out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Centre {
    /// The own cell is seen (NetLogo).
    Include,
    /// The own cell is not seen (Mesa).
    Exclude,
}

/// How the cop-to-active ratio C/A enters P = 1 − exp(−k·⌊C/A⌉).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ratio {
    /// ⌊C/A⌋ (NetLogo; its Info tab says punctuated equilibrium needs it).
    Floor,
    /// Python's `round(C/A)`, which rounds halves to even (Mesa, PR #2429).
    RoundHalfEven,
    /// C/A unrounded, as printed in the paper.
    Exact,
}

/// The range of a jail term J drawn at arrest, in steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JailRange {
    /// J ~ U{0, …, Jmax − 1} (NetLogo's `random max-jail-term`; 0 if Jmax = 0).
    Exclusive,
    /// J ~ U{0, …, Jmax} (Mesa's `randint(0, max_jail_term)`).
    Inclusive,
}

/// Whether a jailed citizen keeps its cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JailedCell {
    /// The cell counts as empty while its citizen is in jail; the citizen is
    /// released where it was, possibly sharing the cell (NetLogo).
    Vacate,
    /// The cell stays occupied until release (Mesa, capacity 1).
    Hold,
}

/// What a free agent does first in its turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnOrder {
    /// Move, then decide (citizen) or arrest (cop): NetLogo's `go`.
    MoveFirst,
    /// Decide or arrest, then move: Mesa's `step`.
    ActFirst,
}

/// When jail terms count down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JailCountdown {
    /// Every jailed citizen loses one step at the end of each tick and is
    /// free as soon as its term is 0; a term of 0 means no jail (NetLogo).
    EndOfTick,
    /// A jailed citizen loses one step at its own turn; with 0 left it is
    /// released at that turn and acts in it (Mesa). Until then it counts as
    /// jailed, even with a term of 0.
    OwnTurn,
}

/// Where a cop goes after an arrest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterArrest {
    /// Onto the arrestee's cell (NetLogo). Needs [`JailedCell::Vacate`].
    MoveToArrestee,
    /// Nowhere special: the cop stays, then takes its normal move if the
    /// turn order puts the move after the arrest (Mesa).
    Stay,
}

/// Which agents take the movement rule M.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    /// Citizens and cops move (both implementations by default).
    All,
    /// Only cops move (NetLogo with `movement?` off).
    CopsOnly,
    /// Nobody moves (Mesa with `movement=False`).
    None,
}

/// In which order agents take their turns within a tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// A fresh uniform random permutation of all agents every tick (both).
    Random,
    /// Citizens in creation order, then cops (Mesa PR #2955's "sequential").
    Sequential,
}

/// How the initial population is placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Exactly round(density × cells) cops, then citizens, on distinct
    /// random cells (NetLogo).
    ExactCounts,
    /// Each cell independently holds a citizen with probability
    /// `citizen_density`, else a cop with probability `cop_density` (Mesa).
    Bernoulli,
}

/// All implementation choices of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// Neighbourhood shape for both agent types.
    pub shape: Shape,
    /// Whether the own cell is seen.
    pub centre: Centre,
    /// Rounding of C/A in the arrest probability.
    pub ratio: Ratio,
    /// Range of jail terms.
    pub jail_range: JailRange,
    /// Whether jailed citizens hold their cell.
    pub jailed_cell: JailedCell,
    /// Move before or after acting.
    pub turn: TurnOrder,
    /// When jail terms count down.
    pub countdown: JailCountdown,
    /// Where a cop goes after an arrest.
    pub after_arrest: AfterArrest,
    /// Who moves.
    pub movement: Movement,
    /// Activation order within a tick.
    pub activation: Activation,
    /// Initial placement.
    pub placement: Placement,
}

impl Variant {
    /// NetLogo's Rebellion (Wilensky 2004), as read from the model's code.
    pub fn netlogo() -> Self {
        Variant {
            shape: Shape::Disc,
            centre: Centre::Include,
            ratio: Ratio::Floor,
            jail_range: JailRange::Exclusive,
            jailed_cell: JailedCell::Vacate,
            turn: TurnOrder::MoveFirst,
            countdown: JailCountdown::EndOfTick,
            after_arrest: AfterArrest::MoveToArrestee,
            movement: Movement::All,
            activation: Activation::Random,
            placement: Placement::ExactCounts,
        }
    }

    /// Mesa 3.3.1's `mesa.examples.advanced.epstein_civil_violence`.
    pub fn mesa() -> Self {
        Variant {
            shape: Shape::VonNeumann,
            centre: Centre::Exclude,
            ratio: Ratio::RoundHalfEven,
            jail_range: JailRange::Inclusive,
            jailed_cell: JailedCell::Hold,
            turn: TurnOrder::ActFirst,
            countdown: JailCountdown::OwnTurn,
            after_arrest: AfterArrest::Stay,
            movement: Movement::All,
            activation: Activation::Random,
            placement: Placement::Bernoulli,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_differ_in_every_documented_choice_but_movement_and_activation() {
        let n = Variant::netlogo();
        let m = Variant::mesa();
        assert_ne!(n.shape, m.shape);
        assert_ne!(n.centre, m.centre);
        assert_ne!(n.ratio, m.ratio);
        assert_ne!(n.jail_range, m.jail_range);
        assert_ne!(n.jailed_cell, m.jailed_cell);
        assert_ne!(n.turn, m.turn);
        assert_ne!(n.countdown, m.countdown);
        assert_ne!(n.after_arrest, m.after_arrest);
        assert_ne!(n.placement, m.placement);
        assert_eq!(n.movement, m.movement);
        assert_eq!(n.activation, m.activation);
    }
}
