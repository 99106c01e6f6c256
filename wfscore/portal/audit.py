"""The audit trail: :func:`record` appends one entry; sign-ins and failed sign-ins are
recorded from Django's signals. Every entry names the account, the time, the address it
came from, the department concerned, and the old and new text."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from wfscore.portal.models import AuditEntry

ACTIONS = {  # action → (English, Chinese), as the audit pages show them
    "login": ("signed in", "登录"),
    "login_failed": ("failed sign-in", "登录失败"),
    "password": ("changed the password", "修改密码"),
    "value": ("changed a value", "修改数值"),
    "exemption": ("exemption request", "不适用申请"),
    "achievement": ("achievement claim", "奖励申报"),
    "upload": ("uploaded a file", "上传文件"),
    "submit": ("submitted", "提交"),
    "reopen": ("reopened", "退回修改"),
    "question": ("raised a question", "提出问题"),
    "answer": ("answered a question", "答复问题"),
    "close": ("closed a question", "关闭问题"),
    "deadline": ("set the deadline", "设置截止时间"),
    "lock": ("locked the year", "锁定年度"),
    "unlock": ("unlocked the year", "解除锁定"),
    "office_value": ("changed an office figure", "修改考核办数值"),
    "token": ("took an API token", "获取接口令牌"),
    "export": ("exported the year", "导出年度数据"),
}


def address(request) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:64]


def record(request, action: str, department=None, field: str = "", old="", new="", username: str | None = None):
    entry_ = entry(request, action, department, field, old, new, username)
    entry_.save()
    return entry_


def entry(request, action: str, department=None, field: str = "", old="", new="", username: str | None = None):
    """The entry :func:`record` appends, not yet saved (to append several in one statement)."""
    if username is None:
        user = getattr(request, "user", None)
        username = user.get_username() if user is not None and user.is_authenticated else ""
    return AuditEntry(
        username=username[:150],
        address=address(request),
        department=department,
        action=action,
        field=str(field)[:200],
        old="" if old is None else str(old),
        new="" if new is None else str(new),
    )


def _department_of(user):
    profile = getattr(user, "profile", None)
    return profile.department if profile is not None else None


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(request, "login", _department_of(user), username=user.get_username())


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    name = str(credentials.get("username", ""))[:150]
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=name).select_related("profile__department").first()
    record(request, "login_failed", _department_of(user) if user else None, username=name)
