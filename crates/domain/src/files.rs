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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// One mebibyte, the unit upload limits are given in.
const MIB: u64 = 1024 * 1024;

/// The longest name kept for display and downloads, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 100;

/// The brands of an ISO-BMFF `ftyp` box that mean HEIC/HEIF.
const HEIF_BRANDS: &[&[u8; 4]] = &[
    b"heic", b"heix", b"hevc", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1",
];

/// The `mimetype` an `OpenDocument` text file stores first.
const ODT_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.text";

impl FileKind {
    /// Recognises a file by its content (its "magic numbers"), never its name.
    /// `None`: not a kind the portal accepts.
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if is_heif(bytes) {
            Some(Self::Heic)
        } else if bytes.starts_with(b"PK\x03\x04") {
            sniff_zip(bytes)
        } else if is_plain_text(bytes) {
            Some(Self::Txt)
        } else {
            None
        }
    }

    /// The kind a file name's ending (case-insensitive) says; `None` when it has
    /// no ending or one the portal does not accept.
    pub fn from_name(name: &str) -> Option<FileKind> {
        let extension = extension(name)?.to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|kind| kind.extensions().contains(&extension.as_str()))
    }

    /// "a PDF", "a Word document (DOCX)", …: for error messages.
    fn described(self) -> &'static str {
        match self {
            Self::Pdf => "a PDF",
            Self::Docx => "a Word document (DOCX)",
            Self::Odt => "an OpenDocument text file (ODT)",
            Self::Jpeg => "a JPG image",
            Self::Png => "a PNG image",
            Self::Heic => "a HEIC image",
            Self::Txt => "a text file (TXT)",
        }
    }
}

/// The ending of the last part of a file name, without its dot; `None` when it
/// has none (`report`, `.profile`, `report.`).
fn extension(name: &str) -> Option<&str> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, extension) = last.rsplit_once('.')?;
    let stem = stem.trim_start_matches('.');
    (!stem.is_empty() && !extension.is_empty()).then_some(extension)
}

/// An ISO-BMFF file (`ftyp` box at offset 4) whose major brand is a HEIF one.
/// A generic `mif1`/`msf1` file that says it is AVIF is not HEIC.
fn is_heif(bytes: &[u8]) -> bool {
    if bytes.len() < 12 || &bytes[4..8] != b"ftyp" {
        return false;
    }
    let major = &bytes[8..12];
    if !HEIF_BRANDS.iter().any(|brand| brand.as_slice() == major) {
        return false;
    }
    let box_size = usize::try_from(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    let compatible = bytes.get(16..box_size).unwrap_or_default();
    !compatible
        .chunks_exact(4)
        .any(|brand| brand == b"avif" || brand == b"avis")
}

/// Non-empty UTF-8 text with no NUL and no control characters but tab, carriage
/// return, line feed and form feed.
fn is_plain_text(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\r' | '\n' | '\u{0C}'))
}

fn u16_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at + 2)?;
    Some(usize::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at + 4)?;
    usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok()
}

/// A ZIP file is a DOCX or an ODT by the names (and, for ODT, the first entry)
/// inside it; nothing is decompressed.
fn sniff_zip(bytes: &[u8]) -> Option<FileKind> {
    // ODT: the first entry is `mimetype`, stored uncompressed, naming the type.
    if let (Some(method), Some(size), Some(name_len), Some(extra_len)) = (
        u16_at(bytes, 8),
        u32_at(bytes, 18),
        u16_at(bytes, 26),
        u16_at(bytes, 28),
    ) {
        let data_at = 30 + name_len + extra_len;
        if method == 0
            && bytes.get(30..30 + name_len) == Some(b"mimetype".as_slice())
            && bytes.get(data_at..data_at + size) == Some(ODT_MIMETYPE)
        {
            return Some(FileKind::Odt);
        }
    }
    let names = zip_entry_names(bytes);
    let has = |wanted: &str| names.contains(&wanted.as_bytes());
    // DOCX: an Office Open XML package with a Word part. A macro-enabled document
    // (with a VBA project) is not a DOCX, whatever its name says.
    if has("[Content_Types].xml")
        && names.iter().any(|name| name.starts_with(b"word/"))
        && !has("word/vbaProject.bin")
    {
        return Some(FileKind::Docx);
    }
    None
}

