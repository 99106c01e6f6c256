"""The pages: sign-in and the password, a department's self-check table (values,
exemptions, achievements, its report, questions, submission), the office's board, a
return as the office sees it (questions, reopening), the audit trail, the uploads.

Every page that shows or changes a return goes through :mod:`.returns`, which checks the
rights; what may not be seen is a 404, what may not be done now a 403.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from wfscore.inputs import inert
from wfscore.inputs.output import inert_cell
from wfscore.portal import returns as R, uploads, year as years
from wfscore.portal.audit import ACTIONS, record
from wfscore.portal.models import Achievement, AuditEntry, Campaign, Exemption, Question, Upload

# a question's states and its entries' kinds, as the return page shows them
QUESTION_WORDS = {
    "open": ("open", "待答复"),
    "answered": ("answered", "已答复"),
    "closed": ("closed", "已关闭"),
    "raise": ("question", "提问"),
    "answer": ("answer", "答复"),
    "close": ("closed", "关闭"),
}


def said(en: str, zh: str) -> str:
    return en if (get_language() or "zh-hans").startswith("en") else zh


def _refused(exc: R.Refused, request=None):
    """A 403 in the site's own page, naming why (a plain text without a request)."""
    if request is None:
        return HttpResponseForbidden(said(exc.message, exc.message_zh))
    return render(request, "403.html", {"reason": said(exc.message, exc.message_zh)}, status=403)


