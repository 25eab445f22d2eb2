//! How keys and values appear in JSON (traces, events, tool output): as a
//! plain string when they are printable UTF-8, otherwise as
//! `{"hex": "00ff…"}`. Both forms read back to the same bytes.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Longest hex string accepted when reading (twice the largest value).
const MAX_HEX_CHARS: usize = 2 * crate::record::MAX_VALUE_BYTES;

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Repr {
    Text(String),
    Hex { hex: String },
}

fn is_printable(s: &str) -> bool {
    s.chars().all(|c| !c.is_control())
}

/// The JSON form of `bytes` as a `serde_json`-independent value.
pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) if is_printable(text) => Repr::Text(text.to_owned()),
        _ => Repr::Hex { hex: to_hex(bytes) },
    }
    .serialize(serializer)
}

/// Reads either form back.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
    match Repr::deserialize(deserializer)? {
        Repr::Text(text) => Ok(text.into_bytes()),
        Repr::Hex { hex } => from_hex(&hex).map_err(D::Error::custom),
    }
}

/// Lower-case hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0xf] {
            out.push(char::from(
                *DIGITS.get(usize::from(nibble)).unwrap_or(&b'0'),
            ));
        }
    }
    out
}

/// Why a hex string does not read as bytes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HexError {
    /// Longer than the longest accepted.
    #[error("hex string longer than {max} characters")]
    TooLong {
        /// The most characters accepted.
        max: usize,
    },
    /// An odd number of digits.
    #[error("hex string of odd length")]
    OddLength,
    /// A character that is not a hex digit.
    #[error("{digit:?} is not a hex digit")]
    NotADigit {
        /// The character.
        digit: char,
    },
}

/// Bytes of a hex string (either case); an error says what is wrong.
pub fn from_hex(hex: &str) -> Result<Vec<u8>, HexError> {
    if hex.len() > MAX_HEX_CHARS {
        return Err(HexError::TooLong { max: MAX_HEX_CHARS });
    }
    if !hex.len().is_multiple_of(2) {
        return Err(HexError::OddLength);
    }
    let digit = |c: u8| -> Result<u8, HexError> {
        char::from(c)
            .to_digit(16)
            .map(|d| d as u8)
            .ok_or(HexError::NotADigit {
                digit: char::from(c),
            })
    };
    hex.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => Ok(digit(*hi)? << 4 | digit(*lo)?),
            _ => Err(HexError::OddLength),
        })
        .collect()
}

/// The same, for `Option<Vec<u8>>` fields.
pub mod option {
    use serde::{Deserialize, Deserializer, Serializer};

    #[derive(serde::Serialize, Deserialize)]
    struct Wrapped(#[serde(with = "super")] Vec<u8>);

    /// Serialises `Some(bytes)` like a key, `None` as null.
    pub fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(bytes) => super::serialize(bytes, s),
            None => s.serialize_none(),
        }
    }

    /// Reads a key or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Ok(Option::<Wrapped>::deserialize(d)?.map(|w| w.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct K(#[serde(with = "super")] Vec<u8>);

    #[test]
    fn printable_keys_are_strings_and_others_hex() -> Result<(), serde_json::Error> {
        assert_eq!(serde_json::to_string(&K(b"apple".to_vec()))?, r#""apple""#);
        assert_eq!(
            serde_json::to_string(&K(vec![0, 255]))?,
            r#"{"hex":"00ff"}"#
        );
        assert_eq!(
            serde_json::to_string(&K(b"a\nb".to_vec()))?,
            r#"{"hex":"610a62"}"#
        );
        for bytes in [
            vec![],
            b"key".to_vec(),
            vec![0, 1, 2, 250],
            "ключ".as_bytes().to_vec(),
        ] {
            let json = serde_json::to_string(&K(bytes.clone()))?;
            assert_eq!(serde_json::from_str::<K>(&json)?, K(bytes));
        }
        Ok(())
    }

    #[test]
    fn malformed_hex_is_an_error_not_a_panic() {
        for bad in [
            r#"{"hex":"0"}"#,
            r#"{"hex":"zz"}"#,
            r#"{"hex":5}"#,
            "17",
            "[1,2]",
        ] {
            assert!(serde_json::from_str::<K>(bad).is_err(), "{bad} accepted");
        }
    }
}
