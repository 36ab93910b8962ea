//! Builds the browser search engine (`search-index/web`, for wasm32) so `deling` can embed it:
//! `cargo run -- serve` on a fresh checkout then needs nothing else. The wasm32 target is added
//! with rustup when it is missing. The engine is built in its own target folder, with the
//! outer build's flags cleared, so it never fights this build for a lock or inherits its flags.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

const TARGET: &str = "wasm32-unknown-unknown";

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let workspace = manifest_dir
        .parent()
        .expect("generator/ sits in the workspace")
        .to_path_buf();
    for watched in [
        "search-index/src",
        "search-index/web/src",
        "search-index/Cargo.toml",
        "search-index/web/Cargo.toml",
        "Cargo.lock",
        // The `wasm` profile (and its bitpacking setting) and the vendored tantivy shape the
        // engine too.
        "Cargo.toml",
        "vendor/tantivy",
        ".cargo/config.toml",
    ] {
        println!(
            "cargo:rerun-if-changed={}",
            workspace.join(watched).display()
        );
    }

    ensure_target();
    let target_dir = workspace.join("target").join("wasm-engine");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(&workspace)
        .args([
            "build",
            "--package",
            "search-web",
            "--target",
            TARGET,
            "--profile",
            "wasm",
            "--target-dir",
        ])
        .arg(&target_dir);
    // The engine is built as `search-web` alone would be, whatever this build was asked for:
    // flags, target folder and wrappers are this build's, and its profile is `wasm` in
    // Cargo.toml, whole (a profile setting from the environment, such as
    // `CARGO_PROFILE_RELEASE_DEBUG` for a profiling build of `deling`, would reach it through
    // `inherits` and change the engine's bytes).
    const THIS_BUILDS: [&str; 8] = [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_PRIMARY_PACKAGE",
    ];
    for (var, _) in std::env::vars_os() {
        let name = var.to_string_lossy();
        if THIS_BUILDS.contains(&name.as_ref()) || name.starts_with("CARGO_PROFILE_") {
            command.env_remove(&var);
        }
    }
    let status = command
        .status()
        .expect("could not run cargo to build the search engine");
    assert!(
        status.success(),
        "building the browser search engine (search-index/web for {TARGET}) failed; see the output above"
    );
    let wasm = target_dir.join(TARGET).join("wasm").join("search_web.wasm");
    let wasm = std::fs::read(&wasm).expect("the search engine was just built");
    let shipped =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("motor.wasm.xz");
    std::fs::write(&shipped, xz(&wasm)).expect("OUT_DIR is writable");
    println!("cargo:rustc-env=DELING_SEARCH_ENGINE={}", shipped.display());
}

/// The engine as the site ships it. xz takes a quarter off gzip's size, the most of any format a
/// small decoder in the page can read (`themes/default/static/js/xz-decompress.js`): on a
/// slow phone connection that is half a second before the first search. The check is CRC32,
/// which that decoder always reads, and the dictionary the engine's size (liblzma rounds it up
/// to at most 1.5 times that), as the decoder allocates the size the header names (preset 9
/// names 64 MiB).
fn xz(wasm: &[u8]) -> Vec<u8> {
    use liblzma::stream::{Check, Filters, LzmaOptions, Stream};
    let mut options =
        LzmaOptions::new_preset(9 | liblzma::stream::PRESET_EXTREME).expect("a preset");
    options.dict_size(
        u32::try_from(wasm.len())
            .expect("an engine under 4 GiB")
            .max(4096),
    );
    let mut filters = Filters::new();
    filters.lzma2(&options);
    let stream = Stream::new_stream_encoder(&filters, Check::Crc32).expect("an xz encoder");
    let mut encoder = liblzma::write::XzEncoder::new_stream(Vec::new(), stream);
    encoder.write_all(wasm).expect("compressing in memory");
    encoder.finish().expect("compressing in memory")
}

/// Adds the wasm32 target with rustup if this toolchain lacks it.
fn ensure_target() {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    match installed {
        Ok(out)
            if String::from_utf8_lossy(&out.stdout)
                .lines()
                .any(|l| l.trim() == TARGET) => {}
        Ok(_) => {
            let status = Command::new("rustup")
                .args(["target", "add", TARGET])
                .status()
                .expect("rustup runs");
            assert!(
                status.success(),
                "could not add the {TARGET} target; run `rustup target add {TARGET}`"
            );
        }
        // No rustup: assume the toolchain was provisioned with the target (the build fails clearly if not).
        Err(_) => {
            println!("cargo:warning=rustup not found; assuming the {TARGET} target is installed")
        }
    }
}
