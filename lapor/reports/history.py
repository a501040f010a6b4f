"""Importing reports from an earlier system, with their milestones as hash-chained events.

Input: a CSV with exactly the columns of `COLUMNS` (issue 3, item 10); empty cells mean a
milestone that was not reached. The import is

* **validated first**: every row is checked (codes against the registry, dates, milestone order,
  type, channel, rating, SLA class, duplicates in the file) and *all* bad rows are reported by
  line number before anything is written;
* **all-or-nothing per file**: one transaction;
* **rerunnable**: a tracking ID already present in the database is *skipped* (not updated), so
  running the same file twice creates nothing the second time, and a later, longer export of the
  old system can be loaded over an earlier one;
* **fast**: registry codes are loaded in one query per kind, reports and events are written with
  ``bulk_create`` (10,000 rows take a few seconds).

Imported reports get the clocks of the lifecycle (ADR 0007) under the ladder version in force at
their submission: verification from the submission, the organisation's first follow-up and
completion (by class; empty: the type's default) from the verification (its receipt), the
reporter's closing period from the first response (the old systems recorded one answer, taken as
the one that completes the report). Each step's due time, and whether it was met in time, is in
the events' `clocks` / `met` / `ended` facts and in `ReportClock` rows, exactly as for a report
handled here, so the statistics and the monev count imported years on the same rules. An
imported report that is still open keeps its running steps and is picked up by the officers like
any other, from its status on. (No `became_late` events are written for the past: a step met late
says so in its `met` fact; the late sweep marks the running ones.)

Tracking IDs of the old system are kept as given (they need not follow the check-character
scheme of `lapor.reports.tracking`; ``Report.import_source`` marks them).

Each report gets the events its milestones imply, written by the system (``actor`` None,
``actor_role`` "system", ``data`` ``{"imported": true, "source": …}``):
``submit`` → ``verify`` (submitted → disposed, to the agency) → ``respond`` (→ responded) →
``close`` (→ closed) or ``archive`` (→ archived), and ``rate`` when a rating is given. The status
is the last one reached. The events are chained with the same canonical form and hash as
`lapor.reports.events.event_append` (the same `event_build`, hence the same `event_hash`), computed in memory and
bulk-inserted instead of one ``event_append`` call (three queries) per event; `timeline_verify`
accepts the result.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency, Category, Region, Unit
from lapor.deadlines import sla
from lapor.deadlines.models import SlaRuleSet
from lapor.deadlines.selectors import work_calendar_get
from lapor.deadlines.workdays import WorkCalendar

from . import workflow
from .choices import Channel, ReportType, Status
from .events import event_build
from .models import Event, Report, ReportClock
from .search import search_documents_refresh

COLUMNS = (
    "tracking_id",
    "type",
    "title",
    "content",
    "agency",
    "unit",
    "category",
    "region",
    "channel",
    "is_anonymous",
    "is_confidential",
    "submitted_at",
    "verified_at",
    "first_response_at",
    "closed_at",
    "archived_at",
    "rating",
    "sla_class",
)
MILESTONES = ("submitted_at", "verified_at", "first_response_at", "closed_at", "archived_at")
SYSTEM_ROLE = "system"
_TRUE = {"1", "true", "yes", "ya", "y", "t"}
_FALSE = {"", "0", "false", "no", "tidak", "n", "f"}
_BATCH = 2000
_TRACKING_ID_MAX = Report._meta.get_field("tracking_id").max_length or 16
_TITLE_MAX = Report._meta.get_field("title").max_length or 150


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class HistoryImportError(Exception):
    """The file was refused; `errors` lists every bad row (nothing was written)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class HistoryImportResult:
    created: int = 0
    skipped: int = 0
    events: int = 0
    skipped_ids: list[str] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    tracking_id: str
    type: str
    title: str
    content: str
    agency: Agency | None
    unit: Unit | None
    category: Category | None
    region: Region | None
    channel: str
    is_anonymous: bool
    is_confidential: bool
    times: dict[str, datetime | None]
    rating: int | None
    sla_class: str


class _Registry:
    """Registry codes used by the file, loaded with one query per kind."""

    def __init__(self, raw_rows: list[dict[str, str]]) -> None:
        def codes(column: str) -> set[str]:
            return {(row.get(column) or "").strip() for row in raw_rows} - {""}

        self.agencies = {a.code: a for a in Agency.objects.filter(code__in=codes("agency"))}
        self.units = {
            (u.agency.code, u.code): u
            for u in Unit.objects.filter(
                agency__code__in=codes("agency"), code__in=codes("unit")
            ).select_related("agency")
        }
        self.categories = {c.code: c for c in Category.objects.filter(code__in=codes("category"))}
        self.regions = {r.code: r for r in Region.objects.filter(code__in=codes("region"))}


