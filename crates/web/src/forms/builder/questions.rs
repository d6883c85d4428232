//! Adding a question (choose its type, then its settings), changing one, moving
//! it within its page and removing it; the same for the questions inside a
//! repeating group. A new question goes on a new page unless the address says
//! which page (`?page=p2`) or group (`?group=q4`) it joins.

use crate::routes::Routes;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use send_app::App;
use send_domain::forms::{
    BuilderAction, DateLimit, Direction, Edit, FormDefinition, LookupKind, PageKey, Question,
    QuestionKey, QuestionKind, QuestionSettings,
};
use send_domain::{FileKind, FormId};
use serde::Deserialize;
use serde::de::{self, Deserializer};

use super::{
    Saved, VersionForm, button_edit, conflict, done, every_mistake, form_path, may,
    optional_number, save, seen_version, version_field, view,
};
use crate::back_office::Staff;
use crate::client::ClientAddress;
use crate::components::{Checkboxes, ChoiceItem, Input, Label, Legend, Radios, Textarea};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::{IdPath, Key};
use crate::question_page::{FormErrors, FormPage, see_other};

pub(super) fn router() -> Routes {
    Routes::new()
        .route(
            "/back-office/forms/{id}/questions/new",
            get(show_choose).post(submit_choose),
        )
        .route(
            "/back-office/forms/{id}/questions/new/{kind}",
            get(show_new).post(submit_new),
        )
        .route(
            "/back-office/forms/{id}/questions/{question}",
            get(show_edit).post(submit_edit),
        )
        .route(
            "/back-office/forms/{id}/questions/{question}/move-up",
            post(move_up),
        )
        .route(
            "/back-office/forms/{id}/questions/{question}/move-down",
            post(move_down),
        )
        .route(
            "/back-office/forms/{id}/questions/{question}/remove",
            get(show_remove).post(submit_remove),
        )
        .route(
            "/back-office/forms/{id}/questions/{group}/items/{question}",
            get(show_edit_inner).post(submit_edit_inner),
        )
        .route(
            "/back-office/forms/{id}/questions/{group}/items/{question}/move-up",
            post(move_inner_up),
        )
        .route(
            "/back-office/forms/{id}/questions/{group}/items/{question}/move-down",
            post(move_inner_down),
        )
        .route(
            "/back-office/forms/{id}/questions/{group}/items/{question}/remove",
            get(show_remove_inner).post(submit_remove_inner),
        )
}

// ---- Types of question ----

/// Each type of question the builder offers: its code (in addresses) and what
/// it is for.
const KINDS: [(&str, &str); 15] = [
    ("short_text", "One line, such as a school’s name"),
    ("long_text", "Several lines, with a limit on characters"),
    ("number", "A number, with optional limits"),
    ("date", "A date as day, month and year"),
    ("yes_no", "Yes or no"),
    ("single_choice", "One option from a list"),
    ("multiple_choice", "Any number of options from a list"),
    ("email", "An email address, checked"),
    ("phone", "A UK telephone number, checked"),
    ("address", "A UK address: two lines, town and postcode"),
    ("postcode", "A UK postcode, checked"),
    ("name", "A person’s first and last name"),
    (
        "file_upload",
        "Documents or photos, checked like every upload",
    ),
    (
        "repeating",
        "Questions asked once for each of several items, like each professional involved",
    ),
    (
        "lookup",
        "A search of the council’s records: only on forms the council fills in",
    ),
];

/// A new question of the type with this code, with its usual settings.
fn blank(code: &str) -> Option<QuestionKind> {
    Some(match code {
        "short_text" => QuestionKind::ShortText,
        "long_text" => QuestionKind::LongText { max_chars: 1000 },
        "number" => QuestionKind::Number {
            whole: true,
            min: None,
            max: None,
        },
        "date" => QuestionKind::Date {
            limit: DateLimit::Any,
        },
        "yes_no" => QuestionKind::YesNo,
        "single_choice" => QuestionKind::SingleChoice {
            options: Vec::new(),
        },
        "multiple_choice" => QuestionKind::MultipleChoice {
            options: Vec::new(),
            none_of_these: false,
        },
        "email" => QuestionKind::Email,
        "phone" => QuestionKind::Phone,
        "address" => QuestionKind::Address,
        "postcode" => QuestionKind::Postcode,
        "name" => QuestionKind::Name,
        "file_upload" => QuestionKind::FileUpload {
            max_files: 1,
            kinds: Vec::new(),
        },
        "repeating" => QuestionKind::Repeating {
            item: String::new(),
            questions: Vec::new(),
            min_items: 0,
            max_items: 10,
        },
        "lookup" => QuestionKind::Lookup {
            of: LookupKind::School,
        },
        _ => return None,
    })
}

