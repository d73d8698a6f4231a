//! One integration-test binary (ripgrep/uv layout): every test drives the real `drydock`
//! binary on real or purpose-built images.

mod bad_input;
mod common;
mod corpus;
mod cosign;
mod formats;
mod registry;
mod registry_auth;
mod registry_faults;
mod rpm;
mod secrets;
mod snapshots;
mod vuln;
