//! One referral as a card: who, where, status, contact, comments, history, and the forms
//! its viewer may use. Each card owns its actions, so errors and results stay on the card.

use super::form::{FormAlert, field_message};
use super::status::{StatusBadge, StatusForm};
use crate::api::forms::FormFlash;
use crate::api::referrals::{AddNote, ChangeConsent, UpdateStatus, referral as fetch_referral};
use crate::api::views::{HistoryEntry, HistoryKind, ReferralView, SeekerContact};
use crate::error::AppError;
use crate::i18n::{Lang, fill};
use crate::model::ReferralId;
use crate::model::time::format_utc;
use crate::ui::{use_lang, use_strings};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

/// What a card shows as its heading.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CardTitle {
    /// The program (the seeker's and helper's view).
    Program,
    /// The seeker (the program's view).
    Seeker,
}

/// The error for this card's form: from its own action, or a no-JavaScript flash that names
/// this referral.
fn card_error<F>(action: ServerAction<F>, flash: Option<FormFlash>) -> Signal<Option<AppError>>
where
    F: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    F::Output: Clone + Send + Sync + 'static,
{
    let flash = flash.filter(|f| f.form == F::PATH);
    Signal::derive(move || match action.value().get() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => flash.as_ref().and_then(|f| f.error.clone()),
    })
}

/// A referral card. The card is an island (it hydrates on its own, with its data in the
/// page); this wrapper hands it the page's no-JavaScript form error, if it is this card's.
#[component]
pub fn ReferralCard(referral: ReferralView, title: CardTitle) -> impl IntoView {
    let flash = use_context::<Option<FormFlash>>()
        .flatten()
        .filter(|f| f.value("referral") == Some(referral.id.to_string()));
    view! { <LiveReferralCard referral title flash /> }
}

#[island]
pub fn LiveReferralCard(
    referral: ReferralView,
    title: CardTitle,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let id = referral.id;
    let update = ServerAction::<UpdateStatus>::new();
    let note = ServerAction::<AddNote>::new();
    let consent = ServerAction::<ChangeConsent>::new();
    let current = RwSignal::new(referral);
    let status_error = card_error(update, flash.clone());
    let note_error = card_error(note, flash.clone());
    let consent_error = card_error(consent, flash);
    let (t, lang) = (use_strings(), use_lang());

    // Reads this card again; tells screen-reader users when someone else changed its status.
    let live = crate::ui::live::use_live();
    let reread = move || {
        leptos::task::spawn_local(async move {
            if let Ok(view) = fetch_referral(id).await {
                if view.status != current.get_untracked().status {
                    let title = match title {
                        CardTitle::Program => view.program_name.clone(),
                        CardTitle::Seeker => view.seeker_name.clone(),
                    };
                    live.announce(fill(
                        t.live_status_changed,
                        &[("title", &title), ("status", view.status.label(lang))],
                    ));
                }
                current.set(view);
            }
        })
    };

    // Someone else changed this referral (a live event): re-read just this card.
    let seen = StoredValue::new(0i64);
    Effect::new(move |_| {
        if let Some(change) = live.last_change()
            && change.referral == id
            && change.seq > seen.get_value()
        {
            seen.set_value(change.seq);
            // The card whose own form made the change already shows it.
            if crate::model::live::card_must_reread(&change, current.get_untracked().version) {
                reread();
            }
        }
    });

    // Events were missed (a reconnect): read this card again.
    let resynced = StoredValue::new(live.resync_untracked());
    Effect::new(move |_| {
        let resync = live.resync();
        if resync != resynced.get_value() {
            resynced.set_value(resync);
            reread();
        }
    });

    // After a change: show what the server returned; after a conflict, fetch the current
    // state so the user sees what someone else did.
    Effect::new(move |_| {
        let results = [
            update.value().get().map(|r| r.map(Some)),
            note.value().get().map(|r| r.map(Some)),
            consent.value().get().map(|r| r.map(Some)),
        ];
        for result in results.into_iter().flatten() {
            match result {
                Ok(Some(view)) if view.version >= current.get_untracked().version => {
                    current.set(view)
                }
                Err(AppError::Conflict(_)) => reread(),
                _ => {}
            }
        }
    });

    move || {
        let r = current.get();
        let heading = match title {
            CardTitle::Program => format!("{}, {}", r.program_name, r.program_organization),
            CardTitle::Seeker => r.seeker_name.clone(),
        };
        let heading_id = format!("referral-{id}-title");
        let labelled_by = heading_id.clone();
        view! {
            <article class="referral" aria-labelledby=labelled_by data-referral=id>
                <header>
                    <h3 id=heading_id>{heading}</h3>
                    <StatusBadge status=r.status />
                    {r.overdue.then(|| view! { <span class="overdue-badge">{t.card_overdue}</span> })}
                </header>
                <dl class="facts">
                    {(title == CardTitle::Program).then(|| view! { <dt>{t.card_for}</dt><dd>{r.seeker_name.clone()}</dd> })}
                    {(title == CardTitle::Seeker).then(|| view! { <dt>{t.card_program}</dt><dd>{r.program_name.clone()}</dd> })}
                    <dt>{t.card_referred_by}</dt>
                    <dd>{r.referred_by.clone().unwrap_or_else(|| t.card_self_referral.into())}</dd>
                    <dt>{t.connect_best_way}</dt>
                    <dd>{r.contact_preference.label(lang)}</dd>
                    {match r.contact.clone() {
                        SeekerContact::Shown { email, phone } => view! {
                            <dt>{t.email}</dt><dd>{email.unwrap_or_else(|| "—".into())}</dd>
                            <dt>{t.phone}</dt><dd>{phone.unwrap_or_else(|| "—".into())}</dd>
                        }.into_any(),
                        SeekerContact::Withheld => view! {
                            <dt>{t.card_contact}</dt><dd>{t.card_contact_withheld}</dd>
                        }.into_any(),
                    }}
                    <dt>{t.card_sent}</dt>
                    <dd>{format_utc(r.created_at)}</dd>
                    // The seeker and helper see whether the program has opened it.
                    {(title == CardTitle::Program).then(|| view! {
                        <dt>{t.card_seen}</dt>
                        <dd>{r.seen_at.map(format_utc).unwrap_or_else(|| t.card_not_seen.into())}</dd>
                    })}
                </dl>
                {r.consent_withdrawn_at.map(|at| view! {
                    <p class="notice">{fill(t.consent_withdrawn_notice, &[("date", &format_utc(at))])}</p>
                })}
                {(!r.comments.is_empty()).then(|| view! {
                    <p class="comments"><strong>{t.card_comments} " "</strong>{r.comments.clone()}</p>
                })}
                <details class="history">
                    <summary>{fill(t.card_history, &[("count", &r.history.len().to_string())])}</summary>
                    <HistoryList entries=r.history.clone() />
                </details>
                <FormAlert error=status_error />
                <StatusForm referral=r.clone() action=update error=status_error />
                {r.can_add_note.then(|| view! { <NoteForm referral=id action=note error=note_error /> })}
                {(r.may_withdraw_consent || r.may_give_consent).then(|| view! {
                    <ConsentForm referral=r.clone() action=consent error=consent_error />
                })}
            </article>
        }
    }
}

