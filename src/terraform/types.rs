//! Terraform type constraints (`list(string)`, `object({ size = optional(number, 1) })`) and
//! the conversion of a value to its declared type, as Terraform does for variables.

use super::value::Value;
use hcl::Expression;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Any,
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    Object(BTreeMap<String, Attr>),
}

/// An attribute of an object type; `optional` with its default (itself optional).
#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub ty: Type,
    pub optional: bool,
    pub default: Option<Value>,
}

/// Reads a type constraint expression. `.tf.json` gives it as a string, which is parsed first.
pub fn parse(expr: &Expression) -> Result<Type, String> {
    parse_depth(expr, 0)
}

fn parse_depth(expr: &Expression, depth: usize) -> Result<Type, String> {
    if depth > 32 {
        return Err("type constraint nested too deeply".into());
    }
    match expr {
        Expression::Variable(v) => keyword(v.as_str()),
        Expression::String(s) => {
            let body: hcl::Body = format!("t = {s}")
                .parse()
                .map_err(|e: hcl::Error| e.to_string())?;
            let attr = body.attributes().next().ok_or("empty type constraint")?;
            parse_depth(attr.expr(), depth + 1)
        }
        Expression::Parenthesis(inner) => parse_depth(inner, depth + 1),
        Expression::FuncCall(call) => {
            let name = call.name.name.as_str();
            let arg = |i: usize| {
                call.args
                    .get(i)
                    .ok_or_else(|| format!("`{name}` needs an argument"))
            };
            match name {
                "list" => Ok(Type::List(Box::new(parse_depth(arg(0)?, depth + 1)?))),
                "set" => Ok(Type::Set(Box::new(parse_depth(arg(0)?, depth + 1)?))),
                "map" => Ok(Type::Map(Box::new(parse_depth(arg(0)?, depth + 1)?))),
                "tuple" => match arg(0)? {
                    Expression::Array(items) => Ok(Type::Tuple(
                        items
                            .iter()
                            .map(|t| parse_depth(t, depth + 1))
                            .collect::<Result<_, _>>()?,
                    )),
                    _ => Err("`tuple` takes a list of types".into()),
                },
                "object" => match arg(0)? {
                    Expression::Object(attrs) => {
                        let mut out = BTreeMap::new();
                        for (k, v) in attrs {
                            let key = match k {
                                hcl::ObjectKey::Identifier(i) => i.to_string(),
                                hcl::ObjectKey::Expression(Expression::String(s)) => s.clone(),
                                hcl::ObjectKey::Expression(Expression::Variable(v)) => {
                                    v.to_string()
                                }
                                _ => return Err("object attribute names must be names".into()),
                            };
                            out.insert(key, attr(v, depth + 1)?);
                        }
                        Ok(Type::Object(out))
                    }
                    _ => Err("`object` takes an object of attribute types".into()),
                },
                "optional" => Err("`optional` is only allowed for object attributes".into()),
                other => Err(format!("`{other}` is not a type")),
            }
        }
        _ => Err("not a type constraint".into()),
    }
}

fn attr(expr: &Expression, depth: usize) -> Result<Attr, String> {
    if let Expression::FuncCall(call) = expr {
        if call.name.name.as_str() == "optional" {
            let ty = parse_depth(call.args.first().ok_or("`optional` needs a type")?, depth)?;
            let default = match call.args.get(1) {
                Some(d) => Some(
                    literal(d).ok_or("defaults of optional attributes must be literal values")?,
                ),
                None => None,
            };
            return Ok(Attr {
                ty,
                optional: true,
                default,
            });
        }
    }
    Ok(Attr {
        ty: parse_depth(expr, depth)?,
        optional: false,
        default: None,
    })
}

