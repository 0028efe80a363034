//! The price kept per product and region while a sync reads its lists.

use super::{Cloud, PriceBook};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// The price kept for each product and region: where a list has several rows for one
/// product (capacity blocks and unused reservations at $0, free tiers, duplicates), the
/// smallest price above zero. A product with only $0 rows gets no price.
#[derive(Debug, Default)]
pub(crate) struct Best {
    prices: HashMap<(&'static str, String, String), (&'static str, f64)>,
}

impl Best {
    pub(crate) fn offer(
        &mut self,
        service: &'static str,
        product: String,
        unit: &'static str,
        region: &str,
        usd: f64,
    ) {
        if !(usd.is_finite() && usd > 0.0) {
            return;
        }
        match self.prices.entry((service, product, region.to_string())) {
            Entry::Occupied(mut e) => {
                if usd < e.get().1 {
                    e.insert((unit, usd));
                }
            }
            Entry::Vacant(e) => {
                e.insert((unit, usd));
            }
        }
    }

    pub(crate) fn merge(&mut self, other: Best) {
        for ((service, product, region), (unit, usd)) in other.prices {
            self.offer(service, product, unit, &region, usd);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.prices.len()
    }

    pub(crate) fn into_book(self, cloud: Cloud) -> PriceBook {
        let mut book = PriceBook::default();
        for ((service, product, region), (unit, usd)) in self.prices {
            book.insert(cloud, service, &product, unit, &region, usd);
        }
        book
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_keeps_the_smallest_price_above_zero() {
        let mut b = Best::default();
        b.offer(
            "AmazonEC2",
            "instance/linux/m5.large".into(),
            "hour",
            "us-east-1",
            0.0,
        );
        b.offer(
            "AmazonEC2",
            "instance/linux/m5.large".into(),
            "hour",
            "us-east-1",
            0.107,
        );
        b.offer(
            "AmazonEC2",
            "instance/linux/m5.large".into(),
            "hour",
            "us-east-1",
            0.096,
        );
        b.offer(
            "AmazonEC2",
            "instance/linux/m5.large".into(),
            "hour",
            "us-east-1",
            0.2,
        );
        b.offer(
            "AmazonEC2",
            "instance/linux/x.only-free".into(),
            "hour",
            "us-east-1",
            0.0,
        );
        b.offer(
            "AmazonEC2",
            "nat/hour".into(),
            "hour",
            "us-east-1",
            f64::NAN,
        );
        assert_eq!(b.len(), 1);
        let book = b.into_book(Cloud::Aws);
        let p = book
            .get(
                Cloud::Aws,
                "AmazonEC2",
                "instance/linux/m5.large",
                "us-east-1",
            )
            .unwrap();
        assert_eq!((p.usd, p.unit), (0.096, "hour"));
    }
}
