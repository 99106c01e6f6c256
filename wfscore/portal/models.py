"""What the portal keeps: the year's settings, departments and accounts, each
department's return (values, exemption requests, achievement claims, uploads), the
submissions (a frozen copy each), questions, API tokens and the audit trail.

Nothing is deleted: a withdrawn exemption or claim is marked withdrawn; the audit trail
refuses updates and deletions (in Python and, on SQLite, by triggers in the database).
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

ROLES = (("department", "部门"), ("office", "考核办"), ("expert", "专家"), ("approver", "审批人"))
STATES = (("draft", "草稿"), ("submitted", "已提交"), ("reopened", "已退回修改"))


class Campaign(models.Model):
    """The year this site collects (one row)."""

    year = models.IntegerField(unique=True)
    scheme_hash = models.CharField(max_length=64)
    deadline = models.DateTimeField(null=True, blank=True)
    locked = models.BooleanField(default=False)
    review_days = models.IntegerField(default=10)  # days after publication a department may ask for 复核
    show_ranking = models.BooleanField(default=False)  # departments see the published ranking

    @classmethod
    def get(cls) -> "Campaign":
        return cls.objects.get()

    def open_for_entry(self) -> bool:
        return not self.locked and (self.deadline is None or timezone.now() < self.deadline)


class Department(models.Model):
    dept_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=500)
    kind = models.CharField(max_length=64)
    position = models.IntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return f"{self.dept_id} {self.name}"


class Profile(models.Model):
    """What an account is for: a department, the office, an expert."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="profile")
    role = models.CharField(max_length=16, choices=ROLES)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT)
    expert_id = models.CharField(max_length=64, blank=True)
    must_change_password = models.BooleanField(default=True)


class Return(models.Model):
    """A department's self-check return (its current state; submissions keep copies)."""

    department = models.OneToOneField(Department, on_delete=models.PROTECT, related_name="ret")
    state = models.CharField(max_length=16, choices=STATES, default="draft")
    started = models.BooleanField(default=False)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.CharField(max_length=150, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.CharField(max_length=150, blank=True)
    report = models.ForeignKey("Upload", null=True, blank=True, on_delete=models.PROTECT, related_name="+")


class Value(models.Model):
    """One indicator's figure as the department typed it, and as the year's CSV reads it."""

    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="values")
    indicator = models.CharField(max_length=64)
    text = models.CharField(max_length=200, blank=True)  # as typed
    number = models.CharField(max_length=64, blank=True)  # as values.csv writes it; empty: none or wrong
    problem = models.CharField(max_length=500, blank=True)  # English
    problem_zh = models.CharField(max_length=500, blank=True)

    class Meta:
        unique_together = [("ret", "indicator")]


class Exemption(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="exemptions")
    indicator = models.CharField(max_length=64)
    reason = models.TextField()
    withdrawn = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)


class Upload(models.Model):
    """A file a department sent: kept under a random name in SITE_DIR/uploads."""

    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="uploads")
    purpose = models.CharField(max_length=16)  # report | evidence
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8)  # pdf | docx | wps
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField(default=timezone.now)


class Achievement(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="achievements")
    indicator = models.CharField(max_length=64)
    title = models.CharField(max_length=1000)
    document = models.CharField(max_length=500, blank=True)
    evidence = models.ForeignKey(Upload, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)


class Submission(models.Model):
    """A frozen copy of a return as submitted (what ``portal export`` writes)."""

    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="submissions")
    at = models.DateTimeField(default=timezone.now)
    by = models.CharField(max_length=150)
    content = models.JSONField()  # {"values": {id: text}, "exemptions": [...], "achievements": [...]}


class OfficeValue(models.Model):
    """A figure the office gives a department: an office indicator, or the website
    evaluation (indicator ``website``)."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT)
    indicator = models.CharField(max_length=64)
    number = models.CharField(max_length=64)

    class Meta:
        unique_together = [("department", "indicator")]


class Question(models.Model):
    """A query the office raises on one value (REDCap's data resolution): open, answered, closed."""

    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="questions")
    indicator = models.CharField(max_length=64)
    state = models.CharField(max_length=16, default="open")  # open | answered | closed
    raised_by = models.CharField(max_length=150)
    raised_at = models.DateTimeField(default=timezone.now)


class QuestionEntry(models.Model):
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=16)  # raise | answer | close
    text = models.TextField(blank=True)
    by = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]


class ApiToken(models.Model):
    """An API token: only its SHA-256 is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    @classmethod
    def issue(cls, user) -> str:
        key = secrets.token_urlsafe(32)
        cls.objects.create(user=user, digest=cls.digest_of(key))
        return key


class AppendOnly(Exception):
    pass


class AuditEntry(models.Model):
    """One thing that happened: who, when, from where, to which department, old, new.
    Append-only."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    username = models.CharField(max_length=150)
    address = models.CharField(max_length=64, blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT)
    action = models.CharField(max_length=32)
    field = models.CharField(max_length=200, blank=True)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("the audit trail is append-only")


class Assignment(models.Model):
    """A department an expert rates. An expert with no assignment rates every department."""

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")

    class Meta:
        unique_together = [("expert", "department")]


class RatingSheet(models.Model):
    """An expert's ratings as a whole: a draft until submitted once; the office may reopen it."""

    expert = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rating_sheet")
    state = models.CharField(max_length=16, choices=STATES, default="draft")
    submitted_at = models.DateTimeField(null=True, blank=True)


class Rating(models.Model):
    """One expert's rating (0-100) of one expert-rated indicator of one department."""

    sheet = models.ForeignKey(RatingSheet, on_delete=models.PROTECT, related_name="ratings")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(max_length=64)
    text = models.CharField(max_length=64, blank=True)  # as typed
    number = models.CharField(max_length=64, blank=True)  # as ratings.csv writes it; empty: none or wrong
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        unique_together = [("sheet", "department", "indicator")]


RELEASE_STATES = (
    ("ready", "待审批"),
    ("approved", "已批准"),
    ("returned", "已退回"),
    ("published", "已发布"),
    ("superseded", "已被新版本取代"),
)


class Release(models.Model):
    """One version of the year's result, as the office marked it ready: approved or sent back
    by an approver (never the one who marked it), then published by the office."""

    version = models.IntegerField(unique=True)
    state = models.CharField(max_length=16, choices=RELEASE_STATES, default="ready")
    result_hash = models.CharField(max_length=64)  # the result's SHA-256 (as the cards carry it)
    ranking = models.JSONField()  # [{"dept_id", "name", "kind", "rank", "total", ...}] as scored
    ready_by = models.CharField(max_length=150)
    ready_at = models.DateTimeField(default=timezone.now)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    published_by = models.CharField(max_length=150, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["version"]


class ReviewRequest(models.Model):
    """A department's 复核 request on its published card. The request itself, its state and
    the office's answer live in the year's dispute register (``dispute_id``); this row ties it
    to the department, the release it was asked on and an optional evidence file."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="review_requests")
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="review_requests")
    dispute_id = models.CharField(max_length=64, unique=True)
    evidence = models.ForeignKey(Upload, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_by = models.CharField(max_length=150)
    opened_at = models.DateTimeField(default=timezone.now)
