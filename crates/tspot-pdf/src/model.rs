//! The input of the renderer: a Liveboard's data and the export options of
//! `POST /tspublic/v1/export/pinboard/pdf`.

/// A Liveboard (formerly pinboard) ready to be exported.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// Liveboard name; shown on the cover, in the page header and as the PDF title.
    pub title: String,
    /// Liveboard description; shown on the cover.
    pub description: Option<String>,
    /// Display name of the author; shown on the cover and as the PDF author.
    pub author: Option<String>,
    /// When the export was made, already formatted by the caller. The renderer
    /// never reads the clock, so the same input gives the same bytes.
    pub generated_at: String,
    /// Filters applied to the Liveboard, listed on the filter page.
    pub filters: Vec<FilterLine>,
    /// The visualizations, in Liveboard order.
    pub visualizations: Vec<Visual>,
}

/// One filter of the filter page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilterLine {
    /// The filtered column, e.g. `Region`.
    pub column: String,
    /// Human-readable condition, e.g. `Region is east, west`.
    pub description: String,
}

/// One visualization (an Answer pinned to the Liveboard) with its data.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Visual {
    /// Visualization GUID.
    pub id: String,
    /// Visualization name, shown as the block title.
    pub title: String,
    /// How to draw it.
    pub kind: VisualKind,
    /// Column names, aligned with each row of `rows`.
    pub column_names: Vec<String>,
    /// Data rows (`data` of `export/pinboard/data`).
    pub rows: Vec<Vec<Cell>>,
    /// Rows available on the server (`totalRowCount`); may exceed `rows.len()`.
    pub total_rows: u64,
}

/// The chart type of a visualization.
///
/// Charts use the first column as the category (x axis, bar labels, pie
/// slices) and every following numeric column as a series.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum VisualKind {
    /// One big number with its label.
    Headline,
    /// Vertical bars.
    Column,
    /// Horizontal bars.
    Bar,
    /// Lines with points.
    Line,
    /// Lines with the area below them filled.
    Area,
    /// Pie slices of the first series.
    Pie,
    /// A table (the default).
    #[default]
    Table,
    /// A filter widget: a small block with its column and values.
    Filter,
    /// Any other chart type (by its ThoughtSpot name); drawn as a table.
    Other(String),
}

impl VisualKind {
    /// Maps a ThoughtSpot chart or visualization type name (`COLUMN`,
    /// `STACKED_BAR`, `LINE`, `PIE`, `HEADLINE`, `TABLE`, ...) to a kind.
    /// Unknown names become [`VisualKind::Other`], which is drawn as a table.
    pub fn from_thoughtspot(name: &str) -> Self {
        match name.trim().to_ascii_uppercase().as_str() {
            "HEADLINE" | "KPI" => Self::Headline,
            "COLUMN" | "STACKED_COLUMN" | "PARETO" | "WATERFALL" => Self::Column,
            "BAR" | "STACKED_BAR" => Self::Bar,
            "LINE" | "LINE_COLUMN" | "LINE_STACKED_COLUMN" | "SPLINE" => Self::Line,
            "AREA" | "STACKED_AREA" => Self::Area,
            "PIE" | "DONUT" => Self::Pie,
            "TABLE" | "GRID" | "PIVOT_TABLE" => Self::Table,
            "FILTER" => Self::Filter,
            _ => Self::Other(name.to_string()),
        }
    }
}

/// One data value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    /// A string value.
    Text(String),
    /// A numeric value (non-finite numbers are shown as null).
    Number(f64),
    /// No value; shown as `{Null}` like ThoughtSpot does.
    #[default]
    Null,
}

impl From<&str> for Cell {
    fn from(value: &str) -> Self {
        Self::Text(value.to_string())
    }
}

impl From<String> for Cell {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<f64> for Cell {
    fn from(value: f64) -> Self {
        Self::Number(value)
    }
}

impl From<i64> for Cell {
    fn from(value: i64) -> Self {
        // Precision loss above 2^53 is acceptable for display.
        Self::Number(value as f64)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Into::into)
    }
}

/// `layout_type`: how visualizations are placed on pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Layout {
    /// `PINBOARD`: blocks flow two per row, several per page, like the Liveboard.
    #[default]
    Pinboard,
    /// `VISUALIZATION`: exactly one visualization per page.
    Visualization,
}

/// `orientation`: A4 landscape or portrait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Orientation {
    /// 842 × 595 pt.
    #[default]
    Landscape,
    /// 595 × 842 pt.
    Portrait,
}

/// The export options of `export/pinboard/pdf`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Options {
    /// `layout_type`.
    pub layout: Layout,
    /// `orientation`.
    pub orientation: Orientation,
    /// `truncate_tables`: only the first page of each table. Applies to the
    /// VISUALIZATION layout only (as in ThoughtSpot); ignored for PINBOARD.
    pub truncate_tables: bool,
    /// `include_logo`: the tspot mark on the cover and in the page header.
    pub include_logo: bool,
    /// `footer_text`: shown at the bottom left of every page but the cover.
    pub footer_text: Option<String>,
    /// `include_page_number`: "Page N of M" at the bottom right of every page but the cover.
    pub include_page_number: bool,
    /// `include_cover_page`.
    pub include_cover_page: bool,
    /// `include_filter_page`.
    pub include_filter_page: bool,
}

impl Default for Options {
    /// ThoughtSpot's documented defaults.
    fn default() -> Self {
        Self {
            layout: Layout::Pinboard,
            orientation: Orientation::Landscape,
            truncate_tables: false,
            include_logo: true,
            footer_text: None,
            include_page_number: true,
            include_cover_page: true,
            include_filter_page: true,
        }
    }
}
