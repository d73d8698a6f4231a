//! One integration-test binary (ripgrep/uv layout): every test drives the real `drydock`
//! binary on real or purpose-built images.

mod bad_input;
mod common;
mod corpus;
mod cosign;
mod disk_full;
mod engine;
mod exit_codes;
mod formats;
mod gate;
mod gate_corpus;
mod help;
mod inventory;
mod layer_cache;
mod limits;
mod misconfig_real;
mod output_cli;
mod outputs;
mod policy;
mod prioritise;
mod registry;
mod registry_auth;
mod registry_faults;
mod rpm;
mod sbom;
mod secrets;
mod snapshots;
mod table_layout;
mod terminal;
mod vendor_status;
mod vuln;
