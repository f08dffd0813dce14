//! The browser's end of live updates: one `EventSource` on `/api/events` while someone is
//! signed in. A status change or note on a referral re-reads just that referral's card
//! (`Live::last_change`); a new referral, or a gap too big to replay, re-reads the lists
//! (`Live::lists`); `Live::tick` moves on every event, for summaries such as counts.
//! The browser reconnects by itself and sends `Last-Event-ID`, so the server replays what
//! was missed. Nothing here runs during server rendering.

use crate::model::live::Change;
use leptos::prelude::*;

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
    tick: RwSignal<u64>,
    lists: RwSignal<u64>,
    last_change: RwSignal<Option<Change>>,
    state: RwSignal<LiveState>,
    /// What a screen reader is told about a change someone else made (politely).
    announcement: RwSignal<String>,
}

impl Live {
    fn new() -> Live {
        Live {
            tick: RwSignal::new(0),
            lists: RwSignal::new(0),
            last_change: RwSignal::new(None),
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

    /// Changes when lists may have gained rows (a new referral) or the page missed too much.
    pub fn lists(&self) -> u64 {
        self.lists.get()
    }

    /// The latest status change or note: a card showing that referral re-reads itself.
    pub fn last_change(&self) -> Option<Change> {
        self.last_change.get()
    }

    pub fn state(&self) -> LiveState {
        self.state.get()
    }
}

/// The live updates of this page, or a still one where none were provided.
pub fn use_live() -> Live {
    use_context::<Live>().unwrap_or_else(Live::new)
}

/// Provides `Live` and, in the browser, keeps a stream open while `signed_in` is true.
pub fn provide_live(signed_in: Signal<bool>) {
    let live = Live::new();
    provide_context(live);
    #[cfg(feature = "hydrate")]
    browser::keep_connected(live, signed_in);
    #[cfg(not(feature = "hydrate"))]
    let _ = signed_in;
}

/// Says, politely and without moving focus, when live updates are paused; and, to screen
/// readers only, what someone else just changed.
#[component]
pub fn LiveIndicator() -> impl IntoView {
    let live = use_live();
    let t = crate::ui::use_strings();
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

#[cfg(feature = "hydrate")]
mod browser {
    use super::{Live, LiveState};
    use crate::model::live::{Change, ChangeKind, REFETCH_EVENT};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::EventSource;

    pub fn keep_connected(live: Live, signed_in: Signal<bool>) {
        let source = StoredValue::new_local(None::<EventSource>);
        Effect::new(move |_| {
            let on = signed_in.get();
            source.update_value(|current| {
                if let Some(old) = current.take() {
                    old.close();
                }
                if on {
                    *current = open(live, source);
                } else {
                    live.state.set(LiveState::Off);
                }
            });
        });
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
                match change {
                    Some(c) if c.kind != ChangeKind::Created => live.last_change.set(Some(c)),
                    // A new referral, or a refetch request: lists may have changed.
                    _ => live.lists.update(|t| *t += 1),
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
                live.lists.update(|t| *t += 1);
                live.tick.update(|t| *t += 1);
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
        // The callbacks live as long as the page; a new stream (after logging in again)
        // adds three small closures.
        on_change.forget();
        on_open.forget();
        on_error.forget();
        Some(source)
    }
}
