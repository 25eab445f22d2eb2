//! Where Strata's block-cache budget is set.

use strata_engine::Options;

pub fn with_cache(options: Options, cache_bytes: usize) -> Options {
    Options {
        block_cache_bytes: cache_bytes,
        ..options
    }
}
