//! The YAML writer, in the style of ThoughtSpot's exports: block style, two-space indentation,
//! list items at their parent key's indentation, no document marker, no line wrapping, and
//! scalars unquoted unless a YAML 1.1 or 1.2 reader (PyYAML, libyaml, SnakeYAML) could read them
//! as something other than the same text; those are double-quoted.

use crate::value::{Map, Number, Value};

/// Writes a value tree (normally a mapping) as a YAML document ending in a newline.
pub(crate) fn emit(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Map(map) if !map.is_empty() => write_map(&mut out, map, 0, false),
        Value::List(items) if !items.is_empty() => write_list(&mut out, items, 0, false),
        scalar => {
            out.push_str(&scalar_text(scalar));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, width: usize) {
    out.extend(std::iter::repeat_n(' ', width));
}

/// Entries at `width`; with `inline`, the first entry continues the current line (after "- ").
fn write_map(out: &mut String, map: &Map, width: usize, inline: bool) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !inline {
            indent(out, width);
        }
        out.push_str(&string_text(key));
        out.push(':');
        match value {
            Value::Map(inner) if !inner.is_empty() => {
                out.push('\n');
                write_map(out, inner, width + 2, false);
            }
            Value::List(items) if !items.is_empty() => {
                out.push('\n');
                write_list(out, items, width, false);
            }
            scalar => {
                out.push(' ');
                out.push_str(&scalar_text(scalar));
                out.push('\n');
            }
        }
    }
}

/// Items as "- " lines at `width`; with `inline`, the first item continues the current line.
fn write_list(out: &mut String, items: &[Value], width: usize, inline: bool) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !inline {
            indent(out, width);
        }
        out.push_str("- ");
        match item {
            Value::Map(inner) if !inner.is_empty() => write_map(out, inner, width + 2, true),
            Value::List(inner) if !inner.is_empty() => write_list(out, inner, width + 2, true),
            scalar => {
                out.push_str(&scalar_text(scalar));
                out.push('\n');
            }
        }
    }
}

/// A scalar, or an empty collection in flow style.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_text(n),
        Value::String(s) => string_text(s),
        Value::List(_) => "[]".to_owned(),
        Value::Map(_) => "{}".to_owned(),
    }
}

/// Integers as written; floats always with a `.` and a signed exponent, which YAML 1.1 readers
/// (PyYAML) need to see a float rather than a text.
pub(crate) fn number_text(n: &Number) -> String {
    let text = n.to_string();
    if n.is_f64() {
        let (mantissa, exponent) = match text.split_once(['e', 'E']) {
            Some((m, e)) => (m, Some(e)),
            None => (text.as_str(), None),
        };
        let mut out = mantissa.to_owned();
        if !out.contains('.') {
            out.push_str(".0");
        }
        if let Some(exp) = exponent {
            out.push('e');
            if !exp.starts_with(['+', '-']) {
                out.push('+');
            }
            out.push_str(exp);
        }
        return out;
    }
    text
}

/// A text scalar: plain when that reads back as the same text everywhere, double-quoted otherwise.
pub(crate) fn string_text(s: &str) -> String {
    if needs_quotes(s) {
        double_quoted(s)
    } else {
        s.to_owned()
    }
}

/// Characters written as escapes: controls, C1 controls (not printable for PyYAML), the Unicode
/// line and paragraph separators, the byte-order mark and the two non-characters.
pub(crate) fn must_escape(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if must_escape(c) && (c as u32) <= 0xff => {
                out.push_str(&format!("\\x{:02X}", c as u32));
            }
            c if must_escape(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Words YAML 1.1 resolves to booleans or null (any case), plus the merge key and `=` (PyYAML's
/// "value" tag). `y` and `on` matter for TML: they are axis and join keys.
fn is_reserved_word(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~", "<<", "=",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
}

/// Could a YAML 1.1 or 1.2 reader take `s` for a number or a date? Deliberately broad within
/// number characters: after a sign, a digit or dot followed only by digits, `_`, `.`, `:`, `e`,
/// `+`, `-` (decimal, float, sexagesimal); `0x`/`0o`/`0b` radix forms; the infinities and NaNs;
/// and any text starting with a `yyyy-m-` date. A GUID such as `7c1e5f0a-…` stays plain.
fn looks_like_number_or_date(s: &str) -> bool {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    if matches!(unsigned.to_ascii_lowercase().as_str(), ".inf" | ".nan") {
        return true;
    }
    let radix = |prefix: &str, digit: fn(char) -> bool| {
        unsigned
            .strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c == '_' || digit(c)))
    };
    if radix("0x", |c| c.is_ascii_hexdigit())
        || radix("0o", |c| matches!(c, '0'..='7'))
        || radix("0b", |c| matches!(c, '0' | '1'))
    {
        return true;
    }
    if unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && unsigned.chars().any(|c| c.is_ascii_digit())
        && unsigned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '_' | '.' | ':' | 'e' | 'E' | '+' | '-'))
    {
        return true;
    }
    let b = s.as_bytes();
    b.len() >= 7 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5].is_ascii_digit()
}

