//! The load benchmark (issue 17, item 2): signs generated accounts in through
//! the real two-step flow, then, at each concurrency, times each page alone
//! (the start page without a cookie first: the ceiling) and the weighted mix of
//! journeys, and reports requests a second, p50, p95, p99 and errors, each
//! page's throughput as a share of the start page's, the server's processor
//! time a request (from `/proc/PID/stat`) and its peak memory (from
//! `/proc/PID/status`). Families' codes are read from the file
//! mail folder (`SEND_PORTAL_MAIL=file`, `DATA_DIR/mail`); caseworkers' are
//! made from the generated authenticator key. BENCHMARKS.md ("Load") says how
//! to run it.

mod people;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Parser;
use people::{Journey, Page, People, Person};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use send_bench::http::Client;
use send_bench::stats::{per_second, percentile_ms};
use tokio::sync::Mutex;

#[derive(Debug, Parser)]
#[command(about = "Load-tests a running portal serving a generated council")]
struct Args {
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base_url: String,
    /// The portal's outgoing mail folder (`DATA_DIR/mail`), for sign-in codes.
    #[arg(long)]
    mail: PathBuf,
    /// The server's process id, for its processor time and peak memory.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Family accounts to sign in (from `--first-parent` upwards).
    #[arg(long, default_value_t = 256)]
    parents: usize,
    /// The first family account to sign in: another range for each run soon
    /// after another, as the portal limits the codes sent to one account.
    #[arg(long, default_value_t = 1)]
    first_parent: usize,
    /// Caseworkers to sign in (caseworker-0001 upwards).
    #[arg(long, default_value_t = 16)]
    caseworkers: usize,
    /// Concurrencies to run, one after another.
    #[arg(long, value_delimiter = ',', default_value = "16,64,256")]
    concurrency: Vec<usize>,
    /// Seconds for each page alone and for the mix, at each concurrency.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Only these pages alone (default: every page); the start page, the
    /// ceiling, is always timed first.
    #[arg(long, value_enum, value_delimiter = ',')]
    pages: Vec<Page>,
    /// Leave out the mix of journeys (for a profile of one page).
    #[arg(long)]
    no_mix: bool,
}

/// The mix of issue 17: what share of journeys each is.
const WEIGHTS: &[(Journey, u32)] = &[
    (Journey::Dashboard, 50),
    (Journey::InboxAndMessage, 20),
    (Journey::Documents, 10),
    (Journey::SendMessage, 5),
    (Journey::Caseload, 10),
    (Journey::Chronology, 5),
];

/// Per thing timed: each go's time, the requests made and the goes that failed.
#[derive(Debug, Default)]
struct Tally {
    times: Vec<Duration>,
    requests: usize,
    errors: usize,
}

/// Runs `concurrency` loops for `seconds`, each doing what `pick` chooses
/// (named by a key) one go after another, and tallies each key.
async fn drive<K, F>(
    people: &Arc<People>,
    concurrency: usize,
    seconds: u64,
    pick: F,
) -> BTreeMap<K, Tally>
where
    K: Ord + Copy + Send + 'static,
    F: Fn(&mut StdRng) -> K + Send + Sync + Copy + 'static,
    People: Go<K>,
{
    let tallies: Arc<Mutex<BTreeMap<K, Tally>>> = Arc::default();
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (people, tallies) = (people.clone(), tallies.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(worker as u64);
            while Instant::now() < until {
                let key = pick(&mut rng);
                let (requests, ok, took) = people.go(key, &mut rng).await;
                let mut tallies = tallies.lock().await;
                let tally = tallies.entry(key).or_default();
                tally.times.push(took);
                tally.requests += requests;
                tally.errors += usize::from(!ok);
            }
        }));
    }
    for task in tasks {
        if let Err(e) = task.await {
            eprintln!("a worker failed: {e}");
        }
    }
    std::mem::take(&mut *tallies.lock().await)
}

/// One go of `K` by someone chosen with the generator: requests made,
/// whether every answer was the one expected, and the time from its first
/// request to its last answer.
trait Go<K> {
    fn go(&self, key: K, rng: &mut StdRng) -> impl Future<Output = (usize, bool, Duration)> + Send;
}

impl Go<Page> for People {
    async fn go(&self, page: Page, rng: &mut StdRng) -> (usize, bool, Duration) {
        let person = self.for_page(page, rng);
        let began = Instant::now();
        let ok = self.visit(page, person).await.unwrap_or(false);
        (1, ok, began.elapsed())
    }
}

impl Go<Journey> for People {
    async fn go(&self, journey: Journey, rng: &mut StdRng) -> (usize, bool, Duration) {
        let person: &Person = self.for_journey(journey, rng);
        let _turn = People::reply_turn(journey, person).await;
        let began = Instant::now();
        let (requests, ok) = self.journey(journey, person).await.unwrap_or((1, false));
        (requests, ok, began.elapsed())
    }
}

/// The processor time the server has used so far, all its threads', in
/// microseconds (`utime` and `stime` of `/proc/PID/stat`, counted in the
/// kernel's `USER_HZ`, 100 a second on Linux).
fn cpu_micros(pid: Option<u32>) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid?)).ok()?;
    // The fields after the command name (which may hold spaces), from the
    // third, the state: `utime` is the 14th field, `stime` the 15th.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some((user + system) * 10_000)
}

/// The server's processor time a request between two readings of
/// [`cpu_micros`], in microseconds, or `?`.
fn cpu_per_request(before: Option<u64>, after: Option<u64>, requests: usize) -> String {
    match (before, after) {
        (Some(before), Some(after)) if requests > 0 => {
            format!("{}", after.saturating_sub(before) / requests as u64)
        }
        _ => "?".to_owned(),
    }
}

