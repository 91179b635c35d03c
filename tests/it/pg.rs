//! A real PostgreSQL for the tests, started by the tests themselves: the Debian `postgresql`
//! package's `initdb` and `pg_ctl` on a temporary directory and a free loopback port, one
//! cluster per test binary, one database per test hub.
//!
//! PostgreSQL refuses to run as root, so as root the cluster runs as the package's `postgres`
//! user (through `runuser`). A watchdog process stops the cluster and removes its directory when
//! the test binary exits, however it exits. Where no PostgreSQL is found the PostgreSQL tests say
//! so loudly, and under `CI=true` they fail (`.ci/run` installs the package).
//!
//! The cluster runs with `fsync=off`: the tests kill hub processes, never the database, and
//! must stay quick. The benchmarks start their own cluster with the defaults.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// A running test cluster.
pub struct Cluster {
    pub port: u16,
    bin: PathBuf,
    data: PathBuf,
    as_postgres: bool,
}

/// The directory holding `initdb` and `pg_ctl`: the newest under `/usr/lib/postgresql`, else
/// wherever `PATH` finds `pg_ctl`.
pub fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Some(bin);
    }
    let found = Command::new("sh")
        .args(["-c", "command -v pg_ctl"])
        .output()
        .ok()?;
    let path = String::from_utf8_lossy(&found.stdout).trim().to_owned();
    (!path.is_empty())
        .then(|| Path::new(&path).parent().map(Path::to_path_buf))
        .flatten()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl Cluster {
    /// A command of the cluster's binaries, as the user that owns the cluster.
    fn tool(&self, name: &str) -> Command {
        tool(&self.bin, self.as_postgres, name)
    }

    /// The URL of database `name` in this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://ruamjai@127.0.0.1:{}/{name}", self.port)
    }

    /// Runs SQL on database `db` with psql; its output (unaligned, tuples only).
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "ruamjai",
                "-d",
                db,
            ])
            .args(["-c", sql])
            .output()
            .expect("psql runs");
        assert!(
            out.status.success(),
            "psql {sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// A new empty database; its URL.
    pub fn database(&self, tag: &str) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let tag: String = tag
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(24)
            .collect::<String>()
            .to_ascii_lowercase();
        let name = format!(
            "t{}_{}_{tag}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
        self.url(&name)
    }

    /// Drops the database of `url` (its connections are closed first).
    pub fn drop_database(&self, url: &str) {
        if let Some(name) = url.rsplit('/').next() {
            self.psql(
                "postgres",
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

fn tool(bin: &Path, as_postgres: bool, name: &str) -> Command {
    if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(name));
        c
    } else {
        Command::new(bin.join(name))
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Starts a cluster; `durable` keeps PostgreSQL's defaults (`fsync=on`), for the benchmarks.
pub fn start(durable: bool) -> Result<Cluster, String> {
    start_named("", durable)
}

/// A fresh directory for a cluster (`tag` tells clusters of one test binary apart), owned by
/// the user the cluster runs as.
fn cluster_dir(tag: &str, as_postgres: bool) -> Result<PathBuf, String> {
    let base = std::env::temp_dir().join(format!("ruamjai-pg-{}{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).map_err(|e| e.to_string())?;
    if as_postgres {
        let owned = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&base)
            .status()
            .map_err(|e| e.to_string())?;
        if !owned.success() {
            return Err("running as root and there is no postgres user to own the cluster".into());
        }
    }
    Ok(base)
}

/// A cluster of its own (`tag`: a word to tell it from the shared one), for a test that
/// stops, promotes or replicates it.
pub fn start_named(tag: &str, durable: bool) -> Result<Cluster, String> {
    let bin =
        bin_dir().ok_or("no PostgreSQL server (initdb, pg_ctl): install Debian's postgresql")?;
    let as_postgres = is_root();
    let base = cluster_dir(tag, as_postgres)?;
    let data = base.join("data");
    let init = tool(&bin, as_postgres, "initdb")
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            "ruamjai",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        ])
        .output()
        .map_err(|e| format!("initdb: {e}"))?;
    if !init.status.success() {
        return Err(format!("initdb: {}", String::from_utf8_lossy(&init.stderr)));
    }
    run_cluster(bin, &base, as_postgres, durable)
}

/// Starts the cluster in `base`/data on a free port, with a watchdog that stops it and removes
/// `base` when the test binary is gone.
fn run_cluster(
    bin: PathBuf,
    base: &Path,
    as_postgres: bool,
    durable: bool,
) -> Result<Cluster, String> {
    let data = base.join("data");
    let port = free_port();
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync={} -c max_connections=300",
        base.display(),
        if durable { "on" } else { "off" }
    );
    let started = tool(&bin, as_postgres, "pg_ctl")
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(base.join("server.log"))
        .args(["-o", &options, "-w", "-t", "60", "start"])
        .output()
        .map_err(|e| format!("pg_ctl: {e}"))?;
    if !started.status.success() {
        let log = std::fs::read_to_string(base.join("server.log")).unwrap_or_default();
        return Err(format!(
            "pg_ctl start: {}{log}",
            String::from_utf8_lossy(&started.stderr)
        ));
    }
    // The watchdog outlives this process by design: it stops the cluster when we are gone.
    let stop = format!(
        "{} -D {} stop -m immediate",
        if as_postgres {
            format!("runuser -u postgres -- {}", bin.join("pg_ctl").display())
        } else {
            bin.join("pg_ctl").display().to_string()
        },
        data.display()
    );
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf {base}",
        pid = std::process::id(),
        base = base.display()
    );
    Command::new("setsid")
        .args(["sh", "-c", &script])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("watchdog: {e}"))?;
    Ok(Cluster {
        port,
        bin,
        data,
        as_postgres,
    })
}

