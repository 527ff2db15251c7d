//! Text and fonts: the two base-14 fonts, WinAnsiEncoding, measuring,
//! truncating with an ellipsis and word wrapping.
//!
//! Strings are encoded once into WinAnsi bytes ([`Encoded`]); one byte is one
//! glyph, so measuring and truncating work on bytes.

use crate::metrics::{HELVETICA, HELVETICA_BOLD, WIN_ANSI_UNICODE};
use pdf_writer::Name;

/// WinAnsi code of the horizontal ellipsis `…`.
const ELLIPSIS: u8 = 0x85;

/// A base-14 font with WinAnsiEncoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Font {
    Regular,
    Bold,
}

impl Font {
    /// Resource name in each page's `/Font` dictionary.
    pub(crate) fn resource(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"F1"),
            Font::Bold => Name(b"F2"),
        }
    }

    /// PostScript name of the standard font.
    pub(crate) fn base_font(self) -> Name<'static> {
        match self {
            Font::Regular => Name(b"Helvetica"),
            Font::Bold => Name(b"Helvetica-Bold"),
        }
    }

    fn widths(self) -> &'static [u16; 256] {
        match self {
            Font::Regular => &HELVETICA,
            Font::Bold => &HELVETICA_BOLD,
        }
    }

    /// Width of encoded text at `size` points.
    pub(crate) fn width(self, size: f32, text: &[u8]) -> f32 {
        let table = self.widths();
        let units: u32 = text.iter().map(|&b| u32::from(table[usize::from(b)])).sum();
        units as f32 * size / 1000.0
    }

    /// Width of `text` at `size` points once encoded.
    pub(crate) fn measure(self, size: f32, text: &str) -> f32 {
        self.width(size, &encode(text))
    }
}

/// Text encoded in WinAnsiEncoding.
pub(crate) type Encoded = Vec<u8>;

/// Encodes `text` in WinAnsiEncoding (the Latin-1 supplement, Latin Extended
/// letters of cp1252, typographic quotes, dashes, `€`, `…`, `™`).
///
/// Control characters become spaces, combining marks are dropped, a few
/// look-alikes are substituted and anything else becomes `?`: base-14 fonts
/// carry no other glyphs.
pub(crate) fn encode(text: &str) -> Encoded {
    let mut out = Vec::with_capacity(text.len());
    for ch in text.chars() {
        if let Some(byte) = encode_char(ch) {
            out.push(byte);
        }
    }
    out
}

fn encode_char(ch: char) -> Option<u8> {
    let code = ch as u32;
    match code {
        0x20..=0x7E | 0xA0..=0xFF => Some(code as u8),
        // Combining diacritical marks: the base letter is kept.
        0x0300..=0x036F | 0x200B..=0x200D | 0xFE0F => None,
        0x00..=0x1F | 0x7F..=0x9F => Some(b' '),
        0x2010 | 0x2011 | 0x2012 | 0x2212 => Some(b'-'),
        0x2032 => Some(b'\''),
        0x2033 => Some(b'"'),
        0x2007 | 0x202F => Some(0xA0),
        0x2000..=0x200A => Some(b' '),
        _ => {
            let found = WIN_ANSI_UNICODE[0x80..0xA0]
                .iter()
                .position(|&u| u != 0 && u32::from(u) == code);
            Some(found.map_or(b'?', |i| 0x80 + i as u8))
        }
    }
}

/// Truncates encoded text so that it fits in `max_width`, ending it with an
/// ellipsis when something had to be cut. Returns nothing when not even the
/// ellipsis fits.
pub(crate) fn fit(font: Font, size: f32, text: &[u8], max_width: f32) -> Encoded {
    if font.width(size, text) <= max_width {
        return text.to_vec();
    }
    let ellipsis = font.width(size, &[ELLIPSIS]);
    if ellipsis > max_width {
        return Vec::new();
    }
    let mut used = ellipsis;
    let mut out = Vec::new();
    for &b in text {
        let w = font.width(size, &[b]);
        if used + w > max_width {
            break;
        }
        used += w;
        out.push(b);
    }
    while out.last() == Some(&b' ') {
        out.pop();
    }
    out.push(ELLIPSIS);
    out
}

