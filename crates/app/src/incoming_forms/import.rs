//! Importing a submission onto the child's record, in one change: its answers
//! (the submission itself, now read under the child's access rules) and its
//! files (documents on the child's record, not shared, like any the team adds
//! by hand), the details the caseworker chose to copy onto the record, the link
//! to the involvement, the completed action and the chronology entry. A
//! request for an EHC needs assessment opens the assessment, received on the
//! day the request arrived, and its sender is told. Importing twice changes
//! nothing.

use std::collections::BTreeSet;

use send_domain::dates::{long_date, uk_date};
use send_domain::forms::{Answer, FormPurpose, FormVersion, QuestionKey, Submission};
use send_domain::incoming_forms::ProcessingStatus;
use send_domain::incoming_forms::{Detail, ProcessingError, submitted_child, updated};
use send_domain::involvements::{Involvement, InvolvementKind, Requester};
use send_domain::{
    Account, AuditAction, AuditOutcome, CaseAction, Child, ContactId, Document, DocumentId,
    DocumentKind, FamilyContact, InvolvementId, OutgoingEmail, PersonName, PhoneNumber, Sharing,
    ShortText, StaffAccess, SubmissionId,
};
use send_store::{Changes, Write};

use super::processing::update;
use crate::audit::Source;
use crate::ids::new_uuid;
use crate::{App, AppError, AppResult};

/// What importing a submission of this version does: the form's purpose, or,
/// for a built-in form stored before forms said so, its code's.
pub(crate) fn purpose_of(version: &FormVersion, builtin: Option<&str>) -> Option<FormPurpose> {
    version.definition.purpose.or(match builtin {
        Some("request_assessment_family" | "request_assessment_professional") => {
            Some(FormPurpose::AssessmentRequest)
        }
        Some("professional_advice") => Some(FormPurpose::Advice),
        _ => None,
    })
}

/// A request for an assessment sent by a family (not a professional).
pub(crate) fn is_family_request(version: &FormVersion, builtin: Option<&str>) -> bool {
    purpose_of(version, builtin) == Some(FormPurpose::AssessmentRequest)
        && !version
            .definition
            .audiences
            .contains(&send_domain::forms::Audience::Professionals)
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub child_id: send_domain::ChildId,
    /// The assessment a request opened.
    pub opened: Option<InvolvementId>,
    /// The family contact made from the sender of a family's request, to invite.
    pub contact: Option<ContactId>,
    /// Chosen details the record could not take (a name too long, say).
    pub refused: Vec<Detail>,
}

/// The result of asking to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported(Imported),
    /// It was imported before: nothing changed.
    AlreadyImported,
}

fn requester(submission: &Submission, from_family: bool) -> Requester {
    if !from_family {
        return Requester::School;
    }
    match submission.answers.get(&QuestionKey::new("relationship")) {
        Some(Answer::Choice(choice)) if choice.contains("young person") => Requester::YoungPerson,
        Some(Answer::Choice(choice)) if choice == "Parent" || choice == "Carer" => {
            Requester::Parent
        }
        _ => Requester::Other,
    }
}

/// The sender of a family's request as a family contact of the child, unless
/// the child already has a contact with their email address.
fn sender_contact(
    submission: &Submission,
    existing: &[FamilyContact],
    child: &Child,
    id: ContactId,
) -> Option<FamilyContact> {
    let answers = &submission.answers;
    let relationship = match answers.get(&QuestionKey::new("relationship")) {
        Some(Answer::Choice(choice)) if choice == "Parent" || choice == "Carer" => choice.clone(),
        _ => return None,
    };
    let Some(Answer::Name { first, last }) = answers.get(&QuestionKey::new("your_name")) else {
        return None;
    };
    let email = match answers.get(&QuestionKey::new("email")) {
        Some(Answer::Email(email)) => send_domain::Email::parse(email).ok()?,
        _ => return None,
    };
    if existing.iter().any(|c| c.email.as_ref() == Some(&email)) {
        return None;
    }
    let phone = match answers.get(&QuestionKey::new("phone")) {
        Some(Answer::Phone(phone)) => PhoneNumber::parse(phone).ok(),
        _ => None,
    };
    Some(FamilyContact {
        id,
        child_id: child.id,
        name: PersonName::parse(&format!("{first} {last}")).ok()?,
        relationship: ShortText::parse(&relationship, "relationship").ok()?,
        email: Some(email),
        phone,
        parental_responsibility: matches!(
            answers.get(&QuestionKey::new("parental_responsibility")),
            Some(Answer::YesNo(true))
        ),
    })
}

