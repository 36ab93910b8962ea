//! Turns one content file into a typed `Network` or `Record`, reporting every problem in it.

use chrono::NaiveDate;
use std::path::Path;
use toml::de::DeTable;

use super::fields::{Fields, LineIndex};
use super::frontmatter::{self, SplitError};
use super::model::*;
use super::vocab::{BARRIER_STATUS, FUNDING, MATURITY, PHASE, PROJECT_STATUS};
use crate::diagnostics::{Diagnostic, Pos};
use crate::i18n::Lang;
use crate::paths::{
    CONTENT_DIR, MINISTRIES_FILE, MUNICIPALITIES_FILE, NETWORKS_DIR, SERVICE_AREAS_FILE,
    SOLUTIONS_FILE, reference_file,
};
use crate::reference::ReferenceData;

/// What a record may refer to: reference data and the networks loaded before records.
pub struct Context<'a> {
    pub reference: &'a ReferenceData,
    pub networks: &'a std::collections::BTreeMap<String, Network>,
}

/// Limits no person needs to exceed, and past which a site grows out of bounds (a title is on
/// every list, feed and tag page the record is on; each tag is a page of its own).
const SUMMARY_LIMIT: usize = 300;
const TITLE_LIMIT: usize = 150;
const MAX_TAG: usize = 60;
/// The longest law name, as long as a title: each law is a folder of the barrier register
/// (`/hindringer/lov/…/`), and file systems hold names of at most 255 bytes.
const MAX_LAW: usize = 150;
const TAGS_LIMIT: usize = 20;

/// What is wrong with a title or name, if anything: the message (after "tittelen …") and how
/// to fix it. The one rule for `check` and for `deling new`, which refuses up front what
/// `check` would refuse.
pub fn title_problem(title: &str) -> Option<(String, &'static str)> {
    if let Some(problem) = crate::characters::problem_in_line(title) {
        let help = if problem.contains("linjeskift") {
            "skriv hele tittelen på én linje"
        } else {
            crate::characters::HELP
        };
        return Some((problem, help));
    }
    if !crate::characters::has_visible_letter(title) {
        return Some((
            "har ingen synlige bokstaver eller tall".into(),
            "skriv en tittel med ord, slik at den kan leses i lister og i nettleserens fane",
        ));
    }
    let length = title.chars().count();
    if length > TITLE_LIMIT {
        return Some((
            format!("har {length} tegn, mer enn grensen på {TITLE_LIMIT}"),
            "korte den ned til noen få ord; detaljene hører hjemme i ingressen og teksten",
        ));
    }
    None
}

/// A title or name: required, with letters a reader can see, on one line, and short enough
/// for a heading.
fn title(f: &mut Fields<'_, '_>, key: &'static str) -> Option<String> {
    let title = f.string(key, true)?;
    if let Some((problem, help)) = title_problem(&title) {
        let pos = f.value_pos(key);
        f.error(pos, format!("feltet `{key}` {problem}"), help);
        return None;
    }
    Some(title)
}

/// A summary: required, at most [`SUMMARY_LIMIT`] characters.
fn summary(f: &mut Fields<'_, '_>) -> Option<String> {
    let summary = f.string("summary", true)?;
    let length = summary.chars().count();
    if length > SUMMARY_LIMIT {
        let pos = f.value_pos("summary");
        f.error(
            pos,
            format!("ingressen (`summary`) har {length} tegn, mer enn grensen på {SUMMARY_LIMIT}"),
            "korte ned til et par setninger i klarspråk; resten hører hjemme i teksten",
        );
        return None;
    }
    Some(summary)
}

