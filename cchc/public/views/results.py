from django.http import Http404


def results(request, unit_code):  # filled in by the results work
    raise Http404
