//! `patronfall serve`'s safety rules over plain HTTP: the token on every
//! request but a static file, its own `Host` only (DNS rebinding), its own
//! `Origin` only, JSON for what changes state, the policy headers; a
//! what-if refused with the scenario reader's own message; at most
//! `--jobs` ensembles at once, and cancelling; a job's progress as
//! server-sent events behind the same rules; a drivers request checked;
//! the what-ifs kept in the workspace and listed again after a restart,
//! a corrupt entry reported and skipped.

mod common;

use common::server::Server;
use common::{patronfall, scratch};
use std::time::{Duration, Instant};

const TWICE: &str = r#"{"coas":["passive"],"shock":"abrupt_collapse","edits":[{"path":"armed_group.border_forces.fighters","value":"[40000, 80000]"}],"note":"twice"}"#;

/// Waits until job `id` has one of `states`; returns its status JSON.
fn wait_for(server: &Server, id: usize, states: &[&str]) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let j = server.get(&format!("/api/jobs/{id}")).json();
        if states.iter().any(|s| j["status"] == *s) {
            return j;
        }
        assert!(Instant::now() < deadline, "job {id} stays {j}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn requests_without_the_token_or_from_elsewhere_are_refused() {
    let dir = scratch("serve_guard/refused");
    let server = Server::start(&dir.join("ws"), &["--runs", "5"]);
    let own = server.base.clone();

    // The page needs the token, in the query or the header.
    assert_eq!(server.request("GET", "/", &[], "").status, 401);
    assert_eq!(server.request("GET", "/?token=0123", &[], "").status, 401);
    let wrong = "0".repeat(server.token.len());
    assert_eq!(
        server
            .request("GET", &format!("/?token={wrong}"), &[], "")
            .status,
        401
    );
    let page = server.request("GET", &format!("/?token={}", server.token), &[], "");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-security-policy")
            .map(|c| c.starts_with("default-src 'self'")),
        Some(true)
    );
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(server.get("/api/jobs/1").status, 200);
    for path in [
        "/api/jobs/1",
        "/api/figures?q=border",
        "/jobs/1",
        "/jobs/1/scenario.toml",
    ] {
        assert_eq!(server.request("GET", path, &[], "").status, 401, "{path}");
    }
    // Static files are public, but only at the server's own address.
    assert_eq!(server.request("GET", "/static/app.js", &[], "").status, 200);

    // Another name for the same address (DNS rebinding) is refused, token or not.
    for host in ["evil.example", "evil.example:80", "127.0.0.1:1"] {
        let r = server.request(
            "GET",
            &format!("/?token={}", server.token),
            &[("Host", host)],
            "",
        );
        assert_eq!(r.status, 403, "Host {host}");
        let r = server.request("GET", "/static/app.js", &[("Host", host)], "");
        assert_eq!(r.status, 403, "Host {host}");
    }
    let localhost = format!("localhost:{}", server.host.rsplit(':').next().unwrap());
    let r = server.request(
        "GET",
        &format!("/?token={}", server.token),
        &[("Host", &localhost)],
        "",
    );
    assert_eq!(r.status, 200, "localhost is the loopback's own name");

    // A page elsewhere cannot post, even with the token.
    let token = server.token.clone();
    let post = |headers: &[(&str, &str)]| {
        server
            .request("POST", "/api/what-ifs", headers, TWICE)
            .status
    };
    let json = ("Content-Type", "application/json");
    let t = ("x-patronfall-token", token.as_str());
    assert_eq!(post(&[t, json, ("Origin", "http://evil.example")]), 403);
    assert_eq!(post(&[t, json, ("Origin", "null")]), 403);
    assert_eq!(
        post(&[t, json, ("Origin", &own), ("Sec-Fetch-Site", "cross-site")]),
        403
    );
    assert_eq!(
        post(&[t, ("Content-Type", "text/plain"), ("Origin", &own)]),
        415
    );
    assert_eq!(post(&[json, ("Origin", &own)]), 401);
    assert_eq!(
        server.request("DELETE", "/api/jobs/1", &[t], "").status,
        405
    );
    assert_eq!(server.get("/jobs/99").status, 404);
    assert_eq!(server.get("/jobs/..%2F..%2Fetc/report").status, 400);
    let r = server.post_json("/api/what-ifs", TWICE);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["id"], 2);
}

