//! Conditions and routes, in two steps each so they work without JavaScript:
//! first the earlier question the condition depends on, then how its answer is
//! tested (and, for a route, where it goes).
//!
//! - A question's condition: "Show this question only when …" (it may test a
//!   question on an earlier page).
//! - A page's condition: "Show page N only when …" (the same).
//! - A route after a page: "After this page, if … go to …" (it may test a
//!   question on that page or an earlier one, and goes to a later page or the
//!   end of the form).

use crate::routes::Routes;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use send_app::App;
use send_domain::FormId;
use send_domain::forms::{
    Branch, BuilderAction, Condition, Destination, Edit, Form, FormDefinition, PageKey, Question,
    QuestionKey, QuestionKind, Test, words,
};
use serde::Deserialize;

use super::{
    Saved, VersionForm, button_edit, conflict, done, form_path, may, optional_number, save,
    seen_version, version_field,
};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{ChoiceItem, Input, Legend, Radios};
use crate::csrf::CsrfForm;
use crate::errors::WebError;
use crate::paths::{IdPath, Key};
use crate::question_page::{FormErrors, FormPage, see_other};

pub(super) fn router() -> Routes {
    Routes::new()
        .route(
            "/back-office/forms/{id}/questions/{question}/condition",
            get(question_choose).post(question_chosen),
        )
        .route(
            "/back-office/forms/{id}/questions/{question}/condition/remove",
            post(question_remove),
        )
        .route(
            "/back-office/forms/{id}/questions/{question}/condition/{tested}",
            get(question_test).post(question_save),
        )
        .route(
            "/back-office/forms/{id}/pages/{page}/condition",
            get(page_choose).post(page_chosen),
        )
        .route(
            "/back-office/forms/{id}/pages/{page}/condition/remove",
            post(page_remove),
        )
        .route(
            "/back-office/forms/{id}/pages/{page}/condition/{tested}",
            get(page_test).post(page_save),
        )
        .route(
            "/back-office/forms/{id}/pages/{page}/routes/new",
            get(route_choose).post(route_chosen),
        )
        .route(
            "/back-office/forms/{id}/pages/{page}/routes/new/{tested}",
            get(route_test).post(route_save),
        )
        .route(
            "/back-office/forms/{id}/pages/{page}/routes/{index}/remove",
            post(route_remove),
        )
}

/// What the condition is for.
#[derive(Debug, Clone)]
enum Target {
    Question(QuestionKey),
    Page(PageKey),
    Route(PageKey),
}

impl Target {
    /// The address of its first step.
    fn base(&self, id: FormId) -> String {
        match self {
            Self::Question(key) => format!("{}/questions/{key}/condition", form_path(id)),
            Self::Page(key) => format!("{}/pages/{key}/condition", form_path(id)),
            Self::Route(key) => format!("{}/pages/{key}/routes/new", form_path(id)),
        }
    }

    /// The page it is on; the 404 page if it is not in the form.
    fn page_index(&self, form: &FormDefinition) -> Result<usize, WebError> {
        match self {
            Self::Question(key) => form.question(key).map(|(i, _)| i),
            Self::Page(key) | Self::Route(key) => form.page(key).map(|(i, _)| i),
        }
        .ok_or(WebError::NotFound)
    }

