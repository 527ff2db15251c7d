//! Lexer: the query string to tokens with character positions (winnow over a located `&str`).
//!
//! Tokens: `[column]`, `'quoted value'` (`''` inside stands for one `'`), numbers (`12`, `-3.5`),
//! bare en-US dates (`10/31/2014`, lexed as a quoted value), words (keywords; lower-cased),
//! comparison operators, `,` and `.`. Whitespace separates tokens and is otherwise ignored.

use winnow::ascii::{digit1, multispace0};
use winnow::combinator::{alt, opt, peek};
use winnow::error::{ErrMode, ModalResult, Needed, ParserError};
use winnow::prelude::*;
use winnow::stream::{LocatingSlice, Location, Stream};
use winnow::token::{any, take_till, take_while};

use crate::ast::CmpOp;
use crate::error::SearchError;

/// A lexed token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// `[name]`: the name inside the brackets, trimmed.
    Column(String),
    /// `'text'` (unescaped) or a bare `MM/DD/YYYY` date.
    Str(String),
    /// A bare number as written.
    Num(String),
    /// A bare word, lower-cased.
    Word(String),
    /// `=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`.
    Op(CmpOp),
    Comma,
    Dot,
}

/// A token with its place in the query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    /// Character offset of the first character.
    pub pos: usize,
    /// The token as written.
    pub raw: String,
}

type Input<'a> = LocatingSlice<&'a str>;

/// A lexing error: byte offset of the offending token and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LexError {
    at: usize,
    message: Option<&'static str>,
}

impl<'a> ParserError<Input<'a>> for LexError {
    type Inner = Self;

    fn from_input(input: &Input<'a>) -> Self {
        LexError {
            at: input.current_token_start(),
            message: None,
        }
    }

    fn incomplete(input: &Input<'a>, _needed: Needed) -> Self {
        Self::from_input(input)
    }

    fn into_inner(self) -> Result<Self::Inner, Self> {
        Ok(self)
    }
}

fn cut(at: usize, message: &'static str) -> ErrMode<LexError> {
    ErrMode::Cut(LexError {
        at,
        message: Some(message),
    })
}

fn column(i: &mut Input<'_>) -> ModalResult<Tok, LexError> {
    let start = i.current_token_start();
    '['.parse_next(i)?;
    let name: &str = take_till(0.., ['[', ']']).parse_next(i)?;
    if opt(']').parse_next(i)?.is_none() {
        return Err(cut(start, "Unterminated column name"));
    }
    let name = name.trim();
    if name.is_empty() {
        return Err(cut(start, "Empty column name"));
    }
    Ok(Tok::Column(name.to_string()))
}

fn quoted(i: &mut Input<'_>) -> ModalResult<Tok, LexError> {
    let start = i.current_token_start();
    '\''.parse_next(i)?;
    let mut text = String::new();
    loop {
        let part: &str = take_till(0.., '\'').parse_next(i)?;
        text.push_str(part);
        if opt('\'').parse_next(i)?.is_none() {
            return Err(cut(start, "Unterminated quoted value"));
        }
        // `''` inside a quoted value is one quote character.
        if opt('\'').parse_next(i)?.is_some() {
            text.push('\'');
        } else {
            return Ok(Tok::Str(text));
        }
    }
}

fn number_or_date(i: &mut Input<'_>) -> ModalResult<Tok, LexError> {
    let date = opt((digit1, '/', digit1, '/', digit1).take()).parse_next(i)?;
    if let Some(date) = date {
        return Ok(Tok::Str(date.to_string()));
    }
    let raw = (opt('-'), digit1, opt(('.', digit1)))
        .take()
        .parse_next(i)?;
    Ok(Tok::Num(raw.to_string()))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

fn word(i: &mut Input<'_>) -> ModalResult<Tok, LexError> {
    let w: &str = (
        any.verify(|c: &char| c.is_alphabetic()),
        take_while(0.., is_word_char),
    )
        .take()
        .parse_next(i)?;
    Ok(Tok::Word(w.to_lowercase()))
}

fn operator(i: &mut Input<'_>) -> ModalResult<Tok, LexError> {
    alt((
        "!=".value(CmpOp::Ne),
        "<>".value(CmpOp::Ne),
        "<=".value(CmpOp::Le),
        ">=".value(CmpOp::Ge),
        "=".value(CmpOp::Eq),
        "<".value(CmpOp::Lt),
        ">".value(CmpOp::Gt),
    ))
    .map(Tok::Op)
    .parse_next(i)
}

fn token(i: &mut Input<'_>) -> ModalResult<Tok, LexError> {
    let start = i.current_token_start();
    let Some(c) = peek(opt(any)).parse_next(i)? else {
        return Err(ErrMode::Backtrack(LexError::from_input(i)));
    };
    match c {
        '[' => column(i),
        '\'' => quoted(i),
        ',' => ','.value(Tok::Comma).parse_next(i),
        '.' => '.'.value(Tok::Dot).parse_next(i),
        '=' | '!' | '<' | '>' => operator(i).map_err(|_| cut(start, "Unexpected character")),
        c if c.is_ascii_digit() => number_or_date(i),
        '-' => number_or_date(i).map_err(|_| cut(start, "Unexpected character")),
        c if c.is_alphabetic() => word(i),
        _ => Err(cut(start, "Unexpected character")),
    }
}

fn tokens(i: &mut Input<'_>) -> ModalResult<Vec<(Tok, std::ops::Range<usize>)>, LexError> {
    let mut out = Vec::new();
    loop {
        multispace0.parse_next(i)?;
        if i.eof_offset() == 0 {
            return Ok(out);
        }
        out.push(token.with_span().parse_next(i)?);
    }
}

/// Character offset of a byte offset.
pub(crate) fn char_pos(query: &str, byte: usize) -> usize {
    query[..byte.min(query.len())].chars().count()
}

/// Lexes `query`, or names the first bad token and its character position.
pub(crate) fn lex(query: &str) -> Result<Vec<Token>, SearchError> {
    let mut input = LocatingSlice::new(query);
    match tokens(&mut input) {
        Ok(toks) => Ok(toks
            .into_iter()
            .map(|(tok, span)| Token {
                tok,
                pos: char_pos(query, span.start),
                raw: query[span].to_string(),
            })
            .collect()),
        Err(e) => {
            let e = match e {
                ErrMode::Backtrack(e) | ErrMode::Cut(e) => e,
                ErrMode::Incomplete(_) => LexError {
                    at: query.len(),
                    message: None,
                },
            };
            let rest = &query[e.at.min(query.len())..];
            let token: String = match e.message {
                Some("Unexpected character") | None => rest.chars().take(1).collect(),
                // The rest of the query from the opening bracket or quote.
                _ => rest.to_string(),
            };
            // The message names what was found: `Unterminated quoted value 'east`,
            // `Unexpected character ';'`.
            let message = match e.message {
                Some("Unexpected character") | None => format!("Unexpected character '{token}'"),
                Some(message) => format!("{message} {token}"),
            };
            Err(SearchError::at(message, token, char_pos(query, e.at)))
        }
    }
}
