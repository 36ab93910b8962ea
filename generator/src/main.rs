//! The `deling` command line. Parses arguments, runs one subcommand, and is the one place that
//! prints problems and chooses the exit code (0 success, 1 problems in the content or a failure).

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

use deling::commands::{self, Compiled, build::BuildOptions, new::NewRecord};
use deling::output::{Foreign, Refused};

// Rendering allocates many small strings on every thread; mimalloc makes a 10,000-record build
// markedly faster than the system allocator (see generator/bench/build.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use deling::content::RecordKind;
use deling::diagnostics::report;
use deling::render::RenderOptions;
use search_index::Filter;

#[derive(Parser)]
#[command(
    name = "deling",
    version,
    about = "Bygger Deling-nettstedet fra content/ (erfaringer, regelverkshindringer og prosjekter)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Bygg nettstedet til en mappe (standard: public/).
    Build(BuildArgs),
    /// Sjekk alt innhold og skriv ut alle problemer, uten å bygge.
    Check(CheckArgs),
    /// Vis hva en endring gjør med innholdet, post for post, som Markdown.
    Diff(DiffArgs),
    /// Skriv .github/CODEOWNERS fra `reviewers` i nettverkene og config.toml.
    Codeowners(CodeownersArgs),
    /// Lag en ny post med alle påkrevde felt.
    New(NewArgs),
    /// Lag en post fra et utfylt skjema i en GitHub-sak (teksten i saken), eller si hva som må rettes i skjemaet.
    ImportIssue(ImportIssueArgs),
    /// Bygg nettstedet og vis det på http://127.0.0.1:<port>/.
    Serve(ServeArgs),
    /// Søk i søkeindeksen som «deling build» skrev (samme motor som i nettleseren).
    Search(SearchArgs),
    /// Mål søkekvaliteten (nDCG@10 og recall@10) mot vurderte spørringer.
    Relevance(RelevanceArgs),
    /// Verktøy for utviklere av Deling.
    #[command(subcommand, hide = true)]
    Dev(DevCommand),
}

// Each subcommand's arguments. The help texts are the variants' doc comments above; these
// structs carry none, so clap takes the command's description from one place.

#[derive(Args)]
struct BuildArgs {
    /// Mappen med config.toml og content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Hvor nettstedet skrives (standard: <root>/public).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Overstyr base_url fra config.toml, f.eks. https://ks-no.github.io/deling/.
    #[arg(long)]
    base_url: Option<String>,
    /// Ta med poster merket draft = true.
    #[arg(long)]
    drafts: bool,
    /// Skriv ut hvor lang tid hver fase tok.
    #[arg(long)]
    timings: bool,
    /// Forhåndsvisning av en endring: list postene som er nye, endret eller fjernet siden
    /// denne Git-revisjonen øverst på hver side.
    #[arg(long, value_name = "REVISJON")]
    preview_of: Option<String>,
}

#[derive(Args)]
struct CheckArgs {
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// «text» for mennesker, «github» for merknader i pull requests på GitHub.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Args)]
struct DiffArgs {
    /// Revisjonen det sammenlignes med, f.eks. origin/main.
    base: String,
    /// Revisjonen som sammenlignes, f.eks. HEAD.
    head: String,
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Args)]
struct CodeownersArgs {
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Args)]
struct NewArgs {
    /// praksis (erfaring), hindring (regelverkshindring) eller prosjekt.
    kind: KindArg,
    /// Tittelen på posten.
    title: String,
    /// Nettverket posten hører til (mappenavnet), eller «nasjonalt».
    #[arg(long)]
    network: String,
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Args)]
struct ImportIssueArgs {
    /// praksis, hindring eller prosjekt (standard: ut fra feltene i skjemaet).
    #[arg(long)]
    kind: Option<KindArg>,
    /// Filen med teksten i saken, eller «-» for standard inn.
    #[arg(long, default_value = "-")]
    body: PathBuf,
    /// Saksnummeret: en post laget fra samme sak kan erstattes når saken redigeres.
    #[arg(long)]
    issue: Option<u64>,
    /// GitHub-brukeren som skrev saken (tas med i --json, for å kreditere forfatteren).
    #[arg(long)]
    author: Option<String>,
    /// Publiseringsdatoen (standard: i dag), som 2025-03-14 eller 14.03.2025.
    #[arg(long)]
    date: Option<String>,
    /// Skriv resultatet som JSON (fil og problemer med felt, melding og hjelp).
    #[arg(long)]
    json: bool,
    /// Mappen der arbeidsflyten lastet ned filene fra skjemaet, med listen vedlegg.tsv.
    #[arg(long)]
    attachments: Option<PathBuf>,
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Args)]
struct ServeArgs {
    #[arg(long, default_value = ".")]
    root: PathBuf,
    #[arg(long, default_value_t = 1111)]
    port: u16,
    #[arg(long)]
    drafts: bool,
    /// Se etter endringer hvert halve sekund (for nettverksdisker som ikke melder fra).
    #[arg(long)]
    poll: bool,
}

