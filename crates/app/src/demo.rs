//! The demonstration data set loaded by `send-portal demo`, so a newcomer can click
//! through. It grows with each feature; every record in it is fictional.

use send_domain::{
    Account, AccountKind, Actor, AuditAction, AuditOutcome, Email, NoPasswordHistory,
    PasswordContext, PersonName, PhoneNumber, ProfessionalDetails, SecondFactor, ShortText, UserId,
};
use send_store::{Changes, Effects, NewAccount, Write};

use crate::audit::Source;
use crate::error::BoxError;
use crate::ids::new_uuid;
use crate::{App, AppError, AppResult, passwords};

/// The demo's accounts: email, name, and whether it is a professional's.
pub const DEMO_ACCOUNTS: &[(&str, &str, bool)] = &[
    ("parent@example.com", "Pat Parent", false),
    ("senco@example.com", "Sam Senco", true),
];

/// A demo portal account an administrator has disabled, so the people pages
/// show one.
pub const DISABLED_DEMO_ACCOUNT: &str = "duplicate@example.com";

/// The password of every demo account (shown by `send-portal demo`).
pub const DEMO_PASSWORD: &str = "Demo-Portal-Password-2026";

/// The demo's back-office account: a caseworker who can also administer the portal.
pub const DEMO_STAFF_EMAIL: &str = "caseworker@example.com";

/// The demo caseworker's authenticator key (shown by `send-portal demo`, to add to an
/// authenticator app). Published, like the password: it is only a demonstration.
pub const DEMO_AUTHENTICATOR_KEY: &str = "JBSWY3DPEHPK3PXPDEMOSENDPORTAL22";

fn invalid(what: &str, err: impl Into<BoxError>) -> AppError {
    AppError::internal(format!("demo data: {what}"), err)
}

impl App {
    /// Loads the demo data into an empty database.
    pub async fn load_demo_data(&self) -> AppResult<()> {
        for (email, name, professional) in DEMO_ACCOUNTS {
            self.add_demo_account(email, name, *professional).await?;
        }
        let staff = self.add_demo_staff().await?;
        self.add_demo_notifications(&staff).await?;
        let children = self.add_demo_cases(&staff).await?;
        // Pat Parent sees Amira's dashboard; Sam Senco, a professional, Oliver's.
        for ((email, _, professional), child) in DEMO_ACCOUNTS.iter().zip(children.clone()) {
            self.add_demo_link(&staff, email, *professional, child)
                .await?;
        }
        if let Some(amira) = children.first() {
            self.add_demo_conversation(&staff, *amira).await?;
            self.add_demo_form_action(&staff, *amira).await?;
            // The caseworker has opened Amira's record, so her parent's "Who has
            // looked at this record" has something to show.
            self.open_child(&staff, *amira, &Source::default()).await?;
        }
        if let Some(oliver) = children.get(1) {
            self.add_demo_advice(&staff, *oliver).await?;
        }
        self.add_demo_incoming_forms().await?;
        self.add_demo_people().await?;
        let mut audit = self.audit_event(
            Actor::System,
            AuditAction::DemoDataLoaded,
            AuditOutcome::Succeeded,
            &Source::default(),
        );
        audit.detail = Some("demonstration data set loaded; all records are fictional".to_owned());
        self.store.record_audit_event(&audit).await?;
        Ok(())
    }

