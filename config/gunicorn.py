"""Gunicorn settings for `make run` and production (override with GUNICORN_* or flags)."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 60
accesslog = "-" if os.environ.get("ACCESS_LOG") else None
graceful_timeout = 10


def when_ready(server: object) -> None:
    """Print the address and the demo accounts once the server listens."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()
    from lapor.core.banner import banner

    print(banner(bind), flush=True)
