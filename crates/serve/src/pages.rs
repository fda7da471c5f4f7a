//! The pages, rendered on the server: the home page (the baseline's
//! futures, the what-if form, the history) and a job's page (its progress,
//! or its futures beside the baseline's with the paired differences, the
//! figures it changed, its exports and its reports), a job's drivers
//! (sensitivity, scenario discovery, signposts) and a drivers job's
//! elementary effects. Every piece of scenario or user text is escaped;
//! the one script is `static/app.js`.

use crate::jobs::{self, Finished, Job, ReportState, Status, Work};
use crate::{App, default_shock};
use patronfall_analysis::futures::FutureTable;
use patronfall_report::html::escape;
use patronfall_results::analyses::compare::Comparison;
use patronfall_results::analyses::discover::Discovery;
use patronfall_results::analyses::sensitivity::{MorrisEffect, Sensitivity};
use patronfall_results::analyses::signposts::Signposts;
use patronfall_results::analyses::{self, Analysis, Stored};
use std::path::{Path, PathBuf};

/// A page around `body`; `job` is the job the script follows, if any.
fn page(app: &App, title: &str, body: &str, job: Option<usize>) -> String {
    let follow = job.map_or(String::new(), |id| {
        format!("<meta name=\"patronfall-job\" content=\"{id}\">")
    });
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"patronfall-token\" content=\"{token}\">{follow}\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/static/style.css\">\
         <script src=\"/static/app.js\" defer></script></head>\
         <body><header><a href=\"/?token={token}\">patronfall serve</a> · {scenario}</header>\
         <main>{body}</main></body></html>\n",
        token = escape(&app.token),
        title = escape(title),
        scenario = escape(&app.runner.scenario.title),
    )
}

/// A link to a page of the server, with the token.
fn href(app: &App, path: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    escape(&format!("{path}{sep}token={}", app.token))
}

fn pct(v: f64) -> String {
    format!("{:.1}", v * 100.0)
}

fn signed(v: f64) -> String {
    if v > 0.0 {
        format!("+{v:.1}")
    } else {
        format!("{v:.1}")
    }
}

/// A future's display name.
fn future_name(app: &App, id: &str) -> String {
    let s = &app.runner.scenario;
    s.ids
        .futures
        .iter()
        .position(|f| f == id)
        .map_or_else(|| id.to_string(), |i| s.futures[i].name.clone())
}

/// A course of action's display name.
fn coa_name(app: &App, id: &str) -> String {
    let s = &app.runner.scenario;
    s.ids
        .coas
        .iter()
        .position(|c| c == id)
        .map_or_else(|| id.to_string(), |i| s.coas[i].name.clone())
}

