//! Turns the compact table of Joe & Kuo's Sobol direction numbers
//! (`data/joe-kuo-6.4096.txt`) into static arrays for `design::sobol`.
//!
//! Each data line is `s a m_1 … m_s` for one dimension, starting at
//! dimension 2. The script checks what the construction relies on (Joe & Kuo
//! 2008, §2): `s ≥ 1`, `a < 2^(s−1)`, and every `m_i` odd and below `2^i`;
//! a malformed table stops the build.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let source = "data/joe-kuo-6.4096.txt";
    println!("cargo::rerun-if-changed={source}");
    let text = std::fs::read_to_string(source).expect("the direction-number table is readable");
    let mut polys = String::new();
    let mut ms = String::new();
    let (mut dims, mut offset) = (0usize, 0usize);
    for (line_no, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<u32> = line
            .split_ascii_whitespace()
            .map(|f| {
                f.parse()
                    .unwrap_or_else(|_| panic!("{source}:{}: `{f}` is not a number", line_no + 1))
            })
            .collect();
        let bad = |why: &str| panic!("{source}:{}: {why}", line_no + 1);
        if fields.len() < 3 {
            bad("expected s, a and s values m_i");
        }
        let (s, a) = (fields[0], fields[1]);
        let m = &fields[2..];
        if s == 0 || s > 31 || m.len() != s as usize {
            bad("the degree s must be 1..=31 and be followed by s values m_i");
        }
        if a >= 1 << (s - 1) {
            bad("a must be below 2^(s-1)");
        }
        for (i, &mi) in m.iter().enumerate() {
            if mi % 2 == 0 || mi >= 1 << (i + 1) {
                bad("every m_i must be odd and below 2^i");
            }
            write!(ms, "{mi},").unwrap();
        }
        writeln!(polys, "({s}, {a}, {offset}),").unwrap();
        offset += m.len();
        dims += 1;
    }
    let out = format!(
        "/// Degree `s`, interior coefficients `a` and the offset of `m_1` in\n\
         /// [`JOE_KUO_M`], for dimensions 2, 3, … (generated from `{source}`).\n\
         static JOE_KUO_POLY: [(u32, u32, usize); {dims}] = [\n{polys}];\n\
         /// The initial direction numbers `m_i`, dimension after dimension.\n\
         static JOE_KUO_M: [u32; {offset}] = [{ms}];\n"
    );
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(dest.join("joe_kuo.rs"), out).expect("OUT_DIR is writable");
}
