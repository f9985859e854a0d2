"""Problem messages that can be said in English and in Chinese.

Validation speaks English on the command line and either language on the dashboard. A
:class:`Message` is the English text (it *is* a ``str``, so ``(path, message)`` pairs,
logs and tests read as before) that also keeps the key of its entry in :data:`CATALOGUE`
and the values it was filled with, so that :func:`localise` can say it again in Chinese.
:func:`say` makes one from a catalogue key; :func:`from_pydantic` makes one from a
pydantic error (English as pydantic words it, Chinese from :data:`PYDANTIC_ZH` by error
type). A plain string has no Chinese and is shown as it is.

Every value quoted in a message is cut to :data:`~sim.scenario.limits.QUOTE_CHARS`
characters ending in "…" (:func:`short_repr`), and its repr is built bounded, so a 50 MB
string or a list of a billion items is never printed or even formatted whole.

The Chinese terms are the ones card halls use (窗口, 工作人员, AB岗, 绿色通道, 导办台,
立等可取, 制卡); field paths and values stay as they are written in the scenario file.
"""

from __future__ import annotations

from typing import Any, Mapping

import datetime as _dt
import math
import reprlib

from sim.scenario.limits import QUOTE_CHARS

__all__ = ["Message", "CATALOGUE", "PYDANTIC_EN", "PYDANTIC_ZH", "say", "from_pydantic", "localise", "short",
           "short_repr"]

