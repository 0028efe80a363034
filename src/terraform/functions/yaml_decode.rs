//! `yamldecode` as Terraform's YAML library reads: YAML 1.1 scalars (`yes`/`on` are
//! booleans, dates become RFC 3339 strings), one document only, merge keys, anchors.

use super::args::{Args, R, Stop, go_quote, parse_number};
use super::datetime::yaml_timestamp;
use super::encoding::b64_decode;
use crate::terraform::value::{Value, format_number};
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Alias expansion may not build more nodes than this (a "billion laughs" guard).
const MAX_NODES: usize = 1_000_000;
const MAX_DEPTH: usize = 256;
const CORE: &str = "tag:yaml.org,2002:";

pub(super) fn yamldecode(a: &Args) -> R {
    decode(&a.str(0)?).map_err(Stop::Call)
}

fn at(span: &Span, msg: impl std::fmt::Display) -> String {
    format!(
        "on line {}, column {}: {msg}",
        span.start.line().max(1),
        span.start.col() + 1
    )
}

fn decode(src: &str) -> Result<Value, String> {
    let mut events = Vec::new();
    for ev in Parser::new_from_str(src) {
        let (ev, span) = ev.map_err(|e| {
            let m = e.marker();
            format!(
                "on line {}, column {}: {}",
                m.line().max(1),
                m.col() + 1,
                e.info()
            )
        })?;
        events.push((ev, span));
    }
    let mut d = Decoder {
        events,
        eof: (!src.ends_with('\n')).then(|| src.chars().count()),
        pos: 0,
        anchors: HashMap::new(),
        pending: HashSet::new(),
        nodes: 0,
    };
    match d.next() {
        Some((Event::StreamStart, _)) => {}
        _ => return Err("missing stream start token".into()),
    }
    match d.next() {
        Some((Event::DocumentStart(_), _)) => {}
        Some((_, span)) => return Err(at(&span, "missing start of document")),
        None => return Err("missing start of document".into()),
    }
    let v = d.node(0)?;
    match d.next() {
        Some((Event::DocumentEnd, _)) => {}
        Some((Event::DocumentStart(_), span)) => {
            return Err(at(&span, "only a single document is allowed"));
        }
        Some((_, span)) => return Err(at(&span, "unexpected extra content after value")),
        None => {}
    }
    match d.next() {
        Some((Event::StreamEnd, _)) | None => Ok(v),
        Some((_, span)) => Err(at(&span, "unexpected extra content after value")),
    }
}

struct Decoder<'a> {
    events: Vec<(Event<'a>, Span)>,
    /// Where the text ends, when it ends without a line break.
    eof: Option<usize>,
    pos: usize,
    anchors: HashMap<usize, Value>,
    pending: HashSet<usize>,
    nodes: usize,
}

fn tag_text(tag: &Option<std::borrow::Cow<'_, Tag>>) -> String {
    tag.as_ref()
        .map(|t| format!("{}{}", t.handle, t.suffix))
        .unwrap_or_default()
}

fn size(v: &Value) -> usize {
    match v {
        Value::List(items) | Value::Set(items) => 1 + items.iter().map(size).sum::<usize>(),
        Value::Map(m) => 1 + m.values().map(size).sum::<usize>(),
        _ => 1,
    }
}

impl<'a> Decoder<'a> {
    fn next(&mut self) -> Option<(Event<'a>, Span)> {
        let ev = self.events.get(self.pos).cloned();
        self.pos += 1;
        ev
    }

