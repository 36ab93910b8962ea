//! Reads typed fields out of a parsed front matter table, reporting every problem with its
//! position instead of stopping at the first.
//!
//! We deliberately do not deserialize with serde: serde stops at the first error and speaks
//! English. This reader knows each field's Norwegian name for its type, suggests the field the
//! contributor probably meant, and lists the valid values of controlled fields.

use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::model::{Link, Markdown};
use super::vocab::{Term, Vocabulary};
use crate::diagnostics::{Diagnostic, Pos, closest, or_list};
use crate::paths::{MUNICIPALITIES_FILE, reference_file};
use crate::reference::{Likely, Municipality, ReferenceData};

type Value<'i> = Spanned<DeValue<'i>>;

/// Where each line of a front matter starts, so the position of any value costs a binary
/// search instead of a scan from the start of the file (which made a long list quadratic).
pub struct LineIndex<'t> {
    text: &'t str,
    /// Byte offsets of line starts; the first is 0.
    starts: Vec<usize>,
    /// Where `text` starts in its file.
    origin: Pos,
    /// The last position found (line, byte offset, column): values are mostly asked for in
    /// order, so the columns of a long one-line list are counted on from there, not from the
    /// start of the line each time.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str, origin: Pos) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        LineIndex {
            text,
            starts,
            origin,
            last: std::cell::Cell::new((0, 0, 1)),
        }
    }

    /// The position of byte `offset`, as [`Pos::at_offset`] gives it.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = self.text.floor_char_boundary(offset.min(self.text.len()));
        let line = self.starts.partition_point(|start| *start <= offset) - 1;
        let (last_line, last_offset, last_column) = self.last.get();
        let (from, counted) = if last_line == line && last_offset <= offset {
            (last_offset, last_column)
        } else {
            (self.starts[line], 1)
        };
        let column = counted + self.text[from..offset].chars().count();
        self.last.set((line, offset, column));
        if line == 0 {
            Pos::new(self.origin.line, self.origin.column + column - 1)
        } else {
            Pos::new(self.origin.line + line, column)
        }
    }
}

pub struct Fields<'t, 'i> {
    file: &'t Path,
    source: &'t str,
    lines: &'t LineIndex<'t>,
    table: &'t DeTable<'i>,
    /// Where "missing field" is reported: the closing `+++`, or a `[[table]]` header.
    anchor: Pos,
    /// "denne erfaringen", used in "feltet hører ikke til …".
    what: &'static str,
    /// Every key this reader asked for: the allowed keys.
    known: Vec<&'static str>,
    /// The network's counties, whose municipalities a wrong number most likely meant.
    counties: Vec<String>,
    problems: Vec<Diagnostic>,
}

impl<'t, 'i> Fields<'t, 'i> {
    pub fn new(
        file: &'t Path,
        lines: &'t LineIndex<'t>,
        table: &'t DeTable<'i>,
        anchor: Pos,
        what: &'static str,
    ) -> Self {
        Fields {
            file,
            source: lines.text,
            lines,
            table,
            anchor,
            what,
            known: Vec::new(),
            counties: Vec::new(),
            problems: Vec::new(),
        }
    }

