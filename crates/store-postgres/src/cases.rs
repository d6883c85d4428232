//! The back office on PostgreSQL: teams, permission groups, staff membership,
//! children, family contacts and chronologies. Every write is one transaction,
//! with its chronology entry and effects.

use std::collections::BTreeSet;

use async_trait::async_trait;
use send_domain::{
    Address, Child, ChildId, ChildSearch, ChronologyEntryId, ContactId, Email, FamilyContact,
    NhsNumber, Permission, PermissionGroupId, PersonName, PhoneNumber, Postcode, SenNeed,
    ShortText, StaffAccess, StaffRole, TeamId, Uln, Upn, UserId,
};
use send_store::{
    CaseStore, ChronologyEntry, Effects, PermissionGroup, StaffMembership, StoreError, StoreResult,
    Team,
};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::PgStore;
use crate::convert::{corrupt, from_sqlx};
use crate::effects;

/// When a change happened, as its audit event records it: the trait's teams,
/// groups and memberships carry no time of their own, and the store never reads
/// the clock.
fn change_time(effects: &Effects) -> Option<OffsetDateTime> {
    effects.audit.first().map(|e| e.occurred_at)
}

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` taken literally
/// (the query says `ESCAPE '\'`).
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// An identifier as the parsers store it: no spaces or hyphens, capitals.
fn normalised_identifier(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

pub(crate) fn uuid(row: &PgRow, name: &str) -> StoreResult<Uuid> {
    row.try_get(name).map_err(from_sqlx)
}

pub(crate) fn optional_uuid(row: &PgRow, name: &str) -> StoreResult<Option<Uuid>> {
    row.try_get(name).map_err(from_sqlx)
}

pub(crate) fn child_from_row(row: &PgRow) -> StoreResult<Child> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    let optional = |name: &str| row.try_get::<Option<String>, _>(name).map_err(from_sqlx);
    let short = |name: &str| optional(name).map(|t| t.map(ShortText::from_stored));
    let need = |name: &str| {
        optional(name)?
            .map(|code| code.parse::<SenNeed>().map_err(corrupt))
            .transpose()
    };
    Ok(Child {
        id: ChildId::from_uuid(uuid(row, "id")?),
        team_id: TeamId::from_uuid(uuid(row, "team_id")?),
        legal_first_name: PersonName::parse(&text("legal_first_name")?).map_err(corrupt)?,
        legal_last_name: PersonName::parse(&text("legal_last_name")?).map_err(corrupt)?,
        preferred_name: optional("preferred_name")?
            .map(|name| PersonName::parse(&name).map_err(corrupt))
            .transpose()?,
        date_of_birth: row.try_get("date_of_birth").map_err(from_sqlx)?,
        sex: text("sex")?.parse().map_err(corrupt)?,
        ethnicity: short("ethnicity")?,
        upn: optional("upn")?
            .map(|upn| Upn::parse(&upn).map_err(corrupt))
            .transpose()?,
        uln: optional("uln")?
            .map(|uln| Uln::parse(&uln).map_err(corrupt))
            .transpose()?,
        nhs_number: optional("nhs_number")?
            .map(|nhs| NhsNumber::parse(&nhs).map_err(corrupt))
            .transpose()?,
        address: Address {
            line_1: short("address_line_1")?,
            line_2: short("address_line_2")?,
            town: short("town")?,
            postcode: optional("postcode")?
                .map(|postcode| Postcode::parse(&postcode).map_err(corrupt))
                .transpose()?,
        },
        setting: short("setting")?,
        primary_need: need("primary_need")?,
        secondary_need: need("secondary_need")?,
        created_at: row.try_get("created_at").map_err(from_sqlx)?,
        updated_at: row.try_get("updated_at").map_err(from_sqlx)?,
    })
}

/// Binds every column of `child` but `created_at`, in the order of the statements
/// below (`$1` the id to `$19` `updated_at`).
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

