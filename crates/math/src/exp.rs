//! The exponential function, e^x.
//!
//! Rule: Tang's table-driven method. With `n = round(x · 128 / ln 2)`,
//! `n = 128·m + j` (`0 ≤ j < 128`) and `r = x − n · ln 2 / 128`
//! (`|r| ≤ ln 2 / 256 ≈ 0.0027`):
//!
//! ```text
//! e^x = 2^m · 2^(j/128) · e^r,   e^r − 1 ≈ r + r²/2 + r³/6 + r⁴/24 + r⁵/120
//! ```
//!
//! `ln 2 / 128` is split Cody–Waite style into a 35-bit head, whose product
//! with any `n` of the domain is exact, and a tail; `2^(j/128)` is tabled as
//! a double and its rounding error. On `|r| ≤ 0.0027` the degree-5 Taylor
//! polynomial is already within 2^-60 of `e^r − 1` (the next term,
//! r⁶/720, is below 5.5·10⁻¹⁹), so a minimax fit would save nothing here.
//!
//! Error: below 0.52 ulp for normal results (the analysis: the final
//! rounding, 0.5 ulp, plus under 0.02 ulp from the reduction, the polynomial
//! and the inner rounding); in the gradual-underflow range (results below
//! 2^-1022, `x < −708.39`) the result is rounded twice and the error is below
//! 1 ulp of the subnormal result. The tests measure the error against an
//! independent reference of about 100 bits. Results are not always
//! correctly rounded; they are always the same.
//!
//! Special values: `exp(NaN) = NaN`, `exp(+∞) = +∞`, `exp(−∞) = +0`,
//! `exp(±0) = 1`; `+∞` above `ln(MAX) ≈ 709.7827`, `+0` below
//! `−1075 · ln 2 ≈ −745.1332`.
//!
//! Sources: P. T. P. Tang, "Table-driven implementation of the exponential
//! function in IEEE floating-point arithmetic", ACM Transactions on
//! Mathematical Software 15 (1989) 144–157; J.-M. Muller, *Elementary
//! Functions: Algorithms and Implementation* (3rd ed., 2016), ch. 6 (table
//! methods) and ch. 11 (Cody–Waite reduction). The table and the split
//! constants were computed with 300-bit arithmetic and rounded to nearest.

/// 128 / ln 2, rounded to nearest.
const INV_L: f64 = 184.664_965_233_787_3;
/// ln 2 / 128, leading 35 bits: `n · L1` is exact for `|n| < 2^18`.
const L1: f64 = 0.005_415_212_348_225_395_5;
/// ln 2 / 128 − `L1`, rounded to nearest.
const L2: f64 = -1.008_228_146_099_776_9e-13;
/// 1.5 · 2^52: adding it to a number of magnitude below 2^51 rounds that
/// number to an integer (to nearest, ties to even); subtracting it again
/// leaves the integer, exactly.
const SHIFT: f64 = 6_755_399_441_055_744.0;
/// Below this magnitude the result is a normal number and no special value
/// can occur.
const SAFE: f64 = 708.0;
/// Above this the result overflows: e^709.79 > `f64::MAX`.
const OVERFLOW: f64 = 709.79;
/// Below this the result is +0: e^−745.14 < 2^-1075, half the smallest
/// subnormal.
const UNDERFLOW: f64 = -745.14;

/// e^x, deterministic (see the module documentation for the error bound).
#[inline]
pub fn exp(x: f64) -> f64 {
    // `-0.0` is the identity of addition, so the tail vanishes at compile time.
    exp_pair(x, -0.0)
}

/// e^(hi + lo), where `lo` is at most a couple of ulps of `hi`: the
/// exponential of a double-double, for `powf`.
#[inline]
pub(crate) fn exp_pair(hi: f64, lo: f64) -> f64 {
    if hi.abs() >= SAFE || hi.is_nan() {
        return exp_edge(hi, lo);
    }
    let (y, m) = reduced(hi, lo);
    // |hi| < 708 keeps m within [−1022, 1021]: 2^m is a normal number.
    y * f64::from_bits(((1023 + m) as u64) << 52)
}

/// e^(hi + lo) as `y · 2^m` with `y` within a few ulps of `[1, 2)`, for
/// `|hi| < 746` (finite).
#[inline(always)]
fn reduced(hi: f64, lo: f64) -> (f64, i64) {
    let nd = (hi * INV_L + SHIFT) - SHIFT;
    let n = nd as i64;
    // Exact: `nd · L1` is exact and `hi` lies within a factor of two of it
    // (Sterbenz), or `nd` is 0.
    let r1 = hi - nd * L1;
    let r2 = lo - nd * L2;
    let r = r1 + r2;
    let q = r * r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0))));
    let p = r1 + (r2 + q);
    let (t_hi, t_lo) = TWO_POW_J_128[(n & 127) as usize];
    (t_hi + (t_lo + t_hi * p), n >> 7)
}

