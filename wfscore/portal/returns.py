"""What may be done to a return, and doing it: the one place the pages and the API both
go through, so that both check the same rights and the same values.

Rights: a department reads and changes only its own return, only while the year is open
(before the deadline, not locked) and the return is a draft or reopened; the office reads
every return and changes none of a department's figures; an expert (part of the design
for the experts' rounds) reads none yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from wfscore.portal import year as years
from wfscore.portal.audit import entry, record
from wfscore.portal.models import (
    Achievement,
    AuditEntry,
    Campaign,
    Department,
    Exemption,
    OfficeValue,
    Question,
    QuestionEntry,
    Return,
    Submission,
    Value,
)

MAX_TEXT = 2000  # a reason, a title, an answer: characters
MAX_VALUE = 200


class Refused(Exception):
    """The account may not do this now (a 403, with the reason in both languages)."""

    def __init__(self, message: str, message_zh: str):
        super().__init__(message)
        self.message, self.message_zh = message, message_zh


def role(user) -> str:
    profile = getattr(user, "profile", None) if user is not None and user.is_authenticated else None
    return profile.role if profile is not None else ""


def is_office(user) -> bool:
    return role(user) == "office"


def readable(user, dept_id: str) -> Return:
    """The return of ``dept_id`` if ``user`` may read it; a 404 otherwise (so that a
    department learns nothing of another's)."""
    r = role(user)
    if r in ("department", "office"):
        # one query for the return, its department and report (the page and every save read it)
        ret = Return.objects.select_related("department", "report").filter(department__dept_id=dept_id).first()
        if ret is None:
            dept = Department.objects.filter(dept_id=dept_id).first()
            ret = Return.objects.get_or_create(department=dept)[0] if dept is not None else None
        if ret is not None and (r == "office" or user.profile.department_id == ret.department_id):
            return ret
    raise Http404("no such return")


def own(user) -> Return:
    if role(user) != "department":
        raise Http404("no such return")
    return Return.objects.get_or_create(department=user.profile.department)[0]


def state_of(ret: Return, campaign: Campaign | None = None) -> str:
    campaign = campaign or Campaign.get()
    if campaign.locked:
        return "locked"
    if ret.state == "draft" and not ret.started:
        return "not_started"
    return ret.state


def check_editable(user, ret: Return, campaign: Campaign | None = None) -> None:
    if role(user) != "department" or user.profile.department_id != ret.department_id:
        raise Refused("only the department itself changes its return", "只有本部门可以修改本部门的填报")
    campaign = campaign or Campaign.get()
    if campaign.locked:
        raise Refused("the year is locked", "本年度已锁定，不能再修改")
    if not campaign.open_for_entry():
        raise Refused("the deadline has passed", "已过报送截止时间，不能再修改")
    if ret.state == "submitted":
        raise Refused(
            "the return is submitted: it is read-only until the office reopens it", "已提交，考核办退回修改前不能再改动"
        )


def _problem(indicator, field, value, message, message_zh) -> dict:
    return {"indicator": indicator, "field": field, "value": value, "message": message, "message_zh": message_zh}


def _touch(request, ret: Return) -> None:
    ret.started = True
    ret.updated_at = timezone.now()
    ret.updated_by = request.user.get_username()
    ret.save(update_fields=["started", "updated_at", "updated_by"])


# -- values ---------------------------------------------------------------------------


def check_value(ind_id: str, text, dept_id: str) -> tuple[str | None, dict | None]:
    """A value for one of the department's indicators → (number text or None, problem or None)."""
    year = years.current()
    if ind_id not in year.value_ids(dept_id):
        return None, _problem(
            ind_id,
            "values",
            text,
            "is not an indicator this department reports (expected one of the indicators of its self-check table)",
            "不是本部门填报的指标（应为自查表中的指标）",
        )
    if text is not None and not isinstance(text, (str, int, float)) or isinstance(text, bool):
        return None, _problem(ind_id, "values", str(text), "is not a number", "不是数字")
    if isinstance(text, str) and len(text) > MAX_VALUE:
        return None, _problem(
            ind_id,
            "values",
            text[:60] + "…",
            f"is longer than {MAX_VALUE} characters (expected a number)",
            f"超过 {MAX_VALUE} 个字符（应为数字）",
        )
    number, msg, zh = years.check_value(year.ctx.indicators[ind_id], text)
    if msg:
        return None, _problem(ind_id, "values", text, msg, zh)
    return number, None


def save_value(request, ret: Return, ind_id: str, text: str) -> dict | None:
    """The page's draft save of one field: kept as typed even when wrong (nothing typed is
    lost), with what is wrong beside it; a return with a wrong value cannot be submitted."""
    check_editable(request.user, ret)
    text = "" if text is None else str(text)[:MAX_VALUE]
    number, problem = check_value(ind_id, text, ret.department.dept_id)
    if problem is not None and problem["message"].startswith("is not an indicator"):
        raise Refused(problem["message"], problem["message_zh"])
    with transaction.atomic():
        old = Value.objects.filter(ret=ret, indicator=ind_id).first()
        if old is not None and old.text == text:
            return problem
        fields = {
            "text": text,
            "number": number or "",
            "problem": problem["message"] if problem else "",
            "problem_zh": problem["message_zh"] if problem else "",
        }
        before = old.text if old else ""
        if old is None:
            Value.objects.create(ret=ret, indicator=ind_id, **fields)
        else:  # the row read above, in the same write transaction
            for name, value in fields.items():
                setattr(old, name, value)
            old.save(update_fields=list(fields))
        record(request, "value", ret.department, ind_id, before, text)
        _touch(request, ret)
    return problem


# -- exemptions and claims ----------------------------------------------------------------


def check_exemption(item, dept_id: str) -> tuple[tuple | None, list[dict]]:
    year = years.current()
    if not isinstance(item, dict):
        return None, [
            _problem(
                "",
                "exemptions",
                str(item)[:60],
                "is not an object with indicator and reason",
                "应为含 indicator 和 reason 的对象",
            )
        ]
    ind, reason = str(item.get("indicator", "")), item.get("reason", "")
    reason = reason.strip() if isinstance(reason, str) else ""
    found = []
    if ind not in {r.ind.id for r in year.rows(dept_id)}:
        found.append(
            _problem(
                ind,
                "exemptions",
                ind,
                "is not an indicator of this department's self-check table",
                "不是本部门自查表中的指标",
            )
        )
    if not reason:
        found.append(
            _problem(
                ind,
                "exemptions",
                "",
                "has no reason (expected why the indicator does not apply)",
                "未写明理由（应说明本部门为何无此项工作）",
            )
        )
    elif len(reason) > MAX_TEXT:
        found.append(
            _problem(
                ind, "exemptions", reason[:60] + "…", f"is longer than {MAX_TEXT} characters", f"超过 {MAX_TEXT} 个字符"
            )
        )
    return (ind, reason) if not found else None, found


def check_achievement(item) -> tuple[tuple | None, list[dict]]:
    year = years.current()
    if not isinstance(item, dict):
        return None, [
            _problem(
                "",
                "achievements",
                str(item)[:60],
                "is not an object with indicator, title and document",
                "应为含 indicator、title、document 的对象",
            )
        ]
    ind = str(item.get("indicator", ""))
    title = item.get("title", "")
    doc = item.get("document", "") or ""
    title = title.strip() if isinstance(title, str) else ""
    doc = doc.strip() if isinstance(doc, str) else ""
    found = []
    if ind not in {i.id for i in year.rewards()}:
        listed = ", ".join(i.id for i in year.rewards())
        found.append(
            _problem(
                ind,
                "achievements",
                ind,
                f"is not a reward indicator of the scheme (expected one of {listed})",
                f"不是考核方案中的奖励指标（应为 {listed} 之一）",
            )
        )
    if not title:
        found.append(
            _problem(ind, "achievements", "", "has no title (expected the achievement's title)", "未填写成果名称")
        )
    for text in (title, doc):
        if len(text) > MAX_TEXT:
            found.append(
                _problem(
                    ind,
                    "achievements",
                    text[:60] + "…",
                    f"is longer than {MAX_TEXT} characters",
                    f"超过 {MAX_TEXT} 个字符",
                )
            )
    return (ind, title, doc) if not found else None, found


def add_exemption(request, ret: Return, ind: str, reason: str) -> list[dict]:
    check_editable(request.user, ret)
    ok, found = check_exemption({"indicator": ind, "reason": reason}, ret.department.dept_id)
    if found:
        return found
    with transaction.atomic():
        Exemption.objects.create(ret=ret, indicator=ok[0], reason=ok[1])
        record(request, "exemption", ret.department, ok[0], "", ok[1])
        _touch(request, ret)
    return []


def withdraw(request, ret: Return, model, pk: int) -> None:
    check_editable(request.user, ret)
    item = model.objects.filter(ret=ret, pk=pk, withdrawn=False).first()
    if item is None:
        raise Http404("no such entry")
    with transaction.atomic():
        item.withdrawn = True
        item.save(update_fields=["withdrawn"])
        what = "exemption" if model is Exemption else "achievement"
        record(
            request,
            what,
            ret.department,
            item.indicator,
            item.reason if model is Exemption else item.title,
            "(withdrawn)",
        )
        _touch(request, ret)


def add_achievement(request, ret: Return, ind: str, title: str, doc: str, evidence=None) -> list[dict]:
    check_editable(request.user, ret)
    ok, found = check_achievement({"indicator": ind, "title": title, "document": doc})
    if found:
        return found
    with transaction.atomic():
        Achievement.objects.create(ret=ret, indicator=ok[0], title=ok[1], document=ok[2], evidence=evidence)
        record(request, "achievement", ret.department, ok[0], "", f"{ok[1]}（{ok[2]}）" if ok[2] else ok[1])
        _touch(request, ret)
    return []


# -- the API's whole-return change ------------------------------------------------------------


def patch(request, ret: Return, data) -> list[dict]:
    """Apply ``{"values": {...}, "exemptions": [...], "achievements": [...]}`` all or nothing:
    every problem, or none and everything saved. ``exemptions`` and ``achievements``, when
    given, are the whole list (those not in it are withdrawn)."""
    check_editable(request.user, ret)
    dept_id = ret.department.dept_id
    if not isinstance(data, dict):
        return [
            _problem(
                "",
                "",
                "",
                "is not a JSON object (expected values, exemptions, achievements)",
                "不是 JSON 对象（应含 values、exemptions、achievements）",
            )
        ]
    found: list[dict] = []
    unknown = sorted(set(data) - {"values", "exemptions", "achievements"})
    for key in unknown:
        found.append(
            _problem(
                "",
                key,
                "",
                "is not a field of a return (expected values, exemptions, achievements)",
                "不是填报的字段（应为 values、exemptions、achievements）",
            )
        )
    values = data.get("values", {})
    checked_values = {}
    if not isinstance(values, dict):
        found.append(
            _problem("", "values", "", "is not an object of indicator id → number", "应为“指标编号: 数值”的对象")
        )
        values = {}
    for ind_id, text in values.items():
        number, problem = check_value(str(ind_id), "" if text is None else text, dept_id)
        if problem:
            found.append(problem)
        else:
            checked_values[str(ind_id)] = ("" if text is None else str(text), number or "")
    lists = {}
    for key, check in (
        ("exemptions", lambda item: check_exemption(item, dept_id)),
        ("achievements", check_achievement),
    ):
        if key not in data:
            continue
        items = data[key]
        if not isinstance(items, list):
            found.append(_problem("", key, "", "is not a list", "应为列表"))
            continue
        lists[key] = []
        for item in items:
            ok, problems = check(item)
            found += problems
            if ok:
                lists[key].append(ok)
    if found:
        return found
    with transaction.atomic():  # the write lock from here: read what is there and change it, nothing more
        olds = {v.indicator: v for v in Value.objects.filter(ret=ret, indicator__in=list(checked_values))}
        changes = []
        for ind_id, (text, number) in checked_values.items():
            old = olds.get(ind_id)
            if old is not None and old.text == text:
                continue
            fields = {"text": text, "number": number, "problem": "", "problem_zh": ""}
            if old is None:
                Value.objects.create(ret=ret, indicator=ind_id, **fields)
            else:
                Value.objects.filter(pk=old.pk).update(**fields)
            changes.append(entry(request, "value", ret.department, ind_id, old.text if old else "", text))
        AuditEntry.objects.bulk_create(changes)
        if "exemptions" in lists:
            current = {(e.indicator, e.reason): e for e in ret.exemptions.filter(withdrawn=False)}
            for key in lists["exemptions"]:
                if current.pop(key, None) is None:
                    Exemption.objects.create(ret=ret, indicator=key[0], reason=key[1])
                    record(request, "exemption", ret.department, key[0], "", key[1])
            for e in current.values():
                e.withdrawn = True
                e.save(update_fields=["withdrawn"])
                record(request, "exemption", ret.department, e.indicator, e.reason, "(withdrawn)")
        if "achievements" in lists:
            current = {(a.indicator, a.title, a.document): a for a in ret.achievements.filter(withdrawn=False)}
            for key in lists["achievements"]:
                if current.pop(key, None) is None:
                    Achievement.objects.create(ret=ret, indicator=key[0], title=key[1], document=key[2])
                    record(request, "achievement", ret.department, key[0], "", key[1])
            for a in current.values():
                a.withdrawn = True
                a.save(update_fields=["withdrawn"])
                record(request, "achievement", ret.department, a.indicator, a.title, "(withdrawn)")
        _touch(request, ret)
    return []


# -- what a return holds, and its problems ----------------------------------------------------


def problems_of(ret: Return) -> list[dict]:
    """What stops a submission: values that are wrong (saved as typed by the page)."""
    return [_problem(v.indicator, "values", v.text, v.problem, v.problem_zh) for v in ret.values.all() if v.problem]


def empty_of(ret: Return) -> list[str]:
    """The department's figures not given, and not asked to be exempted (warnings)."""
    year = years.current()
    given = {v.indicator for v in ret.values.all() if v.number}
    exempt = {e.indicator for e in ret.exemptions.all() if not e.withdrawn}
    return [i for i in year.value_ids(ret.department.dept_id) if i not in given and i not in exempt]


def content(ret: Return) -> dict:
    return {
        "values": {v.indicator: v.number for v in ret.values.order_by("id") if v.number},
        "exemptions": [
            {"indicator": e.indicator, "reason": e.reason} for e in ret.exemptions.order_by("id") if not e.withdrawn
        ],
        "achievements": [
            {"indicator": a.indicator, "title": a.title, "document": a.document, "evidence": bool(a.evidence_id)}
            for a in ret.achievements.order_by("id")
            if not a.withdrawn
        ],
    }


def as_json(ret: Return) -> dict:
    campaign = Campaign.get()
    data = content(ret)
    data["values"] = {k: _number(v) for k, v in data["values"].items()}
    return {
        "dept_id": ret.department.dept_id,
        "name": ret.department.name,
        "state": state_of(ret, campaign),
        "deadline": campaign.deadline.isoformat() if campaign.deadline else None,
        "submitted_at": ret.submitted_at.isoformat() if ret.submitted_at else None,
        "report": bool(ret.report_id),
        **data,
        "problems": problems_of(ret),
        "questions": [
            {
                "id": q.id,
                "indicator": q.indicator,
                "state": q.state,
                "entries": [
                    {"kind": e.kind, "text": e.text, "by": e.by, "at": e.at.isoformat()} for e in q.entries.all()
                ],
            }
            for q in ret.questions.order_by("id")
        ],
    }


def _number(text: str):
    value = float(text)
    return (
        int(value)
        if value.is_integer() and abs(value) < 2**53 and "." not in text and "e" not in text.lower()
        else value
    )


# -- submitting, reopening ----------------------------------------------------------------------


def submit(request, ret: Return) -> list[dict]:
    check_editable(request.user, ret)
    found = problems_of(ret)
    if found:
        return found
    with transaction.atomic():
        ret.state, ret.started = "submitted", True
        ret.submitted_at, ret.submitted_by = timezone.now(), request.user.get_username()
        ret.save(update_fields=["state", "started", "submitted_at", "submitted_by"])
        snapshot = content(ret)
        Submission.objects.create(ret=ret, by=ret.submitted_by, content=snapshot)
        record(
            request,
            "submit",
            ret.department,
            "",
            "",
            f"{len(snapshot['values'])} values, "
            f"{len(snapshot['exemptions'])} exemptions, {len(snapshot['achievements'])} claims",
        )
    return []


def reopen(request, ret: Return) -> None:
    if not is_office(request.user):
        raise Refused("only the office reopens a return", "只有考核办可以退回修改")
    if Campaign.get().locked:
        raise Refused("the year is locked", "本年度已锁定")
    if ret.state != "submitted":
        raise Refused("the return is not submitted", "该部门尚未提交")
    with transaction.atomic():
        ret.state = "reopened"
        ret.save(update_fields=["state"])
        record(request, "reopen", ret.department, "", "submitted", "reopened")


# -- questions ------------------------------------------------------------------------------------


def raise_question(request, ret: Return, ind_id: str, text: str) -> Question:
    if not is_office(request.user):
        raise Refused("only the office raises questions", "只有考核办可以提出问题")
    text = (text or "").strip()[:MAX_TEXT]
    if not text:
        raise Refused("the question is empty", "问题内容为空")
    if ind_id not in {r.ind.id for r in years.current().rows(ret.department.dept_id)} | {
        i.id for i in years.current().rewards()
    }:
        raise Refused("is not an indicator of this department", "不是该部门的指标")
    with transaction.atomic():
        q = Question.objects.create(ret=ret, indicator=ind_id, raised_by=request.user.get_username())
        QuestionEntry.objects.create(question=q, kind="raise", text=text, by=q.raised_by)
        record(request, "question", ret.department, ind_id, "", text)
    return q


def answer_question(request, q: Question, text: str) -> None:
    ret = q.ret
    if role(request.user) != "department" or request.user.profile.department_id != ret.department_id:
        raise Http404("no such question")
    if q.state == "closed":
        raise Refused("the question is closed", "该问题已关闭")
    if Campaign.get().locked:
        raise Refused("the year is locked", "本年度已锁定")
    text = (text or "").strip()[:MAX_TEXT]
    if not text:
        raise Refused("the answer is empty", "答复内容为空")
    with transaction.atomic():
        QuestionEntry.objects.create(question=q, kind="answer", text=text, by=request.user.get_username())
        q.state = "answered"
        q.save(update_fields=["state"])
        record(request, "answer", ret.department, q.indicator, "", text)


def close_question(request, q: Question) -> None:
    if not is_office(request.user):
        raise Refused("only the office closes questions", "只有考核办可以关闭问题")
    with transaction.atomic():
        QuestionEntry.objects.create(question=q, kind="close", by=request.user.get_username())
        q.state = "closed"
        q.save(update_fields=["state"])
        record(request, "close", q.ret.department, q.indicator, "", "closed")


# -- the board ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    dept_id: str
    name: str
    state: str
    updated_at: object
    updated_by: str
    submitted_at: object
    submitted_by: str
    problems: int
    empty: int
    open_questions: int
    report: bool


def board() -> list[BoardRow]:
    campaign = Campaign.get()
    rets = {
        r.department_id: r
        for r in Return.objects.select_related("department").prefetch_related("values", "exemptions", "questions")
    }
    rows = []
    for dept in Department.objects.all():
        ret = rets.get(dept.id) or Return(department=dept)
        saved = ret.pk is not None
        rows.append(
            BoardRow(
                dept.dept_id,
                dept.name,
                state_of(ret, campaign),
                ret.updated_at,
                ret.updated_by,
                ret.submitted_at,
                ret.submitted_by,
                len(problems_of(ret)) if saved else 0,
                len(empty_of(ret)) if saved else len(years.current().value_ids(dept.dept_id)),
                sum(1 for q in ret.questions.all() if q.state != "closed") if saved else 0,
                bool(ret.report_id),
            )
        )
    return rows


STATE_WORDS = {
    "not_started": ("not started", "未开始"),
    "draft": ("draft", "草稿"),
    "submitted": ("submitted", "已提交"),
    "reopened": ("reopened", "已退回修改"),
    "locked": ("locked", "已锁定"),
}


def set_office_values(request, data) -> list[dict]:
    """The office's own figures: ``{"values": {dept: {indicator: number}}, "website": {dept: score}}``,
    all or nothing."""
    if not is_office(request.user):
        raise Refused("only the office gives its figures", "只有考核办可以填报考核办数值")
    if Campaign.get().locked:
        raise Refused("the year is locked", "本年度已锁定")
    year = years.current()
    found, rows = [], []
    office_ids = set(year.office_ids())
    if not isinstance(data, dict):
        return [_problem("", "", "", "is not a JSON object", "不是 JSON 对象")]
    for key, ind_of in (("values", None), ("website", "website")):
        given = data.get(key, {})
        if not isinstance(given, dict):
            found.append(_problem("", key, "", "is not an object", "应为对象"))
            continue
        for dept_id, item in given.items():
            if dept_id not in year.ctx.position:
                found.append(_problem("", key, dept_id, "is not a department of the year", "不是本年度的部门"))
                continue
            pairs = [("website", item)] if ind_of else (item.items() if isinstance(item, dict) else [])
            for ind_id, text in pairs:
                ind = None if ind_of else year.ctx.indicators.get(ind_id)
                if not ind_of and ind_id not in office_ids:
                    found.append(
                        _problem(ind_id, key, dept_id, "is not an indicator the office gives", "不是考核办填报的指标")
                    )
                    continue
                number, msg, zh = years.check_office_value(ind, "" if text is None else text)
                if msg:
                    found.append(_problem(ind_id, key, text, f"{dept_id}: {msg}", f"{dept_id}：{zh}"))
                else:
                    rows.append((dept_id, ind_id, number or ""))
    if found:
        return found
    depts = {d.dept_id: d for d in Department.objects.all()}
    with transaction.atomic():
        for dept_id, ind_id, number in rows:
            old = OfficeValue.objects.filter(department=depts[dept_id], indicator=ind_id).first()
            if number:
                OfficeValue.objects.update_or_create(
                    department=depts[dept_id], indicator=ind_id, defaults={"number": number}
                )
            elif old is not None:
                old.delete()
            if (old.number if old else "") != number:
                record(request, "office_value", depts[dept_id], ind_id, old.number if old else "", number)
    return []
