//! Reading the cells of the PostgreSQL dialect's SQL: `numeric` (what PostgreSQL's `AVG` and
//! its `SUM` of `bigint` return) in the binary format, exactly, at any precision.

/// A `numeric` value shorter than its own header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortNumeric;

impl std::fmt::Display for ShortNumeric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a numeric value shorter than its header says")
    }
}

impl std::error::Error for ShortNumeric {}

/// `numeric` in PostgreSQL's binary format as decimal text, and whether it has no fraction
/// digits. `NaN` and the infinities come back as `NaN`, `inf`, `-inf`.
pub fn numeric_text(raw: &[u8]) -> Result<(String, bool), ShortNumeric> {
    let word = |i: usize| -> Result<u16, ShortNumeric> {
        match raw.get(i..i + 2) {
            Some(b) => Ok(u16::from_be_bytes([b[0], b[1]])),
            None => Err(ShortNumeric),
        }
    };
    let ndigits = i32::from(word(0)?);
    let weight = i32::from(word(2)? as i16);
    let sign = word(4)?;
    let dscale = usize::from(word(6)?);
    match sign {
        0xC000 => return Ok(("NaN".into(), false)),
        0xD000 => return Ok(("inf".into(), false)),
        0xF000 => return Ok(("-inf".into(), false)),
        _ => {}
    }
    // Base-10000 digit k is worth 10000^(weight - k).
    let digit = |k: i32| -> Result<u16, ShortNumeric> {
        if (0..ndigits).contains(&k) {
            word(8 + 2 * k as usize)
        } else {
            Ok(0)
        }
    };
    let mut out = String::new();
    if sign == 0x4000 {
        out.push('-');
    }
    if weight < 0 {
        out.push('0');
    }
    for k in 0..=weight {
        if k == 0 {
            out += &digit(k)?.to_string();
        } else {
            out += &format!("{:04}", digit(k)?);
        }
    }
    if dscale > 0 {
        let mut fraction = String::new();
        let mut k = weight + 1;
        while fraction.len() < dscale {
            fraction += &format!("{:04}", digit(k)?);
            k += 1;
        }
        fraction.truncate(dscale);
        out.push('.');
        out += &fraction;
    }
    Ok((out, dscale == 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerics_decode_to_decimal_text() {
        // ndigits, weight, sign, dscale, digits (base 10000).
        fn numeric(weight: i16, sign: u16, dscale: u16, digits: &[u16]) -> Vec<u8> {
            let mut out = Vec::new();
            for w in [digits.len() as u16, weight as u16, sign, dscale] {
                out.extend_from_slice(&w.to_be_bytes());
            }
            for d in digits {
                out.extend_from_slice(&d.to_be_bytes());
            }
            out
        }
        let text = |raw: Vec<u8>| numeric_text(&raw).unwrap();
        assert_eq!(text(numeric(1, 0, 0, &[12, 3456])), ("123456".into(), true));
        assert_eq!(
            text(numeric(0, 0x4000, 2, &[7, 5000])),
            ("-7.50".into(), false)
        );
        assert_eq!(
            text(numeric(-2, 0, 8, &[1234])),
            ("0.00001234".into(), false)
        );
        assert_eq!(text(numeric(2, 0, 0, &[1])), ("100000000".into(), true));
        assert_eq!(text(numeric(0, 0, 0, &[])), ("0".into(), true));
        assert_eq!(text(numeric(0, 0xC000, 0, &[])), ("NaN".into(), false));
    }

    #[test]
    fn a_short_numeric_is_an_error() {
        assert_eq!(numeric_text(&[0, 1, 0]), Err(ShortNumeric));
        assert_eq!(numeric_text(&[0, 1, 0, 0, 0, 0, 0, 0]), Err(ShortNumeric));
    }
}