/// Splits and parses a file, then hands its fields to `read`. Problems go into `problems`.
fn with_fields<T>(
    file: &Path,
    text: &str,
    what: &'static str,
    problems: &mut Vec<Diagnostic>,
    read: impl FnOnce(&mut Fields<'_, '_>, &Markdown) -> Option<T>,
) -> Option<T> {
    let text = frontmatter::normalise(text);
    let split = match frontmatter::split(&text) {
        Ok(split) => split,
        Err(e) => {
            let (message, help) = match e {
                SplitError::NoOpening => (
                    "filen begynner ikke med en front matter",
                    "første linje i filen skal være +++, deretter feltene, og så en ny linje med +++",
                ),
                SplitError::NoClosing => (
                    "front matter er ikke avsluttet",
                    "legg til en linje med bare +++ etter det siste feltet",
                ),
            };
            problems.push(Diagnostic::error(file, Pos::START, message).with_help(help));
            return None;
        }
    };
    // Norwegian dates, curly quotes and field names with æ, ø, å stop the TOML parser at the
    // first; each is reported here, and the rest of the file is read from a repaired copy with
    // the same lines, so one run says everything.
    let (toml_text, found) = prescan(split.toml);
    for (at, message, help) in found {
        let pos = Pos::at_offset(split.toml, at, split.toml_origin);
        problems.push(Diagnostic::error(file, pos, message).with_help(help));
    }
    let (table, syntax_errors) = DeTable::parse_recoverable(toml_text.as_str());
    // Only the first syntax error is reported: the parser's later errors are almost always
    // echoes of the first (one missing `]` yields one error per following line).
    if let Some(e) = syntax_errors.first() {
        let at = e.span().map(|s| s.start);
        let pos = at.map_or(split.toml_origin, |at| {
            Pos::at_offset(&toml_text, at, split.toml_origin)
        });
        let line = at.map_or("", |at| line_at(&toml_text, at));
        problems.push(
            Diagnostic::error(
                file,
                pos,
                format!("feil i front matter: {}", translate_toml(e.message())),
            )
            .with_help(syntax_help(e.message(), line)),
        );
        return None;
    }
    if let Some((at, c, kind)) = crate::characters::first_unwanted(split.body) {
        let pos = Pos::at_offset(split.body, at, split.body_origin);
        problems.push(Diagnostic::unwanted_character(file, pos, c, kind));
    }
    let body = Markdown {
        text: split.body.to_string(),
        origin: split.body_origin,
    };
    let anchor = Pos::new(split.closing_line, 1);
    let lines = LineIndex::new(&toml_text, split.toml_origin);
    let mut fields = Fields::new(file, &lines, table.get_ref(), anchor, what);
    let result = read(&mut fields, &body);
    problems.extend(fields.finish());
    result
}

/// The TOML parser's messages in Norwegian, for the mistakes contributors make; anything else
/// keeps the parser's own words, so no information is lost.
fn translate_toml(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("invalid date, expected day between 01 and ") {
        return format!("ugyldig dato: dagen må være mellom 01 og {rest}");
    }
    let known = [
        (
            "invalid date, expected month",
            "ugyldig dato: måneden må være mellom 01 og 12",
        ),
        ("duplicate key", "feltet står to ganger"),
        (
            "invalid basic string",
            "teksten mangler avsluttende anførselstegn (\")",
        ),
        (
            "string values must be quoted",
            "tekst må stå i anførselstegn",
        ),
        (
            "missing comma between array elements",
            "det mangler komma mellom verdiene i listen",
        ),
        ("unclosed array", "listen mangler avsluttende ]"),
        (
            "cannot recurse further",
            "lister eller tabeller står for mange nivåer inni hverandre",
        ),
        ("key with no value", "feltet mangler = og en verdi"),
        (
            "invalid unquoted key",
            "feltnavnet kan bare ha bokstavene a–z, tall, - og _",
        ),
        // `published = 14.03.2025` reads as a malformed decimal number.
        (
            "invalid float",
            "verdien er verken tekst, tall eller dato; en dato skrives ÅÅÅÅ-MM-DD, for eksempel 2025-03-14",
        ),
    ];
    known
        .iter()
        .find(|(english, _)| message.starts_with(english))
        .map_or_else(
            || format!("ugyldig TOML ({message})"),
            |(_, norwegian)| norwegian.to_string(),
        )
}

