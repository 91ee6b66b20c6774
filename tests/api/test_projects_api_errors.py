"""The service-error mapping lives in the kernel (nicp.api_services) and every app's API uses that one."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError

import committees.api.views
import projects.api.views
import proposals.api.views
from nicp import api_services
from nicp.errors import StaleVersion


def test_every_api_uses_the_kernels_mapping():
    for module in [proposals.api.views, committees.api.views, projects.api.views]:
        assert module.run_service is api_services.run_service, module.__name__


def test_a_stale_version_is_a_409_that_says_to_reload():
    def stale():
        raise StaleVersion()

    with translation.override("es-mx"), pytest.raises(api_services.Conflict) as caught:
        api_services.run_service(stale)
    assert caught.value.status_code == 409 and "Recarga la página" in str(caught.value.detail)
    assert "recarga" in str(api_services.Conflict.default_detail)


def test_a_refusal_is_a_403_with_the_services_reason():
    def refused():
        raise PermissionDenied("Solo Finanzas ministra.")

    with pytest.raises(ApiPermissionDenied) as caught:
        api_services.run_service(refused)
    assert caught.value.detail == "Solo Finanzas ministra."


def test_validation_errors_keep_their_fields_and_name_the_general_ones_as_drf_does():
    def by_field():
        raise ValidationError({"note": "Escribe el motivo.", "__all__": "Quien aprobó no entrega."})

    def as_list():
        raise ValidationError(["Falta el convenio.", "Falta la cuenta."])

    with pytest.raises(ApiValidationError) as caught:
        api_services.run_service(by_field)
    assert caught.value.detail == {"note": ["Escribe el motivo."], "non_field_errors": ["Quien aprobó no entrega."]}
    with pytest.raises(ApiValidationError) as caught:
        api_services.run_service(as_list)
    assert caught.value.detail == {"detail": ["Falta el convenio.", "Falta la cuenta."]}


def test_what_the_service_returns_comes_back():
    assert api_services.run_service(lambda: 42) == 42