def _parse_time(text: str, zone: ZoneInfo) -> datetime:
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value


def _parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(value)


def _validate(
    raw_rows: list[tuple[int, dict[str, str]]], registry: _Registry
) -> tuple[list[_Row], list[RowError]]:
    zone = ZoneInfo(settings.TIME_ZONE)
    rows: list[_Row] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for line, raw in raw_rows:

        def get(column: str, raw: dict[str, str] = raw) -> str:
            return (raw.get(column) or "").strip()

        problems: list[str] = []
        tracking_id = get("tracking_id")
        if not tracking_id:
            problems.append(_("tracking_id kosong"))
        elif len(tracking_id) > _TRACKING_ID_MAX:
            problems.append(_("tracking_id lebih dari %(n)d karakter") % {"n": _TRACKING_ID_MAX})
        elif tracking_id in seen:
            problems.append(
                _("tracking_id %(id)s sudah ada di baris %(line)d")
                % {"id": tracking_id, "line": seen[tracking_id]}
            )
        else:
            seen[tracking_id] = line
        report_type = get("type")
        if report_type not in ReportType.values:
            problems.append(_("type tidak dikenal: %(v)r") % {"v": report_type})
        title, content = get("title"), (raw.get("content") or "").strip()
        if not title:
            problems.append(_("title kosong"))
        elif len(title) > _TITLE_MAX:
            problems.append(_("title lebih dari %(n)d karakter") % {"n": _TITLE_MAX})
        if not content:
            problems.append(_("content kosong"))
        agency = unit = None
        category = region = None
        if get("agency"):
            agency = registry.agencies.get(get("agency"))
            if agency is None:
                problems.append(_("kode instansi tidak dikenal: %(v)r") % {"v": get("agency")})
        if get("unit"):
            if not get("agency"):
                problems.append(_("unit diisi tanpa instansi"))
            else:
                unit = registry.units.get((get("agency"), get("unit")))
                if unit is None and agency is not None:
                    problems.append(
                        _("kode unit tidak dikenal di instansi %(a)s: %(v)r")
                        % {"a": get("agency"), "v": get("unit")}
                    )
        if get("category"):
            category = registry.categories.get(get("category"))
            if category is None:
                problems.append(_("kode kategori tidak dikenal: %(v)r") % {"v": get("category")})
        if get("region"):
            region = registry.regions.get(get("region"))
            if region is None:
                problems.append(_("kode wilayah tidak dikenal: %(v)r") % {"v": get("region")})
        channel = get("channel") or Channel.WEB
        if channel not in Channel.values:
            problems.append(_("channel tidak dikenal: %(v)r") % {"v": channel})
        flags = {}
        for column in ("is_anonymous", "is_confidential"):
            try:
                flags[column] = _parse_bool(get(column))
            except ValueError:
                problems.append(
                    _("%(c)s bukan true/false: %(v)r") % {"c": column, "v": get(column)}
                )
        times: dict[str, datetime | None] = {}
        for column in MILESTONES:
            text = get(column)
            if not text:
                times[column] = None
                continue
            try:
                times[column] = _parse_time(text, zone)
            except ValueError:
                times[column] = None
                problems.append(
                    _("%(c)s bukan tanggal/waktu ISO 8601: %(v)r") % {"c": column, "v": text}
                )
        if times.get("submitted_at") is None and not get("submitted_at"):
            problems.append(_("submitted_at kosong"))
        problems.extend(_order_problems(times))
        rating: int | None = None
        if get("rating"):
            try:
                rating = int(get("rating"))
            except ValueError:
                rating = None
            if rating is None or not 1 <= rating <= 5:
                problems.append(_("rating harus 1 sampai 5: %(v)r") % {"v": get("rating")})
                rating = None
            elif times.get("first_response_at") is None and times.get("closed_at") is None:
                problems.append(_("rating tanpa tanggapan"))
        sla_class = get("sla_class") or sla.default_class(report_type)
        if sla_class in sla.LEGACY_CLASSES:  # an export of the first ladder's classes
            sla_class = sla.class_from_legacy(sla_class, report_type)
        if sla_class not in sla.SLA_CLASSES:
            problems.append(
                _("sla_class tidak dikenal: %(v)r (pilih %(values)s)")
                % {"v": sla_class, "values": ", ".join(sla.SLA_CLASSES)}
            )
        if problems:
            errors.extend(RowError(line, problem) for problem in problems)
            continue
        rows.append(
            _Row(
                line=line,
                tracking_id=tracking_id,
                type=report_type,
                title=title,
                content=content,
                agency=agency,
                unit=unit,
                category=category,
                region=region,
                channel=channel,
                is_anonymous=flags["is_anonymous"],
                is_confidential=flags["is_confidential"],
                times=times,
                rating=rating,
                sla_class=sla_class,
            )
        )
    return rows, errors


