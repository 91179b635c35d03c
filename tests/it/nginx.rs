//! A real nginx for the tests (Debian's `nginx` package): started as a foreground child process
//! (`nginx -c FILE -g 'daemon off;'`) on a configuration written to a temporary directory that
//! also holds its pid file, logs and temporary files, listening on 127.0.0.1 only, on a free
//! port; stopped (SIGTERM, then SIGKILL) when dropped. Where there is no nginx the tests that need one say so loudly, and
//! under `CI=true` they fail (`.ci/run` installs the package).

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running nginx.
pub struct Nginx {
    child: Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

/// The nginx binary: on `PATH`, else Debian's `/usr/sbin/nginx`.
pub fn binary() -> Option<PathBuf> {
    let runs = |p: &PathBuf| {
        Command::new(p)
            .arg("-v")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    [PathBuf::from("nginx"), PathBuf::from("/usr/sbin/nginx")]
        .into_iter()
        .find(runs)
}

/// A free loopback port (free when asked: nginx binds it a moment later).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl Nginx {
    /// Starts nginx with `http` (upstreams, servers) inside its `http { … }` block, every
    /// server of it listening on `127.0.0.1:{port}` (written `LISTEN` in `http`); `None`, said
    /// loudly (a failure under `CI=true`), when there is no nginx.
    pub fn start(port: u16, http: &str) -> Option<Nginx> {
        let Some(bin) = binary() else {
            crate::support::missing("nginx (Debian's package; .ci/run installs it)");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        // As root, nginx's workers would run as www-data, who may not enter this directory.
        let user = if is_root() { "user root root;" } else { "" };
        let conf = format!(
            "{user}
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 256; }}
http {{
    log_format upstreams '$request_method $uri $status $upstream_addr';
    access_log {d}/access.log upstreams;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
{}
}}
",
            http.replace("LISTEN", &format!("127.0.0.1:{port}"))
        );
        let file = dir.path().join("nginx.conf");
        std::fs::write(&file, conf).unwrap();
        let child = Command::new(bin)
            .arg("-p")
            .arg(dir.path())
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .arg("-c")
            .arg(&file)
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts");
        let mut n = Nginx { child, port, dir };
        let until = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = n.child.try_wait() {
                panic!("nginx exited ({status}):\n{}", n.error_log());
            }
            assert!(
                Instant::now() < until,
                "nginx did not listen within 10 s:\n{}",
                n.error_log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(n)
    }

    /// The access log: one `METHOD URI STATUS UPSTREAM` line per request.
    pub fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("access.log")).unwrap_or_default()
    }

    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Nginx {
    /// SIGTERM (the master stops its workers and exits), then SIGKILL if it has not within five
    /// seconds.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
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