/// A futures table: courses of action down, futures across, each share
/// with its interval.
fn futures_table(app: &App, t: &FutureTable, id: &str) -> String {
    let mut h = format!(
        "<table id=\"{id}\" class=\"futures\"><thead><tr><th>course of action</th><th>runs</th>"
    );
    for f in &t.futures {
        h.push_str(&format!("<th>{}</th>", escape(&future_name(app, f))));
    }
    h.push_str("</tr></thead><tbody>");
    for (c, coa) in t.coas.iter().enumerate() {
        h.push_str(&format!(
            "<tr data-coa=\"{}\"><th>{}</th><td>{}</td>",
            escape(coa),
            escape(&coa_name(app, coa)),
            t.runs[c]
        ));
        for (f, future) in t.futures.iter().enumerate() {
            let cell = match t.share[c][f] {
                Some(i) => format!(
                    "{}% <small>({}–{})</small>",
                    pct(i.estimate),
                    pct(i.lower),
                    pct(i.upper)
                ),
                None => "–".into(),
            };
            h.push_str(&format!(
                "<td data-future=\"{}\">{cell}</td>",
                escape(future)
            ));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    h
}

/// A progress bar the script keeps current.
fn progress(job: &Job) -> String {
    let p = job.progress();
    format!(
        "<div id=\"progress\" class=\"progress\"><progress max=\"{total}\" value=\"{done}\"></progress> \
         <span id=\"progress-text\">{phase}: {done} of {total} runs</span> \
         <button type=\"button\" id=\"cancel\" data-job=\"{id}\">Cancel</button></div>",
        total = p.total.max(1),
        done = p.done,
        phase = escape(&p.phase),
        id = job.id
    )
}

/// The home page.
pub fn home(app: &App) -> String {
    let s = &app.runner.scenario;
    let settings = &app.runner.settings;
    let shock = default_shock(s);
    let mut body = format!(
        "<h1>{}</h1><p class=\"meta\">{} · {} samples per course of action, seed {}, {} days, sampler lhs-keyed · workspace folder <code>{}</code></p>",
        escape(&s.title),
        escape(&s.file),
        settings.runs,
        settings.seed,
        settings.days,
        escape(&app.workspace.relative(&app.runner.session)),
    );
    body.push_str(&format!(
        "<section id=\"baseline\"><h2>Futures of the baseline (shock {})</h2>",
        escape(&shock)
    ));
    let first = app.baseline_job(&shock);
    match (app.runner.baseline(&shock), &first) {
        (Some(b), j) => {
            if let Some(t) = &b.table {
                body.push_str(&futures_table(app, t, "baseline-futures"));
                body.push_str(&format!(
                    "<p class=\"meta\">{} runs in {:.1} s · results <code>{}</code></p>",
                    t.runs.iter().sum::<u64>(),
                    b.seconds,
                    escape(&app.workspace.relative(&b.results))
                ));
            }
            if let Some(j) = j {
                body.push_str(&format!(
                    "<p><a id=\"baseline-drivers\" href=\"{}\">The baseline's drivers</a> (sensitivity, scenario discovery, signposts)</p>",
                    href(app, &format!("/jobs/{}/drivers", j.id))
                ));
            }
        }
        (None, Some(j)) => match j.status() {
            Status::Failed(m) => {
                body.push_str(&format!("<pre class=\"error\">{}</pre>", escape(&m)))
            }
            Status::Cancelled => {
                body.push_str("<p>The baseline was cancelled; a what-if runs it again.</p>")
            }
            _ => {
                body.push_str(&format!(
                    "<meta name=\"patronfall-job\" content=\"{}\">",
                    j.id
                ));
                body.push_str(&progress(j));
            }
        },
        (None, None) => body.push_str("<p>The baseline has not started.</p>"),
    }
    body.push_str("</section>");
    body.push_str(&what_if_form(app));
    body.push_str(&history(app));
    page(app, &format!("patronfall serve: {}", s.title), &body, None)
}

/// The what-if form: courses of action, shock, figures, note.
fn what_if_form(app: &App) -> String {
    let s = &app.runner.scenario;
    let mut h = String::from(
        "<section id=\"what-if\"><h2>What if…</h2><form id=\"what-if-form\"><fieldset><legend>Courses of action</legend>",
    );
    for (id, d) in s.ids.coas.iter().zip(&s.coas) {
        h.push_str(&format!(
            "<label title=\"{desc}\"><input type=\"checkbox\" name=\"coa\" value=\"{id}\" checked> {name}</label>",
            id = escape(id),
            name = escape(&d.name),
            desc = escape(&d.description)
        ));
    }
    h.push_str("</fieldset><fieldset><legend>Shock</legend><select id=\"shock\" name=\"shock\">");
    let default = default_shock(s);
    for id in s.ids.shocks.iter().map(String::as_str).chain(["none"]) {
        let sel = if id == default { " selected" } else { "" };
        h.push_str(&format!(
            "<option value=\"{0}\"{sel}>{0}</option>",
            escape(id)
        ));
    }
    h.push_str(
        "</select></fieldset>\
         <fieldset><legend>Figures and levers to change</legend>\
         <input type=\"search\" id=\"figure-search\" placeholder=\"search figures and levers, e.g. border_forces fighters\" autocomplete=\"off\">\
         <div class=\"scroll\"><table id=\"figure-results\" class=\"figures\"><thead><tr><th>figure</th><th>value</th><th>uncertain</th><th>sources</th><th>basis</th><th></th></tr></thead><tbody></tbody></table></div>\
         <table id=\"edits\" class=\"figures\"><thead><tr><th>changed figure</th><th>was</th><th>new value (TOML: number, [low, high] or a distribution)</th><th></th></tr></thead><tbody></tbody></table>\
         </fieldset>\
         <label>Note <input type=\"text\" id=\"note\" maxlength=\"500\" placeholder=\"why, in a line (written into the scenario file)\"></label> \
         <button type=\"submit\" id=\"run\">Run the what-if</button>\
         <pre id=\"what-if-error\" class=\"error\" hidden></pre></form></section>",
    );
    h
}

/// What a what-if changed, in a line.
fn changes_line(job: &Job) -> String {
    match &job.work {
        Work::Baseline { shock } => format!("baseline, shock {shock}"),
        Work::Drivers(d) => format!(
            "drivers of job {}: {}, {} Morris trajectories, figures grouped by {}",
            d.of, d.coa, d.trajectories, d.grouping
        ),
        Work::WhatIf(w) => {
            let changed: Vec<String> = w
                .changes
                .iter()
                .map(|c| format!("{} = {}", c.path, c.now))
                .collect();
            let what = if changed.is_empty() {
                "no figure changed".to_string()
            } else {
                changed.join("; ")
            };
            format!("shock {}; {what}", w.shock)
        }
    }
}

/// Every job, newest first, with the what-ifs kept from earlier starts;
/// then the history's entries that could not be read.
fn history(app: &App) -> String {
    let mut h = String::from(
        "<section id=\"history\"><h2>History</h2><p class=\"meta\">Finished what-ifs are kept in the workspace and listed again when the server starts on it.</p><table class=\"history\"><thead><tr><th>job</th><th>status</th><th>what</th><th>note</th><th>folder</th></tr></thead><tbody>",
    );
    for j in app.jobs().iter().rev() {
        let (note, folder) = match &j.work {
            Work::WhatIf(w) => (w.note.clone(), app.workspace.relative(&w.folder)),
            Work::Drivers(d) => (String::new(), app.workspace.relative(&d.dir)),
            Work::Baseline { .. } => (String::new(), String::new()),
        };
        h.push_str(&format!(
            "<tr data-job=\"{}\"><td><a href=\"{}\">job {}</a></td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            j.id,
            href(app, &format!("/jobs/{}", j.id)),
            j.id,
            j.status().name(),
            escape(&changes_line(j)),
            escape(&note),
            escape(&folder)
        ));
    }
    h.push_str("</tbody></table>");
    if !app.skipped.is_empty() {
        h.push_str(
            "<p>Entries of the history that could not be read, skipped:</p><ul id=\"skipped\">",
        );
        for m in &app.skipped {
            h.push_str(&format!("<li><code>{}</code></li>", escape(m)));
        }
        h.push_str("</ul>");
    }
    h.push_str("</section>");
    h
}

/// A job's page.
pub fn job(app: &App, job: &Job) -> String {
    let mut body = format!(
        "<h1>Job {}</h1><p class=\"meta\" id=\"job-what\">{}</p>",
        job.id,
        escape(&changes_line(job))
    );
    let status = job.status();
    body.push_str(&format!(
        "<p>Status: <strong id=\"job-status\">{}</strong></p>",
        status.name()
    ));
    let follow = match &status {
        Status::Queued | Status::Running => {
            body.push_str(&progress(job));
            true
        }
        Status::Failed(m) => {
            body.push_str(&format!("<pre class=\"error\">{}</pre>", escape(m)));
            false
        }
        Status::Cancelled => {
            body.push_str("<p>Cancelled before it finished.</p>");
            false
        }
        Status::Ready(f) => {
            match &job.work {
                Work::Drivers(d) => body.push_str(&effects(app, d.of, &f.results)),
                _ => body.push_str(&finished(app, job, f)),
            }
            job.report() == ReportState::Pending
        }
    };
    page(
        app,
        &format!("patronfall serve: job {}", job.id),
        &body,
        follow.then_some(job.id),
    )
}

/// A finished job: futures and paired differences, changes, exports, reports.
fn finished(app: &App, job: &Job, f: &Finished) -> String {
    let mut h = String::new();
    match &f.comparison {
        Some(c) => {
            h.push_str(&format!(
                "<p class=\"meta\">The what-if's runs paired with the baseline's ({} samples, seed {}, shock {}, {} figures paired): results in {:.1} s.</p>",
                c.samples, c.seed, escape(&c.shock), c.paired_figures, f.seconds
            ));
            h.push_str(&changed_figures(c));
            h.push_str(&paired(app, c));
        }
        None => {
            if let Some(t) = &f.table {
                h.push_str(&futures_table(app, t, "job-futures"));
            }
            h.push_str(&format!(
                "<p class=\"meta\">Results in {:.1} s.</p>",
                f.seconds
            ));
        }
    }
    h.push_str(&format!(
        "<p><a id=\"drivers\" href=\"{}\">Drivers</a>: what drives the futures (sensitivity, on request), scenario discovery and the signposts to watch.</p>",
        href(app, &format!("/jobs/{}/drivers", job.id))
    ));
    h.push_str("<section id=\"export\"><h2>Export</h2><ul>");
    if let Work::WhatIf(w) = &job.work {
        h.push_str(&format!(
            "<li>Scenario file: <a id=\"export-scenario\" href=\"{}\" download>what-if-{}.toml</a> (in the workspace: <code id=\"scenario-path\">{}</code>)</li>",
            href(app, &format!("/jobs/{}/scenario.toml", job.id)),
            job.id,
            escape(&app.workspace.relative(&w.file))
        ));
    }
    h.push_str(&format!(
        "<li>Results directory: <code id=\"results-path\">{}</code> (for <code>patronfall analyze futures</code>, <code>report</code>, <code>export</code>)</li></ul></section>",
        escape(&app.workspace.relative(&f.results))
    ));
    h.push_str(&explain_form(app, job, f));
    h.push_str("<section id=\"reports\"><h2>Fan charts, the network, a run's narrative and the drivers</h2>");
    match job.report() {
        ReportState::Pending => {
            h.push_str("<p id=\"report-state\">The reports are being built…</p>")
        }
        ReportState::Failed(m) => h.push_str(&format!("<pre class=\"error\">{}</pre>", escape(&m))),
        ReportState::None => h.push_str("<p>This job builds no report.</p>"),
        ReportState::Built => {
            h.push_str("<ul>");
            if f.baseline.is_some() {
                h.push_str(&format!(
                    "<li><a id=\"side-by-side\" href=\"{}\">Baseline and what-if side by side</a></li>",
                    href(app, &format!("/jobs/{}/side-by-side", job.id))
                ));
                h.push_str(&format!(
                    "<li><a href=\"{}\">The baseline's report</a></li>",
                    href(app, &format!("/jobs/{}/baseline-report", job.id))
                ));
            }
            h.push_str(&format!(
                "<li><a id=\"job-report\" href=\"{}\">This job's report</a> (the futures, fan charts of key outcomes, the network at the start and the end, why a representative run reached its future and its turning points, the drivers found by scenario discovery, the signposts to watch)</li></ul>",
                href(app, &format!("/jobs/{}/report", job.id))
            ));
        }
    }
    h.push_str("</section>");
    h
}

fn changed_figures(c: &Comparison) -> String {
    if c.figures.is_empty() && c.entries.is_empty() {
        return "<p>No figure differs from the baseline.</p>".into();
    }
    let mut h = String::from(
        "<table id=\"changed\" class=\"figures\"><thead><tr><th>figure</th><th>baseline</th><th>what-if</th><th>sources</th><th>basis</th></tr></thead><tbody>",
    );
    for f in &c.figures {
        h.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&f.path),
            escape(f.a.as_deref().unwrap_or("(not set)")),
            escape(f.b.as_deref().unwrap_or("(not set)")),
            escape(&f.sources.join(" ")),
            escape(&f.basis)
        ));
    }
    h.push_str("</tbody></table>");
    h
}

