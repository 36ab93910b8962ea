//! Checks on the entries of `content/` themselves, before any file is read: symbolic links,
//! which are never followed, and names that differ only in upper and lower case, which
//! Windows and macOS see as one name, so a checkout there loses one of the files. The same goes
//! for names written with the same letters stored two ways (`å` as one character, or as `a`
//! and a ring), which macOS sees as one. And names Windows keeps for devices (`con`, `aux`,
//! `nul`, `com1`, …, with any extension): Windows cannot create such a file, so a checkout there
//! fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

use super::source::{Entry, EntryKind, link_diagnostic};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos, join_words};

/// Whether `name` can stand as-is in an address, so the address is predictable from it: small
/// letters a–z, digits and hyphens, not starting with a hyphen; and a name every system can
/// give a file or folder, so not one Windows keeps for a device.
pub fn is_slug(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !is_windows_device_name(name)
}

/// Whether Windows keeps `name` for a device: `con`, `prn`, `aux`, `nul`, `com0`–`com9`,
/// `lpt0`–`lpt9` (also with `¹`, `²`, `³`), `conin$` and `conout$`, in any case and with any
/// extension (`aux.md`, `nul.tar.gz`) or trailing spaces. Windows cannot create a file or folder
/// with such a name, so Git for Windows stops checking out the repository at it.
pub fn is_windows_device_name(name: &str) -> bool {
    let stem = name
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_end_matches(' ')
        .to_ascii_lowercase();
    match stem.as_str() {
        "con" | "prn" | "aux" | "nul" | "conin$" | "conout$" => true,
        _ => ["com", "lpt"].iter().any(|port| {
            stem.strip_prefix(port).is_some_and(|number| {
                matches!(
                    number,
                    "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
                )
            })
        }),
    }
}

/// Reports every symbolic link, every name Windows keeps for a device and every case conflict
/// among the entries of `content/`, and returns the paths reported for a name.
pub fn check(entries: &[Entry], diagnostics: &Diagnostics) -> BTreeSet<PathBuf> {
    let mut reported = BTreeSet::new();
    for entry in entries {
        if let EntryKind::Link(target) = &entry.kind {
            diagnostics.push(link_diagnostic(&entry.path, target));
        }
        let name = name_of(&entry.path);
        if is_windows_device_name(&name) {
            let folder = matches!(entry.kind, EntryKind::Folder);
            diagnostics.push(windows_device_name(&entry.path, &name, folder));
            reported.insert(entry.path.clone());
        }
    }
    let kinds: BTreeMap<&Path, &EntryKind> = entries
        .iter()
        .map(|e| (e.path.as_path(), &e.kind))
        .collect();
    for (path, others) in case_conflicts(entries.iter().map(|e| e.path.as_path())) {
        let folder = matches!(kinds.get(path.as_path()), Some(EntryKind::Folder));
        let name = name_of(&path);
        let same_letters = |other: &String| other.nfc().eq(name.nfc());
        diagnostics.push(if others.iter().any(same_letters) {
            stored_two_ways(&path, &others, folder)
        } else {
            case_conflict(&path, &others, folder)
        });
        reported.insert(path);
    }
    reported
}

/// Each path whose name, in the same folder, equals another's but for case, with those others.
/// Only siblings are compared: `A/x.md` and `a/x.md` follow from the folders `A` and `a`, which
/// are the conflict to fix.
pub fn case_conflicts<'a>(paths: impl Iterator<Item = &'a Path>) -> Vec<(PathBuf, Vec<String>)> {
    let mut siblings: BTreeMap<(&Path, String), Vec<&Path>> = BTreeMap::new();
    for path in paths {
        let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
            continue;
        };
        let key: String = name
            .to_string_lossy()
            .nfc()
            .collect::<String>()
            .to_lowercase();
        siblings.entry((parent, key)).or_default().push(path);
    }
    let mut conflicts = Vec::new();
    for group in siblings.into_values().filter(|g| g.len() > 1) {
        for &path in &group {
            let others = group
                .iter()
                .filter(|&&p| p != path)
                .map(|p| name_of(p))
                .collect();
            conflicts.push((path.to_path_buf(), others));
        }
    }
    conflicts
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A name Windows keeps for a device, such as `aux.md` or a folder `con`.
fn windows_device_name(path: &Path, name: &str, folder: bool) -> Diagnostic {
    let (what, other) = if folder {
        ("mappen", "gi mappen et annet navn, og flytt filene dit")
    } else {
        (
            "filen",
            "gi filen et lengre navn, for eksempel etter tittelen",
        )
    };
    let stem = name.split('.').next().unwrap_or_default().trim_end();
    Diagnostic::error(
        path,
        Pos::START,
        format!("{what} «{name}» har et navn som Windows holder av, og kan ikke lagres der"),
    )
    .with_help(format!(
        "«{stem}» er et reservert navn i Windows (som con, prn, aux, nul, com1–com9 og lpt1–lpt9, også med en filendelse etter), så den som henter repositoriet på Windows, får feil; {other}"
    ))
}

