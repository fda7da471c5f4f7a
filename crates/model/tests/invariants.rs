//! The invariants of brief §5 checked every day: people conserved across
//! their stocks, shares and probabilities in [0, 1], nothing NaN. Over many
//! seeds, every course of action and every shock of the built-in scenario,
//! on sampled worlds, and over random valid scenarios (proptest).

mod common;

use common::*;
use patronfall_model::rng::{Draws, Stream};
use patronfall_model::{CoaId, RunSpec, ShockId, run};
use proptest::prelude::*;

fn sampled_world(s: &patronfall_scenario::Scenario, seed: u64) -> patronfall_model::World {
    let mut d = Draws::new(seed, Stream::Events);
    let values: Vec<f64> = s
        .uncertainties
        .iter()
        .map(|u| u.sample(d.uniform()))
        .collect();
    s.world_with(&values)
}

#[test]
fn invariants_hold_on_the_built_in_scenario() {
    let s = patronfall_scenario::open("iraq-after-tehran").unwrap();
    let shocks: Vec<Option<ShockId>> = (0..s.ids.shocks.len())
        .map(|k| Some(ShockId::at(k)))
        .collect();
    for seed in 1..=6u64 {
        let world = sampled_world(&s, seed);
        for c in 0..s.ids.coas.len() {
            for shock in &shocks {
                let mut probe = Probe::new(&world);
                let r = run(
                    RunSpec {
                        world: &world,
                        coa: CoaId::at(c),
                        shock: *shock,
                        days: 365,
                        seed,
                    },
                    &mut probe,
                );
                assert!(r.problems.is_empty(), "{:?}", r.problems);
                assert!(
                    probe.violations.is_empty(),
                    "coa {} shock {:?} seed {seed}: {:?}",
                    coa_name(&s, CoaId::at(c)),
                    shock,
                    &probe.violations[..probe.violations.len().min(5)]
                );
            }
        }
    }
}

#[test]
fn invariants_hold_on_the_template_for_many_seeds() {
    let s = patronfall_scenario::parse("template.toml", patronfall_scenario::TEMPLATE).unwrap();
    for seed in 1..=40u64 {
        let world = sampled_world(&s, seed);
        for c in 0..s.ids.coas.len() {
            let mut probe = Probe::new(&world);
            run(
                RunSpec {
                    world: &world,
                    coa: CoaId::at(c),
                    shock: s.default_shock,
                    days: 180,
                    seed,
                },
                &mut probe,
            );
            assert!(
                probe.violations.is_empty(),
                "seed {seed}: {:?}",
                &probe.violations[..probe.violations.len().min(5)]
            );
        }
    }
}

