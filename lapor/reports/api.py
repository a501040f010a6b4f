"""API endpoints of the reports app (mounted under /api/v1 by lapor.api.api)."""

from ninja import Router

router = Router(tags=["reports"])
