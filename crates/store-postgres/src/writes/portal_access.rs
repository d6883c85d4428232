//! Writes of portal access: invitations, portal links and professionals'
//! requests. A guarded step that finds the stored state changed writes nothing.

use send_domain::{
    ChildLinkDecision, ChildLinkRequest, Invitation, InvitationStage, LinkStatus, PortalLink,
};
use send_store::{
    CHILD_LINK_REQUEST_CONFLICT, INVITATION_STAGE_CONFLICT, PORTAL_LINK_STATUS_CONFLICT,
    StoreError, StoreResult,
};
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{PgConnection, Postgres};

use super::{refused, write_error};
use crate::convert::number_to_db;

/// Binds what a save may change, in the order of the statements below (`$1` the
/// stage to `$18` the decision's reason). `failed_checks` is the invitation's,
/// as stored.
fn bind_invitation_changes<'q>(
    query: Query<'q, Postgres, PgArguments>,
    invitation: &Invitation,
    failed_checks: i32,
) -> Query<'q, Postgres, PgArguments> {
    let verification = invitation.verification.as_ref();
    let link = invitation.link.as_ref();
    let acceptance = invitation.acceptance.as_ref();
    let decision = invitation.decision.as_ref();
    query
        .bind(invitation.stage().code())
        .bind(invitation.contact_id.map(|id| id.as_uuid()))
        .bind(invitation.name.as_str().to_owned())
        .bind(invitation.email.as_str().to_owned())
        .bind(invitation.role.code())
        .bind(failed_checks)
        .bind(verification.map(|v| v.by.as_uuid()))
        .bind(verification.map(|v| v.at))
        .bind(verification.map(|v| v.how.code()))
        .bind(link.map(|l| l.token_hash.as_hex().to_owned()))
        .bind(link.map(|l| l.sent_at))
        .bind(link.map(|l| l.expires_at))
        .bind(acceptance.map(|a| a.account.as_uuid()))
        .bind(acceptance.map(|a| a.at))
        .bind(decision.map(|d| d.outcome.code()))
        .bind(decision.map(|d| d.by.as_uuid()))
        .bind(decision.map(|d| d.at))
        .bind(decision.and_then(|d| d.reason.clone()))
}

pub(super) async fn insert_invitation(
    conn: &mut PgConnection,
    invitation: &Invitation,
) -> StoreResult<u64> {
    let done = bind_invitation_changes(
        sqlx::query(
            "INSERT INTO portal_invitations \
             (stage, contact_id, name, email, role, failed_checks, verified_by, verified_at, \
              verified_how, link_hash, link_sent_at, link_expires_at, accepted_by, \
              accepted_at, decision_outcome, decided_by, decided_at, decision_reason, \
              id, child_id, reference_hash, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
              $17, $18, $19, $20, $21, $22, $23)",
        ),
        invitation,
        number_to_db(invitation.failed_checks)?,
    )
    .bind(invitation.id.as_uuid())
    .bind(invitation.child_id.as_uuid())
    .bind(invitation.reference_hash.as_hex())
    .bind(invitation.created_by.as_uuid())
    .bind(invitation.created_at)
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

/// Writes every field but the id, child, creation and reference hash, if the
/// stored stage is still `expected`.
pub(super) async fn update_invitation(
    conn: &mut PgConnection,
    invitation: &Invitation,
    expected: InvitationStage,
) -> StoreResult<u64> {
    let done = bind_invitation_changes(
        sqlx::query(
            "UPDATE portal_invitations SET stage = $1, contact_id = $2, name = $3, \
             email = $4, role = $5, failed_checks = $6, verified_by = $7, verified_at = $8, \
             verified_how = $9, link_hash = $10, link_sent_at = $11, link_expires_at = $12, \
             accepted_by = $13, accepted_at = $14, decision_outcome = $15, decided_by = $16, \
             decided_at = $17, decision_reason = $18 \
             WHERE id = $19 AND stage = $20",
        ),
        invitation,
        number_to_db(invitation.failed_checks)?,
    )
    .bind(invitation.id.as_uuid())
    .bind(expected.code())
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(refused(
            conn,
            "SELECT 1 FROM portal_invitations WHERE id = $1",
            invitation.id.as_uuid(),
            INVITATION_STAGE_CONFLICT,
        )
        .await);
    }
    Ok(done.rows_affected())
}

