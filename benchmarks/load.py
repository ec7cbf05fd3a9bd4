"""The site under load at a real summit's scale: `make bench`, or

    DEBUG=1 .venv/bin/python -m benchmarks.load --sessions 120 2000 [--memory]

For each size N: a database of its own (SQLite in a temporary folder; on the PostgreSQL server
of DATABASE_URL when it names one, e.g. under scripts/with-postgres), `manage.py
generate_summit --sessions N`, then gunicorn with 2 sync workers and DEBUG off, as deployed.
benchmarks.probe times each URL alone (cold and warm) and counts its queries. Every size stays
served; then a load tool drives each URL for a few seconds at every size in turn: wrk (Debian's
`wrk`) when installed, else a small Python client, less precise (its threads share the GIL and
the two cores with the server).

Every URL stands beside a bare view ("ok" through Summit's middleware, served by the same
processes in the same run): the URL is loaded in a few rounds (--rounds, 5), each between two
loads of the bare view, and "× bare" is the median over the rounds of the bare view's req/s
around a round divided by the URL's in it, how many bare requests one of its requests costs.
That ratio, rather than req/s, is the figure to compare across machines and runs. A second
gunicorn serves the same view with no middleware at all, to show what the middleware costs.

DEBUG=1 only lets this runner read the development settings; the servers it starts run with
DEBUG off and a random SECRET_KEY.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from urllib.parse import urlsplit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "summit.settings")

from tests import live  # noqa: E402  (needs the settings module named first)

WORKERS = 2
SLUG = "synthetic"
MEMORY_FIRST, MEMORY_LAST = 1_000, 10_000
MIN_ANSWERS, MAX_SECONDS = 10, 120
WORKER_TIMEOUT = 600


@dataclass
class Load:
    """What a load tool measured for one URL."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int  # answers other than 2xx and 3xx, and socket errors


