//! What a command prints on standard output, in the format `--output` asks for: an aligned table
//! for people, CSV for spreadsheets, pretty JSON for programs.

use std::io::{self, Write};
use std::time::{Duration, UNIX_EPOCH};

use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, TableComponent};
use serde_json::Value;

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

/// Rows under a header; cells are JSON values so that numbers stay numbers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
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
        let mut out = stdout.lock();
        self.write(format, &mut out)?;
        out.flush()
    }

    pub fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
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
                writeln!(out, "{}", render_table(table))
            }
            (Report::Table { table, .. }, Format::Csv) => write_csv(table, out),
            (Report::Sections { sections, .. }, Format::Table) => {
                for (index, section) in sections.iter().enumerate() {
                    if index > 0 {
                        writeln!(out)?;
                    }
                    writeln!(out, "{}", section.title)?;
                    writeln!(out, "{}", render_table(&section.table))?;
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

/// The aligned table: a header, a rule under each column's title, columns two spaces apart,
/// numbers on the right.
pub fn render_table(table: &Table) -> String {
    let mut rendered = comfy_table::Table::new();
    rendered
        .load_preset(comfy_table::presets::NOTHING)
        .set_style(TableComponent::HeaderLines, '─')
        .set_style(TableComponent::MiddleHeaderIntersections, ' ')
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(&table.headers);
    for row in &table.rows {
        rendered.add_row(row.iter().map(|value| match value {
            Value::Number(n) if n.is_f64() => {
                n.as_f64().map_or_else(|| n.to_string(), readable_float)
            }
            other => cell_text(other),
        }));
    }
    let columns = table.headers.len();
    for index in 0..columns {
        let Some(column) = rendered.column_mut(index) else {
            continue;
        };
        let last = index + 1 == columns;
        column.set_padding((0, if last { 0 } else { 1 }));
        let numeric = table
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

/// A float for people: twelve significant digits at most, no trailing zeros, so that
/// `541.9300000000001` reads `541.93` (CSV and JSON keep the exact value).
pub fn readable_float(value: f64) -> String {
    let magnitude = value.abs();
    if !value.is_finite() || (magnitude != 0.0 && !(1e-6..1e15).contains(&magnitude)) {
        return value.to_string();
    }
    let integer_digits = if magnitude >= 1.0 {
        magnitude.log10().floor() as i32 + 1
    } else {
        1
    };
    let decimals = usize::try_from((12 - integer_digits).clamp(0, 12)).unwrap_or(0);
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        let trimmed = text.trim_end_matches('0').trim_end_matches('.');
        if trimmed == "-0" {
            "0".to_string()
        } else {
            trimmed.to_string()
        }
    } else {
        text
    }
}

fn write_csv(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer
        .write_record(&table.headers)
        .map_err(io::Error::other)?;
    for row in &table.rows {
        writer
            .write_record(row.iter().map(cell_text))
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
        report.write(format, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn tables_align_and_numbers_go_right() {
        assert_eq!(
            render_table(&sample()),
            "Region       Total Quantity\n\
             ──────────── ──────────────\n\
             east                   2601\n\
             south, west            12.5\n\
             none"
        );
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
    fn floats_read_well_in_tables() {
        assert_eq!(readable_float(541.9300000000001), "541.93");
        assert_eq!(readable_float(22273.149999999998), "22273.15");
        assert_eq!(readable_float(20194.0), "20194");
        assert_eq!(readable_float(0.125), "0.125");
        assert_eq!(readable_float(-3.5), "-3.5");
        assert_eq!(readable_float(1e20), "100000000000000000000");
        let mut table = Table::new(["x"]);
        table.push([json!(541.9300000000001)]);
        assert_eq!(render_table(&table), "     x\n──────\n541.93");
    }

    #[test]
    fn timestamps_are_utc_minutes() {
        assert_eq!(timestamp(0), "1970-01-01 00:00");
        assert_eq!(timestamp(1_714_566_896_000), "2024-05-01 12:34");
        assert_eq!(timestamp(-1), "");
    }
}
