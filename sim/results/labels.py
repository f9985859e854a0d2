"""Bilingual labels (English and Chinese) for figures, reports and the dashboard.

:func:`text` looks a key up in :data:`TEXTS` ({key: {"en": ..., "zh": ...}}) and fills
``{placeholders}`` from keyword arguments; :data:`KPI_LABELS` names every KPI of
:data:`sim.kpis.KPIS` and :data:`sim.issuance_kpis.ISSUANCE_KPIS`. The Chinese terms are the ones card halls use (窗口, 绿色通道, AB岗,
空窗, 立等可取, 取号, 等候时长, 弃号, 老年人, 制卡, 发卡, 领卡). Keys are stable; add new ones
at the end of a dict, each with both languages.
"""

from __future__ import annotations

__all__ = ["LANGS", "TEXTS", "KPI_LABELS", "text", "kpi_label", "group_label", "verdict_label",
           "sla_label", "standard_label", "check_lang"]

LANGS = ("en", "zh")
"""The supported label languages."""

TEXTS: dict[str, dict[str, str]] = {
    # terms of the halls (for screens and captions)
    "term.window": {"en": "window", "zh": "窗口"},
    "term.green_channel": {"en": "green channel", "zh": "绿色通道"},
    "term.ab_post": {"en": "A/B posts", "zh": "AB岗"},
    "term.empty_window": {"en": "empty window", "zh": "空窗"},
    "term.instant_issue": {"en": "on-the-spot issuance", "zh": "立等可取"},
    "term.ticket": {"en": "take a ticket", "zh": "取号"},
    "term.wait": {"en": "wait", "zh": "等候时长"},
    "term.abandon": {"en": "abandoned ticket", "zh": "弃号"},
    "term.elderly": {"en": "elderly", "zh": "老年人"},
    "term.card_making": {"en": "card making", "zh": "制卡"},
    "term.card_issuing": {"en": "card issuing", "zh": "发卡"},
    "term.card_collection": {"en": "card collection", "zh": "领卡"},
    # verdicts (sim.summary.judge_sla) and standards
    "verdict.met": {"en": "met", "zh": "达标"},
    "verdict.not met": {"en": "not met", "zh": "未达标"},
    "verdict.uncertain": {"en": "uncertain", "zh": "待定"},
    "verdict.no data": {"en": "no data", "zh": "无数据"},
    "standard.pass": {"en": "pass", "zh": "符合"},
    "standard.fail": {"en": "fail", "zh": "不符合"},
    # groups of KPIs
    "group.all": {"en": "all", "zh": "全部"},
    "group.elderly": {"en": "elderly", "zh": "老年人"},
    "group.other": {"en": "others", "zh": "其他群众"},
    "group.service": {"en": "service {name}", "zh": "业务 {name}"},
    "group.window": {"en": "window {name}", "zh": "窗口 {name}"},
    "group.staff": {"en": "staff {name}", "zh": "工作人员 {name}"},
    "group.device": {"en": "device {name}", "zh": "设备 {name}"},
    "group.hour": {"en": "hour {name}", "zh": "{name} 时"},
    # SLA targets (labels of sim.summary.SLA_TARGETS; {v} is the limit)
    "sla.wait_mean_max_min": {"en": "mean wait ≤ {v:g} min", "zh": "平均等候时长 ≤ {v:g} 分钟"},
    "sla.wait_p90_max_min": {"en": "90 % of visitors wait ≤ {v:g} min", "zh": "90% 的群众等候时长 ≤ {v:g} 分钟"},
    "sla.elderly_wait_p90_max_min": {"en": "elderly 90th percentile wait ≤ {v:g} min",
                                     "zh": "老年人等候时长第 90 百分位 ≤ {v:g} 分钟"},
    "sla.issuance_p90_max_min": {"en": "on-the-spot issuance 90th percentile ≤ {v:g} min",
                                 "zh": "立等可取制卡第 90 百分位 ≤ {v:g} 分钟"},
    "sla.abandonment_rate_max": {"en": "abandonment ≤ {v:.0%}", "zh": "弃号率 ≤ {v:.0%}"},
    "sla.empty_window_max_min": {"en": "empty-window minutes per day ≤ {v:g}", "zh": "每日空窗分钟数 ≤ {v:g}"},
    # minimum standards (sim.standards.STANDARDS keys)
    "std.windows": {"en": "service windows", "zh": "服务窗口"},
    "std.floor_area_m2": {"en": "floor area (m²)", "zh": "场地面积（m²）"},
    "std.computers": {"en": "computers", "zh": "计算机"},
    "std.printers": {"en": "printers", "zh": "打印机"},
    "std.scanners": {"en": "scanners", "zh": "扫描仪"},
    "std.card_readers": {"en": "card readers", "zh": "读卡器"},
    "std.staff": {"en": "staff", "zh": "工作人员"},
    "std.atm_or_kiosk": {"en": "ATMs or self-service terminals", "zh": "自助银行 ATM 或自助服务终端"},
    # figure titles, axes and legends
    "fig.queue.title": {"en": "Waiting tickets through the day", "zh": "全天取号等候人数"},
    "fig.queue.y": {"en": "tickets waiting", "zh": "等候人数（号）"},
    "fig.queue.band": {"en": "{name}: 10–90 % of days", "zh": "{name}：10–90% 的日子"},
    "fig.clock": {"en": "time of day", "zh": "时刻"},
    "fig.minutes_since_start": {"en": "minutes since start", "zh": "自开始的分钟数"},
    "fig.cdf.title": {"en": "Distribution of waits (ticket to call)", "zh": "等候时长分布（取号至叫号）"},
    "fig.cdf.x": {"en": "wait (min)", "zh": "等候时长（分钟）"},
    "fig.cdf.y": {"en": "share of visitors waiting at most x", "zh": "等候不超过 x 的群众比例"},
    "fig.target": {"en": "target {v:g} min", "zh": "目标 {v:g} 分钟"},
    "fig.hour.title": {"en": "Waits by hour of the ticket", "zh": "各时段等候时长（按取号时刻）"},
    "fig.hour.x": {"en": "hour of the ticket", "zh": "取号时段"},
    "fig.hour.y": {"en": "wait (min)", "zh": "等候时长（分钟）"},
    "fig.p90": {"en": "{name}: 90th percentile", "zh": "{name}：第 90 百分位"},
    "fig.mean": {"en": "{name}: mean", "zh": "{name}：平均"},
    "fig.elderly.title": {"en": "Waits of elderly visitors and others", "zh": "老年人与其他群众的等候时长"},
    "fig.elderly.mean": {"en": "mean wait (min)", "zh": "平均等候时长（分钟）"},
    "fig.elderly.p90": {"en": "90th percentile wait (min)", "zh": "第 90 百分位等候时长（分钟）"},
    "fig.util.title": {"en": "Utilisation and empty windows", "zh": "利用率与空窗"},
    "fig.util.share": {"en": "utilisation", "zh": "利用率"},
    "fig.util.window": {"en": "windows", "zh": "窗口"},
    "fig.util.staff": {"en": "staff", "zh": "工作人员"},
    "fig.util.empty": {"en": "empty-window minutes per day (空窗)", "zh": "每日空窗分钟数"},
    "fig.heat.title": {"en": "Window utilisation by hour: {name}", "zh": "各窗口分时段利用率：{name}"},
    "fig.heat.y": {"en": "window", "zh": "窗口"},
    "fig.heat.x": {"en": "hour", "zh": "时段"},
    "fig.heat.bar": {"en": "share of open minutes serving", "zh": "办理业务时间占比"},
    "fig.timeline.title": {"en": "One sample day: {name}, replication {rep}, day {day}",
                           "zh": "样本日：{name}，第 {rep} 次重复，第 {day} 天"},
    "fig.nodata": {"en": "no data", "zh": "无数据"},
    "fig.issuance.title": {"en": "On-the-spot issuance: arrival to card in hand",
                           "zh": "立等可取：到达至领到卡的时长"},
    "fig.issuance.x": {"en": "arrival to card in hand (min)", "zh": "到达至领卡时长（分钟）"},
    "fig.issuance.y": {"en": "share of cards", "zh": "制卡比例"},
    "fig.sweep.title": {"en": "{kpi} against {param}", "zh": "{kpi} 随 {param} 的变化"},
    "fig.sweep.interval": {"en": "mean and {conf} interval", "zh": "平均值与 {conf} 置信区间"},
    "state.serving": {"en": "serving", "zh": "办理中"},
    "state.idle": {"en": "idle", "zh": "空闲"},
    "state.empty": {"en": "empty (空窗)", "zh": "空窗"},
    "state.closed": {"en": "closed", "zh": "未开放"},
    "state.covered": {"en": "covered (AB岗)", "zh": "顶岗（AB岗）"},
    "state.break": {"en": "break", "zh": "休息"},
    "state.absence": {"en": "absence", "zh": "临时离岗"},
    "state.guide": {"en": "guide desk", "zh": "引导台"},
    "state.available": {"en": "available", "zh": "待命"},
    "state.helper": {"en": "helper post (free)", "zh": "陪办岗（空闲）"},
    "state.helping": {"en": "helping an elderly visitor", "zh": "陪办中"},
    # report text
    "report.title": {"en": "hallsim report: {name}", "zh": "hallsim 报告：{name}"},
    "report.verdicts": {"en": "Verdicts", "zh": "结论"},
    "report.glance": {"en": "At a glance", "zh": "概览"},
    "report.question_one": {"en": "does {name} meet its service targets?", "zh": "{name} 是否达到服务目标？"},
    "report.question_many": {"en": "what changes from {name} with {others}?", "zh": "{others} 相对 {name} 有何变化？"},
    "report.scorecard": {"en": "SLA scorecard", "zh": "服务目标（SLA）达标情况"},
    "report.differences": {"en": "Differences against the baseline ({name})", "zh": "与基准方案（{name}）的差异"},
    "report.standards": {"en": "Minimum standards", "zh": "最低配置标准"},
    "report.figures": {"en": "Figures", "zh": "图表"},
    "report.sweep": {"en": "Sweep", "zh": "参数扫描"},
    "report.issuance": {"en": "Card issuance over working days", "zh": "按工作日的制发卡"},
    "report.metadata": {"en": "Metadata", "zh": "元数据"},
    "report.scenario_files": {"en": "Scenario files", "zh": "方案文件"},
    "report.target": {"en": "target", "zh": "目标"},
    "report.scenario": {"en": "scenario", "zh": "方案"},
    "report.kpi": {"en": "KPI", "zh": "指标"},
    "report.group": {"en": "group", "zh": "群体"},
    "report.value": {"en": "mean [{conf} interval]", "zh": "平均值 [{conf} 置信区间]"},
    "report.verdict": {"en": "verdict", "zh": "结论"},
    "report.difference": {"en": "difference [{conf} interval]", "zh": "差值 [{conf} 置信区间]"},
    "report.significant": {"en": "clear", "zh": "显著"},
    "report.not_significant": {"en": "within noise", "zh": "不显著"},
    "report.standard": {"en": "standard", "zh": "标准"},
    "report.required": {"en": "required", "zh": "要求"},
    "report.actual": {"en": "actual", "zh": "实际"},
    "report.result": {"en": "result", "zh": "结果"},
    "report.level": {"en": "{level} level", "zh": "{level}"},
    "report.point": {"en": "point", "zh": "设计点"},
    "level.city": {"en": "city", "zh": "市级"},
    "level.county": {"en": "county", "zh": "县级"},
    "level.bank_outlet": {"en": "bank outlet", "zh": "合作金融机构网点"},
    "level.town": {"en": "town", "zh": "镇级"},
    "level.agency": {"en": "agency", "zh": "经办部门"},
    "report.verdict_para": {
        "en": "**{name}** meets {met} of {total} service targets{detail}.",
        "zh": "**{name}** 的 {total} 项服务目标中 {met} 项达标{detail}。",
    },
    "report.verdict_not_met": {"en": "; not met: {items}", "zh": "；未达标：{items}"},
    "report.verdict_uncertain": {"en": "; uncertain (run more replications): {items}",
                                 "zh": "；待定（需增加重复次数）：{items}"},
    "report.verdict_no_data": {"en": "; no data: {items}", "zh": "；无数据：{items}"},
    "report.verdict_standards_ok": {"en": " Every minimum standard of its level is met.",
                                    "zh": " 各项最低配置标准均符合。"},
    "report.verdict_standards_bad": {"en": " Minimum standards not met: {items}.",
                                     "zh": " 不符合的最低配置标准：{items}。"},
    "report.verdict_one_rep": {"en": " One replication only: judged on the value alone, without an interval.",
                               "zh": " 仅一次重复：无置信区间，仅按数值判断。"},
    "report.diff_note": {
        "en": "Paired differences (scenario − baseline) on common random numbers; "
              "'clear' when the interval excludes 0.",
        "zh": "在共同随机数下的配对差值（方案 − 基准）；区间不含 0 时为“显著”。",
    },
    "report.meta.version": {"en": "hallsim version", "zh": "hallsim 版本"},
    "report.meta.date": {"en": "date", "zh": "日期"},
    "report.meta.seed": {"en": "seed", "zh": "随机种子"},
    "report.meta.reps": {"en": "replications", "zh": "重复次数"},
    "report.meta.days": {"en": "opening days per replication", "zh": "每次重复的营业天数"},
    "report.meta.seconds": {"en": "run time (s)", "zh": "运行时间（秒）"},
    "report.meta.command": {"en": "command", "zh": "命令"},
    "report.meta.rebuild": {"en": "To rebuild this report from the scenario files it holds, run in its folder:",
                            "zh": "在本报告文件夹中运行以下命令，即可用其中保存的方案文件重新生成本报告："},
    "report.sweep.note": {"en": "Sweep over {params}: {points} design points, {reps} replications each.",
                          "zh": "参数扫描 {params}：{points} 个设计点，每点重复 {reps} 次。"},
    "report.sweep.auto_reps": {"en": "{span} (chosen per point for ±{precision:g} % precision)",
                               "zh": "{span}（按 ±{precision:g}% 精度逐点确定）"},
    "report.issuance.note": {"en": "Card issuance over working days: {days} application days, {reps} replications.",
                             "zh": "按工作日的制发卡：申领 {days} 个工作日，重复 {reps} 次。"},
    "sla.issuance.batch_max_days": {"en": "batch cards not ready within {days} working days ≤ {v:.0%}",
                                    "zh": "批量制卡 {days} 个工作日内未制成的比例 ≤ {v:.0%}"},
    "sla.issuance.sporadic_max_days": {"en": "sporadic cards not ready within {days} working days ≤ {v:.0%}",
                                       "zh": "零星制卡 {days} 个工作日内未制成的比例 ≤ {v:.0%}"},
    "sla.issuance.collect_after_days": {
        "en": "sporadic cards not ready when the holder comes after {days} working days ≤ {v:.0%}",
        "zh": "零星制卡申领 {days} 个工作日后前来领卡时卡未制成的比例 ≤ {v:.0%}"},
    # card issuance over working days (sim.plots.issuance)
    "fig.backlog.title": {"en": "Backlog at the card centre over working days", "zh": "制卡中心积压量（按工作日）"},
    "fig.backlog.y": {"en": "cards not yet made", "zh": "待制卡数（张）"},
    "fig.backlog.capacity": {"en": "daily capacity (mean)", "zh": "日制卡能力（平均）"},
    "fig.backlog.band": {"en": "{name}: 10–90 % of replications", "zh": "{name}：10–90% 的重复"},
    "fig.date": {"en": "date", "zh": "日期"},
    "fig.cycle.title": {"en": "Issuance cycle: application to card ready", "zh": "制发卡周期：申领至卡片可领"},
    "fig.cycle.x": {"en": "working days from application to card at the outlet", "zh": "申领至卡片到达网点的工作日数"},
    "fig.cycle.y": {"en": "share of cards ready within x", "zh": "x 个工作日内可领卡的比例"},
    "fig.cycle.target": {"en": "{name} target {v:g} working days", "zh": "{name}目标 {v:g} 个工作日"},
    "route.batch": {"en": "batch", "zh": "批量制卡"},
    "route.sporadic": {"en": "sporadic", "zh": "零星制卡"},
    "route.on_the_spot": {"en": "on the spot", "zh": "立等可取"},
    # staffing search (sim.plots.staffing)
    "fig.staffing.title": {"en": "Windows per block of the day and demand", "zh": "各时段开放窗口数与到达人数"},
    "fig.staffing.demand": {"en": "arrivals per hour", "zh": "每小时到达人数"},
    "fig.staffing.windows": {"en": "windows open (proposed)", "zh": "开放窗口数（建议）"},
    "fig.staffing.staff": {"en": "staff on shift", "zh": "在岗工作人员"},
    "fig.staffing.erlang_c": {"en": "Erlang C reference", "zh": "Erlang C 参考值"},
    "fig.staffing.erlang_a": {"en": "Erlang A reference", "zh": "Erlang A 参考值"},
    "fig.staffing.count": {"en": "windows / staff", "zh": "窗口数 / 人数"},
    "fig.staffing.missed": {"en": "targets not met", "zh": "未达标"},
    # headlines, advice and differences (sim.results.verdict)
    "list.sep": {"en": ", ", "zh": "，"},
    "unit.min": {"en": "{v} min", "zh": "{v} 分钟"},
    "unit.min_per_day": {"en": "{v} min a day", "zh": "每日 {v} 分钟"},
    "short.wait_mean_max_min": {"en": "mean wait", "zh": "平均等候时长"},
    "short.wait_p90_max_min": {"en": "wait p90", "zh": "等候时长90分位"},
    "short.elderly_wait_p90_max_min": {"en": "elderly wait p90", "zh": "老年人等候时长90分位"},
    "short.issuance_p90_max_min": {"en": "on-the-spot issuance p90", "zh": "立等可取办结时长90分位"},
    "short.abandonment_rate_max": {"en": "abandonment", "zh": "弃号率"},
    "short.empty_window_max_min": {"en": "empty-window minutes", "zh": "空窗分钟数"},
    "headline.item": {"en": "{name} {value} (target {limit})", "zh": "{name} {value}（目标 {limit}）"},
    "headline.meets": {"en": "{name} meets {met} of {total} service targets.",
                       "zh": "{name} 的 {total} 项服务目标中 {met} 项达标。"},
    "headline.all_met": {"en": "{name} meets all {total} of its service targets.",
                         "zh": "{name} 的 {total} 项服务目标全部达标。"},
    "headline.no_targets": {"en": "{name} has no service target with data to judge.",
                            "zh": "{name} 没有可判断的服务目标。"},
    "headline.not_met": {"en": "Not met: {items}.", "zh": "未达标：{items}。"},
    "headline.uncertain": {"en": "Uncertain (run more replications): {items}.",
                           "zh": "待定（需增加重复次数）：{items}。"},
    "advice.empty.why": {"en": "Windows stand empty {value} while their staff are away ({covered} are covered by a B post).",
                         "zh": "工作人员离岗时窗口空窗 {value}（B 岗顶岗 {covered}）。"},
    "advice.empty.do": {"en": "Give every window a B post who covers breaks and absences, or let `hallsim roster` propose a roster (dashboard: Staffing).",
                        "zh": "为每个窗口设置顶岗的 B 岗人员，或用 `hallsim roster` 生成排班（看板：人员配置）。"},
    "advice.issuance.devices_why": {"en": "The wait is short (p90 {wait}) but arrival to card in hand takes {value}: the time goes into service, printing and printer repairs (printers busy {use}), not the queue; more staff will not move it.",
                                    "zh": "等候不长（90分位 {wait}），但从到达到领卡需 {value}：时间耗在办理、制卡和制卡机维修上（制卡机占用 {use}），而非排队；增加人员无济于事。"},
    "advice.issuance.devices_do": {"en": "Add an instant-issue printer, or shorten its printing or repair time (`devices.instant_printers`; try it with `hallsim compare` or the Compare page).",
                                   "zh": "增加一台即时制卡机，或缩短制卡或维修时间（`devices.instant_printers`；可用 `hallsim compare` 或“方案对比”页试算）。"},
    "advice.issuance.wait_why": {"en": "Most of the time to card in hand is the wait for a window (p90 {wait}).",
                                 "zh": "领卡时长主要耗在等候窗口（90分位 {wait}）。"},
    "advice.wait.why": {"en": "Visitors wait too long (here {value}).", "zh": "群众等候过久（此处为 {value}）。"},
    "advice.abandon.why": {"en": "Visitors give up after long waits (wait p90 {wait}).",
                           "zh": "群众等候过久而弃号（等候时长90分位 {wait}）。"},
    "advice.elderly.why": {"en": "The elderly wait {value} at p90 (others {other}).",
                           "zh": "老年人等候时长90分位 {value}（其他群众 {other}）。"},
    "advice.elderly.do": {"en": "Open a green-channel window or give the elderly priority (`green_channel`), and compare with `hallsim compare`.",
                          "zh": "开设绿色通道窗口或让老年人优先（`green_channel`），并用 `hallsim compare` 对比。"},
    "advice.staff.do": {"en": "Staff more windows in {hours} (`hallsim staff` / `hallsim roster`, dashboard: Staffing).",
                        "zh": "在 {hours} 增开窗口（`hallsim staff` / `hallsim roster`，看板：人员配置）。"},
    "advice.peak": {"en": "the busiest hours", "zh": "高峰时段"},
    "advice.uncertain": {"en": "The verdict is uncertain: run more replications (`--reps auto`) first.",
                         "zh": "结论待定：请先增加重复次数（`--reps auto`）。"},
    "change.none": {"en": "no meaningful change", "zh": "无实质变化"},
    "change.target": {"en": "{name} {before} → {after}", "zh": "{name} {before} → {after}"},
    "change.no_target": {"en": "no target changes", "zh": "服务目标结论不变"},
    "change.nothing_else": {"en": "no other meaningful difference", "zh": "其他指标无实质差异"},
    "change.sentence": {"en": "{name} against {baseline}: {targets}; {others}.",
                        "zh": "{name} 相对 {baseline}：{targets}；{others}。"},
    # appointments and later steps (sim.scenario.visits)
    "group.booked": {"en": "booked", "zh": "预约群众"},
    "group.walk_in": {"en": "walk-in", "zh": "现场取号群众"},
    "sla.booked_wait_p90_max_min": {"en": "booked visitors' 90th percentile wait from the slot ≤ {v:g} min",
                                    "zh": "预约群众自预约时段起等候时长第 90 百分位 ≤ {v:g} 分钟"},
    "short.booked_wait_p90_max_min": {"en": "booked wait p90", "zh": "预约等候时长90分位"},
    "term.appointment": {"en": "appointment", "zh": "预约"},
    "term.transfer": {"en": "transfer to another window", "zh": "转办"},
    # accompanied service (sim.scenario.visits.Helpers)
    "group.elderly_helped": {"en": "elderly with a helper", "zh": "有陪办的老年人"},
    "group.elderly_alone": {"en": "elderly alone", "zh": "无陪办的老年人"},
    "sla.helper_wait_p90_max_min": {"en": "90th percentile wait for a helper, elderly who asked ≤ {v:g} min",
                                    "zh": "申请陪办的老年人等候陪办人员时长第 90 百分位 ≤ {v:g} 分钟"},
    "short.helper_wait_p90_max_min": {"en": "helper wait p90", "zh": "等候陪办90分位"},
    "term.helper": {"en": "accompanied service (helper)", "zh": "陪办"},
    "advice.helper.why": {"en": "Elderly visitors who ask for a helper wait {value} for one (helpers busy {use} of "
                                "their time at the post).",
                          "zh": "申请陪办的老年人等候陪办人员 {value}（陪办人员在岗时间中 {use} 在陪办）。"},
    "advice.helper.do": {"en": "Put another person on the helper post (`a_post: helper`), or let visitors go on "
                               "alone sooner (`helpers.patience`, `helpers.when_busy: alone`); try it with "
                               "`hallsim compare`.",
                         "zh": "增加一名陪办岗（`a_post: helper`）人员，或让群众更早自行办理（`helpers.patience`、"
                               "`helpers.when_busy: alone`）；可用 `hallsim compare` 比较。"},
}
"""Every label: key -> {"en": ..., "zh": ...}; ``{name}`` etc. are filled by :func:`text`."""

