//! The actor network: actors (and the crossings and regions they control)
//! as nodes, ties as edges, placed by the Fruchterman–Reingold (1991) force
//! layout of the `fdg-sim` crate.
//!
//! `fdg-sim` starts nodes at random places from a global, unseeded
//! generator; the start positions are overwritten with evenly spaced points
//! on a circle before the layout runs, so the layout (and the report) is the
//! same on every build. The start and end drawings share one layout, so the
//! eye can compare them.

use fdg_sim::glam::Vec3;
use fdg_sim::petgraph::graph::NodeIndex;
use fdg_sim::{Dimensions, ForceGraph, ForceGraphHelper, Simulation, SimulationParameters};
use patronfall_model::{ActorRef, GroupRole, Stance, TieKind, TieTarget, World};

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    /// A patron state.
    Patron,
    /// The host state's government.
    Host,
    /// An outside power.
    Outside,
    /// A militia or other non-state faction.
    Faction,
    /// A force of the host state.
    StateForce,
    /// An insurgency.
    Insurgency,
    /// A cleric, judiciary or other authority.
    Authority,
    /// A political bloc.
    Bloc,
    /// A community.
    Community,
    /// A border crossing or a region (targets of `controls`).
    Place,
}

impl NodeKind {
    /// The name shown in legends and tables.
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Patron => "patron state",
            NodeKind::Host => "host state",
            NodeKind::Outside => "outside power",
            NodeKind::Faction => "armed faction",
            NodeKind::StateForce => "state force",
            NodeKind::Insurgency => "insurgency",
            NodeKind::Authority => "authority",
            NodeKind::Bloc => "political bloc",
            NodeKind::Community => "community",
            NodeKind::Place => "crossing or region",
        }
    }
}

/// A node with its layout position (in layout units, centred near 0).
#[derive(Clone, Debug)]
pub struct NetNode {
    /// Display name (plain text).
    pub label: String,
    /// What it is.
    pub kind: NodeKind,
    /// The armed group it is, if any (to look up its stance).
    pub group: Option<usize>,
    /// Whether any tie starts or ends here; actors without ties are left
    /// out of the layout and listed beside the drawing.
    pub tied: bool,
    /// Position (0 for an actor without ties).
    pub x: f64,
    /// Position.
    pub y: f64,
}

/// A directed tie.
#[derive(Clone, Copy, Debug)]
pub struct NetEdge {
    /// Source node index.
    pub from: usize,
    /// Target node index.
    pub to: usize,
    /// Tie kind.
    pub kind: TieKind,
    /// Weight in [0, 1].
    pub weight: f64,
}

/// The laid-out network.
#[derive(Clone, Debug, Default)]
pub struct Network {
    /// Nodes.
    pub nodes: Vec<NetNode>,
    /// Ties.
    pub edges: Vec<NetEdge>,
}

/// Layout steps and step size of the force simulation.
const STEPS: usize = 600;
const DT: f32 = 0.035;
/// Ideal distance between tied actors and the velocity kept per step.
const SCALE: f32 = 45.0;
const COOLING: f32 = 0.975;

