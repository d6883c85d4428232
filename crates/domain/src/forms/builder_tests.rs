//! The builder's edits (each one made, each refusal, moves at the edges,
//! duplicating a page) and the comparison of a working copy with its live version.

use super::*;

fn settings(text: &str, kind: QuestionKind) -> QuestionSettings {
    QuestionSettings {
        text: text.to_owned(),
        hint: String::new(),
        required: true,
        kind,
    }
}

fn choice(options: &[&str]) -> QuestionKind {
    QuestionKind::SingleChoice {
        options: options.iter().map(|o| (*o).to_owned()).collect(),
    }
}

fn group() -> QuestionKind {
    QuestionKind::Repeating {
        item: "professional".to_owned(),
        questions: Vec::new(),
        min_items: 0,
        max_items: 10,
    }
}

fn key(k: &str) -> QuestionKey {
    QuestionKey::new(k)
}

fn page_key(k: &str) -> PageKey {
    PageKey::new(k)
}

fn ok(form: &mut FormDefinition, edit: Edit) {
    apply(form, edit).unwrap_or_else(|e| panic!("refused: {e}"));
}

fn refused(form: &FormDefinition, edit: Edit) -> EditError {
    let mut changed = form.clone();
    let err = apply(&mut changed, edit).expect_err("should be refused");
    assert_eq!(&changed, form, "a refused edit changes nothing");
    err
}

fn invalid(form: &FormDefinition, edit: Edit) -> Vec<(&'static str, String)> {
    match refused(form, edit) {
        EditError::Invalid(messages) => messages,
        other => panic!("not a message by field: {other:?}"),
    }
}

fn is(question: &str, value: &str) -> Condition {
    Condition {
        question: key(question),
        test: Test::Is {
            value: value.to_owned(),
        },
    }
}

/// p1: q1 "Does your child have a social worker?" (yes/no)
/// p2: q2 "Social worker's name" (short text), shown when q1 is Yes
/// p3: q3 "Which school?" (single choice)
fn three_pages() -> FormDefinition {
    let mut form = FormDefinition::new("Request for an assessment");
    ok(
        &mut form,
        Edit::AddPage {
            question: settings("Does your child have a social worker?", QuestionKind::YesNo),
        },
    );
    ok(
        &mut form,
        Edit::AddPage {
            question: settings("Social worker’s name", QuestionKind::ShortText),
        },
    );
    ok(
        &mut form,
        Edit::AddPage {
            question: settings("Which school?", choice(&["Oak", "Elm"])),
        },
    );
    ok(
        &mut form,
        Edit::SetQuestionCondition {
            question: key("q2"),
            condition: Some(is("q1", "Yes")),
        },
    );
    form
}

fn page_keys(form: &FormDefinition) -> Vec<&str> {
    form.pages.iter().map(|p| p.key.as_str()).collect()
}

// ---- Details ----

#[test]
fn details_are_set_trimmed_and_checked_field_by_field() {
    let mut form = FormDefinition::new("Old");
    let mut details = Details::of(&form);
    details.title = "  All about me  ".to_owned();
    details.audiences = vec![
        Audience::Professionals,
        Audience::Families,
        Audience::Families,
    ];
    details.days_to_complete = 20;
    details.upload_max_mib = 10;
    details.about_a_child = false;
    ok(&mut form, Edit::SetDetails(details.clone()));
    assert_eq!(form.title, "All about me");
    assert_eq!(
        form.audiences,
        vec![Audience::Families, Audience::Professionals]
    );
    assert_eq!(form.days_to_complete, 20);
    assert_eq!(form.uploads.max_mib, 10);
    assert!(!form.about_a_child);

    let bad = Details {
        title: " ".to_owned(),
        declaration: String::new(),
        next_steps: String::new(),
        audiences: Vec::new(),
        days_to_complete: 0,
        upload_max_mib: 101,
        ..details
    };
    assert_eq!(
        invalid(&form, Edit::SetDetails(bad)),
        vec![
            ("title", "Enter a title for the form".to_owned()),
            (
                "declaration",
                "Enter the declaration people agree to when they submit".to_owned()
            ),
            (
                "next_steps",
                "Enter what happens after someone submits the form".to_owned()
            ),
            ("audiences", "Select who the form is for".to_owned()),
            (
                "days_to_complete",
                "Enter a number of days between 1 and 365".to_owned()
            ),
            (
                "upload_max_mib",
                "Enter a size between 1 and 100 MB".to_owned()
            ),
        ]
    );
    let long = Details {
        title: "x".repeat(121),
        ..Details::of(&form)
    };
    assert_eq!(
        invalid(&form, Edit::SetDetails(long)),
        vec![(
            "title",
            "The title must be 120 characters or fewer".to_owned()
        )]
    );
}