    /// The questions it may test: those of a kind a condition can test, on
    /// earlier pages (a route: on its own page too).
    fn testable<'a>(
        &self,
        form: &'a FormDefinition,
    ) -> Result<Vec<(usize, &'a Question)>, WebError> {
        let at = self.page_index(form)?;
        let limit = match self {
            Self::Route(_) => at + 1,
            Self::Question(_) | Self::Page(_) => at,
        };
        Ok(form.pages[..limit]
            .iter()
            .enumerate()
            .flat_map(|(p, page)| page.questions.iter().map(move |q| (p, q)))
            .filter(|(_, q)| {
                matches!(
                    q.kind,
                    QuestionKind::YesNo
                        | QuestionKind::SingleChoice { .. }
                        | QuestionKind::MultipleChoice { .. }
                        | QuestionKind::Number { .. }
                )
            })
            .collect())
    }

    fn title(&self, form: &FormDefinition) -> Result<String, WebError> {
        let number = self.page_index(form)? + 1;
        Ok(match self {
            Self::Question(_) => "Show this question only when…".to_owned(),
            Self::Page(_) => format!("Show page {number} only when…"),
            Self::Route(_) => format!("Add a route after page {number}"),
        })
    }

    fn intro(&self, form: &FormDefinition) -> Result<String, WebError> {
        let number = self.page_index(form)? + 1;
        Ok(match self {
            Self::Question(key) => {
                let text = form.question(key).map_or("", |(_, q)| q.text.as_str());
                format!(
                    "The question “{text}” (page {number}) is asked only when an answer given on an earlier page is what you choose."
                )
            }
            Self::Page(_) => format!(
                "Page {number} is shown only when an answer given on an earlier page is what you choose. Otherwise people go straight past it."
            ),
            Self::Route(_) => format!(
                "After page {number}, people go to the next page unless a route says otherwise. Routes are tried in order; the first that holds is taken."
            ),
        })
    }

    /// The condition it has now (a route is always new).
    fn current(&self, form: &FormDefinition) -> Option<Condition> {
        match self {
            Self::Question(key) => form.question(key).and_then(|(_, q)| q.show_when.clone()),
            Self::Page(key) => form.page(key).and_then(|(_, p)| p.show_when.clone()),
            Self::Route(_) => None,
        }
    }

    /// The edit that sets the condition (for a route: adds it, going to `to`);
    /// `None` for a route without a destination.
    fn set(&self, condition: Condition, to: Option<Destination>) -> Option<Edit> {
        Some(match self {
            Self::Question(key) => Edit::SetQuestionCondition {
                question: key.clone(),
                condition: Some(condition),
            },
            Self::Page(key) => Edit::SetPageCondition {
                page: key.clone(),
                condition: Some(condition),
            },
            Self::Route(key) => Edit::AddBranch {
                page: key.clone(),
                branch: Branch {
                    when: condition,
                    to: to?,
                },
            },
        })
    }
}

/// The working copy, for a condition page: the person may build, the form may
/// be changed, and the target is in it.
async fn editable(
    app: &App,
    staff: &Staff,
    id: FormId,
    target: &Target,
    source: &send_app::audit::Source,
) -> Result<Form, WebError> {
    may(staff, BuilderAction::Build)?;
    let current = app.builder_form(&staff.access, id, source).await?;
    if !current.form.editable() {
        return Err(WebError::NotFound);
    }
    target.page_index(&current.form.draft)?;
    Ok(current.form)
}

// ---- Step 1: which question ----

/// A page with nothing to do but go back (no question a condition can test).
#[derive(Template, WebTemplate)]
#[template(path = "forms/builder/notice.html")]
struct Notice {
    chrome: Chrome,
    title: String,
    paragraphs: Vec<String>,
    back: String,
}

#[derive(Debug, Default, Deserialize)]
struct ChooseForm {
    #[serde(default)]
    question: String,
}

fn choose_page(
    app: &App,
    staff: &Staff,
    id: FormId,
    target: &Target,
    form: &Form,
    chosen: &str,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let draft = &form.draft;
    let testable = target.testable(draft)?;
    let title = target.title(draft)?;
    let mut intro = vec![target.intro(draft)?];
    if let Some(now) = target.current(draft) {
        intro.push(format!(
            "Now it is shown only when {}.",
            words::condition(draft, &now)
        ));
    }
    if testable.is_empty() {
        intro.push(match target {
            Target::Route(_) => "There is no question on this page or an earlier one that a route can test. A route can test a yes or no question, a single or multiple choice, or a number.".to_owned(),
            _ => "There is no question on an earlier page that a condition can test. A condition can test a yes or no question, a single or multiple choice, or a number.".to_owned(),
        });
        return Ok(Notice {
            chrome: staff.signed_in.chrome(app),
            title,
            paragraphs: intro,
            back: form_path(id),
        }
        .into_response());
    }
    let mut radios = Radios::new("question")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--m".to_owned()),
            ..Legend::new("Which answer does it depend on?")
        })
        .value(chosen)
        .error_opt(errors.get("question"));
    for (page, question) in &testable {
        radios = radios.item(
            ChoiceItem::new(question.key.as_str(), question.text.clone()).hint(format!(
                "Page {}: {}",
                page + 1,
                question.kind.label().to_lowercase()
            )),
        );
    }
    let mut page = FormPage::new(
        staff.signed_in.chrome(app),
        &title,
        &target.base(id),
        staff.signed_in.csrf.clone(),
        "Continue",
    )
    .errors(errors)
    .back(&form_path(id))
    .field(&radios);
    for paragraph in intro {
        page = page.intro(paragraph);
    }
    if target.current(draft).is_some() {
        page = page.after_form(format!(
            r#"<form method="post" action="{}/remove" novalidate><input type="hidden" name="csrf_token" value="{}"><input type="hidden" name="version" value="{}"><button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button">Remove the condition</button></form>"#,
            target.base(id),
            staff.signed_in.csrf,
            form.version
        ));
    }
    Ok(page.respond())
}

