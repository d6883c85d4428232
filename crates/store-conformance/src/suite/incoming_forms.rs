//! Conformance cases for incoming forms: a submission's processing reads back
//! exactly and moves on only from the version read; the processing area lists
//! by status, form, team and age, oldest first, with its counts; the matcher's
//! candidates come from each indexed lookup once, a common surname's nearest
//! births first; children added before the matcher are indexed by their folded
//! surname.

use std::sync::Arc;

use send_domain::incoming_forms::{Processing, ProcessingStatus};
use send_domain::matching::{MatchResult, Reason, Verdict};
use send_domain::{
    Child, ChildId, ContactId, DEFAULT_TEAM, FamilyContact, InvolvementId, PersonName, Postcode,
    TeamId,
};
use send_store::{
    CandidateQuery, Changes, ProcessingCounts, ProcessingQuery, SUBMISSION_CHANGED, Store, Write,
};
use time::macros::date;
use time::{Date, Duration};
use uuid::Uuid;

use super::documents::{START, child, portal_account, staff};
use super::forms::{published, submission};
use super::support::{assert_conflict, assert_not_found, commit, first_wins, ok, race};

fn default_team() -> TeamId {
    DEFAULT_TEAM.0
}

async fn born(store: &Arc<dyn Store>, first: &str, last: &str, on: Date, postcode: &str) -> Child {
    let mut made = child(store, first, default_team()).await;
    let expected_version = made.version;
    made.legal_last_name = PersonName::parse(last).unwrap_or_else(|e| panic!("{e}"));
    made.date_of_birth = on;
    made.address.postcode = Some(Postcode::parse(postcode).unwrap_or_else(|e| panic!("{e}")));
    made.version += 1;
    commit(
        store,
        Changes::new().with(Write::UpdateChild {
            child: made.clone(),
            expected_version,
        }),
    )
    .await;
    made
}

fn ids(children: &[Child]) -> Vec<ChildId> {
    let mut ids: Vec<ChildId> = children.iter().map(|c| c.id).collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<ChildId>) -> Vec<ChildId> {
    ids.sort();
    ids
}

/// A submission's processing reads back exactly, moves on from the version
/// read (setting the submission's child on import), and a stale or missing one
/// writes nothing.
pub async fn a_submissions_processing_round_trips_and_moves_on_once(store: Arc<dyn Store>) {
    let (_, version) = published(&store, "Request an assessment").await;
    let parent = portal_account(&store, "sam@example.com").await;
    let amira = child(&store, "Amira", default_team()).await;
    let result = MatchResult {
        score: 83,
        verdict: Verdict::Likely,
        reasons: vec![Reason::SameDateOfBirth, Reason::SurnameTypo { letters: 1 }],
    };
    let mut sent = submission(&version, None, parent, START);
    sent.processing = Processing::arrived(Some((amira.id, result.clone())));
    commit(
        &store,
        Changes::new().with(Write::InsertSubmission(sent.clone())),
    )
    .await;
    let read = ok(store.submission(sent.id).await).unwrap_or_else(|| panic!("stored"));
    assert_eq!(read, sent, "every field reads back");
    assert_eq!(read.processing.status, ProcessingStatus::Matched);
    assert_eq!(read.processing.result, Some(result));

    let confirmed = read
        .processing
        .confirm(amira.id, staff(), START + Duration::hours(1))
        .unwrap_or_else(|e| panic!("{e}"));
    let involvement = InvolvementId::from_uuid(Uuid::new_v4());
    let imported = confirmed
        .import(None, staff(), START + Duration::hours(2))
        .unwrap_or_else(|e| panic!("{e}"));
    commit(
        &store,
        Changes::new()
            .with(Write::UpdateProcessing {
                id: sent.id,
                child_id: None,
                processing: confirmed.clone(),
                expected_version: 1,
            })
            .with(Write::UpdateProcessing {
                id: sent.id,
                child_id: Some(amira.id),
                processing: imported.clone(),
                expected_version: 2,
            }),
    )
    .await;
    let read = ok(store.submission(sent.id).await).unwrap_or_else(|| panic!("stored"));
    assert_eq!(read.processing, imported);
    assert_eq!(
        read.child_id,
        Some(amira.id),
        "import puts it on the record"
    );
    assert_eq!(read.processing.version, 3);

    // A step from a version already moved on from is refused, and writes nothing.
    let stale = store
        .commit(&Changes::new().with(Write::UpdateProcessing {
            id: sent.id,
            child_id: None,
            processing: Processing {
                involvement_id: Some(involvement),
                ..confirmed.clone()
            },
            expected_version: 2,
        }))
        .await;
    assert_conflict(stale, SUBMISSION_CHANGED);
    assert_eq!(
        ok(store.submission(sent.id).await).map(|s| s.processing),
        Some(imported)
    );
    let missing = store
        .commit(&Changes::new().with(Write::UpdateProcessing {
            id: send_domain::SubmissionId::from_uuid(Uuid::new_v4()),
            child_id: None,
            processing: confirmed,
            expected_version: 1,
        }))
        .await;
    assert_not_found(missing);
}

