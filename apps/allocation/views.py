"""Pages of the optimiser: propose a cycle's teams, look at the proposal with its reasons,
pin or forbid people with a live rule check and re-run, publish; and people's own reviewing
preferences."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from apps.core import jobs
from apps.core.converters import parse_id
from apps.core.paging import page_of
from apps.frameworks.areas import Area
from apps.partnerships.models import Partnership
from apps.reviews.access import get_cycle_for_user
from apps.reviews.models import Mode
from apps.reviews.rulebook import DELIVERY_POOL
from apps.schools.models import School

from . import services
from .build import authority_pool, person_id, review_id, reviews_by_id, users_by_id
from .diagnose import why_not
from .forms import ProfileForm, RunForm
from .models import AllocationRun, PlaceRole, ReviewerProfile
from .scorer import score
from .spec import InstanceError, load_instance

AREAS = dict(Area.choices)
RUNS_PAGE_SIZE = 20  # earlier runs a page of a cycle's allocation shows
ROLE_LABELS = {"lead": _("lead reviewer"), "member": _("a reviewer"),
               "champion": _("Improvement Champion")}


def get_run_for_user(user, pk: int) -> AllocationRun:
    run = AllocationRun.objects.select_related("cycle__partnership").filter(pk=pk).first()
    if run is None:
        raise Http404("No such proposal")
    get_cycle_for_user(user, run.cycle_id, "allocation.propose")
    return run


def cycle_runs(request, pk):
    cycle = get_cycle_for_user(request.user, pk, "allocation.propose")
    form = RunForm(request.POST or None, cycle=cycle, authority=authority_pool(cycle))
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        time_limit = d.pop("time_limit")
        try:
            run = services.start_run(cycle, by=request.user, options=d, time_limit=time_limit)
        except ValidationError as e:
            for m in e.messages:
                form.add_error(None, m)
        else:
            return redirect("allocation:run", pk=run.pk)
    return render(request, "allocation/cycle.html", {
        "cycle": cycle, "form": form,
        **page_of(request, cycle.allocation_runs.order_by("-created_at", "-pk"),
                  RUNS_PAGE_SIZE)})


@require_safe
def run_detail(request, pk):
    run = get_run_for_user(request.user, pk)
    cycle = run.cycle
    context = {"run": run, "cycle": cycle}
    if run.state == AllocationRun.State.DONE:
        context.update(_proposal(request, run))
    template = "allocation/_run_state.html" if request.headers.get("HX-Request") and \
        not jobs.is_finished(run.state) else "allocation/run.html"
    return render(request, template, context)


def _proposal(request, run) -> dict:
    """A finished run's page: each review's proposed team with the reasons for each person,
    the score, the rule check asked for, and the pins and exclusions."""
    try:
        inst = load_instance(run.instance)
    except InstanceError:
        inst = None
    reviews_map, users = reviews_by_id(run.cycle), users_by_id(run.instance)
    assignments = [(a["review"], a["person"], a["role"])
                   for a in run.solution.get("assignments", [])]
    rows = _proposal_rows(run, inst, reviews_map, users, assignments)
    checked = score(inst, assignments) if inst is not None and assignments else None
    review_choices = [(rid, reviews_map[rid].host.name) for rid in
                      (r["id"] for r in run.instance.get("reviews", []))
                      if rid in reviews_map]
    person_choices = sorted(((pid, u.display_name) for pid, u in users.items()),
                            key=lambda x: x[1])
    return {"rows": rows, "score": checked, "review_choices": review_choices,
            "score_lines": score_sentences(inst, checked) if checked else [],
            "person_choices": person_choices,
            "check": _rule_check(request, inst, reviews_map, users),
            "pins": run.options.get("pins", []), "forbids": run.options.get("forbids", [])}


def _proposal_rows(run, inst, reviews_map, users, assignments) -> list[dict]:
    """One row per review: the review and the people proposed for it, each with the reasons
    in words, and which of them come from another partnership."""
    pinned = {(f["review"], f["person"]) for f in run.instance.get("fixed", [])}
    schools = {s.urn: s for s in School.objects.filter(
        urn__in=[s["urn"] for s in run.instance.get("schools", [])]).only(
        "urn", "name", "easting", "northing")}
    located = {urn for urn, s in schools.items() if s.easting and s.northing}
    partnership_names = dict(Partnership.objects.filter(
        slug__in={s["partnership"] for s in run.instance.get("schools", [])})
        .values_list("slug", "name"))
    agreed = set(Partnership.objects.filter(pk__in=run.cycle.agreed_partner_ids(rapid=True))
                 .values_list("name", flat=True))
    rows = []
    for rid in (r["id"] for r in run.instance.get("reviews", [])):
        review = reviews_map.get(rid)
        people = []
        for r, p, role in assignments:
            if r != rid or inst is None:
                continue
            person, spec = users.get(p), inst.people[p]
            home = inst.schools[spec.school].partnership
            other = home != inst.schools[inst.reviews[rid].host].partnership
            from_delivery = home == DELIVERY_POOL
            school = schools.get(spec.school)
            people.append({"role": role, "role_label": PlaceRole(role).label, "user": person,
                           "reasons": _reasons(inst, rid, p, role, pinned, located),
                           "school": school.name if school else gettext(
                               "a school no longer listed"),
                           "delivery_partner": from_delivery,
                           "other_partnership": partnership_names.get(
                               home, gettext("another partnership"))
                           if other and not from_delivery else ""})
        others = sorted({x["other_partnership"] for x in people if x["other_partnership"]})
        waiting = [name for name in others if name not in agreed]
        if any(x["delivery_partner"] for x in people):
            others.append(gettext("a delivery partner"))
        rows.append({"id": rid, "review": review, "people": people, "others": others,
                     "waiting": waiting})
    return rows


def _reasons(inst, rid, p, role, pinned, located=None) -> list[str]:
    """Why the optimiser's choice of ``p`` for ``rid`` makes sense, in words."""
    spec = inst.people[p]
    review = inst.reviews[rid]
    reasons = []
    matched = sorted(spec.strengths & review.themes)
    if matched:
        reasons.append(gettext("strengths match the focus: %(areas)s") % {
            "areas": ", ".join(str(AREAS.get(a, a)) for a in matched)})
    if review.mode == Mode.IN_PERSON and role != "champion":
        if located is not None and not {spec.school, review.host} <= located:
            reasons.append(gettext("distance not known (a school has no location in the "
                                   "register)"))
        else:
            reasons.append(gettext("%(km)s km away") % {
                "km": f"{inst.dist_km(spec.school, review.host):g}"})
    if review.host in spec.reviewed_before:
        reasons.append(gettext("has reviewed this school before"))
    if spec.reviews_done == 0 and role != "champion":
        reasons.append(gettext("first review"))
    elif spec.reviews_done >= 3 and role != "champion":
        reasons.append(gettext("experienced (%(count)s reviews)") % {"count": spec.reviews_done})
    if (rid, p) in pinned:
        reasons.append(gettext("pinned by you"))
    return reasons


