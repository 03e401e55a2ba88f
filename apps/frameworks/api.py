"""Published frameworks, their themes and questions, and search."""

from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from apps.core.api import Mapped, SafePagination, clean_text
from apps.core.converters import is_id

from .models import QUESTION_INDEX, Framework, FrameworkVersion, Question

router = Router(tags=["frameworks"])
Status = FrameworkVersion.Status


class PromptOut(Schema):
    kind: str
    text: str


class QuestionOut(Schema):
    id: int
    ref: str
    text: str
    phases: list[str]
    theme: str
    framework: str
    version: int
    prompts: list[PromptOut]


class ThemeOut(Schema):
    title: str
    summary: str
    questions: list[QuestionOut]


class FrameworkOut(Schema):
    slug: str
    kind: str
    title: str
    summary: str
    version: int
    published_at: str | None


class FrameworkDetailOut(FrameworkOut):
    themes: list[ThemeOut]


def _need_view(request):
    if not request.user.has_perm("frameworks.view_frameworks"):
        raise HttpError(403, "Forbidden")


def _framework(version) -> dict:
    return {"slug": version.framework.slug, "kind": version.framework.kind,
            "title": version.title, "summary": version.summary, "version": version.number,
            "published_at": version.published_at.isoformat() if version.published_at else None}


def _question(q: Question) -> dict:
    return {"id": q.pk, "ref": str(q.ref), "text": q.text, "phases": q.phases,
            "theme": q.theme.title, "framework": q.theme.version.framework.slug,
            "version": q.theme.version.number,
            "prompts": [{"kind": p.kind, "text": p.text} for p in q.prompts.all()]}


def _published_questions():
    return (Question.objects.filter(theme__version__status=Status.PUBLISHED)
            .select_related("theme__version__framework").prefetch_related("prompts"))


@router.get("/", response=list[FrameworkOut], summary="Published frameworks")
def list_frameworks(request):
    _need_view(request)
    versions = (FrameworkVersion.objects.filter(status=Status.PUBLISHED)
                .select_related("framework").order_by("framework__kind", "framework__slug"))
    return [_framework(v) for v in versions]


@router.get("/questions/search", response=list[QuestionOut],
            summary="Search published questions and their prompts, best first")
@paginate(SafePagination, page_size=50)
def search_questions(request, q: str, framework: str = "", theme: str = "", phase: str = ""):
    _need_view(request)
    qs = _published_questions()
    if framework:
        qs = qs.filter(theme__version__framework__slug=clean_text(framework))
    if theme:
        qs = qs.filter(theme__title=clean_text(theme))
    results = QUESTION_INDEX.search(qs, clean_text(q))
    if phase:
        results = [r for r in results if not r.phases or phase in r.phases]
    return Mapped(results, _question)


@router.get("/questions/{question_id}", response=QuestionOut,
            summary="One question of a published or retired version")
def get_question(request, question_id: int):
    _need_view(request)
    question = (Question.objects.filter(pk=question_id,
                                        theme__version__status__in=[Status.PUBLISHED,
                                                                    Status.RETIRED])
                .select_related("theme__version__framework").prefetch_related("prompts")
                .first()) if is_id(question_id) else None
    if question is None:
        raise HttpError(404, "Not found")
    return _question(question)


@router.get("/{slug}", response=FrameworkDetailOut,
            summary="A framework's published version with its themes and questions")
def get_framework(request, slug: str):
    _need_view(request)
    framework = Framework.objects.filter(slug=clean_text(slug)).first()
    version = framework.published_version() if framework else None
    if version is None:
        raise HttpError(404, "Not found")
    themes = version.themes.prefetch_related("questions__prompts")
    return {**_framework(version), "themes": [
        {"title": t.title, "summary": t.summary,
         "questions": [_question(q) for q in t.questions.all()]} for t in themes]}