/// The code of a question's type.
fn code_of(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::ShortText => "short_text",
        QuestionKind::LongText { .. } => "long_text",
        QuestionKind::Number { .. } => "number",
        QuestionKind::Date { .. } => "date",
        QuestionKind::YesNo => "yes_no",
        QuestionKind::SingleChoice { .. } => "single_choice",
        QuestionKind::MultipleChoice { .. } => "multiple_choice",
        QuestionKind::Email => "email",
        QuestionKind::Phone => "phone",
        QuestionKind::Address => "address",
        QuestionKind::Postcode => "postcode",
        QuestionKind::Name => "name",
        QuestionKind::FileUpload { .. } => "file_upload",
        QuestionKind::Repeating { .. } => "repeating",
        QuestionKind::Lookup { .. } => "lookup",
    }
}

/// A type of question named in the address; anything else is the 404 page.
#[derive(Debug, Clone)]
struct KindCode(&'static str);

impl<'de> Deserialize<'de> for KindCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let presented = String::deserialize(deserializer)?;
        KINDS
            .iter()
            .find(|(code, _)| *code == presented)
            .map(|(code, _)| Self(code))
            .ok_or_else(|| de::Error::custom("not a type of question"))
    }
}

// ---- Where a new question goes ----

/// Where a new question goes, from the address's `page` or `group`.
#[derive(Debug, Clone)]
enum Place {
    NewPage,
    Page(PageKey),
    Group(QuestionKey),
}

#[derive(Debug, Default, Deserialize)]
struct PlaceQuery {
    page: Option<String>,
    group: Option<String>,
}

impl PlaceQuery {
    /// The place, parsed by the domain's key rules; a malformed key is the 404 page.
    fn place(&self) -> Result<Place, WebError> {
        match (&self.page, &self.group) {
            (None, None) => Ok(Place::NewPage),
            (Some(page), None) => PageKey::parse(page)
                .map(Place::Page)
                .ok_or(WebError::NotFound),
            (None, Some(group)) => QuestionKey::parse(group)
                .map(Place::Group)
                .ok_or(WebError::NotFound),
            (Some(_), Some(_)) => Err(WebError::NotFound),
        }
    }
}

impl Place {
    /// The query string that keeps the place across the steps.
    fn query(&self) -> String {
        match self {
            Self::NewPage => String::new(),
            Self::Page(page) => format!("?page={page}"),
            Self::Group(group) => format!("?group={group}"),
        }
    }

    /// Checks the place is in the form; says where it is, for the page.
    fn describe(&self, form: &FormDefinition) -> Result<String, WebError> {
        match self {
            Self::NewPage => Ok("It goes on a new page at the end of the form.".to_owned()),
            Self::Page(page) => form
                .page(page)
                .map(|(i, _)| format!("It goes at the end of page {}.", i + 1))
                .ok_or(WebError::NotFound),
            Self::Group(group) => match form.question(group) {
                Some((_, q)) if matches!(q.kind, QuestionKind::Repeating { .. }) => Ok(format!(
                    "It is asked for each item of the group “{}”.",
                    q.text
                )),
                _ => Err(WebError::NotFound),
            },
        }
    }

    fn in_group(&self) -> bool {
        matches!(self, Self::Group(_))
    }

    fn edit(&self, question: QuestionSettings) -> Edit {
        match self {
            Self::NewPage => Edit::AddPage { question },
            Self::Page(page) => Edit::AddQuestion {
                page: page.clone(),
                question,
            },
            Self::Group(group) => Edit::AddGroupQuestion {
                group: group.clone(),
                question,
            },
        }
    }
}

/// The working copy, for a page that changes it: the person may build, and the
/// form is neither built in nor retired (such forms offer no changes).
async fn editable(
    app: &App,
    staff: &Staff,
    id: FormId,
    source: &send_app::audit::Source,
) -> Result<send_domain::forms::Form, WebError> {
    may(staff, BuilderAction::Build)?;
    let current = app.builder_form(&staff.access, id, source).await?;
    if current.form.editable() {
        Ok(current.form)
    } else {
        Err(WebError::NotFound)
    }
}

// ---- Choosing the type ----

#[derive(Debug, Default, Deserialize)]
struct ChooseForm {
    #[serde(default)]
    kind: String,
}

fn choose_page(
    app: &App,
    staff: &Staff,
    id: FormId,
    place: &Place,
    where_it_goes: &str,
    chosen: &str,
    errors: &FormErrors,
) -> Response {
    let mut radios = Radios::new("kind")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--m".to_owned()),
            ..Legend::new("What type of question is it?")
        })
        .value(chosen)
        .error_opt(errors.get("kind"));
    for (code, hint) in KINDS {
        if place.in_group() && code == "repeating" {
            continue;
        }
        let label = blank(code).map_or("", |k| k.label());
        radios = radios.item(ChoiceItem::new(code, label).hint(hint));
    }
    FormPage::new(
        staff.signed_in.chrome(app),
        "Add a question",
        &format!("{}/questions/new{}", form_path(id), place.query()),
        staff.signed_in.csrf.clone(),
        "Continue",
    )
    .errors(errors)
    .back(&form_path(id))
    .intro(where_it_goes)
    .field(&radios)
    .respond()
}

