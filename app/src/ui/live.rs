//! The browser's end of live updates: one `EventSource` on `/api/events` while someone is
//! signed in, opened by the `LiveIndicator` island. A status change or note on a referral
//! re-reads just that referral's card (`Live::last_change`). A new referral shows a "this
//! list has changed" notice (`ChangesWaiting`) rather than moving cards under the reader's
//! hands. After a gap too big to replay (`Live::resync`), every card re-reads itself.
//! The browser reconnects by itself and sends `Last-Event-ID`, so the server replays what
//! was missed. Nothing here runs during server rendering.
//!
//! Islands hydrate one by one, each with its own reactive owner, so they cannot share a
//! context: in the browser, `Live` is one value per page (`use_live`).

use crate::model::live::Change;
use crate::ui::use_strings;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveState {
    /// Not signed in, or not in a browser.
    Off,
    Open,
    /// The connection dropped; the browser is retrying.
    Reconnecting,
}

#[derive(Clone, Copy)]
pub struct Live {
    /// Moves on every event the user may see.
    tick: RwSignal<u64>,
    /// Moves when a referral the user may see was created.
    created: RwSignal<u64>,
    /// Moves when events may have been missed: everything shown should be read again.
    resync: RwSignal<u64>,
    last_change: RwSignal<Option<Change>>,
    /// Every event, new referrals too (a program's count follows its own).
    last_event: RwSignal<Option<Change>>,
    state: RwSignal<LiveState>,
    /// What a screen reader is told about a change someone else made (politely).
    announcement: RwSignal<String>,
}

impl Live {
    fn new() -> Live {
        Live {
            tick: RwSignal::new(0),
            created: RwSignal::new(0),
            resync: RwSignal::new(0),
            last_change: RwSignal::new(None),
            last_event: RwSignal::new(None),
            state: RwSignal::new(LiveState::Off),
            announcement: RwSignal::new(String::new()),
        }
    }

    /// Tells screen-reader users, without moving their focus, what just changed.
    pub fn announce(&self, text: String) {
        self.announcement.set(text);
    }

    /// Changes on every event the user may see: for pages that summarise (counts, tables).
    pub fn tick(&self) -> u64 {
        self.tick.get()
    }

    /// The current tick without subscribing (to tell later changes from the first value).
    pub fn tick_untracked(&self) -> u64 {
        self.tick.get_untracked()
    }

    /// Changes when a referral the user may see was created.
    pub fn created(&self) -> u64 {
        self.created.get()
    }

    /// Changes when the page may have missed events (a reconnect, a gap too big to replay).
    pub fn resync(&self) -> u64 {
        self.resync.get()
    }

    /// The current resync count without subscribing.
    pub fn resync_untracked(&self) -> u64 {
        self.resync.get_untracked()
    }

    /// The latest status change or note: a card showing that referral re-reads itself.
    pub fn last_change(&self) -> Option<Change> {
        self.last_change.get()
    }

    /// The latest event of any kind.
    pub fn last_event(&self) -> Option<Change> {
        self.last_event.get()
    }

    pub fn state(&self) -> LiveState {
        self.state.get()
    }
}

#[cfg(feature = "hydrate")]
thread_local! {
    // Made under a root of its own: an island's reactive scope that happens to ask first
    // may be disposed, and the page's `Live` must outlive it.
    static PAGE_LIVE: Live = {
        let owner = Owner::new_root(None);
        let live = owner.with(Live::new);
        std::mem::forget(owner);
        live
    };
}

/// The live updates of this page: in the browser the page's one `Live`; on the server a
/// still one (nothing moves while rendering).
pub fn use_live() -> Live {
    #[cfg(feature = "hydrate")]
    {
        PAGE_LIVE.with(|live| *live)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Live::new()
    }
}

