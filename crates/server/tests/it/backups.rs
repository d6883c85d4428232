//! `send-portal backup` and `send-portal restore` (issue 18), run as an operator
//! runs them, on SQLite and on PostgreSQL: a backup taken while documents are
//! being uploaded, restored into another data folder (and database), opens and
//! holds every upload committed before the backup began, its file byte for
//! byte; a restore refuses to overwrite data unless told, and refuses a backup
//! that does not match its manifest, changing nothing.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use send_app::audit::Source;
use send_app::documents::NewDocument;
use send_app::files::Files;
use send_app::messages::Upload;
use send_app::{App, SystemClock};
use send_domain::{
    Address, Child, ChildId, Clock, CouncilName, DEFAULT_TEAM, DocumentId, DocumentKind,
    PersonName, Sex, Sharing, ShortText, StaffRole, UserId,
};
use send_portal::Config;
use send_portal::backups::{FILES_FOLDER, MANIFEST, Manifest};
use send_store::Store;
use send_store_postgres::PgStore;
use send_store_sqlite::SqliteStore;

use crate::back_office::{caseworkers, create_staff_in};
use crate::commands::send_portal;
use crate::support::COUNCIL;
use crate::support::processes::OwnDatabase;

/// The caseworker who uploads the documents.
const CASEWORKER: &str = "casey.caseworker@testshire.gov.uk";

/// Uploads committed before the backup starts.
const FIRST_UPLOADS: usize = 5;

/// A data folder and, on PostgreSQL, the database the commands are pointed at.
struct Place {
    data: tempfile::TempDir,
    database_url: Option<String>,
}

impl Place {
    fn new(database_url: Option<&str>) -> Self {
        Self {
            data: tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
            database_url: database_url.map(str::to_owned),
        }
    }

    /// Runs `send-portal` with this place's settings.
    fn run(&self, args: &[&str]) -> Output {
        let mut command = send_portal();
        command
            .args(args)
            .env("SEND_PORTAL_DATA_DIR", self.data.path())
            .env("SEND_PORTAL_COUNCIL_NAME", COUNCIL);
        if let Some(url) = &self.database_url {
            command.env("SEND_PORTAL_DATABASE_URL", url);
        }
        command.output().unwrap_or_else(|e| panic!("{e}"))
    }

