//! `deling diff <base> <head>`: what a change does to the content, record by record, in
//! Markdown for a pull request's summary: records added and removed, fields changed (old → new),
//! and problems the head introduces, with their help. Both revisions are read from Git with git2
//! (blobs, not a checkout), so the working tree is never touched.
//!
//! The summary is shown to reviewers as the pull request's proof of what changed, and everything
//! in it from content (titles, values, file names, problems) is the contributor's text. So that
//! text is never markup: it is put on one line (every line separator shown as `↵`), control
//! characters become visible escapes, and Markdown and HTML punctuation is escaped, or the text
//! is a code span whose fence it cannot close. It cannot start a heading, list, table cell,
//! link, HTML tag or comment.

use anyhow::{Context, Result};
use git2::{ObjectType, Repository, TreeWalkMode, TreeWalkResult};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::characters::escape_controls;
use crate::config::Config;
use crate::content::{CONTENT_DIR, Details, LoadedSite, Record, load_from};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::files::source::Snapshot;

/// A field that differs: its name, the old value and the new.
type FieldChange = (&'static str, String, String);

struct Side {
    site: LoadedSite,
    problems: Vec<Diagnostic>,
}

fn snapshot(repo: &Repository, prefix: &Path, revision: &str) -> Result<Snapshot> {
    let tree = repo
        .revparse_single(revision)
        .and_then(|object| object.peel_to_tree())
        .with_context(|| format!("fant ikke revisjonen «{revision}» i Git"))?;
    let mut snapshot = Snapshot::default();
    let mut failure = None;
    tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() != Some(ObjectType::Blob) {
            return TreeWalkResult::Ok;
        }
        let path = PathBuf::from(dir).join(entry.name().unwrap_or_default());
        let Ok(relative) = path.strip_prefix(prefix) else {
            return TreeWalkResult::Ok;
        };
        if relative.starts_with(CONTENT_DIR) || relative == Path::new("config.toml") {
            match entry.to_object(repo).and_then(|o| o.peel_to_blob()) {
                // A symbolic link is a blob holding where it points.
                Ok(blob) if entry.filemode() == SYMLINK_MODE => {
                    let target = String::from_utf8_lossy(blob.content()).into_owned();
                    snapshot
                        .links
                        .insert(relative.to_path_buf(), PathBuf::from(target));
                }
                Ok(blob) => {
                    snapshot
                        .files
                        .insert(relative.to_path_buf(), blob.content().to_vec());
                }
                Err(e) => failure = Some(e),
            }
        }
        TreeWalkResult::Ok
    })?;
    if let Some(e) = failure {
        return Err(e.into());
    }
    Ok(snapshot)
}

/// Git's file mode for a symbolic link.
const SYMLINK_MODE: i32 = 0o120000;

fn load(repo: &Repository, root: &Path, prefix: &Path, revision: &str) -> Result<Side> {
    let snapshot = snapshot(repo, prefix, revision)?;
    let config_text = snapshot
        .files
        .get(Path::new("config.toml"))
        .with_context(|| format!("«{revision}» har ingen config.toml"))?;
    let config = Config::parse(&String::from_utf8_lossy(config_text))
        .with_context(|| format!("config.toml i «{revision}» er ikke gyldig"))?;
    let diagnostics = Diagnostics::new();
    let site = load_from(&snapshot, root, config, &diagnostics)?;
    Ok(Side {
        site,
        problems: diagnostics.into_sorted(),
    })
}

