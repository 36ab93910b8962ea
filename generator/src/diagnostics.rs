//! Problems found in the content, each tied to a place in a file.
//!
//! Contributors are municipal advisers editing in the GitHub web editor, so every problem says
//! where it is (`file:line:column`), what is wrong and how to fix it, in Norwegian. Problems are
//! collected, never thrown: a build or check reports all of them at once.
//!
//! Messages quote content (names, values, keys), and the report goes to a terminal or a GitHub
//! log, both of which obey escape sequences. So every text of a problem is printed through
//! [`visible`]: a control character, a line break or a bidirectional override in content shows
//! as an escape such as `\u{1b}`, and cannot clear, recolour or reorder the report or start a
//! line of its own.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::characters::{self, escape_controls};

/// `text` with every control character (line breaks too), noncharacter and bidirectional
/// override written as a visible escape (`\u{1b}`, `\u{a}`, `\u{202e}`).
pub fn visible(text: &str) -> Cow<'_, str> {
    match escape_controls(text) {
        escaped if escaped.contains('\n') => Cow::Owned(escaped.replace('\n', "\\u{a}")),
        escaped => escaped,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column (columns counted in characters, as editors show them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };

    pub fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }

    /// The position of byte `offset` in `text`, shifted by `origin` (where `text` starts in its file).
    pub fn at_offset(text: &str, offset: usize, origin: Pos) -> Pos {
        let offset = offset.min(text.len());
        let before = &text[..text.floor_char_boundary(offset)];
        let line_index = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        if line_index == 0 {
            Pos::new(origin.line, origin.column + column - 1)
        } else {
            Pos::new(origin.line + line_index, column)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators, as contributors see it on GitHub.
    pub file: PathBuf,
    pub pos: Pos,
    /// What is wrong, in Norwegian.
    pub message: String,
    /// How to fix it, in Norwegian.
    pub help: Option<String>,
}

impl Diagnostic {
    /// The problem of a text (a Markdown body, a reference file) with an unwanted character at
    /// `pos`, with [`characters::HELP`].
    pub fn unwanted_character(file: &Path, pos: Pos, c: char, kind: characters::Unwanted) -> Self {
        Diagnostic::error(
            file,
            pos,
            format!("teksten inneholder {}", characters::describe(c, kind)),
        )
        .with_help(characters::HELP)
    }

    pub fn error(file: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            pos,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(file: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, the form editors and GitHub understand (the file name [`visible`]).
    pub fn location(&self) -> String {
        format!(
            "{}:{}:{}",
            visible(&self.file.to_string_lossy()),
            self.pos.line,
            self.pos.column
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "feil",
            Severity::Warning => "advarsel",
        };
        write!(f, "{}: {kind}: {}", self.location(), visible(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, "\n    = hjelp: {}", visible(help))?;
        }
        Ok(())
    }
}

/// A thread-safe collector, so parallel phases can report into one list.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&self, diagnostic: Diagnostic) {
        self.items
            .lock()
            .expect("diagnostics lock")
            .push(diagnostic);
    }

    pub fn extend(&self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items
            .lock()
            .expect("diagnostics lock")
            .extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.items
            .lock()
            .expect("diagnostics lock")
            .iter()
            .any(Diagnostic::is_error)
    }

    /// All problems, sorted by file and position so the report reads top to bottom and is stable.
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let mut items = self.items.into_inner().expect("diagnostics lock");
        items.sort_by(|a, b| {
            (&a.file, a.pos, a.severity, &a.message).cmp(&(&b.file, b.pos, b.severity, &b.message))
        });
        items.dedup();
        items
    }
}