/// A description of one of the submission's files, at most 100 characters.
fn file_description(submission: &Submission, name: &str) -> ShortText {
    let text = format!("{}: {name}", submission.reference);
    let cut: String = text.chars().take(ShortText::MAX_CHARS).collect();
    ShortText::from_stored(cut)
}

/// The files of a submission, as documents on the child's record (not shared).
fn file_documents(
    submission: &Submission,
    child: &Child,
    purpose: Option<FormPurpose>,
    ids: impl Fn() -> DocumentId,
) -> Vec<Write> {
    let kind = if purpose == Some(FormPurpose::Advice) {
        DocumentKind::Advice
    } else {
        DocumentKind::Other
    };
    submission
        .answers
        .files()
        .into_iter()
        .map(|file| {
            Write::InsertDocument(Document {
                id: ids(),
                child_id: child.id,
                kind,
                description: file_description(submission, &file.name),
                file: file.clone(),
                uploaded_by: submission.submitted_by,
                uploaded_at: submission.submitted_at,
                sharing: Sharing::NotShared,
                shared_at: None,
            })
        })
        .collect()
}

/// Where an import links to: a request opens an assessment (unless one is
/// open already); anything else goes with the child's open involvement.
struct Link {
    involvement: Option<InvolvementId>,
    opened: Option<Involvement>,
}

impl App {
    fn link_for(
        &self,
        submission: &Submission,
        child: &Child,
        involvements: &[Involvement],
        (purpose, from_family): (Option<FormPurpose>, bool),
    ) -> Link {
        let is_request = purpose == Some(FormPurpose::AssessmentRequest);
        let open_assessment = involvements
            .iter()
            .find(|i| i.kind == InvolvementKind::Assessment && !i.stage.is_closed());
        if is_request && open_assessment.is_none() {
            let id = InvolvementId::from_uuid(new_uuid(self.clock.as_ref()));
            let mut assessment = Involvement::open(
                id,
                child.id,
                InvolvementKind::Assessment,
                uk_date(submission.submitted_at),
                self.clock.now(),
            );
            assessment.requested_by = Some(requester(submission, from_family));
            return Link {
                involvement: Some(id),
                opened: Some(assessment),
            };
        }
        Link {
            involvement: open_assessment
                .filter(|_| is_request)
                .or_else(|| involvements.iter().find(|i| !i.stage.is_closed()))
                .map(|i| i.id),
            opened: None,
        }
    }

