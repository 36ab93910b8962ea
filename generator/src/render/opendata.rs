//! Open data: every record as JSON (schema in `data/poster.schema.json`, documented on `/data/`)
//! and each kind as CSV for Norwegian spreadsheets, under the licence `sharing::LICENCE`, so
//! others can build on the knowledge base without scraping it.

use anyhow::Result;
use serde::Serialize;
use std::borrow::Cow;

use super::Site;
use super::sharing::{LICENCE, Licence};
use crate::content::vocab::Term;
use crate::content::{Details, Link, Markdown, Owner, Record};
use crate::output::Sink;

pub const SCHEMA: &str = include_str!("poster.schema.json");
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Export<'a> {
    format_version: u32,
    schema: String,
    /// The licence of the content and the data.
    licence: Licence,
    records: Vec<ExportRecord<'a>>,
}

#[derive(Serialize)]
struct ExportRecord<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    url: String,
    title: &'a str,
    summary: &'a str,
    language: &'static str,
    published: String,
    updated: Option<String>,
    owner: String,
    networks: &'a [String],
    service_areas: &'a [String],
    solutions: &'a [String],
    municipalities: &'a [String],
    tags: &'a [String],
    contact: Option<&'a str>,
    sources: Vec<ExportLink<'a>>,
    body_markdown: &'a str,
    /// One of `practice`, `barrier` or `project`, after the common fields.
    #[serde(flatten)]
    details: ExportDetails<'a>,
}

/// The fields of a record's kind, under the kind's name. Fields in alphabetical order, the
/// order `data/poster.json` has always had.
#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum ExportDetails<'a> {
    Practice {
        attachments: Vec<ExportLink<'a>>,
        lessons: Option<&'a str>,
        maturity: Term,
        problem: &'a str,
        results: Option<&'a str>,
        reuse: Option<&'a str>,
    },
    Barrier {
        agency: Option<&'a str>,
        consequence: &'a str,
        legal_references: Vec<ExportLegalReference<'a>>,
        ministry: &'a str,
        proposed_change: &'a str,
        reported_by: &'a str,
        status: Term,
        status_log: Vec<ExportStatusChange<'a>>,
    },
    Project {
        deliverables: &'a [String],
        end: Option<String>,
        funding: &'a [Term],
        owner: &'a str,
        participants: &'a [String],
        phase: Term,
        purpose: &'a str,
        results: Option<&'a str>,
        start: Option<String>,
        status: Term,
    },
}

#[derive(Serialize)]
struct ExportLegalReference<'a> {
    law: &'a str,
    section: Option<&'a str>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct ExportStatusChange<'a> {
    date: String,
    note: Option<&'a str>,
    status: Term,
}

#[derive(Serialize)]
struct ExportLink<'a> {
    title: &'a str,
    url: &'a str,
}

impl<'a> From<&'a Link> for ExportLink<'a> {
    fn from(link: &'a Link) -> Self {
        ExportLink {
            title: &link.title,
            url: &link.url,
        }
    }
}

fn date(d: chrono::NaiveDate) -> String {
    d.to_string()
}

fn export_record<'a>(site: &Site<'_>, r: &'a Record) -> ExportRecord<'a> {
    let c = &r.common;
    ExportRecord {
        id: r.id(),
        kind: r.kind.id(),
        url: site.urls.absolute(&r.path()),
        title: &c.title,
        summary: &c.summary,
        language: c.language.code(),
        published: date(c.published),
        updated: c.updated.map(date),
        owner: match &r.owner {
            Owner::Network(id) => id.clone(),
            Owner::National => "nasjonalt".into(),
        },
        networks: &c.networks,
        service_areas: &c.service_areas,
        solutions: &c.solutions,
        municipalities: &c.municipalities,
        tags: &c.tags,
        contact: c.contact.as_deref(),
        sources: c.sources.iter().map(ExportLink::from).collect(),
        body_markdown: &r.body.text,
        details: export_details(&r.details),
    }
}

