//! A child's Portal access page (LNK-5) and the invitation steps taken from it
//! (LNK-1 to LNK-3): invite a family contact, record the identity check, send the
//! "Accept Portal Invitation" link, confirm or decline an acceptance, withdraw,
//! revoke and grant again.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_app::portal_access::invitations::{InvitationProblem, InvitationRow};
use send_app::portal_access::links::LinkRow;
use send_domain::dates::uk_long_date;
use send_domain::{
    ChangeReason, Child, ChildId, ContactId, Invitation, InvitationId, InvitationStage, LinkStatus,
    PortalLinkId, PortalRole, VerifiedBy,
};
use serde::Deserialize;

use crate::accounts::{FLASH, Flash, keep, take};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{
    CharacterCount, ChoiceItem, Input, Legend, Radios, SummaryList, SummaryListRow, Tag, Textarea,
};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, FormPage, see_other};

/// A button on the page: a post (with the form token) or a link.
#[derive(Debug, Clone)]
pub struct PageAction {
    pub href: String,
    pub text: String,
    pub post: bool,
    pub secondary: bool,
}

impl PageAction {
    fn post(href: String, text: &str, secondary: bool) -> Self {
        Self {
            href,
            text: text.to_owned(),
            post: true,
            secondary,
        }
    }

    fn link(href: String, text: &str) -> Self {
        Self {
            href,
            text: text.to_owned(),
            post: false,
            secondary: true,
        }
    }
}

/// One linked person on the page.
#[derive(Debug, Clone)]
pub struct LinkLine {
    pub name: String,
    pub email: String,
    pub role: String,
    pub status: String,
    pub since: String,
    pub changed_by: String,
    /// Why access was revoked, as the SEND team gave it.
    pub reason: Option<String>,
    pub action: Option<PageAction>,
}

