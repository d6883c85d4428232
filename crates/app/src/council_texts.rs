//! The council's own texts and settings (ADM-1): the wording of emails and
//! pages, the SEND team's contact details, and message types.
//!
//! The texts in force are kept in memory ([`TextCache`]), because the start
//! page and every email show the contact details and the start page must not
//! read the database on each request: a save on this server replaces the copy
//! at once, and each server reads the table again when its copy is older than
//! [`REFRESH_EVERY`] (so a change made on another server shows within that
//! time). Every change needs "Manage staff" (the portal's administration
//! permission) and is audited; a refusal is audited too.

use std::sync::{Arc, PoisonError, RwLock};

use send_domain::council_texts::{
    CATALOGUE, SAMPLE_VALUES, TextError, TextSpec, Texts, paragraphs, render, spec,
};
use send_domain::involvements::Stage;
use send_domain::{
    Actor, AuditAction, AuditOutcome, Email, EmailSubject, MessageType, MessageTypeId,
    OutgoingEmail, Permission, PersonName, ShortText, StaffAccess,
};
use send_store::{Changes, Write};
use time::{Duration, OffsetDateTime};

use crate::audit::Source;
use crate::ids::new_uuid;
use crate::portal_access::links::stage_guide;
use crate::{App, AppError, AppResult};

/// How old a server's copy of the texts may grow before it reads them again.
pub const REFRESH_EVERY: Duration = Duration::seconds(30);

/// The texts in force and when they were read (`None`: not yet).
#[derive(Debug, Default)]
pub struct TextCache {
    held: RwLock<Option<(Arc<Texts>, OffsetDateTime)>>,
}

impl TextCache {
    fn get(&self) -> Option<(Arc<Texts>, OffsetDateTime)> {
        self.held
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn put(&self, texts: Texts, at: OffsetDateTime) -> Arc<Texts> {
        let texts = Arc::new(texts);
        *self.held.write().unwrap_or_else(PoisonError::into_inner) = Some((texts.clone(), at));
        texts
    }
}

/// One text on the Texts and settings page: what it is and what is in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine {
    pub spec: &'static TextSpec,
    pub value: String,
    pub default: String,
    /// The council saved its own wording.
    pub changed: bool,
}

/// What a saved text became: saved, or refused with the reason shown by the
/// field (what was typed is kept by the page).
pub type SaveOutcome = Result<(), TextError>;

impl App {
    /// The texts in force, from this server's copy, read again when it is
    /// older than [`REFRESH_EVERY`].
    pub async fn texts(&self) -> AppResult<Arc<Texts>> {
        let now = self.clock.now();
        if let Some((texts, read_at)) = self.text_cache.get()
            && now >= read_at
            && now - read_at < REFRESH_EVERY
        {
            return Ok(texts);
        }
        self.reload_texts().await
    }

    /// Reads the texts from the store into this server's copy.
    pub async fn reload_texts(&self) -> AppResult<Arc<Texts>> {
        let saved = self.store.council_texts().await?;
        let texts = with_stage_guides(Texts::new(saved, self.settings.send_team_contact.clone()));
        Ok(self.text_cache.put(texts, self.clock.now()))
    }

    /// The texts as this server last read them, without reading the store (for
    /// writing emails); the settings' defaults if they were never read.
    pub fn texts_now(&self) -> Arc<Texts> {
        self.text_cache.get().map_or_else(
            || {
                Arc::new(with_stage_guides(Texts::new(
                    Vec::new(),
                    self.settings.send_team_contact.clone(),
                )))
            },
            |(texts, _)| texts,
        )
    }

    /// How to reach the SEND team, in one phrase for a sentence.
    pub fn contact_sentence(&self) -> String {
        self.texts_now()
            .contact_sentence(self.settings.council_name.as_str())
    }

    /// Every text the council may change, in the catalogue's order, with what
    /// is in force. Needs "Manage staff".
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn council_texts(&self, access: &StaffAccess) -> AppResult<Vec<TextLine>> {
        require_admin(access)?;
        let texts = self.reload_texts().await?;
        Ok(CATALOGUE.iter().map(|spec| line(&texts, spec)).collect())
    }

