//! The report in a real browser. Drives the real binary to run a small
//! ensemble of the built-in scenario (Morris design, so the sensitivity
//! section has charts), `analyze sensitivity`, `analyze discover` and
//! `report`, then opens `report.html` in headless Chromium over the DevTools
//! protocol and checks that every section and every chart is present and
//! visible, that each chart's SVG and PNG copies exist under `figures/`,
//! that the page holds no script and requests nothing but itself, and saves
//! a screenshot; a second test prints the page to PDF with the print
//! stylesheet.
//!
//! Without Chromium (`chromium` on the PATH, or `$PATRONFALL_CHROMIUM`) the
//! tests say so and pass; `.ci/run` installs Debian's `chromium`.
//! Outputs (results, screenshots, PDF, the browser's log) stay under
//! Cargo's test temporary directory, in `report_browser/`.

mod common;

use common::{Browser, base64, chromium, file_url, ok, png_size, scratch};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The report's sections, in page order.
const SECTIONS: [&str; 15] = [
    "glance",
    "futures",
    "paired",
    "watch",
    "fans",
    "first72",
    "representative",
    "network",
    "sensitivity",
    "discover",
    "assumptions",
    "narrative",
    "methods",
    "scenario",
    "manifest",
];

/// Height of the first screen, the window the report is opened in.
const FIRST_SCREEN: f64 = 1000.0;

/// What the first screen shows of the futures table: each row's place on
/// the page and the text of its cells.
const FIRST_SCREEN_FUTURES: &str = r#"(() => {
  const table = document.querySelector('#glance table.futures-defined');
  if (!table) return null;
  const firstTable = document.querySelector('main table');
  const rows = [...table.querySelectorAll('tbody tr')].map((tr) => {
    const r = tr.getBoundingClientRect();
    return { top: r.top + window.scrollY, bottom: r.bottom + window.scrollY,
             cells: [...tr.querySelectorAll('td')].map((td) => td.innerText.trim()) };
  });
  const head = table.querySelector('thead').getBoundingClientRect();
  return { first: firstTable === table, headTop: head.top + window.scrollY,
           header: [...table.querySelectorAll('th')].map((th) => th.innerText.trim()), rows };
})()"#;

/// The node labels of each network chart, as the browser lays them out:
/// the boxes (in the SVG's own units) of the label texts inside the
/// network's area, left of the legend and above the list of actors
/// without ties; the chart's title is larger and left out.
const NETWORK_LABELS: &str = r#"(() =>
  [...document.querySelectorAll('figure[data-chart*="network-"] > svg')].map((svg) => {
    const texts = [...svg.querySelectorAll('text')];
    const size = (t) => parseFloat(t.getAttribute('font-size'));
    const smallest = Math.min(...texts.map(size));
    const labels = texts.filter((t) => size(t) === smallest).map((t) => {
      const b = t.getBBox();
      return { text: t.textContent.trim(), x: b.x, y: b.y, w: b.width, h: b.height };
    }).filter((b) => b.x < 1000 && b.y < 760);
    return { id: svg.parentElement.dataset.chart, labels };
  }))()"#;

/// Sections that must hold at least one chart, with a chart id each must hold.
const CHARTED: [(&str, &str); 9] = [
    ("futures", "futures-stacked"),
    ("paired", "paired"),
    ("watch", "watch-"),
    ("fans", "fan-"),
    ("first72", "first-72-hours"),
    ("representative", "stances-"),
    ("network", "network-start"),
    ("sensitivity", "tornado-"),
    ("discover", "discover-"),
];

