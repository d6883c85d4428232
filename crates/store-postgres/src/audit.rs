use async_trait::async_trait;
use send_domain::{
    Actor, AuditAction, AuditEvent, AuditEventId, AuditOutcome, AuditQuery, ChildId, Opener,
    RecordOpening, StaffRole, UnknownCode, UserId,
};
use send_store::{AuditStore, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, QueryBuilder, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::PgStore;
use crate::convert::{corrupt, from_sqlx};

/// Appends one event on an open connection, so other writes can share its transaction.
pub(crate) async fn insert(conn: &mut PgConnection, event: &AuditEvent) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_events \
         (id, occurred_at, actor_kind, actor_id, action, outcome, child_id, subject, detail, source) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(event.id.as_uuid())
    .bind(event.occurred_at)
    .bind(event.actor.kind())
    .bind(event.actor.user_id().map(|id| id.as_uuid()))
    .bind(event.action.code())
    .bind(event.outcome.code())
    .bind(event.child_id.map(|id| id.as_uuid()))
    .bind(event.subject.as_deref())
    .bind(event.detail.as_deref())
    .bind(event.source.as_deref())
    .execute(conn)
    .await
    .map_err(from_sqlx)?;
    Ok(())
}

fn from_row(row: &PgRow) -> StoreResult<AuditEvent> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    let optional = |name: &str| row.try_get::<Option<String>, _>(name).map_err(from_sqlx);
    let actor_id = row
        .try_get::<Option<Uuid>, _>("actor_id")
        .map_err(from_sqlx)?
        .map(UserId::from_uuid);
    Ok(AuditEvent {
        id: AuditEventId::from_uuid(row.try_get("id").map_err(from_sqlx)?),
        occurred_at: row
            .try_get::<OffsetDateTime, _>("occurred_at")
            .map_err(from_sqlx)?,
        actor: Actor::from_parts(&text("actor_kind")?, actor_id).map_err(corrupt)?,
        action: text("action")?.parse::<AuditAction>().map_err(corrupt)?,
        outcome: text("outcome")?.parse::<AuditOutcome>().map_err(corrupt)?,
        child_id: row
            .try_get::<Option<Uuid>, _>("child_id")
            .map_err(from_sqlx)?
            .map(ChildId::from_uuid),
        subject: optional("subject")?,
        detail: optional("detail")?,
        source: optional("source")?,
    })
}

/// `record_openings`: the events, their account and, for staff, their team:
/// staff who opened the child's record and professionals who opened its
/// dashboard (a professional only ever does so through a link to the child,
/// and links are never deleted). Each part reads only such openings, never
/// the family's own views, which grow with every visit: staff openings by
/// their own index (`audit_events_staff_openings`, migration 0024), and each
/// linked professional's dashboard views by their account's events
/// (`audit_events_by_actor`), which are few. `OFFSET 0` keeps the child's
/// condition out of the professional's subquery, so that PostgreSQL does not
/// read the child's events instead (which hold every view by the family).
const OPENINGS: &str = "SELECT e.occurred_at, a.kind, a.staff_role, a.job_role, a.organisation, \
     t.name AS team_name \
     FROM ( \
       SELECT * FROM ( \
         SELECT v.id, v.occurred_at, v.actor_id FROM audit_events v \
         JOIN accounts k ON k.id = v.actor_id AND k.kind = 'staff' \
         WHERE v.child_id = $1 AND v.action = 'child.viewed' AND v.occurred_at >= $2 \
         AND v.outcome = 'succeeded' \
         ORDER BY v.occurred_at DESC, v.id DESC LIMIT $3) staff_views \
       UNION ALL \
       SELECT p.id, p.occurred_at, p.actor_id FROM portal_links l \
       JOIN accounts k ON k.id = l.account_id AND k.kind = 'professional' \
       CROSS JOIN LATERAL ( \
         SELECT v.id, v.occurred_at, v.actor_id, v.child_id FROM audit_events v \
         WHERE v.actor_id = l.account_id AND v.action = 'dashboard.viewed' \
         AND v.occurred_at >= $2 AND v.outcome = 'succeeded' OFFSET 0) p \
       WHERE l.child_id = $1 AND p.child_id = l.child_id) e \
     JOIN accounts a ON a.id = e.actor_id \
     LEFT JOIN staff_members s ON s.account_id = a.id \
     LEFT JOIN teams t ON t.id = s.team_id \
     ORDER BY e.occurred_at DESC, e.id DESC LIMIT $3";