/// The numbered report printed by `check` and by a failed `build`.
pub fn report(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        out.push_str(&format!("{:>3}. {d}\n", i + 1));
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    out.push_str(&format!(
        "\n{} og {}.\n",
        count(errors, "feil", "feil"),
        count(warnings, "advarsel", "advarsler")
    ));
    out
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The closest candidates to a misspelt word, for "mente du …?" hints.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let word = word.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// "«a», «b» eller «c»", the Norwegian way to list alternatives.
pub fn or_list<S: AsRef<str>>(items: &[S]) -> String {
    join_words(items, "eller")
}

pub fn join_words<S: AsRef<str>>(items: &[S], conjunction: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("«{}»", s.as_ref())).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines_and_columns() {
        let text = "a = 1\nbø = 2\n";
        assert_eq!(Pos::at_offset(text, 0, Pos::new(2, 1)), Pos::new(2, 1));
        assert_eq!(Pos::at_offset(text, 6, Pos::new(2, 1)), Pos::new(3, 1));
        // Columns count characters, not bytes: "ø" is two bytes.
        assert_eq!(Pos::at_offset(text, 10, Pos::new(2, 1)), Pos::new(3, 4));
    }

    #[test]
    fn closest_suggests_typos_not_strangers() {
        let fields = ["status", "summary", "title"];
        assert_eq!(closest("statsu", fields), vec!["status"]);
        assert!(closest("xyz", fields).is_empty());
    }

    #[test]
    fn lists_read_as_norwegian() {
        assert_eq!(or_list(&["a", "b", "c"]), "«a», «b» eller «c»");
        assert_eq!(or_list(&["a"]), "«a»");
    }
}

/// Every problem as a GitHub Actions workflow command, so it shows as an annotation on its file
/// and line in the pull request.
pub fn github_annotations(diagnostics: &[Diagnostic]) -> String {
    // Workflow commands use `%`-escapes: in the message for %, CR and LF, and in properties also
    // for `:` and `,`.
    fn message(text: &str) -> String {
        text.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }
    fn property(text: &str) -> String {
        message(text).replace(':', "%3A").replace(',', "%2C")
    }
    let mut out = String::new();
    for d in diagnostics {
        let level = if d.is_error() { "error" } else { "warning" };
        let mut text = visible(&d.message).into_owned();
        if let Some(help) = &d.help {
            text.push_str("\nHjelp: ");
            text.push_str(&visible(help));
        }
        out.push_str(&format!(
            "::{level} file={},line={},col={},title={}::{}\n",
            property(&visible(&d.file.to_string_lossy())),
            d.pos.line,
            d.pos.column,
            property(if d.is_error() {
                "Deling: feil"
            } else {
                "Deling: advarsel"
            }),
            message(&text)
        ));
    }
    out
}

#[cfg(test)]
mod annotation_tests {
    use super::*;

    #[test]
    fn annotations_escape_what_github_requires() {
        let d = Diagnostic::error(Path::new("content/a,b.md"), Pos::new(3, 7), "100% feil")
            .with_help("linje to: her");
        assert_eq!(
            github_annotations(&[d]),
            "::error file=content/a%2Cb.md,line=3,col=7,title=Deling%3A feil::100%25 feil%0AHjelp: linje to: her\n"
        );
    }

    #[test]
    fn reports_show_control_characters_as_escapes() {
        let d = Diagnostic::error(
            Path::new("content/a\u{1b}[2K.md"),
            Pos::START,
            "ukjent felt `x\u{1b}[1A\r\ny\u{202e}`",
        )
        .with_help("hjelp\u{7}\n  2. falsk");
        assert_eq!(
            report(std::slice::from_ref(&d)),
            "  1. content/a\\u{1b}[2K.md:1:1: feil: ukjent felt `x\\u{1b}[1A\\u{d}\\u{a}y\\u{202e}`\n    = hjelp: hjelp\\u{7}\\u{a}  2. falsk\n\n1 feil og 0 advarsler.\n"
        );
        assert_eq!(
            github_annotations(&[d]),
            "::error file=content/a\\u{1b}[2K.md,line=1,col=1,title=Deling%3A feil::ukjent felt `x\\u{1b}[1A\\u{d}\\u{a}y\\u{202e}`%0AHjelp: hjelp\\u{7}\\u{a}  2. falsk\n"
        );
    }
}
