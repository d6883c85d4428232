//! Rows as domain values: children, family contacts, chronology entries,
//! involvements, invitations, portal links, professionals' requests, message
//! types, threads, messages, documents, and forms with their versions,
//! assignments, saved answers and submissions, with the column helpers they share.
//! SQLite keeps ids, times and dates as text and flags as integers.
//!
//! What a record keeps in tables of its own (an involvement's events, a thread's
//! participants, a message's attachments, the people a document is shared with)
//! is read by its area's module and filled in afterwards.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::str::FromStr;

use send_domain::forms::{
    Answers, AssignedTo, Form, FormAssignment, FormDefinition, FormDraft, FormVersion, Submission,
};
use send_domain::incoming_forms::Processing;
use send_domain::involvements::{Involvement, PreviousStage};
use send_domain::matching::MatchResult;
use send_domain::{
    Acceptance, Address, Child, ChildId, ChildLinkDecision, ChildLinkRequest, ChildLinkRequestId,
    ChronologyEntryId, ContactId, Document, DocumentId, Email, FamilyContact, FormAssignmentId,
    FormId, Invitation, InvitationDecision, InvitationId, InvitationLink, InvolvementId, Message,
    MessageBody, MessageId, MessageType, MessageTypeId, NhsNumber, PersonName, PhoneNumber,
    PortalLink, PortalLinkId, Postcode, Sharing, ShortText, StoredFile, SubmissionId, TeamId,
    Thread, ThreadId, TokenHash, Uln, Upn, UserId, Verification,
};
use send_store::{ChronologyEntry, StoreResult};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::columns::Columns;
use crate::convert::{corrupt, date_from_text, size_from_db, time_from_text, uuid_from_text};

pub(crate) fn uuid(row: &impl Columns, name: &str) -> StoreResult<Uuid> {
    uuid_from_text(&text(row, name)?)
}

pub(crate) fn optional_uuid(row: &impl Columns, name: &str) -> StoreResult<Option<Uuid>> {
    optional_text(row, name)?
        .map(|id| uuid_from_text(&id))
        .transpose()
}

pub(crate) fn text(row: &impl Columns, name: &str) -> StoreResult<String> {
    row.text(name)
}

pub(crate) fn optional_text(row: &impl Columns, name: &str) -> StoreResult<Option<String>> {
    row.optional_text(name)
}

pub(crate) fn time(row: &impl Columns, name: &str) -> StoreResult<OffsetDateTime> {
    time_from_text(&text(row, name)?)
}

pub(crate) fn optional_time(row: &impl Columns, name: &str) -> StoreResult<Option<OffsetDateTime>> {
    optional_text(row, name)?
        .map(|at| time_from_text(&at))
        .transpose()
}

pub(crate) fn date(row: &impl Columns, name: &str) -> StoreResult<Date> {
    date_from_text(&text(row, name)?)
}

pub(crate) fn optional_date(row: &impl Columns, name: &str) -> StoreResult<Option<Date>> {
    optional_text(row, name)?
        .map(|on| date_from_text(&on))
        .transpose()
}

pub(crate) fn flag(row: &impl Columns, name: &str) -> StoreResult<bool> {
    Ok(row.integer(name)? != 0)
}

/// A small count (a version, a number of failed checks, an amount).
pub(crate) fn number(row: &impl Columns, name: &str) -> StoreResult<u32> {
    let number = row.integer(name)?;
    u32::try_from(number).map_err(|_| corrupt(format_args!("{name} {number}")))
}

pub(crate) fn optional_number(row: &impl Columns, name: &str) -> StoreResult<Option<u32>> {
    let number = row.optional_integer(name)?;
    number
        .map(|n| u32::try_from(n).map_err(|_| corrupt(format_args!("{name} {n}"))))
        .transpose()
}

/// A form definition stored as JSON.
fn definition(row: &impl Columns, name: &str) -> StoreResult<FormDefinition> {
    serde_json::from_str(&text(row, name)?).map_err(|e| corrupt(format_args!("{name}: {e}")))
}

