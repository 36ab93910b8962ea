//! HTML as text: escaping text into HTML, and undoing it.

/// Escapes the five characters that matter in HTML text and attributes, as search snippets are
/// escaped. Tera's default also escapes `/`, which turns every URL into `&#x2F;` soup without
/// making anything safer.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    search_index::query::escape_into(text, &mut out);
    out
}

/// Undoes the escaping of the five characters HTML escapes (see [`escape_html`]).
pub fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