#[test]
fn details_with_invisible_characters_are_refused_but_line_breaks_are_kept_where_allowed() {
    let form = FormDefinition::new("Old");
    let hostile = Details {
        title: "before\0after".to_owned(),
        description: "one\u{1b}[31m".to_owned(),
        declaration: "I agree\0".to_owned(),
        next_steps: "We read it\u{7f}".to_owned(),
        ..Details::of(&form)
    };
    assert_eq!(
        invalid(&form, Edit::SetDetails(hostile)),
        vec![
            (
                "title",
                "The title must be one line, without invisible characters".to_owned()
            ),
            (
                "description",
                "The description must not include invisible characters".to_owned()
            ),
            (
                "declaration",
                "The declaration must not include invisible characters".to_owned()
            ),
            (
                "next_steps",
                "What happens next must not include invisible characters".to_owned()
            ),
        ]
    );
    let line_break = Details {
        title: "Line\nbreak".to_owned(),
        ..Details::of(&form)
    };
    assert_eq!(
        invalid(&form, Edit::SetDetails(line_break))[0].0,
        "title",
        "a title is one line"
    );
    let mut form = form;
    let several_lines = Details {
        next_steps: "We read it.\r\n\tThen we call you.".to_owned(),
        ..Details::of(&form)
    };
    ok(&mut form, Edit::SetDetails(several_lines));
    assert_eq!(form.next_steps, "We read it.\r\n\tThen we call you.");
}

// ---- Adding and changing questions ----

#[test]
fn a_page_or_question_is_added_under_fresh_keys() {
    let mut form = three_pages();
    assert_eq!(page_keys(&form), ["p1", "p2", "p3"]);
    ok(
        &mut form,
        Edit::AddQuestion {
            page: page_key("p3"),
            question: QuestionSettings {
                hint: "  For example, 12 High Street ".to_owned(),
                required: false,
                ..settings("  Address of the school ", QuestionKind::Address)
            },
        },
    );
    let added = &form.pages[2].questions[1];
    assert_eq!(added.key, key("q4"));
    assert_eq!(added.text, "Address of the school");
    assert_eq!(added.hint.as_deref(), Some("For example, 12 High Street"));
    assert!(!added.required);
    assert_eq!(added.kind, QuestionKind::Address);
    assert!(problems(&form).is_empty(), "{:?}", problems(&form));

    assert_eq!(
        refused(
            &form,
            Edit::AddQuestion {
                page: page_key("p9"),
                question: settings("Lost", QuestionKind::ShortText),
            }
        ),
        EditError::NoSuchPage
    );
}