class Login(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "portal/password.html"

    def get_success_url(self):
        return reverse("portal:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        profile = self.request.user.profile
        profile.must_change_password = False
        profile.save(update_fields=["must_change_password"])
        record(self.request, "password", profile.department)
        messages.success(self.request, said("Password changed.", "密码已修改。"))
        return response


@login_required
def home(request):
    if R.is_office(request.user):
        return redirect("portal:board")
    if R.role(request.user) == "department":
        return redirect("portal:return", dept_id=request.user.profile.department.dept_id)
    return render(request, "portal/nothing.html")


def _static(year, dept_id: str) -> dict:
    """What the self-check page shows of a department's indicators that no return changes
    (numbers, names, criteria, units, the choice lists), escaped once per year, kind and language."""
    language = get_language() or "zh-hans"
    key = ("return page", year.kind_of(dept_id), language)
    if key not in year.memo:
        rows = year.rows(dept_id)
        options = "".join(
            f'<option value="{inert.html(r.ind.id)}">{inert.html(r.ind.id)} {inert.html(r.ind.name)}</option>'
            for r in rows
        )
        year.memo[key] = {
            "heads": [
                mark_safe(  # noqa: S308 (escaped by inert.html)
                    f"<td>{inert.html(r.ind.id)}</td><td>{inert.html(r.ind.name)}</td>"
                    f'<td class="criterion">{inert.html(r.ind.text or r.ind.name)}</td>'
                )
                for r in rows
            ],
            "units": [mark_safe(inert.html(r.unit)) for r in rows],  # noqa: S308
            "options": mark_safe(options),  # noqa: S308
            "rewards": mark_safe(  # noqa: S308
                "".join(
                    f'<option value="{inert.html(i.id)}">{inert.html(i.id)} {inert.html(i.name)}</option>'
                    for i in year.rewards()
                )
            ),
        }
    return year.memo[key]


def _rows(ret, year, static):
    values = {v.indicator: v for v in ret.values.all()}
    exempt = {}
    for e in ret.exemptions.all():
        if not e.withdrawn:
            exempt.setdefault(e.indicator, []).append(e)
    rows = []
    for row, head, unit in zip(year.rows(ret.department.dept_id), static["heads"], static["units"]):
        v = values.get(row.ind.id)
        rows.append(
            {
                "ind": row.ind,
                "head": head,
                "fills": row.fills,
                "unit": unit,
                "text": v.text if v else "",
                "problem": said(v.problem, v.problem_zh) if v and v.problem else "",
                "exemptions": exempt.get(row.ind.id, []),
                "source": said("given by the experts", "专家评分")
                if not row.fills and years.source_of(row.ind) == "experts"
                else said("given by the office", "考核办填报"),
            }
        )
    return rows


@login_required
@require_GET
def return_page(request, dept_id):
    ret = R.readable(request.user, dept_id)
    # every list the page shows, read once (the rows, the problems and the empty fields share them)
    prefetch_related_objects(
        [ret],
        "values",
        "exemptions",
        Prefetch("achievements", queryset=Achievement.objects.select_related("evidence").order_by("id")),
        Prefetch("questions", queryset=Question.objects.order_by("id").prefetch_related("entries")),
    )
    campaign = Campaign.get()
    try:
        R.check_editable(request.user, ret, campaign)
        editable, why = True, ""
    except R.Refused as exc:
        editable, why = False, said(exc.message, exc.message_zh)
    year = years.current()
    static = _static(year, dept_id)
    return render(
        request,
        "portal/return.html",
        {
            "ret": ret,
            "dept": ret.department,
            "rows": _rows(ret, year, static),
            "options": static["options"],
            "reward_options": static["rewards"],
            "editable": editable,
            "why": why,
            "state": R.state_of(ret, campaign),
            "state_words": R.STATE_WORDS,
            "campaign": campaign,
            "question_words": {k: said(en, zh) for k, (en, zh) in QUESTION_WORDS.items()},
            "rewards": year.rewards(),
            "office": R.is_office(request.user),
            "mine": R.role(request.user) == "department",
            "achievements": [a for a in ret.achievements.all() if not a.withdrawn],
            "questions": list(ret.questions.all()),
            "empty": R.empty_of(ret),
            "problems": R.problems_of(ret),
            "max_mb": uploads.settings.MAX_UPLOAD_BYTES // (1024 * 1024),
            "title": year.scheme.title,
        },
    )


def _back(dept_id):
    return redirect("portal:return", dept_id=dept_id)


@login_required
@require_POST
def save_value(request, dept_id):
    """One field (the page's script, on every change) or every field (the save button)."""
    ret = R.readable(request.user, dept_id)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    try:
        if "indicator" in request.POST:
            problem = R.save_value(request, ret, request.POST["indicator"], request.POST.get("text", ""))
            found = [problem] if problem else []
        else:
            found = []
            for row in years.current().rows(dept_id):
                key = f"v_{row.ind.id}"
                if row.fills and key in request.POST:
                    problem = R.save_value(request, ret, row.ind.id, request.POST[key])
                    found += [problem] if problem else []
    except R.Refused as exc:
        if wants_json:
            return JsonResponse({"error": said(exc.message, exc.message_zh)}, status=403)
        return _refused(exc, request)
    if wants_json:
        return JsonResponse(
            {
                "saved": True,
                "problems": [
                    {
                        "indicator": p["indicator"],
                        "message": said(f"{p['value']!r} {p['message']}", f"“{p['value']}”{p['message_zh']}"),
                    }
                    for p in found
                ],
            }
        )
    if found:
        messages.error(
            request, said(f"Saved; {len(found)} values need correcting.", f"已保存；{len(found)} 个数值需要改正。")
        )
    else:
        messages.success(request, said("Saved.", "已保存。"))
    return _back(dept_id)


@login_required
@require_POST
def exemption(request, dept_id):
    ret = R.readable(request.user, dept_id)
    try:
        found = R.add_exemption(request, ret, request.POST.get("indicator", ""), request.POST.get("reason", ""))
    except R.Refused as exc:
        return _refused(exc, request)
    for p in found:
        messages.error(request, f"{p['indicator']}: " + said(p["message"], p["message_zh"]))
    return _back(dept_id)


@login_required
@require_POST
def withdraw(request, dept_id):
    ret = R.readable(request.user, dept_id)
    model = {"exemption": Exemption, "achievement": Achievement}.get(request.POST.get("what"))
    if model is None:
        raise Http404("no such entry")
    try:
        R.withdraw(request, ret, model, int(request.POST.get("pk", "0") or 0))
    except (R.Refused, ValueError) as exc:
        return _refused(exc, request) if isinstance(exc, R.Refused) else HttpResponse(status=400)
    return _back(dept_id)


def _upload_view(view):
    """Uploads go through :class:`uploads.LimitedUpload`, set before the CSRF check reads the body."""
    protected = csrf_protect(view)

    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        request.upload_handlers = [uploads.LimitedUpload(request)]
        return protected(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def _receive(request, ret, purpose):
    try:
        R.check_editable(request.user, ret)
    except R.Refused as exc:
        return None, _refused(exc, request)
    try:
        return uploads.keep(request.FILES.get("file"), request, ret, purpose), None
    except uploads.BadUpload as exc:
        name = getattr(request.FILES.get("file"), "name", "") or ""
        messages.error(request, said(f"{name} {exc.message}; nothing was kept", f"{name} {exc.message_zh}，未保存"))
        return None, _back(ret.department.dept_id)


@_upload_view
@login_required
@require_POST
def report(request, dept_id):
    ret = R.readable(request.user, dept_id)
    upload, response = _receive(request, ret, "report")
    if response is not None:
        return response
    old = ret.report
    ret.report = upload
    ret.save(update_fields=["report"])
    record(
        request,
        "upload",
        ret.department,
        "report",
        old.original_name if old else "",
        f"{upload.original_name} ({upload.kind}, {upload.size} bytes, sha256 {upload.sha256})",
    )
    messages.success(request, said("The report is uploaded.", "自查报告已上传。"))
    return _back(dept_id)


@_upload_view
@login_required
@require_POST
def achievement(request, dept_id):
    ret = R.readable(request.user, dept_id)
    evidence = None
    if request.FILES.get("file") is not None or getattr(request, "upload_too_large", False):
        evidence, response = _receive(request, ret, "evidence")
        if response is not None:
            return response
    try:
        found = R.add_achievement(
            request,
            ret,
            request.POST.get("indicator", ""),
            request.POST.get("title", ""),
            request.POST.get("document", ""),
            evidence,
        )
    except R.Refused as exc:
        return _refused(exc, request)
    for p in found:
        messages.error(request, said(p["message"], p["message_zh"]))
    return _back(dept_id)


@login_required
@require_POST
def submit(request, dept_id):
    ret = R.readable(request.user, dept_id)
    try:
        found = R.submit(request, ret)
    except R.Refused as exc:
        return _refused(exc, request)
    if found:
        messages.error(
            request,
            said(f"Not submitted: {len(found)} values need correcting.", f"未提交：{len(found)} 个数值需要改正。"),
        )
    else:
        messages.success(request, said("Submitted.", "已提交。"))
    return _back(dept_id)


@login_required
@require_POST
def reopen(request, dept_id):
    ret = R.readable(request.user, dept_id)
    try:
        R.reopen(request, ret)
    except R.Refused as exc:
        return _refused(exc, request)
    return _back(dept_id)


@login_required
@require_POST
def question(request, dept_id):
    ret = R.readable(request.user, dept_id)
    try:
        R.raise_question(request, ret, request.POST.get("indicator", ""), request.POST.get("text", ""))
    except R.Refused as exc:
        return _refused(exc, request)
    return _back(dept_id)


def _question(request, pk):
    q = get_object_or_404(Question.objects.select_related("ret__department"), pk=pk)
    R.readable(request.user, q.ret.department.dept_id)  # a 404 for anyone who may not see it
    return q


@login_required
@require_POST
def answer(request, pk):
    q = _question(request, pk)
    try:
        R.answer_question(request, q, request.POST.get("text", ""))
    except R.Refused as exc:
        return _refused(exc, request)
    return _back(q.ret.department.dept_id)


@login_required
@require_POST
def close(request, pk):
    q = _question(request, pk)
    try:
        R.close_question(request, q)
    except R.Refused as exc:
        return _refused(exc, request)
    return _back(q.ret.department.dept_id)


@login_required
@require_GET
def upload(request, pk):
    item = get_object_or_404(Upload.objects.select_related("ret__department"), pk=pk)
    R.readable(request.user, item.ret.department.dept_id)
    path = uploads.path_of(item)
    if not path.is_file():
        raise Http404("the file is missing")
    response = FileResponse(
        open(path, "rb"),
        content_type=uploads.TYPES[item.kind],
        as_attachment=item.kind != "pdf",
        filename=item.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; object-src 'self'; sandbox"
    return response


# -- the audit trail ------------------------------------------------------------------------------


def _entries(request, dept_id):
    ret = R.readable(request.user, dept_id)
    return ret, AuditEntry.objects.filter(department=ret.department).order_by("at", "id")


def _csv_response(name: str, header: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([inert_cell(c) if isinstance(c, str) else c for c in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _when(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S") if at else ""


@login_required
@require_GET
def audit(request, dept_id):
    ret, entries = _entries(request, dept_id)
    zh = not (get_language() or "").startswith("en")
    rows = [
        (
            _when(e.at),
            e.username,
            e.address,
            ACTIONS.get(e.action, (e.action, e.action))[1 if zh else 0],
            e.field,
            e.old,
            e.new,
        )
        for e in entries
    ]
    header = (
        ["时间", "账号", "地址", "操作", "项目", "原值", "新值"]
        if zh
        else ["time", "account", "address", "action", "item", "old", "new"]
    )
    if request.GET.get("format") == "csv":
        return _csv_response(f"audit_{ret.department.dept_id}.csv", header, rows)
    return render(request, "portal/audit.html", {"dept": ret.department, "rows": rows, "header": header})


# -- the office ---------------------------------------------------------------------------------------


def _office(request):
    if not R.is_office(request.user):
        raise Http404("not found")


@login_required
@require_GET
def board(request):
    _office(request)
    rows = R.board()
    wanted = request.GET.get("state", "")
    shown = [r for r in rows if not wanted or r.state == wanted or (wanted == "problems" and r.problems)]
    zh = not (get_language() or "").startswith("en")
    if request.GET.get("format") == "csv":
        header = (
            [
                "部门编号",
                "部门名称",
                "状态",
                "最后修改",
                "修改人",
                "提交时间",
                "提交人",
                "错误",
                "未填",
                "未关闭问题",
                "自查报告",
            ]
            if zh
            else [
                "dept_id",
                "name",
                "state",
                "last change",
                "by",
                "submitted",
                "by",
                "problems",
                "empty",
                "open questions",
                "report",
            ]
        )
        return _csv_response(
            "board.csv",
            header,
            [
                (
                    r.dept_id,
                    r.name,
                    R.STATE_WORDS[r.state][1 if zh else 0],
                    _when(r.updated_at),
                    r.updated_by,
                    _when(r.submitted_at),
                    r.submitted_by,
                    r.problems,
                    r.empty,
                    r.open_questions,
                    ("有" if zh else "yes") if r.report else ("无" if zh else "no"),
                )
                for r in shown
            ],
        )
    counts = {s: sum(1 for r in rows if r.state == s) for s in R.STATE_WORDS}
    remind = [r for r in rows if r.state in ("not_started", "draft", "reopened")]
    return render(
        request,
        "portal/board.html",
        {
            "rows": shown,
            "counts": counts,
            "remind": remind,
            "wanted": wanted,
            "campaign": Campaign.get(),
            "state_words": R.STATE_WORDS,
            "zh": zh,
            "title": years.current().scheme.title,
        },
    )


@login_required
@require_POST
def deadline(request):
    _office(request)
    campaign = Campaign.get()
    text = request.POST.get("deadline", "").strip()
    try:
        when = timezone.make_aware(datetime.fromisoformat(text)) if text else None
    except ValueError:
        messages.error(
            request,
            said(
                f"{text!r} is not a date and time (expected 2026-03-31 17:00)",
                f"“{text}”不是日期时间（应写作 2026-03-31 17:00）",
            ),
        )
        return redirect("portal:board")
    old = campaign.deadline
    campaign.deadline = when
    campaign.save(update_fields=["deadline"])
    record(request, "deadline", None, "", old.isoformat() if old else "", when.isoformat() if when else "")
    return redirect("portal:board")


@login_required
@require_POST
def lock(request):
    _office(request)
    campaign = Campaign.get()
    campaign.locked = request.POST.get("locked") == "1"
    campaign.save(update_fields=["locked"])
    record(request, "lock" if campaign.locked else "unlock", None)
    return redirect("portal:board")


@login_required
@require_POST
def export(request):
    """The year's tables written from what was submitted into the year folder the site was
    made from, as ``wfscore portal export`` writes them (under the desk's lock, all or
    nothing, the rows the desk decided kept); the page names what was written, or every
    problem and that nothing was written."""
    if not R.is_office(request.user):
        return _refused(R.Refused("only the office exports the year", "只有考核办可以导出年度数据"), request)
    from wfscore.inputs.messages_zh import in_lang
    from wfscore.inputs.problems import InputError
    from wfscore.portal import site

    lang = "en" if (get_language() or "").startswith("en") else "zh"
    into = site.export_folder()
    context = {"into": into, "outcome": None, "problems": [], "failure": ""}
    if into is None:
        context["failure"] = said(
            "the site does not name the year folder it was made from (site.json has no year_dir; expected the "
            "folder of wfscore portal init: run it again on this site, or use wfscore portal export)",
            "站点设置中未记录建站所用的年度文件夹（请对本站点再次运行 portal init 以记下它，或在命令行导出）",
        )
    else:
        try:
            outcome = site.export(settings.SITE_DIR, into, reviewer=f"portal {request.user.get_username()}")
        except InputError as exc:
            context["problems"] = [p.text(lang) for p in exc.problems]
        except site.PortalError as exc:
            context["failure"] = said(exc.message, exc.message_zh)
        else:
            context["outcome"] = outcome
            context["kept"] = [in_lang(str(line), lang) for line in outcome.kept]
            context["notes"] = [in_lang(str(line), lang) for line in outcome.notes]
            context["warnings"] = [p.text(lang) for p in outcome.problems]
            record(request, "export", None, str(into), "", ", ".join(outcome.written) or "(nothing changed)")
    status = 200 if context["outcome"] is not None else 400
    return render(request, "portal/export.html", context, status=status)
