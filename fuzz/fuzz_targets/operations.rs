//! Fuzz target `operations`: see `engine/tests/fuzz_harness/whole_db.rs`.
#![no_main]

#[path = "../../engine/tests/fuzz_harness/mod.rs"]
mod fuzz_harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::whole_db::operations(data));