def _order_problems(times: dict[str, datetime | None]) -> list[str]:
    problems = []
    chain = [(c, times.get(c)) for c in ("submitted_at", "verified_at", "first_response_at")]
    chain.append(("closed_at", times.get("closed_at")))
    previous: tuple[str, datetime] | None = None
    for column, value in chain:
        if value is None:
            continue
        if previous is not None and value < previous[1]:
            problems.append(
                _("%(c)s sebelum %(p)s (urutan tahapan salah)") % {"c": column, "p": previous[0]}
            )
        previous = (column, value)
    archived, submitted = times.get("archived_at"), times.get("submitted_at")
    if archived is not None:
        if times.get("closed_at") is not None:
            problems.append(_("closed_at dan archived_at tidak boleh keduanya diisi"))
        if times.get("first_response_at") is not None:
            problems.append(_("laporan yang diarsipkan tidak punya first_response_at"))
        for column in ("submitted_at", "verified_at"):
            earlier = times.get(column)
            if earlier is not None and archived < earlier:
                problems.append(_("archived_at sebelum %(p)s") % {"p": column})
    if submitted is None and any(times.get(c) for c in MILESTONES[1:]):
        problems.append(_("tahapan tanpa submitted_at"))
    return problems


def _status(row: _Row) -> str:
    times = row.times
    if times["archived_at"]:
        return Status.ARCHIVED
    if times["closed_at"]:
        return Status.CLOSED
    if times["first_response_at"]:
        return Status.RESPONDED
    if times["verified_at"]:
        return Status.DISPOSED
    return Status.SUBMITTED


class _Ladders:
    """The ladder version in force at each submission and the working calendar, for the clocks
    of imported reports. A report older than the first published version is counted on the
    first version (the old system's own deadlines are not known)."""

    def __init__(self) -> None:
        from lapor.deadlines.selectors import ladder_of, sla_ruleset_list

        self.cal: WorkCalendar = work_calendar_get()
        self.versions = [(r, ladder_of(r)) for r in sla_ruleset_list()]  # newest first

    def at(self, moment: datetime) -> tuple[SlaRuleSet, sla.Ladder]:
        for ruleset, ladder in self.versions:
            if ruleset.effective_from <= moment:
                return ruleset, ladder
        first = min(r.effective_from for r, _ladder in self.versions)
        return self.at(first)


@dataclass
class _Clock:
    step: str
    started_at: datetime
    due_at: datetime
    agency: Agency | None
    sla_class: str = ""
    met_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: str = ""
    start_event: int = 0  # index of the event that started it
    end_event: int | None = None


def _iso(moment: datetime) -> str:
    return moment.astimezone(sla.JAKARTA).isoformat()


