//! Horizontal bar charts of monthly cost, as inline SVG laid out here: one bar per slice,
//! largest first (the data comes sorted), the label on the left, the amount on the right.

use super::data::CostSlice;
use super::html::{escape, escape_into, num, push_truncated, usd};
use std::fmt::Write as _;

/// Bars drawn; the table under the chart lists every slice.
pub const MAX_BARS: usize = 20;
const MAX_LABEL: usize = 28;
const WIDTH: f64 = 760.0;
const LABEL_W: f64 = 210.0;
const VALUE_W: f64 = 110.0;
const ROW: f64 = 26.0;
const BAR_H: f64 = 18.0;

/// The chart of `slices` titled `title` (for screen readers); empty without slices.
pub fn bar_chart(title: &str, slices: &[CostSlice], prefix: &str) -> String {
    if slices.is_empty() {
        return String::new();
    }
    let shown = &slices[..slices.len().min(MAX_BARS)];
    let max = shown
        .iter()
        .map(|s| s.monthly_cost)
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let bar_area = WIDTH - LABEL_W - VALUE_W;
    let height = ROW * shown.len() as f64 + 4.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} "#
    );
    num(&mut svg, height);
    svg.push_str(r#"" role="img" aria-label=""#);
    escape_into(&mut svg, title);
    svg.push_str("\">\n");
    for (i, slice) in shown.iter().enumerate() {
        let y = 2.0 + ROW * i as f64;
        let cost = if slice.monthly_cost.is_finite() {
            slice.monthly_cost.max(0.0)
        } else {
            0.0
        };
        let width = if max > 0.0 {
            bar_area * cost / max
        } else {
            0.0
        };
        match &slice.page {
            Some(page) => {
                let _ = write!(svg, r#"<a href="{}{}">"#, escape(prefix), escape(page));
            }
            None => svg.push_str("<g>"),
        }
        svg.push_str("<title>");
        escape_into(&mut svg, &slice.label);
        let _ = write!(svg, ": {}</title>", usd(slice.monthly_cost));
        svg.push_str(r#"<text class="label" x=""#);
        num(&mut svg, LABEL_W - 8.0);
        svg.push_str(r#"" y=""#);
        num(&mut svg, y + 14.0);
        svg.push_str(r#"" text-anchor="end">"#);
        push_truncated(&mut svg, &slice.label, MAX_LABEL);
        svg.push_str(r#"</text><rect class="bar" x=""#);
        num(&mut svg, LABEL_W);
        svg.push_str(r#"" y=""#);
        num(&mut svg, y + (ROW - BAR_H) / 2.0 - 2.0);
        svg.push_str(r#"" width=""#);
        num(&mut svg, width.max(1.0));
        let _ = write!(svg, r#"" height="{BAR_H}"/><text class="value" x=""#);
        num(&mut svg, LABEL_W + width + 6.0);
        svg.push_str(r#"" y=""#);
        num(&mut svg, y + 14.0);
        let _ = write!(svg, r#"">{}</text>"#, usd(slice.monthly_cost));
        svg.push_str(if slice.page.is_some() {
            "</a>\n"
        } else {
            "</g>\n"
        });
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(label: &str, cost: f64, page: Option<&str>) -> CostSlice {
        CostSlice {
            label: label.into(),
            page: page.map(str::to_string),
            monthly_cost: cost,
        }
    }

    #[test]
    fn empty_without_slices() {
        assert_eq!(bar_chart("x", &[], ""), "");
    }

    #[test]
    fn bars_scale_to_the_largest() {
        let svg = bar_chart(
            "By team",
            &[
                slice("payments", 1200.0, Some("group/default/payments.html")),
                slice("unowned", 300.0, None),
            ],
            "../",
        );
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn caps_bars_and_escapes() {
        let slices: Vec<CostSlice> = (0..30)
            .map(|i| slice(&format!("<i>t{i}</i>"), 100.0 - i as f64, None))
            .collect();
        let svg = bar_chart("<x>", &slices, "");
        assert_eq!(svg.matches("class=\"bar\"").count(), MAX_BARS);
        assert!(!svg.contains("<i>") && !svg.contains("<x>"), "{svg}");
        let nan = bar_chart(
            "n",
            &[slice("a", f64::NAN, None), slice("b", 0.0, None)],
            "",
        );
        assert!(!nan.contains("NaN"), "{nan}");
    }
}
