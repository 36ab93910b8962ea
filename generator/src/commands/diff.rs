//! `deling diff <base> <head>`: what a change does to the content, record by record, in
//! Markdown for a pull request's summary: records added and removed, fields changed (old → new),
//! and problems the head introduces. Both revisions are read from Git with git2 (blobs, not a
//! checkout), so the working tree is never touched.

use anyhow::{Context, Result};
use git2::{ObjectType, Repository, TreeWalkMode, TreeWalkResult};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::source::Snapshot;
use crate::content::{CONTENT_DIR, Details, LoadedSite, Record, load_from};
use crate::diagnostics::{Diagnostic, Diagnostics};

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
                    .map(|l| {
                        format!("{} {}", l.law, l.section.clone().unwrap_or_default())
                            .trim()
                            .to_string()
                    })
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

fn cell(text: &str) -> String {
    let text = if text.is_empty() { "–" } else { text };
    text.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown section listing records, or nothing when there are none.
fn record_list(out: &mut String, heading: &str, records: &[&Record]) {
    if records.is_empty() {
        return;
    }
    out.push_str(&format!("\n### {heading}\n\n"));
    for r in records {
        out.push_str(&format!(
            "- {}: **{}** (`{}`)\n",
            kind_label(r),
            cell(&r.common.title),
            r.file.display()
        ));
    }
}

/// Compares two revisions of the site at `root` and returns the Markdown report.
pub fn run(root: &Path, base: &str, head: &str) -> Result<String> {
    let repo = Repository::discover(root).context("fant ikke noe Git-repositorium")?;
    let workdir = repo
        .workdir()
        .context("repositoriet har ingen arbeidsmappe")?;
    let root_abs = root.canonicalize()?;
    let prefix = root_abs
        .strip_prefix(workdir.canonicalize()?)
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let before = load(&repo, root, &prefix, base)?;
    let after = load(&repo, root, &prefix, head)?;

    let by_id = |side: &'_ Side| -> BTreeMap<String, usize> {
        side.site
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id(), i))
            .collect()
    };
    let (old, new) = (by_id(&before), by_id(&after));
    let added: Vec<&Record> = new
        .iter()
        .filter(|(id, _)| !old.contains_key(*id))
        .map(|(_, i)| &after.site.records[*i])
        .collect();
    let removed: Vec<&Record> = old
        .iter()
        .filter(|(id, _)| !new.contains_key(*id))
        .map(|(_, i)| &before.site.records[*i])
        .collect();
    let mut changed: Vec<(&Record, Vec<FieldChange>)> = Vec::new();
    for (id, i) in &new {
        let Some(j) = old.get(id) else { continue };
        let (a, b) = (
            fields(&before.site.records[*j]),
            fields(&after.site.records[*i]),
        );
        let differences: Vec<_> = b
            .iter()
            .filter(|(k, v)| a.get(*k) != Some(*v))
            .map(|(k, v)| (*k, a.get(k).cloned().unwrap_or_default(), v.clone()))
            .collect();
        let moved = before.site.records[*j].file != after.site.records[*i].file;
        if !differences.is_empty() || moved {
            let mut differences = differences;
            if moved {
                differences.push((
                    "file",
                    before.site.records[*j].file.display().to_string(),
                    after.site.records[*i].file.display().to_string(),
                ));
            }
            changed.push((&after.site.records[*i], differences));
        }
    }
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

    let mut out = format!("## Endringer i innholdet: `{base}` → `{head}`\n\n");
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
                "\n**{}: {}** (`{}`)\n\n| felt | før | etter |\n|---|---|---|\n",
                kind_label(r),
                cell(&r.common.title),
                r.file.display()
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
            out.push_str(&format!("- `{}` {kind}: {}\n", d.location(), d.message));
        }
    }
    Ok(out)
}
