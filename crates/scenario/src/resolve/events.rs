//! Events, at the top level or in a shock: their timing and what each kind
//! does.

use super::{COUNT, DAY, DAYS, GUIDANCE, Names, Resolver, SHARE, article};
use crate::Apply;
use crate::raw::{self, Id, Q};
use patronfall_model::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where an event lives, so an uncertain figure can be written back into it.
#[derive(Clone, Copy, Debug)]
pub(super) enum EvLoc {
    World(usize),
    Shock(usize, usize),
}

fn event_mut(w: &mut World, loc: EvLoc) -> &mut Event {
    match loc {
        EvLoc::World(e) => &mut w.events[e],
        EvLoc::Shock(s, e) => &mut w.shocks[s].events[e],
    }
}

/// Builds an `Apply` that writes one field of one event variant.
macro_rules! ev_set {
    ($loc:expr, $variant:ident, $field:ident) => {{
        let loc = $loc;
        Arc::new(move |w: &mut World, v: f64| {
            if let EventKind::$variant { $field, .. } = &mut event_mut(w, loc).kind {
                *$field = v;
            }
        }) as Apply
    }};
}

/// What a kind's reader needs: the event as written, its path, where it
/// lives in the world, and the ids of the file.
struct Ctx<'e> {
    e: &'e raw::Event,
    path: &'e str,
    loc: EvLoc,
    n: &'e Names,
    f: &'e raw::File,
}

impl Ctx<'_> {
    /// A figure field of the kind, known present (`EventKind::fields`
    /// checked it before the reader runs).
    fn q<'a>(&self, x: &'a Option<Q>) -> &'a Q {
        x.as_ref()
            .expect("a kind's fields are checked present before it is read")
    }

    /// A name field of the kind, known present.
    fn id<'a>(&self, x: &'a Option<Id>) -> &'a Id {
        x.as_ref()
            .expect("a kind's fields are checked present before it is read")
    }

    /// A field's path, e.g. `event.fall.floor`.
    fn at(&self, field: &str) -> String {
        format!("{}.{field}", self.path)
    }
}

/// One kind of event: its name in the file, the fields it takes besides
/// `id`, `kind`, `day` or `hazard`, `sources` and `note` (in the order help
/// lists them), those of them it may leave out, and its reader, which runs
/// once every required field is known present and no other is.
struct EventKindSpec {
    name: &'static str,
    fields: &'static [&'static str],
    optional: &'static [&'static str],
    read: fn(&mut Resolver<'_>, &Ctx<'_>) -> Option<EventKind>,
}

/// Every event kind, in the order `unknown event kind` lists them: a new
/// kind is one entry here (with its variant in the model and its row in
/// docs/scenario-format.md, section 6; the tests below hold the three
/// together and to [`EVENT_FIELDS`]).
const EVENT_KINDS: &[EventKindSpec] = &[
    EventKindSpec {
        name: "collapse",
        fields: &["patron", "duration_days", "floor"],
        optional: &[],
        read: collapse,
    },
    EventKindSpec {
        name: "pullback",
        fields: &["patron", "duration_days", "floor"],
        optional: &[],
        read: pullback,
    },
    EventKindSpec {
        name: "resumption",
        fields: &["patron", "duration_days", "capacity"],
        optional: &[],
        read: resumption,
    },
    EventKindSpec {
        name: "withdrawal",
        fields: &["patron", "from", "to", "share"],
        optional: &["to"],
        read: withdrawal,
    },
    EventKindSpec {
        name: "announcement",
        fields: &[
            "sponsor",
            "expectation_drop",
            "cut",
            "delay_days",
            "belief_days",
        ],
        optional: &["belief_days"],
        read: announcement,
    },
    EventKindSpec {
        name: "successor",
        fields: &["patron", "capacity", "continuity"],
        optional: &[],
        read: successor,
    },
    EventKindSpec {
        name: "leader_killed",
        fields: &["group", "morale_drop"],
        optional: &[],
        read: leader_killed,
    },
    EventKindSpec {
        name: "guidance",
        fields: &["authority", "guidance"],
        optional: &[],
        read: guidance,
    },
    EventKindSpec {
        name: "strike",
        fields: &["by", "group", "fighters_killed"],
        optional: &[],
        read: strike,
    },
    EventKindSpec {
        name: "offensive",
        fields: &["group", "region", "commit", "then"],
        optional: &["commit", "then"],
        read: offensive,
    },
    EventKindSpec {
        name: "cut",
        fields: &["sponsor", "channels", "share"],
        optional: &[],
        read: cut,
    },
    EventKindSpec {
        name: "defection",
        fields: &["group", "to", "share"],
        optional: &["to"],
        read: defection,
    },
    EventKindSpec {
        name: "coup",
        fields: &["success"],
        optional: &[],
        read: coup,
    },
];

