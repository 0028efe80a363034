//! The condition language of StackForms: `$cloud == 'aws' && ($size != 'small' || !$ha)`.
//!
//! Real forms use `$field == 'x'`, `!=`, `&&` and `||`; the parser also accepts parentheses,
//! `!`, bare `$flag` truthiness, ordering comparisons and number / boolean / quoted-string
//! literals. Evaluation is three-valued: a field whose value is a runtime interpolation is
//! unknown, and so is any result that depends on it (Kleene logic), so an unknowable condition
//! never produces a finding.

use serde_json::Value as Json;
use std::fmt;

/// How deep parentheses and `!` may nest; beyond that the input is hostile, not a form.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `$name`: the value of another field.
    Field(String),
    Lit(Json),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Why a condition does not parse; `offset` is a character offset into the condition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.offset + 1)
    }
}

/// What a field holds when a condition looks at it.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Known(Json),
    /// No value and no default (or the field is inactive).
    Missing,
    /// Only known at run time (an interpolation, or depends on one).
    Unknown,
}

impl Expr {
    /// Every field the expression names, in order of appearance.
    pub fn fields(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_fields(&mut out);
        out
    }

    fn collect_fields<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Field(f) => out.push(f),
            Expr::Lit(_) => {}
            Expr::Not(e) => e.collect_fields(out),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Cmp(_, a, b) => {
                a.collect_fields(out);
                b.collect_fields(out);
            }
        }
    }

    /// Evaluates with `lookup` giving each field's value. `None` means "cannot be known
    /// offline".
    pub fn eval(&self, lookup: &mut dyn FnMut(&str) -> Operand) -> Option<bool> {
        match self {
            Expr::Field(_) | Expr::Lit(_) => match self.operand(lookup) {
                Operand::Known(v) => Some(truthy(&v)),
                Operand::Missing => Some(false),
                Operand::Unknown => None,
            },
            Expr::Not(e) => e.eval(lookup).map(|b| !b),
            Expr::And(a, b) => match a.eval(lookup) {
                Some(false) => Some(false),
                Some(true) => b.eval(lookup),
                None => match b.eval(lookup) {
                    Some(false) => Some(false),
                    _ => None,
                },
            },
            Expr::Or(a, b) => match a.eval(lookup) {
                Some(true) => Some(true),
                Some(false) => b.eval(lookup),
                None => match b.eval(lookup) {
                    Some(true) => Some(true),
                    _ => None,
                },
            },
            Expr::Cmp(op, a, b) => {
                let (a, b) = (a.operand(lookup), b.operand(lookup));
                compare(*op, &a, &b)
            }
        }
    }

    fn operand(&self, lookup: &mut dyn FnMut(&str) -> Operand) -> Operand {
        match self {
            Expr::Field(f) => lookup(f),
            Expr::Lit(v) => Operand::Known(v.clone()),
            // A boolean sub-expression used as an operand: `($a == 'x') == true`.
            other => match other.eval(lookup) {
                Some(b) => Operand::Known(Json::Bool(b)),
                None => Operand::Unknown,
            },
        }
    }
}

fn truthy(v: &Json) -> bool {
    match v {
        Json::Null => false,
        Json::Bool(b) => *b,
        Json::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Json::String(s) => !s.is_empty() && s != "false",
        Json::Array(a) => !a.is_empty(),
        Json::Object(o) => !o.is_empty(),
    }
}

fn compare(op: CmpOp, a: &Operand, b: &Operand) -> Option<bool> {
    let null = Json::Null;
    let value = |o: &Operand| match o {
        Operand::Known(v) => Some(v.clone()),
        Operand::Missing => Some(null.clone()),
        Operand::Unknown => None,
    };
    let (a, b) = (value(a)?, value(b)?);
    Some(match op {
        CmpOp::Eq => loose_eq(&a, &b),
        CmpOp::Ne => !loose_eq(&a, &b),
        CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
            let (Some(x), Some(y)) = (as_number(&a), as_number(&b)) else {
                return Some(false);
            };
            match op {
                CmpOp::Lt => x < y,
                CmpOp::Le => x <= y,
                CmpOp::Gt => x > y,
                _ => x >= y,
            }
        }
    })
}

