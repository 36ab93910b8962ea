//! HTML as text: escaping text into HTML, and the plain text of rendered HTML.

/// Escapes the five characters that matter in HTML text and attributes, as search snippets are
/// escaped. Tera's default also escapes `/`, which turns every URL into `&#x2F;` soup without
/// making anything safer.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    search_index::query::escape_into(text, &mut out);
    out
}

/// Text a reader sees on the record's page, without markup.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    decode_entities(&text)
}

/// Undoes the escaping of the five characters HTML escapes (see [`escape_html`]).
pub fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