/// How to fix a syntax error; `line` is the line it is on, which may hold a Norwegian date.
fn syntax_help(message: &str, line: &str) -> String {
    if let Some((at, len, iso)) = norwegian_date(line) {
        return format!(
            "skriv datoen som {iso}: `{}{iso}{}`",
            &line[..at].trim_start(),
            line[at + len..].trim_end()
        );
    }
    if message.contains("date") || message.contains("time") {
        "en dato skrives ÅÅÅÅ-MM-DD uten anførselstegn, for eksempel 2025-03-14".into()
    } else if message.contains("duplicate") {
        "hvert felt kan bare stå én gang".into()
    } else {
        "hver linje skal ha formen `felt = verdi`; tekst står i \"anførselstegn\", lister i [hakeparenteser], og tekst over flere linjer mellom \"\"\" og \"\"\"".into()
    }
}

/// The line of `text` that byte `at` is on, without its line break.
fn line_at(text: &str, at: usize) -> &str {
    let at = text.floor_char_boundary(at.min(text.len()));
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

/// The first date written the Norwegian way (`14.03.2025`, `1.3.2025`) in `line`, outside
/// quotes: its byte offset, its length and the date as TOML writes it (`2025-03-14`).
fn norwegian_date(line: &str) -> Option<(usize, usize, String)> {
    let bytes = line.as_bytes();
    let mut quoted = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quoted {
            Some(q) if b == q => quoted = None,
            Some(b'"') if b == b'\\' => i += 1,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quoted = Some(b),
            None if b == b'#' => return None,
            None if b.is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) => {
                let end = line[i..]
                    .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .map_or(line.len(), |n| i + n);
                let written = &line[i..end];
                if let Some(date) = crate::norwegian::parse_date(written) {
                    return Some((i, written.len(), date.format("%Y-%m-%d").to_string()));
                }
                i = end;
                continue;
            }
            None => {}
        }
        i += 1;
    }
    None
}

/// Quotes Word and phones put around text; TOML only reads `"` and `'`.
/// A mistake found before parsing: where it is (a byte offset in the TOML), the message and
/// the fix.
type Found = (usize, String, String);

/// Finds, line by line, the mistakes that would stop the TOML parser at the first: dates
/// written the Norwegian way, text in curly quotes, and Norwegian field names with æ, ø or å.
/// Returns a copy with each repaired (a date written as TOML's, straight quotes, the name
/// quoted so that it is reported as an unknown field with the field meant) and the same lines,
/// and for the first two, where each is, the message and the fix.
fn prescan(toml: &str) -> (String, Vec<Found>) {
    let mut repaired = String::with_capacity(toml.len());
    let mut found = Vec::new();
    // The closing `"""` or `'''` of a text over several lines that is open.
    let mut multiline: Option<&str> = None;
    let mut start = 0;
    for line in toml.split_inclusive('\n') {
        let offset = start;
        start += line.len();
        if let Some(closing) = multiline {
            if line.contains(closing) {
                multiline = None;
            }
            repaired.push_str(line);
            continue;
        }
        let (key, value_from) = repaired_key(line);
        let mut value = line[value_from..].to_string();
        let value_offset = offset + value_from;
        found.extend(repair_date(&key, &mut value, value_offset));
        let quotes = StraightQuotes::of(&value);
        found.extend(quotes.problem(&key, value_offset));
        multiline = quotes.open_multiline;
        repaired.push_str(&key);
        repaired.push_str(&quotes.text);
    }
    // Reported in the order of the file.
    found.sort_by_key(|(at, _, _)| *at);
    (repaired, found)
}

