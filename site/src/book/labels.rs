//! The chapter pages' own words, per language (the chapters bring theirs).

/// Words of the pages around the chapters.
#[derive(Clone, Copy, Debug)]
pub struct Labels {
    pub book_title: &'static str,
    pub contents: &'static str,
    pub visualizer: &'static str,
    pub search_placeholder: &'static str,
    pub search_label: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub open_beside: &'static str,
    pub editions: &'static str,
    pub serving_note: &'static str,
    pub appendices: &'static str,
    pub run_scene: &'static str,
}

const EN: Labels = Labels {
    book_title: "Strata — the chapters",
    contents: "Contents",
    visualizer: "Visualizer",
    search_placeholder: "Search the chapters",
    search_label: "Search",
    previous: "Previous",
    next: "Next",
    open_beside: "Open this chapter beside the visualizer",
    editions: "Also in",
    serving_note:
        "Every chapter is one printable page. These pages open straight from the folder; \
                   the visualizer needs a web server — in the site's folder run \
                   <code>python3 -m http.server 8000 --bind 127.0.0.1</code> and open \
                   http://127.0.0.1:8000/ (see README.txt).",
    appendices: "Glossary and labs",
    run_scene: "Run this scene in the visualizer",
};

const ZH: Labels = Labels {
    book_title: "Strata — 教程章节",
    contents: "目录",
    visualizer: "可视化",
    search_placeholder: "搜索章节",
    search_label: "搜索",
    previous: "上一章",
    next: "下一章",
    open_beside: "在可视化旁打开本章",
    editions: "其他语言",
    serving_note: "每一章都是一个可打印的页面，可直接从文件夹打开；可视化需要 Web 服务器——\
                   在站点文件夹中运行 <code>python3 -m http.server 8000 --bind 127.0.0.1</code>，\
                   然后打开 http://127.0.0.1:8000/（见 README.txt）。",
    appendices: "术语表与实验",
    run_scene: "在可视化器中运行这个场景",
};

/// The labels for language `lang` (English for languages without their own).
pub fn labels(lang: &str) -> &'static Labels {
    if lang == "zh" || lang.starts_with("zh-") {
        &ZH
    } else {
        &EN
    }
}
