//! A thin drawing surface over a PDF content stream.
//!
//! Coordinates are in points with the origin at the TOP-left of the page and
//! y growing downwards, which suits top-to-bottom layout; the conversion to
//! PDF's bottom-left origin happens here only.

use crate::fonts::{self, Encoded, Font};
use crate::theme::Color;
use pdf_writer::{Content, Name, Str};

/// Name of the ExtGState (in every page's resources) that makes fills translucent.
pub(crate) const TRANSLUCENT: Name<'static> = Name(b"Ga");
/// Fill opacity of [`TRANSLUCENT`].
pub(crate) const TRANSLUCENT_ALPHA: f32 = 0.28;

/// An axis-aligned rectangle in top-left coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub(crate) fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Self { x, y, w, h }
    }

    pub(crate) fn right(&self) -> f32 {
        self.x + self.w
    }

    pub(crate) fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// The rectangle shrunk by `d` on every side.
    pub(crate) fn inset(&self, d: f32) -> Self {
        Self::new(
            self.x + d,
            self.y + d,
            (self.w - 2.0 * d).max(0.0),
            (self.h - 2.0 * d).max(0.0),
        )
    }
}

/// Horizontal text alignment relative to the given x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// Font, size and colour of a piece of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    pub font: Font,
    pub size: f32,
    pub color: Color,
}

impl Style {
    pub(crate) fn new(font: Font, size: f32, color: Color) -> Self {
        Self { font, size, color }
    }

    /// Width of encoded text in this style.
    pub(crate) fn width(&self, text: &[u8]) -> f32 {
        self.font.width(self.size, text)
    }
}

/// One page's content stream under construction.
pub(crate) struct Canvas {
    content: Content,
    height: f32,
}

impl Canvas {
    pub(crate) fn new(height: f32) -> Self {
        Self {
            content: Content::new(),
            height,
        }
    }

    fn y(&self, y: f32) -> f32 {
        self.height - y
    }

    pub(crate) fn fill_rect(&mut self, r: Rect, color: Color) {
        let y = self.y(r.bottom());
        self.content
            .set_fill_rgb(color.0, color.1, color.2)
            .rect(r.x, y, r.w, r.h)
            .fill_nonzero();
    }

    pub(crate) fn stroke_rect(&mut self, r: Rect, color: Color, width: f32) {
        let y = self.y(r.bottom());
        self.content
            .set_stroke_rgb(color.0, color.1, color.2)
            .set_line_width(width)
            .rect(r.x, y, r.w, r.h)
            .stroke();
    }

    /// A rectangle with rounded corners, filled and/or stroked.
    pub(crate) fn rounded_rect(
        &mut self,
        r: Rect,
        radius: f32,
        fill: Option<Color>,
        stroke: Option<(Color, f32)>,
    ) {
        let rad = radius.min(r.w / 2.0).min(r.h / 2.0).max(0.0);
        let k = 0.552_284_8 * rad;
        let (x0, x1) = (r.x, r.right());
        let (top, bottom) = (self.y(r.y), self.y(r.bottom()));
        let c = &mut self.content;
        c.move_to(x0 + rad, bottom)
            .line_to(x1 - rad, bottom)
            .cubic_to(x1 - rad + k, bottom, x1, bottom + rad - k, x1, bottom + rad)
            .line_to(x1, top - rad)
            .cubic_to(x1, top - rad + k, x1 - rad + k, top, x1 - rad, top)
            .line_to(x0 + rad, top)
            .cubic_to(x0 + rad - k, top, x0, top - rad + k, x0, top - rad)
            .line_to(x0, bottom + rad)
            .cubic_to(x0, bottom + rad - k, x0 + rad - k, bottom, x0 + rad, bottom)
            .close_path();
        self.paint(fill, stroke);
    }

    fn paint(&mut self, fill: Option<Color>, stroke: Option<(Color, f32)>) {
        let c = &mut self.content;
        if let Some(f) = fill {
            c.set_fill_rgb(f.0, f.1, f.2);
        }
        if let Some((s, w)) = stroke {
            c.set_stroke_rgb(s.0, s.1, s.2).set_line_width(w);
        }
        match (fill.is_some(), stroke.is_some()) {
            (true, true) => c.fill_nonzero_and_stroke(),
            (true, false) => c.fill_nonzero(),
            (false, true) => c.stroke(),
            (false, false) => c.end_path(),
        };
    }

