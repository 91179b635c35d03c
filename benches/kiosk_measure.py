#!/usr/bin/env python3
"""Measure a terminal program the way a counter PC sees it, in a pseudo-terminal of 80x24.

Used by benches/run for the kiosk (`ruamjai kiosk`) and for `dialog --form` with the same Thai
labels. For each program it reports:
  - start to first frame: ms from spawn until the screen holds the expected text (SILENT_TERMINAL=1:
    on a terminal that never answers the kiosk's width probe);
  - RSS after settling (VmRSS from /proc), and CPU seconds used while idle for IDLE_SECS;
  - bytes written to the terminal for one Thai keystroke typed into a text field (median of several).

Prints one JSON object per program on stdout. Linux only (reads /proc). Never a test: CI times nothing.
"""

import json
import re
import unicodedata
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import fcntl
import time

IDLE_SECS = float(os.environ.get("IDLE_SECS", "60"))


def spawn(argv, env):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    return proc, master, t0


def read_for(master, secs):
    """Read everything the program writes for `secs` seconds."""
    out = b""
    end = time.perf_counter() + secs
    while True:
        left = end - time.perf_counter()
        if left <= 0:
            return out
        r, _, _ = select.select([master], [], [], left)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return out
            if not chunk:
                return out
            out += chunk
            reply_to_queries(master, chunk)


def reply_to_queries(master, chunk):
    """Answer each cursor-position request as xterm would: the row of the last cursor move and the
    column after the text written since it (combining marks take no cell, SARA AM takes one).
    With SILENT_TERMINAL=1, answer nothing, like a terminal that ignores the request."""
    if b"\x1b[6n" not in chunk or os.environ.get("SILENT_TERMINAL") == "1":
        return
    row = 1
    for before in chunk.split(b"\x1b[6n")[:-1]:
        text = before.decode("utf-8", "replace")
        moves = re.findall(r"\x1b\[(\d*);?\d*H", text)
        if moves:
            row = int(moves[-1] or 1)
        line = re.split(r"\r|\x1b\[\d*;?\d*H", text)[-1]
        line = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line)
        width = sum(1 for c in line if unicodedata.category(c) not in ("Mn", "Me", "Cc", "Cf"))
        os.write(master, f"\x1b[{row};{width + 1}R".encode())


def wait_for(master, needle, timeout=10.0):
    """Read until `needle` (bytes) has been written; returns (seconds, output)."""
    out = b""
    t0 = time.perf_counter()
    while needle not in out:
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"{needle!r} not seen; got {out[-300:]!r}")
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            chunk = os.read(master, 65536)
            out += chunk
            reply_to_queries(master, chunk)
    return time.perf_counter() - t0, out


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_secs(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick


def measure(name, argv, env, ready, prepare_keys, keystroke, idle_secs):
    proc, master, t0 = spawn(argv, env)
    try:
        t_ready, _ = wait_for(master, ready)
        first_frame_ms = (time.perf_counter() - t0) * 1000.0
        for k in prepare_keys:
            os.write(master, k)
            read_for(master, 0.3)
        read_for(master, 0.5)
        sizes = []
        for _ in range(7):
            os.write(master, keystroke)
            sizes.append(len(read_for(master, 0.25)))
        read_for(master, 1.0)
        rss = rss_kib(proc.pid)
        cpu0 = cpu_secs(proc.pid)
        read_for(master, idle_secs)
        cpu1 = cpu_secs(proc.pid)
        return {
            "name": name,
            "first_frame_ms": round(first_frame_ms, 1),
            "rss_kib": rss,
            "idle_cpu_secs": round(cpu1 - cpu0, 3),
            "idle_secs": idle_secs,
            "bytes_per_thai_keystroke": statistics.median(sizes),
            "bytes_samples": sizes,
        }
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        os.close(master)


def main():
    which = sys.argv[1]
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    if which == "ruamjai":
        binary, data_dir = sys.argv[2], sys.argv[3]
        env.pop("NO_COLOR", None)
        argv = [binary, "--data-dir", data_dir, "--lang", "th", "kiosk"]
        # Start of shift: type an operator name, Enter, the counter's PIN when it asks for one
        # (TYPE_PIN: as a clerk types it, so the kiosk gets no RUAMJAI_PIN), Enter, then the form
        # with the first name field.
        ready = os.environ.get("RUAMJAI_READY", "ruamjai").encode()
        pin = os.environ.get("TYPE_PIN")
        if pin:
            env.pop("RUAMJAI_PIN", None)
        prep = [b"somchai\r"] + ([pin.encode() + b"\r"] if pin else []) \
            + [b"\t"] * int(os.environ.get("RUAMJAI_TABS", "3"))
        result = measure("ruamjai", argv, env, ready, prep, "ก".encode(), IDLE_SECS)
    else:
        argv = ["dialog", "--form", "ลงทะเบียนรับวัคซีน", "20", "70", "12",
                "ชื่อ", "1", "1", "", "1", "20", "40", "0",
                "นามสกุล", "2", "1", "", "2", "20", "40", "0",
                "เลขประจำตัว", "3", "1", "", "3", "20", "40", "0",
                "โทรศัพท์", "4", "1", "", "4", "20", "40", "0"]
        result = measure("dialog", argv, env, "นามสกุล".encode(), [], "ก".encode(), IDLE_SECS)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
