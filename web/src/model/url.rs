//! The link format: `name=value` pairs joined by `&`, values
//! percent-encoded (UTF-8). Used for both the query (`?embed=1…`) and the
//! fragment (`#s=first-flush&p=40…`).

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
                    .ok_or_else(|| format!("bad escape %{}", String::from_utf8_lossy(&hex)))?;
                bytes.push(byte);
            }
            b'+' => bytes.push(b' '),
            b => bytes.push(b),
        }
    }
    String::from_utf8(bytes).map_err(|_| "the link is not UTF-8".to_owned())
}

/// `name=value` pairs of a query or fragment (without its `?` or `#`).
pub fn pairs(text: &str) -> Result<Vec<(String, String)>, String> {
    if text.len() > MAX_LINK_CHARS {
        return Err(format!(
            "the link is longer than {MAX_LINK_CHARS} characters"
        ));
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

#[cfg(test)]
mod tests {
    use super::*;

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
