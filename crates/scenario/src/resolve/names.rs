//! The first pass: every id of the file, checked for duplicates and
//! numbered, so the rooms that follow can resolve names to ids.

use super::Resolver;
use crate::raw::{self, Id};
use patronfall_model::*;
use std::collections::{BTreeMap, BTreeSet};

/// The ids of the file, by kind of entity.
pub(super) struct Names {
    pub(super) regions: BTreeMap<String, RegionId>,
    pub(super) patrons: BTreeMap<String, PatronId>,
    pub(super) outside: BTreeMap<String, OutsideId>,
    pub(super) host: Option<String>,
    pub(super) groups: BTreeMap<String, GroupId>,
    pub(super) authorities: BTreeMap<String, AuthorityId>,
    pub(super) blocs: BTreeMap<String, BlocId>,
    pub(super) communities: BTreeMap<String, CommunityId>,
    pub(super) segments: BTreeMap<String, SegmentId>,
    pub(super) crossings: BTreeMap<String, CrossingId>,
    pub(super) levers: BTreeMap<String, LeverId>,
}

impl Names {
    pub(super) fn actor(&self, id: &str) -> Option<ActorRef> {
        if self.host.as_deref() == Some(id) {
            return Some(ActorRef::Host);
        }
        self.patrons
            .get(id)
            .map(|&i| ActorRef::Patron(i))
            .or_else(|| self.outside.get(id).map(|&i| ActorRef::Outside(i)))
            .or_else(|| self.groups.get(id).map(|&i| ActorRef::Group(i)))
            .or_else(|| self.authorities.get(id).map(|&i| ActorRef::Authority(i)))
            .or_else(|| self.blocs.get(id).map(|&i| ActorRef::Bloc(i)))
            .or_else(|| self.communities.get(id).map(|&i| ActorRef::Community(i)))
    }
}

