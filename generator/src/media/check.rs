//! Checking a record's files while loading: name, type, size and pixels, each problem in
//! Norwegian with what to do, every file's problems in one run.

use image::{DynamicImage, ImageDecoder};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::{Asset, Format, MAX_PIXELS, MediaFiles, size_text};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::files::names::is_slug;
use crate::files::source::{LinkRefused, Source};

/// A file in a record's folder, as the loader found it.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Relative to the site root.
    pub file: PathBuf,
    /// The record file the folder belongs to (`<folder>.md` beside it), relative to the root.
    pub record: PathBuf,
}

const ALLOWED: &str = "PNG, JPEG eller WebP for bilder og PDF for dokumenter";

/// Reads and checks every candidate, in parallel. `records` are the record files that exist:
/// a folder whose record is missing is reported for each file in it.
pub fn load(
    source: &dyn Source,
    candidates: &[Candidate],
    records: &BTreeSet<PathBuf>,
    diagnostics: &Diagnostics,
) -> MediaFiles {
    let checked: Vec<(PathBuf, Asset)> = candidates
        .par_iter()
        .filter_map(|c| {
            if !records.contains(&c.record) {
                diagnostics.push(no_record(c));
                return None;
            }
            check_one(source, &c.file)
                .map_err(|problem| diagnostics.push(problem))
                .ok()
                .map(|asset| (c.record.clone(), asset))
        })
        .collect();
    let mut media = MediaFiles::new();
    for (record, asset) in checked {
        media
            .entry(record)
            .or_default()
            .insert(asset.name.clone(), asset);
    }
    media
}

