"""A participant joins with a code, no account: name, language, consent, admission."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Consent, Membership, Participant
from app.participants import device

EN = {"Accept-Language": "en"}


def join_form(name="Amina", language="fr", consent=True, **extra):
    data = {"name": name, "language": language, **extra}
    if consent:
        data["consent_data"] = "y"
    return data


def test_a_newcomer_joins_by_code_and_waits_at_the_door(
    app, client, make_cohort, make_staff, start_live, in_db
):
    cohort = make_cohort()
    live = start_live(cohort, make_staff(cohort))

    page = client.get(f"/j/{live.join_code}")
    assert page.status_code == 200
    joined = client.post(f"/j/{live.join_code}", data=join_form(consent_replay="y"))

    assert joined.status_code == 302 and joined.headers["Location"] == f"/s/{live.id}"
    cookie = joined.headers["Set-Cookie"]
    assert device.COOKIE_NAME in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    waiting = client.get(f"/s/{live.id}")
    assert "Amina" in waiting.get_data(as_text=True)
    assert 'data-testid="waiting"' in waiting.get_data(as_text=True) or waiting.status_code == 200

    def stored():
        member = db.session.query(Membership).one()
        answers = {c.purpose: c.granted for c in db.session.query(Consent)}
        return member.status, answers

    status, answers = in_db(stored)
    assert status == "pending"
    assert answers == {"data_processing": True, "named_in_replays": True, "rehearsal_reuse": False}


def test_codes_are_forgiving_about_case_and_spaces(client, make_cohort, make_staff, start_live):
    cohort = make_cohort()
    live = start_live(cohort, make_staff(cohort))
    typed = f"{live.join_code[:3].lower()} {live.join_code[3:].lower()}"
    response = client.post("/join", data={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/j/{live.join_code}")


def test_wrong_and_malformed_codes_get_a_friendly_message(client):
    unknown = client.get("/j/ZZZZZZ", headers=EN)
    assert unknown.status_code == 404
    assert "Check the letters" in unknown.get_data(as_text=True)
    malformed = client.post("/join", data={"code": "0O1Il"}, headers=EN)
    assert malformed.status_code == 400
    assert "6 letters" in malformed.get_data(as_text=True)


def test_an_ended_sessions_code_no_longer_works(
    client, app, make_cohort, make_staff, start_live, staff_client, socket_for
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    live = start_live(cohort, tutor)
    socket_for(staff_client(tutor), "/tutor", live).emit("end", namespace="/tutor", callback=True)
    response = client.get(f"/j/{live.join_code}", headers=EN)
    assert response.status_code == 410
    assert "ended" in response.get_data(as_text=True)


def test_a_locked_door_turns_newcomers_away_but_not_members(
    client,
    make_cohort,
    make_staff,
    start_live,
    staff_client,
    socket_for,
    make_participant,
    phone_client,
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    live = start_live(cohort, tutor)
    member = make_participant(cohort)
    ack = socket_for(staff_client(tutor), "/tutor", live).emit(
        "lock", {"locked": True}, namespace="/tutor", callback=True
    )
    assert ack["ok"]
    refused = client.post(f"/j/{live.join_code}", data=join_form(), headers=EN)
    assert refused.status_code == 403 and "closed the door" in refused.get_data(as_text=True)
    assert phone_client(member).get(f"/j/{live.join_code}").status_code == 302


def test_consent_to_data_processing_is_required(client, make_cohort, make_staff, start_live, in_db):
    cohort = make_cohort()
    live = start_live(cohort, make_staff(cohort))
    response = client.post(f"/j/{live.join_code}", data=join_form(consent=False))
    assert response.status_code == 400
    assert device.COOKIE_NAME not in response.headers.get("Set-Cookie", "")
    assert in_db(lambda: db.session.query(Participant).count()) == 0


def test_a_name_is_needed_but_nothing_else(client, make_cohort, make_staff, start_live):
    cohort = make_cohort()
    live = start_live(cohort, make_staff(cohort))
    page = client.get(f"/j/{live.join_code}").get_data(as_text=True)
    assert not re.search(r'name="(email|phone|password)"', page)
    response = client.post(f"/j/{live.join_code}", data=join_form(name="   "))
    assert response.status_code == 400


def test_next_week_the_same_phone_comes_back_as_the_same_person(
    make_cohort, make_staff, start_live, make_participant, phone_client, staff_client, socket_for
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    amina = make_participant(cohort)
    first = start_live(cohort, tutor)
    socket_for(staff_client(tutor), "/tutor", first).emit("end", namespace="/tutor", callback=True)
    second = start_live(cohort, tutor)

    phone = phone_client(amina)
    home = phone.get("/").get_data(as_text=True)
    assert f"/s/{second.id}" in home
    assert phone.get(f"/j/{second.join_code}").headers["Location"] == f"/s/{second.id}"
    room = phone.get(f"/s/{second.id}")
    assert room.status_code == 200
    assert f'data-session-id="{second.id}"' in room.get_data(as_text=True)


def test_a_personal_code_links_a_new_phone_once(
    app, client, make_cohort, make_staff, make_participant, staff_client
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    amina = make_participant(cohort)
    page = (
        staff_client(tutor)
        .post(f"/cohorts/{cohort.id}/participants/{amina.id}/rejoin-code")
        .get_data(as_text=True)
    )
    code = re.search(r'data-testid="rejoin-code"[^>]*>\s*([A-Z2-9]{8})', page).group(1)

    new_phone = app.test_client()
    linked = new_phone.post("/join", data={"code": code}, headers={"Accept-Language": "en"})
    assert linked.status_code == 302
    # The new phone's browser speaks English; Amina chose French: she is welcomed in hers.
    home = new_phone.get(linked.headers["Location"]).get_data(as_text=True)
    assert "Bienvenue à nouveau" in home
    with app.test_request_context(headers={"Cookie": linked.headers["Set-Cookie"].split(";")[0]}):
        from flask import request

        token = device.read(app, request)
        assert token is not None and token.participant_id == amina.id
    again = app.test_client().post("/join", data={"code": code})
    assert again.status_code == 404


def test_this_is_not_me_signs_the_person_out_of_a_shared_phone(make_participant, phone_client):
    phone = phone_client(make_participant())
    response = phone.post("/not-me")
    assert response.status_code == 302
    assert f"{device.COOKIE_NAME}=;" in response.headers["Set-Cookie"]
    # The browser's cache holds the person's pages, which Back would show: it goes too.
    assert response.headers["Clear-Site-Data"] == '"cache"'


def test_after_this_is_not_me_the_phone_goes_on_in_the_language_it_spoke(
    make_participant, phone_client
):
    phone = phone_client(make_participant(locale="ar"))
    phone.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB"  # a phone set up in English
    signed_out = phone.post("/not-me", follow_redirects=True)
    page = signed_out.get_data(as_text=True)
    # The message that says so and the code page under it, both in Amina's Arabic.
    assert '<html lang="ar" dir="rtl"' in page
    assert "Your work is safe" not in page


def test_a_tutor_records_consent_at_the_preparatory_meeting(
    make_cohort, make_staff, staff_client, in_db
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    response = staff_client(tutor).post(
        f"/cohorts/{cohort.id}/participants",
        data={"name": "Yusuf", "language": "en", "consent_data": "y"},
    )
    assert response.status_code == 302

    def recorded():
        row = db.session.query(Consent).filter_by(purpose="data_processing").one()
        return row.granted, row.recorded_by_id, row.text_version

    granted, by, version = in_db(recorded)
    assert granted and by == tutor.id and version


def test_a_phone_of_another_group_is_not_shown_the_rooms_code(
    make_cohort, make_staff, make_participant, start_live, phone_client
):
    ours = make_cohort("Our group")
    live = start_live(ours, make_staff(ours))
    stranger = make_participant(make_cohort("Another group"), name="Lena")

    reply = phone_client(stranger).get(f"/s/{live.id}")

    assert reply.status_code == 302
    assert reply.headers["Location"] == "/"
    assert live.join_code not in reply.get_data(as_text=True)


def test_a_phone_from_before_device_links_keeps_working_gets_its_link_and_can_sign_out(
    app, make_participant, in_db
):
    from itsdangerous import URLSafeTimedSerializer

    from app.participants import phones

    amina = make_participant()

    def upgrade_made_her_link() -> None:  # what migration 0004 does for everyone
        person = db.session.get(Participant, amina.id)
        phones.link_phone(db.session, person, phones.LinkedVia.BEFORE_LINKS)
        db.session.commit()

    in_db(upgrade_made_her_link)
    old = URLSafeTimedSerializer("test-secret", salt="migrapass-device").dumps({"p": amina.id})
    phone, copy = app.test_client(), app.test_client()
    for browser in (phone, copy):
        browser.set_cookie(device.COOKIE_NAME, old)

    first = phone.get("/me")
    assert first.status_code == 200
    assert f"{device.COOKIE_NAME}=" in first.headers["Set-Cookie"]  # now naming its link
    assert phone.post("/not-me").status_code == 302
    assert copy.get("/me").status_code == 403  # every old copy ended with the link


def test_a_personal_code_opens_nobody_who_crossed_the_wall_since_it_was_given(
    app, make_cohort, make_staff, make_participant, staff_client, in_db
):
    from app.live import operations
    from app.permissions import Role

    a, b = make_cohort("A"), make_cohort("B")
    amina = make_participant(a)

    def code_from(user) -> str:
        page = (
            staff_client(user)
            .post(f"/cohorts/{a.id}/participants/{amina.id}/rejoin-code")
            .get_data(as_text=True)
        )
        return re.search(r'data-testid="rejoin-code"[^>]*>\s*([A-Z2-9]{8})', page).group(1)

    tutors_code = code_from(make_staff(a))
    coordinators_code = code_from(make_staff(None, role=Role.COORDINATOR))

    def let_in_to_b() -> None:
        operations.enrol(db.session, db.session.merge(b), db.session.get(Participant, amina.id))
        db.session.commit()

    in_db(let_in_to_b)
    refused = app.test_client().post("/join", data={"code": tutors_code})
    assert refused.status_code == 404
    assert device.COOKIE_NAME not in refused.headers.get("Set-Cookie", "")
    assert app.test_client().post("/join", data={"code": coordinators_code}).status_code == 302


def test_a_full_door_turns_newcomers_away_until_the_tutor_clears_it(
    app, client, make_cohort, make_staff, make_participant, start_live, staff_client, socket_for
):
    from app.live.operations import MAX_AT_THE_DOOR

    cohort = make_cohort()
    tutor = make_staff(cohort)
    live = start_live(cohort, tutor)
    for n in range(MAX_AT_THE_DOOR):
        make_participant(cohort, name=f"Knocker {n}", admitted=False)

    full = client.post(f"/j/{live.join_code}", data=join_form(), headers=EN)
    assert full.status_code == 403 and "Many people are waiting" in full.get_data(as_text=True)
    console = socket_for(staff_client(tutor), "/tutor", live)
    cleared = console.emit("clear_door", {}, namespace="/tutor", callback=True)
    assert cleared == {"ok": True, "declined": MAX_AT_THE_DOOR}
    assert app.test_client().post(f"/j/{live.join_code}", data=join_form()).status_code == 302


def test_a_phone_turned_away_never_becomes_the_next_newcomer(
    app, make_cohort, make_staff, start_live, staff_client, socket_for, in_db, monkeypatch
):
    from app.sockets import emitter

    """Turning a stranger away forgets them, and SQLite gives their ids to the next
    person: the old phone's cookie must open nobody."""
    cohort = make_cohort()
    tutor = make_staff(cohort)
    live = start_live(cohort, tutor)
    dara = app.test_client()
    assert dara.post(f"/j/{live.join_code}", data=join_form("Dara")).status_code == 302
    at_the_door = socket_for(dara, "/participant", live)
    console = socket_for(staff_client(tutor), "/tutor", live)
    announced = []  # phones told "signed out": not Dara's, told she was turned away
    monkeypatch.setattr(emitter, "_close", lambda namespace, room: announced.append(room))
    assert console.emit("clear_door", {}, namespace="/tutor", callback=True)["declined"] == 1
    assert announced == [] and not at_the_door.is_connected("/participant")
    told = dara.get("/?door=closed", headers=EN).get_data(as_text=True)
    assert "did not let you in" in told and "was signed out" not in told

    eli = app.test_client()
    assert eli.post(f"/j/{live.join_code}", data=join_form("Eli")).status_code == 302
    assert in_db(lambda: db.session.query(Participant).count()) == 1  # Eli, maybe Dara's ids
    assert dara.get("/me").status_code == 403
    assert "Eli" not in dara.get("/").get_data(as_text=True)
    assert eli.get("/me").status_code == 200


