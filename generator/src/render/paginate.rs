//! Long lists in pages: page 1 at the list's own path, page n at `<path>side/<n>/`, each with a
//! pager. Which records a page shows is the page plan's to say.

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

/// The pager of page `current` (from 1) of a list of `total` pages whose first page is `base`.
pub fn pager(base: &str, current: usize, total: usize, urls: &Urls) -> Pager {
    let link = |n: usize| urls.page(&page_path(base, n));
    let pages = (1..=total)
        .filter(|&n| n == 1 || n == total || n.abs_diff(current) <= 2)
        .map(|n| PagerLink {
            number: n,
            url: link(n),
            current: n == current,
        })
        .collect();
    Pager {
        current,
        total,
        previous: (current > 1).then(|| link(current - 1)),
        next: (current < total).then(|| link(current + 1)),
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_link_to_each_other() {
        let urls = Urls::new("https://x.no/deling/").unwrap();
        assert_eq!(page_path("emneord/a/", 1), "emneord/a/");
        assert_eq!(page_path("emneord/a/", 3), "emneord/a/side/3/");
        let second = pager("emneord/a/", 2, 3, &urls);
        assert_eq!(second.previous.as_deref(), Some("/deling/emneord/a/"));
        assert_eq!(second.next.as_deref(), Some("/deling/emneord/a/side/3/"));
        let last = pager("emneord/a/", 3, 3, &urls);
        assert_eq!(last.next, None);
    }

    #[test]
    fn the_pager_numbers_the_first_the_last_and_two_either_side() {
        let urls = Urls::new("https://x.no/").unwrap();
        let numbers: Vec<usize> = pager("a/", 6, 10, &urls)
            .pages
            .iter()
            .map(|p| p.number)
            .collect();
        assert_eq!(numbers, [1, 4, 5, 6, 7, 8, 10]);
    }
}
