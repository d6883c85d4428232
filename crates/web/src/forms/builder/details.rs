//! The form's details: title, description, who it is for, whether it is about
//! one child, the days to complete it, the largest upload, the declaration and
//! what happens next.

use crate::routes::Routes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use send_app::App;
use send_domain::FormId;
use send_domain::forms::{Audience, BuilderAction, Details, Edit};

use super::{
    Saved, conflict, done, every_mistake, form_path, may, save, seen_version, version_field,
};
use crate::back_office::Staff;
use crate::client::ClientAddress;
use crate::components::{Checkboxes, ChoiceItem, Input, Legend, Radios, Textarea};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, FormPage};

pub(super) fn router() -> Routes {
    Routes::new().route("/back-office/forms/{id}/details", get(show).post(submit))
}

/// The fields of the page, in order (for the error summary).
const FIELDS: [&str; 8] = [
    "title",
    "description",
    "audiences",
    "about_a_child",
    "days_to_complete",
    "upload_max_mib",
    "declaration",
    "next_steps",
];

/// The details page as typed.
#[derive(Debug, Default)]
struct DetailsForm {
    version: String,
    title: String,
    description: String,
    audiences: Vec<String>,
    about_a_child: String,
    days_to_complete: String,
    upload_max_mib: String,
    declaration: String,
    next_steps: String,
}

impl DetailsForm {
    fn of(details: &Details, version: u32) -> Self {
        Self {
            version: version.to_string(),
            title: details.title.clone(),
            description: details.description.clone(),
            audiences: details
                .audiences
                .iter()
                .map(|a| a.code().to_owned())
                .collect(),
            about_a_child: if details.about_a_child { "yes" } else { "no" }.to_owned(),
            days_to_complete: details.days_to_complete.to_string(),
            upload_max_mib: details.upload_max_mib.to_string(),
            declaration: details.declaration.clone(),
            next_steps: details.next_steps.clone(),
        }
    }

    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "version" => form.version = value,
                "title" => form.title = value,
                "description" => form.description = value,
                "audiences" => form.audiences.push(value),
                "about_a_child" => form.about_a_child = value,
                "days_to_complete" => form.days_to_complete = value,
                "upload_max_mib" => form.upload_max_mib = value,
                "declaration" => form.declaration = value,
                "next_steps" => form.next_steps = value,
                _ => {}
            }
        }
        form
    }

    /// The details, with a message for each field that does not parse (the
    /// domain checks the rest) and a stand-in for its value, so the domain can
    /// still check the others: use them only if `errors` stays empty.
    fn read(&self, errors: &mut FormErrors) -> Details {
        let audiences: Vec<Audience> = Audience::ALL
            .into_iter()
            .filter(|a| self.audiences.iter().any(|c| c == a.code()))
            .collect();
        let about_a_child = match self.about_a_child.as_str() {
            "yes" => true,
            "no" => false,
            _ => {
                errors.add(
                    "about_a_child",
                    "Select whether the form is about one child",
                );
                true
            }
        };
        let days = self
            .days_to_complete
            .trim()
            .parse::<u16>()
            .unwrap_or_else(|_| {
                errors.add(
                    "days_to_complete",
                    "Enter the number of days as a whole number, like 15",
                );
                1
            });
        let mib = self
            .upload_max_mib
            .trim()
            .parse::<u32>()
            .unwrap_or_else(|_| {
                errors.add(
                    "upload_max_mib",
                    "Enter the size in MB as a whole number, like 20",
                );
                1
            });
        Details {
            title: self.title.clone(),
            description: self.description.clone(),
            declaration: self.declaration.clone(),
            next_steps: self.next_steps.clone(),
            audiences,
            about_a_child,
            days_to_complete: days,
            upload_max_mib: mib,
        }
    }
}

