//! A real browser for the tests: Debian's headless Chromium driven over the `DevTools` protocol on
//! `--remote-debugging-pipe` (JSON messages ended by a NUL byte, on the child's file descriptors 3
//! and 4, which `sh` hands it from our pipes), so the driver is plain Rust with `serde_json`: no
//! `WebSocket`, no `WebDriver`, no Node.
//!
//! Chromium starts with the flags this machine's closed network needs (no background
//! networking, no component updates, no sync, no QUIC) and a new profile directory of its own.
//! Every wait is bounded; a browser that does not answer fails the test.

#![allow(dead_code)]

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

/// How long one command may take to be answered.
const ANSWER_WITHIN: Duration = Duration::from_secs(30);

/// A headless Chromium and one page in it.
pub struct Browser {
    child: Child,
    to: ChildStdin,
    from: Receiver<Value>,
    next_id: u64,
    session: String,
    profile: tempfile::TempDir,
}

/// Whether Debian's `chromium` is on this machine.
pub fn available() -> bool {
    Command::new("chromium")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl Browser {
    /// Starts Chromium with one blank page `width`×`height`; `None` when there is no `chromium`.
    pub fn start(width: u32, height: u32) -> Option<Browser> {
        if !available() {
            return None;
        }
        let profile = tempfile::tempdir().unwrap();
        let log = profile.path().join("chromium.log");
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(
                "exec chromium --headless --no-sandbox --disable-gpu --disable-quic \
                 --no-first-run --disable-background-networking --disable-component-update \
                 --disable-sync --user-data-dir=\"$1\" --remote-debugging-pipe \
                 --window-size=\"$3\" about:blank 3<&0 4>&1 </dev/null >/dev/null 2>\"$2\"",
            )
            .arg("chromium")
            .arg(profile.path())
            .arg(&log)
            .arg(format!("{width},{height}"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("sh starts chromium");
        let to = child.stdin.take().unwrap();
        let out = child.stdout.take().unwrap();
        let (tx, from) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(out);
            loop {
                let mut msg = Vec::new();
                match r.read_until(0, &mut msg) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                msg.pop();
                if let Ok(v) = serde_json::from_slice::<Value>(&msg)
                    && tx.send(v).is_err()
                {
                    return;
                }
            }
        });
        let mut b = Browser {
            child,
            to,
            from,
            next_id: 0,
            session: String::new(),
            profile,
        };
        let target = b.call("Target.createTarget", json!({"url": "about:blank"}));
        let id = target["targetId"].as_str().expect("a target").to_owned();
        let attached = b.call(
            "Target.attachToTarget",
            json!({"targetId": id, "flatten": true}),
        );
        attached["sessionId"]
            .as_str()
            .expect("a session")
            .clone_into(&mut b.session);
        b.page("Page.enable", json!({}));
        b.resize(width, height);
        Some(b)
    }

    fn send(
        &mut self,
        method: &str,
        params: Value,
        session: Option<&str>,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method});
        msg["params"] = params;
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.to.write_all(&bytes).expect("chromium takes commands");
        self.to.flush().unwrap();
        let until = Instant::now() + ANSWER_WITHIN;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.from.recv_timeout(left) {
                Ok(v) if v["id"] == json!(id) => {
                    return match v.get("error") {
                        None => Ok(v["result"].clone()),
                        Some(e) => Err(format!("{method}: {e}")),
                    };
                }
                Ok(_) => {} // an event
                Err(RecvTimeoutError::Timeout) => panic!(
                    "chromium did not answer {method} within {ANSWER_WITHIN:?}; its log:\n{}",
                    self.log()
                ),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("chromium ended during {method}; its log:\n{}", self.log())
                }
            }
        }
    }

    /// The end of what Chromium wrote to its standard error, for a failure's message.
    fn log(&self) -> String {
        let text = std::fs::read_to_string(self.profile.path().join("chromium.log"))
            .unwrap_or_else(|e| format!("(no log: {e})"));
        let start = text.len().saturating_sub(4000);
        let start = (start..text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
        text[start..].to_owned()
    }

    /// A browser-wide command.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, None)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// A command to the page.
    pub fn page(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.send(method, params, Some(&session))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The value of `expression`, or `None` while there is none to be had (the page is being
    /// replaced by another, the expression failed): for waiting on a condition.
    pub fn peek(&mut self, expression: &str) -> Option<Value> {
        let session = self.session.clone();
        let r = self
            .send(
                "Runtime.evaluate",
                json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
                Some(&session),
            )
            .ok()?;
        r.get("exceptionDetails")
            .is_none()
            .then(|| r["result"]["value"].clone())
    }

    /// The viewport: `width`×`height` CSS pixels.
    pub fn resize(&mut self, width: u32, height: u32) {
        self.page(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1,
                   "mobile": width < 600}),
        );
    }

    /// The value of JavaScript `expression` in the page (awaited when it is a promise).
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.page(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(
            r.get("exceptionDetails").is_none(),
            "{expression}: {}",
            r["exceptionDetails"]
        );
        r["result"]["value"].clone()
    }

    /// Goes to `url` and waits for the page to have loaded.
    pub fn goto(&mut self, url: &str) {
        self.page("Page.navigate", json!({"url": url}));
        self.wait_loaded();
    }

    /// Waits until the page's document has loaded (after a navigation or a form's post).
    pub fn wait_loaded(&mut self) {
        self.wait_for("the page to load", |b| {
            b.peek("document.readyState === 'complete' && location.href !== 'about:blank'")
                == Some(json!(true))
        });
    }

    /// Types `text` as a person would, into whatever has the focus.
    pub fn type_text(&mut self, text: &str) {
        self.page("Input.insertText", json!({"text": text}));
    }

    /// Clicks the middle of the first element `selector` finds, with the mouse.
    pub fn click(&mut self, selector: &str) {
        let at = self.eval(&format!(
            "(() => {{ const r = document.querySelector({}).getBoundingClientRect();
                       return [r.x + r.width / 2, r.y + r.height / 2]; }})()",
            json!(selector)
        ));
        let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
        for kind in ["mousePressed", "mouseReleased"] {
            self.page(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            );
        }
    }

    /// What a person sees of the page: its rendered text (empty while a page is being replaced).
    pub fn text(&mut self) -> String {
        self.peek("document.body ? document.body.innerText : ''")
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Waits (at most 30 s, checking every 100 ms) until `ok` holds.
    pub fn wait_for(&mut self, what: &str, mut ok: impl FnMut(&mut Browser) -> bool) {
        let until = Instant::now() + Duration::from_secs(30);
        while !ok(self) {
            if Instant::now() >= until {
                let at = self.peek("location.href");
                panic!("waited 30 s for {what}; at {at:?}:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A PNG of the whole page.
    pub fn screenshot(&mut self) -> Vec<u8> {
        let shot = self.page(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("image data"))
            .expect("base64")
    }
}

impl Drop for Browser {
    /// Asks Chromium to close (it ends its helper processes itself), then kills it if it has not
    /// within five seconds.
    fn drop(&mut self) {
        let _ = self
            .to
            .write_all(b"{\"id\":0,\"method\":\"Browser.close\"}\0");
        let _ = self.to.flush();
        let until = Instant::now() + Duration::from_secs(5);
        while Instant::now() < until {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
