use time::macros::{date, datetime};
use uuid::Uuid;

use super::*;
use crate::accounts::ShortText;
use crate::cases::{Address, Sex};
use crate::forms::AddressAnswer;
use crate::ids::TeamId;
use crate::matching::Reason;
use crate::names::PersonName;

fn user() -> UserId {
    UserId::from_uuid(Uuid::from_u128(1))
}

fn child_id(n: u128) -> ChildId {
    ChildId::from_uuid(Uuid::from_u128(n))
}

const AT: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);

fn result(verdict: Verdict, score: u8) -> MatchResult {
    MatchResult {
        score,
        verdict,
        reasons: vec![Reason::SameDateOfBirth],
    }
}

fn amira() -> Child {
    Child {
        id: child_id(7),
        team_id: TeamId::from_uuid(Uuid::from_u128(3)),
        legal_first_name: PersonName::parse("Amira").unwrap(),
        legal_last_name: PersonName::parse("Khan").unwrap(),
        preferred_name: None,
        date_of_birth: date!(2015 - 03 - 27),
        sex: Sex::Female,
        ethnicity: None,
        upn: None,
        uln: None,
        nhs_number: None,
        address: Address {
            line_1: Some(ShortText::parse("1 High Street", "x").unwrap()),
            line_2: None,
            town: Some(ShortText::parse("Worcester", "x").unwrap()),
            postcode: Some(Postcode::parse("WR1 2PG").unwrap()),
        },
        setting: Some(ShortText::parse("Oak Primary", "x").unwrap()),
        primary_need: None,
        secondary_need: None,
        created_at: AT,
        updated_at: AT,
        version: 1,
    }
}

fn answers() -> Answers {
    let mut answers = Answers::default();
    answers.set(
        QuestionKey::new(keys::CHILD_NAME),
        Some(Answer::Name {
            first: "Amira".to_owned(),
            last: "Kahn".to_owned(),
        }),
    );
    answers.set(
        QuestionKey::new(keys::DATE_OF_BIRTH),
        Some(Answer::Date(date!(2015 - 03 - 27))),
    );
    answers.set(
        QuestionKey::new(keys::ADDRESS),
        Some(Answer::Address(AddressAnswer {
            line_1: "2 New Road".to_owned(),
            line_2: String::new(),
            town: "Worcester".to_owned(),
            postcode: "WR2 5AB".to_owned(),
        })),
    );
    answers.set(
        QuestionKey::new(keys::SETTING),
        Some(Answer::Text("oak primary".to_owned())),
    );
    answers.set(
        QuestionKey::new(keys::YOUR_NAME),
        Some(Answer::Name {
            first: "Sara".to_owned(),
            last: "Khan".to_owned(),
        }),
    );
    answers
}

#[test]
fn a_likely_match_is_proposed_and_anything_less_waits_in_suspense() {
    let proposed = Processing::arrived(Some((child_id(7), result(Verdict::Likely, 85))));
    assert_eq!(proposed.status, ProcessingStatus::Matched);
    assert!(!proposed.confirmed);
    for (verdict, reason) in [
        (Verdict::Possible, "Possible match"),
        (Verdict::Conflict, "Details conflict"),
        (Verdict::Unlikely, "No likely match"),
    ] {
        let held = Processing::arrived(Some((child_id(7), result(verdict, 50))));
        assert_eq!(held.status, ProcessingStatus::Suspense);
        assert_eq!(held.suspense_reason(), Some(reason));
    }
    let none = Processing::arrived(None);
    assert_eq!(none.status, ProcessingStatus::Suspense);
    assert_eq!(none.suspense_reason(), Some("No likely match"));
    assert_eq!(none.child_id, None);
}

#[test]
fn only_a_confirmed_child_can_be_imported_and_only_once() {
    let proposed = Processing::arrived(Some((child_id(7), result(Verdict::Likely, 85))));
    assert_eq!(
        proposed.import(None, user(), AT),
        Err(ProcessingError::NoChild)
    );
    let confirmed = proposed.confirm(child_id(7), user(), AT).unwrap();
    assert!(confirmed.confirmed);
    assert_eq!(confirmed.result, proposed.result, "the reasons are kept");
    assert_eq!(confirmed.version, proposed.version + 1);
    let imported = confirmed.import(None, user(), AT).unwrap();
    assert_eq!(imported.status, ProcessingStatus::Imported);
    assert_eq!(
        imported.import(None, user(), AT),
        Err(ProcessingError::AlreadyImported)
    );
    assert_eq!(
        imported.reject("no", user(), AT),
        Err(ProcessingError::AlreadyImported)
    );
}