# --- load tools ----------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url: str, headers: dict[str, str], *, seconds: int, connections: int) -> Load:
    command = ["wrk", "--latency", f"-d{seconds}s", f"-c{connections}", f"-t{min(connections, 2)}"]
    # A slow page must count as slow, not be dropped as a timeout (wrk's default is 2 s).
    command += ["--timeout", "600s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return read_wrk(output)


def read_wrk(output: str) -> Load:
    """The figures of wrk's report (with --latency). The rate is worked out from the count and
    the time, as wrk rounds its own to two decimals (0.12 req/s for a slow page)."""
    answered = re.search(r"^\s+(\d+) requests in ([\d.]+(?:us|ms|s|m)),", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    if not (answered and p50 and p99):
        raise RuntimeError(f"Unexpected output of wrk:\n{output}")
    rate = int(answered[1]) / milliseconds(answered[2]) * 1000
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return Load(rate, milliseconds(p50[1]), milliseconds(p99[1]), errors)


def python_client(
    base: str,
    requests: list[tuple[str, dict[str, str]]],
    *,
    connections: int,
    seconds: float | None = None,
    count: int | None = None,
) -> Load:
    """Requests (path, headers) in turn from `connections` threads, for `seconds` or until
    `count` are answered."""
    address = urlsplit(base)
    latencies: list[float] = []
    failures = 0
    turns = cycle(requests)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds if seconds else None

    def next_request():
        with lock:
            if count is not None and len(latencies) + failures >= count:
                return None
            if deadline is not None and time.monotonic() >= deadline:
                return None
            return next(turns)

    def worker():
        nonlocal failures
        while (request := next_request()) is not None:
            path, headers = request
            began = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(address.hostname, address.port, timeout=600)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                failed = response.status >= 400
            except OSError:
                failed = True
            with lock:
                if failed:
                    failures += 1
                else:
                    latencies.append((time.perf_counter() - began) * 1000)

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    if not latencies:
        return Load(0.0, 0.0, 0.0, failures)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return Load(len(latencies) / elapsed, cuts[49], cuts[98], failures)


# --- the workers, from /proc ---------------------------------------------------------------


def workers(master: int) -> list[int]:
    """The gunicorn workers: the master's children."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue  # gone meanwhile
        if re.search(rf"^PPid:\s+{master}$", text, re.MULTILINE):
            found.append(int(status.parent.name))
    return found


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)[1]) / 1024


def cpu_ticks(master: int) -> int:
    """CPU time the workers have used so far; a worker started since counts from zero."""
    total = 0
    for pid in workers(master):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def wait_until_idle(master: int, *, still_for: float = 0.5, at_most: float = 600) -> None:
    """Wait for the workers to answer what the last load left queued: wrk stops on time, but
    sync workers still answer every request they had accepted, which would slow the next URL."""
    deadline = time.monotonic() + at_most
    ticks, still_since = cpu_ticks(master), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = cpu_ticks(master)
        if now != ticks:
            ticks, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= still_for:
            return


def memory_growth(base: str, targets: list[dict], master: int, connections: int) -> dict:
    """Worker memory after the first 1,000 mixed requests, then after 10,000."""
    mixed = [(t["path"], t["headers"]) for t in targets if t["server"] == "main"]
    pids = sorted(workers(master))
    python_client(base, mixed, connections=connections, count=MEMORY_FIRST)
    first = [rss_mb(pid) for pid in pids]
    python_client(base, mixed, connections=connections, count=MEMORY_LAST - MEMORY_FIRST)
    return {"first": first, "last": [rss_mb(pid) for pid in pids]}


# --- one summit ----------------------------------------------------------------------------


@dataclass
class Summit:
    """One size: its summit on a database of its own, served, each URL timed alone."""

    sessions: int
    built_s: float
    servers: dict[str, str]  # "main" (Summit's middleware), "bare" (none): their base URLs
    masters: dict[str, int]
    targets: list[dict]

    def target(self, name: str) -> dict:
        return next(t for t in self.targets if t["name"] == name)

    @property
    def bare(self) -> dict:
        return self.target(BARE)


@contextlib.contextmanager
def served(sessions: int, *, workdir: Path, args):
    """Build the summit of N sessions on a database of its own, serve it with gunicorn, and
    time each URL alone (benchmarks.probe); yields it, still served."""
    with live.own_database(workdir, prefix=f"bench{sessions}") as url:
        env = live.environment(
            url,
            DJANGO_SETTINGS_MODULE="benchmarks.settings",
            STATIC_ROOT=str(workdir / "static"),
            # A page slower than gunicorn's 30 s would have its worker killed, not measured.
            GUNICORN_CMD_ARGS=f"--timeout {WORKER_TIMEOUT}",
        )
        live.manage(env, "migrate", "--noinput", timeout=600)
        if not (workdir / "static").exists():
            live.manage(env, "collectstatic", "--noinput", timeout=600)
        began = time.monotonic()
        generate = ["generate_summit", "--sessions", str(sessions), "--slug", SLUG, "--quiet"]
        live.manage(env, *generate, timeout=1800)
        built = time.monotonic() - began
        print(f"  built in {built:.1f} s; timing each URL alone…", file=sys.stderr)
        ports = {"main": live.free_port(), "bare": live.free_port()}
        bare_env = {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.bare_settings"}
        logs = {name: workdir / f"{name}{sessions}.log" for name in ports}
        with (
            live.gunicorn(env, ports["main"], logs["main"], workers=WORKERS) as main,
            live.gunicorn(bare_env, ports["bare"], logs["bare"], workers=WORKERS) as bare,
        ):
            servers = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
            probe_env = {
                **env,
                "BENCH_ACCEPT_ENCODING": args.accept_encoding,
                "BENCH_SERVER": servers["main"],
                "BENCH_BARE_SERVER": servers["bare"],
                "BENCH_SUMMIT": SLUG,
            }
            targets = live.run_json(probe_env, "benchmarks.probe", timeout=3600)
            masters = {"main": main.pid, "bare": bare.pid}
            yield Summit(sessions, built, servers, masters, targets)


def measure(sizes: list[int], *, workdir: Path, args) -> list[dict]:
    """Every size built and served at once, then each URL loaded at every size in turn, its
    rounds interleaved: what "flat in N" compares is measured in the same seconds, through the
    same neighbours' load (one size measured minutes after the other differed by a quarter
    for the same path)."""
    with contextlib.ExitStack() as stack:
        summits = []
        for sessions in sizes:
            print(f"N = {sessions:,}: building and timing…", file=sys.stderr)
            summits.append(stack.enter_context(served(sessions, workdir=workdir, args=args)))
        print("Loading every URL at every size in turn…", file=sys.stderr)
        for name in [t["name"] for t in summits[0].targets]:
            for summit in summits:
                for master in summit.masters.values():
                    wait_until_idle(master)
            sides = [(s.servers, s.target(name), s.bare) for s in summits]
            for summit, (load, ratios) in zip(summits, load_beside(sides, args), strict=True):
                target = summit.target(name)
                target["load"], target["ratios"] = load.__dict__, ratios
                rounds = " ".join(f"{ratio:.2f}" for ratio in ratios)
                print(f"  {name}, N = {summit.sessions:,}: × bare {rounds}", file=sys.stderr)
        runs = []
        for summit in summits:
            memory = None
            if args.memory:
                wait_until_idle(summit.masters["main"])
                memory = memory_growth(
                    summit.servers["main"], summit.targets, summit.masters["main"], args.connections
                )
            runs.append(
                {
                    "sessions": summit.sessions,
                    "built_s": summit.built_s,
                    "targets": summit.targets,
                    "memory": memory,
                }
            )
    return runs


# The yardstick: each URL is divided by the rate of this view measured around it, in rounds.
# On a shared machine the neighbours' load drifts over the minutes of a run (the bare view
# moved by a quarter between two sizes of one run) and moves one second's figure by up to a
# third against the next: a URL divided by one bare figure from minutes before carried the
# drift, and one divided by a single pair of seconds around it the noise. The median of a few
# interleaved rounds keeps neither.
BARE = "bare view, Summit's middleware"
BESIDE_SECONDS = 1


def load_beside(sides: list[tuple[dict, dict, dict]], args) -> list[tuple[Load, list[float]]]:
    """Each side (servers, target, bare: one URL at one size) loaded in args.rounds rounds,
    the sides in turn within each round, each side's bare view before its first round and
    after each: for each side, its load over the rounds (their mean rate, median p50, worst
    p99), and for each round the mean of the bare rates around it divided by the URL's. The
    bare view's own row is its own yardstick."""
    plans = []
    for servers, target, bare in sides:
        seconds = target["seconds"] = seconds_for(target, args)
        plans.append((servers, target, bare, max(1, math.ceil(seconds / args.rounds))))
    # Warm, as the figure says: later probes changed the programme, so the URL's renderings
    # are made again here, by each worker, before the load tool counts.
    for servers, target, _bare, _seconds in plans:
        warm_up(servers[target["server"]], target)
    around = [
        [load_for(servers["main"], bare, BESIDE_SECONDS, args).requests_per_second]
        for servers, _target, bare, _seconds in plans
    ]
    loads: list[list[Load]] = [[] for _ in plans]
    for _ in range(args.rounds):
        for side, (servers, target, bare, seconds) in enumerate(plans):
            loads[side].append(load_for(servers[target["server"]], target, seconds, args))
            bare_rate = load_for(servers["main"], bare, BESIDE_SECONDS, args).requests_per_second
            around[side].append(bare_rate)
    results = []
    for (_servers, target, bare, _seconds), rates, made in zip(plans, around, loads, strict=True):
        ratios = [
            (1.0 if target is bare else (rates[i] + rates[i + 1]) / 2 / load.requests_per_second)
            if load.requests_per_second
            else math.inf
            for i, load in enumerate(made)
        ]
        total = Load(
            requests_per_second=statistics.fmean(load.requests_per_second for load in made),
            p50_ms=statistics.median(load.p50_ms for load in made),
            p99_ms=max(load.p99_ms for load in made),
            errors=sum(load.errors for load in made),
        )
        results.append((total, ratios))
    return results


def seconds_for(target: dict, args) -> int:
    """The time asked for, or longer for a slow URL: long enough for about ten answers, up to
    two minutes."""
    expected = target["warm_ms"] / 1000 * MIN_ANSWERS / WORKERS
    return max(args.duration, min(math.ceil(expected), MAX_SECONDS))


def load_for(base: str, target: dict, seconds: int, args) -> Load:
    """One URL for `seconds`, with the load tool of the run."""
    if args.tool == "wrk":
        return wrk(
            base + target["path"], target["headers"], seconds=seconds, connections=args.connections
        )
    requests = [(target["path"], target["headers"])]
    return python_client(base, requests, connections=args.connections, seconds=seconds)


def warm_up(base: str, target: dict, requests: int = 12) -> None:
    """Until every worker has made the URL: `requests` from 2 connections a worker at once.
    One after another, the 6 requests this made before could all reach one worker and leave
    the other to make its renderings under load (a page's first takes over a second at
    N = 2,000, a worker's local cache being its own): a sync worker takes a connection only
    when it is idle, so while one makes the URL, another takes the next."""
    asked = [(target["path"], target["headers"])]
    python_client(base, asked, connections=2 * WORKERS, count=requests)


# --- the report ----------------------------------------------------------------------------


def figure(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    if value >= 100 or digits == 0:
        return f"{value:,.0f}"
    return f"{value:.2f}" if value < 1 else f"{value:.{digits}f}"


def report(run: dict, *, database: str, tool: str, args) -> str:
    targets = run["targets"]
    lines = [
        f"N = {run['sessions']:,} sessions (built in {run['built_s']:.1f} s); {database}; "
        + ("Redis cache (CACHE_URL); " if os.environ.get("CACHE_URL") else "local-memory cache; ")
        + "gunicorn "
        f"{WORKERS} sync workers, DEBUG off; {tool}, {args.connections} connections, "
        f"{args.duration} s per URL in {args.rounds} rounds; "
        + (
            f"Accept-Encoding: {args.accept_encoding} (bytes as sent)"
            if args.accept_encoding
            else "no Accept-Encoding (every answer whole)"
        ),
        "",
        "| URL | req/s | p50 ms | p99 ms | first ms | cold ms | warm ms | queries | bytes "
        "| × bare | rounds |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    legend = [
        "",
        "req/s, p50, p99: under load, after 12 warm-up requests, 4 at a time (the mean rate "
        "of the rounds, their median p50, their worst p99). first: one request right "
        "after a change, the first the workers make of the URL; cold: the median of 3 requests, "
        "each right after a change, once the URL was served; warm: the median of 5 after them; "
        "queries: of one warm "
        "request; (N s): loaded longer, for about ten answers; × bare: the median over the "
        "rounds of the bare view's req/s (through the middleware, just before and just after "
        "the round) divided by the URL's in the round; rounds: the lowest and highest of them.",
    ]
    for t in targets:
        load = t["load"]
        rate = load["requests_per_second"]
        ratio = statistics.median(t["ratios"]) if rate else None
        spread = f"{figure(min(t['ratios']))}–{figure(max(t['ratios']))}" if rate else "—"
        errors = f" ({load['errors']} errors)" if load["errors"] else ""
        longer = f" ({t['seconds']} s)" if t["seconds"] != args.duration else ""
        status = f" [{t['status']}]" if t["status"] != 200 else ""
        lines.append(
            f"| {t['name']}{status}{errors}{longer} | {figure(rate)} | {figure(load['p50_ms'])} "
            f"| {figure(load['p99_ms'])} | {figure(t.get('first_ms'))} | {figure(t['cold_ms'])} "
            f"| {figure(t['warm_ms'])} "
            f"| {figure(t['queries'], 0)} | {t['bytes']:,} | {figure(ratio)} | {spread} |"
        )
    lines += legend
    if run["memory"]:
        first, last = run["memory"]["first"], run["memory"]["last"]
        growth = [100 * (b - a) / a for a, b in zip(first, last, strict=True)]
        lines += [
            "",
            f"Worker memory (RSS) after {MEMORY_FIRST:,} mixed requests: "
            + ", ".join(f"{mb:.0f} MB" for mb in first)
            + f"; after {MEMORY_LAST:,}: "
            + ", ".join(f"{mb:.0f} MB" for mb in last)
            + " ("
            + ", ".join(f"{g:+.1f}%" for g in growth)
            + (", within 10%)" if all(abs(g) <= 10 for g in growth) else ", MORE than 10%)"),
        ]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description="Build synthetic summits of N sessions, serve them with gunicorn and load "
        "each URL beside a bare view."
    )
    parser.add_argument("--sessions", type=int, nargs="+", default=[120, 2000], metavar="N")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per URL (5)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (4)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=5,
        help="rounds each URL's time is cut into, each between two loads of the bare view (5)",
    )
    parser.add_argument(
        "--tool",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="load tool: wrk when installed (apt-get install wrk), else a Python client",
    )
    parser.add_argument(
        "--memory",
        action="store_true",
        help=f"also report worker memory after {MEMORY_FIRST:,} and {MEMORY_LAST:,} mixed requests",
    )
    parser.add_argument(
        "--accept-encoding",
        default="",
        metavar="CODINGS",
        help='the Accept-Encoding every request sends, e.g. "gzip, deflate, br" as browsers '
        "and calendar apps do (default: none, every answer whole)",
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds: at least 1")
    if args.tool == "python" and not shutil.which("wrk"):
        print(
            "wrk not found: loading with the Python client, less precise (apt-get install wrk).",
            file=sys.stderr,
        )
    tool = "wrk" if args.tool == "wrk" else "Python client (less precise than wrk)"
    database = "PostgreSQL" if live.on_postgres() else "SQLite"
    with tempfile.TemporaryDirectory(prefix="summit-bench-") as workdir:
        runs = measure(args.sessions, workdir=Path(workdir), args=args)
    for run in runs:
        print(report(run, database=database, tool=tool, args=args), end="\n\n", flush=True)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