#[test]
#[expect(clippy::too_many_lines, reason = "one case per rule, as a table")]
fn each_rule_for_a_questions_settings_is_a_message_on_its_field() {
    let form = three_pages();
    let add = |question: QuestionSettings| Edit::AddPage { question };
    let cases: Vec<(QuestionSettings, &str, &str)> = vec![
        (
            settings("  ", QuestionKind::ShortText),
            "text",
            "Enter the question",
        ),
        (
            settings(&"x".repeat(251), QuestionKind::ShortText),
            "text",
            "The question must be 250 characters or fewer",
        ),
        (
            QuestionSettings {
                hint: "h".repeat(501),
                ..settings("Q", QuestionKind::ShortText)
            },
            "hint",
            "The hint must be 500 characters or fewer",
        ),
        (
            settings("Q", QuestionKind::LongText { max_chars: 0 }),
            "max_chars",
            "Enter a number of characters between 1 and 10,000",
        ),
        (
            settings(
                "Q",
                QuestionKind::Number {
                    whole: true,
                    min: Some(5.0),
                    max: Some(1.0),
                },
            ),
            "max",
            "The highest number must be the same as or more than the lowest",
        ),
        (
            settings("Q", choice(&["Only one", "  "])),
            "options",
            "Enter at least 2 options, one on each line",
        ),
        (
            settings("Q", choice(&["Oak", "Elm", "Oak"])),
            "options",
            "Each option must be different: “Oak” is there twice",
        ),
        (
            settings(
                "Q",
                QuestionKind::MultipleChoice {
                    options: Vec::new(),
                    none_of_these: true,
                },
            ),
            "options",
            "Enter at least 1 option",
        ),
        (
            settings(
                "Q",
                QuestionKind::FileUpload {
                    max_files: 11,
                    kinds: Vec::new(),
                },
            ),
            "max_files",
            "Enter a number of files between 1 and 10",
        ),
        (
            settings(
                "Q",
                QuestionKind::Repeating {
                    item: " ".to_owned(),
                    questions: Vec::new(),
                    min_items: 0,
                    max_items: 5,
                },
            ),
            "item",
            "Enter what one item is called, for example professional",
        ),
        (
            settings(
                "Q",
                QuestionKind::Repeating {
                    item: "child".to_owned(),
                    questions: Vec::new(),
                    min_items: 0,
                    max_items: 51,
                },
            ),
            "max_items",
            "Enter a number of items between 1 and 50",
        ),
        (
            settings(
                "Q",
                QuestionKind::Repeating {
                    item: "child".to_owned(),
                    questions: Vec::new(),
                    min_items: 4,
                    max_items: 3,
                },
            ),
            "min_items",
            "The fewest items must be no more than the most items",
        ),
    ];
    for (question, field, message) in cases {
        assert_eq!(
            invalid(&form, add(question.clone())),
            vec![(field, message.to_owned())],
            "{question:?}"
        );
    }
}

#[test]
fn a_question_is_changed_in_place_keeping_its_key_and_condition() {
    let mut form = three_pages();
    ok(
        &mut form,
        Edit::EditQuestion {
            question: key("q2"),
            settings: QuestionSettings {
                hint: "As it appears on their letters".to_owned(),
                required: false,
                ..settings("Your social worker’s full name", QuestionKind::ShortText)
            },
        },
    );
    let changed = &form.pages[1].questions[0];
    assert_eq!(changed.key, key("q2"));
    assert_eq!(changed.text, "Your social worker’s full name");
    assert!(!changed.required);
    assert_eq!(changed.show_when, Some(is("q1", "Yes")));

    ok(
        &mut form,
        Edit::EditQuestion {
            question: key("q3"),
            settings: settings("Which school?", choice(&[" Oak ", "Elm", "", "Ash"])),
        },
    );
    assert_eq!(
        form.pages[2].questions[0].kind,
        choice(&["Oak", "Elm", "Ash"])
    );
    assert_eq!(
        refused(
            &form,
            Edit::EditQuestion {
                question: key("q99"),
                settings: settings("Lost", QuestionKind::ShortText),
            }
        ),
        EditError::NoSuchQuestion
    );
}

// ---- Conditions and routes ----

