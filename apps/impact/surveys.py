"""Surveys at each level of the theory of change: building, opening waves, anonymous answers
and suppressed results."""

from __future__ import annotations

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import Role, RoleAssignment
from apps.core import audit
from apps.notifications.services import notify
from apps.partnerships.models import Membership

from .models import Answer, Level, Response, Survey, SurveyItem, Wave, WaveInvite
from .suppression import check_min_group, comments_shown, suppress_line, suppress_table, threshold

WAVE_ROLES = {
    Role.HEADTEACHER: "leadership", Role.SCHOOL_LEADER: "leadership",
    Role.PARTNERSHIP_LEAD: "leadership", Role.STAFF: "staff",
}
ROLE_GROUP_LABELS = {"leadership": "Leaders", "staff": "Staff"}
LIKERT = [(1, "Strongly disagree"), (2, "Disagree"), (3, "Neither agree nor disagree"),
          (4, "Agree"), (5, "Strongly agree")]


def parse_items(text: str) -> list[tuple[str, str, str]]:
    """Lines "level: text", a trailing "[comment]" making it a free-text item."""
    items: list[tuple[str, str, str]] = []
    levels = {lv.value for lv in Level}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        level, sep, rest = line.partition(":")
        level, rest = level.strip().lower(), rest.strip()
        if not sep or level not in levels:
            raise ValidationError(f"Line {number} must start with a level: partnership, "
                                  "leadership, staff or pupil, then a colon")
        kind = SurveyItem.Kind.LIKERT
        if rest.lower().endswith("[comment]"):
            kind, rest = SurveyItem.Kind.TEXT, rest[:-len("[comment]")].strip()
        if not rest or len(rest) > 300:
            raise ValidationError(f"Line {number} must have a statement of 1 to 300 "
                                  "characters after the colon")
        items.append((level, kind, rest))
    if not items:
        raise ValidationError("Enter at least one item")
    return items


@transaction.atomic
def create_survey(*, by, title: str, items: list[tuple[str, str, str]]) -> Survey:
    survey = Survey.objects.create(title=title, created_by=by)
    SurveyItem.objects.bulk_create([SurveyItem(survey=survey, position=i, level=level,
                                               kind=kind, text=text)
                                    for i, (level, kind, text) in enumerate(items, start=1)])
    audit.record("impact.survey.created", actor=by, obj=survey, items=len(items))
    return survey


def _invitees(partnership, roles):
    """(user id, phase, role group) of people holding one of ``roles`` in the partnership."""
    schools = dict(Membership.objects.current().filter(partnership=partnership)
                   .values_list("school_id", "school__phase"))
    found = {}
    for user_id, role, school_id in RoleAssignment.objects.current().filter(
            Q(school_id__in=schools) | Q(partnership=partnership), role__in=roles,
    ).values_list("user_id", "role", "school_id").order_by("role", "id"):
        found.setdefault(user_id, (schools.get(school_id, ""), WAVE_ROLES[role]))
    return found


@transaction.atomic
def open_wave(survey: Survey, *, by, kind: str, partnerships, roles, min_group: int) -> Wave:
    check_min_group(min_group)
    if survey.waves.filter(kind=kind).exists():
        raise ValidationError("This survey already has that wave")
    wave = Wave.objects.create(survey=survey, kind=kind, roles=list(roles),
                               min_group=min_group, created_by=by)
    wave.partnerships.set(partnerships)
    invites: list[WaveInvite] = []
    for partnership in partnerships:
        for user_id, (phase, group) in _invitees(partnership, roles).items():
            if any(i.user_id == user_id for i in invites):
                continue  # someone in two partnerships answers once, for the first
            invites.append(WaveInvite(wave=wave, user_id=user_id, partnership=partnership,
                                      phase=phase, role_group=group,
                                      token=secrets.token_urlsafe(32)))
    WaveInvite.objects.bulk_create(invites)
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    notify(get_user_model().objects.filter(pk__in=[i.user_id for i in invites]),
           kind="impact.survey", actor=by,
           subject=f"A survey for you to answer: {survey.title}",
           message="Your answers are anonymous: they are stored without your name or account, "
                   "and no figure is shown for a small group. Open “Surveys for you to "
                   "answer” for your own link, which works on any device.",
           url=reverse("impact:my_surveys"), coalesce=True)  # one unread notice a person
    audit.record("impact.wave.opened", actor=by, obj=wave, invited=len(invites),
                 min_group=min_group)
    return wave


