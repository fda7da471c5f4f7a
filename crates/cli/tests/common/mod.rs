//! Shared by the CLI's integration tests: running the real binary and
//! reading its output, scratch directories under Cargo's test temporary
//! directory, and, for the report's tests (`report_browser.rs`,
//! `report_escaping.rs`), a small Chrome DevTools Protocol client that
//! drives headless Chromium over `--remote-debugging-pipe` (JSON messages
//! separated by NUL bytes on file descriptors 3 and 4), so the tests need
//! no WebSocket or browser-automation crate.

#![allow(dead_code)] // each test file uses part of this module

pub mod server;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// Runs the real binary.
pub fn patronfall(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_patronfall"))
        .args(args)
        .output()
        .expect("the patronfall binary runs")
}

/// Runs the real binary and fails the test, showing its output, unless it
/// succeeds. Returns its standard output.
pub fn ok(args: &[&str]) -> String {
    succeeded(&patronfall(args))
}

/// The standard output of a run that must have succeeded; its exit code and
/// standard error otherwise.
pub fn succeeded(out: &Output) -> String {
    assert!(
        out.status.success(),
        "patronfall exited {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A fresh directory for one test's output, under Cargo's temporary
/// directory for integration tests (kept after the test for inspection).
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The headless browser to use: `$PATRONFALL_CHROMIUM`, or the first of
/// `chromium`, `chromium-browser`, `google-chrome` on the `PATH`.
pub fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PATRONFALL_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let exe = dir.join(name);
            if exe.is_file() {
                return Some(exe);
            }
        }
    }
    None
}

/// The `file://` URL of a local file (percent-encoding what a URL path
/// cannot hold as is).
pub fn file_url(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).expect("the file exists");
    let mut url = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// Decodes standard base64 (as the protocol returns screenshots and PDFs).
pub fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// Width and height of a PNG, from its header; `None` if it is not a PNG.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    Some((be(16), be(20)))
}

/// How long one protocol call may take (printing a long page is the slowest).
const CALL_TIMEOUT: Duration = Duration::from_secs(120);

/// Headless Chromium driven over the DevTools protocol pipe. The browser is
/// killed when this is dropped.
pub struct Browser {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
    /// Every event received so far, in order (`method`, `params`, `sessionId`).
    pub events: Vec<Value>,
}