#[test]
fn a_condition_tests_an_earlier_question_by_its_kind_and_can_be_cleared() {
    let mut form = three_pages();
    ok(
        &mut form,
        Edit::SetPageCondition {
            page: page_key("p3"),
            condition: Some(is("q1", "No")),
        },
    );
    assert_eq!(form.pages[2].show_when, Some(is("q1", "No")));
    ok(
        &mut form,
        Edit::SetPageCondition {
            page: page_key("p3"),
            condition: None,
        },
    );
    assert_eq!(form.pages[2].show_when, None);
    ok(
        &mut form,
        Edit::SetQuestionCondition {
            question: key("q2"),
            condition: None,
        },
    );
    assert_eq!(form.pages[1].questions[0].show_when, None);

    // Not an earlier question, not an option, not a test for its kind.
    assert_eq!(
        invalid(
            &form,
            Edit::SetQuestionCondition {
                question: key("q1"),
                condition: Some(is("q3", "Oak")),
            }
        ),
        vec![(
            "question",
            "Choose a question on an earlier page".to_owned()
        )]
    );
    assert_eq!(
        invalid(
            &form,
            Edit::SetQuestionCondition {
                question: key("q3"),
                condition: Some(is("q1", "Perhaps")),
            }
        ),
        vec![("value", "Choose an answer from the list".to_owned())]
    );
    assert_eq!(
        invalid(
            &form,
            Edit::SetQuestionCondition {
                question: key("q3"),
                condition: Some(Condition {
                    question: key("q2"),
                    test: Test::Is {
                        value: "Sam".to_owned()
                    },
                }),
            }
        ),
        vec![("test", "Choose how the answer is tested".to_owned())]
    );
    assert_eq!(
        invalid(
            &form,
            Edit::SetQuestionCondition {
                question: key("q3"),
                condition: Some(is("q42", "Yes")),
            }
        ),
        vec![("question", "Choose a question from the list".to_owned())]
    );
}

#[test]
fn a_number_condition_needs_a_limit_in_order() {
    let mut form = FormDefinition::new("Numbers");
    ok(
        &mut form,
        Edit::AddPage {
            question: settings(
                "How many hours?",
                QuestionKind::Number {
                    whole: true,
                    min: None,
                    max: None,
                },
            ),
        },
    );
    ok(
        &mut form,
        Edit::AddPage {
            question: settings("Why so many?", QuestionKind::ShortText),
        },
    );
    let between = |min, max| Edit::SetQuestionCondition {
        question: key("q2"),
        condition: Some(Condition {
            question: key("q1"),
            test: Test::Between { min, max },
        }),
    };
    assert_eq!(
        invalid(&form, between(None, None)),
        vec![(
            "min",
            "Enter the lowest number, the highest number or both".to_owned()
        )]
    );
    assert_eq!(invalid(&form, between(Some(9.0), Some(2.0)))[0].0, "max");
    ok(&mut form, between(Some(20.0), None));
    assert!(problems(&form).is_empty());
}

#[test]
fn routes_go_forward_from_questions_on_or_before_their_page() {
    let mut form = three_pages();
    let route = |question: &str, value: &str, to: Destination| Edit::AddBranch {
        page: page_key("p1"),
        branch: Branch {
            when: is(question, value),
            to,
        },
    };
    ok(
        &mut form,
        route("q1", "No", Destination::Page(page_key("p3"))),
    );
    ok(&mut form, route("q1", "Yes", Destination::End));
    assert_eq!(form.pages[0].branches.len(), 2);
    assert_eq!(
        invalid(&form, route("q3", "Oak", Destination::End)),
        vec![(
            "question",
            "Choose a question on this page or an earlier one".to_owned()
        )]
    );
    assert_eq!(
        invalid(&form, route("q1", "No", Destination::Page(page_key("p1")))),
        vec![(
            "to",
            "Choose a later page, or the end of the form".to_owned()
        )]
    );
    ok(
        &mut form,
        Edit::RemoveBranch {
            page: page_key("p1"),
            index: 0,
        },
    );
    assert_eq!(form.pages[0].branches[0].to, Destination::End);
    assert!(matches!(
        refused(
            &form,
            Edit::RemoveBranch {
                page: page_key("p1"),
                index: 5,
            }
        ),
        EditError::Refused(_)
    ));
}

