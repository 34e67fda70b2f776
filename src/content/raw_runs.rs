//! Keeps long runs of plain text away from the `liquid` crate's parser.
//!
//! That parser is a PEG grammar that tries to match a tag or an output
//! opener at every character of plain text, which made parsing about half
//! of a whole conversion. Plain text at the top level of a template (not
//! inside any block), and the body of a top-level `{% highlight %}` or
//! `{% raw %}`, is used once, as it is, whatever the template does; so each
//! such run can be swapped for a short marker before parsing and put back
//! afterwards, into the output or the code and literal nodes.
//!
//! The swap is checked, never trusted: if the markers do not come back
//! exactly once each (a value that forges one, `{% break %}` outside a
//! loop, a marker copied into two places), or the shortened template does
//! not parse, the caller renders the full text instead, so the output is
//! what it would have been.

use super::parse_cache::Item;
use super::sanitize::tag_name;
use super::Node;
use crate::find::Needle;

/// Opens a marker: `RUN_OPEN`, the run's index in decimal, `RUN_CLOSE`.
/// ASCII control characters, not private-use ones: the `liquid` crate
/// mixes up byte and character columns when it reports an error, and
/// panicked on a line of three-byte markers (found by the content fuzz
/// target). The author's own are written as character references first.
pub(crate) const RUN_OPEN: char = '\u{1}';
/// Closes a marker.
pub(crate) const RUN_CLOSE: char = '\u{2}';

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

/// The ends of a tag and of an output.
static TAG_CLOSE: Needle = Needle::new("%}");
static OUTPUT_CLOSE: Needle = Needle::new("}}");

/// A template with its top-level text runs swapped for markers.
pub(crate) struct Compressed<'a> {
    /// The template to parse.
    pub text: String,
    runs: Vec<&'a str>,
    /// `text` cut into top-level text and Liquid items, each of which
    /// parses on its own as it does in place; `None` when a top-level tag
    /// trims the text beside it (`{%-`, `-}}`), which only the whole
    /// template's parse does.
    pub items: Option<Vec<Item>>,
}

/// Swaps top-level text runs of `template` for markers; `None` when there
/// is nothing worth swapping or the template's tags do not balance (the
/// full parse then reports what is wrong).
pub(crate) fn compress(template: &str) -> Option<Compressed<'_>> {
    let mut text = String::with_capacity(template.len() / 4 + 64);
    let mut runs = Vec::new();
    // Open blocks, innermost last.
    let mut open: Vec<&str> = Vec::new();
    let mut items = Some(Vec::new());
    // Where in `text` the last top-level item ended, and where the one
    // being read began.
    let mut item_end = 0usize;
    let mut item_start = 0usize;
    let mut pos = 0;
    while pos < template.len() {
        let used_once = matches!(open.as_slice(), [] | ["highlight"]);
        let rest = &template[pos..];
        let Some(rel) = next_opener(rest) else {
            swap(&mut text, &mut runs, rest, used_once);
            break;
        };
        swap(&mut text, &mut runs, &rest[..rel], used_once);
        let start = pos + rel;
        let is_tag = template[start..].starts_with("{%");
        let close = if is_tag { &TAG_CLOSE } else { &OUTPUT_CLOSE };
        let end = start + 2 + close.find(&template[start + 2..])? + 2;
        let top = open.is_empty();
        if top {
            item_start = text.len();
        }
        let trims = template[start + 2..].starts_with('-') || template[..end - 2].ends_with('-');
        text.push_str(&template[start..end]);
        pos = end;
        if !is_tag {
            if top {
                end_item(&mut items, &mut item_end, item_start, text.len(), trims);
            }
            continue;
        }
        let name = tag_name(&template[start + 2..end - 2]);
        if name == "raw" {
            // Its body is not Liquid: kept whole (or swapped whole), up to
            // `endraw`.
            let body_end = find_tag(template, end, "endraw")?;
            swap(
                &mut text,
                &mut runs,
                &template[end..body_end],
                open.is_empty(),
            );
            pos = body_end;
            open.push("raw");
        } else if BLOCKS.contains(&name) {
            open.push(name);
        } else if let Some(block) = name.strip_prefix("end") {
            if BLOCKS.contains(&block) {
                open.pop()?;
            }
        }
        // Back at the top level: a plain tag, or the end tag of a top-level
        // block, closes an item. Its opening and closing tags are the ones
        // whose trimming reaches text outside it.
        if open.is_empty() {
            end_item(&mut items, &mut item_end, item_start, text.len(), trims);
        } else if top && trims {
            items = None;
        }
    }
    if let Some(list) = items.as_mut() {
        if item_end < text.len() {
            list.push(Item::Text(item_end..text.len()));
        }
    }
    (open.is_empty() && !runs.is_empty()).then_some(Compressed { text, runs, items })
}

