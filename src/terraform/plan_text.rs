//! Reading a plan's text: resource addresses taken apart, and the lines resources point at
//! (serde_json keeps no positions).

use super::resource::InstanceKey;
use std::collections::HashMap;

/// A resource instance address, taken apart.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Address {
    /// `module.net`, `module.sub["a"]`.
    pub(super) module_steps: Vec<String>,
    /// The call names of those steps (`net`, `sub`).
    pub(super) module_names: Vec<String>,
    pub(super) data: bool,
    pub(super) r#type: String,
    pub(super) name: String,
    pub(super) key: Option<InstanceKey>,
}

/// `module.net.module.sub["a"].data.aws_ami.this[0]`; `None` when it is not an address.
pub(super) fn parse_address(address: &str) -> Option<Address> {
    let mut rest = address;
    let mut module_steps = Vec::new();
    let mut module_names = Vec::new();
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['.', '[']).unwrap_or(after.len());
        let name = after.get(..end).filter(|n| !n.is_empty())?;
        let mut len = "module.".len() + end;
        let tail = after.get(end..)?;
        if tail.starts_with('[') {
            len += instance_key(tail)?.1;
        }
        // The step as written, so that the module path is always a prefix of the address.
        module_steps.push(rest.get(..len)?.to_string());
        module_names.push(name.to_string());
        rest = rest.get(len..)?.strip_prefix('.')?;
    }
    let (data, rest) = match rest.strip_prefix("data.") {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let (r#type, rest) = rest.split_once('.')?;
    let end = rest.find('[').unwrap_or(rest.len());
    let name = rest.get(..end)?;
    let key = match rest.get(end..)? {
        "" => None,
        tail => {
            let (key, used) = instance_key(tail)?;
            if used != tail.len() {
                return None;
            }
            Some(key)
        }
    };
    if r#type.is_empty() || name.is_empty() {
        return None;
    }
    Some(Address {
        module_steps,
        module_names,
        data,
        r#type: r#type.to_string(),
        name: name.to_string(),
        key,
    })
}

/// `[3]` or `["a.b"]` at the start of `text`: the key and the bytes it takes.
pub(super) fn instance_key(text: &str) -> Option<(InstanceKey, usize)> {
    let inner = text.strip_prefix('[')?;
    if inner.starts_with('"') {
        let end = string_end(inner.as_bytes(), 0)?;
        let key: String = serde_json::from_str(inner.get(..=end)?).ok()?;
        inner.get(end + 1..)?.strip_prefix(']')?;
        Some((InstanceKey::Str(key), end + 3))
    } else {
        let close = inner.find(']')?;
        let n = inner.get(..close)?.parse().ok()?;
        Some((InstanceKey::Int(n), close + 2))
    }
}

/// The index of the quote closing the JSON string that opens at `start`.
pub(super) fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while let Some(b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Lines of what resources point at, found by a light scan of the (already valid) JSON text,
/// since serde_json keeps no positions.
#[derive(Debug, Default)]
pub(super) struct Lines {
    /// (`planned_values` | `prior_state`, address) → line of the first `"address"` with it.
    pub(super) addresses: HashMap<(String, String), usize>,
    /// `configuration.provider_config` key → line.
    pub(super) providers: HashMap<String, usize>,
}

pub(super) fn locate(text: &str) -> Lines {
    enum Frame {
        Object { key: Option<String>, want_key: bool },
        Array,
    }
    fn key_of(f: Option<&Frame>) -> Option<&str> {
        match f {
            Some(Frame::Object { key, .. }) => key.as_deref(),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    let mut out = Lines::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => line += 1,
            b'{' => stack.push(Frame::Object {
                key: None,
                want_key: true,
            }),
            b'[' => stack.push(Frame::Array),
            b'}' | b']' => {
                stack.pop();
            }
            b',' | b':' => {
                if let Some(Frame::Object { want_key, .. }) = stack.last_mut() {
                    *want_key = b == b',';
                }
            }
            b'"' => {
                let end = string_end(bytes, i).unwrap_or(bytes.len());
                let is_key = matches!(stack.last(), Some(Frame::Object { want_key: true, .. }));
                let top = key_of(stack.first());
                let is_address = !is_key
                    && key_of(stack.last()) == Some("address")
                    && matches!(top, Some("planned_values" | "prior_state"));
                // Only keys and addresses are decoded: plans can be large.
                if is_key || is_address {
                    let raw = text.get(i..=end).unwrap_or("");
                    let s = if raw.contains('\\') {
                        serde_json::from_str(raw).unwrap_or_default()
                    } else {
                        raw.trim_matches('"').to_string()
                    };
                    if is_address {
                        let root = top.unwrap_or_default().to_string();
                        out.addresses.entry((root, s)).or_insert(line);
                    } else {
                        if stack.len() == 3
                            && top == Some("configuration")
                            && key_of(stack.get(1)) == Some("provider_config")
                        {
                            out.providers.entry(s.clone()).or_insert(line);
                        }
                        if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                            *key = Some(s);
                        }
                    }
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    out
}
