"""batch/v1 Job and CronJob: their v1 defaults, the Job strategy's selector generation, and
their create validation as ``pkg/apis/batch/validation/validation.go`` of v1.35 words it
(private)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import attrs

from podmodel.apiserver._cron_rules import parse_schedule, time_zone_problems
from podmodel.apiserver._names import (
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
)
from podmodel.apiserver._rules import NEGATIVE_MSG, Errors
from podmodel.apiserver._template_rules import (
    as_selector,
    labels_json,
    omitted,
    selector_json,
    selector_rules,
    template_spec,
)
from podmodel.errors import ErrorType, FieldError, FieldPath, GoStruct, go_quote
from podmodel.model._frozen import FrozenMap
from podmodel.model.workloads import LabelSelector

if TYPE_CHECKING:
    from podmodel.model.workloads import CronJob, Job, JobSpec

__all__ = [
    "JOB_UID",
    "cron_job_defaults",
    "cron_job_spec",
    "job_defaults",
    "job_spec",
    "prepare_job",
]

#: The stand-in for the UID the server gives a new Job (its selector and labels name it).
JOB_UID = "00000000-0000-0000-0000-000000000000"
_SPEC = FieldPath(("spec",))
_ACTIONS = ("Count", "FailIndex", "FailJob", "Ignore")
_OPERATORS = ("In", "NotIn")
_STATUSES = ("False", "True", "Unknown")
_REPLACEMENT = ("Failed", "TerminatingOrFailed")
_MAX_INDEXED_PARALLELISM = 100_000
_MAX_FAILED_INDEXES = 100_000
_MAX_RULES = 20
_MAX_EXIT_CODES = 255
_MAX_CONDITIONS = 20
_COMPLETIONS_SOFT_LIMIT = 100_000
_HIGH_COMPLETIONS_LIMIT = 10_000
_MAX_MANAGED_BY = 63
_MAX_SUCCEEDED_INDEXES = 64 * 1024
_HTTP_PATH = re.compile(r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+")
_GO_ATOI = re.compile(r"[+-]?[0-9]+")
_CONCURRENCY = ("Allow", "Forbid", "Replace")
_LABELS = (
    ("batch.kubernetes.io/controller-uid", "controller-uid"),
    ("batch.kubernetes.io/job-name", "job-name"),
)


def _q(values: tuple[str, ...]) -> str:
    """Go's ``%q`` of a ``[]string``."""
    return "[" + " ".join(f'"{v}"' for v in values) + "]"


def job_defaults(spec: JobSpec) -> JobSpec:
    """``SetDefaults_Job`` (for the spec)."""
    completions, parallelism = spec.completions, spec.parallelism
    if completions is None and parallelism is None:
        completions, parallelism = 1, 1
    if parallelism is None:
        parallelism = 1
    backoff = spec.backoff_limit
    if backoff is None:
        backoff = 2**31 - 1 if spec.backoff_limit_per_index is not None else 6
    policy = _default_patterns(spec.pod_failure_policy)
    replacement = spec.pod_replacement_policy
    if replacement is None:
        replacement = "Failed" if policy is not None else "TerminatingOrFailed"
    return attrs.evolve(
        spec,
        completions=completions,
        parallelism=parallelism,
        backoff_limit=backoff,
        completion_mode="NonIndexed" if spec.completion_mode is None else spec.completion_mode,
        suspend=False if spec.suspend is None else spec.suspend,
        pod_replacement_policy=replacement,
        pod_failure_policy=policy,
    )


def _default_patterns(policy: FrozenMap[str, Any] | None) -> FrozenMap[str, Any] | None:
    """``SetDefaults_PodFailurePolicyOnPodConditionsPattern`` (a type's defaulter: it acts in
    a Job and in a CronJob's job template): an empty ``status`` becomes ``True``."""
    if policy is None:
        return None
    rules = []
    for rule in policy.get("rules") or ():
        if isinstance(rule, FrozenMap) and isinstance(rule.get("onPodConditions"), tuple):
            patterns = tuple(
                FrozenMap({**p, "status": p.get("status") or "True"})
                if isinstance(p, FrozenMap)
                else p
                for p in rule["onPodConditions"]
            )
            rule = FrozenMap({**rule, "onPodConditions": patterns})  # noqa: PLW2901
        rules.append(rule)
    return FrozenMap({**policy, "rules": tuple(rules)})


