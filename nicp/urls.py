from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from dashboard import views as dashboard_views
from nicp import views

# Operators sign in to the admin through allauth, like everyone: the second factor and the lockout apply.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("", include("dashboard.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("ayuda/", views.help_page, name="help"),
    path("aviso-de-privacidad/", views.privacy_notice, name="privacy"),
    path("i18n/", include("django.conf.urls.i18n")),
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
]

handler400 = "nicp.views.bad_request"
handler403 = "nicp.views.permission_denied"
handler404 = "nicp.views.page_not_found"
handler500 = "nicp.views.server_error"

admin.site.site_header = "NICP · Administración"
admin.site.site_title = "NICP"
