//! Uploaded files (DOC-2): checked (size, kind by content, a name ending that
//! agrees), scanned for viruses when clamd is configured, then stored under a
//! name the server makes.
//!
//! Where they are kept is `SEND_PORTAL_FILES`: by default the folder `files/`
//! in the data folder; or S3- or Azure-compatible object storage by URL, through
//! the `object_store` crate:
//!
//! - `s3://bucket/prefix`: Amazon S3 or an S3-compatible store. Credentials and
//!   settings come from the `AWS_*` environment variables `object_store` knows:
//!   `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
//!   `AWS_REGION`, `AWS_ENDPOINT` (for another S3-compatible service, such as
//!   `https://minio.internal:9000`), `AWS_ALLOW_HTTP=true` (an `http://`
//!   endpoint), `AWS_VIRTUAL_HOSTED_STYLE_REQUEST`; without keys, the instance's
//!   or container's role (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, web
//!   identity) is used.
//! - `az://container/prefix` (also `azure://`, `abfs://`,
//!   `https://ACCOUNT.blob.core.windows.net/container/prefix`): Azure Blob
//!   Storage, with `AZURE_STORAGE_ACCOUNT_NAME` and one of
//!   `AZURE_STORAGE_ACCOUNT_KEY`, `AZURE_STORAGE_SAS_TOKEN`, or a service
//!   principal (`AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`, `AZURE_TENANT_ID`);
//!   `AZURE_STORAGE_USE_EMULATOR=true` for Azurite.
//! - `file:///absolute/folder` or a folder path: a folder on this machine.
//!
//! The file's key (`<yyyy>/<mm>/<random hex>`) is never made from the uploaded
//! name: a hostile name cannot choose where a file goes or what it is run as.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use object_store::memory::InMemory;
use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use send_domain::StoredFile;
use send_domain::files::{check_upload, display_name};
use sha2::{Digest, Sha256};

use crate::clamav::{ClamAv, ScanVerdict};

/// Why an upload was refused, with the message to show (checked in the domain).
pub use send_domain::files::UploadProblem;

/// The upload limit when `SEND_PORTAL_MAX_UPLOAD_MB` is not set: 20 MB.
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 20 * 1024 * 1024;

/// The folder in the data folder where files are kept by default.
pub const DEFAULT_FOLDER: &str = "files";

/// The environment variables handed to `object_store` for cloud storage: its own
/// `AWS_*` and `AZURE_*` settings, nothing else.
const CLOUD_VARIABLE_PREFIXES: &[&str] = &["AWS_", "AZURE_"];

/// Why files could not be stored, read or removed (not a problem with the
/// file itself: those are [`UploadProblem`]s).
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error(
        "SEND_PORTAL_FILES must be a folder, file:///folder, s3://bucket/prefix or az://container/prefix, not {setting:?}: {reason}"
    )]
    BadSetting { setting: String, reason: String },
    #[error("could not make the files folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0:?} is not the key of a stored file")]
    BadKey(String),
    #[error("there is no stored file {0}")]
    NotFound(String),
    #[error("file storage ({store}) failed: {source}")]
    Storage {
        store: String,
        source: object_store::Error,
    },
}

/// Where uploaded files are kept, with the checks each goes through. Cheap to clone.
#[derive(Clone)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
    /// Prepended to every key (`s3://bucket/prefix`'s `prefix`); keys handed out
    /// and taken back do not include it, so moving the files keeps them valid.
    prefix: Key,
    scanner: Option<ClamAv>,
    max_bytes: u64,
    /// Where, for logs ("the folder data/files", "AmazonS3(bucket)").
    place: String,
}

impl fmt::Debug for Files {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Files")
            .field("place", &self.place)
            .field("prefix", &self.prefix.as_ref())
            .field("scanner", &self.scanner)
            .field("max_bytes", &self.max_bytes)
            .finish_non_exhaustive()
    }
}