/// A line's key up to and including its `=`, with a Norwegian field name quoted so that TOML
/// reads it, and where the value starts. A line that is no `key = value` (a comment, a table
/// header, a continued list) is all value: nothing is repaired before offset 0.
fn repaired_key(line: &str) -> (String, usize) {
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('[') {
        return (String::new(), 0);
    }
    let Some(eq) = line.find('=') else {
        return (String::new(), 0);
    };
    let key = line[..eq].trim();
    let bare = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\''));
    let mut fixed = String::with_capacity(eq + 3);
    if !bare
        && !key.is_empty()
        && super::field_names::NORWEGIAN
            .iter()
            .any(|(name, _)| *name == super::field_names::fold(key))
    {
        let indent = &line[..line.len() - trimmed.len()];
        fixed.push_str(&format!("{indent}\"{key}\" "));
    } else {
        fixed.push_str(&line[..eq]);
    }
    fixed.push('=');
    (fixed, eq + 1)
}

/// A Norwegian date at the start of `value`, rewritten in place as TOML's, and the problem
/// (`value_offset` is where the value starts in the TOML).
fn repair_date(key: &str, value: &mut String, value_offset: usize) -> Option<Found> {
    let lead = value.len() - value.trim_start().len();
    let Some((0, len, iso)) = norwegian_date(&value[lead..]) else {
        return None;
    };
    let written = value[lead..lead + len].to_string();
    value.replace_range(lead..lead + len, &iso);
    let whole = format!("{}{}", key.trim_start(), value.trim_end());
    Some((
        value_offset + lead,
        format!("datoen «{written}» er skrevet på norsk vis; en dato skrives ÅÅÅÅ-MM-DD"),
        format!("skriv datoen som {iso}: `{whole}`"),
    ))
}

/// A value with the curly quotes used around text (outside any straight-quoted text) made
/// straight.
struct StraightQuotes {
    text: String,
    /// The byte offset of the first curly quote, if there was one.
    first_curly: Option<usize>,
    /// The curly quotes replaced, in the order written.
    used: Vec<char>,
    /// The closing quotes of a text over several lines that starts in the value and does not
    /// end there.
    open_multiline: Option<&'static str>,
}

impl StraightQuotes {
    fn of(value: &str) -> StraightQuotes {
        let mut out = StraightQuotes {
            text: String::with_capacity(value.len()),
            first_curly: None,
            used: Vec::new(),
            open_multiline: None,
        };
        // The quote the current text started with; `“` for any curly one.
        let mut state: Option<char> = None;
        let mut chars = value.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match state {
                None if c == '#' => {
                    out.text.push_str(&value[i..]);
                    break;
                }
                None if c == '"' || c == '\'' => {
                    let triple: String = std::iter::repeat_n(c, 3).collect();
                    if !value[i..].starts_with(&triple) {
                        state = Some(c);
                        out.text.push(c);
                        continue;
                    }
                    // Text over several lines: copied as written, up to its end.
                    let rest = &value[i + 3..];
                    let Some(end) = rest.find(&triple) else {
                        out.text.push_str(&value[i..]);
                        out.open_multiline = Some(if c == '"' { "\"\"\"" } else { "\'\'\'" });
                        break;
                    };
                    let skip_to = i + 3 + end + 3;
                    out.text.push_str(&value[i..skip_to]);
                    while chars.peek().is_some_and(|(j, _)| *j < skip_to) {
                        chars.next();
                    }
                }
                None if crate::characters::is_typographic_quote(c) => {
                    out.first_curly.get_or_insert(i);
                    out.used.push(c);
                    state = Some('“');
                    out.text.push('"');
                }
                Some('"') if c == '\\' => {
                    out.text.push(c);
                    if let Some((_, next)) = chars.next() {
                        out.text.push(next);
                    }
                }
                Some('“') if crate::characters::is_typographic_quote(c) || c == '"' => {
                    if c != '"' {
                        out.used.push(c);
                    }
                    state = None;
                    out.text.push('"');
                }
                Some(q) if q == c => {
                    state = None;
                    out.text.push(c);
                }
                _ => out.text.push(c),
            }
        }
        out
    }

    /// The problem, if curly quotes were replaced, with the line to write (`key` is the line's
    /// key as repaired, `value_offset` where the value starts in the TOML).
    fn problem(&self, key: &str, value_offset: usize) -> Option<Found> {
        let at = self.first_curly?;
        let mut shown: Vec<String> = Vec::new();
        for c in &self.used {
            if !shown.contains(&c.to_string()) {
                shown.push(c.to_string());
            }
        }
        let shown = shown.join(" ");
        let whole = format!("{}{}", key.trim_start(), self.text.trim_end());
        Some((
            value_offset + at,
            format!(
                "teksten står i anførselstegnene {shown}, som ikke kan brukes rundt tekst i front matter"
            ),
            format!("bytt {shown} med vanlige anførselstegn (\"): `{whole}`"),
        ))
    }
}