async fn show_choose(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<FormId>,
    Query(query): Query<PlaceQuery>,
) -> Result<Response, WebError> {
    let place = query.place()?;
    let form = editable(&app, &staff, id, &source).await?;
    let where_it_goes = place.describe(&form.draft)?;
    Ok(choose_page(
        &app,
        &staff,
        id,
        &place,
        &where_it_goes,
        "",
        &FormErrors::default(),
    ))
}

async fn submit_choose(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<FormId>,
    Query(query): Query<PlaceQuery>,
    CsrfForm(chosen): CsrfForm<ChooseForm>,
) -> Result<Response, WebError> {
    let place = query.place()?;
    let form = editable(&app, &staff, id, &source).await?;
    let where_it_goes = place.describe(&form.draft)?;
    let offered =
        blank(&chosen.kind).is_some() && !(place.in_group() && chosen.kind == "repeating");
    if !offered {
        let mut errors = FormErrors::default();
        errors.add("kind", "Select the type of question");
        return Ok(choose_page(
            &app,
            &staff,
            id,
            &place,
            &where_it_goes,
            &chosen.kind,
            &errors,
        ));
    }
    Ok(see_other(&format!(
        "{}/questions/new/{}{}",
        form_path(id),
        chosen.kind,
        place.query()
    )))
}

// ---- A question's settings ----

/// A question's settings page as typed. Only the fields of its type are shown
/// and read.
#[derive(Debug, Default)]
struct QuestionForm {
    version: String,
    text: String,
    hint: String,
    required: String,
    max_chars: String,
    numbers: String,
    min: String,
    max: String,
    date_limit: String,
    options: String,
    none_of_these: bool,
    max_files: String,
    kinds: Vec<String>,
    item: String,
    min_items: String,
    max_items: String,
    lookup: String,
}

fn limit_text(n: Option<f64>) -> String {
    n.map(send_domain::forms::words::number).unwrap_or_default()
}

fn date_limit_code(limit: DateLimit) -> &'static str {
    match limit {
        DateLimit::Any => "any",
        DateLimit::PastOrToday => "past",
        DateLimit::TodayOrFuture => "future",
    }
}

fn lookup_code(of: LookupKind) -> &'static str {
    match of {
        LookupKind::Child => "child",
        LookupKind::School => "school",
        LookupKind::Staff => "staff",
    }
}

