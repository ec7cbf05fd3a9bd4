"""The pieces of the load harness (`make bench`) that can be checked without loading a server."""

import argparse

import pytest
from django.urls import NoReverseMatch, reverse

from benchmarks import load
from benchmarks.load import Load, read_wrk

# wrk 4.1.0 (Debian), with --latency, against a slow page and its answers.
WRK_REPORT = """\
Running 56s test @ http://127.0.0.1:8931/synthetic/programme.ics
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.72s     1.11s    2.89s    66.67%
    Req/Sec     0.33      0.58     1.00     66.67%
  Latency Distribution
     50%    1.58s
     75%    2.89s
     90%    2.89s
     99%    2.89s
  7 requests in 56.02s, 989.52KB read
  Socket errors: connect 0, read 1, write 0, timeout 0
  Non-2xx or 3xx responses: 2
Requests/sec:      0.12
Transfer/sec:    197.51KB
"""


def test_the_figures_of_a_wrk_report_are_read_in_milliseconds():
    fast = WRK_REPORT.replace("1.58s", "635.91us").replace("2.89s\n", "12.50ms\n")

    assert read_wrk(WRK_REPORT) == Load(
        requests_per_second=pytest.approx(7 / 56.02), p50_ms=1580.0, p99_ms=2890.0, errors=3
    )
    fast_figures = read_wrk(fast)
    assert (fast_figures.p50_ms, fast_figures.p99_ms) == (pytest.approx(0.63591), 12.5)


def test_the_rate_is_worked_out_finer_than_wrk_rounds_it():
    """7 answers in 56 s is 0.125 req/s, where wrk prints 0.12."""
    assert read_wrk(WRK_REPORT).requests_per_second == pytest.approx(0.125, abs=1e-4)


def test_a_report_without_figures_is_refused_with_what_wrk_said():
    with pytest.raises(RuntimeError, match="unable to connect"):
        read_wrk("unable to connect to 127.0.0.1:8931 Connection refused\n")


def test_each_round_is_divided_by_the_bare_view_around_it_and_the_figure_is_their_median(
    monkeypatch,
):
    """Rounds of a URL between loads of the bare view, the machine slowing down meanwhile:
    each round is divided by the bare rates just around it, not by one figure for all."""
    rates = iter([1000, 500, 900, 400, 800, 100, 700])  # bare, URL, bare, URL, bare, URL, bare
    seen = []

    def scripted(base, target, seconds, args):
        seen.append((target["path"], seconds))
        return Load(next(rates), p50_ms=len(seen), p99_ms=10 * len(seen), errors=1)

    monkeypatch.setattr(load, "load_for", scripted)
    monkeypatch.setattr(load, "warm_up", lambda base, target: None)
    args = argparse.Namespace(rounds=3, duration=3)

    [(total, ratios)] = load.load_beside([(SERVERS, TARGET, BARE)], args)

    assert ratios == [pytest.approx(950 / 500), pytest.approx(850 / 400), pytest.approx(750 / 100)]
    assert total == Load(requests_per_second=pytest.approx(1000 / 3), p50_ms=4, p99_ms=60, errors=3)
    assert seen == [("/_bench/bare/", 1)] + [("/feed.ics", 1), ("/_bench/bare/", 1)] * 3


def test_the_sizes_take_turns_within_each_round_each_beside_its_own_bare_view(monkeypatch):
    seen = []

    def scripted(base, target, seconds, args):
        seen.append((base, target["path"]))
        return Load(1000 if target["path"] == "/_bench/bare/" else 500, 1.0, 2.0, 0)

    monkeypatch.setattr(load, "load_for", scripted)
    monkeypatch.setattr(load, "warm_up", lambda base, target: None)
    other = {"main": "http://other", "bare": "http://other-none"}
    args = argparse.Namespace(rounds=2, duration=2)

    results = load.load_beside([(SERVERS, TARGET, BARE), (other, dict(TARGET), dict(BARE))], args)

    assert [ratios for _total, ratios in results] == [[2.0, 2.0], [2.0, 2.0]]
    one, two = ("http://main", "/feed.ics"), ("http://other", "/feed.ics")
    bare_one, bare_two = ("http://main", "/_bench/bare/"), ("http://other", "/_bench/bare/")
    assert seen == [bare_one, bare_two] + [one, bare_one, two, bare_two] * 2


SERVERS = {"main": "http://main", "bare": "http://none"}
BARE = {"path": "/_bench/bare/", "server": "main", "warm_ms": 1.0, "name": load.BARE}
TARGET = {"path": "/feed.ics", "server": "main", "warm_ms": 1.0, "name": "a feed"}


@pytest.mark.django_db
def test_the_bare_view_exists_under_the_bench_settings_only(client, settings):
    with pytest.raises(NoReverseMatch):
        reverse("bench-bare")

    settings.ROOT_URLCONF = "benchmarks.urls"
    answer = client.get(reverse("bench-bare"))

    assert (answer.status_code, answer.content) == (200, b"ok")
    assert client.get("/api/v1/").status_code == 200  # with the whole site beside it
