"""Routes filled in by the execution and closure pages (issue 11)."""

urlpatterns = []
