//! What an uncertain figure's path says about it: the entity it is written
//! under and the kind of figure it is.
//!
//! Grouped sensitivity designs (`patronfall ensemble --groups entity|kind`)
//! put figures together by one of these two readings of the path, and
//! scenario discovery drops the figures of a shock that was not played.
//! The paths themselves are built by the resolver (docs/scenario-format.md,
//! section 3); this module is the one reader of their structure.
//!
//! A path is `TABLE.ID.FIELD…`. After the table, the second segment is the
//! entity's id (for every table but `parameters`, whose second segment is
//! the parameter's group), and inside a path the segment after `theater`,
//! `pool`, `routes`, `border_cooperation`, `allocation`, `crossing`,
//! `event` or `stakeholder` is the id of a sub-entity.

/// Segments whose next segment is the id of a sub-entity.
const SUB_ENTITIES: [&str; 8] = [
    "theater",
    "pool",
    "routes",
    "border_cooperation",
    "allocation",
    "crossing",
    "event",
    "stakeholder",
];

/// The entity a figure is written under: its path's first two segments,
/// for example `armed_group.kh` for `armed_group.kh.fighters`,
/// `tie.iran->kh` for `tie.iran->kh.funds.weight`, `shock.abrupt_collapse`
/// for a figure of that shock's events, `parameters.firebreak` for a model
/// parameter. A path of one segment is its own entity.
pub fn entity_of(path: &str) -> &str {
    match path.match_indices('.').nth(1) {
        Some((end, _)) => &path[..end],
        None => path,
    }
}

/// The kind of a figure: its path with every id replaced by `*`, for
/// example `armed_group.*.fighters`, `tie.*.funds.weight`,
/// `segment.*.crossing.*.capacity_per_day`,
/// `issue.*.stakeholder.*.position`. Model parameters keep their full path
/// (`parameters.firebreak.interdiction_k`): each is a kind of its own.
pub fn kind_of(path: &str) -> String {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.first() == Some(&"parameters") {
        return path.to_string();
    }
    let mut out: Vec<&str> = Vec::with_capacity(segments.len());
    for (i, s) in segments.iter().enumerate() {
        let is_id = i == 1 || (i >= 2 && SUB_ENTITIES.contains(&segments[i - 1]));
        out.push(if is_id { "*" } else { s });
    }
    out.join(".")
}

/// The shock a figure belongs to, if it is a figure of a shock's events
/// (`shock.SHOCK.event.…`): such a figure matters only in runs that play
/// that shock.
pub fn shock_of(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("shock.")?;
    rest.split('.').next().filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_are_the_first_two_segments() {
        assert_eq!(entity_of("armed_group.kh.fighters"), "armed_group.kh");
        assert_eq!(entity_of("tie.iran->kh.funds.weight"), "tie.iran->kh");
        assert_eq!(
            entity_of("shock.abrupt_collapse.event.tehran_collapses.floor"),
            "shock.abrupt_collapse"
        );
        assert_eq!(entity_of("state.iran"), "state.iran");
        assert_eq!(entity_of("x"), "x");
    }

    #[test]
    fn kinds_replace_every_id_by_a_star() {
        for (path, kind) in [
            ("armed_group.kh.fighters", "armed_group.*.fighters"),
            ("tie.iran->kh.funds.weight", "tie.*.funds.weight"),
            (
                "segment.iran_west.crossing.mandali.capacity_per_day",
                "segment.*.crossing.*.capacity_per_day",
            ),
            (
                "issue.arms.stakeholder.kh.position",
                "issue.*.stakeholder.*.position",
            ),
            (
                "state.iraq.pool.shia.routes.iran_west.weight",
                "state.*.pool.*.routes.*.weight",
            ),
            (
                "shock.abrupt_collapse.event.tehran_collapses.floor",
                "shock.*.event.*.floor",
            ),
            ("event.offensive.hazard.per_day", "event.*.hazard.per_day"),
            (
                "armed_group.army.allocation.anbar.share",
                "armed_group.*.allocation.*.share",
            ),
            (
                "parameters.firebreak.interdiction_k",
                "parameters.firebreak.interdiction_k",
            ),
        ] {
            assert_eq!(kind_of(path), kind, "{path}");
        }
    }

    #[test]
    fn shock_figures_name_their_shock() {
        assert_eq!(
            shock_of("shock.abrupt_collapse.event.tehran_collapses.floor"),
            Some("abrupt_collapse")
        );
        assert_eq!(shock_of("state.iran.capacity"), None);
        assert_eq!(shock_of("shock."), None);
    }

    #[test]
    fn every_path_of_the_built_in_scenario_has_a_kind_without_ids() {
        let s = crate::open("iraq-after-tehran").unwrap();
        let kinds: std::collections::BTreeSet<String> =
            s.uncertainties.iter().map(|u| kind_of(&u.path)).collect();
        // Every id was replaced: no kind names the patron or a group.
        assert!(
            kinds
                .iter()
                .all(|k| !k.contains("iran") && !k.contains(".kh."))
        );
        assert!(
            kinds.len() < s.uncertainties.len() / 3,
            "{} kinds",
            kinds.len()
        );
    }
}
