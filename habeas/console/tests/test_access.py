import pytest

from conftest import PASSWORD, staff_client, totp_code

CONSOLE_PAGES = [
    "/console/",
    "/console/queue/list/",
    "/console/offers/1/",
    "/console/profile/",
    "/console/roster/",
    "/console/outbox/",
]
DISPATCHER_PAGES = ["/console/roster/", "/console/outbox/"]


@pytest.mark.parametrize("url", CONSOLE_PAGES)
def test_anonymous_visitor_is_sent_to_the_login_page(stranger, url):
    response = stranger.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/console/login/?next=")


def test_anonymous_visitor_cannot_open_a_case_or_act_on_it(stranger, detainee):
    page = stranger.get(f"/console/cases/{detainee.case_id}/")
    action = stranger.post(f"/console/cases/{detainee.case_id}/act/", {"action": "take"})
    assert page.status_code == 302 and action.status_code == 302
    assert "Мария" not in page.content.decode()


@pytest.mark.parametrize("persona", ["lawyer_a", "dispatcher", "admin"])
def test_every_staff_role_can_see_the_queue(request, persona):
    response = staff_client(request.getfixturevalue(persona)).get("/console/")
    assert response.status_code == 200
    assert 'id="queue"' in response.content.decode()


@pytest.mark.parametrize("url", DISPATCHER_PAGES)
def test_a_lawyer_is_refused_dispatcher_pages_with_a_readable_403(lawyer_a, url):
    response = staff_client(lawyer_a).get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert "Only dispatchers and administrators can see this." in response.content.decode()


@pytest.mark.parametrize("persona", ["dispatcher", "admin"])
@pytest.mark.parametrize("url", DISPATCHER_PAGES)
def test_dispatchers_and_admins_open_dispatcher_pages(request, persona, url):
    assert staff_client(request.getfixturevalue(persona)).get(url).status_code == 200


def test_staff_log_in_with_their_email_in_any_case(stranger, lawyer_a):
    page = stranger.get("/console/login/")
    assert 'name="username"' in page.content.decode()
    assert 'name="password"' in page.content.decode()
    response = stranger.post(
        "/console/login/", {"username": "Anna@Lawyers.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/console/"
    # The password alone opens nothing: the second factor comes next.
    assert stranger.get("/console/")["Location"] == "/console/two-factor/?next=%2Fconsole%2F"
    stranger.post("/console/two-factor/", {"code": totp_code(lawyer_a), "next": "/console/"})
    assert stranger.get("/console/").status_code == 200


def test_a_wrong_password_keeps_the_visitor_out_with_a_message(stranger, lawyer_a):
    response = stranger.post("/console/login/", {"username": lawyer_a.email, "password": "nope"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert stranger.get("/console/").status_code == 302


def test_a_disabled_account_cannot_log_in(stranger, lawyer_a):
    lawyer_a.is_active = False
    lawyer_a.save()
    stranger.post("/console/login/", {"username": lawyer_a.email, "password": PASSWORD})
    assert stranger.get("/console/").status_code == 302


def test_logging_out_is_a_post_and_ends_the_session(lawyer_a):
    client = staff_client(lawyer_a)
    response = client.post("/console/logout/")
    assert response.status_code == 302
    assert client.get("/console/").status_code == 302


def test_pages_carry_a_viewport_and_no_inline_script_or_style(
    stranger, lawyer_a, dispatcher, detainee
):
    client = staff_client(lawyer_a)
    pages = [client.get("/console/"), client.get(f"/console/cases/{detainee.case_id}/")]
    pages.append(stranger.get("/console/login/"))
    pages.append(client.get("/console/profile/"))
    desk = staff_client(dispatcher)
    pages += [desk.get("/console/"), desk.get("/console/roster/"), desk.get("/console/outbox/")]
    for response in pages:
        assert "script-src 'self'" in response["Content-Security-Policy"]
        html = response.content.decode()
        assert '<meta name="viewport"' in html
        assert "<script>" not in html and "<style" not in html
        assert " style=" not in html and " onclick=" not in html
