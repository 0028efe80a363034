//! Terraform's built-in function library, as far as it is pure.
//!
//! `call` checks arity and nulls the way Terraform's function machinery does, applies the
//! Unknown rule (an unknown argument makes the result unknown, unless the function can do
//! better and says so in its spec), then runs the function. Families live one per file; the
//! argument helpers they share are in `args.rs`.

use super::value::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

mod args;
mod collection;
mod conversion;
pub(crate) mod datetime;
mod digest;
mod encoding;
mod filesystem;
mod format;
mod graphemes;
mod hash;
mod json;
mod maps;
mod net;
mod numeric;
mod re;
mod sets;
mod string;
mod yaml_decode;
mod yaml_emit;

#[cfg(test)]
mod tests;

use args::{Args, Stop};

/// What functions may need from their surroundings.
pub trait FnEnv {
    /// Reads a file (`file`, `templatefile`, `fileexists`, …), the path as the call gave it.
    fn read_file(&self, path: &str) -> Result<Arc<str>, String>;
    /// Renders a template text with the given variables (`templatefile`).
    fn render_template(
        &self,
        template: &str,
        vars: &BTreeMap<String, Value>,
    ) -> Result<Value, String>;
}

#[derive(Debug, Clone, PartialEq)]
pub enum FnError {
    /// Not a function stackgate knows (or an impure one it will not guess).
    Unsupported,
    /// The arguments are wrong; the message says how, as Terraform would.
    Invalid(String),
}

/// Calls a function by name.
pub fn call(name: &str, args: Vec<Value>, env: &dyn FnEnv) -> Result<Value, FnError> {
    // Every built-in is also reachable as `core::name`.
    let name = name.strip_prefix("core::").unwrap_or(name);
    // `try` and `can` evaluate their arguments lazily: that is the evaluator's business.
    if matches!(name, "try" | "can") {
        return Err(FnError::Unsupported);
    }
    let Some(spec) = lookup(name) else {
        return Err(FnError::Unsupported);
    };
    check_arity(name, spec, args.len())?;
    for (i, v) in args.iter().enumerate() {
        if matches!(v, Value::Null) && !spec.null_ok(i) {
            return Err(invalid(
                spec,
                Stop::Arg(i, "argument must not be null".into()),
            ));
        }
    }
    if !spec.lenient {
        if let Some(u) = args.iter().find(|v| v.is_unknown()) {
            return Ok(u.clone());
        }
    }
    let a = Args {
        name,
        vals: &args,
        env,
    };
    match (spec.f)(&a) {
        Ok(v) => Ok(v),
        Err(Stop::Unknown(u)) => Ok(Value::Unknown(u)),
        Err(Stop::Unsupported) => Err(FnError::Unsupported),
        Err(stop) => Err(invalid(spec, stop)),
    }
}

/// Every function name `call` knows, sorted (tests call each of them).
pub fn names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|(n, _)| *n)
}

/// How many fixed parameters a function has and whether it takes more (for tests).
#[cfg(test)]
fn arity(name: &str) -> Option<(usize, bool)> {
    lookup(name).map(|s| (s.params.len(), s.var.is_some()))
}

type Impl = fn(&Args) -> Result<Value, Stop>;

/// How a function takes its arguments.
#[derive(Clone, Copy)]
struct Spec {
    params: &'static [&'static str],
    /// The variadic parameter's name, if any.
    var: Option<&'static str>,
    /// At most this many variadic arguments (`lookup` takes one optional default).
    var_max: usize,
    /// Bit `i` allows a null positional argument `i`; bit 31 allows null variadic ones.
    nulls: u32,
    /// The function looks at unknown arguments itself instead of the blanket rule.
    lenient: bool,
    f: Impl,
}

const VAR_NULL: u32 = 1 << 31;
const ALL_NULL: u32 = u32::MAX;

impl Spec {
    const fn new(params: &'static [&'static str], f: Impl) -> Spec {
        Spec {
            params,
            var: None,
            var_max: usize::MAX,
            nulls: 0,
            lenient: false,
            f,
        }
    }
    const fn var(mut self, name: &'static str) -> Spec {
        self.var = Some(name);
        self
    }
    const fn var_max(mut self, n: usize) -> Spec {
        self.var_max = n;
        self
    }
    const fn nulls(mut self, mask: u32) -> Spec {
        self.nulls = mask;
        self
    }
    const fn lenient(mut self) -> Spec {
        self.lenient = true;
        self
    }

    fn null_ok(&self, i: usize) -> bool {
        if i < self.params.len() {
            i < 31 && self.nulls & (1 << i) != 0
        } else {
            self.nulls & VAR_NULL != 0
        }
    }

    fn param_name(&self, i: usize) -> &'static str {
        self.params
            .get(i)
            .copied()
            .or(self.var)
            .unwrap_or("argument")
    }
}

