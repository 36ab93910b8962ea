//! `deling import-issue`: turns the body of a GitHub issue-form submission (the `### Label`
//! sections GitHub writes) into a correctly placed record file that passes `check`, or into a
//! list of problems, each naming the form field (its label) and saying how to fix it in the form.
//!
//! The forms in `.github/ISSUE_TEMPLATE/` are the one source of the labels: they are read from
//! the site's root (or, where it has none, the copies built into `deling`), and each field's
//! `id` is the front-matter key it fills (`network`, `body` and `personvern` aside). What people
//! write is resolved by [`crate::lookup`]; the written file is then checked by the same
//! [`super::check::run`] as `deling check`, and any problem it finds in the file is reported
//! against the form field that produced the line. On problems, nothing is left behind.

use super::import_files;
use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::RecordKind;
use crate::diagnostics::{closest, or_list, visible};
use crate::files::source::refuse_writing_through_links;
use crate::lookup::{self, Problem};
use crate::reference::ReferenceData;

/// Where GitHub keeps issue forms.
pub const FORMS_DIR: &str = ".github/ISSUE_TEMPLATE";

/// The form file of each kind, and its text as built into `deling` (used when the site's root
/// has no `.github/`).
fn form_file(kind: RecordKind) -> (&'static str, &'static str) {
    match kind {
        RecordKind::Practice => (
            "del-en-erfaring.yml",
            include_str!("../../../.github/ISSUE_TEMPLATE/del-en-erfaring.yml"),
        ),
        RecordKind::Barrier => (
            "meld-en-regelverkshindring.yml",
            include_str!("../../../.github/ISSUE_TEMPLATE/meld-en-regelverkshindring.yml"),
        ),
        RecordKind::Project => (
            "beskriv-et-prosjekt.yml",
            include_str!("../../../.github/ISSUE_TEMPLATE/beskriv-et-prosjekt.yml"),
        ),
    }
}

/// The first line of every file import-issue writes, naming its issue: a TOML comment, so
/// `check` reads past it, and the mark that lets a re-import replace the file.
fn marker(issue: Option<u64>) -> String {
    match issue {
        Some(n) => format!("# Importert fra sak #{n} med deling import-issue."),
        None => "# Importert fra et skjema med deling import-issue.".to_string(),
    }
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub root: PathBuf,
    /// The record kind; `None` to tell it from the form's labels.
    pub kind: Option<RecordKind>,
    /// The issue body as GitHub writes it.
    pub body: String,
    /// The issue's number: a file written for it may be replaced by a later import of it.
    pub issue: Option<u64>,
    /// The date the record is published (the issue's date; default today).
    pub published: NaiveDate,
    /// The folder where the workflow downloaded the files dragged into the form, with its
    /// list (`import_files::MANIFEST`); `None` when there are none.
    pub attachments: Option<PathBuf>,
}

/// One problem, named by the form field's label, with how to fix it in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormProblem {
    pub field: String,
    pub message: String,
    pub help: String,
}

#[derive(Debug, Serialize)]
pub struct Imported {
    /// `praksis`, `hindring` or `prosjekt`.
    pub kind: Option<&'static str>,
    /// The record file, relative to the root, if it was written.
    pub file: Option<PathBuf>,
    /// Whether an earlier import of the same issue was replaced.
    pub replaced: bool,
    /// Errors: when there are any, nothing was written.
    pub problems: Vec<FormProblem>,
    /// Warnings `check` gave about the written file; it was written all the same.
    pub warnings: Vec<FormProblem>,
}

// ---- The forms ---------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct FormFile {
    body: Vec<Element>,
}

#[derive(Debug, Deserialize)]
struct Element {
    #[serde(rename = "type")]
    kind: String,
    id: Option<String>,
    #[serde(default)]
    attributes: Attributes,
    #[serde(default)]
    validations: Validations,
}

