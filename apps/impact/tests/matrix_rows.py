"""Permission-matrix rows for impact and evaluation.

Analyses and exports: the core team and evaluators. Fidelity: the core team, evaluators and
associates see every partnership; Alpha's lead sees Alpha's; other members of Alpha are
refused (403); everyone else is an outsider (404). Outcome imports: the core team only.
"""

from conftest import PERSONAS

ALPHA_MEMBERS = ["head", "leader", "staff", "exec_head", "reviewer2", "champion"]


def table(default: int, anonymous: int = 302, **special) -> dict:
    t = {p: default for p in PERSONAS}
    t["anonymous"] = anonymous
    t.update(special)
    return t


def _analysis(w):
    """A finished analysis of synthetic data (built once per world)."""
    if getattr(w, "impact_analysis", None) is None:
        from apps.impact.estimate import Spec, estimate
        from apps.impact.models import Analysis
        from apps.impact.tests.test_estimate import synthetic

        frame, clusters = synthetic(n_schools=120, n_treated=20)
        result = estimate(frame, clusters, Spec("READ_AVERAGE", 2018, 2019, bootstrap_reps=99),
                          clusters=clusters)
        w.impact_analysis = Analysis.objects.create(
            name="Synthetic analysis", created_by=w.people["core"], status="done",
            spec={"outcome": "READ_AVERAGE", "pre_year": 2018, "post_year": 2019,
                  "start_year": 2018}, result=result)
    return {"pk": w.impact_analysis.pk}


def _import(w):
    from apps.impact.models import OutcomeImport

    job = OutcomeImport.objects.create(created_by=w.people["core"], filenames=["a.csv"],
                                       status="done", summary={"files": [], "errors": []})
    return {"pk": job.pk}


def _wave(w):
    """A survey with a wave open for Alpha's staff (built once per world)."""
    if getattr(w, "impact_wave", None) is None:
        from apps.impact import surveys

        survey = surveys.create_survey(by=w.people["core"], title="Survey", items=[
            ("staff", "likert", "Reviews changed what I do")])
        w.impact_wave = surveys.open_wave(survey, by=w.people["core"], kind="baseline",
                                          partnerships=[w.alpha], roles=["staff"],
                                          min_group=5)
    return w.impact_wave


ANALYSTS = {"core": 200, "evaluator": 200}
SURVEY_READERS = {"core": 200, "evaluator": 200, "associate": 200}
FIDELITY_ALL = {"core": 200, "evaluator": 200, "associate": 200, "lead": 200}

MATRIX_ROWS = {
    "impact:index": ("get", lambda w: {}, table(403, **FIDELITY_ALL)),
    "impact:outcomes_import": ("get", lambda w: {}, table(403, core=200)),
    "impact:outcomes_import_status": ("get", _import, table(403, core=200)),
    "impact:analyses": ("get", lambda w: {}, table(403, **ANALYSTS)),
    "impact:analysis_new": ("get", lambda w: {}, table(403, **ANALYSTS)),
    "impact:analysis": ("get", _analysis, table(403, **ANALYSTS)),
    "impact:analysis_export": ("get", lambda w: {**_analysis(w), "fmt": "csv"},
                               table(403, **ANALYSTS)),
    "impact:analysis_export#xlsx": ("get", lambda w: {**_analysis(w), "fmt": "xlsx"},
                                    table(403, **ANALYSTS)),
    "impact:fidelity": ("get", lambda w: {}, table(403, **FIDELITY_ALL)),
    "impact:fidelity_export": ("get", lambda w: {"fmt": "csv"}, table(403, **ANALYSTS)),
    "impact:fidelity_partnership": (
        "get", lambda w: {"slug": w.alpha.slug},
        table(404, **FIDELITY_ALL, **{p: 403 for p in ALPHA_MEMBERS})),
    "impact:fidelity_partnership#beta": (
        "get", lambda w: {"slug": w.beta.slug},
        table(404, core=200, evaluator=200, associate=200, lead=404, exec_head=403,
              outsider=403)),
    "api:list_analyses": ("get", lambda w: {}, table(403, anonymous=401, **ANALYSTS)),
    "api:get_analysis": ("get", lambda w: {"analysis_id": _analysis(w)["pk"]},
                         table(403, anonymous=401, **ANALYSTS)),
    "api:list_fidelity": ("get", lambda w: {}, table(403, anonymous=401, **FIDELITY_ALL)),
    "impact:surveys": ("get", lambda w: {}, table(403, **SURVEY_READERS)),
    "impact:survey_new": ("get", lambda w: {}, table(403, core=200)),
    "impact:survey": ("get", lambda w: {"pk": _wave(w).survey_id},
                      table(403, **SURVEY_READERS)),
    "impact:wave_results": ("get", lambda w: {"pk": _wave(w).pk},
                            table(403, **SURVEY_READERS)),
    "impact:wave_export": ("get", lambda w: {"pk": _wave(w).pk, "fmt": "xlsx"},
                           table(403, **ANALYSTS)),
    "impact:wave_close": ("post", lambda w: {"pk": _wave(w).pk}, table(403, core=302)),
    "impact:my_surveys": ("get", lambda w: {}, table(200)),
    # The answer link works for whoever holds it, signed in or not.
    "impact:answer": ("get", lambda w: {"token": _wave(w).invites.get().token},
                      table(200, anonymous=200)),
    "impact:answer#post": ("post", lambda w: {"token": _wave(w).invites.get().token},
                           table(200, anonymous=200)),
    "impact:survey_new#post": ("post", lambda w: {}, table(403, core=200)),
    "impact:survey#post": ("post", lambda w: {"pk": _wave(w).survey_id},
                           table(403, core=200)),
    "impact:wave_results#post": ("post", lambda w: {"pk": _wave(w).pk},
                                 table(403, core=200)),
    "api:wave_results": ("get", lambda w: {"wave_id": _wave(w).pk},
                         table(403, anonymous=401, **SURVEY_READERS)),
    "impact:commissioner_report": ("get", lambda w: {"pk": w.alpha.organisation_id},
                                   table(403, **SURVEY_READERS)),
    "impact:commissioner_report_pdf": ("get", lambda w: {"pk": w.alpha.organisation_id},
                                       table(403, **SURVEY_READERS)),
    # Writes: defining an analysis and uploading outcomes (an empty form is re-shown: 200).
    "impact:analysis_new#post": ("post", lambda w: {}, table(403, **ANALYSTS)),
    "impact:outcomes_import#post": ("post", lambda w: {}, table(403, core=200)),
}

POST_DATA_ROWS = {
    "impact:analysis_new#post": lambda w: {"name": ""},
    "impact:outcomes_import#post": lambda w: {"x": "1"},
    "impact:answer#post": lambda w: {"x": "1"},
    "impact:survey_new#post": lambda w: {"title": ""},
    "impact:survey#post": lambda w: {"kind": ""},
    "impact:wave_results#post": lambda w: {"min_group": "1"},
}
