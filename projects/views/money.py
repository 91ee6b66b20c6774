"""Money pages (account, agreement, tranches, finance queue). The detail page includes
projects/_money.html with money_context(request, project)."""


def money_context(request, project) -> dict:
    return {}


urlpatterns: list = []
