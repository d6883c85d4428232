//! The writers: each works on one case of its own (a child, one of its
//! conversations and one of its involvements), in turn replying in the
//! conversation, moving the stage or correcting the last move, and uploading a
//! document, until the server is killed. Each keeps what the server
//! acknowledged, and the one write it had in flight at the kill, for the checks.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use send_app::SystemClock;
use send_domain::involvements::{InvolvementKind, Stage};
use send_domain::{ChildId, Clock, Document, InvolvementId, ThreadId};
use send_store::{CaseloadQuery, Store};
use sha2::{Digest, Sha256};

use super::Report;
use super::server::Server;
use crate::http::{Client, Session};

/// The longest pause between a writer's writes, in milliseconds.
const PAUSE_MS: u64 = 400;

/// A kind of write the harness makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WriteKind {
    /// A caseworker's reply in a conversation (a message).
    Reply,
    /// A stage moved forward.
    StageMove,
    /// The last stage move corrected.
    StageCorrection,
    /// A document uploaded.
    Upload,
}

impl fmt::Display for WriteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Reply => "replies",
            Self::StageMove => "stage moves",
            Self::StageCorrection => "stage corrections",
            Self::Upload => "uploads",
        })
    }
}

/// One write, with what it should leave.
#[derive(Debug, Clone)]
enum Write {
    Reply { text: String },
    Move { to: Stage },
    Correct { back_to: Stage },
    Upload { description: String, bytes: Vec<u8> },
}

impl Write {
    fn kind(&self) -> WriteKind {
        match self {
            Self::Reply { .. } => WriteKind::Reply,
            Self::Move { .. } => WriteKind::StageMove,
            Self::Correct { .. } => WriteKind::StageCorrection,
            Self::Upload { .. } => WriteKind::Upload,
        }
    }

    /// The stage it leaves, for a stage write.
    fn stage(&self) -> Option<Stage> {
        match self {
            Self::Move { to } => Some(*to),
            Self::Correct { back_to } => Some(*back_to),
            Self::Reply { .. } | Self::Upload { .. } => None,
        }
    }
}

/// A write without an answer: in flight at the kill, or refused.
#[derive(Debug, Clone)]
struct Unanswered {
    write: Write,
    refused: bool,
}

#[derive(Debug)]
pub struct Writer {
    number: usize,
    child: ChildId,
    thread: ThreadId,
    involvement: InvolvementId,
    kind: InvolvementKind,
    /// The stage as the last acknowledged (or checked) write left it.
    stage: Stage,
    /// The stage before the last move, while the move can be corrected.
    previous: Option<Stage>,
    sequence: usize,
    /// Acknowledged since the last check.
    acknowledged: Vec<Write>,
    unanswered: Option<Unanswered>,
    rng: StdRng,
}

/// The stage a move goes to from `stage` (never "Plan ceased", which asks why).
fn forward(stage: Stage, kind: InvolvementKind) -> Option<Stage> {
    stage
        .next(kind)
        .iter()
        .copied()
        .find(|to| *to != Stage::PlanCeased)
}

impl Writer {
    /// `count` writers, each on an open involvement of a different child that
    /// has a conversation and a stage to move to.
    pub async fn for_cases(store: &Arc<dyn Store>, count: usize) -> Result<Vec<Self>> {
        let mut writers: Vec<Self> = Vec::new();
        for (involvement, child) in store.open_involvements(&CaseloadQuery::default()).await? {
            if writers.len() == count {
                break;
            }
            if writers.iter().any(|w| w.child == child.id)
                || forward(involvement.stage, involvement.kind).is_none()
            {
                continue;
            }
            let Some(thread) = store.threads_of_child(child.id).await?.first().cloned() else {
                continue;
            };
            let number = writers.len() + 1;
            writers.push(Self {
                number,
                child: child.id,
                thread: thread.id,
                involvement: involvement.id,
                kind: involvement.kind,
                stage: involvement.stage,
                previous: involvement.previous.map(|p| p.stage),
                sequence: 0,
                acknowledged: Vec::new(),
                unanswered: None,
                rng: StdRng::seed_from_u64(number as u64),
            });
        }
        if writers.len() < count {
            bail!(
                "the generated council has cases for {} writers, not {count}",
                writers.len()
            );
        }
        Ok(writers)
    }