    async fn add_demo_staff(&self) -> AppResult<send_domain::StaffAccess> {
        let email = Email::parse(DEMO_STAFF_EMAIL).map_err(|e| invalid("email", e))?;
        let password = send_domain::NewPassword::parse(
            DEMO_PASSWORD,
            &self.settings.password_policy,
            &PasswordContext::new(&self.settings.council_name, &email),
            &NoPasswordHistory,
        )
        .map_err(|e| invalid("password", e))?;
        let now = self.clock.now();
        let id = UserId::from_uuid(new_uuid(self.clock.as_ref()));
        let account = Account {
            id,
            kind: AccountKind::Staff,
            email,
            name: PersonName::parse("Casey Caseworker").map_err(|e| invalid("name", e))?,
            phone: None,
            professional: None,
            staff_role: Some(send_domain::StaffRole::Caseworker),
            password_hash: passwords::hash(password).await?,
            second_factor: SecondFactor::Authenticator,
            totp: Some(send_domain::TotpEnrolment {
                secret_base32: DEMO_AUTHENTICATOR_KEY.to_owned(),
                last_used_step: None,
            }),
            email_verified_at: Some(now),
            created_at: now,
            updated_at: now,
        };
        let mut event = self.account_event(
            Actor::System,
            AuditAction::StaffAccountCreated,
            AuditOutcome::Succeeded,
            Some(id),
            &Source::default(),
        );
        event.detail = Some("demonstration account".to_owned());
        self.store
            .insert_account(
                &NewAccount {
                    account,
                    code: None,
                    setup_link: None,
                    recovery_codes: Vec::new(),
                },
                &Effects::audit(event),
            )
            .await?;
        let groups = [
            send_domain::default_group(send_domain::StaffRole::Caseworker),
            send_domain::default_group(send_domain::StaffRole::Administrator),
        ];
        self.store
            .commit(&Changes::new().with(Write::SetStaffMembership {
                membership: send_store::StaffMembership {
                    account_id: id,
                    team_id: Some(send_domain::DEFAULT_TEAM.0),
                    groups: groups.into_iter().collect(),
                },
                at: self.clock.now(),
            }))
            .await?;
        self.staff_access(id)
            .await?
            .ok_or_else(|| AppError::unexpected("demo staff has no access"))
    }

    /// The council's own choices for automatic notifications: the "stage
    /// changed" email goes to families only, with a sentence of its own; and Sam
    /// Senco has turned off the emails about forms to complete. The message
    /// and the form sent to Pat Parent below are each emailed and recorded on
    /// Amira's chronology.
    async fn add_demo_notifications(&self, staff: &send_domain::StaffAccess) -> AppResult<()> {
        use send_domain::notifications::{
            Audiences, NotificationEvent, NotificationSetting, NotificationText,
        };

        let source = Source::default();
        let text = NotificationText::parse(
            NotificationEvent::StageChanged,
            "((child_first_name))'s EHC needs assessment has moved to its next stage",
            "The SEND team has moved ((child_first_name))'s EHC needs assessment to its next \
             stage.\n\nSign in to see the stage and what happens next on the SEND Dashboard: \
             ((link))\n\nIf you have a question, send us a message from the dashboard, or \
             phone the SEND team.\n\nYou can turn these emails off in My Account.",
        )
        .map_err(|e| invalid("notification text", format!("{e:?}")))?;
        self.save_notification_setting(
            staff,
            NotificationSetting {
                event: NotificationEvent::StageChanged,
                audiences: Audiences {
                    families: true,
                    professionals: false,
                },
                text,
            },
            &source,
        )
        .await?;
        let email = Email::parse(DEMO_ACCOUNTS[1].0).map_err(|e| invalid("email", e))?;
        let senco = self
            .store
            .account_by_email(&email)
            .await?
            .ok_or_else(|| AppError::unexpected("demo data: a demo account is missing"))?;
        let optional: Vec<NotificationEvent> = NotificationEvent::ALL
            .iter()
            .copied()
            .filter(|e| !e.is_statutory())
            .collect();
        let wanted: Vec<NotificationEvent> = optional
            .iter()
            .copied()
            .filter(|e| *e != NotificationEvent::ActionSent)
            .collect();
        self.set_my_notifications(senco.id, &optional, &wanted, &source)
            .await
    }

