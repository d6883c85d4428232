//! Messages and documents through the real pages: a parent and the SEND team
//! write to each other, notices that never carry the message, the team inbox,
//! documents shared and un-shared, uploads checked by content and size, and the
//! people who must be refused.

use http::StatusCode;
use send_domain::{AuditAction, AuditOutcome, ChildId, LinkStatus, PortalRole, ThreadId};

use crate::accounts::{csrf_of, latest_email, register, submit};
use crate::back_office::{audit, location, open_assessment};
use crate::portal_access::{PARENT, caseworker_and_child, link, professional, stranger_id};
use crate::support::{TestApp, TestClient, on_both_databases};
use time::Duration;

const GENERAL_ENQUIRY: &str = "00000000-0000-4000-8000-000000000201";
const CASEWORKER: &str = "case@testshire.example";
const SECRET_TEXT: &str = "Lex has been finding the bus very hard this week";

/// A form token from any page the client can open.
async fn token(client: &mut TestClient, page: &str) -> String {
    csrf_of(&client.get(page).await)
}

/// A caseworker, a child with an assessment they hold, and a parent linked to it.
pub async fn case_with_parent(app: &TestApp) -> (TestClient, ChildId, TestClient) {
    let (mut caseworker, child) = caseworker_and_child(app).await;
    open_assessment(&mut caseworker, child, ("2", "11", "2026")).await;
    let mut parent = app.client();
    register(app, &mut parent, PARENT).await;
    link(
        app,
        child,
        stranger_id(app, PARENT).await,
        PortalRole::Parent,
        LinkStatus::Active,
    )
    .await;
    (caseworker, child, parent)
}

