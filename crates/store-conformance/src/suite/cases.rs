//! Conformance cases for the back office: teams, permission groups, staff
//! membership and access, children, family contacts and chronologies. Every
//! write that carries effects writes them with the change or, when the change is
//! refused, writes neither.

use std::collections::BTreeSet;
use std::sync::Arc;

use send_domain::{
    Account, AccountKind, Address, AuditAction, Child, ChildId, ChildSearch, ChronologyEntryId,
    ContactId, DEFAULT_GROUPS, DEFAULT_TEAM, Email, EmailId, EmailSubject, FamilyContact,
    NhsNumber, OutgoingEmail, PasswordHash, Permission, PermissionGroupId, PersonName, PhoneNumber,
    Postcode, SecondFactor, SenNeed, Sex, ShortText, StaffAccess, StaffRole, StaffSetupLink,
    TeamId, TokenHash, TotpEnrolment, Uln, Upn, UserId, default_group, default_permissions,
};
use send_store::{
    CHILD_CHANGED, Changes, ChronologyEntry, Effects, NewAccount, PermissionGroup, StaffMembership,
    Store, Team, Write,
};
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::{event, link};

use super::support::{
    assert_conflict, assert_not_found, commit, first_wins, ids_of, race, written,
};

const START: OffsetDateTime = datetime!(2026-11-23 09:00:00.123456 UTC);

fn name(text: &str) -> PersonName {
    PersonName::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn email(address: &str) -> Email {
    Email::parse(address).unwrap_or_else(|e| panic!("{e}"))
}

fn short(text: &str) -> ShortText {
    ShortText::from_stored(text.to_owned())
}

fn postcode(text: &str) -> Postcode {
    Postcode::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

/// A valid UPN with this 12-digit body: the one check letter `Upn::parse` accepts.
fn upn(body: &str) -> Upn {
    ('A'..='Z')
        .find_map(|letter| Upn::parse(&format!("{letter}{body}")).ok())
        .unwrap_or_else(|| panic!("no check letter for {body}"))
}

/// A valid NHS number starting with these 9 digits.
fn nhs(body: &str) -> NhsNumber {
    (0..=9)
        .find_map(|digit| NhsNumber::parse(&format!("{body}{digit}")).ok())
        .unwrap_or_else(|| panic!("no check digit for {body}"))
}

/// A valid ULN starting with these 9 digits.
fn uln(body: &str) -> Uln {
    (0..=9)
        .find_map(|digit| Uln::parse(&format!("{body}{digit}")).ok())
        .unwrap_or_else(|| panic!("no check digit for {body}"))
}

fn outgoing(at: OffsetDateTime) -> OutgoingEmail {
    OutgoingEmail {
        id: EmailId::from_uuid(Uuid::new_v4()),
        to: email("caseworker@example.gov.uk"),
        to_name: None,
        subject: EmailSubject::parse("A change in the SEND Portal")
            .unwrap_or_else(|e| panic!("{e}")),
        text_body: "Something changed.\n".to_owned(),
        html_body: "<p>Something changed.</p>".to_owned(),
        created_at: at,
    }
}

/// One audit event and one email, as a use case would pass them.
fn effects(at: OffsetDateTime, action: AuditAction) -> Effects {
    Effects::audit(event(at, action)).with_email(outgoing(at))
}

pub(super) fn account(kind: AccountKind, address: &str, role: Option<StaffRole>) -> Account {
    Account {
        id: UserId::from_uuid(Uuid::new_v4()),
        kind,
        email: email(address),
        name: name("Priya Caseworker"),
        phone: None,
        professional: None,
        staff_role: role,
        password_hash: PasswordHash::from_phc(
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        ),
        second_factor: SecondFactor::Authenticator,
        totp: Some(TotpEnrolment {
            secret_base32: "JBSWY3DPEHPK3PXP".to_owned(),
            last_used_step: None,
        }),
        email_verified_at: Some(START),
        created_at: START,
        updated_at: START,
    }
}

pub(super) async fn insert_account(store: &Arc<dyn Store>, new: NewAccount) {
    store
        .insert_account(&new, &Effects::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

pub(super) fn new_account(account: Account) -> NewAccount {
    NewAccount {
        account,
        code: None,
        setup_link: None,
        recovery_codes: Vec::new(),
    }
}

fn team(name: &str) -> Team {
    Team {
        id: TeamId::from_uuid(Uuid::new_v4()),
        name: name.to_owned(),
    }
}

/// Adding a team, with its effects.
fn add_team(team: &Team, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::InsertTeam {
            team: team.clone(),
            at: START,
        })
        .with_effects(effects.clone())
}

async fn insert_team(store: &Arc<dyn Store>, team: &Team) {
    commit(store, add_team(team, &Effects::default())).await;
}

/// Adding a group, with its effects.
fn add_group(group: &PermissionGroup, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::InsertPermissionGroup {
            group: group.clone(),
            at: START,
        })
        .with_effects(effects.clone())
}

/// Changing a group's name and permissions, with its effects.
fn change_group(group: &PermissionGroup, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::UpdatePermissionGroup(group.clone()))
        .with_effects(effects.clone())
}

/// Setting a member of staff's team and groups, with its effects.
fn set_membership(membership: &StaffMembership, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::SetStaffMembership {
            membership: membership.clone(),
            at: START,
        })
        .with_effects(effects.clone())
}

fn group(name: &str, permissions: &[Permission]) -> PermissionGroup {
    PermissionGroup {
        id: PermissionGroupId::from_uuid(Uuid::new_v4()),
        name: name.to_owned(),
        permissions: permissions.iter().copied().collect(),
    }
}

fn default_team() -> TeamId {
    DEFAULT_TEAM.0
}

/// A child with every optional field empty.
fn bare_child(first: &str, last: &str, team_id: TeamId) -> Child {
    Child {
        id: ChildId::from_uuid(Uuid::new_v4()),
        team_id,
        legal_first_name: name(first),
        legal_last_name: name(last),
        preferred_name: None,
        date_of_birth: date!(2015 - 03 - 02),
        sex: Sex::NotKnown,
        ethnicity: None,
        upn: None,
        uln: None,
        nhs_number: None,
        address: Address::default(),
        setting: None,
        primary_need: None,
        secondary_need: None,
        created_at: START,
        updated_at: START,
        version: 1,
    }
}

/// A child with every optional field given.
fn full_child(team_id: TeamId) -> Child {
    Child {
        preferred_name: Some(name("Millie")),
        date_of_birth: date!(2012 - 02 - 29),
        sex: Sex::Female,
        ethnicity: Some(short("WBRI")),
        upn: Some(upn("201345612345")),
        uln: Some(uln("123456789")),
        nhs_number: Some(nhs("943476591")),
        address: Address {
            line_1: Some(short("Flat 2, 14 St John's Road")),
            line_2: Some(short("Barbourne")),
            town: Some(short("Worcester")),
            postcode: Some(postcode("wr1 2pg")),
        },
        setting: Some(short("Riverside Primary School")),
        primary_need: Some(SenNeed::Asd),
        secondary_need: Some(SenNeed::Slcn),
        created_at: START - Duration::days(30),
        updated_at: START - Duration::days(2),
        ..bare_child("Amelia-Rose", "O'Neill-Jones", team_id)
    }
}

