//! `/statistikk/`: the site's numbers as charts, each with a table of the same numbers and
//! links to the records behind them. Counting is in [`count`] (from content only, never the
//! clock), drawing in [`charts`] (SVG written here, no library, no script); this module turns
//! both into views for `statistics.html`.

mod charts;
mod count;

use anyhow::Result;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

use super::Site;
use super::register::{self, Facet};
use super::views::{DateView, LinkView};
use crate::content::RecordKind;
use crate::i18n::Lang;
use crate::norwegian::{compare, slugify};
use charts::{Bar, bar_chart, level, level_ranges};
use count::{Facts, Positions};

/// The page's site path.
pub const PATH: &str = "statistikk/";

/// One chart and the table that carries its numbers.
#[derive(Serialize)]
struct ChartView {
    /// The section's id, for the page's table of contents.
    id: &'static str,
    title: String,
    intro: String,
    /// The picture, already escaped (`None` with a tile map, or with nothing to draw).
    svg: Option<String>,
    tiles: Option<TileMap>,
    /// No numbers at all: the page says so instead of drawing an empty chart.
    empty: bool,
    /// The heading of the table's first column, and of the number columns after it.
    label_heading: String,
    columns: Vec<String>,
    rows: Vec<RowView>,
    /// The heading of a last column listing the records themselves, when there is one.
    records_heading: Option<String>,
}

#[derive(Serialize)]
struct RowView {
    label: String,
    /// The page that lists the row's records (none for a row of 0).
    url: Option<String>,
    cells: Vec<usize>,
    records: Vec<RecordLink>,
}

/// A record behind a number, with its language (a Nynorsk title on a Bokmål page says so).
#[derive(Serialize)]
struct RecordLink {
    title: String,
    url: String,
    lang: Lang,
}

/// Norway's counties as tiles, roughly where they lie.
#[derive(Serialize)]
struct TileMap {
    tiles: Vec<Tile>,
    legend: Vec<LegendEntry>,
}

#[derive(Serialize)]
struct Tile {
    name: String,
    count: usize,
    url: Option<String>,
    /// Grid row and column, and colour level, as class names (no `style` under the CSP).
    class: String,
}

#[derive(Serialize)]
struct LegendEntry {
    class: String,
    text: String,
}

/// Renders `/statistikk/`.
pub fn page(site: &Site<'_>) -> Result<Vec<u8>> {
    let facts: Vec<Facts<'_>> = site.records.iter().map(|r| Facts::of(r)).collect();
    let stats = Stats {
        site,
        facts: &facts,
    };
    let charts = vec![
        stats.by_status(),
        stats.by_ministry(),
        stats.waiting(),
        stats.per_network(),
        stats.per_county(),
        stats.solutions(),
    ];
    let contents: Vec<LinkView> = charts
        .iter()
        .map(|c| LinkView {
            name: c.title.clone(),
            url: format!("#{}", c.id),
        })
        .collect();
    let mut cx = super::pages::base_context(
        site,
        site.lang,
        stats.t("stats_title"),
        PATH,
        PATH.trim_end_matches('/'),
    );
    cx.insert("intro", stats.t("stats_intro"));
    cx.insert("charts", &charts);
    cx.insert("contents", &contents);
    site.render("statistics.html", &cx, PATH)
}

struct Stats<'s, 'f> {
    site: &'s Site<'s>,
    facts: &'f [Facts<'s>],
}

impl Stats<'_, '_> {
    fn t(&self, key: &str) -> &str {
        self.site.strings.get(self.site.lang, key)
    }

    /// A chart of one number per row: each row's first cell (a total before any breakdown).
    fn chart(&self, id: &'static str, key: &str, label_key: &str, rows: Vec<RowView>) -> ChartView {
        let bars: Vec<Bar<'_>> = rows
            .iter()
            .map(|r| Bar {
                label: &r.label,
                value: r.cells.first().copied().unwrap_or(0),
            })
            .collect();
        let svg = bar_chart(&bars);
        ChartView {
            id,
            title: self.t(key).to_string(),
            intro: self.t(&format!("{key}_intro")).to_string(),
            empty: svg.is_none(),
            svg,
            tiles: None,
            label_heading: self.t(label_key).to_string(),
            columns: vec![self.t("stats_count").to_string()],
            rows,
            records_heading: None,
        }
    }

    fn records(&self, behind: &Positions) -> Vec<RecordLink> {
        behind
            .iter()
            .map(|i| {
                let record = self.site.records[*i];
                RecordLink {
                    title: record.common.title.clone(),
                    url: self.site.urls.page(&record.path()),
                    lang: record.common.language,
                }
            })
            .collect()
    }

