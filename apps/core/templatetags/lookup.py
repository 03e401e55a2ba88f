from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}`` for dictionaries built in views."""
    if not mapping:
        return []
    return mapping.get(key, [])