fn export_details(details: &Details) -> ExportDetails<'_> {
    fn md(m: &Option<Markdown>) -> Option<&str> {
        m.as_ref().map(|m| m.text.as_str())
    }
    match details {
        Details::Practice(p) => ExportDetails::Practice {
            attachments: p.attachments.iter().map(ExportLink::from).collect(),
            lessons: md(&p.lessons),
            maturity: p.maturity,
            problem: &p.problem.text,
            results: md(&p.results),
            reuse: md(&p.reuse),
        },
        Details::Barrier(b) => ExportDetails::Barrier {
            agency: b.agency.as_deref(),
            consequence: &b.consequence.text,
            legal_references: b
                .legal_references
                .iter()
                .map(|l| ExportLegalReference {
                    law: &l.law,
                    section: l.section.as_deref(),
                    url: l.url.as_deref(),
                })
                .collect(),
            ministry: &b.ministry,
            proposed_change: &b.proposed_change.text,
            reported_by: &b.reported_by,
            status: b.status,
            status_log: b
                .status_log
                .iter()
                .map(|s| ExportStatusChange {
                    date: date(s.date),
                    note: s.note.as_deref(),
                    status: s.status,
                })
                .collect(),
        },
        Details::Project(p) => ExportDetails::Project {
            deliverables: &p.deliverables,
            end: p.end.map(date),
            funding: &p.funding,
            owner: &p.owner,
            participants: &p.participants,
            phase: p.phase,
            purpose: &p.purpose.text,
            results: md(&p.results),
            start: p.start.map(date),
            status: p.status,
        },
    }
}

/// Writes the open data into `sink`; `poster.json`, every record's text, is streamed to it
/// rather than held whole, and written compact (indentation made it a tenth larger).
pub fn write(site: &Site<'_>, sink: &dyn Sink) -> Result<()> {
    let mut records: Vec<&Record> = site.records.clone();
    records.sort_by_key(|r| r.id());
    let export = Export {
        format_version: FORMAT_VERSION,
        schema: site.urls.absolute("data/poster.schema.json"),
        licence: LICENCE,
        records: records.iter().map(|r| export_record(site, r)).collect(),
    };
    sink.put_streamed("data/poster.json".into(), &mut |out| {
        Ok(serde_json::to_writer(out, &export)?)
    })?;
    sink.put("data/poster.schema.json".into(), SCHEMA.into())?;
    sink.put("data/erfaringer.csv".into(), practices_csv(site, &records)?)?;
    sink.put("data/hindringer.csv".into(), barriers_csv(site, &records)?)?;
    sink.put("data/prosjekter.csv".into(), projects_csv(site, &records)?)?;
    Ok(())
}

