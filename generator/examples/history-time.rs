//! How long reading a site's Git history takes: `cargo run --release --example history-time -- <root>`.
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let started = std::time::Instant::now();
    let history = deling::history::History::read(&root);
    println!(
        "{:?} in {:.2} s",
        history.availability,
        started.elapsed().as_secs_f64()
    );
}