/// The parent sends a new message; returns its thread.
pub async fn new_message(client: &mut TestClient, child: ChildId, subject: &str) -> ThreadId {
    let path = format!("/children/{child}/messages/new");
    let csrf = token(client, &path).await;
    let sent = client
        .post_multipart(
            &path,
            &[
                ("csrf_token", &csrf),
                ("message_type", GENERAL_ENQUIRY),
                ("subject", subject),
                ("message", SECRET_TEXT),
            ],
            &[],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    location(&sent)
        .trim_start_matches("/messages/")
        .parse()
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[tokio::test]
#[expect(clippy::too_many_lines, reason = "the guide's messages, in order")]
async fn a_parent_and_the_send_team_write_to_each_other() {
    on_both_databases(async |app| {
        let (mut caseworker, child, mut parent) = case_with_parent(&app).await;
        let mailbox = format!("/children/{child}/messages");
        let empty = parent.get(&mailbox).await;
        assert_eq!(empty.status, StatusCode::OK);
        assert!(empty.body.contains("New Message"));

        // Nothing chosen: a message per field, what was typed kept, nothing sent.
        let path = format!("{mailbox}/new");
        let csrf = token(&mut parent, &path).await;
        let refused = parent
            .post_multipart(
                &path,
                &[("csrf_token", &csrf), ("subject", "Transport")],
                &[],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("Select a message type"));
        assert!(refused.body.contains("Enter your message"));
        assert!(refused.body.contains("value=\"Transport\""));
        assert!(audit(&app, AuditAction::MessageSent).await.is_empty());

        let thread = new_message(&mut parent, child, "Transport").await;
        let shown = parent.get(&format!("/messages/{thread}")).await;
        assert!(shown.body.contains(SECRET_TEXT));
        assert!(shown.body.contains("Return to Dashboard"));
        let sent_items = parent.get(&mailbox).await;
        assert!(sent_items.body.contains("Sent Items"));
        assert!(sent_items.body.contains("Transport"));

        // The caseworker is told without the message, and finds it in the team inbox.
        let (subject, text) = latest_email(&app, CASEWORKER).await;
        assert_eq!(
            subject,
            "You have a new message about Lex in the SEND Portal"
        );
        assert!(!text.contains(SECRET_TEXT), "no message in the email");
        let inbox = caseworker.get("/back-office/messages").await;
        assert!(inbox.body.contains("Transport"));
        assert!(inbox.body.contains("Less than a day"));
        let conversation = caseworker
            .get(&format!("/back-office/messages/{thread}"))
            .await;
        assert!(conversation.body.contains(SECRET_TEXT));
        assert!(conversation.body.contains("moj-message-item--received"));

        // The caseworker holds it and replies; the parent is told, without content.
        let csrf = csrf_of(&conversation);
        let held = caseworker
            .post_form(
                &format!("/back-office/messages/{thread}/hold"),
                &[("csrf_token", &csrf), ("hold", "me")],
            )
            .await;
        assert_eq!(held.status, StatusCode::SEE_OTHER);
        let replied = caseworker
            .post_multipart(
                &format!("/back-office/messages/{thread}/reply"),
                &[
                    ("csrf_token", &csrf),
                    ("message", "We will call you tomorrow"),
                ],
                &[],
            )
            .await;
        assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
        let (subject, text) = latest_email(&app, PARENT).await;
        assert_eq!(
            subject,
            "You have a new message about Lex in the SEND Portal"
        );
        assert!(!text.contains("call you tomorrow"));
        assert!(
            !caseworker
                .get("/back-office/messages")
                .await
                .body
                .contains("Transport"),
            "answered: no longer waiting"
        );

        // The parent sees it unread in the Inbox, opens it, replies.
        let inbox = parent.get(&mailbox).await;
        assert!(inbox.body.contains("Unread"));
        let dashboard = parent.get(&format!("/children/{child}/dashboard")).await;
        assert!(dashboard.body.contains("1 unread message"));
        assert!(
            dashboard.body.contains(&format!(
                "<p class=\"govuk-body app-phone-only\"><a class=\"govuk-link\" href=\"/children/{child}/messages\">1 new message</a></p>"
            )),
            "on a phone, the notice under the child's name"
        );
        let opened = parent.get(&format!("/messages/{thread}")).await;
        assert!(opened.body.contains("We will call you tomorrow"));
        assert!(
            opened
                .body
                .contains("SEND team (Staff case@testshire.example)")
        );
        assert!(
            !parent.get(&mailbox).await.body.contains("Unread"),
            "read now"
        );
        let reply = format!("/messages/{thread}/reply");
        let csrf = token(&mut parent, &reply).await;
        let blank = parent
            .post_multipart(&reply, &[("csrf_token", &csrf), ("message", "  ")], &[])
            .await;
        assert_eq!(blank.status, StatusCode::BAD_REQUEST);
        let answered = parent
            .post_multipart(
                &reply,
                &[
                    ("csrf_token", &csrf),
                    ("message", "Thank you, after 3pm please"),
                ],
                &[],
            )
            .await;
        assert_eq!(location(&answered), format!("/messages/{thread}"));
        let (subject, _) = latest_email(&app, CASEWORKER).await;
        assert!(
            subject.starts_with("You have a new message"),
            "to the holder"
        );

        // The parent turns the emails off: the next reply sends none.
        let account = parent.get("/account").await;
        let off = parent
            .post_form(
                "/account/message-emails",
                &[("csrf_token", &csrf_of(&account)), ("emails", "off")],
            )
            .await;
        assert_eq!(location(&off), "/account");
        let before = app.app.store.outbox_emails(1000).await.unwrap().len();
        let csrf = token(&mut caseworker, &format!("/back-office/messages/{thread}")).await;
        caseworker
            .post_multipart(
                &format!("/back-office/messages/{thread}/reply"),
                &[("csrf_token", &csrf), ("message", "Noted")],
                &[],
            )
            .await;
        assert_eq!(
            app.app.store.outbox_emails(1000).await.unwrap().len(),
            before,
            "no email once turned off"
        );
        for action in [
            AuditAction::MessageSent,
            AuditAction::ThreadRead,
            AuditAction::MessageEmailsChanged,
        ] {
            assert!(!audit(&app, action).await.is_empty(), "{action:?}");
        }
    })
    .await;
}

#[tokio::test]
#[expect(
    clippy::too_many_lines,
    reason = "holding, giving, hand-over, and each refused"
)]
async fn caseworkers_hand_over_the_threads_they_hold() {
    on_both_databases(async |app| {
        let (mut caseworker, child, mut parent) = case_with_parent(&app).await;
        let thread = new_message(&mut parent, child, "School place").await;
        let conversation = format!("/back-office/messages/{thread}");
        let csrf = token(&mut caseworker, &conversation).await;
        caseworker
            .post_form(
                &format!("{conversation}/hold"),
                &[("csrf_token", &csrf), ("hold", "me")],
            )
            .await;
        crate::back_office::create_staff(
            &app,
            "colleague@testshire.example",
            send_domain::StaffRole::Caseworker,
            Some(send_domain::DEFAULT_TEAM.0),
            &[crate::back_office::caseworkers()],
        )
        .await;
        let nobody = submit(
            &mut caseworker,
            "/back-office/messages",
            "/back-office/messages/hand-over",
            &[("to", "nobody@example.com")],
        )
        .await;
        assert_eq!(nobody.status, StatusCode::BAD_REQUEST);
        assert!(
            nobody
                .body
                .contains("Enter the email address of a colleague")
        );
        let moved = submit(
            &mut caseworker,
            "/back-office/messages",
            "/back-office/messages/hand-over",
            &[("to", "colleague@testshire.example")],
        )
        .await;
        assert_eq!(location(&moved), "/back-office/messages");
        assert!(
            caseworker
                .get("/back-office/messages")
                .await
                .body
                .contains("1 thread handed over")
        );
        let page = caseworker.get(&conversation).await;
        assert!(
            page.body
                .contains("Held by: Staff colleague@testshire.example")
        );

        // One conversation given to a named colleague; a stranger's address refused.
        let second = new_message(&mut parent, child, "Annual review date").await;
        let other = format!("/back-office/messages/{second}");
        let csrf = token(&mut caseworker, &other).await;
        let wrong = caseworker
            .post_form(
                &format!("{other}/give"),
                &[("csrf_token", &csrf), ("to", "someone@example.com")],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert!(wrong.body.contains("value=\"someone@example.com\""));
        let given = caseworker
            .post_form(
                &format!("{other}/give"),
                &[("csrf_token", &csrf), ("to", "colleague@testshire.example")],
            )
            .await;
        assert_eq!(location(&given), other);

        // A colleague in another team cannot see the case: refused, nothing moves.
        let elsewhere = send_store::Team {
            id: send_domain::TeamId::from_uuid(crate::support::new_uuid()),
            name: "North team".to_owned(),
        };
        crate::back_office::insert_team(&app, &elsewhere).await;
        crate::back_office::create_staff(
            &app,
            "north@testshire.example",
            send_domain::StaffRole::Caseworker,
            Some(elsewhere.id),
            &[crate::back_office::caseworkers()],
        )
        .await;
        let outside = caseworker
            .post_form(
                &format!("{other}/give"),
                &[("csrf_token", &csrf), ("to", "north@testshire.example")],
            )
            .await;
        assert_eq!(outside.status, StatusCode::BAD_REQUEST);
        assert!(
            outside
                .body
                .contains("That colleague cannot see this child")
        );
        let third = new_message(&mut parent, child, "Transport").await;
        let third_page = format!("/back-office/messages/{third}");
        caseworker
            .post_form(
                &format!("{third_page}/hold"),
                &[("csrf_token", &csrf), ("hold", "me")],
            )
            .await;
        let refused = submit(
            &mut caseworker,
            "/back-office/messages",
            "/back-office/messages/hand-over",
            &[("to", "north@testshire.example")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("That colleague cannot see your team"));
        assert!(
            caseworker
                .get(&third_page)
                .await
                .body
                .contains("Held by: Staff case@testshire.example")
        );
        assert!(
            caseworker
                .get(&other)
                .await
                .body
                .contains("Held by: Staff colleague@testshire.example")
        );
    })
    .await;
}

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// The caseworker uploads a file to the child's documents.
pub async fn upload(
    caseworker: &mut TestClient,
    child: ChildId,
    name: &str,
    bytes: &[u8],
    share: &str,
) -> crate::support::TestResponse {
    let path = format!("/back-office/children/{child}/documents/new");
    let csrf = token(caseworker, &path).await;
    caseworker
        .post_multipart(
            &path,
            &[
                ("csrf_token", &csrf),
                ("kind", "letter"),
                ("description", "Decision to assess letter"),
                ("share", share),
            ],
            &[("file", name, bytes)],
        )
        .await
}

#[tokio::test]
async fn a_shared_letter_is_downloaded_by_the_parent_and_unsharing_removes_it() {
    on_both_databases(async |app| {
        let (mut caseworker, child, mut parent) = case_with_parent(&app).await;
        let added = upload(&mut caseworker, child, "letter.pdf", PDF, "all").await;
        assert_eq!(
            location(&added),
            format!("/back-office/children/{child}/documents"),
            "{}",
            added.body
        );
        let (subject, text) = latest_email(&app, PARENT).await;
        assert_eq!(
            subject,
            "A document about Lex has been shared with you in the SEND Portal"
        );
        assert!(
            !text.contains("Decision to assess letter"),
            "nothing of it in the email"
        );
        assert!(text.contains(&format!("/children/{child}/documents")));
        let listed = parent.get(&format!("/children/{child}/documents")).await;
        assert!(listed.body.contains("Decision to assess letter"));
        let document = app.app.store.documents_of_child(child).await.unwrap()[0].clone();
        assert_ne!(document.file.key, "letter.pdf", "the server names the file");
        let at = document.uploaded_at;
        let folder = format!("{:04}/{:02}/", at.year(), u8::from(at.month()));
        assert!(
            document.file.key.starts_with(&folder),
            "stored under the clock's year and month: {}",
            document.file.key
        );
        let downloaded = parent.get(&format!("/documents/{}", document.id)).await;
        assert_eq!(downloaded.status, StatusCode::OK);
        assert_eq!(downloaded.body.as_bytes(), PDF, "the same bytes");
        assert_eq!(downloaded.header("content-type"), Some("application/pdf"));
        assert!(
            downloaded
                .header("content-disposition")
                .is_some_and(|d| d.starts_with("attachment;") && d.contains("letter.pdf"))
        );
        assert_eq!(downloaded.header("x-content-type-options"), Some("nosniff"));
        assert!(
            audit(&app, AuditAction::DocumentDownloaded)
                .await
                .iter()
                .any(|e| e.outcome == AuditOutcome::Succeeded)
        );
        assert!(
            parent
                .get(&format!("/children/{child}/dashboard"))
                .await
                .body
                .contains("1 document")
        );

        // Un-shared: gone from the list and refused at once.
        let sharing = format!("/back-office/documents/{}/sharing", document.id);
        let saved = submit(&mut caseworker, &sharing, &sharing, &[("share", "nobody")]).await;
        assert_eq!(
            location(&saved),
            format!("/back-office/children/{child}/documents")
        );
        let listed = parent.get(&format!("/children/{child}/documents")).await;
        assert!(!listed.body.contains("Decision to assess letter"));
        let refused = parent.get(&format!("/documents/{}", document.id)).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert!(!refused.body.contains("%PDF"));
        assert!(audit(&app, AuditAction::DocumentSharingChanged).await.len() >= 2);
    })
    .await;
}

#[tokio::test]
async fn uploads_are_checked_by_content_and_size_and_stored_under_safe_names() {
    on_both_databases(async |app| {
        let (mut caseworker, child, _) = case_with_parent(&app).await;
        // A PNG called .pdf: refused, kept out of storage.
        let mismatch = upload(&mut caseworker, child, "letter.pdf", PNG, "nobody").await;
        assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
        assert!(mismatch.body.contains("There is a problem"));
        assert!(
            mismatch
                .body
                .contains("value=\"Decision to assess letter\""),
            "kept"
        );
        // Too large: refused without being stored.
        let big = vec![b'a'; 20 * 1024 * 1024 + 1];
        let oversized = upload(&mut caseworker, child, "notes.txt", &big, "nobody").await;
        assert_eq!(oversized.status, StatusCode::BAD_REQUEST);
        assert!(oversized.body.contains("must be smaller than 20MB"));
        assert!(
            app.app
                .store
                .documents_of_child(child)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            audit(&app, AuditAction::UploadRefused).await.len() >= 2,
            "refusals are audited"
        );

        // Hostile names: stored under the server's own key, shown escaped.
        for name in ["../../etc/passwd.pdf", "<script>alert(1)</script>.pdf"] {
            let added = upload(&mut caseworker, child, name, PDF, "nobody").await;
            assert_eq!(
                added.status,
                StatusCode::SEE_OTHER,
                "{name}: {}",
                added.body
            );
        }
        let documents = app.app.store.documents_of_child(child).await.unwrap();
        for document in &documents {
            assert!(!document.file.key.contains(".."), "{}", document.file.key);
            assert!(!document.file.key.contains('<'));
            assert!(!document.file.name.contains('/'));
        }
        let page = caseworker
            .get(&format!("/back-office/children/{child}/documents"))
            .await;
        assert!(!page.body.contains("<script>alert(1)"), "escaped");
        assert!(page.body.contains("passwd.pdf"));
        // The name in a download header cannot break out of its quotes.
        let scripted = documents
            .iter()
            .find(|d| d.file.name.contains("script"))
            .unwrap();
        let download = caseworker
            .get(&format!("/back-office/documents/{}", scripted.id))
            .await;
        let disposition = download.header("content-disposition").unwrap_or_default();
        assert!(
            disposition.starts_with("attachment; filename=\""),
            "{disposition}"
        );
        assert_eq!(disposition.matches('"').count(), 2, "{disposition}");
    })
    .await;
}

#[tokio::test]
async fn others_can_neither_list_read_reply_nor_download() {
    on_both_databases(async |app| {
        let (mut caseworker, child, mut parent) = case_with_parent(&app).await;
        let thread = new_message(&mut parent, child, "Private matter").await;
        upload(&mut caseworker, child, "letter.pdf", PDF, "all").await;
        let document = app.app.store.documents_of_child(child).await.unwrap()[0].id;

        let other_child = crate::back_office::add_child(&mut caseworker).await;
        let mut other_parent = app.client();
        register(&app, &mut other_parent, "other@example.com").await;
        link(
            &app,
            other_child,
            stranger_id(&app, "other@example.com").await,
            PortalRole::Parent,
            LinkStatus::Active,
        )
        .await;
        let mut revoked = app.client();
        register(&app, &mut revoked, "revoked@example.com").await;
        link(
            &app,
            child,
            stranger_id(&app, "revoked@example.com").await,
            PortalRole::Parent,
            LinkStatus::Revoked,
        )
        .await;
        let mut unlinked = professional(&app, "pro@example.com").await;
        // A linked professional sees the letter, but not the parent's thread.
        let mut linked_pro = professional(&app, "linked-pro@example.com").await;
        link(
            &app,
            child,
            stranger_id(&app, "linked-pro@example.com").await,
            PortalRole::Professional,
            LinkStatus::Active,
        )
        .await;

        let messages_before = app.app.store.messages(thread).await.unwrap().len();
        for (who, client) in [
            ("other child's parent", &mut other_parent),
            ("revoked parent", &mut revoked),
            ("unlinked professional", &mut unlinked),
            ("linked professional", &mut linked_pro),
        ] {
            let csrf = token(client, "/account").await;
            let mut responses = vec![
                client.get(&format!("/messages/{thread}")).await,
                client.get(&format!("/messages/{thread}/reply")).await,
                client
                    .post_multipart(
                        &format!("/messages/{thread}/reply"),
                        &[("csrf_token", &csrf), ("message", "Let me in")],
                        &[],
                    )
                    .await,
            ];
            if who != "linked professional" {
                responses.push(client.get(&format!("/children/{child}/messages")).await);
                responses.push(client.get(&format!("/children/{child}/documents")).await);
                responses.push(client.get(&format!("/documents/{document}")).await);
            }
            for response in responses {
                assert_eq!(response.status, StatusCode::NOT_FOUND, "{who}");
                for secret in [SECRET_TEXT, "Private matter", "%PDF", "Lex"] {
                    assert!(!response.body.contains(secret), "{who}: {secret}");
                }
            }
        }
        let shared = linked_pro.get(&format!("/documents/{document}")).await;
        assert_eq!(shared.status, StatusCode::OK, "shared with everyone linked");
        assert_eq!(
            app.app.store.messages(thread).await.unwrap().len(),
            messages_before,
            "nothing written"
        );
        // Staff outside the case's permissions see nothing either.
        let mut anonymous = app.client();
        let to_sign_in = anonymous.get(&format!("/messages/{thread}")).await;
        assert_eq!(location(&to_sign_in), "/sign-in");
        let refused = audit(&app, AuditAction::ThreadRead).await;
        assert!(refused.iter().any(|e| e.outcome == AuditOutcome::Refused));
    })
    .await;
}

#[tokio::test]
async fn attachments_travel_with_messages_and_only_to_those_in_the_thread() {
    on_both_databases(async |app| {
        let (mut caseworker, child, mut parent) = case_with_parent(&app).await;
        let thread = new_message(&mut parent, child, "Therapy report").await;
        app.clock.advance(time::Duration::seconds(1));
        let reply = format!("/messages/{thread}/reply");
        let csrf = token(&mut parent, &reply).await;
        // A mismatched attachment is refused with its name, and nothing is sent.
        let refused = parent
            .post_multipart(
                &reply,
                &[("csrf_token", &csrf), ("message", "Here it is")],
                &[("attachment", "report.pdf", PNG)],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("report.pdf"));
        assert!(refused.body.contains("Here it is"), "the message is kept");
        assert_eq!(app.app.store.messages(thread).await.unwrap().len(), 1);
        let sent = parent
            .post_multipart(
                &reply,
                &[("csrf_token", &csrf), ("message", "Here it is")],
                &[("attachment", "report.pdf", PDF)],
            )
            .await;
        assert_eq!(
            location(&sent),
            format!("/messages/{thread}"),
            "{}",
            sent.body
        );
        let attached = app.app.store.messages(thread).await.unwrap()[1].attachments[0];

        // The caseworker sees and downloads it; the parent can download it too.
        let conversation = caseworker
            .get(&format!("/back-office/messages/{thread}"))
            .await;
        assert!(conversation.body.contains("report.pdf"));
        let staff_copy = caseworker
            .get(&format!("/back-office/documents/{attached}"))
            .await;
        assert_eq!(staff_copy.body.as_bytes(), PDF);
        let own_copy = parent.get(&format!("/documents/{attached}")).await;
        assert_eq!(own_copy.body.as_bytes(), PDF);
        // It is not in Documents to View, and a linked professional outside the
        // thread cannot fetch it.
        assert!(
            !parent
                .get(&format!("/children/{child}/documents"))
                .await
                .body
                .contains("report.pdf")
        );
        let mut pro = professional(&app, "pro@example.com").await;
        link(
            &app,
            child,
            stranger_id(&app, "pro@example.com").await,
            PortalRole::Professional,
            LinkStatus::Active,
        )
        .await;
        let outsider = pro.get(&format!("/documents/{attached}")).await;
        assert_eq!(outsider.status, StatusCode::NOT_FOUND);
        assert!(!outsider.body.contains("%PDF"));
    })
    .await;
}

#[tokio::test]
async fn a_portal_user_may_send_only_so_many_messages_in_ten_minutes() {
    on_both_databases(async |app| {
        let (_, child, mut parent) = case_with_parent(&app).await;
        let limit = send_app::messages::MESSAGES_PER_WINDOW;
        for n in 0..limit {
            new_message(&mut parent, child, &format!("Question {n}")).await;
        }
        let path = format!("/children/{child}/messages/new");
        let csrf = token(&mut parent, &path).await;
        let typed = "Please call me about the transport.";
        let refused = parent
            .post_multipart(
                &path,
                &[
                    ("csrf_token", &csrf),
                    ("message_type", GENERAL_ENQUIRY),
                    ("subject", "One more"),
                    ("message", typed),
                ],
                &[],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert!(refused.body.contains("govuk-error-summary"));
        assert!(
            refused.body.contains(&format!(
                "You have sent {limit} messages in the last 10 minutes"
            )),
            "{}",
            refused.body
        );
        assert!(refused.body.contains(typed), "what was typed is kept");
        let sent_items = app
            .app
            .store
            .threads_with_participant(child, stranger_id(&app, PARENT).await)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            sent_items.len(),
            usize::try_from(limit).unwrap_or(0),
            "nothing written"
        );
        // Ten minutes on, they may write again.
        app.clock.advance(Duration::minutes(10));
        let mut parent = app.client();
        crate::accounts::sign_in(&app, &mut parent, PARENT, crate::accounts::PASSWORD).await;
        new_message(&mut parent, child, "One more").await;
    })
    .await;
}

const COMPLAINT: &str = "00000000-0000-4000-8000-000000000204";

/// The texts of the elements `selector` finds on a page.
fn texts(body: &str, selector: &str) -> Vec<String> {
    let html = scraper::Html::parse_document(body);
    let selector = scraper::Selector::parse(selector).unwrap_or_else(|e| panic!("{e}"));
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

#[tokio::test]
async fn a_sent_message_is_confirmed_with_when_to_expect_a_reply() {
    let app = TestApp::new().await;
    let (mut caseworker, child, mut parent) = case_with_parent(&app).await;
    let thread = new_message(&mut parent, child, "Transport").await;
    let landed = parent.get(&format!("/messages/{thread}")).await;
    assert_eq!(
        texts(&landed.body, ".govuk-notification-banner--success p"),
        ["Your message has been sent. The SEND team aims to reply within 5 working days."],
        "{}",
        landed.body
    );
    assert!(
        !parent
            .get(&format!("/messages/{thread}"))
            .await
            .body
            .contains("has been sent"),
        "shown once"
    );

    // Nobody has answered: the reply page shows the parent's own message.
    let reply = format!("/messages/{thread}/reply");
    let page = parent.get(&reply).await;
    assert!(page.body.contains("Your message, not answered yet"));
    assert!(page.body.contains(SECRET_TEXT));

    // The council says when it aims to reply, in Texts and settings.
    let mut admin = crate::back_office::staff_client(
        &app,
        "admin@testshire.example",
        send_domain::StaffRole::Administrator,
        None,
        &[send_domain::default_group(
            send_domain::StaffRole::Administrator,
        )],
    )
    .await;
    let setting = "/back-office/admin/texts/contact.reply_time";
    let shown = admin.get(setting).await;
    assert!(
        shown
            .body
            .contains("When the SEND team aims to reply to a message")
    );
    assert!(shown.body.contains("value=\"within 5 working days\""));
    let saved = submit(
        &mut admin,
        setting,
        setting,
        &[("value", "within 2 working days"), ("action", "save")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // The caseworker answers; the reply page shows that answer, being replied to.
    let csrf = token(&mut caseworker, &format!("/back-office/messages/{thread}")).await;
    caseworker
        .post_multipart(
            &format!("/back-office/messages/{thread}/reply"),
            &[
                ("csrf_token", &csrf),
                ("message", "We will call you tomorrow"),
            ],
            &[],
        )
        .await;
    let page = parent.get(&reply).await;
    let answered = texts(&page.body, ".govuk-inset-text");
    assert_eq!(answered.len(), 1);
    assert!(
        answered[0].contains("We will call you tomorrow"),
        "{answered:?}"
    );
    assert!(!answered[0].contains(SECRET_TEXT), "not the parent's own");
    assert!(page.body.contains("The message you are replying to"));
    let sent = parent
        .post_multipart(
            &reply,
            &[
                ("csrf_token", &csrf_of(&page)),
                ("message", "Thank you, after 3pm please"),
            ],
            &[],
        )
        .await;
    assert_eq!(location(&sent), format!("/messages/{thread}"));
    let landed = parent.get(&format!("/messages/{thread}")).await;
    assert_eq!(
        texts(&landed.body, ".govuk-notification-banner--success p"),
        ["Your reply has been sent. The SEND team aims to reply within 2 working days."]
    );
}

#[tokio::test]
async fn the_team_inbox_shows_each_message_type_and_a_complaint_stands_out() {
    let app = TestApp::new().await;
    let (mut caseworker, child, mut parent) = case_with_parent(&app).await;
    new_message(&mut parent, child, "Transport").await;
    let path = format!("/children/{child}/messages/new");
    let csrf = token(&mut parent, &path).await;
    let sent = parent
        .post_multipart(
            &path,
            &[
                ("csrf_token", &csrf),
                ("message_type", COMPLAINT),
                ("subject", "The plan is late"),
                ("message", "Nobody has answered my calls"),
            ],
            &[],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

    let inbox = caseworker.get("/back-office/messages").await;
    let types = texts(&inbox.body, "tbody tr td:nth-child(3)");
    assert_eq!(types.len(), 2, "{}", inbox.body);
    assert!(types.contains(&"General enquiry".to_owned()), "{types:?}");
    assert!(types.contains(&"Complaint".to_owned()), "{types:?}");
    assert_eq!(
        texts(&inbox.body, "tbody .govuk-tag--red"),
        ["Complaint"],
        "only the complaint is a red tag"
    );
    assert!(
        inbox
            .body
            .contains("The oldest unanswered message has waited less than a day."),
        "{}",
        inbox.body
    );
    assert!(!inbox.body.contains("waited Less"));
    let listed = caseworker
        .get(&format!("/back-office/children/{child}/messages"))
        .await;
    assert_eq!(texts(&listed.body, "tbody .govuk-tag--red"), ["Complaint"]);
}

#[tokio::test]
async fn a_document_shared_with_one_person_says_one_person() {
    let app = TestApp::new().await;
    let (mut caseworker, child, _) = case_with_parent(&app).await;
    let parent = stranger_id(&app, PARENT).await.to_string();
    let added = upload(&mut caseworker, child, "letter.pdf", PDF, "nobody").await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let document = app.app.store.documents_of_child(child).await.unwrap()[0].clone();
    let sharing = format!("/back-office/documents/{}/sharing", document.id);
    let saved = submit(
        &mut caseworker,
        &sharing,
        &sharing,
        &[("share", "named"), ("people", &parent)],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let chronology = caseworker
        .get(&format!("/back-office/children/{child}/chronology"))
        .await;
    assert!(
        chronology
            .body
            .contains("Decision to assess letter is now shared with 1 person"),
        "{}",
        chronology.body
    );
    assert!(!chronology.body.contains("1 people"));
    // Its time is written as on every other page ("9:57pm"), not "21:57".
    let when = send_domain::dates::uk_time(app.app.clock.now());
    assert!(
        chronology.body.contains(&when),
        "{when}: {}",
        chronology.body
    );
}

/// How many "new message" notices the outbox holds for `to`.
async fn message_notices_to(app: &TestApp, to: &str) -> usize {
    app.app
        .store
        .outbox_emails(1000)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .filter(|e| {
            e.email.to.as_str() == to
                && e.email
                    .subject
                    .as_str()
                    .starts_with("You have a new message")
        })
        .count()
}

/// Posts a reply to `path` with the client's form token.
async fn post_reply(client: &mut TestClient, path: &str, text: &str) {
    let csrf = token(client, "/account").await;
    let sent = client
        .post_multipart(path, &[("csrf_token", &csrf), ("message", text)], &[])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
}

#[tokio::test]
async fn a_burst_of_messages_sends_one_notice_and_a_message_after_the_window_another() {
    on_both_databases(async |app| {
        let (mut caseworker, child, mut parent) = case_with_parent(&app).await;
        // The parent writes and adds four replies in a few seconds: the
        // caseworker is told once.
        let thread = new_message(&mut parent, child, "Transport").await;
        for n in 0..4 {
            app.clock.advance(Duration::seconds(1));
            let text = format!("And one more thing, number {n}");
            post_reply(&mut parent, &format!("/messages/{thread}/reply"), &text).await;
        }
        assert_eq!(message_notices_to(&app, CASEWORKER).await, 1);

        // Ten replies from the SEND team in ten seconds: one notice, which
        // says there are new messages and holds none of them.
        let staff_reply = format!("/back-office/messages/{thread}/reply");
        for n in 0..10 {
            app.clock.advance(Duration::seconds(1));
            post_reply(&mut caseworker, &staff_reply, &format!("Answer number {n}")).await;
        }
        assert_eq!(message_notices_to(&app, PARENT).await, 1);
        let (subject, text) = latest_email(&app, PARENT).await;
        assert_eq!(
            subject,
            "You have a new message about Lex in the SEND Portal"
        );
        assert!(!text.contains("Answer number"), "no message in the email");

        // Once the window has passed, the next message sends another.
        app.clock.advance(send_domain::messages::NOTICE_GROUPING);
        post_reply(&mut caseworker, &staff_reply, "Answer after a while").await;
        assert_eq!(message_notices_to(&app, PARENT).await, 2);

        // Within the window again, but the parent has opened the conversation
        // since the notice: the next message is news, and is told.
        app.clock.advance(Duration::minutes(1));
        post_reply(&mut caseworker, &staff_reply, "Still in the window").await;
        assert_eq!(message_notices_to(&app, PARENT).await, 2, "grouped");
        let opened = parent.get(&format!("/messages/{thread}")).await;
        assert!(opened.body.contains("Still in the window"));
        app.clock.advance(Duration::minutes(1));
        post_reply(&mut caseworker, &staff_reply, "After you read it").await;
        assert_eq!(message_notices_to(&app, PARENT).await, 3);
    })
    .await;
}
