//! Form building blocks: a labelled field with its error tied to it, and the form's alert.

use crate::api::forms::FormFlash;
use crate::error::AppError;
use crate::ui::use_lang;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The error to show on a form: the last result of its action (with JavaScript) or the
/// flash left by a post without JavaScript.
pub fn form_error<F>(action: ServerAction<F>) -> Signal<Option<AppError>>
where
    F: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    F::Output: Clone + Send + Sync + 'static,
{
    let flash = flash_for::<F>();
    Signal::derive(move || match action.value().get() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None if action.version().get() == 0 => flash.as_ref().and_then(|f| f.error.clone()),
        None => None,
    })
}

/// Whether the form's last post succeeded: its action's result (with JavaScript) or the
/// flash left by a post without it.
pub fn form_succeeded<F>(action: ServerAction<F>) -> Signal<bool>
where
    F: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    F::Output: Clone + Send + Sync + 'static,
{
    let flashed = flash_for::<F>().is_some_and(|f| f.error.is_none());
    Signal::derive(move || match action.value().get() {
        Some(result) => result.is_ok(),
        None => flashed,
    })
}

/// What the user typed before a post without JavaScript bounced back with an error.
pub fn flashed_value<F: ServerFn>(field: &str) -> Option<String> {
    flash_for::<F>().and_then(|f| f.value(field))
}

/// The outcome of this page's last post without JavaScript, if it was this form's.
fn flash_for<F: ServerFn>() -> Option<FormFlash> {
    use_context::<Option<FormFlash>>()
        .flatten()
        .filter(|f| f.form == F::PATH)
}

/// A labelled input. Its error (if any) sits under it, is announced, and is tied to the
/// input with `aria-describedby`.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] value: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    /// For a page with two forms that share a field name (the current password).
    #[prop(optional)]
    id: Option<&'static str>,
) -> impl IntoView {
    let id = id.map_or_else(|| format!("field-{name}"), str::to_string);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = field_message(error, name);
    let described_by = described_by(hint.is_some(), &hint_id, &error_id, message);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                aria-invalid=move || message.get().map(|_| "true")
                aria-describedby=described_by
            />
            <p class="field-error" id=error_id aria-live="polite">
                {move || message.get()}
            </p>
        </div>
    }
}

/// The `aria-describedby` of an input: its hint, if any, and its error while it has one.
fn described_by(
    has_hint: bool,
    hint_id: &str,
    error_id: &str,
    message: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static + use<> {
    let (hint_id, error_id) = (hint_id.to_string(), error_id.to_string());
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(hint_id.clone());
        }
        if message.get().is_some() {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The message for one field of a form's error, in the page's language.
pub fn field_message(
    error: Signal<Option<AppError>>,
    field: &'static str,
) -> Signal<Option<String>> {
    let lang = use_lang();
    Signal::derive(move || {
        error
            .get()
            .and_then(|e| e.message_for(field))
            .map(|m| m.render(lang))
    })
}

/// Where a plain form's error sends the browser back to: this page. A page whose address
/// holds a token sends no `Referer` (`Referrer-Policy: no-referrer`), the way back otherwise.
#[component]
pub fn BackHere() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let here = move || {
        let (path, search) = (location.pathname.get(), location.search.get());
        match search.trim_start_matches('?') {
            "" => path,
            query => format!("{path}?{query}"),
        }
    };
    view! { <input type="hidden" name="_back" value=here /> }
}

/// The form-level message: for errors that belong to no single field.
#[component]
pub fn FormAlert(error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        error.get().map(|e| match &e {
            AppError::Validation(fields) => fields
                .iter()
                .find(|f| f.field == "form")
                .map(|f| f.message.render(lang))
                .unwrap_or_else(|| e.message(lang)),
            other => other.message(lang),
        })
    };
    view! {
        <div class="form-alert" role="alert">
            {move || text().map(|t| view! { <p>{t}</p> })}
        </div>
    }
}

/// A labelled multi-line input, with its error tied to it as `Field` does.
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    error: Signal<Option<AppError>>,
    #[prop(optional)] value: Option<String>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = field_message(error, name);
    let described_by = described_by(hint.is_some(), &hint_id, &error_id, message);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <textarea
                id=id
                name=name
                rows=rows
                aria-invalid=move || message.get().map(|_| "true")
                aria-describedby=described_by
            >{value}</textarea>
            <p class="field-error" id=error_id aria-live="polite">
                {move || message.get()}
            </p>
        </div>
    }
}
