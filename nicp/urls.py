from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as account_views
from dashboard import views as dashboard_views
from nicp import public_index, views

# Operators sign in to the admin through allauth, like everyone: the second factor and the lockout apply.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("", include("dashboard.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("ayuda/", views.help_page, name="help"),
    path("aviso-de-privacidad/", views.privacy_notice, name="privacy"),
    # Django's language switch, wrapped to record a signed-in person's choice (accounts.views.set_language).
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("territorio/", include("neighbourhoods.urls")),
    path("avisos/", include("notifications.urls")),
    path("", include("proposals.urls")),
    path("", include("committees.urls")),
    path("seguimiento/", include("projects.urls")),
    path("api/v1/", include("nicp.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api_docs"),
    path("admin/", admin.site.urls),
    path("reportes/", include("reports.urls")),
    # The public side (issue 13): projects, map, statistics, open data; no account needed.
    path("", include("projects.public.urls")),
    path("", include("reports.opendata.urls")),
    path("sitemap.xml", public_index.sitemap, name="sitemap"),
    path("robots.txt", public_index.robots_txt, name="robots_txt"),
]

handler400 = "nicp.views.bad_request"
handler403 = "nicp.views.permission_denied"
handler404 = "nicp.views.page_not_found"
handler500 = "nicp.views.server_error"

admin.site.site_header = "NICP · Administración"
admin.site.site_title = "NICP"
