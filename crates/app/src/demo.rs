//! The demonstration data set loaded by `send-portal demo`, so a newcomer can click
//! through. It grows with each feature; every record in it is fictional.

use send_domain::{
    Account, AccountKind, Actor, AuditAction, AuditOutcome, Email, NoPasswordHistory,
    PasswordContext, PersonName, PhoneNumber, ProfessionalDetails, SecondFactor, ShortText, UserId,
};
use send_store::{Effects, NewAccount};

use crate::audit::Source;
use crate::ids::new_uuid;
use crate::{App, AppError, AppResult, passwords};

/// The demo's accounts: email, name, and whether it is a professional's.
pub const DEMO_ACCOUNTS: &[(&str, &str, bool)] = &[
    ("parent@example.com", "Pat Parent", false),
    ("senco@example.com", "Sam Senco", true),
];

/// The password of every demo account (shown by `send-portal demo`).
pub const DEMO_PASSWORD: &str = "Demo-Portal-Password-2026";

fn invalid(what: &str, err: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("demo data: {what}: {err}"))
}

impl App {
    /// Loads the demo data into an empty database.
    pub async fn load_demo_data(&self) -> AppResult<()> {
        for (email, name, professional) in DEMO_ACCOUNTS {
            self.add_demo_account(email, name, *professional).await?;
        }
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