impl QuestionForm {
    fn of(settings: &QuestionSettings, version: u32) -> Self {
        let mut form = Self {
            version: version.to_string(),
            text: settings.text.clone(),
            hint: settings.hint.clone(),
            required: if settings.required { "yes" } else { "no" }.to_owned(),
            ..Self::default()
        };
        match &settings.kind {
            QuestionKind::LongText { max_chars } => form.max_chars = max_chars.to_string(),
            QuestionKind::Number { whole, min, max } => {
                if *whole { "whole" } else { "decimal" }.clone_into(&mut form.numbers);
                form.min = limit_text(*min);
                form.max = limit_text(*max);
            }
            QuestionKind::Date { limit } => {
                date_limit_code(*limit).clone_into(&mut form.date_limit);
            }
            QuestionKind::SingleChoice { options } => form.options = options.join("\n"),
            QuestionKind::MultipleChoice {
                options,
                none_of_these,
            } => {
                form.options = options.join("\n");
                form.none_of_these = *none_of_these;
            }
            QuestionKind::FileUpload { max_files, kinds } => {
                form.max_files = max_files.to_string();
                form.kinds = kinds.iter().map(|k| k.code().to_owned()).collect();
            }
            QuestionKind::Repeating {
                item,
                min_items,
                max_items,
                ..
            } => {
                form.item.clone_from(item);
                form.min_items = min_items.to_string();
                form.max_items = max_items.to_string();
            }
            QuestionKind::Lookup { of } => lookup_code(*of).clone_into(&mut form.lookup),
            _ => {}
        }
        form
    }

    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "version" => form.version = value,
                "text" => form.text = value,
                "hint" => form.hint = value,
                "required" => form.required = value,
                "max_chars" => form.max_chars = value,
                "numbers" => form.numbers = value,
                "min" => form.min = value,
                "max" => form.max = value,
                "date_limit" => form.date_limit = value,
                "options" => form.options = value,
                "none_of_these" => form.none_of_these = value == "yes",
                "max_files" => form.max_files = value,
                "kinds" => form.kinds.push(value),
                "item" => form.item = value,
                "min_items" => form.min_items = value,
                "max_items" => form.max_items = value,
                "lookup" => form.lookup = value,
                _ => {}
            }
        }
        form
    }

    /// The settings of a question of type `code`, with a message for each field
    /// that does not parse (the domain checks the rest) and a stand-in for its
    /// value, so the domain can still check the others: use them only if
    /// `errors` stays empty.
    fn read(&self, code: &str, errors: &mut FormErrors) -> QuestionSettings {
        let required = match self.required.as_str() {
            "yes" => true,
            "no" => false,
            _ => {
                errors.add("required", "Select whether the question must be answered");
                true
            }
        };
        QuestionSettings {
            text: self.text.clone(),
            hint: self.hint.clone(),
            required,
            kind: self.kind(code, errors),
        }
    }

    /// The settings, or the messages of what does not parse (given an empty
    /// `errors`).
    #[cfg(test)]
    fn parse(&self, code: &str, errors: &mut FormErrors) -> Option<QuestionSettings> {
        Some(self.read(code, errors)).filter(|_| errors.is_empty())
    }

    fn kind(&self, code: &str, errors: &mut FormErrors) -> QuestionKind {
        let whole = |field: &str, typed: &str, example: &str, errors: &mut FormErrors| {
            let parsed = typed.trim().parse::<u32>().ok();
            if parsed.is_none() {
                errors.add(field, format!("Enter a whole number, like {example}"));
            }
            parsed
        };
        let small = |field: &str, typed: &str, example: &str, errors: &mut FormErrors| {
            whole(field, typed, example, errors)
                .map(|n| u8::try_from(n.min(255)).unwrap_or(u8::MAX))
        };
        let Some(standing_in) = blank(code) else {
            return QuestionKind::ShortText;
        };
        match standing_in {
            QuestionKind::LongText { max_chars } => QuestionKind::LongText {
                max_chars: whole("max_chars", &self.max_chars, "1000", errors).unwrap_or(max_chars),
            },
            QuestionKind::Number { .. } => {
                let whole = match self.numbers.as_str() {
                    "whole" => true,
                    "decimal" => false,
                    _ => {
                        errors.add("numbers", "Select which numbers people may enter");
                        true
                    }
                };
                let min = optional_number(errors, "min", &self.min, "lowest");
                let max = optional_number(errors, "max", &self.max, "highest");
                QuestionKind::Number { whole, min, max }
            }
            QuestionKind::Date { limit } => QuestionKind::Date {
                limit: match self.date_limit.as_str() {
                    "any" => DateLimit::Any,
                    "past" => DateLimit::PastOrToday,
                    "future" => DateLimit::TodayOrFuture,
                    _ => {
                        errors.add("date_limit", "Select which dates people may enter");
                        limit
                    }
                },
            },
            QuestionKind::SingleChoice { .. } => QuestionKind::SingleChoice {
                options: lines(&self.options),
            },
            QuestionKind::MultipleChoice { .. } => QuestionKind::MultipleChoice {
                options: lines(&self.options),
                none_of_these: self.none_of_these,
            },
            QuestionKind::FileUpload { max_files, .. } => {
                let kinds: Option<Vec<FileKind>> =
                    self.kinds.iter().map(|k| k.parse().ok()).collect();
                if kinds.is_none() {
                    errors.add("kinds", "Select kinds of file from the list");
                }
                QuestionKind::FileUpload {
                    max_files: small("max_files", &self.max_files, "3", errors)
                        .unwrap_or(max_files),
                    kinds: kinds.unwrap_or_default(),
                }
            }
            QuestionKind::Repeating {
                min_items,
                max_items,
                ..
            } => QuestionKind::Repeating {
                item: self.item.clone(),
                questions: Vec::new(),
                min_items: small("min_items", &self.min_items, "0", errors).unwrap_or(min_items),
                max_items: small("max_items", &self.max_items, "10", errors).unwrap_or(max_items),
            },
            QuestionKind::Lookup { of } => QuestionKind::Lookup {
                of: match self.lookup.as_str() {
                    "child" => LookupKind::Child,
                    "school" => LookupKind::School,
                    "staff" => LookupKind::Staff,
                    _ => {
                        errors.add("lookup", "Select what the lookup searches");
                        of
                    }
                },
            },
            other => other,
        }
    }

    /// The page's fields for a question of type `code`.
    fn fields(&self, code: &str, errors: &FormErrors) -> Vec<String> {
        let legend = |text: &str| Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new(text)
        };
        let mut fields = vec![
            version_field(self.version.parse().unwrap_or(0)),
            Input::new("text", "Question")
                .label(Label {
                    classes: Some("govuk-label--s".to_owned()),
                    ..Label::new("Question")
                })
                .hint("Ask it as you would ask the person, for example What is your child’s school called?")
                .value(&self.text)
                .error_opt(errors.get("text"))
                .to_string(),
            Textarea::new("hint", "Hint text (optional)")
                .hint("Help with answering, shown under the question")
                .value(&self.hint)
                .rows(2)
                .error_opt(errors.get("hint"))
                .to_string(),
            Radios::new("required")
                .legend(legend("Must people answer it?"))
                .classes("govuk-radios--inline")
                .value(&self.required)
                .error_opt(errors.get("required"))
                .item(ChoiceItem::new("yes", "Yes"))
                .item(ChoiceItem::new("no", "No, it is optional"))
                .to_string(),
        ];
        fields.extend(self.kind_fields(code, errors));
        fields
    }

    /// The fields of the settings of a question's type.
    #[expect(
        clippy::too_many_lines,
        reason = "one arm per type of question, each its own fields"
    )]
    fn kind_fields(&self, code: &str, errors: &FormErrors) -> Vec<String> {
        let legend = |text: &str| Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new(text)
        };
        let mut fields = Vec::new();
        let number_input = |name: &str, label: &str, value: &str| {
            Input::new(name, label)
                .inputmode("numeric")
                .classes("govuk-input--width-5")
                .value(value)
                .error_opt(errors.get(name))
                .to_string()
        };
        match code {
            "long_text" => fields.push(number_input(
                "max_chars",
                "Most characters an answer may have",
                &self.max_chars,
            )),
            "number" => {
                fields.push(
                    Radios::new("numbers")
                        .legend(legend("Which numbers may people enter?"))
                        .value(&self.numbers)
                        .error_opt(errors.get("numbers"))
                        .item(ChoiceItem::new("whole", "Whole numbers only"))
                        .item(ChoiceItem::new("decimal", "Numbers with decimals too"))
                        .to_string(),
                );
                fields.push(
                    Input::new("min", "Lowest number allowed (optional)")
                        .inputmode("decimal")
                        .classes("govuk-input--width-5")
                        .value(&self.min)
                        .error_opt(errors.get("min"))
                        .to_string(),
                );
                fields.push(
                    Input::new("max", "Highest number allowed (optional)")
                        .inputmode("decimal")
                        .classes("govuk-input--width-5")
                        .value(&self.max)
                        .error_opt(errors.get("max"))
                        .to_string(),
                );
            }
            "date" => fields.push(
                Radios::new("date_limit")
                    .legend(legend("Which dates may people enter?"))
                    .value(&self.date_limit)
                    .error_opt(errors.get("date_limit"))
                    .item(ChoiceItem::new("any", "Any date"))
                    .item(
                        ChoiceItem::new("past", "Today or earlier")
                            .hint("For example, a date of birth"),
                    )
                    .item(
                        ChoiceItem::new("future", "Today or later")
                            .hint("For example, the date of a meeting"),
                    )
                    .to_string(),
            ),
            "single_choice" | "multiple_choice" => {
                fields.push(
                    Textarea::new("options", "Options")
                        .label(Label {
                            classes: Some("govuk-label--s".to_owned()),
                            ..Label::new("Options")
                        })
                        .hint("Put each option on its own line")
                        .value(&self.options)
                        .rows(6)
                        .error_opt(errors.get("options"))
                        .to_string(),
                );
                if code == "multiple_choice" {
                    fields.push(
                        Checkboxes::new("none_of_these")
                            .legend(legend("“None of these”"))
                            .values(if self.none_of_these { vec!["yes"] } else { vec![] })
                            .item(ChoiceItem::new(
                                "yes",
                                "Offer “None of these” as well, which cannot be chosen with another option",
                            ))
                            .to_string(),
                    );
                }
            }
            "file_upload" => {
                fields.push(number_input(
                    "max_files",
                    "Most files people may upload",
                    &self.max_files,
                ));
                let mut kinds = Checkboxes::new("kinds")
                    .legend(legend("Which kinds of file?"))
                    .hint("Leave them all unticked to accept every kind the portal accepts")
                    .values(self.kinds.clone())
                    .error_opt(errors.get("kinds"));
                for kind in FileKind::ALL {
                    kinds = kinds.item(ChoiceItem::new(kind.code(), kind.label()));
                }
                fields.push(kinds.to_string());
            }
            "repeating" => {
                fields.push(
                    Input::new("item", "What is one item called?")
                        .hint("For example, professional. People see “Add another professional”")
                        .classes("govuk-input--width-20")
                        .value(&self.item)
                        .error_opt(errors.get("item"))
                        .to_string(),
                );
                fields.push(number_input(
                    "min_items",
                    "Fewest items people must add",
                    &self.min_items,
                ));
                fields.push(number_input(
                    "max_items",
                    "Most items people may add",
                    &self.max_items,
                ));
            }
            "lookup" => fields.push(
                Radios::new("lookup")
                    .legend(legend("What does it search?"))
                    .value(&self.lookup)
                    .error_opt(errors.get("lookup"))
                    .item(ChoiceItem::new("child", "Children and young people"))
                    .item(ChoiceItem::new("school", "Schools and settings"))
                    .item(ChoiceItem::new("staff", "Members of staff"))
                    .to_string(),
            ),
            _ => {}
        }
        fields
    }
}