/// Per course of action: each future in baseline and what-if with the
/// paired difference and its interval, then the key outcomes.
fn paired(app: &App, c: &Comparison) -> String {
    let level = format!("{:.0}%", c.confidence * 100.0);
    let mut h =
        String::from("<section id=\"paired\"><h2>Futures, baseline and what-if, paired</h2>");
    for coa in &c.coas {
        h.push_str(&format!(
            "<h3>{} <small>({} pairs)</small></h3><table class=\"paired\" data-coa=\"{}\"><thead><tr><th>future</th><th>baseline %</th><th>what-if %</th><th>what-if − baseline, points ({level} paired interval)</th></tr></thead><tbody>",
            escape(&coa_name(app, &coa.coa)),
            coa.pairs,
            escape(&coa.coa)
        ));
        for f in &coa.futures {
            let diff = match (f.difference, f.low, f.high) {
                (Some(d), Some(l), Some(u)) => format!(
                    "{} ({} to {})",
                    signed(d * 100.0),
                    signed(l * 100.0),
                    signed(u * 100.0)
                ),
                _ => "–".into(),
            };
            h.push_str(&format!(
                "<tr data-future=\"{}\"><th>{}</th><td class=\"a\">{} <small>({}–{})</small></td><td class=\"b\">{} <small>({}–{})</small></td><td class=\"d\">{diff}</td></tr>",
                escape(&f.future),
                escape(&future_name(app, &f.future)),
                pct(f.a), pct(f.a_low), pct(f.a_high),
                pct(f.b), pct(f.b_low), pct(f.b_high),
            ));
        }
        h.push_str("</tbody></table>");
        h.push_str(&format!("<table class=\"outcomes\"><thead><tr><th>outcome (last day)</th><th>baseline mean</th><th>what-if mean</th><th>paired difference ({level} t interval)</th></tr></thead><tbody>"));
        let num = |v: Option<f64>| v.map_or("–".to_string(), |x| format!("{x:.3}"));
        for o in &coa.outcomes {
            let diff = match (o.difference, o.low, o.high) {
                (Some(d), Some(l), Some(u)) => format!("{d:+.3} ({l:+.3} to {u:+.3})"),
                _ => "–".into(),
            };
            h.push_str(&format!(
                "<tr><th>{}</th><td>{}</td><td>{}</td><td class=\"d\">{diff}</td></tr>",
                escape(&o.outcome),
                num(o.a_mean),
                num(o.b_mean)
            ));
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</section>");
    h
}

/// The baseline's and the what-if's reports side by side.
pub fn side_by_side(app: &App, job: &Job) -> String {
    let body = format!(
        "<h1>Job {id}: baseline and what-if</h1><p class=\"meta\">{what}</p><div class=\"side\">\
         <iframe title=\"baseline\" src=\"{a}\"></iframe><iframe title=\"what-if\" src=\"{b}\"></iframe></div>",
        id = job.id,
        what = escape(&changes_line(job)),
        a = href(app, &format!("/jobs/{}/baseline-report", job.id)),
        b = href(app, &format!("/jobs/{}/report", job.id)),
    );
    page(
        app,
        &format!("patronfall serve: job {} side by side", job.id),
        &body,
        None,
    )
}

/// The form that asks for one run's explanation.
fn explain_form(app: &App, job: &Job, f: &Finished) -> String {
    let mut h = format!(
        "<section id=\"explain\"><h2>Explain one run</h2><form id=\"explain-form\" method=\"get\" action=\"/jobs/{}/run\"><input type=\"hidden\" name=\"token\" value=\"{}\"><label>Course of action <select name=\"coa\">",
        job.id,
        escape(&app.token)
    );
    for coa in &f.coas {
        h.push_str(&format!(
            "<option value=\"{0}\">{1}</option>",
            escape(coa),
            escape(&coa_name(app, coa))
        ));
    }
    h.push_str(&format!(
        "</select></label> <label>Sample <input type=\"number\" name=\"sample\" min=\"0\" max=\"{}\" value=\"0\"></label> ",
        app.runner.settings.runs.saturating_sub(1)
    ));
    if f.baseline.is_some() {
        h.push_str("<label>Of <select name=\"of\"><option value=\"what-if\">the what-if</option><option value=\"baseline\">the baseline</option></select></label> ");
    }
    h.push_str("<button type=\"submit\" id=\"explain-run\">Explain</button></form><p class=\"meta\">The run is replayed from its sampled values and seed: why it reached its future, and its turning points.</p></section>");
    h
}

/// A page that says what went wrong.
pub fn problem(app: &App, message: &str) -> String {
    page(
        app,
        "patronfall serve: cannot do that",
        &format!("<pre class=\"error\">{}</pre>", escape(message)),
        None,
    )
}

/// One run explained: why its future, then its narrative.
pub fn explained(app: &App, job: &Job, baseline: bool, e: &crate::explain::Explained) -> String {
    let r = &e.run;
    let of = if baseline {
        "the baseline"
    } else if matches!(job.work, Work::WhatIf(_)) {
        "the what-if"
    } else {
        "the baseline"
    };
    let mut body = format!(
        "<h1>Job {}: one run of {of}</h1><p class=\"meta\">{} · sample {} · experiment {} · seed {}</p><p>It reached <strong id=\"run-future\">{}</strong>.</p>",
        job.id,
        escape(&coa_name(app, &r.coa)),
        e.sample,
        escape(&e.experiment),
        r.seed,
        escape(&future_name(app, &r.replayed_future))
    );
    if r.replayed_future != r.recorded_future {
        body.push_str(&format!(
            "<p class=\"error\">The replay reached {} where the ensemble recorded {}: the scenario or the model changed since it ran.</p>",
            escape(&r.replayed_future),
            escape(&r.recorded_future)
        ));
    }
    body.push_str("<section id=\"why\"><h2>Why this future</h2><p class=\"meta\">Futures are checked in order; the first whose conditions all hold is reached. A margin is by how much a condition held (+) or failed (−), in the outcome's unit. Thresholds are shown at their nominal values; an uncertain threshold took this run's sampled value, from which its margin is measured.</p><table class=\"why\"><thead><tr><th>future</th><th>condition</th><th>margin</th><th>held</th></tr></thead><tbody>");
    for (future, conditions) in &e.futures {
        if conditions.is_empty() {
            body.push_str(&format!("<tr><th>{}</th><td>(no condition: reached when no earlier future is)</td><td></td><td>yes</td></tr>", escape(&future_name(app, future))));
        }
        for (c, margin) in conditions {
            let stat = match c.stat.as_str() {
                "max" => "at its highest",
                "min" => "at its lowest",
                "mean" => "on average",
                _ => "at the end",
            };
            body.push_str(&format!(
                "<tr><th>{}</th><td><code>{}</code> {stat} {} {}</td><td>{}</td><td>{}</td></tr>",
                escape(&future_name(app, future)),
                escape(&c.outcome),
                escape(&c.op),
                c.value,
                if margin.is_finite() {
                    format!("{margin:+.3}")
                } else {
                    "–".into()
                },
                if *margin >= 0.0 { "yes" } else { "no" }
            ));
        }
    }
    body.push_str("</tbody></table></section><section id=\"narrative\"><h2>What happened</h2><p class=\"meta\">Turning points over the whole run and notable events in the first 14 days, with the numbers behind them.</p><table class=\"log\"><thead><tr><th>day</th><th>mechanism</th><th>what happened</th><th>numbers</th></tr></thead><tbody>");
    for entry in patronfall_report::representative::narrative(&r.trace.log) {
        let numbers: Vec<String> = entry
            .numbers
            .iter()
            .map(|(k, v)| format!("{k} = {v:.3}"))
            .collect();
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            entry.day,
            escape(entry.topic.name()),
            escape(&entry.text),
            escape(&numbers.join(", "))
        ));
    }
    body.push_str(&format!(
        "</tbody></table></section><p><a href=\"{}\">Back to job {}</a></p>",
        href(app, &format!("/jobs/{}", job.id)),
        job.id
    ));
    page(
        app,
        &format!("patronfall serve: job {}, one run", job.id),
        &body,
        None,
    )
}

