//! Conformance cases for the people pages: whether an account may sign in (its
//! sessions end with the change, and a session of an account that may not sign
//! in is never loaded), ending an account's sessions, withdrawing a set-up link,
//! and the lists of staff and portal accounts.

use std::collections::BTreeSet;
use std::sync::Arc;

use send_domain::{
    Account, AccountKind, AccountStatus, Actor, AuditAction, AuditEvent, AuditOutcome, PersonName,
    SessionRecord, StaffRole, StaffSetupLink, TeamId, TokenHash, UserId, default_group,
};
use send_store::{
    Changes, Effects, LAST_ADMINISTRATOR, NewAccount, STAFF_SETUP_LINK_CHANGED, StaffMembership,
    Store, Team, Write,
};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::cases::{account, insert_account, new_account};
use super::support::{
    assert_conflict, assert_not_found, commit, first_wins, ids_of, race, written,
};
use super::{event, link};

const START: OffsetDateTime = datetime!(2026-11-23 09:00:00.123456 UTC);

fn session(byte: u8, account: UserId) -> SessionRecord {
    SessionRecord {
        id_hash: TokenHash::from_hex(&format!("{byte:02x}").repeat(32))
            .unwrap_or_else(|e| panic!("{e}")),
        account_id: Some(account),
        data: "{}".to_owned(),
        created_at: START,
        last_seen_at: START,
        signed_in_from: send_domain::SignedInFrom::default(),
    }
}

