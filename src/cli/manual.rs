//! `ruamjai completions SHELL` and `ruamjai man [--dir DIR]`: shell completions and manual pages,
//! both generated from the same clap definitions `main.rs` parses with, so they cannot drift from
//! the real flags. They need no configuration and touch no queue.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use clap_complete::Shell;

/// Writes the completion script for `shell` to `out`. The script is built in memory first:
/// `clap_complete` panics when its writer fails (`ruamjai completions bash | head`).
pub fn completions(
    mut cmd: clap::Command,
    shell: Shell,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let name = cmd.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut script);
    match out.write_all(&script).and_then(|()| out.flush()) {
        // A reader that stopped early (`| head`) is not an error worth a message.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Writes `ruamjai.1` to `out`, or with `dir` one page per command into that directory
/// (`ruamjai.1`, `ruamjai-hub.1`, `ruamjai-hub-serve.1`, …); returns how many pages were written.
pub fn man(cmd: clap::Command, dir: Option<&Path>, out: &mut dyn Write) -> anyhow::Result<usize> {
    let Some(dir) = dir else {
        clap_mangen::Man::new(cmd).render(out)?;
        return Ok(1);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let pages = page_count(&cmd);
    clap_mangen::generate_to(cmd, dir)
        .with_context(|| format!("cannot write the manual pages into {}", dir.display()))?;
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