/// Two caseworkers acting on one submission at once: one wins.
pub async fn two_steps_on_one_submission_write_one(store: Arc<dyn Store>) {
    let (_, version) = published(&store, "Request an assessment").await;
    let parent = portal_account(&store, "sam@example.com").await;
    let amira = child(&store, "Amira", default_team()).await;
    let sent = submission(&version, None, parent, START);
    commit(
        &store,
        Changes::new().with(Write::InsertSubmission(sent.clone())),
    )
    .await;
    let step = |p: Processing| {
        Changes::new().with(Write::UpdateProcessing {
            id: sent.id,
            child_id: None,
            processing: p,
            expected_version: 1,
        })
    };
    let confirm = sent
        .processing
        .confirm(amira.id, staff(), START)
        .unwrap_or_else(|e| panic!("{e}"));
    let reject = sent
        .processing
        .reject("Not our area", staff(), START)
        .unwrap_or_else(|e| panic!("{e}"));
    let first = first_wins(
        race(&store, &step(confirm), &step(reject)).await,
        SUBMISSION_CHANGED,
    );
    let read = ok(store.submission(sent.id).await).unwrap_or_else(|| panic!("stored"));
    let expected = if first {
        ProcessingStatus::Matched
    } else {
        ProcessingStatus::Rejected
    };
    assert_eq!(read.processing.status, expected);
    assert_eq!(read.processing.version, 2);
}

/// The area lists open submissions oldest first, filtered by status, form,
/// team (of the proposed or record's child) and age; the counts are per status.
#[expect(
    clippy::too_many_lines,
    reason = "one scenario: each filter against the same submissions"
)]
pub async fn the_processing_area_filters_oldest_first_and_counts(store: Arc<dyn Store>) {
    let (form, version) = published(&store, "Request an assessment").await;
    let (_, other_version) = published(&store, "All about me").await;
    let parent = portal_account(&store, "sam@example.com").await;
    let amira = child(&store, "Amira", default_team()).await;
    let other_team = TeamId::from_uuid(Uuid::new_v4());
    commit(
        &store,
        Changes::new().with(Write::InsertTeam {
            team: send_store::Team {
                id: other_team,
                name: "North".to_owned(),
            },
            at: START,
        }),
    )
    .await;
    let north = child(&store, "Nia", other_team).await;
    let day = |n: i64| START + Duration::days(n);
    let mut newest = submission(&version, None, parent, day(3));
    newest.processing = Processing::arrived(Some((
        north.id,
        MatchResult {
            score: 90,
            verdict: Verdict::Likely,
            reasons: Vec::new(),
        },
    )));
    let oldest = submission(&version, None, parent, day(1));
    let on_record = submission(&other_version, Some(amira.id), parent, day(2));
    let mut rejected = submission(&version, None, parent, day(0));
    rejected.processing = rejected
        .processing
        .reject("Sent twice", staff(), day(0))
        .unwrap_or_else(|e| panic!("{e}"));
    for s in [&newest, &oldest, &on_record, &rejected] {
        commit(
            &store,
            Changes::new().with(Write::InsertSubmission(s.clone())),
        )
        .await;
    }
    let open = vec![
        ProcessingStatus::New,
        ProcessingStatus::Matched,
        ProcessingStatus::Suspense,
    ];
    let listed = |query: ProcessingQuery| {
        let store = store.clone();
        async move {
            ok(store.processing_queue(&query).await)
                .into_iter()
                .map(|s| s.id)
                .collect::<Vec<_>>()
        }
    };
    let base = ProcessingQuery {
        statuses: open.clone(),
        limit: 10,
        ..ProcessingQuery::default()
    };
    assert_eq!(
        listed(base.clone()).await,
        [oldest.id, on_record.id, newest.id],
        "open ones, oldest first"
    );
    assert_eq!(
        listed(ProcessingQuery {
            statuses: vec![ProcessingStatus::Suspense],
            ..base.clone()
        })
        .await,
        [oldest.id]
    );
    assert_eq!(
        listed(ProcessingQuery {
            statuses: Vec::new(),
            ..base.clone()
        })
        .await,
        [rejected.id, oldest.id, on_record.id, newest.id],
        "no status: all of them"
    );
    assert_eq!(
        listed(ProcessingQuery {
            form: Some(form.id),
            ..base.clone()
        })
        .await,
        [oldest.id, newest.id]
    );
    assert_eq!(
        listed(ProcessingQuery {
            team: Some(other_team),
            ..base.clone()
        })
        .await,
        [newest.id],
        "by the proposed child's team"
    );
    assert_eq!(
        listed(ProcessingQuery {
            team: Some(default_team()),
            ..base.clone()
        })
        .await,
        [on_record.id],
        "by the team of the child it was filled in for"
    );
    assert_eq!(
        listed(ProcessingQuery {
            submitted_before: Some(day(2)),
            ..base.clone()
        })
        .await,
        [oldest.id]
    );
    assert_eq!(
        listed(ProcessingQuery {
            limit: 1,
            ..base.clone()
        })
        .await,
        [oldest.id]
    );
    assert_eq!(
        ok(store.processing_counts().await),
        ProcessingCounts {
            new: 0,
            matched: 2,
            suspense: 1,
        }
    );
}