    pub fn file(&self) -> &'t Path {
        self.file
    }

    pub fn pos(&self, span: Range<usize>) -> Pos {
        self.lines.pos(span.start)
    }

    pub fn error(&mut self, pos: Pos, message: impl Into<String>, help: impl Into<String>) {
        self.problems
            .push(Diagnostic::error(self.file, pos, message).with_help(help));
    }

    pub fn warning(&mut self, pos: Pos, message: impl Into<String>, help: impl Into<String>) {
        self.problems
            .push(Diagnostic::warning(self.file, pos, message).with_help(help));
    }

    fn lookup(&mut self, key: &'static str) -> Option<&'t Value<'i>> {
        if !self.known.contains(&key) {
            self.known.push(key);
        }
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    /// Position of a present key's value, for checks made after reading (e.g. date order).
    pub fn value_pos(&self, key: &str) -> Pos {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map_or(self.anchor, |(_, v)| self.pos(v.span()))
    }

    fn missing(&mut self, key: &'static str, example: &str) {
        let mut help = format!("legg til en linje med `{key} = {example}`");
        if self.anchor.line > 1 && self.has_array_of_tables() {
            help.push_str(" over den første [[…]]-tabellen: felt som står under en [[…]]-linje hører til den tabellen");
        } else {
            help.push_str(" mellom linjene med +++");
        }
        self.error(
            self.anchor,
            format!("mangler det påkrevde feltet `{key}`"),
            help,
        );
    }

    fn has_array_of_tables(&self) -> bool {
        self.table.iter().any(|(_, v)| {
            matches!(v.get_ref(), DeValue::Array(items) if items.iter().any(|i| matches!(i.get_ref(), DeValue::Table(_))))
        })
    }

    fn wrong_type(&mut self, key: &str, value: &Value<'i>, expected: &str, example: &str) {
        let pos = self.pos(value.span());
        self.error(
            pos,
            format!(
                "feltet `{key}` skal være {expected}, men er {}",
                type_name(value.get_ref())
            ),
            format!("skriv for eksempel `{key} = {example}`"),
        );
    }

    pub fn string(&mut self, key: &'static str, required: bool) -> Option<String> {
        let value = match self.lookup(key) {
            Some(v) => v,
            None => {
                if required {
                    self.missing(key, "\"…\"");
                }
                return None;
            }
        };
        match value.get_ref() {
            DeValue::String(s) if s.trim().is_empty() => {
                if required {
                    let pos = self.pos(value.span());
                    self.error(
                        pos,
                        format!("feltet `{key}` er tomt"),
                        "skriv inn en tekst mellom anførselstegnene",
                    );
                }
                None
            }
            DeValue::String(s) => self.text(key, s, value.span()),
            _ => {
                self.wrong_type(key, value, "en tekst", "\"…\"");
                None
            }
        }
    }

    /// A text as written, trimmed; refused (rather than stripped, so the contributor sees
    /// exactly what was wrong) if it holds a control character, a noncharacter or a bidi
    /// override, which break feeds and terminals and reverse text.
    fn text(&mut self, key: &str, text: &str, span: Range<usize>) -> Option<String> {
        let text = text.trim();
        if let Some((_, c, kind)) = crate::characters::first_unwanted(text) {
            let message = format!(
                "feltet `{key}` inneholder {}",
                crate::characters::describe(c, kind)
            );
            // At the character itself, or its escape: the web editor does not show it.
            let written = &self.source[span.clone()];
            let at = crate::characters::find_written(written, c).unwrap_or(0);
            self.error(
                self.lines.pos(span.start + at),
                message,
                crate::characters::HELP,
            );
            return None;
        }
        Some(text.to_string())
    }

    /// A text field that holds Markdown; remembers where the text starts for later messages.
    pub fn markdown(&mut self, key: &'static str, required: bool) -> Option<Markdown> {
        let text = self.string(key, required)?;
        let value = self.lookup(key)?;
        let span = value.span();
        let raw = &self.source[span.clone()];
        let mut origin = self.pos(span);
        // A multi-line string drops the newline right after its opening quotes.
        if raw.starts_with("\"\"\"\n") || raw.starts_with("'''\n") {
            origin = Pos::new(origin.line + 1, 1);
        } else {
            origin.column += if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
                3
            } else {
                1
            };
        }
        Some(Markdown { text, origin })
    }

    pub fn boolean(&mut self, key: &'static str) -> bool {
        match self.lookup(key) {
            None => false,
            Some(v) => match v.get_ref() {
                DeValue::Boolean(b) => *b,
                _ => {
                    self.wrong_type(key, v, "sann eller usann", "true");
                    false
                }
            },
        }
    }

    pub fn integer(&mut self, key: &'static str) -> Option<i64> {
        let value = self.lookup(key)?;
        match value.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.wrong_type(key, value, "et heltall", "2019");
                    None
                }
            },
            _ => {
                self.wrong_type(key, value, "et heltall", "2019");
                None
            }
        }
    }

    pub fn date(&mut self, key: &'static str, required: bool) -> Option<NaiveDate> {
        let value = match self.lookup(key) {
            Some(v) => v,
            None => {
                if required {
                    self.missing(key, "2025-03-14");
                }
                return None;
            }
        };
        let pos = self.pos(value.span());
        let parsed = match value.get_ref() {
            DeValue::Datetime(dt) => dt
                .date
                .and_then(|d| NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())),
            DeValue::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
            _ => None,
        };
        if parsed.is_none() {
            let written = &self.source[value.span()];
            let mut help =
                "skriv datoen som ÅÅÅÅ-MM-DD uten anførselstegn, for eksempel `2025-03-14`"
                    .to_string();
            let unquoted = written.trim_matches(|c| c == '"' || c == '\'');
            if let Some(d) = crate::norwegian::parse_date(unquoted) {
                help = format!("skriv `{key} = {}`", d.format("%Y-%m-%d"));
            }
            self.error(
                pos,
                format!("«{unquoted}» i feltet `{key}` er ikke en gyldig dato"),
                help,
            );
        }
        parsed
    }

    /// A list of texts, each with its position.
    pub fn strings(&mut self, key: &'static str, required: bool) -> Vec<(String, Pos)> {
        let value = match self.lookup(key) {
            Some(v) => v,
            None => {
                if required {
                    self.missing(key, "[\"…\"]");
                }
                return Vec::new();
            }
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, "en liste", "[\"…\", \"…\"]");
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => {
                    if let Some(text) = self.text(key, s, item.span()) {
                        out.push((text, self.pos(item.span())));
                    }
                }
                DeValue::String(_) => {
                    let pos = self.pos(item.span());
                    self.error(
                        pos,
                        format!("listen `{key}` har en tom tekst"),
                        "fjern \"\" fra listen",
                    );
                }
                _ => self.wrong_type(key, item, "en liste med tekster", "[\"…\", \"…\"]"),
            }
        }
        if required && out.is_empty() && items.is_empty() {
            let pos = self.pos(value.span());
            self.error(
                pos,
                format!("listen `{key}` er tom"),
                "skriv minst én verdi i listen",
            );
        }
        out
    }

    pub fn term(&mut self, key: &'static str, vocab: &Vocabulary, required: bool) -> Option<Term> {
        let present = self.lookup(key).is_some();
        let written = self.string(key, false);
        match written {
            None if required && !present => {
                self.missing(key, &format!("\"{}\"", vocab.terms[0].value));
                None
            }
            None => None,
            Some(w) => {
                let pos = self.value_pos(key);
                self.find_term(key, &w, pos, vocab)
            }
        }
    }

    pub fn terms(&mut self, key: &'static str, vocab: &Vocabulary) -> Vec<Term> {
        self.strings(key, false)
            .into_iter()
            .filter_map(|(w, pos)| self.find_term(key, &w, pos, vocab))
            .collect()
    }

    fn find_term(
        &mut self,
        key: &str,
        written: &str,
        pos: Pos,
        vocab: &Vocabulary,
    ) -> Option<Term> {
        let found = vocab.find(written);
        if found.is_none() {
            let values = vocab.values();
            let mut help = format!("gyldige verdier er {}", or_list(&values));
            if let Some(best) = closest(written, values.iter().copied()).first() {
                help = format!("mente du «{best}»? {help}");
            }
            self.error(
                pos,
                format!("ukjent verdi «{written}» i feltet `{key}`"),
                help,
            );
        }
        found
    }

    /// Ids that must exist in `valid` (service areas, solutions, networks, ministries).
    pub fn ids<T>(
        &mut self,
        key: &'static str,
        valid: &BTreeMap<String, T>,
        noun: &str,
        source: &str,
        required: bool,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for (id, pos) in self.strings(key, required) {
            if valid.contains_key(&id) {
                if !out.contains(&id) {
                    out.push(id);
                }
            } else {
                self.unknown_id(&id, pos, valid, noun, source);
            }
        }
        out
    }

    pub fn id<T>(
        &mut self,
        key: &'static str,
        valid: &BTreeMap<String, T>,
        noun: &str,
        source: &str,
    ) -> Option<String> {
        let id = self.string(key, true)?;
        if valid.contains_key(&id) {
            return Some(id);
        }
        let pos = self.value_pos(key);
        self.unknown_id(&id, pos, valid, noun, source);
        None
    }

    fn unknown_id<T>(
        &mut self,
        id: &str,
        pos: Pos,
        valid: &BTreeMap<String, T>,
        noun: &str,
        source: &str,
    ) {
        let keys: Vec<&str> = valid.keys().map(String::as_str).collect();
        let mut help = format!("gyldige verdier er {} (se {source})", or_list(&keys));
        if let Some(best) = closest(id, keys.iter().copied()).first() {
            help = format!("mente du «{best}»? {help}");
        }
        self.error(pos, format!("ukjent {noun} «{id}»"), help);
    }

    /// Four-digit kommunenummer that exist in the reference data. A wrong one gets the likely
    /// number as the fix (see [`ReferenceData::likely_municipality`]), preferring the counties
    /// given to [`Fields::prefer_counties`].
    pub fn municipalities(
        &mut self,
        key: &'static str,
        reference: &ReferenceData,
        required: bool,
    ) -> Vec<String> {
        let mut out = Vec::new();
        let written = self.strings(key, required);
        for (number, pos) in &written {
            if reference.municipalities.contains_key(number) {
                if !out.contains(number) {
                    out.push(number.clone());
                }
                continue;
            }
            let (message, help) = WrongNumber {
                key,
                number,
                written: &written,
                reference,
                counties: &self.counties,
            }
            .problem();
            self.error(*pos, message, help);
        }
        out
    }

    /// The counties whose municipalities a wrong kommunenummer most likely meant: the
    /// network's own.
    pub fn prefer_counties(&mut self, counties: &[String]) {
        self.counties = counties.to_vec();
    }

    /// `[[key]]` tables (or an inline array of tables); `read` gets a reader per table.
    pub fn tables<T>(
        &mut self,
        key: &'static str,
        what: &'static str,
        required: bool,
        mut read: impl FnMut(&mut Fields<'t, 'i>) -> Option<T>,
    ) -> Vec<T> {
        let value = match self.lookup(key) {
            Some(v) => v,
            None => {
                if required {
                    self.missing(key, "[{ … }] (eller en [[…]]-tabell)");
                }
                return Vec::new();
            }
        };
        let DeValue::Array(items) = value.get_ref() else {
            let example = format!("[[{key}]]");
            self.wrong_type(key, value, "en liste med tabeller", &example);
            return Vec::new();
        };
        let mut out = Vec::new();
        // Each table's header is looked for after the previous table only: searching back to
        // the start of the file for each of thousands of tables was quadratic.
        let mut searched_from = 0;
        for item in items.iter() {
            let DeValue::Table(table) = item.get_ref() else {
                self.wrong_type(key, item, "en tabell", "{ … }");
                continue;
            };
            let anchor = self.table_header_pos(key, item, searched_from);
            searched_from = item.span().end;
            let mut child = Fields::new(self.file, self.lines, table, anchor, what);
            let result = read(&mut child);
            self.problems.extend(child.finish());
            out.extend(result);
        }
        out
    }

    /// The `[[key]]` header line of a table, which is where a contributor looks for it.
    fn table_header_pos(&self, key: &str, item: &Value<'i>, searched_from: usize) -> Pos {
        let start = item.span().start.min(self.source.len());
        let header = format!("[[{key}]]");
        let window = self
            .source
            .get(searched_from.min(start)..start)
            .unwrap_or_default();
        match window.rfind(&header) {
            Some(offset) => self.lines.pos(searched_from.min(start) + offset),
            None => self.pos(item.span()),
        }
    }

    /// `[[sources]]`-style lists of title + url.
    pub fn links(&mut self, key: &'static str) -> Vec<Link> {
        self.tables(key, "denne lenken", false, |f| {
            let title = f.string("title", true);
            let url = f.url("url", true);
            Some(Link {
                title: title?,
                url: url?,
            })
        })
    }

    /// A web address that a reader can follow: http(s) only.
    pub fn url(&mut self, key: &'static str, required: bool) -> Option<String> {
        let url = self.string(key, required)?;
        if url.starts_with("https://") || url.starts_with("http://") {
            Some(url)
        } else {
            let pos = self.value_pos(key);
            self.error(
                pos,
                format!("«{url}» i feltet `{key}` er ikke en nettadresse"),
                "skriv hele adressen, som begynner med https://",
            );
            None
        }
    }

    /// Reports keys nobody asked for, with a "mente du" hint. Returns all problems found.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        let unknown: Vec<(String, Pos)> = self
            .table
            .iter()
            .map(|(k, _)| k.get_ref().to_string())
            .zip(self.table.iter().map(|(k, _)| self.pos(k.span())))
            .filter(|(k, _)| !self.known.contains(&k.as_str()))
            .collect();
        for (key, pos) in unknown {
            let norwegian = super::field_names::meant(&key, &self.known);
            let help = match (norwegian, closest(&key, self.known.iter().copied()).first()) {
                (Some(meant), _) => format!(
                    "`{key}` heter `{meant}`: feltnavnene er på engelsk, verdiene på norsk; skriv `{meant} = …`"
                ),
                (None, Some(best)) => format!("mente du `{best}`?"),
                (None, None) => format!(
                    "feltene som hører til {} er {}",
                    self.what,
                    field_list(&self.known)
                ),
            };
            self.error(pos, format!("ukjent felt `{key}`"), help);
        }
        self.problems
    }
}

