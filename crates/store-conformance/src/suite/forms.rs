//! Conformance cases for forms: a form's working copy and its published
//! versions read back exactly (definitions and answers are JSON the store never
//! looks inside), the version guard on the working copy, built-in codes, the
//! live versions, forms given to children (withdrawn once, completed by the
//! first submission), saved answers (one per form, child or none, and author)
//! and submissions found by their filters. A refused write writes nothing of
//! what came with it (the other writes of its unit, the audit events, the
//! emails).

use std::collections::BTreeMap;
use std::sync::Arc;

use send_domain::forms::{
    Answer, Answers, AssignedTo, Audience, Branch, Condition, DateLimit, Destination, Form,
    FormAssignment, FormDefinition, FormDraft, FormVersion, Page, PageKey, Question, QuestionKey,
    QuestionKind, Submission, Test,
};
use send_domain::incoming_forms::Processing;
use send_domain::{
    AuditAction, ChildId, DEFAULT_TEAM, FormAssignmentId, FormId, PortalRole, SubmissionId, UserId,
};
use send_store::{Changes, Effects, FORM_CHANGED, Store, SubmissionQuery, Write};
use time::macros::date;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::documents::{START, child, effects, portal_account, staff};
use super::support::{
    assert_conflict, assert_not_found, commit, first_wins, ids_of, ok, race, written,
};

fn question(key: &str, text: &str, kind: QuestionKind) -> Question {
    Question {
        key: QuestionKey::new(key),
        text: text.to_owned(),
        hint: None,
        required: true,
        kind,
        show_when: None,
    }
}

fn is(question: &str, value: &str) -> Condition {
    Condition {
        question: QuestionKey::new(question),
        test: Test::Is {
            value: value.to_owned(),
        },
    }
}

/// A definition titled `title` with two pages: a yes or no question (with a
/// hint, and a branch to the end on "No"), then a page shown only after "Yes"
/// with a date and a number.
fn definition(title: &str) -> FormDefinition {
    let mut definition = FormDefinition::new(title);
    definition
        .description
        .push_str("Tell us about your child’s “school” – in your own words.");
    definition.audiences = vec![Audience::Families, Audience::Professionals];
    definition.pages = vec![
        Page {
            key: PageKey::new("school"),
            heading: None,
            questions: vec![Question {
                hint: Some("As on the admission letter".to_owned()),
                ..question("moved", "Has your child moved school?", QuestionKind::YesNo)
            }],
            show_when: None,
            branches: vec![Branch {
                when: is("moved", "No"),
                to: Destination::End,
            }],
        },
        Page {
            key: PageKey::new("details"),
            heading: Some("About the move".to_owned()),
            questions: vec![
                question(
                    "moved_on",
                    "When did they move?",
                    QuestionKind::Date {
                        limit: DateLimit::PastOrToday,
                    },
                ),
                question(
                    "days_missed",
                    "How many days of school did they miss?",
                    QuestionKind::Number {
                        whole: false,
                        min: Some(0.0),
                        max: None,
                    },
                ),
            ],
            show_when: Some(is("moved", "Yes")),
            branches: Vec::new(),
        },
    ];
    definition
}

/// Answers to [`definition`], with `note` as a text answer.
fn answers(note: &str) -> Answers {
    Answers(BTreeMap::from([
        (QuestionKey::new("moved"), Answer::YesNo(true)),
        (
            QuestionKey::new("moved_on"),
            Answer::Date(date!(2026 - 09 - 01)),
        ),
        (QuestionKey::new("days_missed"), Answer::Number(2.5)),
        (QuestionKey::new("note"), Answer::Text(note.to_owned())),
    ]))
}

/// A form titled `title`, never published, not yet written.
fn new_form(title: &str) -> Form {
    Form {
        id: FormId::from_uuid(Uuid::new_v4()),
        draft: definition(title),
        version: 1,
        live_version: None,
        approval_requested: None,
        retired_at: None,
        builtin: None,
        created_by: staff(),
        created_at: START,
        updated_at: START,
    }
}

/// `form`'s working copy as its version `number`, published at `at`.
fn version_of(form: &Form, number: u32, at: OffsetDateTime) -> FormVersion {
    FormVersion {
        form_id: form.id,
        number,
        definition: form.draft.clone(),
        published_by: staff(),
        published_at: at,
    }
}

