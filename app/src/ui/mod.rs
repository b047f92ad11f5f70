//! Reusable accessible building blocks: page layout, the one form field, loading and error views.

pub mod map;

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::account::views::UserMenu;
use crate::error::AppError;
use crate::i18n::{use_lang, use_texts};

/// Header with skip link, navigation and language switch; main landmark; footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let t = use_texts();
    view! {
        <a class="skip-link" href="#main">{t.skip_to_content}</a>
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href="/">
                    <span class="brand-name">{t.site_name}</span>
                    <span class="brand-tagline">{t.site_tagline}</span>
                </a>
                <nav aria-label=t.nav_label>
                    <ul class="nav-list">
                        <li><a href="/">{t.nav_home}</a></li>
                        <UserMenu/>
                        <li>
                            // A full page load, so the server sets the language cookie.
                            <a href=format!("?lang={}", t.other_lang_code) rel="external"
                                hreflang=t.other_lang_code lang=t.other_lang_code
                                aria-label=t.switch_language_label>{t.switch_language}</a>
                        </li>
                    </ul>
                </nav>
            </div>
        </header>
        <main id="main" class="wrap" tabindex="-1">{children()}</main>
        <crate::legal::views::LegalFooter/>
    }
}

/// A page's title, meta description and Open Graph tags (what search engines and link previews
/// in messengers show). The description is cut to about 160 characters at a word boundary.
#[component]
pub fn PageMeta(title: String, description: String) -> impl IntoView {
    let t = use_texts();
    let description = shorten(&description, 160);
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=description.clone()/>
        <Meta property="og:title" content=title/>
        <Meta property="og:description" content=description/>
        <Meta property="og:type" content="website"/>
        <Meta property="og:site_name" content=t.site_name/>
        <Meta property="og:locale" content=t.og_locale/>
    }
}

/// At most `max` characters, cut after a whole word, with "…" when cut.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

#[component]
pub fn Loading() -> impl IntoView {
    let t = use_texts();
    view! { <p class="loading" role="status">{t.loading}</p> }
}

/// A whole-page error: 404 gets the not-found page, anything else a short message.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound => view! { <NotFound/> }.into_any(),
        other => {
            let message = other.message(use_lang());
            view! {
                <Title text=message.clone()/>
                <h1>{message}</h1>
            }
            .into_any()
        }
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let t = use_texts();
    view! {
        <Title text=t.not_found_title/>
        <h1>{t.not_found_title}</h1>
        <p>{t.not_found_text}</p>
        <p><a href="/">{t.back_home}</a></p>
    }
}

/// The one labelled form field: label, control, hint and error, wired for screen readers
/// (`aria-describedby`, `aria-invalid`). `value` is what the field shows when rendered — the
/// user's kept text after a failed no-JavaScript submission.
#[component]
pub fn FormField(
    id: String,
    name: &'static str,
    label: &'static str,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] multiline: bool,
    #[prop(optional, into)] value: String,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// `text` unless given (`email`, `password`, …).
    #[prop(optional)]
    input_type: Option<&'static str>,
    /// A text's most characters: with JavaScript, a live count of what is left (the server
    /// checks the length regardless).
    #[prop(optional)]
    counter: Option<usize>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let t = crate::i18n::use_texts();
    let length = RwSignal::new(value.chars().count());
    // Only once the page is interactive: without JavaScript a count that never moves would mislead.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(counter.is_some()));
    let count_view = move || {
        let max = counter?;
        live.get().then(|| {
            let left = max as i64 - length.get() as i64;
            view! {
                <p class="char-count" class:char-count-over=left < 0 aria-hidden="true">{(t.chars_left)(left)}</p>
                // Screen readers hear about it only once it matters.
                <p class="visually-hidden" aria-live="polite">{(left < 0).then(|| (t.chars_left)(left))}</p>
            }
        })
    };
    let on_input = move |ev: leptos::ev::Event| length.set(event_target_value(&ev).chars().count());
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let hint_id = hint.as_ref().map(|_| hint_id.clone());
        let error_id = error_id.clone();
        move || {
            let mut ids: Vec<String> = hint_id.iter().cloned().collect();
            if error.read().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error.read().is_some().then_some("true");
    let control = if multiline {
        // Leptos does not escape a textarea's children (it treats them like <script>), so the
        // user's text goes in escaped by us: `</textarea>` in a kept draft must stay text.
        view! {
            <textarea id=id.clone() name=name rows="6" aria-describedby=described_by
                aria-invalid=invalid inner_html=escape_html(&value) on:input=on_input></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() name=name type=input_type.unwrap_or("text") value=value autocomplete=autocomplete
                aria-describedby=described_by aria-invalid=invalid/>
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-invalid=move || error.read().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {move || error.get().map(|msg| view! { <p class="field-error" id=error_id.clone()>{msg}</p> })}
            {control}
            {count_view}
        </div>
    }
}

/// The error to show for a form: the latest submission's (with JavaScript), else the one a
/// no-JavaScript post left behind; none after a success.
pub fn submission_error<O>(
    value: impl Get<Value = Option<Result<O, AppError>>> + Send + Sync + 'static,
    initial: Option<AppError>,
) -> Signal<Option<AppError>>
where
    O: Send + Sync + 'static,
{
    Signal::derive(move || match value.get() {
        Some(Err(err)) => Some(err),
        Some(Ok(_)) => None,
        None => initial.clone(),
    })
}

/// The `:org` and `:slug` of the current route, as a resource source (tracked).
pub fn use_org_and_slug() -> impl Fn() -> (String, String) + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        let p = params.read();
        (
            p.get("org").unwrap_or_default(),
            p.get("slug").unwrap_or_default(),
        )
    }
}

/// A full page load of `path` (after signing in or out, so every part of the page is fresh).
pub fn reload_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let location = window.location();
        let current = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        let (target, hash) = path.split_once('#').unwrap_or((path, ""));
        if target == current {
            // Only the fragment would change, which loads nothing: reload explicitly.
            if !hash.is_empty() {
                let _ = location.set_hash(hash);
            }
            let _ = location.reload();
        } else {
            let _ = location.assign(path);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Escapes text for an HTML text or attribute context.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A heading of the given level (2 to 6; others become 6), with an optional id: for parts that
/// stand at different depths on different pages.
pub fn heading(level: u8, id: Option<String>, children: AnyView) -> AnyView {
    match level {
        2 => view! { <h2 id=id>{children}</h2> }.into_any(),
        3 => view! { <h3 id=id>{children}</h3> }.into_any(),
        4 => view! { <h4 id=id>{children}</h4> }.into_any(),
        5 => view! { <h5 id=id>{children}</h5> }.into_any(),
        _ => view! { <h6 id=id>{children}</h6> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn descriptions_are_cut_at_a_word() {
        assert_eq!(super::shorten("kurz", 160), "kurz");
        let long = "Wort ".repeat(50);
        let cut = super::shorten(&long, 40);
        assert!(cut.chars().count() <= 40 && cut.ends_with("Wort…"), "{cut}");
    }

    #[test]
    fn escaping_keeps_text_from_becoming_markup() {
        assert_eq!(
            super::escape_html("</textarea><b a='1'>&\""),
            "&lt;/textarea&gt;&lt;b a=&#39;1&#39;&gt;&amp;&quot;"
        );
    }
}