/// Measures the page: sections and charts with their boxes and styles.
const MEASURE: &str = r#"(() => {
  const shown = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && st.display !== 'none'
      && st.visibility !== 'hidden' && Number(st.opacity) > 0;
  };
  const sections = [...document.querySelectorAll('section[data-section]')].map((s) => ({
    id: s.id,
    shown: shown(s),
    heading: (s.querySelector('h2') || {}).textContent || '',
  }));
  const charts = [...document.querySelectorAll('figure[data-chart]')].map((f) => {
    const svg = f.querySelector(':scope > svg');
    const texts = svg ? [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim() !== '') : [];
    const unseen = texts.filter((t) => { const b = t.getBoundingClientRect(); return !(b.width > 0 && b.height > 0); });
    return {
      id: f.dataset.chart,
      section: (f.closest('section') || {}).id || '',
      shown: shown(f),
      svg: shown(svg),
      width: svg ? svg.getBoundingClientRect().width : 0,
      height: svg ? svg.getBoundingClientRect().height : 0,
      texts: texts.length,
      unseen: unseen.map((t) => t.textContent.trim()).slice(0, 5),
      caption: shown(f.querySelector('figcaption')),
      box: (() => { const r = f.getBoundingClientRect();
        return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height }; })(),
    };
  });
  const handlers = [...document.querySelectorAll('*')].flatMap((el) =>
    [...el.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => el.tagName + '[' + a.name + ']'));
  return {
    title: document.title,
    csp: (document.querySelector('meta[http-equiv="Content-Security-Policy"]') || {}).content || '',
    nav: shown(document.querySelector('nav')),
    sections,
    charts,
    scripts: document.querySelectorAll('script').length,
    images: document.querySelectorAll('img, image, iframe, object, embed, link, video, audio, source').length,
    handlers,
    warnings: [...document.querySelectorAll('.warning')].map((w) => w.textContent),
    height: document.documentElement.scrollHeight,
  };
})()"#;

/// The results directory, built once for the tests of this file.
fn results() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let t = Instant::now();
        let dir = scratch("report_browser").join("results");
        let out = dir.to_str().unwrap();
        ok(&[
            "ensemble",
            "--sampler",
            "morris",
            "--runs",
            "3",
            "--vary",
            "state.iran.*",
            "--days",
            "120",
            "--seed",
            "3",
            "--out",
            out,
        ]);
        ok(&["analyze", "sensitivity", out]);
        let future = most_frequent_future(&dir.join("runs.csv"));
        ok(&[
            "analyze",
            "discover",
            "--future",
            &future,
            "--density",
            "0.01",
            out,
        ]);
        let said = ok(&["report", out]);
        assert!(said.contains("report:"), "{said}");
        println!(
            "results, analyses and report built in {:.1} s: {}",
            t.elapsed().as_secs_f64(),
            dir.display()
        );
        dir
    })
}

/// The future most runs reached (any box of it has some density).
fn most_frequent_future(runs: &Path) -> String {
    let mut r = csv::Reader::from_path(runs).unwrap();
    let col = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "future")
        .expect("a future column");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for row in r.records() {
        *counts.entry(row.unwrap()[col].to_string()).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(f, n)| (*n, std::cmp::Reverse(f.clone())))
        .map(|(f, _)| f)
        .expect("some runs")
}

/// The browser, or `None` after saying why the test is skipped.
fn browser_or_skip(test: &str) -> Option<PathBuf> {
    let exe = chromium();
    if exe.is_none() {
        println!(
            "SKIPPED {test}: no Chromium found (install Debian's `chromium` package, as .ci/run does, or set PATRONFALL_CHROMIUM)"
        );
    }
    exe
}