fn check_arity(name: &str, spec: &Spec, n: usize) -> Result<(), FnError> {
    let fixed = spec.params.len();
    if n < fixed {
        let missing = spec.params.get(n).copied().unwrap_or("argument");
        return Err(FnError::Invalid(format!(
            "Not enough function arguments: function \"{name}\" expects {fixed} argument(s). Missing value for \"{missing}\"."
        )));
    }
    if (spec.var.is_none() && n > fixed) || n - fixed > spec.var_max {
        return Err(FnError::Invalid(format!(
            "Too many function arguments: function \"{name}\" expects only {} argument(s).",
            fixed.saturating_add(if spec.var.is_some() { spec.var_max } else { 0 })
        )));
    }
    Ok(())
}

/// Terraform's wording: argument problems name the parameter; other failures are the
/// detail of "Call to function … failed", which the caller adds.
fn invalid(spec: &Spec, stop: Stop) -> FnError {
    match stop {
        Stop::Arg(i, msg) => FnError::Invalid(format!(
            "Invalid value for \"{}\" parameter: {msg}.",
            spec.param_name(i)
        )),
        // The caller says which call failed; the message says why.
        Stop::Call(msg) => FnError::Invalid(format!("{msg}.")),
        Stop::Unknown(_) | Stop::Unsupported => FnError::Unsupported,
    }
}

fn lookup(name: &str) -> Option<&'static Spec> {
    TABLE
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .and_then(|i| TABLE.get(i))
        .map(|(_, s)| s)
}

/// Impure functions: their value exists only when Terraform applies.
fn impure(a: &Args) -> Result<Value, Stop> {
    Ok(Value::unknown(format!(
        "{}() is only known at apply time",
        a.name()
    )))
}

/// Functions stackgate cannot evaluate (they need the filesystem, gzip, RSA, or the
/// evaluator's laziness, like `try` and `can`).
fn unsupported(_: &Args) -> Result<Value, Stop> {
    Err(Stop::Unsupported)
}

fn removed_list(_: &Args) -> Result<Value, Stop> {
    Err(Stop::Call(
        "the \"list\" function was deprecated in Terraform v0.12 and is no longer available; use tolist([ ... ]) syntax to write a literal list".into(),
    ))
}

fn removed_map(_: &Args) -> Result<Value, Stop> {
    Err(Stop::Call(
        "the \"map\" function was deprecated in Terraform v0.12 and is no longer available; use tomap({ ... }) syntax to write a literal map".into(),
    ))
}

use collection as c;
use conversion as cv;
use datetime as dt;
use encoding as enc;
use filesystem as fs;
use numeric as num;
use string as s;

const STR: &[&str] = &["str"];
const PATH: &[&str] = &["path"];
const NUMP: &[&str] = &["num"];
const V: &[&str] = &["v"];