def _points(value: float) -> str:
    if value == 0:
        return gettext("no points")
    return ngettext("%(points)s point", "%(points)s points", 1 if abs(value) == 1 else 2) % {
        "points": f"{value:+g}"}


def score_sentences(inst, checked) -> list[str]:
    """Each part of the score as a plain sentence, with the points it adds or takes away."""
    w, parts = inst.settings.weights, checked.parts
    travel_km = round(parts["travel_per_10km"] * 10)
    lines = [
        (ngettext("%(count)s match between a reviewer's strengths and the focus of the review "
                  "they join",
                  "%(count)s matches between a reviewer's strengths and the focus of the "
                  "review they join", parts["expertise"]) % {"count": parts["expertise"]},
         w["expertise"] * parts["expertise"]),
        (ngettext("%(count)s team pairing a first-time reviewer with an experienced one",
                  "%(count)s teams pairing a first-time reviewer with an experienced one",
                  parts["mentoring"]) % {"count": parts["mentoring"]},
         w["mentoring"] * parts["mentoring"]),
        (gettext("%(km)s km of travel in all to in-person reviews") % {"km": f"{travel_km:g}"},
         -w["travel_per_10km"] * parts["travel_per_10km"]),
        (ngettext("%(count)s reviewer going back to a school they have reviewed before",
                  "%(count)s reviewers going back to a school they have reviewed before",
                  parts["repeat"]) % {"count": parts["repeat"]},
         -w["repeat"] * parts["repeat"]),
        (ngettext("%(count)s pair of schools reviewing each other",
                  "%(count)s pairs of schools reviewing each other",
                  parts["reciprocal"]) % {"count": parts["reciprocal"]},
         -w["reciprocal"] * parts["reciprocal"]),
        (ngettext("%(count)s review given to someone already on another review",
                  "%(count)s reviews given to someone already on another review",
                  parts["extra_load"]) % {"count": parts["extra_load"]},
         -w["extra_load"] * parts["extra_load"]),
    ]
    return [gettext("%(part)s: %(points)s") % {"part": text,
                                                "points": _points(round(points, 1))}
            for text, points in lines]


