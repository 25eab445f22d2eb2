//! Keys, values and randomness for the workloads.

/// db_bench's key: the index as 16 decimal digits, zero-padded.
pub fn db_key(i: u64) -> [u8; 16] {
    let mut k = [b'0'; 16];
    let mut n = i;
    for slot in k.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
    k
}

/// A key no fill writes: `db_key(i)` with a `.` appended (17 bytes, as
/// db_bench's readmissing).
pub fn missing_key(i: u64) -> [u8; 17] {
    let mut k = [b'.'; 17];
    k[..16].copy_from_slice(&db_key(i));
    k
}

/// SplitMix64: small, fast and good enough to pick keys.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// `0..n` in random order.
    pub fn permutation(&mut self, n: u64) -> Vec<u64> {
        let mut v: Vec<u64> = (0..n).collect();
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
        v
    }
}

/// Values of a fixed size cut from a buffer of random bytes (so they do
/// not compress; every engine runs without compression anyway).
pub struct Values {
    buf: Vec<u8>,
    size: usize,
}

impl Values {
    pub fn new(size: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let len = (1 << 20) + size;
        let buf = (0..len).map(|_| rng.next_u64() as u8).collect();
        Values { buf, size }
    }

    /// The value written for the `i`-th operation.
    pub fn get(&self, i: u64) -> &[u8] {
        let start = (i.wrapping_mul(7919) % (1 << 20)) as usize;
        &self.buf[start..start + self.size]
    }

    pub fn size(&self) -> usize {
        self.size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_zero_padded_decimal() {
        assert_eq!(&db_key(42), b"0000000000000042");
        assert_eq!(&missing_key(7)[..], b"0000000000000007.");
    }

    #[test]
    fn permutation_holds_every_index_once() {
        let mut p = Rng::new(1).permutation(1000);
        p.sort_unstable();
        assert_eq!(p, (0..1000).collect::<Vec<_>>());
    }
}
