//! `patronfall bargain FILE`: runs the bargaining model alone on a KTAB CSV
//! or XML file. With `--model smp` (default) it prints per-turn positions
//! and position probabilities, the predicted outcome, and for every actor
//! and turn which bargain moved it and why; with `--model bdm` it runs the
//! Bueno de Mesquita expected-utility model on each dimension. `--json`
//! prints the same content as one JSON document. No model arithmetic here.

use crate::output::{out, outln};
use patronfall_bargain::bdm::{self, BdmActor, BdmOutcome, BdmParams, BdmRun};
use patronfall_bargain::read::read_path;
use patronfall_bargain::smp::run::{SmpRun, StopReason};
use patronfall_bargain::smp::step::Perspective;
use patronfall_bargain::{RunOptions, Scenario};
use serde_json::{Value, json};

use crate::failure::{CommandResult, Failure};

/// KTAB's default seed, used when neither `--seed` nor the file gives one.
const KTAB_DEFAULT_SEED: u64 = 15_455_440_707_583_219_804;

/// Which bargaining model to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelChoice {
    /// KTAB's Spatial Model of Politics.
    Smp,
    /// Bueno de Mesquita's expected-utility model (Scholz et al. 2011).
    Bdm,
}

/// Arguments of `patronfall bargain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A KTAB CSV or XML file.
    pub file: std::path::PathBuf,
    /// The model to run.
    #[arg(long, value_enum, default_value = "smp")]
    pub model: ModelChoice,
    /// A model parameter as NAME=VALUE, e.g. VotingRule=PropCbc (SMP, KTAB's
    /// names) or Probability=PositiveVotes (BDM); repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Seed for stochastic transitions (default: the file's prngSeed, else KTAB's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command.