fn language(fields: &mut Fields<'_, '_>, default: Lang) -> Lang {
    let Some(code) = fields.string("language", false) else {
        return default;
    };
    match Lang::parse(&code) {
        Some(lang @ (Lang::Nb | Lang::Nn)) => lang,
        _ => {
            let pos = fields.value_pos("language");
            fields.error(
                pos,
                format!("ukjent språk «{code}»"),
                "skriv «nb» for bokmål eller «nn» for nynorsk",
            );
            default
        }
    }
}

/// `@user` or `@org/team`: letters, digits and `-` (teams also `_` and `.`), nothing else.
fn is_github_name(name: &str) -> bool {
    let Some(name) = name.strip_prefix('@') else {
        return false;
    };
    let (owner, team) = match name.split_once('/') {
        Some((owner, team)) => (owner, Some(team)),
        None => (name, None),
    };
    let plain = |s: &str, extra: &[char]| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || extra.contains(&c))
    };
    plain(owner, &[]) && team.is_none_or(|t| plain(t, &['_', '.']))
}

pub fn network(
    id: &str,
    file: &Path,
    text: &str,
    reference: &ReferenceData,
    problems: &mut Vec<Diagnostic>,
) -> Option<Network> {
    with_fields(file, text, "et nettverk", problems, |f, body| {
        let name = title(f, "name");
        let summary = summary(f);
        let aliases = f
            .strings("aliases", false)
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        let counties = f.ids(
            "counties",
            &reference.counties,
            "fylkesnummer",
            &reference_file(MUNICIPALITIES_FILE),
            true,
        );
        f.prefer_counties(&counties);
        let explicit_members = f.municipalities("members", reference, false);
        let members = if explicit_members.is_empty() {
            reference.municipalities_in(&counties)
        } else {
            explicit_members
        };
        let founded = f.integer("founded");
        let website = web_address(f, "website");
        let contact_url = web_address(f, "contact_url");
        let contact_email = email_address(f, "contact_email");
        let reviewers: Vec<String> = f
            .strings("reviewers", true)
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        for reviewer in &reviewers {
            // Each name is written into CODEOWNERS: a space or line break would add owners.
            if !is_github_name(reviewer) {
                let pos = f.value_pos("reviewers");
                f.error(
                    pos,
                    format!("«{reviewer}» er ikke et GitHub-navn"),
                    "skriv ett brukernavn eller team per verdi, med @ foran og uten mellomrom, for eksempel \"@ks-deling/digi-agder\"",
                );
            }
        }
        let language = language(f, Lang::Nb);
        let contact = f.string("contact", false);
        Some(Network {
            id: id.to_string(),
            file: file.to_path_buf(),
            name: name?,
            summary: summary?,
            aliases,
            counties,
            members,
            founded,
            website,
            reviewers,
            language,
            contact,
            contact_email,
            contact_url,
            body: body.clone(),
        })
    })
}

/// An optional web address (a network's `website`, `contact_url`), held to
/// [`super::contact::web_address_problem`].
fn web_address(f: &mut Fields<'_, '_>, key: &'static str) -> Option<String> {
    let address = f.string(key, false)?;
    match super::contact::web_address_problem(&address) {
        None => Some(address),
        Some(problem) => {
            let pos = f.value_pos(key);
            let message =
                format!("«{address}» i feltet `{key}` er ikke en nettadresse: den {problem}");
            let help = "skriv hele adressen slik nettleseren viser den, med https:// først, for eksempel \"https://www.eksempel.no/kontakt\"";
            f.error(pos, message, help);
            None
        }
    }
}

