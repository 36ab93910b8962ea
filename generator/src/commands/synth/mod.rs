//! `deling dev synth`: writes a synthetic site of N realistic records for benchmarks.
//!
//! Deterministic (a fixed-seed xorshift generator), so two runs give the same corpus and timings
//! compare like with like. Records use every type, every taxonomy and internal links with
//! anchors, in Norwegian-like text, so the build does the same work it does on real content.
//! Reference data, networks and the theme are copied from a real site root. With `--hugo`, the
//! same records are also written as a Hugo site (see `hugo.rs`), for the build benchmark.

use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::content::vocab::{BARRIER_STATUS, FUNDING, MATURITY, PHASE, PROJECT_STATUS, Vocabulary};
use crate::content::{ABOUT_DIR, CONTENT_DIR, NETWORKS_DIR, RecordKind};
use crate::reference::REFERENCE_DIR;
use hugo::{HugoTwin, TwinRecord};

mod hugo;

#[derive(Debug, Clone)]
pub struct SynthOptions {
    /// A real site to take reference data, networks, config and theme from.
    pub from: PathBuf,
    pub out: PathBuf,
    pub records: usize,
    /// Also write the same records as a Hugo site here, for the build benchmark.
    pub hugo: Option<PathBuf>,
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "kommunen",
    "tjenesten",
    "innbyggerne",
    "digital",
    "løsning",
    "samarbeid",
    "nettverket",
    "velferdsteknologi",
    "saksbehandling",
    "journal",
    "samtykke",
    "informasjonssikkerhet",
    "gevinst",
    "pilot",
    "opplæring",
    "ansatte",
    "helsestasjon",
    "barnevern",
    "sosialhjelp",
    "arkiv",
    "skytjeneste",
    "innlogging",
    "fagsystem",
    "integrasjon",
    "regelverk",
    "personvern",
    "risikovurdering",
    "beredskap",
    "planlegging",
    "byggesak",
    "eiendom",
    "bolig",
    "veiledning",
    "biblioteket",
    "servicetorget",
    "hjemmetjenesten",
    "tilsyn",
    "sensor",
    "medisindispenser",
    "prosjektet",
    "fylket",
    "region",
    "erfaring",
    "hindring",
    "departementet",
    "direktoratet",
    "KS",
    "NAV",
    "teneste",
    "løysing",
    "innbyggjarane",
    "eigedom",
    "bustad",
    "ikkje",
    "kommunane",
    "opplysningar",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let word = *rng.pick(WORDS);
        if i == 0 {
            let mut chars = word.chars();
            let first = chars.next().expect("non-empty word");
            s.extend(first.to_uppercase());
            s.push_str(chars.as_str());
        } else {
            s.push(' ');
            s.push_str(word);
        }
    }
    s.push('.');
    s
}

fn paragraph(rng: &mut Rng) -> String {
    (0..4 + rng.below(4))
        .map(|_| {
            let n = 6 + rng.below(10);
            sentence(rng, n)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn ids_in(path: &Path, key: &str) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("kunne ikke lese {}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix(&format!("{key} = \""))
                .map(|v| v.trim_end_matches('"').to_string())
        })
        .collect())
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn value(rng: &mut Rng, vocab: &Vocabulary) -> &'static str {
    rng.pick(vocab.terms).value
}

