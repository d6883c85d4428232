//! `send-portal backup FOLDER` and `send-portal restore FOLDER`: the database and
//! the uploaded files, with a manifest to check them by.
//!
//! A backup folder holds:
//! - `database.sqlite` (SQLite: `VACUUM INTO` on a reader connection, one read
//!   transaction's snapshot, taken while the portal runs and never holding up
//!   its writer) or `database.pgdump` (PostgreSQL: `pg_dump --format=custom`,
//!   one snapshot too);
//! - `files/<key>`: every stored file, copied through the file store's API, so a
//!   folder and object storage are backed up alike. The files are copied after
//!   the database: a file is stored before the row that names it commits, so
//!   every file the copied database names is there (files stored later are
//!   copied too, and are harmless);
//! - `manifest.toml`, written last, so a folder without one is an unfinished
//!   backup: when, by which version, the schema's migration level, and the size
//!   and SHA-256 of the database and of each file.
//!
//! `restore` checks every size and checksum before it changes anything, and
//! goes only into an empty database and file store unless told `--replace`.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use send_app::files::{Files, FilesError};
use send_domain::Clock;
use send_store_postgres::PgStore;
use send_store_sqlite::SqliteStore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use url::Url;

use crate::config::{Config, DatabaseUrl, redact_url};
use crate::startup::file_store_for;

/// The manifest's name in a backup folder.
pub const MANIFEST: &str = "manifest.toml";
/// A SQLite database's copy in a backup folder.
pub const SQLITE_FILE: &str = "database.sqlite";
/// A PostgreSQL database's dump in a backup folder.
pub const POSTGRES_FILE: &str = "database.pgdump";
/// The folder of stored files in a backup folder, each under its key.
pub const FILES_FOLDER: &str = "files";

/// The manifest's layout; a restore refuses any other.
const FORMAT_VERSION: u32 = 1;

/// Which kind of database a backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    fn of(url: &DatabaseUrl) -> Self {
        match url {
            DatabaseUrl::Sqlite(_) => Self::Sqlite,
            DatabaseUrl::Postgres(_) => Self::Postgres,
        }
    }

    /// The database's file in a backup folder.
    pub fn file(self) -> &'static str {
        match self {
            Self::Sqlite => SQLITE_FILE,
            Self::Postgres => POSTGRES_FILE,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }
}

/// What a backup holds, written last into its folder as `manifest.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    /// When the backup began (RFC 3339, UTC).
    pub created_at: String,
    /// The version of `send-portal` that made it.
    pub portal_version: String,
    pub engine: Engine,
    /// The newest migration applied to the database.
    pub schema_version: i64,
    pub file_count: usize,
    /// The database's file (`database.sqlite` or `database.pgdump`).
    pub database: Entry,
    /// Each stored file, by its key (its path under `files/`).
    #[serde(default)]
    pub files: Vec<Entry>,
}

/// One file of a backup: its path in the folder, size and SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// `send-portal backup FOLDER`: copies the database and every stored file into
/// `folder`, which must be new or empty, while the portal may be running.
pub async fn backup(config: &Config, folder: &Path) -> anyhow::Result<Manifest> {
    let created_at = send_app::SystemClock
        .now()
        .format(&Rfc3339)
        .context("while writing the time")?;
    let store_files = file_store_for(config)?;
    prepare_folder(folder)?;
    let engine = Engine::of(&config.database_url);
    let target = folder.join(engine.file());
    let schema_version = match &config.database_url {
        DatabaseUrl::Sqlite(raw) => backup_sqlite(&config.database_url, raw, &target).await?,
        DatabaseUrl::Postgres(raw) => backup_postgres(raw, &target).await?,
    };
    let database = entry_for(&target, engine.file())?;
    let files = copy_files(&store_files, &folder.join(FILES_FOLDER)).await?;
    let manifest = Manifest {
        format_version: FORMAT_VERSION,
        created_at,
        portal_version: env!("CARGO_PKG_VERSION").to_owned(),
        engine,
        schema_version,
        file_count: files.len(),
        database,
        files,
    };
    let text = toml::to_string(&manifest).context("while writing the manifest")?;
    let partial = folder.join(format!("{MANIFEST}.partial"));
    fs::write(&partial, text).with_context(|| format!("while writing {}", partial.display()))?;
    fs::rename(&partial, folder.join(MANIFEST)).context("while writing the manifest")?;
    Ok(manifest)
}