CATALOGUE: dict[str, tuple[str, str]] = {
    # reading files (sim.loader)
    "yaml.invalid": ("not valid YAML: {where}{problem}", "不是有效的 YAML：{where_zh}{problem}"),
    "yaml.empty": ("the file is empty", "文件为空"),
    "yaml.not_mapping": ("expected a mapping of fields at the top (got {kind})",
                         "文件顶层应为“字段: 值”的映射（实际为 {kind}）"),
    "yaml.duplicate_key": ("the key {key!r} is given twice in the same mapping (first on line {line})",
                           "同一层级中键 {key!r} 出现了两次（第一次在第 {line} 行）"),
    "file.missing": ("no such file", "文件不存在"),
    "file.unreadable": ("cannot read the file: {error}", "无法读取文件：{error}"),
    "extends.not_name": ("expected a file name (got {value!r})", "应为文件名（实际为 {value!r}）"),
    "extends.circular": ("circular extends: {chain}", "extends 形成循环引用：{chain}"),
    "extends.missing": ("no such file {path!r}", "文件 {path!r} 不存在"),
    "field.unknown_path": ("no such field in the scenario", "方案中没有这个字段"),
    # hostile or careless input (sim.scenario.loader, sim.scenario.limits)
    "file.too_big": ("larger than {limit} bytes (1 MB), the most a scenario may be",
                     "超过 {limit} 字节（1 MB），方案文件不能更大"),
    "file.not_regular": ("not a regular file", "不是普通文件"),
    "file.encoding": ("cannot read the text on line {line}: it is neither UTF-8 nor GB18030 (byte {byte} of the "
                      "file); save the file as UTF-8",
                      "无法识别第 {line} 行的文字编码：既不是 UTF-8 也不是 GB18030（文件第 {byte} 个字节）；"
                      "请将文件另存为 UTF-8 编码"),
    "file.read_as": ("read as {encoding}, not UTF-8; saving the file as UTF-8 is recommended",
                     "按 {encoding} 编码读取（不是 UTF-8）；建议将文件另存为 UTF-8 编码"),
    "yaml.too_deep": ("mappings and lists nested more than {limit} levels deep", "映射和列表嵌套超过 {limit} 层"),
    "yaml.too_many": ("more than {limit} values in the file", "文件中的值超过 {limit} 个"),
    "yaml.alias_bomb": ("YAML aliases (*{alias}) expand to more than {limit} values; write the values out",
                        "YAML 别名（*{alias}）展开后超过 {limit} 个值；请直接写出各个值"),
    "yaml.alias_cycle": ("the YAML alias *{alias} refers to a value that contains it",
                         "YAML 别名 *{alias} 引用了包含它自身的值"),
    "yaml.number_too_long": ("a number written with {chars} characters (at most {limit})",
                             "数字长达 {chars} 个字符（最多 {limit} 个）"),
    "extends.not_shipped": ("an uploaded scenario may only extend a shipped scenario, by name: {names} (got {value!r})",
                            "上传的方案只能按名称继承随软件提供的方案：{names}（实际为 {value!r}）"),
    "extends.not_yaml": ("expected the name of a .yaml or .yml file (got {value!r})",
                         "应为 .yaml 或 .yml 文件名（实际为 {value!r}）"),
    "extends.too_long": ("more than {limit} files in the extends chain", "extends 继承链超过 {limit} 个文件"),
    "problems.more": ("… and {n} more problems", "……另有 {n} 个问题"),
    "dist.not_mapping": ("expected a distribution such as {{dist: fixed, value: 2}} or "
                         "{{dist: lognormal, mean: 6, cv: 0.4}} (got {value!r})",
                         "应为分布，例如 {{dist: fixed, value: 2}} 或 {{dist: lognormal, mean: 6, cv: 0.4}}（实际为 {value!r}）"),
    "dist.no_kind": ("a distribution needs a dist key, one of {kinds}; e.g. {{dist: fixed, value: 2}}",
                     "分布需要 dist 键，取值为 {kinds} 之一；例如 {{dist: fixed, value: 2}}"),
    "dist.unknown": ("unknown distribution {value!r}: dist is one of {kinds}; e.g. {{dist: fixed, value: 2}}",
                     "未知分布类型 {value!r}：dist 应为 {kinds} 之一；例如 {{dist: fixed, value: 2}}"),
    "dist.unknown_near": ("unknown distribution {value!r} (did you mean {near!r}?): dist is one of {kinds}; "
                          "e.g. {{dist: fixed, value: 2}}",
                          "未知分布类型 {value!r}（是否想写 {near!r}？）：dist 应为 {kinds} 之一；例如 {{dist: fixed, value: 2}}"),
    # periods and orders (model validators)
    "clock.number": ('write clock times as quoted "HH:MM" strings (got the number {value!r}; '
                     'YAML reads an unquoted 12:30 as the integer 750)',
                     '时间请写成带引号的 "HH:MM"（实际为数字 {value!r}；YAML 会把不带引号的 12:30 读成整数 750）'),
    "clock.format": ('expected a clock time "HH:MM" between "00:00" and "24:00" (got {value!r})',
                     '应为 "00:00" 至 "24:00" 之间的时间 "HH:MM"（实际为 {value!r}）'),
    "clock.after_24": ('clock time must not be after "24:00" (got {value!r})',
                       '时间不能晚于 "24:00"（实际为 {value!r}）'),
    "hours.order": ("close ({close}) must be after open ({open})", "关门时间（{close}）应晚于开门时间（{open}）"),
    "lunch.order": ("lunch end ({end}) must be after start ({start})", "午休结束（{end}）应晚于开始（{start}）"),
    "period.order": ("end ({end}) must be after start ({start})", "结束时间（{end}）应晚于开始时间（{start}）"),
    "shift.order": ("shift end ({end}) must be after start ({start})", "班次结束（{end}）应晚于开始（{start}）"),
    "returns.delay_order": ("delay_days must be [min, max] with min <= max (got {value})",
                            "delay_days 应为 [最少, 最多]，且最少 ≤ 最多（实际为 {value}）"),
    "dates.order": ("end ({end}) must not be before start ({start})", "结束日期（{end}）不能早于开始日期（{start}）"),
    "triangular.order": ("triangular needs low <= mode <= high and low < high (got low={low}, mode={mode}, "
                         "high={high})",
                         "三角分布要求 low ≤ mode ≤ high 且 low < high（实际为 low={low}, mode={mode}, high={high}）"),
    "uniform.order": ("uniform needs low <= high (got low={low}, high={high})",
                      "均匀分布要求 low ≤ high（实际为 low={low}, high={high}）"),
    "rate.one_of": ("give exactly one of applications_per_day and hall_services",
                    "applications_per_day 与 hall_services 须且只能填一项"),
    # cross-field checks (sim.scenario.cross_check)
    "window.duplicate": ("duplicate window id {id!r}", "窗口编号 {id!r} 重复"),
    "window.reserved": ("{id!r} is reserved for staff posts", "{id!r} 是岗位保留名，不能用作窗口编号"),
    "window.hours_continuous": ("window hours need opening hours (not a continuous run.horizon_min)",
                                "窗口开放时段需要按营业时间运行（不能与连续运行 run.horizon_min 同用）"),
    "window.hours_overlap": ("{start} overlaps or precedes the period before ({before}); list periods in order",
                             "{start} 与前一时段（{before}）重叠或早于它；请按时间顺序列出时段"),
    "service.unknown_of": ("unknown service {service!r} (services: {known})",
                           "未知业务 {service!r}（已有业务：{known}）"),
    "service.unknown": ("unknown service {service!r}", "未知业务 {service!r}"),
    "window.lacks_device": ("service {service!r} needs a {device}, which window {window!r} lacks and "
                            "devices.shared has none of",
                            "业务 {service!r} 需要设备 {device}，窗口 {window!r} 没有配备，devices.shared 中也没有共用的"),
    "mix.no_window": ("no window serves {service!r}", "没有窗口办理业务 {service!r}"),
    "weights.zero": ("weights must not all be 0", "权重不能全为 0"),
    "instant.no_printer": ("needs devices.instant_printers.count >= 1",
                           "立等可取需要即时制卡设备：devices.instant_printers.count ≥ 1"),
    "kiosk.no_time": ("service {service!r} has no kiosk_time", "业务 {service!r} 没有设置自助终端办理时长 kiosk_time"),
    "continuous.rate": ("required when run.horizon_min is set (continuous horizon)",
                        "设置了连续运行时长 run.horizon_min 时必填"),
    "continuous.staffing": ("a continuous horizon (run.horizon_min) needs staffing: always",
                            "连续运行（run.horizon_min）需要 staffing: always"),
    "continuous.warmup": ("must be shorter than run.horizon_min ({horizon}) (got {warmup})",
                          "应短于 run.horizon_min（{horizon}）（实际为 {warmup}）"),
    "demand.volume": ("give visitors_per_day or arrival_rate_per_min", "请填写 visitors_per_day 或 arrival_rate_per_min"),
    "hall.never_open": ("the hall is never open", "大厅没有任何营业时间"),
    "green.no_window": ("'dedicated' needs at least one window of kind 'green'",
                        "绿色通道专窗模式（dedicated）至少需要一个类型为 green 的窗口"),
    "staff.duplicate": ("duplicate staff name {name!r}", "工作人员姓名 {name!r} 重复"),
    "staff.unknown_a_post": ("unknown post {post!r} (a window id, 'guide', 'helper' or 'floater')",
                             "未知岗位 {post!r}（应为窗口编号、guide、helper 或 floater）"),
    "staff.unknown_b_post": ("unknown post {post!r} (a window id or 'guide')", "未知岗位 {post!r}（应为窗口编号或 guide）"),
    "staff.b_is_a": ("must differ from a_post ({post!r})", "B岗应与A岗（{post!r}）不同"),
    "staff.break_outside": ("{start} is outside the shift {shift}", "休息开始时间 {start} 不在班次 {shift} 之内"),
    "staff.none": ("no staff: list the roster, or set policies.staffing: always",
                   "没有工作人员：请填写人员排班，或设置 policies.staffing: always"),
    "guide.nobody": ("no staff member has a_post 'guide'", "没有工作人员的A岗是导办台（guide）"),
    "breaks.format": ("write each break as HH:MM/minutes, e.g. 11:30/45 (got {part!r})",
                      "每段休息写成 HH:MM/分钟，例如 11:30/45（实际为 {part!r}）"),
    "dist.text": ("write a distribution as in a scenario file, e.g. {{dist: lognormal, mean: 3, cv: 0.4}} (got {text!r})",
                  "分布的写法与方案文件相同，例如 {{dist: lognormal, mean: 3, cv: 0.4}}（实际为 {text!r}）"),
    "by_date.needs_volume": ("needs demand.visitors_per_day (the day's other services are scaled from it)",
                             "需要 demand.visitors_per_day（当天其他业务的到访量据此计算）"),
    "calendar.range": ("the {days} opening days from {start} run past the years the working-day calendar "
                       "(chinesecalendar) knows, {first}–{last}; move run.start_date, shorten run.days, or use "
                       "run.calendar: weekdays",
                       "从 {start} 起的 {days} 个营业日超出了工作日历（chinesecalendar）覆盖的年份 {first}–{last}；"
                       "请调整 run.start_date、缩短 run.days，或使用 run.calendar: weekdays"),
    "calendar.adjusted_closed": ("the hall has no opening hours on {weekday!r}, so adjusted working weekend days "
                                 "cannot take its hours",
                                 "大厅在 {weekday!r} 没有营业时间，调休上班日无法沿用其营业时间"),
    # sweep folders (sim.sweep.load_sweep)
    "sweep.not_folder": ("{folder}: not a sweep folder (no manifest.json)",
                         "{folder}：不是参数扫描结果文件夹（没有 manifest.json）"),
    "sweep.unreadable": ("{path}: unreadable sweep manifest ({error})", "{path}：扫描清单无法读取（{error}）"),
    # issuance (sim.issuance_config.issuance_problems)
    "issuance.calendar": ("the working-day calendar (chinesecalendar) covers the years {first}–{last} only "
                          "(got {date})",
                          "工作日历（chinesecalendar）只覆盖 {first}–{last} 年（实际为 {date}）"),
    "issuance.no_route": ("give at least one route: batch, sporadic or on_the_spot",
                          "至少填写一种制卡方式：batch（批量）、sporadic（零星）或 on_the_spot（立等可取）"),
    "issuance.needs_volume": ("needs demand.visitors_per_day (the hall's daily demand)",
                              "需要 demand.visitors_per_day（大厅日均来访量）"),
    "issuance.instant_kind": ("service {service!r} is not an instant-issue service "
                              "(services.{service}.instant_issue is {value})",
                              "业务 {service!r} 不是立等可取业务（services.{service}.instant_issue 为 {value}）"),
    "issuance.mailed_kind": ("service {service!r} is not a non-instant service "
                             "(services.{service}.instant_issue is {value})",
                             "业务 {service!r} 不是非立等可取业务（services.{service}.instant_issue 为 {value}）"),
    # networks of service points (sim.network.loader, sim.network.location, sim.network.whatif)
    "network.in_file": ("{file}: {field}: {problem}", "文件 {file} 的 {field}：{problem}"),
    "network.in_file_top": ("{file}: {problem}", "文件 {file}：{problem}"),
    "network.duplicate_name": ("duplicate name {name!r}", "名称 {name!r} 重复"),
    "network.level_differs": ("{level!r} differs from the scenario's hall.level {hall!r}",
                              "{level!r} 与该网点方案的 hall.level {hall!r} 不一致"),
    "network.not_instant": ("the scenario cannot issue cards on the spot (it needs an instant_issue service in its "
                            "mix, a window serving it and devices.instant_printers.count >= 1)",
                            "该方案不能立等可取制卡（需要业务组合中有立等可取业务、有窗口办理该业务，"
                            "且 devices.instant_printers.count ≥ 1）"),
    "network.continuous": ("a point must be a hall with opening hours, not a continuous run (run.horizon_min)",
                           "服务网点须为有营业时间的大厅，不能是连续运行（run.horizon_min）"),
    "network.mode_shares": ("the modes' {key} values must sum to 1 (got {total:g})",
                            "各出行方式的 {key} 之和应为 1（实际为 {total:g}）"),
    "network.mode_pair": ("give max_km and instead together (or neither)", "max_km 与 instead 须同时填写（或都不填）"),
    "network.mode_instead": ("{instead!r} is not a mode without max_km (modes: {modes})",
                             "{instead!r} 不是没有 max_km 的出行方式（出行方式：{modes}）"),
    "network.unknown_zone": ("unknown zone {zone!r}", "未知片区 {zone!r}"),
    "network.unknown_point": ("unknown point {point!r}", "未知网点 {point!r}"),
    "network.unknown_service": ("unknown service {service!r} (no point's scenario defines it)",
                                "未知业务 {service!r}（没有哪个网点的方案定义了该业务）"),
    "network.not_served": ("no point has a window serving {service!r}", "没有哪个网点设有办理 {service!r} 的窗口"),
    "network.channel_shares": ("the channels' {key} values for {service!r} add up to more than 1 (got {total:g})",
                               "各渠道对业务 {service!r} 的 {key} 之和超过 1（实际为 {total:g}）"),
    "network.candidate_taken": ("{name!r} is already a candidate or a point of the network",
                                "{name!r} 已是候选点或网络中的网点"),
    "network.candidate_instant": ("a candidate must issue cards on the spot (an instant_issue service in its mix, a "
                                  "window serving it, an instant printer)",
                                  "候选点必须能立等可取制卡（业务组合中有立等可取业务、有窗口办理该业务、有即时制卡设备）"),
    "network.with_format": ("expected NAME=FILE.yaml@X,Y (add or replace a point) or NAME@X,Y (move one); NAME of "
                            "letters, digits, _ or -; X and Y in km",
                            "应为 NAME=FILE.yaml@X,Y（新增或替换网点）或 NAME@X,Y（移动网点）；NAME 由字母、数字、"
                            "_ 或 - 组成；X、Y 单位为公里"),
    "network.with_numbers": ("X and Y must be numbers of km (got {x!r}, {y!r})",
                             "X 和 Y 应为公里数（实际为 {x!r}, {y!r}）"),
    "network.with_range": ("X and Y must lie within ±{limit:g} km (got {x:g}, {y:g})",
                           "X 和 Y 应在 ±{limit:g} 公里以内（实际为 {x:g}, {y:g}）"),
    "network.no_point": ("no such point (points: {names})", "没有这个网点（现有网点：{names}）"),
    "network.no_point_to_move": ("no such point to move; give NAME=FILE.yaml@X,Y to add one (points: {names})",
                                 "没有可移动的这个网点；如要新增请写 NAME=FILE.yaml@X,Y（现有网点：{names}）"),
    "network.closes_all": ("closes every point", "关闭了所有网点"),
}
"""Every message validation says: {key: (English template, Chinese template)}; the two
templates of a key take the same ``{placeholders}`` (``where_zh`` is filled from ``where``)."""