/// One invitation on the page.
#[derive(Debug, Clone)]
pub struct InvitationCard {
    pub details: SummaryList,
    pub actions: Vec<PageAction>,
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/portal_access.html")]
pub struct PortalAccessPage {
    chrome: Chrome,
    id: ChildId,
    name: String,
    csrf: String,
    links: Vec<LinkLine>,
    invitations: Vec<InvitationCard>,
    can_invite: bool,
    /// The success banner after a step.
    flash: Option<String>,
}

fn status_tag(status: LinkStatus) -> String {
    let (text, colour) = match status {
        LinkStatus::Active => ("Active", "green"),
        LinkStatus::Pending => ("Pending", "yellow"),
        LinkStatus::Revoked => ("Revoked", "red"),
        LinkStatus::Declined => ("Declined", "grey"),
    };
    Tag::colour(text, colour).to_string()
}

fn link_line(child: ChildId, row: &LinkRow) -> LinkLine {
    let link = &row.link;
    let (name, email) = row.account.as_ref().map_or_else(
        || ("Account removed".to_owned(), String::new()),
        |a| (a.name.to_string(), a.email.to_string()),
    );
    let base = format!("/back-office/children/{child}/portal-access/{}", link.id);
    let action = match link.status {
        LinkStatus::Active => Some(PageAction::link(format!("{base}/revoke"), "Revoke access")),
        LinkStatus::Revoked => Some(PageAction::post(
            format!("{base}/grant"),
            "Grant access again",
            true,
        )),
        LinkStatus::Pending | LinkStatus::Declined => None,
    };
    LinkLine {
        name,
        email,
        role: link.role.label().to_owned(),
        status: status_tag(link.status),
        since: uk_long_date(link.status_since),
        changed_by: row
            .changed_by
            .clone()
            .unwrap_or_else(|| "The person's own request".to_owned()),
        reason: row.reason.clone(),
        action,
    }
}

/// The steps a caseworker can take on an invitation where it stands.
fn card_actions(stage: InvitationStage, base: &str) -> Vec<PageAction> {
    let mut actions = Vec::new();
    match stage {
        InvitationStage::CodeSent => {
            actions.push(PageAction::link(
                format!("{base}/verify"),
                "Record identity check",
            ));
        }
        InvitationStage::IdentityVerified => actions.push(PageAction::post(
            format!("{base}/send-link"),
            "Send Accept Portal Invitation email",
            false,
        )),
        InvitationStage::LinkSent => actions.push(PageAction::post(
            format!("{base}/send-link"),
            "Send a new link",
            true,
        )),
        InvitationStage::Accepted => {
            actions.push(PageAction::post(
                format!("{base}/confirm"),
                "Confirm access",
                false,
            ));
            actions.push(PageAction::link(format!("{base}/decline"), "Decline"));
        }
        _ => {}
    }
    if matches!(
        stage,
        InvitationStage::CodeSent
            | InvitationStage::IdentityVerified
            | InvitationStage::LinkSent
            | InvitationStage::Locked
    ) {
        actions.push(PageAction::post(
            format!("{base}/withdraw"),
            "Withdraw invitation",
            true,
        ));
    }
    actions
}

async fn invitation_card(app: &App, row: &InvitationRow) -> Result<InvitationCard, WebError> {
    let inv = &row.invitation;
    let stage = inv.stage();
    let who = |id| async move {
        app.account_name(id)
            .await
            .map(|n| n.unwrap_or_else(|| "Unknown".to_owned()))
    };
    let mut details = SummaryList::new()
        .card(format!("Invitation to {}", inv.name))
        .row(SummaryListRow::new("Email", inv.email.to_string()))
        .row(SummaryListRow::new("Role", inv.role.label()))
        .row(SummaryListRow::new("Where it stands", stage.label()))
        .row(SummaryListRow::new(
            "Reference code sent",
            format!(
                "{} by {}",
                uk_long_date(inv.created_at),
                who(inv.created_by).await?
            ),
        ));
    if let Some(v) = &inv.verification {
        details = details.row(SummaryListRow::new(
            "Identity checked",
            format!(
                "{} by {}, {}",
                uk_long_date(v.at),
                who(v.by).await?,
                v.how.label().to_lowercase()
            ),
        ));
    }
    if inv.failed_checks > 0 {
        details = details.row(SummaryListRow::new(
            "Wrong codes entered",
            inv.failed_checks.to_string(),
        ));
    }
    if let Some(link) = &inv.link {
        details = details.row(SummaryListRow::new(
            "Invitation link",
            format!(
                "Sent {}, works until {}",
                uk_long_date(link.sent_at),
                uk_long_date(link.expires_at)
            ),
        ));
    }
    if let (Some(a), Some(account)) = (&inv.acceptance, &row.accepted_by) {
        let mut used = format!(
            "{} ({}) on {}",
            account.name,
            account.email,
            uk_long_date(a.at)
        );
        if account.email != inv.email {
            used.push_str(". This is not the email address the invitation was sent to");
        }
        details = details.row(SummaryListRow::new("Link used by", used));
    }
    if let Some(d) = &inv.decision {
        let mut text = format!("{} on {}", stage.label(), uk_long_date(d.at));
        if let Some(reason) = &d.reason {
            text.push_str(": ");
            text.push_str(reason);
        }
        details = details.row(SummaryListRow::new("Outcome", text));
    }
    let actions = card_actions(stage, &format!("/back-office/invitations/{}", inv.id));
    Ok(InvitationCard { details, actions })
}

pub async fn show(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
) -> Result<Response, WebError> {
    let view = app.portal_access_of(&staff.access, id, &source).await?;
    let flash = take::<Flash>(&staff.signed_in.session, FLASH).await?;
    let links = view.links.iter().map(|row| link_line(id, row)).collect();
    let mut invitations = Vec::new();
    for row in &view.invitations {
        invitations.push(invitation_card(&app, row).await?);
    }
    Ok(PortalAccessPage {
        chrome: staff.signed_in.chrome(&app),
        id,
        name: view.child.display_name(),
        csrf: staff.signed_in.csrf.clone(),
        links,
        invitations,
        can_invite: view.contacts.iter().any(|c| c.email.is_some()),
        flash: flash.map(|f| f.banner()),
    }
    .into_response())
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    contact: String,
    #[serde(default)]
    role: String,
}

async fn invite_page(
    app: &App,
    staff: &Staff,
    child: &Child,
    form: &InviteForm,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let record = app
        .store
        .family_contacts(child.id)
        .await
        .map_err(|e| WebError::from(send_app::AppError::from(e)))?;
    let mut contacts = Radios::new("contact")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Who to invite")
        })
        .hint("They get an email with a reference code to quote when they contact the SEND team.")
        .error_opt(errors.get("contact"));
    for c in record.iter().filter(|c| c.email.is_some()) {
        let email = c
            .email
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        contacts = contacts.item(
            ChoiceItem::new(c.id.to_string(), format!("{} ({})", c.name, c.relationship))
                .hint(email)
                .checked(form.contact == c.id.to_string()),
        );
    }
    let mut roles = Radios::new("role")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("They will use the portal as")
        })
        .error_opt(errors.get("role"));
    for role in [PortalRole::Parent, PortalRole::YoungPerson] {
        roles = roles
            .item(ChoiceItem::new(role.code(), role.label()).checked(form.role == role.code()));
    }
    let mut page = FormPage::new(
        staff.signed_in.chrome(app),
        &format!("Invite someone to see {}’s case", child.display_name()),
        &format!("/back-office/children/{}/invitations/new", child.id),
        staff.signed_in.csrf.clone(),
        "Send invitation",
    )
    .errors(errors)
    .back(&format!("/back-office/children/{}/portal-access", child.id));
    if record.iter().all(|c| c.email.is_none()) {
        page = page
            .intro("No family contact has an email address. Add one on the child's record first.");
    }
    Ok(page.field(&contacts).field(&roles).respond())
}

