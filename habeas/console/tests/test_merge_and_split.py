"""The console's side of one person, one case: each report listed, possible matches with a
merge button and a split button per report for dispatchers, one queue row with a count."""

from datetime import date

from conftest import staff_client
from habeas.cases import services
from habeas.cases.models import Case, Report

from .helpers import open_case

BORN = date(1995, 4, 12)
SISTER = services.Reporter(name="Ольга Иванова", phone="+7 916 000-11-22", relation="сестра")


def reported_twice() -> Case:
    case = open_case(name="Мария Иванова", born=BORN)
    joined = open_case(name="иванова  мария", born=BORN, reporter_role="relative", reporter=SISTER)
    assert joined.pk == case.pk
    return case


def english(user):
    """A console in English, so that the words looked for stay these once Russian exists."""
    return staff_client(user, headers={"Accept-Language": "en"})


def page(user, case: Case) -> str:
    return english(user).get(f"/console/cases/{case.public_id}/").content.decode()


def test_the_case_page_lists_each_report_with_its_way_in_role_and_reporter(dispatcher):
    text = page(dispatcher, reported_twice())
    assert text.count('class="report"') == 2
    assert "Relative" in text and "The person themselves" in text
    assert "Ольга Иванова" in text and "сестра" in text
    assert text.count("Split this report into its own case") == 2


def test_a_lawyer_sees_no_split_button_and_no_matches(lawyer_a, dispatcher):
    case = reported_twice()
    open_case(name="Мария Иванова", born=None)
    text = page(lawyer_a, case)
    assert "Split this report" not in text and "Possible matches" not in text
    assert "Possible matches" in page(dispatcher, case)


def test_a_case_with_one_report_offers_nothing_to_split(dispatcher):
    assert "Split this report" not in page(dispatcher, open_case(name="Пётр Сидоров"))


def test_a_report_without_a_birth_date_shows_as_a_possible_match_and_merges_by_hand(
    dispatcher, stations
):
    here = services.Location(lat=55.7649, lon=37.6116)
    far = services.Location(lat=59.93, lon=30.31)  # St Petersburg: another city
    case = open_case(name="Мария Иванова", born=BORN, location=here)
    undated = open_case(name="МАРИЯ иванова", born=None, location=here)
    elsewhere = open_case(name="Мария Иванова", born=None, location=far)
    other_name = open_case(name="Мария Петрова", born=None, location=here)
    text = page(dispatcher, case)
    matches = text.split('id="possible-matches"')[1].split("</section>")[0]
    assert undated.public_id in matches
    assert elsewhere.public_id not in matches and other_name.public_id not in matches

    response = english(dispatcher).post(
        f"/console/cases/{case.public_id}/merge/", {"other": undated.public_id}
    )
    assert response.status_code == 302
    undated.refresh_from_db()
    assert undated.close_reason == "merged"
    assert Report.objects.filter(case=case).count() == 2


def test_merging_a_case_that_does_not_exist_is_a_readable_400(dispatcher):
    case = open_case(name="Пётр Сидоров")
    response = english(dispatcher).post(
        f"/console/cases/{case.public_id}/merge/", {"other": "NOSUCHCASE"}
    )
    assert response.status_code == 400
    assert "Choose the case to merge" in response.content.decode()


def test_a_refused_merge_is_worded_on_the_case_page(dispatcher):
    case = open_case(name="Пётр Сидоров")
    client = english(dispatcher)
    client.post(f"/console/cases/{case.public_id}/merge/", {"other": case.public_id})
    text = client.get(f"/console/cases/{case.public_id}/").content.decode()
    assert "cannot be merged into itself" in text


def test_splitting_a_report_opens_its_new_case(dispatcher):
    case = reported_twice()
    report = Report.objects.get(case=case, reporter_role="relative")
    response = english(dispatcher).post(
        f"/console/cases/{case.public_id}/reports/{report.pk}/split/"
    )
    report.refresh_from_db()
    assert report.case_id != case.pk
    assert response["Location"] == f"/console/cases/{report.case.public_id}/"


def test_the_queue_shows_one_row_per_person_with_the_count_of_reports(dispatcher):
    case = reported_twice()
    open_case(name="Пётр Сидоров")
    text = english(dispatcher).get("/console/queue/list/").content.decode()
    assert text.count('data-case-id="') == 2
    row = text.split(f'data-case-id="{case.public_id}"')[1].split("</li>")[0]
    assert "2 reports" in row