#[component]
pub fn HistoryList(entries: Vec<HistoryEntry>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ol class="history-list">
            {entries
                .into_iter()
                .rev()
                .map(|e| {
                    let what = history_line(e.kind, lang);
                    view! {
                        <li>
                            <span class="what">{what}</span>
                            " "
                            <span class="who">{format!("{} · {}", e.who, format_utc(e.at))}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// One history entry in words: "Status: Pending → Got help. “Thanks”".
fn history_line(kind: HistoryKind, lang: Lang) -> String {
    let t = lang.strings();
    match kind {
        HistoryKind::Created => t.history_created.to_string(),
        HistoryKind::StatusChanged { from, to, comment } => {
            let (from, to) = (from.label(lang), to.label(lang));
            match comment {
                Some(c) => fill(
                    t.history_status_comment,
                    &[("from", from), ("to", to), ("comment", &c)],
                ),
                None => fill(t.history_status, &[("from", from), ("to", to)]),
            }
        }
        HistoryKind::Note { text } => fill(t.history_note, &[("text", &text)]),
        HistoryKind::Seen => t.history_seen.to_string(),
        HistoryKind::ConsentWithdrawn => t.history_consent_withdrawn.to_string(),
        HistoryKind::ConsentGiven => t.history_consent_given.to_string(),
        HistoryKind::StillWaiting => t.history_still_waiting.to_string(),
    }
}

/// Withdraw consent (the seeker, or a helper recording the seeker's wish) or give it again
/// (the seeker). The server decides again who may (`model::change::change_consent`).
#[component]
pub fn ConsentForm(
    referral: ReferralView,
    action: ServerAction<ChangeConsent>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let t = use_strings();
    let withdraw = referral.may_withdraw_consent;
    let label = match (withdraw, referral.acting_as) {
        (false, _) => t.consent_give_again,
        (true, crate::model::Role::Helper) => t.consent_withdraw_for_seeker,
        (true, _) => t.consent_withdraw,
    };
    let hint_id = format!("consent-{}-hint", referral.id);
    view! {
        <ActionForm action attr:class="consent-form">
            <FormAlert error />
            <input type="hidden" name="referral" value=referral.id />
            <input type="hidden" name="withdraw" value=withdraw.to_string() />
            <input type="hidden" name="acting_as" value=referral.acting_as.as_str() />
            {withdraw.then(|| view! { <p class="hint" id=hint_id.clone()>{t.consent_withdraw_hint}</p> })}
            <button type="submit" class="secondary"
                aria-describedby=withdraw.then(|| hint_id.clone())
                disabled=move || action.pending().get()>{label}</button>
        </ActionForm>
    }
}

#[component]
pub fn NoteForm(
    referral: ReferralId,
    action: ServerAction<AddNote>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let note_id = format!("note-{referral}");
    let error_id = format!("note-{referral}-error");
    let message = field_message(error, "note");
    let t = use_strings();
    view! {
        <ActionForm action attr:class="note-form">
            <input type="hidden" name="referral" value=referral />
            <div class="field">
                <label for=note_id.clone()>{t.note_label}</label>
                <textarea id=note_id name="note" rows="2"
                    aria-invalid=move || message.get().map(|_| "true")
                    aria-describedby=move || message.get().map(|_| error_id.clone())></textarea>
                <p class="field-error" id=format!("note-{referral}-error")>{move || message.get()}</p>
            </div>
            <button type="submit" class="secondary" disabled=move || action.pending().get()>{t.note_add}</button>
        </ActionForm>
    }
}
