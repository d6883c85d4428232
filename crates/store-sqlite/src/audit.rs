use async_trait::async_trait;
use send_domain::{
    Actor, AuditAction, AuditEvent, AuditEventId, AuditOutcome, AuditQuery, ChildId, Opener,
    RecordOpening, StaffRole, UnknownCode, UserId,
};
use send_store::{AuditStore, StoreResult};
use sqlx::SqliteConnection;
use time::OffsetDateTime;

use rusqlite::Transaction;

use crate::SqliteStore;
use crate::columns::{Columns, numbered, query_rows};
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

fn from_row(row: &impl Columns) -> StoreResult<AuditEvent> {
    let text = |name: &str| row.text(name);
    let optional = |name: &str| row.optional_text(name);
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

/// `record_openings`: the events, their account and, for staff, their team:
/// staff who opened the child's record and professionals who opened its
/// dashboard (a professional only ever does so through a link to the child,
/// and links are never deleted). Each part reads only such openings, never
/// the family's own views, which grow with every visit: staff openings by
/// their own index (`audit_events_staff_openings`, migration 0024), and each
/// linked professional's dashboard views by their account's events
/// (`audit_events_by_actor`), which are few. `CROSS JOIN` keeps SQLite's join
/// order, from the child's links to their professionals' events, and `+` keeps
/// it off the child's index (without statistics it could read every dashboard
/// view of the child).
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
       SELECT v.id, v.occurred_at, v.actor_id FROM portal_links l \
       CROSS JOIN accounts k CROSS JOIN audit_events v \
       WHERE l.child_id = $1 AND k.id = l.account_id AND k.kind = 'professional' \
       AND v.actor_id = l.account_id AND +v.child_id = l.child_id \
       AND v.action = 'dashboard.viewed' AND v.occurred_at >= $2 \
       AND v.outcome = 'succeeded') e \
     JOIN accounts a ON a.id = e.actor_id \
     LEFT JOIN staff_members s ON s.account_id = a.id \
     LEFT JOIN teams t ON t.id = s.team_id \
     ORDER BY e.occurred_at DESC, e.id DESC LIMIT $3";

/// Who opened a child's record since `since` (see
/// [`AuditStore::record_openings`]), in the caller's read.
pub(crate) fn record_openings(
    tx: &Transaction<'_>,
    child: ChildId,
    since: OffsetDateTime,
    limit: u32,
) -> StoreResult<Vec<RecordOpening>> {
    query_rows(
        tx,
        OPENINGS,
        numbered(&[&child.to_string(), &time_to_text(since), &i64::from(limit)]).as_slice(),
        |row| opening_from_row(row),
    )
}

fn opening_from_row(row: &impl Columns) -> StoreResult<RecordOpening> {
    let kind = row.text("kind")?;
    let opener = match (
        kind.as_str(),
        row.optional_text("staff_role")?,
        row.optional_text("organisation")?,
    ) {
        ("staff", Some(role), _) => Opener::Staff {
            role: StaffRole::parse_code(&role).map_err(corrupt)?,
            team: row.optional_text("team_name")?,
        },
        ("professional", _, Some(organisation)) => Opener::Professional {
            job_role: row.optional_text("job_role")?,
            organisation,
        },
        _ => return Err(corrupt(UnknownCode(format!("opener {kind}")))),
    };
    Ok(RecordOpening {
        occurred_at: time_from_text(&row.text("occurred_at")?)?,
        opener,
    })
}

