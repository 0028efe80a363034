//! The path of a `check.path` rule over an entity, written as users write them in Backstage
//! tooling: `spec.owner`, `metadata.annotations['backstage.io/techdocs-ref']`, `spec.ports[0]`,
//! `metadata.links[?title=='Runbook'].url`, `metadata.tags[?@=='pci']`, `metadata.links[*]`.
//! A malformed path is an error with a column, for a load finding; nothing here panics.

use super::value::{kind, loose_eq};
use serde_json::Value as Json;
use std::fmt;

/// Filters nested in filters deeper than this are refused: no real path needs it, and it bounds
/// the parser's recursion on hostile input.
const MAX_NESTING: usize = 4;

/// A parsed path; keeps its text for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    text: String,
    steps: Vec<Step>,
}

/// One step, with the byte offset in the path's text where it ends, so messages can quote the
/// path up to any step exactly as the user wrote it.
#[derive(Debug, Clone, PartialEq)]
struct Step {
    kind: StepKind,
    end: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum StepKind {
    /// `name` or `['name']`.
    Key(String),
    /// `[N]`; negative counts from the end.
    Index(i64),
    /// `[*]`: every item of a list.
    Every,
    /// `[?field=='value']`: the items of a list that pass.
    Filter(Filter),
}

#[derive(Debug, Clone, PartialEq)]
struct Filter {
    /// Relative to the item; empty for `@`, the item itself.
    field: Vec<Step>,
    /// As written (`title`, `@`), for messages.
    field_text: String,
    test: Test,
}

#[derive(Debug, Clone, PartialEq)]
enum Test {
    /// `[?field]`: present, not null and not false.
    Present,
    Eq(Json),
    Ne(Json),
}

/// A path that does not parse, with the 1-based column where it went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (column {column})")]
pub struct PathError {
    pub column: usize,
    pub message: String,
}

/// The document a path starts from: for scorecards, an entity as `{apiVersion, kind, metadata,
/// spec}` (built without copying the entity).
pub trait Root {
    fn field(&self, key: &str) -> Option<&Json>;
}

impl Root for Json {
    fn field(&self, key: &str) -> Option<&Json> {
        self.get(key)
    }
}

/// What a path reaches.
#[derive(Debug, PartialEq)]
pub enum Reached<'a> {
    /// A path without `[?…]` or `[*]` reaches one value.
    One(&'a Json),
    /// A path with a filter or `[*]` reaches the values it matched (never none).
    Many(Vec<&'a Json>),
    /// Nothing: at `step`, a key or item is missing, a filter matched nothing, or the value is
    /// of the wrong type for the step (`wrong`, the type found).
    Missing {
        step: usize,
        wrong: Option<&'static str>,
    },
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Path {
    pub fn parse(text: &str) -> Result<Path, PathError> {
        let mut p = Parser { text, pos: 0 };
        if text.trim().is_empty() {
            return Err(p.error("the path is empty"));
        }
        let steps = p.steps(0)?;
        if p.pos < text.len() {
            return Err(p.unexpected("`.field`, `['key']`, `[0]`, `[*]` or `[?filter]`"));
        }
        Ok(Path {
            text: text.to_string(),
            steps,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The first field, when the path starts with one (`spec` in `spec.owner`).
    pub fn first_key(&self) -> Option<&str> {
        match self.steps.first().map(|s| &s.kind) {
            Some(StepKind::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// Whether the path can reach several values (it has a filter or `[*]`).
    pub fn is_many(&self) -> bool {
        self.steps
            .iter()
            .any(|s| matches!(s.kind, StepKind::Filter(_) | StepKind::Every))
    }

    pub fn select<'a>(&self, root: &'a dyn Root) -> Reached<'a> {
        let Some(first) = self.steps.first() else {
            return Reached::Missing {
                step: 0,
                wrong: None,
            };
        };
        let start = match &first.kind {
            StepKind::Key(k) => root.field(k).filter(|v| !v.is_null()),
            _ => {
                return Reached::Missing {
                    step: 0,
                    wrong: Some("a mapping"),
                };
            }
        };
        let Some(start) = start else {
            return Reached::Missing {
                step: 0,
                wrong: None,
            };
        };
        if !self.is_many() {
            return self.select_one(start);
        }
        let mut current = vec![start];
        for (i, step) in self.steps.iter().enumerate().skip(1) {
            let mut wrong = None;
            let mut next = Vec::new();
            for v in current {
                if let Err(w) = apply(&step.kind, v, &mut next) {
                    wrong.get_or_insert(w);
                }
            }
            if next.is_empty() {
                return Reached::Missing { step: i, wrong };
            }
            current = next;
        }
        match current.as_slice() {
            [one] if !self.is_many() => Reached::One(one),
            _ => Reached::Many(current),
        }
    }

    /// Keys and indexes only reach one value at a time: walked without allocating, since every
    /// entity runs every rule.
    fn select_one<'a>(&self, start: &'a Json) -> Reached<'a> {
        let mut v = start;
        for (i, step) in self.steps.iter().enumerate().skip(1) {
            let next = match (&step.kind, v) {
                (StepKind::Key(k), Json::Object(m)) => m.get(k),
                (StepKind::Index(n), Json::Array(a)) => index(a, *n),
                _ => {
                    return Reached::Missing {
                        step: i,
                        wrong: Some(kind(v)),
                    };
                }
            };
            match next.filter(|x| !x.is_null()) {
                Some(x) => v = x,
                None => {
                    return Reached::Missing {
                        step: i,
                        wrong: None,
                    };
                }
            }
        }
        Reached::One(v)
    }

    /// The path as written up to and including step `i`.
    fn prefix(&self, i: usize) -> &str {
        let end = self.steps.get(i).map_or(self.text.len(), |s| s.end);
        self.text.get(..end).unwrap_or(&self.text)
    }

    /// Why nothing was reached, in words: `spec.owner is missing`, `metadata.links has no entry
    /// with title 'Runbook'`, `spec.ports is a mapping, not a list`.
    pub fn describe_missing(&self, step: usize, wrong: Option<&str>) -> String {
        let before = if step == 0 {
            "the entity"
        } else {
            self.prefix(step - 1)
        };
        let Some(s) = self.steps.get(step) else {
            return format!("{self} is missing");
        };
        if let Some(found) = wrong {
            let expected = match s.kind {
                StepKind::Key(_) => "a mapping",
                _ => "a list",
            };
            return format!("{before} is {found}, not {expected}");
        }
        match &s.kind {
            StepKind::Key(_) => format!("{} is missing", self.prefix(step)),
            StepKind::Index(i) => format!("{before} has no item [{i}]"),
            StepKind::Every => format!("{before} is empty"),
            StepKind::Filter(f) => format!("{before} has no entry {}", f.phrase()),
        }
    }

    /// What several reached values are, in words: `metadata.links has 2 entries with title
    /// 'Runbook'` when the path ends with a filter, else the path and the values.
    pub fn describe_many(&self, values: &[&Json]) -> String {
        let n = values.len();
        let entries = if n == 1 { "entry" } else { "entries" };
        match self.steps.last().map(|s| &s.kind) {
            Some(StepKind::Filter(f)) if self.steps.len() > 1 => format!(
                "{} has {n} {entries} {}",
                self.prefix(self.steps.len() - 2),
                f.phrase()
            ),
            Some(StepKind::Every) if self.steps.len() > 1 => {
                format!("{} has {n} {entries}", self.prefix(self.steps.len() - 2))
            }
            _ => format!(
                "{self} is {}",
                super::value::show_list(values.iter().copied())
            ),
        }
    }
}

/// One step from one value; `Err` with the type found when the step does not fit it.
fn apply<'a>(step: &StepKind, v: &'a Json, out: &mut Vec<&'a Json>) -> Result<(), &'static str> {
    match (step, v) {
        (StepKind::Key(k), Json::Object(m)) => out.extend(m.get(k).filter(|x| !x.is_null())),
        (StepKind::Index(i), Json::Array(a)) => {
            out.extend(index(a, *i).filter(|x| !x.is_null()));
        }
        (StepKind::Every, Json::Array(a)) => out.extend(a.iter().filter(|x| !x.is_null())),
        (StepKind::Filter(f), Json::Array(a)) => out.extend(a.iter().filter(|x| f.passes(x))),
        _ => return Err(kind(v)),
    }
    Ok(())
}

/// Item `i` of a list; negative counts from the end.
fn index(a: &[Json], i: i64) -> Option<&Json> {
    let at = if i < 0 {
        usize::try_from(i.unsigned_abs())
            .ok()
            .and_then(|back| a.len().checked_sub(back))
    } else {
        usize::try_from(i).ok()
    };
    at.and_then(|at| a.get(at))
}

impl Filter {
    fn passes(&self, item: &Json) -> bool {
        let mut values = vec![item];
        for step in &self.field {
            let mut next = Vec::new();
            for v in values {
                // A step that does not fit an item just leaves it out of the match.
                let _ = apply(&step.kind, v, &mut next);
            }
            values = next;
        }
        match &self.test {
            Test::Present => values.iter().any(|v| !matches!(v, Json::Bool(false))),
            Test::Eq(x) => values.iter().any(|v| loose_eq(v, x)),
            Test::Ne(x) => !values.iter().any(|v| loose_eq(v, x)),
        }
    }

    /// `with title 'Runbook'`, `with type other than 'legacy'`, `'pci'`.
    fn phrase(&self) -> String {
        let show = super::value::show;
        match (&self.test, self.field.is_empty()) {
            (Test::Present, true) => "that is set".to_string(),
            (Test::Present, false) => format!("with {}", self.field_text),
            (Test::Eq(x), true) => show(x),
            (Test::Eq(x), false) => format!("with {} {}", self.field_text, show(x)),
            (Test::Ne(x), true) => format!("other than {}", show(x)),
            (Test::Ne(x), false) => format!("with {} other than {}", self.field_text, show(x)),
        }
    }
}

struct Parser<'t> {
    text: &'t str,
    /// Byte offset, always on a character boundary.
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.text.get(self.pos..)?.chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, s: &str) -> bool {
        let here = self.text.get(self.pos..).is_some_and(|t| t.starts_with(s));
        if here {
            self.pos += s.len();
        }
        here
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn error(&self, message: impl Into<String>) -> PathError {
        self.error_at(self.pos, message)
    }

    fn error_at(&self, pos: usize, message: impl Into<String>) -> PathError {
        PathError {
            column: self.text.get(..pos).map_or(1, |t| t.chars().count() + 1),
            message: message.into(),
        }
    }

    fn unexpected(&self, expected: &str) -> PathError {
        match self.peek() {
            Some(c) => self.error(format!("unexpected `{c}`; expected {expected}")),
            None => self.error(format!("the path ends too early; expected {expected}")),
        }
    }

    /// Steps until something that cannot continue a path (the end, a space, `=`, `]`...).
    fn steps(&mut self, depth: usize) -> Result<Vec<Step>, PathError> {
        let mut steps = Vec::new();
        if self.peek() == Some('[') {
            steps.push(self.bracket(depth)?);
        } else {
            steps.push(self.key()?);
        }
        self.more_steps(depth, &mut steps)?;
        Ok(steps)
    }

    fn more_steps(&mut self, depth: usize, steps: &mut Vec<Step>) -> Result<(), PathError> {
        loop {
            match self.peek() {
                Some('.') => {
                    self.bump();
                    steps.push(self.key()?);
                }
                Some('[') => steps.push(self.bracket(depth)?),
                _ => return Ok(()),
            }
        }
    }

    fn key(&mut self) -> Result<Step, PathError> {
        let start = self.pos;
        while self.peek().is_some_and(is_name_char) {
            self.bump();
        }
        if self.pos == start {
            return Err(self.unexpected("a field name"));
        }
        Ok(Step {
            kind: StepKind::Key(self.text.get(start..self.pos).unwrap_or("").to_string()),
            end: self.pos,
        })
    }

    fn bracket(&mut self, depth: usize) -> Result<Step, PathError> {
        let open = self.pos;
        self.bump();
        self.skip_spaces();
        let kind = match self.peek() {
            Some('\'' | '"') => StepKind::Key(self.quoted()?),
            Some('*') => {
                self.bump();
                StepKind::Every
            }
            Some('?') => {
                self.bump();
                if depth >= MAX_NESTING {
                    return Err(self.error("filters are nested too deep"));
                }
                StepKind::Filter(self.filter(depth + 1)?)
            }
            Some(c) if c == '-' || c.is_ascii_digit() => StepKind::Index(self.index()?),
            _ => {
                return Err(self.unexpected("a quoted key, an index, `*` or `?` after `[`"));
            }
        };
        self.skip_spaces();
        if !self.eat("]") {
            return Err(match self.peek() {
                None => self.error_at(open, "`[` is never closed"),
                Some(_) => self.unexpected("`]`"),
            });
        }
        Ok(Step {
            kind,
            end: self.pos,
        })
    }

    fn quoted(&mut self) -> Result<String, PathError> {
        let open = self.pos;
        let Some(quote) = self.bump() else {
            return Err(self.unexpected("a quote"));
        };
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error_at(open, "the quoted text is never closed")),
                Some('\\') => match self.bump() {
                    Some(c) => out.push(c),
                    None => return Err(self.error_at(open, "the quoted text is never closed")),
                },
                Some(c) if c == quote => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    fn index(&mut self) -> Result<i64, PathError> {
        let start = self.pos;
        self.eat("-");
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
        let digits = self.text.get(start..self.pos).unwrap_or("");
        digits
            .parse::<i64>()
            .map_err(|_| self.error_at(start, format!("`{digits}` is not an index")))
    }

    fn filter(&mut self, depth: usize) -> Result<Filter, PathError> {
        self.skip_spaces();
        let start = self.pos;
        let field = if self.eat("@") {
            let mut steps = Vec::new();
            self.more_steps(depth, &mut steps)?;
            steps
        } else {
            self.steps(depth)?
        };
        let field_text = self.text.get(start..self.pos).unwrap_or("").to_string();
        self.skip_spaces();
        let test = if self.eat("==") {
            Test::Eq(self.literal()?)
        } else if self.eat("!=") {
            Test::Ne(self.literal()?)
        } else if self.peek() == Some(']') {
            Test::Present
        } else {
            return Err(self.unexpected("`==`, `!=` or `]` in a filter"));
        };
        Ok(Filter {
            field,
            field_text,
            test,
        })
    }

    /// The value of a filter: quoted text, a number, true, false or null.
    fn literal(&mut self) -> Result<Json, PathError> {
        self.skip_spaces();
        if matches!(self.peek(), Some('\'' | '"')) {
            return self.quoted().map(Json::String);
        }
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| !c.is_whitespace() && c != ']' && c != '[')
        {
            self.bump();
        }
        let word = self.text.get(start..self.pos).unwrap_or("");
        match word {
            "true" => Ok(Json::Bool(true)),
            "false" => Ok(Json::Bool(false)),
            "null" => Ok(Json::Null),
            _ => word
                .parse::<f64>()
                .ok()
                .and_then(super::facts::number)
                .ok_or_else(|| {
                    self.error_at(
                        start,
                        "a filter compares with quoted text ('...'), a number, true, false or null",
                    )
                }),
        }
    }
}

/// Characters of a bare field name; anything else needs `['...']`.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '$' | ':')
}

#[cfg(test)]
#[path = "path_tests.rs"]
mod tests;