/// A form titled `title`, stored with its working copy published as its live
/// version 1.
pub(super) async fn published(store: &Arc<dyn Store>, title: &str) -> (Form, FormVersion) {
    let form = Form {
        live_version: Some(1),
        ..new_form(title)
    };
    let version = version_of(&form, 1, START);
    commit(
        store,
        Changes::new()
            .with(Write::InsertForm(form.clone()))
            .with(Write::InsertFormVersion(version.clone())),
    )
    .await;
    (form, version)
}

async fn insert_form(store: &Arc<dyn Store>, form: &Form) {
    commit(store, Changes::new().with(Write::InsertForm(form.clone()))).await;
}

async fn stored(store: &Arc<dyn Store>, id: FormId) -> Option<Form> {
    ok(store.form(id).await)
}

/// A change of a form's working copy from `expected_version`, with its effects.
fn change(form: &Form, expected_version: u32, effects: &Effects) -> Changes {
    Changes::new()
        .with(Write::UpdateForm {
            form: form.clone(),
            expected_version,
        })
        .with_effects(effects.clone())
}

/// `form` given to `child`'s portal users at `at`, due in three weeks.
pub(super) fn assignment(
    form: FormId,
    child: ChildId,
    to: AssignedTo,
    at: OffsetDateTime,
) -> FormAssignment {
    FormAssignment {
        id: FormAssignmentId::from_uuid(Uuid::new_v4()),
        form_id: form,
        child_id: child,
        to,
        due: Some(date!(2026 - 12 - 14)),
        assigned_by: staff(),
        assigned_at: at,
        completed_by: None,
        withdrawn_at: None,
    }
}

async fn stored_assignment(store: &Arc<dyn Store>, id: FormAssignmentId) -> Option<FormAssignment> {
    ok(store.form_assignment(id).await)
}

/// `author`'s answers to `version` (about `child`, or none), started an hour
/// before they were saved at `at`.
pub(super) fn draft(
    version: &FormVersion,
    child: Option<ChildId>,
    author: UserId,
    at: OffsetDateTime,
) -> FormDraft {
    FormDraft {
        form_id: version.form_id,
        child_id: child,
        author,
        version_number: version.number,
        answers: answers("Saved to finish later"),
        assignment_id: None,
        started_at: at - Duration::hours(1),
        saved_at: at,
    }
}

/// A submission of `version` by `by` at `at`, with a new reference.
pub(super) fn submission(
    version: &FormVersion,
    child: Option<ChildId>,
    by: UserId,
    at: OffsetDateTime,
) -> Submission {
    let reference = Uuid::new_v4().simple().to_string()[..8].to_uppercase();
    Submission {
        id: SubmissionId::from_uuid(Uuid::new_v4()),
        reference: format!("FRM-{reference}"),
        form_id: version.form_id,
        version_number: version.number,
        title: version.definition.title.clone(),
        child_id: child,
        assignment_id: None,
        submitted_by: by,
        answers: answers("Submitted – “with care”"),
        submitted_at: at,
        processing: match child {
            Some(child) => Processing::on_record(child),
            None => Processing::arrived(None),
        },
    }
}

/// Every field of a form, its working copy included, reads back exactly; forms
/// are listed by title.
pub async fn a_form_round_trips_with_its_working_copy(store: Arc<dyn Store>) {
    let bare = new_form("Transport request");
    let full = Form {
        version: 7,
        live_version: Some(3),
        approval_requested: Some((staff(), START + Duration::hours(2))),
        retired_at: Some(START + Duration::days(3)),
        builtin: Some("annual_review".to_owned()),
        updated_at: START + Duration::days(3),
        ..new_form("Annual review – “what’s working”")
    };
    commit(
        &store,
        Changes::new()
            .with(Write::InsertForm(bare.clone()))
            .with(Write::InsertForm(full.clone())),
    )
    .await;

    assert_eq!(stored(&store, bare.id).await, Some(bare.clone()));
    assert_eq!(stored(&store, full.id).await, Some(full.clone()));
    assert_eq!(ok(store.forms().await), vec![full, bare], "by title");
    assert_eq!(
        stored(&store, FormId::from_uuid(Uuid::new_v4())).await,
        None
    );
}

