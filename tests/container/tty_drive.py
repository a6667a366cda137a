#!/usr/bin/env python3
"""tty_drive.py - podman run -it with pxinit as PID 1 and an interactive
busybox sh as its main, driven through a real pseudo-terminal as a user at a
keyboard would: a background job, Ctrl-C of a foreground job (the shell
lives on), Ctrl-Z (the job stops, `jobs` lists it), and `exit 3` (the
container exits 3).

Usage: tty_drive.py PODMAN-COMMAND... (everything up to and including the
image name, with --name NAME; this script appends `sh -i`, and runs the same
podman command with `exec NAME` to look at the container's /proc). Every wait has a deadline; prints
one line per check, exits 1 on failure."""
import os, pty, select, signal, subprocess, sys, time

argv = sys.argv[1:] + ["sh", "-i"]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

buf = b""


def fail(msg):
    print("FAIL: " + msg)
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    sys.exit(1)


def ok(msg):
    print("ok: " + msg)


def read_until(marker, timeout=20.0):
    global buf
    deadline = time.monotonic() + timeout
    while marker.encode() not in buf:
        left = deadline - time.monotonic()
        if left <= 0:
            fail("timeout waiting for %r; got: %r" % (marker, buf[-600:]))
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if not data:
                fail("eof waiting for %r; got: %r" % (marker, buf[-600:]))
            buf += data
    i = buf.index(marker.encode()) + len(marker)
    out, buf = buf[:i].decode(errors="replace"), buf[i:]
    return out


def send(s):
    os.write(fd, s.encode())


def foreground(comm):
    """True when a process COMM leads its group and that group is the
    terminal's foreground (/proc/PID/stat: pid, comm, state, ppid, pgrp,
    session, tty, tpgid), seen with podman exec."""
    base = sys.argv[1:]
    i = base.index("run")
    name = base[base.index("--name") + 1]
    cmd = base[:i] + ["exec", name, "sh", "-c", "cat /proc/[0-9]*/stat"]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) > 7 and f[1] == "(%s)" % comm and f[0] == f[4] == f[7]:
            return True
    return False


def wait_foreground(comm, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not foreground(comm):
        if time.monotonic() > deadline:
            fail("%s never became the terminal's foreground group" % comm)
        time.sleep(0.1)


PROMPT = "PROMPT$ "
# The echo makes the prompt's text appear only once the shell runs it.
send("PS1='PROMPT''$ '\n")
read_until(PROMPT, timeout=60)
ok("interactive shell on the terminal")

send("tty; echo tty-done\n")
out = read_until("tty-done\r\n" + PROMPT)
if "/dev/pts/" not in out and "/dev/console" not in out:
    fail("the main has no terminal: %r" % out)
ok("the main has a terminal")

send("sleep 100 &\n")
read_until(PROMPT)
send("jobs\n")
out = read_until(PROMPT)
if "Running" not in out or "sleep 100" not in out:
    fail("jobs does not list the background sleep as running: %r" % out)
ok("background job: jobs lists it as running")

# The key is pressed once the job runs in the terminal's foreground group.
# (A Ctrl-C sent the very moment the child printed its first line was lost
# here under podman -it, not under tests/e2e/tty.sh: a person is not that fast.)
send("sh -c 'echo fg-started; exec sleep 50'\n")
read_until("fg-started")
wait_foreground("sleep")
t0 = time.monotonic()
send("\x03")
read_until(PROMPT, timeout=10)
send("echo alive $((6*7))\n")
read_until("alive 42")
read_until(PROMPT)
ok("Ctrl-C ended the foreground job in %.1fs, the shell lives on" % (time.monotonic() - t0))

send("sh -c 'echo z-started; exec sleep 60'\n")
read_until("z-started")
wait_foreground("sleep")
send("\x1a")
out = read_until(PROMPT, timeout=10)
send("jobs\n")
out += read_until(PROMPT)
if "Stopped" not in out:
    fail("Ctrl-Z did not stop the job: %r" % out)
ok("Ctrl-Z stopped the foreground job, jobs lists it")

send("kill -9 %1 %2; wait; echo killed-all\n")
read_until("killed-all\r\n")
read_until(PROMPT)
send("exit 3\n")
deadline = time.monotonic() + 30
while True:
    r, _, _ = select.select([fd], [], [], max(0, deadline - time.monotonic()))
    if not r:
        fail("podman did not exit after the shell's exit; got: %r" % buf[-600:])
    try:
        data = os.read(fd, 4096)
    except OSError:
        data = b""
    if not data:
        break
    buf += data
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
if code != 3:
    fail("podman run -it exited %d, want the shell's 3; output: %r" % (code, buf[-600:]))
ok("exit 3 at the prompt: podman run -it exits 3")
