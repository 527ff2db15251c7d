//! Parser: tokens to phrases (winnow over a [`TokenSlice`] of lexed tokens).
//!
//! The grammar is in the crate README. Errors carry the failing token: an unknown word at the
//! start of a phrase is an "Unknown keyword", a phrase cut short says what was expected.

mod failure;

use winnow::combinator::{alt, cut_err, not, opt, peek, preceded, repeat};
use winnow::error::{ErrMode, ModalResult};
use winnow::prelude::*;
use winnow::stream::{Stream, TokenSlice};

use crate::ast::{
    Bucket, CmpOp, ColumnRef, Condition, DateKeyword, Phrase, Term, TextOp, Value, ValueKind,
};
use crate::dates::{RelDate, Unit};
use crate::error::SearchError;
use crate::lexer::{Tok, Token};
use crate::model::Aggregation;

use failure::{ParseFailure, UNSUPPORTED, backtrack, describe};

type Tokens<'t> = TokenSlice<'t, Token>;
type PResult<O> = ModalResult<O, ParseFailure>;

/// Takes the next token when `f` accepts it.
fn token_if<'t, O>(
    mut f: impl FnMut(&'t Token) -> Option<O>,
) -> impl Parser<Tokens<'t>, O, ErrMode<ParseFailure>> {
    move |i: &mut Tokens<'t>| {
        let start = i.checkpoint();
        if let Some(out) = i.next_token().and_then(&mut f) {
            return Ok(out);
        }
        i.reset(&start);
        Err(backtrack(i))
    }
}

/// The keyword `w`; returns its token.
fn kw<'t>(w: &'static str) -> impl Parser<Tokens<'t>, &'t Token, ErrMode<ParseFailure>> {
    token_if(move |t: &'t Token| match &t.tok {
        Tok::Word(x) if x == w => Some(t),
        _ => None,
    })
}

fn unsigned(i: &mut Tokens<'_>) -> PResult<u64> {
    token_if(|t: &Token| match &t.tok {
        Tok::Num(n) => n.parse::<u64>().ok(),
        _ => None,
    })
    .parse_next(i)
}

fn unit<'t>(want_plural: Option<bool>) -> impl Parser<Tokens<'t>, Unit, ErrMode<ParseFailure>> {
    token_if(move |t: &Token| match &t.tok {
        Tok::Word(w) => match Unit::from_word(w) {
            Some((u, plural)) if want_plural.is_none_or(|p| p == plural) => Some(u),
            _ => None,
        },
        _ => None,
    })
}

fn bucket_word(i: &mut Tokens<'_>) -> PResult<Bucket> {
    alt((
        token_if(|t: &Token| match &t.tok {
            Tok::Word(w) if w.ends_with("ly") => Bucket::from_name(w),
            _ => None,
        }),
        (kw("day"), kw("of"), kw("week")).value(Bucket::DayOfWeek),
    ))
    .parse_next(i)
}

/// A bucket after `.`: `daily` ... `yearly`, `day` ... `year`, `day of week`, or any of them
/// quoted (`'day of week'`).
fn bucket_name(i: &mut Tokens<'_>) -> PResult<Bucket> {
    alt((
        bucket_word,
        token_if(|t: &Token| match &t.tok {
            Tok::Str(s) | Tok::Word(s) => Bucket::from_name(s),
            _ => None,
        }),
    ))
    .parse_next(i)
}

fn column_ref(i: &mut Tokens<'_>) -> PResult<ColumnRef> {
    let mut col = token_if(|t: &Token| match &t.tok {
        Tok::Column(name) => Some(ColumnRef {
            name: name.clone(),
            raw: t.raw.clone(),
            pos: t.pos,
            bucket: None,
        }),
        _ => None,
    })
    .parse_next(i)?;
    let dotted = opt(preceded(
        token_if(|t: &Token| (t.tok == Tok::Dot).then_some(())),
        cut_err(bucket_name).context("a date bucket after '.'"),
    ))
    .parse_next(i)?;
    col.bucket = match dotted {
        Some(b) => Some(b),
        None => opt(bucket_word).parse_next(i)?,
    };
    Ok(col)
}

