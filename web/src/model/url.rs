//! The link format: `name=value` pairs joined by `&`, values
//! percent-encoded (UTF-8). Used for both the query (`?embed=1…`) and the
//! fragment (`#s=first-flush&p=40…`).

use crate::model::i18n::errors::{error, Error};

/// Longest link part accepted.
pub const MAX_LINK_CHARS: usize = 2 << 20;

/// Percent-encodes everything but `A–Z a–z 0–9 - _ . ~`.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes percent-escapes (and `+` as a space); an error says what is
/// wrong.
pub fn decode(text: &str) -> Result<String, String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut iter = text.bytes();
    while let Some(b) = iter.next() {
        match b {
            b'%' => {
                let hex: Vec<u8> = iter.by_ref().take(2).collect();
                let digits = std::str::from_utf8(&hex).ok().filter(|h| h.len() == 2);
                let byte = digits
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        error(&Error::BadEscape {
                            escape: &String::from_utf8_lossy(&hex),
                        })
                    })?;
                bytes.push(byte);
            }
            b'+' => bytes.push(b' '),
            b => bytes.push(b),
        }
    }
    String::from_utf8(bytes).map_err(|_| error(&Error::NotUtf8))
}

/// `name=value` pairs of a query or fragment (without its `?` or `#`).
pub fn pairs(text: &str) -> Result<Vec<(String, String)>, String> {
    if text.len() > MAX_LINK_CHARS {
        return Err(error(&Error::LinkTooLong {
            max: MAX_LINK_CHARS,
        }));
    }
    let text = text.trim_start_matches(['?', '#']);
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (name, value) = p.split_once('=').unwrap_or((p, ""));
            Ok((decode(name)?, decode(value)?))
        })
        .collect()
}

/// Pairs joined back into `a=1&b=2`.
pub fn join(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Separates the option sets in a `cmp=` value.
const SIDE_SEPARATOR: char = '|';

/// The `cmp=` value for compare mode: each side's option overrides as
/// `name:value` items joined by `,`, the sides joined by `|`
/// (`compaction_strategy:leveled|compaction_strategy:size_tiered`). A side
/// without overrides is empty. [`join`] percent-encodes the whole value.
pub fn encode_sides(sides: &[Vec<(String, String)>]) -> String {
    sides
        .iter()
        .map(|side| {
            side.iter()
                .map(|(n, v)| format!("{n}:{v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join(&SIDE_SEPARATOR.to_string())
}

/// Reads a `cmp=` value (decoded): two or three sides, each a list of
/// `name:value` items. Names and values are checked when the sides open.
pub fn decode_sides(value: &str) -> Result<Vec<Vec<(String, String)>>, String> {
    let sides: Vec<Vec<(String, String)>> = value
        .split(SIDE_SEPARATOR)
        .map(|side| {
            side.split(',')
                .filter(|item| !item.is_empty())
                .map(|item| {
                    let (n, v) = item
                        .split_once(':')
                        .filter(|(n, _)| !n.is_empty())
                        .ok_or_else(|| format!("compare option {item:?} is not name:value"))?;
                    Ok((n.to_owned(), v.to_owned()))
                })
                .collect::<Result<_, String>>()
        })
        .collect::<Result<_, String>>()?;
    if !(2..=3).contains(&sides.len()) {
        return Err(format!(
            "compare mode shows two or three option sets, not {}",
            sides.len()
        ));
    }
    Ok(sides)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn compare_sides_survive_a_link() {
        let sides = vec![
            side(&[("compaction_strategy", "leveled")]),
            side(&[
                ("compaction_strategy", "size_tiered"),
                ("bloom_bits_per_key", "5"),
            ]),
            side(&[]),
        ];
        let value = encode_sides(&sides);
        assert_eq!(
            value,
            "compaction_strategy:leveled|compaction_strategy:size_tiered,bloom_bits_per_key:5|"
        );
        let link = join(&[("cmp".to_owned(), value)]);
        let read = pairs(&link).unwrap_or_default();
        assert_eq!(read.first().map(|(n, _)| n.as_str()), Some("cmp"));
        let value = read.first().map(|(_, v)| v.as_str()).unwrap_or_default();
        assert_eq!(decode_sides(value), Ok(sides));
    }

    #[test]
    fn malformed_compare_values_are_errors() {
        let one = decode_sides("bloom_bits_per_key:0")
            .err()
            .unwrap_or_default();
        assert!(one.contains("not 1"), "{one}");
        assert!(decode_sides("a:1|b:2|c:3|d:4").is_err());
        let item = decode_sides("bloom_bits_per_key|x:1")
            .err()
            .unwrap_or_default();
        assert!(
            item.contains("\"bloom_bits_per_key\" is not name:value"),
            "{item}"
        );
        assert!(decode_sides(":1|x:1").is_err());
        assert_eq!(decode_sides("|").map(|s| s.len()), Ok(2));
    }

    #[test]
    fn text_survives_encoding() {
        for text in ["put a b\nget \"a b\"", "ключ & = % #", ""] {
            assert_eq!(decode(&encode(text)).as_deref(), Ok(text));
        }
        assert_eq!(encode("a b"), "a%20b");
    }

    #[test]
    fn malformed_links_are_errors() {
        assert!(decode("%").is_err());
        assert!(decode("%zz").is_err());
        assert!(decode("%ff").is_err(), "not UTF-8");
        assert!(pairs("a=%4").is_err());
        assert_eq!(
            pairs("?a=1&&b&c=x%20y").unwrap_or_default(),
            vec![
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), String::new()),
                ("c".to_owned(), "x y".to_owned())
            ]
        );
    }
}