def prepare_job(job: Job, name: str) -> Job:
    """The Job strategy's ``PrepareForCreate``: unless ``manualSelector``, the selector and
    the template's labels are generated (``controller-uid`` and ``job-name``, both forms)."""
    spec = job.spec
    if spec.manual_selector:
        return job
    labels = dict(spec.template.metadata.labels)
    for prefixed, legacy in _LABELS:
        value = JOB_UID if legacy == "controller-uid" else name
        labels.setdefault(legacy, value)
        labels.setdefault(prefixed, value)
    sel = spec.selector or LabelSelector()
    match = dict(sel.match_labels)
    match.setdefault("batch.kubernetes.io/controller-uid", JOB_UID)
    template = attrs.evolve(
        spec.template,
        metadata=attrs.evolve(spec.template.metadata, labels=FrozenMap(labels)),
    )
    selector = attrs.evolve(sel, match_labels=FrozenMap(match))
    return attrs.evolve(job, spec=attrs.evolve(spec, template=template, selector=selector))


def generated_selector(errs: Errors, job: Job, name: str) -> None:
    """``validateGeneratedSelector`` (with the batch.kubernetes.io labels required)."""
    spec = job.spec
    if spec.manual_selector or spec.selector is None:
        return
    labels = spec.template.metadata.labels
    path = _SPEC.child("template", "metadata", "labels")
    expected: dict[str, str] = {}
    for key, want in (
        ("controller-uid", JOB_UID),
        ("job-name", name),
        ("batch.kubernetes.io/controller-uid", JOB_UID),
        ("batch.kubernetes.io/job-name", name),
    ):
        expected[key] = want
        got = labels.get(key)
        if got is None:
            errs.required(path.key(key), f"must be '{want}'", "job.generatedLabel")
        elif got != want:
            errs.invalid(path.key(key), dict(labels), f"must be '{want}'", "job.generatedLabel")
    selector = as_selector(spec.selector)
    if selector is not None and not selector.matches(expected):
        errs.invalid(
            _SPEC.child("selector"),
            selector_json(spec.selector),
            "`selector` not auto-generated",
            "job.selector.generated",
        )


def job_spec(errs: Errors, job: Job, name: str) -> None:
    """``ValidateJob`` after the metadata: the generated selector, ``ValidateJobSpec``, and
    the Indexed Job's longest pod hostname."""
    generated_selector(errs, job, name)
    spec = job.spec
    _job_spec(errs, spec, _SPEC)
    if spec.selector is None:
        errs.required(_SPEC.child("selector"), origin="selector.required")
    else:
        selector_rules(errs, spec.selector, _SPEC.child("selector"))
    selector = as_selector(spec.selector)
    if selector is not None and not selector.matches(spec.template.metadata.labels):
        errs.invalid(
            _SPEC.child("template", "metadata", "labels"),
            labels_json(spec.template.metadata),
            "`selector` does not match template `labels`",
            "selector.matchTemplate",
        )
    if spec.completion_mode == "Indexed" and spec.completions and spec.completions > 0:
        longest = f"{name}-{spec.completions - 1}"
        if is_dns1123_label(longest):
            errs.invalid(
                FieldPath(("metadata", "name")),
                name,
                f"will not able to create pod with invalid DNS label: {longest}",
                "job.indexedHostname",
            )


def _nonnegative(errs: Errors, value: Any, path: FieldPath) -> None:
    if isinstance(value, int) and value < 0:
        errs.invalid(path, value, NEGATIVE_MSG, "nonnegative")


