//! The price book compiled into the binary: `prices/*.txt`, read once per process.

use super::{PriceBook, book_text};
use std::sync::OnceLock;

/// The snapshot files, by name (for messages and `pricing show`).
pub const FILES: &[(&str, &str)] = &[
    ("prices/aws.txt", include_str!("../../prices/aws.txt")),
    ("prices/azure.txt", include_str!("../../prices/azure.txt")),
    ("prices/google.txt", include_str!("../../prices/google.txt")),
];

/// The built-in price book. The files are checked by a test, so a broken row cannot ship;
/// should one slip through anyway, its file is left out rather than failing the run.
pub fn book() -> &'static PriceBook {
    static BOOK: OnceLock<PriceBook> = OnceLock::new();
    BOOK.get_or_init(|| {
        let mut book = PriceBook::default();
        for (name, text) in FILES {
            let mut part = PriceBook::default();
            if book_text::parse_into(&mut part, "snapshot", text).is_ok() {
                for cloud in super::Cloud::ALL {
                    if part.count(cloud) > 0 {
                        book.replace_cloud(cloud, part.clone());
                    }
                }
            } else {
                debug_assert!(false, "{name} does not parse");
            }
        }
        book
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_snapshot_file_parses() {
        for (name, text) in FILES {
            let mut book = PriceBook::default();
            if let Err(e) = book_text::parse_into(&mut book, name, text) {
                panic!("{e}");
            }
        }
    }
}