/// The fields of a question's page, in order (for the error summary).
const FIELDS: [&str; 15] = [
    "text",
    "hint",
    "required",
    "max_chars",
    "numbers",
    "min",
    "max",
    "date_limit",
    "options",
    "max_files",
    "kinds",
    "item",
    "min_items",
    "max_items",
    "lookup",
];

/// The lines of a box, each trimmed, blank ones left out.
fn lines(typed: &str) -> Vec<String> {
    typed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(ToOwned::to_owned)
        .collect()
}

/// A question's settings page: for a new question (`action` carries its place)
/// or one being changed.
#[expect(
    clippy::too_many_arguments,
    reason = "one page drawn for three callers; the arguments are its parts"
)]
fn settings_page(
    app: &App,
    staff: &Staff,
    id: FormId,
    code: &str,
    title: &str,
    action: &str,
    intro: &str,
    form: &QuestionForm,
    errors: &FormErrors,
) -> Response {
    let mut page = FormPage::new(
        staff.signed_in.chrome(app),
        title,
        action,
        staff.signed_in.csrf.clone(),
        "Save question",
    )
    .errors(errors)
    .back(&form_path(id));
    if !intro.is_empty() {
        page = page.intro(intro);
    }
    let kind = blank(code).map_or("", |k| k.label());
    page = page.intro(format!("Type of question: {kind}."));
    for field in form.fields(code, errors) {
        page = page.field(&field);
    }
    page.respond()
}

