//! Set functions: `setunion`, `setintersection`, `setsubtract`, `setproduct`.

use super::args::{Args, R, Stop, arg_err, call_err, known, unify};
use super::collection::equal;
use crate::terraform::value::Value;

/// A product bigger than this is not something a plan would survive either.
const MAX_PRODUCT: usize = 100_000;

/// Every argument as a set, all brought to one element type.
fn as_sets(a: &Args) -> Result<Vec<Vec<Value>>, Stop> {
    let mut lens = Vec::with_capacity(a.len());
    let mut all = Vec::new();
    for (i, v) in a.vals.iter().enumerate() {
        match v {
            Value::List(items) | Value::Set(items) => {
                lens.push(items.len());
                all.extend(items.iter().cloned());
            }
            _ => return arg_err(i, "set of any single type required"),
        }
    }
    let mut all = unify(all)
        .map_err(|_| Stop::Call("given sets must all have compatible element types".into()))?
        .into_iter();
    Ok(lens
        .into_iter()
        .map(|n| match Value::set(all.by_ref().take(n).collect()) {
            Value::Set(items) => items,
            _ => Vec::new(),
        })
        .collect())
}

/// Keeps unknown elements, as Terraform does.
pub(super) fn setunion(a: &Args) -> R {
    Ok(Value::set(as_sets(a)?.into_iter().flatten().collect()))
}

pub(super) fn setintersection(a: &Args) -> R {
    let mut sets = as_sets(a)?.into_iter();
    for v in a.vals {
        known(v)?;
    }
    let first = sets.next().unwrap_or_default();
    let rest: Vec<Vec<Value>> = sets.collect();
    Ok(Value::set(
        first
            .into_iter()
            .filter(|x| {
                rest.iter()
                    .all(|s| s.iter().any(|y| equal(x, y) == Some(true)))
            })
            .collect(),
    ))
}

pub(super) fn setsubtract(a: &Args) -> R {
    let mut sets = as_sets(a)?.into_iter();
    for v in a.vals {
        known(v)?;
    }
    let first = sets.next().unwrap_or_default();
    let second = sets.next().unwrap_or_default();
    Ok(Value::set(
        first
            .into_iter()
            .filter(|x| !second.iter().any(|y| equal(x, y) == Some(true)))
            .collect(),
    ))
}

/// Every combination, as a list when every argument is a list, as a set otherwise.
pub(super) fn setproduct(a: &Args) -> R {
    if a.len() < 2 {
        return call_err("at least two arguments are required");
    }
    let mut cols = Vec::with_capacity(a.len());
    let mut any_set = false;
    for (i, v) in a.vals.iter().enumerate() {
        let items = match v {
            Value::Set(items) => {
                any_set = true;
                items
            }
            Value::List(items) => items,
            _ => return arg_err(i, "a set or a list is required"),
        };
        cols.push(
            unify(items.clone())
                .map_err(|_| Stop::Arg(i, "all elements must be of the same type".into()))?,
        );
    }
    let total = cols
        .iter()
        .try_fold(1usize, |acc, c| acc.checked_mul(c.len()))
        .filter(|n| *n <= MAX_PRODUCT)
        .ok_or_else(|| {
            Stop::Call(format!(
                "the product has more than {MAX_PRODUCT} elements, more than stackgate evaluates"
            ))
        })?;
    let mut out = Vec::with_capacity(total);
    let mut idx = vec![0usize; cols.len()];
    for _ in 0..total {
        out.push(Value::List(
            cols.iter()
                .zip(&idx)
                .map(|(c, &i)| c.get(i).cloned().unwrap_or_default())
                .collect(),
        ));
        // Odometer: the last argument varies fastest.
        for j in (0..idx.len()).rev() {
            idx[j] += 1;
            if idx[j] < cols[j].len() {
                break;
            }
            idx[j] = 0;
        }
    }
    Ok(if any_set {
        Value::set(out)
    } else {
        Value::List(out)
    })
}
