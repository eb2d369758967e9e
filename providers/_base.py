"""The generic dynamic provider: each API's provider supplies only its model and its API calls.

What the base does for every resource:

- ``check``: validates the inputs with the resource's pydantic model and turns each
  ``ValidationError`` entry into a ``CheckFailure`` naming the field path (so bad input
  fails at ``pulumi preview``, never with a traceback), then returns the *normalised*
  inputs (normalised the way the API stores them, so that an ``up`` is followed by a
  preview with no changes). Values still unknown at preview time are not judged.
- ``diff``: compares normalised inputs field by field; replacement for the fields whose
  ``Behaviour`` says so (``replaces``, ``replaces_when_removed``).
- Field behaviour is declared once on the inputs model, as ``Annotated[..., Behaviour(...)]``
  markers read by ``check``, ``diff``, ``read`` and ``update`` here: replaces-on-change,
  replaces-when-removed, cleared-when-removed (``providers._fields.cleared_on_removal``), not managed when
  left out (``optional``: the API's value is dropped on read), kept from state when the API does
  not answer it (``kept_when_unread``), known only to the state (``state_only``).
  Normalisation is the model's own validators.
- ``configure``: keeps the stack configuration; the provider's ``settings_type`` (the API's
  ``settings.py``) resolves ``<api>:<key>`` with environment-variable fallbacks from it
  (providers._settings). Nothing read there is ever stored in the pickled provider or in state.
  ``check`` builds the client once, so a missing credential or a URL that is neither ``https``
  nor loopback (``providers._settings.api_url_setting``) fails ``pulumi preview`` naming the
  config key and the environment variable, before any call.
- ``create``: when the API's answer is lost (timeout, dropped connection, 5xx) the outcome
  is unknown, so the provider's ``find_created`` looks the object up before anything is
  created again. Only when the look-up finds nothing *and* the server is done with the
  request (it answered 500/503 or closed the connection — not a timeout, nor a gateway's
  502/504) is the create sent again, at most ``CREATE_ATTEMPTS`` times in all. Ids that
  creates of this process already own are never the answer of a look-up, so two alike
  objects created side by side cannot both claim one of them.
- A key the API keeps unique (``unique_key``: an Opsgenie schedule's name) is how
  ``find_created`` knows its object, so an object that already held the key before the create
  was sent must never be taken for it. ``check`` of a new resource looks the key up: taken,
  it fails naming the field (import the object, or choose another value); free, it records
  ``UNIQUE_KEY_FREE`` in the inputs, which the pending create keeps. ``create`` looks the
  key up itself when ``check`` could not (value unknown at preview, API unreachable), before
  anything is sent. ``find_created`` adopts by the key only after such a look-up
  (``LostCreate.key_was_free``), and otherwise raises :class:`CannotTell`.
- ``read``: maps the live object back to inputs and outputs, so ``pulumi refresh`` sees
  drift and a deletion made outside Pulumi.
- Import: dynamic resources cannot go through the engine's import step (pulumi/pulumi#16175:
  the engine calls Read without the serialised provider). The resource classes therefore
  turn ``ResourceOptions(import_=ID)`` into an ``__import_id`` input, and ``create``
  *adopts* that existing object — it reads it, then updates it to match the program —
  instead of creating a new one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Generic, ParamSpec, TypeVar

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown
from pydantic import BaseModel, ValidationError

from providers._fields import declared, is_empty
from providers._http import ApiError, NotFoundError
from providers._settings import ApiSettings, ConfigError, Lookup, rate_limit, stack_lookup
from providers._throttle import RateLimit

__all__ = [
    "CREATE_ATTEMPTS",
    "IMPORT_KEY",
    "UNIQUE_KEY_FREE",
    "UNKNOWN",
    "CannotTell",
    "ConfigError",
    "LostCreate",
    "ProviderBase",
    "field_path",
    "is_unknown",
    "unknown_paths",
    "unless_gone",
]

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the SDK's marker for a value unknown during preview
IMPORT_KEY = "__import_id"
UNIQUE_KEY_FREE = "__unique_key_free"
"""Input set by ``check``: no object held the resource's ``unique_key`` just before its create."""

InputsT = TypeVar("InputsT", bound=BaseModel)
ClientT = TypeVar("ClientT")
P = ParamSpec("P")
R = TypeVar("R")
Live = tuple[dict[str, Any], dict[str, Any]]
"""A live object as ``(inputs, computed outputs)``."""

_CLIENT_LOCK = threading.Lock()

