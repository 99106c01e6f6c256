"""Nobody reads or changes what is not theirs, by any URL: every view and endpoint, as
nobody, as another department, as an expert, and for the office where it may not act;
each gets 302 (to sign in), 401, 403 or 404, and nothing in the database changes.

The list of URLs is checked against the site's URL patterns, so that a new view cannot
escape it."""

from __future__ import annotations

import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from portalsite import *  # noqa: F401,F403  (the site and its fixtures)
from portalsite import user
from wfscore.portal import models as M

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# route → (method, path, data, who may: "dept" P01 itself, "office", "read": both, "public")
URLS = {
    "": ("GET", "/", {}, "any"),
    "login/": ("GET", "/login/", {}, "public"),
    "logout/": ("POST", "/logout/", {}, "public"),
    "password/": ("GET", "/password/", {}, "any"),
    "returns/<str:dept_id>/": ("GET", "/returns/P01/", {}, "read"),
    "returns/<str:dept_id>/value": ("POST", "/returns/P01/value", {"indicator": "{ind}", "text": "7"}, "dept"),
    "returns/<str:dept_id>/exemption": (
        "POST",
        "/returns/P01/exemption",
        {"indicator": "{ind}", "reason": "无"},
        "dept",
    ),
    "returns/<str:dept_id>/withdraw": (
        "POST",
        "/returns/P01/withdraw",
        {"what": "exemption", "pk": "{exemption}"},
        "dept",
    ),
    "returns/<str:dept_id>/achievement": (
        "POST",
        "/returns/P01/achievement",
        {"indicator": "{reward}", "title": "t", "document": ""},
        "dept",
    ),
    "returns/<str:dept_id>/report": ("POST", "/returns/P01/report", {"file": "PDF"}, "dept"),
    "returns/<str:dept_id>/submit": ("POST", "/returns/P01/submit", {}, "dept"),
    "returns/<str:dept_id>/reopen": ("POST", "/returns/P01/reopen", {}, "office"),
    "returns/<str:dept_id>/question": ("POST", "/returns/P01/question", {"indicator": "{ind}", "text": "?"}, "office"),
    "returns/<str:dept_id>/audit": ("GET", "/returns/P01/audit", {}, "read"),
    "questions/<int:pk>/answer": ("POST", "/questions/{question}/answer", {"text": "答"}, "dept"),
    "questions/<int:pk>/close": ("POST", "/questions/{question}/close", {}, "office"),
    "uploads/<int:pk>": ("GET", "/uploads/{upload}", {}, "read"),
    "office/": ("GET", "/office/", {}, "office"),
    "office/deadline": ("POST", "/office/deadline", {"deadline": "2030-01-01 00:00"}, "office"),
    "office/lock": ("POST", "/office/lock", {"locked": "1"}, "office"),
    "office/export": ("POST", "/office/export", {}, "office"),
    "api/password": ("POST", "/api/password", {}, "public"),
    "api/token": ("POST", "/api/token", {}, "public"),
    "api/returns/<str:dept_id>": ("PATCH", "/api/returns/P01", {"values": {"{ind}": 7}}, "dept"),
    "api/returns/<str:dept_id>/submit": ("POST", "/api/returns/P01/submit", {}, "dept"),
    "api/status": ("GET", "/api/status", {}, "office"),
    "api/office": ("PATCH", "/api/office", {"website": {"P01": 90}}, "office"),
    "admin/": ("GET", "/admin/", {}, "office"),
}
# reading through the API: GET of the same route
READ_API = ("GET", "/api/returns/P01", {}, "read")


def routes(patterns=None, prefix=""):
    out = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            route = prefix + str(p.pattern)
            if route == "admin/":
                out.append(route)  # Django's admin: its own rights (staff only)
            else:
                out += routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            out.append(prefix + str(p.pattern))
    return out


def test_every_url_of_the_site_is_in_the_list():
    assert sorted(set(routes())) == sorted(URLS)