/// A kommunenummer that is not valid, in the list it was written in.
struct WrongNumber<'a> {
    key: &'a str,
    number: &'a str,
    written: &'a [(String, Pos)],
    reference: &'a ReferenceData,
    /// The record's networks' counties, where the municipality meant most likely is.
    counties: &'a [String],
}

impl WrongNumber<'_> {
    /// The message and help: the likely number, and the list written as it should be when the
    /// fix is certain.
    fn problem(&self) -> (String, String) {
        match self
            .reference
            .likely_municipality(self.number, self.counties)
        {
            Likely::Renumbered(m) => self.renumbered(m),
            Likely::Swapped(found) => self.swapped(&found),
            Likely::Named(found) => self.named(&found),
            Likely::Nearest(found) => self.nearest(&found),
        }
    }

    fn not_a_number(&self) -> String {
        let number = self.number;
        let well_formed = number.len() == 4 && number.chars().all(|c| c.is_ascii_digit());
        if well_formed {
            format!("ukjent kommunenummer «{number}»")
        } else {
            format!("«{number}» er ikke et kommunenummer (fire sifre, for eksempel \"0301\")")
        }
    }

    /// The whole list, with this value replaced: the exact TOML to write.
    fn fixed(&self, with: &str) -> String {
        let values: Vec<String> = self
            .written
            .iter()
            .map(|(w, _)| format!("\"{}\"", if w == self.number { with } else { w }))
            .collect();
        format!("`{} = [{}]`", self.key, values.join(", "))
    }

    fn renumbered(&self, m: &Municipality) -> (String, String) {
        (
            format!(
                "«{}» er et kommunenummer fra før 1. januar 2024",
                self.number
            ),
            format!(
                "{} har nummeret \"{}\" fra 2024; skriv {}",
                m.name,
                m.number,
                self.fixed(&m.number)
            ),
        )
    }

    /// `found` is never empty: [`ReferenceData::likely_municipality`] gives a list only with
    /// something in it.
    fn swapped(&self, found: &[&Municipality]) -> (String, String) {
        let named = |m: &Municipality| format!("{} \"{}\"", m.name, m.number);
        let best = found[0];
        let mut help = format!(
            "mente du {}? to sifre ser ut til å ha byttet plass; skriv {}",
            named(best),
            self.fixed(&best.number)
        );
        let others: Vec<String> = found[1..].iter().map(|m| named(m)).collect();
        if !others.is_empty() {
            help.push_str(&format!(" (eller {})", plain_or(&others)));
        }
        (self.not_a_number(), help)
    }

    /// A name written where the number belongs. The fix is certain when one municipality has
    /// the name, or only one of those that have it is in the record's own counties.
    fn named(&self, found: &[&Municipality]) -> (String, String) {
        let (key, number) = (self.key, self.number);
        let best = found[0];
        let own = self.counties.contains(&best.county);
        let certain = found.len() == 1 || (own && !self.counties.contains(&found[1].county));
        let message = format!("«{number}» er et kommunenavn; feltet `{key}` skal ha kommunenummer");
        let help = if certain {
            format!(
                "{} er \"{}\"; skriv {}",
                number.trim(),
                best.number,
                self.fixed(&best.number)
            )
        } else {
            let all: Vec<String> = found
                .iter()
                .map(|m| {
                    let county = self
                        .reference
                        .counties
                        .get(&m.county)
                        .map_or(m.county.as_str(), |c| c.name.as_str());
                    format!("\"{}\" ({county})", m.number)
                })
                .collect();
            format!(
                "{} er {}; skriv nummeret til den kommunen du mener, for eksempel {}",
                number.trim(),
                plain_or(&all),
                self.fixed(&best.number)
            )
        };
        (message, help)
    }

    fn nearest(&self, found: &[&Municipality]) -> (String, String) {
        let suggestions: Vec<String> = found
            .iter()
            .map(|m| format!("{} {}", m.number, m.name))
            .collect();
        (
            self.not_a_number(),
            format!(
                "nærmeste gyldige kommunenummer er {}; alle står i {}",
                or_list(&suggestions),
                reference_file(MUNICIPALITIES_FILE)
            ),
        )
    }
}

