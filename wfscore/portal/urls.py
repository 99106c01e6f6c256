from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from wfscore.portal import api, views

app = (
    [
        path("", views.home, name="home"),
        path("login/", views.Login.as_view(), name="login"),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
        path("password/", views.PasswordChange.as_view(), name="password"),
        path("returns/<str:dept_id>/", views.return_page, name="return"),
        path("returns/<str:dept_id>/value", views.save_value, name="value"),
        path("returns/<str:dept_id>/exemption", views.exemption, name="exemption"),
        path("returns/<str:dept_id>/withdraw", views.withdraw, name="withdraw"),
        path("returns/<str:dept_id>/achievement", views.achievement, name="achievement"),
        path("returns/<str:dept_id>/report", views.report, name="report"),
        path("returns/<str:dept_id>/submit", views.submit, name="submit"),
        path("returns/<str:dept_id>/reopen", views.reopen, name="reopen"),
        path("returns/<str:dept_id>/question", views.question, name="question"),
        path("returns/<str:dept_id>/audit", views.audit, name="audit"),
        path("questions/<int:pk>/answer", views.answer, name="answer"),
        path("questions/<int:pk>/close", views.close, name="close"),
        path("uploads/<int:pk>", views.upload, name="upload"),
        path("office/", views.board, name="board"),
        path("office/deadline", views.deadline, name="deadline"),
        path("office/lock", views.lock, name="lock"),
        path("office/export", views.export, name="export"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(app)),
    path("api/password", api.password),
    path("api/token", api.token),
    path("api/returns/<str:dept_id>", api.return_),
    path("api/returns/<str:dept_id>/submit", api.submit),
    path("api/status", api.status),
    path("api/office", api.office),
    path("admin/", admin.site.urls),
]
