"""`make run` keeps its keys and database to the developer, and logs no family's link.

Found in security round 2: var/ (development keys beside the SQLite database) was readable by
every account on the machine, and the demo channel printed contacts' addresses and private
status links to the worker's log.
"""

import stat

from habeas.notifications.channels import demo

from .test_settings import check


def test_the_development_folder_is_the_developers_alone(tmp_path):
    folder = tmp_path / "var"
    folder.mkdir(mode=0o755)
    assert check({"HABEAS_DEBUG": "1", "HABEAS_VAR_DIR": str(folder)}, tmp_path).returncode == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_demo_message_goes_to_a_private_file_not_the_log(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    demo.send("+79160000001", "", "SOS 14:05. Status: https://x/s/secret-link", "k" * 36)
    printed = capsys.readouterr().err
    assert "+79160000001" not in printed and "secret-link" not in printed
    log = tmp_path / demo.FILENAME
    assert "secret-link" in log.read_text()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
