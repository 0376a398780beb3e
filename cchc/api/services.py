from typing import Any

from django.db import transaction

from cchc.api.models import ApiToken, hash_key
from cchc.core import audit
from cchc.core.audit import Verb


@transaction.atomic
def create_token(actor: Any, user: Any, name: str) -> tuple[ApiToken, str]:
    """Cấp khóa API cho ``user``; the plain key is returned once and never stored."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_key(key), prefix=key[5:13])
    audit.record(actor, Verb.API_TOKEN_CREATE, token, unit=getattr(user, "unit", None), data={"name": name})
    return token, key


@transaction.atomic
def revoke_token(actor: Any, token: ApiToken) -> None:
    token.revoked = True
    token.save(update_fields=["revoked"])
    audit.record(actor, Verb.API_TOKEN_REVOKE, token, unit=getattr(token.user, "unit", None))
