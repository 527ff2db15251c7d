//! What a command prints on standard output, in the format `--output` asks for: an aligned table
//! for people, CSV for spreadsheets, pretty JSON for programs. Tables underline their header with
//! box-drawing rules on a terminal, and with plain `-` elsewhere (pipes, files, logs).

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, UNIX_EPOCH};

use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, TableComponent};
use serde_json::Value;
use tspot_format::{Bucket, Column};

/// `--output`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns, for people.
    #[default]
    Table,
    /// Pretty-printed JSON: the API's own objects, for programs.
    Json,
    /// Comma-separated values with a header row.
    Csv,
}

/// The line under a table's header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// `───`, for a terminal.
    Box,
    /// `---`, for pipes and files: plain ASCII.
    Plain,
}

impl Rule {
    fn char(self) -> char {
        match self {
            Rule::Box => '─',
            Rule::Plain => '-',
        }
    }
}

/// What the API (the data source's TML) says a column holds, when that changes how it reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// Dates, sent as epoch seconds: shown as ISO-8601 dates (`2026-11-01`).
    Date,
    /// Dates with times, sent as epoch seconds: shown as ISO-8601 (`2026-11-01T09:30:00Z`).
    DateTime,
}

/// Rows under a header; cells are JSON values so that numbers stay numbers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    /// Per column, when known: a date or a date-time column (the rest go by their values).
    pub kinds: Vec<Option<ColumnKind>>,
}

impl Table {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
            kinds: Vec::new(),
        }
    }

    pub fn push<V: Into<Value>>(&mut self, row: impl IntoIterator<Item = V>) {
        self.rows.push(row.into_iter().map(Into::into).collect());
    }
}

/// A table with a title, one of several a command prints.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub title: String,
    pub table: Table,
}

/// What a command prints.
#[derive(Clone, Debug, PartialEq)]
pub enum Report {
    /// One table; JSON prints `json` instead.
    Table { table: Table, json: Value },
    /// Titled tables (table output), CSV blocks separated by an empty line; JSON prints `json`.
    Sections { sections: Vec<Section>, json: Value },
    /// A sentence for people; JSON prints `json`, CSV the fields of `json` as one row.
    Message { text: String, json: Value },
    /// Nothing on standard output (the command wrote its result elsewhere).
    Nothing,
}

impl Report {
    pub fn print(&self, format: Format) -> io::Result<()> {
        let stdout = io::stdout();
        let rule = if stdout.is_terminal() {
            Rule::Box
        } else {
            Rule::Plain
        };
        let mut out = stdout.lock();
        self.write(format, rule, &mut out)?;
        out.flush()
    }

    pub fn write(&self, format: Format, rule: Rule, out: &mut dyn Write) -> io::Result<()> {
        match (self, format) {
            (Report::Nothing, _) => Ok(()),
            (
                Report::Table { json, .. }
                | Report::Sections { json, .. }
                | Report::Message { json, .. },
                Format::Json,
            ) => {
                let text = serde_json::to_string_pretty(json).map_err(io::Error::other)?;
                writeln!(out, "{text}")
            }
            (Report::Table { table, .. }, Format::Table) => {
                writeln!(out, "{}", render_table(table, rule))
            }
            (Report::Table { table, .. }, Format::Csv) => write_csv(table, out),
            (Report::Sections { sections, .. }, Format::Table) => {
                for (index, section) in sections.iter().enumerate() {
                    if index > 0 {
                        writeln!(out)?;
                    }
                    writeln!(out, "{}", section.title)?;
                    writeln!(out, "{}", render_table(&section.table, rule))?;
                }
                Ok(())
            }
            (Report::Sections { sections, .. }, Format::Csv) => {
                for (index, section) in sections.iter().enumerate() {
                    if index > 0 {
                        writeln!(out)?;
                    }
                    write_csv(&section.table, out)?;
                }
                Ok(())
            }
            (Report::Message { text, .. }, Format::Table) => writeln!(out, "{text}"),
            (Report::Message { json, .. }, Format::Csv) => write_csv(&object_as_row(json), out),
        }
    }
}

/// The text of a cell: strings as they are, numbers as JSON writes them, `null` empty, lists
/// joined with commas.
pub fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(cell_text).collect::<Vec<_>>().join(", "),
        Value::Object(_) => value.to_string(),
    }
}

