//! Pictures and documents a record carries with it.
//!
//! A record `<slug>.md` may have a folder `<slug>/` beside it holding images (PNG, JPEG, WebP)
//! and documents (PDF). `check` (this module, while loading) reads each file once and checks
//! its name, its size, that its bytes are what its extension says (magic bytes), an image's
//! size in pixels from its header (a decompression bomb is never decoded), and then that the
//! image decodes in full (so a damaged image is a `check` error, never a failed build).
//! `encode` decodes each image once at build time and resizes and re-encodes it into a few
//! widths, without metadata (EXIF with GPS positions never reaches the site); documents are
//! published as they are.
//! Output names carry a hash of the file's bytes, so a cache never serves an old version.
//!
//! This module knows nothing of records: the loader hands it files, and the Markdown renderer
//! and the views ask it for names, sizes and URLs.

pub mod check;
pub mod encode;
pub mod refer;

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

pub use check::{Candidate, load};

/// The widths an image is published in (never wider than the original).
pub const IMAGE_WIDTHS: [u32; 3] = [480, 960, 1600];
/// The largest image file accepted, in bytes (5 MB).
pub const MAX_IMAGE_BYTES: usize = 5_000_000;
/// The largest document accepted, in bytes (10 MB).
pub const MAX_DOCUMENT_BYTES: usize = 10_000_000;
/// The most pixels an image may have (40 megapixels): more is refused before decoding.
pub const MAX_PIXELS: u64 = 40_000_000;
/// Changes whenever encoding changes, so output names change with it.
const PIPELINE_VERSION: &[u8] = b"deling-media-1";

/// The kinds of file a record may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Png,
    Jpeg,
    WebP,
    Pdf,
}

impl Format {
    /// The format an extension names, for the accepted kinds.
    pub fn of_extension(extension: &str) -> Option<Format> {
        match extension {
            "png" => Some(Format::Png),
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "webp" => Some(Format::WebP),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// The format the first bytes of a file show, for the accepted kinds.
    pub fn of_bytes(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Format::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Format::Jpeg)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Format::WebP)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Format::Pdf)
        } else {
            None
        }
    }

    pub fn is_image(self) -> bool {
        self != Format::Pdf
    }

    /// How readers see the type: «PNG», «JPEG», «WebP», «PDF».
    pub fn label(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::WebP => "WebP",
            Format::Pdf => "PDF",
        }
    }

    /// The extension of the published file.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::WebP => "webp",
            Format::Pdf => "pdf",
        }
    }

    /// The largest file of this kind accepted.
    pub fn max_bytes(self) -> usize {
        if self.is_image() {
            MAX_IMAGE_BYTES
        } else {
            MAX_DOCUMENT_BYTES
        }
    }
}

/// One checked file of a record's folder.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Its name in the folder, e.g. `diagram.png`.
    pub name: String,
    /// Relative to the site root.
    pub file: PathBuf,
    pub format: Format,
    pub bytes: Arc<Vec<u8>>,
    /// The start of the SHA-256 of the bytes and the pipeline version, in hex.
    pub hash: String,
    /// An image's width and height as shown (after its EXIF orientation).
    pub pixels: Option<(u32, u32)>,
}

/// A record's files, by name.
pub type RecordFiles = BTreeMap<String, Asset>;

/// Every record's files, by the record's file (relative to the site root).
pub type MediaFiles = BTreeMap<PathBuf, RecordFiles>;

/// One published width of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// The file name in the record's page folder.
    pub name: String,
}

impl Asset {
    pub fn new(name: String, file: PathBuf, format: Format, bytes: Vec<u8>) -> Asset {
        let mut hasher = Sha256::new();
        hasher.update(PIPELINE_VERSION);
        hasher.update(&bytes);
        let digest = hasher.finalize();
        let hash = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
        Asset {
            name,
            file,
            format,
            bytes: Arc::new(bytes),
            hash,
            pixels: None,
        }
    }

    fn stem(&self) -> &str {
        self.name.rsplit_once('.').map_or(&self.name, |(s, _)| s)
    }

    /// The name a document is published under, e.g. `rapport.1a2b3c4d5e.pdf`.
    pub fn document_name(&self) -> String {
        format!("{}.{}.{}", self.stem(), self.hash, self.format.extension())
    }

    /// The widths an image is published in, narrowest first: each of [`IMAGE_WIDTHS`] narrower
    /// than the image, and the image's own width up to the widest. Never upscaled.
    pub fn variants(&self) -> Vec<Variant> {
        let Some((width, height)) = self.pixels else {
            return Vec::new();
        };
        let widest = IMAGE_WIDTHS[IMAGE_WIDTHS.len() - 1];
        let mut widths: Vec<u32> = IMAGE_WIDTHS.into_iter().filter(|w| *w < width).collect();
        widths.push(width.min(widest));
        widths.dedup();
        widths
            .into_iter()
            .map(|w| {
                let h = (u64::from(height) * u64::from(w)).div_ceil(u64::from(width).max(1));
                Variant {
                    width: w,
                    height: u32::try_from(h).unwrap_or(u32::MAX).max(1),
                    name: format!(
                        "{}-{w}.{}.{}",
                        self.stem(),
                        self.hash,
                        self.format.extension()
                    ),
                }
            })
            .collect()
    }
}

/// A file size as readers read it: «1,2 MB», «340 kB» (Norwegian decimal comma unless `comma`
/// is false).
pub fn size_text(bytes: usize, comma: bool) -> String {
    let text = if bytes >= 1_000_000 {
        let tenths = (bytes + 50_000) / 100_000;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} kB", bytes.div_ceil(1000).max(1))
    };
    if comma { text.replace('.', ",") } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(width: u32, height: u32) -> Asset {
        let mut asset = Asset::new(
            "bilde.png".into(),
            PathBuf::from("content/bilde.png"),
            Format::Png,
            b"x".to_vec(),
        );
        asset.pixels = Some((width, height));
        asset
    }

    #[test]
    fn images_are_never_upscaled() {
        let widths = |a: Asset| a.variants().iter().map(|v| v.width).collect::<Vec<_>>();
        assert_eq!(widths(image(300, 200)), [300]);
        assert_eq!(widths(image(960, 600)), [480, 960]);
        assert_eq!(widths(image(1200, 600)), [480, 960, 1200]);
        assert_eq!(widths(image(4000, 3000)), [480, 960, 1600]);
        assert_eq!(image(1200, 600).variants()[0].height, 240);
    }

    #[test]
    fn magic_bytes_name_the_format() {
        assert_eq!(Format::of_bytes(b"%PDF-1.7\n"), Some(Format::Pdf));
        assert_eq!(
            Format::of_bytes(b"\x89PNG\r\n\x1a\nrest"),
            Some(Format::Png)
        );
        assert_eq!(
            Format::of_bytes(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(Format::WebP)
        );
        assert_eq!(Format::of_bytes(b"<svg>"), None);
    }

    #[test]
    fn sizes_are_written_the_norwegian_way() {
        assert_eq!(size_text(1_234_567, true), "1,2 MB");
        assert_eq!(size_text(1_234_567, false), "1.2 MB");
        assert_eq!(size_text(340_001, true), "341 kB");
        assert_eq!(size_text(12, true), "1 kB");
    }
}
