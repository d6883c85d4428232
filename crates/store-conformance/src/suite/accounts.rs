//! Conformance cases for accounts, one-time codes, password resets, recovery codes
//! and sign-in throttles. Every write that carries effects writes them with the
//! change or, when the change is refused, writes neither.

use std::sync::Arc;

use send_domain::{
    Account, AccountKind, AuditAction, CodePurpose, Email, EmailId, EmailSubject, OneTimeCode,
    OneTimeCodeId, OutgoingEmail, PasswordHash, PasswordResetToken, PersonName, PhoneNumber,
    ProfessionalDetails, SecondFactor, SessionRecord, ShortText, StaffRole, ThrottleState,
    TokenHash, TotpEnrolment, UserId,
};
use send_store::{Changes, Effects, NewAccount, PasswordChange, Store, StoreError, Write};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{event, link};

use super::support::{assert_conflict, commit, ids_of, written};

const START: OffsetDateTime = datetime!(2026-11-23 09:00:00.123456 UTC);

fn hash(byte: u8) -> TokenHash {
    TokenHash::from_hex(&format!("{byte:02x}").repeat(32)).unwrap_or_else(|e| panic!("{e}"))
}

fn email(address: &str) -> Email {
    Email::parse(address).unwrap_or_else(|e| panic!("{e}"))
}

