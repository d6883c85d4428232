//! The form model's rules: every question type's reader, conditions and routes,
//! repeating groups, publish problems and carrying answers to a new version.

use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::files::{FileKind, StoredFile};

const TODAY: time::Date = date!(2026 - 12 - 05);

fn q(key: &str, kind: QuestionKind) -> Question {
    Question {
        key: QuestionKey::new(key),
        text: format!("Question {key}"),
        hint: None,
        required: true,
        kind,
        show_when: None,
    }
}

fn page(key: &str, questions: Vec<Question>) -> Page {
    Page {
        key: PageKey::new(key),
        heading: None,
        questions,
        show_when: None,
        branches: Vec::new(),
    }
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn read(question: &Question, pairs: &[(&str, &str)]) -> Result<Option<Answer>, FieldError> {
    question.read(&fields(pairs), TODAY)
}

fn message(result: Result<Option<Answer>, FieldError>) -> (String, String) {
    let e = result.expect_err("should be refused");
    (e.field, e.message)
}

fn choice(options: &[&str]) -> QuestionKind {
    QuestionKind::SingleChoice {
        options: options.iter().map(|o| (*o).to_owned()).collect(),
    }
}

fn is(key: &str, value: &str) -> Condition {
    Condition {
        question: QuestionKey::new(key),
        test: Test::Is {
            value: value.to_owned(),
        },
    }
}

// ---- Reading each question type ----

#[test]
fn a_required_question_left_blank_is_refused_and_an_optional_one_is_none() {
    let mut question = q("name", QuestionKind::ShortText);
    assert_eq!(
        message(read(&question, &[("name", "  ")])),
        ("name".to_owned(), "Enter an answer".to_owned())
    );
    question.required = false;
    assert_eq!(read(&question, &[]), Ok(None));
}

#[test]
fn text_is_trimmed_and_limited() {
    let short = q("a", QuestionKind::ShortText);
    assert_eq!(
        read(&short, &[("a", "  Oak School ")]),
        Ok(Some(Answer::Text("Oak School".to_owned())))
    );
    let long_answer = "x".repeat(201);
    assert_eq!(
        message(read(&short, &[("a", &long_answer)])).1,
        "Your answer must be 200 characters or fewer"
    );
    assert!(
        message(read(&short, &[("a", "one\ntwo")]))
            .1
            .contains("special characters")
    );
    let long = q("b", QuestionKind::LongText { max_chars: 10 });
    assert_eq!(
        read(&long, &[("b", "one\r\ntwo")]),
        Ok(Some(Answer::Text("one\ntwo".to_owned())))
    );
    assert_eq!(
        message(read(&long, &[("b", "eleven char")])).1,
        "Your answer must be 10 characters or fewer"
    );
}

#[test]
fn yes_no_and_single_choice_accept_only_their_options() {
    let yes_no = q("a", QuestionKind::YesNo);
    assert_eq!(
        read(&yes_no, &[("a", "no")]),
        Ok(Some(Answer::YesNo(false)))
    );
    assert_eq!(
        message(read(&yes_no, &[("a", "maybe")])).1,
        "Select yes or no"
    );
    let single = q("b", choice(&["Mainstream", "Special"]));
    assert_eq!(
        read(&single, &[("b", "Special")]),
        Ok(Some(Answer::Choice("Special".to_owned())))
    );
    assert_eq!(
        message(read(&single, &[("b", "Other")])).1,
        "Select an option"
    );
}

#[test]
fn multiple_choice_keeps_the_forms_order_and_none_of_these_is_exclusive() {
    let multiple = q(
        "a",
        QuestionKind::MultipleChoice {
            options: vec!["Red".to_owned(), "Green".to_owned(), "Blue".to_owned()],
            none_of_these: true,
        },
    );
    assert_eq!(
        read(&multiple, &[("a", "Blue"), ("a", "Red")]),
        Ok(Some(Answer::Choices(vec![
            "Red".to_owned(),
            "Blue".to_owned()
        ])))
    );
    assert_eq!(
        read(&multiple, &[("a", NONE_OF_THESE)]),
        Ok(Some(Answer::Choices(Vec::new())))
    );
    assert_eq!(
        message(read(&multiple, &[("a", NONE_OF_THESE), ("a", "Red")])).1,
        "Select ‘None of these’ or the options that apply, not both"
    );
    assert_eq!(
        message(read(&multiple, &[])).1,
        "Select at least one option, or ‘None of these’"
    );
    assert_eq!(
        message(read(&multiple, &[("a", "Purple")])).1,
        "Select the options that apply"
    );
}

#[test]
fn dates_name_the_missing_part_and_keep_to_their_limit() {
    let past = q(
        "born",
        QuestionKind::Date {
            limit: DateLimit::PastOrToday,
        },
    );
    assert_eq!(
        read(
            &past,
            &[
                ("born-day", "3"),
                ("born-month", "4"),
                ("born-year", "2019")
            ]
        ),
        Ok(Some(Answer::Date(date!(2019 - 04 - 03))))
    );
    assert_eq!(
        message(read(&past, &[("born-day", "3"), ("born-year", "2019")])),
        (
            "born-month".to_owned(),
            "The date must include a month".to_owned()
        )
    );
    assert_eq!(
        message(read(
            &past,
            &[
                ("born-day", "31"),
                ("born-month", "2"),
                ("born-year", "2019")
            ]
        ))
        .1,
        "The date must be a real date"
    );
    assert_eq!(
        message(read(
            &past,
            &[
                ("born-day", "6"),
                ("born-month", "12"),
                ("born-year", "2026")
            ]
        ))
        .1,
        "The date must be today or in the past"
    );
    let future = q(
        "meet",
        QuestionKind::Date {
            limit: DateLimit::TodayOrFuture,
        },
    );
    assert_eq!(
        message(read(
            &future,
            &[
                ("meet-day", "4"),
                ("meet-month", "12"),
                ("meet-year", "2026")
            ]
        ))
        .1,
        "The date must be today or in the future"
    );
}

#[test]
fn address_name_email_phone_and_postcode_are_checked() {
    let address = q("home", QuestionKind::Address);
    assert_eq!(
        message(read(
            &address,
            &[("home-line1", "1 High St"), ("home-postcode", "SW1A1AA")]
        )),
        ("home-town".to_owned(), "Enter town or city".to_owned())
    );
    let Ok(Some(Answer::Address(a))) = read(
        &address,
        &[
            ("home-line1", "1 High St"),
            ("home-town", "Leeds"),
            ("home-postcode", "ls1 4ap"),
        ],
    ) else {
        panic!("address refused")
    };
    assert_eq!(a.postcode, "LS1 4AP");
    let name = q("who", QuestionKind::Name);
    assert_eq!(
        message(read(&name, &[("who-first", "Sam")])),
        ("who-last".to_owned(), "Enter a last name".to_owned())
    );
    let email = q("e", QuestionKind::Email);
    assert_eq!(
        read(&email, &[("e", "Sam@Example.org")]),
        Ok(Some(Answer::Email("sam@example.org".to_owned())))
    );
    let phone = q("p", QuestionKind::Phone);
    assert!(read(&phone, &[("p", "+44 7700 900982")]).is_ok());
    assert!(read(&phone, &[("p", "12345")]).is_err());
    let postcode = q("pc", QuestionKind::Postcode);
    assert_eq!(
        message(read(&postcode, &[("pc", "not a postcode")])).1,
        "Enter a real postcode, like SW1A 1AA"
    );
}

#[test]
fn numbers_are_whole_or_decimal_within_limits() {
    let whole = q(
        "n",
        QuestionKind::Number {
            whole: true,
            min: Some(0.0),
            max: Some(100.0),
        },
    );
    assert_eq!(
        read(&whole, &[("n", "1,000")]).map_err(|e| e.message),
        Err("The number must be between 0 and 100".to_owned())
    );
    assert_eq!(read(&whole, &[("n", "42")]), Ok(Some(Answer::Number(42.0))));
    assert_eq!(
        message(read(&whole, &[("n", "4.5")])).1,
        "Enter a whole number, like 3"
    );
    let decimal = q(
        "d",
        QuestionKind::Number {
            whole: false,
            min: None,
            max: None,
        },
    );
    assert_eq!(
        read(&decimal, &[("d", "-2.5")]),
        Ok(Some(Answer::Number(-2.5)))
    );
    assert_eq!(
        message(read(&decimal, &[("d", "1e5")])).1,
        "Enter a number, like 3 or 2.5"
    );
}

proptest! {
    #[test]
    fn any_whole_number_in_range_is_accepted_and_any_outside_refused(n in -10_000i64..10_000, lo in -5_000i64..0, hi in 0i64..5_000) {
        #[allow(clippy::cast_precision_loss)]
        let (value, min, max) = (n as f64, lo as f64, hi as f64);
        let result = reading::number(&n.to_string(), true, Some(min), Some(max));
        if (lo..=hi).contains(&n) {
            prop_assert_eq!(result, Ok(value));
        } else {
            prop_assert!(result.is_err());
        }
    }

    #[test]
    fn a_number_read_back_from_its_own_text_is_the_same(n in -1.0e9f64..1.0e9) {
        let text = reading::format_number(n);
        prop_assert_eq!(reading::number(&text, false, None, None), Ok(n));
    }

    #[test]
    fn text_that_is_not_a_number_is_refused(s in "[a-zA-Z ]{1,12}") {
        prop_assume!(!s.trim().is_empty());
        prop_assert!(reading::number(&s, false, None, None).is_err());
    }

    #[test]
    fn every_real_date_is_read_and_respects_the_past_limit(days in -40_000i64..400) {
        let date = TODAY + time::Duration::days(days);
        let question = q("d", QuestionKind::Date { limit: DateLimit::PastOrToday });
        let answer = Answer::Date(date);
        let result = question.read(&answer_fields(&question, &answer), TODAY);
        if days <= 0 {
            prop_assert_eq!(result, Ok(Some(answer)));
        } else {
            prop_assert!(result.is_err());
        }
    }

    #[test]
    fn impossible_days_of_a_month_are_refused(day in 32u8..99, month in 1u8..13) {
        let question = q("d", QuestionKind::Date { limit: DateLimit::Any });
        let result = question.read(&fields(&[("d-day", &day.to_string()), ("d-month", &month.to_string()), ("d-year", "2020")]), TODAY);
        prop_assert!(result.is_err());
    }

    #[test]
    fn emails_with_one_at_and_a_dotted_domain_are_accepted(local in "[a-z][a-z0-9.]{0,10}[a-z0-9]", domain in "[a-z]{1,10}", tld in "[a-z]{2,6}") {
        prop_assume!(!local.contains(".."));
        let address = format!("{local}@{domain}.{tld}");
        let question = q("e", QuestionKind::Email);
        prop_assert_eq!(question.read(&fields(&[("e", &address)]), TODAY), Ok(Some(Answer::Email(address.clone()))));
        let broken = address.replace('@', "");
        prop_assert!(question.read(&fields(&[("e", &broken)]), TODAY).is_err());
    }

    #[test]
    fn uk_phone_numbers_have_ten_or_eleven_digits_from_zero(rest in "[1-9][0-9]{8,9}") {
        let national = format!("0{rest}");
        prop_assert!(reading::uk_phone(&national).is_ok());
        let international = format!("+44 {rest}");
        prop_assert!(reading::uk_phone(&international).is_ok());
        prop_assert!(reading::uk_phone(&rest).is_err(), "no leading 0: {}", rest);
        let too_long = format!("0{rest}123");
        prop_assert!(reading::uk_phone(&too_long).is_err());
    }

    #[test]
    fn postcodes_of_every_uk_shape_are_read_in_capitals_with_one_space(
        area in "[A-Z]{1,2}", district in "[0-9]{1,2}", sector in "[0-9]", unit in "[A-Z]{2}"
    ) {
        let code = format!("{area}{district}{sector}{unit}").to_lowercase();
        let question = q("pc", QuestionKind::Postcode);
        prop_assert_eq!(
            question.read(&fields(&[("pc", &code)]), TODAY),
            Ok(Some(Answer::Postcode(format!("{area}{district} {sector}{unit}"))))
        );
        let longer = format!("{code}zz");
        prop_assert!(question.read(&fields(&[("pc", &longer)]), TODAY).is_err());
    }
}

// ---- Repeating groups ----

fn group(min: u8, max: u8) -> Question {
    q(
        "people",
        QuestionKind::Repeating {
            item: "professional".to_owned(),
            questions: vec![q("role", QuestionKind::ShortText)],
            min_items: min,
            max_items: max,
        },
    )
}

fn items(n: usize) -> Answer {
    let mut item = Answers::default();
    item.set(
        QuestionKey::new("role"),
        Some(Answer::Text("SENCo".to_owned())),
    );
    Answer::Items(vec![item; n])
}

#[test]
fn a_repeating_group_needs_between_its_min_and_max_items() {
    let question = group(2, 3);
    assert_eq!(
        question.check_held(Some(&items(1))).map_err(|e| e.message),
        Err("Add at least 2 professionals".to_owned())
    );
    assert!(question.check_held(Some(&items(2))).is_ok());
    assert!(question.check_held(Some(&items(3))).is_ok());
    assert!(question.check_held(Some(&items(4))).is_err());
    let optional = Question {
        required: false,
        ..group(0, 3)
    };
    assert!(optional.check_held(None).is_ok());
    assert!(
        group(0, 3).check_held(None).is_err(),
        "a required group needs one item"
    );
    assert!(question.accepts(&items(2), TODAY));
    assert!(!question.accepts(&items(4), TODAY));
}

// ---- Conditions and routes ----

/// Page 1 asks yes/no; "yes" shows page 2 (a question), "no" routes to page 4;
/// page 3 asks a choice and "Other" ends the form.
fn routed_form() -> FormDefinition {
    let mut form = FormDefinition::new("Routed");
    let mut first = page("p1", vec![q("any", QuestionKind::YesNo)]);
    first.branches.push(Branch {
        when: is("any", "No"),
        to: Destination::Page(PageKey::new("p4")),
    });
    let mut second = page("p2", vec![q("details", QuestionKind::ShortText)]);
    second.show_when = Some(is("any", "Yes"));
    let mut third = page("p3", vec![q("kind", choice(&["School", "Other"]))]);
    third.branches.push(Branch {
        when: is("kind", "Other"),
        to: Destination::End,
    });
    let fourth = page("p4", vec![q("last", QuestionKind::ShortText)]);
    form.pages = vec![first, second, third, fourth];
    form
}

fn answers(pairs: &[(&str, Answer)]) -> Answers {
    let mut all = Answers::default();
    for (k, a) in pairs {
        all.set(QuestionKey::new(k), Some(a.clone()));
    }
    all
}

#[test]
fn the_route_follows_answers_and_drops_answers_off_the_route() {
    let form = routed_form();
    let start = walk(&form, &Answers::default());
    assert_eq!(start.next, Next::Page(0));
    assert!(start.may_open(0) && !start.may_open(1), "cannot skip ahead");

    let no = answers(&[
        ("any", Answer::YesNo(false)),
        ("details", Answer::Text("kept from before".to_owned())),
        ("last", Answer::Text("end".to_owned())),
    ]);
    let walked = walk(&form, &no);
    assert_eq!(walked.pages, vec![0, 3]);
    assert_eq!(walked.next, Next::CheckAnswers);
    assert!(
        walked.answers.get(&QuestionKey::new("details")).is_none(),
        "an answer on a page no longer on the route is not submitted"
    );

    let other = answers(&[
        ("any", Answer::YesNo(true)),
        ("details", Answer::Text("d".to_owned())),
        ("kind", Answer::Choice("Other".to_owned())),
    ]);
    let walked = walk(&form, &other);
    assert_eq!(walked.pages, vec![0, 1, 2], "Other ends the form");
    assert!(walked.complete());

    let half = answers(&[("any", Answer::YesNo(true))]);
    assert_eq!(walk(&form, &half).next, Next::Page(1));
}

#[test]
fn a_question_condition_hides_it_and_hidden_questions_are_not_required() {
    let mut form = FormDefinition::new("Hidden");
    let mut why = q("why", QuestionKind::ShortText);
    why.show_when = Some(Condition {
        question: QuestionKey::new("n"),
        test: Test::Between {
            min: Some(5.0),
            max: None,
        },
    });
    form.pages = vec![
        page(
            "p1",
            vec![q(
                "n",
                QuestionKind::Number {
                    whole: true,
                    min: None,
                    max: None,
                },
            )],
        ),
        page("p2", vec![why]),
    ];
    assert!(walk(&form, &answers(&[("n", Answer::Number(2.0))])).complete());
    assert_eq!(
        walk(&form, &answers(&[("n", Answer::Number(7.0))])).next,
        Next::Page(1)
    );
}

#[test]
fn an_optional_page_counts_as_answered_once_seen() {
    let mut form = FormDefinition::new("Optional");
    let mut optional = q("a", QuestionKind::ShortText);
    optional.required = false;
    form.pages = vec![page("p1", vec![optional])];
    assert_eq!(walk(&form, &Answers::default()).next, Next::Page(0));
    assert!(walk(&form, &answers(&[("a", Answer::NotAnswered)])).complete());
}

fn arbitrary_form() -> impl Strategy<Value = (FormDefinition, Answers)> {
    // Up to 8 pages of one yes/no question each; every page may have a
    // condition on an earlier page and a branch to any page (even backwards,
    // which the walk must ignore); answers are any subset.
    (1usize..8)
        .prop_flat_map(|n| {
            (
                Just(n),
                prop::collection::vec(
                    (
                        any::<bool>(),
                        0..8usize,
                        any::<bool>(),
                        0..9usize,
                        any::<bool>(),
                    ),
                    n,
                ),
                prop::collection::vec(prop::option::of(any::<bool>()), n),
            )
        })
        .prop_map(|(n, shape, given)| {
            let mut form = FormDefinition::new("Any");
            for (i, (conditional, on, branch, to, required)) in shape.into_iter().enumerate() {
                let mut question = q(&format!("q{i}"), QuestionKind::YesNo);
                question.required = required;
                let mut p = page(&format!("p{i}"), vec![question]);
                if conditional && i > 0 {
                    p.show_when = Some(is(&format!("q{}", on % i), "Yes"));
                }
                if branch {
                    p.branches.push(Branch {
                        when: is(&format!("q{i}"), "No"),
                        to: if to >= n {
                            Destination::End
                        } else {
                            Destination::Page(PageKey::new(&format!("p{to}")))
                        },
                    });
                }
                form.pages.push(p);
            }
            let mut all = Answers::default();
            for (i, a) in given.into_iter().enumerate() {
                all.set(QuestionKey::new(&format!("q{i}")), a.map(Answer::YesNo));
            }
            (form, all)
        })
}

proptest! {
    #[test]
    fn a_route_never_visits_a_page_twice_nor_skips_an_unanswered_required_question((form, given) in arbitrary_form()) {
        let walked = walk(&form, &given);
        let mut sorted = walked.pages.clone();
        sorted.dedup();
        prop_assert_eq!(&sorted, &walked.pages);
        prop_assert!(walked.pages.windows(2).all(|w| w[0] < w[1]), "only forward: {:?}", walked.pages);
        for &p in &walked.pages {
            for question in &form.pages[p].questions {
                if question.required {
                    prop_assert!(given.get(&question.key).is_some(), "page {} visited unanswered", p);
                }
            }
        }
        if let Next::Page(next) = walked.next {
            prop_assert!(walked.pages.iter().all(|&p| p < next));
        }
        for (key, _) in walked.answers.iter() {
            let (at, _) = form.question(key).expect("a question of the form");
            prop_assert!(walked.pages.contains(&at), "answer {} off the route", key);
        }
    }
}

// ---- Problems that stop a publish ----

fn messages(form: &FormDefinition) -> Vec<String> {
    problems(form).into_iter().map(|p| p.message).collect()
}

#[test]
fn a_sound_form_has_no_problems() {
    assert_eq!(messages(&routed_form()), Vec::<String>::new());
}

#[test]
fn each_publish_problem_is_refused_with_its_message() {
    let mut empty = FormDefinition::new(" ");
    empty.audiences.clear();
    assert_eq!(
        messages(&empty),
        vec![
            "Enter a title for the form",
            "Choose who the form is for",
            "Add at least one question"
        ]
    );

    let mut later = routed_form();
    later.pages[0].show_when = Some(is("kind", "School"));
    assert_eq!(
        messages(&later),
        vec![
            "The condition on page 1 tests the question “Question kind”, which is not on an earlier page"
        ]
    );

    let mut missing = routed_form();
    missing.pages[1].show_when = Some(is("gone", "Yes"));
    assert_eq!(
        messages(&missing),
        vec!["The condition on page 2 tests a question that no longer exists"]
    );

    let mut not_an_option = routed_form();
    not_an_option.pages[1].show_when = Some(is("any", "Perhaps"));
    assert_eq!(
        messages(&not_an_option),
        vec!["The condition on page 2 tests for “Perhaps”, which is not one of the options"]
    );

    let mut looping = routed_form();
    looping.pages[2].branches[0].to = Destination::Page(PageKey::new("p1"));
    assert_eq!(
        messages(&looping),
        vec!["A route from page 3 goes back to page 1: routes can only go forward"]
    );

    let mut nowhere = routed_form();
    nowhere.pages[2].branches[0].to = Destination::Page(PageKey::new("p9"));
    assert_eq!(
        messages(&nowhere),
        vec!["A route from page 3 goes to a page that no longer exists"]
    );

    let mut no_options = routed_form();
    no_options.pages[2].questions[0].kind = choice(&[]);
    no_options.pages[2].branches.clear();
    assert_eq!(
        messages(&no_options),
        vec!["Question “Question kind” has no options to choose from"]
    );

    let mut bad_group = routed_form();
    bad_group.pages[3].questions[0] = group(3, 2);
    assert_eq!(
        messages(&bad_group),
        vec!["Question “Question people” needs more items than it allows"]
    );
}

#[test]
fn a_restricted_lookup_is_refused_for_portal_audiences_only() {
    let mut form = routed_form();
    form.pages[3].questions[0] = q(
        "child",
        QuestionKind::Lookup {
            of: LookupKind::Child,
        },
    );
    for audience in [Audience::Families, Audience::Professionals] {
        form.audiences = vec![audience, Audience::Council];
        assert_eq!(
            messages(&form),
            vec![format!(
                "Question “Question child” is a lookup. {LOOKUP_IN_PORTAL}"
            )]
        );
    }
    form.audiences = vec![Audience::Council];
    assert_eq!(messages(&form), Vec::<String>::new());
}

// ---- Versions ----

#[test]
fn answers_carry_to_a_new_version_where_the_question_still_fits() {
    let old = routed_form();
    let mut new = routed_form();
    // "kind" loses the option "Other"; "details" goes; a question is added.
    new.pages[2].questions[0].kind = choice(&["School", "College"]);
    new.pages[2].branches.clear();
    new.pages[1].questions[0] = q("school", QuestionKind::ShortText);
    let given = answers(&[
        ("any", Answer::YesNo(true)),
        ("details", Answer::Text("d".to_owned())),
        ("kind", Answer::Choice("Other".to_owned())),
    ]);
    let carried = carry_over(&given, &old, &new, TODAY);
    assert_eq!(carried.answers, answers(&[("any", Answer::YesNo(true))]));
    assert_eq!(carried.new_questions, vec![QuestionKey::new("school")]);
    assert_eq!(
        carried.dropped,
        vec![QuestionKey::new("details"), QuestionKey::new("kind")]
    );
    assert_eq!(walk(&new, &carried.answers).next, Next::Page(1));
}

#[test]
fn a_submission_is_read_against_its_own_version_while_a_newer_one_is_live() {
    let version_1 = routed_form();
    let mut version_2 = routed_form();
    version_2.pages.remove(3);
    let submitted = answers(&[
        ("any", Answer::YesNo(false)),
        ("last", Answer::Text("end".to_owned())),
    ]);
    // Read against its own version, the submission is whole; against the newer
    // one it would lose its last answer.
    assert_eq!(walk(&version_1, &submitted).answers, submitted);
    assert_ne!(walk(&version_2, &submitted).answers, submitted);
}

#[test]
fn files_are_accepted_only_in_the_kinds_and_number_allowed() {
    let upload = q(
        "reports",
        QuestionKind::FileUpload {
            max_files: 1,
            kinds: vec![FileKind::Pdf],
        },
    );
    let file = |kind| StoredFile {
        key: "k".to_owned(),
        name: "report".to_owned(),
        kind,
        size: 10,
        sha256: String::new(),
    };
    assert!(upload.accepts(&Answer::Files(vec![file(FileKind::Pdf)]), TODAY));
    assert!(!upload.accepts(&Answer::Files(vec![file(FileKind::Png)]), TODAY));
    assert!(!upload.accepts(
        &Answer::Files(vec![file(FileKind::Pdf), file(FileKind::Pdf)]),
        TODAY
    ));
    assert_eq!(
        upload.check_held(None).map_err(|e| e.message),
        Err("Select a file to upload".to_owned())
    );
}

#[test]
fn a_definition_and_its_answers_survive_being_stored() {
    let form = routed_form();
    let text = serde_json::to_string(&form).expect("serialises");
    assert!(text.contains(r#""type":"yes_no""#), "{text}");
    assert_eq!(
        serde_json::from_str::<FormDefinition>(&text).ok(),
        Some(form)
    );
    let given = answers(&[
        ("born", Answer::Date(date!(2019 - 04 - 03))),
        ("n", Answer::Number(2.5)),
        ("people", items(2)),
        ("skipped", Answer::NotAnswered),
    ]);
    let text = serde_json::to_string(&given).expect("serialises");
    assert!(text.contains(r#""2019-04-03""#), "{text}");
    assert_eq!(serde_json::from_str::<Answers>(&text).ok(), Some(given));
}