def set_min_group(wave: Wave, value: int, *, by) -> None:
    check_min_group(value)
    with transaction.atomic():
        wave = Wave.objects.select_for_update().get(pk=wave.pk)
        if wave.responses.exists():
            raise ValidationError("The smallest group shown cannot change once the wave has "
                                  "answers")
        wave.min_group = value
        wave.save(update_fields=["min_group"])
    audit.record("impact.wave.threshold_changed", actor=by, obj=wave, min_group=value)


def submit(invite: WaveInvite, answers: dict) -> Response:
    """Store one person's answers without anything that links them to the person."""
    with transaction.atomic():
        invite = WaveInvite.objects.select_for_update().get(pk=invite.pk)
        if invite.answered:
            raise ValidationError("You have already answered this survey")
        if not invite.wave.is_open:
            raise ValidationError("This survey has closed")
        response = Response.objects.create(id=uuid.uuid4(), wave=invite.wave,
                                           partnership=invite.partnership, phase=invite.phase,
                                           role_group=invite.role_group)
        Answer.objects.bulk_create([
            Answer(id=uuid.uuid4(), response=response, item=item, score=value
                   if item.kind == SurveyItem.Kind.LIKERT else None,
                   text=value if item.kind == SurveyItem.Kind.TEXT else "")
            for item, value in answers.items() if value not in (None, "")])
        invite.answered = True
        invite.save(update_fields=["answered"])
    return response


# Results ------------------------------------------------------------------------------------

GROUPINGS = {"partnership": "Partnership", "phase": "Phase", "role_group": "Role"}


def _label(grouping: str, value, names: dict) -> str:
    if grouping == "partnership":
        return names.get(value, "")
    if grouping == "role_group":
        return ROLE_GROUP_LABELS.get(value, value)
    return value or "Partnership-wide roles"


def _scores(wave: Wave) -> list[tuple]:
    """(partnership_id, phase, role_group, response_id, level, score) of every Likert
    answer."""
    return list(Answer.objects.filter(response__wave=wave, score__isnull=False).values_list(
        "response__partnership_id", "response__phase", "response__role_group",
        "response_id", "item__level", "score"))


def _agree(scores: list[int]) -> int | None:
    return round(100 * sum(1 for s in scores if s >= 4) / len(scores)) if scores else None


def results_many(waves: list[Wave], grouping: str = "partnership") -> list[dict]:
    """``results`` of several waves in two queries, whatever their number (a commissioner's
    report shows every wave of its partnerships)."""
    ids = [w.pk for w in waves]
    names: dict[int, dict[int, str]] = {pk: {} for pk in ids}
    through = Wave.partnerships.through.objects.filter(wave_id__in=ids)
    for wave_id, pk, name in through.values_list("wave_id", "partnership_id",
                                                 "partnership__name"):
        names[wave_id][pk] = name
    rows: dict[int, list[tuple]] = {pk: [] for pk in ids}
    for row in Answer.objects.filter(response__wave_id__in=ids, score__isnull=False) \
            .values_list("response__wave_id", "response__partnership_id", "response__phase",
                         "response__role_group", "response_id", "item__level", "score"):
        rows[row[0]].append(row[1:])
    return [results(w, grouping, names=names[w.pk], rows=rows[w.pk]) for w in waves]


