//! Children's records: find, add, open, change, and the chronology.

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use send_app::involvements::{CaseloadCounts, Scope};
use send_app::{App, AppError};
use send_domain::dates::{long_date, parse_date, parse_date_of_birth, uk_time};
use send_domain::{
    Address, Child, ChildId, ChildSearch, ContactId, Email, FamilyContact, NhsNumber, Permission,
    PersonName, PhoneNumber, Postcode, SenNeed, Sex, ShortText, TeamId, Uln, Upn,
};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{
    Checkboxes, ChoiceItem, DateInput, Input, Legend, Radios, Select, SelectItem, SummaryList,
    SummaryListAction, SummaryListRow,
};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, FormPage, optional, see_other};

pub fn router() -> Routes {
    Routes::new()
        .route("/back-office", get(home))
        .route("/back-office/children", get(search))
        .route("/back-office/children/new", get(show_new).post(submit_new))
        .route("/back-office/children/{id}", get(show))
        .route(
            "/back-office/children/{id}/edit",
            get(show_edit).post(submit_edit),
        )
        .route("/back-office/children/{id}/chronology", get(chronology))
        .route(
            "/back-office/children/{id}/contacts/new",
            get(show_new_contact).post(submit_new_contact),
        )
        .route(
            "/back-office/children/{id}/contacts/{contact}/remove",
            post(remove_contact),
        )
}