def _job_spec(errs: Errors, spec: JobSpec, path: FieldPath) -> None:
    """``validateJobSpec``."""
    _nonnegative(errs, spec.parallelism, path.child("parallelism"))
    _nonnegative(errs, spec.completions, path.child("completions"))
    _nonnegative(errs, spec.active_deadline_seconds, path.child("activeDeadlineSeconds"))
    _nonnegative(errs, spec.backoff_limit, path.child("backoffLimit"))
    _nonnegative(errs, spec.ttl_seconds_after_finished, path.child("ttlSecondsAfterFinished"))
    _nonnegative(errs, spec.backoff_limit_per_index, path.child("backoffLimitPerIndex"))
    if spec.max_failed_indexes is not None:
        _nonnegative(errs, spec.max_failed_indexes, path.child("maxFailedIndexes"))
        if spec.backoff_limit_per_index is None:
            errs.required(
                path.child("backoffLimitPerIndex"),
                "when maxFailedIndexes is specified",
                "job.maxFailedIndexes",
            )
    if spec.managed_by is not None:
        _managed_by(errs, spec.managed_by, path.child("managedBy"))
    mode = spec.completion_mode
    if mode is not None:
        if mode not in ("NonIndexed", "Indexed"):
            errs.not_supported(
                path.child("completionMode"), mode, ("NonIndexed", "Indexed"), "completionMode"
            )
        if mode == "Indexed":
            _indexed(errs, spec, path)
    if mode in (None, "NonIndexed"):
        for value, name in (
            (spec.backoff_limit_per_index, "backoffLimitPerIndex"),
            (spec.max_failed_indexes, "maxFailedIndexes"),
        ):
            if value is not None:
                errs.invalid(
                    path.child(name), value, "requires indexed completion mode", f"job.{name}"
                )
    if spec.pod_failure_policy is not None:
        _pod_failure_policy(errs, spec, path.child("podFailurePolicy"))
    if spec.success_policy is not None:
        if mode != "Indexed":
            errs.invalid(
                path.child("successPolicy"),
                _success_policy_struct(spec.success_policy),
                "requires indexed completion mode",
                "successPolicy.mode",
            )
        else:
            _success_policy(errs, spec, path.child("successPolicy"))
    _pod_replacement_policy(errs, spec, path.child("podReplacementPolicy"))
    pod = template_spec(errs, spec.template, path.child("template"))
    restart = pod.restart_policy or ""
    where = path.child("template", "spec", "restartPolicy")
    if restart in ("Always", ""):
        errs.required(where, 'valid values: "OnFailure", "Never"', "job.restartPolicy")
    elif restart not in ("OnFailure", "Never"):
        errs.not_supported(where, restart, ("OnFailure", "Never"), "job.restartPolicy")
    elif spec.pod_failure_policy is not None and restart != "Never":
        errs.invalid(
            where,
            restart,
            'only "Never" is supported when podFailurePolicy is specified',
            "job.restartPolicy.podFailurePolicy",
        )


def _managed_by(errs: Errors, value: str, path: FieldPath) -> None:
    """``IsDomainPrefixedPath``, then the 63-byte limit."""
    host, slash, rest = value.partition("/")
    if not value:
        errs.required(path, origin="job.managedBy")
    elif not slash or not host or not rest:
        errs.invalid(
            path, value, 'must be a domain-prefixed path (such as "acme.io/foo")', "job.managedBy"
        )
    else:
        for msg in is_dns1123_subdomain(host):
            errs.invalid(path, host, msg, "job.managedBy")
        if not _HTTP_PATH.fullmatch(rest):
            errs.invalid(
                path,
                rest,
                f"Invalid path (regex used for validation is '{_HTTP_PATH.pattern}')",
                "job.managedBy",
            )
    if len(value.encode()) > _MAX_MANAGED_BY:
        errs.too_long(path, _MAX_MANAGED_BY, "job.managedBy.length")


def _indexed(errs: Errors, spec: JobSpec, path: FieldPath) -> None:
    completions, parallelism = spec.completions, spec.parallelism
    failed, per_index = spec.max_failed_indexes, spec.backoff_limit_per_index
    if completions is None:
        errs.required(
            path.child("completions"), "when completion mode is Indexed", "job.completions"
        )
    if parallelism is not None and parallelism > _MAX_INDEXED_PARALLELISM:
        errs.invalid(
            path.child("parallelism"),
            parallelism,
            f"must be less than or equal to {_MAX_INDEXED_PARALLELISM} when completion mode "
            "is Indexed",
            "job.parallelism",
        )
    if completions is not None and failed is not None and failed > completions:
        errs.invalid(
            path.child("maxFailedIndexes"),
            failed,
            "must be less than or equal to completions",
            "job.maxFailedIndexes",
        )
    if failed is not None and failed > _MAX_FAILED_INDEXES:
        errs.invalid(
            path.child("maxFailedIndexes"),
            failed,
            f"must be less than or equal to {_MAX_FAILED_INDEXES}",
            "job.maxFailedIndexes",
        )
    if completions is not None and completions > _COMPLETIONS_SOFT_LIMIT and per_index is not None:
        high = (
            f"when completions are above {_COMPLETIONS_SOFT_LIMIT} and used with backoff limit "
            "per index"
        )
        if failed is None:
            errs.required(
                path.child("maxFailedIndexes"),
                f"must be specified when completions is above {_COMPLETIONS_SOFT_LIMIT}",
                "job.maxFailedIndexes.high",
            )
        if parallelism is not None and parallelism > _HIGH_COMPLETIONS_LIMIT:
            errs.invalid(
                path.child("parallelism"),
                parallelism,
                f"must be less than or equal to {_HIGH_COMPLETIONS_LIMIT} {high}",
                "job.parallelism.high",
            )
        if failed is not None and failed > _HIGH_COMPLETIONS_LIMIT:
            errs.invalid(
                path.child("maxFailedIndexes"),
                failed,
                f"must be less than or equal to {_HIGH_COMPLETIONS_LIMIT} {high}",
                "job.maxFailedIndexes.high",
            )