fn contact(child: ChildId, contact_name: &str) -> FamilyContact {
    FamilyContact {
        id: ContactId::from_uuid(Uuid::new_v4()),
        child_id: child,
        name: name(contact_name),
        relationship: short("Foster carer"),
        email: None,
        phone: None,
        parental_responsibility: false,
    }
}

fn entry(child: ChildId, at: OffsetDateTime, kind: &str) -> ChronologyEntry {
    ChronologyEntry {
        id: ChronologyEntryId::from_uuid(Uuid::new_v4()),
        child_id: child,
        occurred_at: at,
        actor_id: Some(UserId::from_uuid(Uuid::new_v4())),
        kind: kind.to_owned(),
        summary: format!("{kind} at {at}"),
        note: None,
    }
}

/// Adding a child with its contacts, its first entry and effects.
fn add_child(
    child: &Child,
    contacts: &[FamilyContact],
    entry: &ChronologyEntry,
    effects: &Effects,
) -> Changes {
    let mut changes = Changes::new().with(Write::InsertChild(child.clone()));
    for contact in contacts {
        changes.push(Write::SaveContact(contact.clone()));
    }
    changes
        .with(Write::AddChronologyEntry(entry.clone()))
        .with_effects(effects.clone())
}

/// Writing `child` over the version it was read at (its `version`), with an
/// entry and effects.
fn change_child(child: &Child, entry: &ChronologyEntry, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::UpdateChild {
            child: child.clone(),
            expected_version: child.version,
        })
        .with(Write::AddChronologyEntry(entry.clone()))
        .with_effects(effects.clone())
}

/// `child` as an update leaves it: its version moved on by one.
fn next_version(child: &Child) -> Child {
    Child {
        version: child.version + 1,
        ..child.clone()
    }
}

/// Adding or replacing a contact, with an entry and effects.
fn save_contact(contact: &FamilyContact, entry: &ChronologyEntry, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::SaveContact(contact.clone()))
        .with(Write::AddChronologyEntry(entry.clone()))
        .with_effects(effects.clone())
}

/// Removing a contact, with an entry and effects.
fn delete_contact(id: ContactId, entry: &ChronologyEntry, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::DeleteContact(id))
        .with(Write::AddChronologyEntry(entry.clone()))
        .with_effects(effects.clone())
}

async fn insert_child(store: &Arc<dyn Store>, child: &Child) -> ChronologyEntry {
    let first = entry(child.id, child.created_at, "child.created");
    commit(store, add_child(child, &[], &first, &Effects::default())).await;
    first
}