impl Network {
    /// The scenario's network at the start, laid out.
    pub fn of(world: &World) -> Network {
        let mut net = Network::default();
        let actor = |net: &mut Network, label: &str, kind, group| {
            net.nodes.push(NetNode {
                label: label.to_string(),
                kind,
                group,
                tied: false,
                x: 0.0,
                y: 0.0,
            });
            net.nodes.len() - 1
        };
        let patrons: Vec<usize> = world
            .patrons
            .iter()
            .map(|p| actor(&mut net, &p.name, NodeKind::Patron, None))
            .collect();
        let host = actor(&mut net, &world.host.name, NodeKind::Host, None);
        let outside: Vec<usize> = world
            .outside
            .iter()
            .map(|p| actor(&mut net, &p.name, NodeKind::Outside, None))
            .collect();
        let groups: Vec<usize> = world
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let kind = match g.role {
                    GroupRole::Faction => NodeKind::Faction,
                    GroupRole::StateForce => NodeKind::StateForce,
                    GroupRole::Insurgency => NodeKind::Insurgency,
                };
                actor(&mut net, &g.name, kind, Some(i))
            })
            .collect();
        let authorities: Vec<usize> = world
            .authorities
            .iter()
            .map(|a| actor(&mut net, &a.name, NodeKind::Authority, None))
            .collect();
        let blocs: Vec<usize> = world
            .blocs
            .iter()
            .map(|b| actor(&mut net, &b.name, NodeKind::Bloc, None))
            .collect();
        let communities: Vec<usize> = world
            .communities
            .iter()
            .map(|c| actor(&mut net, &c.name, NodeKind::Community, None))
            .collect();
        let node_of = |a: ActorRef| match a {
            ActorRef::Patron(i) => patrons[i.index()],
            ActorRef::Host => host,
            ActorRef::Outside(i) => outside[i.index()],
            ActorRef::Group(i) => groups[i.index()],
            ActorRef::Authority(i) => authorities[i.index()],
            ActorRef::Bloc(i) => blocs[i.index()],
            ActorRef::Community(i) => communities[i.index()],
        };
        let mut places: Vec<(String, usize)> = Vec::new();
        for t in &world.ties {
            let to = match t.to {
                TieTarget::Actor(a) => node_of(a),
                TieTarget::Crossing(c) => {
                    place(&mut net, &mut places, &world.crossings[c.index()].name)
                }
                TieTarget::Region(r) => {
                    place(&mut net, &mut places, &world.regions[r.index()].name)
                }
            };
            net.edges.push(NetEdge {
                from: node_of(t.from),
                to,
                kind: t.kind,
                weight: t.weight,
            });
        }
        for k in 0..net.edges.len() {
            let e = net.edges[k];
            net.nodes[e.from].tied = true;
            net.nodes[e.to].tied = true;
        }
        net.layout();
        net
    }

    /// Runs the force layout from a circle, over the actors with ties.
    fn layout(&mut self) {
        let tied: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.nodes[i].tied)
            .collect();
        let n = tied.len();
        if n == 0 {
            return;
        }
        let mut graph: ForceGraph<(), ()> = ForceGraph::default();
        let mut ids: Vec<Option<NodeIndex>> = vec![None; self.nodes.len()];
        for &i in &tied {
            ids[i] = Some(graph.add_force_node(&self.nodes[i].label, ()));
        }
        for e in &self.edges {
            if let (Some(a), Some(b)) = (ids[e.from], ids[e.to])
                && a != b
                && graph.find_edge(a, b).is_none()
            {
                graph.add_edge(a, b, ());
            }
        }
        // Fruchterman–Reingold forces plus a pull towards the centre, which
        // keeps separate groups of tied actors from drifting apart.
        let force = fdg_sim::force::handy(SCALE, COOLING, true, true);
        let params = SimulationParameters::new(200.0, Dimensions::Two, force);
        let mut sim = Simulation::from_graph(graph, params);
        let radius = 30.0 * (n as f32).sqrt();
        for (k, &i) in tied.iter().enumerate() {
            let a = std::f32::consts::TAU * k as f32 / n as f32;
            let Some(id) = ids[i] else { continue };
            let node = &mut sim.get_graph_mut()[id];
            node.location = Vec3::new(radius * a.cos(), radius * a.sin(), 0.0);
            node.old_location = node.location;
            node.velocity = Vec3::ZERO;
        }
        for _ in 0..STEPS {
            sim.update(DT);
        }
        for (k, &i) in tied.iter().enumerate() {
            let Some(id) = ids[i] else { continue };
            let p = sim.get_graph()[id].location;
            let (x, y) = (p.x as f64, p.y as f64);
            self.nodes[i].x = if x.is_finite() { x } else { k as f64 };
            self.nodes[i].y = if y.is_finite() { y } else { 0.0 };
        }
    }

    /// Whether a tie still stands at the end of a run: ties from or to an
    /// armed group that has dissolved or integrated are faded. `stances`
    /// is per armed group, `None` where a stance means nothing.
    pub fn tie_stands(&self, e: &NetEdge, stances: &[Option<Stance>]) -> bool {
        let gone = |i: usize| {
            self.nodes[i]
                .group
                .and_then(|g| stances.get(g).copied().flatten())
                .is_some_and(|s| matches!(s, Stance::Dissolved | Stance::Integrated))
        };
        !gone(e.from) && !gone(e.to)
    }
}

/// A label's box on the drawing, in pixels (x to the right, y down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelBox {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

