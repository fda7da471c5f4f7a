//! Levers, the values they are set to, and the conditions that courses of
//! action and futures are written with.

use super::{Names, Resolver, THRESHOLD, article, close};
use crate::Apply;
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
        let a = article(kind);
        for (field, set) in LEVER_FIELDS {
            if set(l) && !spec.fields.contains(field) {
                self.problem(
                    Some(l.kind.span.clone()),
                    format!("{path}.{field}"),
                    format!("`{field}` does not belong to {a} `{kind}` lever"),
                    format!("{a} `{kind}` lever takes {}", spec.fields.join(", ")),
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
                    format!(
                        "{} `{}` lever needs `power`",
                        article(&c.l.kind.value),
                        c.l.kind.value
                    ),
                    "name the outside power that acts",
                );
                None
            }
        };
        power.unwrap_or_default()
    }

    /// Resolves a condition written at `path` (`….when` or `….when.K`);
    /// `apply` sets its threshold in a sampled world.
    pub(super) fn condition(
        &mut self,
        c: &raw::Condition,
        path: &str,
        apply: Apply,
    ) -> Option<Condition> {
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
        let value = self.num(&c.value, &format!("{path}.value"), THRESHOLD, apply);
        Some(Condition {
            outcome: outcome?,
            stat: stat?,
            op: op?,
            value,
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

#[cfg(test)]
mod tests {
    use super::super::article;
    use super::super::testing::{
        documented_kinds, found, line_of, problems, problems_with_help, template_and, template_with,
    };
    use super::{LEVER_FIELDS, LEVER_KINDS};
    use patronfall_model::LeverKind;

    /// The format's name of a lever variant. The match is exhaustive, so a
    /// new variant in the model fails to compile here until it is named;
    /// [`every_kind_reads_into_its_own_variant`] then asks for its entry
    /// in `LEVER_KINDS`.
    fn variant(k: &LeverKind) -> &'static str {
        match k {
            LeverKind::BorderShare { .. } => "border_share",
            LeverKind::Offer { .. } => "offer",
            LeverKind::Force { .. } => "force",
            LeverKind::Payroll { .. } => "payroll",
            LeverKind::Intel { .. } => "intel",
            LeverKind::Aid { .. } => "aid",
            LeverKind::NeighborPressure { .. } => "neighbor_pressure",
            LeverKind::Dissuasion { .. } => "dissuasion",
            LeverKind::Guarantee { .. } => "guarantee",
            LeverKind::Policing { .. } => "policing",
        }
    }

    /// Every variant's name, as [`variant`] gives them.
    const VARIANTS: &[&str] = &[
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

    /// A valid value of a lever field in the template's world.
    fn valid(field: &str) -> &'static str {
        match field {
            "force" => "\"army\"",
            "segments" => "[\"east\"]",
            "part" => "\"posts\"",
            "targets" => "[\"loyalists\"]",
            "power" => "\"friend\"",
            "regions" => "[\"capital\"]",
            other => panic!("no value for {other}"),
        }
    }

    /// A lever `l` of `kind` with `fields`, after a blank line: `kind` is on
    /// line 3 and the fields from 4 on.
    fn lever(kind: &str, fields: &[&str]) -> String {
        let mut text = format!("\n[[lever]]\nid = \"l\"\nkind = \"{kind}\"\n");
        for f in fields {
            text.push_str(&format!("{f} = {}\n", valid(f)));
        }
        text
    }

    #[test]
    fn every_kind_reads_into_its_own_variant() {
        let names: Vec<&str> = LEVER_KINDS.iter().map(|k| k.name).collect();
        assert_eq!(names, VARIANTS, "one entry per variant, in this order");
        for kind in LEVER_KINDS {
            let (text, _) = template_and(&lever(kind.name, kind.fields));
            let s = crate::parse("s.toml", &text)
                .unwrap_or_else(|e| panic!("{}: {}", kind.name, e.render()));
            let l = s.world.levers.last().expect("the lever");
            assert_eq!(variant(&l.kind), kind.name);
            assert_eq!(l.default, kind.default, "{}", kind.name);
        }
    }

    /// The table's field lists agree with each other and with the file's
    /// `[[lever]]` table.
    #[test]
    fn the_field_lists_agree_with_the_format() {
        let schema = crate::schema();
        let props = schema["$defs"]["Lever"]["properties"]
            .as_object()
            .expect("the schema describes [[lever]]");
        let mut in_file: Vec<&str> = props.keys().map(String::as_str).collect();
        in_file.retain(|f| !["id", "name", "kind", "default"].contains(f));
        in_file.sort_unstable();
        let mut listed: Vec<&str> = LEVER_FIELDS.iter().map(|f| f.0).collect();
        listed.sort_unstable();
        assert_eq!(listed, in_file);
        for kind in LEVER_KINDS {
            for f in kind.fields {
                assert!(listed.contains(f), "{}.{f} is a field", kind.name);
            }
        }
        for (f, _) in LEVER_FIELDS {
            assert!(
                LEVER_KINDS.iter().any(|k| k.fields.contains(f)),
                "some kind takes {f}"
            );
        }
    }

    /// docs/scenario-format.md, section 7, has one row per kind naming its
    /// fields.
    #[test]
    fn the_format_documents_every_kind() {
        let names: Vec<&str> = LEVER_KINDS.iter().map(|k| k.name).collect();
        let (_, rows) = documented_kinds("## 7. Lever kinds", &names);
        for (kind, fields) in LEVER_KINDS.iter().zip(rows) {
            for f in kind.fields {
                assert!(fields.contains(&format!("`{f}`")), "{}: {f}", kind.name);
            }
        }
    }

    /// What each kind says when it is given none of its fields.
    #[test]
    fn each_kind_says_which_fields_it_needs() {
        for kind in LEVER_KINDS {
            let (text, first) = template_and(&lever(kind.name, &[]));
            let needs = |f: &str, article: &str| {
                found(
                    &format!("lever.l.{f}"),
                    first + 3,
                    &format!("{article} `{}` lever needs `{f}`", kind.name),
                )
            };
            let expected = match kind.name {
                "border_share" => vec![needs("force", "a"), needs("segments", "a")],
                "offer" => vec![needs("part", "an")],
                "force" | "payroll" | "policing" => vec![],
                "intel" | "aid" => vec![needs("power", "an")],
                _ => vec![needs("power", "a")],
            };
            assert_eq!(problems(&text), expected, "{}", kind.name);
        }
    }

    #[test]
    fn each_kind_refuses_the_fields_of_other_kinds() {
        for kind in LEVER_KINDS {
            let (stray, _) = LEVER_FIELDS
                .iter()
                .find(|(f, _)| !kind.fields.contains(f))
                .expect("a field of another kind");
            let mut fields = kind.fields.to_vec();
            fields.push(stray);
            let (text, first) = template_and(&lever(kind.name, &fields));
            let p = problems_with_help(&text);
            assert_eq!(
                p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
                [found(
                    &format!("lever.l.{stray}"),
                    first + 3,
                    &format!(
                        "`{stray}` does not belong to {} `{}` lever",
                        article(kind.name),
                        kind.name
                    )
                )],
                "{} with {stray}",
                kind.name
            );
            assert_eq!(
                p[0].1,
                format!(
                    "{} `{}` lever takes {}",
                    article(kind.name),
                    kind.name,
                    kind.fields.join(", ")
                )
            );
        }
    }

    #[test]
    fn an_unknown_kind_lists_the_kinds() {
        let (text, first) = template_and(&lever("borders", &[]));
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [found(
                "lever.l.kind",
                first + 3,
                "unknown lever kind `borders`"
            )]
        );
        assert_eq!(
            p[0].1,
            "use one of border_share, offer, force, payroll, intel, aid, \
             neighbor_pressure, dissuasion, guarantee, policing"
        );
    }

    #[test]
    fn an_unknown_name_suggests_a_known_one() {
        let (text, first) = template_and(
            &lever("neighbor_pressure", &["power", "segments"]).replace("east", "est"),
        );
        let text = text.replacen("power = \"friend\"", "power = \"frend\"", 1);
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [
                found(
                    "lever.l.power",
                    first + 4,
                    "refers to unknown outside power `frend`"
                ),
                found(
                    "lever.l.segments",
                    first + 5,
                    "refers to unknown segment `est`"
                ),
            ]
        );
        assert_eq!(p[0].1, "did you mean `friend`?");
        assert_eq!(p[1].1, "did you mean `east`?");
    }

    #[test]
    fn an_unknown_field_is_named_where_it_stands() {
        let (text, first) = template_and(&format!("{}value = 0.5\n", lever("intel", &["power"])));
        let p = problems(&text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].0.as_str(), p[0].1), ("lever.value", first + 5));
        assert!(p[0].2.starts_with("unknown field `value`"), "{p:?}");
    }

    /// Defaults, settings and delegated bounds are values of 0 to 1.
    #[test]
    fn lever_values_lie_between_0_and_1() {
        let (text, first) = template_and(&format!("{}default = 1.5\n", lever("intel", &["power"])));
        assert_eq!(
            problems(&text),
            [found(
                "lever.l.default",
                first + 5,
                "1.5 is out of range: levers take values between 0 and 1"
            )]
        );
        let text = template_with(&[(
            "{ lever = \"border\", value = 0.3",
            "{ lever = \"border\", value = -0.3",
        )]);
        assert_eq!(
            problems(&text),
            [found(
                "coa.act.set.border.value",
                line_of(&text, "value = -0.3"),
                "-0.3 is out of range: levers take values between 0 and 1"
            )]
        );
    }

    /// A condition names an outcome, a stat and a comparison.
    #[test]
    fn a_condition_is_checked_field_by_field() {
        let text = template_with(&[(
            "{ outcome = \"active_share_max_community\", stat = \"max\", op = \">\"",
            "{ outcome = \"active_share_max_comunity\", stat = \"top\", op = \"=>\"",
        )]);
        let line = line_of(&text, "active_share_max_comunity");
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [
                found(
                    "future.turmoil.when.0.outcome",
                    line,
                    "unknown outcome `active_share_max_comunity`"
                ),
                found(
                    "future.turmoil.when.0.stat",
                    line,
                    "`top` is not one of `end`, `max`, `min`, `mean`"
                ),
                found(
                    "future.turmoil.when.0.op",
                    line,
                    "`=>` is not one of `>`, `>=`, `<`, `<=`"
                ),
            ]
        );
        assert_eq!(p[0].1, "did you mean `active_share_max_community`?");
    }

    /// Found while putting the kinds in a table: the messages said "a
    /// `intel` lever" and "a `offer` lever".
    #[test]
    fn a_kind_takes_its_article() {
        let (text, first) = template_and(&lever("offer", &["part", "power"]));
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [found(
                "lever.l.power",
                first + 3,
                "`power` does not belong to an `offer` lever"
            )]
        );
        assert_eq!(p[0].1, "an `offer` lever takes part, targets");
        let (text, first) = template_and(&lever("aid", &[]));
        assert_eq!(
            problems(&text),
            [found(
                "lever.l.power",
                first + 3,
                "an `aid` lever needs `power`"
            )]
        );
    }
}
