//! A cost component: one line of a resource's bill, like Infracost's
//! ("Instance usage (Linux/UNIX, on-demand, m5.large)", 730 hours at $0.096).

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    pub name: String,
    /// What the quantity counts: `hours`, `GB`, `1M requests`.
    pub unit: String,
    /// Units a month; `None` when it depends on usage not given, or on an unknown value.
    pub monthly_quantity: Option<f64>,
    /// USD per unit after overrides; `None` when the price is not known.
    pub price: Option<f64>,
    /// The quantity is billed per hour (so an hourly cost can be shown).
    pub hourly: bool,
    /// The quantity comes from usage (the usage file), not from the configuration.
    pub usage_based: bool,
    pub note: Note,
    /// The override that changed the list price (`-12% aws (EDP)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjustment: Option<String>,
}

/// Why a component has no monthly cost, when it has none.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "detail", rename_all = "kebab-case")]
pub enum Note {
    None,
    /// Usage-priced and no usage was given: "monthly cost depends on usage: $0.045 per GB".
    NeedsUsage,
    /// The book has no price for this product in this region (the key looked up).
    PriceNotFound(String),
    /// A value that decides the price is unknown (why).
    Unknown(String),
}

impl Component {
    /// Quantity × price, when both are known.
    pub fn monthly_cost(&self) -> Option<f64> {
        Some(self.monthly_quantity? * self.price?)
    }

    /// The component with its looked-up price dropped and marked not found (why), because that
    /// price is not the one that applies (spot, zone-redundant): shown missing, never wrong.
    pub fn without_price(mut self, why: impl Into<String>) -> Component {
        if !matches!(self.note, Note::Unknown(_)) {
            self.price = None;
            self.adjustment = None;
            self.note = Note::PriceNotFound(why.into());
        }
        self
    }

    pub fn hourly_quantity(&self) -> Option<f64> {
        self.hourly
            .then_some(self.monthly_quantity? / super::HOURS_PER_MONTH)
    }
}
