//! The browser entry point. Islands mode: the server's HTML stays as it is; only the islands
//! on the page (referral cards, live notices) hydrate, each from its own data in the page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::ui::live::mark_hydrated_after_islands();
}
