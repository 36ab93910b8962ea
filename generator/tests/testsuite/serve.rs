//! `deling serve`'s refresh: after one saved record, exactly the pages that show it are
//! rendered again, they match a full build, and broken edits never replace the good site.

use deling::commands::serve::session::{Outcome, Session};
use deling::output::SiteFiles;
use deling::render::RenderOptions;
use std::collections::BTreeSet;
use std::path::Path;

use crate::harness::Fixture;

const RECORD: &str = "content/nettverk/digi-agder/erfaringer/digital-sosialhjelp.md";

fn session(fixture: &Fixture) -> Session {
    started(fixture).0
}

/// A session after its first build, and that build's files.
fn started(fixture: &Fixture) -> (Session, SiteFiles) {
    let mut session = Session::new(fixture.root(), RenderOptions::default());
    let Outcome::Built { files, .. } = session.rebuild().unwrap() else {
        panic!("the fixture builds");
    };
    (session, files)
}

fn refresh(session: &mut Session) -> Option<Outcome> {
    session.refresh(Path::new(RECORD)).unwrap()
}

fn containing(files: &SiteFiles, needle: &str) -> BTreeSet<String> {
    files
        .iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(path, _)| path.to_string())
        .collect()
}

/// Left to the full rebuild that follows a refresh (open data), or updated differently (the
/// search index gets a new segment instead of being written again).
fn deferred(path: &str) -> bool {
    path.starts_with("sok/") || path.starts_with("data/")
}

#[test]
fn a_refresh_renders_every_page_that_shows_the_record_as_a_full_build_would() {
    let fixture = Fixture::new("minimal");
    let (mut session, mut served) = started(&fixture);
    let summary = fixture
        .read(RECORD)
        .lines()
        .find_map(|l| {
            l.strip_prefix("summary = \"")
                .map(|s| s.trim_end_matches('"').to_string())
        })
        .unwrap();
    fixture.edit(
        RECORD,
        &summary,
        "Et nytt sammendrag om digital sosialhjelp",
    );
    // And a new word in the body, which only the record's search text carries.
    let text = fixture.read(RECORD);
    fixture.write(
        RECORD,
        &format!("{text}\nEt nytt avsnitt om talegjenkjenning.\n"),
    );
    let Some(Outcome::Built {
        files, complete, ..
    }) = refresh(&mut session)
    else {
        panic!("a changed summary is a refresh");
    };
    assert!(!complete);
    let full = fixture.build();
    let shown: BTreeSet<String> = containing(&full, "Et nytt sammendrag")
        .into_iter()
        .filter(|p| !deferred(p))
        .collect();
    assert!(shown.len() > 3, "the record is on several pages: {shown:?}");
    let refreshed: BTreeSet<String> = files.paths().map(str::to_string).collect();
    assert!(
        shown.is_subset(&refreshed),
        "not refreshed: {:?}",
        shown.difference(&refreshed).collect::<Vec<_>>()
    );
    for (path, bytes) in files.iter().filter(|(path, _)| !deferred(path)) {
        assert_eq!(
            Some(bytes),
            full.get(path),
            "{path} differs from a full build"
        );
    }

    // The search index the served site now has finds the record by its new words.
    served.extend(files);
    let index = deling::render::search::read_from(&served).unwrap();
    let engine = search_index::open_files(&index).unwrap();
    let ids = |q: &str| -> Vec<String> {
        let request = search_index::SearchRequest {
            q: q.into(),
            limit: 10,
            ..Default::default()
        };
        let found = engine.search(&request).unwrap();
        found.hits.into_iter().map(|h| h.id).collect()
    };
    assert_eq!(ids("sammendrag"), ["erfaringer/digital-sosialhjelp"]);
    assert_eq!(ids("talegjenkjenning"), ["erfaringer/digital-sosialhjelp"]);
    let hits = ids("sosialhjelp");
    assert_eq!(
        hits.iter()
            .filter(|id| *id == "erfaringer/digital-sosialhjelp")
            .count(),
        1,
        "the old document was replaced, not added to: {hits:?}"
    );
}

