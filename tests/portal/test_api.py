"""The JSON API: a token per account (none for a one-time password), the return read and
changed all or nothing (400 with every problem, nothing saved), submission, the office's
status, throttling per account."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from portalsite import *  # noqa: F401,F403  (the site and its fixtures)
from portalsite import PASSWORD
from wfscore.portal import year
from wfscore.portal.models import AuditEntry, Profile, Return, Submission, Value

pytestmark = pytest.mark.django_db


def call(client, method, path, body=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    return client.generic(
        method, path, json.dumps(body if body is not None else {}), content_type="application/json", **headers
    )


def token(client, name="P01", password=PASSWORD):
    r = call(client, "POST", "/api/token", {"username": name, "password": password})
    assert r.status_code == 200, r.content
    return r.json()["token"]


def test_a_one_time_password_gives_no_token_until_changed(client):
    Profile.objects.filter(user__username="P03").update(must_change_password=True)
    r = call(client, "POST", "/api/token", {"username": "P03", "password": PASSWORD})
    assert r.status_code == 403 and "须先修改一次性密码" in r.json()["error_zh"]
    weak = call(client, "POST", "/api/password", {"username": "P03", "password": PASSWORD, "new_password": "123"})
    assert weak.status_code == 400 and weak.json()["problems"]
    r = call(
        client, "POST", "/api/password", {"username": "P03", "password": PASSWORD, "new_password": "Weifang-api-2026"}
    )
    assert r.status_code == 200
    assert token(client, "P03", "Weifang-api-2026")
    assert call(client, "POST", "/api/token", {"username": "P03", "password": PASSWORD}).status_code == 401


def test_a_patch_with_problems_saves_nothing_and_names_every_problem(client):
    t = token(client)
    ids = year.current().value_ids("P01")
    good, bad = ids[0], ids[1]
    r = call(
        client,
        "PATCH",
        "/api/returns/P01",
        {
            "values": {good: 3, bad: "abc", "nope": 1},
            "exemptions": [{"indicator": good, "reason": ""}],
            "achievements": [{"indicator": "not-a-reward", "title": "x"}],
        },
        t,
    )
    assert r.status_code == 400
    problems = r.json()["problems"]
    assert {(p["indicator"], p["field"]) for p in problems} >= {
        (bad, "values"),
        ("nope", "values"),
        (good, "exemptions"),
        ("not-a-reward", "achievements"),
    }
    assert all(p["message_zh"] for p in problems)
    assert not Value.objects.exists() and not AuditEntry.objects.filter(action="value").exists()


def test_values_entered_read_back_and_submitted(client):
    t = token(client)
    ids = year.current().value_ids("P01")
    reward = year.current().rewards()[0].id
    other = next(r.ind.id for r in year.current().rows("P01") if r.ind.id not in ids)
    r = call(
        client,
        "PATCH",
        "/api/returns/P01",
        {
            "values": {ids[0]: 3.5, ids[1]: "１２"},
            "exemptions": [{"indicator": other, "reason": "本部门无此项工作"}],
            "achievements": [{"indicator": reward, "title": "示范单位", "document": "潍政字〔2011〕3号"}],
        },
        t,
    )
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["values"] == {ids[0]: 3.5, ids[1]: 12} and data["state"] == "draft"
    assert call(client, "GET", "/api/returns/P01", token=t).json()["exemptions"] == [
        {"indicator": other, "reason": "本部门无此项工作"}
    ]
    r = call(client, "POST", "/api/returns/P01/submit", token=t)
    assert r.status_code == 200 and r.json()["state"] == "submitted"
    assert call(client, "PATCH", "/api/returns/P01", {"values": {ids[0]: 1}}, t).status_code == 403
    assert Submission.objects.get().content["values"] == {ids[0]: "3.5", ids[1]: "12"}


def test_the_status_is_for_the_office_only(client):
    assert call(client, "GET", "/api/status", token=token(client)).status_code == 403
    r = call(client, "GET", "/api/status", token=token(client, "office"))
    assert r.status_code == 200 and len(r.json()["departments"]) == 129


def test_the_office_gives_its_own_figures_all_or_nothing(client):
    t = token(client, "office")
    office_ids = year.current().office_ids()
    r = call(client, "PATCH", "/api/office", {"values": {"P01": {office_ids[0]: 999}}, "website": {"P01": 101}}, t)
    assert r.status_code == 400 and len(r.json()["problems"]) == 2
    r = call(client, "PATCH", "/api/office", {"website": {"P01": 88.5}}, t)
    assert r.status_code == 200


def test_token_sign_in_is_throttled_per_account(client):
    for _ in range(5):
        call(client, "POST", "/api/token", {"username": "P01", "password": "wrong"})
    assert call(client, "POST", "/api/token", {"username": "P01", "password": PASSWORD}).status_code == 429
    assert token(Client(), "P02")  # another account from the same address is not locked


def test_a_bad_body_or_token_is_refused_plainly(client):
    assert call(client, "GET", "/api/returns/P01", token="forged").status_code == 401
    r = client.generic(
        "PATCH",
        "/api/returns/P01",
        b"{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token(client)}",
    )
    assert r.status_code == 400 and r.json()["error_zh"]
    assert call(client, "PATCH", "/api/returns/P01", ["a list"], token(client)).status_code == 400
    assert not Return.objects.filter(started=True).exists()
