//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The date the tests run on, as far as waivers are concerned.
pub const TODAY: &str = "2026-11-22";

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A price cache folder that stays empty.
pub fn no_cache() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("empty-price-cache")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Runs the built binary with `args`, colour off, from the repository root.
pub fn stackgate(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_stackgate"))
        .args(args)
        .env("NO_COLOR", "1")
        // Waiver expiry depends on the date: tests run on a fixed one.
        .env("STACKGATE_TODAY", TODAY)
        // Prices come from the built-in snapshot, never from a cache on the machine.
        .env("STACKGATE_CACHE_DIR", no_cache())
        .current_dir(repo_root())
        .output()
        .expect("the stackgate binary runs");
    Output {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Runs `stackgate check DIR --format json` and returns the parsed report and exit code.
pub fn check_json(dir: &Path) -> (serde_json::Value, i32) {
    let out = stackgate(&[
        "check",
        dir.to_str().expect("utf-8 path"),
        "--format",
        "json",
    ]);
    let report = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON report ({e}):\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        )
    });
    (report, out.code)
}

/// `(code, file, line)` of every finding of a JSON report.
pub fn codes(report: &serde_json::Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// Writes files into a fresh temporary repository.
pub fn temp_repo(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
    }
    dir
}

/// Runs git in `dir` with fixed commit dates, so the repositories tests build are the same
/// every run.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2026-11-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-01T00:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