/// How the values of one column become text for people, by the rules of `tspot-format` (the
/// PDF export's too, so a value reads the same in both).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Shown {
    /// A date bucket: its name says so (`Month(Order Date)`) and every value is a whole number,
    /// the epoch seconds of the bucket's first day. The API's answers carry column names but no
    /// column types, so the name is all there is to go by.
    Bucket(Bucket),
    /// A date or date-time column by its type: ISO-8601.
    Date(ColumnKind),
    /// Numbers with one decimals choice for the whole column.
    Numbers(Column),
}

fn shown(table: &Table, index: usize) -> Shown {
    let values = || {
        table
            .rows
            .iter()
            .filter_map(move |row| row.get(index))
            .filter(|value| !value.is_null())
    };
    let bucket = table
        .headers
        .get(index)
        .and_then(|name| Bucket::from_column_name(name));
    let all_integers = values().all(|value| value.as_i64().is_some());
    match (bucket, table.kinds.get(index).copied().flatten()) {
        (Some(bucket), _) if all_integers => Shown::Bucket(bucket),
        (None, Some(kind)) if all_integers => Shown::Date(kind),
        _ => Shown::Numbers(Column::new(values().filter_map(Value::as_f64))),
    }
}

/// The text of a cell for people: a date bucket as ThoughtSpot shows it (`Nov 2026`), numbers
/// with thousands separators and their column's decimals, anything else as [`cell_text`].
fn shown_text(value: &Value, shown: Shown) -> String {
    match (value, shown) {
        (Value::Number(n), Shown::Bucket(bucket)) => n
            .as_i64()
            .map_or_else(|| n.to_string(), |s| bucket.format(s)),
        (Value::Number(n), Shown::Date(kind)) => {
            n.as_i64().map_or_else(|| n.to_string(), |s| iso(kind, s))
        }
        (Value::Number(n), Shown::Numbers(column)) => {
            if let Some(i) = n.as_i64() {
                column.format_integer(i128::from(i))
            } else if let Some(u) = n.as_u64() {
                column.format_integer(i128::from(u))
            } else {
                n.as_f64()
                    .map_or_else(|| n.to_string(), |f| column.format(f))
            }
        }
        (other, _) => cell_text(other),
    }
}

