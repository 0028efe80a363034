//! Writing a sync's prices to the cache (`cache.rs`). A file is one or more blocks (`@cloud`,
//! `@as-of`, `@source`, `@regions`, rows), one per sync whose prices it still holds: syncing
//! some regions or services keeps the other prices of the previous file, under their own
//! date.

use super::book_text::{self, BookError};
use super::cache::{date_of, files};
use super::sync::SyncError;
use super::{Cloud, PriceBook, snapshot};
use std::collections::HashSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The prices of one sync: its date, source and rows.
#[derive(Debug, Clone)]
pub struct Block {
    pub as_of: String,
    pub source: String,
    pub book: PriceBook,
}

/// A book text cut into blocks, one per section (a change of `@cloud`, `@as-of` or `@source`
/// after rows), each read on its own so that it keeps its date and source. Blocks of other
/// clouds are left out.
pub(crate) fn read_blocks(text: &str, origin: &str, cloud: Cloud) -> Result<Vec<Block>, BookError> {
    let mut chunks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut rows = false;
    // The directives in force, repeated at the top of each chunk.
    let mut context: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if let Some(directive) = t.strip_prefix('@') {
            let name = directive
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string();
            if rows && matches!(name.as_str(), "cloud" | "as-of" | "source") {
                chunks.push(std::mem::take(&mut current));
                rows = false;
                for (n, l) in &context {
                    if *n != name {
                        current.push_str(l);
                        current.push('\n');
                    }
                }
            }
            context.retain(|(n, _)| *n != name);
            context.push((name, t.to_string()));
        } else if !t.is_empty() && !t.starts_with('#') {
            rows = true;
        }
        current.push_str(line);
        current.push('\n');
    }
    chunks.push(current);
    let mut blocks = Vec::new();
    for chunk in chunks {
        let mut book = PriceBook::default();
        book_text::parse_into(&mut book, origin, &chunk)?;
        let section = book.sections.iter().find(|s| s.cloud == cloud).cloned();
        if let Some(section) = section.filter(|_| book.count(cloud) > 0) {
            blocks.push(Block {
                as_of: section.as_of,
                source: section.source,
                book,
            });
        }
    }
    Ok(blocks)
}

/// The built-in snapshot's blocks of `cloud`: what a first sync keeps of the prices it does
/// not read again.
pub(crate) fn snapshot_blocks(cloud: Cloud) -> Vec<Block> {
    snapshot::FILES
        .iter()
        .filter_map(|(name, text)| read_blocks(text, name, cloud).ok())
        .flatten()
        .collect()
}

/// The prices of `book` for `cloud` whose (service, region) is not in `covered` and that are
/// not in `seen` yet (which they are added to).
fn without(
    book: &PriceBook,
    cloud: Cloud,
    covered: &HashSet<(String, String)>,
    seen: &mut HashSet<(String, String, String)>,
) -> PriceBook {
    let mut out = PriceBook::default();
    for (service, product, unit, region, usd) in book.rows(cloud) {
        let fresh = !covered.contains(&(service.to_string(), region.to_string()))
            && seen.insert((service.into(), product.into(), region.into()));
        if fresh {
            out.insert(cloud, service, product, unit, region, usd);
        }
    }
    out
}

/// Writes `fresh` as the cloud's newest cache file, keeping the prices of the previous file
/// (or, with no readable one, of `fallback`: the snapshot's) for the (service, region) pairs
/// the sync did not cover, since the file will replace all of the cloud's built-in prices.
/// Returns the file and how many prices were kept; a previous file that does not parse is a
/// warning and is not merged.
pub(crate) fn store(
    dir: &Path,
    cloud: Cloud,
    fresh: Block,
    covered: &HashSet<(String, String)>,
    fallback: Vec<Block>,
    warnings: &mut Vec<String>,
) -> Result<(PathBuf, usize), SyncError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SyncError::Io { path, source }
    };
    fs::create_dir_all(dir).map_err(io(dir))?;
    let mut name_date = file_date(&fresh.as_of);
    let mut previous: Option<Vec<Block>> = None;
    for path in files(dir, cloud, warnings) {
        let origin = path.display().to_string();
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                warnings.push(format!("{origin}: {e}; not merged"));
                continue;
            }
        };
        match read_blocks(&text, &origin, cloud) {
            Ok(blocks) => {
                previous = Some(blocks);
                // Never older than the file merged, so the merged file is the newest one.
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if let Some(d) = date_of(name, cloud).filter(|d| *d > name_date.as_str()) {
                    name_date = d.to_string();
                }
                break;
            }
            Err(e) => warnings.push(format!("{e}; not merged")),
        }
    }
    let mut kept = 0;
    let mut seen = HashSet::new();
    let mut older = Vec::new();
    // A later block's price wins on reading: keep each price once, from the last block.
    for b in previous.unwrap_or(fallback).into_iter().rev() {
        let rest = without(&b.book, cloud, covered, &mut seen);
        let n = rest.count(cloud);
        if n > 0 {
            kept += n;
            older.push(Block { book: rest, ..b });
        }
    }
    older.reverse();
    let mut blocks = vec![fresh];
    blocks.extend(older);
    let text: Vec<String> = blocks
        .iter()
        .filter(|b| b.book.count(cloud) > 0)
        .map(|b| book_text::write(&b.book, cloud, &b.as_of, &b.source))
        .collect();
    let path = dir.join(format!("{cloud}-{name_date}.txt"));
    write_atomic(&path, &text.join("\n")).map_err(io(&path))?;
    Ok((path, kept))
}