/// The invitation page; `?contact=…&role=…` chooses the person and role
/// beforehand (from an imported request for an assessment).
pub async fn show_invite(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
    axum::extract::Query(chosen): axum::extract::Query<InviteForm>,
) -> Result<Response, WebError> {
    let child = app
        .authorise_child(
            &staff.access,
            send_domain::CaseAction::ManageAccess,
            id,
            &source,
        )
        .await?;
    invite_page(&app, &staff, &child, &chosen, &FormErrors::default()).await
}

pub async fn submit_invite(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
    CsrfForm(form): CsrfForm<InviteForm>,
) -> Result<Response, WebError> {
    let child = app
        .authorise_child(
            &staff.access,
            send_domain::CaseAction::ManageAccess,
            id,
            &source,
        )
        .await?;
    let mut errors = FormErrors::default();
    let contact: Option<ContactId> = form.contact.parse().ok();
    if contact.is_none() {
        errors.add("contact", "Select who to invite");
    }
    let role = form
        .role
        .parse::<PortalRole>()
        .ok()
        .filter(|r| *r != PortalRole::Professional);
    if role.is_none() {
        errors.add("role", "Select how they will use the portal");
    }
    if let (Some(contact), Some(role), true) = (contact, role, errors.is_empty()) {
        match app
            .invite_contact(&staff.access, id, contact, role, &source)
            .await?
        {
            Ok(invitation) => {
                let name = app
                    .store
                    .invitation(invitation)
                    .await
                    .map_err(|e| WebError::from(send_app::AppError::from(e)))?
                    .map_or_else(String::new, |i| i.name.to_string());
                let text = format!(
                    "Invitation sent to {name}. They have been emailed a reference code to quote \
                     when they contact the SEND team"
                );
                return done(
                    &staff,
                    &format!("/back-office/children/{id}/portal-access"),
                    &text,
                )
                .await;
            }
            Err(problem) => errors.add("contact", problem.to_string()),
        }
    }
    invite_page(&app, &staff, &child, &form, &errors).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    how: String,
}

