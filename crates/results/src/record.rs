//! The record of one run as JSON: what `patronfall run --json` prints and
//! the Python package's `run` returns. Its keys are the outcome catalogue's
//! names (docs/results.md).

use patronfall_model::{
    CoaId, Condition, LogEntry, Outcome, PARAMETERS, Recorder, RunResult, ShockId, Stat,
};
use patronfall_scenario::Scenario;
use serde_json::{Value, json};

/// The record of a run of `s` with `coa`, `shock` and `seed` that returned
/// `result`, with the daily series and the log `rec` kept: version,
/// scenario, settings, parameters, the future and why, every outcome's
/// start and reductions, the final stances, the series and the log.
pub fn run_record(
    s: &Scenario,
    coa: CoaId,
    shock: Option<ShockId>,
    seed: u64,
    result: &RunResult,
    rec: &Recorder,
) -> Value {
    let future = result.future.map(|f| s.ids.futures[f].clone());
    let coa_name = &s.ids.coas[coa.index()];
    let shock_name = shock.map_or_else(|| "none".to_string(), |k| s.ids.shocks[k.index()].clone());
    let outcomes: serde_json::Map<String, Value> = Outcome::ALL
        .iter()
        .map(|o| {
            (
                o.name().to_string(),
                json!({
                    "start": result.start.get(*o),
                    "end": result.reductions.value(*o, Stat::End),
                    "max": result.reductions.value(*o, Stat::Max),
                    "min": result.reductions.value(*o, Stat::Min),
                    "mean": result.reductions.value(*o, Stat::Mean),
                }),
            )
        })
        .collect();
    let series: serde_json::Map<String, Value> = Outcome::ALL
        .iter()
        .map(|o| {
            (
                o.name().to_string(),
                json!(rec.series.iter().map(|d| d.get(*o)).collect::<Vec<_>>()),
            )
        })
        .collect();
    // Factions (splinters once formed) and insurgencies; a splinter that
    // never broke away is `not_formed`; the state's forces have none.
    let stances: serde_json::Map<String, Value> = s
        .ids
        .groups
        .iter()
        .enumerate()
        .filter(|&(g, _)| s.world.groups[g].role != patronfall_model::GroupRole::StateForce)
        .map(|(g, id)| {
            let label = if result.has_stance[g] {
                result.stances[g].name()
            } else {
                "not_formed"
            };
            (id.clone(), json!(label))
        })
        .collect();
    let params: serde_json::Map<String, Value> = PARAMETERS
        .iter()
        .map(|p| (p.name.to_string(), json!((p.get)(&s.world.params))))
        .collect();
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "scenario": { "id": s.id, "file": s.file, "sha256": s.hash },
        "coa": coa_name,
        "shock": shock_name,
        "seed": seed,
        "days": result.days,
        "parameters": params,
        "future": future,
        "why": why_json(s, result),
        "capital_fell": result.capital_fell,
        "problems": result.problems,
        "outcomes": outcomes,
        "final_stances": stances,
        "series": series,
        "log": rec.log.iter().map(entry_json).collect::<Vec<_>>(),
    })
}

/// One entry of a run's log: day, topic, importance, text and its numbers.
pub fn entry_json(e: &LogEntry) -> Value {
    let numbers: serde_json::Map<String, Value> = e
        .numbers
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    json!({ "day": e.day, "topic": e.topic.name(), "importance": e.importance, "text": e.text, "numbers": numbers })
}

/// Why the run reached its future: per future, whether it was reached and
/// each condition's value, threshold, margin and whether it held.
fn why_json(s: &Scenario, result: &RunResult) -> Value {
    let futures: Vec<Value> = s
        .world
        .futures
        .iter()
        .enumerate()
        .map(|(f, fu)| {
            let conditions: Vec<Value> = fu
                .conditions
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    let m = result.margins[f][k];
                    json!({
                        "outcome": c.outcome.name(),
                        "stat": c.stat.name(),
                        "op": c.op.symbol(),
                        "threshold": c.value,
                        "value": result.reductions.value(c.outcome, c.stat),
                        "margin": m,
                        "held": Condition::held(c.op, m),
                    })
                })
                .collect();
            json!({
                "future": s.ids.futures[f],
                "reached": result.future == Some(f),
                "conditions": conditions,
            })
        })
        .collect();
    json!(futures)
}
