//! SVG primitives for `/statistikk/`, written as text at build time: no chart library, no
//! script. A chart is a picture of the table beside it, which carries the numbers, names and
//! links; the SVG is therefore `aria-hidden` and holds no links, so screen readers and the
//! keyboard meet each number once, in the table.
//!
//! Bars are sized in percent of the chart's width and text in CSS pixels, so a chart fills
//! any width without shrinking its text; each bar has its label above it and its value printed
//! after it (colour never carries the number alone), and the chart grows one row per bar.

use std::fmt::Write as _;

use crate::html::escape_html;

/// One bar: its label and its value.
pub struct Bar<'a> {
    pub label: &'a str,
    pub value: usize,
}

/// Height of one bar's row: its label line, the bar, and a gap.
const ROW: usize = 46;
/// Where the label's baseline sits in its row, and where the bar starts and how tall it is.
const LABEL_Y: usize = 15;
const BAR_Y: usize = 21;
const BAR_HEIGHT: usize = 16;
/// The longest bar's share of the width, leaving room for its value after it.
const LONGEST: f64 = 85.0;

/// A horizontal bar chart of `bars`, longest bar to the largest value. `None` when there is
/// nothing to draw (no bars, or every value 0): the page then says so in words.
pub fn bar_chart(bars: &[Bar<'_>]) -> Option<String> {
    let max = bars.iter().map(|b| b.value).max().filter(|m| *m > 0)?;
    let height = bars.len() * ROW;
    let mut svg = format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" \
         height=\"{height}\" aria-hidden=\"true\" focusable=\"false\">"
    );
    for (i, bar) in bars.iter().enumerate() {
        let top = i * ROW;
        let share = bar.value as f64 / max as f64 * LONGEST;
        // A bar for 1 of 1000 is still a sliver, so no value but 0 looks like nothing.
        let width = if bar.value == 0 { 0.0 } else { share.max(0.5) };
        let _ = write!(
            svg,
            "<text class=\"chart__label\" x=\"0\" y=\"{}\">{}</text>\
             <rect class=\"chart__bar\" x=\"0\" y=\"{}\" width=\"{width:.2}%\" height=\"{BAR_HEIGHT}\"/>\
             <text class=\"chart__value\" x=\"{width:.2}%\" dx=\"6\" y=\"{}\">{}</text>",
            top + LABEL_Y,
            escape_html(bar.label),
            top + BAR_Y,
            top + BAR_Y + BAR_HEIGHT - 3,
            bar.value,
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// The colour level (0–4) of a tile with `count` records when the most any tile has is `max`:
/// 0 for none, else 1–4 by the quarter of `max` it reaches (the most is always 4).
pub fn level(count: usize, max: usize) -> usize {
    if count == 0 || max == 0 {
        0
    } else {
        (count * 4).div_ceil(max).min(4)
    }
}

/// The lowest and highest count of each level 1–4 when the most is `max`, for the legend
/// (levels no count can reach are left out).
pub fn level_ranges(max: usize) -> Vec<(usize, usize, usize)> {
    let mut ranges: Vec<(usize, usize, usize)> = Vec::new();
    for count in 1..=max {
        let l = level(count, max);
        match ranges.last_mut() {
            Some(last) if last.0 == l => last.2 = count,
            _ => ranges.push((l, count, count)),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_with_no_data_draws_nothing_instead_of_an_empty_picture() {
        assert!(bar_chart(&[]).is_none());
        let zeros = [
            Bar {
                label: "meldt",
                value: 0,
            },
            Bar {
                label: "løst",
                value: 0,
            },
        ];
        assert!(bar_chart(&zeros).is_none());
    }

    #[test]
    fn bars_are_scaled_to_the_largest_value_and_print_their_values() {
        let bars = [
            Bar {
                label: "Helse",
                value: 4,
            },
            Bar {
                label: "Skole & <barnehage>",
                value: 1,
            },
            Bar {
                label: "Ingen",
                value: 0,
            },
        ];
        let svg = bar_chart(&bars).unwrap();
        assert!(svg.contains("height=\"138\""), "three rows: {svg}");
        assert!(svg.contains("width=\"85.00%\""), "{svg}");
        assert!(svg.contains("width=\"21.25%\""), "{svg}");
        assert!(svg.contains("width=\"0.00%\""), "{svg}");
        assert!(
            svg.contains(">4</text>") && svg.contains(">1</text>") && svg.contains(">0</text>")
        );
        assert!(
            svg.contains("Skole &amp; &lt;barnehage&gt;"),
            "labels are escaped: {svg}"
        );
        assert!(svg.contains("aria-hidden=\"true\""));
    }

    #[test]
    fn tile_levels_split_the_range_in_four_and_keep_zero_apart() {
        assert_eq!(level(0, 10), 0);
        assert_eq!(level(1, 10), 1);
        assert_eq!(level(10, 10), 4);
        assert_eq!(level(1, 1), 4);
        assert_eq!(level(0, 0), 0);
        assert_eq!(
            level_ranges(8),
            vec![(1, 1, 2), (2, 3, 4), (3, 5, 6), (4, 7, 8)]
        );
        assert_eq!(level_ranges(2), vec![(2, 1, 1), (4, 2, 2)]);
        assert!(level_ranges(0).is_empty());
    }
}
