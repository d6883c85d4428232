//! The back office on SQLite: teams, permission groups, staff membership,
//! children, family contacts and chronologies. Every write is one transaction on
//! the single writer connection, with its chronology entry and effects.

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
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use time::Date;
use time::macros::format_description;

use crate::SqliteStore;
use crate::convert::{corrupt, from_sqlx, time_from_text, time_to_text, uuid_from_text};
use crate::effects;

/// SQLite names a unique violation by its columns ("UNIQUE constraint failed:
/// teams.name"); the trait promises the index's name, as PostgreSQL gives it.
fn name_write_error(err: sqlx::Error) -> StoreError {
    match from_sqlx(err) {
        StoreError::Conflict { constraint } if constraint.ends_with(": teams.name") => {
            StoreError::Conflict {
                constraint: "teams_name".to_owned(),
            }
        }
        StoreError::Conflict { constraint } if constraint.ends_with(": permission_groups.name") => {
            StoreError::Conflict {
                constraint: "permission_groups_name".to_owned(),
            }
        }
        other => other,
    }
}

/// When a change happened, as its audit event records it: the trait's teams,
/// groups and memberships carry no time of their own, and the store never reads
/// the clock.
fn change_time(effects: &Effects) -> Option<String> {
    effects.audit.first().map(|e| time_to_text(e.occurred_at))
}

pub(crate) fn date_to_text(date: Date) -> String {
    let format = format_description!("[year]-[month]-[day]");
    date.format(&format).unwrap_or_else(|_| date.to_string())
}

pub(crate) fn date_from_text(text: &str) -> StoreResult<Date> {
    let format = format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).map_err(|_| corrupt(format_args!("date {text}")))
}

pub(crate) fn id_from_row(row: &SqliteRow, name: &str) -> StoreResult<uuid::Uuid> {
    uuid_from_text(&row.try_get::<String, _>(name).map_err(from_sqlx)?)
}

pub(crate) fn optional_id(row: &SqliteRow, name: &str) -> StoreResult<Option<uuid::Uuid>> {
    row.try_get::<Option<String>, _>(name)
        .map_err(from_sqlx)?
        .map(|id| uuid_from_text(&id))
        .transpose()
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

pub(crate) fn child_from_row(row: &SqliteRow) -> StoreResult<Child> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    let optional = |name: &str| row.try_get::<Option<String>, _>(name).map_err(from_sqlx);
    let short = |name: &str| optional(name).map(|t| t.map(ShortText::from_stored));
    let need = |name: &str| {
        optional(name)?
            .map(|code| code.parse::<SenNeed>().map_err(corrupt))
            .transpose()
    };
    Ok(Child {
        id: ChildId::from_uuid(id_from_row(row, "id")?),
        team_id: TeamId::from_uuid(id_from_row(row, "team_id")?),
        legal_first_name: PersonName::parse(&text("legal_first_name")?).map_err(corrupt)?,
        legal_last_name: PersonName::parse(&text("legal_last_name")?).map_err(corrupt)?,
        preferred_name: optional("preferred_name")?
            .map(|name| PersonName::parse(&name).map_err(corrupt))
            .transpose()?,
        date_of_birth: date_from_text(&text("date_of_birth")?)?,
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
        created_at: time_from_text(&text("created_at")?)?,
        updated_at: time_from_text(&text("updated_at")?)?,
    })
}

/// Binds every column of `child` but `created_at`, in the order of the statements
/// below (`?1` the id to `?19` `updated_at`).
fn bind_child<'q>(
    query: Query<'q, Sqlite, SqliteArguments>,
    child: &Child,
) -> Query<'q, Sqlite, SqliteArguments> {
    let short = |text: Option<&ShortText>| text.map(|t| t.as_str().to_owned());
    query
        .bind(child.id.to_string())
        .bind(child.team_id.to_string())
        .bind(child.legal_first_name.as_str().to_owned())
        .bind(child.legal_last_name.as_str().to_owned())
        .bind(child.preferred_name.as_ref().map(|n| n.as_str().to_owned()))
        .bind(date_to_text(child.date_of_birth))
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
        .bind(time_to_text(child.updated_at))
}

fn contact_from_row(row: &SqliteRow) -> StoreResult<FamilyContact> {
    let optional = |name: &str| row.try_get::<Option<String>, _>(name).map_err(from_sqlx);
    let responsibility: i64 = row.try_get("parental_responsibility").map_err(from_sqlx)?;
    Ok(FamilyContact {
        id: ContactId::from_uuid(id_from_row(row, "id")?),
        child_id: ChildId::from_uuid(id_from_row(row, "child_id")?),
        name: PersonName::parse(&row.try_get::<String, _>("name").map_err(from_sqlx)?)
            .map_err(corrupt)?,
        relationship: ShortText::from_stored(row.try_get("relationship").map_err(from_sqlx)?),
        email: optional("email")?
            .map(|email| Email::parse(&email).map_err(corrupt))
            .transpose()?,
        phone: optional("phone")?
            .map(|phone| PhoneNumber::parse(&phone).map_err(corrupt))
            .transpose()?,
        parental_responsibility: responsibility != 0,
    })
}