/// "a, b eller c", without the quotes [`or_list`] adds.
fn plain_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} eller {last}", init.join(", ")),
    }
}

fn field_list(keys: &[&str]) -> String {
    let mut sorted: Vec<&str> = keys.to_vec();
    sorted.sort_unstable();
    sorted
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "en tekst",
        DeValue::Integer(_) => "et tall",
        DeValue::Float(_) => "et desimaltall",
        DeValue::Boolean(_) => "sann/usann",
        DeValue::Datetime(_) => "en dato",
        DeValue::Array(_) => "en liste",
        DeValue::Table(_) => "en tabell",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_a_scan_from_the_start_in_any_order() {
        let text = "title = \"Æøå\"\ntags = [\"én\", \"to\", \"tre\"]\n\n[[sources]]\nurl = \"x\"";
        let origin = Pos::new(2, 1);
        let lines = LineIndex::new(text, origin);
        let offsets: Vec<usize> = (0..=text.len()).collect();
        // Forwards, backwards and jumping about: the memo must never change an answer.
        for offset in offsets
            .iter()
            .chain(offsets.iter().rev())
            .chain([7, 30, 3, 60, 18].iter())
        {
            assert_eq!(
                lines.pos(*offset),
                Pos::at_offset(text, *offset, origin),
                "offset {offset}"
            );
        }
    }
}
