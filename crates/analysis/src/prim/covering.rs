//! Several boxes by covering, and the choice of a step on a trajectory.
//!
//! Rule (Friedman & Fisher 1999, §6; the EMA Workbench's `Prim.find_box`
//! called again): after a box is chosen (and pruned of its insignificant
//! restrictions, `prune.rs`), the runs inside it are removed and PRIM runs
//! again on the rest, whose initial box is the rest's own range. Each box's
//! coverage is its share of *all* the cases of interest, so the coverages
//! of the boxes add up to the share of cases they explain together; its
//! density and mass are counted on the runs left when it was found (mass
//! as a share of all runs). Covering stops at the number of boxes asked,
//! when no case of interest is left, or when no step of the next
//! trajectory meets the selection.

use super::data::{Limit, PrimData};
use super::inspect::{BoxReport, describe_box};
use super::prune::{Dropped, prune};
use super::{PrimOptions, Trajectory, find_box};
use crate::error::{Result, invalid};

/// Which step of a trajectory is the box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Selection {
    /// The highest-coverage step with at least this density.
    Density(f64),
    /// The densest step with at least this coverage.
    Coverage(f64),
    /// This step (0 is the whole space).
    Step(usize),
}

impl Selection {
    /// The step of `trajectory` this selection picks.
    pub fn pick(&self, trajectory: &Trajectory) -> Result<usize> {
        match *self {
            Selection::Density(d) => trajectory.select_by_density(d),
            Selection::Coverage(c) => trajectory.select_by_coverage(c),
            Selection::Step(i) if i < trajectory.steps.len() => Ok(i),
            Selection::Step(i) => Err(invalid(
                "step",
                i,
                &format!(
                    "the trajectory has steps 0 to {}",
                    trajectory.steps.len() - 1
                ),
            )),
        }
    }
}

/// Settings of [`covering`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoveringOptions {
    /// PRIM's settings for every box.
    pub prim: PrimOptions,
    /// The step taken on each trajectory ([`Selection::Step`] only with one box).
    pub selection: Selection,
    /// Significance level of the quasi-p values below which a restriction
    /// is kept (`None`: keep every restriction).
    pub alpha: Option<f64>,
    /// Most boxes to find, at least 1.
    pub boxes: usize,
}

/// One box found by covering.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundBox {
    /// The trajectory on the runs left when it was found.
    pub trajectory: Trajectory,
    /// The step chosen on it.
    pub chosen: usize,
    /// The box's limits after pruning.
    pub limits: Vec<Limit>,
    /// The restrictions pruning dropped.
    pub dropped: Vec<Dropped>,
    /// The pruned box on the runs left: restrictions and quasi-p values.
    pub report: BoxReport,
    /// Runs inside (of those left).
    pub rows: usize,
    /// Cases of interest inside.
    pub hits: usize,
    /// Share of all the cases of interest inside (0–1).
    pub coverage: f64,
    /// Share of the runs inside that are cases of interest (0–1).
    pub density: f64,
    /// Share of all runs inside (0–1).
    pub mass: f64,
}