/// The entry names of a ZIP file: from its central directory when it has one
/// that reads, else by walking the local file headers from the start.
fn zip_entry_names(bytes: &[u8]) -> Vec<&[u8]> {
    central_directory_names(bytes).unwrap_or_else(|| local_header_names(bytes))
}

fn central_directory_names(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    // The end-of-central-directory record is 22 bytes plus a comment of up to 64 KiB.
    let earliest = bytes.len().saturating_sub(22 + 0xFFFF);
    let end = (earliest..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&at| bytes[at..].starts_with(b"PK\x05\x06"))?;
    let count = u16_at(bytes, end + 10)?;
    let mut at = u32_at(bytes, end + 16)?;
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        if !bytes.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let name_len = u16_at(bytes, at + 28)?;
        let extra_len = u16_at(bytes, at + 30)?;
        let comment_len = u16_at(bytes, at + 32)?;
        names.push(bytes.get(at + 46..at + 46 + name_len)?);
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

fn local_header_names(bytes: &[u8]) -> Vec<&[u8]> {
    let mut names = Vec::new();
    let mut at = 0;
    while bytes
        .get(at..)
        .is_some_and(|rest| rest.starts_with(b"PK\x03\x04"))
    {
        let (Some(flags), Some(size), Some(name_len), Some(extra_len)) = (
            u16_at(bytes, at + 6),
            u32_at(bytes, at + 18),
            u16_at(bytes, at + 26),
            u16_at(bytes, at + 28),
        ) else {
            break;
        };
        let Some(name) = bytes.get(at + 30..at + 30 + name_len) else {
            break;
        };
        names.push(name);
        // With a data descriptor (flag bit 3) the size comes after the data, so
        // the next header cannot be found from here.
        if flags & 0x08 != 0 {
            break;
        }
        at += 30 + name_len + extra_len + size;
    }
    names
}

/// Why an upload was refused, in the words of the GOV.UK file upload pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadProblem {
    #[error("The selected file is empty")]
    Empty,
    #[error("The selected file must be smaller than {max_mb}MB")]
    TooLarge { max_mb: u64 },
    #[error(
        "The selected file must be a PDF, Word document (DOCX), OpenDocument text (ODT), JPG, PNG, HEIC or TXT"
    )]
    NotAllowed,
    /// The name's ending and the content disagree (`extension` is empty when the
    /// name has no ending).
    #[error("{}", mismatch_message(extension, *kind))]
    Mismatch { extension: String, kind: FileKind },
    #[error("The selected file contains a virus")]
    Infected,
    #[error("The selected file could not be checked for viruses. Try again later")]
    ScanFailed,
}

fn mismatch_message(extension: &str, kind: FileKind) -> String {
    let described = kind.described();
    let wanted = kind.extensions()[0];
    if extension.is_empty() {
        format!("The selected file’s name must end in .{wanted} because it is {described}")
    } else {
        format!(
            "The selected file’s name ends in .{extension} but it is {described}. \
             Rename it to end in .{wanted}, or choose a different file"
        )
    }
}

/// Checks an upload before it is stored: not empty, no larger than `max_bytes`,
/// a kind the portal accepts by its content, and a name ending that agrees.
pub fn check_upload(name: &str, bytes: &[u8], max_bytes: u64) -> Result<FileKind, UploadProblem> {
    if bytes.is_empty() {
        return Err(UploadProblem::Empty);
    }
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max_bytes {
        return Err(UploadProblem::TooLarge {
            max_mb: max_bytes.div_ceil(MIB),
        });
    }
    let kind = FileKind::sniff(bytes).ok_or(UploadProblem::NotAllowed)?;
    match extension(name) {
        None => Err(UploadProblem::Mismatch {
            extension: String::new(),
            kind,
        }),
        Some(extension) => match FileKind::from_name(name) {
            Some(named) if named == kind => Ok(kind),
            Some(_) => Err(UploadProblem::Mismatch {
                extension: extension.to_ascii_lowercase(),
                kind,
            }),
            // An ending the portal never accepts (`.exe`, `.csv`) says more than the content.
            None => Err(UploadProblem::NotAllowed),
        },
    }
}

