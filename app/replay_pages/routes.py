"""The replay page, its JSON (slider, frames, annotations) and what reviewers and
trainees do on it: annotate, answer the focus question, share, remove words."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug import Response

from app.access import cohort_names, named_in_replays
from app.extensions import db
from app.live.group_rules import earlier_rules
from app.live.pinned import meeting_of
from app.live.replay import Recording
from app.messages import error_text
from app.models import Annotation, FocusAnswer, LiveSession
from app.offload import off_the_loop
from app.permissions import ReplayAction
from app.portfolio_pages.wording import CHOICE_LABELS
from app.refusals import Refused
from app.renaming import Renamer
from app.rendering import render_markdown
from app.replay import annotations, recordings, redaction, sharing
from app.replay.frames import Words, frame, to_review
from app.replay.pseudonyms import Cast, cast
from app.replay.timeline import span_minutes, timeline
from app.replay.wire import AnnotationView, NamedInside, Timeline
from app.replay_pages import actions_on, bp, replay_for
from app.script_access import current_script
from app.workshops import Meeting

KINDS = {
    annotations.Kind.WHY: _l("Why I did this"),
    annotations.Kind.DIFFERENTLY: _l("What I would do differently"),
    annotations.Kind.QUESTION: _l("Question"),
    annotations.Kind.REPLY: _l("Reply"),
}


def _meeting(live: LiveSession) -> Meeting:
    return meeting_of(db.session, live, str(get_locale()), current_script())


def _cast(live: LiveSession, recording: Recording) -> Cast:
    real = cohort_names(db.session, live.cohort_id)
    named = named_in_replays(db.session, list(real))
    return cast(recording.people, real, named, _("Participant {letter}"))


def _refused(refusal: Refused, status: int = 400) -> tuple[Response, int]:
    return jsonify(
        {"ok": False, "error": refusal.code, "message": error_text(refusal.code)}
    ), status


@bp.get("/replays/<int:session_id>")
@login_required
def replay(session_id: int) -> str:
    """A finished session played back: the wall, the guide, the notes, the annotations."""
    live = replay_for(session_id)
    may = actions_on(live)
    meeting = _meeting(live)
    kinds = [
        (kind.value, str(label))
        for kind, label in KINDS.items()
        if kind is not annotations.Kind.REPLY
        and (ReplayAction.ANNOTATE in may or kind in annotations.ASKING_KINDS)
    ]
    answer = db.session.query(FocusAnswer).filter_by(session_id=live.id, user_id=current_user.id)
    reviews = ReplayAction.REVIEW in may
    recording = recordings.recording_for(db.session, live.id)
    people = _cast(live, recording)
    # What the tutors wrote may name someone: a trainee reads it under the pseudonyms.
    shown = str if reviews else people.renamer.text
    review: list[NamedInside] = []
    if reviews:  # what to read before sharing, over the whole session
        last = recording.base_for(recording.last_seq)
        review = off_the_loop(
            lambda: to_review(recording.state_at(recording.last_seq, last), people)
        )
    urls = {
        "timeline": url_for("replay.timeline_json", session_id=live.id),
        "frame": url_for("replay.frame_json", session_id=live.id, seq=0)[:-1] + "{seq}",
        "annotations": url_for("replay.annotations_json", session_id=live.id),
        "annotate": url_for("replay.annotate", session_id=live.id),
        "focus": url_for("replay.focus", session_id=live.id),
        "share": url_for("replay.share", session_id=live.id),
        "redact": url_for("replay.redact", session_id=live.id),
        "take_over": url_for("replay.take_over", session_id=live.id),
    }
    return render_template(
        "replay/replay.html",
        live=live,
        meeting=meeting,
        guides=[
            (step, render_markdown(step.guide_md), render_markdown(step.prompt_md))
            for step in meeting.steps
        ],
        prompts=[(step, render_markdown(step.prompt_md)) for step in meeting.steps],
        objectives=meeting.objectives,
        group_rules=[shown(rule) for rule in earlier_rules(db.session, live)],
        may_review=reviews,
        review=review,
        steps={step.id: step.title for step in meeting.steps},
        may_annotate=ReplayAction.ANNOTATE in may,
        kinds=kinds,
        focus_prompt=shown(live.focus_prompt) if live.focus_prompt else None,
        focus_answer=(found.body if (found := answer.first()) else None),
        focus_answers=sharing.focus_answers(db.session, live) if reviews else [],
        urls=urls,
        choice_labels=CHOICE_LABELS,  # the words of a card's choices (the feedback's answer)
    )


def _quiet_label(minutes: int) -> str:
    return ngettext("%(num)s min with no new card", "%(num)s min with no new card", minutes)


@bp.get("/replays/<int:session_id>/timeline.json")
@login_required
def timeline_json(session_id: int) -> Response:
    """The slider: each event's time, the markers, the quiet spans."""
    live = replay_for(session_id)
    recording = recordings.recording_for(db.session, live.id)
    reviews = ReplayAction.REVIEW in actions_on(live)
    readable = annotations.readable(db.session, live, current_user, reviews=reviews)
    offset = _utc_offset_ms(live)
    meeting = _meeting(live)
    annotated = [
        (n.seq, str(KINDS[annotations.Kind(n.kind)])) for n in readable if n.parent_id is None
    ]
    # What to read before sharing (texts that name someone) is read off the last state.
    last = recording.base_for(recording.last_seq) if reviews else None
    people = _cast(live, recording) if reviews else None
    # Words in the reader's language are made here: off the loop there is no request.
    minutes = {span_minutes(span) for span in recording.quiet_spans()}
    quiet = {count: _quiet_label(count) for count in minutes}
    db.session.close()  # the rest computes over what was read, off the event loop

    def compute() -> Timeline:
        body = timeline(
            recording, {s.id: s.title for s in meeting.steps}, annotated, quiet.__getitem__
        )
        if last is not None and people is not None:
            final = recording.state_at(recording.last_seq, last)
            body["named_inside"] = to_review(final, people)
        return body

    body = off_the_loop(compute)
    body["session"] = {"id": session_id, "title": meeting.title}
    body["utc_offset_ms"] = offset
    return _json(dict(body))