#[test]
fn a_what_if_is_checked_by_the_scenario_rules_with_their_messages() {
    let dir = scratch("serve_guard/checked");
    let server = Server::start(&dir.join("ws"), &["--runs", "5"]);
    let bad = TWICE.replace("[40000, 80000]", "[-5, 80000]");
    let r = server.post_json("/api/what-ifs", &bad);
    assert_eq!(r.status, 422, "{}", r.body);
    let message = r.json()["error"].as_str().unwrap().to_string();

    // The same change in a file: `scenario check` says the same.
    let text = patronfall_scenario::builtin_text("iraq-after-tehran").unwrap();
    let file = dir.join("bad.toml");
    let changed = text.replacen("fighters = [20000, 40000]", "fighters = [-5, 80000]", 1);
    assert_ne!(
        changed, *text,
        "the built-in scenario writes the Border Forces as a range"
    );
    std::fs::write(&file, changed).unwrap();
    let out = patronfall(&["scenario", "check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let cli = String::from_utf8_lossy(&out.stderr).into_owned();
    let problem = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("error: "))
            .and_then(|l| l.split_once(": armed_group."))
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_else(|| panic!("no problem line in {text}"))
    };
    assert_eq!(problem(&message), problem(&cli));
    assert!(message.contains("out of range"), "{message}");

    for (body, says) in [
        (
            TWICE.replace("armed_group.border_forces", "armed_group.nobody"),
            "names no figure",
        ),
        (
            TWICE.replace("\"passive\"", "\"surrender\""),
            "not a course of action",
        ),
        (TWICE.replace("abrupt_collapse", "asteroid"), "not a shock"),
        (
            TWICE.replace("[40000, 80000]", "[40000,"),
            "not a TOML value",
        ),
        ("{\"coas\": 1}".to_string(), "not a what-if"),
    ] {
        let r = server.post_json("/api/what-ifs", &body);
        assert!(r.status == 422 || r.status == 400, "{body}: {}", r.status);
        assert!(
            r.json()["error"].as_str().unwrap().contains(says),
            "{body}: {}",
            r.body
        );
    }
    // Nothing refused became a job or a file.
    let ws = std::fs::read_dir(dir.join("ws/serve-1")).unwrap();
    let names: Vec<String> = ws
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with("job-")), "{names:?}");
    assert_eq!(server.get("/api/jobs/2").status, 404);
}

#[test]
fn at_most_jobs_ensembles_run_at_once_and_a_job_can_be_cancelled() {
    let dir = scratch("serve_guard/jobs");
    // A baseline long enough to be cancelled while it runs.
    let server = Server::start(&dir.join("ws"), &["--runs", "2000", "--jobs", "1"]);
    wait_for(&server, 1, &["running"]);
    let r = server.post_json("/api/what-ifs", TWICE);
    assert_eq!(r.status, 200, "{}", r.body);
    // One slot: the what-if waits while the baseline runs.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.get("/api/jobs/2").json()["status"], "queued");
    assert_eq!(server.get("/api/jobs/1").json()["status"], "running");
    assert_eq!(server.post_json("/api/jobs/2/cancel", "{}").status, 200);
    assert_eq!(server.post_json("/api/jobs/1/cancel", "{}").status, 200);
    let j = wait_for(&server, 1, &["cancelled", "ready", "failed"]);
    assert_eq!(j["status"], "cancelled", "{j}");
    assert!(j["done"].as_u64().unwrap() < 10_000, "stopped early: {j}");
    let j = wait_for(&server, 2, &["cancelled", "ready", "failed"]);
    assert_eq!(j["status"], "cancelled", "{j}");
}