pub(crate) fn today(app: &App) -> time::Date {
    app.clock.now().date()
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/home.html")]
pub struct HomePage {
    chrome: Chrome,
    name: String,
    can_edit: bool,
    can_view: bool,
    waiting: Waiting,
    searched: bool,
    fields: Vec<String>,
    errors: FormErrors,
    results: Vec<ChildRow>,
}

/// What waits for the member of staff, each count `None` when they may not
/// see what it counts.
#[derive(Debug, Clone, Copy)]
pub struct Waiting {
    /// Conversations in the team inbox waiting for an answer.
    unanswered: Option<usize>,
    /// Accepted invitations and professionals' requests (Portal requests).
    requests: Option<usize>,
    /// Their own cases: with a key date in the next 7 days, and overdue.
    cases: Option<CaseloadCounts>,
    /// Incoming forms waiting, for those who process forms.
    incoming: Option<u64>,
    /// Requests for advice past their due date, for those who see cases.
    overdue_advice: Option<usize>,
    /// The same on the involvements they hold.
    my_overdue_advice: Option<usize>,
}

impl Waiting {
    /// Whether any of the team's counts is for this member of staff.
    fn shows_the_team(&self) -> bool {
        self.unanswered.is_some()
            || self.requests.is_some()
            || self.incoming.is_some()
            || self.overdue_advice.is_some()
    }
}

/// One child in a list.
#[derive(Debug, Clone)]
pub struct ChildRow {
    pub id: ChildId,
    pub name: String,
    pub date_of_birth: String,
    pub postcode: String,
    pub setting: String,
}

impl ChildRow {
    fn of(child: &Child) -> Self {
        Self {
            id: child.id,
            name: child.display_name(),
            date_of_birth: long_date(child.date_of_birth),
            postcode: child
                .address
                .postcode
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            setting: child
                .setting
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    name: String,
    #[serde(default, rename = "dob-day")]
    dob_day: String,
    #[serde(default, rename = "dob-month")]
    dob_month: String,
    #[serde(default, rename = "dob-year")]
    dob_year: String,
    #[serde(default)]
    identifier: String,
    #[serde(default)]
    postcode: String,
}

impl SearchForm {
    fn is_empty(&self) -> bool {
        [
            &self.name,
            &self.dob_day,
            &self.dob_month,
            &self.dob_year,
            &self.identifier,
            &self.postcode,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }

    fn parse(&self, errors: &mut FormErrors) -> ChildSearch {
        let name = Some(self.name.trim().to_owned()).filter(|n| !n.is_empty());
        let typed_date = [&self.dob_day, &self.dob_month, &self.dob_year]
            .iter()
            .any(|v| !v.trim().is_empty());
        let date_of_birth = if typed_date {
            errors.check(
                "dob",
                parse_date(
                    "Date of birth",
                    &self.dob_day,
                    &self.dob_month,
                    &self.dob_year,
                ),
            )
        } else {
            None
        };
        let identifier = Some(
            self.identifier
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_uppercase(),
        )
        .filter(|i| !i.is_empty());
        let postcode = if self.postcode.trim().is_empty() {
            None
        } else {
            errors.check("postcode", Postcode::parse(&self.postcode))
        };
        ChildSearch {
            name,
            date_of_birth,
            identifier,
            postcode,
        }
    }

    fn fields(&self, errors: &FormErrors) -> Vec<String> {
        vec![
            Input::new("name", "Name")
                .hint("All or part of a first, last or preferred name")
                .value(&self.name)
                .spellcheck(false)
                .to_string(),
            date_input(
                "dob",
                "Date of birth",
                (&self.dob_day, &self.dob_month, &self.dob_year),
                errors.get("dob"),
            )
            .to_string(),
            Input::new("identifier", "UPN, ULN or NHS number")
                .value(&self.identifier)
                .spellcheck(false)
                .classes("govuk-input--width-20")
                .to_string(),
            Input::new("postcode", "Postcode")
                .value(&self.postcode)
                .autocomplete("off")
                .classes("govuk-input--width-10")
                .error_opt(errors.get("postcode"))
                .to_string(),
        ]
    }
}

pub(crate) fn date_input(
    name: &str,
    legend: &str,
    value: (&str, &str, &str),
    error: Option<String>,
) -> DateInput {
    let mut input = DateInput::new(
        name,
        Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new(legend)
        },
    )
    .hint("For example, 27 3 2015")
    .date_values(value.0, value.1, value.2);
    if let Some(error) = error {
        input = input.error(error);
    }
    input
}

async fn home_page(
    app: &App,
    staff: &Staff,
    search: &SearchForm,
    searched: bool,
    errors: FormErrors,
    results: Vec<ChildRow>,
) -> Result<Response, WebError> {
    let fields = search.fields(&errors);
    let access = &staff.access;
    let overdue = app.overdue_advice_counts(access).await?;
    let waiting = Waiting {
        unanswered: app.team_inbox_count(access).await?,
        requests: app.portal_requests_waiting(access).await?,
        cases: app.caseload_counts(access, Scope::Mine).await?,
        incoming: app
            .processing_counts(access)
            .await?
            .map(send_store::ProcessingCounts::waiting),
        overdue_advice: overdue.map(|(all, _)| all),
        my_overdue_advice: overdue.map(|(_, mine)| mine),
    };
    Ok(HomePage {
        chrome: staff.signed_in.chrome(app),
        name: staff.signed_in.account.name.to_string(),
        can_edit: access.has(Permission::EditCases),
        can_view: access.has(Permission::ViewCases),
        waiting,
        searched,
        fields,
        errors,
        results,
    }
    .into_response())
}

pub async fn home(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    home_page(
        &app,
        &staff,
        &SearchForm::default(),
        false,
        FormErrors::default(),
        Vec::new(),
    )
    .await
}

pub async fn search(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    Query(form): Query<SearchForm>,
) -> Result<Response, WebError> {
    let mut errors = FormErrors::default();
    if form.is_empty() {
        errors.add(
            "name",
            "Enter a name, date of birth, identifier or postcode to search for",
        );
        return home_page(&app, &staff, &form, false, errors, Vec::new()).await;
    }
    let search = form.parse(&mut errors);
    if !errors.is_empty() {
        return home_page(&app, &staff, &form, false, errors, Vec::new()).await;
    }
    let found = app.search_children(&staff.access, &search, &source).await?;
    let rows = found.iter().map(ChildRow::of).collect();
    home_page(&app, &staff, &form, true, errors, rows).await
}

/// The child form's answers, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ChildForm {
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    preferred_name: String,
    #[serde(default, rename = "dob-day")]
    dob_day: String,
    #[serde(default, rename = "dob-month")]
    dob_month: String,
    #[serde(default, rename = "dob-year")]
    dob_year: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    ethnicity: String,
    #[serde(default)]
    upn: String,
    #[serde(default)]
    uln: String,
    #[serde(default)]
    nhs_number: String,
    #[serde(default)]
    address_line_1: String,
    #[serde(default)]
    address_line_2: String,
    #[serde(default)]
    town: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    setting: String,
    #[serde(default)]
    primary_need: String,
    #[serde(default)]
    secondary_need: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_relationship: String,
    #[serde(default)]
    contact_email: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    contact_parental_responsibility: Option<String>,
    /// Where the contact page was opened from ("portal-access"), to go back there.
    #[serde(default)]
    from: String,
    /// The version of the record the form was filled from (editing only; absent
    /// from a form posted without the page: the version read now is used).
    #[serde(default)]
    version: String,
}

impl ChildForm {
    /// A new child's form filled from the details a form submission gives (the
    /// person it came from as the family contact, when a family sent it).
    pub(crate) fn from_submitted(
        submitted: &send_domain::incoming_forms::SubmittedChild,
        contact: Option<(String, String, String)>,
    ) -> Self {
        let d = &submitted.details;
        let date = d.date_of_birth;
        let (contact_name, contact_relationship, contact_email) = contact.unwrap_or_default();
        let address = submitted.address.clone();
        Self {
            first_name: d.first_name.clone().unwrap_or_default(),
            last_name: d.last_name.clone().unwrap_or_default(),
            dob_day: date.map(|d| d.day().to_string()).unwrap_or_default(),
            dob_month: date
                .map(|d| u8::from(d.month()).to_string())
                .unwrap_or_default(),
            dob_year: date.map(|d| d.year().to_string()).unwrap_or_default(),
            upn: d
                .upn
                .as_ref()
                .map(|x| x.as_str().to_owned())
                .unwrap_or_default(),
            uln: d
                .uln
                .as_ref()
                .map(|x| x.as_str().to_owned())
                .unwrap_or_default(),
            nhs_number: d
                .nhs_number
                .as_ref()
                .map(send_domain::NhsNumber::spaced)
                .unwrap_or_default(),
            address_line_1: address
                .as_ref()
                .map(|a| a.line_1.clone())
                .unwrap_or_default(),
            address_line_2: address
                .as_ref()
                .map(|a| a.line_2.clone())
                .unwrap_or_default(),
            town: address.as_ref().map(|a| a.town.clone()).unwrap_or_default(),
            postcode: address.map(|a| a.postcode).unwrap_or_default(),
            setting: d.setting.clone().unwrap_or_default(),
            contact_name,
            contact_relationship,
            contact_email,
            ..Self::default()
        }
    }

    /// The child and contact the answers make, or `None` with each problem added.
    pub(crate) fn child_and_contact(
        &self,
        today: time::Date,
        errors: &mut FormErrors,
    ) -> Option<(Child, Option<FamilyContact>)> {
        self.parse(today, errors, true)
    }

    fn of(child: &Child) -> Self {
        let show = |v: &Option<ShortText>| v.as_ref().map(ToString::to_string).unwrap_or_default();
        Self {
            version: child.version.to_string(),
            first_name: child.legal_first_name.to_string(),
            last_name: child.legal_last_name.to_string(),
            preferred_name: child
                .preferred_name
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            dob_day: child.date_of_birth.day().to_string(),
            dob_month: u8::from(child.date_of_birth.month()).to_string(),
            dob_year: child.date_of_birth.year().to_string(),
            sex: child.sex.code().to_owned(),
            ethnicity: show(&child.ethnicity),
            upn: child
                .upn
                .as_ref()
                .map(|v| v.as_str().to_owned())
                .unwrap_or_default(),
            uln: child
                .uln
                .as_ref()
                .map(|v| v.as_str().to_owned())
                .unwrap_or_default(),
            nhs_number: child
                .nhs_number
                .as_ref()
                .map(NhsNumber::spaced)
                .unwrap_or_default(),
            address_line_1: show(&child.address.line_1),
            address_line_2: show(&child.address.line_2),
            town: show(&child.address.town),
            postcode: child
                .address
                .postcode
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            setting: show(&child.setting),
            primary_need: child
                .primary_need
                .map(|n| n.code().to_owned())
                .unwrap_or_default(),
            secondary_need: child
                .secondary_need
                .map(|n| n.code().to_owned())
                .unwrap_or_default(),
            ..Self::default()
        }
    }

    /// The child the answers describe (id, team and times are filled in by the use
    /// case), and a first family contact if one was given.
    fn parse(
        &self,
        today: time::Date,
        errors: &mut FormErrors,
        with_contact: bool,
    ) -> Option<(Child, Option<FamilyContact>)> {
        let first = match PersonName::parse(&self.first_name) {
            Ok(name) => Some(name),
            Err(_) if self.first_name.trim().is_empty() => {
                errors.add("first_name", "Enter the child's legal first name");
                None
            }
            Err(err) => errors.check("first_name", Err(err)),
        };
        let last = match PersonName::parse(&self.last_name) {
            Ok(name) => Some(name),
            Err(_) if self.last_name.trim().is_empty() => {
                errors.add("last_name", "Enter the child's legal last name");
                None
            }
            Err(err) => errors.check("last_name", Err(err)),
        };
        let preferred = optional(
            errors,
            "preferred_name",
            &self.preferred_name,
            PersonName::parse,
        );
        let dob = errors.check(
            "dob",
            parse_date_of_birth(&self.dob_day, &self.dob_month, &self.dob_year, today),
        );
        let sex = self.sex.parse::<Sex>().ok();
        if sex.is_none() {
            errors.add("sex", "Select the child's sex");
        }
        let upn = optional(errors, "upn", &self.upn, Upn::parse);
        let uln = optional(errors, "uln", &self.uln, Uln::parse);
        let nhs = optional(errors, "nhs_number", &self.nhs_number, NhsNumber::parse);
        let postcode = optional(errors, "postcode", &self.postcode, Postcode::parse);
        let need = |errors: &mut FormErrors, field: &str, typed: &str| {
            if typed.is_empty() {
                None
            } else {
                let need = typed.parse::<SenNeed>().ok();
                if need.is_none() {
                    errors.add(field, "Select a type of need from the list");
                }
                need
            }
        };
        let primary_need = need(errors, "primary_need", &self.primary_need);
        let secondary_need = need(errors, "secondary_need", &self.secondary_need);
        let short = |errors: &mut FormErrors, field: &str, typed: &str, what: &'static str| {
            optional(errors, field, typed, |t| ShortText::parse(t, what))
        };
        let ethnicity = short(errors, "ethnicity", &self.ethnicity, "an ethnicity");
        let line_1 = short(errors, "address_line_1", &self.address_line_1, "an address");
        let line_2 = short(errors, "address_line_2", &self.address_line_2, "an address");
        let town = short(errors, "town", &self.town, "a town or city");
        let setting = short(errors, "setting", &self.setting, "a school or setting");
        let contact = if with_contact {
            self.parse_contact(errors)
        } else {
            None
        };
        let (Some(first), Some(last), Some(dob), Some(sex), true) =
            (first, last, dob, sex, errors.is_empty())
        else {
            return None;
        };
        let epoch = OffsetDateTime::UNIX_EPOCH;
        let child = Child {
            id: ChildId::from_uuid(uuid::Uuid::nil()),
            team_id: TeamId::from_uuid(uuid::Uuid::nil()),
            legal_first_name: first,
            legal_last_name: last,
            preferred_name: preferred,
            date_of_birth: dob,
            sex,
            ethnicity,
            upn,
            uln,
            nhs_number: nhs,
            address: Address {
                line_1,
                line_2,
                town,
                postcode,
            },
            setting,
            primary_need,
            secondary_need,
            created_at: epoch,
            updated_at: epoch,
            version: 1,
        };
        Some((child, contact))
    }

    fn parse_contact(&self, errors: &mut FormErrors) -> Option<FamilyContact> {
        let any = [
            &self.contact_name,
            &self.contact_relationship,
            &self.contact_email,
            &self.contact_phone,
        ]
        .iter()
        .any(|v| !v.trim().is_empty());
        if !any {
            return None;
        }
        let name = PersonName::parse(&self.contact_name).ok();
        if name.is_none() {
            errors.add("contact_name", "Enter the contact's name");
        }
        let relationship = errors.check(
            "contact_relationship",
            ShortText::parse(
                &self.contact_relationship,
                "the contact's relationship to the child",
            ),
        );
        let email = optional(errors, "contact_email", &self.contact_email, Email::parse);
        let phone = optional(
            errors,
            "contact_phone",
            &self.contact_phone,
            PhoneNumber::parse,
        );
        Some(FamilyContact {
            id: ContactId::from_uuid(uuid::Uuid::nil()),
            child_id: ChildId::from_uuid(uuid::Uuid::nil()),
            name: name?,
            relationship: relationship?,
            email,
            phone,
            parental_responsibility: self.contact_parental_responsibility.is_some(),
        })
    }

    fn fields(&self, errors: &FormErrors, with_contact: bool) -> Vec<String> {
        let primary = need_select(
            errors,
            "primary_need",
            "Primary type of need (optional)",
            &self.primary_need,
        );
        let secondary = need_select(
            errors,
            "secondary_need",
            "Secondary type of need (optional)",
            &self.secondary_need,
        );
        let sex = sex_radios(errors, &self.sex);
        let input = |name: &str, label: &str, value: &str| {
            Input::new(name, label)
                .value(value)
                .error_opt(errors.get(name))
        };
        let mut fields = vec![
            r#"<h2 class="govuk-heading-m">The child or young person</h2>"#.to_owned(),
            input("first_name", "Legal first name", &self.first_name)
                .spellcheck(false)
                .to_string(),
            input("last_name", "Legal last name", &self.last_name)
                .spellcheck(false)
                .to_string(),
            input(
                "preferred_name",
                "Preferred first name (optional)",
                &self.preferred_name,
            )
            .hint("If they like to be called something else")
            .spellcheck(false)
            .to_string(),
            date_input(
                "dob",
                "Date of birth",
                (&self.dob_day, &self.dob_month, &self.dob_year),
                errors.get("dob"),
            )
            .to_string(),
            sex.to_string(),
            input("ethnicity", "Ethnicity (optional)", &self.ethnicity)
                .hint("The school census code, for example WBRI")
                .classes("govuk-input--width-10")
                .to_string(),
            r#"<h2 class="govuk-heading-m">Identifiers</h2>"#.to_owned(),
            input("upn", "Unique pupil number (UPN) (optional)", &self.upn)
                .classes("govuk-input--width-20")
                .spellcheck(false)
                .to_string(),
            input("uln", "Unique learner number (ULN) (optional)", &self.uln)
                .classes("govuk-input--width-10")
                .inputmode("numeric")
                .to_string(),
            input("nhs_number", "NHS number (optional)", &self.nhs_number)
                .classes("govuk-input--width-10")
                .inputmode("numeric")
                .to_string(),
            r#"<h2 class="govuk-heading-m">Address, school and needs</h2>"#.to_owned(),
            input(
                "address_line_1",
                "Address line 1 (optional)",
                &self.address_line_1,
            )
            .autocomplete("off")
            .to_string(),
            input(
                "address_line_2",
                "Address line 2 (optional)",
                &self.address_line_2,
            )
            .autocomplete("off")
            .to_string(),
            input("town", "Town or city (optional)", &self.town)
                .classes("govuk-!-width-two-thirds")
                .to_string(),
            input("postcode", "Postcode (optional)", &self.postcode)
                .classes("govuk-input--width-10")
                .to_string(),
            input(
                "setting",
                "Current school or setting (optional)",
                &self.setting,
            )
            .to_string(),
            primary,
            secondary,
        ];
        if with_contact {
            fields.extend(self.contact_fields(errors));
        }
        fields
    }

    fn contact_fields(&self, errors: &FormErrors) -> [String; 6] {
        let input = |name: &str, label: &str, value: &str| {
            Input::new(name, label)
                .value(value)
                .error_opt(errors.get(name))
        };
        [
            r#"<h2 class="govuk-heading-m">A family contact (optional)</h2>"#.to_owned(),
            input("contact_name", "Contact's name", &self.contact_name).to_string(),
            input(
                "contact_relationship",
                "Relationship to the child",
                &self.contact_relationship,
            )
            .hint("For example, mother, father, foster carer, or the young person themselves")
            .to_string(),
            input(
                "contact_email",
                "Contact's email address (optional)",
                &self.contact_email,
            )
            .kind("email")
            .spellcheck(false)
            .to_string(),
            input(
                "contact_phone",
                "Contact's telephone number (optional)",
                &self.contact_phone,
            )
            .kind("tel")
            .classes("govuk-input--width-20")
            .to_string(),
            Checkboxes::new("contact_parental_responsibility")
                .item(
                    ChoiceItem::new("yes", "This contact has parental responsibility")
                        .checked(self.contact_parental_responsibility.is_some()),
                )
                .to_string(),
        ]
    }
}

/// The new child's form, posted to `action` (a child made from a submission).
pub(crate) fn new_child_page_at(
    app: &App,
    staff: &Staff,
    form: &ChildForm,
    errors: &FormErrors,
    (action, back, intro): (&str, &str, &str),
    hidden: &str,
) -> Response {
    let mut page = FormPage::new(
        staff.signed_in.chrome(app),
        "Add a child",
        action,
        staff.signed_in.csrf.clone(),
        "Add child",
    )
    .errors(errors)
    .back(back)
    .intro(intro)
    .field(&hidden);
    for field in form.fields(errors, true) {
        page = page.field(&field);
    }
    page.respond()
}

fn child_form_page(
    app: &App,
    staff: &Staff,
    form: &ChildForm,
    errors: &FormErrors,
    editing: Option<ChildId>,
) -> Response {
    let (title, action, button) = match editing {
        None => (
            "Add a child".to_owned(),
            "/back-office/children/new".to_owned(),
            "Add child",
        ),
        Some(id) => (
            "Change the child's details".to_owned(),
            format!("/back-office/children/{id}/edit"),
            "Save changes",
        ),
    };
    let back = editing.map_or_else(
        || "/back-office".to_owned(),
        |id| format!("/back-office/children/{id}"),
    );
    let mut page = FormPage::new(
        staff.signed_in.chrome(app),
        &title,
        &action,
        staff.signed_in.csrf.clone(),
        button,
    )
    .errors(errors)
    .back(&back);
    if editing.is_some() {
        let version: u32 = form.version.parse().unwrap_or(1);
        page = page.field(&format!(
            r#"<input type="hidden" name="version" value="{version}">"#
        ));
    }
    for field in form.fields(errors, editing.is_none()) {
        page = page.field(&field);
    }
    page.respond()
}

pub async fn show_new(State(app): State<App>, staff: Staff) -> Result<Response, WebError> {
    if !staff.access.has(Permission::EditCases) {
        return Err(WebError::Forbidden);
    }
    Ok(child_form_page(
        &app,
        &staff,
        &ChildForm::default(),
        &FormErrors::default(),
        None,
    ))
}

pub async fn submit_new(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    CsrfForm(form): CsrfForm<ChildForm>,
) -> Result<Response, WebError> {
    if !staff.access.has(Permission::EditCases) {
        return Err(WebError::Forbidden);
    }
    let mut errors = FormErrors::default();
    let Some((child, contact)) = form.parse(today(&app), &mut errors, true) else {
        return Ok(child_form_page(&app, &staff, &form, &errors, None));
    };
    let id = app
        .create_child(&staff.access, child, contact.into_iter().collect(), &source)
        .await?;
    Ok(see_other(&format!("/back-office/children/{id}")))
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/child.html")]
pub struct ChildPage {
    chrome: Chrome,
    id: ChildId,
    name: String,
    can_edit: bool,
    details: SummaryList,
    /// Each contact's card, id, name and whether they can be invited to the
    /// portal (they have an email address).
    contacts: Vec<(SummaryList, ContactId, String, bool)>,
    /// Whether the person may invite contacts to the portal.
    can_invite: bool,
    /// The success banner after a step.
    flash: Option<String>,
    csrf: String,
    /// Each involvement: its id, kind, stage and when it started.
    involvements: Vec<(send_domain::InvolvementId, String, String, String)>,
}

fn or_not_recorded(value: Option<String>) -> String {
    value.unwrap_or_else(|| "Not recorded".to_owned())
}

pub async fn show(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
) -> Result<Response, WebError> {
    let record = app.open_child(&staff.access, id, &source).await?;
    let child = &record.child;
    let details = details_list(child, staff.access.has(Permission::EditCases));
    let contacts = record
        .contacts
        .iter()
        .map(|c| {
            let card = SummaryList::new()
                .card(c.name.to_string())
                .row(SummaryListRow::new(
                    "Relationship",
                    c.relationship.to_string(),
                ))
                .row(SummaryListRow::new(
                    "Email",
                    or_not_recorded(c.email.as_ref().map(ToString::to_string)),
                ))
                .row(SummaryListRow::new(
                    "Telephone",
                    or_not_recorded(c.phone.as_ref().map(ToString::to_string)),
                ))
                .row(SummaryListRow::new(
                    "Parental responsibility",
                    if c.parental_responsibility {
                        "Yes"
                    } else {
                        "No"
                    },
                ));
            (card, c.id, c.name.to_string(), c.email.is_some())
        })
        .collect();
    let involvements = app
        .involvements_of(id)
        .await?
        .into_iter()
        .map(|view| {
            let inv = view.involvement;
            let started = inv
                .events
                .get(&inv.kind.start_event())
                .map(|d| long_date(*d))
                .unwrap_or_default();
            (
                inv.id,
                inv.kind.label().to_owned(),
                inv.stage.label().to_owned(),
                started,
            )
        })
        .collect();
    Ok(ChildPage {
        chrome: staff.signed_in.chrome(&app),
        id,
        name: child.display_name(),
        can_edit: staff.access.has(Permission::EditCases),
        details,
        contacts,
        can_invite: staff.access.has(Permission::ManagePortalUsers),
        flash: crate::accounts::take::<crate::accounts::Flash>(
            &staff.signed_in.session,
            crate::accounts::FLASH,
        )
        .await?
        .map(|f| f.banner()),
        csrf: staff.signed_in.csrf.clone(),
        involvements,
    }
    .into_response())
}

fn need_select(errors: &FormErrors, name: &str, label: &str, value: &str) -> String {
    let mut select = Select::new(name, label)
        .item(SelectItem::new("", "Not recorded"))
        .value(value)
        .error_opt(errors.get(name));
    for need in SenNeed::ALL {
        select = select.item(SelectItem::new(need.code(), need.label()));
    }
    select.to_string()
}

fn sex_radios(errors: &FormErrors, value: &str) -> Radios {
    let mut sex = Radios::new("sex")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Sex")
        })
        .classes("govuk-radios--inline")
        .error_opt(errors.get("sex"));
    for option in Sex::ALL {
        sex = sex
            .item(ChoiceItem::new(option.code(), option.label()).checked(value == option.code()));
    }
    sex
}

