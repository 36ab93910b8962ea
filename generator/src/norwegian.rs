//! Norwegian language rules the site needs: alphabetical order, dates and URL slugs.

use chrono::{Datelike, NaiveDate};
use std::cmp::Ordering;

use crate::i18n::Lang;

/// Sort key for Norwegian alphabetical order: æ, ø, å come after z, and accented letters
/// (including Sami and Kven letters such as á, č, đ, ŋ, š, ŧ, ž) sort with their base letter.
/// This is the primary level of the Unicode collation for `nb`/`nn`, which is all a site index needs;
/// ties fall back to the plain string so the order is total and stable.
pub fn collation_key(text: &str) -> Vec<u32> {
    let mut key = Vec::with_capacity(text.len());
    let lower = text.to_lowercase();
    let mut chars = lower.chars().peekable();
    while let Some(c) = chars.next() {
        let weight = match c {
            'a'..='z' => c as u32 - 'a' as u32 + 10,
            '0'..='9' => c as u32 - '0' as u32,
            'æ' | 'ä' => 36,
            'ø' | 'ö' | 'œ' => 37,
            'å' => 38,
            'á' | 'à' | 'â' | 'ã' => 10,
            'č' | 'ç' => 12,
            'đ' | 'ð' => 13,
            'é' | 'è' | 'ê' | 'ë' => 14,
            'í' | 'ì' | 'î' | 'ï' => 18,
            'ŋ' | 'ñ' => 23,
            'ó' | 'ò' | 'ô' | 'õ' => 24,
            'š' => 28,
            'ŧ' => 29,
            'ú' | 'ù' | 'û' | 'ü' => 30,
            'ý' => 34,
            'ž' => 35,
            // Spaces and punctuation separate words but weigh less than any letter.
            _ if c.is_whitespace() || c.is_ascii_punctuation() => 1 << 20,
            other => (1 << 21) + other as u32,
        };
        if weight == 1 << 20 {
            // Collapse runs of separators so "a  b" sorts like "a b".
            while chars
                .peek()
                .is_some_and(|n| n.is_whitespace() || n.is_ascii_punctuation())
            {
                chars.next();
            }
            key.push(0);
        } else {
            key.push(weight);
        }
    }
    key
}

/// Compare two strings in Norwegian alphabetical order.
pub fn compare(a: &str, b: &str) -> Ordering {
    collation_key(a)
        .cmp(&collation_key(b))
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

/// A URL path segment: lower case ASCII, Norwegian letters transliterated (æ→ae, ø→o, å→a),
/// accents dropped, anything else turned into single hyphens.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.to_lowercase().chars() {
        let mapped: &str = match c {
            'a'..='z' | '0'..='9' => {
                slug.push(c);
                continue;
            }
            'æ' | 'ä' => "ae",
            'ø' | 'ö' | 'œ' => "o",
            'å' | 'á' | 'à' | 'â' => "a",
            'č' | 'ç' => "c",
            'đ' => "d",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'í' | 'ï' => "i",
            'ŋ' | 'ñ' => "n",
            'ó' | 'ò' | 'ô' => "o",
            'š' => "s",
            'ŧ' => "t",
            'ú' | 'ü' => "u",
            'ž' => "z",
            _ => "-",
        };
        if mapped == "-" {
            if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        } else {
            slug.push_str(mapped);
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

    #[test]
    fn norwegian_letters_sort_after_z() {
        let mut words = vec!["Åsnes", "Ørland", "Zeta", "Ærø", "Alta", "Bø"];
        words.sort_by(|a, b| compare(a, b));
        assert_eq!(words, ["Alta", "Bø", "Zeta", "Ærø", "Ørland", "Åsnes"]);
    }

    #[test]
    fn sami_letters_sort_with_their_base_letter() {
        let mut words = vec!["Kárášjohka", "Karmøy", "Kautokeino"];
        words.sort_by(|a, b| compare(a, b));
        assert_eq!(words, ["Kárášjohka", "Karmøy", "Kautokeino"]);
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
}