    pub(crate) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, color: Color, width: f32) {
        let (y1, y2) = (self.y(y1), self.y(y2));
        self.content
            .set_stroke_rgb(color.0, color.1, color.2)
            .set_line_width(width)
            .move_to(x1, y1)
            .line_to(x2, y2)
            .stroke();
    }

    /// An open polyline with round joins.
    pub(crate) fn polyline(&mut self, points: &[(f32, f32)], color: Color, width: f32) {
        if points.len() < 2 {
            return;
        }
        self.content
            .save_state()
            .set_line_join(pdf_writer::types::LineJoinStyle::RoundJoin)
            .set_line_cap(pdf_writer::types::LineCapStyle::RoundCap);
        self.path(points, false);
        self.paint(None, Some((color, width)));
        self.content.restore_state();
    }

    /// A closed polygon filled with `color`, translucent when asked.
    pub(crate) fn fill_polygon(&mut self, points: &[(f32, f32)], color: Color, translucent: bool) {
        if points.len() < 3 {
            return;
        }
        self.content.save_state();
        if translucent {
            self.content.set_parameters(TRANSLUCENT);
        }
        self.path(points, true);
        self.paint(Some(color), None);
        self.content.restore_state();
    }

    fn path(&mut self, points: &[(f32, f32)], close: bool) {
        let h = self.height;
        let c = &mut self.content;
        for (i, &(x, y)) in points.iter().enumerate() {
            if i == 0 {
                c.move_to(x, h - y);
            } else {
                c.line_to(x, h - y);
            }
        }
        if close {
            c.close_path();
        }
    }

    /// A filled circle, optionally outlined.
    pub(crate) fn circle(
        &mut self,
        cx: f32,
        cy: f32,
        r: f32,
        fill: Color,
        stroke: Option<(Color, f32)>,
    ) {
        self.wedge_path(cx, cy, r, 0.0, std::f32::consts::TAU, false);
        self.paint(Some(fill), stroke);
    }

    /// A pie slice of radius `r` around `center` from `angles.0` to
    /// `angles.1` (radians, clockwise from 12 o'clock).
    pub(crate) fn wedge(
        &mut self,
        center: (f32, f32),
        r: f32,
        angles: (f32, f32),
        fill: Color,
        stroke: Option<(Color, f32)>,
    ) {
        let (start, end) = angles;
        let full = end - start >= std::f32::consts::TAU - 1e-4;
        self.wedge_path(center.0, center.1, r, start, end, !full);
        self.paint(Some(fill), stroke);
    }

    fn wedge_path(&mut self, cx: f32, cy: f32, r: f32, start: f32, end: f32, to_center: bool) {
        let cy = self.y(cy);
        let point = |a: f32| (cx + r * a.sin(), cy + r * a.cos());
        let c = &mut self.content;
        let (sx, sy) = point(start);
        if to_center {
            c.move_to(cx, cy).line_to(sx, sy);
        } else {
            c.move_to(sx, sy);
        }
        let segments = ((end - start) / std::f32::consts::FRAC_PI_2)
            .ceil()
            .max(1.0) as usize;
        let step = (end - start) / segments as f32;
        for i in 0..segments {
            let a0 = start + step * i as f32;
            let a1 = a0 + step;
            let k = 4.0 / 3.0 * (step / 4.0).tan() * r;
            let (x0, y0) = point(a0);
            let (x3, y3) = point(a1);
            // Tangent of (sin a, cos a) is (cos a, -sin a).
            c.cubic_to(
                x0 + k * a0.cos(),
                y0 - k * a0.sin(),
                x3 - k * a1.cos(),
                y3 + k * a1.sin(),
                x3,
                y3,
            );
        }
        c.close_path();
    }

    /// Draws encoded text with its baseline at `baseline`, aligned on `x`.
    /// Returns the drawn width.
    pub(crate) fn text(
        &mut self,
        x: f32,
        baseline: f32,
        text: &[u8],
        style: Style,
        align: Align,
    ) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        let width = style.width(text);
        let left = match align {
            Align::Left => x,
            Align::Center => x - width / 2.0,
            Align::Right => x - width,
        };
        let y = self.y(baseline);
        let Color(r, g, b) = style.color;
        self.content
            .set_fill_rgb(r, g, b)
            .begin_text()
            .set_font(style.font.resource(), style.size)
            .next_line(left, y)
            .show(Str(text))
            .end_text();
        width
    }

    /// Encodes `text`, truncates it to `max_width` with an ellipsis and draws it.
    pub(crate) fn text_fit(
        &mut self,
        x: f32,
        baseline: f32,
        text: &str,
        style: Style,
        align: Align,
        max_width: f32,
    ) -> f32 {
        let encoded = fonts::fit(style.font, style.size, &fonts::encode(text), max_width);
        self.text(x, baseline, &encoded, style, align)
    }

    /// Draws text rotated 90° counter-clockwise (reading bottom to top),
    /// centred vertically on `center_y`, its baseline at `x`.
    pub(crate) fn text_vertical(&mut self, x: f32, center_y: f32, text: &Encoded, style: Style) {
        if text.is_empty() {
            return;
        }
        let width = style.width(text);
        let y = self.y(center_y) - width / 2.0;
        let Color(r, g, b) = style.color;
        self.content
            .set_fill_rgb(r, g, b)
            .begin_text()
            .set_font(style.font.resource(), style.size)
            .set_text_matrix([0.0, 1.0, -1.0, 0.0, x, y])
            .show(Str(text))
            .end_text();
    }

    /// The finished, uncompressed content stream.
    pub(crate) fn finish(self) -> Vec<u8> {
        self.content.finish().into_vec()
    }
}
