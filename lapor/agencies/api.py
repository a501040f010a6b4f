"""API endpoints of the agencies app (mounted under /api/v1 by lapor.api.api)."""

from ninja import Router

router = Router(tags=["agencies"])