/// The child's details as a summary list, with Change links for those who may edit.
fn details_list(child: &Child, can_edit: bool) -> SummaryList {
    let id = child.id;
    let row = |key: &str, value: String| {
        let row = SummaryListRow::new(key, value);
        if can_edit {
            row.action(SummaryListAction::new(
                "Change",
                format!("/back-office/children/{id}/edit"),
                key.to_lowercase(),
            ))
        } else {
            row
        }
    };
    let text = |v: &Option<ShortText>| v.as_ref().map(ToString::to_string);
    let address = [
        text(&child.address.line_1),
        text(&child.address.line_2),
        text(&child.address.town),
        child.address.postcode.as_ref().map(ToString::to_string),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    SummaryList::new()
        .row(row(
            "Legal name",
            format!("{} {}", child.legal_first_name, child.legal_last_name),
        ))
        .row(row(
            "Preferred first name",
            or_not_recorded(child.preferred_name.as_ref().map(ToString::to_string)),
        ))
        .row(row("Date of birth", long_date(child.date_of_birth)))
        .row(row("Sex", child.sex.label().to_owned()))
        .row(row("Ethnicity", or_not_recorded(text(&child.ethnicity))))
        .row(row(
            "UPN",
            or_not_recorded(child.upn.as_ref().map(|v| v.as_str().to_owned())),
        ))
        .row(row(
            "ULN",
            or_not_recorded(child.uln.as_ref().map(|v| v.as_str().to_owned())),
        ))
        .row(row(
            "NHS number",
            or_not_recorded(child.nhs_number.as_ref().map(NhsNumber::spaced)),
        ))
        .row(row(
            "Address",
            or_not_recorded(Some(address).filter(|a| !a.is_empty())),
        ))
        .row(row(
            "School or setting",
            or_not_recorded(text(&child.setting)),
        ))
        .row(row(
            "Primary need",
            or_not_recorded(child.primary_need.map(|n| n.label().to_owned())),
        ))
        .row(row(
            "Secondary need",
            or_not_recorded(child.secondary_need.map(|n| n.label().to_owned())),
        ))
}

pub async fn show_edit(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
) -> Result<Response, WebError> {
    let child = app
        .authorise_child(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    Ok(child_form_page(
        &app,
        &staff,
        &ChildForm::of(&child),
        &FormErrors::default(),
        Some(id),
    ))
}

pub async fn submit_edit(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
    CsrfForm(form): CsrfForm<ChildForm>,
) -> Result<Response, WebError> {
    // Refused before anything is read from the form.
    let current = app
        .authorise_child(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    let mut errors = FormErrors::default();
    let Some((mut child, _)) = form.parse(today(&app), &mut errors, false) else {
        return Ok(child_form_page(&app, &staff, &form, &errors, Some(id)));
    };
    child.id = id;
    child.version = form.version.parse().unwrap_or(current.version);
    match app.update_child(&staff.access, child, None, &source).await {
        Ok(()) => Ok(see_other(&format!("/back-office/children/{id}"))),
        Err(AppError::Changed) => {
            // Keep what the person typed; the next save is made on what is
            // stored now, once they have checked it.
            let now = app
                .authorise_child(&staff.access, send_domain::CaseAction::Edit, id, &source)
                .await?;
            errors.add(
                "first_name",
                format!(
                    "Someone else changed {}’s details while you were working on them. Your \
                     changes below have not been saved: check them against the child’s record, \
                     then save again",
                    now.display_name()
                ),
            );
            let form = ChildForm {
                version: now.version.to_string(),
                ..form
            };
            let mut page = child_form_page(&app, &staff, &form, &errors, Some(id));
            *page.status_mut() = http::StatusCode::CONFLICT;
            Ok(page)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/chronology.html")]
pub struct ChronologyPage {
    chrome: Chrome,
    id: ChildId,
    name: String,
    entries: Vec<(String, String, String, Option<String>)>,
}

pub async fn chronology(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
) -> Result<Response, WebError> {
    let (child, entries) = app.chronology(&staff.access, id, &source).await?;
    let mut names = std::collections::BTreeMap::new();
    let mut rows = Vec::new();
    for entry in entries {
        let who = match entry.actor_id {
            None => "The portal".to_owned(),
            Some(actor) => {
                if let Some(name) = names.get(&actor) {
                    String::clone(name)
                } else {
                    let name = app
                        .store
                        .account_by_id(actor)
                        .await
                        .map_err(|e| WebError::Internal(Box::new(e)))?
                        .map_or_else(|| "A former user".to_owned(), |a| a.name.to_string());
                    names.insert(actor, name.clone());
                    name
                }
            }
        };
        let when = uk_time(entry.occurred_at);
        rows.push((when, who, entry.summary, entry.note));
    }
    Ok(ChronologyPage {
        chrome: staff.signed_in.chrome(&app),
        id,
        name: child.display_name(),
        entries: rows,
    }
    .into_response())
}

/// Where the "Add a family contact" page was opened from, to go back there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum ContactFrom {
    #[default]
    Child,
    PortalAccess,
}

impl ContactFrom {
    /// Only the known places: an address never comes from the request.
    fn parse(from: &str) -> Self {
        if from == "portal-access" {
            Self::PortalAccess
        } else {
            Self::Child
        }
    }

    fn path(self, child: ChildId) -> String {
        match self {
            Self::Child => format!("/back-office/children/{child}"),
            Self::PortalAccess => format!("/back-office/children/{child}/portal-access"),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct FromQuery {
    #[serde(default)]
    from: String,
}

fn contact_page(
    app: &App,
    staff: &Staff,
    (child, from): (&Child, ContactFrom),
    form: &ChildForm,
    errors: &FormErrors,
) -> Response {
    let mut page = FormPage::new(
        staff.signed_in.chrome(app),
        &format!("Add a family contact for {}", child.display_name()),
        &format!("/back-office/children/{}/contacts/new", child.id),
        staff.signed_in.csrf.clone(),
        "Add contact",
    )
    .errors(errors)
    .back(&from.path(child.id));
    if from == ContactFrom::PortalAccess {
        page = page.field(&r#"<input type="hidden" name="from" value="portal-access">"#);
    }
    for field in form.contact_fields(errors).iter().skip(1) {
        page = page.field(field);
    }
    page.respond()
}

pub async fn show_new_contact(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
    axum::extract::Query(query): axum::extract::Query<FromQuery>,
) -> Result<Response, WebError> {
    let child = app
        .authorise_child(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    Ok(contact_page(
        &app,
        &staff,
        (&child, ContactFrom::parse(&query.from)),
        &ChildForm::default(),
        &FormErrors::default(),
    ))
}

pub async fn submit_new_contact(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
    CsrfForm(form): CsrfForm<ChildForm>,
) -> Result<Response, WebError> {
    let child = app
        .authorise_child(&staff.access, send_domain::CaseAction::Edit, id, &source)
        .await?;
    let mut errors = FormErrors::default();
    let contact = form.parse_contact(&mut errors);
    if contact.is_none() && errors.is_empty() {
        errors.add("contact_name", "Enter the contact's name");
    }
    let from = ContactFrom::parse(&form.from);
    let (Some(mut contact), true) = (contact, errors.is_empty()) else {
        return Ok(contact_page(&app, &staff, (&child, from), &form, &errors));
    };
    contact.child_id = id;
    let mut text = format!("{} added as a family contact", contact.name);
    if contact.email.is_some() && staff.access.has(Permission::ManagePortalUsers) {
        text.push_str(". You can now invite them to the portal");
    }
    app.add_family_contact(&staff.access, contact, &source)
        .await?;
    crate::accounts::keep(
        &staff.signed_in.session,
        crate::accounts::FLASH,
        &crate::accounts::Flash::success(&text),
    )
    .await?;
    Ok(see_other(&from.path(id)))
}

pub async fn remove_contact(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, contact)): IdPath<(ChildId, ContactId)>,
    CsrfForm(_): CsrfForm<crate::accounts::AnyForm>,
) -> Result<Response, WebError> {
    app.remove_family_contact(&staff.access, id, contact, &source)
        .await?;
    Ok(see_other(&format!("/back-office/children/{id}")))
}
