//! Field names in Norwegian (Bokmål and Nynorsk), as contributors write them, and the English
//! keys they mean. Data only: `Fields::finish` and the syntax pre-scan in `parse.rs` use it.

use crate::norwegian::ascii_letters;

/// A written name (folded by [`fold`]) and the keys it may mean, most likely first: the first
/// one the record's kind has is suggested.
pub const NORWEGIAN: &[(&str, &[&str])] = &[
    ("tittel", &["title"]),
    ("overskrift", &["title"]),
    ("namn", &["name", "title"]),
    ("navn", &["name", "title"]),
    ("ingress", &["summary"]),
    ("sammendrag", &["summary"]),
    ("samandrag", &["summary"]),
    ("oppsummering", &["summary"]),
    ("sprak", &["language"]),
    ("malform", &["language"]),
    ("publisert", &["published"]),
    ("publiseringsdato", &["published"]),
    ("dato", &["published", "date"]),
    ("oppdatert", &["updated"]),
    ("endret", &["updated"]),
    ("kladd", &["draft"]),
    ("utkast", &["draft"]),
    ("tjenesteomrade", &["service_areas"]),
    ("tjenesteomrader", &["service_areas"]),
    ("tenesteomrade", &["service_areas"]),
    ("tenesteomrader", &["service_areas"]),
    ("tjenester", &["service_areas"]),
    ("tenester", &["service_areas"]),
    ("losning", &["solutions"]),
    ("losninger", &["solutions"]),
    ("loysing", &["solutions"]),
    ("loysingar", &["solutions"]),
    ("felleslosninger", &["solutions"]),
    ("fellesloysingar", &["solutions"]),
    ("kommune", &["municipalities", "members"]),
    ("kommuner", &["municipalities", "members"]),
    ("kommunar", &["municipalities", "members"]),
    ("kommunenummer", &["municipalities", "members"]),
    ("medlemmer", &["members"]),
    ("medlemar", &["members"]),
    ("fylke", &["counties"]),
    ("fylker", &["counties"]),
    ("fylke_nummer", &["counties"]),
    ("emneord", &["tags"]),
    ("stikkord", &["tags"]),
    ("nokkelord", &["tags"]),
    ("nettverk", &["networks"]),
    ("kontakt", &["contact"]),
    ("kontaktperson", &["contact"]),
    ("kilde", &["sources"]),
    ("kilder", &["sources"]),
    ("kjelde", &["sources"]),
    ("kjelder", &["sources"]),
    ("vedlegg", &["attachments"]),
    ("lenke", &["url"]),
    ("adresse", &["url", "website"]),
    ("nettadresse", &["url", "website"]),
    ("nettside", &["website"]),
    ("status", &["status", "maturity"]),
    ("modenhet", &["maturity"]),
    ("fase", &["phase"]),
    ("utfordring", &["problem"]),
    ("resultat", &["results"]),
    ("resultater", &["results"]),
    ("gevinster", &["results"]),
    ("erfaringer", &["lessons"]),
    ("laerdom", &["lessons"]),
    ("lardom", &["lessons"]),
    ("gjenbruk", &["reuse"]),
    ("attbruk", &["reuse"]),
    ("departement", &["ministry"]),
    ("etat", &["agency"]),
    ("direktorat", &["agency"]),
    ("konsekvens", &["consequence"]),
    ("konsekvenser", &["consequence"]),
    ("forslag", &["proposed_change"]),
    ("endringsforslag", &["proposed_change"]),
    ("meldt_av", &["reported_by"]),
    ("innmeldt_av", &["reported_by"]),
    ("lovhenvisning", &["legal_references"]),
    ("lovhenvisninger", &["legal_references"]),
    ("lovtilvising", &["legal_references"]),
    ("lovtilvisingar", &["legal_references"]),
    ("lov", &["law"]),
    ("paragraf", &["section"]),
    ("formal", &["purpose"]),
    ("hensikt", &["purpose"]),
    ("eier", &["owner"]),
    ("eigar", &["owner"]),
    ("prosjekteier", &["owner"]),
    ("prosjekteigar", &["owner"]),
    ("deltakere", &["participants"]),
    ("deltakarar", &["participants"]),
    ("finansiering", &["funding"]),
    ("oppstart", &["start"]),
    ("startdato", &["start"]),
    ("slutt", &["end"]),
    ("sluttdato", &["end"]),
    ("leveranser", &["deliverables"]),
    ("leveransar", &["deliverables"]),
    ("godkjennere", &["reviewers"]),
    ("godkjenner", &["reviewers"]),
    ("godkjennarar", &["reviewers"]),
    ("statuslogg", &["status_log"]),
    ("merknad", &["note"]),
    ("notat", &["note"]),
];

/// A written field name as the table spells it: [`ascii_letters`] (lower case, accents off, æ ø å
/// as ae o a), spaces and hyphens as `_`, surrounding quotes and spaces gone.
pub fn fold(name: &str) -> String {
    let name = name.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    ascii_letters(name).replace([' ', '-'], "_")
}

/// The key a Norwegian field name means, among the keys the record's kind has.
pub fn meant<'k>(written: &str, known: &[&'k str]) -> Option<&'k str> {
    let folded = fold(written);
    let (_, keys) = NORWEGIAN.iter().find(|(name, _)| *name == folded)?;
    keys.iter()
        .find_map(|key| known.iter().find(|k| *k == key).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_folded_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (name, keys) in NORWEGIAN {
            assert_eq!(fold(name), *name, "{name} is not folded");
            assert!(seen.insert(*name), "{name} twice");
            assert!(!keys.is_empty());
        }
        assert_eq!(fold("Tjenesteområder"), "tjenesteomrader");
        assert_eq!(fold("løysingar"), "loysingar");
        assert_eq!(meant("status", &["title", "maturity"]), Some("maturity"));
        assert_eq!(meant("tittel", &["title"]), Some("title"));
    }
}