fn chart_ids(page: &Value) -> Vec<String> {
    page["charts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// Every section shown with its heading, in order; every chart shown with
/// its SVG drawn at a real size and every label laid out.
fn assert_sections_and_charts_shown(page: &Value, when: &str) {
    let sections: Vec<&str> = page["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(sections, SECTIONS, "{when}: sections");
    for s in page["sections"].as_array().unwrap() {
        assert_eq!(
            s["shown"], true,
            "{when}: section {} is not visible",
            s["id"]
        );
        assert!(
            !s["heading"].as_str().unwrap().is_empty(),
            "{when}: section {} has no heading",
            s["id"]
        );
    }
    let charts = page["charts"].as_array().unwrap();
    assert!(!charts.is_empty(), "{when}: no charts");
    for c in charts {
        let id = &c["id"];
        assert_eq!(c["shown"], true, "{when}: chart {id} is not visible");
        assert_eq!(
            c["svg"], true,
            "{when}: the SVG of chart {id} is not visible"
        );
        assert_eq!(
            c["caption"], true,
            "{when}: chart {id} has no visible caption"
        );
        assert!(
            c["width"].as_f64().unwrap() >= 300.0 && c["height"].as_f64().unwrap() >= 80.0,
            "{when}: chart {id} is drawn at {}×{}",
            c["width"],
            c["height"]
        );
        assert!(
            c["texts"].as_u64().unwrap() > 0,
            "{when}: chart {id} has no text"
        );
        assert_eq!(
            c["unseen"],
            json!([]),
            "{when}: labels of chart {id} are not laid out"
        );
    }
    for (section, stem) in CHARTED {
        assert!(
            charts
                .iter()
                .any(|c| c["section"] == section && c["id"].as_str().unwrap().contains(stem)),
            "{when}: section {section} has no `{stem}` chart; charts: {:?}",
            chart_ids(page)
        );
    }
}

#[test]
fn report_in_chromium_shows_every_section_and_chart_and_requests_nothing() {
    let test = "report_in_chromium_shows_every_section_and_chart_and_requests_nothing";
    let Some(exe) = browser_or_skip(test) else {
        return;
    };
    let dir = results();
    let out = scratch(&format!("report_browser/{test}"));
    let t = Instant::now();
    let mut b = Browser::launch(&exe, &out);
    let s = b.page(1280, FIRST_SCREEN as u32);
    let url = file_url(&dir.join("report.html"));
    b.open(&s, &url);
    // Scroll to the end and back, so anything loaded lazily would load.
    b.eval(
        &s,
        "window.scrollTo(0, document.documentElement.scrollHeight)",
    );
    b.idle(Duration::from_millis(500));
    b.eval(&s, "window.scrollTo(0, 0)");
    b.idle(Duration::from_millis(300));
    let page = b.eval(&s, MEASURE);

    assert!(
        page["title"]
            .as_str()
            .unwrap()
            .starts_with("patronfall report: "),
        "{}",
        page["title"]
    );
    assert!(
        page["csp"]
            .as_str()
            .unwrap()
            .starts_with("default-src 'none'"),
        "the page's Content-Security-Policy: {}",
        page["csp"]
    );
    assert_eq!(
        page["nav"], true,
        "the table of contents is shown on screen"
    );
    assert_sections_and_charts_shown(&page, "screen");
    assert_eq!(page["warnings"], json!([]), "the report warns");

    // The first screen shows the futures: the page's first table, every
    // row with its name, its meaning and its conditions, all above the fold.
    let futures = b.eval(&s, FIRST_SCREEN_FUTURES);
    assert_eq!(
        futures["first"], true,
        "the futures table is the first table"
    );
    assert_eq!(
        futures["header"],
        json!(["future", "what it means", "conditions (all must hold)"])
    );
    let rows = futures["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5, "the built-in scenario's five futures");
    for r in rows {
        let cells = r["cells"].as_array().unwrap();
        assert!(
            cells.iter().all(|c| !c.as_str().unwrap().is_empty()),
            "a future without a name, meaning or conditions: {r}"
        );
        assert!(
            r["bottom"].as_f64().unwrap() <= FIRST_SCREEN,
            "a future below the first screen: {r}"
        );
    }
    assert!(
        rows[1]["cells"][0]
            .as_str()
            .unwrap()
            .starts_with("Spillover crisis")
    );
    assert!(
        rows[1]["cells"][1]
            .as_str()
            .unwrap()
            .contains("fire break fails")
    );
    assert!(
        rows[1]["cells"][2]
            .as_str()
            .unwrap()
            .contains("unaffiliated_armed at its highest ≥ 2500")
    );

    // No two node labels of a network drawing overlap, as the browser's
    // own fonts lay them out.
    let networks = b.eval(&s, NETWORK_LABELS);
    let networks = networks.as_array().unwrap();
    assert!(networks.len() >= 2, "the start and end networks");
    for n in networks {
        let labels = n["labels"].as_array().unwrap();
        assert!(labels.len() > 20, "{}: {} labels", n["id"], labels.len());
        let edge = |l: &Value, k: &str| l[k].as_f64().unwrap();
        for (i, a) in labels.iter().enumerate() {
            for c in &labels[i + 1..] {
                let apart = edge(a, "x") + edge(a, "w") <= edge(c, "x") + 0.5
                    || edge(c, "x") + edge(c, "w") <= edge(a, "x") + 0.5
                    || edge(a, "y") + edge(a, "h") <= edge(c, "y") + 0.5
                    || edge(c, "y") + edge(c, "h") <= edge(a, "y") + 0.5;
                assert!(apart, "{}: labels overlap: {a} and {c}", n["id"]);
            }
        }
    }

    // Nothing to run, nothing to fetch.
    assert_eq!(page["scripts"], 0, "the page holds a script");
    assert_eq!(page["images"], 0, "the page holds an element that loads");
    assert_eq!(page["handlers"], json!([]), "the page holds event handlers");
    let urls = b.requested_urls();
    assert!(
        urls.contains(&url),
        "the protocol saw no request for the page itself ({urls:?}), so it would not see others"
    );
    let others: Vec<&String> = urls.iter().filter(|u| **u != url).collect();
    assert!(others.is_empty(), "the page requested {others:?}");
    assert_eq!(b.policy_violations(), Vec::<String>::new());
    assert!(b.events_named("Page.javascriptDialogOpening").is_empty());
    assert!(b.events_named("Runtime.exceptionThrown").is_empty());

    // Every chart on the page is also saved as SVG and PNG, and nothing else is.
    let figures = dir.join("figures");
    let ids = chart_ids(&page);
    for id in &ids {
        let svg = std::fs::read_to_string(figures.join(format!("{id}.svg")))
            .unwrap_or_else(|e| panic!("figures/{id}.svg: {e}"));
        assert!(svg.starts_with("<svg"), "figures/{id}.svg");
        let png = std::fs::read(figures.join(format!("{id}.png")))
            .unwrap_or_else(|e| panic!("figures/{id}.png: {e}"));
        let (w, h) = png_size(&png).unwrap_or_else(|| panic!("figures/{id}.png is not a PNG"));
        assert!(w >= 600 && h >= 160, "figures/{id}.png is {w}×{h}");
    }
    let files = std::fs::read_dir(&figures).unwrap().count();
    assert_eq!(
        files,
        2 * ids.len(),
        "figure files besides the page's charts"
    );

    // Screenshots: the top of the page, and the first chart of each
    // section with charts, as the browser draws them.
    let shot = b.call(
        Some(&s),
        "Page.captureScreenshot",
        json!({ "format": "png" }),
    );
    let top = base64(shot["data"].as_str().unwrap());
    assert_eq!(png_size(&top), Some((1280, 1000)), "screenshot size");
    assert!(
        top.len() > 20_000,
        "a blank screenshot ({} bytes)",
        top.len()
    );
    std::fs::write(out.join("report-top.png"), &top).unwrap();
    for (section, _) in CHARTED {
        let chart = page["charts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["section"] == section)
            .unwrap();
        let mut clip = chart["box"].clone();
        clip["scale"] = json!(1);
        let shot = b.call(
            Some(&s),
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true, "clip": clip }),
        );
        let png = base64(shot["data"].as_str().unwrap());
        let (w, h) = png_size(&png).expect("a PNG");
        assert!(
            w >= 300 && h >= 80,
            "screenshot of {}: {w}×{h}",
            chart["id"]
        );
        assert!(png.len() > 5_000, "a blank screenshot of {}", chart["id"]);
        std::fs::write(out.join(format!("chart-{section}.png")), &png).unwrap();
    }
    b.close();
    println!(
        "{} sections and {} charts shown, only the page requested, in {:.1} s; screenshots under {}",
        SECTIONS.len(),
        ids.len(),
        t.elapsed().as_secs_f64(),
        out.display()
    );
}

/// Pages of a PDF: the `/Type /Page` objects (not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let key = b"/Type /Page";
    pdf.windows(key.len() + 1)
        .filter(|w| &w[..key.len()] == key && w[key.len()] != b's')
        .count()
}

#[test]
fn report_prints_to_pdf_with_the_print_stylesheet() {
    let test = "report_prints_to_pdf_with_the_print_stylesheet";
    let Some(exe) = browser_or_skip(test) else {
        return;
    };
    let dir = results();
    let out = scratch(&format!("report_browser/{test}"));
    let t = Instant::now();
    let mut b = Browser::launch(&exe, &out);
    let s = b.page(1280, 1000);
    b.open(&s, &file_url(&dir.join("report.html")));
    b.call(
        Some(&s),
        "Emulation.setEmulatedMedia",
        json!({ "media": "print" }),
    );
    let page = b.eval(&s, MEASURE);
    assert_eq!(
        page["nav"], false,
        "the print stylesheet hides the table of contents"
    );
    assert_sections_and_charts_shown(&page, "print");
    let pdf = b.call(
        Some(&s),
        "Page.printToPDF",
        json!({ "printBackground": true, "preferCSSPageSize": true }),
    );
    let pdf = base64(pdf["data"].as_str().unwrap());
    std::fs::write(out.join("report.pdf"), &pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let pages = pdf_pages(&pdf);
    assert!(
        pages > 10 && pdf.len() > 100_000,
        "a {pages}-page PDF of {} bytes",
        pdf.len()
    );
    b.close();
    println!(
        "printed {pages} pages ({} kB) in {:.1} s: {}",
        pdf.len() / 1000,
        t.elapsed().as_secs_f64(),
        out.join("report.pdf").display()
    );
}