fn as_number(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Equality the way a form author means it: `2 == '2'`, `true == 'true'`.
pub fn loose_eq(a: &Json, b: &Json) -> bool {
    if a == b {
        return true;
    }
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::String(s), Json::Number(_) | Json::Bool(_))
        | (Json::Number(_) | Json::Bool(_), Json::String(s)) => {
            let other = if matches!(a, Json::String(_)) { b } else { a };
            match other {
                Json::Number(n) => s.trim().parse::<f64>().ok() == n.as_f64(),
                _ => s == &other.to_string(),
            }
        }
        _ => false,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Field(String),
    Lit(Json),
    LParen,
    RParen,
    Not,
    And,
    Or,
    Cmp(CmpOp),
}

fn err(offset: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        offset,
        message: message.into(),
    }
}

fn is_field_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-')
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let start = i;
        let next = chars.get(i + 1).copied();
        let tok = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => {
                i += 1;
                Tok::LParen
            }
            ')' => {
                i += 1;
                Tok::RParen
            }
            '&' if next == Some('&') => {
                i += 2;
                Tok::And
            }
            '|' if next == Some('|') => {
                i += 2;
                Tok::Or
            }
            '=' if next == Some('=') => {
                i += 2;
                Tok::Cmp(CmpOp::Eq)
            }
            '!' if next == Some('=') => {
                i += 2;
                Tok::Cmp(CmpOp::Ne)
            }
            '!' => {
                i += 1;
                Tok::Not
            }
            '<' | '>' => {
                let eq = next == Some('=');
                i += if eq { 2 } else { 1 };
                Tok::Cmp(match (c, eq) {
                    ('<', false) => CmpOp::Lt,
                    ('<', true) => CmpOp::Le,
                    ('>', false) => CmpOp::Gt,
                    _ => CmpOp::Ge,
                })
            }
            '=' => return Err(err(i, "`=` is not an operator; compare with `==`")),
            '&' => return Err(err(i, "`&` is not an operator; use `&&`")),
            '|' => return Err(err(i, "`|` is not an operator; use `||`")),
            '$' => {
                i += 1;
                while chars.get(i).is_some_and(|&c| is_field_char(c)) {
                    i += 1;
                }
                let name: String = chars[start + 1..i].iter().collect();
                if name.is_empty() {
                    return Err(err(
                        start,
                        "`$` must be followed by a field key, like `$cloud_provider`",
                    ));
                }
                Tok::Field(name)
            }
            '\'' | '"' => {
                i += 1;
                let mut s = String::new();
                loop {
                    match chars.get(i) {
                        None => {
                            return Err(err(
                                start,
                                format!("unterminated string: missing closing {c}"),
                            ));
                        }
                        Some('\\') if chars.get(i + 1).is_some() => {
                            if let Some(&e) = chars.get(i + 1) {
                                s.push(e);
                            }
                            i += 2;
                        }
                        Some(&q) if q == c => {
                            i += 1;
                            break;
                        }
                        Some(&other) => {
                            s.push(other);
                            i += 1;
                        }
                    }
                }
                Tok::Lit(Json::String(s))
            }
            c if c.is_ascii_digit() || (c == '-' && next.is_some_and(|n| n.is_ascii_digit())) => {
                i += 1;
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '.')
                {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let num = if let Ok(n) = text.parse::<i64>() {
                    Json::from(n)
                } else {
                    text.parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                        .map(Json::Number)
                        .ok_or_else(|| err(start, format!("`{text}` is not a number")))?
                };
                Tok::Lit(num)
            }
            c if c.is_alphabetic() || c == '_' => {
                while chars.get(i).is_some_and(|&c| is_field_char(c)) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                match word.as_str() {
                    "true" => Tok::Lit(Json::Bool(true)),
                    "false" => Tok::Lit(Json::Bool(false)),
                    "null" => Tok::Lit(Json::Null),
                    _ => {
                        return Err(err(
                            start,
                            format!(
                                "bare word `{word}`: write `${word}` for a field or '{word}' for a string"
                            ),
                        ));
                    }
                }
            }
            other => return Err(err(i, format!("unexpected character `{other}`"))),
        };
        out.push((start, tok));
    }
    Ok(out)
}