#[derive(Debug, Default, Deserialize)]
struct Attributes {
    label: Option<String>,
    #[serde(default)]
    options: Vec<FormOption>,
    #[serde(default)]
    multiple: bool,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FormOption {
    Text(String),
    Checkbox { label: String },
}

impl FormOption {
    fn text(&self) -> &str {
        match self {
            FormOption::Text(t) => t,
            FormOption::Checkbox { label } => label,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct Validations {
    #[serde(default)]
    required: bool,
}

/// One input of a form.
#[derive(Debug, Clone)]
struct Field {
    id: String,
    label: String,
    kind: String,
    options: Vec<String>,
    multiple: bool,
    required: bool,
}

#[derive(Debug)]
struct Form {
    kind: RecordKind,
    fields: Vec<Field>,
}

impl Form {
    fn load(root: &Path, kind: RecordKind) -> Result<Form> {
        let (name, built_in) = form_file(kind);
        let path = root.join(FORMS_DIR).join(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => built_in.to_string(),
            Err(e) => return Err(e).with_context(|| format!("kunne ikke lese {FORMS_DIR}/{name}")),
        };
        let file: FormFile = serde_norway::from_str(&text)
            .with_context(|| format!("skjemaet {FORMS_DIR}/{name} er ikke gyldig YAML"))?;
        let fields = file
            .body
            .into_iter()
            .filter(|e| e.kind != "markdown")
            .filter_map(|e| {
                Some(Field {
                    id: e.id?,
                    label: e.attributes.label?,
                    kind: e.kind,
                    options: e
                        .attributes
                        .options
                        .iter()
                        .map(|o| o.text().to_string())
                        .collect(),
                    multiple: e.attributes.multiple,
                    required: e.validations.required,
                })
            })
            .collect();
        Ok(Form { kind, fields })
    }

    fn label(&self, id: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .map_or_else(|| id.to_string(), |f| f.label.clone())
    }

    /// The field's value by id: the text under its `### Label` heading, `None` when GitHub
    /// wrote `_No response_` or the section is missing.
    fn sections(&self, body: &str) -> BTreeMap<String, String> {
        let body = body.replace("\r\n", "\n").replace('\r', "\n");
        let mut values = BTreeMap::new();
        let mut current: Option<&Field> = None;
        let mut text = String::new();
        let mut finish = |field: Option<&Field>, text: &mut String| {
            if let Some(field) = field {
                let value = text.trim().to_string();
                if value != "_No response_" && !value.is_empty() {
                    values.insert(field.id.clone(), value);
                }
            }
            text.clear();
        };
        for line in body.lines() {
            let heading = line
                .strip_prefix("### ")
                .map(str::trim)
                .and_then(|label| self.fields.iter().find(|f| f.label.trim() == label));
            if let Some(field) = heading {
                finish(current, &mut text);
                current = Some(field);
            } else if current.is_some() {
                text.push_str(line);
                text.push('\n');
            }
        }
        finish(current, &mut text);
        values
    }

    /// How many of the body's `### ` headings are this form's labels.
    fn matching_headings(&self, body: &str) -> usize {
        body.lines()
            .filter_map(|l| l.strip_prefix("### ").map(str::trim))
            .filter(|label| self.fields.iter().any(|f| f.label.trim() == *label))
            .count()
    }
}

/// The kind whose form the body was written with: the form with the most of the body's
/// headings among its labels, if only one has that many.
fn infer_kind(forms: &[Form], body: &str) -> Option<RecordKind> {
    let scores: Vec<(usize, RecordKind)> = forms
        .iter()
        .map(|f| (f.matching_headings(body), f.kind))
        .collect();
    let best = scores.iter().map(|s| s.0).max()?;
    let winners: Vec<RecordKind> = scores.iter().filter(|s| s.0 == best).map(|s| s.1).collect();
    match winners.as_slice() {
        [kind] if best > 0 => Some(*kind),
        _ => None,
    }
}

// ---- From values to front matter -----------------------------------------------------------

/// The record being built: front-matter entries in the order written, each with the form field
/// that produced it, and the problems found.
struct Builder<'a> {
    form: &'a Form,
    reference: &'a ReferenceData,
    values: BTreeMap<String, String>,
    entries: Vec<(String, toml::Value, String)>,
    tables: Vec<(String, toml::Value, String)>,
    problems: Vec<FormProblem>,
}

fn fix_in_form(label: &str, help: &str) -> String {
    let help = help.trim().trim_end_matches('.');
    let stop = if help.ends_with(['?', '!']) { "" } else { "." };
    if help.is_empty() {
        format!("Rediger saken og rett feltet «{label}».")
    } else {
        let mut chars = help.chars();
        let first: String = chars
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default();
        format!(
            "{first}{}{stop} Rediger saken og rett feltet «{label}».",
            chars.as_str()
        )
    }
}

impl Builder<'_> {
    fn problem(&mut self, id: &str, message: impl Into<String>, help: &str) {
        let label = self.form.label(id);
        self.problems.push(FormProblem {
            message: message.into(),
            help: fix_in_form(&label, help),
            field: label,
        });
    }

    fn lookup_problem(&mut self, id: &str, problem: Problem) {
        self.problem(id, problem.message, &problem.help);
    }

    fn value(&self, id: &str) -> Option<String> {
        self.values.get(id).cloned()
    }

    fn field(&self, id: &str) -> Option<&Field> {
        self.form.fields.iter().find(|f| f.id == id)
    }

    fn push(&mut self, key: &str, value: toml::Value) {
        self.entries.push((key.to_string(), value, key.to_string()));
    }

    /// Every required field that is empty.
    fn required(&mut self) {
        let empty: Vec<(String, String)> = self
            .form
            .fields
            .iter()
            .filter(|f| f.required && f.kind != "checkboxes" && !self.values.contains_key(&f.id))
            .map(|f| (f.id.clone(), f.label.clone()))
            .collect();
        for (id, label) in empty {
            self.problem(&id, format!("feltet «{label}» er tomt"), "fyll det ut");
        }
    }

    /// Text as written, trimmed.
    fn text(&mut self, id: &str) {
        if let Some(value) = self.value(id) {
            self.push(id, toml::Value::String(value));
        }
    }

    /// A one-line text: trimmed, enclosing quotes taken away.
    fn line(&mut self, id: &str) {
        if let Some(value) = self.value(id) {
            self.push(id, toml::Value::String(lookup::clean(&value)));
        }
    }

    /// The values chosen in a dropdown. A multiple dropdown joins its options with `, `, and
    /// options may hold commas themselves («Plan, bygg og geodata»), so whole options are
    /// taken out first; what is left is split as a list.
    fn choices(&self, id: &str) -> Vec<String> {
        let Some(value) = self.value(id) else {
            return Vec::new();
        };
        let Some(field) = self.field(id) else {
            return lookup::split_list(&value);
        };
        if !field.multiple {
            return vec![lookup::clean(&value)];
        }
        let mut rest = value.clone();
        let mut found: Vec<(usize, String)> = Vec::new();
        let mut options = field.options.clone();
        options.sort_by_key(|o| std::cmp::Reverse(o.len()));
        for option in options {
            while let Some(at) = rest.find(&option) {
                found.push((at, option.clone()));
                rest.replace_range(at..at + option.len(), &"\n".repeat(option.len()));
            }
        }
        let mut at = 0;
        for part in rest.split(['\n', ',', ';']) {
            let cleaned = lookup::clean(part);
            if !cleaned.is_empty() {
                found.push((at, cleaned));
            }
            at += part.len() + 1;
        }
        found.sort();
        found.into_iter().map(|(_, v)| v).collect()
    }

    /// A dropdown whose options are the values themselves (maturity, status, phase, language,
    /// networks, funding): a value must be one of them (case aside).
    fn options(&mut self, id: &str) {
        let Some(field) = self.field(id).cloned() else {
            return;
        };
        let mut chosen = Vec::new();
        for value in self.choices(id) {
            match field
                .options
                .iter()
                .find(|o| o.to_lowercase() == value.to_lowercase())
            {
                Some(option) => chosen.push(option.clone()),
                None => {
                    let near = closest(&value, field.options.iter().map(String::as_str));
                    let help = if near.is_empty() {
                        format!("velg {}", or_list(&field.options))
                    } else {
                        format!("mente du {}? Velg en verdi i listen", or_list(&near))
                    };
                    self.problem(
                        id,
                        format!("«{}» er ikke et av valgene", visible(&value)),
                        &help,
                    );
                }
            }
        }
        if chosen.is_empty() {
            return;
        }
        if field.multiple {
            self.push(id, strings(chosen));
        } else {
            self.push(id, toml::Value::String(chosen.remove(0)));
        }
    }

    /// Values resolved one by one (service areas, solutions, municipalities, ministry).
    fn resolved(
        &mut self,
        id: &str,
        items: Vec<String>,
        resolve: impl Fn(&ReferenceData, &str) -> Result<String, Problem>,
    ) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for item in items {
            match resolve(self.reference, &item) {
                Ok(found) if !ids.contains(&found) => ids.push(found),
                Ok(_) => {}
                Err(problem) => self.lookup_problem(id, problem),
            }
        }
        ids
    }