/// An optional e-mail address (a network's `contact_email`), held to
/// [`super::contact::email_problem`].
fn email_address(f: &mut Fields<'_, '_>, key: &'static str) -> Option<String> {
    let address = f.string(key, false)?;
    match super::contact::email_problem(&address) {
        None => Some(address),
        Some(help) => {
            let pos = f.value_pos(key);
            let message = format!("«{address}» i feltet `{key}` er ikke en e-postadresse");
            f.error(pos, message, help);
            None
        }
    }
}

/// A page about the site (`content/om/<slug>.md`): a title, a summary and Markdown.
pub fn about(
    slug: &str,
    file: &Path,
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<AboutPage> {
    with_fields(file, text, "en side om nettstedet", problems, |f, body| {
        let title = title(f, "title");
        let summary = summary(f);
        let updated = f.date("updated", false);
        let language = language(f, Lang::Nb);
        if body.text.trim().is_empty() {
            f.error(
                Pos::new(body.origin.line.saturating_sub(1).max(1), 1),
                "teksten under front matter er tom",
                "skriv sidens tekst under linjen med +++",
            );
        }
        Some(AboutPage {
            slug: slug.to_string(),
            file: file.to_path_buf(),
            title: title?,
            summary: summary?,
            updated,
            language,
            body: body.clone(),
        })
    })
}

pub fn record(
    kind: RecordKind,
    slug: &str,
    owner: Owner,
    file: &Path,
    text: &str,
    cx: &Context<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Record> {
    let what = match kind {
        RecordKind::Practice => "en erfaring",
        RecordKind::Barrier => "en regelverkshindring",
        RecordKind::Project => "et prosjekt",
    };
    with_fields(file, text, what, problems, |f, body| {
        let default_language = match &owner {
            Owner::Network(id) => cx.networks.get(id).map_or(Lang::Nb, |n| n.language),
            Owner::National => Lang::Nb,
        };
        let common = common(f, &owner, default_language, cx);
        let details = match kind {
            RecordKind::Practice => practice(f).map(Details::Practice),
            RecordKind::Barrier => barrier(f, cx).map(Details::Barrier),
            RecordKind::Project => project(f).map(Details::Project),
        };
        if body.text.trim().is_empty() {
            let (pos, what) = (
                body.origin,
                match kind {
                    RecordKind::Practice => "hva dere gjorde",
                    RecordKind::Barrier => "hva som hindrer",
                    RecordKind::Project => "prosjektet",
                },
            );
            f.error(
                Pos::new(pos.line.saturating_sub(1).max(1), 1),
                "teksten under front matter er tom",
                format!("skriv en beskrivelse av {what} under linjen med +++"),
            );
        }
        Some(Record {
            kind,
            slug: slug.to_string(),
            file: file.to_path_buf(),
            owner,
            common: common?,
            body: body.clone(),
            details: details?,
            history: None,
            changes: Vec::new(),
        })
    })
}

fn common(
    f: &mut Fields<'_, '_>,
    owner: &Owner,
    default_language: Lang,
    cx: &Context<'_>,
) -> Option<Common> {
    let title = title(f, "title");
    let summary = summary(f);
    let language = language(f, default_language);
    let (published, updated) = dates(f);
    let draft = f.boolean("draft");
    let service_areas = f.ids(
        "service_areas",
        &cx.reference.service_areas,
        "tjenesteområde",
        &reference_file(SERVICE_AREAS_FILE),
        true,
    );
    let solutions = f.ids(
        "solutions",
        &cx.reference.solutions,
        "fellesløsning",
        &reference_file(SOLUTIONS_FILE),
        false,
    );
    let networks = networks(f, owner, cx);
    // A wrong kommunenummer most likely meant a municipality of the record's own networks.
    let counties: Vec<String> = networks
        .iter()
        .filter_map(|id| cx.networks.get(id))
        .flat_map(|n| n.counties.iter().cloned())
        .collect();
    f.prefer_counties(&counties);
    let municipalities = f.municipalities("municipalities", cx.reference, false);
    let tags = tags(f);
    let contact = f.string("contact", false);
    let sources = f.links("sources");
    Some(Common {
        title: title?,
        summary: summary?,
        language,
        published: published?,
        updated,
        draft,
        service_areas,
        solutions,
        networks,
        municipalities,
        tags,
        contact,
        sources,
    })
}

/// `published` (required) and `updated`, which cannot be before it.
fn dates(f: &mut Fields<'_, '_>) -> (Option<NaiveDate>, Option<NaiveDate>) {
    ordered_dates(
        f,
        ("published", true),
        "updated",
        "datoen for siste endring kan ikke være før publiseringsdatoen",
    )
}

/// Two dates of which the `later` (optional) cannot be before the `earlier`; an error at the
/// later one, with `help`, if it is.
fn ordered_dates(
    f: &mut Fields<'_, '_>,
    (earlier, required): (&'static str, bool),
    later: &'static str,
    help: &str,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let first = f.date(earlier, required);
    let second = f.date(later, false);
    if let (Some(a), Some(b)) = (first, second)
        && b < a
    {
        let pos = f.value_pos(later);
        f.error(
            pos,
            format!("`{later}` ({b}) er før `{earlier}` ({a})"),
            help,
        );
    }
    (first, second)
}

/// The record's networks: its owner first, then the others written, each once.
fn networks(f: &mut Fields<'_, '_>, owner: &Owner, cx: &Context<'_>) -> Vec<String> {
    let mut networks: Vec<String> = match owner {
        Owner::Network(id) => vec![id.clone()],
        Owner::National => Vec::new(),
    };
    for id in f.ids(
        "networks",
        cx.networks,
        "nettverk",
        &format!("{CONTENT_DIR}/{NETWORKS_DIR}/"),
        false,
    ) {
        if !networks.contains(&id) {
            networks.push(id);
        }
    }
    networks
}

/// Tags in lower case, each once: at most [`TAGS_LIMIT`], each at most [`MAX_TAG`] characters
/// and with a letter or digit, since each becomes a page named after it.
fn tags(f: &mut Fields<'_, '_>) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let written = f.strings("tags", false);
    if written.len() > TAGS_LIMIT {
        let pos = f.value_pos("tags");
        f.error(
            pos,
            format!("posten har {} emneord, mer enn grensen på {TAGS_LIMIT}", written.len()),
            "velg de emneordene som best beskriver posten; tjenesteområder og løsninger har egne felt",
        );
    }
    for (tag, pos) in written.into_iter().take(TAGS_LIMIT) {
        let tag = tag.to_lowercase();
        // A tag gets its own page, named after it; file systems limit names to 255 bytes.
        if tag.chars().count() > MAX_TAG {
            f.error(
                pos,
                format!("emneordet «{tag}» er for langt ({} tegn)", tag.chars().count()),
                format!("et emneord er ett eller noen få ord, høyst {MAX_TAG} tegn; skriv heller mer i teksten"),
            );
            continue;
        }
        // The page's name comes from the letters and digits; without any, it would be the list
        // of all tags.
        if crate::norwegian::slugify(&tag).is_empty() {
            f.error(
                pos,
                format!("emneordet «{tag}» har ingen bokstaver eller tall"),
                "et emneord trenger minst én bokstav eller ett tall; skriv det med ord, eller fjern det",
            );
            continue;
        }
        if seen.insert(tag.clone()) {
            tags.push(tag);
        }
    }
    tags
}

fn practice(f: &mut Fields<'_, '_>) -> Option<Practice> {
    let problem = f.markdown("problem", true);
    let maturity = f.term("maturity", &MATURITY, true);
    let results = f.markdown("results", false);
    let lessons = f.markdown("lessons", false);
    let reuse = f.markdown("reuse", false);
    let attachments = f.links("attachments");
    Some(Practice {
        problem: problem?,
        maturity: maturity?,
        results,
        lessons,
        reuse,
        attachments,
    })
}

/// One of a barrier's `legal_references`: a law by its short title (at most [`MAX_LAW`]
/// characters, since it names a folder of the register), a section, and a link to Lovdata.
fn legal_reference(t: &mut Fields<'_, '_>) -> Option<LegalReference> {
    let mut law = t.string("law", true);
    // A law's name becomes the folder of its page in the barrier register.
    if let Some(name) = &law
        && name.chars().count() > MAX_LAW
    {
        let pos = t.value_pos("law");
        t.error(
            pos,
            format!("lovens navn er for langt ({} tegn)", name.chars().count()),
            format!("skriv lovens korttittel, høyst {MAX_LAW} tegn, for eksempel \"Forvaltningsloven\"; paragrafen står i `section`"),
        );
        law = None;
    }
    let section = t.string("section", false);
    let url = t.url("url", false);
    if let Some(url) = &url
        && !url.starts_with("https://lovdata.no/")
    {
        let pos = t.value_pos("url");
        t.warning(
            pos,
            format!("lovhenvisningen peker ikke til Lovdata: {url}"),
            "bruk lenken til paragrafen på lovdata.no, for eksempel https://lovdata.no/lov/1967-02-10/§13",
        );
    }
    Some(LegalReference {
        law: law?,
        section,
        url,
    })
}

fn barrier(f: &mut Fields<'_, '_>, cx: &Context<'_>) -> Option<Barrier> {
    let legal_references = f.tables(
        "legal_references",
        "en lovhenvisning",
        true,
        legal_reference,
    );
    let ministry = f.id(
        "ministry",
        &cx.reference.ministries,
        "departement",
        &reference_file(MINISTRIES_FILE),
    );
    let agency = f.string("agency", false);
    let consequence = f.markdown("consequence", true);
    let proposed_change = f.markdown("proposed_change", true);
    let reported_by = f.string("reported_by", true);
    let status = f.term("status", &BARRIER_STATUS, true);
    let status_log = f.tables("status_log", "en statusendring", false, |t| {
        let date = t.date("date", true);
        let status = t.term("status", &BARRIER_STATUS, true);
        let note = t.string("note", false);
        Some(StatusChange {
            date: date?,
            status: status?,
            note,
        })
    });
    let log_pos = f.value_pos("status_log");
    if status_log.windows(2).any(|w| w[1].date < w[0].date) {
        f.error(
            log_pos,
            "statusloggen (`status_log`) står ikke i datorekkefølge",
            "sorter [[status_log]]-tabellene med den eldste først",
        );
    }
    if let (Some(last), Some(status)) = (status_log.last(), status)
        && last.status != status
    {
        f.error(
            log_pos,
            format!(
                "siste statusendring er «{}», men `status` er «{}»",
                last.status.value, status.value
            ),
            "legg til en [[status_log]] med dagens status, eller rett `status`",
        );
    }
    Some(Barrier {
        legal_references,
        ministry: ministry?,
        agency,
        consequence: consequence?,
        proposed_change: proposed_change?,
        reported_by: reported_by?,
        status: status?,
        status_log,
    })
}

fn project(f: &mut Fields<'_, '_>) -> Option<Project> {
    let purpose = f.markdown("purpose", true);
    let phase = f.term("phase", &PHASE, true);
    let status = f.term("status", &PROJECT_STATUS, true);
    let owner = f.string("owner", true);
    let participants = f
        .strings("participants", false)
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let funding = f.terms("funding", &FUNDING);
    let (start, end) = ordered_dates(f, ("start", false), "end", "rett en av datoene");
    let deliverables = f
        .strings("deliverables", false)
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    let results = f.markdown("results", false);
    Some(Project {
        purpose: purpose?,
        phase: phase?,
        status: status?,
        owner: owner?,
        participants,
        funding,
        start,
        end,
        deliverables,
        results,
    })
}
