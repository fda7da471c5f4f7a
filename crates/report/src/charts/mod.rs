//! Charts drawn with `plotters` on its SVG backend; PNG copies rendered from
//! the same SVG with `resvg`, so the slide image and the page never differ.
//!
//! Every chart is readable without colour: series carry direct labels (text
//! at the line's end, inside the bar segment, beside the node) and the
//! palette's colours differ in lightness as well as hue. Plotters escapes
//! text it writes into SVG, so scenario names cannot become markup.

pub mod bars;
pub mod fan;
pub mod lines;
pub mod network;
pub mod sensitivity;
pub mod signposts;

use plotters::coord::Shift;
use plotters::prelude::*;
pub use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A finished chart.
#[derive(Clone, Debug)]
pub struct Figure {
    /// File stem under `figures/` and the `data-chart` id on the page.
    pub id: String,
    /// A sentence saying what the chart shows (plain text).
    pub caption: String,
    /// The SVG document.
    pub svg: String,
}

/// The area a chart draws on.
pub type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// Colour-blind-safe colours (Okabe & Ito 2008) ordered so that neighbours
/// also differ in lightness.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 0, 0),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(120, 120, 120),
];

/// The palette colour for series `i`.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Font family of every chart.
pub const FONT: &str = "sans-serif";

/// A text style of `size` pixels anchored at (`h`, `v`) of its position.
pub fn label(size: u32, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font()).pos(Pos::new(h, v))
}

/// Draws a `width` × `height` (pixels) chart into an SVG string.
pub fn draw(
    width: u32,
    height: u32,
    paint: impl FnOnce(&Area) -> Result<(), ChartError>,
) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        paint(&root)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Why a chart could not be drawn or rendered; the report says so in
/// place of the chart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    /// Drawing or rendering failed (plotters' or resvg's message).
    #[error("{0}")]
    Draw(String),
    /// There is nothing to draw: the analysis estimated nothing.
    #[error("{0}")]
    NoEstimate(&'static str),
    /// The chart has no pixels at the scale asked.
    #[error("empty chart")]
    Empty,
    /// The chart has more pixels than can be rendered.
    #[error("chart too large to render")]
    TooLarge,
}

/// Wraps a plotters or resvg error.
pub fn err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// The SVG prepared for inlining in HTML: the namespace attribute (the only
/// URL in it) is not needed inside an HTML document.
pub fn inline(svg: &str) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

/// Font families tried, in order, for the charts' generic `sans-serif`
/// when rendering PNGs (the browser resolves it on its own).
const PNG_FAMILIES: [&str; 6] = [
    "DejaVu Sans",
    "Liberation Sans",
    "Noto Sans",
    "FreeSans",
    "Arial",
    "Helvetica",
];

/// Renders SVG to PNG with the machine's fonts.
///
/// The charts name the generic family `sans-serif`, which the font database
/// maps to Arial unless told otherwise; on a machine without Arial every
/// label would silently vanish from the PNGs. So the generic families are
/// pointed at the first installed family of [`PNG_FAMILIES`] (or, failing
/// those, any installed family). Text is left out only if the machine has
/// no fonts at all ([`Rasterizer::family`] is then `None`).
pub struct Rasterizer {
    options: resvg::usvg::Options<'static>,
    family: Option<String>,
}