    /// The chosen details copied onto the record, on the chronology and in the
    /// audit log; and the chosen details the record could not take.
    fn detail_changes(
        &self,
        access: &StaffAccess,
        submission: &Submission,
        child: &Child,
        chosen: &BTreeSet<Detail>,
        source: &Source,
    ) -> (Changes, Vec<Detail>) {
        let submitted = submitted_child(&submission.answers);
        let (mut record, refused) = updated(child, &submitted, chosen);
        if record == *child {
            return (Changes::new(), refused);
        }
        let copied: Vec<&str> = chosen
            .iter()
            .filter(|d| !refused.contains(d))
            .map(|d| d.label())
            .collect();
        record.updated_at = self.clock.now();
        let mut event = self.case_event(
            access,
            AuditAction::ChildUpdated,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        event.detail = Some(format!(
            "from submission {}: {}",
            submission.reference,
            copied.join(", ")
        ));
        let changes = Changes::new()
            .with(Write::UpdateChild {
                expected_version: child.version,
                child: record,
            })
            .with(Write::AddChronologyEntry(self.chronology_entry(
                child.id,
                access.account_id,
                "child.updated",
                format!(
                    "Child's details updated from form {}: {}",
                    submission.reference,
                    copied.join(", ")
                ),
                None,
            )))
            .with_audit(event);
        (changes, refused)
    }

    /// What importing this submission does, from the version it answered.
    async fn purpose_for(&self, submission: &Submission) -> AppResult<(Option<FormPurpose>, bool)> {
        let builtin = self
            .store
            .form(submission.form_id)
            .await?
            .and_then(|f| f.builtin);
        let version = self
            .store
            .form_version(submission.form_id, submission.version_number)
            .await?
            .ok_or_else(|| AppError::unexpected("a submission's form version is missing"))?;
        Ok((
            purpose_of(&version, builtin.as_deref()),
            is_family_request(&version, builtin.as_deref()),
        ))
    }

    fn import_event(
        &self,
        access: &StaffAccess,
        submission: &Submission,
        child: send_domain::ChildId,
        opened: bool,
        source: &Source,
    ) -> send_domain::AuditEvent {
        let mut event = self.case_event(
            access,
            AuditAction::SubmissionImported,
            AuditOutcome::Succeeded,
            Some(child),
            source,
        );
        event.subject = Some(format!("submission:{}", submission.id));
        event.detail = Some(format!(
            "{} ({}){}",
            submission.title,
            submission.reference,
            if opened {
                "; EHC needs assessment opened"
            } else {
                ""
            }
        ));
        event
    }

    /// Tells the sender of a request that it was received, and when it counts from.
    async fn request_received(
        &self,
        submission: &Submission,
        sender: &Account,
    ) -> AppResult<OutgoingEmail> {
        let received_date = long_date(uk_date(submission.submitted_at));
        Ok(self.council_email(
            &*self.texts().await?,
            "assessment_request_received",
            sender.email.clone(),
            Some(sender.name.clone()),
            &[
                ("reference", submission.reference.as_str()),
                ("received_date", received_date.as_str()),
            ],
        ))
    }

    /// Imports a submission onto its confirmed child's record, copying the
    /// `chosen` details onto the record. `seen_version` is the processing
    /// version the person was shown.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, submission_id = %id))]
    pub async fn import_submission(
        &self,
        access: &StaffAccess,
        id: SubmissionId,
        chosen: &BTreeSet<Detail>,
        seen_version: u32,
        source: &Source,
    ) -> AppResult<Result<ImportOutcome, ProcessingError>> {
        let (submission, _) = self.processable(access, id, source).await?;
        let processing = &submission.processing;
        if processing.status == ProcessingStatus::Imported {
            return Ok(Ok(ImportOutcome::AlreadyImported));
        }
        if processing.version != seen_version {
            return Err(AppError::Changed);
        }
        let Some(child_id) = processing.child_id.filter(|_| processing.confirmed) else {
            return Ok(Err(ProcessingError::NoChild));
        };
        let child = self
            .authorise_child(access, CaseAction::Edit, child_id, source)
            .await?;
        let (purpose, from_family) = self.purpose_for(&submission).await?;
        let involvements = self.store.involvements_of_child(child.id).await?;
        let link = self.link_for(&submission, &child, &involvements, (purpose, from_family));
        let next = match processing.import(link.involvement, access.account_id, self.clock.now()) {
            Ok(next) => next,
            Err(problem) => return Ok(Err(problem)),
        };
        let received = long_date(uk_date(submission.submitted_at));
        let mut changes = Changes::new();
        let opened = link.opened.as_ref().map(|i| i.id);
        if let Some(assessment) = link.opened {
            changes.push(Write::InsertInvolvement(assessment));
            changes.push(Write::AddChronologyEntry(self.chronology_entry(
                child.id,
                access.account_id,
                "involvement.opened",
                format!(
                    "{} opened (request received on {received}, form {})",
                    InvolvementKind::Assessment.label(),
                    submission.reference
                ),
                None,
            )));
        }
        let (details, refused) = self.detail_changes(access, &submission, &child, chosen, source);
        changes = changes.with_changes(details);
        for write in file_documents(&submission, &child, purpose, || {
            DocumentId::from_uuid(new_uuid(self.clock.as_ref()))
        }) {
            changes.push(write);
        }
        let mut contact = None;
        if from_family {
            let existing = self.store.family_contacts(child.id).await?;
            let new_id = ContactId::from_uuid(new_uuid(self.clock.as_ref()));
            if let Some(made) = sender_contact(&submission, &existing, &child, new_id) {
                contact = Some(made.id);
                changes.push(Write::SaveContact(made));
            }
        }
        if let Some(assignment) = submission.assignment_id {
            changes.push(Write::CompleteFormAssignment {
                id: assignment,
                submission: submission.id,
            });
        }
        let sender = self.store.account_by_id(submission.submitted_by).await?;
        let from = sender
            .as_ref()
            .map_or_else(String::new, |a| format!(" from {}", a.name));
        changes.push(Write::AddChronologyEntry(self.chronology_entry(
            child.id,
            access.account_id,
            "form.imported",
            format!(
                "{}{from} added to the record (reference {}, received {received})",
                submission.title, submission.reference
            ),
            None,
        )));
        changes.push(update(&submission, Some(child.id), next));
        changes = changes.with_audit(self.import_event(
            access,
            &submission,
            child.id,
            opened.is_some(),
            source,
        ));
        if let (Some(_), Some(sender)) = (opened, sender.as_ref()) {
            changes = changes.with_email(self.request_received(&submission, sender).await?);
        }
        self.store.commit(&changes).await?;
        Ok(Ok(ImportOutcome::Imported(Imported {
            child_id: child.id,
            opened,
            contact,
            refused,
        })))
    }
}

#[cfg(test)]
mod tests {
    use send_domain::forms::builtin::builtins;
    use send_domain::forms::{Audience, FormDefinition};
    use send_domain::{FormId, UserId};
    use time::OffsetDateTime;

