//! The one integration-test binary. Each module tests one capability against fixture sites
//! built into temporary folders; see `harness` for how.

mod harness;

mod architecture;
mod build;
mod check;
mod history;
mod hostile;
mod import_issue;
mod injection;
mod markdown;
mod media;
mod new;
mod record_page;
mod register;
mod reliability;
mod search;
mod serve;
mod terms;