/// A change of the working copy from the version stored writes it and moves the
/// version on; from a stale version it is a conflict and nothing of its unit is
/// written; of a missing form it is not found.
pub async fn updating_a_form_moves_its_version_on_and_a_stale_one_writes_nothing(
    store: Arc<dyn Store>,
) {
    let form = new_form("Annual review");
    let other = new_form("Behaviour support plan");
    insert_form(&store, &form).await;
    insert_form(&store, &other).await;

    let changed = Form {
        draft: definition("Year 9 review"),
        version: 2,
        approval_requested: Some((staff(), START + Duration::hours(1))),
        updated_at: START + Duration::hours(1),
        ..form.clone()
    };
    let done = commit(&store, change(&changed, 1, &Effects::default())).await;
    assert_eq!(done.rows, vec![1]);
    assert_eq!(
        stored(&store, form.id).await,
        Some(changed.clone()),
        "the working copy and approval request written, version 2"
    );
    let by_title: Vec<FormId> = ok(store.forms().await).iter().map(|f| f.id).collect();
    assert_eq!(by_title, vec![other.id, form.id], "listed by the new title");

    let ben = child(&store, "Ben", DEFAULT_TEAM.0).await;
    let given = assignment(
        other.id,
        ben.id,
        AssignedTo::EveryoneLinked,
        START + Duration::hours(2),
    );
    let stale = Form {
        draft: definition("Written over"),
        version: 2,
        retired_at: Some(START + Duration::hours(2)),
        updated_at: START + Duration::hours(2),
        ..form.clone()
    };
    let stale_effects = effects(START + Duration::hours(2), AuditAction::FormChanged);
    let before = written(&store).await;
    assert_conflict(
        store
            .commit(
                &Changes::new()
                    .with(Write::InsertFormAssignment(given.clone()))
                    .with(Write::UpdateForm {
                        form: stale,
                        expected_version: 1,
                    })
                    .with_effects(stale_effects),
            )
            .await,
        FORM_CHANGED,
    );
    assert_eq!(
        stored(&store, form.id).await,
        Some(changed),
        "the stale change wrote nothing"
    );
    assert_eq!(
        stored_assignment(&store, given.id).await,
        None,
        "nor the assignment before it in its unit"
    );
    assert_eq!(
        written(&store).await,
        before,
        "nor its audit event or email"
    );

    let missing = Form {
        version: 2,
        ..new_form("Nowhere")
    };
    assert_not_found(
        store
            .commit(&change(&missing, 1, &Effects::default()))
            .await,
    );
    assert_eq!(stored(&store, missing.id).await, None);
}

/// Two builders saving the same version of one form at once: exactly one
/// change is written (version 2, its audit event and email) and the other is a
/// conflict, on each database.
pub async fn two_edits_of_one_form_version_write_one(store: Arc<dyn Store>) {
    let form = new_form("Annual review");
    insert_form(&store, &form).await;

    let at = START + Duration::days(1);
    let by_priya = Form {
        draft: definition("Annual review (Priya’s)"),
        version: 2,
        updated_at: at,
        ..form.clone()
    };
    let by_sam = Form {
        draft: definition("Annual review (Sam’s)"),
        version: 2,
        approval_requested: Some((staff(), at)),
        updated_at: at + Duration::minutes(1),
        ..form.clone()
    };
    let priya = effects(at, AuditAction::FormChanged);
    let sam = effects(at, AuditAction::FormChanged);
    let results = race(
        &store,
        &change(&by_priya, 1, &priya),
        &change(&by_sam, 1, &sam),
    )
    .await;
    let (winner, winner_effects, loser) = if first_wins(results, FORM_CHANGED) {
        (by_priya, priya, by_sam)
    } else {
        (by_sam, sam, by_priya)
    };

    assert_eq!(
        stored(&store, form.id).await,
        Some(winner.clone()),
        "the winner's, version 2"
    );
    assert_eq!(written(&store).await, ids_of(&[&winner_effects]));

    // The loser's change, made again from the version it read, is refused
    // again; made from the winner's version, it is written.
    assert_conflict(
        store.commit(&change(&loser, 1, &Effects::default())).await,
        FORM_CHANGED,
    );
    let again = Form {
        version: 3,
        ..loser
    };
    commit(&store, change(&again, 2, &Effects::default())).await;
    assert_eq!(stored(&store, form.id).await, Some(again));
}