impl Cluster {
    /// A hot standby of this cluster (`pg_basebackup -R`, streaming), running on its own port.
    pub fn standby(&self, tag: &str) -> Result<Cluster, String> {
        let base = cluster_dir(tag, self.as_postgres)?;
        let copied = self
            .tool("pg_basebackup")
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "ruamjai",
            ])
            .arg("-D")
            .arg(base.join("data"))
            .args(["-R", "-X", "stream", "--no-sync", "--checkpoint=fast"])
            .output()
            .map_err(|e| format!("pg_basebackup: {e}"))?;
        if !copied.status.success() {
            return Err(format!(
                "pg_basebackup: {}",
                String::from_utf8_lossy(&copied.stderr)
            ));
        }
        run_cluster(self.bin.clone(), &base, self.as_postgres, false)
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<(), String> {
        let out = self
            .tool("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(args)
            .output()
            .map_err(|e| format!("pg_ctl: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "pg_ctl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Stops at once, as a crash would (`-m immediate`).
    pub fn kill(&self) -> Result<(), String> {
        self.pg_ctl(&["stop", "-m", "immediate", "-w"])
    }

    /// Starts again after `kill`, on the same port.
    pub fn restart(&self) -> Result<(), String> {
        let base = self
            .data
            .parent()
            .unwrap_or(&self.data)
            .display()
            .to_string();
        let options = format!(
            "-p {} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
            self.port
        );
        let log = format!("{base}/server.log");
        self.pg_ctl(&["-l", &log, "-o", &options, "-w", "-t", "60", "start"])
    }

    /// Promotes a standby to a primary (a new timeline).
    pub fn promote(&self) -> Result<(), String> {
        self.pg_ctl(&["promote", "-w", "-t", "60"])
    }
}

/// The test binary's cluster, started on first use; `None` (said loudly, a failure under
/// `CI=true`) when there is no PostgreSQL.
pub fn cluster() -> Option<&'static Cluster> {
    static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
    match CLUSTER.get_or_init(|| start(false)) {
        Ok(c) => Some(c),
        Err(why) => {
            crate::support::missing(&format!("PostgreSQL for the hub's PostgreSQL tests: {why}"));
            None
        }
    }
}
