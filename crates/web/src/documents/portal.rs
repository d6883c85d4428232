//! Documents to View from the SEND Dashboard: the documents shared with the
//! person, each downloaded as an attachment.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use send_app::App;
use send_domain::{ChildId, DocumentId};

use super::{DocumentLine, download_response};
use crate::accounts::SignedIn;
use crate::chrome::Chrome;
use crate::client::ClientAddress;
use crate::errors::WebError;
use crate::paths::IdPath;

#[derive(Template, WebTemplate)]
#[template(path = "portal/documents.html")]
pub struct DocumentsPage {
    chrome: Chrome,
    child_id: ChildId,
    name: String,
    documents: Vec<DocumentLine>,
}

pub async fn documents(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<ChildId>,
) -> Result<Response, WebError> {
    let (child, documents) = app
        .documents_to_view(signed_in.account.id, id, &source)
        .await?;
    Ok(DocumentsPage {
        chrome: signed_in.chrome(&app),
        child_id: id,
        name: child.display_name(),
        documents: documents.iter().map(DocumentLine::of).collect(),
    }
    .into_response())
}

pub async fn download(
    State(app): State<App>,
    signed_in: SignedIn,
    ClientAddress(source): ClientAddress,
    IdPath(id): IdPath<DocumentId>,
) -> Result<Response, WebError> {
    let download = app
        .portal_download(signed_in.account.id, id, &source)
        .await?;
    Ok(download_response(download))
}