/// The aligned table: a header, a rule under each column's title, columns two spaces apart,
/// numbers on the right with one decimals choice per column (`1.50`, `2.00`, `3.25`), date
/// buckets as ThoughtSpot shows them (`Nov 2026`, `Q4 2026`, `2026`, ISO dates for weeks and
/// days).
pub fn render_table(table: &Table, rule: Rule) -> String {
    let shown_as: Vec<Shown> = (0..table.headers.len())
        .map(|index| shown(table, index))
        .collect();
    let mut rendered = comfy_table::Table::new();
    rendered
        .load_preset(comfy_table::presets::NOTHING)
        .set_style(TableComponent::HeaderLines, rule.char())
        .set_style(TableComponent::MiddleHeaderIntersections, ' ')
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(&table.headers);
    for row in &table.rows {
        rendered.add_row(row.iter().enumerate().map(|(index, value)| {
            let shown = shown_as
                .get(index)
                .copied()
                .unwrap_or(Shown::Numbers(Column::default()));
            shown_text(value, shown)
        }));
    }
    let columns = table.headers.len();
    for (index, shown) in shown_as.iter().enumerate() {
        let Some(column) = rendered.column_mut(index) else {
            continue;
        };
        let last = index + 1 == columns;
        column.set_padding((0, if last { 0 } else { 1 }));
        let numeric = matches!(shown, Shown::Numbers(_))
            && table
                .rows
                .iter()
                .any(|row| !matches!(row.get(index), None | Some(Value::Null)))
            && table
                .rows
                .iter()
                .all(|row| matches!(row.get(index), None | Some(Value::Null | Value::Number(_))));
        if numeric {
            column.set_cell_alignment(CellAlignment::Right);
        }
        column.set_constraint(ColumnConstraint::ContentWidth);
    }
    rendered
        .lines()
        .map(|line| line.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// An epoch-seconds value of a date or date-time column in ISO-8601.
fn iso(kind: ColumnKind, seconds: i64) -> String {
    match kind {
        ColumnKind::Date => tspot_format::date(seconds),
        ColumnKind::DateTime => tspot_format::datetime(seconds),
    }
}

/// CSV for spreadsheets: values exact (numbers as JSON writes them), but dates in ISO-8601 (a
/// date bucket's epoch seconds as the date of its first day, `2026-11-01`), which spreadsheets
/// read as dates.
fn write_csv(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    let dates: Vec<Option<ColumnKind>> = (0..table.headers.len())
        .map(|index| match shown(table, index) {
            Shown::Bucket(_) => Some(ColumnKind::Date),
            Shown::Date(kind) => Some(kind),
            Shown::Numbers(_) => None,
        })
        .collect();
    let mut writer = csv::Writer::from_writer(out);
    writer
        .write_record(&table.headers)
        .map_err(io::Error::other)?;
    for row in &table.rows {
        writer
            .write_record(row.iter().enumerate().map(|(index, value)| {
                match (dates.get(index).copied().flatten(), value.as_i64()) {
                    (Some(kind), Some(seconds)) => iso(kind, seconds),
                    _ => cell_text(value),
                }
            }))
            .map_err(io::Error::other)?;
    }
    writer.flush()
}

/// A JSON object as a one-row table, its keys as the header.
fn object_as_row(json: &Value) -> Table {
    let mut table = Table::default();
    match json {
        Value::Object(fields) => {
            table.headers = fields.keys().cloned().collect();
            table.rows.push(fields.values().cloned().collect());
        }
        other => {
            table.headers = vec!["value".to_string()];
            table.rows.push(vec![other.clone()]);
        }
    }
    table
}

/// An epoch-milliseconds timestamp as `YYYY-MM-DD HH:MM` (UTC).
pub fn timestamp(epoch_ms: i64) -> String {
    let Ok(ms) = u64::try_from(epoch_ms) else {
        return String::new();
    };
    let text =
        humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_millis(ms)).to_string();
    // 2024-05-01T12:34:56Z
    text.get(..16)
        .map_or(text.clone(), |minutes| minutes.replace('T', " "))
}

/// Now, as RFC 3339 in UTC.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Table {
        let mut table = Table::new(["Region", "Total Quantity"]);
        table.push([json!("east"), json!(2601)]);
        table.push([json!("south, west"), json!(12.5)]);
        table.push([json!("none"), Value::Null]);
        table
    }

    fn written(report: &Report, format: Format) -> String {
        let mut out = Vec::new();
        report.write(format, Rule::Box, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn tables_align_and_numbers_go_right() {
        // One decimals choice for the column: 12.5 needs one, so 2601 gets one too.
        assert_eq!(
            render_table(&sample(), Rule::Box),
            "Region       Total Quantity\n\
             ──────────── ──────────────\n\
             east                2,601.0\n\
             south, west            12.5\n\
             none"
        );
    }

    #[test]
    fn tables_outside_a_terminal_are_plain_ascii() {
        let plain = render_table(&sample(), Rule::Plain);
        assert!(plain.is_ascii(), "{plain}");
        assert_eq!(plain.lines().nth(1), Some("------------ --------------"));
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let report = Report::Table {
            table: sample(),
            json: Value::Null,
        };
        assert_eq!(
            written(&report, Format::Csv),
            "Region,Total Quantity\neast,2601\n\"south, west\",12.5\nnone,\n"
        );
    }

    #[test]
    fn json_is_pretty_and_ends_with_a_newline() {
        let report = Report::Message {
            text: "Signed in.".into(),
            json: json!({"profile": "default", "url": "http://x"}),
        };
        assert_eq!(
            written(&report, Format::Json),
            "{\n  \"profile\": \"default\",\n  \"url\": \"http://x\"\n}\n"
        );
        assert_eq!(written(&report, Format::Table), "Signed in.\n");
        assert_eq!(
            written(&report, Format::Csv),
            "profile,url\ndefault,http://x\n"
        );
    }

    #[test]
    fn sections_are_titled_tables_or_csv_blocks() {
        let mut second = Table::new(["n"]);
        second.push([json!(1)]);
        let report = Report::Sections {
            sections: vec![
                Section {
                    title: "First".into(),
                    table: sample(),
                },
                Section {
                    title: "Second".into(),
                    table: second,
                },
            ],
            json: json!([]),
        };
        let table = written(&report, Format::Table);
        assert!(table.starts_with("First\nRegion"), "{table}");
        assert!(table.ends_with("none\n\nSecond\nn\n─\n1\n"), "{table}");
        let csv = written(&report, Format::Csv);
        assert!(csv.ends_with("none,\n\nn\n1\n"), "{csv}");
        assert_eq!(written(&report, Format::Json), "[]\n");
        assert_eq!(written(&Report::Nothing, Format::Json), "");
    }

    #[test]
    fn numbers_get_one_decimals_choice_per_column() {
        let mut table = Table::new(["x", "n", "big"]);
        table.push([
            json!(541.9300000000001),
            json!(2601),
            json!(9_007_199_254_740_993_u64),
        ]);
        table.push([json!(1.5), json!(12), json!(1)]);
        // 541.93 (541.9300000000001) needs two decimals, so 1.5 gets two; integers stay exact.
        assert_eq!(
            render_table(&table, Rule::Box),
            "     x      n                    big\n\
             ─────── ────── ─────────────────────\n\
             541.93  2,601  9,007,199,254,740,993\n\
             \u{20} 1.50     12                      1"
        );
    }

    #[test]
    fn date_buckets_read_as_thoughtspot_shows_them() {
        let nov_2026 = 1_793_491_200; // 2026-11-01
        let mut table = Table::new([
            "Month(Order Date)",
            "Quarter(Order Date)",
            "Year(Order Date)",
            "Week(Order Date)",
            "Total Sales",
        ]);
        table.push([
            json!(nov_2026),
            json!(nov_2026),
            json!(nov_2026),
            json!(nov_2026 + 86_400),
            json!(1250.5),
        ]);
        table.push([Value::Null, Value::Null, Value::Null, Value::Null, json!(3)]);
        let rendered = render_table(&table, Rule::Box);
        let first = rendered.lines().nth(2).unwrap();
        assert_eq!(
            first.split_whitespace().collect::<Vec<_>>(),
            ["Nov", "2026", "Q4", "2026", "2026", "2026-11-02", "1,250.5"],
            "{rendered}"
        );
        assert!(rendered.ends_with(" 3.0"), "{rendered}");
        let report = Report::Table {
            table,
            json: Value::Null,
        };
        assert_eq!(
            written(&report, Format::Csv),
            "Month(Order Date),Quarter(Order Date),Year(Order Date),Week(Order Date),Total Sales\n\
             2026-11-01,2026-11-01,2026-11-01,2026-11-02,1250.5\n\
             ,,,,3\n"
        );
    }

    #[test]
    fn date_columns_read_as_iso_8601() {
        let mut table = Table::new(["Order Date", "Shipped", "Quantity"]);
        table.kinds = vec![Some(ColumnKind::Date), Some(ColumnKind::DateTime), None];
        table.push([
            json!(1_793_491_200),
            json!(1_793_525_400),
            json!(1_793_491_200),
        ]);
        let rendered = render_table(&table, Rule::Plain);
        assert_eq!(
            rendered
                .lines()
                .nth(2)
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["2026-11-01", "2026-11-01T09:30:00Z", "1,793,491,200"],
            "{rendered}"
        );
        let report = Report::Table {
            table,
            json: Value::Null,
        };
        assert_eq!(
            written(&report, Format::Csv),
            "Order Date,Shipped,Quantity\n2026-11-01,2026-11-01T09:30:00Z,1793491200\n"
        );
    }

    #[test]
    fn a_bucket_name_over_values_that_are_no_epoch_seconds_is_left_alone() {
        let mut table = Table::new(["Month(Order Date)"]);
        table.push([json!("Nov 2026")]);
        table.push([json!(1.5)]);
        assert_eq!(
            render_table(&table, Rule::Box),
            "Month(Order Date)\n─────────────────\nNov 2026\n1.5"
        );
    }

    #[test]
    fn timestamps_are_utc_minutes() {
        assert_eq!(timestamp(0), "1970-01-01 00:00");
        assert_eq!(timestamp(1_714_566_896_000), "2024-05-01 12:34");
        assert_eq!(timestamp(-1), "");
    }
}
