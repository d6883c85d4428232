//! A real headless Chromium (Debian's `chromium` and `chromium-driver`), driven
//! over WebDriver, with axe-core run on every page visited, at the window's
//! width and again at 320 CSS pixels wide, where the page must not scroll sideways.
//!
//! When Chromium is not installed the browser tests print that they did not run;
//! they fail instead when `SEND_PORTAL_TEST_REQUIRE` names `browser` or `CI` is
//! set, as it is by the README's test command and CI.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::{Capabilities, TimeoutConfiguration};
use fantoccini::{Client, ClientBuilder, Locator};
use send_store_conformance::testdb::required;
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The width, in CSS pixels, at which every page must reflow (WCAG 2.2 1.4.10).
const NARROW: u32 = 320;

/// The WCAG levels axe checks: 2.0, 2.1 and 2.2 at A and AA.
const AXE_TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// With the page's JavaScript switched off, Chromium still runs scripts sent over
/// WebDriver and settles their promises, but never fires their timers, which
/// axe-core waits on. This shim, prepended to axe in that mode only, runs timer
/// and frame callbacks as microtasks instead. The page's own scripts stay off.
const TIMERS_AS_MICROTASKS: &str = "window.setTimeout = function (fn) { var args = Array.prototype.slice.call(arguments, 2); Promise.resolve().then(function () { fn.apply(null, args); }); return 0; };\
     window.clearTimeout = function () {};\
     window.requestAnimationFrame = function (fn) { Promise.resolve().then(function () { fn(0); }); return 0; };\
     window.requestIdleCallback = function (fn) { Promise.resolve().then(function () { fn({ didTimeout: false, timeRemaining: function () { return 50; } }); }); return 0; };\n";

/// Whether pages run their JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JavaScript {
    On,
    Off,
}

/// One browser session against one running portal.
/// How many browsers run at once across the test binary.
static BROWSER_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(3);

pub struct Browser {
    /// A place among the browsers allowed to run at once, held while this one runs.
    _slot: tokio::sync::SemaphorePermit<'static>,
    client: Client,
    driver: Child,
    base: String,
    axe: String,
    javascript: JavaScript,
    _profile: tempfile::TempDir,
    /// Every page axe checked, for the test's own assertions and output.
    pub checked: Vec<String>,
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

fn axe_source() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../frontend/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is not installed at {} ({e}): run `npm ci` in frontend/ (the README's test command does)",
            path.display()
        )
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_or_else(|e| panic!("no free port: {e}"), |a| a.port())
}

