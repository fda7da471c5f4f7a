//! Parameters of one Epstein (2002) Model I run, with the canonical sets and
//! their validation.
//!
//! Symbols follow the paper: L legitimacy, Jmax maximum jail term, T
//! activation threshold, k arrest-probability constant, v and v* citizen and
//! cop vision. The canonical sets come from NetLogo's Rebellion sliders and
//! Mesa's example (`mesa/examples/advanced/epstein_civil_violence/`, Mesa
//! 3.3.1).

use crate::variant::{AfterArrest, JailedCell, Variant};

/// Largest grid side accepted, in cells; keeps cell indices within `u32`.
pub const MAX_SIDE: u32 = 10_000;

/// Parameters of one run. Counts are in cells, visions in cell widths, jail
/// terms in steps (ticks).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Grid width, in cells (the grid is a torus).
    pub width: u32,
    /// Grid height, in cells.
    pub height: u32,
    /// Share of cells holding a citizen at set-up, in [0, 1].
    pub citizen_density: f64,
    /// Share of cells holding a cop at set-up, in [0, 1].
    pub cop_density: f64,
    /// Citizen vision v, in cells (distance per [`crate::Shape`]).
    pub citizen_vision: f64,
    /// Cop vision v*, in cells.
    pub cop_vision: f64,
    /// Initial regime legitimacy L, in [0, 1], shared by all citizens.
    pub legitimacy: f64,
    /// Maximum jail term Jmax, in steps.
    pub max_jail_term: u32,
    /// Activation threshold T: active when G − R·P > T (paper: 0.1).
    pub threshold: f64,
    /// Arrest constant k in P = 1 − exp(−k·C/A) (paper: 2.3).
    pub k: f64,
    /// Implementation choices.
    pub variant: Variant,
}

impl Params {
    /// NetLogo Rebellion defaults: 40×40, citizens 70 %, cops 4 %, vision 7,
    /// L = 0.82, Jmax = 30, T = 0.1, k = 2.3, NetLogo's choices.
    pub fn netlogo() -> Self {
        Params {
            width: 40,
            height: 40,
            citizen_density: 0.70,
            cop_density: 0.04,
            citizen_vision: 7.0,
            cop_vision: 7.0,
            legitimacy: 0.82,
            max_jail_term: 30,
            threshold: 0.1,
            k: 2.3,
            variant: Variant::netlogo(),
        }
    }

    /// Mesa's app sliders (the NetLogo numbers) with Mesa's choices.
    pub fn mesa_app() -> Self {
        Params {
            variant: Variant::mesa(),
            ..Params::netlogo()
        }
    }

    /// Mesa's class defaults: cops 7.4 %, L = 0.8, Jmax = 1000.
    pub fn mesa_defaults() -> Self {
        Params {
            cop_density: 0.074,
            legitimacy: 0.8,
            max_jail_term: 1000,
            ..Params::mesa_app()
        }
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.width as usize * self.height as usize
    }

    /// Checks every field; the first problem found is returned.
    pub fn validate(&self) -> Result<(), ParamError> {
        for (name, side) in [("width", self.width), ("height", self.height)] {
            if side == 0 || side > MAX_SIDE {
                return Err(ParamError::Side { name, value: side });
            }
        }
        unit("citizen density", self.citizen_density)?;
        unit("cop density", self.cop_density)?;
        if self.citizen_density + self.cop_density > 1.0 + 1e-12 {
            return Err(ParamError::Crowded {
                citizens: self.citizen_density,
                cops: self.cop_density,
            });
        }
        vision("citizen vision", self.citizen_vision)?;
        vision("cop vision", self.cop_vision)?;
        unit("legitimacy", self.legitimacy)?;
        if !self.threshold.is_finite() {
            return Err(ParamError::NotFinite { name: "threshold" });
        }
        if !self.k.is_finite() || self.k < 0.0 {
            return Err(ParamError::Negative {
                name: "k",
                value: self.k,
            });
        }
        if self.variant.after_arrest == AfterArrest::MoveToArrestee
            && self.variant.jailed_cell == JailedCell::Hold
        {
            return Err(ParamError::Incompatible);
        }
        Ok(())
    }
}

/// Largest vision accepted, in cells.
pub const MAX_VISION: f64 = 100.0;

fn unit(name: &'static str, value: f64) -> Result<(), ParamError> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(ParamError::OutOfUnit { name, value })
    }
}

fn vision(name: &'static str, value: f64) -> Result<(), ParamError> {
    if (0.0..=MAX_VISION).contains(&value) {
        Ok(())
    } else {
        Err(ParamError::Vision { name, value })
    }
}

/// A parameter that cannot be used, or a request the grid cannot meet.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// A grid side is 0 or too large.
    #[error("{name} must be between 1 and {MAX_SIDE} cells, got {value}")]
    Side {
        /// Which side.
        name: &'static str,
        /// The value given.
        value: u32,
    },
    /// A share or probability outside [0, 1].
    #[error("{name} must be between 0 and 1, got {value}")]
    OutOfUnit {
        /// Which parameter.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// Citizens and cops together exceed the grid.
    #[error("citizen density {citizens} plus cop density {cops} exceeds 1")]
    Crowded {
        /// Citizen density given.
        citizens: f64,
        /// Cop density given.
        cops: f64,
    },
    /// A vision outside [0, MAX_VISION].
    #[error("{name} must be between 0 and {MAX_VISION} cells, got {value}")]
    Vision {
        /// Which vision.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// A parameter that must be a finite number.
    #[error("{name} must be a finite number")]
    NotFinite {
        /// Which parameter.
        name: &'static str,
    },
    /// A parameter that must be finite and not negative.
    #[error("{name} must be a finite number ≥ 0, got {value}")]
    Negative {
        /// Which parameter.
        name: &'static str,
        /// The value given.
        value: f64,
    },
    /// Cops cannot step onto a cell a jailed citizen still holds.
    #[error("a cop cannot move onto the arrestee's cell when jailed citizens hold their cell")]
    Incompatible,
    /// More cops were asked for than there are empty cells.
    #[error("no empty cell left for cop {wanted} (the grid is full)")]
    NoRoom {
        /// The cop count that could not be reached.
        wanted: u32,
    },
    /// A hardship list of the wrong length or with a value outside [0, 1].
    #[error("hardship: {0}")]
    Hardship(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_sets_are_valid() {
        assert_eq!(Params::netlogo().validate(), Ok(()));
        assert_eq!(Params::mesa_app().validate(), Ok(()));
        assert_eq!(Params::mesa_defaults().validate(), Ok(()));
    }

    #[test]
    fn bad_values_are_named() {
        let p = Params {
            legitimacy: 1.5,
            ..Params::netlogo()
        };
        let e = p.validate().unwrap_err();
        assert!(e.to_string().contains("legitimacy"), "{e}");

        let p = Params {
            citizen_density: 0.97,
            ..Params::netlogo()
        };
        assert!(matches!(p.validate(), Err(ParamError::Crowded { .. })));

        let p = Params {
            width: 0,
            ..Params::netlogo()
        };
        assert!(p.validate().unwrap_err().to_string().contains("width"));

        let p = Params {
            cop_vision: f64::NAN,
            ..Params::netlogo()
        };
        assert!(p.validate().unwrap_err().to_string().contains("cop vision"));
    }

    #[test]
    fn moving_onto_a_held_cell_is_rejected() {
        let mut p = Params::mesa_app();
        p.variant.after_arrest = AfterArrest::MoveToArrestee;
        assert_eq!(p.validate(), Err(ParamError::Incompatible));
    }
}