/// An analysis saved in `dir`, if it is of the directory's runs: `Ok(None)`
/// when absent, the reason when it cannot be shown.
fn saved<T: Analysis>(dir: &Path) -> Result<Option<T>, String> {
    let sha = patronfall_results::read::runs_sha256(dir).map_err(|e| e.to_string())?;
    match analyses::load::<T>(dir, &sha) {
        Ok(Stored::Current(a)) => Ok(Some(a)),
        Ok(Stored::Absent) => Ok(None),
        Ok(Stored::Stale(why)) => Err(format!("analysis/{}.json {why}", T::NAME)),
        Err(e) => Err(e.to_string()),
    }
}

/// Where a job's drivers jobs write (`None` for a drivers job).
fn drivers_root(app: &App, job: &Job) -> Option<PathBuf> {
    match &job.work {
        Work::WhatIf(w) => Some(w.folder.join("drivers")),
        Work::Baseline { shock } => {
            Some(app.runner.session.join(format!("drivers-baseline-{shock}")))
        }
        Work::Drivers(_) => None,
    }
}

/// A job's drivers: the form that asks for sensitivity, the elementary
/// effects already computed, scenario discovery and the signposts.
pub fn drivers(app: &App, job: &Job) -> Result<String, String> {
    let Status::Ready(f) = job.status() else {
        return Err(format!("job {} has not finished", job.id));
    };
    let Some(root) = drivers_root(app, job) else {
        return Err("a drivers job has no drivers of its own".into());
    };
    let mut body = format!(
        "<h1>Job {}: drivers</h1><p class=\"meta\">{}</p>",
        job.id,
        escape(&changes_line(job))
    );
    // Sensitivity: on request.
    body.push_str("<section id=\"sensitivity\"><h2>What drives the futures (sensitivity)</h2>\
        <p class=\"meta\">The what-if's own runs sit on a Latin hypercube, from which patronfall computes no sensitivity index. \
        A drivers job runs a Morris design of this job's scenario (its figures as changed) for one course of action under its shock, \
        and gives each factor's elementary effects on every future's chance: μ* (the mean absolute effect of moving the factor across its range, in percentage points), \
        its 95% bootstrap interval, σ (how much the effect depends on the other figures) and whether it stands above the noise floor set by the dummy factor, which moves only the dice. \
        Grouping by kind (all figures of one kind, such as every group's fighters, move together) keeps the design small: (factors + 1) × trajectories runs.</p>");
    body.push_str(&format!(
        "<form id=\"drivers-form\" data-job=\"{}\"><label>Course of action <select name=\"coa\">",
        job.id
    ));
    for coa in &f.coas {
        body.push_str(&format!(
            "<option value=\"{0}\">{1}</option>",
            escape(coa),
            escape(&coa_name(app, coa))
        ));
    }
    body.push_str(&format!(
        "</select></label> <label>Group the figures by <select name=\"grouping\"><option value=\"kind\">kind</option><option value=\"entity\">entity</option><option value=\"figures\">nothing (each figure)</option></select></label> \
         <label>Trajectories <input type=\"number\" name=\"trajectories\" min=\"2\" max=\"{}\" value=\"20\"></label> \
         <button type=\"submit\" id=\"run-drivers\">Compute the drivers</button><pre id=\"drivers-error\" class=\"error\" hidden></pre></form>",
        jobs::MAX_TRAJECTORIES
    ));
    let mut found: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    let mut any = false;
    for dir in found {
        let done = patronfall_results::read::whole_manifest(&dir)
            .map(|m| m.complete)
            .unwrap_or(false);
        if !done {
            continue;
        }
        any = true;
        body.push_str(&format!(
            "<h3>{}</h3>",
            escape(&app.workspace.relative(&dir))
        ));
        body.push_str(&effects_tables(app, &dir));
    }
    if !any {
        body.push_str("<p id=\"no-effects\">No drivers computed for this job yet.</p>");
    }
    body.push_str("</section>");
    // Scenario discovery.
    body.push_str("<section id=\"discovery\"><h2>Under which figures a future happens (scenario discovery)</h2>");
    match saved::<Discovery>(&f.results) {
        Ok(Some(d)) => body.push_str(&discovery(app, &d)),
        Ok(None) => body.push_str("<p>No scenario discovery: it runs once the reports are built, for the second most frequent future when ten or more runs reach it.</p>"),
        Err(m) => body.push_str(&format!("<pre class=\"error\">{}</pre>", escape(&m))),
    }
    body.push_str("</section>");
    // Signposts.
    body.push_str("<section id=\"signposts\"><h2>What to watch (signposts)</h2>");
    match saved::<Signposts>(&f.results) {
        Ok(Some(s)) => body.push_str(&signposts(app, &s)),
        Ok(None) => body.push_str("<p>No signposts: they are computed with the reports, from the scenario's indicators (<code>[[indicator]]</code>) the ensemble recorded.</p>"),
        Err(m) => body.push_str(&format!("<pre class=\"error\">{}</pre>", escape(&m))),
    }
    body.push_str(&format!(
        "</section><p><a href=\"{}\">Back to job {}</a></p>",
        href(app, &format!("/jobs/{}", job.id)),
        job.id
    ));
    Ok(page(
        app,
        &format!("patronfall serve: job {}, drivers", job.id),
        &body,
        None,
    ))
}

