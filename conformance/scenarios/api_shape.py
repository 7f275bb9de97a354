"""The schema lane: invalid requests a client plausibly sends, and requests generated from the reference's document.

Refusals judge the answer to each request by hand; the generated scenarios, one per
operation the suite is about, send what schemathesis draws from the document (threads,
state and history, runs, store items on the suite's own namespace) and judge every answer.
"""

from __future__ import annotations

from conformance.scenarios._api_model import ApiScenario, Generated, Refusal

__all__ = ["API_SHAPE"]

RUN = {"assistant_id": "{assistant}", "input": {"messages": [{"role": "human", "content": "what's the weather in sf?"}]}}
RUNS = "/threads/{thread}/runs"

REFUSALS: tuple[Refusal, ...] = (
    Refusal("misspelt-strategy", "POST", RUNS, {**RUN, "multitask_strategy": "rollbak"},
            names=("multitask_strategy", "rollbak")),
    Refusal("strategy-not-a-string", "POST", RUNS, {**RUN, "multitask_strategy": 5}, names=("multitask_strategy",)),
    Refusal("after-seconds-not-a-number", "POST", RUNS, {**RUN, "after_seconds": "soon"},
            names=("after_seconds", "soon")),
    Refusal("no-assistant-id", "POST", RUNS, {"input": RUN["input"]}, names=("assistant_id",)),
    Refusal("body-not-an-object", "POST", RUNS, ["agent"], names=("object", "dict", "mapping")),
    Refusal("malformed-json", "POST", RUNS, raw=b'{"assistant_id": ', names=("json",)),
    Refusal("unknown-assistant", "POST", RUNS, {**RUN, "assistant_id": "{unknown}"}, documented=404,
            names=("assistant",)),
    Refusal("unknown-thread-run", "POST", "/threads/{unknown}/runs", RUN, documented=404, names=("thread",)),
    Refusal("unknown-thread", "GET", "/threads/{unknown}", documented=404, names=("thread",)),
    Refusal("unknown-run", "GET", "/threads/{thread}/runs/{unknown}", documented=404, names=("run",)),
    Refusal("thread-id-not-a-uuid", "GET", "/threads/not-a-uuid", names=("thread", "uuid")),
    Refusal("limit-not-a-number", "GET", RUNS, params={"limit": "many"}, names=("limit", "many")),
    Refusal("negative-after-seconds", "POST", RUNS, {**RUN, "after_seconds": -5}, documented=None),
)  # fmt: skip

_GENERATED_CHECKS = ("API-GENERATED-NO-SERVER-ERROR", "API-BODIES-MATCH-DOCUMENT")
_OPERATIONS: tuple[tuple[str, Generated], ...] = (
    ("threads.create", Generated("POST", "/threads")),
    ("threads.get", Generated("GET", "/threads/{thread_id}")),
    ("threads.patch", Generated("PATCH", "/threads/{thread_id}")),
    ("threads.state", Generated("GET", "/threads/{thread_id}/state")),
    ("threads.history", Generated("POST", "/threads/{thread_id}/history")),
    ("runs.create", Generated("POST", "/threads/{thread_id}/runs", run_objects=True)),
    ("runs.wait", Generated("POST", "/threads/{thread_id}/runs/wait", valid=False)),
    ("runs.stream", Generated("POST", "/threads/{thread_id}/runs/stream", bodies=False, valid=False)),
    ("runs.list", Generated("GET", "/threads/{thread_id}/runs", run_objects=True)),
    ("runs.get", Generated("GET", "/threads/{thread_id}/runs/{run_id}", run_objects=True)),
    ("runs.join", Generated("GET", "/threads/{thread_id}/runs/{run_id}/join")),
    ("runs.cancel", Generated("POST", "/threads/{thread_id}/runs/{run_id}/cancel")),
    ("store.put", Generated("PUT", "/store/items", bodies=False)),
    ("store.get", Generated("GET", "/store/items", bodies=False)),
    ("store.search", Generated("POST", "/store/items/search", bodies=False)),
)


def _generated(name: str, operation: Generated) -> ApiScenario:
    checks = ("API-GENERATED-NO-SERVER-ERROR",)
    if operation.bodies:
        checks = _GENERATED_CHECKS
    if operation.run_objects:
        checks = (*checks, "API-RUN-REQUIRED-FIELDS")
    return ApiScenario(f"schema.{name}", str(operation), generated=(operation,), requirement_ids=checks)


API_SHAPE: tuple[ApiScenario, ...] = (
    ApiScenario("schema.refusals", "Invalid requests a client plausibly sends: each refused with a 4xx, never a 5xx",
                refusals=REFUSALS,
                requirement_ids=("API-NO-SERVER-ERROR", "API-REFUSED-4XX", "API-REFUSED-DOCUMENTED-CODE",
                                 "API-REFUSAL-NAMES-PROBLEM")),
    *(_generated(name, operation) for name, operation in _OPERATIONS),
)  # fmt: skip