impl LabelBox {
    /// The box of `size` (width, height) whose top left corner is at (x, y).
    pub fn at(x: f64, y: f64, size: (f64, f64)) -> LabelBox {
        LabelBox {
            x0: x,
            y0: y,
            x1: x + size.0,
            y1: y + size.1,
        }
    }

    /// Whether the two boxes share some area (touching edges do not count).
    pub fn overlaps(&self, o: &LabelBox) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// Whether this box lies inside `outer`.
    pub fn inside(&self, outer: &LabelBox) -> bool {
        self.x0 >= outer.x0 && self.x1 <= outer.x1 && self.y0 >= outer.y0 && self.y1 <= outer.y1
    }

    /// The point of the box nearest to (x, y), where a leader line ends.
    pub fn nearest(&self, x: f64, y: f64) -> (f64, f64) {
        (x.clamp(self.x0, self.x1), y.clamp(self.y0, self.y1))
    }
}

/// Half the side of the square kept free around every node's marker.
pub const MARKER: f64 = 10.0;

/// Places one label per node so that no two labels overlap and no label
/// covers a node's marker: each label goes to the first free place beside
/// its node (right, left, above, below, then the corners), trying rings
/// further out when the near places are taken (the drawing then joins label
/// and node with a leader line). `points` are the nodes' pixel positions,
/// `sizes` their labels' (width, height), `order` the nodes in the order
/// they choose (busiest first reads best); every label stays inside `bounds`
/// when it fits at all. Returns one box per node, in node order; a node
/// left out of `order` gets an empty box at its position.
pub fn place_labels(
    points: &[(f64, f64)],
    sizes: &[(f64, f64)],
    order: &[usize],
    bounds: LabelBox,
) -> Vec<LabelBox> {
    let markers: Vec<LabelBox> = points
        .iter()
        .map(|&(x, y)| LabelBox {
            x0: x - MARKER,
            y0: y - MARKER,
            x1: x + MARKER,
            y1: y + MARKER,
        })
        .collect();
    let mut placed: Vec<LabelBox> = points
        .iter()
        .map(|&(x, y)| LabelBox::at(x, y, (0.0, 0.0)))
        .collect();
    let mut taken: Vec<LabelBox> = Vec::with_capacity(order.len());
    let free = |b: &LabelBox, taken: &[LabelBox]| {
        b.inside(&bounds)
            && !taken.iter().any(|t| t.overlaps(b))
            && !markers.iter().any(|m| m.overlaps(b))
    };
    for &i in order {
        let (x, y) = points[i];
        let (w, h) = sizes[i];
        let mut best: Option<LabelBox> = None;
        // Rings of growing distance from the node, eight places on each.
        'rings: for ring in 0..40 {
            let d = MARKER + 2.0 + 14.0 * ring as f64;
            let places = [
                (x + d, y - h / 2.0),
                (x - d - w, y - h / 2.0),
                (x - w / 2.0, y - d - h),
                (x - w / 2.0, y + d),
                (x + d * 0.7, y - d * 0.7 - h),
                (x + d * 0.7, y + d * 0.7),
                (x - d * 0.7 - w, y - d * 0.7 - h),
                (x - d * 0.7 - w, y + d * 0.7),
            ];
            for (bx, by) in places {
                let b = LabelBox::at(bx, by, (w, h));
                if free(&b, &taken) {
                    best = Some(b);
                    break 'rings;
                }
            }
        }
        // Crowded beyond forty rings: the free place nearest the node on a
        // grid over the whole drawing.
        let b = best.unwrap_or_else(|| {
            let mut found: Option<(f64, LabelBox)> = None;
            let mut gy = bounds.y0;
            while gy + h <= bounds.y1 {
                let mut gx = bounds.x0;
                while gx + w <= bounds.x1 {
                    let b = LabelBox::at(gx, gy, (w, h));
                    let (nx, ny) = b.nearest(x, y);
                    let dist = (nx - x).hypot(ny - y);
                    if found.is_none_or(|(d, _)| dist < d) && free(&b, &taken) {
                        found = Some((dist, b));
                    }
                    gx += 6.0;
                }
                gy += 6.0;
            }
            found.map_or(LabelBox::at(x + MARKER, y - h / 2.0, (w, h)), |f| f.1)
        });
        taken.push(b);
        placed[i] = b;
    }
    placed
}