    use super::*;

    fn version(definition: FormDefinition) -> FormVersion {
        FormVersion {
            form_id: FormId::from_uuid(uuid::Uuid::nil()),
            number: 1,
            definition,
            published_by: UserId::from_uuid(uuid::Uuid::nil()),
            published_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn builtin(code: &str) -> FormDefinition {
        builtins()
            .into_iter()
            .find(|b| b.code == code)
            .map_or_else(|| panic!("{code}"), |b| b.definition)
    }

    #[test]
    fn a_councils_copy_of_a_request_form_still_opens_an_assessment() {
        let mut copy = builtin("request_assessment_family");
        copy.title = "Copy of Request an EHC needs assessment".to_owned();
        let copied = version(copy);
        assert_eq!(
            purpose_of(&copied, None),
            Some(FormPurpose::AssessmentRequest)
        );
        assert!(is_family_request(&copied, None));
        let professional = version(builtin("request_assessment_professional"));
        assert!(!is_family_request(&professional, None));
        assert_eq!(
            purpose_of(&version(builtin("professional_advice")), None),
            Some(FormPurpose::Advice)
        );
    }

    #[test]
    fn a_builtin_stored_before_forms_had_a_purpose_is_known_by_its_code() {
        let mut old = builtin("request_assessment_family");
        old.purpose = None;
        let stored = version(old);
        assert_eq!(
            purpose_of(&stored, Some("request_assessment_family")),
            Some(FormPurpose::AssessmentRequest)
        );
        let mut plain = FormDefinition::new("Transport request");
        plain.audiences = vec![Audience::Families];
        assert_eq!(purpose_of(&version(plain), None), None);
    }
}
