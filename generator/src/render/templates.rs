//! Loads tera templates from the theme, letting a site's own `templates/` folder override any
//! theme file of the same name (as Zola does), so a site can change one page without forking
//! the theme.

use anyhow::{Context, Result};
use memchr::memmem;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;

pub fn load(theme_dir: &Path, override_dir: &Path) -> Result<Tera> {
    let mut files: BTreeMap<String, PathBuf> = BTreeMap::new();
    for dir in [theme_dir, override_dir] {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.with_context(|| format!("kunne ikke lese {}", dir.display()))?;
            if entry.file_type().is_file() {
                let name = entry
                    .path()
                    .strip_prefix(dir)
                    .expect("walked below dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(name, entry.path().to_path_buf());
            }
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(crate::html::escape_html);
    tera.add_template_files(
        files
            .iter()
            .map(|(name, path)| (path.clone(), Some(name.clone()))),
    )
    .map_err(|e| anyhow::anyhow!(describe(&e)))
    .with_context(|| format!("malene i {} kunne ikke leses", theme_dir.display()))?;
    Ok(tera)
}

/// Tera's errors nest their cause; templates are edited by people who need the whole chain.
pub fn describe(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Drops the indentation at the start of each line of an HTML page, and blank lines: the
/// templates' own layout, a tenth of a list page's bytes. Inside `<pre>` and `<textarea>`
/// white space is content and stays; everywhere else a browser shows a run of white space as
/// one space, and a line break is kept wherever there was one, so the page reads the same.
/// Bytes in, bytes out, as tera writes a page: only ASCII spaces, tabs and line ends are looked
/// at or dropped, so UTF-8 stays UTF-8, and the page is never checked as a string (1 % of a
/// build).
pub fn strip_indentation(html: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len());
    let mut rest = html;
    loop {
        let verbatim = [("<pre", "</pre>"), ("<textarea", "</textarea>")]
            .into_iter()
            .filter_map(|(open, close)| Some((find_tag(rest, open)?, close)))
            .min();
        let Some((start, close)) = verbatim else {
            strip_lines(rest, &mut out);
            return out;
        };
        strip_lines(&rest[..start], &mut out);
        let end = memmem::find(&rest[start..], close.as_bytes())
            .map_or(rest.len(), |at| start + at + close.len());
        out.extend_from_slice(&rest[start..end]);
        rest = &rest[end..];
    }
}

/// Where the element `open` (`<pre`) starts in `html`, if anywhere.
fn find_tag(html: &[u8], open: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = memmem::find(&html[from..], open.as_bytes()) {
        let at = from + at;
        let next = html.get(at + open.len());
        if next.is_none_or(|c| *c == b'>' || c.is_ascii_whitespace()) {
            return Some(at);
        }
        from = at + open.len();
    }
    None
}

/// `text` with each line after the first started at its first character, and blank lines
/// dropped (a trailing one kept, so what follows is still apart).
fn strip_lines(text: &[u8], out: &mut Vec<u8>) {
    // Line ends found with memchr's SIMD search: `split('\n')` took half of the time here.
    let mut ends = memchr::memchr_iter(b'\n', text).chain([text.len()]);
    let first = ends.next().unwrap_or(text.len());
    out.extend_from_slice(&text[..first]);
    let mut from = first + 1;
    let mut blank = false;
    for end in ends {
        let line = &text[from..end];
        let line = &line[line
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count()..];
        from = end + 1;
        if line.is_empty() {
            blank = true;
        } else {
            out.push(b'\n');
            out.extend_from_slice(line);
            blank = false;
        }
    }
    if blank {
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    fn strip_indentation(page: &str) -> String {
        String::from_utf8(super::strip_indentation(page.as_bytes())).unwrap()
    }

    #[test]
    fn indentation_goes_but_preformatted_text_and_line_breaks_stay() {
        let page = "<ul>\n  <li>a</li>\n\n    <li>b <em>c</em>\n      d</li>\n</ul>\n<pre><code>  x\n    y\n</code></pre> <p>\n  e</p>\n<textarea name=t>\n  f</textarea>\n  ";
        assert_eq!(
            strip_indentation(page),
            "<ul>\n<li>a</li>\n<li>b <em>c</em>\nd</li>\n</ul>\n<pre><code>  x\n    y\n</code></pre> <p>\ne</p>\n<textarea name=t>\n  f</textarea>\n"
        );
        assert_eq!(strip_indentation("<preview>\n  a"), "<preview>\na");
    }
}
