//! `deling new <praksis|hindring|prosjekt> "Tittel" --network <id>`: writes a correctly placed
//! file with every required field and short Norwegian guidance.

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

use crate::content::parse::title_problem;
use crate::content::{CONTENT_DIR, NATIONAL_DIR, NETWORKS_DIR, RecordKind};
use crate::diagnostics::{or_list, visible};
use crate::files::names::{is_slug, is_windows_device_name};
use crate::files::source::refuse_writing_through_links;
use crate::norwegian::slugify;

#[derive(Debug, Clone)]
pub struct NewRecord {
    pub root: PathBuf,
    pub kind: RecordKind,
    pub title: String,
    /// A network id, or `nasjonalt` for national records.
    pub network: String,
    pub today: NaiveDate,
}

/// The longest file name `new` gives a record, before `.md`. File systems allow 255 bytes; a
/// slug is also part of the record's address, and a short one reads better there.
pub const MAX_SLUG: usize = 80;

/// Writes the file and returns its path relative to the root.
pub fn run(new: &NewRecord) -> Result<PathBuf> {
    let slug = slug_for(&new.title)?;
    let (folder, language) = network_folder(&new.root, &new.network)?;
    let relative = folder.join(new.kind.folder()).join(format!("{slug}.md"));
    let path = new.root.join(&relative);
    if path.exists() {
        bail!(
            "{} finnes allerede; velg en annen tittel eller rediger filen som finnes",
            relative.display()
        );
    }
    refuse_writing_through_links(&new.root, &relative)?;
    std::fs::create_dir_all(path.parent().expect("has a parent"))
        .with_context(|| format!("kunne ikke lage mappen for {}", relative.display()))?;
    std::fs::write(&path, template(new.kind, &new.title, &language, new.today))
        .with_context(|| format!("kunne ikke skrive {}", relative.display()))?;
    Ok(relative)
}

/// The file name (without `.md`) a record with this title gets: the title's slug, cut to
/// [`MAX_SLUG`]. Refuses a title `check` would refuse, one with no letters or digits, and one
/// whose name Windows keeps for a device. Shared by `new` and `import-issue`.
pub fn slug_for(title: &str) -> Result<String> {
    check_title(title)?;
    let slug = shorten(&slugify(title));
    if slug.is_empty() {
        bail!(
            "tittelen «{}» gir ikke noe filnavn; bruk bokstaver eller tall i tittelen",
            visible(title)
        );
    }
    if is_windows_device_name(&slug) {
        bail!(
            "tittelen «{}» gir filnavnet «{slug}.md», et navn som Windows holder av til enheter (som con, aux, nul, com1 og lpt1); skriv en lengre tittel",
            visible(title)
        );
    }
    Ok(slug)
}

/// The folder (relative to the root) that holds the records of `network`, a network id or
/// `nasjonalt`, and the language its records start in. Only an existing network's folder
/// name: a path (`../x`, `/tmp/x`) would put the file anywhere.
pub fn network_folder(root: &Path, network: &str) -> Result<(PathBuf, String)> {
    let networks_dir = root.join(CONTENT_DIR).join(NETWORKS_DIR);
    if network == NATIONAL_DIR {
        return Ok((
            PathBuf::from(CONTENT_DIR).join(NATIONAL_DIR),
            "nb".to_string(),
        ));
    }
    let known = known_networks(&networks_dir);
    if !is_slug(network) || !known.iter().any(|k| k == network) {
        let valid = format!(
            "gyldige verdier for --network er {} eller «{NATIONAL_DIR}» for nasjonale poster",
            or_list(&known)
        );
        if network.contains(['/', '\\']) || network.starts_with('.') {
            bail!(
                "--network «{}» er en sti, ikke et nettverk: oppgi bare mappenavnet til et nettverk i {CONTENT_DIR}/{NETWORKS_DIR}/; {valid}",
                visible(network)
            );
        }
        bail!("nettverket «{}» finnes ikke; {valid}", visible(network));
    }
    let text =
        std::fs::read_to_string(networks_dir.join(network).join("index.md")).unwrap_or_default();
    let language = if text
        .lines()
        .any(|l| l.replace(' ', "") == "language=\"nn\"")
    {
        "nn"
    } else {
        "nb"
    };
    Ok((
        PathBuf::from(CONTENT_DIR).join(NETWORKS_DIR).join(network),
        language.to_string(),
    ))
}

/// Refuses a title `check` would refuse (the same rule, [`title_problem`]).
fn check_title(title: &str) -> Result<()> {
    match title_problem(title) {
        Some((problem, help)) => bail!("tittelen «{}» {problem}; {help}", visible(title)),
        None => Ok(()),
    }
}

/// `slug` cut to at most [`MAX_SLUG`] bytes, at a hyphen when that keeps at least half of it, so
/// the last word stays whole.
fn shorten(slug: &str) -> String {
    if slug.len() <= MAX_SLUG {
        return slug.to_string();
    }
    // A slug is ASCII, so any byte offset is a character boundary.
    let cut = &slug[..MAX_SLUG];
    let cut = match cut.rfind('-') {
        Some(hyphen) if hyphen >= MAX_SLUG / 2 => &cut[..hyphen],
        _ => cut,
    };
    cut.trim_end_matches('-').to_string()
}

/// The networks a record can be written to: folders in `content/nettverk/` with an `index.md`
/// and a name `check` accepts.
pub fn known_networks(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("index.md").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|id| is_slug(id))
        .collect();
    ids.sort();
    ids
}

