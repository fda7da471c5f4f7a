//! `patronfall serve` in a real browser, end to end: headless Chromium
//! opens the address the server prints, waits for the baseline's futures,
//! searches the figures for the Border Forces, doubles their range, runs
//! the what-if on two courses of action and sees the paired futures
//! change; then it exports the scenario file (the page's download and the
//! file in the workspace are the same, and `scenario check` reads it),
//! reads the results directory with `analyze futures`, opens the reports
//! side by side, explains one run (why its future, its narrative), opens
//! the drivers (signposts and scenario discovery at once; a Morris design
//! on request, followed to its elementary effects), and checks that the
//! progress came as server-sent events (no page polled), that no page
//! asked any other host for anything and that the pages' policy refused
//! nothing. Last, a second start of the server on the same workspace lists
//! the what-if again. Screenshots go to Cargo's test temporary directory,
//! `serve_browser/`.
//!
//! Without Chromium (`chromium` on the PATH, or `$PATRONFALL_CHROMIUM`)
//! the test says so and passes; `.ci/run` installs Debian's `chromium`.

mod common;

use common::server::Server;
use common::{Browser, base64, chromium, ok, png_size, scratch};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Evaluates `expression` until it is `true` (the page may reload
/// meanwhile), or fails after `timeout`.
fn wait_until(b: &mut Browser, s: &str, expression: &str, timeout: Duration, what: &str) {
    let deadline = Instant::now() + timeout;
    loop {
        let r = b.try_call(
            Some(s),
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        );
        if let Ok(r) = r
            && r["result"]["value"] == json!(true)
        {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: not within {timeout:?}");
        b.idle(Duration::from_millis(100));
    }
}

fn screenshot(b: &mut Browser, s: &str, file: &std::path::Path) {
    let shot = b.call(
        Some(s),
        "Page.captureScreenshot",
        json!({ "format": "png" }),
    );
    let png = base64(shot["data"].as_str().unwrap());
    assert!(png_size(&png).is_some(), "a PNG");
    assert!(
        png.len() > 10_000,
        "a blank screenshot ({} bytes)",
        png.len()
    );
    std::fs::write(file, png).unwrap();
}

#[test]
fn a_what_if_runs_end_to_end_in_chromium_and_asks_no_other_host() {
    let Some(exe) = chromium() else {
        println!(
            "SKIPPED: no Chromium found (install Debian's `chromium` package, as .ci/run does, or set PATRONFALL_CHROMIUM)"
        );
        return;
    };
    let dir = scratch("serve_browser");
    let workspace = dir.join("ws");
    let server = Server::start(&workspace, &["--runs", "50"]);
    let mut b = Browser::launch(&exe, &dir);
    let s = b.page(1280, 1000);
    b.open(&s, &server.url);

    // The page opens on the baseline's futures.
    let long = Duration::from_secs(300);
    wait_until(
        &mut b,
        &s,
        "!!document.querySelector('#baseline-futures')",
        long,
        "the baseline's futures",
    );
    let rows = b.eval(
        &s,
        "document.querySelectorAll('#baseline-futures tbody tr').length",
    );
    assert_eq!(rows, json!(5), "the five courses of action");
    screenshot(&mut b, &s, &dir.join("serve-home.png"));

    // Search, pick the Border Forces' strength, double it.
    b.eval(&s, "document.getElementById('figure-search').focus()");
    b.call(
        Some(&s),
        "Input.insertText",
        json!({ "text": "border_forces fighters" }),
    );
    let row = "#figure-results tr[data-path='armed_group.border_forces.fighters']";
    wait_until(
        &mut b,
        &s,
        "(() => { const rows = [...document.querySelectorAll('#figure-results tbody tr')]; return rows.length > 0 && rows.every((r) => r.dataset.path.includes('border_forces') && r.dataset.path.includes('fighters')); })()",
        long,
        "the search's answer",
    );
    let listed = b.eval(&s, &format!("document.querySelector(\"{row}\").innerText"));
    let listed = listed.as_str().unwrap();
    assert!(
        listed.contains("[20000, 40000]") && listed.contains("S40") && listed.contains("mixed"),
        "{listed}"
    );
    b.eval(
        &s,
        &format!("document.querySelector(\"{row} button.pick\").click()"),
    );
    b.eval(&s, "document.querySelector('#edits button.double').click()");
    let value = b.eval(&s, "document.querySelector('#edits input.value').value");
    assert_eq!(value, json!("[40000, 80000]"));
    b.eval(&s, "document.getElementById('note').focus()");
    b.call(
        Some(&s),
        "Input.insertText",
        json!({ "text": "twice the border forces" }),
    );
    b.eval(
        &s,
        "for (const i of document.querySelectorAll('input[name=coa]')) i.checked = ['passive', 'border_first'].includes(i.value)",
    );
    screenshot(&mut b, &s, &dir.join("serve-what-if.png"));
    b.eval(&s, "document.getElementById('run').click()");

    // The what-if's page: progress, then the paired futures, then the reports.
    wait_until(
        &mut b,
        &s,
        "location.pathname === '/jobs/2'",
        long,
        "the job's page",
    );
    wait_until(
        &mut b,
        &s,
        "!!document.querySelector('#job-report')",
        long,
        "the what-if's results and reports",
    );
    let paired: Value = b.eval(
        &s,
        "[...document.querySelectorAll('table.paired')].map((t) => ({ coa: t.dataset.coa, rows: [...t.querySelectorAll('tbody tr')].map((r) => ({ future: r.dataset.future, a: r.querySelector('.a').innerText, b: r.querySelector('.b').innerText, d: r.querySelector('.d').innerText })) }))",
    );
    let paired = paired.as_array().unwrap();
    let coas: Vec<&str> = paired.iter().map(|t| t["coa"].as_str().unwrap()).collect();
    assert_eq!(coas, ["passive", "border_first"]);
    let changed = paired
        .iter()
        .flat_map(|t| t["rows"].as_array().unwrap())
        .filter(|r| r["a"] != r["b"])
        .count();
    assert!(
        changed > 0,
        "twice the Border Forces changes some future: {paired:?}"
    );
    let figures = b.eval(&s, "document.querySelector('#changed tbody').innerText");
    assert!(
        figures.as_str().unwrap().contains("[40000, 80000]"),
        "{figures}"
    );
    screenshot(&mut b, &s, &dir.join("serve-job.png"));

    // Export: the download is the file in the workspace, and the CLI reads both.
    let scenario_path = b.eval(&s, "document.getElementById('scenario-path').innerText");
    let scenario_file = workspace.join(scenario_path.as_str().unwrap());
    let downloaded = b.call(
        Some(&s),
        "Runtime.evaluate",
        json!({
            "expression": "fetch(document.getElementById('export-scenario').href).then((r) => r.text())",
            "awaitPromise": true,
            "returnByValue": true,
        }),
    );
    let text = std::fs::read_to_string(&scenario_file).unwrap();
    assert_eq!(downloaded["result"]["value"], json!(text));
    assert!(
        text.contains("# what-if: was [20000, 40000]; twice the border forces"),
        "the note"
    );
    let checked = ok(&["scenario", "check", scenario_file.to_str().unwrap()]);
    assert!(checked.starts_with("ok: "), "{checked}");
    let results_path = b.eval(&s, "document.getElementById('results-path').innerText");
    let results = workspace.join(results_path.as_str().unwrap());
    let futures = ok(&["analyze", "futures", results.to_str().unwrap()]);
    assert!(futures.contains("border_first"), "{futures}");

    // The reports side by side, each from this server.
    b.eval(&s, "document.getElementById('side-by-side').click()");
    wait_until(
        &mut b,
        &s,
        "location.pathname === '/jobs/2/side-by-side' && document.readyState === 'complete'",
        long,
        "the side-by-side page",
    );
    wait_until(
        &mut b,
        &s,
        "[...document.querySelectorAll('iframe')].every((f) => f.contentDocument && f.contentDocument.querySelector('#fans'))",
        long,
        "both reports with their fan charts",
    );

    // One run explained: why its future, and its narrative.
    b.open(&s, &server.with_token("/jobs/2"));
    b.eval(
        &s,
        "document.querySelector('#explain-form select[name=coa]').value = 'border_first'; document.querySelector('#explain-form input[name=sample]').value = '3'; document.getElementById('explain-run').click()",
    );
    wait_until(
        &mut b,
        &s,
        "location.pathname === '/jobs/2/run' && !!document.querySelector('#run-future')",
        long,
        "the explained run",
    );
    let why = b.eval(
        &s,
        "({ future: document.getElementById('run-future').innerText, conditions: document.querySelectorAll('table.why tbody tr').length, held: [...document.querySelectorAll('table.why tbody tr')].pop().lastElementChild.innerText, events: document.querySelectorAll('table.log tbody tr').length, meta: document.querySelector('.meta').innerText })",
    );
    assert!(!why["future"].as_str().unwrap().is_empty(), "{why}");
    assert!(why["conditions"].as_u64().unwrap() >= 1, "{why}");
    assert_eq!(
        why["held"], "yes",
        "the last condition listed is of the future reached: {why}"
    );
    assert!(why["events"].as_u64().unwrap() >= 1, "a narrative: {why}");
    assert!(why["meta"].as_str().unwrap().contains("sample 3"), "{why}");
    screenshot(&mut b, &s, &dir.join("serve-run.png"));

    // The drivers: signposts and discovery at once, sensitivity on request.
    b.open(&s, &server.with_token("/jobs/2/drivers"));
    wait_until(
        &mut b,
        &s,
        "!!document.getElementById('drivers-form')",
        long,
        "the drivers page",
    );
    let drivers = b.eval(
        &s,
        "({ signposts: [...document.querySelectorAll('#signposts table.signposts')].map((t) => t.dataset.coa), ranked: document.querySelectorAll('#signposts tbody tr').length, discovery: !!document.querySelector('#discovery h2'), none: !!document.getElementById('no-effects') })",
    );
    assert_eq!(
        drivers["signposts"],
        json!(["passive", "border_first"]),
        "{drivers}"
    );
    assert!(drivers["ranked"].as_u64().unwrap() >= 2, "{drivers}");
    assert_eq!(drivers["discovery"], json!(true), "{drivers}");
    assert_eq!(drivers["none"], json!(true), "no effects yet: {drivers}");
    b.eval(
        &s,
        "const f = document.getElementById('drivers-form'); f.querySelector('[name=coa]').value = 'border_first'; f.querySelector('[name=grouping]').value = 'kind'; f.querySelector('[name=trajectories]').value = '10'; document.getElementById('run-drivers').click()",
    );
    wait_until(
        &mut b,
        &s,
        "location.pathname === '/jobs/3' && !!document.querySelector('table.effects')",
        long,
        "the drivers job's elementary effects",
    );
    let effects = b.eval(
        &s,
        "[...document.querySelectorAll('table.effects')].map((t) => ({ outcome: t.dataset.outcome, factors: [...t.querySelectorAll('tbody tr')].map((r) => r.dataset.factor), mu: [...t.querySelectorAll('td.mu-star')].map((c) => c.innerText) }))",
    );
    let effects = effects.as_array().unwrap();
    let outcomes: Vec<&str> = effects
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes.len(), 5, "every future: {outcomes:?}");
    assert!(
        outcomes.iter().all(|o| o.starts_with("future:")),
        "{outcomes:?}"
    );
    for e in effects {
        let factors = e["factors"].as_array().unwrap();
        assert_eq!(
            factors.last().unwrap(),
            "dummy",
            "the noise floor last: {e}"
        );
        assert!(factors.len() > 2, "{e}");
        assert!(
            factors.iter().any(|f| f.as_str().unwrap().contains('*')),
            "grouped by kind: {e}"
        );
    }
    let results = workspace.join("serve-1/job-2/drivers/border_first.kind.r10");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(results.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["sampler"], "morris");
    assert_eq!(manifest["coas"], json!(["border_first"]));
    let sensitivity = ok(&[
        "analyze",
        "sensitivity",
        results.to_str().unwrap(),
        "--json",
    ]);
    assert!(
        sensitivity.contains("\"method\": \"morris\""),
        "{sensitivity}"
    );
    b.eval(&s, "document.getElementById('back-to-drivers').click()");
    wait_until(
        &mut b,
        &s,
        "location.pathname === '/jobs/2/drivers' && !!document.querySelector('div.effects table.effects')",
        long,
        "the drivers page with the effects",
    );
    screenshot(&mut b, &s, &dir.join("serve-drivers.png"));

    // Nothing but this server was asked for anything, and the policy refused nothing.
    let urls = b.requested_urls();
    let own = |path: &str| format!("{}{path}?token={}", server.base, server.token);
    for id in [2, 3] {
        assert!(
            urls.contains(&own(&format!("/api/jobs/{id}/events"))),
            "job {id}'s progress came as server-sent events: {urls:?}"
        );
    }
    let polled: Vec<&String> = urls
        .iter()
        .filter(|u| {
            u.split('?').next().is_some_and(|p| {
                p.rsplit_once("/api/jobs/")
                    .is_some_and(|(_, id)| id.bytes().all(|c| c.is_ascii_digit()))
            })
        })
        .collect();
    assert!(polled.is_empty(), "no page polls a job: {polled:?}");
    assert!(
        urls.len() > 10,
        "the protocol saw the pages' requests: {urls:?}"
    );
    let elsewhere: Vec<&String> = urls
        .iter()
        .filter(|u| !u.starts_with(&format!("{}/", server.base)))
        .collect();
    assert!(
        elsewhere.is_empty(),
        "requests to other hosts: {elsewhere:?}"
    );
    assert_eq!(b.policy_violations(), Vec::<String>::new());
    assert!(
        b.events_named("Runtime.exceptionThrown").is_empty(),
        "a script error"
    );

    // Stopped and started again on the same workspace: the what-if is listed.
    drop(server);
    let again = Server::start(&workspace, &["--runs", "50"]);
    b.open(&s, &again.url);
    let kept = "document.querySelector('#history tr[data-job=\"1\"]')";
    wait_until(
        &mut b,
        &s,
        &format!("!!{kept}"),
        long,
        "the history after a restart",
    );
    let row = b.eval(&s, &format!("{kept}.innerText"));
    let row = row.as_str().unwrap();
    assert!(
        row.contains("serve-1/job-2")
            && row.contains("twice the border forces")
            && row.contains("ready"),
        "{row}"
    );
    b.eval(&s, &format!("{kept}.querySelector('a').click()"));
    wait_until(
        &mut b,
        &s,
        "location.pathname === '/jobs/1' && document.querySelectorAll('table.paired').length === 2",
        long,
        "the kept what-if's paired futures",
    );
    assert!(
        b.events_named("Runtime.exceptionThrown").is_empty(),
        "a script error"
    );
    b.close();
}
