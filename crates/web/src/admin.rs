//! Portal administration: teams and permission groups, and inviting staff.

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use send_app::App;
use send_app::deadlines::Added;
use send_app::staff_setup::{Named, StaffInvite};
use send_domain::dates::{long_date, parse_date};
use send_domain::involvements::InvolvementKind;
use send_domain::milestones::{LocalMilestone, MilestoneError, MilestoneUnit};
use send_domain::timeline::EventKind;
use send_domain::{Email, Permission, PermissionGroupId, PersonName, StaffRole, TeamId};
use send_store::ExtraHoliday;
use serde::Deserialize;

use crate::accounts::{FLASH, Flash, keep, take};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{
    Checkboxes, ChoiceItem, DateInput, Input, Legend, Radios, Select, SelectItem,
};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::question_page::{FormErrors, FormPage, see_other};

pub fn router() -> Routes {
    Routes::new()
        .route("/back-office/admin", get(overview))
        .route(
            "/back-office/admin/invite",
            get(show_invite).post(submit_invite),
        )
        .route(
            "/back-office/admin/milestones/new",
            get(show_milestone).post(submit_milestone),
        )
        .route(
            "/back-office/admin/milestones/{code}/remove",
            post(remove_milestone),
        )
        .route(
            "/back-office/admin/teams/new",
            get(show_team).post(submit_team),
        )
        .route(
            "/back-office/admin/groups/new",
            get(show_group).post(submit_group),
        )
        .route(
            "/back-office/admin/holidays/new",
            get(show_holiday).post(submit_holiday),
        )
}

fn require(staff: &Staff) -> Result<(), WebError> {
    if staff.access.has(Permission::ManageStaff) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/admin.html")]
pub struct AdminPage {
    chrome: Chrome,
    flash: Option<String>,
    /// Each team: its id and name.
    teams: Vec<(String, String)>,
    /// Each group: its id, name and what it grants.
    groups: Vec<(String, String, Vec<&'static str>)>,
    /// Each milestone: code, kind, title, how it is counted.
    milestones: Vec<(String, &'static str, String, String)>,
    holidays: Vec<(String, String)>,
    /// Each kind of advice: its code, its name and when reminders go.
    reminders: Vec<(&'static str, &'static str, String)>,
    /// May search the audit log.
    audit_log: bool,
    csrf: String,
}

pub async fn overview(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    require(&staff)?;
    let internal = |e: send_store::StoreError| WebError::Internal(Box::new(e));
    let teams = app.store.teams().await.map_err(internal)?;
    let groups = app.store.permission_groups().await.map_err(internal)?;
    let milestones = app
        .store
        .local_milestones()
        .await
        .map_err(internal)?
        .into_iter()
        .map(|m| {
            let counted = format!(
                "{} {} after: {}",
                m.amount,
                m.unit.label(),
                m.start_event.label().to_lowercase()
            );
            (m.code, m.kind.label(), m.title, counted)
        })
        .collect();
    let holidays = app
        .store
        .extra_holidays()
        .await
        .map_err(internal)?
        .into_iter()
        .map(|h| (long_date(h.date), h.name))
        .collect();
    let flash = take::<Flash>(&staff.signed_in.session, FLASH).await?;
    let reminders = app
        .reminder_schedules()
        .await?
        .into_iter()
        .map(|(kind, schedule)| (kind.code(), kind.label(), schedule.describe()))
        .collect();
    Ok(AdminPage {
        audit_log: staff.access.has(Permission::ViewAudit),
        reminders,
        milestones,
        holidays,
        csrf: staff.signed_in.csrf.clone(),
        chrome: staff.signed_in.chrome(&app),
        flash: flash.map(|f| f.banner()),
        teams: teams
            .into_iter()
            .map(|t| (t.id.to_string(), t.name))
            .collect(),
        groups: groups
            .into_iter()
            .map(|g| {
                (
                    g.id.to_string(),
                    g.name,
                    g.permissions.iter().map(|p| p.label()).collect(),
                )
            })
            .collect(),
    }
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    groups: Vec<String>,
}

async fn invite_page(
    app: &App,
    staff: &Staff,
    form: &InviteForm,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let internal = |e: send_store::StoreError| WebError::Internal(Box::new(e));
    let teams = app.store.teams().await.map_err(internal)?;
    let groups = app.store.permission_groups().await.map_err(internal)?;
    let mut roles = Radios::new("role")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Role")
        })
        .error_opt(errors.get("role"));
    for role in [
        StaffRole::Caseworker,
        StaffRole::TeamManager,
        StaffRole::Administrator,
    ] {
        roles = roles
            .item(ChoiceItem::new(role.code(), role.label()).checked(form.role == role.code()));
    }
    let mut team = Select::new("team", "Team")
        .item(SelectItem::new("", "No team"))
        .value(&form.team)
        .error_opt(errors.get("team"));
    for t in &teams {
        team = team.item(SelectItem::new(t.id.to_string(), t.name.clone()));
    }
    let mut group_boxes = Checkboxes::new("groups")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Permission groups")
        })
        .hint("What they may do. A new member of staff usually joins their role's group.")
        .error_opt(errors.get("groups"));
    for g in &groups {
        group_boxes = group_boxes.item(
            ChoiceItem::new(g.id.to_string(), g.name.clone())
                .checked(form.groups.contains(&g.id.to_string())),
        );
    }
    Ok(FormPage::new(
        staff.signed_in.chrome(app),
        "Invite a member of staff",
        "/back-office/admin/invite",
        staff.signed_in.csrf.clone(),
        "Send the set-up link",
    )
    .errors(errors)
    .back("/back-office/admin")
    .intro("We will email them a link to choose a password and set up an authenticator app. It works once, for 24 hours.")
    .field(&Input::new("name", "Full name").value(&form.name).spellcheck(false).error_opt(errors.get("name")))
    .field(
        &Input::new("email", "Work email address")
            .kind("email")
            .spellcheck(false)
            .value(&form.email)
            .error_opt(errors.get("email")),
    )
    .field(&roles)
    .field(&team)
    .field(&group_boxes)
    .respond())
}