    /// Two children with an assessment each, at different stages.
    async fn add_demo_cases(
        &self,
        staff: &send_domain::StaffAccess,
    ) -> AppResult<Vec<send_domain::ChildId>> {
        use send_domain::involvements::{InvolvementKind, Stage};
        use time::Duration;

        let source = Source::default();
        let today = self.clock.now().date();
        let children = [
            (
                "Amira",
                "Khan",
                2017,
                Some(send_domain::SenNeed::Slcn),
                30_i64,
                true,
            ),
            (
                "Oliver",
                "Brown",
                2013,
                Some(send_domain::SenNeed::Asd),
                100_i64,
                false,
            ),
        ];
        let mut ids = Vec::new();
        for (first, last, born, need, days_ago, early) in children {
            let epoch = time::OffsetDateTime::UNIX_EPOCH;
            let child = send_domain::Child {
                id: send_domain::ChildId::from_uuid(uuid::Uuid::nil()),
                team_id: send_domain::DEFAULT_TEAM.0,
                legal_first_name: PersonName::parse(first).map_err(|e| invalid("name", e))?,
                legal_last_name: PersonName::parse(last).map_err(|e| invalid("name", e))?,
                preferred_name: None,
                date_of_birth: time::Date::from_calendar_date(born, time::Month::May, 14)
                    .map_err(|e| invalid("date", e))?,
                sex: send_domain::Sex::NotKnown,
                ethnicity: None,
                upn: None,
                uln: None,
                nhs_number: None,
                address: send_domain::Address::default(),
                setting: Some(
                    ShortText::parse("Oakfield Primary School", "a school")
                        .map_err(|e| invalid("school", e))?,
                ),
                primary_need: need,
                secondary_need: None,
                created_at: epoch,
                updated_at: epoch,
                version: 1,
            };
            let id = self.create_child(staff, child, Vec::new(), &source).await?;
            ids.push(id);
            let start = today - Duration::days(days_ago);
            let involvement = self
                .open_involvement(
                    staff,
                    crate::involvements::NewInvolvement {
                        child_id: id,
                        kind: InvolvementKind::Assessment,
                        start,
                        requested_by: Some(send_domain::involvements::Requester::Parent),
                        caseworker: Some(staff.account_id),
                    },
                    &source,
                )
                .await?;
            if !early {
                // Each move is made on the version the one before it left.
                for (stage, after, seen_version) in [
                    (Stage::DecisionToAssess, 40, 1),
                    (Stage::AssessmentAndAdvice, 41, 2),
                ] {
                    let moved = self
                        .change_stage(
                            staff,
                            involvement,
                            crate::involvements::StageMove {
                                to: stage,
                                on: start + Duration::days(after),
                                note: None,
                                cease_reason: None,
                                seen_version,
                            },
                            &source,
                        )
                        .await?;
                    moved.map_err(|e| invalid("stage", e))?;
                }
            }
        }
        Ok(ids)
    }

    /// The Parental Preference Form, sent to Pat Parent about Amira as an action
    /// due in 15 days (Actions to Complete on the SEND Dashboard).
    async fn add_demo_form_action(
        &self,
        staff: &send_domain::StaffAccess,
        child: send_domain::ChildId,
    ) -> AppResult<()> {
        self.install_builtin_forms().await?;
        let form = self
            .store
            .form_by_builtin("parental_preference")
            .await?
            .ok_or_else(|| AppError::unexpected("demo data: the preference form is missing"))?;
        let email = Email::parse(DEMO_ACCOUNTS[0].0).map_err(|e| invalid("email", e))?;
        let parent = self
            .store
            .account_by_email(&email)
            .await?
            .ok_or_else(|| AppError::unexpected("demo data: a demo account is missing"))?;
        let due = self.clock.now().date() + time::Duration::days(15);
        self.assign_form(
            staff,
            child,
            crate::forms::assign::NewAssignment {
                form: form.id,
                to: send_domain::forms::AssignedTo::Person(parent.id),
                due: Some(due),
            },
            &Source::default(),
        )
        .await?
        .map_err(|e| invalid("form action", e))?;
        Ok(())
    }

