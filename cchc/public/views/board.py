from django.http import Http404


def board(request, unit_code):  # filled in by the board work
    raise Http404


def board_content(request, unit_code):
    raise Http404