def test_a_phone_signed_out_elsewhere_is_told_so_once_and_its_cookie_dropped(
    app, make_participant, phone_client
):
    phone = phone_client(make_participant())
    copy = app.test_client()
    copy.set_cookie(device.COOKIE_NAME, phone.get_cookie(device.COOKIE_NAME).value)
    phone.post("/not-me")

    home = copy.get("/", headers=EN)
    assert "This phone was signed out" in home.get_data(as_text=True)
    assert f"{device.COOKIE_NAME}=;" in home.headers["Set-Cookie"]
    assert "signed out" not in copy.get("/", headers=EN).get_data(as_text=True)


def full_width(code: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) for ch in code)


def arabic_indic(code: str) -> str:
    return "".join(chr(0x0660 + int(ch)) if ch.isdigit() else ch for ch in code)


@pytest.mark.parametrize(
    "typed",
    [full_width, arabic_indic, lambda c: f"{c[:3]}\u00a0{c[3:]}", lambda c: f"{c}\u200b "],
    ids=["full-width", "arabic-indic digits", "no-break space inside", "zero-width after"],
)
def test_a_rooms_code_typed_on_any_keyboard_opens_the_room(
    client, make_cohort, make_staff, start_live, typed
):
    cohort = make_cohort()
    live = start_live(cohort, make_staff(cohort))
    reply = client.post("/join", data={"code": typed(live.join_code)})
    assert reply.status_code == 302 and reply.headers["Location"].endswith(f"/j/{live.join_code}")
    assert client.get(f"/j/{typed(live.join_code)}").status_code == 200


