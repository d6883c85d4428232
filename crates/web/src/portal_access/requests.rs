//! What waits for the SEND team from portal users: accepted invitations to
//! confirm, and professionals' requests to be linked to a child (the suspense
//! list), each matched to a child or declined (LNK-3, LNK-4).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_domain::dates::{long_date, uk_long_date};
use send_domain::{ChildId, ChildLinkRequestId};
use serde::Deserialize;

use super::back_office::{ReasonForm, reason_page};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{SummaryList, SummaryListRow};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, see_other};

/// One accepted invitation waiting for a decision.
#[derive(Debug, Clone)]
pub struct AcceptedLine {
    pub child_id: ChildId,
    pub child: String,
    pub person: String,
    pub accepted: String,
}

/// One professional's request waiting in the suspense list.
#[derive(Debug, Clone)]
pub struct RequestLine {
    pub id: ChildLinkRequestId,
    pub child: String,
    pub date_of_birth: String,
    pub professional: String,
    pub received: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/portal_requests.html")]
pub struct PortalRequestsPage {
    chrome: Chrome,
    accepted: Vec<AcceptedLine>,
    /// Whether this member of staff deals with professionals' requests.
    deals_with_requests: bool,
    requests: Vec<RequestLine>,
}

pub async fn list(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    let accepted = app
        .invitations_awaiting(&staff.access)
        .await?
        .into_iter()
        .map(|w| AcceptedLine {
            child_id: w.child.id,
            child: w.child.display_name(),
            person: w.row.accepted_by.as_ref().map_or_else(
                || w.row.invitation.name.to_string(),
                |a| format!("{} ({})", a.name, a.email),
            ),
            accepted: w
                .row
                .invitation
                .acceptance
                .as_ref()
                .map(|a| uk_long_date(a.at))
                .unwrap_or_default(),
        })
        .collect();
    let requests = app
        .suspense_list(&staff.access)
        .await?
        .into_iter()
        .map(|w| RequestLine {
            id: w.request.id,
            child: format!("{} {}", w.request.first_name, w.request.last_name),
            date_of_birth: long_date(w.request.date_of_birth),
            professional: w.professional.as_ref().map_or_else(String::new, |p| {
                let org = p
                    .professional
                    .as_ref()
                    .map(|d| format!(", {}", d.organisation))
                    .unwrap_or_default();
                format!("{}{org}", p.name)
            }),
            received: uk_long_date(w.request.created_at),
        })
        .collect();
    Ok(PortalRequestsPage {
        chrome: staff.signed_in.chrome(&app),
        accepted,
        deals_with_requests: App::deals_with_child_link_requests(&staff.access),
        requests,
    }
    .into_response())
}

/// A suggested child for a request.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub id: ChildId,
    pub name: String,
    pub date_of_birth: String,
    pub postcode: String,
    pub setting: String,
    /// The matcher's verdict ("Likely match") and its reasons.
    pub verdict: &'static str,
    pub reasons: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/child_request.html")]
pub struct ChildRequestPage {
    chrome: Chrome,
    id: ChildLinkRequestId,
    csrf: String,
    details: SummaryList,
    decided: Option<String>,
    suggestions: Vec<Suggestion>,
}

pub async fn show(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildLinkRequestId>,
) -> Result<Response, WebError> {
    let (waiting, children) = app.child_link_request(&staff.access, id, &source).await?;
    let r = &waiting.request;
    let optional = |v: Option<String>| v.unwrap_or_else(|| "Not given".to_owned());
    let mut details = SummaryList::new()
        .row(SummaryListRow::new(
            "Child's name",
            format!("{} {}", r.first_name, r.last_name),
        ))
        .row(SummaryListRow::new(
            "Date of birth",
            long_date(r.date_of_birth),
        ))
        .row(SummaryListRow::new(
            "School or setting",
            optional(r.setting.as_ref().map(ToString::to_string)),
        ))
        .row(SummaryListRow::new(
            "UPN",
            optional(r.upn.as_ref().map(|x| x.as_str().to_owned())),
        ))
        .row(SummaryListRow::new(
            "ULN",
            optional(r.uln.as_ref().map(|x| x.as_str().to_owned())),
        ))
        .row(SummaryListRow::new(
            "NHS number",
            optional(r.nhs_number.as_ref().map(|x| x.as_str().to_owned())),
        ))
        .row(SummaryListRow::new(
            "Postcode",
            optional(r.postcode.as_ref().map(ToString::to_string)),
        ))
        .row(SummaryListRow::new(
            "Relationship to the child",
            r.relationship.to_string(),
        ));
    if let Some(p) = &waiting.professional {
        details = details.row(SummaryListRow::new(
            "Asked by",
            format!("{} ({})", p.name, p.email),
        ));
        if let Some(d) = &p.professional {
            details = details.row(SummaryListRow::new(
                "Organisation and role",
                format!("{}, {}", d.organisation, d.role),
            ));
        }
    }
    let decided = r.decision.as_ref().map(|d| match d.matched_child {
        Some(_) => format!("Matched to a child on {}", uk_long_date(d.at)),
        None => format!(
            "Declined on {}: {}",
            uk_long_date(d.at),
            d.reason.clone().unwrap_or_default()
        ),
    });
    let suggestions = children
        .iter()
        .map(|candidate| {
            let c = &candidate.child;
            Suggestion {
                id: c.id,
                name: c.display_name(),
                date_of_birth: long_date(c.date_of_birth),
                postcode: c
                    .address
                    .postcode
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                setting: c
                    .setting
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                verdict: candidate.result.verdict.label(),
                reasons: candidate.result.summary(),
            }
        })
        .collect();
    Ok(ChildRequestPage {
        chrome: staff.signed_in.chrome(&app),
        id,
        csrf: staff.signed_in.csrf.clone(),
        details,
        decided,
        suggestions,
    }
    .into_response())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MatchForm {
    #[serde(default)]
    child: String,
}

pub async fn submit_match(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildLinkRequestId>,
    CsrfForm(form): CsrfForm<MatchForm>,
) -> Result<Response, WebError> {
    let child: ChildId = form.child.parse().map_err(|_| WebError::NotFound)?;
    match app
        .match_child_link_request(&staff.access, id, child, &source)
        .await?
    {
        Ok(()) => Ok(see_other(&format!(
            "/back-office/children/{child}/portal-access"
        ))),
        Err(_) => Ok(see_other(&format!("/back-office/portal-requests/{id}"))),
    }
}

pub async fn show_decline(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildLinkRequestId>,
) -> Result<Response, WebError> {
    app.child_link_request(&staff.access, id, &source).await?;
    Ok(reason_page(
        &app,
        &staff,
        (
            "Decline the request",
            "The professional is sent this reason by email.",
        ),
        &format!("/back-office/portal-requests/{id}/decline"),
        &format!("/back-office/portal-requests/{id}"),
        &ReasonForm::default(),
        &FormErrors::default(),
    ))
}

pub async fn submit_decline(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildLinkRequestId>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<Response, WebError> {
    // The use case refuses (and audits) someone who may not decide the
    // request before it reads the reason, so they never see the form's errors.
    let mut errors = FormErrors::default();
    match app
        .decline_child_link_request(&staff.access, id, &form.reason, &source)
        .await?
    {
        Ok(()) => return Ok(see_other("/back-office/portal-requests")),
        Err(problem) => errors.add("reason", problem.to_string()),
    }
    Ok(reason_page(
        &app,
        &staff,
        (
            "Decline the request",
            "The professional is sent this reason by email.",
        ),
        &format!("/back-office/portal-requests/{id}/decline"),
        &format!("/back-office/portal-requests/{id}"),
        &form,
        &errors,
    ))
}