def _plan(
    row: _Row, ladder: sla.Ladder, cal: WorkCalendar
) -> tuple[list[dict[str, Any]], list[_Clock]]:
    """The events the milestones imply (oldest first) with their clock facts, and the clocks."""
    times = row.times
    submitted_at = times["submitted_at"]
    assert submitted_at is not None  # checked by _validate
    current = Status.SUBMITTED
    specs: list[dict[str, Any]] = []
    clocks: list[_Clock] = []

    def due(step: str, start: datetime) -> datetime:
        return sla.due_at(step, row.type, row.sla_class, start, ladder, cal)

    def start(step: str, at: datetime, agency: Agency | None, spec: dict[str, Any]) -> None:
        clock = _Clock(step, at, due(step, at), agency, row.sla_class if step == "completion"
                       else "", start_event=len(specs))  # fmt: skip
        clocks.append(clock)
        spec["data"].setdefault("clocks", {})[step] = _iso(clock.due_at)

    def finish(step: str | None, at: datetime, spec: dict[str, Any], *, met: bool,
               reason: str) -> None:  # fmt: skip
        for clock in clocks:
            if clock.ended_at is not None or (step is not None and clock.step != step):
                continue
            clock.ended_at, clock.end_reason, clock.end_event = at, reason, len(specs)
            if met:
                clock.met_at = at
                late = sla.is_late(clock.due_at, met_at=at, now=at)
                spec["data"].setdefault("met", {})[clock.step] = {
                    "due": _iso(clock.due_at),
                    "late": late,
                }
            else:
                spec["data"].setdefault("ended", {})[clock.step] = reason

    spec: dict[str, Any] = {"action": "submit", "at": submitted_at, "from_status": "",
                            "to_status": Status.SUBMITTED, "to_agency": row.agency,
                            "data": {"sla_class": row.sla_class}}  # fmt: skip
    start(workflow.Step.VERIFICATION, submitted_at, None, spec)
    specs.append(spec)
    if times["verified_at"]:
        at = times["verified_at"]
        spec = {"action": "verify", "at": at, "from_status": current,
                "to_status": Status.DISPOSED, "to_agency": row.agency, "to_unit": row.unit,
                "data": {"received": True, "sla_class": row.sla_class}}  # fmt: skip
        finish(workflow.Step.VERIFICATION, at, spec, met=True, reason=workflow.End.MET)
        start(workflow.Step.FIRST_RESPONSE, at, row.agency, spec)
        start(workflow.Step.COMPLETION, at, row.agency, spec)
        specs.append(spec)
        current = Status.DISPOSED
    if times["first_response_at"]:
        at = times["first_response_at"]
        spec = {"action": "respond", "at": at, "from_status": current,
                "to_status": Status.RESPONDED, "data": {"interim": False}}  # fmt: skip
        finish(workflow.Step.FIRST_RESPONSE, at, spec, met=True, reason=workflow.End.MET)
        finish(workflow.Step.COMPLETION, at, spec, met=True, reason=workflow.End.MET)
        start(workflow.Step.CLOSING, at, row.agency, spec)
        specs.append(spec)
        current = Status.RESPONDED
    if times["closed_at"]:
        at = times["closed_at"]
        spec = {"action": "close", "at": at, "from_status": current,
                "to_status": Status.CLOSED, "data": {}}  # fmt: skip
        finish(workflow.Step.CLOSING, at, spec, met=True, reason=workflow.End.MET)
        finish(None, at, spec, met=False, reason=workflow.End.CLOSED)
        specs.append(spec)
        current = Status.CLOSED
    if times["archived_at"]:
        at = times["archived_at"]
        spec = {"action": "archive", "at": at, "from_status": current,
                "to_status": Status.ARCHIVED, "data": {}}  # fmt: skip
        finish(workflow.Step.VERIFICATION, at, spec, met=True, reason=workflow.End.MET)
        finish(None, at, spec, met=False, reason=workflow.End.ARCHIVED)
        specs.append(spec)
        current = Status.ARCHIVED
    if row.rating is not None:
        last = times["closed_at"] or times["first_response_at"]
        specs.append({"action": "rate", "at": last, "from_status": current,
                      "to_status": current, "data": {"score": row.rating}})  # fmt: skip
    return specs, clocks


def _report_with_events(
    row: _Row, source: str, ladders: _Ladders
) -> tuple[Report, list[Event], list[_Clock]]:
    times = row.times
    submitted_at = times["submitted_at"]
    assert submitted_at is not None  # checked by _validate
    ruleset, ladder = ladders.at(submitted_at)
    specs, clocks = _plan(row, ladder, ladders.cal)
    running = sorted((c for c in clocks if c.ended_at is None), key=lambda c: c.due_at)
    report = Report(
        tracking_id=row.tracking_id,
        type=row.type,
        title=row.title,
        content=row.content,
        category=row.category,
        agency=row.agency,
        requested_agency=row.agency,
        unit=row.unit,
        region=row.region,
        channel=row.channel,
        is_anonymous=row.is_anonymous,
        is_confidential=row.is_confidential,
        status=_status(row),
        sla_class=row.sla_class,
        sla_ruleset=ruleset,
        deadline=running[0].due_at if running else None,
        deadline_step=running[0].step if running else "",
        submitted_at=submitted_at,
        verified_at=times["verified_at"],
        received_at=times["verified_at"] if not times["archived_at"] else None,
        first_response_at=times["first_response_at"],
        responded_at=times["first_response_at"],
        closed_at=times["closed_at"],
        archived_at=times["archived_at"],
        rating=row.rating,
        import_source=source,
    )
    events: list[Event] = []
    prev_hash = ""
    for seq, spec in enumerate(specs, start=1):
        at: datetime = spec["at"].astimezone(UTC)
        event = event_build(
            report=report,
            at=at,
            data={"imported": True, "source": source, **spec.get("data", {})},
            seq=seq,
            prev_hash=prev_hash,
            action=spec["action"],
            actor=None,
            actor_role=SYSTEM_ROLE,
            from_status=str(spec["from_status"]),
            to_status=str(spec["to_status"]),
            to_agency=spec.get("to_agency"),
            to_unit=spec.get("to_unit"),
        )
        events.append(event)
        prev_hash = event.hash
    report.last_event_hash = prev_hash
    return report, events, clocks


