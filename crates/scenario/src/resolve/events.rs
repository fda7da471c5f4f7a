//! Events, at the top level or in a shock: their timing and what each kind
//! does.

use super::{COUNT, DAY, DAYS, GUIDANCE, Names, Resolver, SHARE};
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

impl Resolver<'_> {
    /// The patron an event names in its `patron` field (checked present).
    pub(super) fn event_patron(&mut self, n: &Names, patron: &Id, path: &str) -> Option<PatronId> {
        self.lookup(&n.patrons, patron, &format!("{path}.patron"), "patron")
    }

    pub(super) fn event(
        &mut self,
        e: &raw::Event,
        path: &str,
        loc: EvLoc,
        n: &Names,
        f: &raw::File,
    ) -> Option<Event> {
        self.cite_all(&e.sources, path);
        let kinds = [
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
        ];
        let present: Vec<(&str, bool)> = vec![
            ("patron", e.patron.is_some()),
            ("duration_days", e.duration_days.is_some()),
            ("floor", e.floor.is_some()),
            ("from", e.from.is_some()),
            ("to", e.to.is_some()),
            ("share", e.share.is_some()),
            ("sponsor", e.sponsor.is_some()),
            ("expectation_drop", e.expectation_drop.is_some()),
            ("cut", e.cut.is_some()),
            ("delay_days", e.delay_days.is_some()),
            ("belief_days", e.belief_days.is_some()),
            ("channels", e.channels.is_some()),
            ("commit", e.commit.is_some()),
            ("then", e.then.is_some()),
            ("capacity", e.capacity.is_some()),
            ("continuity", e.continuity.is_some()),
            ("group", e.group.is_some()),
            ("morale_drop", e.morale_drop.is_some()),
            ("authority", e.authority.is_some()),
            ("guidance", e.guidance.is_some()),
            ("by", e.by.is_some()),
            ("fighters_killed", e.fighters_killed.is_some()),
            ("region", e.region.is_some()),
        ];
        let fields: &[&str] = match e.kind.as_str() {
            "collapse" | "pullback" => &["patron", "duration_days", "floor"],
            "withdrawal" => &["patron", "from", "to", "share"],
            "announcement" => &[
                "sponsor",
                "expectation_drop",
                "cut",
                "delay_days",
                "belief_days",
            ],
            "successor" => &["patron", "capacity", "continuity"],
            "resumption" => &["patron", "duration_days", "capacity"],
            "leader_killed" => &["group", "morale_drop"],
            "guidance" => &["authority", "guidance"],
            "strike" => &["by", "group", "fighters_killed"],
            "offensive" => &["group", "region", "commit", "then"],
            "cut" => &["sponsor", "channels", "share"],
            "defection" => &["group", "to", "share"],
            other => {
                let list: Vec<String> = kinds.iter().map(|k| format!("`{k}`")).collect();
                self.problem(
                    Some(e.kind.span.clone()),
                    format!("{path}.kind"),
                    format!("unknown event kind `{other}`"),
                    format!("use one of {}", list.join(", ")),
                );
                return None;
            }
        };
        let optional = ["to", "belief_days", "commit", "then"];
        let mut ok = true;
        for (field, is) in &present {
            if *is && !fields.contains(field) {
                self.problem(
                    Some(e.kind.span.clone()),
                    format!("{path}.{field}"),
                    format!("`{field}` does not belong to a `{}` event", e.kind.value),
                    format!("a `{}` event takes {}", e.kind.value, fields.join(", ")),
                );
                ok = false;
            }
            if !*is && fields.contains(field) && !optional.contains(field) {
                self.problem(
                    Some(e.kind.span.clone()),
                    format!("{path}.{field}"),
                    format!("a `{}` event needs `{field}`", e.kind.value),
                    format!("a `{}` event takes {}", e.kind.value, fields.join(", ")),
                );
                ok = false;
            }
        }
        let timing = match (&e.day, &e.hazard) {
            (Some(d), None) => {
                let day = self.num(
                    d,
                    &format!("{path}.day"),
                    DAY,
                    Arc::new(move |w, v| event_mut(w, loc).timing = Timing::Day(v.round() as u32)),
                );
                Timing::Day(day.round().max(1.0) as u32)
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
                Timing::Hazard {
                    per_day,
                    from: from.round() as u32,
                    to: to.round() as u32,
                }
            }
            _ => {
                self.problem(
                    Some(e.id.span.clone()),
                    format!("{path}.day"),
                    "an event needs exactly one of `day` or `hazard`",
                    "write day = 3, or hazard = { per_day = 0.01, from = 1, to = 90 }",
                );
                ok = false;
                Timing::Day(1)
            }
        };
        if !ok {
            return None;
        }
        fn q(x: &Option<Q>) -> &Q {
            x.as_ref().expect("presence checked above")
        }
        fn id(x: &Option<Id>) -> &Id {
            x.as_ref().expect("presence checked above")
        }
        let kind = match e.kind.as_str() {
            "collapse" | "pullback" => {
                let patron = self.event_patron(n, id(&e.patron), path)?;
                let collapse = e.kind.as_str() == "collapse";
                let (d_apply, f_apply) = if collapse {
                    (
                        ev_set!(loc, Collapse, duration_days),
                        ev_set!(loc, Collapse, floor),
                    )
                } else {
                    (
                        ev_set!(loc, Pullback, duration_days),
                        ev_set!(loc, Pullback, floor),
                    )
                };
                let duration_days = self.num(
                    q(&e.duration_days),
                    &format!("{path}.duration_days"),
                    DAYS,
                    d_apply,
                );
                let floor = self.num(q(&e.floor), &format!("{path}.floor"), SHARE, f_apply);
                if collapse {
                    EventKind::Collapse {
                        patron,
                        duration_days,
                        floor,
                    }
                } else {
                    EventKind::Pullback {
                        patron,
                        duration_days,
                        floor,
                    }
                }
            }
            "withdrawal" => {
                let patron = self.event_patron(n, id(&e.patron), path)?;
                let raw_patron = f
                    .state
                    .iter()
                    .filter(|s| s.role.as_str() == "patron")
                    .nth(patron.index())?;
                let theaters: BTreeMap<String, usize> = raw_patron
                    .theater
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (t.id.value.clone(), i))
                    .collect();
                let from =
                    self.lookup(&theaters, id(&e.from), &format!("{path}.from"), "theatre")?;
                let to = match &e.to {
                    Some(t) => Some(self.lookup(&theaters, t, &format!("{path}.to"), "theatre")?),
                    None => None,
                };
                let share = self.num(
                    q(&e.share),
                    &format!("{path}.share"),
                    SHARE,
                    ev_set!(loc, Withdrawal, share),
                );
                EventKind::Withdrawal {
                    patron,
                    from,
                    to,
                    share,
                }
            }
            "announcement" => {
                let sponsor = self.sponsor(n, id(&e.sponsor), path)?;
                let expectation_drop = self.num(
                    q(&e.expectation_drop),
                    &format!("{path}.expectation_drop"),
                    SHARE,
                    ev_set!(loc, Announcement, expectation_drop),
                );
                let cut = self.num(
                    q(&e.cut),
                    &format!("{path}.cut"),
                    SHARE,
                    ev_set!(loc, Announcement, cut),
                );
                let delay_days = self.num(
                    q(&e.delay_days),
                    &format!("{path}.delay_days"),
                    DAYS,
                    ev_set!(loc, Announcement, delay_days),
                );
                let belief_days = match &e.belief_days {
                    Some(b) => self.num(
                        b,
                        &format!("{path}.belief_days"),
                        DAYS,
                        ev_set!(loc, Announcement, belief_days),
                    ),
                    None => delay_days,
                };
                EventKind::Announcement {
                    sponsor,
                    expectation_drop,
                    cut,
                    delay_days,
                    belief_days,
                }
            }
            "resumption" => {
                let patron = self.event_patron(n, id(&e.patron), path)?;
                let duration_days = self.num(
                    q(&e.duration_days),
                    &format!("{path}.duration_days"),
                    DAYS,
                    ev_set!(loc, Resumption, duration_days),
                );
                let capacity = self.num(
                    q(&e.capacity),
                    &format!("{path}.capacity"),
                    SHARE,
                    ev_set!(loc, Resumption, capacity),
                );
                EventKind::Resumption {
                    patron,
                    duration_days,
                    capacity,
                }
            }
            "successor" => {
                let patron = self.event_patron(n, id(&e.patron), path)?;
                let capacity = self.num(
                    q(&e.capacity),
                    &format!("{path}.capacity"),
                    SHARE,
                    ev_set!(loc, Successor, capacity),
                );
                let continuity = self.num(
                    q(&e.continuity),
                    &format!("{path}.continuity"),
                    SHARE,
                    ev_set!(loc, Successor, continuity),
                );
                EventKind::Successor {
                    patron,
                    capacity,
                    continuity,
                }
            }
            "leader_killed" => {
                let group = self.lookup(
                    &n.groups,
                    id(&e.group),
                    &format!("{path}.group"),
                    "armed group",
                )?;
                let morale_drop = self.num(
                    q(&e.morale_drop),
                    &format!("{path}.morale_drop"),
                    SHARE,
                    ev_set!(loc, LeaderKilled, morale_drop),
                );
                EventKind::LeaderKilled { group, morale_drop }
            }
            "guidance" => {
                let authority = self.lookup(
                    &n.authorities,
                    id(&e.authority),
                    &format!("{path}.authority"),
                    "authority",
                )?;
                let guidance =
                    self.keyword(id(&e.guidance), &format!("{path}.guidance"), GUIDANCE)?;
                EventKind::GuidanceIssued {
                    authority,
                    guidance,
                }
            }
            "strike" => {
                let by = self.lookup(
                    &n.outside,
                    id(&e.by),
                    &format!("{path}.by"),
                    "outside power",
                )?;
                let group = self.lookup(
                    &n.groups,
                    id(&e.group),
                    &format!("{path}.group"),
                    "armed group",
                )?;
                let fighters_killed = self.num(
                    q(&e.fighters_killed),
                    &format!("{path}.fighters_killed"),
                    COUNT,
                    ev_set!(loc, Strike, fighters_killed),
                );
                EventKind::Strike {
                    by,
                    group,
                    fighters_killed,
                }
            }
            "offensive" => {
                let group = self.lookup(
                    &n.groups,
                    id(&e.group),
                    &format!("{path}.group"),
                    "armed group",
                )?;
                let region = self.lookup(
                    &n.regions,
                    id(&e.region),
                    &format!("{path}.region"),
                    "region",
                )?;
                let commit = match &e.commit {
                    Some(c) => self.num(
                        c,
                        &format!("{path}.commit"),
                        SHARE,
                        ev_set!(loc, Offensive, commit),
                    ),
                    None => 1.0,
                };
                let mut then = Vec::new();
                for r in e.then.as_deref().unwrap_or_default() {
                    then.extend(self.lookup(&n.regions, r, &format!("{path}.then"), "region"));
                }
                EventKind::Offensive {
                    group,
                    region,
                    commit,
                    then,
                }
            }
            "cut" => {
                let sponsor = self.sponsor(n, id(&e.sponsor), path)?;
                let names: Vec<(&str, TieKind)> =
                    TieKind::CHANNELS.iter().map(|k| (k.name(), *k)).collect();
                let mut channels = Vec::new();
                for c in e.channels.as_deref().unwrap_or_default() {
                    if let Some(k) = self.keyword(c, &format!("{path}.channels"), &names) {
                        channels.push(k);
                    }
                }
                if channels.is_empty() {
                    self.problem(
                        Some(e.kind.span.clone()),
                        format!("{path}.channels"),
                        "a `cut` event needs at least one channel",
                        "write channels = [\"funds\"] (funds, arms, commands, combat_support, sanctuary)",
                    );
                    return None;
                }
                let share = self.num(
                    q(&e.share),
                    &format!("{path}.share"),
                    SHARE,
                    ev_set!(loc, Cut, share),
                );
                EventKind::Cut {
                    sponsor,
                    channels,
                    share,
                }
            }
            "defection" => {
                let group = self.lookup(
                    &n.groups,
                    id(&e.group),
                    &format!("{path}.group"),
                    "armed group",
                )?;
                let to = match &e.to {
                    Some(t) => {
                        Some(self.lookup(&n.groups, t, &format!("{path}.to"), "armed group")?)
                    }
                    None => None,
                };
                let share = self.num(
                    q(&e.share),
                    &format!("{path}.share"),
                    SHARE,
                    ev_set!(loc, Defection, share),
                );
                EventKind::Defection { group, to, share }
            }
            _ => return None,
        };
        Some(Event {
            name: e.id.value.clone(),
            timing,
            kind,
        })
    }
}
