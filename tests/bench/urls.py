"""The app's URLs and one trivial view: the baseline the plan overview's throughput is set
beside (same gunicorn, same middleware, same run). Only the benchmark uses this URLconf."""

from django.http import HttpResponse
from django.urls import path

from g2g import urls as app_urls


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *app_urls.urlpatterns]

handler400 = app_urls.handler400
handler403 = app_urls.handler403
handler404 = app_urls.handler404
handler500 = app_urls.handler500