def _map(value: Any) -> FrozenMap[str, Any]:
    return value if isinstance(value, FrozenMap) else FrozenMap()


def _pod_failure_policy(errs: Errors, spec: JobSpec, path: FieldPath) -> None:
    rules = _map(spec.pod_failure_policy).get("rules") or ()
    rules_path = path.child("rules")
    if len(rules) > _MAX_RULES:
        errs.append(_too_many(rules_path, len(rules), _MAX_RULES))
    names = {c.name for c in (*spec.template.spec.containers, *spec.template.spec.init_containers)}
    for i, raw in enumerate(rules):
        rule, p = _map(raw), rules_path.index(i)
        action = rule.get("action") or ""
        if not action:
            errs.required(p.child("action"), f"valid values: {_q(_ACTIONS)}", "pfp.action")
        elif action == "FailIndex":
            if spec.backoff_limit_per_index is None:
                errs.invalid(
                    p.child("action"),
                    action,
                    "requires the backoffLimitPerIndex to be set",
                    "pfp.action",
                )
        elif action not in _ACTIONS:
            errs.not_supported(p.child("action"), action, _ACTIONS, "pfp.action")
        codes = rule.get("onExitCodes")
        conditions = rule.get("onPodConditions") or ()
        if codes is not None:
            _exit_codes(errs, _map(codes), p.child("onExitCodes"), names)
        if conditions:
            _conditions(errs, conditions, p.child("onPodConditions"))
        if codes is not None and conditions:
            errs.append(
                omitted(
                    p,
                    "specifying both OnExitCodes and OnPodConditions is not supported",
                    "pfp.rule.both",
                )
            )
        if codes is None and not conditions:
            errs.append(
                omitted(
                    p,
                    "specifying one of OnExitCodes and OnPodConditions is required",
                    "pfp.rule.none",
                )
            )


def _too_many(path: FieldPath, actual: int, limit: int) -> FieldError:
    return FieldError(
        type=ErrorType.TOO_MANY,
        field=path,
        bad_value=actual,
        detail=f"must have at most {limit} items",
        origin="tooMany",
    )


def _exit_codes(errs: Errors, req: FrozenMap[str, Any], path: FieldPath, names: set[Any]) -> None:
    operator = req.get("operator") or ""
    if not operator:
        errs.required(
            path.child("operator"), f"valid values: {_q(_OPERATORS)}", "pfp.exitCodes.operator"
        )
    elif operator not in _OPERATORS:
        errs.not_supported(path.child("operator"), operator, _OPERATORS, "pfp.exitCodes.operator")
    container = req.get("containerName")
    if container is not None and container not in names:
        errs.invalid(
            path.child("containerName"),
            container,
            "must be one of the container or initContainer names in the pod template",
            "pfp.exitCodes.containerName",
        )
    raw_values = req.get("values")
    values = tuple(raw_values or ())
    vp = path.child("values")
    if not values:
        # a nil slice prints as null, an empty one as []
        shown: list[Any] | None = None if raw_values is None else []
        errs.invalid(vp, shown, "at least one value is required", "pfp.exitCodes.values")
    elif len(values) > _MAX_EXIT_CODES:
        errs.append(_too_many(vp, len(values), _MAX_EXIT_CODES))
    seen: set[Any] = set()
    ordered = True
    for j, value in enumerate(values):
        if operator == "In" and value == 0:
            errs.invalid(vp.index(j), value, "must not be 0 for the In operator", "pfp.exitCodes")
        if value in seen:
            errs.duplicate(vp.index(j), value, "pfp.exitCodes.duplicate")
        seen.add(value)
        if j > 0 and values[j - 1] > value:
            ordered = False
    if not ordered:
        errs.invalid(vp, list(values), "must be ordered", "pfp.exitCodes.order")


