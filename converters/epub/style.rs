//! The book's one stylesheet: readable text, code blocks that wrap,
//! Rouge/Pygments highlighting classes, tables, figures, footnotes, and the
//! classes the sanitiser gives obsolete presentation (`center`, `align-*`).
//! Text colours keep WCAG AA contrast (4.5:1) on their backgrounds, which
//! Ace by DAISY checks in the tests.
//! No fonts, no fixed positioning (CSS-006), nothing a reader must download.

/// Path of the stylesheet inside the content folder.
pub const HREF: &str = "css/book.css";

/// The stylesheet.
pub const CSS: &str = r#"@charset "UTF-8";
body { margin: 0 5%; line-height: 1.5; text-align: left; orphans: 2; widows: 2; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.2em 0 0.5em; page-break-after: avoid; break-after: avoid; }
h1.chapter-title { font-size: 1.6em; margin-top: 0.5em; }
p.chapter-meta { font-size: 0.85em; color: #555; margin-top: 0; }
p.chapter-meta a { color: inherit; }
img { max-width: 100%; height: auto; }
figure { margin: 1em 0; text-align: center; }
figcaption { font-size: 0.9em; font-style: italic; }
blockquote { margin: 1em 1.5em; padding-left: 0.8em; border-left: 3px solid #ccc; color: #333; }
pre { white-space: pre-wrap; word-wrap: break-word; font-size: 0.85em; line-height: 1.35; background: #f6f6f6; padding: 0.6em; border: 1px solid #e2e2e2; }
code, kbd, samp { font-family: monospace; font-size: 0.9em; }
pre code { font-size: 1em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; vertical-align: top; }
th { background: #eee; }
hr { border: 0; border-top: 1px solid #bbb; margin: 1.5em 20%; }
dt { font-weight: bold; }
dd { margin-left: 1.5em; }
abbr[title] { border-bottom: 1px dotted; text-decoration: none; }
.center, .align-center { text-align: center; }
.align-right { text-align: right; }
.align-justify { text-align: justify; }
img.align-left { float: left; margin: 0 1em 0.5em 0; }
img.align-right { float: right; margin: 0 0 0.5em 1em; }
img.align-center { display: block; margin: 0 auto; }
.big { font-size: 1.2em; }
p.embed { font-style: italic; }
section.footnotes { margin-top: 2em; border-top: 1px solid #bbb; font-size: 0.9em; }
a.footnote-ref { vertical-align: super; font-size: 0.75em; line-height: 0; text-decoration: none; }
sup a.footnote-ref { vertical-align: baseline; font-size: 1em; }
.footnote-label { font-weight: bold; }
nav ol { list-style-type: none; padding-left: 1em; }
nav li > span { font-weight: bold; }
.title-page { text-align: center; margin-top: 20%; }
.title-page h1 { font-size: 2em; }
.title-page .description { font-style: italic; }
.cover { margin: 0; padding: 0; text-align: center; }
.cover img { max-height: 100%; }
/* Line numbers of code blocks, dark enough to read (WCAG AA asks 4.5:1; this is 6.5:1 on the code background). More specific than the highlighting rules below, so it holds whatever colour they give. */
pre span.lineno, .highlight .lineno, .highlight .gutter, td.rouge-gutter, .highlight td.gutter, .highlight td.rouge-gutter, .highlight pre.lineno { color: #595959; }
/* Syntax highlighting: rouge's token classes. Code keeps a light background
   and dark text in every reader theme (white, sepia, night), so each token
   colour keeps at least 4.5:1 contrast against it. */
.highlight pre, pre.highlight, .highlight code, figure.highlight pre { background: #f6f8fa; color: #24292f; }
.highlight .hll { background-color: #fff8c5; display: block; }
.highlight .c, .highlight .c1, .highlight .ch, .highlight .cd, .highlight .cm, .highlight .cs, .highlight .sd, .highlight .gp { color: #57606a; }
.highlight .cp, .highlight .nv, .highlight .vi, .highlight .vc, .highlight .vg, .highlight .vm { color: #8a4600; }
.highlight .cpf, .highlight .s, .highlight .s1, .highlight .sa, .highlight .dl, .highlight .s2, .highlight .sb, .highlight .sc, .highlight .sh, .highlight .sx { color: #0a3069; }
.highlight .k, .highlight .kd, .highlight .kn, .highlight .kp, .highlight .kr, .highlight .kv, .highlight .si, .highlight .o, .highlight .ow { color: #a0111f; }
.highlight .kc, .highlight .nb, .highlight .bp, .highlight .no, .highlight .na, .highlight .ni, .highlight .py, .highlight .se, .highlight .esc, .highlight .ss, .highlight .m, .highlight .mi, .highlight .mb, .highlight .mx, .highlight .mf, .highlight .mh, .highlight .mo, .highlight .il, .highlight .gh { color: #0550ae; }
.highlight .kt, .highlight .nf, .highlight .fm, .highlight .nd, .highlight .gu { color: #6639ba; }
.highlight .nc, .highlight .nn, .highlight .ne, .highlight .nl { color: #953800; }
.highlight .nt, .highlight .sr, .highlight .gi { color: #116329; }
.highlight .gd, .highlight .gr, .highlight .gt, .highlight .err { color: #82071e; }
.highlight .go { color: #24292f; }
.highlight .c, .highlight .c1, .highlight .ch, .highlight .cd, .highlight .cm, .highlight .cs, .highlight .sd, .highlight .ge { font-style: italic; }
.highlight .gh, .highlight .gu, .highlight .gs { font-weight: bold; }
.highlight .gd { background: #ffebe9; }
.highlight .gi { background: #dafbe1; }
"#;