fn name(text: &str) -> PersonName {
    PersonName::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn phone(text: &str) -> PhoneNumber {
    PhoneNumber::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn password(n: u8) -> PasswordHash {
    PasswordHash::from_phc(format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA${n}aGFzaA"))
}

fn citizen(address: &str) -> Account {
    Account {
        id: UserId::from_uuid(Uuid::new_v4()),
        kind: AccountKind::Citizen,
        email: email(address),
        name: name("Siân O'Neill-Jones"),
        phone: None,
        professional: None,
        staff_role: None,
        password_hash: password(0),
        second_factor: SecondFactor::EmailCode,
        totp: None,
        email_verified_at: None,
        created_at: START,
        updated_at: START,
    }
}

fn professional(address: &str) -> Account {
    Account {
        kind: AccountKind::Professional,
        phone: Some(phone("+44 (0)7700 900982")),
        professional: Some(ProfessionalDetails {
            organisation: ShortText::from_stored("Riverside Primary School".to_owned()),
            role: ShortText::from_stored("SENCo".to_owned()),
            work_phone: phone("01632 960 001"),
        }),
        email_verified_at: Some(START + Duration::minutes(2)),
        updated_at: START + Duration::minutes(2),
        ..citizen(address)
    }
}

fn staff(address: &str) -> Account {
    Account {
        kind: AccountKind::Staff,
        staff_role: Some(StaffRole::TeamManager),
        second_factor: SecondFactor::Authenticator,
        totp: Some(TotpEnrolment {
            secret_base32: "JBSWY3DPEHPK3PXP".to_owned(),
            last_used_step: Some(59_000_000),
        }),
        email_verified_at: Some(START),
        ..citizen(address)
    }
}

fn outgoing(to: &Email, at: OffsetDateTime) -> OutgoingEmail {
    OutgoingEmail {
        id: EmailId::from_uuid(Uuid::new_v4()),
        to: to.clone(),
        to_name: None,
        subject: EmailSubject::parse("Your code for the SEND Portal")
            .unwrap_or_else(|e| panic!("{e}")),
        text_body: "Your code is 123456.\n".to_owned(),
        html_body: "<p>Your code is <strong>123456</strong>.</p>".to_owned(),
        created_at: at,
    }
}

/// One audit event and one email, as a use case would pass them.
fn effects(to: &Email, at: OffsetDateTime, action: AuditAction) -> Effects {
    Effects::audit(event(at, action)).with_email(outgoing(to, at))
}

fn new_account(account: Account) -> NewAccount {
    NewAccount {
        account,
        code: None,
        setup_link: None,
        recovery_codes: Vec::new(),
    }
}

fn code(account: &Account, purpose: CodePurpose, attempt: u8, at: OffsetDateTime) -> OneTimeCode {
    OneTimeCode {
        id: OneTimeCodeId::from_uuid(Uuid::new_v4()),
        account_id: account.id,
        purpose,
        code_hash: hash(0xc0),
        attempt_hash: hash(attempt),
        new_email: None,
        created_at: at,
        expires_at: at + OneTimeCode::LIFETIME,
        wrong_attempts: 0,
        used_at: None,
    }
}

async fn insert(store: &Arc<dyn Store>, new: &NewAccount, effects: &Effects) {
    store
        .insert_account(new, effects)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

async fn by_id(store: &Arc<dyn Store>, id: UserId) -> Account {
    store
        .account_by_id(id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("account {id} not found"))
}

/// Citizen, professional and staff accounts are stored with every field and read
/// back exactly, by id and by email, with the effects of their creation; unknown
/// ids and addresses find nothing.
pub async fn an_account_round_trips_every_field(store: Arc<dyn Store>) {
    let accounts = [
        citizen("sian@example.org"),
        professional("senco@riverside.example.sch.uk"),
        staff("tm@example.gov.uk"),
        Account {
            totp: Some(TotpEnrolment {
                secret_base32: "KRSXG5CTMVRXEZLU".to_owned(),
                last_used_step: None,
            }),
            ..staff("new.staff@example.gov.uk")
        },
    ];
    let mut all_effects = Vec::new();
    for account in &accounts {
        let effects = effects(
            &account.email,
            account.created_at,
            AuditAction::AccountRegistered,
        );
        insert(&store, &new_account(account.clone()), &effects).await;
        all_effects.push(effects);
    }
    for account in &accounts {
        assert_eq!(&by_id(&store, account.id).await, account);
        let found = store
            .account_by_email(&account.email)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found.as_ref(), Some(account));
    }
    let unknown = store
        .account_by_id(UserId::from_uuid(Uuid::new_v4()))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unknown, None);
    let unknown = store
        .account_by_email(&email("nobody@example.org"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unknown, None);
    assert_eq!(
        written(&store).await,
        ids_of(&all_effects.iter().collect::<Vec<_>>())
    );
}

/// A second account with a taken address is a conflict on `accounts_email`, and
/// nothing of that write is stored: not the account, its code, its recovery
/// codes, its audit event or its email.
pub async fn a_taken_email_is_a_conflict_and_writes_nothing(store: Arc<dyn Store>) {
    let first = citizen("taken@example.org");
    let first_effects = effects(&first.email, START, AuditAction::AccountRegistered);
    insert(&store, &new_account(first.clone()), &first_effects).await;

    let second = professional("taken@example.org");
    let new = NewAccount {
        code: Some(code(&second, CodePurpose::VerifyEmail, 1, START)),
        recovery_codes: vec![hash(0x51)],
        ..new_account(second.clone())
    };
    let second_effects = effects(
        &second.email,
        START + Duration::seconds(1),
        AuditAction::AccountRegistered,
    );
    let result = store.insert_account(&new, &second_effects).await;
    assert_conflict(result, "accounts_email");

    let found = store
        .account_by_email(&first.email)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found, Some(first));
    let missing = store
        .account_by_id(second.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(missing, None);
    let codes = store
        .codes_issued_since(second.id, CodePurpose::VerifyEmail, START)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(codes, 0);
    let recovery = store
        .unused_recovery_codes(second.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(recovery, 0);
    assert_eq!(written(&store).await, ids_of(&[&first_effects]));
}

/// An update writes every field but the id, kind, password and creation time,
/// with its effects; a missing account is `NotFound` and a taken address a
/// conflict, each writing nothing.
pub async fn updating_an_account_writes_its_fields_and_effects(store: Arc<dyn Store>) {
    let original = citizen("parent@example.org");
    insert(&store, &new_account(original.clone()), &Effects::default()).await;
    let other = citizen("other.parent@example.org");
    insert(&store, &new_account(other.clone()), &Effects::default()).await;

    let later = START + Duration::days(3);
    let changed = Account {
        kind: AccountKind::Staff,
        email: email("parent.new@example.org"),
        name: name("Siân Jones"),
        phone: Some(phone("07700 900 123")),
        password_hash: password(9),
        second_factor: SecondFactor::Authenticator,
        totp: Some(TotpEnrolment {
            secret_base32: "GEZDGNBVGY3TQOJQ".to_owned(),
            last_used_step: Some(12),
        }),
        email_verified_at: Some(later),
        created_at: later,
        updated_at: later,
        ..original.clone()
    };
    let update_effects = effects(&changed.email, later, AuditAction::AccountDetailsChanged);
    store
        .update_account(&changed, &update_effects)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let expected = Account {
        kind: original.kind,
        password_hash: original.password_hash.clone(),
        created_at: original.created_at,
        ..changed.clone()
    };
    assert_eq!(by_id(&store, original.id).await, expected);

    let missing = citizen("missing@example.org");
    let missing_effects = effects(&missing.email, later, AuditAction::AccountDetailsChanged);
    let result = store.update_account(&missing, &missing_effects).await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");

    let clash = Account {
        email: other.email.clone(),
        name: name("Someone Else"),
        ..expected.clone()
    };
    let clash_effects = effects(&clash.email, later, AuditAction::EmailChanged);
    assert_conflict(
        store.update_account(&clash, &clash_effects).await,
        "accounts_email",
    );
    assert_eq!(by_id(&store, original.id).await, expected);
    assert_eq!(written(&store).await, ids_of(&[&update_effects]));
}

fn session(byte: u8, account: UserId) -> SessionRecord {
    SessionRecord {
        id_hash: hash(byte),
        account_id: Some(account),
        data: "{}".to_owned(),
        created_at: START,
        last_seen_at: START,
        signed_in_from: send_domain::SignedInFrom::default(),
    }
}

/// A new password moves the old one into the history (newest first), ends the
/// account's other sessions but keeps the one named and other accounts' sessions.
pub async fn changing_a_password_keeps_history_and_ends_other_sessions(store: Arc<dyn Store>) {
    let alice = citizen("alice@example.org");
    let bob = citizen("bob@example.org");
    insert(&store, &new_account(alice.clone()), &Effects::default()).await;
    insert(&store, &new_account(bob.clone()), &Effects::default()).await;
    let sessions = [
        session(0x10, alice.id),
        session(0x11, alice.id),
        session(0x12, alice.id),
        session(0x13, bob.id),
    ];
    for record in &sessions {
        store
            .insert_session(record)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }

    let first_at = START + Duration::days(1);
    let first = PasswordChange {
        account_id: alice.id,
        new_hash: password(1),
        changed_at: first_at,
        reset_token: None,
        keep_session: Some(sessions[0].id_hash.clone()),
    };
    let first_effects = effects(&alice.email, first_at, AuditAction::PasswordChanged);
    store
        .change_password(&first, &first_effects)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for (record, alive) in sessions.iter().zip([true, false, false, true]) {
        let loaded = store
            .load_session(&record.id_hash)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.is_some(), alive, "{:?}", record.id_hash);
    }

    let second_at = first_at + Duration::days(1);
    let second = PasswordChange {
        new_hash: password(2),
        changed_at: second_at,
        keep_session: None,
        ..first.clone()
    };
    let second_effects = effects(&alice.email, second_at, AuditAction::PasswordChanged);
    store
        .change_password(&second, &second_effects)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let loaded = store
        .load_session(&sessions[0].id_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded, None, "no session kept: all of them end");

    let account = by_id(&store, alice.id).await;
    assert_eq!(account.password_hash, password(2));
    assert_eq!(account.updated_at, second_at);
    let history = store
        .previous_passwords(alice.id, 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(history, vec![password(1), password(0)]);
    let newest = store
        .previous_passwords(alice.id, 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(newest, vec![password(1)]);
    let none = store
        .previous_passwords(bob.id, 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(none.is_empty());
    assert_eq!(by_id(&store, bob.id).await, bob);

    let missing = PasswordChange {
        account_id: UserId::from_uuid(Uuid::new_v4()),
        ..second.clone()
    };
    let missing_effects = effects(&alice.email, second_at, AuditAction::PasswordChanged);
    let result = store.change_password(&missing, &missing_effects).await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert_eq!(
        written(&store).await,
        ids_of(&[&first_effects, &second_effects])
    );
}

async fn stored_token(store: &Arc<dyn Store>, hash: &TokenHash) -> Option<PasswordResetToken> {
    store
        .reset_token(hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A reset link is stored with its effects, found by its hash and counted; it
/// changes the password once only: a second change with it (or with another
/// account's link) is a conflict that changes nothing.
pub async fn a_reset_link_changes_the_password_once_only(store: Arc<dyn Store>) {
    let account = citizen("forgetful@example.org");
    let other = citizen("other@example.org");
    insert(&store, &new_account(account.clone()), &Effects::default()).await;
    insert(&store, &new_account(other.clone()), &Effects::default()).await;

    let issued_at = START + Duration::hours(1);
    let token = PasswordResetToken {
        token_hash: hash(0x70),
        account_id: account.id,
        created_at: issued_at,
        expires_at: issued_at + PasswordResetToken::LIFETIME,
        used_at: None,
    };
    let other_token = PasswordResetToken {
        token_hash: hash(0x71),
        account_id: other.id,
        ..token.clone()
    };
    let token_effects = effects(
        &account.email,
        issued_at,
        AuditAction::PasswordResetRequested,
    );
    store
        .insert_reset_token(&token, &token_effects)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .insert_reset_token(&other_token, &Effects::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        stored_token(&store, &token.token_hash).await,
        Some(token.clone())
    );
    assert_eq!(stored_token(&store, &hash(0x7f)).await, None);
    let count = |since| {
        let store = store.clone();
        async move {
            store
                .reset_tokens_issued_since(account.id, since)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    assert_eq!(count(issued_at).await, 1);
    assert_eq!(count(issued_at + Duration::microseconds(1)).await, 0);

    let changed_at = issued_at + Duration::minutes(5);
    let change = PasswordChange {
        account_id: account.id,
        new_hash: password(1),
        changed_at,
        reset_token: Some(token.token_hash.clone()),
        keep_session: None,
    };
    let change_effects = effects(&account.email, changed_at, AuditAction::PasswordReset);
    store
        .change_password(&change, &change_effects)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let used = stored_token(&store, &token.token_hash).await;
    assert_eq!(used.and_then(|t| t.used_at), Some(changed_at));

    let again = PasswordChange {
        new_hash: password(2),
        changed_at: changed_at + Duration::minutes(1),
        ..change.clone()
    };
    let again_effects = effects(&account.email, again.changed_at, AuditAction::PasswordReset);
    assert_conflict(
        store.change_password(&again, &again_effects).await,
        "password_reset_tokens_used",
    );
    let someone_elses = PasswordChange {
        reset_token: Some(other_token.token_hash.clone()),
        ..again.clone()
    };
    assert_conflict(
        store.change_password(&someone_elses, &again_effects).await,
        "password_reset_tokens_used",
    );
    let unused = stored_token(&store, &other_token.token_hash).await;
    assert_eq!(unused, Some(other_token));

    assert_eq!(by_id(&store, account.id).await.password_hash, password(1));
    let history = store
        .previous_passwords(account.id, 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(history, vec![password(0)]);
    assert_eq!(
        written(&store).await,
        ids_of(&[&token_effects, &change_effects])
    );
}

/// Only the newest code of an account and purpose counts, and only for its own
/// attempt; wrong entries are counted; codes sent are counted by time.
pub async fn the_newest_code_counts_for_its_own_attempt(store: Arc<dyn Store>) {
    let account = citizen("coder@example.org");
    insert(&store, &new_account(account.clone()), &Effects::default()).await;
    let older = code(&account, CodePurpose::SignIn, 1, START);
    let newer = code(
        &account,
        CodePurpose::SignIn,
        1,
        START + Duration::minutes(1),
    );
    let change = OneTimeCode {
        new_email: Some(email("coder.new@example.org")),
        ..code(
            &account,
            CodePurpose::ChangeEmail,
            2,
            START + Duration::minutes(2),
        )
    };
    let mut all_effects = Vec::new();
    for issued in [&older, &newer, &change] {
        let effects = effects(
            &account.email,
            issued.created_at,
            AuditAction::SignInPassword,
        );
        store
            .issue_code(issued, &effects)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        all_effects.push(effects);
    }
    let current = |purpose, attempt| {
        let store = store.clone();
        async move {
            store
                .current_code(account.id, purpose, &hash(attempt))
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    assert_eq!(current(CodePurpose::SignIn, 1).await, Some(newer.clone()));
    assert_eq!(
        current(CodePurpose::SignIn, 2).await,
        None,
        "another attempt"
    );
    assert_eq!(
        current(CodePurpose::ChangeEmail, 2).await,
        Some(change.clone())
    );
    assert_eq!(current(CodePurpose::VerifyEmail, 1).await, None);

    for expected in 1..=2 {
        let wrong_effects = effects(
            &account.email,
            START + Duration::minutes(3),
            AuditAction::SignInSecondStep,
        );
        let count = store
            .record_wrong_code(newer.id, &wrong_effects)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(count, expected);
        all_effects.push(wrong_effects);
    }
    let seen = current(CodePurpose::SignIn, 1)
        .await
        .unwrap_or_else(|| panic!("code gone"));
    assert_eq!(seen.wrong_attempts, 2);
    let missing = store
        .record_wrong_code(
            OneTimeCodeId::from_uuid(Uuid::new_v4()),
            &effects(&account.email, START, AuditAction::SignInSecondStep),
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");

    let sent = |since| {
        let store = store.clone();
        async move {
            store
                .codes_issued_since(account.id, CodePurpose::SignIn, since)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    assert_eq!(sent(START - Duration::hours(1)).await, 2);
    assert_eq!(sent(START).await, 2);
    assert_eq!(sent(newer.created_at).await, 1);
    assert_eq!(sent(newer.created_at + Duration::microseconds(1)).await, 0);

    assert_eq!(
        written(&store).await,
        ids_of(&all_effects.iter().collect::<Vec<_>>())
    );
}

/// A code is used once: the second use is `false` and writes nothing. Using it
/// applies the account change and the effects in the same transaction, so a
/// refused account change leaves the code unused and writes nothing.
pub async fn a_code_is_used_once_with_its_account_change(store: Arc<dyn Store>) {
    let account = citizen("verify.me@example.org");
    let other = citizen("someone@example.org");
    insert(
        &store,
        &NewAccount {
            code: Some(code(&account, CodePurpose::VerifyEmail, 1, START)),
            ..new_account(account.clone())
        },
        &Effects::default(),
    )
    .await;
    insert(&store, &new_account(other.clone()), &Effects::default()).await;
    let issued = store
        .current_code(account.id, CodePurpose::VerifyEmail, &hash(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the new account's code was not stored"));

    // A refused account change: the address is taken.
    let used_at = START + Duration::minutes(4);
    let clash = Account {
        email: other.email.clone(),
        email_verified_at: Some(used_at),
        updated_at: used_at,
        ..account.clone()
    };
    let clash_effects = effects(&account.email, used_at, AuditAction::EmailChanged);
    assert_conflict(
        store
            .use_code(issued.id, used_at, Some(&clash), &clash_effects)
            .await,
        "accounts_email",
    );
    let unused = store
        .current_code(account.id, CodePurpose::VerifyEmail, &hash(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("code gone"));
    assert_eq!(unused.used_at, None, "the refused use left the code unused");

    let verified = Account {
        email_verified_at: Some(used_at),
        updated_at: used_at,
        ..account.clone()
    };
    let use_effects = effects(&account.email, used_at, AuditAction::EmailVerified);
    let first = store
        .use_code(issued.id, used_at, Some(&verified), &use_effects)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(first);
    assert_eq!(by_id(&store, account.id).await, verified);
    let used = store
        .current_code(account.id, CodePurpose::VerifyEmail, &hash(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("code gone"));
    assert_eq!(used.used_at, Some(used_at));

    let again_at = used_at + Duration::seconds(5);
    let again_account = Account {
        name: name("Changed Again"),
        updated_at: again_at,
        ..verified.clone()
    };
    let again_effects = effects(&account.email, again_at, AuditAction::EmailVerified);
    let second = store
        .use_code(issued.id, again_at, Some(&again_account), &again_effects)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!second);
    assert_eq!(by_id(&store, account.id).await, verified);
    let still = store
        .current_code(account.id, CodePurpose::VerifyEmail, &hash(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("code gone"));
    assert_eq!(still.used_at, Some(used_at), "the first use is kept");

    // A code used without an account change.
    let sign_in = code(&account, CodePurpose::SignIn, 3, again_at);
    store
        .issue_code(&sign_in, &Effects::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        store
            .use_code(sign_in.id, again_at, None, &Effects::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    assert_eq!(by_id(&store, account.id).await, verified);

    assert_eq!(written(&store).await, ids_of(&[&use_effects]));
}

/// A staff account made through a set-up link uses the link in the same write;
/// a second account through the same link is refused and nothing of it is stored.
pub async fn a_setup_link_is_used_by_the_account_it_creates(store: Arc<dyn Store>) {
    let setup = link(&"5e".repeat(32));
    commit(
        &store,
        Changes::new()
            .with(Write::InsertStaffSetupLink(setup.clone()))
            .with_audit(event(setup.created_at, AuditAction::StaffSetupLinkIssued)),
    )
    .await;
    let issued = written(&store).await;

    let created_at = setup.created_at + Duration::hours(2);
    let first = Account {
        created_at,
        updated_at: created_at,
        ..staff("ada.admin@example.gov.uk")
    };
    let first_effects = effects(&first.email, created_at, AuditAction::StaffAccountCreated);
    let new = NewAccount {
        setup_link: Some(setup.id),
        recovery_codes: vec![hash(0x90), hash(0x91)],
        ..new_account(first.clone())
    };
    insert(&store, &new, &first_effects).await;
    let used = store
        .staff_setup_link_by_token(&setup.token_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("link gone"));
    assert_eq!(used.used_at, Some(created_at));
    assert_eq!(by_id(&store, first.id).await, first);

    let later = created_at + Duration::minutes(1);
    let second = Account {
        created_at: later,
        updated_at: later,
        ..staff("second.admin@example.gov.uk")
    };
    let second_effects = effects(&second.email, later, AuditAction::StaffAccountCreated);
    let again = NewAccount {
        setup_link: Some(setup.id),
        recovery_codes: vec![hash(0x92)],
        ..new_account(second.clone())
    };
    assert_conflict(
        store.insert_account(&again, &second_effects).await,
        "staff_setup_links_used",
    );
    let missing = store
        .account_by_id(second.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(missing, None);
    let still = store
        .staff_setup_link_by_token(&setup.token_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("link gone"));
    assert_eq!(still.used_at, Some(created_at), "the first use is kept");

    let (mut events, mut emails) = issued;
    let (first_events, first_emails) = ids_of(&[&first_effects]);
    events.extend(first_events);
    emails.extend(first_emails);
    assert_eq!(written(&store).await, (events, emails));
}

/// Recovery codes are replaced together with the account change; each works once.
pub async fn recovery_codes_are_replaced_and_each_used_once(store: Arc<dyn Store>) {
    let account = staff("recovery@example.gov.uk");
    let new = NewAccount {
        recovery_codes: vec![hash(0xa0), hash(0xa1)],
        ..new_account(account.clone())
    };
    insert(&store, &new, &Effects::default()).await;
    let unused = |id| {
        let store = store.clone();
        async move {
            store
                .unused_recovery_codes(id)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    assert_eq!(unused(account.id).await, 2);

    let at = START + Duration::days(1);
    let re_enrolled = Account {
        totp: Some(TotpEnrolment {
            secret_base32: "MFRGGZDFMZTWQ2LK".to_owned(),
            last_used_step: None,
        }),
        updated_at: at,
        ..account.clone()
    };
    let replace_effects = effects(&account.email, at, AuditAction::RecoveryCodesIssued);
    store
        .replace_recovery_codes(
            &re_enrolled,
            &[hash(0xb0), hash(0xb1), hash(0xb2)],
            &replace_effects,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unused(account.id).await, 3);
    assert_eq!(by_id(&store, account.id).await, re_enrolled);

    let use_code = |code: u8, effects: Effects| {
        let store = store.clone();
        async move {
            store
                .use_recovery_code(account.id, &hash(code), at, &effects)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let old_effects = effects(&account.email, at, AuditAction::SignInSecondStep);
    assert!(
        !use_code(0xa0, old_effects).await,
        "old codes were replaced"
    );
    let first_effects = effects(&account.email, at, AuditAction::SignInSecondStep);
    assert!(use_code(0xb1, first_effects.clone()).await);
    let again_effects = effects(&account.email, at, AuditAction::SignInSecondStep);
    assert!(!use_code(0xb1, again_effects).await, "a code works once");
    assert_eq!(unused(account.id).await, 2);

    let missing = Account {
        id: UserId::from_uuid(Uuid::new_v4()),
        email: email("missing@example.gov.uk"),
        ..re_enrolled.clone()
    };
    let missing_effects = effects(&account.email, at, AuditAction::RecoveryCodesIssued);
    let result = store
        .replace_recovery_codes(&missing, &[hash(0xc1)], &missing_effects)
        .await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert_eq!(unused(missing.id).await, 0);

    assert_eq!(
        written(&store).await,
        ids_of(&[&replace_effects, &first_effects])
    );
}

/// An authenticator time step is accepted once: the same or an earlier step is
/// refused, writing nothing.
pub async fn an_authenticator_step_is_accepted_once(store: Arc<dyn Store>) {
    let account = Account {
        totp: Some(TotpEnrolment {
            secret_base32: "JBSWY3DPEHPK3PXP".to_owned(),
            last_used_step: None,
        }),
        ..staff("totp@example.gov.uk")
    };
    insert(&store, &new_account(account.clone()), &Effects::default()).await;
    let mut accepted = Vec::new();
    for (step, expected) in [(100, true), (100, false), (99, false), (101, true)] {
        let effects = effects(&account.email, START, AuditAction::SignInSecondStep);
        let result = store
            .record_totp_step(account.id, step, &effects)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(result, expected, "step {step}");
        if result {
            accepted.push(effects);
        }
    }
    let stored = by_id(&store, account.id)
        .await
        .totp
        .unwrap_or_else(|| panic!("authenticator gone"));
    assert_eq!(stored.last_used_step, Some(101));
    let unknown = store
        .record_totp_step(
            UserId::from_uuid(Uuid::new_v4()),
            5,
            &effects(&account.email, START, AuditAction::SignInSecondStep),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!unknown);
    assert_eq!(
        written(&store).await,
        ids_of(&accepted.iter().collect::<Vec<_>>())
    );
}

/// A throttle is set, read, replaced by the next write and cleared.
pub async fn throttles_are_set_read_replaced_and_cleared(store: Arc<dyn Store>) {
    let key = "email:0123456789abcdef";
    let other_key = "address:2001:db8::1";
    let read = |key: &'static str| {
        let store = store.clone();
        async move { store.throttle(key).await.unwrap_or_else(|e| panic!("{e}")) }
    };
    assert_eq!(read(key).await, None);

    let first = ThrottleState {
        failures: 1,
        last_failure_at: START,
    };
    store
        .set_throttle(key, &first)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(key).await, Some(first));

    let second = ThrottleState {
        failures: 7,
        last_failure_at: START + Duration::seconds(30),
    };
    store
        .set_throttle(key, &second)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .set_throttle(other_key, &first)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(key).await, Some(second));

    store
        .clear_throttle(key)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read(key).await, None);
    assert_eq!(read(other_key).await, Some(first));
    store
        .clear_throttle("email:never-set")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}
