//! `render`: the site from `SiteData`, written into a folder. Pages are rendered and written
//! in parallel; the output depends on the data only (no clock, no thread order).

use super::context::Site;
use super::data::SiteData;
use super::pages;
use super::search_index::{self, search_index};
use super::templates::{self, ASSETS};
use super::theme::Theme;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// A `site.theme` folder: a template file with the same name as an embedded one
    /// overrides it, and files in its `assets/` folder are copied (overriding `style.css`,
    /// `search.js`).
    pub theme_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SiteStats {
    /// HTML pages written.
    pub pages: usize,
    /// Bytes of every file written: pages, assets and the search index.
    pub bytes: u64,
    pub search_index_bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}", where_(template, path.as_deref(), *line))]
    Template {
        /// The template's name (`entity.html`).
        template: String,
        /// The theme file, when the template comes from the theme.
        path: Option<PathBuf>,
        line: Option<usize>,
        message: String,
    },
}

fn where_(template: &str, path: Option<&Path>, line: Option<usize>) -> String {
    match (path, line) {
        (Some(path), Some(line)) => format!("{}:{line}", path.display()),
        (Some(path), None) => path.display().to_string(),
        (None, Some(line)) => format!("template {template}, line {line}"),
        (None, None) => format!("template {template}"),
    }
}

/// Writes the site for `data` into `out` (created if missing). Files the site writes are
/// replaced; other files in `out` are left alone.
pub fn render(data: &SiteData, options: &SiteOptions, out: &Path) -> Result<SiteStats, SiteError> {
    let theme = Theme::load(options.theme_dir.as_deref())?;
    let data = pages::sanitize(data);
    let (kinds, kind_of) = pages::kinds(&data);
    let stack_pages = pages::stack_pages(&data);
    let mut targets = templates::Targets {
        projects: data.projects.iter().map(|p| p.path.clone()).collect(),
        scorecards: data.scorecards.iter().map(|s| s.id.clone()).collect(),
        ..templates::Targets::default()
    };
    for (stack, page) in data.stacks.iter().zip(&stack_pages) {
        targets
            .stack_pages
            .entry(stack.canonical.clone())
            .or_insert_with(|| page.clone());
    }
    let env = templates::environment(&theme, targets)?;
    let plan = pages::plan(&data, &kinds, &stack_pages);
    let site = Site::new(&data, kinds, kind_of, stack_pages);

    // Folders first, so parallel writers never race to create them.
    let mut dirs = BTreeSet::from([out.to_path_buf(), out.join("assets")]);
    for page in &plan {
        if let Some(parent) = file_path(out, &page.path).parent() {
            dirs.insert(parent.to_path_buf());
        }
    }
    for dir in &dirs {
        fs::create_dir_all(dir).map_err(|source| SiteError::Io {
            path: dir.clone(),
            source,
        })?;
    }

    let written: Vec<Result<u64, SiteError>> = plan
        .par_iter()
        .map(|page| {
            let html = site
                .render_page(&env, page)
                .map_err(|e| templates::template_error(&e, &theme))?;
            write(out, &page.path, html.as_bytes())
        })
        .collect();
    let mut stats = SiteStats {
        pages: plan.len(),
        ..SiteStats::default()
    };
    for result in written {
        stats.bytes += result?;
    }

    let index = search_index(&data, |i| site.stack_page(i).to_string());
    stats.search_index_bytes = write(out, search_index::FILE, index.as_bytes())?;
    stats.bytes += stats.search_index_bytes;

    for (name, text) in ASSETS {
        let bytes = theme
            .asset(name)
            .map_or(text.as_bytes(), |a| a.bytes.as_slice());
        stats.bytes += write(out, &format!("assets/{name}"), bytes)?;
    }
    for asset in &theme.assets {
        if !ASSETS.iter().any(|(name, _)| *name == asset.name) {
            stats.bytes += write(out, &format!("assets/{}", asset.name), &asset.bytes)?;
        }
    }
    Ok(stats)
}

fn file_path(out: &Path, page: &str) -> PathBuf {
    page.split('/')
        .fold(out.to_path_buf(), |p, part| p.join(part))
}

fn write(out: &Path, page: &str, bytes: &[u8]) -> Result<u64, SiteError> {
    let path = file_path(out, page);
    fs::write(&path, bytes).map_err(|source| SiteError::Io { path, source })?;
    Ok(bytes.len() as u64)
}
