//! Pictures and documents a record carries in its folder (`<slug>/` beside `<slug>.md`):
//! `check`'s problems, one test each with message, help and line, and what a build publishes.

use crate::harness::{Fixture, find, text};
use image::{ImageEncoder, RgbImage};
use std::path::Path;

const PRACTICE: &str = "content/nettverk/digi-agder/erfaringer/digital-sosialhjelp.md";
const FOLDER: &str = "content/nettverk/digi-agder/erfaringer/digital-sosialhjelp";
const PAGE: &str = "erfaringer/digital-sosialhjelp/";

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&image, width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// A JPEG with EXIF that turns it a quarter (orientation 6) and names a place.
fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_pixel(width, height, image::Rgb([200, 40, 40]));
    let mut exif = b"II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0".to_vec();
    exif.extend_from_slice(b"GPS-HEMMELIG-59.91N-10.75E");
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    encoder.set_exif_metadata(exif).unwrap();
    encoder
        .write_image(&image, width, height, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn put(fixture: &Fixture, name: &str, bytes: &[u8]) {
    let path = fixture.root().join(FOLDER).join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Writes `markdown` into the practice's body, before its second heading.
fn show(fixture: &Fixture, markdown: &str) {
    fixture.edit(
        PRACTICE,
        "## Opplæring",
        &format!("{markdown}\n\n## Opplæring"),
    );
}

fn line_of(fixture: &Fixture, needle: &str) -> usize {
    fixture
        .read(PRACTICE)
        .lines()
        .position(|l| l.contains(needle))
        .expect("needle in the practice")
        + 1
}

fn help(d: &deling::diagnostics::Diagnostic) -> &str {
    d.help.as_deref().unwrap_or_default()
}

#[test]
fn an_image_without_alt_text_is_refused_with_how_to_write_one() {
    let fixture = Fixture::new("minimal");
    put(&fixture, "skjema.png", &png(40, 20));
    show(&fixture, "Se her:\n\n![](skjema.png)");
    let problems = fixture.errors();
    let d = find(&problems, "bildet «skjema.png» mangler alternativ tekst");
    assert_eq!(d.file, Path::new(PRACTICE));
    assert_eq!(d.pos.line, line_of(&fixture, "![](skjema.png)"));
    assert!(
        help(d).contains("WCAG 1.1.1") && help(d).contains("![Skjermbilde"),
        "{d:?}"
    );
}

#[test]
fn alt_text_that_is_only_the_file_name_is_refused() {
    let fixture = Fixture::new("minimal");
    put(&fixture, "skjema.png", &png(40, 20));
    show(&fixture, "![skjema.png](skjema.png)");
    let problems = fixture.errors();
    let d = find(
        &problems,
        "alternative teksten til bildet «skjema.png» er bare filnavnet",
    );
    assert_eq!(d.pos.line, line_of(&fixture, "![skjema.png]"));
}

#[test]
fn a_missing_image_suggests_the_file_that_is_there() {
    let fixture = Fixture::new("minimal");
    put(&fixture, "skjema.png", &png(40, 20));
    show(&fixture, "![Søknadsskjemaet](skjerna.png)");
    let problems = fixture.errors();
    let d = find(
        &problems,
        "filen «skjerna.png» finnes ikke i postens mappe «digital-sosialhjelp/»",
    );
    assert_eq!(d.pos.line, line_of(&fixture, "(skjerna.png)"));
    assert!(help(d).starts_with("mente du «skjema.png»?"), "{d:?}");
}

#[test]
fn a_link_to_a_missing_pdf_is_reported_at_the_link() {
    let fixture = Fixture::new("minimal");
    show(&fixture, "Les [rapporten](rapport.pdf).");
    let problems = fixture.errors();
    let d = find(&problems, "filen «rapport.pdf» finnes ikke");
    assert_eq!(d.pos.line, line_of(&fixture, "[rapporten]"));
    assert!(help(d).contains("«digital-sosialhjelp/»"), "{d:?}");
}

#[test]
fn an_svg_is_refused_because_it_can_carry_script() {
    let fixture = Fixture::new("minimal");
    put(
        &fixture,
        "tegning.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
    );
    let problems = fixture.errors();
    let d = find(&problems, "SVG-filer kan ikke legges ved");
    assert!(d.message.contains("skript"));
    assert_eq!(d.file, Path::new(FOLDER).join("tegning.svg"));
    assert!(help(d).contains("PNG"), "{d:?}");
    let built = fixture.run(&["build"]);
    assert_eq!(built.status.code(), Some(1));
    assert!(!fixture.root().join("public").exists());
}

#[test]
fn a_gif_is_refused_naming_the_formats_allowed() {
    let fixture = Fixture::new("minimal");
    put(&fixture, "animasjon.gif", b"GIF89a\x01\0\x01\0");
    let problems = fixture.errors();
    let d = find(&problems, "filtypen «.gif» kan ikke legges ved");
    assert_eq!(
        help(d),
        "lagre filen som PNG, JPEG eller WebP for bilder og PDF for dokumenter"
    );
}

#[test]
fn an_image_over_the_size_limit_says_the_size_found() {
    let fixture = Fixture::new("minimal");
    let mut bytes = png(10, 10);
    bytes.resize(6_200_000, 0);
    put(&fixture, "stort.png", &bytes);
    let problems = fixture.errors();
    let d = find(
        &problems,
        "filen er 6,2 MB, mer enn grensen på 5,0 MB for bilder",
    );
    assert!(help(d).contains("gjør bildet mindre"), "{d:?}");
}

#[test]
fn a_png_named_jpg_is_refused_with_the_right_extension() {
    let fixture = Fixture::new("minimal");
    put(&fixture, "foto.jpg", &png(10, 10));
    let problems = fixture.errors();
    let d = find(&problems, "filen heter .jpg men er en PNG-fil");
    assert!(help(d).contains("gi filen endelsen .png"), "{d:?}");
}

#[test]
fn a_pdf_that_is_not_a_pdf_is_refused() {
    let fixture = Fixture::new("minimal");
    put(&fixture, "rapport.pdf", b"PK\x03\x04 a Word file really");
    let problems = fixture.errors();
    let d = find(&problems, "filen heter .pdf men er ikke en PDF-fil");
    assert!(help(d).contains("lagre den som PDF"), "{d:?}");
}

/// A PNG whose header claims 10 000 × 5 000 pixels and holds almost nothing: the check reads
/// the header only, so it is refused without decoding 50 megapixels.
#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32(kind, 0xFFFF_FFFF);
        crc = crc32(data, crc);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&(!crc).to_be_bytes());
    }
    fn crc32(bytes: &[u8], mut crc: u32) -> u32 {
        for b in bytes {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        crc
    }
    let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&10_000u32.to_be_bytes());
    header.extend_from_slice(&5_000u32.to_be_bytes());
    header.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut bomb, b"IHDR", &header);
    chunk(&mut bomb, b"IDAT", &[0x78, 0x9c]);
    chunk(&mut bomb, b"IEND", &[]);
    let fixture = Fixture::new("minimal");
    put(&fixture, "bombe.png", &bomb);
    let problems = fixture.errors();
    let d = find(
        &problems,
        "bildet er 10000 × 5000 punkter (50 megapiksler), mer enn grensen på 40 megapiksler",
    );
    assert_eq!(d.file, Path::new(FOLDER).join("bombe.png"));
}