    fn files(&self) -> Files {
        Files::local(
            self.data.path().join(send_app::files::DEFAULT_FOLDER),
            send_app::files::DEFAULT_MAX_UPLOAD_BYTES,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn sqlite_file(&self) -> PathBuf {
        self.data.path().join("send-portal.db")
    }

    async fn sqlite(&self) -> SqliteStore {
        SqliteStore::open(&self.sqlite_file())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    async fn postgres(&self) -> PgStore {
        let url = self.database_url.as_deref().unwrap_or_default();
        PgStore::connect(url)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

fn succeeded(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn failed(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The real application on `store` and `files`, by the real clock.
fn app_on(store: Arc<dyn Store>, files: Files) -> App {
    let mut config = Config::defaults();
    config.council_name = Some(CouncilName::parse(COUNCIL).unwrap_or_else(|e| panic!("{e}")));
    config.send_team_contact = Some(crate::support::send_team_contact());
    let settings = send_portal::startup::settings_for(&config).unwrap_or_else(|e| panic!("{e}"));
    App::new(store, Arc::new(SystemClock), settings).with_files(files)
}

fn child(at: time::OffsetDateTime) -> Child {
    let name = |text: &str| PersonName::parse(text).unwrap_or_else(|e| panic!("{e}"));
    Child {
        id: ChildId::from_uuid(uuid::Uuid::nil()),
        team_id: DEFAULT_TEAM.0,
        legal_first_name: name("Bea"),
        legal_last_name: name("Backup"),
        preferred_name: None,
        date_of_birth: time::macros::date!(2017 - 02 - 03),
        sex: Sex::NotKnown,
        ethnicity: None,
        upn: None,
        uln: None,
        nhs_number: None,
        address: Address::default(),
        setting: None,
        primary_need: None,
        secondary_need: None,
        created_at: at,
        updated_at: at,
        version: 1,
    }
}

/// A PDF of its own for the `n`th upload, of a size that varies.
fn pdf(n: usize) -> Vec<u8> {
    format!(
        "%PDF-1.4\n% upload {n}\n{}\n%%EOF\n",
        "x".repeat(n * 397 % 20_000)
    )
    .into_bytes()
}

/// Documents uploaded, each with its file's bytes, in the order they committed.
type Uploaded = Vec<(DocumentId, Vec<u8>)>;

/// What the source portal wrote around its backup.
struct Written {
    caseworker: UserId,
    child: ChildId,
    /// Every upload committed before the backup command started.
    before: Uploaded,
    /// How many were committed when the backup command had finished.
    by_the_end: usize,
    backup: PathBuf,
}

/// A caseworker uploads documents to a child's record one after another on
/// `store` while `send-portal backup` runs in `source`'s settings.
async fn back_up_while_uploading(store: Arc<dyn Store>, source: &Place) -> Written {
    let app = app_on(store, source.files());
    let caseworker = create_staff_in(
        &app,
        CASEWORKER,
        StaffRole::Caseworker,
        Some(DEFAULT_TEAM.0),
        &[caseworkers()],
    )
    .await;
    let access = app
        .staff_access(caseworker)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the caseworker has no access"));
    let child = app
        .create_child(
            &access,
            child(SystemClock.now()),
            Vec::new(),
            &Source::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let committed: Arc<Mutex<Uploaded>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let uploads = tokio::spawn({
        let (committed, stop) = (committed.clone(), stop.clone());
        async move {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                let bytes = pdf(n);
                let new = NewDocument {
                    kind: DocumentKind::Other,
                    description: ShortText::parse(&format!("Report {n}"), "the description")
                        .unwrap_or_else(|e| panic!("{e}")),
                    upload: Upload {
                        name: format!("report-{n}.pdf"),
                        bytes: bytes.clone(),
                    },
                    sharing: Sharing::NotShared,
                };
                let id = app
                    .upload_document(&access, child, new, &Source::default())
                    .await
                    .unwrap_or_else(|e| panic!("upload {n}: {e}"))
                    .unwrap_or_else(|problem| panic!("upload {n}: {problem:?}"));
                committed
                    .lock()
                    .unwrap_or_else(|e| panic!("{e}"))
                    .push((id, bytes));
                n += 1;
            }
        }
    });
    let count = || committed.lock().unwrap_or_else(|e| panic!("{e}")).len();
    while count() < FIRST_UPLOADS {
        tokio::time::sleep(StdDuration::from_millis(10)).await;
    }
    let before = committed.lock().unwrap_or_else(|e| panic!("{e}")).clone();
    let backup = source.data.path().join("backups").join("tonight");
    let output = tokio::task::spawn_blocking({
        let backup = backup.to_string_lossy().into_owned();
        let database_url = source.database_url.clone();
        let data = source.data.path().to_owned();
        move || {
            let mut command = send_portal();
            command
                .args(["backup", &backup])
                .env("SEND_PORTAL_DATA_DIR", &data);
            if let Some(url) = &database_url {
                command.env("SEND_PORTAL_DATABASE_URL", url);
            }
            command.output().unwrap_or_else(|e| panic!("{e}"))
        }
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let by_the_end = count();
    stop.store(true, Ordering::SeqCst);
    uploads.await.unwrap_or_else(|e| panic!("{e}"));
    let said = succeeded(&output);
    assert!(said.contains("encrypt"), "{said}");
    assert!(
        by_the_end > before.len(),
        "documents were uploaded while the backup ran ({} before, {by_the_end} after)",
        before.len()
    );
    Written {
        caseworker,
        child,
        before,
        by_the_end,
        backup,
    }
}

fn manifest(backup: &Path) -> Manifest {
    let text = std::fs::read_to_string(backup.join(MANIFEST)).unwrap_or_else(|e| panic!("{e}"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

/// The restored portal holds every upload committed before the backup began,
/// with its file's bytes, and a file for every document it names.
async fn check_restored(store: Arc<dyn Store>, target: &Place, written: &Written) {
    let app = app_on(store, target.files());
    let access = app
        .staff_access(written.caseworker)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the caseworker's account was not restored"));
    let source = Source::default();
    for (id, bytes) in &written.before {
        let download = app
            .staff_download(&access, *id, &source)
            .await
            .unwrap_or_else(|e| panic!("document {id} committed before the backup: {e}"));
        assert_eq!(&download.bytes, bytes, "document {id}");
    }
    let (_, documents) = app
        .case_documents(&access, written.child, &source)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // One upload may have committed just as the backup ended, before it was counted.
    assert!(
        (written.before.len()..=written.by_the_end + 1).contains(&documents.len()),
        "{} documents restored; {} before the backup, {} by its end",
        documents.len(),
        written.before.len(),
        written.by_the_end
    );
    for document in documents {
        app.staff_download(&access, document.id, &source)
            .await
            .unwrap_or_else(|e| panic!("the file of document {}: {e}", document.id));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_backup_taken_during_uploads_restores_elsewhere_with_everything_committed_before_it()
 {
    let source = Place::new(None);
    succeeded(&source.run(&["migrate"]));
    let store = source.sqlite().await;
    let written = back_up_while_uploading(Arc::new(store.clone()), &source).await;
    store.close().await;
    let listed = manifest(&written.backup);
    assert_eq!(listed.engine, send_portal::backups::Engine::Sqlite);
    assert!(listed.schema_version >= 20, "{listed:?}");
    assert_eq!(listed.file_count, listed.files.len());
    assert!(listed.file_count >= written.before.len(), "{listed:?}");
    let mut in_folder = std::fs::read_dir(&written.backup)
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    in_folder.sort();
    assert_eq!(in_folder, ["database.sqlite", FILES_FOLDER, MANIFEST]);

    let target = Place::new(None);
    let said = succeeded(&target.run(&["restore", &written.backup.to_string_lossy()]));
    assert!(said.contains("Restored"), "{said}");
    let restored = target.sqlite().await;
    assert_eq!(
        restored
            .integrity_check()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        ["ok"]
    );
    check_restored(Arc::new(restored.clone()), &target, &written).await;
    restored.close().await;
    // The portal opens it: migrating a restored database is the start of `serve`.
    succeeded(&target.run(&["migrate"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_refuses_to_overwrite_data_unless_told_and_refuses_a_backup_that_does_not_match()
{
    let source = Place::new(None);
    succeeded(&source.run(&["migrate"]));
    let store = source.sqlite().await;
    let written = back_up_while_uploading(Arc::new(store.clone()), &source).await;
    store.close().await;
    let backup = written.backup.to_string_lossy().into_owned();

    // Backing up over another backup is refused.
    let said = failed(&source.run(&["backup", &backup]));
    assert!(said.contains("not empty"), "{said}");

    // Into the data it came from: refused, naming what is there and the way out.
    let said = failed(&source.run(&["restore", &backup]));
    assert!(
        said.contains("nothing was restored")
            && said.contains("send-portal.db")
            && said.contains("files in")
            && said.contains("--replace"),
        "{said}"
    );

    // With --replace, the portal is put back as it was when the backup began.
    let later = source.sqlite().await;
    let version = later
        .schema_version()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    later.close().await;
    succeeded(&source.run(&["restore", "--replace", &backup]));
    let replaced = source.sqlite().await;
    assert_eq!(
        replaced
            .schema_version()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        version
    );
    check_restored(Arc::new(replaced.clone()), &source, &written).await;
    replaced.close().await;

    // A file changed since the backup: refused, and nothing is written.
    let listed = manifest(&written.backup);
    let changed = written
        .backup
        .join(FILES_FOLDER)
        .join(&listed.files[0].path);
    let mut bytes = std::fs::read(&changed).unwrap_or_else(|e| panic!("{e}"));
    bytes[0] ^= 1;
    std::fs::write(&changed, bytes).unwrap_or_else(|e| panic!("{e}"));
    let target = Place::new(None);
    let said = failed(&target.run(&["restore", &backup]));
    assert!(
        said.contains("does not match its manifest") && said.contains(&listed.files[0].path),
        "{said}"
    );
    assert_eq!(
        std::fs::read_dir(target.data.path()).map_or(0, Iterator::count),
        0,
        "nothing was written"
    );

    // A folder that is not a finished backup.
    std::fs::remove_file(written.backup.join(MANIFEST)).unwrap_or_else(|e| panic!("{e}"));
    let said = failed(&target.run(&["restore", &backup]));
    assert!(said.contains("not a finished backup"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_backup_is_a_pg_dump_that_restores_into_an_empty_database() {
    let Some(source_db) = OwnDatabase::create().await else {
        return;
    };
    let Some(target_db) = OwnDatabase::create().await else {
        return;
    };
    let source = Place::new(Some(&source_db.url));
    succeeded(&source.run(&["migrate"]));
    let store = source.postgres().await;
    let written = back_up_while_uploading(Arc::new(store.clone()), &source).await;
    store.close().await;
    let listed = manifest(&written.backup);
    assert_eq!(listed.engine, send_portal::backups::Engine::Postgres);
    assert!(written.backup.join("database.pgdump").is_file());

    // A PostgreSQL backup is not restored into SQLite.
    let elsewhere = Place::new(None);
    let said = failed(&elsewhere.run(&["restore", &written.backup.to_string_lossy()]));
    assert!(
        said.contains("PostgreSQL") && said.contains("SQLite"),
        "{said}"
    );

    let target = Place::new(Some(&target_db.url));
    succeeded(&target.run(&["restore", &written.backup.to_string_lossy()]));
    let restored = target.postgres().await;
    assert_eq!(
        restored
            .schema_version()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        Some(listed.schema_version)
    );
    check_restored(Arc::new(restored.clone()), &target, &written).await;
    restored.close().await;
    succeeded(&target.run(&["migrate"]));

    // Again into the same database: refused unless told; told, it is replaced.
    let said = failed(&target.run(&["restore", &written.backup.to_string_lossy()]));
    assert!(said.contains("--replace"), "{said}");
    succeeded(&target.run(&["restore", "--replace", &written.backup.to_string_lossy()]));
    let replaced = target.postgres().await;
    check_restored(Arc::new(replaced.clone()), &target, &written).await;
    replaced.close().await;
}
