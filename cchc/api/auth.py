from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from cchc.api.models import ApiToken, hash_key


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cchc_…`` — a machine acting as the token's user, with that user's scope."""

    def authenticate(self, request, token: str):
        row = (
            ApiToken.objects.select_related("user", "user__unit")
            .filter(key_hash=hash_key(token), revoked=False, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


# Browsers (HTMX pages) use their session; machines use a token.
AUTH = [TokenAuth(), django_auth]