fn needs_quotes(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return true;
    };
    let last = s.chars().next_back().unwrap_or(first);
    if matches!(first, ' ' | '\t') || matches!(last, ' ' | '\t') {
        return true;
    }
    if s.chars().any(must_escape) {
        return true;
    }
    // Indicators that may not start a plain scalar.
    if matches!(
        first,
        '[' | ']'
            | '{'
            | '}'
            | ','
            | '#'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
    ) {
        return true;
    }
    // `-`, `?` and `:` may start one only when followed by a non-space.
    if matches!(first, '-' | '?' | ':') && s.chars().nth(1).is_none_or(|c| c == ' ') {
        return true;
    }
    if s.starts_with("---") || s.starts_with("...") {
        return true;
    }
    if s.contains(": ") || s.contains(" #") || last == ':' {
        return true;
    }
    is_reserved_word(s) || looks_like_number_or_date(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_where_safe() {
        for s in [
            "Total sales",
            "fact_sales_1::Revenue",
            "(Sample) Retail - Apparel",
            "Viz_1",
            "sales-2024",
            "-foo",
            "a:b",
            "x#y",
            "Región Norte",
            "ordered by [Sales]",
            "INT64",
            "2024 budget",
            "7c1e5f0a-2b9d-4c3e-8a41-6d2f9b0e1a01",
            "1b2c",
            "1e5f",
            ".hidden",
            "say \"hi\" C:\\temp",
        ] {
            assert_eq!(string_text(s), s, "{s:?} should stay plain");
        }
    }

    #[test]
    fn quoted_where_ambiguous() {
        for (s, quoted) in [
            ("", r#""""#),
            ("on", r#""on""#),
            ("y", r#""y""#),
            ("Yes", r#""Yes""#),
            ("NULL", r#""NULL""#),
            ("~", r#""~""#),
            ("=", r#""=""#),
            ("12", r#""12""#),
            ("-1.5e3", r#""-1.5e3""#),
            ("0x1F", r#""0x1F""#),
            ("0o17", r#""0o17""#),
            ("-0b101", r#""-0b101""#),
            ("1.", r#""1.""#),
            (".5", r#"".5""#),
            ("+12", r#""+12""#),
            ("-.INF", r#""-.INF""#),
            (".NaN", r#"".NaN""#),
            ("1_000", r#""1_000""#),
            ("12:30", r#""12:30""#),
            (".inf", r#"".inf""#),
            ("2024-01-31", r#""2024-01-31""#),
            ("2024-01-31 10:00:00", r#""2024-01-31 10:00:00""#),
            ("[Revenue] [Region]", r#""[Revenue] [Region]""#),
            ("{x}", r#""{x}""#),
            ("- item", r#""- item""#),
            ("a: b", r#""a: b""#),
            ("a #b", r#""a #b""#),
            ("key:", r#""key:""#),
            (" lead", r#"" lead""#),
            ("trail ", r#""trail ""#),
            ("'single'", r#""'single'""#),
            ("*alias", r#""*alias""#),
            ("line1\nline2", r#""line1\nline2""#),
            ("tab\there", r#""tab\there""#),
            ("\"q\\", r#""\"q\\""#),
            ("bell\u{7}", r#""bell\x07""#),
            ("nel\u{85}", r#""nel\x85""#),
            ("ls\u{2028}", r#""ls\u2028""#),
            ("---", r#""---""#),
        ] {
            assert_eq!(string_text(s), quoted, "{s:?}");
        }
    }

    #[test]
    fn floats_keep_a_point_and_a_signed_exponent() {
        let f = |x: f64| number_text(&Number::from_f64(x).unwrap());
        assert_eq!(f(1.0), "1.0");
        assert_eq!(f(0.25), "0.25");
        assert_eq!(f(1e20), "1.0e+20");
        assert_eq!(f(1.5e-7), "1.5e-7");
        assert_eq!(number_text(&Number::from(42)), "42");
        assert_eq!(number_text(&Number::from(-7)), "-7");
    }

    #[test]
    fn block_layout() {
        let value: Value = serde_json::from_str(
            r#"{"guid": "g", "liveboard": {"name": "L", "visualizations": [
                {"id": "Viz_1", "answer": {"name": "A", "tables": [{"id": "T", "name": "T"}]}},
                {"id": "Viz_2", "answer": {"chart": {"axis_configs": [{"x": ["a"], "y": ["b", "c"]}]}}}
            ], "filters": [], "layout": {}, "nested": [[1, 2], []]}}"#,
        )
        .unwrap();
        let expected = "\
guid: g
liveboard:
  name: L
  visualizations:
  - id: Viz_1
    answer:
      name: A
      tables:
      - id: T
        name: T
  - id: Viz_2
    answer:
      chart:
        axis_configs:
        - x:
          - a
          \"y\":
          - b
          - c
  filters: []
  layout: {}
  nested:
  - - 1
    - 2
  - []
";
        assert_eq!(emit(&value), expected);
    }
}
