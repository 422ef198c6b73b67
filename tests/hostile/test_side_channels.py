"""What leaks sideways: a count that grows when an anonymous card lands, a trainee's
console that hears what only those running the room may hear, a pseudonym that slips."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import requests

from app.models import LiveSession, Participant
from app.permissions import Role
from tests.hostile.conftest import Site, Socket, keys_of

PSEUDONYM = re.compile(r"Participant \d+")
VOLATILE = re.compile(r'(name="(?:csrf_token|client_id)"[^>]*value=")[^"]*(")|(nonce=")[^"]*(")')


def post(phone: Socket, client_id: str, text: str) -> int:
    ack = phone.call("post", {"client_id": client_id, "board": "free_text", "text": text})
    assert ack["ok"], ack
    return ack["seq"]


def cards_in(value: Any) -> list[dict[str, Any]]:
    """Every card anywhere in a snapshot or a patch."""
    if isinstance(value, dict):
        found = [c for c in value.get("cards", []) if isinstance(c, dict)]
        return found + [c for k, v in value.items() if k != "cards" for c in cards_in(v)]
    if isinstance(value, list):
        return [c for v in value for c in cards_in(v)]
    return []


# --- the scene: a workshop at the presentations board, Amina (no consent to be named)
# and Yusuf (named=True), their phones in the room, the tutor's console ---------------


@dataclass
class Room:
    live: LiveSession
    tutor: Socket
    tutor_browser: requests.Session
    amina: Participant
    yusuf: Participant
    amina_phone: Socket
    yusuf_phone: Socket
    trainee: requests.Session


def room(site: Site) -> Room:
    a = site.cohort("A")
    tutor = site.staff(a)
    trainee = site.logged_in(site.staff(a, Role.TRAINEE))
    amina, yusuf = site.person("Amina", a), site.person("Yusuf", a, named=True)
    live = site.start(a, tutor)
    browser = site.logged_in(tutor)
    console = site.socket(browser, "/tutor", live)
    assert console.call("step", {"index": 1})["ok"]
    phones = [site.socket(site.phone(p), "/participant", live) for p in (amina, yusuf)]
    return Room(live, console, browser, amina, yusuf, *phones, trainee)


# --- an anonymous card leaves no trace in what the tutor reads -------------------------------


def portfolio_page(site: Site, browser: requests.Session, person: Participant) -> str:
    reply = browser.get(f"{site.url}/participants/{person.id}/portfolio", timeout=10)
    assert reply.status_code == 200
    assert "private-count" not in reply.text and "private" not in reply.text.lower()
    return VOLATILE.sub(r"\1\2\3\4", reply.text)


def test_an_anonymous_card_does_not_change_what_the_tutor_reads_of_anyone(site: Site):
    scene = room(site)
    post(scene.amina_phone, "amina-named-1", "I was a cook in Aleppo")
    post(scene.yusuf_phone, "yusuf-named-1", "I repaired bicycles")
    people = (scene.amina, scene.yusuf)
    before = [portfolio_page(site, scene.tutor_browser, p) for p in people]
    assert "I was a cook in Aleppo" in before[0]

    assert scene.tutor.call("board_anonymous", {"step": "presentations", "on": True})["ok"]
    post(scene.amina_phone, "amina-anon-01", "I dream of flying planes")

    after = [portfolio_page(site, scene.tutor_browser, p) for p in people]
    assert after == before


# --- a trainee watching a real session ---------------------------------------------------------


def posts(scene: Room) -> int:
    """Amina and Yusuf post; the id of Amina's card the tutor is about to hide."""
    post(scene.amina_phone, "amina-card-01", "I like maps")
    post(scene.yusuf_phone, "yusuf-card-01", "I cook for my family")
    return post(scene.amina_phone, "amina-card-02", "Something hurtful")


def hide_and_note(scene: Room, card: int) -> None:
    assert scene.tutor.call("hide", {"card_id": card, "reason": "off topic"})["ok"]
    assert scene.tutor.call("note", {"text": "Amina seems tired"})["ok"]


def names_are_masked(scene: Room, seen: Any) -> None:
    """Amina only ever as "Participant N"; Yusuf, who agreed, by his name."""
    text = json.dumps(seen)
    assert "Amina" not in text
    members = {m["id"]: m["name"] for m in seen[-1]["board"]["members"]}
    assert PSEUDONYM.fullmatch(members[scene.amina.id])
    assert members[scene.yusuf.id] == "Yusuf"
    authors = {c["text"]: c["author"] for c in seen[-1]["board"]["cards"]}
    assert authors["I like maps"] == members[scene.amina.id]
    assert authors["I cook for my family"] == "Yusuf"


def test_a_trainee_watching_hears_neither_hidden_cards_nor_notes_nor_real_names(site: Site):
    scene = room(site)
    watching = site.socket(scene.trainee, "/tutor", scene.live)
    assert watching.connected
    hidden = posts(scene)
    watching.call("sync")  # the ack comes after every broadcast before it
    mark = len(watching.heard)
    hide_and_note(scene, hidden)
    seen = [*watching.heard, watching.call("sync")]

    since = seen[mark:]  # the card was on the board for all to see until it was hidden
    assert "Something hurtful" not in json.dumps(since)
    assert hidden not in [card["id"] for card in cards_in(since)]
    assert "off topic" not in json.dumps(seen) and "seems tired" not in json.dumps(seen)
    assert "notes" not in keys_of(seen)
    assert all(not card["hidden"] for card in cards_in(seen))
    names_are_masked(scene, seen)

    control = scene.tutor.call("sync")["board"]
    shown = {card["id"]: card for card in control["cards"]}
    assert (shown[hidden]["hidden"], shown[hidden]["hidden_reason"]) == (True, "off topic")
    assert [note["text"] for note in control["notes"]] == ["Amina seems tired"]
    assert {m["name"] for m in control["members"]} == {"Amina", "Yusuf"}
    assert "Amina" in json.dumps(scene.tutor.heard)


def test_a_trainee_may_watch_from_the_console_but_not_open_the_projector(site: Site):
    scene = room(site)
    pages = f"{site.url}/sessions/{scene.live.id}"
    assert scene.trainee.get(f"{pages}/projector", timeout=10).status_code == 403
    projector = site.socket(scene.trainee, "/projector", scene.live)
    assert projector.refusal is not None and not projector.connected
    assert scene.trainee.get(f"{pages}/console", timeout=10).status_code == 200


def test_a_trainee_reading_an_ended_session_still_sees_pseudonyms(site: Site):
    scene = room(site)
    hide_and_note(scene, posts(scene))
    assert scene.tutor.call("end")["ok"]
    watching = site.socket(scene.trainee, "/tutor", scene.live)
    assert watching.connected
    seen = [watching.call("sync")]
    assert seen[0]["board"]["status"] == "ended"
    assert "notes" not in keys_of(seen) and "off topic" not in json.dumps(seen)
    names_are_masked(scene, seen)


def test_a_finished_session_shows_a_trainee_no_real_name_of_someone_who_said_no(site: Site):
    scene = room(site)
    posts(scene)
    assert scene.tutor.call("end")["ok"]
    page = scene.trainee.get(f"{site.url}/sessions/{scene.live.id}/console", timeout=10)
    assert page.status_code == 200
    assert "Amina" not in page.text
    watching = site.socket(scene.trainee, "/tutor", scene.live)
    seen = [watching.call("sync")]
    names_are_masked(scene, seen)