#[test]
fn a_change_that_moves_the_record_in_lists_takes_a_full_rebuild() {
    let fixture = Fixture::new("minimal");
    let mut session = session(&fixture);
    fixture.edit(
        RECORD,
        "published = ",
        "published = 2001-01-01\nold_published = ",
    );
    assert!(
        matches!(refresh(&mut session), Some(Outcome::Failed { .. })),
        "an unknown field is an error in the file"
    );
    let text = fixture
        .read(RECORD)
        .replace("published = 2001-01-01\nold_published = ", "published = ");
    let original_date = text
        .lines()
        .find(|l| l.starts_with("published = "))
        .unwrap()
        .to_string();
    fixture.write(
        RECORD,
        &text.replacen(&original_date, "published = 2001-01-01", 1),
    );
    assert!(
        refresh(&mut session).is_none(),
        "a new date moves the record"
    );
}

#[test]
fn a_deleted_record_takes_a_full_rebuild() {
    let fixture = Fixture::new("minimal");
    let mut session = session(&fixture);
    std::fs::remove_file(fixture.root().join(RECORD)).unwrap();
    assert!(refresh(&mut session).is_none());
}

#[test]
fn a_broken_edit_reports_the_file_and_line_and_keeps_the_last_good_site() {
    let fixture = Fixture::new("minimal");
    let mut session = session(&fixture);
    let original = fixture.read(RECORD);
    fixture.edit(RECORD, "title = ", "titel = ");
    let Some(Outcome::Failed { problems }) = refresh(&mut session) else {
        panic!("a misspelt field fails");
    };
    let problem = crate::harness::find(&problems, "titel");
    assert_eq!(problem.file, Path::new(RECORD));
    assert!(problem.pos.line > 1);
    fixture.write(
        RECORD,
        &original.replace("Kristiansand tok", "Kristiansand kommune tok"),
    );
    assert!(
        matches!(refresh(&mut session), Some(Outcome::Built { .. })),
        "fixing the file builds again from the last good site"
    );
}

#[test]
fn built_pages_never_contain_the_reload_script() {
    let fixture = Fixture::new("minimal");
    let files = fixture.build();
    assert!(containing(&files, "__deling").is_empty());
}

#[test]
fn a_save_in_another_encoding_says_so() {
    let fixture = Fixture::new("minimal");
    let mut session = session(&fixture);
    let latin1: Vec<u8> = fixture
        .read(RECORD)
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    std::fs::write(fixture.root().join(RECORD), latin1).unwrap();
    let Some(Outcome::Failed { problems }) = refresh(&mut session) else {
        panic!("a Latin-1 file fails");
    };
    let problem = crate::harness::find(&problems, "UTF-8");
    assert_eq!(problem.file, Path::new(RECORD));
}

/// `deling serve --port 0` on a fixture, as users run it, stopped when dropped.
struct Server {
    child: std::process::Child,
    port: u16,
    _fixture: Fixture,
}

