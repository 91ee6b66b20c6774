from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import tokens

DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    code = serializers.CharField(
        required=False, allow_blank=True, max_length=64,
        help_text="Código de la aplicación de autenticación (TOTP) o un código de recuperación sin usar. "
                  "Obligatorio para quien activó la verificación en dos pasos (todo el personal).",
    )


class TokenSerializer(serializers.Serializer):
    prefix = serializers.CharField(source="token_key", help_text="El principio de la clave, para reconocerla.")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(help_text="La clave completa: se muestra solo esta vez.")


class OwnTokenSerializer(TokenSerializer):
    current = serializers.SerializerMethodField(help_text="Si es el token con el que se hizo esta petición.")

    def get_current(self, token) -> bool:
        auth = self.context["request"].auth
        return isinstance(auth, AuthToken) and auth.digest == token.digest


def _message(error) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


class TokenView(APIView):
    """Exchange e-mail, password and (when TOTP is enrolled) the code for a new API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer,
                   responses={200: NewTokenSerializer, 400: OpenApiResponse(description="Datos o código incorrectos"),
                              403: DETAIL, 429: DETAIL})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data["email"].lower()
        # Through authenticate() so django-axes counts failures and enforces the lockout here too.
        user = authenticate(request._request, username=email, password=data.validated_data["password"])
        if user is None or not user.is_active:
            return Response({"detail": _("Correo o contraseña incorrectos, o la cuenta está bloqueada.")},
                            status=status.HTTP_400_BAD_REQUEST)
        if not user.emailaddress_set.filter(verified=True).exists():
            return Response({"detail": _("Verifica tu correo electrónico antes de usar la API.")},
                            status=status.HTTP_403_FORBIDDEN)
        if tokens.staff_must_enrol(user):
            return Response({"detail": tokens.enrol_message()}, status=status.HTTP_403_FORBIDDEN)
        verified = False
        if tokens.has_totp(user):
            code = data.validated_data.get("code", "")
            if not code.strip():
                return Response({"code": [_("Escribe el código de tu aplicación de autenticación.")]},
                                status=status.HTTP_400_BAD_REQUEST)
            if not tokens.second_factor_verify(user=user, code=code):
                # A failed login for django-axes: guessing codes locks the account as guessing passwords does.
                user_login_failed.send(sender=__name__, credentials={"email": email}, request=request._request)
                return Response({"code": [_("El código no es válido o ya se usó.")]},
                                status=status.HTTP_400_BAD_REQUEST)
            verified = True
        try:
            token, key = tokens.api_token_create(user=user, second_factor_verified=verified)
        except PermissionDenied as error:
            return Response({"detail": _message(error)}, status=status.HTTP_403_FORBIDDEN)
        except ValidationError as error:
            return Response({"detail": _message(error)}, status=status.HTTP_400_BAD_REQUEST)
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response({"token": key, "prefix": token.token_key, "created": token.created, "expiry": token.expiry})


class OwnTokensView(APIView):
    """The caller's own API tokens that still work (only their prefixes)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OwnTokenSerializer(many=True)})
    def get(self, request):
        return Response(OwnTokenSerializer(tokens.active_api_tokens(request.user), many=True,
                                           context={"request": request}).data)


class OwnTokenView(APIView):
    """Revoke one of the caller's own tokens by its prefix; anyone else's is 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None, 404: DETAIL})
    def delete(self, request, prefix):
        try:
            tokens.api_token_revoke(user=request.user, prefix=prefix)
        except AuthToken.DoesNotExist as error:
            return Response({"detail": str(error)}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutView(APIView):
    """Revoke the token this request is made with."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None, 400: DETAIL})
    def post(self, request):
        if not isinstance(request.auth, AuthToken):
            return Response({"detail": _("Esta petición no usa un token; revoca tus tokens en tu perfil.")},
                            status=status.HTTP_400_BAD_REQUEST)
        tokens.api_token_revoke(user=request.user, prefix=request.auth.token_key)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every token of the caller."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: inline_serializer("Revoked", {"revoked": serializers.IntegerField()})})
    def post(self, request):
        return Response({"revoked": tokens.api_tokens_revoke_all(user=request.user)})