#[async_trait]
impl AuditStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.record_audit_event", skip_all)]
    async fn record_audit_event(&self, event: &AuditEvent) -> StoreResult<()> {
        // Written with the other events waiting for the writer, in one
        // transaction; returns once this one is committed.
        self.audit_queue.record(&self.writer, event).await
    }

    #[tracing::instrument(level = "debug", name = "store.search_audit_events", skip_all)]
    async fn search_audit_events(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEvent>> {
        let (sql, binds) = search_sql(query);
        self.blocking
            .read(move |tx| {
                query_rows(tx, &sql, rusqlite::params_from_iter(&binds), |row| {
                    from_row(row)
                })
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.record_openings", skip_all)]
    async fn record_openings(
        &self,
        child: ChildId,
        since: OffsetDateTime,
        limit: u32,
    ) -> StoreResult<Vec<RecordOpening>> {
        self.blocking
            .read(move |tx| record_openings(tx, child, since, limit))
            .await
    }
}

/// The search's condition on the action, written in rather than bound (the
/// code is one of the app's own, from a closed list): SQLite reads a partial
/// index (migration 0024) only for a query whose own terms say the index's
/// condition. With an account or a child to search by, the action is checked
/// row by row (`+`), so that SQLite reads that account's or child's events
/// rather than every event of the action (it has no statistics to tell which is
/// fewer); sign-ins have an index of their own by account.
fn action_term(query: &AuditQuery, action: AuditAction) -> String {
    let narrower = query.child_id.is_some() || query.user_id.is_some() || query.person.is_some();
    let plus = if narrower && action != AuditAction::SignedIn {
        "+"
    } else {
        ""
    };
    format!(" AND {plus}action = '{}'", action.code())
}

/// The statement finding the events `query` describes, and its values in
/// order (`?` placeholders): only the parts the query fills in, so each
/// part's index can serve it.
fn search_sql(query: &AuditQuery) -> (String, Vec<String>) {
    let mut sql = String::from("SELECT * FROM audit_events WHERE 1 = 1");
    let mut binds = Vec::new();
    let mut and = |part: &str, values: &[String]| {
        sql.push_str(part);
        binds.extend_from_slice(values);
    };
    if let Some(child) = query.child_id {
        and(" AND child_id = ?", &[child.to_string()]);
    }
    if let Some(user) = query.user_id {
        and(" AND actor_id = ?", &[user.to_string()]);
    }
    if let Some(action) = query.action {
        and(&action_term(query, action), &[]);
    }
    if let Some(person) = query.person {
        // `audit_events_about_accounts` holds only events about accounts:
        // its condition must be in the query for SQLite to read it.
        and(
            " AND (actor_id = ? OR (subject = ? AND subject LIKE 'account:%'))",
            &[person.to_string(), format!("account:{person}")],
        );
    }
    if let Some(outcome) = query.outcome {
        and(" AND outcome = ?", &[outcome.code().to_owned()]);
    }
    if let Some(from) = query.from {
        and(" AND occurred_at >= ?", &[time_to_text(from)]);
    }
    if let Some(until) = query.until {
        and(" AND occurred_at < ?", &[time_to_text(until)]);
    }
    if let Some(before) = query.before {
        let at = time_to_text(before.occurred_at);
        and(
            " AND (occurred_at < ? OR (occurred_at = ? AND id < ?))",
            &[at.clone(), at, before.id.to_string()],
        );
    }
    // The limit is the app's number, written in (a bound value would be text).
    sql.push_str(" ORDER BY occurred_at DESC, id DESC LIMIT ");
    sql.push_str(&query.limit.to_string());
    (sql, binds)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database with every migration, as the portal's store makes it.
    fn migrated() -> rusqlite::Connection {
        let conn = rusqlite::Connection::open_in_memory().expect("an in-memory database");
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("the migrations")
            .map(|entry| entry.expect("a migration").path())
            .collect();
        files.sort();
        for file in files {
            let sql = std::fs::read_to_string(&file).expect("a migration's text");
            conn.execute_batch(&sql)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        }
        conn
    }

    /// The indexes SQLite's plan of `sql` reads, with `binds` bound in order.
    fn indexes_read(
        conn: &rusqlite::Connection,
        sql: &str,
        binds: &[&dyn rusqlite::ToSql],
    ) -> Vec<String> {
        let mut statement = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("a plan");
        let details = statement
            .query_map(binds, |row| row.get::<_, String>(3))
            .expect("the plan's rows")
            .collect::<Result<Vec<_>, _>>()
            .expect("the plan's details");
        details
            .iter()
            .filter_map(|d| d.split(" INDEX ").nth(1))
            .filter_map(|rest| rest.split_whitespace().next())
            .map(str::to_owned)
            .collect()
    }

    fn search_reads(conn: &rusqlite::Connection, query: &AuditQuery) -> Vec<String> {
        let (sql, binds) = search_sql(query);
        let binds: Vec<&dyn rusqlite::ToSql> =
            binds.iter().map(|b| b as &dyn rusqlite::ToSql).collect();
        indexes_read(conn, &sql, &binds)
    }

    /// Migration 0024's partial indexes serve the reads they were made for,
    /// and no read of an account's or a child's events goes through every
    /// event of a kind or every view of the child.
    #[test]
    fn the_audit_logs_reads_use_the_narrow_indexes() {
        let conn = migrated();
        let account = UserId::from_uuid(uuid::Uuid::new_v4());
        let child = ChildId::from_uuid(uuid::Uuid::new_v4());
        let sign_ins = search_reads(
            &conn,
            &AuditQuery {
                user_id: Some(account),
                action: Some(AuditAction::SignedIn),
                limit: 10,
                ..AuditQuery::default()
            },
        );
        assert_eq!(sign_ins, ["audit_events_sign_ins"]);
        let messages_sent = search_reads(
            &conn,
            &AuditQuery {
                user_id: Some(account),
                action: Some(AuditAction::MessageSent),
                limit: 50,
                ..AuditQuery::default()
            },
        );
        assert_eq!(messages_sent, ["audit_events_by_actor"]);
        let of_child = search_reads(
            &conn,
            &AuditQuery {
                child_id: Some(child),
                action: Some(AuditAction::ChildViewed),
                limit: 50,
                ..AuditQuery::default()
            },
        );
        assert_eq!(of_child, ["audit_events_by_child"]);
        let person = search_reads(
            &conn,
            &AuditQuery {
                person: Some(account),
                limit: 50,
                ..AuditQuery::default()
            },
        );
        assert_eq!(
            person,
            ["audit_events_by_actor", "audit_events_about_accounts"]
        );

        let since = time_to_text(OffsetDateTime::UNIX_EPOCH);
        let openings = indexes_read(&conn, OPENINGS, &[&child.to_string(), &since, &10_i64]);
        assert!(
            openings.contains(&"audit_events_staff_openings".to_owned())
                && openings.contains(&"audit_events_by_actor".to_owned())
                && !openings.contains(&"audit_events_by_child".to_owned()),
            "{openings:?}"
        );
    }
}
