"""The lines `make run` prints when the server is ready."""

from __future__ import annotations

from django.conf import settings


def banner(bind: str) -> str:
    from lapor.accounts.demo import DEMO_ACCOUNTS

    host, _, port = bind.rpartition(":")
    lines = [
        "",
        "=" * 72,
        f"  SP4N-LAPOR! is ready at http://{host}:{port}",
        f"  API docs: http://{host}:{port}/api/v1/docs    admin: http://{host}:{port}/admin/",
    ]
    if settings.LAPOR["CREATE_DEMO_ACCOUNTS"]:
        lines.append(f"  Demo accounts (password: {settings.LAPOR['DEMO_PASSWORD']}):")
        lines += [f"    {a.role:<16} {a.email}" for a in DEMO_ACCOUNTS]
    lines += ["  Press Ctrl-C to stop the web server and the worker.", "=" * 72, ""]
    return "\n".join(lines)
