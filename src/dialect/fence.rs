//! Fence info strings as Jekyll authors write them (kramdown, Rouge, R
//! Markdown, Liquid leftovers), reduced to a language and marked lines.

use std::sync::LazyLock;

use regex::Regex;

/// A parsed info string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Info {
    /// The language, if one can be told.
    pub lang: Option<String>,
    /// Lines to mark (`{1,3-4}`, `hl_lines`).
    pub marked: Vec<u32>,
    /// Part of the info string was dropped.
    pub dropped: bool,
}

static LANG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_+#.-]+$").expect("static regex"));

/// The backticks of a fence around `code`: at least three, and one more
/// than the longest run of backticks inside it, so the code cannot close
/// the fence early.
pub fn ticks_for(code: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for b in code.bytes() {
        run = if b == b'`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat((longest + 1).max(3))
}

/// Parses `lang`, `{r}`, `{r, echo=FALSE}`, `js {1,3}`, `ruby {% raw %}`,
/// `python {hl_lines=[2]}`, `{.ruby}` and the like.
pub fn parse_info(info: &str) -> Info {
    let info = info.trim();
    let mut out = Info::default();
    if info.is_empty() {
        return out;
    }
    let (head, rest) = match info.find(|c: char| c.is_whitespace() || c == '{') {
        Some(0) => ("", info),
        Some(p) => (&info[..p], info[p..].trim()),
        None => (info, ""),
    };
    let mut lang = head.to_string();
    if lang.is_empty() {
        // `{r}`, `{r, echo=FALSE}`, `{.ruby}`: the first word inside braces.
        let inner = rest.trim_start_matches('{');
        let word: String = inner
            .trim_start_matches('.')
            .chars()
            .take_while(|c| c.is_alphanumeric() || "_+#-".contains(*c))
            .collect();
        lang = word;
        out.dropped = true;
    } else if !rest.is_empty() {
        out.marked = marked_lines(rest);
        out.dropped = out.marked.is_empty();
    }
    let lang = lang.trim_start_matches('.').to_string();
    if LANG.is_match(&lang) {
        out.lang = Some(lang);
    } else if !lang.is_empty() {
        out.dropped = true;
    }
    out
}

/// Line numbers from `{1,3-5}` or `hl_lines=[1,2]` / `hl_lines="1 2"`.
pub fn marked_lines(s: &str) -> Vec<u32> {
    let inner = s.trim().trim_start_matches('{').trim_end_matches('}');
    let inner = match inner.find("hl_lines") {
        Some(p) => inner[p + 8..].trim_start_matches(['=', ' ']),
        None => inner,
    };
    let inner = inner.trim_matches(|c| c == '[' || c == ']' || c == '"' || c == '\'');
    let mut out = Vec::new();
    for part in inner.split([',', ' ']).filter(|p| !p.is_empty()) {
        let part = part.trim_matches(|c| c == '[' || c == ']' || c == '"');
        if let Some((a, b)) = part.split_once('-') {
            match (a.parse::<u32>(), b.parse::<u32>()) {
                (Ok(a), Ok(b)) if a <= b && b - a < 10_000 => out.extend(a..=b),
                _ => return Vec::new(),
            }
        } else {
            match part.parse::<u32>() {
                Ok(n) => out.push(n),
                Err(_) => return Vec::new(),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_outrun_the_code_s_backticks() {
        assert_eq!(ticks_for("plain"), "```");
        assert_eq!(ticks_for("a `b` c"), "```");
        assert_eq!(ticks_for("``` inside"), "````");
        assert_eq!(ticks_for("x ````` y `` z"), "``````");
        assert_eq!(ticks_for(""), "```");
    }

    #[test]
    fn infos_jekyll_authors_write() {
        let p = |s: &str| {
            let i = parse_info(s);
            (i.lang, i.marked)
        };
        assert_eq!(p("ruby"), (Some("ruby".into()), vec![]));
        assert_eq!(p("{r}"), (Some("r".into()), vec![]));
        assert_eq!(p("{r, echo=FALSE}"), (Some("r".into()), vec![]));
        assert_eq!(p("js {1,3}"), (Some("js".into()), vec![1, 3]));
        assert_eq!(p("js {1,3-4}"), (Some("js".into()), vec![1, 3, 4]));
        assert_eq!(p("ruby {% raw %}"), (Some("ruby".into()), vec![]));
        assert_eq!(p("{.ruby}"), (Some("ruby".into()), vec![]));
        assert_eq!(
            p("go {linenos=table hl_lines=1 2}"),
            (Some("go".into()), vec![1, 2])
        );
        assert_eq!(p("c++"), (Some("c++".into()), vec![]));
        assert_eq!(p("{{ x }}"), (None, vec![]));
    }
}