fn aggregate(i: &mut Tokens<'_>) -> PResult<Aggregation> {
    alt((
        token_if(|t: &Token| match &t.tok {
            Tok::Word(w) => Some(match w.as_str() {
                "sum" => Aggregation::Sum,
                "average" | "avg" => Aggregation::Average,
                "count" => Aggregation::Count,
                "min" | "minimum" => Aggregation::Min,
                "max" | "maximum" => Aggregation::Max,
                "variance" => Aggregation::Variance,
                _ => return None,
            }),
            _ => None,
        }),
        preceded(
            kw("unique"),
            cut_err(kw("count")).context("'count' after 'unique'"),
        )
        .value(Aggregation::CountDistinct),
        preceded(
            kw("standard"),
            cut_err(kw("deviation")).context("'deviation' after 'standard'"),
        )
        .value(Aggregation::StdDev),
    ))
    .parse_next(i)
}

fn term(i: &mut Tokens<'_>) -> PResult<Term> {
    alt((
        (
            aggregate,
            cut_err(column_ref).context("a column after the aggregate keyword"),
        )
            .map(|(agg, column)| Term {
                agg: Some(agg),
                column,
            }),
        column_ref.map(|column| Term { agg: None, column }),
    ))
    .parse_next(i)
}

fn value(i: &mut Tokens<'_>) -> PResult<Value> {
    let v = token_if(|t: &Token| {
        let (kind, text) = match &t.tok {
            Tok::Str(s) => (ValueKind::Quoted, s.clone()),
            Tok::Num(n) => (ValueKind::Number, n.clone()),
            Tok::Word(w) if w == "true" || w == "false" => (ValueKind::Word, w.clone()),
            _ => return None,
        };
        Some(Value {
            kind,
            text,
            raw: t.raw.clone(),
            pos: Some(t.pos),
        })
    })
    .parse_next(i)?;
    // `3 days ago` is a date phrase, not the value 3.
    if v.kind == ValueKind::Number {
        not(peek(unit(None))).parse_next(i)?;
    }
    Ok(v)
}

fn comma(i: &mut Tokens<'_>) -> PResult<()> {
    token_if(|t: &Token| (t.tok == Tok::Comma).then_some(())).parse_next(i)
}

/// `value { [","] value }`
fn value_list(i: &mut Tokens<'_>) -> PResult<Vec<Value>> {
    let first = value.parse_next(i)?;
    let rest: Vec<Value> = repeat(
        0..,
        alt((
            preceded(comma, cut_err(value).context("a value after ','")),
            value,
        )),
    )
    .parse_next(i)?;
    let mut all = vec![first];
    all.extend(rest);
    Ok(all)
}

fn op_context(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "a value after '='",
        CmpOp::Ne => "a value after '!='",
        CmpOp::Lt => "a value after '<'",
        CmpOp::Le => "a value after '<='",
        CmpOp::Gt => "a value after '>'",
        CmpOp::Ge => "a value after '>='",
    }
}

fn comparison(i: &mut Tokens<'_>) -> PResult<Condition> {
    let op = token_if(|t: &Token| match t.tok {
        Tok::Op(op) => Some(op),
        _ => None,
    })
    .parse_next(i)?;
    let values = cut_err(value_list).context(op_context(op)).parse_next(i)?;
    Ok(Condition::Compare { op, values })
}

fn text_op(i: &mut Tokens<'_>) -> PResult<TextOp> {
    alt((
        kw("contains").value(TextOp::Contains),
        (
            kw("begins"),
            cut_err(kw("with")).context("'with' after 'begins'"),
        )
            .value(TextOp::BeginsWith),
        (
            kw("ends"),
            cut_err(kw("with")).context("'with' after 'ends'"),
        )
            .value(TextOp::EndsWith),
    ))
    .parse_next(i)
}

fn text_match(negated: bool) -> impl FnMut(&mut Tokens<'_>) -> PResult<Condition> {
    move |i: &mut Tokens<'_>| {
        let op = text_op.parse_next(i)?;
        let values = cut_err(value_list)
            .context("a quoted value after the text operator")
            .parse_next(i)?;
        Ok(Condition::Text {
            op,
            negated,
            values,
        })
    }
}

fn between(negated: bool) -> impl FnMut(&mut Tokens<'_>) -> PResult<Condition> {
    move |i: &mut Tokens<'_>| {
        kw("between").parse_next(i)?;
        let low = cut_err(value)
            .context("a value after 'between'")
            .parse_next(i)?;
        cut_err(kw("and"))
            .context("'and' after the first value of 'between'")
            .parse_next(i)?;
        let high = cut_err(value)
            .context("a value after 'and'")
            .parse_next(i)?;
        Ok(Condition::Between { low, high, negated })
    }
}

