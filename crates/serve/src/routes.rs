//! URLs: the pages, the JSON the page's script asks for, a job's progress
//! as server-sent events, the reports and the exported scenario files.
//! Every handler runs behind [`guard::check`].
//!
//! Progress: `/api/jobs/{id}/events` is a stream of server-sent events
//! (`text/event-stream`), one `status` event with the job's state as JSON
//! at once and after every change, ending once the job is settled (ended,
//! its report built or failed). The page opens it with `EventSource`,
//! which cannot send a header, so the token travels in the URL's query,
//! as in every link of the pages. `/api/jobs/{id}` answers the same JSON
//! once, for scripts and tests.

use crate::jobs::{self, Job, ReportState, Status, Work};
use crate::whatif::{self, Request};
use crate::{App, catalogue, guard, pages};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

/// The application's routes, behind the guard.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/jobs/{id}", get(job))
        .route("/jobs/{id}/report", get(report))
        .route("/jobs/{id}/baseline-report", get(baseline_report))
        .route("/jobs/{id}/side-by-side", get(side_by_side))
        .route("/jobs/{id}/scenario.toml", get(scenario_file))
        .route("/jobs/{id}/run", get(one_run))
        .route("/jobs/{id}/drivers", get(drivers_page))
        .route("/api/figures", get(figures))
        .route("/api/jobs/{id}", get(job_status))
        .route("/api/jobs/{id}/events", get(job_events))
        .route("/api/jobs/{id}/cancel", post(cancel))
        .route("/api/jobs/{id}/drivers", post(drivers))
        .route("/api/what-ifs", post(what_if))
        .route("/static/app.js", get(script))
        .route("/static/style.css", get(style))
        .fallback(|| async { (StatusCode::NOT_FOUND, "no such page") })
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            guard::check,
        ))
        .with_state(app)
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no such job").into_response()
}

async fn home(State(app): State<Arc<App>>) -> Html<String> {
    Html(pages::home(&app))
}

async fn job(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    match app.job(id) {
        Some(j) => Html(pages::job(&app, &j)).into_response(),
        None => not_found(),
    }
}

/// A report built by `patronfall_report`, with its own (stricter) policy.
fn report_file(path: std::path::PathBuf) -> Response {
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let mut r = Html(text).into_response();
            r.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(patronfall_report::html::CSP),
            );
            r
        }
        Err(_) => (StatusCode::NOT_FOUND, "the report is not built yet").into_response(),
    }
}

async fn report(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    match app.job(id).map(|j| j.status()) {
        Some(Status::Ready(f)) => report_file(f.results.join("report.html")),
        Some(_) => (StatusCode::NOT_FOUND, "the job has not finished").into_response(),
        None => not_found(),
    }
}

async fn baseline_report(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    match app.job(id).map(|j| j.status()) {
        Some(Status::Ready(f)) => match &f.baseline {
            Some(b) => report_file(b.join("report.html")),
            None => report_file(f.results.join("report.html")),
        },
        Some(_) => (StatusCode::NOT_FOUND, "the job has not finished").into_response(),
        None => not_found(),
    }
}

async fn side_by_side(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    match app.job(id) {
        Some(j) if j.report() == ReportState::Built => {
            Html(pages::side_by_side(&app, &j)).into_response()
        }
        Some(_) => (StatusCode::NOT_FOUND, "the reports are not built yet").into_response(),
        None => not_found(),
    }
}

async fn scenario_file(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    let Some(j) = app.job(id) else {
        return not_found();
    };
    let Work::WhatIf(w) = &j.work else {
        return (
            StatusCode::NOT_FOUND,
            "a baseline has no scenario file of its own",
        )
            .into_response();
    };
    match std::fs::read_to_string(&w.file) {
        Ok(text) => {
            let mut r = text.into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/toml; charset=utf-8"),
            );
            if let Ok(v) =
                HeaderValue::from_str(&format!("attachment; filename=\"what-if-{id}.toml\""))
            {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot read the scenario file: {e}"),
        )
            .into_response(),
    }
}

