"""What every ``strait`` verb shares: error handling, the console, number formats.

* Every deliberate error is a :class:`strait.errors.StraitError`; :class:`StraitGroup`
  (the root group) turns it into one line on stderr (``error: ...``) and exit code 2.
  Nothing else catches exceptions: a traceback means a bug.
* ``fmt_*`` helpers take plain model objects and return short strings (easy to test,
  no model logic); :func:`say` prints wrapped text with a hanging indent.
* Argument checks shared by several verbs (:func:`check_workers`, :func:`check_n`,
  :func:`output_path`) raise a one-line error that names the option and the fix.
"""

from __future__ import annotations

import math
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from strait import __version__
from strait.errors import EngineError, StraitError

if TYPE_CHECKING:
    from strait.scenario.models import EscalationRule, Param, RoleSpec, Scenario

DEFAULT_SCENARIO = "csis-base"
SCENARIO_HELP = "A bundled scenario name (see 'strait scenario list') or a YAML file."
WORKERS_HELP = ("Blocks played at once, >= 1 (default: every core, or every CPU of the Ray "
                "cluster; 1 = in-process).")
EXECUTOR_HELP = ("Where blocks are played: serial (this process), process (a local process "
                 "pool; the default) or ray (a Ray cluster, see --address). Results are "
                 "identical.")
ADDRESS_HELP = ("Ray cluster to play on: HOST:PORT of the head node, ray://HOST:PORT or auto "
                "(implies --executor ray; without it, Ray starts on this machine).")

# The options every verb that plays campaigns shares (``workers: WorkersOpt = None``).
WorkersOpt = Annotated[int | None, typer.Option("--workers", "-w", help=WORKERS_HELP,
                                                show_default=False)]
ExecutorOpt = Annotated[str | None, typer.Option("--executor", "-e", help=EXECUTOR_HELP,
                                                 show_default=False)]
AddressOpt = Annotated[str | None, typer.Option("--address", help=ADDRESS_HELP,
                                                show_default=False)]


# ----------------------------------------------------------------------- error handling


