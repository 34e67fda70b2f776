//! Liquid source made safe for the `liquid` crate's parser, which panics on
//! some input that Ruby's Liquid reads (both found by fuzzing):
//!
//! - inside `{% comment %}`, it parses every tag and ignores their errors,
//!   and a block that runs to the end of the text (`{% raw %}` with no
//!   `{% endraw %}` inside the comment) leaves it reading past the end;
//! - an integer literal past 64 bits (`{{ 99999999999999999999 }}`) fails
//!   a parse the grammar promised would succeed.
//!
//! So comment bodies are emptied (their line ends kept, so lines still
//! match the source) and oversized integers become strings, which print the
//! same digits as Ruby's big integers do. Tags are found as Ruby's Liquid
//! finds them: a tag runs from `{%` to the first `%}`.

use std::borrow::Cow;

use crate::find::{Needle, LIQUID_TAG_OPEN};

/// What a `{% comment %}` holds.
static COMMENT: Needle = Needle::new("comment");

/// `text` with comment bodies emptied and oversized integers quoted;
/// borrowed when there was nothing to change.
pub(crate) fn prepare(text: &str) -> Cow<'_, str> {
    if !COMMENT.is_in(text) && !has_long_digit_run(text) {
        return Cow::Borrowed(text);
    }
    let emptied = empty_comments(text);
    match quote_big_integers(&emptied) {
        Cow::Borrowed(_) => emptied,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// The name of the tag whose inner text (between `{%` and `%}`) is `inner`.
pub(crate) fn tag_name(inner: &str) -> &str {
    inner
        .trim_matches(|c: char| c == '-' || c.is_whitespace())
        .split_whitespace()
        .next()
        .unwrap_or("")
}

/// Every tag: (start of `{%`, end just past `%}`, name).
fn tags(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(i) = text.get(pos..).and_then(|r| LIQUID_TAG_OPEN.find(r)) {
        let start = pos + i;
        let Some(len) = text[start + 2..].find("%}") else {
            break;
        };
        let end = start + 2 + len + 2;
        out.push((start, end, tag_name(&text[start + 2..start + 2 + len])));
        pos = end;
    }
    out
}

/// Empties the body of every (possibly nested) `{% comment %}` block, and
/// of an unclosed one up to the end, keeping its line ends.
fn empty_comments(text: &str) -> Cow<'_, str> {
    let all = tags(text);
    let mut cuts: Vec<(usize, usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(&(_, open_end, name)) = all.get(i) {
        i += 1;
        if name == "raw" {
            // Raw text is not Liquid: a comment tag in it is text.
            match all.iter().skip(i).position(|t| t.2 == "endraw") {
                Some(k) => i += k + 1,
                None => break,
            }
            continue;
        }
        if name != "comment" {
            continue;
        }
        let mut depth = 1;
        let mut close = (text.len(), text.len());
        while let Some(&(start, end, inner)) = all.get(i) {
            i += 1;
            match inner {
                "comment" => depth += 1,
                "endcomment" => {
                    depth -= 1;
                    if depth == 0 {
                        close = (start, end);
                        break;
                    }
                }
                _ => {}
            }
        }
        cuts.push((open_end, close.0, close.1));
    }
    if cuts.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (from, to, close_end) in cuts {
        out.push_str(&text[pos..from]);
        out.extend(text[from..to].chars().filter(|c| *c == '\n'));
        // The closing tag's markup is ignored (`{% endcomment junk %}` ends
        // the comment in Ruby's Liquid); the crate, given the junk, reads
        // on past the end of the text and panics. So it gets a bare tag.
        let tag = &text[to..close_end];
        let bare = tag
            .trim_start_matches("{%")
            .trim_end_matches("%}")
            .trim_matches(|c: char| c == '-' || c.is_whitespace())
            == "endcomment";
        if bare {
            out.push_str(tag);
        } else if close_end > to {
            let open = if tag.starts_with("{%-") { "{%-" } else { "{%" };
            let shut = if tag.ends_with("-%}") { "-%}" } else { "%}" };
            out.push_str(open);
            out.push_str(" endcomment ");
            out.push_str(shut);
            out.extend(tag.chars().filter(|c| *c == '\n'));
        }
        pos = close_end;
    }
    out.push_str(&text[pos..]);
    Cow::Owned(out)
}

/// True when `text` has 19 or more digits in a row (the shortest integer
/// that can pass `i64::MAX`).
fn has_long_digit_run(text: &str) -> bool {
    const RUN: usize = 19;
    // Any RUN bytes in a row cover exactly one index that is RUN - 1 more
    // than a multiple of RUN: only those are looked at, and a run is
    // measured around them.
    let b = text.as_bytes();
    let digit = |c: &&u8| c.is_ascii_digit();
    let mut k = RUN - 1;
    while k < b.len() {
        if b[k].is_ascii_digit() {
            let left = b[..k].iter().rev().take_while(digit).count();
            let right = b[k + 1..].iter().take_while(digit).count();
            if left + 1 + right >= RUN {
                return true;
            }
        }
        k += RUN;
    }
    false
}

/// Quotes integer literals that do not fit in an `i64` inside `{{ }}` and
/// `{% %}` markup (outside quoted strings).
fn quote_big_integers(text: &str) -> Cow<'_, str> {
    if !has_long_digit_run(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut pos = 0;
    while let Some(i) = text.get(pos..).and_then(|r| r.find('{')) {
        let start = pos + i;
        let close = match text.as_bytes().get(start + 1) {
            Some(b'%') => "%}",
            Some(b'{') => "}}",
            _ => {
                out.push_str(&text[pos..=start]);
                pos = start + 1;
                continue;
            }
        };
        let Some(len) = text[start + 2..].find(close) else {
            // An opener never closed is text to Liquid's grammar, which
            // goes on to the tags after it: so must this.
            out.push_str(&text[pos..start + 2]);
            pos = start + 2;
            continue;
        };
        let end = start + 2 + len;
        out.push_str(&text[pos..start + 2]);
        out.push_str(&quote_in_markup(&text[start + 2..end]));
        pos = end;
    }
    out.push_str(&text[pos..]);
    Cow::Owned(out)
}

/// One tag's or output's markup with oversized integers quoted.
fn quote_in_markup(markup: &str) -> String {
    let b = markup.as_bytes();
    let mut out = String::with_capacity(markup.len() + 4);
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while let Some(&c) = b.get(i) {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else if c == b'"' || c == b'\'' {
            quote = Some(c);
        } else if c.is_ascii_digit() || (c == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            // Part of a name (`a99…`) or the fraction of a float (`1.99…`).
            let prev = i.checked_sub(1).and_then(|k| b.get(k));
            let prev2 = i.checked_sub(2).and_then(|k| b.get(k));
            let in_word = prev.is_some_and(|p| p.is_ascii_alphanumeric() || *p == b'_')
                || (prev == Some(&b'.') && prev2.is_some_and(u8::is_ascii_digit));
            let mut j = i + 1;
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            // The whole part of a float (`99….5`) parses as a float.
            let float = b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit);
            let literal = &markup[i..j];
            if !in_word && !float && literal.parse::<i64>().is_err() {
                out.push('"');
                out.push_str(literal);
                out.push('"');
                i = j;
                continue;
            }
            out.push_str(literal);
            i = j;
            continue;
        }
        // Copy one whole character.
        let ch_len = markup[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&markup[i..i + ch_len]);
        i += ch_len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::prepare;

    #[test]
    fn long_digit_runs_are_found_wherever_they_lie() {
        // Against the plain definition: 19 digits in a row, at every offset
        // and with runs just too short around them.
        let plain = |t: &str| {
            t.as_bytes()
                .split(|b| !b.is_ascii_digit())
                .any(|run| run.len() >= 19)
        };
        for pre in 0..40 {
            for len in [0, 1, 17, 18, 19, 20, 38, 40] {
                for post in [0, 1, 5, 19] {
                    let t = format!("{}{}{}", "x".repeat(pre), "7".repeat(len), "y".repeat(post));
                    assert_eq!(super::has_long_digit_run(&t), plain(&t), "{t}");
                }
                let two = format!("{}1{}", "2".repeat(pre % 19), "3".repeat(len));
                assert_eq!(super::has_long_digit_run(&two), plain(&two), "{two}");
            }
        }
    }

    #[test]
    fn comment_bodies_are_emptied_keeping_lines() {
        assert_eq!(
            prepare("a{% comment %}x\n{% raw %}\ny{% endcomment %}b"),
            "a{% comment %}\n\n{% endcomment %}b"
        );
        assert_eq!(
            prepare("{%comment%}{%comment%}x{%endcomment%}{%if%}{%endcomment%}z"),
            "{%comment%}{%endcomment%}z"
        );
        assert_eq!(prepare("{%comment%}{%if p%}\n"), "{%comment%}\n");
        // Junk after `endcomment` is dropped: the crate would read past the
        // end of the text on it (found by the content fuzz target).
        assert_eq!(
            prepare("{%comment%}{%endcomment {%if m%}{%endcomment%}"),
            "{%comment%}{% endcomment %}{%endcomment%}"
        );
        assert_eq!(
            prepare("{%- comment -%}x{%- endcomment\n junk -%}"),
            "{%- comment -%}{%- endcomment -%}\n"
        );
        assert_eq!(
            prepare("{% raw %}{% comment %}{% endraw %}x"),
            "{% raw %}{% comment %}{% endraw %}x"
        );
    }

    #[test]
    fn big_integers_become_strings() {
        assert_eq!(
            prepare("{{ 99999999999999999999 }} {% if -99999999999999999999 > x %}"),
            "{{ \"99999999999999999999\" }} {% if \"-99999999999999999999\" > x %}"
        );
        assert_eq!(
            prepare("{%if 22222222222222222222m%}{% for i in (1..99999999999999999999) %}"),
            "{%if \"22222222222222222222\"m%}{% for i in (1..\"99999999999999999999\") %}"
        );
        // After an opener that never closes (Liquid reads it as text and
        // parses the tags after it; found by the content fuzz target).
        assert_eq!(
            prepare("{{ a {%if 22222222222222222222m%}"),
            "{{ a {%if \"22222222222222222222\"m%}"
        );
        // Not in text, quotes, names or floats; not when they fit.
        let kept = "12345678901234567890 {{ '99999999999999999999' | a99999999999999999999 }} \
                    {{ 1.99999999999999999999 }} {{ 9223372036854775807 }}";
        assert_eq!(prepare(kept), kept);
    }
}
