//! Colours and type sizes shared by all drawing code.

/// An RGB colour, components in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Color(pub f32, pub f32, pub f32);

impl Color {
    const fn hex(rgb: u32) -> Self {
        Color(
            ((rgb >> 16) & 0xFF) as f32 / 255.0,
            ((rgb >> 8) & 0xFF) as f32 / 255.0,
            (rgb & 0xFF) as f32 / 255.0,
        )
    }
}

pub(crate) const TEXT: Color = Color::hex(0x1D232F);
pub(crate) const MUTED: Color = Color::hex(0x6A7381);
pub(crate) const FAINT: Color = Color::hex(0x9AA3AF);
pub(crate) const WHITE: Color = Color::hex(0xFFFFFF);
pub(crate) const BRAND: Color = Color::hex(0x2770EF);
pub(crate) const BRAND_DARK: Color = Color::hex(0x163E8C);
pub(crate) const CARD_BORDER: Color = Color::hex(0xD5DAE1);
pub(crate) const GRID: Color = Color::hex(0xE3E7EC);
pub(crate) const AXIS: Color = Color::hex(0x9AA3AF);
pub(crate) const TABLE_HEADER_BG: Color = Color::hex(0xEEF2F8);
pub(crate) const TABLE_STRIPE: Color = Color::hex(0xF8F9FB);
pub(crate) const TABLE_GRID: Color = Color::hex(0xD5DAE1);
pub(crate) const RULE: Color = Color::hex(0xC9CFD8);

/// Series colours, in order.
pub(crate) const PALETTE: [Color; 10] = [
    Color::hex(0x2770EF),
    Color::hex(0x48D1E0),
    Color::hex(0xFCC838),
    Color::hex(0x8C62F5),
    Color::hex(0xFF8142),
    Color::hex(0x4EC9A3),
    Color::hex(0xF06292),
    Color::hex(0x71A1F4),
    Color::hex(0xA3A8B1),
    Color::hex(0x2C3E73),
];

/// Colour of series (or slice) `index`.
pub(crate) fn series_color(index: usize) -> Color {
    PALETTE[index % PALETTE.len()]
}

/// Block title size.
pub(crate) const TITLE_SIZE: f32 = 10.5;
/// Chart labels, table cells.
pub(crate) const LABEL_SIZE: f32 = 7.5;
/// Notes ("Showing N of M rows"), footer.
pub(crate) const NOTE_SIZE: f32 = 8.0;
