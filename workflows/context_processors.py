from django.conf import settings


def pamong(request):
    """Product and city name for every page (login page included)."""
    return {"PAMONG_CITY_NAME": settings.PAMONG_CITY_NAME, "PAMONG_PRODUCT_NAME": "Pamong"}
