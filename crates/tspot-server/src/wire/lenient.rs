//! Parsers for values as real clients send them (spec `x-tspot-lenient-list`; spec/README.md,
//! "Wire rules").
//!
//! Lists are scanned by a small hand-written scanner rather than a parser crate: the grammar (a
//! bracketed, comma-separated list of quoted or bare items) is tiny, and we need exact Python
//! `repr()` escape semantics that no JSON or YAML crate provides.

use std::iter::Peekable;
use std::str::Chars;

/// `true`/`false` in any case, or `1`/`0`, surrounding whitespace ignored.
pub fn parse_bool(raw: &str) -> Result<bool, String> {
    let text = raw.trim();
    // The spec's booleans are `true`/`false`; any case, since scripts send Python's `True`.
    if text.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if text.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(format!(
            "'{text}' is not a boolean (expected true or false)"
        ))
    }
}

/// A list carried inside one string: a JSON array, a Python `repr()` of a list of str, a
/// bracketed list of bare items, or one bare value. Empty text or `[]` is the empty list.
pub fn parse_list(raw: &str) -> Result<Vec<String>, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    if !text.starts_with('[') {
        return Ok(vec![text.to_owned()]);
    }
    // JSON first: it is the documented form, and its escapes (`\/`, `\b`, surrogate pairs)
    // differ from Python's.
    if let Ok(serde_json::Value::Array(items)) = serde_json::from_str(text) {
        return items.into_iter().enumerate().map(json_item).collect();
    }
    Scanner::new(raw).list()
}

fn json_item((index, value): (usize, serde_json::Value)) -> Result<String, String> {
    use serde_json::Value;
    match value {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(format!(
            "list item {} is not a string, number or boolean",
            index + 1
        )),
    }
}

