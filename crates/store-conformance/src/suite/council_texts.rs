//! Conformance cases for the council's own texts: saved (any Unicode, several
//! paragraphs), replaced and read back in the order of their keys; restoring a
//! default deletes the council's wording, and restoring it again touches
//! nothing. A unit refused by another of its writes saves no text.

use std::sync::Arc;

use send_domain::AuditAction;
use send_domain::UserId;
use send_domain::council_texts::CouncilText;
use send_store::{Changes, Effects, Store, Write};
use time::Duration;

use super::documents::{START, effects, staff};
use super::support::{assert_not_found, commit, ids_of, ok, written};

fn text(key: &str, value: &str) -> CouncilText {
    CouncilText {
        key: key.to_owned(),
        value: value.to_owned(),
    }
}

fn save(saved: &CouncilText, by: UserId, fx: &Effects) -> Changes {
    Changes::new()
        .with(Write::SaveCouncilText {
            key: saved.key.clone(),
            value: saved.value.clone(),
            by,
            at: START,
        })
        .with_effects(fx.clone())
}

fn restore(key: &str, fx: &Effects) -> Changes {
    Changes::new()
        .with(Write::RestoreCouncilText {
            key: key.to_owned(),
        })
        .with_effects(fx.clone())
}

/// No text is saved at first. Saved texts read back whole, by key; saving a
/// key again replaces its wording; restoring deletes it (one row), and a
/// second restore touches none.
pub async fn council_texts_are_saved_replaced_restored_and_read_back(store: Arc<dyn Store>) {
    assert!(ok(store.council_texts().await).is_empty());
    let admin = staff();
    let phone = text("contact.phone", "0300 123 4567 (Monday to Friday, 9am–5pm)");
    let body = text(
        "email.reference_code.body",
        "Première ligne – “quotes” for ((name)).\n\nYour code is ((code)).",
    );
    let fx: Vec<Effects> = (0..5)
        .map(|n| {
            let action = if n < 3 {
                AuditAction::CouncilTextChanged
            } else {
                AuditAction::CouncilTextRestored
            };
            effects(START + Duration::minutes(n), action)
        })
        .collect();
    assert_eq!(
        commit(&store, save(&phone, admin, &fx[0])).await.rows,
        vec![1]
    );
    commit(&store, save(&body, admin, &fx[1])).await;
    assert_eq!(
        ok(store.council_texts().await),
        vec![phone.clone(), body.clone()],
        "contact.phone before email.reference_code.body"
    );

    let replaced = text("contact.phone", "01632 960 000");
    assert_eq!(
        commit(&store, save(&replaced, staff(), &fx[2])).await.rows,
        vec![1]
    );
    assert_eq!(
        ok(store.council_texts().await),
        vec![replaced, body.clone()],
        "one row per key, the newest wording"
    );

    assert_eq!(
        commit(&store, restore("contact.phone", &fx[3])).await.rows,
        vec![1]
    );
    assert_eq!(
        commit(&store, restore("contact.phone", &fx[4])).await.rows,
        vec![0],
        "already the default"
    );
    assert_eq!(ok(store.council_texts().await), vec![body]);
    let refs: Vec<&Effects> = fx.iter().collect();
    assert_eq!(written(&store).await, ids_of(&refs));
}

/// A unit whose last write is refused (a missing record) saves no text and
/// restores none, nor writes its effects.
pub async fn a_refused_unit_saves_and_restores_no_council_text(store: Arc<dyn Store>) {
    let kept = text("stage.assessment.extra_information", "We will call you.");
    let first = effects(START, AuditAction::CouncilTextChanged);
    commit(&store, save(&kept, staff(), &first)).await;

    let fx = effects(
        START + Duration::minutes(1),
        AuditAction::CouncilTextChanged,
    );
    let refused = save(&text("contact.email", "send@example.gov.uk"), staff(), &fx)
        .with(Write::RestoreCouncilText {
            key: kept.key.clone(),
        })
        .with(Write::DeleteLocalMilestone {
            code: "local_no_such_milestone".to_owned(),
        });
    assert_not_found(store.commit(&refused).await);
    assert_eq!(ok(store.council_texts().await), vec![kept]);
    assert_eq!(written(&store).await, ids_of(&[&first]));
}