fn verify_page(
    app: &App,
    staff: &Staff,
    (invitation, child): (&Invitation, &Child),
    form: &VerifyForm,
    errors: &FormErrors,
) -> Response {
    let mut how = Radios::new("how")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("How did you check who they are?")
        })
        .error_opt(errors.get("how"));
    for option in VerifiedBy::ALL {
        how = how.item(
            ChoiceItem::new(option.code(), option.label()).checked(form.how == option.code()),
        );
    }
    FormPage::new(
        staff.signed_in.chrome(app),
        &format!("Record identity check for {}", invitation.name),
        &format!("/back-office/invitations/{}/verify", invitation.id),
        staff.signed_in.csrf.clone(),
        "Record check",
    )
    .errors(errors)
    .back(&format!("/back-office/children/{}/portal-access", child.id))
    .intro(format!(
        "{} ({}) was invited to see {}’s case as {}.",
        invitation.name,
        invitation.email,
        child.display_name(),
        invitation.role.label().to_lowercase()
    ))
    .intro(format!(
        "Ask {} to read out the reference code from their email, and check who they are in \
         your usual way before you enter it.",
        invitation.name
    ))
    .field(
        &Input::new("code", "Reference code")
            .hint("8 letters and numbers, for example ACDE-F234")
            .value(&form.code)
            .classes("govuk-input--width-10")
            .autocomplete("off")
            .spellcheck(false)
            .error_opt(errors.get("code")),
    )
    .field(&how)
    .respond()
}

async fn invitation_child(
    app: &App,
    staff: &Staff,
    id: InvitationId,
    source: &send_app::audit::Source,
) -> Result<(Child, Invitation), WebError> {
    let invitation = app
        .store
        .invitation(id)
        .await
        .map_err(|e| WebError::from(send_app::AppError::from(e)))?
        .ok_or(WebError::NotFound)?;
    let child = app
        .authorise_child(
            &staff.access,
            send_domain::CaseAction::ManageAccess,
            invitation.child_id,
            source,
        )
        .await?;
    Ok((child, invitation))
}

pub async fn show_verify(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvitationId>,
) -> Result<Response, WebError> {
    let (child, invitation) = invitation_child(&app, &staff, id, &source).await?;
    Ok(verify_page(
        &app,
        &staff,
        (&invitation, &child),
        &VerifyForm::default(),
        &FormErrors::default(),
    ))
}

