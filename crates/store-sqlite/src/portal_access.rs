//! Portal users and children's cases on SQLite: invitations, portal links and
//! professionals' requests. Every write is one transaction on the single writer
//! connection, with its link change, chronology entry and effects; a guarded
//! step that finds the stored state changed writes nothing.

use async_trait::async_trait;
use send_domain::{
    Acceptance, ChildId, ChildLinkDecision, ChildLinkRequest, ChildLinkRequestId, ContactId, Email,
    Invitation, InvitationDecision, InvitationId, InvitationLink, InvitationStage, NhsNumber,
    PersonName, PortalLink, PortalLinkId, Postcode, ShortText, TeamId, TokenHash, Uln, Upn, UserId,
    Verification,
};
use send_store::{
    CHILD_LINK_REQUEST_CONFLICT, ChronologyEntry, Effects, INVITATION_STAGE_CONFLICT, LinkChange,
    PORTAL_LINK_CONFLICT, PORTAL_LINK_STATUS_CONFLICT, PortalAccessStore, StoreError, StoreResult,
};
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::cases::{date_from_text, date_to_text, id_from_row, insert_entry, optional_id};
use crate::convert::{corrupt, from_sqlx, time_from_text, time_to_text};
use crate::effects;

/// SQLite names a unique violation by its columns (`UNIQUE constraint failed:
/// portal_links.child_id, portal_links.account_id`); the trait promises the
/// constraint's name, as PostgreSQL gives it.
fn write_error(err: sqlx::Error) -> StoreError {
    match from_sqlx(err) {
        StoreError::Conflict { constraint }
            if constraint.ends_with(": portal_links.child_id, portal_links.account_id") =>
        {
            conflict(PORTAL_LINK_CONFLICT)
        }
        StoreError::Conflict { constraint }
            if constraint.ends_with(": portal_invitations.link_hash") =>
        {
            conflict("portal_invitations_link_hash")
        }
        other => other,
    }
}

fn conflict(constraint: &str) -> StoreError {
    StoreError::Conflict {
        constraint: constraint.to_owned(),
    }
}

/// A stored code as its enum.
fn code<T>(text: &str) -> StoreResult<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse().map_err(corrupt)
}

fn text(row: &SqliteRow, name: &str) -> StoreResult<String> {
    row.try_get(name).map_err(from_sqlx)
}

fn optional_text(row: &SqliteRow, name: &str) -> StoreResult<Option<String>> {
    row.try_get(name).map_err(from_sqlx)
}

fn time(row: &SqliteRow, name: &str) -> StoreResult<OffsetDateTime> {
    time_from_text(&text(row, name)?)
}

fn optional_time(row: &SqliteRow, name: &str) -> StoreResult<Option<OffsetDateTime>> {
    optional_text(row, name)?
        .map(|t| time_from_text(&t))
        .transpose()
}

fn optional_user(row: &SqliteRow, name: &str) -> StoreResult<Option<UserId>> {
    Ok(optional_id(row, name)?.map(UserId::from_uuid))
}