/// A date made safe for a file name.
fn file_date(as_of: &str) -> String {
    let d: String = as_of
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if d.is_empty() { "undated".into() } else { d }
}

/// Writes a temporary file beside `path` and renames it over `path`, so a reader never sees
/// half a file and an interrupted sync leaves the previous one.
fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("prices");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::cache::load_cached;

    fn block(as_of: &str, rows: &[(&str, &str, &str, f64)]) -> Block {
        let mut book = PriceBook::default();
        for (service, product, region, usd) in rows {
            book.insert(Cloud::Aws, service, product, "hour", region, *usd);
        }
        Block {
            as_of: as_of.into(),
            source: "AWS Price List (bulk offer files)".into(),
            book,
        }
    }

    fn covered(pairs: &[(&str, &str)]) -> HashSet<(String, String)> {
        pairs
            .iter()
            .map(|(s, r)| (s.to_string(), r.to_string()))
            .collect()
    }

    #[test]
    fn a_partial_sync_keeps_the_other_regions_and_services_of_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut warnings = Vec::new();
        let first = block(
            "2026-07-01",
            &[
                ("AmazonEC2", "instance/linux/m5.large", "us-east-1", 0.096),
                ("AmazonEC2", "instance/linux/m5.large", "eu-west-1", 0.107),
                ("AmazonEKS", "cluster/hour", "us-east-1", 0.1),
            ],
        );
        let all = covered(&[
            ("AmazonEC2", "us-east-1"),
            ("AmazonEC2", "eu-west-1"),
            ("AmazonEKS", "us-east-1"),
        ]);
        let (path, kept) = store(d, Cloud::Aws, first, &all, Vec::new(), &mut warnings).unwrap();
        assert!(path.ends_with("aws-2026-07-01.txt"));
        assert_eq!(kept, 0);

        // EC2 in us-east-1 again, at a new price.
        let second = block(
            "2026-07-29",
            &[("AmazonEC2", "instance/linux/m5.large", "us-east-1", 0.095)],
        );
        let ec2_use1 = covered(&[("AmazonEC2", "us-east-1")]);
        let (path, kept) =
            store(d, Cloud::Aws, second, &ec2_use1, Vec::new(), &mut warnings).unwrap();
        assert!(path.ends_with("aws-2026-07-29.txt"));
        assert_eq!(kept, 2);
        assert!(warnings.is_empty(), "{warnings:?}");

        let (found, warnings) = load_cached(d);
        assert!(warnings.is_empty(), "{warnings:?}");
        let book = &found[0].book;
        let usd = |product: &str, region: &str| {
            let service = if product.starts_with("cluster") {
                "AmazonEKS"
            } else {
                "AmazonEC2"
            };
            book.get(Cloud::Aws, service, product, region)
                .map(|p| p.usd)
        };
        assert_eq!(usd("instance/linux/m5.large", "us-east-1"), Some(0.095));
        assert_eq!(usd("instance/linux/m5.large", "eu-west-1"), Some(0.107));
        assert_eq!(usd("cluster/hour", "us-east-1"), Some(0.1));
        let mut dates: Vec<&str> = book.sections.iter().map(|s| s.as_of.as_str()).collect();
        dates.sort_unstable();
        assert_eq!(dates, ["2026-07-01", "2026-07-29"]);
        assert!(
            book.describe().contains("2026-07-01 to 2026-07-29"),
            "{}",
            book.describe()
        );
        // Nothing but the two cache files: the temporary file was renamed.
        let mut names: Vec<String> = fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["aws-2026-07-01.txt", "aws-2026-07-29.txt"]);
    }

    #[test]
    fn a_corrupt_previous_file_is_not_merged_and_an_older_date_does_not_lose() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("aws-2026-09-01.txt"), "@cloud nowhere\n").unwrap();
        let mut warnings = Vec::new();
        let fresh = block(
            "2026-07-29",
            &[("AmazonEKS", "cluster/hour", "us-east-1", 0.1)],
        );
        let (path, kept) = store(
            d,
            Cloud::Aws,
            fresh,
            &HashSet::new(),
            Vec::new(),
            &mut warnings,
        )
        .unwrap();
        assert_eq!(kept, 0);
        assert!(path.ends_with("aws-2026-07-29.txt"));
        assert!(warnings[0].contains("unknown cloud"), "{warnings:?}");
        // The corrupt newer file is passed over on reading.
        let (found, _) = load_cached(d);
        assert_eq!(found[0].path, path);

        let newer = block(
            "2026-09-02",
            &[("AmazonEKS", "cluster/hour", "eu-west-1", 0.1)],
        );
        let (path, kept) = store(
            d,
            Cloud::Aws,
            newer,
            &HashSet::new(),
            Vec::new(),
            &mut warnings,
        )
        .unwrap();
        assert!(path.ends_with("aws-2026-09-02.txt"));
        assert_eq!(kept, 1);
        let older = block(
            "2026-07-01",
            &[("AmazonEKS", "cluster/hour", "us-west-2", 0.1)],
        );
        let (path, kept) = store(
            d,
            Cloud::Aws,
            older,
            &HashSet::new(),
            Vec::new(),
            &mut warnings,
        )
        .unwrap();
        assert!(path.ends_with("aws-2026-09-02.txt"), "{}", path.display());
        assert_eq!(kept, 2);
        assert_eq!(file_date("2026/07/29"), "2026-07-29");
    }

    #[test]
    fn blocks_keep_their_section_and_a_first_sync_keeps_the_fallback() {
        let text = "# c\n@cloud aws\n@as-of 2025-03-02\n@source A\n@regions us-east-1 eu-west-1\n\
                    AmazonEC2 instance/linux/m5.large hour 0.096 0.107\n@as-of 2026-07-20\n@source B\n\
                    @regions global\nAmazonRoute53 zone/hosted zone-month 0.5\n\
                    @cloud azure\n@regions eastus\nStorage managed-disk/p10 disk-month 19.71\n";
        let aws = read_blocks(text, "t", Cloud::Aws).unwrap();
        let got: Vec<_> = aws
            .iter()
            .map(|b| {
                (
                    b.as_of.as_str(),
                    b.source.as_str(),
                    b.book.count(Cloud::Aws),
                )
            })
            .collect();
        assert_eq!(got, [("2025-03-02", "A", 2), ("2026-07-20", "B", 1)]);
        let azure = read_blocks(text, "t", Cloud::Azure).unwrap();
        assert_eq!(azure.len(), 1);
        assert_eq!(
            (azure[0].as_of.as_str(), azure[0].source.as_str()),
            ("2026-07-20", "B")
        );

        let dir = tempfile::tempdir().unwrap();
        let fresh = block(
            "2026-07-29",
            &[("AmazonEC2", "instance/linux/m5.large", "us-east-1", 0.095)],
        );
        let mut warnings = Vec::new();
        let cov = covered(&[("AmazonEC2", "us-east-1")]);
        let (_, kept) = store(dir.path(), Cloud::Aws, fresh, &cov, aws, &mut warnings).unwrap();
        assert_eq!(kept, 2);
        let (found, _) = load_cached(dir.path());
        let rows = found[0].book.rows(Cloud::Aws);
        assert_eq!(
            rows,
            [
                (
                    "AmazonEC2",
                    "instance/linux/m5.large",
                    "hour",
                    "eu-west-1",
                    0.107
                ),
                (
                    "AmazonEC2",
                    "instance/linux/m5.large",
                    "hour",
                    "us-east-1",
                    0.095
                ),
                ("AmazonRoute53", "zone/hosted", "zone-month", "global", 0.5),
            ]
        );
        assert_eq!(found[0].book.sections.len(), 3);
    }

    #[test]
    fn the_snapshot_read_block_by_block_is_the_snapshot() {
        for cloud in Cloud::ALL {
            let mut rebuilt = PriceBook::default();
            for b in snapshot_blocks(cloud) {
                for (service, product, unit, region, usd) in b.book.rows(cloud) {
                    rebuilt.insert(cloud, service, product, unit, region, usd);
                }
            }
            assert_eq!(rebuilt.rows(cloud), snapshot::book().rows(cloud), "{cloud}");
        }
    }
}
