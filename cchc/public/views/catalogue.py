from django.http import Http404

from cchc.public.views.desk import published_desk


@published_desk("catalogue")
def catalogue(request, desk):  # filled in by the catalogue work
    raise Http404


@published_desk("procedure")
def procedure(request, desk, procedure_code):
    raise Http404