/// A backup goes into a new folder (or an empty one), readable by its owner
/// only: it never overwrites another backup.
fn prepare_folder(folder: &Path) -> anyhow::Result<()> {
    if folder.exists() {
        let mut entries = fs::read_dir(folder).with_context(|| {
            format!(
                "{} is not a folder that can be read: back up into a new folder",
                folder.display()
            )
        })?;
        if entries.next().is_some() {
            bail!(
                "{} is not empty: back up into a new folder (a backup never overwrites another)",
                folder.display()
            );
        }
    }
    fs::create_dir_all(folder)
        .with_context(|| format!("while making the folder {}", folder.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(folder, fs::Permissions::from_mode(0o700))
            .with_context(|| format!("while making {} private", folder.display()))?;
    }
    Ok(())
}

/// Copies the live SQLite database to `target` and checks the copy.
async fn backup_sqlite(url: &DatabaseUrl, raw: &str, target: &Path) -> anyhow::Result<i64> {
    let path = url.sqlite_path().unwrap_or_default();
    if !path.is_file() {
        bail!(
            "there is no SQLite database at {}: check SEND_PORTAL_DATABASE_URL and \
             SEND_PORTAL_DATA_DIR",
            path.display()
        );
    }
    let store = SqliteStore::open_url(raw)
        .await
        .with_context(|| format!("while opening the SQLite database {url}"))?;
    let copied = store.backup_into(target).await;
    store.close().await;
    copied.context("while copying the database (VACUUM INTO)")?;
    check_sqlite_copy(target).await
}

/// Checks a copied SQLite database, changing nothing in it: it must pass
/// `PRAGMA integrity_check` and have been migrated. Its migration level.
async fn check_sqlite_copy(path: &Path) -> anyhow::Result<i64> {
    let checked = SqliteStore::check_copy(path)
        .await
        .with_context(|| format!("while checking the copy {}", path.display()))?;
    if checked.integrity != ["ok"] {
        bail!(
            "the copy {} fails SQLite's integrity check: {}",
            path.display(),
            checked.integrity.join("; ")
        );
    }
    checked
        .schema_version
        .context("the database has never been migrated (run `send-portal migrate`)")
}

/// `pg_dump --format=custom` of the database at `raw` into `target`.
async fn backup_postgres(raw: &str, target: &Path) -> anyhow::Result<i64> {
    let store = PgStore::connect(raw)
        .await
        .with_context(|| format!("while connecting to PostgreSQL at {}", redact_url(raw)))?;
    let version = store.schema_version().await;
    store.close().await;
    let version = version
        .context("while reading the migration level")?
        .context("the database has never been migrated (run `send-portal migrate`)")?;
    let mut dump = pg_tool("pg_dump", raw)?;
    dump.args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
        .arg(target);
    run(dump, "pg_dump")?;
    Ok(version)
}

/// A PostgreSQL client tool for the database at `raw`: the URL without its
/// password on the command line (where other users could read it), the
/// password in `PGPASSWORD`.
fn pg_tool(program: &str, raw: &str) -> anyhow::Result<Command> {
    let mut url = Url::parse(raw).context("SEND_PORTAL_DATABASE_URL is not a URL")?;
    let password = url.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    // Removing the password fails only for URLs that cannot have one.
    let _ = url.set_password(None);
    let mut command = Command::new(program);
    command.arg(format!("--dbname={url}"));
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    Ok(command)
}

/// Runs a PostgreSQL tool, its error output in the error if it fails.
fn run(mut command: Command, program: &str) -> anyhow::Result<()> {
    let output = match command.output() {
        Ok(output) => output,
        Err(err) if err.kind() == io::ErrorKind::NotFound => bail!(
            "{program} was not found: install PostgreSQL's client tools (the server's major \
             version or newer) on this machine, or back up by hand as README.md describes"
        ),
        Err(err) => return Err(err).with_context(|| format!("while running {program}")),
    };
    if !output.status.success() {
        bail!(
            "{program} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// Copies every stored file into `folder`, each under its key.
async fn copy_files(files: &Files, folder: &Path) -> anyhow::Result<Vec<Entry>> {
    let keys = files
        .keys()
        .await
        .context("while listing the stored files")?;
    let mut entries = Vec::with_capacity(keys.len());
    for key in keys {
        let bytes = match files.read(&key).await {
            Ok(bytes) => bytes,
            // Removed since it was listed (a discarded upload): nothing names it.
            Err(FilesError::NotFound(_)) => continue,
            Err(err) => return Err(err).with_context(|| format!("while reading the file {key}")),
        };
        let path = folder.join(&key);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("while making the folder {}", parent.display()))?;
        }
        fs::write(&path, &bytes).with_context(|| format!("while writing {}", path.display()))?;
        entries.push(Entry {
            size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            sha256: hex::encode(Sha256::digest(&bytes)),
            path: key,
        });
    }
    Ok(entries)
}

/// The size and SHA-256 of the file at `path`, read a piece at a time.
fn entry_for(path: &Path, name: &str) -> anyhow::Result<Entry> {
    let mut file =
        fs::File::open(path).with_context(|| format!("while reading {}", path.display()))?;
    let mut hasher = Sha256::new();
    let size = io::copy(&mut file, &mut hasher)
        .with_context(|| format!("while reading {}", path.display()))?;
    Ok(Entry {
        path: name.to_owned(),
        size,
        sha256: hex::encode(hasher.finalize()),
    })
}

/// What was restored.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    /// Where the files went (for the message; never with a secret).
    pub files_place: String,
}

/// `send-portal restore FOLDER`: checks the backup in `folder` whole, then
/// restores its database and files into the configured ones, which must be
/// empty unless `replace` is given.
pub async fn restore(config: &Config, folder: &Path, replace: bool) -> anyhow::Result<Restored> {
    let manifest = read_manifest(folder)?;
    let engine = Engine::of(&config.database_url);
    if manifest.engine != engine {
        bail!(
            "nothing was restored: this backup holds a {} database, but SEND_PORTAL_DATABASE_URL \
             names a {} one",
            manifest.engine.name(),
            engine.name()
        );
    }
    verify(folder, &manifest)?;
    let files = file_store_for(config)?;
    let occupied = data_already_there(config, &files).await?;
    if !occupied.is_empty() && !replace {
        bail!(
            "nothing was restored: there is data already ({}). Restore into an empty database \
             and file store, or, to replace that data with the backup's, stop the portal and run \
             the restore again with --replace",
            occupied.join(" and ")
        );
    }
    let dump = folder.join(engine.file());
    let schema_version = match &config.database_url {
        DatabaseUrl::Sqlite(_) => {
            let path = config.database_url.sqlite_path().unwrap_or_default();
            restore_sqlite(&dump, &path).await?
        }
        DatabaseUrl::Postgres(raw) => restore_postgres(&dump, raw, replace).await?,
    };
    if schema_version != manifest.schema_version {
        bail!(
            "the restored database is at migration {schema_version}, but the backup says {}",
            manifest.schema_version
        );
    }
    for entry in &manifest.files {
        let path = folder.join(FILES_FOLDER).join(&entry.path);
        let bytes = fs::read(&path).with_context(|| format!("while reading {}", path.display()))?;
        files
            .restore(&entry.path, &bytes)
            .await
            .with_context(|| format!("while restoring the file {}", entry.path))?;
    }
    Ok(Restored {
        manifest,
        files_place: files.to_string(),
    })
}

fn read_manifest(folder: &Path) -> anyhow::Result<Manifest> {
    let path = folder.join(MANIFEST);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => bail!(
            "nothing was restored: {} has no {MANIFEST}, so it is not a finished backup",
            folder.display()
        ),
        Err(err) => return Err(err).with_context(|| format!("while reading {}", path.display())),
    };
    let manifest: Manifest = toml::from_str(&text)
        .with_context(|| format!("nothing was restored: {} cannot be read", path.display()))?;
    if manifest.format_version != FORMAT_VERSION {
        bail!(
            "nothing was restored: {} is of format {}, and this version of send-portal reads \
             format {FORMAT_VERSION}",
            path.display(),
            manifest.format_version
        );
    }
    Ok(manifest)
}

