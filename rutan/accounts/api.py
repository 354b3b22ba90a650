from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from knox.auth import TokenAuthentication
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .selectors import SecondFactor, second_factor_state
from .services import api_token_create, second_factor_verify


class TokenScheme(OpenApiAuthenticationExtension):
    """Knox's tokens keep the scheme's name and header of the tokens they replaced."""

    target_class = "knox.auth.TokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token-based authentication with required prefix "Token"; the token '
            "comes from `POST /api/v1/auth/token/` and expires after API_TOKEN_TTL seconds.",
        }


class AuthTokenCredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("nama pengguna"))
    password = serializers.CharField(
        label=_("kata sandi"), trim_whitespace=False, style={"input_type": "password"}
    )
    otp = serializers.CharField(
        label=_("kode verifikasi"),
        required=False,
        allow_blank=True,
        help_text=_(
            "Kode enam angka dari aplikasi autentikator, atau kode cadangan: wajib bila "
            "akun memakai verifikasi dua langkah."
        ),
    )


class AuthTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Token API; hanya ditampilkan sekali ini."))
    expiry = serializers.DateTimeField(help_text=_("Saat token berhenti berlaku."))


class TokenObtainView(APIView):
    """Exchange a username, password and (for an account with verification in two steps) a
    code from the authenticator for a new API token: `Authorization: Token <token>`.

    The token is shown only in this answer (only its digest is stored) and works until
    `expiry` (`API_TOKEN_TTL`, 8 hours by default), or until the user signs out of the site,
    changes or resets the password, or calls `auth/logout/`."""

    authentication_classes = []
    permission_classes = [AllowAny]
    # Password guessing is limited per address like any request (and locked out by axes).
    throttle_classes = api_settings.DEFAULT_THROTTLE_CLASSES

    @extend_schema(request=AuthTokenCredentialsSerializer, responses={200: AuthTokenSerializer})
    def post(self, request):
        data = AuthTokenCredentialsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request=request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("Nama pengguna atau kata sandi salah."), code="authorization"
            )
        state = second_factor_state(user)
        if state == SecondFactor.SETUP:
            raise serializers.ValidationError(
                _(
                    "Peran Anda mewajibkan verifikasi dua langkah: siapkan dulu di situs "
                    "(Verifikasi dua langkah), lalu minta token lagi."
                ),
                code="second_factor_setup",
            )
        if state == SecondFactor.VERIFY:
            code = data.validated_data.get("otp", "")
            if not code:
                raise serializers.ValidationError(
                    {"otp": [_("Masukkan kode verifikasi dua langkah.")]}
                )
            try:
                second_factor_verify(user=user, token=code)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"otp": exc.messages}) from exc
        instance, token = api_token_create(user=user)
        return Response(
            AuthTokenSerializer({"token": token, "expiry": instance.expiry}).data,
            status=status.HTTP_200_OK,
        )


class TokenLogoutView(APIView):
    """End the API token this request is made with."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        request.auth.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