#[test]
fn a_page_heading_is_set_trimmed_cleared_and_limited() {
    let mut form = three_pages();
    ok(
        &mut form,
        Edit::SetPageHeading {
            page: page_key("p2"),
            heading: "  About the social worker ".to_owned(),
        },
    );
    assert_eq!(
        form.pages[1].heading.as_deref(),
        Some("About the social worker")
    );
    ok(
        &mut form,
        Edit::SetPageHeading {
            page: page_key("p2"),
            heading: " ".to_owned(),
        },
    );
    assert_eq!(form.pages[1].heading, None);
    assert_eq!(
        invalid(
            &form,
            Edit::SetPageHeading {
                page: page_key("p2"),
                heading: "h".repeat(251),
            }
        ),
        vec![(
            "heading",
            "The heading must be 250 characters or fewer".to_owned()
        )]
    );
    assert_eq!(
        refused(
            &form,
            Edit::SetPageHeading {
                page: page_key("p7"),
                heading: "Lost".to_owned(),
            }
        ),
        EditError::NoSuchPage
    );
}

// ---- Moves ----

#[test]
fn pages_move_up_and_down_and_not_past_either_end() {
    let mut form = three_pages();
    ok(
        &mut form,
        Edit::MovePage {
            page: page_key("p3"),
            direction: Direction::Up,
        },
    );
    assert_eq!(page_keys(&form), ["p1", "p3", "p2"]);
    ok(
        &mut form,
        Edit::MovePage {
            page: page_key("p1"),
            direction: Direction::Down,
        },
    );
    assert_eq!(page_keys(&form), ["p3", "p1", "p2"]);
    assert_eq!(
        refused(
            &form,
            Edit::MovePage {
                page: page_key("p3"),
                direction: Direction::Up,
            }
        ),
        EditError::Refused("Page 1 is already the first page".to_owned())
    );
    assert_eq!(
        refused(
            &form,
            Edit::MovePage {
                page: page_key("p2"),
                direction: Direction::Down,
            }
        ),
        EditError::Refused("Page 3 is already the last page".to_owned())
    );
    // A move that leaves a condition testing a later question is allowed, and
    // listed as a problem until it is fixed.
    assert!(problems(&form).is_empty());
    ok(
        &mut form,
        Edit::MovePage {
            page: page_key("p2"),
            direction: Direction::Up,
        },
    );
    assert_eq!(page_keys(&form), ["p3", "p2", "p1"]);
    assert!(
        problems(&form)
            .iter()
            .any(|p| p.message.contains("which is not on an earlier page")),
        "{:?}",
        problems(&form)
    );
}

#[test]
fn questions_move_within_their_page_and_not_past_either_end() {
    let mut form = three_pages();
    for text in ["Second", "Third"] {
        ok(
            &mut form,
            Edit::AddQuestion {
                page: page_key("p1"),
                question: settings(text, QuestionKind::ShortText),
            },
        );
    }
    let order = |form: &FormDefinition| -> Vec<String> {
        form.pages[0]
            .questions
            .iter()
            .map(|q| q.key.to_string())
            .collect()
    };
    assert_eq!(order(&form), ["q1", "q4", "q5"]);
    ok(
        &mut form,
        Edit::MoveQuestion {
            question: key("q5"),
            direction: Direction::Up,
        },
    );
    assert_eq!(order(&form), ["q1", "q5", "q4"]);
    assert_eq!(
        refused(
            &form,
            Edit::MoveQuestion {
                question: key("q1"),
                direction: Direction::Up,
            }
        ),
        EditError::Refused("This question is already the first on its page".to_owned())
    );
    assert_eq!(
        refused(
            &form,
            Edit::MoveQuestion {
                question: key("q4"),
                direction: Direction::Down,
            }
        ),
        EditError::Refused("This question is already the last on its page".to_owned())
    );
}

// ---- Duplicating and removing ----