fn contact_from_row(row: &PgRow) -> StoreResult<FamilyContact> {
    let optional = |name: &str| row.try_get::<Option<String>, _>(name).map_err(from_sqlx);
    Ok(FamilyContact {
        id: ContactId::from_uuid(uuid(row, "id")?),
        child_id: ChildId::from_uuid(uuid(row, "child_id")?),
        name: PersonName::parse(&row.try_get::<String, _>("name").map_err(from_sqlx)?)
            .map_err(corrupt)?,
        relationship: ShortText::from_stored(row.try_get("relationship").map_err(from_sqlx)?),
        email: optional("email")?
            .map(|email| Email::parse(&email).map_err(corrupt))
            .transpose()?,
        phone: optional("phone")?
            .map(|phone| PhoneNumber::parse(&phone).map_err(corrupt))
            .transpose()?,
        parental_responsibility: row.try_get("parental_responsibility").map_err(from_sqlx)?,
    })
}

fn entry_from_row(row: &PgRow) -> StoreResult<ChronologyEntry> {
    Ok(ChronologyEntry {
        id: ChronologyEntryId::from_uuid(uuid(row, "id")?),
        child_id: ChildId::from_uuid(uuid(row, "child_id")?),
        occurred_at: row.try_get("occurred_at").map_err(from_sqlx)?,
        actor_id: optional_uuid(row, "actor_id")?.map(UserId::from_uuid),
        kind: row.try_get("kind").map_err(from_sqlx)?,
        summary: row.try_get("summary").map_err(from_sqlx)?,
        note: row.try_get("note").map_err(from_sqlx)?,
    })
}

pub(crate) async fn insert_entry(
    conn: &mut PgConnection,
    entry: &ChronologyEntry,
) -> StoreResult<()> {
    sqlx::query(
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
    .map_err(from_sqlx)?;
    Ok(())
}

/// Adds the contact, or replaces the one with its id if that is the same child's.
/// `NotFound` if the id belongs to another child's contact: a contact never moves.
async fn upsert_contact(conn: &mut PgConnection, contact: &FamilyContact) -> StoreResult<()> {
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
    .map_err(from_sqlx)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
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
        .map_err(from_sqlx)?;
    }
    Ok(())
}

