#!/usr/bin/env python3
"""sock_client.py - the clients of the socket-unit end-to-end tests.

An address is HOST:PORT, [V6]:PORT, an absolute path or @abstract.
  freeport [N]              N free TCP ports of 127.0.0.1, one a line
  banner ADDR [TYPE]        connect (TYPE stream or seqpacket), print the
                            first line; exit 2 refused, 3 EOF, 4 timeout
  echo ADDR TEXT [MODE]     read the banner (none with MODE skip or slow;
                            slow waits 0.5s), send TEXT, read it back, then
                            EOF both ways; exit 0 on a match
  dgram PATH TEXT SELF      a unix datagram from SELF (a path), print the reply
  loop ADDR STOPFILE OUT    connect and read a banner again and again until
                            STOPFILE exists; OUT gets served=, refused=,
                            failed=, pids= (the pids seen in banners)
  hold ADDR N DIR           N connections in turn, DIR/conn.I gets the first
                            line of each (or EOF, refused, timeout); all are
                            closed once DIR/release exists
  many ADDR N               N connections one after another, each read to
                            its banner; print how many got one
  flood ADDR N              N connections at once that send nothing, held
                            1s, then dropped; print how many connected
  jsonkey KEY               stdin is JSON: print every value whose key
                            holds KEY (case-insensitive), one a line
"""
import errno
import os
import socket
import sys
import time

TIMEOUT = 10.0


def sockaddr(addr):
    if addr.startswith("/"):
        return socket.AF_UNIX, addr
    if addr.startswith("@"):
        return socket.AF_UNIX, "\0" + addr[1:]
    host, _, port = addr.rpartition(":")
    if host.startswith("["):
        return socket.AF_INET6, (host[1:-1], int(port))
    return socket.AF_INET, (host, int(port))


def connect(addr, kind=socket.SOCK_STREAM):
    family, sa = sockaddr(addr)
    s = socket.socket(family, kind)
    s.settimeout(TIMEOUT)
    s.connect(sa)
    return s


def read_line(s):
    """The first line (or packet) the peer sends; '' on EOF."""
    data = b""
    while not data.endswith(b"\n"):
        try:
            chunk = s.recv(4096)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
        if s.type == socket.SOCK_SEQPACKET:
            break
    return data.decode(errors="replace").rstrip("\n")


def cmd_freeport(n=1):
    socks = []
    for _ in range(int(n)):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    for s in socks:
        print(s.getsockname()[1])


def cmd_banner(addr, kind="stream"):
    t = socket.SOCK_SEQPACKET if kind == "seqpacket" else socket.SOCK_STREAM
    try:
        s = connect(addr, t)
        line = read_line(s)
    except ConnectionRefusedError:
        print("refused")
        return 2
    except socket.timeout:
        print("timeout")
        return 4
    except OSError as e:
        print("error %s" % e)
        return 5
    if not line:
        print("EOF")
        return 3
    print(line)
    return 0


def cmd_echo(addr, text, mode=""):
    s = connect(addr)
    banner = "" if mode else read_line(s)
    if mode == "slow":
        time.sleep(0.5)
    s.sendall(text.encode() + b"\n")
    back = read_line(s)
    s.shutdown(socket.SHUT_WR)
    rest = s.recv(4096)
    print(banner)
    print(back)
    if back != text:
        return 1
    return 0 if rest == b"" else 1


def cmd_dgram(path, text, self_path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if os.path.exists(self_path):
        os.unlink(self_path)
    s.bind(self_path)
    s.settimeout(TIMEOUT)
    s.sendto(text.encode(), path)
    try:
        print(s.recv(4096).decode())
    except socket.timeout:
        print("timeout")
        return 4
    return 0


def cmd_loop(addr, stopfile, out):
    served = refused = failed = 0
    pids = set()
    errors = []
    while not os.path.exists(stopfile):
        try:
            s = connect(addr)
            line = read_line(s)
            s.close()
            if line.startswith("pxtest "):
                served += 1
                pids.add(line.split()[1])
            else:
                failed += 1
                errors.append("line %r" % line)
        except ConnectionRefusedError:
            refused += 1
        except OSError as e:
            failed += 1
            errors.append(str(e))
        with open(out + ".tmp", "w") as f:
            f.write("served=%d\nrefused=%d\nfailed=%d\npids=%s\nerrors=%s\n"
                    % (served, refused, failed, " ".join(sorted(pids)), "; ".join(errors[:5])))
        os.rename(out + ".tmp", out)
    return 0


def cmd_hold(addr, n, d):
    held = []
    for i in range(1, int(n) + 1):
        try:
            s = connect(addr)
            held.append(s)
            line = read_line(s) or "EOF"
        except ConnectionRefusedError:
            line = "refused"
        except socket.timeout:
            line = "timeout"
        except OSError as e:
            line = "error %s" % e
        with open("%s/conn.%d.tmp" % (d, i), "w") as f:
            f.write(line + "\n")
        os.rename("%s/conn.%d.tmp" % (d, i), "%s/conn.%d" % (d, i))
    deadline = time.time() + 60
    while not os.path.exists(d + "/release") and time.time() < deadline:
        time.sleep(0.02)
    for s in held:
        s.close()
    return 0


def cmd_many(addr, n):
    got = 0
    for _ in range(int(n)):
        try:
            s = connect(addr)
            if read_line(s).startswith("pxtest "):
                got += 1
            s.close()
        except OSError:
            pass
    print(got)
    return 0


def cmd_flood(addr, n):
    family, sa = sockaddr(addr)
    socks = []
    for _ in range(int(n)):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.connect(sa)
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            continue
        socks.append(s)
    time.sleep(1)
    print(len(socks))
    for s in socks:
        s.close()
    return 0


def cmd_jsonkey(key):
    import json

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if key.lower() in k.lower() and not isinstance(x, (dict, list)):
                    print(x)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(json.load(sys.stdin))
    return 0


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    rc = globals()["cmd_" + cmd.replace("-", "_")](*args)
    sys.exit(rc or 0)


if __name__ == "__main__":
    main()
