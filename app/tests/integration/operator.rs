//! Issue 15: the operator's commands (`handoff create-admin`, `check-config`) on a real
//! database: a deployment that is not in demo mode gets its first administrator.

use crate::support::fresh_store_and_url;
use app::model::EmailAddress;
use app::server::operator::{check_config, create_admin};

#[tokio::test]
async fn create_admin_makes_a_confirmed_site_administrator_once() {
    let (store, url) = fresh_store_and_url().await;
    let id = create_admin(
        &store,
        "Rae Operator",
        "Rae@County.example",
        "a long enough password",
    )
    .await
    .unwrap();
    let user = store
        .user_by_email(&EmailAddress::parse("rae@county.example").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.id, id);
    assert!(user.is_site_admin());
    assert!(user.email_verified());
    let logged_in = app::server::auth::check_login(
        &store,
        &EmailAddress::parse("rae@county.example").unwrap(),
        "a long enough password".into(),
        "127.0.0.1",
    )
    .await;
    assert_eq!(logged_in, Ok(id), "the password logs in");

    let again = create_admin(
        &store,
        "Rae Again",
        "rae@county.example",
        "another long password",
    )
    .await;
    assert_eq!(
        again,
        Err("rae@county.example already has an account".into())
    );
    let bad = create_admin(&store, "X", "not-an-address", "a long enough password").await;
    assert!(bad.unwrap_err().starts_with("--email: "));
    let short = create_admin(&store, "X", "x@county.example", "short").await;
    assert!(short.unwrap_err().starts_with("password: "));

    let secret = "0123456789abcdef0123456789abcdef";
    let report = check_config(
        |k| match k {
            "HANDOFF_SECRET" => Some(secret.into()),
            "DATABASE_URL" => Some(url.clone()),
            _ => None,
        },
        "127.0.0.1:3000",
    )
    .await
    .unwrap();
    assert!(report.contains("reachable"), "{report}");
    assert!(
        !report.contains(secret),
        "the secret is not printed: {report}"
    );
    let unreachable = check_config(
        |k| match k {
            "HANDOFF_SECRET" => Some(secret.into()),
            "DATABASE_URL" => Some("postgres://nobody@127.0.0.1:9/none".into()),
            _ => None,
        },
        "127.0.0.1:3000",
    )
    .await
    .unwrap_err();
    assert!(unreachable.starts_with("DATABASE_URL: "), "{unreachable}");
}
