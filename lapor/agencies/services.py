"""Every write to the registry: create agencies, units and categories, keep unit paths right, and
import/export the registry as CSV.

The CSV import validates the whole file before touching the database and imports nothing when a
single line is wrong (`ValidationFailed`, one error per bad line with its line number). A row
whose code already exists updates that row (upsert); columns missing from an (allowed) partial
header leave the existing values alone. See docs/registry.md for the formats.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.core.errors import Conflict, ValidationFailed

from .choices import AgencyType
from .models import Agency, Category, Region, Unit

# --- formats ------------------------------------------------------------------------------

KINDS = ("agencies", "units", "categories")

COLUMNS: dict[str, tuple[str, ...]] = {
    "agencies": (
        "code",
        "name",
        "short_name",
        "type",
        "parent_code",
        "region_code",
        "is_connected",
        "connected_on",
        "email",
        "phone",
        "website",
        "address",
    ),
    "units": ("agency_code", "code", "name", "parent_code", "is_active"),
    "categories": (
        "code",
        "name_id",
        "name_en",
        "parent_code",
        "agency_code",
        "sort_order",
        "valid_from",
        "valid_to",
    ),
}
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "agencies": ("code", "name", "type"),
    "units": ("agency_code", "code", "name"),
    "categories": ("code", "name_id"),
}

CODE_RE = re.compile(r"^[a-z0-9]+(?:[.\-_][a-z0-9]+)*$")
MAX_REPORTED_ERRORS = 500
_TRUE = {"1", "true", "yes", "ya", "y"}
_FALSE = {"0", "false", "no", "tidak", "n"}


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"{self.kind}: {self.rows} rows — {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


@dataclass
class _Row:
    line: int
    data: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, line: int, column: str, message: str) -> None:
        self.items.append({"line": str(line), "field": column, "message": message})

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, kind: str) -> None:
        if not self.items:
            return
        ordered = sorted(self.items, key=lambda e: int(e["line"]) if e["line"] else 0)
        shown = ordered[:MAX_REPORTED_ERRORS]
        if len(self.items) > MAX_REPORTED_ERRORS:
            shown.append(
                {
                    "line": "",
                    "field": "__all__",
                    "message": _("… dan %(n)d kesalahan lainnya")
                    % {"n": len(self.items) - MAX_REPORTED_ERRORS},
                }
            )
        raise ValidationFailed(
            _("Berkas %(kind)s memuat %(n)d kesalahan; tidak ada yang diimpor.")
            % {"kind": kind, "n": len(self.items)},
            errors=shown,
        )


def format_errors(errors: Sequence[dict[str, str]]) -> list[str]:
    """One human-readable line per error: `line 3: parent_code: unknown parent 'x'`."""
    lines = []
    for err in errors:
        where = _("baris %(line)s: ") % {"line": err["line"]} if err.get("line") else ""
        lines.append(f"{where}{err.get('field', '__all__')}: {err['message']}")
    return lines


# --- small write services -----------------------------------------------------------------


def unit_path(*, parent: Unit | None, code: str) -> str:
    """The materialised path: the parent's path, then this code, then '/'."""
    return (parent.path if parent is not None else "") + f"{code}/"


def agency_create(
    *,
    code: str,
    name: str,
    type: str,
    short_name: str = "",
    parent: Agency | None = None,
    region: Region | None = None,
    is_connected: bool = True,
    connected_on: dt.date | None = None,
) -> Agency:
    if not CODE_RE.match(code):
        raise ValidationFailed(
            _("Kode instansi tidak valid."),
            errors=[{"field": "code", "message": _("kode tidak valid")}],
        )
    if type not in AgencyType.values:
        raise ValidationFailed(
            _("Jenis instansi tidak valid."),
            errors=[{"field": "type", "message": _("jenis tidak dikenal")}],
        )
    if Agency.objects.filter(code=code).exists():
        raise Conflict(_("Instansi dengan kode %(code)s sudah ada.") % {"code": code})
    return Agency.objects.create(
        code=code,
        name=name,
        short_name=short_name,
        type=type,
        parent=parent,
        region=region,
        is_connected=is_connected,
        connected_on=connected_on,
    )


