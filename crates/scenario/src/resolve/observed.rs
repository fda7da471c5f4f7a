//! `[[observed]]`: dated milestones of what actually happened in a past
//! case, kept apart from the world.

use super::{Resolver, close};
use crate::raw;
use patronfall_model::outcomes::{Condition, Op, Outcome, Stat};

impl Resolver<'_> {
    /// `[[observed]]`: milestones of what actually happened. They go into the
    /// scenario, not the world; ids have their own namespace, `outcome` must
    /// name an outcome of the catalogue, and `since` an observation on or
    /// before the same day.
    pub(super) fn observed(&mut self, f: &raw::File) -> Vec<crate::Observation> {
        let ids: Vec<&str> = f.observed.iter().map(|o| o.id.as_str()).collect();
        let horizon = f.scenario.horizon_days.as_ref().map_or(365, |d| **d);
        let mut scored: Option<&str> = None;
        let mut out = Vec::new();
        for (i, o) in f.observed.iter().enumerate() {
            let path = format!("observed.{}", o.id.value);
            self.cite_all(&o.sources, &path);
            if ids[..i].contains(&o.id.as_str()) {
                self.problem(
                    Some(o.id.span.clone()),
                    format!("{path}.id"),
                    format!("duplicate observation id `{}`", o.id.value),
                    "give every [[observed]] entry a unique id",
                );
            }
            if *o.day < 1 {
                self.problem(
                    Some(o.day.span.clone()),
                    format!("{path}.day"),
                    "day 0 is the starting state, not a day something happened",
                    "count days like events: day 1 is the first simulated day",
                );
            }
            let (condition, kind) = self.milestone(o, &path, horizon);
            if condition.is_some() {
                if let Some(first) = scored {
                    self.problem(
                        o.outcome.as_ref().map(|n| n.span.clone()),
                        format!("{path}.outcome"),
                        format!("a second scored milestone (`{first}` is already scored)"),
                        "a past case scores one milestone; leave `outcome` off the others, which stay dated context",
                    );
                }
                scored = scored.or(Some(o.id.as_str()));
            }
            let since = o.since.as_ref().and_then(|s| {
                let Some(k) = ids.iter().position(|id| *id == s.as_str()) else {
                    let known: Vec<String> = ids.iter().map(|x| x.to_string()).collect();
                    let help = close(s, known.iter());
                    self.problem(
                        Some(s.span.clone()),
                        format!("{path}.since"),
                        format!("refers to unknown observation `{}`", s.value),
                        help,
                    );
                    return None;
                };
                if k == i || *f.observed[k].day > *o.day {
                    self.problem(
                        Some(s.span.clone()),
                        format!("{path}.since"),
                        format!(
                            "`{}` is not an earlier observation (day {} against day {})",
                            s.value, *f.observed[k].day, *o.day
                        ),
                        "count the lag from an observation on or before this one's day",
                    );
                    return None;
                }
                Some(k)
            });
            if condition.is_some() {
                let overridden = f
                    .parameters
                    .iter()
                    .flat_map(|(g, t)| t.iter().map(move |(n, q)| (g, n, q)))
                    .next();
                if let Some((group, name, q)) = overridden {
                    self.problem(
                        Some(q.span.clone()),
                        format!("parameters.{group}.{name}"),
                        "a past case (a scenario with a scored [[observed]] milestone) overrides a model parameter",
                        "remove [parameters]: one set of model parameters serves every past case, and cases differ only in their facts",
                    );
                }
            }
            out.push(crate::Observation {
                id: o.id.value.clone(),
                name: o.name.clone(),
                day: *o.day,
                condition,
                kind,
                since,
                note: o.note.clone(),
                sources: o.sources.iter().map(|k| k.value.clone()).collect(),
            });
        }
        out
    }

    /// An observation's collapse condition and kind: `outcome` must name an
    /// outcome of the catalogue; `op` and `value` are required except for
    /// `capital_held` (`< 0.5`: the capital has fallen); `op`, `value` and
    /// `kind` need an `outcome`; a scored milestone must lie within the
    /// horizon, since runs are judged up to its day.
    pub(super) fn milestone(
        &mut self,
        o: &raw::Observed,
        path: &str,
        horizon: u32,
    ) -> (Option<Condition>, crate::MilestoneKind) {
        let kind = match &o.kind {
            Some(k) => self
                .keyword(
                    k,
                    &format!("{path}.kind"),
                    &[
                        ("collapse", crate::MilestoneKind::Collapse),
                        ("survival", crate::MilestoneKind::Survival),
                    ],
                )
                .unwrap_or(crate::MilestoneKind::Collapse),
            None => crate::MilestoneKind::Collapse,
        };
        let Some(name) = &o.outcome else {
            for (present, field, span) in [
                (o.op.is_some(), "op", o.op.as_ref().map(|x| x.span.clone())),
                (
                    o.value.is_some(),
                    "value",
                    o.value.as_ref().map(|x| x.span.clone()),
                ),
                (
                    o.kind.is_some(),
                    "kind",
                    o.kind.as_ref().map(|x| x.span.clone()),
                ),
            ] {
                if present {
                    self.problem(
                        span,
                        format!("{path}.{field}"),
                        format!("`{field}` without an `outcome` says nothing"),
                        "add the `outcome` whose condition marks this milestone, or remove the field",
                    );
                }
            }
            return (None, kind);
        };
        let Some(outcome) = Outcome::from_name(name) else {
            let known: Vec<String> = Outcome::ALL.iter().map(|x| x.name().to_string()).collect();
            let help = close(name, known.iter());
            self.problem(
                Some(name.span.clone()),
                format!("{path}.outcome"),
                format!("`{}` is not an outcome", name.value),
                help,
            );
            return (None, kind);
        };
        let default = (outcome == Outcome::CapitalHeld).then_some((Op::Lt, 0.5));
        let op = match &o.op {
            Some(op) => self.keyword(
                op,
                &format!("{path}.op"),
                &[(">", Op::Gt), (">=", Op::Ge), ("<", Op::Lt), ("<=", Op::Le)],
            ),
            None => {
                if default.is_none() {
                    self.problem(
                        Some(name.span.clone()),
                        format!("{path}.op"),
                        format!("`{}` needs a comparison", name.value),
                        "add `op` (>, >=, <, <=) and `value`: the milestone is the first day `outcome op value` holds",
                    );
                }
                default.map(|d| d.0)
            }
        };
        let value = match &o.value {
            Some(v) if !v.is_finite() => {
                self.problem(
                    Some(v.span.clone()),
                    format!("{path}.value"),
                    "not a finite number",
                    "give the threshold as a number",
                );
                None
            }
            Some(v) => Some(**v),
            None => {
                if default.is_none() {
                    self.problem(
                        Some(name.span.clone()),
                        format!("{path}.value"),
                        format!("`{}` needs a threshold", name.value),
                        "add `value`: the milestone is the first day `outcome op value` holds",
                    );
                }
                default.map(|d| d.1)
            }
        };
        if *o.day > horizon {
            self.problem(
                Some(o.day.span.clone()),
                format!("{path}.day"),
                format!(
                    "a scored milestone on day {} lies beyond the horizon (day {horizon})",
                    *o.day
                ),
                "raise [scenario] horizon_days to at least this day: runs are judged up to it",
            );
        }
        let condition = op.zip(value).map(|(op, value)| Condition {
            outcome,
            stat: Stat::End,
            op,
            value,
        });
        (condition, kind)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{found, line_of, problems, problems_with_help};

    /// The SLA past case with `(from, to)` edits, each applied once.
    fn sla_with(edits: &[(&str, &str)]) -> String {
        let mut text = crate::builtin_text("sla-2000")
            .expect("built in")
            .to_string();
        for (from, to) in edits {
            assert!(text.contains(from), "the case holds {from:?}");
            text = text.replacen(from, to, 1);
        }
        text
    }

    #[test]
    fn the_past_case_reads() {
        assert_eq!(problems(&sla_with(&[])), []);
    }

    #[test]
    fn a_case_scores_one_milestone() {
        let text = sla_with(&[(
            "day = 79\nnote",
            "day = 79\noutcome = \"capital_held\"\nnote",
        )]);
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [found(
                "observed.sla_gone.outcome",
                line_of(&text, "client_fighters_share\"\nop"),
                "a second scored milestone (`pullout_begins` is already scored)"
            )]
        );
    }

    #[test]
    fn a_lag_counts_from_an_earlier_known_observation() {
        let text = sla_with(&[("since = \"cabinet_vote\"", "since = \"cabinet_votes\"")]);
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [found(
                "observed.sla_gone.since",
                line_of(&text, "\"cabinet_votes\""),
                "refers to unknown observation `cabinet_votes`"
            )]
        );
        assert_eq!(p[0].1, "did you mean `cabinet_vote`?");
        let text = sla_with(&[(
            "since = \"cabinet_vote\"",
            "since = \"last_soldier_leaves\"",
        )]);
        assert_eq!(
            problems(&text),
            [found(
                "observed.sla_gone.since",
                line_of(&text, "since = \"last_soldier_leaves\""),
                "`last_soldier_leaves` is not an earlier observation (day 81 against day 80)"
            )]
        );
    }

    #[test]
    fn a_milestone_is_dated_within_the_horizon() {
        let text = sla_with(&[
            ("day = 1\nnote = \"5 March", "day = 0\nnote = \"5 March"),
            ("day = 80\n", "day = 200\n"),
        ]);
        assert_eq!(
            problems(&text),
            [
                found(
                    "observed.cabinet_vote.day",
                    line_of(&text, "day = 0\n"),
                    "day 0 is the starting state, not a day something happened"
                ),
                found(
                    "observed.sla_gone.day",
                    line_of(&text, "day = 200\n"),
                    "a scored milestone on day 200 lies beyond the horizon (day 160)"
                ),
            ]
        );
    }

    #[test]
    fn a_condition_needs_an_outcome_and_its_comparison() {
        let text = sla_with(&[("outcome = \"client_fighters_share\"\n", "")]);
        let p = problems(&text);
        assert_eq!(
            p,
            [
                found(
                    "observed.sla_gone.op",
                    line_of(&text, "op = \"<\"\nvalue = 0.5\nsince"),
                    "`op` without an `outcome` says nothing"
                ),
                found(
                    "observed.sla_gone.value",
                    line_of(&text, "value = 0.5\nsince"),
                    "`value` without an `outcome` says nothing"
                ),
            ]
        );
        let text = sla_with(&[
            (
                "\"client_fighters_share\"\nop",
                "\"client_fighter_share\"\nop",
            ),
            ("op = \"<\"\nvalue = 0.5\nsince", "since"),
        ]);
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [found(
                "observed.sla_gone.outcome",
                line_of(&text, "client_fighter_share"),
                "`client_fighter_share` is not an outcome"
            )]
        );
        assert_eq!(p[0].1, "did you mean `client_fighters_share`?");
        let text = sla_with(&[("op = \"<\"\nvalue = 0.5\nsince", "since")]);
        let line = line_of(&text, "client_fighters_share\"\nsince");
        assert_eq!(
            problems(&text),
            [
                found(
                    "observed.sla_gone.op",
                    line,
                    "`client_fighters_share` needs a comparison"
                ),
                found(
                    "observed.sla_gone.value",
                    line,
                    "`client_fighters_share` needs a threshold"
                ),
            ]
        );
    }

    #[test]
    fn a_past_case_keeps_the_model_parameters() {
        let text = sla_with(&[(
            "format = 1\n",
            "format = 1\n\n[parameters.contest]\nregroup_days = 30\n",
        )]);
        assert_eq!(
            problems(&text),
            [found(
                "parameters.contest.regroup_days",
                line_of(&text, "regroup_days = 30"),
                "a past case (a scenario with a scored [[observed]] milestone) overrides a model parameter"
            )]
        );
    }
}
