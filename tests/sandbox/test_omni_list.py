"""``GET /omni/api/v1/schedules``: the docs' records, filters, sorting, pagination and errors."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.omni import BLOB_ROSS, HEADERS

LIST = "/omni/api/v1/schedules"

# The docs' list example, verbatim.
DOCS_RECORDS: list[dict[str, Any]] = [
    {
        "id": "60d386ca-6f48-4143-9bfc-fd7a6f942c2c",
        "schedule": "00 09 ? * 2,3,4,5,6 *",
        "disabledAt": "2024-03-01T15:32:20.996Z",
        "name": "Web Traffic Analysis",
        "timezone": "America/Los_Angeles",
        "identifier": "1169b547",
        "dashboardName": "Web Traffic Analysis",
        "ownerName": "Blob Ross",
        "lastCompletedAt": "2024-02-29T17:00:56.107Z",
        "lastStatus": "COMPLETE",
        "destinationType": "email",
        "recipientCount": 5,
        "content": "dashboard",
        "slackRecipientType": None,
        "systemDisabledAt": None,
        "systemDisabledReason": None,
        "alert": None,
    },
    {
        "id": "f68aba72-b558-4012-a381-bb74954dd025",
        "schedule": "00 09 ? * 2,3,4,5,6 *",
        "disabledAt": None,
        "name": "⚡️🍣 Query",
        "timezone": "America/New_York",
        "identifier": "eadde573",
        "dashboardName": "Blob R Us Sales",
        "ownerName": "Blobby Hill",
        "lastCompletedAt": "2025-05-19T13:00:35.457Z",
        "lastStatus": "ERROR_DELIVERED",
        "destinationType": "email",
        "recipientCount": 1,
        "content": "single tile",
        "slackRecipientType": None,
        "systemDisabledAt": None,
        "systemDisabledReason": None,
        "alert": None,
    },
    {
        "id": "2af41989-1bed-4c65-a602-927f71205a32",
        "schedule": "00 09 ? * 2,3,4,5,6 *",
        "disabledAt": None,
        "name": "Orders (2)",
        "timezone": "America/New_York",
        "identifier": "12db1a0a",
        "dashboardName": "Orders",
        "ownerName": "Blobby Hill",
        "lastCompletedAt": "2025-05-19T13:00:27.517Z",
        "lastStatus": "COMPLETE",
        "destinationType": "webhook",
        "recipientCount": -1,
        "content": "dashboard",
        "slackRecipientType": None,
        "systemDisabledAt": None,
        "systemDisabledReason": None,
        "alert": None,
    },
    {
        "id": "61a8e93b-71f4-4cda-b1f9-a91aa0ad05bc",
        "schedule": "00 09 ? * 2,3,4,5,6 *",
        "disabledAt": None,
        "name": "Orders",
        "timezone": "America/New_York",
        "identifier": "12db1a0a",
        "dashboardName": "Orders",
        "ownerName": "Blob Ross",
        "lastCompletedAt": "2025-05-19T13:00:25.376Z",
        "lastStatus": "COMPLETE",
        "destinationType": "email",
        "recipientCount": 1,
        "content": "dashboard",
        "slackRecipientType": None,
        "systemDisabledAt": None,
        "systemDisabledReason": None,
        "alert": None,
    },
    {
        "id": "3db84f26-db0f-451d-846e-0f7148ae5a7d",
        "schedule": "00 09 ? * 2,3,4,5,6 *",
        "disabledAt": "2024-12-31T17:23:45.063Z",
        "name": "External users",
        "timezone": "America/New_York",
        "identifier": "0958c2d8",
        "dashboardName": "Sales Data by Quarter",
        "ownerName": "Blobby Hill",
        "lastCompletedAt": "2024-12-31T14:00:51.558Z",
        "lastStatus": "COMPLETE",
        "destinationType": "email",
        "recipientCount": 1,
        "content": "dashboard",
        "slackRecipientType": None,
        "systemDisabledAt": None,
        "systemDisabledReason": None,
        "alert": None,
    },
    {
        "id": "8cc895ec-a2af-493f-a4e4-08c3017fa42d",
        "schedule": "00 09 ? * 2,3,4,5,6 *",
        "disabledAt": "2024-11-21T21:52:16.059Z",
        "name": "Daily Slack update",
        "timezone": "America/New_York",
        "identifier": "0958c2d8",
        "dashboardName": "Sales Data by Quarter",
        "ownerName": "Blobby Hill",
        "lastCompletedAt": None,
        "lastStatus": None,
        "destinationType": "slack",
        "recipientCount": 1,
        "content": "dashboard",
        "slackRecipientType": "users",
        "systemDisabledAt": None,
        "systemDisabledReason": None,
        "alert": None,
    },
]


def names(client: TestClient, **params: Any) -> list[str]:
    response = client.get(LIST, headers=HEADERS, params=params)
    assert response.status_code == 200, response.text
    return [r["name"] for r in response.json()["records"]]


def test_default_list_is_the_docs_example(client: TestClient) -> None:
    response = client.get(LIST, headers=HEADERS)
    assert response.status_code == 200
    assert response.json() == {
        "pageInfo": {"hasNextPage": False, "nextCursor": None, "pageSize": 20, "totalRecords": 6},
        "records": DOCS_RECORDS,
    }


def test_search_q_matches_name_dashboard_or_owner(client: TestClient) -> None:
    assert names(client, q="blob ross") == ["Web Traffic Analysis", "Orders"]
    assert names(client, q="SALES DATA") == ["External users", "Daily Slack update"]
    assert names(client, q="traffic") == ["Web Traffic Analysis"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "success"}, ["Web Traffic Analysis", "Orders (2)", "Orders", "External users"]),
        ({"status": "error"}, ["⚡️🍣 Query"]),
        ({"status": "none"}, ["Daily Slack update"]),
        ({"status": "canceled"}, []),
        ({"destination": "webhook"}, ["Orders (2)"]),
        ({"destination": "slack"}, ["Daily Slack update"]),
        ({"contentType": "single tile"}, ["⚡️🍣 Query"]),
        ({"scheduleType": "alert"}, []),
        ({"scheduleType": "schedule", "destination": "webhook"}, ["Orders (2)"]),
        ({"identifier": "12db1a0a"}, ["Orders (2)", "Orders"]),
        ({"ownerId": BLOB_ROSS}, ["Web Traffic Analysis", "Orders"]),
        ({"ownerId": BLOB_ROSS.upper(), "destination": "email"}, ["Web Traffic Analysis", "Orders"]),
        ({"q": "blob ross", "status": "success", "destination": "email"}, ["Web Traffic Analysis", "Orders"]),
        ({"q": ""}, [r["name"] for r in DOCS_RECORDS]),
    ],
)
def test_filters(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    assert names(client, **params) == expected


def test_schedule_type_alert_and_embed_entity(client: TestClient) -> None:
    client.post(
        "/_sandbox/omni/schedules", json={"name": "Alerting", "alert": {"conditionType": "RESULTS_PRESENT"}}
    )
    client.post("/_sandbox/omni/schedules", json={"name": "Embedded", "embedEntity": "customer-42"})
    assert names(client, scheduleType="alert") == ["Alerting"]
    assert "Alerting" not in names(client, scheduleType="schedule")
    assert names(client, embedEntity="customer-42") == ["Embedded"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"sortDirection": "asc"},
            [
                "Daily Slack update",
                "External users",
                "Orders",
                "Orders (2)",
                "⚡️🍣 Query",
                "Web Traffic Analysis",
            ],
        ),
        (
            {"sortField": "dashboardName", "sortDirection": "asc"},
            [
                "⚡️🍣 Query",
                "Orders",
                "Orders (2)",
                "Daily Slack update",
                "External users",
                "Web Traffic Analysis",
            ],
        ),
        (
            {"sortField": "ownerName", "sortDirection": "asc"},
            [
                "Orders",
                "Web Traffic Analysis",
                "Daily Slack update",
                "External users",
                "Orders (2)",
                "⚡️🍣 Query",
            ],
        ),
        (
            {"sortField": "lastRun"},
            [
                "⚡️🍣 Query",
                "Orders (2)",
                "Orders",
                "External users",
                "Web Traffic Analysis",
                "Daily Slack update",
            ],
        ),
        (
            {"sortField": "lastRun", "sortDirection": "asc"},
            [
                "Web Traffic Analysis",
                "External users",
                "Orders",
                "Orders (2)",
                "⚡️🍣 Query",
                "Daily Slack update",
            ],
        ),
        (
            {"sortField": "lastRunStatus", "sortDirection": "asc"},
            [
                "External users",
                "Orders",
                "Orders (2)",
                "Web Traffic Analysis",
                "⚡️🍣 Query",
                "Daily Slack update",
            ],
        ),
    ],
)
def test_sorting(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    assert names(client, **params) == expected


def test_pagination_walks_250_seeded_schedules_in_pages_of_100(client: TestClient) -> None:
    for i in range(250):
        response = client.post(
            "/_sandbox/omni/schedules", json={"name": f"Bulk {i:03d}", "dashboardName": "Bulk"}
        )
        assert response.status_code == 201
    seen: list[str] = []
    pages: list[tuple[int, bool, str | None, int]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"pageSize": 100, "q": "bulk"}
        if cursor is not None:
            params["cursor"] = cursor
        body = client.get(LIST, headers=HEADERS, params=params).json()
        info = body["pageInfo"]
        pages.append((len(body["records"]), info["hasNextPage"], info["nextCursor"], info["totalRecords"]))
        seen += [r["id"] for r in body["records"]]
        cursor = info["nextCursor"]
        if not info["hasNextPage"]:
            break
    assert pages == [(100, True, "2", 250), (100, True, "3", 250), (50, False, None, 250)]
    assert len(set(seen)) == 250
    whole = client.get(LIST, headers=HEADERS, params={"pageSize": 100, "cursor": 3}).json()
    assert (len(whole["records"]), whole["pageInfo"]["totalRecords"]) == (56, 256)
    response = client.get(LIST, headers=HEADERS, params={"pageSize": 100, "cursor": 4})
    assert response.json() == {"detail": "Invalid page number. The last valid page is 3.", "status": 400}


def test_page_size_and_cursor_defaults(client: TestClient) -> None:
    body = client.get(LIST, headers=HEADERS, params={"pageSize": 4}).json()
    assert body["pageInfo"] == {"hasNextPage": True, "nextCursor": "2", "pageSize": 4, "totalRecords": 6}
    second = client.get(LIST, headers=HEADERS, params={"pageSize": 4, "cursor": "2"}).json()
    assert [r["name"] for r in body["records"] + second["records"]] == [r["name"] for r in DOCS_RECORDS]
    assert client.get(LIST, headers=HEADERS, params={"pageSize": 100}).json()["pageInfo"]["pageSize"] == 100


# --- every documented error row ----------------------------------------------------

LIST_ERRORS = [
    ("status enum", {"status": "COMPLETE"}, 400, "Invalid enum value"),
    ("destination enum", {"destination": "teams"}, 400, "Invalid enum value"),
    ("scheduleType enum", {"scheduleType": "report"}, 400, "Invalid enum value"),
    ("contentType enum", {"contentType": "workbook"}, 400, "Invalid enum value"),
    ("sortField enum", {"sortField": "name"}, 400, "Invalid enum value"),
    ("sortDirection enum", {"sortDirection": "up"}, 400, "Invalid enum value"),
    ("ownerId uuid", {"ownerId": "blob-ross"}, 400, "ownerId: Invalid uuid"),
    ("page size", {"pageSize": "101"}, 400, "Page size cannot exceed 100"),
    ("cursor past the end", {"cursor": "2"}, 400, "Invalid page number. The last valid page is 1."),
    ("cursor zero", {"cursor": "0", "pageSize": "2"}, 400, "Invalid page number. The last valid page is 3."),
    ("cursor not a number", {"cursor": "abc"}, 400, "Invalid page number. The last valid page is 1."),
    (
        "unknown owner",
        {"ownerId": "00000000-0000-4000-8000-000000000000"},
        404,
        "User with id 00000000-0000-4000-8000-000000000000 does not exist",
    ),
]
# Not in the docs (zod's wording): the emulator's own answers, which strict mode does not let through.
LIST_UNDOCUMENTED = [
    ("page size nan", {"pageSize": "ten"}, 400, "pageSize: Expected number, received nan"),
    ("page size zero", {"pageSize": "0"}, 400, "pageSize: Number must be greater than or equal to 1"),
]


@pytest.mark.parametrize(
    ("params", "status", "detail"), [row[1:] for row in LIST_ERRORS], ids=[row[0] for row in LIST_ERRORS]
)
def test_documented_list_errors(client: TestClient, params: dict[str, str], status: int, detail: str) -> None:
    response = client.get(LIST, headers=HEADERS, params=params)
    assert (response.status_code, response.json()) == (status, {"detail": detail, "status": status})


@pytest.mark.lenient  # no documented row: the emulator's own answer
@pytest.mark.parametrize(
    ("params", "status", "detail"),
    [row[1:] for row in LIST_UNDOCUMENTED],
    ids=[row[0] for row in LIST_UNDOCUMENTED],
)
def test_undocumented_list_errors(
    client: TestClient, params: dict[str, str], status: int, detail: str
) -> None:
    response = client.get(LIST, headers=HEADERS, params=params)
    assert (response.status_code, response.json()) == (status, {"detail": detail, "status": status})


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "sandbox-omni"},
        {"Authorization": "Basic sandbox-omni"},
    ],
)
def test_list_needs_the_bearer_token(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(LIST, headers=headers)
    assert (response.status_code, response.json()) == (
        401,
        {"detail": "Unauthorized: Missing or invalid API key", "status": 401},
    )


def test_bearer_scheme_is_case_insensitive(client: TestClient) -> None:
    assert client.get(LIST, headers={"Authorization": "bearer sandbox-omni"}).status_code == 200
