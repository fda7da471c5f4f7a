//! Levers, the values they are set to, and the conditions that courses of
//! action and futures are written with.

use super::{Names, Resolver, close};
use crate::raw::{self, Sp};
use patronfall_model::outcomes::{Condition, Op, Outcome, Stat};
use patronfall_model::*;

/// What a kind's reader needs: the lever as written, its path, the ids of
/// the file, and its `targets` and `segments` already resolved (every kind
/// resolves them, so a name in them is checked whatever the kind).
struct Ctx<'l> {
    l: &'l raw::Lever,
    path: &'l str,
    n: &'l Names,
    targets: Vec<GroupId>,
    segments: Vec<SegmentId>,
}

impl Ctx<'_> {
    /// A field's path, e.g. `lever.border.force`.
    fn at(&self, field: &str) -> String {
        format!("{}.{field}", self.path)
    }
}

/// One kind of lever: its name in the file, the fields it takes besides
/// `id`, `name`, `kind` and `default` (in the order help lists them), its
/// value when no `default` is given, and its reader.
struct LeverKindSpec {
    name: &'static str,
    fields: &'static [&'static str],
    default: f64,
    read: fn(&mut Resolver<'_>, Ctx<'_>) -> LeverKind,
}

/// Every lever kind, in the order `unknown lever kind` lists them: a new
/// kind is one entry here (with its variant in the model and its row in
/// docs/scenario-format.md, section 7; the tests below hold the three
/// together and to [`LEVER_FIELDS`]).
const LEVER_KINDS: &[LeverKindSpec] = &[
    LeverKindSpec {
        name: "border_share",
        fields: &["force", "segments"],
        default: 0.0,
        read: border_share,
    },
    LeverKindSpec {
        name: "offer",
        fields: &["part", "targets"],
        default: 0.0,
        read: offer,
    },
    LeverKindSpec {
        name: "force",
        fields: &["targets"],
        default: 0.0,
        read: |_, c| LeverKind::Force { targets: c.targets },
    },
    LeverKindSpec {
        name: "payroll",
        fields: &["targets"],
        // Groups are paid in full until a course of action says otherwise.
        default: 1.0,
        read: |_, c| LeverKind::Payroll { targets: c.targets },
    },
    LeverKindSpec {
        name: "intel",
        fields: &["power"],
        default: 0.0,
        read: |r, c| LeverKind::Intel { power: r.power(&c) },
    },
    LeverKindSpec {
        name: "aid",
        fields: &["power"],
        default: 0.0,
        read: |r, c| LeverKind::Aid { power: r.power(&c) },
    },
    LeverKindSpec {
        name: "neighbor_pressure",
        fields: &["power", "segments"],
        default: 0.0,
        read: |r, c| LeverKind::NeighborPressure {
            power: r.power(&c),
            segments: c.segments,
        },
    },
    LeverKindSpec {
        name: "dissuasion",
        fields: &["power"],
        default: 0.0,
        read: |r, c| LeverKind::Dissuasion { power: r.power(&c) },
    },
    LeverKindSpec {
        name: "guarantee",
        fields: &["power"],
        default: 0.0,
        read: |r, c| LeverKind::Guarantee { power: r.power(&c) },
    },
    LeverKindSpec {
        name: "policing",
        fields: &["regions"],
        default: 0.0,
        read: policing,
    },
];