/// A literal expression's value (optional attribute defaults are literals).
fn literal(expr: &Expression) -> Option<Value> {
    Some(match expr {
        Expression::Null => Value::Null,
        Expression::Bool(b) => Value::Bool(*b),
        Expression::Number(n) => Value::Number(n.as_f64()?),
        Expression::String(s) => Value::String(s.clone()),
        Expression::Array(items) => Value::List(items.iter().map(literal).collect::<Option<_>>()?),
        Expression::Object(o) => {
            let mut m = BTreeMap::new();
            for (k, v) in o {
                let key = match k {
                    hcl::ObjectKey::Identifier(i) => i.to_string(),
                    hcl::ObjectKey::Expression(Expression::String(s)) => s.clone(),
                    _ => return None,
                };
                m.insert(key, literal(v)?);
            }
            Value::Map(m)
        }
        Expression::Parenthesis(e) => literal(e)?,
        Expression::Operation(op) => match &**op {
            hcl::Operation::Unary(u) if u.operator == hcl::UnaryOperator::Neg => {
                Value::Number(-literal(&u.expr)?.as_f64()?)
            }
            _ => return None,
        },
        _ => return None,
    })
}

fn keyword(s: &str) -> Result<Type, String> {
    match s {
        "string" => Ok(Type::String),
        "number" => Ok(Type::Number),
        "bool" => Ok(Type::Bool),
        "any" => Ok(Type::Any),
        "list" => Ok(Type::List(Box::new(Type::Any))),
        "map" => Ok(Type::Map(Box::new(Type::Any))),
        "set" => Ok(Type::Set(Box::new(Type::Any))),
        other => Err(format!("`{other}` is not a type")),
    }
}

/// Converts a value to a type the way Terraform converts variable values; the error says what
/// did not fit, with the path inside the value.
pub fn convert(value: Value, ty: &Type) -> Result<Value, String> {
    convert_at(value, ty, "")
}

fn at(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" at {path}")
    }
}