/// The slow path: special values, overflow and gradual underflow.
#[cold]
fn exp_edge(hi: f64, lo: f64) -> f64 {
    if hi.is_nan() {
        return hi;
    }
    if hi > OVERFLOW {
        return f64::INFINITY;
    }
    if hi < UNDERFLOW {
        return 0.0;
    }
    let (y, m) = reduced(hi, lo);
    if m > 0 {
        // m ≤ 1024: scale by 2^(m−1), exactly, then by 2, which may overflow.
        y * f64::from_bits(((1022 + m) as u64) << 52) * 2.0
    } else {
        // m ≥ −1075: scale into the normal range exactly, then round once
        // into the subnormal range.
        y * f64::from_bits(((1023 + 1000 + m) as u64) << 52) * f64::from_bits((1023 - 1000) << 52)
    }
}

/// `2^(j/128)` for `j = 0..128`, as the double nearest to it and the
/// rounding error of that double (the pair is within 2^-106 of the value).
#[allow(clippy::excessive_precision, clippy::approx_constant)]
const TWO_POW_J_128: [(f64, f64); 128] = [
    (1.0, 0.0),
    (1.0054299011128027, 9.499186535455032e-17),
    (1.0108892860517005, -1.5234778603368577e-17),
    (1.016378314910953, -5.77217007319966e-17),
    (1.0218971486541166, 5.109225028973444e-17),
    (1.0274459491187637, -4.9560741746453704e-17),
    (1.0330248790212284, 7.600838874027088e-18),
    (1.0386341019613787, 5.996273788852511e-17),
    (1.0442737824274138, 8.551889705537965e-17),
    (1.0499440858006872, 5.592937848127003e-17),
    (1.0556451783605572, 1.759325738772092e-18),
    (1.061377227289262, -1.1973537085365658e-17),
    (1.0671404006768237, -7.899853966841582e-17),
    (1.0729348675259756, -3.839668843358824e-18),
    (1.0787607977571199, -6.656660436056593e-17),
    (1.0846183622133092, 3.166152845816346e-17),
    (1.0905077326652577, -3.046782079812471e-17),
    (1.0964290818163769, -5.919933484449316e-17),
    (1.102382583307841, 5.2660368715706944e-17),
    (1.1083684117236787, -8.786813845180527e-17),
    (1.1143867425958924, 1.0410278456845571e-16),
    (1.1204377524096067, -6.201085906554179e-17),
    (1.1265216186082418, 5.165856758795457e-17),
    (1.1326385195987192, 3.237356166738e-17),
    (1.1387886347566916, 8.912812676025408e-17),
    (1.1449721444318042, 4.6412898921700107e-17),
    (1.1511892299529827, 3.250710218863827e-17),
    (1.1574400736337511, -9.1238712311344e-17),
    (1.1637248587775775, 3.8292048369240935e-17),
    (1.1700437696832502, -1.8477442017900047e-18),
    (1.1763969916502812, 5.554203254218079e-17),
    (1.182784710984341, 1.542975430079076e-17),
    (1.189207115002721, 3.982015231465646e-17),
    (1.1956643920398273, 4.6166036704814814e-17),
    (1.202156731452703, 6.644981499252301e-17),
    (1.2086843236265816, -4.746725945228984e-17),
    (1.215247359980469, -7.712630692681488e-17),
    (1.2218460329727576, -1.0611021211402691e-16),
    (1.22848053610687, -1.89878163130253e-17),
    (1.2351510639369334, -1.0755244344307841e-16),
    (1.241857812073484, 4.658027591836937e-17),
    (1.2486009771892048, -8.261810999021964e-17),
    (1.255380757024691, -6.7113898212968784e-18),
    (1.2621973503942507, -3.0844648874738465e-17),
    (1.2690509571917332, 2.667932131342186e-18),
    (1.275941778396392, 9.91543024421429e-17),
    (1.2828700160787783, 1.713594918243561e-17),
    (1.2898358734066657, 8.949257530897592e-17),
    (1.2968395546510096, 2.5382502794888315e-17),
    (1.3038812651919358, 8.647675598267871e-17),
    (1.3109612115247644, -7.181536135519454e-17),
    (1.318079601266064, -5.4579558271491535e-17),
    (1.3252366431597413, -2.8587312100388614e-17),
    (1.3324325470831615, -5.101586630916744e-17),
    (1.339667524053303, 8.927282594831732e-17),
    (1.3469417862329458, 3.224065101254679e-17),
    (1.3542555469368927, 7.70094837980299e-17),
    (1.3616090206382248, 1.533787661270668e-18),
    (1.3690024229745905, 9.593797919118849e-17),
    (1.3764359707545302, -6.898588935871801e-17),
    (1.383909881963832, -6.770511658794786e-17),
    (1.3914243757719262, -4.9061748652889893e-17),
    (1.3989796725383112, -9.614213209051323e-17),
    (1.4065759938190154, 7.034914812136422e-18),
    (1.4142135623730951, -9.667293313452913e-17),
    (1.4218926021691656, -1.6077828915890244e-17),
    (1.42961333839197, -1.2031642489053655e-17),
    (1.4373759974489824, -4.2040340164675566e-17),
    (1.4451808069770467, -3.0237581349939873e-17),
    (1.4530279958490526, -5.779948609396106e-17),
    (1.460917794180647, -5.600377186075216e-17),
    (1.4688504333369818, 8.465882756533628e-17),
    (1.4768261459394993, -3.483994556892796e-17),
    (1.4848451658727524, 1.0780086764407481e-16),
    (1.4929077282912648, 1.4192920154284036e-17),
    (1.5010140696264256, -6.413767275790235e-17),
    (1.5091644275934228, -1.016455327754295e-16),
    (1.5173590411982147, -4.308699472043341e-17),
    (1.5255981507445384, -1.1024941712342561e-16),
    (1.533881997840956, 8.875226844438446e-17),
    (1.5422108254079407, 7.949834809697621e-17),
    (1.550584877685, -1.4600706590689385e-17),
    (1.559004400237837, 3.7812070533575275e-17),
    (1.567469639965553, -1.0352061768849722e-16),
    (1.5759808451078865, -1.0136916471278304e-17),
    (1.5845382652524937, -1.9337717034585703e-17),
    (1.593142151342267, -1.0094406542311964e-16),
    (1.6017927556826934, -6.054917453527784e-17),
    (1.6104903319492543, 2.4707192569797888e-17),
    (1.6192351351948637, 2.0941334154229092e-17),
    (1.6280274218573478, -6.712955084707084e-17),
    (1.6368674497669644, 7.698325071319876e-17),
    (1.645755478153965, -1.0125679913674773e-16),
    (1.6546917676561943, 9.643294303196029e-17),
    (1.6636765803267364, 5.8909926967131e-17),
    (1.6727101796415966, -5.476715964599563e-17),
    (1.681792830507429, 8.199010020581497e-17),
    (1.6909247992693053, -9.66967147439488e-17),
    (1.7001063537185235, -8.0237193703977e-18),
    (1.709337763100463, -9.868779456632931e-17),
    (1.718619298122478, -1.851380418263111e-17),
    (1.7279512309618377, -1.0750981861204642e-16),
    (1.7373338352737062, 3.164389299292957e-17),
    (1.746767386199169, -1.0752290483507515e-16),
    (1.7562521603732995, 2.960140695448873e-17),
    (1.7657884359332727, 9.461315018083268e-17),
    (1.7753764925265212, 6.429731796556572e-17),
    (1.785016611318935, 1.5330400121031314e-17),
    (1.7947090750031072, 1.8227458427912087e-17),
    (1.804454167806624, -5.177222408793318e-17),
    (1.8142521755003989, -9.969531538920349e-17),
    (1.8241033854070534, -1.0159627862277083e-16),
    (1.8340080864093424, 3.283107224245627e-17),
    (1.843966568958626, -5.939742026949965e-17),
    (1.8539791250833855, 9.761887490727594e-17),
    (1.864046048397789, 6.540912680620572e-17),
    (1.8741676341103, -6.122763413004143e-17),
    (1.8843441790323345, -8.226593125533711e-17),
    (1.8945759815869656, 3.4034035352165297e-17),
    (1.9048633418176741, 6.533857514718279e-17),
    (1.9152065613971474, -1.0619946056195963e-16),
    (1.925605943636125, -9.914963769693741e-17),
    (1.9360617934922943, 1.0332385960676326e-16),
    (1.9465744175792332, 6.811022349533877e-17),
    (1.9571441241754002, 8.960767791036668e-17),
    (1.9677712232331759, -1.0314928011531132e-16),
    (1.978456026387951, 4.0388753109278167e-17),
    (1.9891988469672663, 8.2051326383692e-18),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{self, Dd, Draw, ulps};

    /// The largest error over `n` arguments drawn by `arg`.
    fn worst(n: usize, seed: u64, arg: impl FnMut(&mut Draw) -> f64) -> (f64, f64) {
        let (e, x) = reference::worst(n, seed, arg, |x| ulps(exp(x), reference::exp(Dd::new(x))));
        (e, x.unwrap_or(f64::NAN))
    }

    #[test]
    fn error_is_below_half_an_ulp_and_a_bit_for_normal_results() {
        let (e, x) = worst(200_000, 1, |d| d.between(-708.39, 709.78));
        assert!(e < 0.52, "{e} ulp at {x:e}");
        let (e, x) = worst(200_000, 2, |d| {
            let m = d.magnitude(-60, 2);
            if d.unit() < 0.5 { -m } else { m }
        });
        assert!(e < 0.52, "{e} ulp at {x:e}");
    }

    #[test]
    fn error_is_below_an_ulp_in_gradual_underflow() {
        let (e, x) = worst(100_000, 3, |d| d.between(-745.13, -708.4));
        assert!(e < 1.0, "{e} ulp at {x:e}");
    }

    /// Values computed with 2,000-bit arithmetic: (x, e^x as hi + lo).
    #[test]
    fn matches_high_precision_values() {
        for (x, hi, lo) in [
            (1.0, std::f64::consts::E, 1.445_646_891_729_250_2e-16),
            (-1.0, 0.367_879_441_171_442_33, -1.242_875_367_278_836_3e-17),
            (0.5, 1.648_721_270_700_128_2, -4.731_568_479_435_833e-17),
            (
                700.0,
                1.014_232_054_735_004_5e304,
                1.666_657_192_073_467_3e287,
            ),
            (
                709.782_712_893_384,
                1.797_693_134_862_273_2e308,
                2.109_296_848_311_498_7e291,
            ),
            (1e-10, 1.000_000_000_1, -8.269_037_096_265_652e-18),
            (
                -0.346_573_590_279_972_6,
                std::f64::consts::FRAC_1_SQRT_2,
                -8.850_864_603_713_092e-19,
            ),
        ] {
            let e = ulps(exp(x), (Dd { hi, lo }, 0));
            assert!(e < 0.52, "exp({x}) = {} is {e} ulp from {hi}", exp(x));
        }
        // Subnormal results, rounded to nearest.
        assert_eq!(exp(-708.5), 2.006_132_305_331_306e-308);
        assert_eq!(exp(-740.0), 4.2e-322);
        assert_eq!(exp(-745.133_219_101_941_1), 5e-324);
    }

    #[test]
    fn special_values_and_edges() {
        assert!(exp(f64::NAN).is_nan());
        assert_eq!(exp(f64::INFINITY), f64::INFINITY);
        assert_eq!(exp(f64::NEG_INFINITY).to_bits(), 0);
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-0.0), 1.0);
        assert_eq!(exp(5e-324), 1.0);
        assert_eq!(exp(-5e-324), 1.0);
        // 1 + x rounds to 1 + x below 2^-53 and to 1 below that.
        assert_eq!(exp(2f64.powi(-52)), 1.0 + 2f64.powi(-52));
        assert_eq!(exp(2f64.powi(-54)), 1.0);
        // Overflow: ln(MAX) lies between these two doubles.
        let last = 709.782_712_893_384;
        assert!(exp(last).is_finite());
        assert_eq!(exp(f64::from_bits(last.to_bits() + 1)), f64::INFINITY);
        assert_eq!(exp(1e300), f64::INFINITY);
        // Underflow: −1075·ln 2 lies between these two doubles.
        let first = -745.133_219_101_941_1;
        assert_eq!(exp(first), 5e-324);
        assert_eq!(exp(f64::from_bits(first.to_bits() + 1)).to_bits(), 0);
        assert_eq!(exp(-1e300).to_bits(), 0);
        // The boundary of the fast path, from both sides.
        for x in [-SAFE, SAFE, f64::from_bits(SAFE.to_bits() - 1)] {
            assert!(ulps(exp(x), reference::exp(Dd::new(x))) < 0.51, "{x}");
        }
    }

    #[test]
    fn table_holds_the_powers_it_names() {
        // (2^(j/128))^128 = 2^j: seven squarings of the double-double entry.
        for (j, &(hi, lo)) in TWO_POW_J_128.iter().enumerate() {
            let (mut v, k) = (Dd { hi, lo }, 0);
            for _ in 0..7 {
                let (p, e) = crate::dd::two_prod(v.hi, v.hi);
                let (h, l) = crate::dd::fast_two_sum(p, e + 2.0 * v.hi * v.lo);
                v = Dd { hi: h, lo: l };
            }
            let e = ulps(v.hi + v.lo, (Dd::new(2f64.powi(j as i32)), k));
            assert!(e < 1e-10 && lo.abs() <= hi * 2f64.powi(-53), "entry {j}");
        }
    }
}
