//! Keeps long runs of plain text away from the `liquid` crate's parser.
//!
//! That parser is a PEG grammar that tries to match a tag or an output
//! opener at every character of plain text, which made parsing about half
//! of a whole conversion. Plain text at the top level of a template (not
//! inside any block) is printed once, as it is, in order, whatever the
//! template does; so each such run can be swapped for a short marker before
//! parsing and put back into the output afterwards.
//!
//! The swap is checked, never trusted: if the markers do not come back
//! exactly once each and in order (a value that forges one, `{% break %}`
//! outside a loop), or the shortened template does not parse, the caller
//! renders the full text instead, so the output is what it would have been.

/// Opens a marker: `RUN_OPEN`, the run's index in decimal, `RUN_CLOSE`.
pub(crate) const RUN_OPEN: char = '\u{E030}';
/// Closes a marker.
pub(crate) const RUN_CLOSE: char = '\u{E031}';

/// Blocks (tags with an end tag) of the Liquid language the engine builds;
/// text inside them may be printed never, many times, or into a variable.
const BLOCKS: &[&str] = &[
    "if",
    "unless",
    "ifchanged",
    "for",
    "tablerow",
    "comment",
    "capture",
    "case",
    "highlight",
    "raw",
];

/// Runs shorter than this stay in the template: a marker would save
/// nothing.
const MIN_RUN: usize = 16;

/// A template with its top-level text runs swapped for markers.
pub(crate) struct Compressed<'a> {
    /// The template to parse.
    pub text: String,
    runs: Vec<&'a str>,
}

/// Swaps top-level text runs of `template` for markers; `None` when there
/// is nothing worth swapping or the template's tags do not balance (the
/// full parse then reports what is wrong).
pub(crate) fn compress(template: &str) -> Option<Compressed<'_>> {
    let mut text = String::with_capacity(template.len() / 4 + 64);
    let mut runs = Vec::new();
    let mut depth = 0usize;
    let mut pos = 0;
    while pos < template.len() {
        let rest = &template[pos..];
        let Some(rel) = next_opener(rest) else {
            swap(&mut text, &mut runs, rest, depth);
            break;
        };
        swap(&mut text, &mut runs, &rest[..rel], depth);
        let start = pos + rel;
        let is_tag = template[start..].starts_with("{%");
        let close = if is_tag { "%}" } else { "}}" };
        let end = start + 2 + template[start + 2..].find(close)? + 2;
        text.push_str(&template[start..end]);
        pos = end;
        if !is_tag {
            continue;
        }
        let name = tag_name(&template[start + 2..end - 2]);
        if name == "raw" {
            // Its body is not Liquid: copied as it is, up to `endraw`.
            let body_end = find_tag(template, end, "endraw")?;
            text.push_str(&template[end..body_end]);
            pos = body_end;
            depth += 1;
        } else if BLOCKS.contains(&name) {
            depth += 1;
        } else if let Some(block) = name.strip_prefix("end") {
            if BLOCKS.contains(&block) {
                depth = depth.checked_sub(1)?;
            }
        }
    }
    (depth == 0 && !runs.is_empty()).then_some(Compressed { text, runs })
}

/// Puts the runs back into `rendered`, the output of the compressed
/// template; `None` unless every marker appears once, in order.
pub(crate) fn restore(rendered: &str, compressed: &Compressed<'_>) -> Option<String> {
    let extra: usize = compressed.runs.iter().map(|r| r.len()).sum();
    let mut out = String::with_capacity(rendered.len() + extra);
    let mut next = 0usize;
    let mut rest = rendered;
    while let Some(open) = rest.find(RUN_OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open + RUN_OPEN.len_utf8()..];
        let close = after.find(RUN_CLOSE)?;
        let index: usize = after[..close].parse().ok()?;
        if index != next {
            return None;
        }
        out.push_str(compressed.runs.get(index)?);
        next += 1;
        rest = &after[close + RUN_CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    (next == compressed.runs.len()).then_some(out)
}

/// Appends `run` to `text`: at the top level, its middle as a marker. The
/// spaces and line ends at either end stay, since a `{%-` or `-}}` beside
/// them trims them.
fn swap<'a>(text: &mut String, runs: &mut Vec<&'a str>, run: &'a str, depth: usize) {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let core = run.trim_matches(is_space);
    if depth > 0 || core.len() < MIN_RUN {
        text.push_str(run);
        return;
    }
    let lead = run.len() - run.trim_start_matches(is_space).len();
    text.push_str(&run[..lead]);
    text.push(RUN_OPEN);
    text.push_str(&runs.len().to_string());
    text.push(RUN_CLOSE);
    text.push_str(&run[lead + core.len()..]);
    runs.push(core);
}