/// The server's peak memory (`VmHWM`) and, of what it holds now, how much is
/// its own (`RssAnon`) rather than mapped files.
fn peak_rss(pid: Option<u32>) -> String {
    let Some(status) =
        pid.and_then(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
    else {
        return "unknown (give --server-pid)".to_owned();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map_or("?", str::trim)
            .to_owned()
    };
    format!(
        "{} (now {}, of which anonymous {})",
        field("VmHWM:"),
        field("VmRSS:"),
        field("RssAnon:")
    )
}

/// A figure in kB of the server's `/proc/PID/status` (`VmHWM:`, its peak
/// memory; `VmRSS:`, what it holds now), if it can be read.
fn status_kb(pid: Option<u32>, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", pid?)).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Starts the server's peak memory afresh from what it holds now (writing 5
/// to `/proc/PID/clear_refs`), so the next reading is the peak of what
/// follows alone; `false` if it could not be done (another user's process).
fn reset_peak(pid: Option<u32>) -> bool {
    pid.is_some_and(|pid| std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok())
}

/// Prints the server's peak memory since the last reset as `phase`'s, keeps
/// the highest seen in `whole_run`, and starts the peak afresh for the next
/// phase. Where it cannot start afresh, the next readings are the peaks so far.
fn report_peak(pid: Option<u32>, phase: &str, whole_run: &mut u64, apart: &mut bool) {
    let label = if *apart { phase } else { "so far" };
    println!("\nserver peak RSS {label}: {}", peak_rss(pid));
    *whole_run = (*whole_run).max(status_kb(pid, "VmHWM:").unwrap_or(0));
    *apart = reset_peak(pid);
}

/// The mix of journeys (`WEIGHTS`) at one concurrency, and its table.
async fn mix(people: &Arc<People>, concurrency: usize, seconds: u64) {
    let total: u32 = WEIGHTS.iter().map(|(_, w)| w).sum();
    let mix = drive(people, concurrency, seconds, move |rng| {
        let mut pick = rng.random_range(0..total);
        WEIGHTS
            .iter()
            .find(|(_, w)| {
                let hit = pick < *w;
                pick = pick.saturating_sub(*w);
                hit
            })
            .map_or(Journey::Dashboard, |(j, _)| *j)
    })
    .await;
    println!(
        "\n| Journey in the mix | journeys a second | requests a second | p50 ms | p95 ms | p99 ms | errors |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (journey, mut tally) in mix {
        tally.times.sort_unstable();
        println!(
            "| {} | {:.0} | {:.0} | {:.1} | {:.1} | {:.1} | {} |",
            journey.name(),
            per_second(tally.times.len(), seconds),
            per_second(tally.requests, seconds),
            percentile_ms(&tally.times, 0.50),
            percentile_ms(&tally.times, 0.95),
            percentile_ms(&tally.times, 0.99),
            tally.errors
        );
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        args.parents > 0 && args.caseworkers > 0,
        "--parents and --caseworkers must each be at least 1: the pages and the mix need both"
    );
    let client = Client::new(&args.base_url)?;
    let started = Instant::now();
    let people = Arc::new(
        People::sign_in(
            &client,
            &args.mail,
            args.first_parent..args.first_parent + args.parents,
            1..=args.caseworkers,
        )
        .await?,
    );
    println!(
        "signed in {} families and {} caseworkers in {:.1} s",
        people.families.len(),
        people.staff.len(),
        started.elapsed().as_secs_f64()
    );
    // The peak while signing in (the password hashing) and under each
    // concurrency apart, then the highest of them. Each phase's peak starts
    // from what the server holds as it begins: the first concurrency's from
    // the sign-ins' memory not yet given back.
    let (mut whole_run, mut apart) = (0, true);
    report_peak(
        args.server_pid,
        "while signing in",
        &mut whole_run,
        &mut apart,
    );
    for &concurrency in &args.concurrency {
        println!(
            "\n== {concurrency} at once, {} s a page, then the mix ==",
            args.seconds
        );
        println!(
            "| Page alone | requests a second | × start page | p50 ms | p95 ms | p99 ms | errors | server µs a request |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|---:|");
        let mut ceiling = None;
        let pages = Page::ALL
            .iter()
            .filter(|p| **p == Page::Start || args.pages.is_empty() || args.pages.contains(p));
        for &page in pages {
            let before = cpu_micros(args.server_pid);
            let tally = drive(&people, concurrency, args.seconds, move |_| page)
                .await
                .remove(&page)
                .unwrap_or_default();
            let cpu = cpu_per_request(before, cpu_micros(args.server_pid), tally.requests);
            let rate = per_second(tally.requests, args.seconds);
            let ceiling = *ceiling.get_or_insert(rate);
            let mut times = tally.times;
            times.sort_unstable();
            println!(
                "| {} | {rate:.0} | {:.2} | {:.1} | {:.1} | {:.1} | {} | {cpu} |",
                page.name(),
                rate / ceiling,
                percentile_ms(&times, 0.50),
                percentile_ms(&times, 0.95),
                percentile_ms(&times, 0.99),
                tally.errors
            );
        }
        if !args.no_mix {
            mix(&people, concurrency, args.seconds).await;
        }
        report_peak(
            args.server_pid,
            &format!("at {concurrency} at once"),
            &mut whole_run,
            &mut apart,
        );
    }
    if args.server_pid.is_some() {
        println!("\nserver peak RSS over the whole run: {whole_run} kB");
    }
    Ok(())
}
