"""The demo accounts `make run` creates: one per role, all with the documented demo password."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    full_name: str
    agency_code: str | None = None
    unit_code: str | None = None


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("pelapor@demo.lapor.go.id", "reporter", "Budi Pelapor"),
    DemoAccount("admin.nasional@demo.lapor.go.id", "national_admin", "Admin Nasional KemenPANRB"),
    DemoAccount("admin.surabaya@demo.lapor.go.id", "agency_admin", "Admin Kota Surabaya", "35.78"),
    DemoAccount(
        "unit.dsda@demo.lapor.go.id",
        "unit_admin",
        "Admin Dinas SDA dan Bina Marga",
        "35.78",
        "sby-dsdabm",
    ),
    DemoAccount(
        "penghubung.dsda@demo.lapor.go.id",
        "liaison_officer",
        "Pejabat Penghubung DSDABM",
        "35.78",
        "sby-dsdabm",
    ),
    DemoAccount(
        "developer.surabaya@demo.lapor.go.id", "developer", "Pengembang Kota Surabaya", "35.78"
    ),
    DemoAccount("evaluator@demo.lapor.go.id", "evaluator", "Evaluator KemenPANRB"),
)
