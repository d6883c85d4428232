//! The back office on SQLite: teams, permission groups, staff membership,
//! children, family contacts and chronologies (reads; the writes are in
//! `writes::cases`).

use std::collections::BTreeSet;

use async_trait::async_trait;
use rusqlite::Transaction;
use send_domain::{
    Child, ChildId, ChildSearch, FamilyContact, Permission, PermissionGroupId, StaffAccess,
    StaffRole, TeamId, UserId,
};
use send_store::{CaseStore, ChronologyEntry, PermissionGroup, StaffMembership, StoreResult, Team};

use crate::SqliteStore;
use crate::columns::{id_list, numbered, query_first, query_rows};
use crate::convert::{corrupt, date_to_text};
use crate::rows::{
    child_from_row, contact_from_row, entry_from_row, optional_text, optional_uuid, text, uuid,
};

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

/// The permissions `account`'s groups give, in the caller's read.
fn permissions_of(tx: &Transaction<'_>, account: &str) -> StoreResult<BTreeSet<Permission>> {
    query_rows(
        tx,
        "SELECT DISTINCT p.permission FROM staff_group_memberships g \
         JOIN permission_group_permissions p ON p.group_id = g.group_id \
         WHERE g.account_id = $1",
        numbered(&[&account]).as_slice(),
        |row| {
            text(row, "permission")?
                .parse::<Permission>()
                .map_err(corrupt)
        },
    )
    .map(|found| found.into_iter().collect())
}

/// The ids (column `id`) `sql` finds, in the caller's read.
fn ids(tx: &Transaction<'_>, sql: &str) -> StoreResult<Vec<uuid::Uuid>> {
    query_rows(tx, sql, [], |row| uuid(row, "id"))
}

