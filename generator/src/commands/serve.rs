//! `deling serve`: builds the site in memory and serves it on 127.0.0.1.
//! (Watching and live reload come later; the server already works from memory so they can
//! swap the site without touching the disk.)

use anyhow::{Context, Result};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use std::sync::Arc;

use crate::output::SiteFiles;

pub async fn serve(files: SiteFiles, port: u16) -> Result<()> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("kunne ikke bruke port {port}; velg en annen med --port"))?;
    let app = axum::Router::new()
        .fallback(respond)
        .with_state(Arc::new(files));
    eprintln!("Nettstedet kjører på http://{addr}/ (avslutt med Ctrl+C)");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

async fn respond(State(files): State<Arc<SiteFiles>>, uri: Uri, headers: HeaderMap) -> Response {
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
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn file_response(status: StatusCode, path: &str, bytes: &[u8]) -> Response {
    let mut response = Response::new(Body::from(bytes.to_vec()));
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