/// A drivers job's page body: its effects, and the way back.
fn effects(app: &App, of: usize, dir: &Path) -> String {
    format!(
        "{}<p><a id=\"back-to-drivers\" href=\"{}\">All drivers of job {of}</a></p>",
        effects_tables(app, dir),
        href(app, &format!("/jobs/{of}/drivers"))
    )
}

/// Factors shown per future, by μ*.
const TOP_FACTORS: usize = 10;

/// The elementary effects saved in `dir`: one table per future, factors
/// by μ* (the dummy last).
fn effects_tables(app: &App, dir: &Path) -> String {
    let s = match saved::<Sensitivity>(dir) {
        Ok(Some(s)) => s,
        Ok(None) => return "<p>No elementary effects in this directory.</p>".into(),
        Err(m) => return format!("<pre class=\"error\">{}</pre>", escape(&m)),
    };
    let Sensitivity::Morris {
        confidence,
        grouping,
        indices,
    } = s
    else {
        return "<p>These are Sobol indices, not a drivers job's effects.</p>".into();
    };
    let level = format!("{:.0}%", confidence * 100.0);
    let mut outcomes: Vec<&str> = Vec::new();
    for e in &indices {
        if !outcomes.contains(&e.outcome.as_str()) {
            outcomes.push(&e.outcome);
        }
    }
    let num = |v: Option<f64>| v.map_or("–".to_string(), |x| format!("{:.1}", x * 100.0));
    let mut h = format!(
        "<div class=\"effects\" data-dir=\"{}\"><p class=\"meta\">Grouped by {}; μ*, its {level} interval, μ (for a single figure) and σ in percentage points of the future's chance for a move across the factor's whole range (the design's [0, 1] scale); the {TOP_FACTORS} largest μ* of each future, then the dummy.</p>",
        escape(&app.workspace.relative(dir)),
        escape(&grouping)
    );
    for outcome in outcomes {
        let mut rows: Vec<&MorrisEffect> =
            indices.iter().filter(|e| e.outcome == outcome).collect();
        let dummy = rows
            .iter()
            .position(|e| e.factor == patronfall_ensemble::DUMMY)
            .map(|i| rows.remove(i));
        rows.sort_by(|a, b| {
            b.mu_star
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&a.mu_star.unwrap_or(f64::NEG_INFINITY))
        });
        rows.truncate(TOP_FACTORS);
        rows.extend(dummy);
        let title = outcome
            .strip_prefix("future:")
            .map_or_else(|| outcome.to_string(), |f| future_name(app, f));
        let coa = rows
            .first()
            .map_or(String::new(), |e| coa_name(app, &e.coa));
        h.push_str(&format!(
            "<h4>{} <small>({})</small></h4><table class=\"effects\" data-outcome=\"{}\"><thead><tr><th>factor</th><th>figures</th><th>μ*</th><th>{level} interval</th><th>μ</th><th>σ</th><th>above the noise</th><th>basis</th></tr></thead><tbody>",
            escape(&title),
            escape(&coa),
            escape(outcome)
        ));
        for e in rows {
            let interval = match (e.mu_star_low, e.mu_star_high) {
                (Some(l), Some(u)) => format!("{}–{}", num(Some(l)), num(Some(u))),
                _ => "–".into(),
            };
            let figures = if e.figures.len() <= 3 {
                e.figures.join(", ")
            } else {
                format!("{} figures", e.figures.len())
            };
            let above = match e.above_noise {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            };
            h.push_str(&format!(
                "<tr data-factor=\"{}\"><th>{}</th><td>{}</td><td class=\"mu-star\">{}</td><td>{interval}</td><td>{}</td><td>{}</td><td>{above}</td><td>{}</td></tr>",
                escape(&e.factor),
                escape(&e.factor),
                escape(&figures),
                num(e.mu_star),
                // μ has no meaning for a group whose figures move in their
                // own directions.
                if e.figures.len() > 1 {
                    "–".to_string()
                } else {
                    num(e.mu)
                },
                num(e.sigma),
                escape(&e.basis)
            ));
        }
        h.push_str("</tbody></table>");
        if !indices
            .iter()
            .any(|e| e.outcome == outcome && e.above_noise == Some(true))
        {
            h.push_str("<p class=\"meta noise\">No factor stands above the noise floor for this future: the dice move it as much as any factor does at this number of trajectories; more trajectories narrow the intervals.</p>");
        }
    }
    h.push_str("</div>");
    h
}

