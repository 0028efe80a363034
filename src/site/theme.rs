//! A `site.theme` folder: a template file named like an embedded one replaces it, other
//! `*.html` files become templates the others can include, and every file in `assets/` is
//! copied to the site's `assets/` (replacing `style.css` or `search.js` when so named).

use super::render::SiteError;
use std::fs;
use std::path::{Path, PathBuf};

/// A file of the theme, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeFile {
    /// The template or asset name (the file name).
    pub name: String,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Theme {
    /// `*.html` files at the top of the theme folder, sorted by name.
    pub templates: Vec<ThemeFile>,
    /// Files in `assets/`, sorted by name.
    pub assets: Vec<ThemeFile>,
}

impl Theme {
    /// Reads the theme folder; no folder, no theme.
    pub fn load(dir: Option<&Path>) -> Result<Theme, SiteError> {
        let Some(dir) = dir else {
            return Ok(Theme::default());
        };
        let templates = files(dir)?
            .into_iter()
            .filter(|f| f.name.ends_with(".html"))
            .collect();
        let assets_dir = dir.join("assets");
        let assets = if assets_dir.is_dir() {
            files(&assets_dir)?
        } else {
            Vec::new()
        };
        Ok(Theme { templates, assets })
    }

    pub fn asset(&self, name: &str) -> Option<&ThemeFile> {
        self.assets.iter().find(|a| a.name == name)
    }
}

/// The regular files directly in `dir`, sorted by name; names that are not UTF-8 or start
/// with a dot are skipped.
fn files(dir: &Path) -> Result<Vec<ThemeFile>, SiteError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SiteError::Io { path, source }
    };
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if name.starts_with('.') || !path.is_file() {
            continue;
        }
        let bytes = fs::read(&path).map_err(io(&path))?;
        out.push(ThemeFile { name, path, bytes });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_templates_and_assets() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("index.html"), "hi").unwrap();
        fs::write(dir.path().join("notes.txt"), "x").unwrap();
        fs::write(dir.path().join(".hidden.html"), "x").unwrap();
        fs::create_dir(dir.path().join("assets")).unwrap();
        fs::write(dir.path().join("assets/logo.svg"), "<svg/>").unwrap();
        fs::write(dir.path().join("assets/style.css"), "body{}").unwrap();
        let theme = Theme::load(Some(dir.path())).unwrap();
        let names = |f: &[ThemeFile]| f.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&theme.templates), ["index.html"]);
        assert_eq!(names(&theme.assets), ["logo.svg", "style.css"]);
        assert_eq!(
            theme.asset("style.css").map(|a| a.bytes.as_slice()),
            Some(&b"body{}"[..])
        );
        assert_eq!(Theme::load(None).unwrap(), Theme::default());
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let err = Theme::load(Some(&missing)).unwrap_err();
        assert!(err.to_string().contains("nope"), "{err}");
    }
}
