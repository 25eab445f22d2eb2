//! The language chosen in a link (`lang=zh`): it survives the link and the
//! actions that rebuild the session, and the chapter panel shows the
//! chosen edition while links keep naming the English chapters.

#![allow(clippy::unwrap_used)]

use strata_tutorials::CHAPTERS_ZH;

use super::*;
use crate::model::controller::tests::controller;
use crate::model::controller::Action;
use crate::model::embed::{embed_code, PanelSet};
use crate::model::setup::Setup;

#[test]
fn the_language_survives_the_link() {
    let setup = Setup::from_fragment("s=l0-to-l1&ch=bloom&lang=zh").unwrap();
    assert_eq!(setup.lang, Some(Lang::Zh));
    assert!(
        setup.to_fragment().contains("lang=zh"),
        "{}",
        setup.to_fragment()
    );
    assert_eq!(Setup::from_fragment(&setup.to_fragment()), Ok(setup));
    let english = Setup::from_fragment("s=l0-to-l1&lang=en").unwrap();
    assert_eq!(english.lang, Some(Lang::En));
    assert!(english.to_fragment().ends_with("lang=en"));
    assert_eq!(Setup::from_fragment("s=l0-to-l1").unwrap().lang, None);
    assert!(!Setup::default().to_fragment().contains("lang"));
}

#[test]
fn an_unknown_language_says_which_there_are() {
    let err = Setup::from_fragment("lang=fr").unwrap_err();
    assert!(err.contains("fr") && err.contains("zh"), "{err}");
}

#[test]
fn browser_languages_map_to_the_catalogues() {
    assert_eq!(Lang::of_browser("zh-CN"), Lang::Zh);
    assert_eq!(Lang::of_browser("zh_TW"), Lang::Zh);
    assert_eq!(Lang::of_browser("ZH"), Lang::Zh);
    assert_eq!(Lang::of_browser("en-GB"), Lang::En);
    assert_eq!(Lang::of_browser("de"), Lang::En);
    assert_eq!(Lang::of_browser(""), Lang::En);
}

#[test]
fn the_embed_code_keeps_the_language() {
    let c = controller("s=l0-to-l1&lang=zh");
    let fragment = c.fragment().unwrap();
    let code = embed_code("https://x.org/", &fragment, &c.setup, PanelSet::ALL);
    assert!(code.contains("lang=zh"), "{code}");
}

#[test]
fn the_chapter_panel_shows_the_chosen_edition() {
    let mut c = controller("s=l0-to-l1&ch=bloom");
    assert_eq!(c.lang(), Lang::En);
    assert_eq!(c.chapter_shown().unwrap().lang, strata_tutorials::Lang::En);
    // With no choice in the link, the browser's language decides.
    c.browser_lang = Lang::Zh;
    assert_eq!(c.lang(), Lang::Zh);
    let zh = c.chapter_shown().unwrap();
    assert_eq!((zh.slug, zh.lang), ("bloom", strata_tutorials::Lang::Zh));
    assert_eq!(zh.title, "布隆过滤器");
    // A choice in the link (or the switch) wins over the browser's.
    c.apply(Action::SetLang(Lang::En));
    assert_eq!(c.chapter_shown().unwrap().title, "Bloom filters");
    c.browser_lang = Lang::En;
    c.apply(Action::SetLang(Lang::Zh));
    assert_eq!(c.chapter_shown(), Some(zh));
}

#[test]
fn choosing_a_language_keeps_the_session_and_the_link_says_it() {
    let mut c = controller("s=l0-to-l1&p=5");
    let revision = c.revision;
    c.apply(Action::SetLang(Lang::Zh));
    assert_eq!(c.revision, revision, "the session was rebuilt");
    assert_eq!(c.lang_chosen(), Some(Lang::Zh));
    assert!(c.fragment().unwrap().contains("lang=zh"));
    c.apply(Action::LoadPreset("first-flush".to_owned()));
    assert_eq!(c.lang_chosen(), Some(Lang::Zh), "a new scenario forgot it");
}

#[test]
fn chapters_picked_in_chinese_are_linked_by_their_english_slug() {
    let mut c = controller("s=l0-to-l1&lang=zh");
    let zh_wal = CHAPTERS_ZH.iter().find(|ch| ch.slug == "wal").unwrap();
    c.apply(Action::ShowChapter(Some(zh_wal)));
    assert_eq!(c.setup.chapter, Some(find_chapter("wal").unwrap()));
    assert_eq!(c.chapter_shown(), Some(zh_wal));
    c.apply(Action::RunScene(SceneRef::new(zh_wal, 0).unwrap()));
    assert_eq!(
        c.setup.scene,
        Some(SceneRef::new(find_chapter("wal").unwrap(), 0).unwrap())
    );
    assert_eq!(c.lang_chosen(), Some(Lang::Zh));
}

#[test]
fn chinese_neighbours_stay_in_the_chinese_edition() {
    let zh_first = CHAPTERS_ZH.first().unwrap();
    assert_eq!(neighbours(zh_first), (None, CHAPTERS_ZH.get(1)));
    assert_eq!(in_language(zh_first, Lang::En), CHAPTERS.first().unwrap());
    for (en, zh) in CHAPTERS.iter().zip(CHAPTERS_ZH) {
        assert_eq!(in_language(en, Lang::Zh), zh);
    }
}

#[test]
fn switching_the_language_rewords_the_frame_shown() {
    let mut c = controller("s=l0-to-l1&p=5");
    let english = c.views.frame.narration.clone();
    assert!(!has_chinese(&english), "{english}");
    c.apply(Action::SetLang(Lang::Zh));
    let chinese = c.views.frame.narration.clone();
    assert_ne!(chinese, english);
    assert!(has_chinese(&chinese), "{chinese}");
    // Playing on narrates in the language chosen too.
    c.apply(Action::Step(1));
    assert!(has_chinese(&c.views.frame.narration));
    c.apply(Action::SetLang(Lang::En));
    assert!(!has_chinese(&c.views.frame.narration));
}

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn wording_the_page_in_a_language_leaves_the_link_as_it_was() {
    for link in ["sc=bloom:0", "s=l0-to-l1", "s=l0-to-l1&p=5&lang=zh"] {
        let mut c = controller(link);
        let before = c.fragment().unwrap();
        c.browser_lang = Lang::Zh;
        c.show_language();
        assert_eq!(c.fragment().unwrap(), before, "{link}");
        // Choosing a language adds it to the link, and nothing else.
        c.apply(Action::SetLang(Lang::En));
        let without_lang = |f: String| {
            f.split('&')
                .filter(|p| !p.starts_with("lang="))
                .collect::<Vec<_>>()
                .join("&")
        };
        assert_eq!(
            without_lang(c.fragment().unwrap()),
            without_lang(before),
            "{link}"
        );
    }
}
