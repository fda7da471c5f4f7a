//! The cells an agent sees from a given cell on the torus, precomputed once
//! per grid as horizontal runs (for sums) and as a flat offset list (for
//! drawing a random cell).
//!
//! Every supported shape is symmetric about the own cell, so each row of the
//! neighbourhood is one interval [−w, w] around the agent's column. On small
//! grids the torus folds rows and columns onto each other; duplicates are
//! merged so each cell is seen once, as in NetLogo and Mesa.

use std::collections::BTreeMap;

use crate::variant::Shape;

/// One row of a neighbourhood: the row `dy` below the agent (mod height) and
/// the half-width `half` of its interval; `full` when it covers the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// Row offset, already reduced modulo the grid height.
    pub dy: u32,
    /// Half-width w of the interval [−w, w], in cells.
    pub half: u32,
    /// True when 2w + 1 ≥ width, so the whole row is seen.
    pub full: bool,
}

/// A precomputed neighbourhood for one vision, shape and grid size.
#[derive(Debug, Clone)]
pub struct Neighbourhood {
    width: u32,
    height: u32,
    rows: Vec<Row>,
    /// (dx, dy) offsets reduced modulo (width, height); includes (0, 0).
    offsets: Vec<(u32, u32)>,
}

impl Neighbourhood {
    /// Cells within `vision` of the origin under `shape`, own cell included.
    pub fn new(shape: Shape, vision: f64, width: u32, height: u32) -> Self {
        let radius = vision.floor() as i64;
        // Row offset modulo height → largest half-width seen in that row.
        let mut by_row: BTreeMap<u32, u32> = BTreeMap::new();
        for dy in -radius..=radius {
            let half = match shape {
                Shape::VonNeumann => radius - dy.abs(),
                Shape::Moore => radius,
                Shape::Disc => disc_half(vision, dy),
            };
            let row = dy.rem_euclid(i64::from(height)) as u32;
            let half = half as u32;
            let entry = by_row.entry(row).or_insert(half);
            *entry = (*entry).max(half);
        }
        let rows: Vec<Row> = by_row
            .into_iter()
            .map(|(dy, half)| Row {
                dy,
                half,
                full: 2 * u64::from(half) + 1 >= u64::from(width),
            })
            .collect();
        let mut offsets = Vec::new();
        for row in &rows {
            if row.full {
                offsets.extend((0..width).map(|dx| (dx, row.dy)));
            } else {
                let h = i64::from(row.half);
                offsets.extend((-h..=h).map(|dx| (dx.rem_euclid(i64::from(width)) as u32, row.dy)));
            }
        }
        Neighbourhood {
            width,
            height,
            rows,
            offsets,
        }
    }

    /// The rows of the neighbourhood.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Number of distinct cells seen, own cell included.
    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    /// Never true: the own cell is always part of the neighbourhood.
    pub fn is_empty(&self) -> bool {
        self.offsets.is_empty()
    }

    /// The `i`-th cell seen from `cell`, for `i < len()`.
    #[inline]
    pub fn cell_at(&self, cell: u32, i: usize) -> u32 {
        self.cell_from(self.origin(cell), i)
    }

    /// Column and row of `cell`, for repeated [`Neighbourhood::cell_from`].
    #[inline]
    pub fn origin(&self, cell: u32) -> (u32, u32) {
        (cell % self.width, cell / self.width)
    }

    /// The `i`-th cell seen from the cell at column and row `origin`.
    #[inline]
    pub fn cell_from(&self, origin: (u32, u32), i: usize) -> u32 {
        let (dx, dy) = self.offsets[i];
        let (x, y) = origin;
        let mut nx = x + dx;
        if nx >= self.width {
            nx -= self.width;
        }
        let mut ny = y + dy;
        if ny >= self.height {
            ny -= self.height;
        }
        ny * self.width + nx
    }