    /// One text, for its edit page. Needs "Manage staff"; an unknown key is
    /// `NotFound`.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn council_text(&self, access: &StaffAccess, key: &str) -> AppResult<TextLine> {
        require_admin(access)?;
        let spec = spec(key).ok_or(AppError::NotFound)?;
        let texts = self.reload_texts().await?;
        Ok(line(&texts, spec))
    }

    /// Saves the council's wording for `key`, checked by its catalogue entry
    /// (an unknown placeholder is refused by name), with its audit event.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn save_council_text(
        &self,
        access: &StaffAccess,
        key: &str,
        input: &str,
        source: &Source,
    ) -> AppResult<SaveOutcome> {
        let spec = spec(key).ok_or(AppError::NotFound)?;
        self.refuse_unless_admin(access, AuditAction::CouncilTextChanged, key, source)
            .await?;
        let value = match spec.parse(input) {
            Ok(value) => value,
            Err(problem) => return Ok(Err(problem)),
        };
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            AuditAction::CouncilTextChanged,
            AuditOutcome::Succeeded,
            source,
        );
        event.subject = Some(format!("council_text:{key}"));
        self.store
            .commit(
                &Changes::new()
                    .with(Write::SaveCouncilText {
                        key: key.to_owned(),
                        value,
                        by: access.account_id,
                        at: self.clock.now(),
                    })
                    .with_audit(event),
            )
            .await?;
        self.reload_texts().await?;
        Ok(Ok(()))
    }

    /// Restores the shipped default of `key` (the settings' value, for a
    /// contact detail), with its audit event.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn restore_council_text(
        &self,
        access: &StaffAccess,
        key: &str,
        source: &Source,
    ) -> AppResult<()> {
        spec(key).ok_or(AppError::NotFound)?;
        self.refuse_unless_admin(access, AuditAction::CouncilTextRestored, key, source)
            .await?;
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            AuditAction::CouncilTextRestored,
            AuditOutcome::Succeeded,
            source,
        );
        event.subject = Some(format!("council_text:{key}"));
        self.store
            .commit(
                &Changes::new()
                    .with(Write::RestoreCouncilText {
                        key: key.to_owned(),
                    })
                    .with_audit(event),
            )
            .await?;
        self.reload_texts().await?;
        Ok(())
    }

    /// The text of `key` in force as paragraphs, with the council's name and
    /// the contact details in force filled in (for pages).
    pub fn render_council_text(&self, texts: &Texts, key: &str) -> Vec<String> {
        let contact = texts.contact_sentence(self.settings.council_name.as_str());
        let rendered = render(
            &texts.get(key),
            &[
                ("council_name", self.settings.council_name.as_str()),
                ("contact", &contact),
            ],
        );
        send_domain::council_texts::paragraphs(&rendered)
    }

    /// A text as it would read, with sample data: the council's name and the
    /// contact details in force, and made-up values for every other
    /// placeholder (a code, a link, a child's name, dates). Paragraphs are
    /// separated by a blank line.
    pub fn council_text_preview(&self, value: &str) -> Vec<String> {
        let contact = self.contact_sentence();
        let mut values = vec![
            ("council_name", self.settings.council_name.as_str()),
            ("contact", contact.as_str()),
        ];
        values.extend_from_slice(SAMPLE_VALUES);
        paragraphs(&render(value, &values))
    }

    /// The subject and paragraphs of the email `email.<kind>` in the wording
    /// in force, with the council's name, the contact details and `values`
    /// filled in. Values go in as text: the HTML email escapes them.
    pub(crate) fn council_email_text(
        &self,
        texts: &Texts,
        kind: &str,
        values: &[(&str, &str)],
    ) -> (EmailSubject, Vec<String>) {
        let contact = texts.contact_sentence(self.settings.council_name.as_str());
        let mut all = vec![
            ("council_name", self.settings.council_name.as_str()),
            ("contact", contact.as_str()),
        ];
        all.extend_from_slice(values);
        let subject_key = format!("email.{kind}.subject");
        let subject = email_subject(&render(&texts.get(&subject_key), &all))
            .or_else(|| email_subject(&render(&texts.default_of(&subject_key), &all)))
            .unwrap_or_else(|| unreachable!("email.{kind}: every shipped subject is one line"));
        let body = render(&texts.get(&format!("email.{kind}.body")), &all);
        (subject, paragraphs(&body))
    }

    /// The email `email.<kind>` to `to`, in the wording in force (see
    /// [`App::council_email_text`]).
    pub(crate) fn council_email(
        &self,
        texts: &Texts,
        kind: &str,
        to: Email,
        to_name: Option<PersonName>,
        values: &[(&str, &str)],
    ) -> OutgoingEmail {
        let (subject, paragraphs) = self.council_email_text(texts, kind, values);
        self.compose_email(to, to_name, subject, &paragraphs)
    }

    /// Every message type, retired ones too, by name. Needs "Manage staff".
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn all_message_types(&self, access: &StaffAccess) -> AppResult<Vec<MessageType>> {
        require_admin(access)?;
        Ok(self.store.message_types().await?)
    }

    /// Adds a message type (`id` `None`) or renames, retires or brings back
    /// one. A retired type stays on old conversations but is not offered for
    /// new ones. A name another type has is `Err` (shown by the field).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id))]
    pub async fn save_message_type(
        &self,
        access: &StaffAccess,
        id: Option<MessageTypeId>,
        name: ShortText,
        active: bool,
        source: &Source,
    ) -> AppResult<Result<MessageType, NameTaken>> {
        let subject = id.map_or_else(
            || "message_type:new".to_owned(),
            |id| format!("message_type:{id}"),
        );
        self.refuse_unless_admin(access, AuditAction::MessageTypeSaved, &subject, source)
            .await?;
        let message_type = match id {
            Some(id) => {
                let types = self.store.message_types().await?;
                if !types.iter().any(|t| t.id == id) {
                    return Err(AppError::NotFound);
                }
                MessageType { id, name, active }
            }
            None => MessageType {
                id: MessageTypeId::from_uuid(new_uuid(self.clock.as_ref())),
                name,
                active: true,
            },
        };
        let mut event = self.audit_event(
            Actor::User(access.account_id),
            AuditAction::MessageTypeSaved,
            AuditOutcome::Succeeded,
            source,
        );
        event.subject = Some(format!("message_type:{}", message_type.id));
        event.detail = Some(
            if message_type.active {
                "in use"
            } else {
                "retired"
            }
            .to_owned(),
        );
        match self
            .store
            .commit(
                &Changes::new()
                    .with(Write::SaveMessageType(message_type.clone()))
                    .with_audit(event),
            )
            .await
        {
            Ok(_) => Ok(Ok(message_type)),
            Err(send_store::StoreError::Conflict { constraint })
                if constraint == "message_types_name" =>
            {
                Ok(Err(NameTaken))
            }
            Err(err) => Err(err.into()),
        }
    }

    /// Whether `access` may change the council's texts; a refusal is
    /// audited as `action` on `key` (asked before a change's form is read).
    pub async fn may_change_council_text(
        &self,
        access: &StaffAccess,
        action: AuditAction,
        key: &str,
        source: &Source,
    ) -> AppResult<()> {
        spec(key).ok_or(AppError::NotFound)?;
        self.refuse_unless_admin(access, action, key, source).await
    }

    async fn refuse_unless_admin(
        &self,
        access: &StaffAccess,
        action: AuditAction,
        subject: &str,
        source: &Source,
    ) -> AppResult<()> {
        if let Err(refused) = require_admin(access) {
            let mut event = self.audit_event(
                Actor::User(access.account_id),
                action,
                AuditOutcome::Refused,
                source,
            );
            event.subject = Some(subject.to_owned());
            self.store.record_audit_event(&event).await?;
            return Err(refused);
        }
        Ok(())
    }
}

