//! The model's general parameters: a scenario's `[parameters]` overrides,
//! and, when the scenario is read with
//! [`Reading::vary_parameters`](crate::Reading), every parameter with a
//! plausible range in the registry as an uncertain figure.
//!
//! The plausible ranges are the registry's (docs/model.md, section 8.1),
//! the same for every scenario: when they are varied, an override that
//! narrows one (a single value, or a distribution that does not cover the
//! whole plausible range) is refused, so that no scenario can tune the
//! model's behaviour to fit its case. An override that covers the range is
//! kept as written.

use super::{Domain, Resolver, close};
use crate::quantity::Dist;
use crate::raw;
use crate::{SourceRef, Uncertainty};
use patronfall_model::{PARAMETERS, ParamSpec, Params, World};
use std::sync::Arc;

/// The source key the registry's uncertain figures cite. It cannot clash
/// with a scenario's key: a file that uses it is refused when parameters
/// are varied.
pub const REGISTRY_SOURCE: &str = "registry";

/// The source the registry's uncertain figures rest on: the analyst's
/// judgement written into the model, so their basis is an assumption.
fn registry_source() -> SourceRef {
    SourceRef {
        key: REGISTRY_SOURCE.to_string(),
        publisher: "patronfall".to_string(),
        title: "Analyst assumption: the plausible ranges of the model's parameter registry"
            .to_string(),
        // Not a publication: no year (shown as a dash).
        year: 0,
        note: format!(
            "docs/model.md, section 8.1; patronfall {}",
            env!("CARGO_PKG_VERSION")
        ),
    }
}

/// How a figure's value is written into a world's parameters.
fn setter(spec: &ParamSpec) -> super::Apply {
    let set = spec.set;
    Arc::new(move |w: &mut World, v| set(&mut w.params, v))
}

impl Resolver<'_> {
    /// Checks the file's `[parameters]` overrides and applies their nominal
    /// values; registers the uncertain ones.
    pub(super) fn parameters(&mut self, f: &raw::File, w: &mut World) {
        for (group, table) in &f.parameters {
            for (name, q) in table {
                let full = format!("{group}.{name}");
                let path = format!("parameters.{full}");
                match Params::spec(&full) {
                    Some(spec) => {
                        let dom = Domain {
                            min: spec.min,
                            max: spec.max,
                            what: "a value in the parameter's documented range",
                        };
                        let v = self.num(q, &path, dom, setter(spec));
                        if v.is_finite() {
                            (spec.set)(&mut w.params, v);
                            if self.reading.vary_parameters {
                                self.refuse_narrowing(spec, q, &path);
                            }
                        }
                    }
                    None => {
                        let names: Vec<String> =
                            PARAMETERS.iter().map(|p| p.name.to_string()).collect();
                        let help = close(&full, names.iter());
                        self.problem(
                            Some(q.span.clone()),
                            path,
                            format!("unknown model parameter `{full}`"),
                            format!("{help} (`patronfall scenario show --parameters` lists them)"),
                        );
                    }
                }
            }
        }
    }

    /// With parameters varied, refuses an override whose values do not
    /// cover the parameter's whole plausible range.
    fn refuse_narrowing(&mut self, spec: &ParamSpec, q: &raw::Q, path: &str) {
        let Some([low, high]) = spec.plausible else {
            return;
        };
        let written = match (&q.value.value, &q.value.dist) {
            (Some(v), _) => Some((format!("the single value {v}"), *v, *v)),
            (None, Some(d)) => {
                // Samples are clamped to the valid range (a normal's tails).
                let (lo, hi) = d.support();
                let (lo, hi) = (lo.max(spec.min), hi.min(spec.max));
                Some((format!("values from {lo} to {hi}"), lo, hi))
            }
            (None, None) => None,
        };
        if let Some((what, lo, hi)) = written
            && (lo > low || hi < high)
        {
            self.problem(
                Some(q.span.clone()),
                path,
                format!(
                    "narrows `{}` to {what}: with --vary-parameters every scenario varies it over its plausible range [{low}, {high}]",
                    spec.name
                ),
                format!(
                    "remove the entry so the registry's range is used (a scenario may not tune the model's behaviour to its case), give a range that covers [{low}, {high}], or run without --vary-parameters"
                ),
            );
        }
    }

    /// With parameters varied: every parameter with a plausible range that
    /// the file does not override becomes an uncertain figure, uniform over
    /// that range, with the registry's default as its nominal value; the
    /// registry joins the sources. Appended after the file's own figures,
    /// whose order it keeps.
    pub(super) fn registry_parameters(&mut self, f: &raw::File, sources: &mut Vec<SourceRef>) {
        if !self.reading.vary_parameters {
            return;
        }
        if let Some(s) = f.source.iter().find(|s| s.key.value == REGISTRY_SOURCE) {
            self.problem(
                Some(s.key.span.clone()),
                format!("source.{REGISTRY_SOURCE}"),
                format!(
                    "the source key `{REGISTRY_SOURCE}` is the model's parameter registry when parameters are varied"
                ),
                "give this source another key (and update the figures that cite it)",
            );
            return;
        }
        for spec in PARAMETERS {
            let Some([low, high]) = spec.plausible else {
                continue;
            };
            let (group, name) = spec.name.split_once('.').unwrap_or((spec.name, ""));
            if f.parameters
                .get(group)
                .is_some_and(|t| t.contains_key(name))
            {
                continue;
            }
            self.uncertainties.push(Uncertainty {
                path: format!("parameters.{}", spec.name),
                sources: vec![REGISTRY_SOURCE.to_string()],
                dist: Dist::Uniform { low, high },
                nominal: spec.default,
                min: spec.min,
                max: spec.max,
                apply: setter(spec),
            });
        }
        sources.push(registry_source());
    }
}

