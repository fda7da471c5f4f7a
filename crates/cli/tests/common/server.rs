//! Starting the real `patronfall serve` for a test and speaking plain
//! HTTP/1.1 to it over a TCP socket (so that a test can send any `Host`,
//! `Origin` or token it likes). The server is killed when the handle is
//! dropped, also when the test fails.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::channel;
use std::time::Duration;

/// A running `patronfall serve`.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// `127.0.0.1:PORT`.
    pub host: String,
    /// This start's token.
    pub token: String,
    /// The address it printed.
    pub url: String,
}

impl Server {
    /// Starts `patronfall serve --port 0 --workspace WORKSPACE ARGS…` and
    /// reads the address it prints.
    pub fn start(workspace: &Path, args: &[&str]) -> Server {
        let log = std::fs::File::create(workspace.with_extension("log")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_patronfall"))
            .arg("serve")
            .args(["--port", "0", "--workspace"])
            .arg(workspace)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("patronfall serve starts");
        let out = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(out).read_line(&mut line);
            let _ = tx.send(line);
        });
        let mut server = Server {
            child,
            base: String::new(),
            host: String::new(),
            token: String::new(),
            url: String::new(),
        };
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("patronfall serve prints its address within a minute");
        let url = line.trim().to_string();
        let (base, token) = url
            .split_once("/?token=")
            .unwrap_or_else(|| panic!("an address with a token: {url:?}"));
        server.base = base.to_string();
        server.host = base.trim_start_matches("http://").to_string();
        server.token = token.to_string();
        server.url = url;
        server
    }

    /// `path` with the token.
    pub fn with_token(&self, path: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("{}{path}{sep}token={}", self.base, self.token)
    }

    /// One request; `headers` replace the defaults (`Host` the server's own).
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Response {
        let mut stream = TcpStream::connect(&self.host).expect("the server accepts connections");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\n");
        let mut host_given = false;
        for (k, v) in headers {
            host_given |= k.eq_ignore_ascii_case("host");
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !host_given {
            head.push_str(&format!("Host: {}\r\n", self.host));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ));
        stream.write_all(head.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(raw.len());
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let body = raw.get(split + 4..).unwrap_or_default();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        let body = if chunked {
            unchunk(body)
        } else {
            body.to_vec()
        };
        let body = String::from_utf8_lossy(&body).into_owned();
        Response {
            status,
            headers,
            body,
        }
    }

    /// A JSON `POST` with the token and the server's own origin.
    pub fn post_json(&self, path: &str, body: &str) -> Response {
        let origin = self.base.clone();
        self.request(
            "POST",
            path,
            &[
                ("x-patronfall-token", &self.token),
                ("Origin", &origin),
                ("Content-Type", "application/json"),
            ],
            body,
        )
    }

    /// A `GET` with the token.
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[("x-patronfall-token", &self.token)], "")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer.
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: String,
}

impl Response {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A chunked body joined.
fn unchunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&rest[..eol]).trim().to_string();
        let n = usize::from_str_radix(&size, 16).unwrap_or(0);
        let after = &rest[eol + 2..];
        if n == 0 || after.len() < n {
            break;
        }
        out.extend_from_slice(&after[..n]);
        rest = after[n..].strip_prefix(b"\r\n").unwrap_or(&after[n..]);
    }
    out
}
