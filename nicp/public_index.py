"""What search engines may read: sitemap.xml of the public pages and robots.txt.

Addresses are absolute on NICP_SITE_URL (the address people use, as in e-mails), never on the Host header of
whoever asked. Page 1 of the sitemap lists the fixed public pages, the published calls and the first 50,000
projects; each further page (`?p=2`, …) the next projects, and robots.txt names every page."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from projects.models import Project
from proposals.models import Call
from proposals.workflow import CallState

# Pages anyone reads, by URL name; those with arguments come from the data below.
PUBLIC_PAGES = ("home", "help", "privacy", "proposals:call_list", "territory:borough_list", "public:project_list",
                "public:project_map", "public:statistics", "opendata:index", "opendata:dictionary")
RESULTS_PUBLISHED = (CallState.RESULTS_PUBLISHED, CallState.ARCHIVED)

# Whatever needs an account, or serves files and forms rather than pages: not for crawlers.
ROBOTS_DISALLOW = ("/admin/", "/accounts/", "/api/", "/inicio/", "/seguimiento/", "/reportes/", "/avisos/",
                   "/perfil/", "/grupos/", "/invitaciones/", "/propuestas/", "/revision/", "/dictamenes/",
                   "/comites/", "/i18n/", "/convocatorias/nueva/")
ROBOTS_ALLOW = ("/api/v1/public/",)


class SiteSitemap(Sitemap):
    """Absolute addresses on NICP_SITE_URL (scheme, host and any path prefix)."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.NICP_SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.NICP_SITE_URL)
        return parts.netloc + parts.path.rstrip("/")


class PageSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return list(PUBLIC_PAGES)

    def location(self, item):
        return reverse(item)


class CallSitemap(SiteSitemap):
    """Every published call's page and, once out, its results."""

    changefreq = "weekly"

    def items(self):
        calls = Call.objects.visible_to(AnonymousUser()).order_by("-fiscal_year", "id").values_list("pk", "status")
        pages = []
        for pk, status in calls:
            pages.append(("proposals:call_detail", pk))
            if status in RESULTS_PUBLISHED:
                pages.append(("committees:results", pk))
        return pages

    def location(self, item):
        return reverse(item[0], args=[item[1]])


class ProjectSitemap(SiteSitemap):
    """Every funded project's public page (every project is public once its call's results are out)."""

    changefreq = "weekly"

    def items(self):
        return Project.objects.order_by("id").values("code", "updated_at")

    def location(self, item):
        return reverse("public:project", args=[item["code"]])

    def lastmod(self, item):
        return item["updated_at"]


FIRST_PAGE = {"pages": PageSitemap, "calls": CallSitemap, "projects": ProjectSitemap}
LATER_PAGES = {"projects": ProjectSitemap}


@require_safe
def sitemap(request):
    sections = FIRST_PAGE if request.GET.get("p", "1") == "1" else LATER_PAGES
    return sitemap_views.sitemap(request, sitemaps=sections)


@require_safe
def robots_txt(request):
    site = settings.NICP_SITE_URL
    lines = ["User-agent: *",
             *(f"Allow: {path}" for path in ROBOTS_ALLOW),
             *(f"Disallow: {path}" for path in ROBOTS_DISALLOW),
             "",
             f"Sitemap: {site}{reverse('sitemap')}",
             *(f"Sitemap: {site}{reverse('sitemap')}?p={number}"
               for number in ProjectSitemap().paginator.page_range[1:])]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
