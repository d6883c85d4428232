//! A child's documents in the back office (DOC-1, DOC-2): the list, adding one
//! (checked, scanned, stored) with whom to share it, changing or stopping the
//! sharing, and downloading.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_app::documents::NewDocument;
use send_app::messages::Upload;
use send_domain::{
    CaseAction, Child, ChildId, DocumentId, DocumentKind, Sharing, ShortText, UserId,
};

use super::{DocumentLine, download_response};
use crate::accounts::{FLASH, Flash, keep, take};
use crate::back_office::Staff;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::components::{Checkboxes, ChoiceItem, FileUpload, Input, Legend, Radios};
use crate::csrf::{CsrfForm, CsrfMultipart};
use crate::errors::WebError;
use crate::paths::IdPath;
use crate::question_page::{FormErrors, FormPage, see_other};

/// A document in the back office list.
#[derive(Debug, Clone)]
pub struct Line {
    pub doc: DocumentLine,
    pub sharing: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "back_office/documents.html")]
pub struct DocumentsPage {
    chrome: Chrome,
    id: ChildId,
    name: String,
    lines: Vec<Line>,
    can_edit: bool,
    /// The success banner after adding a document or changing its sharing.
    flash: Option<String>,
}

fn sharing_label(sharing: &Sharing, people: &[(UserId, String)]) -> String {
    match sharing {
        Sharing::NotShared => "Not shared".to_owned(),
        Sharing::AllLinked => "Everyone linked to the child".to_owned(),
        Sharing::Named(chosen) => {
            let shown: Vec<&str> = people
                .iter()
                .filter(|(id, _)| chosen.contains(id))
                .map(|(_, n)| n.as_str())
                .collect();
            if shown.is_empty() {
                "Named people (none with access now)".to_owned()
            } else {
                shown.join(", ")
            }
        }
    }
}

pub async fn list(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
) -> Result<Response, WebError> {
    let (child, documents) = app.case_documents(&staff.access, id, &source).await?;
    let people = app.linked_people(child.id).await?;
    let lines = documents
        .iter()
        .map(|d| Line {
            doc: DocumentLine::of(d),
            sharing: if d.kind == DocumentKind::Attachment {
                "In a message".to_owned()
            } else {
                sharing_label(&d.sharing, &people)
            },
        })
        .collect();
    Ok(DocumentsPage {
        chrome: staff.signed_in.chrome(&app),
        id,
        name: child.display_name(),
        lines,
        can_edit: staff.access.has(send_domain::Permission::EditCases),
        flash: take::<Flash>(&staff.signed_in.session, FLASH)
            .await?
            .map(|f| f.banner()),
    }
    .into_response())
}

/// What the banner says about whom a document is shared with.
fn shared_with(sharing: &Sharing, people: &[(UserId, String)]) -> String {
    match sharing {
        Sharing::NotShared => "It is not shared in the portal".to_owned(),
        Sharing::AllLinked => "Everyone linked to the child can see it in the portal".to_owned(),
        Sharing::Named(_) => format!(
            "Shared in the portal with {}",
            sharing_label(sharing, people)
        ),
    }
}

/// The "who can see it" question, shared by the upload and sharing pages.
fn sharing_fields(
    people: &[(UserId, String)],
    choice: &str,
    named: &[String],
    errors: &FormErrors,
) -> Vec<String> {
    let mut boxes = Checkboxes::new("people")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Select the people who can see it")
        })
        .error_opt(errors.get("people"));
    for (id, name) in people {
        boxes = boxes.item(
            ChoiceItem::new(id.to_string(), name.clone()).checked(named.contains(&id.to_string())),
        );
    }
    let mut share = Radios::new("share")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("Who can see it in the portal?")
        })
        .error_opt(errors.get("share"));
    for (value, text) in [
        ("nobody", "Nobody: keep it on the record only"),
        ("all", "Everyone linked to the child"),
    ] {
        share = share.item(ChoiceItem::new(value, text).checked(choice == value));
    }
    // The people to tick are revealed under "Only these people", by the
    // stylesheet (no script needed).
    let mut named_item = ChoiceItem::new("named", "Only these people").checked(choice == "named");
    if !people.is_empty() {
        named_item = named_item.reveal(boxes.to_string());
    }
    share = share.item(named_item);
    vec![share.to_string()]
}

