//! What people write in a form, turned into reference ids: municipality names or numbers into
//! kommunenummer, service areas, solutions and ministries by id or Norwegian name, lists, dates
//! and quotes as Word writes them. One job: free text → ids. Messages are Norwegian and say how
//! to write the value instead; the caller names the field.

use chrono::NaiveDate;

use crate::diagnostics::{closest, or_list, visible};
use crate::paths::{
    MINISTRIES_FILE, MUNICIPALITIES_FILE, SERVICE_AREAS_FILE, SOLUTIONS_FILE, reference_file,
};
use crate::reference::{Municipality, ReferenceData};

/// Why a written value was not understood, and how to write it instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub help: String,
}

impl Problem {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            help: help.into(),
        }
    }
}

/// Word's and Norwegian typographic quotes as plain ones, and the text trimmed.
pub fn normalise_quotes(text: &str) -> String {
    text.chars()
        .map(|c| crate::characters::plain_quote(c).unwrap_or(c))
        .collect::<String>()
        .trim()
        .to_string()
}

/// One value as written: trimmed, with enclosing quotes of any kind (`"…"`, `“…”`, `„…“`,
/// `«…»`, `'…'`) and a list bullet taken away.
pub fn clean(text: &str) -> String {
    let mut value = text.trim();
    for bullet in ["- ", "* ", "• "] {
        if let Some(rest) = value.strip_prefix(bullet) {
            value = rest.trim();
        }
    }
    let quote = |c: Option<char>| c.and_then(crate::characters::plain_quote);
    let (open, close) = (value.chars().next(), value.chars().next_back());
    if value.chars().count() >= 2 && quote(open).is_some() && quote(open) == quote(close) {
        let (open, close) = (open.unwrap_or_default(), close.unwrap_or_default());
        value = value[open.len_utf8()..value.len() - close.len_utf8()].trim();
    }
    value.to_string()
}

/// A list as people write it: one value per line, or separated by commas or semicolons.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(['\n', ',', ';'])
        .map(clean)
        .filter(|v| !v.is_empty())
        .collect()
}

/// A date written as 2025-03-14, 14.03.2025, 14.3.2025 or 14/3/2025.
pub fn date(text: &str) -> Result<NaiveDate, Problem> {
    let value = clean(text);
    let parsed = NaiveDate::parse_from_str(&value, "%Y-%m-%d")
        .ok()
        .or_else(|| crate::norwegian::parse_date(&value));
    parsed.ok_or_else(|| {
        Problem::new(
            format!("«{}» er ikke en dato", visible(&value)),
            "skriv datoen som dag.måned.år (14.03.2025) eller år-måned-dag (2025-03-14)",
        )
    })
}

/// Lower case, Word quotes plain, inner spaces collapsed: the form names are compared in.
fn key(text: &str) -> String {
    normalise_quotes(text)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The id of a dropdown option written as «id – Name» (as the forms list them), else the
/// whole value.
fn option_id(value: &str) -> &str {
    for dash in [" – ", " — ", " - "] {
        if let Some((id, _)) = value.split_once(dash) {
            return id.trim();
        }
    }
    value
}

/// Finds one entry among `(id, names)` by its id, any of its names, or «id – Name».
fn by_name<'a>(
    written: &str,
    entries: &[(&'a str, Vec<&'a str>)],
    what: &str,
    list_file: &str,
) -> Result<&'a str, Problem> {
    let value = clean(written);
    let wanted = key(&value);
    let id_part = key(option_id(&value));
    for (id, names) in entries {
        if key(id) == wanted
            || key(id) == id_part
            || names.iter().any(|n| key(n) == wanted || key(n) == id_part)
        {
            return Ok(id);
        }
    }
    // Suggest names (one per entry, the first that is close), not ids and names twice over.
    let mut near: Vec<&str> = Vec::new();
    let all: Vec<&str> = entries
        .iter()
        .flat_map(|(id, names)| names.iter().copied().chain(std::iter::once(*id)))
        .collect();
    for close in closest(&value, all.iter().copied()) {
        let entry = entries
            .iter()
            .find(|(id, names)| *id == close || names.contains(&close));
        if let Some((_, names)) = entry {
            let name = names.first().copied().unwrap_or(close);
            if !near.contains(&name) {
                near.push(name);
            }
        }
    }
    let help = if near.is_empty() {
        format!("velg blant verdiene i skjemaet; alle står i {list_file}")
    } else {
        format!("mente du {}?", or_list(&near))
    };
    Err(Problem::new(
        format!("«{}» er ikke {what}", visible(&value)),
        help,
    ))
}