pub(super) async fn insert_portal_link(
    conn: &mut PgConnection,
    link: &PortalLink,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO portal_links \
         (id, child_id, account_id, role, status, status_since, status_by, invitation_id, \
          request_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(link.id.as_uuid())
    .bind(link.child_id.as_uuid())
    .bind(link.account_id.as_uuid())
    .bind(link.role.code())
    .bind(link.status.code())
    .bind(link.status_since)
    .bind(link.status_by.map(|id| id.as_uuid()))
    .bind(link.invitation_id.map(|id| id.as_uuid()))
    .bind(link.request_id.map(|id| id.as_uuid()))
    .bind(link.created_at)
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

/// Changes a link if its stored status is still `expected`.
pub(super) async fn update_portal_link(
    conn: &mut PgConnection,
    link: &PortalLink,
    expected: LinkStatus,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE portal_links SET role = $1, status = $2, status_since = $3, status_by = $4, \
         invitation_id = $5, request_id = $6 \
         WHERE id = $7 AND status = $8",
    )
    .bind(link.role.code())
    .bind(link.status.code())
    .bind(link.status_since)
    .bind(link.status_by.map(|id| id.as_uuid()))
    .bind(link.invitation_id.map(|id| id.as_uuid()))
    .bind(link.request_id.map(|id| id.as_uuid()))
    .bind(link.id.as_uuid())
    .bind(expected.code())
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(refused(
            conn,
            "SELECT 1 FROM portal_links WHERE id = $1",
            link.id.as_uuid(),
            PORTAL_LINK_STATUS_CONFLICT,
        )
        .await);
    }
    Ok(done.rows_affected())
}

/// Binds a request's decision, in the order of the statements below (`$1` the
/// matched child to `$4` the reason).
fn bind_request_decision<'q>(
    query: Query<'q, Postgres, PgArguments>,
    decision: Option<&ChildLinkDecision>,
) -> Query<'q, Postgres, PgArguments> {
    query
        .bind(
            decision
                .and_then(|d| d.matched_child)
                .map(|id| id.as_uuid()),
        )
        .bind(decision.map(|d| d.by.as_uuid()))
        .bind(decision.map(|d| d.at))
        .bind(decision.and_then(|d| d.reason.clone()))
}

pub(super) async fn insert_child_link_request(
    conn: &mut PgConnection,
    request: &ChildLinkRequest,
) -> StoreResult<u64> {
    let done = bind_request_decision(
        sqlx::query(
            "INSERT INTO child_link_requests \
             (matched_child, decided_by, decided_at, decision_reason, id, account_id, \
              first_name, last_name, date_of_birth, setting, upn, uln, nhs_number, postcode, \
              relationship, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        ),
        request.decision.as_ref(),
    )
    .bind(request.id.as_uuid())
    .bind(request.account_id.as_uuid())
    .bind(request.first_name.as_str().to_owned())
    .bind(request.last_name.as_str().to_owned())
    .bind(request.date_of_birth)
    .bind(request.setting.as_ref().map(|s| s.as_str().to_owned()))
    .bind(request.upn.as_ref().map(|v| v.as_str().to_owned()))
    .bind(request.uln.as_ref().map(|v| v.as_str().to_owned()))
    .bind(request.nhs_number.as_ref().map(|v| v.as_str().to_owned()))
    .bind(request.postcode.as_ref().map(|p| p.as_str().to_owned()))
    .bind(request.relationship.as_str().to_owned())
    .bind(request.created_at)
    .execute(conn)
    .await
    .map_err(write_error)?;
    Ok(done.rows_affected())
}

/// Records `request.decision` if the stored request has none yet.
pub(super) async fn decide_child_link_request(
    conn: &mut PgConnection,
    request: &ChildLinkRequest,
) -> StoreResult<u64> {
    let Some(decision) = &request.decision else {
        return Err(StoreError::Other(
            format!(
                "child link request {} has no decision to record",
                request.id
            )
            .into(),
        ));
    };
    let done = bind_request_decision(
        sqlx::query(
            "UPDATE child_link_requests SET matched_child = $1, decided_by = $2, \
             decided_at = $3, decision_reason = $4 \
             WHERE id = $5 AND decided_at IS NULL",
        ),
        Some(decision),
    )
    .bind(request.id.as_uuid())
    .execute(&mut *conn)
    .await
    .map_err(write_error)?;
    if done.rows_affected() == 0 {
        return Err(refused(
            conn,
            "SELECT 1 FROM child_link_requests WHERE id = $1",
            request.id.as_uuid(),
            CHILD_LINK_REQUEST_CONFLICT,
        )
        .await);
    }
    Ok(done.rows_affected())
}