/// Records a top-level Liquid item `start..end` of the text (and the text
/// before it); a trimming tag at its edge gives up on items altogether.
fn end_item(
    items: &mut Option<Vec<Item>>,
    item_end: &mut usize,
    start: usize,
    end: usize,
    trims: bool,
) {
    if trims {
        *items = None;
    }
    if let Some(list) = items.as_mut() {
        if *item_end < start {
            list.push(Item::Text(*item_end..start));
        }
        list.push(Item::Liquid(start..end));
    }
    *item_end = end;
}

/// Puts the runs back into `rendered`, the output of the compressed
/// template, and into the text of `nodes`; `None` unless every marker
/// appears exactly once in all of them.
pub(crate) fn restore(
    rendered: &str,
    nodes: &mut [Node],
    compressed: &Compressed<'_>,
) -> Option<String> {
    let mut seen = vec![false; compressed.runs.len()];
    // Room for every run at once: the output is mostly runs.
    let runs: usize = compressed.runs.iter().map(|r| r.len()).sum();
    let text = put_back(rendered, compressed, &mut seen, runs)?;
    for node in nodes.iter_mut() {
        if let Node::Code { code: t, .. } | Node::Literal { text: t } = node {
            if t.contains(RUN_OPEN) {
                *t = put_back(t, compressed, &mut seen, 256)?;
            }
        }
    }
    seen.iter().all(|s| *s).then_some(text)
}