    fn list(&mut self, id: &str, lower_case: bool) {
        let Some(value) = self.value(id) else {
            return;
        };
        // A value on several lines is one item per line (a deliverable may hold a comma);
        // on one line, commas and semicolons separate.
        let items: Vec<String> = if value.trim().contains('\n') {
            value
                .lines()
                .map(lookup::clean)
                .filter(|v| !v.is_empty())
                .collect()
        } else {
            lookup::split_list(&value)
        };
        let items = items
            .into_iter()
            .map(|v| if lower_case { v.to_lowercase() } else { v })
            .collect();
        self.push(id, strings(items));
    }

    fn date(&mut self, id: &str) {
        if let Some(value) = self.value(id) {
            match lookup::date(&value) {
                Ok(date) => self.push(id, toml_date(date)),
                Err(problem) => self.lookup_problem(id, problem),
            }
        }
    }

    /// Lines of «Title – https://…»: `[[sources]]`, `[[attachments]]`.
    fn links(&mut self, id: &str) {
        self.url_lines(
            id,
            "har ingen nettadresse",
            "skriv én kilde per linje: tittel, tankestrek og nettadressen, for eksempel «Rapport – https://www.ks.no/rapport»",
            |_, title, url| {
                let title = if title.is_empty() { url.clone() } else { title };
                let mut table = toml::Table::new();
                table.insert("title".into(), toml::Value::String(title));
                table.insert("url".into(), toml::Value::String(url));
                Some(table)
            },
        );
    }

