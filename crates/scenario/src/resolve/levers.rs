//! Levers, the values they are set to, and the conditions that courses of
//! action and futures are written with.

use super::{Names, Resolver, close};
use crate::raw::{self, Sp};
use patronfall_model::outcomes::{Condition, Op, Outcome, Stat};
use patronfall_model::*;

impl Resolver<'_> {
    pub(super) fn levers(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        for l in &f.lever {
            let path = format!("lever.{}", l.id.value);
            let kind_name = l.kind.as_str();
            let fields: &[&str] = match kind_name {
                "border_share" => &["force", "segments"],
                "offer" => &["part", "targets"],
                "force" | "payroll" => &["targets"],
                "intel" | "aid" | "dissuasion" | "guarantee" => &["power"],
                "neighbor_pressure" => &["power", "segments"],
                "policing" => &["regions"],
                other => {
                    let kinds = [
                        "border_share",
                        "offer",
                        "force",
                        "payroll",
                        "intel",
                        "aid",
                        "neighbor_pressure",
                        "dissuasion",
                        "guarantee",
                        "policing",
                    ];
                    self.problem(
                        Some(l.kind.span.clone()),
                        format!("{path}.kind"),
                        format!("unknown lever kind `{other}`"),
                        format!("use one of {}", kinds.join(", ")),
                    );
                    w.levers.push(Lever {
                        name: l.id.value.clone(),
                        kind: LeverKind::Policing { regions: vec![] },
                        default: 0.0,
                    });
                    continue;
                }
            };
            for (field, present) in [
                ("force", l.force.is_some()),
                ("segments", !l.segments.is_empty()),
                ("part", l.part.is_some()),
                ("targets", !l.targets.is_empty()),
                ("power", l.power.is_some()),
                ("regions", !l.regions.is_empty()),
            ] {
                if present && !fields.contains(&field) {
                    self.problem(
                        Some(l.kind.span.clone()),
                        format!("{path}.{field}"),
                        format!("`{field}` does not belong to a `{kind_name}` lever"),
                        format!("a `{kind_name}` lever takes {}", fields.join(", ")),
                    );
                }
            }
            let targets: Vec<GroupId> = l
                .targets
                .iter()
                .filter_map(|t| {
                    self.lookup(&n.groups, t, &format!("{path}.targets"), "armed group")
                })
                .collect();
            let segments: Vec<SegmentId> = l
                .segments
                .iter()
                .filter_map(|s| self.lookup(&n.segments, s, &format!("{path}.segments"), "segment"))
                .collect();
            let power = |this: &mut Self| match &l.power {
                Some(p) => this.lookup(&n.outside, p, &format!("{path}.power"), "outside power"),
                None => {
                    this.problem(
                        Some(l.kind.span.clone()),
                        format!("{path}.power"),
                        format!("a `{kind_name}` lever needs `power`"),
                        "name the outside power that acts",
                    );
                    None
                }
            };
            let kind = match kind_name {
                "border_share" => {
                    let force = match &l.force {
                        Some(fid) => {
                            self.lookup(&n.groups, fid, &format!("{path}.force"), "armed group")
                        }
                        None => {
                            self.problem(
                                Some(l.kind.span.clone()),
                                format!("{path}.force"),
                                "a `border_share` lever needs `force`",
                                "name the state force whose share it sets",
                            );
                            None
                        }
                    };
                    if segments.is_empty() {
                        self.problem(
                            Some(l.kind.span.clone()),
                            format!("{path}.segments"),
                            "a `border_share` lever needs `segments`",
                            "list the segments the share goes to",
                        );
                    }
                    LeverKind::BorderShare {
                        force: force.unwrap_or_default(),
                        segments,
                    }
                }
                "offer" => {
                    let part = match &l.part {
                        Some(p) => self.keyword(
                            p,
                            &format!("{path}.part"),
                            &[
                                ("immunity", OfferPart::Immunity),
                                ("compensation", OfferPart::Compensation),
                                ("posts", OfferPart::Posts),
                            ],
                        ),
                        None => {
                            self.problem(
                                Some(l.kind.span.clone()),
                                format!("{path}.part"),
                                "an `offer` lever needs `part`",
                                "part = \"immunity\", \"compensation\" or \"posts\"",
                            );
                            None
                        }
                    };
                    LeverKind::Offer {
                        part: part.unwrap_or(OfferPart::Immunity),
                        targets,
                    }
                }
                "force" => LeverKind::Force { targets },
                "payroll" => LeverKind::Payroll { targets },
                "intel" => LeverKind::Intel {
                    power: power(self).unwrap_or_default(),
                },
                "aid" => LeverKind::Aid {
                    power: power(self).unwrap_or_default(),
                },
                "dissuasion" => LeverKind::Dissuasion {
                    power: power(self).unwrap_or_default(),
                },
                "guarantee" => LeverKind::Guarantee {
                    power: power(self).unwrap_or_default(),
                },
                "neighbor_pressure" => LeverKind::NeighborPressure {
                    power: power(self).unwrap_or_default(),
                    segments,
                },
                _ => LeverKind::Policing {
                    regions: l
                        .regions
                        .iter()
                        .filter_map(|r| {
                            self.lookup(&n.regions, r, &format!("{path}.regions"), "region")
                        })
                        .collect(),
                },
            };
            let default = l
                .default
                .as_ref()
                .map_or(if kind_name == "payroll" { 1.0 } else { 0.0 }, |d| **d);
            if let Some(d) = &l.default
                && !(0.0..=1.0).contains(&d.value)
            {
                self.problem(
                    Some(d.span.clone()),
                    format!("{path}.default"),
                    format!(
                        "{} is out of range: levers take values between 0 and 1",
                        d.value
                    ),
                    "use a value between 0 and 1",
                );
            }
            w.levers.push(Lever {
                name: l.id.value.clone(),
                kind,
                default,
            });
        }
    }

    pub(super) fn condition(&mut self, c: &raw::Condition, path: &str) -> Option<Condition> {
        let outcome = match Outcome::from_name(&c.outcome) {
            Some(o) => Some(o),
            None => {
                let names: Vec<String> =
                    Outcome::ALL.iter().map(|o| o.name().to_string()).collect();
                let help = close(&c.outcome, names.iter());
                self.problem(
                    Some(c.outcome.span.clone()),
                    format!("{path}.outcome"),
                    format!("unknown outcome `{}`", c.outcome.value),
                    help,
                );
                None
            }
        };
        let stat = match &c.stat {
            Some(s) => self.keyword(
                s,
                &format!("{path}.stat"),
                &[
                    ("end", Stat::End),
                    ("max", Stat::Max),
                    ("min", Stat::Min),
                    ("mean", Stat::Mean),
                ],
            ),
            None => Some(Stat::End),
        };
        let op = self.keyword(
            &c.op,
            &format!("{path}.op"),
            &[(">", Op::Gt), (">=", Op::Ge), ("<", Op::Lt), ("<=", Op::Le)],
        );
        Some(Condition {
            outcome: outcome?,
            stat: stat?,
            op: op?,
            value: *c.value,
        })
    }

    pub(super) fn lever_value(&mut self, v: &Sp<f64>, path: &str) -> f64 {
        if !(0.0..=1.0).contains(&v.value) {
            self.problem(
                Some(v.span.clone()),
                path,
                format!(
                    "{} is out of range: levers take values between 0 and 1",
                    v.value
                ),
                "use a value between 0 and 1",
            );
        }
        **v
    }
}