fn invitation_from_row(row: &SqliteRow) -> StoreResult<Invitation> {
    let id = InvitationId::from_uuid(id_from_row(row, "id")?);
    let incomplete = |what: &str| corrupt(format_args!("incomplete {what} of invitation {id}"));
    let verification = match (
        optional_user(row, "verified_by")?,
        optional_time(row, "verified_at")?,
        optional_text(row, "verified_how")?,
    ) {
        (None, None, None) => None,
        (Some(by), Some(at), Some(how)) => Some(Verification {
            by,
            at,
            how: code(&how)?,
        }),
        _ => return Err(incomplete("verification")),
    };
    let link = match (
        optional_text(row, "link_hash")?,
        optional_time(row, "link_sent_at")?,
        optional_time(row, "link_expires_at")?,
    ) {
        (None, None, None) => None,
        (Some(hash), Some(sent_at), Some(expires_at)) => Some(InvitationLink {
            token_hash: TokenHash::from_hex(&hash).map_err(corrupt)?,
            sent_at,
            expires_at,
        }),
        _ => return Err(incomplete("link")),
    };
    let acceptance = match (
        optional_user(row, "accepted_by")?,
        optional_time(row, "accepted_at")?,
    ) {
        (None, None) => None,
        (Some(account), Some(at)) => Some(Acceptance { account, at }),
        _ => return Err(incomplete("acceptance")),
    };
    let decision = match (
        optional_text(row, "decision_outcome")?,
        optional_user(row, "decided_by")?,
        optional_time(row, "decided_at")?,
    ) {
        (None, None, None) => None,
        (Some(outcome), Some(by), Some(at)) => Some(InvitationDecision {
            outcome: code(&outcome)?,
            by,
            at,
            reason: optional_text(row, "decision_reason")?,
        }),
        _ => return Err(incomplete("decision")),
    };
    let failed_checks: i64 = row.try_get("failed_checks").map_err(from_sqlx)?;
    Ok(Invitation {
        id,
        child_id: ChildId::from_uuid(id_from_row(row, "child_id")?),
        contact_id: optional_id(row, "contact_id")?.map(ContactId::from_uuid),
        name: PersonName::parse(&text(row, "name")?).map_err(corrupt)?,
        email: Email::parse(&text(row, "email")?).map_err(corrupt)?,
        role: code(&text(row, "role")?)?,
        reference_hash: TokenHash::from_hex(&text(row, "reference_hash")?).map_err(corrupt)?,
        failed_checks: u32::try_from(failed_checks)
            .map_err(|_| corrupt(format_args!("failed checks {failed_checks}")))?,
        created_by: UserId::from_uuid(id_from_row(row, "created_by")?),
        created_at: time(row, "created_at")?,
        verification,
        link,
        acceptance,
        decision,
    })
}

/// Binds what a save may change, in the order of the statements below (`?1` the
/// stage to `?18` the decision's reason).
fn bind_invitation_changes<'q>(
    query: Query<'q, Sqlite, SqliteArguments>,
    invitation: &Invitation,
) -> Query<'q, Sqlite, SqliteArguments> {
    let verification = invitation.verification.as_ref();
    let link = invitation.link.as_ref();
    let acceptance = invitation.acceptance.as_ref();
    let decision = invitation.decision.as_ref();
    query
        .bind(invitation.stage().code())
        .bind(invitation.contact_id.map(|id| id.to_string()))
        .bind(invitation.name.as_str().to_owned())
        .bind(invitation.email.as_str().to_owned())
        .bind(invitation.role.code())
        .bind(i64::from(invitation.failed_checks))
        .bind(verification.map(|v| v.by.to_string()))
        .bind(verification.map(|v| time_to_text(v.at)))
        .bind(verification.map(|v| v.how.code()))
        .bind(link.map(|l| l.token_hash.as_hex().to_owned()))
        .bind(link.map(|l| time_to_text(l.sent_at)))
        .bind(link.map(|l| time_to_text(l.expires_at)))
        .bind(acceptance.map(|a| a.account.to_string()))
        .bind(acceptance.map(|a| time_to_text(a.at)))
        .bind(decision.map(|d| d.outcome.code()))
        .bind(decision.map(|d| d.by.to_string()))
        .bind(decision.map(|d| time_to_text(d.at)))
        .bind(decision.and_then(|d| d.reason.clone()))
}

fn link_from_row(row: &SqliteRow) -> StoreResult<PortalLink> {
    Ok(PortalLink {
        id: PortalLinkId::from_uuid(id_from_row(row, "id")?),
        child_id: ChildId::from_uuid(id_from_row(row, "child_id")?),
        account_id: UserId::from_uuid(id_from_row(row, "account_id")?),
        role: code(&text(row, "role")?)?,
        status: code(&text(row, "status")?)?,
        status_since: time(row, "status_since")?,
        status_by: optional_user(row, "status_by")?,
        invitation_id: optional_id(row, "invitation_id")?.map(InvitationId::from_uuid),
        request_id: optional_id(row, "request_id")?.map(ChildLinkRequestId::from_uuid),
        created_at: time(row, "created_at")?,
    })
}

