from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, which writes UTF-8 and so fails on text that is not valid Unicode.

    The parser already refuses such text (vida/parsers.py); should any reach a
    response anyway, the body is written with ASCII escapes instead of a 500.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return _ASCII.render(data, accepted_media_type, renderer_context)


class _AsciiJSONRenderer(renderers.JSONRenderer):
    ensure_ascii = True


_ASCII = _AsciiJSONRenderer()
