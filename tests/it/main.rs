//! The one integration-test binary: end-to-end tests that run the `communique` command on
//! fixture sites copied to temporary folders.

mod architecture;
mod browser;
mod build;
mod check;
mod cite;
mod cite_browser;
mod confine;
mod embed;
mod fidelity;
mod import;
mod import_formats;
mod output_streams;
mod reader;
mod reading;
mod runs;
mod search;
mod serve;
#[cfg(unix)]
mod serve_load;
mod support;
mod tracking;
mod urls;
mod validate;
