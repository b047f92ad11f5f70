//! The Atom feed of an organisation's new consultations (`/{org}/feed.atom`): public ones only.

use super::ConsultationCard;
use crate::ui::escape_html;

/// One entry: the consultation and when it was published or last changed (unix seconds).
pub struct Entry {
    pub card: ConsultationCard,
    pub updated_at: i64,
}

/// An RFC 3339 UTC timestamp.
pub fn rfc3339(unix: i64) -> String {
    let (y, m, d) = crate::i18n::civil_from_days(unix.div_euclid(86_400));
    let s = unix.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// The feed document. `base_url` is the instance's public origin; every text is escaped.
pub fn atom(
    base_url: &str,
    org_slug: &str,
    org_name: &str,
    title: &str,
    entries: &[Entry],
) -> String {
    let feed_url = format!("{base_url}/{org_slug}/feed.atom");
    let updated = entries.iter().map(|e| e.updated_at).max().unwrap_or(0);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{}</title>\n<id>{}</id>\n<link rel=\"self\" href=\"{}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base_url}/{}\"/>\n<updated>{}</updated>\n\
         <author><name>{}</name></author>\n",
        escape_html(title),
        escape_html(&feed_url),
        escape_html(&feed_url),
        escape_html(org_slug),
        rfc3339(updated),
        escape_html(org_name),
    );
    for e in entries {
        let url = format!("{base_url}{}", e.card.path());
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <updated>{}</updated>\n<summary>{}</summary>\n</entry>\n",
            escape_html(&e.card.title),
            escape_html(&url),
            escape_html(&url),
            rfc3339(e.updated_at),
            escape_html(&e.card.summary),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// `/sitemap.xml`: the home page, every organisation's page and every public consultation (with
/// its last change). Drafts and scheduled consultations are never in it.
pub fn sitemap(base_url: &str, organisations: &[(String, String)], entries: &[Entry]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |path: &str, updated: Option<i64>| {
        xml.push_str(&format!(
            "<url><loc>{}</loc>{}</url>\n",
            escape_html(&format!("{base_url}{path}")),
            updated
                .map(|t| format!("<lastmod>{}</lastmod>", rfc3339(t)))
                .unwrap_or_default()
        ));
    };
    url("/", None);
    for (slug, _) in organisations {
        url(&format!("/{slug}"), None);
    }
    for e in entries {
        url(&e.card.path(), Some(e.updated_at));
    }
    xml.push_str("</urlset>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::Status;

    #[test]
    fn timestamps_are_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_796_144_400), "2026-12-01T17:00:00Z");
    }

    #[test]
    fn entries_are_escaped() {
        let card = ConsultationCard {
            org_slug: "musterstadt".into(),
            org_name: "Stadt".into(),
            slug: "x".into(),
            title: "A & B <script>".into(),
            summary: "\"s\"".into(),
            status: Status::Open,
            opens_at: None,
            closes_at: None,
        };
        let xml = atom(
            "https://m.example",
            "musterstadt",
            "Stadt",
            "Neu",
            &[Entry {
                card,
                updated_at: 5,
            }],
        );
        assert!(
            xml.contains("<title>A &amp; B &lt;script&gt;</title>"),
            "{xml}"
        );
        assert!(xml.contains("<id>https://m.example/musterstadt/x</id>"));
        assert!(!xml.contains("<script>"));
    }
}
