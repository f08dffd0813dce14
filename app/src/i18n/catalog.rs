//! Every sentence Handoff shows or sends, in English and Spanish, side by side.
//!
//! Add a sentence here, then use it as `t.key` in a view (`t = use_strings()`), as
//! `Msg::new(Key::key)` in an error, or through `Lang::strings()` on the server. `{name}`
//! marks a value filled in with `i18n::fill` or `Msg::with`. Aim for plain words: a grade-8
//! reader, "you", short sentences.

/// Defines `Key` (one variant per sentence), `Strings` (one field per sentence) and the two
/// catalogs. Keys cross the wire by name, with a hand-written serde impl: a derived one would
/// add a large string match to the browser's WASM for every key.
macro_rules! catalog {
    ($($key:ident: $en:literal, $es:literal;)*) => {
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key { $($key),* }

        pub struct Strings { $(pub $key: &'static str),* }

        pub static EN: Strings = Strings { $($key: $en),* };
        pub static ES: Strings = Strings { $($key: $es),* };

        impl Strings {
            pub const KEYS: &'static [Key] = &[$(Key::$key),*];

            pub fn get(&self, key: Key) -> &'static str {
                match key { $(Key::$key => self.$key),* }
            }

            /// The key's name, as written here and on the wire.
            pub fn name(key: Key) -> &'static str {
                match key { $(Key::$key => stringify!($key)),* }
            }
        }
    };
}

impl serde::Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(Strings::name(*self))
    }
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Strings::KEYS
            .iter()
            .copied()
            .find(|&k| Strings::name(k) == name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown message key {name:?}")))
    }
}

