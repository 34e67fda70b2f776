//! The API the converter will use: host objects, filters and tags,
//! diagnostics with lines, resource limits.

use jekyll_liquid::{Context, Engine, Hash, Object, Tag, TagCall, TagKind, Template, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn render(src: &str, engine: &Engine, globals: &Hash) -> String {
    Template::parse(src, engine).render(engine, globals).output
}

/// A lazy object: counts how often it is asked.
#[derive(Debug, Default)]
struct Site {
    asked: AtomicUsize,
}

impl Object for Site {
    fn get(&self, key: &str) -> Option<Value> {
        self.asked.fetch_add(1, Ordering::Relaxed);
        match key {
            "title" => Some(Value::str("My blog")),
            "posts" => Some(Value::array(vec![Value::str("a"), Value::str("b")])),
            _ => None,
        }
    }
    fn keys(&self) -> Vec<String> {
        vec!["title".into(), "posts".into()]
    }
}

#[test]
fn host_objects_are_lazy_and_shared() {
    let engine = Engine::jekyll();
    let site = Arc::new(Site::default());
    let mut globals = Hash::new();
    globals.insert("site".into(), Value::Object(site.clone()));
    let t = Template::parse(
        "{{ site.title }}|{{ site.posts | join: ',' }}|{{ site.nope }}|{{ site.posts.size }}",
        &engine,
    );
    // One engine, template and site serve several threads.
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| assert_eq!(t.render(&engine, &globals).output, "My blog|a,b||2"));
        }
    });
    assert!(site.asked.load(Ordering::Relaxed) >= 8);
}

#[test]
fn host_filters_get_arguments_and_context() {
    let mut engine = Engine::jekyll();
    engine.register_filter("relative_url", |input, _args, ctx: &mut Context<'_>| {
        let base = ctx.find_variable("baseurl").to_s();
        Ok(Value::string(format!(
            "{base}/{}",
            input.to_s().trim_start_matches('/')
        )))
    });
    let mut globals = Hash::new();
    globals.insert("baseurl".into(), Value::str("/blog"));
    assert_eq!(
        render("{{ 'x.css' | relative_url }}", &engine, &globals),
        "/blog/x.css"
    );
}

/// `{% include name %}`: renders a template named by its markup, nested.
struct Include;

impl Tag for Include {
    fn render(
        &self,
        call: &TagCall<'_>,
        ctx: &mut Context<'_>,
        out: &mut String,
    ) -> Result<(), String> {
        let src = match call.markup.trim() {
            "loop.html" => "[{% include loop.html %}]",
            "hello.html" => "hello {{ include.who }}",
            "broken.html" => "a\n{{ 1 | divided_by: 0 }}",
            other => return Err(format!("Could not locate the included file '{other}'")),
        };
        let t = Template::parse_named(src, call.markup.trim(), ctx.engine());
        ctx.push_scope();
        let mut inc = Hash::new();
        inc.insert("who".into(), Value::str("you"));
        ctx.set("include", Value::hash(inc));
        let r = ctx.render_template(&t, out);
        ctx.pop_scope();
        r.map_err(|f| f.0)
    }
}

/// `{% highlight lang %}…{% endhighlight %}`: a block whose body is Liquid.
struct Highlight;

impl Tag for Highlight {
    fn kind(&self) -> TagKind {
        TagKind::Block
    }
    fn render(
        &self,
        call: &TagCall<'_>,
        ctx: &mut Context<'_>,
        out: &mut String,
    ) -> Result<(), String> {
        let mut body = String::new();
        if let Some(b) = call.body {
            ctx.render_block(b, &mut body).map_err(|f| f.0)?;
        }
        out.push_str(&format!(
            "<pre class=\"{}\">{}</pre>",
            call.markup.trim(),
            body.trim()
        ));
        Ok(())
    }
}

