"""The portal's tests (each test module imports its fixtures: ``from portalsite import *``)
run Django in this process for one site, made from the sample year
data/2011 (129 departments) in a scratch folder; each test gets a fresh database (pytest-
django's: in memory on SQLite; on PostgreSQL, WFSCORE_TEST_DB=postgresql, a database on the
throwaway server of portaldb.py) holding the year's departments and accounts. Tests that need another
site run the commands in a subprocess (test_commands.py)."""

from __future__ import annotations

import atexit
import tempfile
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "2011"

SITE = Path(tempfile.mkdtemp(prefix="wfscore-portal-test-"))
PASSWORD = "Correct-horse-2026"

from portaldb import ON_POSTGRESQL, new_database  # noqa: E402
from wfscore.portal import site as portal_site  # noqa: E402

# on PostgreSQL (WFSCORE_TEST_DB=postgresql) pytest-django makes its test database beside this one
portal_site.files(SAMPLE, SITE, db=new_database() if ON_POSTGRESQL else None)
portal_site.setup(SITE)

from django.conf import settings  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # 130 accounts in a blink


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        portal_site.accounts(portal_site_year())
        from django.contrib.auth import get_user_model

        for user in get_user_model().objects.all():
            user.set_password(PASSWORD)
            user.save()
        from wfscore.portal.models import Profile

        Profile.objects.update(must_change_password=False)


def portal_site_year():
    from wfscore.portal import year

    return year.current()


@pytest.fixture
def site_dir() -> Path:
    return SITE


def user(name: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


@pytest.fixture
def as_dept(client, db):
    client.force_login(user("P01"))
    return client


@pytest.fixture
def as_office(db):
    """The office, in a browser of its own (beside ``as_dept``'s)."""
    from django.test import Client

    office = Client()
    office.force_login(user("office"))
    return office


@pytest.fixture
def experts(db):
    """An expert's account (part 2 gives experts their pages; here they see nothing)."""
    from django.contrib.auth import get_user_model

    from wfscore.portal.models import Profile

    u = get_user_model().objects.create_user("expert-E1", password=PASSWORD)
    Profile.objects.create(user=u, role="expert", expert_id="E1", must_change_password=False)
    return u


def login(client, name: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in page (the throttling and the audit see it)."""
    client.logout()
    client.post("/login/", {"username": name, "password": password})
    assert "_auth_user_id" in client.session, name


@atexit.register
def _remove_site():
    import shutil

    shutil.rmtree(SITE, ignore_errors=True)


__all__ = ["django_db_setup", "site_dir", "as_dept", "as_office", "experts", "login", "user", "PASSWORD", "SITE"]
