//! A minimal set of templates, so the migrated site builds and can be
//! browsed at once. Written in the subset of Tera that Zola 0.22 (Tera 1)
//! and 0.23 (Tera 2) both accept: values that may be missing or empty are
//! only printed inside an `{% if %}`, and `| safe` is used on HTML and URLs.

/// The head shared by every template (no inheritance, to keep each file
/// readable on its own).
const HEAD: &str = r#"<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
"#;

const PAGE: &str = r#"<title>{% if page.title %}{{ page.title }}{% elif config.title %}{{ config.title }}{% endif %}</title>
</head>
<body>
<p><a href="{{ config.base_url | safe }}/">Home</a></p>
<article>
{% if page.title %}<h1>{{ page.title }}</h1>{% endif %}
{% if page.date %}<p><time datetime="{{ page.date }}">{{ page.date | date(format="%Y-%m-%d") }}</time></p>{% endif %}
{% if page.authors %}<p class="authors">{{ page.authors | join(sep=", ") }}</p>{% endif %}
{{ page.content | safe }}
</article>
</body>
</html>
"#;

const SECTION: &str = r#"<title>{% if section.title %}{{ section.title }}{% elif config.title %}{{ config.title }}{% endif %}</title>
</head>
<body>
<p><a href="{{ config.base_url | safe }}/">Home</a></p>
{% if section.title %}<h1>{{ section.title }}</h1>{% endif %}
{{ section.content | safe }}
<ul>
{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{% if p.title %}{{ p.title }}{% else %}{{ p.slug }}{% endif %}</a></li>
{% endfor %}
</ul>
</body>
</html>
"#;

const TAXONOMY_LIST: &str = r#"<title>{{ taxonomy.name }}</title>
</head>
<body>
<p><a href="{{ config.base_url | safe }}/">Home</a></p>
<h1>{{ taxonomy.name }}</h1>
<ul>
{% for t in terms %}<li><a href="{{ t.permalink | safe }}">{{ t.name }}</a> ({{ t.pages | length }})</li>
{% endfor %}
</ul>
</body>
</html>
"#;

const TAXONOMY_SINGLE: &str = r#"<title>{{ term.name }}</title>
</head>
<body>
<p><a href="{{ config.base_url | safe }}/">Home</a></p>
<h1>{{ taxonomy.name }}: {{ term.name }}</h1>
<ul>
{% for p in term.pages %}<li><a href="{{ p.permalink | safe }}">{% if p.title %}{{ p.title }}{% else %}{{ p.slug }}{% endif %}</a></li>
{% endfor %}
</ul>
</body>
</html>
"#;

/// A feed template: Zola's built-in Atom template, included under the
/// feed's file name. Atom also where Jekyll's feed was RSS: 0.23's built-in
/// `rss.xml` reads `section.title` unguarded, which Tera 2 refuses on the
/// site-wide feed ("Variable `section` is not defined"), while `atom.xml`
/// builds on 0.22 and 0.23 alike; feed readers take either.
fn feed(rss: bool) -> String {
    let _ = rss;
    "{% include \"__zola_builtins/atom.xml\" %}\n".to_string()
}

/// The home page. When the site has posts, they are listed from their
/// section (`posts_section`, e.g. `posts/_index.md`).
fn index(posts_section: Option<&str>) -> String {
    let mut s = String::from(
        r#"<title>{% if config.title %}{{ config.title }}{% endif %}</title>
</head>
<body>
{% if section.title %}<h1>{{ section.title }}</h1>{% endif %}
{{ section.content | safe }}
<ul>
{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{% if p.title %}{{ p.title }}{% else %}{{ p.slug }}{% endif %}</a></li>
{% endfor %}
</ul>
"#,
    );
    if let Some(path) = posts_section {
        s.push_str(&format!(
            "{{% set posts = get_section(path=\"{path}\") %}}\n<h2>Posts</h2>\n<ul>\n{{% for p in posts.pages %}}<li>{{% if p.date %}}{{{{ p.date | date(format=\"%Y-%m-%d\") }}}} {{% endif %}}<a href=\"{{{{ p.permalink | safe }}}}\">{{% if p.title %}}{{{{ p.title }}}}{{% else %}}{{{{ p.slug }}}}{{% endif %}}</a></li>\n{{% endfor %}}\n</ul>\n"
        ));
    }
    s.push_str("</body>\n</html>\n");
    s
}

/// Every template file: `(path below templates/, text)`.
pub fn files(posts_section: Option<&str>, feeds: &[(String, bool)]) -> Vec<(String, String)> {
    let mut v = vec![
        (
            "index.html".to_string(),
            format!("{HEAD}{}", index(posts_section)),
        ),
        ("page.html".to_string(), format!("{HEAD}{PAGE}")),
        ("section.html".to_string(), format!("{HEAD}{SECTION}")),
        (
            "taxonomy_list.html".to_string(),
            format!("{HEAD}{TAXONOMY_LIST}"),
        ),
        (
            "taxonomy_single.html".to_string(),
            format!("{HEAD}{TAXONOMY_SINGLE}"),
        ),
    ];
    for (name, rss) in feeds {
        v.push((name.clone(), feed(*rss)));
    }
    v
}

/// `text` as a template that renders to exactly `text` in Tera 1 and 2:
/// inside `{% raw %}`, with every `{% endraw %}` in it (any spacing or
/// whitespace control) printed by an expression instead.
pub fn verbatim(text: &str) -> String {
    static END_RAW: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\{%-?\s*endraw\s*-?%\}").expect("static regex")
    });
    let mut out = String::with_capacity(text.len() + 32);
    out.push_str("{% raw %}");
    let mut last = 0;
    for m in END_RAW.find_iter(text) {
        out.push_str(&text[last..m.start()]);
        out.push_str("{% endraw %}{{ \"");
        out.push_str(m.as_str());
        out.push_str("\" }}{% raw %}");
        last = m.end();
    }
    out.push_str(&text[last..]);
    out.push_str("{% endraw %}");
    out
}
