from django.urls import path

from cchc.public.views import board, catalogue, home, lookup, results

app_name = "public"
urlpatterns = [
    path("", home.index, name="index"),
    # Fixed words before the unit code: "tra-cuu" would otherwise be read as a unit code.
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("<str:unit_code>/", home.unit_home, name="unit"),
    path("<str:unit_code>/thu-tuc/", catalogue.catalogue, name="catalogue"),
    path("<str:unit_code>/thu-tuc/<str:procedure_code>/", catalogue.procedure, name="procedure"),
    path("<str:unit_code>/ket-qua/", results.results, name="results"),
    path("<str:unit_code>/bang-dien-tu/", board.board, name="board"),
    path("<str:unit_code>/bang-dien-tu/noi-dung/", board.board_content, name="board_content"),
]