/// A PNG cut off after 200 bytes has a good header: `check` once read only that and said all
/// was fine, and `build` then failed on it. `check` now decodes the whole image, so the
/// problem is found where it can be fixed, and a build never fails on a record's image.
#[test]
fn a_damaged_image_is_refused_by_check_not_left_to_fail_the_build() {
    let fixture = Fixture::new("minimal");
    let mut damaged = png(300, 200);
    damaged.truncate(200);
    put(&fixture, "skadet.png", &damaged);
    show(&fixture, "![Et mønster](skadet.png)");
    let problems = fixture.errors();
    let d = find(&problems, "bildet er skadet eller ufullstendig");
    assert_eq!(d.file, Path::new(FOLDER).join("skadet.png"));
    assert!(help(d).contains("eksporter bildet på nytt"), "{d:?}");
    let on_image = problems.iter().filter(|p| p.file == d.file).count();
    assert_eq!(on_image, 1, "{problems:?}");
    let run = fixture.run(&["check"]);
    let said =
        String::from_utf8_lossy(&run.stderr).into_owned() + &String::from_utf8_lossy(&run.stdout);
    assert_ne!(run.status.code(), Some(0), "{said}");
    assert!(
        said.contains("skadet.png:1:1: feil: bildet er skadet"),
        "{said}"
    );
}

