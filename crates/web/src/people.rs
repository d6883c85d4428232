//! People (issue 19), under Portal administration: the staff list with the
//! set-up links not yet used, a member of staff's page (team and groups,
//! deactivate or reactivate, end their sessions, their open cases to hand
//! over), portal accounts (search, a person's links to children, disable with
//! a reason or enable), and changing or removing teams and permission groups.
//! Who may do what is decided in `send_app::people`.

use std::collections::BTreeSet;

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use send_app::App;
use send_app::people::{PeopleChange, StaffDetail};
use send_domain::dates::uk_time;
use send_domain::{
    AccountKind, AccountStatus, Email, LinkStatus, Permission, PermissionGroupId, StaffSetupLinkId,
    TeamId, UserId,
};
use send_store::PermissionGroup;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::accounts::{AnyForm, FLASH, Flash, keep, take};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{
    Checkboxes, ChoiceItem, ErrorSummary, Input, Legend, Select, SelectItem, Textarea,
};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, FormPage, link_button_form, see_other};

pub fn router() -> Routes {
    Routes::new()
        .route("/back-office/admin/people", get(staff_list))
        .route("/back-office/admin/people/{id}", get(staff_person))
        .route(
            "/back-office/admin/people/{id}/membership",
            get(show_membership).post(submit_membership),
        )
        .route(
            "/back-office/admin/people/{id}/deactivate",
            post(deactivate),
        )
        .route(
            "/back-office/admin/people/{id}/reactivate",
            post(reactivate),
        )
        .route(
            "/back-office/admin/people/{id}/end-sessions",
            post(end_sessions),
        )
        .route(
            "/back-office/admin/people/{id}/hand-over-conversations",
            post(hand_over_conversations),
        )
        .route(
            "/back-office/admin/setup-links/{id}/withdraw",
            post(withdraw_link),
        )
        .route(
            "/back-office/admin/setup-links/{id}/resend",
            post(resend_link),
        )
        .route("/back-office/admin/portal-accounts", get(portal_list))
        .route(
            "/back-office/admin/portal-accounts/{id}",
            get(portal_person),
        )
        .route(
            "/back-office/admin/portal-accounts/{id}/disable",
            post(disable_portal),
        )
        .route(
            "/back-office/admin/portal-accounts/{id}/enable",
            post(enable_portal),
        )
        .route(
            "/back-office/admin/portal-accounts/{id}/end-sessions",
            get(confirm_end_portal_sessions).post(end_portal_sessions),
        )
        .route(
            "/back-office/admin/teams/{id}",
            get(show_team).post(submit_team),
        )
        .route("/back-office/admin/teams/{id}/remove", post(remove_team))
        .route(
            "/back-office/admin/groups/{id}",
            get(show_group).post(submit_group),
        )
        .route("/back-office/admin/groups/{id}/remove", post(remove_group))
}

const LAST_ADMINISTRATOR: &str = "This would leave nobody who can manage staff. Give another active member of staff a group that can manage staff first";

/// `uk_time` already says the day: "6 December 2026 at 4:54am".
fn when(at: OffsetDateTime) -> String {
    uk_time(at)
}

fn status_tag(status: AccountStatus, kind: AccountKind) -> (&'static str, &'static str) {
    match status {
        AccountStatus::Active => (status.label(kind), "govuk-tag--green"),
        AccountStatus::Disabled => (status.label(kind), "govuk-tag--grey"),
    }
}

async fn flash_of(staff: &Staff) -> Result<Option<String>, WebError> {
    Ok(take::<Flash>(&staff.signed_in.session, FLASH)
        .await?
        .map(|f| f.banner()))
}

async fn done(staff: &Staff, text: &str, to: &str) -> Result<Response, WebError> {
    keep(&staff.signed_in.session, FLASH, &Flash::success(text)).await?;
    Ok(see_other(to))
}

/// One row of the staff table.
pub struct StaffRow {
    id: String,
    name: String,
    email: String,
    team: String,
    groups: String,
    last_sign_in: String,
    status: (&'static str, &'static str),
}