async fn open(store: &Arc<dyn Store>, record: &SessionRecord) {
    store
        .insert_session(record)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

async fn loads(store: &Arc<dyn Store>, record: &SessionRecord) -> bool {
    store
        .load_session(&record.id_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .is_some()
}

fn set_status(
    account: UserId,
    status: AccountStatus,
    reason: Option<&str>,
    effects: &Effects,
) -> Changes {
    Changes::new()
        .with(Write::SetAccountStatus {
            account,
            status,
            reason: reason.map(str::to_owned),
            at: START + Duration::hours(1),
        })
        .with_effects(effects.clone())
}

fn citizen(address: &str, name: &str) -> Account {
    Account {
        name: PersonName::parse(name).unwrap_or_else(|e| panic!("{e}")),
        ..account(AccountKind::Citizen, address, None)
    }
}

/// Disabling an account records the status, reason and time, and ends every
/// session of the account (no other account's) in the same commit; a session of
/// a disabled account is never loaded, even one written after; enabling it
/// again lets new sessions load. A missing account is `NotFound` and writes
/// nothing.
pub async fn disabling_an_account_ends_its_sessions_and_none_loads(store: Arc<dyn Store>) {
    let parent = citizen("parent@example.org", "Sam Parent");
    let other = citizen("other@example.org", "Alex Other");
    insert_account(&store, new_account(parent.clone())).await;
    insert_account(&store, new_account(other.clone())).await;
    let first = session(1, parent.id);
    let second = session(2, parent.id);
    let others = session(3, other.id);
    for record in [&first, &second, &others] {
        open(&store, record).await;
    }
    let fresh = store
        .person(parent.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the account is there"));
    assert_eq!(fresh.status, AccountStatus::Active);
    assert_eq!(fresh.status_reason, None);
    assert_eq!(fresh.status_changed_at, None);
    assert_eq!(fresh.account, parent);

    let disabled = Effects::audit(event(START, AuditAction::AccountDisabled));
    let committed = commit(
        &store,
        set_status(
            parent.id,
            AccountStatus::Disabled,
            Some("Asked us to close it"),
            &disabled,
        ),
    )
    .await;
    assert_eq!(committed.rows, vec![1]);
    let person = store
        .person(parent.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the account is kept"));
    assert_eq!(person.status, AccountStatus::Disabled);
    assert_eq!(
        person.status_reason.as_deref(),
        Some("Asked us to close it")
    );
    assert_eq!(person.status_changed_at, Some(START + Duration::hours(1)));
    assert!(!loads(&store, &first).await);
    assert!(!loads(&store, &second).await);
    assert!(
        loads(&store, &others).await,
        "another account's session stays"
    );
    let late = session(4, parent.id);
    open(&store, &late).await;
    assert!(
        !loads(&store, &late).await,
        "a session of a disabled account is not loaded"
    );

    let enabled = Effects::audit(event(START, AuditAction::AccountEnabled));
    commit(
        &store,
        set_status(parent.id, AccountStatus::Active, None, &enabled),
    )
    .await;
    let person = store
        .person(parent.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the account is kept"));
    assert_eq!(person.status, AccountStatus::Active);
    assert_eq!(person.status_reason, None);
    assert!(!loads(&store, &late).await, "enabling ends sessions too");
    let again = session(5, parent.id);
    open(&store, &again).await;
    assert!(loads(&store, &again).await);

    assert_not_found(
        store
            .commit(&set_status(
                UserId::from_uuid(Uuid::new_v4()),
                AccountStatus::Disabled,
                None,
                &Effects::audit(event(START, AuditAction::AccountDisabled)),
            ))
            .await,
    );
    assert_eq!(written(&store).await, ids_of(&[&disabled, &enabled]));
}

/// Ending an account's sessions ends every one of them (counted), and no other
/// account's.
pub async fn ending_sessions_ends_every_session_of_the_account(store: Arc<dyn Store>) {
    let parent = citizen("parent@example.org", "Sam Parent");
    insert_account(&store, new_account(parent.clone())).await;
    let stranger = UserId::from_uuid(Uuid::new_v4());
    let mine = [session(1, parent.id), session(2, parent.id)];
    let theirs = session(3, stranger);
    for record in mine.iter().chain([&theirs]) {
        open(&store, record).await;
    }
    let ended = Effects::audit(event(START, AuditAction::SessionsEnded));
    let committed = commit(
        &store,
        Changes::new()
            .with(Write::EndSessions { account: parent.id })
            .with_effects(ended.clone()),
    )
    .await;
    assert_eq!(committed.rows, vec![2]);
    for record in &mine {
        assert!(!loads(&store, record).await);
    }
    assert!(loads(&store, &theirs).await);
    let none = commit(
        &store,
        Changes::new().with(Write::EndSessions { account: parent.id }),
    )
    .await;
    assert_eq!(none.rows, vec![0]);
    assert_eq!(written(&store).await, ids_of(&[&ended]));
}

/// A set-up link waiting to be used is listed as pending until it is withdrawn
/// (once: again, or after it was used, is a conflict; a missing link
/// `NotFound`); a withdrawn link is read back with its time.
pub async fn a_setup_link_is_withdrawn_once(store: Arc<dyn Store>) {
    let waiting = link(&"c1".repeat(32));
    let used = StaffSetupLink {
        email: send_domain::Email::parse("used@example.gov.uk").unwrap_or_else(|e| panic!("{e}")),
        created_at: waiting.created_at + Duration::minutes(1),
        ..link(&"c2".repeat(32))
    };
    for l in [&waiting, &used] {
        commit(
            &store,
            Changes::new().with(Write::InsertStaffSetupLink(l.clone())),
        )
        .await;
    }
    let pending = store
        .pending_staff_setup_links()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pending, vec![used.clone(), waiting.clone()], "newest first");
    let member = Account {
        email: used.email.clone(),
        ..account(
            AccountKind::Staff,
            "x@example.gov.uk",
            Some(StaffRole::Administrator),
        )
    };
    insert_account(
        &store,
        NewAccount {
            setup_link: Some(used.id),
            ..new_account(member)
        },
    )
    .await;

    let at = START + Duration::hours(2);
    let withdrawn = Effects::audit(event(at, AuditAction::StaffSetupLinkWithdrawn));
    commit(
        &store,
        Changes::new()
            .with(Write::WithdrawStaffSetupLink { id: waiting.id, at })
            .with_effects(withdrawn.clone()),
    )
    .await;
    let pending = store
        .pending_staff_setup_links()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pending, Vec::new());
    let read = store
        .staff_setup_link(waiting.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        read,
        Some(StaffSetupLink {
            withdrawn_at: Some(at),
            ..waiting.clone()
        })
    );
    for id in [waiting.id, used.id] {
        assert_conflict(
            store
                .commit(
                    &Changes::new()
                        .with(Write::WithdrawStaffSetupLink { id, at })
                        .with_audit(event(at, AuditAction::StaffSetupLinkWithdrawn)),
                )
                .await,
            STAFF_SETUP_LINK_CHANGED,
        );
    }
    assert_not_found(
        store
            .commit(&Changes::new().with(Write::WithdrawStaffSetupLink {
                id: send_domain::StaffSetupLinkId::from_uuid(Uuid::new_v4()),
                at,
            }))
            .await,
    );
    assert_eq!(written(&store).await, ids_of(&[&withdrawn]));
}

/// Staff are listed by name with their memberships; portal accounts (never
/// staff) are found by part of their name or email address, in any case, with
/// `%` and `_` taken literally, by name and within the limit.
pub async fn people_are_listed_and_portal_accounts_found(store: Arc<dyn Store>) {
    let zoe = Account {
        name: PersonName::parse("Zoe Worker").unwrap_or_else(|e| panic!("{e}")),
        ..account(
            AccountKind::Staff,
            "zoe@example.gov.uk",
            Some(StaffRole::Caseworker),
        )
    };
    let ada = Account {
        name: PersonName::parse("Ada Admin").unwrap_or_else(|e| panic!("{e}")),
        ..account(
            AccountKind::Staff,
            "ada@example.gov.uk",
            Some(StaffRole::Administrator),
        )
    };
    let sam = citizen("sam.parent@example.org", "Sam Parent");
    let percent = citizen("100%mum@example.org", "Jo Percent");
    let bea = citizen("bea@example.org", "Bea Carer");
    for a in [&zoe, &ada, &sam, &percent, &bea] {
        insert_account(&store, new_account(a.clone())).await;
    }
    let north = Team {
        id: TeamId::from_uuid(Uuid::new_v4()),
        name: "North team".to_owned(),
    };
    let membership = StaffMembership {
        account_id: zoe.id,
        team_id: Some(north.id),
        groups: BTreeSet::from([default_group(StaffRole::Caseworker)]),
    };
    commit(
        &store,
        Changes::new()
            .with(Write::InsertTeam {
                team: north,
                at: START,
            })
            .with(Write::SetStaffMembership {
                membership: membership.clone(),
                at: START,
            }),
    )
    .await;

    let staff = store.staff_people().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        staff.iter().map(|p| p.account.id).collect::<Vec<_>>(),
        vec![ada.id, zoe.id]
    );
    let memberships = store
        .staff_memberships()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(memberships, vec![membership]);

    let found = |search: &'static str, limit: u32| {
        let store = store.clone();
        async move {
            store
                .portal_people(search, limit)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .into_iter()
                .map(|p| p.account.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("", 10).await, vec![bea.id, percent.id, sam.id]);
    assert_eq!(found("", 2).await, vec![bea.id, percent.id]);
    assert_eq!(found("PARENT", 10).await, vec![sam.id]);
    assert_eq!(found("bea@", 10).await, vec![bea.id]);
    assert_eq!(found("%", 10).await, vec![percent.id]);
    assert_eq!(found("_", 10).await, Vec::<UserId>::new());
    assert_eq!(
        found("admin", 10).await,
        Vec::<UserId>::new(),
        "never staff"
    );
}

pub async fn staff_last_sign_ins_are_read_for_everyone_at_once(store: Arc<dyn Store>) {
    let zoe = account(
        AccountKind::Staff,
        "zoe.last@example.gov.uk",
        Some(StaffRole::Caseworker),
    );
    let ada = account(
        AccountKind::Staff,
        "ada.never@example.gov.uk",
        Some(StaffRole::Administrator),
    );
    let sam = citizen("sam.signs.in@example.org", "Sam Parent");
    for a in [&zoe, &ada, &sam] {
        insert_account(&store, new_account(a.clone())).await;
    }
    let by = |who: &Account, at: OffsetDateTime, action: AuditAction, outcome: AuditOutcome| {
        AuditEvent {
            actor: Actor::User(who.id),
            outcome,
            ..event(at, action)
        }
    };
    let hour = Duration::hours(1);
    for e in [
        by(&zoe, START, AuditAction::SignedIn, AuditOutcome::Succeeded),
        by(
            &zoe,
            START + hour,
            AuditAction::SignedIn,
            AuditOutcome::Succeeded,
        ),
        // Not sign-ins that worked: a refusal, and something else done later.
        by(
            &zoe,
            START + hour * 2,
            AuditAction::SignedIn,
            AuditOutcome::Refused,
        ),
        by(
            &zoe,
            START + hour * 3,
            AuditAction::ChildViewed,
            AuditOutcome::Succeeded,
        ),
        by(
            &ada,
            START,
            AuditAction::ChildViewed,
            AuditOutcome::Succeeded,
        ),
        by(&sam, START, AuditAction::SignedIn, AuditOutcome::Succeeded),
    ] {
        store
            .record_audit_event(&e)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }

    let last = store
        .staff_last_sign_ins()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(last.get(&zoe.id), Some(&(START + hour)));
    assert_eq!(last.get(&ada.id), None, "never signed in");
    assert_eq!(last.get(&sam.id), None, "not staff");
}

/// Two administrators, each taking "Manage staff" from the other at the same
/// moment: one change is written and the other is a conflict on
/// `LAST_ADMINISTRATOR` that writes nothing, so someone may still manage staff.
/// The last one can then be neither demoted nor deactivated.
pub async fn two_administrators_demoting_each_other_write_one(store: Arc<dyn Store>) {
    let ada = account(
        AccountKind::Staff,
        "ada.race@example.gov.uk",
        Some(StaffRole::Administrator),
    );
    let bo = account(
        AccountKind::Staff,
        "bo.race@example.gov.uk",
        Some(StaffRole::Administrator),
    );
    for a in [&ada, &bo] {
        insert_account(&store, new_account(a.clone())).await;
    }
    let administrators = BTreeSet::from([default_group(StaffRole::Administrator)]);
    let caseworkers = BTreeSet::from([default_group(StaffRole::Caseworker)]);
    let member = |id: UserId, groups: &BTreeSet<_>| Write::SetStaffMembership {
        membership: StaffMembership {
            account_id: id,
            team_id: None,
            groups: groups.clone(),
        },
        at: START,
    };
    commit(
        &store,
        Changes::new()
            .with(member(ada.id, &administrators))
            .with(member(bo.id, &administrators)),
    )
    .await;

    let at = START + Duration::hours(1);
    let demote = |id: UserId| {
        let fx = Effects::audit(event(at, AuditAction::StaffMembershipChanged));
        let changes = Changes::new()
            .with(member(id, &caseworkers))
            .with_effects(fx.clone());
        (fx, changes)
    };
    let (ada_fx, ada_demoted) = demote(ada.id);
    let (bo_fx, bo_demoted) = demote(bo.id);
    let results = race(&store, &ada_demoted, &bo_demoted).await;
    let (won, last) = if first_wins(results, LAST_ADMINISTRATOR) {
        (ada_fx, bo.id)
    } else {
        (bo_fx, ada.id)
    };
    let still: Vec<UserId> = store
        .staff_memberships()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|m| m.groups == administrators)
        .map(|m| m.account_id)
        .collect();
    assert_eq!(still, vec![last], "the loser is still an administrator");
    assert_eq!(
        written(&store).await,
        ids_of(&[&won]),
        "nothing of the loser's"
    );

    assert_conflict(store.commit(&demote(last).1).await, LAST_ADMINISTRATOR);
    assert_conflict(
        store
            .commit(&set_status(
                last,
                AccountStatus::Disabled,
                None,
                &Effects::default(),
            ))
            .await,
        LAST_ADMINISTRATOR,
    );
    assert_eq!(written(&store).await, ids_of(&[&won]));
}