def _conditions(errs: Errors, patterns: Any, path: FieldPath) -> None:
    if len(patterns) > _MAX_CONDITIONS:
        errs.append(_too_many(path, len(patterns), _MAX_CONDITIONS))
    for j, raw in enumerate(patterns):
        pattern, p = _map(raw), path.index(j)
        kind = str(pattern.get("type") or "")
        for msg in is_qualified_name(kind):
            errs.invalid(p.child("type"), kind, msg, "pfp.conditions.type")
        status = pattern.get("status") or ""
        if not status:
            errs.required(
                p.child("status"), f"valid values: {_q(_STATUSES)}", "pfp.conditions.status"
            )
        elif status not in _STATUSES:
            errs.not_supported(p.child("status"), status, _STATUSES, "pfp.conditions.status")


def _pod_replacement_policy(errs: Errors, spec: JobSpec, path: FieldPath) -> None:
    policy = spec.pod_replacement_policy
    if policy is None:
        return
    if spec.pod_failure_policy is not None:
        if policy != "Failed":
            errs.not_supported(path, policy, ("Failed",), "podReplacementPolicy")
    elif policy not in _REPLACEMENT:
        errs.not_supported(path, policy, _REPLACEMENT, "podReplacementPolicy")


def _success_policy_struct(policy: FrozenMap[str, Any]) -> GoStruct:
    """The internal ``batch.SuccessPolicy`` as the server prints it in a message."""
    rules = policy.get("rules")
    return GoStruct.of(
        Rules=None
        if rules is None
        else tuple(
            GoStruct.of(
                SucceededIndexes=_map(rule).get("succeededIndexes"),
                SucceededCount=_map(rule).get("succeededCount"),
            )
            for rule in (rules if isinstance(rules, tuple) else ())
        )
    )


def _success_policy(errs: Errors, spec: JobSpec, path: FieldPath) -> None:
    """``validateSuccessPolicy`` (of an Indexed Job)."""
    rules = _map(spec.success_policy).get("rules") or ()
    rules_path = path.child("rules")
    if not rules:
        errs.required(
            rules_path,
            "at least one rules must be specified when the successPolicy is specified",
            "successPolicy.rules",
        )
    if len(rules) > _MAX_RULES:
        errs.append(_too_many(rules_path, len(rules), _MAX_RULES))
    # the server dereferences completions here (required above when it is unset)
    completions = spec.completions or 0
    for i, raw in enumerate(rules):
        rule, p = _map(raw), rules_path.index(i)
        count, indexes = rule.get("succeededCount"), rule.get("succeededIndexes")
        if indexes is None and count is None:
            errs.required(
                p,
                "at least one of succeededCount or succeededIndexes must be specified",
                "successPolicy.rule",
            )
        total = 0
        if isinstance(indexes, str):
            ip = p.child("succeededIndexes")
            if len(indexes.encode()) > _MAX_SUCCEEDED_INDEXES:
                errs.append(
                    FieldError(
                        type=ErrorType.TOO_LONG,
                        field=ip,
                        detail=f"may not be more than {_MAX_SUCCEEDED_INDEXES} bytes",
                        origin="successPolicy.indexes.length",
                    )
                )
            total, problem = indexes_total(indexes, completions)
            if problem:
                errs.invalid(
                    ip,
                    indexes,
                    f"error parsing succeededIndexes: {problem}",
                    "successPolicy.indexes",
                )
        if isinstance(count, int):
            cp = p.child("succeededCount")
            if count < 0:
                errs.invalid(cp, count, NEGATIVE_MSG, "successPolicy.count")
            if count > completions:
                errs.invalid(
                    cp,
                    count,
                    f"must be less than or equal to {completions} (the number of specified "
                    "completions)",
                    "successPolicy.count",
                )
            if indexes is not None and count > total:
                errs.invalid(
                    cp,
                    count,
                    f"must be less than or equal to {total} (the number of indexes in the "
                    "specified succeededIndexes field)",
                    "successPolicy.count.indexes",
                )


