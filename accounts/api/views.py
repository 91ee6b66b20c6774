from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class TokenView(APIView):
    """Exchange e-mail and password for an API token (`Authorization: Token …`)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer,
                   responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Through authenticate() so django-axes counts failures and enforces the lockout here too.
        user = authenticate(request._request, username=data.validated_data["email"].lower(),
                            password=data.validated_data["password"])
        if user is None or not user.is_active:
            return Response({"detail": "Correo o contraseña incorrectos, o la cuenta está bloqueada."},
                            status=status.HTTP_400_BAD_REQUEST)
        if not user.emailaddress_set.filter(verified=True).exists():
            return Response({"detail": "Verifica tu correo electrónico antes de usar la API."},
                            status=status.HTTP_403_FORBIDDEN)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
