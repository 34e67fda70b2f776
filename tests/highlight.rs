//! Code highlighting judged against Jekyll's own output: the token spans
//! rouge wrote in the corpus sites' `NAME.site/` pages, compared with the
//! spans in our HTML for the same code block (class and text of every
//! token), and the EPUB with highlighted code checked by EPUBCheck.
//!
//! Expected tokens are read from Jekyll's pages at test time; nothing here
//! is produced by the code under test.

mod common;

use std::collections::{BTreeMap, HashMap};

use jekyll_migrate::converters::{epub, ConvertOptions};
use regex::Regex;

/// One token as rouge's HTML formatter writes it: its class (empty for
/// text outside any span) and its text, entities decoded.
type Token = (String, String);

/// A highlighted code block: its language and its tokens.
#[derive(Debug, Clone)]
struct Block {
    lang: String,
    tokens: Vec<Token>,
}

impl Block {
    /// The code, as the tokens spell it.
    fn code(&self) -> String {
        self.tokens.iter().map(|(_, t)| t.as_str()).collect()
    }

    fn has_spans(&self) -> bool {
        self.tokens.iter().any(|(c, _)| !c.is_empty())
    }
}

fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The tokens of a code body: `<span class="x">text</span>` runs and the
/// text between them; `hll` (marked line) wrappers are not tokens.
fn tokens_of(body: &str) -> Vec<Token> {
    let tag = Regex::new(r#"<span class="([^"]*)">|</span>"#).expect("regex");
    let mut out = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut at = 0;
    for m in tag.find_iter(body) {
        let text = &body[at..m.start()];
        if !text.is_empty() {
            let class = stack.iter().rev().find(|c| *c != "hll").cloned();
            out.push((class.unwrap_or_default(), decode(text)));
        }
        at = m.end();
        if m.as_str() == "</span>" {
            stack.pop();
        } else {
            let class = m.as_str()["<span class=\"".len()..m.as_str().len() - 2].to_string();
            stack.push(class);
        }
    }
    let text = &body[at..];
    if !text.is_empty() {
        out.push((String::new(), decode(text)));
    }
    out
}

/// The highlighted code blocks of a page, in order.
fn blocks(html: &str) -> Vec<Block> {
    let re = Regex::new(
        r#"(?s)<div class="language-([^" ]+) highlighter-rouge"><div class="highlight"><pre class="highlight"><code>(.*?)</code></pre></div>|<figure class="highlight"><pre><code class="language-[^"]*" data-lang="([^"]*)">(.*?)</code></pre></figure>"#,
    )
    .expect("regex");
    let table = Regex::new(r#"(?s)<td class="rouge-code"><pre>(.*?)</pre></td>"#).expect("regex");
    re.captures_iter(html)
        .map(|c| {
            let lang = c.get(1).or(c.get(3)).map_or("", |m| m.as_str()).to_string();
            let body = c.get(2).or(c.get(4)).map_or("", |m| m.as_str());
            let body = table
                .captures(body)
                .and_then(|t| t.get(1))
                .map_or(body, |m| m.as_str());
            Block {
                lang,
                tokens: tokens_of(body),
            }
        })
        .collect()
}

/// Jekyll's and our blocks of the same code, over a corpus site's rendered
/// documents: (theirs, ours if we have a block of the same language and
/// code on that page).
fn paired_blocks(name: &str) -> Vec<(Block, Option<Block>)> {
    let site = common::read_rendered(&common::corpus_dir().join(name));
    let mut out = Vec::new();
    for doc in &site.documents {
        let Some(ours) = doc.html.as_deref() else {
            continue;
        };
        let Some(theirs) = common::jekyll_html(name, &doc.url) else {
            continue;
        };
        let ours = blocks(ours);
        let mut by_code: HashMap<(String, String), Vec<Block>> = HashMap::new();
        for b in ours {
            by_code
                .entry((b.lang.clone(), b.code().trim_end().to_string()))
                .or_default()
                .push(b);
        }
        for t in blocks(&theirs) {
            let key = (t.lang.clone(), t.code().trim_end().to_string());
            let mine = by_code
                .get_mut(&key)
                .and_then(|v| (!v.is_empty()).then(|| v.remove(0)));
            out.push((t, mine));
        }
    }
    out
}

/// Tokens compared the way the spans are drawn: the final newline of the
/// block is left out (kramdown keeps it, `{% highlight %}` chomps it).
fn comparable(tokens: &[Token]) -> Vec<Token> {
    let mut t = tokens.to_vec();
    if let Some(last) = t.last_mut() {
        if last.1.ends_with('\n') {
            last.1.pop();
        }
    }
    t.retain(|(_, s)| !s.is_empty());
    t
}

fn first_diff(theirs: &[Token], ours: &[Token]) -> String {
    let i = theirs
        .iter()
        .zip(ours)
        .position(|(a, b)| a != b)
        .unwrap_or(theirs.len().min(ours.len()));
    format!(
        "first difference at token {i}:\n rouge: {:?}\n ours:  {:?}",
        theirs.get(i.saturating_sub(2)..(i + 3).min(theirs.len())),
        ours.get(i.saturating_sub(2)..(i + 3).min(ours.len()))
    )
}

/// The first Ruby and the first Python block of at least 40 tokens in the
/// corpus (site by site, page by page, in the reader's order) have the same
/// tokens as rouge's, class and text, one by one.
#[test]
fn ruby_and_python_blocks_match_rouge_token_by_token() {
    let mut found: BTreeMap<&str, (String, Block, Block)> = BTreeMap::new();
    for name in common::corpus_sites() {
        for (theirs, ours) in paired_blocks(&name) {
            let lang = match theirs.lang.as_str() {
                "ruby" | "rb" => "ruby",
                "python" | "py" => "python",
                _ => continue,
            };
            // A block of some size, chosen by rouge's output alone.
            if found.contains_key(lang) || !theirs.has_spans() || theirs.tokens.len() < 40 {
                continue;
            }
            let ours = ours.unwrap_or_else(|| {
                panic!("{name}: no block of ours has the code of rouge's {lang} block")
            });
            found.insert(lang, (name.clone(), theirs, ours));
        }
    }
    assert_eq!(found.len(), 2, "a Ruby and a Python block in the corpus");
    for (lang, (site, theirs, ours)) in &found {
        let (t, o) = (comparable(&theirs.tokens), comparable(&ours.tokens));
        eprintln!("{lang} ({site}): {} tokens", t.len());
        assert!(t == o, "{lang} block of {site}: {}", first_diff(&t, &o));
    }
}

/// Every corpus block that rouge highlighted has token spans in our HTML
/// too; the share whose tokens are identical to rouge's is printed per
/// language (it is not required to be 100%).
#[test]
fn code_blocks_rouge_highlighted_have_our_spans() {
    #[derive(Default)]
    struct Count {
        blocks: usize,
        with_spans: usize,
        identical: usize,
        unpaired: usize,
        example: Option<String>,
    }
    let mut per_lang: BTreeMap<String, Count> = BTreeMap::new();
    let mut missing = Vec::new();
    let mut sites = common::corpus_sites();
    sites.extend(["kd-gfm".to_string(), "kd-plain".to_string()]);
    for name in &sites {
        for (theirs, ours) in paired_blocks(name) {
            if !theirs.has_spans() {
                continue;
            }
            let c = per_lang.entry(theirs.lang.clone()).or_default();
            c.blocks += 1;
            let Some(ours) = ours else {
                // Our page has no block of this code (a difference in the
                // Markdown or Liquid before highlighting, judged elsewhere).
                c.unpaired += 1;
                continue;
            };
            if ours.has_spans() {
                c.with_spans += 1;
            } else {
                let code = ours.code();
                missing.push(format!(
                    "{name}: a {} block ({:?})",
                    theirs.lang,
                    code.get(..code.len().min(60)).unwrap_or(&code)
                ));
            }
            let (t, o) = (comparable(&theirs.tokens), comparable(&ours.tokens));
            if t == o {
                c.identical += 1;
            } else if c.example.is_none() {
                c.example = Some(format!("{name}: {}", first_diff(&t, &o)));
            }
        }
    }
    let (mut all, mut same, mut paired) = (0, 0, 0);
    eprintln!(
        "language: blocks rouge highlighted / paired with ours / ours with spans / token-identical"
    );
    for (lang, c) in &per_lang {
        let p = c.blocks - c.unpaired;
        eprintln!(
            "  {lang}: {} / {p} / {} / {} ({:.0}%)",
            c.blocks,
            c.with_spans,
            c.identical,
            100.0 * c.identical as f64 / p.max(1) as f64
        );
        if let Some(e) = &c.example {
            eprintln!("    {}", e.replace('\n', "\n    "));
        }
        all += c.blocks;
        paired += p;
        same += c.identical;
    }
    eprintln!(
        "  all: {all} blocks, {paired} paired, {same} token-identical ({:.1}%)",
        100.0 * same as f64 / paired.max(1) as f64
    );
    assert!(all > 500, "the corpus has highlighted blocks: {all}");
    assert!(
        missing.is_empty(),
        "{} blocks rouge highlighted are plain in ours: {:?}",
        missing.len(),
        &missing[..missing.len().min(20)]
    );
}

/// The demo blog's code blocks in a language (`rust`, `ruby`) have spans.
#[test]
fn demo_blog_code_has_spans() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo-blog");
    let site = common::read_rendered(&root);
    let mut langs = Vec::new();
    for doc in &site.documents {
        for b in blocks(doc.html.as_deref().unwrap_or("")) {
            if b.lang != "plaintext" {
                assert!(
                    b.has_spans(),
                    "{}: {} block without spans",
                    doc.source,
                    b.lang
                );
                langs.push(b.lang);
            }
        }
    }
    langs.sort();
    langs.dedup();
    assert_eq!(langs, ["ruby", "rust"]);
}

/// The book's stylesheet: every colour in its highlighting rules has at
/// least 4.5:1 contrast (WCAG AA) against every background there.
#[test]
fn highlight_css_colours_have_contrast_in_the_book() {
    let book = epub_of(&[(
        "_posts/2024-01-02-code.md",
        "---\ntitle: Code\n---\n```ruby\nputs 1\n```\n",
    )]);
    let css = String::from_utf8(file_in(&book, "EPUB/css/book.css")).expect("utf-8");
    let start = css
        .find("/* Syntax highlighting")
        .expect("the highlighting block");
    let block = &css[start..];
    let colour = Regex::new(
        r"(?:^|[;{ ])(color|background|background-color):\s*#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b",
    )
    .expect("regex");
    let (mut fg, mut bg) = (Vec::new(), Vec::new());
    for c in colour.captures_iter(block) {
        let hex = c[2].to_string();
        let hex = if hex.len() == 3 {
            hex.chars().flat_map(|c| [c, c]).collect()
        } else {
            hex
        };
        if &c[1] == "color" {
            fg.push(hex);
        } else {
            bg.push(hex);
        }
    }
    assert!(fg.len() >= 8 && bg.len() >= 2, "{block}");
    for f in &fg {
        for b in &bg {
            let r = contrast(f, b);
            assert!(r >= 4.5, "#{f} on #{b}: {r:.2}");
        }
    }
}

fn luminance(hex: &str) -> f64 {
    let v = u32::from_str_radix(hex, 16).expect("hex colour");
    let chan = |shift: u32| {
        let c = f64::from((v >> shift) & 0xff) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * chan(16) + 0.7152 * chan(8) + 0.0722 * chan(0)
}

/// WCAG 2 contrast ratio.
fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

fn epub_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut all = vec![("_config.yml", "title: Code\nlang: en\n")];
    all.extend_from_slice(files);
    let dir = common::site_dir(&all);
    let site = common::read_rendered(dir.path());
    epub::build(&site, &ConvertOptions::default())
        .expect("a book")
        .bytes
}

fn file_in(book: &[u8], name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(book)).expect("zip");
    let mut f = z.by_name(name).expect("file in the book");
    let mut v = Vec::new();
    f.read_to_end(&mut v).expect("read");
    v
}