#[test]
fn an_image_the_text_never_shows_is_a_warning() {
    let fixture = Fixture::new("minimal");
    put(&fixture, "glemt.png", &png(10, 10));
    let problems = fixture.problems();
    let d = find(&problems, "bildet «glemt.png» brukes ikke i teksten");
    assert!(!d.is_error());
    assert!(help(d).contains("![Hva bildet viser](glemt.png)"), "{d:?}");
    assert!(fixture.errors().is_empty());
}

#[test]
fn a_folder_without_its_record_is_reported() {
    let fixture = Fixture::new("minimal");
    let at = "content/nettverk/digi-agder/erfaringer/digital-sosialhjep/bilde.png";
    fixture.write(at, "");
    let problems = fixture.errors();
    let d = find(
        &problems,
        "mappen «digital-sosialhjep» hører ikke til noen post",
    );
    assert_eq!(d.file, Path::new(at));
    assert!(help(d).contains("«digital-sosialhjep.md»"), "{d:?}");
}

#[test]
fn an_image_loose_in_a_kind_folder_is_misplaced() {
    let fixture = Fixture::new("minimal");
    let at = "content/nettverk/digi-agder/erfaringer/bilde.png";
    std::fs::write(fixture.root().join(at), png(10, 10)).unwrap();
    let problems = fixture.errors();
    let d = find(&problems, "bilder og dokumenter ligger i mappen til posten");
    assert_eq!(d.file, Path::new(at));
}

#[test]
fn a_file_name_that_cannot_be_an_address_gets_a_better_one() {
    let fixture = Fixture::new("minimal");
    put(&fixture, "Skjermbilde 2025 kl. 10.png", &png(10, 10));
    let problems = fixture.errors();
    let d = find(
        &problems,
        "filnavnet «Skjermbilde 2025 kl. 10.png» kan ikke brukes i en nettadresse",
    );
    assert!(
        help(d).starts_with("gi filen navnet «skjermbilde-2025-kl-10.png»"),
        "{d:?}"
    );
}

#[test]
fn an_image_from_another_site_is_refused() {
    let fixture = Fixture::new("minimal");
    show(&fixture, "![Kart](https://example.com/kart.png)");
    let problems = fixture.errors();
    let d = find(
        &problems,
        "bildet «https://example.com/kart.png» ligger på et annet nettsted",
    );
    assert_eq!(d.pos.line, line_of(&fixture, "![Kart]"));
}

#[test]
fn an_image_path_out_of_the_record_folder_is_refused() {
    let fixture = Fixture::new("minimal");
    put(&fixture, "kart.png", &png(10, 10));
    show(
        &fixture,
        "![Kart](../../../../../config.toml)\n\n![Kart over Agder](kart.png)",
    );
    let problems = fixture.errors();
    let d = find(
        &problems,
        "«../../../../../config.toml» peker ut av postens egen mappe",
    );
    assert!(help(d).contains("(config.toml)"), "{d:?}");
}

#[test]
fn a_symlinked_image_is_reported_and_never_published() {
    let fixture = Fixture::new("minimal");
    let secret = fixture.root().parent().unwrap().join("hemmelig.png");
    std::fs::write(&secret, png(10, 10)).unwrap();
    std::fs::create_dir_all(fixture.root().join(FOLDER)).unwrap();
    std::os::unix::fs::symlink(&secret, fixture.root().join(FOLDER).join("kart.png")).unwrap();
    show(&fixture, "![Kart over Agder](kart.png)");
    let problems = fixture.errors();
    find(&problems, "symbolske lenker leses ikke");
    find(&problems, "filen «kart.png» finnes ikke");
    let compiled = fixture.compile_with(&Default::default());
    assert!(compiled.files.is_none());
}