/// Every file the manifest lists must be there with its size and checksum.
fn verify(folder: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    let mut problems = Vec::new();
    if manifest.database.path != manifest.engine.file() {
        problems.push(format!(
            "the database is listed as {:?}, not {}",
            manifest.database.path,
            manifest.engine.file()
        ));
    }
    if manifest.file_count != manifest.files.len() {
        problems.push(format!(
            "it counts {} files but lists {}",
            manifest.file_count,
            manifest.files.len()
        ));
    }
    let listed = std::iter::once((folder.join(manifest.engine.file()), &manifest.database)).chain(
        manifest
            .files
            .iter()
            .map(|entry| (folder.join(FILES_FOLDER).join(plain(&entry.path)), entry)),
    );
    for (path, expected) in listed {
        if plain(&expected.path) != Path::new(&expected.path) {
            problems.push(format!(
                "{:?} is not a path inside the backup",
                expected.path
            ));
            continue;
        }
        match entry_for(&path, &expected.path) {
            Ok(found) if found == *expected => {}
            Ok(_) => problems.push(format!(
                "{} is not what was backed up (its size or checksum differs)",
                path.display()
            )),
            Err(err) => problems.push(format!("{err:#}")),
        }
    }
    if !problems.is_empty() {
        bail!(
            "nothing was restored: the backup in {} does not match its manifest:\n  {}",
            folder.display(),
            problems.join("\n  ")
        );
    }
    Ok(())
}

/// `path` with anything but plain names (`..`, a root) taken out.
fn plain(path: &str) -> PathBuf {
    Path::new(path)
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect()
}

