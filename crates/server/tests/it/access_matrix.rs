//! The authorization matrix: every route and method the portal registers (from
//! `send_web::route_paths`, the list the router is built from, each path's
//! methods found by asking the router), tried by twelve kinds of person against
//! the objects of one child, A. What each of them must get is [`TABLE`]: a route
//! missing from it fails the test. A refused request must write nothing (every
//! table of the database but the session and refusal records is compared) and
//! show nothing of A (A's names, NHS number and ULN are absent from its body).

use std::collections::BTreeMap;

use http::StatusCode;
use send_domain::forms::{AssignedTo, FormDefinition, QuestionKind};
use send_domain::{
    ChildId, DEFAULT_TEAM, FormId, LinkStatus, Permission, PermissionGroupId, PortalRole,
    StaffRole, TeamId, default_group,
};
use send_store::{PermissionGroup, Team};

use crate::accounts::{csrf_of, register, submit};
use crate::back_office::{
    CHILD, add_child, caseworkers, create_staff, insert_group, insert_team, location,
    open_assessment, staff_client,
};
use crate::forms_builder::{Staffer, build_sound_form};
use crate::messages::{PDF, new_message, upload};
use crate::portal_access::{incoming_request, invite, link, professional, stranger_id};
use crate::support::{TestApp, TestClient, TestResponse};

/// The value, or the test stops saying what was missing.
trait Must<T> {
    fn must(self) -> T;
}

impl<T, E: std::fmt::Debug> Must<T> for Result<T, E> {
    fn must(self) -> T {
        self.unwrap_or_else(|e| panic!("{e:?}"))
    }
}

impl<T> Must<T> for Option<T> {
    fn must(self) -> T {
        self.unwrap_or_else(|| panic!("missing"))
    }
}

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Actor {
    Anonymous,
    ParentOfA,
    ParentOfB,
    /// A's parent whose link the SEND team has not confirmed yet.
    PendingParent,
    RevokedParent,
    /// A themself, linked as a young person.
    YoungPerson,
    ProfessionalOfA,
    /// A professional with no link to A (a request for advice about A is
    /// addressed to them, and they have asked to be linked to A).
    UnlinkedProfessional,
    /// A caseworker of A's team (the default caseworkers' group).
    CaseworkerOfA,
    /// A caseworker of another team, with the same permissions.
    CaseworkerOtherTeam,
    /// A member of A's team who may only view cases.
    StaffWithoutPermission,
    /// The default administrators' group: every team, no case editing.
    Administrator,
}

const ACTORS: [Actor; 12] = [
    Actor::Anonymous,
    Actor::ParentOfA,
    Actor::ParentOfB,
    Actor::PendingParent,
    Actor::RevokedParent,
    Actor::YoungPerson,
    Actor::ProfessionalOfA,
    Actor::UnlinkedProfessional,
    Actor::CaseworkerOfA,
    Actor::CaseworkerOtherTeam,
    Actor::StaffWithoutPermission,
    Actor::Administrator,
];

/// What an actor must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Past the access checks: a page, a form's errors, a redirect onwards, a
    /// conflict; never 403, 404, a redirect to sign in or a server error.
    Allowed,
    /// 403, 404 or a redirect to sign in; writes nothing, shows nothing of A.
    Refused,
    /// No access decision to make (a made-up secret, a sign-in step with no
    /// sign-in under way): any answer but a server error, writing nothing and
    /// showing nothing of A.
    Inert,
    /// Past the access checks, but the record the route names inside A's (a
    /// file, an item, another session) is not there: any answer but a server
    /// error.
    NotApplicable,
}

/// Which case action of `send_domain::staff_may` a back-office route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    View,
    Edit,
    ManageAccess,
}

