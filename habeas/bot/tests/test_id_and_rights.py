"""/id tells a person their chat id; "Know your rights" gives the guides' links and the key
phrases inline."""

import pytest

from habeas.guides import load_guides

from .helpers import label, say

pytestmark = pytest.mark.django_db


def test_id_tells_the_chat_its_own_id(client, telegram, run_tasks):
    [reply] = say(client, run_tasks, telegram, text="/id", chat=31337)
    assert "31337" in reply["text"]
    assert str(reply["chat_id"]) == "31337"


def test_know_your_rights_links_every_guide_to_the_pwa(client, telegram, run_tasks, settings):
    settings.HABEAS_BASE_URL = "https://sos.example.org"
    [reply] = say(client, run_tasks, telegram, text=label("rights"))
    for guide in load_guides("ru"):
        assert f"{guide.title}: https://sos.example.org/guides/{guide.slug}/" in reply["text"]
    assert "51" in reply["text"]
    assert len(reply["text"]) <= 4096
