//! Scenario text is shown as text, never as markup, through the whole
//! pipeline. The template scenario (`patronfall scenario init`) gets names,
//! titles and descriptions holding scripts, images with handlers, links,
//! frames, stylesheets, closing tags, quotes and ampersands, in a file whose
//! own name holds markup; the real binary runs an ensemble of it (which
//! builds the report), and the tests check `report.html` and every SVG
//! figure as bytes, then the page as Chromium parses it: no script, handler,
//! link, frame or extra stylesheet exists, and every hostile name reads as
//! the text it is (skipped, saying so, without Chromium).

mod common;

use common::{Browser, chromium, file_url, ok, patronfall, scratch};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// (line of the template, field to replace in it, hostile text).
const HOSTILE: [(&str, &str, &str); 14] = [
    (
        "title = \"A patron, two proxies and a host state\"",
        "A patron, two proxies and a host state",
        "Hostile </title><script>alert(1)</script> & \"quotes\"",
    ),
    (
        "description = \"A small example to copy from. Day 1 is the first simulated day.\"",
        "A small example to copy from. Day 1 is the first simulated day.",
        "<svg onload=alert(2)> & <b>bold</b> 'single'",
    ),
    (
        "publisher = \"the analyst\"",
        "the analyst",
        "A & B <i>publisher</i>",
    ),
    (
        "title = \"Assumption, no published figure\"",
        "Assumption, no published figure",
        "</td></tr></table><script>alert(3)</script>",
    ),
    (
        "name = \"Pragmatic militia hardliners\"",
        "Pragmatic militia hardliners",
        "Hard <img src=x onerror=alert(4)> 'x'",
    ),
    (
        "name = \"Patron state\"",
        "Patron state",
        "P<script>alert(5)</script>",
    ),
    (
        "name = \"Host state\"",
        "Host state",
        "Host \"state\" & <u>co</u>",
    ),
    (
        "name = \"Prime minister\"",
        "Prime minister",
        "PM <script>alert(6)</script>",
    ),
    (
        "name = \"Loyalist militia\"",
        "Loyalist militia",
        "Loyal<img src=x onerror=alert(7)>",
    ),
    (
        "name = \"Pragmatic militia\"",
        "Pragmatic militia",
        "Prag <a href=http://example.com/>x</a>",
    ),
    (
        "name = \"Capital residents\"",
        "Capital residents",
        "Cap <script>alert(8)</script>",
    ),
    (
        "name = \"Senior cleric\"",
        "Senior cleric",
        "Cleric <style>body{display:none}</style>",
    ),
    (
        "name = \"Eastern border\"",
        "Eastern border",
        "East<script>alert(9)</script>",
    ),
    (
        "name = \"Main gate\"",
        "Main gate",
        "Gate <iframe src=http://example.com/>",
    ),
];

/// Markup that must never appear as markup in the report or its figures.
const RAW: [&str; 13] = [
    "<script",
    "<img",
    "<svg onload",
    "<b>bold",
    "<i>publisher",
    "<u>co",
    "<a href=http",
    "<iframe",
    "<style>body",
    "</title><script",
    "</td></tr></table><script",
    "<b>&",
    "<i>x",
];

/// The scenario file's name, itself holding markup and an ampersand.
const FILE: &str = "hostile-<b>&-scenario.toml";

/// HTML escaping as the report does it, for the expected text.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A TOML basic string holding `text`.
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The hostile scenario's results directory, built once for this file.
fn results() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("report_escaping");
        let template = dir.join("template.toml");
        ok(&["scenario", "init", template.to_str().unwrap()]);
        let mut text = std::fs::read_to_string(&template).unwrap();
        for (line, field, hostile) in HOSTILE {
            assert_eq!(
                text.matches(line).count(),
                1,
                "the template no longer has exactly one `{line}`; update this test"
            );
            let new_line = line.replace(&format!("\"{field}\""), &toml_string(hostile));
            text = text.replacen(line, &new_line, 1);
        }
        let scenario = dir.join(FILE);
        std::fs::write(&scenario, text).unwrap();
        let check = patronfall(&["scenario", "check", scenario.to_str().unwrap()]);
        assert!(
            check.status.success(),
            "the hostile scenario is not valid: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        let out = dir.join("results");
        ok(&[
            "ensemble",
            "--scenario",
            scenario.to_str().unwrap(),
            "--runs",
            "4",
            "--days",
            "60",
            "--seed",
            "5",
            "--out",
            out.to_str().unwrap(),
        ]);
        out
    })
}

