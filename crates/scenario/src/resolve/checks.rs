//! Checks that need the whole scenario, and the warnings about what is
//! valid but probably not meant.

use super::{Names, Resolver};
use crate::Scenario;
use crate::raw;
use patronfall_model::*;

impl Resolver<'_> {
    /// Checks that need the whole scenario.
    pub(super) fn whole(&mut self, f: &raw::File, n: &Names, w: &World) {
        if let Some(last) = f.future.last()
            && !last.when.is_empty()
        {
            self.problem(
                Some(last.id.span.clone()),
                format!("future.{}.when", last.id.value),
                "the last future has conditions, so a run may reach no future",
                "end the list with a default future that has no `when`",
            );
        }
        for (i, fu) in f.future.iter().enumerate() {
            if fu.when.is_empty() && i + 1 < f.future.len() {
                self.problem(Some(fu.id.span.clone()), format!("future.{}.when", fu.id.value), "a future without conditions always holds, so the futures after it are never reached", "move it to the end of the list");
            }
        }
        for (g, a) in f.armed_group.iter().enumerate() {
            let _ = g;
            if a.role.as_str() == "insurgency" && a.infiltration.is_some() && a.abroad.is_none() {
                self.problem(
                    Some(a.id.span.clone()),
                    format!("armed_group.{}.abroad", a.id.value),
                    "an insurgency that infiltrates needs fighters `abroad`",
                    "add abroad = the fighters outside the host who try to come in",
                );
            }
        }
        let offensive = f
            .event
            .iter()
            .chain(f.shock.iter().flat_map(|s| &s.event))
            .find(|e| e.kind.as_str() == "offensive");
        if let (None, Some(host), Some(e)) = (w.host.capital, &n.host, offensive) {
            self.problem(
                Some(e.kind.span.clone()),
                format!("state.{host}.capital"),
                format!(
                    "the offensive `{}` is scheduled but the host has no capital",
                    e.id.value
                ),
                "add capital = \"<region id>\" to the host state",
            );
        }
    }
}