#[derive(Args)]
struct SearchArgs {
    /// Det du søker etter.
    query: String,
    /// Bare denne typen: practice, barrier eller project.
    #[arg(long = "type")]
    kind: Vec<String>,
    /// Bare poster fra dette nettverket (mappenavnet, f.eks. digi-vestland).
    #[arg(long)]
    network: Vec<String>,
    /// Bare dette tjenesteområdet (id).
    #[arg(long)]
    service_area: Vec<String>,
    /// Bare denne fellesløsningen (id).
    #[arg(long)]
    solution: Vec<String>,
    /// Bare poster om denne kommunen (kommunenummer).
    #[arg(long)]
    municipality: Vec<String>,
    /// Bare denne statusen.
    #[arg(long)]
    status: Vec<String>,
    /// Bare poster med dette emneordet (slik det står i adressen, f.eks. arkiv).
    #[arg(long)]
    tag: Vec<String>,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Én JSON-linje per treff (id, url, title, score, …).
    #[arg(long)]
    json: bool,
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Det bygde nettstedet (standard: <root>/public).
    #[arg(long)]
    site: Option<PathBuf>,
}

#[derive(Args)]
struct RelevanceArgs {
    /// Vurderte spørringer, én JSON-linje hver.
    #[arg(long, default_value = "search-index/relevance/queries.jsonl")]
    queries: PathBuf,
    /// Feil (exit 1) hvis snittet av nDCG@10 er lavere enn dette.
    #[arg(long)]
    min_ndcg: Option<f64>,
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Tools for developers of Deling itself, not for contributors.
#[derive(Subcommand)]
enum DevCommand {
    /// Write a synthetic site of N records (for benchmarks), from a real site's reference data.
    Synth(SynthArgs),
}

#[derive(Args)]
struct SynthArgs {
    #[arg(long, default_value_t = 10_000)]
    records: usize,
    #[arg(long)]
    out: PathBuf,
    /// The real site to take reference data, networks and theme from.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Also write the same records as a Hugo site in this folder.
    #[arg(long)]
    hugo: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Github,
}

/// The kind of record, as contributors say it: singular or plural, and the folder's name.
#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    #[value(aliases = ["erfaring", "erfaringer", "praksiser", "practice"])]
    Praksis,
    #[value(aliases = ["hindringer", "regelverkshindring", "regelverkshindringer", "barrier"])]
    Hindring,
    #[value(aliases = ["prosjekter", "project"])]
    Prosjekt,
}

impl From<KindArg> for RecordKind {
    fn from(kind: KindArg) -> RecordKind {
        match kind {
            KindArg::Praksis => RecordKind::Practice,
            KindArg::Hindring => RecordKind::Barrier,
            KindArg::Prosjekt => RecordKind::Project,
        }
    }
}