def _utc_offset_ms(live: LiveSession) -> int:
    """The organisation's clock at the session's start, against UTC: the slider reads
    "19:42" as the room's clock read it, wherever the viewer is."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    offset = live.started_at.astimezone(zone).utcoffset()
    return int(offset.total_seconds() * 1000) if offset else 0


def _json(body: dict[str, Any], status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    # A replay changes only when someone removes words from it: the page asks each time.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/replays/<int:session_id>/frame/<int:seq>")
@login_required
def frame_json(session_id: int, seq: int) -> Response | tuple[Response, int]:
    """The wall, the step and the notes right after event `seq`."""
    live = replay_for(session_id)
    recording = recordings.recording_for(db.session, live.id)
    if not 0 <= seq <= recording.last_seq:
        return _refused(Refused("no_such_moment"))
    people = _cast(live, recording)
    words = Words(removed=_("Content removed"))
    reviewer = ReplayAction.REVIEW in actions_on(live)
    base = recording.base_for(seq)  # read here: the fold below only computes
    # And the session's end: a story is drawn only as its author still chose then.
    last = recording.base_for(recording.last_seq)
    db.session.close()  # nothing more to read: the connection goes back while it folds
    body = off_the_loop(
        lambda: frame(recording, seq, people, words, base, reviewer=reviewer, last=last)
    )
    return _json(body)


def _annotation_json(note: Annotation, renamer: Renamer | None = None) -> AnnotationView:
    """An annotation as the page shows it; `renamer` hides the names a trainee may not
    read (a tutor's note may name someone)."""
    return {
        "id": note.id,
        "seq": note.seq,
        "kind": note.kind,
        "kind_label": str(KINDS[annotations.Kind(note.kind)]),
        "body": renamer.text(note.body) if renamer else note.body,
        "author": note.author.display_name if note.author else _("A former member of staff"),
        "private": note.private,
        "parent_id": note.parent_id,
        "created": note.created_at.isoformat(),
    }


@bp.get("/replays/<int:session_id>/annotations.json")
@login_required
def annotations_json(session_id: int) -> Response:
    live = replay_for(session_id)
    reviews = ReplayAction.REVIEW in actions_on(live)
    notes = annotations.readable(db.session, live, current_user, reviews=reviews)
    renamer = None
    if not reviews:
        renamer = _cast(live, recordings.recording_for(db.session, live.id)).renamer
    return _json({"annotations": [_annotation_json(n, renamer) for n in notes]})


def _posted() -> dict[str, Any]:
    """The JSON body of a page's request, or its form."""
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else request.form.to_dict()


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@bp.post("/replays/<int:session_id>/annotations")
@login_required
def annotate(session_id: int) -> tuple[Response, int]:
    """Keep a note (or a reply, or a question) on one moment of the session."""
    live = replay_for(session_id, ReplayAction.ASK)
    body = _posted()
    seq = _whole(body.get("seq"))
    parent = body.get("parent_id")
    new = annotations.NewAnnotation(
        seq=seq if seq is not None else -1,
        kind=str(body.get("kind") or ""),
        body=str(body.get("body") or ""),
        private=str(body.get("private")).lower() in ("true", "1", "on"),
        parent_id=_whole(parent) if parent not in (None, "") else None,
    )
    if parent not in (None, "") and new.parent_id is None:
        return _refused(Refused("no_such_annotation"))
    try:
        note = annotations.add(
            db.session,
            live,
            current_user,
            new,
            may_annotate=ReplayAction.ANNOTATE in actions_on(live),
            reviews=ReplayAction.REVIEW in actions_on(live),
        )
    except annotations.AnnotationRefused as refused:
        db.session.rollback()
        return _refused(refused)
    db.session.commit()
    return _json(_annotation_json(note)), 201


@bp.post("/replays/<int:session_id>/focus")
@login_required
def focus(session_id: int) -> Response | tuple[Response, int]:
    """Save the viewer's answer to the session's focus question."""
    live = replay_for(session_id)
    try:
        sharing.answer_focus(db.session, live, current_user, str(_posted().get("answer") or ""))
    except sharing.SharingRefused as refused:
        db.session.rollback()
        return _refused(refused)
    db.session.commit()
    return _json({"ok": True})


@bp.post("/replays/<int:session_id>/share")
@login_required
def share(session_id: int) -> Response:
    """Share the session with trainees (having reviewed it), with a focus question; or
    stop sharing it."""
    live = replay_for(session_id, ReplayAction.REVIEW)
    form = request.form
    back = redirect(url_for("replay.replay", session_id=live.id))
    try:
        if form.get("shared") == "no":
            sharing.unshare(live)
            flash(_("Trainees no longer see this session."))
        else:
            sharing.share(live, current_user, form.get("focus_prompt", ""))
            flash(_("Trainees can now replay this session."))
    except sharing.SharingRefused as refused:
        db.session.rollback()
        flash(error_text(refused.code), "error")
        return back
    db.session.commit()
    return back


@bp.post("/replays/<int:session_id>/redact")
@login_required
def redact(session_id: int) -> Response:
    """Remove a card's words, or a note, from every replay of the session."""
    live = replay_for(session_id, ReplayAction.REVIEW)
    seq = _whole(request.form.get("seq"))
    back = redirect(url_for("replay.replay", session_id=live.id, seq=seq or 0))
    try:
        redaction.remove_from_replays(db.session, live.id, seq if seq is not None else -1)
    except redaction.NotRemovable:
        db.session.rollback()
        flash(error_text("not_removable"), "error")
        return back
    db.session.commit()
    flash(_("The content is removed from the replays."))
    return back