pub fn run(args: Args) -> CommandResult {
    let scenario = read_path(&args.file)?;
    let pairs = args
        .params
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .ok_or_else(|| Failure::bad_input(format!("--param {p}: expected NAME=VALUE")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    match args.model {
        ModelChoice::Smp => run_smp(scenario, &pairs, args.seed, args.json),
        ModelChoice::Bdm => run_bdm(&scenario, &pairs, args.json),
    }
}

fn run_smp(
    mut scenario: Scenario,
    pairs: &[(String, String)],
    seed: Option<u64>,
    as_json: bool,
) -> CommandResult {
    for (k, v) in pairs {
        scenario
            .params
            .set(k, v)
            .map_err(|m| Failure::bad_input(format!("--param {k}={v}: {m}")))?;
    }
    let seed = seed.or(scenario.seed).unwrap_or(KTAB_DEFAULT_SEED);
    let result = patronfall_bargain::run(&scenario, &scenario.params, seed, RunOptions::full());
    if as_json {
        outln!("{}", smp_json(&scenario, &result));
    } else {
        out!("{}", smp_text(&scenario, &result));
    }
    Ok(())
}

fn fmt_point(p: &[f64]) -> String {
    let parts: Vec<String> = p.iter().map(|x| format!("{x:.1}")).collect();
    format!("({})", parts.join(", "))
}

/// One sentence per actor and turn: where it went and which bargain did it.
fn explanation(s: &Scenario, r: &SmpRun, t: usize, k: usize) -> String {
    let name = |i: usize| s.actors[i].name.as_str();
    let step = &r.steps[t];
    let mv = &step.moves[k];
    let to = &r.states[t + 1].positions[k];
    let odds = format!(
        "its bargain vote gave this {:.3} among {} options (status quo {:.3})",
        mv.probability, mv.candidates, mv.status_quo_probability
    );
    let Some(b) = mv.bargain else {
        return format!("{} stayed at {}: {odds}", name(k), fmt_point(to));
    };
    let bg = &step.bargains[b];
    let whose = match bg.perspective {
        Perspective::Initiator => "initiator's",
        Perspective::Receiver => "receiver's",
        Perspective::Compromise => "both sides' weighted",
    };
    let ch = step.challenges[bg.initiator].as_ref();
    let why = if bg.initiator == k {
        let c = ch.map(|c| {
            format!(
                " (it estimated it wins with p={:.3} for a gain of {:+.4})",
                c.win_probability, c.gain
            )
        });
        format!(
            "it challenged {}{}",
            name(bg.receiver),
            c.unwrap_or_default()
        )
    } else {
        let c = ch.map(|c| {
            format!(
                " ({} estimated it wins with p={:.3}; {} expected {:+.4} from the contest)",
                name(bg.initiator),
                c.win_probability,
                name(k),
                c.target_gain
            )
        });
        format!(
            "{} challenged it{}",
            name(bg.initiator),
            c.unwrap_or_default()
        )
    };
    format!(
        "{} moved {:.1} to {}: {why} and took the compromise built from the {whose} estimate; {odds}",
        name(k),
        mv.distance,
        fmt_point(to)
    )
}

fn smp_text(s: &Scenario, r: &SmpRun) -> String {
    let mut out = String::new();
    let push = |out: &mut String, line: String| {
        out.push_str(&line);
        out.push('\n');
    };
    push(
        &mut out,
        format!(
            "Scenario: {} ({} actors, {} dimensions), model SMP, seed {}",
            s.name,
            s.num_actors(),
            s.num_dims(),
            r.seed
        ),
    );
    let params: Vec<String> = r
        .params
        .entries()
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    push(&mut out, format!("Parameters: {}", params.join(", ")));
    let reason = match r.stop {
        StopReason::Converged => "movement fell below MinDeltaRatio of the first turn's",
        StopReason::MaxIter => "MaxIter reached",
    };
    push(
        &mut out,
        format!("Stopped after {} turns: {reason}", r.steps.len()),
    );
    push(&mut out, String::new());
    push(&mut out, "Positions by state (0..100):".into());
    for (i, a) in s.actors.iter().enumerate() {
        for (k, d) in s.dimensions.iter().enumerate() {
            let vals: Vec<String> = r
                .states
                .iter()
                .map(|st| format!("{:5.1}", st.positions[i][k]))
                .collect();
            push(&mut out, format!("{}, {}: {}", a.name, d, vals.join(" ")));
        }
    }
    push(
        &mut out,
        "Probability of each actor's position by state:".into(),
    );
    for (i, a) in s.actors.iter().enumerate() {
        let vals: Vec<String> = r
            .states
            .iter()
            .map(|st| {
                format!(
                    "{:.4}",
                    st.probabilities.as_ref().map_or(f64::NAN, |p| p[i])
                )
            })
            .collect();
        push(&mut out, format!("{}, prob: {}", a.name, vals.join(" ")));
    }
    for (t, step) in r.steps.iter().enumerate() {
        push(&mut out, String::new());
        push(
            &mut out,
            format!(
                "Turn {} (fractional change compared to first step {:.4}):",
                step.turn, step.fractional_change
            ),
        );
        for k in 0..s.num_actors() {
            push(&mut out, format!("  {}", explanation(s, r, t, k)));
        }
    }
    push(&mut out, String::new());
    let o = &r.outcome;
    push(
        &mut out,
        format!(
            "Predicted outcome: expected position {}; most likely {} (held by {}, probability {:.4})",
            fmt_point(&o.expected),
            fmt_point(&o.most_likely),
            s.actors[o.most_likely_actor].name,
            o.probabilities.iter().copied().fold(0.0, f64::max)
        ),
    );
    out
}

fn smp_json(s: &Scenario, r: &SmpRun) -> Value {
    let params: serde_json::Map<String, Value> = r
        .params
        .entries()
        .into_iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let turns: Vec<Value> = r
        .steps
        .iter()
        .enumerate()
        .map(|(t, step)| {
            let actors: Vec<Value> = (0..s.num_actors())
                .map(|k| {
                    let mv = &step.moves[k];
                    let bargain = mv.bargain.map(|b| {
                        let bg = &step.bargains[b];
                        json!({
                            "initiator": s.actors[bg.initiator].name,
                            "receiver": s.actors[bg.receiver].name,
                            "perspective": format!("{:?}", bg.perspective),
                            "initiator_position": bg.initiator_position,
                            "receiver_position": bg.receiver_position,
                        })
                    });
                    let challenge = step.challenges[k].as_ref().map(|c| {
                        json!({
                            "target": s.actors[c.target].name,
                            "win_probability": c.win_probability,
                            "gain": c.gain,
                            "target_win_probability": c.target_win_probability,
                            "target_gain": c.target_gain,
                        })
                    });
                    json!({
                        "actor": s.actors[k].name,
                        "position": r.states[t + 1].positions[k],
                        "probability": r.states[t + 1].probabilities.as_ref().map(|p| p[k]),
                        "moved": mv.distance,
                        "bargain": bargain,
                        "bargain_probability": mv.probability,
                        "candidates": mv.candidates,
                        "status_quo_probability": mv.status_quo_probability,
                        "challenge": challenge,
                        "explanation": explanation(s, r, t, k),
                    })
                })
                .collect();
            json!({"turn": step.turn, "fractional_change": step.fractional_change, "actors": actors})
        })
        .collect();
    let initial: Vec<Value> = s
        .actors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            json!({
                "actor": a.name,
                "position": r.states[0].positions[i],
                "probability": r.states[0].probabilities.as_ref().map(|p| p[i]),
            })
        })
        .collect();
    let o = &r.outcome;
    json!({
        "model": "smp",
        "scenario": s.name,
        "dimensions": s.dimensions,
        "seed": r.seed,
        "parameters": params,
        "stop": format!("{:?}", r.stop),
        "initial": initial,
        "turns": turns,
        "outcome": {
            "expected": o.expected,
            "most_likely": o.most_likely,
            "most_likely_actor": s.actors[o.most_likely_actor].name,
            "positions": o.positions,
            "probabilities": o.probabilities,
        }
    })
}