#[test]
fn a_duplicated_page_follows_the_original_with_fresh_keys_throughout() {
    let mut form = three_pages();
    ok(
        &mut form,
        Edit::AddQuestion {
            page: page_key("p1"),
            question: settings("Professionals involved", group()),
        },
    );
    ok(
        &mut form,
        Edit::AddGroupQuestion {
            group: key("q4"),
            question: settings("Their name", QuestionKind::ShortText),
        },
    );
    ok(
        &mut form,
        Edit::AddBranch {
            page: page_key("p1"),
            branch: Branch {
                when: is("q1", "No"),
                to: Destination::Page(page_key("p3")),
            },
        },
    );
    ok(
        &mut form,
        Edit::DuplicatePage {
            page: page_key("p1"),
        },
    );
    assert_eq!(page_keys(&form), ["p1", "p4", "p2", "p3"]);
    let copy = &form.pages[1];
    let keys: Vec<&str> = copy.questions.iter().map(|q| q.key.as_str()).collect();
    assert_eq!(keys, ["q6", "q7"]);
    assert_eq!(
        copy.questions[0].text,
        "Does your child have a social worker?"
    );
    let QuestionKind::Repeating { questions, .. } = &copy.questions[1].kind else {
        panic!("the group was copied as a group");
    };
    assert_eq!(questions[0].key, key("q8"));
    assert_eq!(questions[0].text, "Their name");
    // The copy's route tests the copy's own question, and still goes forward.
    assert_eq!(copy.branches[0].when.question, key("q6"));
    assert_eq!(copy.branches[0].to, Destination::Page(page_key("p3")));
    // Every key in the form is different.
    let mut all: Vec<String> = form
        .questions()
        .flat_map(|q| {
            let mut keys = vec![q.key.to_string()];
            if let QuestionKind::Repeating { questions, .. } = &q.kind {
                keys.extend(questions.iter().map(|i| i.key.to_string()));
            }
            keys
        })
        .collect();
    let count = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), count);
    assert!(problems(&form).is_empty(), "{:?}", problems(&form));
}

#[test]
fn a_question_a_condition_or_route_tests_cannot_be_removed_and_the_message_says_where() {
    let mut form = three_pages();
    let err = refused(
        &form,
        Edit::RemoveQuestion {
            question: key("q1"),
        },
    );
    assert_eq!(
        err.to_string(),
        "You cannot remove the question “Does your child have a social worker?” because the \
         condition on the question “Social worker’s name” (page 2) tests it. Change or remove \
         that first"
    );
    ok(
        &mut form,
        Edit::AddBranch {
            page: page_key("p1"),
            branch: Branch {
                when: is("q1", "No"),
                to: Destination::Page(page_key("p3")),
            },
        },
    );
    ok(
        &mut form,
        Edit::SetPageCondition {
            page: page_key("p3"),
            condition: Some(is("q1", "No")),
        },
    );
    let err = refused(
        &form,
        Edit::RemoveQuestion {
            question: key("q1"),
        },
    );
    assert!(
        err.to_string().contains(
            "because a route from page 1, the condition on the question “Social worker’s name” \
             (page 2) and the condition on page 3 test it"
        ),
        "{err}"
    );
    // A page a route goes to cannot be removed; nor one whose question is tested.
    assert_eq!(
        refused(
            &form,
            Edit::RemovePage {
                page: page_key("p3")
            }
        )
        .to_string(),
        "You cannot remove page 3 because a route from page 1 goes to it. Change or remove that \
         route first"
    );
    assert!(
        refused(
            &form,
            Edit::RemovePage {
                page: page_key("p1")
            }
        )
        .to_string()
        .starts_with(
            "You cannot remove page 1, with the question “Does your child have a social \
             worker?” on it, because the condition on the question “Social worker’s name” \
             (page 2)"
        )
    );
}

#[test]
fn removing_a_question_removes_its_page_when_it_was_the_only_one() {
    let mut form = three_pages();
    ok(
        &mut form,
        Edit::AddQuestion {
            page: page_key("p3"),
            question: settings("Anything else?", QuestionKind::LongText { max_chars: 500 }),
        },
    );
    ok(
        &mut form,
        Edit::RemoveQuestion {
            question: key("q4"),
        },
    );
    assert_eq!(page_keys(&form), ["p1", "p2", "p3"]);
    assert_eq!(form.pages[2].questions.len(), 1);
    ok(
        &mut form,
        Edit::RemoveQuestion {
            question: key("q2"),
        },
    );
    assert_eq!(page_keys(&form), ["p1", "p3"]);
    ok(
        &mut form,
        Edit::RemovePage {
            page: page_key("p1"),
        },
    );
    assert_eq!(page_keys(&form), ["p3"]);
    assert_eq!(
        refused(
            &form,
            Edit::RemoveQuestion {
                question: key("q1")
            }
        ),
        EditError::NoSuchQuestion
    );
}