def _rule_check(request, inst, reviews_map, users) -> dict | None:
    """The live rule check for the person, review and role asked for (?review=&person=&role=)."""
    q_review, q_person, q_role = (request.GET.get("review"), request.GET.get("person"),
                                  request.GET.get("role"))
    if not (inst is not None and q_review in inst.reviews and q_person in inst.people and
            q_role in ("lead", "member", "champion")):
        return None
    person = users.get(q_person)
    return {"problems": why_not(inst, q_review, q_person, q_role,
                                name=person.display_name if person else None),
            "role_label": ROLE_LABELS[q_role],
            "person": users.get(q_person), "review": reviews_map.get(q_review),
            "role": q_role}


@require_POST
def adjust(request, pk):
    """Pin or forbid a person and run again with the same settings."""
    run = get_run_for_user(request.user, pk)
    rid, pid, role = (request.POST.get("review", ""), request.POST.get("person", ""),
                      request.POST.get("role", ""))
    action = request.POST.get("do")
    review_pk, user_pk = parse_id(rid[1:]), parse_id(pid[1:])
    if action not in ("pin", "forbid") or not review_pk or not user_pk or \
            (action == "pin" and role not in ("lead", "member", "champion")):
        messages.error(request, gettext("Choose a review, a person and, to pin, a role"))
        return redirect("allocation:run", pk=run.pk)
    if review_id(review_pk) != rid or person_id(user_pk) != pid:
        raise Http404
    pins = [tuple(p) for p in run.options.get("pins", [])]
    forbids = [tuple(f) for f in run.options.get("forbids", [])]
    if action == "pin":
        inst = load_instance(run.instance)
        if rid not in inst.reviews or pid not in inst.people:
            raise Http404
        person = users_by_id(run.instance).get(pid)
        problems = why_not(inst, rid, pid, role,
                           name=person.display_name if person else None)
        if problems:
            messages.error(request, gettext("That pin breaks a rule: %(problems)s")
                           % {"problems": "; ".join(problems)})
            return redirect("allocation:run", pk=run.pk)
        pins = [p for p in pins if (p[0], p[1]) != (review_pk, user_pk)] + \
            [(review_pk, user_pk, role)]
        forbids = [f for f in forbids if (f[0], f[1]) != (review_pk, user_pk)]
    else:
        forbids = [f for f in forbids if (f[0], f[1]) != (review_pk, user_pk)] + \
            [(review_pk, user_pk)]
        pins = [p for p in pins if (p[0], p[1]) != (review_pk, user_pk)]
    options = {k: v for k, v in run.options.items() if k not in ("pins", "forbids")}
    try:
        new = services.start_run(run.cycle, by=request.user, options=options,
                                 time_limit=run.time_limit, pins=pins, forbids=forbids)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("allocation:run", pk=run.pk)
    return redirect("allocation:run", pk=new.pk)


@require_POST
def publish(request, pk):
    run = get_run_for_user(request.user, pk)
    try:
        sent = services.publish(run, by=request.user)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return redirect("allocation:run", pk=run.pk)
    messages.success(request, ngettext(
        "Published: %(count)s invitation sent. People accept or decline from their Reviews "
        "page.",
        "Published: %(count)s invitations sent. People accept or decline from their Reviews "
        "page.", sent) % {"count": sent})
    return redirect("reviews:cycle", pk=run.cycle_id)


def profile(request):
    existing = ReviewerProfile.objects.filter(user=request.user).first()
    form = ProfileForm(request.POST or None, initial={
        "strengths": existing.strengths if existing else [],
        "max_reviews": existing.max_reviews if existing else 2,
        "unavailable": "\n".join(existing.unavailable) if existing else ""})
    if request.method == "POST":
        if not request.user.is_authenticated:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            dates = list(d["unavailable"]) + ([d["add_date"]] if d["add_date"] else [])
            services.save_profile(request.user, unavailable=dates, strengths=d["strengths"],
                                  max_reviews=d["max_reviews"])
            messages.success(request, gettext("Your reviewing preferences are saved."))
            return redirect("allocation:profile")
    return render(request, "allocation/profile.html", {"form": form})
