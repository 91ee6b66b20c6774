"""A small public world for the listing and map tests: funded projects of two years in two boroughs, built
through the real selection (tests/projects/helpers.py), then given the figures each test reads."""

from decimal import Decimal

from django.utils import timezone

from neighbourhoods.models import Stratum
from projects.models import ProgressReport, Project
from projects.workflow import ProjectState, ReportState
from proposals.models import Proposal
from tests.factories import BoroughFactory, NeighbourhoodFactory, make_open_call
from tests.projects.helpers import selected_project


def unit(borough, key, *, stratum=Stratum.LOW, point=None):
    latitude, longitude = point or (None, None)
    return NeighbourhoodFactory(borough=borough, key=key, name=f"Colonia {key}", stratum=stratum,
                                latitude=latitude, longitude=longitude)


def funded(call, where, *, title, amount="1000000.00", project_type="park", site=None, status=None,
           progress=None, released="0", verified="0"):
    """A selected project shaped as a test needs it: its title, type, site point, state and figures; an
    endorsed progress report when `progress` is given (until then the public sees «Sin reportar»)."""
    project = selected_project(call, amount=Decimal(amount), unit=where)
    latitude, longitude = site or (None, None)
    Proposal.objects.filter(pk=project.proposal_id).update(project_type=project_type, title=title,
                                                           latitude=latitude, longitude=longitude)
    Project.objects.filter(pk=project.pk).update(
        title=title, status=status or project.status, physical_progress=Decimal(progress or 0),
        released_total=Decimal(released), verified_total=Decimal(verified))
    if progress is not None:
        ProgressReport.objects.create(project=project, due_on=timezone.localdate(), physical_percent=progress,
                                      summary="Avance", status=ReportState.ENDORSED, endorsed_at=timezone.now())
    project.refresh_from_db()
    return project


def small_world():
    """Three projects that differ in every filter the public has."""
    iztapalapa = BoroughFactory(inegi_code="007", iecm_number="07", name="Iztapalapa")
    coyoacan = BoroughFactory(inegi_code="003", iecm_number="03", name="Coyoacán")
    call_2029, call_2030 = make_open_call(year=2029), make_open_call(year=2030)
    park = funded(call_2029, unit(iztapalapa, "07-101", point=(19.35, -99.06)), title="Parque Las Águilas",
                  site=(19.351, -99.061), status=ProjectState.IN_EXECUTION, progress="40", released="700000",
                  verified="350000")
    lights = funded(call_2030, unit(coyoacan, "03-202", stratum=Stratum.MEDIUM, point=(19.33, -99.16)),
                    title="Luminarias del Centro", amount="1400000.00", project_type="lighting",
                    status=ProjectState.CLOSED, progress="100", released="1400000", verified="1400000")
    centre = funded(call_2030, unit(iztapalapa, "07-303"), title="Centro comunitario Ejidos",
                    amount="1200000.00", project_type="community_centre")
    return {"park": park, "lights": lights, "centre": centre}


def many_projects(count, *, year=2031, start=0):
    """`count` plain funded projects of the call of `year`, each in its own unit with a centroid; `start`
    numbers a second batch after the first."""
    from proposals.models import Call

    borough = BoroughFactory(inegi_code="007", iecm_number="07", name="Iztapalapa")
    call = Call.objects.filter(fiscal_year=year).first() or make_open_call(year=year)
    return [funded(call, unit(borough, f"07-{500 + i:03d}", point=(19.3 + i / 1000, -99.1)), title=f"Obra {i:02d}",
                   amount=f"{800000 + i * 1000}.00") for i in range(start, start + count)]