pub async fn show_invite(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    require(&staff)?;
    invite_page(&app, &staff, &InviteForm::default(), &FormErrors::default()).await
}

pub async fn submit_invite(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    require(&staff)?;
    // Repeated `groups` fields arrive as pairs.
    let mut form = InviteForm::default();
    for (key, value) in pairs {
        match key.as_str() {
            "name" => form.name = value,
            "email" => form.email = value,
            "role" => form.role = value,
            "team" => form.team = value,
            "groups" => form.groups.push(value),
            _ => {}
        }
    }
    let mut errors = FormErrors::default();
    let name = errors.check("name", PersonName::parse(&form.name));
    let email = errors.check("email", Email::parse(&form.email));
    let role = StaffRole::parse_code(&form.role).ok();
    if role.is_none() {
        errors.add("role", "Select their role");
    }
    let team = if form.team.is_empty() {
        Some(None)
    } else {
        let parsed = form.team.parse::<TeamId>().ok();
        if parsed.is_none() {
            errors.add("team", "Select a team from the list");
        }
        parsed.map(Some)
    };
    // A team or group removed since the page was drawn (or never offered)
    // is refused here, with the page's own words, rather than by the
    // database's foreign keys.
    let internal = |e: send_store::StoreError| WebError::Internal(Box::new(e));
    let teams = app.store.teams().await.map_err(internal)?;
    let team = team.filter(|t| {
        let known = t.is_none_or(|id| teams.iter().any(|team| team.id == id));
        if !known {
            errors.add("team", "Select a team from the list");
        }
        known
    });
    let known_groups = app.store.permission_groups().await.map_err(internal)?;
    let groups: Option<std::collections::BTreeSet<PermissionGroupId>> = form
        .groups
        .iter()
        .map(|g| g.parse().ok())
        .map(|id: Option<PermissionGroupId>| {
            id.filter(|id| known_groups.iter().any(|group| group.id == *id))
        })
        .collect();
    if groups
        .as_ref()
        .is_none_or(std::collections::BTreeSet::is_empty)
    {
        errors.add("groups", "Select at least one permission group");
    }
    let (Some(name), Some(email), Some(role), Some(team_id), Some(groups), true) =
        (name, email, role, team, groups, errors.is_empty())
    else {
        return invite_page(&app, &staff, &form, &errors).await;
    };
    let link = app
        .invite_staff(
            &staff.access,
            StaffInvite {
                email,
                name,
                role,
                team_id,
                groups,
            },
            &source,
        )
        .await?;
    keep(
        &staff.signed_in.session,
        FLASH,
        &Flash::success(&format!("We have emailed a set-up link to {}", link.email)),
    )
    .await?;
    Ok(see_other("/back-office/admin"))
}

#[derive(Debug, Default, Deserialize)]
pub struct MilestoneForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    start_event: String,
    #[serde(default)]
    explanation: String,
}

