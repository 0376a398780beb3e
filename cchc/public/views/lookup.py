from django.http import Http404


def lookup(request):  # filled in by the lookup work
    raise Http404
