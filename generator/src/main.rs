//! The `deling` command line. Parses arguments, runs one subcommand, and is the one place that
//! prints problems and chooses the exit code (0 success, 1 problems in the content or a failure).

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

use deling::commands::{self, Compiled, build::BuildOptions, new::NewRecord};
use deling::content::RecordKind;
use deling::diagnostics::report;
use deling::render::RenderOptions;

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
    Build {
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
    },
    /// Sjekk alt innhold og skriv ut alle problemer, uten å bygge.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Lag en ny post med alle påkrevde felt.
    New {
        /// praksis (erfaring), hindring (regelverkshindring) eller prosjekt.
        kind: KindArg,
        /// Tittelen på posten.
        title: String,
        /// Nettverket posten hører til (mappenavnet), eller «nasjonalt».
        #[arg(long)]
        network: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Bygg nettstedet og vis det på http://127.0.0.1:<port>/.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[arg(long)]
        drafts: bool,
    },
    /// Verktøy for utviklere av Deling.
    #[command(subcommand, hide = true)]
    Dev(DevCommand),
}

/// Tools for developers of Deling itself, not for contributors.
#[derive(Subcommand)]
enum DevCommand {
    /// Write a synthetic site of N records (for benchmarks), from a real site's reference data.
    Synth {
        #[arg(long, default_value_t = 10_000)]
        records: usize,
        #[arg(long)]
        out: PathBuf,
        /// The real site to take reference data, networks and theme from.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Praksis,
    Hindring,
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
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("feil: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => {
            let options = BuildOptions {
                output: output.unwrap_or_else(|| root.join("public")),
                root,
                render: RenderOptions { base_url, drafts },
            };
            let started = std::time::Instant::now();
            let compiled = commands::build::run(&options)?;
            Ok(finish(&compiled, |files| {
                eprintln!(
                    "Bygget {} poster til {} filer ({:.1} MB) i {} på {:.2} s.",
                    compiled.records,
                    files.len(),
                    files.total_bytes() as f64 / 1e6,
                    options.output.display(),
                    started.elapsed().as_secs_f64()
                );
            }))
        }
        Command::Check { root } => {
            let compiled = commands::check::run(&root)?;
            Ok(finish(&compiled, |_| {
                eprintln!("Alt innhold er i orden ({} poster).", compiled.records)
            }))
        }
        Command::New {
            kind,
            title,
            network,
            root,
        } => {
            let today = chrono::Local::now().date_naive();
            let path = commands::new::run(&NewRecord {
                root,
                kind: kind.into(),
                title,
                network,
                today,
            })?;
            println!("{}", path.display());
            eprintln!("Fyll ut feltene i filen, og kjør «deling check» for å se hva som gjenstår.");
            Ok(ExitCode::SUCCESS)
        }
        Command::Dev(DevCommand::Synth { records, out, root }) => {
            let written = commands::synth::run(&commands::synth::SynthOptions {
                from: root,
                out: out.clone(),
                records,
            })?;
            eprintln!("Skrev {written} syntetiske poster til {}.", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { root, port, drafts } => {
            let options = RenderOptions {
                base_url: Some(format!("http://127.0.0.1:{port}/")),
                drafts,
            };
            let compiled = commands::compile(&root, &options)?;
            let Some(files) = compiled.files.clone() else {
                return Ok(finish(&compiled, |_| {}));
            };
            print_problems(&compiled);
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(commands::serve::serve(files, port))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_problems(compiled: &Compiled) {
    if !compiled.diagnostics.is_empty() {
        print!("{}", report(&compiled.diagnostics));
    }
}

/// Prints every problem; exit 1 if any is an error, else runs `success`.
fn finish(compiled: &Compiled, success: impl FnOnce(&deling::output::SiteFiles)) -> ExitCode {
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
