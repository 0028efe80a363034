//! `yamlencode` as Terraform's YAML library writes: block style, double-quoted strings,
//! literal blocks for multi-line text, and libyaml's line folding at 80 columns.

use super::args::{Args, R, known};
use super::json::number_text;
use crate::terraform::value::Value;

pub(super) fn yamlencode(a: &Args) -> R {
    let v = a.get(0);
    known(v)?;
    let mut e = Emitter::default();
    e.document(v);
    Ok(Value::String(e.out))
}

#[derive(PartialEq, Clone, Copy)]
enum Style {
    Plain,
    Double,
    Literal,
}

/// A port of the parts of libyaml's emitter that `yamlencode` exercises.
struct Emitter {
    out: String,
    column: usize,
    indent: i64,
    indents: Vec<i64>,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
}

impl Default for Emitter {
    fn default() -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
            open_ended: false,
        }
    }
}

const BEST_INDENT: i64 = 2;
const BEST_WIDTH: usize = 80;

#[derive(Clone, Copy, Default)]
struct Ctx {
    root: bool,
    mapping: bool,
    simple_key: bool,
}

impl Emitter {
    fn document(&mut self, v: &Value) {
        self.node(
            v,
            Ctx {
                root: true,
                ..Ctx::default()
            },
        );
        self.write_indent();
        if self.open_ended {
            self.indicator("...", true, false, false);
            self.write_indent();
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn restore_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn indicator(&mut self, s: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        for c in s.chars() {
            self.put(c);
        }
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
        self.open_ended = false;
    }

    fn node(&mut self, v: &Value, ctx: Ctx) {
        match v {
            Value::Null | Value::Unknown(_) => self.scalar("null", Style::Plain, ctx),
            Value::Bool(b) => self.scalar(if *b { "true" } else { "false" }, Style::Plain, ctx),
            Value::Number(n) => {
                let text = if n.is_finite() {
                    number_text(*n)
                } else if *n > 0.0 {
                    "+Inf".into()
                } else {
                    "-Inf".into()
                };
                self.scalar(&text, Style::Plain, ctx);
            }
            Value::String(s) => self.scalar(
                s,
                if s.contains('\n') {
                    Style::Literal
                } else {
                    Style::Double
                },
                ctx,
            ),
            Value::List(items) | Value::Set(items) if items.is_empty() => self.flow_empty("[", "]"),
            Value::Map(m) if m.is_empty() => self.flow_empty("{", "}"),
            Value::List(items) | Value::Set(items) => {
                self.increase_indent(false, ctx.mapping && !self.indention);
                for item in items {
                    self.write_indent();
                    self.indicator("-", true, false, true);
                    self.node(item, Ctx::default());
                }
                self.restore_indent();
            }
            Value::Map(m) => {
                self.increase_indent(false, false);
                for (k, item) in m {
                    self.write_indent();
                    let key_ctx = Ctx {
                        mapping: true,
                        ..Ctx::default()
                    };
                    if k.len() <= 128 && !k.chars().any(is_break) {
                        self.scalar(
                            k,
                            Style::Double,
                            Ctx {
                                simple_key: true,
                                ..key_ctx
                            },
                        );
                        self.indicator(":", false, false, false);
                    } else {
                        self.indicator("?", true, false, true);
                        let style = if k.contains('\n') {
                            Style::Literal
                        } else {
                            Style::Double
                        };
                        self.scalar(k, style, key_ctx);
                        self.write_indent();
                        self.indicator(":", true, false, true);
                    }
                    self.node(item, key_ctx);
                }
                self.restore_indent();
            }
        }
    }

    fn flow_empty(&mut self, open: &str, close: &str) {
        self.indicator(open, true, true, false);
        self.indicator(close, false, false, false);
    }

    fn scalar(&mut self, s: &str, wanted: Style, ctx: Ctx) {
        let a = analyze(s);
        let mut style = wanted;
        if ctx.simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || ctx.simple_key) {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        match style {
            Style::Plain => {
                if !self.whitespace {
                    self.put(' ');
                }
                for c in s.chars() {
                    self.put(c);
                }
                self.whitespace = false;
                self.indention = false;
                if ctx.root {
                    self.open_ended = true;
                }
            }
            Style::Double => self.double_quoted(s, !ctx.simple_key),
            Style::Literal => self.literal(s),
        }
        self.restore_indent();
    }

    fn double_quoted(&mut self, s: &str, allow_breaks: bool) {
        self.indicator("\"", true, false, false);
        let mut spaces = false;
        let mut iter = s.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            if !printable(c) || c == '\u{FEFF}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    c => {
                        let n = c as u32;
                        let (letter, width) = if n <= 0xFF {
                            ('x', 2)
                        } else if n <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        for d in format!("{n:0width$X}").chars() {
                            self.put(d);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i != 0 && i != s.len() - 1
                {
                    self.write_indent();
                    if iter.peek().is_some_and(|(_, n)| *n == ' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(' ');
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn literal(&mut self, s: &str) {
        self.indicator("|", true, false, false);
        let mut chars = s.chars();
        if chars.next().is_some_and(|c| c == ' ' || is_break(c)) {
            self.indicator("2", false, false, false);
        }
        let mut rev = s.chars().rev();
        let chomp = match (rev.next(), rev.next()) {
            (None, _) => Some("-"),
            (Some(last), _) if !is_break(last) => Some("-"),
            (Some(_), None) => Some("+"),
            (Some(_), Some(prev)) if is_break(prev) => Some("+"),
            _ => None,
        };
        if let Some(h) = chomp {
            self.indicator(h, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in s.chars() {
            if is_break(c) {
                if c == '\n' {
                    self.put_break();
                } else {
                    self.out.push(c);
                    self.column = 0;
                }
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

struct Analysis {
    multiline: bool,
    block_allowed: bool,
}

fn analyze(s: &str) -> Analysis {
    let chars: Vec<char> = s.chars().collect();
    let mut a = Analysis {
        multiline: false,
        block_allowed: !s.is_empty(),
    };
    let mut prev_space = false;
    for (i, &c) in chars.iter().enumerate() {
        let last = i + 1 == chars.len();
        if !printable(c) {
            a.block_allowed = false;
        }
        if c == ' ' {
            if last {
                a.block_allowed = false;
            }
            prev_space = true;
        } else if is_break(c) {
            a.multiline = true;
            if prev_space {
                a.block_allowed = false;
            }
            prev_space = false;
        } else {
            prev_space = false;
        }
    }
    a
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's printable set as go-yaml encodes it: characters outside the Basic Multilingual
/// Plane count as unprintable and are escaped.
fn printable(c: char) -> bool {
    matches!(c as u32, 0x0A | 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFFFD) && c != '\u{FEFF}'
}
