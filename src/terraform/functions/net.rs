//! CIDR functions: `cidrhost`, `cidrnetmask`, `cidrsubnet`, `cidrsubnets`, for IPv4 and
//! IPv6, with Terraform's parsing (IPv4 octets with leading zeros read as decimal) and the
//! address arithmetic of the library it uses.

use super::args::{Args, R, Stop, WHOLE, call_err, to_int, to_num};
use crate::terraform::value::{Value, format_number};
use std::net::Ipv6Addr;

/// A network: its (masked) address, the address width in bits, and the prefix length.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Net {
    ip: u128,
    bits: u32,
    prefix: u32,
}

fn all_ones(bits: u32) -> u128 {
    if bits >= 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    }
}

/// The host part of an address; `prefix` is at most `bits`.
fn host_mask(prefix: u32, bits: u32) -> u128 {
    all_ones(bits.saturating_sub(prefix))
}

fn mask(prefix: u32, bits: u32) -> u128 {
    all_ones(bits) & !host_mask(prefix, bits)
}

/// Go's `dtoi`: decimal digits, giving up past 0xFFFFFF.
fn dtoi(s: &str) -> Option<(u32, usize)> {
    let mut n: u32 = 0;
    let mut i = 0;
    for b in s.bytes() {
        if !b.is_ascii_digit() {
            break;
        }
        n = n * 10 + u32::from(b - b'0');
        if n >= 0xFF_FFFF {
            return None;
        }
        i += 1;
    }
    (i > 0).then_some((n, i))
}

fn parse_v4(s: &str) -> Option<u32> {
    let mut rest = s;
    let mut out = 0u32;
    for i in 0..4 {
        if i > 0 {
            rest = rest.strip_prefix('.')?;
        }
        let (n, len) = dtoi(rest)?;
        if n > 255 {
            return None;
        }
        out = (out << 8) | n;
        rest = &rest[len..];
    }
    rest.is_empty().then_some(out)
}

fn parse_v6(s: &str) -> Option<u128> {
    let mut groups: Vec<u16> = Vec::with_capacity(8);
    let mut ellipsis: Option<usize> = None;
    let mut rest = s;
    if let Some(r) = rest.strip_prefix("::") {
        ellipsis = Some(0);
        rest = r;
        if rest.is_empty() {
            return Some(0);
        }
    }
    while groups.len() < 8 {
        let hex_len = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        if hex_len == 0 || hex_len > 4 {
            return None;
        }
        if rest.as_bytes().get(hex_len) == Some(&b'.') {
            // An embedded IPv4 address ends the text.
            if (ellipsis.is_none() && groups.len() != 6) || groups.len() + 2 > 8 {
                return None;
            }
            let v4 = parse_v4(rest)?;
            groups.push((v4 >> 16) as u16);
            groups.push(v4 as u16);
            rest = "";
            break;
        }
        groups.push(u16::from_str_radix(&rest[..hex_len], 16).ok()?);
        rest = &rest[hex_len..];
        if rest.is_empty() {
            break;
        }
        rest = rest.strip_prefix(':')?;
        if rest.is_empty() {
            return None;
        }
        if let Some(r) = rest.strip_prefix(':') {
            if ellipsis.is_some() {
                return None;
            }
            ellipsis = Some(groups.len());
            rest = r;
            if rest.is_empty() {
                break;
            }
        }
    }
    if !rest.is_empty() {
        return None;
    }
    let full: Vec<u16> = match ellipsis {
        Some(at) if groups.len() < 8 => {
            let mut v = groups.get(..at)?.to_vec();
            v.extend(std::iter::repeat_n(0, 8 - groups.len()));
            v.extend_from_slice(groups.get(at..)?);
            v
        }
        Some(_) => return None,
        None if groups.len() == 8 => groups,
        None => return None,
    };
    Some(
        full.iter()
            .fold(0u128, |acc, g| (acc << 16) | u128::from(*g)),
    )
}

fn parse_cidr(s: &str) -> Result<Net, String> {
    let bad = || format!("invalid CIDR address: {s}");
    let (addr, len) = s.split_once('/').ok_or_else(bad)?;
    let (ip, bits) = match parse_v4(addr) {
        Some(v4) => (u128::from(v4), 32),
        None => (parse_v6(addr).ok_or_else(bad)?, 128),
    };
    let (prefix, n) = dtoi(len).ok_or_else(bad)?;
    if n != len.len() || prefix > bits {
        return Err(bad());
    }
    Ok(Net {
        ip: ip & mask(prefix, bits),
        bits,
        prefix,
    })
}

fn cidr_arg(a: &Args) -> Result<Net, Stop> {
    parse_cidr(&a.str(0)?).map_err(|e| Stop::Call(format!("invalid CIDR expression: {e}")))
}

/// IPv4-mapped IPv6 addresses print as IPv4, as Go prints them.
fn is_mapped(ip: u128) -> bool {
    ip >> 32 == 0xFFFF
}

fn ip_text(ip: u128, bits: u32) -> String {
    if bits == 32 || is_mapped(ip) {
        let v = ip as u32;
        return format!(
            "{}.{}.{}.{}",
            v >> 24,
            (v >> 16) & 255,
            (v >> 8) & 255,
            v & 255
        );
    }
    Ipv6Addr::from(ip).to_string()
}

fn net_text(n: &Net) -> String {
    format!("{}/{}", ip_text(n.ip, n.bits), n.prefix)
}

