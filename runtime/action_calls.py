"""Three costs of Rasa's calls to the action server, removed without changing what Rasa does.

Both were found by profiling the server under load (README "Performance"):
1. Rasa validates each reply of the action server against its response schema, whose
   event list is a `oneOf` over 23 event types: jsonschema tries every type for every
   event, ~7% of a turn. Each event type's branch starts with `event: {const: <type>}`,
   so only the branches of the event's own type can match; `ActionReplyValidator` checks
   those and, when a reply fails, runs Rasa's full validation for Rasa's own error.
   The verdict is always the full schema's.
2. Rasa opens a new HTTP client session, and so a new TCP connection, for every action
   call (~5% of a turn). Here each endpoint keeps one session with keep-alive
   connections, closed after 2 s idle: less than the action server's own 5 s keep-alive,
   so the client never reuses a connection the server is closing.
3. Rasa sends the conversation's whole event list with every call: each event turned into
   a dict, the list encoded to JSON, then parsed and rebuilt by the action server. The
   actions read the slots and the latest message only (actions/dialogue.py), so a call
   carries the current turn's events: from the latest user message on.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from jsonschema import ValidationError
from jsonschema.validators import validator_for

CLIENT_KEEPALIVE_SECONDS = 2.0


class ActionReplyValidator:
    """Rasa's action reply schema, checked event by event against its own type's branch."""

    def __init__(self, schema: dict[str, Any]) -> None:
        validator_class = validator_for(schema)
        self._full = validator_class(schema)
        self._outer: Any | None = None
        self._per_event_type: dict[str, Any] = {}
        try:
            events = schema["properties"]["events"]
            items = events["items"]
            branches: dict[str, list] = {}
            for branch in items["oneOf"]:
                branches.setdefault(branch["properties"]["event"]["const"], []).append(branch)
        except (KeyError, TypeError):
            return  # a schema of another shape: only the full validation runs
        item_without_branches = {key: value for key, value in items.items() if key != "oneOf"}
        self._per_event_type = {
            event_type: validator_class({**item_without_branches, "oneOf": type_branches})
            for event_type, type_branches in branches.items()
        }
        events_without_items = {key: value for key, value in events.items() if key != "items"}
        self._outer = validator_class(
            {**schema, "properties": {**schema["properties"], "events": events_without_items}}
        )

    def validate(self, reply: Any) -> None:
        """Raises jsonschema's ValidationError, as Rasa's validation does, for an invalid reply."""
        if not self._passes_by_event_type(reply):
            self._full.validate(reply)

    def _passes_by_event_type(self, reply: Any) -> bool:
        if self._outer is None or not self._outer.is_valid(reply):
            return False
        for event in reply.get("events") or []:
            validator = self._per_event_type.get(event.get("event")) if isinstance(event, dict) else None
            if validator is None or not validator.is_valid(event):
                return False
        return True


def validate_action_replies_by_event_type() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    validators: dict[type, ActionReplyValidator] = {}

    def validate(self: RemoteAction, result: dict[str, Any]) -> bool:
        validator = validators.get(type(self))
        if validator is None:
            validator = validators[type(self)] = ActionReplyValidator(self.action_response_format_spec())
        try:
            validator.validate(result)
        except ValidationError as error:
            error.message += (
                ". Failed to validate Action server response from API, make sure your response "
                f"from the Action endpoint is valid. For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise
        return True

    RemoteAction._validate_action_result = validate


class _BorrowedSession:
    """`async with` hands out the endpoint's session and leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_: Any) -> None:
        return None


def kept_open_endpoint_class() -> type:
    """`EndpointConfig` for the action server, with one session kept open per event loop.

    A subclass, so only the action endpoint changes: the model server, NLG or any other
    endpoint keeps Rasa's session per request. Built on first use so that importing this
    module does not import Rasa.
    """
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    class KeptOpenActionEndpoint(EndpointConfig):
        @classmethod
        def from_endpoint(cls, endpoint: EndpointConfig) -> KeptOpenActionEndpoint:
            kept = cls(
                endpoint.url,
                endpoint.params,
                endpoint.headers,
                endpoint.basic_auth,
                endpoint.token,
                endpoint.token_name,
                endpoint.cafile,
                **endpoint.kwargs,
            )
            kept.type = endpoint.type
            return kept

        def session(self) -> _BorrowedSession:  # type: ignore[override]
            shared: aiohttp.ClientSession | None = self.__dict__.get("_shared_session")
            loop = asyncio.get_running_loop()
            if shared is None or shared.closed or self.__dict__.get("_shared_session_loop") is not loop:
                auth = (
                    aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
                    if self.basic_auth
                    else None
                )
                shared = aiohttp.ClientSession(
                    headers=self.headers,
                    auth=auth,
                    timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                    connector=aiohttp.TCPConnector(keepalive_timeout=CLIENT_KEEPALIVE_SECONDS),
                )
                self.__dict__["_shared_session"], self.__dict__["_shared_session_loop"] = shared, loop
            return _BorrowedSession(shared)

        async def close(self) -> None:
            """Closes the kept session (the server is stopping)."""
            shared: aiohttp.ClientSession | None = self.__dict__.pop("_shared_session", None)
            if shared is not None and not shared.closed:
                await shared.close()

        def copy(self) -> KeptOpenActionEndpoint:
            return KeptOpenActionEndpoint.from_endpoint(self)

    return KeptOpenActionEndpoint


def keep_action_server_connections() -> None:
    """The action endpoint read from endpoints.yml keeps its connections open, and the
    session is closed when the server stops (Rasa's own shutdown listener, extended)."""
    import rasa.core.run
    from rasa.core.utils import AvailableEndpoints

    kept_open = kept_open_endpoint_class()
    read_endpoints = AvailableEndpoints.read_endpoints.__func__  # type: ignore[attr-defined]

    def read_with_kept_open_action_endpoint(cls: type, endpoint_file: str) -> Any:
        endpoints = read_endpoints(cls, endpoint_file)
        if endpoints.action is not None:
            endpoints.action = kept_open.from_endpoint(endpoints.action)
        return endpoints

    close_resources = rasa.core.run.close_resources

    async def close_resources_and_action_session(app: Any, loop: Any) -> None:
        await close_resources(app, loop)
        endpoint = getattr(getattr(app.ctx, "agent", None), "action_endpoint", None)
        if isinstance(endpoint, kept_open):
            await endpoint.close()

    AvailableEndpoints.read_endpoints = classmethod(read_with_kept_open_action_endpoint)  # type: ignore[assignment]
    rasa.core.run.close_resources = close_resources_and_action_session


def current_turn(events: list[Any]) -> list[Any]:
    """The events from the latest user message on (all of them when there is none)."""
    from rasa.shared.core.events import UserUttered

    for position in range(len(events) - 1, -1, -1):
        if isinstance(events[position], UserUttered):
            return events[position:]
    return events


def send_the_current_turn_only() -> None:
    """An action call's tracker has the slots, the latest message and the current turn's
    events; everything else in Rasa's call format is unchanged."""
    import rasa
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.trackers import EventVerbosity

    def action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> dict[str, Any]:
        state = tracker.current_state(EventVerbosity.NONE)
        state["events"] = [event.as_dict() for event in current_turn(list(tracker.events))]
        call = {
            "next_action": self._name,
            "sender_id": tracker.sender_id,
            "tracker": state,
            "version": rasa.__version__,
        }
        if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(
            self.name()
        ):
            call["domain"] = domain.as_dict()
        return call

    RemoteAction._action_call_format = action_call_format