KPI_LABELS: dict[str, dict[str, str]] = {
    "visitors_per_day": {"en": "visitors per day", "zh": "日均到达人数"},
    "served_per_day": {"en": "served per day", "zh": "日均办结人数"},
    "wait_mean_min": {"en": "mean wait (min)", "zh": "平均等候时长（分钟）"},
    "wait_p50_min": {"en": "median wait (min)", "zh": "等候时长中位数（分钟）"},
    "wait_p90_min": {"en": "90th percentile wait (min)", "zh": "等候时长第 90 百分位（分钟）"},
    "wait_p95_min": {"en": "95th percentile wait (min)", "zh": "等候时长第 95 百分位（分钟）"},
    "wait_max_min": {"en": "longest wait (min)", "zh": "最长等候时长（分钟）"},
    "share_wait_over_target": {"en": "share waiting longer than the target", "zh": "等候超过目标的比例"},
    "time_to_ticket_mean_min": {"en": "mean time to ticket (min)", "zh": "平均取号前用时（分钟）"},
    "time_in_system_mean_min": {"en": "mean time in the hall (min)", "zh": "平均在厅时长（分钟）"},
    "issuance_mean_min": {"en": "mean arrival to card in hand (min)", "zh": "立等可取平均用时（分钟）"},
    "issuance_p90_min": {"en": "90th percentile arrival to card (min)", "zh": "立等可取用时第 90 百分位（分钟）"},
    "issuance_max_min": {"en": "longest arrival to card (min)", "zh": "立等可取最长用时（分钟）"},
    "abandonment_rate": {"en": "abandonment rate", "zh": "弃号率"},
    "baulking_rate": {"en": "left at once (queue too long)", "zh": "见队过长离开比例"},
    "missing_docs_rate": {"en": "sent away for missing documents", "zh": "材料不全退回比例"},
    "kiosk_share": {"en": "served at a kiosk", "zh": "自助终端办理比例"},
    "unserved_rate": {"en": "unserved at closing", "zh": "下班时未办结比例"},
    "repeat_visits_per_day": {"en": "return visits per day", "zh": "日均二次跑动人数"},
    "repeat_visits_pending": {"en": "return visits still to come", "zh": "待返回人数"},
    "queue_mean": {"en": "mean waiting tickets", "zh": "平均等候人数"},
    "queue_max": {"en": "most waiting tickets", "zh": "最多等候人数"},
    "window_utilisation": {"en": "window utilisation", "zh": "窗口利用率"},
    "staff_utilisation": {"en": "staff utilisation", "zh": "工作人员利用率"},
    "device_utilisation": {"en": "device utilisation", "zh": "设备利用率"},
    "empty_window_min_per_day": {"en": "empty-window minutes per day", "zh": "每日空窗分钟数"},
    "covered_min_per_day": {"en": "covered minutes per day", "zh": "每日顶岗分钟数"},
    "overtime_min_per_day": {"en": "minutes past closing per day", "zh": "每日延时服务分钟数"},
    "throughput_per_hour": {"en": "served per hour", "zh": "每小时办结人数"},
    # card issuance over working days (sim.issuance_kpis.ISSUANCE_KPIS)
    "applications_per_day": {"en": "applications per working day", "zh": "日均申领数"},
    "cycle_mean_days": {"en": "mean issuance cycle (working days)", "zh": "平均制发卡周期（工作日）"},
    "cycle_p90_days": {"en": "90th percentile issuance cycle (working days)", "zh": "制发卡周期第 90 百分位（工作日）"},
    "cycle_max_days": {"en": "longest issuance cycle (working days)", "zh": "最长制发卡周期（工作日）"},
    "within_target_share": {"en": "share ready within target", "zh": "按时制发卡比例"},
    "late_share": {"en": "share ready later than target", "zh": "超时制发卡比例"},
    "late_for_collection_share": {"en": "not ready when the holder comes", "zh": "群众来领卡时卡未到比例"},
    "backlog_peak": {"en": "peak backlog (cards)", "zh": "最大积压量（张）"},
    "backlog_mean": {"en": "mean backlog (cards)", "zh": "平均积压量（张）"},
    "capacity_utilisation": {"en": "production capacity utilisation", "zh": "制卡产能利用率"},
    "breakdown_days": {"en": "working days lost to failures", "zh": "故障停产工作日数"},
    "not_ready_at_end": {"en": "cards not ready at the end", "zh": "期末未制成卡数"},
    "collect_visits_per_day": {"en": "collection visits per working day", "zh": "日均领卡人次"},
    "wasted_visit_share": {"en": "collection visits that found no card", "zh": "领卡白跑比例"},
    "uncollected_after_year_share": {"en": "uncollected after a year", "zh": "超一年未领卡比例"},
    # appointments and later steps (sim.results.kpis)
    "booked_share": {"en": "share of arrivals booked", "zh": "预约到达比例"},
    "no_show_rate": {"en": "bookings not kept (no-show)", "zh": "预约爽约率"},
    "booking_lapsed_rate": {"en": "booked visitors too late (walked in)", "zh": "预约迟到失效比例"},
    "transfers_per_day": {"en": "transfers to a later window per day", "zh": "日均转办人次"},
    "transfer_wait_mean_min": {"en": "mean wait after a transfer (min)", "zh": "转办后平均等候时长（分钟）"},
    "transfer_wait_p90_min": {"en": "90th percentile wait after a transfer (min)", "zh": "转办后等候时长第 90 百分位（分钟）"},
    # home visits (sim.results.kpis)
    "home_visits_per_day": {"en": "home visits per day", "zh": "日均上门服务次数"},
    "home_visit_wait_days_mean": {"en": "mean days a home-visit request waits", "zh": "上门服务平均等待天数"},
    "home_visits_pending": {"en": "home-visit requests still waiting", "zh": "待上门服务申请数"},
    # accompanied service (sim.results.kpis)
    "helped_visits_per_day": {"en": "visits accompanied by a helper per day", "zh": "日均陪办人次"},
    "helped_share": {"en": "elderly accompanied by a helper", "zh": "老年人获得陪办比例"},
    "help_unmet_rate": {"en": "asked for a helper, went on alone", "zh": "申请陪办未获陪办比例"},
    "helper_wait_mean_min": {"en": "mean wait for a helper (min)", "zh": "等候陪办平均时长（分钟）"},
    "helper_wait_p90_min": {"en": "90th percentile wait for a helper (min)", "zh": "等候陪办时长第 90 百分位（分钟）"},
    "helper_utilisation": {"en": "helper utilisation", "zh": "陪办人员利用率"},
}
"""A label for every KPI key (hall and card issuance), in both languages."""