async fn show_new(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, KindCode(code))): IdPath<(FormId, KindCode)>,
    Query(query): Query<PlaceQuery>,
) -> Result<Response, WebError> {
    let place = query.place()?;
    let form = editable(&app, &staff, id, &source).await?;
    let where_it_goes = place.describe(&form.draft)?;
    if place.in_group() && code == "repeating" {
        return Err(WebError::NotFound);
    }
    let settings = QuestionSettings {
        text: String::new(),
        hint: String::new(),
        required: true,
        kind: blank(code).ok_or(WebError::NotFound)?,
    };
    Ok(settings_page(
        &app,
        &staff,
        id,
        code,
        "Add a question",
        &format!("{}/questions/new/{code}{}", form_path(id), place.query()),
        &where_it_goes,
        &QuestionForm::of(&settings, form.version),
        &FormErrors::default(),
    ))
}

async fn submit_new(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, KindCode(code))): IdPath<(FormId, KindCode)>,
    Query(query): Query<PlaceQuery>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let place = query.place()?;
    let current = editable(&app, &staff, id, &source).await?;
    let where_it_goes = place.describe(&current.draft)?;
    let action = format!("{}/questions/new/{code}{}", form_path(id), place.query());
    let mut form = QuestionForm::from_pairs(pairs);
    let draw = |form: &QuestionForm, errors: &FormErrors| {
        settings_page(
            &app,
            &staff,
            id,
            code,
            "Add a question",
            &action,
            &where_it_goes,
            form,
            errors,
        )
    };
    let mut errors = FormErrors::default();
    let edit = place.edit(form.read(code, &mut errors));
    if !errors.is_empty() {
        let errors = every_mistake(&errors, &current.draft, edit, &FIELDS);
        return Ok(draw(&form, &errors));
    }
    let seen = seen_version(&form.version, current.version);
    match save(&app, &staff, id, seen, edit, "text", &source).await? {
        Saved::Done(message) => done(&staff, id, message).await,
        Saved::Refused(errors) => Ok(draw(&form, &errors)),
        Saved::Changed(errors, version) => {
            form.version = version.to_string();
            Ok(conflict(draw(&form, &errors)))
        }
    }
}

// ---- Changing a question ----

/// A top-level question of the working copy; the 404 page if it is not there.
fn top_level<'a>(
    form: &'a send_domain::forms::Form,
    key: &QuestionKey,
) -> Result<&'a Question, WebError> {
    form.draft
        .question(key)
        .map(|(_, q)| q)
        .ok_or(WebError::NotFound)
}

/// A question inside a group of the working copy; the 404 page otherwise.
fn inner<'a>(
    form: &'a send_domain::forms::Form,
    group: &QuestionKey,
    key: &QuestionKey,
) -> Result<(&'a Question, &'a Question), WebError> {
    let outer = top_level(form, group)?;
    match &outer.kind {
        QuestionKind::Repeating { questions, .. } => questions
            .iter()
            .find(|q| &q.key == key)
            .map(|q| (outer, q))
            .ok_or(WebError::NotFound),
        _ => Err(WebError::NotFound),
    }
}

async fn show_edit(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<QuestionKey>)>,
) -> Result<Response, WebError> {
    let form = editable(&app, &staff, id, &source).await?;
    let question = top_level(&form, &key)?;
    let code = code_of(&question.kind);
    Ok(settings_page(
        &app,
        &staff,
        id,
        code,
        "Change the question",
        &format!("{}/questions/{key}", form_path(id)),
        "",
        &QuestionForm::of(&QuestionSettings::of(question), form.version),
        &FormErrors::default(),
    ))
}