impl Default for Rasterizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Rasterizer {
    /// Loads the system fonts once and chooses the family for `sans-serif`.
    pub fn new() -> Self {
        let mut options = resvg::usvg::Options::default();
        let db = options.fontdb_mut();
        db.load_system_fonts();
        let installed = |name: &str| {
            db.faces()
                .any(|f| f.families.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)))
        };
        let family = PNG_FAMILIES
            .iter()
            .find(|name| installed(name))
            .map(|name| name.to_string())
            .or_else(|| {
                // Any installed family, chosen by name so the choice is stable.
                db.faces()
                    .filter_map(|f| f.families.first().map(|(n, _)| n.clone()))
                    .min()
            });
        if let Some(family) = &family {
            db.set_sans_serif_family(family.clone());
            // usvg falls back to the generic serif family for any text whose
            // family is missing; keep that fallback on an installed font too.
            db.set_serif_family(family.clone());
            options.font_family = family.clone();
        }
        Rasterizer { options, family }
    }

    /// The installed font family that renders the charts' text, or `None`
    /// when the machine has no fonts and PNGs will carry no text.
    pub fn family(&self) -> Option<&str> {
        self.family.as_deref()
    }

    /// The PNG bytes of an SVG document, at `scale` × its pixel size.
    pub fn png(&self, svg: &str, scale: f32) -> Result<Vec<u8>, ChartError> {
        self.pixmap(svg, scale)?.encode_png().map_err(err)
    }

    /// The rendered pixels of an SVG document on white.
    fn pixmap(&self, svg: &str, scale: f32) -> Result<resvg::tiny_skia::Pixmap, ChartError> {
        let tree = resvg::usvg::Tree::from_str(svg, &self.options).map_err(err)?;
        let size = tree
            .size()
            .to_int_size()
            .scale_by(scale)
            .ok_or(ChartError::Empty)?;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
            .ok_or(ChartError::TooLarge)?;
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        Ok(pixmap)
    }
}

/// A short label for a number: 1,234 / 12.3 / 0.123 / 0.
pub fn short(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

/// An axis label with no decimals (days, percentages).
pub fn whole(v: &f64) -> String {
    format!("{v:.0}")
}

/// Text shortened to at most `max` characters, with `…` when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// Moves label positions (pixels, any order) apart so that neighbours are
/// at least `gap` apart, keeping them within `lo..=hi` where room allows.
/// Returns the new positions in the input order.
pub fn spread(positions: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by(|&a, &b| positions[a].total_cmp(&positions[b]).then(a.cmp(&b)));
    let mut placed: Vec<f64> = order.iter().map(|&i| positions[i]).collect();
    for k in 0..placed.len() {
        let floor = if k == 0 { lo } else { placed[k - 1] + gap };
        placed[k] = placed[k].max(floor);
    }
    // Pushed past the bottom: shift back up, keeping the gaps.
    for k in (0..placed.len()).rev() {
        let ceiling = if k + 1 == placed.len() {
            hi
        } else {
            placed[k + 1] - gap
        };
        placed[k] = placed[k].min(ceiling);
    }
    let mut out = vec![0.0; positions.len()];
    for (k, &i) in order.iter().enumerate() {
        out[i] = placed[k];
    }
    out
}

/// Names of the marker shapes, in slot order (for captions and legends).
pub const MARKERS: [&str; 8] = [
    "filled circle",
    "filled triangle",
    "filled square",
    "cross",
    "open circle",
    "open triangle",
    "open square",
    "open diamond",
];

/// Draws marker `shape` (a slot of [`MARKERS`]) at `at`, in the area's own
/// coordinates, so series differ in shape as well as colour.
pub fn marker<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    shape: usize,
    at: CT::From,
    colour: RGBColor,
) -> Result<(), ChartError>
where
    CT::From: Clone,
{
    let filled = colour.filled();
    let line = colour.stroke_width(2);
    let r = 4;
    let point = || EmptyElement::<CT::From, DB>::at(at.clone());
    let triangle = vec![(0, -r - 1), (r + 1, r), (-r - 1, r), (0, -r - 1)];
    let diamond = vec![
        (0, -r - 1),
        (r + 1, 0),
        (0, r + 1),
        (-r - 1, 0),
        (0, -r - 1),
    ];
    match shape % MARKERS.len() {
        0 => area.draw(&(point() + Circle::new((0, 0), r, filled))),
        1 => area.draw(&(point() + Polygon::new(triangle, filled))),
        2 => area.draw(&(point() + Rectangle::new([(-r, -r), (r, r)], filled))),
        3 => area.draw(&(point() + Cross::new((0, 0), r, line))),
        4 => area.draw(&(point() + Circle::new((0, 0), r, line))),
        5 => area.draw(&(point() + PathElement::new(triangle, line))),
        6 => area.draw(&(point() + Rectangle::new([(-r, -r), (r, r)], line))),
        _ => area.draw(&(point() + PathElement::new(diamond, line))),
    }
    .map_err(err)
}

