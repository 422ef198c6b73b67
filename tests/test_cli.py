"""Command-line tasks a coordinator runs: tutor accounts, the demo cohort, script checks."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.live.fidelity import view_digest
from app.models import Cohort, LiveSession, User, ViewHash
from app.replay import recordings
from tests.fixtures.application import PASSWORD


def test_a_coordinator_creates_a_tutor_who_can_then_log_in(app, client, make_cohort, in_db):
    cohort = make_cohort()
    result = app.test_cli_runner().invoke(
        args=[
            "tutor",
            "create",
            "sam",
            "--name",
            "Sam",
            "--cohort",
            str(cohort.id),
            "--password",
            "long enough secret",
        ]
    )
    assert result.exit_code == 0, result.output
    assert in_db(
        lambda: [c.id for c in db.session.query(User).filter_by(username="sam").one().cohorts]
    ) == [cohort.id]
    login = client.post("/login", data={"username": "sam", "password": "long enough secret"})
    assert login.status_code == 302


def test_tutor_create_refuses_a_short_password_and_a_taken_name(app, make_staff):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["tutor", "create", "x", "--password", "short"]).exit_code == 1
    taken = make_staff()
    again = runner.invoke(args=["tutor", "create", taken.username, "--password", "long enough"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_the_demo_is_seeded_once_on_an_empty_database(app, in_db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    second = runner.invoke(args=["demo", "seed"])
    assert "demo / demo-tutor" in first.output and "no demo data" in second.output
    assert in_db(lambda: (db.session.query(User).count(), db.session.query(Cohort).count())) == (
        3,  # the tutor, a trainee tutor and the coordinator
        2,  # the autumn group, and a spring group whose workshops 1 and 4 are over
    )


def test_a_demo_trainee_finds_two_shared_annotated_workshops_to_replay(app, client, in_db):
    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    client.post("/login", data={"username": "stagiaire", "password": "demo-trainee"})
    listed = client.get("/replays").get_data(as_text=True)
    assert listed.count('data-testid="replay-row"') == 2
    dashboard = client.get("/tutor").get_data(as_text=True)
    assert dashboard.count('data-testid="dashboard-replay"') == 2
    for live in in_db(lambda: db.session.query(LiveSession).all()):
        notes = client.get(f"/replays/{live.id}/annotations.json").get_json()["annotations"]
        assert len(notes) >= 3
        assert "Karim" not in str(notes)  # a tutor's note names him: the trainee reads "D"
        slider = client.get(f"/replays/{live.id}/timeline.json").get_json()
        assert slider["quiet"], "a silence to skip"
        assert [m for m in slider["markers"] if m["kind"] == "annotation"]
        seen = "".join(
            client.get(f"/replays/{live.id}/frame/{seq}").get_data(as_text=True)
            for seq in range(slider["last_seq"] + 1)
        )
        assert "Amina" not in seen and "Karim" not in seen  # they did not agree
        assert "Lena" in seen  # she did
        hashes = in_db(
            lambda live=live: dict(
                db.session.execute(
                    select(ViewHash.seq, ViewHash.digest).where(ViewHash.session_id == live.id)
                ).all()
            )
        )
        recording = in_db(lambda live=live: recordings.recording_for(db.session, live.id))
        assert {seq: view_digest(recording.state_at(seq)) for seq in hashes} == hashes


def test_workshops_check_lists_the_meetings(app):
    result = app.test_cli_runner().invoke(args=["workshops", "check"])
    assert result.exit_code == 0 and "w1-presentation" in result.output


def test_a_deactivated_tutor_is_refused_at_once_everywhere_and_can_be_let_back(
    app, make_cohort, make_staff, staff_client, start_live, socket_for
):
    from app.sockets import sweep

    cohort = make_cohort()
    tutor = make_staff(cohort)
    live = start_live(cohort, tutor)
    browser = staff_client(tutor)
    console = socket_for(browser, "/tutor", live)
    assert browser.get("/tutor").status_code == 200
    runner = app.test_cli_runner()

    result = runner.invoke(args=["tutor", "deactivate", tutor.username])

    assert result.exit_code == 0, result.output
    assert browser.get("/tutor").status_code == 302  # to the log-in page
    assert console.emit("sync", namespace="/tutor", callback=True)["error"] == "not_in_room"
    with app.app_context():
        assert sweep.sweep() == 1  # the server closes the socket at its next sweep
    assert not console.is_connected("/tutor")
    refused = app.test_client().post(
        "/login", data={"username": tutor.username, "password": PASSWORD}
    )
    assert refused.status_code == 401
    assert runner.invoke(args=["tutor", "deactivate", tutor.username, "--undo"]).exit_code == 0
    assert staff_client(tutor).get("/tutor").status_code == 200
    assert runner.invoke(args=["tutor", "deactivate", "nobody"]).exit_code == 1
