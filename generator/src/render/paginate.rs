//! Splits long lists into pages: page 1 at the list's own path, page n at `<path>side/<n>/`.

use serde::Serialize;

use super::Urls;

#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Page links around the current one (and the first and last), for the pager's numbers.
    pub pages: Vec<PagerLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PagerLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

pub fn page_path(base: &str, number: usize) -> String {
    if number == 1 {
        base.to_string()
    } else {
        format!("{base}side/{number}/")
    }
}

/// One entry per page: its site path, its pager and the slice of items it shows.
pub fn paginate<'t, T>(
    items: &'t [T],
    per_page: usize,
    base: &str,
    urls: &Urls,
) -> Vec<(String, Pager, &'t [T])> {
    let chunks: Vec<&[T]> = if items.is_empty() {
        vec![&items[..0]]
    } else {
        items.chunks(per_page).collect()
    };
    let total = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let current = i + 1;
            let link = |n: usize| urls.page(&page_path(base, n));
            let pages = (1..=total)
                .filter(|&n| n == 1 || n == total || n.abs_diff(current) <= 2)
                .map(|n| PagerLink {
                    number: n,
                    url: link(n),
                    current: n == current,
                })
                .collect();
            let pager = Pager {
                current,
                total,
                previous: (current > 1).then(|| link(current - 1)),
                next: (current < total).then(|| link(current + 1)),
                pages,
            };
            (page_path(base, current), pager, chunk)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_and_link_to_each_other() {
        let urls = Urls::new("https://x.no/deling/").unwrap();
        let items: Vec<u32> = (0..45).collect();
        let pages = paginate(&items, 20, "emneord/a/", &urls);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].0, "emneord/a/");
        assert_eq!(pages[2].0, "emneord/a/side/3/");
        assert_eq!(pages[2].2.len(), 5);
        assert_eq!(pages[1].1.previous.as_deref(), Some("/deling/emneord/a/"));
        assert_eq!(
            pages[1].1.next.as_deref(),
            Some("/deling/emneord/a/side/3/")
        );
    }

    #[test]
    fn an_empty_list_still_has_one_page() {
        let urls = Urls::new("https://x.no/").unwrap();
        let pages = paginate::<u32>(&[], 20, "a/", &urls);
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].1.total, 1);
    }
}
