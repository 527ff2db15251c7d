//! Reading the parts of stored TML the server needs. Objects are stored as TML (JSON text, the
//! shape of `tspot_tml::Document`); these helpers read it as JSON so the catalog depends on
//! ThoughtSpot's field names, not on the Rust model's.

use serde_json::Value;

/// The object inside a document: (`table` | `worksheet` | `answer` | `liveboard`, body).
pub fn body(doc: &Value) -> Option<(&'static str, &Value)> {
    for key in ["table", "worksheet", "answer", "liveboard", "pinboard"] {
        if let Some(body) = doc.get(key) {
            let key = if key == "pinboard" { "liveboard" } else { key };
            return Some((key, body));
        }
    }
    None
}

pub fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

pub fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// A join condition: `on` is a string in table TML and a list of strings in worksheet TML.
pub fn join_on(join: &Value) -> Option<String> {
    match join.get("on")? {
        Value::String(on) => Some(on.clone()),
        Value::Array(parts) => {
            let parts: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
            (!parts.is_empty()).then(|| parts.join(" AND "))
        }
        _ => None,
    }
}

/// A `(table, column)` reference.
pub type ColumnRef = (String, String);

/// `[a::b]` -> (`a`, `b`); `[b]` -> (``, `b`).
pub fn split_ref(token: &str) -> (&str, &str) {
    let inner = token.trim().trim_start_matches('[').trim_end_matches(']');
    match inner.split_once("::") {
        Some((table, column)) => (table.trim(), column.trim()),
        None => ("", inner.trim()),
    }
}

/// The `[A::x] = [B::y] AND [A::z] = [B::w]` of a join as pairs of (left, right) references.
pub fn join_pairs(on: &str) -> Vec<(ColumnRef, ColumnRef)> {
    on.replace(" and ", " AND ")
        .split(" AND ")
        .filter_map(|condition| {
            let (left, right) = condition.split_once('=')?;
            let (lt, lc) = split_ref(left);
            let (rt, rc) = split_ref(right);
            Some(((lt.into(), lc.into()), (rt.into(), rc.into())))
        })
        .collect()
}

/// The TML type key, the metadata type and subtype of an object kind.
pub fn metadata_type(tml_type: &str) -> (&'static str, Option<&'static str>) {
    match tml_type {
        "table" => ("LOGICAL_TABLE", Some("ONE_TO_ONE_LOGICAL")),
        "worksheet" => ("LOGICAL_TABLE", Some("WORKSHEET")),
        "answer" => ("QUESTION_ANSWER_BOOK", None),
        _ => ("PINBOARD_ANSWER_BOOK", None),
    }
}

/// Rewrites `[PATH::Column]` references to `[Column]`: answers exported by ThoughtSpot qualify
/// columns with a table path, while a search names the data source's columns directly.
pub fn unqualify_columns(query: &str) -> String {
    map_column_refs(query, |token| {
        if token.contains("::") {
            split_ref(token).1.to_string()
        } else {
            token.to_string()
        }
    })
}

/// Rewrites every `[...]` column reference of a query or formula with `rename` (given the text
/// between the brackets); everything else, an unterminated `[` included, is kept as written.
pub fn map_column_refs(text: &str, rename: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find(']') else {
            out.push_str(&rest[start..]);
            return out;
        };
        out.push('[');
        out.push_str(&rename(&rest[start + 1..start + end]));
        out.push(']');
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_conditions() {
        let pairs = join_pairs("[fact_sales::Store Id] = [dim_store::Store Id]");
        assert_eq!(
            pairs,
            [(
                ("fact_sales".into(), "Store Id".into()),
                ("dim_store".into(), "Store Id".into())
            )]
        );
    }

    #[test]
    fn unqualified_queries() {
        assert_eq!(
            unqualify_columns("[TABLE_1::Sales] [Region] = 'east'"),
            "[Sales] [Region] = 'east'"
        );
        assert_eq!(unqualify_columns("[open"), "[open");
    }
}