    /// Lines of «Forvaltningsloven § 13 – https://lovdata.no/…»: `[[legal_references]]`.
    fn legal_references(&mut self) {
        self.url_lines(
            "legal_references",
            "har ingen lenke til lovdata.no",
            "skriv én bestemmelse per linje: loven, paragrafen og lenken, for eksempel «Forvaltningsloven § 13 – https://lovdata.no/lov/1967-02-10/§13»",
            |this, text, url| {
                let (law, section) = match text.split_once('§') {
                    Some((law, section)) => (
                        law.trim().to_string(),
                        Some(format!("§ {}", section.trim())),
                    ),
                    None => (text.clone(), None),
                };
                if law.is_empty() {
                    this.problem(
                        "legal_references",
                        format!("«{}» mangler navnet på loven", visible(&text)),
                        "skriv lovens navn foran paragrafen, for eksempel «Forvaltningsloven § 13 – https://lovdata.no/…»",
                    );
                    return None;
                }
                let mut table = toml::Table::new();
                table.insert("law".into(), toml::Value::String(law));
                if let Some(section) = section {
                    table.insert("section".into(), toml::Value::String(section));
                }
                table.insert("url".into(), toml::Value::String(url));
                Some(table)
            },
        );
    }

    /// A field of one «text – https://…» per line, as an array of tables: `table` makes each
    /// line's table from its text and URL (or reports it and gives none); a line without a URL
    /// is reported with `missing` and `help`.
    fn url_lines(
        &mut self,
        id: &str,
        missing: &str,
        help: &str,
        mut table: impl FnMut(&mut Self, String, String) -> Option<toml::Table>,
    ) {
        let Some(value) = self.value(id) else {
            return;
        };
        let mut tables = Vec::new();
        for line in value.lines().map(lookup::clean).filter(|l| !l.is_empty()) {
            let Some((text, url)) = split_url(&line) else {
                self.problem(id, format!("«{}» {missing}", visible(&line)), help);
                continue;
            };
            tables.extend(table(self, text, url).map(toml::Value::Table));
        }
        if !tables.is_empty() {
            self.tables
                .push((id.to_string(), toml::Value::Array(tables), id.to_string()));
        }
    }
}

/// «Title – https://…» as (title, url): the URL is the first word starting with http(s)://.
fn split_url(line: &str) -> Option<(String, String)> {
    let start = line.find("https://").or_else(|| line.find("http://"))?;
    let url: String = line[start..]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_end_matches(['.', ',', ')', '>'])
        .to_string();
    let title = line[..start]
        .trim()
        .trim_end_matches(['–', '—', '-', ':', ',', '(', '<'])
        .trim()
        .to_string();
    Some((title, url))
}

fn strings(items: Vec<String>) -> toml::Value {
    toml::Value::Array(items.into_iter().map(toml::Value::String).collect())
}

fn toml_date(date: NaiveDate) -> toml::Value {
    toml::Value::Datetime(
        date.format("%Y-%m-%d")
            .to_string()
            .parse()
            .expect("a date is a TOML date"),
    )
}

/// The front matter and body, and the line each form field's entry starts on. The pictures
/// and documents of the files field go after the body, and their lines are that field's.
fn render_file(marker: &str, draft: &Draft) -> (String, Vec<(usize, String)>) {
    let (entries, tables) = (&draft.entries, &draft.tables);
    let mut text = format!("+++\n{marker}\n");
    let mut lines = Vec::new();
    for (i, (key, value, field)) in entries.iter().chain(tables).enumerate() {
        if i >= entries.len() {
            text.push('\n');
        }
        let mut table = toml::Table::new();
        table.insert(key.clone(), value.clone());
        let chunk = toml::to_string(&table).expect("a table serializes");
        lines.push((text.lines().count() + 1, field.clone()));
        text.push_str(&chunk);
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    text.push_str("+++\n\n");
    lines.push((text.lines().count(), "body".to_string()));
    let body = draft.body.trim();
    text.push_str(body);
    if let Some(files) = draft.files.as_deref().map(str::trim) {
        if !body.is_empty() {
            text.push_str("\n\n");
        }
        lines.push((text.lines().count() + 1, FILES_FIELD.to_string()));
        text.push_str(files);
    }
    text.push('\n');
    (text, lines)
}

// ---- Reading the form ----------------------------------------------------------------------

/// What the form's answers make: the front matter in the order it is written, the body, where
/// the file goes, and the problems found.
struct Draft {
    /// The network's folder and the title's slug; `None` when either has a problem (it is
    /// among `problems`).
    place: Option<(PathBuf, String)>,
    entries: Vec<(String, toml::Value, String)>,
    tables: Vec<(String, toml::Value, String)>,
    body: String,
    /// The files field's text, written after the body.
    files: Option<String>,
    problems: Vec<FormProblem>,
}

impl Builder<'_> {
    /// Reads every field, in the order the file will have them.
    fn draft(mut self, root: &Path, published: NaiveDate) -> Draft {
        self.required();
        let folder = self.network_folder(root);
        let slug = self.title();
        self.common_fields(published);
        match self.form.kind {
            RecordKind::Practice => self.practice_fields(),
            RecordKind::Barrier => self.barrier_fields(published),
            RecordKind::Project => self.project_fields(),
        }
        self.links("sources");
        self.privacy_confirmed();
        Draft {
            place: folder.zip(slug),
            body: self.value("body").unwrap_or_default(),
            // The pictures and documents dragged into their own field go at the end of the text.
            files: self.value(FILES_FIELD).filter(|f| !f.trim().is_empty()),
            entries: self.entries,
            tables: self.tables,
            problems: self.problems,
        }
    }

    /// The folder of the network chosen, or `None` (with the networks there are, if it is not
    /// one of them).
    fn network_folder(&mut self, root: &Path) -> Option<PathBuf> {
        let network = lookup::clean(&self.value("network")?);
        match super::new::network_folder(root, &network) {
            Ok((folder, _)) => Some(folder),
            Err(_) => {
                let known = super::new::known_networks(
                    &root
                        .join(crate::content::CONTENT_DIR)
                        .join(crate::content::NETWORKS_DIR),
                );
                self.problem(
                    "network",
                    format!("nettverket «{}» finnes ikke", visible(&network)),
                    &format!(
                        "velg {} eller «{}» for poster fra KS og poster på tvers av nettverk",
                        or_list(&known),
                        crate::content::NATIONAL_DIR
                    ),
                );
                None
            }
        }
    }

    /// The title, written to the front matter, and the file name it gives.
    fn title(&mut self) -> Option<String> {
        let title = lookup::clean(&self.value("title")?);
        let slug = match super::new::slug_for(&title) {
            Ok(slug) => Some(slug),
            Err(error) => {
                self.problem("title", format!("{error:#}"), "skriv en annen tittel");
                None
            }
        };
        self.push("title", toml::Value::String(title));
        slug
    }

    /// The fields every kind of record has.
    fn common_fields(&mut self, published: NaiveDate) {
        self.text("summary");
        self.options("language");
        self.push("published", toml_date(published));
        let areas = self.choices("service_areas");
        let areas = self.resolved("service_areas", areas, lookup::service_area);
        if !areas.is_empty() {
            self.push("service_areas", strings(areas));
        }
        let solutions = self.choices("solutions");
        let solutions = self.resolved("solutions", solutions, lookup::solution);
        if !solutions.is_empty() {
            self.push("solutions", strings(solutions));
        }
        self.options("networks");
        let municipalities = self
            .value("municipalities")
            .map(|v| lookup::split_list(&v))
            .unwrap_or_default();
        let municipalities = self.resolved("municipalities", municipalities, lookup::municipality);
        if !municipalities.is_empty() {
            self.push("municipalities", strings(municipalities));
        }
        self.list("tags", true);
        self.line("contact");
    }

    fn practice_fields(&mut self) {
        self.text("problem");
        self.options("maturity");
        self.text("results");
        self.text("lessons");
        self.text("reuse");
        self.links("attachments");
    }

    fn barrier_fields(&mut self, published: NaiveDate) {
        if let Some(value) = self.value("ministry") {
            match lookup::ministry(self.reference, &value) {
                Ok(id) => self.push("ministry", toml::Value::String(id)),
                Err(problem) => self.lookup_problem("ministry", problem),
            }
        }
        self.line("agency");
        self.text("consequence");
        self.text("proposed_change");
        self.line("reported_by");
        self.options("status");
        self.legal_references();
        // The status log starts with the status the form gives, on the publishing date.
        if let Some((_, toml::Value::String(status), _)) =
            self.entries.iter().find(|(k, _, _)| k == "status")
        {
            let mut entry = toml::Table::new();
            entry.insert("date".into(), toml_date(published));
            entry.insert("status".into(), toml::Value::String(status.clone()));
            self.tables.push((
                "status_log".into(),
                toml::Value::Array(vec![toml::Value::Table(entry)]),
                "status".into(),
            ));
        }
    }

    fn project_fields(&mut self) {
        self.text("purpose");
        self.options("phase");
        self.options("status");
        self.line("owner");
        self.list("participants", false);
        self.options("funding");
        self.date("start");
        self.date("end");
        self.list("deliverables", false);
        self.text("results");
    }

    /// The privacy confirmation must be ticked.
    fn privacy_confirmed(&mut self) {
        let form = self.form;
        let Some(field) = form
            .fields
            .iter()
            .find(|f| f.kind == "checkboxes" && f.required)
        else {
            return;
        };
        let ticked = self
            .value(&field.id)
            .is_some_and(|v| v.contains("[X]") || v.contains("[x]"));
        if !ticked {
            self.problem(
                &field.id,
                "bekreftelsen om personvern er ikke krysset av",
                "les bekreftelsen, fjern navn og personopplysninger om det er noen, og kryss av",
            );
        }
    }
}

// ---- Writing the file ------------------------------------------------------------------------

/// The file an import writes, and what is there already.
struct Target {
    /// Relative to the root, as problems name it.
    relative: PathBuf,
    path: PathBuf,
    marker: String,
    /// The file's text before the import, if it exists.
    previous: Option<String>,
}

impl Target {
    fn find(
        root: &Path,
        kind: RecordKind,
        (folder, slug): (PathBuf, String),
        issue: Option<u64>,
    ) -> Result<Target> {
        let relative = folder.join(kind.folder()).join(format!("{slug}.md"));
        let path = root.join(&relative);
        let previous = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(e).with_context(|| format!("kunne ikke lese {}", relative.display()));
            }
        };
        Ok(Target {
            relative,
            path,
            marker: marker(issue),
            previous,
        })
    }

    /// A problem if a file is there that is not an earlier import of the same issue: only such
    /// a file is ever replaced.
    fn clash(&self, issue: Option<u64>, form: &Form) -> Option<FormProblem> {
        let text = self.previous.as_ref()?;
        let ours = issue.is_some() && text.lines().take(2).any(|l| l.trim_end() == self.marker);
        if ours {
            return None;
        }
        Some(FormProblem {
            field: form.label("title"),
            message: format!(
                "det finnes allerede en post med filnavnet {}, og den er ikke laget fra denne saken",
                self.relative.display()
            ),
            help: fix_in_form(
                &form.label("title"),
                "gi posten en annen tittel, så får den et annet filnavn",
            ),
        })
    }

    /// Writes the file; the [`Written`] file can be taken back.
    fn write(self, root: &Path, text: &str) -> Result<Written> {
        refuse_writing_through_links(root, &self.relative)?;
        let parent = self.path.parent().expect("has a parent");
        let created_dir = !parent.exists();
        std::fs::create_dir_all(parent)
            .with_context(|| format!("kunne ikke lage mappen for {}", self.relative.display()))?;
        std::fs::write(&self.path, text)
            .with_context(|| format!("kunne ikke skrive {}", self.relative.display()))?;
        Ok(Written {
            target: self,
            created_dir,
        })
    }
}