/// `text` as a TOML string, quoted by the `toml` crate, so any text reads back as itself.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// The fields every kind has: `{title}`, `{language}` and `{today}` are filled in.
const COMMON: &str = r#"+++
# Felt merket (påkrevd) må fylles ut. Se content/README.md for alle felt og gyldige verdier.
title = {title}
# (påkrevd) Ingress i klarspråk, høyst 300 tegn.
summary = ""
# "nb" for bokmål, "nn" for nynorsk.
language = "{language}"
# Dagens dato: år-måned-dag, uten anførselstegn.
published = {today}
# (påkrevd) Minst ett tjenesteområde, for eksempel ["helse-og-omsorg"].
service_areas = []
# Fellesløsninger, for eksempel ["svarut", "eformidling"]. Kan stå tom.
solutions = []
# Kommunenummer med fire sifre, for eksempel ["4601", "0301"]. Kan stå tom.
municipalities = []
# Stikkord med små bokstaver, for eksempel ["byggesak", "arkiv"].
tags = []
# Rolle og organisasjon, aldri navnet på en person.
contact = ""
"#;

const PRACTICE: &str = r#"# (påkrevd) Hvilket problem eller behov startet dere med?
problem = """
"""
# (påkrevd) "idé", "pilot", "i drift", "spredning" eller "avsluttet".
maturity = "pilot"
# Resultater og gevinster. Bare tall dere har en kilde til.
results = """
"""
# Hva lærte dere, også det som ikke virket?
lessons = """
"""
# Hva skal til for at andre kan gjenbruke dette?
reuse = """
"""
+++

Skriv her hva dere gjorde, steg for steg.
"#;

const BARRIER: &str = r#"# (påkrevd) Departementet som har ansvaret, for eksempel "kdd" eller "hod".
ministry = ""
# Direktorat eller etat, hvis du vet det.
agency = ""
# (påkrevd) Hva er konsekvensen for kommunene og innbyggerne?
consequence = """
"""
# (påkrevd) Hvilken endring foreslår dere?
proposed_change = """
"""
# (påkrevd) Hvem meldte hindringen? Rolle og organisasjon.
reported_by = ""
# (påkrevd) "meldt", "under vurdering", "løftet til KS", "sendt departementet", "løst" eller "avvist".
status = "meldt"

# (påkrevd) Minst én lovhenvisning. Kopier blokken hvis det gjelder flere paragrafer.
[[legal_references]]
law = ""
section = ""
url = "https://lovdata.no/"

[[status_log]]
date = {today}
status = "meldt"
+++

Skriv her hva som hindrer, og i hvilke situasjoner.
"#;

const PROJECT: &str = r#"# (påkrevd) Hva skal prosjektet oppnå?
purpose = """
"""
# (påkrevd) "idé", "konsept", "planlegging", "gjennomføring", "avslutning" eller "gevinstrealisering".
phase = "idé"
# (påkrevd) "planlagt", "pågår", "på vent", "avsluttet" eller "stanset".
status = "planlagt"
# (påkrevd) Organisasjonen som eier prosjektet, for eksempel "Digi Agder".
owner = ""
# Deltakende organisasjoner, for eksempel ["Bodø kommune", "Narvik kommune"].
participants = []
# "DigiFin", "Digdir medfinansiering", "skjønnsmidler", "egne midler" og/eller "annet".
funding = []
# Datoer: fjern # foran linjen når du vet datoen.
# start = 2026-01-01
# end = 2026-12-31
deliverables = []
+++

Beskriv prosjektet her.
"#;

/// The file a contributor starts from, the same as CONTRIBUTING.md's templates (a test compares
/// them). Comments (`#`) explain each field; required fields are present but empty, so `deling
/// check` says exactly what is left to fill in.
pub fn template(kind: RecordKind, title: &str, language: &str, today: NaiveDate) -> String {
    let specific = match kind {
        RecordKind::Practice => PRACTICE,
        RecordKind::Barrier => BARRIER,
        RecordKind::Project => PROJECT,
    };
    // Each placeholder appears in COMMON or BARRIER only, and no filled-in value is read again.
    format!("{COMMON}{specific}")
        .replace("{today}", &today.format("%Y-%m-%d").to_string())
        .replace("{language}", language)
        .replacen("{title}", &toml_string(title), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_written_as_toml_that_reads_back_as_written() {
        for title in [
            "Vanlig tittel",
            "Sitat \"i\" tittelen",
            "Skråstrek \\ og \\u0041 og \\n",
            "Tre ''' og \"\"\" på rad",
            "Tabulator\ter lov",
            "Emoji 😀 og «sitater»",
        ] {
            let text = template(
                RecordKind::Practice,
                title,
                "nb",
                NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(),
            );
            let front = text.split("+++").nth(1).unwrap();
            let table: toml::Table = toml::from_str(front).expect(title);
            assert_eq!(table["title"].as_str(), Some(title));
        }
    }

    #[test]
    fn long_slugs_are_cut_at_a_hyphen() {
        assert_eq!(shorten("kort-tittel"), "kort-tittel");
        let long = "ord-".repeat(40);
        let cut = shorten(&long);
        assert!(cut.len() <= MAX_SLUG && !cut.ends_with('-'), "{cut}");
        assert!(long.starts_with(&format!("{cut}-")), "{cut}");
        assert_eq!(shorten(&"a".repeat(300)), "a".repeat(MAX_SLUG));
        // A hyphen early on would leave too little: cut inside the word instead.
        let early = format!("con-{}", "b".repeat(200));
        assert_eq!(shorten(&early).len(), MAX_SLUG);
    }
}