    /// Calls `visit(start, end)` for each contiguous index range of cells
    /// seen from `cell` (at most two per row, from wrapping around).
    #[inline]
    pub fn for_each_span(&self, cell: u32, mut visit: impl FnMut(usize, usize)) {
        let w = self.width;
        let x = cell % w;
        let y = cell / w;
        for row in &self.rows {
            let mut ny = y + row.dy;
            if ny >= self.height {
                ny -= self.height;
            }
            let base = (ny * w) as usize;
            if row.full {
                visit(base, base + w as usize);
                continue;
            }
            let start = if x >= row.half {
                x - row.half
            } else {
                x + w - row.half
            };
            let len = 2 * row.half + 1;
            if start + len <= w {
                visit(base + start as usize, base + (start + len) as usize);
            } else {
                visit(base + start as usize, base + w as usize);
                visit(base, base + (start + len - w) as usize);
            }
        }
    }
}

/// Largest |dx| with dx² + dy² ≤ vision², for |dy| ≤ vision.
fn disc_half(vision: f64, dy: i64) -> i64 {
    let limit = vision * vision;
    let dy2 = (dy * dy) as f64;
    let mut half = (limit - dy2).max(0.0).sqrt().floor() as i64;
    // Guard against rounding in sqrt on exact squares.
    while ((half + 1) * (half + 1)) as f64 + dy2 <= limit {
        half += 1;
    }
    while half > 0 && (half * half) as f64 + dy2 > limit {
        half -= 1;
    }
    half
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn cells_by_spans(n: &Neighbourhood, cell: u32) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        n.for_each_span(cell, |a, b| out.extend(a..b));
        out
    }

    #[test]
    fn sizes_match_the_shapes() {
        // Diamond of radius 7: 2·7·8 + 1 = 113 cells; square: 15² = 225.
        assert_eq!(
            Neighbourhood::new(Shape::VonNeumann, 7.0, 40, 40).len(),
            113
        );
        assert_eq!(Neighbourhood::new(Shape::Moore, 7.0, 40, 40).len(), 225);
        // Lattice points in a disc of radius 7 (Gauss circle problem: 149).
        assert_eq!(Neighbourhood::new(Shape::Disc, 7.0, 40, 40).len(), 149);
        // Radius 0 sees only the own cell.
        assert_eq!(Neighbourhood::new(Shape::Disc, 0.5, 40, 40).len(), 1);
    }

    #[test]
    fn spans_and_offsets_agree_everywhere_including_wraps() {
        for (shape, v, w, h) in [
            (Shape::VonNeumann, 7.0, 40, 40),
            (Shape::Disc, 7.0, 40, 40),
            (Shape::Disc, 3.5, 9, 5),
            (Shape::Moore, 4.0, 6, 11),
            (Shape::VonNeumann, 10.0, 7, 7),
        ] {
            let n = Neighbourhood::new(shape, v, w, h);
            for cell in 0..w * h {
                let by_offsets: BTreeSet<usize> =
                    (0..n.len()).map(|i| n.cell_at(cell, i) as usize).collect();
                assert_eq!(by_offsets.len(), n.len(), "duplicate offsets");
                assert_eq!(by_offsets, cells_by_spans(&n, cell), "{shape:?} {cell}");
            }
        }
    }

    #[test]
    fn small_torus_folds_onto_every_cell_once() {
        let n = Neighbourhood::new(Shape::Moore, 7.0, 5, 4);
        assert_eq!(n.len(), 20);
    }

    #[test]
    fn disc_uses_euclidean_distance() {
        let n = Neighbourhood::new(Shape::Disc, 2.0, 20, 20);
        // Radius 2 disc: 13 cells; (1,1) is in (√2 ≤ 2), (2,1) is not (√5 > 2).
        assert_eq!(n.len(), 13);
        let origin = 5 * 20 + 5;
        let seen = cells_by_spans(&n, origin);
        assert!(seen.contains(&(6 * 20 + 6)));
        assert!(!seen.contains(&(6 * 20 + 7)));
    }
}
