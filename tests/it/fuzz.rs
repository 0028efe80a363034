//! Mutation fuzzing of the whole pipeline: real repository files with bytes flipped, cut and
//! spliced with YAML/HCL punctuation must never make a run panic, and every format must render.
//! `PROPTEST_CASES=5000 cargo test --test it fuzz` runs longer.

use proptest::prelude::*;
use stackgate::report::{self, Format, RenderOptions};
use std::path::{Path, PathBuf};

const TOKENS: &[&str] = &[
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "<<: *a",
    "!!binary ",
    "|\n",
    ">\n",
    "'",
    "\"",
    "\n",
    "\t",
    "# ",
    "---\n",
    "...\n",
    "${",
    "($ .project $)",
    "((cred))",
    "==",
    "&&",
    "||",
    "$",
    "\u{feff}",
    "\r\n",
    "\u{0}",
    "module.",
    "=",
    "\"${var.x}\"",
    "<<EOT\n",
    "null",
    "~",
    "1e309",
    "-",
    "99999999999999999999",
];

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["examples/acme-platform", "stacks", "tests/fixtures"] {
        collect(&root.join(dir), &mut out);
    }
    out.sort();
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x == "yml" || x == "yaml" || x == "tf" || x == "json")
        {
            out.push(p);
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Delete(usize, usize),
    Insert(usize, usize),
    Flip(usize, u8),
}

fn mutate(bytes: &[u8], muts: &[Mutation]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    for m in muts {
        let len = b.len().max(1);
        match *m {
            Mutation::Truncate(at) => b.truncate(at % len),
            Mutation::Delete(at, n) => {
                let at = at % len;
                let end = (at + n % 64).min(b.len());
                if at < end {
                    b.drain(at..end);
                }
            }
            Mutation::Insert(at, t) => {
                let at = (at % len).min(b.len());
                let tok = TOKENS[t % TOKENS.len()].as_bytes();
                b.splice(at..at, tok.iter().copied());
            }
            Mutation::Flip(at, v) => {
                if !b.is_empty() {
                    let at = at % b.len();
                    b[at] = v;
                }
            }
        }
    }
    b
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, t)| Mutation::Insert(a, t)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, v)| Mutation::Flip(a, v)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_repositories_never_panic(pick in any::<usize>(), muts in prop::collection::vec(mutation(), 1..6)) {
        let files = corpus();
        prop_assume!(!files.is_empty());
        let original = &files[pick % files.len()];
        let bytes = std::fs::read(original).unwrap();
        let repo = tempfile::tempdir().unwrap();
        // The file keeps its name and role (a form stays a form) inside a minimal repository.
        let rel = original.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
        let name = rel.file_name().unwrap().to_string_lossy().into_owned();
        let target = match name.as_str() {
            ".forms.yml" | ".cycloid.yml" => repo.path().join("stacks/s").join(&name),
            n if n.ends_with(".tf") || n.ends_with(".tf.json") => repo.path().join("infra").join(n),
            "stackgate.yaml" => repo.path().join("stackgate.yaml"),
            n if rel.components().any(|c| c.as_os_str() == "policies") => repo.path().join("policies").join(n),
            n => repo.path().join("deploy").join(n),
        };
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, mutate(&bytes, &muts)).unwrap();
        let run = stackgate::check::check_dir(repo.path()).unwrap();
        for (_, format) in Format::ALL {
            let _ = report::render(&run.report, format, &RenderOptions { texts: &run.texts, color: true });
        }
    }
}
