"""The schema lane: requests drawn from the installed OpenAPI document, and the rules their answers keep.
"""

__all__: list[str] = []