/// A whole number argument that may exceed i64 (addresses are up to 128 bits).
fn big_whole(a: &Args, i: usize) -> Result<f64, Stop> {
    let n = to_num(a.get(i)).map_err(|m| Stop::Arg(i, m))?;
    if !n.is_finite() || n.fract() != 0.0 {
        return call_err("value must be a whole number");
    }
    Ok(n)
}

pub(super) fn cidrhost(a: &Args) -> R {
    let num = big_whole(a, 1)?;
    let net = cidr_arg(a)?;
    let max = host_mask(net.prefix, net.bits);
    let host = if num >= 0.0 {
        if num > max as f64 || (num as u128) > max {
            return call_err(format!(
                "prefix of {} does not accommodate a host numbered {}",
                net.prefix,
                format_number(num)
            ));
        }
        num as u128
    } else {
        // -1 is the last address: count back from the end.
        let back = -num - 1.0;
        if back > max as f64 || (back as u128) > max {
            return call_err(format!(
                "prefix of {} does not accommodate a host numbered {}",
                net.prefix,
                format_number(max as f64 - back)
            ));
        }
        max - back as u128
    };
    Ok(Value::String(ip_text(net.ip | host, net.bits)))
}

pub(super) fn cidrnetmask(a: &Args) -> R {
    let s = a.str(0)?;
    let net = cidr_arg(a)?;
    if net.bits == 128 && !is_mapped(net.ip) {
        return call_err(format!("IPv6 addresses cannot have a netmask: {s}"));
    }
    Ok(Value::String(ip_text(mask(net.prefix, net.bits), net.bits)))
}

pub(super) fn cidrsubnet(a: &Args) -> R {
    let newbits = to_num(a.get(1))
        .map_err(|m| Stop::Arg(1, m))
        .and_then(|n| to_int(n).ok_or_else(|| Stop::Call(WHOLE.into())))?;
    let num = big_whole(a, 2)?;
    let net = cidr_arg(a)?;
    let new_prefix = i64::from(net.prefix) + newbits;
    if new_prefix > i64::from(net.bits) {
        return call_err(format!(
            "insufficient address space to extend prefix of {} by {newbits}",
            net.prefix
        ));
    }
    let max_num = if (0..64).contains(&newbits) {
        (1u128 << newbits) - 1
    } else {
        u128::from(u64::MAX)
    };
    let too_big = || {
        Stop::Call(format!(
            "prefix extension of {newbits} does not accommodate a subnet numbered {}",
            format_number(num)
        ))
    };
    // Negative numbers and prefixes make no network; Terraform's library computes garbage.
    if num < 0.0 || num > max_num as f64 || (num as u128) > max_num || new_prefix < 0 {
        return Err(too_big());
    }
    let new_prefix = new_prefix as u32;
    let shift = net.bits - new_prefix;
    let n = num as u128;
    let shifted = if n == 0 {
        0
    } else {
        match n.checked_shl(shift) {
            Some(v) if v >> shift == n && (net.bits == 128 || v >> net.bits == 0) => v,
            _ => return Err(too_big()),
        }
    };
    let sub = Net {
        ip: net.ip | shifted,
        bits: net.bits,
        prefix: new_prefix,
    };
    Ok(Value::String(net_text(&sub)))
}

/// Consecutive subnets, each aligned after the previous one.
pub(super) fn cidrsubnets(a: &Args) -> R {
    let net = parse_cidr(&a.str(0)?)
        .map_err(|e| Stop::Arg(0, format!("invalid CIDR expression: {e}")))?;
    let all = all_ones(net.bits);
    let mut current: Option<Net> = None;
    let mut out = Vec::new();
    for i in 1..a.len() {
        let len = to_num(a.get(i))
            .map_err(|m| Stop::Arg(i, m))
            .and_then(|n| to_int(n).ok_or_else(|| Stop::Arg(i, WHOLE.into())))?;
        if len < 1 {
            return Err(Stop::Arg(
                i,
                "must extend prefix by at least one bit".into(),
            ));
        }
        if len > 32 {
            return Err(Stop::Arg(
                i,
                "may not extend prefix by more than 32 bits".into(),
            ));
        }
        let len = len as u32 + net.prefix;
        if len > net.bits {
            let proto = if net.bits == 32 { "IPv4" } else { "IPv6" };
            return Err(Stop::Arg(
                i,
                format!(
                    "would extend prefix to {len} bits, which is too long for an {proto} address"
                ),
            ));
        }
        // The first subnet starts where a subnet just before the network would end.
        let cur = current.unwrap_or(Net {
            ip: net.ip.wrapping_sub(1) & all & mask(len, net.bits),
            bits: net.bits,
            prefix: len,
        });
        let last = cur.ip | host_mask(cur.prefix, cur.bits);
        let aligned = last & mask(len, net.bits);
        let next_ip = ((aligned | host_mask(len, net.bits)).wrapping_add(1)) & all;
        let rollover = next_ip == 0;
        let next = Net {
            ip: next_ip & mask(len, net.bits),
            bits: net.bits,
            prefix: len,
        };
        if rollover || next.ip & mask(net.prefix, net.bits) != net.ip {
            return Err(Stop::Arg(
                i,
                format!(
                    "not enough remaining address space for a subnet with a prefix of {len} bits after {}",
                    net_text(&cur)
                ),
            ));
        }
        out.push(Value::String(net_text(&next)));
        current = Some(next);
    }
    Ok(Value::List(out))
}