/// Says where the files are, never with a secret.
impl fmt::Display for Files {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.prefix.as_ref().is_empty() {
            f.write_str(&self.place)
        } else {
            write!(f, "{} under {}", self.place, self.prefix)
        }
    }
}

impl Files {
    fn new(store: Arc<dyn ObjectStore>, prefix: Key, max_bytes: u64, place: String) -> Self {
        Self {
            store,
            prefix,
            scanner: None,
            max_bytes,
            place,
        }
    }

    /// Files kept in memory, gone when the process stops: for tests.
    pub fn in_memory(max_bytes: u64) -> Self {
        Self::new(
            Arc::new(InMemory::new()),
            Key::default(),
            max_bytes,
            "memory".to_owned(),
        )
    }

    /// Files kept in `folder` on this machine (made if missing).
    pub fn local(folder: impl AsRef<Path>, max_bytes: u64) -> Result<Self, FilesError> {
        let folder = folder.as_ref();
        std::fs::create_dir_all(folder).map_err(|source| FilesError::Folder {
            path: folder.to_owned(),
            source,
        })?;
        let store =
            object_store::local::LocalFileSystem::new_with_prefix(folder).map_err(|source| {
                FilesError::Storage {
                    store: format!("the folder {}", folder.display()),
                    source,
                }
            })?;
        Ok(Self::new(
            Arc::new(store),
            Key::default(),
            max_bytes,
            format!("the folder {}", folder.display()),
        ))
    }

    /// From `SEND_PORTAL_FILES`: unset or empty, the folder `files` in `data_dir`;
    /// a folder path or `file:///folder`; or an object storage URL (`s3://`,
    /// `az://`, … see the module's documentation), set up from the `AWS_*` and
    /// `AZURE_*` environment variables.
    pub fn from_setting(
        setting: Option<&str>,
        data_dir: &Path,
        max_bytes: u64,
    ) -> Result<Self, FilesError> {
        let setting = setting.map(str::trim).unwrap_or_default();
        if setting.is_empty() {
            return Self::local(data_dir.join(DEFAULT_FOLDER), max_bytes);
        }
        if !setting.contains("://") {
            return Self::local(setting, max_bytes);
        }
        let options = std::env::vars().filter(|(name, _)| {
            CLOUD_VARIABLE_PREFIXES
                .iter()
                .any(|prefix| name.starts_with(prefix))
        });
        Self::from_url(setting, options, max_bytes)
    }

    /// From a storage URL with `object_store`'s options given (by name, such as
    /// `aws_region` or `AZURE_STORAGE_ACCOUNT_NAME`); [`Files::from_setting`]
    /// gives those in the environment.
    pub fn from_url(
        setting: &str,
        options: impl IntoIterator<Item = (String, String)>,
        max_bytes: u64,
    ) -> Result<Self, FilesError> {
        let bad = |reason: String| FilesError::BadSetting {
            setting: without_credentials(setting),
            reason,
        };
        let url = url::Url::parse(setting).map_err(|e| bad(e.to_string()))?;
        if url.scheme() == "file" {
            let folder = url
                .to_file_path()
                .map_err(|()| bad("a file:// URL must name an absolute folder".to_owned()))?;
            return Self::local(folder, max_bytes);
        }
        if url.password().is_some() || !url.username().is_empty() {
            return Err(bad(
                "put credentials in the AWS_* or AZURE_* environment variables, not in the URL"
                    .to_owned(),
            ));
        }
        let (store, prefix) =
            object_store::parse_url_opts(&url, options).map_err(|e| bad(e.to_string()))?;
        let store: Arc<dyn ObjectStore> = Arc::from(store);
        let place = store.to_string();
        Ok(Self::new(store, prefix, max_bytes, place))
    }

    /// Every upload is then scanned by this clamd before it is stored.
    #[must_use]
    pub fn with_scanner(mut self, scanner: ClamAv) -> Self {
        self.scanner = Some(scanner);
        self
    }

