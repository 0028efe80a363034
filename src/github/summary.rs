//! The runner's files: the job summary (`GITHUB_STEP_SUMMARY`, markdown appended by each step)
//! and the step outputs (`GITHUB_OUTPUT`, `name=value` or a heredoc for multi-line values).

use super::GithubError;
use std::io::Write;
use std::path::Path;

fn append(path: &Path, text: &str) -> Result<(), GithubError> {
    let io = |source| GithubError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io)?;
    f.write_all(text.as_bytes()).map_err(io)
}

/// Appends markdown to the job summary.
pub fn append_summary(path: &Path, markdown: &str) -> Result<(), GithubError> {
    append(path, markdown)
}

/// Appends step outputs.
pub fn write_outputs(path: &Path, outputs: &[(&str, String)]) -> Result<(), GithubError> {
    append(path, &outputs_text(outputs))
}

/// One `name=value` line each; a value with a line break gets a heredoc whose delimiter does
/// not occur in it.
pub fn outputs_text(outputs: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (name, value) in outputs {
        if value.contains('\n') || value.contains('\r') {
            let mut delimiter = "STACKGATE_EOF".to_string();
            let mut n = 0;
            while value.lines().any(|l| l == delimiter) {
                n += 1;
                delimiter = format!("STACKGATE_EOF_{n}");
            }
            out.push_str(&format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"));
        } else {
            out.push_str(&format!("{name}={value}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_single_and_multi_line() {
        let text = outputs_text(&[("deny", "2".into()), ("list", "a\nSTACKGATE_EOF\nb".into())]);
        assert_eq!(
            text,
            "deny=2\nlist<<STACKGATE_EOF_1\na\nSTACKGATE_EOF\nb\nSTACKGATE_EOF_1\n"
        );
    }

    #[test]
    fn appends() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("summary.md");
        append_summary(&p, "one\n").unwrap();
        append_summary(&p, "two\n").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "one\ntwo\n");
        let err = append_summary(&dir.path().join("no/such/file"), "x").unwrap_err();
        assert!(err.to_string().contains("no/such/file"), "{err}");
    }
}
