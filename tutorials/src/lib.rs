//! Tutorial chapters, compiled and run by `cargo test`.
//!
//! The chapters themselves arrive with the tutorials; for now this crate
//! keeps the README's example honest: it runs as a doctest.

#[doc = include_str!("../../README.md")]
pub struct Readme;
