//! HTML text: escaping and the page skeleton. Every piece of scenario or
//! results text reaches the page through [`escape`]; nothing else in the
//! report writes raw text into markup.
//!
//! The page is self-contained: inline CSS (with a print stylesheet) and
//! inline SVG charts, and no script at all. A strict Content-Security-Policy
//! forbids any request and any script: no fetch, font, image, frame or
//! script may load from anywhere, and even an inline script would not run,
//! so the report works offline, leaks nothing when opened, and a failure of
//! escaping could not execute code.

use std::fmt::Write;

/// The page's Content-Security-Policy: nothing may be fetched and no script
/// may run; only the inline stylesheet and `data:` images are allowed.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A simple table: header cells and rows of already-escaped HTML cells.
pub fn table(header: &[&str], rows: &[Vec<String>], class: &str) -> String {
    let mut s = format!("<table class=\"{}\"><thead><tr>", escape(class));
    for h in header {
        let _ = write!(s, "<th>{}</th>", escape(h));
    }
    s.push_str("</tr></thead><tbody>");
    for r in rows {
        s.push_str("<tr>");
        for c in r {
            let _ = write!(s, "<td>{c}</td>");
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

/// A figure holding an inline SVG chart, its caption and the file names of
/// its SVG and PNG copies. `svg` is markup produced by the chart module
/// (which escapes its own text).
pub fn figure(id: &str, svg: &str, caption: &str, files: &str) -> String {
    format!(
        "<figure class=\"chart\" data-chart=\"{id}\" id=\"fig-{id}\">{svg}<figcaption>{caption} <span class=\"files\">({files})</span></figcaption></figure>",
        id = escape(id),
        svg = svg,
        caption = escape(caption),
        files = escape(files),
    )
}

/// The page being assembled: a title and sections in order.
#[derive(Debug, Default)]
pub struct Page {
    title: String,
    banner: String,
    sections: Vec<(String, String, String)>,
}

impl Page {
    /// A page with this title (plain text).
    pub fn new(title: &str) -> Self {
        Page {
            title: title.to_string(),
            ..Page::default()
        }
    }

    /// Adds a prominent warning shown above the first section (plain text).
    pub fn warn(&mut self, text: &str) {
        let _ = write!(
            self.banner,
            "<p class=\"warning\" role=\"alert\">{}</p>",
            escape(text)
        );
    }

    /// Adds a section: `id` names it for links and tests, `body` is HTML.
    pub fn section(&mut self, id: &str, heading: &str, body: String) {
        self.sections
            .push((id.to_string(), heading.to_string(), body));
    }

    /// Ids of the sections in order.
    pub fn section_ids(&self) -> Vec<&str> {
        self.sections.iter().map(|s| s.0.as_str()).collect()
    }

    /// The whole document.
    pub fn render(&self) -> String {
        let mut s = String::with_capacity(1 << 20);
        let _ = write!(
            s,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"referrer\" content=\"no-referrer\">\
             <title>{title}</title><style>{css}</style></head><body>\n\
             <header><h1>{title}</h1><nav><ol>",
            csp = CSP,
            title = escape(&self.title),
            css = CSS,
        );
        for (id, heading, _) in &self.sections {
            let _ = write!(
                s,
                "<li><a href=\"#{}\">{}</a></li>",
                escape(id),
                escape(heading)
            );
        }
        s.push_str("</ol></nav></header>\n<main>");
        s.push_str(&self.banner);
        for (id, heading, body) in &self.sections {
            let _ = write!(
                s,
                "\n<section id=\"{id}\" data-section=\"{id}\"><h2>{heading}</h2>\n{body}\n</section>",
                id = escape(id),
                heading = escape(heading),
            );
        }
        s.push_str("\n</main></body></html>\n");
        s
    }
}

/// Inline styles: readable on screen and in print, without colour.
const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 1.2em 3em; color: #111; background: #fff; line-height: 1.45; }
header h1 { font-size: 1.7em; margin: 0.8em 0 0.3em; }
nav ol { columns: 2; font-size: 0.9em; }
section { border-top: 2px solid #333; margin-top: 1.8em; padding-top: 0.4em; }
h2 { font-size: 1.35em; } h3 { font-size: 1.1em; margin-top: 1.3em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.88em; }
th, td { border: 1px solid #888; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: 1em 0; page-break-inside: avoid; break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; display: block; border: 1px solid #ccc; }
figcaption { font-size: 0.85em; color: #333; }
.files { color: #666; }
.warning { border: 3px solid #000; background: #fff3cd; padding: 0.6em 0.9em; font-weight: bold; }
.note { font-style: italic; }
.log td:first-child, .actors td:first-child { white-space: nowrap; }
.futures-defined ul { margin: 0; padding-left: 1.1em; font-size: 0.9em; line-height: 1.3; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 0.6em; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  th { background: #eee; }
  .files { display: none; }
  nav { display: none; }
  section { page-break-before: auto; border-top: 1px solid #000; }
  h2, h3 { page-break-after: avoid; break-after: avoid; }
  .warning { background: none; }
  figure, tr { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  .grid { display: block; }
  a { color: #000; text-decoration: none; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            escape("\"><img src=x onerror='a'>&"),
            "&quot;&gt;&lt;img src=x onerror=&#39;a&#39;&gt;&amp;"
        );
    }

    #[test]
    fn page_has_policy_sections_and_no_remote_urls() {
        let mut p = Page::new("A <b>title</b>");
        p.section("one", "First & only", "<p>x</p>".into());
        p.warn("incomplete <ensemble>");
        let html = p.render();
        assert!(html.contains(CSP));
        assert!(html.contains("data-section=\"one\""));
        assert!(html.contains("A &lt;b&gt;title&lt;/b&gt;"));
        assert!(html.contains("incomplete &lt;ensemble&gt;"));
        assert!(!html.contains("http://") && !html.contains("https://"));
        assert!(!html.contains("<script"), "the page carries no script");
        assert!(!CSP.contains("script-src") && CSP.starts_with("default-src 'none'"));
    }
}
