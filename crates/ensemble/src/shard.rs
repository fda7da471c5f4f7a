//! Shards: one plan split over several machines.
//!
//! Shard K of N (K from 1 to N) holds a contiguous block of experiment
//! numbers: experiments `total·(K−1)/N` up to, not including, `total·K/N`
//! (integer division). The blocks cover the plan once, in order, and their
//! sizes differ by at most one, so each shard's rows are already in the
//! order of the whole plan's and joining them is concatenation. Which
//! experiments a shard holds depends only on the plan's size, K and N: not
//! on the machine, its threads, or which shards ran before.

use std::ops::Range;

/// Shard `index` of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This shard's number, from 1 to `count`.
    pub index: u32,
    /// How many shards the plan is split into.
    pub count: u32,
}

/// Why a shard's text `K/N` is not a shard.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{text}` is not a shard: {reason}; write K/N, the shard's number K from 1 to N and the number of shards N, such as 2/8"
)]
pub struct ShardError {
    /// The text as given.
    pub text: String,
    /// What is wrong with it.
    pub reason: String,
}

impl Shard {
    /// Reads `K/N`.
    pub fn parse(text: &str) -> Result<Shard, ShardError> {
        let fail = |reason: &str| ShardError {
            text: text.to_string(),
            reason: reason.to_string(),
        };
        let (k, n) = text.split_once('/').ok_or_else(|| fail("no `/`"))?;
        let k: u32 = k
            .trim()
            .parse()
            .map_err(|_| fail("K is not a whole number"))?;
        let n: u32 = n
            .trim()
            .parse()
            .map_err(|_| fail("N is not a whole number"))?;
        if n == 0 {
            return Err(fail("N must be at least 1"));
        }
        if k == 0 || k > n {
            return Err(fail(
                "K must lie between 1 and N (shards are numbered from 1)",
            ));
        }
        Ok(Shard { index: k, count: n })
    }

    /// The experiment numbers of this shard in a plan of `total`
    /// experiments (see the module's documentation). Empty when the plan
    /// has fewer experiments than shards and this one gets none.
    pub fn range(self, total: u64) -> Range<u64> {
        let at = |k: u32| (u128::from(total) * u128::from(k) / u128::from(self.count)) as u64;
        at(self.index - 1)..at(self.index)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_the_plan_once_in_order_with_sizes_within_one() {
        for total in [0u64, 1, 2, 7, 10, 100, 1_000_003] {
            for count in [1u32, 2, 3, 7, 16] {
                let ranges: Vec<Range<u64>> = (1..=count)
                    .map(|index| Shard { index, count }.range(total))
                    .collect();
                assert_eq!(ranges[0].start, 0);
                assert_eq!(ranges[ranges.len() - 1].end, total);
                for w in ranges.windows(2) {
                    assert_eq!(w[0].end, w[1].start, "{total} in {count}");
                }
                let sizes: Vec<u64> = ranges.iter().map(|r| r.end - r.start).collect();
                let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
                assert!(hi - lo <= 1, "{total} in {count}: {sizes:?}");
            }
        }
        assert_eq!(Shard { index: 2, count: 3 }.range(10), 3..6);
        // No overflow near the top of the range.
        let big = Shard { index: 3, count: 3 }.range(u64::MAX);
        assert_eq!(big.end, u64::MAX);
    }

    #[test]
    fn reads_k_of_n_and_refuses_the_rest() {
        assert_eq!(Shard::parse("2/8"), Ok(Shard { index: 2, count: 8 }));
        assert_eq!(Shard::parse("1/1").unwrap().to_string(), "1/1");
        for (text, reason) in [
            ("3", "no `/`"),
            ("0/3", "between 1 and N"),
            ("4/3", "between 1 and N"),
            ("1/0", "at least 1"),
            ("a/3", "K is not"),
            ("1/-2", "N is not"),
        ] {
            let e = Shard::parse(text).unwrap_err();
            assert!(e.to_string().contains(reason), "{text}: {e}");
            assert!(e.to_string().contains(text), "{text}: {e}");
        }
    }
}