/// Each lookup finds its children (identifier, date of birth, folded surname
/// within the birth window, postcode), each child once, and no lookup given
/// finds nobody.
pub async fn match_candidates_come_from_each_lookup_once(store: Arc<dyn Store>) {
    let amira = born(
        &store,
        "Amira",
        "O’Brien-Khan",
        date!(2015 - 03 - 07),
        "WR1 2PG",
    )
    .await;
    let swapped = born(&store, "Bea", "Jones", date!(2015 - 07 - 03), "B1 1AA").await;
    let elder = born(
        &store,
        "Cal",
        "OBrien Khan",
        date!(2009 - 01 - 01),
        "B2 2BB",
    )
    .await;
    let neighbour = born(&store, "Dev", "Patel", date!(2012 - 05 - 05), "WR1 2PG").await;
    let mut with_nhs = born(&store, "Eli", "Smith", date!(2011 - 11 - 11), "B3 3CC").await;
    let expected_version = with_nhs.version;
    with_nhs.nhs_number =
        Some(send_domain::NhsNumber::parse("943 476 5919").unwrap_or_else(|e| panic!("{e}")));
    with_nhs.version += 1;
    commit(
        &store,
        Changes::new().with(Write::UpdateChild {
            child: with_nhs.clone(),
            expected_version,
        }),
    )
    .await;
    let find = |query: CandidateQuery| {
        let store = store.clone();
        async move { sorted(ids(&ok(store.match_candidates(&query).await))) }
    };
    let base = CandidateQuery {
        limit_per_lookup: 10,
        ..CandidateQuery::default()
    };
    assert_eq!(find(base.clone()).await, Vec::<ChildId>::new());
    assert_eq!(
        find(CandidateQuery {
            dates_of_birth: vec![date!(2015 - 03 - 07), date!(2015 - 07 - 03)],
            ..base.clone()
        })
        .await,
        sorted(vec![amira.id, swapped.id])
    );
    assert_eq!(
        find(CandidateQuery {
            surnames: vec!["obrienkhan".to_owned()],
            ..base.clone()
        })
        .await,
        sorted(vec![amira.id, elder.id]),
        "the surname is folded when the child is written"
    );
    assert_eq!(
        find(CandidateQuery {
            surnames: vec!["obrienkhan".to_owned()],
            born_between: Some((date!(2014 - 03 - 07), date!(2016 - 03 - 07))),
            ..base.clone()
        })
        .await,
        [amira.id],
        "within the birth window"
    );
    assert_eq!(
        find(CandidateQuery {
            postcode: Some(Postcode::parse("wr1 2pg").unwrap_or_else(|e| panic!("{e}"))),
            dates_of_birth: vec![date!(2015 - 03 - 07)],
            ..base.clone()
        })
        .await,
        sorted(vec![amira.id, neighbour.id]),
        "found by two lookups, listed once"
    );
    assert_eq!(
        find(CandidateQuery {
            nhs_number: with_nhs.nhs_number.clone(),
            ..base.clone()
        })
        .await,
        [with_nhs.id]
    );
    assert_eq!(
        ok(store
            .match_candidates(&CandidateQuery {
                postcode: Postcode::parse("WR1 2PG").ok(),
                limit_per_lookup: 1,
                ..CandidateQuery::default()
            })
            .await)
        .len(),
        1,
        "at most the limit from each lookup"
    );
}