impl Browser {
    /// Starts Chromium for the portal at `addr`; `None` (with a note) when Chromium
    /// is not installed and browser tests are not required.
    pub async fn start(addr: SocketAddr, javascript: JavaScript) -> Option<Self> {
        if !(Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists()) {
            assert!(
                !required("browser"),
                "Chromium or ChromeDriver is missing but browser tests are required; \
                 run the test command in the README, which installs them"
            );
            eprintln!("NOT RUN: browser test (Chromium is not installed)");
            return None;
        }
        // Every Chromium shares two cores with the servers under test: a few at a
        // time keeps each page quick enough for axe's run to finish.
        let slot = BROWSER_SLOTS
            .acquire()
            .await
            .unwrap_or_else(|e| panic!("browser slots: {e}"));
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start chromedriver: {e}"));
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("profile folder: {e}"));
        let mut options = json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1024",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        });
        if javascript == JavaScript::Off {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".to_owned(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".to_owned(), options);
        // Two TLS back ends are linked (sqlx uses ring, the WebDriver client's HTTP
        // stack brings aws-lc); WebDriver is plain HTTP here, so either will do.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = ClientBuilder::rustls()
            .unwrap_or_else(|e| panic!("{e}"))
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("start a Chromium session: {e}"));
        // axe on a long page of a loaded machine can pass WebDriver's default 30
        // seconds for a script; a real failure is reported by axe, not by the clock.
        let patience = Duration::from_mins(3);
        client
            .update_timeouts(TimeoutConfiguration::new(
                Some(patience),
                Some(patience),
                Some(Duration::ZERO),
            ))
            .await
            .unwrap_or_else(|e| panic!("set WebDriver timeouts: {e}"));
        let set = client
            .get_timeouts()
            .await
            .unwrap_or_else(|e| panic!("read WebDriver timeouts: {e}"));
        assert_eq!(set.script(), Some(patience), "the script timeout is set");
        Some(Self {
            _slot: slot,
            client,
            driver,
            base: format!("http://{addr}"),
            axe: axe_source(),
            javascript,
            _profile: profile,
            checked: Vec::new(),
        })
    }

    /// Opens `path` and checks the page with axe.
    pub async fn visit(&mut self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
        self.check_accessibility().await;
    }

    /// Follows the link with this exact text and checks the page it leads to.
    pub async fn click_link(&mut self, text: &str) {
        let link = self
            .client
            .find(Locator::LinkText(text))
            .await
            .unwrap_or_else(|e| panic!("no link {text:?}: {e}"));
        self.mark_page().await;
        link.click()
            .await
            .unwrap_or_else(|e| panic!("click {text:?}: {e}"));
        self.wait_for_new_page().await;
        self.check_accessibility().await;
    }

    /// Marks the page now open, so that the page a click leads to can be told
    /// from it (a new document has a new `window`).
    async fn mark_page(&self) {
        self.run("window.sendPortalPageLeft = true; return null;")
            .await;
    }

    /// Waits until the marked page has been replaced by a new one that has
    /// loaded: a form's post and its redirect may still be on their way when
    /// WebDriver's click returns, and axe must check the page they lead to, not
    /// the one left. A click that leads nowhere goes on after 15 seconds.
    async fn wait_for_new_page(&self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let loaded = self
                .client
                .execute(
                    "return window.sendPortalPageLeft !== true && document.readyState === 'complete';",
                    vec![],
                )
                .await;
            // An error while the old document unloads means "not yet".
            if matches!(loaded, Ok(Value::Bool(true))) {
                return;
            }
            if Instant::now() > deadline {
                eprintln!("note: no new page within 15 seconds of the click");
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Types `value` into the form field called `name`.
    pub async fn fill(&self, name: &str, value: &str) {
        let field = self
            .client
            .find(Locator::Css(&format!("[name='{name}']")))
            .await
            .unwrap_or_else(|e| panic!("no field {name:?}: {e}"));
        field.clear().await.unwrap_or_else(|e| panic!("{e}"));
        field
            .send_keys(value)
            .await
            .unwrap_or_else(|e| panic!("type into {name:?}: {e}"));
    }

    /// Chooses the option with this value in the drop-down called `name`.
    pub async fn choose(&self, name: &str, value: &str) {
        self.client
            .find(Locator::Css(&format!("select[name='{name}']")))
            .await
            .unwrap_or_else(|e| panic!("no drop-down {name:?}: {e}"))
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("choose {value:?} in {name:?}: {e}"));
    }

    /// Puts the file at `path` into the file upload called `name`.
    pub async fn attach(&self, name: &str, path: &Path) {
        self.client
            .find(Locator::Css(&format!("input[type='file'][name='{name}']")))
            .await
            .unwrap_or_else(|e| panic!("no file upload {name:?}: {e}"))
            .send_keys(&path.display().to_string())
            .await
            .unwrap_or_else(|e| panic!("attach to {name:?}: {e}"));
    }

    /// Runs an asynchronous script; it calls its last argument with the result.
    pub async fn run_async(&self, script: &str) -> Value {
        self.client
            .execute_async(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// Presses the button with this exact text and checks the page it leads to.
    pub async fn press(&mut self, text: &str) {
        let button = self
            .client
            .find(Locator::XPath(&format!(
                "//button[normalize-space()='{text}']"
            )))
            .await
            .unwrap_or_else(|e| panic!("no button {text:?}: {e}"));
        self.mark_page().await;
        button
            .click()
            .await
            .unwrap_or_else(|e| panic!("press {text:?}: {e}"));
        self.wait_for_new_page().await;
        self.check_accessibility().await;
    }

    /// Follows the link that matches `css` and checks the page it leads to (for a
    /// link whose text alone does not name it).
    pub async fn follow(&mut self, css: &str) {
        let link = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no link {css:?}: {e}"));
        self.mark_page().await;
        link.click()
            .await
            .unwrap_or_else(|e| panic!("follow {css:?}: {e}"));
        self.wait_for_new_page().await;
        self.check_accessibility().await;
    }

    /// Clicks whatever matches `css` (a summary, a checkbox) without checking a new page.
    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css:?}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css:?}: {e}"));
    }

    /// Makes the window `width` by `height` CSS pixels (the page's viewport may be
    /// a little smaller: ask the page for `window.innerWidth`).
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .unwrap_or_else(|e| panic!("resize to {width}x{height}: {e}"));
    }

    /// The path of the page now open.
    pub async fn path(&self) -> String {
        self.current_path().await
    }

    pub async fn title(&self) -> String {
        self.client.title().await.unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn text_of(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css:?}: {e}"))
            .text()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Runs a script in the page (WebDriver runs it even when the page's own
    /// JavaScript is switched off).
    pub async fn run(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// Checks the current page as a person with a narrow screen or 400% zoom
    /// would meet it too: axe-core at the window's width, then at 320 CSS pixels
    /// wide, where the document must be no wider than the viewport (WCAG 2.2
    /// 1.4.10, reflow) and axe must pass again; then the window goes back to its
    /// width. Fails the test on any WCAG 2.2 A/AA violation, listing each with the
    /// elements it found, or on sideways scrolling, naming the page.
    pub async fn check_accessibility(&mut self) {
        let url = self.current_path().await;
        let (width, height) = self
            .client
            .get_window_size()
            .await
            .unwrap_or_else(|e| panic!("read the window's size on {url}: {e}"));
        let wide = width > u64::from(NARROW);
        if wide {
            self.assert_axe_passes(&url, width).await;
        }
        let (viewport, document) = self.widths_at_320().await;
        assert!(
            viewport <= u64::from(NARROW) + 20,
            "{url}: the viewport is about {NARROW} CSS pixels wide, not {viewport}"
        );
        assert!(
            document <= viewport,
            "{url} needs sideways scrolling at {NARROW} CSS pixels wide (WCAG 2.2 1.4.10): \
             the document is {document} pixels wide, the viewport {viewport}"
        );
        self.assert_axe_passes(&url, viewport).await;
        if wide {
            let height = u32::try_from(height).unwrap_or(1024);
            self.resize(u32::try_from(width).unwrap_or(1280), height)
                .await;
        }
        self.checked.push(url);
    }

    /// Makes the window 320 CSS pixels wide and measures the viewport
    /// (`innerWidth`) and the document (`scrollWidth`); the window stays narrow.
    pub async fn widths_at_320(&self) -> (u64, u64) {
        let (_, height) = self
            .client
            .get_window_size()
            .await
            .unwrap_or_else(|e| panic!("read the window's size: {e}"));
        self.resize(NARROW, u32::try_from(height).unwrap_or(1024))
            .await;
        let widths = self
            .run("return [window.innerWidth, document.documentElement.scrollWidth]")
            .await;
        (
            widths[0].as_u64().unwrap_or(u64::MAX),
            widths[1].as_u64().unwrap_or(u64::MAX),
        )
    }

    async fn assert_axe_passes(&self, url: &str, width: u64) {
        let violations = self.accessibility_violations().await;
        assert!(
            violations.is_empty(),
            "axe found accessibility violations on {url} at {width} pixels wide:\n{}",
            serde_json::to_string_pretty(&violations).unwrap_or_default()
        );
        eprintln!("axe: no WCAG 2.2 A/AA violations on {url} at {width} pixels wide");
    }

    async fn current_path(&self) -> String {
        self.client
            .current_url()
            .await
            .map_or_else(|_| "(unknown page)".to_owned(), |u| u.path().to_owned())
    }

    /// What axe-core finds on the current page: one JSON object per rule broken,
    /// with the rule's id and the elements that break it.
    pub async fn accessibility_violations(&self) -> Vec<Value> {
        let url = self.current_path().await;
        let shim = match self.javascript {
            JavaScript::On => "",
            JavaScript::Off => TIMERS_AS_MICROTASKS,
        };
        let script = format!(
            "{shim}{axe}\nconst done = arguments[arguments.length - 1];\
             axe.run(document, {{ runOnly: {{ type: 'tag', values: {tags} }}, resultTypes: ['violations'] }})\
               .then(r => done(JSON.stringify(r.violations.map(v => ({{ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) }})))))\
               .catch(e => done(JSON.stringify([{{ id: 'axe-error', help: String(e), nodes: [] }}])));",
            axe = self.axe,
            tags = json!(AXE_TAGS),
        );
        // ChromeDriver answers "script timeout" at once, well inside the session's
        // script timeout, when the page's document is replaced under a running
        // script (seen now and then just after a redirect): run axe again on the
        // settled page, a few times at most. Any other error, or a page that
        // never settles, fails the test.
        let mut attempts = 0;
        let result = loop {
            attempts += 1;
            match self.client.execute_async(&script, vec![]).await {
                Ok(result) => break result,
                Err(e) if attempts < 3 && e.to_string().contains("script timeout") => {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("axe did not run on {url} ({attempts} tries): {e}"),
            }
        };
        serde_json::from_str(result.as_str().unwrap_or("[]"))
            .unwrap_or_else(|e| panic!("axe result: {e}"))
    }

    /// Opens `path` without checking it (for testing the checker itself).
    pub async fn open_unchecked(&self, path: &str) {
        let url = format!("{}{path}", self.base);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
