use proptest::prelude::*;
use time::macros::{date, datetime};
use uuid::Uuid;

use super::*;
use crate::accounts::ShortText;
use crate::cases::{Address, Sex};
use crate::ids::{ChildId, ContactId, TeamId};
use crate::names::PersonName;

const BORN: Date = date!(2015 - 03 - 04);

fn child(first: &str, last: &str) -> ChildDetails {
    ChildDetails {
        first_name: Some(first.to_owned()),
        last_name: Some(last.to_owned()),
        date_of_birth: Some(BORN),
        ..ChildDetails::default()
    }
}

fn postcode(text: &str) -> Postcode {
    Postcode::parse(text).unwrap()
}

fn nhs(text: &str) -> NhsNumber {
    NhsNumber::parse(text).unwrap()
}

fn check(a: &ChildDetails, b: &ChildDetails) -> MatchResult {
    compare(a, b, Thresholds::default())
}

#[test]
fn an_identifier_match_wins_even_with_a_misspelt_name() {
    let record = ChildDetails {
        nhs_number: Some(nhs("943 476 5919")),
        ..child("Oliver", "Smith")
    };
    let submitted = ChildDetails {
        nhs_number: Some(nhs("9434765919")),
        ..child("Olivre", "Smyth")
    };
    let result = check(&submitted, &record);
    assert_eq!((result.score, result.verdict), (100, Verdict::Certain));
    assert!(result.reasons.contains(&Reason::SameIdentifier {
        identifier: Identifier::NhsNumber
    }));
    assert!(result.summary().contains("same NHS number"));
    assert!(
        result
            .summary()
            .contains("first name differs by one letter")
    );
}

#[test]
fn a_contradicting_identifier_is_a_conflict_not_a_match() {
    let record = ChildDetails {
        nhs_number: Some(nhs("9434765919")),
        ..child("Oliver", "Smith")
    };
    let born_later = ChildDetails {
        date_of_birth: Some(date!(2016 - 09 - 21)),
        ..record.clone()
    };
    let result = check(&born_later, &record);
    assert_eq!(result.verdict, Verdict::Conflict);
    let without_identifier = ChildDetails {
        nhs_number: None,
        ..born_later.clone()
    };
    assert_eq!(result.score, check(&without_identifier, &record).score);

    // Someone else altogether with the same number.
    let someone_else = ChildDetails {
        nhs_number: Some(nhs("9434765919")),
        ..child("Priya", "Patel")
    };
    assert_eq!(check(&someone_else, &record).verdict, Verdict::Conflict);
}

#[test]
fn a_different_identifier_is_not_the_same_child_unless_a_person_says_so() {
    let record = ChildDetails {
        nhs_number: Some(nhs("9434765919")),
        postcode: Some(postcode("WR1 2PG")),
        ..child("Oliver", "Smith")
    };
    let everything_else_agrees = ChildDetails {
        nhs_number: Some(nhs("4500000003")),
        ..record.clone()
    };
    let result = check(&everything_else_agrees, &record);
    assert_eq!(result.verdict, Verdict::Conflict);
    assert!(result.summary().contains("different NHS number"));

    let typo_and_date = ChildDetails {
        nhs_number: Some(nhs("4500000003")),
        ..child("Olivre", "Smith")
    };
    let result = check(&typo_and_date, &record);
    assert_eq!(result.verdict, Verdict::Unlikely);
    assert!(result.score < Thresholds::default().low());
}

#[test]
fn a_surname_typo_with_the_same_date_of_birth_and_postcode_scores_high() {
    let record = ChildDetails {
        postcode: Some(postcode("WR1 2PG")),
        ..child("Amelia", "Thompson")
    };
    let submitted = ChildDetails {
        postcode: Some(postcode("wr12pg")),
        ..child("Amelia", "Thomspon")
    };
    let result = check(&submitted, &record);
    assert_eq!(result.verdict, Verdict::Likely);
    assert!(
        result
            .summary()
            .starts_with("same date of birth; surname differs by one letter"),
        "{}",
        result.summary()
    );
}

