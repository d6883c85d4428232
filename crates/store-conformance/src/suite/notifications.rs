//! Conformance cases for automatic notifications: the council's setting per
//! event (saved, replaced, every field read back) and each person's opt-outs
//! (per person and event; turning one off twice is the same as once). A unit
//! refused by another of its writes saves no setting and no opt-out.

use std::sync::Arc;

use send_domain::notifications::{
    Audiences, NotificationEvent, NotificationSetting, NotificationText,
};
use send_domain::{AuditAction, UserId};
use send_store::{Changes, Effects, Store, Write};
use time::Duration;

use super::documents::{START, effects, portal_account, staff};
use super::support::{assert_not_found, commit, ids_of, ok, written};

fn setting(event: NotificationEvent, families: bool, subject: &str) -> NotificationSetting {
    NotificationSetting {
        event,
        audiences: Audiences {
            families,
            professionals: !families,
        },
        text: NotificationText::from_stored(
            subject.to_owned(),
            "Première ligne – “quotes” for ((child_first_name)).\n\nSign in: ((link))".to_owned(),
        ),
    }
}

fn save(setting: &NotificationSetting, by: UserId, fx: &Effects) -> Changes {
    Changes::new()
        .with(Write::SaveNotificationSetting {
            setting: setting.clone(),
            by,
            at: START,
        })
        .with_effects(fx.clone())
}

fn opt_out(account: UserId, event: NotificationEvent, off: bool, fx: &Effects) -> Changes {
    Changes::new()
        .with(Write::SetNotificationOptOut {
            account,
            event,
            off,
        })
        .with_effects(fx.clone())
}

/// No event is set at first. A saved setting reads back with every field
/// (audiences, subject and a body of several paragraphs), in the order of the
/// events' codes; saving an event again replaces it.
pub async fn notification_settings_are_saved_replaced_and_read_back(store: Arc<dyn Store>) {
    assert!(ok(store.notification_settings().await).is_empty());
    let admin = staff();
    let stage = setting(
        NotificationEvent::StageChanged,
        true,
        "Stage ((child_first_name))",
    );
    let action = setting(NotificationEvent::ActionSent, false, "A form to complete");
    let first = effects(START, AuditAction::NotificationSettingChanged);
    let second = effects(
        START + Duration::minutes(1),
        AuditAction::NotificationSettingChanged,
    );
    commit(&store, save(&stage, admin, &first)).await;
    commit(&store, save(&action, admin, &second)).await;
    assert_eq!(
        ok(store.notification_settings().await),
        vec![action.clone(), stage.clone()],
        "action_sent before stage_changed"
    );

    let replaced = NotificationSetting {
        audiences: Audiences::default(),
        text: NotificationText::from_stored("Changed".to_owned(), "((link))".to_owned()),
        ..stage
    };
    let third = effects(
        START + Duration::minutes(2),
        AuditAction::NotificationSettingChanged,
    );
    let done = commit(&store, save(&replaced, staff(), &third)).await;
    assert_eq!(done.rows, vec![1]);
    assert_eq!(
        ok(store.notification_settings().await),
        vec![action, replaced],
        "one row per event, the newest choice"
    );
    assert_eq!(written(&store).await, ids_of(&[&first, &second, &third]));
}

/// A person turns notifications off one event at a time, for themselves
/// only; turning one off again changes nothing, and turning it on removes it.
pub async fn notification_opt_outs_are_per_person_and_event(store: Arc<dyn Store>) {
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let carer = portal_account(&store, "alex.carer@example.org").await;
    let outs = |account: UserId| {
        let store = store.clone();
        async move { ok(store.notification_opt_outs(account).await) }
    };
    assert!(outs(parent).await.is_empty());
    let fx: Vec<Effects> = (0..4)
        .map(|n| {
            effects(
                START + Duration::minutes(n),
                AuditAction::NotificationChoicesChanged,
            )
        })
        .collect();
    let stage = NotificationEvent::StageChanged;
    let messages = NotificationEvent::MessageReceived;
    assert_eq!(
        commit(&store, opt_out(parent, stage, true, &fx[0]))
            .await
            .rows,
        vec![1]
    );
    assert_eq!(
        commit(&store, opt_out(parent, stage, true, &fx[1]))
            .await
            .rows,
        vec![0],
        "already off"
    );
    commit(&store, opt_out(parent, messages, true, &fx[2])).await;
    assert_eq!(outs(parent).await, vec![messages, stage], "by code");
    assert!(outs(carer).await.is_empty(), "only the person's own");

    assert_eq!(
        commit(&store, opt_out(parent, messages, false, &fx[3]))
            .await
            .rows,
        vec![1]
    );
    assert_eq!(outs(parent).await, vec![stage]);
    let refs: Vec<&Effects> = fx.iter().collect();
    assert_eq!(written(&store).await, ids_of(&refs));
}

/// A unit whose last write is refused (a missing record) saves neither the
/// setting nor the opt-out that came before it, nor its effects.
pub async fn a_refused_unit_saves_no_setting_and_no_opt_out(store: Arc<dyn Store>) {
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let fx = effects(START, AuditAction::NotificationSettingChanged);
    let refused = save(
        &setting(NotificationEvent::ReviewDue, true, "Review"),
        staff(),
        &fx,
    )
    .with(Write::SetNotificationOptOut {
        account: parent,
        event: NotificationEvent::ReviewDue,
        off: true,
    })
    .with(Write::DeleteLocalMilestone {
        code: "local_no_such_milestone".to_owned(),
    });
    assert_not_found(store.commit(&refused).await);
    assert!(ok(store.notification_settings().await).is_empty());
    assert!(ok(store.notification_opt_outs(parent).await).is_empty());
    assert_eq!(written(&store).await, ids_of(&[]));
}