/// One row of the pending set-up links.
pub struct LinkRow {
    id: String,
    name: String,
    email: String,
    role: &'static str,
    team: String,
    sent: String,
    expired: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/people.html")]
pub struct StaffListPage {
    chrome: Chrome,
    flash: Option<String>,
    csrf: String,
    staff: Vec<StaffRow>,
    links: Vec<LinkRow>,
}

pub async fn staff_list(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
) -> Result<Response, WebError> {
    let list = app.staff_list(&staff.access, &source).await?;
    let rows = list
        .staff
        .into_iter()
        .map(|line| StaffRow {
            id: line.person.account.id.to_string(),
            name: line.person.account.name.to_string(),
            email: line.person.account.email.to_string(),
            team: line.team.unwrap_or_else(|| "No team".to_owned()),
            groups: if line.groups.is_empty() {
                "None".to_owned()
            } else {
                line.groups.join(", ")
            },
            last_sign_in: line.last_sign_in.map_or_else(|| "Never".to_owned(), when),
            status: status_tag(line.person.status, AccountKind::Staff),
        })
        .collect();
    let links = list
        .links
        .into_iter()
        .map(|pending| LinkRow {
            id: pending.link.id.to_string(),
            name: pending.link.name.to_string(),
            email: pending.link.email.to_string(),
            role: pending.link.role.label(),
            team: pending.team.unwrap_or_else(|| "No team".to_owned()),
            sent: when(pending.link.created_at),
            expired: pending.expired,
        })
        .collect();
    Ok(StaffListPage {
        flash: flash_of(&staff).await?,
        csrf: staff.signed_in.csrf.clone(),
        chrome: staff.signed_in.chrome(&app),
        staff: rows,
        links,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/person.html")]
pub struct StaffPersonPage {
    chrome: Chrome,
    flash: Option<String>,
    has_errors: bool,
    summary: ErrorSummary,
    csrf: String,
    id: String,
    name: String,
    email: String,
    role: &'static str,
    team: String,
    groups: String,
    last_sign_in: String,
    status: (&'static str, &'static str),
    active: bool,
    /// Each open case: the involvement's address, the child's name, the kind.
    cases: Vec<(String, String, &'static str)>,
    /// How many conversations they hold, and the hand-over field.
    threads: usize,
    hand_over: String,
    reason: Option<String>,
}

async fn person_page(
    app: &App,
    staff: &Staff,
    detail: StaffDetail,
    errors: &FormErrors,
    hand_over_to: &str,
) -> Result<Response, WebError> {
    let person = &detail.line.person;
    let page = StaffPersonPage {
        flash: flash_of(staff).await?,
        has_errors: !errors.is_empty(),
        summary: errors.summary(),
        csrf: staff.signed_in.csrf.clone(),
        chrome: staff.signed_in.chrome(app),
        id: person.account.id.to_string(),
        name: person.account.name.to_string(),
        email: person.account.email.to_string(),
        role: person.account.staff_role.map_or("", |r| r.label()),
        team: detail
            .line
            .team
            .clone()
            .unwrap_or_else(|| "No team".to_owned()),
        groups: if detail.line.groups.is_empty() {
            "None".to_owned()
        } else {
            detail.line.groups.join(", ")
        },
        last_sign_in: detail
            .line
            .last_sign_in
            .map_or_else(|| "Never".to_owned(), when),
        status: status_tag(person.status, AccountKind::Staff),
        active: person.status == AccountStatus::Active,
        reason: person
            .status_changed_at
            .map(|at| format!("since {}", when(at))),
        cases: detail
            .open_cases
            .iter()
            .map(|(involvement, child)| {
                (
                    format!("/back-office/involvements/{}", involvement.id),
                    child.display_name(),
                    involvement.kind.label(),
                )
            })
            .collect(),
        threads: detail.held_threads.len(),
        hand_over: Input::new("to", "Email address of the colleague who takes them over")
            .value(hand_over_to)
            .kind("email")
            .autocomplete("off")
            .spellcheck(false)
            .error_opt(errors.get("to"))
            .to_string(),
    }
    .into_response();
    Ok(with_status(page, errors))
}

/// A page showing errors answers 400, as the question pages do.
fn with_status(mut page: Response, errors: &FormErrors) -> Response {
    if !errors.is_empty() {
        *page.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    page
}

pub async fn staff_person(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<UserId>,
) -> Result<Response, WebError> {
    let detail = app.staff_detail(&staff.access, id, &source).await?;
    person_page(&app, &staff, detail, &FormErrors::default(), "").await
}

async fn set_staff_status(
    app: &App,
    staff: &Staff,
    id: UserId,
    status: AccountStatus,
    source: &send_app::audit::Source,
) -> Result<Response, WebError> {
    let to = format!("/back-office/admin/people/{id}");
    let change = app
        .set_staff_status(&staff.access, id, status, source)
        .await?;
    if change == PeopleChange::LastAdministrator {
        let mut errors = FormErrors::default();
        errors.add("status", LAST_ADMINISTRATOR);
        let detail = app.staff_detail(&staff.access, id, source).await?;
        return person_page(app, staff, detail, &errors, "").await;
    }
    let text = match status {
        AccountStatus::Active => "The account has been reactivated: they can sign in again",
        AccountStatus::Disabled => "The account has been deactivated and its sessions have ended",
    };
    done(staff, text, &to).await
}

pub async fn deactivate(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<UserId>,
    CsrfForm(_): CsrfForm<AnyForm>,
) -> Result<Response, WebError> {
    set_staff_status(&app, &staff, id, AccountStatus::Disabled, &source).await
}

pub async fn reactivate(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<UserId>,
    CsrfForm(_): CsrfForm<AnyForm>,
) -> Result<Response, WebError> {
    set_staff_status(&app, &staff, id, AccountStatus::Active, &source).await
}

pub async fn end_sessions(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<UserId>,
    CsrfForm(_): CsrfForm<AnyForm>,
) -> Result<Response, WebError> {
    let ended = app.end_sessions_of(&staff.access, id, &source).await?;
    done(
        &staff,
        &format!("Sessions ended: {ended}"),
        &format!("/back-office/admin/people/{id}"),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct HandOverForm {
    #[serde(default)]
    to: String,
}

/// Gives every conversation the person holds to a colleague who can see their
/// team's cases (a leaver's, say).
pub async fn hand_over_conversations(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<UserId>,
    CsrfForm(form): CsrfForm<HandOverForm>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    let to = match Email::parse(&form.to) {
        Ok(email) => app.staff_by_email(&email).await?,
        Err(_) => None,
    };
    match to {
        Some(to) if to != id => {
            match app
                .hand_over_threads(&staff.access, id, to, &source)
                .await?
            {
                Some(moved) => {
                    return done(
                        &staff,
                        &format!("Conversations handed over: {moved}"),
                        &format!("/back-office/admin/people/{id}"),
                    )
                    .await;
                }
                None => errors.add("to", "That colleague cannot see this person's team's cases"),
            }
        }
        _ => errors.add(
            "to",
            "Enter the email address of a colleague in the SEND team",
        ),
    }
    let detail = app.staff_detail(&staff.access, id, &source).await?;
    person_page(&app, &staff, detail, &errors, &form.to).await
}

/// Team and groups as typed.
#[derive(Debug, Default)]
pub struct MembershipForm {
    team: String,
    groups: Vec<String>,
}

fn membership_page(
    app: &App,
    staff: &Staff,
    detail: &StaffDetail,
    form: &MembershipForm,
    errors: &FormErrors,
) -> Response {
    let id = detail.line.person.account.id;
    let mut team = Select::new("team", "Team")
        .item(SelectItem::new("", "No team"))
        .value(&form.team)
        .error_opt(errors.get("team"));
    for t in &detail.teams {
        team = team.item(SelectItem::new(t.id.to_string(), t.name.clone()));
    }
    let mut boxes = Checkboxes::new("groups")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Permission groups")
        })
        .error_opt(errors.get("groups"));
    for g in &detail.groups {
        boxes = boxes.item(
            ChoiceItem::new(g.id.to_string(), g.name.clone())
                .checked(form.groups.contains(&g.id.to_string())),
        );
    }
    FormPage::new(
        staff.signed_in.chrome(app),
        &format!(
            "Change {}'s team and groups",
            detail.line.person.account.name
        ),
        &format!("/back-office/admin/people/{id}/membership"),
        staff.signed_in.csrf.clone(),
        "Save team and groups",
    )
    .errors(errors)
    .back(&format!("/back-office/admin/people/{id}"))
    .field(&team)
    .field(&boxes)
    .respond()
}

pub async fn show_membership(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<UserId>,
) -> Result<Response, WebError> {
    let detail = app.staff_detail(&staff.access, id, &source).await?;
    let form = MembershipForm {
        team: detail
            .membership
            .team_id
            .map(|t| t.to_string())
            .unwrap_or_default(),
        groups: detail
            .membership
            .groups
            .iter()
            .map(ToString::to_string)
            .collect(),
    };
    Ok(membership_page(
        &app,
        &staff,
        &detail,
        &form,
        &FormErrors::default(),
    ))
}

pub async fn submit_membership(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<UserId>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let detail = app.staff_detail(&staff.access, id, &source).await?;
    let mut form = MembershipForm::default();
    for (key, value) in pairs {
        match key.as_str() {
            "team" => form.team = value,
            "groups" => form.groups.push(value),
            _ => {}
        }
    }
    let mut errors = FormErrors::default();
    let team = if form.team.is_empty() {
        Some(None)
    } else {
        let parsed = form
            .team
            .parse::<TeamId>()
            .ok()
            .filter(|t| detail.teams.iter().any(|team| team.id == *t));
        if parsed.is_none() {
            errors.add("team", "Select a team from the list");
        }
        parsed.map(Some)
    };
    let groups: Option<BTreeSet<PermissionGroupId>> = form
        .groups
        .iter()
        .map(|g| {
            g.parse()
                .ok()
                .filter(|g| detail.groups.iter().any(|group| group.id == *g))
        })
        .collect();
    if groups.is_none() {
        errors.add("groups", "Select groups from the list");
    }
    if let (Some(team), Some(groups), true) = (team, groups, errors.is_empty()) {
        match app
            .change_staff_membership(&staff.access, id, team, groups, &source)
            .await?
        {
            PeopleChange::LastAdministrator => errors.add("groups", LAST_ADMINISTRATOR),
            _ => {
                return done(
                    &staff,
                    "Their team and groups have been saved",
                    &format!("/back-office/admin/people/{id}"),
                )
                .await;
            }
        }
    }
    Ok(membership_page(&app, &staff, &detail, &form, &errors))
}

pub async fn withdraw_link(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<StaffSetupLinkId>,
    CsrfForm(_): CsrfForm<AnyForm>,
) -> Result<Response, WebError> {
    let text = match app.withdraw_setup_link(&staff.access, id, &source).await? {
        PeopleChange::Done => "The set-up link has been withdrawn: it no longer works",
        _ => "The set-up link had already been used or withdrawn",
    };
    done(&staff, text, "/back-office/admin/people").await
}

pub async fn resend_link(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<StaffSetupLinkId>,
    CsrfForm(_): CsrfForm<AnyForm>,
) -> Result<Response, WebError> {
    let text = match app.resend_setup_link(&staff.access, id, &source).await? {
        PeopleChange::Done => "A new set-up link has been emailed; the old one no longer works",
        _ => "The set-up link had already been used or withdrawn",
    };
    done(&staff, text, "/back-office/admin/people").await
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// One row of the portal accounts table.
pub struct PortalRow {
    id: String,
    name: String,
    email: String,
    kind: &'static str,
    status: (&'static str, &'static str),
}

fn kind_label(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Citizen => "Parent or carer",
        AccountKind::Professional => "Professional",
        AccountKind::Staff => "Staff",
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/portal_people.html")]
pub struct PortalListPage {
    chrome: Chrome,
    flash: Option<String>,
    search: String,
    rows: Vec<PortalRow>,
    limit: u32,
}

pub async fn portal_list(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    Query(query): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let people = app.portal_people(&staff.access, &query.q, &source).await?;
    let rows = people
        .into_iter()
        .map(|p| PortalRow {
            id: p.account.id.to_string(),
            name: p.account.name.to_string(),
            email: p.account.email.to_string(),
            kind: kind_label(p.account.kind),
            status: status_tag(p.status, p.account.kind),
        })
        .collect();
    Ok(PortalListPage {
        flash: flash_of(&staff).await?,
        chrome: staff.signed_in.chrome(&app),
        search: query.q,
        rows,
        limit: send_app::people::PORTAL_SEARCH_LIMIT,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/portal_person.html")]
pub struct PortalPersonPage {
    chrome: Chrome,
    flash: Option<String>,
    has_errors: bool,
    summary: ErrorSummary,
    csrf: String,
    id: String,
    name: String,
    email: String,
    kind: &'static str,
    status: (&'static str, &'static str),
    active: bool,
    reason: Option<String>,
    since: Option<String>,
    /// Each link: the child's Portal access page, the child's name, role, status.
    links: Vec<(String, String, &'static str, &'static str)>,
    reason_box: String,
}

fn link_status_label(status: LinkStatus) -> &'static str {
    match status {
        LinkStatus::Pending => "Waiting for the SEND team",
        LinkStatus::Active => "Active",
        LinkStatus::Revoked => "Revoked",
        LinkStatus::Declined => "Declined",
    }
}

async fn portal_page(
    app: &App,
    staff: &Staff,
    id: UserId,
    typed_reason: &str,
    errors: &FormErrors,
    source: &send_app::audit::Source,
) -> Result<Response, WebError> {
    let detail = app.portal_detail(&staff.access, id, source).await?;
    let person = &detail.person;
    let reason_box = Textarea::new("reason", "Why are you disabling this account?")
        .hint("This is kept with the account and in the audit log.")
        .value(typed_reason)
        .rows(3)
        .error_opt(errors.get("reason"))
        .to_string();
    let page = PortalPersonPage {
        flash: flash_of(staff).await?,
        has_errors: !errors.is_empty(),
        summary: errors.summary(),
        csrf: staff.signed_in.csrf.clone(),
        chrome: staff.signed_in.chrome(app),
        id: id.to_string(),
        name: person.account.name.to_string(),
        email: person.account.email.to_string(),
        kind: kind_label(person.account.kind),
        status: status_tag(person.status, person.account.kind),
        active: person.status == AccountStatus::Active,
        reason: person.status_reason.clone(),
        since: person.status_changed_at.map(when),
        links: detail
            .links
            .iter()
            .map(|(link, child)| {
                (
                    format!("/back-office/children/{}/portal-access", child.id),
                    child.display_name(),
                    link.role.label(),
                    link_status_label(link.status),
                )
            })
            .collect(),
        reason_box,
    }
    .into_response();
    Ok(with_status(page, errors))
}

pub async fn portal_person(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<UserId>,
) -> Result<Response, WebError> {
    portal_page(&app, &staff, id, "", &FormErrors::default(), &source).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

pub async fn disable_portal(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<UserId>,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<Response, WebError> {
    let reason = form.reason.trim();
    let mut errors = FormErrors::default();
    if reason.is_empty() {
        errors.add("reason", "Enter why you are disabling this account");
    } else if reason.chars().count() > 500 {
        errors.add("reason", "The reason must be 500 characters or fewer");
    }
    if !errors.is_empty() {
        // Checked for access before saying anything about the form.
        return portal_page(&app, &staff, id, &form.reason, &errors, &source).await;
    }
    app.set_portal_status(
        &staff.access,
        id,
        AccountStatus::Disabled,
        Some(reason.to_owned()),
        &source,
    )
    .await?;
    done(
        &staff,
        "The account has been disabled and its sessions have ended",
        &format!("/back-office/admin/portal-accounts/{id}"),
    )
    .await
}

pub async fn enable_portal(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<UserId>,
    CsrfForm(_): CsrfForm<AnyForm>,
) -> Result<Response, WebError> {
    app.set_portal_status(&staff.access, id, AccountStatus::Active, None, &source)
        .await?;
    done(
        &staff,
        "The account has been enabled: they can sign in again",
        &format!("/back-office/admin/portal-accounts/{id}"),
    )
    .await
}

/// "Are you sure" before signing a portal account out of every device.
#[derive(Template, WebTemplate)]
#[template(path = "back_office/confirm_sign_out.html")]
pub struct ConfirmSignOutPage {
    chrome: Chrome,
    csrf: String,
    name: String,
    /// The account's page, where Cancel leads (the post goes below it).
    back: String,
}

pub async fn confirm_end_portal_sessions(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<UserId>,
) -> Result<Response, WebError> {
    let detail = app.portal_detail(&staff.access, id, &source).await?;
    Ok(ConfirmSignOutPage {
        csrf: staff.signed_in.csrf.clone(),
        chrome: staff.signed_in.chrome(&app),
        name: detail.person.account.name.to_string(),
        back: format!("/back-office/admin/portal-accounts/{id}"),
    }
    .into_response())
}

pub async fn end_portal_sessions(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<UserId>,
    CsrfForm(_): CsrfForm<AnyForm>,
) -> Result<Response, WebError> {
    let ended = app.end_sessions_of(&staff.access, id, &source).await?;
    let sessions = if ended == 1 { "session" } else { "sessions" };
    done(
        &staff,
        &format!("They have been signed out of every device ({ended} {sessions} ended)"),
        &format!("/back-office/admin/portal-accounts/{id}"),
    )
    .await
}

fn require_manage_staff(staff: &Staff) -> Result<(), WebError> {
    if staff.access.has(Permission::ManageStaff) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct TeamForm {
    #[serde(default)]
    name: String,
}

fn team_page(app: &App, staff: &Staff, id: TeamId, name: &str, errors: &FormErrors) -> Response {
    FormPage::new(
        staff.signed_in.chrome(app),
        "Change a team",
        &format!("/back-office/admin/teams/{id}"),
        staff.signed_in.csrf.clone(),
        "Save team",
    )
    .errors(errors)
    .back("/back-office/admin")
    .field(
        &Input::new("name", "Team name")
            .value(name)
            .error_opt(errors.get("name")),
    )
    .after_form(format!(
        "<h2 class=\"govuk-heading-m\">Remove the team</h2><p class=\"govuk-body\">A team can be removed once no member of staff, child or set-up link waiting to be used belongs to it.</p>{}",
        link_button_form(
            &format!("/back-office/admin/teams/{id}/remove"),
            &staff.signed_in.csrf,
            "Remove this team"
        )
    ))
    .respond()
}

async fn team_named(app: &App, id: TeamId) -> Result<String, WebError> {
    app.store
        .teams()
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?
        .into_iter()
        .find(|t| t.id == id)
        .map(|t| t.name)
        .ok_or(WebError::NotFound)
}

pub async fn show_team(
    State(app): State<App>,
    staff: Staff,
    IdPath(id): IdPath<TeamId>,
) -> Result<Response, WebError> {
    require_manage_staff(&staff)?;
    let name = team_named(&app, id).await?;
    Ok(team_page(&app, &staff, id, &name, &FormErrors::default()))
}

pub async fn submit_team(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<TeamId>,
    CsrfForm(form): CsrfForm<TeamForm>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    let name = errors.check(
        "name",
        send_domain::ShortText::parse(&form.name, "the team's name"),
    );
    if let Some(name) = name {
        match app
            .rename_team(&staff.access, id, name.as_str(), &source)
            .await?
        {
            PeopleChange::NameTaken => errors.add("name", "There is already a team with this name"),
            _ => return done(&staff, "The team has been renamed", "/back-office/admin").await,
        }
    } else {
        require_manage_staff(&staff)?;
    }
    Ok(team_page(&app, &staff, id, &form.name, &errors))
}

pub async fn remove_team(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<TeamId>,
    CsrfForm(_): CsrfForm<AnyForm>,
) -> Result<Response, WebError> {
    match app.remove_team(&staff.access, id, &source).await? {
        PeopleChange::InUse => {
            let mut errors = FormErrors::default();
            errors.add(
                "name",
                "This team cannot be removed while staff, children or a set-up link waiting to be used belong to it. Move them to another team first",
            );
            let name = team_named(&app, id).await?;
            Ok(team_page(&app, &staff, id, &name, &errors))
        }
        _ => done(&staff, "The team has been removed", "/back-office/admin").await,
    }
}

fn group_page(
    app: &App,
    staff: &Staff,
    id: PermissionGroupId,
    name: &str,
    chosen: &[String],
    errors: &FormErrors,
) -> Response {
    let mut boxes = Checkboxes::new("permissions")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("What members of the group may do")
        })
        .error_opt(errors.get("permissions"));
    for permission in Permission::ALL {
        boxes = boxes.item(
            ChoiceItem::new(permission.code(), permission.label())
                .checked(chosen.iter().any(|c| c == permission.code())),
        );
    }
    FormPage::new(
        staff.signed_in.chrome(app),
        "Change a permission group",
        &format!("/back-office/admin/groups/{id}"),
        staff.signed_in.csrf.clone(),
        "Save group",
    )
    .errors(errors)
    .back("/back-office/admin")
    .field(
        &Input::new("name", "Group name")
            .value(name)
            .error_opt(errors.get("name")),
    )
    .field(&boxes)
    .after_form(format!(
        "<h2 class=\"govuk-heading-m\">Remove the group</h2><p class=\"govuk-body\">A group can be removed once nobody is in it, and no set-up link waiting to be used gives it.</p>{}",
        link_button_form(
            &format!("/back-office/admin/groups/{id}/remove"),
            &staff.signed_in.csrf,
            "Remove this group"
        )
    ))
    .respond()
}

async fn group_of(app: &App, id: PermissionGroupId) -> Result<PermissionGroup, WebError> {
    app.store
        .permission_groups()
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or(WebError::NotFound)
}

fn codes(group: &PermissionGroup) -> Vec<String> {
    group
        .permissions
        .iter()
        .map(|p| p.code().to_owned())
        .collect()
}

pub async fn show_group(
    State(app): State<App>,
    staff: Staff,
    IdPath(id): IdPath<PermissionGroupId>,
) -> Result<Response, WebError> {
    require_manage_staff(&staff)?;
    let group = group_of(&app, id).await?;
    Ok(group_page(
        &app,
        &staff,
        id,
        &group.name,
        &codes(&group),
        &FormErrors::default(),
    ))
}

pub async fn submit_group(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<PermissionGroupId>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    require_manage_staff(&staff)?;
    let mut typed_name = String::new();
    let mut chosen = Vec::new();
    for (key, value) in pairs {
        match key.as_str() {
            "name" => typed_name = value,
            "permissions" => chosen.push(value),
            _ => {}
        }
    }
    let mut errors = FormErrors::default();
    let name = errors.check(
        "name",
        send_domain::ShortText::parse(&typed_name, "the group's name"),
    );
    let permissions: Option<BTreeSet<Permission>> = chosen.iter().map(|c| c.parse().ok()).collect();
    if permissions.as_ref().is_none_or(BTreeSet::is_empty) {
        errors.add("permissions", "Select at least one thing members may do");
    }
    if let (Some(name), Some(permissions), true) = (name, permissions, errors.is_empty()) {
        let group = PermissionGroup {
            id,
            name: name.to_string(),
            permissions,
        };
        match app
            .change_permission_group(&staff.access, group, &source)
            .await?
        {
            PeopleChange::NameTaken => {
                errors.add("name", "There is already a group with this name");
            }
            PeopleChange::LastAdministrator => errors.add("permissions", LAST_ADMINISTRATOR),
            _ => return done(&staff, "The group has been saved", "/back-office/admin").await,
        }
    }
    Ok(group_page(&app, &staff, id, &typed_name, &chosen, &errors))
}

pub async fn remove_group(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<PermissionGroupId>,
    CsrfForm(_): CsrfForm<AnyForm>,
) -> Result<Response, WebError> {
    match app
        .remove_permission_group(&staff.access, id, &source)
        .await?
    {
        PeopleChange::InUse => {
            let mut errors = FormErrors::default();
            errors.add(
                "name",
                "This group cannot be removed while anyone is in it, or a set-up link waiting to be used gives it. Take everyone out of the group first",
            );
            let group = group_of(&app, id).await?;
            Ok(group_page(
                &app,
                &staff,
                id,
                &group.name,
                &codes(&group),
                &errors,
            ))
        }
        _ => done(&staff, "The group has been removed", "/back-office/admin").await,
    }
}
