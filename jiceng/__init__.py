"""Jiceng's release: shown in every page's footer and the API schema, written into backups'
manifests, and named in CHANGELOG.md with what it changes for an operator."""

__version__ = "1.0.0"
