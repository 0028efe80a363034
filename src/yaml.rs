//! YAML with positions. `serde_yaml` gives the values (anchors, merge keys, tags resolved the
//! way every YAML user expects); a second, event-level pass with `saphyr-parser` records where
//! each key and item sits, so a finding about `use_cases[0].sections[1].vars[2].type` can point
//! at its exact line.

use saphyr_parser::{Event, Parser, Span};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;

pub use serde_yaml::Value;

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

impl From<&str> for Seg {
    fn from(s: &str) -> Self {
        Seg::Key(s.to_string())
    }
}

impl From<usize> for Seg {
    fn from(i: usize) -> Self {
        Seg::Index(i)
    }
}

/// Renders a path the way users write it: `use_cases[0].sections[1].name`.
pub fn path_to_string(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };
}

/// A YAML syntax or structure error, with where it happened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

/// One document of a stream: its value and where its parts are.
#[derive(Debug, Clone)]
pub struct Doc {
    pub value: Value,
    pub start: Pos,
    index: PosIndex,
}

impl Doc {
    /// Where the node at `path` is; for a mapping entry, where its key is. A path that goes
    /// further than the source (a missing key, a value that came from an alias) yields the
    /// position of the deepest node that exists.
    pub fn pos(&self, path: &[Seg]) -> Pos {
        self.index.locate(path).unwrap_or(self.start)
    }

    pub fn line(&self, path: &[Seg]) -> usize {
        self.pos(path).line
    }

    /// Typed view of the document.
    pub fn deserialize<T: for<'de> Deserialize<'de>>(&self) -> Result<T, serde_yaml::Error> {
        serde_yaml::from_value(self.value.clone())
    }
}

/// Parses every document of a YAML stream. Documents before a syntax error are kept; the error
/// is returned beside them.
pub fn parse_stream(text: &str) -> (Vec<Doc>, Option<YamlError>) {
    let mut values = Vec::new();
    let mut error = None;
    for de in serde_yaml::Deserializer::from_str(text) {
        match Value::deserialize(de) {
            Ok(mut v) => {
                // `<<` merge keys are YAML 1.1 but real forms rely on them.
                if let Err(e) = v.apply_merge() {
                    error = Some(yaml_error(&e, text));
                    break;
                }
                values.push(v);
            }
            Err(e) => {
                error = Some(yaml_error(&e, text));
                break;
            }
        }
    }
    let (indexes, event_error) = index_stream(text);
    // serde_yaml places a duplicate key at its mapping; the event pass knows the key's line.
    if let (Some(e), Some(ev)) = (&mut error, &event_error) {
        if e.message.contains("duplicate entry") && ev.message.starts_with("duplicate entry") {
            e.pos = ev.pos;
        }
    }
    // serde_yaml is the authority on validity; when only the event pass objects, positions
    // degrade to the document start but the values stand.
    let mut indexes = indexes.into_iter();
    let docs = values
        .into_iter()
        .map(|value| {
            let index = indexes.next().unwrap_or_default();
            let start = index
                .nodes
                .get(index.root.unwrap_or(usize::MAX))
                .map_or(Pos::START, |n| n.pos);
            Doc {
                value,
                start,
                index,
            }
        })
        .collect();
    (docs, error)
}

/// Parses a file that holds one document. An empty file is `Value::Null`.
pub fn parse_one(text: &str) -> Result<Doc, YamlError> {
    let (mut docs, error) = parse_stream(text);
    if let Some(e) = error {
        return Err(e);
    }
    if docs.is_empty() {
        return Ok(Doc {
            value: Value::Null,
            start: Pos::START,
            index: PosIndex::default(),
        });
    }
    if docs.len() > 1 {
        let second = docs[1].start;
        return Err(YamlError {
            pos: second,
            message: "expected a single YAML document, found several".into(),
        });
    }
    Ok(docs.remove(0))
}

fn yaml_error(e: &serde_yaml::Error, text: &str) -> YamlError {
    let pos = e
        .location()
        .map(|l| Pos {
            line: l.line().max(1),
            column: l.column().max(1),
        })
        .unwrap_or_else(|| Pos {
            line: text.lines().count().max(1),
            column: 1,
        });
    // serde_yaml appends " at line L column C"; the position is reported separately.
    let mut message = e.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    YamlError { pos, message }
}

#[derive(Debug, Clone, Default)]
struct PosIndex {
    nodes: Vec<Node>,
    root: Option<usize>,
}

#[derive(Debug, Clone)]
struct Node {
    pos: Pos,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Scalar,
    Alias(Option<usize>),
    Seq(Vec<usize>),
    /// Entries: key text, key position, value node.
    Map(Vec<(String, Pos, usize)>),
}