/// The fields a reviewer compares, as text.
fn fields(record: &Record) -> BTreeMap<&'static str, String> {
    let c = &record.common;
    let list = |items: &[String]| items.join(", ");
    let mut f = BTreeMap::from([
        ("title", c.title.clone()),
        ("summary", c.summary.clone()),
        ("language", c.language.code().to_string()),
        ("published", c.published.to_string()),
        (
            "updated",
            c.updated.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("draft", if c.draft { "ja".into() } else { String::new() }),
        ("service_areas", list(&c.service_areas)),
        ("solutions", list(&c.solutions)),
        ("networks", list(&c.networks)),
        ("municipalities", list(&c.municipalities)),
        ("tags", list(&c.tags)),
        ("contact", c.contact.clone().unwrap_or_default()),
        (
            "body",
            format!("{} ord", record.body.text.split_whitespace().count()),
        ),
    ]);
    match &record.details {
        Details::Practice(p) => {
            f.insert("maturity", p.maturity.value.to_string());
            f.insert(
                "problem",
                format!("{} ord", p.problem.text.split_whitespace().count()),
            );
        }
        Details::Barrier(b) => {
            f.insert("status", b.status.value.to_string());
            f.insert("ministry", b.ministry.clone());
            f.insert(
                "legal_references",
                b.legal_references
                    .iter()
                    .map(|l| l.citation())
                    .collect::<Vec<_>>()
                    .join("; "),
            );
        }
        Details::Project(p) => {
            f.insert("phase", p.phase.value.to_string());
            f.insert("status", p.status.value.to_string());
            f.insert("owner", p.owner.clone());
            f.insert(
                "funding",
                p.funding
                    .iter()
                    .map(|t| t.value)
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
    }
    f
}

fn kind_label(record: &Record) -> &'static str {
    match record.kind {
        crate::content::RecordKind::Practice => "Erfaring",
        crate::content::RecordKind::Barrier => "Regelverkshindring",
        crate::content::RecordKind::Project => "Prosjekt",
    }
}

/// Characters that end a line somewhere the summary is read: CommonMark ends one at `\n`, `\r`
/// and `\r\n`; terminals, editors and browsers' plain text also at vertical tab, form feed, NEL
/// and Unicode's line and paragraph separators.
const LINE_SEPARATORS: [char; 7] = [
    '\n', '\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}',
];

/// What a line break in content is shown as: visible, so a reviewer sees it is there, and not a
/// break, so content never starts a line of the summary.
const LINE_BREAK: &str = "↵";

/// `text` on one line, each line separator (`\r\n` counts as one) shown as [`LINE_BREAK`], and
/// every other control character as a visible escape (`\u{1b}`).
fn one_line(text: &str) -> String {
    let joined = text
        .replace("\r\n", LINE_BREAK)
        .replace(LINE_SEPARATORS, LINE_BREAK);
    escape_controls(&joined).into_owned()
}

/// Characters with a meaning in GitHub Flavored Markdown within a line: escapes and code
/// (`\`, `` ` ``), emphasis and strikethrough, links and images, HTML tags, comments and
/// entities, table cells, mentions and issue references, bare-URL autolinks (`:` and `.`), and
/// math. Escaped with a backslash, each is shown as itself.
const MARKDOWN_PUNCTUATION: &[char] = &[
    '\\', '`', '*', '_', '~', '[', ']', '(', ')', '!', '<', '>', '&', '|', '#', '@', ':', '.', '$',
];

/// Content as plain text in the summary: on one line, and unable to start a heading, list, HTML
/// tag or comment, link, table cell or any other markup.
fn text(value: &str) -> String {
    let line = one_line(value);
    let mut out = String::with_capacity(line.len() + line.len() / 8);
    for c in line.chars() {
        if MARKDOWN_PUNCTUATION.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Content as a code span (file paths, places, revisions): on one line, fenced by more
/// backticks than any run of them inside, so nothing in it ends the span.
fn code(text: &str) -> String {
    let line = one_line(text);
    let longest = line.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // CommonMark strips one space at each end when both are there; padding keeps a backtick at
    // either end from joining the fence, and keeps spaces the content has.
    if line.starts_with(['`', ' ']) || line.ends_with(['`', ' ']) {
        format!("{fence} {line} {fence}")
    } else {
        format!("{fence}{line}{fence}")
    }
}

/// A table cell: [`text`], with a dash for an empty value.
fn cell(value: &str) -> String {
    if value.is_empty() {
        "–".to_string()
    } else {
        text(value)
    }
}

/// A Markdown section listing records, or nothing when there are none.
fn record_list(out: &mut String, heading: &str, records: &[&Record]) {
    if records.is_empty() {
        return;
    }
    out.push_str(&format!("\n### {heading}\n\n"));
    for r in records {
        out.push_str(&format!(
            "- {}: **{}** ({})\n",
            kind_label(r),
            cell(&r.common.title),
            code(&r.file.to_string_lossy())
        ));
    }
}

/// Compares two revisions of the site at `root` and returns the Markdown report.
/// Records added, removed and changed between two loaded sites, by record id.
struct Comparison<'a> {
    added: Vec<&'a Record>,
    removed: Vec<&'a Record>,
    changed: Vec<(&'a Record, Vec<FieldChange>)>,
}

fn compare<'a>(before: &'a LoadedSite, after: &'a LoadedSite) -> Comparison<'a> {
    let by_id = |site: &LoadedSite| -> BTreeMap<String, usize> {
        site.records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id(), i))
            .collect()
    };
    let (old, new) = (by_id(before), by_id(after));
    let added = new
        .iter()
        .filter(|(id, _)| !old.contains_key(*id))
        .map(|(_, i)| &after.records[*i])
        .collect();
    let removed = old
        .iter()
        .filter(|(id, _)| !new.contains_key(*id))
        .map(|(_, i)| &before.records[*i])
        .collect();
    let mut changed: Vec<(&Record, Vec<FieldChange>)> = Vec::new();
    for (id, i) in &new {
        let Some(j) = old.get(id) else { continue };
        let (a, b) = (fields(&before.records[*j]), fields(&after.records[*i]));
        let mut differences: Vec<FieldChange> = b
            .iter()
            .filter(|(k, v)| a.get(*k) != Some(*v))
            .map(|(k, v)| (*k, a.get(k).cloned().unwrap_or_default(), v.clone()))
            .collect();
        if before.records[*j].body.text != after.records[*i].body.text {
            differences.push(("body", String::new(), "endret".to_string()));
        }
        if before.records[*j].file != after.records[*i].file {
            differences.push((
                "file",
                before.records[*j].file.display().to_string(),
                after.records[*i].file.display().to_string(),
            ));
        }
        if !differences.is_empty() {
            changed.push((&after.records[*i], differences));
        }
    }
    Comparison {
        added,
        removed,
        changed,
    }
}

/// What a preview shows at the top of every page: the records the change adds, changes and
/// removes, compared with `base` (a Git revision), for `deling build --preview-of`.
pub fn preview_of(
    root: &Path,
    site: &LoadedSite,
    base: &str,
) -> Result<Vec<crate::render::PreviewChange>> {
    let repo = Repository::discover(root).with_context(|| {
        format!(
            "fant ikke noe Git-repositorium i {}: `--preview-of` sammenligner med en revisjon, \
             så bygg fra en Git-klone av nettstedet (eller bygg uten `--preview-of`)",
            root.display()
        )
    })?;
    let before = load(&repo, root, &prefix_of(&repo, root)?, base)?;
    let Comparison {
        added,
        removed,
        changed,
    } = compare(&before.site, site);
    use crate::render::{Change, PreviewChange};
    let entry = |record: &Record, change: Change| PreviewChange {
        kind: record.kind,
        slug: record.slug.clone(),
        title: record.common.title.clone(),
        change,
    };
    Ok(added
        .into_iter()
        .map(|r| entry(r, Change::Added))
        .chain(changed.into_iter().map(|(r, _)| entry(r, Change::Changed)))
        .chain(removed.into_iter().map(|r| entry(r, Change::Removed)))
        .collect())
}

fn prefix_of(repo: &Repository, root: &Path) -> Result<PathBuf> {
    let workdir = repo
        .workdir()
        .context("repositoriet har ingen arbeidsmappe")?;
    Ok(root
        .canonicalize()?
        .strip_prefix(workdir.canonicalize()?)
        .unwrap_or(Path::new(""))
        .to_path_buf())
}

pub fn run(root: &Path, base: &str, head: &str) -> Result<String> {
    let repo = Repository::discover(root).with_context(|| {
        format!(
            "fant ikke noe Git-repositorium i {}: `deling diff` sammenligner to revisjoner, \
             så kjør den i en Git-klone av nettstedet",
            root.display()
        )
    })?;
    let prefix = prefix_of(&repo, root)?;
    let before = load(&repo, root, &prefix, base)?;
    let after = load(&repo, root, &prefix, head)?;

    let Comparison {
        added,
        removed,
        changed,
    } = compare(&before.site, &after.site);
    let known: BTreeSet<(PathBuf, String)> = before
        .problems
        .iter()
        .map(|d| (d.file.clone(), d.message.clone()))
        .collect();
    let introduced: Vec<&Diagnostic> = after
        .problems
        .iter()
        .filter(|d| !known.contains(&(d.file.clone(), d.message.clone())))
        .collect();

    let mut out = format!(
        "## Endringer i innholdet: {} → {}\n\n",
        code(base),
        code(head)
    );
    out.push_str(&format!(
        "{} nye, {} fjernet, {} endret; {} nye problemer.\n",
        added.len(),
        removed.len(),
        changed.len(),
        introduced.len()
    ));
    record_list(&mut out, "Nye poster", &added);
    record_list(&mut out, "Fjernede poster", &removed);
    if !changed.is_empty() {
        out.push_str("\n### Endrede poster\n");
        for (r, differences) in &changed {
            out.push_str(&format!(
                "\n**{}: {}** ({})\n\n| felt | før | etter |\n|---|---|---|\n",
                kind_label(r),
                cell(&r.common.title),
                code(&r.file.to_string_lossy())
            ));
            for (field, before, after) in differences {
                out.push_str(&format!(
                    "| `{field}` | {} | {} |\n",
                    cell(before),
                    cell(after)
                ));
            }
        }
    }
    if !introduced.is_empty() {
        out.push_str("\n### Nye problemer\n\n");
        for d in &introduced {
            let kind = if d.is_error() { "feil" } else { "advarsel" };
            out.push_str(&format!(
                "- {} {kind}: {}",
                code(&d.location()),
                text(&d.message)
            ));
            if let Some(help) = &d.help {
                out.push_str(&format!(" — hjelp: {}", text(help)));
            }
            out.push('\n');
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str) -> String {
        let mut options = comrak::Options::default();
        options.extension.table = true;
        options.extension.autolink = true;
        options.extension.strikethrough = true;
        options.render.r#unsafe = true;
        comrak::markdown_to_html(markdown, &options)
    }

    #[test]
    fn every_line_separator_is_one_visible_mark() {
        for separator in [
            "\r\n", "\r", "\n", "\u{b}", "\u{c}", "\u{85}", "\u{2028}", "\u{2029}",
        ] {
            let line = one_line(&format!("a{separator}## b"));
            assert_eq!(line, "a↵## b", "{separator:?}");
        }
        assert_eq!(one_line("a\u{1b}[2Kb"), "a\\u{1b}[2Kb");
    }

    #[test]
    fn text_is_never_markup() {
        let payload = "**fet** _kursiv_ ~~slettet~~ `kode` [lenke](https://evil.example) \
             ![bilde](x.png) <b>fet</b> <!-- skjult --> &amp; | celle | @bruker #1 \
             https://evil.example www.evil.example a@evil.example $x$ \\";
        let rendered = html(&format!("- {}\n", text(payload)));
        assert_eq!(
            rendered,
            format!(
                "<ul>\n<li>{}</li>\n</ul>\n",
                payload
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
            )
        );
        // In a table, a pipe stays in its cell.
        let table = html(&format!(
            "| a | b |\n|---|---|\n| {} | x |\n",
            cell("1 | 2")
        ));
        assert!(table.contains("<td>1 | 2</td>"), "{table}");
        assert_eq!(cell(""), "–");
    }

    #[test]
    fn code_spans_cannot_be_closed_by_their_content() {
        for path in ["a`b", "`a", "a`", "a``b```", " a ", "x` <!-- [l](u) |"] {
            let rendered = html(&format!("- {}\n", code(path)));
            let inner = rendered
                .strip_prefix("<ul>\n<li><code>")
                .and_then(|r| r.strip_suffix("</code></li>\n</ul>\n"))
                .unwrap_or_else(|| panic!("{path:?}: {rendered}"));
            assert_eq!(
                inner,
                path.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;"),
                "{path:?}"
            );
        }
    }
}