/// Who a route is for; [`expect`] turns it into each actor's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Everyone, signed in or not.
    Public,
    /// Anyone signed in.
    SignedIn,
    /// Portal accounts (not staff).
    PortalAccount,
    /// Portal accounts of families (not professionals).
    FamilyAccount,
    /// Professionals' portal accounts.
    ProfessionalAccount,
    /// An active link to A, of any role.
    LinkedToA,
    /// An active link to A as a parent or the young person (family forms).
    FamilyOfA,
    /// Whoever the request for advice about A is addressed to.
    AdviceAddressee,
    /// The person who wrote it: A's parent started the conversation and
    /// submitted the form.
    Author,
    /// Any member of staff.
    Staff,
    /// Staff with this permission.
    Has(Permission),
    /// Staff with all of these permissions.
    AllOf(&'static [Permission]),
    /// Staff whom `staff_may` allows this action on A's case.
    CaseOfA(Case),
    /// Staff whom `staff_may` allows this action on A's case, and with this
    /// permission too.
    CaseOfAWith(Case, Permission),
    /// No one: a demonstration-only page.
    NoOne,
    /// A secret in the address is the credential: a made-up one is tried.
    Secret,
    /// A step of signing in or registering, with none under way.
    SignInStep,
    /// As the rule, for a record inside A's that is not there (see
    /// [`Expect::NotApplicable`]).
    NoRecord(&'static Rule),
    /// Everyone (ends the actor's session: run after every other route).
    SignsOut,
}

/// Professionals' requests not yet matched to a child (SECURITY.md, finding 6).
const UNMATCHED_REQUESTS: &[Permission] = &[Permission::ManagePortalUsers, Permission::AllTeams];

/// Every route and method the portal registers and who it is for. A registered
/// route that is not here fails the test; so does a row here that is not
/// registered.
#[rustfmt::skip]
const TABLE: &[(&str, &str, Rule)] = {
    use Case::{Edit, ManageAccess, View};
    use Permission::{
        BuildForms, EditCases, ManagePortalUsers, ManageStaff, ProcessForms, ViewAudit, ViewCases,
    };
    use Rule::*;
    &[
        // Public pages, signing in and registering.
        ("GET", "/", Public),
        ("GET", "/accessibility", Public),
        ("GET", "/privacy", Public),
        ("GET", "/cookies", Public),
        ("GET", "/healthz", Public),
        ("GET", "/readyz", Public),
        ("GET", "/assets/{*path}", Public),
        ("GET", "/favicon.ico", Public),
        ("GET", "/demo/emails", NoOne),
        ("GET", "/when-should-things-happen", Public),
        ("GET", "/api/deadlines", Public),
        ("GET POST", "/staff/setup/{token}", Secret),
        ("GET POST", "/register", Public),
        ("GET POST", "/register/confirm", SignInStep),
        ("GET POST", "/register/email-and-password", Public),
        ("POST", "/register/new-code", SignInStep),
        ("GET POST", "/sign-in", Public),
        ("GET POST", "/sign-in/code", SignInStep),
        ("POST", "/sign-in/new-code", SignInStep),
        ("GET POST", "/sign-in/authenticator", SignInStep),
        ("GET POST", "/sign-in/recovery-code", SignInStep),
        ("POST", "/sign-out", SignsOut),
        ("GET", "/signed-out", Public),
        ("GET POST", "/forgotten-password", Public),
        ("GET POST", "/reset-password/{token}", Secret),
        ("GET POST", "/invitations/{token}", Secret),
        ("POST", "/invitations/{token}/submit", Secret),
        ("GET", "/advice/link/{token}", Secret),
        // Everyone's own account.
        ("GET", "/home", SignedIn),
        ("GET", "/account", SignedIn),
        ("GET POST", "/account/details", SignedIn),
        ("GET POST", "/account/password", SignedIn),
        ("GET POST", "/account/email", SignedIn),
        ("GET POST", "/account/email/confirm", SignedIn),
        ("GET POST", "/account/sign-in-method", SignedIn),
        ("GET POST", "/account/email-codes", SignedIn),
        ("GET POST", "/account/authenticator", SignedIn),
        ("GET", "/account/recovery-codes", SignedIn),
        ("POST", "/account/new-code", NoRecord(&SignedIn)),
        ("POST", "/account/message-emails", SignedIn),
        ("POST", "/account/devices/sign-out", NoRecord(&SignedIn)),
        ("POST", "/account/devices/sign-out-others", SignedIn),
        ("GET POST", "/account/notifications", PortalAccount),
        // The portal, about A.
        ("GET POST", "/children/add", ProfessionalAccount),
        ("GET", "/children/{id}/dashboard", LinkedToA),
        ("GET", "/children/{id}/messages", LinkedToA),
        ("GET POST", "/children/{id}/messages/new", LinkedToA),
        ("GET", "/messages/{thread}", Author),
        ("GET POST", "/messages/{thread}/reply", Author),
        ("GET", "/children/{id}/documents", LinkedToA),
        ("GET", "/documents/{id}", LinkedToA),
        ("GET", "/children/{child}/forms", LinkedToA),
        ("GET", "/children/{child}/forms/{form}", FamilyOfA),
        ("GET POST", "/children/{child}/forms/{form}/pages/{page}", FamilyOfA),
        ("POST", "/children/{child}/forms/{form}/questions/{question}/files", FamilyOfA),
        ("POST", "/children/{child}/forms/{form}/questions/{question}/files/{position}/remove", NoRecord(&FamilyOfA)),
        ("GET", "/children/{child}/forms/{form}/questions/{question}/items/new", FamilyOfA),
        ("POST", "/children/{child}/forms/{form}/questions/{question}/items/new", NoRecord(&FamilyOfA)),
        ("GET POST", "/children/{child}/forms/{form}/questions/{question}/items/{position}", NoRecord(&FamilyOfA)),
        ("POST", "/children/{child}/forms/{form}/questions/{question}/items/{position}/remove", NoRecord(&FamilyOfA)),
        ("GET POST", "/children/{child}/forms/{form}/check", FamilyOfA),
        ("GET", "/forms/{form}", FamilyAccount),
        ("GET POST", "/forms/{form}/pages/{page}", FamilyAccount),
        ("POST", "/forms/{form}/questions/{question}/files", FamilyAccount),
        ("POST", "/forms/{form}/questions/{question}/files/{position}/remove", NoRecord(&FamilyAccount)),
        ("GET", "/forms/{form}/questions/{question}/items/new", FamilyAccount),
        ("POST", "/forms/{form}/questions/{question}/items/new", NoRecord(&FamilyAccount)),
        ("GET POST", "/forms/{form}/questions/{question}/items/{position}", NoRecord(&FamilyAccount)),
        ("POST", "/forms/{form}/questions/{question}/items/{position}/remove", NoRecord(&FamilyAccount)),
        ("GET POST", "/forms/{form}/check", FamilyAccount),
        ("GET", "/submitted/{submission}", Author),
        ("GET POST", "/advice/{id}", AdviceAddressee),
        // The back office: A's case.
        ("GET", "/back-office", Staff),
        ("GET", "/back-office/children", Has(ViewCases)),
        ("GET POST", "/back-office/children/new", Has(EditCases)),
        ("GET", "/back-office/children/{id}", CaseOfA(View)),
        ("GET POST", "/back-office/children/{id}/edit", CaseOfA(Edit)),
        ("GET", "/back-office/children/{id}/chronology", CaseOfA(View)),
        ("GET POST", "/back-office/children/{id}/contacts/new", CaseOfA(Edit)),
        ("POST", "/back-office/children/{id}/contacts/{contact}/remove", CaseOfA(Edit)),
        ("GET POST", "/back-office/children/{id}/involvements/new", CaseOfA(Edit)),
        ("GET", "/back-office/involvements/{id}", CaseOfA(View)),
        ("POST", "/back-office/involvements/{id}/stage", CaseOfA(Edit)),
        ("POST", "/back-office/involvements/{id}/stage/check", CaseOfA(Edit)),
        ("GET POST", "/back-office/involvements/{id}/correct-stage", CaseOfA(Edit)),
        ("POST", "/back-office/involvements/{id}/exceptions", CaseOfA(Edit)),
        ("POST", "/back-office/involvements/{id}/reviews", CaseOfA(Edit)),
        ("POST", "/back-office/involvements/{id}/amended-plan", CaseOfA(Edit)),
        ("GET", "/back-office/caseload", Has(ViewCases)),
        ("GET", "/back-office/children/{id}/portal-access", CaseOfA(ManageAccess)),
        ("GET POST", "/back-office/children/{id}/portal-access/{link}/revoke", CaseOfA(ManageAccess)),
        ("POST", "/back-office/children/{id}/portal-access/{link}/grant", CaseOfA(ManageAccess)),
        ("GET POST", "/back-office/children/{id}/invitations/new", CaseOfA(ManageAccess)),
        ("GET POST", "/back-office/invitations/{id}/verify", CaseOfA(ManageAccess)),
        ("POST", "/back-office/invitations/{id}/send-link", CaseOfA(ManageAccess)),
        ("POST", "/back-office/invitations/{id}/withdraw", CaseOfA(ManageAccess)),
        ("POST", "/back-office/invitations/{id}/confirm", CaseOfA(ManageAccess)),
        ("GET POST", "/back-office/invitations/{id}/decline", CaseOfA(ManageAccess)),
        ("GET", "/back-office/portal-requests", Has(ManagePortalUsers)),
        ("GET", "/back-office/portal-requests/{id}", AllOf(UNMATCHED_REQUESTS)),
        ("POST", "/back-office/portal-requests/{id}/match", AllOf(UNMATCHED_REQUESTS)),
        ("GET POST", "/back-office/portal-requests/{id}/decline", AllOf(UNMATCHED_REQUESTS)),
        ("GET", "/back-office/messages", Staff),
        ("POST", "/back-office/messages/hand-over", Staff),
        ("GET", "/back-office/messages/{id}", CaseOfA(View)),
        ("POST", "/back-office/messages/{id}/reply", CaseOfA(Edit)),
        ("POST", "/back-office/messages/{id}/hold", CaseOfA(Edit)),
        ("POST", "/back-office/messages/{id}/give", CaseOfA(Edit)),
        ("GET", "/back-office/children/{id}/messages", CaseOfA(View)),
        ("GET", "/back-office/children/{id}/documents", CaseOfA(View)),
        ("GET POST", "/back-office/children/{id}/documents/new", CaseOfA(Edit)),
        ("GET", "/back-office/documents/{id}", CaseOfA(View)),
        ("GET POST", "/back-office/documents/{id}/sharing", CaseOfA(Edit)),
        ("GET", "/back-office/children/{id}/forms", CaseOfA(View)),
        ("POST", "/back-office/children/{id}/forms", CaseOfA(ManageAccess)),
        ("POST", "/back-office/form-assignments/{id}/withdraw", CaseOfA(ManageAccess)),
        ("GET", "/back-office/submissions", Has(ViewCases)),
        ("GET", "/back-office/submissions/{id}", Has(ProcessForms)),
        ("GET", "/back-office/submissions/{id}/files/{position}", NoRecord(&Has(ProcessForms))),
        ("GET", "/back-office/incoming-forms", Has(ProcessForms)),
        ("GET", "/back-office/incoming-forms/{id}", Has(ProcessForms)),
        ("POST", "/back-office/incoming-forms/{id}/match", CaseOfAWith(View, ProcessForms)),
        ("GET POST", "/back-office/incoming-forms/{id}/reject", Has(ProcessForms)),
        ("GET POST", "/back-office/incoming-forms/{id}/new-child", AllOf(&[ProcessForms, EditCases])),
        ("POST", "/back-office/incoming-forms/{id}/import", Has(ProcessForms)),
        ("GET POST", "/back-office/involvements/{id}/advice/new", CaseOfA(Edit)),
        ("GET POST", "/back-office/advice/{id}/received", CaseOfA(Edit)),
        ("GET POST", "/back-office/advice/{id}/withdraw", CaseOfA(Edit)),
        ("GET", "/back-office/advice/overdue", Has(ViewCases)),
        // The back office: forms.
        ("GET", "/back-office/forms", Has(BuildForms)),
        ("GET POST", "/back-office/forms/new", Has(BuildForms)),
        ("GET", "/back-office/forms/{id}", Has(BuildForms)),
        ("POST", "/back-office/forms/{id}/ask-for-approval", Has(BuildForms)),
        ("POST", "/back-office/forms/{id}/publish", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/retire", Has(BuildForms)),
        ("POST", "/back-office/forms/{id}/copy", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/details", Has(BuildForms)),
        ("GET", "/back-office/forms/{id}/preview", Has(BuildForms)),
        ("GET", "/back-office/forms/{id}/compare", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/questions/new", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/questions/new/{kind}", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/questions/{question}", Has(BuildForms)),
        ("POST", "/back-office/forms/{id}/questions/{question}/move-up", Has(BuildForms)),
        ("POST", "/back-office/forms/{id}/questions/{question}/move-down", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/questions/{question}/remove", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/questions/{group}/items/{question}", Has(BuildForms)),
        ("POST", "/back-office/forms/{id}/questions/{group}/items/{question}/move-up", Has(BuildForms)),
        ("POST", "/back-office/forms/{id}/questions/{group}/items/{question}/move-down", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/questions/{group}/items/{question}/remove", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/questions/{question}/condition", Has(BuildForms)),
        ("POST", "/back-office/forms/{id}/questions/{question}/condition/remove", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/questions/{question}/condition/{tested}", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/pages/{page}/condition", Has(BuildForms)),
        ("POST", "/back-office/forms/{id}/pages/{page}/condition/remove", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/pages/{page}/condition/{tested}", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/pages/{page}/routes/new", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/pages/{page}/routes/new/{tested}", Has(BuildForms)),
        ("POST", "/back-office/forms/{id}/pages/{page}/routes/{index}/remove", Has(BuildForms)),
        ("POST", "/back-office/forms/{id}/pages/{page}/move-up", Has(BuildForms)),
        ("POST", "/back-office/forms/{id}/pages/{page}/move-down", Has(BuildForms)),
        ("POST", "/back-office/forms/{id}/pages/{page}/duplicate", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/pages/{page}/remove", Has(BuildForms)),
        ("GET POST", "/back-office/forms/{id}/pages/{page}/heading", Has(BuildForms)),
        // The back office: administration.
        ("GET", "/back-office/admin", Has(ManageStaff)),
        ("GET POST", "/back-office/admin/invite", Has(ManageStaff)),
        ("GET POST", "/back-office/admin/milestones/new", Has(ManageStaff)),
        ("POST", "/back-office/admin/milestones/{code}/remove", Has(ManageStaff)),
        ("GET POST", "/back-office/admin/teams/new", Has(ManageStaff)),
        ("GET POST", "/back-office/admin/groups/new", Has(ManageStaff)),
        ("GET POST", "/back-office/admin/holidays/new", Has(ManageStaff)),
        ("GET", "/back-office/admin/people", Has(ManageStaff)),
        ("GET", "/back-office/admin/people/{id}", Has(ManageStaff)),
        ("GET POST", "/back-office/admin/people/{id}/membership", Has(ManageStaff)),
        ("POST", "/back-office/admin/people/{id}/deactivate", Has(ManageStaff)),
        ("POST", "/back-office/admin/people/{id}/reactivate", Has(ManageStaff)),
        ("POST", "/back-office/admin/people/{id}/end-sessions", Has(ManageStaff)),
        ("POST", "/back-office/admin/people/{id}/hand-over-conversations", Has(ManageStaff)),
        ("POST", "/back-office/admin/setup-links/{id}/withdraw", Has(ManageStaff)),
        ("POST", "/back-office/admin/setup-links/{id}/resend", Has(ManageStaff)),
        ("GET", "/back-office/admin/portal-accounts", Has(ManageStaff)),
        ("GET", "/back-office/admin/portal-accounts/{id}", Has(ManageStaff)),
        ("POST", "/back-office/admin/portal-accounts/{id}/disable", Has(ManageStaff)),
        ("POST", "/back-office/admin/portal-accounts/{id}/enable", Has(ManageStaff)),
        ("POST", "/back-office/admin/portal-accounts/{id}/end-sessions", Has(ManageStaff)),
        ("GET", "/back-office/admin/portal-accounts/{id}/end-sessions", Has(ManageStaff)),
        ("GET POST", "/back-office/admin/teams/{id}", Has(ManageStaff)),
        ("POST", "/back-office/admin/teams/{id}/remove", Has(ManageStaff)),
        ("GET POST", "/back-office/admin/groups/{id}", Has(ManageStaff)),
        ("POST", "/back-office/admin/groups/{id}/remove", Has(ManageStaff)),
        ("GET", "/back-office/admin/configuration", Has(ManageStaff)),
        ("GET", "/back-office/admin/configuration/download", Has(ManageStaff)),
        ("POST", "/back-office/admin/configuration/check", Has(ManageStaff)),
        ("POST", "/back-office/admin/configuration/confirm", Has(ManageStaff)),
        ("GET", "/back-office/admin/audit", Has(ViewAudit)),
        ("GET", "/back-office/admin/audit/download", Has(ViewAudit)),
        ("GET", "/back-office/admin/notifications", Has(ManageStaff)),
        ("GET POST", "/back-office/admin/notifications/{event}", Has(ManageStaff)),
        ("GET", "/back-office/admin/texts", Has(ManageStaff)),
        ("GET POST", "/back-office/admin/texts/{key}", Has(ManageStaff)),
        ("POST", "/back-office/admin/texts/{key}/restore", Has(ManageStaff)),
        ("GET", "/back-office/admin/message-types", Has(ManageStaff)),
        ("GET POST", "/back-office/admin/message-types/new", Has(ManageStaff)),
        ("GET POST", "/back-office/admin/message-types/{id}", Has(ManageStaff)),
        ("POST", "/back-office/admin/message-types/{id}/retire", Has(ManageStaff)),
        ("POST", "/back-office/admin/message-types/{id}/bring-back", Has(ManageStaff)),
        ("GET POST", "/back-office/admin/advice-reminders/{kind}", Has(ManageStaff)),
    ]
};

/// A's team and permissions, for staff actors.
fn staff_of(actor: Actor) -> Option<(TeamId, &'static [Permission])> {
    use Permission::{
        AllTeams, BuildForms, EditCases, ManagePortalUsers, ManageStaff, ProcessForms,
        PublishForms, ViewAudit, ViewCases, ViewReports,
    };
    const CASEWORKER: &[Permission] = &[ViewCases, EditCases, ProcessForms, ManagePortalUsers];
    match actor {
        Actor::CaseworkerOfA => Some((DEFAULT_TEAM.0, CASEWORKER)),
        Actor::CaseworkerOtherTeam => Some((north_team(), CASEWORKER)),
        Actor::StaffWithoutPermission => Some((DEFAULT_TEAM.0, &[ViewCases])),
        Actor::Administrator => Some((
            DEFAULT_TEAM.0,
            &[
                ViewCases,
                ManagePortalUsers,
                ManageStaff,
                BuildForms,
                PublishForms,
                ViewReports,
                ViewAudit,
                AllTeams,
            ],
        )),
        _ => None,
    }
}

fn north_team() -> TeamId {
    TeamId::from_uuid(uuid::Uuid::from_u128(
        0x0000_0000_0000_4000_8000_0000_0000_0a01,
    ))
}

/// The table's rule for one actor.
fn expect(rule: Rule, actor: Actor) -> Expect {
    use Actor::{Anonymous, ParentOfA, ProfessionalOfA, UnlinkedProfessional, YoungPerson};
    let staff = staff_of(actor);
    let may_case = |case: Case| {
        staff.is_some_and(|(team, permissions)| {
            let has = |p| permissions.contains(&p);
            let covers = team == DEFAULT_TEAM.0 || has(Permission::AllTeams);
            covers
                && has(Permission::ViewCases)
                && has(match case {
                    Case::View => Permission::ViewCases,
                    Case::Edit => Permission::EditCases,
                    Case::ManageAccess => Permission::ManagePortalUsers,
                })
        })
    };
    let allowed = match rule {
        Rule::Secret | Rule::SignInStep => return Expect::Inert,
        Rule::NoRecord(inner) => {
            return match expect(*inner, actor) {
                Expect::Allowed => Expect::NotApplicable,
                other => other,
            };
        }
        Rule::Public | Rule::SignsOut => true,
        Rule::SignedIn => actor != Anonymous,
        Rule::PortalAccount => actor != Anonymous && staff.is_none(),
        Rule::FamilyAccount => {
            actor != Anonymous
                && staff.is_none()
                && !matches!(actor, ProfessionalOfA | UnlinkedProfessional)
        }
        Rule::ProfessionalAccount => matches!(actor, ProfessionalOfA | UnlinkedProfessional),
        Rule::LinkedToA => matches!(actor, ParentOfA | YoungPerson | ProfessionalOfA),
        Rule::FamilyOfA => matches!(actor, ParentOfA | YoungPerson),
        Rule::AdviceAddressee => actor == UnlinkedProfessional,
        Rule::Author => actor == ParentOfA,
        Rule::Staff => staff.is_some(),
        Rule::Has(p) => staff.is_some_and(|(_, permissions)| permissions.contains(&p)),
        Rule::AllOf(needed) => {
            staff.is_some_and(|(_, permissions)| needed.iter().all(|p| permissions.contains(p)))
        }
        Rule::CaseOfA(case) => may_case(case),
        Rule::CaseOfAWith(case, p) => {
            may_case(case) && staff.is_some_and(|(_, permissions)| permissions.contains(&p))
        }
        Rule::NoOne => false,
    };
    if allowed {
        Expect::Allowed
    } else {
        Expect::Refused
    }
}

/// What identifies A: none of it may be in a refused response.
const A_DATA: &[&str] = &["Lex", "Alex", "943 476 5919", "1234567899", "WR1 2PG"];

/// Tables a refused request may write: its session (the last activity) and the
/// count of wrong secrets tried from its address (which slows guessing). The
/// audit log may gain the record of a refusal or failure; its other rows are
/// compared.
const MAY_WRITE_WHEN_REFUSED: &[&str] = &["sessions", "sign_in_throttles"];

/// The routes whose forms carry files (`multipart/form-data`, read by
/// `csrf::CsrfMultipart`).
const MULTIPART: &[&str] = &[
    "/children/{id}/messages/new",
    "/messages/{thread}/reply",
    "/back-office/messages/{id}/reply",
    "/back-office/children/{id}/documents/new",
    "/children/{child}/forms/{form}/questions/{question}/files",
    "/forms/{form}/questions/{question}/files",
    "/advice/{id}",
    "/back-office/admin/configuration/check",
];

/// The actors, signed in, each with a form token of their session.
struct World {
    clients: BTreeMap<Actor, (TestClient, String)>,
    /// The value of each path parameter, by the literal segment before it and
    /// its name ("children/{id}"), or by the whole pattern.
    values: BTreeMap<String, String>,
    /// The fields a post to a pattern carries besides the form token, where an
    /// empty form would not reach the access check or would change what the
    /// other rows need.
    fields: BTreeMap<String, Vec<(&'static str, String)>>,
}

#[tokio::test]
async fn every_route_answers_every_kind_of_person_as_the_table_says() {
    let app = TestApp::new().await;
    let mut world = build_world(&app).await;

    let mut failures = Vec::new();
    let mut rows = Vec::new();
    let mut anonymous = app.client();
    for pattern in send_web::route_paths() {
        let Some(path) = world.fill(&pattern) else {
            failures.push(format!("{pattern}: no value for a parameter"));
            continue;
        };
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let response = anonymous.send_as(method, &path).await;
            if response.status == StatusCode::METHOD_NOT_ALLOWED {
                continue;
            }
            let listed = TABLE
                .iter()
                .find(|(methods, p, _)| *p == pattern && methods.split(' ').any(|m| m == method));
            match listed {
                Some((_, _, rule)) => rows.push((*rule, method, pattern.clone(), path.clone())),
                None => failures.push(format!("{method} {pattern}: not in the table")),
            }
        }
    }
    for (methods, pattern, _) in TABLE {
        for method in methods.split(' ') {
            if !rows.iter().any(|(_, m, p, _)| m == &method && p == pattern) {
                failures.push(format!("{method} {pattern}: in the table, not registered"));
            }
        }
    }
    // Routes that end the session go last.
    rows.sort_by_key(|(rule, ..)| *rule == Rule::SignsOut);

    let mut cells = 0;
    for (rule, method, pattern, path) in &rows {
        let expected: Vec<(Actor, Expect)> =
            ACTORS.iter().map(|a| (*a, expect(*rule, *a))).collect();
        // First those who must change nothing, each compared with the tables
        // before it.
        let inert = |e: &Expect| matches!(e, Expect::Refused | Expect::Inert);
        for (actor, outcome) in expected.iter().filter(|(_, e)| inert(e)) {
            cells += 1;
            let before = unrefused_contents(&app).await;
            let response = world.send(*actor, method, pattern, path).await;
            let what = format!("{actor:?} {method} {pattern}");
            if *outcome == Expect::Refused && !is_refusal(&response) {
                failures.push(format!(
                    "{what}: expected a refusal, got {}",
                    response.status
                ));
            }
            if response.status.is_server_error() {
                failures.push(format!("{what}: {}", response.status));
            }
            for data in A_DATA {
                if response.body.contains(data) {
                    failures.push(format!("{what}: refused, but shows {data:?}"));
                }
            }
            let after = unrefused_contents(&app).await;
            if after != before {
                let changed: Vec<String> = after
                    .iter()
                    .filter(|(t, rows)| before.get(*t) != Some(*rows))
                    .map(|(t, rows)| {
                        let new: Vec<&String> = rows
                            .iter()
                            .filter(|r| !before.get(t).is_some_and(|b| b.contains(r)))
                            .collect();
                        format!("{t} {new:?}")
                    })
                    .collect();
                failures.push(format!("{what}: refused, but wrote to {changed:?}"));
            }
        }
        for (actor, outcome) in expected.iter().filter(|(_, e)| !inert(e)) {
            cells += 1;
            let response = world.send(*actor, method, pattern, path).await;
            let refused = is_refusal(&response) && *outcome == Expect::Allowed;
            if refused || response.status.is_server_error() {
                failures.push(format!(
                    "{actor:?} {method} {pattern}: expected to be allowed, got {} {}",
                    response.status,
                    location(&response)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cells} cells failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        rows.len() > 250,
        "every registered route was tried: {}",
        rows.len()
    );
}

/// 403, 404, or a redirect to sign in.
fn is_refusal(response: &TestResponse) -> bool {
    matches!(
        response.status,
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ) || (response.status.is_redirection() && location(response).starts_with("/sign-in"))
}

/// Every table but those a refusal may write, the audit log without its
/// refusals and failures.
async fn unrefused_contents(app: &TestApp) -> BTreeMap<String, Vec<String>> {
    let mut contents = app.table_contents().await;
    contents.retain(|table, _| !MAY_WRITE_WHEN_REFUSED.contains(&table.as_str()));
    if let Some(events) = contents.get_mut("audit_events") {
        events.retain(|row| !row.contains("'refused'") && !row.contains("'failed'"));
    }
    contents
}

impl World {
    /// `pattern` with each `{…}` replaced by A's object (or a spare one, where
    /// the allowed request would change what the other rows need).
    fn fill(&self, pattern: &str) -> Option<String> {
        if let Some(path) = self.values.get(pattern) {
            return Some(path.clone());
        }
        let mut out = Vec::new();
        let mut previous = "";
        let builder = pattern.starts_with("/back-office/forms/");
        for segment in pattern.split('/') {
            if segment.starts_with('{') {
                let key = if builder {
                    format!("builder:{previous}/{segment}")
                } else {
                    format!("{previous}/{segment}")
                };
                let value = self
                    .values
                    .get(&format!("{pattern}#{segment}"))
                    .or_else(|| self.values.get(&key))?;
                out.push(value.clone());
            } else {
                out.push(segment.to_owned());
            }
            previous = segment;
        }
        Some(out.join("/"))
    }

    /// `method` on `path` as `actor`; a post carries the form token and the
    /// pattern's fields in [`World::fields`] (most: none).
    async fn send(
        &mut self,
        actor: Actor,
        method: &str,
        pattern: &str,
        path: &str,
    ) -> TestResponse {
        let (client, csrf) = self
            .clients
            .get_mut(&actor)
            .unwrap_or_else(|| panic!("{actor:?}"));
        match method {
            "GET" => client.get(path).await,
            "POST" => {
                let mut fields = vec![("csrf_token", csrf.as_str())];
                if let Some(more) = self.fields.get(pattern) {
                    fields.extend(more.iter().map(|(k, v)| (*k, v.as_str())));
                }
                if MULTIPART.contains(&pattern) {
                    client.post_multipart(path, &fields, &[]).await
                } else {
                    client.post_form(path, &fields).await
                }
            }
            other => client.send_as(other, path).await,
        }
    }
}

/// The first `href` on `page` starting with `prefix`, without it.
fn first_href(page: &TestResponse, prefix: &str) -> String {
    let marker = format!("href=\"{prefix}");
    let start = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no link to {prefix} in {}", page.body))
        + marker.len();
    let end = start + page.body[start..].find(['"', '?']).unwrap_or(0);
    page.body[start..end].to_owned()
}

/// A's form keys: the first page, the first file question and the first
/// repeating question.
fn keys(definition: &FormDefinition) -> (String, Option<String>, Option<String>) {
    let page = definition.pages[0].key.to_string();
    let questions = || definition.pages.iter().flat_map(|p| p.questions.iter());
    let file = questions()
        .find(|q| matches!(q.kind, QuestionKind::FileUpload { .. }))
        .map(|q| q.key.to_string());
    let repeating = questions()
        .find(|q| matches!(q.kind, QuestionKind::Repeating { .. }))
        .map(|q| q.key.to_string());
    (page, file, repeating)
}

async fn staff_id(app: &TestApp, email: &str) -> String {
    stranger_id(app, email).await.to_string()
}

/// Child A (Alex "Lex" Example, of the default team) with an assessment, an
/// invitation, a conversation, a shared document, forms sent, a submission, a
/// request for advice and a professional's request; child B; the twelve actors
/// signed in; and spare records for the allowed requests that change things.
#[expect(clippy::too_many_lines, reason = "one world for every row")]
async fn build_world(app: &TestApp) -> World {
    let mut values = BTreeMap::new();
    let mut fields: BTreeMap<String, Vec<(&'static str, String)>> = BTreeMap::new();
    let mut put = |key: &str, value: String| {
        values.insert(key.to_owned(), value);
    };

    // Staff.
    insert_team(
        app,
        &Team {
            id: north_team(),
            name: "North team".to_owned(),
        },
    )
    .await;
    let mut caseworker = staff_client(
        app,
        "case@testshire.example",
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[caseworkers()],
    )
    .await;
    let other_team = staff_client(
        app,
        "north@testshire.example",
        StaffRole::Caseworker,
        Some(north_team()),
        &[caseworkers()],
    )
    .await;
    let viewers = PermissionGroup {
        id: PermissionGroupId::from_uuid(crate::support::new_uuid()),
        name: "Viewers".to_owned(),
        permissions: [Permission::ViewCases].into_iter().collect(),
    };
    insert_group(app, &viewers).await;
    let viewer = staff_client(
        app,
        "viewer@testshire.example",
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[viewers.id],
    )
    .await;
    let mut admin = staff_client(
        app,
        "admin@testshire.example",
        StaffRole::Administrator,
        Some(DEFAULT_TEAM.0),
        &[default_group(StaffRole::Administrator)],
    )
    .await;

    // Children A and B.
    let child = add_child(&mut caseworker).await;
    let b_fields: Vec<(&str, &str)> = CHILD
        .iter()
        .filter(|(k, _)| !["nhs_number", "uln", "preferred_name"].contains(k))
        .map(|(k, v)| match *k {
            "first_name" => (*k, "Robin"),
            "last_name" => (*k, "Other"),
            "postcode" => (*k, "wr2 4aa"),
            "contact_name" => (*k, "Kim Other"),
            "contact_email" => (*k, "kim@example.com"),
            _ => (*k, *v),
        })
        .collect();
    let added = submit(
        &mut caseworker,
        "/back-office/children/new",
        "/back-office/children/new",
        &b_fields,
    )
    .await;
    let child_b: ChildId = location(&added)
        .trim_start_matches("/back-office/children/")
        .parse()
        .unwrap_or_else(|e| panic!("child B: {e:?} {}", added.body));
    open_assessment(&mut caseworker, child, ("2", "11", "2026")).await;
    put("children/{id}", child.to_string());
    put("children/{child}", child.to_string());
    let involvement = app.app.store.involvements_of_child(child).await.must()[0].id;
    put("involvements/{id}", involvement.to_string());
    let contact = app.app.store.family_contacts(child).await.must()[0].id;
    put("contacts/{contact}", contact.to_string());
    let (invitation, _) = invite(app, &mut caseworker, child).await;
    put("invitations/{id}", invitation.to_string());

    // Portal people.
    let mut clients: BTreeMap<Actor, TestClient> = BTreeMap::new();
    clients.insert(Actor::Anonymous, app.client());
    let mut link_ids = BTreeMap::new();
    for (actor, email, target, role, status) in [
        (
            Some(Actor::ParentOfA),
            "linked@example.com",
            child,
            PortalRole::Parent,
            LinkStatus::Active,
        ),
        (
            Some(Actor::ParentOfB),
            "other@example.com",
            child_b,
            PortalRole::Parent,
            LinkStatus::Active,
        ),
        (
            Some(Actor::PendingParent),
            "pending@example.com",
            child,
            PortalRole::Parent,
            LinkStatus::Pending,
        ),
        (
            Some(Actor::RevokedParent),
            "revoked@example.com",
            child,
            PortalRole::Parent,
            LinkStatus::Revoked,
        ),
        (
            Some(Actor::YoungPerson),
            "lex@example.com",
            child,
            PortalRole::YoungPerson,
            LinkStatus::Active,
        ),
        // Spares: an active link to revoke, a revoked one to grant, an
        // account to disable.
        (
            None,
            "spare@example.com",
            child,
            PortalRole::Parent,
            LinkStatus::Active,
        ),
        (
            None,
            "spare-revoked@example.com",
            child,
            PortalRole::Parent,
            LinkStatus::Revoked,
        ),
    ] {
        let mut client = app.client();
        register(app, &mut client, email).await;
        let account = stranger_id(app, email).await;
        let id = link(app, target, account, role, status).await;
        link_ids.insert(email, id);
        if let Some(actor) = actor {
            clients.insert(actor, client);
        }
    }
    put(
        "/back-office/children/{id}/portal-access/{link}/revoke#{link}",
        link_ids["spare@example.com"].to_string(),
    );
    put(
        "/back-office/children/{id}/portal-access/{link}/grant#{link}",
        link_ids["spare-revoked@example.com"].to_string(),
    );
    put(
        "portal-accounts/{id}",
        stranger_id(app, "spare@example.com").await.to_string(),
    );
    let linked_pro = professional(app, "pro@example.com").await;
    link(
        app,
        child,
        stranger_id(app, "pro@example.com").await,
        PortalRole::Professional,
        LinkStatus::Active,
    )
    .await;
    clients.insert(Actor::ProfessionalOfA, linked_pro);
    let mut unlinked = professional(app, "unlinked@example.com").await;
    // The unlinked professional asks to be linked to A.
    let asked = submit(
        &mut unlinked,
        "/children/add",
        "/children/add",
        &[
            ("first_name", "Alex"),
            ("last_name", "Example"),
            ("dob-day", "14"),
            ("dob-month", "3"),
            ("dob-year", "2016"),
            ("relationship", "SENCO"),
        ],
    )
    .await;
    assert_eq!(location(&asked), "/home", "{}", asked.body);
    let request = app
        .app
        .store
        .child_link_requests_for_account(stranger_id(app, "unlinked@example.com").await)
        .await
        .must()[0]
        .id;
    put("portal-requests/{id}", request.to_string());
    clients.insert(Actor::UnlinkedProfessional, unlinked);
    // A spare professional's request for A, for the allowed match.
    let mut spare_pro = professional(app, "spare-pro@example.com").await;
    let asked = submit(
        &mut spare_pro,
        "/children/add",
        "/children/add",
        &[
            ("first_name", "Alex"),
            ("last_name", "Example"),
            ("dob-day", "14"),
            ("dob-month", "3"),
            ("dob-year", "2016"),
            ("relationship", "Speech and language therapist"),
        ],
    )
    .await;
    assert_eq!(location(&asked), "/home", "{}", asked.body);
    let spare_request = app
        .app
        .store
        .child_link_requests_for_account(stranger_id(app, "spare-pro@example.com").await)
        .await
        .must()[0]
        .id;
    let matching = "/back-office/portal-requests/{id}/match";
    put(&format!("{matching}#{{id}}"), spare_request.to_string());
    fields.insert(matching.to_owned(), vec![("child", child.to_string())]);
    // An incoming form's match names A, with a version already gone: the
    // allowed answer is "changed", and nothing is matched.
    fields.insert(
        "/back-office/incoming-forms/{id}/match".to_owned(),
        vec![("child", child.to_string()), ("version", "0".to_owned())],
    );
    // A reply to A's conversation says something, so only the access check
    // stands between it and the conversation.
    fields.insert(
        "/back-office/messages/{id}/reply".to_owned(),
        vec![("message", "We will call you tomorrow".to_owned())],
    );
    // Giving A's conversation names a colleague who may see A's case.
    fields.insert(
        "/back-office/messages/{id}/give".to_owned(),
        vec![("to", "case@testshire.example".to_owned())],
    );

    // A's conversation and document.
    let parent = clients.get_mut(&Actor::ParentOfA).must();
    let thread = new_message(parent, child, "The bus for Lex").await;
    put("messages/{thread}", thread.to_string());
    put("messages/{id}", thread.to_string());
    let uploaded = upload(&mut caseworker, child, "letter.pdf", PDF, "all").await;
    assert!(uploaded.status.is_redirection(), "{}", uploaded.body);
    let document = app.app.store.documents_of_child(child).await.must()[0].id;
    put("documents/{id}", document.to_string());

    // Forms sent to A's family (one to withdraw), a form that stands alone,
    // and a form being built.
    let access = app
        .app
        .staff_access(stranger_id(app, "case@testshire.example").await)
        .await
        .must()
        .must();
    let mut assignments = Vec::new();
    for code in ["draft_plan_comments", "all_about_me"] {
        let form = crate::forms::builtin(app, code).await;
        let assignment = app
            .app
            .assign_form(
                &access,
                child,
                send_app::forms::assign::NewAssignment {
                    form,
                    to: AssignedTo::EveryoneLinked,
                    due: None,
                },
                &send_app::audit::Source::default(),
            )
            .await
            .must()
            .unwrap_or_else(|e| panic!("{e:?}"));
        assignments.push((form, assignment));
    }
    let family_form: FormId = assignments[0].0;
    put("forms/{form}", family_form.to_string());
    put("form-assignments/{id}", assignments[1].1.to_string());
    let family = app.app.store.form(family_form).await.must().must();
    let (page, file, repeating) = keys(&family.draft);
    put("pages/{page}", page);
    let standalone = crate::forms::builtin(app, "request_assessment_family").await;
    let standalone_form = app.app.store.form(standalone).await.must().must();
    let (s_page, s_file, s_repeating) = keys(&standalone_form.draft);
    for base in ["/forms/{form}", "/children/{child}/forms/{form}"] {
        let (form, page, file, repeating) = if base == "/forms/{form}" {
            (
                standalone,
                s_page.clone(),
                s_file.clone(),
                s_repeating.clone(),
            )
        } else {
            (family_form, String::new(), file.clone(), repeating.clone())
        };
        if base == "/forms/{form}" {
            put(&format!("{base}#{{form}}"), form.to_string());
            for suffix in ["", "/pages/{page}", "/check"] {
                put(&format!("{base}{suffix}#{{form}}"), form.to_string());
            }
            put(&format!("{base}/pages/{{page}}#{{page}}"), page);
        }
        let file = file.unwrap_or_else(|| panic!("{base}: a file question"));
        let repeating = repeating.unwrap_or_else(|| panic!("{base}: a repeating question"));
        for suffix in ["/files", "/files/{position}/remove"] {
            let pattern = format!("{base}/questions/{{question}}{suffix}");
            put(&format!("{pattern}#{{question}}"), file.clone());
            put(&format!("{pattern}#{{form}}"), form.to_string());
        }
        for suffix in [
            "/items/new",
            "/items/{position}",
            "/items/{position}/remove",
        ] {
            let pattern = format!("{base}/questions/{{question}}{suffix}");
            put(&format!("{pattern}#{{question}}"), repeating.clone());
            put(&format!("{pattern}#{{form}}"), form.to_string());
        }
    }
    put("files/{position}", "0".to_owned());
    put("items/{position}", "0".to_owned());
    let submission = incoming_request(app, child).await;
    put("submissions/{id}", submission.to_string());
    put("incoming-forms/{id}", submission.to_string());
    put("submitted/{submission}", submission.to_string());
    let mut author = Staffer::new(
        app,
        "author@testshire.example",
        &[default_group(StaffRole::Administrator)],
    )
    .await;
    let built = build_sound_form(&mut author, "A form being built").await;
    // Asking for approval, publishing (then comparing), retiring and copying
    // work on another; removing pages and questions on a third.
    let spare_form = build_sound_form(&mut author, "A spare form").await;
    for action in ["ask-for-approval", "publish", "retire", "copy", "compare"] {
        put(
            &format!("/back-office/forms/{{id}}/{action}#{{id}}"),
            spare_form.to_string(),
        );
    }
    let taken_apart = build_sound_form(&mut author, "A form taken apart").await;
    for pattern in [
        "/back-office/forms/{id}/pages/{page}/remove",
        "/back-office/forms/{id}/questions/{question}/remove",
        "/back-office/forms/{id}/questions/{group}/items/{question}/remove",
        "/back-office/forms/{id}/questions/{question}/condition/remove",
        "/back-office/forms/{id}/pages/{page}/condition/remove",
        "/back-office/forms/{id}/pages/{page}/routes/{index}/remove",
    ] {
        put(&format!("{pattern}#{{id}}"), taken_apart.to_string());
    }
    // Its q2 (alone on p2) goes first, and p2 with it.
    put(
        "/back-office/forms/{id}/pages/{page}/remove#{page}",
        "p3".to_owned(),
    );
    for (key, value) in [
        ("builder:forms/{id}", built.to_string()),
        ("builder:new/{kind}", "short_text".to_owned()),
        ("builder:questions/{question}", "q2".to_owned()),
        ("builder:questions/{group}", "q3".to_owned()),
        ("builder:items/{question}", "q4".to_owned()),
        ("builder:condition/{tested}", "q1".to_owned()),
        ("builder:new/{tested}", "q1".to_owned()),
        ("builder:pages/{page}", "p2".to_owned()),
        ("builder:routes/{index}", "0".to_owned()),
    ] {
        put(key, value);
    }
    put(
        "/back-office/forms/{id}/pages/{page}/routes/{index}/remove#{page}",
        "p1".to_owned(),
    );

    // A request for advice about A, addressed to the unlinked professional.
    let advice = app
        .app
        .request_advice(
            &access,
            involvement,
            send_app::advice::NewAdviceRequest {
                kind: send_domain::advice::AdviceKind::Educational,
                recipient: send_domain::ShortText::parse("Unlinked School", "who").must(),
                email: Some(send_domain::Email::parse("unlinked@example.com").must()),
                answer_by: send_domain::advice::AnswerBy::Upload,
                sent_on: time::macros::date!(2026 - 11 - 16),
            },
            &send_app::audit::Source::default(),
        )
        .await
        .must()
        .unwrap_or_else(|e| panic!("{e:?}"))
        .id;
    put("advice/{id}", advice.to_string());

    // Administration: spare records to change, and the keys the pages list.
    create_staff(
        app,
        "spare@testshire.example",
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[caseworkers()],
    )
    .await;
    put(
        "people/{id}",
        staff_id(app, "spare@testshire.example").await,
    );
    app.app
        .issue_admin_setup_link(
            send_domain::Email::parse("setup@testshire.example").must(),
            send_domain::PersonName::parse("Sid Setup").must(),
        )
        .await
        .must();
    let setup = app.app.store.pending_staff_setup_links().await.must()[0].id;
    put("setup-links/{id}", setup.to_string());
    let spare_team = Team {
        id: TeamId::from_uuid(crate::support::new_uuid()),
        name: "Spare team".to_owned(),
    };
    insert_team(app, &spare_team).await;
    put("teams/{id}", spare_team.id.to_string());
    let spare_group = PermissionGroup {
        id: PermissionGroupId::from_uuid(crate::support::new_uuid()),
        name: "Spare group".to_owned(),
        permissions: [Permission::ViewReports].into_iter().collect(),
    };
    insert_group(app, &spare_group).await;
    put("groups/{id}", spare_group.id.to_string());
    let milestone = submit(
        &mut admin,
        "/back-office/admin/milestones/new",
        "/back-office/admin/milestones/new",
        &[
            ("kind", "assessment"),
            ("title", "Panel date"),
            ("amount", "4"),
            ("unit", "weeks"),
            ("start_event", "request_received"),
        ],
    )
    .await;
    assert!(milestone.status.is_redirection(), "{}", milestone.body);
    let code = app.app.store.local_milestones().await.must()[0]
        .code
        .clone();
    put("milestones/{code}", code);
    let types = app.app.store.message_types().await.must();
    put("message-types/{id}", types[types.len() - 1].id.to_string());
    let texts = admin.get("/back-office/admin/texts").await;
    put(
        "texts/{key}",
        first_href(&texts, "/back-office/admin/texts/"),
    );
    let notifications = admin.get("/back-office/admin/notifications").await;
    put(
        "notifications/{event}",
        first_href(&notifications, "/back-office/admin/notifications/"),
    );
    let overview = admin.get("/back-office/admin").await;
    put(
        "advice-reminders/{kind}",
        first_href(&overview, "/back-office/admin/advice-reminders/"),
    );
    let start = admin.get("/").await;
    put("assets/{*path}", first_href(&start, "/assets/"));
    // Secrets in addresses: well formed, made up.
    for key in [
        "invitations/{token}",
        "setup/{token}",
        "reset-password/{token}",
        "link/{token}",
    ] {
        put(key, "a".repeat(64));
    }

    clients.insert(Actor::CaseworkerOfA, caseworker);
    clients.insert(Actor::CaseworkerOtherTeam, other_team);
    clients.insert(Actor::StaffWithoutPermission, viewer);
    clients.insert(Actor::Administrator, admin);
    let mut signed_in = BTreeMap::new();
    for (actor, mut client) in clients {
        let page = if actor == Actor::Anonymous {
            "/sign-in"
        } else {
            "/account"
        };
        let csrf = csrf_of(&client.get(page).await);
        signed_in.insert(actor, (client, csrf));
    }
    World {
        clients: signed_in,
        values,
        fields,
    }
}
