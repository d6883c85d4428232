use async_trait::async_trait;
use send_domain::{
    Actor, AuditAction, AuditEvent, AuditEventId, AuditOutcome, AuditQuery, ChildId, UserId,
};
use send_store::{AuditStore, StoreResult};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use crate::SqliteStore;
use crate::convert::{corrupt, from_sqlx, time_from_text, time_to_text, uuid_from_text};

/// Appends one event on an open connection, so other writes can share its transaction.
pub(crate) async fn insert(conn: &mut SqliteConnection, event: &AuditEvent) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_events \
         (id, occurred_at, actor_kind, actor_id, action, outcome, child_id, subject, detail, source) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(event.id.to_string())
    .bind(time_to_text(event.occurred_at))
    .bind(event.actor.kind())
    .bind(event.actor.user_id().map(|id| id.to_string()))
    .bind(event.action.code())
    .bind(event.outcome.code())
    .bind(event.child_id.map(|id| id.to_string()))
    .bind(event.subject.as_deref())
    .bind(event.detail.as_deref())
    .bind(event.source.as_deref())
    .execute(conn)
    .await
    .map_err(from_sqlx)?;
    Ok(())
}

fn from_row(row: &SqliteRow) -> StoreResult<AuditEvent> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    let optional = |name: &str| row.try_get::<Option<String>, _>(name).map_err(from_sqlx);
    let actor_id = optional("actor_id")?
        .map(|id| uuid_from_text(&id).map(UserId::from_uuid))
        .transpose()?;
    Ok(AuditEvent {
        id: AuditEventId::from_uuid(uuid_from_text(&text("id")?)?),
        occurred_at: time_from_text(&text("occurred_at")?)?,
        actor: Actor::from_parts(&text("actor_kind")?, actor_id).map_err(corrupt)?,
        action: text("action")?.parse::<AuditAction>().map_err(corrupt)?,
        outcome: text("outcome")?.parse::<AuditOutcome>().map_err(corrupt)?,
        child_id: optional("child_id")?
            .map(|id| uuid_from_text(&id).map(ChildId::from_uuid))
            .transpose()?,
        subject: optional("subject")?,
        detail: optional("detail")?,
        source: optional("source")?,
    })
}

#[async_trait]
impl AuditStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.record_audit_event", skip_all)]
    async fn record_audit_event(&self, event: &AuditEvent) -> StoreResult<()> {
        let mut conn = self.writer.acquire().await.map_err(from_sqlx)?;
        insert(&mut conn, event).await
    }

    #[tracing::instrument(level = "debug", name = "store.search_audit_events", skip_all)]
    async fn search_audit_events(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEvent>> {
        let mut sql: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT * FROM audit_events WHERE 1 = 1");
        if let Some(child) = query.child_id {
            sql.push(" AND child_id = ").push_bind(child.to_string());
        }
        if let Some(user) = query.user_id {
            sql.push(" AND actor_id = ").push_bind(user.to_string());
        }
        if let Some(action) = query.action {
            sql.push(" AND action = ").push_bind(action.code());
        }
        sql.push(" ORDER BY occurred_at DESC, id DESC LIMIT ")
            .push_bind(i64::from(query.limit));
        let rows = sql
            .build()
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(from_row).collect()
    }
}