PYDANTIC_EN: dict[str, str] = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (not allowed here; check the spelling)",
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number (no fractional part)",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "finite_number": "expected a finite number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "string_type": "expected text",
    "string_too_short": "expected at least {min_length} character(s)",
    "string_too_long": "at most {max_length} characters",
    "string_pattern_mismatch": "use letters (any script: 张伟, 窗口1), digits, _ and - only; no spaces, dots or "
                               "other signs",
    "literal_error": "expected one of: {expected}",
    "enum": "expected one of: {expected}",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "dict_type": "expected a mapping of fields (key: value)",
    "model_type": "expected a mapping of fields (key: value)",
    "model_attributes_type": "expected a mapping of fields (key: value)",
    "too_short": "expected at least {min_length} item(s)",
    "too_long": "at most {max_length} items (got {actual_length})",
    "union_tag_invalid": "unknown distribution {tag}; dist is one of {expected_tags}",
    "union_tag_not_found": "a distribution needs a {discriminator} key",
    "date_type": "expected a date YYYY-MM-DD",
    "date_parsing": "expected a date YYYY-MM-DD",
    "date_from_datetime_parsing": "expected a date YYYY-MM-DD",
    "date_from_datetime_inexact": "expected a date YYYY-MM-DD without a time of day",
}
"""The project's English for pydantic's error types ({type: template}); the placeholders
are the error's ``ctx``. A type not listed keeps pydantic's own wording."""