/// A kind's field of `[[lever]]`, and whether a lever sets it.
type LeverField = (&'static str, fn(&raw::Lever) -> bool);

/// Every kind's field of [`raw::Lever`], in the struct's order (the order
/// problems about them are reported in), with whether a lever sets it.
const LEVER_FIELDS: &[LeverField] = &[
    ("force", |l| l.force.is_some()),
    ("segments", |l| !l.segments.is_empty()),
    ("part", |l| l.part.is_some()),
    ("targets", |l| !l.targets.is_empty()),
    ("power", |l| l.power.is_some()),
    ("regions", |l| !l.regions.is_empty()),
];

impl Resolver<'_> {
    /// Every `[[lever]]`, in file order: one lever in the world for each,
    /// so that lever ids index both (a lever of an unknown kind stands in
    /// as an empty `policing` lever; the file is refused anyway).
    pub(super) fn levers(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        for l in &f.lever {
            let path = format!("lever.{}", l.id.value);
            let Some(spec) = self.lever_kind(l, &path) else {
                w.levers.push(Lever {
                    name: l.id.value.clone(),
                    kind: LeverKind::Policing { regions: vec![] },
                    default: 0.0,
                });
                continue;
            };
            self.lever_fields(l, &path, spec);
            let ctx = Ctx {
                l,
                path: &path,
                n,
                targets: l
                    .targets
                    .iter()
                    .filter_map(|t| {
                        self.lookup(&n.groups, t, &format!("{path}.targets"), "armed group")
                    })
                    .collect(),
                segments: l
                    .segments
                    .iter()
                    .filter_map(|s| {
                        self.lookup(&n.segments, s, &format!("{path}.segments"), "segment")
                    })
                    .collect(),
            };
            let kind = (spec.read)(self, ctx);
            let default = l.default.as_ref().map_or(spec.default, |d| **d);
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

    /// The entry of [`LEVER_KINDS`] the lever's `kind` names.
    fn lever_kind(&mut self, l: &raw::Lever, path: &str) -> Option<&'static LeverKindSpec> {
        let spec = LEVER_KINDS.iter().find(|k| k.name == l.kind.as_str());
        if spec.is_none() {
            let names: Vec<&str> = LEVER_KINDS.iter().map(|k| k.name).collect();
            self.problem(
                Some(l.kind.span.clone()),
                format!("{path}.kind"),
                format!("unknown lever kind `{}`", l.kind.value),
                format!("use one of {}", names.join(", ")),
            );
        }
        spec
    }

    /// Says which fields the lever sets that its kind does not take (a
    /// kind's reader says which it needs and lacks).
    fn lever_fields(&mut self, l: &raw::Lever, path: &str, spec: &LeverKindSpec) {
        let kind = &l.kind.value;
        for (field, set) in LEVER_FIELDS {
            if set(l) && !spec.fields.contains(field) {
                self.problem(
                    Some(l.kind.span.clone()),
                    format!("{path}.{field}"),
                    format!("`{field}` does not belong to a `{kind}` lever"),
                    format!("a `{kind}` lever takes {}", spec.fields.join(", ")),
                );
            }
        }
    }

    /// The outside power a lever of an outside power's kind names.
    fn power(&mut self, c: &Ctx<'_>) -> OutsideId {
        let power = match &c.l.power {
            Some(p) => self.lookup(&c.n.outside, p, &c.at("power"), "outside power"),
            None => {
                self.problem(
                    Some(c.l.kind.span.clone()),
                    c.at("power"),
                    format!("a `{}` lever needs `power`", c.l.kind.value),
                    "name the outside power that acts",
                );
                None
            }
        };
        power.unwrap_or_default()
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

/// `border_share`: the share of state force `force` guarding `segments`.
fn border_share(r: &mut Resolver<'_>, c: Ctx<'_>) -> LeverKind {
    let force = match &c.l.force {
        Some(fid) => r.lookup(&c.n.groups, fid, &c.at("force"), "armed group"),
        None => {
            r.problem(
                Some(c.l.kind.span.clone()),
                c.at("force"),
                "a `border_share` lever needs `force`",
                "name the state force whose share it sets",
            );
            None
        }
    };
    if c.segments.is_empty() {
        r.problem(
            Some(c.l.kind.span.clone()),
            c.at("segments"),
            "a `border_share` lever needs `segments`",
            "list the segments the share goes to",
        );
    }
    LeverKind::BorderShare {
        force: force.unwrap_or_default(),
        segments: c.segments,
    }
}

/// `offer`: one `part` of the offer to `targets` (every faction if none).
fn offer(r: &mut Resolver<'_>, c: Ctx<'_>) -> LeverKind {
    let part = match &c.l.part {
        Some(p) => r.keyword(
            p,
            &c.at("part"),
            &[
                ("immunity", OfferPart::Immunity),
                ("compensation", OfferPart::Compensation),
                ("posts", OfferPart::Posts),
            ],
        ),
        None => {
            r.problem(
                Some(c.l.kind.span.clone()),
                c.at("part"),
                "an `offer` lever needs `part`",
                "part = \"immunity\", \"compensation\" or \"posts\"",
            );
            None
        }
    };
    LeverKind::Offer {
        part: part.unwrap_or(OfferPart::Immunity),
        targets: c.targets,
    }
}

/// `policing`: the response to unrest in `regions` (every region if none).
fn policing(r: &mut Resolver<'_>, c: Ctx<'_>) -> LeverKind {
    LeverKind::Policing {
        regions: c
            .l
            .regions
            .iter()
            .filter_map(|x| r.lookup(&c.n.regions, x, &c.at("regions"), "region"))
            .collect(),
    }
}
