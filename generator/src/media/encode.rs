//! Publishing a record's files at build time: images decoded, turned upright, resized and
//! encoded again in each width (so no metadata, EXIF and GPS included, is carried over),
//! documents copied as they are. Each image is decoded once and every width made from that
//! one decoded image ([`encode_widths`]); images are encoded in parallel, so at most one
//! decoded image per core is held at a time. Each width is encoded once per process: `serve`
//! rebuilds take unchanged images from memory, by their content hash.

use anyhow::{Context, Result};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Cursor;
use std::sync::{Arc, Mutex, OnceLock};

use super::check::image_format;
use super::{Asset, Format, RecordFiles, Variant};
use crate::output::SiteFiles;

/// JPEG quality: photos look right and stay small.
const JPEG_QUALITY: u8 = 82;

type Cache = Mutex<HashMap<(String, u32), Arc<Vec<u8>>>>;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Writes the files of each record into its page folder (`erfaringer/<slug>/`). `Err` names
/// the file when an image cannot be decoded (which `check` has already ruled out).
pub fn publish(records: &[(String, &RecordFiles)], files: &mut SiteFiles) -> Result<()> {
    let jobs: Vec<(&str, &Asset)> = records
        .iter()
        .flat_map(|(folder, assets)| assets.values().map(move |a| (folder.as_str(), a)))
        .collect();
    let published: Vec<Vec<(String, Arc<Vec<u8>>)>> = jobs
        .into_par_iter()
        .map(|(folder, asset)| publish_one(folder, asset))
        .collect::<Result<_>>()?;
    for (path, bytes) in published.into_iter().flatten() {
        files.insert(path, bytes.as_ref().clone());
    }
    Ok(())
}

/// One file's published paths and bytes: a document as it is, an image in each width.
fn publish_one(folder: &str, asset: &Asset) -> Result<Vec<(String, Arc<Vec<u8>>)>> {
    if !asset.format.is_image() {
        let path = format!("{folder}{}", asset.document_name());
        return Ok(vec![(path, asset.bytes.clone())]);
    }
    let variants = asset.variants();
    let encoded = cached(asset, &variants)
        .with_context(|| format!("bildet {} kunne ikke gjøres om", asset.file.display()))?;
    Ok(variants
        .iter()
        .map(|v| format!("{folder}{}", v.name))
        .zip(encoded)
        .collect())
}

/// Every width of an image, from memory when all were encoded before; otherwise the image is
/// decoded once and every width encoded from it.
fn cached(asset: &Asset, variants: &[Variant]) -> Result<Vec<Arc<Vec<u8>>>> {
    let keys: Vec<(String, u32)> = variants
        .iter()
        .map(|v| (asset.hash.clone(), v.width))
        .collect();
    {
        let cache = cache().lock().expect("image cache");
        if let Some(all) = keys.iter().map(|k| cache.get(k).cloned()).collect() {
            return Ok(all);
        }
    }
    let image = decode(asset)?;
    let encoded: Vec<Arc<Vec<u8>>> = encode_widths(&image, asset.format, variants)?
        .into_iter()
        .map(Arc::new)
        .collect();
    let mut cache = cache().lock().expect("image cache");
    for (key, bytes) in keys.into_iter().zip(&encoded) {
        cache.insert(key, bytes.clone());
    }
    Ok(encoded)
}

/// An image's pixels, turned upright by its EXIF orientation.
pub fn decode(asset: &Asset) -> Result<DynamicImage> {
    #[cfg(test)]
    tests::count_decode(&asset.hash);
    let reader = image::ImageReader::with_format(
        Cursor::new(asset.bytes.as_slice()),
        image_format(asset.format),
    );
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Every width of one decoded image, in the order of `variants`, one after the other (so only
/// one resized copy is held beside the decoded image).
pub fn encode_widths(
    image: &DynamicImage,
    format: Format,
    variants: &[Variant],
) -> Result<Vec<Vec<u8>>> {
    variants.iter().map(|v| encode(image, format, v)).collect()
}

/// One width of a decoded image, encoded again in its own format. The same bytes in give the
/// same bytes out: no encoder here writes a time or anything random.
pub fn encode(image: &DynamicImage, format: Format, variant: &Variant) -> Result<Vec<u8>> {
    let resized;
    let image = if image.width() != variant.width || image.height() != variant.height {
        resized = image.resize_exact(variant.width, variant.height, FilterType::Lanczos3);
        &resized
    } else {
        image
    };
    let mut out = Vec::new();
    match format {
        Format::Png => image.write_with_encoder(PngEncoder::new_with_quality(
            &mut out,
            CompressionType::Default,
            PngFilter::Adaptive,
        ))?,
        Format::Jpeg => DynamicImage::ImageRgb8(image.to_rgb8())
            .write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))?,
        Format::WebP => DynamicImage::ImageRgba8(image.to_rgba8())
            .write_with_encoder(WebPEncoder::new_lossless(&mut out))?,
        Format::Pdf => unreachable!("documents are not encoded"),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, RgbImage};
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    /// How often each image (by hash) was decoded in this test process.
    static DECODES: Mutex<BTreeMap<String, usize>> = Mutex::new(BTreeMap::new());

    pub(super) fn count_decode(hash: &str) {
        *DECODES
            .lock()
            .expect("decode count")
            .entry(hash.to_string())
            .or_default() += 1;
    }

    /// A 40-megapixel image decoded once per width held two or three copies of it at once;
    /// now every width is made from one decoded image.
    #[test]
    fn an_image_is_decoded_once_for_all_its_widths() {
        let (width, height) = (1700, 60);
        let pixels = RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 251) as u8, (y % 241) as u8, 17])
        });
        let mut bytes = Vec::new();
        PngEncoder::new(&mut bytes)
            .write_image(&pixels, width, height, image::ExtendedColorType::Rgb8)
            .unwrap();
        let mut asset = Asset::new(
            "once.png".into(),
            PathBuf::from("content/once/once.png"),
            Format::Png,
            bytes,
        );
        asset.pixels = Some((width, height));
        let hash = asset.hash.clone();
        let record = RecordFiles::from([(asset.name.clone(), asset)]);
        let mut files = SiteFiles::default();
        publish(&[("erfaringer/once/".into(), &record)], &mut files).unwrap();
        let published: Vec<&str> = files.iter().map(|(path, _)| path).collect();
        assert_eq!(published.len(), 3, "{published:?}");
        assert_eq!(DECODES.lock().unwrap().get(&hash), Some(&1));
    }
}
