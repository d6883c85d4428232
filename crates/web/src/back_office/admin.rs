//! Portal administration: teams and permission groups, and inviting staff.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_app::staff_setup::StaffInvite;
use send_domain::{Email, Permission, PermissionGroupId, PersonName, StaffRole, TeamId};
use serde::Deserialize;

use super::Staff;
use crate::accounts::{FLASH, Flash, keep, take};
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{Checkboxes, ChoiceItem, Input, Legend, Radios, Select, SelectItem};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::forms::{FormErrors, FormPage, see_other};

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
    teams: Vec<String>,
    groups: Vec<(String, Vec<&'static str>)>,
}

pub async fn overview(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    require(&staff)?;
    let internal = |e: send_store::StoreError| WebError::Internal(Box::new(e));
    let teams = app.store.teams().await.map_err(internal)?;
    let groups = app.store.permission_groups().await.map_err(internal)?;
    let flash = take::<Flash>(&staff.signed_in.session, FLASH).await?;
    Ok(AdminPage {
        chrome: staff.signed_in.chrome(&app),
        flash: flash.map(|f| f.banner()),
        teams: teams.into_iter().map(|t| t.name).collect(),
        groups: groups
            .into_iter()
            .map(|g| (g.name, g.permissions.iter().map(|p| p.label()).collect()))
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
    let groups: Option<std::collections::BTreeSet<PermissionGroupId>> =
        form.groups.iter().map(|g| g.parse().ok()).collect();
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
