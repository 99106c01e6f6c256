"""The department's and the office's pages: filling in, checks beside the field, drafts,
exemptions, claims, submission, read-only after it and after the deadline, reopening,
questions, the board and its CSV, the audit trail, sign-in and the one-time password."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from portalsite import *  # noqa: F401,F403  (the site and its fixtures)
from portalsite import login
from wfscore.portal.models import AuditEntry, Campaign, Profile, Return, Submission, Value

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}
HOSTILE = "=cmd|' /C calc'!A0<script>alert(1)</script>\x1b[2J\u202e"


def dept_value_ids():
    from wfscore.portal import year

    return year.current().value_ids("P01")


def save(client, ind, text, dept="P01"):
    return client.post(f"/returns/{dept}/value", {"indicator": ind, "text": text}, **JSON)


def test_the_self_check_table_shows_every_indicator_with_its_criterion_in_chinese(as_dept):
    from wfscore.portal import year

    page = as_dept.get("/returns/P01/").content.decode()
    assert "自查表" in page and "考核内容及评分标准" in page
    for row in year.current().rows("P01"):
        assert f'id="row-{row.ind.id}"' in page
        assert (row.ind.text or row.ind.name)[:20] in page


@pytest.mark.parametrize(
    "text, number, message",
    [
        ("85", "85", None),
        ("８５．５", "85.5", None),
        ("1,234", "1234", None),
        ("abc", None, "不是数字"),
        ("-3", None, "超出范围"),
        ("85%", None, "百分数"),
        ("8 5", None, "空格"),
    ],
)
def test_a_value_is_checked_as_collect_checks_it_and_saved_as_typed(as_dept, text, number, message):
    ind = next(i for i in dept_value_ids() if i != "S1" and not _is_percent(i) and not _is_direct(i))
    r = save(as_dept, ind, text)
    assert r.status_code == 200
    problems = r.json()["problems"]
    saved = Value.objects.get(ret__department__dept_id="P01", indicator=ind)
    assert saved.text == text  # the draft keeps what was typed
    if message is None:
        assert problems == [] and saved.number == number
    else:
        assert message in problems[0]["message"] and saved.number == ""
        assert message in as_dept.get("/returns/P01/").content.decode()  # shown again on the page


def _ind(i):
    from wfscore.portal import year

    return year.current().ctx.indicators[i]


def _is_percent(i):
    return bool(_ind(i).unit and "%" in _ind(i).unit)


def _is_direct(i):
    return _ind(i).method == "direct"


def test_a_percentage_is_read_where_the_unit_is_one(as_dept):
    pct = [i for i in dept_value_ids() if _is_percent(i)]
    if not pct:
        pytest.skip("the sample scheme has no percentage indicator")
    r = save(as_dept, pct[0], "85%")
    assert r.json()["problems"] == []
    assert Value.objects.get(indicator=pct[0], ret__department__dept_id="P01").number == "85"


def test_a_wrong_value_stops_submission_until_corrected(as_dept):
    ind = dept_value_ids()[0]
    save(as_dept, ind, "abc")
    as_dept.post("/returns/P01/submit")
    assert Return.objects.get(department__dept_id="P01").state == "draft"
    save(as_dept, ind, "12")
    as_dept.post("/returns/P01/submit")
    ret = Return.objects.get(department__dept_id="P01")
    assert ret.state == "submitted" and ret.submitted_by == "P01"
    assert Submission.objects.get(ret=ret).content["values"] == {ind: "12"}


def test_after_submission_the_return_is_read_only_until_the_office_reopens_it(client, db):
    login(client, "P01")
    ind = dept_value_ids()[0]
    save(client, ind, "1")
    client.post("/returns/P01/submit")
    assert save(client, ind, "2").status_code == 403
    assert client.post("/returns/P01/exemption", {"indicator": ind, "reason": "x"}).status_code == 403
    assert Value.objects.get(indicator=ind, ret__department__dept_id="P01").text == "1"
    assert "readonly" in client.get("/returns/P01/").content.decode()
    login(client, "office")
    assert client.post("/returns/P01/reopen").status_code == 302
    login(client, "P01")
    assert save(client, ind, "2").status_code == 200
    assert Return.objects.get(department__dept_id="P01").state == "reopened"


def test_after_the_deadline_or_the_lock_nothing_can_be_changed(as_dept):
    ind = dept_value_ids()[0]
    Campaign.objects.update(deadline=timezone.now() - timedelta(minutes=1))
    assert save(as_dept, ind, "1").status_code == 403
    assert as_dept.post("/returns/P01/submit").status_code == 403
    Campaign.objects.update(deadline=timezone.now() + timedelta(days=1), locked=True)
    assert save(as_dept, ind, "1").status_code == 403
    Campaign.objects.update(locked=False)
    assert save(as_dept, ind, "1").status_code == 200
    assert not Value.objects.exclude(text="1").filter(ret__department__dept_id="P01").exists()


def test_exemptions_and_claims_are_kept_and_withdrawn_never_deleted(as_dept):
    from wfscore.portal import year

    ind = dept_value_ids()[0]
    assert as_dept.post("/returns/P01/exemption", {"indicator": ind, "reason": ""}).status_code == 302
    assert not Return.objects.get(department__dept_id="P01").exemptions.exists()  # no reason: refused
    as_dept.post("/returns/P01/exemption", {"indicator": ind, "reason": "本部门无此项工作"})
    ret = Return.objects.get(department__dept_id="P01")
    e = ret.exemptions.get()
    reward = year.current().rewards()[0].id
    as_dept.post(
        "/returns/P01/achievement", {"indicator": reward, "title": "示范单位", "document": "潍政发〔2011〕1号"}
    )
    a = ret.achievements.get()
    as_dept.post("/returns/P01/withdraw", {"what": "exemption", "pk": e.pk})
    e.refresh_from_db()
    assert e.withdrawn and ret.exemptions.count() == 1
    as_dept.post("/returns/P01/submit")
    content = Submission.objects.get(ret=ret).content
    assert content["exemptions"] == [] and content["achievements"][0]["title"] == a.title


def test_hostile_text_is_inert_in_the_pages_and_the_csv(as_dept, as_office):

    from wfscore.portal.models import Department

    Department.objects.filter(dept_id="P01").update(name=HOSTILE)
    ind = dept_value_ids()[0]
    as_dept.post("/returns/P01/exemption", {"indicator": ind, "reason": HOSTILE + "x" * 1500})
    save(as_dept, ind, HOSTILE)
    page = as_dept.get("/returns/P01/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "\x1b" not in page
    client = as_office
    board = client.get("/office/").content.decode()
    assert "<script>alert" not in board and "\x1b" not in board
    rows = list(csv.reader(io.StringIO(client.get("/office/?format=csv").content.decode("utf-8-sig"))))
    cell = next(r for r in rows if r[0] == "P01")[1]
    assert cell.startswith("'=cmd")
    audit = client.get("/returns/P01/audit?format=csv").content.decode("utf-8-sig")
    assert "\n=cmd" not in audit and ",=cmd" not in audit and ",'=cmd" in audit


def test_the_board_counts_states_and_exports_an_excel_friendly_csv(as_dept, as_office):

    save(as_dept, dept_value_ids()[0], "abc")
    client = as_office
    page = client.get("/office/").content.decode()
    assert "报送情况" in page and "待提醒" in page
    body = client.get("/office/?format=csv").content
    assert body.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][0] == "部门编号" and len(rows) == 130
    p01 = next(r for r in rows if r[0] == "P01")
    assert p01[2] == "草稿" and p01[7] == "1"
    assert next(r for r in rows if r[0] == "P02")[2] == "未开始"
    drafts = list(csv.reader(io.StringIO(client.get("/office/?state=draft&format=csv").content.decode("utf-8-sig"))))
    assert [r[0] for r in drafts[1:]] == ["P01"]


def test_questions_are_raised_answered_and_closed_every_step_recorded(as_dept, as_office):

    from wfscore.portal.models import Question

    ind = dept_value_ids()[0]
    client = as_office
    client.post("/returns/P01/question", {"indicator": ind, "text": "此项数值明显高于上年，请核实"})
    q = Question.objects.get()
    assert "此项数值明显高于上年" in as_dept.get("/returns/P01/").content.decode()
    as_dept.post(f"/questions/{q.pk}/answer", {"text": "已核实无误"})
    assert as_dept.post(f"/questions/{q.pk}/close").status_code == 403  # only the office closes
    client.post(f"/questions/{q.pk}/close")
    q.refresh_from_db()
    assert q.state == "closed" and [e.kind for e in q.entries.all()] == ["raise", "answer", "close"]
    actions = list(AuditEntry.objects.filter(department__dept_id="P01").values_list("action", flat=True))
    assert actions[-3:] == ["question", "answer", "close"]


def test_the_audit_trail_records_every_change_with_old_and_new_and_is_append_only(as_dept):
    from django.db import IntegrityError, connection

    from wfscore.portal.models import AppendOnly

    ind = dept_value_ids()[0]
    save(as_dept, ind, "1")
    save(as_dept, ind, "2")
    entries = AuditEntry.objects.filter(action="value", field=ind)
    assert [(e.old, e.new, e.username, e.address) for e in entries] == [
        ("", "1", "P01", "127.0.0.1"),
        ("1", "2", "P01", "127.0.0.1"),
    ]
    page = as_dept.get("/returns/P01/audit").content.decode()
    assert "修改数值" in page
    with pytest.raises(AppendOnly):
        entries[0].delete()
    e = entries[0]
    e.new = "forged"
    with pytest.raises(AppendOnly):
        e.save()
    with pytest.raises(IntegrityError):  # and in the database itself
        with connection.cursor() as cur:
            cur.execute("UPDATE portal_auditentry SET new = 'forged'")


def test_a_one_time_password_must_be_changed_first(client):
    Profile.objects.filter(user__username="P02").update(must_change_password=True)
    login(client, "P02")
    assert client.get("/returns/P02/")["Location"] == "/password/"
    r = client.post(
        "/password/", {"old_password": "Correct-horse-2026", "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert r.status_code == 200 and Profile.objects.get(user__username="P02").must_change_password  # refused
    client.post(
        "/password/",
        {
            "old_password": "Correct-horse-2026",
            "new_password1": "Weifang-self-check-7",
            "new_password2": "Weifang-self-check-7",
        },
    )
    assert not Profile.objects.get(user__username="P02").must_change_password
    assert client.get("/returns/P02/").status_code == 200


def test_sign_in_is_throttled_per_account_not_per_address(client):
    for _ in range(5):
        client.post("/login/", {"username": "P01", "password": "wrong"})
    r = client.post("/login/", {"username": "P01", "password": "Correct-horse-2026"})
    assert "_auth_user_id" not in client.session  # P01 is locked out, even with its password
    assert AuditEntry.objects.filter(action="login_failed", username="P01").count() >= 5
    client.post("/login/", {"username": "P02", "password": "Correct-horse-2026"})  # the same address
    assert client.session.get("_auth_user_id")
    assert AuditEntry.objects.filter(action="login", username="P02").exists()
    assert r.status_code in (403, 429)


def test_csrf_is_checked_on_every_change(db):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="P01"))
    assert client.post("/returns/P01/value", {"indicator": dept_value_ids()[0], "text": "1"}).status_code == 403
    assert not Value.objects.exists()


def test_the_pages_are_in_english_by_setting(as_dept, settings):
    settings.LANGUAGE_CODE = "en"
    page = as_dept.get("/returns/P01/").content.decode()
    assert "<h1>Self-check table" in page and "提交自查表" not in page and "Submit the return" in page
    ind = dept_value_ids()[0]
    assert "is not a number" in save(as_dept, ind, "abc").json()["problems"][0]["message"]


def _queries(client, method, path, data=None, **extra):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q:
        r = getattr(client, method)(path, data or {}, **extra)
    assert r.status_code == 200, r.content
    return [x["sql"] for x in q.captured_queries]


def test_the_self_check_page_reads_a_fixed_number_of_queries_however_full_the_return(as_dept, as_office):
    """The page's queries are pinned: the session, the account with its profile and
    department, the return with its department and report, the campaign, and one each for
    the values, exemptions, claims, questions and (when there are questions) their entries;
    never one per value, row or question."""
    from wfscore.portal import year

    empty = _queries(as_dept, "get", "/returns/P01/")
    ids = dept_value_ids()
    for k, ind in enumerate(ids):
        save(as_dept, ind, str(k % 2))
    for ind in ids[:3]:
        as_dept.post("/returns/P01/exemption", {"indicator": ind, "reason": "本部门无此项工作"})
    reward = year.current().rewards()[0].id
    for n in range(3):
        as_dept.post("/returns/P01/achievement", {"indicator": reward, "title": f"成果{n}", "document": ""})
    for ind in ids[:4]:
        as_office.post("/returns/P01/question", {"indicator": ind, "text": "请核实"})
    full = _queries(as_dept, "get", "/returns/P01/")
    assert len(empty) == 8, "\n".join(empty)
    assert len(full) == 9, "\n".join(full)
    assert len(_queries(as_office, "get", "/returns/P01/")) == 9


def test_a_draft_save_reads_a_fixed_number_of_queries(as_dept):
    ind = dept_value_ids()[0]
    save(as_dept, ind, "1")
    # session, account, return, campaign; the value, its update, the audit entry, the return's
    # last change; and the transaction's own statements (a savepoint inside the test's transaction)
    found = [q for q in _queries(as_dept, "post", "/returns/P01/value", {"indicator": ind, "text": "0"}, **JSON)]
    statements = [q for q in found if not q.upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))]
    assert len(statements) == 8, "\n".join(found)
