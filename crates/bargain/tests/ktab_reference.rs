//! Reproduces KTAB's reference logs (`fixtures/ktab/`): the
//! dummyData_3Dim run turn by turn (positions to the printed 0.1, the
//! "Fractional change" sequence to 4 decimals, every state's "prob :"
//! values), the deterministic parts of the seeded stochastic smpExample run,
//! and convergence on the larger dummyData files.

use patronfall_bargain::read::{csv, parse, xml};
use patronfall_bargain::smp::assess::{Assessment, position_probabilities};
use patronfall_bargain::smp::model::Model;
use patronfall_bargain::smp::run::StopReason;
use patronfall_bargain::{RunOptions, SmpParams, run};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/ktab/");

fn fixture(name: &str) -> String {
    let path = format!("{FIXTURES}{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read fixture {path}: {e}"))
}

/// The parts of a KTAB log that its regression script compares.
struct RefLog {
    fractional: Vec<f64>,
    /// (actor, dimension) → values per state.
    positions: Vec<(String, String, Vec<f64>)>,
    /// actor → probability per state.
    probs: Vec<(String, Vec<f64>)>,
}

fn numbers(text: &str) -> Vec<f64> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(|t| t.parse().unwrap())
        .collect()
}

fn read_log(text: &str) -> RefLog {
    let mut log = RefLog {
        fractional: Vec::new(),
        positions: Vec::new(),
        probs: Vec::new(),
    };
    let mut in_history = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Fractional change compared to first step: ") {
            log.fractional
                .push(numbers(rest.split("(target").next().unwrap())[0]);
        } else if line.starts_with("History of actor positions") {
            in_history = true;
        } else if in_history && line.contains(", prob :") {
            let (name, rest) = line.split_once(", prob :").unwrap();
            log.probs.push((name.trim().to_string(), numbers(rest)));
        } else if in_history
            && line.contains(':')
            && !line.starts_with("History")
            && !line.starts_with("SMPModel")
        {
            let (head, rest) = line.split_once(':').unwrap();
            if let Some((actor, dim)) = head.split_once(',') {
                log.positions
                    .push((actor.trim().into(), dim.trim().into(), numbers(rest)));
            }
        }
    }
    log
}

#[test]
fn dummy_data_3dim_reproduces_ktab_turn_by_turn() {
    let scenario = csv::parse(&fixture("dummyData_3Dim.csv"), "dummyData_3Dim.csv").unwrap();
    let log = read_log(&fixture("20170530_ref-dummyData_3Dim.txt"));
    assert_eq!(log.fractional.len(), 10);
    assert_eq!(log.positions.len(), 21);
    assert_eq!(log.probs.len(), 7);

    let r = run(&scenario, &scenario.params, 0, RunOptions::full());
    assert_eq!(r.steps.len(), log.fractional.len(), "number of turns");
    assert_eq!(r.stop, StopReason::Converged);
    for (t, (step, want)) in r.steps.iter().zip(&log.fractional).enumerate() {
        assert!(
            (step.fractional_change - want).abs() <= 0.5e-4 + 1e-9,
            "turn {}: fractional change {:.6} vs KTAB {want}",
            t + 1,
            step.fractional_change
        );
    }
    for (actor, dim, values) in &log.positions {
        let i = scenario
            .actors
            .iter()
            .position(|a| &a.name == actor)
            .unwrap();
        let k = scenario.dimensions.iter().position(|d| d == dim).unwrap();
        assert_eq!(values.len(), r.states.len());
        for (t, want) in values.iter().enumerate() {
            let got = r.states[t].positions[i][k];
            assert!(
                (got - want).abs() <= 0.05 + 1e-9,
                "state {t}, {actor} {dim}: {got:.4} vs KTAB {want}"
            );
        }
    }
    for (actor, values) in &log.probs {
        let i = scenario
            .actors
            .iter()
            .position(|a| &a.name == actor)
            .unwrap();
        for (t, want) in values.iter().enumerate() {
            let got = r.states[t].probabilities.as_ref().unwrap()[i];
            assert!(
                (got - want).abs() <= 0.5e-4 + 1e-9,
                "state {t}, {actor}: prob {got:.6} vs KTAB {want}"
            );
        }
    }
}