/// A random but valid scenario: random sizes and figures for every kind of
/// entity, random ties, events and courses of action.
fn random_scenario(
    n_factions: usize,
    n_segments: usize,
    figures: Vec<f64>,
    seed_day: u32,
) -> String {
    let mut k = 0;
    let mut f = |lo: f64, hi: f64| {
        let u = figures[k % figures.len()];
        k += 1;
        lo + (hi - lo) * u
    };
    let mut t = String::from(
        "format = 1\n[scenario]\nid = \"random\"\ntitle = \"random\"\nhorizon_days = 90\ndefault_shock = \"s\"\n\n",
    );
    t += "[[region]]\nid = \"r0\"\nname = \"R0\"\n[[region]]\nid = \"r1\"\nname = \"R1\"\n\n";
    t += &format!(
        "[[state]]\nid = \"p\"\nname = \"P\"\nrole = \"patron\"\ncapacity = {}\n",
        f(0.0, 1.0)
    );
    t += &format!(
        "theater = [{{ id = \"h\", name = \"H\", personnel = {}, host = true }}, {{ id = \"o\", name = \"O\", personnel = {} }}]\n",
        f(0.0, 2000.0),
        f(0.0, 2000.0)
    );
    t += &format!(
        "pool = [{{ id = \"q\", name = \"Q\", people = {}, flee_share = {}, routes = [{{ segment = \"s0\", weight = 1 }}], joins = \"f0\" }}]\n\n",
        f(0.0, 20000.0),
        f(0.0, 1.0)
    );
    t += &format!(
        "[[state]]\nid = \"h\"\nname = \"H\"\nrole = \"host\"\ncapital = \"r0\"\ndetention_capacity = {}\nleader = {{ name = \"L\", decisiveness = {}, inclusiveness = {}, integrity = {} }}\n\n",
        f(0.0, 5000.0),
        f(0.0, 1.0),
        f(0.0, 1.0),
        f(0.0, 1.0)
    );
    t += &format!(
        "[[state]]\nid = \"o\"\nname = \"O\"\nrole = \"outside\"\npresence = {}\npresence_end_day = {}\nintel = {}\nexploitation = {}\nguarantee = {}\naid = {}\n\n",
        f(0.0, 3000.0),
        1 + f(0.0, 80.0) as u32,
        f(0.0, 1.0),
        f(0.0, 0.2),
        f(0.0, 1.0),
        f(0.0, 1.0)
    );
    for s in 0..n_segments {
        t += &format!(
            "[[segment]]\nid = \"s{s}\"\nname = \"S{s}\"\nneighbor = \"P\"\nlength_km = {}\nterrain = {}\nregion = \"r{}\"\ncrossing = [{{ id = \"x{s}a\", name = \"A\", kind = \"official\", capacity_per_day = {} }}, {{ id = \"x{s}b\", name = \"B\", kind = \"informal\", capacity_per_day = {}, revenue_per_day = {} }}]\n\n",
            f(0.0, 900.0),
            f(0.0, 1.0),
            s % 2,
            f(0.0, 5000.0),
            f(0.0, 500.0),
            f(0.0, 10000.0)
        );
    }
    t += &format!(
        "[[armed_group]]\nid = \"army\"\nname = \"Army\"\nrole = \"state_force\"\nfighters = {}\nfill_rate = {}\nmorale = {}\ncost_per_fighter = 30\nthreshold_mean = {}\nthreshold_sd = {}\nallocation = [{{ segment = \"s0\", share = {} }}, {{ region = \"r0\", share = {} }}]\n\n",
        f(0.0, 100000.0),
        f(0.0, 1.0),
        f(0.0, 1.0),
        f(0.0, 1.0),
        f(0.0, 0.3),
        f(0.0, 0.5),
        f(0.0, 0.5)
    );
    t += &format!(
        "[[armed_group]]\nid = \"ins\"\nname = \"Ins\"\nrole = \"insurgency\"\nfighters = {}\nmorale = {}\ncost_per_fighter = 10\nthreshold_mean = 0.5\nthreshold_sd = 0.1\nabroad = {}\ninfiltration = {{ segment = \"s0\", per_day = {} }}\n\n",
        f(0.0, 20000.0),
        f(0.0, 1.0),
        f(0.0, 5000.0),
        f(0.0, 200.0)
    );
    for i in 0..n_factions {
        t += &format!(
            "[[armed_group]]\nid = \"f{i}\"\nname = \"F{i}\"\nrole = \"faction\"\nregion = \"r{}\"\nfighters = {}\nfill_rate = {}\nmorale = {}\nideology = {}\nallegiance = {{ patron = {}, host = {}, self = {} }}\nstance = \"aligned\"\ncost_per_fighter = {}\nillicit_revenue = {}\nsponsor_dependence = {}\nthreshold_mean = {}\nthreshold_sd = {}\nsplinter = {{ id = \"f{i}h\", name = \"F{i} hard\" }}\n\n",
            i % 2,
            f(0.0, 20000.0),
            f(0.0, 1.0),
            f(0.0, 1.0),
            f(0.0, 1.0),
            f(0.01, 1.0),
            f(0.0, 1.0),
            f(0.0, 1.0),
            f(0.0, 60.0),
            f(0.0, 100000.0),
            f(0.0, 1.0),
            f(0.0, 1.0),
            f(0.0, 0.3)
        );
        t += &format!(
            "[[tie]]\nfrom = \"p\"\nto = \"f{i}\"\nkind = \"funds\"\nweight = {}\n[[tie]]\nfrom = \"f{i}\"\nto = \"p\"\nkind = \"ideology\"\nweight = {}\n[[tie]]\nfrom = \"h\"\nto = \"f{i}\"\nkind = \"pays\"\nweight = {}\n[[tie]]\nfrom = \"f{i}\"\nto = \"x0b\"\nkind = \"controls\"\nweight = {}\n[[tie]]\nfrom = \"o\"\nto = \"f{i}\"\nkind = \"hostile\"\nweight = {}\n\n",
            f(0.0, 1.0),
            f(0.0, 1.0),
            f(0.0, 1.0),
            f(0.0, 1.0),
            f(0.0, 1.0)
        );
    }
    t += &format!(
        "[[community]]\nid = \"c0\"\nname = \"C0\"\nregion = \"r0\"\npopulation = {}\npatron_alignment = {}\nhardship = {}\nlegitimacy = {}\n\n",
        f(0.0, 5e6),
        f(0.0, 1.0),
        f(0.0, 1.0),
        f(0.0, 1.0)
    );
    t += &format!(
        "[[community]]\nid = \"c1\"\nname = \"C1\"\nregion = \"r1\"\npopulation = {}\npatron_alignment = {}\nhardship = {}\nlegitimacy = {}\n\n",
        f(0.0, 5e6),
        f(0.0, 1.0),
        f(0.0, 1.0),
        f(0.0, 1.0)
    );
    t += "[[authority]]\nid = \"cl\"\nname = \"Cl\"\nrole = \"cleric\"\nguidance = \"calm\"\n[[tie]]\nfrom = \"c0\"\nto = \"cl\"\nkind = \"ideology\"\nweight = 0.5\n\n";
    t += &format!(
        "[[shock]]\nid = \"s\"\nname = \"S\"\nevent = [{{ id = \"c\", kind = \"collapse\", patron = \"p\", day = {seed_day}, duration_days = {}, floor = {} }}, {{ id = \"w\", kind = \"withdrawal\", patron = \"p\", from = \"o\", to = \"h\", share = {}, day = 2 }}, {{ id = \"a\", kind = \"announcement\", sponsor = \"o\", expectation_drop = {}, cut = {}, delay_days = 5, day = 3 }}, {{ id = \"g\", kind = \"guidance\", authority = \"cl\", guidance = \"mobilization\", hazard = {{ per_day = 0.05, from = 1, to = 30 }} }}, {{ id = \"off\", kind = \"offensive\", group = \"ins\", region = \"r0\", day = 10 }}, {{ id = \"k\", kind = \"leader_killed\", group = \"f0\", morale_drop = 0.3, day = 4 }}, {{ id = \"st\", kind = \"strike\", by = \"o\", group = \"f0\", fighters_killed = 50, day = 5 }}, {{ id = \"su\", kind = \"successor\", patron = \"p\", capacity = 0.2, continuity = 0.1, day = 60 }}]\n\n",
        f(0.0, 30.0),
        f(0.0, 1.0),
        f(0.0, 1.0),
        f(0.0, 1.0),
        f(0.0, 1.0)
    );
    t += "[[lever]]\nid = \"b\"\nkind = \"border_share\"\nforce = \"army\"\nsegments = [\"s0\"]\n[[lever]]\nid = \"im\"\nkind = \"offer\"\npart = \"immunity\"\n[[lever]]\nid = \"fo\"\nkind = \"force\"\n[[lever]]\nid = \"pa\"\nkind = \"payroll\"\ntargets = [\"f0\"]\n[[lever]]\nid = \"gu\"\nkind = \"guarantee\"\npower = \"o\"\n[[lever]]\nid = \"po\"\nkind = \"policing\"\n\n";
    t += "[[coa]]\nid = \"a\"\nname = \"A\"\n[[coa]]\nid = \"b\"\nname = \"B\"\nset = [{ lever = \"b\", value = 0.9, day = 1 }, { lever = \"im\", value = 1.0, day = 2 }, { lever = \"pa\", value = 0.0, day = 3 }, { lever = \"gu\", value = 1.0, day = 1 }, { lever = \"po\", value = 1.0, day = 1 }]\ntrigger = [{ when = { outcome = \"holdout_fighters\", op = \">\", value = 0 }, from_day = 5, lever = \"fo\", value = 1.0 }]\n\n";
    t += "[[future]]\nid = \"x\"\nname = \"X\"\nwhen = [{ outcome = \"capital_held\", op = \"<\", value = 1 }]\n[[future]]\nid = \"y\"\nname = \"Y\"\n";
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn random_valid_scenarios_never_panic_and_keep_invariants(
        n_factions in 1usize..4,
        n_segments in 1usize..3,
        figures in proptest::collection::vec(0.0f64..1.0, 64),
        collapse_day in 1u32..40,
        seed in 0u64..1000,
    ) {
        let text = random_scenario(n_factions, n_segments, figures, collapse_day);
        let s = patronfall_scenario::parse("random.toml", &text).unwrap_or_else(|e| panic!("{}\n{text}", e.render()));
        for c in 0..s.ids.coas.len() {
            let mut probe = Probe::new(&s.world);
            let r = run(RunSpec { world: &s.world, coa: CoaId::at(c), shock: s.default_shock, days: 90, seed }, &mut probe);
            prop_assert!(r.problems.is_empty(), "{:?}", r.problems);
            prop_assert!(probe.violations.is_empty(), "{:?}", &probe.violations[..probe.violations.len().min(5)]);
        }
    }
}