// ---- Repeating groups ----

#[test]
#[expect(clippy::too_many_lines, reason = "one group, edited step by step")]
fn questions_inside_a_group_are_added_changed_moved_and_removed() {
    let mut form = three_pages();
    ok(
        &mut form,
        Edit::AddPage {
            question: settings("Professionals involved", group()),
        },
    );
    let group_key = key("q4");
    for text in ["Name", "Role", "Email"] {
        ok(
            &mut form,
            Edit::AddGroupQuestion {
                group: group_key.clone(),
                question: settings(text, QuestionKind::ShortText),
            },
        );
    }
    let inner = |form: &FormDefinition| -> Vec<(String, String)> {
        match &form.pages[3].questions[0].kind {
            QuestionKind::Repeating { questions, .. } => questions
                .iter()
                .map(|q| (q.key.to_string(), q.text.clone()))
                .collect(),
            _ => panic!("not a group"),
        }
    };
    assert_eq!(
        inner(&form),
        [
            ("q5".to_owned(), "Name".to_owned()),
            ("q6".to_owned(), "Role".to_owned()),
            ("q7".to_owned(), "Email".to_owned())
        ]
    );
    ok(
        &mut form,
        Edit::EditGroupQuestion {
            group: group_key.clone(),
            question: key("q7"),
            settings: settings("Email address", QuestionKind::Email),
        },
    );
    ok(
        &mut form,
        Edit::MoveGroupQuestion {
            group: group_key.clone(),
            question: key("q7"),
            direction: Direction::Up,
        },
    );
    ok(
        &mut form,
        Edit::RemoveGroupQuestion {
            group: group_key.clone(),
            question: key("q6"),
        },
    );
    assert_eq!(
        inner(&form),
        [
            ("q5".to_owned(), "Name".to_owned()),
            ("q7".to_owned(), "Email address".to_owned())
        ]
    );
    assert_eq!(
        refused(
            &form,
            Edit::MoveGroupQuestion {
                group: group_key.clone(),
                question: key("q5"),
                direction: Direction::Up,
            }
        ),
        EditError::Refused("This question is already the first on its page".to_owned())
    );
    // Changing the group's own settings keeps the questions in it.
    ok(
        &mut form,
        Edit::EditQuestion {
            question: group_key.clone(),
            settings: settings(
                "Professionals who know your child",
                QuestionKind::Repeating {
                    item: "person".to_owned(),
                    questions: Vec::new(),
                    min_items: 1,
                    max_items: 5,
                },
            ),
        },
    );
    assert_eq!(inner(&form).len(), 2);
    // A group cannot hold a group; a question that is not a group holds nothing.
    assert!(matches!(
        refused(
            &form,
            Edit::AddGroupQuestion {
                group: group_key,
                question: settings("Nested", group()),
            }
        ),
        EditError::Refused(_)
    ));
    assert_eq!(
        refused(
            &form,
            Edit::AddGroupQuestion {
                group: key("q1"),
                question: settings("Inside yes/no", QuestionKind::ShortText),
            }
        ),
        EditError::Refused("This question is not a repeating group".to_owned())
    );
    assert!(problems(&form).is_empty(), "{:?}", problems(&form));
}

// ---- Compare ----