#[test]
fn xml_and_csv_copies_of_dummy_data_agree() {
    let a = csv::parse(&fixture("dummyData_3Dim.csv"), "dummyData_3Dim.csv").unwrap();
    let b = xml::parse(&fixture("dummyData_3Dim.xml"), "dummyData_3Dim.xml").unwrap();
    assert_eq!(a.actors, b.actors);
    assert_eq!(b.params, SmpParams::default());
    let ra = run(&a, &a.params, 0, RunOptions::default());
    let rb = run(&b, &b.params, 0, RunOptions::default());
    assert_eq!(ra.states, rb.states);
}

#[test]
fn smp_example_xml_has_an_empty_coordinate_and_says_where() {
    let e = parse(&fixture("smpExample.xml"), "smpExample.xml")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("smpExample.xml:32:"), "{e}");
    assert!(e.contains("position 1 of actor 'Alice' is empty"), "{e}");
}

/// smpExample.xml as KTAB ran it: the log reads Alice's first coordinate as 52.8.
fn smp_example() -> patronfall_bargain::Scenario {
    let text = fixture("smpExample.xml").replacen("<dCoord></dCoord>", "<dCoord>52.8</dCoord>", 1);
    xml::parse(&text, "smpExample.xml").unwrap()
}

#[test]
fn smp_example_deterministic_parts_match_ktab() {
    let s = smp_example();
    assert_eq!(s.seed, Some(3_507_583_219_545_544_127));
    assert_eq!(s.params.pce_model.name(), "MarkovIncentive");
    assert_eq!(s.params.voting_rule.name(), "PropCbc");
    assert_eq!(s.params.state_transitions.name(), "Stochastic");
    let log = read_log(&fixture("20170530_ref-smpExample.txt"));
    // State 0 does not depend on any draw: its probabilities must match.
    let (model, state) = Model::new(&s, &s.params);
    let a = Assessment::new(&model, &state);
    let want_risk = [1.0, -0.387, -0.500, -0.001, -0.298];
    for (got, want) in a.risk.iter().zip(want_risk) {
        assert!((got - want).abs() <= 0.0005 + 1e-9, "risk {:?}", a.risk);
    }
    let pp = position_probabilities(&model, &state, &a);
    for (actor, values) in &log.probs {
        let i = s.actors.iter().position(|a| &a.name == actor).unwrap();
        assert!(
            (pp.actor_prob[i] - values[0]).abs() <= 0.5e-4 + 1e-9,
            "{actor}: {} vs {}",
            pp.actor_prob[i],
            values[0]
        );
    }
    // Later states depend on KTAB's Mersenne-Twister draws and on the order
    // its threads filed bargains, which we do not reproduce: check only that
    // a seeded run is reproducible and converges inside the positions' hull.
    let r1 = run(&s, &s.params, s.seed.unwrap(), RunOptions::full());
    let r2 = run(&s, &s.params, s.seed.unwrap(), RunOptions::full());
    assert_eq!(r1, r2);
    assert!(r1.steps.len() < 100);
}

fn check_converges(name: &str, max_turns: usize) {
    let s = csv::parse(&fixture(name), name).unwrap();
    let r = run(&s, &s.params, 0, RunOptions::default());
    assert_eq!(r.stop, StopReason::Converged, "{name} did not converge");
    assert!(
        r.steps.len() <= max_turns,
        "{name}: {} turns",
        r.steps.len()
    );
    let last = r.steps.last().unwrap().fractional_change;
    assert!(last < 0.02, "{name}: {last}");
    // Bargains interpolate between positions, so the outcome stays in the hull.
    for k in 0..s.num_dims() {
        let lo = s
            .actors
            .iter()
            .map(|a| a.position[k])
            .fold(f64::INFINITY, f64::min);
        let hi = s
            .actors
            .iter()
            .map(|a| a.position[k])
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(r.outcome.expected[k] >= lo - 1e-9 && r.outcome.expected[k] <= hi + 1e-9);
    }
}

#[test]
fn larger_dummy_files_converge() {
    check_converges("dummyData-a040.csv", 100);
    check_converges("dummyData-a080.csv", 100);
    check_converges("dummyData_6Dim.csv", 100);
}
