"""Funded projects' pages. Each views module lists its own routes; the public pages come with the
accountability issue under /proyectos/, so these staff and committee pages live under /seguimiento/."""

from projects.views import routes

app_name = "projects"
urlpatterns = routes.urlpatterns
