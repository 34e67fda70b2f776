//! A generator of synthetic Jekyll sites, for benchmarks and scale tests.
//!
//! Deterministic: the same `(posts, seed)` always gives the same bytes. Posts
//! mix what real blogs hold: front matter with offsets, categories as strings
//! and lists, tags, `{% highlight %}` with line numbers, `{% post_url %}`
//! links to earlier posts, `{{ site.url }}` images, kramdown IALs, footnotes,
//! tables, `{% raw %}` blocks and CJK text.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// A tiny xorshift generator: deterministic without a dependency (also
/// what the tests use to generate inputs).
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator from `seed` (a zero seed is moved off zero, which
    /// xorshift never leaves).
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    /// One of `items`, or `""` when there are none.
    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items.get(i).copied().unwrap_or("")
    }
}

const WORDS: &[&str] = &[
    "migration",
    "static",
    "site",
    "generator",
    "kernel",
    "cluster",
    "memory",
    "latency",
    "review",
    "garden",
    "coffee",
    "travel",
    "river",
    "market",
    "library",
    "theory",
    "pattern",
    "signal",
    "archive",
    "release",
    "shadow",
    "compiler",
    "network",
    "harbor",
    "winter",
];
const CJK: &[&str] = &[
    "안녕하세요",
    "여행",
    "개발자",
    "東京",
    "旅行",
    "技術",
    "博客",
    "静态网站",
    "数据",
];
const CATEGORIES: &[&str] = &["jekyll", "rust", "travel", "notes", "ops", "food"];
const TAGS: &[&str] = &["howto", "review", "til", "photos", "code", "essay", "links"];
const LANGS: &[&str] = &["ruby", "rust", "python", "js", "shell"];
const OFFSETS: &[&str] = &["-0700", "+0900", "+0000", "-0500", "+0200"];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        if rng.below(9) == 0 {
            s.push_str(rng.pick(CJK));
        } else {
            s.push_str(rng.pick(WORDS));
        }
    }
    s.push('.');
    s
}

/// The file name stem of post `i` (`2019-03-07-post-42`).
fn post_stem(i: usize) -> String {
    let day = i % 28 + 1;
    let month = (i / 28) % 12 + 1;
    let year = 2005 + i / (28 * 12);
    format!("{year:04}-{month:02}-{day:02}-post-{i}")
}

/// Writes a Jekyll site with `posts` posts into `dir` (created if needed).
pub fn generate(dir: &Path, posts: usize, seed: u64) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    std::fs::create_dir_all(dir.join("_posts"))?;
    std::fs::create_dir_all(dir.join("assets/img"))?;
    std::fs::create_dir_all(dir.join("_includes"))?;
    std::fs::write(
        dir.join("_config.yml"),
        "title: Synthetic Blog\nurl: https://synthetic.example\nbaseurl: /blog\nlang: en\n\
         timezone: America/New_York\npermalink: date\nplugins:\n  - jekyll-feed\n",
    )?;
    std::fs::write(
        dir.join("_includes/note.html"),
        "<aside class=\"note\">{{ include.text }}</aside>\n",
    )?;
    std::fs::write(
        dir.join("about.md"),
        "---\ntitle: About\npermalink: /about/\n---\nThis blog is generated.\n",
    )?;
    std::fs::write(
        dir.join("index.html"),
        "---\nlayout: default\ntitle: Home\n---\n<ul>{% for post in site.posts limit:5 %}<li>{{ post.title }}</li>{% endfor %}</ul>\n",
    )?;
    // A handful of tiny images shared by all posts, as real blogs reuse assets.
    for k in 0..8 {
        std::fs::write(dir.join(format!("assets/img/pic{k}.png")), TINY_PNG)?;
    }
    for i in 0..posts {
        let stem = post_stem(i);
        let mut s = String::new();
        let _ = writeln!(s, "---");
        let _ = writeln!(s, "layout: post");
        let _ = writeln!(
            s,
            "title: \"Post {i}: {}\"",
            sentence(&mut rng, 4).trim_end_matches('.')
        );
        let hour = rng.below(24);
        let minute = rng.below(60);
        let date = &stem[..10];
        let _ = writeln!(
            s,
            "date: {date} {hour:02}:{minute:02}:{:02} {}",
            rng.below(60),
            rng.pick(OFFSETS)
        );
        if rng.below(2) == 0 {
            let _ = writeln!(
                s,
                "categories: {} {}",
                rng.pick(CATEGORIES),
                rng.pick(CATEGORIES)
            );
        } else {
            let _ = writeln!(s, "categories: [{}]", rng.pick(CATEGORIES));
        }
        let _ = writeln!(s, "tags: [{}, {}]", rng.pick(TAGS), rng.pick(TAGS));
        let _ = writeln!(s, "---");
        let _ = writeln!(s, "{}\n", sentence(&mut rng, 30));
        let _ = writeln!(s, "## Section {i}\n");
        let _ = writeln!(
            s,
            "![picture]({{{{ site.url }}}}{{{{ site.baseurl }}}}/assets/img/pic{}.png)\n",
            rng.below(8)
        );
        let _ = writeln!(s, "{}[^1]\n", sentence(&mut rng, 25));
        let _ = writeln!(s, "A highlighted paragraph.\n{{: .note}}\n");
        let lang = rng.pick(LANGS);
        let _ = writeln!(s, "{{% highlight {lang} linenos %}}");
        for l in 0..6 {
            let _ = writeln!(s, "line_{l} = compute({l}) # {}", rng.pick(WORDS));
        }
        let _ = writeln!(s, "{{% endhighlight %}}\n");
        if i > 0 {
            let earlier = post_stem(usize::try_from(rng.below(i as u64)).unwrap_or(0));
            let _ = writeln!(s, "See [an earlier post]({{% post_url {earlier} %}}).\n");
        }
        let _ = writeln!(
            s,
            "| key | value |\n|-----|-------|\n| a | {} |\n| b | {} |\n",
            rng.pick(WORDS),
            rng.pick(CJK)
        );
        let _ = writeln!(
            s,
            "{{% raw %}}Template text: {{{{ not.liquid }}}}{{% endraw %}}\n"
        );
        let _ = writeln!(
            s,
            "{{% include note.html text=\"remember {}\" %}}\n",
            rng.pick(WORDS)
        );
        for _ in 0..3 {
            let _ = writeln!(s, "{}\n", sentence(&mut rng, 40));
        }
        let _ = writeln!(s, "[^1]: A footnote about {}.", rng.pick(WORDS));
        std::fs::write(dir.join("_posts").join(format!("{stem}.md")), s)?;
    }
    Ok(())
}

/// A valid 1×1 PNG.
const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        generate(a.path(), 30, 7).unwrap();
        generate(b.path(), 30, 7).unwrap();
        for i in [0, 13, 29] {
            let name = format!("_posts/{}.md", post_stem(i));
            let x = std::fs::read(a.path().join(&name)).unwrap();
            let y = std::fs::read(b.path().join(&name)).unwrap();
            assert_eq!(x, y);
            assert!(String::from_utf8(x).unwrap().contains("{% highlight"));
        }
        assert_eq!(
            std::fs::read_dir(a.path().join("_posts")).unwrap().count(),
            30
        );
    }
}
