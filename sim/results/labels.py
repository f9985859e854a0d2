"""Bilingual labels (English and Chinese) for figures, reports and the dashboard.

:func:`text` looks a key up in :data:`TEXTS` ({key: {"en": ..., "zh": ...}}) and fills
``{placeholders}`` from keyword arguments; :data:`KPI_LABELS` names every KPI of
:data:`sim.kpis.KPIS` and :data:`sim.issuance_kpis.ISSUANCE_KPIS`. The Chinese terms are the ones card halls use (窗口, 绿色通道, AB岗,
空窗, 立等可取, 取号, 等候时长, 弃号, 老年人, 制卡, 发卡, 领卡). Keys are stable; add new ones
at the end of a dict, each with both languages.
"""

from __future__ import annotations

from typing import Mapping

__all__ = ["LANGS", "TEXTS", "KPI_LABELS", "text", "text_of", "kpi_label", "group_label", "verdict_label",
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
    "sla.empty_window_max_min": {"en": "empty windows ≤ {v:g} min a day", "zh": "每日空窗 ≤ {v:g} 分钟"},
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
    "report.animation": {"en": "{name}: the sample day animated, {path} (a self-contained HTML page; open it in a browser).",
                         "zh": "{name}：样本日动画，{path}（独立 HTML 页面，用浏览器打开）。"},
    "report.question_one": {"en": "does {name} meet its service targets?", "zh": "{name} 是否达到服务目标？"},
    "report.question_many": {"en": "what changes from {name} with {others}?", "zh": "{others} 相对 {name} 有何变化？"},
    "report.scorecard": {"en": "SLA scorecard", "zh": "服务目标（SLA）达标情况"},
    "report.differences": {"en": "Differences against the baseline ({name})", "zh": "与基准方案（{name}）的差异"},
    "report.standards": {"en": "Minimum standards", "zh": "最低配置标准"},
    "report.figures": {"en": "Figures", "zh": "图表"},
    "report.sweep": {"en": "Sweep", "zh": "参数扫描"},
    "report.issuance": {"en": "Card issuance over working days", "zh": "按工作日的制发卡"},
    "report.roster": {"en": "Proposed roster", "zh": "排班方案"},
    "report.roster.note": {"en": "Proposed by hallsim roster ({reps} replications, seed {seed}): {hours} staff-hours "
                                 "a week. For each group of weekdays: the verdict, the people and the chart.",
                           "zh": "由 hallsim roster 生成（{reps} 次重复，随机种子 {seed}）：每周 {hours} 工时。"
                                 "每组营业日：结论、人员与排班图。"},
    "report.roster.people": {"en": "person,A post,B post,shift,lunch,hours", "zh": "人员,A岗,B岗,班次,午休,工时"},
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
    "short.batch_max_days": {"en": "batch cards late", "zh": "批量制卡超期比例"},
    "short.sporadic_max_days": {"en": "sporadic cards late", "zh": "零星制卡超期比例"},
    "short.collect_after_days": {"en": "cards not ready at collection", "zh": "领卡时未制好比例"},
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
    # the hall's day, animated (sim.plots.animation)
    "anim.title": {"en": "{name}: one day in the hall ({date})", "zh": "{name}：大厅的一天（{date}）"},
    "anim.entrance": {"en": "entrance", "zh": "入口"},
    "anim.guide": {"en": "guide desk", "zh": "引导台"},
    "anim.green": {"en": "green channel queue", "zh": "绿色通道排队"},
    "anim.queue": {"en": "queue: {service}", "zh": "排队：{service}"},
    "anim.kiosk": {"en": "kiosks", "zh": "自助终端"},
    "anim.windows": {"en": "windows", "zh": "窗口"},
    "anim.printer": {"en": "instant printer (立等可取)", "zh": "即时制卡（立等可取）"},
    "anim.exit": {"en": "exit", "zh": "出口"},
    "anim.waiting": {"en": "{n} tickets waiting", "zh": "等候 {n} 人"},
    # calibration report and figures (sim.report.calibration, sim.calibration.figures)
    "calr.title": {"en": "Calibration: {title}", "zh": "模型校准：{title}"},
    "calr.headline": {"en": "Calibrated from **{log}** against the hall file **{hall}**; the model reproduces **{n} of {of}** observed figures.",
                      "zh": "依据叫号日志 **{log}** 与大厅文件 **{hall}** 校准；模型复现了 **{of} 项中的 {n} 项**观测指标。"},
    "calr.log": {"en": "The log", "zh": "叫号日志"},
    "calr.log_summary": {"en": "`{name}`: {rows} rows, layout **{layout}**, encoding **{encoding}**; {tickets} tickets kept over {days} days ({first} to {last}). Ages from: {ages}; booking flag: {booked}; slot time: {slot}.",
                         "zh": "`{name}`：{rows} 行，格式 **{layout}**，编码 **{encoding}**；保留 {tickets} 张票，共 {days} 天（{first} 至 {last}）。年龄来源：{ages}；预约标记：{booked}；预约时段：{slot}。"},
    "calr.no_ages": {"en": "none (no 年龄 or 证件号码)", "zh": "无（没有年龄或证件号码）"},
    "calr.yes": {"en": "yes", "zh": "有"},
    "calr.no": {"en": "no", "zh": "无"},
    "calr.bad_rows": {"en": "**{n} bad rows left out**, by kind:", "zh": "**剔除 {n} 行错误记录**，按类型："},
    "calr.no_bad": {"en": "No bad rows.", "zh": "没有错误记录。"},
    "calr.unmatched": {"en": "**Business names that match no service of the hall file** (left out, not guessed; name them in a mapping file's `services:`):",
                       "zh": "**与大厅文件业务代码不符的业务名称**（已剔除，不作猜测；请在映射文件的 `services:` 中对应）："},
    "calr.fit": {"en": "What was fitted", "zh": "拟合结果"},
    "calr.volume": {"en": "**Tickets per opening day:** {value} (95 % interval {interval}, {days} days).",
                    "zh": "**每个营业日取号数：**{value}（95% 区间 {interval}，{days} 天）。"},
    "calr.profile_caption": {"en": "Arrival profile in {bin}-minute periods", "zh": "{bin} 分钟时段的到达分布"},
    "calr.weekday_hours": {"en": "Arrivals per weekday and hour", "zh": "分星期、分时段的到达率"},
    "calr.weekday_hours_text": {"en": "Tickets per hour on each weekday (mean over its days; the 95 % intervals are in `tables/weekday_hours.csv`). A weekday with fewer than {min} days gets the pooled profile scaled to its volume (marked *).",
                                "zh": "各星期每小时取号数（该星期各天的平均；95% 区间见 `tables/weekday_hours.csv`）。不足 {min} 天的星期采用合并分布按其总量缩放（标 *）。"},
    "calr.profile_test": {"en": "Do the weekdays' hourly profiles differ? Chi-square test of homogeneity of the hourly counts over {weekdays}: chi-square {chi2}, {dof} degrees of freedom, p = {p} — **{verdict}**.",
                          "zh": "各星期的小时分布是否不同？对 {weekdays} 的小时计数做卡方齐性检验：卡方 {chi2}，自由度 {dof}，p = {p} —— **{verdict}**。"},
    "calr.profiles_differ": {"en": "they differ", "zh": "存在差异"},
    "calr.profiles_same": {"en": "no difference shown", "zh": "未见差异"},
    "calr.profile_untested": {"en": "The weekdays' profiles are not tested: fewer than two weekdays have {min} days or more.",
                              "zh": "未检验各星期的分布：有 {min} 天以上数据的星期不足两个。"},
    "calr.profile_pooled": {"en": "The scenario format has one hourly profile for all weekdays (`demand.hourly_profile`, scaled by `demand.weekday_factors`), so the calibrated scenario uses the profile pooled over the weekdays.",
                            "zh": "场景格式对所有星期只有一条小时分布（`demand.hourly_profile`，按 `demand.weekday_factors` 缩放），因此校准场景采用各星期合并的分布。"},
    "calr.weekday_caption": {"en": "Tickets per hour by weekday, with the pooled profile", "zh": "各星期每小时取号数及合并分布"},
    "calr.poisson": {"en": "Are arrivals Poisson? (Kim & Whitt 2014)", "zh": "到达是否为泊松过程？（Kim & Whitt 2014）"},
    "calr.poisson_text": {"en": "Within each profile period the rate is taken as constant, so arrival positions within their period should be uniform (KS test, pooled per hour); the dispersion index of an hour's counts across days of the same weekday is 1 for Poisson counts, above 1 when over-dispersed. A small p-value (< 0.01) says the assumption fails in that hour.",
                          "zh": "每个时段内到达率视为常数，到达时刻在时段内应均匀分布（按小时合并做 KS 检验）；同一星期各天同一小时计数的离散指数在泊松下为 1，大于 1 表示过度离散。p 值小于 0.01 表示该小时不符合泊松假设。"},
    "calr.days": {"en": "Days of the log and the calendar", "zh": "日志日期与工作日历"},
    "calr.days_text": {"en": "Every date from the log's first to its last judged with the working-day calendar (chinesecalendar). The calibrated scenario uses **run.calendar: {calendar}**; {closed} day(s) without tickets become run.closed_dates; {outside} log date(s) are not simulated.",
                       "zh": "日志首日至末日的每一天按工作日历（chinesecalendar）判定。校准场景采用 **run.calendar: {calendar}**；{closed} 个无票日列入 run.closed_dates；{outside} 个日志日期不模拟。"},
    "calr.days_plain": {"en": "Every day in the log's range is an ordinary opening day with tickets (or a weekend the hall does not open).",
                        "zh": "日志范围内的每一天都是有票的普通营业日（或大厅不营业的周末）。"},
    "calr.mix": {"en": "Service mix", "zh": "业务构成"},
    "calr.times": {"en": "Window time per service", "zh": "各业务窗口办理时长"},
    "calr.times_text": {"en": "Exponential, lognormal and gamma fitted by maximum likelihood; the lowest AIC is chosen, unless its Kolmogorov–Smirnov p-value is below 0.01 with at least 200 times (then the empirical distribution). Elderly visitors' times are divided by the fitted elderly multiplier first. A window time runs from the call to the end of service when the log has both (the model has no walk from the call to the window).",
                        "zh": "用最大似然拟合指数、对数正态和伽马分布，取 AIC 最小者；若其 KS 检验 p 值低于 0.01 且样本不少于 200，则改用经验分布。老年人的时长先除以拟合的老年人倍数。日志有叫号和完成时间时，窗口时长从叫号算到办结（模型中没有叫号后走到窗口这一步）。"},
    "calr.qq_caption": {"en": "Q–Q plots: observed window times against the calibrated distributions", "zh": "Q–Q 图：观测窗口时长与校准分布"},
    "calr.call_start": {"en": "From call to service start", "zh": "叫号至开始办理"},
    "calr.call_start_text": {"en": "Call (叫号时间) to service start (开始服务时间): mean {mean} min (95 % interval {interval}), median {median}, 90th percentile {p90}, {n} tickets. The model has no such field — a called visitor is served at once — so it is folded into the window time: the window times above run from the call to the end of service (the window is held while the visitor walks up).",
                            "zh": "叫号时间至开始服务时间：平均 {mean} 分钟（95% 区间 {interval}），中位数 {median}，第 90 百分位 {p90}，共 {n} 张票。模型没有这一环节（叫号即开始办理），因此并入窗口时长：上面的窗口时长从叫号算到办结（群众走到窗口期间窗口已被占用）。"},
    "calr.call_start_none": {"en": "The log has no call and start times, or they are equal: no time from call to service start.",
                             "zh": "日志没有叫号和开始服务时间，或二者相同：没有叫号至开始办理的时长。"},
    "calr.call_start_caption": {"en": "Minutes from call to service start", "zh": "叫号至开始办理的分钟数"},
    "calr.patience": {"en": "Patience", "zh": "等候耐心"},
    "calr.patience_none": {"en": "Nobody left before being served in the log: patience is not fitted (the hall file's stays).",
                           "zh": "日志中没有人未办理即离开：不拟合等候耐心（沿用大厅文件）。"},
    "calr.patience_text": {"en": "Visitors who left (过号 / 弃号 / NO_SHOW / REMOVE) reveal their patience; those called were still willing to wait (right-censored). The exponential rate is departures ÷ total waiting time (interval from the chi-square); lognormal and gamma by censored maximum likelihood; the scenario uses the lowest AIC. The Kaplan–Meier curve is computed with numpy (the `lifelines` package needs pandas < 3).",
                           "zh": "离开的群众（过号 / 弃号 / NO_SHOW / REMOVE）显示了其耐心；被叫到的群众当时仍愿等候（右删失）。指数分布的率为离开人数 ÷ 总等候时长（区间由卡方分布给出）；对数正态与伽马用删失最大似然拟合；场景采用 AIC 最小者。Kaplan–Meier 曲线用 numpy 计算（`lifelines` 要求 pandas < 3）。"},
    "calr.patience_caption": {"en": "Kaplan–Meier estimate of patience and the fitted curves", "zh": "等候耐心的 Kaplan–Meier 估计与拟合曲线"},
    "calr.shares": {"en": "Shares and other figures", "zh": "比例及其他指标"},
    "calr.windows": {"en": "Windows and staff", "zh": "窗口与人员"},
    "calr.windows_text": {"en": "Per window: the median first service start and last service end over the days it served, and what the scenario gets (`windows.*.hours`: within {slack} minutes of the doors counts as the door; a window serving on fewer than half the days is closed).",
                          "zh": "各窗口：所服务各天首次开始办理与最后办结时间的中位数，以及写入场景的内容（`windows.*.hours`：距开门或关门 {slack} 分钟以内按开关门计；服务天数不足一半的窗口视为关闭）。"},
    "calr.staff_text": {"en": "The roster (`staff`) from the operators (操作人员): the operator serving most at a window is its A post, their second window their B post; shifts from the median first and last service; a lunch gap of at least {gap} minutes seen on half their days or more is a break. What the log cannot tell comes from the hall file's person of the same name.",
                        "zh": "由操作人员推出的排班（`staff`）：在某窗口办理最多的人为该窗口 A 岗，其次常去的窗口为 B 岗；班次取首末次办理时间的中位数；半数以上工作日在午间出现不少于 {gap} 分钟的空档即为休息。日志看不出的内容取自大厅文件中同名人员。"},
    "calr.staff_kept": {"en": "The calibrated scenario keeps the hall file's roster.", "zh": "校准场景沿用大厅文件的排班。"},
    "calr.bookings": {"en": "Booked visits (预约)", "zh": "预约"},
    "calr.bookings_text": {"en": "Booked share per service (booked first tickets and missed bookings ÷ first tickets and missed bookings), the no-show rate of bookings (missed ÷ all bookings) and, with slot times, punctuality (arrival − slot): written into the scenario's `appointments:` section.",
                           "zh": "各业务预约比例（预约首票与爽约数 ÷ 首票与爽约数）、预约爽约率（爽约 ÷ 全部预约），有预约时段时还有守时情况（到达 − 时段）：写入场景的 `appointments:` 部分。"},
    "calr.bookings_none": {"en": "No booking marked in the log: no appointments section.", "zh": "日志中没有标记预约：不写入预约部分。"},
    "calr.notes": {"en": "Notes", "zh": "说明"},
    "calr.validation": {"en": "Validation: observed beside simulated", "zh": "验证：观测与模拟对照"},
    "calr.validation_none": {"en": "Not run.", "zh": "未运行。"},
    "calr.validation_text": {"en": "The calibrated scenario simulated over the log's {days} days, {reps} replications (seed {seed}). **{n} of {of} figures reproduced**{few}.",
                             "zh": "校准场景按日志的 {days} 天模拟 {reps} 次（种子 {seed}）。**{of} 项指标中复现 {n} 项**{few}。"},
    "calr.validation_few": {"en": ", {n} with too few tickets to judge", "zh": "，{n} 项票数过少未判定"},
    "calr.validation_rule": {"en": "A figure is reproduced when the observed value lies within the central 95 % of the replications' values, or within the practical tolerance of the simulated mean ({tol}; the larger applies). Hours with fewer than {min} tickets are not judged on waits. \"By\" is observed − simulated mean.",
                             "zh": "观测值落在各次模拟值的中间 95% 范围内，或与模拟均值之差在实用容差内（{tol}；取较大者），即判为复现。取号不足 {min} 张的小时不判定等候时长。“相差”为观测值 − 模拟均值。"},
    "calr.fig_caption": {"en": "{what}: observed against simulated", "zh": "{what}：观测与模拟对照"},
    "calr.windows_caption": {"en": "Windows serving per hour, observed against simulated: the check of the fitted window hours and roster",
                             "zh": "每小时办理中的窗口数，观测与模拟对照：检验拟合的窗口时间与排班"},
    "calr.scenario": {"en": "The calibrated scenario", "zh": "校准后的场景"},
    "calr.made_with": {"en": "Made with `{command}`.", "zh": "生成命令：`{command}`。"},
    "calr.verdict.reproduced": {"en": "reproduced", "zh": "复现"},
    "calr.verdict.not reproduced": {"en": "not reproduced", "zh": "未复现"},
    "calr.verdict.too few": {"en": "too few", "zh": "样本过少"},
    # column heads of the calibration report's tables
    "calc.weekday": {"en": "weekday", "zh": "星期"},
    "calc.days": {"en": "days", "zh": "天数"},
    "calc.per_day": {"en": "tickets per day", "zh": "日均取号数"},
    "calc.factor": {"en": "factor", "zh": "系数"},
    "calc.interval": {"en": "95 % interval", "zh": "95% 区间"},
    "calc.hour": {"en": "hour", "zh": "时段"},
    "calc.tickets": {"en": "tickets", "zh": "票数"},
    "calc.ks_p": {"en": "KS p-value", "zh": "KS 检验 p 值"},
    "calc.dispersion": {"en": "dispersion index", "zh": "离散指数"},
    "calc.dispersion_p": {"en": "dispersion p-value", "zh": "离散检验 p 值"},
    "calc.date": {"en": "date", "zh": "日期"},
    "calc.kind": {"en": "calendar", "zh": "日历"},
    "calc.verdict": {"en": "verdict", "zh": "判定"},
    "calc.service": {"en": "service", "zh": "业务"},
    "calc.share": {"en": "share", "zh": "比例"},
    "calc.n": {"en": "n", "zh": "样本数"},
    "calc.mean_min": {"en": "mean, min", "zh": "均值（分钟）"},
    "calc.chosen": {"en": "chosen", "zh": "选用"},
    "calc.candidate": {"en": "candidate", "zh": "候选分布"},
    "calc.parameters": {"en": "parameters", "zh": "参数"},
    "calc.aic": {"en": "AIC", "zh": "AIC"},
    "calc.figure": {"en": "figure", "zh": "指标"},
    "calc.value": {"en": "value", "zh": "数值"},
    "calc.window": {"en": "window", "zh": "窗口"},
    "calc.first": {"en": "first", "zh": "首次开始"},
    "calc.last": {"en": "last", "zh": "最后办结"},
    "calc.hours": {"en": "scenario hours", "zh": "场景中的开放时间"},
    "calc.operators": {"en": "operators", "zh": "操作人员数"},
    "calc.a_post": {"en": "A post", "zh": "A 岗"},
    "calc.b_post": {"en": "B post", "zh": "B 岗"},
    "calc.staff": {"en": "staff", "zh": "工作人员"},
    "calc.shift": {"en": "shift", "zh": "班次"},
    "calc.break": {"en": "break (start/min)", "zh": "休息（开始/分钟）"},
    "calc.source": {"en": "from", "zh": "来源"},
    "calc.booked": {"en": "booked", "zh": "预约"},
    "calc.missed": {"en": "missed", "zh": "爽约"},
    "calc.observed": {"en": "observed", "zh": "观测"},
    "calc.sim_mean": {"en": "simulated mean", "zh": "模拟均值"},
    "calc.sim_interval": {"en": "simulated 95 %", "zh": "模拟 95% 范围"},
    "calc.by": {"en": "by", "zh": "相差"},
    "calc.bad": {"en": "bad rows", "zh": "错误记录"},
    "calc.business": {"en": "business name", "zh": "业务名称"},
    # calibration figures
    "calf.hour_of_day": {"en": "hour of the day", "zh": "时段"},
    "calf.band": {"en": "simulated, 95 % of replications", "zh": "模拟（95% 的重复）"},
    "calf.sim_mean": {"en": "simulated mean", "zh": "模拟均值"},
    "calf.obs_ok": {"en": "observed (reproduced)", "zh": "观测（复现）"},
    "calf.obs_bad": {"en": "observed (not reproduced)", "zh": "观测（未复现）"},
    "calf.wait_mean_min": {"en": "Mean wait by hour of issue", "zh": "按取号时段的平均等候时长"},
    "calf.wait_p90_min": {"en": "90th percentile of the wait by hour", "zh": "按时段的等候时长第 90 百分位"},
    "calf.served_per_hour": {"en": "Visitors served per hour", "zh": "每小时办结人数"},
    "calf.windows_open": {"en": "Windows serving per hour", "zh": "每小时办理中的窗口数"},
    "calf.unit.min": {"en": "min", "zh": "分钟"},
    "calf.unit.visitors/h": {"en": "visitors/h", "zh": "人/小时"},
    "calf.unit.windows": {"en": "windows", "zh": "窗口数"},
    "calf.tickets_per_hour": {"en": "tickets per hour", "zh": "每小时取号数"},
    "calf.profile_title": {"en": "Arrival profile ({n} tickets per day on average)", "zh": "到达分布（日均 {n} 张票）"},
    "calf.pooled": {"en": "pooled", "zh": "合并"},
    "calf.weekday_title": {"en": "Tickets per hour by weekday", "zh": "各星期每小时取号数"},
    "calf.model_min": {"en": "model, min", "zh": "模型（分钟）"},
    "calf.log_min": {"en": "log, min", "zh": "日志（分钟）"},
    "calf.patience_none": {"en": "Patience: nobody left before being served", "zh": "等候耐心：无人未办理即离开"},
    "calf.km": {"en": "Kaplan–Meier", "zh": "Kaplan–Meier"},
    "calf.candidate": {"en": "{dist} (mean {mean} min)", "zh": "{dist}（均值 {mean} 分钟）"},
    "calf.chosen": {"en": " — chosen", "zh": " —— 选用"},
    "calf.waited": {"en": "minutes waited", "zh": "已等候分钟数"},
    "calf.still_waiting": {"en": "share still waiting", "zh": "仍在等候的比例"},
    "calf.patience_title": {"en": "Patience from censored waits", "zh": "由删失等候时间估计的耐心"},
    "calf.call_start_title": {"en": "Call to service start (mean {mean} min)", "zh": "叫号至开始办理（均值 {mean} 分钟）"},
    "calf.minutes": {"en": "minutes", "zh": "分钟"},
    "calf.tickets": {"en": "tickets", "zh": "票数"},
    "calr.val.whole day": {"en": "whole day", "zh": "全天"},
    "calr.val.closed": {"en": "closed", "zh": "关闭"},
    "calr.val.not in the hall file": {"en": "not in the hall file", "zh": "大厅文件中没有"},
    "calr.val.log": {"en": "log", "zh": "日志"},
    "calr.val.log; absences from the hall file": {"en": "log; absences from the hall file", "zh": "日志；临时离岗取自大厅文件"},
    "calr.val.log; shift and breaks from the hall file": {"en": "log; shift and breaks from the hall file",
                                                          "zh": "日志；班次与休息取自大厅文件"},
    "calr.val.left out: served on too few days": {"en": "left out: served on too few days", "zh": "未列入：办理天数过少"},
    "calr.val.hall file (not in the log: guide desk or home visits)": {
        "en": "hall file (not in the log: guide desk or home visits)", "zh": "大厅文件（日志中没有：引导台或上门服务）"},
    "calr.val.workday": {"en": "workday", "zh": "工作日"},
    "calr.val.weekend": {"en": "weekend", "zh": "周末"},
    "calr.val.holiday": {"en": "holiday", "zh": "法定节假日"},
    "calr.val.adjusted": {"en": "adjusted working day", "zh": "调休上班日"},
    "weekday.mon": {"en": "Monday", "zh": "周一"},
    "weekday.tue": {"en": "Tuesday", "zh": "周二"},
    "weekday.wed": {"en": "Wednesday", "zh": "周三"},
    "weekday.thu": {"en": "Thursday", "zh": "周四"},
    "weekday.fri": {"en": "Friday", "zh": "周五"},
    "weekday.sat": {"en": "Saturday", "zh": "周六"},
    "weekday.sun": {"en": "Sunday", "zh": "周日"},
    "calday.holiday": {"en": "statutory holiday, no tickets (explained by the calendar)", "zh": "法定节假日，无票（日历可解释）"},
    "calday.weekend": {"en": "weekend the hall does not open, no tickets", "zh": "大厅不营业的周末，无票"},
    "calday.closed": {"en": "no tickets on a day the hall opens: unexplained closed day (run.closed_dates)", "zh": "营业日无票：原因不明的闭厅日（列入 run.closed_dates）"},
    "calday.holiday_open": {"en": "tickets on a statutory holiday", "zh": "法定节假日有票（节假日照常营业）"},
    "calday.adjusted_open": {"en": "tickets on a weekend day swapped in as a working day (调休上班)", "zh": "调休上班日有票"},
    "calday.adjusted_closed": {"en": "no tickets on a weekend day swapped in as a working day (调休上班)", "zh": "调休上班日无票"},
    "calday.weekend_open": {"en": "tickets on a weekend day the hall file keeps closed", "zh": "大厅文件规定不营业的周末有票"},
    # notes of a calibration (sim.calibration.notes.Note; made in sim.calibration.logdays, .bookings, .fit, .roster)
    "caln.days_beyond_calendar": {
        "en": "the log's dates ({first} to {last}) are outside the years the working-day calendar knows ({lo}-{hi}): "
              "holidays are not recognised; the weekly hours decide",
        "zh": "日志日期（{first} 至 {last}）超出工作日历所含的年份（{lo}-{hi}）：无法识别法定节假日，按每周营业时间判定营业日"},
    "caln.calendar_chinese": {
        "en": "run.calendar: chinese — the public calendar explains the log: {holidays} statutory holiday(s) without "
              "tickets, {adjusted} adjusted working day(s) (调休上班) with tickets",
        "zh": "run.calendar: chinese —— 国家法定工作日历与日志相符：{holidays} 个法定节假日无人取号，"
              "{adjusted} 个调休上班日有人取号"},
    "caln.calendar_unexplained": {
        "en": "the public calendar does not explain the log ({holidays} holiday(s) with tickets, {adjusted} adjusted "
              "working day(s) without): run.calendar stays {calendar}",
        "zh": "国家法定工作日历与日志不符（{holidays} 个法定节假日有人取号，{adjusted} 个调休上班日无人取号）："
              "run.calendar 仍为 {calendar}"},
    "caln.holiday_tickets": {
        "en": "tickets on {n} statutory holiday(s): {items}{more}",
        "zh": "{n} 个法定节假日有人取号：{items}{more}"},
    "caln.days_not_simulated": {
        "en": "{n} log date(s) fall on days the hall keeps closed under run.calendar: {calendar} ({items}{more}); "
              "they are not simulated",
        "zh": "{n} 个日志日期在 run.calendar: {calendar} 下是大厅不营业的日子（{items}{more}）；这些日期不模拟"},
    "caln.days_closed": {
        "en": "{n} opening day(s) have no ticket in the log and are treated as closed (run.closed_dates): "
              "{items}{more}",
        "zh": "{n} 个营业日在日志中无人取号，按闭厅日处理（列入 run.closed_dates）：{items}{more}"},
    "caln.no_booked": {
        "en": "appointments: the log's booking flag (预约) marks no ticket as booked; no appointments section",
        "zh": "appointments：日志的预约标记中没有一张预约号；不写入预约部分（appointments）"},
    "caln.no_missed": {
        "en": "appointments.no_show_rate: the log lists no missed booking (爽约 / 预约未到 / MISSED_APPOINTMENT); "
              "the rate is 0 — if the system does not export missed bookings, set it by hand",
        "zh": "appointments.no_show_rate：日志中没有爽约记录（爽约 / 预约未到 / MISSED_APPOINTMENT），爽约率记为 0 "
              "—— 如果叫号系统不导出爽约记录，请手工填写"},
    "caln.no_slot": {
        "en": "appointments.punctuality and slot_min: the log has no slot time (预约时间 / appointment_time); "
              "they stay as in the hall file (or the defaults)",
        "zh": "appointments.punctuality 与 slot_min：日志中没有预约时段（预约时间 / appointment_time）；"
              "沿用大厅文件（或默认值）"},
    "caln.few_early": {
        "en": "appointments.punctuality.early: only {n} booked visitors came early; it stays as in the hall file "
              "(or the default)",
        "zh": "appointments.punctuality.early：只有 {n} 位预约群众提前到达；沿用大厅文件（或默认值）"},
    "caln.few_late": {
        "en": "appointments.punctuality.late: only {n} booked visitors came late; it stays as in the hall file "
              "(or the default)",
        "zh": "appointments.punctuality.late：只有 {n} 位预约群众迟到；沿用大厅文件（或默认值）"},
    "caln.weekdays_pooled": {
        "en": "hourly rates: {weekdays} have fewer than {min} days in the log; their rates are the pooled profile "
              "scaled to its volume",
        "zh": "分时段到达率：{weekdays}在日志中不足 {min} 天；其到达率取各星期合并的分布，按该星期的取号总量缩放"},
    "caln.profile_pooled": {
        "en": "demand.hourly_profile: the scenario format has one hourly profile for all weekdays (scaled by "
              "demand.weekday_factors), so the scenario uses the profile pooled over the weekdays",
        "zh": "demand.hourly_profile：场景格式对所有星期只有一条小时分布（按 demand.weekday_factors 缩放），"
              "因此场景采用各星期合并的分布"},
    "caln.profile_pooled_differ": {
        "en": "demand.hourly_profile: the scenario format has one hourly profile for all weekdays (scaled by "
              "demand.weekday_factors), so the scenario uses the profile pooled over the weekdays; the weekdays' "
              "hourly profiles differ (chi-square {chi2:.1f}, {dof} degrees of freedom, p = {p:.3g}): the pooled "
              "profile is an approximation on each weekday",
        "zh": "demand.hourly_profile：场景格式对所有星期只有一条小时分布（按 demand.weekday_factors 缩放），"
              "因此场景采用各星期合并的分布；各星期的小时分布存在差异（卡方 {chi2:.1f}，自由度 {dof}，p = {p:.3g}）："
              "合并分布对每个星期都只是近似"},
    "caln.profile_pooled_same": {
        "en": "demand.hourly_profile: the scenario format has one hourly profile for all weekdays (scaled by "
              "demand.weekday_factors), so the scenario uses the profile pooled over the weekdays; the weekdays' "
              "hourly profiles do not differ (chi-square {chi2:.1f}, {dof} degrees of freedom, p = {p:.3g})",
        "zh": "demand.hourly_profile：场景格式对所有星期只有一条小时分布（按 demand.weekday_factors 缩放），"
              "因此场景采用各星期合并的分布；各星期的小时分布未见差异（卡方 {chi2:.1f}，自由度 {dof}，p = {p:.3g}）"},
    "caln.call_to_start": {
        "en": "call to service start (叫号 → 开始服务): mean {mean:.2f} min over {n} tickets. The model has no such "
              "step (a called visitor is served at once), so the window times are fitted from the call to the end "
              "of service: the window is held while the visitor walks up",
        "zh": "叫号至开始服务（叫号 → 开始服务）：{n} 张号平均 {mean:.2f} 分钟。模型没有这一环节（叫号即开始办理），"
              "因此窗口办理时长从叫号算到办结：群众走到窗口期间窗口已被占用"},
    "caln.no_elderly_multiplier": {
        "en": "elderly_multiplier: too few elderly or other visitors with an age (30 of each needed); the hall "
              "file's multipliers stay",
        "zh": "elderly_multiplier：有年龄信息的老年人或其他群众太少（各需 30 人）；沿用大厅文件的老年人办理时长倍数"},
    "caln.few_times": {
        "en": "services.{service}.window_time: only {n} service times; the hall file's stays",
        "zh": "services.{service}.window_time：只有 {n} 个办理时长；沿用大厅文件的窗口办理时长"},
    "caln.no_patience": {
        "en": "patience: no visitor left before being served in the log (no 过号 / 弃号 / NO_SHOW / REMOVE); "
              "patience is not fitted and stays as in the hall file",
        "zh": "patience：日志中没有群众未办理即离开（没有过号 / 弃号 / NO_SHOW / REMOVE）；不拟合等候耐心，沿用大厅文件"},
    "caln.no_ages": {
        "en": "elderly_share: the log has no age or ID number; the hall file's share stays",
        "zh": "elderly_share：日志中没有年龄或证件号码；沿用大厅文件的老年人比例"},
    "caln.no_windows": {
        "en": "the log has no window names or no service times: the hall file's window hours and roster stay",
        "zh": "日志中没有窗口名称或办理时间：沿用大厅文件的窗口开放时间和排班"},
    "caln.unknown_windows": {
        "en": "window names in the log that are no window of the hall file (left out of the hours and roster; map "
              "them with --columns: windows: {{NAME: ID}}): {items}",
        "zh": "日志中不属于大厅文件的窗口名称（不计入窗口开放时间和排班；请用 --columns 映射文件对应："
              "windows: {{名称: 编号}}）：{items}"},
    "caln.unseen_windows": {
        "en": "windows of the hall file that served nobody in the log are closed (hours: []): {items}",
        "zh": "大厅文件中在日志里无人办理的窗口按关闭处理（hours: []）：{items}"},
    "caln.no_operators": {
        "en": "the log has no operator column (操作人员 / staff): the hall file's roster stays",
        "zh": "日志中没有操作人员列（操作人员 / staff）：沿用大厅文件的排班"},
    "caln.windows_without_a": {
        "en": "windows open in the log without a person whose A post they are (served by covers only): {items}",
        "zh": "日志中开放但没有 A 岗人员的窗口（只由顶岗人员办理）：{items}"},
    "caln.staffing_always": {
        "en": "the hall file attends every window at all times (policies.staffing: always): the roster found in "
              "the log is reported, not written",
        "zh": "大厅文件设定每个窗口始终有人（policies.staffing: always）：由日志推出的排班只列入报告，不写入场景"},
    # the verdict of a proposed roster (sim.results.notes.Note; made in sim.experiments.rostering and .week_roster)
    "rosv.meets": {"en": "the roster meets every target that the hall meets with every window attended all day",
                   "zh": "该排班达到了所有窗口全天有人时大厅能达到的每一项目标"},
    "rosv.meets_but_absences": {
        "en": "the roster meets every target that the hall meets with every window attended all day but for random "
              "absences",
        "zh": "除临时离岗造成的空窗外，该排班达到了所有窗口全天有人时大厅能达到的每一项目标"},
    "rosv.missed": {"en": "no roster within the rules met {targets} after {rounds} round(s)",
                    "zh": "经过 {rounds} 轮，规则范围内没有排班能达到 {targets}"},
    "rosv.absences": {
        "en": "random absences left windows empty {mean:.3g} [{low:.3g}, {high:.3g}] min a day ({spells} empty spells "
              "in all simulated days; 0 with absences off: every lunch and shift change is covered), on days when "
              "more people were away at once than the free people on shift (at least {free} in every slot)",
        "zh": "临时离岗造成每日空窗 {mean:.3g} [{low:.3g}, {high:.3g}] 分钟（全部仿真日共 {spells} 段空窗；不计临时离岗时为 0："
              "每次午休和交接班都有人顶岗），发生在同时离岗的人数多于在岗空闲人数的日子（每个时段至少 {free} 人空闲）"},
    "rosv.standby_hire": {"en": "{head}; a standby person would be a new hire beyond max_new_staff",
                          "zh": "{head}；增加一名机动人员将超出 max_new_staff 允许的新增人数"},
    "rosv.standby_kept": {
        "en": "{head}; a standby floater {start}-{end} (+{hours:g} staff-hours a day) covers those days and is in the "
              "proposed roster: {mean:.3g} [{low:.3g}, {high:.3g}] a day",
        "zh": "{head}；一名 {start}-{end} 的机动顶岗人员（每日 +{hours:g} 工时）可覆盖这些日子，已列入建议排班："
              "每日 {mean:.3g} [{low:.3g}, {high:.3g}]"},
    "rosv.standby_bound": {
        "en": "{head}; even a standby floater {start}-{end} (+{hours:g} staff-hours a day) leaves {mean:.3g} "
              "[{low:.3g}, {high:.3g}] a day: the bound of one standby person, as any number of people may be absent "
              "at once (absences that wait for a cover would remove them)",
        "zh": "{head}；即使增加一名 {start}-{end} 的机动顶岗人员（每日 +{hours:g} 工时），每日仍有 {mean:.3g} "
              "[{low:.3g}, {high:.3g}]：这是一名机动人员的极限，因为同时离岗的人数不受限制（若临时离岗也等人顶岗即可消除）"},
    "rosv.standby2_kept": {
        "en": "{head}; two standby floaters {start}-{end} (+{hours:g} staff-hours a day) cover those days and are in "
              "the proposed roster: {mean:.3g} [{low:.3g}, {high:.3g}] a day",
        "zh": "{head}；两名 {start}-{end} 的机动顶岗人员（每日 +{hours:g} 工时）可覆盖这些日子，已列入建议排班："
              "每日 {mean:.3g} [{low:.3g}, {high:.3g}]"},
    "rosv.standby2_bound": {
        "en": "{head}; even two standby floaters {start}-{end} (+{hours:g} staff-hours a day) leave {mean:.3g} "
              "[{low:.3g}, {high:.3g}] a day: the bound of two standby people, as any number of people may be absent "
              "at once (absences that wait for a cover would remove them)",
        "zh": "{head}；即使增加两名 {start}-{end} 的机动顶岗人员（每日 +{hours:g} 工时），每日仍有 {mean:.3g} "
              "[{low:.3g}, {high:.3g}]：这是两名机动人员的极限，因为同时离岗的人数不受限制（若临时离岗也等人顶岗即可消除）"},
    "rosv.unmeetable": {
        "en": "{label} is missed even with every window attended all day ({mean:.3g} [{low:.3g}, {high:.3g}] against "
              "{limit:g}): staff cannot move it; {remedy} would",
        "zh": "即使所有窗口全天有人，仍未达到“{label}”（{mean:.3g} [{low:.3g}, {high:.3g}]，目标 {limit:g}）："
              "增加人员无济于事，{remedy}才能改善"},
    "rosv.remedy.issuance_p90_max_min": {
        "en": "a further instant card printer (devices.instant_printers.count) or faster repair "
              "(devices.instant_printers.mttr)",
        "zh": "再增加一台即时制卡设备（devices.instant_printers.count）或缩短维修时间（devices.instant_printers.mttr）"},
    "rosv.remedy.wait_mean_max_min": {"en": "more windows (--allow-new-windows) or shorter window times",
                                      "zh": "增加窗口（--allow-new-windows）或缩短办理时长"},
    "rosv.remedy.wait_p90_max_min": {"en": "more windows (--allow-new-windows) or shorter window times",
                                     "zh": "增加窗口（--allow-new-windows）或缩短办理时长"},
    "rosv.remedy.elderly_wait_p90_max_min": {
        "en": "more green windows or windows (--allow-new-windows), or shorter elderly window times",
        "zh": "增加绿色通道窗口或窗口（--allow-new-windows），或缩短老年人办理时长"},
    "rosv.remedy.abandonment_rate_max": {"en": "more windows (--allow-new-windows)",
                                         "zh": "增加窗口（--allow-new-windows）"},
    "rosv.remedy.empty_window_max_min": {"en": "staff who cover (floaters)", "zh": "增加可顶岗的人员（机动岗）"},
    "rosv.remedy.other": {"en": "change the hall", "zh": "调整大厅配置"},
    "rosv.long_runs": {
        "en": "in one simulated day (absences off) {runs} in a row at windows, above max_continuous_min {limit} "
              "(a rest waits while nobody can cover)",
        "zh": "在一个仿真日（不计临时离岗）中，{runs}连续在窗口工作，超过 max_continuous_min {limit} 分钟（无人顶岗时休息须等待）"},
    "rosv.run": {"en": "{name} is {minutes:g} min", "zh": "{name} {minutes:g} 分钟"},
    "rosv.lacks_windows": {
        "en": "the hall lacks windows: the period targets need more than {cap} windows at {spans} (--allow-new-windows "
              "proposes a variant with more)",
        "zh": "大厅窗口不足：{spans} 时段的目标需要多于 {cap} 个窗口（--allow-new-windows 可提出增加窗口的方案）"},
    "rosv.lacks_windows_allowed": {
        "en": "the hall lacks windows: the period targets need more than {cap} windows at {spans}",
        "zh": "大厅窗口不足：{spans} 时段的目标需要多于 {cap} 个窗口"},
    "rosv.not_proven": {
        "en": "the roster is the best the solver found within time_limit_s {limit:g} s, not proven to have the fewest "
              "staff-hours (a longer limit searches further: --rule time_limit_s=…)",
        "zh": "该排班是求解器在 time_limit_s {limit:g} 秒内找到的最好方案，未证明工时最少（放宽时限可继续搜索：--rule time_limit_s=…）"},
    "rosv.group": {"en": "{days}: {verdict}", "zh": "{days}：{verdict}"},
    "rosv.days_off": {"en": "days off for days_per_week {limit}: {items}", "zh": "为满足 days_per_week {limit}，安排休息：{items}"},
    "rosv.day_off": {"en": "{day} {names}", "zh": "{day} {names}"},
    # a network of service points (sim.network.display: the CLI, the report and the Network page)
    "net.circle": {"en": "Circle of {minutes} minutes: {all} of residents ({elderly} of the elderly) live within {minutes} "
                     "min of a point that makes cards on the spot; door to card, counting the wait there: {door} "
                     "(elderly {door_elderly}).",
               "zh": "{minutes} 分钟办卡服务圈：{all} 的居民（老年人 {elderly}）住在立等可取网点 {minutes} 分钟路程以内；"
                     "计入网点等候时间（门到卡）：{door}（老年人 {door_elderly}）。"},
    "net.plan": {"en": "Open {chosen} (maximal covering, k = {k}{weight}; CP-SAT {status}): residents within the circle "
                   "{before} → {after}, elderly {elderly_before} → {elderly_after} (travel only; the simulation checks "
                   "waits).",
             "zh": "新设 {chosen}（最大覆盖选址，k = {k}{weight}；CP-SAT {status}）：服务圈内居民 {before} → {after}，"
                   "老年人 {elderly_before} → {elderly_after}（仅计路程；等候由仿真检验）。"},
    "net.plan.weight": {"en": ", an elderly resident counted {w} times", "zh": "，老年人按 {w} 倍计"},
    "net.whatif.with": {"en": "with {what}", "zh": "新增或移动 {what}"},
    "net.whatif.without": {"en": "without {what}", "zh": "关闭 {what}"},
    "net.whatif.outlet": {"en": "with new outlet {what}", "zh": "新设网点 {what}"},
    "net.yes": {"en": "yes", "zh": "是"},
    "net.no": {"en": "no", "zh": "否"},
    # network KPIs (sim.network.simulation.NETWORK_KPIS)
    "net.kpi.circle_share.all": {"en": "residents within the circle", "zh": "服务圈内居民比例"},
    "net.kpi.circle_share.elderly": {"en": "elderly within it", "zh": "服务圈内老年人比例"},
    "net.kpi.door_to_card_share.all": {"en": "door to card (with waits)", "zh": "计入等候的服务圈内比例（门到卡）"},
    "net.kpi.door_to_card_share.elderly": {"en": "door to card, elderly", "zh": "门到卡，老年人"},
    "net.kpi.travel_mean_min.all": {"en": "mean travel (min)", "zh": "平均路程时间（分钟）"},
    "net.kpi.travel_mean_min.other": {"en": "mean travel, others", "zh": "平均路程时间，其他群众"},
    "net.kpi.travel_mean_min.elderly": {"en": "mean travel, elderly", "zh": "平均路程时间，老年人"},
    "net.kpi.wait_mean_min.all": {"en": "mean wait (min)", "zh": "平均等候时长（分钟）"},
    "net.kpi.wait_mean_min.other": {"en": "mean wait, others", "zh": "平均等候时长，其他群众"},
    "net.kpi.wait_mean_min.elderly": {"en": "mean wait, elderly", "zh": "平均等候时长，老年人"},
    "net.kpi.abandonment_rate.all": {"en": "abandoned the queue", "zh": "弃号率"},
    "net.kpi.visitors_per_day.all": {"en": "visits per day", "zh": "日均来访"},
    "net.kpi.wait_p90_min.all": {"en": "90th percentile wait (min)", "zh": "等候时长第 90 百分位（分钟）"},
    "net.kpi.wait_p90_min.elderly": {"en": "90th percentile wait, elderly", "zh": "老年人等候时长第 90 百分位"},
    # table columns
    "net.col.point": {"en": "point", "zh": "网点"},
    "net.col.level": {"en": "level", "zh": "级别"},
    "net.col.card": {"en": "cards on the spot", "zh": "立等可取"},
    "net.col.visits": {"en": "visits/day", "zh": "日均来访"},
    "net.col.wait": {"en": "mean wait [95 %] (min)", "zh": "平均等候 [95 % 区间]（分钟）"},
    "net.col.p90": {"en": "p90 wait (min)", "zh": "等候90分位（分钟）"},
    "net.col.elderly_p90": {"en": "elderly p90 (min)", "zh": "老年人等候90分位（分钟）"},
    "net.col.abandon": {"en": "abandoned", "zh": "弃号率"},
    "net.col.sla": {"en": "SLA targets met", "zh": "服务目标达标"},
    "net.col.standards": {"en": "minimum standards passed", "zh": "最低标准符合"},
    "net.col.zone": {"en": "zone", "zh": "片区"},
    "net.col.residents": {"en": "residents", "zh": "居民"},
    "net.col.elderly_share": {"en": "elderly", "zh": "老年人占比"},
    "net.col.travel": {"en": "travel (min)", "zh": "路程（分钟）"},
    "net.col.zone_wait": {"en": "wait (min)", "zh": "等候（分钟）"},
    "net.col.served": {"en": "served within the circle", "zh": "服务圈内办结"},
    "net.col.circle": {"en": "within the circle", "zh": "服务圈覆盖"},
    "net.col.circle_elderly": {"en": "elderly within it", "zh": "老年人覆盖"},
    "net.col.door": {"en": "door to card", "zh": "门到卡"},
    "net.col.door_elderly": {"en": "door to card, elderly", "zh": "门到卡，老年人"},
    "net.col.kpi": {"en": "network", "zh": "网络指标"},
    "net.col.value": {"en": "mean [95 % interval]", "zh": "平均值 [95 % 置信区间]"},
    "net.col.base": {"en": "as it is", "zh": "现状"},
    "net.col.variant": {"en": "what-if", "zh": "情景"},
    "net.col.diff": {"en": "Δ [95 %]", "zh": "差值 [95 %]"},
    "net.col.clear": {"en": "difference", "zh": "差异"},
    "net.col.visits_change": {"en": "visits/day: as it is → what-if", "zh": "日均来访：现状 → 情景"},
    "net.col.wait_change": {"en": "mean wait (min): as it is → what-if", "zh": "平均等候（分钟）：现状 → 情景"},
    "net.col.wait_diff": {"en": "Δ wait [95 %]", "zh": "等候差值 [95 %]"},
    "net.col.candidate": {"en": "candidate site", "zh": "候选点"},
    "net.col.x": {"en": "x (km)", "zh": "x（公里）"},
    "net.col.y": {"en": "y (km)", "zh": "y（公里）"},
    "net.col.chosen": {"en": "chosen", "zh": "入选"},
    "net.col.gain": {"en": "residents it alone brings into the circle", "zh": "单独新设可新增覆盖居民"},
    # the map (sim.plots.network)
    "net.map.circle": {"en": "residents within the circle", "zh": "服务圈内居民比例"},
    "net.map.door": {"en": "within the circle counting the wait", "zh": "计入等候的服务圈内比例"},
    "net.map.wait": {"en": "mean wait at the points chosen (min)", "zh": "所选网点平均等候（分钟）"},
    "net.map.legend": {"en": "■ hall ▲ bank ◆ town, filled = cards on the spot",
                   "zh": "■ 大厅 ▲ 银行网点 ◆ 乡镇网点，实心 = 立等可取"},
    "net.map.east": {"en": "km (east)", "zh": "公里（东）"},
    "net.map.north": {"en": "km (north)", "zh": "公里（北）"},
    # the network report (sim.report.network)
    "netr.question": {"en": "who lives within the {minutes}-minute card circle?", "zh": "谁在 {minutes} 分钟办卡服务圈内？"},
    "netr.circle": {"en": "The card circle", "zh": "办卡服务圈"},
    "netr.circle.note": {"en": "Inside the circle: the travel time by one's usual mode to the nearest point that makes "
                          "cards on the spot is at most {minutes} minutes. Door to card, the stricter reading, also "
                          "counts the simulated wait at that point. Means over {reps} replications with their 95 % "
                          "intervals.",
                    "zh": "服务圈内：按常用出行方式到最近的立等可取网点的路程时间不超过 {minutes} 分钟。“门到卡”"
                          "为更严格的口径，另计该网点仿真得出的等候时间。数值为 {reps} 次重复的平均值及 95 % 置信区间。"},
    "netr.network": {"en": "{points} service points, {zones} zones, {people} residents; {reps} replications × {days} "
                      "opening day(s), seed {seed}.",
                "zh": "{points} 个服务网点、{zones} 个片区、{people} 名居民；{reps} 次重复 × {days} 个营业日，随机种子 {seed}。"},
    "netr.points": {"en": "Service points", "zh": "服务网点"},
    "netr.points.note": {"en": "Each point's hall simulated with the demand the zones assign it (SLA: targets met of those "
                          "judged; minimum standards of its level).",
                    "zh": "各网点按各片区分配的需求仿真（服务目标：达标数/可判定数；最低标准按网点级别）。"},
    "netr.zones": {"en": "Zones", "zh": "片区"},
    "netr.zones.note": {"en": "Travel and wait of each zone's visitors at the points they choose; served within the circle: "
                         "visitors whose travel + wait was within it; within the circle: residents (travel only).",
                   "zh": "各片区来访群众到所选网点的路程和等候；服务圈内办结：路程加等候不超过服务圈时长的来访者比例；"
                         "服务圈覆盖：居民比例（仅计路程）。"},
    "netr.maps": {"en": "Maps", "zh": "地图"},
    "netr.map.circle": {"en": "{name}: zones coloured by the share of residents within the circle",
                   "zh": "{name}：按服务圈覆盖比例着色的片区"},
    "netr.map.wait": {"en": "{name}: zones coloured by the mean wait at the points their visitors choose",
                 "zh": "{name}：按所选网点平均等候时长着色的片区"},
    "netr.whatif": {"en": "What-if", "zh": "情景推演"},
    "netr.whatif.note": {"en": "The network {what}, against the network as it is, on common random numbers: a point kept in "
                          "both draws the same random numbers in both, so the differences are paired.",
                    "zh": "网络{what}，与现状对比，采用共同随机数：两个网络中都有的网点使用相同的随机数，差值为配对差值。"},
    "netr.whatif.glance": {"en": "What-if ({what}): residents within the circle {before} → {after}; door to card "
                            "{door_before} → {door_after}.",
                      "zh": "情景（{what}）：服务圈内居民 {before} → {after}；门到卡 {door_before} → {door_after}。"},
    "netr.whatif.points": {"en": "Service points in the what-if", "zh": "情景中的服务网点"},
    "netr.whatif.variant": {"en": "what-if", "zh": "情景"},
    "netr.location": {"en": "New instant-issue outlets", "zh": "新增立等可取网点选址"},
    "netr.location.note": {"en": "Maximal covering location model (Church & ReVelle 1974), solved exactly with OR-Tools "
                            "CP-SAT; the what-if above simulates the network with the chosen outlets.",
                      "zh": "最大覆盖选址模型（Church & ReVelle 1974），用 OR-Tools CP-SAT 精确求解；上方情景推演对加入"
                            "入选网点后的网络进行了仿真。"},
    "netr.files": {"en": "Network files", "zh": "网络文件"},
    "netr.rebuild": {"en": "To rebuild this report from the files it holds, run in its folder:",
                "zh": "如需用报告中保存的文件重新生成本报告，请在报告文件夹中运行："},
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
    return text_of(TEXTS, key, lang, "i18n", **values)


def text_of(table: Mapping[str, Mapping[str, str]], key: str, lang: str = "en", what: str = "i18n", /,
            **values) -> str:
    """The text ``key`` of a table ``{key: {"en": …, "zh": …}}`` in ``lang`` with its
    ``{placeholders}`` filled; KeyError names the key (and ``what`` table), ValueError an
    unknown language."""
    check_lang(lang)
    try:
        template = table[key][lang]
    except KeyError:
        raise KeyError(f"{what}: no text {key!r}") from None
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