/// Word-wraps `text` into lines no wider than `max_width`, at most
/// `max_lines` of them (the last one ends with an ellipsis when text remains).
/// Words longer than a line are cut.
pub(crate) fn wrap(
    font: Font,
    size: f32,
    text: &str,
    max_width: f32,
    max_lines: usize,
) -> Vec<Encoded> {
    let mut lines: Vec<Encoded> = Vec::new();
    for paragraph in text.split('\n') {
        let mut line: Encoded = Vec::new();
        for word in paragraph.split_whitespace() {
            let word = encode(word);
            let candidate_width = if line.is_empty() {
                font.width(size, &word)
            } else {
                font.width(size, &line) + font.width(size, b" ") + font.width(size, &word)
            };
            if candidate_width <= max_width {
                if !line.is_empty() {
                    line.push(b' ');
                }
                line.extend_from_slice(&word);
            } else {
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                let mut rest: &[u8] = &word;
                while font.width(size, rest) > max_width && !rest.is_empty() {
                    let cut = split_at_width(font, size, rest, max_width);
                    lines.push(rest[..cut].to_vec());
                    rest = &rest[cut..];
                }
                line = rest.to_vec();
            }
        }
        lines.push(line);
    }
    while lines.len() > 1 && lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            // Force an ellipsis: append one and fit again.
            let mut longer = last.clone();
            longer.extend_from_slice(b" \x85\x85");
            *last = fit(font, size, &longer, max_width);
            if last.last() != Some(&ELLIPSIS) {
                last.push(ELLIPSIS);
            }
        }
    }
    lines
}

/// Number of leading bytes of `text` that fit in `max_width` (at least one).
fn split_at_width(font: Font, size: f32, text: &[u8], max_width: f32) -> usize {
    let mut used = 0.0;
    for (i, &b) in text.iter().enumerate() {
        used += font.width(size, &[b]);
        if used > max_width {
            return i.max(1);
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_latin1_and_cp1252_punctuation() {
        assert_eq!(encode("Zürich"), b"Z\xFCrich");
        assert_eq!(encode("São Paulo"), b"S\xE3o Paulo");
        assert_eq!(encode("a — b – c €"), b"a \x97 b \x96 c \x80");
        assert_eq!(encode("漢"), b"?");
        assert_eq!(encode("Zu\u{308}rich"), b"Zurich");
        assert_eq!(encode("a\tb"), b"a b");
    }

    #[test]
    fn measures_with_afm_widths() {
        // "Hello" in Helvetica: 722 + 556 + 222 + 222 + 556 = 2278.
        assert!((Font::Regular.measure(10.0, "Hello") - 22.78).abs() < 1e-3);
        assert!(Font::Bold.measure(10.0, "Hello") > Font::Regular.measure(10.0, "Hello"));
    }

    #[test]
    fn fit_truncates_with_ellipsis() {
        let text = encode("A rather long column value");
        let fitted = fit(Font::Regular, 10.0, &text, 60.0);
        assert_eq!(fitted.last(), Some(&ELLIPSIS));
        assert!(Font::Regular.width(10.0, &fitted) <= 60.0);
        assert_eq!(fit(Font::Regular, 10.0, b"ok", 60.0), b"ok");
        assert!(fit(Font::Regular, 10.0, b"ok", 1.0).is_empty());
    }

    #[test]
    fn wrap_breaks_at_words_and_limits_lines() {
        let lines = wrap(Font::Regular, 10.0, "one two three four five six", 50.0, 10);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(Font::Regular.width(10.0, line) <= 50.0);
        }
        let limited = wrap(Font::Regular, 10.0, "one two three four five six", 50.0, 2);
        assert_eq!(limited.len(), 2);
        assert_eq!(limited[1].last(), Some(&ELLIPSIS));
        let long = wrap(Font::Regular, 10.0, "Supercalifragilistic", 30.0, 10);
        assert!(long.len() > 1);
    }
}
