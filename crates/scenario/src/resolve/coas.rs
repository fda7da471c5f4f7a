//! Courses of action, futures and the issues stakeholders bargain over.

use super::{Names, POSITION, POSITIVE, Resolver, SHARE};
use crate::raw;
use patronfall_model::outcomes::Condition;
use patronfall_model::*;
use std::collections::BTreeMap;
use std::sync::Arc;

impl Resolver<'_> {
    pub(super) fn coas(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        if f.coa.is_empty() {
            self.problem(
                None,
                "coa",
                "no course of action",
                "add at least one [[coa]] (an empty one means: do nothing)",
            );
        }
        for c in &f.coa {
            let path = format!("coa.{}", c.id.value);
            let mut settings = Vec::new();
            for s in &c.set {
                let lever = self.lookup(&n.levers, &s.lever, &format!("{path}.set.lever"), "lever");
                let value =
                    self.lever_value(&s.value, &format!("{path}.set.{}.value", s.lever.value));
                let from_day = s.day.as_ref().map_or(1, |d| (**d).max(1));
                if let Some(lever) = lever {
                    settings.push(Setting {
                        lever,
                        value,
                        from_day,
                    });
                }
            }
            let mut triggers = Vec::new();
            for (k, t) in c.trigger.iter().enumerate() {
                let tp = format!("{path}.trigger.{k}");
                let (co, tk) = (w.coas.len(), triggers.len());
                let when = self.condition(
                    &t.when,
                    &format!("{tp}.when"),
                    Arc::new(move |w, v| w.coas[co].triggers[tk].when.value = v),
                );
                let lever = self.lookup(&n.levers, &t.lever, &format!("{tp}.lever"), "lever");
                let value = self.lever_value(&t.value, &format!("{tp}.value"));
                if let (Some(when), Some(lever)) = (when, lever) {
                    triggers.push(Trigger {
                        when,
                        from_day: t.from_day.as_ref().map_or(1, |d| **d),
                        lever,
                        value,
                    });
                }
            }
            let issues: BTreeMap<String, usize> = f
                .issue
                .iter()
                .enumerate()
                .map(|(k, is)| (is.id.value.clone(), k))
                .collect();
            let delegated: Vec<usize> = c
                .delegate
                .iter()
                .filter_map(|d| self.lookup(&issues, d, &format!("{path}.delegate"), "issue"))
                .collect();
            w.coas.push(Coa {
                name: c.id.value.clone(),
                settings,
                triggers,
                delegated,
            });
        }
    }

    pub(super) fn futures(&mut self, f: &raw::File, w: &mut World) {
        for fu in &f.future {
            let path = format!("future.{}", fu.id.value);
            self.cite_all(&fu.sources, &path);
            let fi = w.futures.len();
            let conditions: Vec<Condition> = fu
                .when
                .iter()
                .enumerate()
                .filter_map(|(k, c)| {
                    self.condition(
                        c,
                        &format!("{path}.when.{k}"),
                        Arc::new(move |w, v| w.futures[fi].conditions[k].value = v),
                    )
                })
                .collect();
            w.futures.push(Future {
                name: fu.id.value.clone(),
                conditions,
            });
        }
    }

    pub(super) fn issues(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        for is in &f.issue {
            let path = format!("issue.{}", is.id.value);
            let mut stakeholders = Vec::new();
            let base = w.issues.len();
            for (k, s) in is.stakeholder.iter().enumerate() {
                let sp = format!("{path}.stakeholder.{}", s.actor.value);
                self.cite_all(&s.sources, &sp);
                let actor = n.actor(&s.actor);
                if actor.is_none() {
                    self.problem(Some(s.actor.span.clone()), format!("{sp}.actor"), format!("unknown actor `{}`", s.actor.value), "stakeholders are actors: states, armed groups, authorities, blocs or communities");
                }
                let position = self.num(
                    &s.position,
                    &format!("{sp}.position"),
                    POSITION,
                    Arc::new(move |w, v| w.issues[base].stakeholders[k].position = v),
                );
                let salience = self.num(
                    &s.salience,
                    &format!("{sp}.salience"),
                    SHARE,
                    Arc::new(move |w, v| w.issues[base].stakeholders[k].salience = v),
                );
                let capability = self.num(
                    &s.capability,
                    &format!("{sp}.capability"),
                    POSITIVE,
                    Arc::new(move |w, v| w.issues[base].stakeholders[k].capability = v),
                );
                stakeholders.push(Stakeholder {
                    actor: actor.unwrap_or(ActorRef::Host),
                    position,
                    salience,
                    capability,
                });
            }
            let delegates = is
                .delegates
                .iter()
                .filter_map(|d| {
                    let lever = self.lookup(
                        &n.levers,
                        &d.lever,
                        &format!("{path}.delegates.lever"),
                        "lever",
                    )?;
                    let low = self.lever_value(&d.low, &format!("{path}.delegates.low"));
                    let high = self.lever_value(&d.high, &format!("{path}.delegates.high"));
                    Some((lever, low, high))
                })
                .collect();
            let mut smp = patronfall_model::SmpParams::default();
            for (name, value) in &is.smp {
                if let Err(e) = smp.set(name, &value.text()) {
                    self.problem(
                        Some(value.span.clone()),
                        format!("{path}.smp.{name}"),
                        e.to_string(),
                        "set a KTAB parameter of the Spatial Model of Politics by its name, or remove it to keep KTAB's default",
                    );
                }
            }
            w.issues.push(Issue {
                name: is.id.value.clone(),
                stakeholders,
                every_days: *is.every_days,
                delegates,
                smp,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        found, line_of, problems, problems_with_help, template_and, template_with,
    };

    #[test]
    fn a_setting_names_a_known_lever() {
        let text = template_with(&[(
            "{ lever = \"border\", value = 0.3",
            "{ lever = \"bordr\", value = 0.3",
        )]);
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [found(
                "coa.act.set.lever",
                line_of(&text, "\"bordr\""),
                "refers to unknown lever `bordr`"
            )]
        );
        assert_eq!(p[0].1, "did you mean `border`?");
    }

    #[test]
    fn a_trigger_is_checked_part_by_part() {
        let text = template_with(&[(
            "op = \">\", value = 0 }, from_day = 45, lever = \"force\", value = 0.5 }",
            "op = \"!\", value = 0 }, from_day = 45, lever = \"forces\", value = 5 }",
        )]);
        let line = line_of(&text, "lever = \"forces\"");
        assert_eq!(
            problems(&text),
            [
                found(
                    "coa.act.trigger.0.when.op",
                    line,
                    "`!` is not one of `>`, `>=`, `<`, `<=`"
                ),
                found(
                    "coa.act.trigger.0.lever",
                    line,
                    "refers to unknown lever `forces`"
                ),
                found(
                    "coa.act.trigger.0.value",
                    line,
                    "5 is out of range: levers take values between 0 and 1"
                ),
            ]
        );
    }

    #[test]
    fn a_threshold_is_a_figure_sampled_like_any_other() {
        let text = template_with(&[
            (
                "op = \">\", value = 0.2 }]",
                "op = \">\", value = [0.1, 0.3] }]\nsources = [\"A1\"]",
            ),
            (
                "op = \">\", value = 0 }, from_day = 45",
                "op = \">\", value = { dist = \"triangular\", low = 0, mode = 100, high = 400 } }, from_day = 45",
            ),
        ]);
        let s = crate::parse("s.toml", &text).expect("valid");
        let path = "future.turmoil.when.0.value";
        let u = s
            .uncertainties
            .iter()
            .position(|u| u.path == path)
            .expect("the threshold is an uncertain figure");
        assert_eq!(s.uncertainties[u].nominal, 0.2, "the middle of the range");
        assert_eq!(s.world.futures[0].conditions[0].value, 0.2);
        assert_eq!(s.uncertainties[u].sources, ["A1"], "the future's sources");
        let t = s
            .uncertainties
            .iter()
            .position(|u| u.path == "coa.act.trigger.0.when.value")
            .expect("a trigger's threshold is one too");
        assert_eq!(s.uncertainties[t].nominal, 100.0, "the mode");
        let mut values: Vec<f64> = s.uncertainties.iter().map(|u| u.nominal).collect();
        values[u] = 0.27;
        values[t] = 350.0;
        let w = s.world_with(&values);
        assert_eq!(w.futures[0].conditions[0].value, 0.27);
        let act = s.coa("act").expect("act").index();
        assert_eq!(w.coas[act].triggers[0].when.value, 350.0);
    }

    #[test]
    fn a_threshold_out_of_range_or_reversed_is_refused_with_its_path() {
        let text = template_with(&[(
            "op = \">\", value = 0.2 }]",
            "op = \">\", value = [0.3, 0.1] }]",
        )]);
        assert_eq!(
            problems(&text),
            [found(
                "future.turmoil.when.0.value",
                line_of(&text, "[0.3, 0.1]"),
                "the range [0.3, 0.1] has low above high"
            )]
        );
        let text = template_with(&[("op = \">\", value = 0.2 }]", "op = \">\", value = nan }]")]);
        let p = problems(&text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "future.turmoil.when.0.value");
    }

    #[test]
    fn a_scenario_has_a_course_of_action() {
        let text = template_with(&[
            ("default_coa = \"wait\"\n", ""),
            ("[[coa]]\nid = \"wait\"\nname = \"Wait and see\"\n", ""),
            ("[[coa]]\nid = \"act\"", "[[future]]\nid = \"act\""),
            ("trigger = [{ when", "when_ = [{ when"),
        ]);
        let p = problems(&text);
        assert!(p.contains(&found("coa", 0, "no course of action")), "{p:?}");
    }

    #[test]
    fn issues_name_actors_levers_and_ktab_parameters() {
        let (text, first) = template_and(
            "\n[[issue]]\nid = \"power\"\nname = \"Power\"\nevery_days = 30\n\
             smp = { MinDeltaRatio = 0.1, VoteRule = \"PropCbc\" }\n\
             delegates = [{ lever = \"force\", low = 0, high = 1.5 }]\n\
             stakeholder = [\n\
             { actor = \"hosts\", position = 20, salience = 0.5, capability = 1 },\n\
             { actor = \"patron\", position = 120, salience = 0.5, capability = 0 },\n]\n",
        );
        let p = problems(&text);
        assert_eq!(
            p,
            [
                found("issue.power.smp.VoteRule", first + 5, &p[0].2),
                found(
                    "issue.power.delegates.high",
                    first + 6,
                    "1.5 is out of range: levers take values between 0 and 1"
                ),
                found(
                    "issue.power.stakeholder.hosts.actor",
                    first + 8,
                    "unknown actor `hosts`"
                ),
                found(
                    "issue.power.stakeholder.patron.position",
                    first + 9,
                    "120 is out of range: expected a position between 0 and 100"
                ),
                found(
                    "issue.power.stakeholder.patron.capability",
                    first + 9,
                    "0 is out of range: expected a positive number up to a billion"
                ),
            ]
        );
        assert!(p[0].2.contains("VoteRule"), "{p:?}");
    }

    #[test]
    fn a_course_of_action_delegates_known_issues() {
        let text = template_with(&[(
            "name = \"Wait and see\"\n",
            "name = \"Wait and see\"\ndelegate = [\"power\"]\n",
        )]);
        assert_eq!(
            problems(&text),
            [found(
                "coa.wait.delegate",
                line_of(&text, "[\"power\"]"),
                "refers to unknown issue `power`"
            )]
        );
    }
}