#[test]
fn choosing_another_child_drops_the_matchers_reasons() {
    let proposed = Processing::arrived(Some((child_id(7), result(Verdict::Likely, 85))));
    let other = proposed.confirm(child_id(8), user(), AT).unwrap();
    assert_eq!(other.child_id, Some(child_id(8)));
    assert_eq!(other.result, None);
}

#[test]
fn a_rejection_needs_a_message_and_ends_processing() {
    let held = Processing::arrived(None);
    assert_eq!(
        held.reject("  ", user(), AT),
        Err(ProcessingError::NoMessage)
    );
    assert_eq!(
        held.reject(&"x".repeat(MESSAGE_MAX_CHARS + 1), user(), AT),
        Err(ProcessingError::MessageTooLong)
    );
    assert_eq!(
        held.reject("Not\0ours", user(), AT),
        Err(ProcessingError::MessageInvisible)
    );
    let rejected = held.reject(" Not our area ", user(), AT).unwrap();
    assert_eq!(rejected.status, ProcessingStatus::Rejected);
    assert_eq!(rejected.message.as_deref(), Some("Not our area"));
    assert_eq!(
        rejected.confirm(child_id(7), user(), AT),
        Err(ProcessingError::AlreadyRejected)
    );
}

#[test]
fn a_form_filled_in_on_a_childs_record_arrives_matched_and_confirmed() {
    let on_record = Processing::on_record(child_id(7));
    assert_eq!(on_record.status, ProcessingStatus::Matched);
    assert!(on_record.confirmed);
    assert!(on_record.import(None, user(), AT).is_ok());
}

#[test]
fn the_childs_details_are_read_from_the_answers() {
    let submitted = submitted_child(&answers());
    let d = &submitted.details;
    assert_eq!(d.first_name.as_deref(), Some("Amira"));
    assert_eq!(d.last_name.as_deref(), Some("Kahn"));
    assert_eq!(d.date_of_birth, Some(date!(2015 - 03 - 27)));
    assert_eq!(d.postcode, Some(Postcode::parse("WR2 5AB").unwrap()));
    assert_eq!(d.setting.as_deref(), Some("oak primary"));
    assert_eq!(d.parents, ["Sara Khan"]);
    assert!(submitted.is_searchable());
    assert!(!submitted_child(&Answers::default()).is_searchable());
}

#[test]
fn differences_name_each_detail_that_differs_and_ignore_case() {
    let submitted = submitted_child(&answers());
    let found: Vec<Detail> = differences(&submitted, &amira())
        .into_iter()
        .map(|d| d.detail)
        .collect();
    // "oak primary" is the recorded setting in other case: not a difference.
    assert_eq!(found, [Detail::LastName, Detail::Address]);
    let address = differences(&submitted, &amira())
        .into_iter()
        .find(|d| d.detail == Detail::Address)
        .unwrap();
    assert_eq!(address.recorded, "1 High Street, Worcester, WR1 2PG");
    assert_eq!(address.submitted, "2 New Road, Worcester, WR2 5AB");
}

#[test]
fn only_the_chosen_details_are_copied_onto_the_record() {
    let submitted = submitted_child(&answers());
    let chosen = BTreeSet::from([Detail::Address]);
    let (next, refused) = updated(&amira(), &submitted, &chosen);
    assert!(refused.is_empty());
    assert_eq!(next.legal_last_name.as_str(), "Khan", "not chosen");
    assert_eq!(
        next.address.postcode,
        Some(Postcode::parse("WR2 5AB").unwrap())
    );
    assert_eq!(next.address.line_2, None);
    let (unchanged, refused) = updated(&amira(), &submitted, &BTreeSet::from([Detail::Upn]));
    assert_eq!(unchanged, amira());
    assert_eq!(refused, [Detail::Upn], "the submission gave no UPN");
}

#[test]
fn two_children_as_likely_as_each_other_are_not_proposed() {
    let twins = [
        (child_id(7), result(Verdict::Likely, 86)),
        (child_id(8), result(Verdict::Likely, 86)),
    ];
    let held = Processing::arrived_among(&twins);
    assert_eq!(held.status, ProcessingStatus::Suspense);
    assert_eq!(held.child_id, None);
    assert_eq!(held.suspense_reason(), Some("More than one likely match"));
    let ahead = [
        (child_id(7), result(Verdict::Likely, 90)),
        (child_id(8), result(Verdict::Likely, 86)),
    ];
    let proposed = Processing::arrived_among(&ahead);
    assert_eq!(proposed.status, ProcessingStatus::Matched);
    assert_eq!(proposed.child_id, Some(child_id(7)));
    let alone = [(child_id(7), result(Verdict::Likely, 86))];
    assert_eq!(
        Processing::arrived_among(&alone).child_id,
        Some(child_id(7))
    );
    assert_eq!(
        Processing::arrived_among(&[]).status,
        ProcessingStatus::Suspense
    );
}
