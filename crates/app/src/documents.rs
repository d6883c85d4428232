//! Documents on a child's record (DOC-1): the SEND team uploads letters, advice
//! and plans to the chronology and chooses whom to share each with; portal users
//! see what is shared with them under "Documents to View" and download it. Every
//! upload, change of sharing and download (refusals too) is audited.

use send_domain::notifications::NotificationEvent;
use send_domain::{
    Actor, AuditAction, AuditEvent, AuditOutcome, CaseAction, Child, ChildId, Document, DocumentId,
    DocumentKind, PortalAction, Sharing, ShortText, StaffAccess, UserId,
};
use send_store::{Changes, Effects, StoreError, Write};

use crate::audit::Source;
use crate::files::UploadProblem;
use crate::ids::new_uuid;
use crate::messages::Upload;
use crate::notifications::Notice;
use crate::{App, AppError, AppResult};

/// A document the SEND team is adding.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub kind: DocumentKind,
    pub description: ShortText,
    pub upload: Upload,
    pub sharing: Sharing,
}

/// A document with the bytes of its file, for a download.
#[derive(Debug, Clone)]
pub struct Download {
    pub document: Document,
    pub bytes: Vec<u8>,
}

fn sharing_text(sharing: &Sharing) -> String {
    match sharing {
        Sharing::NotShared => "not shared".to_owned(),
        Sharing::AllLinked => "shared with everyone linked to the child".to_owned(),
        Sharing::Named(people) => {
            format!("shared with {}", crate::notifications::people(people.len()))
        }
    }
}