fn main() -> ExitCode {
    avoid_huge_pages();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("feil: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Turns transparent huge pages off for this process (what `MIMALLOC_ALLOW_THP=0` does). Where
/// the kernel backs every allocation with huge pages (`always`, as on the machine this project
/// is built on), a build's phases free hundreds of megabytes that mimalloc hands back to the
/// kernel a second later, and the next phase's allocations fault them in again as 2 MiB pages
/// that the kernel zeroes whole: at 100,000 records, about 4 s of system time a build.
#[cfg(target_os = "linux")]
fn avoid_huge_pages() {
    // Only speed is at stake: a kernel that refuses keeps its own setting.
    let _ = nix::sys::prctl::set_thp_disable(true);
}

#[cfg(not(target_os = "linux"))]
fn avoid_huge_pages() {}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build(args) => args.run(),
        Command::Check(args) => args.run(),
        Command::Diff(args) => args.run(),
        Command::Codeowners(args) => args.run(),
        Command::New(args) => args.run(),
        Command::ImportIssue(args) => args.run(),
        Command::Search(args) => args.run(),
        Command::Relevance(args) => args.run(),
        Command::Dev(DevCommand::Synth(args)) => args.run(),
        Command::Serve(args) => args.run(),
    }
}

impl BuildArgs {
    fn run(self) -> Result<ExitCode> {
        let mut options = BuildOptions {
            output: self.output.unwrap_or_else(|| self.root.join("public")),
            root: self.root,
            render: RenderOptions {
                base_url: self.base_url,
                drafts: self.drafts,
                timings: self.timings,
                preview_of: self.preview_of,
                ..Default::default()
            },
            foreign: Foreign::Refuse,
        };
        let started = std::time::Instant::now();
        let waiting = || {
            eprintln!(
                "Venter på at en annen bygging til {} blir ferdig …",
                options.output.display()
            )
        };
        let compiled = match commands::build::run(&options, waiting) {
            Err(error) if may_replace_foreign(&error) => {
                options.foreign = Foreign::Replace;
                commands::build::run(&options, || {})?
            }
            result => result?,
        };
        Ok(finish(&compiled, |files| {
            eprintln!(
                "Bygget {} poster til {} filer ({:.1} MB) i {} på {:.2} s.",
                compiled.records,
                files.files,
                files.bytes as f64 / 1e6,
                options.output.display(),
                started.elapsed().as_secs_f64()
            );
        }))
    }
}

impl CheckArgs {
    fn run(self) -> Result<ExitCode> {
        let compiled = commands::check::run(&self.root)?;
        if self.format == Format::Github {
            print!(
                "{}",
                deling::diagnostics::github_annotations(&compiled.diagnostics)
            );
            let errors = compiled.diagnostics.iter().filter(|d| d.is_error()).count();
            return Ok(if errors > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            });
        }
        Ok(finish(&compiled, |_| {
            eprintln!("Alt innhold er i orden ({} poster).", compiled.records)
        }))
    }
}

impl DiffArgs {
    fn run(self) -> Result<ExitCode> {
        print!(
            "{}",
            commands::diff::run(&self.root, &self.base, &self.head)?
        );
        Ok(ExitCode::SUCCESS)
    }
}

impl CodeownersArgs {
    fn run(self) -> Result<ExitCode> {
        use deling::codeowners::{CODEOWNERS, Outcome};
        match deling::codeowners::run(&self.root)? {
            Outcome::Written { networks } => {
                eprintln!("Skrev {CODEOWNERS} for {networks} nettverk.");
                Ok(ExitCode::SUCCESS)
            }
            Outcome::Failed { problems } => {
                print!("{}", report(&problems));
                eprintln!("Ingenting ble skrevet: rett feilene over og prøv igjen.");
                Ok(ExitCode::FAILURE)
            }
        }
    }
}

impl NewArgs {
    fn run(self) -> Result<ExitCode> {
        let today = chrono::Local::now().date_naive();
        let path = commands::new::run(&NewRecord {
            root: self.root,
            kind: self.kind.into(),
            title: self.title,
            network: self.network,
            today,
        })?;
        println!("{}", path.display());
        eprintln!("Fyll ut feltene i filen, og kjør «deling check» for å se hva som gjenstår.");
        Ok(ExitCode::SUCCESS)
    }
}

impl SearchArgs {
    fn run(self) -> Result<ExitCode> {
        if self.limit == 0 {
            anyhow::bail!("--limit må være minst 1 (og høyst 100)");
        }
        let site = self
            .site
            .clone()
            .unwrap_or_else(|| self.root.join("public"));
        let request = search_index::SearchRequest {
            filters: self.filters(),
            q: self.query,
            limit: self.limit,
            ..search_index::SearchRequest::default()
        };
        let response = commands::search::run_checked(&site, &request)?;
        print_hits(&response, self.json)?;
        Ok(ExitCode::SUCCESS)
    }

