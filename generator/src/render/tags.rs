//! Tags written in either written standard are one tag: «skulehelseteneste» and
//! «skolehelsetjeneste» share one page, named and addressed in Bokmål, with both spellings
//! mentioned. The Nynorsk → Bokmål word pairs are the search analyzer's own
//! (`search_index::lexicon::NYNORSK_PAIRS`), so the tag page and the search filter agree with
//! how search already joins the two forms.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::norwegian::slugify;

static BOKMAL: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    search_index::lexicon::NYNORSK_PAIRS
        .iter()
        .copied()
        .collect()
});

/// The tag with each Nynorsk word of the search lexicon written in Bokmål (lower case where a
/// word was mapped; other words as written).
pub fn bokmal(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let lower = word.to_lowercase();
        match BOKMAL.get(lower.as_str()) {
            Some(bokmal) => out.push_str(bokmal),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in tag.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The tag's page slug: the slug of its Bokmål form.
pub fn slug(tag: &str) -> String {
    slugify(&bokmal(tag))
}

/// The name of a tag page given its spellings in the order records write them: the first
/// spelling that is already Bokmål, else the Bokmål form of the first.
pub fn name<'a>(spellings: impl IntoIterator<Item = &'a String> + Clone) -> String {
    spellings
        .clone()
        .into_iter()
        .find(|s| bokmal(s) == **s)
        .or_else(|| spellings.into_iter().next())
        .map(|s| bokmal(s))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nynorsk_and_bokmal_spellings_of_a_tag_share_one_slug() {
        assert_eq!(slug("skulehelseteneste"), "skolehelsetjeneste");
        assert_eq!(slug("skolehelsetjeneste"), "skolehelsetjeneste");
        assert_eq!(slug("digitale løysingar"), "digitale-losninger");
        assert_eq!(slug("arkiv"), "arkiv");
    }

    #[test]
    fn a_merged_tag_is_named_in_bokmal() {
        let nn = "skulehelseteneste".to_string();
        let nb = "skolehelsetjeneste".to_string();
        assert_eq!(name([&nn, &nb]), "skolehelsetjeneste");
        assert_eq!(name([&nn]), "skolehelsetjeneste");
        let capital = "Velferdsteknologi".to_string();
        assert_eq!(name([&capital]), "Velferdsteknologi");
        let teieplikt = "teieplikt".to_string();
        assert_eq!(name([&teieplikt]), "taushetsplikt");
    }
}
