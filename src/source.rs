//! Turning bytes into text: binary files, BOMs, UTF-16 and invalid UTF-8 become findings with
//! a line, never a crash.

use crate::finding::Finding;
use std::sync::Arc;

/// The text of every file a run read, kept for snippets in the human report.
pub type Texts = std::collections::BTreeMap<String, Arc<str>>;

/// Decodes a file's bytes as UTF-8 text. CRLF line ends are kept (lines still count by `\n`);
/// a UTF-8 BOM is dropped.
pub fn decode(path: &str, bytes: &[u8]) -> Result<Arc<str>, Box<Finding>> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Box::new(
            Finding::new(
                "parse-error",
                path,
                1,
                "file is UTF-16 encoded; save it as UTF-8",
            )
            .help("re-save the file as UTF-8 (without BOM)"),
        ));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Some(at) = bytes.iter().take(8192).position(|&b| b == 0) {
        return Err(Box::new(Finding::new(
            "parse-error",
            path,
            line_at(bytes, at),
            "binary content (a NUL byte) in a file expected to be text",
        )));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Arc::from(s)),
        Err(e) => Err(Box::new(Finding::new(
            "parse-error",
            path,
            line_at(bytes, e.valid_up_to()),
            format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        ))),
    }
}

/// The 1-based line of a byte offset.
pub fn line_at(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The 1-based line of a byte offset in text.
pub fn line_of(text: &str, offset: usize) -> usize {
    line_at(text.as_bytes(), offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(&*decode("a", b"\xEF\xBB\xBFx: 1\r\n").unwrap(), "x: 1\r\n");
        let f = decode("a", b"a: 1\nb: \x00\n").unwrap_err();
        assert_eq!(f.line, 2);
        let f = decode("a", b"a: 1\n\nb: \xC3\x28\n").unwrap_err();
        assert_eq!(f.line, 3);
        assert!(decode("a", b"\xFF\xFEa\x00").is_err());
    }
}