catalog! {
    // --- Everywhere -------------------------------------------------------------------
    brand: "Handoff", "Handoff";
    loading: "Loading…", "Cargando…";
    skip_to_content: "Skip to content", "Ir al contenido";
    nav_main: "Main", "Principal";
    nav_account: "Account", "Cuenta";
    nav_find_help: "Find help", "Buscar ayuda";
    nav_referrals_for_me: "Referrals For Me", "Mis referencias";
    nav_people: "People I'm Helping", "Personas que ayudo";
    nav_inbound: "Inbound Referrals", "Referencias recibidas";
    nav_groups: "Groups", "Grupos";
    nav_admin: "Admin", "Administración";
    log_in: "Log in", "Iniciar sesión";
    log_out: "Log out", "Cerrar sesión";
    sign_up: "Sign up", "Crear cuenta";
    language_switch_label: "Language", "Idioma";
    search: "Search", "Buscar";
    email: "Email", "Correo electrónico";
    phone: "Phone", "Teléfono";
    comments: "Comments", "Comentarios";
    live_paused: "Live updates paused. Reconnecting…", "Las actualizaciones en vivo están en pausa. Reconectando…";
    live_list_changed: "This list has changed.", "Esta lista cambió.";
    live_show_latest: "Show the latest", "Ver lo más reciente";
    live_status_changed: "{title}: the status is now “{status}”.", "{title}: el estado ahora es “{status}”.";

    // --- Errors (AppError) ------------------------------------------------------------
    err_fix_fields: "Please correct the fields marked below.", "Corrija los campos marcados abajo.";
    err_invalid_credentials: "That email and password don't match an account.", "Ese correo y esa contraseña no coinciden con ninguna cuenta.";
    err_throttled: "Too many tries. Please wait {minutes} minutes and try again.", "Demasiados intentos. Espere {minutes} minutos y vuelva a intentarlo.";
    err_unauthorized: "Please log in to continue.", "Inicie sesión para continuar.";
    err_forbidden: "You can't do that here.", "No puede hacer eso aquí.";
    err_not_found: "We couldn't find that.", "No encontramos eso.";
    err_unreachable: "We couldn't reach Handoff. Check your connection and try again.", "No pudimos conectar con Handoff. Revise su conexión y vuelva a intentarlo.";
    err_internal: "Something went wrong on our side. Please try again in a moment.", "Algo salió mal de nuestro lado. Vuelva a intentarlo en un momento.";
    err_bad_form: "The form was not filled in correctly.", "El formulario no se llenó correctamente.";

    // --- Form fields (model::fields and the server functions) -------------------------
    err_email_missing: "Enter an email address.", "Escriba un correo electrónico.";
    err_email_too_long: "This email address is too long.", "Este correo electrónico es demasiado largo.";
    err_email_shape: "Enter an email address like name@example.com.", "Escriba un correo como nombre@ejemplo.com.";
    err_phone_missing: "Enter a phone number.", "Escriba un número de teléfono.";
    err_phone_shape: "Enter a phone number with 7 to 15 digits, like 555-123-4567.", "Escriba un teléfono de 7 a 15 dígitos, como 555-123-4567.";
    err_name_missing: "Enter a name.", "Escriba un nombre.";
    err_too_long: "Use at most {max} characters.", "Use como máximo {max} caracteres.";
    err_too_short: "Use at least {min} characters.", "Use por lo menos {min} caracteres.";
    err_name_control: "Remove the special characters from this name.", "Quite los caracteres especiales de este nombre.";
    err_note_missing: "Write a note first.", "Primero escriba una nota.";
    err_note_too_long: "Notes can be at most {max} characters; this one has {count}.", "Las notas pueden tener como máximo {max} caracteres; esta tiene {count}.";
    err_language: "Choose a language from the list.", "Elija un idioma de la lista.";
    err_password_missing: "Enter your password.", "Escriba su contraseña.";
    err_email_taken: "An account with this email already exists. Log in instead.", "Ya existe una cuenta con este correo. Inicie sesión.";
    err_status_choose: "Choose a status from the list.", "Elija un estado de la lista.";
    err_status_already: "The status is already “{status}”.", "El estado ya es “{status}”.";
    err_status_changed_meanwhile: "Someone else updated this referral to “{status}” while you were looking. Check the new status and try again.", "Otra persona cambió esta referencia a “{status}” mientras usted la veía. Revise el nuevo estado y vuelva a intentarlo.";
    err_status_same_moment: "Someone else updated this referral at the same moment. Check the new status and try again.", "Otra persona cambió esta referencia al mismo tiempo. Revise el nuevo estado y vuelva a intentarlo.";
    err_best_way: "Choose the best way to reach them.", "Elija la mejor forma de comunicarse.";
    err_email_for_way: "Enter an email address, or choose another way to reach them.", "Escriba un correo electrónico o elija otra forma de comunicarse.";
    err_phone_for_way: "Enter a phone number, or choose another way to reach them.", "Escriba un teléfono o elija otra forma de comunicarse.";
    err_consent: "Tick the box to confirm the person agrees to be referred.", "Marque la casilla para confirmar que la persona está de acuerdo con la referencia.";
    err_only_helpers_refer_others: "Only helpers can refer someone else. Choose yourself.", "Solo quienes ayudan pueden referir a otra persona. Elija “Yo”.";
    err_choose_person: "Choose someone from your list.", "Elija a alguien de su lista.";
    err_choose_group: "Choose the group you are making this referral for.", "Elija el grupo por el que hace esta referencia.";
    err_date: "Enter a date like 2026-11-25.", "Escriba una fecha como 2026-11-25.";
    err_report_choice: "Choose one from the list.", "Elija uno de la lista.";
    err_page_link: "This page link is broken.", "El enlace de esta página no funciona.";
    err_group_name: "Enter a group name of 1 to 120 characters.", "Escriba un nombre de grupo de 1 a 120 caracteres.";
    err_last_admin: "A group needs at least one admin. Make someone else admin first.", "Un grupo necesita por lo menos un administrador. Primero haga administrador a otra persona.";
    err_on_or_off: "Choose on or off.", "Elija activar o desactivar.";
    err_approve_or_reject: "Choose approve or reject.", "Elija aprobar o rechazar.";
    err_already_claimed: "This program is already managed by its staff. Ask them to invite you.", "El personal del programa ya lo administra. Pídales que le inviten.";
    err_claim_already_asked: "You have already asked to claim this program.", "Ya pidió administrar este programa.";
    err_claim_link_used: "This link has already been used, or the claim was decided.", "Este enlace ya se usó o la solicitud ya se decidió.";
    err_claim_decided: "This claim was already decided.", "Esta solicitud ya se decidió.";
    err_invitation_expired: "This invitation has expired or was already used. Ask for a new one.", "Esta invitación venció o ya se usó. Pida una nueva.";
    err_invitation_used: "This invitation was already used.", "Esta invitación ya se usó.";
    err_already_confirmed: "Your email is already confirmed.", "Su correo ya está confirmado.";
    err_no_such_account: "No account uses this email.", "Ninguna cuenta usa este correo.";
    err_cannot_disable_self: "You cannot disable your own account.", "No puede desactivar su propia cuenta.";
    err_form_too_large: "This form is too large to send. Make the longest text shorter.", "Este formulario es demasiado grande para enviarlo. Acorte el texto más largo.";
    err_wrong_password: "That is not your current password.", "Esa no es su contraseña actual.";
    err_link_other_account: "This link is for another account.", "Este enlace es para otra cuenta.";
    err_invitation_other_email: "This invitation was sent to {email}. Log in with the account that uses that address, and confirm it first.", "Esta invitación se envió a {email}. Inicie sesión con la cuenta que usa ese correo y confírmelo primero.";
    err_confirm_first: "Confirm your email first: open the link we sent you.", "Primero confirme su correo: abra el enlace que le enviamos.";
    err_response_days: "Enter a number of business days from 1 to 30, or leave it empty.", "Escriba un número de días hábiles del 1 al 30, o déjelo vacío.";
    err_check_in_answer: "Choose one of the answers.", "Elija una de las respuestas.";
    err_consent_unchanged: "Nothing changed: consent is already as you asked.", "No cambió nada: el consentimiento ya está como pidió.";
    err_consent_not_yours: "Only the person referred can give consent again, and only they or their helper can withdraw it.", "Solo la persona referida puede volver a dar su consentimiento, y solo ella o quien la ayuda puede retirarlo.";
    err_claim_expired: "This claim has expired. Ask again from the program's page.", "Esta solicitud venció. Pídala otra vez desde la página del programa.";
    err_claimed_by_other: "Someone else already manages this program.", "Otra persona ya administra este programa.";
    err_reset_link: "This link has expired or was already used. Ask for a new one.", "Este enlace venció o ya se usó. Pida uno nuevo.";
    err_not_accepting: "This program is not accepting referrals right now. Find another program in the directory.", "Este programa no está recibiendo referencias ahora. Busque otro programa en el directorio.";
    err_waitlist_confirm: "This program has a waitlist. Tick the box to send the referral anyway.", "Este programa tiene lista de espera. Marque la casilla para enviar la referencia de todos modos.";
    err_capacity_choose: "Choose whether the program takes referrals now.", "Elija si el programa recibe referencias ahora.";
    err_capacity_note_long: "Use at most 300 characters.", "Use como máximo 300 caracteres.";
    err_service_status: "Choose a status from the list.", "Elija un estado de la lista.";
    err_text_control: "Remove the special characters (such as line breaks) from this text.", "Quite los caracteres especiales (como saltos de línea) de este texto.";
    err_url: "Enter a web address that starts with https:// or http://.", "Escriba una dirección web que empiece con https:// o http://.";
    err_list_long: "Use at most {max} lines.", "Use como máximo {max} líneas.";
    err_listing_changed: "Someone else changed this listing while you were editing. Check the new values and try again.", "Otra persona cambió esta información mientras usted la editaba. Revise los valores nuevos y vuelva a intentarlo.";
    err_suggest_nothing: "Change at least one field, or say what is wrong in the note.", "Cambie por lo menos un campo, o diga en la nota qué está mal.";
    err_accept_or_decline: "Choose accept or decline.", "Elija aceptar o rechazar.";
    err_suggestion_decided: "This suggestion was already decided.", "Esta sugerencia ya se decidió.";
    err_org_from_feed: "This organization comes from a directory feed. Change it at its source.", "Esta organización viene de una fuente del directorio. Cámbiela en su origen.";
    err_org_archived: "This organization is archived. Restore it first.", "Esta organización está archivada. Primero restáurela.";
    err_program_not_taking: "This program is not taking new referrals. Find another program in the directory.", "Este programa no está recibiendo referencias nuevas. Busque otro programa en el directorio.";
    err_too_many_to_recipient: "Too many emails went to this address today. Try again tomorrow.", "Se enviaron demasiados correos a esta dirección hoy. Intente mañana.";
    err_verify_link: "This link has expired or was already used. If you already confirmed your email, just log in.", "Este enlace venció o ya se usó. Si ya confirmó su correo, solo inicie sesión.";
    err_outbox_not_failed: "That email is no longer failed: it was already retried.", "Ese correo ya no tiene error: ya se volvió a intentar.";
    err_link_invalid: "This link is not valid. Open it again from the email, or log in to see your referrals.", "Este enlace no es válido. Ábralo otra vez desde el correo o inicie sesión para ver sus referencias.";
    err_link_expired: "This link has expired (links work for 14 days). Log in to see and update the referral.", "Este enlace venció (los enlaces funcionan por 14 días). Inicie sesión para ver y actualizar la referencia.";
    err_link_moved: "This link no longer works for you: your access to this referral has changed. Log in to see your referrals.", "Este enlace ya no funciona para usted: su acceso a esta referencia cambió. Inicie sesión para ver sus referencias.";
    err_language_choice: "Choose English or Spanish.", "Elija inglés o español.";

    // --- Statuses (SPEC: "Statuses") --------------------------------------------------
    status_not_updated: "Not updated", "Sin actualizar";
    status_needs_client_action: "Needs client action", "Se necesita algo de usted";
    status_pending: "Pending", "Pendiente";
    status_referred_elsewhere: "Referred elsewhere", "Enviado a otro lugar";
    status_eligible: "Eligible", "Califica";
    status_got_help: "Got help", "Recibió ayuda";
    status_couldnt_contact: "Couldn't contact", "No pudimos comunicarnos";
    status_not_eligible: "Not eligible", "No califica";
    status_no_capacity: "No capacity", "Sin cupo";
    status_couldnt_get_help: "Couldn't get help", "No pudo recibir ayuda";
    status_no_longer_interested: "No longer interested", "Ya no le interesa";
    status_group_in_progress: "In progress", "En curso";
    status_group_got_help: "Got help", "Recibió ayuda";
    status_group_needs_action: "Needs further action", "Necesita más pasos";
    contact_email: "Email", "Correo electrónico";
    contact_text: "Text", "Mensaje de texto";
    contact_phone: "Phone", "Teléfono";
    contact_dont_reach_out: "Don't reach out", "No comunicarse";

    // --- Home, log in, sign up --------------------------------------------------------
    home_welcome: "Welcome, {name}", "Hola, {name}";
    home_title: "Get connected to help", "Encuentre ayuda";
    home_intro: "Handoff connects people with food, housing, health care and other help, and lets everyone follow each referral to the end.", "Handoff le conecta con comida, vivienda, atención médica y otra ayuda, y permite que todos sigan cada referencia hasta el final.";
    home_roles: "You are signed in as: {roles}.", "Usted entró como: {roles}.";
    home_your_groups: "Your groups: {groups}", "Sus grupos: {groups}";
    role_seeker: "seeker", "persona que busca ayuda";
    role_helper: "helper", "persona que ayuda";
    role_program: "program staff", "personal de un programa";
    role_admin: "site administrator", "administrador del sitio";
    confirm_email_heading: "Confirm your email", "Confirme su correo";
    confirm_email_sent_to: "We sent a link to {email}. Open it to see the referrals made for you with this address.", "Enviamos un enlace a {email}. Ábralo para ver las referencias hechas para usted con esta dirección.";
    confirm_email_resend: "Send the link again", "Enviar el enlace otra vez";
    confirm_email_resent: "Sent. Check your email.", "Enviado. Revise su correo.";
    field_email: "Email", "Correo electrónico";
    field_password: "Password", "Contraseña";
    field_name: "Name", "Nombre";
    password_hint: "At least {min} characters.", "Por lo menos {min} caracteres.";
    login_forgot: "Forgot your password?", "¿Olvidó su contraseña?";
    login_new_here: "New here?", "¿Es nuevo aquí?";
    signup_have_account: "Have an account?", "¿Ya tiene cuenta?";

    // --- Find help, a program, Connect --------------------------------------------------
    dir_search_placeholder: "food, rent, clinic…", "comida, renta, clínica…";
    dir_category: "Category", "Categoría";
    dir_any_category: "Any category", "Cualquier categoría";
    dir_place: "ZIP or city", "Código postal o ciudad";
    dir_searching: "Searching…", "Buscando…";
    dir_no_match: "No programs match. Try fewer words or another place.", "Ningún programa coincide. Pruebe con menos palabras u otro lugar.";
    dir_count: "{count} programs", "{count} programas";
    program_connect: "Connect", "Conectar";
    program_address: "Address", "Dirección";
    program_serves: "Serves", "Atiende a";
    program_hours: "Hours", "Horario";
    program_categories: "Categories", "Categorías";
    program_languages: "Languages", "Idiomas";
    capacity_accepting: "Accepting referrals", "Recibe referencias";
    capacity_waitlist: "Has a waitlist", "Tiene lista de espera";
    capacity_assessment_first: "Needs an assessment first", "Primero necesita una evaluación";
    capacity_not_accepting: "Not accepting referrals", "No recibe referencias";
    program_capacity: "Referrals", "Referencias";
    program_capacity_heading: "Taking referrals?", "¿Recibe referencias?";
    program_capacity_note: "Note (optional)", "Nota (opcional)";
    program_capacity_save: "Save", "Guardar";
    program_capacity_saved: "Saved.", "Guardado.";
    connect_waitlist: "This program has a waitlist.", "Este programa tiene lista de espera.";
    connect_waitlist_ok: "I know there is a waitlist. Send the referral anyway.", "Sé que hay lista de espera. Enviar la referencia de todos modos.";
    connect_assessment_first: "This program needs an assessment first. They will tell you how.", "Este programa primero necesita una evaluación. Le dirán cómo.";
    program_archived: "This program is no longer listed in the directory. Referrals already made to it keep their status and history.", "Este programa ya no aparece en el directorio. Las referencias ya hechas conservan su estado e historial.";
    program_temporarily_closed: "This program is temporarily closed and is not taking new referrals.", "Este programa está cerrado temporalmente y no recibe referencias nuevas.";
    program_not_active: "This program is not active and is not taking new referrals.", "Este programa no está activo y no recibe referencias nuevas.";
    program_eligibility: "Who can get help", "Quién puede recibir ayuda";
    program_website: "Website", "Sitio web";
    program_last_reviewed: "Listing last reviewed {date}.", "Información revisada por última vez el {date}.";
    program_edit_link: "Edit this listing", "Editar esta información";
    program_suggest_link: "Suggest an edit", "Sugerir un cambio";
    listing_name: "Program name", "Nombre del programa";
    listing_description: "Description", "Descripción";
    listing_status: "Status", "Estado";
    listing_city: "City", "Ciudad";
    listing_state: "State", "Estado o provincia";
    listing_zip: "ZIP code", "Código postal";
    listing_list_hint: "One per line.", "Uno por línea.";
    service_status_active: "Active", "Activo";
    service_status_inactive: "Inactive", "Inactivo";
    service_status_defunct: "Closed for good", "Cerrado definitivamente";
    service_status_temporarily_closed: "Temporarily closed", "Cerrado temporalmente";
    edit_title: "Edit listing", "Editar la información";
    edit_intro_staff: "Keep how people get help from your program up to date. To change its name, status or address, suggest an edit.", "Mantenga al día cómo la gente recibe ayuda de su programa. Para cambiar su nombre, estado o dirección, sugiera un cambio.";
    edit_from_feed: "This listing comes from the directory feed “{source}”. Changes made here stay until the feed itself changes the same field.", "Esta información viene de la fuente del directorio “{source}”. Los cambios hechos aquí se mantienen hasta que la fuente cambie el mismo campo.";
    edit_save: "Save changes", "Guardar cambios";
    edit_saved: "Saved. The listing is up to date.", "Guardado. La información está al día.";
    edit_back: "Back to the program", "Volver al programa";
    edit_reviewed_heading: "Still correct?", "¿Sigue correcta?";
    edit_reviewed_body: "If nothing has changed, say so: the listing will show today as the day it was last reviewed.", "Si nada cambió, dígalo: la información mostrará hoy como el día de su última revisión.";
    edit_mark_reviewed: "Mark as reviewed", "Marcar como revisada";
    edit_marked_reviewed: "Marked as reviewed today.", "Marcada como revisada hoy.";
    edit_archive_heading: "In the directory", "En el directorio";
    edit_archive_body: "An archived program leaves search and takes no new referrals. Its referrals, staff and history stay.", "Un programa archivado sale de la búsqueda y no recibe referencias nuevas. Sus referencias, personal e historial se conservan.";
    edit_archive: "Archive this program", "Archivar este programa";
    edit_restore: "List this program again", "Volver a mostrar este programa";
    edit_archive_done: "Done.", "Listo.";
    history_heading: "History of this listing", "Historial de esta información";
    history_empty: "No changes recorded yet.", "Todavía no hay cambios registrados.";
    history_kind_listed: "Listed", "Publicado";
    history_kind_edited: "Edited", "Editado";
    history_kind_suggestion: "Suggested edit accepted", "Sugerencia aceptada";
    history_kind_imported: "Updated from the feed", "Actualizado desde la fuente";
    history_kind_archived: "Archived", "Archivado";
    history_kind_restored: "Listed again", "Publicado de nuevo";
    history_kind_capacity: "Referral status changed", "Cambió si recibe referencias";
    history_kind_reviewed: "Reviewed, no changes", "Revisado, sin cambios";
    history_by: "by {who}", "por {who}";
    history_by_feed: "by the feed “{source}”", "por la fuente “{source}”";
    history_suggested_by: "suggested by {who}", "sugerido por {who}";
    history_change: "{field}: “{before}” → “{after}”", "{field}: “{before}” → “{after}”";
    value_empty: "(empty)", "(vacío)";
    someone_anonymous: "a visitor who was not logged in", "un visitante sin sesión iniciada";
    suggest_title: "Suggest an edit", "Sugerir un cambio";
    suggest_intro: "See something wrong or missing? Change it below and tell us how you know. A site administrator checks every suggestion before the listing changes.", "¿Ve algo mal o que falta? Cámbielo abajo y díganos cómo lo sabe. Un administrador del sitio revisa cada sugerencia antes de cambiar la información.";
    suggest_comment: "What is wrong, and how do you know? (optional)", "¿Qué está mal y cómo lo sabe? (opcional)";
    suggest_send: "Send suggestion", "Enviar sugerencia";
    suggest_sent: "Thank you. A site administrator will review your suggestion.", "Gracias. Un administrador del sitio revisará su sugerencia.";
    admin_suggestions_link: "Suggested edits", "Cambios sugeridos";
    admin_suggestions_title: "Suggested edits", "Cambios sugeridos";
    admin_no_suggestions: "No suggestions are waiting.", "No hay sugerencias pendientes.";
    admin_suggestion_line: "Suggested by {who}, {when}", "Sugerido por {who}, {when}";
    admin_suggestion_field: "Field", "Campo";
    admin_suggestion_now: "Now", "Ahora";
    admin_suggestion_proposed: "Suggested", "Sugerido";
    admin_accept: "Accept", "Aceptar";
    admin_decline: "Decline", "Rechazar";
    admin_directory_link: "Programs and organizations", "Programas y organizaciones";
    admin_orgs_title: "Programs and organizations", "Programas y organizaciones";
    admin_orgs_search: "Find an organization by name", "Buscar una organización por nombre";
    admin_orgs_find: "Find", "Buscar";
    admin_orgs_none: "No organization matches.", "Ninguna organización coincide.";
    admin_org_programs_count: "{count} programs", "{count} programas";
    admin_org_from_feed: "From the feed “{source}”", "De la fuente “{source}”";
    admin_org_archived: "Archived", "Archivada";
    admin_org_new_heading: "Add an organization", "Agregar una organización";
    admin_org_create: "Add organization", "Agregar organización";
    org_name: "Organization name", "Nombre de la organización";
    org_description: "About the organization", "Sobre la organización";
    admin_org_details: "Details", "Datos";
    admin_org_save: "Save", "Guardar";
    admin_org_saved: "Saved.", "Guardado.";
    admin_org_feed_note: "This organization comes from the feed “{source}”. Change it at its source: the next import brings the change.", "Esta organización viene de la fuente “{source}”. Cámbiela en su origen: la próxima importación traerá el cambio.";
    admin_org_archive_body: "Archiving takes the organization and all its programs out of the directory. Their referrals, staff and history stay.", "Archivar saca del directorio a la organización y a todos sus programas. Sus referencias, personal e historial se conservan.";
    admin_org_archive: "Archive this organization and its programs", "Archivar esta organización y sus programas";
    admin_org_restore: "Restore this organization", "Restaurar esta organización";
    admin_org_programs_heading: "Programs", "Programas";
    admin_org_no_programs: "No programs yet.", "Todavía no hay programas.";
    admin_org_add_program: "Add a program", "Agregar un programa";
    admin_program_create: "Add program", "Agregar programa";
    dir_temporarily_closed: "Temporarily closed", "Cerrado temporalmente";
    program_unclaimed: "This listing is not yet managed by the program. Referrals are sent to its listed email.", "El programa todavía no administra esta página. Las referencias se envían a su correo publicado.";
    program_work_here: "Work here?", "¿Trabaja aquí?";
    program_claim_intro: "Claim this program to manage its referrals. We email its listed address to confirm, or a site administrator approves.", "Pida administrar este programa para manejar sus referencias. Escribimos a su correo publicado para confirmarlo, o un administrador del sitio lo aprueba.";
    program_claim: "Claim this program", "Administrar este programa";
    program_claim_sent: "Thanks. We sent a confirmation link to the program's listed email.", "Gracias. Enviamos un enlace de confirmación al correo publicado del programa.";
    program_invite_heading: "Invite a colleague", "Invitar a un colega";
    program_colleague_email: "Colleague's email", "Correo del colega";
    program_invite: "Invite to staff", "Invitar al personal";
    program_invited: "Invitation sent.", "Invitación enviada.";
    sent_title: "Referral sent", "Referencia enviada";
    sent_body: "The program has your referral. They will reach out the way you asked.", "El programa recibió su referencia. Se comunicarán con usted como lo pidió.";
    sent_follow: "Want to follow it? Sign up with the same email to see its status any time.", "¿Quiere seguirla? Cree una cuenta con el mismo correo para ver su estado cuando quiera.";
    sent_back: "Back to the program", "Volver al programa";
    connect_title: "Connect to {program}", "Conectar con {program}";
    connect_for_whom: "Who is this referral for?", "¿Para quién es esta referencia?";
    connect_someone_new: "Someone new", "Otra persona";
    connect_myself: "Myself", "Yo";
    connect_group: "Referring for group", "Refiere por el grupo";
    connect_group_hint: "Team-mates in this group can follow the referral if its Team Navigation is on.", "Sus compañeros del grupo pueden seguir la referencia si el grupo trabaja en equipo.";
    connect_choose_group: "Choose a group", "Elija un grupo";
    connect_first_name: "First name", "Nombre";
    connect_last_name: "Last name", "Apellido";
    connect_best_way: "Best way to reach", "Mejor forma de comunicarse";
    connect_language: "Preferred language", "Idioma preferido";
    connect_comments_hint: "Anything the program should know. Optional.", "Lo que el programa debe saber. Opcional.";
    connect_consent: "The person agrees to this referral and to sharing these details with the program.", "La persona está de acuerdo con esta referencia y con compartir estos datos con el programa.";
    connect_send: "Send referral", "Enviar referencia";
    connect_log_in_to_follow: "to follow this referral.", "para seguir esta referencia.";

    // --- Referral cards ---------------------------------------------------------------
    card_for: "For", "Para";
    card_program: "Program", "Programa";
    card_referred_by: "Referred by", "Referido por";
    card_self_referral: "Self-referral", "Se refirió a sí mismo";
    card_contact: "Contact", "Contacto";
    card_contact_withheld: "Not shared: the person asked not to be contacted.", "No se comparte: la persona pidió que no se comuniquen con ella.";
    card_sent: "Sent", "Enviada";
    card_comments: "Comments:", "Comentarios:";
    card_history: "History ({count})", "Historial ({count})";
    history_created: "Referral sent", "Referencia enviada";
    history_status: "Status: {from} → {to}", "Estado: {from} → {to}";
    history_status_comment: "Status: {from} → {to}. “{comment}”", "Estado: {from} → {to}. “{comment}”";
    history_note: "Note: {text}", "Nota: {text}";
    history_seen: "Seen by the program", "Vista por el programa";
    history_consent_withdrawn: "Consent to share contact details withdrawn", "Se retiró el consentimiento para compartir los datos de contacto";
    history_consent_given: "Consent to share contact details given again", "Se volvió a dar el consentimiento para compartir los datos de contacto";
    history_still_waiting: "Answered a check-in: still waiting for help", "Respondió un seguimiento: todavía espera ayuda";
    card_overdue: "Overdue", "Atrasada";
    card_seen: "Seen by the program", "Vista por el programa";
    card_not_seen: "Not opened by the program yet", "El programa todavía no la abrió";
    consent_withdrawn_notice: "Consent withdrawn on {date}: the program no longer sees contact details, and no emails are sent about this referral.", "Consentimiento retirado el {date}: el programa ya no ve los datos de contacto y no se envían correos sobre esta referencia.";
    consent_withdraw: "Withdraw consent to share contact details", "Retirar el consentimiento para compartir los datos de contacto";
    consent_withdraw_for_seeker: "Record that the person withdrew consent", "Registrar que la persona retiró su consentimiento";
    consent_withdraw_hint: "The program will see the name only, and no more emails are sent about this referral.", "El programa verá solo el nombre y no se enviarán más correos sobre esta referencia.";
    consent_give_again: "Give consent again", "Volver a dar el consentimiento";
    filter_overdue: "Overdue", "Atrasadas";
    nav_reports: "Reports", "Informes";
    report_title: "Reports", "Informes";
    report_scope: "Referrals counted", "Referencias contadas";
    report_scope_group: "Made by members of {group}", "Hechas por miembros de {group}";
    report_scope_all: "All referrals", "Todas las referencias";
    report_category: "Category", "Categoría";
    report_any_category: "Any category", "Cualquier categoría";
    report_status_group: "Status group", "Grupo de estados";
    report_any_status_group: "Any status", "Cualquier estado";
    report_figures: "Figures", "Cifras";
    report_share: "{part} of {whole} ({percent} %)", "{part} de {whole} ({percent} %)";
    report_nothing: "— (nothing to count)", "— (nada que contar)";
    report_within_minutes: "within {n} minutes", "en {n} minutos";
    report_within_hours: "within {n} hours", "en {n} horas";
    report_within_days: "within {n} days", "en {n} días";
    report_over_a_year: "more than a year", "más de un año";
    report_referrals: "Referrals made", "Referencias hechas";
    report_referrals_def: "Referrals created in the chosen dates and scope.", "Referencias creadas en las fechas y el alcance elegidos.";
    report_self: "Self-referrals", "Autorreferencias";
    report_self_def: "Made by the person for themselves.", "Hechas por la persona para sí misma.";
    report_helper: "Helper referrals", "Referencias de ayudantes";
    report_helper_def: "Made by a helper for someone.", "Hechas por un ayudante para alguien.";
    report_closed: "Loop closed", "Ciclo cerrado";
    report_closed_def: "The share with a final status now: Got help, or any status in Needs further action. A referral reopened after a final status counts as open.", "La parte con un estado final ahora: Recibió ayuda, o cualquier estado de Necesita más acción. Una referencia reabierta después de un estado final cuenta como abierta.";
    report_got_help: "Got help, of those closed", "Recibió ayuda, de las cerradas";
    report_got_help_def: "Of the referrals with a final status now, the share whose status is Got help.", "De las referencias con un estado final ahora, la parte con el estado Recibió ayuda.";
    report_response_median: "Time to first response (median)", "Tiempo hasta la primera respuesta (mediana)";
    report_response_def: "From creation to the program's first status change, for referrals the program has answered: half were answered within this time (counted in steps of 15 minutes, hours and days, and rounded up to the step).", "Desde la creación hasta el primer cambio de estado del programa, para las referencias que el programa respondió: la mitad se respondió en este tiempo (contado en pasos de 15 minutos, horas y días, y redondeado hacia arriba al paso).";
    report_response_p90: "Time to first response (90th percentile)", "Tiempo hasta la primera respuesta (percentil 90)";
    report_response_p90_def: "The same, the time within which 9 in 10 were answered. Changes by helpers or the person do not count as a response.", "Lo mismo, el tiempo en que se respondieron 9 de cada 10. Los cambios de ayudantes o de la persona no cuentan como respuesta.";
    report_within: "Answered within the response standard", "Respondidas dentro del plazo";
    report_within_def: "The share the program answered before it became overdue, of all referrals counted.", "La parte que el programa respondió antes de que se atrasara, de todas las referencias contadas.";
    report_stale_7: "Still Not updated after 7 days", "Sin actualizar después de 7 días";
    report_stale_30: "Still Not updated after 30 days", "Sin actualizar después de 30 días";
    report_stale_def: "Of the referrals made at least that many days before today, the share nobody moved out of Not updated within that time.", "De las referencias hechas al menos esos días antes de hoy, la parte que nadie sacó de Sin actualizar en ese tiempo.";
    report_program: "Program", "Programa";
    report_any_program: "Any program", "Cualquier programa";
    report_group: "Group", "Grupo";
    report_any_group: "Any group", "Cualquier grupo";
    report_helper_filter: "Helper", "Ayudante";
    report_any_helper: "Any helper", "Cualquier ayudante";
    report_top: "Top programs and categories", "Programas y categorías principales";
    report_top_def: "Received: referrals sent to the program (or to programs in the category) in the chosen dates and scope. Closed: the share with a final status now. A closure rate is ranked only over 10 referrals or more; a referral counts in every category of its program.", "Recibidas: referencias enviadas al programa (o a programas de la categoría) en las fechas y el alcance elegidos. Cerradas: la parte con un estado final ahora. Una tasa de cierre se clasifica solo con 10 referencias o más; una referencia cuenta en cada categoría de su programa.";
    report_top_programs_received: "Programs that received the most referrals", "Programas que recibieron más referencias";
    report_top_programs_closure: "Programs that closed the most of theirs", "Programas que cerraron más de las suyas";
    report_top_categories_received: "Categories that received the most referrals", "Categorías que recibieron más referencias";
    report_top_categories_closure: "Categories that closed the most of theirs", "Categorías que cerraron más de las suyas";
    report_top_chart_desc: "One bar per program, most referrals first, with the number received written beside it; the tables below give closure and got help.", "Una barra por programa, con más referencias primero, con el número recibido escrito al lado; las tablas de abajo dan el cierre y la ayuda recibida.";
    report_received: "Received", "Recibidas";
    report_closed_share: "Closed", "Cerradas";
    report_got_help_count: "Got help", "Recibió ayuda";
    report_name: "Name", "Nombre";
    report_by_status: "Where they stand now", "Dónde están ahora";
    report_by_group: "Referrals by status group now", "Referencias por grupo de estados ahora";
    report_by_group_desc: "One bar per status group; the number is written beside each bar, and the table below lists every status.", "Una barra por grupo de estados; el número está escrito junto a cada barra, y la tabla de abajo muestra cada estado.";
    report_status: "Status", "Estado";
    report_per_week: "Referrals made per week", "Referencias hechas por semana";
    report_per_month: "Referrals made per month", "Referencias hechas por mes";
    report_week_of: "Week from", "Semana desde";
    report_month_of: "Month from", "Mes desde";
    report_over_time_desc: "One bar per period, oldest first, with the number of referrals made written beside it; the table below splits them into self-referrals and helper referrals.", "Una barra por período, del más antiguo al más nuevo, con el número de referencias escrito al lado; la tabla de abajo las divide en autorreferencias y referencias de ayudantes.";
    report_count: "Referrals", "Referencias";
    report_export: "Export as CSV", "Exportar como CSV";
    report_export_what: "What to export", "Qué exportar";
    report_export_figures: "The figures above", "Las cifras de arriba";
    report_export_rows: "The referrals behind them, one row each", "Las referencias detrás de ellas, una fila cada una";
    report_export_contact: "Include contact details", "Incluir datos de contacto";
    report_export_contact_hint: "Only where you may see them on your dashboard; never for a person who asked not to be contacted. Every export is recorded.", "Solo donde puede verlos en su panel; nunca de una persona que pidió que no la contacten. Cada exportación queda registrada.";
    report_export_download: "Download CSV", "Descargar CSV";
    exports_title: "Report exports", "Exportaciones de informes";
    exports_none: "Nobody has exported a report yet.", "Nadie exportó un informe todavía.";
    exports_who: "Who", "Quién";
    exports_when: "When", "Cuándo";
    exports_what: "What", "Qué";
    exports_filters: "Filters", "Filtros";
    exports_rows: "Rows", "Filas";
    response_heading: "Response standard", "Plazo de respuesta";
    response_days: "Business days to answer a new referral", "Días hábiles para responder a una referencia nueva";
    response_days_hint: "Empty: the default, {days} business days. A referral still “Not updated” after that is overdue. A change counts for new referrals.", "Vacío: lo normal, {days} días hábiles. Una referencia que sigue “Sin actualizar” después de eso está atrasada. Un cambio cuenta para las referencias nuevas.";
    response_save: "Save response standard", "Guardar plazo de respuesta";
    response_saved: "Response standard saved.", "Plazo de respuesta guardado.";
    inbound_overdue_count: "{count} overdue", "{count} atrasadas";
    check_in_heading: "Did you get help from {program}?", "¿Recibió ayuda de {program}?";
    check_in_you_chose: "Your answer: {answer}", "Su respuesta: {answer}";
    check_in_send: "Send my answer", "Enviar mi respuesta";
    check_in_thanks: "Thank you. Your answer was saved.", "Gracias. Se guardó su respuesta.";
    note_label: "Note", "Nota";
    note_add: "Add note", "Agregar nota";
    status_label: "Status", "Estado";
    status_comment: "Comment (optional)", "Comentario (opcional)";
    status_update: "Update status", "Actualizar estado";

    // --- Dashboards -------------------------------------------------------------------
    rfm_none: "No referrals yet.", "Todavía no hay referencias.";
    rfm_me: "Me", "Yo";
    people_make_referral: "Make a referral", "Hacer una referencia";
    people_name: "Name", "Nombre";
    status_filter: "Status filter", "Filtrar por estado";
    any_status: "Any status", "Cualquier estado";
    people_none: "Nobody here yet.", "Todavía no hay nadie.";
    people_back: "← People I'm Helping", "← Personas que ayudo";
    people_referrals: "Referrals", "Referencias";
    inbound_program: "Program", "Programa";
    inbound_from: "From", "Desde";
    inbound_to: "To", "Hasta";
    inbound_show: "Show", "Mostrar";
    inbound_none: "No referrals match.", "Ninguna referencia coincide.";
    inbound_older: "Older referrals", "Referencias anteriores";
    inbound_not_updated: "Not updated: {count}", "Sin actualizar: {count}";

    // --- Groups, admin ----------------------------------------------------------------
    groups_create: "Create a group", "Crear un grupo";
    groups_name: "Group name", "Nombre del grupo";
    groups_create_button: "Create group", "Crear grupo";
    groups_team_on: "Team Navigation is on: members see and update each other's referrals.", "El trabajo en equipo está activado: los miembros ven y actualizan las referencias de los demás.";
    groups_team_off: "Team Navigation is off: members see only their own referrals.", "El trabajo en equipo está desactivado: cada miembro ve solo sus referencias.";
    groups_turn_off: "Turn Team Navigation off", "Desactivar el trabajo en equipo";
    groups_turn_on: "Turn Team Navigation on", "Activar el trabajo en equipo";
    groups_members: "Members", "Miembros";
    groups_member_admin: "{name} ({email}), admin", "{name} ({email}), administrador";
    groups_remove: "Remove", "Quitar";
    groups_remove_named: "Remove {name}", "Quitar a {name}";
    groups_invited: "Invited: {emails}", "Invitados: {emails}";
    groups_invite_email: "Invite by email", "Invitar por correo";
    groups_invite: "Invite", "Invitar";
    admin_title: "Administration", "Administración";
    admin_claims: "Pending claims", "Solicitudes pendientes";
    admin_no_claims: "No claims are waiting.", "No hay solicitudes pendientes.";
    admin_claim_line: "{who} ({email}) asked on {when}", "{who} ({email}) lo pidió el {when}";
    admin_approve: "Approve", "Aprobar";
    admin_reject: "Reject", "Rechazar";
    admin_outbox: "Email outbox", "Correos por enviar";
    admin_outbox_counts: "{pending} waiting · {sent} sent · {failed} failed", "{pending} en espera · {sent} enviados · {failed} con error";
    admin_failed: "Failed", "Con error";
    admin_no_failed: "No failed emails.", "No hay correos con error.";
    admin_retry: "Retry email {id}", "Reintentar el correo {id}";
    admin_waiting: "Waiting", "En espera";
    admin_none_waiting: "Nothing is waiting.", "No hay nada en espera.";
    admin_last_try: "Last try failed: {error}. Next try {when}.", "El último intento falló: {error}. Próximo intento: {when}.";
    admin_email_line: " to {to} · queued {when} · {attempts} tries", " a {to} · en cola desde {when} · {attempts} intentos";

    // --- Links from emails ------------------------------------------------------------
    invite_title: "Invitation", "Invitación";
    invite_heading: "You're invited", "Tiene una invitación";
    invite_accept_as: "Accept this invitation as {name}?", "¿Acepta esta invitación como {name}?";
    invite_accept: "Accept invitation", "Aceptar la invitación";
    invite_log_in_first: "Log in or sign up first, then open the link in your email again.", "Primero inicie sesión o cree una cuenta, y después abra otra vez el enlace de su correo.";
    claim_title: "Confirm claim", "Confirmar solicitud";
    claim_heading: "Confirm who manages this program", "Confirme quién administra este programa";
    claim_body: "Someone asked to manage this program's listing and its referrals on Handoff. If you know them and agree, confirm below.", "Alguien pidió administrar la página de este programa y sus referencias en Handoff. Si conoce a esa persona y está de acuerdo, confirme abajo.";
    claim_confirm: "Confirm claim", "Confirmar solicitud";
    verify_body: "Confirm that this email address is yours. Then you will see the referrals made for you with it.", "Confirme que este correo es suyo. Después verá las referencias hechas para usted con este correo.";
    verify_confirm: "Confirm my email", "Confirmar mi correo";
    verify_for_account: "This link confirms {email} for the account named {name}.", "Este enlace confirma {email} para la cuenta con el nombre {name}.";
    verify_enter_password: "To confirm, enter the password of this account.", "Para confirmar, escriba la contraseña de esta cuenta.";
    verify_log_in_and_confirm: "Log in and confirm", "Iniciar sesión y confirmar";
    verify_other_account: "You are logged in as {email}, and this link is for another account. Log out, then open the link again.", "Usted inició sesión como {email}, y este enlace es para otra cuenta. Cierre la sesión y abra otra vez el enlace.";
    verify_not_you: "Did someone else make this account with your email? Tell us, and we will remove it.", "¿Otra persona creó esta cuenta con su correo? Avísenos y la borraremos.";
    verify_not_you_heading: "Not you?", "¿No fue usted?";
    verify_remove: "This wasn't me: remove the account", "No fui yo: borrar la cuenta";
    verify_removed: "Thank you. We removed that account. Nobody can use it now.", "Gracias. Borramos esa cuenta. Ya nadie puede usarla.";
    verify_done: "This address is confirmed. You can log in.", "Este correo está confirmado. Puede iniciar sesión.";
    signup_sent_title: "Check your email", "Revise su correo";
    signup_sent_body: "We sent a link to the address you gave. Open it to finish making your account. The link works for 7 days.", "Enviamos un enlace al correo que nos dio. Ábralo para terminar de crear su cuenta. El enlace funciona durante 7 días.";
    signup_sent_no_mail: "No email after a few minutes? Check your spam folder.", "¿No llegó el correo en unos minutos? Revise la carpeta de correo no deseado.";
    invite_for_email: "This invitation was sent to {email}.", "Esta invitación se envió a {email}.";
    invite_wrong_account: "You are logged in as {email}. Only the account with the address the invitation was sent to can accept it, once that address is confirmed.", "Usted inició sesión como {email}. Solo la cuenta con el correo al que se envió la invitación puede aceptarla, después de confirmar ese correo.";
    program_staff_heading: "Staff", "Personal";
    program_remove_staff: "Remove {name}", "Quitar a {name}";
    admin_disable_heading: "Disable an account", "Desactivar una cuenta";
    admin_disable_body: "The account can no longer log in. Its sessions end at once and its email links stop working.", "La cuenta ya no puede iniciar sesión. Sus sesiones terminan de inmediato y sus enlaces de correo dejan de funcionar.";
    admin_disable: "Disable the account", "Desactivar la cuenta";
    admin_disabled: "Disabled.", "Desactivada.";
    title_program: "Program", "Programa";
    title_connect: "Connect", "Conectar";
    title_person: "Person", "Persona";
    admin_groups_title: "All groups", "Todos los grupos";
    admin_import_heading: "Import a directory", "Importar un directorio";
    admin_import_intro: "Load programs from an Open Referral HSDS file: a .zip of a Tabular Data Package (HSDS 3.0 or 1.1) or HSDS 3.0 JSON. Importing the same feed again updates its programs; programs it no longer lists are archived.", "Cargue programas desde un archivo Open Referral HSDS: un .zip de un Tabular Data Package (HSDS 3.0 o 1.1) o HSDS 3.0 en JSON. Importar de nuevo el mismo origen actualiza sus programas; los que ya no aparecen se archivan.";
    admin_import_file: "File", "Archivo";
    admin_import_source: "Feed name", "Nombre del origen";
    admin_import_source_hint: "Use the same name for every import of one feed, and a different name for each feed.", "Use el mismo nombre en cada importación de un origen, y un nombre distinto para cada origen.";
    admin_import_skip_invalid: "Skip services with problems and import the rest", "Omitir los servicios con problemas e importar el resto";
    admin_import_dry_run: "Only check the file: write nothing", "Solo revisar el archivo: no guardar nada";
    admin_import_submit: "Import", "Importar";
    admin_import_recent: "Recent imports", "Importaciones recientes";
    import_title: "Directory import", "Importación del directorio";
    import_back: "Back to administration", "Volver a la administración";
    import_line: "{file}, feed {source}, started by {who} on {when}.", "{file}, origen {source}, iniciada por {who} el {when}.";
    import_reading: "Reading and checking the file…", "Leyendo y revisando el archivo…";
    import_writing: "Writing programs: {done} of {total}.", "Guardando programas: {done} de {total}.";
    import_running_elsewhere: "The import is running.", "La importación está en curso.";
    import_check_again: "See how far it has got", "Ver cuánto avanzó";
    import_summary: "{created} created, {updated} updated, {unchanged} unchanged, {archived} archived, {skipped} skipped.", "{created} creados, {updated} actualizados, {unchanged} sin cambios, {archived} archivados, {skipped} omitidos.";
    import_written: "The directory was updated.", "El directorio se actualizó.";
    import_not_written: "Nothing was written: {reason}.", "No se guardó nada: {reason}.";
    import_failed: "The import failed: {reason}.", "La importación falló: {reason}.";
    import_problems: "Problems ({count})", "Problemas ({count})";
    import_problems_more: "Only the first {shown} are listed.", "Solo se muestran los primeros {shown}.";
    import_skipped: "Services skipped (HSDS ids)", "Servicios omitidos (ids de HSDS)";
    admin_groups_link: "Manage every group", "Administrar todos los grupos";
    admin_group_closed: "Closed: it has no members, and nobody can join it.", "Cerrado: no tiene miembros y nadie puede unirse.";
    admin_group_turn_off: "Turn Team Navigation off for {group}", "Desactivar el trabajo en equipo de {group}";
    admin_group_turn_on: "Turn Team Navigation on for {group}", "Activar el trabajo en equipo de {group}";
    admin_group_add_admin: "Make an admin (their email)", "Nombrar administrador (su correo)";
    admin_group_add_admin_button: "Make admin", "Nombrar administrador";
    admin_group_new_name: "New name", "Nombre nuevo";
    admin_group_rename: "Rename", "Cambiar el nombre";
    admin_group_close: "Close the group", "Cerrar el grupo";
    admin_group_close_named: "Close the group {group}", "Cerrar el grupo {group}";
    admin_group_log: "What was done, by whom", "Qué se hizo y quién lo hizo";
    admin_group_log_empty: "Nothing yet.", "Nada todavía.";
    admin_log_team_on: "{who} turned Team Navigation on in {group}", "{who} activó el trabajo en equipo en {group}";
    admin_log_team_off: "{who} turned Team Navigation off in {group}", "{who} desactivó el trabajo en equipo en {group}";
    admin_log_removed: "{who} removed {whom} from {group}", "{who} quitó a {whom} de {group}";
    admin_log_admin_added: "{who} made {whom} an admin of {group}", "{who} nombró a {whom} administrador de {group}";
    admin_log_renamed: "{who} renamed {group} ({whom})", "{who} cambió el nombre de {group} ({whom})";
    admin_log_closed: "{who} closed {group}", "{who} cerró {group}";
    admin_log_invited: "{who} invited {whom} to {group}", "{who} invitó a {whom} a {group}";
    account_title: "Your account", "Su cuenta";
    account_profile: "Your details", "Sus datos";
    account_phone: "Phone (optional)", "Teléfono (opcional)";
    account_language: "Language for emails and pages", "Idioma de los correos y las páginas";
    account_save: "Save", "Guardar";
    account_saved: "Saved.", "Guardado.";
    account_email_now: "Your email is {email}.", "Su correo es {email}.";
    account_new_email: "New email", "Correo nuevo";
    account_current_password: "Current password", "Contraseña actual";
    account_new_password: "New password", "Contraseña nueva";
    account_email_send: "Send a link to the new email", "Enviar un enlace al correo nuevo";
    account_email_sent: "Sent. Your email changes when you open the link we sent to the new address.", "Enviado. Su correo cambia cuando abra el enlace que enviamos a la dirección nueva.";
    account_email_confirm_body: "Confirm the new email for the account you are logged in to.", "Confirme el correo nuevo de la cuenta con la que inició sesión.";
    account_password_save: "Change the password", "Cambiar la contraseña";
    account_password_saved: "Password changed. You were logged out everywhere else.", "Contraseña cambiada. Se cerró su sesión en todos los demás lugares.";
    account_everywhere: "Log out everywhere", "Cerrar sesión en todas partes";
    account_everywhere_body: "Logs you out on every browser and device, this one too.", "Cierra su sesión en todos los navegadores y aparatos, también en este.";
    forgot_title: "Forgot your password?", "¿Olvidó su contraseña?";
    forgot_body: "Enter your email. If it has an account, we will send it a link to set a new password.", "Escriba su correo. Si tiene una cuenta, le enviaremos un enlace para elegir una contraseña nueva.";
    forgot_send: "Send the link", "Enviar el enlace";
    forgot_sent: "If that address has an account, we sent it a link. The link works for 1 hour.", "Si ese correo tiene una cuenta, le enviamos un enlace. El enlace funciona durante 1 hora.";
    reset_title: "Set a new password", "Elegir una contraseña nueva";
    reset_body: "Choose a new password. You will be logged out everywhere else.", "Elija una contraseña nueva. Se cerrará su sesión en todos los demás lugares.";
    reset_save: "Save the new password", "Guardar la contraseña nueva";
    link_title: "Update a referral", "Actualizar una referencia";
    link_saved: "Saved. The status is updated for everyone following this referral.", "Guardado. El estado se actualizó para todas las personas que siguen esta referencia.";
    link_cannot_use: "This link can't be used", "No se puede usar este enlace";
    link_referral_to: "Referral to {program}", "Referencia a {program}";
    link_status_now: "Status now", "Estado actual";
    link_last_updated: "Last updated", "Última actualización";
    link_change_status: "Change the status", "Cambiar el estado";
    link_new_status: "New status", "Nuevo estado";
    link_choose_status: "Choose a status", "Elija un estado";
    link_save: "Save the new status", "Guardar el nuevo estado";
    not_found_title: "Not found", "No encontrado";
    not_found_heading: "We couldn't find that page", "No encontramos esa página";
    not_found_home: "Go to the front page", "Ir a la página principal";

    // --- Emails -----------------------------------------------------------------------
    email_hello: "Hello,", "Hola:";
    email_hello_name: "Hello {name},", "Hola, {name}:";
    email_link_lifetime: "The link works for 14 days.", "El enlace funciona durante 14 días.";
    email_referred_you_subject: "{by} referred you to {program}", "{by} le refirió a {program}";
    email_referred_you: "{by} referred you to {program}. The program will get in touch with you.", "{by} le refirió a {program}. El programa se comunicará con usted.";
    email_see_referral: "See or update the referral", "Ver o actualizar la referencia";
    email_signup_hint: "To follow all your referrals, create an account with this email address at {url}/signup.", "Para seguir todas sus referencias, cree una cuenta con este correo en {url}/signup.";
    email_self_subject: "Your request to {program} was sent", "Enviamos su solicitud a {program}";
    email_self: "We sent your request to {program}. The program will get in touch with you.", "Enviamos su solicitud a {program}. El programa se comunicará con usted.";
    email_see_request: "See or update your request", "Ver o actualizar su solicitud";
    email_inbound_subject: "New referral for {program}: {seeker}", "Nueva referencia para {program}: {seeker}";
    email_inbound_self: "{seeker} asked {program} for help.", "{seeker} pidió ayuda a {program}.";
    email_inbound_by: "{by} referred {seeker} to {program}.", "{by} refirió a {seeker} a {program}.";
    email_inbound_open: "Open the referral to see how to reach them, and to update its status.", "Abra la referencia para ver cómo comunicarse con la persona y para actualizar el estado.";
    email_open_referral: "Open the referral", "Abrir la referencia";
    email_listed_footer: "You get this email because it is the listed address of {program}. To see all its referrals in one place, claim the program at {url}/programs.", "Recibe este correo porque es la dirección publicada de {program}. Para ver todas sus referencias en un lugar, pida administrar el programa en {url}/programs.";
    email_all_referrals: "All your referrals: {url}/inbound", "Todas sus referencias: {url}/inbound";
    email_status_to_seeker: "{program} changed the status of your referral to “{status}”.", "{program} cambió el estado de su referencia a “{status}”.";
    email_status_to_others: "{by} changed the status of {seeker}'s referral to {program} to “{status}”.", "{by} cambió el estado de la referencia de {seeker} a {program} a “{status}”.";
    email_comment_from: "{by} wrote", "{by} escribió";
    email_reminder_subject: "Referrals waiting for an answer: {count}", "Referencias que esperan respuesta: {count}";
    email_reminder: "These referrals are still “Not updated” after the response standard. Open each one to update its status:", "Estas referencias siguen “Sin actualizar” después del plazo de respuesta. Abra cada una para actualizar su estado:";
    email_reminder_item: "{seeker}, {program}: overdue since {date}", "{seeker}, {program}: atrasada desde el {date}";
    email_reminder_more: "…and {count} more on Inbound Referrals: {url}", "…y {count} más en Referencias recibidas: {url}";
    email_reminder_footer: "You get at most one of these a day, only while referrals are overdue.", "Recibe como máximo uno de estos al día, solo mientras haya referencias atrasadas.";
    email_escalation_subject: "No answer yet from {program} for {seeker}", "Todavía no hay respuesta de {program} para {seeker}";
    email_escalation: "{program} has not updated the referral you made for {seeker}, past its response standard.", "{program} no ha actualizado la referencia que usted hizo para {seeker}, y ya pasó su plazo de respuesta.";
    email_escalation_next: "You may want to call the program, or refer {seeker} somewhere else.", "Quizás quiera llamar al programa o referir a {seeker} a otro lugar.";
    email_check_in_subject: "Did you get help from {program}?", "¿Recibió ayuda de {program}?";
    email_check_in: "You were referred to {program}. Did you get help? Tap an answer. You do not need to log in.", "Le refirieron a {program}. ¿Recibió ayuda? Toque una respuesta. No necesita iniciar sesión.";
    email_check_in_directory: "Looking for other help? Search the directory: {url}", "¿Busca otra ayuda? Busque en el directorio: {url}";
    check_in_got_help: "Yes, I got help", "Sí, recibí ayuda";
    check_in_couldnt_get_help: "No, I couldn't get help", "No, no pude recibir ayuda";
    check_in_still_waiting: "I'm still waiting", "Todavía estoy esperando";
    email_see_status: "See or update the status", "Ver o actualizar el estado";
    email_next_needs_action: "The program needs something from you. Please contact them, or open the referral below.", "El programa necesita algo de usted. Comuníquese con ellos o abra la referencia abajo.";
    email_next_couldnt_contact: "The program could not reach you. Please check how they can reach you and contact them.", "El programa no pudo comunicarse con usted. Revise cómo pueden comunicarse con usted y llámelos.";
    email_next_for_helper: "The person you referred may need your help with the next step.", "Es posible que la persona que refirió necesite su ayuda con el siguiente paso.";
    email_group_invite_subject: "{by} invited you to join {to} on Handoff", "{by} le invitó a unirse a {to} en Handoff";
    email_group_invite: "{by} invited you to join the group {to}. Members see and update the referrals the group makes, when the group works as a team.", "{by} le invitó a unirse al grupo {to}. Los miembros ven y actualizan las referencias del grupo cuando el grupo trabaja en equipo.";
    email_staff_invite_subject: "{by} invited you to the staff of {to} on Handoff", "{by} le invitó al personal de {to} en Handoff";
    email_staff_invite: "{by} invited you to the staff of {to}. Staff see the referrals sent to the program and update their status.", "{by} le invitó al personal de {to}. El personal ve las referencias enviadas al programa y actualiza su estado.";
    email_accept_invitation: "Accept the invitation", "Aceptar la invitación";
    email_invite_footer: "If you did not expect this invitation, ignore this email.", "Si no esperaba esta invitación, ignore este correo.";
    email_claim_subject: "Does {who} manage {program} on Handoff?", "¿{who} administra {program} en Handoff?";
    email_claim: "{who} ({email}) asked to manage {program} on Handoff. If they work for your program, confirm it with the link. They will see the referrals sent to the program.", "{who} ({email}) pidió administrar {program} en Handoff. Si trabaja en su programa, confírmelo con el enlace. Verá las referencias enviadas al programa.";
    email_confirm: "Confirm", "Confirmar";
    email_claim_footer: "If you do not know this person, ignore this email: nothing will happen.", "Si no conoce a esta persona, ignore este correo: no pasará nada.";
    email_verify_subject: "Confirm your email for Handoff", "Confirme su correo para Handoff";
    email_verify: "Someone made a Handoff account named {name} with this address. If it was you, confirm it with the link below. Then you will see the referrals made for you with this address.", "Alguien creó una cuenta de Handoff con el nombre {name} y este correo. Si fue usted, confírmelo con el enlace de abajo. Después verá las referencias que se hicieron para usted con este correo.";
    email_verify_footer: "Not you? Open the link and choose “This wasn't me”. We will remove the account, and nobody will see your referrals.", "¿No fue usted? Abra el enlace y elija “No fui yo”. Borraremos la cuenta y nadie verá sus referencias.";
    email_exists_subject: "Someone tried to sign up with your email", "Alguien intentó crear una cuenta con su correo";
    email_exists: "Someone tried to make a new Handoff account with this email address. You already have an account, so we did not make another one.", "Alguien intentó crear una cuenta nueva de Handoff con este correo. Usted ya tiene una cuenta, así que no creamos otra.";
    email_exists_not_you: "If it was you, log in, or set a new password with the link below. If it wasn't you, ignore this email: nothing changed.", "Si fue usted, inicie sesión o elija una contraseña nueva con el enlace de abajo. Si no fue usted, ignore este correo: nada cambió.";
    email_reset_subject: "Set a new Handoff password", "Elija una contraseña nueva para Handoff";
    email_reset: "Someone asked to set a new password for your Handoff account. To choose one, use the link below. It works once, for 1 hour.", "Alguien pidió una contraseña nueva para su cuenta de Handoff. Para elegirla, use el enlace de abajo. Funciona una vez, durante 1 hora.";
    email_reset_action: "Set a new password", "Elegir una contraseña nueva";
    email_reset_footer: "If you did not ask for this, ignore this email: your password stays the same.", "Si usted no lo pidió, ignore este correo: su contraseña no cambia.";
    email_changed_subject: "Your Handoff account was changed", "Su cuenta de Handoff cambió";
    email_changed_email: "The email address of your Handoff account was changed to {email}.", "El correo de su cuenta de Handoff cambió a {email}.";
    email_changed_password: "The password of your Handoff account was changed.", "La contraseña de su cuenta de Handoff cambió.";
    email_changed_not_you: "If this was you, there is nothing to do. If it wasn't, set a new password with the link below: it logs out everyone else. It works once, for 1 hour.", "Si fue usted, no tiene que hacer nada. Si no fue usted, elija una contraseña nueva con el enlace de abajo: cierra la sesión de todos los demás. Funciona una vez, durante 1 hora.";
    email_change_subject: "Confirm your new email for Handoff", "Confirme su correo nuevo para Handoff";
    email_change: "You asked to use {email} for your Handoff account. Confirm it with the link below. Until then, your old address stays in use.", "Usted pidió usar {email} en su cuenta de Handoff. Confírmelo con el enlace de abajo. Hasta entonces, seguimos usando su correo anterior.";
    email_change_action: "Confirm my new email", "Confirmar mi correo nuevo";
    email_change_footer: "If you did not ask for this, ignore this email: nothing will change.", "Si usted no lo pidió, ignore este correo: nada cambiará.";
}