fn milestone_page(app: &App, staff: &Staff, form: &MilestoneForm, errors: &FormErrors) -> Response {
    let mut kinds = Radios::new("kind")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Which involvements it applies to")
        })
        .error_opt(errors.get("kind"));
    for kind in InvolvementKind::ALL {
        kinds = kinds
            .item(ChoiceItem::new(kind.code(), kind.label()).checked(form.kind == kind.code()));
    }
    let mut units = Select::new("unit", "Counted in")
        .value(&form.unit)
        .error_opt(errors.get("unit"));
    for unit in MilestoneUnit::ALL {
        units = units.item(SelectItem::new(unit.code(), unit.label()));
    }
    let mut starts = Select::new("start_event", "Counted from")
        .item(SelectItem::new("", "Select a date"))
        .value(&form.start_event)
        .error_opt(errors.get("start_event"));
    for event in EventKind::ALL {
        starts = starts.item(SelectItem::new(event.code(), event.label()));
    }
    FormPage::new(
        staff.signed_in.chrome(app),
        "Add a local milestone",
        "/back-office/admin/milestones/new",
        staff.signed_in.csrf.clone(),
        "Add milestone",
    )
    .errors(errors)
    .back("/back-office/admin")
    .intro("A milestone of the council's own, such as a panel date, shown beside the statutory deadlines. It is not a legal deadline, and pages say so.")
    .field(&kinds)
    .field(&Input::new("title", "Name").hint("For example, Panel date").value(&form.title).error_opt(errors.get("title")))
    .field(
        &Input::new("amount", "How long after")
            .inputmode("numeric")
            .classes("govuk-input--width-3")
            .value(&form.amount)
            .error_opt(errors.get("amount")),
    )
    .field(&units)
    .field(&starts)
    .field(
        &crate::components::Textarea::new("explanation", "What it means (optional)")
            .value(&form.explanation)
            .rows(3),
    )
    .respond()
}

pub async fn show_milestone(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    require(&staff)?;
    let form = MilestoneForm {
        unit: MilestoneUnit::Weeks.code().to_owned(),
        ..MilestoneForm::default()
    };
    Ok(milestone_page(&app, &staff, &form, &FormErrors::default()))
}

pub async fn submit_milestone(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<MilestoneForm>,
) -> Result<Response, WebError> {
    require(&staff)?;
    let mut errors = FormErrors::default();
    let kind = form.kind.parse::<InvolvementKind>().ok();
    if kind.is_none() {
        errors.add("kind", "Select which involvements it applies to");
    }
    let unit = MilestoneUnit::parse_code(&form.unit);
    if unit.is_none() {
        errors.add("unit", "Select what it is counted in");
    }
    let start = form.start_event.parse::<EventKind>().ok();
    if start.is_none() {
        errors.add("start_event", "Select the date it is counted from");
    }
    let amount = form.amount.trim().parse::<u32>().unwrap_or(0);
    if let (Some(kind), Some(unit), Some(start)) = (kind, unit, start) {
        match LocalMilestone::new(kind, &form.title, start, unit, amount, &form.explanation) {
            Ok(milestone) if errors.is_empty() => {
                match app
                    .add_local_milestone(&staff.access, milestone, &source)
                    .await?
                {
                    Added::Done => {
                        keep(
                            &staff.signed_in.session,
                            FLASH,
                            &Flash::success("The milestone has been added"),
                        )
                        .await?;
                        return Ok(see_other("/back-office/admin"));
                    }
                    Added::AlreadyThere => {
                        errors.add("title", "A milestone with this name exists already");
                    }
                }
            }
            Ok(_) => {}
            Err(err @ MilestoneError::Amount) => errors.add("amount", err.to_string()),
            Err(err) => errors.add("title", err.to_string()),
        }
    }
    Ok(milestone_page(&app, &staff, &form, &errors))
}

pub async fn remove_milestone(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    Path(code): Path<String>,
    CsrfForm(_): CsrfForm<crate::accounts::AnyForm>,
) -> Result<Response, WebError> {
    require(&staff)?;
    app.remove_local_milestone(&staff.access, &code, &source)
        .await?;
    keep(
        &staff.signed_in.session,
        FLASH,
        &Flash::success("The milestone has been removed"),
    )
    .await?;
    Ok(see_other("/back-office/admin"))
}

#[derive(Debug, Default, Deserialize)]
pub struct HolidayForm {
    #[serde(default, rename = "date-day")]
    day: String,
    #[serde(default, rename = "date-month")]
    month: String,
    #[serde(default, rename = "date-year")]
    year: String,
    #[serde(default)]
    name: String,
}

fn holiday_page(app: &App, staff: &Staff, form: &HolidayForm, errors: &FormErrors) -> Response {
    let mut date = DateInput::new(
        "date",
        Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Date")
        },
    )
    .hint("For example, 19 9 2022")
    .date_values(&form.day, &form.month, &form.year);
    if let Some(error) = errors.get("date") {
        date = date.error(error);
    }
    FormPage::new(
        staff.signed_in.chrome(app),
        "Add a bank holiday",
        "/back-office/admin/holidays/new",
        staff.signed_in.csrf.clone(),
        "Add bank holiday",
    )
    .errors(errors)
    .back("/back-office/admin")
    .intro("Regular bank holidays are worked out for every year. Add a one-off holiday, such as a state funeral, when it is announced: deadlines counted in working days then skip it.")
    .field(&date)
    .field(&Input::new("name", "Name").hint("For example, State funeral").value(&form.name).error_opt(errors.get("name")))
    .respond()
}

