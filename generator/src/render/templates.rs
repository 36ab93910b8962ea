//! Loads tera templates from the theme, letting a site's own `templates/` folder override any
//! theme file of the same name (as Zola does), so a site can change one page without forking
//! the theme.

use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;

pub fn load(theme_dir: &Path, override_dir: &Path) -> Result<Tera> {
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    for dir in [theme_dir, override_dir] {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.with_context(|| format!("kunne ikke lese {}", dir.display()))?;
            if entry.file_type().is_file() {
                let name = entry
                    .path()
                    .strip_prefix(dir)
                    .expect("walked below dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(name, entry.path().to_path_buf());
            }
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(crate::html::escape_html);
    tera.add_template_files(
        files
            .iter()
            .map(|(name, path)| (path.clone(), Some(name.clone()))),
    )
    .map_err(|e| anyhow::anyhow!(describe(&e)))
    .with_context(|| format!("malene i {} kunne ikke leses", theme_dir.display()))?;
    Ok(tera)
}

/// Tera's errors nest their cause; templates are edited by people who need the whole chain.
pub fn describe(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
