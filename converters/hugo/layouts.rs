//! A minimal built-in layout set with Hugo ≥0.146 template names, so the
//! migrated site builds without warnings and can be browsed at once. Users
//! replace it with a theme.
//!
//! Every document's body sits in `<div class="e-content">`, followed by
//! `<footer class="post-meta">`, and its metadata in `data-*` attributes of its `<article>`, so scripts
//! (and the tests) can compare it with Jekyll's rendering.

/// `(path below layouts/, text)` of every template.
pub fn files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("baseof.html", BASEOF),
        ("home.html", HOME),
        ("page.html", PAGE),
        ("section.html", LIST),
        ("taxonomy.html", LIST),
        ("term.html", LIST),
        ("_partials/article.html", ARTICLE),
        ("_partials/authors.html", AUTHORS),
        ("_partials/list.html", LIST_PARTIAL),
        ("_shortcodes/toc.html", TOC),
    ]
}

const BASEOF: &str = r#"<!doctype html>
<html lang="{{ site.Language.Locale | default "en" }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} | {{ site.Title }}{{ end }}</title>
{{- with .Params.redirect_to }}
<meta http-equiv="refresh" content="0; url={{ . }}">
<link rel="canonical" href="{{ . }}">
{{- end }}
{{- with .Description }}
<meta name="description" content="{{ . }}">
{{- end }}
{{- if site.Params.math }}
<script defer src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"></script>
{{- end }}
{{- with site.Home.OutputFormats.Get "rss" }}
<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}" title="{{ site.Title }}">
{{- end }}
<style>
body{max-width:46rem;margin:2rem auto;padding:0 1rem;font:17px/1.6 system-ui,sans-serif;color:#222}
pre{overflow-x:auto;padding:.6rem}img{max-width:100%}nav a{margin-right:1rem}
.highlight pre{background:#f6f8fa}.highlight .c,.highlight .c1,.highlight .cm{color:#6a737d}
.highlight .k,.highlight .kd,.highlight .kn{color:#d73a49}.highlight .s,.highlight .s1,.highlight .s2{color:#032f62}
.highlight .nf,.highlight .nc{color:#6f42c1}.highlight .m,.highlight .mi{color:#005cc5}.highlight .hl{background:#fffbdd}
.meta{color:#666;font-size:.9em}.terms{list-style:none;padding:0}.terms li{display:inline;margin-right:.6rem}
</style>
</head>
<body>
<header><nav><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
{{- if site.Taxonomies.tags }}<a href="{{ "tags/" | relURL }}">tags</a>{{ end }}
{{- if site.Taxonomies.categories }}<a href="{{ "categories/" | relURL }}">categories</a>{{ end }}</nav></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"#;

const ARTICLE: &str = r#"<article class="h-entry" data-url="{{ .RelPermalink }}" data-title="{{ .Title }}"
  {{- if not .Date.IsZero }} data-date="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}"{{ end }}
  {{- with .Params.tags }} data-tags="{{ delimit . "|" }}"{{ end }}
  {{- with .Params.categories }} data-categories="{{ delimit . "|" }}"{{ end }}>
{{- with .Title }}
<h1 class="p-name">{{ . }}</h1>
{{- end }}
{{- if and (not .Date.IsZero) (eq .Kind "page") }}
<p class="meta"><time class="dt-published" datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "January 2, 2006" }}</time></p>
{{- end }}
{{- with partial "authors.html" . }}
<p class="meta p-author">{{ . }}</p>
{{- end }}
<div class="e-content">{{ .Content }}</div>
<footer class="post-meta">
{{- with .GetTerms "categories" }}
<ul class="terms categories">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{- end }}
{{- with .GetTerms "tags" }}
<ul class="terms tags">{{ range . }}<li><a href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{- end }}
</footer>
</article>
"#;

/// The authors a page names (`author`/`authors` in params, as Jekyll wrote
/// them), shown by the name `data/authors` gives a key, as Jekyll themes do.
const AUTHORS: &str = r#"{{- $keys := .Params.authors | default .Params.author -}}
{{- $table := hugo.Data.authors -}}
{{- if not (reflect.IsMap $table) }}{{ $table = dict }}{{ end -}}
{{- $names := slice -}}
{{- with $keys -}}
{{- range cond (reflect.IsSlice .) . (slice .) -}}
{{- $name := "" -}}
{{- if reflect.IsMap . -}}
{{- with .name }}{{ $name = string . }}{{ end -}}
{{- else -}}
{{- $name = string . -}}
{{- with index $table $name -}}
{{- if reflect.IsMap . }}{{ with .name }}{{ $name = string . }}{{ end }}{{ else }}{{ $name = string . }}{{ end -}}
{{- end -}}
{{- end -}}
{{- with $name }}{{ $names = $names | append . }}{{ end -}}
{{- end -}}
{{- end -}}
{{- range $i, $n := $names }}{{ if $i }}, {{ end }}{{ $n }}{{ end -}}
"#;

const LIST_PARTIAL: &str = r#"<ul class="list">
{{- range . }}
<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ if not .Date.IsZero }} <span class="meta">{{ .Date.Format "2006-01-02" }}</span>{{ end }}</li>
{{- end }}
</ul>
"#;

const HOME: &str = r#"{{ define "main" }}
{{- if .File }}{{ partial "article.html" . }}{{ end }}
{{- $pager := .Paginate (where site.RegularPages "Section" "posts").ByDate.Reverse }}
{{- with $pager.Pages }}
<section class="posts">
<h2>Posts</h2>
{{ partial "list.html" . }}
<nav class="pagination">
{{- with $pager.Prev }}<a rel="prev" href="{{ .URL }}">Newer</a>{{ end }}
{{- with $pager.Next }}<a rel="next" href="{{ .URL }}">Older</a>{{ end }}
</nav>
</section>
{{- end }}
{{ end }}
"#;

const PAGE: &str = r#"{{ define "main" }}
{{ partial "article.html" . }}
{{ end }}
"#;

const LIST: &str = r#"{{ define "main" }}
{{- if .File }}{{ partial "article.html" . }}{{ else }}<h1>{{ .Title }}</h1>{{ end }}
{{- with .Pages }}
{{ partial "list.html" .ByDate.Reverse }}
{{- end }}
{{ end }}
"#;

/// kramdown's `{:toc}`, where it stood in the text.
const TOC: &str = r#"{{ .Page.TableOfContents }}
"#;