#[test]
fn twins_are_never_merged() {
    let record = ChildDetails {
        postcode: Some(postcode("WR1 2PG")),
        setting: Some("Oak Primary School".to_owned()),
        parents: vec!["Pat Smith".to_owned()],
        ..child("Amelia", "Smith")
    };
    let twin = ChildDetails {
        first_name: Some("Olivia".to_owned()),
        ..record.clone()
    };
    let result = check(&twin, &record);
    assert!(result.score < Thresholds::default().high());
    assert_eq!(result.verdict, Verdict::Possible);
    assert!(result.reasons.contains(&Reason::Twin));
    assert!(!Reason::Twin.agrees());

    // With their own NHS numbers the twin is no likely match at all.
    let numbered = |details: &ChildDetails, number| ChildDetails {
        nhs_number: Some(nhs(number)),
        ..details.clone()
    };
    let result = check(
        &numbered(&twin, "4500000011"),
        &numbered(&record, "4500000003"),
    );
    assert_eq!(result.verdict, Verdict::Unlikely);
    // A parent who types the other twin's number gets a conflict, not a certain match.
    let result = check(
        &numbered(&twin, "4500000003"),
        &numbered(&record, "4500000003"),
    );
    assert_eq!(result.verdict, Verdict::Conflict);
}

#[test]
fn a_different_date_of_birth_scores_low_even_with_the_same_name() {
    let record = ChildDetails {
        postcode: Some(postcode("WR1 2PG")),
        parents: vec!["Pat Smith".to_owned()],
        ..child("Amelia", "Smith")
    };
    let sibling = ChildDetails {
        date_of_birth: Some(date!(2017 - 11 - 20)),
        ..record.clone()
    };
    let result = check(&sibling, &record);
    assert_eq!(result.verdict, Verdict::Unlikely);
    assert!(result.reasons.contains(&Reason::DifferentDateOfBirth));
}

#[test]
fn swapped_day_and_month_is_noticed() {
    let record = child("Amelia", "Smith");
    let swapped = ChildDetails {
        date_of_birth: Some(date!(2015 - 04 - 03)),
        ..record.clone()
    };
    let different = ChildDetails {
        date_of_birth: Some(date!(2015 - 04 - 05)),
        ..record.clone()
    };
    let result = check(&swapped, &record);
    assert!(result.summary().contains("day and month of birth swapped"));
    assert!(result.score > check(&different, &record).score);
    assert!(result.score < check(&record, &record).score);
    assert_eq!(result.verdict, Verdict::Possible);
}

#[test]
fn nicknames_are_recognised_both_ways() {
    for (short, long) in [
        ("Liz", "Elizabeth"),
        ("Bill", "William"),
        ("Kate", "Catherine"),
        ("Katherine", "Catherine"),
        ("Alex", "Alexandra"),
        ("Alfie", "Alfred"),
    ] {
        for (a, b) in [(short, long), (long, short)] {
            let result = check(&child(a, "Smith"), &child(b, "Smith"));
            assert!(result.reasons.contains(&Reason::Nickname), "{a} {b}");
            assert_eq!(result.verdict, Verdict::Possible, "{a} {b}");
        }
    }
    // Names one letter apart that are different names are not typos either.
    for (a, b) in [("Alexander", "Alexandra"), ("Louis", "Louise")] {
        let result = check(&child(a, "Smith"), &child(b, "Smith"));
        assert!(
            result.reasons.contains(&Reason::DifferentFirstName),
            "{a} {b}"
        );
    }
}

#[test]
fn the_preferred_name_counts_as_a_first_name() {
    let record = ChildDetails {
        preferred_name: Some("Bear".to_owned()),
        ..child("Barnaby", "Smith")
    };
    let result = check(&child("Bear", "Smith"), &record);
    assert_eq!(result.verdict, Verdict::Likely);
    assert!(result.reasons.contains(&Reason::SameFirstName));
}

