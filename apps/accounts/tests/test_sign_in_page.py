"""Small things people meet first: the sign-in page's tab order and the API docs' language."""

import re


def test_forgot_password_comes_after_the_password_field(client, db):
    page = client.get("/accounts/login/").content.decode()
    password = page.index('type="password"')
    forgot = page.index("Forgot your password?")
    assert password < forgot < page.index(">Sign in</button>")


def test_api_docs_page_has_a_language(client):
    page = client.get("/api/docs").content.decode()
    assert re.search(r'<html lang="en-GB">', page)


def test_sign_in_page_speaks_plainly(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "Remember Me" not in page and "Keep me signed in on this device" in page
    assert "Leave this unticked on a shared computer" in page
    assert ">Email address" in page or "Email address</label>" in page
