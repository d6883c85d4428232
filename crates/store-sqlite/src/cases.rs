//! The back office on SQLite: teams, permission groups, staff membership,
//! children, family contacts and chronologies (reads; the writes are in
//! `writes::cases`).

use std::collections::BTreeSet;

use async_trait::async_trait;
use send_domain::{
    Child, ChildId, ChildSearch, FamilyContact, Permission, PermissionGroupId, StaffAccess,
    StaffRole, TeamId, UserId,
};
use send_store::{CaseStore, ChronologyEntry, PermissionGroup, StaffMembership, StoreResult, Team};
use sqlx::{QueryBuilder, Row, Sqlite};

use crate::SqliteStore;
use crate::columns::{numbered, query_rows};
use crate::convert::{corrupt, date_to_text, from_sqlx};
use crate::rows::{child_from_row, contact_from_row, entry_from_row, optional_uuid, uuid};

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` taken literally
/// (the query says `ESCAPE '\'`).
pub(crate) fn contains_pattern(text: &str) -> String {
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

#[async_trait]
impl CaseStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.teams", skip_all)]
    async fn teams(&self) -> StoreResult<Vec<Team>> {
        let rows = sqlx::query("SELECT id, name FROM teams ORDER BY name, id")
            .fetch_all(&self.reader)
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

    #[tracing::instrument(level = "debug", name = "store.teams_in_use", skip_all)]
    async fn teams_in_use(&self) -> StoreResult<Vec<TeamId>> {
        let rows = sqlx::query(
            "SELECT id FROM teams t WHERE \
             EXISTS (SELECT 1 FROM staff_members m WHERE m.team_id = t.id) \
             OR EXISTS (SELECT 1 FROM children c WHERE c.team_id = t.id) \
             OR EXISTS (SELECT 1 FROM staff_setup_links l \
                        WHERE l.team_id = t.id AND l.used_at IS NULL) \
             ORDER BY id",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter()
            .map(|row| Ok(TeamId::from_uuid(uuid(row, "id")?)))
            .collect()
    }

    #[tracing::instrument(level = "debug", name = "store.permission_groups_in_use", skip_all)]
    async fn permission_groups_in_use(&self) -> StoreResult<Vec<PermissionGroupId>> {
        let rows = sqlx::query(
            "SELECT id FROM permission_groups g WHERE \
             EXISTS (SELECT 1 FROM staff_group_memberships m WHERE m.group_id = g.id) \
             OR EXISTS (SELECT 1 FROM staff_setup_link_groups lg \
                        JOIN staff_setup_links l ON l.id = lg.link_id \
                        WHERE lg.group_id = g.id AND l.used_at IS NULL) \
             ORDER BY id",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter()
            .map(|row| Ok(PermissionGroupId::from_uuid(uuid(row, "id")?)))
            .collect()
    }

    #[tracing::instrument(level = "debug", name = "store.permission_groups", skip_all)]
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

    #[tracing::instrument(level = "debug", name = "store.staff_membership", skip_all)]
    async fn staff_membership(&self, account: UserId) -> StoreResult<Option<StaffMembership>> {
        let mut tx = self.reader.begin().await.map_err(from_sqlx)?;
        let Some(row) = sqlx::query("SELECT team_id FROM staff_members WHERE account_id = $1")
            .bind(account.to_string())
            .fetch_optional(&mut *tx)
            .await
            .map_err(from_sqlx)?
        else {
            return Ok(None);
        };
        let groups =
            sqlx::query("SELECT group_id FROM staff_group_memberships WHERE account_id = $1")
                .bind(account.to_string())
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

    #[tracing::instrument(level = "debug", name = "store.staff_access", skip_all)]
    async fn staff_access(&self, account: UserId) -> StoreResult<Option<StaffAccess>> {
        let mut tx = self.reader.begin().await.map_err(from_sqlx)?;
        let Some(row) = sqlx::query(
            "SELECT a.staff_role, m.team_id FROM accounts a \
             LEFT JOIN staff_members m ON m.account_id = a.id \
             WHERE a.id = $1 AND a.kind = 'staff'",
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
             WHERE g.account_id = $1",
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
            team_id: optional_uuid(&row, "team_id")?.map(TeamId::from_uuid),
            permissions,
        }))
    }

    #[tracing::instrument(level = "debug", name = "store.child", skip_all)]
    async fn child(&self, id: ChildId) -> StoreResult<Option<Child>> {
        // On rusqlite (`blocking_reads`): the access check of every page of a child.
        let mut found = self
            .blocking
            .read(move |tx| {
                query_rows(
                    tx,
                    "SELECT * FROM children WHERE id = $1",
                    numbered(&[&id.to_string()]).as_slice(),
                    |row| child_from_row(row),
                )
            })
            .await?;
        Ok(found.pop())
    }

    #[tracing::instrument(level = "debug", name = "store.search_children", skip_all)]
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

    #[tracing::instrument(level = "debug", name = "store.family_contacts", skip_all)]
    async fn family_contacts(&self, child: ChildId) -> StoreResult<Vec<FamilyContact>> {
        let rows = sqlx::query(
            "SELECT * FROM family_contacts WHERE child_id = $1 ORDER BY lower(name), id",
        )
        .bind(child.to_string())
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(contact_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.chronology", skip_all)]
    async fn chronology(&self, child: ChildId, limit: u32) -> StoreResult<Vec<ChronologyEntry>> {
        let rows = sqlx::query(
            "SELECT * FROM chronology_entries WHERE child_id = $1 \
             ORDER BY occurred_at DESC, id DESC LIMIT $2",
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
}
