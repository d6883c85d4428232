//! Incoming forms on SQLite: the processing area and the matcher's candidate
//! lookups. Each lookup is one indexed statement (by identifier, date of birth,
//! folded surname or postcode); none reads every child.

use std::collections::BTreeSet;

use async_trait::async_trait;
use send_domain::forms::Submission;
use send_domain::{Child, ChildId, FamilyContact};
use send_store::{
    CandidateQuery, IncomingFormStore, ProcessingCounts, ProcessingQuery, StoreResult,
};
use sqlx::{QueryBuilder, Row, Sqlite};

use crate::SqliteStore;
use crate::convert::{date_to_text, from_sqlx, time_to_text};
use crate::rows::{child_from_row, contact_from_row, submission_from_row, text, uuid};

#[async_trait]
impl IncomingFormStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.processing_queue", skip_all)]
    async fn processing_queue(&self, query: &ProcessingQuery) -> StoreResult<Vec<Submission>> {
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT s.* FROM submissions s \
             LEFT JOIN children c ON c.id = coalesce(s.child_id, s.processing_child_id) \
             WHERE 1 = 1",
        );
        if !query.statuses.is_empty() {
            sql.push(" AND s.processing_status IN (");
            let mut list = sql.separated(", ");
            for status in &query.statuses {
                list.push_bind(status.code());
            }
            sql.push(")");
        }
        if let Some(form) = query.form {
            sql.push(" AND s.form_id = ").push_bind(form.to_string());
        }
        if let Some(team) = query.team {
            sql.push(" AND c.team_id = ").push_bind(team.to_string());
        }
        if let Some(before) = query.submitted_before {
            sql.push(" AND s.submitted_at < ")
                .push_bind(time_to_text(before));
        }
        sql.push(" ORDER BY s.submitted_at, s.id LIMIT ")
            .push_bind(i64::from(query.limit));
        let rows = sql
            .build()
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(submission_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.processing_counts", skip_all)]
    async fn processing_counts(&self) -> StoreResult<ProcessingCounts> {
        let rows = sqlx::query(
            "SELECT processing_status, count(*) AS n FROM submissions \
             WHERE processing_status IN ('new', 'matched', 'suspense') \
             GROUP BY processing_status",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        let mut counts = ProcessingCounts::default();
        for row in rows {
            let n: i64 = row.try_get("n").map_err(from_sqlx)?;
            let n = u64::try_from(n).unwrap_or_default();
            match text(&row, "processing_status")?.as_str() {
                "new" => counts.new = n,
                "matched" => counts.matched = n,
                _ => counts.suspense = n,
            }
        }
        Ok(counts)
    }

    #[tracing::instrument(level = "debug", name = "store.match_candidates", skip_all)]
    async fn match_candidates(&self, query: &CandidateQuery) -> StoreResult<Vec<Child>> {
        let limit = i64::from(query.limit_per_lookup);
        let mut lookups: Vec<QueryBuilder<Sqlite>> = Vec::new();
        for (column, value) in [
            ("upn", query.upn.as_ref().map(|x| x.as_str().to_owned())),
            ("uln", query.uln.as_ref().map(|x| x.as_str().to_owned())),
            (
                "nhs_number",
                query.nhs_number.as_ref().map(|x| x.as_str().to_owned()),
            ),
            (
                "postcode",
                query.postcode.as_ref().map(|x| x.as_str().to_owned()),
            ),
        ] {
            if let Some(value) = value {
                let mut sql =
                    QueryBuilder::new(format!("SELECT * FROM children WHERE {column} = "));
                sql.push_bind(value).push(" LIMIT ").push_bind(limit);
                lookups.push(sql);
            }
        }
        for date in &query.dates_of_birth {
            let mut sql = QueryBuilder::new("SELECT * FROM children WHERE date_of_birth = ");
            sql.push_bind(date_to_text(*date));
            if let Some(initial) = query.surnames.first().and_then(|s| s.chars().next()) {
                sql.push(" ORDER BY CASE WHEN substr(match_surname, 1, 1) = ")
                    .push_bind(initial.to_string())
                    .push(" THEN 0 ELSE 1 END, id");
            }
            sql.push(" LIMIT ").push_bind(limit);
            lookups.push(sql);
        }
        for surname in &query.surnames {
            lookups.push(surname_lookup(surname, query, limit));
        }
        let mut conn = self.reader.acquire().await.map_err(from_sqlx)?;
        let mut seen = BTreeSet::new();
        let mut found = Vec::new();
        for mut sql in lookups {
            let rows = sql.build().fetch_all(&mut *conn).await.map_err(from_sqlx)?;
            for row in &rows {
                let child = child_from_row(row)?;
                if seen.insert(child.id) {
                    found.push(child);
                }
            }
        }
        Ok(found)
    }

    #[tracing::instrument(level = "debug", name = "store.family_contacts_of", skip_all)]
    async fn family_contacts_of(&self, children: &[ChildId]) -> StoreResult<Vec<FamilyContact>> {
        if children.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT * FROM family_contacts WHERE child_id IN (");
        let mut list = sql.separated(", ");
        for child in children {
            list.push_bind(child.to_string());
        }
        sql.push(") ORDER BY child_id, lower(name), id");
        let rows = sql
            .build()
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(contact_from_row).collect()
    }

    #[tracing::instrument(level = "debug", name = "store.children_to_index", skip_all)]
    async fn children_to_index(&self, limit: u32) -> StoreResult<Vec<(ChildId, String)>> {
        let rows = sqlx::query(
            "SELECT id, legal_last_name FROM children WHERE match_surname IS NULL \
             ORDER BY id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter()
            .map(|row| {
                Ok((
                    ChildId::from_uuid(uuid(row, "id")?),
                    text(row, "legal_last_name")?,
                ))
            })
            .collect()
    }
}

/// The children of one folded surname: those born on one of the query's dates
/// (as given, or day and month swapped), then, within the birth window, those
/// born nearest its middle, half the limit on either side; without a window,
/// the youngest. Each part walks the surname-and-date index in order, so a
/// surname thousands of children share reads no more rows than the limit.
fn surname_lookup(surname: &str, query: &CandidateQuery, limit: i64) -> QueryBuilder<Sqlite> {
    let Some((from, to)) = query.born_between else {
        // In the index's order, so that a surname thousands share is never
        // looked for by reading the table until enough turn up.
        let mut sql = QueryBuilder::new("SELECT * FROM children WHERE match_surname = ");
        sql.push_bind(surname.to_owned())
            .push(" ORDER BY date_of_birth DESC LIMIT ")
            .push_bind(limit);
        return sql;
    };
    let middle = from + (to - from) / 2;
    let half = (limit + 1) / 2;
    let mut sql = QueryBuilder::new("");
    if !query.dates_of_birth.is_empty() {
        sql.push("SELECT * FROM (SELECT * FROM children WHERE match_surname = ")
            .push_bind(surname.to_owned())
            .push(" AND date_of_birth IN (");
        let mut dates = sql.separated(", ");
        for date in &query.dates_of_birth {
            dates.push_bind(date_to_text(*date));
        }
        sql.push(") LIMIT ").push_bind(limit).push(") UNION ALL ");
    }
    sql.push("SELECT * FROM (SELECT * FROM children WHERE match_surname = ")
        .push_bind(surname.to_owned())
        .push(" AND date_of_birth > ")
        .push_bind(date_to_text(middle))
        .push(" AND date_of_birth <= ")
        .push_bind(date_to_text(to))
        .push(" ORDER BY date_of_birth LIMIT ")
        .push_bind(half)
        .push(") UNION ALL SELECT * FROM (SELECT * FROM children WHERE match_surname = ")
        .push_bind(surname.to_owned())
        .push(" AND date_of_birth BETWEEN ")
        .push_bind(date_to_text(from))
        .push(" AND ")
        .push_bind(date_to_text(middle))
        .push(" ORDER BY date_of_birth DESC LIMIT ")
        .push_bind(half)
        .push(")");
    sql
}