/// Walks the text one character at a time; `pos` is the 1-based position of the last
/// character taken, used in error messages.
struct Scanner<'a> {
    chars: Peekable<Chars<'a>>,
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            chars: text.chars().peekable(),
            pos: 0,
        }
    }

    fn next(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        self.pos += 1;
        Some(c)
    }

    fn skip_whitespace(&mut self) {
        while self.chars.peek().is_some_and(|c| c.is_whitespace()) {
            self.next();
        }
    }

    fn list(mut self) -> Result<Vec<String>, String> {
        self.skip_whitespace();
        if self.next() != Some('[') {
            return Err(format!("expected '[' at position {}", self.pos));
        }
        let mut items = Vec::new();
        loop {
            self.skip_whitespace();
            match self.chars.peek() {
                None => return Err(self.unterminated_list()),
                // `[]`, or a trailing comma as Python allows: `['a',]`.
                Some(']') => {
                    self.next();
                    break;
                }
                Some(',') => {
                    return Err(format!("empty list item at position {}", self.pos + 1));
                }
                Some('\'' | '"') => items.push(self.quoted()?),
                Some(_) => items.push(self.bare()?),
            }
            self.skip_whitespace();
            match self.next() {
                Some(',') => {}
                Some(']') => break,
                Some(c) => {
                    return Err(format!(
                        "expected ',' or ']' at position {}, found '{c}'",
                        self.pos
                    ));
                }
                None => return Err(self.unterminated_list()),
            }
        }
        self.skip_whitespace();
        if let Some(c) = self.next() {
            return Err(format!(
                "unexpected '{c}' at position {} after the closing ']'",
                self.pos
            ));
        }
        Ok(items)
    }

    fn unterminated_list(&self) -> String {
        format!(
            "unterminated list: missing ']' at position {}",
            self.pos + 1
        )
    }

    /// An unquoted item runs to the next `,` or `]`; surrounding whitespace is dropped.
    fn bare(&mut self) -> Result<String, String> {
        let mut item = String::new();
        while let Some(&c) = self.chars.peek() {
            if c == ',' || c == ']' {
                break;
            }
            item.push(c);
            self.next();
        }
        Ok(item.trim_end().to_owned())
    }

    /// A single- or double-quoted item with Python's escapes.
    fn quoted(&mut self) -> Result<String, String> {
        let quote = self.next().unwrap_or('\'');
        let start = self.pos;
        let mut item = String::new();
        loop {
            match self.next() {
                None => {
                    return Err(format!(
                        "unterminated string: the quote at position {start} is never closed"
                    ));
                }
                Some(c) if c == quote => return Ok(item),
                Some('\\') => item.push(self.escape()?),
                Some(c) => item.push(c),
            }
        }
    }

    /// The character after a backslash, per Python's string literal rules that `repr()` uses.
    fn escape(&mut self) -> Result<char, String> {
        let at = self.pos;
        match self.next() {
            Some('\\') => Ok('\\'),
            Some('\'') => Ok('\''),
            Some('"') => Ok('"'),
            Some('n') => Ok('\n'),
            Some('r') => Ok('\r'),
            Some('t') => Ok('\t'),
            Some('x') => self.hex(2, at),
            Some('u') => self.hex(4, at),
            Some('U') => self.hex(8, at),
            Some(c) => Err(format!("bad escape '\\{c}' at position {at}")),
            None => Err(format!(
                "unterminated string: backslash at position {at} ends the text"
            )),
        }
    }

    fn hex(&mut self, digits: usize, at: usize) -> Result<char, String> {
        let mut code: u32 = 0;
        for _ in 0..digits {
            let digit = self.next().and_then(|c| c.to_digit(16)).ok_or_else(|| {
                format!("bad escape at position {at}: expected {digits} hex digits")
            })?;
            code = code * 16 + digit;
        }
        char::from_u32(code).ok_or_else(|| {
            format!("bad escape at position {at}: U+{code:X} is not a valid character")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> Vec<String> {
        match parse_list(raw) {
            Ok(items) => items,
            Err(e) => panic!("{raw:?} failed: {e}"),
        }
    }

    fn err(raw: &str) -> String {
        match parse_list(raw) {
            Ok(items) => panic!("{raw:?} unexpectedly parsed as {items:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn bools() {
        for raw in ["true", "TRUE", " True "] {
            assert_eq!(parse_bool(raw), Ok(true), "{raw}");
        }
        for raw in ["false", "False", "\tFALSE\n"] {
            assert_eq!(parse_bool(raw), Ok(false), "{raw}");
        }
        for raw in ["", "yes", "1", "0", "2", "t", "truee"] {
            assert!(parse_bool(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn empty_forms() {
        assert!(ok("").is_empty());
        assert!(ok("   ").is_empty());
        assert!(ok("[]").is_empty());
        assert!(ok("[ ]").is_empty());
        assert!(ok(" [\n] ").is_empty());
    }

    #[test]
    fn json_arrays() {
        assert_eq!(ok(r#"["a","b"]"#), ["a", "b"]);
        assert_eq!(ok(r#"["g1", "g2"]"#), ["g1", "g2"]);
        assert_eq!(ok(r#"[1, 2.5, true, "x"]"#), ["1", "2.5", "true", "x"]);
        assert_eq!(
            ok(r#"["a\/b", "\u00e9", "\ud83d\ude00"]"#),
            ["a/b", "é", "😀"]
        );
        assert_eq!(ok(r#"["a,b", "[c]"]"#), ["a,b", "[c]"]);
    }

    #[test]
    fn json_non_scalar_items_are_errors() {
        assert!(err("[null]").contains("item 1"));
        assert!(err(r#"["a", ["b"]]"#).contains("item 2"));
        assert!(err(r#"["a", {"b": 1}]"#).contains("item 2"));
    }

    #[test]
    fn python_single_quoted() {
        assert_eq!(ok("['WORKSHEET']"), ["WORKSHEET"]);
        assert_eq!(ok("['a','b']"), ["a", "b"]);
        assert_eq!(ok("['a', \"b\"]"), ["a", "b"]);
        assert_eq!(ok("['a',]"), ["a"]);
        assert_eq!(ok("[ 'a' ,\n 'b' ]"), ["a", "b"]);
    }

    #[test]
    fn python_repr_of_json_document() {
        // Python: repr(['{"guid": "g1", "answer": {"name": "Bob\'s \\"x\\""}}'])
        let wire = r#"['{"guid": "g1", "answer": {"name": "Bob\'s \\"x\\""}}']"#;
        assert_eq!(
            ok(wire),
            [r#"{"guid": "g1", "answer": {"name": "Bob's \"x\""}}"#]
        );
    }

    #[test]
    fn python_repr_of_yaml_documents() {
        let wire = r"['guid: g1\nanswer:\n  name: x\n']";
        assert_eq!(ok(wire), ["guid: g1\nanswer:\n  name: x\n"]);
        let two = r"['guid: g1\nname: a\n', 'guid: g2\ntable:\n  name: \'b, c\'\n']";
        assert_eq!(
            ok(two),
            ["guid: g1\nname: a\n", "guid: g2\ntable:\n  name: 'b, c'\n"]
        );
    }

    #[test]
    fn python_double_quoted_when_item_has_single_quote() {
        // Python: repr(["it's"]) == "[\"it's\"]"
        assert_eq!(ok(r#"["it's"]"#), ["it's"]);
        assert_eq!(ok(r#"["it's", 'x']"#), ["it's", "x"]);
    }

    #[test]
    fn python_escapes() {
        assert_eq!(ok(r"['a\\b']"), [r"a\b"]);
        assert_eq!(ok(r"['\r\t\n']"), ["\r\t\n"]);
        assert_eq!(ok(r"['\x00\x7f\xe9']"), ["\u{0}\u{7f}é"]);
        assert_eq!(ok(r"['\u20ac\U0001F600']"), ["€😀"]);
        assert_eq!(ok(r#"['say \"hi\"']"#), [r#"say "hi""#]);
    }

    #[test]
    fn unicode_passes_through() {
        assert_eq!(ok("['Zürich', '東京', '😀']"), ["Zürich", "東京", "😀"]);
        assert_eq!(ok("[Zürich, 東京]"), ["Zürich", "東京"]);
    }

    #[test]
    fn commas_and_brackets_inside_quotes() {
        assert_eq!(ok("['a, b', '[c]', 'd]']"), ["a, b", "[c]", "d]"]);
        assert_eq!(ok(r#"["x', 'y"]"#), ["x', 'y"]);
    }

    #[test]
    fn unquoted_items() {
        assert_eq!(
            ok("[7589cbdb-aaaa, 84481cda-bbbb]"),
            ["7589cbdb-aaaa", "84481cda-bbbb"]
        );
        assert_eq!(ok("[ a b ,c]"), ["a b", "c"]);
        assert_eq!(ok("[a, 'b']"), ["a", "b"]);
        assert_eq!(ok("[a,]"), ["a"]);
    }

    #[test]
    fn bare_values() {
        assert_eq!(ok("WORKSHEET"), ["WORKSHEET"]);
        assert_eq!(ok("  ALL_GROUP \n"), ["ALL_GROUP"]);
        assert_eq!(ok("a,b"), ["a,b"]);
    }

    #[test]
    fn errors_name_the_position() {
        let e = err("['abc");
        assert!(
            e.contains("unterminated string") && e.contains("position 2"),
            "{e}"
        );
        let e = err("['a', 'b'");
        assert!(e.contains("missing ']'"), "{e}");
        let e = err("[a, b");
        assert!(e.contains("missing ']'"), "{e}");
        let e = err(r"['a\q']");
        assert!(
            e.contains("bad escape '\\q'") && e.contains("position 4"),
            "{e}"
        );
        let e = err(r"['\x4']");
        assert!(e.contains("bad escape") && e.contains("hex"), "{e}");
        let e = err(r"['\ud800']");
        assert!(e.contains("not a valid character"), "{e}");
        let e = err(r"['\U00110000']");
        assert!(e.contains("not a valid character"), "{e}");
        let e = err("['a\\");
        assert!(e.contains("unterminated"), "{e}");
        let e = err("['a' 'b']");
        assert!(e.contains("expected ',' or ']' at position 6"), "{e}");
        let e = err("['a'] x");
        assert!(e.contains("after the closing ']'"), "{e}");
        let e = err("[,]");
        assert!(e.contains("empty list item at position 2"), "{e}");
        let e = err("['a',,'b']");
        assert!(e.contains("empty list item"), "{e}");
        let e = err("[");
        assert!(e.contains("missing ']'"), "{e}");
    }

    #[test]
    fn never_panics_on_prefixes_of_tricky_input() {
        let samples = [
            r#"['{"guid": "g1", "answer": {"name": "Bob\'s \\"x\\""}}']"#,
            r"['\U0001F600\xe9\u20ac', 'a\\']",
            "[Zürich, '東京', \"😀\"]",
        ];
        for sample in samples {
            for (i, _) in sample.char_indices() {
                let _ = parse_list(&sample[..i]);
            }
        }
    }
}