    /// Three requests for advice on Oliver's assessment, which is at the
    /// "Assessment and advice" stage, each recorded through the real use case as
    /// the demo caseworker, with dates counted back from the demo's today:
    /// educational advice from Sam Senco (a professional account, so it is on
    /// Sam's portal home under "Advice requested from you"), to be uploaded, due
    /// in 15 days; psychological advice that arrived by post 6 days ago (marked
    /// received); and medical advice sent 50 days ago and overdue by 8 days (on
    /// the overdue list and counted on the back office's home).
    async fn add_demo_advice(
        &self,
        staff: &send_domain::StaffAccess,
        child: send_domain::ChildId,
    ) -> AppResult<()> {
        use send_domain::advice::{AdviceKind, AnswerBy};
        use time::Duration;

        use crate::advice::NewAdviceRequest;

        let source = Source::default();
        let involvement = self
            .store
            .involvements_of_child(child)
            .await?
            .into_iter()
            .find(|involvement| !involvement.stage.is_closed())
            .ok_or_else(|| AppError::unexpected("demo data: Oliver has no open assessment"))?;
        let today = send_domain::dates::uk_date(self.clock.now());
        let text = |t: &str| ShortText::parse(t, "who was asked").map_err(|e| invalid("name", e));
        let email = |e: &str| Email::parse(e).map_err(|err| invalid("email", err));
        let requests = [
            (
                AdviceKind::Educational,
                text("Sam Senco, Oakfield Primary School")?,
                Some(email(DEMO_ACCOUNTS[1].0)?),
                27,
            ),
            (
                AdviceKind::Psychological,
                text("Exampleshire Educational Psychology Service")?,
                None,
                40,
            ),
            (
                AdviceKind::Medical,
                text("Exampleshire Community Paediatrics")?,
                Some(email("paediatrics@example.org")?),
                50,
            ),
        ];
        for (kind, recipient, email, days_ago) in requests {
            let request = self
                .request_advice(
                    staff,
                    involvement.id,
                    NewAdviceRequest {
                        kind,
                        recipient,
                        email,
                        answer_by: AnswerBy::Upload,
                        sent_on: today - Duration::days(days_ago),
                    },
                    &source,
                )
                .await?
                .map_err(|e| invalid("advice request", e))?;
            if kind == AdviceKind::Psychological {
                self.record_advice_received(
                    staff,
                    request.id,
                    today - Duration::days(6),
                    request.version,
                    &source,
                )
                .await?
                .map_err(|e| invalid("advice received", e))?;
            }
        }
        Ok(())
    }