#[derive(Deserialize)]
struct RunChoice {
    coa: String,
    sample: usize,
    /// `baseline` for the baseline's run; the job's own otherwise.
    #[serde(default)]
    of: String,
}

async fn one_run(
    State(app): State<Arc<App>>,
    Path(id): Path<usize>,
    Query(c): Query<RunChoice>,
) -> Response {
    let Some(job) = app.job(id) else {
        return not_found();
    };
    let Status::Ready(f) = job.status() else {
        return (StatusCode::NOT_FOUND, "the job has not finished").into_response();
    };
    let baseline = c.of == "baseline" && f.baseline.is_some();
    let (dir, scenario) = match (&job.work, baseline) {
        (Work::WhatIf(w), false) => (f.results.clone(), w.scenario.clone()),
        (_, true) => (
            f.baseline.clone().unwrap_or_default(),
            f.baseline_scenario
                .clone()
                .unwrap_or_else(|| app.runner.scenario.clone()),
        ),
        (Work::Baseline { .. }, false) => (f.results.clone(), app.runner.scenario.clone()),
        (Work::Drivers(_), false) => {
            return (
                StatusCode::NOT_FOUND,
                "a drivers job's runs sit on a Morris design: explain a run of the job it drives",
            )
                .into_response();
        }
    };
    let work = app.clone();
    let answer = tokio::task::spawn_blocking(move || {
        match crate::explain::explain(&scenario, &dir, &c.coa, c.sample) {
            Ok(e) => (StatusCode::OK, pages::explained(&work, &job, baseline, &e)),
            Err(m) => (StatusCode::UNPROCESSABLE_ENTITY, pages::problem(&work, &m)),
        }
    })
    .await;
    match answer {
        Ok((status, html)) => (status, Html(html)).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

#[derive(Deserialize)]
struct Search {
    #[serde(default)]
    q: String,
}

/// Figures shown per search.
const SEARCH_LIMIT: usize = 40;

async fn figures(
    State(app): State<Arc<App>>,
    Query(s): Query<Search>,
) -> Json<Vec<catalogue::Figure>> {
    Json(
        catalogue::search(&app.figures, &s.q, SEARCH_LIMIT)
            .into_iter()
            .cloned()
            .collect(),
    )
}

/// A job's state as JSON: the answer of `/api/jobs/{id}` and the data of
/// each of its events.
fn status_json(j: &Job) -> serde_json::Value {
    let p = j.progress();
    let status = j.status();
    let error = match &status {
        Status::Failed(m) => Some(m.clone()),
        _ => None,
    };
    json!({
        "id": j.id,
        "status": status.name(),
        "phase": p.phase,
        "done": p.done,
        "total": p.total,
        "error": error,
        "report": j.report().name(),
    })
}

async fn job_status(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    match app.job(id) {
        Some(j) => Json(status_json(&j)).into_response(),
        None => not_found(),
    }
}

/// The job's state as server-sent events: now, then after every change
/// (changes that come faster than the page reads are folded into one),
/// until it is settled.
async fn job_events(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    let Some(job) = app.job(id) else {
        return not_found();
    };
    let changes = job.subscribe();
    let stream = futures_util::stream::unfold(
        (job, changes, true, false),
        |(job, mut changes, first, over)| async move {
            if over {
                return None;
            }
            if !first && changes.changed().await.is_err() {
                return None;
            }
            changes.borrow_and_update();
            let settled = job.settled();
            let event = Event::default()
                .event("status")
                .json_data(status_json(&job))
                .map_err(|e| std::io::Error::other(e.to_string()));
            Some((event, (job, changes, false, settled)))
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn cancel(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    match app.job(id) {
        Some(j) => {
            j.cancel();
            Json(json!({ "id": id, "cancel": true })).into_response()
        }
        None => not_found(),
    }
}

/// A request for a job's sensitivity drivers.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DriversRequest {
    coa: String,
    grouping: String,
    trajectories: usize,
}

fn refused(status: StatusCode, message: String) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// Queues a drivers job for job `id` (or answers with the one already
/// writing its directory).
async fn drivers(
    State(app): State<Arc<App>>,
    Path(id): Path<usize>,
    body: axum::body::Bytes,
) -> Response {
    let r: DriversRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return refused(
                StatusCode::BAD_REQUEST,
                format!("the request is not a drivers request: {e}"),
            );
        }
    };
    let Some(of) = app.job(id) else {
        return not_found();
    };
    let Status::Ready(f) = of.status() else {
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("job {id} has not finished"),
        );
    };
    let (scenario, root) = match &of.work {
        Work::WhatIf(w) => (w.scenario.clone(), w.folder.join("drivers")),
        Work::Baseline { shock } => (
            app.runner.scenario.clone(),
            app.runner.session.join(format!("drivers-baseline-{shock}")),
        ),
        Work::Drivers(_) => {
            return refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "a drivers job has no drivers of its own".into(),
            );
        }
    };
    if !f.coas.contains(&r.coa) {
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "`{}` is not a course of action of job {id}; it ran: {}",
                r.coa,
                f.coas.join(", ")
            ),
        );
    }
    if jobs::grouping(&r.grouping).is_none() {
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "`{}` is not a grouping; choose `kind`, `entity` or `figures`",
                r.grouping
            ),
        );
    }
    if r.trajectories < 2 || r.trajectories > jobs::MAX_TRAJECTORIES {
        return refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "trajectories: {} is out of range; give 2 to {} (μ*'s interval needs several)",
                r.trajectories,
                jobs::MAX_TRAJECTORIES
            ),
        );
    }
    let dir = jobs::drivers_dir(&root, &r.coa, &r.grouping, r.trajectories);
    if let Some(j) = app.writing(&dir) {
        return Json(json!({ "id": j.id, "url": format!("/jobs/{}", j.id) })).into_response();
    }
    let shock = of.shock().to_string();
    let submitted = app.submit(|_| {
        Ok::<_, String>(Work::Drivers(Box::new(jobs::Drivers {
            of: id,
            coa: r.coa,
            grouping: r.grouping,
            trajectories: r.trajectories,
            shock,
            scenario,
            dir,
        })))
    });
    match submitted {
        Ok(j) => Json(json!({ "id": j.id, "url": format!("/jobs/{}", j.id) })).into_response(),
        Err(m) => refused(StatusCode::UNPROCESSABLE_ENTITY, m),
    }
}

