//! One adapter per engine.

pub mod fjall;
pub mod redb;
#[cfg(feature = "rocksdb")]
pub mod rocks;
pub mod strata;
