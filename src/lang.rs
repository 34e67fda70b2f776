//! Language tags: Jekyll sites write `en_US`, `zh-Hans`, `EN`; feeds and
//! ebooks need BCP 47 (`en-US`).

/// The BCP 47 form of a Jekyll `lang`/`locale` value, or `None` when it is
/// not a plausible tag (empty, spaces, odd characters).
pub fn bcp47(lang: &str) -> Option<String> {
    let raw = lang.trim().replace('_', "-");
    if raw.is_empty() || raw.len() > 35 {
        return None;
    }
    let parts: Vec<&str> = raw.split('-').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || p.len() > 8 || !p.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        return None;
    }
    let first = parts[0];
    if !(2..=8).contains(&first.len()) || !first.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut out = Vec::with_capacity(parts.len());
    for (i, p) in parts.iter().enumerate() {
        let s = if i == 0 {
            p.to_ascii_lowercase()
        } else if p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()) {
            p.to_ascii_uppercase()
        } else if p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()) {
            let mut c = p.chars();
            let head = c.next().map(|h| h.to_ascii_uppercase()).unwrap_or('X');
            format!("{head}{}", c.as_str().to_ascii_lowercase())
        } else {
            p.to_ascii_lowercase()
        };
        out.push(s);
    }
    Some(out.join("-"))
}

#[cfg(test)]
mod tests {
    use super::bcp47;

    #[test]
    fn normalises_jekyll_locales() {
        assert_eq!(bcp47("en_US").as_deref(), Some("en-US"));
        assert_eq!(bcp47("zh-hans-cn").as_deref(), Some("zh-Hans-CN"));
        assert_eq!(bcp47("EN").as_deref(), Some("en"));
        assert_eq!(bcp47("not a tag"), None);
        assert_eq!(bcp47(""), None);
    }
}