#[async_trait]
impl CaseStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.teams", skip_all)]
    async fn teams(&self) -> StoreResult<Vec<Team>> {
        self.blocking
            .read(|tx| {
                query_rows(
                    tx,
                    "SELECT id, name FROM teams ORDER BY name, id",
                    [],
                    |row| {
                        Ok(Team {
                            id: TeamId::from_uuid(uuid(row, "id")?),
                            name: text(row, "name")?,
                        })
                    },
                )
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.teams_in_use", skip_all)]
    async fn teams_in_use(&self) -> StoreResult<Vec<TeamId>> {
        let found = self
            .blocking
            .read(|tx| {
                ids(
                    tx,
                    "SELECT id FROM teams t WHERE \
                     EXISTS (SELECT 1 FROM staff_members m WHERE m.team_id = t.id) \
                     OR EXISTS (SELECT 1 FROM children c WHERE c.team_id = t.id) \
                     OR EXISTS (SELECT 1 FROM staff_setup_links l \
                                WHERE l.team_id = t.id AND l.used_at IS NULL) \
                     ORDER BY id",
                )
            })
            .await?;
        Ok(found.into_iter().map(TeamId::from_uuid).collect())
    }

    #[tracing::instrument(level = "debug", name = "store.permission_groups_in_use", skip_all)]
    async fn permission_groups_in_use(&self) -> StoreResult<Vec<PermissionGroupId>> {
        let found = self
            .blocking
            .read(|tx| {
                ids(
                    tx,
                    "SELECT id FROM permission_groups g WHERE \
                     EXISTS (SELECT 1 FROM staff_group_memberships m WHERE m.group_id = g.id) \
                     OR EXISTS (SELECT 1 FROM staff_setup_link_groups lg \
                                JOIN staff_setup_links l ON l.id = lg.link_id \
                                WHERE lg.group_id = g.id AND l.used_at IS NULL) \
                     ORDER BY id",
                )
            })
            .await?;
        Ok(found
            .into_iter()
            .map(PermissionGroupId::from_uuid)
            .collect())
    }

    #[tracing::instrument(level = "debug", name = "store.permission_groups", skip_all)]
    async fn permission_groups(&self) -> StoreResult<Vec<PermissionGroup>> {
        self.blocking
            .read(|tx| {
                let mut groups: Vec<PermissionGroup> = Vec::new();
                query_rows(
                    tx,
                    "SELECT g.id, g.name, p.permission FROM permission_groups g \
                     LEFT JOIN permission_group_permissions p ON p.group_id = g.id \
                     ORDER BY g.name, g.id",
                    [],
                    |row| {
                        let id = PermissionGroupId::from_uuid(uuid(row, "id")?);
                        if groups.last().is_none_or(|g| g.id != id) {
                            groups.push(PermissionGroup {
                                id,
                                name: text(row, "name")?,
                                permissions: BTreeSet::new(),
                            });
                        }
                        if let (Some(code), Some(group)) =
                            (optional_text(row, "permission")?, groups.last_mut())
                        {
                            group
                                .permissions
                                .insert(code.parse::<Permission>().map_err(corrupt)?);
                        }
                        Ok(())
                    },
                )?;
                Ok(groups)
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.staff_membership", skip_all)]
    async fn staff_membership(&self, account: UserId) -> StoreResult<Option<StaffMembership>> {
        self.blocking
            .read(move |tx| {
                let id = account.to_string();
                let Some(team_id) = query_first(
                    tx,
                    "SELECT team_id FROM staff_members WHERE account_id = $1",
                    numbered(&[&id]).as_slice(),
                    |row| optional_uuid(row, "team_id"),
                )?
                else {
                    return Ok(None);
                };
                let groups = query_rows(
                    tx,
                    "SELECT group_id FROM staff_group_memberships WHERE account_id = $1",
                    numbered(&[&id]).as_slice(),
                    |row| uuid(row, "group_id").map(PermissionGroupId::from_uuid),
                )?;
                Ok(Some(StaffMembership {
                    account_id: account,
                    team_id: team_id.map(TeamId::from_uuid),
                    groups: groups.into_iter().collect(),
                }))
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.staff_access", skip_all)]
    async fn staff_access(&self, account: UserId) -> StoreResult<Option<StaffAccess>> {
        // On rusqlite (`blocking_reads`): every back-office page asks.
        self.blocking
            .read(move |tx| {
                let id = account.to_string();
                let Some((role, team_id)) = query_first(
                    tx,
                    "SELECT a.staff_role, m.team_id FROM accounts a \
                     LEFT JOIN staff_members m ON m.account_id = a.id \
                     WHERE a.id = $1 AND a.kind = 'staff'",
                    numbered(&[&id]).as_slice(),
                    |row| Ok((text(row, "staff_role")?, optional_uuid(row, "team_id")?)),
                )?
                else {
                    return Ok(None);
                };
                Ok(Some(StaffAccess {
                    account_id: account,
                    role: StaffRole::parse_code(&role).map_err(corrupt)?,
                    team_id: team_id.map(TeamId::from_uuid),
                    permissions: permissions_of(tx, &id)?,
                }))
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.child", skip_all)]
    async fn child(&self, id: ChildId) -> StoreResult<Option<Child>> {
        // On rusqlite (`blocking_reads`): the access check of every page of a child.
        self.blocking
            .read(move |tx| {
                query_first(
                    tx,
                    "SELECT * FROM children WHERE id = $1",
                    numbered(&[&id.to_string()]).as_slice(),
                    |row| child_from_row(row),
                )
            })
            .await
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
        let (sql, binds) = search_sql(search, teams, limit);
        self.blocking
            .read(move |tx| {
                query_rows(tx, &sql, rusqlite::params_from_iter(&binds), |row| {
                    child_from_row(row)
                })
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.family_contacts", skip_all)]
    async fn family_contacts(&self, child: ChildId) -> StoreResult<Vec<FamilyContact>> {
        self.blocking
            .read(move |tx| {
                query_rows(
                    tx,
                    "SELECT * FROM family_contacts WHERE child_id = $1 ORDER BY lower(name), id",
                    numbered(&[&child.to_string()]).as_slice(),
                    |row| contact_from_row(row),
                )
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.chronology", skip_all)]
    async fn chronology(&self, child: ChildId, limit: u32) -> StoreResult<Vec<ChronologyEntry>> {
        self.blocking
            .read(move |tx| {
                query_rows(
                    tx,
                    "SELECT * FROM chronology_entries WHERE child_id = $1 \
                     ORDER BY occurred_at DESC, id DESC LIMIT $2",
                    numbered(&[&child.to_string(), &i64::from(limit)]).as_slice(),
                    |row| entry_from_row(row),
                )
            })
            .await
    }
}

/// The statement finding the children `search` describes among `teams` (all
/// if `None`), and its values in order (`?` placeholders): only the parts
/// the search fills in, so each part's index can serve it.
fn search_sql(search: &ChildSearch, teams: Option<&[TeamId]>, limit: u32) -> (String, Vec<String>) {
    let mut sql = String::from("SELECT * FROM children WHERE 1 = 1");
    let mut binds = Vec::new();
    if let Some(name) = &search.name {
        let pattern = contains_pattern(name.trim());
        sql.push_str(
            " AND (lower(legal_first_name) LIKE lower(?) ESCAPE '\\' \
             OR lower(legal_last_name) LIKE lower(?) ESCAPE '\\' \
             OR lower(preferred_name) LIKE lower(?) ESCAPE '\\')",
        );
        binds.extend([pattern.clone(), pattern.clone(), pattern]);
    }
    if let Some(date) = search.date_of_birth {
        sql.push_str(" AND date_of_birth = ?");
        binds.push(date_to_text(date));
    }
    if let Some(identifier) = &search.identifier {
        let identifier = normalised_identifier(identifier);
        sql.push_str(" AND (upn = ? OR uln = ? OR nhs_number = ?)");
        binds.extend([identifier.clone(), identifier.clone(), identifier]);
    }
    if let Some(postcode) = &search.postcode {
        sql.push_str(" AND postcode = ?");
        binds.push(postcode.as_str().to_owned());
    }
    if let Some(teams) = teams {
        sql.push_str(" AND team_id IN (SELECT value FROM json_each(?))");
        binds.push(id_list(teams));
    }
    // The limit is the app's number, written in (a bound value would be text).
    sql.push_str(" ORDER BY lower(legal_last_name), lower(legal_first_name), id LIMIT ");
    sql.push_str(&limit.to_string());
    (sql, binds)
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