#[test]
fn images_are_published_in_widths_with_srcset_never_upscaled_and_hashed() {
    let fixture = Fixture::new("minimal");
    put(&fixture, "stort.png", &png(2000, 1000));
    put(&fixture, "lite.png", &png(300, 200));
    show(
        &fixture,
        "![Et stort bilde av søknaden](stort.png \"Søknaden på skjerm\")\n\nTekst med ![et lite ikon](lite.png) inni.",
    );
    let files = fixture.build();
    let html = text(&files, &format!("{PAGE}index.html"));
    let names: Vec<&str> = files
        .paths()
        .filter(|p| p.starts_with(PAGE) && p.ends_with(".png"))
        .collect();
    let hashed = |name: &str, width: u32| {
        names
            .iter()
            .find(|p| {
                let file = p.rsplit('/').next().unwrap();
                let rest = file.strip_prefix(&format!("{name}-{width}.")).unwrap_or("");
                rest.len() == "0123456789.png".len() && rest.ends_with(".png")
            })
            .copied()
    };
    for width in [480, 960, 1600] {
        let path = hashed("stort", width).unwrap_or_else(|| panic!("{width}: {names:?}"));
        assert!(html.contains(&format!("/deling/{path} {width}w")), "{html}");
        let published = image::load_from_memory(files.get(path).unwrap()).unwrap();
        assert_eq!(published.width(), width);
    }
    assert!(hashed("stort", 2000).is_none(), "{names:?}");
    assert!(
        hashed("lite", 300).is_some() && hashed("lite", 480).is_none(),
        "{names:?}"
    );
    assert!(
        html.contains("<figure class=\"figure\"><img src=")
            && html.contains("width=\"1600\" height=\"800\" alt=\"Et stort bilde av søknaden\" loading=\"lazy\" decoding=\"async\"><figcaption>Søknaden på skjerm</figcaption></figure>"),
        "{html}"
    );
    assert!(!html.contains("<p><figure"), "{html}");
}

#[test]
fn published_images_lose_their_metadata_and_stand_upright() {
    let fixture = Fixture::new("minimal");
    put(&fixture, "foto.jpg", &jpeg_with_exif(60, 30));
    show(&fixture, "![Et rødt foto](foto.jpg)");
    let files = fixture.build();
    let (path, bytes) = files
        .iter()
        .find(|(p, _)| p.starts_with(PAGE) && p.ends_with(".jpg"))
        .expect("the photo is published");
    let needle = b"GPS-HEMMELIG";
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
    assert!(!bytes.windows(4).any(|w| w == b"Exif"), "{path}");
    let published = image::load_from_memory(bytes).unwrap();
    assert_eq!((published.width(), published.height()), (30, 60));
    let html = text(&files, &format!("{PAGE}index.html"));
    assert!(html.contains("width=\"30\" height=\"60\""), "{html}");
}

#[test]
fn two_builds_publish_identical_image_bytes() {
    let fixture = Fixture::new("minimal");
    put(&fixture, "stort.png", &png(1200, 700));
    put(&fixture, "foto.jpg", &jpeg_with_exif(500, 300));
    show(
        &fixture,
        "![Et mønster](stort.png)\n\n![Et rødt foto](foto.jpg)",
    );
    // Two processes, so the in-memory cache of encoded images cannot make them equal.
    let read_all = |dir: &str| {
        let run = fixture.run(&["build", "--output", dir]);
        assert_eq!(run.status.code(), Some(0), "{run:?}");
        let folder = fixture.root().join(dir).join(PAGE);
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap())
            // The images, not the record's page and feed.
            .filter(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                !name.ends_with(".html") && !name.ends_with(".xml")
            })
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let first = read_all("ut1");
    assert_eq!(
        first.len(),
        4,
        "{:?}",
        first.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert_eq!(first, read_all("ut2"));
}

#[test]
fn documents_are_published_as_they_are_and_listed_with_type_and_size() {
    let fixture = Fixture::new("minimal");
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(1_234_567, b' ');
    put(&fixture, "rapport.pdf", &pdf);
    show(&fixture, "Les [rapporten](rapport.pdf).");
    let files = fixture.build();
    let html = text(&files, &format!("{PAGE}index.html"));
    let (path, bytes) = files
        .iter()
        .find(|(p, _)| p.starts_with(&format!("{PAGE}rapport.")) && p.ends_with(".pdf"))
        .expect("the PDF is published");
    assert_eq!(bytes, pdf.as_slice());
    assert!(
        html.contains(&format!("<a href=\"/deling/{path}\">rapporten</a>")),
        "{html}"
    );
    assert!(
        html.contains(&format!("<a href=\"/deling/{path}\">rapport.pdf</a> <span class=\"documents__meta\">(PDF, 1,2 MB)</span>")),
        "{html}"
    );
    assert!(html.contains("<h2>Dokumenter</h2>"), "{html}");
}
