"""Deleting a person leaves no trace of them, and the group's counts and logs intact."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.data_rights import erasure
from app.extensions import db
from app.live.store import load_state
from app.models import AuditEntry, Interview, Membership, MembershipStatus, Participant
from app.vocabulary import REMOVED
from tests import erasure_world
from tests.erasure_world import MARKERS, NAME, WORDS


@pytest.fixture
def world(app, make_cohort, make_staff, make_participant, start_live, phone_client):
    return erasure_world.build(
        app, make_cohort, make_staff, make_participant, start_live, phone_client
    )


def erase(world, by=None):
    with world.app.app_context():
        done = erasure.erase(db.session, world.person(), by=by, origin=erasure.Origin.COORDINATOR)
        db.session.commit()
        erasure.after_commit(db.session, done)
        return done


def test_before_deletion_the_markers_are_there_to_be_found(world):
    """The search below would find them: it is not blind."""
    with world.app.app_context():
        dumped = erasure_world.dump()
    raw = erasure_world.sqlite_bytes(world.app)
    for marker in MARKERS:
        assert marker in dumped, marker
        assert marker.encode() in raw, marker


def test_after_deletion_no_table_and_no_byte_of_the_file_or_its_log_holds_a_marker(world):
    done = erase(world, by=world.tutor_id)
    assert (done.identities, done.cohort_ids, done.sessions) == (1, (world.cohort_id,), 1)
    with world.app.app_context():
        dumped = erasure_world.dump()
    raw = erasure_world.sqlite_bytes(world.app)
    assert [m for m in MARKERS if m in dumped] == []
    assert [m for m in MARKERS if m.encode() in raw] == []


def test_the_board_still_folds_with_a_placeholder_where_her_words_were(world):
    erase(world)
    with world.app.app_context():
        state = load_state(db.session, world.session_id)
        texts = sorted(card.fields["text"] for card in state.cards.values())
        assert texts == sorted([REMOVED, f"Listen like {REMOVED} does"])
        assert len(state.present) == 2  # she still counts as there, as nobody
        assert world.friend_id in state.present
        assert [note.text for note in state.notes] == [f"{REMOVED} came late"]


def test_her_place_in_the_group_is_kept_by_an_anonymous_stand_in(world):
    erase(world)
    with world.app.app_context():
        statuses = sorted(
            db.session.scalars(
                select(Membership.status).where(Membership.cohort_id == world.cohort_id)
            )
        )
        assert statuses == [MembershipStatus.ADMITTED, MembershipStatus.ERASED]
        stand_in = db.session.scalar(select(Participant).where(Participant.erased_at.is_not(None)))
        assert stand_in.display_name == REMOVED
        assert stand_in.consents == []
        (interview,) = db.session.scalars(select(Interview))
        assert interview.participant_id == stand_in.id
        assert interview.answers == {"referral": {"source": "friend"}}
        assert db.session.get(Participant, world.person_id) is None


def test_the_deletion_is_audited_without_her_name(world):
    erase(world, by=world.tutor_id)
    with world.app.app_context():
        (entry,) = db.session.scalars(select(AuditEntry))
        assert entry.action == "participant.deleted"
        assert entry.actor_user_id == world.tutor_id
        assert entry.participant_id is None
        assert NAME not in repr(entry.detail)


def test_her_open_phone_is_signed_out(world, phone_client, app):
    with app.app_context():
        person = db.session.get_one(Participant, world.person_id)
    phone = phone_client(person)
    assert phone.get("/me").status_code == 200
    erase(world)
    assert phone.get("/me").status_code != 200


def test_deleting_a_person_merged_from_two_names_removes_both(world, make_participant, app):
    from app.live import operations
    from app.models import Cohort, User

    twin = make_participant(None, name=f"{NAME} B")
    with app.app_context():
        cohort = db.session.get_one(Cohort, world.cohort_id)
        operations.enrol(db.session, cohort, db.session.merge(twin))
        tutor = db.session.get_one(User, world.tutor_id)
        operations.merge_participants(
            db.session, cohort, twin.id, world.person_id, tutor, across_cohorts=True
        )
        db.session.commit()
    done = erase(world)
    assert done.identities == 2
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Participant)
                .where(Participant.display_name.contains(NAME))
            )
            == 0
        )
        assert WORDS not in erasure_world.dump()


def test_retention_deletes_a_group_a_year_after_its_cycle_and_spares_a_later_one(
    world, app, make_cohort, make_participant
):
    from datetime import date

    from app.data_rights import retention
    from app.models import Cohort

    later = make_cohort("Next spring")
    stays = make_participant(later, name="Nadia")
    with app.app_context():
        group = db.session.get_one(Cohort, world.cohort_id)  # starts 2026-09-07, 9 weeks
        assert retention.cycle_end(group) == date(2026, 11, 9)
        assert retention.delete_on(group, 12) == date(2027, 11, 9)
        db.session.get_one(Cohort, later.id).starts_on = date(2027, 9, 6)
        db.session.commit()
        warned = retention.due_within(db.session, date(2027, 10, 15))
        assert [(d.cohort_id, d.people) for d in warned] == [(world.cohort_id, 2)]
        assert retention.run(db.session, date(2027, 11, 8)) == []
        done = retention.run(db.session, date(2027, 11, 9))
        assert len(done) == 2
        assert db.session.get(Participant, world.person_id) is None
        assert db.session.get(Participant, stays.id) is not None


def test_the_retention_command_lists_what_it_deleted(world, app):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run", "--today", "2027-11-10"])
    assert "2 people past it" in dry.output and "nothing was deleted" in dry.output
    with app.app_context():
        assert db.session.get(Participant, world.person_id) is not None
    done = runner.invoke(args=["retention", "run", "--today", "2027-11-10"])
    assert done.exit_code == 0, done.output
    assert "Deleted: 2." in done.output
    with app.app_context():
        assert db.session.get(Participant, world.person_id) is None
        assert NAME not in erasure_world.dump()


def test_deleting_during_a_workshop_makes_its_screens_fetch_the_board_again(
    app,
    make_cohort,
    make_staff,
    make_participant,
    start_live,
    phone_client,
    staff_client,
    socket_for,
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    person = make_participant(cohort, name=NAME)
    live = start_live(cohort, tutor)
    phone = phone_client(person)
    console = socket_for(staff_client(tutor), "/tutor", live)
    assert console.emit(
        "step", {"index": erasure_world.RULES_STEP}, namespace="/tutor", callback=True
    )["ok"]
    mine = socket_for(phone, "/participant", live)
    posted = mine.emit(
        "post",
        {"client_id": "zorb-0001", "board": "group_rules", "text": WORDS},
        namespace="/participant",
        callback=True,
    )
    assert posted["ok"], posted
    console.get_received("/tutor")
    assert phone.post("/me/delete", data={"confirm": "delete"}).status_code == 200
    told = [m["name"] for m in console.get_received("/tutor")]
    assert "resync" in told
    board = console.emit("sync", {}, namespace="/tutor", callback=True)
    assert board["ok"] and WORDS not in repr(board) and NAME not in repr(board)
    assert REMOVED in repr(board)


def test_a_process_that_did_not_delete_folds_the_log_again_at_its_next_read(world, app):
    """Another server process remembers the board with her words: the raised contents
    version tells it to fold the log again (here, the deletion's own forgetting is
    undone to stand for that process)."""
    from app.live import store

    with app.app_context():
        before = store.load_state(db.session, world.session_id)  # remembered here
        done = erasure.erase(db.session, world.person(), by=None, origin=erasure.Origin.PERSON)
        db.session.commit()
        store.remember(db.session, world.session_id, before)  # the other process's copy
        after = store.load_state(db.session, world.session_id)
        assert WORDS not in repr(after.cards) and done.sessions == 1


def test_nobody_opens_a_deleted_person_s_stand_in_as_if_it_were_someone(world, staff_client, app):
    from app.models import User

    erase(world)
    with app.app_context():
        stand_in = db.session.scalar(
            select(Participant.id).where(Participant.erased_at.is_not(None))
        )
        tutor = db.session.get_one(User, world.tutor_id)
    browser = staff_client(tutor)
    assert browser.get(f"/participants/{stand_in}/portfolio").status_code == 404
    comment = browser.post(f"/participants/{stand_in}/portfolio/comments", data={"text": "Hi"})
    assert comment.status_code == 404
