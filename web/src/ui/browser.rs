//! The few browser calls the app makes: the address, the clipboard,
//! downloads, files, and the reduced-motion preference.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::model::i18n::ui::{ui, Ui};
use crate::model::i18n::Lang;

fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| ui(&Ui::BrowserRefused))
}

/// The query (without `?`) and the fragment (without `#`), decoded by
/// the caller.
pub fn location_parts() -> (String, String) {
    let location = gloo::utils::window().location();
    let query = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    (
        query.trim_start_matches('?').to_owned(),
        hash.trim_start_matches('#').to_owned(),
    )
}

/// The page's address without the fragment.
pub fn page_address() -> String {
    let href = gloo::utils::window().location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_owned()
}

/// The page's address without query and fragment.
pub fn page_base() -> String {
    page_address()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Replaces the fragment without adding a history entry.
pub fn replace_fragment(fragment: &str) {
    set_fragment(fragment, false);
}

/// Sets the fragment as a new history entry (Back returns to the one
/// before).
pub fn push_fragment(fragment: &str) {
    set_fragment(fragment, true);
}

/// Sets the fragment unless it is already the page's; `push` adds a
/// history entry, otherwise the current one is replaced.
fn set_fragment(fragment: &str, push: bool) {
    let Ok(history) = gloo::utils::window().history() else {
        return;
    };
    let current = gloo::utils::window().location().hash().unwrap_or_default();
    if current.trim_start_matches('#') == fragment {
        return;
    }
    let url = format!("{}#{fragment}", page_address());
    let _ = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
    };
}

/// Copies `text` to the clipboard.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let clipboard = gloo::utils::window().navigator().clipboard();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|e| describe(&e))
}

/// Offers `text` as a file download called `name`.
pub fn download(name: &str, text: &str, mime: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| describe(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| describe(&e))?;
    let anchor: web_sys::HtmlAnchorElement = gloo::utils::document()
        .create_element("a")
        .map_err(|e| describe(&e))?
        .dyn_into()
        .map_err(|_| ui(&Ui::NoAnchor))?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The text of a file the user chose.
pub async fn file_text(file: web_sys::File) -> Result<String, String> {
    let text = JsFuture::from(file.text())
        .await
        .map_err(|e| describe(&e))?;
    text.as_string().ok_or_else(|| ui(&Ui::FileNotText))
}

/// Whether the user asked for reduced motion.
pub fn prefers_reduced_motion() -> bool {
    gloo::utils::window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Whether a key press belongs to a text field (and not to the player).
pub fn in_text_field(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.closest("[contenteditable]").ok().flatten().is_some()
        })
}

/// Listens for the player's keys on the whole page: `on_key` sees every
/// key press outside text fields and without Ctrl, Meta or Alt, and says
/// whether it took the key (then the browser's default action is
/// prevented). Dropping the listener stops it.
pub fn player_keys(
    on_key: impl Fn(&web_sys::KeyboardEvent) -> bool + 'static,
) -> gloo::events::EventListener {
    let options = gloo::events::EventListenerOptions::enable_prevent_default();
    gloo::events::EventListener::new_with_options(
        &gloo::utils::document(),
        "keydown",
        options,
        move |event| {
            let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            if in_text_field(event) || event.ctrl_key() || event.meta_key() || event.alt_key() {
                return;
            }
            if on_key(event) {
                event.prevent_default();
            }
        },
    )
}

/// The key in local storage that holds the language last chosen.
const LANG_KEY: &str = "strata-lang";

/// The language to show when the link chooses none: the one last chosen
/// with the switch, or else the browser's (`navigator.language`).
pub fn preferred_lang() -> Lang {
    let window = gloo::utils::window();
    let stored = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|code| Lang::from_code(&code).ok());
    stored.unwrap_or_else(|| Lang::of_browser(&window.navigator().language().unwrap_or_default()))
}

/// Remembers the language chosen with the switch, for the next visit.
pub fn remember_lang(lang: Lang) {
    if let Some(s) = gloo::utils::window().local_storage().ok().flatten() {
        let _ = s.set_item(LANG_KEY, lang.code());
    }
}

/// The key in local storage that marks a visit as not the first.
const VISITED_KEY: &str = "strata-visited";

/// Whether this is the first visit: no link was followed and the tour was
/// never offered before (local storage may be unavailable: then not).
pub fn first_visit() -> bool {
    let (_, fragment) = location_parts();
    let storage = gloo::utils::window().local_storage().ok().flatten();
    fragment.is_empty() && storage.is_some_and(|s| s.get_item(VISITED_KEY).ok().flatten().is_none())
}

/// Remembers that the tour was offered.
pub fn remember_visit() {
    if let Some(s) = gloo::utils::window().local_storage().ok().flatten() {
        let _ = s.set_item(VISITED_KEY, "1");
    }
}

/// Marks the panel `id` (`structure`, `bloom`, …) as the one the current
/// event concerns, and scrolls it into view if it is off screen.
pub fn highlight_panel(id: Option<&str>) {
    let document = gloo::utils::document();
    if let Ok(marked) = document.query_selector_all(".panel.focus") {
        for i in 0..marked.length() {
            if let Some(el) = marked
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.class_list().remove_1("focus");
            }
        }
    }
    let Some(id) = id else {
        return;
    };
    let Ok(Some(panel)) = document.query_selector(&format!("main .panel.{id}")) else {
        return;
    };
    let _ = panel.class_list().add_1("focus");
    // In a row of panels that scrolls sideways (a phone with the chapter
    // open): bring the panel to the row's start, leaving the page alone.
    if let Some(row) = panel
        .parent_element()
        .filter(|p| p.scroll_width() > p.client_width() + 1)
    {
        let (r, p) = (
            panel.get_bounding_client_rect(),
            row.get_bounding_client_rect(),
        );
        if r.left() < p.left() - 1.0 || r.right() > p.right() + 1.0 {
            row.set_scroll_left(row.scroll_left() + (r.left() - p.left()) as i32);
        }
    }
    let rect = panel.get_bounding_client_rect();
    let height = gloo::utils::window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    // Inside the panels' own scrolling column (wide screens) or the page:
    // the least movement that shows the panel.
    let column = panel
        .parent_element()
        .filter(|p| p.scroll_height() > p.client_height());
    let (top, bottom) = match &column {
        Some(c) => {
            let r = c.get_bounding_client_rect();
            (r.top(), r.bottom().min(height))
        }
        None => (0.0, height),
    };
    if rect.top() < top + 4.0 || rect.top() > bottom - 60.0 {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        panel.scroll_into_view_with_scroll_into_view_options(&options);
    }
}
