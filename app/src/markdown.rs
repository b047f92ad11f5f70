//! Markdown in, sanitised HTML out — done once, when a text is written, never per request.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// Renders Markdown to HTML and removes everything that could run or embed code: scripts, event
/// handler attributes, `javascript:` and other non-allow-listed URL schemes, iframes, styles.
pub fn render(markdown: &str) -> String {
    render_with_sections(markdown).0
}

/// [`render`], and the text's sections: each heading's anchor (as in the HTML, `md-…`) and text.
pub fn render_with_sections(markdown: &str) -> (String, Vec<(String, String)>) {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let mut sections = Vec::new();
    let events = with_section_ids(Parser::new_ext(markdown, options).collect(), &mut sections);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events.into_iter());
    let html = ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_generic_attributes(["id"])
        .id_prefix(Some("md-"))
        .clean(&unsafe_html)
        .to_string();
    (html, sections)
}

/// A comment's limited Markdown: emphasis, lists, quotes, code and links — no headings (they
/// become paragraphs), no images (their description stays as text), no raw HTML (shown as the
/// text it is). Links get `rel="nofollow ugc noopener"` (and no referrer); only http(s) and mailto
/// links survive.
pub fn render_comment(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Start(Tag::Heading { .. }) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::Heading(_)) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
        Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => None,
        Event::Rule => None,
        other => Some(other),
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    ammonia::Builder::empty()
        .add_tags([
            "p",
            "br",
            "em",
            "strong",
            "del",
            "ul",
            "ol",
            "li",
            "a",
            "code",
            "pre",
            "blockquote",
        ])
        .add_tag_attributes("a", ["href"])
        .add_tag_attributes("ol", ["start"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("nofollow ugc noopener noreferrer"))
        .clean(&unsafe_html)
        .to_string()
}

/// Gives every heading without an id one made from its text (`## Ziele für 2027` →
/// `ziele-fur-2027`, unique within the text), so that each section has an address (ammonia
/// prefixes it with `md-`: `#md-ziele-fur-2027`).
fn with_section_ids<'a>(
    mut events: Vec<Event<'a>>,
    sections: &mut Vec<(String, String)>,
) -> Vec<Event<'a>> {
    let mut used: Vec<String> = Vec::new();
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { id: None, .. }) = &events[i] else {
            continue;
        };
        let mut text = String::new();
        for e in &events[i + 1..] {
            match e {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
        }
        let base = section_slug(&text);
        if base.is_empty() {
            continue;
        }
        let mut slug = base.clone();
        let mut n = 2;
        while used.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        used.push(slug.clone());
        sections.push((format!("md-{slug}"), text.trim().to_string()));
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            *id = Some(CowStr::from(slug));
        }
    }
    events
}

/// Lower-case ASCII letters and digits joined by hyphens; German umlauts and ß spelled out.
pub fn section_slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.to_lowercase().chars() {
        let piece = match ch {
            'ä' => "ae".to_string(),
            'ö' => "oe".to_string(),
            'ü' => "ue".to_string(),
            'ß' => "ss".to_string(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            _ => "-".to_string(),
        };
        out.push_str(&piece);
    }
    out.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .take(60)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{render, render_comment, render_with_sections};

    #[test]
    fn comments_get_limited_markdown() {
        let html = render_comment(
            "# Titel\n\n*betont* und **fett**\n\n- eins\n- zwei\n\n![Bild](https://x.example/a.png)\n\n[Stadt](https://example.org)",
        );
        assert!(!html.contains("<h1"), "{html}");
        assert!(html.contains("<p>Titel</p>"), "{html}");
        assert!(html.contains("<em>betont</em>"), "{html}");
        assert!(html.contains("<strong>fett</strong>"), "{html}");
        assert!(html.contains("<li>eins</li>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("Bild"), "{html}");
        assert!(
            html.contains("<a href=\"https://example.org\" rel=\"nofollow ugc noopener noreferrer\">Stadt</a>"),
            "{html}"
        );
    }

    #[test]
    fn comments_cannot_carry_active_content() {
        let html = render_comment(
            "<script>alert(1)</script> <img src=x onerror=alert(2)>\n\n\
             [a](javascript:alert(3)) [b](data:text/html,<script>alert(4)</script>) \
             <a href=\"https://x.example\" onclick=\"alert(5)\">c</a>\n\n\
             <div style=\"x\">d</div>",
        );
        // Every real tag (escaped text is `&lt;…`) is one of ours, with harmless attributes.
        for tag in html
            .split('<')
            .skip(1)
            .map(|t| t.split('>').next().unwrap_or(""))
        {
            let name = tag
                .trim_start_matches('/')
                .split([' ', '>'])
                .next()
                .unwrap_or("");
            assert!(["p", "a", "br"].contains(&name), "<{tag}> in {html}");
            let lower = tag.to_lowercase();
            for bad in [" on", "style=", "javascript:", "data:"] {
                assert!(!lower.contains(bad), "{bad} in <{tag}> of {html}");
            }
        }
        // Raw HTML stays readable as text.
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn headings_become_addressable_sections() {
        let html = render("## Worum es geht\n\nText\n\n## Ziele für 2027\n\n## Worum es geht");
        assert!(html.contains("<h2 id=\"md-worum-es-geht\">"), "{html}");
        assert!(html.contains("<h2 id=\"md-ziele-fuer-2027\">"), "{html}");
        assert!(html.contains("<h2 id=\"md-worum-es-geht-2\">"), "{html}");
    }

    #[test]
    fn sections_are_listed_with_their_anchors() {
        let (html, sections) =
            render_with_sections("Intro\n\n## Worum es geht\n\nText\n\n### Ziele für 2027\n");
        assert_eq!(
            sections,
            vec![
                ("md-worum-es-geht".to_string(), "Worum es geht".to_string()),
                (
                    "md-ziele-fuer-2027".to_string(),
                    "Ziele für 2027".to_string()
                ),
            ]
        );
        for (id, _) in &sections {
            assert!(html.contains(&format!("id=\"{id}\"")), "{html}");
        }
    }

    #[test]
    fn markdown_becomes_html() {
        let html = render("## Ziele\n\n* weniger *Verkehr*\n* mehr Grün");
        assert!(html.contains("<h2 id=\"md-ziele\">Ziele</h2>"), "{html}");
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
