"""Sockets of a credential ended elsewhere (another server process, the command line) are
closed at the next sweep; the others stay."""

from __future__ import annotations

from app.extensions import db
from app.models import DeviceLink
from app.models.base import utcnow
from app.sockets import sweep


def test_a_phone_signed_out_by_another_process_is_closed_at_the_next_sweep(
    app, make_cohort, make_staff, make_participant, start_live, phone_client, socket_for
):
    cohort = make_cohort()
    live = start_live(cohort, make_staff(cohort))
    amina, yusuf = make_participant(cohort, name="Amina"), make_participant(cohort, name="Yusuf")
    hers = socket_for(phone_client(amina), "/participant", live)
    his = socket_for(phone_client(yusuf), "/participant", live)
    with app.app_context():
        for link in db.session.query(DeviceLink).filter_by(participant_id=amina.id):
            link.ended_at = utcnow()  # what "This is not me" on another process stores
        db.session.commit()
        assert sweep.sweep() == 1
    assert not hers.is_connected("/participant")
    assert his.is_connected("/participant")
    with app.app_context():
        assert sweep.sweep() == 0


def test_a_tutor_taken_off_the_group_stops_hearing_its_room_at_the_next_sweep(
    app, make_cohort, make_staff, start_live, staff_client, socket_for
):
    from app.models import cohort_tutors

    cohort = make_cohort()
    tutor, colleague = make_staff(cohort), make_staff(cohort)
    live = start_live(cohort, tutor)
    theirs = socket_for(staff_client(colleague), "/tutor", live)
    projector = socket_for(staff_client(colleague), "/projector", live)
    mine = socket_for(staff_client(tutor), "/tutor", live)
    with app.app_context():
        db.session.execute(cohort_tutors.delete().where(cohort_tutors.c.user_id == colleague.id))
        db.session.commit()
        assert sweep.sweep() == 2
    assert not theirs.is_connected("/tutor") and not projector.is_connected("/projector")
    assert mine.is_connected("/tutor")