async fn submit_edit(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<QuestionKey>)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let current = editable(&app, &staff, id, &source).await?;
    let code = code_of(&top_level(&current, &key)?.kind);
    let action = format!("{}/questions/{key}", form_path(id));
    let mut form = QuestionForm::from_pairs(pairs);
    let draw = |form: &QuestionForm, errors: &FormErrors| {
        settings_page(
            &app,
            &staff,
            id,
            code,
            "Change the question",
            &action,
            "",
            form,
            errors,
        )
    };
    let mut errors = FormErrors::default();
    let settings = form.read(code, &mut errors);
    let edit = Edit::EditQuestion {
        question: key,
        settings,
    };
    if !errors.is_empty() {
        let errors = every_mistake(&errors, &current.draft, edit, &FIELDS);
        return Ok(draw(&form, &errors));
    }
    let seen = seen_version(&form.version, current.version);
    match save(&app, &staff, id, seen, edit, "text", &source).await? {
        Saved::Done(message) => done(&staff, id, message).await,
        Saved::Refused(errors) => Ok(draw(&form, &errors)),
        Saved::Changed(errors, version) => {
            form.version = version.to_string();
            Ok(conflict(draw(&form, &errors)))
        }
    }
}

async fn show_edit_inner(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(group), Key(key))): IdPath<(FormId, Key<QuestionKey>, Key<QuestionKey>)>,
) -> Result<Response, WebError> {
    let form = editable(&app, &staff, id, &source).await?;
    let (outer, question) = inner(&form, &group, &key)?;
    let code = code_of(&question.kind);
    Ok(settings_page(
        &app,
        &staff,
        id,
        code,
        "Change the question",
        &format!("{}/questions/{group}/items/{key}", form_path(id)),
        &format!("It is asked for each item of the group “{}”.", outer.text),
        &QuestionForm::of(&QuestionSettings::of(question), form.version),
        &FormErrors::default(),
    ))
}

async fn submit_edit_inner(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(group), Key(key))): IdPath<(FormId, Key<QuestionKey>, Key<QuestionKey>)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let current = editable(&app, &staff, id, &source).await?;
    let (outer, question) = inner(&current, &group, &key)?;
    let code = code_of(&question.kind);
    let intro = format!("It is asked for each item of the group “{}”.", outer.text);
    let action = format!("{}/questions/{group}/items/{key}", form_path(id));
    let mut form = QuestionForm::from_pairs(pairs);
    let draw = |form: &QuestionForm, errors: &FormErrors| {
        settings_page(
            &app,
            &staff,
            id,
            code,
            "Change the question",
            &action,
            &intro,
            form,
            errors,
        )
    };
    let mut errors = FormErrors::default();
    let settings = form.read(code, &mut errors);
    let edit = Edit::EditGroupQuestion {
        group,
        question: key,
        settings,
    };
    if !errors.is_empty() {
        let errors = every_mistake(&errors, &current.draft, edit, &FIELDS);
        return Ok(draw(&form, &errors));
    }
    let seen = seen_version(&form.version, current.version);
    match save(&app, &staff, id, seen, edit, "text", &source).await? {
        Saved::Done(message) => done(&staff, id, message).await,
        Saved::Refused(errors) => Ok(draw(&form, &errors)),
        Saved::Changed(errors, version) => {
            form.version = version.to_string();
            Ok(conflict(draw(&form, &errors)))
        }
    }
}

// ---- Moving and removing ----

async fn move_question(
    app: &App,
    staff: &Staff,
    source: &send_app::audit::Source,
    id: FormId,
    key: QuestionKey,
    direction: Direction,
    posted: &VersionForm,
) -> Result<Response, WebError> {
    let anchor = format!("#question-{key}");
    let edit = Edit::MoveQuestion {
        question: key,
        direction,
    };
    button_edit(app, staff, source, id, posted, edit, &anchor).await
}

async fn move_up(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<QuestionKey>)>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    move_question(&app, &staff, &source, id, key, Direction::Up, &posted).await
}

async fn move_down(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<QuestionKey>)>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    move_question(&app, &staff, &source, id, key, Direction::Down, &posted).await
}

async fn move_inner(
    app: &App,
    staff: &Staff,
    source: &send_app::audit::Source,
    (id, group, key): (FormId, QuestionKey, QuestionKey),
    direction: Direction,
    posted: &VersionForm,
) -> Result<Response, WebError> {
    let anchor = format!("#question-{group}");
    let edit = Edit::MoveGroupQuestion {
        group,
        question: key,
        direction,
    };
    button_edit(app, staff, source, id, posted, edit, &anchor).await
}