pub async fn show_holiday(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    require(&staff)?;
    Ok(holiday_page(
        &app,
        &staff,
        &HolidayForm::default(),
        &FormErrors::default(),
    ))
}

pub async fn submit_holiday(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<HolidayForm>,
) -> Result<Response, WebError> {
    require(&staff)?;
    let mut errors = FormErrors::default();
    let date = errors.check(
        "date",
        parse_date("Date", &form.day, &form.month, &form.year),
    );
    let name = form.name.trim().to_owned();
    if name.is_empty() {
        errors.add("name", "Enter the holiday's name");
    } else if name.chars().count() > 100 {
        errors.add("name", "The name must be 100 characters or fewer");
    }
    if let (Some(date), true) = (date, errors.is_empty()) {
        match app
            .add_extra_holiday(&staff.access, ExtraHoliday { date, name }, &source)
            .await?
        {
            Added::Done => {
                keep(
                    &staff.signed_in.session,
                    FLASH,
                    &Flash::success("The bank holiday has been added"),
                )
                .await?;
                return Ok(see_other("/back-office/admin"));
            }
            Added::AlreadyThere => errors.add("date", "There is already a holiday on this date"),
        }
    }
    Ok(holiday_page(&app, &staff, &form, &errors))
}

#[derive(Debug, Default, Deserialize)]
pub struct TeamForm {
    #[serde(default)]
    name: String,
}

fn team_page(app: &App, staff: &Staff, form: &TeamForm, errors: &FormErrors) -> Response {
    FormPage::new(
        staff.signed_in.chrome(app),
        "Add a team",
        "/back-office/admin/teams/new",
        staff.signed_in.csrf.clone(),
        "Add team",
    )
    .errors(errors)
    .back("/back-office/admin")
    .intro("Cases and staff belong to a team. Staff see their own team's cases unless a group lets them work on every team's.")
    .field(&Input::new("name", "Team name").value(&form.name).error_opt(errors.get("name")))
    .respond()
}

pub async fn show_team(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    require(&staff)?;
    Ok(team_page(
        &app,
        &staff,
        &TeamForm::default(),
        &FormErrors::default(),
    ))
}

fn checked_name(errors: &mut FormErrors, typed: &str, what: &'static str) -> Option<String> {
    errors
        .check("name", send_domain::ShortText::parse(typed, what))
        .map(|name| name.to_string())
}

pub async fn submit_team(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<TeamForm>,
) -> Result<Response, WebError> {
    require(&staff)?;
    let mut errors = FormErrors::default();
    if let Some(name) = checked_name(&mut errors, &form.name, "the team's name") {
        match app.add_team(&staff.access, &name, &source).await? {
            Named::Added => {
                keep(
                    &staff.signed_in.session,
                    FLASH,
                    &Flash::success("The team has been added"),
                )
                .await?;
                return Ok(see_other("/back-office/admin"));
            }
            Named::NameTaken => errors.add("name", "There is already a team with this name"),
        }
    }
    Ok(team_page(&app, &staff, &form, &errors))
}

fn group_page(
    app: &App,
    staff: &Staff,
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
        "Add a permission group",
        "/back-office/admin/groups/new",
        staff.signed_in.csrf.clone(),
        "Add group",
    )
    .errors(errors)
    .back("/back-office/admin")
    .field(
        &Input::new("name", "Group name")
            .value(name)
            .error_opt(errors.get("name")),
    )
    .field(&boxes)
    .respond()
}

pub async fn show_group(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    require(&staff)?;
    Ok(group_page(&app, &staff, "", &[], &FormErrors::default()))
}

pub async fn submit_group(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    require(&staff)?;
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
    let name = checked_name(&mut errors, &typed_name, "the group's name");
    let permissions: Option<std::collections::BTreeSet<Permission>> =
        chosen.iter().map(|c| c.parse().ok()).collect();
    if permissions
        .as_ref()
        .is_none_or(std::collections::BTreeSet::is_empty)
    {
        errors.add("permissions", "Select at least one thing members may do");
    }
    if let (Some(name), Some(permissions), true) = (name, permissions, errors.is_empty()) {
        match app
            .add_permission_group(&staff.access, &name, permissions, &source)
            .await?
        {
            Named::Added => {
                keep(
                    &staff.signed_in.session,
                    FLASH,
                    &Flash::success("The group has been added"),
                )
                .await?;
                return Ok(see_other("/back-office/admin"));
            }
            Named::NameTaken => errors.add("name", "There is already a group with this name"),
        }
    }
    Ok(group_page(&app, &staff, &typed_name, &chosen, &errors))
}
