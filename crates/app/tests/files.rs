//! Uploaded files (DOC-2) through `Files::check_and_store`, kept in memory and in
//! a real folder: stored under keys the server makes, read back byte for byte,
//! and refused (with nothing stored) when they fail a check.

use std::path::Path;
use std::sync::Arc;

use send_app::files::{DEFAULT_MAX_UPLOAD_BYTES, Files, FilesError};
use send_app::{App, Settings, SystemClock};
use send_domain::files::UploadProblem;
use send_domain::{Clock, CouncilName, FileKind, StoredFile};
use send_store_conformance::testdb::TestDb;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::datetime;
use url::Url;

const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

/// When the uploads in these tests are stored.
const STORED_AT: OffsetDateTime = datetime!(2026-03-05 10:00 UTC);

/// Every file under `folder`, as paths relative to it.
fn files_under(folder: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![folder.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(folder).unwrap_or(&path);
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// A key the server made: the year and month it was stored, 32 hex digits,
/// nothing from the name.
fn assert_server_key(stored: &StoredFile, uploaded_name: &str) {
    let parts: Vec<&str> = stored.key.split('/').collect();
    assert_eq!(parts.len(), 3, "{}", stored.key);
    assert_eq!(parts[..2], ["2026", "03"], "{}", stored.key);
    assert!(
        parts[2].len() == 32 && parts[2].bytes().all(|b| b.is_ascii_hexdigit()),
        "{}",
        stored.key
    );
    for piece in uploaded_name
        .split(['/', '\\', '.'])
        .filter(|p| p.len() > 2)
    {
        assert!(
            !stored.key.contains(piece),
            "{} contains {piece}",
            stored.key
        );
    }
}

async fn store(files: &Files, name: &str, bytes: &[u8]) -> StoredFile {
    files
        .check_and_store(name, bytes, STORED_AT)
        .await
        .unwrap_or_else(|e| panic!("storage failed: {e}"))
        .unwrap_or_else(|problem| panic!("{name} was refused: {problem}"))
}

async fn refused(files: &Files, name: &str, bytes: &[u8]) -> UploadProblem {
    match files.check_and_store(name, bytes, STORED_AT).await {
        Ok(Err(problem)) => problem,
        Ok(Ok(stored)) => panic!("{name} was stored as {}", stored.key),
        Err(e) => panic!("storage failed: {e}"),
    }
}

#[tokio::test]
async fn a_pdf_is_stored_under_a_server_key_and_read_back_exactly() {
    let folder = tempfile::tempdir().unwrap();
    let local = Files::local(folder.path(), DEFAULT_MAX_UPLOAD_BYTES).unwrap();
    for files in [Files::in_memory(DEFAULT_MAX_UPLOAD_BYTES), local] {
        let stored = store(&files, "EHCP draft (v2).pdf", PDF).await;
        assert_server_key(&stored, "EHCP draft (v2).pdf");
        assert_eq!(stored.name, "EHCP draft (v2).pdf");
        assert_eq!(stored.kind, FileKind::Pdf);
        assert_eq!(stored.size, PDF.len() as u64);
        assert_eq!(stored.sha256, hex::encode(Sha256::digest(PDF)));
        assert_eq!(files.read(&stored.key).await.unwrap(), PDF);

        // The same file again is a new, separate file.
        let again = store(&files, "EHCP draft (v2).pdf", PDF).await;
        assert_ne!(again.key, stored.key);

        files.delete(&stored.key).await.unwrap();
        assert!(matches!(
            files.read(&stored.key).await,
            Err(FilesError::NotFound(_))
        ));
        // Removing twice is fine: clean-up may run after a partial failure.
        files.delete(&stored.key).await.unwrap();
        assert_eq!(files.read(&again.key).await.unwrap(), PDF);
    }
    let on_disk = files_under(folder.path());
    assert_eq!(on_disk.len(), 1, "{on_disk:?}");
}

#[tokio::test]
async fn hostile_names_are_stored_safely_under_server_keys() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("files");
    let files = Files::local(&folder, DEFAULT_MAX_UPLOAD_BYTES).unwrap();
    let text = b"root:x:0:0:root:/root:/bin/bash\n";
    // A name without an ending is refused, whatever the path in front of it.
    assert!(matches!(
        refused(&files, "../../etc/passwd", text).await,
        UploadProblem::Mismatch { .. }
    ));
    let cases: [(&str, &[u8], &str); 5] = [
        ("../../etc/passwd.txt", text, "passwd.txt"),
        ("..\\..\\Windows\\win.ini.txt", b"[fonts]\n", "win.ini.txt"),
        ("<script>.pdf", PDF, "<script>.pdf"),
        ("/tmp/evil\0.pdf", PDF, "evil.pdf"),
        (
            "line\nbreak\r\n.htaccess.pdf",
            PDF,
            "linebreak.htaccess.pdf",
        ),
    ];
    let mut keys = Vec::new();
    for (name, bytes, shown) in cases {
        let stored = store(&files, name, bytes).await;
        assert_server_key(&stored, name);
        assert_eq!(stored.name, shown, "{name:?}");
        assert_eq!(files.read(&stored.key).await.unwrap(), bytes);
        keys.push(stored.key);
    }
    // Nothing was written outside the folder, and inside it only the server's keys.
    let everything = files_under(root.path());
    let mut expected: Vec<String> = keys.iter().map(|k| format!("files/{k}")).collect();
    expected.sort();
    assert_eq!(everything, expected);
    assert!(!root.path().join("etc").exists());
    // Keys not made by the server are never read or removed.
    for bad in ["../../etc/passwd", "2026/01/../../../x", "", "passwd.txt"] {
        assert!(
            matches!(files.read(bad).await, Err(FilesError::BadKey(_))),
            "{bad}"
        );
        assert!(
            matches!(files.delete(bad).await, Err(FilesError::BadKey(_))),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn a_png_named_pdf_is_refused_and_nothing_stored() {
    let folder = tempfile::tempdir().unwrap();
    let files = Files::local(folder.path(), DEFAULT_MAX_UPLOAD_BYTES).unwrap();
    let problem = refused(&files, "scan.pdf", PNG).await;
    assert_eq!(
        problem,
        UploadProblem::Mismatch {
            extension: "pdf".to_owned(),
            kind: FileKind::Png
        }
    );
    assert!(problem.to_string().contains(".pdf"), "{problem}");
    assert_eq!(
        refused(&files, "setup.pdf", b"MZ\x90\0\x03\0\0\0\x04\0").await,
        UploadProblem::NotAllowed
    );
    assert_eq!(
        refused(&files, "empty.pdf", b"").await,
        UploadProblem::Empty
    );
    assert!(files_under(folder.path()).is_empty());
}

#[tokio::test]
async fn an_oversized_file_is_refused_and_nothing_stored() {
    let folder = tempfile::tempdir().unwrap();
    let max = 1024 * 1024;
    let files = Files::local(folder.path(), max).unwrap();
    assert_eq!(files.max_bytes(), max);
    let mut big = PDF.to_vec();
    big.resize(usize::try_from(max).unwrap() + 1, b' ');
    let problem = refused(&files, "big.pdf", &big).await;
    assert_eq!(problem, UploadProblem::TooLarge { max_mb: 1 });
    assert_eq!(
        problem.to_string(),
        "The selected file must be smaller than 1MB"
    );
    assert!(files_under(folder.path()).is_empty());
    // Exactly at the limit is fine.
    big.truncate(usize::try_from(max).unwrap());
    store(&files, "big.pdf", &big).await;
    assert_eq!(files_under(folder.path()).len(), 1);
}

#[tokio::test]
async fn the_app_keeps_files_in_memory_until_given_a_place() {
    let db = TestDb::sqlite().await;
    let app = App::new(
        db.store(),
        Arc::new(SystemClock) as Arc<dyn Clock>,
        Settings {
            council_name: CouncilName::parse("Testshire County Council").unwrap(),
            base_url: Url::parse("http://localhost:8080").unwrap(),
            demo: false,
            password_policy: send_domain::PasswordPolicy::seed(),
            session_timeouts: send_domain::SessionTimeouts::default(),
            trusted_proxies: Vec::new(),
            invitation_lifetime: send_domain::portal_access::DEFAULT_LINK_LIFETIME,
            send_team_contact: None,
            match_thresholds: send_domain::matching::Thresholds::default(),
            job_lease: send_domain::jobs::DEFAULT_LEASE,
            email_lease: send_app::outbox::LEASE,
        },
    );
    assert_eq!(app.files.max_bytes(), 20 * 1024 * 1024);
    assert!(app.files.scanner().is_none());
    let folder = tempfile::tempdir().unwrap();
    let app = app.with_files(Files::local(folder.path(), 5 * 1024 * 1024).unwrap());
    assert_eq!(app.files.max_bytes(), 5 * 1024 * 1024);
    let stored = store(&app.files, "letter.pdf", PDF).await;
    assert!(folder.path().join(&stored.key).is_file());
}
