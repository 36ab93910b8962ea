//! Any file text through the loader's own parsing: front matter split, TOML, every field of
//! every record kind, of a network and of an about page. Problems must come back as
//! diagnostics, never a panic.

#![no_main]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use deling::content::{Network, Owner, RecordKind, parse};
use deling::diagnostics::{Diagnostic, Diagnostics};
use deling::files::source::Disk;
use deling::reference::ReferenceData;
use libfuzzer_sys::fuzz_target;

/// The repository's real reference data and networks, read once, so fields that name
/// municipalities, solutions or ministries are checked against real ids (and their suggestions).
struct Fixture {
    reference: ReferenceData,
    networks: BTreeMap<String, Network>,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let diagnostics = Diagnostics::new();
    let reference = ReferenceData::load(&Disk(&root), &diagnostics);
    let mut networks = BTreeMap::new();
    // A Bokmål and a Nynorsk network: a record's default language comes from its network.
    for id in ["digi-agder", "digi-more-og-romsdal"] {
        let file = PathBuf::from(format!("content/nettverk/{id}/index.md"));
        let text = std::fs::read_to_string(root.join(&file)).expect("network file");
        let mut problems = Vec::new();
        let network = parse::network(id, &file, &text, &reference, &mut problems);
        diagnostics.extend(problems);
        networks.insert(id.to_string(), network.expect("real network parses"));
    }
    let problems = diagnostics.into_sorted();
    assert!(
        problems.is_empty(),
        "real content has problems: {problems:?}"
    );
    Fixture {
        reference,
        networks,
    }
});

fuzz_target!(|data: &[u8]| {
    // The loader rejects non-UTF-8 files before parsing; lossy conversion still lets the
    // fuzzer's byte mutations reach the parser.
    let text = String::from_utf8_lossy(data);
    let fixture = &*FIXTURE;
    let cx = parse::Context {
        reference: &fixture.reference,
        networks: &fixture.networks,
    };
    // Every input as each record kind (each with another owner, so national and network
    // defaults are both used) and as a network: one input exercises every field reader.
    let file = Path::new("content/fuzz.md");
    let mut problems = Vec::new();
    for (kind, owner) in [
        (RecordKind::Practice, Owner::National),
        (RecordKind::Barrier, Owner::Network("digi-agder".into())),
        (
            RecordKind::Project,
            Owner::Network("digi-more-og-romsdal".into()),
        ),
    ] {
        parse::record(kind, "fuzz", owner, file, &text, &cx, &mut problems);
    }
    parse::network("fuzz", file, &text, &fixture.reference, &mut problems);
    parse::about("fuzz", file, &text, &mut problems);
    // Contributors are sent to file:line:column, which are 1-based.
    for problem in &problems {
        check_position(problem);
    }
});

fn check_position(problem: &Diagnostic) {
    assert!(
        problem.pos.line >= 1 && problem.pos.column >= 1,
        "position not 1-based: {problem:?}"
    );
}