/// The key of a stage's Extra Information.
pub fn stage_key(stage: Stage) -> String {
    format!("stage.{}.extra_information", stage.code())
}

/// Each stage's guide as the default of its Extra Information: "What
/// happens", "What you can do" and "How long it takes", a paragraph each.
fn with_stage_guides(mut texts: Texts) -> Texts {
    for stage in Stage::ALL {
        if let Some(guide) = stage_guide(*stage) {
            texts = texts.with_default(
                &stage_key(*stage),
                format!(
                    "What happens: {}\n\nWhat you can do: {}\n\nHow long it takes: {}",
                    guide.what_happens, guide.what_you_can_do, guide.how_long
                ),
            );
        }
    }
    texts
}

/// Another message type has this name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameTaken;

fn line(texts: &Texts, spec: &'static TextSpec) -> TextLine {
    TextLine {
        spec,
        value: texts.get(spec.key),
        default: texts.default_of(spec.key),
        changed: texts.is_changed(spec.key),
    }
}

fn require_admin(access: &StaffAccess) -> AppResult<()> {
    if access.has(Permission::ManageStaff) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A subject line from rendered text, shortened to what an email allows (a
/// long form title or name may push it over); `None` if it came out empty.
fn email_subject(rendered: &str) -> Option<EmailSubject> {
    let rendered = rendered.trim();
    let subject = if rendered.chars().count() > EmailSubject::MAX_CHARS {
        let mut short: String = rendered.chars().take(EmailSubject::MAX_CHARS - 1).collect();
        short.push('\u{2026}');
        short
    } else {
        rendered.to_owned()
    };
    EmailSubject::parse(&subject).ok()
}