#[test]
fn progress_streams_as_server_sent_events_behind_the_same_rules() {
    let dir = scratch("serve_guard/events");
    let server = Server::start(&dir.join("ws"), &["--runs", "5"]);
    let events = format!("/api/jobs/1/events?token={}", server.token);
    // The stream needs the token (in the query: EventSource sends no
    // header) and the server's own host and origin.
    assert_eq!(
        server.request("GET", "/api/jobs/1/events", &[], "").status,
        401
    );
    let r = server.request("GET", &events, &[("Origin", "http://evil.example")], "");
    assert_eq!(r.status, 403);
    let r = server.request("GET", &events, &[("Sec-Fetch-Site", "cross-site")], "");
    assert_eq!(r.status, 403);
    let r = server.request("GET", &events, &[("Host", "evil.example")], "");
    assert_eq!(r.status, 403);
    // Once the baseline has settled, the stream says so and ends.
    let j = wait_for(&server, 1, &["ready"]);
    assert_eq!(j["status"], "ready");
    let deadline = Instant::now() + Duration::from_secs(120);
    while server.get("/api/jobs/1").json()["report"] == "pending" {
        assert!(Instant::now() < deadline, "the baseline's report is built");
        std::thread::sleep(Duration::from_millis(50));
    }
    let r = server.request("GET", &events, &[], "");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/event-stream"));
    assert!(
        r.header("content-security-policy")
            .is_some_and(|c| c.starts_with("default-src 'self'")),
    );
    let data: Vec<serde_json::Value> = r
        .body
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    assert!(r.body.starts_with("event: status\n"), "{}", r.body);
    assert_eq!(data.len(), 1, "one event for a settled job: {}", r.body);
    assert_eq!(data[0]["status"], "ready");
    assert_eq!(data[0]["report"], "built");
    assert_eq!(server.get("/api/jobs/9/events").status, 404);

    // A drivers request is checked before anything runs.
    for (body, says) in [
        (
            r#"{"coa":"surrender","grouping":"kind","trajectories":4}"#,
            "not a course of action",
        ),
        (
            r#"{"coa":"passive","grouping":"colour","trajectories":4}"#,
            "not a grouping",
        ),
        (
            r#"{"coa":"passive","grouping":"kind","trajectories":1}"#,
            "out of range",
        ),
        (
            r#"{"coa":"passive","grouping":"kind","trajectories":100000}"#,
            "out of range",
        ),
        (r#"{"coa":"passive"}"#, "not a drivers request"),
    ] {
        let r = server.post_json("/api/jobs/1/drivers", body);
        assert!(r.status == 422 || r.status == 400, "{body}: {}", r.status);
        assert!(
            r.json()["error"].as_str().unwrap().contains(says),
            "{body}: {}",
            r.body
        );
    }
    assert_eq!(server.get("/api/jobs/2").status, 404, "nothing was queued");
    let r = server.request(
        "POST",
        "/api/jobs/1/drivers",
        &[
            ("Content-Type", "application/json"),
            ("Origin", &server.base),
        ],
        r#"{"coa":"passive","grouping":"kind","trajectories":4}"#,
    );
    assert_eq!(r.status, 401, "a drivers request needs the token");
}

#[test]
fn what_ifs_are_listed_again_after_a_restart_and_a_corrupt_entry_is_skipped() {
    let dir = scratch("serve_guard/restart");
    let ws = dir.join("ws");
    {
        let server = Server::start(&ws, &["--runs", "5"]);
        let r = server.post_json("/api/what-ifs", TWICE);
        assert_eq!(r.status, 200, "{}", r.body);
        wait_for(&server, 2, &["ready"]);
        // Stopped here (the handle kills it), its what-if finished.
    }
    let kept = ws.join("serve-1/job-2/whatif.json");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&kept).unwrap()).unwrap();
    assert_eq!(record["results"], "serve-1/job-2/results");
    assert_eq!(record["baseline"], "serve-1/baseline-abrupt_collapse");
    // A broken entry beside it, and one that never finished.
    let broken = ws.join("serve-1/job-3");
    std::fs::create_dir_all(broken.join("results")).unwrap();
    std::fs::write(broken.join("whatif.json"), "{\"format\": 1,").unwrap();
    std::fs::create_dir_all(ws.join("serve-1/job-4/results")).unwrap();

    let server = Server::start(&ws, &["--runs", "5"]);
    // The kept what-if is job 1 of this start, finished, its comparison there.
    let j = server.get("/api/jobs/1").json();
    assert_eq!(j["status"], "ready", "{j}");
    let page = server.get("/jobs/1").body;
    assert!(page.contains("id=\"paired\""), "{page}");
    assert!(page.contains("[40000, 80000]"), "{page}");
    let home = server.get("/").body;
    assert!(home.contains("<code>serve-1/job-2</code>"), "{home}");
    assert!(
        home.contains("serve-1/job-3/whatif.json: line 1") && home.contains("skipped"),
        "the broken entry is reported: {home}"
    );
    assert!(home.contains("serve-1/job-4: no whatif.json"), "{home}");
    let log = std::fs::read_to_string(ws.with_extension("log")).unwrap();
    assert!(
        log.contains("warning: history: serve-1/job-3/whatif.json"),
        "{log}"
    );
    // This start's baseline is job 2, in its own folder.
    wait_for(&server, 2, &["ready"]);
    assert!(
        ws.join("serve-2/baseline-abrupt_collapse/manifest.json")
            .exists()
    );
    // A run of the kept what-if's baseline replays from its own scenario.
    let r = server.get("/jobs/1/run?coa=passive&sample=2&of=baseline");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains("class=\"error\""), "{}", r.body);
}