pub fn service_area(reference: &ReferenceData, written: &str) -> Result<String, Problem> {
    let entries: Vec<(&str, Vec<&str>)> = reference
        .service_areas
        .values()
        .map(|s| (s.id.as_str(), vec![s.name_nb.as_str(), s.name_nn.as_str()]))
        .collect();
    by_name(
        written,
        &entries,
        "et tjenesteområde",
        &reference_file(SERVICE_AREAS_FILE),
    )
    .map(str::to_string)
}

pub fn solution(reference: &ReferenceData, written: &str) -> Result<String, Problem> {
    let entries: Vec<(&str, Vec<&str>)> = reference
        .solutions
        .values()
        .map(|s| (s.id.as_str(), vec![s.name.as_str()]))
        .collect();
    by_name(
        written,
        &entries,
        "en nasjonal fellesløsning",
        &reference_file(SOLUTIONS_FILE),
    )
    .map(str::to_string)
}

pub fn ministry(reference: &ReferenceData, written: &str) -> Result<String, Problem> {
    let entries: Vec<(&str, Vec<&str>)> = reference
        .ministries
        .values()
        .map(|m| {
            (
                m.id.as_str(),
                vec![m.short.as_str(), m.name_nb.as_str(), m.name_nn.as_str()],
            )
        })
        .collect();
    by_name(
        written,
        &entries,
        "et departement",
        &reference_file(MINISTRIES_FILE),
    )
    .map(str::to_string)
}

fn county_name(reference: &ReferenceData, m: &Municipality) -> String {
    reference
        .counties
        .get(&m.county)
        .map_or_else(|| m.county.clone(), |c| c.name.clone())
}

/// How to write a municipality instead, the end of every municipality problem's help.
fn write_a_municipality() -> String {
    format!(
        "skriv kommunenavnet, eller det firesifrede kommunenummeret fra {}",
        reference_file(MUNICIPALITIES_FILE)
    )
}

/// A municipality by kommunenummer (`4204`, `Kristiansand (4204)`) or name (`Kristiansand`,
/// `Kristiansand kommune`, `Trondheim` or `Tråante`, `Herøy (Nordland)`, `Herøy i Nordland`).
pub fn municipality(reference: &ReferenceData, written: &str) -> Result<String, Problem> {
    let value = clean(written);
    if let Some(found) = municipality_by_number(reference, &value) {
        return found;
    }
    // A name, perhaps with its county: «Herøy (Nordland)», «Herøy i Nordland».
    let value = value
        .split(|c: char| c.is_ascii_digit())
        .next()
        .unwrap_or_default()
        .trim()
        .trim_end_matches('(')
        .trim()
        .to_string();
    let in_county = reference.municipality_named(&value);
    // The name without a county in parentheses, for the advice.
    let name = value
        .split_once('(')
        .map_or(value.as_str(), |(name, _)| name)
        .trim();
    match in_county.as_slice() {
        [one] => Ok(one.number.clone()),
        [] => match same_name(reference, &value, name).as_slice() {
            [] => Err(unknown_municipality(reference, written, name)),
            named => Err(ambiguous_municipality(reference, written, named)),
        },
        several => Err(ambiguous_municipality(reference, written, several)),
    }
}

/// The answer when the value holds one number: the municipality, or a problem if it is four
/// digits and no kommunenummer. `None` lets the value be read as a name: a value with no
/// number, several, or one too short to be a kommunenummer.
fn municipality_by_number(
    reference: &ReferenceData,
    value: &str,
) -> Option<Result<String, Problem>> {
    let digits: Vec<&str> = value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| !d.is_empty())
        .collect();
    let [number] = digits.as_slice() else {
        return None;
    };
    // A leading zero may have been dropped (301 for Oslo's 0301), as spreadsheets do.
    let number = if number.len() == 3 {
        format!("0{number}")
    } else {
        number.to_string()
    };
    if reference.municipalities.contains_key(&number) {
        return Some(Ok(number));
    }
    if number.len() != 4 {
        return None;
    }
    let near: Vec<String> = reference
        .nearest_municipalities(&number, 3)
        .iter()
        .map(|m| format!("{} {}", m.number, m.name))
        .collect();
    Some(Err(Problem::new(
        format!("kommunenummeret {number} finnes ikke"),
        format!("mente du {}? {}", or_list(&near), write_a_municipality()),
    )))
}

/// Every municipality of the name, whatever county was written (`value` names none that has
/// it): by the name before a parenthesis, else by the name before « i ».
fn same_name<'a>(reference: &'a ReferenceData, value: &str, name: &str) -> Vec<&'a Municipality> {
    match reference.municipality_named(name).as_slice() {
        [] => value
            .rsplit_once(" i ")
            .map(|(name, _)| reference.municipality_named(name))
            .unwrap_or_default(),
        all => all.to_vec(),
    }
}