fn entry_from_row(row: &SqliteRow) -> StoreResult<ChronologyEntry> {
    Ok(ChronologyEntry {
        id: ChronologyEntryId::from_uuid(id_from_row(row, "id")?),
        child_id: ChildId::from_uuid(id_from_row(row, "child_id")?),
        occurred_at: time_from_text(&row.try_get::<String, _>("occurred_at").map_err(from_sqlx)?)?,
        actor_id: optional_id(row, "actor_id")?.map(UserId::from_uuid),
        kind: row.try_get("kind").map_err(from_sqlx)?,
        summary: row.try_get("summary").map_err(from_sqlx)?,
        note: row.try_get("note").map_err(from_sqlx)?,
    })
}

pub(crate) async fn insert_entry(
    conn: &mut SqliteConnection,
    entry: &ChronologyEntry,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO chronology_entries \
         (id, child_id, occurred_at, actor_id, kind, summary, note) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(entry.id.to_string())
    .bind(entry.child_id.to_string())
    .bind(time_to_text(entry.occurred_at))
    .bind(entry.actor_id.map(|id| id.to_string()))
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
async fn upsert_contact(conn: &mut SqliteConnection, contact: &FamilyContact) -> StoreResult<()> {
    let done = sqlx::query(
        "INSERT INTO family_contacts \
         (id, child_id, name, relationship, email, phone, parental_responsibility) \
         VALUES (?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
         relationship = excluded.relationship, email = excluded.email, \
         phone = excluded.phone, parental_responsibility = excluded.parental_responsibility \
         WHERE family_contacts.child_id = excluded.child_id",
    )
    .bind(contact.id.to_string())
    .bind(contact.child_id.to_string())
    .bind(contact.name.as_str())
    .bind(contact.relationship.as_str())
    .bind(contact.email.as_ref().map(Email::as_str))
    .bind(contact.phone.as_ref().map(PhoneNumber::as_str))
    .bind(i64::from(contact.parental_responsibility))
    .execute(conn)
    .await
    .map_err(from_sqlx)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

async fn insert_group_permissions(
    conn: &mut SqliteConnection,
    group: &PermissionGroup,
) -> StoreResult<()> {
    for permission in &group.permissions {
        sqlx::query(
            "INSERT INTO permission_group_permissions (group_id, permission) VALUES (?, ?)",
        )
        .bind(group.id.to_string())
        .bind(permission.code())
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    }
    Ok(())
}

#[async_trait]
impl CaseStore for SqliteStore {
    async fn insert_team(&self, team: &Team, effects: &Effects) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        sqlx::query("INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)")
            .bind(team.id.to_string())
            .bind(team.name.as_str())
            .bind(change_time(effects))
            .execute(&mut *tx)
            .await
            .map_err(name_write_error)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn teams(&self) -> StoreResult<Vec<Team>> {
        let rows = sqlx::query("SELECT id, name FROM teams ORDER BY name, id")
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter()
            .map(|row| {
                Ok(Team {
                    id: TeamId::from_uuid(id_from_row(row, "id")?),
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
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        sqlx::query("INSERT INTO permission_groups (id, name, created_at) VALUES (?, ?, ?)")
            .bind(group.id.to_string())
            .bind(group.name.as_str())
            .bind(change_time(effects))
            .execute(&mut *tx)
            .await
            .map_err(name_write_error)?;
        insert_group_permissions(&mut tx, group).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn update_permission_group(
        &self,
        group: &PermissionGroup,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query("UPDATE permission_groups SET name = ? WHERE id = ?")
            .bind(group.name.as_str())
            .bind(group.id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(name_write_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM permission_group_permissions WHERE group_id = ?")
            .bind(group.id.to_string())
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
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        let mut groups: Vec<PermissionGroup> = Vec::new();
        for row in &rows {
            let id = PermissionGroupId::from_uuid(id_from_row(row, "id")?);
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
        let account = membership.account_id.to_string();
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let staff = sqlx::query("SELECT 1 FROM accounts WHERE id = ? AND kind = 'staff'")
            .bind(&account)
            .fetch_optional(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        if staff.is_none() {
            return Err(StoreError::NotFound);
        }
        sqlx::query(
            "INSERT INTO staff_members (account_id, team_id, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (account_id) DO UPDATE SET team_id = excluded.team_id, \
             updated_at = excluded.updated_at",
        )
        .bind(&account)
        .bind(membership.team_id.map(|id| id.to_string()))
        .bind(change_time(effects))
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        sqlx::query("DELETE FROM staff_group_memberships WHERE account_id = ?")
            .bind(&account)
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        for group in &membership.groups {
            sqlx::query("INSERT INTO staff_group_memberships (account_id, group_id) VALUES (?, ?)")
                .bind(&account)
                .bind(group.to_string())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
        }
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn staff_membership(&self, account: UserId) -> StoreResult<Option<StaffMembership>> {
        let mut tx = self.reader.begin().await.map_err(from_sqlx)?;
        let Some(row) = sqlx::query("SELECT team_id FROM staff_members WHERE account_id = ?")
            .bind(account.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(from_sqlx)?
        else {
            return Ok(None);
        };
        let groups =
            sqlx::query("SELECT group_id FROM staff_group_memberships WHERE account_id = ?")
                .bind(account.to_string())
                .fetch_all(&mut *tx)
                .await
                .map_err(from_sqlx)?
                .iter()
                .map(|row| id_from_row(row, "group_id").map(PermissionGroupId::from_uuid))
                .collect::<StoreResult<BTreeSet<_>>>()?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(Some(StaffMembership {
            account_id: account,
            team_id: optional_id(&row, "team_id")?.map(TeamId::from_uuid),
            groups,
        }))
    }

    async fn staff_access(&self, account: UserId) -> StoreResult<Option<StaffAccess>> {
        let mut tx = self.reader.begin().await.map_err(from_sqlx)?;
        let Some(row) = sqlx::query(
            "SELECT a.staff_role, m.team_id FROM accounts a \
             LEFT JOIN staff_members m ON m.account_id = a.id \
             WHERE a.id = ? AND a.kind = 'staff'",
        )
        .bind(account.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(from_sqlx)?
        else {
            return Ok(None);
        };
        let permissions = sqlx::query(
            "SELECT DISTINCT p.permission FROM staff_group_memberships g \
             JOIN permission_group_permissions p ON p.group_id = g.group_id \
             WHERE g.account_id = ?",
        )
        .bind(account.to_string())
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
            team_id: optional_id(&row, "team_id")?.map(TeamId::from_uuid),
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
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        bind_child(
            sqlx::query(
                "INSERT INTO children \
                 (id, team_id, legal_first_name, legal_last_name, preferred_name, date_of_birth, \
                  sex, ethnicity, upn, uln, nhs_number, address_line_1, address_line_2, town, \
                  postcode, setting, primary_need, secondary_need, updated_at, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
                  ?17, ?18, ?19, ?20)",
            ),
            child,
        )
        .bind(time_to_text(child.created_at))
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
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done = bind_child(
            sqlx::query(
                "UPDATE children SET team_id = ?2, legal_first_name = ?3, legal_last_name = ?4, \
                 preferred_name = ?5, date_of_birth = ?6, sex = ?7, ethnicity = ?8, upn = ?9, \
                 uln = ?10, nhs_number = ?11, address_line_1 = ?12, address_line_2 = ?13, \
                 town = ?14, postcode = ?15, setting = ?16, primary_need = ?17, \
                 secondary_need = ?18, updated_at = ?19 \
                 WHERE id = ?1",
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
        let row = sqlx::query("SELECT * FROM children WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.reader)
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
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT * FROM children WHERE 1 = 1");
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
            sql.push(" AND date_of_birth = ")
                .push_bind(date_to_text(date));
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
            sql.push(" AND team_id IN (");
            let mut list = sql.separated(", ");
            for team in teams {
                list.push_bind(team.to_string());
            }
            sql.push(")");
        }
        sql.push(" ORDER BY lower(legal_last_name), lower(legal_first_name), id LIMIT ")
            .push_bind(i64::from(limit));
        let rows = sql
            .build()
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(child_from_row).collect()
    }

    async fn family_contacts(&self, child: ChildId) -> StoreResult<Vec<FamilyContact>> {
        let rows = sqlx::query(
            "SELECT * FROM family_contacts WHERE child_id = ? ORDER BY lower(name), id",
        )
        .bind(child.to_string())
        .fetch_all(&self.reader)
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
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
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
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query("DELETE FROM family_contacts WHERE id = ?")
            .bind(id.to_string())
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
            "SELECT * FROM chronology_entries WHERE child_id = ? \
             ORDER BY occurred_at DESC, id DESC LIMIT ?",
        )
        .bind(child.to_string())
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(entry_from_row).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_matched_literally() {
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        assert_eq!(normalised_identifier("943 476-5919"), "9434765919");
        assert_eq!(normalised_identifier(" a123 "), "A123");
    }

    #[test]
    fn dates_are_iso_text() {
        let date = time::macros::date!(2012 - 02 - 29);
        assert_eq!(date_to_text(date), "2012-02-29");
        assert_eq!(date_from_text("2012-02-29").ok(), Some(date));
        assert!(date_from_text("2013-02-29").is_err());
    }
}
