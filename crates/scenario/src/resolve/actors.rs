//! Actors and the ground they stand on: states (patron, host, outside
//! powers), armed groups, authorities, blocs, communities, border segments
//! and their crossings, and the ties between them.

use super::{
    COUNT, DAY, DAYS, DEFAULT_COALITION_FLOOR, DEFAULT_STOCKS_DAYS, Domain, GUIDANCE, KM, MONEY,
    Names, Resolver, SHARE, WEIGHT, article, close,
};
use crate::raw;
use patronfall_model::*;
use std::collections::BTreeSet;
use std::sync::Arc;

impl Resolver<'_> {
    /// Every `[[state]]`: patrons, the host and outside powers, each with
    /// the fields of its role.
    pub(super) fn states(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        for s in &f.state {
            let path = format!("state.{}", s.id.value);
            self.cite_all(&s.sources, &path);
            self.misplaced_state_fields(s, &path);
            match s.role.as_str() {
                "patron" => {
                    let patron = self.patron(s, &path, w.patrons.len(), n);
                    w.patrons.push(patron);
                }
                "host" => w.host = self.host(s, &path, n),
                "outside" => {
                    let outside = self.outside(s, &path, w.outside.len(), n);
                    w.outside.push(outside);
                }
                _ => {}
            }
        }
        if n.host.is_none() {
            self.problem(None, "state", "no host state", "add a [[state]] with role = \"host\": the state whose stability the scenario is about");
        }
    }

    /// Fields that belong to other roles are mistakes, not silent extras.
    /// Under a role that is not one of the three (the first pass says so)
    /// no field is misplaced: the role is what is wrong.
    fn misplaced_state_fields(&mut self, s: &raw::State, path: &str) {
        let role = s.role.as_str();
        if !["patron", "host", "outside"].contains(&role) {
            return;
        }
        let misplaced: Vec<(&str, bool)> = vec![
            ("capacity", s.capacity.is_some() && role != "patron"),
            ("theater", !s.theater.is_empty() && role != "patron"),
            ("pool", !s.pool.is_empty() && role != "patron"),
            ("capital", s.capital.is_some() && role != "host"),
            (
                "detention_capacity",
                s.detention_capacity.is_some() && role != "host",
            ),
            ("leader", s.leader.is_some() && role != "host"),
            (
                "coalition_floor",
                s.coalition_floor.is_some() && role != "host",
            ),
            ("presence", s.presence.is_some() && role != "outside"),
            (
                "presence_end_day",
                s.presence_end_day.is_some() && role != "outside",
            ),
            ("intel", s.intel.is_some() && role != "outside"),
            (
                "exploitation",
                s.exploitation.is_some() && role != "outside",
            ),
            ("guarantee", s.guarantee.is_some() && role != "outside"),
            ("aid", s.aid.is_some() && role != "outside"),
            (
                "border_cooperation",
                !s.border_cooperation.is_empty() && role != "outside",
            ),
        ];
        for (field, bad) in misplaced {
            if bad {
                self.problem(
                    Some(s.role.span.clone()),
                    format!("{path}.{field}"),
                    format!("`{field}` does not apply to a state of role `{role}`"),
                    "remove the field or change the role",
                );
            }
        }
    }

    /// A patron: its capacity, its theatres and the pools of people who may
    /// flee (their routes wait for the segments: `fix_routes`).
    fn patron(&mut self, s: &raw::State, path: &str, i: usize, n: &Names) -> Patron {
        let capacity = match &s.capacity {
            Some(q) => self.num(
                q,
                &format!("{path}.capacity"),
                SHARE,
                Arc::new(move |w, v| w.patrons[i].capacity = v),
            ),
            None => {
                self.problem(
                    Some(s.id.span.clone()),
                    format!("{path}.capacity"),
                    "a patron needs `capacity`",
                    "add capacity = 0..1 (1 = full capacity to support its clients)",
                );
                f64::NAN
            }
        };
        let mut theaters = Vec::new();
        for (t, th) in s.theater.iter().enumerate() {
            let personnel = self.num(
                &th.personnel,
                &format!("{path}.theater.{}.personnel", th.id.value),
                COUNT,
                Arc::new(move |w, v| w.patrons[i].theaters[t].personnel = v),
            );
            theaters.push(Theater {
                name: th.name.clone(),
                personnel,
                is_host: th.host,
            });
        }
        let mut pools = Vec::new();
        for (q, pool) in s.pool.iter().enumerate() {
            let pp = format!("{path}.pool.{}", pool.id.value);
            self.cite_all(&pool.sources, &pp);
            let people = self.num(
                &pool.people,
                &format!("{pp}.people"),
                COUNT,
                Arc::new(move |w, v| w.patrons[i].pools[q].people = v),
            );
            let flee_share = self.num(
                &pool.flee_share,
                &format!("{pp}.flee_share"),
                SHARE,
                Arc::new(move |w, v| w.patrons[i].pools[q].flee_share = v),
            );
            let joins = pool
                .joins
                .as_ref()
                .and_then(|j| self.lookup(&n.groups, j, &format!("{pp}.joins"), "armed group"));
            pools.push(Pool {
                name: pool.name.clone(),
                people,
                flee_share,
                routes: Vec::new(),
                joins,
            });
        }
        Patron {
            name: s.name.clone(),
            capacity,
            theaters,
            pools,
        }
    }

    /// The host: its leader, detention capacity and capital.
    fn host(&mut self, s: &raw::State, path: &str, n: &Names) -> Host {
        let capital = s
            .capital
            .as_ref()
            .and_then(|c| self.lookup(&n.regions, c, &format!("{path}.capital"), "region"));
        let detention_capacity = self.num_opt(
            &s.detention_capacity,
            &format!("{path}.detention_capacity"),
            COUNT,
            f64::INFINITY,
            Arc::new(|w, v| w.host.detention_capacity = v),
        );
        let coalition_floor = self.num_opt(
            &s.coalition_floor,
            &format!("{path}.coalition_floor"),
            SHARE,
            DEFAULT_COALITION_FLOOR,
            Arc::new(|w, v| w.host.coalition_floor = v),
        );
        let leader = match &s.leader {
            Some(l) => Leader {
                name: l.name.clone(),
                decisiveness: self.num(
                    &l.decisiveness,
                    &format!("{path}.leader.decisiveness"),
                    SHARE,
                    Arc::new(|w, v| w.host.leader.decisiveness = v),
                ),
                inclusiveness: self.num(
                    &l.inclusiveness,
                    &format!("{path}.leader.inclusiveness"),
                    SHARE,
                    Arc::new(|w, v| w.host.leader.inclusiveness = v),
                ),
                integrity: self.num(
                    &l.integrity,
                    &format!("{path}.leader.integrity"),
                    SHARE,
                    Arc::new(|w, v| w.host.leader.integrity = v),
                ),
            },
            None => {
                self.problem(Some(s.id.span.clone()), format!("{path}.leader"), "the host needs a `leader`", "add [state.leader] with name, decisiveness, inclusiveness and integrity (0..1)");
                Leader::default()
            }
        };
        Host {
            name: s.name.clone(),
            leader,
            detention_capacity,
            capital,
            coalition_floor,
        }
    }

    /// An outside power: its presence, help and border cooperation.
    fn outside(&mut self, s: &raw::State, path: &str, i: usize, n: &Names) -> OutsidePower {
        let presence = self.num_opt(
            &s.presence,
            &format!("{path}.presence"),
            COUNT,
            0.0,
            Arc::new(move |w, v| w.outside[i].presence = v),
        );
        let end = s.presence_end_day.as_ref().map(|q| {
            self.num(
                q,
                &format!("{path}.presence_end_day"),
                DAY,
                Arc::new(move |w, v| w.outside[i].presence_end_day = Some(v.round() as u32)),
            )
            .round() as u32
        });
        let intel = self.num_opt(
            &s.intel,
            &format!("{path}.intel"),
            SHARE,
            0.0,
            Arc::new(move |w, v| w.outside[i].intel = v),
        );
        let exploitation = self.num_opt(
            &s.exploitation,
            &format!("{path}.exploitation"),
            SHARE,
            0.0,
            Arc::new(move |w, v| w.outside[i].exploitation = v),
        );
        let guarantee = self.num_opt(
            &s.guarantee,
            &format!("{path}.guarantee"),
            SHARE,
            0.0,
            Arc::new(move |w, v| w.outside[i].guarantee = v),
        );
        let aid = self.num_opt(
            &s.aid,
            &format!("{path}.aid"),
            SHARE,
            0.0,
            Arc::new(move |w, v| w.outside[i].aid = v),
        );
        let mut coop = Vec::new();
        for (k, c) in s.border_cooperation.iter().enumerate() {
            let seg = self.lookup(
                &n.segments,
                &c.segment,
                &format!("{path}.border_cooperation.segment"),
                "segment",
            );
            let level = self.num(
                &c.level,
                &format!("{path}.border_cooperation.{}.level", c.segment.value),
                SHARE,
                Arc::new(move |w, v| w.outside[i].border_cooperation[k].1 = v),
            );
            coop.push((seg.unwrap_or_default(), level));
        }
        OutsidePower {
            name: s.name.clone(),
            presence,
            presence_end_day: end,
            intel,
            exploitation,
            border_cooperation: coop,
            guarantee,
            aid,
        }
    }

    /// Pool routes need segments, which are resolved after states.
    pub(super) fn fix_routes(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        for (i, s) in f
            .state
            .iter()
            .filter(|s| s.role.as_str() == "patron")
            .enumerate()
        {
            for (q, pool) in s.pool.iter().enumerate() {
                for (r, route) in pool.routes.iter().enumerate() {
                    let path = format!("state.{}.pool.{}.routes", s.id.value, pool.id.value);
                    let seg = self.lookup(
                        &n.segments,
                        &route.segment,
                        &format!("{path}.segment"),
                        "segment",
                    );
                    let weight = self.num(
                        &route.weight,
                        &format!("{path}.{}.weight", route.segment.value),
                        WEIGHT,
                        Arc::new(move |w, v| w.patrons[i].pools[q].routes[r].1 = v),
                    );
                    if let Some(seg) = seg {
                        w.patrons[i].pools[q].routes.push((seg, weight));
                    }
                }
            }
        }
    }

    pub(super) fn groups(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        for a in &f.armed_group {
            let path = format!("armed_group.{}", a.id.value);
            self.cite_all(&a.sources, &path);
            let i = w.groups.len();
            let role = self
                .keyword(
                    &a.role,
                    &format!("{path}.role"),
                    &[
                        ("faction", GroupRole::Faction),
                        ("state_force", GroupRole::StateForce),
                        ("insurgency", GroupRole::Insurgency),
                    ],
                )
                .unwrap_or_default();
            let region = a
                .region
                .as_ref()
                .and_then(|r| self.lookup(&n.regions, r, &format!("{path}.region"), "region"));
            let fighters = self.num(
                &a.fighters,
                &format!("{path}.fighters"),
                COUNT,
                Arc::new(move |w, v| w.groups[i].fighters = v),
            );
            let fill_rate = self.num_opt(
                &a.fill_rate,
                &format!("{path}.fill_rate"),
                SHARE,
                1.0,
                Arc::new(move |w, v| w.groups[i].fill_rate = v),
            );
            let morale = self.num(
                &a.morale,
                &format!("{path}.morale"),
                SHARE,
                Arc::new(move |w, v| w.groups[i].morale = v),
            );
            let ideology = self.num_opt(
                &a.ideology,
                &format!("{path}.ideology"),
                SHARE,
                0.0,
                Arc::new(move |w, v| w.groups[i].ideology = v),
            );
            let allegiance = self.allegiance(a, &path, i, role);
            let stances: Vec<(&str, Stance)> = Stance::ALL.iter().map(|s| (s.name(), *s)).collect();
            let stance = a
                .stance
                .as_ref()
                .and_then(|s| self.keyword(s, &format!("{path}.stance"), &stances))
                .unwrap_or_default();
            let cost = self.num(
                &a.cost_per_fighter,
                &format!("{path}.cost_per_fighter"),
                MONEY,
                Arc::new(move |w, v| w.groups[i].cost_per_fighter = v),
            );
            let illicit = self.num_opt(
                &a.illicit_revenue,
                &format!("{path}.illicit_revenue"),
                MONEY,
                0.0,
                Arc::new(move |w, v| w.groups[i].illicit_revenue = v),
            );
            let dependence = self.num_opt(
                &a.sponsor_dependence,
                &format!("{path}.sponsor_dependence"),
                SHARE,
                0.0,
                Arc::new(move |w, v| w.groups[i].sponsor_dependence = v),
            );
            let tm = self.num(
                &a.threshold_mean,
                &format!("{path}.threshold_mean"),
                SHARE,
                Arc::new(move |w, v| w.groups[i].threshold_mean = v),
            );
            let ts = self.num(
                &a.threshold_sd,
                &format!("{path}.threshold_sd"),
                Domain {
                    min: 0.0,
                    max: 1.0,
                    what: "a standard deviation between 0 and 1",
                },
                Arc::new(move |w, v| w.groups[i].threshold_sd = v),
            );
            let allocation = self.allocation(a, &path, i, role, n);
            let abroad = self.num_opt(
                &a.abroad,
                &format!("{path}.abroad"),
                COUNT,
                0.0,
                Arc::new(move |w, v| w.groups[i].abroad = v),
            );
            let infiltration = a.infiltration.as_ref().and_then(|inf| {
                let seg = self.lookup(
                    &n.segments,
                    &inf.segment,
                    &format!("{path}.infiltration.segment"),
                    "segment",
                );
                let per_day = self.num(
                    &inf.per_day,
                    &format!("{path}.infiltration.per_day"),
                    COUNT,
                    Arc::new(move |w, v| {
                        if let Some(x) = &mut w.groups[i].infiltration {
                            x.1 = v;
                        }
                    }),
                );
                seg.map(|s| (s, per_day))
            });
            let stocks_days = self.num_opt(
                &a.stocks_days,
                &format!("{path}.stocks_days"),
                DAYS,
                DEFAULT_STOCKS_DAYS,
                Arc::new(move |w, v| w.groups[i].stocks_days = v),
            );
            let recruit_pool = self.num_opt(
                &a.recruit_pool,
                &format!("{path}.recruit_pool"),
                COUNT,
                0.0,
                Arc::new(move |w, v| w.groups[i].recruit_pool = v),
            );
            let defection = self.defection(a, &path, i, n);
            w.groups.push(ArmedGroup {
                name: a.name.clone(),
                role,
                region,
                fighters,
                fill_rate,
                morale,
                ideology,
                allegiance,
                stance,
                cost_per_fighter: cost,
                illicit_revenue: illicit,
                sponsor_dependence: dependence,
                threshold_mean: tm,
                threshold_sd: ts,
                foreign_exit_precondition: a.foreign_exit_precondition,
                guerrilla: a.guerrilla,
                splinter_of: None,
                allocation,
                abroad,
                infiltration,
                stocks_days,
                recruit_pool,
                defection,
            });
            if let Some(s) = &a.splinter {
                let splinter = splinter(&w.groups[i], GroupId::at(i), &s.name);
                w.groups.push(splinter);
            }
        }
    }

    /// A group's allegiance to its patron, the host and itself, as shares
    /// summing to 1 (a state force is the host's, any other group its own,
    /// unless the file says otherwise).
    fn allegiance(
        &mut self,
        a: &raw::ArmedGroup,
        path: &str,
        i: usize,
        role: GroupRole,
    ) -> [f64; 3] {
        match &a.allegiance {
            Some(al) => {
                let norm = move |w: &mut World, k: usize, v: f64| {
                    let g = &mut w.groups[i];
                    g.allegiance[k] = v;
                    let s: f64 = g.allegiance.iter().sum();
                    if s > 0.0 {
                        g.allegiance.iter_mut().for_each(|x| *x /= s);
                    }
                };
                let p = self.num(
                    &al.patron,
                    &format!("{path}.allegiance.patron"),
                    SHARE,
                    Arc::new(move |w, v| norm(w, 0, v)),
                );
                let h = self.num(
                    &al.host,
                    &format!("{path}.allegiance.host"),
                    SHARE,
                    Arc::new(move |w, v| norm(w, 1, v)),
                );
                let o = self.num(
                    &al.own,
                    &format!("{path}.allegiance.self"),
                    SHARE,
                    Arc::new(move |w, v| norm(w, 2, v)),
                );
                let s = p + h + o;
                if s.is_finite() && s <= 0.0 {
                    self.problem(
                        Some(al.patron.span.clone()),
                        format!("{path}.allegiance"),
                        "allegiance shares sum to zero",
                        "give at least one of patron, host, self a positive share",
                    );
                }
                if s > 0.0 {
                    [p / s, h / s, o / s]
                } else {
                    [0.0, 0.0, 1.0]
                }
            }
            None => [
                0.0,
                if role == GroupRole::StateForce {
                    1.0
                } else {
                    0.0
                },
                if role == GroupRole::StateForce {
                    0.0
                } else {
                    1.0
                },
            ],
        }
    }

    /// A state force's allocation to segments and regions: each assignment
    /// names one front, the shares sum to 1 at most (the rest is reserve).
    fn allocation(
        &mut self,
        a: &raw::ArmedGroup,
        path: &str,
        i: usize,
        role: GroupRole,
        n: &Names,
    ) -> Vec<(Front, f64)> {
        let mut allocation = Vec::new();
        let mut total = 0.0;
        for (k, asg) in a.allocation.iter().enumerate() {
            let front = match (&asg.segment, &asg.region) {
                (Some(s), None) => self
                    .lookup(
                        &n.segments,
                        s,
                        &format!("{path}.allocation.segment"),
                        "segment",
                    )
                    .map(Front::Segment),
                (None, Some(r)) => self
                    .lookup(
                        &n.regions,
                        r,
                        &format!("{path}.allocation.region"),
                        "region",
                    )
                    .map(Front::Region),
                _ => {
                    self.problem(
                    Some(asg.share.span.clone()),
                    format!("{path}.allocation"),
                    "an assignment needs exactly one of `segment` or `region`",
                    "write { segment = \"...\", share = 0.1 } or { region = \"...\", share = 0.1 }",
                );
                    None
                }
            };
            let label = asg
                .segment
                .as_ref()
                .or(asg.region.as_ref())
                .map_or(String::new(), |x| x.value.clone());
            let share = self.num(
                &asg.share,
                &format!("{path}.allocation.{label}.share"),
                SHARE,
                Arc::new(move |w, v| w.groups[i].allocation[k].1 = v),
            );
            total += share;
            if let Some(front) = front {
                allocation.push((front, share));
            }
        }
        if total > 1.0 + 1e-9 {
            self.problem(
                Some(a.id.span.clone()),
                format!("{path}.allocation"),
                format!("shares sum to {total:.3}, more than the whole force"),
                "make the shares sum to 1 or less; the rest is reserve",
            );
        }
        if role != GroupRole::StateForce && !a.allocation.is_empty() {
            self.problem(
                Some(a.role.span.clone()),
                format!("{path}.allocation"),
                "only state forces have an allocation",
                "remove `allocation` or set role = \"state_force\"",
            );
        }
        allocation
    }

    /// Where a share of the group's fighters go over to when its allegiance
    /// breaks (`defects_to`, `defection_share`).
    fn defection(
        &mut self,
        a: &raw::ArmedGroup,
        path: &str,
        i: usize,
        n: &Names,
    ) -> Option<(GroupId, f64)> {
        let defection_share = self.num_opt(
            &a.defection_share,
            &format!("{path}.defection_share"),
            SHARE,
            0.0,
            Arc::new(move |w, v| {
                if let Some(d) = &mut w.groups[i].defection {
                    d.1 = v;
                }
            }),
        );
        match (&a.defects_to, &a.defection_share) {
            (Some(to), _) => self
                .lookup(&n.groups, to, &format!("{path}.defects_to"), "armed group")
                .map(|g| (g, defection_share)),
            (None, Some(d)) => {
                self.problem(
                    Some(d.span.clone()),
                    format!("{path}.defection_share"),
                    "`defection_share` needs `defects_to`",
                    "name the group its fighters go over to in `defects_to`, or remove `defection_share`",
                );
                None
            }
            (None, None) => None,
        }
    }

    pub(super) fn authorities_blocs_communities(
        &mut self,
        f: &raw::File,
        n: &Names,
        w: &mut World,
    ) {
        for (i, a) in f.authority.iter().enumerate() {
            let path = format!("authority.{}", a.id.value);
            self.cite_all(&a.sources, &path);
            let role = self
                .keyword(
                    &a.role,
                    &format!("{path}.role"),
                    &[
                        ("cleric", AuthorityRole::Cleric),
                        ("judiciary", AuthorityRole::Judiciary),
                    ],
                )
                .unwrap_or_default();
            let guidance = a
                .guidance
                .as_ref()
                .and_then(|g| self.keyword(g, &format!("{path}.guidance"), GUIDANCE))
                .unwrap_or_default();
            let credibility = self.num_opt(
                &a.credibility,
                &format!("{path}.credibility"),
                SHARE,
                0.0,
                Arc::new(move |w, v| w.authorities[i].credibility = v),
            );
            w.authorities.push(Authority {
                name: a.name.clone(),
                role,
                guidance,
                credibility,
            });
        }
        for (i, b) in f.bloc.iter().enumerate() {
            let path = format!("bloc.{}", b.id.value);
            self.cite_all(&b.sources, &path);
            let seats = self.num(
                &b.seats,
                &format!("{path}.seats"),
                COUNT,
                Arc::new(move |w, v| w.blocs[i].seats = v),
            );
            let pa = self.num(
                &b.patron_alignment,
                &format!("{path}.patron_alignment"),
                SHARE,
                Arc::new(move |w, v| w.blocs[i].patron_alignment = v),
            );
            let wings = b
                .wings
                .iter()
                .filter_map(|g| self.lookup(&n.groups, g, &format!("{path}.wings"), "armed group"))
                .collect();
            w.blocs.push(Bloc {
                name: b.name.clone(),
                seats,
                patron_alignment: pa,
                governing: b.governing,
                wings,
            });
        }
        for (i, c) in f.community.iter().enumerate() {
            let path = format!("community.{}", c.id.value);
            self.cite_all(&c.sources, &path);
            let region = self
                .lookup(&n.regions, &c.region, &format!("{path}.region"), "region")
                .unwrap_or_default();
            let population = self.num(
                &c.population,
                &format!("{path}.population"),
                COUNT,
                Arc::new(move |w, v| w.communities[i].population = v),
            );
            let pa = self.num(
                &c.patron_alignment,
                &format!("{path}.patron_alignment"),
                SHARE,
                Arc::new(move |w, v| w.communities[i].patron_alignment = v),
            );
            let hardship = self.num(
                &c.hardship,
                &format!("{path}.hardship"),
                SHARE,
                Arc::new(move |w, v| w.communities[i].hardship = v),
            );
            let legitimacy = self.num(
                &c.legitimacy,
                &format!("{path}.legitimacy"),
                SHARE,
                Arc::new(move |w, v| w.communities[i].legitimacy = v),
            );
            w.communities.push(Community {
                name: c.name.clone(),
                region,
                identity: c.identity.clone(),
                population,
                patron_alignment: pa,
                hardship,
                legitimacy,
            });
        }
    }

    pub(super) fn segments(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        for (i, s) in f.segment.iter().enumerate() {
            let path = format!("segment.{}", s.id.value);
            self.cite_all(&s.sources, &path);
            let region = self
                .lookup(&n.regions, &s.region, &format!("{path}.region"), "region")
                .unwrap_or_default();
            let length = self.num(
                &s.length_km,
                &format!("{path}.length_km"),
                KM,
                Arc::new(move |w, v| w.segments[i].length_km = v),
            );
            let terrain = self.num_opt(
                &s.terrain,
                &format!("{path}.terrain"),
                SHARE,
                0.0,
                Arc::new(move |w, v| w.segments[i].terrain = v),
            );
            let mut crossings = Vec::new();
            for c in &s.crossing {
                let x = w.crossings.len();
                let cp = format!("{path}.crossing.{}", c.id.value);
                self.cite_all(&c.sources, &cp);
                let official = self
                    .keyword(
                        &c.kind,
                        &format!("{cp}.kind"),
                        &[("official", true), ("informal", false)],
                    )
                    .unwrap_or(false);
                let cap = self.num(
                    &c.capacity_per_day,
                    &format!("{cp}.capacity_per_day"),
                    COUNT,
                    Arc::new(move |w, v| w.crossings[x].capacity_per_day = v),
                );
                let rev = self.num_opt(
                    &c.revenue_per_day,
                    &format!("{cp}.revenue_per_day"),
                    MONEY,
                    0.0,
                    Arc::new(move |w, v| w.crossings[x].revenue_per_day = v),
                );
                w.crossings.push(Crossing {
                    name: c.name.clone(),
                    segment: SegmentId::at(i),
                    official,
                    capacity_per_day: cap,
                    revenue_per_day: rev,
                });
                crossings.push(CrossingId::at(x));
            }
            w.segments.push(Segment {
                name: s.name.clone(),
                neighbor: s.neighbor.clone(),
                length_km: length,
                terrain,
                region,
                crossings,
            });
        }
    }

    pub(super) fn ties(&mut self, f: &raw::File, n: &Names, w: &mut World) {
        let kinds = TieKind::ALL.map(|k| (k.name(), k));
        let mut seen_ties = BTreeSet::new();
        for t in &f.tie {
            let path = format!("tie.{}->{}.{}", t.from.value, t.to.value, t.kind.value);
            if !seen_ties.insert(path.clone()) {
                self.problem(
                    Some(t.from.span.clone()),
                    path.clone(),
                    "duplicate tie: the same kind of tie between the same two ends",
                    "merge the two ties into one with a single weight",
                );
            }
            self.cite_all(&t.sources, &path);
            let kind = self.keyword(&t.kind, &format!("{path}.kind"), &kinds);
            let from = n.actor(&t.from);
            if from.is_none() {
                let help = close(&t.from, actor_names(n));
                self.problem(
                    Some(t.from.span.clone()),
                    format!("{path}.from"),
                    format!("unknown actor `{}`", t.from.value),
                    help,
                );
            }
            let to = if let Some(a) = n.actor(&t.to) {
                Some(TieTarget::Actor(a))
            } else if let Some(x) = n.crossings.get(t.to.as_str()) {
                Some(TieTarget::Crossing(*x))
            } else if let Some(r) = n.regions.get(t.to.as_str()) {
                Some(TieTarget::Region(*r))
            } else {
                let places = n.crossings.keys().chain(n.regions.keys());
                let help = close(&t.to, actor_names(n).chain(places));
                self.problem(
                    Some(t.to.span.clone()),
                    format!("{path}.to"),
                    format!("unknown actor, crossing or region `{}`", t.to.value),
                    help,
                );
                None
            };
            if kind == Some(TieKind::Sanctuary)
                && (!matches!(from, Some(ActorRef::Patron(_) | ActorRef::Outside(_)))
                    || !matches!(to, Some(TieTarget::Actor(ActorRef::Group(_)))))
                && from.is_some()
                && to.is_some()
            {
                self.problem(
                    Some(t.kind.span.clone()),
                    format!("{path}.kind"),
                    "a `sanctuary` tie runs from a state (a patron or an outside power) to an armed group",
                    "name the state whose territory shelters the group in `from` and the group in `to`",
                );
            }
            if kind == Some(TieKind::Energy)
                && (!matches!(from, Some(ActorRef::Patron(_) | ActorRef::Outside(_)))
                    || !matches!(to, Some(TieTarget::Actor(ActorRef::Community(_)))))
                && from.is_some()
                && to.is_some()
            {
                self.problem(
                    Some(t.kind.span.clone()),
                    format!("{path}.kind"),
                    "an `energy` tie runs from a state (a patron or an outside power) to a community",
                    "name the state whose gas or power the community uses in `from` and the community in `to`",
                );
            }
            if let (Some(TieKind::Controls), Some(TieTarget::Actor(_))) = (kind, to) {
                self.problem(
                    Some(t.to.span.clone()),
                    format!("{path}.to"),
                    "a `controls` tie points at a crossing or a region",
                    "name a crossing or region id in `to`",
                );
            }
            if let (Some(k), Some(TieTarget::Crossing(_) | TieTarget::Region(_))) = (kind, to)
                && k != TieKind::Controls
            {
                self.problem(
                    Some(t.kind.span.clone()),
                    format!("{path}.kind"),
                    format!(
                        "{} `{}` tie cannot point at a crossing or region",
                        article(k.name()),
                        k.name()
                    ),
                    "only `controls` ties point at crossings and regions",
                );
            }
            let i = w.ties.len();
            let weight = self.num(
                &t.weight,
                &format!("{path}.weight"),
                SHARE,
                Arc::new(move |w, v| w.ties[i].weight = v),
            );
            if let (Some(from), Some(to), Some(kind)) = (from, to, kind) {
                w.ties.push(Tie {
                    from,
                    to,
                    kind,
                    weight,
                });
            } else {
                w.ties.push(Tie {
                    from: ActorRef::Host,
                    to: TieTarget::Actor(ActorRef::Host),
                    kind: TieKind::Hostile,
                    weight: 0.0,
                });
            }
        }
    }
}