fn place(net: &mut Network, places: &mut Vec<(String, usize)>, name: &str) -> usize {
    if let Some((_, i)) = places.iter().find(|(n, _)| n == name) {
        return *i;
    }
    net.nodes.push(NetNode {
        label: name.to_string(),
        kind: NodeKind::Place,
        group: None,
        tied: false,
        x: 0.0,
        y: 0.0,
    });
    places.push((name.to_string(), net.nodes.len() - 1));
    net.nodes.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> World {
        patronfall_scenario::parse("template.toml", patronfall_scenario::TEMPLATE)
            .unwrap()
            .world
    }

    #[test]
    fn every_tie_becomes_an_edge_and_the_layout_is_reproducible() {
        let w = world();
        let a = Network::of(&w);
        let b = Network::of(&w);
        assert_eq!(a.edges.len(), w.ties.len());
        for (p, q) in a.nodes.iter().zip(&b.nodes) {
            assert_eq!((p.x, p.y), (q.x, q.y));
            assert!(p.x.is_finite() && p.y.is_finite());
        }
        // The layout spreads tied actors out: no two on the same spot.
        let tied: Vec<&NetNode> = a.nodes.iter().filter(|n| n.tied).collect();
        assert!(tied.len() >= 2);
        for (i, p) in tied.iter().enumerate() {
            for q in &tied[i + 1..] {
                assert!((p.x - q.x).hypot(p.y - q.y) > 1e-3);
            }
        }
        // An actor is tied exactly when some tie starts or ends there.
        for (k, node) in a.nodes.iter().enumerate() {
            let has = a.edges.iter().any(|e| e.from == k || e.to == k);
            assert_eq!(node.tied, has, "{}", node.label);
        }
    }

    /// Labels crowded around one spot (the middle of a dense network) still
    /// come out apart, clear of every marker and inside the drawing.
    #[test]
    fn crowded_labels_do_not_overlap() {
        let mut points = Vec::new();
        let mut sizes = Vec::new();
        for k in 0..45 {
            let a = k as f64 * 0.7;
            points.push((
                500.0 + 25.0 * a.cos() * (k % 5) as f64,
                380.0 + 18.0 * a.sin() * (k % 4) as f64,
            ));
            sizes.push((60.0 + 7.0 * (k % 11) as f64, 15.0));
        }
        let bounds = LabelBox {
            x0: 20.0,
            y0: 30.0,
            x1: 990.0,
            y1: 740.0,
        };
        let order: Vec<usize> = (0..points.len()).collect();
        let boxes = place_labels(&points, &sizes, &order, bounds);
        for (i, b) in boxes.iter().enumerate() {
            assert!(b.inside(&bounds), "{i}: {b:?}");
            assert!(((b.x1 - b.x0) - sizes[i].0).abs() < 1e-9);
            for (j, c) in boxes.iter().enumerate().skip(i + 1) {
                assert!(!b.overlaps(c), "labels {i} and {j} overlap: {b:?} {c:?}");
            }
            for (j, &(x, y)) in points.iter().enumerate() {
                let m = LabelBox {
                    x0: x - MARKER,
                    y0: y - MARKER,
                    x1: x + MARKER,
                    y1: y + MARKER,
                };
                assert!(!b.overlaps(&m), "label {i} covers node {j}");
            }
        }
        // A label with room beside its node stays beside it.
        let lone = place_labels(&[(100.0, 100.0)], &[(50.0, 15.0)], &[0], bounds);
        assert_eq!(lone[0].x0, 100.0 + MARKER + 2.0);
    }

    #[test]
    fn ties_of_integrated_groups_fade() {
        let w = world();
        let net = Network::of(&w);
        let e = net
            .edges
            .iter()
            .find(|e| net.nodes[e.from].group.is_some() || net.nodes[e.to].group.is_some())
            .copied()
            .expect("the template has a tie of an armed group");
        let g = net.nodes[e.from].group.or(net.nodes[e.to].group).unwrap();
        let mut stances = vec![Some(Stance::Aligned); w.groups.len()];
        assert!(net.tie_stands(&e, &stances));
        stances[g] = None;
        assert!(net.tie_stands(&e, &stances));
        stances[g] = Some(Stance::Integrated);
        assert!(!net.tie_stands(&e, &stances));
    }
}
