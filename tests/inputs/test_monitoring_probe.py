"""Probing departments' websites (wfscore.inputs.monitoring.probe), on 127.0.0.1 only:
servers that answer 200, 500, slowly, over bad and good certificates, with redirects in a
loop or away, and a closed port. No test reaches any other address (``guard``)."""

from __future__ import annotations

import ssl
import time

import pytest

from local_sites import MARK, NAME, SLOW, Server, certificates, closed_port, guard_loopback, server_context
from wfscore.inputs.monitoring.probe import MAX_REDIRECTS, Site, charset, names, page_text, probe, probe_all, same_site


@pytest.fixture(autouse=True)
def guard(monkeypatch):
    tried = guard_loopback(monkeypatch)
    yield tried
    assert not tried, f"a test tried to reach {tried}"


@pytest.fixture
def http():
    server = Server()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return certificates(tmp_path_factory.mktemp("certs"))


def site(url: str, name: str = NAME) -> Site:
    return Site("P01", name, url)


def test_a_page_that_answers_and_names_the_department_is_ok(http):
    p = probe(site(http.url("/ok")), timeout=5, mark=MARK)
    assert (p.status, p.ok, p.tls, p.gov_cn, p.note) == (200, True, None, False, "")
    assert p.ms >= 0 and p.time[:4].isdigit() and p.url == http.url("/ok")
    assert p.row()[:1] == ["P01"] and p.row()[5] == "" and p.row()[7] is True


def test_a_page_that_does_not_name_the_department_or_show_the_mark_says_so(http):
    p = probe(site(http.url("/other")), timeout=5, mark=MARK, lang="en")
    assert p.ok and p.note == ("the page does not name the department; the page does not show the unified site mark")
    zh = probe(site(http.url("/other")), timeout=5, mark=MARK)
    assert zh.note == "页面中未见部门名称；页面中未见统一网站标识"


def test_a_server_error_is_not_ok(http):
    p = probe(site(http.url("/error")), timeout=5, lang="en")
    assert (p.status, p.ok, p.note) == (500, False, "HTTP status 500")


def test_a_slow_site_is_cut_off_at_its_time_limit(http):
    t0 = time.monotonic()
    p = probe(site(http.url("/slow")), timeout=0.5, lang="en")
    assert time.monotonic() - t0 < SLOW  # it did not wait for the answer
    assert (p.status, p.ok, p.note) == (None, False, "no answer within 0.5 s")


def test_a_closed_port_is_refused():
    p = probe(site(f"http://127.0.0.1:{closed_port()}/"), timeout=5, lang="en")
    assert (p.status, p.ok, p.note) == (None, False, "connection refused")


def test_redirects_in_a_loop_stop(http):
    p = probe(site(http.url("/loop")), timeout=5, lang="en")
    assert not p.ok and p.status == 302 and p.note.startswith("redirects in a loop: ")
    assert http.hits == ["/loop", "/loop2"]


def test_redirects_stop_after_a_few_hops(http):
    p = probe(site(http.url("/hops")), timeout=5, lang="en")
    assert not p.ok and p.note == f"more than {MAX_REDIRECTS} redirects"
    assert len(http.hits) == MAX_REDIRECTS + 1


def test_a_redirect_within_the_site_is_followed(http):
    p = probe(site(http.url("/moved")), timeout=5)
    assert p.ok and p.status == 200 and http.hits == ["/moved", "/ok"]


def test_a_redirect_to_another_site_is_recorded_not_followed(http, guard):
    p = probe(site(http.url("/away")), timeout=5, lang="en")
    assert not p.ok and p.status == 302
    assert p.note == "redirect to another site, not followed: http://example.com/"
    assert guard == []  # example.com was never looked up nor connected to


def test_a_self_signed_certificate_does_not_verify(certs):
    server = Server(server_context(certs["self.pem"], certs["self.key"]))
    try:
        p = probe(site(server.url("/ok")), timeout=5, lang="en")
    finally:
        server.stop()
    assert (p.tls, p.ok, p.status) == (False, False, None)
    assert p.note.startswith("the certificate does not verify: ") and "self" in p.note.lower()


def test_a_certificate_from_a_trusted_authority_verifies(certs):
    server = Server(server_context(certs["site.pem"], certs["site.key"]))
    context = ssl.create_default_context(cafile=str(certs["ca.pem"]))
    try:
        p = probe(site(server.url("/utf8")), timeout=5, context=context)
    finally:
        server.stop()
    assert (p.tls, p.ok, p.status, p.note) == (True, True, 200, "")


def test_probe_all_probes_each_site_once_at_most_jobs_at_a_time(http):
    sites = [Site(f"D{n}", NAME, http.url("/ok")) for n in range(12)]
    seen = []
    done, left = probe_all(sites, jobs=3, timeout=5, on_probe=seen.append)
    assert left == [] and sorted(p.dept_id for p in done) == sorted(s.dept_id for s in sites)
    assert seen == done and all(p.ok for p in done)


def test_probe_all_starts_no_site_after_its_bound(http):
    sites = [Site(f"D{n}", NAME, http.url("/slow")) for n in range(4)]
    t0 = time.monotonic()
    done, left = probe_all(sites, jobs=1, timeout=0.4, bound=0.2)
    assert time.monotonic() - t0 < 2 * SLOW
    assert len(done) == 1 and [s.dept_id for s in left] == ["D1", "D2", "D3"]


@pytest.mark.parametrize(
    "origin, target, same",
    [
        ("www.a.gov.cn", "a.gov.cn", True),
        ("a.gov.cn", "www.a.gov.cn", True),
        ("a.gov.cn", "zwgk.a.gov.cn", True),
        ("a.gov.cn", "gov.cn", False),
        ("a.gov.cn", "b.gov.cn", False),
        ("a.gov.cn", "evila.gov.cn", False),
        ("127.0.0.1", "127.0.0.1", True),
        ("127.0.0.1", "example.com", False),
    ],
)
def test_same_site(origin, target, same):
    assert same_site(origin, target) is same


def test_pages_in_gb2312_gbk_and_utf8_are_read():
    gbk = f"<meta charset=gbk><title>{NAME}</title>".encode("gbk")
    assert charset("", gbk) == "gb18030" and names(page_text(gbk), NAME)
    assert charset("text/html; charset=GB2312", b"") == "gb18030"
    assert names(page_text(f"<title>{NAME}</title>".encode("gb18030")), NAME)  # no charset named: guessed
    assert names(page_text("<p>市委 办公室</p>".encode()), NAME)  # spaces aside
    assert not names(page_text(f"<script>'{NAME}'</script>".encode()), NAME)  # scripts are not the page's text


def test_the_mark_may_stand_in_a_tag(http):
    from wfscore.inputs.monitoring.probe import decoded

    page = f'<img alt="{MARK}" src="/mark.png"><title>{NAME}</title>'.encode("gbk")
    assert MARK in decoded(page, "text/html; charset=gbk") and MARK not in page_text(page, "text/html; charset=gbk")
    assert probe(site(http.url("/imgmark")), timeout=5, mark=MARK).note == ""
    assert "统一网站标识" in probe(site(http.url("/ok")), timeout=5, mark="/mark-that-is-not-there.png").note
