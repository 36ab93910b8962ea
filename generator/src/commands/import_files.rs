//! The files a contributor dragged into an issue form, carried into the record's folder.
//!
//! GitHub turns a file dropped into a form's text field into a link to
//! `https://github.com/user-attachments/assets/<uuid>` (an image as `![name](url)`, a file as
//! `[name.pdf](url)`). `deling` itself never goes on the network: the workflow downloads those
//! links (only from GitHub's own upload hosts, size-limited) into a folder, with a list
//! `vedlegg.tsv` of `url<TAB>downloaded file` lines, and `import-issue --attachments <folder>`
//! takes them from there: each gets a name from its link text and the type its bytes show, the
//! form's links are rewritten to those names, and the files are copied into the record's folder,
//! where `check` checks them like any contributor's files.

use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::media::Format;
use crate::norwegian::slugify;

/// The list the workflow writes beside the downloaded files.
pub const MANIFEST: &str = "vedlegg.tsv";

/// One downloaded file and the name it gets in the record's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub url: String,
    pub name: String,
    /// Where the workflow put it.
    pub path: PathBuf,
}

/// An uploaded file that is none of the accepted kinds, for the form's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub url: String,
    pub text: String,
}

/// Reads the workflow's list. `body` is the text, where each link's text gives the name.
pub fn read(dir: &Path, body: &str) -> Result<(Vec<Upload>, Vec<Refused>)> {
    let manifest = dir.join(MANIFEST);
    let list = std::fs::read_to_string(&manifest)
        .with_context(|| format!("kunne ikke lese {}", manifest.display()))?;
    let mut uploads = Vec::new();
    let mut refused = Vec::new();
    let mut taken = BTreeSet::new();
    for (n, line) in list.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let Some((url, file)) = line.split_once('\t') else {
            bail!("{}: linje {} mangler tabulator", manifest.display(), n + 1);
        };
        if file.contains('/') || file.contains("..") {
            bail!(
                "{}: linje {}: «{file}» er ikke et filnavn",
                manifest.display(),
                n + 1
            );
        }
        let path = dir.join(file);
        let bytes =
            std::fs::read(&path).with_context(|| format!("kunne ikke lese {}", path.display()))?;
        let text = link_text(body, url).unwrap_or_default();
        let Some(format) = Format::of_bytes(&bytes) else {
            refused.push(Refused {
                url: url.to_string(),
                text,
            });
            continue;
        };
        let name = unique_name(&text, format, n + 1, &mut taken);
        uploads.push(Upload {
            url: url.to_string(),
            name,
            path,
        });
    }
    Ok((uploads, refused))
}

/// The text of the first Markdown link or image to `url` in `body`.
fn link_text(body: &str, url: &str) -> Option<String> {
    let end = body.find(&format!("]({url}"))?;
    let start = body[..end].rfind('[')?;
    Some(body[start + 1..end].to_string())
}

/// A name from the link text when it is a file name (`Rapport 2024.pdf` → `rapport-2024.pdf`),
/// else `bilde-<n>` or `dokument-<n>`; the extension is the one the bytes show.
fn unique_name(text: &str, format: Format, n: usize, taken: &mut BTreeSet<String>) -> String {
    let stem = text
        .rsplit_once('.')
        .filter(|(_, ext)| {
            (1..=5).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_alphanumeric())
        })
        .map(|(stem, _)| slugify(stem))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            let kind = if format.is_image() {
                "bilde"
            } else {
                "dokument"
            };
            format!("{kind}-{n}")
        });
    let mut name = format!("{stem}.{}", format.extension());
    let mut i = 2;
    while !taken.insert(name.clone()) {
        name = format!("{stem}-{i}.{}", format.extension());
        i += 1;
    }
    name
}

/// The text with every uploaded file's address replaced by its name.
pub fn rewrite(body: &str, uploads: &[Upload]) -> String {
    uploads
        .iter()
        .fold(body.to_string(), |text, u| text.replace(&u.url, &u.name))
}

/// The files copied into a record's folder, until they are kept or taken back.
#[derive(Debug, Default)]
pub struct Copied {
    /// The record's folder relative to the root, as problems name files.
    relative: PathBuf,
    files: Vec<PathBuf>,
    created: Option<PathBuf>,
}

impl Copied {
    /// Copies each upload into `relative` (the record's file without `.md`) below `root`.
    pub fn into(root: &Path, relative: &Path, uploads: &[Upload]) -> Result<Copied> {
        let mut copied = Copied {
            relative: relative.to_path_buf(),
            ..Copied::default()
        };
        if uploads.is_empty() {
            return Ok(copied);
        }
        crate::files::source::refuse_writing_through_links(root, relative)?;
        let folder = root.join(relative);
        if !folder.exists() {
            copied.created = Some(folder.clone());
        }
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("kunne ikke lage mappen {}", relative.display()))?;
        for upload in uploads {
            let target = folder.join(&upload.name);
            std::fs::copy(&upload.path, &target)
                .with_context(|| format!("kunne ikke kopiere til {}", target.display()))?;
            copied.files.push(target);
        }
        Ok(copied)
    }

    /// Takes the copied files back, and the folder if the copy made it.
    pub fn undo(&self) -> Result<()> {
        for file in &self.files {
            std::fs::remove_file(file)?;
        }
        if let Some(folder) = &self.created {
            let _ = std::fs::remove_dir(folder);
        }
        Ok(())
    }

    /// Whether a problem's file is in the record's folder.
    pub fn holds(&self, file: &Path) -> bool {
        !self.relative.as_os_str().is_empty()
            && file
                .parent()
                .is_some_and(|p| p == self.relative || p.ends_with(&self.relative))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_link_text_and_the_bytes() {
        let mut taken = BTreeSet::new();
        assert_eq!(
            unique_name("Rapport 2024.PDF", Format::Pdf, 1, &mut taken),
            "rapport-2024.pdf"
        );
        assert_eq!(
            unique_name("Rapport 2024.pdf", Format::Pdf, 2, &mut taken),
            "rapport-2024-2.pdf"
        );
        assert_eq!(
            unique_name("Image", Format::Png, 3, &mut taken),
            "bilde-3.png"
        );
        // A PNG uploaded as .jpg is named for what it is.
        assert_eq!(
            unique_name("foto.jpg", Format::Png, 4, &mut taken),
            "foto.png"
        );
    }

    #[test]
    fn link_text_is_found_for_images_and_links() {
        let body = "Se ![Skjema for søknad](https://github.com/user-attachments/assets/a) og [rapport.pdf](https://github.com/user-attachments/assets/b).";
        assert_eq!(
            link_text(body, "https://github.com/user-attachments/assets/a").as_deref(),
            Some("Skjema for søknad")
        );
        assert_eq!(
            link_text(body, "https://github.com/user-attachments/assets/b").as_deref(),
            Some("rapport.pdf")
        );
    }
}
