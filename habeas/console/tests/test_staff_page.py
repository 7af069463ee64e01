"""The Staff page: an administrator invites a lawyer, sees the link once, and deactivates a
lawyer who left; bad input is answered next to its field."""

from conftest import staff_client
from habeas.accounts import invitations
from habeas.accounts.models import Role, User

ENGLISH = {"Accept-Language": "en"}


def link_on(page: str) -> str:
    return page.split('id="invitation-link" type="text" readonly value="')[1].split('"')[0]


def test_an_administrator_invites_a_lawyer_and_the_link_opens_the_welcome_page(admin):
    browser = staff_client(admin, headers=ENGLISH)
    page = browser.post(
        "/console/staff/", {"email": "vera@lawyers.test", "name": "Vera Petrova", "role": "lawyer"}
    )
    assert page.status_code == 200
    link = link_on(page.content.decode())
    token = link.rsplit("/welcome/", 1)[1].strip("/")
    assert invitations.find(token).user.email == "vera@lawyers.test"
    assert User.objects.get(email="vera@lawyers.test").role == Role.LAWYER
    # The link is shown once: the list afterwards does not carry it.
    again = browser.get("/console/staff/").content.decode()
    assert token not in again
    assert "invited, link open" in again


def test_bad_input_is_answered_next_to_its_field_in_russian_and_nothing_is_made(admin):
    browser = staff_client(admin, headers=ENGLISH)
    page = browser.post(
        "/console/staff/",
        {"email": "vera at lawyers", "role": "lawyer"},
        headers={"Accept-Language": "ru"},
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "Введите адрес электронной почты" in text
    assert not User.objects.filter(email__startswith="vera").exists()
    assert (
        browser.post("/console/staff/", {"email": "x@y.test", "role": "judge"}).status_code == 400
    )


def test_an_existing_colleague_is_not_invited_twice(admin, lawyer_a):
    page = staff_client(admin, headers=ENGLISH).post(
        "/console/staff/", {"email": lawyer_a.email, "role": "lawyer"}
    )
    assert page.status_code == 400
    assert "already has an account" in page.content.decode()


def test_deactivating_a_lawyer_logs_them_out_and_says_what_happened(admin, lawyer_a):
    lawyers_phone = staff_client(lawyer_a)
    browser = staff_client(admin, headers=ENGLISH)
    done = browser.post(f"/console/staff/{lawyer_a.pk}/deactivate/", follow=True)
    text = done.content.decode()
    assert "Anna Lawyer is deactivated: 1 session ended." in text
    assert "deactivated" in text.split(f'data-user-id="{lawyer_a.pk}"')[1].split("</tr>")[0]
    assert lawyers_phone.get("/console/").status_code == 302


def test_an_administrator_cannot_deactivate_themselves_and_a_wrong_id_is_a_404(admin):
    browser = staff_client(admin, headers=ENGLISH)
    assert browser.post(f"/console/staff/{admin.pk}/deactivate/").status_code == 409
    assert browser.post("/console/staff/99999/deactivate/").status_code == 404
    assert browser.post("/console/staff/abc/link/").status_code == 404
    assert browser.get(f"/console/staff/{admin.pk}/deactivate/").status_code == 405
