//! Shell sessions (`console`, `terminal`), as rouge 3.x's console lexer
//! reads them, line by line: a line with a prompt (up to the first `$`,
//! `#`, `>` or `;`) is the prompt, then a command in the shell language; a
//! `...` line is a snip (a comment); any other line is output.

use super::engine::{Sub, Tok};

/// The tokens of a session; `shell` tokenises the commands.
pub fn tokens<'s>(src: &'s str, shell: Sub) -> Vec<(Tok, &'s str)> {
    let mut out: Vec<(Tok, &'s str)> = Vec::new();
    let mut push = |t: Tok, text: &'s str| {
        if text.is_empty() {
            return;
        }
        if let Some((last, prev)) = out.last_mut() {
            let prev_end = prev.as_ptr() as usize + prev.len();
            if *last == t && prev_end == text.as_ptr() as usize {
                let start = prev.as_ptr() as usize - src.as_ptr() as usize;
                *prev = &src[start..start + prev.len() + text.len()];
                return;
            }
        }
        out.push((t, text));
    };
    for line in src.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let trimmed = body.trim();
        let snip = !trimmed.is_empty()
            && (trimmed.chars().all(|c| c == '.')
                || (trimmed.starts_with('<')
                    && trimmed.ends_with('>')
                    && trimmed.len() > 2
                    && trimmed[1..trimmed.len() - 1].chars().all(|c| c == '.')));
        if snip {
            push("Comment", line);
        } else if let Some(end) = body.find(['$', '#', '>', ';']) {
            let (prompt, rest) = line.split_at(end + 1);
            push("Generic.Prompt", prompt);
            let command = rest.trim_start_matches([' ', '\t', '\r', '\x0B', '\x0C']);
            push("Text.Whitespace", &rest[..rest.len() - command.len()]);
            match shell("shell", command) {
                Some(toks) => toks.into_iter().for_each(|(t, s)| push(t, s)),
                None => push("Text", command),
            }
        } else {
            push("Generic.Output", line);
        }
    }
    out
}
