"""Writes to the territory: catalogue and social index imports. Idempotent; a bad row never aborts."""

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from neighbourhoods.models import Borough, Neighbourhood, SocialIndexMeasure, Stratum
from neighbourhoods.naming import BOROUGHS, display_name, fold, kind_of

TERRITORY_COLUMNS = ("cve_col", "cve_mun_inegi", "alcaldia", "colonia", "pob_2010")
SOCIAL_INDEX_COLUMNS = ("cve_col", "year", "value", "stratum")
KEY = re.compile(r"^\d{2}-\d{3}$")


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.skipped)

    def lines(self) -> list[str]:
        out = [f"created: {self.created}", f"updated: {self.updated}", f"unchanged: {self.unchanged}",
               f"skipped: {len(self.skipped)}"]
        out += [f"  line {line}: skipped, {reason}" for line, reason in self.skipped]
        out += [f"  line {line}: warning, {reason}" for line, reason in self.warnings]
        return out


class ImportFileError(Exception):
    """The file as a whole cannot be read (missing, wrong columns): nothing was imported."""


def _open_rows(path: Path, required: tuple[str, ...]):
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed by the caller)
    except OSError as exc:
        raise ImportFileError(f"cannot open {path}: {exc.strerror}") from exc
    reader = csv.DictReader(handle)
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        handle.close()
        raise ImportFileError(f"{path.name}: missing columns {', '.join(missing)}; expected {', '.join(required)}")
    return handle, reader


def boroughs_ensure() -> dict[str, Borough]:
    """The 16 boroughs exist with their proper names; returns them by INEGI code."""
    existing = {b.inegi_code: b for b in Borough.objects.all()}
    for code, (iecm, name) in BOROUGHS.items():
        if code not in existing:
            existing[code] = Borough.objects.create(
                inegi_code=code, iecm_number=iecm, name=name, official_name=fold(name)
            )
    return existing


def territory_import(path: Path) -> ImportSummary:
    """Load the IECM catalogue CSV (cve_col, cve_mun_inegi, alcaldia, colonia, pob_2010) as it is."""
    summary = ImportSummary()
    handle, reader = _open_rows(path, TERRITORY_COLUMNS)
    with handle, transaction.atomic():
        boroughs = boroughs_ensure()
        current = {n.key: n for n in Neighbourhood.objects.all()}
        seen: set[str] = set()
        for line, row in enumerate(reader, start=2):
            key = (row.get("cve_col") or "").strip()
            code = (row.get("cve_mun_inegi") or "").strip()
            if not KEY.match(key):
                summary.skipped.append((line, f"invalid unit key {key!r}"))
                continue
            if key in seen:
                summary.skipped.append((line, f"duplicate unit key {key}"))
                continue
            borough = boroughs.get(code)
            if borough is None:
                summary.skipped.append((line, f"unknown borough code {code!r}"))
                continue
            if key[:2] != borough.iecm_number:
                summary.skipped.append((line, f"key {key} does not belong to borough {code}"))
                continue
            population_text = (row.get("pob_2010") or "").strip()
            population = None
            if population_text:
                if not population_text.isdigit():
                    summary.skipped.append((line, f"population {population_text!r} is not a whole number"))
                    continue
                population = int(population_text)
            else:
                summary.warnings.append((line, f"{key} has no population"))
            official = re.sub(r"\s+", " ", (row.get("colonia") or "").strip())
            if official:
                name = display_name(official)
            else:
                # The unit exists in the catalogue; keep it under its key rather than lose it.
                name = f"Sin nombre ({key})"
                summary.warnings.append((line, f"{key} has no name"))
            seen.add(key)
            values = {"official_name": official, "name": name, "kind": kind_of(official),
                      "borough": borough, "population": population}
            existing = current.get(key)
            if existing is None:
                Neighbourhood.objects.create(key=key, **values)
                summary.created += 1
            elif any(getattr(existing, attr) != value for attr, value in values.items()):
                for attr, value in values.items():
                    setattr(existing, attr, value)
                existing.save()
                summary.updated += 1
            else:
                summary.unchanged += 1
    return summary


def social_index_import(path: Path, *, source: str = "") -> ImportSummary:
    """Load social development index measures (cve_col, year, value, stratum[, source])."""
    summary = ImportSummary()
    handle, reader = _open_rows(path, SOCIAL_INDEX_COLUMNS)
    strata = set(Stratum.values)
    with handle, transaction.atomic():
        units = dict(Neighbourhood.objects.values_list("key", "id"))
        touched: set[int] = set()
        for line, row in enumerate(reader, start=2):
            key = (row.get("cve_col") or "").strip()
            unit_id = units.get(key)
            if unit_id is None:
                summary.skipped.append((line, f"unknown unit key {key!r}"))
                continue
            try:
                year = int((row.get("year") or "").strip())
                value = Decimal((row.get("value") or "").strip())
            except (ValueError, InvalidOperation):
                summary.skipped.append((line, "year must be a whole number and value a decimal"))
                continue
            stratum = (row.get("stratum") or "").strip().lower()
            if stratum not in strata:
                summary.skipped.append((line, f"stratum {stratum!r} is not one of {', '.join(Stratum.values)}"))
                continue
            if not (2000 <= year <= 2100) or not (0 <= value <= 1):
                summary.skipped.append((line, "year must be 2000–2100 and value between 0 and 1"))
                continue
            row_source = (row.get("source") or source).strip()
            measure, created = SocialIndexMeasure.objects.get_or_create(
                neighbourhood_id=unit_id, year=year,
                defaults={"value": value, "stratum": stratum, "source": row_source},
            )
            if created:
                summary.created += 1
            elif (measure.value, measure.stratum, measure.source) != (value, stratum, row_source):
                measure.value, measure.stratum, measure.source = value, stratum, row_source
                measure.save()
                summary.updated += 1
            else:
                summary.unchanged += 1
            touched.add(unit_id)
        neighbourhood_strata_refresh(unit_ids=touched)
    return summary


def neighbourhood_strata_refresh(*, unit_ids: set[int]) -> None:
    """Copy each unit's latest measure onto the unit, for filtering and priority."""
    latest: dict[int, tuple[int, str]] = {}
    for unit_id, year, stratum in (SocialIndexMeasure.objects.filter(neighbourhood_id__in=unit_ids)
                                   .order_by("neighbourhood_id", "year").values_list("neighbourhood_id", "year",
                                                                                     "stratum")):
        latest[unit_id] = (year, stratum)
    changed = []
    for unit in Neighbourhood.objects.filter(id__in=latest):
        year, stratum = latest[unit.id]
        if (unit.stratum_year, unit.stratum) != (year, stratum):
            unit.stratum_year, unit.stratum = year, stratum
            changed.append(unit)
    Neighbourhood.objects.bulk_update(changed, ["stratum", "stratum_year"])