/// Answers stored as JSON.
fn answers(row: &impl Columns, name: &str) -> StoreResult<Answers> {
    serde_json::from_str(&text(row, name)?).map_err(|e| corrupt(format_args!("{name}: {e}")))
}

/// A stored code as its enum.
pub(crate) fn code<T>(row: &impl Columns, name: &str) -> StoreResult<T>
where
    T: FromStr,
    T::Err: Display,
{
    text(row, name)?.parse().map_err(corrupt)
}

pub(crate) fn optional_code<T>(row: &impl Columns, name: &str) -> StoreResult<Option<T>>
where
    T: FromStr,
    T::Err: Display,
{
    optional_text(row, name)?
        .map(|code| code.parse().map_err(corrupt))
        .transpose()
}

/// A column checked by the type's own parser.
fn parsed<T, E: Display>(
    row: &impl Columns,
    name: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> StoreResult<T> {
    parse(&text(row, name)?).map_err(corrupt)
}

fn optional_parsed<T, E: Display>(
    row: &impl Columns,
    name: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> StoreResult<Option<T>> {
    optional_text(row, name)?
        .map(|value| parse(&value).map_err(corrupt))
        .transpose()
}

fn optional_short(row: &impl Columns, name: &str) -> StoreResult<Option<ShortText>> {
    Ok(optional_text(row, name)?.map(ShortText::from_stored))
}

fn optional_user(row: &impl Columns, name: &str) -> StoreResult<Option<UserId>> {
    Ok(optional_uuid(row, name)?.map(UserId::from_uuid))
}

pub(crate) fn child_from_row(row: &impl Columns) -> StoreResult<Child> {
    Ok(Child {
        id: ChildId::from_uuid(uuid(row, "id")?),
        team_id: TeamId::from_uuid(uuid(row, "team_id")?),
        legal_first_name: parsed(row, "legal_first_name", PersonName::parse)?,
        legal_last_name: parsed(row, "legal_last_name", PersonName::parse)?,
        preferred_name: optional_parsed(row, "preferred_name", PersonName::parse)?,
        date_of_birth: date(row, "date_of_birth")?,
        sex: code(row, "sex")?,
        ethnicity: optional_short(row, "ethnicity")?,
        upn: optional_parsed(row, "upn", Upn::parse)?,
        uln: optional_parsed(row, "uln", Uln::parse)?,
        nhs_number: optional_parsed(row, "nhs_number", NhsNumber::parse)?,
        address: Address {
            line_1: optional_short(row, "address_line_1")?,
            line_2: optional_short(row, "address_line_2")?,
            town: optional_short(row, "town")?,
            postcode: optional_parsed(row, "postcode", Postcode::parse)?,
        },
        setting: optional_short(row, "setting")?,
        primary_need: optional_code(row, "primary_need")?,
        secondary_need: optional_code(row, "secondary_need")?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        version: number(row, "version")?,
    })
}

pub(crate) fn contact_from_row(row: &impl Columns) -> StoreResult<FamilyContact> {
    Ok(FamilyContact {
        id: ContactId::from_uuid(uuid(row, "id")?),
        child_id: ChildId::from_uuid(uuid(row, "child_id")?),
        name: parsed(row, "name", PersonName::parse)?,
        relationship: ShortText::from_stored(text(row, "relationship")?),
        email: optional_parsed(row, "email", Email::parse)?,
        phone: optional_parsed(row, "phone", PhoneNumber::parse)?,
        parental_responsibility: flag(row, "parental_responsibility")?,
    })
}

pub(crate) fn entry_from_row(row: &impl Columns) -> StoreResult<ChronologyEntry> {
    Ok(ChronologyEntry {
        id: ChronologyEntryId::from_uuid(uuid(row, "id")?),
        child_id: ChildId::from_uuid(uuid(row, "child_id")?),
        occurred_at: time(row, "occurred_at")?,
        actor_id: optional_user(row, "actor_id")?,
        kind: text(row, "kind")?,
        summary: text(row, "summary")?,
        note: optional_text(row, "note")?,
    })
}

/// An involvement from the `i_…` columns, without its events, completions and
/// exceptions.
pub(crate) fn involvement_from_row(row: &impl Columns) -> StoreResult<Involvement> {
    Ok(Involvement {
        id: InvolvementId::from_uuid(uuid(row, "i_id")?),
        child_id: ChildId::from_uuid(uuid(row, "i_child_id")?),
        kind: code(row, "i_kind")?,
        stage: code(row, "i_stage")?,
        stage_since: date(row, "i_stage_since")?,
        caseworker_id: optional_user(row, "i_caseworker_id")?,
        requested_by: optional_code(row, "i_requested_by")?,
        events: BTreeMap::new(),
        completions: BTreeMap::new(),
        exceptions: Vec::new(),
        request_outcome: optional_code(row, "i_request_outcome")?,
        assessment_outcome: optional_code(row, "i_assessment_outcome")?,
        plan_start: optional_date(row, "i_plan_start")?,
        cease_reason: optional_code(row, "i_cease_reason")?,
        previous: match (
            optional_code(row, "i_previous_stage")?,
            optional_date(row, "i_previous_stage_since")?,
        ) {
            (Some(stage), Some(since)) => Some(PreviousStage { stage, since }),
            (None, None) => None,
            _ => {
                return Err(corrupt(format_args!(
                    "incomplete previous stage of involvement"
                )));
            }
        },
        opened_at: time(row, "i_opened_at")?,
        updated_at: time(row, "i_updated_at")?,
        version: number(row, "i_version")?,
    })
}

pub(crate) fn invitation_from_row(row: &impl Columns) -> StoreResult<Invitation> {
    let id = InvitationId::from_uuid(uuid(row, "id")?);
    let incomplete = |what: &str| corrupt(format_args!("incomplete {what} of invitation {id}"));
    let verification = match (
        optional_user(row, "verified_by")?,
        optional_time(row, "verified_at")?,
        optional_code(row, "verified_how")?,
    ) {
        (None, None, None) => None,
        (Some(by), Some(at), Some(how)) => Some(Verification { by, at, how }),
        _ => return Err(incomplete("verification")),
    };
    let link = match (
        optional_parsed(row, "link_hash", TokenHash::from_hex)?,
        optional_time(row, "link_sent_at")?,
        optional_time(row, "link_expires_at")?,
    ) {
        (None, None, None) => None,
        (Some(token_hash), Some(sent_at), Some(expires_at)) => Some(InvitationLink {
            token_hash,
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
        optional_code(row, "decision_outcome")?,
        optional_user(row, "decided_by")?,
        optional_time(row, "decided_at")?,
    ) {
        (None, None, None) => None,
        (Some(outcome), Some(by), Some(at)) => Some(InvitationDecision {
            outcome,
            by,
            at,
            reason: optional_text(row, "decision_reason")?,
        }),
        _ => return Err(incomplete("decision")),
    };
    Ok(Invitation {
        id,
        child_id: ChildId::from_uuid(uuid(row, "child_id")?),
        contact_id: optional_uuid(row, "contact_id")?.map(ContactId::from_uuid),
        name: parsed(row, "name", PersonName::parse)?,
        email: parsed(row, "email", Email::parse)?,
        role: code(row, "role")?,
        reference_hash: parsed(row, "reference_hash", TokenHash::from_hex)?,
        failed_checks: number(row, "failed_checks")?,
        created_by: UserId::from_uuid(uuid(row, "created_by")?),
        created_at: time(row, "created_at")?,
        verification,
        link,
        acceptance,
        decision,
    })
}

pub(crate) fn link_from_row(row: &impl Columns) -> StoreResult<PortalLink> {
    Ok(PortalLink {
        id: PortalLinkId::from_uuid(uuid(row, "id")?),
        child_id: ChildId::from_uuid(uuid(row, "child_id")?),
        account_id: UserId::from_uuid(uuid(row, "account_id")?),
        role: code(row, "role")?,
        status: code(row, "status")?,
        status_since: time(row, "status_since")?,
        status_by: optional_user(row, "status_by")?,
        invitation_id: optional_uuid(row, "invitation_id")?.map(InvitationId::from_uuid),
        request_id: optional_uuid(row, "request_id")?.map(ChildLinkRequestId::from_uuid),
        created_at: time(row, "created_at")?,
    })
}

pub(crate) fn request_from_row(row: &impl Columns) -> StoreResult<ChildLinkRequest> {
    let id = ChildLinkRequestId::from_uuid(uuid(row, "id")?);
    let decision = match (
        optional_user(row, "decided_by")?,
        optional_time(row, "decided_at")?,
    ) {
        (None, None) => None,
        (Some(by), Some(at)) => Some(ChildLinkDecision {
            matched_child: optional_uuid(row, "matched_child")?.map(ChildId::from_uuid),
            by,
            at,
            reason: optional_text(row, "decision_reason")?,
        }),
        _ => return Err(corrupt(format_args!("incomplete decision of request {id}"))),
    };
    Ok(ChildLinkRequest {
        id,
        account_id: UserId::from_uuid(uuid(row, "account_id")?),
        first_name: parsed(row, "first_name", PersonName::parse)?,
        last_name: parsed(row, "last_name", PersonName::parse)?,
        date_of_birth: date(row, "date_of_birth")?,
        setting: optional_short(row, "setting")?,
        upn: optional_parsed(row, "upn", Upn::parse)?,
        uln: optional_parsed(row, "uln", Uln::parse)?,
        nhs_number: optional_parsed(row, "nhs_number", NhsNumber::parse)?,
        postcode: optional_parsed(row, "postcode", Postcode::parse)?,
        relationship: ShortText::from_stored(text(row, "relationship")?),
        created_at: time(row, "created_at")?,
        decision,
    })
}

pub(crate) fn message_type_from_row(row: &impl Columns) -> StoreResult<MessageType> {
    Ok(MessageType {
        id: MessageTypeId::from_uuid(uuid(row, "id")?),
        name: ShortText::from_stored(text(row, "name")?),
        active: flag(row, "active")?,
    })
}

/// A thread from its row, without its participants.
pub(crate) fn thread_from_row(row: &impl Columns) -> StoreResult<Thread> {
    Ok(Thread {
        id: ThreadId::from_uuid(uuid(row, "id")?),
        child_id: ChildId::from_uuid(uuid(row, "child_id")?),
        message_type: MessageTypeId::from_uuid(uuid(row, "message_type")?),
        subject: ShortText::from_stored(text(row, "subject")?),
        started_by: UserId::from_uuid(uuid(row, "started_by")?),
        started_at: time(row, "started_at")?,
        participants: Vec::new(),
        assigned_to: optional_user(row, "assigned_to")?,
        last_message_at: time(row, "last_message_at")?,
        waiting_since: optional_time(row, "waiting_since")?,
        version: number(row, "version")?,
    })
}

/// A message from its row, without its attachments.
pub(crate) fn message_from_row(row: &impl Columns) -> StoreResult<Message> {
    Ok(Message {
        id: MessageId::from_uuid(uuid(row, "id")?),
        thread_id: ThreadId::from_uuid(uuid(row, "thread_id")?),
        author: UserId::from_uuid(uuid(row, "author")?),
        from_council: flag(row, "from_council")?,
        body: MessageBody::from_stored(text(row, "body")?),
        sent_at: time(row, "sent_at")?,
        attachments: Vec::new(),
    })
}

/// A document from its row, its sharing `AllLinked` or (until the people named
/// are read) `NotShared`.
pub(crate) fn document_from_row(row: &impl Columns) -> StoreResult<Document> {
    let sharing = if flag(row, "shared_with_all")? {
        Sharing::AllLinked
    } else {
        Sharing::NotShared
    };
    Ok(Document {
        id: DocumentId::from_uuid(uuid(row, "id")?),
        child_id: ChildId::from_uuid(uuid(row, "child_id")?),
        kind: code(row, "kind")?,
        description: ShortText::from_stored(text(row, "description")?),
        file: StoredFile {
            key: text(row, "file_key")?,
            name: text(row, "file_name")?,
            kind: code(row, "file_kind")?,
            size: size_from_db(row.integer("file_size")?)?,
            sha256: text(row, "file_sha256")?,
        },
        uploaded_by: UserId::from_uuid(uuid(row, "uploaded_by")?),
        uploaded_at: time(row, "uploaded_at")?,
        sharing,
        shared_at: optional_time(row, "shared_at")?,
    })
}

/// A form from its row (the `title` column is only for ordering: the title is
/// the working copy's).
pub(crate) fn form_from_row(row: &impl Columns) -> StoreResult<Form> {
    let id = FormId::from_uuid(uuid(row, "id")?);
    let approval_requested = match (
        optional_user(row, "approval_requested_by")?,
        optional_time(row, "approval_requested_at")?,
    ) {
        (None, None) => None,
        (Some(by), Some(at)) => Some((by, at)),
        _ => {
            return Err(corrupt(format_args!(
                "incomplete approval request of form {id}"
            )));
        }
    };
    Ok(Form {
        id,
        draft: definition(row, "draft")?,
        version: number(row, "version")?,
        live_version: optional_number(row, "live_version")?,
        approval_requested,
        retired_at: optional_time(row, "retired_at")?,
        builtin: optional_text(row, "builtin")?,
        created_by: UserId::from_uuid(uuid(row, "created_by")?),
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
    })
}

pub(crate) fn form_version_from_row(row: &impl Columns) -> StoreResult<FormVersion> {
    Ok(FormVersion {
        form_id: FormId::from_uuid(uuid(row, "form_id")?),
        number: number(row, "number")?,
        definition: definition(row, "definition")?,
        published_by: UserId::from_uuid(uuid(row, "published_by")?),
        published_at: time(row, "published_at")?,
    })
}

/// A form assignment; whom it is to is `to_kind` with the role or person it names.
pub(crate) fn form_assignment_from_row(row: &impl Columns) -> StoreResult<FormAssignment> {
    let id = FormAssignmentId::from_uuid(uuid(row, "id")?);
    let to = match (
        text(row, "to_kind")?.as_str(),
        optional_code(row, "to_role")?,
        optional_user(row, "to_user")?,
    ) {
        ("everyone_linked", None, None) => AssignedTo::EveryoneLinked,
        ("role", Some(role), None) => AssignedTo::Role(role),
        ("person", None, Some(person)) => AssignedTo::Person(person),
        _ => return Err(corrupt(format_args!("whom form assignment {id} is to"))),
    };
    Ok(FormAssignment {
        id,
        form_id: FormId::from_uuid(uuid(row, "form_id")?),
        child_id: ChildId::from_uuid(uuid(row, "child_id")?),
        to,
        due: optional_date(row, "due")?,
        assigned_by: UserId::from_uuid(uuid(row, "assigned_by")?),
        assigned_at: time(row, "assigned_at")?,
        completed_by: optional_uuid(row, "completed_by")?.map(SubmissionId::from_uuid),
        withdrawn_at: optional_time(row, "withdrawn_at")?,
    })
}

pub(crate) fn form_draft_from_row(row: &impl Columns) -> StoreResult<FormDraft> {
    Ok(FormDraft {
        form_id: FormId::from_uuid(uuid(row, "form_id")?),
        child_id: optional_uuid(row, "child_id")?.map(ChildId::from_uuid),
        author: UserId::from_uuid(uuid(row, "author")?),
        version_number: number(row, "version_number")?,
        answers: answers(row, "answers")?,
        assignment_id: optional_uuid(row, "assignment_id")?.map(FormAssignmentId::from_uuid),
        started_at: time(row, "started_at")?,
        saved_at: time(row, "saved_at")?,
    })
}

pub(crate) fn submission_from_row(row: &impl Columns) -> StoreResult<Submission> {
    Ok(Submission {
        id: SubmissionId::from_uuid(uuid(row, "id")?),
        reference: text(row, "reference")?,
        form_id: FormId::from_uuid(uuid(row, "form_id")?),
        version_number: number(row, "version_number")?,
        title: text(row, "title")?,
        child_id: optional_uuid(row, "child_id")?.map(ChildId::from_uuid),
        assignment_id: optional_uuid(row, "assignment_id")?.map(FormAssignmentId::from_uuid),
        submitted_by: UserId::from_uuid(uuid(row, "submitted_by")?),
        answers: answers(row, "answers")?,
        submitted_at: time(row, "submitted_at")?,
        processing: processing_from_row(row)?,
    })
}

fn processing_from_row(row: &impl Columns) -> StoreResult<Processing> {
    let result = optional_text(row, "match_result")?
        .map(|json| {
            serde_json::from_str::<MatchResult>(&json)
                .map_err(|e| corrupt(format_args!("match_result: {e}")))
        })
        .transpose()?;
    Ok(Processing {
        status: code(row, "processing_status")?,
        child_id: optional_uuid(row, "processing_child_id")?.map(ChildId::from_uuid),
        result,
        confirmed: flag(row, "processing_confirmed")?,
        decided_by: optional_uuid(row, "processing_decided_by")?.map(UserId::from_uuid),
        decided_at: optional_time(row, "processing_decided_at")?,
        message: optional_text(row, "rejection_message")?,
        involvement_id: optional_uuid(row, "involvement_id")?.map(InvolvementId::from_uuid),
        version: number(row, "processing_version")?,
    })
}

pub(crate) fn advice_request_from_row(
    row: &impl Columns,
) -> StoreResult<send_domain::advice::AdviceRequest> {
    use send_domain::advice::{AdviceLink, AdviceRequest, AdviceStatus};
    let status = match text(row, "status")?.as_str() {
        "awaited" => AdviceStatus::Awaited,
        "received" => AdviceStatus::Received {
            on: date(row, "received_on")?,
            submission: optional_uuid(row, "submission_id")?.map(SubmissionId::from_uuid),
            document: optional_uuid(row, "document_id")?.map(DocumentId::from_uuid),
        },
        "withdrawn" => AdviceStatus::Withdrawn {
            on: date(row, "withdrawn_on")?,
            reason: ShortText::from_stored(text(row, "withdrawn_reason")?),
        },
        other => return Err(corrupt(format_args!("advice status {other}"))),
    };
    let link = match optional_parsed(row, "link_hash", TokenHash::from_hex)? {
        Some(hash) => Some(AdviceLink {
            hash,
            expires_at: time(row, "link_expires_at")?,
            used_at: optional_time(row, "link_used_at")?,
        }),
        None => None,
    };
    Ok(AdviceRequest {
        id: send_domain::AdviceRequestId::from_uuid(uuid(row, "id")?),
        child_id: ChildId::from_uuid(uuid(row, "child_id")?),
        involvement_id: InvolvementId::from_uuid(uuid(row, "involvement_id")?),
        kind: code(row, "kind")?,
        recipient: ShortText::from_stored(text(row, "recipient")?),
        email: optional_parsed(row, "email", Email::parse)?,
        professional: optional_user(row, "professional_id")?,
        answer_by: code(row, "answer_by")?,
        form: optional_uuid(row, "form_id")?.map(FormId::from_uuid),
        sent_on: date(row, "sent_on")?,
        due_on: date(row, "due_on")?,
        status,
        link,
        requested_by: UserId::from_uuid(uuid(row, "requested_by")?),
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
        version: number(row, "version")?,
    })
}

pub(crate) fn job_entry_from_row(row: &impl Columns) -> StoreResult<send_domain::jobs::JobEntry> {
    use send_domain::jobs::{Job, JobEntry, JobPayload};
    let payload: JobPayload = serde_json::from_str(&text(row, "payload")?)
        .map_err(|e| corrupt(format_args!("job payload: {e}")))?;
    Ok(JobEntry {
        job: Job {
            id: send_domain::JobId::from_uuid(uuid(row, "id")?),
            payload,
            run_at: time(row, "run_at")?,
            created_at: time(row, "created_at")?,
        },
        status: code(row, "status")?,
        attempts: number(row, "attempts")?,
        last_error: optional_text(row, "last_error")?,
        lease_until: optional_time(row, "lease_until")?,
        finished_at: optional_time(row, "finished_at")?,
    })
}