impl App {
    /// The people a change of sharing newly shows the document to (active
    /// links only): they are told with the "document shared" notification.
    async fn newly_shared_with(
        &self,
        child: &Child,
        before: &Sharing,
        after: &Sharing,
    ) -> AppResult<Vec<UserId>> {
        Ok(self
            .linked_people(child.id)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| after.includes(*id) && !before.includes(*id))
            .collect())
    }

    fn document_event(
        &self,
        actor: UserId,
        action: AuditAction,
        outcome: AuditOutcome,
        child: ChildId,
        document: DocumentId,
        source: &Source,
    ) -> AuditEvent {
        let mut event = self.audit_event(Actor::User(actor), action, outcome, source);
        event.child_id = Some(child);
        event.subject = Some(format!("document:{document}"));
        event
    }

    /// Adds a document to the child's record (checked, scanned, stored).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child))]
    pub async fn upload_document(
        &self,
        access: &StaffAccess,
        child: ChildId,
        new: NewDocument,
        source: &Source,
    ) -> AppResult<Result<DocumentId, UploadProblem>> {
        let child = self
            .authorise_child(access, CaseAction::Edit, child, source)
            .await?;
        let stored = self
            .files
            .check_and_store(&new.upload.name, &new.upload.bytes, self.clock.now())
            .await
            .map_err(AppError::internal_with("storing a document"))?;
        let file = match stored {
            Ok(file) => file,
            Err(problem) => {
                let mut event = self.case_event(
                    access,
                    AuditAction::UploadRefused,
                    AuditOutcome::Refused,
                    Some(child.id),
                    source,
                );
                event.detail = Some(format!("{problem:?}"));
                self.store.record_audit_event(&event).await?;
                return Ok(Err(problem));
            }
        };
        let now = self.clock.now();
        let shared = new.sharing != Sharing::NotShared;
        let document = Document {
            id: DocumentId::from_uuid(new_uuid(self.clock.as_ref())),
            child_id: child.id,
            kind: new.kind,
            description: new.description,
            file,
            uploaded_by: access.account_id,
            uploaded_at: now,
            sharing: new.sharing,
            shared_at: shared.then_some(now),
        };
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "document.uploaded",
            format!(
                "{} added: {} ({})",
                document.kind.label(),
                document.description,
                sharing_text(&document.sharing)
            ),
            None,
        );
        let mut effects = Effects::audit(self.document_event(
            access.account_id,
            AuditAction::DocumentUploaded,
            AuditOutcome::Succeeded,
            child.id,
            document.id,
            source,
        ));
        if shared {
            let mut event = self.document_event(
                access.account_id,
                AuditAction::DocumentSharingChanged,
                AuditOutcome::Succeeded,
                child.id,
                document.id,
                source,
            );
            event.detail = Some(sharing_text(&document.sharing));
            effects.audit.push(event);
        }
        let newly = self
            .newly_shared_with(&child, &Sharing::NotShared, &document.sharing)
            .await?;
        let mut changes = Changes::new()
            .with(Write::InsertDocument(document.clone()))
            .with(Write::AddChronologyEntry(entry))
            .with_effects(effects);
        let notice = Notice::new(
            &child,
            NotificationEvent::DocumentShared,
            Some(access.account_id),
        );
        self.add_notifications(&mut changes, notice.only(&newly))
            .await?;
        if let Err(err) = self.store.commit(&changes).await {
            self.discard_files(std::slice::from_ref(&document)).await;
            return Err(err.into());
        }
        Ok(Ok(document.id))
    }

    /// One document, for a member of staff who may change the child's record.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, document_id = %document))]
    pub async fn staff_document(
        &self,
        access: &StaffAccess,
        document: DocumentId,
        source: &Source,
    ) -> AppResult<Document> {
        let found = self
            .store
            .document(document)
            .await?
            .ok_or(AppError::NotFound)?;
        self.authorise_child(access, CaseAction::Edit, found.child_id, source)
            .await?;
        Ok(found)
    }

    /// A child's documents for the SEND team (the view is audited as a view of
    /// the child's record).
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, child_id = %child))]
    pub async fn case_documents(
        &self,
        access: &StaffAccess,
        child: ChildId,
        source: &Source,
    ) -> AppResult<(Child, Vec<Document>)> {
        let child = self
            .authorise_child(access, CaseAction::View, child, source)
            .await?;
        let documents = self.store.documents_of_child(child.id).await?;
        let mut event = self.case_event(
            access,
            AuditAction::ChildViewed,
            AuditOutcome::Succeeded,
            Some(child.id),
            source,
        );
        event.detail = Some("documents".to_owned());
        self.store.record_audit_event(&event).await?;
        Ok((child, documents))
    }

    /// Changes whom a document is shared with; un-sharing removes it from the
    /// portal at once.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, document_id = %document))]
    pub async fn set_document_sharing(
        &self,
        access: &StaffAccess,
        document: DocumentId,
        sharing: Sharing,
        source: &Source,
    ) -> AppResult<()> {
        let found = self
            .store
            .document(document)
            .await?
            .ok_or(AppError::NotFound)?;
        let child = self
            .authorise_child(access, CaseAction::Edit, found.child_id, source)
            .await?;
        let entry = self.chronology_entry(
            child.id,
            access.account_id,
            "document.sharing_changed",
            format!("{} is now {}", found.description, sharing_text(&sharing)),
            None,
        );
        let mut event = self.document_event(
            access.account_id,
            AuditAction::DocumentSharingChanged,
            AuditOutcome::Succeeded,
            child.id,
            found.id,
            source,
        );
        event.detail = Some(sharing_text(&sharing));
        let newly = self
            .newly_shared_with(&child, &found.sharing, &sharing)
            .await?;
        let mut changes = Changes::new()
            .with(Write::SetSharing {
                document: found.id,
                sharing,
                at: self.clock.now(),
            })
            .with(Write::AddChronologyEntry(entry))
            .with_effects(Effects::audit(event));
        let notice = Notice::new(
            &child,
            NotificationEvent::DocumentShared,
            Some(access.account_id),
        );
        self.add_notifications(&mut changes, notice.only(&newly))
            .await?;
        match self.store.commit(&changes).await {
            Ok(_) => Ok(()),
            Err(StoreError::NotFound) => Err(AppError::NotFound),
            Err(err) => Err(err.into()),
        }
    }

    /// "Documents to View": what the SEND team has shared with this person about
    /// the child (not message attachments), newest first.
    #[tracing::instrument(skip_all, fields(account_id = %account, child_id = %child))]
    pub async fn documents_to_view(
        &self,
        account: UserId,
        child: ChildId,
        source: &Source,
    ) -> AppResult<(Child, Vec<Document>)> {
        let (child, _) = self
            .authorise_portal(
                account,
                PortalAction::ViewDocuments,
                child,
                AuditAction::DocumentDownloaded,
                source,
            )
            .await?;
        let documents = self.shared_documents(account, child.id).await?;
        Ok((child, documents))
    }

    /// The documents shared with a person about a child (no access check: the
    /// caller has made it).
    pub(crate) async fn shared_documents(
        &self,
        account: UserId,
        child: ChildId,
    ) -> AppResult<Vec<Document>> {
        Ok(self
            .store
            .documents_shared_with(child, account)
            .await?
            .into_iter()
            .filter(|d| d.kind != DocumentKind::Attachment)
            .collect())
    }

    /// Whether `document` is attached to a message in a thread `account` is in.
    async fn attached_in_their_thread(
        &self,
        account: UserId,
        document: &Document,
    ) -> AppResult<bool> {
        if document.kind != DocumentKind::Attachment {
            return Ok(false);
        }
        for thread in self
            .store
            .threads_with_participant(document.child_id, account)
            .await?
        {
            if self
                .store
                .messages(thread.id)
                .await?
                .iter()
                .any(|m| m.attachments.contains(&document.id))
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// A portal user downloads a document: shared with them (or attached in a
    /// thread they are in) while their link is active. Anything else is a 404;
    /// every download and refusal is audited.
    #[tracing::instrument(skip_all, fields(account_id = %account, document_id = %document))]
    pub async fn portal_download(
        &self,
        account: UserId,
        document: DocumentId,
        source: &Source,
    ) -> AppResult<Download> {
        let found = self.store.document(document).await?;
        let refuse = async |child: Option<ChildId>, why: &str| -> AppResult<Download> {
            let mut event = self.audit_event(
                Actor::User(account),
                AuditAction::DocumentDownloaded,
                AuditOutcome::Refused,
                source,
            );
            event.child_id = child;
            event.subject = Some(format!("document:{document}"));
            event.detail = Some(why.to_owned());
            self.store.record_audit_event(&event).await?;
            Err(AppError::NotFound)
        };
        let Some(found) = found else {
            return refuse(None, "no such document").await;
        };
        self.authorise_portal(
            account,
            PortalAction::ViewDocuments,
            found.child_id,
            AuditAction::DocumentDownloaded,
            source,
        )
        .await?;
        if !found.sharing.includes(account)
            && !self.attached_in_their_thread(account, &found).await?
        {
            return refuse(Some(found.child_id), "not shared with this person").await;
        }
        self.finish_download(account, found, source).await
    }

    /// The SEND team downloads a document of a child they may see.
    #[tracing::instrument(skip_all, fields(account_id = %access.account_id, document_id = %document))]
    pub async fn staff_download(
        &self,
        access: &StaffAccess,
        document: DocumentId,
        source: &Source,
    ) -> AppResult<Download> {
        let found = self
            .store
            .document(document)
            .await?
            .ok_or(AppError::NotFound)?;
        self.authorise_child(access, CaseAction::View, found.child_id, source)
            .await?;
        self.finish_download(access.account_id, found, source).await
    }

    async fn finish_download(
        &self,
        account: UserId,
        document: Document,
        source: &Source,
    ) -> AppResult<Download> {
        let bytes = self
            .files
            .read(&document.file.key)
            .await
            .map_err(AppError::internal_with("reading a document"))?;
        let event = self.document_event(
            account,
            AuditAction::DocumentDownloaded,
            AuditOutcome::Succeeded,
            document.child_id,
            document.id,
            source,
        );
        self.store.record_audit_event(&event).await?;
        Ok(Download { document, bytes })
    }
}
