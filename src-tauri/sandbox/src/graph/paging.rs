//! Server-driven paging (https://learn.microsoft.com/graph/paging): a collection answers one
//! page and `@odata.nextLink`, the absolute URL of the next, with an opaque `$skiptoken`.

use std::collections::HashMap;

use serde_json::{json, Value};

/// The page of `items` that `query`'s `$skiptoken` asks for (`page_size` 0: all of them),
/// with `@odata.nextLink` (under `next_base`, the collection's own URL) when more follow.
pub(super) fn page(
    context: String,
    items: Vec<Value>,
    page_size: usize,
    query: &HashMap<String, String>,
    next_base: &str,
) -> Value {
    let start = query
        .get("$skiptoken")
        .and_then(|t| t.parse::<usize>().ok())
        .unwrap_or(0)
        .min(items.len());
    let size = if page_size == 0 {
        items.len()
    } else {
        page_size
    };
    let end = start.saturating_add(size).min(items.len());
    let mut body = json!({
        "@odata.context": context,
        "value": items[start..end].to_vec(),
    });
    if end < items.len() {
        body["@odata.nextLink"] = json!(format!("{next_base}?$skiptoken={end}"));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_the_skiptoken_to_the_end() {
        let items: Vec<Value> = (0..5).map(|i| json!(i)).collect();
        let mut query = HashMap::new();
        let first = page("c".into(), items.clone(), 2, &query, "http://x/m");
        assert_eq!(first["value"], json!([0, 1]));
        assert_eq!(first["@odata.nextLink"], json!("http://x/m?$skiptoken=2"));
        query.insert("$skiptoken".to_owned(), "4".to_owned());
        let last = page("c".into(), items.clone(), 2, &query, "http://x/m");
        assert_eq!(last["value"], json!([4]));
        assert!(last.get("@odata.nextLink").is_none());
        let all = page("c".into(), items, 0, &HashMap::new(), "http://x/m");
        assert_eq!(all["value"].as_array().map(Vec::len), Some(5));
    }
}