pub async fn submit_verify(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvitationId>,
    CsrfForm(form): CsrfForm<VerifyForm>,
) -> Result<Response, WebError> {
    let (child, invitation) = invitation_child(&app, &staff, id, &source).await?;
    let mut errors = FormErrors::default();
    let how = form.how.parse::<VerifiedBy>().ok();
    if form.code.trim().is_empty() {
        errors.add("code", "Enter the reference code");
    }
    if how.is_none() {
        errors.add("how", "Select how you checked who they are");
    }
    if let (Some(how), true) = (how, errors.is_empty()) {
        match app
            .verify_identity(&staff.access, id, &form.code, how, &source)
            .await?
        {
            Ok(()) => {
                let text = format!(
                    "Identity check recorded for {}. You can now send them the Accept Portal \
                     Invitation email",
                    invitation.name
                );
                return done(
                    &staff,
                    &format!("/back-office/children/{}/portal-access", child.id),
                    &text,
                )
                .await;
            }
            Err(problem) => errors.add("code", problem.to_string()),
        }
    }
    Ok(verify_page(
        &app,
        &staff,
        (&invitation, &child),
        &form,
        &errors,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/step_problem.html")]
pub struct StepProblemPage {
    chrome: Chrome,
    problem: String,
    back: String,
}

/// After a step that changed something: the success banner `text` is kept for
/// the next page, and the browser sent to `to`.
async fn done(staff: &Staff, to: &str, text: &str) -> Result<Response, WebError> {
    keep(&staff.signed_in.session, FLASH, &Flash::success(text)).await?;
    Ok(see_other(to))
}

/// After a one-button step: back to the page with the banner saying what was
/// done, or the problem on its own page (409: the step no longer fits where
/// things stand).
async fn after_step(
    app: &App,
    staff: &Staff,
    child: ChildId,
    result: Result<String, String>,
) -> Result<Response, WebError> {
    let back = format!("/back-office/children/{child}/portal-access");
    match result {
        Ok(text) => done(staff, &back, &text).await,
        Err(problem) => Ok((
            http::StatusCode::CONFLICT,
            StepProblemPage {
                chrome: staff.signed_in.chrome(app),
                problem,
                back,
            },
        )
            .into_response()),
    }
}

/// The banner after a one-button step on the invitation to `name`, for `child`.
fn step_banner(step: Step, name: &str, child: &str) -> String {
    match step {
        Step::SendLink => format!("Accept Portal Invitation email sent to {name}"),
        Step::Withdraw => format!("Invitation to {name} withdrawn"),
        Step::Confirm => format!("Access confirmed. {name} can now see {child}’s SEND Dashboard"),
    }
}

/// The one-button steps on an invitation.
#[derive(Debug, Clone, Copy)]
enum Step {
    SendLink,
    Withdraw,
    Confirm,
}

async fn take_step(
    app: &App,
    staff: &Staff,
    source: &send_app::audit::Source,
    id: InvitationId,
    step: Step,
) -> Result<Response, WebError> {
    let (child, invitation) = invitation_child(app, staff, id, source).await?;
    let result: Result<(), InvitationProblem> = match step {
        Step::SendLink => app.send_invitation_link(&staff.access, id, source).await?,
        Step::Withdraw => app.withdraw_invitation(&staff.access, id, source).await?,
        Step::Confirm => app.confirm_invitation(&staff.access, id, source).await?,
    };
    let result = result
        .map(|()| step_banner(step, invitation.name.as_str(), &child.display_name()))
        .map_err(|p| p.to_string());
    after_step(app, staff, child.id, result).await
}

pub async fn send_link(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvitationId>,
    CsrfForm(_): CsrfForm<crate::accounts::AnyForm>,
) -> Result<Response, WebError> {
    take_step(&app, &staff, &source, id, Step::SendLink).await
}

pub async fn withdraw(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvitationId>,
    CsrfForm(_): CsrfForm<crate::accounts::AnyForm>,
) -> Result<Response, WebError> {
    take_step(&app, &staff, &source, id, Step::Withdraw).await
}

pub async fn confirm(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvitationId>,
    CsrfForm(_): CsrfForm<crate::accounts::AnyForm>,
) -> Result<Response, WebError> {
    take_step(&app, &staff, &source, id, Step::Confirm).await
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    pub(super) reason: String,
}

pub(super) fn reason_page(
    app: &App,
    staff: &Staff,
    (title, hint): (&str, &str),
    action: &str,
    back: &str,
    form: &ReasonForm,
    errors: &FormErrors,
) -> Response {
    FormPage::new(
        staff.signed_in.chrome(app),
        title,
        action,
        staff.signed_in.csrf.clone(),
        "Decline",
    )
    .errors(errors)
    .back(back)
    .field(
        &Textarea::new("reason", "Reason")
            .hint(hint)
            .value(&form.reason)
            .rows(3)
            .error_opt(errors.get("reason")),
    )
    .respond()
}

pub async fn show_decline(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvitationId>,
) -> Result<Response, WebError> {
    let (child, _) = invitation_child(&app, &staff, id, &source).await?;
    Ok(reason_page(
        &app,
        &staff,
        (
            "Decline portal access",
            "This is kept on the child's record. The person is told their access was not \
             confirmed, not the reason.",
        ),
        &format!("/back-office/invitations/{id}/decline"),
        &format!("/back-office/children/{}/portal-access", child.id),
        &ReasonForm::default(),
        &FormErrors::default(),
    ))
}

pub async fn submit_decline(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<InvitationId>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<Response, WebError> {
    let (child, invitation) = invitation_child(&app, &staff, id, &source).await?;
    let mut errors = FormErrors::default();
    if form.reason.trim().is_empty() {
        errors.add("reason", "Enter the reason");
    } else {
        match app
            .decline_invitation(&staff.access, id, &form.reason, &source)
            .await?
        {
            Ok(()) => {
                return done(
                    &staff,
                    &format!("/back-office/children/{}/portal-access", child.id),
                    &format!("Portal access declined for {}", invitation.name),
                )
                .await;
            }
            Err(problem) => errors.add("reason", problem.to_string()),
        }
    }
    Ok(reason_page(
        &app,
        &staff,
        (
            "Decline portal access",
            "This is kept on the child's record. The person is told their access was not \
             confirmed, not the reason.",
        ),
        &format!("/back-office/invitations/{id}/decline"),
        &format!("/back-office/children/{}/portal-access", child.id),
        &form,
        &errors,
    ))
}

/// What the revoke page shows and keeps.
fn revoke_page(
    app: &App,
    staff: &Staff,
    (child, row): (&Child, &LinkRow),
    form: &ReasonForm,
    errors: &FormErrors,
) -> Response {
    let person = row
        .account
        .as_ref()
        .map_or_else(|| "This person".to_owned(), |a| a.name.to_string());
    let back = format!("/back-office/children/{}/portal-access", child.id);
    let mut reason = CharacterCount::new(
        "reason",
        "Why are you revoking access?",
        u32::try_from(ChangeReason::MAX_CHARS).unwrap_or(u32::MAX),
    )
    .hint(format!(
        "This is kept on {}’s record and in the audit log. {person} is not told the reason.",
        child.display_name()
    ))
    .value(&form.reason);
    if let Some(error) = errors.get("reason") {
        reason = reason.error(error);
    }
    let mut page = FormPage::new(
        staff.signed_in.chrome(app),
        &format!(
            "{person} will no longer see {}’s SEND Dashboard",
            child.display_name()
        ),
        &format!("{back}/{}/revoke", row.link.id),
        staff.signed_in.csrf.clone(),
        "Revoke access",
    )
    .errors(errors)
    .back(&back)
    .intro(format!(
        "{person} uses the portal as {} of {}. Their access ends on their very next \
         request: they will not see the SEND Dashboard, messages, documents or forms about \
         {} any more. You can grant it again later from the Portal access page.",
        row.link.role.label().to_lowercase(),
        child.display_name(),
        child.display_name()
    ))
    .field(&reason)
    .after_form(format!(
        r#"<p class="govuk-body"><a class="govuk-link" href="{back}">Cancel</a></p>"#
    ));
    page.button = page.button.classes("govuk-button--warning");
    page.respond()
}

/// "Are you sure": what revoking means for this person, and the reason to give.
pub async fn show_revoke(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((child, link)): IdPath<(ChildId, PortalLinkId)>,
) -> Result<Response, WebError> {
    let (child, row) = app
        .link_of_child(&staff.access, child, link, &source)
        .await?;
    if row.link.status != LinkStatus::Active {
        return after_step(
            &app,
            &staff,
            child.id,
            Err(send_app::portal_access::links::LinkProblem::ChangedMeanwhile.to_string()),
        )
        .await;
    }
    Ok(revoke_page(
        &app,
        &staff,
        (&child, &row),
        &ReasonForm::default(),
        &FormErrors::default(),
    ))
}

/// Revokes, with the reason kept on the record; without one, the page again.
pub async fn revoke(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((child, link)): IdPath<(ChildId, PortalLinkId)>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<Response, WebError> {
    let (child, row) = app
        .link_of_child(&staff.access, child, link, &source)
        .await?;
    let mut errors = FormErrors::default();
    match ChangeReason::parse(&form.reason) {
        Ok(reason) => {
            let result = app
                .revoke_link(&staff.access, child.id, link, &reason, &source)
                .await?
                .map(|name| {
                    format!(
                        "Access revoked. {name} can no longer see {}’s SEND Dashboard",
                        child.display_name()
                    )
                })
                .map_err(|p| p.to_string());
            return after_step(&app, &staff, child.id, result).await;
        }
        Err(problem) => errors.add("reason", problem.to_string()),
    }
    Ok(revoke_page(&app, &staff, (&child, &row), &form, &errors))
}

pub async fn grant(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((child, link)): IdPath<(ChildId, PortalLinkId)>,
    CsrfForm(_): CsrfForm<crate::accounts::AnyForm>,
) -> Result<Response, WebError> {
    let (child, _) = app
        .link_of_child(&staff.access, child, link, &source)
        .await?;
    let result = app
        .regrant_link(&staff.access, child.id, link, &source)
        .await?
        .map(|name| {
            format!(
                "{name} can see {}’s SEND Dashboard again",
                child.display_name()
            )
        })
        .map_err(|p| p.to_string());
    after_step(&app, &staff, child.id, result).await
}