/// Scenario discovery's box, as people read it.
fn discovery(app: &App, d: &Discovery) -> String {
    let mut h = format!(
        "<p>Runs that reached <strong>{}</strong> ({} of {}{}) and the figures that set them apart (PRIM, {}):</p>",
        escape(&future_name(app, &d.future)),
        d.cases_of_interest,
        d.runs,
        d.coa
            .as_ref()
            .map_or(String::from(", every course of action"), |c| format!(
                ", {}",
                coa_name(app, c)
            )),
        escape(&d.selection)
    );
    let Some(b) = d.boxes.first() else {
        return h + "<p>No box stands out.</p>";
    };
    h.push_str(&format!(
        "<p class=\"meta\">In the box: {}% of the future's runs (coverage), and {}% of the box's runs reach it (density), over {}% of all runs.</p><table id=\"box\" class=\"figures\"><thead><tr><th>figure</th><th>from</th><th>to</th><th>basis</th></tr></thead><tbody>",
        pct(b.coverage),
        pct(b.density),
        pct(b.mass)
    ));
    for l in &b.limits {
        let (from, to) = if l.categories.is_empty() {
            let v = |x: Option<f64>| x.map_or("–".to_string(), |v| format!("{v}"));
            (v(l.low), v(l.high))
        } else {
            (l.categories.join(", "), String::new())
        };
        h.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&l.path),
            escape(&from),
            escape(&to),
            escape(&l.basis)
        ));
    }
    h.push_str("</tbody></table>");
    h
}