/// A kind's field of `[[event]]`, and whether an event sets it.
type EventField = (&'static str, fn(&raw::Event) -> bool);

/// Every kind's field of [`raw::Event`], in the struct's order (the order
/// problems about them are reported in), with whether an event sets it.
const EVENT_FIELDS: &[EventField] = &[
    ("patron", |e| e.patron.is_some()),
    ("duration_days", |e| e.duration_days.is_some()),
    ("floor", |e| e.floor.is_some()),
    ("from", |e| e.from.is_some()),
    ("to", |e| e.to.is_some()),
    ("share", |e| e.share.is_some()),
    ("sponsor", |e| e.sponsor.is_some()),
    ("expectation_drop", |e| e.expectation_drop.is_some()),
    ("cut", |e| e.cut.is_some()),
    ("delay_days", |e| e.delay_days.is_some()),
    ("belief_days", |e| e.belief_days.is_some()),
    ("channels", |e| e.channels.is_some()),
    ("commit", |e| e.commit.is_some()),
    ("then", |e| e.then.is_some()),
    ("capacity", |e| e.capacity.is_some()),
    ("continuity", |e| e.continuity.is_some()),
    ("group", |e| e.group.is_some()),
    ("morale_drop", |e| e.morale_drop.is_some()),
    ("authority", |e| e.authority.is_some()),
    ("guidance", |e| e.guidance.is_some()),
    ("by", |e| e.by.is_some()),
    ("fighters_killed", |e| e.fighters_killed.is_some()),
    ("region", |e| e.region.is_some()),
    ("success", |e| e.success.is_some()),
];

impl Resolver<'_> {
    /// An event: its kind, its fields (each required one present, no
    /// other), its timing, then what its kind's reader makes of the fields.
    pub(super) fn event(
        &mut self,
        e: &raw::Event,
        path: &str,
        loc: EvLoc,
        n: &Names,
        f: &raw::File,
    ) -> Option<Event> {
        self.cite_all(&e.sources, path);
        let spec = self.event_kind(e, path)?;
        let fields_ok = self.event_fields(e, path, spec);
        let timing = self.timing(e, path, loc);
        let timing = timing.filter(|_| fields_ok)?;
        let kind = (spec.read)(self, &Ctx { e, path, loc, n, f })?;
        Some(Event {
            name: e.id.value.clone(),
            timing,
            kind,
        })
    }

    /// The entry of [`EVENT_KINDS`] the event's `kind` names.
    fn event_kind(&mut self, e: &raw::Event, path: &str) -> Option<&'static EventKindSpec> {
        let spec = EVENT_KINDS.iter().find(|k| k.name == e.kind.as_str());
        if spec.is_none() {
            let list: Vec<String> = EVENT_KINDS
                .iter()
                .map(|k| format!("`{}`", k.name))
                .collect();
            self.problem(
                Some(e.kind.span.clone()),
                format!("{path}.kind"),
                format!("unknown event kind `{}`", e.kind.value),
                format!("use one of {}", list.join(", ")),
            );
        }
        spec
    }

    /// Whether the event sets every field its kind requires and no field
    /// of another kind; says which when not.
    fn event_fields(&mut self, e: &raw::Event, path: &str, spec: &EventKindSpec) -> bool {
        let kind = &e.kind.value;
        let a = article(kind);
        let takes = || format!("{a} `{kind}` event takes {}", spec.fields.join(", "));
        let mut ok = true;
        for (field, set) in EVENT_FIELDS {
            let is = set(e);
            let belongs = spec.fields.contains(field);
            if is && !belongs {
                self.problem(
                    Some(e.kind.span.clone()),
                    format!("{path}.{field}"),
                    format!("`{field}` does not belong to {a} `{kind}` event"),
                    takes(),
                );
                ok = false;
            }
            if !is && belongs && !spec.optional.contains(field) {
                self.problem(
                    Some(e.kind.span.clone()),
                    format!("{path}.{field}"),
                    format!("{a} `{kind}` event needs `{field}`"),
                    takes(),
                );
                ok = false;
            }
        }
        ok
    }

    /// When the event happens: on a `day`, or on the first day a daily
    /// draw falls below a `hazard`'s `per_day` within its window.
    fn timing(&mut self, e: &raw::Event, path: &str, loc: EvLoc) -> Option<Timing> {
        match (&e.day, &e.hazard) {
            (Some(d), None) => {
                let day = self.num(
                    d,
                    &format!("{path}.day"),
                    DAY,
                    Arc::new(move |w, v| event_mut(w, loc).timing = Timing::Day(v.round() as u32)),
                );
                Some(Timing::Day(day.round().max(1.0) as u32))
            }
            (None, Some(h)) => {
                let per_day = self.num(
                    &h.per_day,
                    &format!("{path}.hazard.per_day"),
                    SHARE,
                    Arc::new(move |w, v| {
                        if let Timing::Hazard { per_day, .. } = &mut event_mut(w, loc).timing {
                            *per_day = v;
                        }
                    }),
                );
                let from = self.num(
                    &h.from,
                    &format!("{path}.hazard.from"),
                    DAY,
                    Arc::new(move |w, v| {
                        if let Timing::Hazard { from, .. } = &mut event_mut(w, loc).timing {
                            *from = v.round() as u32;
                        }
                    }),
                );
                let to = self.num(
                    &h.to,
                    &format!("{path}.hazard.to"),
                    DAY,
                    Arc::new(move |w, v| {
                        if let Timing::Hazard { to, .. } = &mut event_mut(w, loc).timing {
                            *to = v.round() as u32;
                        }
                    }),
                );
                Some(Timing::Hazard {
                    per_day,
                    from: from.round() as u32,
                    to: to.round() as u32,
                })
            }
            _ => {
                self.problem(
                    Some(e.id.span.clone()),
                    format!("{path}.day"),
                    "an event needs exactly one of `day` or `hazard`",
                    "write day = 3, or hazard = { per_day = 0.01, from = 1, to = 90 }",
                );
                None
            }
        }
    }

    /// The patron an event names in its `patron` field (checked present).
    fn event_patron(&mut self, c: &Ctx<'_>) -> Option<PatronId> {
        let patron = c.id(&c.e.patron);
        self.lookup(&c.n.patrons, patron, &c.at("patron"), "patron")
    }

    /// The armed group an event names in its `group` field (checked present).
    fn event_group(&mut self, c: &Ctx<'_>) -> Option<GroupId> {
        let group = c.id(&c.e.group);
        self.lookup(&c.n.groups, group, &c.at("group"), "armed group")
    }
}

