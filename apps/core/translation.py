"""How far the Welsh interface has got (docs/welsh.md): what ``manage.py translation_report``
prints and the tests check.

Two gaps, reported by area, so nothing falls back to English silently:

* catalogue entries (strings marked for translation) with no Welsh yet, or marked fuzzy;
* English text in templates that is not marked for translation at all (found by reading the
  template: text between tags, outside ``{% translate %}``/``{% blocktranslate %}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

# Areas of the interface, by where their strings live. A path belongs to the first area
# whose prefix it starts with.
AREAS: list[tuple[str, tuple[str, ...]]] = [
    ("Sign-in and account", ("templates/account/", "templates/mfa/", "templates/allauth/",
                             "apps/accounts/")),
    ("Page frame and forms", ("templates/base.html", "templates/includes/", "templates/forms/",
                              "apps/core/templatetags/")),
    ("Public pages", ("apps/home/templates/home/public", "templates/public/", "apps/pages/")),
    ("Home", ("apps/home/",)),
    ("Review cycle", ("apps/reviews/", "apps/improvement/")),
    ("Training", ("apps/training/",)),
    ("Community", ("apps/community/",)),
    ("Alumni programme", ("apps/alumni/",)),
    ("Delivery partners", ("apps/delivery/",)),
    ("Schools register", ("apps/schools/",)),
    ("Impact", ("apps/impact/",)),
    ("Library", ("apps/resources/",)),
    ("Enquiry frameworks", ("apps/frameworks/",)),
]
OTHER = "Other areas"

_SKIP = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|<script\b.*?</script>|<style\b.*?</style>"
    r"|{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}|{#.*?#}"
    # Code, and words in a language of their own (a language's own name), stay as they are.
    r"|<code>.*?</code>|<(?!html\b)(\w+)\b[^>]*\blang=[^>]*>.*?</\1>", re.S)
_TAGS = re.compile(r"{%.*?%}|{{.*?}}|<[^>]*>|&[#\w]+;", re.S)
_WORD = re.compile(r"[A-Za-z][a-z]+")


def area_of(path: str) -> str:
    for name, prefixes in AREAS:
        if path.startswith(prefixes):
            return name
    return OTHER


def unmarked_text(template: str) -> list[str]:
    """Pieces of English in a template's text that no translation tag covers."""
    text = _TAGS.sub("\n", _SKIP.sub(" ", template))
    return [line.strip() for line in text.splitlines()
            if len(_WORD.findall(line)) >= 1 and line.strip()]


@dataclass
class Area:
    name: str
    translated: int = 0
    untranslated: list[str] = field(default_factory=list)
    unmarked: dict[str, list[str]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.untranslated and not self.unmarked


def _catalogue() -> Path:
    return Path(settings.LOCALE_PATHS[0]) / "cy" / "LC_MESSAGES" / "django.po"


def report(template_roots: tuple[str, ...] = ("templates", "apps")) -> list[Area]:
    import polib

    base = Path(settings.BASE_DIR)
    areas = {name: Area(name) for name, _ in AREAS} | {OTHER: Area(OTHER)}
    for entry in polib.pofile(str(_catalogue())):
        if entry.obsolete:
            continue
        places = [place for place, _ in entry.occurrences] or [""]
        area = areas[area_of(places[0])]
        done = (entry.msgstr_plural and all(entry.msgstr_plural.values())) or entry.msgstr
        if done and "fuzzy" not in entry.flags:
            area.translated += 1
        else:
            area.untranslated.append(entry.msgid)
    for root in template_roots:
        for path in sorted((base / root).rglob("*.html")):
            rel = path.relative_to(base).as_posix()
            if "/email/" in rel or rel.endswith("_pdf.html"):
                continue  # emails and PDFs: reported with their own areas once marked
            pieces = unmarked_text(path.read_text(encoding="utf-8"))
            if pieces:
                areas[area_of(rel)].unmarked[rel] = pieces
    return list(areas.values())