async fn chronology(store: &Arc<dyn Store>, child: ChildId, limit: u32) -> Vec<ChronologyEntry> {
    store
        .chronology(child, limit)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn membership_of(store: &Arc<dyn Store>, account: UserId) -> Option<StaffMembership> {
    store
        .staff_membership(account)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn issue(store: &Arc<dyn Store>, link: &StaffSetupLink) {
    commit(
        store,
        Changes::new()
            .with(Write::InsertStaffSetupLink(link.clone()))
            .with_audit(event(link.created_at, AuditAction::StaffSetupLinkIssued)),
    )
    .await;
}

async fn contacts_of(store: &Arc<dyn Store>, child: ChildId) -> Vec<FamilyContact> {
    store
        .family_contacts(child)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn access(store: &Arc<dyn Store>, account: UserId) -> Option<StaffAccess> {
    store
        .staff_access(account)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Every installation starts with the default team and the three default
/// groups, each granting exactly the default permissions of its role.
pub async fn the_default_team_and_groups_are_seeded(store: Arc<dyn Store>) {
    let teams = store.teams().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        teams,
        vec![Team {
            id: DEFAULT_TEAM.0,
            name: DEFAULT_TEAM.1.to_owned(),
        }]
    );

    let mut expected: Vec<PermissionGroup> = DEFAULT_GROUPS
        .iter()
        .map(|(id, group_name, role)| PermissionGroup {
            id: *id,
            name: (*group_name).to_owned(),
            permissions: default_permissions(*role),
        })
        .collect();
    expected.sort_by(|a, b| a.name.cmp(&b.name));
    let groups = store
        .permission_groups()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(groups, expected);
}

/// A team or group name is used once: a second is a conflict on the name's index
/// and writes nothing, not even its audit event.
pub async fn a_taken_team_or_group_name_is_a_conflict_and_writes_nothing(store: Arc<dyn Store>) {
    let north = team("North team");
    let north_effects = effects(START, AuditAction::TeamCreated);
    commit(&store, add_team(&north, &north_effects)).await;
    let again = team("North team");
    let again_effects = effects(START, AuditAction::TeamCreated);
    assert_conflict(
        store.commit(&add_team(&again, &again_effects)).await,
        "teams_name",
    );
    let default = team(DEFAULT_TEAM.1);
    assert_conflict(
        store
            .commit(&add_team(
                &default,
                &effects(START, AuditAction::TeamCreated),
            ))
            .await,
        "teams_name",
    );
    let teams = store.teams().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        teams.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![north.id, DEFAULT_TEAM.0],
        "by name: the refused teams were not written"
    );

    let readers = group("Report readers", &[Permission::ViewReports]);
    let readers_effects = effects(START, AuditAction::PermissionGroupSaved);
    commit(&store, add_group(&readers, &readers_effects)).await;
    let clash = group("Report readers", &[Permission::ViewAudit]);
    assert_conflict(
        store
            .commit(&add_group(
                &clash,
                &effects(START, AuditAction::PermissionGroupSaved),
            ))
            .await,
        "permission_groups_name",
    );
    let renamed = PermissionGroup {
        name: "Caseworkers".to_owned(),
        ..readers.clone()
    };
    assert_conflict(
        store
            .commit(&change_group(
                &renamed,
                &effects(START, AuditAction::PermissionGroupSaved),
            ))
            .await,
        "permission_groups_name",
    );
    let groups = store
        .permission_groups()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(groups.len(), 4);
    assert!(groups.contains(&readers), "{groups:?}");
    assert!(!groups.iter().any(|g| g.id == clash.id));

    assert_eq!(
        written(&store).await,
        ids_of(&[&north_effects, &readers_effects])
    );
}

/// An update replaces a group's name and permissions (an empty set too); a
/// missing group is `NotFound` and writes nothing.
pub async fn updating_a_group_replaces_its_permissions(store: Arc<dyn Store>) {
    let original = group("Readers", &[Permission::ViewCases, Permission::ViewReports]);
    let insert_effects = effects(START, AuditAction::PermissionGroupSaved);
    commit(&store, add_group(&original, &insert_effects)).await;
    let find = |id: PermissionGroupId| {
        let store = store.clone();
        async move {
            store
                .permission_groups()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .into_iter()
                .find(|g| g.id == id)
        }
    };
    assert_eq!(find(original.id).await.as_ref(), Some(&original));

    let changed = PermissionGroup {
        name: "Auditors".to_owned(),
        permissions: [Permission::ViewReports, Permission::ViewAudit].into(),
        ..original.clone()
    };
    let update_effects = effects(
        START + Duration::hours(1),
        AuditAction::PermissionGroupSaved,
    );
    commit(&store, change_group(&changed, &update_effects)).await;
    assert_eq!(find(original.id).await.as_ref(), Some(&changed));

    let emptied = PermissionGroup {
        permissions: BTreeSet::new(),
        ..changed.clone()
    };
    let empty_effects = effects(
        START + Duration::hours(2),
        AuditAction::PermissionGroupSaved,
    );
    commit(&store, change_group(&emptied, &empty_effects)).await;
    assert_eq!(find(original.id).await.as_ref(), Some(&emptied));

    let missing = group("Nobody", &[Permission::ViewCases]);
    assert_not_found(
        store
            .commit(&change_group(
                &missing,
                &effects(START, AuditAction::PermissionGroupSaved),
            ))
            .await,
    );
    assert_eq!(find(missing.id).await, None);
    let defaults = store
        .permission_groups()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(defaults.len(), 4, "the default groups are untouched");

    assert_eq!(
        written(&store).await,
        ids_of(&[&insert_effects, &update_effects, &empty_effects])
    );
}

/// What a member of staff may do is their account's role, their team and the
/// union of their groups' permissions; a membership is replaced as a whole.
/// Accounts that are not staff have no access and no membership.
pub async fn staff_access_is_the_role_team_and_union_of_group_permissions(store: Arc<dyn Store>) {
    let worker = account(
        AccountKind::Staff,
        "priya@example.gov.uk",
        Some(StaffRole::Caseworker),
    );
    let parent = Account {
        second_factor: SecondFactor::EmailCode,
        totp: None,
        ..account(AccountKind::Citizen, "parent@example.org", None)
    };
    insert_account(&store, new_account(worker.clone())).await;
    insert_account(&store, new_account(parent.clone())).await;
    let north = team("North team");
    insert_team(&store, &north).await;
    let auditors = group("Auditors", &[Permission::ViewAudit, Permission::ViewCases]);
    commit(&store, add_group(&auditors, &Effects::default())).await;
    let caseworker = |team_id: Option<TeamId>, permissions: BTreeSet<Permission>| {
        Some(StaffAccess {
            account_id: worker.id,
            role: StaffRole::Caseworker,
            team_id,
            permissions,
        })
    };

    assert_eq!(
        access(&store, worker.id).await,
        caseworker(None, BTreeSet::new()),
        "a member of staff with no membership yet can do nothing"
    );
    let none = membership_of(&store, worker.id).await;
    assert_eq!(none, None);

    let membership = StaffMembership {
        account_id: worker.id,
        team_id: Some(north.id),
        groups: [default_group(StaffRole::Caseworker), auditors.id].into(),
    };
    let set_effects = effects(START, AuditAction::StaffMembershipChanged);
    commit(&store, set_membership(&membership, &set_effects)).await;
    let stored = membership_of(&store, worker.id).await;
    assert_eq!(stored.as_ref(), Some(&membership));
    let mut union = default_permissions(StaffRole::Caseworker);
    union.extend(auditors.permissions.iter().copied());
    assert_eq!(
        access(&store, worker.id).await,
        caseworker(Some(north.id), union)
    );

    let moved = StaffMembership {
        account_id: worker.id,
        team_id: None,
        groups: [auditors.id].into(),
    };
    let move_effects = effects(
        START + Duration::days(1),
        AuditAction::StaffMembershipChanged,
    );
    commit(&store, set_membership(&moved, &move_effects)).await;
    let stored = membership_of(&store, worker.id).await;
    assert_eq!(stored.as_ref(), Some(&moved), "team and groups replaced");
    assert_eq!(
        access(&store, worker.id).await,
        caseworker(None, auditors.permissions.clone())
    );

    assert_eq!(access(&store, parent.id).await, None, "not staff");
    assert_eq!(
        access(&store, UserId::from_uuid(Uuid::new_v4())).await,
        None,
        "no such account"
    );
    let parent_membership = StaffMembership {
        account_id: parent.id,
        ..membership.clone()
    };
    assert_not_found(
        store
            .commit(&set_membership(
                &parent_membership,
                &effects(START, AuditAction::StaffMembershipChanged),
            ))
            .await,
    );
    let none = membership_of(&store, parent.id).await;
    assert_eq!(none, None);

    assert_eq!(
        written(&store).await,
        ids_of(&[&set_effects, &move_effects])
    );
}

/// A set-up link keeps its team and groups, and the account made through it
/// joins them in the same write.
pub async fn a_setup_link_gives_its_team_and_groups_to_the_new_account(store: Arc<dyn Store>) {
    let north = team("North team");
    insert_team(&store, &north).await;
    let setup = StaffSetupLink {
        role: StaffRole::TeamManager,
        team_id: Some(north.id),
        groups: [
            default_group(StaffRole::Caseworker),
            default_group(StaffRole::TeamManager),
        ]
        .into(),
        ..link(&"7a".repeat(32))
    };
    issue(&store, &setup).await;
    let found = store
        .staff_setup_link_by_token(&setup.token_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.as_ref(), Some(&setup));
    let other_token = TokenHash::from_hex(&"7b".repeat(32)).unwrap_or_else(|e| panic!("{e}"));
    let missing = store
        .staff_setup_link_by_token(&other_token)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(missing, None);

    let created_at = setup.created_at + Duration::hours(1);
    let manager = Account {
        created_at,
        updated_at: created_at,
        ..account(
            AccountKind::Staff,
            "ada.admin@example.gov.uk",
            Some(StaffRole::TeamManager),
        )
    };
    insert_account(
        &store,
        NewAccount {
            setup_link: Some(setup.id),
            ..new_account(manager.clone())
        },
    )
    .await;
    let membership = membership_of(&store, manager.id).await;
    assert_eq!(
        membership,
        Some(StaffMembership {
            account_id: manager.id,
            team_id: Some(north.id),
            groups: setup.groups.clone(),
        })
    );
    let mut union = default_permissions(StaffRole::Caseworker);
    union.extend(default_permissions(StaffRole::TeamManager));
    assert_eq!(
        access(&store, manager.id).await,
        Some(StaffAccess {
            account_id: manager.id,
            role: StaffRole::TeamManager,
            team_id: Some(north.id),
            permissions: union,
        })
    );

    // A link with no team and no groups makes a member of staff with neither.
    let bare = link(&"7c".repeat(32));
    issue(&store, &bare).await;
    let admin = Account {
        created_at,
        updated_at: created_at,
        ..account(
            AccountKind::Staff,
            "second.admin@example.gov.uk",
            Some(StaffRole::Administrator),
        )
    };
    insert_account(
        &store,
        NewAccount {
            setup_link: Some(bare.id),
            ..new_account(admin.clone())
        },
    )
    .await;
    let membership = membership_of(&store, admin.id).await;
    assert_eq!(
        membership,
        Some(StaffMembership {
            account_id: admin.id,
            team_id: None,
            groups: BTreeSet::new(),
        })
    );
}

/// A child is stored with every field (all given, or all empty) and read back
/// exactly, with its contacts (by name) and its first chronology entry; the
/// effects are written with it.
pub async fn a_child_round_trips_every_field(store: Arc<dyn Store>) {
    let north = team("North team");
    insert_team(&store, &north).await;
    let full = full_child(north.id);
    let bare = bare_child("Ben", "Smith", default_team());

    let carer = FamilyContact {
        email: Some(email("sian.oneill@example.org")),
        phone: Some(PhoneNumber::parse("07700 900 982").unwrap_or_else(|e| panic!("{e}"))),
        parental_responsibility: true,
        relationship: short("Mother"),
        ..contact(full.id, "Siân O'Neill-Jones")
    };
    let grandparent = contact(full.id, "Dafydd Jones");
    let full_entry = ChronologyEntry {
        note: Some("Referred by the school's SENCo; 'urgent' ünïcode note.".to_owned()),
        actor_id: None,
        ..entry(full.id, full.created_at, "child.created")
    };
    let full_effects = effects(full.created_at, AuditAction::ChildCreated);
    commit(
        &store,
        add_child(
            &full,
            &[carer.clone(), grandparent.clone()],
            &full_entry,
            &full_effects,
        ),
    )
    .await;
    let bare_entry = entry(bare.id, bare.created_at, "child.created");
    let bare_effects = effects(bare.created_at, AuditAction::ChildCreated);
    commit(&store, add_child(&bare, &[], &bare_entry, &bare_effects)).await;

    for child in [&full, &bare] {
        let found = store
            .child(child.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found.as_ref(), Some(child));
    }
    let contacts = store
        .family_contacts(full.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(contacts, vec![grandparent, carer], "by name");
    let none = store
        .family_contacts(bare.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(none.is_empty());
    assert_eq!(chronology(&store, full.id, 10).await, vec![full_entry]);
    assert_eq!(chronology(&store, bare.id, 10).await, vec![bare_entry]);
    let unknown = store
        .child(ChildId::from_uuid(Uuid::new_v4()))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unknown, None);
    assert_eq!(
        written(&store).await,
        ids_of(&[&full_effects, &bare_effects])
    );
}

/// An update writes every field but the id and creation time, with its entry and
/// effects; a missing child is `NotFound` and writes nothing.
pub async fn updating_a_child_writes_its_fields_and_an_entry(store: Arc<dyn Store>) {
    let north = team("North team");
    insert_team(&store, &north).await;
    let original = bare_child("Ben", "Smith", default_team());
    let first = insert_child(&store, &original).await;

    let later = START + Duration::days(5);
    let changed = Child {
        id: original.id,
        legal_first_name: name("Benjamin"),
        legal_last_name: name("Smith-Evans"),
        created_at: later,
        updated_at: later,
        ..full_child(north.id)
    };
    let update_entry = entry(original.id, later, "child.updated");
    let update_effects = effects(later, AuditAction::ChildUpdated);
    assert_eq!(changed.version, 1, "read as added");
    commit(
        &store,
        change_child(&changed, &update_entry, &update_effects),
    )
    .await;
    let expected = Child {
        created_at: original.created_at,
        version: 2,
        ..changed.clone()
    };
    let found = store
        .child(original.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.as_ref(), Some(&expected));

    // Back to every optional field empty, from the version just written.
    let emptied = Child {
        updated_at: later + Duration::hours(1),
        version: 2,
        ..original.clone()
    };
    let empty_entry = entry(original.id, later + Duration::hours(1), "child.updated");
    let empty_effects = effects(later + Duration::hours(1), AuditAction::ChildUpdated);
    commit(&store, change_child(&emptied, &empty_entry, &empty_effects)).await;
    let found = store
        .child(original.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found, Some(next_version(&emptied)));

    let missing = bare_child("Nobody", "Here", default_team());
    let missing_entry = entry(missing.id, later, "child.updated");
    assert_not_found(
        store
            .commit(&change_child(
                &missing,
                &missing_entry,
                &effects(later, AuditAction::ChildUpdated),
            ))
            .await,
    );
    assert!(chronology(&store, missing.id, 10).await.is_empty());
    assert_eq!(
        chronology(&store, original.id, 10).await,
        vec![empty_entry, update_entry, first]
    );
    assert_eq!(
        written(&store).await,
        ids_of(&[&update_effects, &empty_effects])
    );
}

async fn search(
    store: &Arc<dyn Store>,
    search: ChildSearch,
    teams: Option<&[TeamId]>,
    limit: u32,
) -> Vec<ChildId> {
    store
        .search_children(&search, teams, limit)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|c| c.id)
        .collect()
}

fn by_name(text: &str) -> ChildSearch {
    ChildSearch {
        name: Some(text.to_owned()),
        ..ChildSearch::default()
    }
}

fn born(on: Date) -> ChildSearch {
    ChildSearch {
        date_of_birth: Some(on),
        ..ChildSearch::default()
    }
}

fn by_identifier(text: &str) -> ChildSearch {
    ChildSearch {
        identifier: Some(text.to_owned()),
        ..ChildSearch::default()
    }
}

fn living_at(text: &str) -> ChildSearch {
    ChildSearch {
        postcode: Some(postcode(text)),
        ..ChildSearch::default()
    }
}

/// The children the search cases look for, in the order searches list them.
struct Searchable {
    home: TeamId,
    north: TeamId,
    amelia: Child,
    /// Ben Okafor and his twin of the same names, the lower id first.
    bens: [ChildId; 2],
    ben: ChildId,
    chloe: ChildId,
    david: ChildId,
}

impl Searchable {
    fn everyone(&self) -> Vec<ChildId> {
        vec![
            self.chloe,
            self.david,
            self.amelia.id,
            self.bens[0],
            self.bens[1],
        ]
    }
}

/// Amelia and the Ben Okafor twins (Ben in WR1 2PG), Chloe Adams and david baker;
/// the Okafor boys are in the North team, the others in the default team.
async fn searchable_children(store: &Arc<dyn Store>) -> Searchable {
    let north = team("North team");
    insert_team(store, &north).await;
    let home = default_team();
    let in_wr1 = Address {
        postcode: Some(postcode("WR1 2PG")),
        ..Address::default()
    };
    let amelia = Child {
        preferred_name: Some(name("Millie")),
        upn: Some(upn("201345612345")),
        address: in_wr1.clone(),
        ..bare_child("Amelia", "Okafor", home)
    };
    let ben = Child {
        date_of_birth: date!(2017 - 07 - 07),
        nhs_number: Some(nhs("943476591")),
        address: in_wr1,
        ..bare_child("Ben", "Okafor", north.id)
    };
    let twin = Child {
        date_of_birth: date!(2017 - 07 - 07),
        nhs_number: Some(nhs("401023213")),
        ..bare_child("Ben", "Okafor", north.id)
    };
    let chloe = Child {
        uln: Some(uln("123456789")),
        address: Address {
            postcode: Some(postcode("SW1A 1AA")),
            ..Address::default()
        },
        ..bare_child("Chloe", "Adams", home)
    };
    let david = bare_child("david", "baker", home);
    for child in [&amelia, &ben, &twin, &chloe, &david] {
        insert_child(store, child).await;
    }
    let mut bens = [ben.id, twin.id];
    bens.sort_by_key(ToString::to_string);
    Searchable {
        home,
        north: north.id,
        amelia,
        bens,
        ben: ben.id,
        chloe: chloe.id,
        david: david.id,
    }
}

/// Children are found by part of any of their names (in any case), date of
/// birth, any identifier (as people write it) and postcode; by last then first
/// name in any case, then id; at most the limit.
pub async fn children_are_found_by_each_criterion_in_order(store: Arc<dyn Store>) {
    let found = searchable_children(&store).await;
    let everyone = found.everyone();
    let amelia = found.amelia.id;

    assert_eq!(
        search(&store, ChildSearch::default(), None, 50).await,
        everyone,
        "by last name then first name, in any case, then id"
    );
    assert_eq!(
        search(&store, ChildSearch::default(), None, 2).await,
        everyone[..2].to_vec()
    );
    assert_eq!(
        search(&store, by_name("okaFOR"), None, 50).await,
        vec![amelia, found.bens[0], found.bens[1]]
    );
    assert_eq!(
        search(&store, by_name("MILL"), None, 50).await,
        vec![amelia],
        "the preferred name"
    );
    assert_eq!(
        search(&store, by_name("  DAV "), None, 50).await,
        vec![found.david]
    );
    assert_eq!(
        search(&store, born(date!(2015 - 03 - 02)), None, 50).await,
        vec![found.chloe, found.david, amelia]
    );
    let upn = found
        .amelia
        .upn
        .as_ref()
        .map(|u| u.as_str().to_lowercase())
        .unwrap_or_default();
    let upn_written = format!("{} {}", &upn[..5], &upn[5..]);
    assert_eq!(
        search(&store, by_identifier(&upn_written), None, 50).await,
        vec![amelia],
        "a UPN in lower case with a space"
    );
    assert_eq!(
        search(&store, by_identifier("943 476 5919"), None, 50).await,
        vec![found.ben],
        "an NHS number as people write it"
    );
    assert_eq!(
        search(&store, by_identifier("1234567899"), None, 50).await,
        vec![found.chloe]
    );
    assert!(
        search(&store, by_identifier("9999999999"), None, 50)
            .await
            .is_empty()
    );
    assert_eq!(
        search(&store, living_at("wr12pg"), None, 50).await,
        vec![amelia, found.ben]
    );
}

/// Every given criterion applies, and only children of the teams asked are
/// found (no teams: nothing; `None`: every team).
pub async fn children_are_found_by_combined_criteria_within_teams(store: Arc<dyn Store>) {
    let found = searchable_children(&store).await;
    let amelia = found.amelia.id;

    let okafor_in_wr1_born_2017 = ChildSearch {
        date_of_birth: Some(date!(2017 - 07 - 07)),
        postcode: Some(postcode("WR1 2PG")),
        ..by_name("okafor")
    };
    assert_eq!(
        search(&store, okafor_in_wr1_born_2017, None, 50).await,
        vec![found.ben]
    );
    let okafor_born_2015 = ChildSearch {
        date_of_birth: Some(date!(2015 - 03 - 02)),
        ..by_name("okafor")
    };
    assert_eq!(
        search(&store, okafor_born_2015, None, 50).await,
        vec![amelia]
    );
    let adams_in_wr1 = ChildSearch {
        postcode: Some(postcode("WR1 2PG")),
        ..by_name("adams")
    };
    assert!(search(&store, adams_in_wr1, None, 50).await.is_empty());
    let nhs_and_wrong_name = ChildSearch {
        identifier: Some("9434765919".to_owned()),
        ..by_name("amelia")
    };
    assert!(
        search(&store, nhs_and_wrong_name, None, 50)
            .await
            .is_empty()
    );

    assert_eq!(
        search(&store, ChildSearch::default(), Some(&[found.home]), 50).await,
        vec![found.chloe, found.david, amelia]
    );
    assert_eq!(
        search(&store, by_name("okafor"), Some(&[found.north]), 50).await,
        found.bens.to_vec()
    );
    assert_eq!(
        search(
            &store,
            ChildSearch::default(),
            Some(&[found.home, found.north]),
            50
        )
        .await,
        found.everyone()
    );
    assert_eq!(
        search(&store, by_name("okafor"), Some(&[found.north]), 1).await,
        vec![found.bens[0]],
        "the limit applies within the teams"
    );
    assert!(
        search(&store, ChildSearch::default(), Some(&[]), 50)
            .await
            .is_empty(),
        "no teams: nothing"
    );
    let elsewhere = TeamId::from_uuid(Uuid::new_v4());
    assert!(
        search(&store, ChildSearch::default(), Some(&[elsewhere]), 50)
            .await
            .is_empty()
    );
}

/// `%`, `_` and `\` in a name search are the characters themselves, never
/// wildcards.
pub async fn a_search_text_with_wildcards_matches_literally(store: Arc<dyn Store>) {
    let home = default_team();
    let underscore = bare_child("Kai", "Smith_Jones", home);
    let hyphen = bare_child("Kai", "Smith-Jones", home);
    let percent = Child {
        preferred_name: Some(name("Ann 100%")),
        ..bare_child("Annabel", "Lee", home)
    };
    for child in [&underscore, &hyphen, &percent] {
        insert_child(&store, child).await;
    }
    assert_eq!(
        search(&store, by_name("H_J"), None, 50).await,
        vec![underscore.id]
    );
    assert_eq!(
        search(&store, by_name("%"), None, 50).await,
        vec![percent.id]
    );
    assert_eq!(
        search(&store, by_name("0%"), None, 50).await,
        vec![percent.id]
    );
    assert!(search(&store, by_name("S%J"), None, 50).await.is_empty());
    assert_eq!(
        search(&store, by_name("_"), None, 50).await,
        vec![underscore.id]
    );
    assert!(
        search(&store, by_name("a_e"), None, 50).await.is_empty(),
        "as a wildcard it would find Annabel"
    );
    assert!(search(&store, by_name("\\"), None, 50).await.is_empty());
    assert!(search(&store, by_name("%\\"), None, 50).await.is_empty());
}

/// A contact is added or replaced by its id and removed, each with its entry and
/// effects; a contact never moves to another child, and removing a missing one
/// is `NotFound`; neither writes anything.
pub async fn contacts_are_upserted_by_id_and_deleted(store: Arc<dyn Store>) {
    let child = bare_child("Ben", "Smith", default_team());
    let other_child = bare_child("Chloe", "Adams", default_team());
    let mut entries = vec![insert_child(&store, &child).await];
    insert_child(&store, &other_child).await;
    let mut at = START;
    let mut save = |contact: FamilyContact| {
        at += Duration::minutes(1);
        let entry = entry(contact.child_id, at, "child.contact_changed");
        let effects = effects(at, AuditAction::FamilyContactChanged);
        let store = store.clone();
        async move {
            let result = store
                .commit(&save_contact(&contact, &entry, &effects))
                .await;
            (result, entry, effects)
        }
    };

    let mother = contact(child.id, "Zoe Smith");
    let (result, entry_1, effects_1) = save(mother.clone()).await;
    result.unwrap_or_else(|e| panic!("{e}"));
    let father = contact(child.id, "adam smith");
    let (result, entry_2, effects_2) = save(father.clone()).await;
    result.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        contacts_of(&store, child.id).await,
        vec![father.clone(), mother.clone()]
    );

    let mother_changed = FamilyContact {
        name: name("Zoë Smith-Evans"),
        relationship: short("Mother"),
        email: Some(email("zoe@example.org")),
        phone: Some(PhoneNumber::parse("01632 960 001").unwrap_or_else(|e| panic!("{e}"))),
        parental_responsibility: true,
        ..mother.clone()
    };
    let (result, entry_3, effects_3) = save(mother_changed.clone()).await;
    result.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        contacts_of(&store, child.id).await,
        vec![father.clone(), mother_changed.clone()],
        "replaced in place"
    );

    let moved = FamilyContact {
        child_id: other_child.id,
        ..mother_changed.clone()
    };
    let (result, _, _) = save(moved).await;
    assert_not_found(result);
    assert!(contacts_of(&store, other_child.id).await.is_empty());
    assert_eq!(
        contacts_of(&store, child.id).await,
        vec![father.clone(), mother_changed.clone()]
    );

    let delete_entry = entry(
        child.id,
        START + Duration::hours(1),
        "child.contact_changed",
    );
    let delete_effects = effects(
        START + Duration::hours(1),
        AuditAction::FamilyContactChanged,
    );
    commit(
        &store,
        delete_contact(father.id, &delete_entry, &delete_effects),
    )
    .await;
    assert_eq!(contacts_of(&store, child.id).await, vec![mother_changed]);
    let again_entry = entry(
        child.id,
        START + Duration::hours(2),
        "child.contact_changed",
    );
    assert_not_found(
        store
            .commit(&delete_contact(
                father.id,
                &again_entry,
                &effects(
                    START + Duration::hours(2),
                    AuditAction::FamilyContactChanged,
                ),
            ))
            .await,
    );

    entries.extend([entry_1, entry_2, entry_3, delete_entry]);
    entries.reverse();
    assert_eq!(chronology(&store, child.id, 10).await, entries);
    assert_eq!(
        written(&store).await,
        ids_of(&[&effects_1, &effects_2, &effects_3, &delete_effects])
    );
}

