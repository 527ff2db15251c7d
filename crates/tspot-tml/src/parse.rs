//! Text to value tree: JSON when the text is a JSON object, YAML otherwise (JSON is YAML too, but
//! serde_json's errors and number handling are exact for JSON).

use crate::error::{TmlError, TmlErrorKind};
use crate::value::Value;

pub(crate) fn parse_value(text: &str) -> Result<Value, TmlError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if looks_like_json(body) {
        return match serde_json::from_str::<Value>(body) {
            Ok(value) => Ok(value),
            // A YAML flow mapping (`{name: x}`) starts with `{` as well.
            Err(err) => parse_yaml(body).map_err(|_| json_error(&err)),
        };
    }
    parse_yaml(body)
}

pub(crate) fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

fn parse_yaml(text: &str) -> Result<Value, TmlError> {
    serde_yaml_ng::from_str::<Value>(text).map_err(|err| {
        let position = err.location().map(|l| (l.line(), l.column()));
        syntax(
            format!("invalid YAML: {}", strip_positions(&err.to_string())),
            position,
        )
    })
}

fn json_error(err: &serde_json::Error) -> TmlError {
    let position = (err.line() > 0).then(|| (err.line(), err.column()));
    syntax(
        format!("invalid JSON: {}", strip_positions(&err.to_string())),
        position,
    )
}

fn syntax(message: String, position: Option<(usize, usize)>) -> TmlError {
    TmlError::new(TmlErrorKind::Syntax, message).at(position)
}

/// Removes the parsers' own " at line L column C" (and " at position N") from a message; the
/// position is reported in the error's fields instead.
fn strip_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(" at ") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 4..];
        match position_len(tail) {
            Some(len) => rest = &tail[len..],
            None => {
                out.push_str(" at ");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Length of a leading "line L column C" or "position N", if `text` starts with one.
fn position_len(text: &str) -> Option<usize> {
    fn digits(s: &str) -> usize {
        s.bytes().take_while(u8::is_ascii_digit).count()
    }
    if let Some(after) = text.strip_prefix("line ") {
        let n = digits(after);
        let after_col = after[n..].strip_prefix(" column ")?;
        let m = digits(after_col);
        (n > 0 && m > 0).then_some("line ".len() + n + " column ".len() + m)
    } else if let Some(after) = text.strip_prefix("position ") {
        let n = digits(after);
        (n > 0).then_some("position ".len() + n)
    } else {
        None
    }
}

/// Line and column (1-based) of a top-level key, best effort: a YAML key at the start of a line,
/// or a JSON key directly inside the outermost object.
pub(crate) fn top_level_key(text: &str, key: &str) -> Option<(usize, usize)> {
    if looks_like_json(text) {
        json_top_level_key(text, key)
    } else {
        yaml_top_level_key(text, key)
    }
}

fn yaml_top_level_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let quoted = [key.to_owned(), format!("\"{key}\""), format!("'{key}'")];
    text.lines().enumerate().find_map(|(i, line)| {
        let line = if i == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        quoted.iter().find_map(|q| {
            let after = line.strip_prefix(q.as_str())?;
            after
                .trim_start_matches([' ', '\t'])
                .starts_with(':')
                .then_some((i + 1, 1))
        })
    })
}

fn json_top_level_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let (mut line, mut column) = (1usize, 0usize);
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    // A string just closed at depth 1: its start and text, waiting to see whether a `:` follows.
    let mut pending: Option<((usize, usize), String)> = None;
    while let Some(c) = chars.next() {
        column += 1;
        match c {
            '\n' => {
                line += 1;
                column = 0;
            }
            '"' => {
                let start = (line, column);
                let mut content = String::new();
                while let Some(s) = chars.next() {
                    column += 1;
                    match s {
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                column += 1;
                                content.push('\\');
                                content.push(escaped);
                            }
                        }
                        '"' => break,
                        other => content.push(other),
                    }
                }
                pending = (depth == 1).then_some((start, content));
                continue;
            }
            ':' => {
                if let Some((start, content)) = pending.take()
                    && content == key
                {
                    return Some(start);
                }
            }
            '{' | '[' => depth += 1,
            '}' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if !c.is_whitespace() {
            pending = None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_parser_positions() {
        assert_eq!(
            strip_positions(
                "did not find expected key at line 3 column 5, while parsing a block mapping at line 1 column 1"
            ),
            "did not find expected key, while parsing a block mapping"
        );
        assert_eq!(strip_positions("look at this"), "look at this");
        assert_eq!(strip_positions("EOF at position 12"), "EOF");
    }

    #[test]
    fn finds_top_level_keys() {
        let yaml = "guid: x\n\"view\": {}\n";
        assert_eq!(top_level_key(yaml, "view"), Some((2, 1)));
        assert_eq!(top_level_key(yaml, "table"), None);
        let json = "{\"guid\": \"g\",\n \"a\": {\"view\": 1},\n \"view\": {}}";
        assert_eq!(top_level_key(json, "view"), Some((3, 2)));
    }
}