/// A group's splinter: the hardliners who break away if it integrates,
/// starting with no fighters, fully devoted to the patron and its ideology,
/// and gone once the patron's forces leave.
fn splinter(parent: &ArmedGroup, parent_id: GroupId, name: &str) -> ArmedGroup {
    let mut sp = parent.clone();
    sp.name = name.to_string();
    sp.fighters = 0.0;
    sp.ideology = 1.0;
    sp.allegiance = [1.0, 0.0, 0.0];
    sp.stance = Stance::Aligned;
    sp.splinter_of = Some(parent_id);
    sp.allocation = Vec::new();
    sp.foreign_exit_precondition = true;
    sp
}

/// Every actor id a tie can name, in the order suggestions are searched.
fn actor_names(n: &Names) -> impl Iterator<Item = &String> {
    n.groups
        .keys()
        .chain(n.patrons.keys())
        .chain(n.outside.keys())
        .chain(n.authorities.keys())
        .chain(n.blocs.keys())
        .chain(n.communities.keys())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{found, line_of, problems, problems_with_help, template_with};

    #[test]
    fn a_field_of_another_role_is_refused() {
        let text = template_with(&[(
            "role = \"patron\"\ncapacity = 0.9\n",
            "role = \"patron\"\ncapacity = 0.9\ncapital = \"capital\"\nintel = 0.2\n",
        )]);
        let line = line_of(&text, "role = \"patron\"");
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [
                found(
                    "state.patron.capital",
                    line,
                    "`capital` does not apply to a state of role `patron`"
                ),
                found(
                    "state.patron.intel",
                    line,
                    "`intel` does not apply to a state of role `patron`"
                ),
            ]
        );
        assert_eq!(p[0].1, "remove the field or change the role");
    }

    #[test]
    fn each_role_needs_its_own_fields() {
        let text = template_with(&[
            ("capacity = 0.9\n", ""),
            (
                "leader = { name = \"Prime minister\", decisiveness = [0.3, 0.7], inclusiveness = 0.5, integrity = 0.5 }\n",
                "",
            ),
        ]);
        assert_eq!(
            problems(&text),
            [
                found(
                    "state.patron.capacity",
                    line_of(&text, "id = \"patron\""),
                    "a patron needs `capacity`"
                ),
                found(
                    "state.host.leader",
                    line_of(&text, "id = \"host\"\nname"),
                    "the host needs a `leader`"
                ),
            ]
        );
        let text = template_with(&[("role = \"host\"", "role = \"outside\"")]);
        let p = problems(&text);
        assert!(p.contains(&found("state", 0, "no host state")), "{p:?}");
        // An unknown role is one problem, not one more per field of the
        // role meant (`presence`, `intel` and `guarantee` here).
        let text = template_with(&[("role = \"outside\"", "role = \"ally\"")]);
        assert_eq!(
            problems(&text),
            [found(
                "state.friend.role",
                line_of(&text, "\"ally\""),
                "`ally` is not one of `patron`, `host`, `outside`"
            )]
        );
    }

    #[test]
    fn figures_of_states_are_checked_against_their_ranges() {
        let text = template_with(&[
            ("capacity = 0.9", "capacity = 1.9"),
            ("people = [1000, 4000]", "people = [1000, 4e10]"),
            ("decisiveness = [0.3, 0.7]", "decisiveness = [0.7, 0.3]"),
        ]);
        assert_eq!(
            problems(&text),
            [
                found(
                    "state.patron.capacity",
                    line_of(&text, "capacity = 1.9"),
                    "1.9 is out of range: expected a share between 0 and 1"
                ),
                found(
                    "state.patron.pool.officials.people",
                    line_of(&text, "4e10"),
                    "values from 1000 to 40000000000 are out of range: expected a count from 0 to 10 billion"
                ),
                found(
                    "state.host.leader.decisiveness",
                    line_of(&text, "[0.7, 0.3]"),
                    "the range [0.7, 0.3] has low above high"
                ),
            ]
        );
    }

    #[test]
    fn an_armed_group_is_checked() {
        let text = template_with(&[
            ("role = \"state_force\"", "role = \"army\""),
            (
                "allegiance = { patron = 0.8, host = 0.05, self = 0.15 }",
                "allegiance = { patron = 0, host = 0, self = 0 }",
            ),
            ("stance = \"hedging\"", "stance = \"hedge\""),
        ]);
        let p = problems(&text);
        assert_eq!(
            p,
            [
                found(
                    "armed_group.army.role",
                    line_of(&text, "\"army\"\nfighters"),
                    "`army` is not one of `faction`, `state_force`, `insurgency`"
                ),
                found(
                    "armed_group.army.allocation",
                    line_of(&text, "\"army\"\nfighters"),
                    "only state forces have an allocation"
                ),
                found(
                    "armed_group.loyalists.allegiance",
                    line_of(&text, "patron = 0, host"),
                    "allegiance shares sum to zero"
                ),
                found(
                    "armed_group.pragmatists.stance",
                    line_of(&text, "\"hedge\""),
                    "`hedge` is not one of `aligned`, `hedging`, `autonomous`, `negotiating`, `integrated`, `holdout`, `insurgent`, `dissolved`"
                ),
            ]
        );
    }

    #[test]
    fn an_allocation_goes_to_one_front_and_sums_to_one_at_most() {
        let text = template_with(&[(
            "allocation = [{ segment = \"east\", share = 0.1 }, { region = \"capital\", share = 0.3 }, { region = \"border_region\", share = 0.2 }]",
            "allocation = [{ segment = \"east\", region = \"capital\", share = 0.1 }, { region = \"capitol\", share = 0.7 }, { region = \"border_region\", share = 0.5 }]",
        )]);
        let line = line_of(&text, "capitol");
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [
                found(
                    "armed_group.army.allocation",
                    line_of(&text, "id = \"army\""),
                    "shares sum to 1.300, more than the whole force"
                ),
                found(
                    "armed_group.army.allocation",
                    line,
                    "an assignment needs exactly one of `segment` or `region`"
                ),
                found(
                    "armed_group.army.allocation.region",
                    line,
                    "refers to unknown region `capitol`"
                ),
            ]
        );
        assert_eq!(p[2].1, "did you mean `capital`?");
    }

    #[test]
    fn a_defection_share_needs_a_group_to_go_to() {
        let text = template_with(&[(
            "foreign_exit_precondition = true\n",
            "foreign_exit_precondition = true\ndefection_share = 0.2\n",
        )]);
        assert_eq!(
            problems(&text),
            [found(
                "armed_group.loyalists.defection_share",
                line_of(&text, "defection_share"),
                "`defection_share` needs `defects_to`"
            )]
        );
        let text = template_with(&[(
            "foreign_exit_precondition = true\n",
            "foreign_exit_precondition = true\ndefects_to = \"pragmatist\"\n",
        )]);
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [found(
                "armed_group.loyalists.defects_to",
                line_of(&text, "defects_to"),
                "refers to unknown armed group `pragmatist`"
            )]
        );
        assert_eq!(p[0].1, "did you mean `pragmatists`?");
    }

    #[test]
    fn communities_authorities_and_crossings_are_checked() {
        let text = template_with(&[
            (
                "region = \"capital\"\npopulation = 5000000",
                "region = \"capitl\"\npopulation = 5000000",
            ),
            ("guidance = \"calm\"", "guidance = \"quiet\""),
            ("kind = \"informal\"", "kind = \"secret\""),
            ("hardship = 0.35", "hardship = 35"),
        ]);
        assert_eq!(
            problems(&text),
            [
                found(
                    "community.capital_people.region",
                    line_of(&text, "\"capitl\""),
                    "refers to unknown region `capitl`"
                ),
                found(
                    "community.border_people.hardship",
                    line_of(&text, "hardship = 35"),
                    "35 is out of range: expected a share between 0 and 1"
                ),
                found(
                    "authority.cleric.guidance",
                    line_of(&text, "\"quiet\""),
                    "`quiet` is not one of `silent`, `calm`, `state_monopoly`, `mobilization`"
                ),
                found(
                    "segment.east.crossing.smugglers_path.kind",
                    line_of(&text, "\"secret\""),
                    "`secret` is not one of `official`, `informal`"
                ),
            ]
        );
    }

    #[test]
    fn a_tie_names_known_ends_of_the_right_sort() {
        let text = template_with(&[
            (
                "from = \"patron\"\nto = \"loyalists\"\nkind = \"funds\"",
                "from = \"patrn\"\nto = \"loyalists\"\nkind = \"funds\"",
            ),
            (
                "to = \"smugglers_path\"\nkind = \"controls\"",
                "to = \"army\"\nkind = \"controls\"",
            ),
            (
                "to = \"cleric\"\nkind = \"ideology\"",
                "to = \"main_gate\"\nkind = \"ideology\"",
            ),
        ]);
        let p = problems_with_help(&text);
        assert_eq!(
            p.iter().map(|p| p.0.clone()).collect::<Vec<_>>(),
            [
                found(
                    "tie.patrn->loyalists.funds.from",
                    line_of(&text, "\"patrn\""),
                    "unknown actor `patrn`"
                ),
                found(
                    "tie.loyalists->army.controls.to",
                    line_of(&text, "to = \"army\"\nkind = \"controls\""),
                    "a `controls` tie points at a crossing or a region"
                ),
                found(
                    "tie.capital_people->main_gate.ideology.kind",
                    line_of(&text, "to = \"main_gate\"") + 1,
                    "an `ideology` tie cannot point at a crossing or region"
                ),
            ]
        );
        assert_eq!(p[0].1, "did you mean `patron`?");
        // Energy runs from a state to a community, not to an armed group.
        let text = template_with(&[(
            "from = \"patron\"\nto = \"loyalists\"\nkind = \"funds\"",
            "from = \"patron\"\nto = \"loyalists\"\nkind = \"energy\"",
        )]);
        assert!(
            problems(&text).contains(&found(
                "tie.patron->loyalists.energy.kind",
                line_of(&text, "kind = \"energy\""),
                "an `energy` tie runs from a state (a patron or an outside power) to a community"
            )),
            "{:?}",
            problems(&text)
        );
        let mut text = template_with(&[]);
        text.push_str(
            "\n[[tie]]\nfrom = \"patron\"\nto = \"capital_people\"\nkind = \"energy\"\nweight = [0.2, 0.4]\nsources = [\"A1\"]\n",
        );
        assert_eq!(problems(&text), []);
        let text = template_with(&[(
            "kind = \"commands\"\nweight = 0.8",
            "kind = \"funds\"\nweight = 0.8",
        )]);
        assert_eq!(
            problems(&text),
            [found(
                "tie.patron->loyalists.funds",
                line_of(&text, "kind = \"funds\"\nweight = 0.8") - 2,
                "duplicate tie: the same kind of tie between the same two ends"
            )]
        );
    }
}
