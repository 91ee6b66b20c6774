"""A browser page logged in through the login form, by keyboard, as a person would: one helper for every
journey that needs several people side by side (each in its own browser context)."""

from tests.e2e.test_foundation_journey import HOME, type_into
from tests.factories import PASSWORD


def logged_in_page(browser, live_server, user, *, width=390, height=844):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    type_into(page, "Correo electrónico", user.email)
    type_into(page, "Contraseña", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(HOME)
    return page