async fn show_choose(
    app: &App,
    staff: &Staff,
    id: FormId,
    target: &Target,
    source: &send_app::audit::Source,
) -> Result<Response, WebError> {
    let form = editable(app, staff, id, target, source).await?;
    let chosen = target
        .current(&form.draft)
        .map(|c| c.question.to_string())
        .unwrap_or_default();
    choose_page(
        app,
        staff,
        id,
        target,
        &form,
        &chosen,
        &FormErrors::default(),
    )
}

async fn chosen(
    app: &App,
    staff: &Staff,
    id: FormId,
    target: &Target,
    posted: &ChooseForm,
    source: &send_app::audit::Source,
) -> Result<Response, WebError> {
    let form = editable(app, staff, id, target, source).await?;
    let tested = QuestionKey::parse(posted.question.trim()).filter(|key| {
        target
            .testable(&form.draft)
            .is_ok_and(|list| list.iter().any(|(_, q)| &q.key == key))
    });
    if let Some(key) = tested {
        return Ok(see_other(&format!("{}/{key}", target.base(id))));
    }
    let mut errors = FormErrors::default();
    errors.add("question", "Select the question it depends on");
    choose_page(app, staff, id, target, &form, &posted.question, &errors)
}

// ---- Step 2: how its answer is tested ----

/// The test page as typed.
#[derive(Debug, Default, Deserialize)]
struct TestForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    test: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    min: String,
    #[serde(default)]
    max: String,
    #[serde(default)]
    to: String,
}

/// The value of the "to" field that means the end of the form.
const END: &str = ":end";

impl TestForm {
    fn of(condition: Option<&Condition>, version: u32) -> Self {
        let mut form = Self {
            version: version.to_string(),
            ..Self::default()
        };
        let (test, value) = match condition.map(|c| &c.test) {
            Some(Test::Is { value }) => ("is", value.clone()),
            Some(Test::IsNot { value }) => ("is_not", value.clone()),
            Some(Test::Includes { value }) => ("includes", value.clone()),
            Some(Test::Excludes { value }) => ("excludes", value.clone()),
            Some(Test::Between { min, max }) => {
                form.min = min.map(words::number).unwrap_or_default();
                form.max = max.map(words::number).unwrap_or_default();
                ("", String::new())
            }
            None => ("", String::new()),
        };
        test.clone_into(&mut form.test);
        form.value = value;
        form
    }