/// Parses a condition.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    let toks = lex(src)?;
    let end = src.chars().count();
    let mut p = Parser { toks, at: 0, end };
    if p.toks.is_empty() {
        return Err(err(0, "the condition is empty"));
    }
    let e = p.or(0)?;
    match p.toks.get(p.at) {
        None => Ok(e),
        Some((off, Tok::RParen)) => Err(err(*off, "unbalanced `)`")),
        Some((off, _)) => Err(err(*off, "expected `&&`, `||` or the end of the condition")),
    }
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    at: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|(_, t)| t)
    }

    fn offset(&self) -> usize {
        self.toks.get(self.at).map_or(self.end, |(o, _)| *o)
    }

    fn or(&mut self, depth: usize) -> Result<Expr, ParseError> {
        let mut left = self.and(depth)?;
        while self.peek() == Some(&Tok::Or) {
            self.at += 1;
            let right = self.and(depth)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self, depth: usize) -> Result<Expr, ParseError> {
        let mut left = self.unary(depth)?;
        while self.peek() == Some(&Tok::And) {
            self.at += 1;
            let right = self.unary(depth)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, ParseError> {
        if depth > MAX_DEPTH {
            return Err(err(self.offset(), "the condition nests too deeply"));
        }
        if self.peek() == Some(&Tok::Not) {
            self.at += 1;
            return Ok(Expr::Not(Box::new(self.unary(depth + 1)?)));
        }
        let left = self.primary(depth)?;
        if let Some(Tok::Cmp(op)) = self.peek() {
            let op = *op;
            self.at += 1;
            let right = self.primary(depth)?;
            if let Some(Tok::Cmp(_)) = self.peek() {
                return Err(err(
                    self.offset(),
                    "comparisons cannot be chained; join them with `&&`",
                ));
            }
            return Ok(Expr::Cmp(op, Box::new(left), Box::new(right)));
        }
        Ok(left)
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, ParseError> {
        let offset = self.offset();
        let Some((_, tok)) = self.toks.get(self.at).cloned() else {
            return Err(err(
                offset,
                "the condition ends too early: expected a field or a value",
            ));
        };
        self.at += 1;
        match tok {
            Tok::Field(f) => Ok(Expr::Field(f)),
            Tok::Lit(v) => Ok(Expr::Lit(v)),
            Tok::LParen => {
                if depth > MAX_DEPTH {
                    return Err(err(offset, "the condition nests too deeply"));
                }
                let e = self.or(depth + 1)?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(err(self.offset(), "missing `)`"));
                }
                self.at += 1;
                Ok(e)
            }
            Tok::Not => Ok(Expr::Not(Box::new(self.primary(depth + 1)?))),
            Tok::RParen => Err(err(offset, "unexpected `)`: expected a field or a value")),
            Tok::And | Tok::Or => Err(err(
                offset,
                "expected a field or a value before `&&` / `||`",
            )),
            Tok::Cmp(_) => Err(err(
                offset,
                "expected a field or a value before the comparison",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    fn eval_with(src: &str, vals: &[(&str, Operand)]) -> Option<bool> {
        let map: HashMap<&str, Operand> = vals.iter().cloned().collect();
        let e = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        e.eval(&mut |f| map.get(f).cloned().unwrap_or(Operand::Missing))
    }

    fn k(v: Json) -> Operand {
        Operand::Known(v)
    }

    #[test]
    fn equality_and_inequality() {
        let env = [("cloud", k(json!("aws")))];
        assert_eq!(eval_with("$cloud == 'aws'", &env), Some(true));
        assert_eq!(eval_with("$cloud == \"gcp\"", &env), Some(false));
        assert_eq!(eval_with("$cloud != 'gcp'", &env), Some(true));
        assert_eq!(eval_with("$other == 'aws'", &env), Some(false));
        assert_eq!(eval_with("$other != 'aws'", &env), Some(true));
        assert_eq!(eval_with("$other == null", &env), Some(true));
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let e = parse("$a || $b && $c").unwrap();
        assert!(
            matches!(e, Expr::Or(_, ref r) if matches!(**r, Expr::And(_, _))),
            "{e:?}"
        );
        let t = k(json!(true));
        let f = k(json!(false));
        assert_eq!(
            eval_with(
                "$a || $b && $c",
                &[("a", t.clone()), ("b", f.clone()), ("c", f.clone())]
            ),
            Some(true)
        );
        assert_eq!(
            eval_with(
                "($a || $b) && $c",
                &[("a", t.clone()), ("b", f.clone()), ("c", f.clone())]
            ),
            Some(false)
        );
        assert_eq!(
            eval_with("!$a && $b", &[("a", f.clone()), ("b", t.clone())]),
            Some(true)
        );
        assert_eq!(
            eval_with("!($a && $b)", &[("a", t.clone()), ("b", t)]),
            Some(false)
        );
    }

    #[test]
    fn literals_and_truthiness() {
        assert_eq!(eval_with("$n == 3", &[("n", k(json!(3)))]), Some(true));
        assert_eq!(eval_with("$n == '3'", &[("n", k(json!(3)))]), Some(true));
        assert_eq!(eval_with("$n == 3.0", &[("n", k(json!(3)))]), Some(true));
        assert_eq!(
            eval_with("$n > 2 && $n <= 3", &[("n", k(json!(3)))]),
            Some(true)
        );
        assert_eq!(eval_with("$n >= -1", &[("n", k(json!(-2)))]), Some(false));
        assert_eq!(
            eval_with("$ha == true", &[("ha", k(json!(true)))]),
            Some(true)
        );
        assert_eq!(eval_with("$ha", &[("ha", k(json!(false)))]), Some(false));
        assert_eq!(eval_with("$name", &[("name", k(json!("x")))]), Some(true));
        assert_eq!(eval_with("$name", &[("name", k(json!("")))]), Some(false));
        assert_eq!(eval_with("$missing", &[]), Some(false));
        assert_eq!(eval_with("true && !false", &[]), Some(true));
        assert_eq!(
            eval_with(r"$s == 'it\'s'", &[("s", k(json!("it's")))]),
            Some(true)
        );
        assert_eq!(
            eval_with(
                "$module.db.size == 'l'",
                &[("module.db.size", k(json!("l")))]
            ),
            Some(true)
        );
    }

    #[test]
    fn unknown_values_follow_kleene_logic() {
        let u = [
            ("x", Operand::Unknown),
            ("t", k(json!(true))),
            ("f", k(json!(false))),
        ];
        assert_eq!(eval_with("$x == 'a'", &u), None);
        assert_eq!(eval_with("$x == 'a' && $f", &u), Some(false));
        assert_eq!(eval_with("$x == 'a' || $t", &u), Some(true));
        assert_eq!(eval_with("$x == 'a' && $t", &u), None);
        assert_eq!(eval_with("!$x", &u), None);
    }

    #[test]
    fn fields_are_listed() {
        let e = parse("$a == 'x' && ($b || !$c)").unwrap();
        assert_eq!(e.fields(), vec!["a", "b", "c"]);
    }

    #[test]
    fn errors_have_offsets() {
        let cases = [
            ("$a = 'x'", 3),
            ("$a == 'x", 6),
            ("($a == 'x'", 10),
            ("$a == 'x')", 9),
            ("$a == aws", 6),
            ("$a &&", 5),
            ("", 0),
            ("$ == 'x'", 0),
            ("$a == 1 == 2", 8),
            ("$a & $b", 3),
            ("$a == 'x' $b", 10),
            ("#", 0),
        ];
        for (src, offset) in cases {
            let e = parse(src).expect_err(src);
            assert_eq!(e.offset, offset, "{src}: {e}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}$a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep).is_err());
        let nots = format!("{}$a", "!".repeat(10_000));
        assert!(parse(&nots).is_err());
        assert!(parse(&format!("{}$a{}", "(".repeat(10), ")".repeat(10))).is_ok());
    }

    proptest::proptest! {
        #[test]
        fn parser_never_panics(s in "\\PC{0,80}") {
            if let Ok(e) = parse(&s) {
                let _ = e.eval(&mut |_| Operand::Unknown);
                let _ = e.eval(&mut |_| Operand::Known(json!("x")));
            }
        }

        #[test]
        fn parser_never_panics_on_condition_like_input(s in "[$a-c '\"()!=&|<>0-9.-]{0,40}") {
            if let Ok(e) = parse(&s) {
                let _ = e.eval(&mut |_| Operand::Missing);
            }
        }
    }
}