#[async_trait]
impl CaseStore for PgStore {
    async fn insert_team(&self, team: &Team, effects: &Effects) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        sqlx::query("INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(team.id.as_uuid())
            .bind(team.name.as_str())
            .bind(change_time(effects))
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn teams(&self) -> StoreResult<Vec<Team>> {
        let rows = sqlx::query("SELECT id, name FROM teams ORDER BY name, id")
            .fetch_all(&self.pool)
            .await
            .map_err(from_sqlx)?;
        rows.iter()
            .map(|row| {
                Ok(Team {
                    id: TeamId::from_uuid(uuid(row, "id")?),
                    name: row.try_get("name").map_err(from_sqlx)?,
                })
            })
            .collect()
    }

    async fn insert_permission_group(
        &self,
        group: &PermissionGroup,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        sqlx::query("INSERT INTO permission_groups (id, name, created_at) VALUES ($1, $2, $3)")
            .bind(group.id.as_uuid())
            .bind(group.name.as_str())
            .bind(change_time(effects))
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        insert_group_permissions(&mut tx, group).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn update_permission_group(
        &self,
        group: &PermissionGroup,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query("UPDATE permission_groups SET name = $1 WHERE id = $2")
            .bind(group.name.as_str())
            .bind(group.id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM permission_group_permissions WHERE group_id = $1")
            .bind(group.id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        insert_group_permissions(&mut tx, group).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn permission_groups(&self) -> StoreResult<Vec<PermissionGroup>> {
        let rows = sqlx::query(
            "SELECT g.id, g.name, p.permission FROM permission_groups g \
             LEFT JOIN permission_group_permissions p ON p.group_id = g.id \
             ORDER BY g.name, g.id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?;
        let mut groups: Vec<PermissionGroup> = Vec::new();
        for row in &rows {
            let id = PermissionGroupId::from_uuid(uuid(row, "id")?);
            if groups.last().is_none_or(|g| g.id != id) {
                groups.push(PermissionGroup {
                    id,
                    name: row.try_get("name").map_err(from_sqlx)?,
                    permissions: BTreeSet::new(),
                });
            }
            let permission: Option<String> = row.try_get("permission").map_err(from_sqlx)?;
            if let (Some(code), Some(group)) = (permission, groups.last_mut()) {
                group
                    .permissions
                    .insert(code.parse::<Permission>().map_err(corrupt)?);
            }
        }
        Ok(groups)
    }

    async fn set_staff_membership(
        &self,
        membership: &StaffMembership,
        effects: &Effects,
    ) -> StoreResult<()> {
        let account = membership.account_id.as_uuid();
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let staff = sqlx::query("SELECT 1 FROM accounts WHERE id = $1 AND kind = 'staff'")
            .bind(account)
            .fetch_optional(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        if staff.is_none() {
            return Err(StoreError::NotFound);
        }
        sqlx::query(
            "INSERT INTO staff_members (account_id, team_id, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id) DO UPDATE SET team_id = excluded.team_id, \
             updated_at = excluded.updated_at",
        )
        .bind(account)
        .bind(membership.team_id.map(|id| id.as_uuid()))
        .bind(change_time(effects))
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        sqlx::query("DELETE FROM staff_group_memberships WHERE account_id = $1")
            .bind(account)
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        for group in &membership.groups {
            sqlx::query(
                "INSERT INTO staff_group_memberships (account_id, group_id) VALUES ($1, $2)",
            )
            .bind(account)
            .bind(group.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        }
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn staff_membership(&self, account: UserId) -> StoreResult<Option<StaffMembership>> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let Some(row) = sqlx::query("SELECT team_id FROM staff_members WHERE account_id = $1")
            .bind(account.as_uuid())
            .fetch_optional(&mut *tx)
            .await
            .map_err(from_sqlx)?
        else {
            return Ok(None);
        };
        let groups =
            sqlx::query("SELECT group_id FROM staff_group_memberships WHERE account_id = $1")
                .bind(account.as_uuid())
                .fetch_all(&mut *tx)
                .await
                .map_err(from_sqlx)?
                .iter()
                .map(|row| uuid(row, "group_id").map(PermissionGroupId::from_uuid))
                .collect::<StoreResult<BTreeSet<_>>>()?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(Some(StaffMembership {
            account_id: account,
            team_id: optional_uuid(&row, "team_id")?.map(TeamId::from_uuid),
            groups,
        }))
    }

    async fn staff_access(&self, account: UserId) -> StoreResult<Option<StaffAccess>> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let Some(row) = sqlx::query(
            "SELECT a.staff_role, m.team_id FROM accounts a \
             LEFT JOIN staff_members m ON m.account_id = a.id \
             WHERE a.id = $1 AND a.kind = 'staff'",
        )
        .bind(account.as_uuid())
        .fetch_optional(&mut *tx)
        .await
        .map_err(from_sqlx)?
        else {
            return Ok(None);
        };
        let permissions = sqlx::query(
            "SELECT DISTINCT p.permission FROM staff_group_memberships g \
             JOIN permission_group_permissions p ON p.group_id = g.group_id \
             WHERE g.account_id = $1",
        )
        .bind(account.as_uuid())
        .fetch_all(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .iter()
        .map(|row| {
            row.try_get::<String, _>("permission")
                .map_err(from_sqlx)?
                .parse::<Permission>()
                .map_err(corrupt)
        })
        .collect::<StoreResult<BTreeSet<_>>>()?;
        tx.commit().await.map_err(from_sqlx)?;
        let role: String = row.try_get("staff_role").map_err(from_sqlx)?;
        Ok(Some(StaffAccess {
            account_id: account,
            role: StaffRole::parse_code(&role).map_err(corrupt)?,
            team_id: optional_uuid(&row, "team_id")?.map(TeamId::from_uuid),
            permissions,
        }))
    }

    async fn insert_child(
        &self,
        child: &Child,
        contacts: &[FamilyContact],
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        bind_child(
            sqlx::query(
                "INSERT INTO children \
                 (id, team_id, legal_first_name, legal_last_name, preferred_name, date_of_birth, \
                  sex, ethnicity, upn, uln, nhs_number, address_line_1, address_line_2, town, \
                  postcode, setting, primary_need, secondary_need, updated_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
                  $17, $18, $19, $20)",
            ),
            child,
        )
        .bind(child.created_at)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        for contact in contacts {
            upsert_contact(&mut tx, contact).await?;
        }
        insert_entry(&mut tx, entry).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn update_child(
        &self,
        child: &Child,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let done = bind_child(
            sqlx::query(
                "UPDATE children SET team_id = $2, legal_first_name = $3, legal_last_name = $4, \
                 preferred_name = $5, date_of_birth = $6, sex = $7, ethnicity = $8, upn = $9, \
                 uln = $10, nhs_number = $11, address_line_1 = $12, address_line_2 = $13, \
                 town = $14, postcode = $15, setting = $16, primary_need = $17, \
                 secondary_need = $18, updated_at = $19 \
                 WHERE id = $1",
            ),
            child,
        )
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        insert_entry(&mut tx, entry).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn child(&self, id: ChildId) -> StoreResult<Option<Child>> {
        let row = sqlx::query("SELECT * FROM children WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(child_from_row).transpose()
    }

    async fn search_children(
        &self,
        search: &ChildSearch,
        teams: Option<&[TeamId]>,
        limit: u32,
    ) -> StoreResult<Vec<Child>> {
        if teams.is_some_and(<[TeamId]>::is_empty) {
            return Ok(Vec::new());
        }
        let mut sql: QueryBuilder<Postgres> =
            QueryBuilder::new("SELECT * FROM children WHERE 1 = 1");
        if let Some(name) = &search.name {
            let pattern = contains_pattern(name.trim());
            sql.push(" AND (lower(legal_first_name) LIKE lower(")
                .push_bind(pattern.clone())
                .push(") ESCAPE '\\' OR lower(legal_last_name) LIKE lower(")
                .push_bind(pattern.clone())
                .push(") ESCAPE '\\' OR lower(preferred_name) LIKE lower(")
                .push_bind(pattern)
                .push(") ESCAPE '\\')");
        }
        if let Some(date) = search.date_of_birth {
            sql.push(" AND date_of_birth = ").push_bind(date);
        }
        if let Some(identifier) = &search.identifier {
            let identifier = normalised_identifier(identifier);
            sql.push(" AND (upn = ")
                .push_bind(identifier.clone())
                .push(" OR uln = ")
                .push_bind(identifier.clone())
                .push(" OR nhs_number = ")
                .push_bind(identifier)
                .push(")");
        }
        if let Some(postcode) = &search.postcode {
            sql.push(" AND postcode = ")
                .push_bind(postcode.as_str().to_owned());
        }
        if let Some(teams) = teams {
            let ids: Vec<Uuid> = teams.iter().map(TeamId::as_uuid).collect();
            sql.push(" AND team_id = ANY(").push_bind(ids).push(")");
        }
        sql.push(" ORDER BY lower(legal_last_name), lower(legal_first_name), id LIMIT ")
            .push_bind(i64::from(limit));
        let rows = sql.build().fetch_all(&self.pool).await.map_err(from_sqlx)?;
        rows.iter().map(child_from_row).collect()
    }

    async fn family_contacts(&self, child: ChildId) -> StoreResult<Vec<FamilyContact>> {
        let rows = sqlx::query(
            "SELECT * FROM family_contacts WHERE child_id = $1 ORDER BY lower(name), id",
        )
        .bind(child.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(contact_from_row).collect()
    }

    async fn save_family_contact(
        &self,
        contact: &FamilyContact,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        upsert_contact(&mut tx, contact).await?;
        insert_entry(&mut tx, entry).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn delete_family_contact(
        &self,
        id: ContactId,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query("DELETE FROM family_contacts WHERE id = $1")
            .bind(id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        insert_entry(&mut tx, entry).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn chronology(&self, child: ChildId, limit: u32) -> StoreResult<Vec<ChronologyEntry>> {
        let rows = sqlx::query(
            "SELECT * FROM chronology_entries WHERE child_id = $1 \
             ORDER BY occurred_at DESC, id DESC LIMIT $2",
        )
        .bind(child.as_uuid())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(entry_from_row).collect()
    }
}