#[test]
fn hostile_scenario_text_is_escaped_in_the_report_and_figures() {
    let dir = results();
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let lower = html.to_lowercase();
    for raw in RAW {
        assert!(
            !lower.contains(&raw.to_lowercase()),
            "report.html holds the markup `{raw}`"
        );
    }
    // The page's own markup appears once: one title, one stylesheet.
    assert_eq!(lower.matches("<title>").count(), 1);
    assert_eq!(lower.matches("<style").count(), 1);
    assert_eq!(lower.matches("<body").count(), 1);
    // Each hostile text is there, escaped, where the scenario's tables,
    // the title and the manifest show it.
    for (_, _, hostile) in HOSTILE {
        assert!(
            html.contains(&escaped(hostile)),
            "report.html does not show `{hostile}` as text (expected `{}`)",
            escaped(hostile)
        );
    }
    assert!(html.contains(&escaped(FILE)), "the scenario file's name");
    // The manifest's platform is shown: reruns are bit-identical on it.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let platform = manifest["platform"].as_str().unwrap();
    assert!(!platform.is_empty());
    assert!(html.contains(&escaped(platform)), "the platform {platform}");
    // The figures carry the names in their labels, escaped as well.
    let mut figures = 0;
    for entry in std::fs::read_dir(dir.join("figures")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "svg") {
            figures += 1;
            let svg = std::fs::read_to_string(&path).unwrap().to_lowercase();
            for raw in RAW {
                assert!(
                    !svg.contains(&raw.to_lowercase()),
                    "{} holds the markup `{raw}`",
                    path.display()
                );
            }
        }
    }
    assert!(figures > 5, "only {figures} SVG figures");
    let border = std::fs::read_dir(dir.join("figures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.to_string_lossy().contains("border-") && p.extension().is_some_and(|e| e == "svg")
        })
        .expect("a border-segment figure");
    let svg = std::fs::read_to_string(border).unwrap();
    assert!(
        svg.contains("East&lt;script&gt;alert(9)&lt;/script&gt;"),
        "the segment's name is escaped in its chart"
    );
}

#[test]
fn hostile_scenario_text_reads_as_text_in_chromium() {
    let Some(exe) = chromium() else {
        println!(
            "SKIPPED hostile_scenario_text_reads_as_text_in_chromium: no Chromium found (install Debian's `chromium` package, as .ci/run does, or set PATRONFALL_CHROMIUM)"
        );
        return;
    };
    let dir = results();
    let out = scratch("report_escaping/browser");
    let mut b = Browser::launch(&exe, &out);
    let s = b.page(1280, 1000);
    let url = file_url(&dir.join("report.html"));
    b.open(&s, &url);
    let page = b.eval(
        &s,
        r#"(() => {
          const all = [...document.querySelectorAll('*')];
          return {
            title: document.title,
            text: document.body.innerText,
            svgText: [...document.querySelectorAll('svg text')].map((t) => t.textContent).join('\n'),
            bodyShown: getComputedStyle(document.body).display !== 'none'
              && document.body.getBoundingClientRect().height > 1000,
            scripts: document.querySelectorAll('script').length,
            styles: document.querySelectorAll('style').length,
            loaders: document.querySelectorAll('img, image, iframe, object, embed, link, video, audio, source, a[href^="http"], svg[onload]').length,
            handlers: all.flatMap((el) => [...el.attributes]
              .filter((a) => a.name.toLowerCase().startsWith('on'))
              .map((a) => el.tagName + '[' + a.name + ']')),
            tags: [...new Set(all.map((el) => el.tagName.toLowerCase()))].sort(),
          };
        })()"#,
    );
    assert_eq!(page["scripts"], 0, "a script element exists");
    assert_eq!(page["styles"], 1, "a second stylesheet exists");
    assert_eq!(page["loaders"], 0, "an element that loads exists");
    assert_eq!(page["handlers"], json!([]), "an event handler exists");
    for tag in ["b", "i", "u", "iframe", "img", "script"] {
        assert!(
            !page["tags"].as_array().unwrap().contains(&json!(tag)),
            "a <{tag}> element exists: {}",
            page["tags"]
        );
    }
    assert_eq!(page["bodyShown"], true, "the page is hidden");
    assert_eq!(
        page["title"],
        "patronfall report: Hostile </title><script>alert(1)</script> & \"quotes\""
    );
    let text = page["text"].as_str().unwrap();
    for (_, _, hostile) in HOSTILE {
        assert!(text.contains(hostile), "the page does not read `{hostile}`");
    }
    assert!(text.contains(FILE), "the page does not read the file name");
    let svg_text = page["svgText"].as_str().unwrap();
    assert!(
        svg_text.contains("East<script>alert(9)</script>"),
        "the chart does not read the segment's name"
    );
    assert!(b.events_named("Page.javascriptDialogOpening").is_empty());
    let others: Vec<String> = b
        .requested_urls()
        .into_iter()
        .filter(|u| *u != url)
        .collect();
    assert!(others.is_empty(), "the page requested {others:?}");
    assert_eq!(b.policy_violations(), Vec::<String>::new());
    b.close();
}
