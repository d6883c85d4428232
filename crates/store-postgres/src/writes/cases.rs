//! Writes of the back office: teams, permission groups, staff membership,
//! children, family contacts and chronology entries.

use send_domain::matching::normalise_name;
use send_domain::{
    Child, ChildId, ContactId, Email, FamilyContact, PermissionGroupId, PhoneNumber, SenNeed,
    ShortText, TeamId,
};
use send_store::{
    CHILD_CHANGED, ChronologyEntry, PERMISSION_GROUP_IN_USE, PermissionGroup, StaffMembership,
    StoreError, StoreResult, TEAM_IN_USE, Team,
};
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{PgConnection, Postgres};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{conflict, found, refused, write_error};
use crate::convert::number_to_db;

pub(super) async fn insert_team(
    conn: &mut PgConnection,
    team: &Team,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done = sqlx::query("INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(team.id.as_uuid())
        .bind(team.name.as_str())
        .bind(at)
        .execute(conn)
        .await
        .map_err(write_error)?;
    Ok(done.rows_affected())
}

pub(super) async fn insert_permission_group(
    conn: &mut PgConnection,
    group: &PermissionGroup,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let done =
        sqlx::query("INSERT INTO permission_groups (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(group.id.as_uuid())
            .bind(group.name.as_str())
            .bind(at)
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
    insert_group_permissions(conn, group).await?;
    Ok(done.rows_affected())
}

pub(super) async fn update_permission_group(
    conn: &mut PgConnection,
    group: &PermissionGroup,
) -> StoreResult<u64> {
    let done = sqlx::query("UPDATE permission_groups SET name = $1 WHERE id = $2")
        .bind(group.name.as_str())
        .bind(group.id.as_uuid())
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    let rows = found(done.rows_affected())?;
    sqlx::query("DELETE FROM permission_group_permissions WHERE group_id = $1")
        .bind(group.id.as_uuid())
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    insert_group_permissions(conn, group).await?;
    Ok(rows)
}

/// Renames a team; `NotFound` if there is none.
pub(super) async fn update_team(
    conn: &mut PgConnection,
    id: TeamId,
    name: &str,
) -> StoreResult<u64> {
    let done = sqlx::query("UPDATE teams SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(id.as_uuid())
        .execute(conn)
        .await
        .map_err(write_error)?;
    found(done.rows_affected())
}

/// Whether `statement` (binding the id as `$1`) finds a row.
async fn any(conn: &mut PgConnection, statement: &'static str, id: Uuid) -> StoreResult<bool> {
    let row = sqlx::query(statement)
        .bind(id)
        .fetch_optional(conn)
        .await
        .map_err(write_error)?;
    Ok(row.is_some())
}

/// Removes a team nobody uses: `Conflict { TEAM_IN_USE }` while a member of
/// staff, a child or a set-up link not yet used names it.
pub(super) async fn delete_team(conn: &mut PgConnection, id: TeamId) -> StoreResult<u64> {
    let id = id.as_uuid();
    if !any(conn, "SELECT 1 FROM teams WHERE id = $1 FOR UPDATE", id).await? {
        return Err(StoreError::NotFound);
    }
    for in_use in [
        "SELECT 1 FROM staff_members WHERE team_id = $1 LIMIT 1",
        "SELECT 1 FROM children WHERE team_id = $1 LIMIT 1",
        "SELECT 1 FROM staff_setup_links WHERE team_id = $1 AND used_at IS NULL LIMIT 1",
    ] {
        if any(conn, in_use, id).await? {
            return Err(conflict(TEAM_IN_USE));
        }
    }
    sqlx::query("UPDATE staff_setup_links SET team_id = NULL WHERE team_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    let done = sqlx::query("DELETE FROM teams WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map_err(write_error)?;
    found(done.rows_affected())
}

/// Removes a group with nobody in it and its permissions: `Conflict {
/// PERMISSION_GROUP_IN_USE }` while a member of staff or a set-up link not yet
/// used is in it.
pub(super) async fn delete_permission_group(
    conn: &mut PgConnection,
    id: PermissionGroupId,
) -> StoreResult<u64> {
    let id = id.as_uuid();
    if !any(
        conn,
        "SELECT 1 FROM permission_groups WHERE id = $1 FOR UPDATE",
        id,
    )
    .await?
    {
        return Err(StoreError::NotFound);
    }
    for in_use in [
        "SELECT 1 FROM staff_group_memberships WHERE group_id = $1 LIMIT 1",
        "SELECT 1 FROM staff_setup_link_groups g JOIN staff_setup_links l ON l.id = g.link_id \
         WHERE g.group_id = $1 AND l.used_at IS NULL LIMIT 1",
    ] {
        if any(conn, in_use, id).await? {
            return Err(conflict(PERMISSION_GROUP_IN_USE));
        }
    }
    for statement in [
        "DELETE FROM staff_setup_link_groups WHERE group_id = $1",
        "DELETE FROM permission_group_permissions WHERE group_id = $1",
    ] {
        sqlx::query(statement)
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
    }
    let done = sqlx::query("DELETE FROM permission_groups WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map_err(write_error)?;
    found(done.rows_affected())
}

async fn insert_group_permissions(
    conn: &mut PgConnection,
    group: &PermissionGroup,
) -> StoreResult<()> {
    for permission in &group.permissions {
        sqlx::query(
            "INSERT INTO permission_group_permissions (group_id, permission) VALUES ($1, $2)",
        )
        .bind(group.id.as_uuid())
        .bind(permission.code())
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    }
    Ok(())
}

/// `NotFound` unless the account is staff.
pub(super) async fn set_staff_membership(
    conn: &mut PgConnection,
    membership: &StaffMembership,
    at: OffsetDateTime,
) -> StoreResult<u64> {
    let account = membership.account_id.as_uuid();
    let staff = sqlx::query("SELECT 1 FROM accounts WHERE id = $1 AND kind = 'staff'")
        .bind(account)
        .fetch_optional(&mut *conn)
        .await
        .map_err(write_error)?;
    if staff.is_none() {
        return Err(StoreError::NotFound);
    }
    let done = sqlx::query(
        "INSERT INTO staff_members (account_id, team_id, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id) DO UPDATE SET team_id = excluded.team_id, \
         updated_at = excluded.updated_at",
    )
    .bind(account)
    .bind(membership.team_id.map(|id| id.as_uuid()))
    .bind(at)
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    sqlx::query("DELETE FROM staff_group_memberships WHERE account_id = $1")
        .bind(account)
        .execute(&mut *conn)
        .await
        .map_err(write_error)?;
    for group in &membership.groups {
        sqlx::query("INSERT INTO staff_group_memberships (account_id, group_id) VALUES ($1, $2)")
            .bind(account)
            .bind(group.as_uuid())
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
    }
    Ok(done.rows_affected())
}

/// Binds every column of `child` but `created_at` and `version`, in the order of
/// the statements below (`$1` the id to `$19` `updated_at`).
fn bind_child<'q>(
    query: Query<'q, Postgres, PgArguments>,
    child: &Child,
) -> Query<'q, Postgres, PgArguments> {
    let short = |text: Option<&ShortText>| text.map(|t| t.as_str().to_owned());
    query
        .bind(child.id.as_uuid())
        .bind(child.team_id.as_uuid())
        .bind(child.legal_first_name.as_str().to_owned())
        .bind(child.legal_last_name.as_str().to_owned())
        .bind(child.preferred_name.as_ref().map(|n| n.as_str().to_owned()))
        .bind(child.date_of_birth)
        .bind(child.sex.code())
        .bind(short(child.ethnicity.as_ref()))
        .bind(child.upn.as_ref().map(|v| v.as_str().to_owned()))
        .bind(child.uln.as_ref().map(|v| v.as_str().to_owned()))
        .bind(child.nhs_number.as_ref().map(|v| v.as_str().to_owned()))
        .bind(short(child.address.line_1.as_ref()))
        .bind(short(child.address.line_2.as_ref()))
        .bind(short(child.address.town.as_ref()))
        .bind(
            child
                .address
                .postcode
                .as_ref()
                .map(|p| p.as_str().to_owned()),
        )
        .bind(short(child.setting.as_ref()))
        .bind(child.primary_need.map(SenNeed::code))
        .bind(child.secondary_need.map(SenNeed::code))
        .bind(child.updated_at)
}

pub(super) async fn insert_child(conn: &mut PgConnection, child: &Child) -> StoreResult<u64> {
    let done = bind_child(
        sqlx::query(
            "INSERT INTO children \
             (id, team_id, legal_first_name, legal_last_name, preferred_name, date_of_birth, \
              sex, ethnicity, upn, uln, nhs_number, address_line_1, address_line_2, town, \
              postcode, setting, primary_need, secondary_need, updated_at, created_at, version, \
              match_surname) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
              $17, $18, $19, $20, $21, $22)",
        ),
        child,
    )
    .bind(child.created_at)
    .bind(number_to_db(child.version)?)
    .bind(normalise_name(child.legal_last_name.as_str()))
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

/// Writes every field but the id and creation time if the stored version is
/// `expected_version`, and moves the version on.
pub(super) async fn update_child(
    conn: &mut PgConnection,
    child: &Child,
    expected_version: u32,
) -> StoreResult<u64> {
    let done = bind_child(
        sqlx::query(
            "UPDATE children SET team_id = $2, legal_first_name = $3, legal_last_name = $4, \
             preferred_name = $5, date_of_birth = $6, sex = $7, ethnicity = $8, upn = $9, \
             uln = $10, nhs_number = $11, address_line_1 = $12, address_line_2 = $13, \
             town = $14, postcode = $15, setting = $16, primary_need = $17, \
             secondary_need = $18, updated_at = $19, version = $20 + 1, match_surname = $21 \
             WHERE id = $1 AND version = $20",
        ),
        child,
    )
    .bind(number_to_db(expected_version)?)
    .bind(normalise_name(child.legal_last_name.as_str()))
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(refused(
            conn,
            "SELECT 1 FROM children WHERE id = $1",
            child.id.as_uuid(),
            CHILD_CHANGED,
        )
        .await);
    }
    Ok(done.rows_affected())
}

/// Adds the contact, or replaces the one with its id if that is the same child's.
/// `NotFound` if the id belongs to another child's contact: a contact never moves.
pub(super) async fn save_contact(
    conn: &mut PgConnection,
    contact: &FamilyContact,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO family_contacts \
         (id, child_id, name, relationship, email, phone, parental_responsibility) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
         relationship = excluded.relationship, email = excluded.email, \
         phone = excluded.phone, parental_responsibility = excluded.parental_responsibility \
         WHERE family_contacts.child_id = excluded.child_id",
    )
    .bind(contact.id.as_uuid())
    .bind(contact.child_id.as_uuid())
    .bind(contact.name.as_str())
    .bind(contact.relationship.as_str())
    .bind(contact.email.as_ref().map(Email::as_str))
    .bind(contact.phone.as_ref().map(PhoneNumber::as_str))
    .bind(contact.parental_responsibility)
    .execute(conn)
    .await
    .map_err(write_error)?;
    found(done.rows_affected())
}

pub(super) async fn delete_contact(conn: &mut PgConnection, id: ContactId) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM family_contacts WHERE id = $1")
        .bind(id.as_uuid())
        .execute(conn)
        .await
        .map_err(write_error)?;
    found(done.rows_affected())
}

pub(super) async fn add_chronology_entry(
    conn: &mut PgConnection,
    entry: &ChronologyEntry,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO chronology_entries \
         (id, child_id, occurred_at, actor_id, kind, summary, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.id.as_uuid())
    .bind(entry.child_id.as_uuid())
    .bind(entry.occurred_at)
    .bind(entry.actor_id.map(|id| id.as_uuid()))
    .bind(entry.kind.as_str())
    .bind(entry.summary.as_str())
    .bind(entry.note.as_deref())
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

/// Writes a child's folded surname (children added before the matcher).
pub(super) async fn index_child_name(
    conn: &mut PgConnection,
    id: ChildId,
    surname: &str,
) -> StoreResult<u64> {
    let done = sqlx::query("UPDATE children SET match_surname = $2 WHERE id = $1")
        .bind(id.as_uuid())
        .bind(surname)
        .execute(conn)
        .await
        .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(done.rows_affected())
}
