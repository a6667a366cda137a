#!/usr/bin/env python3
"""review_follow_flood.py - a follower (`logs -f`, `journal -f`) that sends
more than a request's worth of bytes while it follows.

    review_follow_flood.py SOCKET REQUEST SECONDS

Sends REQUEST, reads its first reply line, then sends 6000 bytes with no
newline. Prints "closed" when the daemon closes the connection within
SECONDS, "open" when it is still open then (exit 0 either way; 5 when it
cannot connect or no reply line came).
"""
import socket
import sys
import time

path, req, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(path)
except OSError as e:
    sys.stderr.write("connect %s: %s\n" % (path, e))
    sys.exit(5)
s.sendall(req.encode() + b"\n")
s.settimeout(5)
try:
    if b"\n" not in s.recv(65536):
        sys.exit(5)
except socket.timeout:
    sys.exit(5)
try:
    s.sendall(b"x" * 6000)
except OSError:
    print("closed")
    sys.exit(0)
deadline = time.monotonic() + limit
while True:
    left = deadline - time.monotonic()
    if left <= 0:
        print("open")
        sys.exit(0)
    s.settimeout(left)
    try:
        data = s.recv(65536)
    except socket.timeout:
        continue
    except OSError:
        print("closed")
        sys.exit(0)
    if not data:
        print("closed")
        sys.exit(0)