def _clock_rows(report: Report, clocks: list[_Clock]) -> Iterator[ReportClock]:
    for clock in clocks:
        late = clock.step in workflow.LATE_STEPS and sla.is_late(
            clock.due_at, met_at=clock.met_at, ended_at=clock.ended_at, now=clock.due_at
        )
        yield ReportClock(
            report=report,
            step=clock.step,
            agency=clock.agency,
            started_at=clock.started_at,
            start_seq=clock.start_event + 1,
            due_at=clock.due_at,
            ruleset=report.sla_ruleset,
            sla_class=clock.sla_class,
            met_at=clock.met_at,
            met_seq=(clock.end_event + 1) if clock.met_at and clock.end_event is not None else None,
            ended_at=clock.ended_at,
            end_reason=clock.end_reason,
            late_at=(clock.met_at or clock.ended_at) if late else None,
        )


def _existing_ids(ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        found.update(
            Report.objects.filter(tracking_id__in=chunk).values_list("tracking_id", flat=True)
        )
    return found


def history_import(
    *, rows: Iterable[dict[str, str]], source: str, first_line: int = 2
) -> HistoryImportResult:
    """Validate and import rows (dicts keyed by `COLUMNS`); raise `HistoryImportError` if any is bad.

    ``first_line`` is the file line of the first row (2 after a header line), for messages.
    """
    return _import_numbered(
        [(first_line + index, row) for index, row in enumerate(rows)], source=source
    )


def history_import_csv(*, stream: IO[str], source: str) -> HistoryImportResult:
    """Import an open CSV file; the header must name exactly the columns of `COLUMNS`.

    Errors name the file line where the row starts (a quoted cell may span several lines).
    """
    reader = csv.DictReader(stream)
    header = [name.strip() for name in (reader.fieldnames or [])]
    if tuple(header) != COLUMNS:
        missing = [c for c in COLUMNS if c not in header]
        extra = [c for c in header if c not in COLUMNS]
        detail = []
        if missing:
            detail.append(_("kolom hilang: %(c)s") % {"c": ", ".join(missing)})
        if extra:
            detail.append(_("kolom tak dikenal: %(c)s") % {"c": ", ".join(extra)})
        if not detail:
            detail.append(_("urutan kolom harus: %(c)s") % {"c": ", ".join(COLUMNS)})
        raise HistoryImportError([RowError(1, "; ".join(detail))])
    reader.fieldnames = header
    numbered: list[tuple[int, dict[str, str]]] = []
    next_line = reader.line_num + 1
    for row in reader:
        numbered.append((next_line, row))
        next_line = reader.line_num + 1
    return _import_numbered(numbered, source=source)


def _import_numbered(
    numbered: list[tuple[int, dict[str, str]]], *, source: str
) -> HistoryImportResult:
    registry = _Registry([raw for _line, raw in numbered])
    valid, errors = _validate(numbered, registry)
    if errors:
        raise HistoryImportError(errors)
    result = HistoryImportResult()
    with transaction.atomic():
        existing = _existing_ids([row.tracking_id for row in valid])
        reports: list[Report] = []
        events_per_report: list[list[Event]] = []
        clocks_per_report: list[list[_Clock]] = []
        ladders = _Ladders()
        for row in valid:
            if row.tracking_id in existing:
                result.skipped += 1
                result.skipped_ids.append(row.tracking_id)
                continue
            report, events, clocks = _report_with_events(row, source, ladders)
            reports.append(report)
            events_per_report.append(events)
            clocks_per_report.append(clocks)
        created = Report.objects.bulk_create(reports, batch_size=_BATCH)
        if any(report.pk is None for report in created):  # pragma: no cover - old SQLite
            by_id = dict(
                Report.objects.filter(tracking_id__in=[r.tracking_id for r in reports]).values_list(
                    "tracking_id", "pk"
                )
            )
            for report in created:
                report.pk = by_id[report.tracking_id]
        all_events: list[Event] = []
        all_clocks: list[ReportClock] = []
        for report, events, clocks in zip(
            created, events_per_report, clocks_per_report, strict=True
        ):
            for event in events:
                event.report = report
            all_events.extend(events)
            all_clocks.extend(_clock_rows(report, clocks))
        Event.objects.bulk_create(all_events, batch_size=_BATCH)
        ReportClock.objects.bulk_create(all_clocks, batch_size=_BATCH)
        search_documents_refresh(created)
        result.created = len(created)
        result.events = len(all_events)
    return result