    /// Two requests for an assessment waiting in the processing area: Sam Senco's
    /// about "Olly Brown" (proposed: Oliver Brown, by nickname, date of birth and
    /// school), and Pat Parent's about Amira's younger sister Zara, who has no
    /// record yet (in suspense, to add her from the request).
    #[expect(
        clippy::too_many_lines,
        reason = "demo data: two forms' answers, one line each"
    )]
    async fn add_demo_incoming_forms(&self) -> AppResult<()> {
        use send_domain::forms::{AddressAnswer, Answer, Answers, QuestionKey, Submission};

        let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
        let evidence = self
            .files
            .check_and_store("SEN support plan and reviews.pdf", pdf, self.clock.now())
            .await
            .map_err(|e| invalid("a file", e))?
            .map_err(|e| invalid("a file", e))?;
        let name = |first: &str, last: &str| Answer::Name {
            first: first.to_owned(),
            last: last.to_owned(),
        };
        let text = |t: &str| Answer::Text(t.to_owned());
        let address = Answer::Address(AddressAnswer {
            line_1: "12 Orchard Way".to_owned(),
            line_2: String::new(),
            town: "Worcester".to_owned(),
            postcode: "WR2 6BQ".to_owned(),
        });
        let professional: Vec<(&str, Answer)> = vec![
            ("your_role", text("SENCO")),
            ("your_setting", text("Oakfield Primary School")),
            ("child_name", name("Olly", "Brown")),
            (
                "child_date_of_birth",
                Answer::Date(time::macros::date!(2013 - 05 - 14)),
            ),
            ("child_address", address.clone()),
            ("attends_setting", Answer::YesNo(true)),
            ("setting_name", text("Oakfield Primary School")),
            ("family_name", name("Jordan", "Brown")),
            (
                "family_email",
                Answer::Email("jordan.brown@example.com".to_owned()),
            ),
            ("family_phone", Answer::NotAnswered),
            ("family_told", Answer::YesNo(true)),
            ("family_agrees", Answer::YesNo(true)),
            (
                "needs",
                text(
                    "Oliver finds unstructured times very hard and is often overwhelmed by noise.",
                ),
            ),
            (
                "provision_made",
                text("Two terms of daily small-group support and a sensory break plan."),
            ),
            ("apdr_evidence", Answer::Files(vec![evidence])),
            ("reports", Answer::NotAnswered),
            ("anything_else", Answer::NotAnswered),
        ];
        let family: Vec<(&str, Answer)> = vec![
            ("relationship", Answer::Choice("Parent".to_owned())),
            ("child_name", name("Zara", "Khan")),
            (
                "child_date_of_birth",
                Answer::Date(time::macros::date!(2020 - 09 - 03)),
            ),
            ("child_address", address),
            ("attends_setting", Answer::YesNo(true)),
            ("setting_name", text("Little Acorns Nursery")),
            ("your_name", name("Pat", "Parent")),
            ("email", Answer::Email(DEMO_ACCOUNTS[0].0.to_owned())),
            ("phone", Answer::NotAnswered),
            ("parental_responsibility", Answer::YesNo(true)),
            ("consent_to_share", Answer::YesNo(true)),
            (
                "areas_of_need",
                Answer::Choices(vec!["Communicating and getting on with others".to_owned()]),
            ),
            (
                "finds_hard",
                text("Zara has very few words and finds nursery overwhelming."),
            ),
            (
                "what_helps",
                text("Pictures, a quiet corner and the same adult each day."),
            ),
            ("professionals_involved", Answer::YesNo(false)),
            ("reports", Answer::NotAnswered),
            ("anything_else", Answer::NotAnswered),
        ];
        for (code, sender, answers, days_ago) in [
            (
                "request_assessment_professional",
                DEMO_ACCOUNTS[1].0,
                professional,
                6,
            ),
            ("request_assessment_family", DEMO_ACCOUNTS[0].0, family, 2),
        ] {
            let form = self
                .store
                .form_by_builtin(code)
                .await?
                .ok_or_else(|| AppError::unexpected("demo data: a request form is missing"))?;
            let version = self
                .store
                .form_version(form.id, form.live_version.unwrap_or(1))
                .await?
                .ok_or_else(|| AppError::unexpected("demo data: a form version is missing"))?;
            let email = Email::parse(sender).map_err(|e| invalid("email", e))?;
            let account = self
                .store
                .account_by_email(&email)
                .await?
                .ok_or_else(|| AppError::unexpected("demo data: a demo account is missing"))?;
            let mut typed = Answers::default();
            for (key, answer) in answers {
                typed.set(QuestionKey::new(key), Some(answer));
            }
            let mut bytes = [0_u8; 8];
            rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
            let submission = Submission {
                id: send_domain::SubmissionId::from_uuid(new_uuid(self.clock.as_ref())),
                reference: send_domain::forms::submission_reference(bytes),
                form_id: form.id,
                version_number: version.number,
                title: version.definition.title.clone(),
                child_id: None,
                assignment_id: None,
                submitted_by: account.id,
                processing: self.arrival(&typed).await?,
                answers: typed,
                submitted_at: self.clock.now() - time::Duration::days(days_ago),
            };
            self.store
                .commit(&Changes::new().with(Write::InsertSubmission(submission)))
                .await?;
        }
        Ok(())
    }

    /// A conversation between Pat Parent and the caseworker about Amira.
    async fn add_demo_conversation(
        &self,
        staff: &send_domain::StaffAccess,
        child: send_domain::ChildId,
    ) -> AppResult<()> {
        use crate::messages::Draft;

        let email = Email::parse(DEMO_ACCOUNTS[0].0).map_err(|e| invalid("email", e))?;
        let parent = self
            .store
            .account_by_email(&email)
            .await?
            .ok_or_else(|| AppError::unexpected("demo data: a demo account is missing"))?;
        let general = self
            .active_message_types()
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::unexpected("demo data: no message types"))?;
        let text = |t: &str| send_domain::MessageBody::parse(t).map_err(|e| invalid("message", e));
        let source = Source::default();
        let thread = self
            .start_thread(
                parent.id,
                child,
                general.id,
                ShortText::parse("Speech and language report", "a subject")
                    .map_err(|e| invalid("subject", e))?,
                Draft {
                    body: text(
                        "Hello, Amira's speech and language therapist has written a new \
                         report. Would it help the assessment if I sent it to you?",
                    )?,
                    attachments: Vec::new(),
                },
                &source,
            )
            .await?
            .map_err(|e| invalid("thread", e))?;
        self.staff_reply(
            staff,
            thread,
            Some(1),
            Draft {
                body: text(
                    "Thank you, yes please. You can attach it to a reply here, and I will \
                     add it to Amira's assessment.",
                )?,
                attachments: Vec::new(),
            },
            &source,
        )
        .await?
        .map_err(|e| invalid("reply", e))?;
        Ok(())
    }

    /// An active link, as if the invitation (or request) had been confirmed.
    async fn add_demo_link(
        &self,
        staff: &send_domain::StaffAccess,
        email: &str,
        professional: bool,
        child: send_domain::ChildId,
    ) -> AppResult<()> {
        use send_domain::{LinkStatus, PortalLink, PortalLinkId, PortalRole};

        let email = Email::parse(email).map_err(|e| invalid("email", e))?;
        let account = self
            .store
            .account_by_email(&email)
            .await?
            .ok_or_else(|| AppError::unexpected("demo data: a demo account is missing"))?;
        let now = self.clock.now();
        let link = PortalLink {
            id: PortalLinkId::from_uuid(new_uuid(self.clock.as_ref())),
            child_id: child,
            account_id: account.id,
            role: if professional {
                PortalRole::Professional
            } else {
                PortalRole::Parent
            },
            status: LinkStatus::Active,
            status_since: now,
            status_by: Some(staff.account_id),
            invitation_id: None,
            request_id: None,
            created_at: now,
        };
        let entry = self.chronology_entry(
            child,
            staff.account_id,
            "portal_access.granted",
            format!("Portal access granted to {} (demonstration)", account.name),
            None,
        );
        let mut event = self.case_event(
            staff,
            AuditAction::PortalAccessGranted,
            AuditOutcome::Succeeded,
            Some(child),
            &Source::default(),
        );
        event.detail = Some(format!("link:{}", link.id));
        self.store
            .commit(
                &Changes::new()
                    .with(Write::InsertPortalLink(link))
                    .with(Write::AddChronologyEntry(entry))
                    .with_audit(event),
            )
            .await?;
        Ok(())
    }

    /// For the people pages: a portal account disabled with its reason, and a
    /// staff set-up link not yet used.
    async fn add_demo_people(&self) -> AppResult<()> {
        self.add_demo_account(DISABLED_DEMO_ACCOUNT, "Dana Duplicate", false)
            .await?;
        let email = Email::parse(DISABLED_DEMO_ACCOUNT).map_err(|e| invalid("email", e))?;
        let account = self
            .store
            .account_by_email(&email)
            .await?
            .ok_or_else(|| AppError::unexpected("the demo account just added"))?;
        let reason = "A second account for the same person; they use parent@example.com";
        let mut disabled = self.account_event(
            Actor::System,
            AuditAction::AccountDisabled,
            AuditOutcome::Succeeded,
            Some(account.id),
            &Source::default(),
        );
        disabled.detail = Some(reason.to_owned());
        let token = crate::tokens::SecretToken::generate();
        let now = self.clock.now();
        let link = send_domain::StaffSetupLink {
            id: send_domain::StaffSetupLinkId::from_uuid(new_uuid(self.clock.as_ref())),
            email: Email::parse("nia.newstarter@testshire.example")
                .map_err(|e| invalid("email", e))?,
            name: PersonName::parse("Nia Newstarter").map_err(|e| invalid("name", e))?,
            role: send_domain::StaffRole::Caseworker,
            team_id: Some(send_domain::DEFAULT_TEAM.0),
            groups: [send_domain::default_group(
                send_domain::StaffRole::Caseworker,
            )]
            .into(),
            token_hash: token.hash(),
            created_at: now,
            expires_at: now + crate::staff_setup::LINK_LIFETIME,
            used_at: None,
            withdrawn_at: None,
        };
        let mut issued = self.audit_event(
            Actor::System,
            AuditAction::StaffSetupLinkIssued,
            AuditOutcome::Succeeded,
            &Source::default(),
        );
        issued.subject = Some(format!("staff_setup_link:{}", link.id));
        issued.detail = Some("demonstration link".to_owned());
        self.store
            .commit(
                &Changes::new()
                    .with(Write::SetAccountStatus {
                        account: account.id,
                        status: send_domain::AccountStatus::Disabled,
                        reason: Some(reason.to_owned()),
                        at: now,
                    })
                    .with(Write::InsertStaffSetupLink(link))
                    .with_audit(disabled)
                    .with_audit(issued),
            )
            .await?;
        Ok(())
    }

    async fn add_demo_account(&self, email: &str, name: &str, professional: bool) -> AppResult<()> {
        let email = Email::parse(email).map_err(|e| invalid("email", e))?;
        let password = send_domain::NewPassword::parse(
            DEMO_PASSWORD,
            &self.settings.password_policy,
            &PasswordContext::new(&self.settings.council_name, &email),
            &NoPasswordHistory,
        )
        .map_err(|e| invalid("password", e))?;
        let now = self.clock.now();
        let id = UserId::from_uuid(new_uuid(self.clock.as_ref()));
        let professional = if professional {
            Some(ProfessionalDetails {
                organisation: ShortText::parse("Oakfield Primary School", "your organisation")
                    .map_err(|e| invalid("organisation", e))?,
                role: ShortText::parse("SENCo", "your role").map_err(|e| invalid("role", e))?,
                work_phone: PhoneNumber::parse("01632 960 123").map_err(|e| invalid("phone", e))?,
            })
        } else {
            None
        };
        let account = Account {
            id,
            kind: if professional.is_some() {
                AccountKind::Professional
            } else {
                AccountKind::Citizen
            },
            email,
            name: PersonName::parse(name).map_err(|e| invalid("name", e))?,
            phone: None,
            professional,
            staff_role: None,
            password_hash: passwords::hash(password).await?,
            second_factor: SecondFactor::EmailCode,
            totp: None,
            email_verified_at: Some(now),
            created_at: now,
            updated_at: now,
        };
        let mut event = self.account_event(
            Actor::System,
            AuditAction::AccountRegistered,
            AuditOutcome::Succeeded,
            Some(id),
            &Source::default(),
        );
        event.detail = Some("demonstration account".to_owned());
        self.store
            .insert_account(
                &NewAccount {
                    account,
                    code: None,
                    setup_link: None,
                    recovery_codes: Vec::new(),
                },
                &Effects::audit(event),
            )
            .await?;
        Ok(())
    }
}