/// Creates the link, or changes it if its stored status is still the expected
/// one (see [`LinkChange`]).
async fn write_link(conn: &mut SqliteConnection, change: &LinkChange) -> StoreResult<()> {
    let link = &change.link;
    let Some(expected) = change.expected else {
        sqlx::query(
            "INSERT INTO portal_links \
             (id, child_id, account_id, role, status, status_since, status_by, invitation_id, \
              request_id, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(link.id.to_string())
        .bind(link.child_id.to_string())
        .bind(link.account_id.to_string())
        .bind(link.role.code())
        .bind(link.status.code())
        .bind(time_to_text(link.status_since))
        .bind(link.status_by.map(|id| id.to_string()))
        .bind(link.invitation_id.map(|id| id.to_string()))
        .bind(link.request_id.map(|id| id.to_string()))
        .bind(time_to_text(link.created_at))
        .execute(conn)
        .await
        .map_err(write_error)?;
        return Ok(());
    };
    let done = sqlx::query(
        "UPDATE portal_links SET role = ?, status = ?, status_since = ?, status_by = ?, \
         invitation_id = ?, request_id = ? \
         WHERE id = ? AND status = ?",
    )
    .bind(link.role.code())
    .bind(link.status.code())
    .bind(time_to_text(link.status_since))
    .bind(link.status_by.map(|id| id.to_string()))
    .bind(link.invitation_id.map(|id| id.to_string()))
    .bind(link.request_id.map(|id| id.to_string()))
    .bind(link.id.to_string())
    .bind(expected.code())
    .execute(conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(conflict(PORTAL_LINK_STATUS_CONFLICT));
    }
    Ok(())
}

/// After a guarded update changed nothing: `NotFound` if there is no such row,
/// else a conflict on `constraint` (someone else changed it first).
async fn refused(
    conn: &mut SqliteConnection,
    exists: &'static str,
    id: String,
    constraint: &str,
) -> StoreError {
    match sqlx::query(exists).bind(id).fetch_optional(conn).await {
        Ok(Some(_)) => conflict(constraint),
        Ok(None) => StoreError::NotFound,
        Err(err) => from_sqlx(err),
    }
}

fn request_from_row(row: &SqliteRow) -> StoreResult<ChildLinkRequest> {
    let id = ChildLinkRequestId::from_uuid(id_from_row(row, "id")?);
    let decision = match (
        optional_user(row, "decided_by")?,
        optional_time(row, "decided_at")?,
    ) {
        (None, None) => None,
        (Some(by), Some(at)) => Some(ChildLinkDecision {
            matched_child: optional_id(row, "matched_child")?.map(ChildId::from_uuid),
            by,
            at,
            reason: optional_text(row, "decision_reason")?,
        }),
        _ => return Err(corrupt(format_args!("incomplete decision of request {id}"))),
    };
    Ok(ChildLinkRequest {
        id,
        account_id: UserId::from_uuid(id_from_row(row, "account_id")?),
        first_name: PersonName::parse(&text(row, "first_name")?).map_err(corrupt)?,
        last_name: PersonName::parse(&text(row, "last_name")?).map_err(corrupt)?,
        date_of_birth: date_from_text(&text(row, "date_of_birth")?)?,
        setting: optional_text(row, "setting")?.map(ShortText::from_stored),
        upn: optional_text(row, "upn")?
            .map(|upn| Upn::parse(&upn).map_err(corrupt))
            .transpose()?,
        uln: optional_text(row, "uln")?
            .map(|uln| Uln::parse(&uln).map_err(corrupt))
            .transpose()?,
        nhs_number: optional_text(row, "nhs_number")?
            .map(|nhs| NhsNumber::parse(&nhs).map_err(corrupt))
            .transpose()?,
        postcode: optional_text(row, "postcode")?
            .map(|postcode| Postcode::parse(&postcode).map_err(corrupt))
            .transpose()?,
        relationship: ShortText::from_stored(text(row, "relationship")?),
        created_at: time(row, "created_at")?,
        decision,
    })
}

/// Binds a request's decision, in the order of the statements below (`?1` the
/// matched child to `?4` the reason).
fn bind_request_decision<'q>(
    query: Query<'q, Sqlite, SqliteArguments>,
    decision: Option<&ChildLinkDecision>,
) -> Query<'q, Sqlite, SqliteArguments> {
    query
        .bind(
            decision
                .and_then(|d| d.matched_child)
                .map(|id| id.to_string()),
        )
        .bind(decision.map(|d| d.by.to_string()))
        .bind(decision.map(|d| time_to_text(d.at)))
        .bind(decision.and_then(|d| d.reason.clone()))
}