/// Finds up to `options.boxes` boxes, removing each box's runs before the
/// next. Errors if an option is out of range or the first trajectory has
/// no step meeting the selection.
pub fn covering(data: &PrimData, options: &CoveringOptions) -> Result<Vec<FoundBox>> {
    if options.boxes == 0 {
        return Err(invalid("boxes", 0, "ask for at least one box"));
    }
    if matches!(options.selection, Selection::Step(_)) && options.boxes > 1 {
        return Err(invalid(
            "boxes",
            options.boxes,
            "a step number chooses one box; choose by density or coverage to cover with several",
        ));
    }
    let (all_rows, all_hits) = (data.rows(), data.cases_of_interest());
    let mut remaining: Vec<usize> = (0..all_rows).collect();
    let mut found = Vec::new();
    while found.len() < options.boxes {
        if !remaining.iter().any(|&r| data.interest[r]) {
            break;
        }
        let rest = data.subset(&remaining)?;
        let trajectory = find_box(&rest, &options.prim)?;
        let chosen = match options.selection.pick(&trajectory) {
            Ok(i) => i,
            Err(e) if found.is_empty() => return Err(e),
            Err(_) => break,
        };
        let limits = trajectory.steps[chosen].limits.clone();
        let (limits, dropped) = match options.alpha {
            Some(alpha) => prune(&rest, &limits, alpha)?,
            None => (limits, Vec::new()),
        };
        let report = describe_box(&rest, &limits, chosen);
        let inside: Vec<bool> = (0..rest.rows()).map(|i| rest.row_in(&limits, i)).collect();
        let rows = inside.iter().filter(|&&b| b).count();
        let hits = (0..rest.rows())
            .filter(|&i| inside[i] && rest.interest[i])
            .count();
        remaining = remaining
            .iter()
            .zip(&inside)
            .filter(|(_, inside)| !**inside)
            .map(|(&r, _)| r)
            .collect();
        found.push(FoundBox {
            trajectory,
            chosen,
            limits,
            dropped,
            report,
            rows,
            hits,
            coverage: hits as f64 / all_hits as f64,
            density: if rows == 0 {
                0.0
            } else {
                hits as f64 / rows as f64
            },
            mass: rows as f64 / all_rows as f64,
        });
        if rows == 0 {
            break;
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prim::Column;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Two planted boxes in 4 dimensions: `x0 < 0.25 ∧ x1 < 0.5` and
    /// `x2 > 0.75 ∧ x3 > 0.5`.
    fn two_boxes(n: usize, seed: u64) -> PrimData {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let x: Vec<Vec<f64>> = (0..4)
            .map(|_| (0..n).map(|_| rng.random::<f64>()).collect())
            .collect();
        let interest = (0..n)
            .map(|i| (x[0][i] < 0.25 && x[1][i] < 0.5) || (x[2][i] > 0.75 && x[3][i] > 0.5))
            .collect();
        let columns = x
            .into_iter()
            .enumerate()
            .map(|(j, v)| Column::continuous(&format!("x{j}"), v))
            .collect();
        PrimData::new(columns, interest).unwrap()
    }

    fn restricted(b: &FoundBox) -> Vec<String> {
        b.report
            .restrictions
            .iter()
            .map(|r| r.name.clone())
            .collect()
    }

    #[test]
    fn covering_finds_both_planted_boxes_in_turn() {
        let d = two_boxes(4000, 1);
        let options = CoveringOptions {
            prim: PrimOptions::default(),
            selection: Selection::Density(0.9),
            alpha: Some(0.05),
            boxes: 3,
        };
        let boxes = covering(&d, &options).unwrap();
        assert!(boxes.len() >= 2, "{} boxes", boxes.len());
        let mut names: Vec<Vec<String>> = boxes[..2].iter().map(restricted).collect();
        names.sort();
        assert_eq!(names, [vec!["x0", "x1"], vec!["x2", "x3"]]);
        // Coverages are shares of all cases: together the two boxes explain most.
        let together = boxes[0].coverage + boxes[1].coverage;
        assert!(together > 0.8 && together <= 1.0 + 1e-12, "{together}");
        for b in &boxes[..2] {
            assert!(b.density >= 0.9, "{}", b.density);
            assert!(b.dropped.iter().all(|x| x.quasi_p > 0.05));
        }
        // A step number chooses one box only.
        let step = CoveringOptions {
            selection: Selection::Step(3),
            ..options
        };
        assert!(covering(&d, &step).is_err());
        let one = covering(&d, &CoveringOptions { boxes: 1, ..step }).unwrap();
        assert_eq!((one.len(), one[0].chosen), (1, 3));
        assert!(
            covering(
                &d,
                &CoveringOptions {
                    boxes: 0,
                    ..options
                }
            )
            .is_err()
        );
    }

    #[test]
    fn selections_pick_their_steps() {
        let d = two_boxes(2000, 2);
        let t = find_box(&d, &PrimOptions::default()).unwrap();
        let by_density = Selection::Density(0.5).pick(&t).unwrap();
        assert!(t.steps[by_density].density >= 0.5);
        let by_coverage = Selection::Coverage(0.3).pick(&t).unwrap();
        let s = &t.steps[by_coverage];
        assert!(s.coverage >= 0.3);
        assert!(
            t.steps
                .iter()
                .all(|x| x.coverage < 0.3 || x.density <= s.density)
        );
        assert!(Selection::Step(t.steps.len()).pick(&t).is_err());
        assert!(Selection::Coverage(1.5).pick(&t).is_err());
    }
}
