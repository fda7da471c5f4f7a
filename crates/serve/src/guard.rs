//! The rules every request passes before it reaches a page, so that
//! another web page open in the user's browser cannot drive the server or
//! read the workspace:
//!
//! 1. its `Host` is the server's own address (a page on another name that
//!    resolves to 127.0.0.1, DNS rebinding, is refused);
//! 2. an `Origin`, when the browser sends one, is the server's own, and a
//!    `Sec-Fetch-Site` of `cross-site` or `same-site` is refused;
//! 3. every request but a static file carries the per-start token, as the
//!    query parameter `token` or the header `x-patronfall-token`;
//! 4. a request that changes state is a `POST` with a JSON body (which a
//!    page elsewhere cannot send without the browser asking first).
//!
//! Every answer carries a Content-Security-Policy that lets a page load
//! only from the server itself, and no referrer.

use crate::App;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The header a script sends the token in.
pub const TOKEN_HEADER: &str = "x-patronfall-token";

/// The Content-Security-Policy of the server's own pages.
pub const CSP: &str =
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

/// A new per-start token: 128 random bits from the operating system, hex.
pub fn new_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether two strings are equal, in a time that does not depend on where
/// they first differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The token a request carries, if any.
fn token_of(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    if let Some(v) = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok()) {
        return Some(v.to_string());
    }
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .map(str::to_string)
}

/// Why a request is refused, if it is: the first rule it breaks.
pub fn refusal(
    app: &App,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Option<(StatusCode, &'static str)> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    match text(header::HOST.as_str()) {
        Some(h) if app.hosts.iter().any(|ok| ok == h) => {}
        _ => {
            return Some((
                StatusCode::FORBIDDEN,
                "this server answers only to its own address",
            ));
        }
    }
    if let Some(origin) = text(header::ORIGIN.as_str()) {
        let own = app.hosts.iter().any(|h| origin == format!("http://{h}"));
        if !own {
            return Some((
                StatusCode::FORBIDDEN,
                "requests from other origins are refused",
            ));
        }
    }
    if let Some("cross-site" | "same-site") = text("sec-fetch-site") {
        return Some((
            StatusCode::FORBIDDEN,
            "requests from other sites are refused",
        ));
    }
    if method != Method::GET && method != Method::HEAD && method != Method::POST {
        return Some((StatusCode::METHOD_NOT_ALLOWED, "only GET and POST"));
    }
    if path.starts_with("/static/") {
        return None;
    }
    match token_of(headers, query) {
        Some(t) if same(&t, &app.token) => {}
        _ => {
            return Some((
                StatusCode::UNAUTHORIZED,
                "this request lacks the token of this start of the server: open the address `patronfall serve` printed",
            ));
        }
    }
    if method == Method::POST {
        let json =
            text(header::CONTENT_TYPE.as_str()).is_some_and(|c| c.starts_with("application/json"));
        if !json {
            return Some((
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "a request that changes state sends JSON",
            ));
        }
    }
    None
}

/// The middleware: refuses what breaks a rule, and adds the policy
/// headers to every answer.
pub async fn check(State(app): State<Arc<App>>, request: Request<Body>, next: Next) -> Response {
    let refused = refusal(
        &app,
        request.method(),
        request.uri().path(),
        request.headers(),
        request.uri().query(),
    );
    let mut response = match refused {
        Some((status, why)) => (status, why).into_response(),
        None => next.run(request).await,
    };
    let h = response.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(same(&a, &a.clone()));
        assert!(!same(&a, &b));
        assert!(!same(&a, &a[..31]));
    }

    #[test]
    fn the_token_comes_from_the_header_or_the_query() {
        let mut h = HeaderMap::new();
        assert_eq!(token_of(&h, Some("a=1&token=xyz")), Some("xyz".into()));
        assert_eq!(token_of(&h, Some("a=1")), None);
        h.insert(TOKEN_HEADER, HeaderValue::from_static("abc"));
        assert_eq!(token_of(&h, None), Some("abc".into()));
    }
}