#[test]
fn accents_hyphens_apostrophes_and_case_are_ignored() {
    let record = child("Zoë", "O’Brien-Smith");
    let result = check(&child("ZOE", "obrien smith"), &record);
    assert_eq!(
        result.reasons,
        [
            Reason::SameDateOfBirth,
            Reason::SameSurname,
            Reason::SameFirstName
        ]
    );
    assert_eq!(result.verdict, Verdict::Likely);
    let part = check(&child("Zoe", "Smith"), &record);
    assert!(part.reasons.contains(&Reason::SurnamePart));
}

#[test]
fn swapped_first_and_last_names_are_recognised() {
    let record = ChildDetails {
        postcode: Some(postcode("WR1 2PG")),
        ..child("Oliver", "Hughes")
    };
    let swapped = ChildDetails {
        postcode: Some(postcode("WR1 2PG")),
        ..child("Hughes", "Oliver")
    };
    let result = check(&swapped, &record);
    assert!(result.reasons.contains(&Reason::NamesSwapped));
    assert!(!result.reasons.contains(&Reason::Twin));
    assert_eq!(result.verdict, Verdict::Likely);
}

#[test]
fn typos_are_small_slips_in_long_enough_names() {
    let first = |a: &str, b: &str| first_name(&[normalise_name(a)], &[normalise_name(b)]);
    // A transposition is one slip.
    assert_eq!(
        first("Micheal", "Michael"),
        Some(Reason::FirstNameTypo { letters: 1 })
    );
    assert_eq!(
        first("Jonathon", "Johnathan"),
        Some(Reason::FirstNameTypo { letters: 2 })
    );
    for (a, b) in [("Tom", "Tim"), ("Mason", "Jason"), ("Ella", "Emma")] {
        assert_eq!(first(a, b), Some(Reason::DifferentFirstName), "{a} {b}");
    }
}

#[test]
fn settings_and_parents_are_compared_loosely() {
    let record = ChildDetails {
        setting: Some("St Mary's C of E Primary School".to_owned()),
        parents: vec!["Pat O'Neill".to_owned(), "Sam Smith".to_owned()],
        ..child("Amelia", "Smith")
    };
    let submitted = ChildDetails {
        setting: Some("Saint Marys C of E Primary".to_owned()),
        parents: vec!["pat oneill".to_owned()],
        ..child("Amelia", "Smith")
    };
    let result = check(&submitted, &record);
    assert!(result.reasons.contains(&Reason::SameSetting));
    assert!(result.reasons.contains(&Reason::SameParent));
    let other_school = ChildDetails {
        setting: Some("St Mary's Catholic Primary".to_owned()),
        ..submitted
    };
    assert!(
        !check(&other_school, &record)
            .reasons
            .contains(&Reason::SameSetting)
    );
}

#[test]
fn names_are_normalised_for_comparing() {
    assert_eq!(normalise_name("O’Brien-Smith"), "obriensmith");
    assert_eq!(normalise_name("O'Brien Smith"), "obriensmith");
    assert_eq!(normalise_name("Zoë"), "zoe");
    assert_eq!(normalise_name("Łukasz"), "lukasz");
    assert_eq!(normalise_name("  J. R. "), "jr");
    assert_eq!(normalise_name("Siân"), "sian");
    assert_eq!(normalise_name("李小龍"), "李小龍");
}

