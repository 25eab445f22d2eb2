//! The view-model: plain Rust, no browser. It drives the real engine
//! ([`session::Session`]), derives every view's state from the engine's
//! events and accessors ([`views`]), puts each event into words
//! ([`narrate`]) and knows the scenario presets, the options panel, the
//! tutorial chapters beside the visualizer ([`lesson`], [`markdown`]) and
//! the link format. The yew components only draw what this module computes.

pub mod asks;
pub mod axis;
pub mod base;
pub mod claims;
pub mod compare;
pub mod controller;
pub mod embed;
pub mod filter_bits;
pub mod focus;
pub mod format;
pub mod glossary;
pub mod i18n;
pub mod labs;
pub mod lesson;
pub mod markdown;
pub mod narrate;
pub mod notice;
pub mod playback;
pub mod presets;
pub mod runner;
pub mod saving;
pub mod script_text;
pub mod session;
pub mod setup;
pub mod table_detail;
pub mod theory;
pub mod theory_chart;
pub mod tour;
pub mod url;
pub mod views;
