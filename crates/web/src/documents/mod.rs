//! Documents (DOC-1, DOC-2): the SEND team adds them to a child's record and
//! chooses who sees each (`back_office`); a portal user finds those shared with
//! them under Documents to View (`portal`). Both sides list documents and serve
//! downloads alike, with what is here.

use crate::routes::Routes;
use axum::extract::DefaultBodyLimit;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::header;
use send_domain::dates::uk_long_date;
use send_domain::{Document, DocumentId};

use crate::csrf::MULTIPART_BODY_LIMIT;

mod back_office;
mod portal;

pub fn router() -> Routes {
    Routes::new()
        .route("/children/{id}/documents", get(portal::documents))
        .route("/documents/{id}", get(portal::download))
        .route(
            "/back-office/children/{id}/documents",
            get(back_office::list),
        )
        .route(
            "/back-office/children/{id}/documents/new",
            get(back_office::show_upload)
                .post(back_office::submit_upload)
                .layer(DefaultBodyLimit::max(MULTIPART_BODY_LIMIT)),
        )
        .route("/back-office/documents/{id}", get(back_office::download))
        .route(
            "/back-office/documents/{id}/sharing",
            get(back_office::show_sharing).post(back_office::submit_sharing),
        )
}

/// A document in a list.
#[derive(Debug, Clone)]
pub struct DocumentLine {
    pub id: DocumentId,
    pub description: String,
    pub kind: String,
    pub date: String,
    pub file: String,
}

impl DocumentLine {
    pub fn of(document: &Document) -> Self {
        Self {
            id: document.id,
            description: document.description.to_string(),
            kind: document.kind.label().to_owned(),
            date: uk_long_date(document.uploaded_at),
            file: format!(
                "{} ({}, {})",
                document.file.name,
                document.file.kind.label(),
                size_text(document.file.size)
            ),
        }
    }
}

/// A file's size as people read it: "340 KB", "2.4 MB".
pub fn size_text(bytes: u64) -> String {
    const KB: u64 = 1024;
    if bytes < KB * KB {
        format!("{} KB", bytes.div_ceil(KB).max(1))
    } else {
        let tenths = bytes * 10 / (KB * KB);
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

/// A download: the file's own type, as an attachment, never sniffed by the
/// browser, never cached by anything between.
pub fn download_response(download: send_app::documents::Download) -> Response {
    file_response(&download.document.file, download.bytes)
}

/// A stored file as a download: its checked type, its name as the person gave
/// it (made safe), never sniffed or cached.
pub fn file_response(file: &send_domain::StoredFile, bytes: Vec<u8>) -> Response {
    let name = file.name.replace(['"', '\\'], "_");
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = url::form_urlencoded::byte_serialize(name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    (
        [
            (header::CONTENT_TYPE, file.kind.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