/// A child's chronology is newest first (the id decides between entries of the
/// same moment), only that child's, at most the limit.
pub async fn the_chronology_is_newest_first_within_the_limit(store: Arc<dyn Store>) {
    let child = bare_child("Ben", "Smith", default_team());
    let other = bare_child("Chloe", "Adams", default_team());
    let first = insert_child(&store, &child).await;
    let other_first = insert_child(&store, &other).await;
    let mut written_entries = vec![first];
    let mut read = child.clone();
    for minutes in [30, 10, 20, 40, 40] {
        let at = START + Duration::minutes(minutes);
        let next = entry(child.id, at, "child.updated");
        let updated = Child {
            updated_at: at,
            ..read.clone()
        };
        commit(&store, change_child(&updated, &next, &Effects::default())).await;
        read = next_version(&updated);
        written_entries.push(next);
    }
    let stored = store
        .child(child.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stored.map(|c| c.version), Some(6), "five updates after 1");
    let mut expected = written_entries.clone();
    expected.sort_by(|a, b| {
        b.occurred_at
            .cmp(&a.occurred_at)
            .then_with(|| b.id.to_string().cmp(&a.id.to_string()))
    });
    assert_eq!(chronology(&store, child.id, 100).await, expected);
    assert_eq!(
        chronology(&store, child.id, 3).await,
        expected[..3].to_vec()
    );
    assert_eq!(chronology(&store, other.id, 100).await, vec![other_first]);
    assert!(
        chronology(&store, ChildId::from_uuid(Uuid::new_v4()), 100)
            .await
            .is_empty()
    );
}