#[test]
fn host_tags() {
    let mut engine = Engine::jekyll();
    engine.register_tag("include", Include);
    engine.register_tag("highlight", Highlight);
    let g = Hash::new();
    assert_eq!(
        render("{% include hello.html %}!", &engine, &g),
        "hello you!"
    );
    assert_eq!(
        render(
            "{% highlight rb %} {{ 1 | plus: 1 }} {% endhighlight %}",
            &engine,
            &g
        ),
        "<pre class=\"rb\">2</pre>"
    );
    // A missing include is reported with its line; the rest renders.
    let t = Template::parse("a\n{% include nope.html %}b", &engine);
    let r = t.render(&engine, &g);
    assert_eq!(r.output, "a\nb");
    assert_eq!(r.diagnostics[0].line, 2);
    // An error inside an include names it.
    let r = Template::parse_named(
        "x\n{% include hello.html %}{% include nope.html %}",
        "page.html",
        &engine,
    )
    .render(&engine, &g);
    assert_eq!(r.diagnostics[0].template.as_deref(), Some("page.html"));
    let r = Template::parse("{% include broken.html %}", &engine).render(&engine, &g);
    assert_eq!(
        (r.diagnostics[0].template.as_deref(), r.diagnostics[0].line),
        (Some("broken.html"), 2)
    );
    // An include of itself stops at the depth limit instead of overflowing.
    let r = Template::parse("{% include loop.html %}", &engine).render(&engine, &g);
    assert!(r.fatal.is_some());
}

#[test]
fn broken_tags_render_around_with_lines() {
    let engine = Engine::jekyll();
    let t = Template::parse(
        "a\n{% if %}x{% endif %}\nb {% nosuch %} c\n{{ 'd' }}{% for %}",
        &engine,
    );
    let errors: Vec<usize> = t.errors().map(|d| d.line).collect();
    assert_eq!(errors, [2, 3, 4, 4]);
    assert_eq!(t.render(&engine, &Hash::new()).output, "a\n\nb  c\nd");
    // An unclosed block is closed at the end and reported.
    let t = Template::parse("{% if true %}yes", &engine);
    assert_eq!(t.errors().count(), 1);
    assert_eq!(t.render(&engine, &Hash::new()).output, "yes");
    // The strict parser's refusal is a warning when the lax one succeeds.
    let t = Template::parse("{{ 'a' | append: 'b' % }}", &engine);
    assert_eq!(t.errors().count(), 0);
    assert_eq!(t.diagnostics().len(), 1);
}

#[test]
fn limits_stop_runaway_templates() {
    let mut engine = Engine::jekyll();
    engine.limits.max_iterations = 10_000;
    engine.limits.max_output = 1 << 20;
    let g = Hash::new();
    let r =
        Template::parse("{% for i in (1..1000000000) %}{% endfor %}", &engine).render(&engine, &g);
    assert!(r.fatal.is_some());
    let r = Template::parse(
        "{% assign s = 'xxxxxxxxxx' %}{% for i in (1..100) %}{% assign s = s | append: s %}{% endfor %}{{ s }}",
        &engine,
    )
    .render(&engine, &g);
    assert!(r.output.len() <= 1 << 20);
    // Blocks nested past Liquid's MAX_DEPTH (100): an error, no overflow.
    let deep = "{% if true %}".repeat(5000) + &"{% endif %}".repeat(5000);
    let t = Template::parse(&deep, &engine);
    assert!(t.errors().any(|d| d.message.contains("Nesting too deep")));
    let _ = t.render(&engine, &g);
    let deep = "{{ ".to_string() + &"[".repeat(100_000) + " }}";
    let _ = Template::parse(&deep, &engine).render(&engine, &g);
}

#[test]
fn counters_carry_between_pages() {
    let engine = Engine::jekyll();
    let g = Hash::new();
    let mut counters = Hash::new();
    let t = Template::parse("{% increment n %}", &engine);
    assert_eq!(
        t.render_with_counters(&engine, &g, &mut counters).output,
        "0"
    );
    assert_eq!(
        t.render_with_counters(&engine, &g, &mut counters).output,
        "1"
    );
    assert_eq!(t.render(&engine, &g).output, "0");
}

