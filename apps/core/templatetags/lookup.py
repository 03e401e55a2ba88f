from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}`` for dictionaries built in views."""
    if not mapping:
        return []
    return mapping.get(key, [])


@register.filter
def pair(first, second) -> str:
    """``{{ a|pair:b }}`` is "a:b", to look up a pair of ids in a set built by a view."""
    return f"{first}:{second}"
