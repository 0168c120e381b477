from django.utils import timezone
from ninja.security import HttpBearer

from jidu.intake.models import ApiToken


class TokenAuth(HttpBearer):
    """Bearer token of a source. `scope` is the permission the endpoint needs."""

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        api_token = ApiToken.authenticate(token)
        if api_token is None or self.scope not in api_token.scopes:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.api_token = api_token
        return api_token
