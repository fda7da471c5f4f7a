//! `patronfall serve`: a local web application for what-ifs on one
//! scenario.
//!
//! It opens on the futures table of a baseline ensemble; a what-if
//! changes figures (values, ranges, a lever's setting in a course of
//! action), picks courses of action and a shock, and runs on the same
//! samples as the baseline, so that the differences it shows are paired
//! (common random numbers, as `patronfall compare`). Each what-if is a
//! scenario file and a results directory in the workspace that the CLI
//! reads like any other.
//!
//! Key pieces: [`start`] checks the settings, reads the scenario, claims a
//! folder in the workspace and binds the address; [`Server::run`] serves
//! until the process ends. [`guard`] holds the safety rules every request
//! passes (its own host and origin, the per-start token), [`jobs`] runs
//! ensembles on blocking threads with progress and cancellation,
//! [`whatif`] checks a what-if by the scenario rules, [`history`] keeps
//! the finished what-ifs in the workspace and lists them again at the next
//! start, [`catalogue`] lists the figures, [`explain`] replays one run for
//! its narrative, [`pages`] renders HTML on the server, [`routes`] maps
//! URLs to them and streams a job's progress as server-sent events.
//!
//! Absences that define it: it makes no request to any other host and its
//! pages cannot (a Content-Security-Policy of `default-src 'self'`, one
//! small hand-written script served by itself); it reads and writes only
//! inside the workspace; it computes nothing itself (the ensembles, the
//! comparison and the report are the other crates').

pub mod catalogue;
pub mod error;
pub mod explain;
pub mod guard;
pub mod history;
pub mod jobs;
pub mod pages;
pub mod routes;
pub mod whatif;
pub mod workspace;

pub use error::ServeError;

use jobs::{Job, Runner, Settings, Work};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;
use workspace::Workspace;

/// What `patronfall serve` was asked for.
#[derive(Clone, Debug)]
pub struct Config {
    /// A built-in scenario's name or a scenario file.
    pub scenario: String,
    /// The workspace folder.
    pub workspace: PathBuf,
    /// Address to listen on (127.0.0.1 unless the user chooses another).
    pub host: IpAddr,
    /// Port (0: any free one).
    pub port: u16,
    /// Most ensembles running at once.
    pub jobs: usize,
    /// Scenario samples per ensemble.
    pub runs: usize,
    /// Master seed.
    pub seed: u64,
    /// Days per run (the scenario's horizon if absent).
    pub days: Option<u32>,
    /// Worker threads of each ensemble.
    pub threads: usize,
}

/// The server's state, shared by every request.
#[derive(Debug)]
pub struct App {
    /// The per-start secret every request but a static file carries.
    pub token: String,
    /// `host:port` values a request's `Host` may have.
    pub hosts: Vec<String>,
    /// The workspace.
    pub workspace: Workspace,
    /// The scenario's text as read at start.
    pub text: String,
    /// The figures one may change.
    pub figures: Vec<catalogue::Figure>,
    /// Runs the ensembles.
    pub runner: Runner,
    /// Why entries of the workspace's history were skipped at start.
    pub skipped: Vec<String>,
    /// Every job, job `n` at index `n - 1`: the history's what-ifs first,
    /// then this start's.
    jobs: Mutex<Vec<Arc<Job>>>,
    /// Slots for running jobs (`--jobs`).
    limit: Arc<Semaphore>,
}

impl App {
    /// Job `id`, if there is one.
    pub fn job(&self, id: usize) -> Option<Arc<Job>> {
        let jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        id.checked_sub(1).and_then(|i| jobs.get(i)).cloned()
    }

    /// Every job, first asked first.
    pub fn jobs(&self) -> Vec<Arc<Job>> {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The number the next job will have.
    pub fn next_id(&self) -> usize {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).len() + 1
    }

    /// This start's baseline job under `shock`, if there is one.
    pub fn baseline_job(&self, shock: &str) -> Option<Arc<Job>> {
        self.jobs()
            .into_iter()
            .find(|j| matches!(&j.work, Work::Baseline { shock: s } if s == shock))
    }

    /// A queued or running job that writes `dir`, if there is one (two
    /// jobs never write one directory).
    pub fn writing(&self, dir: &std::path::Path) -> Option<Arc<Job>> {
        self.jobs().into_iter().find(|j| {
            matches!(&j.work, Work::Drivers(d) if d.dir == dir)
                && matches!(j.status(), jobs::Status::Queued | jobs::Status::Running)
        })
    }

    /// Queues a job; it runs on a blocking thread once a slot is free.
    /// `make` gets the job's number.
    pub fn submit<E>(
        self: &Arc<Self>,
        make: impl FnOnce(usize) -> Result<Work, E>,
    ) -> Result<Arc<Job>, E> {
        let job = {
            let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
            let id = jobs.len() + 1;
            let job = Arc::new(Job::new(id, make(id)?));
            jobs.push(job.clone());
            job
        };
        let (app, queued, limit) = (self.clone(), job.clone(), self.limit.clone());
        tokio::spawn(async move {
            let Ok(slot) = limit.acquire_owned().await else {
                return;
            };
            let _ = tokio::task::spawn_blocking(move || {
                app.runner.run(&queued);
                drop(slot);
            })
            .await;
        });
        Ok(job)
    }
}