/// A CSV cell that a spreadsheet shows as text. Excel, LibreOffice and Google Sheets run a cell
/// starting with `=`, `+`, `-` or `@` as a formula (and skip a leading tab or carriage return
/// first), so a title such as `=HYPERLINK(…)` could send data away or start a program. OWASP's
/// rule: such a cell gets a leading `'`, which spreadsheets read as "this is text".
fn cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The byte order mark that tells Excel a CSV file is UTF-8 (without it, Norwegian Excel reads
/// it as Windows-1252 and shows «Ã¸» for «ø»).
pub const BOM: &str = "\u{feff}";

/// Writes CSV for Norwegian spreadsheets: UTF-8 with a BOM, cells separated by `;` (the list
/// separator of Norwegian Excel, whose decimal separator is the comma), every cell through
/// [`cell`].
struct CsvWriter(csv::Writer<Vec<u8>>);

impl CsvWriter {
    fn new() -> CsvWriter {
        CsvWriter(
            csv::WriterBuilder::new()
                .delimiter(b';')
                .from_writer(BOM.as_bytes().to_vec()),
        )
    }

    fn write<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> Result<()> {
        self.0
            .write_record(cells.into_iter().map(|text| match cell(text) {
                Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
                Cow::Owned(text) => Cow::Owned(text.into_bytes()),
            }))?;
        Ok(())
    }

    fn finish(self) -> Result<Vec<u8>> {
        Ok(self.0.into_inner()?)
    }
}

/// The columns every kind's CSV ends with.
const COMMON_COLUMNS: [&str; 5] = ["nettverk", "kommuner", "publisert", "sist_endret", "url"];

/// The values of [`COMMON_COLUMNS`] for one record.
fn common_cells(site: &Site<'_>, r: &Record) -> [String; 5] {
    // Number and name ("0301 Oslo"): a bare number would lose its leading zero in a spreadsheet.
    let municipalities: Vec<String> = r
        .common
        .municipalities
        .iter()
        .map(|n| {
            let m = &site.loaded.reference.municipalities[n];
            format!("{} {}", m.number, m.name)
        })
        .collect();
    let networks: Vec<&str> = r
        .common
        .networks
        .iter()
        .map(|n| site.loaded.networks[n].name.as_str())
        .collect();
    [
        networks.join("; "),
        municipalities.join("; "),
        date(r.common.published),
        date(r.common.last_changed()),
        site.urls.absolute(&r.path()),
    ]
}

/// One kind's CSV: a header row, then a row per record of the kind (`row` gives the kind's
/// own cells, or `None` for a record of another kind), each followed by the common cells.
fn kind_csv(
    site: &Site<'_>,
    records: &[&Record],
    columns: &[&str],
    row: impl Fn(&Record) -> Option<Vec<String>>,
) -> Result<Vec<u8>> {
    let mut writer = CsvWriter::new();
    writer.write(columns.iter().chain(&COMMON_COLUMNS).copied())?;
    for r in records {
        let Some(own) = row(r) else {
            continue;
        };
        let common = common_cells(site, r);
        writer.write(own.iter().chain(&common).map(String::as_str))?;
    }
    writer.finish()
}

fn barriers_csv(site: &Site<'_>, records: &[&Record]) -> Result<Vec<u8>> {
    let columns = [
        "id",
        "tittel",
        "status",
        "departement",
        "etat",
        "meldt_av",
        "lovhenvisninger",
    ];
    kind_csv(site, records, &columns, |r| {
        let Details::Barrier(b) = &r.details else {
            return None;
        };
        let legal: Vec<String> = b
            .legal_references
            .iter()
            .map(|l| {
                let name = l.citation();
                match &l.url {
                    Some(url) => format!("{name} <{url}>"),
                    None => name,
                }
            })
            .collect();
        Some(vec![
            r.id(),
            r.common.title.clone(),
            b.status.value.to_string(),
            site.loaded.reference.ministries[&b.ministry]
                .name_nb
                .clone(),
            b.agency.clone().unwrap_or_default(),
            b.reported_by.clone(),
            legal.join("; "),
        ])
    })
}

fn practices_csv(site: &Site<'_>, records: &[&Record]) -> Result<Vec<u8>> {
    let reference = &site.loaded.reference;
    let columns = [
        "id",
        "tittel",
        "ingress",
        "modenhet",
        "tjenesteomrader",
        "losninger",
    ];
    kind_csv(site, records, &columns, |r| {
        let Details::Practice(p) = &r.details else {
            return None;
        };
        let c = &r.common;
        let areas: Vec<&str> = c
            .service_areas
            .iter()
            .map(|a| reference.service_areas[a].name_nb.as_str())
            .collect();
        let solutions: Vec<&str> = c
            .solutions
            .iter()
            .map(|s| reference.solutions[s].name.as_str())
            .collect();
        Some(vec![
            r.id(),
            c.title.clone(),
            c.summary.clone(),
            p.maturity.value.to_string(),
            areas.join("; "),
            solutions.join("; "),
        ])
    })
}

fn projects_csv(site: &Site<'_>, records: &[&Record]) -> Result<Vec<u8>> {
    let columns = [
        "id",
        "tittel",
        "fase",
        "status",
        "eier",
        "start",
        "slutt",
        "finansiering",
    ];
    kind_csv(site, records, &columns, |r| {
        let Details::Project(p) = &r.details else {
            return None;
        };
        let funding: Vec<&str> = p.funding.iter().map(|f| f.value).collect();
        Some(vec![
            r.id(),
            r.common.title.clone(),
            p.phase.value.to_string(),
            p.status.value.to_string(),
            p.owner.clone(),
            p.start.map(date).unwrap_or_default(),
            p.end.map(date).unwrap_or_default(),
            funding.join("; "),
        ])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_are_kept_as_text() {
        for formula in [
            "=1+1",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(cell(formula), format!("'{formula}"));
        }
        for text in [
            "Deling av opplysningar",
            "4601",
            "2024-05-02",
            "",
            " =1",
            "a=b",
        ] {
            assert!(matches!(cell(text), Cow::Borrowed(t) if t == text));
        }
    }
}