/// A built-in form is stored once per code: a second copy of the same code is
/// a conflict and writes nothing; forms that are no built-in are not limited.
pub async fn a_builtin_form_is_stored_once(store: Arc<dyn Store>) {
    let builtin = Form {
        builtin: Some("ehc_needs_assessment_request".to_owned()),
        ..new_form("Request an EHC needs assessment")
    };
    insert_form(&store, &builtin).await;

    let again = Form {
        builtin: Some("ehc_needs_assessment_request".to_owned()),
        ..new_form("Request an EHC needs assessment")
    };
    let before = written(&store).await;
    assert_conflict(
        store
            .commit(
                &Changes::new()
                    .with(Write::InsertForm(again.clone()))
                    .with_effects(effects(START, AuditAction::FormCreated)),
            )
            .await,
        "forms_builtin",
    );
    assert_eq!(stored(&store, again.id).await, None);
    assert_eq!(
        written(&store).await,
        before,
        "nor its audit event or email"
    );

    let ours = new_form("Our own form");
    let also_ours = new_form("Our own form");
    insert_form(&store, &ours).await;
    insert_form(&store, &also_ours).await;

    assert_eq!(
        ok(store.form_by_builtin("ehc_needs_assessment_request").await),
        Some(builtin.clone())
    );
    assert_eq!(ok(store.form_by_builtin("annual_review").await), None);
    let mut all: Vec<FormId> = ok(store.forms().await).iter().map(|f| f.id).collect();
    all.sort_unstable();
    let mut expected = vec![builtin.id, ours.id, also_ours.id];
    expected.sort_unstable();
    assert_eq!(all, expected);
}

/// A form's versions are listed by number whatever order they were published
/// in; a number is taken once; changing the working copy leaves every
/// published version as it was.
pub async fn form_versions_are_listed_in_order_and_never_change(store: Arc<dyn Store>) {
    let form = new_form("Annual review");
    let other = new_form("Behaviour support plan");
    let first = version_of(&form, 1, START + Duration::hours(1));
    let second = version_of(
        &Form {
            draft: definition("Annual review, second edition"),
            ..form.clone()
        },
        2,
        START + Duration::hours(2),
    );
    let others = version_of(&other, 1, START + Duration::hours(3));
    commit(
        &store,
        Changes::new()
            .with(Write::InsertForm(form.clone()))
            .with(Write::InsertForm(other.clone()))
            .with(Write::InsertFormVersion(second.clone()))
            .with(Write::InsertFormVersion(others.clone()))
            .with(Write::InsertFormVersion(first.clone())),
    )
    .await;

    let versions = || async { ok(store.form_versions(form.id).await) };
    assert_eq!(versions().await, vec![first.clone(), second.clone()]);
    assert_eq!(ok(store.form_versions(other.id).await), vec![others]);
    assert_eq!(
        ok(store.form_version(form.id, 2).await),
        Some(second.clone())
    );
    assert_eq!(ok(store.form_version(form.id, 3).await), None);
    assert_eq!(ok(store.form_version(other.id, 2).await), None);

    let clash = FormVersion {
        definition: definition("Published twice"),
        ..version_of(&form, 2, START + Duration::hours(4))
    };
    let before = written(&store).await;
    assert_conflict(
        store
            .commit(
                &Changes::new()
                    .with(Write::InsertFormVersion(clash))
                    .with_effects(effects(START, AuditAction::FormPublished)),
            )
            .await,
        "form_versions_number",
    );
    assert_eq!(
        written(&store).await,
        before,
        "nor its audit event or email"
    );

    let edited = Form {
        draft: definition("Annual review, third edition"),
        version: 2,
        live_version: Some(2),
        updated_at: START + Duration::hours(5),
        ..form.clone()
    };
    commit(&store, change(&edited, 1, &Effects::default())).await;
    assert_eq!(
        versions().await,
        vec![first, second],
        "the published versions are as they were"
    );
}