impl PosIndex {
    fn locate(&self, path: &[Seg]) -> Option<Pos> {
        let mut node = self.root?;
        let mut pos = self.nodes[node].pos;
        // Bounded, so an alias that refers to itself cannot loop.
        let mut hops = 0;
        let mut segs = path.iter().peekable();
        while let Some(seg) = segs.peek() {
            hops += 1;
            if hops > path.len() + 64 {
                break;
            }
            match (&self.nodes[node].kind, seg) {
                (Kind::Alias(Some(target)), _) => {
                    node = *target;
                    continue;
                }
                (Kind::Map(entries), Seg::Key(k)) => match self.find_key(entries, k, 0) {
                    Some((kpos, v)) => {
                        pos = kpos;
                        node = v;
                    }
                    None => return Some(pos),
                },
                (Kind::Seq(items), Seg::Index(i)) => match items.get(*i) {
                    Some(&v) => {
                        pos = self.nodes[v].pos;
                        node = v;
                    }
                    None => return Some(pos),
                },
                _ => return Some(pos),
            }
            segs.next();
        }
        Some(pos)
    }

    fn find_key(
        &self,
        entries: &[(String, Pos, usize)],
        key: &str,
        depth: usize,
    ) -> Option<(Pos, usize)> {
        if let Some((_, p, v)) = entries.iter().rev().find(|(k, _, _)| k == key) {
            return Some((*p, *v));
        }
        if depth > 8 {
            return None;
        }
        // Keys that arrive through a `<<` merge.
        for (k, _, v) in entries {
            if k != "<<" {
                continue;
            }
            let mut sources = vec![*v];
            if let Kind::Seq(items) = &self.nodes[*v].kind {
                sources = items.clone();
            }
            for src in sources {
                let mut n = src;
                if let Kind::Alias(Some(t)) = self.nodes[n].kind {
                    n = t;
                }
                if let Kind::Map(inner) = &self.nodes[n].kind {
                    if let Some(found) = self.find_key(inner, key, depth + 1) {
                        return Some(found);
                    }
                }
            }
        }
        None
    }
}

fn pos_of(span: &Span) -> Pos {
    Pos {
        line: span.start.line().max(1),
        column: span.start.col() + 1,
    }
}

enum Frame {
    Seq(usize),
    /// The map node, a pending key (text, position) waiting for its value, and the keys seen.
    Map(
        usize,
        Option<(String, Pos)>,
        std::collections::HashSet<String>,
    ),
    /// A complex key (a mapping or sequence used as a key); its value is skipped.
    ComplexKey,
}

/// Position indexes of every document, and the first syntax error or duplicate key.
fn index_stream(text: &str) -> (Vec<PosIndex>, Option<YamlError>) {
    let mut duplicate: Option<YamlError> = None;
    let mut out = Vec::new();
    let mut cur = PosIndex::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, usize> = HashMap::new();
    for item in Parser::new_from_str(text) {
        let (event, span) = match item {
            Ok(x) => x,
            Err(e) => {
                let m = e.marker();
                let err = YamlError {
                    pos: Pos {
                        line: m.line().max(1),
                        column: m.col() + 1,
                    },
                    message: e.info().to_string(),
                };
                return (out, Some(err));
            }
        };
        if let Some(d) = duplicate.take() {
            return (out, Some(d));
        }
        let pos = pos_of(&span);
        let new_node = |cur: &mut PosIndex, kind: Kind| {
            cur.nodes.push(Node { pos, kind });
            cur.nodes.len() - 1
        };
        let (id, opens) = match event {
            Event::DocumentStart(_) => {
                cur = PosIndex::default();
                stack.clear();
                anchors.clear();
                continue;
            }
            Event::DocumentEnd => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            Event::Scalar(value, _, anchor, _) => {
                // A scalar in key position is a key, not a node.
                if let Some(Frame::Map(_, pending @ None, _)) = stack.last_mut() {
                    *pending = Some((value.into_owned(), pos));
                    continue;
                }
                let id = new_node(&mut cur, Kind::Scalar);
                if anchor > 0 {
                    anchors.insert(anchor, id);
                }
                (id, false)
            }
            Event::Alias(anchor) => {
                if let Some(Frame::Map(_, pending @ None, _)) = stack.last_mut() {
                    *pending = Some((String::from("*alias"), pos));
                    continue;
                }
                let target = anchors.get(&anchor).copied();
                (new_node(&mut cur, Kind::Alias(target)), false)
            }
            Event::SequenceStart(anchor, _) => {
                let id = new_node(&mut cur, Kind::Seq(Vec::new()));
                if anchor > 0 {
                    anchors.insert(anchor, id);
                }
                (id, true)
            }
            Event::MappingStart(anchor, _) => {
                let id = new_node(&mut cur, Kind::Map(Vec::new()));
                if anchor > 0 {
                    anchors.insert(anchor, id);
                }
                (id, true)
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let closed = stack.pop();
                if let Some(Frame::ComplexKey) = closed {
                    // The complex key is done; its value follows and is recorded under a
                    // placeholder key so the structure stays aligned.
                    if let Some(Frame::Map(_, pending, _)) = stack.last_mut() {
                        *pending = Some((String::from("?complex"), pos));
                    }
                }
                continue;
            }
            _ => continue,
        };
        // Attach the new node to its parent.
        match stack.last_mut() {
            None => cur.root = Some(id),
            Some(Frame::Seq(parent)) => {
                if let Kind::Seq(items) = &mut cur.nodes[*parent].kind {
                    items.push(id);
                }
            }
            Some(Frame::Map(parent, pending, seen)) => match pending.take() {
                Some((key, kpos)) => {
                    if !key.starts_with(['*', '?']) && key != "<<" && !seen.insert(key.clone()) {
                        duplicate.get_or_insert(YamlError {
                            pos: kpos,
                            message: format!("duplicate entry with key \"{key}\""),
                        });
                    }
                    if let Kind::Map(entries) = &mut cur.nodes[*parent].kind {
                        entries.push((key, kpos, id));
                    }
                }
                None => {
                    // A collection used as a key.
                    if opens {
                        stack.push(Frame::ComplexKey);
                        continue;
                    }
                }
            },
            Some(Frame::ComplexKey) => {}
        }
        if opens {
            let frame = match cur.nodes[id].kind {
                Kind::Seq(_) => Frame::Seq(id),
                _ => Frame::Map(id, None, Default::default()),
            };
            stack.push(frame);
        }
    }
    (out, None)
}