#[test]
fn thresholds_must_be_in_order() {
    assert_eq!(Thresholds::new(80, 0), Err(ThresholdsError::LowIsZero));
    assert_eq!(Thresholds::new(101, 45), Err(ThresholdsError::HighAbove100));
    assert_eq!(
        Thresholds::new(45, 45),
        Err(ThresholdsError::LowNotBelowHigh)
    );
    let thresholds = Thresholds::new(90, 50).unwrap();
    assert_eq!((thresholds.high(), thresholds.low()), (90, 50));
    let default = Thresholds::default();
    assert_eq!(Thresholds::new(default.high(), default.low()), Ok(default));
    let json = serde_json::to_string(&thresholds).unwrap();
    assert_eq!(json, r#"{"high":90,"low":50}"#);
    assert_eq!(
        serde_json::from_str::<Thresholds>(&json).unwrap(),
        thresholds
    );
    assert!(serde_json::from_str::<Thresholds>(r#"{"high":40,"low":50}"#).is_err());
}

#[test]
fn verdicts_and_reasons_have_stable_codes_and_plain_words() {
    for verdict in Verdict::ALL {
        assert_eq!(Verdict::parse_code(verdict.code()), Some(verdict));
        let json = serde_json::to_string(&verdict).unwrap();
        assert_eq!(json, format!("\"{}\"", verdict.code()));
    }
    assert_eq!(Verdict::parse_code("maybe"), None);
    assert_eq!(Verdict::Unlikely.label(), "No likely match");
    let reason = Reason::DifferentIdentifier {
        identifier: Identifier::Upn,
    };
    assert_eq!(
        serde_json::to_value(&reason).unwrap(),
        serde_json::json!({"reason": "different_identifier", "identifier": "upn"})
    );
    assert_eq!(reason.describe(), "different UPN");
    assert!(!reason.agrees());
    assert_eq!(
        Reason::SurnameTypo { letters: 2 }.describe(),
        "surname differs by two letters"
    );
    assert!(Reason::SurnameTypo { letters: 1 }.agrees());
}

#[test]
fn a_records_details_include_its_preferred_name_and_family() {
    let id = ChildId::from_uuid(Uuid::from_u128(1));
    let record = Child {
        id,
        team_id: TeamId::from_uuid(Uuid::from_u128(2)),
        legal_first_name: PersonName::parse("Barnaby").unwrap(),
        legal_last_name: PersonName::parse("Smith").unwrap(),
        preferred_name: Some(PersonName::parse("Bear").unwrap()),
        date_of_birth: BORN,
        sex: Sex::Male,
        ethnicity: None,
        upn: None,
        uln: None,
        nhs_number: Some(nhs("9434765919")),
        address: Address {
            postcode: Some(postcode("WR1 2PG")),
            ..Address::default()
        },
        setting: Some(ShortText::from_stored("Oak Primary".to_owned())),
        primary_need: None,
        secondary_need: None,
        created_at: datetime!(2026-01-05 10:00 UTC),
        updated_at: datetime!(2026-01-05 10:00 UTC),
        version: 1,
    };
    let contact = |child_id, name| FamilyContact {
        id: ContactId::from_uuid(Uuid::from_u128(3)),
        child_id,
        name: PersonName::parse(name).unwrap(),
        relationship: ShortText::from_stored("Mother".to_owned()),
        email: None,
        phone: None,
        parental_responsibility: true,
    };
    let other = ChildId::from_uuid(Uuid::from_u128(9));
    let details = ChildDetails::of_child(
        &record,
        &[contact(id, "Pat Smith"), contact(other, "Someone Else")],
    );
    assert_eq!(details.preferred_name.as_deref(), Some("Bear"));
    assert_eq!(details.setting.as_deref(), Some("Oak Primary"));
    assert_eq!(details.parents, ["Pat Smith"]);
    assert_eq!(details.nhs_number, record.nhs_number);
    assert_eq!(details.postcode, Some(postcode("WR1 2PG")));
}

// Details drawn from small pools, so that names, dates and numbers often agree, nearly
// agree (typos, nicknames, swaps) or differ.
fn some<T: Clone + std::fmt::Debug + 'static>(pool: Vec<T>) -> impl Strategy<Value = Option<T>> {
    prop::option::of(prop::sample::select(pool))
}

fn any_details() -> impl Strategy<Value = ChildDetails> {
    let names = || {
        some(
            [
                "Oliver", "Olivia", "Ollie", "Olivre", "Smith", "Smyth", "Zoë", "O'Brien",
            ]
            .map(str::to_owned)
            .to_vec(),
        )
    };
    let dates = vec![
        date!(2015 - 03 - 04),
        date!(2015 - 04 - 03),
        date!(2016 - 03 - 04),
    ];
    let parents =
        prop::sample::subsequence(vec!["Pat Smith".to_owned(), "Sam Smith".to_owned()], 0..=2);
    (
        (names(), names(), names()),
        some(dates),
        some(vec!["WR1 2PG", "M1 1AE"]),
        some(vec!["Oak Primary", "Elm Academy"]),
        (
            some(vec!["W201345612346", "K201345612347"]),
            some(vec!["1234567899", "9800000002"]),
            some(vec!["9434765919", "4500000003"]),
        ),
        parents,
    )
        .prop_map(
            |((first, preferred, last), born, code, setting, (upn, uln, nhs), parents)| {
                ChildDetails {
                    first_name: first,
                    preferred_name: preferred,
                    last_name: last,
                    date_of_birth: born,
                    postcode: code.map(|c| Postcode::parse(c).unwrap()),
                    setting: setting.map(str::to_owned),
                    upn: upn.map(|u| Upn::parse(u).unwrap()),
                    uln: uln.map(|u| Uln::parse(u).unwrap()),
                    nhs_number: nhs.map(|n| NhsNumber::parse(n).unwrap()),
                    parents,
                }
            },
        )
}

/// Each way of adding a detail that agrees on both sides.
fn agreeing_additions(a: &ChildDetails, b: &ChildDetails) -> Vec<(ChildDetails, ChildDetails)> {
    let mut added = Vec::new();
    let on_both = |change: &dyn Fn(&mut ChildDetails)| {
        let (mut a, mut b) = (a.clone(), b.clone());
        change(&mut a);
        change(&mut b);
        (a, b)
    };
    added.push(on_both(&|d| d.postcode = Some(postcode("B1 1AA"))));
    added.push(on_both(&|d| d.setting = Some("Birch Infants".to_owned())));
    added.push(on_both(&|d| d.parents.push("Jo Bloggs".to_owned())));
    if a.date_of_birth.is_none() && b.date_of_birth.is_none() {
        added.push(on_both(&|d| d.date_of_birth = Some(date!(2014 - 01 - 30))));
    }
    if a.nhs_number.is_none() && b.nhs_number.is_none() {
        added.push(on_both(&|d| d.nhs_number = Some(nhs("4500000011"))));
    }
    added
}

proptest! {
    #[test]
    fn scores_are_between_0_and_100_and_agree_with_the_verdict(
        a in any_details(),
        b in any_details(),
    ) {
        let (high, low) = (Thresholds::default().high(), Thresholds::default().low());
        let score = check(&a, &b).score;
        prop_assert!(score <= 100);
        match check(&a, &b).verdict {
            Verdict::Certain => prop_assert_eq!(score, 100),
            Verdict::Conflict => {}
            Verdict::Likely => prop_assert!(score >= high),
            Verdict::Possible => prop_assert!(score >= low && score < high),
            Verdict::Unlikely => prop_assert!(score < low),
        }
    }

    #[test]
    fn the_result_is_the_same_whichever_side_is_the_record(a in any_details(), b in any_details()) {
        prop_assert_eq!(check(&a, &b), check(&b, &a));
    }

    #[test]
    fn adding_an_agreeing_detail_never_lowers_the_score(a in any_details(), b in any_details()) {
        let before = check(&a, &b).score;
        for (more_a, more_b) in agreeing_additions(&a, &b) {
            let after = check(&more_a, &more_b).score;
            prop_assert!(after >= before, "{} then {}: {:?} / {:?}", before, after, more_a, more_b);
        }
    }
}