#[cfg(test)]
mod tests {
    use crate::Reading;
    use patronfall_model::PARAMETERS;

    const VARY: Reading = Reading {
        vary_parameters: true,
    };

    fn template_plus(extra: &str) -> String {
        format!("{}{extra}", crate::TEMPLATE)
    }

    #[test]
    fn varied_parameters_are_uncertain_figures_over_their_plausible_ranges() {
        let plain = crate::parse("t.toml", crate::TEMPLATE).unwrap();
        let varied = crate::parse_with("t.toml", crate::TEMPLATE, VARY).unwrap();
        let with_range = PARAMETERS.iter().filter(|p| p.plausible.is_some()).count();
        assert_eq!(
            varied.uncertainties.len(),
            plain.uncertainties.len() + with_range
        );
        // The file's own figures come first, in their order.
        for (a, b) in plain.uncertainties.iter().zip(&varied.uncertainties) {
            assert_eq!(a.path, b.path);
        }
        let k = varied
            .uncertainties
            .iter()
            .find(|u| u.path == "parameters.firebreak.interdiction_k")
            .expect("interdiction k is varied");
        assert_eq!(
            k.dist,
            crate::Dist::Uniform {
                low: 0.04,
                high: 0.16
            }
        );
        assert_eq!(k.nominal, 0.08);
        assert_eq!(k.sources, ["registry"]);
        // The nominal world is the registry's defaults, as without the option.
        assert_eq!(varied.world.params, plain.world.params);
        assert!(varied.reading.vary_parameters && !plain.reading.vary_parameters);
        // Writing a sample sets the parameter.
        let mut values: Vec<f64> = varied.uncertainties.iter().map(|u| u.nominal).collect();
        let i = varied
            .uncertainties
            .iter()
            .position(|u| u.path == "parameters.firebreak.interdiction_k")
            .unwrap();
        values[i] = 0.15;
        assert_eq!(varied.world_with(&values).params.interdiction_k, 0.15);
        // The fixed setting of the computation is not varied.
        assert!(
            !varied
                .uncertainties
                .iter()
                .any(|u| u.path == "parameters.settlement.recompute_tolerance")
        );
        let registry = varied.sources.iter().find(|s| s.key == "registry").unwrap();
        assert!(crate::trace::is_assumption(registry));
    }

    #[test]
    fn a_scenario_may_not_narrow_a_varied_parameter() {
        let text = template_plus("\n[parameters.firebreak]\ninterdiction_k = 0.3\n");
        // Without the option an override is the analyst's what-if.
        let plain = crate::parse("t.toml", &text).unwrap();
        assert_eq!(plain.world.params.interdiction_k, 0.3);
        let e = crate::parse_with("t.toml", &text, VARY).unwrap_err();
        let line = text.lines().count();
        let shown = e.render();
        assert!(shown.contains(&format!("t.toml:{line}:")), "{shown}");
        assert!(
            shown.contains("parameters.firebreak.interdiction_k"),
            "{shown}"
        );
        assert!(shown.contains("[0.04, 0.16]"), "{shown}");
        assert!(shown.contains("remove the entry"), "{shown}");
        // A range inside the plausible one narrows it too.
        let text = template_plus("\n[parameters.firebreak]\ninterdiction_k = [0.05, 0.1]\n");
        assert!(crate::parse_with("t.toml", &text, VARY).is_err());
        // A range that covers it is the scenario's own, wider uncertainty.
        let text = template_plus("\n[parameters.firebreak]\ninterdiction_k = [0.02, 0.3]\n");
        let s = crate::parse_with("t.toml", &text, VARY).unwrap();
        let k: Vec<_> = s
            .uncertainties
            .iter()
            .filter(|u| u.path == "parameters.firebreak.interdiction_k")
            .collect();
        assert_eq!(k.len(), 1);
        assert_eq!(
            k[0].dist,
            crate::Dist::Uniform {
                low: 0.02,
                high: 0.3
            }
        );
        // A fixed parameter may still be set.
        let text = template_plus("\n[parameters.settlement]\nrecompute_tolerance = 0.01\n");
        assert!(crate::parse_with("t.toml", &text, VARY).is_ok());
    }
}