fn unknown_municipality(reference: &ReferenceData, written: &str, name: &str) -> Problem {
    let names: Vec<&str> = reference
        .municipalities
        .values()
        .map(|m| m.name.as_str())
        .collect();
    let near = closest(name, names);
    let help = if near.is_empty() {
        write_a_municipality()
    } else {
        format!(
            "mente du {}? Ellers: {}",
            or_list(&near),
            write_a_municipality()
        )
    };
    Problem::new(
        format!("fant ingen kommune som heter «{}»", visible(written.trim())),
        help,
    )
}

/// A name several municipalities share: each listed with its county, and how to write the one
/// meant.
fn ambiguous_municipality(
    reference: &ReferenceData,
    written: &str,
    candidates: &[&Municipality],
) -> Problem {
    let listed: Vec<String> = candidates
        .iter()
        .map(|m| format!("{} ({}, {})", m.name, county_name(reference, m), m.number))
        .collect();
    let example = candidates.first().map_or_else(String::new, |m| {
        let county = county_name(reference, m);
        let county = county.split(" - ").next().unwrap_or_default().to_string();
        format!(", for eksempel «{} ({county})»", m.name)
    });
    Problem::new(
        format!(
            "«{}» kan være flere kommuner: {}",
            visible(written.trim()),
            listed.join(", ")
        ),
        format!("skriv fylket i parentes etter navnet{example}, eller kommunenummeret"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{County, Ministry, ServiceArea, Solution};

    fn reference() -> ReferenceData {
        let mut r = ReferenceData::default();
        for (number, name, county) in [
            ("4204", "Kristiansand", "42"),
            ("1515", "Herøy", "15"),
            ("1818", "Herøy", "18"),
            ("5001", "Trondheim - Tråante", "50"),
            ("0301", "Oslo", "03"),
            ("3114", "Våler", "31"),
            ("3419", "Våler", "34"),
        ] {
            r.municipalities.insert(
                number.into(),
                Municipality {
                    number: number.into(),
                    name: name.into(),
                    county: county.into(),
                },
            );
        }
        for (number, name) in [
            ("42", "Agder"),
            ("15", "Møre og Romsdal"),
            ("18", "Nordland - Nordlánnda"),
            ("50", "Trøndelag - Trööndelage"),
            ("03", "Oslo"),
            ("31", "Østfold"),
            ("34", "Innlandet"),
        ] {
            r.counties.insert(
                number.into(),
                County {
                    number: number.into(),
                    name: name.into(),
                },
            );
        }
        r.service_areas.insert(
            "helse-og-omsorg".into(),
            ServiceArea {
                id: "helse-og-omsorg".into(),
                name_nb: "Helse og omsorg".into(),
                name_nn: "Helse og omsorg".into(),
                description: String::new(),
            },
        );
        r.service_areas.insert(
            "teknisk-og-miljo".into(),
            ServiceArea {
                id: "teknisk-og-miljo".into(),
                name_nb: "Teknisk og miljø".into(),
                name_nn: "Teknisk og miljø".into(),
                description: String::new(),
            },
        );
        r.solutions.insert(
            "id-porten".into(),
            Solution {
                id: "id-porten".into(),
                name: "ID-porten".into(),
                owner: "Digdir".into(),
                url: "https://www.digdir.no/".into(),
                description: String::new(),
            },
        );
        r.ministries.insert(
            "hod".into(),
            Ministry {
                id: "hod".into(),
                name_nb: "Helse- og omsorgsdepartementet".into(),
                name_nn: "Helse- og omsorgsdepartementet".into(),
                short: "HOD".into(),
            },
        );
        r
    }

    #[test]
    fn municipalities_by_name_number_and_double_name() {
        let r = reference();
        for written in [
            "Kristiansand",
            "kristiansand",
            "Kristiansand kommune",
            "4204",
            "Kristiansand (4204)",
            "«Kristiansand»",
            " “Kristiansand” ",
        ] {
            assert_eq!(
                municipality(&r, written).as_deref(),
                Ok("4204"),
                "{written}"
            );
        }
        assert_eq!(municipality(&r, "301").as_deref(), Ok("0301"));
        assert_eq!(municipality(&r, "Trondheim").as_deref(), Ok("5001"));
        assert_eq!(municipality(&r, "Tråante").as_deref(), Ok("5001"));
        assert_eq!(
            municipality(&r, "Trondheim - Tråante").as_deref(),
            Ok("5001")
        );
    }

    #[test]
    fn a_county_tells_namesakes_apart() {
        let r = reference();
        assert_eq!(municipality(&r, "Herøy (Nordland)").as_deref(), Ok("1818"));
        assert_eq!(municipality(&r, "Herøy i Nordland").as_deref(), Ok("1818"));
        assert_eq!(
            municipality(&r, "Herøy (Nordlánnda)").as_deref(),
            Ok("1818")
        );
        assert_eq!(
            municipality(&r, "Herøy (Møre og Romsdal)").as_deref(),
            Ok("1515")
        );
        assert_eq!(municipality(&r, "Våler i Innlandet").as_deref(), Ok("3419"));
        let problem = municipality(&r, "Herøy").unwrap_err();
        assert!(
            problem.message.contains("Herøy (Møre og Romsdal, 1515)"),
            "{problem:?}"
        );
        assert!(
            problem
                .message
                .contains("Herøy (Nordland - Nordlánnda, 1818)"),
            "{problem:?}"
        );
        assert!(
            problem.help.contains("«Herøy (Møre og Romsdal)»"),
            "{problem:?}"
        );
    }

    #[test]
    fn unknown_municipalities_get_suggestions() {
        let r = reference();
        let problem = municipality(&r, "Kristiansund").unwrap_err();
        assert!(problem.message.contains("«Kristiansund»"), "{problem:?}");
        assert!(problem.help.contains("«Kristiansand»"), "{problem:?}");
        let problem = municipality(&r, "4240").unwrap_err();
        assert!(problem.message.contains("4240 finnes ikke"), "{problem:?}");
        assert!(problem.help.contains("4204 Kristiansand"), "{problem:?}");
    }

    #[test]
    fn service_areas_solutions_and_ministries_by_id_or_name() {
        let r = reference();
        for written in [
            "helse-og-omsorg",
            "Helse og omsorg",
            "helse og omsorg",
            "helse-og-omsorg – Helse og omsorg",
        ] {
            assert_eq!(
                service_area(&r, written).as_deref(),
                Ok("helse-og-omsorg"),
                "{written}"
            );
        }
        assert_eq!(
            service_area(&r, "Teknisk og miljø").as_deref(),
            Ok("teknisk-og-miljo")
        );
        let problem = service_area(&r, "Helse og omsorgg").unwrap_err();
        assert_eq!(problem.help, "mente du «Helse og omsorg»?");
        assert_eq!(solution(&r, "ID-porten").as_deref(), Ok("id-porten"));
        assert_eq!(
            solution(&r, "id-porten – ID-porten").as_deref(),
            Ok("id-porten")
        );
        assert_eq!(ministry(&r, "HOD").as_deref(), Ok("hod"));
        assert_eq!(
            ministry(&r, "HOD – Helse- og omsorgsdepartementet").as_deref(),
            Ok("hod")
        );
        assert_eq!(
            ministry(&r, "helse- og omsorgsdepartementet").as_deref(),
            Ok("hod")
        );
        assert!(ministry(&r, "Finansdepartementet").is_err());
    }

    /// The import kept „Tittel” and ‚x‘ with their quotes, and ‟ and ‛ as they were, though
    /// `check` knows all of them as Word's quotes.
    #[test]
    fn every_typographic_quote_check_knows_is_taken_away_or_made_plain() {
        for written in ["„Tittel”", "„Tittel“", "‚Tittel‘", "«Tittel»", "\"Tittel\""]
        {
            assert_eq!(clean(written), "Tittel", "{written}");
        }
        assert_eq!(clean("«Tittel\""), "Tittel");
        assert_eq!(clean("„Tittel"), "„Tittel", "one quote is not a pair");
        assert_eq!(normalise_quotes("‟a‛"), "\"a'");
    }

    #[test]
    fn lists_dates_and_quotes() {
        assert_eq!(
            split_list("a, b;c\n- d\n\n* «e»\n"),
            vec!["a", "b", "c", "d", "e"]
        );
        let d = NaiveDate::from_ymd_opt(2025, 3, 14).unwrap();
        for written in [
            "14.03.2025",
            "14.3.2025",
            "2025-03-14",
            " 14/3/2025 ",
            "“14.03.2025”",
        ] {
            assert_eq!(date(written), Ok(d), "{written}");
        }
        for wrong in ["32.01.2025", "14.03.25", "mars 2025", "2025-3-14x"] {
            assert!(date(wrong).is_err(), "{wrong}");
        }
        assert_eq!(
            normalise_quotes(" “Hei” ‘du’ «der» "),
            "\"Hei\" 'du' \"der\""
        );
        assert_eq!(clean("«Sitat»"), "Sitat");
    }
}
