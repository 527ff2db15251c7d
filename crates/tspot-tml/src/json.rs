//! The JSON writer: one line, `", "` between items and `": "` after keys — the form of the
//! `edoc` of a `formattype=JSON` export in ThoughtSpot's documentation
//! (`{"guid": "…", "liveboard": {"name": "Total sales"}}`). Non-ASCII text is written as is,
//! except for the control and separator characters the YAML writer escapes as well.

use crate::value::Value;
use crate::yaml::must_escape;

/// Writes a value tree as JSON text (no trailing newline).
pub(crate) fn emit(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value);
    out
}

fn write(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, item);
            }
            out.push(']');
        }
        Value::Map(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(out, key);
                out.push_str(": ");
                write(out, item);
            }
            out.push('}');
        }
    }
}

/// A JSON string. Besides what JSON requires, the characters the YAML writer escapes are escaped
/// too: thoughtspot-tml reads JSON with a YAML reader, which rejects raw DEL and C1 controls.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if must_escape(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_with_python_separators() {
        let value: Value = serde_json::from_str(
            r#"{"guid":"g","liveboard":{"name":"Total \"sales\"\n","x":[1,2.5,true,null],"e":{},"c":"\u0001\u007f\u0085\u00a0\u2028é\\"}}"#,
        )
        .unwrap();
        let expected = concat!(
            r#"{"guid": "g", "liveboard": {"name": "Total \"sales\"\n", "#,
            r#""x": [1, 2.5, true, null], "e": {}, "c": "\u0001\u007f\u0085"#,
            "\u{a0}",
            r#"\u2028é\\"}}"#,
        );
        assert_eq!(emit(&value), expected);
    }
}