def unit_create(
    *,
    agency: Agency,
    code: str,
    name: str,
    parent: Unit | None = None,
    is_active: bool = True,
) -> Unit:
    if not CODE_RE.match(code):
        raise ValidationFailed(
            _("Kode unit kerja tidak valid."),
            errors=[{"field": "code", "message": _("kode tidak valid")}],
        )
    if parent is not None and parent.agency_id != agency.pk:
        raise ValidationFailed(
            _("Unit induk milik instansi lain."),
            errors=[{"field": "parent", "message": _("induk dari instansi lain")}],
        )
    if Unit.objects.filter(agency=agency, code=code).exists():
        raise Conflict(_("Unit kerja %(code)s sudah ada di instansi ini.") % {"code": code})
    return Unit.objects.create(
        agency=agency,
        code=code,
        name=name,
        parent=parent,
        path=unit_path(parent=parent, code=code),
        is_active=is_active,
    )


def unit_paths_rebuild(*, agency_id: int) -> int:
    """Recompute `path` for every unit of an agency (after codes or parents changed).

    Returns the number of units whose path changed.
    """
    units = {u.pk: u for u in Unit.objects.filter(agency_id=agency_id).only("code", "parent_id")}
    cache: dict[int, str] = {}

    def path_of(unit: Unit) -> str:
        if unit.pk in cache:
            return cache[unit.pk]
        chain: list[Unit] = []
        current: Unit | None = unit
        seen: set[int] = set()
        while current is not None and current.pk not in cache:
            if current.pk in seen:  # a cycle: cut it here rather than loop forever
                break
            seen.add(current.pk)
            chain.append(current)
            current = units.get(current.parent_id) if current.parent_id else None
        prefix = cache[current.pk] if current is not None and current.pk in cache else ""
        for link in reversed(chain):
            prefix = f"{prefix}{link.code}/"
            cache[link.pk] = prefix
        return cache[unit.pk]

    old = dict(Unit.objects.filter(agency_id=agency_id).values_list("pk", "path"))
    changed = []
    for unit in units.values():
        new_path = path_of(unit)
        if old.get(unit.pk) != new_path:
            unit.path = new_path
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["path"], batch_size=500)
    return len(changed)