#[async_trait]
impl PortalAccessStore for SqliteStore {
    async fn insert_invitation(
        &self,
        invitation: &Invitation,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        bind_invitation_changes(
            sqlx::query(
                "INSERT INTO portal_invitations \
                 (stage, contact_id, name, email, role, failed_checks, verified_by, verified_at, \
                  verified_how, link_hash, link_sent_at, link_expires_at, accepted_by, \
                  accepted_at, decision_outcome, decided_by, decided_at, decision_reason, \
                  id, child_id, reference_hash, created_by, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
                  ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
            ),
            invitation,
        )
        .bind(invitation.id.to_string())
        .bind(invitation.child_id.to_string())
        .bind(invitation.reference_hash.as_hex())
        .bind(invitation.created_by.to_string())
        .bind(time_to_text(invitation.created_at))
        .execute(&mut *tx)
        .await
        .map_err(write_error)?;
        insert_entry(&mut tx, entry).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn save_invitation(
        &self,
        invitation: &Invitation,
        expected: InvitationStage,
        link: Option<&LinkChange>,
        entry: Option<&ChronologyEntry>,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done = bind_invitation_changes(
            sqlx::query(
                "UPDATE portal_invitations SET stage = ?1, contact_id = ?2, name = ?3, \
                 email = ?4, role = ?5, failed_checks = ?6, verified_by = ?7, verified_at = ?8, \
                 verified_how = ?9, link_hash = ?10, link_sent_at = ?11, link_expires_at = ?12, \
                 accepted_by = ?13, accepted_at = ?14, decision_outcome = ?15, decided_by = ?16, \
                 decided_at = ?17, decision_reason = ?18 \
                 WHERE id = ?19 AND stage = ?20",
            ),
            invitation,
        )
        .bind(invitation.id.to_string())
        .bind(expected.code())
        .execute(&mut *tx)
        .await
        .map_err(write_error)?;
        if done.rows_affected() == 0 {
            return Err(refused(
                &mut tx,
                "SELECT 1 FROM portal_invitations WHERE id = ?",
                invitation.id.to_string(),
                INVITATION_STAGE_CONFLICT,
            )
            .await);
        }
        if let Some(change) = link {
            write_link(&mut tx, change).await?;
        }
        if let Some(entry) = entry {
            insert_entry(&mut tx, entry).await?;
        }
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn invitation(&self, id: InvitationId) -> StoreResult<Option<Invitation>> {
        let row = sqlx::query("SELECT * FROM portal_invitations WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(invitation_from_row).transpose()
    }

    async fn invitation_by_link(&self, hash: &TokenHash) -> StoreResult<Option<Invitation>> {
        let row = sqlx::query("SELECT * FROM portal_invitations WHERE link_hash = ?")
            .bind(hash.as_hex())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(invitation_from_row).transpose()
    }

    async fn invitations_for_child(&self, child: ChildId) -> StoreResult<Vec<Invitation>> {
        let rows = sqlx::query(
            "SELECT * FROM portal_invitations WHERE child_id = ? \
             ORDER BY created_at DESC, id DESC",
        )
        .bind(child.to_string())
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(invitation_from_row).collect()
    }

    async fn invitations_awaiting_decision(
        &self,
        teams: Option<&[TeamId]>,
        limit: u32,
    ) -> StoreResult<Vec<Invitation>> {
        if teams.is_some_and(<[TeamId]>::is_empty) {
            return Ok(Vec::new());
        }
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT i.* FROM portal_invitations i JOIN children c ON c.id = i.child_id \
             WHERE i.stage = ",
        );
        sql.push_bind(InvitationStage::Accepted.code());
        if let Some(teams) = teams {
            sql.push(" AND c.team_id IN (");
            let mut list = sql.separated(", ");
            for team in teams {
                list.push_bind(team.to_string());
            }
            sql.push(")");
        }
        sql.push(" ORDER BY i.accepted_at, i.id LIMIT ")
            .push_bind(i64::from(limit));
        let rows = sql
            .build()
            .fetch_all(&self.reader)
            .await
            .map_err(from_sqlx)?;
        rows.iter().map(invitation_from_row).collect()
    }

    async fn portal_link(
        &self,
        child: ChildId,
        account: UserId,
    ) -> StoreResult<Option<PortalLink>> {
        let row = sqlx::query("SELECT * FROM portal_links WHERE child_id = ? AND account_id = ?")
            .bind(child.to_string())
            .bind(account.to_string())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(link_from_row).transpose()
    }

    async fn portal_link_by_id(&self, id: PortalLinkId) -> StoreResult<Option<PortalLink>> {
        let row = sqlx::query("SELECT * FROM portal_links WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(link_from_row).transpose()
    }

    async fn portal_links_for_child(&self, child: ChildId) -> StoreResult<Vec<PortalLink>> {
        let rows =
            sqlx::query("SELECT * FROM portal_links WHERE child_id = ? ORDER BY created_at, id")
                .bind(child.to_string())
                .fetch_all(&self.reader)
                .await
                .map_err(from_sqlx)?;
        rows.iter().map(link_from_row).collect()
    }

    async fn portal_links_for_account(&self, account: UserId) -> StoreResult<Vec<PortalLink>> {
        let rows =
            sqlx::query("SELECT * FROM portal_links WHERE account_id = ? ORDER BY created_at, id")
                .bind(account.to_string())
                .fetch_all(&self.reader)
                .await
                .map_err(from_sqlx)?;
        rows.iter().map(link_from_row).collect()
    }

    async fn save_portal_link(
        &self,
        change: &LinkChange,
        entry: &ChronologyEntry,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        write_link(&mut tx, change).await?;
        insert_entry(&mut tx, entry).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn insert_child_link_request(
        &self,
        request: &ChildLinkRequest,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        bind_request_decision(
            sqlx::query(
                "INSERT INTO child_link_requests \
                 (matched_child, decided_by, decided_at, decision_reason, id, account_id, \
                  first_name, last_name, date_of_birth, setting, upn, uln, nhs_number, postcode, \
                  relationship, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            ),
            request.decision.as_ref(),
        )
        .bind(request.id.to_string())
        .bind(request.account_id.to_string())
        .bind(request.first_name.as_str().to_owned())
        .bind(request.last_name.as_str().to_owned())
        .bind(date_to_text(request.date_of_birth))
        .bind(request.setting.as_ref().map(|s| s.as_str().to_owned()))
        .bind(request.upn.as_ref().map(|v| v.as_str().to_owned()))
        .bind(request.uln.as_ref().map(|v| v.as_str().to_owned()))
        .bind(request.nhs_number.as_ref().map(|v| v.as_str().to_owned()))
        .bind(request.postcode.as_ref().map(|p| p.as_str().to_owned()))
        .bind(request.relationship.as_str().to_owned())
        .bind(time_to_text(request.created_at))
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    async fn child_link_request(
        &self,
        id: ChildLinkRequestId,
    ) -> StoreResult<Option<ChildLinkRequest>> {
        let row = sqlx::query("SELECT * FROM child_link_requests WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(request_from_row).transpose()
    }

    async fn child_link_requests_waiting(&self, limit: u32) -> StoreResult<Vec<ChildLinkRequest>> {
        let rows = sqlx::query(
            "SELECT * FROM child_link_requests WHERE decided_at IS NULL \
             ORDER BY created_at, id LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(request_from_row).collect()
    }

    async fn child_link_requests_for_account(
        &self,
        account: UserId,
    ) -> StoreResult<Vec<ChildLinkRequest>> {
        let rows = sqlx::query(
            "SELECT * FROM child_link_requests WHERE account_id = ? \
             ORDER BY created_at DESC, id DESC",
        )
        .bind(account.to_string())
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter().map(request_from_row).collect()
    }

    async fn decide_child_link_request(
        &self,
        request: &ChildLinkRequest,
        link: Option<&LinkChange>,
        entry: Option<&ChronologyEntry>,
        effects: &Effects,
    ) -> StoreResult<()> {
        let Some(decision) = &request.decision else {
            return Err(StoreError::Other(
                format!(
                    "child link request {} has no decision to record",
                    request.id
                )
                .into(),
            ));
        };
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done = bind_request_decision(
            sqlx::query(
                "UPDATE child_link_requests SET matched_child = ?1, decided_by = ?2, \
                 decided_at = ?3, decision_reason = ?4 \
                 WHERE id = ?5 AND decided_at IS NULL",
            ),
            Some(decision),
        )
        .bind(request.id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Err(refused(
                &mut tx,
                "SELECT 1 FROM child_link_requests WHERE id = ?",
                request.id.to_string(),
                CHILD_LINK_REQUEST_CONFLICT,
            )
            .await);
        }
        if let Some(change) = link {
            write_link(&mut tx, change).await?;
        }
        if let Some(entry) = entry {
            insert_entry(&mut tx, entry).await?;
        }
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }
}
