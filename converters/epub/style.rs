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
pre span.lineno, .highlight span.lineno, .highlight td.gutter, .highlight td.rouge-gutter, .highlight pre.lineno { color: #595959; }
/* Syntax highlighting (Rouge and Pygments class names). */
.highlight .c, .highlight .c1, .highlight .cm, .highlight .cs, .highlight .cp, .highlight .cd { color: #6a737d; font-style: italic; }
.highlight .k, .highlight .kd, .highlight .kn, .highlight .kp, .highlight .kr, .highlight .kt, .highlight .kc, .highlight .ow { color: #a626a4; }
.highlight .s, .highlight .s1, .highlight .s2, .highlight .sb, .highlight .sc, .highlight .sd, .highlight .se, .highlight .sh, .highlight .si, .highlight .sx, .highlight .sr, .highlight .ss { color: #50a14f; }
.highlight .m, .highlight .mi, .highlight .mf, .highlight .mh, .highlight .mo, .highlight .il { color: #986801; }
.highlight .nf, .highlight .fm, .highlight .nc, .highlight .nn { color: #4078f2; }
.highlight .nt, .highlight .na, .highlight .nb, .highlight .bp { color: #e45649; }
.highlight .nv, .highlight .vi, .highlight .vg, .highlight .vc { color: #986801; }
.highlight .gd { color: #b31d28; background: #ffeef0; }
.highlight .gi { color: #22863a; background: #f0fff4; }
.highlight .err { color: #b31d28; }
.highlight .lineno, .highlight .gutter { color: #999; }
"#;