/// The live versions are each form's version numbered `live_version`, by
/// title, leaving out retired forms and forms never published.
pub async fn live_form_versions_leave_out_retired_and_unpublished_forms(store: Arc<dyn Store>) {
    let feedback = Form {
        live_version: Some(1),
        ..new_form("Decision feedback")
    };
    let feedback_v1 = version_of(&feedback, 1, START);
    let review = Form {
        live_version: Some(2),
        ..new_form("Annual review")
    };
    let review_v1 = version_of(&review, 1, START);
    let review_v2 = FormVersion {
        definition: definition("Annual review"),
        ..version_of(&review, 2, START + Duration::hours(1))
    };
    let never = new_form("Behaviour support plan");
    let retired = Form {
        live_version: Some(1),
        retired_at: Some(START + Duration::days(1)),
        ..new_form("Change of school")
    };
    let retired_v1 = version_of(&retired, 1, START);
    commit(
        &store,
        Changes::new()
            .with(Write::InsertForm(feedback))
            .with(Write::InsertFormVersion(feedback_v1.clone()))
            .with(Write::InsertForm(review))
            .with(Write::InsertFormVersion(review_v1))
            .with(Write::InsertFormVersion(review_v2.clone()))
            .with(Write::InsertForm(never))
            .with(Write::InsertForm(retired))
            .with(Write::InsertFormVersion(retired_v1)),
    )
    .await;

    assert_eq!(
        ok(store.live_form_versions().await),
        vec![review_v2, feedback_v1]
    );
}

