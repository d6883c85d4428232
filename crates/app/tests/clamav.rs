//! Virus scanning (DOC-2) against a real clamd (Debian's `clamav-daemon`, which
//! the test command installs), started by the test with a signature database it
//! writes itself: a hash signature for a harmless file the test makes, so no
//! real virus (and no download of ClamAV's databases) is needed.
//!
//! When clamd is not installed the test prints that it did not run; it fails
//! instead when `SEND_PORTAL_TEST_REQUIRE` names `clamav` or `CI` is set, as it
//! is by the README's test command and CI.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use send_app::clamav::{ClamAv, ClamAvAddress, ScanVerdict};
use send_app::files::{DEFAULT_MAX_UPLOAD_BYTES, Files};
use send_domain::files::UploadProblem;
use send_store_conformance::testdb::required;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::datetime;

const CLAMD: &str = "/usr/sbin/clamd";

/// The signature the test's database holds (clamd adds `.UNOFFICIAL` to
/// signatures not from ClamAV's own databases).
const SIGNATURE: &str = "SendPortal.Test.Signature";

/// A harmless text file the test's signature matches.
const MARKED: &[u8] = b"This file is marked as a virus by the SEND Portal's clamd test.\n";

/// When the uploads in these tests are stored.
const STORED_AT: OffsetDateTime = datetime!(2026-03-05 10:00 UTC);

/// A clamd of the test's own, stopped when dropped.
struct Clamd {
    child: Child,
    dir: tempfile::TempDir,
    socket: PathBuf,
    port: u16,
}

impl Drop for Clamd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Clamd {
    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("clamd.log")).unwrap_or_default()
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_or_else(|e| panic!("no free port: {e}"), |a| a.port())
}

