//! (family not written yet)

use super::Cx;
use super::families::Estimate;

pub const TYPES: &[&str] = &[];

pub fn estimate(_cx: &Cx) -> Estimate {
    Estimate::default()
}
