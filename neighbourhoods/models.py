from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from neighbourhoods.querysets import NeighbourhoodQuerySet


class Stratum(models.TextChoices):
    """Social development stratum (Índice de Desarrollo Social), lowest first: lower gets priority."""

    VERY_LOW = "muy_bajo", _("Muy bajo")
    LOW = "bajo", _("Bajo")
    MEDIUM = "medio", _("Medio")
    HIGH = "alto", _("Alto")


class Borough(models.Model):
    """One of the 16 alcaldías, keyed by its INEGI municipal code."""

    inegi_code = models.CharField(_("clave INEGI"), max_length=3, unique=True,
                                  validators=[RegexValidator(r"^0(0[2-9]|1[0-7])$")])
    iecm_number = models.CharField(_("número IECM"), max_length=2, unique=True)
    name = models.CharField(_("nombre"), max_length=100)
    official_name = models.CharField(_("nombre en el catálogo"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("alcaldía")
        verbose_name_plural = _("alcaldías")
        ordering = ["name"]

    def __str__(self):
        return self.name


class NeighbourhoodKind(models.TextChoices):
    COLONIA = "colonia", _("Colonia")
    BARRIO = "barrio", _("Barrio")
    PUEBLO = "pueblo", _("Pueblo")
    HOUSING_UNIT = "housing_unit", _("Unidad habitacional")


class Neighbourhood(models.Model):
    """A territorial unit of the IECM catalogue (colonia, barrio, pueblo or housing unit)."""

    key = models.CharField(_("clave IECM"), max_length=6, unique=True,
                           validators=[RegexValidator(r"^\d{2}-\d{3}$")])
    official_name = models.CharField(_("nombre en el catálogo"), max_length=200, blank=True)
    name = models.CharField(_("nombre"), max_length=200, db_index=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=NeighbourhoodKind.choices,
                            default=NeighbourhoodKind.COLONIA)
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="neighbourhoods",
                                verbose_name=_("alcaldía"))
    population = models.PositiveIntegerField(_("población 2010"), null=True, blank=True)
    latitude = models.DecimalField(_("latitud"), max_digits=8, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(Decimal("19")), MaxValueValidator(Decimal("20"))])
    longitude = models.DecimalField(
        _("longitud"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal("-99.5")), MaxValueValidator(Decimal("-98.8"))],
    )
    # The latest social index measure, copied here by the import service so lists can filter and
    # sort by stratum without a subquery per row.
    stratum = models.CharField(_("estrato de desarrollo social"), max_length=10, choices=Stratum.choices,
                               blank=True, db_index=True)
    stratum_year = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        verbose_name = _("unidad territorial")
        verbose_name_plural = _("unidades territoriales")
        ordering = ["borough__name", "name", "key"]
        indexes = [models.Index(fields=["borough", "name"])]

    def __str__(self):
        return f"{self.name} ({self.key})"


class SocialIndexMeasure(models.Model):
    """One year's social development index of a unit, as published by its source (e.g. EVALÚA)."""

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.CASCADE, related_name="index_measures")
    year = models.PositiveSmallIntegerField(_("año"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    value = models.DecimalField(_("valor"), max_digits=6, decimal_places=4,
                                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))])
    stratum = models.CharField(_("estrato"), max_length=10, choices=Stratum.choices)
    source = models.CharField(_("fuente"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("índice de desarrollo social")
        verbose_name_plural = _("índices de desarrollo social")
        ordering = ["neighbourhood", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "year"], name="index_one_per_unit_year"),
        ]

    def __str__(self):
        return f"{self.neighbourhood.key} {self.year}: {self.stratum}"