fn condition(i: &mut Tokens<'_>) -> PResult<Condition> {
    alt((
        comparison,
        preceded(
            kw("not"),
            cut_err(alt((text_match(true), between(true))))
                .context("contains, begins with, ends with or between after 'not'"),
        ),
        text_match(false),
        between(false),
        value_list.map(|values| Condition::Compare {
            op: CmpOp::Eq,
            values,
        }),
    ))
    .parse_next(i)
}

fn last_or_next(i: &mut Tokens<'_>) -> PResult<RelDate> {
    let next = alt((kw("last").value(false), kw("next").value(true))).parse_next(i)?;
    cut_err(alt((
        (unsigned, unit(None)).map(move |(n, u)| {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            if next {
                RelDate::NextN(n, u)
            } else {
                RelDate::LastN(n, u)
            }
        }),
        unit(Some(false)).map(move |u| {
            if next {
                RelDate::Next(u)
            } else {
                RelDate::Last(u)
            }
        }),
    )))
    .context("a unit (day, week, month, quarter, year) or a number and units")
    .parse_next(i)
}

fn relative_date(i: &mut Tokens<'_>) -> PResult<RelDate> {
    alt((
        kw("today").value(RelDate::Today),
        kw("yesterday").value(RelDate::Yesterday),
        kw("tomorrow").value(RelDate::Tomorrow),
        last_or_next,
        preceded(
            kw("this"),
            cut_err(unit(Some(false)))
                .context("a unit (day, week, month, quarter, year) after 'this'"),
        )
        .map(|u| {
            if u == Unit::Day {
                RelDate::Today
            } else {
                RelDate::This(u)
            }
        }),
        (unsigned, unit(None), kw("ago"))
            .map(|(n, u, _)| RelDate::Ago(u32::try_from(n).unwrap_or(u32::MAX), u)),
        (
            unit(Some(false)),
            kw("to"),
            cut_err(kw("date")).context("'date' after 'to'"),
        )
            .map(|(u, _, _)| RelDate::ToDate(u)),
    ))
    .parse_next(i)
}

fn date_phrase(i: &mut Tokens<'_>) -> PResult<Phrase> {
    let (keyword, taken) = alt((
        relative_date.map(DateKeyword::Relative),
        preceded(
            kw("before"),
            cut_err(value).context("a date after 'before'"),
        )
        .map(DateKeyword::Before),
        preceded(kw("after"), cut_err(value).context("a date after 'after'"))
            .map(DateKeyword::After),
    ))
    .with_taken()
    .parse_next(i)?;
    let raw = taken
        .iter()
        .map(|t| t.raw.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Phrase::Date {
        keyword,
        pos: taken.first().map_or(0, |t| t.pos),
        raw,
    })
}

fn top(i: &mut Tokens<'_>) -> PResult<Phrase> {
    let (bottom, t) = alt((
        kw("top").map(|t| (false, t)),
        kw("bottom").map(|t| (true, t)),
    ))
    .parse_next(i)?;
    let n = opt(unsigned).parse_next(i)?;
    Ok(Phrase::Top {
        bottom,
        n: n.unwrap_or(10),
        pos: t.pos,
        raw: t.raw.clone(),
    })
}

fn direction(i: &mut Tokens<'_>) -> PResult<bool> {
    alt((
        kw("ascending").value(false),
        kw("asc").value(false),
        kw("descending").value(true),
        kw("desc").value(true),
    ))
    .parse_next(i)
}

fn sort_by(i: &mut Tokens<'_>) -> PResult<Phrase> {
    kw("sort").parse_next(i)?;
    cut_err(kw("by"))
        .context("'by' after 'sort'")
        .parse_next(i)?;
    let term = cut_err(term)
        .context("a column after 'sort by'")
        .parse_next(i)?;
    let descending = opt(direction).parse_next(i)?.unwrap_or(false);
    Ok(Phrase::SortBy { term, descending })
}

fn ranked_by(i: &mut Tokens<'_>) -> PResult<Phrase> {
    kw("ranked").parse_next(i)?;
    cut_err(kw("by"))
        .context("'by' after 'ranked'")
        .parse_next(i)?;
    let term = cut_err(term)
        .context("a column after 'ranked by'")
        .parse_next(i)?;
    Ok(Phrase::RankedBy { term })
}