def check_lang(lang: str) -> str:
    """``lang`` when it is supported, else ValueError naming it."""
    if lang not in LANGS:
        raise ValueError(f"lang: must be one of {', '.join(LANGS)} (got {lang!r})")
    return lang


def text(key: str, lang: str = "en", **values) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Raises KeyError naming an unknown key and ValueError naming an unknown language.
    """
    check_lang(lang)
    try:
        template = TEXTS[key][lang]
    except KeyError:
        raise KeyError(f"i18n: no text {key!r}") from None
    return template.format(**values) if values else template


def kpi_label(kpi: str, lang: str = "en") -> str:
    """The label of KPI ``kpi`` in ``lang`` (the key itself for a KPI without one)."""
    check_lang(lang)
    return KPI_LABELS.get(kpi, {}).get(lang, kpi)


def group_label(group: str, lang: str = "en") -> str:
    """A KPI group (``all``, ``elderly``, ``window:W1`` …) in words."""
    kind, _, name = group.partition(":")
    key = f"group.{kind}"
    if key not in TEXTS:
        return group
    return text(key, lang, name=name) if name else text(key, lang)


def verdict_label(verdict: str, lang: str = "en") -> str:
    """An SLA verdict (``met``, ``not met``, ``uncertain``, ``no data``) in ``lang``."""
    key = f"verdict.{verdict}"
    return text(key, lang) if key in TEXTS else verdict


def sla_label(target: str, limit: float, lang: str = "en") -> str:
    """The words of SLA target field ``target`` with its limit (``sla.wait_mean_max_min`` …)."""
    key = f"sla.{target}"
    return text(key, lang, v=limit) if key in TEXTS else f"{target} ≤ {limit:g}"


def standard_label(standard: str, default: str, lang: str = "en") -> str:
    """A minimum standard's words in ``lang`` (``default`` when there is no translation)."""
    key = f"std.{standard}"
    if lang == "en" or key not in TEXTS:
        return default
    return text(key, lang)
