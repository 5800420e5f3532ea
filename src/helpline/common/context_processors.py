from django.conf import settings
from django.http import HttpRequest


def network(request: HttpRequest) -> dict[str, object]:
    """The network's name and hotline number, shown on every page."""
    return {
        "network_name": settings.HELPLINE_NETWORK_NAME,
        "hotline_number": settings.HELPLINE_HOTLINE_NUMBER,
        "has_pico": settings.HELPLINE_HAS_PICO,
    }
