//! `deling new <praksis|hindring|prosjekt> "Tittel" --network <id>`: writes a correctly placed
//! file with every required field and short Norwegian guidance.

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

use crate::content::source::refuse_writing_through_links;
use crate::content::{CONTENT_DIR, NATIONAL_DIR, NETWORKS_DIR, RecordKind};
use crate::diagnostics::or_list;
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

/// Writes the file and returns its path relative to the root.
pub fn run(new: &NewRecord) -> Result<PathBuf> {
    let slug = slugify(&new.title);
    if slug.is_empty() {
        bail!(
            "tittelen «{}» gir ikke noe filnavn; bruk bokstaver eller tall i tittelen",
            new.title
        );
    }
    let networks_dir = new.root.join(CONTENT_DIR).join(NETWORKS_DIR);
    let (folder, language) = if new.network == NATIONAL_DIR {
        (
            PathBuf::from(CONTENT_DIR).join(NATIONAL_DIR),
            "nb".to_string(),
        )
    } else {
        let index = networks_dir.join(&new.network).join("index.md");
        if !index.is_file() {
            let known = known_networks(&networks_dir);
            bail!(
                "nettverket «{}» finnes ikke; gyldige verdier er {} eller «{NATIONAL_DIR}» for nasjonale poster",
                new.network,
                or_list(&known)
            );
        }
        let text = std::fs::read_to_string(&index).unwrap_or_default();
        let language = if text
            .lines()
            .any(|l| l.replace(' ', "") == "language=\"nn\"")
        {
            "nn"
        } else {
            "nb"
        };
        (
            PathBuf::from(CONTENT_DIR)
                .join(NETWORKS_DIR)
                .join(&new.network),
            language.to_string(),
        )
    };
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

fn known_networks(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("index.md").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The file a contributor starts from. Comments (`#`) explain each field; required fields are
/// present but empty, so `deling check` says exactly what is left to fill in.
pub fn template(kind: RecordKind, title: &str, language: &str, today: NaiveDate) -> String {
    let common = format!(
        r#"+++
# Felt merket (påkrevd) må fylles ut. Se content/README.md for alle felt og gyldige verdier.
title = {title}
# (påkrevd) Ingress i klarspråk, høyst 300 tegn.
summary = ""
# "nb" for bokmål, "nn" for nynorsk.
language = "{language}"
published = {today}
# (påkrevd) Minst ett tjenesteområde, se content/referanse/tjenesteomrader.toml.
service_areas = []
# Nasjonale fellesløsninger, se content/referanse/losninger.toml.
solutions = []
# Kommunenummer med fire sifre, se content/referanse/kommuner.csv.
municipalities = []
tags = []
# En rolle og en organisasjon, ikke navnet på en person.
contact = ""
"#,
        title = toml_string(title),
        today = today.format("%Y-%m-%d"),
    );
    let specific = match kind {
        RecordKind::Practice => r#"# (påkrevd) Hvilket problem løste dere?
problem = """
"""
# (påkrevd) "idé", "pilot", "i drift", "spredning" eller "avsluttet".
maturity = "pilot"
# Resultater og gevinster.
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
"#
        .to_string(),
        RecordKind::Barrier => r#"# (påkrevd) Departementet som har ansvaret, se content/referanse/departementer.toml.
ministry = ""
# Direktorat eller etat, om det er kjent.
agency = ""
# (påkrevd) Hva er konsekvensen for kommunene og innbyggerne?
consequence = """
"""
# (påkrevd) Hvilken endring foreslår dere?
proposed_change = """
"""
# (påkrevd) Hvem meldte hindringen (rolle og organisasjon)?
reported_by = ""
# (påkrevd) "meldt", "under vurdering", "løftet til KS", "sendt departementet", "løst" eller "avvist".
status = "meldt"

# (påkrevd) Minst én lovhenvisning. Kopier blokken for flere.
[[legal_references]]
law = ""
section = ""
url = "https://lovdata.no/"

[[status_log]]
date = TODAY
status = "meldt"
+++

Skriv her hva som hindrer, og i hvilke situasjoner.
"#
        .replace("TODAY", &today.format("%Y-%m-%d").to_string()),
        RecordKind::Project => r#"# (påkrevd) Hva skal prosjektet oppnå?
purpose = """
"""
# (påkrevd) "idé", "konsept", "planlegging", "gjennomføring", "avslutning" eller "gevinstrealisering".
phase = "idé"
# (påkrevd) "planlagt", "pågår", "på vent", "avsluttet" eller "stanset".
status = "planlagt"
# (påkrevd) Organisasjonen som eier prosjektet.
owner = ""
participants = []
# "DigiFin", "Digdir medfinansiering", "skjønnsmidler", "egne midler" eller "annet".
funding = []
deliverables = []
+++

Beskriv prosjektet her.
"#
        .to_string(),
    };
    // Optional text fields left empty would only clutter; required ones stay so check names them.
    format!("{common}{specific}")
        .replace("agency = \"\"\n", "")
        .replace("contact = \"\"\n", "")
}