/// What a restore would overwrite: the database if it holds anything, the
/// file store if it holds any file.
async fn data_already_there(config: &Config, files: &Files) -> anyhow::Result<Vec<String>> {
    let mut occupied = Vec::new();
    match &config.database_url {
        DatabaseUrl::Sqlite(_) => {
            let path = config.database_url.sqlite_path().unwrap_or_default();
            if fs::metadata(&path).is_ok_and(|m| m.len() > 0) {
                occupied.push(format!("the database {}", path.display()));
            }
        }
        DatabaseUrl::Postgres(raw) => {
            let store = PgStore::connect(raw).await.with_context(|| {
                format!("while connecting to PostgreSQL at {}", redact_url(raw))
            })?;
            let holds = store.holds_tables().await;
            store.close().await;
            if holds.context("while looking into the database")? {
                occupied.push(format!("the database {}", redact_url(raw)));
            }
        }
    }
    let count = files
        .keys()
        .await
        .context("while listing the stored files")?
        .len();
    if count > 0 {
        occupied.push(format!("{count} files in {files}"));
    }
    Ok(occupied)
}

/// Puts the backup's SQLite file in the database's place, checked first under
/// a name of its own, so a failed restore leaves no half-copied database.
async fn restore_sqlite(dump: &Path, path: &Path) -> anyhow::Result<i64> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        fs::create_dir_all(parent)
            .with_context(|| format!("while making the folder {}", parent.display()))?;
    }
    let staging = PathBuf::from(format!("{}.restoring", path.display()));
    fs::copy(dump, &staging).with_context(|| format!("while writing {}", staging.display()))?;
    let version = check_sqlite_copy(&staging).await?;
    // The replaced database's journal would otherwise be read into the new one.
    for suffix in ["-wal", "-shm"] {
        let journal = PathBuf::from(format!("{}{suffix}", path.display()));
        match fs::remove_file(&journal) {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => {
                return Err(err).with_context(|| format!("while removing {}", journal.display()));
            }
        }
    }
    fs::rename(&staging, path).with_context(|| format!("while writing {}", path.display()))?;
    Ok(version)
}

/// `pg_restore` in one transaction (all or nothing); with `replace`, the
/// backup's tables replace those there.
async fn restore_postgres(dump: &Path, raw: &str, replace: bool) -> anyhow::Result<i64> {
    let mut command = pg_tool("pg_restore", raw)?;
    command.args([
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
    ]);
    if replace {
        command.args(["--clean", "--if-exists"]);
    }
    command.arg(dump);
    run(command, "pg_restore")?;
    let store = PgStore::connect(raw)
        .await
        .with_context(|| format!("while connecting to PostgreSQL at {}", redact_url(raw)))?;
    let version = store.schema_version().await;
    store.close().await;
    version
        .context("while reading the restored migration level")?
        .context("the restored database has no migrations")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_written() {
        let manifest = Manifest {
            format_version: FORMAT_VERSION,
            created_at: "2026-12-06T09:00:00Z".to_owned(),
            portal_version: "0.1.0".to_owned(),
            engine: Engine::Sqlite,
            schema_version: 20,
            file_count: 1,
            database: Entry {
                path: SQLITE_FILE.to_owned(),
                size: 4096,
                sha256: "ab".repeat(32),
            },
            files: vec![Entry {
                path: "2026/12/0123456789abcdef0123456789abcdef".to_owned(),
                size: 3,
                sha256: "cd".repeat(32),
            }],
        };
        let text = toml::to_string(&manifest).unwrap();
        assert!(text.contains("engine = \"sqlite\""), "{text}");
        assert_eq!(toml::from_str::<Manifest>(&text).unwrap(), manifest);
    }

    #[test]
    fn only_plain_names_are_paths_inside_a_backup() {
        assert_eq!(
            plain("2026/12/0123456789abcdef0123456789abcdef"),
            Path::new("2026/12/0123456789abcdef0123456789abcdef")
        );
        for bad in ["../../etc/passwd", "/etc/passwd", "2026/../../x"] {
            assert_ne!(plain(bad), Path::new(bad), "{bad}");
        }
    }

    #[test]
    fn postgres_tools_get_the_password_by_environment_never_on_the_command_line() {
        let command = pg_tool(
            "pg_dump",
            "postgres://send:s%40cret@db.internal:5432/portal",
        )
        .unwrap();
        let args: Vec<String> = command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(args, ["--dbname=postgres://send@db.internal:5432/portal"]);
        let password = command
            .get_envs()
            .find(|(name, _)| *name == "PGPASSWORD")
            .and_then(|(_, value)| value)
            .map(|v| v.to_string_lossy().into_owned());
        assert_eq!(password.as_deref(), Some("s@cret"));
    }
}