    /// The condition on `tested` and, for a route, where it goes; or the
    /// messages of what is missing. Given an empty `errors`.
    fn parse(
        &self,
        tested: &Question,
        route: bool,
        errors: &mut FormErrors,
    ) -> Option<(Condition, Option<Destination>)> {
        let question = tested.key.clone();
        let test = match &tested.kind {
            QuestionKind::Number { .. } => {
                let min = optional_number(errors, "min", &self.min, "lowest");
                let max = optional_number(errors, "max", &self.max, "highest");
                Test::Between { min, max }
            }
            kind => {
                let value = self.value.trim().to_owned();
                if value.is_empty() {
                    errors.add("value", "Select an answer");
                }
                let multiple = matches!(kind, QuestionKind::MultipleChoice { .. });
                let test = match (self.test.as_str(), multiple) {
                    ("is", false) => Some(Test::Is { value }),
                    ("is_not", false) => Some(Test::IsNot { value }),
                    ("includes", true) => Some(Test::Includes { value }),
                    ("excludes", true) => Some(Test::Excludes { value }),
                    _ => {
                        errors.add("test", "Select how the answer is tested");
                        None
                    }
                };
                test.filter(|_| errors.is_empty())?
            }
        };
        let to = if route {
            match self.to.trim() {
                "" => {
                    errors.add("to", "Select where people go");
                    return None;
                }
                END => Some(Destination::End),
                page => {
                    if let Some(key) = PageKey::parse(page) {
                        Some(Destination::Page(key))
                    } else {
                        errors.add("to", "Select where people go");
                        return None;
                    }
                }
            }
        } else {
            None
        };
        Some((Condition { question, test }, to)).filter(|_| errors.is_empty())
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "one page drawn for three kinds of condition; the arguments are its parts"
)]
fn test_page(
    app: &App,
    staff: &Staff,
    id: FormId,
    target: &Target,
    draft: &FormDefinition,
    tested: &Question,
    typed: &TestForm,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let legend = |text: &str| Legend {
        classes: Some("govuk-fieldset__legend--s".to_owned()),
        ..Legend::new(text)
    };
    let mut page = FormPage::new(
        staff.signed_in.chrome(app),
        &target.title(draft)?,
        &format!("{}/{}", target.base(id), tested.key),
        staff.signed_in.csrf.clone(),
        match target {
            Target::Route(_) => "Add route",
            _ => "Save condition",
        },
    )
    .errors(errors)
    .back(&target.base(id))
    .intro(format!(
        "It depends on the answer to “{}”.",
        tested.text.trim()
    ))
    .field(&version_field(typed.version.parse().unwrap_or(0)));
    match &tested.kind {
        QuestionKind::Number { .. } => {
            page = page
                .intro("When the number given is within these limits (leave one empty for no limit that way):")
                .field(
                    &Input::new("min", "At least")
                        .inputmode("decimal")
                        .classes("govuk-input--width-5")
                        .value(&typed.min)
                        .error_opt(errors.get("min")),
                )
                .field(
                    &Input::new("max", "At most")
                        .inputmode("decimal")
                        .classes("govuk-input--width-5")
                        .value(&typed.max)
                        .error_opt(errors.get("max")),
                );
        }
        kind => {
            let tests: [(&str, &str); 2] = if matches!(kind, QuestionKind::MultipleChoice { .. }) {
                [("includes", "includes"), ("excludes", "does not include")]
            } else {
                [("is", "is"), ("is_not", "is not")]
            };
            let mut how = Radios::new("test")
                .legend(legend("When the answer"))
                .classes("govuk-radios--inline")
                .value(&typed.test)
                .error_opt(errors.get("test"));
            for (code, words) in tests {
                how = how.item(ChoiceItem::new(code, words));
            }
            let mut value = Radios::new("value")
                .legend(legend("Answer"))
                .value(&typed.value)
                .error_opt(errors.get("value"));
            for choice in kind.choices().unwrap_or_default() {
                value = value.item(ChoiceItem::new(choice.clone(), choice));
            }
            page = page.field(&how).field(&value);
        }
    }
    if let Target::Route(key) = target {
        let at = draft.page(key).map_or(0, |(i, _)| i);
        let mut to = Radios::new("to")
            .legend(legend("Go to"))
            .value(&typed.to)
            .error_opt(errors.get("to"));
        for later in draft.pages.iter().skip(at + 1) {
            to = to.item(ChoiceItem::new(
                later.key.as_str(),
                capitalised(&words::page_name(draft, later)),
            ));
        }
        to = to.item(ChoiceItem::new(
            END,
            "The end of the form (Check your answers)",
        ));
        page = page.field(&to);
    }
    Ok(page.respond())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The question a step-2 address names, if the target may test it.
fn tested_question<'a>(
    target: &Target,
    draft: &'a FormDefinition,
    key: &QuestionKey,
) -> Result<&'a Question, WebError> {
    target
        .testable(draft)?
        .into_iter()
        .find(|(_, q)| &q.key == key)
        .map(|(_, q)| q)
        .ok_or(WebError::NotFound)
}

