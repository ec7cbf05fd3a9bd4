"""JSON that carries no markup: the API's answers may quote what a client sent."""

from rest_framework.renderers import JSONRenderer

# Only ever inside JSON strings, where the escape reads back as the same character.
MARKUP = {b"<": b"\\u003c", b">": b"\\u003e", b"&": b"\\u0026"}


def without_markup(content: bytes) -> bytes:
    """JSON text with <, > and & escaped, so no answer reflects markup a browser could read."""
    for character, escape in MARKUP.items():
        content = content.replace(character, escape)
    return content


class EscapedJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        return without_markup(super().render(data, accepted_media_type, renderer_context))
