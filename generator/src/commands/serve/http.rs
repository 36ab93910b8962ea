//! The web server of `deling serve`: the site from memory, with Range requests as on GitHub
//! Pages, and the live-reload channel (server-sent events) that only this server has.
//!
//! It speaks HTTP as RFC 9110 says. Each file is kept as the body a 200 sends ([`Bytes`], HTML
//! with the reload script already in), so a response shares it rather than copying it, and a
//! Range is a slice of exactly that body. A Range it does not serve (another unit, several
//! ranges, a malformed one) gets the whole file. Only requests whose `Host` names this server
//! are answered, so a web page cannot reach it under a DNS name of its own (DNS rebinding).

use anyhow::{Context, Result};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;

use super::session::Outcome;

/// The script that listens for rebuilds, added to every HTML page this server sends.
const RELOAD_SCRIPT: &str = include_str!("reload.js");
const RELOAD_URL: &str = "/__deling/reload.js";
const RELOAD_TAG: &str = "<script src=\"/__deling/reload.js\" defer></script>";
const EVENTS_URL: &str = "/__deling/events";

/// The site being served and the channel that tells open pages about rebuilds.
pub struct Live {
    served: RwLock<Served>,
    updates: broadcast::Sender<String>,
}

#[derive(Default)]
struct Served {
    /// Each file by its path, as the body a 200 response sends: HTML with the reload script.
    bodies: BTreeMap<String, Bytes>,
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
                let mut changed = Vec::new();
                // A complete build replaces the site; a refresh replaces the files it rendered.
                let mut site = BTreeMap::new();
                for (path, bytes) in files.iter() {
                    let body = match served.bodies.get(path) {
                        // Unchanged files keep their body, which responses under way share.
                        Some(body) if is_body_of(body, path, bytes) => body.clone(),
                        _ => {
                            changed.push(path.to_string());
                            body_of(path, bytes)
                        }
                    };
                    if complete {
                        site.insert(path.to_string(), body);
                    } else {
                        served.bodies.insert(path.to_string(), body);
                    }
                }
                if complete {
                    changed.extend(served.bodies.keys().filter(|p| !files.contains(p)).cloned());
                    served.bodies = site;
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
        .layer(middleware::from_fn_with_state(
            addr.port(),
            only_this_server,
        ))
        .with_state(live);
    eprintln!("Nettstedet kjører på http://{addr}/ (avslutt med Ctrl+C)");
    // Open event streams never end by themselves, so Ctrl+C stops the server without waiting.
    tokio::select! {
        served = axum::serve(listener, app) => served?,
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(())
}

/// Refuses requests whose `Host` is not this server: a page on another site that points a
/// DNS name of its own at 127.0.0.1 could otherwise read everything served here.
async fn only_this_server(State(port): State<u16>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if host.is_some_and(|host| names_this_server(host, port)) {
        return next.run(request).await;
    }
    let text = format!(
        "Denne serveren svarer bare på http://127.0.0.1:{port}/ og http://localhost:{port}/.\n"
    );
    (StatusCode::MISDIRECTED_REQUEST, text).into_response()
}

/// Whether a `Host` header names 127.0.0.1, localhost or [::1] with the port listened on (or
/// without a port, if that is 80).
fn names_this_server(host: &str, port: u16) -> bool {
    let (name, given) = match host.rsplit_once(':') {
        // The colons inside [::1] do not start a port.
        Some((name, given)) if !name.starts_with('[') || name.ends_with(']') => (name, given),
        _ => (host, "80"),
    };
    let known = name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost");
    known && given.parse::<u16>().is_ok_and(|given| given == port)
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
    let bodies = &served.bodies;
    // URLs carry æ, ø, å percent-encoded; the site's paths are plain UTF-8.
    let path = percent_encoding::percent_decode_str(uri.path().trim_start_matches('/'))
        .decode_utf8_lossy()
        .into_owned();
    let candidate = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    if let Some(body) = bodies.get(&candidate) {
        // The search worker reads the index in pieces with Range requests, as on GitHub Pages.
        let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
        return file_response(
            StatusCode::OK,
            &candidate,
            body.clone(),
            range,
            accepts_gzip(&headers),
        );
    }
    if bodies.contains_key(&format!("{path}/index.html")) {
        // The path as it came (still percent-encoded), with one leading slash so the address
        // stays on this server, and the query kept (`/sok?q=x` is a search).
        let mut location = format!("/{}/", uri.path().trim_start_matches('/'));
        if let Some(query) = uri.query() {
            location.push('?');
            location.push_str(query);
        }
        return Redirect::permanent(&location).into_response();
    }
    match bodies.get("404.html") {
        Some(body) => file_response(
            StatusCode::NOT_FOUND,
            "404.html",
            body.clone(),
            None,
            accepts_gzip(&headers),
        ),
        // No site has built yet: a blank page that shows the problems and reloads when fixed.
        None => file_response(
            StatusCode::NOT_FOUND,
            "404.html",
            body_of("404.html", WAITING.as_bytes()),
            None,
            false,
        ),
    }
}

const WAITING: &str = "<!doctype html><html lang=\"nb\"><head><meta charset=\"utf-8\"><title>Deling</title></head><body><main><h1>Nettstedet er ikke bygget ennå</h1></main></body></html>";

/// The body a 200 response sends for a built file: HTML pages get the reload script before
/// `</body>`; built pages never contain it.
fn body_of(path: &str, bytes: &[u8]) -> Bytes {
    if !is_html(path) {
        return Bytes::copy_from_slice(bytes);
    }
    let at = reload_script_at(bytes);
    Bytes::from([&bytes[..at], RELOAD_TAG.as_bytes(), &bytes[at..]].concat())
}

/// Whether `body` is what [`body_of`] makes of `bytes`, without making it.
fn is_body_of(body: &[u8], path: &str, bytes: &[u8]) -> bool {
    if !is_html(path) {
        return body == bytes;
    }
    let at = reload_script_at(bytes);
    let tag = RELOAD_TAG.len();
    body.len() == bytes.len() + tag
        && body[..at] == bytes[..at]
        && &body[at..at + tag] == RELOAD_TAG.as_bytes()
        && body[at + tag..] == bytes[at..]
}

fn is_html(path: &str) -> bool {
    path.ends_with(".html")
}

/// Where the reload script goes: before the last `</body>`, or at the end.
fn reload_script_at(html: &[u8]) -> usize {
    html.windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len())
}

/// What a request's Range header asks of a body of `len` bytes (RFC 9110 §14.2).
#[derive(Debug, PartialEq)]
enum Wanted {
    Whole,
    Part(RangeInclusive<u64>),
    /// Starts at or past the end: 416.
    Unsatisfiable,
}

fn wanted(range: Option<&str>, len: u64) -> Wanted {
    use http_range_header::{RangeUnsatisfiableError, parse_range_header};
    // Another unit or a malformed header is ignored: the whole file, as if it were not there.
    let Some(parsed) = range.and_then(|r| parse_range_header(r).ok()) else {
        return Wanted::Whole;
    };
    // Several ranges would take a multipart body; a server may send the whole file instead.
    if parsed.len() != 1 {
        return Wanted::Whole;
    }
    // Ends past the end and suffixes longer than the body are clamped to it.
    match parsed.validate(len) {
        Ok(ranges) => ranges
            .into_iter()
            .next()
            .map_or(Wanted::Whole, Wanted::Part),
        Err(RangeUnsatisfiableError::Unsatisfiable) => Wanted::Unsatisfiable,
        Err(_) => Wanted::Whole,
    }
}

/// Whether the request's `Accept-Encoding` takes gzip (every browser's does).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            // `q=0` (the parameter's name in any case) refuses the coding.
            let refused = parts.any(|parameter| {
                parameter.split_once('=').is_some_and(|(key, weight)| {
                    key.trim().eq_ignore_ascii_case("q") && weight.trim().parse() == Ok(0.0)
                })
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// Whether a file of this content type is sent gzipped when the client takes it: text and
/// WebAssembly, as GitHub Pages sends them, so a slow connection in `deling serve` carries what
/// it would from the published site. The search engine itself ships xz-compressed, and like an
/// image is sent as it is.
fn compressible(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default();
    essence.starts_with("text/")
        || matches!(
            essence,
            "application/json" | "application/xml" | "application/wasm" | "image/svg+xml"
        )
}

fn gzip(body: &[u8]) -> Bytes {
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 3), Compression::fast());
    encoder.write_all(body).expect("writing to memory");
    Bytes::from(encoder.finish().expect("writing to memory"))
}

/// A file's response: the whole body (gzipped if `gzip_ok` and the file is [`compressible`]),
/// or the part a Range asks for, with `Content-Range` counting the whole body. A part is never
/// compressed: ranges count bytes of the file itself, as on GitHub Pages.
fn file_response(
    status: StatusCode,
    path: &str,
    body: Bytes,
    range: Option<&str>,
    gzip_ok: bool,
) -> Response {
    let len = body.len();
    let content_type = content_type(path);
    let compress = compressible(content_type);
    let mut encoded = false;
    let (status, body, content_range) = match wanted(range, len as u64) {
        Wanted::Whole if gzip_ok && compress => {
            encoded = true;
            (status, gzip(&body), None)
        }
        Wanted::Whole => (status, body, None),
        Wanted::Part(part) => {
            let (start, end) = (*part.start(), *part.end());
            let slice = body.slice(offset(start)..=offset(end));
            let content_range = format!("bytes {start}-{end}/{len}");
            (StatusCode::PARTIAL_CONTENT, slice, Some(content_range))
        }
        Wanted::Unsatisfiable => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            Bytes::new(),
            Some(format!("bytes */{len}")),
        ),
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if status != StatusCode::RANGE_NOT_SATISFIABLE {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if compress {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if encoded {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    if let Some(value) = content_range.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(header::CONTENT_RANGE, value);
    }
    response
}

/// A position within a body, which is in memory and so fits a usize.
fn offset(position: u64) -> usize {
    usize::try_from(position).expect("a range within the body")
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
        "xz" => "application/x-xz",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::SiteFiles;

    fn live(files: &[(&str, &[u8])]) -> Arc<Live> {
        let live = Arc::new(Live::default());
        live.apply(built(files));
        live
    }

    fn built(files: &[(&str, &[u8])]) -> Outcome {
        let mut site = SiteFiles::default();
        for (path, bytes) in files {
            site.insert(*path, *bytes);
        }
        Outcome::Built {
            files: site,
            complete: true,
            warnings: Vec::new(),
        }
    }

    async fn body(live: &Arc<Live>, path: &str, range: Option<&str>) -> Bytes {
        let mut headers = HeaderMap::new();
        if let Some(range) = range {
            headers.insert(header::RANGE, HeaderValue::from_str(range).unwrap());
        }
        let uri: Uri = path.parse().unwrap();
        let response = respond(State(live.clone()), uri, headers).await;
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn responses_share_the_stored_body_instead_of_copying_it() {
        let page = vec![b'x'; 4 << 20];
        let live = live(&[("stor.bin", &page), ("side.html", b"<body></body>")]);
        let first = body(&live, "/stor.bin", None).await;
        let second = body(&live, "/stor.bin", None).await;
        assert_eq!(first.len(), page.len());
        assert_eq!(first.as_ptr(), second.as_ptr(), "one copy for every reader");
        let part = body(&live, "/stor.bin", Some("bytes=100-199")).await;
        assert_eq!(
            part.as_ptr(),
            first[100..].as_ptr(),
            "a Range is a slice of it"
        );
        let html = body(&live, "/side.html", None).await;
        assert_eq!(
            html.as_ptr(),
            body(&live, "/side.html", None).await.as_ptr()
        );
    }

    #[tokio::test]
    async fn text_and_wasm_are_sent_gzipped_as_on_pages_when_the_browser_takes_gzip() {
        use std::io::Read;
        let engine: Vec<u8> = (0..200_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let live = live(&[
            ("sok/motor.wasm", &engine),
            ("bilde.png", &engine),
            ("sok/motor.wasm.xz", &engine),
        ]);
        let get = |path: &'static str, encodings: &'static str, range: Option<&'static str>| {
            let live = live.clone();
            async move {
                let mut headers = HeaderMap::new();
                headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(encodings));
                if let Some(range) = range {
                    headers.insert(header::RANGE, HeaderValue::from_static(range));
                }
                let response = respond(State(live), path.parse().unwrap(), headers).await;
                let encoding = response.headers().get(header::CONTENT_ENCODING).cloned();
                let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .unwrap();
                (encoding, bytes)
            }
        };
        let (encoding, sent) = get("/sok/motor.wasm", "gzip, deflate, br", None).await;
        assert_eq!(encoding.as_ref().map(|v| v.as_bytes()), Some(&b"gzip"[..]));
        assert!(sent.len() < engine.len() / 2, "sent {} bytes", sent.len());
        let mut unpacked = Vec::new();
        flate2::read::GzDecoder::new(&sent[..])
            .read_to_end(&mut unpacked)
            .unwrap();
        assert_eq!(unpacked, engine);
        let (encoding, part) = get("/sok/motor.wasm", "gzip", Some("bytes=10-19")).await;
        assert_eq!(
            (encoding, &part[..]),
            (None, &engine[10..20]),
            "a Range counts the file's own bytes"
        );
        for refusal in ["gzip;q=0, identity", "gzip; Q=0.0"] {
            let (encoding, sent) = get("/sok/motor.wasm", refusal, None).await;
            assert_eq!((encoding, sent.len()), (None, engine.len()), "{refusal}");
        }
        for compressed in ["/bilde.png", "/sok/motor.wasm.xz"] {
            let (encoding, _) = get(compressed, "gzip", None).await;
            assert_eq!(encoding, None, "{compressed} is compressed already");
        }
    }

    #[tokio::test]
    async fn an_unchanged_file_keeps_its_body_across_rebuilds() {
        let live = live(&[("a.html", b"<body>a</body>"), ("b.css", b"b")]);
        let before = body(&live, "/a.html", None).await;
        let changed = live.apply(built(&[("a.html", b"<body>a</body>"), ("b.css", b"c")]));
        assert_eq!(changed, 1, "only b.css changed");
        assert_eq!(body(&live, "/a.html", None).await.as_ptr(), before.as_ptr());
        assert_eq!(&body(&live, "/b.css", None).await[..], b"c");
    }

    #[test]
    fn range_header_is_read_as_rfc_9110_says() {
        let part = |a, b| Wanted::Part(a..=b);
        let cases = [
            (None, Wanted::Whole),
            (Some("bytes=0-9"), part(0, 9)),
            (Some("bytes=90-"), part(90, 99)),
            (Some("bytes=90-1000"), part(90, 99)),
            (Some("bytes=-10"), part(90, 99)),
            (Some("bytes=-1000"), part(0, 99)),
            (Some("bytes=100-"), Wanted::Unsatisfiable),
            (Some("bytes=100-200"), Wanted::Unsatisfiable),
            (Some("bytes=0-1,5-6"), Wanted::Whole),
            (Some("items=0-9"), Wanted::Whole),
            (Some("bytes=9-0"), Wanted::Whole),
            (Some("bytes=x"), Wanted::Whole),
        ];
        for (range, expected) in cases {
            assert_eq!(wanted(range, 100), expected, "{range:?}");
        }
        // A suffix of no bytes selects nothing: 416. Of an empty body only a suffix of some
        // bytes can be served (§14.1.2): all of it, which is nothing.
        assert_eq!(wanted(Some("bytes=-0"), 100), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=0-"), 0), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-5"), 0), Wanted::Whole);
    }

    #[test]
    fn only_this_servers_names_and_port_are_accepted() {
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
        ] {
            assert!(names_this_server(host, 1111), "{host}");
        }
        for host in [
            "127.0.0.1:2222",
            "localhost",
            "[::1]",
            "evil.example:1111",
            "127.0.0.1.evil.example:1111",
            "localhost.:1111",
            "",
        ] {
            assert!(!names_this_server(host, 1111), "{host}");
        }
        assert!(names_this_server("localhost", 80));
        assert!(names_this_server("[::1]", 80));
    }

    #[test]
    fn the_reload_tag_loads_the_reload_script() {
        assert!(RELOAD_TAG.contains(&format!("\"{RELOAD_URL}\"")));
    }
}
