"""Middleware: a Content-Security-Policy without inline script, and accounts with a
one-time password sent to change it before anything else; the sign-in backend."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.shortcuts import redirect
from django.urls import reverse

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        return response


class PasswordChangeFirst:
    """A signed-in account whose password is still the one-time one may only change it
    (or sign out); the API refuses it a token (:mod:`.api`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(("/static/", "/api/")):
            profile = getattr(user, "profile", None)
            allowed = (reverse("portal:password"), reverse("portal:logout"))
            if profile is not None and profile.must_change_password and request.path not in allowed:
                return redirect("portal:password")
        return self.get_response(request)


class AccountBackend(ModelBackend):
    """Django's own sign-in by password; a signed-in account is read with its profile and
    department in one query (every page reads them)."""

    def get_user(self, user_id):
        model = get_user_model()
        user = model._default_manager.select_related("profile__department").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
