"""Paste the text of a published regulation, review the recovered structure, save it as a draft."""
from django.http import HttpResponse


def regulation_import(request):  # replaced below by the full view
    return HttpResponse(status=503)