pub fn run(options: &SynthOptions) -> Result<usize> {
    let from = &options.from;
    let out = &options.out;
    if out.exists() {
        std::fs::remove_dir_all(out)
            .with_context(|| format!("kunne ikke tømme {}", out.display()))?;
    }
    copy_tree(&from.join("themes"), &out.join("themes"))?;
    copy_tree(&from.join(REFERENCE_DIR), &out.join(REFERENCE_DIR))?;
    // The pages about the site (accessibility statement, privacy) come along as they are.
    let about = Path::new(CONTENT_DIR).join(ABOUT_DIR);
    if from.join(&about).is_dir() {
        copy_tree(&from.join(&about), &out.join(&about))?;
    }
    std::fs::copy(from.join("config.toml"), out.join("config.toml"))?;

    let reference = from.join(REFERENCE_DIR);
    let areas = ids_in(&reference.join("tjenesteomrader.toml"), "id")?;
    let solutions = ids_in(&reference.join("losninger.toml"), "id")?;
    let ministries = ids_in(&reference.join("departementer.toml"), "id")?;
    let municipalities: Vec<String> = std::fs::read_to_string(reference.join("kommuner.csv"))?
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next().map(str::to_string))
        .collect();
    let mut networks = Vec::new();
    for entry in std::fs::read_dir(from.join(CONTENT_DIR).join(NETWORKS_DIR))? {
        let entry = entry?;
        if entry.path().join("index.md").is_file() {
            networks.push(entry.file_name().to_string_lossy().into_owned());
            let target = out
                .join(CONTENT_DIR)
                .join(NETWORKS_DIR)
                .join(entry.file_name());
            std::fs::create_dir_all(&target)?;
            std::fs::copy(entry.path().join("index.md"), target.join("index.md"))?;
        }
    }
    networks.sort();
    let tags: Vec<String> = (0..300)
        .map(|i| format!("{} {i}", WORDS[i % WORDS.len()].to_lowercase()))
        .collect();

    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let place = |i: usize| -> (RecordKind, String, String) {
        let kind = RecordKind::ALL[i % 3];
        let network = &networks[(i / 3) % networks.len()];
        (kind, network.clone(), format!("post-{i:05}"))
    };
    let theme = from.join("themes").join("default");
    let mut hugo = match &options.hugo {
        Some(dir) => Some(HugoTwin::new(dir, &theme)?),
        None => None,
    };
    for i in 0..options.records {
        let (kind, network, slug) = place(i);
        let nn = rng.below(5) == 0;
        let mut text = String::from("+++\n");
        let title = {
            let n = 4 + rng.below(5);
            sentence(&mut rng, n)
        };
        let title = title.trim_end_matches('.').to_string();
        let _ = writeln!(text, "title = \"{title}\"");
        let summary = sentence(&mut rng, 20);
        let _ = writeln!(text, "summary = \"{summary}\"");
        if nn {
            text.push_str("language = \"nn\"\n");
        }
        let (y, m, d) = (2019 + rng.below(7), 1 + rng.below(12), 1 + rng.below(28));
        let date = format!("{y}-{m:02}-{d:02}");
        let _ = writeln!(text, "published = {date}");
        let picks = |rng: &mut Rng, from: &[String], n: usize| -> Vec<String> {
            let mut v: Vec<String> = (0..n).map(|_| rng.pick(from).clone()).collect();
            v.sort();
            v.dedup();
            v
        };
        let n = 1 + rng.below(2);
        let record_areas = picks(&mut rng, &areas, n);
        let n = rng.below(3);
        let record_solutions = picks(&mut rng, &solutions, n);
        let n = 1 + rng.below(4);
        let record_municipalities = picks(&mut rng, &municipalities, n);
        let n = 1 + rng.below(4);
        let record_tags = picks(&mut rng, &tags, n);
        let taxonomies = [
            ("service_areas", &record_areas),
            ("solutions", &record_solutions),
            ("municipalities", &record_municipalities),
            ("tags", &record_tags),
        ];
        for (name, values) in taxonomies {
            let _ = writeln!(text, "{name} = [{}]", quoted(values));
        }
        text.push_str("contact = \"Rådgiver digitalisering\"\n");
        // The record's other texts, which both sites show as sections before the body.
        let mut sections: Vec<(&str, String)> = Vec::new();
        let badge: &str;
        match kind {
            RecordKind::Practice => {
                let problem = paragraph(&mut rng);
                let _ = writeln!(text, "problem = \"\"\"\n{problem}\n\"\"\"");
                badge = value(&mut rng, &MATURITY);
                let _ = writeln!(text, "maturity = \"{badge}\"");
                let results = paragraph(&mut rng);
                let _ = writeln!(text, "results = \"\"\"\n{results}\n\"\"\"");
                let lessons = paragraph(&mut rng);
                let _ = writeln!(text, "lessons = \"\"\"\n{lessons}\n\"\"\"");
                sections.extend([
                    ("Utfordringen", problem),
                    ("Resultater", results),
                    ("Erfaringer", lessons),
                ]);
            }
            RecordKind::Barrier => {
                badge = value(&mut rng, &BARRIER_STATUS);
                let _ = writeln!(text, "ministry = \"{}\"", rng.pick(&ministries));
                let consequence = sentence(&mut rng, 15);
                let _ = writeln!(text, "consequence = \"{consequence}\"");
                let proposal = sentence(&mut rng, 15);
                let _ = writeln!(text, "proposed_change = \"{proposal}\"");
                text.push_str("reported_by = \"Kommunalsjef\"\n");
                let _ = writeln!(text, "status = \"{badge}\"");
                text.push_str("\n[[legal_references]]\nlaw = \"Forvaltningsloven\"\nsection = \"§ 13\"\nurl = \"https://lovdata.no/lov/1967-02-10/§13\"\n");
                let _ = writeln!(
                    text,
                    "\n[[status_log]]\ndate = {date}\nstatus = \"{badge}\""
                );
                sections.extend([
                    ("Konsekvens", consequence),
                    ("Forslag til endring", proposal),
                ]);
            }
            RecordKind::Project => {
                let purpose = sentence(&mut rng, 15);
                let _ = writeln!(text, "purpose = \"{purpose}\"");
                badge = value(&mut rng, &PHASE);
                let _ = writeln!(text, "phase = \"{badge}\"");
                let _ = writeln!(text, "status = \"{}\"", value(&mut rng, &PROJECT_STATUS));
                text.push_str("owner = \"KS\"\nparticipants = [\"Kommune A\", \"Kommune B\"]\n");
                let _ = writeln!(text, "funding = [\"{}\"]", value(&mut rng, &FUNDING));
                let _ = writeln!(text, "start = {date}");
                sections.push(("Formål", purpose));
            }
        }
        text.push_str("+++\n\n");
        let mut body = String::new();
        for section in ["Bakgrunn", "Gjennomføring", "Resultat"] {
            let _ = writeln!(body, "## {section}\n\n{}\n", paragraph(&mut rng));
            if section == "Gjennomføring" {
                body.push_str("| Steg | Ansvar |\n|---|---|\n| Kartlegging | Kommunen |\n| Innføring | Nettverket |\n\n");
                body.push_str("- Første steg\n- Andre steg\n\n");
            }
        }
        text.push_str(&body);
        let link = (i > 0).then(|| place(rng.below(i)));
        if let Some((target_kind, target_network, target_slug)) = &link {
            let _ = writeln!(
                text,
                "Se også [en beslektet post](@/{NETWORKS_DIR}/{target_network}/{}/{target_slug}.md#bakgrunn).",
                target_kind.folder()
            );
        }
        let path = out
            .join(CONTENT_DIR)
            .join(NETWORKS_DIR)
            .join(&network)
            .join(kind.folder())
            .join(format!("{slug}.md"));
        std::fs::create_dir_all(path.parent().expect("has parent"))?;
        std::fs::write(&path, text)?;
        if let Some(hugo) = &mut hugo {
            hugo.record(&TwinRecord {
                kind,
                slug: &slug,
                title: &title,
                summary: &summary,
                date: &date,
                badge,
                network: &network,
                taxonomies: &taxonomies,
                sections: &sections,
                body: &body,
                link: link.as_ref().map(|(k, _, s)| (*k, s.as_str())),
            })?;
        }
    }
    // The generated networks own their folders, as on a real site, so `check` passes.
    let config = crate::config::Config::load(out)?;
    let diagnostics = crate::diagnostics::Diagnostics::new();
    let loaded = crate::content::load(out, config, &diagnostics)?;
    crate::codeowners::write(&loaded)?;
    Ok(options.records)
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry?;
        let target = to.join(entry.path().strip_prefix(from).expect("below from"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("kunne ikke kopiere {}", entry.path().display()))?;
        }
    }
    Ok(())
}