impl Resolver<'_> {
    /// First pass: every id, checked for duplicates in one namespace.
    pub(super) fn names(&mut self, f: &raw::File) -> Names {
        let mut seen: BTreeMap<String, ()> = BTreeMap::new();
        let mut claim = |this: &mut Self, id: &Id, path: &str| {
            if id.value.is_empty()
                || !id
                    .value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                this.problem(
                    Some(id.span.clone()),
                    format!("{path}.id"),
                    format!("`{}` is not a valid id", id.value),
                    "use letters, digits, `_` and `-` only",
                );
            }
            if seen.insert(id.value.clone(), ()).is_some() {
                this.problem(Some(id.span.clone()), format!("{path}.id"), format!("duplicate id `{}`", id.value), "ids of regions, actors, segments and crossings share one namespace: give each a unique id");
            }
        };
        let mut n = Names {
            regions: BTreeMap::new(),
            patrons: BTreeMap::new(),
            outside: BTreeMap::new(),
            host: None,
            groups: BTreeMap::new(),
            authorities: BTreeMap::new(),
            blocs: BTreeMap::new(),
            communities: BTreeMap::new(),
            segments: BTreeMap::new(),
            crossings: BTreeMap::new(),
            levers: BTreeMap::new(),
        };
        for (i, r) in f.region.iter().enumerate() {
            claim(self, &r.id, "region");
            n.regions.insert(r.id.value.clone(), RegionId::at(i));
        }
        for s in &f.state {
            claim(self, &s.id, "state");
            match s.role.as_str() {
                "patron" => {
                    let i = n.patrons.len();
                    n.patrons.insert(s.id.value.clone(), PatronId::at(i));
                }
                "outside" => {
                    let i = n.outside.len();
                    n.outside.insert(s.id.value.clone(), OutsideId::at(i));
                }
                "host" => {
                    // The first host stays the host, so that what names it
                    // still resolves.
                    if n.host.is_some() {
                        self.problem(
                            Some(s.role.span.clone()),
                            format!("state.{}.role", s.id.value),
                            "a second host state",
                            "a scenario has exactly one host state",
                        );
                    } else {
                        n.host = Some(s.id.value.clone());
                    }
                }
                _ => {
                    self.keyword(
                        &s.role,
                        &format!("state.{}.role", s.id.value),
                        &[("patron", ()), ("host", ()), ("outside", ())],
                    );
                }
            }
        }
        let mut g = 0;
        for a in &f.armed_group {
            claim(self, &a.id, "armed_group");
            n.groups.insert(a.id.value.clone(), GroupId::at(g));
            g += 1;
            if let Some(s) = &a.splinter {
                claim(self, &s.id, &format!("armed_group.{}.splinter", a.id.value));
                n.groups.insert(s.id.value.clone(), GroupId::at(g));
                g += 1;
            }
        }
        for (i, a) in f.authority.iter().enumerate() {
            claim(self, &a.id, "authority");
            n.authorities.insert(a.id.value.clone(), AuthorityId::at(i));
        }
        for (i, b) in f.bloc.iter().enumerate() {
            claim(self, &b.id, "bloc");
            n.blocs.insert(b.id.value.clone(), BlocId::at(i));
        }
        for (i, c) in f.community.iter().enumerate() {
            claim(self, &c.id, "community");
            n.communities.insert(c.id.value.clone(), CommunityId::at(i));
        }
        let mut x = 0;
        for (i, s) in f.segment.iter().enumerate() {
            claim(self, &s.id, "segment");
            n.segments.insert(s.id.value.clone(), SegmentId::at(i));
            for c in &s.crossing {
                claim(self, &c.id, &format!("segment.{}.crossing", s.id.value));
                n.crossings.insert(c.id.value.clone(), CrossingId::at(x));
                x += 1;
            }
        }
        let mut lever_seen = BTreeSet::new();
        for (i, l) in f.lever.iter().enumerate() {
            if !lever_seen.insert(l.id.value.clone()) {
                self.problem(
                    Some(l.id.span.clone()),
                    "lever.id",
                    format!("duplicate lever id `{}`", l.id.value),
                    "give every lever a unique id",
                );
            }
            n.levers.insert(l.id.value.clone(), LeverId::at(i));
        }
        for (list, what) in [
            (f.coa.iter().map(|c| &c.id).collect::<Vec<_>>(), "coa"),
            (f.shock.iter().map(|c| &c.id).collect(), "shock"),
            (f.future.iter().map(|c| &c.id).collect(), "future"),
            (f.issue.iter().map(|c| &c.id).collect(), "issue"),
        ] {
            let mut seen = BTreeSet::new();
            for id in list {
                if !seen.insert(id.value.clone()) {
                    self.problem(
                        Some(id.span.clone()),
                        format!("{what}.id"),
                        format!("duplicate {what} id `{}`", id.value),
                        format!("give every {what} a unique id"),
                    );
                }
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{found, line_of, problems, template_with};

    #[test]
    fn ids_are_valid_and_unique_in_one_namespace() {
        let text = template_with(&[
            ("id = \"border_region\"", "id = \"border region\""),
            ("id = \"cleric\"", "id = \"capital\""),
        ]);
        let p = problems(&text);
        for expected in [
            found(
                "region.id",
                line_of(&text, "\"border region\""),
                "`border region` is not a valid id",
            ),
            found(
                "authority.id",
                line_of(&text, "id = \"capital\"\nname = \"Senior"),
                "duplicate id `capital`",
            ),
        ] {
            assert!(p.contains(&expected), "{expected:?} in {p:?}");
        }
    }

    #[test]
    fn levers_and_courses_of_action_have_namespaces_of_their_own() {
        // A lever and a course of action may share an id with an actor ...
        let text = template_with(&[
            ("id = \"wait\"", "id = \"army\""),
            ("default_coa = \"wait\"", "default_coa = \"army\""),
        ]);
        assert_eq!(problems(&text), []);
        // ... but not with another of their kind.
        let text = template_with(&[
            ("id = \"compensation\"", "id = \"immunity\""),
            ("id = \"act\"", "id = \"wait\""),
        ]);
        assert_eq!(
            problems(&text),
            [
                found(
                    "lever.id",
                    line_of(
                        &text,
                        "id = \"immunity\"\nkind = \"offer\"\npart = \"compensation\""
                    ),
                    "duplicate lever id `immunity`"
                ),
                found(
                    "coa.id",
                    line_of(&text, "id = \"wait\"\nname = \"Close"),
                    "duplicate coa id `wait`"
                ),
                found(
                    "coa.wait.set.lever",
                    line_of(&text, "lever = \"compensation\""),
                    "refers to unknown lever `compensation`"
                ),
            ]
        );
    }

    #[test]
    fn a_scenario_has_one_host() {
        // The first host stays the host: the ties that name it resolve, and
        // the second is held to a host's fields.
        let text = template_with(&[("role = \"outside\"", "role = \"host\"")]);
        let friend = line_of(&text, "id = \"friend\"");
        assert_eq!(
            problems(&text),
            [
                found("state.friend.leader", friend, "the host needs a `leader`"),
                found("state.friend.role", friend + 2, "a second host state"),
                found(
                    "state.friend.presence",
                    friend + 2,
                    "`presence` does not apply to a state of role `host`"
                ),
                found(
                    "state.friend.intel",
                    friend + 2,
                    "`intel` does not apply to a state of role `host`"
                ),
                found(
                    "state.friend.guarantee",
                    friend + 2,
                    "`guarantee` does not apply to a state of role `host`"
                ),
            ]
        );
    }
}
