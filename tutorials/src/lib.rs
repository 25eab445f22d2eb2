//! Tutorial chapters, compiled and run by `cargo test`.