fn convert_at(value: Value, ty: &Type, path: &str) -> Result<Value, String> {
    if matches!(value, Value::Unknown(_) | Value::Null) || *ty == Type::Any {
        return Ok(value);
    }
    match ty {
        Type::Any => Ok(value),
        Type::String => match value {
            Value::String(_) => Ok(value),
            Value::Number(_) | Value::Bool(_) => Ok(Value::String(
                value.to_string_lossless().unwrap_or_default(),
            )),
            other => Err(format!(
                "a string is required{}, found {}",
                at(path),
                other.type_name()
            )),
        },
        Type::Number => {
            match &value {
                Value::Number(_) => Ok(value),
                Value::String(s) => s.trim().parse::<f64>().map(Value::Number).map_err(|_| {
                    format!("a number is required{}, found the string {s:?}", at(path))
                }),
                other => Err(format!(
                    "a number is required{}, found {}",
                    at(path),
                    other.type_name()
                )),
            }
        }
        Type::Bool => match &value {
            Value::Bool(_) => Ok(value),
            Value::String(s) if s == "true" || s == "false" => Ok(Value::Bool(s == "true")),
            other => Err(format!(
                "a bool is required{}, found {}",
                at(path),
                describe(other)
            )),
        },
        Type::List(inner) | Type::Set(inner) => {
            let items = match value {
                Value::List(v) | Value::Set(v) => v,
                other => {
                    return Err(format!(
                        "a list is required{}, found {}",
                        at(path),
                        other.type_name()
                    ));
                }
            };
            let items = items
                .into_iter()
                .enumerate()
                .map(|(i, v)| convert_at(v, inner, &format!("{path}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if matches!(ty, Type::Set(_)) {
                Value::set(items)
            } else {
                Value::List(items)
            })
        }
        Type::Map(inner) => match value {
            Value::Map(m) => Ok(Value::Map(
                m.into_iter()
                    .map(|(k, v)| {
                        let p = format!("{path}[{k:?}]");
                        convert_at(v, inner, &p).map(|v| (k, v))
                    })
                    .collect::<Result<_, _>>()?,
            )),
            other => Err(format!(
                "a map is required{}, found {}",
                at(path),
                other.type_name()
            )),
        },
        Type::Tuple(types) => match value {
            Value::List(v) | Value::Set(v) if v.len() == types.len() => Ok(Value::List(
                v.into_iter()
                    .zip(types)
                    .enumerate()
                    .map(|(i, (v, t))| convert_at(v, t, &format!("{path}[{i}]")))
                    .collect::<Result<_, _>>()?,
            )),
            Value::List(v) | Value::Set(v) => Err(format!(
                "a tuple of {} elements is required{}, found {}",
                types.len(),
                at(path),
                v.len()
            )),
            other => Err(format!(
                "a tuple is required{}, found {}",
                at(path),
                other.type_name()
            )),
        },
        Type::Object(attrs) => {
            let Value::Map(mut m) = value else {
                return Err(format!(
                    "an object is required{}, found {}",
                    at(path),
                    value.type_name()
                ));
            };
            let mut out = BTreeMap::new();
            for (name, a) in attrs {
                let p = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                match m.remove(name) {
                    Some(Value::Null) | None if a.optional => {
                        let d = a.default.clone().unwrap_or(Value::Null);
                        out.insert(name.clone(), convert_at(d, &a.ty, &p)?);
                    }
                    Some(v) => {
                        out.insert(name.clone(), convert_at(v, &a.ty, &p)?);
                    }
                    None => return Err(format!("attribute `{p}` is required")),
                }
            }
            // Attributes the type does not declare are dropped, as Terraform does.
            Ok(Value::Map(out))
        }
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string {s:?}"),
        other => other.type_name().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(src: &str) -> Type {
        let body: hcl::Body = format!("t = {src}").parse().unwrap();
        parse(body.attributes().next().unwrap().expr()).unwrap()
    }

    fn json(v: serde_json::Value) -> Value {
        Value::from_json(&v)
    }

    #[test]
    fn primitives_convert_like_terraform() {
        assert_eq!(
            convert(json(serde_json::json!(5)), &ty("string")).unwrap(),
            Value::string("5")
        );
        assert_eq!(
            convert(Value::string("2.5"), &ty("number")).unwrap(),
            Value::Number(2.5)
        );
        assert_eq!(
            convert(Value::string("true"), &ty("bool")).unwrap(),
            Value::Bool(true)
        );
        assert!(convert(Value::string("many"), &ty("number")).is_err());
        assert!(convert(json(serde_json::json!([1])), &ty("string")).is_err());
    }

    #[test]
    fn optional_attributes_take_their_defaults() {
        let t = ty(
            "object({ name = string, size = optional(number, 1), tags = optional(map(string)) })",
        );
        let v = convert(json(serde_json::json!({"name": "a", "extra": true})), &t).unwrap();
        assert_eq!(
            v.to_json(),
            serde_json::json!({"name": "a", "size": 1, "tags": null})
        );
        let err = convert(json(serde_json::json!({"size": 2})), &t).unwrap_err();
        assert!(err.contains("`name` is required"), "{err}");
    }

    #[test]
    fn collections_sets_and_tuples() {
        let v = convert(json(serde_json::json!(["b", "a", "b"])), &ty("set(string)")).unwrap();
        assert_eq!(v, Value::Set(vec![Value::string("a"), Value::string("b")]));
        let v = convert(
            json(serde_json::json!([1, "x"])),
            &ty("tuple([string, string])"),
        )
        .unwrap();
        assert_eq!(v.to_json(), serde_json::json!(["1", "x"]));
        let err = convert(
            json(serde_json::json!({"a": [1, "z"]})),
            &ty("map(list(number))"),
        )
        .unwrap_err();
        assert!(err.contains("[\"a\"][1]"), "{err}");
        assert_eq!(ty("\"list(string)\""), Type::List(Box::new(Type::String)));
    }

    #[test]
    fn unknown_and_null_pass_through() {
        assert!(
            convert(Value::unknown("x"), &ty("number"))
                .unwrap()
                .is_unknown()
        );
        assert_eq!(convert(Value::Null, &ty("string")).unwrap(), Value::Null);
    }
}