/// A response as it came over the wire.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Server {
    fn start() -> Server {
        use std::io::BufRead;
        let fixture = Fixture::new("minimal");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_deling"))
            .args(["serve", "--port", "0", "--root"])
            .arg(fixture.root())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Read stderr on a thread for as long as the server runs, so it never blocks on it.
        let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let (lines, received) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        let mut said = String::new();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        let port = loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let Ok(line) = received.recv_timeout(left) else {
                let _ = child.kill();
                panic!("serve never said where it runs:\n{said}");
            };
            said.push_str(&line);
            said.push('\n');
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                break rest.split('/').next().unwrap().parse().unwrap();
            }
        };
        Server {
            child,
            port,
            _fixture: fixture,
        }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    fn get(&self, target: &str, headers: &[(&str, &str)]) -> Reply {
        use std::io::{Read, Write};
        let mut request = format!("GET {target} HTTP/1.1\r\n");
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            request.push_str(&format!("Host: {}\r\n", self.host()));
        }
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("Connection: close\r\n\r\n");
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8(raw[..split].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
            .collect();
        Reply {
            status: status.parse().unwrap(),
            headers,
            body: raw[split + 4..].to_vec(),
        }
    }

    fn get_range(&self, target: &str, range: &str) -> Reply {
        self.get(target, &[("Range", range)])
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn port_zero_prints_the_port_it_got() {
    let server = Server::start();
    assert_ne!(server.port, 0);
    let reply = server.get("/", &[]);
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    // The site links to where it is served, not to port 0.
    let sitemap = String::from_utf8(server.get("/sitemap.xml", &[]).body).unwrap();
    assert!(
        sitemap.contains(&format!("http://{}/", server.host())),
        "{sitemap}"
    );
}

#[test]
fn range_on_an_html_page_is_a_slice_of_the_full_response() {
    let server = Server::start();
    let full = server.get("/", &[]);
    assert_eq!(full.status, 200);
    let len = full.body.len();
    assert!(String::from_utf8_lossy(&full.body).contains("/__deling/reload.js"));
    let part = server.get_range("/", "bytes=10-49");
    assert_eq!(part.status, 206);
    assert_eq!(part.body, full.body[10..50]);
    assert_eq!(
        part.header("Content-Range"),
        Some(format!("bytes 10-49/{len}").as_str())
    );
    // The end of the page, reload script and all, is where the full response has it.
    let tail = server.get_range("/", &format!("bytes={}-", len - 200));
    assert_eq!(tail.body, full.body[len - 200..]);
}

#[test]
fn suffix_range_is_served_clamped() {
    let server = Server::start();
    let full = server.get("/", &[]).body;
    let len = full.len();
    let last = server.get_range("/", "bytes=-100");
    assert_eq!(last.status, 206);
    assert_eq!(last.body, full[len - 100..]);
    assert_eq!(
        last.header("Content-Range"),
        Some(format!("bytes {}-{}/{len}", len - 100, len - 1).as_str())
    );
    let longer = server.get_range("/", &format!("bytes=-{}", len + 1000));
    assert_eq!(longer.status, 206);
    assert_eq!(longer.body, full);
    assert_eq!(
        longer.header("Content-Range"),
        Some(format!("bytes 0-{}/{len}", len - 1).as_str())
    );
}

#[test]
fn range_reaching_past_the_end_is_served_clamped() {
    let server = Server::start();
    let full = server.get("/", &[]).body;
    let len = full.len();
    let reply = server.get_range("/", &format!("bytes=5-{}", len + 1000));
    assert_eq!(reply.status, 206);
    assert_eq!(reply.body, full[5..]);
    assert_eq!(
        reply.header("Content-Range"),
        Some(format!("bytes 5-{}/{len}", len - 1).as_str())
    );
}

#[test]
fn range_starting_past_the_end_is_unsatisfiable_against_the_full_length() {
    let server = Server::start();
    let len = server.get("/", &[]).body.len();
    // Past the built page's end, but within the response, which has the reload script too.
    let within = server.get_range("/", &format!("bytes={}-", len - 1));
    assert_eq!(within.status, 206);
    let reply = server.get_range("/", &format!("bytes={len}-"));
    assert_eq!(reply.status, 416);
    assert_eq!(
        reply.header("Content-Range"),
        Some(format!("bytes */{len}").as_str())
    );
}

#[test]
fn multiple_ranges_get_the_whole_file() {
    let server = Server::start();
    let full = server.get("/", &[]).body;
    let reply = server.get_range("/", "bytes=0-9,20-29");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, full);
    assert_eq!(reply.header("Content-Range"), None);
}

#[test]
fn unknown_range_unit_or_malformed_range_gets_the_whole_file() {
    let server = Server::start();
    let full = server.get("/", &[]).body;
    for range in ["items=0-9", "bytes=abc", "bytes=9-0"] {
        let reply = server.get_range("/", range);
        assert_eq!(reply.status, 200, "{range}");
        assert_eq!(reply.body, full, "{range}");
    }
}

#[test]
fn redirect_keeps_the_query() {
    let server = Server::start();
    let reply = server.get("/sok?q=sosialhjelp", &[]);
    assert!(matches!(reply.status, 301 | 308), "{}", reply.status);
    assert_eq!(reply.header("Location"), Some("/sok/?q=sosialhjelp"));
    // Only ever to a path on this server, however many slashes the request starts with.
    assert_eq!(server.get("//sok", &[]).header("Location"), Some("/sok/"));
}

#[test]
fn foreign_host_is_refused_against_dns_rebinding() {
    let server = Server::start();
    let port = server.port;
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "localhost:1".to_string(),
    ] {
        for target in ["/", "/__deling/events", "/__deling/reload.js"] {
            let reply = server.get(target, &[("Host", &host)]);
            assert_eq!(reply.status, 421, "{host} {target}");
            assert!(
                String::from_utf8_lossy(&reply.body).contains("svarer bare på"),
                "{host} {target}"
            );
        }
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
    ] {
        assert_eq!(server.get("/", &[("Host", &host)]).status, 200, "{host}");
    }
}