/// Two people edit the same child's record from the version they both read:
/// exactly one edit is written, with its entry and effects, and the version
/// moves on by one; the other is a conflict on `CHILD_CHANGED` and writes
/// nothing. Editing a child that was never added is `NotFound`.
pub async fn two_edits_of_one_child_version_write_one(store: Arc<dyn Store>) {
    let original = bare_child("Ben", "Smith", default_team());
    let first = insert_child(&store, &original).await;
    let read = store
        .child(original.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the child was added"));
    assert_eq!(read.version, 1, "a new record reads back 1");

    let at = START + Duration::days(1);
    let by_priya = Child {
        legal_first_name: name("Benjamin"),
        updated_at: at,
        ..read.clone()
    };
    let by_sam = Child {
        preferred_name: Some(name("Benny")),
        updated_at: at + Duration::minutes(1),
        ..read.clone()
    };
    let priya = (
        entry(original.id, at, "child.updated"),
        effects(at, AuditAction::ChildUpdated),
    );
    let sam = (
        entry(original.id, at, "child.updated"),
        effects(at, AuditAction::ChildUpdated),
    );
    let results = race(
        &store,
        &change_child(&by_priya, &priya.0, &priya.1),
        &change_child(&by_sam, &sam.0, &sam.1),
    )
    .await;
    let (winner, (winner_entry, winner_effects)) = if first_wins(results, CHILD_CHANGED) {
        (by_priya, priya)
    } else {
        (by_sam, sam)
    };

    let stored = store
        .child(original.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        stored,
        Some(next_version(&winner)),
        "the winner's, version 2"
    );
    assert_eq!(
        chronology(&store, original.id, 10).await,
        vec![winner_entry, first.clone()],
        "only the winner's entry"
    );
    assert_eq!(written(&store).await, ids_of(&[&winner_effects]));

    // The same stale version is refused however often it is named.
    assert_conflict(
        store
            .commit(&change_child(
                &read,
                &entry(original.id, at, "child.updated"),
                &Effects::default(),
            ))
            .await,
        CHILD_CHANGED,
    );
    let missing = bare_child("Nobody", "Here", default_team());
    assert_not_found(
        store
            .commit(&change_child(
                &missing,
                &entry(original.id, at, "child.updated"),
                &effects(at, AuditAction::ChildUpdated),
            ))
            .await,
    );
    let never = store
        .child(missing.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(never, None);
    assert_eq!(
        chronology(&store, original.id, 10).await.len(),
        2,
        "no entry from a refused edit"
    );
    assert_eq!(written(&store).await, ids_of(&[&winner_effects]));
}

/// Writes apply in order: a team and a group added earlier in a unit can be
/// joined later in the same unit, and none of these writes needs effects (each
/// carries its own time).
pub async fn a_team_and_group_added_in_a_unit_are_joined_in_it(store: Arc<dyn Store>) {
    let worker = account(
        AccountKind::Staff,
        "priya@example.gov.uk",
        Some(StaffRole::Caseworker),
    );
    insert_account(&store, new_account(worker.clone())).await;
    let north = team("North team");
    let readers = group("Report readers", &[Permission::ViewReports]);
    let membership = StaffMembership {
        account_id: worker.id,
        team_id: Some(north.id),
        groups: [readers.id].into(),
    };
    let committed = commit(
        &store,
        Changes::new()
            .with(Write::InsertTeam {
                team: north.clone(),
                at: START,
            })
            .with(Write::InsertPermissionGroup {
                group: readers.clone(),
                at: START,
            })
            .with(Write::SetStaffMembership {
                membership: membership.clone(),
                at: START + Duration::minutes(1),
            }),
    )
    .await;
    assert_eq!(committed.rows.len(), 3, "a count for each write, in order");

    assert_eq!(membership_of(&store, worker.id).await, Some(membership));
    assert_eq!(
        access(&store, worker.id).await,
        Some(StaffAccess {
            account_id: worker.id,
            role: StaffRole::Caseworker,
            team_id: Some(north.id),
            permissions: readers.permissions.clone(),
        })
    );
    let teams = store.teams().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(teams.contains(&north), "{teams:?}");
    assert_eq!(
        written(&store).await,
        (BTreeSet::new(), BTreeSet::new()),
        "no effects were given, none written"
    );
}

fn rename_team(id: TeamId, name: &str, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::UpdateTeam {
            id,
            name: name.to_owned(),
        })
        .with_effects(effects.clone())
}

fn remove_team(id: TeamId, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::DeleteTeam { id })
        .with_effects(effects.clone())
}