    /// The filters given, by their public names; a filter given no value is left out.
    fn filters(&self) -> std::collections::BTreeMap<String, Vec<String>> {
        Filter::ALL
            .into_iter()
            .map(|filter| (filter, self.values(filter)))
            .filter(|(_, values)| !values.is_empty())
            .map(|(filter, values)| (filter.name().to_string(), values.to_vec()))
            .collect()
    }

    fn values(&self, filter: Filter) -> &[String] {
        match filter {
            Filter::Type => &self.kind,
            Filter::Network => &self.network,
            Filter::ServiceArea => &self.service_area,
            Filter::Solution => &self.solution,
            Filter::Municipality => &self.municipality,
            Filter::Status => &self.status,
            Filter::Tag => &self.tag,
        }
    }
}

impl RelevanceArgs {
    fn run(self) -> Result<ExitCode> {
        use commands::search::{by_kind, mean};
        let judged = commands::search::read_queries(&self.queries)?;
        let scores = commands::search::relevance(&self.root, &judged)?;
        for s in &scores {
            println!("{:.3}  {:.3}  {}", s.ndcg, s.recall, s.query.q);
        }
        println!(
            "\n{:<28} {:>5}  {:>7}  {:>9}",
            "slag", "antall", "nDCG@10", "recall@10"
        );
        for (kind, of_kind) in by_kind(&scores) {
            println!(
                "{kind:<28} {:>5}  {:>7.3}  {:>9.3}",
                of_kind.len(),
                mean(&of_kind, |s| s.ndcg),
                mean(&of_kind, |s| s.recall)
            );
        }
        let ndcg = mean(&scores, |s| s.ndcg);
        let recall = mean(&scores, |s| s.recall);
        println!(
            "\nnDCG@10 {ndcg:.4}  recall@10 {recall:.4}  ({} spørringer)",
            scores.len()
        );
        match self.min_ndcg {
            Some(min) if ndcg < min => {
                eprintln!("nDCG@10 {ndcg:.4} er lavere enn grensen {min:.4}");
                Ok(ExitCode::FAILURE)
            }
            _ => Ok(ExitCode::SUCCESS),
        }
    }
}

impl SynthArgs {
    fn run(self) -> Result<ExitCode> {
        let written = commands::synth::run(&commands::synth::SynthOptions {
            from: self.root,
            out: self.out.clone(),
            records: self.records,
            hugo: self.hugo,
        })?;
        eprintln!(
            "Skrev {written} syntetiske poster til {}.",
            self.out.display()
        );
        Ok(ExitCode::SUCCESS)
    }
}

impl ServeArgs {
    fn run(self) -> Result<ExitCode> {
        let port = self.port;
        commands::serve::run(commands::serve::ServeOptions {
            root: self.root,
            port,
            poll: self.poll,
            render: RenderOptions {
                base_url: Some(format!("http://127.0.0.1:{port}/")),
                drafts: self.drafts,
                ..Default::default()
            },
        })?;
        Ok(ExitCode::SUCCESS)
    }
}

impl ImportIssueArgs {
    /// `deling import-issue`: the record's path on stdout (or JSON), problems in Norwegian;
    /// exit 1 when the form has problems to fix and nothing was written.
    fn run(self) -> Result<ExitCode> {
        let body = self.read_body()?;
        let published = match &self.date {
            Some(date) => deling::lookup::date(date)
                .map_err(|p| anyhow::anyhow!("--date: {}; {}", p.message, p.help))?,
            None => chrono::Local::now().date_naive(),
        };
        let imported = commands::import_issue::run(&commands::import_issue::ImportOptions {
            kind: self.kind.map(Into::into),
            body,
            root: self.root.clone(),
            issue: self.issue,
            published,
            attachments: self.attachments.clone(),
        })?;
        if self.json {
            #[derive(serde::Serialize)]
            struct Out<'a> {
                #[serde(flatten)]
                imported: &'a commands::import_issue::Imported,
                issue: Option<u64>,
                author: Option<String>,
            }
            let out = Out {
                imported: &imported,
                issue: self.issue,
                author: self.author,
            };
            println!("{}", serde_json::to_string_pretty(&out)?);
        } else {
            report_import(&imported);
        }
        Ok(if imported.file.is_some() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    }

