#!/usr/bin/env python3
"""Edit-to-reload latency of `oversight serve` (stdlib only).

Usage:
    python3 benches/edit_latency.py ADDR SITE FILE N [--url PATH] [--settle S]

    ADDR   host:port of a running `oversight serve` (e.g. 127.0.0.1:41234)
    SITE   the site folder it serves (the one holding content/)
    FILE   the file to edit, relative to SITE, e.g.
               content/organisations/org-00003.yaml
               content/pages/updates/page-00123.md
    N      how many edits to make

For each edit it does what an editor does on save: writes a temporary file in the same
folder (a dot-file, which the server ignores as editor litter) and renames it over FILE.
Each edit changes visible text and keeps the file valid:
    YAML      "(fictional)" becomes "(fictional, edit i)" (else `name:`/`title:` gets " edit i")
    Markdown  the line "Edited i." is appended to the body
Each edit starts from the original text, so every save is a real change.

The time measured runs from just before the write to the moment the reload event arrives
on `/__oversight/events?v=<version>` (the Server-Sent Events request the live-reload script
makes). After each reload the edited page is fetched (not timed) and must show the new
text; if it does not yet (a reload caused by something else), the script waits for the
next reload and times to that one instead. The file is restored at the end, and the
restore's reload awaited, so the server is left as it was found.

Prints one line per edit, then the median, min and max in ms, and as last line
`median_ms=<x>` for scripts.
"""

import argparse
import os
import re
import socket
import statistics
import sys
import tempfile
import time

HOLD_TIMEOUT = 40.0  # the server answers a held events request after 25 s at most
EDIT_TIMEOUT = 120.0  # give up on one edit after this long


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("addr", help="host:port of the running `oversight serve`")
    p.add_argument("site", help="the site folder (holding content/)")
    p.add_argument("file", help="file to edit, relative to SITE")
    p.add_argument("n", type=int, help="number of edits")
    p.add_argument("--url", help="URL path of the page the file renders to (default: derived from FILE)")
    p.add_argument("--settle", type=float, default=0.2, help="pause between edits, in s (default 0.2)")
    return p.parse_args()


class Server:
    def __init__(self, addr):
        host, port = addr.rsplit(":", 1)
        self.host, self.port = host, int(port)

    def send(self, path, timeout=HOLD_TIMEOUT):
        """Connects and sends a GET; returns the socket, to read the answer from."""
        s = socket.create_connection((self.host, self.port), timeout=10)
        s.settimeout(timeout)
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nConnection: close\r\n\r\n".encode())
        return s

    def get(self, path):
        s = self.send(path, timeout=30)
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        finally:
            s.close()
        head, _, body = data.partition(b"\r\n\r\n")
        status = head.split(b"\r\n", 1)[0].decode("latin-1")
        return status, body.decode("utf-8", "replace")


def read_event(sock):
    """Reads one events response. Returns (arrival time, new version or None, body)."""
    data = b""
    arrived = None
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            if arrived is None and b"data: reload" in data:
                arrived = time.perf_counter()
            if b"\n\n" in data.partition(b"\r\n\r\n")[2]:
                break  # the one event is complete
    finally:
        sock.close()
    body = data.partition(b"\r\n\r\n")[2].decode("utf-8", "replace")
    m = re.search(r"^id: (\d+)", body, re.M)
    version = int(m.group(1)) if m else None
    if "data: reload" not in body:
        return None, version, body
    return arrived, version, body


def url_of(file):
    """content/organisations/org-00003.yaml -> /organisations/org-00003/"""
    rel = file.replace(os.sep, "/")
    if rel.startswith("content/"):
        rel = rel[len("content/"):]
    stem = os.path.splitext(rel)[0]
    if stem.endswith("/_index") or stem == "_index" or stem.endswith("/index"):
        stem = stem.rsplit("/", 1)[0] if "/" in stem else ""
    return "/" + stem + "/" if stem else "/"


def edited(orig, ext, i):
    """The text of edit i and the marker the page must then show."""
    if ext in (".yaml", ".yml"):
        if "(fictional)" in orig:
            return orig.replace("(fictional)", f"(fictional, edit {i})", 1), f"(fictional, edit {i})"
        m = re.search(r"^(name|title): ([^\"'\n#][^\n#]*?)\s*$", orig, re.M)
        if not m:
            sys.exit("edit_latency: no '(fictional)' and no plain `name:`/`title:` line to edit in the YAML file")
        marker = f"{m.group(2)} edit {i}"
        return orig[: m.start()] + f"{m.group(1)}: {marker}" + orig[m.end():], f"edit {i}"
    if ext == ".md":
        return orig.rstrip("\n") + f"\n\nEdited {i}.\n", f"Edited {i}."
    sys.exit(f"edit_latency: do not know how to edit a {ext or 'extensionless'} file")


def save(path, text):
    """Writes like an editor: a temporary dot-file in the same folder renamed over the target."""
    folder, name = os.path.split(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def current_version(server, url):
    status, page = server.get(url)
    m = re.search(r"events\?v=(\d+)", page)
    if not m:
        sys.exit(f"edit_latency: {url} ({status}) carries no live-reload script; is this `oversight serve`?")
    return int(m.group(1))


def edit_and_wait(server, path, text, url, marker, version):
    """Saves text, waits for the reload after which url shows marker.

    Returns (ms from write to that reload, new version, number of reloads seen)."""
    sock = server.send(f"/__oversight/events?v={version}")
    time.sleep(0.02)  # let the server take the request before the write
    t0 = time.perf_counter()
    save(path, text)
    reloads = 0
    while True:
        arrived, new_version, body = read_event(sock)
        if new_version is not None:
            version = max(version, new_version)
        if arrived is not None:
            reloads += 1
            status, page = server.get(url)
            if marker is None or marker in page:
                return (arrived - t0) * 1000, version, reloads
        if time.perf_counter() - t0 > EDIT_TIMEOUT:
            raise TimeoutError(f"no reload showing {marker!r} on {url} within {EDIT_TIMEOUT:.0f} s")
        sock = server.send(f"/__oversight/events?v={version}")


def main():
    args = parse_args()
    server = Server(args.addr)
    path = os.path.join(args.site, args.file)
    ext = os.path.splitext(path)[1].lower()
    url = args.url or url_of(args.file)
    with open(path, encoding="utf-8") as fh:
        orig = fh.read()

    status, page = server.get(url)
    if not status.split()[1:2] == ["200"]:
        sys.exit(f"edit_latency: GET {url} gave {status!r}; pass --url")
    version = current_version(server, url)

    times = []
    try:
        for i in range(1, args.n + 1):
            text, marker = edited(orig, ext, i)
            ms, version, reloads = edit_and_wait(server, path, text, url, marker, version)
            times.append(ms)
            extra = f" ({reloads} reloads)" if reloads > 1 else ""
            print(f"edit {i:3d}: {ms:8.1f} ms{extra}", flush=True)
            time.sleep(args.settle)
    finally:
        # Restore the original and wait for the server to take it back in.
        try:
            _, version, _ = edit_and_wait(server, path, orig, url, None, version)
        except Exception as e:  # the file is restored anyway
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(orig)
            print(f"edit_latency: restore reload not seen: {e}", file=sys.stderr)

    if not times:
        sys.exit("edit_latency: no edits made")
    med = statistics.median(times)
    print(f"edit-to-reload for {args.file} over {len(times)} edits: "
          f"median {med:.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms")
    print(f"median_ms={med:.1f}")


if __name__ == "__main__":
    main()
