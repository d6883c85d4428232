//! "Add a child I work with" (LNK-4): a professional gives what they know of the
//! child; the request waits for the SEND team, who match it to the child's record
//! or decline it.

use axum::extract::State;
use axum::response::Response;
use send_app::App;
use send_domain::dates::parse_date_of_birth;
use send_domain::{
    AccountKind, ChildLinkRequest, ChildLinkRequestId, NhsNumber, PersonName, Postcode, ShortText,
    Uln, Upn, UserId,
};
use serde::Deserialize;

use crate::accounts::{FLASH, Flash, SignedIn, keep};
use crate::client::ClientAddress;
use crate::components::{DateInput, Input, Legend};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::question_page::{FormErrors, FormPage, optional, see_other};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AddChildForm {
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default, rename = "dob-day")]
    dob_day: String,
    #[serde(default, rename = "dob-month")]
    dob_month: String,
    #[serde(default, rename = "dob-year")]
    dob_year: String,
    #[serde(default)]
    setting: String,
    #[serde(default)]
    upn: String,
    #[serde(default)]
    uln: String,
    #[serde(default)]
    nhs_number: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    relationship: String,
}

impl AddChildForm {
    fn parse(&self, today: time::Date, errors: &mut FormErrors) -> Option<ChildLinkRequest> {
        let first_name = errors.check(
            "first_name",
            PersonName::parse(&self.first_name).map_err(|_| "Enter the child's first name"),
        );
        let last_name = errors.check(
            "last_name",
            PersonName::parse(&self.last_name).map_err(|_| "Enter the child's last name"),
        );
        let date_of_birth = errors.check(
            "dob-day",
            parse_date_of_birth(&self.dob_day, &self.dob_month, &self.dob_year, today),
        );
        let setting = optional(errors, "setting", &self.setting, |t| {
            ShortText::parse(t, "the school or setting")
        });
        let upn = optional(errors, "upn", &self.upn, Upn::parse);
        let uln = optional(errors, "uln", &self.uln, Uln::parse);
        let nhs_number = optional(errors, "nhs_number", &self.nhs_number, NhsNumber::parse);
        let postcode = optional(errors, "postcode", &self.postcode, Postcode::parse);
        let relationship = if self.relationship.trim().is_empty() {
            errors.add(
                "relationship",
                "Enter your relationship to the child, for example SENCO",
            );
            None
        } else {
            errors.check(
                "relationship",
                ShortText::parse(&self.relationship, "your relationship to the child"),
            )
        };
        if !errors.is_empty() {
            return None;
        }
        Some(ChildLinkRequest {
            id: ChildLinkRequestId::from_uuid(uuid::Uuid::nil()),
            account_id: UserId::from_uuid(uuid::Uuid::nil()),
            first_name: first_name?,
            last_name: last_name?,
            date_of_birth: date_of_birth?,
            setting,
            upn,
            uln,
            nhs_number,
            postcode,
            relationship: relationship?,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            decision: None,
        })
    }
}

fn text(name: &str, label: &str, value: &str, errors: &FormErrors) -> Input {
    Input::new(name, label)
        .value(value)
        .error_opt(errors.get(name))
}

fn page(app: &App, signed_in: &SignedIn, form: &AddChildForm, errors: &FormErrors) -> Response {
    let mut dob = DateInput::new(
        "dob",
        Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Date of birth")
        },
    )
    .hint("For example, 27 3 2015")
    .date_values(&form.dob_day, &form.dob_month, &form.dob_year);
    if let Some(error) = errors.get("dob-day") {
        dob = dob.error(error);
    }
    FormPage::new(
        signed_in.chrome(app),
        "Add a child I work with",
        "/children/add",
        signed_in.csrf.clone(),
        "Send request",
    )
    .errors(errors)
    .back("/home")
    .intro(
        "Tell us what you know about the child. The SEND team will find the child's record and \
         check that you work with them before you can see their SEND Dashboard.",
    )
    .field(&text("first_name", "Child's first name", &form.first_name, errors).autocomplete("off"))
    .field(&text("last_name", "Child's last name", &form.last_name, errors).autocomplete("off"))
    .field(&dob)
    .field(&text(
        "setting",
        "School or setting (optional)",
        &form.setting,
        errors,
    ))
    .field(
        &text(
            "upn",
            "Unique pupil number (UPN) (optional)",
            &form.upn,
            errors,
        )
        .classes("govuk-input--width-20")
        .spellcheck(false),
    )
    .field(
        &text(
            "uln",
            "Unique learner number (ULN) (optional)",
            &form.uln,
            errors,
        )
        .classes("govuk-input--width-10")
        .spellcheck(false),
    )
    .field(
        &text(
            "nhs_number",
            "NHS number (optional)",
            &form.nhs_number,
            errors,
        )
        .classes("govuk-input--width-10")
        .inputmode("numeric")
        .spellcheck(false),
    )
    .field(
        &text(
            "postcode",
            "Child's postcode (optional)",
            &form.postcode,
            errors,
        )
        .classes("govuk-input--width-10")
        .autocomplete("off"),
    )
    .field(
        &text(
            "relationship",
            "Your relationship to the child",
            &form.relationship,
            errors,
        )
        .hint("For example, SENCO, class teacher, speech and language therapist"),
    )
    .respond()
}

/// Only professional accounts can ask; anyone else gets the 404 page.
fn require_professional(signed_in: &SignedIn) -> Result<(), WebError> {
    if signed_in.account.kind == AccountKind::Professional {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

pub async fn show(State(app): State<App>, signed_in: SignedIn) -> Result<Response, WebError> {
    require_professional(&signed_in)?;
    Ok(page(
        &app,
        &signed_in,
        &AddChildForm::default(),
        &FormErrors::default(),
    ))
}

pub async fn submit(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<AddChildForm>,
) -> Result<Response, WebError> {
    require_professional(&signed_in)?;
    let mut errors = FormErrors::default();
    let Some(request) = form.parse(app.clock.now().date(), &mut errors) else {
        return Ok(page(&app, &signed_in, &form, &errors));
    };
    if let Err(problem) = app
        .request_child_link(signed_in.account.id, request, &source)
        .await?
    {
        errors.add("first_name", problem.to_string());
        return Ok(page(&app, &signed_in, &form, &errors));
    }
    keep(
        &signed_in.session,
        FLASH,
        &Flash::success(
            "Your request has been sent to the SEND team. We will email you when they have dealt with it.",
        ),
    )
    .await?;
    Ok(see_other("/home"))
}
