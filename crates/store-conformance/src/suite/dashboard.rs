//! Conformance case for the SEND Dashboard's one read: it holds what the
//! single-purpose reads give for the same child and person, with messages and
//! shared documents counted rather than loaded, and only the forms given about
//! the child and the person's own drafts about them.

use std::sync::Arc;

use send_domain::advice::AdviceKind;
use send_domain::forms::AssignedTo;
use send_domain::involvements::{Involvement, InvolvementKind};
use send_domain::milestones::MilestoneUnit;
use send_domain::{
    AccountKind, Actor, AuditAction, DEFAULT_TEAM, DocumentKind, EventKind, InvolvementId, Sharing,
    StaffRole,
};
use send_store::{DashboardQuery, ExtraHoliday, Store, Write};
use time::Duration;
use time::macros::date;
use uuid::Uuid;

use super::advice::request;
use super::cases::{account, insert_account, new_account};
use super::documents::{START, child, document, portal_account};
use super::forms::{assignment, draft, published};
use super::messages::{say, start};
use super::support::{commit, ok};
use super::timeline::milestone;

/// The dashboard's read equals the single reads it replaces, and counts what
/// the page counts.
#[expect(
    clippy::too_many_lines,
    reason = "one child's whole case seeded, then read, from top to bottom"
)]
pub async fn the_dashboard_read_holds_what_the_single_reads_give(store: Arc<dyn Store>) {
    let amira = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let other = child(&store, "Tomasz", DEFAULT_TEAM.0).await;
    let parent = portal_account(&store, "sam.parent@example.org").await;
    let carer = portal_account(&store, "alex.carer@example.org").await;
    let worker = account(
        AccountKind::Staff,
        "worker@example.gov.uk",
        Some(StaffRole::Caseworker),
    );
    insert_account(&store, new_account(worker.clone())).await;
    let at = |minutes| START + Duration::minutes(minutes);

    // Two involvements, the newer held by the caseworker; advice on it.
    let older = Involvement::open(
        InvolvementId::from_uuid(Uuid::new_v4()),
        amira.id,
        InvolvementKind::Assessment,
        date!(2026 - 10 - 01),
        at(0),
    );
    let newer = Involvement {
        caseworker_id: Some(worker.id),
        ..Involvement::open(
            InvolvementId::from_uuid(Uuid::new_v4()),
            amira.id,
            InvolvementKind::Assessment,
            date!(2026 - 11 - 02),
            at(1),
        )
    };
    let advice = request(
        &newer,
        AdviceKind::Educational,
        None,
        worker.id,
        date!(2026 - 11 - 03),
    );
    let local = milestone(
        InvolvementKind::Assessment,
        "Panel meets",
        EventKind::RequestReceived,
        MilestoneUnit::Weeks,
        4,
        "The council's panel decides.",
    );
    let holiday = ExtraHoliday {
        date: date!(2026 - 12 - 29),
        name: "Council closure".to_owned(),
    };
    commit(
        &store,
        send_store::Changes::new()
            .with(Write::InsertInvolvement(older))
            .with(Write::InsertInvolvement(newer))
            .with(Write::InsertAdviceRequest(advice))
            .with(Write::InsertLocalMilestone(local))
            .with(Write::InsertExtraHoliday(holiday)),
    )
    .await;

    // Messages: two from others unread by the parent, one their own, one in a
    // thread they are not in, one about another child.
    let (thread, ..) = start(&store, amira.id, parent, at(2), vec![parent, carer]).await;
    let thread = say(&store, &thread, worker.id, true, at(3)).await;
    say(&store, &thread, carer, false, at(4)).await;
    start(&store, amira.id, carer, at(5), vec![carer]).await;
    start(&store, other.id, carer, at(6), vec![parent, carer]).await;

    // Documents: one shared with everyone, one with the parent by name; not
    // counted: one with someone else, one not shared, an attachment, another
    // child's.
    let mut changes = send_store::Changes::new();
    for shared in [
        document(amira.id, DocumentKind::Letter, at(7), Sharing::AllLinked),
        document(
            amira.id,
            DocumentKind::DraftPlan,
            at(8),
            Sharing::Named(vec![parent]),
        ),
        document(
            amira.id,
            DocumentKind::Advice,
            at(9),
            Sharing::Named(vec![carer]),
        ),
        document(amira.id, DocumentKind::Other, at(10), Sharing::NotShared),
        document(
            amira.id,
            DocumentKind::Attachment,
            at(11),
            Sharing::AllLinked,
        ),
        document(other.id, DocumentKind::Letter, at(12), Sharing::AllLinked),
    ] {
        changes.push(Write::InsertDocument(shared));
    }
    commit(&store, changes).await;

    // Forms: one given about Amira, one about Tomasz, one given to nobody; the
    // parent's drafts about Amira and Tomasz, the carer's about Amira.
    let (_, given) = published(&store, "All about me").await;
    let (_, elsewhere) = published(&store, "Transport").await;
    published(&store, "Never given").await;
    commit(
        &store,
        send_store::Changes::new()
            .with(Write::InsertFormAssignment(assignment(
                given.form_id,
                amira.id,
                AssignedTo::EveryoneLinked,
                at(13),
            )))
            .with(Write::InsertFormAssignment(assignment(
                elsewhere.form_id,
                other.id,
                AssignedTo::EveryoneLinked,
                at(14),
            )))
            .with(Write::SaveFormDraft(draft(
                &given,
                Some(amira.id),
                parent,
                at(15),
            )))
            .with(Write::SaveFormDraft(draft(
                &elsewhere,
                Some(other.id),
                parent,
                at(16),
            )))
            .with(Write::SaveFormDraft(draft(
                &given,
                Some(amira.id),
                carer,
                at(17),
            ))),
    )
    .await;

    // The caseworker opened Amira's record.
    let mut opened = super::event(at(18), AuditAction::ChildViewed);
    opened.actor = Actor::User(worker.id);
    opened.child_id = Some(amira.id);
    ok(store.record_audit_event(&opened).await);

    let query = DashboardQuery {
        child: amira.id,
        account: parent,
        openings_since: Some(at(0)),
        openings_limit: 100,
    };
    let read = ok(store.dashboard(&query).await);

    assert_eq!(
        read.involvements,
        ok(store.involvements_of_child(amira.id).await)
    );
    assert_eq!(read.involvements.len(), 2);
    assert_eq!(read.caseworkers, vec![(worker.id, worker.name.to_string())]);
    assert_eq!(
        read.advice,
        ok(store.advice_requests_of_child(amira.id).await)
    );
    assert_eq!(read.advice.len(), 1);
    assert_eq!(read.local_milestones, ok(store.local_milestones().await));
    assert_eq!(read.local_milestones.len(), 1);
    assert_eq!(read.extra_holidays, ok(store.extra_holidays().await));
    assert_eq!(read.extra_holidays.len(), 1);
    assert_eq!(read.unread_messages, 2);
    assert_eq!(
        read.unread_messages,
        ok(store.unread_messages(amira.id, parent).await)
    );
    let shared = ok(store.documents_shared_with(amira.id, parent).await)
        .into_iter()
        .filter(|d| d.kind != DocumentKind::Attachment)
        .count();
    assert_eq!(read.shared_documents, 2);
    assert_eq!(
        read.shared_documents,
        u64::try_from(shared).unwrap_or_default()
    );
    assert_eq!(
        read.assignments,
        ok(store.form_assignments_for_children(&[amira.id]).await)
    );
    assert_eq!(read.assignments.len(), 1);
    let drafts: Vec<_> = ok(store.form_drafts_by(parent).await)
        .into_iter()
        .filter(|d| d.child_id == Some(amira.id))
        .collect();
    assert_eq!(read.drafts, drafts);
    assert_eq!(read.drafts.len(), 1);
    assert_eq!(
        read.live_versions,
        vec![given],
        "only the forms given about the child"
    );
    assert_eq!(
        read.openings,
        ok(store.record_openings(amira.id, at(0), 100).await)
    );
    assert_eq!(read.openings.len(), 1);

    // A professional's dashboard reads no openings.
    let without = ok(store
        .dashboard(&DashboardQuery {
            openings_since: None,
            ..query
        })
        .await);
    assert_eq!(without.openings, Vec::new());
    assert_eq!(without.involvements, read.involvements);
}