async fn show_test(
    app: &App,
    staff: &Staff,
    id: FormId,
    target: &Target,
    tested: &QuestionKey,
    source: &send_app::audit::Source,
) -> Result<Response, WebError> {
    let form = editable(app, staff, id, target, source).await?;
    let question = tested_question(target, &form.draft, tested)?;
    let current = target
        .current(&form.draft)
        .filter(|c| &c.question == tested);
    let typed = TestForm::of(current.as_ref(), form.version);
    test_page(
        app,
        staff,
        id,
        target,
        &form.draft,
        question,
        &typed,
        &FormErrors::default(),
    )
}

async fn save_test(
    app: &App,
    staff: &Staff,
    id: FormId,
    target: &Target,
    tested: &QuestionKey,
    mut typed: TestForm,
    source: &send_app::audit::Source,
) -> Result<Response, WebError> {
    let form = editable(app, staff, id, target, source).await?;
    let question = tested_question(target, &form.draft, tested)?;
    let route = matches!(target, Target::Route(_));
    let mut errors = FormErrors::default();
    let Some(edit) = typed
        .parse(question, route, &mut errors)
        .filter(|_| errors.is_empty())
        .and_then(|(condition, to)| target.set(condition, to))
    else {
        return test_page(
            app,
            staff,
            id,
            target,
            &form.draft,
            question,
            &typed,
            &errors,
        );
    };
    let seen = seen_version(&typed.version, form.version);
    let first = match &question.kind {
        QuestionKind::Number { .. } => "min",
        _ => "test",
    };
    match save(app, staff, id, seen, edit, first, source).await? {
        Saved::Done(message) => done(staff, id, message).await,
        Saved::Refused(errors) => test_page(
            app,
            staff,
            id,
            target,
            &form.draft,
            question,
            &typed,
            &errors,
        ),
        Saved::Changed(errors, version) => {
            typed.version = version.to_string();
            Ok(conflict(test_page(
                app,
                staff,
                id,
                target,
                &form.draft,
                question,
                &typed,
                &errors,
            )?))
        }
    }
}

// ---- The handlers, one set per target ----

async fn question_choose(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<QuestionKey>)>,
) -> Result<Response, WebError> {
    show_choose(&app, &staff, id, &Target::Question(key), &source).await
}

async fn question_chosen(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<QuestionKey>)>,
    CsrfForm(posted): CsrfForm<ChooseForm>,
) -> Result<Response, WebError> {
    chosen(&app, &staff, id, &Target::Question(key), &posted, &source).await
}

async fn question_test(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key), Key(tested))): IdPath<(FormId, Key<QuestionKey>, Key<QuestionKey>)>,
) -> Result<Response, WebError> {
    show_test(&app, &staff, id, &Target::Question(key), &tested, &source).await
}

async fn question_save(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key), Key(tested))): IdPath<(FormId, Key<QuestionKey>, Key<QuestionKey>)>,
    CsrfForm(typed): CsrfForm<TestForm>,
) -> Result<Response, WebError> {
    save_test(
        &app,
        &staff,
        id,
        &Target::Question(key),
        &tested,
        typed,
        &source,
    )
    .await
}

async fn question_remove(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<QuestionKey>)>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    let anchor = format!("#question-{key}");
    let edit = Edit::SetQuestionCondition {
        question: key,
        condition: None,
    };
    button_edit(&app, &staff, &source, id, &posted, edit, &anchor).await
}

async fn page_choose(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<PageKey>)>,
) -> Result<Response, WebError> {
    show_choose(&app, &staff, id, &Target::Page(key), &source).await
}

async fn page_chosen(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<PageKey>)>,
    CsrfForm(posted): CsrfForm<ChooseForm>,
) -> Result<Response, WebError> {
    chosen(&app, &staff, id, &Target::Page(key), &posted, &source).await
}

async fn page_test(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key), Key(tested))): IdPath<(FormId, Key<PageKey>, Key<QuestionKey>)>,
) -> Result<Response, WebError> {
    show_test(&app, &staff, id, &Target::Page(key), &tested, &source).await
}