@pytest.fixture
def world(db, site_dir):
    """P01's return with a value, an exemption, a claim, a report, a question."""
    from wfscore.portal import year

    y = year.current()
    ind = y.value_ids("P01")[0]
    ret = M.Return.objects.get(department__dept_id="P01")
    M.Value.objects.create(ret=ret, indicator=ind, text="5", number="5")
    ex = M.Exemption.objects.create(ret=ret, indicator=ind, reason="本部门无此项工作")
    up_dir = site_dir / "uploads"
    up_dir.mkdir(exist_ok=True)
    (up_dir / "abc123").write_bytes(PDF)
    up = M.Upload.objects.create(
        ret=ret,
        purpose="report",
        original_name="自查报告.pdf",
        stored_name="abc123",
        kind="pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by="P01",
    )
    q = M.Question.objects.create(ret=ret, indicator=ind, raised_by="office")
    M.QuestionEntry.objects.create(question=q, kind="raise", text="请核实", by="office")
    return {"ind": ind, "exemption": ex.pk, "upload": up.pk, "question": q.pk, "reward": y.rewards()[0].id}


def snapshot():
    """Everything a request could change."""
    out = {}
    for model in (
        M.Campaign,
        M.Return,
        M.Value,
        M.Exemption,
        M.Achievement,
        M.Upload,
        M.Submission,
        M.OfficeValue,
        M.Question,
        M.QuestionEntry,
    ):
        out[model.__name__] = sorted(
            tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()
        )
    out["audit"] = list(M.AuditEntry.objects.exclude(action__in=["login", "login_failed"]).values_list("action", "new"))
    return out


def request(client, method, path, data, world, token=None):
    path = path.format(**world)
    data = {k.format(**world): (v.format(**world) if isinstance(v, str) else v) for k, v in data.items()}
    if "values" in data:
        data["values"] = {k.format(**world): v for k, v in data["values"].items()}
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    if path.startswith("/api/"):
        import json

        return client.generic(method, path, json.dumps(data), content_type="application/json", **headers)
    if data.get("file") == "PDF":
        data["file"] = io.BytesIO(PDF)
        data["file"].name = "r.pdf"
    return getattr(client, method.lower())(path, data)


def outsiders():
    return ["nobody", "P02", "expert-E1"]


def _refused(route: str, who: str) -> bool:
    may = URLS[route][3]
    if may == "public" or (who == "office" and may in ("office", "read", "any")):
        return False
    return who == "nobody" or may != "any"


CASES = [(route, who) for route in URLS for who in outsiders() + ["office"] if _refused(route, who)] + [
    ("api read", who) for who in outsiders()
]


@pytest.mark.parametrize("route, who", CASES)
def test_no_one_reaches_what_is_not_theirs(client, world, experts, route, who):
    method, path, data, may = READ_API if route == "api read" else URLS[route]
    token = None
    if who != "nobody":
        account = user(who)
        client.force_login(account)
        token = M.ApiToken.issue(account)
    before = snapshot()
    r = request(client, method, path, data, world, token if path.startswith("/api/") else None)
    if who == "nobody":
        expected = {401} if path.startswith("/api/") else {302}
        if r.status_code == 302:
            assert "login" in r["Location"]
    else:
        expected = {403, 404} | ({302} if route == "admin/" else set())
    assert r.status_code in expected, (route, who, r.status_code)
    if r.status_code == 302 and route == "admin/":
        assert "/admin/login/" in r["Location"]
    assert snapshot() == before
    body = r.content.decode("utf-8", "replace")
    assert "本部门无此项工作" not in body and "请核实" not in body and "%PDF" not in body


@pytest.mark.parametrize("route", [r for r, v in URLS.items() if v[3] in ("dept", "read")])
def test_the_department_itself_gets_through(client, world, route):
    method, path, data, _ = URLS[route]
    account = user("P01")
    client.force_login(account)
    r = request(client, method, path, data, world, M.ApiToken.issue(account))
    assert r.status_code in (200, 302), (route, r.status_code, r.content[:300])