def category_create(
    *,
    code: str,
    name_id: str,
    name_en: str = "",
    parent: Category | None = None,
    agency: Agency | None = None,
    sort_order: int = 0,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Category:
    if not CODE_RE.match(code):
        raise ValidationFailed(
            _("Kode kategori tidak valid."),
            errors=[{"field": "code", "message": _("kode tidak valid")}],
        )
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationFailed(
            _("valid_to sebelum valid_from."),
            errors=[{"field": "valid_to", "message": _("sebelum valid_from")}],
        )
    if Category.objects.filter(code=code).exists():
        raise Conflict(_("Kategori dengan kode %(code)s sudah ada.") % {"code": code})
    return Category.objects.create(
        code=code,
        name_id=name_id,
        name_en=name_en,
        parent=parent,
        agency=agency,
        sort_order=sort_order,
        valid_from=valid_from,
        valid_to=valid_to,
    )


# --- CSV reading --------------------------------------------------------------------------


def registry_parse_csv(*, data: bytes | str, kind: str) -> tuple[list[str], list[_Row]]:
    """Decode and split a registry CSV, checking encoding and header; rows keep line numbers."""
    errors = _Errors()
    if kind not in KINDS:
        raise ValidationFailed(
            _("Jenis data %(kind)s tidak dikenal.") % {"kind": kind},
            errors=[
                {
                    "field": "kind",
                    "message": _("salah satu dari: %(kinds)s") % {"kinds": ", ".join(KINDS)},
                }
            ],
        )
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            errors.add(
                line,
                "__all__",
                _("bukan UTF-8 yang valid (bita ke-%(byte)d); simpan berkas sebagai UTF-8")
                % {"byte": exc.start},
            )
            errors.raise_if_any(kind)
            raise AssertionError("unreachable") from exc
    else:
        text = data
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        errors.add(1, "__all__", _("berkas kosong: baris judul kolom wajib ada"))
        errors.raise_if_any(kind)
        raise AssertionError("unreachable") from None
    except csv.Error as exc:
        errors.add(1, "__all__", _("CSV rusak: %(error)s") % {"error": exc})
        errors.raise_if_any(kind)
        raise AssertionError("unreachable") from exc
    allowed = COLUMNS[kind]
    unknown = [h for h in header if h not in allowed]
    missing = [h for h in REQUIRED_COLUMNS[kind] if h not in header]
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if unknown:
        errors.add(
            1, "__header__", _("kolom tidak dikenal: %(columns)s") % {"columns": ", ".join(unknown)}
        )
    if missing:
        errors.add(
            1,
            "__header__",
            _("kolom wajib tidak ada: %(columns)s") % {"columns": ", ".join(missing)},
        )
    if duplicated:
        errors.add(
            1, "__header__", _("kolom berulang: %(columns)s") % {"columns": ", ".join(duplicated)}
        )
    if errors:
        errors.add(
            1,
            "__header__",
            _("kolom yang diharapkan: %(columns)s") % {"columns": ",".join(allowed)},
        )
        errors.raise_if_any(kind)
    rows: list[_Row] = []
    last_line = reader.line_num
    try:
        for record in reader:
            start, last_line = last_line + 1, reader.line_num
            if not record or all(not cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                errors.add(
                    start,
                    "__all__",
                    _("%(n)d kolom, baris judul memiliki %(m)d")
                    % {"n": len(record), "m": len(header)},
                )
                continue
            rows.append(
                _Row(start, {h: cell.strip() for h, cell in zip(header, record, strict=True)})
            )
    except csv.Error as exc:
        errors.add(reader.line_num, "__all__", _("CSV rusak: %(error)s") % {"error": exc})
    errors.raise_if_any(kind)
    return header, rows


# --- field parsers (append to errors, return the value) -----------------------------------


def _parse_bool(row: _Row, column: str, errors: _Errors) -> bool | None:
    raw = row.data.get(column, "").lower()
    if raw == "":
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    errors.add(
        row.line,
        column,
        _("bukan nilai boolean: %(value)r (gunakan true/false)") % {"value": row.data[column]},
    )
    return None


def _parse_date(row: _Row, column: str, errors: _Errors) -> dt.date | None:
    raw = row.data.get(column, "")
    if raw == "":
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.add(
            row.line, column, _("bukan tanggal: %(value)r (gunakan YYYY-MM-DD)") % {"value": raw}
        )
        return None


def _check_code(row: _Row, column: str, errors: _Errors) -> str:
    code = row.data.get(column, "")
    if not code:
        errors.add(row.line, column, _("wajib diisi"))
    elif len(code) > 64 or not CODE_RE.match(code):
        errors.add(
            row.line,
            column,
            _("kode tidak valid %(code)r: huruf kecil, angka, '.', '-', '_'") % {"code": code},
        )
    return code


def _check_text(row: _Row, column: str, errors: _Errors, *, max_length: int, required: bool):
    value = row.data.get(column, "")
    if required and not value:
        errors.add(row.line, column, _("wajib diisi"))
    elif len(value) > max_length:
        errors.add(row.line, column, _("lebih dari %(n)d karakter") % {"n": max_length})
    return value


def _check_duplicates(rows: list[_Row], key: Callable[[_Row], Any], errors: _Errors) -> None:
    first: dict[Any, int] = {}
    for row in rows:
        k = key(row)
        if k in first:
            errors.add(
                row.line,
                "code",
                _("kode ganda %(code)r (pertama di baris %(line)d)")
                % {"code": row.data["code"], "line": first[k]},
            )
        else:
            first[k] = row.line


def _check_tree(
    rows: list[_Row],
    *,
    key: Callable[[_Row], Any],
    parent_key: Callable[[_Row], Any],
    db_parents: dict[Any, Any],
    errors: _Errors,
) -> dict[Any, int]:
    """Unknown parents and cycles (file parents override the database's); returns file depths."""
    merged = dict(db_parents)
    in_file = {key(r): r for r in rows}
    for r in rows:
        merged[key(r)] = parent_key(r)
    depth: dict[Any, int] = {}
    for r in rows:
        p = parent_key(r)
        if p is None:
            continue
        if p not in merged:
            errors.add(
                r.line,
                "parent_code",
                _("induk tidak dikenal: %(code)r") % {"code": r.data["parent_code"]},
            )
            continue
        # walk up; a cycle returns to this row
        seen = {key(r)}
        current = p
        while current is not None:
            if current in seen:
                errors.add(
                    r.line,
                    "parent_code",
                    _("induk membentuk siklus melalui %(code)r") % {"code": r.data["parent_code"]},
                )
                break
            seen.add(current)
            current = merged.get(current)
    if errors:
        return depth

    def depth_of(k: Any) -> int:
        chain = []
        while k in in_file and k not in depth:
            chain.append(k)
            p = parent_key(in_file[k])
            k = p if p in in_file else None
        base = depth.get(k, -1)
        for c in reversed(chain):
            base += 1
            depth[c] = base
        return depth[chain[0]] if chain else base

    for r in rows:
        depth_of(key(r))
    return depth


def _by_depth(rows: list[_Row], depth: dict[Any, int], key: Callable[[_Row], Any]):
    levels: dict[int, list[_Row]] = {}
    for r in rows:
        levels.setdefault(depth.get(key(r), 0), []).append(r)
    return [levels[d] for d in sorted(levels)]


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


# --- import per kind ----------------------------------------------------------------------


def _validate_agencies(header: list[str], rows: list[_Row], errors: _Errors):
    types = set(AgencyType.values)
    email_ok, url_ok = EmailValidator(), URLValidator()
    region_codes = {r.data["region_code"] for r in rows if r.data.get("region_code")}
    known_regions = set(Region.objects.filter(code__in=region_codes).values_list("code", flat=True))
    for r in rows:
        d = r.data
        v = r.values
        v["code"] = _check_code(r, "code", errors)
        v["name"] = _check_text(r, "name", errors, max_length=255, required=True)
        if "short_name" in d:
            v["short_name"] = _check_text(r, "short_name", errors, max_length=64, required=False)
        if d["type"] not in types:
            errors.add(
                r.line,
                "type",
                _("jenis tidak dikenal: %(type)r; pilih salah satu: %(types)s")
                % {"type": d["type"], "types": ", ".join(sorted(types))},
            )
        v["type"] = d["type"]
        if "region_code" in d:
            if d["region_code"] and d["region_code"] not in known_regions:
                errors.add(
                    r.line,
                    "region_code",
                    _("wilayah tidak dikenal: %(code)r") % {"code": d["region_code"]},
                )
            v["region_id"] = d["region_code"] or None
        if "is_connected" in d:
            flag = _parse_bool(r, "is_connected", errors)
            v["is_connected"] = True if flag is None else flag
        if "connected_on" in d:
            v["connected_on"] = _parse_date(r, "connected_on", errors)
        for col, validator in (("email", email_ok), ("website", url_ok)):
            if d.get(col):
                try:
                    validator(d[col])
                except DjangoValidationError:
                    errors.add(
                        r.line,
                        col,
                        _("%(column)s tidak valid: %(value)r") % {"column": col, "value": d[col]},
                    )
            if col in d:
                v[col] = d[col]
        if "phone" in d:
            v["phone"] = _check_text(r, "phone", errors, max_length=32, required=False)
        if "address" in d:
            v["address"] = d["address"]
    return _check_codes_and_tree(Agency, header, rows, errors)


def _check_codes_and_tree(model: Any, header: list[str], rows: list[_Row], errors: _Errors):
    """Codes unique within the file; parents known (in the file or the database) and acyclic.

    A row without a `parent_code` column keeps the parent it has in the database.
    """
    _check_duplicates(rows, lambda r: r.data["code"], errors)
    db_parents = {
        code: parent
        for code, parent in model.objects.values_list("code", "parent__code").iterator()
    }
    has_parent = "parent_code" in header
    return _check_tree(
        rows,
        key=lambda r: r.data["code"],
        parent_key=lambda r: (
            (r.data.get("parent_code") or None) if has_parent else db_parents.get(r.data["code"])
        ),
        db_parents=db_parents,
        errors=errors,
    )


def _upsert_simple(
    model: Any,
    header: list[str],
    rows: list[_Row],
    depth: dict[Any, int],
    result: ImportResult,
    *,
    extra_filter: dict[str, Any] | None = None,
) -> None:
    """Upsert code-keyed rows (agencies, categories), parents before children."""
    has_parent = "parent_code" in header
    key: Callable[[_Row], Any] = lambda r: r.data["code"]  # noqa: E731
    codes = [r.data["code"] for r in rows]
    existing = model.objects.in_bulk(codes, field_name="code")
    parent_codes = {r.data["parent_code"] for r in rows if has_parent and r.data.get("parent_code")}
    ids: dict[str, int] = dict(
        model.objects.filter(code__in=parent_codes).values_list("code", "pk")
    )
    for level in _by_depth(rows, depth, key):
        new: list[Any] = []
        changed: list[Any] = []
        fields: set[str] = set()
        for r in level:
            values = dict(r.values)
            if has_parent:
                pc = r.data.get("parent_code")
                values["parent_id"] = ids[pc] if pc else None
            obj = existing.get(r.data["code"])
            if obj is None:
                new.append(model(**values))
            elif _apply(obj, values):
                changed.append(obj)
                fields.update(k for k in values if k != "code")
        if new:
            model.objects.bulk_create(new, batch_size=500)
        if changed:
            if model is Agency:
                now = timezone.now()
                for obj in changed:
                    obj.updated_at = now
                fields.add("updated_at")
            model.objects.bulk_update(changed, sorted(fields), batch_size=500)
        result.created += len(new)
        result.updated += len(changed)
        result.unchanged += len(level) - len(new) - len(changed)
        ids.update(
            model.objects.filter(code__in=[r.data["code"] for r in level]).values_list("code", "pk")
        )


def _validate_categories(header: list[str], rows: list[_Row], errors: _Errors):
    agency_codes = {r.data["agency_code"] for r in rows if r.data.get("agency_code")}
    agencies = dict(Agency.objects.filter(code__in=agency_codes).values_list("code", "pk"))
    for r in rows:
        d, v = r.data, r.values
        v["code"] = _check_code(r, "code", errors)
        v["name_id"] = _check_text(r, "name_id", errors, max_length=200, required=True)
        if "name_en" in d:
            v["name_en"] = _check_text(r, "name_en", errors, max_length=200, required=False)
        if "agency_code" in d:
            if d["agency_code"] and d["agency_code"] not in agencies:
                errors.add(
                    r.line,
                    "agency_code",
                    _("instansi tidak dikenal: %(code)r") % {"code": d["agency_code"]},
                )
            v["agency_id"] = agencies.get(d["agency_code"]) if d["agency_code"] else None
        if "sort_order" in d:
            raw = d["sort_order"]
            if raw and (not raw.isdigit() or int(raw) > 2_000_000_000):
                errors.add(
                    r.line,
                    "sort_order",
                    _("bukan bilangan bulat non-negatif: %(value)r") % {"value": raw},
                )
            v["sort_order"] = int(raw) if raw.isdigit() else 0
        for col in ("valid_from", "valid_to"):
            if col in d:
                v[col] = _parse_date(r, col, errors)
        vf, vt = v.get("valid_from"), v.get("valid_to")
        if vf and vt and vt < vf:
            errors.add(
                r.line, "valid_to", _("%(to)s sebelum valid_from %(from)s") % {"to": vt, "from": vf}
            )
    return _check_codes_and_tree(Category, header, rows, errors)


def _validate_units(header: list[str], rows: list[_Row], errors: _Errors):
    agency_codes = {r.data["agency_code"] for r in rows}
    agencies = dict(Agency.objects.filter(code__in=agency_codes).values_list("code", "pk"))
    for r in rows:
        d, v = r.data, r.values
        if not d["agency_code"]:
            errors.add(r.line, "agency_code", _("wajib diisi"))
        elif d["agency_code"] not in agencies:
            errors.add(
                r.line,
                "agency_code",
                _("instansi tidak dikenal: %(code)r") % {"code": d["agency_code"]},
            )
        v["code"] = _check_code(r, "code", errors)
        v["name"] = _check_text(r, "name", errors, max_length=255, required=True)
        if "is_active" in d:
            flag = _parse_bool(r, "is_active", errors)
            v["is_active"] = True if flag is None else flag
    _check_duplicates(rows, lambda r: (r.data["agency_code"], r.data["code"]), errors)
    db_parents = {
        (agency, code): ((agency, parent) if parent else None)
        for agency, code, parent in Unit.objects.filter(agency__code__in=agency_codes)
        .values_list("agency__code", "code", "parent__code")
        .iterator()
    }
    has_parent = "parent_code" in header

    def parent_key(r: _Row) -> Any:
        if not has_parent:
            return db_parents.get((r.data["agency_code"], r.data["code"]))
        pc = r.data.get("parent_code")
        return (r.data["agency_code"], pc) if pc else None

    return agencies, _check_tree(
        rows,
        key=lambda r: (r.data["agency_code"], r.data["code"]),
        parent_key=parent_key,
        db_parents=db_parents,
        errors=errors,
    )


def _upsert_units(
    header: list[str],
    rows: list[_Row],
    agencies: dict[str, int],
    depth: dict[Any, int],
    result: ImportResult,
) -> None:
    has_parent = "parent_code" in header
    key: Callable[[_Row], Any] = lambda r: (r.data["agency_code"], r.data["code"])  # noqa: E731
    agency_ids = set(agencies.values())
    existing = {(u.agency_id, u.code): u for u in Unit.objects.filter(agency_id__in=agency_ids)}
    ids = {k: u.pk for k, u in existing.items()}
    for level in _by_depth(rows, depth, key):
        new: list[Any] = []
        changed: list[Any] = []
        fields: set[str] = set()
        for r in level:
            agency_id = agencies[r.data["agency_code"]]
            values = dict(r.values)
            if has_parent:
                pc = r.data.get("parent_code")
                values["parent_id"] = ids[(agency_id, pc)] if pc else None
            obj = existing.get((agency_id, r.data["code"]))
            if obj is None:
                new.append(Unit(agency_id=agency_id, path="", **values))
            elif _apply(obj, values):
                changed.append(obj)
                fields.update(k for k in values if k != "code")
        if new:
            Unit.objects.bulk_create(new, batch_size=500)
        if changed:
            now = timezone.now()
            for obj in changed:
                obj.updated_at = now
            Unit.objects.bulk_update(changed, sorted(fields | {"updated_at"}), batch_size=500)
        result.created += len(new)
        result.updated += len(changed)
        result.unchanged += len(level) - len(new) - len(changed)
        for u in Unit.objects.filter(
            agency_id__in={agencies[r.data["agency_code"]] for r in level},
            code__in={r.data["code"] for r in level},
        ).only("pk", "agency_id", "code"):
            ids[(u.agency_id, u.code)] = u.pk
    for agency_id in agency_ids:
        unit_paths_rebuild(agency_id=agency_id)


def registry_import_rows(
    *, kind: str, header: Sequence[str], rows: Iterable[tuple[int, dict[str, str]]]
) -> ImportResult:
    """Validate then upsert already-split rows (`(line, {column: value})`); all or nothing."""
    if kind not in KINDS:
        raise ValidationFailed(
            _("Jenis data %(kind)s tidak dikenal.") % {"kind": kind},
            errors=[
                {
                    "field": "kind",
                    "message": _("salah satu dari: %(kinds)s") % {"kinds": ", ".join(KINDS)},
                }
            ],
        )
    header = list(header)
    parsed = [_Row(line, {h: (data.get(h) or "").strip() for h in header}) for line, data in rows]
    return _import(kind, header, parsed)


def registry_import(*, kind: str, data: bytes | str) -> ImportResult:
    """Import a registry CSV file (bytes as read from disk); all or nothing."""
    header, rows = registry_parse_csv(data=data, kind=kind)
    return _import(kind, header, rows)


def _import(kind: str, header: list[str], rows: list[_Row]) -> ImportResult:
    errors = _Errors()
    result = ImportResult(kind=kind, rows=len(rows))
    with transaction.atomic():
        if kind == "agencies":
            depth = _validate_agencies(header, rows, errors)
            errors.raise_if_any(kind)
            _upsert_simple(Agency, header, rows, depth, result)
        elif kind == "categories":
            depth = _validate_categories(header, rows, errors)
            errors.raise_if_any(kind)
            _upsert_simple(Category, header, rows, depth, result)
        else:
            agencies, depth = _validate_units(header, rows, errors)
            errors.raise_if_any(kind)
            _upsert_units(header, rows, agencies, depth, result)
    return result


# --- export -------------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def registry_export(*, kind: str, out: TextIO | Any) -> int:
    """Write the whole registry of one kind as CSV (the import format); returns the row count."""
    if kind not in KINDS:
        raise ValidationFailed(
            _("Jenis data %(kind)s tidak dikenal.") % {"kind": kind},
            errors=[
                {
                    "field": "kind",
                    "message": _("salah satu dari: %(kinds)s") % {"kinds": ", ".join(KINDS)},
                }
            ],
        )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS[kind])
    count = 0
    records: Iterable[Sequence[Any]]
    if kind == "agencies":
        records = Agency.objects.order_by("code").values_list(
            "code",
            "name",
            "short_name",
            "type",
            "parent__code",
            "region_id",
            "is_connected",
            "connected_on",
            "email",
            "phone",
            "website",
            "address",
        )
    elif kind == "units":
        records = Unit.objects.order_by("agency__code", "path").values_list(
            "agency__code", "code", "name", "parent__code", "is_active"
        )
    else:
        records = Category.objects.order_by("code").values_list(
            "code",
            "name_id",
            "name_en",
            "parent__code",
            "agency__code",
            "sort_order",
            "valid_from",
            "valid_to",
        )
    for record in records.iterator(chunk_size=2000):  # type: ignore[attr-defined]
        writer.writerow([_fmt(v) for v in record])
        count += 1
    return count


# --- regions ------------------------------------------------------------------------------


@dataclass
class RegionLoadResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def region_load(
    *, rows: Iterable[dict[str, str]], max_level: int | None = None, batch_size: int = 2000
) -> RegionLoadResult:
    """Upsert Kemendagri regions (`code,name,level,kind,parent_code` rows, parents first).

    Idempotent: an unchanged region is not written; a changed one is updated; regions missing
    from the input are kept (reports may point at them).
    """
    wanted: list[tuple[str, str, int, str, str | None]] = []
    for row in rows:
        level = int(row["level"])
        if max_level is not None and level > max_level:
            continue
        wanted.append((row["code"], row["name"], level, row["kind"], row["parent_code"] or None))
    wanted.sort(key=lambda r: (r[2], r[0]))
    result = RegionLoadResult(rows=len(wanted))
    with transaction.atomic():
        existing = {
            code: (name, level, kind, parent)
            for code, name, level, kind, parent in Region.objects.values_list(
                "code", "name", "level", "kind", "parent_id"
            ).iterator(chunk_size=5000)
        }
        new: list[Region] = []
        changed: list[Region] = []
        for code, name, level, kind, parent in wanted:
            old = existing.get(code)
            if old is None:
                new.append(Region(code=code, name=name, level=level, kind=kind, parent_id=parent))
            elif old != (name, level, kind, parent):
                changed.append(
                    Region(code=code, name=name, level=level, kind=kind, parent_id=parent)
                )
        Region.objects.bulk_create(new, batch_size=batch_size)
        Region.objects.bulk_update(
            changed, ["name", "level", "kind", "parent"], batch_size=batch_size
        )
    result.created, result.updated = len(new), len(changed)
    result.unchanged = result.rows - result.created - result.updated
    return result


# --- seeding ------------------------------------------------------------------------------

_PROVINCE_PREFIX = "Pemerintah Provinsi "


def _regional_agency_rows() -> list[tuple[int, dict[str, str]]]:
    rows: list[tuple[int, dict[str, str]]] = []
    regions = Region.objects.filter(level__lte=2).order_by("level", "code")
    for line, region in enumerate(regions.iterator(), start=2):
        if region.level == 1:
            name, short = f"{_PROVINCE_PREFIX}{region.name}", f"Pemprov {region.name}"
            kind = AgencyType.PROVINSI
        else:
            kind = AgencyType.KOTA if region.kind == "kota" else AgencyType.KABUPATEN
            bare = region.name.removeprefix("Kabupaten ").removeprefix("Kota ")
            name = f"Pemerintah {region.name}"
            short = f"{'Pemkot' if kind == AgencyType.KOTA else 'Pemkab'} {bare}"
        rows.append(
            (
                line,
                {
                    "code": region.code,
                    "name": name,
                    "short_name": short[:64],
                    "type": str(kind),
                    "parent_code": region.parent_id or "",
                    "region_code": region.code,
                },
            )
        )
    return rows


def registry_seed() -> list[ImportResult]:
    """Seed (idempotently) the registry from the package data.

    Regional governments from the loaded regions (levels 1–2), the central organisations of
    `agencies_central.csv`, the national category tree, and Kota Surabaya's units and topics
    (topics mapped under the national tree by `topic_mapping`). Needs the regions loaded.
    """
    from .package_data import (
        AGENCIES_CENTRAL_FILE,
        CATEGORIES_FILE,
        SURABAYA_AGENCY_CODE,
        SURABAYA_TOPICS_FILE,
        SURABAYA_UNITS_FILE,
        read_rows,
    )
    from .topic_mapping import national_category_for

    if not Region.objects.filter(level=1).exists():
        raise ValidationFailed(
            _("Muat data wilayah terlebih dahulu (manage.py load_regions)."),
            errors=[{"field": "regions", "message": "no regions loaded"}],
        )
    results = []
    with transaction.atomic():
        results.append(
            registry_import_rows(
                kind="agencies",
                header=["code", "name", "short_name", "type", "parent_code", "region_code"],
                rows=_regional_agency_rows(),
            )
        )
        results.append(registry_import(kind="agencies", data=AGENCIES_CENTRAL_FILE.read_bytes()))
        results.append(registry_import(kind="categories", data=CATEGORIES_FILE.read_bytes()))
        unit_header = ["agency_code", "code", "name", "parent_code", "is_active"]
        results.append(
            registry_import_rows(
                kind="units",
                header=unit_header,
                rows=[(i, r) for i, r in enumerate(read_rows(SURABAYA_UNITS_FILE), start=2)],
            )
        )
        topic_rows = [
            (
                line,
                {
                    "code": f"sby-{r['source_id']}",
                    "name_id": r["name"][:200],
                    "name_en": "",
                    "parent_code": national_category_for(r["name"], r["kind"]),
                    "agency_code": SURABAYA_AGENCY_CODE,
                    "sort_order": r["source_id"],
                },
            )
            for line, r in enumerate(read_rows(SURABAYA_TOPICS_FILE), start=2)
        ]
        results.append(
            registry_import_rows(
                kind="categories",
                header=["code", "name_id", "name_en", "parent_code", "agency_code", "sort_order"],
                rows=topic_rows,
            )
        )
    return results