/// A server bound to its address, not yet serving.
pub struct Server {
    listener: std::net::TcpListener,
    runtime: tokio::runtime::Runtime,
    app: Arc<App>,
    url: String,
}

impl Server {
    /// The address to open, with the token: `http://127.0.0.1:PORT/?token=…`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The workspace folder of this start.
    pub fn session(&self) -> &std::path::Path {
        &self.app.runner.session
    }

    /// What-ifs of the workspace's history listed again.
    pub fn kept(&self) -> usize {
        self.app
            .jobs()
            .iter()
            .filter(|j| matches!(j.work, Work::WhatIf(_)))
            .count()
    }

    /// Why entries of the workspace's history were skipped.
    pub fn skipped(&self) -> &[String] {
        &self.app.skipped
    }

    /// Starts the baseline under the scenario's default shock and serves
    /// until the process ends.
    pub fn run(self) -> Result<(), ServeError> {
        let Server {
            listener,
            runtime,
            app,
            ..
        } = self;
        runtime.block_on(async move {
            let shock = default_shock(&app.runner.scenario);
            let _ = app.submit(|_| Ok::<_, ServeError>(Work::Baseline { shock }));
            let listener =
                tokio::net::TcpListener::from_std(listener).map_err(ServeError::Server)?;
            axum::serve(listener, routes::router(app))
                .await
                .map_err(ServeError::Server)
        })
    }
}

/// The scenario's default shock's id, or `none`.
pub fn default_shock(s: &patronfall_scenario::Scenario) -> String {
    s.default_shock
        .map_or_else(|| "none".to_string(), |k| s.ids.shocks[k.index()].clone())
}

/// Reads the scenario, claims this start's folder in the workspace and
/// binds the address.
pub fn start(config: Config) -> Result<Server, ServeError> {
    if config.jobs == 0 {
        return Err(ServeError::BadInput("--jobs: must be at least 1".into()));
    }
    if config.runs == 0 {
        return Err(ServeError::BadInput("--runs: must be at least 1".into()));
    }
    if config.threads == 0 {
        return Err(ServeError::BadInput("--threads: must be at least 1".into()));
    }
    let workspace = Workspace::open(&config.workspace)?;
    // The history of earlier starts, read before this start claims its folder.
    let (kept, skipped) = history::load(&workspace);
    // Read the scenario once: a built-in's text, or the file's, copied into
    // the workspace so that nothing outside it is read again.
    let builtin = patronfall_scenario::builtin_text(&config.scenario);
    let text = match builtin {
        Some(t) => t.to_string(),
        None => std::fs::read_to_string(&config.scenario).map_err(|e| {
            ServeError::BadInput(format!(
                "--scenario {}: cannot read it ({e}); give a scenario file or a built-in name \
                 (`patronfall scenario list`)",
                config.scenario
            ))
        })?,
    };
    let scenario = match builtin {
        Some(_) => patronfall_scenario::open(&config.scenario),
        None => patronfall_scenario::parse(&config.scenario, &text),
    }
    .map_err(|e| ServeError::BadInput(e.render()))?;
    let days = match config.days {
        Some(d) => patronfall_scenario::check_days(u64::from(d))
            .map_err(|e| ServeError::BadInput(format!("--days: {e}")))?,
        None => patronfall_scenario::check_days(u64::from(scenario.world.horizon_days)).map_err(
            |e| ServeError::BadInput(format!("{}: scenario.horizon_days: {e}", scenario.file)),
        )?,
    };
    let session = workspace.session()?;
    let scenario = if builtin.is_some() {
        scenario
    } else {
        let copy = session.join("baseline.toml");
        patronfall_results::write_atomic(&copy, text.as_bytes()).map_err(|source| {
            ServeError::Workspace {
                path: copy.clone(),
                source,
            }
        })?;
        patronfall_scenario::load(&copy).map_err(|e| ServeError::BadInput(e.render()))?
    };
    let address = SocketAddr::new(config.host, config.port);
    let listener = std::net::TcpListener::bind(address).map_err(|source| ServeError::Bind {
        address: address.to_string(),
        source,
    })?;
    listener.set_nonblocking(true).map_err(ServeError::Server)?;
    let port = listener.local_addr().map_err(ServeError::Server)?.port();
    let mut hosts = vec![format!("{}:{port}", host_text(config.host))];
    if config.host.is_loopback() {
        hosts.push(format!("localhost:{port}"));
    }
    let token = guard::new_token().map_err(ServeError::Server)?;
    let url = format!("http://{}/?token={token}", hosts[0]);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Server)?;
    let figures = catalogue::of(&scenario, &text);
    let settings = Settings {
        runs: config.runs,
        seed: config.seed,
        days,
        threads: config.threads,
    };
    let jobs = kept
        .into_iter()
        .enumerate()
        .map(|(i, k)| {
            Arc::new(Job::finished(
                i + 1,
                Work::WhatIf(Box::new(k.what_if)),
                Arc::new(k.finished),
                k.report,
            ))
        })
        .collect();
    let app = Arc::new(App {
        token,
        hosts,
        workspace: workspace.clone(),
        text,
        figures,
        runner: Runner::new(scenario, settings, session, workspace),
        skipped,
        jobs: Mutex::new(jobs),
        limit: Arc::new(Semaphore::new(config.jobs)),
    });
    Ok(Server {
        listener,
        runtime,
        app,
        url,
    })
}

/// An address as it appears in a `Host` header (IPv6 in brackets).
fn host_text(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}