/// The sharing chosen, or an error on the form.
fn parse_sharing(
    choice: &str,
    named: &[String],
    people: &[(UserId, String)],
    errors: &mut FormErrors,
) -> Option<Sharing> {
    match choice {
        "nobody" => Some(Sharing::NotShared),
        "all" => Some(Sharing::AllLinked),
        "named" => {
            let chosen: Vec<UserId> = people
                .iter()
                .filter(|(id, _)| named.contains(&id.to_string()))
                .map(|(id, _)| *id)
                .collect();
            if chosen.is_empty() {
                errors.add("people", "Tick the people who can see it");
                None
            } else {
                Some(Sharing::Named(chosen))
            }
        }
        _ => {
            errors.add("share", "Select who can see it");
            None
        }
    }
}

#[derive(Debug, Clone, Default)]
struct UploadForm {
    kind: String,
    description: String,
    share: String,
    people: Vec<String>,
}

async fn upload_page(
    app: &App,
    staff: &Staff,
    child: &Child,
    form: &UploadForm,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let people = app.linked_people(child.id).await?;
    let mut kinds = Radios::new("kind")
        .legend(Legend {
            classes: Some("govuk-fieldset__legend--s".to_owned()),
            ..Legend::new("What is it?")
        })
        .error_opt(errors.get("kind"));
    for kind in DocumentKind::ALL
        .iter()
        .filter(|k| **k != DocumentKind::Attachment)
    {
        kinds = kinds
            .item(ChoiceItem::new(kind.code(), kind.label()).checked(form.kind == kind.code()));
    }
    let mut file = FileUpload::new("file", "The file").hint(
        "A PDF, Word document (DOCX), OpenDocument text (ODT), JPG, PNG, HEIC or TXT file, \
         smaller than 20MB",
    );
    if let Some(error) = errors.get("file") {
        file = file.error(error);
    }
    let mut page = FormPage::new(
        staff.signed_in.chrome(app),
        &format!("Add a document for {}", child.display_name()),
        &format!("/back-office/children/{}/documents/new", child.id),
        staff.signed_in.csrf.clone(),
        "Add document",
    )
    .multipart()
    .errors(errors)
    .back(&format!("/back-office/children/{}/documents", child.id))
    .field(&kinds)
    .field(
        &Input::new("description", "Description")
            .hint(
                "Families see this in Documents to View, for example \"Decision to assess letter\"",
            )
            .value(&form.description)
            .error_opt(errors.get("description")),
    )
    .field(&file);
    for field in sharing_fields(&people, &form.share, &form.people, errors) {
        page = page.field(&field);
    }
    Ok(page.respond())
}

pub async fn show_upload(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
) -> Result<Response, WebError> {
    let child = app
        .authorise_child(&staff.access, CaseAction::Edit, id, &source)
        .await?;
    upload_page(
        &app,
        &staff,
        &child,
        &UploadForm::default(),
        &FormErrors::default(),
    )
    .await
}