fn run_bdm(s: &Scenario, pairs: &[(String, String)], as_json: bool) -> CommandResult {
    let mut params = BdmParams::default();
    for (k, v) in pairs {
        params
            .set(k, v)
            .map_err(|m| Failure::bad_input(format!("--param {k}={v}: {m}")))?;
    }
    let runs: Vec<BdmRun> = (0..s.num_dims())
        .map(|k| {
            let actors: Vec<BdmActor> = s
                .actors
                .iter()
                .map(|a| BdmActor {
                    name: a.name.clone(),
                    capability: a.capability,
                    position: a.position[k],
                    salience: a.salience[k] / 100.0,
                })
                .collect();
            bdm::run(&actors, &params)
        })
        .collect();
    let kind = |o: BdmOutcome| match o {
        BdmOutcome::Conflict => "lost a conflict to",
        BdmOutcome::Compromise => "compromised with",
        BdmOutcome::Capitulation => "gave in to",
    };
    if as_json {
        let dims: Vec<Value> = runs
            .iter()
            .zip(&s.dimensions)
            .map(|(r, d)| {
                let rounds: Vec<Value> = r
                    .rounds
                    .iter()
                    .map(|rd| {
                        let events: Vec<Value> = rd
                            .events
                            .iter()
                            .map(|e| {
                                json!({
                                    "actor": s.actors[e.receiver].name,
                                    "offer_from": s.actors[e.sender].name,
                                    "outcome": format!("{:?}", e.outcome),
                                    "from": e.from, "to": e.to,
                                })
                            })
                            .collect();
                        json!({"positions": rd.positions, "median": rd.median, "mean": rd.mean,
                               "risk_exponents": rd.risk, "moves": events})
                    })
                    .collect();
                json!({"dimension": d, "rounds": rounds, "final_positions": r.positions,
                       "median": r.median, "mean": r.mean})
            })
            .collect();
        outln!(
            "{}",
            json!({"model": "bdm", "scenario": s.name, "dimensions": dims})
        );
        return Ok(());
    }
    outln!(
        "Scenario: {} ({} actors), model BDM expected utility",
        s.name,
        s.num_actors()
    );
    for (r, d) in runs.iter().zip(&s.dimensions) {
        outln!("\nDimension {d}:");
        for (t, rd) in r.rounds.iter().enumerate() {
            outln!(
                "  Round {}: median {:.2}, weighted mean {:.4}",
                t + 1,
                rd.median,
                rd.mean
            );
            for e in &rd.events {
                outln!(
                    "    {} {} {}: {:.2} -> {:.2}",
                    s.actors[e.receiver].name,
                    kind(e.outcome),
                    s.actors[e.sender].name,
                    e.from,
                    e.to
                );
            }
        }
        outln!(
            "  Predicted: median {:.2}, weighted mean {:.4}",
            r.median,
            r.mean
        );
    }
    Ok(())
}
