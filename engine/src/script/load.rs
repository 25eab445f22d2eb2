//! Sizing and expanding a `load`: the bytes it will generate, checked
//! against a session's limits before anything is generated, and the puts
//! themselves, from the load's seed.

use super::{Command, LoadPattern, ScriptProblem};
use crate::rng::SeededRng;
use crate::trace::TraceOp;

impl Command {
    /// The key and value bytes a `load` generates (an upper bound),
    /// computed without generating anything; `None` for other commands.
    pub fn load_bytes(&self) -> Option<u64> {
        let Command::Load {
            pattern,
            count,
            keys,
            prefix,
            value_bytes,
            ..
        } = self
        else {
            return None;
        };
        let largest_n = match pattern {
            LoadPattern::Sequential => count.saturating_sub(1),
            LoadPattern::Random | LoadPattern::Skewed => keys.saturating_sub(1),
        };
        let digits = |n: u64| u64::from(n.checked_ilog10().unwrap_or(0) + 1);
        let key = prefix.len() as u64 + digits(largest_n).max(6);
        let value = (*value_bytes as u64).max(2 + digits(*count));
        Some(count.saturating_mul(key.saturating_add(value)))
    }

    /// Checks a `load` against a session's limits — at most `max_ops`
    /// puts and `max_bytes` key and value bytes — before anything is
    /// generated; the error says which limit and by how much
    /// ([`ScriptProblem::LoadOverOps`] or [`ScriptProblem::LoadOverBytes`]).
    /// Other commands pass.
    pub fn check_load(&self, max_ops: u64, max_bytes: u64) -> Result<(), ScriptProblem> {
        let (Command::Load { count, .. }, Some(bytes)) = (self, self.load_bytes()) else {
            return Ok(());
        };
        if *count > max_ops {
            return Err(ScriptProblem::LoadOverOps {
                count: *count,
                max: max_ops,
            });
        }
        if bytes > max_bytes {
            return Err(ScriptProblem::LoadOverBytes {
                bytes,
                max: max_bytes,
            });
        }
        Ok(())
    }

    /// The puts of a `load`, generated deterministically from its seed;
    /// `None` for other commands.
    pub fn load_ops(&self) -> Option<Vec<TraceOp>> {
        let Command::Load {
            pattern,
            count,
            seed,
            keys,
            prefix,
            value_bytes,
        } = self
        else {
            return None;
        };
        let mut rng = SeededRng::new(*seed);
        let keys = (*keys).max(1);
        let ops = (0..*count)
            .map(|i| {
                let n = match pattern {
                    LoadPattern::Sequential => i,
                    LoadPattern::Random => rng.next_u64() % keys,
                    LoadPattern::Skewed => skewed(&mut rng, keys),
                };
                let mut value = format!("v{i}-").into_bytes();
                value.resize((*value_bytes).max(value.len()), b'.');
                TraceOp::Put {
                    key: format!("{prefix}{n:06}").into_bytes(),
                    value,
                }
            })
            .collect();
        Some(ops)
    }
}

fn skewed(rng: &mut SeededRng, keys: u64) -> u64 {
    let hot = (keys / 5).max(1);
    if rng.next_u64() % 10 < 8 {
        rng.next_u64() % hot
    } else {
        hot + rng.next_u64() % (keys - hot).max(1)
    }
}