/// Converts a YAML value into JSON for schema validation. Non-string keys become their YAML
/// text; tags are dropped (their value is kept).
pub fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into()
            } else if let Some(u) = n.as_u64() {
                u.into()
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Sequence(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Mapping(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| {
                    (
                        scalar_text(k).unwrap_or_else(|| format!("{k:?}")),
                        to_json(v),
                    )
                })
                .collect(),
        ),
        Value::Tagged(t) => to_json(&t.value),
    }
}

/// The text of a scalar as a user wrote it (numbers and booleans included).
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => Some(String::new()),
        Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Seg {
        Seg::Key(s.into())
    }

    #[test]
    fn positions_of_keys_and_items() {
        let text = "a: 1\nb:\n  c: [x, y]\n  d:\n    - e: 2\n    - f: 3\n";
        let doc = parse_one(text).unwrap();
        assert_eq!(doc.line(&[k("a")]), 1);
        assert_eq!(doc.line(&[k("b"), k("c")]), 3);
        assert_eq!(doc.line(&[k("b"), k("d"), Seg::Index(1), k("f")]), 6);
        assert_eq!(doc.pos(&[k("b"), k("d"), Seg::Index(1)]).column, 7);
        // A missing key points at the deepest node that exists.
        assert_eq!(doc.line(&[k("b"), k("zz")]), 2);
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let text = "base: &b\n  x: 1\n  y: 2\nother:\n  <<: *b\n  z: 3\nref: *b\n";
        let doc = parse_one(text).unwrap();
        assert_eq!(doc.value["other"]["x"], Value::from(1));
        assert_eq!(doc.line(&[k("other"), k("z")]), 6);
        assert_eq!(doc.line(&[k("other"), k("y")]), 3);
        assert_eq!(doc.line(&[k("ref"), k("x")]), 2);
    }

    #[test]
    fn streams_keep_document_lines() {
        let text = "a: 1\n---\nb: 2\n---\nc:\n  d: 3\n";
        let (docs, err) = parse_stream(text);
        assert!(err.is_none());
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[2].line(&[k("c"), k("d")]), 6);
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let err = parse_one("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(err.pos.line >= 2, "{err:?}");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse_one("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.pos.line, 3, "{err:?}");
        assert!(err.message.contains("duplicate"), "{err:?}");
    }
}

#[cfg(test)]
mod hostile_tests {
    use super::*;

    #[test]
    fn alias_cycles_and_expansion_bombs_are_errors_not_hangs() {
        let cycle = "a: &x\n  b: *x\n";
        let _ = parse_stream(cycle);
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            bomb.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let (_, err) = parse_stream(&bomb);
        assert!(err.is_some());
    }

    #[test]
    fn crlf_and_empty_documents() {
        let doc = parse_one("a: 1\r\nb:\r\n  c: 2\r\n").unwrap();
        assert_eq!(doc.line(&["b".into(), "c".into()]), 3);
        assert!(parse_one("").unwrap().value.is_null());
        assert!(parse_one("# only a comment\n").unwrap().value.is_null());
    }
}