async fn move_inner_up(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(group), Key(key))): IdPath<(FormId, Key<QuestionKey>, Key<QuestionKey>)>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    move_inner(
        &app,
        &staff,
        &source,
        (id, group, key),
        Direction::Up,
        &posted,
    )
    .await
}

async fn move_inner_down(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(group), Key(key))): IdPath<(FormId, Key<QuestionKey>, Key<QuestionKey>)>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    move_inner(
        &app,
        &staff,
        &source,
        (id, group, key),
        Direction::Down,
        &posted,
    )
    .await
}

fn confirm_removal(
    app: &App,
    staff: &Staff,
    id: FormId,
    version: u32,
    (title, paragraphs): (String, Vec<String>),
    action: String,
) -> Response {
    use axum::response::IntoResponse;
    view::Confirm {
        chrome: staff.signed_in.chrome(app),
        title,
        paragraphs,
        action,
        button: "Remove question".to_owned(),
        csrf: staff.signed_in.csrf.clone(),
        version,
        back: form_path(id),
    }
    .into_response()
}

async fn show_remove(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<QuestionKey>)>,
) -> Result<Response, WebError> {
    let form = editable(&app, &staff, id, &source).await?;
    let (page, question) = form.draft.question(&key).ok_or(WebError::NotFound)?;
    let mut paragraphs = Vec::new();
    if form.draft.pages[page].questions.len() == 1 {
        paragraphs.push(format!(
            "It is the only question on page {}, so the page is removed too.",
            page + 1
        ));
    }
    if matches!(question.kind, QuestionKind::Repeating { .. }) {
        paragraphs.push("The questions in the group are removed with it.".to_owned());
    }
    Ok(confirm_removal(
        &app,
        &staff,
        id,
        form.version,
        (
            format!("Remove the question “{}”?", question.text.trim()),
            paragraphs,
        ),
        format!("{}/questions/{key}/remove", form_path(id)),
    ))
}

async fn submit_remove(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<QuestionKey>)>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    let anchor = format!("#question-{key}");
    let edit = Edit::RemoveQuestion { question: key };
    button_edit(&app, &staff, &source, id, &posted, edit, &anchor).await
}

async fn show_remove_inner(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(group), Key(key))): IdPath<(FormId, Key<QuestionKey>, Key<QuestionKey>)>,
) -> Result<Response, WebError> {
    let form = editable(&app, &staff, id, &source).await?;
    let (outer, question) = inner(&form, &group, &key)?;
    Ok(confirm_removal(
        &app,
        &staff,
        id,
        form.version,
        (
            format!("Remove the question “{}”?", question.text.trim()),
            vec![format!(
                "It is no longer asked for each item of the group “{}”.",
                outer.text.trim()
            )],
        ),
        format!("{}/questions/{group}/items/{key}/remove", form_path(id)),
    ))
}

async fn submit_remove_inner(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(group), Key(key))): IdPath<(FormId, Key<QuestionKey>, Key<QuestionKey>)>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    let anchor = format!("#question-{group}");
    let edit = Edit::RemoveGroupQuestion {
        group,
        question: key,
    };
    button_edit(&app, &staff, &source, id, &posted, edit, &anchor).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_a_code_that_comes_back() {
        for (code, _) in KINDS {
            let kind = blank(code).unwrap_or_else(|| panic!("{code}"));
            assert_eq!(code_of(&kind), code);
        }
    }

    #[test]
    fn a_question_read_back_from_its_page_is_the_same() {
        for (code, _) in KINDS {
            let mut kind = blank(code).unwrap();
            if let QuestionKind::SingleChoice { options }
            | QuestionKind::MultipleChoice { options, .. } = &mut kind
            {
                *options = vec!["Oak".to_owned(), "Elm".to_owned()];
            }
            let settings = QuestionSettings {
                text: "Which?".to_owned(),
                hint: "A hint".to_owned(),
                required: false,
                kind,
            };
            let mut errors = FormErrors::default();
            let read = QuestionForm::of(&settings, 3).parse(code, &mut errors);
            assert!(errors.is_empty(), "{code}: {:?}", errors.summary());
            assert_eq!(read, Some(settings), "{code}");
        }
    }

    #[test]
    fn numbers_that_do_not_parse_are_messages_on_their_fields() {
        let form = QuestionForm {
            required: "yes".to_owned(),
            numbers: "whole".to_owned(),
            min: "ten".to_owned(),
            max_chars: "lots".to_owned(),
            ..QuestionForm::default()
        };
        let mut errors = FormErrors::default();
        assert_eq!(form.parse("number", &mut errors), None);
        assert_eq!(
            errors.get("min").as_deref(),
            Some("Enter the lowest number as a number, like 10")
        );
        let mut errors = FormErrors::default();
        assert_eq!(form.parse("long_text", &mut errors), None);
        assert_eq!(
            errors.get("max_chars").as_deref(),
            Some("Enter a whole number, like 1000")
        );
    }
}