/// Starts clamd on a unix socket and a loopback TCP port, with the test's
/// signature as its only database, and waits until it answers `PING`. `None`
/// (with a note) when clamd is not installed and the test is not required.
async fn start_clamd() -> Option<Clamd> {
    if !Path::new(CLAMD).exists() {
        assert!(
            !required("clamav"),
            "{CLAMD} is missing but the virus scanning test is required: install Debian's \
             clamav-daemon (the README's test command does)"
        );
        eprintln!("NOT RUN: virus scanning test ({CLAMD} is missing; install clamav-daemon)");
        return None;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));
    let db = dir.path().join("db");
    std::fs::create_dir(&db).unwrap_or_else(|e| panic!("{e}"));
    // A hash signature (`.hsb`: SHA-256, size, name) for the test's own file.
    std::fs::write(
        db.join("test.hsb"),
        format!(
            "{}:{}:{SIGNATURE}\n",
            hex::encode(Sha256::digest(MARKED)),
            MARKED.len()
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let socket = dir.path().join("clamd.sock");
    let port = free_port();
    let tmp = dir.path().display();
    // Foreground: the test owns the process. No `User`: clamd runs as whoever
    // runs the test, root or not. Small limits keep it quick to start.
    let config = format!(
        "LocalSocket {socket}\n\
         TCPSocket {port}\n\
         TCPAddr 127.0.0.1\n\
         DatabaseDirectory {db}\n\
         Foreground yes\n\
         LogFile {tmp}/clamd.log\n\
         LogTime yes\n\
         PidFile {tmp}/clamd.pid\n\
         TemporaryDirectory {tmp}\n\
         StreamMaxLength 25M\n\
         MaxThreads 2\n\
         SelfCheck 3600\n\
         Bytecode no\n",
        socket = socket.display(),
        db = db.display(),
    );
    let config_path = dir.path().join("clamd.conf");
    std::fs::write(&config_path, config).unwrap_or_else(|e| panic!("{e}"));
    let child = Command::new(CLAMD)
        .arg("--config-file")
        .arg(&config_path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {CLAMD}: {e}"));
    let clamd = Clamd {
        child,
        dir,
        socket,
        port,
    };
    let scanner =
        ClamAv::parse(&clamd.socket.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    loop {
        if scanner.ping().await.is_ok() {
            return Some(clamd);
        }
        assert!(
            started.elapsed() < Duration::from_mins(1),
            "clamd did not answer PING within 60 seconds; its log:\n{}",
            clamd.log()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[test]
fn tcp_and_unix_socket_settings_are_understood() {
    let tcp = ClamAv::parse("tcp://127.0.0.1:3310").unwrap();
    assert_eq!(
        tcp.address(),
        &ClamAvAddress::Tcp {
            host: "127.0.0.1".to_owned(),
            port: 3310
        }
    );
    assert_eq!(tcp.address().to_string(), "tcp://127.0.0.1:3310");
    assert_eq!(
        ClamAv::parse("tcp://clamav:3310").unwrap().address(),
        &ClamAvAddress::Tcp {
            host: "clamav".to_owned(),
            port: 3310
        }
    );
    assert_eq!(
        ClamAv::parse("/var/run/clamav/clamd.ctl")
            .unwrap()
            .address(),
        &ClamAvAddress::Unix(PathBuf::from("/var/run/clamav/clamd.ctl"))
    );
    assert_eq!(
        ClamAv::parse("unix:///var/run/clamav/clamd.ctl").unwrap(),
        ClamAv::parse("/var/run/clamav/clamd.ctl").unwrap()
    );
    assert!(ClamAv::parse("tcp://127.0.0.1").is_err());
    assert!(ClamAv::parse("127.0.0.1:3310").is_err());
}

#[tokio::test]
async fn a_real_clamd_refuses_the_marked_file_and_passes_a_clean_one() {
    let Some(clamd) = start_clamd().await else {
        return;
    };
    let over_socket = ClamAv::parse(&format!("unix://{}", clamd.socket.display())).unwrap();
    let over_tcp = ClamAv::parse(&format!("tcp://127.0.0.1:{}", clamd.port)).unwrap();
    over_tcp
        .ping()
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", clamd.log()));

    for scanner in [over_socket, over_tcp] {
        // The scanner on its own.
        assert_eq!(
            scanner.scan(MARKED).await.unwrap(),
            ScanVerdict::Infected(format!("{SIGNATURE}.UNOFFICIAL"))
        );
        assert_eq!(
            scanner.scan(b"Notes from the meeting.\n").await.unwrap(),
            ScanVerdict::Clean
        );
        // A larger file goes in many chunks.
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(3 * 1024 * 1024, b' ');
        assert_eq!(scanner.scan(&big).await.unwrap(), ScanVerdict::Clean);

        // Through the file store: the marked file is refused and nothing stored.
        let folder = tempfile::tempdir().unwrap();
        let files = Files::local(folder.path(), DEFAULT_MAX_UPLOAD_BYTES)
            .unwrap()
            .with_scanner(scanner.clone());
        let refused = files
            .check_and_store("minutes.txt", MARKED, STORED_AT)
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(refused, UploadProblem::Infected);
        assert_eq!(refused.to_string(), "The selected file contains a virus");
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);

        let stored = files
            .check_and_store("notes.txt", b"Notes from the meeting.\n", STORED_AT)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            files.read(&stored.key).await.unwrap(),
            b"Notes from the meeting.\n"
        );
        let stored = files
            .check_and_store("report.pdf", &big, STORED_AT)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.size, big.len() as u64);
    }
    let log = clamd.log();
    assert!(log.contains(SIGNATURE), "{log}");
    drop(clamd);
}

#[tokio::test]
async fn uploads_are_refused_when_the_scanner_cannot_be_reached() {
    let port = free_port();
    let folder = tempfile::tempdir().unwrap();
    let files = Files::local(folder.path(), DEFAULT_MAX_UPLOAD_BYTES)
        .unwrap()
        .with_scanner(ClamAv::parse(&format!("tcp://127.0.0.1:{port}")).unwrap());
    let refused = files
        .check_and_store("notes.txt", b"Notes from the meeting.\n", STORED_AT)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(refused, UploadProblem::ScanFailed);
    assert_eq!(
        refused.to_string(),
        "The selected file could not be checked for viruses. Try again later"
    );
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);
}
