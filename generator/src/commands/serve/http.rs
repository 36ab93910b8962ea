//! The web server of `deling serve`: the site from memory, with Range requests as on GitHub
//! Pages, and the live-reload channel (server-sent events) that only this server has.

use anyhow::{Context, Result};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;

use super::session::Outcome;
use crate::output::SiteFiles;

/// The script that listens for rebuilds, added to every HTML page this server sends.
const RELOAD_SCRIPT: &str = include_str!("reload.js");
const RELOAD_URL: &str = "/__deling/reload.js";
const EVENTS_URL: &str = "/__deling/events";

/// The site being served and the channel that tells open pages about rebuilds.
pub struct Live {
    served: RwLock<Served>,
    updates: broadcast::Sender<String>,
}

#[derive(Default)]
struct Served {
    files: SiteFiles,
    /// The problems of the last rebuild, if it failed (shown over every page).
    problems: Option<Vec<String>>,
}

impl Default for Live {
    fn default() -> Live {
        Live {
            served: RwLock::default(),
            updates: broadcast::channel(64).0,
        }
    }
}

impl Live {
    /// Puts a rebuild's result in place and tells open pages. Returns how many files changed.
    pub fn apply(&self, outcome: Outcome) -> usize {
        let (message, count) = match outcome {
            Outcome::Built {
                files, complete, ..
            } => {
                let mut served = self.served.write().expect("no panics while serving");
                let mut changed: Vec<String> = files
                    .iter()
                    .filter(|(path, bytes)| served.files.get(path) != Some(*bytes))
                    .map(|(path, _)| path.to_string())
                    .collect();
                if complete {
                    changed.extend(
                        served
                            .files
                            .paths()
                            .filter(|p| !files.contains(p))
                            .map(str::to_string),
                    );
                    served.files = files;
                } else {
                    for path in &changed {
                        let bytes = files.get(path).expect("listed above").to_vec();
                        served.files.insert(path.clone(), bytes);
                    }
                }
                served.problems = None;
                let count = changed.len();
                (serde_json::json!({ "changed": changed }).to_string(), count)
            }
            Outcome::Failed { problems } => {
                let problems: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
                let message = serde_json::json!({ "problems": problems }).to_string();
                self.served
                    .write()
                    .expect("no panics while serving")
                    .problems = Some(problems);
                (message, 0)
            }
        };
        // No open pages is fine.
        let _ = self.updates.send(message);
        count
    }

    /// A problem no content file explains (a broken theme, a missing folder), shown like one.
    pub fn fail(&self, problem: String) {
        let message = serde_json::json!({ "problems": [problem.clone()] }).to_string();
        self.served
            .write()
            .expect("no panics while serving")
            .problems = Some(vec![problem]);
        let _ = self.updates.send(message);
    }
}

/// Takes the port on 127.0.0.1 (0: any free port), before the first build, so a port in use is
/// said at once.
pub fn listen(port: u16) -> Result<std::net::TcpListener> {
    let listener = std::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .with_context(|| format!("kunne ikke bruke port {port}; velg en annen med --port"))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

pub async fn serve(live: Arc<Live>, listener: std::net::TcpListener) -> Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    // The port the system gave, which `--port 0` leaves to it.
    let addr = listener.local_addr()?;
    let app = axum::Router::new()
        .route(RELOAD_URL, axum::routing::get(reload_script))
        .route(EVENTS_URL, axum::routing::get(events))
        .fallback(respond)
        .with_state(live);
    eprintln!("Nettstedet kjører på http://{addr}/ (avslutt med Ctrl+C)");
    // Open event streams never end by themselves, so Ctrl+C stops the server without waiting.
    tokio::select! {
        served = axum::serve(listener, app) => served?,
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(())
}

async fn reload_script() -> Response {
    let mut response = Response::new(Body::from(RELOAD_SCRIPT));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    response
}

/// Server-sent events: first the current problems, if any, then one message per rebuild.
async fn events(
    State(live): State<Arc<Live>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let updates = live.updates.subscribe();
    let current = live
        .served
        .read()
        .expect("no panics while serving")
        .problems
        .clone()
        .map(|problems| serde_json::json!({ "problems": problems }).to_string());
    let stream =
        futures_util::stream::unfold((current, updates), |(current, mut updates)| async move {
            if let Some(message) = current {
                return Some((Ok(Event::default().data(message)), (None, updates)));
            }
            loop {
                match updates.recv().await {
                    Ok(message) => {
                        return Some((Ok(Event::default().data(message)), (None, updates)));
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn respond(State(live): State<Arc<Live>>, uri: Uri, headers: HeaderMap) -> Response {
    let served = live.served.read().expect("no panics while serving");
    let files = &served.files;
    let path = percent_decode(uri.path().trim_start_matches('/'));
    let candidate = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    if let Some(bytes) = files.get(&candidate) {
        // The search worker reads the index in pieces with Range requests, as on GitHub Pages.
        if let Some(range) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) {
            return range_response(&candidate, bytes, range);
        }
        return file_response(StatusCode::OK, &candidate, bytes);
    }
    if files.contains(&format!("{path}/index.html")) {
        return Redirect::permanent(&format!("/{path}/")).into_response();
    }
    match files.get("404.html") {
        Some(bytes) => file_response(StatusCode::NOT_FOUND, "404.html", bytes),
        // No site has built yet: a blank page that shows the problems and reloads when fixed.
        None => file_response(StatusCode::NOT_FOUND, "404.html", WAITING.as_bytes()),
    }
}

const WAITING: &str = "<!doctype html><html lang=\"nb\"><head><meta charset=\"utf-8\"><title>Deling</title></head><body><main><h1>Nettstedet er ikke bygget ennå</h1></main></body></html>";

/// Adds the reload script before `</body>`; built pages never contain it.
fn with_reload_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{RELOAD_URL}\" defer></script>");
    let at = html
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    [&html[..at], tag.as_bytes(), &html[at..]].concat()
}

fn file_response(status: StatusCode, path: &str, bytes: &[u8]) -> Response {
    let body = if path.ends_with(".html") {
        with_reload_script(bytes)
    } else {
        bytes.to_vec()
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    response
        .headers_mut()
        .insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    response
}

/// Answers `Range: bytes=a-b` (one range, which is all the search worker asks for).
fn range_response(path: &str, bytes: &[u8], range: &str) -> Response {
    let parsed = range
        .strip_prefix("bytes=")
        .and_then(|r| r.split_once('-'))
        .and_then(|(a, b)| {
            let start: usize = a.parse().ok()?;
            let end: usize = if b.is_empty() {
                bytes.len().checked_sub(1)?
            } else {
                b.parse().ok()?
            };
            (start <= end && end < bytes.len()).then_some((start, end))
        });
    let Some((start, end)) = parsed else {
        let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
        if let Ok(value) = HeaderValue::from_str(&format!("bytes */{}", bytes.len())) {
            response.headers_mut().insert(header::CONTENT_RANGE, value);
        }
        return response;
    };
    let mut response = file_response(StatusCode::PARTIAL_CONTENT, path, &bytes[start..=end]);
    if let Ok(value) = HeaderValue::from_str(&format!("bytes {start}-{end}/{}", bytes.len())) {
        response.headers_mut().insert(header::CONTENT_RANGE, value);
    }
    response
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// URLs carry æ, ø, å percent-encoded; the site's paths are plain UTF-8.
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii hex digits");
            out.push(u8::from_str_radix(hex, 16).expect("checked hex digits"));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
