//! The Strata visualizer. A placeholder until the visualizer lands: the
//! page served by `trunk serve` is static HTML for now.
