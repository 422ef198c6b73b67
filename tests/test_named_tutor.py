"""Each participant has a named tutor in their group: chosen on the group's page among
its tutors, shown on the person's phone, and gone when that tutor leaves the group."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Membership, User
from app.participants.operations import named_tutor
from app.permissions import Role

EN = {"Accept-Language": "en"}


@pytest.fixture
def group(make_cohort, make_staff, make_participant, in_db):
    """A group with two tutors, Lucie and Omar, a trainee, and Amina let in."""
    cohort = make_cohort("Autumn group")
    lucie, omar = make_staff(cohort), make_staff(cohort)
    trainee = make_staff(cohort, role=Role.TRAINEE)

    def names() -> None:
        for user, name in ((lucie, "Lucie"), (omar, "Omar"), (trainee, "Théo")):
            db.session.get(User, user.id).display_name = name
        db.session.commit()

    in_db(names)
    amina = make_participant(cohort, name="Amina")
    return cohort, lucie, omar, trainee, amina


def tutor_id_of(in_db, cohort, person) -> int | None:
    return in_db(
        lambda: (
            db.session.query(Membership.tutor_id)
            .filter_by(cohort_id=cohort.id, participant_id=person.id)
            .scalar()
        )
    )


def test_a_tutor_names_a_colleague_as_amina_s_tutor_and_her_phone_says_so(
    group, staff_client, phone_client, in_db
):
    cohort, lucie, omar, _trainee, amina = group
    browser = staff_client(lucie)
    page = browser.get(f"/cohorts/{cohort.id}", headers=EN).get_data(as_text=True)
    row = page[page.index(f'data-participant-id="{amina.id}"') :]
    form = row[row.index('data-testid="named-tutor-form"') : row.index("</form>")]
    assert "Lucie" in form and "Omar" in form and "Théo" not in form  # no trainee
    assert 'name="csrf_token"' in form

    saved = browser.post(
        f"/cohorts/{cohort.id}/participants/{amina.id}/tutor",
        data={"tutor": str(omar.id)},
        headers=EN,
    )

    assert saved.status_code == 302
    assert tutor_id_of(in_db, cohort, amina) == omar.id
    page = browser.get(saved.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Omar is now the tutor of Amina." in page
    assert re.search(rf'<option value="{omar.id}"\s+selected>Omar</option>', page)
    home = phone_client(amina).get("/", headers=EN).get_data(as_text=True)
    assert "Votre tuteur ou tutrice : <bdi>Omar</bdi>" in home  # Amina reads French


def test_someone_who_does_not_tutor_the_group_cannot_be_named(
    group, make_staff, make_cohort, staff_client, in_db
):
    cohort, lucie, _omar, trainee, amina = group
    elsewhere = make_staff(make_cohort("Spring group"))
    browser = staff_client(lucie)
    url = f"/cohorts/{cohort.id}/participants/{amina.id}/tutor"

    for stranger in (elsewhere.id, trainee.id, 99999, "Omar"):
        refused = browser.post(url, data={"tutor": str(stranger)}, headers=EN)
        assert refused.status_code == 400, stranger
        assert "Choose one of this group&#39;s tutors." in refused.get_data(as_text=True)
    assert tutor_id_of(in_db, cohort, amina) is None


def test_nobody_can_be_chosen_again_and_only_the_groups_people_have_a_tutor_here(
    group, make_participant, make_cohort, staff_client, in_db
):
    cohort, lucie, _omar, _trainee, amina = group
    browser = staff_client(lucie)
    url = f"/cohorts/{cohort.id}/participants/{amina.id}/tutor"
    assert browser.post(url, data={"tutor": str(lucie.id)}).status_code == 302
    assert tutor_id_of(in_db, cohort, amina) == lucie.id

    assert browser.post(url, data={"tutor": ""}).status_code == 302
    assert tutor_id_of(in_db, cohort, amina) is None
    waiting = make_participant(cohort, name="Sara", admitted=False)
    lina = make_participant(make_cohort("Spring group"), name="Lina")
    for person in (waiting, lina):
        other = f"/cohorts/{cohort.id}/participants/{person.id}/tutor"
        assert browser.post(other, data={"tutor": str(lucie.id)}).status_code == 404


def test_the_form_needs_its_csrf_token(app, group, staff_client, in_db):
    cohort, lucie, _omar, _trainee, amina = group
    browser = staff_client(lucie)
    app.config["WTF_CSRF_ENABLED"] = True
    refused = browser.post(
        f"/cohorts/{cohort.id}/participants/{amina.id}/tutor", data={"tutor": str(lucie.id)}
    )
    assert refused.status_code == 400
    assert tutor_id_of(in_db, cohort, amina) is None


def test_a_tutor_taken_off_the_group_is_nobody_s_named_tutor_there_any_more(
    group, make_staff, staff_client, phone_client, in_db
):
    cohort, lucie, omar, _trainee, amina = group
    staff_client(lucie).post(
        f"/cohorts/{cohort.id}/participants/{amina.id}/tutor", data={"tutor": str(omar.id)}
    )
    coordinator = staff_client(make_staff(None, Role.COORDINATOR))

    kept = coordinator.post(
        f"/coordinator/cohorts/{cohort.id}",
        data={
            "name": cohort.name,
            "starts_on": "2026-09-07",
            "weeks": "9",
            "tutors": [str(lucie.id)],
        },
    )

    assert kept.status_code == 302
    assert tutor_id_of(in_db, cohort, amina) is None
    home = phone_client(amina).get("/", headers=EN).get_data(as_text=True)
    assert "Votre tuteur ou tutrice" not in home


def test_a_named_tutor_who_no_longer_tutors_the_group_is_not_shown(group, in_db):
    """However the tutor left (an account deactivated), the link is not read as theirs."""
    _cohort, _lucie, omar, _trainee, amina = group

    def name_then_deactivate():
        member = db.session.query(Membership).filter_by(participant_id=amina.id).one()
        member.tutor_id = omar.id
        db.session.flush()
        before = named_tutor(db.session, member.participant, member.cohort)
        db.session.get(User, omar.id).is_active_account = False
        db.session.flush()
        return before, named_tutor(db.session, member.participant, member.cohort)

    before, after = in_db(name_then_deactivate)
    assert before is not None and before.display_name == "Omar"
    assert after is None


def test_a_person_in_two_groups_sees_their_tutor_in_each(
    group, make_cohort, make_staff, staff_client, phone_client, in_db
):
    cohort, lucie, _omar, _trainee, amina = group
    spring = make_cohort("Spring group")
    nadia = make_staff(spring)

    def second_group() -> None:
        from app.live import operations
        from app.models import Cohort, Participant

        db.session.get(User, nadia.id).display_name = "Nadia"
        operations.enrol(
            db.session, db.session.get(Cohort, spring.id), db.session.get(Participant, amina.id)
        )
        db.session.commit()

    in_db(second_group)
    staff_client(lucie).post(
        f"/cohorts/{cohort.id}/participants/{amina.id}/tutor", data={"tutor": str(lucie.id)}
    )
    staff_client(nadia).post(
        f"/cohorts/{spring.id}/participants/{amina.id}/tutor", data={"tutor": str(nadia.id)}
    )

    home = phone_client(amina).get("/", headers=EN).get_data(as_text=True)
    assert "Votre tuteur ou tutrice dans <bdi>Autumn group</bdi> : <bdi>Lucie</bdi>" in home
    assert "Votre tuteur ou tutrice dans <bdi>Spring group</bdi> : <bdi>Nadia</bdi>" in home


def test_a_deleted_staff_account_leaves_no_dangling_named_tutor(group, in_db):
    cohort, _lucie, omar, _trainee, amina = group

    def name_then_delete() -> None:
        member = db.session.query(Membership).filter_by(participant_id=amina.id).one()
        member.tutor_id = omar.id
        db.session.commit()
        db.session.execute(User.__table__.delete().where(User.id == omar.id))
        db.session.commit()

    in_db(name_then_delete)
    assert tutor_id_of(in_db, cohort, amina) is None


def test_the_console_lists_each_member_with_their_named_tutor(
    group, staff_client, start_live, socket_for
):
    cohort, lucie, omar, _trainee, amina = group
    browser = staff_client(lucie)
    browser.post(f"/cohorts/{cohort.id}/participants/{amina.id}/tutor", data={"tutor": omar.id})
    live = start_live(cohort, lucie)
    console = socket_for(browser, "/tutor", live)
    members = console.emit("sync", namespace="/tutor", callback=True)["board"]["members"]
    assert [(m["name"], m["tutor"]) for m in members] == [("Amina", "Omar")]
