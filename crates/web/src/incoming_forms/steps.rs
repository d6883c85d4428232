//! The steps that settle a submission: confirm or choose the child, add a new
//! child's record from its details, reject it with a message, import it. Each
//! posts the processing version the page showed; if someone else moved the
//! submission on meanwhile, nothing is written and the conflict page says so.
//! Each step ends on the submission's page with a banner saying what happened.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::response::Response;
use send_app::App;
use send_app::incoming_forms::ImportOutcome;
use send_domain::incoming_forms::{Detail, ProcessingError, submitted_child};
use send_domain::{ChildId, SubmissionId};
use serde::Deserialize;

use super::page_of;
use crate::back_office::Staff;
use crate::cases::{ChildForm, new_child_page_at, today};
use crate::client::ClientAddress;
use crate::components::Textarea;
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, FormPage, see_other, version_of};

/// A problem a step found that the page it came from cannot show: the
/// submission's page says where it stands now.
fn settled(id: SubmissionId, problem: &ProcessingError) -> Response {
    tracing::info!(%problem, "processing step refused");
    see_other(&page_of(id))
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MatchForm {
    #[serde(default)]
    child: String,
    #[serde(default)]
    version: String,
}

pub async fn confirm(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<SubmissionId>,
    CsrfForm(form): CsrfForm<MatchForm>,
) -> Result<Response, WebError> {
    let child: uuid::Uuid = form.child.parse().map_err(|_| WebError::NotFound)?;
    match app
        .confirm_match(
            &staff.access,
            id,
            ChildId::from_uuid(child),
            version_of(&form.version),
            &source,
        )
        .await?
    {
        Ok(()) => Ok(see_other(&format!("{}?done=matched", page_of(id)))),
        Err(problem) => Ok(settled(id, &problem)),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    message: String,
    #[serde(default)]
    version: String,
}

fn reject_page(
    app: &App,
    staff: &Staff,
    id: SubmissionId,
    form: &RejectForm,
    errors: &FormErrors,
) -> Response {
    FormPage::new(
        staff.signed_in.chrome(app),
        "Reject this form",
        &format!("{}/reject", page_of(id)),
        staff.signed_in.csrf.clone(),
        "Reject form",
    )
    .errors(errors)
    .back(&page_of(id))
    .intro(
        "The person who sent the form gets your message by email. Say why the SEND team \
         cannot accept it and what they can do instead.",
    )
    .field(&format!(
        r#"<input type="hidden" name="version" value="{}">"#,
        form.version.trim().parse::<u32>().unwrap_or(1)
    ))
    .field(
        &Textarea::new("message", "Message to the person who sent it")
            .hint(
                "It is sent by email, so do not give details about the child beyond their \
                 first name.",
            )
            .value(&form.message)
            .rows(5)
            .error_opt(errors.get("message")),
    )
    .respond()
}

pub async fn show_reject(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<SubmissionId>,
) -> Result<Response, WebError> {
    let view = app.processing_view(&staff.access, id, &source).await?;
    if !view.submission.processing.status.is_open() {
        return Ok(see_other(&page_of(id)));
    }
    let form = RejectForm {
        version: view.submission.processing.version.to_string(),
        ..RejectForm::default()
    };
    Ok(reject_page(&app, &staff, id, &form, &FormErrors::default()))
}

pub async fn reject(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<SubmissionId>,
    CsrfForm(form): CsrfForm<RejectForm>,
) -> Result<Response, WebError> {
    match app
        .reject_submission(
            &staff.access,
            id,
            &form.message,
            version_of(&form.version),
            &source,
        )
        .await?
    {
        Ok(()) => Ok(see_other(&format!("{}?done=rejected", page_of(id)))),
        Err(
            problem @ (ProcessingError::NoMessage
            | ProcessingError::MessageTooLong
            | ProcessingError::MessageInvisible),
        ) => {
            let mut errors = FormErrors::default();
            errors.add("message", problem.to_string());
            Ok(reject_page(&app, &staff, id, &form, &errors))
        }
        Err(problem) => Ok(settled(id, &problem)),
    }
}

const NEW_CHILD_INTRO: &str = "These are the details the form gives. Check them and add \
                               anything missing. The form is then matched to the new record.";

/// The processing version a new-child form carries, kept beside the child's fields.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewChildForm {
    #[serde(flatten)]
    child: ChildForm,
    #[serde(default)]
    processing_version: String,
}

fn new_child_page(
    app: &App,
    staff: &Staff,
    id: SubmissionId,
    form: &NewChildForm,
    errors: &FormErrors,
) -> Response {
    let version = form.processing_version.trim().parse::<u32>().unwrap_or(1);
    let hidden = format!(r#"<input type="hidden" name="processing_version" value="{version}">"#);
    let action = format!("{}/new-child", page_of(id));
    let back = page_of(id);
    new_child_page_at(
        app,
        staff,
        &form.child,
        errors,
        (&action, &back, NEW_CHILD_INTRO),
        &hidden,
    )
}

pub async fn show_new_child(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<SubmissionId>,
) -> Result<Response, WebError> {
    if !staff.access.has(send_domain::Permission::EditCases) {
        return Err(WebError::Forbidden);
    }
    let view = app.processing_view(&staff.access, id, &source).await?;
    if !view.submission.processing.status.is_open() {
        return Ok(see_other(&page_of(id)));
    }
    let submitted = submitted_child(&view.submission.answers);
    // A family's request names its sender: the new record's family contact.
    let contact = if view.from_family_request() {
        let email = match view
            .submission
            .answers
            .get(&send_domain::forms::QuestionKey::new("email"))
        {
            Some(send_domain::forms::Answer::Email(email)) => email.clone(),
            _ => view
                .submitter
                .as_ref()
                .map(|a| a.email.to_string())
                .unwrap_or_default(),
        };
        submitted
            .details
            .parents
            .first()
            .map(|name| (name.clone(), "Parent or carer".to_owned(), email))
    } else {
        None
    };
    let form = NewChildForm {
        child: ChildForm::from_submitted(&submitted, contact),
        processing_version: view.submission.processing.version.to_string(),
    };
    Ok(new_child_page(
        &app,
        &staff,
        id,
        &form,
        &FormErrors::default(),
    ))
}

pub async fn new_child(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<SubmissionId>,
    CsrfForm(form): CsrfForm<NewChildForm>,
) -> Result<Response, WebError> {
    // Refused before the form is read, as the page is: someone who may not
    // add a child from a submission is not shown the form's errors.
    if !staff.access.has(send_domain::Permission::EditCases) {
        return Err(WebError::Forbidden);
    }
    app.require_processing(&staff.access, Some(id), &source)
        .await?;
    let mut errors = FormErrors::default();
    let Some((child, contact)) = form.child.child_and_contact(today(&app), &mut errors) else {
        return Ok(new_child_page(&app, &staff, id, &form, &errors));
    };
    match app
        .create_child_from_submission(
            &staff.access,
            id,
            child,
            contact.into_iter().collect(),
            version_of(&form.processing_version),
            &source,
        )
        .await?
    {
        Ok(_) => Ok(see_other(&format!("{}?done=created", page_of(id)))),
        Err(problem) => Ok(settled(id, &problem)),
    }
}

pub async fn import(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<SubmissionId>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let version = fields
        .iter()
        .find(|(k, _)| k == "version")
        .map_or("", |(_, v)| v.as_str());
    let chosen: BTreeSet<Detail> = fields
        .iter()
        .filter(|(k, _)| k == "update")
        .filter_map(|(_, v)| Detail::parse_code(v))
        .collect();
    match app
        .import_submission(&staff.access, id, &chosen, version_of(version), &source)
        .await?
    {
        Ok(ImportOutcome::Imported(done)) => {
            let contact = done
                .contact
                .map(|c| format!("&contact={c}"))
                .unwrap_or_default();
            Ok(see_other(&format!(
                "{}?done=imported{contact}",
                page_of(id)
            )))
        }
        Ok(ImportOutcome::AlreadyImported) => {
            Ok(see_other(&format!("{}?done=already", page_of(id))))
        }
        Err(problem) => Ok(settled(id, &problem)),
    }
}
