//! Files people upload (DOC-2): the kinds the portal accepts, each recognised by
//! its content, never by its name alone.

use crate::audit::code_enum;

code_enum!(
    /// A kind of file the portal accepts.
    FileKind {
        Pdf => "pdf",
        Docx => "docx",
        Odt => "odt",
        Jpeg => "jpeg",
        Png => "png",
        Heic => "heic",
        Txt => "txt",
    }
);

impl FileKind {
    /// The `Content-Type` a download is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Odt => "application/vnd.oasis.opendocument.text",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Heic => "image/heic",
            Self::Txt => "text/plain; charset=utf-8",
        }
    }

    /// The file name endings that go with this kind (lower case, no dot).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Docx => &["docx"],
            Self::Odt => &["odt"],
            Self::Jpeg => &["jpg", "jpeg"],
            Self::Png => &["png"],
            Self::Heic => &["heic", "heif"],
            Self::Txt => &["txt"],
        }
    }

    /// For pages: "PDF", "Word document", …
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Docx => "Word document",
            Self::Odt => "OpenDocument text",
            Self::Jpeg => "JPEG image",
            Self::Png => "PNG image",
            Self::Heic => "HEIC image",
            Self::Txt => "Text file",
        }
    }
}

/// A file as stored: under a name the server made, with what was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// The storage key, made by the server (never from the uploaded name).
    pub key: String,
    /// The name the person gave it, cleaned for display and downloads.
    pub name: String,
    pub kind: FileKind,
    pub size: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
}