/// Indicators shown per course of action.
const TOP_SIGNPOSTS: usize = 5;

/// The signposts: per course of action, the indicators that tell the
/// futures apart earliest and most, each with its strongest sign.
fn signposts(app: &App, s: &Signposts) -> String {
    let mut h = format!(
        "<p class=\"meta\">Indicators ranked by how early and how strongly they tell the futures apart (the share of the uncertainty about the future they remove, {:.0}% intervals); a signpost reads: seeing this makes the future that many times more likely, in odds.</p>",
        s.confidence * 100.0
    );
    let mut coas: Vec<&str> = Vec::new();
    for r in &s.ranking {
        if !coas.contains(&r.coa.as_str()) {
            coas.push(&r.coa);
        }
    }
    for coa in coas {
        h.push_str(&format!(
            "<h3>{}</h3><table class=\"signposts\" data-coa=\"{}\"><thead><tr><th>indicator</th><th>informative from</th><th>share (day)</th><th>strongest signpost</th></tr></thead><tbody>",
            escape(&coa_name(app, coa)),
            escape(coa)
        ));
        for r in s
            .ranking
            .iter()
            .filter(|r| r.coa == coa)
            .take(TOP_SIGNPOSTS)
        {
            let sign = r.sign.as_ref().map_or("–".to_string(), |g| {
                format!(
                    "{} {}: {} {:.1}× more likely ({:.1}–{:.1})",
                    if g.side == "above" {
                        "above"
                    } else {
                        "at most"
                    },
                    g.threshold,
                    future_name(app, &g.future),
                    g.lr.ratio,
                    g.lr.low,
                    g.lr.high
                )
            });
            h.push_str(&format!(
                "<tr><th>{}</th><td>{}</td><td>{}% (day {})</td><td>{}</td></tr>",
                escape(&r.name),
                r.informative_from
                    .map_or("never".to_string(), |d| format!("day {d}")),
                pct(r.share),
                r.day,
                escape(&sign)
            ));
        }
        h.push_str("</tbody></table>");
    }
    h
}