impl Browser {
    /// Starts `exe` headless with a fresh profile under `dir`; the browser's
    /// own log goes to `dir/chromium.log`.
    pub fn launch(exe: &Path, dir: &Path) -> Browser {
        let profile = dir.join("chromium-profile");
        std::fs::create_dir_all(&profile).unwrap();
        let log = std::fs::File::create(dir.join("chromium.log")).unwrap();
        // The shell hands our pipes to the browser as descriptors 3 (in) and
        // 4 (out), which is where --remote-debugging-pipe talks.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" \"$@\" 3<&0 4>&1 0</dev/null 1>&2")
            .arg(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--remote-debugging-pipe",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--mute-audio",
                "--hide-scrollbars",
                "--font-render-hinting=none",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("the browser starts");
        let input = child.stdin.take().unwrap();
        let output = child.stdout.take().unwrap();
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(output);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match reader.read_until(0, &mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {
                        if buf.last() == Some(&0) {
                            buf.pop();
                        }
                        if let Ok(v) = serde_json::from_slice::<Value>(&buf)
                            && tx.send(v).is_err()
                        {
                            return;
                        }
                    }
                }
            }
        });
        Browser {
            child,
            input,
            messages,
            next_id: 1,
            events: Vec::new(),
        }
    }

    /// Sends one command (to the browser, or to a page's `session`) and
    /// waits for its result, keeping the events that arrive meanwhile.
    pub fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.try_call(session, method, params)
            .unwrap_or_else(|e| panic!("{method} failed: {e}"))
    }

    /// [`Browser::call`], returning the protocol's error instead of failing.
    pub fn try_call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, String> {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.input
            .write_all(&bytes)
            .and_then(|()| self.input.flush())
            .unwrap_or_else(|e| panic!("cannot send {method} to the browser: {e}"));
        let deadline = Instant::now() + CALL_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(v) if v.get("id").and_then(Value::as_u64) == Some(id) => {
                    if let Some(e) = v.get("error") {
                        return Err(e.to_string());
                    }
                    return Ok(v.get("result").cloned().unwrap_or(Value::Null));
                }
                Ok(v) => {
                    if v.get("method").is_some() {
                        self.events.push(v);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no answer to {method} within {CALL_TIMEOUT:?}")
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the browser closed the pipe during {method}")
                }
            }
        }
    }

    /// Waits until an event named `method` has arrived (or `timeout` passes).
    pub fn wait_for(&mut self, method: &str, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(e) = self.events.iter().find(|e| e["method"] == method) {
                return e.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(v) => {
                    if v.get("method").is_some() {
                        self.events.push(v);
                    }
                }
                Err(_) => panic!("no {method} event within {timeout:?}"),
            }
        }
    }

    /// Collects events for `time`.
    pub fn idle(&mut self, time: Duration) {
        let deadline = Instant::now() + time;
        while let Ok(v) = self
            .messages
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            if v.get("method").is_some() {
                self.events.push(v);
            }
        }
    }

    /// Opens a page of `width` × `height` CSS pixels with the page, network,
    /// runtime and log domains on, and returns its session id.
    pub fn page(&mut self, width: u32, height: u32) -> String {
        let target = self.call(None, "Target.createTarget", json!({ "url": "about:blank" }));
        let attached = self.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        );
        let s = attached["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        for domain in [
            "Page.enable",
            "Network.enable",
            "Runtime.enable",
            "Log.enable",
        ] {
            self.call(Some(&s), domain, json!({}));
        }
        self.call(
            Some(&s),
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        );
        s
    }

    /// Loads `url` in the page and waits until the document at that URL has
    /// finished loading (its `readyState` is `complete`).
    pub fn open(&mut self, session: &str, url: &str) {
        let nav = self.call(Some(session), "Page.navigate", json!({ "url": url }));
        assert!(
            nav.get("errorText").is_none(),
            "cannot open {url}: {}",
            nav["errorText"]
        );
        let deadline = Instant::now() + CALL_TIMEOUT;
        let want = json!(format!("complete {url}"));
        loop {
            // While the page loads its context may go away under an
            // evaluation; that is an answer to retry, not a failure.
            let state = self.try_call(
                Some(session),
                "Runtime.evaluate",
                json!({
                    "expression": "document.readyState + ' ' + location.href",
                    "returnByValue": true,
                }),
            );
            if let Ok(r) = state
                && r["result"]["value"] == want
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{url} did not finish loading within {CALL_TIMEOUT:?}"
            );
            self.idle(Duration::from_millis(100));
        }
    }

    /// Evaluates a JavaScript expression in the page (DevTools evaluation
    /// is not subject to the page's Content-Security-Policy) and returns its
    /// value.
    pub fn eval(&mut self, session: &str, expression: &str) -> Value {
        let r = self.call(
            Some(session),
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        );
        if let Some(e) = r.get("exceptionDetails") {
            panic!("the check script failed: {e}");
        }
        r["result"]["value"].clone()
    }

    /// Events of one method, in order.
    pub fn events_named(&self, method: &str) -> Vec<&Value> {
        self.events
            .iter()
            .filter(|e| e["method"] == method)
            .collect()
    }

    /// URLs of every request the page started (from `Network.requestWillBeSent`).
    pub fn requested_urls(&self) -> Vec<String> {
        self.events_named("Network.requestWillBeSent")
            .iter()
            .filter_map(|e| e["params"]["request"]["url"].as_str().map(str::to_string))
            .collect()
    }

    /// Log entries and console messages that speak of the Content Security
    /// Policy (what the browser reports when the page tries to load
    /// something it may not).
    pub fn policy_violations(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| {
                e["method"] == "Log.entryAdded" || e["method"] == "Runtime.consoleAPICalled"
            })
            .map(|e| e["params"].to_string())
            .filter(|t| t.contains("Content Security Policy") || t.contains("Refused to"))
            .collect()
    }

    /// Closes the browser politely (it is killed on drop regardless).
    pub fn close(mut self) {
        let mut bytes = serde_json::to_vec(&json!({ "id": 0, "method": "Browser.close" })).unwrap();
        bytes.push(0);
        let _ = self.input.write_all(&bytes);
        let _ = self.input.flush();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}