/// Forms given to children read back with whom they are to, newest first per
/// list of children (withdrawn ones too); withdrawing keeps the first time,
/// and withdrawing a missing one is not found.
pub async fn forms_are_given_to_children_and_withdrawn_once(store: Arc<dyn Store>) {
    let (form, _) = published(&store, "Annual review").await;
    let ben = child(&store, "Ben", DEFAULT_TEAM.0).await;
    let chloe = child(&store, "Chloe", DEFAULT_TEAM.0).await;
    let dan = child(&store, "Dan", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;

    let everyone = assignment(
        form.id,
        ben.id,
        AssignedTo::EveryoneLinked,
        START + Duration::hours(1),
    );
    let parents = FormAssignment {
        due: None,
        ..assignment(
            form.id,
            ben.id,
            AssignedTo::Role(PortalRole::Parent),
            START + Duration::hours(2),
        )
    };
    let one = assignment(
        form.id,
        chloe.id,
        AssignedTo::Person(parent),
        START + Duration::hours(3),
    );
    let done = commit(
        &store,
        Changes::new()
            .with(Write::InsertFormAssignment(parents.clone()))
            .with(Write::InsertFormAssignment(one.clone()))
            .with(Write::InsertFormAssignment(everyone.clone())),
    )
    .await;
    assert_eq!(done.rows, vec![1, 1, 1]);

    for given in [&everyone, &parents, &one] {
        assert_eq!(
            stored_assignment(&store, given.id).await.as_ref(),
            Some(given)
        );
    }
    let for_children = |children: Vec<ChildId>| {
        let store = store.clone();
        async move { ok(store.form_assignments_for_children(&children).await) }
    };
    assert_eq!(
        for_children(vec![ben.id, chloe.id]).await,
        vec![one.clone(), parents.clone(), everyone.clone()]
    );
    assert_eq!(for_children(vec![chloe.id]).await, vec![one]);
    assert_eq!(for_children(vec![dan.id]).await, Vec::new());
    assert_eq!(for_children(Vec::new()).await, Vec::new());

    let first_time = START + Duration::days(1);
    let done = commit(
        &store,
        Changes::new().with(Write::WithdrawFormAssignment {
            id: everyone.id,
            at: first_time,
        }),
    )
    .await;
    assert_eq!(done.rows, vec![1]);
    commit(
        &store,
        Changes::new().with(Write::WithdrawFormAssignment {
            id: everyone.id,
            at: first_time + Duration::days(1),
        }),
    )
    .await;
    let withdrawn = FormAssignment {
        withdrawn_at: Some(first_time),
        ..everyone
    };
    assert_eq!(
        stored_assignment(&store, withdrawn.id).await,
        Some(withdrawn.clone()),
        "withdrawn at the first time"
    );
    assert_eq!(
        for_children(vec![ben.id]).await,
        vec![parents, withdrawn],
        "withdrawn ones are listed too"
    );

    assert_not_found(
        store
            .commit(&Changes::new().with(Write::WithdrawFormAssignment {
                id: FormAssignmentId::from_uuid(Uuid::new_v4()),
                at: first_time,
            }))
            .await,
    );
}

/// The first submission completes an assignment; a second one is stored but
/// leaves it (0 rows); completing a missing assignment is not found and writes
/// nothing of its unit.
pub async fn a_form_assignment_is_completed_by_the_first_submission(store: Arc<dyn Store>) {
    let (form, version) = published(&store, "Annual review").await;
    let ben = child(&store, "Ben", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let given = assignment(
        form.id,
        ben.id,
        AssignedTo::EveryoneLinked,
        START + Duration::hours(1),
    );
    commit(
        &store,
        Changes::new().with(Write::InsertFormAssignment(given.clone())),
    )
    .await;

    let submit = |at: OffsetDateTime| Submission {
        assignment_id: Some(given.id),
        ..submission(&version, Some(ben.id), parent, at)
    };
    let complete = |submission: &Submission| {
        Changes::new()
            .with(Write::InsertSubmission(submission.clone()))
            .with(Write::CompleteFormAssignment {
                id: given.id,
                submission: submission.id,
            })
    };
    let first = submit(START + Duration::hours(2));
    let second = submit(START + Duration::hours(3));
    assert_eq!(commit(&store, complete(&first)).await.rows, vec![1, 1]);
    assert_eq!(
        commit(&store, complete(&second)).await.rows,
        vec![1, 0],
        "the second submission is stored and the assignment left as it was"
    );
    assert_eq!(
        stored_assignment(&store, given.id).await,
        Some(FormAssignment {
            completed_by: Some(first.id),
            ..given.clone()
        })
    );
    assert_eq!(ok(store.submission(second.id).await), Some(second));

    let third = submit(START + Duration::hours(4));
    assert_not_found(
        store
            .commit(
                &Changes::new()
                    .with(Write::InsertSubmission(third.clone()))
                    .with(Write::CompleteFormAssignment {
                        id: FormAssignmentId::from_uuid(Uuid::new_v4()),
                        submission: third.id,
                    }),
            )
            .await,
    );
    assert_eq!(
        ok(store.submission(third.id).await),
        None,
        "the submission before it in its unit was not written"
    );
}

/// Saving answers again replaces the ones saved for the same form, child and
/// author, with no child counting as one child of its own (on both databases);
/// a person's saved answers are listed latest saved first, a child's by
/// everyone.
pub async fn saved_form_answers_are_one_per_form_child_and_author(store: Arc<dyn Store>) {
    let (form, version) = published(&store, "Annual review").await;
    let (alone, alone_version) = published(&store, "Request an EHC needs assessment").await;
    let ben = child(&store, "Ben", DEFAULT_TEAM.0).await;
    let chloe = child(&store, "Chloe", DEFAULT_TEAM.0).await;
    let sam = staff();
    let ade = staff();

    let hour = |n: i64| START + Duration::hours(n);
    let sams_ben = draft(&version, Some(ben.id), sam, hour(1));
    let sams_alone = draft(&alone_version, None, sam, hour(2));
    let ades_ben = draft(&version, Some(ben.id), ade, hour(3));
    let sams_chloe = draft(&version, Some(chloe.id), sam, hour(4));
    let done = commit(
        &store,
        Changes::new()
            .with(Write::SaveFormDraft(sams_ben.clone()))
            .with(Write::SaveFormDraft(sams_alone.clone()))
            .with(Write::SaveFormDraft(ades_ben.clone()))
            .with(Write::SaveFormDraft(sams_chloe.clone())),
    )
    .await;
    assert_eq!(done.rows, vec![1, 1, 1, 1]);

    let given = assignment(form.id, ben.id, AssignedTo::EveryoneLinked, hour(4));
    let sams_ben_again = FormDraft {
        answers: answers("Changed my mind – “twice”"),
        assignment_id: Some(given.id),
        saved_at: hour(5),
        ..sams_ben
    };
    let sams_alone_again = FormDraft {
        answers: answers("Later"),
        saved_at: hour(6),
        ..sams_alone
    };
    let done = commit(
        &store,
        Changes::new()
            .with(Write::InsertFormAssignment(given))
            .with(Write::SaveFormDraft(sams_ben_again.clone()))
            .with(Write::SaveFormDraft(sams_alone_again.clone())),
    )
    .await;
    assert_eq!(done.rows, vec![1, 1, 1]);

    let saved = |form: FormId, child: Option<ChildId>, author: UserId| {
        let store = store.clone();
        async move { ok(store.form_draft(form, child, author).await) }
    };
    assert_eq!(
        saved(form.id, Some(ben.id), sam).await,
        Some(sams_ben_again.clone())
    );
    assert_eq!(
        saved(alone.id, None, sam).await,
        Some(sams_alone_again.clone())
    );
    assert_eq!(
        saved(form.id, Some(ben.id), ade).await,
        Some(ades_ben.clone())
    );
    assert_eq!(
        saved(form.id, None, sam).await,
        None,
        "no child is no child"
    );
    assert_eq!(saved(alone.id, Some(ben.id), sam).await, None);

    assert_eq!(
        ok(store.form_drafts_by(sam).await),
        vec![sams_alone_again, sams_ben_again.clone(), sams_chloe.clone()],
        "one each, latest saved first"
    );
    assert_eq!(ok(store.form_drafts_by(ade).await), vec![ades_ben.clone()]);
    assert_eq!(
        ok(store.form_drafts_for_child(ben.id).await),
        vec![sams_ben_again, ades_ben]
    );
    assert_eq!(
        ok(store.form_drafts_for_child(chloe.id).await),
        vec![sams_chloe]
    );
}

/// Saved answers are deleted by form, child (or none) and author; deleting
/// what was never saved is not found and writes nothing of its unit.
pub async fn saved_form_answers_are_deleted_and_nothing_saved_is_not_found(store: Arc<dyn Store>) {
    let (form, version) = published(&store, "Annual review").await;
    let (alone, alone_version) = published(&store, "Request an EHC needs assessment").await;
    let ben = child(&store, "Ben", DEFAULT_TEAM.0).await;
    let sam = staff();
    let sams_ben = draft(&version, Some(ben.id), sam, START + Duration::hours(1));
    let sams_alone = draft(&alone_version, None, sam, START + Duration::hours(2));
    commit(
        &store,
        Changes::new()
            .with(Write::SaveFormDraft(sams_ben.clone()))
            .with(Write::SaveFormDraft(sams_alone.clone())),
    )
    .await;
    let delete = |form: FormId, child: Option<ChildId>| {
        Changes::new().with(Write::DeleteFormDraft {
            form,
            child,
            author: sam,
        })
    };

    // Submitting with nothing saved: the submission and its effects are not
    // written either.
    let submitted = submission(&version, None, sam, START + Duration::hours(3));
    let before = written(&store).await;
    assert_not_found(
        store
            .commit(
                &Changes::new()
                    .with(Write::InsertSubmission(submitted.clone()))
                    .with(Write::DeleteFormDraft {
                        form: form.id,
                        child: None,
                        author: sam,
                    })
                    .with_effects(effects(START, AuditAction::FormSubmitted)),
            )
            .await,
    );
    assert_eq!(ok(store.submission(submitted.id).await), None);
    assert_eq!(written(&store).await, before);
    assert_not_found(store.commit(&delete(alone.id, Some(ben.id))).await);
    assert_eq!(
        ok(store.form_drafts_by(sam).await),
        vec![sams_alone, sams_ben],
        "nothing was deleted"
    );

    assert_eq!(commit(&store, delete(alone.id, None)).await.rows, vec![1]);
    assert_eq!(
        commit(&store, delete(form.id, Some(ben.id))).await.rows,
        vec![1]
    );
    assert_eq!(ok(store.form_drafts_by(sam).await), Vec::new());
    assert_not_found(store.commit(&delete(alone.id, None)).await);
}

/// Submissions read back exactly and are found by form, child and submitter
/// (every filter given), newest first, at most the limit.
pub async fn form_submissions_are_found_by_filters_newest_first(store: Arc<dyn Store>) {
    let (review, review_version) = published(&store, "Annual review").await;
    let (request, request_version) = published(&store, "Request an EHC needs assessment").await;
    let ben = child(&store, "Ben", DEFAULT_TEAM.0).await;
    let chloe = child(&store, "Chloe", DEFAULT_TEAM.0).await;
    let sam = staff();
    let ade = staff();
    let given = assignment(review.id, ben.id, AssignedTo::EveryoneLinked, START);

    let hour = |n: i64| START + Duration::hours(n);
    let first = Submission {
        assignment_id: Some(given.id),
        ..submission(&review_version, Some(ben.id), sam, hour(1))
    };
    let second = submission(&review_version, Some(chloe.id), ade, hour(2));
    let third = submission(&request_version, None, sam, hour(3));
    let fourth = submission(&review_version, Some(ben.id), ade, hour(4));
    commit(
        &store,
        Changes::new()
            .with(Write::InsertFormAssignment(given))
            .with(Write::InsertSubmission(third.clone()))
            .with(Write::InsertSubmission(first.clone()))
            .with(Write::InsertSubmission(fourth.clone()))
            .with(Write::InsertSubmission(second.clone())),
    )
    .await;

    assert_eq!(ok(store.submission(first.id).await), Some(first.clone()));
    assert_eq!(ok(store.submission(third.id).await), Some(third.clone()));
    assert_eq!(
        ok(store
            .submission(SubmissionId::from_uuid(Uuid::new_v4()))
            .await),
        None
    );

    let find = |query: SubmissionQuery| {
        let store = store.clone();
        async move {
            ok(store.submissions(&query).await)
                .into_iter()
                .map(|s| s.id)
                .collect::<Vec<_>>()
        }
    };
    let all = SubmissionQuery {
        limit: 10,
        ..SubmissionQuery::default()
    };
    assert_eq!(
        find(all.clone()).await,
        vec![fourth.id, third.id, second.id, first.id]
    );
    assert_eq!(
        find(SubmissionQuery {
            form: Some(review.id),
            ..all.clone()
        })
        .await,
        vec![fourth.id, second.id, first.id]
    );
    assert_eq!(
        find(SubmissionQuery {
            child: Some(ben.id),
            ..all.clone()
        })
        .await,
        vec![fourth.id, first.id]
    );
    assert_eq!(
        find(SubmissionQuery {
            submitted_by: Some(sam),
            ..all.clone()
        })
        .await,
        vec![third.id, first.id]
    );
    assert_eq!(
        find(SubmissionQuery {
            form: Some(review.id),
            child: Some(ben.id),
            submitted_by: Some(ade),
            ..all.clone()
        })
        .await,
        vec![fourth.id]
    );
    assert_eq!(
        find(SubmissionQuery {
            form: Some(request.id),
            child: Some(ben.id),
            ..all.clone()
        })
        .await,
        Vec::new()
    );
    assert_eq!(
        find(SubmissionQuery { limit: 2, ..all }).await,
        vec![fourth.id, third.id]
    );
}

/// A reference is given once: a second submission with it is a conflict, and
/// nothing of its unit is written (the saved answers it removed are still
/// there, its audit event and email are not).
pub async fn a_taken_form_submission_reference_is_a_conflict_and_writes_nothing(
    store: Arc<dyn Store>,
) {
    let (form, version) = published(&store, "Annual review").await;
    let ben = child(&store, "Ben", DEFAULT_TEAM.0).await;
    let sam = staff();
    let first = submission(&version, Some(ben.id), sam, START + Duration::hours(1));
    let saved = draft(&version, Some(ben.id), sam, START + Duration::hours(2));
    commit(
        &store,
        Changes::new()
            .with(Write::InsertSubmission(first.clone()))
            .with(Write::SaveFormDraft(saved.clone())),
    )
    .await;

    let second = Submission {
        reference: first.reference.clone(),
        ..submission(&version, Some(ben.id), sam, START + Duration::hours(3))
    };
    let before = written(&store).await;
    assert_conflict(
        store
            .commit(
                &Changes::new()
                    .with(Write::DeleteFormDraft {
                        form: form.id,
                        child: Some(ben.id),
                        author: sam,
                    })
                    .with(Write::InsertSubmission(second.clone()))
                    .with_effects(effects(START, AuditAction::FormSubmitted)),
            )
            .await,
        "submissions_reference",
    );
    assert_eq!(ok(store.submission(second.id).await), None);
    assert_eq!(ok(store.submission(first.id).await), Some(first));
    assert_eq!(
        ok(store.form_draft(form.id, Some(ben.id), sam).await),
        Some(saved),
        "the saved answers are still there"
    );
    assert_eq!(
        written(&store).await,
        before,
        "nor its audit event or email"
    );
}