/// Two names that look the same: one has a letter such as `å` stored as one character, the
/// other as a base letter and a mark (as macOS writes it). macOS sees one name.
fn stored_two_ways(path: &Path, others: &[String], folder: bool) -> Diagnostic {
    let what = if folder { "mappen" } else { "filen" };
    Diagnostic::error(
        path,
        Pos::START,
        format!(
            "{what} «{}» har samme navn som {} i samme mappe, men bokstavene er lagret på to ulike måter",
            name_of(path),
            join_words(others, "og")
        ),
    )
    .with_help(
        "macOS ser dem som samme navn, så der går den ene tapt; slett den ene, eller gi den et navn uten æ, ø, å og andre bokstaver med tegn (som é)",
    )
}

fn case_conflict(path: &Path, others: &[String], folder: bool) -> Diagnostic {
    let quoted = |names: &[&String]| join_words(names, "og");
    let name = name_of(path);
    let all_others = join_words(others, "og");
    // The name to keep, if exactly one of them is already written in small letters.
    let lower: Vec<&String> = others.iter().filter(|o| **o == o.to_lowercase()).collect();
    let keep_this = name == name.to_lowercase() && lower.is_empty();
    let keep_other = name != name.to_lowercase() && lower.len() == 1;
    let (what, help) = if folder {
        let fix = if keep_this {
            format!("flytt filene fra {all_others} over i denne mappen, og slett {all_others}")
        } else if keep_other {
            format!(
                "flytt filene herfra over i {}, og slett denne mappen",
                quoted(&lower)
            )
        } else {
            "samle filene i én av mappene, og gi den et navn med bare små bokstaver".to_string()
        };
        (
            "mappen",
            format!(
                "Windows og macOS skiller ikke mellom store og små bokstaver, så der blir mappene én, og filene blandes; {fix}"
            ),
        )
    } else {
        let fix = if keep_this {
            format!(
                "gi {all_others} et annet navn, med bare små bokstaver, eller slett den hvis den er en gammel kopi av denne"
            )
        } else {
            format!(
                "gi denne filen et annet navn enn {all_others}, med bare små bokstaver, eller slett den hvis den er en gammel kopi"
            )
        };
        (
            "filen",
            format!(
                "Windows og macOS skiller ikke mellom store og små bokstaver, så der blir filene én, og den ene går tapt; {fix}"
            ),
        )
    };
    Diagnostic::error(
        path,
        Pos::START,
        format!("{what} «{name}» har samme navn som {all_others} i samme mappe, bortsett fra store og små bokstaver"),
    )
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_device_names_are_refused_as_slugs() {
        for name in [
            "aux", "nul", "con", "prn", "com1", "com9", "lpt1", "lpt9", "com0", "lpt0",
        ] {
            assert!(!is_slug(name), "{name}");
            assert!(is_windows_device_name(name), "{name}");
        }
        for name in [
            "AUX",
            "Nul.md",
            "con.tar.gz",
            "aux.md",
            "COM7.pdf",
            "lpt¹",
            "nul .txt",
            "conin$",
        ] {
            assert!(is_windows_device_name(name), "{name}");
        }
        for name in [
            "auxiliary",
            "con-tilskudd",
            "com10",
            "lpt",
            "com",
            "null",
            "a-con",
            "nul-md",
        ] {
            assert!(!is_windows_device_name(name), "{name}");
        }
        assert!(is_slug("con-tilskudd") && is_slug("com10") && is_slug("konto"));
    }

    #[test]
    fn only_siblings_that_differ_in_case_conflict() {
        let paths = [
            "content/nettverk/Digi-Agder/index.md",
            "content/nettverk/digi-agder/index.md",
            "content/nettverk/digi-agder",
            "content/nettverk/Digi-Agder",
            "content/nasjonalt/erfaringer/Tilskudd.md",
            "content/nasjonalt/erfaringer/tilskudd.md",
            "content/nasjonalt/hindringer/tilskudd.md",
            "content/nasjonalt/erfaringer/ØKONOMI.md",
            "content/nasjonalt/erfaringer/økonomi.md",
            // «Tilskuddsbrev-å.pdf», once with «å» as one character, once as «a» and a ring.
            "content/nasjonalt/erfaringer/Tilskuddsbrev-\u{e5}.pdf",
            "content/nasjonalt/erfaringer/Tilskuddsbrev-a\u{30a}.pdf",
        ];
        let mut found: Vec<(String, Vec<String>)> = case_conflicts(paths.iter().map(Path::new))
            .into_iter()
            .map(|(p, o)| (p.display().to_string(), o))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                ("content/nasjonalt/erfaringer/Tilskudd.md", "tilskudd.md"),
                (
                    "content/nasjonalt/erfaringer/Tilskuddsbrev-a\u{30a}.pdf",
                    "Tilskuddsbrev-\u{e5}.pdf"
                ),
                (
                    "content/nasjonalt/erfaringer/Tilskuddsbrev-\u{e5}.pdf",
                    "Tilskuddsbrev-a\u{30a}.pdf"
                ),
                ("content/nasjonalt/erfaringer/tilskudd.md", "Tilskudd.md"),
                ("content/nasjonalt/erfaringer/ØKONOMI.md", "økonomi.md"),
                ("content/nasjonalt/erfaringer/økonomi.md", "ØKONOMI.md"),
                ("content/nettverk/Digi-Agder", "digi-agder"),
                ("content/nettverk/digi-agder", "Digi-Agder"),
            ]
            .map(|(p, o)| (p.to_string(), vec![o.to_string()]))
        );
    }
}
