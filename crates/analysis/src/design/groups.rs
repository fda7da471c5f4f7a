//! Groups of factors, for grouped Saltelli and Morris designs.
//!
//! Rule: a grouping is a mapping factor → group name, given as one name per
//! design column. Groups are numbered in the order their names first appear.
//! A grouped design moves the factors of a group together: the Saltelli
//! scheme has one `A_B` block per group (Jansen 1999; Saltelli et al. 2008,
//! ch. 4; SALib's `groups`), a Morris trajectory one step per group
//! (Campolongo, Cariboni & Saltelli 2007). A factor in a group of its own
//! behaves as in the ungrouped design.

use crate::error::{Result, invalid};

/// A partition of `k` factors into named groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groups {
    /// Group names, in order of first appearance.
    names: Vec<String>,
    /// `of_factor[i]` is the group of factor `i`.
    of_factor: Vec<usize>,
}

impl Groups {
    /// Groups from the name of each factor's group (`names_by_factor[i]` is
    /// factor `i`'s group). Errors if there is no factor or a name is empty.
    pub fn new<S: AsRef<str>>(names_by_factor: &[S]) -> Result<Groups> {
        if names_by_factor.is_empty() {
            return Err(invalid("groups", 0, "need at least one factor"));
        }
        let mut names: Vec<String> = Vec::new();
        let mut of_factor = Vec::with_capacity(names_by_factor.len());
        for (i, name) in names_by_factor.iter().enumerate() {
            let name = name.as_ref();
            if name.is_empty() {
                return Err(invalid(
                    "groups",
                    format!("factor {i}"),
                    "a group name must not be empty",
                ));
            }
            let g = match names.iter().position(|n| n == name) {
                Some(g) => g,
                None => {
                    names.push(name.to_string());
                    names.len() - 1
                }
            };
            of_factor.push(g);
        }
        Ok(Groups { names, of_factor })
    }

    /// Every factor in a group of its own, named by its index (`"0"`, `"1"`, …).
    pub fn singletons(k: usize) -> Groups {
        Groups {
            names: (0..k).map(|i| i.to_string()).collect(),
            of_factor: (0..k).collect(),
        }
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there is no group (never, for a value built by [`Groups::new`]).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Number of factors.
    pub fn factors(&self) -> usize {
        self.of_factor.len()
    }

    /// Group names, in group order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The group of factor `i` (panics if `i` is not a factor).
    pub fn group_of(&self, i: usize) -> usize {
        self.of_factor[i]
    }

    /// The factors of group `g`, in increasing order.
    pub fn members(&self, g: usize) -> Vec<usize> {
        (0..self.factors())
            .filter(|&i| self.of_factor[i] == g)
            .collect()
    }

    /// Whether every group has exactly one factor, in factor order.
    pub fn are_singletons(&self) -> bool {
        self.of_factor.iter().enumerate().all(|(i, &g)| i == g) && self.len() == self.factors()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_numbered_by_first_appearance() {
        let g = Groups::new(&["actor.a", "kind", "actor.a", "dummy"]).unwrap();
        assert_eq!(g.len(), 3);
        assert_eq!(g.factors(), 4);
        assert_eq!(g.names(), ["actor.a", "kind", "dummy"]);
        assert_eq!(g.members(0), [0, 2]);
        assert_eq!(g.group_of(3), 2);
        assert!(!g.are_singletons());
        assert!(Groups::singletons(3).are_singletons());
        assert!(Groups::new(&["a", "b"]).unwrap().are_singletons());
        assert!(Groups::new::<&str>(&[]).is_err());
        assert!(Groups::new(&["a", ""]).is_err());
    }
}