/// Sorted by name: `lookup` bisects it.
static TABLE: &[(&str, Spec)] = &[
    ("abs", Spec::new(NUMP, num::abs)),
    ("abspath", Spec::new(PATH, fs::abspath)),
    ("alltrue", Spec::new(&["list"], c::alltrue)),
    ("anytrue", Spec::new(&["list"], c::anytrue)),
    ("base64decode", Spec::new(STR, enc::base64decode)),
    ("base64encode", Spec::new(STR, enc::base64encode)),
    ("base64gzip", Spec::new(STR, unsupported)),
    ("base64sha256", Spec::new(STR, hash::base64sha256)),
    ("base64sha512", Spec::new(STR, hash::base64sha512)),
    ("basename", Spec::new(PATH, fs::basename)),
    (
        "bcrypt",
        Spec::new(STR, impure).var("cost").var_max(1).lenient(),
    ),
    (
        "can",
        Spec::new(&["expression"], unsupported)
            .lenient()
            .nulls(ALL_NULL),
    ),
    ("ceil", Spec::new(NUMP, num::ceil)),
    ("chomp", Spec::new(STR, s::chomp)),
    ("chunklist", Spec::new(&["list", "size"], c::chunklist)),
    ("cidrhost", Spec::new(&["prefix", "hostnum"], net::cidrhost)),
    ("cidrnetmask", Spec::new(&["prefix"], net::cidrnetmask)),
    (
        "cidrsubnet",
        Spec::new(&["prefix", "newbits", "netnum"], net::cidrsubnet),
    ),
    (
        "cidrsubnets",
        Spec::new(&["prefix"], net::cidrsubnets).var("newbits"),
    ),
    (
        "coalesce",
        Spec::new(&[], c::coalesce)
            .var("vals")
            .nulls(VAR_NULL)
            .lenient(),
    ),
    (
        "coalescelist",
        Spec::new(&[], c::coalescelist)
            .var("vals")
            .nulls(VAR_NULL)
            .lenient(),
    ),
    ("compact", Spec::new(&["list"], c::compact)),
    ("concat", Spec::new(&[], c::concat).var("seqs")),
    (
        "contains",
        Spec::new(&["list", "value"], c::contains).nulls(1 << 1),
    ),
    (
        "convert",
        Spec::new(&["value", "type"], unsupported)
            .lenient()
            .nulls(ALL_NULL),
    ),
    ("csvdecode", Spec::new(STR, enc::csvdecode)),
    ("dirname", Spec::new(PATH, fs::dirname)),
    ("distinct", Spec::new(&["list"], c::distinct)),
    ("element", Spec::new(&["list", "index"], c::element)),
    ("endswith", Spec::new(&["str", "suffix"], s::endswith)),
    (
        "ephemeralasnull",
        Spec::new(&["value"], cv::identity)
            .nulls(ALL_NULL)
            .lenient(),
    ),
    ("file", Spec::new(PATH, fs::file)),
    ("filebase64", Spec::new(PATH, fs::filebase64)),
    ("filebase64sha256", Spec::new(PATH, hash::filebase64sha256)),
    ("filebase64sha512", Spec::new(PATH, hash::filebase64sha512)),
    ("fileexists", Spec::new(PATH, fs::fileexists)),
    ("filemd5", Spec::new(PATH, hash::filemd5)),
    ("fileset", Spec::new(&["path", "pattern"], unsupported)),
    ("filesha1", Spec::new(PATH, hash::filesha1)),
    ("filesha256", Spec::new(PATH, hash::filesha256)),
    ("filesha512", Spec::new(PATH, hash::filesha512)),
    ("flatten", Spec::new(&["list"], c::flatten)),
    ("floor", Spec::new(NUMP, num::floor)),
    (
        "format",
        Spec::new(&["format"], format::format)
            .var("args")
            .nulls(VAR_NULL)
            .lenient(),
    ),
    ("formatdate", Spec::new(&["format", "time"], dt::formatdate)),
    (
        "formatlist",
        Spec::new(&["format"], format::formatlist)
            .var("args")
            .nulls(VAR_NULL)
            .lenient(),
    ),
    ("indent", Spec::new(&["spaces", "str"], s::indent)),
    ("index", Spec::new(&["list", "value"], c::index)),
    (
        "issensitive",
        Spec::new(&["value"], cv::issensitive).nulls(ALL_NULL),
    ),
    ("join", Spec::new(&["separator"], s::join).var("lists")),
    ("jsondecode", Spec::new(STR, enc::jsondecode)),
    (
        "jsonencode",
        Spec::new(&["val"], enc::jsonencode).nulls(ALL_NULL),
    ),
    ("keys", Spec::new(&["inputMap"], maps::keys)),
    ("length", Spec::new(&["value"], c::length)),
    (
        "list",
        Spec::new(&[], removed_list)
            .var("vals")
            .nulls(ALL_NULL)
            .lenient(),
    ),
    ("log", Spec::new(&["num", "base"], num::log)),
    (
        "lookup",
        Spec::new(&["inputMap", "key"], maps::lookup)
            .var("default")
            .var_max(1)
            .nulls(VAR_NULL)
            .lenient(),
    ),
    ("lower", Spec::new(STR, s::lower)),
    (
        "map",
        Spec::new(&[], removed_map)
            .var("vals")
            .nulls(ALL_NULL)
            .lenient(),
    ),
    (
        "matchkeys",
        Spec::new(&["values", "keys", "searchset"], maps::matchkeys),
    ),
    ("max", Spec::new(&[], num::max).var("numbers")),
    ("md5", Spec::new(STR, hash::md5)),
    (
        "merge",
        Spec::new(&[], maps::merge).var("maps").nulls(VAR_NULL),
    ),
    ("min", Spec::new(&[], num::min).var("numbers")),
    (
        "nonsensitive",
        Spec::new(&["value"], cv::identity)
            .nulls(ALL_NULL)
            .lenient(),
    ),
    ("one", Spec::new(&["list"], c::one)),
    ("parseint", Spec::new(&["number", "base"], num::parseint)),
    ("pathexpand", Spec::new(PATH, fs::pathexpand)),
    ("plantimestamp", Spec::new(&[], impure)),
    ("pow", Spec::new(&["num", "power"], num::pow)),
    ("range", Spec::new(&[], c::range).var("params")),
    ("regex", Spec::new(&["pattern", "string"], s::regex)),
    ("regexall", Spec::new(&["pattern", "string"], s::regexall)),
    (
        "replace",
        Spec::new(&["str", "substr", "replace"], s::replace),
    ),
    ("reverse", Spec::new(&["list"], c::reverse)),
    (
        "rsadecrypt",
        Spec::new(&["ciphertext", "privatekey"], unsupported),
    ),
    (
        "sensitive",
        Spec::new(&["value"], cv::identity)
            .nulls(ALL_NULL)
            .lenient(),
    ),
    (
        "setintersection",
        Spec::new(&["first_set"], sets::setintersection).var("other_sets"),
    ),
    ("setproduct", Spec::new(&[], sets::setproduct).var("sets")),
    ("setsubtract", Spec::new(&["a", "b"], sets::setsubtract)),
    (
        "setunion",
        Spec::new(&["first_set"], sets::setunion).var("other_sets"),
    ),
    ("sha1", Spec::new(STR, hash::sha1)),
    ("sha256", Spec::new(STR, hash::sha256)),
    ("sha512", Spec::new(STR, hash::sha512)),
    ("signum", Spec::new(NUMP, num::signum)),
    (
        "slice",
        Spec::new(&["list", "start_index", "end_index"], c::slice),
    ),
    ("sort", Spec::new(&["list"], c::sort)),
    ("split", Spec::new(&["separator", "str"], s::split)),
    (
        "startswith",
        Spec::new(&["str", "prefix"], s::startswith).lenient(),
    ),
    ("strcontains", Spec::new(&["str", "substr"], s::strcontains)),
    ("strrev", Spec::new(STR, s::strrev)),
    ("substr", Spec::new(&["str", "offset", "length"], s::substr)),
    ("sum", Spec::new(&["list"], c::sum)),
    (
        "templatefile",
        Spec::new(&["path", "vars"], fs::templatefile),
    ),
    (
        "templatestring",
        Spec::new(&["template", "vars"], fs::templatestring),
    ),
    (
        "textdecodebase64",
        Spec::new(&["source", "encoding"], enc::textdecodebase64),
    ),
    (
        "textencodebase64",
        Spec::new(&["string", "encoding"], enc::textencodebase64),
    ),
    (
        "timeadd",
        Spec::new(&["timestamp", "duration"], dt::timeadd),
    ),
    (
        "timecmp",
        Spec::new(&["timestamp_a", "timestamp_b"], dt::timecmp),
    ),
    ("timestamp", Spec::new(&[], impure)),
    ("title", Spec::new(STR, s::title)),
    ("tobool", Spec::new(V, cv::tobool).nulls(ALL_NULL)),
    ("tolist", Spec::new(V, cv::tolist).nulls(ALL_NULL)),
    ("tomap", Spec::new(V, cv::tomap).nulls(ALL_NULL)),
    ("tonumber", Spec::new(V, cv::tonumber).nulls(ALL_NULL)),
    ("toset", Spec::new(V, cv::toset).nulls(ALL_NULL)),
    ("tostring", Spec::new(V, cv::tostring).nulls(ALL_NULL)),
    ("transpose", Spec::new(&["values"], maps::transpose)),
    ("trim", Spec::new(&["str", "cutset"], s::trim)),
    ("trimprefix", Spec::new(&["str", "prefix"], s::trimprefix)),
    ("trimspace", Spec::new(STR, s::trimspace)),
    ("trimsuffix", Spec::new(&["str", "suffix"], s::trimsuffix)),
    (
        "try",
        Spec::new(&[], unsupported)
            .var("expressions")
            .nulls(ALL_NULL)
            .lenient(),
    ),
    ("upper", Spec::new(STR, s::upper)),
    ("urlencode", Spec::new(STR, enc::urlencode)),
    ("uuid", Spec::new(&[], impure)),
    ("uuidv5", Spec::new(&["namespace", "name"], hash::uuidv5)),
    ("values", Spec::new(&["mapping"], maps::values)),
    ("yamldecode", Spec::new(&["src"], yaml_decode::yamldecode)),
    (
        "yamlencode",
        Spec::new(&["value"], yaml_emit::yamlencode).nulls(ALL_NULL),
    ),
    ("zipmap", Spec::new(&["keys", "values"], maps::zipmap)),
];
