"""API throughput: list and detail of projects, against a trivial JSON view in the same run.

The ratio (API requests per second / trivial view's requests per second) says what
the API's layers cost (token check, tenancy restriction, schema, pagination) on top
of Django's own request handling, and stays comparable across machines.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.test import Client, override_settings
from django.urls import include, path

from cobench.core.context import request_id
from cobench.demo.cast import BOSTON
from cobench.demo.loader import load_demo
from cobench.tenancy import services as tenancy

EXTRA_PROJECTS = 24  # the lead sees 25 projects, half a page
_payloads: dict[str, Any] = {}


def _trivial(name: str) -> Callable[[HttpRequest], JsonResponse]:
    def view(request: HttpRequest) -> JsonResponse:
        return JsonResponse(_payloads[name], safe=False)

    return view


urlpatterns = [
    path("bench/trivial/list", _trivial("list")),
    path("bench/trivial/detail", _trivial("detail")),
    path("", include("cobench.urls")),
]


def _world() -> tuple[str, str]:
    """A token of the demo's sponsor lead and the id of one of their projects."""
    demo = load_demo()
    lead = demo.users["helena"]
    partner = demo.organizations[BOSTON.name]
    with request_id():
        for i in range(EXTRA_PROJECTS):
            project = tenancy.create_project(
                actor=lead, code=f"PRJ-B{i:03d}", name=f"Bench {i}", sponsor=demo.project.sponsor
            )
            tenancy.add_partner(
                actor=lead,
                project=project,
                organization=partner,
                start_date=datetime.now(UTC).date() - timedelta(days=30),
            )
    _, token = tenancy.create_api_token(actor=lead, name="bench")
    return token, str(demo.project.pk)


def _rate(client: Client, url: str, n: int, headers: dict[str, str]) -> float:
    """Requests per second for `n` GETs of `url`; every one must answer 200."""
    started = time.perf_counter()
    for _ in range(n):
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}: {response.content!r}")
    return n / (time.perf_counter() - started)


def run(*, quick: bool) -> Iterator[dict[str, Any]]:
    token, project_id = _world()
    auth = {"Authorization": f"Bearer {token}"}
    rounds, n = (2, 10) if quick else (7, 300)
    cases = {
        "list": "/api/v1/projects",
        "detail": f"/api/v1/projects/{project_id}",
    }
    with override_settings(ROOT_URLCONF=__name__):
        client = Client()
        for name, url in cases.items():
            response = client.get(url, headers=auth)
            assert response.status_code == 200, response.content
            _payloads[name] = json.loads(response.content)
            if name == "list":
                assert _payloads[name]["count"] == EXTRA_PROJECTS + 1, _payloads[name]["count"]
            trivial = f"/bench/trivial/{name}"
            assert len(client.get(trivial).content) == len(response.content)
            _rate(client, url, max(3, n // 10), auth)  # warm up both
            _rate(client, trivial, max(3, n // 10), {})
            api_rates, base_rates = [], []
            for _ in range(rounds):  # interleaved, so drift in the machine hits both alike
                api_rates.append(_rate(client, url, n, auth))
                base_rates.append(_rate(client, trivial, n, {}))
            api_rps, base_rps = statistics.median(api_rates), statistics.median(base_rates)
            yield {
                "name": f"projects_{name}",
                "url": cases[name].replace(project_id, "{project_id}"),
                "requests": rounds * n,
                "response_bytes": len(response.content),
                "api_rps": round(api_rps, 1),
                "baseline_rps": round(base_rps, 1),
                "api_ms": round(1000 / api_rps, 3),
                "baseline_ms": round(1000 / base_rps, 3),
                "ratio": round(api_rps / base_rps, 3),
            }