/// A file written by the import, until it is kept or taken back.
struct Written {
    target: Target,
    created_dir: bool,
}

impl Written {
    /// Nothing left behind: the earlier import comes back, or the file goes.
    fn undo(&self) -> Result<()> {
        let path = &self.target.path;
        match &self.target.previous {
            Some(old) => std::fs::write(path, old)?,
            None => {
                std::fs::remove_file(path)?;
                if self.created_dir {
                    let _ = std::fs::remove_dir(path.parent().expect("has a parent"));
                }
            }
        }
        Ok(())
    }

    /// Whether `file`, as a diagnostic names it, is this file.
    fn is(&self, file: &Path) -> bool {
        let relative = &self.target.relative;
        file == relative.as_path() || file == self.target.path || file.ends_with(relative)
    }
}

// ---- The command --------------------------------------------------------------------------

/// The form field files are dragged into («Bilder og dokumenter»).
const FILES_FIELD: &str = "files";

pub fn run(options: &ImportOptions) -> Result<Imported> {
    let root = &options.root;
    let (options, mut uploads, refused) = take_uploads(options)?;
    let options = &options;
    let form = choose_form(options)?;
    let mut imported = Imported {
        kind: Some(form.kind.command_word()),
        file: None,
        replaced: false,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    if form.matching_headings(&options.body) == 0 {
        imported.problems.push(FormProblem {
            field: form.label("title"),
            message: "saken har ingen av feltene i skjemaet".to_string(),
            help: "Opprett saken med skjemaet, ikke som en tom sak, og fyll ut feltene."
                .to_string(),
        });
        return Ok(imported);
    }
    let diagnostics = crate::diagnostics::Diagnostics::new();
    let reference = ReferenceData::load(&crate::files::source::Disk(root), &diagnostics);
    // Broken reference data is the repository's to fix, not the contributor's: say so, with
    // where, instead of blaming the form for values the broken file no longer knows.
    if diagnostics.has_errors() {
        anyhow::bail!(
            "referansedataene i {} har feil, og de må rettes i repositoriet (ikke i saken) før \
             saken kan importeres:\n{}",
            crate::paths::REFERENCE_DIR,
            crate::diagnostics::report(&diagnostics.into_sorted())
        );
    }
    let make_draft = |uploads: &[import_files::Upload]| {
        Builder {
            form: &form,
            reference: &reference,
            values: form.sections(&import_files::rewrite(&options.body, uploads)),
            entries: Vec::new(),
            tables: Vec::new(),
            problems: Vec::new(),
        }
        .draft(root, options.published)
    };
    let mut draft = make_draft(&uploads);
    let mut problems = std::mem::take(&mut draft.problems);
    let Some(place) = draft.place.take() else {
        imported.problems = in_form_order(problems, &form);
        return Ok(imported);
    };
    let target = Target::find(root, form.kind, place, options.issue)?;
    // Files already in the record's folder are never overwritten: an upload gets another
    // name, or the name of the same file already there.
    if import_files::settle(&mut uploads, &root.join(target.relative.with_extension("")))? {
        draft = make_draft(&uploads);
    }
    problems.extend(target.clash(options.issue, &form));
    problems.extend(refused.iter().map(|r| refused_problem(r, &form)));
    if !problems.is_empty() {
        imported.problems = in_form_order(problems, &form);
        return Ok(imported);
    }

    write_and_check(root, target, &draft, &uploads, &form, imported)
}

/// Writes the record and copies its files, and runs `check`: with a problem in them, both are
/// taken back (an earlier import's file comes back; only files this import created go).
fn write_and_check(
    root: &Path,
    target: Target,
    draft: &Draft,
    uploads: &[import_files::Upload],
    form: &Form,
    mut imported: Imported,
) -> Result<Imported> {
    let (text, lines) = render_file(&target.marker, draft);
    let written = target.write(root, &text)?;
    let folder = written.target.relative.with_extension("");
    let copied = match import_files::Copied::into(root, &folder, uploads) {
        Ok(copied) => copied,
        Err(error) => {
            written.undo()?;
            return Err(error);
        }
    };
    // The same checks as `deling check`, on the site with the new file.
    let checked = super::check::run(root);
    let (problems, warnings) = match &checked {
        Ok(compiled) => problems_in_file(compiled, &written, &copied, &lines, form),
        Err(_) => (Vec::new(), Vec::new()),
    };
    imported.warnings = warnings;
    if checked.is_err() || !problems.is_empty() {
        copied.undo()?;
        written.undo()?;
        checked?;
        imported.problems = in_form_order(problems, form);
        return Ok(imported);
    }
    imported.replaced = written.target.previous.is_some();
    imported.file = Some(written.target.relative);
    Ok(imported)
}

/// The files the workflow downloaded, named, and the issue's text with GitHub's `<img>` tags
/// made Markdown images (their addresses are replaced by the names when the form is read).
fn take_uploads(
    options: &ImportOptions,
) -> Result<(
    ImportOptions,
    Vec<import_files::Upload>,
    Vec<import_files::Refused>,
)> {
    let body = import_files::html_images(&options.body);
    let (uploads, refused) = match &options.attachments {
        Some(dir) => import_files::read(dir, &body)?,
        None => (Vec::new(), Vec::new()),
    };
    let options = ImportOptions {
        body,
        attachments: None,
        ..options.clone()
    };
    Ok((options, uploads, refused))
}

/// The form the issue was written with: the kind given, or the one its headings tell.
fn choose_form(options: &ImportOptions) -> Result<Form> {
    let forms: Vec<Form> = RecordKind::ALL
        .into_iter()
        .map(|k| Form::load(&options.root, k))
        .collect::<Result<_>>()?;
    let kind = match options.kind {
        Some(kind) => kind,
        None => match infer_kind(&forms, &options.body) {
            Some(kind) => kind,
            None => bail!(
                "saken ser ikke ut til å være skrevet med et av skjemaene i {FORMS_DIR}/ (fant ingen «### Tittel»-avsnitt som passer); oppgi --kind praksis, hindring eller prosjekt"
            ),
        },
    };
    Ok(forms
        .into_iter()
        .find(|f| f.kind == kind)
        .expect("every kind has a form"))
}

/// The problems `check` found in the written file, as errors and warnings, each against the
/// form field that wrote its line (`lines`: the line each field's entry starts on).
fn problems_in_file(
    compiled: &super::Compiled,
    written: &Written,
    copied: &import_files::Copied,
    lines: &[(usize, String)],
    form: &Form,
) -> (Vec<FormProblem>, Vec<FormProblem>) {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let ours = |d: &&crate::diagnostics::Diagnostic| written.is(&d.file) || copied.holds(&d.file);
    for d in compiled.diagnostics.iter().filter(ours) {
        let field_id = if copied.holds(&d.file) {
            FILES_FIELD
        } else {
            lines
                .iter()
                .rev()
                .find(|(line, _)| *line <= d.pos.line)
                .map_or("title", |(_, f)| f.as_str())
        };
        let label = form.label(field_id);
        // The file name comes from the title: a clash is fixed by another title.
        let help = if d.message.contains("brukes også av") {
            "gi posten en annen tittel, så får den et annet filnavn".to_string()
        } else {
            with_labels(d.help.as_deref().unwrap_or(""), form)
        };
        let problem = FormProblem {
            message: with_labels(&d.message, form),
            help: fix_in_form(&label, &help),
            field: label,
        };
        if d.is_error() {
            problems.push(problem);
        } else {
            warnings.push(problem);
        }
    }
    (problems, warnings)
}

/// An uploaded file that is not a picture or a PDF.
fn refused_problem(refused: &import_files::Refused, form: &Form) -> FormProblem {
    let label = form.label(FILES_FIELD);
    FormProblem {
        message: format!(
            "filen «{}» er verken et bilde (PNG, JPEG, WebP) eller en PDF",
            refused.text
        ),
        help: fix_in_form(
            &label,
            "lagre den som PNG, JPEG eller PDF og last den opp på nytt (SVG, Word-filer og andre typer kan ikke legges ved)",
        ),
        field: label,
    }
}

/// Problems in the order of the fields in the form, as the contributor will go through them;
/// the same problem on two lines of one field is one problem in the form.
fn in_form_order(mut problems: Vec<FormProblem>, form: &Form) -> Vec<FormProblem> {
    problems.sort_by_key(|p| form.fields.iter().position(|f| f.label == p.field));
    problems.dedup();
    problems
}

/// A `check` message with the front-matter keys it names (`` `summary` ``) replaced by the
/// form's labels («Ingress»), since the contributor only saw the form.
fn with_labels(text: &str, form: &Form) -> String {
    let mut text = text.to_string();
    for field in &form.fields {
        text = text.replace(&format!("`{}`", field.id), &format!("«{}»", field.label));
    }
    text.replace("`published`", "publiseringsdatoen")
}

/// The problems as Norwegian text for a person (and for an issue comment).
pub fn report(imported: &Imported) -> String {
    let mut out = String::new();
    let list = |title: &str, problems: &[FormProblem], out: &mut String| {
        if problems.is_empty() {
            return;
        }
        out.push_str(title);
        out.push('\n');
        for (i, p) in problems.iter().enumerate() {
            out.push_str(&format!(
                "{}. «{}»: {}\n   {}\n",
                i + 1,
                visible(&p.field),
                visible(&p.message),
                visible(&p.help)
            ));
        }
    };
    list(
        &format!("Problemer i skjemaet ({}):", imported.problems.len()),
        &imported.problems,
        &mut out,
    );
    list("Merknader:", &imported.warnings, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_forms_read_and_have_every_field() {
        for kind in RecordKind::ALL {
            let form = Form::load(Path::new("/nonexistent"), kind).unwrap();
            for id in [
                "network",
                "title",
                "summary",
                "service_areas",
                "body",
                "personvern",
            ] {
                assert!(form.fields.iter().any(|f| f.id == id), "{kind:?} {id}");
            }
        }
    }

    #[test]
    fn sections_follow_the_labels_and_skip_no_response() {
        let form = Form::load(Path::new("/nonexistent"), RecordKind::Practice).unwrap();
        let body = "### Nettverk\n\ndigi-agder\n\n### Tittel\n\nEn tittel\n\n### Kontakt\n\n_No response_\n\n### Hva gjorde dere?\n\nFørst\n\n### Egen overskrift\n\nmer tekst\n";
        let values = form.sections(body);
        assert_eq!(values["network"], "digi-agder");
        assert_eq!(values["title"], "En tittel");
        assert!(!values.contains_key("contact"));
        assert!(values["body"].contains("### Egen overskrift\n\nmer tekst"));
    }

    #[test]
    fn urls_are_split_from_titles() {
        assert_eq!(
            split_url("Rapport – https://ks.no/a."),
            Some(("Rapport".into(), "https://ks.no/a".into()))
        );
        assert_eq!(
            split_url("https://ks.no/a"),
            Some((String::new(), "https://ks.no/a".into()))
        );
        assert_eq!(split_url("Bare tekst"), None);
    }
}
