//! Conformance case for the SEND Dashboard's one read: it holds what the
//! single-purpose reads give for the same child and person, with messages and
//! shared documents counted rather than loaded, and only the forms given about
//! the child and the person's own drafts about them; and the access check's
//! link and child read with it, the page itself only while the link is active.

use std::sync::Arc;

use send_domain::advice::AdviceKind;
use send_domain::forms::AssignedTo;
use send_domain::involvements::{Involvement, InvolvementKind};
use send_domain::milestones::MilestoneUnit;
use send_domain::{
    AccountKind, Actor, AuditAction, ChildId, DEFAULT_TEAM, DocumentKind, EventKind, InvolvementId,
    LinkStatus, PortalLink, PortalLinkId, PortalRole, Sharing, StaffRole, UserId,
};
use send_store::{DashboardQuery, DashboardRead, ExtraHoliday, PortalCase, Store, Write};
use time::macros::date;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::advice::request;
use super::cases::{account, insert_account, new_account};
use super::documents::{START, child, document, portal_account};
use super::forms::{assignment, draft, published};
use super::messages::{say, start};
use super::support::{commit, ok};
use super::timeline::milestone;

/// A link between a portal user and a child, made directly.
fn link(
    child: ChildId,
    account: UserId,
    role: PortalRole,
    status: LinkStatus,
    at: OffsetDateTime,
) -> PortalLink {
    PortalLink {
        id: PortalLinkId::from_uuid(Uuid::new_v4()),
        child_id: child,
        account_id: account,
        role,
        status,
        status_since: at,
        status_by: None,
        invitation_id: None,
        request_id: None,
        created_at: at,
    }
}

/// The dashboard's read of `query`, which must be for an active link.
async fn read_of(store: &Arc<dyn Store>, query: &DashboardQuery) -> DashboardRead {
    let dashboard = ok(store.dashboard(query).await);
    assert_eq!(
        dashboard.case,
        ok(store.portal_case(query.child, query.account).await),
        "the access check's part is the portal's access check"
    );
    match dashboard.read {
        Some(read) => read,
        None => panic!("no dashboard was read for an active link"),
    }
}

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

    // The parent's link, and a professional's.
    let professional = portal_account(&store, "pat.senco@example.org").await;
    let parents_link = link(
        amira.id,
        parent,
        PortalRole::Parent,
        LinkStatus::Active,
        at(0),
    );
    commit(
        &store,
        send_store::Changes::new()
            .with(Write::InsertPortalLink(parents_link.clone()))
            .with(Write::InsertPortalLink(link(
                amira.id,
                professional,
                PortalRole::Professional,
                LinkStatus::Active,
                at(0),
            ))),
    )
    .await;

    let query = DashboardQuery {
        child: amira.id,
        account: parent,
        openings_since: Some(at(0)),
        openings_limit: 100,
    };
    let dashboard = ok(store.dashboard(&query).await);
    assert_eq!(dashboard.case.link, Some(parents_link));
    assert_eq!(dashboard.case.child, ok(store.child(amira.id).await));
    let read = read_of(&store, &query).await;

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

    // Asked for none, none are read.
    let without = read_of(
        &store,
        &DashboardQuery {
            openings_since: None,
            ..query
        },
    )
    .await;
    assert_eq!(without.openings, Vec::new());
    assert_eq!(without.involvements, read.involvements);

    // A professional's dashboard reads none, even when asked.
    let professionals = read_of(
        &store,
        &DashboardQuery {
            account: professional,
            ..query
        },
    )
    .await;
    assert_eq!(
        professionals.openings,
        Vec::new(),
        "never for a professional"
    );
    assert_eq!(professionals.involvements, read.involvements);
}

/// The dashboard's read (and the portal's access check) gives the child and
/// the page only while the person's link is active: nothing of the child for
/// no link, a link waiting for the SEND team, a revoked link or a declined one.
pub async fn the_dashboard_is_read_only_for_an_active_link(store: Arc<dyn Store>) {
    let amira = child(&store, "Amira", DEFAULT_TEAM.0).await;
    let involvement = Involvement::open(
        InvolvementId::from_uuid(Uuid::new_v4()),
        amira.id,
        InvolvementKind::Assessment,
        date!(2026 - 10 - 01),
        START,
    );
    commit(
        &store,
        send_store::Changes::new().with(Write::InsertInvolvement(involvement)),
    )
    .await;
    let stranger = portal_account(&store, "no.link@example.org").await;
    let query = |account| DashboardQuery {
        child: amira.id,
        account,
        openings_since: Some(START),
        openings_limit: 100,
    };

    let none = ok(store.dashboard(&query(stranger)).await);
    assert_eq!(
        none.case,
        PortalCase {
            link: None,
            child: None
        },
        "no link"
    );
    assert_eq!(none.read, None, "no link");
    assert_eq!(
        ok(store.portal_case(amira.id, stranger).await),
        PortalCase {
            link: None,
            child: None
        }
    );

    for (n, status) in [
        LinkStatus::Pending,
        LinkStatus::Revoked,
        LinkStatus::Declined,
    ]
    .into_iter()
    .enumerate()
    {
        let person = portal_account(&store, &format!("person.{n}@example.org")).await;
        let kept = link(amira.id, person, PortalRole::Parent, status, START);
        commit(
            &store,
            send_store::Changes::new().with(Write::InsertPortalLink(kept.clone())),
        )
        .await;
        let refused = ok(store.dashboard(&query(person)).await);
        let expected = PortalCase {
            link: Some(kept),
            child: None,
        };
        assert_eq!(refused.case, expected, "{status:?}: the link only");
        assert_eq!(refused.read, None, "{status:?}: no page");
        assert_eq!(ok(store.portal_case(amira.id, person).await), expected);
    }

    let person = portal_account(&store, "active@example.org").await;
    commit(
        &store,
        send_store::Changes::new().with(Write::InsertPortalLink(link(
            amira.id,
            person,
            PortalRole::Parent,
            LinkStatus::Active,
            START,
        ))),
    )
    .await;
    let allowed = ok(store.dashboard(&query(person)).await);
    assert_eq!(allowed.case.child, ok(store.child(amira.id).await));
    assert!(
        allowed.case.child.is_some(),
        "the child, for an active link"
    );
    assert_eq!(
        allowed.read.map(|r| r.involvements.len()),
        Some(1),
        "the page, for an active link"
    );
}
