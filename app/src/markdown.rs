//! Markdown in, sanitised HTML out — done once, when a text is written, never per request.

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown to HTML and removes everything that could run or embed code: scripts, event
/// handler attributes, `javascript:` and other non-allow-listed URL schemes, iframes, styles.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let parser = Parser::new_ext(markdown, options);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_generic_attributes(["id"])
        .id_prefix(Some("md-"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_becomes_html() {
        let html = render("## Ziele\n\n* weniger *Verkehr*\n* mehr Grün");
        assert!(html.contains("<h2>Ziele</h2>"), "{html}");
        assert!(html.contains("<em>Verkehr</em>"), "{html}");
    }

    #[test]
    fn active_content_is_removed() {
        let html = render(
            "Hallo <script>alert(1)</script>\n\n[klick](javascript:alert(2))\n\n\
             <img src=x onerror=\"alert(3)\">\n\n<a href=\"JaVaScRiPt:alert(4)\">x</a>\n\n\
             <iframe src=\"https://evil.example\"></iframe><p style=\"x\" onclick=\"y\">p</p>",
        );
        let lower = html.to_lowercase();
        for needle in [
            "<script",
            "javascript:",
            "onerror",
            "onclick",
            "<iframe",
            "style=",
        ] {
            assert!(!lower.contains(needle), "{needle} survived in {html}");
        }
        assert!(html.contains("<img src=\"x\">"), "{html}");
    }

    #[test]
    fn links_do_not_leak_the_referrer_or_pass_rank() {
        let html = render("[Stadt](https://example.org)");
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
    }
}