def indexes_total(text: str, completions: int) -> tuple[int, str]:
    """``validateIndexesFormat``: how many indexes *text* (``"1,3-5"``) names, or its error."""
    if not text:
        return 0, ""
    last: int | None = None
    total = 0
    for interval in text.split(","):
        limits = interval.split("-")
        if len(limits) > 2:
            return 0, (
                f"the fragment {go_quote(interval)} violates the requirement that an index "
                "interval can have at most two parts separated by '-'"
            )
        bounds = []
        for limit in limits:
            if not _GO_ATOI.fullmatch(limit) or len(limit.lstrip("+-").lstrip("0")) > 19:
                return 0, f"cannot convert string to integer for index: {go_quote(limit)}"
            if not -(2**63) <= int(limit) < 2**63:
                return 0, f"cannot convert string to integer for index: {go_quote(limit)}"
            if int(limit) >= completions:
                return 0, f"too large index: {go_quote(limit)}"
            bounds.append(int(limit))
        x, y = bounds[0], bounds[-1]
        if len(bounds) == 2 and x >= y:
            return 0, f"non-increasing order, previous: {x}, current: {y}"
        if last is not None and last >= x:
            return 0, f"non-increasing order, previous: {last}, current: {x}"
        total += y - x + 1
        last = y
    return total, ""


def cron_job_defaults(cj: CronJob) -> CronJob:
    """``SetDefaults_CronJob``, and the pattern defaulter in its job template (the template
    gets no ``SetDefaults_Job``: that one is the Job's)."""
    spec = cj.spec
    job = spec.job_template.spec
    job = attrs.evolve(job, pod_failure_policy=_default_patterns(job.pod_failure_policy))
    return attrs.evolve(
        cj,
        spec=attrs.evolve(
            spec,
            job_template=attrs.evolve(spec.job_template, spec=job),
            concurrency_policy=spec.concurrency_policy or "Allow",
            suspend=False if spec.suspend is None else spec.suspend,
            successful_jobs_history_limit=(
                3
                if spec.successful_jobs_history_limit is None
                else spec.successful_jobs_history_limit
            ),
            failed_jobs_history_limit=(
                1 if spec.failed_jobs_history_limit is None else spec.failed_jobs_history_limit
            ),
        ),
    )


def cron_job_spec(errs: Errors, cj: CronJob) -> None:
    """``validateCronJobSpec`` (on create)."""
    spec = cj.spec
    schedule = spec.schedule or ""
    if not schedule:
        errs.required(_SPEC.child("schedule"), origin="cronJob.schedule")
    else:
        problem = parse_schedule(schedule)
        if problem:
            errs.invalid(_SPEC.child("schedule"), schedule, problem, "cronJob.schedule")
        if "TZ" in schedule:
            errs.invalid(
                _SPEC.child("schedule"),
                schedule,
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                "cronJob.schedule.tz",
            )
    _nonnegative(errs, spec.starting_deadline_seconds, _SPEC.child("startingDeadlineSeconds"))
    if spec.time_zone is not None:
        for msg in time_zone_problems(spec.time_zone):
            errs.invalid(_SPEC.child("timeZone"), spec.time_zone, msg, "cronJob.timeZone")
    policy = spec.concurrency_policy or ""
    if not policy:
        errs.required(_SPEC.child("concurrencyPolicy"), origin="cronJob.concurrencyPolicy")
    elif policy not in _CONCURRENCY:
        errs.not_supported(
            _SPEC.child("concurrencyPolicy"), policy, _CONCURRENCY, "cronJob.concurrencyPolicy"
        )
    template = _SPEC.child("jobTemplate")
    job = spec.job_template.spec
    _job_spec(errs, job, template.child("spec"))
    if job.selector is not None:
        errs.invalid(
            template.child("spec", "selector"),
            selector_json(job.selector),
            "`selector` will be auto-generated",
            "cronJob.selector",
        )
    if job.manual_selector:
        errs.not_supported(
            template.child("spec", "manualSelector"), True, ("nil", "false"), "cronJob.manual"
        )
    _nonnegative(
        errs, spec.successful_jobs_history_limit, _SPEC.child("successfulJobsHistoryLimit")
    )
    _nonnegative(errs, spec.failed_jobs_history_limit, _SPEC.child("failedJobsHistoryLimit"))