/// Byte offset of the next `{{` or `{%`.
fn next_opener(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s.get(from..).and_then(|r| r.find('{')) {
        let at = from + i;
        if matches!(b.get(at + 1), Some(b'{' | b'%')) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The name of the tag whose inner text (between `{%` and `%}`) is `inner`.
fn tag_name(inner: &str) -> &str {
    inner
        .trim_matches(|c: char| c == '-' || c.is_whitespace())
        .split_whitespace()
        .next()
        .unwrap_or("")
}

/// The start of the first `{% name %}` at or after `from`.
fn find_tag(s: &str, from: usize, name: &str) -> Option<usize> {
    let mut pos = from;
    while let Some(rel) = s.get(pos..).and_then(|r| r.find("{%")) {
        let start = pos + rel;
        let end = start + 2 + s[start + 2..].find("%}")?;
        if tag_name(&s[start + 2..end]) == name {
            return Some(start);
        }
        pos = start + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str = "a long run of plain text";

    #[test]
    fn swaps_only_top_level_runs_and_restores_them() {
        let t = format!("{LONG}\n{{% if x %}}{LONG}{{% endif %}} {LONG} \n{{{{- y }}}}{LONG}");
        let c = compress(&t).expect("compressed");
        assert_eq!(c.runs, vec![LONG, LONG, LONG]);
        assert!(c.text.contains(&format!("{{% if x %}}{LONG}{{% endif %}}")));
        assert!(c.text.contains(" \n{{- y }}"), "spaces before a trim stay");
        let rendered = "\u{E030}0\u{E031}\nX \u{E030}1\u{E031} \nY\u{E030}2\u{E031}";
        assert_eq!(
            restore(rendered, &c).as_deref(),
            Some(format!("{LONG}\nX {LONG} \nY{LONG}").as_str())
        );
    }

    #[test]
    fn raw_bodies_and_nested_blocks_are_left_alone() {
        let t = format!("{{% raw %}}{{% if %}}{LONG}{{% endraw %}}{LONG}{{% for a in b %}}{{% if c %}}{LONG}{{% endif %}}{LONG}{{% endfor %}}");
        let c = compress(&t).expect("compressed");
        assert_eq!(c.runs.len(), 1);
        assert_eq!(c.text.matches(LONG).count(), 3);
    }

    #[test]
    fn refuses_unbalanced_or_unclosed_templates() {
        assert!(compress(&format!("{LONG}{{% endif %}}")).is_none());
        assert!(compress(&format!("{LONG}{{% if x %}}")).is_none());
        assert!(compress(&format!("{LONG}{{{{ x ")).is_none());
        assert!(compress("short").is_none());
    }

    #[test]
    fn a_missing_repeated_or_forged_marker_is_refused() {
        let t = format!("{LONG}{{{{ x }}}}{LONG}");
        let c = compress(&t).expect("compressed");
        for bad in [
            "\u{E030}0\u{E031}",
            "\u{E030}1\u{E031}\u{E030}0\u{E031}",
            "\u{E030}0\u{E031}\u{E030}0\u{E031}\u{E030}1\u{E031}",
            "\u{E030}0\u{E031}\u{E030}x\u{E031}\u{E030}1\u{E031}",
            "\u{E030}0\u{E031}\u{E030}1",
        ] {
            assert_eq!(restore(bad, &c), None, "{bad:?}");
        }
    }
}
