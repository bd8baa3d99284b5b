from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from boards import views as board_views
from leeds_communities import audit, views

admin.site.site_header = "Leeds Communities administration"
admin.site.site_title = "Leeds Communities"

urlpatterns = [
    path("", board_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", audit.audit_log, name="audit_log"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("boards/", include("boards.urls")),
    path("", include("boards.meetings.urls")),
    path("actionplans/", include("actionplans.urls")),
    path("neighbourhoods/", include("neighbourhoods.urls")),
    path("dashboards/", include("actionplans.dashboards.urls")),
    # The meeting models' admin pages moved with their app; old bookmarks still arrive.
    re_path(
        r"^admin/boards/(?P<model>actionarising|agendaitem|appendix|attendance|boardpack|decision"
        r"|declarationofinterest|meeting|packbuild|recommendation|report|reportsection)/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/meetings/%(model)s/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
]

handler403 = "leeds_communities.views.permission_denied"
handler404 = "leeds_communities.views.page_not_found"
handler500 = "leeds_communities.views.server_error"