CREATE_ATTEMPTS = 3
"""Creates sent in all when each earlier one is known to have made nothing (see the module docstring)."""
CLOCK_SKEW = timedelta(minutes=5)
"""How far the API's clock may be behind ours when a look-up compares creation times."""

_CLAIMED: dict[str, set[str]] = {}
_CLAIMED_LOCK = threading.Lock()


@dataclass(frozen=True)
class LostCreate:
    """What a look-up for the object of a lost create (``find_created``) may rely on."""

    since: datetime
    """The create was sent after this moment (aware, with room for clock skew)."""
    taken: frozenset[str] = field(default_factory=frozenset)
    """Ids owned by other resources: never the object this create made."""
    key_was_free: bool = False
    """A look-up just before the create was sent found no object holding its ``unique_key``:
    an object holding it now was made after (see the module docstring)."""


def claim(api: str, id_: str) -> None:
    """Record that a resource of this process owns ``id_`` (a later look-up must not return it)."""
    with _CLAIMED_LOCK:
        _CLAIMED.setdefault(api, set()).add(id_)


def claimed(api: str) -> frozenset[str]:
    """The ids of ``api`` that resources of this process own."""
    with _CLAIMED_LOCK:
        return frozenset(_CLAIMED.get(api, ()))


class CannotTell(Exception):
    """``find_created`` found an object that may have existed before the create was sent."""

    def __init__(self, what: str, id_: str, key: str) -> None:
        super().__init__(
            f"{what} exists (id {id_}), but nothing shows that it did not exist before this create was "
            f"sent: if this create made it, adopt it with import_='{id_}'; otherwise choose another {key}"
        )


