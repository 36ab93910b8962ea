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
    /// The same file is already in the record's folder under `name` (from an earlier import):
    /// nothing is copied, and nothing is taken back.
    pub present: bool,
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
            present: false,
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

/// Names the uploads anew for the record's `folder`, which may hold files already (an earlier
/// import's, a contributor's): a name there is never reused for other bytes; a file with the
/// same bytes is taken as it is. Whether any name changed.
pub fn settle(uploads: &mut [Upload], folder: &Path) -> Result<bool> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Ok(false);
    };
    let existing: BTreeSet<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    let mut taken = existing.clone();
    let mut changed = false;
    for upload in uploads.iter_mut() {
        let bytes = std::fs::read(&upload.path)
            .with_context(|| format!("kunne ikke lese {}", upload.path.display()))?;
        let (stem, ext) = upload.name.rsplit_once('.').unwrap_or((&upload.name, ""));
        let (stem, ext) = (stem.to_string(), ext.to_string());
        let mut name = upload.name.clone();
        for i in 2.. {
            if !existing.contains(&name) && taken.insert(name.clone()) {
                break;
            }
            if existing.contains(&name)
                && std::fs::read(folder.join(&name)).is_ok_and(|there| there == bytes)
            {
                upload.present = true;
                break;
            }
            name = format!("{stem}-{i}.{ext}");
        }
        changed |= name != upload.name;
        upload.name = name;
    }
    Ok(changed)
}

/// The text with the `<img>` tags GitHub inserts for a dropped picture
/// (`<img width="…" alt="…" src="…">`, attributes in any order, quoted with " or ') made
/// Markdown images, `![alt](src)`, which the import and `check` read; a tag without `alt`
/// gets an empty one, which `check` asks the contributor to fill in.
pub fn html_images(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = find_ignoring_case(rest, "<img") {
        let (before, tag) = rest.split_at(start);
        out.push_str(before);
        let Some(end) = tag_end(tag) else {
            rest = tag;
            break;
        };
        let attributes = attributes(&tag[4..end]);
        match attributes.get("src") {
            Some(src) if tag[4..].starts_with(|c: char| c.is_whitespace()) => {
                let alt = attributes.get("alt").map_or("", String::as_str);
                let alt = alt.replace('[', "\\[").replace(']', "\\]");
                out.push_str(&format!("![{alt}]({src})"));
            }
            _ => out.push_str(&tag[..=end]),
        }
        rest = &tag[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Where the tag at the start of `text` ends: its first `>` outside quotes.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn find_ignoring_case(text: &str, what: &str) -> Option<usize> {
    text.to_ascii_lowercase().find(what)
}

/// The attributes of an HTML tag (`width="1" alt='a' src=x`), names in lower case, the
/// character references `&amp;`, `&quot;`, `&#39;`, `&lt;` and `&gt;` decoded.
fn attributes(tag: &str) -> std::collections::BTreeMap<String, String> {
    let mut found = std::collections::BTreeMap::new();
    let mut rest = tag.trim_start().trim_end_matches('/');
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let Some(after) = rest.strip_prefix('=') else {
            rest = rest.trim_start();
            continue;
        };
        let after = after.trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                Some(close) => (&after[1..=close], &after[close + 2..]),
                None => (&after[1..], ""),
            },
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        found.insert(name, decode(value));
        rest = next.trim_start();
    }
    found
}

fn decode(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text with every uploaded file's address replaced by its name.
pub fn rewrite(body: &str, uploads: &[Upload]) -> String {
    uploads
        .iter()
        .fold(body.to_string(), |text, u| text.replace(&u.url, &u.name))
}

/// Copies `from` to a new file `to`; a file already at `to` is an error, never overwritten.
fn copy_new(from: &Path, to: &Path) -> Result<()> {
    let mut source =
        std::fs::File::open(from).with_context(|| format!("kunne ikke lese {}", from.display()))?;
    let mut target = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)
        .with_context(|| format!("kunne ikke lage {} (finnes den fra før?)", to.display()))?;
    std::io::copy(&mut source, &mut target)
        .with_context(|| format!("kunne ikke kopiere til {}", to.display()))?;
    Ok(())
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
        for upload in uploads.iter().filter(|u| !u.present) {
            let target = folder.join(&upload.name);
            if let Err(error) = copy_new(&upload.path, &target) {
                copied.undo()?;
                return Err(error);
            }
            copied.files.push(target);
        }
        Ok(copied)
    }

    /// Takes the copied files back (only the files this import created), and the folder if
    /// the copy made it.
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
    fn githubs_img_tags_become_markdown_images_whatever_the_order_and_quotes() {
        let url = "https://github.com/user-attachments/assets/a";
        assert_eq!(
            html_images(&format!(
                "Før\n<img width=\"1024\" height=\"768\" alt=\"Skjema [utkast] &amp; svar\" src=\"{url}\" />\netter"
            )),
            format!("Før\n![Skjema \\[utkast\\] & svar]({url})\netter")
        );
        assert_eq!(
            html_images(&format!("<IMG SRC='{url}' ALT='Kart'>")),
            format!("![Kart]({url})")
        );
        assert_eq!(
            html_images(&format!("<img alt=\"Før > etter\" src=\"{url}\">")),
            format!("![Før > etter]({url})")
        );
        assert_eq!(
            html_images(&format!("<img src={url} width=300>")),
            format!("![]({url})")
        );
        // Not an image with an address: left as it is.
        assert_eq!(
            html_images("<img alt=\"x\"> <imgx src=\"y\">"),
            "<img alt=\"x\"> <imgx src=\"y\">"
        );
        assert_eq!(html_images("a <img src=\"y\""), "a <img src=\"y\"");
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