fn by_term(i: &mut Tokens<'_>) -> PResult<Phrase> {
    alt((
        preceded(kw("by"), cut_err(term).context("a column after 'by'")),
        preceded(
            (kw("for"), cut_err(kw("each")).context("'each' after 'for'")),
            cut_err(term).context("a column after 'for each'"),
        ),
    ))
    .parse_next(i)
    .and_then(|term| {
        let condition = opt(condition).parse_next(i)?;
        Ok(Phrase::Term {
            term,
            condition,
            by: true,
        })
    })
}

fn term_phrase(i: &mut Tokens<'_>) -> PResult<Phrase> {
    let term = term.parse_next(i)?;
    let condition = opt(condition).parse_next(i)?;
    Ok(Phrase::Term {
        term,
        condition,
        by: false,
    })
}

fn unsupported(i: &mut Tokens<'_>) -> PResult<Phrase> {
    let remaining = i.eof_offset();
    let t = token_if(|t: &Token| match &t.tok {
        Tok::Word(w) if UNSUPPORTED.contains(&w.as_str()) => Some(t.raw.clone()),
        _ => None,
    })
    .parse_next(i)?;
    Err(ErrMode::Cut(ParseFailure {
        remaining,
        expected: None,
        message: Some(format!("Unsupported keyword '{t}'")),
    }))
}

fn phrase(i: &mut Tokens<'_>) -> PResult<Phrase> {
    alt((
        top,
        sort_by,
        ranked_by,
        by_term,
        date_phrase,
        term_phrase,
        unsupported,
    ))
    .parse_next(i)
}

/// Parses lexed tokens into phrases.
pub(crate) fn parse(query: &str, tokens: &[Token]) -> Result<Vec<Phrase>, SearchError> {
    let input = Tokens::new(tokens);
    repeat(0.., phrase)
        .parse(input)
        .map_err(|e| describe(e.into_inner(), query, tokens))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::lex;

    fn p(q: &str) -> Result<Vec<Phrase>, SearchError> {
        parse(q, &lex(q)?)
    }

    #[test]
    fn phrases() {
        let ph =
            p("sum [Sales] by [region] = 'east', 'west' top 3 [d].monthly last 30 days").unwrap();
        assert_eq!(ph.len(), 5);
        assert!(
            matches!(&ph[0], Phrase::Term { term, condition: None, by: false } if term.agg == Some(Aggregation::Sum))
        );
        assert!(
            matches!(&ph[1], Phrase::Term { condition: Some(Condition::Compare { op: CmpOp::Eq, values }), by: true, .. } if values.len() == 2)
        );
        assert!(matches!(
            &ph[2],
            Phrase::Top {
                bottom: false,
                n: 3,
                ..
            }
        ));
        assert!(
            matches!(&ph[3], Phrase::Term { term, .. } if term.column.bucket == Some(Bucket::Monthly))
        );
        assert!(matches!(
            &ph[4],
            Phrase::Date {
                keyword: DateKeyword::Relative(RelDate::LastN(30, Unit::Day)),
                pos: 59,
                ..
            }
        ));
    }

    #[test]
    fn buckets_after_a_dot() {
        for (q, b) in [
            ("[d].month", Bucket::Monthly),
            ("[d].'Day of Week'", Bucket::DayOfWeek),
            ("[d] . weekly", Bucket::Weekly),
            ("[d].'quarterly'", Bucket::Quarterly),
            ("[d] day of week", Bucket::DayOfWeek),
        ] {
            let ph = p(q).unwrap();
            assert!(
                matches!(&ph[..], [Phrase::Term { term, .. }] if term.column.bucket == Some(b)),
                "{q}: {ph:?}"
            );
        }
    }

    #[test]
    fn errors() {
        let e = p("[sales] frobnicate").unwrap_err();
        assert_eq!(e.to_string(), "Unknown keyword 'frobnicate' at position 8");
        let e = p("[sales] >").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Expected a value after '>' but the query ended at position 9"
        );
        let e = p("growth of [sales]").unwrap_err();
        assert_eq!(e.to_string(), "Unsupported keyword 'growth' at position 0");
        let e = p("[a] between 1 or 2").unwrap_err();
        assert_eq!(e.position, Some(14));
    }
}