/// `collapse`: the patron's capacity falls to `floor` over `duration_days`
/// and its pools flee.
fn collapse(r: &mut Resolver<'_>, c: &Ctx<'_>) -> Option<EventKind> {
    let patron = r.event_patron(c)?;
    let duration_days = r.num(
        c.q(&c.e.duration_days),
        &c.at("duration_days"),
        DAYS,
        ev_set!(c.loc, Collapse, duration_days),
    );
    let floor = r.num(
        c.q(&c.e.floor),
        &c.at("floor"),
        SHARE,
        ev_set!(c.loc, Collapse, floor),
    );
    Some(EventKind::Collapse {
        patron,
        duration_days,
        floor,
    })
}

/// `pullback`: as `collapse`, but nobody flees.
fn pullback(r: &mut Resolver<'_>, c: &Ctx<'_>) -> Option<EventKind> {
    let patron = r.event_patron(c)?;
    let duration_days = r.num(
        c.q(&c.e.duration_days),
        &c.at("duration_days"),
        DAYS,
        ev_set!(c.loc, Pullback, duration_days),
    );
    let floor = r.num(
        c.q(&c.e.floor),
        &c.at("floor"),
        SHARE,
        ev_set!(c.loc, Pullback, floor),
    );
    Some(EventKind::Pullback {
        patron,
        duration_days,
        floor,
    })
}

