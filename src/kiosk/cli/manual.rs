//! `ruamjai completions SHELL` and `ruamjai man [--dir DIR]`: shell completions and manual pages,
//! both generated from the same clap definitions `main.rs` parses with, so they cannot drift from
//! the real flags. They need no configuration and touch no queue.

use std::io::Write;
use std::path::Path;

use clap_complete::Shell;

/// Why the manual pages could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ManualError {
    #[error(transparent)]
    Write(#[from] std::io::Error),
    #[error("cannot create {}", dir.display())]
    CreateDir {
        dir: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the manual pages into {}", dir.display())]
    WritePages {
        dir: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// Writes the completion script for `shell` to `out`. The script is built in memory first:
/// `clap_complete` panics when its writer fails (`ruamjai completions bash | head`).
pub fn completions(
    mut cmd: clap::Command,
    shell: Shell,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let name = cmd.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut script);
    match out.write_all(&script).and_then(|()| out.flush()) {
        // A reader that stopped early (`| head`) is not an error worth a message.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e),
        _ => Ok(()),
    }
}

/// Writes `ruamjai.1` to `out`, or with `dir` one page per command into that directory
/// (`ruamjai.1`, `ruamjai-hub.1`, `ruamjai-hub-serve.1`, …); returns how many pages were written.
pub fn man(
    cmd: clap::Command,
    dir: Option<&Path>,
    out: &mut dyn Write,
) -> Result<usize, ManualError> {
    let Some(dir) = dir else {
        clap_mangen::Man::new(cmd).render(out)?;
        return Ok(1);
    };
    std::fs::create_dir_all(dir).map_err(|source| ManualError::CreateDir {
        dir: dir.to_owned(),
        source,
    })?;
    let pages = page_count(&cmd);
    clap_mangen::generate_to(cmd, dir).map_err(|source| ManualError::WritePages {
        dir: dir.to_owned(),
        source,
    })?;
    Ok(pages)
}

/// One page for the command and one for each visible subcommand, at every depth.
fn page_count(cmd: &clap::Command) -> usize {
    1 + cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
        .map(page_count)
        .sum::<usize>()
}