/// A range that holds every value with a little room, never empty.
pub fn span(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-9 {
        let pad = if hi.abs() > 0.0 { hi.abs() * 0.1 } else { 1.0 };
        return (lo - pad, hi + pad);
    }
    let pad = (hi - lo) * 0.05;
    (
        if lo >= 0.0 {
            (lo - pad).max(0.0)
        } else {
            lo - pad
        },
        hi + pad,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_png_renders() {
        let svg = draw(200, 100, |a| {
            a.draw(&Text::new(
                "<script>alert(1)</script>",
                (10, 10),
                (FONT, 12).into_font(),
            ))
            .map_err(err)
        })
        .unwrap();
        assert!(svg.contains("&lt;script&gt;"));
        assert!(!svg.contains("<script>"));
        assert!(!inline(&svg).contains("http://"));
        let png = Rasterizer::new().png(&svg, 1.0).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }

    /// Pixels that are not white.
    fn inked(r: &Rasterizer, svg: &str) -> usize {
        r.pixmap(svg, 1.0)
            .unwrap()
            .pixels()
            .iter()
            .filter(|p| (p.red(), p.green(), p.blue()) != (255, 255, 255))
            .count()
    }

    /// The SVG without its `<text>` elements.
    fn without_text(svg: &str) -> String {
        let mut out = String::new();
        let mut rest = svg;
        while let Some(i) = rest.find("<text") {
            out.push_str(&rest[..i]);
            let end = rest[i..].find("</text>").expect("closed text") + i + "</text>".len();
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn png_figures_carry_their_text() {
        let r = Rasterizer::new();
        let Some(family) = r.family() else {
            println!("skipped: this machine has no fonts installed, so PNGs cannot carry text");
            return;
        };
        // A real chart: caption, axis labels and a direct label, all text.
        let coas = vec!["passive".to_string(), "decisive".to_string()];
        let futures = vec!["civil_strife".to_string(), "consolidation".to_string()];
        let mut counts = patronfall_analysis::futures::FutureCounts::new(2, 2);
        for (c, strife) in [6, 3].into_iter().enumerate() {
            for k in 0..10 {
                counts.add(c, Some(usize::from(k >= strife)));
            }
        }
        let t = counts.table(&coas, &futures);
        let svg = bars::stacked(&t).unwrap();
        let bare = without_text(&svg);
        assert!(svg.contains("<text") && !bare.contains("<text"));
        let (with, without) = (inked(&r, &svg), inked(&r, &bare));
        assert!(
            with > without + 2000,
            "the PNG's text did not render with {family}: {with} inked pixels with text, {without} without"
        );
        // A text-only drawing is blank without its text, not just lighter.
        let words = draw(300, 60, |a| {
            a.draw(&Text::new(
                "sans-serif text",
                (10, 20),
                (FONT, 20).into_font(),
            ))
            .map_err(err)
        })
        .unwrap();
        assert!(inked(&r, &words) > 200, "no glyphs drawn with {family}");
        assert_eq!(inked(&r, &without_text(&words)), 0);
    }

    #[test]
    fn labels_spread_apart_and_stay_in_bounds() {
        let p = spread(&[50.0, 10.0, 52.0, 51.0], 10.0, 0.0, 100.0);
        let mut sorted = p.clone();
        sorted.sort_by(f64::total_cmp);
        for w in sorted.windows(2) {
            assert!(w[1] - w[0] >= 10.0 - 1e-9, "{p:?}");
        }
        assert_eq!(p[1], 10.0);
        let q = spread(&[99.0, 100.0, 100.0], 10.0, 0.0, 100.0);
        assert!(q.iter().all(|&y| (0.0..=100.0).contains(&y)), "{q:?}");
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("abc", 4), "abc");
        assert_eq!(short(0.0), "0");
    }

    #[test]
    fn spans_are_never_empty() {
        assert_eq!(span([]), (0.0, 1.0));
        let (lo, hi) = span([2.0, 2.0]);
        assert!(lo < 2.0 && hi > 2.0);
        let (lo, hi) = span([0.0, 10.0]);
        assert_eq!(lo, 0.0);
        assert!(hi > 10.0);
    }
}
