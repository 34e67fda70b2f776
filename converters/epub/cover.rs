//! The cover and the title page. Without `--cover`, the cover is an SVG
//! drawn from the site title (SVG is a core image type, so it can be the
//! `cover-image`); it is shown from `cover.xhtml` through an `<img>`, which
//! keeps the page itself free of inline SVG.

use super::xml;

/// Path of a generated cover inside the content folder.
pub const GENERATED_HREF: &str = "images/cover.svg";

/// An SVG cover (600×900) with the title, a subtitle line and the authors.
pub fn svg(title: &str, subtitle: &str, authors: &str, lang: &str) -> String {
    let lines = wrap(title, 18);
    let size = if lines.len() > 4 { 36 } else { 48 };
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"600\" height=\"900\" viewBox=\"0 0 600 900\" xml:lang=\"{}\">\n",
        xml::attr(lang)
    ));
    s.push_str(&format!("<title>{}</title>\n", xml::text(title)));
    s.push_str("<rect x=\"0\" y=\"0\" width=\"600\" height=\"900\" fill=\"#1f2a44\"/>\n");
    s.push_str("<rect x=\"30\" y=\"30\" width=\"540\" height=\"840\" fill=\"none\" stroke=\"#d9c38c\" stroke-width=\"3\"/>\n");
    let mut y = 300;
    for line in lines.iter().take(7) {
        s.push_str(&format!(
            "<text x=\"300\" y=\"{y}\" text-anchor=\"middle\" font-family=\"serif\" font-size=\"{size}\" fill=\"#ffffff\">{}</text>\n",
            xml::text(line)
        ));
        y += size + 14;
    }
    if !subtitle.is_empty() {
        s.push_str(&format!(
            "<text x=\"300\" y=\"{}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"24\" fill=\"#d9c38c\">{}</text>\n",
            y + 30,
            xml::text(subtitle)
        ));
    }
    if !authors.is_empty() {
        s.push_str(&format!(
            "<text x=\"300\" y=\"800\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"26\" fill=\"#ffffff\">{}</text>\n",
            xml::text(&truncate(authors, 40))
        ));
    }
    s.push_str("</svg>\n");
    s
}

/// Display width: CJK and other wide characters count two.
fn width(c: char) -> usize {
    if (c as u32) >= 0x1100 {
        2
    } else {
        1
    }
}

fn truncate(s: &str, max: usize) -> String {
    let mut w = 0;
    let mut out = String::new();
    for c in s.chars() {
        w += width(c);
        if w > max {
            out.push('…');
            return out;
        }
        out.push(c);
    }
    out
}

/// Wraps `s` into lines at most `max` wide, at spaces where there are any.
fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut w = 0;
    for word in s.split_whitespace() {
        let ww: usize = word.chars().map(width).sum();
        if w > 0 && w + 1 + ww > max {
            lines.push(std::mem::take(&mut line));
            w = 0;
        }
        if ww > max {
            // A long word (or a CJK title without spaces): break anywhere.
            for c in word.chars() {
                if w + width(c) > max {
                    lines.push(std::mem::take(&mut line));
                    w = 0;
                }
                line.push(c);
                w += width(c);
            }
            continue;
        }
        if w > 0 {
            line.push(' ');
            w += 1;
        }
        line.push_str(word);
        w += ww;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// The body of `cover.xhtml`.
pub fn page_body(image_href: &str, title: &str) -> String {
    format!(
        "<section class=\"cover\" epub:type=\"cover\">\n<img src=\"{}\" alt=\"{}\"/>\n</section>",
        xml::attr(image_href),
        xml::attr(title)
    )
}

/// The body of `title.xhtml`.
pub fn title_body(title: &str, description: &str, authors: &str, span: &str, home: &str) -> String {
    let mut s = String::from("<section class=\"title-page\" epub:type=\"titlepage\">\n");
    s.push_str(&format!("<h1>{}</h1>\n", xml::text(title)));
    if !description.is_empty() {
        s.push_str(&format!(
            "<p class=\"description\">{}</p>\n",
            xml::text(description)
        ));
    }
    if !authors.is_empty() {
        s.push_str(&format!(
            "<p class=\"authors\">{}</p>\n",
            xml::text(authors)
        ));
    }
    if !span.is_empty() {
        s.push_str(&format!("<p class=\"span\">{}</p>\n", xml::text(span)));
    }
    s.push_str(&format!(
        "<p class=\"home\"><a href=\"{}\">{}</a></p>\n</section>",
        xml::attr(home),
        xml::text(home)
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_words_and_cjk() {
        assert_eq!(
            wrap("The quick brown fox jumps", 10),
            ["The quick", "brown fox", "jumps"]
        );
        assert_eq!(
            wrap("黄玄的博客很长很长", 8),
            ["黄玄的博", "客很长很", "长"]
        );
    }
}
