"""The product's URLs plus the bench's baseline endpoints; selected by VIDA_BENCH_ENDPOINTS=1 (bench/run.py)."""

from django.urls import path

from bench.views import BareInsert, PlainTrends
from vida.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    *product_urlpatterns,
    path("bench/insert/", BareInsert.as_view(), name="bench-insert"),
    path("bench/trends-plain/", PlainTrends.as_view(), name="bench-trends-plain"),
]

handler404 = "vida.errors.page_not_found"
handler500 = "vida.errors.server_error"