/// `s` with each marker replaced by its run, marking it seen; `None` on a
/// malformed marker, one seen before, or one out of order (within one
/// text, runs come in the order they were written).
fn put_back(
    s: &str,
    compressed: &Compressed<'_>,
    seen: &mut [bool],
    room: usize,
) -> Option<String> {
    let mut out = String::with_capacity(s.len() + room);
    let mut rest = s;
    let mut next = 0usize;
    while let Some(open) = crate::find::find_char(rest, RUN_OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open + RUN_OPEN.len_utf8()..];
        let close = after.find(RUN_CLOSE)?;
        let index: usize = after[..close].parse().ok()?;
        let slot = seen.get_mut(index)?;
        if *slot || index < next {
            return None;
        }
        next = index + 1;
        *slot = true;
        out.push_str(compressed.runs.get(index)?);
        rest = &after[close + RUN_CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    Some(out)
}

/// Appends `run` to `text`: at the top level, its middle as a marker. The
/// spaces and line ends at either end stay, since a `{%-` or `-}}` beside
/// them trims them.
fn swap<'a>(text: &mut String, runs: &mut Vec<&'a str>, run: &'a str, used_once: bool) {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let core = run.trim_matches(is_space);
    if !used_once || core.len() < MIN_RUN {
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
    while let Some(i) = s.get(from..).and_then(|r| crate::find::find_char(r, '{')) {
        let at = from + i;
        if matches!(b.get(at + 1), Some(b'{' | b'%')) {
            return Some(at);
        }
        from = at + 1;
    }
    None
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
        let rendered = "\u{1}0\u{2}\nX \u{1}1\u{2} \nY\u{1}2\u{2}";
        assert_eq!(
            restore(rendered, &mut [], &c).as_deref(),
            Some(format!("{LONG}\nX {LONG} \nY{LONG}").as_str())
        );
    }

    #[test]
    fn nested_blocks_are_left_alone_and_code_bodies_restored_into_nodes() {
        let t = format!("{{% raw %}}{{% if %}}{LONG}{{% endraw %}}{LONG}{{% for a in b %}}{{% if c %}}{LONG}{{% endif %}}{LONG}{{% endfor %}}{{% highlight r %}}\n{LONG}\n{{% endhighlight %}}");
        let c = compress(&t).expect("compressed");
        let raw_body = format!("{{% if %}}{LONG}");
        assert_eq!(c.runs, vec![raw_body.as_str(), LONG, LONG]);
        assert_eq!(c.text.matches(LONG).count(), 2, "{}", c.text);
        let mut nodes = vec![
            Node::Literal {
                text: "\u{1}0\u{2}".into(),
            },
            Node::Code {
                lang: None,
                linenos: false,
                marked: Vec::new(),
                code: "\u{1}2\u{2}".into(),
                line: 1,
            },
        ];
        let out = restore("a\u{1}1\u{2}b", &mut nodes, &c);
        assert_eq!(out.as_deref(), Some(format!("a{LONG}b").as_str()));
        assert!(matches!(&nodes[0], Node::Literal { text } if *text == raw_body));
        assert!(matches!(&nodes[1], Node::Code { code, .. } if code == LONG));
    }

    #[test]
    fn items_cut_the_text_at_top_level_tags_and_whole_blocks() {
        let t = format!("{LONG}{{{{ a }}}}x{{% if b %}}{{{{ c }}}}{LONG}{{% endif %}}{{% raw %}}{LONG}{{% endraw %}}{LONG}");
        let c = compress(&t).expect("compressed");
        let items = c.items.as_ref().expect("items");
        let pieces: Vec<(&str, bool)> = items
            .iter()
            .map(|i| match i {
                Item::Text(r) => (&c.text[r.clone()], false),
                Item::Liquid(r) => (&c.text[r.clone()], true),
            })
            .collect();
        assert_eq!(
            pieces,
            vec![
                ("\u{1}0\u{2}", false),
                ("{{ a }}", true),
                ("x", false),
                (
                    format!("{{% if b %}}{{{{ c }}}}{LONG}{{% endif %}}").as_str(),
                    true
                ),
                ("{% raw %}\u{1}1\u{2}{% endraw %}", true),
                ("\u{1}2\u{2}", false),
            ]
        );
    }

    #[test]
    fn a_trimming_tag_at_the_top_level_gives_no_items() {
        for t in [
            format!("{LONG}{{{{- a }}}}"),
            format!("{LONG}{{% if a -%}}x{{% endif %}}"),
            format!("{LONG}{{% if a %}}x{{% endif -%}} y"),
        ] {
            let c = compress(&t).expect("compressed");
            assert!(c.items.is_none(), "{t}");
        }
        // Inside a block, trimming stays inside the block's own parse.
        let inner = format!("{LONG}{{% if a %}} {{{{- b -}}}} {{% endif %}}");
        let c = compress(&inner).expect("compressed");
        assert!(c.items.is_some());
    }

    #[test]
    fn blocks_are_the_engines_blocks() {
        // A block the engine knows but this list lacks would have its body
        // taken for top-level text, and cut into items wrongly.
        let lang = super::super::engine::language();
        let mut registered: Vec<&str> = lang.blocks.plugin_names().collect();
        registered.sort_unstable();
        let mut ours = BLOCKS.to_vec();
        ours.sort_unstable();
        assert_eq!(registered, ours);
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
            "\u{1}0\u{2}",
            "\u{1}1\u{2}\u{1}0\u{2}",
            "\u{1}0\u{2}\u{1}0\u{2}\u{1}1\u{2}",
            "\u{1}0\u{2}\u{1}x\u{2}\u{1}1\u{2}",
            "\u{1}0\u{2}\u{1}1",
        ] {
            assert_eq!(restore(bad, &mut [], &c), None, "{bad:?}");
        }
    }
}