async fn page_save(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key), Key(tested))): IdPath<(FormId, Key<PageKey>, Key<QuestionKey>)>,
    CsrfForm(typed): CsrfForm<TestForm>,
) -> Result<Response, WebError> {
    save_test(
        &app,
        &staff,
        id,
        &Target::Page(key),
        &tested,
        typed,
        &source,
    )
    .await
}

async fn page_remove(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<PageKey>)>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    let anchor = format!("#page-{key}");
    let edit = Edit::SetPageCondition {
        page: key,
        condition: None,
    };
    button_edit(&app, &staff, &source, id, &posted, edit, &anchor).await
}

async fn route_choose(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<PageKey>)>,
) -> Result<Response, WebError> {
    show_choose(&app, &staff, id, &Target::Route(key), &source).await
}

async fn route_chosen(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key))): IdPath<(FormId, Key<PageKey>)>,
    CsrfForm(posted): CsrfForm<ChooseForm>,
) -> Result<Response, WebError> {
    chosen(&app, &staff, id, &Target::Route(key), &posted, &source).await
}

async fn route_test(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key), Key(tested))): IdPath<(FormId, Key<PageKey>, Key<QuestionKey>)>,
) -> Result<Response, WebError> {
    show_test(&app, &staff, id, &Target::Route(key), &tested, &source).await
}

async fn route_save(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key), Key(tested))): IdPath<(FormId, Key<PageKey>, Key<QuestionKey>)>,
    CsrfForm(typed): CsrfForm<TestForm>,
) -> Result<Response, WebError> {
    save_test(
        &app,
        &staff,
        id,
        &Target::Route(key),
        &tested,
        typed,
        &source,
    )
    .await
}

async fn route_remove(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath((id, Key(key), index)): IdPath<(FormId, Key<PageKey>, usize)>,
    CsrfForm(posted): CsrfForm<VersionForm>,
) -> Result<Response, WebError> {
    let anchor = format!("#page-{key}");
    let edit = Edit::RemoveBranch { page: key, index };
    button_edit(&app, &staff, &source, id, &posted, edit, &anchor).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(kind: QuestionKind) -> Question {
        Question {
            key: QuestionKey::new("q1"),
            text: "Q".to_owned(),
            hint: None,
            required: true,
            kind,
            show_when: None,
        }
    }

    #[test]
    fn a_condition_read_back_from_its_page_is_the_same() {
        let choice = question(QuestionKind::MultipleChoice {
            options: vec!["Oak".to_owned()],
            none_of_these: false,
        });
        let number = question(QuestionKind::Number {
            whole: true,
            min: None,
            max: None,
        });
        for (tested, test) in [
            (
                &choice,
                Test::Excludes {
                    value: "Oak".to_owned(),
                },
            ),
            (
                &number,
                Test::Between {
                    min: Some(2.5),
                    max: None,
                },
            ),
        ] {
            let condition = Condition {
                question: tested.key.clone(),
                test,
            };
            let mut errors = FormErrors::default();
            let typed = TestForm {
                to: "p3".to_owned(),
                ..TestForm::of(Some(&condition), 1)
            };
            assert_eq!(
                typed.parse(tested, true, &mut errors),
                Some((condition, Some(Destination::Page(PageKey::new("p3")))))
            );
        }
    }

    #[test]
    fn a_test_that_does_not_fit_the_question_or_a_missing_answer_is_a_message() {
        let yes_no = question(QuestionKind::YesNo);
        let typed = TestForm {
            test: "includes".to_owned(),
            ..TestForm::default()
        };
        let mut errors = FormErrors::default();
        assert_eq!(typed.parse(&yes_no, false, &mut errors), None);
        assert_eq!(errors.get("value").as_deref(), Some("Select an answer"));
        assert_eq!(
            errors.get("test").as_deref(),
            Some("Select how the answer is tested")
        );
        let typed = TestForm {
            test: "is".to_owned(),
            value: "Yes".to_owned(),
            to: "Not a page!".to_owned(),
            ..TestForm::default()
        };
        let mut errors = FormErrors::default();
        assert_eq!(typed.parse(&yes_no, true, &mut errors), None);
        assert_eq!(errors.get("to").as_deref(), Some("Select where people go"));
    }
}