/// Says, politely and without moving focus, when live updates are paused; and, to screen
/// readers only, what someone else just changed. For someone signed in it also opens the
/// page's event stream.
#[island]
pub fn LiveIndicator(signed_in: bool) -> impl IntoView {
    let live = use_live();
    #[cfg(feature = "hydrate")]
    if signed_in {
        browser::connect(live);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = signed_in;
    let t = use_strings();
    view! {
        <p class="live-status" role="status" aria-live="polite">
            {move || (live.state() == LiveState::Reconnecting)
                .then_some(t.live_paused)}
        </p>
        <p class="sr-only" role="status" aria-live="polite" id="live-announcement">
            {move || live.announcement.get()}
        </p>
    }
}

/// What a list page waits for before it offers to show the latest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Waiting {
    /// Lists of referrals: a new one arrived (changes to shown ones update their cards).
    NewReferrals,
    /// Summaries (statuses in a table): any change.
    AnyChange,
}

/// "This list has changed. Show the latest": a polite notice instead of rows that move
/// while someone reads or types. The link reloads the same address.
#[island]
pub fn ChangesWaiting(waiting: Waiting) -> impl IntoView {
    let live = use_live();
    let start = (
        live.created.get_untracked(),
        live.resync.get_untracked(),
        live.tick.get_untracked(),
    );
    let changed = move || match waiting {
        Waiting::NewReferrals => (live.created(), live.resync()) != (start.0, start.1),
        Waiting::AnyChange => live.tick() != start.2,
    };
    let t = use_strings();
    view! {
        <p class="changes-waiting" role="status" aria-live="polite">
            {move || changed().then(|| view! {
                {t.live_list_changed} " " <a href="">{t.live_show_latest}</a>
            })}
        </p>
    }
}

/// Tests and benchmarks wait for `<html data-hydrated="true">`: set once the islands of the
/// page have hydrated (they do so right after the WASM starts, in the same task).
#[cfg(feature = "hydrate")]
pub fn mark_hydrated_after_islands() {
    set_timeout(
        || {
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{Live, LiveState};
    use crate::model::live::{Change, ChangeKind, REFETCH_EVENT};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::EventSource;

    /// Opens the page's stream (once, however many islands ask).
    pub fn connect(live: Live) {
        thread_local! {
            static OPEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        }
        if OPEN.with(|open| open.replace(true)) {
            return;
        }
        let slot = StoredValue::new_local(None::<EventSource>);
        let source = open(live, slot);
        slot.set_value(source);
    }

    /// `<html data-live="…">`: lets tests (and curious people) see the connection state.
    fn mark(state: &str) {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-live", state);
        }
    }

    fn open(
        live: Live,
        slot: StoredValue<Option<EventSource>, LocalStorage>,
    ) -> Option<EventSource> {
        let source = EventSource::new("/api/events").ok()?;
        let on_change =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let change = e
                    .data()
                    .as_string()
                    .and_then(|d| serde_json::from_str::<Change>(&d).ok());
                if let Some(c) = change {
                    live.last_event.set(Some(c));
                }
                match change {
                    Some(c) if c.kind == ChangeKind::Created => live.created.update(|n| *n += 1),
                    Some(c) => live.last_change.set(Some(c)),
                    // A refetch request: too much was missed to replay.
                    None => live.resync.update(|n| *n += 1),
                }
                live.tick.update(|t| *t += 1);
            });
        for name in ["created", "status", "note", REFETCH_EVENT] {
            let _ =
                source.add_event_listener_with_callback(name, on_change.as_ref().unchecked_ref());
        }
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            // Back after a drop: the replay covers what the server kept; re-read anyway in
            // case the gap was longer than the replay.
            if live.state.get_untracked() == LiveState::Reconnecting {
                live.resync.update(|n| *n += 1);
                live.tick.update(|n| *n += 1);
            }
            live.state.set(LiveState::Open);
            mark("open");
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        let this = source.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            live.state.set(LiveState::Reconnecting);
            mark("reconnecting");
            // The browser retries network errors itself; an HTTP error (the server down
            // behind a proxy, too many tabs) closes the stream for good, so try again later.
            if this.ready_state() == EventSource::CLOSED {
                let retry = move || {
                    slot.update_value(|current| {
                        if current
                            .as_ref()
                            .is_some_and(|s| s.ready_state() == EventSource::CLOSED)
                        {
                            *current = open(live, slot);
                        }
                    })
                };
                set_timeout(retry, std::time::Duration::from_secs(5));
            }
        });
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The callbacks live as long as the page; a stream reopened after an HTTP error
        // adds three small closures.
        on_change.forget();
        on_open.forget();
        on_error.forget();
        Some(source)
    }
}
