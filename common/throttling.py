"""The API's throttles, counting per client as common.clients finds it.

DRF's own guess reads X-Forwarded-For whole when NUM_PROXIES is unset: with no proxy in front
a client escapes its allowance by writing a new header each time."""

from rest_framework import throttling

from common.clients import client_address


class ClientAddressMixin:
    def get_ident(self, request):
        return client_address(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass
