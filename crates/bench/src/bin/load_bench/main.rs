//! A first load benchmark (issue 17, item 2; a skeleton): signs generated
//! accounts in through the real two-step flow, then runs weighted journeys
//! against a running portal for a while at each concurrency, and reports each
//! journey's requests a second, p50, p95, p99 and errors, and the server's peak
//! memory (from `/proc/PID/status`). Families' codes are read from the file
//! mail folder (`SEND_PORTAL_MAIL=file`, `DATA_DIR/mail`); caseworkers' from
//! the generated authenticator key. Not done yet: the "send a message"
//! journey. BENCHMARKS.md ("Generated council") says how to run it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use send_bench::council::{AUTHENTICATOR_KEY, PASSWORD, caseworker_email, parent_email};
use tokio::sync::Mutex;

#[derive(Debug, Parser)]
#[command(about = "Load-tests a running portal serving a generated council")]
struct Args {
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base_url: String,
    /// The portal's outgoing mail folder (`DATA_DIR/mail`), for sign-in codes.
    #[arg(long)]
    mail: PathBuf,
    /// The server's process id, for its peak memory.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Family accounts to sign in (from `--first-parent` upwards).
    #[arg(long, default_value_t = 64)]
    parents: usize,
    /// The first family account to sign in: another range for each run soon
    /// after another, as the portal limits the codes sent to one account.
    #[arg(long, default_value_t = 1)]
    first_parent: usize,
    /// Caseworkers to sign in (caseworker-0001 upwards).
    #[arg(long, default_value_t = 8)]
    caseworkers: usize,
    /// Concurrencies to run, one after another.
    #[arg(long, value_delimiter = ',', default_value = "16,64,256")]
    concurrency: Vec<usize>,
    /// Seconds at each concurrency.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
}

/// A signed-in person: their cookie and what their pages link to.
#[derive(Debug, Clone)]
struct Session {
    cookie: String,
    /// A family's child, or a caseworker's first case's child.
    child: String,
}

/// Each journey's timings and errors at one concurrency.
type Results = Arc<Mutex<BTreeMap<Journey, (Vec<Duration>, usize)>>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Journey {
    Dashboard,
    InboxAndMessage,
    Documents,
    Caseload,
    Chronology,
    StartPage,
}

/// The weights of issue 17 (less "send a message", not done yet), and the start
/// page as the ceiling.
const WEIGHTS: &[(Journey, u32)] = &[
    (Journey::Dashboard, 50),
    (Journey::InboxAndMessage, 20),
    (Journey::Documents, 10),
    (Journey::Caseload, 10),
    (Journey::Chronology, 5),
    (Journey::StartPage, 5),
];

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    async fn get(&self, path: &str, cookie: &str) -> Result<(u16, String, Option<String>)> {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .send()
            .await?;
        Self::read(response).await
    }

    async fn post(
        &self,
        path: &str,
        cookie: &str,
        fields: &[(&str, &str)],
    ) -> Result<(u16, String, Option<String>)> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await?;
        Self::read(response).await
    }

    /// Status, body, and the session cookie if the server set one.
    async fn read(response: reqwest::Response) -> Result<(u16, String, Option<String>)> {
        let status = response.status().as_u16();
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.contains("session"))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned);
        Ok((status, response.text().await?, cookie))
    }
}

fn csrf(html: &str) -> Result<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).ok_or_else(|| anyhow!("no csrf_token"))? + marker.len();
    let end = html[start..]
        .find('"')
        .ok_or_else(|| anyhow!("bad csrf_token"))?;
    Ok(html[start..start + end].to_owned())
}

/// The first link starting with `prefix`, up to the next quote.
fn link(html: &str, prefix: &str) -> Option<String> {
    let start = html.find(&format!("href=\"{prefix}"))? + "href=\"".len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].replace("&amp;", "&"))
}