fn remove_group(id: PermissionGroupId, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::DeletePermissionGroup { id })
        .with_effects(effects.clone())
}

async fn team_names(store: &Arc<dyn Store>) -> Vec<String> {
    store
        .teams()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|t| t.name)
        .collect()
}

async fn group_ids(store: &Arc<dyn Store>) -> BTreeSet<PermissionGroupId> {
    store
        .permission_groups()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|g| g.id)
        .collect()
}

/// A team is renamed (a taken name is a conflict, a missing team `NotFound`),
/// and removed only once no member of staff, child or set-up link waiting to be
/// used names it; a link already used forgets it. Every refusal writes nothing of
/// its unit.
#[expect(
    clippy::too_many_lines,
    reason = "one case: each thing that keeps a team, then its removal"
)]
pub async fn a_team_is_renamed_and_removed_only_when_nobody_uses_it(store: Arc<dyn Store>) {
    let north = team("North team");
    insert_team(&store, &north).await;
    let renamed = effects(START, AuditAction::TeamCreated);
    commit(
        &store,
        rename_team(north.id, "North and West team", &renamed),
    )
    .await;
    assert_eq!(
        team_names(&store).await,
        vec!["North and West team".to_owned(), DEFAULT_TEAM.1.to_owned()]
    );
    assert_conflict(
        store
            .commit(&rename_team(
                north.id,
                DEFAULT_TEAM.1,
                &effects(START, AuditAction::TeamCreated),
            ))
            .await,
        "teams_name",
    );
    assert_not_found(
        store
            .commit(&rename_team(
                TeamId::from_uuid(Uuid::new_v4()),
                "Nobody's team",
                &effects(START, AuditAction::TeamCreated),
            ))
            .await,
    );

    // A child of the team keeps it.
    let with_child = team("Children's team");
    insert_team(&store, &with_child).await;
    insert_child(&store, &bare_child("Ben", "Smith", with_child.id)).await;
    assert_conflict(
        store
            .commit(&remove_team(
                with_child.id,
                &effects(START, AuditAction::TeamCreated),
            ))
            .await,
        send_store::TEAM_IN_USE,
    );

    // So does a set-up link waiting to be used, then the member of staff it made.
    let with_link = team("Link team");
    insert_team(&store, &with_link).await;
    let waiting = StaffSetupLink {
        team_id: Some(with_link.id),
        ..link(&"8a".repeat(32))
    };
    commit(
        &store,
        Changes::new().with(Write::InsertStaffSetupLink(waiting.clone())),
    )
    .await;
    assert_conflict(
        store
            .commit(&remove_team(
                with_link.id,
                &effects(START, AuditAction::TeamCreated),
            ))
            .await,
        send_store::TEAM_IN_USE,
    );
    let joined = account(
        AccountKind::Staff,
        "ada.admin@example.gov.uk",
        Some(StaffRole::Administrator),
    );
    insert_account(
        &store,
        NewAccount {
            setup_link: Some(waiting.id),
            ..new_account(joined.clone())
        },
    )
    .await;
    assert_conflict(
        store
            .commit(&remove_team(
                with_link.id,
                &effects(START, AuditAction::TeamCreated),
            ))
            .await,
        send_store::TEAM_IN_USE,
    );
    let moved = StaffMembership {
        account_id: joined.id,
        team_id: Some(north.id),
        groups: BTreeSet::new(),
    };
    commit(&store, set_membership(&moved, &Effects::default())).await;
    let removed = effects(START, AuditAction::TeamCreated);
    let committed = commit(&store, remove_team(with_link.id, &removed)).await;
    assert_eq!(committed.rows, vec![1]);
    let used = store
        .staff_setup_link_by_token(&waiting.token_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the used link is kept"));
    assert_eq!(used.team_id, None, "the used link forgets the team");
    assert_eq!(
        membership_of(&store, joined.id).await,
        Some(moved),
        "the membership is untouched"
    );
    assert_not_found(
        store
            .commit(&remove_team(
                with_link.id,
                &effects(START, AuditAction::TeamCreated),
            ))
            .await,
    );
    assert_eq!(
        team_names(&store).await,
        vec![
            "Children's team".to_owned(),
            "North and West team".to_owned(),
            DEFAULT_TEAM.1.to_owned()
        ]
    );
    assert_eq!(written(&store).await, ids_of(&[&renamed, &removed]));
}

/// A group is removed, with its permissions, only once nobody is in it: a
/// member of staff or a set-up link waiting to be used keeps it (`Conflict`,
/// nothing written); a link already used forgets it; a missing group is
/// `NotFound`.
pub async fn a_group_is_removed_only_when_nobody_is_in_it(store: Arc<dyn Store>) {
    let readers = group("Report readers", &[Permission::ViewReports]);
    commit(&store, add_group(&readers, &Effects::default())).await;
    let waiting = StaffSetupLink {
        groups: [readers.id].into(),
        ..link(&"9a".repeat(32))
    };
    commit(
        &store,
        Changes::new().with(Write::InsertStaffSetupLink(waiting.clone())),
    )
    .await;
    assert_conflict(
        store
            .commit(&remove_group(
                readers.id,
                &effects(START, AuditAction::PermissionGroupSaved),
            ))
            .await,
        send_store::PERMISSION_GROUP_IN_USE,
    );
    let member = account(
        AccountKind::Staff,
        "ada.admin@example.gov.uk",
        Some(StaffRole::Administrator),
    );
    insert_account(
        &store,
        NewAccount {
            setup_link: Some(waiting.id),
            ..new_account(member.clone())
        },
    )
    .await;
    assert_eq!(
        access(&store, member.id).await.map(|a| a.permissions),
        Some([Permission::ViewReports].into())
    );
    assert_conflict(
        store
            .commit(&remove_group(
                readers.id,
                &effects(START, AuditAction::PermissionGroupSaved),
            ))
            .await,
        send_store::PERMISSION_GROUP_IN_USE,
    );
    assert!(group_ids(&store).await.contains(&readers.id));

    commit(
        &store,
        set_membership(
            &StaffMembership {
                account_id: member.id,
                team_id: None,
                groups: BTreeSet::new(),
            },
            &Effects::default(),
        ),
    )
    .await;
    let removed = effects(START, AuditAction::PermissionGroupSaved);
    let committed = commit(&store, remove_group(readers.id, &removed)).await;
    assert_eq!(committed.rows, vec![1]);
    assert!(!group_ids(&store).await.contains(&readers.id));
    let used = store
        .staff_setup_link_by_token(&waiting.token_hash)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the used link is kept"));
    assert_eq!(
        used.groups,
        BTreeSet::new(),
        "the used link forgets the group"
    );
    assert_not_found(
        store
            .commit(&remove_group(
                readers.id,
                &effects(START, AuditAction::PermissionGroupSaved),
            ))
            .await,
    );
    // A group of that name may be added again.
    let again = group("Report readers", &[Permission::ViewAudit]);
    commit(&store, add_group(&again, &Effects::default())).await;
    assert_eq!(group_ids(&store).await.len(), 4);
    assert_eq!(written(&store).await, ids_of(&[&removed]));
}

/// The teams and groups in use are exactly those a removal refuses: a team
/// with a child or a member of staff, a group with a member; an unused team or
/// group is not listed.
pub async fn teams_and_groups_in_use_are_those_a_removal_refuses(store: Arc<dyn Store>) {
    let in_use = async |store: &Arc<dyn Store>| {
        (
            store.teams_in_use().await.unwrap_or_else(|e| panic!("{e}")),
            store
                .permission_groups_in_use()
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        )
    };
    assert_eq!(in_use(&store).await, (Vec::new(), Vec::new()));
    let unused = team("Unused team");
    let with_child = team("Children's team");
    let with_staff = team("Staff team");
    for t in [&unused, &with_child, &with_staff] {
        insert_team(&store, t).await;
    }
    insert_child(&store, &bare_child("Ben", "Smith", with_child.id)).await;
    let idle = group("Idle group", &[Permission::ViewCases]);
    let busy = group("Busy group", &[Permission::ViewCases]);
    for g in [&idle, &busy] {
        commit(&store, add_group(g, &Effects::default())).await;
    }
    let member = account(
        AccountKind::Staff,
        "member@example.gov.uk",
        Some(StaffRole::Caseworker),
    );
    insert_account(&store, new_account(member.clone())).await;
    let membership = StaffMembership {
        account_id: member.id,
        team_id: Some(with_staff.id),
        groups: BTreeSet::from([busy.id]),
    };
    commit(&store, set_membership(&membership, &Effects::default())).await;

    let mut teams = vec![with_child.id, with_staff.id];
    teams.sort();
    assert_eq!(in_use(&store).await, (teams.clone(), vec![busy.id]));
    for id in teams {
        assert_conflict(
            store.commit(&remove_team(id, &Effects::default())).await,
            send_store::TEAM_IN_USE,
        );
    }
    assert_conflict(
        store
            .commit(&remove_group(busy.id, &Effects::default()))
            .await,
        send_store::PERMISSION_GROUP_IN_USE,
    );
    commit(&store, remove_team(unused.id, &Effects::default())).await;
    commit(&store, remove_group(idle.id, &Effects::default())).await;
}

/// "Who has looked at this record": staff's openings of the record and
/// professionals' of the SEND Dashboard that succeeded, since the time asked,
/// newest first, with the staff member's role and team or the professional's
/// job and organisation; never the family's own views, refusals, other kinds of
/// event or other children.
/// A child of the default team, stored.
async fn insert_child_named(store: &Arc<dyn Store>, first: &str, last: &str) -> ChildId {
    let child = bare_child(first, last, default_team());
    insert_child(store, &child).await;
    child.id
}

/// Links `account` to `child` at `from`, and revokes the link at `until`.
async fn link_then_revoke(
    store: &Arc<dyn Store>,
    child: ChildId,
    account: UserId,
    from: OffsetDateTime,
    until: OffsetDateTime,
) {
    let mut link = send_domain::PortalLink {
        id: send_domain::PortalLinkId::from_uuid(Uuid::new_v4()),
        child_id: child,
        account_id: account,
        role: send_domain::PortalRole::Professional,
        status: send_domain::LinkStatus::Active,
        status_since: from,
        status_by: None,
        invitation_id: None,
        request_id: None,
        created_at: from,
    };
    for expected in [None, Some(send_domain::LinkStatus::Active)] {
        if expected.is_some() {
            link.status = send_domain::LinkStatus::Revoked;
            link.status_since = until;
        }
        let change = send_store::LinkChange {
            link: link.clone(),
            expected,
        };
        commit(store, Changes::new().with(Write::from(change))).await;
    }
}

pub async fn record_openings_are_staff_and_professionals_by_role_and_team(store: Arc<dyn Store>) {
    use send_domain::{Actor, AuditOutcome, Opener, ProfessionalDetails};
    let worker = account(
        AccountKind::Staff,
        "worker@example.gov.uk",
        Some(StaffRole::Caseworker),
    );
    let manager = account(
        AccountKind::Staff,
        "manager@example.gov.uk",
        Some(StaffRole::TeamManager),
    );
    let parent = account(AccountKind::Citizen, "parent@example.com", None);
    let mut professional = account(AccountKind::Professional, "slt@example.nhs.uk", None);
    professional.professional = Some(ProfessionalDetails {
        organisation: short("Northshire NHS Trust"),
        role: short("Speech and language therapist"),
        work_phone: PhoneNumber::parse("01632 960000").unwrap_or_else(|e| panic!("{e}")),
    });
    for a in [&worker, &manager, &parent, &professional] {
        insert_account(&store, new_account(a.clone())).await;
    }
    let north = team("North team");
    insert_team(&store, &north).await;
    let membership = StaffMembership {
        account_id: worker.id,
        team_id: Some(north.id),
        groups: BTreeSet::new(),
    };
    commit(&store, set_membership(&membership, &Effects::default())).await;
    let child = insert_child_named(&store, "Ada", "Nowak").await;
    let other = ChildId::from_uuid(Uuid::new_v4());
    let at = |minutes: i64| START + Duration::minutes(minutes);
    // A professional opens a child's dashboard only through a link to the
    // child; the link revoked since, their openings still count.
    link_then_revoke(&store, child, professional.id, at(-20), at(8)).await;
    let opened = |minutes: i64, who: &Account, action: AuditAction, about: ChildId| {
        let mut e = event(at(minutes), action);
        e.actor = Actor::User(who.id);
        e.child_id = Some(about);
        e
    };
    let mut refused = opened(6, &worker, AuditAction::ChildViewed, child);
    refused.outcome = AuditOutcome::Refused;
    for e in [
        opened(-10, &worker, AuditAction::ChildViewed, child),
        opened(1, &worker, AuditAction::ChildViewed, child),
        opened(2, &parent, AuditAction::DashboardViewed, child),
        opened(3, &professional, AuditAction::DashboardViewed, child),
        opened(4, &manager, AuditAction::ChildViewed, child),
        opened(5, &worker, AuditAction::ChildUpdated, child),
        opened(7, &worker, AuditAction::ChildViewed, other),
        refused,
    ]
    .into_iter()
    // The family's own views, however many, are not openings.
    .chain((10..60).map(|m| opened(m, &parent, AuditAction::DashboardViewed, child)))
    {
        store
            .record_audit_event(&e)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let openings = store
        .record_openings(child, at(0), 100)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let seen: Vec<_> = openings
        .iter()
        .map(|o| (o.occurred_at, o.opener.clone()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                at(4),
                Opener::Staff {
                    role: StaffRole::TeamManager,
                    team: None
                }
            ),
            (
                at(3),
                Opener::Professional {
                    job_role: Some("Speech and language therapist".to_owned()),
                    organisation: "Northshire NHS Trust".to_owned(),
                }
            ),
            (
                at(1),
                Opener::Staff {
                    role: StaffRole::Caseworker,
                    team: Some("North team".to_owned())
                }
            ),
        ]
    );
    let limited = store
        .record_openings(child, at(0), 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(limited.len(), 1);
}