/// `resumption`: the patron's capacity moves to `capacity` over
/// `duration_days`.
fn resumption(r: &mut Resolver<'_>, c: &Ctx<'_>) -> Option<EventKind> {
    let patron = r.event_patron(c)?;
    let duration_days = r.num(
        c.q(&c.e.duration_days),
        &c.at("duration_days"),
        DAYS,
        ev_set!(c.loc, Resumption, duration_days),
    );
    let capacity = r.num(
        c.q(&c.e.capacity),
        &c.at("capacity"),
        SHARE,
        ev_set!(c.loc, Resumption, capacity),
    );
    Some(EventKind::Resumption {
        patron,
        duration_days,
        capacity,
    })
}

/// `withdrawal`: `share` of the patron's personnel leave theatre `from`
/// for theatre `to` (home if absent); theatres are the patron's own.
fn withdrawal(r: &mut Resolver<'_>, c: &Ctx<'_>) -> Option<EventKind> {
    let patron = r.event_patron(c)?;
    let raw_patron =
        c.f.state
            .iter()
            .filter(|s| s.role.as_str() == "patron")
            .nth(patron.index())?;
    let theaters: BTreeMap<String, usize> = raw_patron
        .theater
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.value.clone(), i))
        .collect();
    let from = r.lookup(&theaters, c.id(&c.e.from), &c.at("from"), "theatre")?;
    let to = match &c.e.to {
        Some(t) => Some(r.lookup(&theaters, t, &c.at("to"), "theatre")?),
        None => None,
    };
    let share = r.num(
        c.q(&c.e.share),
        &c.at("share"),
        SHARE,
        ev_set!(c.loc, Withdrawal, share),
    );
    Some(EventKind::Withdrawal {
        patron,
        from,
        to,
        share,
    })
}

/// `announcement`: a sponsor says it will cut support; `belief_days`
/// defaults to `delay_days`.
fn announcement(r: &mut Resolver<'_>, c: &Ctx<'_>) -> Option<EventKind> {
    let sponsor = r.sponsor(c.n, c.id(&c.e.sponsor), c.path)?;
    let expectation_drop = r.num(
        c.q(&c.e.expectation_drop),
        &c.at("expectation_drop"),
        SHARE,
        ev_set!(c.loc, Announcement, expectation_drop),
    );
    let cut = r.num(
        c.q(&c.e.cut),
        &c.at("cut"),
        SHARE,
        ev_set!(c.loc, Announcement, cut),
    );
    let delay_days = r.num(
        c.q(&c.e.delay_days),
        &c.at("delay_days"),
        DAYS,
        ev_set!(c.loc, Announcement, delay_days),
    );
    let belief_days = match &c.e.belief_days {
        Some(b) => r.num(
            b,
            &c.at("belief_days"),
            DAYS,
            ev_set!(c.loc, Announcement, belief_days),
        ),
        None => delay_days,
    };
    Some(EventKind::Announcement {
        sponsor,
        expectation_drop,
        cut,
        delay_days,
        belief_days,
    })
}

/// `successor`: a new regime takes over the patron.
fn successor(r: &mut Resolver<'_>, c: &Ctx<'_>) -> Option<EventKind> {
    let patron = r.event_patron(c)?;
    let capacity = r.num(
        c.q(&c.e.capacity),
        &c.at("capacity"),
        SHARE,
        ev_set!(c.loc, Successor, capacity),
    );
    let continuity = r.num(
        c.q(&c.e.continuity),
        &c.at("continuity"),
        SHARE,
        ev_set!(c.loc, Successor, continuity),
    );
    Some(EventKind::Successor {
        patron,
        capacity,
        continuity,
    })
}

/// `leader_killed`: a group's leader dies and its morale drops.
fn leader_killed(r: &mut Resolver<'_>, c: &Ctx<'_>) -> Option<EventKind> {
    let group = r.event_group(c)?;
    let morale_drop = r.num(
        c.q(&c.e.morale_drop),
        &c.at("morale_drop"),
        SHARE,
        ev_set!(c.loc, LeaderKilled, morale_drop),
    );
    Some(EventKind::LeaderKilled { group, morale_drop })
}

/// `coup`: officers attempt a coup against the host's leader, which
/// succeeds with probability `success` (M9).
fn coup(r: &mut Resolver<'_>, c: &Ctx<'_>) -> Option<EventKind> {
    let success = r.num(
        c.q(&c.e.success),
        &c.at("success"),
        SHARE,
        ev_set!(c.loc, Coup, success),
    );
    Some(EventKind::Coup { success })
}