    fn count(&mut self, n: usize, span: &Span) -> Result<(), String> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(at(span, "document expands to too many values"));
        }
        Ok(())
    }

    fn node(&mut self, depth: usize) -> Result<Value, String> {
        let Some((ev, span)) = self.next() else {
            return Err("expecting value but found end of stream".into());
        };
        if depth > MAX_DEPTH {
            return Err(at(&span, "document is nested too deeply"));
        }
        self.count(1, &span)?;
        let (anchor, v) = match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let mut text: &str = &text;
                // A block scalar cut off by the end of the text has no final line break
                // (libyaml's reading); the parser adds one.
                if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                    && self.eof.is_some_and(|n| span.end.index() >= n)
                {
                    text = text.strip_suffix('\n').unwrap_or(text);
                }
                let v = resolve(&tag_text(&tag), text, style).map_err(|m| at(&span, m))?;
                (anchor, v)
            }
            Event::Alias(id) => {
                if self.pending.contains(&id) {
                    return Err(at(
                        &span,
                        "cannot refer to an anchor from inside its own definition",
                    ));
                }
                let v = self
                    .anchors
                    .get(&id)
                    .cloned()
                    .ok_or_else(|| at(&span, "reference to undefined anchor"))?;
                self.count(size(&v), &span)?;
                return Ok(v);
            }
            Event::SequenceStart(anchor, tag) => {
                let t = tag_text(&tag);
                if !t.is_empty() && t != format!("{CORE}seq") {
                    return Err(at(&span, format!("can't interpret sequence as {t}")));
                }
                self.pending.insert(anchor);
                let mut items = Vec::new();
                loop {
                    if matches!(self.events.get(self.pos), Some((Event::SequenceEnd, _))) {
                        self.pos += 1;
                        break;
                    }
                    items.push(self.node(depth + 1)?);
                }
                (anchor, Value::List(items))
            }
            Event::MappingStart(anchor, tag) => {
                let t = tag_text(&tag);
                if !t.is_empty() && t != format!("{CORE}map") {
                    return Err(at(&span, format!("can't interpret mapping as {t}")));
                }
                self.pending.insert(anchor);
                (anchor, Value::Map(self.mapping(depth)?))
            }
            Event::StreamEnd => return Err(at(&span, "expecting value but found end of stream")),
            Event::MappingEnd => return Err(at(&span, "expecting value but found end of mapping")),
            Event::SequenceEnd => {
                return Err(at(&span, "expecting value but found end of sequence"));
            }
            Event::DocumentStart(_) => return Err(at(&span, "only a single document is allowed")),
            _ => return Err(at(&span, "unexpected parser event")),
        };
        if anchor != 0 {
            self.pending.remove(&anchor);
            self.anchors.insert(anchor, v.clone());
        }
        Ok(v)
    }

    fn mapping(&mut self, depth: usize) -> Result<BTreeMap<String, Value>, String> {
        let mut out = BTreeMap::new();
        loop {
            let Some((ev, span)) = self.next() else {
                return Err("expecting value but found end of stream".into());
            };
            match ev {
                Event::MappingEnd => return Ok(out),
                Event::Scalar(text, style, _, tag) => {
                    let t = tag_text(&tag);
                    if (t.is_empty() && text == "<<") || t == format!("{CORE}merge") {
                        match self.node(depth + 1)? {
                            Value::Map(m) => out.extend(m),
                            Value::List(items) => {
                                for item in items {
                                    match item {
                                        Value::Map(m) => out.extend(m),
                                        other => {
                                            let what = super::args::friendly(&other);
                                            return Err(at(
                                                &span,
                                                format!(
                                                    "cannot merge {what} (from sequence) into mapping"
                                                ),
                                            ));
                                        }
                                    }
                                }
                            }
                            other => {
                                let what = super::args::friendly(&other);
                                return Err(at(&span, format!("cannot merge {what} into mapping")));
                            }
                        }
                        continue;
                    }
                    let key = match resolve(&t, &text, style).map_err(|m| at(&span, m))? {
                        Value::Null => return Err(at(&span, "mapping key cannot be null")),
                        Value::String(s) => s,
                        Value::Number(n) => format_number(n),
                        Value::Bool(b) => b.to_string(),
                        _ => return Err(at(&span, "only strings are allowed as mapping keys")),
                    };
                    let v = self.node(depth + 1)?;
                    out.insert(key, v);
                }
                _ => return Err(at(&span, "only strings are allowed as mapping keys")),
            }
        }
    }
}

fn resolve(tag: &str, src: &str, style: ScalarStyle) -> Result<Value, String> {
    let short = tag.strip_prefix(CORE);
    if !tag.is_empty()
        && !matches!(
            short,
            Some("str" | "bool" | "int" | "float" | "null" | "timestamp" | "binary")
        )
    {
        return Err(format!("unsupported tag {}", go_quote(tag)));
    }
    let mut kind = short.unwrap_or("");
    let hint = match src.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    };
    if hint != 0 && kind != "str" && kind != "binary" {
        if matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) {
            return Ok(Value::string(src));
        }
        if let Some(v) = special(src) {
            return Ok(v);
        }
        if kind.is_empty() && matches!(src, ".nan" | ".NaN" | ".NAN") {
            return Err("floating point NaN is not supported".into());
        }
        match hint {
            b'.' => {
                if let Some(n) = parse_number(src) {
                    return Ok(Value::Number(n));
                }
            }
            b'D' | b'S' => {
                if kind.is_empty() || kind == "timestamp" {
                    if let Some(t) = yaml_timestamp(src) {
                        return Ok(Value::String(t));
                    }
                }
                if is_int_literal(src) {
                    kind = "int";
                } else if is_float_literal(src) {
                    kind = "float";
                }
            }
            _ => {}
        }
    }
    let cannot = || format!("cannot parse {} as {tag}", go_quote(src));
    match kind {
        "str" | "" => Ok(Value::string(src)),
        "binary" => b64_decode(src)
            .map(|_| Value::string(src))
            .map_err(|_| format!("{}: not valid base64", cannot())),
        "bool" => match special(src) {
            Some(Value::Bool(b)) => Ok(Value::Bool(b)),
            _ => Err(cannot()),
        },
        "int" | "float" => {
            let plain = src.replace('_', "");
            parse_number(&plain)
                .or_else(|| go_int(&plain))
                .map(Value::Number)
                .ok_or_else(cannot)
        }
        "timestamp" => yaml_timestamp(src).map(Value::String).ok_or_else(cannot),
        _ => Ok(Value::Null),
    }
}

/// The YAML 1.1 words for booleans, null and infinity.
fn special(src: &str) -> Option<Value> {
    Some(match src {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Value::Number(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Value::Number(f64::NEG_INFINITY),
        _ => return None,
    })
}

fn is_int_literal(s: &str) -> bool {
    let digits = |t: &str, ok: fn(&u8) -> bool| !t.is_empty() && t.as_bytes().iter().all(ok);
    if let Some(o) = s.strip_prefix("0o") {
        return digits(o, |b| (b'0'..=b'7').contains(b));
    }
    if let Some(x) = s.strip_prefix("0x") {
        return digits(x, u8::is_ascii_hexdigit);
    }
    digits(s.strip_prefix(['+', '-']).unwrap_or(s), u8::is_ascii_digit)
}

fn is_float_literal(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mant_ok = match mant.split_once('.') {
        Some(("", f)) => !f.is_empty() && all_digits(f),
        Some((i, f)) => all_digits(i) && all_digits(f),
        None => !mant.is_empty() && all_digits(mant),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mant_ok && exp_ok
}

/// Go's `strconv.ParseInt(s, 0, 64)`: sign, then `0x`, `0o`, `0b` or a leading `0` (octal).
fn go_int(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    let n = i64::from_str_radix(digits, radix).ok()?;
    Some(if neg { -(n as f64) } else { n as f64 })
}