fn no_record(c: &Candidate) -> Diagnostic {
    let folder = c.file.parent().unwrap_or(&c.file);
    let folder_name = file_name(folder);
    Diagnostic::error(
        &c.file,
        Pos::START,
        format!("mappen «{folder_name}» hører ikke til noen post"),
    )
    .with_help(format!(
        "bilder og dokumenter ligger i en mappe med samme navn som postens fil: filene til «{folder_name}.md» i mappen «{folder_name}/» ved siden av den; gi mappen navnet til posten, eller flytt filen dit"
    ))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// One file, checked: `Err` with the first problem that stops it from being published.
fn check_one(source: &dyn Source, file: &Path) -> Result<Asset, Diagnostic> {
    let name = file_name(file);
    let format = format_of_name(file, &name)?;
    let bytes = source.read(file).map_err(|e| match LinkRefused::of(&e) {
        Some(refused) => refused.diagnostic(),
        None => Diagnostic::error(file, Pos::START, format!("kunne ikke lese filen: {e}")),
    })?;
    if bytes.len() > format.max_bytes() {
        return Err(Diagnostic::error(
            file,
            Pos::START,
            format!(
                "filen er {}, mer enn grensen på {} for {}",
                size_text(bytes.len(), true),
                size_text(format.max_bytes(), true),
                if format.is_image() { "bilder" } else { "dokumenter" }
            ),
        )
        .with_help(if format.is_image() {
            "gjør bildet mindre før du laster det opp, for eksempel 2000 punkter bredt, eller lagre et foto som JPEG"
        } else {
            "lagre PDF-en med mindre bilder (for eksempel «Redusert filstørrelse»), eller lenk til dokumentet der det er publisert"
        }));
    }
    match Format::of_bytes(&bytes) {
        Some(found) if found == format => {}
        found => return Err(wrong_content(file, format, found)),
    }
    let mut asset = Asset::new(name, file.to_path_buf(), format, bytes);
    if format.is_image() {
        asset.pixels = Some(pixels(&asset)?);
    }
    Ok(asset)
}

/// The format a file's name promises, or why the name cannot be published.
fn format_of_name(file: &Path, name: &str) -> Result<Format, Diagnostic> {
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    let lower = extension.to_ascii_lowercase();
    let Some(format) = Format::of_extension(&lower) else {
        let (message, help) = match lower.as_str() {
            "svg" | "svgz" => (
                "SVG-filer kan ikke legges ved, fordi de kan inneholde skript".to_string(),
                format!(
                    "lagre tegningen som PNG (eksporter den fra tegneprogrammet); tillatt er {ALLOWED}"
                ),
            ),
            "" => (
                "filen har ingen filtype".to_string(),
                format!("gi filen en filendelse som sier hva den er: {ALLOWED}"),
            ),
            _ => (
                format!("filtypen «.{extension}» kan ikke legges ved"),
                format!("lagre filen som {ALLOWED}"),
            ),
        };
        return Err(Diagnostic::error(file, Pos::START, message).with_help(help));
    };
    if !is_slug(stem) || extension != lower {
        let better = crate::norwegian::slugify(stem);
        let better = if better.is_empty() {
            "fil".into()
        } else {
            better
        };
        return Err(Diagnostic::error(
            file,
            Pos::START,
            format!("filnavnet «{name}» kan ikke brukes i en nettadresse"),
        )
        .with_help(format!(
            "gi filen navnet «{better}.{lower}»: bare små bokstaver a–z, tall og bindestrek, og husk å rette navnet der teksten viser til filen"
        )));
    }
    Ok(format)
}

fn wrong_content(file: &Path, named: Format, found: Option<Format>) -> Diagnostic {
    let message = match found {
        Some(found) => format!(
            "filen heter .{} men er en {}-fil",
            named.extension(),
            found.label()
        ),
        None => format!(
            "filen heter .{} men er ikke en {}-fil",
            named.extension(),
            named.label()
        ),
    };
    let help = match found {
        Some(found) => format!(
            "gi filen endelsen .{} (og rett lenken i teksten), eller lagre den som {} på nytt",
            found.extension(),
            named.label()
        ),
        None => format!(
            "åpne filen og lagre den som {} på nytt; tillatt er {ALLOWED}",
            named.label()
        ),
    };
    Diagnostic::error(file, Pos::START, message).with_help(help)
}

/// An image's width and height as shown. Refused above [`MAX_PIXELS`] from its header, before
/// anything is decoded; below it, decoded in full, so a damaged image is found here and a
/// build never fails on one (see [`decodes`]).
fn pixels(asset: &Asset) -> Result<(u32, u32), Diagnostic> {
    let (file, bytes, hash) = (asset.file.as_path(), asset.bytes.as_slice(), &asset.hash);
    let unreadable = |e: image::ImageError| {
        Diagnostic::error(file, Pos::START, format!("bildet kan ikke leses: {e}"))
            .with_help("åpne bildet i et bildeprogram og lagre det på nytt som PNG eller JPEG")
    };
    let mut decoder =
        image::ImageReader::with_format(Cursor::new(bytes), image_format(asset.format))
            .into_decoder()
            .map_err(unreadable)?;
    let (width, height) = decoder.dimensions();
    let total = u64::from(width) * u64::from(height);
    if total > MAX_PIXELS {
        return Err(Diagnostic::error(
            file,
            Pos::START,
            format!(
                "bildet er {width} × {height} punkter ({} megapiksler), mer enn grensen på {} megapiksler",
                total / 1_000_000,
                MAX_PIXELS / 1_000_000
            ),
        )
        .with_help("gjør bildet mindre, for eksempel 2000 punkter bredt, før du laster det opp"));
    }
    let turned = decoder.orientation().map_err(unreadable)?;
    decodes(file, hash, decoder)?;
    Ok(if swaps_axes(turned) {
        (height, width)
    } else {
        (width, height)
    })
}

/// Whether the whole image decodes, as `encode` will decode it. The pixels are dropped at once
/// (keeping every image decoded until the build would hold hundreds of megabytes); bytes once
/// found whole are remembered by their hash, so `serve` does not decode an unchanged image
/// again on each rebuild.
fn decodes(file: &Path, hash: &str, decoder: impl ImageDecoder) -> Result<(), Diagnostic> {
    static WHOLE: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let whole = WHOLE.get_or_init(Default::default);
    if whole.lock().expect("decoded images").contains(hash) {
        return Ok(());
    }
    DynamicImage::from_decoder(decoder).map_err(|e| {
        Diagnostic::error(
            file,
            Pos::START,
            format!("bildet er skadet eller ufullstendig og kan ikke vises ({e})"),
        )
        .with_help(
            "eksporter bildet på nytt fra programmet det ble laget i (eller ta et nytt skjermbilde), og legg den nye filen i mappen i stedet for denne",
        )
    })?;
    whole
        .lock()
        .expect("decoded images")
        .insert(hash.to_string());
    Ok(())
}

fn swaps_axes(orientation: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::*;
    matches!(
        orientation,
        Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH
    )
}

/// The `image` crate's name for an image format.
pub(super) fn image_format(format: Format) -> image::ImageFormat {
    match format {
        Format::Png => image::ImageFormat::Png,
        Format::Jpeg => image::ImageFormat::Jpeg,
        Format::WebP => image::ImageFormat::WebP,
        Format::Pdf => unreachable!("a PDF is not an image"),
    }
}
