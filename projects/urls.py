"""Funded projects' pages for committees and staff. The public pages come with the accountability issue
under /proyectos/, so these live under /seguimiento/. Each views module lists its own routes."""

from projects.views import closure, execution, expenses, money, pages, publication, rules

app_name = "projects"
urlpatterns = [*pages.urlpatterns, *money.urlpatterns, *rules.urlpatterns, *expenses.urlpatterns,
               *execution.urlpatterns, *closure.urlpatterns, *publication.urlpatterns]