impl Scenario {
    /// What is valid but probably not what the author meant, one sentence
    /// each with how to change it: a state force that nobody pays (no
    /// `pays` or `funds` tie and no illicit revenue) runs into arrears from
    /// the first day, and its morale falls with no shock at all; a faction
    /// that starts `aligned` with no patron to align with (M4 gives it
    /// hedging or autonomous on its first decision day).
    pub fn warnings(&self) -> Vec<String> {
        use patronfall_model::{ActorRef, GroupRole, TieKind, TieTarget};
        let w = &self.world;
        let mut out = Vec::new();
        for (g, group) in w.groups.iter().enumerate() {
            if group.role != GroupRole::StateForce
                || group.cost_per_fighter <= 0.0
                || group.illicit_revenue > 0.0
            {
                continue;
            }
            let paid = w.ties.iter().any(|t| {
                matches!(t.kind, TieKind::Pays | TieKind::Funds)
                    && t.to == TieTarget::Actor(ActorRef::Group(patronfall_model::GroupId::at(g)))
                    && t.weight > 0.0
            });
            if !paid {
                out.push(format!(
                    "armed_group.{}: a state force that nobody pays (no `pays` or `funds` tie, no illicit revenue): it falls into arrears from day 1 and its morale erodes with no shock; add a `pays` tie from the host (or a sponsor's `funds` tie), or set cost_per_fighter = 0",
                    self.ids.groups[g]
                ));
            }
        }
        for (g, group) in w.groups.iter().enumerate() {
            if group.role != GroupRole::Faction
                || group.splinter_of.is_some()
                || group.stance != patronfall_model::Stance::Aligned
            {
                continue;
            }
            let me = ActorRef::Group(patronfall_model::GroupId::at(g));
            let patron_tied = w.ties.iter().any(|t| match (t.from, t.to) {
                (ActorRef::Patron(_), TieTarget::Actor(to)) => {
                    to == me
                        && matches!(
                            t.kind,
                            TieKind::Funds
                                | TieKind::Arms
                                | TieKind::Commands
                                | TieKind::CombatSupport
                        )
                }
                (from, TieTarget::Actor(ActorRef::Patron(_))) => {
                    from == me && t.kind == TieKind::Ideology
                }
                _ => false,
            });
            if !patron_tied {
                out.push(format!(
                    "armed_group.{}: a faction that starts `aligned` with no patron to align with (no `ideology` tie to a patron, no `funds`, `arms`, `commands` or `combat_support` tie from one): on its first decision day it chooses between hedging and autonomous (M4); write stance = \"autonomous\" or \"hedging\", or add its patron's tie",
                    self.ids.groups[g]
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{found, line_of, problems, template_with};
    use crate::{BUILTINS, TEMPLATE, parse};

    #[test]
    fn the_last_future_and_only_the_last_has_no_conditions() {
        let text = template_with(&[
            (
                "[[future]]\nid = \"sovereign\"\nname = \"The state holds the monopoly of arms\"\nwhen = [{ outcome = \"fighters_outside_state_control_share\", op = \"<\", value = 0.3 }]\n",
                "[[future]]\nid = \"sovereign\"\nname = \"The state holds the monopoly of arms\"\n",
            ),
            (
                "name = \"Muddling through\"",
                "name = \"Muddling through\"\nwhen = [{ outcome = \"holdout_fighters\", op = \">\", value = 0 }]",
            ),
        ]);
        assert_eq!(
            problems(&text),
            [
                found(
                    "future.sovereign.when",
                    line_of(&text, "id = \"sovereign\""),
                    "a future without conditions always holds, so the futures after it are never reached"
                ),
                found(
                    "future.muddle.when",
                    line_of(&text, "id = \"muddle\""),
                    "the last future has conditions, so a run may reach no future"
                ),
            ]
        );
    }

    #[test]
    fn an_insurgency_that_infiltrates_has_fighters_abroad() {
        let text = template_with(&[(
            "role = \"faction\"\nregion = \"border_region\"",
            "role = \"insurgency\"\ninfiltration = { segment = \"east\", per_day = 10 }\nregion = \"border_region\"",
        )]);
        assert_eq!(
            problems(&text),
            [found(
                "armed_group.loyalists.abroad",
                line_of(&text, "id = \"loyalists\""),
                "an insurgency that infiltrates needs fighters `abroad`"
            )]
        );
    }

    /// `scenario check` warns about a state force that nobody pays, and
    /// about nothing in the built-in scenarios.
    #[test]
    fn warns_about_a_state_force_nobody_pays() {
        for (name, _, text) in BUILTINS {
            let s = parse(name, text).unwrap_or_else(|e| panic!("{}", e.render()));
            assert!(s.warnings().is_empty(), "{name}: {:?}", s.warnings());
        }
        let text = TEMPLATE.replacen(
            "[[tie]]\nfrom = \"host\"\nto = \"army\"\nkind = \"pays\"\nweight = 1.0\n",
            "",
            1,
        );
        assert_ne!(text, TEMPLATE, "the edit applies");
        let s = parse("unpaid.toml", &text).unwrap_or_else(|e| panic!("{}", e.render()));
        let w = s.warnings();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("armed_group.army: a state force that nobody pays"));
    }

    /// `scenario check` warns about a faction that starts aligned with no
    /// patron to align with.
    #[test]
    fn warns_about_a_faction_aligned_with_no_patron() {
        let text = TEMPLATE.replacen("stance = \"hedging\"", "stance = \"aligned\"", 1);
        assert_ne!(text, TEMPLATE, "the edit applies");
        let s = parse("lonely.toml", &text).unwrap_or_else(|e| panic!("{}", e.render()));
        let w = s.warnings();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("a faction that starts `aligned` with no patron"),
            "{w:?}"
        );
    }
}
