//! How the shell prints keys, values and sizes for people, and keys for
//! machines (`--json`).

use serde::Serialize;
use strata_engine::record::{parse_internal_key, ValueKind};

/// Values longer than this are cut in human output.
const MAX_SHOWN_VALUE_BYTES: usize = 64;

/// `bytes` as it would be typed in a command: a bare word when that reads
/// back the same, a `"quoted string"` when it is printable text, `0x…` hex
/// otherwise.
pub fn bytes(bytes: &[u8]) -> String {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return hex(bytes);
    };
    let bare = !text.is_empty()
        && !text.starts_with("0x")
        && text != "|"
        && text
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '"' && c != '#');
    if bare {
        return text.to_owned();
    }
    if text.chars().any(char::is_control) {
        return hex(bytes);
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// [`bytes`], cut after [`MAX_SHOWN_VALUE_BYTES`] with the full length noted.
pub fn value(value: &[u8]) -> String {
    match value.get(..MAX_SHOWN_VALUE_BYTES) {
        Some(head) if value.len() > MAX_SHOWN_VALUE_BYTES => {
            format!("{}… ({} bytes)", bytes(head), value.len())
        }
        _ => bytes(value),
    }
}

fn hex(bytes: &[u8]) -> String {
    format!("0x{}", strata_engine::key_text::to_hex(bytes))
}

/// An internal key as `user_key @seq put|del`.
pub fn internal_key(key: &[u8]) -> String {
    match parse_internal_key(key) {
        Some(parsed) => {
            let kind = match parsed.kind {
                ValueKind::Put => "put",
                ValueKind::Delete => "del",
            };
            format!("{} @{} {kind}", bytes(parsed.user_key), parsed.seq)
        }
        None => format!("{} (malformed internal key)", hex(key)),
    }
}

/// A byte count with a binary unit: `512 B`, `4.0 KiB`, `1.2 MiB`.
pub fn size(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = "KiB";
    for next in UNITS.iter().skip(1) {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    format!("{value:.1} {unit}")
}

/// A key or value in JSON: a string when printable, `{"hex": "…"}`
/// otherwise (the form traces use).
#[derive(Serialize)]
pub struct JsonBytes(#[serde(with = "strata_engine::key_text")] pub Vec<u8>);

impl JsonBytes {
    /// Wraps a copy of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_print_the_way_they_are_typed() {
        assert_eq!(bytes(b"apple"), "apple");
        assert_eq!(bytes(b"two words"), "\"two words\"");
        assert_eq!(bytes(b"say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(bytes(&[0, 255]), "0x00ff");
        assert_eq!(bytes(b"0xab"), "\"0xab\"");
        assert_eq!(bytes(b""), "\"\"");
        assert_eq!(bytes(b"a\nb"), "0x610a62");
    }

    #[test]
    fn long_values_are_cut_and_sizes_get_units() {
        let long = vec![b'x'; 100];
        assert!(value(&long).ends_with("… (100 bytes)"));
        assert_eq!(size(512), "512 B");
        assert_eq!(size(4096), "4.0 KiB");
        assert_eq!(size(3 << 20), "3.0 MiB");
    }
}
