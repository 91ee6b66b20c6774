"""The call's rules for funded projects, edited by the coordination."""

urlpatterns: list = []
