//! Publishing a record's files at build time: images decoded, turned upright, resized and
//! encoded again in each width (so no metadata, EXIF and GPS included, is carried over),
//! documents copied as they are. Images are encoded in parallel, and each width once per
//! process: `serve` rebuilds take unchanged images from memory, by their content hash.

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
/// the file when an image whose header was fine cannot be decoded.
pub fn publish(records: &[(String, &RecordFiles)], files: &mut SiteFiles) -> Result<()> {
    let jobs: Vec<(String, &Asset, Option<Variant>)> = records
        .iter()
        .flat_map(|(folder, assets)| {
            assets.values().flat_map(move |asset| {
                if asset.format.is_image() {
                    let variants = asset.variants().into_iter();
                    variants
                        .map(|v| (format!("{folder}{}", v.name), asset, Some(v)))
                        .collect::<Vec<_>>()
                } else {
                    vec![(format!("{folder}{}", asset.document_name()), asset, None)]
                }
            })
        })
        .collect();
    let encoded: Vec<(String, Arc<Vec<u8>>)> = jobs
        .into_par_iter()
        .map(|(path, asset, variant)| {
            let bytes = match variant {
                Some(v) => cached(asset, &v).with_context(|| {
                    format!("bildet {} kunne ikke gjøres om", asset.file.display())
                })?,
                None => asset.bytes.clone(),
            };
            Ok((path, bytes))
        })
        .collect::<Result<_>>()?;
    for (path, bytes) in encoded {
        files.insert(path, bytes.as_ref().clone());
    }
    Ok(())
}

fn cached(asset: &Asset, variant: &Variant) -> Result<Arc<Vec<u8>>> {
    let key = (asset.hash.clone(), variant.width);
    if let Some(bytes) = cache().lock().expect("image cache").get(&key) {
        return Ok(bytes.clone());
    }
    let bytes = Arc::new(encode(asset, variant)?);
    cache()
        .lock()
        .expect("image cache")
        .insert(key, bytes.clone());
    Ok(bytes)
}

/// One width of an image, encoded again in its own format. The same bytes in give the same
/// bytes out: no encoder here writes a time or anything random.
pub fn encode(asset: &Asset, variant: &Variant) -> Result<Vec<u8>> {
    let reader = image::ImageReader::with_format(
        Cursor::new(asset.bytes.as_slice()),
        image_format(asset.format),
    );
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    if image.width() != variant.width || image.height() != variant.height {
        image = image.resize_exact(variant.width, variant.height, FilterType::Lanczos3);
    }
    let mut out = Vec::new();
    match asset.format {
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
