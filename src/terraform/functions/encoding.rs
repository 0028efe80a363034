//! Encoding functions: base64, JSON, CSV, URL, and text in other character encodings.

use super::args::{Args, R, Stop, arg_err, call_err, go_quote, known};
use super::json;
use crate::terraform::value::Value;
use std::collections::BTreeMap;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub(super) fn b64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (k, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if k <= chunk.len() {
                out.push(B64[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `StdEncoding.DecodeString`: padding required, line breaks ignored; the error is the
/// offset of the first bad byte.
pub(super) fn b64_decode(s: &str) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut quad = [0u8; 4];
    let mut n = 0;
    let mut pad = 0;
    let mut done = false;
    for (i, c) in s.bytes().enumerate() {
        if c == b'\r' || c == b'\n' {
            continue;
        }
        if done {
            return Err(i);
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' if n >= 2 => {
                pad += 1;
                0
            }
            _ => return Err(i),
        };
        if pad > 0 && c != b'=' {
            return Err(i);
        }
        quad[n] = v;
        n += 1;
        if n == 4 {
            let x = (u32::from(quad[0]) << 18)
                | (u32::from(quad[1]) << 12)
                | (u32::from(quad[2]) << 6)
                | u32::from(quad[3]);
            let bytes = [(x >> 16) as u8, (x >> 8) as u8, x as u8];
            out.extend_from_slice(&bytes[..3 - pad]);
            done = pad > 0;
            n = 0;
        }
    }
    if n != 0 {
        return Err(s.len());
    }
    Ok(out)
}

pub(super) fn base64encode(a: &Args) -> R {
    Ok(Value::String(b64_encode(a.str(0)?.as_bytes())))
}

pub(super) fn base64decode(a: &Args) -> R {
    let s = a.str(0)?;
    let bytes = b64_decode(&s)
        .or_else(|_| call_err(format!("failed to decode base64 data {}", go_quote(&s))))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .or_else(|_| call_err("the result of decoding the provided string is not valid UTF-8"))
}

/// The character encodings stackgate can convert, by IANA name or alias.
#[derive(Clone, Copy)]
enum Charset {
    Utf8,
    Utf16Bom,
    Utf16Le,
    Utf16Be,
    Latin1,
}

impl Charset {
    fn by_name(name: &str) -> Option<Charset> {
        Some(match name.to_ascii_lowercase().as_str() {
            "utf-8" | "csutf8" => Charset::Utf8,
            "utf-16" | "csutf16" => Charset::Utf16Bom,
            "utf-16le" | "csutf16le" => Charset::Utf16Le,
            "utf-16be" | "csutf16be" => Charset::Utf16Be,
            "iso-8859-1" | "iso_8859-1:1987" | "iso-ir-100" | "iso_8859-1" | "latin1" | "l1"
            | "ibm819" | "cp819" | "csisolatin1" => Charset::Latin1,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Utf16Bom => "UTF-16",
            Charset::Utf16Le => "UTF-16LE",
            Charset::Utf16Be => "UTF-16BE",
            Charset::Latin1 => "ISO-8859-1",
        }
    }
}

/// Other IANA encodings are real in Terraform but not implemented here.
fn charset(a: &Args) -> Result<Charset, Stop> {
    Charset::by_name(&a.str(1)?).ok_or(Stop::Unsupported)
}

pub(super) fn textencodebase64(a: &Args) -> R {
    let s = a.str(0)?;
    let cs = charset(a)?;
    let bytes = match cs {
        Charset::Utf8 => s.into_bytes(),
        Charset::Utf16Le => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        Charset::Utf16Be => s.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        Charset::Utf16Bom => [0xFE, 0xFF]
            .into_iter()
            .chain(s.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        Charset::Latin1 => {
            let mut out = Vec::with_capacity(s.len());
            for c in s.chars() {
                match u8::try_from(u32::from(c)) {
                    Ok(b) => out.push(b),
                    Err(_) => {
                        return arg_err(
                            0,
                            format!(
                                "the given string contains characters that cannot be represented in {}",
                                cs.name()
                            ),
                        );
                    }
                }
            }
            out
        }
    };
    Ok(Value::String(b64_encode(&bytes)))
}

pub(super) fn textdecodebase64(a: &Args) -> R {
    let s = a.str(0)?;
    let cs = charset(a)?;
    let bytes = b64_decode(&s).or_else(|at| {
        arg_err(
            0,
            format!("the given value has an invalid base64 symbol at offset {at}"),
        )
    })?;
    let bad = || {
        Stop::Arg(
            0,
            format!(
                "the given string contains symbols that are not defined for {}",
                cs.name()
            ),
        )
    };
    let utf16 = |b: &[u8], le: bool| -> Result<String, Stop> {
        if b.len() % 2 != 0 {
            return Err(bad());
        }
        let units = b.chunks(2).map(|p| {
            let pair = [
                p.first().copied().unwrap_or(0),
                p.get(1).copied().unwrap_or(0),
            ];
            if le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| bad())
    };
    let text = match cs {
        Charset::Utf8 => String::from_utf8(bytes).map_err(|_| bad())?,
        Charset::Utf16Le => utf16(&bytes, true)?,
        Charset::Utf16Be => utf16(&bytes, false)?,
        Charset::Utf16Bom => match bytes.get(..2) {
            Some([0xFF, 0xFE]) => utf16(bytes.get(2..).unwrap_or(&[]), true)?,
            Some([0xFE, 0xFF]) => utf16(bytes.get(2..).unwrap_or(&[]), false)?,
            _ => utf16(&bytes, false)?,
        },
        Charset::Latin1 => bytes.iter().map(|b| char::from(*b)).collect(),
    };
    // The decoder Terraform uses marks undecodable input with U+FFFD and then refuses it.
    if text.contains('\u{FFFD}') {
        return Err(bad());
    }
    Ok(Value::String(text))
}

/// Go's `url.QueryEscape`.
pub(super) fn urlencode(a: &Args) -> R {
    let s = a.str(0)?;
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(Value::String(out))
}

pub(super) fn jsonencode(a: &Args) -> R {
    let v = a.get(0);
    known(v)?;
    json::encode(v).map(Value::String).map_err(Stop::Call)
}

pub(super) fn jsondecode(a: &Args) -> R {
    json::decode(&a.str(0)?).map_err(Stop::Call)
}

/// `csvdecode`: a header line, then one object per record; Go's `encoding/csv` rules.
pub(super) fn csvdecode(a: &Args) -> R {
    let s = a.str(0)?;
    let mut r = Csv {
        s: s.as_bytes(),
        p: 0,
        line: 1,
    };
    let headers = match r.record() {
        None => return call_err("missing header line"),
        Some(Err(e)) => return call_err(e),
        Some(Ok((_, h))) => h,
    };
    let mut seen = std::collections::BTreeSet::new();
    for h in &headers {
        if !seen.insert(h.as_str()) {
            return call_err(format!("duplicate column name {}", go_quote(h)));
        }
    }
    let mut rows = Vec::new();
    while let Some(rec) = r.record() {
        let (line, cols) = rec.map_err(Stop::Call)?;
        if cols.len() != headers.len() {
            return call_err(format!(
                "CSV parse error on line {line}: wrong number of fields"
            ));
        }
        let row: BTreeMap<String, Value> = headers
            .iter()
            .cloned()
            .zip(cols.into_iter().map(Value::String))
            .collect();
        rows.push(Value::Map(row));
    }
    Ok(Value::List(rows))
}

struct Csv<'a> {
    s: &'a [u8],
    p: usize,
    line: usize,
}

impl Csv<'_> {
    /// The next record and the line it starts on; empty lines are skipped.
    fn record(&mut self) -> Option<Result<(usize, Vec<String>), String>> {
        while self.s.get(self.p) == Some(&b'\n') || self.s.get(self.p..self.p + 2) == Some(b"\r\n")
        {
            self.p += if self.s.get(self.p) == Some(&b'\n') {
                1
            } else {
                2
            };
            self.line += 1;
        }
        if self.p >= self.s.len() {
            return None;
        }
        let start = self.line;
        let mut fields = Vec::new();
        loop {
            let mut field = Vec::new();
            if self.s.get(self.p) == Some(&b'"') {
                self.p += 1;
                loop {
                    match self.s.get(self.p) {
                        None => {
                            let e = format!(
                                "CSV parse error on line {}: extraneous or missing \" in quoted-field",
                                self.line
                            );
                            return Some(Err(e));
                        }
                        Some(b'"') if self.s.get(self.p + 1) == Some(&b'"') => {
                            field.push(b'"');
                            self.p += 2;
                        }
                        Some(b'"') => {
                            self.p += 1;
                            match self.s.get(self.p) {
                                None | Some(b',' | b'\n') => break,
                                Some(b'\r')
                                    if matches!(self.s.get(self.p + 1), None | Some(b'\n')) =>
                                {
                                    break;
                                }
                                Some(_) => {
                                    let e = format!(
                                        "CSV parse error on line {}: extraneous or missing \" in quoted-field",
                                        self.line
                                    );
                                    return Some(Err(e));
                                }
                            }
                        }
                        Some(b'\r') if self.s.get(self.p + 1) == Some(&b'\n') => {
                            field.push(b'\n');
                            self.p += 2;
                            self.line += 1;
                        }
                        Some(&c) => {
                            if c == b'\n' {
                                self.line += 1;
                            }
                            field.push(c);
                            self.p += 1;
                        }
                    }
                }
            } else {
                while let Some(&c) = self.s.get(self.p) {
                    if c == b','
                        || c == b'\n'
                        || (c == b'\r' && matches!(self.s.get(self.p + 1), None | Some(b'\n')))
                    {
                        break;
                    }
                    if c == b'"' {
                        let e = format!(
                            "CSV parse error on line {}: bare \" in non-quoted-field",
                            self.line
                        );
                        return Some(Err(e));
                    }
                    field.push(c);
                    self.p += 1;
                }
            }
            fields.push(String::from_utf8_lossy(&field).into_owned());
            match self.s.get(self.p) {
                Some(b',') => self.p += 1,
                Some(b'\r') => {
                    self.p += if self.s.get(self.p + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    self.line += 1;
                    break;
                }
                Some(b'\n') => {
                    self.p += 1;
                    self.line += 1;
                    break;
                }
                _ => break,
            }
        }
        Some(Ok((start, fields)))
    }
}
