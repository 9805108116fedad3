"""The district collector: receives signed evidence bundles from schools, stores them, shows them.

``schoolnet-district serve`` runs the API v1 (OpenAPI at /openapi.json), the dashboard and the
LibreSpeed-compatible speed-test endpoints. See docs/district.md.
"""

__version__ = "0.1.0"
