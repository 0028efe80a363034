//! Every function, called with arbitrary small values, returns instead of panicking.

use super::*;
use proptest::prelude::*;

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![
            (-1000i32..1000).prop_map(|i| Value::Number(f64::from(i))),
            any::<f64>().prop_map(Value::Number),
            Just(Value::Number(1e300)),
            Just(Value::Number(-0.5)),
        ],
        prop_oneof![
            "[a-z0-9 ,./:%~_-]{0,12}",
            ".{0,8}",
            Just("10.0.0.0/16".to_string()),
            Just("fd00::/56".to_string()),
            Just("2018-01-02T23:12:01Z".to_string()),
            Just("%d %s %v %[2]q %-5.2f".to_string()),
            Just("a: [1, &x {b: *x}]".to_string()),
            Just("{\"a\": [1, 2]}".to_string()),
            Just("(?P<a>x)|(y)".to_string()),
            Just("YYYY-MM-DD'x".to_string()),
        ]
        .prop_map(Value::String),
        Just(Value::unknown("unknown")),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::set),
            prop::collection::btree_map("[a-z]{1,3}", inner, 0..4).prop_map(Value::Map),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn no_function_panics(args in prop::collection::vec(value(), 6)) {
        let env = Env::with(&[("a", "x = ${y}"), ("b.yaml", "a: 1")]);
        for name in super::super::names() {
            let Some((fixed, variadic)) = super::super::arity(name) else { continue };
            // The right number of arguments reaches the function body; others test arity.
            let extra = if variadic { 3 } else { 1 };
            for k in 0..=(fixed + extra).min(args.len()) {
                let _ = call(name, args.get(..k).unwrap_or(&[]).to_vec(), &env);
            }
        }
    }
}