/// The sign-in code emailed to `email` in a file of the mail folder not in
/// `before` (the emails are written by the server's worker, a moment later).
fn code_for(mail: &Path, email: &str, before: &[PathBuf]) -> Option<String> {
    let mut newest: Option<(std::time::SystemTime, String)> = None;
    for entry in walk(mail) {
        if before.contains(&entry) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&entry) else {
            continue;
        };
        if !text
            .lines()
            .any(|l| l.starts_with("To:") && l.contains(email))
        {
            continue;
        }
        let modified = std::fs::metadata(&entry).and_then(|m| m.modified()).ok()?;
        // "Your code to sign in is 123456" (the plain-text part).
        let after = text.split("sign in is ").nth(1)?;
        let code: String = after.chars().take_while(char::is_ascii_digit).collect();
        if newest.as_ref().is_none_or(|(at, _)| modified > *at) {
            newest = Some((modified, code));
        }
    }
    newest.map(|(_, code)| code)
}

fn walk(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(folder) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// Signs one account in: password, then the emailed code or the authenticator's.
async fn sign_in(client: &Client, mail: &Path, email: &str, staff: bool) -> Result<Session> {
    let (_, page, cookie) = client.get("/sign-in", "").await?;
    let mut cookie = cookie.ok_or_else(|| anyhow!("no session cookie"))?;
    let fields = [
        ("csrf_token", csrf(&page)?),
        ("email", email.to_owned()),
        ("password", PASSWORD.to_owned()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let before = if staff { Vec::new() } else { walk(mail) };
    let (_, _, set) = client.post("/sign-in", &cookie, &fields).await?;
    cookie = set.unwrap_or(cookie);
    let (step, code) = if staff {
        let secret = totp_rs::Secret::try_from_base32(AUTHENTICATOR_KEY)
            .map_err(|e| anyhow!("key: {e:?}"))?;
        let totp = totp_rs::Builder::new()
            .with_secret(secret)
            .build()
            .map_err(|e| anyhow!("authenticator: {e:?}"))?;
        #[expect(
            clippy::disallowed_methods,
            reason = "an authenticator app's code is of the real time, as the server's is"
        )]
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
        (
            "/sign-in/authenticator",
            totp.generate(now.as_secs()).to_string(),
        )
    } else {
        let mut code = None;
        for _ in 0..50 {
            code = code_for(mail, email, &before);
            if code.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        (
            "/sign-in/code",
            code.context("no sign-in code in the mail folder")?,
        )
    };
    let (_, page, _) = client.get(step, &cookie).await?;
    let token = csrf(&page)?;
    let (status, page, set) = client
        .post(step, &cookie, &[("csrf_token", &token), ("code", &code)])
        .await?;
    cookie = set.unwrap_or(cookie);
    if status != 303 {
        let title = page
            .split("<title>")
            .nth(1)
            .unwrap_or("")
            .split('<')
            .next()
            .unwrap_or("");
        let problem = page
            .split("govuk-error-summary__list")
            .nth(1)
            .map_or("", |rest| {
                let item = rest.split("</a>").next().unwrap_or("");
                item.rsplit('>').next().unwrap_or("")
            });
        bail!("{email}: the second step answered {status} ({title}: {problem}; code {code})");
    }
    let home = if staff {
        "/back-office/caseload?scope=mine"
    } else {
        "/home"
    };
    let (_, page, _) = client.get(home, &cookie).await?;
    let prefix = if staff {
        "/back-office/involvements/"
    } else {
        "/children/"
    };
    let child = link(&page, prefix).ok_or_else(|| anyhow!("{email}: nothing on {home}"))?;
    Ok(Session { cookie, child })
}

/// One journey: its requests, and whether each answered 200.
async fn run(client: &Client, journey: Journey, session: &Session) -> Result<bool> {
    let ok = |status: u16| status == 200;
    let child = session.child.trim_end_matches("/dashboard");
    Ok(match journey {
        // A family's dashboard, or a caseworker's child's chronology: the session's page.
        Journey::Dashboard | Journey::Chronology => {
            ok(client.get(&session.child, &session.cookie).await?.0)
        }
        Journey::Documents => ok(client
            .get(&format!("{child}/documents"), &session.cookie)
            .await?
            .0),
        Journey::InboxAndMessage => {
            let (status, page, _) = client
                .get(&format!("{child}/messages"), &session.cookie)
                .await?;
            match link(&page, "/messages/") {
                Some(thread) => ok(status) && ok(client.get(&thread, &session.cookie).await?.0),
                None => false,
            }
        }
        Journey::Caseload => ok(client
            .get(
                "/back-office/caseload?scope=mine&overdue=yes",
                &session.cookie,
            )
            .await?
            .0),
        Journey::StartPage => ok(client.get("/", "").await?.0),
    })
}

fn percentile(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index into a list far shorter than 2^52"
    )]
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

fn peak_rss(pid: Option<u32>) -> String {
    pid.and_then(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .map_or_else(
            || "unknown (give --server-pid)".to_owned(),
            |l| l.replace("VmHWM:", "").trim().to_owned(),
        )
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let client = Arc::new(Client {
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?,
        base: args.base_url.trim_end_matches('/').to_owned(),
    });
    let started = Instant::now();
    let mut families = Vec::new();
    for n in args.first_parent..args.first_parent + args.parents {
        families.push(sign_in(&client, &args.mail, &parent_email(n), false).await?);
    }
    let mut staff = Vec::new();
    for n in 1..=args.caseworkers {
        let mut session = sign_in(&client, &args.mail, &caseworker_email(n), true).await?;
        // The case's page links to the child's record; its chronology is the journey.
        let (_, page, _) = client.get(&session.child, &session.cookie).await?;
        let child = link(&page, "/back-office/children/").context("a case without its child")?;
        session.child = format!("{}/chronology", child.trim_end_matches('/'));
        staff.push(session);
    }
    println!(
        "signed in {} families and {} caseworkers in {:.1} s",
        families.len(),
        staff.len(),
        started.elapsed().as_secs_f64()
    );
    let (families, staff) = (Arc::new(families), Arc::new(staff));
    for &concurrency in &args.concurrency {
        let results: Results = Arc::default();
        let until = Instant::now() + Duration::from_secs(args.seconds);
        let mut tasks = Vec::new();
        for worker in 0..concurrency {
            let (client, families, staff, results) = (
                client.clone(),
                families.clone(),
                staff.clone(),
                results.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(worker as u64);
                let total: u32 = WEIGHTS.iter().map(|(_, w)| w).sum();
                while Instant::now() < until {
                    let mut pick = rng.random_range(0..total);
                    let journey = WEIGHTS
                        .iter()
                        .find(|(_, w)| {
                            let hit = pick < *w;
                            pick = pick.saturating_sub(*w);
                            hit
                        })
                        .map_or(Journey::StartPage, |(j, _)| *j);
                    let people = if matches!(journey, Journey::Caseload | Journey::Chronology) {
                        &staff
                    } else {
                        &families
                    };
                    let session = &people[rng.random_range(0..people.len())];
                    let began = Instant::now();
                    let ok = run(&client, journey, session).await.unwrap_or(false);
                    let took = began.elapsed();
                    let mut results = results.lock().await;
                    let entry = results.entry(journey).or_default();
                    entry.0.push(took);
                    entry.1 += usize::from(!ok);
                }
            }));
        }
        for task in tasks {
            task.await?;
        }
        println!("\n== concurrency {concurrency}, {} s ==", args.seconds);
        println!("| Journey | a second | p50 ms | p95 ms | p99 ms | errors |");
        println!("|---|---:|---:|---:|---:|---:|");
        for (journey, (mut times, errors)) in std::mem::take(&mut *results.lock().await) {
            times.sort_unstable();
            #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
            let rate = times.len() as f64 / args.seconds as f64;
            println!(
                "| {journey:?} | {rate:.1} | {:.1} | {:.1} | {:.1} | {errors} |",
                percentile(&times, 0.50),
                percentile(&times, 0.95),
                percentile(&times, 0.99)
            );
        }
        println!("server peak RSS: {}", peak_rss(args.server_pid));
    }
    Ok(())
}