/// A surname with more children in the birth window than the limit gives those
/// born nearest the middle of the window, half on either side, never the ones
/// at its ends; without a window, the youngest up to the limit.
pub async fn a_common_surname_gives_the_births_nearest_the_date_first(store: Arc<dyn Store>) {
    let on = date!(2015 - 03 - 07);
    let mut smiths = Vec::new();
    for (first, days) in [
        ("Far", -300),
        ("Near", -10),
        ("Exact", 0),
        ("After", 12),
        ("Later", 200),
        ("Last", 350),
    ] {
        smiths.push(born(&store, first, "Smith", on + Duration::days(days), "B1 1AA").await);
    }
    let [far, near, exact, after, later, last] = [0, 1, 2, 3, 4, 5].map(|i| smiths[i].id);
    let find = |limit_per_lookup: u32, born_between: Option<(Date, Date)>| {
        let store = store.clone();
        async move {
            sorted(ids(&ok(store
                .match_candidates(&CandidateQuery {
                    surnames: vec!["smith".to_owned()],
                    born_between,
                    limit_per_lookup,
                    ..CandidateQuery::default()
                })
                .await)))
        }
    };
    let window = Some((on - Duration::days(366), on + Duration::days(366)));
    assert_eq!(find(2, window).await, sorted(vec![exact, after]));
    assert_eq!(
        find(4, window).await,
        sorted(vec![near, exact, after, later])
    );
    assert_eq!(
        find(10, window).await,
        sorted(vec![far, near, exact, after, later, last])
    );
    assert_eq!(
        find(3, None).await,
        sorted(vec![after, later, last]),
        "without a window, the youngest"
    );
}

/// The family contacts of several children come back in one read.
pub async fn family_contacts_of_several_children_are_read_together(store: Arc<dyn Store>) {
    let amira = child(&store, "Amira", default_team()).await;
    let bea = child(&store, "Bea", default_team()).await;
    let cal = child(&store, "Cal", default_team()).await;
    let contact = |child: ChildId, name: &str| FamilyContact {
        id: ContactId::from_uuid(Uuid::new_v4()),
        child_id: child,
        name: PersonName::parse(name).unwrap_or_else(|e| panic!("{e}")),
        relationship: send_domain::ShortText::parse("Mother", "relationship")
            .unwrap_or_else(|e| panic!("{e}")),
        email: None,
        phone: None,
        parental_responsibility: true,
    };
    for c in [
        contact(amira.id, "Sara Khan"),
        contact(bea.id, "Bo Jones"),
        contact(cal.id, "Cy Lee"),
    ] {
        commit(&store, Changes::new().with(Write::SaveContact(c))).await;
    }
    let found = ok(store.family_contacts_of(&[amira.id, bea.id]).await);
    let mut names: Vec<String> = found.iter().map(|c| c.name.to_string()).collect();
    names.sort();
    assert_eq!(names, ["Bo Jones", "Sara Khan"]);
    assert!(ok(store.family_contacts_of(&[]).await).is_empty());
}

/// Every child written has its folded surname; indexing writes one for a
/// child that lacks it, and a missing child is not found.
pub async fn children_are_indexed_for_matching(store: Arc<dyn Store>) {
    let amira = child(&store, "Amira", default_team()).await;
    assert!(
        ok(store.children_to_index(10).await).is_empty(),
        "written with the child"
    );
    commit(
        &store,
        Changes::new().with(Write::IndexChildName {
            id: amira.id,
            surname: "renamed".to_owned(),
        }),
    )
    .await;
    let found = ok(store
        .match_candidates(&CandidateQuery {
            surnames: vec!["renamed".to_owned()],
            limit_per_lookup: 10,
            ..CandidateQuery::default()
        })
        .await);
    assert_eq!(ids(&found), [amira.id], "found by the indexed surname");
    let missing = store
        .commit(&Changes::new().with(Write::IndexChildName {
            id: ChildId::from_uuid(Uuid::new_v4()),
            surname: "x".to_owned(),
        }))
        .await;
    assert_not_found(missing);
}

/// Of many children born on one date, those whose surname starts with the
/// asked surname's letter come first, so a mistyped surname is still found.
pub async fn a_date_of_birth_gives_the_surnames_with_the_same_initial_first(store: Arc<dyn Store>) {
    let day = date!(2016 - 03 - 14);
    for last in ["Adams", "Baker", "Clark"] {
        born(&store, "Other", last, day, "B1 1AA").await;
    }
    let khan = born(&store, "Amira", "Khan", day, "B1 1AA").await;
    let found = ok(store
        .match_candidates(&CandidateQuery {
            dates_of_birth: vec![day],
            surnames: vec!["kahn".to_owned()],
            limit_per_lookup: 1,
            ..CandidateQuery::default()
        })
        .await);
    assert!(
        found.iter().any(|c| c.id == khan.id),
        "a K surname first for \"kahn\": {found:?}"
    );
}
