from django.conf import settings


def site(request):
    return {"SITE_NAME": "即督快响", "SITE_SUBTITLE": "行政执法监督 + 12345热线联动平台", "DEBUG": settings.DEBUG}
