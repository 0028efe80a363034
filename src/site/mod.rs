//! The static catalog site: `SiteData` (what a run found, see `data`) rendered to plain
//! HTML pages that work from `file://` and from GitHub Pages, with no server, no CDN and
//! no network. `render` is the entry point; templates can be overridden by a theme folder.

pub mod assemble;
mod chart;
mod context;
pub mod data;
mod graph;
mod html;
mod markdown;
mod pages;
mod render;
mod search_index;
mod templates;
mod theme;
mod url;
mod value;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_hostile;

pub use render::{SiteError, SiteOptions, SiteStats, render};
/// The embedded templates and assets, by the names a theme overrides them with.
pub use templates::{ASSETS, TEMPLATES};