#[test]
fn jekyll_liquid_options() {
    let mut engine = Engine::jekyll();
    let g = Hash::new();
    engine.strict_filters = true;
    let r = Template::parse("a{{ 'x' | nosuch }}b", &engine).render(&engine, &g);
    assert_eq!((r.output.as_str(), r.diagnostics.len()), ("ab", 1));
    engine.strict_filters = false;
    engine.strict_variables = true;
    let r = Template::parse("{{ nope }}{{ x.y }}", &engine).render(&engine, &g);
    assert_eq!(r.diagnostics.len(), 2);
    engine.strict_variables = false;
    engine.error_mode = jekyll_liquid::ErrorMode::Strict;
    let t = Template::parse("{{ 'a' | append: 'b' % }}", &engine);
    assert_eq!(t.errors().count(), 1);
    engine.error_mode = jekyll_liquid::ErrorMode::Lax;
    let t = Template::parse("{{ 'a' | append: 'b' % }}", &engine);
    assert_eq!(t.diagnostics().len(), 0);
    assert_eq!(t.render(&engine, &g).output, "ab");
}

#[test]
fn values_that_unfold_without_end_are_bounded() {
    let mut engine = Engine::jekyll();
    // A two-hundredth of the default, to keep the test quick in debug builds.
    engine.limits.max_work = 1_000_000;
    let g = Hash::new();
    // Each push copies the array: a loop of them is quadratic work.
    let src = "{% assign a = '' | split: ',' %}{% for i in (1..1000000) %}{% assign a = a | push: a %}{% endfor %}";
    let r = Template::parse(src, &engine).render(&engine, &g);
    assert!(r.fatal.is_some());
    // Shared items: 40 steps build a value that unfolds into 2^40 nodes.
    let src = "{% assign a = '' | split: ',' %}{% assign b = a %}{% for i in (1..40) %}{% assign a = a | push: a %}{% assign b = b | push: b %}{% endfor %}{{ a | join: ',' | size }}{% if a == b %}eq{% endif %}";
    let r = Template::parse(src, &engine).render(&engine, &g);
    assert!(r.output.len() < 1 << 30);
    // One filter chain as deep as the template is long.
    let chain = "{{ x".to_string() + &" | push: x".repeat(50_000) + " }}";
    let _ = Template::parse(&chain, &engine).render(&engine, &g);
    let chain = "{% assign x = '' | split: ',' %}{% assign y = x".to_string()
        + &" | push: x".repeat(50_000)
        + " %}{{ y }}";
    let _ = Template::parse(&chain, &engine).render(&engine, &g);
}

#[test]
fn hostile_markup_is_linear() {
    let engine = Engine::jekyll();
    let g = Hash::new();
    let t0 = std::time::Instant::now();
    for src in [
        "{%".repeat(100_000),
        "{{".repeat(100_000),
        format!(
            "{{% case x %}}{{% when {} %}}{{% endcase %}}",
            "1, ".repeat(100_000)
        ),
        format!("{{{{ (1..100000) | join: '{}' }}}}", "x".repeat(10_000)),
        format!("{{% if a {} %}}x{{% endif %}}", ",".repeat(100_000)),
        format!("{{% if a ,{}and b %}}x{{% endif %}}", " ".repeat(100_000)),
        format!(
            "{{{{ '{}' | replace: '', '{}' }}}}",
            "x".repeat(100_000),
            "y".repeat(10_000)
        ),
    ] {
        let _ = Template::parse(&src, &engine).render(&engine, &g);
    }
    assert!(t0.elapsed().as_secs() < 60);
}

#[test]
fn engine_templates_and_values_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Engine>();
    send_sync::<Template>();
    send_sync::<Value>();
}
