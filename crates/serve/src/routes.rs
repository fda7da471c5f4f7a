//! URLs: the pages, the JSON the page's script asks for, the reports and
//! the exported scenario files. Every handler runs behind [`guard::check`].

use crate::jobs::{ReportState, Status, Work};
use crate::whatif::{self, Request};
use crate::{App, catalogue, guard, pages};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
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
        .route("/api/figures", get(figures))
        .route("/api/jobs/{id}", get(job_status))
        .route("/api/jobs/{id}/cancel", post(cancel))
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
            app.runner.scenario.clone(),
        ),
        (Work::Baseline { .. }, false) => (f.results.clone(), app.runner.scenario.clone()),
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

async fn job_status(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    let Some(j) = app.job(id) else {
        return not_found();
    };
    let p = j.progress();
    let error = match j.status() {
        Status::Failed(m) => Some(m),
        _ => None,
    };
    let report = match j.report() {
        ReportState::Pending => "pending".to_string(),
        ReportState::Built => "built".to_string(),
        ReportState::Failed(m) => format!("failed: {m}"),
    };
    Json(json!({
        "id": j.id,
        "status": j.status().name(),
        "phase": p.phase,
        "done": p.done,
        "total": p.total,
        "error": error,
        "report": report,
    }))
    .into_response()
}

async fn cancel(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    match app.job(id) {
        Some(j) => {
            j.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            Json(json!({ "id": id, "cancel": true })).into_response()
        }
        None => not_found(),
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