async fn drivers_page(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    let Some(j) = app.job(id) else {
        return not_found();
    };
    let work = app.clone();
    match tokio::task::spawn_blocking(move || pages::drivers(&work, &j)).await {
        Ok(Ok(html)) => Html(html).into_response(),
        Ok(Err(m)) => (StatusCode::NOT_FOUND, m).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn what_if(State(app): State<Arc<App>>, body: axum::body::Bytes) -> Response {
    let request: Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({ "error": format!("the request is not a what-if: {e}") })),
            )
                .into_response();
        }
    };
    // Checking writes the scenario file and parses it: a blocking job.
    let work = app.clone();
    let submitted = tokio::task::spawn_blocking(move || {
        work.submit(|id| {
            let folder = format!("job-{id}");
            let session = work.workspace.relative(&work.runner.session);
            whatif::check(
                request,
                &work.runner.scenario,
                &work.text,
                &work.workspace,
                &[session.as_str(), folder.as_str()],
            )
            .map(|w| Work::WhatIf(Box::new(w)))
        })
    })
    .await;
    match submitted {
        Ok(Ok(job)) => {
            Json(json!({ "id": job.id, "url": format!("/jobs/{}", job.id) })).into_response()
        }
        Ok(Err(message)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "error": message })),
        )
            .into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({ "error": e.to_string() })),
        )
            .into_response(),
    }
}

async fn script() -> Response {
    static_file(
        include_str!("../static/app.js"),
        "text/javascript; charset=utf-8",
    )
}

async fn style() -> Response {
    static_file(
        include_str!("../static/style.css"),
        "text/css; charset=utf-8",
    )
}

fn static_file(text: &'static str, kind: &'static str) -> Response {
    let mut r = text.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    r
}