def test_a_room_behind_one_address_still_gets_in_after_sixty_wrong_codes(
    app, make_cohort, make_staff, start_live
):
    cohort = make_cohort()
    live = start_live(cohort, make_staff(cohort))
    for n in range(70):  # seventy phones of the room, each mistyping once, one Wi-Fi
        app.test_client().post("/join", data={"code": f"WRONG{n}"})
    stranger_guessing = app.test_client()
    assert stranger_guessing.get("/j/ZZZZZZ").status_code == 429  # wrong codes: stopped
    late_phone = app.test_client()
    assert late_phone.post("/join", data={"code": live.join_code}).status_code == 302
    assert late_phone.get(f"/j/{live.join_code}").status_code == 200
    joined = late_phone.post(f"/j/{live.join_code}", data=join_form("Nour"))
    assert joined.status_code == 302


def test_a_name_of_zero_width_spaces_is_refused_in_the_pages_words(
    client, make_cohort, make_staff, start_live
):
    cohort = make_cohort()
    live = start_live(cohort, make_staff(cohort))
    reply = client.post(f"/j/{live.join_code}", data=join_form("\u200b\u200b"), headers=EN)
    assert reply.status_code == 400
    assert "Please write your first name or a made-up name." in reply.get_data(as_text=True)


def test_three_aminas_at_the_door_are_told_apart_with_the_time_each_knocked(
    app, make_cohort, make_staff, start_live, staff_client, socket_for
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    live = start_live(cohort, tutor)
    phones = {
        typed: app.test_client() for typed in ("Amina", "Jose\u0301 Amina", "amina", "Amina\u200b")
    }
    for typed, phone in phones.items():
        phone.post(f"/j/{live.join_code}", data=join_form(typed))
    console = socket_for(staff_client(tutor), "/tutor", live)

    waiting = console.emit("sync", callback=True, namespace="/tutor")["board"]["waiting"]

    names = [person["name"] for person in waiting]
    assert len(names) == 4 and len(set(names)) == 4, names  # none looks like another
    assert "Jos\u00e9 Amina" in names  # stored as NFC: the same name however it was typed
    assert sum(name.lower().startswith("amina #") for name in names) == 3
    assert all(person["since_ms"] > 0 for person in waiting)
    # Each phone says the name the tutor reads, number included, to say at the door.
    waiting_page = phones["amina"].get(f"/s/{live.id}").get_data(as_text=True)
    amina = next(p["name"] for p in waiting if p["name"].startswith("amina #"))
    assert f"Vous êtes <bdi>{amina}</bdi>." in waiting_page  # she chose French


def test_the_member_list_tells_same_looking_names_apart(
    app, make_cohort, make_staff, make_participant, staff_client
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    first, second = (make_participant(cohort, name=typed) for typed in ("Amina", "amina"))
    make_participant(cohort, name="Yusuf")

    page = staff_client(tutor).get(f"/cohorts/{cohort.id}", headers=EN).get_data(as_text=True)

    assert f"Amina #{first.id}" in page and f"amina #{second.id}" in page
    assert not re.search(r"[Aa]mina(?! #)", page)  # never one without its number
    assert "Yusuf #" not in page


def test_a_guesser_past_its_own_limit_cannot_tell_a_right_code_from_a_wrong_one(
    client, make_cohort, make_staff, start_live
):
    cohort = make_cohort()
    live = start_live(cohort, make_staff(cohort))
    for n in range(12):  # one browser, more wrong codes than its own limit allows
        client.get(f"/j/WRONG{n}")

    assert client.get("/j/ZZZZZZ", headers=EN).status_code == 429
    assert client.get(f"/j/{live.join_code}", headers=EN).status_code == 429


def test_a_personal_code_is_not_tried_past_the_limits_even_when_right(
    app, make_cohort, make_staff, make_participant, staff_client, start_live
):
    cohort = make_cohort()
    tutor = make_staff(cohort)
    amina = make_participant(cohort)
    given = staff_client(tutor).post(f"/cohorts/{cohort.id}/participants/{amina.id}/rejoin-code")
    code = re.search(r'data-testid="rejoin-code"[^>]*>([A-Z0-9]{8})<', given.get_data(as_text=True))
    for n in range(70):  # the address's wrong codes, from many browsers
        app.test_client().post("/join", data={"code": f"WRONGXX{n % 10}"})

    guesser = app.test_client()
    refused = guesser.post("/join", data={"code": code[1]}, headers=EN)

    assert refused.status_code == 429
    assert "too many" in refused.get_data(as_text=True).lower()


def test_a_trainee_observing_tells_apart_two_aminas_who_agreed_to_be_named(
    app, make_cohort, make_participant
):
    from app.access import room_names
    from app.participants import consent

    cohort = make_cohort()
    aminas = [make_participant(cohort, name=name) for name in ("Amina", "amina")]
    shy = make_participant(cohort, name="Amina")
    with app.app_context():
        for person in aminas:
            answers = consent.ConsentAnswers(data_processing=True, named_in_replays=True)
            consent.record(db.session, db.session.merge(person), answers)
        db.session.commit()
        observed = room_names(db.session, cohort.id).observed

    assert observed[aminas[0].id] != observed[aminas[1].id]
    assert all("Amina" in observed[p.id] or "amina" in observed[p.id] for p in aminas)
    assert "Amina" not in observed[shy.id]  # not named in replays: a number only