fn sentences(published: &FormDefinition, draft: &FormDefinition) -> Vec<String> {
    compare(published, draft)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_same_form_has_no_changes() {
    let form = three_pages();
    assert!(compare(&form, &form).is_empty());
}

#[test]
fn compare_names_changed_details_questions_types_and_options() {
    let published = three_pages();
    let mut draft = published.clone();
    let mut details = Details::of(&draft);
    details.title = "Request for an EHC needs assessment".to_owned();
    details.audiences = vec![Audience::Families, Audience::Professionals];
    ok(&mut draft, Edit::SetDetails(details));
    ok(
        &mut draft,
        Edit::EditQuestion {
            question: key("q3"),
            settings: QuestionSettings {
                required: false,
                ..settings("Which school or setting?", choice(&["Oak", "Ash"]))
            },
        },
    );
    ok(
        &mut draft,
        Edit::EditQuestion {
            question: key("q2"),
            settings: settings(
                "Social worker’s name",
                QuestionKind::LongText { max_chars: 100 },
            ),
        },
    );
    assert_eq!(
        sentences(&published, &draft),
        [
            "The title changed from “Request for an assessment” to “Request for an EHC needs \
             assessment”",
            "Who the form is for changed from Parents, carers and young people to Parents, \
             carers and young people, Professionals",
            "The question “Social worker’s name” changed type from short text to long text",
            "The question “Which school?” now reads “Which school or setting?”",
            "The question “Which school or setting?” is now optional",
            "The options of “Which school or setting?” changed: “Ash” added; “Elm” removed",
        ]
    );
}

#[test]
fn compare_names_pages_added_removed_moved_and_conditions_and_routes_changed() {
    let published = three_pages();
    let mut draft = published.clone();
    ok(
        &mut draft,
        Edit::MovePage {
            page: page_key("p3"),
            direction: Direction::Up,
        },
    );
    ok(
        &mut draft,
        Edit::AddPage {
            question: settings("Anything else?", QuestionKind::LongText { max_chars: 500 }),
        },
    );
    ok(
        &mut draft,
        Edit::AddQuestion {
            page: page_key("p1"),
            question: settings("Your name", QuestionKind::Name),
        },
    );
    ok(
        &mut draft,
        Edit::SetQuestionCondition {
            question: key("q2"),
            condition: Some(is("q1", "No")),
        },
    );
    ok(
        &mut draft,
        Edit::AddBranch {
            page: page_key("p1"),
            branch: Branch {
                when: is("q1", "No"),
                to: Destination::End,
            },
        },
    );
    assert_eq!(
        sentences(&published, &draft),
        [
            "The routes from page 1 are now: If the answer to “Does your child have a social \
             worker?” is “No”, go to the end of the form (Check your answers)",
            "The question “Your name” was added to page 1",
            "Page 3 (“Which school?”) moved to be page 2",
            "The question “Social worker’s name” is now shown only when the answer to “Does \
             your child have a social worker?” is “No”",
            "Page 4 was added, with the question “Anything else?”",
        ]
    );

    let mut fewer = published.clone();
    ok(
        &mut fewer,
        Edit::SetQuestionCondition {
            question: key("q2"),
            condition: None,
        },
    );
    ok(
        &mut fewer,
        Edit::RemovePage {
            page: page_key("p1"),
        },
    );
    assert_eq!(
        sentences(&published, &fewer),
        [
            "Page 1 was removed, with the question “Does your child have a social worker?”",
            "The question “Social worker’s name” is now always shown",
        ]
    );
}

#[test]
fn compare_names_questions_moved_between_and_within_pages_and_group_changes() {
    let mut published = three_pages();
    ok(
        &mut published,
        Edit::AddQuestion {
            page: page_key("p3"),
            question: settings("Professionals", group()),
        },
    );
    ok(
        &mut published,
        Edit::AddGroupQuestion {
            group: key("q4"),
            question: settings("Name", QuestionKind::ShortText),
        },
    );
    let mut draft = published.clone();
    ok(
        &mut draft,
        Edit::MoveQuestion {
            question: key("q4"),
            direction: Direction::Up,
        },
    );
    ok(
        &mut draft,
        Edit::AddGroupQuestion {
            group: key("q4"),
            question: settings("Role", QuestionKind::ShortText),
        },
    );
    // q2 leaves page 2 for page 3: page 2 had only q2, so it goes.
    let moved = draft.pages[1].questions[0].clone();
    draft.pages[2].questions.push(moved);
    draft.pages.remove(1);
    assert_eq!(
        sentences(&published, &draft),
        [
            "Page 2 was removed",
            "The question “Professionals” now asks “Role” for each item",
            "The question “Social worker’s name” moved to page 2 (“Professionals”)",
            "The question “Professionals” moved within page 2",
        ]
    );
}