    /// The next write: a reply, a stage write, an upload, in turn.
    fn next_write(&mut self, round: usize) -> Write {
        self.sequence += 1;
        let mark = format!(
            "{round}.{}.{} {:016x}",
            self.number,
            self.sequence,
            self.rng.random::<u64>()
        );
        let stage = match (self.previous, forward(self.stage, self.kind)) {
            (Some(back_to), _) => Some(Write::Correct { back_to }),
            (None, Some(to)) => Some(Write::Move { to }),
            (None, None) => None,
        };
        match (self.sequence % 3, stage) {
            (1, Some(stage)) => stage,
            (2, _) => {
                // Text of 4 to 64 KiB, different each time.
                let length = self.rng.random_range(2048..32768);
                let bytes: Vec<u8> = (0..length).map(|_| self.rng.random::<u8>()).collect();
                Write::Upload {
                    description: format!("Crash check upload {mark}"),
                    bytes: hex::encode(bytes).into_bytes(),
                }
            }
            _ => Write::Reply {
                text: format!("Crash check reply {mark}"),
            },
        }
    }

    /// Sends one write: `true` when the server acknowledged it (its redirect),
    /// `false` when it answered anything else; an error when no answer came.
    async fn send(&self, client: &Client, csrf: &str, write: &Write) -> Result<bool> {
        let answer = match write {
            Write::Reply { text } => {
                client
                    .post_multipart(
                        &format!("/back-office/messages/{}/reply", self.thread),
                        &[("csrf_token", csrf), ("message", text)],
                        None,
                    )
                    .await?
            }
            Write::Move { to } => {
                let today = SystemClock.now().date();
                let (day, month, year) = (
                    today.day().to_string(),
                    u8::from(today.month()).to_string(),
                    today.year().to_string(),
                );
                client
                    .post_form(
                        &format!("/back-office/involvements/{}/stage", self.involvement),
                        &[
                            ("csrf_token", csrf),
                            ("to", to.code()),
                            ("on-day", &day),
                            ("on-month", &month),
                            ("on-year", &year),
                        ],
                    )
                    .await?
            }
            Write::Correct { .. } => {
                client
                    .post_form(
                        &format!(
                            "/back-office/involvements/{}/correct-stage",
                            self.involvement
                        ),
                        &[("csrf_token", csrf), ("reason", "Moved by the crash check")],
                    )
                    .await?
            }
            Write::Upload { description, bytes } => {
                let name = format!("crash-check-{}-{}.txt", self.number, self.sequence);
                client
                    .post_multipart(
                        &format!("/back-office/children/{}/documents/new", self.child),
                        &[
                            ("csrf_token", csrf),
                            ("kind", "other"),
                            ("description", description),
                            ("share", "all"),
                        ],
                        Some((&name, bytes)),
                    )
                    .await?
            }
        };
        Ok(answer.status == 303)
    }

    /// Writes until a write goes unanswered (the server was killed) or is refused.
    async fn write_until_killed(
        mut self,
        client: Client,
        csrf: String,
        round: usize,
        (stop, sending): (Arc<AtomicBool>, Arc<AtomicUsize>),
    ) -> Self {
        loop {
            // A pause between writes keeps the emails they cause within what the
            // outbox sends (20 every 2 seconds), so the run ends with it drained.
            let pause = self.rng.random_range(0..PAUSE_MS);
            tokio::time::sleep(Duration::from_millis(pause)).await;
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let write = self.next_write(round);
            sending.fetch_add(1, Ordering::SeqCst);
            let answer = self.send(&client, &csrf, &write).await;
            sending.fetch_sub(1, Ordering::SeqCst);
            match answer {
                Ok(true) => {
                    match &write {
                        Write::Move { to } => {
                            self.previous = Some(self.stage);
                            self.stage = *to;
                        }
                        Write::Correct { back_to } => {
                            self.previous = None;
                            self.stage = *back_to;
                        }
                        Write::Reply { .. } | Write::Upload { .. } => {}
                    }
                    self.acknowledged.push(write);
                }
                answered => {
                    self.unanswered = Some(Unanswered {
                        write,
                        refused: answered.is_ok(),
                    });
                    break;
                }
            }
        }
        self
    }

