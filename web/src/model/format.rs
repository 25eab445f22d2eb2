//! Words and numbers as the views show them: keys, sizes, ratios.

/// Longest key shown before it is cut with an ellipsis.
pub const MAX_KEY_CHARS: usize = 24;

/// A key as text: printable UTF-8 as it is, anything else as `0x…` hex;
/// long keys are cut.
pub fn key(bytes: &[u8]) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) if s.chars().all(|c| !c.is_control()) => s.to_owned(),
        _ => format!("0x{}", strata_engine::key_text::to_hex(bytes)),
    };
    if text.chars().count() > MAX_KEY_CHARS {
        let cut: String = text.chars().take(MAX_KEY_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// A key in quotes, for sentences.
pub fn quoted(bytes: &[u8]) -> String {
    format!("“{}”", key(bytes))
}

/// A byte count: `512 B`, `1.5 KiB`, `3.0 MiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = UNITS[0];
    for next in UNITS.iter().skip(1) {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    format!("{value:.1} {unit}")
}

/// A table's file name.
pub fn table(file_number: u64) -> String {
    strata_engine::filename::table_name(file_number)
}

/// A log's file name.
pub fn wal(file_number: u64) -> String {
    strata_engine::filename::wal_name(file_number)
}

/// "1 record" / "3 records".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A ratio with two decimals, or "–" when undefined.
pub fn ratio(x: f64) -> String {
    if x.is_finite() && x > 0.0 {
        format!("{x:.2}")
    } else {
        "–".to_owned()
    }
}

/// A rate as a percentage with one decimal.
pub fn percent(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1} %", x * 100.0)
    } else {
        "–".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_text_or_hex_and_long_ones_are_cut() {
        assert_eq!(key(b"apple"), "apple");
        assert_eq!(key(&[0, 255]), "0x00ff");
        let long = key(&[b'a'; 40]);
        assert_eq!(long.chars().count(), MAX_KEY_CHARS);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(3 << 20), "3.0 MiB");
        assert_eq!(plural(1, "record", "records"), "1 record");
        assert_eq!(plural(2, "record", "records"), "2 records");
        assert_eq!(ratio(0.0), "–");
        assert_eq!(percent(0.125), "12.5 %");
    }
}