/// `guidance`: an authority issues new guidance.
fn guidance(r: &mut Resolver<'_>, c: &Ctx<'_>) -> Option<EventKind> {
    let authority = r.lookup(
        &c.n.authorities,
        c.id(&c.e.authority),
        &c.at("authority"),
        "authority",
    )?;
    let guidance = r.keyword(c.id(&c.e.guidance), &c.at("guidance"), GUIDANCE)?;
    Some(EventKind::GuidanceIssued {
        authority,
        guidance,
    })
}

/// `strike`: an outside power kills some of a group's fighters.
fn strike(r: &mut Resolver<'_>, c: &Ctx<'_>) -> Option<EventKind> {
    let by = r.lookup(&c.n.outside, c.id(&c.e.by), &c.at("by"), "outside power")?;
    let group = r.event_group(c)?;
    let fighters_killed = r.num(
        c.q(&c.e.fighters_killed),
        &c.at("fighters_killed"),
        COUNT,
        ev_set!(c.loc, Strike, fighters_killed),
    );
    Some(EventKind::Strike {
        by,
        group,
        fighters_killed,
    })
}

/// `offensive`: a group attacks a region with `commit` of its strength (1
/// if absent), then the regions of `then` in turn.
fn offensive(r: &mut Resolver<'_>, c: &Ctx<'_>) -> Option<EventKind> {
    let group = r.event_group(c)?;
    let region = r.lookup(&c.n.regions, c.id(&c.e.region), &c.at("region"), "region")?;
    let commit = match &c.e.commit {
        Some(x) => r.num(x, &c.at("commit"), SHARE, ev_set!(c.loc, Offensive, commit)),
        None => 1.0,
    };
    let mut then = Vec::new();
    for t in c.e.then.as_deref().unwrap_or_default() {
        then.extend(r.lookup(&c.n.regions, t, &c.at("then"), "region"));
    }
    Some(EventKind::Offensive {
        group,
        region,
        commit,
        then,
    })
}

/// `cut`: a sponsor ends `share` of each listed support channel.
fn cut(r: &mut Resolver<'_>, c: &Ctx<'_>) -> Option<EventKind> {
    let sponsor = r.sponsor(c.n, c.id(&c.e.sponsor), c.path)?;
    let names: Vec<(&str, TieKind)> = TieKind::CHANNELS.iter().map(|k| (k.name(), *k)).collect();
    let mut channels = Vec::new();
    for ch in c.e.channels.as_deref().unwrap_or_default() {
        if let Some(k) = r.keyword(ch, &c.at("channels"), &names) {
            channels.push(k);
        }
    }
    if channels.is_empty() {
        r.problem(
            Some(c.e.kind.span.clone()),
            c.at("channels"),
            "a `cut` event needs at least one channel",
            "write channels = [\"funds\"] (funds, arms, commands, combat_support, sanctuary)",
        );
        return None;
    }
    let share = r.num(
        c.q(&c.e.share),
        &c.at("share"),
        SHARE,
        ev_set!(c.loc, Cut, share),
    );
    Some(EventKind::Cut {
        sponsor,
        channels,
        share,
    })
}

/// `defection`: `share` of a group's fighters go over to group `to`, or
/// home if absent.
fn defection(r: &mut Resolver<'_>, c: &Ctx<'_>) -> Option<EventKind> {
    let group = r.event_group(c)?;
    let to = match &c.e.to {
        Some(t) => Some(r.lookup(&c.n.groups, t, &c.at("to"), "armed group")?),
        None => None,
    };
    let share = r.num(
        c.q(&c.e.share),
        &c.at("share"),
        SHARE,
        ev_set!(c.loc, Defection, share),
    );
    Some(EventKind::Defection { group, to, share })
}

#[cfg(test)]
mod tests {
    use super::super::article;
    use super::super::testing::{
        documented_kinds, found, line_of, problems, problems_with_help, template_and,
    };
    use super::{EVENT_FIELDS, EVENT_KINDS};
    use patronfall_model::EventKind;