PYDANTIC_ZH: dict[str, str] = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（此处不允许；请检查拼写）",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应大于或等于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应小于或等于 {le}",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数（不能有小数部分）",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "只能包含字母、数字、下划线和连字符",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "dict_type": "应为“字段: 值”的映射",
    "model_type": "应为“字段: 值”的映射",
    "model_attributes_type": "应为“字段: 值”的映射",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项（实际为 {actual_length} 项）",
    "union_tag_invalid": "分布类型 {tag} 未知（应为以下之一：{expected_tags}）",
    "union_tag_not_found": "缺少分布类型字段 {discriminator}",
    "date_type": "应为日期 YYYY-MM-DD",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期 YYYY-MM-DD（不含时刻）",
    "value_error": "取值无效",
}
"""Chinese for pydantic's error types ({type: template}); the placeholders are the error's
``ctx``. A type not listed is shown in pydantic's English."""

_GOT_ZH = "（实际为 {got}）"


def short(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` cut to ``limit`` characters, the last one "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _BoundedRepr(reprlib.Repr):
    """reprlib's bounded repr that never converts a huge integer to decimal (Python
    refuses beyond 4,300 digits) and never walks deep or long containers."""

    def __init__(self):
        super().__init__()
        self.maxlevel, self.maxlist, self.maxtuple, self.maxdict, self.maxset = 3, 8, 8, 6, 6
        self.maxstring = self.maxother = self.maxlong = QUOTE_CHARS + 2

    def repr_int(self, x, level):
        if x.bit_length() > 3 * QUOTE_CHARS:
            return f"<a number of about {int(x.bit_length() * 0.30103)} digits>"
        return short(repr(x), self.maxlong)

    def repr_str(self, x, level):
        return repr(x[: QUOTE_CHARS + 1])


_REPR = _BoundedRepr()


def short_repr(value: Any, limit: int = QUOTE_CHARS) -> str:
    """``repr(value)`` in at most ``limit`` characters (ending in "…" when cut), built
    without ever making the whole repr of a huge value."""
    return short(_REPR.repr(value), limit)


class _Quoted:
    """A value too long to quote whole: its repr and str are cut to :data:`QUOTE_CHARS`."""

    def __init__(self, value: Any):
        self._repr = short_repr(value)
        self._str = short(value) if isinstance(value, str) else self._repr

    def __repr__(self) -> str:
        return self._repr

    def __str__(self) -> str:
        return self._str

    def __format__(self, spec: str) -> str:
        return format(self._str, spec)

    def __reduce__(self):
        return (str, (self._str,))


def _quotable(value: Any) -> Any:
    """``value`` itself when it is short (a number, a date, a short string), else a stand-in
    whose repr and str are cut to :data:`QUOTE_CHARS` characters."""
    if value is None or isinstance(value, (Message, bool, float, _dt.date)):
        return value
    if isinstance(value, int) and value.bit_length() <= 128:
        return value
    if isinstance(value, str) and len(value) <= QUOTE_CHARS - 4:
        return value
    return _Quoted(value)


class Message(str):
    """An English problem message that can be said again in Chinese (:meth:`in_lang`)."""

    key: str
    values: Mapping[str, Any]
    got: str | None

    def __new__(cls, english: str, key: str, values: Mapping[str, Any] | None = None, got: str | None = None):
        obj = super().__new__(cls, english)
        obj.key, obj.values, obj.got = key, dict(values or {}), got
        return obj

    def __reduce__(self):
        return (Message, (str(self), self.key, self.values, self.got))

    def in_lang(self, lang: str) -> str:
        """The message in ``lang`` ("en" or "zh"); English when no Chinese is known."""
        if lang != "zh":
            return str(self)
        if self.key in CATALOGUE:
            zh = CATALOGUE[self.key][1]
        elif self.key.startswith("pydantic.") and self.key[len("pydantic."):] in PYDANTIC_ZH:
            zh = PYDANTIC_ZH[self.key[len("pydantic."):]]
        else:
            return str(self)
        values = {k: v.in_lang(lang) if isinstance(v, Message) else v for k, v in self.values.items()}
        try:
            text = zh.format(**values)
        except (KeyError, IndexError, ValueError):
            return str(self)
        return text + (_GOT_ZH.format(got=self.got) if self.got is not None else "")


def say(key: str, /, **values: Any) -> Message:
    """The catalogue message ``key`` filled with ``values``; KeyError names an unknown key."""
    try:
        english = CATALOGUE[key][0]
    except KeyError:
        raise KeyError(f"no message {key!r} in sim.messages.CATALOGUE") from None
    values = {k: _quotable(v) for k, v in values.items()}
    if "where" in values:
        values.setdefault("where_zh", _where_zh(values["where"]))
    return Message(english.format(**values), key, values)


def _where_zh(where: str) -> str:
    """``"line 3, column 5: "`` → ``"第 3 行第 5 列："``."""
    import re

    m = re.match(r"line (\d+), column (\d+): ", where or "")
    return f"第 {m.group(1)} 行第 {m.group(2)} 列：" if m else where


def from_pydantic(err: Mapping[str, Any]) -> Message:
    """A message for one pydantic error (an item of ``ValidationError.errors()``).

    A ``value_error`` raised with a :class:`Message` (``raise ValueError(say(...))``) keeps
    that message; otherwise the English comes from :data:`PYDANTIC_EN` (pydantic's own text,
    cut, for a type not listed) with the offending input added as ``(got …)`` when it is a
    scalar (quoted in at most :data:`~sim.scenario.limits.QUOTE_CHARS` characters), and the
    Chinese comes from :data:`PYDANTIC_ZH`.
    """
    kind = err.get("type", "")
    ctx = dict(err.get("ctx") or {})
    cause = ctx.get("error")
    if kind in ("value_error", "assertion_error") and cause is not None and cause.args \
            and isinstance(cause.args[0], Message):
        return cause.args[0]
    if kind in ("extra_forbidden", "missing"):
        return Message(PYDANTIC_EN[kind], f"pydantic.{kind}")
    value = err.get("input")
    values = {k: _number(v) for k, v in ctx.items() if k != "error"}
    template = PYDANTIC_EN.get(kind)
    try:
        msg = template.format(**values) if template else None
    except (KeyError, IndexError, ValueError):
        msg = None
    if msg is None:
        msg = short(str(err.get("msg", "invalid")), 2 * QUOTE_CHARS)
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
    got = None
    if not isinstance(value, (dict, list, tuple)) and "(got" not in msg:
        got = _as_written(value)
        msg = f"{msg} (got {got})"
    return Message(msg, f"pydantic.{kind}", values, got)


def _as_written(value: Any) -> str:
    """An offending input quoted near to how a file writes it: dates in ISO form, big
    floats in exponent form (1e+12), anything else as its bounded repr."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return repr(value.isoformat())
    if isinstance(value, float) and math.isfinite(value) and abs(value) >= 1e12:
        return format(value, "g")
    return short_repr(value)


def _number(value: Any) -> Any:
    """A bound as a person writes it: 50000 rather than 50000.0 or 5e+04."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else format(value, "g")
    return value if isinstance(value, (int, str)) else short_repr(value)


def localise(message: str, lang: str) -> str:
    """``message`` in ``lang``: a :class:`Message` says itself in that language, any other
    string is returned as it is."""
    return message.in_lang(lang) if isinstance(message, Message) else str(message)