/// Characters that change the direction text is shown in, which can make
/// `photo<U+202E>gpj.exe` look like `photoexe.jpg`.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The name an uploaded file is shown and downloaded under: the last part of
/// what was sent (browsers may send a whole path, with `/` or `\`), without
/// control characters or leading dots, trimmed, at most
/// [`MAX_DISPLAY_NAME_CHARS`] characters (keeping its ending); `file` if nothing
/// is left. It is never used to store the file.
pub fn display_name(uploaded: &str) -> String {
    let last = uploaded.rsplit(['/', '\\']).next().unwrap_or(uploaded);
    let cleaned: String = last
        .chars()
        .filter(|&c| !c.is_control() && !is_bidi_control(c))
        .collect();
    let cleaned = cleaned
        .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end();
    if cleaned.is_empty() {
        return "file".to_owned();
    }
    if cleaned.chars().count() <= MAX_DISPLAY_NAME_CHARS {
        return cleaned.to_owned();
    }
    match cleaned.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && (1..=10).contains(&ext.chars().count()) => {
            let keep = MAX_DISPLAY_NAME_CHARS - ext.chars().count() - 1;
            let stem: String = stem.chars().take(keep).collect();
            format!("{}.{ext}", stem.trim_end())
        }
        _ => cleaned
            .chars()
            .take(MAX_DISPLAY_NAME_CHARS)
            .collect::<String>()
            .trim_end()
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: u64 = 20 * MIB;

    /// A ZIP file with these entries stored uncompressed, with a central directory
    /// (or without one, to check the local headers are read instead).
    fn zip(entries: &[(&str, &[u8])], central_directory: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in entries {
            let offset = u32::try_from(out.len()).unwrap();
            let size = u32::try_from(data.len()).unwrap();
            let name_len = u16::try_from(name.len()).unwrap();
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&size.to_le_bytes());
            central.extend_from_slice(&size.to_le_bytes());
            central.extend_from_slice(&name_len.to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        if central_directory {
            let at = u32::try_from(out.len()).unwrap();
            let count = u16::try_from(entries.len()).unwrap();
            let size = u32::try_from(central.len()).unwrap();
            out.extend_from_slice(&central);
            out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
            out.extend_from_slice(&count.to_le_bytes());
            out.extend_from_slice(&count.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&at.to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        }
        out
    }

    fn docx() -> Vec<u8> {
        zip(
            &[
                ("[Content_Types].xml", b"<Types/>"),
                ("_rels/.rels", b"<Relationships/>"),
                ("word/document.xml", b"<w:document/>"),
            ],
            true,
        )
    }

    fn odt() -> Vec<u8> {
        zip(
            &[
                ("mimetype", ODT_MIMETYPE),
                ("content.xml", b"<office:document-content/>"),
                ("META-INF/manifest.xml", b"<manifest:manifest/>"),
            ],
            true,
        )
    }

    fn heic(major: &[u8], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = u32::try_from(16 + 4 * compatible.len()).unwrap();
        let mut out = size.to_be_bytes().to_vec();
        out.extend_from_slice(b"ftyp");
        out.extend_from_slice(major);
        out.extend_from_slice(&[0, 0, 0, 0]);
        for brand in compatible {
            out.extend_from_slice(*brand);
        }
        out.extend_from_slice(b"\0\0\0\x08meta");
        out
    }

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xFF\xD9";

    #[test]
    fn each_kind_is_recognised_by_its_content() {
        assert_eq!(FileKind::sniff(PDF), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(PNG), Some(FileKind::Png));
        assert_eq!(FileKind::sniff(JPEG), Some(FileKind::Jpeg));
        assert_eq!(
            FileKind::sniff(&heic(b"heic", &[b"mif1", b"heic"])),
            Some(FileKind::Heic)
        );
        for brand in HEIF_BRANDS {
            assert_eq!(
                FileKind::sniff(&heic(brand.as_slice(), &[])),
                Some(FileKind::Heic),
                "{brand:?}"
            );
        }
        assert_eq!(FileKind::sniff(&docx()), Some(FileKind::Docx));
        assert_eq!(FileKind::sniff(&odt()), Some(FileKind::Odt));
        assert_eq!(
            FileKind::sniff("Dear SEND team,\r\n\tThank you. £5 — ✓\n\x0c".as_bytes()),
            Some(FileKind::Txt)
        );
    }

    #[test]
    fn a_docx_is_recognised_from_its_local_headers_without_a_central_directory() {
        let bytes = zip(
            &[
                ("[Content_Types].xml", b"<Types/>"),
                ("word/document.xml", b"<w:document/>"),
            ],
            false,
        );
        assert_eq!(FileKind::sniff(&bytes), Some(FileKind::Docx));
    }

    #[test]
    fn other_files_are_not_accepted_kinds() {
        // Any other ZIP, a macro-enabled Word file, an OpenDocument spreadsheet.
        assert_eq!(FileKind::sniff(&zip(&[("a.txt", b"hello")], true)), None);
        let docm = zip(
            &[
                ("[Content_Types].xml", b"<Types/>"),
                ("word/document.xml", b"<w:document/>"),
                ("word/vbaProject.bin", b"\xD0\xCF"),
            ],
            true,
        );
        assert_eq!(FileKind::sniff(&docm), None);
        let ods = zip(
            &[(
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            )],
            true,
        );
        assert_eq!(FileKind::sniff(&ods), None);
        // A Windows program, an AVIF image, an MP4 video, a GIF.
        assert_eq!(
            FileKind::sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF"),
            None
        );
        assert_eq!(FileKind::sniff(&heic(b"avif", &[b"mif1"])), None);
        assert_eq!(FileKind::sniff(&heic(b"mif1", &[b"avif"])), None);
        assert_eq!(FileKind::sniff(&heic(b"isom", &[b"mp41"])), None);
        assert_eq!(FileKind::sniff(b"GIF89a\x01\0\x01\0\0\0\0;"), None);
        // Not text: NUL, other control characters, invalid UTF-8, nothing.
        assert_eq!(FileKind::sniff(b"text\0more"), None);
        assert_eq!(FileKind::sniff(b"text\x1b[31mred"), None);
        assert_eq!(FileKind::sniff(b"caf\xE9"), None);
        assert_eq!(FileKind::sniff(b""), None);
        // Short or truncated files never panic.
        for bytes in [
            &b"PK\x03\x04"[..],
            b"PK\x03\x04\0\0\0\0\0\0",
            b"\0\0\0\x18ftyp",
            b"\xFF\xD8",
        ] {
            let _ = FileKind::sniff(bytes);
        }
        let mut cut = docx();
        cut.truncate(cut.len() - 5);
        let _ = FileKind::sniff(&cut);
    }

    #[test]
    fn the_name_ending_gives_a_kind_whatever_its_case() {
        assert_eq!(FileKind::from_name("Report.PDF"), Some(FileKind::Pdf));
        assert_eq!(FileKind::from_name("photo.JPEG"), Some(FileKind::Jpeg));
        assert_eq!(FileKind::from_name("photo.jpg"), Some(FileKind::Jpeg));
        assert_eq!(FileKind::from_name("IMG_0001.heif"), Some(FileKind::Heic));
        assert_eq!(FileKind::from_name("plan.v2.docx"), Some(FileKind::Docx));
        assert_eq!(
            FileKind::from_name("C:\\Users\\amira\\notes.txt"),
            Some(FileKind::Txt)
        );
        assert_eq!(FileKind::from_name("letter.odt"), Some(FileKind::Odt));
        assert_eq!(FileKind::from_name("scan.png"), Some(FileKind::Png));
        assert_eq!(FileKind::from_name("setup.exe"), None);
        assert_eq!(FileKind::from_name("pdf"), None);
        assert_eq!(FileKind::from_name(".pdf"), None);
        assert_eq!(FileKind::from_name("folder.pdf/readme"), None);
    }

    #[test]
    fn a_file_whose_name_and_content_agree_is_accepted() {
        let cases: [(&str, Vec<u8>, FileKind); 8] = [
            ("report.pdf", PDF.to_vec(), FileKind::Pdf),
            ("scan.PNG", PNG.to_vec(), FileKind::Png),
            ("photo.jpg", JPEG.to_vec(), FileKind::Jpeg),
            ("photo.jpeg", JPEG.to_vec(), FileKind::Jpeg),
            ("IMG_0001.HEIC", heic(b"heic", &[b"mif1"]), FileKind::Heic),
            ("plan.docx", docx(), FileKind::Docx),
            ("letter.odt", odt(), FileKind::Odt),
            (
                "notes.txt",
                b"Notes from the meeting\n".to_vec(),
                FileKind::Txt,
            ),
        ];
        for (name, bytes, kind) in cases {
            assert_eq!(check_upload(name, &bytes, MAX), Ok(kind), "{name}");
        }
    }

    #[test]
    fn a_name_ending_that_disagrees_with_the_content_is_refused() {
        let cases: [(&str, Vec<u8>, &str, FileKind); 8] = [
            ("scan.pdf", PNG.to_vec(), "pdf", FileKind::Png),
            ("report.png", PDF.to_vec(), "png", FileKind::Pdf),
            ("photo.PNG", JPEG.to_vec(), "png", FileKind::Jpeg),
            ("photo.jpg", heic(b"heic", &[]), "jpg", FileKind::Heic),
            ("plan.odt", docx(), "odt", FileKind::Docx),
            ("letter.docx", odt(), "docx", FileKind::Odt),
            ("notes.pdf", b"plain words".to_vec(), "pdf", FileKind::Txt),
            ("report.txt", PDF.to_vec(), "txt", FileKind::Pdf),
        ];
        for (name, bytes, extension, kind) in cases {
            assert_eq!(
                check_upload(name, &bytes, MAX),
                Err(UploadProblem::Mismatch {
                    extension: extension.to_owned(),
                    kind
                }),
                "{name}"
            );
        }
        let problem = check_upload("scan.pdf", PNG, MAX).unwrap_err();
        assert_eq!(
            problem.to_string(),
            "The selected file’s name ends in .pdf but it is a PNG image. \
             Rename it to end in .png, or choose a different file"
        );
        let problem = check_upload("report", PDF, MAX).unwrap_err();
        assert_eq!(
            problem.to_string(),
            "The selected file’s name must end in .pdf because it is a PDF"
        );
    }

    #[test]
    fn kinds_the_portal_does_not_accept_are_refused() {
        for (name, bytes) in [
            ("setup.exe", &b"MZ\x90\0\x03\0\0\0"[..]),
            ("setup.pdf", b"MZ\x90\0\x03\0\0\0"),
            ("list.csv", b"a,b\n1,2\n"),
            ("page.html", b"<script>alert(1)</script>"),
        ] {
            assert_eq!(
                check_upload(name, bytes, MAX),
                Err(UploadProblem::NotAllowed),
                "{name}"
            );
        }
        assert_eq!(
            UploadProblem::NotAllowed.to_string(),
            "The selected file must be a PDF, Word document (DOCX), OpenDocument text (ODT), JPG, PNG, HEIC or TXT"
        );
    }

    #[test]
    fn empty_and_oversized_files_are_refused() {
        assert_eq!(
            check_upload("report.pdf", b"", MAX),
            Err(UploadProblem::Empty)
        );
        assert_eq!(
            UploadProblem::Empty.to_string(),
            "The selected file is empty"
        );
        let mut big = PDF.to_vec();
        big.resize(usize::try_from(MAX).unwrap() + 1, b' ');
        let problem = check_upload("report.pdf", &big, MAX).unwrap_err();
        assert_eq!(problem, UploadProblem::TooLarge { max_mb: 20 });
        assert_eq!(
            problem.to_string(),
            "The selected file must be smaller than 20MB"
        );
        big.truncate(usize::try_from(MAX).unwrap());
        assert_eq!(check_upload("report.pdf", &big, MAX), Ok(FileKind::Pdf));
        assert_eq!(
            UploadProblem::Infected.to_string(),
            "The selected file contains a virus"
        );
        assert_eq!(
            UploadProblem::ScanFailed.to_string(),
            "The selected file could not be checked for viruses. Try again later"
        );
    }

    #[test]
    fn hostile_names_become_harmless_display_names() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(
            display_name("C:\\Users\\amira\\Documents\\EHCP draft.docx"),
            "EHCP draft.docx"
        );
        assert_eq!(display_name("<script>.pdf"), "<script>.pdf");
        assert_eq!(display_name("report\0.pdf"), "report.pdf");
        assert_eq!(display_name("line\nbreak\r.pdf"), "linebreak.pdf");
        assert_eq!(display_name("photo\u{202E}gpj.exe"), "photogpj.exe");
        assert_eq!(display_name("  .htaccess  "), "htaccess");
        assert_eq!(display_name(". .. .bashrc"), "bashrc");
        assert_eq!(display_name("..."), "file");
        assert_eq!(display_name(""), "file");
        assert_eq!(display_name("folder/"), "file");
        assert_eq!(display_name("\u{7}\u{1b}"), "file");
        let long = format!("{}.pdf", "a".repeat(300));
        let shown = display_name(&long);
        assert_eq!(shown.chars().count(), MAX_DISPLAY_NAME_CHARS);
        assert!(shown.ends_with("aaa.pdf"), "{shown}");
        let long = "é".repeat(300);
        assert_eq!(display_name(&long).chars().count(), MAX_DISPLAY_NAME_CHARS);
        // The checks use the last part of the name too.
        assert_eq!(
            check_upload("../../etc/passwd", b"root:x:0:0\n", MAX).unwrap_err(),
            UploadProblem::Mismatch {
                extension: String::new(),
                kind: FileKind::Txt
            }
        );
        assert_eq!(
            check_upload("..\\..\\boot.ini", b"[boot loader]\n", MAX),
            Err(UploadProblem::NotAllowed)
        );
        assert_eq!(check_upload("<script>.pdf", PDF, MAX), Ok(FileKind::Pdf));
        assert_eq!(check_upload("a\nb\0.pdf", PDF, MAX), Ok(FileKind::Pdf));
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_and_name_are_checked_without_panicking(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
            name in "\\PC{0,40}",
        ) {
            let _ = FileKind::sniff(&bytes);
            let _ = check_upload(&name, &bytes, 100);
            let mut zip_like = b"PK\x03\x04".to_vec();
            zip_like.extend_from_slice(&bytes);
            let _ = FileKind::sniff(&zip_like);
        }

        #[test]
        fn display_names_are_never_paths_or_control_characters(name in "\\PC{0,300}") {
            let shown = display_name(&name);
            proptest::prop_assert!(!shown.is_empty());
            proptest::prop_assert!(shown.chars().count() <= MAX_DISPLAY_NAME_CHARS);
            proptest::prop_assert!(!shown.contains(['/', '\\']));
            proptest::prop_assert!(!shown.starts_with('.'));
            proptest::prop_assert!(!shown.chars().any(|c| c.is_control() || is_bidi_control(c)));
        }
    }
}
