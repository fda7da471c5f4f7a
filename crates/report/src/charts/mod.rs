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
    paint: impl FnOnce(&Area) -> Result<(), String>,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        paint(&root)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Converts any plotters error to text.
pub fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// The SVG prepared for inlining in HTML: the namespace attribute (the only
/// URL in it) is not needed inside an HTML document.
pub fn inline(svg: &str) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

/// Renders SVG to PNG with the machine's fonts (DejaVu or Liberation when
/// installed; text is left out of the PNG if the machine has no fonts).
pub struct Rasterizer {
    options: resvg::usvg::Options<'static>,
}

impl Default for Rasterizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Rasterizer {
    /// Loads the system fonts once.
    pub fn new() -> Self {
        let mut options = resvg::usvg::Options::default();
        options.fontdb_mut().load_system_fonts();
        options.font_family = "DejaVu Sans".to_string();
        Rasterizer { options }
    }

    /// The PNG bytes of an SVG document, at `scale` × its pixel size.
    pub fn png(&self, svg: &str, scale: f32) -> Result<Vec<u8>, String> {
        let tree = resvg::usvg::Tree::from_str(svg, &self.options).map_err(err)?;
        let size = tree
            .size()
            .to_int_size()
            .scale_by(scale)
            .ok_or("empty chart")?;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
            .ok_or("chart too large to render")?;
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        pixmap.encode_png().map_err(err)
    }
}

/// A short label for a number: 1,234 / 12.3 / 0.123.
pub fn short(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
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