    pub fn scanner(&self) -> Option<&ClamAv> {
        self.scanner.as_ref()
    }

    /// The largest upload accepted, in bytes.
    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Checks an upload and, if it passes, stores it under a new key whose
    /// folders are the year and month of `now` (the injected clock's time). The
    /// outer error is storage failing; the inner one is the file being refused
    /// (with the message to show), in which case nothing was stored.
    pub async fn check_and_store(
        &self,
        uploaded_name: &str,
        bytes: &[u8],
        now: time::OffsetDateTime,
    ) -> Result<Result<StoredFile, UploadProblem>, FilesError> {
        let kind = match check_upload(uploaded_name, bytes, self.max_bytes) {
            Ok(kind) => kind,
            Err(problem) => return Ok(Err(problem)),
        };
        if let Some(scanner) = &self.scanner {
            match scanner.scan(bytes).await {
                Ok(ScanVerdict::Clean) => {}
                Ok(ScanVerdict::Infected(signature)) => {
                    tracing::warn!(%signature, size = bytes.len(), "refused an infected upload");
                    return Ok(Err(UploadProblem::Infected));
                }
                Err(error) => {
                    tracing::error!(%error, "could not scan an upload for viruses; refused it");
                    return Ok(Err(UploadProblem::ScanFailed));
                }
            }
        }
        let key = new_key(now);
        self.store
            .put(&self.location(&key)?, PutPayload::from(bytes.to_vec()))
            .await
            .map_err(|source| self.storage_error(source))?;
        Ok(Ok(StoredFile {
            name: display_name(uploaded_name),
            kind,
            size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            sha256: hex::encode(Sha256::digest(bytes)),
            key,
        }))
    }

    /// Keeps bytes the caller has checked itself (a configuration file between
    /// its check and its confirmation: not a document, so not [`check_upload`]'s
    /// kinds) under a new key, as [`Files::check_and_store`] does.
    pub async fn keep_checked(
        &self,
        bytes: &[u8],
        now: time::OffsetDateTime,
    ) -> Result<String, FilesError> {
        let key = new_key(now);
        self.store
            .put(&self.location(&key)?, PutPayload::from(bytes.to_vec()))
            .await
            .map_err(|source| self.storage_error(source))?;
        Ok(key)
    }

    /// The content of a stored file.
    pub async fn read(&self, key: &str) -> Result<Vec<u8>, FilesError> {
        let location = self.location(key)?;
        let result = self
            .store
            .get(&location)
            .await
            .map_err(|source| match source {
                object_store::Error::NotFound { .. } => FilesError::NotFound(key.to_owned()),
                source => self.storage_error(source),
            })?;
        let bytes = result
            .bytes()
            .await
            .map_err(|source| self.storage_error(source))?;
        Ok(bytes.to_vec())
    }

    /// Removes a stored file (as when saving the record of it failed). Removing
    /// one that is not there is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), FilesError> {
        match self.store.delete(&self.location(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(source) => Err(self.storage_error(source)),
        }
    }

