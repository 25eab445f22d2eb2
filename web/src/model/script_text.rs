//! Operations back into the command language, so that an imported trace
//! (or any operation log) fits in a link and reads like what one would
//! type.

use strata_engine::trace::TraceOp;

/// A key or value as one word of the command language: bare when it is a
/// plain word, quoted when it is text with spaces or symbols, `0x` hex
/// otherwise.
pub fn word(bytes: &[u8]) -> String {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return format!("0x{}", strata_engine::key_text::to_hex(bytes));
    };
    let bare = !text.is_empty()
        && !text.starts_with("0x")
        && !text.starts_with('@')
        && text != ".."
        && text != "|"
        && !text.contains('=')
        && text
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '"' && c != '#' && c != '\\');
    if bare {
        return text.to_owned();
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return format!("0x{}", strata_engine::key_text::to_hex(bytes));
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The command line that stands for `op`.
pub fn line(op: &TraceOp) -> String {
    match op {
        TraceOp::Put { key, value } => format!("put {} {}", word(key), word(value)),
        TraceOp::Delete { key } => format!("delete {}", word(key)),
        TraceOp::DeleteRange { start, end } => {
            format!("delete-range {} {}", word(start), word(end))
        }
        TraceOp::Batch { entries } => {
            let parts: Vec<String> = entries
                .iter()
                .map(|e| match &e.value {
                    Some(v) => format!("put {} {}", word(&e.key), word(v)),
                    None => format!("delete {}", word(&e.key)),
                })
                .collect();
            format!("batch {}", parts.join(" | "))
        }
        TraceOp::Get { key, snapshot } => match snapshot {
            Some(id) => format!("get {} @{id}", word(key)),
            None => format!("get {}", word(key)),
        },
        TraceOp::Scan {
            start,
            end,
            reverse,
            limit,
        } => {
            let mut out = String::from("scan");
            if start.is_some() || end.is_some() {
                out.push(' ');
                out.push_str(&start.as_deref().map_or("..".to_owned(), word));
            }
            if let Some(end) = end {
                out.push(' ');
                out.push_str(&word(end));
            }
            if *reverse {
                out.push_str(" rev");
            }
            if let Some(limit) = limit {
                out.push_str(&format!(" limit={limit}"));
            }
            out
        }
        TraceOp::Snapshot => "snapshot".to_owned(),
        TraceOp::ReleaseSnapshot { id } => format!("release {id}"),
        TraceOp::Flush => "flush".to_owned(),
        TraceOp::Step => "step".to_owned(),
        TraceOp::Compact => "compact".to_owned(),
        TraceOp::CompactRange { start, end } => {
            let mut out = String::from("compact-range");
            if start.is_some() || end.is_some() {
                out.push(' ');
                out.push_str(&start.as_deref().map_or("..".to_owned(), word));
            }
            if let Some(end) = end {
                out.push(' ');
                out.push_str(&word(end));
            }
            out
        }
        TraceOp::SetTime { now_ms } => format!("time {now_ms}"),
        TraceOp::AdvanceTime { by_ms } => format!("advance {by_ms}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_engine::script::{parse_command, Command};
    use strata_engine::trace::BatchEntry;

    fn round_trip(op: TraceOp) {
        let text = line(&op);
        match parse_command(&text) {
            Ok(Some(Command::Op { op: back })) => assert_eq!(back, op, "{text}"),
            other => panic!("{text} parsed as {other:?}"),
        }
    }

    #[test]
    fn every_operation_reads_back_as_itself() {
        let awkward: [&[u8]; 9] = [
            b"apple",
            b"two words",
            b"say \"hi\"",
            b"back\\slash",
            b"0xnot-hex",
            b"a=b",
            b"..",
            &[0, 159, 255],
            "ключ\n".as_bytes(),
        ];
        for k in awkward {
            round_trip(TraceOp::Put {
                key: k.to_vec(),
                value: k.to_vec(),
            });
            round_trip(TraceOp::Delete { key: k.to_vec() });
            round_trip(TraceOp::Get {
                key: k.to_vec(),
                snapshot: Some(2),
            });
        }
        round_trip(TraceOp::Put {
            key: b"k".to_vec(),
            value: Vec::new(),
        });
        round_trip(TraceOp::Batch {
            entries: vec![
                BatchEntry {
                    key: b"a".to_vec(),
                    value: Some(b"|".to_vec()),
                },
                BatchEntry {
                    key: b"b c".to_vec(),
                    value: None,
                },
            ],
        });
        for (start, end) in [
            (None, None),
            (Some(b"a".to_vec()), None),
            (None, Some(b"m".to_vec())),
            (Some(b"a".to_vec()), Some(b"m".to_vec())),
        ] {
            round_trip(TraceOp::Scan {
                start: start.clone(),
                end: end.clone(),
                reverse: true,
                limit: Some(3),
            });
            round_trip(TraceOp::CompactRange { start, end });
        }
        for op in [
            TraceOp::Snapshot,
            TraceOp::ReleaseSnapshot { id: 4 },
            TraceOp::Flush,
            TraceOp::Step,
            TraceOp::Compact,
            TraceOp::SetTime { now_ms: 5000 },
            TraceOp::AdvanceTime { by_ms: 250 },
        ] {
            round_trip(op);
        }
    }
}
