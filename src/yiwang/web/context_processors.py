from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"SHOW_DEV_CODES": settings.SHOW_DEV_CODES, "YIWANG_ENV": settings.YIWANG_ENV}
