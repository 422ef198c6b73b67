"""French by default, English on request, every string in the French catalogue."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from app.i18n import direction
from app.messages import error_text
from app.translation_check import all_texts, untranslated


def french(app, text: str) -> str:
    with app.test_request_context(), force_locale("fr"):
        return gettext(text)


def test_a_browser_that_states_no_language_gets_french(app, client, make_staff):
    tutor = make_staff()
    page = client.post("/login", data={"username": tutor.username, "password": "nope"})
    html = page.get_data(as_text=True)
    assert '<html lang="fr" dir="ltr"' in html
    wording = french(app, "Wrong username or password.")
    assert wording != "Wrong username or password." and wording in html


def test_the_phone_language_switch_is_remembered(client):
    switched = client.post("/language", data={"language": "en", "next": "/"})
    assert switched.status_code == 302
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


def test_a_language_outside_the_configured_list_is_ignored(client):
    client.post("/language", data={"language": "xx", "next": "/"})
    assert '<html lang="fr"' in client.get("/", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )


def test_arabic_would_be_laid_out_right_to_left():
    assert direction("ar") == "rtl" and direction("fr") == "ltr"


def test_every_string_in_the_code_and_templates_has_a_french_translation():
    missing = sorted(f"{text.key} ({text.where})" for text in untranslated("fr", all_texts()))
    assert not missing, f"run `make messages` and translate: {missing[:10]}"


def test_a_phones_refusals_are_in_the_language_its_person_chose_not_the_browsers(
    app, make_cohort, make_staff, make_participant, start_live, phone_client, socket_for
):
    cohort = make_cohort()
    live = start_live(cohort, make_staff(cohort))
    phone = phone_client(make_participant(cohort, locale="fr"))
    phone.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB"  # a phone set up in English
    socket = socket_for(phone, "/participant", live)

    refused = socket.emit("post", {"board": "free_text"}, namespace="/participant", callback=True)

    with app.test_request_context(), force_locale("fr"):
        in_french = error_text(refused["error"])
    with app.test_request_context(), force_locale("en"):
        in_english = error_text(refused["error"])
    assert in_french != in_english
    assert refused["ok"] is False and refused["message"] == in_french


def test_a_phone_can_choose_arabic_and_spanish_and_staff_pages_offer_french_and_english(
    client, make_staff, staff_client
):
    client.post("/language", data={"language": "ar", "next": "/"})
    phone_page = client.get("/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl"' in phone_page
    assert 'value="es"' in phone_page and "Español" in phone_page

    tutor = staff_client(make_staff())
    tutor.post("/language", data={"language": "ar", "next": "/tutor"})
    staff_page = tutor.get("/tutor").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr"' in staff_page  # the tutor's own language, not Arabic
    assert 'value="ar"' not in staff_page and 'value="en"' in staff_page


def test_a_string_arabic_lacks_is_shown_in_french_not_in_english(app):
    # Staff words are not in the Arabic catalogue: the console's, for one.
    with app.test_request_context(), force_locale("ar"):
        shown = gettext("Start the break timer")
    assert shown == french(app, "Start the break timer") != "Start the break timer"