    /// The issue's text, from the file or standard input.
    fn read_body(&self) -> Result<String> {
        use anyhow::Context;
        use std::io::Read;
        if self.body == std::path::Path::new("-") {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("kunne ikke lese saken fra standard inn")?;
            Ok(text)
        } else {
            std::fs::read_to_string(&self.body)
                .with_context(|| format!("kunne ikke lese {}", self.body.display()))
        }
    }
}

/// `import-issue` for a person: the file on stdout, the problems and what happened on stderr.
fn report_import(imported: &commands::import_issue::Imported) {
    if let Some(file) = &imported.file {
        println!("{}", file.display());
    }
    eprint!("{}", commands::import_issue::report(imported));
    match &imported.file {
        Some(_) if imported.replaced => {
            eprintln!("Posten fra saken er oppdatert, og den består «deling check».")
        }
        Some(_) => eprintln!("Posten er skrevet, og den består «deling check»."),
        None => eprintln!(
            "Ingenting ble skrevet: rediger saken, rett feltene over og lagre, så prøves det igjen."
        ),
    }
}

fn print_hits(response: &search_index::SearchResponse, json: bool) -> Result<()> {
    if json {
        // One object per hit, as before, each also saying how many records matched in all and
        // whether the query was loosened (no record had every word).
        #[derive(serde::Serialize)]
        struct Line<'a> {
            #[serde(flatten)]
            hit: &'a search_index::Hit,
            total: usize,
            relaxed: bool,
        }
        for hit in &response.hits {
            let line = Line {
                hit,
                total: response.total,
                relaxed: response.relaxed,
            };
            println!("{}", serde_json::to_string(&line)?);
        }
        return Ok(());
    }
    if response.hits.is_empty() {
        println!("Ingen treff.");
    }
    for (i, hit) in response.hits.iter().enumerate() {
        println!(
            "{:>2}. {} ({}, {})\n    {}\n    {}",
            i + 1,
            hit.title,
            hit.kind,
            hit.badge,
            hit.url,
            strip_marks(&hit.snippet)
        );
    }
    if response.relaxed {
        println!("\nIngen poster hadde alle ordene; viser poster med noen av dem.");
    }
    eprintln!("{} treff.", response.total);
    Ok(())
}

/// Snippets are HTML; the terminal shows plain text.
fn strip_marks(html: &str) -> String {
    deling::html::decode_entities(&html.replace("<mark>", "").replace("</mark>", ""))
}

fn print_problems<F>(compiled: &Compiled<F>) {
    for notice in &compiled.notices {
        eprintln!("Merk: {notice}.");
    }
    if !compiled.diagnostics.is_empty() {
        print!("{}", report(&compiled.diagnostics));
    }
}

/// Whether a person at a terminal agrees to replace an output folder with files `deling` did
/// not write (as Zola asks). In CI and scripts nobody can answer, and the build refuses.
fn may_replace_foreign(error: &anyhow::Error) -> bool {
    use std::io::IsTerminal;
    let Some(refused @ Refused::Foreign { .. }) = error.downcast_ref::<Refused>() else {
        return false;
    };
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return false;
    }
    eprintln!("{refused}.");
    eprint!("Slette alt som ligger der, og skrive nettstedet dit? Skriv «ja» for å slette: ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok() && answer.trim().eq_ignore_ascii_case("ja")
}

/// Prints every problem; exit 1 if any is an error, else runs `success`.
fn finish<F>(compiled: &Compiled<F>, success: impl FnOnce(&F)) -> ExitCode {
    print_problems(compiled);
    match &compiled.files {
        Some(files) => {
            success(files);
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("Ingenting ble skrevet: rett feilene over og prøv igjen.");
            ExitCode::FAILURE
        }
    }
}
