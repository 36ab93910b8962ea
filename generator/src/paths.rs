//! Where things are: the folders of `content/` and the reference files, named once for every
//! module that reads or writes them.

pub const CONTENT_DIR: &str = "content";

/// A content file's path below `content/`, with `/` on every system: how `@/` links name it.
pub fn content_relative(file: &std::path::Path) -> String {
    file.strip_prefix(CONTENT_DIR)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}
pub const NETWORKS_DIR: &str = "nettverk";
pub const NATIONAL_DIR: &str = "nasjonalt";
pub const ABOUT_DIR: &str = "om";
/// The accessibility statement Norwegian public websites must publish (WCAG 2.1, uustatus.no).
pub const ACCESSIBILITY_STATEMENT: &str = "tilgjengelighet";
/// Reference data: municipalities, service areas, solutions, ministries, synonyms.
pub const REFERENCE_DIR: &str = "content/referanse";
pub const MUNICIPALITIES_FILE: &str = "kommuner.csv";
pub const SERVICE_AREAS_FILE: &str = "tjenesteomrader.toml";
pub const SOLUTIONS_FILE: &str = "losninger.toml";
pub const MINISTRIES_FILE: &str = "departementer.toml";
pub const RENUMBERING_FILE: &str = "kommunenummer-endringer.csv";
pub const SYNONYMS_FILE: &str = "synonymer.toml";
/// Git authors who agreed to be named (optional).
pub const CONTRIBUTORS_FILE: &str = "bidragsytere.toml";

/// A reference file as messages name it, from the site's root: `content/referanse/kommuner.csv`.
pub fn reference_file(name: &str) -> String {
    format!("{REFERENCE_DIR}/{name}")
}

/// Where the search index is published in the site.
pub const INDEX_DIR: &str = "sok/indeks";
/// Answers to the commonest first searches, computed at build time (`search_index::answers`).
pub const ANSWERS_DIR: &str = "sok/svar";