    /// Checks, after a restart, that what was acknowledged since the last check
    /// is there and whole, that the write in flight at the kill is there once
    /// or not at all, and that the stage is the last acknowledged one (or the
    /// one in flight). Adds the figures and problems to `report`.
    pub async fn check(
        &mut self,
        store: &Arc<dyn Store>,
        client: &Client,
        report: &mut Report,
    ) -> Result<()> {
        let who = format!("writer {}", self.number);
        let messages = store.messages(self.thread).await?;
        let documents = store.documents_of_child(self.child).await?;
        let times = |text: &str| messages.iter().filter(|m| m.body.as_str() == text).count();
        for write in std::mem::take(&mut self.acknowledged) {
            *report.acknowledged.entry(write.kind()).or_default() += 1;
            match &write {
                Write::Reply { text } => {
                    let n = times(text);
                    if n != 1 {
                        report.lost.push(format!(
                            "{who}: the acknowledged reply {text:?} is there {n} times"
                        ));
                    }
                }
                Write::Upload { description, bytes } => {
                    if let Err(why) = whole(client, &documents, description, bytes).await {
                        report.lost.push(format!(
                            "{who}: the acknowledged upload {description:?}: {why}"
                        ));
                    }
                }
                Write::Move { .. } | Write::Correct { .. } => {}
            }
        }
        let unanswered = self.unanswered.take();
        let involvement = store
            .involvement(self.involvement)
            .await?
            .context("the writer's involvement is gone")?;
        if let Some(Unanswered { write, refused }) = &unanswered {
            let there = match write {
                Write::Reply { text } => {
                    let n = times(text);
                    if n > 1 {
                        report.lost.push(format!(
                            "{who}: the reply {text:?} in flight at the kill is there {n} times"
                        ));
                    }
                    n > 0
                }
                Write::Upload { description, bytes } => {
                    let found = documents
                        .iter()
                        .any(|d| d.description.as_str() == description);
                    if found && let Err(why) = whole(client, &documents, description, bytes).await {
                        report.lost.push(format!(
                            "{who}: the upload {description:?} in flight at the kill: {why}"
                        ));
                    }
                    found
                }
                Write::Move { to } => involvement.stage == *to && self.stage != *to,
                Write::Correct { back_to } => {
                    involvement.stage == *back_to && self.stage != *back_to
                }
            };
            if *refused {
                report.refused += 1;
                if there {
                    report
                        .lost
                        .push(format!("{who}: a refused {} was written", write.kind()));
                }
            } else {
                report.in_flight += 1;
                report.in_flight_applied += usize::from(there);
            }
        }
        let in_flight_stage = unanswered.as_ref().and_then(|u| u.write.stage());
        if involvement.stage != self.stage && Some(involvement.stage) != in_flight_stage {
            report.lost.push(format!(
                "{who}: the involvement is at {:?}, but the acknowledged writes left it at {:?}",
                involvement.stage, self.stage
            ));
        }
        self.stage = involvement.stage;
        self.previous = involvement.previous.map(|p| p.stage);
        Ok(())
    }
}

/// Whether the one document described `description` holds `bytes`: its size
/// and hash as stored, and the download.
async fn whole(
    client: &Client,
    documents: &[Document],
    description: &str,
    bytes: &[u8],
) -> Result<(), String> {
    let found: Vec<&Document> = documents
        .iter()
        .filter(|d| d.description.as_str() == description)
        .collect();
    let [document] = found.as_slice() else {
        return Err(format!("there are {} documents so described", found.len()));
    };
    let sha256 = hex::encode(Sha256::digest(bytes));
    if u64::try_from(bytes.len()).ok() != Some(document.file.size) || document.file.sha256 != sha256
    {
        return Err("its stored size or hash differs from what was sent".to_owned());
    }
    let download = client
        .get(&format!("/back-office/documents/{}", document.id))
        .await
        .map_err(|e| format!("the download failed: {e}"))?;
    if download.status != 200 || download.body != bytes {
        return Err(format!(
            "the download (status {}, {} bytes) is not what was sent ({} bytes)",
            download.status,
            download.body.len(),
            bytes.len()
        ));
    }
    Ok(())
}

/// One round: every writer writes at once for `length`, then the server is
/// killed; returns the writers when each has stopped.
pub async fn round(
    writers: Vec<Writer>,
    sessions: &[Arc<Session>],
    server: &mut Server,
    round: usize,
    length: Duration,
) -> Result<Vec<Writer>> {
    let stop = Arc::new(AtomicBool::new(false));
    let sending = Arc::new(AtomicUsize::new(0));
    let client = Client::new(&server.base)?;
    let mut tasks = Vec::new();
    for (writer, session) in writers.into_iter().zip(sessions.iter().cycle()) {
        tasks.push(tokio::spawn(writer.write_until_killed(
            client.with_cookie(&session.cookie),
            session.csrf.clone(),
            round,
            (Arc::clone(&stop), Arc::clone(&sending)),
        )));
    }
    tokio::time::sleep(length).await;
    // The kill lands while a write is on its way (a write takes milliseconds and
    // the writers pause between writes, so a kill at a random moment alone
    // would mostly fall between writes), waiting at most two seconds.
    for _ in 0..2000 {
        if sending.load(Ordering::SeqCst) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    server.kill();
    stop.store(true, Ordering::Relaxed);
    let mut writers = Vec::new();
    for task in tasks {
        writers.push(task.await?);
    }
    Ok(writers)
}