    /// The key of every stored file (documents, images and configuration files
    /// awaiting confirmation), sorted: what a backup copies. Walks the key's
    /// shape (year, month, file) through the store's API, so it works alike for
    /// a folder and for object storage; anything else under the prefix is left
    /// out.
    pub async fn keys(&self) -> Result<Vec<String>, FilesError> {
        let mut keys = Vec::new();
        let mut folders = vec![self.prefix.clone()];
        for _year_then_month in 0..2 {
            let mut inner = Vec::new();
            for folder in &folders {
                inner.extend(self.list(folder).await?.common_prefixes);
            }
            folders = inner;
        }
        for folder in &folders {
            for object in self.list(folder).await?.objects {
                if let Some(parts) = object.location.prefix_match(&self.prefix) {
                    let key = parts
                        .map(|part| part.as_ref().to_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    if is_key(&key) {
                        keys.push(key);
                    }
                }
            }
        }
        keys.sort();
        Ok(keys)
    }

    /// Puts a file back under the key it had (a restore from a backup).
    pub async fn restore(&self, key: &str, bytes: &[u8]) -> Result<(), FilesError> {
        self.store
            .put(&self.location(key)?, PutPayload::from(bytes.to_vec()))
            .await
            .map_err(|source| self.storage_error(source))?;
        Ok(())
    }

    async fn list(&self, folder: &Key) -> Result<object_store::ListResult, FilesError> {
        let folder = (!folder.as_ref().is_empty()).then_some(folder);
        self.store
            .list_with_delimiter(folder)
            .await
            .map_err(|source| self.storage_error(source))
    }

    /// Where a key is kept: checked to be one this server made, under the prefix.
    fn location(&self, key: &str) -> Result<Key, FilesError> {
        if !is_key(key) {
            return Err(FilesError::BadKey(key.to_owned()));
        }
        Ok(key.split('/').fold(self.prefix.clone(), Key::join))
    }

    fn storage_error(&self, source: object_store::Error) -> FilesError {
        FilesError::Storage {
            store: self.to_string(),
            source,
        }
    }
}

/// The setting as it may be logged: a URL's user name and password replaced.
fn without_credentials(setting: &str) -> String {
    match url::Url::parse(setting) {
        Ok(mut url) if url.password().is_some() || !url.username().is_empty() => {
            // These fail only for URLs that cannot have credentials.
            let _ = url.set_username("***");
            let _ = url.set_password(None);
            url.to_string()
        }
        Err(_) if setting.contains('@') => "(hidden: it may hold a password)".to_owned(),
        Ok(_) | Err(_) => setting.to_owned(),
    }
}

/// A new key: the year and month it was stored (so folders stay a manageable
/// size), then 128 random bits in hex.
fn new_key(now: time::OffsetDateTime) -> String {
    format!(
        "{:04}/{:02}/{}",
        now.year(),
        u8::from(now.month()),
        uuid::Uuid::new_v4().simple()
    )
}

/// Whether `key` has the shape [`new_key`] makes: `dddd/dd/` and 32 lower-case
/// hex digits. Anything else (`..`, other folders) is never read or removed.
fn is_key(key: &str) -> bool {
    let parts: Vec<&str> = key.split('/').collect();
    let digits =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    matches!(parts.as_slice(), [year, month, id]
        if digits(year, 4)
            && digits(month, 2)
            && id.len() == 32
            && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn keys_are_made_by_the_server_and_checked_when_used() {
        let key = new_key(datetime!(2026-03-05 10:00 UTC));
        assert!(key.starts_with("2026/03/"), "{key}");
        assert!(is_key(&key), "{key}");
        assert_ne!(key, new_key(datetime!(2026-03-05 10:00 UTC)));
        for bad in [
            "",
            "../../etc/passwd",
            "2026/03/../../../etc/passwd",
            "2026/03/0123456789abcdef0123456789ABCDEF",
            "2026/3/0123456789abcdef0123456789abcdef",
            "/2026/03/0123456789abcdef0123456789abcdef",
            "2026/03/0123456789abcdef0123456789abcdef/x",
            "2026\\03\\0123456789abcdef0123456789abcdef",
        ] {
            assert!(!is_key(bad), "{bad}");
        }
    }

    #[tokio::test]
    async fn keys_lists_every_stored_file_and_restore_puts_one_back() {
        let data = tempfile::tempdir().unwrap();
        let files = Files::local(data.path(), 1024).unwrap();
        assert!(files.keys().await.unwrap().is_empty());
        let march = files
            .keep_checked(b"one", datetime!(2026-03-05 10:00 UTC))
            .await
            .unwrap();
        let december = files
            .keep_checked(b"two", datetime!(2025-12-31 23:00 UTC))
            .await
            .unwrap();
        // Something the server did not put there is not a stored file.
        std::fs::write(data.path().join("2026").join("notes.txt"), b"x").unwrap();
        std::fs::write(data.path().join("README"), b"x").unwrap();
        let mut expected = vec![march.clone(), december.clone()];
        expected.sort();
        assert_eq!(files.keys().await.unwrap(), expected);

        let elsewhere = Files::in_memory(1024);
        elsewhere.restore(&march, b"one").await.unwrap();
        assert_eq!(elsewhere.keys().await.unwrap(), vec![march.clone()]);
        assert_eq!(elsewhere.read(&march).await.unwrap(), b"one");
        assert!(matches!(
            elsewhere.restore("../../etc/passwd", b"x").await,
            Err(FilesError::BadKey(_))
        ));
    }

    #[test]
    fn the_default_place_is_the_data_folder() {
        let data = tempfile::tempdir().unwrap();
        for setting in [None, Some(""), Some("  ")] {
            let files = Files::from_setting(setting, data.path(), 1024).unwrap();
            assert!(data.path().join("files").is_dir());
            assert_eq!(files.max_bytes(), 1024);
            assert!(files.to_string().contains("files"), "{files}");
        }
    }

    #[test]
    fn folders_can_be_given_as_paths_or_file_urls() {
        let data = tempfile::tempdir().unwrap();
        let folder = data.path().join("uploads");
        let url = url::Url::from_directory_path(&folder).unwrap();
        Files::from_setting(Some(url.as_str()), Path::new("unused"), 1024).unwrap();
        assert!(folder.is_dir());
        let other = data.path().join("other");
        Files::from_setting(other.to_str(), Path::new("unused"), 1024).unwrap();
        assert!(other.is_dir());
        let err = Files::from_url("file://server/share", Vec::new(), 1024).unwrap_err();
        assert!(err.to_string().contains("SEND_PORTAL_FILES"), "{err}");
    }

    #[test]
    fn object_storage_is_set_up_from_its_url_and_options() {
        let options = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<Vec<_>>()
        };
        let s3 = Files::from_url(
            "s3://council-uploads/send-portal",
            options(&[
                ("AWS_REGION", "eu-west-2"),
                ("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"),
                ("AWS_SECRET_ACCESS_KEY", "not-a-real-secret"),
            ]),
            1024,
        )
        .unwrap();
        assert_eq!(s3.prefix.as_ref(), "send-portal");
        let shown = format!("{s3} {s3:?}");
        assert!(shown.contains("council-uploads"), "{shown}");
        assert!(!shown.contains("not-a-real-secret"), "{shown}");
        assert_eq!(
            s3.location("2026/03/0123456789abcdef0123456789abcdef")
                .unwrap()
                .as_ref(),
            "send-portal/2026/03/0123456789abcdef0123456789abcdef"
        );

        let minio = Files::from_url(
            "s3://bucket",
            options(&[
                ("AWS_ENDPOINT", "http://127.0.0.1:9000"),
                ("AWS_ALLOW_HTTP", "true"),
                ("AWS_ACCESS_KEY_ID", "minio"),
                ("AWS_SECRET_ACCESS_KEY", "minio123"),
            ]),
            1024,
        )
        .unwrap();
        assert_eq!(minio.prefix.as_ref(), "");

        let azure = Files::from_url(
            "az://documents/send",
            options(&[
                ("AZURE_STORAGE_ACCOUNT_NAME", "exampleshire"),
                ("AZURE_STORAGE_ACCOUNT_KEY", "bm90LWEta2V5"),
            ]),
            1024,
        )
        .unwrap();
        assert_eq!(azure.prefix.as_ref(), "send");

        for bad in [
            "s3://key:secret@bucket/prefix",
            "ftp://files.example.org/x",
            "gs://bucket/x",
            "not a url://",
        ] {
            let err = Files::from_url(bad, Vec::new(), 1024).unwrap_err();
            assert!(
                err.to_string().contains("SEND_PORTAL_FILES"),
                "{bad}: {err}"
            );
            assert!(!err.to_string().contains("secret@"), "{err}");
        }
    }
}