def results(wave: Wave, grouping: str = "partnership", *, names: dict[int, str] | None = None,
            rows: list[tuple] | None = None) -> dict:
    """% agreeing by group and level, with groups under the threshold hidden (and enough
    others for the hidden ones not to be worked out from the total). ``names`` and ``rows``:
    the wave's partnerships and scores when already read (``results_many``)."""
    if names is None:
        names = dict(wave.partnerships.values_list("pk", "name"))
    index = {"partnership": 0, "phase": 1, "role_group": 2}[grouping]
    if rows is None:
        rows = _scores(wave)
    respondents: dict = {}
    for row in rows:
        respondents.setdefault(row[index], set()).add(row[3])
    counts = {g: len(ids) for g, ids in respondents.items()}
    limit = threshold(wave.min_group)
    hidden, total_shown = suppress_line(counts, limit)
    levels = [lv for lv in Level if any(r[4] == lv for r in rows)]
    table = []
    for group in sorted(counts, key=lambda g: _label(grouping, g, names)):
        shown = group not in hidden
        table.append({
            "group": _label(grouping, group, names), "shown": shown,
            "n": counts[group] if shown else None,
            "levels": [_agree([r[5] for r in rows if r[index] == group and r[4] == lv])
                       if shown else None for lv in levels]})
    total = len({r[3] for r in rows})
    return {"grouping": GROUPINGS[grouping], "levels": [lv.label for lv in levels],
            "rows": table, "threshold": limit,
            "total": {"n": total if total_shown else None, "shown": total_shown,
                      "levels": [_agree([r[5] for r in rows if r[4] == lv])
                                 if total_shown else None for lv in levels]},
            "hidden": len(hidden)}


def combined(wave: Wave) -> dict:
    """Respondents by partnership and role together: a stricter threshold."""
    names = dict(wave.partnerships.values_list("pk", "name"))
    cells: dict = {}
    for p, _, group, rid, _, _ in _scores(wave):
        cells.setdefault((p, group), set()).add(rid)
    counts = {k: len(v) for k, v in cells.items()}
    limit = threshold(wave.min_group, filters=2)
    hidden, _ = suppress_table(counts, limit) if counts else (set(), set())
    return {"threshold": limit, "rows": [
        {"partnership": names.get(p, ""), "role": ROLE_GROUP_LABELS.get(g, g),
         "n": None if (p, g) in hidden else n}
        for (p, g), n in sorted(counts.items(), key=lambda kv: (names.get(kv[0][0], ""),
                                                                kv[0][1]))]}


def comments(wave: Wave) -> list[dict]:
    """Free-text answers, by partnership, only where the partnership has at least 10
    respondents (and the wave's minimum)."""
    names = dict(wave.partnerships.values_list("pk", "name"))
    sizes: dict = {}
    for p in Response.objects.filter(wave=wave).values_list("partnership_id", flat=True):
        sizes[p] = sizes.get(p, 0) + 1
    out = []
    for p, n in sorted(sizes.items(), key=lambda kv: names.get(kv[0], "")):
        texts = []
        if comments_shown(n, wave.min_group):
            texts = sorted(Answer.objects.filter(response__wave=wave, response__partnership_id=p)
                           .exclude(text="").values_list("item__text", "text"))
        out.append({"partnership": names.get(p, ""), "shown": bool(texts) or
                    comments_shown(n, wave.min_group), "comments": texts})
    return out


def trend(survey: Survey) -> dict:
    """% agreeing by level across the survey's waves (all respondents of each wave; hidden
    where a wave has fewer respondents than its threshold)."""
    levels = [lv for lv in Level
              if survey.items.filter(level=lv, kind=SurveyItem.Kind.LIKERT).exists()]
    waves = list(survey.waves.order_by("kind"))
    series: dict[str, list[int | None]] = {lv.label: [] for lv in levels}
    for wave in waves:
        rows = _scores(wave)
        enough = len({r[3] for r in rows}) >= threshold(wave.min_group)
        for lv in levels:
            series[lv.label].append(_agree([r[5] for r in rows if r[4] == lv])
                                    if enough else None)
    return {"waves": [w.get_kind_display() for w in waves], "series": series}


def close_wave(wave: Wave, *, by) -> None:
    """No more answers; unused links stop working."""
    if wave.closed_at is None:
        Wave.objects.filter(pk=wave.pk).update(closed_at=timezone.now())
        audit.record("impact.wave.closed", actor=by, obj=wave,
                     answered=wave.responses.count())