def field_path(loc: Iterable[int | str]) -> str:
    """Pydantic's ``("rotations", 0, "name")`` as Pulumi's ``rotations[0].name``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def unknown_paths(value: Any, path: tuple[int | str, ...] = ()) -> list[tuple[int | str, ...]]:
    """The paths of the values inside ``value`` that are unknown at preview (``[()]``: all of it).

    The dynamic-provider server hands check() a value unknown at preview (e.g. another
    resource's id) as ``pulumi.output.Unknown`` (rpc.deserialize_property with keep_unknowns),
    or as an Output for an output value; :data:`UNKNOWN` is its wire form (also what the
    policy pack and the definitions loader see).
    """
    if isinstance(value, Unknown | pulumi.Output) or (isinstance(value, str) and value == UNKNOWN):
        return [path]
    if isinstance(value, Mapping):
        return [p for k, v in value.items() for p in unknown_paths(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in unknown_paths(v, (*path, i))]
    return []


def is_unknown(value: Any) -> bool:
    """Whether ``value`` is, or holds, a value not known yet at preview: nothing to judge in it yet."""
    return bool(unknown_paths(value))


class ProviderBase(ResourceProvider, Generic[InputsT, ClientT]):
    """Base of every provider in this package; see the module docstring for what it handles."""

    serialize_as_secret_always = False  # providers capture no secret; keeps state small and plain

    api: ClassVar[str]
    """The API's name, used in messages and as the config namespace (``opsgenie:apiKey``)."""
    inputs_model: ClassVar[type[BaseModel]]
    """The pydantic model of the resource's inputs (snake_case, the Python argument names)."""
    settings_type: ClassVar[type[ApiSettings[Any]]]
    """The API's settings object (its ``settings.py``): what :meth:`make_client` resolves."""
    output_keys: ClassVar[frozenset[str]] = frozenset()
    """Computed outputs; the resource passes them as None so Pulumi registers them."""
    delete_before_replace: ClassVar[bool] = False
    unique_key: ClassVar[str | None] = None
    """The input the API keeps unique and ``find_created`` finds the object by (see the module docstring)."""

    # ---- to implement per API -----------------------------------------------------------
    def make_client(self) -> ClientT:
        """The API client of the provider's settings (built once per process)."""
        client: ClientT = self.settings_type.resolve(self.settings_lookup()).client(self.rate_limit())
        return client

    def create_remote(self, client: ClientT, inputs: InputsT) -> tuple[str, dict[str, Any]]:
        """Create the object; return its id and computed outputs."""
        raise NotImplementedError

    def find_created(
        self, client: ClientT, inputs: InputsT, lost: LostCreate
    ) -> tuple[str, dict[str, Any]] | None:
        """After a create whose answer was lost: the object it made, if any (default: none).

        Also what ``python -m stacks recover`` asks for each create an interrupted
        ``pulumi up`` left pending (through :meth:`look_for_created`). Never an id in
        ``lost.taken``; a :class:`NotFoundError` raised here means none.
        """
        return None

    def look_for_created(
        self, client: ClientT, inputs: InputsT, lost: LostCreate
    ) -> tuple[str, dict[str, Any]] | None:
        """:meth:`find_created`, a 404 read as "it made nothing"."""
        return unless_gone(self.find_created, client, inputs, lost)

    def key_holder(self, client: ClientT, inputs: InputsT) -> str | None:
        """With a ``unique_key``: the id of the object that holds the inputs' key now, or None
        (a :class:`NotFoundError` raised here means None)."""
        raise NotImplementedError

    def read_remote(self, client: ClientT, id_: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The live object as ``(inputs, computed outputs)``, or None when it no longer exists
        (a :class:`NotFoundError` raised here means the same: the base reads it as gone)."""
        raise NotImplementedError

    def update_remote(self, client: ClientT, id_: str, old: InputsT, new: InputsT) -> dict[str, Any] | None:
        """Apply ``new``; return the computed outputs (None: the state's outputs still hold)."""
        raise NotImplementedError

    def delete_remote(self, client: ClientT, id_: str, inputs: InputsT) -> None:
        """Delete the object (a 404 is treated as already deleted by the base)."""
        raise NotImplementedError

    def resolve_import(self, client: ClientT, import_id: str) -> str:
        """The object's id for the ``import_`` value given (default: the value itself).

        Lets an API whose objects also have unique names accept a name for ``import_``.
        """
        return import_id

    def validation_context(self) -> dict[str, Any] | None:
        """The pydantic validation context ``check`` validates the program's inputs with (default: none)."""
        return None

    def check_live(
        self, inputs: InputsT, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> list[CheckFailure]:
        """What the API would refuse of inputs that are valid and known (default: nothing; no call).

        ``olds`` are the inputs in state (empty for a new resource), ``news`` the raw inputs.
        """
        return []

    def read_live(self, id_: str, state: Mapping[str, Any]) -> Live | None:
        """Refresh's read of the live object, given the state's inputs and outputs (default:
        :meth:`read_remote`; a 404 is read as gone by the base)."""
        return self.read_remote(self.client(), id_)

    def read_adopted(self, client: ClientT, id_: str, inputs: InputsT) -> Live | None:
        """Import's read of the object to adopt, given the program's inputs (default:
        :meth:`read_remote`; a 404 is read as gone by the base)."""
        return self.read_remote(client, id_)

    def align(self, live: Live, reference: Mapping[str, Any]) -> Live:
        """The live ``(inputs, outputs)`` put in the terms of ``reference`` (default: unchanged).

        ``reference`` holds the inputs in state (refresh, with the state's outputs) or in the
        program (import). An API that answers more than it was told (an entity by id *and* name)
        can keep what the program manages, so the diff stays stable. Runs after the declared
        behaviours (:meth:`align_live`).
        """
        return live

    def align_live(self, live: Live, reference: Mapping[str, Any]) -> Live:
        """The declared behaviours, then :meth:`align`: ``optional`` fields left out of ``reference``
        are dropped; ``kept_when_unread`` ones the API does not show are taken from ``reference``."""
        inputs = dict(live[0])
        for name in declared(self.inputs_model, "optional"):
            if reference.get(name) is None:
                inputs.pop(name, None)
        for name in declared(self.inputs_model, "kept_when_unread"):
            if inputs.get(name) is None and reference.get(name) is not None:
                inputs[name] = reference[name]
        return self.align((inputs, live[1]), reference)

    # ---- configuration ------------------------------------------------------------------
    def configure(self, req: ConfigureRequest) -> None:
        """Keep the stack configuration for :meth:`settings_lookup` (runs once per provider process)."""
        self._config = req.config

    def settings_lookup(self) -> Lookup:
        """Reads ``<api>:<key>`` from the stack configuration, else the environment (providers._settings)."""
        return stack_lookup(self.api, getattr(self, "_config", None))

    def rate_limit(self) -> RateLimit:
        """``<api>:maxRequestsPerMinute`` and ``<api>:rateLimitWaitSeconds`` (providers._throttle)."""
        return rate_limit(self.api, self.settings_lookup())

    def settings_failures(self) -> list[CheckFailure]:
        """The provider's settings as preview failures: building the client makes no call, but
        reads every required setting (a missing credential, a URL that is not https)."""
        try:
            self.client()
        except ConfigError as exc:
            return [CheckFailure("", str(exc))]
        return []

    def client(self) -> ClientT:
        """The process's API client for this provider (built on first use, thread-safe)."""
        existing: ClientT | None = getattr(self, "_client", None)
        if existing is not None:
            return existing
        with _CLIENT_LOCK:
            if getattr(self, "_client", None) is None:
                self._client = self.make_client()
        return self._client

    # ---- inputs -------------------------------------------------------------------------
    def user_inputs(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """The resource's own inputs: without ``__provider``-style keys and computed outputs."""
        return {k: v for k, v in props.items() if not k.startswith("__") and k not in self.output_keys}

    def parse(self, props: Mapping[str, Any]) -> InputsT:
        """Validated inputs (after ``check``, so this only fails on a provider bug)."""
        return self.inputs_model.model_validate(self.user_inputs(props))  # type: ignore[return-value]

    def dump(self, inputs: BaseModel) -> dict[str, Any]:
        """Normalised inputs as stored in state."""
        return inputs.model_dump(mode="json", exclude_none=True)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate and normalise the inputs; one failure per bad field, none for unknown values.

        The provider's own settings are judged first: a preview must not pass when the
        ``up`` would fail for want of a credential.
        """
        settings = self.settings_failures()
        raw = self.user_inputs(news)
        unknown = unknown_paths(raw)
        try:
            model = self.inputs_model.model_validate(raw, context=self.validation_context())
        except ValidationError as exc:
            failures = [
                CheckFailure(field_path(err["loc"]) or "(resource)", err["msg"].removeprefix("Value error, "))
                for err in exc.errors()
                if not unknown or not _under_unknown(tuple(err["loc"]), unknown)
            ]
            return CheckResult(news, settings + failures)
        if unknown or settings:
            return CheckResult(news, settings)  # inputs judged again at `up`, when they are known
        live_failures = self.check_live(model, olds, news)  # type: ignore[arg-type]
        if live_failures:
            return CheckResult(news, live_failures)
        extra = {k: v for k, v in news.items() if k.startswith("__") or k in self.output_keys}
        extra.pop(UNIQUE_KEY_FREE, None)
        if self.unique_key and not olds and not news.get(IMPORT_KEY):  # a new resource
            try:
                holder = unless_gone(self.key_holder, self.client(), model)  # type: ignore[arg-type]
            except ApiError:
                holder = None  # cannot tell now: create looks again before sending anything
            else:
                if holder is not None:
                    return CheckResult(news, [CheckFailure(self.unique_key, self.key_taken(model, holder))])
                extra[UNIQUE_KEY_FREE] = True
        return CheckResult({**self.dump(model), **extra}, [])

    def key_taken(self, inputs: BaseModel, holder: str) -> str:
        """The message for a ``unique_key`` another object already holds."""
        key = str(self.unique_key)
        return (
            f"{self.api} already has an object with {key} '{getattr(inputs, key)}' (id {holder}) that this "
            f"stack does not manage: to manage it, adopt it with the import_ resource option "
            f"(import_='{holder}'); otherwise choose another {key}"
        )

    # ---- lifecycle ----------------------------------------------------------------------
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """The input fields whose normalised values differ."""
        fields = set(self.inputs_model.model_fields)
        old = {k: v for k, v in olds.items() if k in fields}
        new = {k: v for k, v in self.user_inputs(news).items() if k in fields}
        changed = sorted(k for k in fields if old.get(k) != new.get(k))
        replaces = declared(self.inputs_model, "replaces") | {
            k
            for k in declared(self.inputs_model, "replaces_when_removed")
            if not is_empty(old.get(k)) and is_empty(new.get(k))
        }
        return DiffResult(
            changes=bool(changed),
            replaces=[k for k in changed if k in replaces],
            stables=sorted(fields - set(changed)),
            delete_before_replace=self.delete_before_replace,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Create — or adopt the object named by ``import_`` — and return its id and outputs."""
        inputs = self.parse(props)
        client = self.client()
        import_id = props.get(IMPORT_KEY)
        if import_id:
            with advised(f"no {self.api} object is '{import_id}': check the import_ resource option"):
                result = self._adopt(client, str(import_id), inputs)
        else:
            with advised(GONE_REFERENCE):
                id_, computed = self._create_or_find(client, inputs, bool(props.get(UNIQUE_KEY_FREE)))
            result = CreateResult(id_, {**self.dump(inputs), **computed})
        claim(self.api, str(result.id))
        return result

    def _create_or_find(self, client: ClientT, inputs: InputsT, key_free: bool) -> tuple[str, dict[str, Any]]:
        """``create_remote``; after a lost answer, the object it made, or (if it made none) again."""
        if self.unique_key and not key_free:
            holder = unless_gone(self.key_holder, client, inputs)  # check could not look: look before sending
            if holder is not None:
                raise ApiError(
                    self.api,
                    "create",
                    str(getattr(inputs, self.unique_key)),
                    409,
                    self.key_taken(inputs, holder),
                )
            key_free = True
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            started = datetime.now(UTC)
            try:
                return self.create_remote(client, inputs)
            except ApiError as exc:
                if not exc.ambiguous:
                    raise
                lost = LostCreate(started - CLOCK_SKEW, claimed(self.api), key_was_free=key_free)
                found = self.look_for_created(client, inputs, lost)
                if found is not None:
                    pulumi.log.info(f"{self.api}: a create's answer was lost; found what it made: {found[0]}")
                    return found
                if not exc.settled or attempt == CREATE_ATTEMPTS:
                    raise
                pulumi.log.info(f"{self.api}: a create failed ({exc.message}), making nothing; sent again")
        raise AssertionError("unreachable")

    def _adopt(self, client: ClientT, id_: str, inputs: InputsT) -> CreateResult:
        id_ = self.resolve_import(client, id_)
        live = unless_gone(self.read_adopted, client, id_, inputs)
        if live is None:
            raise ApiError(self.api, "import", id_, 404, f"cannot import '{id_}': it does not exist")
        live_inputs, computed = self.align_live(live, self.dump(inputs))
        current = self.inputs_model.model_validate(live_inputs)
        if self.dump(current) != self.dump(inputs):
            updated = self.update_remote(client, id_, current, inputs)  # type: ignore[arg-type]
            computed = computed if updated is None else updated
        return CreateResult(id_, {**self.dump(inputs), **computed})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Refresh: the live object's inputs and outputs; an empty id when it was deleted."""
        state = {k: v for k, v in props.items() if not k.startswith("__")}
        with advised(""):
            live = unless_gone(self.read_live, id_, state)
        if live is None:
            return ReadResult("", {})
        kept = {k: state[k] for k in declared(self.inputs_model, "state_only") if state.get(k) is not None}
        inputs, computed = self.align_live(({**live[0], **kept}, live[1]), state)
        normalised = self.dump(self.inputs_model.model_validate(inputs))
        extra = {k: v for k, v in props.items() if k == IMPORT_KEY}
        return ReadResult(id_, {**normalised, **computed, **extra}, inputs={**normalised, **extra})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Apply the new inputs; return them with the computed outputs."""
        fields = self.inputs_model.model_fields
        old = self.inputs_model.model_validate({k: v for k, v in olds.items() if k in fields})
        new = self.parse(news)
        with advised(GONE_UPDATED):
            computed = self.update_remote(self.client(), id_, old, new)  # type: ignore[arg-type]
        if computed is None:
            computed = {k: olds.get(k) for k in self.output_keys}
        return UpdateResult({**self.dump(new), **computed})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Delete; an object already gone counts as deleted."""
        try:
            with advised(""):
                self.delete_remote(self.client(), id_, self.parse(props))
        except NotFoundError:
            pulumi.log.info(f"{self.api}: {id_} was already deleted")


GONE_UPDATED = (
    "it was deleted outside Pulumi: run `pulumi up --refresh` (or `pulumi refresh`, then `pulumi up`) "
    "to create it again"
)
GONE_REFERENCE = (
    "something it names does not exist: an object deleted outside Pulumi (`pulumi up --refresh` "
    "brings the stack up to date), or a wrong id in its arguments or the stack config"
)


@contextmanager
def advised(gone: str) -> Iterator[None]:
    """An :class:`ApiError` of the block says what to do (``gone``: for a 404) after its message:
    the engine shows provider errors as one line, which should also name the way out."""
    try:
        yield
    except ApiError as exc:
        exc.advised_by(gone)
        raise


def unless_gone(call: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R | None:
    """``call(*args, **kwargs)``, or None when the API answers 404: the one place "gone" is read.

    Refresh, import and the look-ups of ``check`` and ``create`` read a 404 as "no such object";
    ``delete`` as "already deleted" (:meth:`ProviderBase.delete`). Providers let it through.
    """
    try:
        return call(*args, **kwargs)
    except NotFoundError:
        return None


def _under_unknown(loc: tuple[int | str, ...], unknown: list[tuple[int | str, ...]]) -> bool:
    """Whether an error location is an unknown value, inside one, or a whole-object check."""
    if not loc:
        return True
    return any(loc[: len(u)] == u or u[: len(loc)] == loc for u in unknown)