/// Who opened a child's record since `since` (see
/// [`AuditStore::record_openings`]), on an open connection.
pub(crate) async fn record_openings(
    conn: &mut PgConnection,
    child: ChildId,
    since: OffsetDateTime,
    limit: u32,
) -> StoreResult<Vec<RecordOpening>> {
    let rows = sqlx::query(OPENINGS)
        .bind(child.as_uuid())
        .bind(since)
        .bind(i64::from(limit))
        .fetch_all(conn)
        .await
        .map_err(from_sqlx)?;
    rows.iter().map(opening_from_row).collect()
}

fn opening_from_row(row: &PgRow) -> StoreResult<RecordOpening> {
    let optional = |name: &str| row.try_get::<Option<String>, _>(name).map_err(from_sqlx);
    let kind = row.try_get::<String, _>("kind").map_err(from_sqlx)?;
    let opener = match (
        kind.as_str(),
        optional("staff_role")?,
        optional("organisation")?,
    ) {
        ("staff", Some(role), _) => Opener::Staff {
            role: StaffRole::parse_code(&role).map_err(corrupt)?,
            team: optional("team_name")?,
        },
        ("professional", _, Some(organisation)) => Opener::Professional {
            job_role: optional("job_role")?,
            organisation,
        },
        _ => return Err(corrupt(UnknownCode(format!("opener {kind}")))),
    };
    Ok(RecordOpening {
        occurred_at: row
            .try_get::<OffsetDateTime, _>("occurred_at")
            .map_err(from_sqlx)?,
        opener,
    })
}

#[async_trait]
impl AuditStore for PgStore {
    #[tracing::instrument(level = "debug", name = "store.record_audit_event", skip_all)]
    async fn record_audit_event(&self, event: &AuditEvent) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(from_sqlx)?;
        insert(&mut conn, event).await
    }

    #[tracing::instrument(level = "debug", name = "store.search_audit_events", skip_all)]
    async fn search_audit_events(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEvent>> {
        let mut sql: QueryBuilder<Postgres> =
            QueryBuilder::new("SELECT * FROM audit_events WHERE TRUE");
        if let Some(child) = query.child_id {
            sql.push(" AND child_id = ").push_bind(child.as_uuid());
        }
        if let Some(user) = query.user_id {
            sql.push(" AND actor_id = ").push_bind(user.as_uuid());
        }
        if let Some(action) = query.action {
            // Written in rather than bound (the code is one of the app's own,
            // from a closed list): a prepared statement's generic plan can use
            // a partial index (migration 0024) only if the query's own terms
            // say the index's condition.
            sql.push(format!(" AND action = '{}'", action.code()));
        }
        if let Some(person) = query.person {
            // `audit_events_about_accounts` holds only events about accounts.
            sql.push(" AND (actor_id = ")
                .push_bind(person.as_uuid())
                .push(" OR (subject = ")
                .push_bind(format!("account:{person}"))
                .push(" AND subject LIKE 'account:%'))");
        }
        if let Some(outcome) = query.outcome {
            sql.push(" AND outcome = ").push_bind(outcome.code());
        }
        if let Some(from) = query.from {
            sql.push(" AND occurred_at >= ").push_bind(from);
        }
        if let Some(until) = query.until {
            sql.push(" AND occurred_at < ").push_bind(until);
        }
        if let Some(before) = query.before {
            sql.push(" AND (occurred_at < ")
                .push_bind(before.occurred_at)
                .push(" OR (occurred_at = ")
                .push_bind(before.occurred_at)
                .push(" AND id < ")
                .push_bind(before.id.as_uuid())
                .push("))");
        }
        sql.push(" ORDER BY occurred_at DESC, id DESC LIMIT ")
            .push_bind(i64::from(query.limit));
        let rows = sql.build().fetch_all(&self.pool).await.map_err(from_sqlx)?;
        rows.iter().map(from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.record_openings", skip_all)]
    async fn record_openings(
        &self,
        child: ChildId,
        since: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<RecordOpening>> {
        let mut conn = self.pool.acquire().await.map_err(from_sqlx)?;
        record_openings(&mut conn, child, since, limit).await
    }
}
