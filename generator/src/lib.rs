//! Deling's site generator: compiles a Git repository of Markdown records from Norway's regional
//! digitalisation networks into a static website.
//!
//! The pipeline runs in explicit phases, each a function from one type to the next:
//! [`content::load`] reads and type-checks every file into a [`content::LoadedSite`];
//! [`render::resolve()`] renders its Markdown and checks links into a [`render::ResolvedSite`],
//! only if nothing reported an error; [`render::render`] turns that into every output file, in
//! memory; [`output`] writes that to disk atomically, or `serve` keeps it in memory. Problems are
//! collected in [`diagnostics::Diagnostics`] along the way and reported together.

pub mod characters;
pub mod codeowners;
pub mod commands;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod files;
pub mod history;
pub mod html;
pub mod i18n;
pub mod lookup;
pub mod markdown;
pub mod media;
pub mod norwegian;
pub mod output;
pub mod paths;
pub mod reference;
pub mod render;