    /// A link to the barrier register filtered by one value.
    fn register(&self, facet: Facet, slug: &str) -> String {
        let path = register::filtered_path(RecordKind::Barrier, facet, slug);
        self.site.urls.page(&path)
    }

    /// A link to the search page with `pairs` as its filters.
    fn search(&self, pairs: &[(&str, &str)]) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in pairs {
            query.append_pair(name, value);
        }
        format!("{}?{}", self.site.urls.page("sok/"), query.finish())
    }

    fn by_status(&self) -> ChartView {
        let rows = count::by_status(self.facts)
            .into_iter()
            .map(|(term, behind)| RowView {
                label: term.label(self.site.lang).to_string(),
                url: (!behind.is_empty())
                    .then(|| self.register(Facet::Status, &slugify(term.value))),
                cells: vec![behind.len()],
                records: Vec::new(),
            })
            .collect();
        self.chart("status", "stats_by_status", "status", rows)
    }

    fn by_ministry(&self) -> ChartView {
        let ministries = &self.site.loaded.reference.ministries;
        let mut rows: Vec<RowView> = count::by_ministry(self.facts)
            .into_iter()
            .map(|(id, behind)| {
                let ministry = &ministries[id];
                RowView {
                    label: ministry.name(self.site.lang).to_string(),
                    url: Some(self.register(Facet::Ministry, id)),
                    cells: vec![behind.len()],
                    records: Vec::new(),
                }
            })
            .collect();
        largest_first(&mut rows);
        self.chart("departement", "stats_by_ministry", "stats_ministry", rows)
    }

    fn waiting(&self) -> ChartView {
        let today = self.site.content_date;
        let buckets = count::waiting(self.facts, today);
        let rows: Vec<RowView> = match &buckets {
            buckets if buckets.iter().any(|b| !b.is_empty()) => buckets
                .iter()
                .enumerate()
                .map(|(i, behind)| RowView {
                    label: self.t(&format!("stats_bucket_{i}")).to_string(),
                    url: None,
                    cells: vec![behind.len()],
                    records: self.records(behind),
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut chart = self.chart("ventetid", "stats_waiting", "stats_days", rows);
        let date = DateView::new(today, self.site.lang).text;
        chart.intro = chart.intro.replace("{date}", &date);
        chart.records_heading = Some(self.t("stats_barriers").to_string());
        chart
    }

    /// Records per group: the total (which the chart draws), then per year.
    fn yearly(
        &self,
        counts: &BTreeMap<String, BTreeMap<i32, Positions>>,
    ) -> (Vec<String>, Vec<Vec<usize>>) {
        let years = count::years(self.facts);
        let mut columns = vec![self.t("stats_total").to_string()];
        columns.extend(years.iter().map(|y| y.to_string()));
        let cells = counts
            .values()
            .map(|per_year| {
                let total: BTreeSet<usize> = per_year.values().flatten().copied().collect();
                let mut cells = vec![total.len()];
                cells.extend(years.iter().map(|y| per_year.get(y).map_or(0, Vec::len)));
                cells
            })
            .collect();
        (columns, cells)
    }

    fn per_network(&self) -> ChartView {
        let mut counts = count::per_year(self.facts, |f| f.networks.iter().cloned().collect());
        for id in self.site.loaded.networks.keys() {
            counts.entry(id.clone()).or_default();
        }
        let (columns, cells) = self.yearly(&counts);
        let mut rows: Vec<RowView> = counts
            .keys()
            .zip(cells)
            .map(|(id, cells)| {
                let link = self.site.network_link(id);
                RowView {
                    label: link.name,
                    url: Some(link.url),
                    cells,
                    records: Vec::new(),
                }
            })
            .collect();
        largest_first(&mut rows);
        let mut chart = self.chart("nettverk", "stats_per_network", "network", rows);
        chart.columns = columns;
        chart
    }

    fn per_county(&self) -> ChartView {
        let reference = &self.site.loaded.reference;
        let county_of = |f: &Facts<'_>| -> BTreeSet<String> {
            f.municipalities
                .iter()
                .map(|n| reference.municipalities[n].county.clone())
                .collect()
        };
        let mut counts = count::per_year(self.facts, county_of);
        for number in reference.counties.keys() {
            counts.entry(number.clone()).or_default();
        }
        let (columns, cells) = self.yearly(&counts);
        let mut rows: Vec<(String, RowView)> = counts
            .iter()
            .zip(cells)
            .map(|((number, per_year), cells)| {
                let row = RowView {
                    label: reference.counties[number].name.clone(),
                    url: self.county_search(number, per_year),
                    cells,
                    records: Vec::new(),
                };
                (number.clone(), row)
            })
            .collect();
        rows.sort_by(|a, b| by_size(&a.1, &b.1));
        let tiles = tile_map(self, &rows);
        let rows: Vec<RowView> = rows.into_iter().map(|(_, row)| row).collect();
        let mut chart = self.chart("fylke", "stats_per_county", "stats_county", rows);
        chart.svg = None;
        chart.tiles = Some(tiles);
        chart.columns = columns;
        chart
    }

    /// The search for the records naming a municipality in county `number`.
    fn county_search(&self, number: &str, per_year: &BTreeMap<i32, Positions>) -> Option<String> {
        let reference = &self.site.loaded.reference;
        let mut named: BTreeSet<&str> = BTreeSet::new();
        for i in per_year.values().flatten() {
            for m in self.facts[*i].municipalities {
                if reference.municipalities[m].county == number {
                    named.insert(m);
                }
            }
        }
        let pairs: Vec<(&str, &str)> = named.into_iter().map(|m| ("municipality", m)).collect();
        (!pairs.is_empty()).then(|| self.search(&pairs))
    }

    fn solutions(&self) -> ChartView {
        let used = count::solutions(self.facts);
        let mut rows: Vec<RowView> = self
            .site
            .loaded
            .reference
            .solutions
            .keys()
            .map(|id| {
                let link = self.site.solution_link(id);
                let (records, municipalities) = used
                    .get(id)
                    .map_or((0, 0), |u| (u.records.len(), u.municipalities.len()));
                RowView {
                    label: link.name,
                    url: Some(link.url),
                    cells: vec![records, municipalities],
                    records: Vec::new(),
                }
            })
            .collect();
        largest_first(&mut rows);
        let mut chart = self.chart("losninger", "stats_solutions", "stats_solution", rows);
        chart.columns = vec![
            self.t("stats_records_count").to_string(),
            self.t("stats_municipalities_count").to_string(),
        ];
        chart
    }
}

/// Largest first cell (the charted number) first, then by name.
fn by_size(a: &RowView, b: &RowView) -> std::cmp::Ordering {
    let value = |r: &RowView| r.cells.first().copied().unwrap_or(0);
    value(b)
        .cmp(&value(a))
        .then_with(|| compare(&a.label, &b.label))
}

fn largest_first(rows: &mut [RowView]) {
    rows.sort_by(by_size);
}

/// Where each county's tile goes (row, column), north at the top, four columns so names fit
/// on a phone; counties not listed (a reference file from another time) go in rows below.
const TILES: [(&str, usize, usize); 15] = [
    ("55", 0, 2),
    ("56", 0, 3),
    ("18", 1, 2),
    ("50", 2, 2),
    ("15", 3, 1),
    ("34", 3, 2),
    ("46", 4, 0),
    ("33", 4, 1),
    ("03", 4, 2),
    ("32", 4, 3),
    ("11", 5, 0),
    ("40", 5, 1),
    ("39", 5, 2),
    ("31", 5, 3),
    ("42", 6, 1),
];

fn tile_map(stats: &Stats<'_, '_>, rows: &[(String, RowView)]) -> TileMap {
    let max = rows
        .iter()
        .filter_map(|(_, r)| r.cells.first().copied())
        .max()
        .unwrap_or(0);
    let mut unplaced = 0;
    let mut tiles: Vec<(usize, usize, Tile)> = rows
        .iter()
        .map(|(number, row)| {
            let count = row.cells.first().copied().unwrap_or(0);
            let (r, c) = TILES.iter().find(|(n, _, _)| n == number).map_or_else(
                || {
                    unplaced += 1;
                    (7 + (unplaced - 1) / 4, (unplaced - 1) % 4)
                },
                |(_, r, c)| (*r, *c),
            );
            let tile = Tile {
                // «Nordland - Nordlánnda»: the tile has room for the first name.
                name: row
                    .label
                    .split(" - ")
                    .next()
                    .unwrap_or(&row.label)
                    .to_string(),
                count,
                url: row.url.clone(),
                class: format!(
                    "tilemap--r{r} tilemap--c{c} tilemap--l{}",
                    level(count, max)
                ),
            };
            (r, c, tile)
        })
        .collect();
    // Reading order: north to south, west to east.
    tiles.sort_by_key(|(r, c, _)| (*r, *c));
    let mut legend = vec![LegendEntry {
        class: "tilemap--l0".into(),
        text: stats.t("stats_legend_none").to_string(),
    }];
    legend.extend(
        level_ranges(max)
            .into_iter()
            .map(|(l, from, to)| LegendEntry {
                class: format!("tilemap--l{l}"),
                text: if from == to {
                    format!("{from}")
                } else {
                    format!("{from}–{to}")
                },
            }),
    );
    TileMap {
        tiles: tiles.into_iter().map(|(_, _, t)| t).collect(),
        legend,
    }
}
