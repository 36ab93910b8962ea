//! What a record's Markdown writes about its files: `![alt](bilde.png "Bildetekst")` and
//! `[Rapporten](rapport.pdf)`, resolved to the published files, and the HTML of an image.

use std::collections::BTreeSet;
use std::path::Path;

use super::{Asset, RecordFiles};
use crate::diagnostics::{Diagnostic, Pos, closest, or_list};
use crate::html::escape_html;

/// How wide an image is shown: the text column, at most about 45rem.
const SIZES: &str = "(min-width: 50rem) 45rem, 100vw";

/// Extensions a link names a file by: the accepted ones and the ones people try.
const FILE_EXTENSIONS: &[&str] = &[
    "pdf", "png", "jpg", "jpeg", "webp", "svg", "gif", "tif", "tiff", "heic", "heif", "bmp",
    "avif", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "zip",
];

/// Whether an image's address is on another site (refused: no third-party requests).
pub fn is_remote(url: &str) -> bool {
    url.contains("://") || url.starts_with("//")
}

/// Whether a link's address names a file beside the record, e.g. `rapport.pdf`.
pub fn is_file_link(url: &str) -> bool {
    let path = url.split(['#', '?']).next().unwrap_or_default();
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    !is_remote(url)
        && !path.starts_with(['/', '@'])
        && !path.contains(':')
        && extension.is_some_and(|e| FILE_EXTENSIONS.contains(&e.as_str()))
}

/// The record's file an address in its text names, or the problem with it.
pub fn find<'f>(
    files: Option<&'f RecordFiles>,
    url: &str,
    file: &Path,
    pos: Pos,
    image: bool,
) -> Result<&'f Asset, Diagnostic> {
    let folder = folder_of(file);
    if url.contains('/') || url.contains('\\') {
        return Err(Diagnostic::error(
            file,
            pos,
            format!("«{url}» peker ut av postens egen mappe"),
        )
        .with_help(format!(
            "legg filen i mappen «{folder}/» ved siden av posten, og skriv bare filnavnet, for eksempel ({})",
            url.rsplit(['/', '\\']).next().unwrap_or(url)
        )));
    }
    let found = files.and_then(|f| f.get(url));
    let Some(asset) = found else {
        let names = files.map(|f| f.keys().map(String::as_str).collect::<Vec<_>>());
        let near = closest(url, names.unwrap_or_default());
        let mut help =
            format!("legg filen i mappen «{folder}/» ved siden av posten, eller rett navnet");
        if !near.is_empty() {
            help = format!("mente du {}? {help}", or_list(&near));
        }
        return Err(Diagnostic::error(
            file,
            pos,
            format!("filen «{url}» finnes ikke i postens mappe «{folder}/»"),
        )
        .with_help(help));
    };
    if image && !asset.format.is_image() {
        return Err(Diagnostic::error(
            file,
            pos,
            format!("«{url}» er et dokument, ikke et bilde"),
        )
        .with_help(format!(
            "lenk til dokumenter uten utropstegn: [Tittel]({url}); de listes også under «Vedlegg»"
        )));
    }
    Ok(asset)
}

/// The name of a record's folder: the record's file name without `.md`.
fn folder_of(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Words that say only that there is a picture, such as GitHub's «Image» for an uploaded one.
const GENERIC_ALT: &[&str] = &[
    "image",
    "bilde",
    "img",
    "foto",
    "photo",
    "screenshot",
    "skjermbilde",
];

/// An image's missing or meaningless alt text: WCAG 1.1.1 wants a text alternative.
pub fn alt_problem(alt: &str, asset: &Asset, file: &Path, pos: Pos) -> Option<Diagnostic> {
    let alt = alt.trim();
    let stem = asset.name.rsplit_once('.').map_or("", |(s, _)| s);
    let message = if alt.is_empty() {
        format!("bildet «{}» mangler alternativ tekst", asset.name)
    } else if alt.eq_ignore_ascii_case(&asset.name) || alt.eq_ignore_ascii_case(stem) {
        format!(
            "den alternative teksten til bildet «{}» er bare filnavnet",
            asset.name
        )
    } else if GENERIC_ALT.iter().any(|w| alt.eq_ignore_ascii_case(w)) {
        format!(
            "den alternative teksten til bildet «{}» sier bare «{alt}»",
            asset.name
        )
    } else {
        return None;
    };
    Some(
        Diagnostic::error(file, pos, message).with_help(format!(
            "skriv hva bildet viser mellom hakeparentesene, for eksempel ![Skjermbilde av søknadsskjemaet med feltene for navn og adresse]({}): den leses opp for dem som ikke ser bildet (WCAG 1.1.1); en bildetekst kan stå i anførselstegn etter filnavnet",
            asset.name
        )),
    )
}

/// Where a file is published: `folder_url` is the record page's address (ending in `/`). An
/// image's address is its widest width.
pub fn url(asset: &Asset, folder_url: &str) -> String {
    match asset.variants().last() {
        Some(widest) if asset.format.is_image() => format!("{folder_url}{}", widest.name),
        _ => format!("{folder_url}{}", asset.document_name()),
    }
}

/// A responsive `<img>`: every width in `srcset`, the widest's size as `width`/`height` so the
/// page does not move when it loads. In a `<figure>` with its caption when `caption` is set.
pub fn image_html(asset: &Asset, folder_url: &str, alt: &str, caption: Option<&str>) -> String {
    let variants = asset.variants();
    let srcset: Vec<String> = variants
        .iter()
        .map(|v| format!("{folder_url}{} {}w", v.name, v.width))
        .collect();
    let (width, height) = variants.last().map_or((0, 0), |v| (v.width, v.height));
    let img = format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{SIZES}\" width=\"{width}\" height=\"{height}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
        escape_html(&url(asset, folder_url)),
        escape_html(&srcset.join(", ")),
        escape_html(alt.trim()),
    );
    match caption {
        Some(caption) => format!(
            "<figure class=\"figure\">{img}<figcaption>{}</figcaption></figure>\n",
            escape_html(caption)
        ),
        None => img,
    }
}

/// The record's images its texts never show: a warning each, since no reader would see them.
/// Documents are always listed, so they are never unused.
pub fn unused(files: Option<&RecordFiles>, used: &BTreeSet<String>) -> Vec<Diagnostic> {
    files
        .into_iter()
        .flat_map(|f| f.values())
        .filter(|a| a.format.is_image() && !used.contains(&a.name))
        .map(|a| {
            Diagnostic::warning(&a.file, Pos::START, format!("bildet «{}» brukes ikke i teksten", a.name))
                .with_help(format!("vis det med ![Hva bildet viser]({}) der det hører hjemme i teksten, eller slett filen", a.name))
        })
        .collect()
}
