"""The JSON API, with the same rights as the pages (it goes through :mod:`.returns`).

- ``POST /api/password`` ``{"username", "password", "new_password"}``: changes a password
  (Django's validators); a one-time password gives no token until it is changed;
- ``POST /api/token`` ``{"username", "password"}`` → ``{"token"}``; then
  ``Authorization: Token …`` on every other call (sign-in throttled per account, as the page);
- ``GET``/``PATCH /api/returns/<dept_id>``: the return; a change is all or nothing (400 with
  every problem);
- ``POST /api/returns/<dept_id>/submit``;
- ``GET /api/status`` (the office): every department and its state;
- ``PATCH /api/office`` (the office): its own figures and the website evaluation.
"""

from __future__ import annotations

import json

from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from wfscore.portal import returns as R
from wfscore.portal.audit import record
from wfscore.portal.models import ApiToken

CHINESE = {"ensure_ascii": False}  # the Chinese as it reads, not \u escapes


def _error(status: int, message: str, message_zh: str, **more) -> JsonResponse:
    return JsonResponse({"error": message, "error_zh": message_zh, **more}, status=status, json_dumps_params=CHINESE)


def _body(request):
    try:
        return json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return None


def _token_user(request):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Token "):
        return None
    token = (
        ApiToken.objects.select_related("user__profile__department")
        .filter(digest=ApiToken.digest_of(header[6:].strip()))
        .first()
    )
    if token is None or not token.user.is_active or token.user.profile.must_change_password:
        return None
    return token.user


def endpoint(methods):
    """A token-authenticated endpoint (no cookies, so no CSRF token): 401 without a valid
    token, 405 for another method, 403/404 as :mod:`.returns` says."""

    def wrap(view):
        @csrf_exempt
        def inner(request, *args, **kwargs):
            if request.method not in methods:
                return _error(405, "method not allowed", "不支持该请求方法")
            user = _token_user(request)
            if user is None:
                return _error(
                    401,
                    "no valid token (expected Authorization: Token …, from POST /api/token)",
                    "缺少有效令牌（应在请求头写 Authorization: Token …，令牌由 POST /api/token 获取）",
                )
            request.user = user
            try:
                return view(request, *args, **kwargs)
            except R.Refused as exc:
                return _error(403, exc.message, exc.message_zh)
            except Http404:
                return _error(404, "not found", "未找到")

        inner.__name__ = view.__name__
        return inner

    return wrap


def _credentials(request, data):
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("username"), str)
        or not isinstance(data.get("password"), str)
    ):
        return None, _error(
            400, "expected a JSON object with username and password", "应为含 username 和 password 的 JSON 对象"
        )
    user = authenticate(request, username=data["username"], password=data["password"])
    if getattr(request, "axes_locked_out", False):
        return None, _error(
            429, "too many failed sign-ins: this account is locked for a while", "登录失败次数过多，该账号暂被锁定"
        )
    if user is None or not user.is_active or not hasattr(user, "profile"):
        return None, _error(401, "wrong username or password", "账号或密码错误")
    return user, None


@csrf_exempt
def password(request):
    if request.method != "POST":
        return _error(405, "method not allowed", "不支持该请求方法")
    data = _body(request)
    user, response = _credentials(request, data)
    if response is not None:
        return response
    new = data.get("new_password")
    if not isinstance(new, str) or new == data["password"]:
        return _error(400, "expected new_password, different from the old one", "应提供与原密码不同的 new_password")
    try:
        password_validation.validate_password(new, user)
    except ValidationError as exc:
        return _error(400, "the new password is refused", "新密码不符合要求", problems=list(exc.messages))
    user.set_password(new)
    user.save(update_fields=["password"])
    user.api_tokens.all().delete()
    user.profile.must_change_password = False
    user.profile.save(update_fields=["must_change_password"])
    record(request, "password", user.profile.department, username=user.get_username())
    return JsonResponse({"changed": True}, json_dumps_params=CHINESE)


@csrf_exempt
def token(request):
    if request.method != "POST":
        return _error(405, "method not allowed", "不支持该请求方法")
    user, response = _credentials(request, _body(request))
    if response is not None:
        return response
    if user.profile.must_change_password:
        return _error(
            403,
            "the one-time password must be changed first (POST /api/password)",
            "须先修改一次性密码（POST /api/password）",
        )
    key = ApiToken.issue(user)
    record(request, "token", user.profile.department, username=user.get_username())
    return JsonResponse({"token": key}, json_dumps_params=CHINESE)


@endpoint(("GET", "PATCH"))
def return_(request, dept_id):
    ret = R.readable(request.user, dept_id)
    if request.method == "PATCH":
        data = _body(request)
        if data is None:
            return _error(400, "the body is not JSON", "请求内容不是 JSON")
        found = R.patch(request, ret, data)
        if found:
            return _error(
                400,
                f"{len(found)} problems; nothing was saved",
                f"共 {len(found)} 个问题，未保存任何内容",
                problems=found,
            )
        ret.refresh_from_db()
    return JsonResponse(R.as_json(ret), json_dumps_params=CHINESE)


@endpoint(("POST",))
def submit(request, dept_id):
    ret = R.readable(request.user, dept_id)
    found = R.submit(request, ret)
    if found:
        return _error(400, f"{len(found)} problems; not submitted", f"共 {len(found)} 个问题，未提交", problems=found)
    ret.refresh_from_db()
    return JsonResponse(R.as_json(ret), json_dumps_params=CHINESE)


@endpoint(("GET",))
def status(request):
    if not R.is_office(request.user):
        return _error(403, "the office only", "仅限考核办")
    return JsonResponse(
        {
            "departments": [
                {
                    "dept_id": r.dept_id,
                    "name": r.name,
                    "state": r.state,
                    "problems": r.problems,
                    "empty": r.empty,
                    "open_questions": r.open_questions,
                    "report": r.report,
                    "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
                }
                for r in R.board()
            ]
        },
        json_dumps_params=CHINESE,
    )


@endpoint(("PATCH",))
def office(request):
    data = _body(request)
    if data is None:
        return _error(400, "the body is not JSON", "请求内容不是 JSON")
    found = R.set_office_values(request, data)
    if found:
        return _error(
            400, f"{len(found)} problems; nothing was saved", f"共 {len(found)} 个问题，未保存任何内容", problems=found
        )
    return JsonResponse({"saved": True}, json_dumps_params=CHINESE)
