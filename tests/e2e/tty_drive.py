#!/usr/bin/env python3
"""tty_drive.py - runs pxinit -- sh -i on a fresh pseudo-terminal and checks
that the shell owns the terminal and has job control.

Usage: tty_drive.py MODE RUNTIME_DIR PXINIT
MODE "leader": pxinit is PID 1 *and* the terminal's session leader, as in
docker run -it (setsid -c makes it so inside the namespace).
MODE "shell": pxinit is started from a session someone else leads (an
interactive shell), the way a developer runs it.
Every wait has a deadline; prints one line per check, exits 1 on failure."""
import os, pty, select, sys, time, signal

mode, rundir, pxinit = sys.argv[1:4]
argv = ["unshare", "--pid", "--fork", "--mount-proc"]
if mode == "leader":
    argv += ["setsid", "-c"]
argv += [pxinit, "-R", rundir, "--no-units"] + (["-v"] if os.environ.get("TTY_VERBOSE") else []) + ["--", "sh", "-i"]

pid, fd = pty.fork()
if pid == 0:
    os.environ["PS1"] = "PROMPT$ "
    os.environ["ENV"] = ""
    os.execvp(argv[0], argv)

buf = b""

def read_until(marker, timeout=10.0):
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

def fail(msg):
    print("FAIL: " + msg)
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
    sys.exit(1)

def ok(msg):
    print("ok: " + msg)

read_until("PROMPT$ ")
# Who owns the terminal: the shell is in the foreground of its terminal.
send('echo "IDS $$ $(ps -o sid=,pgid=,tpgid= -p $$) $(tty) END"\n')
out = read_until(" END\r\n")
line = [l for l in out.splitlines() if l.startswith("IDS ")][-1].split()
shpid, sid, pgid, tpgid, tty = line[1:6]
if not tty.startswith("/dev/pts/"):
    fail("main has no terminal: %s" % tty)
if tpgid != pgid or pgid != shpid:
    fail("main's group %s is not the foreground %s (pid %s)" % (pgid, tpgid, shpid))
if mode == "leader" and sid != shpid:
    fail("main (pid %s) does not lead its session (sid %s)" % (shpid, sid))
ok("%s: main owns the terminal (pid %s sid %s fg %s)" % (mode, shpid, sid, tpgid))
read_until("PROMPT$ ")

# Job control: a background job, a foreground job stopped with Ctrl-Z.
send("sleep 100 &\n")
read_until("PROMPT$ ")
send("sleep 200\n")
time.sleep(0.3)  # let sleep become the foreground job; Ctrl-Z earlier only hits the shell
send("\x1a")
read_until("PROMPT$ ")
send("jobs; echo JOBS-END\n")
out = read_until("JOBS-END\r\n")
out += read_until("PROMPT$ ")
if "Stopped" not in out or "Running" not in out:
    fail("jobs does not show a stopped and a running job: %r" % out)
ok("%s: Ctrl-Z stopped the foreground job, the shell took the terminal back" % mode)

# Ctrl-C reaches the foreground job, not the shell or pxinit.
send("sleep 300; echo AFTER-INT\n")
time.sleep(0.3)
send("\x03")
read_until("PROMPT$ ")
send("kill -9 %1 %2; wait; echo ALIVE\n")
read_until("ALIVE\r\n")
ok("%s: Ctrl-C interrupted the foreground job only" % mode)
read_until("PROMPT$ ")
send("exit 7\n")

deadline = time.monotonic() + 15
resent = False
while True:
    # dash updates its job table lazily: a second exit always leaves.
    if not resent and b"stopped jobs" in buf:
        send("exit 7\n")
        resent = True
    r, status = os.waitpid(pid, os.WNOHANG)
    if r == pid:
        break
    if time.monotonic() > deadline:
        fail("pxinit did not exit after the shell did; output: %r" % buf[-600:])
    try:  # drain, or a full pty could block the writer
        if select.select([fd], [], [], 0.05)[0]:
            buf += os.read(fd, 4096)
    except OSError:
        pass
code = os.waitstatus_to_exitcode(status)
if code != 7:
    fail("exit status %d, want 7" % code)
ok("%s: pxinit exited with the shell's status" % mode)
