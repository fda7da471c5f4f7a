//! Typed indices into the world's tables.
//!
//! Every entity lives in a `Vec` of the [`World`](crate::World); an id is its
//! position there. Ids are plain numbers so the state stays plain data and
//! copies cheaply; the scenario layer is the only place that maps names to ids.

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The position of this entity in its table.
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The id of the entity at position `i`.
            pub fn at(i: usize) -> Self {
                Self(i as u32)
            }
        }
    };
}

id_type!(
    /// A patron state (an actor of kind state, role patron).
    PatronId
);
id_type!(
    /// An outside power (an actor of kind state, role outside).
    OutsideId
);
id_type!(
    /// An armed group: faction, state force or insurgency.
    GroupId
);
id_type!(
    /// An authority: a cleric or a judiciary.
    AuthorityId
);
id_type!(
    /// A political bloc.
    BlocId
);
id_type!(
    /// A community: the people of one identity in one region.
    CommunityId
);
id_type!(
    /// A region of the host state.
    RegionId
);
id_type!(
    /// A border segment of the host state.
    SegmentId
);
id_type!(
    /// A crossing, numbered across all segments.
    CrossingId
);
id_type!(
    /// A lever of the scenario.
    LeverId
);
id_type!(
    /// A course of action.
    CoaId
);
id_type!(
    /// A shock: a named bundle of events.
    ShockId
);

/// Any actor, whatever its kind; used by ties, events and the narrative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActorRef {
    /// A patron state.
    Patron(PatronId),
    /// The host state (its government).
    Host,
    /// An outside power.
    Outside(OutsideId),
    /// An armed group.
    Group(GroupId),
    /// An authority.
    Authority(AuthorityId),
    /// A political bloc.
    Bloc(BlocId),
    /// A community.
    Community(CommunityId),
}