    /// The model's name of an event kind in the format. The match is
    /// exhaustive, so a new variant in the model fails to compile here until
    /// it is named; [`every_kind_reads_into_its_own_variant`] then asks for
    /// its entry in `EVENT_KINDS`.
    fn variant(k: &EventKind) -> &'static str {
        match k {
            EventKind::Collapse { .. } => "collapse",
            EventKind::Pullback { .. } => "pullback",
            EventKind::Resumption { .. } => "resumption",
            EventKind::Withdrawal { .. } => "withdrawal",
            EventKind::Announcement { .. } => "announcement",
            EventKind::Successor { .. } => "successor",
            EventKind::LeaderKilled { .. } => "leader_killed",
            EventKind::GuidanceIssued { .. } => "guidance",
            EventKind::Strike { .. } => "strike",
            EventKind::Offensive { .. } => "offensive",
            EventKind::Cut { .. } => "cut",
            EventKind::Defection { .. } => "defection",
            EventKind::Coup { .. } => "coup",
        }
    }

    /// Every variant's name, as [`variant`] gives them.
    const VARIANTS: &[&str] = &[
        "collapse",
        "pullback",
        "resumption",
        "withdrawal",
        "announcement",
        "successor",
        "leader_killed",
        "guidance",
        "strike",
        "offensive",
        "cut",
        "defection",
        "coup",
    ];

    /// A valid value of a kind's field in the template's world.
    fn valid(kind: &str, field: &str) -> &'static str {
        match (kind, field) {
            ("defection", "to") => "\"pragmatists\"",
            (_, "from" | "to") => "\"host\"",
            (_, "patron" | "sponsor") => "\"patron\"",
            (_, "group") => "\"loyalists\"",
            (_, "authority") => "\"cleric\"",
            (_, "guidance") => "\"mobilization\"",
            (_, "by") => "\"friend\"",
            (_, "region") => "\"capital\"",
            (_, "then") => "[\"border_region\"]",
            (_, "channels") => "[\"funds\"]",
            (_, "duration_days" | "delay_days" | "belief_days") => "10",
            (_, "fighters_killed") => "100",
            _ => "0.5",
        }
    }

    /// A top-level event `e` of `kind` on day 2 with `fields`, after a blank
    /// line: its `id` is on line 2, `kind` on 3, `day` on 4 and the fields
    /// from 5 on.
    fn event(kind: &str, fields: &[&str]) -> String {
        let mut text = format!("\n[[event]]\nid = \"e\"\nkind = \"{kind}\"\nday = 2\n");
        for f in fields {
            text.push_str(&format!("{f} = {}\n", valid(kind, f)));
        }
        text
    }

    fn required(kind: &super::EventKindSpec) -> Vec<&'static str> {
        kind.fields
            .iter()
            .copied()
            .filter(|f| !kind.optional.contains(f))
            .collect()
    }

    #[test]
    fn every_kind_reads_into_its_own_variant() {
        let names: Vec<&str> = EVENT_KINDS.iter().map(|k| k.name).collect();
        assert_eq!(names, VARIANTS, "one entry per variant, in this order");
        for kind in EVENT_KINDS {
            for fields in [required(kind), kind.fields.to_vec()] {
                let (text, _) = template_and(&event(kind.name, &fields));
                let s = crate::parse("s.toml", &text)
                    .unwrap_or_else(|e| panic!("{} {fields:?}: {}", kind.name, e.render()));
                let e = s.world.events.last().expect("the event");
                assert_eq!(variant(&e.kind), kind.name);
            }
        }
    }

    /// The table's field lists agree with each other and with the file's
    /// `[[event]]` table, whose other fields are the same for every kind.
    #[test]
    fn the_field_lists_agree_with_the_format() {
        let schema = crate::schema();
        let props = schema["$defs"]["Event"]["properties"]
            .as_object()
            .expect("the schema describes [[event]]");
        let mut in_file: Vec<&str> = props.keys().map(String::as_str).collect();
        in_file.retain(|f| !["id", "kind", "day", "hazard", "sources", "note"].contains(f));
        in_file.sort_unstable();
        let mut listed: Vec<&str> = EVENT_FIELDS.iter().map(|f| f.0).collect();
        listed.sort_unstable();
        assert_eq!(listed, in_file);
        for kind in EVENT_KINDS {
            for f in kind.fields.iter().chain(kind.optional) {
                assert!(listed.contains(f), "{}.{f} is a field", kind.name);
            }
            for f in kind.optional {
                assert!(kind.fields.contains(f), "{}.{f} is taken", kind.name);
            }
        }
        for (f, _) in EVENT_FIELDS {
            assert!(
                EVENT_KINDS.iter().any(|k| k.fields.contains(f)),
                "some kind takes {f}"
            );
        }
    }

    /// docs/scenario-format.md, section 6, has one row per kind naming its
    /// fields, and lists its optional ones.
    #[test]
    fn the_format_documents_every_kind() {
        let names: Vec<&str> = EVENT_KINDS.iter().map(|k| k.name).collect();
        let (section, rows) = documented_kinds("## 6. Event kinds", &names);
        for (kind, fields) in EVENT_KINDS.iter().zip(rows) {
            for f in kind.fields {
                assert!(fields.contains(&format!("`{f}`")), "{}: {f}", kind.name);
            }
            for f in kind.optional {
                assert!(
                    section.contains(&format!("`{}.{f}`", kind.name)),
                    "{}.{f}",
                    kind.name
                );
            }
        }
    }

    #[test]
    fn each_kind_needs_each_of_its_required_fields() {
        for kind in EVENT_KINDS {
            let all = required(kind);
            for missing in &all {
                let fields: Vec<&str> = all.iter().copied().filter(|f| f != missing).collect();
                let (text, first) = template_and(&event(kind.name, &fields));
                assert_eq!(
                    problems(&text),
                    [found(
                        &format!("event.e.{missing}"),
                        first + 3,
                        &format!(
                            "{} `{}` event needs `{missing}`",
                            article(kind.name),
                            kind.name
                        )
                    )],
                    "{} without {missing}",
                    kind.name
                );
            }
        }
    }

    #[test]
    fn each_kind_refuses_the_fields_of_other_kinds() {
        for kind in EVENT_KINDS {
            let (stray, _) = EVENT_FIELDS
                .iter()
                .find(|(f, _)| !kind.fields.contains(f))
                .expect("a field of another kind");
            let mut fields = required(kind);
            fields.push(stray);
            let (text, first) = template_and(&event(kind.name, &fields));
            let p = problems_with_help(&text);
            assert_eq!(
                p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
                [found(
                    &format!("event.e.{stray}"),
                    first + 3,
                    &format!(
                        "`{stray}` does not belong to {} `{}` event",
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
                    "{} `{}` event takes {}",
                    article(kind.name),
                    kind.name,
                    kind.fields.join(", ")
                )
            );
        }
    }

    /// Every figure of every kind is checked against its range.
    #[test]
    fn each_kind_checks_the_range_of_its_figures() {
        let what = |f: &str| match f {
            "duration_days" | "delay_days" | "belief_days" => "a number of days, zero or more",
            "fighters_killed" => "a count from 0 to 10 billion",
            _ => "a share between 0 and 1",
        };
        for kind in EVENT_KINDS {
            for (k, f) in kind.fields.iter().enumerate() {
                if valid(kind.name, f).starts_with(['"', '[']) {
                    continue;
                }
                let mut text = event(kind.name, kind.fields);
                text = text.replacen(
                    &format!("{f} = {}\n", valid(kind.name, f)),
                    &format!("{f} = -1\n"),
                    1,
                );
                let (text, first) = template_and(&text);
                assert_eq!(
                    problems(&text),
                    [found(
                        &format!("event.e.{f}"),
                        first + 5 + k,
                        &format!("-1 is out of range: expected {}", what(f))
                    )],
                    "{}.{f}",
                    kind.name
                );
            }
        }
    }

    #[test]
    fn an_unknown_kind_lists_the_kinds() {
        let (text, first) = template_and(&event("colapse", &["patron"]));
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [found(
                "event.e.kind",
                first + 3,
                "unknown event kind `colapse`"
            )]
        );
        assert_eq!(
            p[0].1,
            "use one of `collapse`, `pullback`, `resumption`, `withdrawal`, `announcement`, \
             `successor`, `leader_killed`, `guidance`, `strike`, `offensive`, `cut`, `defection`, `coup`"
        );
    }

    #[test]
    fn an_unknown_field_is_named_where_it_stands() {
        let (text, first) = template_and(&format!(
            "{}morale = 0.1\n",
            event("leader_killed", &["group", "morale_drop"])
        ));
        let p = problems(&text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!((p[0].0.as_str(), p[0].1), ("event.morale", first + 7));
        assert!(p[0].2.starts_with("unknown field `morale`"), "{p:?}");
    }

    #[test]
    fn an_unknown_name_suggests_a_known_one() {
        let (text, first) = template_and(
            &event("strike", &["by", "group", "fighters_killed"]).replacen(
                "\"loyalists\"",
                "\"loyalist\"",
                1,
            ),
        );
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [found(
                "event.e.group",
                first + 6,
                "refers to unknown armed group `loyalist`"
            )]
        );
        assert_eq!(p[0].1, "did you mean `loyalists`?");

        let (text, first) = template_and(
            &event(
                "announcement",
                &["sponsor", "expectation_drop", "cut", "delay_days"],
            )
            .replacen("\"patron\"", "\"friends\"", 1),
        );
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [found(
                "event.e.sponsor",
                first + 5,
                "`friends` is not a patron or outside power"
            )]
        );
        assert_eq!(p[0].1, "did you mean `friend`?");
    }

    #[test]
    fn names_are_looked_up_where_the_kind_says() {
        // A withdrawal's theatres are the patron's own.
        let (text, first) =
            template_and(&event("withdrawal", &["patron", "from", "share"]).replacen(
                "from = \"host\"",
                "from = \"capital\"",
                1,
            ));
        assert_eq!(
            problems(&text),
            [found(
                "event.e.from",
                first + 6,
                "refers to unknown theatre `capital`"
            )]
        );
        // A cut names channels of support, and needs one.
        let (text, first) = template_and(
            &event("cut", &["sponsor", "channels", "share"]).replacen("funds", "money", 1),
        );
        assert_eq!(
            problems(&text),
            [
                found(
                    "event.e.channels",
                    first + 3,
                    "a `cut` event needs at least one channel"
                ),
                found(
                    "event.e.channels",
                    first + 6,
                    "`money` is not one of `funds`, `arms`, `commands`, `combat_support`, `sanctuary`, `energy`"
                ),
            ]
        );
        // Guidance is a keyword.
        let (text, first) = template_and(&event("guidance", &["authority", "guidance"]).replacen(
            "mobilization",
            "loud",
            1,
        ));
        assert_eq!(
            problems(&text),
            [found(
                "event.e.guidance",
                first + 6,
                "`loud` is not one of `silent`, `calm`, `state_monopoly`, `mobilization`"
            )]
        );
    }

    #[test]
    fn an_event_has_a_day_or_a_hazard() {
        let (text, first) =
            template_and(&event("leader_killed", &["group", "morale_drop"]).replacen(
                "day = 2\n",
                "day = 2\nhazard = { per_day = 0.1, from = 1, to = 9 }\n",
                1,
            ));
        assert_eq!(
            problems(&text),
            [found(
                "event.e.day",
                first + 2,
                "an event needs exactly one of `day` or `hazard`"
            )]
        );
        let (text, first) =
            template_and(&event("leader_killed", &["group", "morale_drop"]).replacen(
                "day = 2\n",
                "hazard = { per_day = 2, from = 1, to = 9 }\n",
                1,
            ));
        assert_eq!(
            problems(&text),
            [found(
                "event.e.hazard.per_day",
                first + 4,
                "2 is out of range: expected a share between 0 and 1"
            )]
        );
    }

    /// An event in a shock has its own path; its problems name it.
    #[test]
    fn an_event_in_a_shock_is_named_by_its_shock() {
        let text = super::super::testing::template_with(&[(
            "floor = [0.05, 0.2] }",
            "floor = [0.05, 2] }",
        )]);
        assert_eq!(
            problems(&text),
            [found(
                "shock.collapse.event.fall.floor",
                line_of(&text, "floor = [0.05, 2]"),
                "values from 0.05 to 2 are out of range: expected a share between 0 and 1"
            )]
        );
    }

    /// Found while putting the kinds in a table: the messages said "a
    /// `offensive` event" and "a `announcement` event".
    #[test]
    fn a_kind_takes_its_article() {
        let (text, first) = template_and(&event("offensive", &["region"]));
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [found(
                "event.e.group",
                first + 3,
                "an `offensive` event needs `group`"
            )]
        );
        assert_eq!(
            p[0].1,
            "an `offensive` event takes group, region, commit, then"
        );
        assert_eq!(article("announcement"), "an");
        assert_eq!(article("strike"), "a");
    }
}
