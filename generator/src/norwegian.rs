//! Norwegian language rules the site needs: alphabetical order, dates and URL slugs.

use chrono::{Datelike, NaiveDate};
use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;
use search_index::analysis::fold_letter;
use std::cmp::Ordering;
use std::sync::LazyLock;

use crate::i18n::Lang;

/// Norwegian alphabetical order, by ICU4X's collator with CLDR's Norwegian rules: æ, ø, å after
/// z (ä and ö with æ and ø), accented letters with their base letter. Only the primary level
/// counts, which is all a site index needs; [`compare`] breaks ties by the plain string so the
/// order is total and stable.
static COLLATOR: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    let mut options = CollatorOptions::default();
    options.strength = Some(Strength::Primary);
    Collator::try_new(locale!("nb").into(), options).expect("the Norwegian rules are compiled in")
});

/// Combining grapheme joiner: ignored by collation, but it keeps two letters from being read as
/// one (Unicode's way to block a contraction).
const JOINER: char = '\u{34F}';

/// `text` as the collator should read it, where the site's lists differ from CLDR's rules:
/// - ŋ and ŧ, which CLDR sorts as letters of their own after n and t, are n and t, as Norwegian
///   libraries sort Sami letters (the rules already do so with á, č, đ, š and ž);
/// - aa is two a's, not å: South Sami names write a long a so («Aarborte - Hattfjelldal» stays
///   among the A's);
/// - a run of spaces and punctuation is one word break, below every letter, so «Fiks-plattformen»
///   comes before «Fiks Skatt og inntekt», word by word.
fn as_sorted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut previous = None;
    for c in text.chars() {
        let c = match c {
            'ŋ' => 'n',
            'Ŋ' => 'N',
            'ŧ' => 't',
            'Ŧ' => 'T',
            c if c.is_whitespace() || c.is_ascii_punctuation() => ' ',
            c => c,
        };
        if c == ' ' && previous == Some(' ') {
            continue;
        }
        if c.eq_ignore_ascii_case(&'a')
            && previous.is_some_and(|p: char| p.eq_ignore_ascii_case(&'a'))
        {
            out.push(JOINER);
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

/// Sort key for Norwegian alphabetical order: two texts' keys compare as [`compare`] compares
/// them before its tie-break.
pub fn collation_key(text: &str) -> Vec<u8> {
    let mut key = Vec::new();
    let Ok(()) = COLLATOR.write_sort_key_to(&as_sorted(text), &mut key);
    key
}

/// Compare two strings in Norwegian alphabetical order.
pub fn compare(a: &str, b: &str) -> Ordering {
    COLLATOR
        .compare(&as_sorted(a), &as_sorted(b))
        .then_with(|| a.cmp(b))
}

const MONTHS_NO: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date written the Norwegian way: day, month and a four-digit year, with dots or slashes
/// (14.03.2025, 14.3.2025, 14/3/2025). The one reader of such dates: `check`'s advice and the
/// issue-form import both use it.
pub fn parse_date(written: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = written.trim().split(['.', '/']).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let short = |part: &str| (1..=2).contains(&part.len());
    if !(short(day) && short(month) && year.len() == 4) {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// "23. november 2026" (Bokmål and Nynorsk share month names), "23 November 2026" in English.
pub fn format_date(date: NaiveDate, lang: Lang) -> String {
    let month = date.month0() as usize;
    match lang {
        Lang::Nb | Lang::Nn => format!("{}. {} {}", date.day(), MONTHS_NO[month], date.year()),
        Lang::En => format!("{} {} {}", date.day(), MONTHS_EN[month], date.year()),
    }
}

/// Lower case with the letters ASCII has: folded by the search analyzer's table
/// ([`fold_letter`]: accents and Sami letters to their base letter, ä and ö to æ and ø), then æ
/// as ae, ø and œ as o, å as a. Anything else is kept. Slugs and field names are made with it.
pub fn ascii_letters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        match fold_letter(c) {
            'æ' => out.push_str("ae"),
            'ø' | 'œ' => out.push('o'),
            'å' => out.push('a'),
            other => out.push(other),
        }
    }
    out
}

/// A URL path segment: [`ascii_letters`], anything but a–z and 0–9 turned into single hyphens.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in ascii_letters(text).chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norwegian_dates_are_read_with_dots_or_slashes_and_a_four_digit_year() {
        let date = NaiveDate::from_ymd_opt(2025, 3, 14);
        for written in ["14.03.2025", "14.3.2025", "14/3/2025", " 14.03.2025 "] {
            assert_eq!(parse_date(written), date, "{written}");
        }
        for written in [
            "14.03.25",
            "2025.03.14",
            "31.02.2025",
            "14.03",
            "1.2.3.2025",
        ] {
            assert_eq!(parse_date(written), None, "{written}");
        }
    }

    fn sorted<'a>(words: &[&'a str]) -> Vec<&'a str> {
        let mut words = words.to_vec();
        words.sort_by(|a, b| compare(a, b));
        let mut by_key = words.clone();
        by_key.sort_by_cached_key(|w| (collation_key(w), w.to_string()));
        assert_eq!(by_key, words, "collation_key orders as compare does");
        words
    }

    #[test]
    fn norwegian_letters_sort_after_z() {
        let words = [
            "Åsnes", "Ørland", "Zeta", "Ærø", "Alta", "Bø", "åpen", "ærlig",
        ];
        assert_eq!(
            sorted(&words),
            [
                "Alta", "Bø", "Zeta", "ærlig", "Ærø", "Ørland", "åpen", "Åsnes"
            ]
        );
        // Swedish and German ä and ö are Norwegian æ and ø.
        assert_eq!(
            sorted(&["Ås", "Øst", "Östersund", "Äpple", "Zürich", "Alta"]),
            ["Alta", "Zürich", "Äpple", "Øst", "Östersund", "Ås"]
        );
    }

    #[test]
    fn sami_letters_sort_with_their_base_letter() {
        assert_eq!(
            sorted(&["Kárášjohka", "Karmøy", "Kautokeino"]),
            ["Kárášjohka", "Karmøy", "Kautokeino"]
        );
        // Every Sami letter sorts between the two words that differ from it in the base letter.
        for (sami, base) in [
            ('á', 'a'),
            ('č', 'c'),
            ('đ', 'd'),
            ('ŋ', 'n'),
            ('š', 's'),
            ('ŧ', 't'),
            ('ž', 'z'),
        ] {
            let word = format!("x{sami}b");
            let (before, after) = (format!("x{base}a"), format!("x{base}c"));
            assert_eq!(
                sorted(&[&after, &word, &before]),
                [&before, &word, &after],
                "{sami}"
            );
        }
    }

    #[test]
    fn south_sami_aa_is_two_a_not_a_ring() {
        // CLDR reads aa as å; in South Sami names it is a long a.
        assert_eq!(
            sorted(&["Øksnes", "Alstahaug", "Aarborte - Hattfjelldal"]),
            ["Aarborte - Hattfjelldal", "Alstahaug", "Øksnes"]
        );
        assert_eq!(
            sorted(&["Rosse - Røros", "Raarvihke - Røyrvik", "Rindal"]),
            ["Raarvihke - Røyrvik", "Rindal", "Rosse - Røros"]
        );
    }

    #[test]
    fn hyphens_and_spaces_break_words_alike() {
        assert_eq!(
            sorted(&[
                "Fiks Skatt og inntekt",
                "Fiks-plattformen",
                "Fiksdal",
                "Fiks  app"
            ]),
            [
                "Fiks  app",
                "Fiks-plattformen",
                "Fiks Skatt og inntekt",
                "Fiksdal"
            ]
        );
    }

    #[test]
    fn case_and_accents_do_not_split_a_list_and_ties_are_stable() {
        assert_eq!(
            sorted(&["eple", "Élan", "Eple", "elg"]),
            ["Élan", "elg", "Eple", "eple"]
        );
        assert_eq!(compare("Eple", "eple"), Ordering::Less);
        assert_eq!(compare("eple", "eple"), Ordering::Equal);
    }

    #[test]
    fn dates_read_as_norwegian() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(format_date(date, Lang::Nb), "23. november 2026");
        assert_eq!(format_date(date, Lang::En), "23 November 2026");
    }

    #[test]
    fn slugs_transliterate_norwegian_letters() {
        assert_eq!(slugify("Økonomisk sosialhjelp"), "okonomisk-sosialhjelp");
        assert_eq!(slugify("Færøyane & Åsane!"), "faeroyane-asane");
        assert_eq!(
            slugify("Guovdageaidnu - Kautokeino"),
            "guovdageaidnu-kautokeino"
        );
    }

    #[test]
    fn slugs_keep_every_accented_letter_the_search_folds() {
        // These once became hyphens: the slug table knew fewer letters than the search's.
        assert_eq!(slugify("ì î õ ù û ã ð ý"), "i-i-o-u-u-a-d-y");
        assert_eq!(slugify("Čáhcesuolu Đuoŋŋa Ŧ"), "cahcesuolu-duonna-t");
        assert_eq!(slugify("Mäkelä Öre Œuvre"), "maekelae-ore-ouvre");
        assert_eq!(ascii_letters("Ærø-Å ö"), "aero-a o");
    }
}
