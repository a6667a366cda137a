#!/usr/bin/env python3
"""journal_req.py - sends one raw request line to pxinit's control socket and
prints the reply lines as they come.

    journal_req.py SOCKET REQUEST [SECONDS [TEXT ONFILE GOFILE]]

Stops at `end N` (exit 0), after SECONDS (default 5) of waiting (exit 3),
or when the daemon closes (exit 4). With SECONDS, a follow (-f) can be read
for that long: it prints what came and exits 3.
With TEXT ONFILE GOFILE, a slow reader: once a line holding TEXT came, it
creates ONFILE and reads nothing more until GOFILE exists (SECONDS counts
from then), then reads to the end, printing nothing more.
"""
import os
import socket
import sys
import time

path, req = sys.argv[1], sys.argv[2]
limit = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
stall = sys.argv[4:7] if len(sys.argv) > 6 else None
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
for attempt in range(50):
    try:
        s.connect(path)
        break
    except ConnectionRefusedError as e:
        sys.stderr.write("journal_req: connect %s: %s (attempt %d)\n" % (path, e, attempt))
        time.sleep(0.1)
else:
    sys.exit(5)
s.sendall(req.encode() + b"\n")
deadline = time.monotonic() + limit
buf = b""
out = sys.stdout.buffer
while True:
    left = deadline - time.monotonic()
    if left <= 0:
        sys.exit(3)
    s.settimeout(left)
    try:
        data = s.recv(65536)
    except socket.timeout:
        sys.exit(3)
    if not data:
        sys.exit(4)
    buf += data
    while b"\n" in buf:
        line, buf = buf.split(b"\n", 1)
        if stall == "done":
            continue
        out.write(line + b"\n")
        out.flush()
        if line.startswith(b"end "):
            sys.exit(0)
        if stall and stall[0].encode() in line:
            open(stall[1], "w").close()
            give_up = time.monotonic() + 120  # the test may have failed
            while not os.path.exists(stall[2]):
                if time.monotonic() > give_up:
                    sys.exit(6)
                time.sleep(0.02)
            stall = "done"
            buf = b""
            deadline = time.monotonic() + limit
