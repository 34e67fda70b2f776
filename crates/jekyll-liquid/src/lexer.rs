//! Liquid's strict lexer (lexer.rb): markup → typed tokens, or a syntax error
//! on a character it does not know (which sends the tag to the lax parser).

/// Token kinds of lexer.rb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `==`, `!=`, `<>`, `<`, `<=`, `>`, `>=`, `contains`.
    Comparison,
    /// A quoted string, quotes included.
    Str,
    /// `-?\d+(\.\d+)?`.
    Number,
    /// `[a-zA-Z_][\w-]*\??`.
    Id,
    /// `..`.
    DotDot,
    /// `|`.
    Pipe,
    /// `.`.
    Dot,
    /// `:`.
    Colon,
    /// `,`.
    Comma,
    /// `[`.
    OpenSquare,
    /// `]`.
    CloseSquare,
    /// `(`.
    OpenRound,
    /// `)`.
    CloseRound,
    /// `?`.
    Question,
    /// `-`.
    Dash,
    /// End of input.
    End,
}

/// A lexed token: kind and text.
pub type Tok<'a> = (Kind, &'a str);

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Lexes `input` as lexer.rb does; `Err` names the unexpected character.
pub fn lex(input: &str) -> Result<Vec<Tok<'_>>, String> {
    let b = input.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    loop {
        while i < b.len() && is_ws(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        let kind = if let Some(n) = comparison(&b[i..]) {
            i += n;
            Kind::Comparison
        } else if b[i] == b'\'' || b[i] == b'"' {
            match input[i + 1..].find(b[i] as char) {
                Some(e) => {
                    i += e + 2;
                    Kind::Str
                }
                None => return Err(format!("Unexpected character {}", b[i] as char)),
            }
        } else if let Some(n) = number(&b[i..]) {
            i += n;
            Kind::Number
        } else if b[i].is_ascii_alphabetic() || b[i] == b'_' {
            i += 1;
            while i < b.len() && (is_word(b[i]) || b[i] == b'-') {
                i += 1;
            }
            if i < b.len() && b[i] == b'?' {
                i += 1;
            }
            Kind::Id
        } else if b[i..].starts_with(b"..") {
            i += 2;
            Kind::DotDot
        } else {
            let k = match b[i] {
                b'|' => Kind::Pipe,
                b'.' => Kind::Dot,
                b':' => Kind::Colon,
                b',' => Kind::Comma,
                b'[' => Kind::OpenSquare,
                b']' => Kind::CloseSquare,
                b'(' => Kind::OpenRound,
                b')' => Kind::CloseRound,
                b'?' => Kind::Question,
                b'-' => Kind::Dash,
                _ => {
                    let c = input[i..].chars().next().unwrap_or(' ');
                    return Err(format!("Unexpected character {c}"));
                }
            };
            i += 1;
            k
        };
        out.push((kind, &input[start..i]));
    }
    out.push((Kind::End, ""));
    Ok(out)
}

fn comparison(b: &[u8]) -> Option<usize> {
    for op in [&b"=="[..], b"!=", b"<>", b"<=", b">=", b"<", b">"] {
        if b.starts_with(op) {
            return Some(op.len());
        }
    }
    // `contains(?=\s)`: only when whitespace follows.
    if b.starts_with(b"contains") && b.get(8).is_some_and(|&c| is_ws(c)) {
        return Some(8);
    }
    None
}

fn number(b: &[u8]) -> Option<usize> {
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    i += digits;
    if b.get(i) == Some(&b'.') {
        let frac = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if frac > 0 {
            i += 1 + frac;
        }
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexes_as_lexer_rb() {
        let k: Vec<Kind> = lex("a.b | f: 1..2, 'x'")
            .unwrap()
            .iter()
            .map(|t| t.0)
            .collect();
        use Kind::*;
        assert_eq!(
            k,
            [Id, Dot, Id, Pipe, Id, Colon, Number, DotDot, Number, Comma, Str, End]
        );
        // `contains` needs whitespace after it (COMPARISON_OPERATOR lookahead).
        assert_eq!(lex("containsx").unwrap()[0].0, Id);
        assert!(lex("a % b").is_err());
        assert_eq!(lex("x?").unwrap()[0], (Id, "x?"));
    }
}
