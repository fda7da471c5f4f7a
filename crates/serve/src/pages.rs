//! The pages, rendered on the server: the home page (the baseline's
//! futures, the what-if form, the history) and a job's page (its progress,
//! or its futures beside the baseline's with the paired differences, the
//! figures it changed, its exports and its reports). Every piece of
//! scenario or user text is escaped; the one script is `static/app.js`.

use crate::jobs::{Finished, Job, ReportState, Status, Work};
use crate::{App, default_shock};
use patronfall_analysis::futures::FutureTable;
use patronfall_report::html::escape;
use patronfall_results::analyses::compare::Comparison;

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
    let first = app.job(1);
    match (app.runner.baseline(&shock), &first) {
        (Some(b), _) => {
            body.push_str(&futures_table(app, &b.table, "baseline-futures"));
            body.push_str(&format!(
                "<p class=\"meta\">{} runs in {:.1} s · results <code>{}</code></p>",
                b.table.runs.iter().sum::<u64>(),
                b.seconds,
                escape(&app.workspace.relative(&b.results))
            ));
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

/// Every job, newest first.
fn history(app: &App) -> String {
    let mut h = String::from(
        "<section id=\"history\"><h2>History</h2><table class=\"history\"><thead><tr><th>job</th><th>status</th><th>what</th><th>note</th></tr></thead><tbody>",
    );
    for j in app.jobs().iter().rev() {
        let note = match &j.work {
            Work::WhatIf(w) => w.note.clone(),
            Work::Baseline { .. } => String::new(),
        };
        h.push_str(&format!(
            "<tr><td><a href=\"{}\">job {}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            href(app, &format!("/jobs/{}", j.id)),
            j.id,
            j.status().name(),
            escape(&changes_line(j)),
            escape(&note)
        ));
    }
    h.push_str("</tbody></table></section>");
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
            body.push_str(&finished(app, job, f));
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
            h.push_str(&futures_table(app, &f.table, "job-futures"));
            h.push_str(&format!(
                "<p class=\"meta\">Results in {:.1} s.</p>",
                f.seconds
            ));
        }
    }
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
    for coa in &f.table.coas {
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