fn page(app: &App, staff: &Staff, id: FormId, form: &DetailsForm, errors: &FormErrors) -> Response {
    let legend = |text: &str| Legend {
        classes: Some("govuk-fieldset__legend--s".to_owned()),
        ..Legend::new(text)
    };
    let mut audiences = Checkboxes::new("audiences")
        .legend(legend("Who is it for?"))
        .hint("Select all that apply. A form only for the council is filled in in the back office.")
        .values(form.audiences.clone())
        .error_opt(errors.get("audiences"));
    for audience in Audience::ALL {
        audiences = audiences.item(ChoiceItem::new(audience.code(), audience.label()));
    }
    let about = Radios::new("about_a_child")
        .legend(legend("Is it about one child?"))
        .hint("A form about one child is given to the people linked to that child. Otherwise it stands alone, like a request for an assessment.")
        .classes("govuk-radios--inline")
        .value(&form.about_a_child)
        .error_opt(errors.get("about_a_child"))
        .item(ChoiceItem::new("yes", "Yes"))
        .item(ChoiceItem::new("no", "No"));
    FormPage::new(
        staff.signed_in.chrome(app),
        "Change the form’s details",
        &format!("{}/details", form_path(id)),
        staff.signed_in.csrf.clone(),
        "Save details",
    )
    .errors(errors)
    .back(&form_path(id))
    .field(&version_field(form.version.parse().unwrap_or(0)))
    .field(
        &Input::new("title", "Title")
            .value(&form.title)
            .error_opt(errors.get("title")),
    )
    .field(
        &Textarea::new("description", "Description (optional)")
            .hint("What the form is for, shown before the first question")
            .value(&form.description)
            .rows(4)
            .error_opt(errors.get("description")),
    )
    .field(&audiences)
    .field(&about)
    .field(
        &Input::new("days_to_complete", "Days to complete it")
            .hint("When the form is sent to someone as an action, the due date is this many days later")
            .inputmode("numeric")
            .classes("govuk-input--width-3")
            .value(&form.days_to_complete)
            .error_opt(errors.get("days_to_complete")),
    )
    .field(
        &Input::new("upload_max_mib", "Largest file people may upload, in MB")
            .inputmode("numeric")
            .classes("govuk-input--width-3")
            .value(&form.upload_max_mib)
            .error_opt(errors.get("upload_max_mib")),
    )
    .field(
        &Textarea::new("declaration", "Declaration")
            .hint("What people confirm when they submit the form")
            .value(&form.declaration)
            .rows(3)
            .error_opt(errors.get("declaration")),
    )
    .field(
        &Textarea::new("next_steps", "What happens next")
            .hint("Shown once the form is submitted")
            .value(&form.next_steps)
            .rows(3)
            .error_opt(errors.get("next_steps")),
    )
    .respond()
}

async fn show(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<FormId>,
) -> Result<Response, WebError> {
    may(&staff, BuilderAction::Build)?;
    let current = app.builder_form(&staff.access, id, &source).await?;
    if !current.form.editable() {
        return Err(WebError::NotFound);
    }
    let form = DetailsForm::of(&Details::of(&current.form.draft), current.form.version);
    Ok(page(&app, &staff, id, &form, &FormErrors::default()))
}

async fn submit(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<FormId>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    may(&staff, BuilderAction::Build)?;
    let current = app.builder_form(&staff.access, id, &source).await?;
    let mut form = DetailsForm::from_pairs(pairs);
    let mut errors = FormErrors::default();
    let details = form.read(&mut errors);
    if !errors.is_empty() {
        let edit = Edit::SetDetails(details);
        let errors = every_mistake(&errors, &current.form.draft, edit, &FIELDS);
        return Ok(page(&app, &staff, id, &form, &errors));
    }
    let seen = seen_version(&form.version, current.form.version);
    match save(
        &app,
        &staff,
        id,
        seen,
        Edit::SetDetails(details),
        "title",
        &source,
    )
    .await?
    {
        Saved::Done(message) => done(&staff, id, message).await,
        Saved::Refused(errors) => Ok(page(&app, &staff, id, &form, &errors)),
        Saved::Changed(errors, version) => {
            form.version = version.to_string();
            Ok(conflict(page(&app, &staff, id, &form, &errors)))
        }
    }
}
