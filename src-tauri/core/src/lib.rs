//! Latchkey's domain, free of Tauri so that it builds and tests without a window.
//!
//! The app crate (`src-tauri/app`) only translates between the UI and what is here.

pub mod auth;
pub mod codes;
pub mod config;
pub mod contact;
pub mod dto;
pub mod error;
pub mod help;
pub mod journeys;
pub mod launch;
pub mod locale;
pub mod logging;
pub mod login;
pub mod net;
pub mod policy;
pub mod ports;
pub mod presence;
pub mod providers;
pub mod record;
pub mod support;
pub mod typed;

pub use codes::{ErrorCode, NextStep};
pub use config::{Config, ConfigError};
pub use error::CoreError;
pub use policy::{Method, Policy, SsprScope};
