//! Formula columns: row-level arithmetic over other columns of the source, parsed with winnow.
//!
//! ```text
//! formula := sum
//! sum     := product { ("+" | "-") product }
//! product := unary { ("*" | "/") unary }
//! unary   := "-" unary | atom
//! atom    := NUMBER | "[" column name "]" | "(" sum ")"
//! ```

use winnow::ascii::{digit1, multispace0};
use winnow::combinator::{alt, cut_err, delimited, opt, preceded, repeat};
use winnow::error::{ContextError, ErrMode, ModalResult, StrContext, StrContextValue};
use winnow::prelude::*;
use winnow::token::{one_of, take_till};

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Formula {
    Int(i64),
    Real(f64),
    Column(String),
    Neg(Box<Formula>),
    Binary(Box<Formula>, ArithOp, Box<Formula>),
}

/// Arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

fn ws<'a, O>(
    inner: impl Parser<&'a str, O, ErrMode<ContextError>>,
) -> impl Parser<&'a str, O, ErrMode<ContextError>> {
    delimited(multispace0, inner, multispace0)
}

fn expected(what: &'static str) -> StrContext {
    StrContext::Expected(StrContextValue::Description(what))
}

fn number(i: &mut &str) -> ModalResult<Formula> {
    let raw = (digit1, opt(('.', digit1))).take().parse_next(i)?;
    Ok(match raw.parse::<i64>() {
        Ok(n) => Formula::Int(n),
        // Digits only, so it parses as a float.
        Err(_) => Formula::Real(raw.parse::<f64>().unwrap_or(f64::NAN)),
    })
}

fn column(i: &mut &str) -> ModalResult<Formula> {
    let name = preceded(
        '[',
        cut_err((take_till(1.., ['[', ']']), ']').map(|(n, _): (&str, char)| n))
            .context(expected("a column name and ']'")),
    )
    .parse_next(i)?;
    Ok(Formula::Column(name.trim().to_string()))
}

fn atom(i: &mut &str) -> ModalResult<Formula> {
    ws(alt((
        number,
        column,
        delimited('(', cut_err(sum), cut_err(')').context(expected("')'"))),
    )))
    .context(expected("a number, a [column] or '('"))
    .parse_next(i)
}

fn unary(i: &mut &str) -> ModalResult<Formula> {
    alt((
        preceded(ws('-'), cut_err(unary)).map(|f| Formula::Neg(Box::new(f))),
        atom,
    ))
    .parse_next(i)
}

fn chain(
    operand: fn(&mut &str) -> ModalResult<Formula>,
    ops: [char; 2],
) -> impl FnMut(&mut &str) -> ModalResult<Formula> {
    move |i: &mut &str| {
        let first = operand(i)?;
        repeat(0.., (ws(one_of(ops)), cut_err(operand)))
            .fold(
                move || first.clone(),
                |acc, (op, rhs): (char, Formula)| {
                    let op = match op {
                        '+' => ArithOp::Add,
                        '-' => ArithOp::Sub,
                        '*' => ArithOp::Mul,
                        _ => ArithOp::Div,
                    };
                    Formula::Binary(Box::new(acc), op, Box::new(rhs))
                },
            )
            .parse_next(i)
    }
}

fn product(i: &mut &str) -> ModalResult<Formula> {
    chain(unary, ['*', '/'])(i)
}

fn sum(i: &mut &str) -> ModalResult<Formula> {
    chain(product, ['+', '-'])(i)
}

/// Operators and opening parentheses outside `[column names]`: each may nest one level deeper.
fn nesting_terms(text: &str) -> usize {
    let mut in_name = false;
    text.chars()
        .filter(|&c| match c {
            '[' => {
                in_name = true;
                false
            }
            ']' => {
                in_name = false;
                false
            }
            _ => !in_name && matches!(c, '(' | '+' | '-' | '*' | '/'),
        })
        .count()
}

/// Parses a formula; the error names the character offset where it stopped. A formula with more
/// than [`crate::MAX_FORMULA_TERMS`] operators and parentheses is refused before parsing (it
/// would nest as deep).
pub(crate) fn parse_formula(text: &str) -> Result<Formula, String> {
    let terms = nesting_terms(text);
    if terms > crate::MAX_FORMULA_TERMS {
        return Err(format!(
            "the formula has {terms} operators and parentheses; at most {} are allowed",
            crate::MAX_FORMULA_TERMS
        ));
    }
    sum.parse(text).map_err(|e| {
        let offset = text[..e.offset().min(text.len())].chars().count();
        let detail = e.inner().to_string();
        if detail.is_empty() {
            format!("unexpected input at character {offset}")
        } else {
            format!("{detail} at character {offset}")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(n: &str) -> Box<Formula> {
        Box::new(Formula::Column(n.into()))
    }

    #[test]
    fn precedence_and_parentheses() {
        assert_eq!(
            parse_formula("[Quantity] * [Unit Price]").unwrap(),
            Formula::Binary(col("Quantity"), ArithOp::Mul, col("Unit Price"))
        );
        assert_eq!(
            parse_formula(" [a] - [b] * 2 ").unwrap(),
            Formula::Binary(
                col("a"),
                ArithOp::Sub,
                Box::new(Formula::Binary(
                    col("b"),
                    ArithOp::Mul,
                    Box::new(Formula::Int(2))
                ))
            )
        );
        assert_eq!(
            parse_formula("-([a] + 1.5) / [b]").unwrap(),
            Formula::Binary(
                Box::new(Formula::Neg(Box::new(Formula::Binary(
                    col("a"),
                    ArithOp::Add,
                    Box::new(Formula::Real(1.5))
                )))),
                ArithOp::Div,
                col("b")
            )
        );
    }

    #[test]
    fn errors_name_the_offset() {
        let e = parse_formula("[a] * ").unwrap_err();
        assert!(e.contains("character 6"), "{e}");
        let e = parse_formula("[a] + [b").unwrap_err();
        assert!(e.contains("character"), "{e}");
        assert!(parse_formula("[a] [b]").is_err());
    }
}
