//! The local price cache `stackgate pricing sync` fills: one file per cloud and list date
//! (`aws-2026-07-29.txt`) in the book text format, under `$STACKGATE_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/stackgate/prices`, else `$HOME/.cache/stackgate/prices`.
//!
//! The newest readable file of a cloud wins; a file that does not parse is a warning and the
//! next older one is tried. Writing a sync's prices, block by block, is `cache_store.rs`.

use super::book_text;
use super::{Cloud, PriceBook, snapshot};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

// Kept under its former path.
pub use super::cache_store::Block;

/// Overrides the cache directory.
pub const CACHE_DIR_ENV: &str = "STACKGATE_CACHE_DIR";

/// The cache directory from the environment; `None` when not even `HOME` is set.
pub fn default_cache_dir() -> Option<PathBuf> {
    cache_dir_from(|name| std::env::var_os(name))
}

/// `default_cache_dir` with the environment given (for tests and embedding).
pub fn cache_dir_from(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let set = |name: &str| var(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = set(CACHE_DIR_ENV) {
        return Some(dir);
    }
    // The XDG spec: a relative XDG_CACHE_HOME is invalid and is ignored.
    if let Some(xdg) = set("XDG_CACHE_HOME").filter(|p| p.is_absolute()) {
        return Some(xdg.join("stackgate").join("prices"));
    }
    set("HOME").map(|home| home.join(".cache").join("stackgate").join("prices"))
}

/// One cloud's prices read from the cache.
#[derive(Debug, Clone)]
pub struct CachedBook {
    pub cloud: Cloud,
    pub path: PathBuf,
    pub book: PriceBook,
}

/// The newest readable cache file of each cloud, and a warning for each file passed over.
/// A missing directory is an empty cache, not a warning.
pub fn load_cached(dir: &Path) -> (Vec<CachedBook>, Vec<String>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    for cloud in Cloud::ALL {
        for path in files(dir, cloud, &mut warnings) {
            match read(&path, cloud) {
                Ok(book) => {
                    found.push(CachedBook { cloud, path, book });
                    break;
                }
                Err(why) => warnings.push(format!("{why}; cache file ignored")),
            }
        }
    }
    (found, warnings)
}

/// The price book to estimate with: the built-in snapshot, with each cloud found in the
/// cache (`cache_dir`, or `default_cache_dir()`) replacing the snapshot's prices of that
/// cloud. The notes are the cache's warnings; `PriceBook::describe` says what was used.
pub fn price_book(cache_dir: Option<&Path>) -> (PriceBook, Vec<String>) {
    let mut book = snapshot::book().clone();
    let dir = match cache_dir {
        Some(d) => Some(d.to_path_buf()),
        None => default_cache_dir(),
    };
    let Some(dir) = dir else {
        return (book, Vec::new());
    };
    let (cached, notes) = load_cached(&dir);
    for c in cached {
        book.replace_cloud(c.cloud, c.book);
    }
    (book, notes)
}

/// `<cloud>-*.txt` in `dir`, newest (greatest date in the name) first.
pub(super) fn files(dir: &Path, cloud: Cloud, warnings: &mut Vec<String>) -> Vec<PathBuf> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            warnings.push(format!("{}: {e}; price cache not read", dir.display()));
            return Vec::new();
        }
    };
    let mut named: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            date_of(&name, cloud)?;
            Some((name, e.path()))
        })
        .collect();
    named.sort_by(|a, b| b.0.cmp(&a.0));
    named.into_iter().map(|(_, p)| p).collect()
}

/// `2026-07-29` from `aws-2026-07-29.txt`.
pub(super) fn date_of(name: &str, cloud: Cloud) -> Option<&str> {
    let date = name
        .strip_prefix(cloud.name())?
        .strip_prefix('-')?
        .strip_suffix(".txt")?;
    (!date.is_empty()).then_some(date)
}

/// A cache file's prices of `cloud`, or why it cannot be used.
fn read(path: &Path, cloud: Cloud) -> Result<PriceBook, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut book = PriceBook::default();
    book_text::parse_into(&mut book, &path.display().to_string(), &text)
        .map_err(|e| e.to_string())?;
    if book.count(cloud) == 0 {
        return Err(format!("{}: no {cloud} price in it", path.display()));
    }
    Ok(book)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_directory_comes_from_the_environment() {
        fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| OsString::from(v))
            }
        }
        let all = [
            (CACHE_DIR_ENV, "/c"),
            ("XDG_CACHE_HOME", "/x"),
            ("HOME", "/h"),
        ];
        assert_eq!(cache_dir_from(env(&all)), Some(PathBuf::from("/c")));
        let xdg = [
            (CACHE_DIR_ENV, ""),
            ("XDG_CACHE_HOME", "/x"),
            ("HOME", "/h"),
        ];
        assert_eq!(
            cache_dir_from(env(&xdg)),
            Some(PathBuf::from("/x/stackgate/prices"))
        );
        let relative = [("XDG_CACHE_HOME", "rel"), ("HOME", "/h")];
        assert_eq!(
            cache_dir_from(env(&relative)),
            Some(PathBuf::from("/h/.cache/stackgate/prices"))
        );
        assert_eq!(cache_dir_from(env(&[])), None);
    }

    #[test]
    fn newest_file_wins_and_a_corrupt_one_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let write = |name: &str, usd: f64, as_of: &str| {
            let mut book = PriceBook::default();
            book.insert(
                Cloud::Aws,
                "AmazonEC2",
                "instance/linux/m5.large",
                "hour",
                "us-east-1",
                usd,
            );
            let text = book_text::write(&book, Cloud::Aws, as_of, "AWS Price List");
            fs::write(d.join(name), text).unwrap();
        };
        write("aws-2026-06-01.txt", 0.1, "2026-06-01");
        write("aws-2026-07-29.txt", 0.096, "2026-07-29");
        fs::write(
            d.join("aws-2026-08-01.txt"),
            "@cloud aws\n@regions a\nAmazonEC2 x hour 1 2\n",
        )
        .unwrap();
        fs::write(d.join("notes.txt"), "not a cache file").unwrap();
        let (found, warnings) = load_cached(d);
        assert_eq!(found.len(), 1);
        assert!(found[0].path.ends_with("aws-2026-07-29.txt"));
        let p = found[0]
            .book
            .get(
                Cloud::Aws,
                "AmazonEC2",
                "instance/linux/m5.large",
                "us-east-1",
            )
            .unwrap();
        assert_eq!(p.usd, 0.096);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("aws-2026-08-01.txt:3"), "{warnings:?}");

        let (book, notes) = price_book(Some(d));
        assert_eq!(notes, warnings);
        assert_eq!(
            book.get(
                Cloud::Aws,
                "AmazonEC2",
                "instance/linux/m5.large",
                "us-east-1"
            )
            .map(|p| p.usd),
            Some(0.096)
        );
        assert!(
            book.describe().contains("aws 2026-07-29 (cache)"),
            "{}",
            book.describe()
        );

        let (found, warnings) = load_cached(&d.join("missing"));
        assert!(found.is_empty() && warnings.is_empty());
    }
}
