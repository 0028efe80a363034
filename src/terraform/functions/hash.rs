//! Hash functions over strings and files, and `uuidv5`.

use super::args::{Args, R, Stop, call_err};
use super::digest;
use super::encoding::b64_encode;
use super::filesystem::read;
use crate::terraform::value::Value;

type Digest = fn(&[u8]) -> Vec<u8>;

fn of_str(a: &Args, h: Digest, enc: fn(&[u8]) -> String) -> R {
    Ok(Value::String(enc(&h(a.str(0)?.as_bytes()))))
}

fn of_file(a: &Args, h: Digest, enc: fn(&[u8]) -> String) -> R {
    let text = read(a)?;
    Ok(Value::String(enc(&h(text.as_bytes()))))
}

pub(super) fn md5(a: &Args) -> R {
    of_str(a, digest::md5, digest::hex)
}
pub(super) fn sha1(a: &Args) -> R {
    of_str(a, digest::sha1, digest::hex)
}
pub(super) fn sha256(a: &Args) -> R {
    of_str(a, digest::sha256, digest::hex)
}
pub(super) fn sha512(a: &Args) -> R {
    of_str(a, digest::sha512, digest::hex)
}
pub(super) fn base64sha256(a: &Args) -> R {
    of_str(a, digest::sha256, b64_encode)
}
pub(super) fn base64sha512(a: &Args) -> R {
    of_str(a, digest::sha512, b64_encode)
}
pub(super) fn filemd5(a: &Args) -> R {
    of_file(a, digest::md5, digest::hex)
}
pub(super) fn filesha1(a: &Args) -> R {
    of_file(a, digest::sha1, digest::hex)
}
pub(super) fn filesha256(a: &Args) -> R {
    of_file(a, digest::sha256, digest::hex)
}
pub(super) fn filesha512(a: &Args) -> R {
    of_file(a, digest::sha512, digest::hex)
}
pub(super) fn filebase64sha256(a: &Args) -> R {
    of_file(a, digest::sha256, b64_encode)
}
pub(super) fn filebase64sha512(a: &Args) -> R {
    of_file(a, digest::sha512, b64_encode)
}

/// RFC 4122 name-based UUID (SHA-1), with the well-known namespaces by name.
pub(super) fn uuidv5(a: &Args) -> R {
    let ns_text = a.str(0)?;
    let name = a.str(1)?;
    let ns: [u8; 16] = match ns_text.as_str() {
        "dns" => parse_uuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
        "url" => parse_uuid("6ba7b811-9dad-11d1-80b4-00c04fd430c8"),
        "oid" => parse_uuid("6ba7b812-9dad-11d1-80b4-00c04fd430c8"),
        "x500" => parse_uuid("6ba7b814-9dad-11d1-80b4-00c04fd430c8"),
        other => parse_uuid(other),
    }
    .ok_or_else(|| {
        Stop::Call(format!(
            "uuidv5() doesn't support namespace {ns_text} (invalid UUID format)"
        ))
    })?;
    let mut data = ns.to_vec();
    data.extend_from_slice(name.as_bytes());
    let h = digest::sha1(&data);
    let mut u: Vec<u8> = h.into_iter().take(16).collect();
    if u.len() != 16 {
        return call_err("internal error computing the UUID");
    }
    u[6] = (u[6] & 0x0f) | 0x50;
    u[8] = (u[8] & 0x3f) | 0x80;
    let hex = digest::hex(&u);
    Ok(Value::String(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )))
}

/// The forms Go's `uuid.Parse` accepts: plain, braced, `urn:uuid:`, or 32 bare hex digits.
fn parse_uuid(s: &str) -> Option<[u8; 16]> {
    let body = if s.len() == 45 {
        s.get(..9).filter(|p| p.eq_ignore_ascii_case("urn:uuid:"))?;
        s.get(9..)?
    } else if s.len() == 38 {
        s.strip_prefix('{')?.strip_suffix('}')?
    } else {
        s
    };
    let hex: String = match body.len() {
        36 => {
            let b = body.as_bytes();
            if [8, 13, 18, 23].iter().any(|&i| b.get(i) != Some(&b'-')) {
                return None;
            }
            body.chars().filter(|c| *c != '-').collect()
        }
        32 => body.to_string(),
        _ => return None,
    };
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}