class StraitGroup(typer.core.TyperGroup):
    """Root group: a StraitError becomes ``error: <message>`` on stderr and exit code 2, and
    so does a usage error (``--seed abc``, an unknown option): one line naming the command,
    the problem and where the help is, instead of the framework's boxed message."""

    def main(self, args: Any = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        # (typer declares main's parameters more narrowly than click; we pass them through)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        from typer._click import exceptions as cx

        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except cx.NoArgsIsHelpError as exc:  # bare group: its help, as before
            typer.echo(exc.format_message(), err=True)
            sys.exit(2)
        except cx.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "strait"
            typer.echo(f"error: {where}: {one_line(exc.format_message())}; see "
                       f"{where} --help", err=True)
            sys.exit(exc.exit_code)
        except cx.ClickException as exc:
            typer.echo(f"error: {one_line(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("interrupted", err=True)
            sys.exit(130)
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except StraitError as exc:
            typer.echo(f"error: {one_line(str(exc))}", err=True)
            raise typer.Exit(code=getattr(exc, "exit_code", 2)) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(code=130) from None


def one_line(msg: str) -> str:
    return " ".join(msg.split()) or "unknown error"


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"strait {__version__}")
        raise typer.Exit()


def stdout() -> Console:
    """A console on the current ``sys.stdout`` (created per call: tests swap it)."""
    return Console(highlight=False, markup=False, emoji=False)


class BlocksColumn(ProgressColumn):
    """``blocks 3/12`` from the task's ``blocks`` field (empty when it has none)."""

    def render(self, task: Task) -> Text:
        return Text(str(task.fields.get("blocks", "")), style="progress.download")


class RateColumn(ProgressColumn):
    """Campaigns per second, from rich's moving estimate of the task's speed."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if not speed else f"{speed:,.0f}/s", style="progress.data.speed")


def progress_bar(console: Console, quiet: bool) -> Progress:
    """A transient progress bar counting campaigns, the same for every executor: blocks
    done/total (with :func:`campaign_updater`), campaigns done/total, campaigns per second,
    time left and time spent (disabled with ``quiet``)."""
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), BlocksColumn(),
                    MofNCompleteColumn(), TextColumn("campaigns"), RateColumn(),
                    TextColumn("ETA"), TimeRemainingColumn(), TimeElapsedColumn(),
                    console=console, disable=quiet, transient=True)


def blocks_text(done: int, total: int, per_run: int) -> str:
    """``blocks 5/12``: blocks played of ``total`` campaigns in runs of ``per_run``.

    >>> blocks_text(10_000, 20_000, 10_000)
    'blocks 2/4'
    """
    from strait.experiments.executors import BLOCK_SIZE

    per = math.ceil(per_run / BLOCK_SIZE)
    full, rest = divmod(done, per_run)
    return (f"blocks {full * per + math.ceil(rest / BLOCK_SIZE)}/"
            f"{math.ceil(total / per_run) * per}")


def campaign_updater(bar: Progress, task: TaskID, per_run: int
                     ) -> Callable[[int, int], None]:
    """A ``(campaigns_done, campaigns_total)`` callback that moves ``task`` of ``bar``;
    ``per_run`` is the campaigns of one run (a study's cell), for the block count."""
    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total,
                   blocks=blocks_text(done, total, per_run))
    return update


@contextmanager
def executor_scope(executor: str | None, address: str | None, workers: int | None
                   ) -> Iterator[None]:
    """Inside, every run plays on ``--executor``/``--address`` (nothing changes when both
    are absent); the executor is connected and checked on entering."""
    if executor is None and address is None:
        yield
        return
    from strait.experiments.executors import use_executor

    with use_executor(executor, workers, address):
        yield


def load(ref: str | Path) -> Scenario:
    """A scenario from a bundled name or a YAML file."""
    from strait.scenario.loader import load_scenario

    return load_scenario(ref)


# --------------------------------------------------------------------- argument checks


def check_workers(workers: int | None, option: str = "-w/--workers") -> int | None:
    """``workers`` if absent or >= 1, else a one-line error naming the option."""
    if workers is not None and workers < 1:
        raise EngineError(f"{option}: expected a number of processes >= 1, found {workers}; "
                          "leave it out to use every core, or give -w 1 to run in-process")
    return workers


def check_n(n: int, what: str = "a number of campaigns", example: str = "-n 10000") -> int:
    """``n`` if > 0, else a one-line error."""
    if n <= 0:
        raise EngineError(f"-n: expected {what} > 0, found {n}; use e.g. {example}")
    return n


def output_path(path: Path | None, option: str, example: str) -> Path | None:
    """Check an output file option before any work is done (see ``check_output_path``)."""
    if path is None:
        return None
    from strait.results.io import check_output_path

    return check_output_path(path, option, example)


# ---------------------------------------------------------------------- number formats


def fmt_num(x: float | None) -> str:
    """A number as short text: ``450``, ``0.7``, ``1e+06``."""
    if x is None:
        return "-"
    return f"{x:g}"


def fmt_param(p: Param) -> str:
    """A parameter's value: ``450`` or its distribution, e.g. ``pert(0.6, 0.7, 0.8)``."""
    if p.value is not None:
        return fmt_num(p.value)
    d = p.dist
    n = fmt_num
    if d == "uniform":
        return f"uniform({n(p.low)}, {n(p.high)})"
    if d in ("triangular", "pert"):
        return f"{d}({n(p.low)}, {n(p.mode)}, {n(p.high)})"
    clip = ""
    if p.low is not None or p.high is not None:
        clip = f", low={n(p.low)}, high={n(p.high)}"
    if d == "lognormal":
        return f"lognormal(median={n(p.median)}, sigma={n(p.sigma)}{clip})"
    if d == "beta":
        return f"beta({n(p.alpha)}, {n(p.beta)}{clip})"
    if d == "normal":
        return f"normal(mean={n(p.mean_)}, sd={n(p.sd)}{clip})"
    return str(d)


def fmt_param_short(p: Param) -> str:
    """A compact form for tables: ``755``, ``1375–1578``, ``15 (10–30)``, ``~12``."""
    if p.value is not None:
        return fmt_num(p.value)
    if p.dist == "uniform":
        return f"{fmt_num(p.low)}–{fmt_num(p.high)}"
    if p.dist in ("triangular", "pert"):
        return f"{fmt_num(p.mode)} ({fmt_num(p.low)}–{fmt_num(p.high)})"
    return f"~{fmt_num(round(p.mean(), 3))}"


def fmt_provenance(p: Param, scenario: Scenario) -> str:
    """``Title, at`` for a sourced number, ``assumption: ...`` or ``UNSOURCED``."""
    if p.source:
        entry = scenario.sources.get(p.source)
        title = entry.title if entry is not None else p.source
        return f"{title}, {p.at}" if p.at else title
    if p.assumption:
        return f"assumption: {p.assumption}"
    return "UNSOURCED"


def fmt_level_name(level: Any) -> str:
    """``3 ACCESS_COMBAT`` for a role level."""
    return f"{int(level)} {level.name}"


def fmt_role(role: RoleSpec) -> str:
    """``ACCESS_COMBAT (certain)`` or ``prior: ACCESS_COMBAT 0.6, NEUTRAL 0.4``."""
    if role.level is not None:
        return f"{role.level.name} (certain)"
    items = sorted((role.prior or {}).items(), key=lambda kv: int(kv[0]))
    return "prior: " + ", ".join(f"{k.name} {fmt_num(v.value)}" for k, v in items)


def fmt_escalation(rule: EscalationRule) -> str:
    """One line: trigger, target level, probability, conditions, note."""
    when = {
        "territory_struck": "if its territory is struck",
        "per_turn": "each turn",
        "us_forces_struck": "if US forces are struck",
    }.get(rule.trigger, rule.trigger)
    p = fmt_param(rule.probability)
    text = f"{when}: move to at least {rule.to_at_least.name} with p = {p}"
    conds = []
    if rule.from_turn:
        conds.append(f"from turn {rule.from_turn}")
    if int(rule.requires_at_least) > 0:
        conds.append(f"if already at or above {rule.requires_at_least.name}")
    if conds:
        text += " (" + ", ".join(conds) + ")"
    if rule.note:
        text += f" — {rule.note}"
    return text


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def enum_key(k: Any) -> str:
    if isinstance(k, Enum):
        return k.name if isinstance(k.value, int) else str(k.value)
    return str(k)


def say(console: Console, text: str, indent: int = 0, hang: int | None = None) -> None:
    """Print ``text`` wrapped to the console width with a hanging indent."""
    hang = indent + 4 if hang is None else hang
    width = max(console.width, 40)
    wrapped = textwrap.wrap(
        " ".join(text.split()),
        width=width,
        initial_indent=" " * indent,
        subsequent_indent=" " * hang,
        break_long_words=False,
        break_on_hyphens=False,
    )
    for line in wrapped or [""]:
        console.print(line, soft_wrap=True)


def heading(console: Console, text: str) -> None:
    console.print()
    console.print(Text(text, style="bold underline"))


STUDY_HELP = ("Store the result with this study (strait study list) of the same scenario, "
              "so strait report shows it.")


def check_study_target(db: Path, study: int | None, scenario: str) -> None:
    """Fail early (one line, exit 2) unless ``--study`` names a stored study of
    ``scenario`` in ``db``; nothing to check without ``--study``."""
    if study is None:
        return
    from strait.errors import StudyError
    from strait.experiments.store import StudyStore

    if not db.exists():
        raise StudyError(f"--db: no study file at {db}; run strait sweep first or give the "
                         "file with --db")
    with StudyStore(db, create=False) as store:
        meta = store.study(study)
    stored = str(meta["scenario"])
    if stored not in (scenario, Path(scenario).stem):
        raise StudyError(f"--study {study}: a study of {stored}, not {scenario}; give a "
                         f"study of {scenario}, or analyse {stored} instead")


def store_with_study(db: Path, study: int | None, kind: str, result: dict[str, Any],
                     ctx: typer.Context) -> None:
    """Store ``result`` as analysis ``kind`` of ``study`` (when given) and say so."""
    if study is None:
        return
    from strait.experiments.store import StudyStore

    with StudyStore(db, create=False) as store:
        store.add_analysis(study, kind, result, command=invoked_command(ctx))
    typer.echo(f"stored with study {study}; strait report {study} shows it")


def invoked_command(ctx: typer.Context) -> str:
    """The running ``strait`` verb as a command line, rebuilt from the options the user
    gave (defaults left out), so a stored result says how to replay it."""
    import shlex

    parts = ["strait", str(ctx.info_name)]
    for param in ctx.command.params:
        name = param.name or ""
        value = ctx.params.get(name)
        if param.param_type_name == "argument":
            parts += [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
            continue
        source = ctx.get_parameter_source(name)
        if source is None or source.name == "DEFAULT" or value is None:
            continue
        opt = max(param.opts, key=len)
        if isinstance(value, bool):
            if value:
                parts.append(opt)
        elif isinstance(value, list | tuple):
            for v in value:
                parts += [opt, str(v)]
        else:
            parts += [opt, str(value)]
    return shlex.join(parts)