pub async fn submit_upload(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
    multipart: CsrfMultipart,
) -> Result<Response, WebError> {
    let child = app
        .authorise_child(&staff.access, CaseAction::Edit, id, &source)
        .await?;
    let form = UploadForm {
        kind: multipart.text("kind"),
        description: multipart.text("description"),
        share: multipart.text("share"),
        people: multipart.all("people"),
    };
    let mut errors = FormErrors::default();
    let kind = form
        .kind
        .parse::<DocumentKind>()
        .ok()
        .filter(|k| *k != DocumentKind::Attachment);
    if kind.is_none() {
        errors.add("kind", "Select what the document is");
    }
    let description = errors.check(
        "description",
        ShortText::parse(&form.description, "a description"),
    );
    let file = multipart.files.iter().find(|f| f.field == "file");
    if file.is_none() {
        errors.add("file", "Select a file");
    }
    let people = app.linked_people(child.id).await?;
    let sharing = parse_sharing(&form.share, &form.people, &people, &mut errors);
    if let (Some(kind), Some(description), Some(file), Some(sharing), true) =
        (kind, description, file, sharing, errors.is_empty())
    {
        let new = NewDocument {
            kind,
            description,
            upload: Upload {
                name: file.name.clone(),
                bytes: file.bytes.clone(),
            },
            sharing,
        };
        let text = format!(
            "“{}” added. {}",
            new.description,
            shared_with(&new.sharing, &people)
        );
        match app.upload_document(&staff.access, id, new, &source).await? {
            Ok(_) => {
                keep(&staff.signed_in.session, FLASH, &Flash::success(&text)).await?;
                return Ok(see_other(&format!("/back-office/children/{id}/documents")));
            }
            Err(problem) => errors.add("file", problem.to_string()),
        }
    }
    upload_page(&app, &staff, &child, &form, &errors).await
}

/// What the sharing form sends (checkboxes repeat `people`).
#[derive(Debug, Clone, Default)]
pub struct SharingForm {
    share: String,
    people: Vec<String>,
}

async fn sharing_page(
    app: &App,
    staff: &Staff,
    document: DocumentId,
    source: &send_app::audit::Source,
    form: &SharingForm,
    errors: &FormErrors,
) -> Result<Response, WebError> {
    let found = app.staff_document(&staff.access, document, source).await?;
    let people = app.linked_people(found.child_id).await?;
    let mut page = FormPage::new(
        staff.signed_in.chrome(app),
        &format!("Who can see “{}”", found.description),
        &format!("/back-office/documents/{document}/sharing"),
        staff.signed_in.csrf.clone(),
        "Save",
    )
    .errors(errors)
    .back(&format!(
        "/back-office/children/{}/documents",
        found.child_id
    ))
    .intro(
        "A change takes effect at once: un-shared documents leave Documents to View straight away.",
    );
    for field in sharing_fields(&people, &form.share, &form.people, errors) {
        page = page.field(&field);
    }
    Ok(page.respond())
}

pub async fn show_sharing(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<DocumentId>,
) -> Result<Response, WebError> {
    let found = app.staff_document(&staff.access, id, &source).await?;
    let form = match &found.sharing {
        Sharing::NotShared => SharingForm {
            share: "nobody".to_owned(),
            people: Vec::new(),
        },
        Sharing::AllLinked => SharingForm {
            share: "all".to_owned(),
            people: Vec::new(),
        },
        Sharing::Named(named) => SharingForm {
            share: "named".to_owned(),
            people: named.iter().map(ToString::to_string).collect(),
        },
    };
    sharing_page(&app, &staff, id, &source, &form, &FormErrors::default()).await
}

pub async fn submit_sharing(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<DocumentId>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let form = SharingForm {
        share: form
            .iter()
            .find(|(k, _)| k == "share")
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
        people: form
            .iter()
            .filter(|(k, _)| k == "people")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    let found = app.staff_document(&staff.access, id, &source).await?;
    let people = app.linked_people(found.child_id).await?;
    let mut errors = FormErrors::default();
    if let Some(sharing) = parse_sharing(&form.share, &form.people, &people, &mut errors) {
        let text = format!(
            "Sharing of “{}” saved. {}",
            found.description,
            shared_with(&sharing, &people)
        );
        app.set_document_sharing(&staff.access, id, sharing, &source)
            .await?;
        keep(&staff.signed_in.session, FLASH, &Flash::success(&text)).await?;
        return Ok(see_other(&format!(
            "/back-office/children/{}/documents",
            found.child_id
        )));
    }
    sharing_page(&app, &staff, id, &source, &form, &errors).await
}

pub async fn download(
    State(app): State<App>,
    staff: Staff,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<DocumentId>,
) -> Result<Response, WebError> {
    let download = app.staff_download(&staff.access, id, &source).await?;
    Ok(download_response(download))
}
