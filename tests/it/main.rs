//! The one integration-test binary: end-to-end tests that run the `communique` command on
//! fixture sites copied to temporary folders.

mod browser;
mod build;
mod check;
mod fidelity;
mod import;
mod serve;
mod support;
mod urls;
mod validate;
