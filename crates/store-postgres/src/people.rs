//! People on PostgreSQL: staff and portal accounts with whether each may sign in.

use std::collections::BTreeMap;

use async_trait::async_trait;
use send_domain::{AccountStatus, PermissionGroupId, TeamId, UserId};
use send_store::{PeopleStore, Person, StaffMembership, StoreResult};
use sqlx::postgres::PgRow;
use time::OffsetDateTime;

use crate::PgStore;
use crate::accounts::account_from_row;
use crate::cases::contains_pattern;
use crate::convert::{corrupt, from_sqlx};
use crate::rows::{optional_text, optional_time, optional_uuid, text, uuid};

fn person_from_row(row: &PgRow) -> StoreResult<Person> {
    Ok(Person {
        account: account_from_row(row)?,
        status: AccountStatus::parse_code(&text(row, "status")?).map_err(corrupt)?,
        status_reason: optional_text(row, "status_reason")?,
        status_changed_at: optional_time(row, "status_changed_at")?,
    })
}

#[async_trait]
impl PeopleStore for PgStore {
    #[tracing::instrument(level = "debug", name = "store.staff_people", skip_all)]
    async fn staff_people(&self) -> StoreResult<Vec<Person>> {
        sqlx::query("SELECT * FROM accounts WHERE kind = 'staff' ORDER BY name, id")
            .fetch_all(&self.pool)
            .await
            .map_err(from_sqlx)?
            .iter()
            .map(person_from_row)
            .collect()
    }

    #[tracing::instrument(level = "debug", name = "store.portal_people", skip_all)]
    async fn portal_people(&self, search: &str, limit: u32) -> StoreResult<Vec<Person>> {
        let pattern = contains_pattern(search.trim());
        sqlx::query(
            "SELECT * FROM accounts WHERE kind IN ('citizen', 'professional') \
             AND (lower(name) LIKE lower($1) ESCAPE '\\' OR lower(email) LIKE lower($2) ESCAPE '\\') \
             ORDER BY name, id LIMIT $3",
        )
        .bind(&pattern)
        .bind(&pattern)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?
        .iter()
        .map(person_from_row)
        .collect()
    }

    #[tracing::instrument(level = "debug", name = "store.person", skip_all)]
    async fn person(&self, id: UserId) -> StoreResult<Option<Person>> {
        sqlx::query("SELECT * FROM accounts WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?
            .as_ref()
            .map(person_from_row)
            .transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.staff_last_sign_ins", skip_all)]
    async fn staff_last_sign_ins(&self) -> StoreResult<BTreeMap<UserId, OffsetDateTime>> {
        let rows = sqlx::query(
            "SELECT a.id AS account_id, (SELECT e.occurred_at FROM audit_events e \
             WHERE e.actor_id = a.id AND e.action = 'sign_in.completed' AND e.outcome = 'succeeded' \
             ORDER BY e.occurred_at DESC LIMIT 1) AS signed_in_at \
             FROM accounts a WHERE a.kind = 'staff'",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(from_sqlx)?;
        let mut last = BTreeMap::new();
        for row in &rows {
            if let Some(at) = optional_time(row, "signed_in_at")? {
                last.insert(UserId::from_uuid(uuid(row, "account_id")?), at);
            }
        }
        Ok(last)
    }

    #[tracing::instrument(level = "debug", name = "store.staff_memberships", skip_all)]
    async fn staff_memberships(&self) -> StoreResult<Vec<StaffMembership>> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let mut memberships = BTreeMap::new();
        for row in sqlx::query("SELECT account_id, team_id FROM staff_members")
            .fetch_all(&mut *tx)
            .await
            .map_err(from_sqlx)?
        {
            let account_id = UserId::from_uuid(uuid(&row, "account_id")?);
            memberships.insert(
                account_id,
                StaffMembership {
                    account_id,
                    team_id: optional_uuid(&row, "team_id")?.map(TeamId::from_uuid),
                    groups: std::collections::BTreeSet::new(),
                },
            );
        }
        for row in sqlx::query("SELECT account_id, group_id FROM staff_group_memberships")
            .fetch_all(&mut *tx)
            .await
            .map_err(from_sqlx)?
        {
            let account_id = UserId::from_uuid(uuid(&row, "account_id")?);
            if let Some(membership) = memberships.get_mut(&account_id) {
                membership
                    .groups
                    .insert(PermissionGroupId::from_uuid(uuid(&row, "group_id")?));
            }
        }
        tx.commit().await.map_err(from_sqlx)?;
        Ok(memberships.into_values().collect())
    }
}
