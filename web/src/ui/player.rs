//! The one reducer of the app: it hands every action to the
//! [`Controller`] and takes a snapshot of what the components draw.

use std::cell::RefCell;
use std::rc::Rc;

use strata_engine::Options;
use strata_tutorials::Chapter;
use yew::Reducible;

use super::Shared;
use crate::model::asks::QuestionView;
use crate::model::controller::{Action, Controller, Notice, TourView};
use crate::model::focus::Panel;
use crate::model::i18n::{self, Lang};
use crate::model::lesson::SceneRef;
use crate::model::setup::{Embed, Persistence};
use crate::model::views::Views;

/// What the components draw, cheap to clone and compare.
#[derive(Clone, PartialEq)]
pub struct Snapshot {
    /// The views at the frame shown.
    pub views: Shared<Views>,
    /// Playing?
    pub playing: bool,
    /// Frames per second.
    pub speed: f64,
    /// The message shown.
    pub notice: Option<Notice>,
    /// The options the engine runs with.
    pub options: Shared<Options>,
    /// The preset, if any.
    pub preset: Option<&'static str>,
    /// Memory or IndexedDB.
    pub persistence: Persistence,
    /// Bumped when the session is replaced.
    pub revision: u64,
    /// Embedding settings.
    pub embed: Embed,
    /// Command lines run.
    pub commands: usize,
    /// IndexedDB status ("saved", …).
    pub status: String,
    /// Whether the options differ from the preset's.
    pub overridden: bool,
    /// The chapter shown beside the visualizer, in the language shown.
    pub chapter: Option<&'static Chapter>,
    /// The language shown.
    pub lang: Lang,
    /// The tutorial scene loaded, if any.
    pub scene: Option<SceneRef>,
    /// The scene's question at the frame shown.
    pub question: Option<QuestionView>,
    /// Playing stops before every compaction.
    pub pause_before_compaction: bool,
    /// The tour box, while the tour runs.
    pub tour: Option<TourView>,
    /// The panel to highlight.
    pub focus: Option<Panel>,
    /// Typed commands that succeeded.
    pub commands_ok: u64,
    /// The blurb's note about typed commands.
    pub blurb_note: Option<String>,
    /// The scenario menu's entry.
    pub menu_entry: (Option<&'static str>, String),
    /// The page title.
    pub title: String,
    /// The table shown key by key.
    pub table: Option<Shared<crate::model::table_detail::TableDetail>>,
    /// The setup, while it is a comparison (compare mode).
    pub compare: Option<crate::model::setup::Setup>,
}

impl Snapshot {
    fn of(c: &Controller, previous: Option<&Snapshot>) -> Snapshot {
        // The text drawn from here on (this snapshot's too) is in the
        // controller's language.
        i18n::show_in(c.lang());
        let options = match previous {
            Some(p) if p.revision == c.revision => p.options.clone(),
            _ => Shared(Rc::new(c.session.options().clone())),
        };
        Snapshot {
            views: Shared(c.views.clone()),
            playing: c.playback.playing,
            speed: c.playback.speed,
            notice: c.notice.clone(),
            options,
            preset: c.setup.preset.map(|p| p.id),
            persistence: c.setup.persistence,
            revision: c.revision,
            embed: c.embed,
            commands: c.setup.commands.len(),
            status: c.status.clone(),
            overridden: !c.setup.overrides.is_empty(),
            chapter: c.chapter_shown(),
            lang: c.lang(),
            scene: c.setup.scene,
            question: c.question(),
            pause_before_compaction: c.pause_before_compaction,
            tour: c.tour_view(),
            focus: c.focus_panel(),
            commands_ok: c.commands_ok,
            blurb_note: c.setup.blurb_note(),
            menu_entry: c.setup.menu_entry(),
            title: crate::model::embed::page_title(&c.setup),
            table: c.table.clone().map(Shared),
            compare: c.setup.compare.is_some().then(|| c.setup.clone()),
        }
    }
}

/// The app's state: the controller (shared, mutable) and the snapshot.
pub struct Player {
    /// The controller; borrowed only inside `reduce` and briefly by
    /// effects that read the link.
    pub controller: Rc<RefCell<Controller>>,
    /// What the components draw.
    pub snap: Snapshot,
}

impl Player {
    /// A player around `controller`.
    pub fn new(controller: Controller) -> Self {
        let snap = Snapshot::of(&controller, None);
        Self {
            controller: Rc::new(RefCell::new(controller)),
            snap,
        }
    }
}

impl PartialEq for Player {
    fn eq(&self, other: &Self) -> bool {
        self.snap == other.snap
    }
}

impl Reducible for Player {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let applied = self
            .controller
            .try_borrow_mut()
            .map(|mut c| {
                c.apply(action);
                Snapshot::of(&c, Some(&self.snap))
            })
            .ok();
        let Some(snap) = applied else {
            return self;
        };
        if snap == self.snap {
            return self;
        }
        Rc::new(Player {
            controller: self.controller.clone(),
            snap,
        })
    }
}
