"""The dashboard's own words in English and Chinese (the labels shared with figures and
reports — KPIs, SLA targets, verdicts, groups, standards — live in :mod:`sim.i18n`).

Chinese terms are the ones card halls use: 窗口, 绿色通道, AB岗, 空窗, 立等可取, 取号,
等候时长, 弃号, 老年人, 制卡, 发卡, 领卡. :func:`t` looks a key up and fills
``{placeholders}``; :func:`code_label` names a code of the scenario schema (service,
device, window kind, level, green-channel mode, lunch mode).
"""

from __future__ import annotations

from sim.results.labels import check_lang

__all__ = ["LANG_NAMES", "UI", "CODES", "t", "code_label"]

LANG_NAMES = {"en": "English", "zh": "中文"}
"""The language switch's choices."""

UI: dict[str, dict[str, str]] = {
    # app and navigation
    "app.title": {"en": "hallsim — social security card hall simulator", "zh": "hallsim 社保卡服务大厅仿真"},
    "app.language": {"en": "Language / 语言", "zh": "语言 / Language"},
    "app.seed": {"en": "Seed", "zh": "随机种子"},
    "app.seed.help": {"en": "The same seed gives the same random numbers (common random numbers across scenarios).",
                      "zh": "相同的随机种子给出相同的随机数（各方案共用随机数）。"},
    "app.workers": {"en": "Processes", "zh": "进程数"},
    "app.workers.help": {"en": "Replications run in parallel on this many processes.",
                         "zh": "各次重复在这么多个进程上并行运行。"},
    "page.scenario": {"en": "Scenario", "zh": "方案编辑"},
    "page.compare": {"en": "Compare", "zh": "方案对比"},
    "page.staffing": {"en": "Staffing", "zh": "人员配置"},
    "page.batch": {"en": "Batch results", "zh": "批量结果"},
    "page.issuance": {"en": "Issuance", "zh": "制发卡"},
    # choosing scenarios
    "src.title": {"en": "Start from", "zh": "起始方案"},
    "src.file": {"en": "a file in scenarios/", "zh": "scenarios/ 中的方案文件"},
    "src.upload": {"en": "an uploaded YAML file", "zh": "上传 YAML 方案文件"},
    "src.variant": {"en": "a saved variant", "zh": "已保存的变体方案"},
    "src.pick_file": {"en": "Scenario file", "zh": "方案文件"},
    "src.pick_variant": {"en": "Variant", "zh": "变体方案"},
    "src.upload_label": {"en": "Scenario YAML file", "zh": "方案 YAML 文件"},
    "src.upload_bad": {"en": "The uploaded file cannot be used:", "zh": "上传的文件无法使用："},
    "src.upload_help": {"en": "At most {mb} MB; UTF-8 (or GB18030/GBK) text. `extends:` may name only a scenario "
                              "offered under “a file in scenarios/” or default_hall.yaml.",
                        "zh": "最大 {mb} MB；UTF-8（或 GB18030/GBK）编码文本。`extends:` 只能引用“scenarios/ 中的方案文件”"
                              "里列出的方案或 default_hall.yaml。"},
    "src.upload_kept": {"en": "Also kept as variant '{name}' for this session (Compare, Staffing, …).",
                        "zh": "已同时保存为本次会话的变体“{name}”（可用于方案对比、人员配置等）。"},
    "src.upload_first": {"en": "Upload a scenario file to start.", "zh": "请先上传方案文件。"},
    "src.no_variants": {"en": "No saved variants yet: edit a scenario and save it.",
                        "zh": "还没有变体方案：编辑方案后保存即可。"},
    "src.broken": {"en": "{n} scenario files do not load", "zh": "{n} 个方案文件无法读取"},
    "src.embedded": {"en": "embedded default hall", "zh": "内置默认大厅"},
    "src.file_tag": {"en": "file", "zh": "文件"},
    "src.variant_tag": {"en": "variant", "zh": "变体"},
    # editor sections and fields
    "ed.title": {"en": "Edit the scenario", "zh": "编辑方案"},
    "ed.invalid": {"en": "The edited scenario is not valid yet: fix the fields marked in red.",
                   "zh": "修改后的方案尚未通过校验：请修正标红的字段。"},
    "ed.valid": {"en": "The edited scenario is valid.", "zh": "修改后的方案校验通过。"},
    "ed.other_problems": {"en": "Other problems:", "zh": "其他问题："},
    "ed.hall": {"en": "Hall", "zh": "大厅"},
    "ed.hall.name": {"en": "Hall name", "zh": "大厅名称"},
    "ed.hall.level": {"en": "Level of service point", "zh": "网点级别"},
    "ed.hall.area": {"en": "Floor area (m²)", "zh": "场地面积（m²）"},
    "ed.hall.lunch": {"en": "Lunch", "zh": "午间安排"},
    "ed.windows": {"en": "Windows and what they serve", "zh": "窗口及可办业务"},
    "ed.windows.help": {"en": "One row per window; add or delete rows to change the number of windows.",
                        "zh": "每行一个窗口；增删行即可增减窗口。"},
    "ed.staff": {"en": "Staff roster: A/B posts, shifts and breaks", "zh": "人员排班：AB岗、班次与休息"},
    "ed.staff.help": {"en": "A post: a window, guide (guide desk) or floater; B post: the window this person "
                            "covers when its A is away (AB岗). Breaks: HH:MM/minutes, separated by commas.",
                      "zh": "A岗：窗口、guide（引导台）或 floater（机动）；B岗：该窗口A岗离开时由此人顶岗（AB岗）。"
                            "休息：HH:MM/分钟，多个用逗号分隔。"},
    "ed.demand": {"en": "Demand", "zh": "业务量"},
    "ed.demand.visitors": {"en": "Visitors per day", "zh": "日均到访人数"},
    "ed.demand.rate": {"en": "Arrivals per minute (flat)", "zh": "每分钟到达人数（均匀）"},
    "ed.demand.elderly": {"en": "Elderly share (aged {age}+)", "zh": "老年人比例（{age} 岁及以上）"},
    "ed.demand.profile": {"en": "Hourly profile: relative arrival rate from each time on (empty: flat)",
                          "zh": "分时到达强度：自各时刻起的相对强度（留空为均匀）"},
    "ed.green": {"en": "Green channel (绿色通道)", "zh": "绿色通道"},
    "ed.green.mode": {"en": "Elderly service policy", "zh": "为老服务方式"},
    "ed.green.ordinary": {"en": "An idle green-channel window may call ordinary tickets",
                          "zh": "绿色通道窗口空闲时可叫普通号"},
    "ed.devices": {"en": "Instant printers and kiosks", "zh": "即时制卡机与自助终端"},
    "ed.devices.printers": {"en": "Instant card printers (立等可取)", "zh": "即时制卡机（立等可取）"},
    "ed.devices.kiosks": {"en": "Self-service kiosks", "zh": "自助服务终端"},
    "ed.devices.kiosk_services": {"en": "Services at the kiosks", "zh": "自助终端可办业务"},
    "ed.sla": {"en": "Service targets (SLA); empty: not judged", "zh": "服务目标（SLA）；留空则不评判"},
    "ed.run": {"en": "Run settings", "zh": "运行设置"},
    "ed.run.days": {"en": "Opening days per replication", "zh": "每次重复的营业天数"},
    "ed.run.reps": {"en": "Replications", "zh": "重复次数"},
    "ed.run.start": {"en": "First day", "zh": "起始日期"},
    "ed.run.calendar": {"en": "Calendar", "zh": "日历"},
    "ed.run.adjusted_as": {"en": "Adjusted working weekends open like", "zh": "调休上班日按此日营业"},
    "ed.row": {"en": "row {n}", "zh": "第 {n} 行"},
    "col.window": {"en": "window", "zh": "窗口"},
    "col.kind": {"en": "kind", "zh": "类型"},
    "col.services": {"en": "services", "zh": "可办业务"},
    "col.devices": {"en": "devices", "zh": "设备"},
    "col.name": {"en": "name", "zh": "姓名"},
    "col.a_post": {"en": "A post", "zh": "A岗"},
    "col.b_post": {"en": "B post", "zh": "B岗"},
    "col.shift_start": {"en": "shift start", "zh": "上班"},
    "col.shift_end": {"en": "shift end", "zh": "下班"},
    "col.breaks": {"en": "breaks (HH:MM/min)", "zh": "休息（HH:MM/分钟）"},
    "col.absences": {"en": "absences per hour", "zh": "每小时临时离岗次数"},
    "col.time": {"en": "from (HH:MM)", "zh": "起始时刻（HH:MM）"},
    "col.weight": {"en": "relative rate", "zh": "相对强度"},
    # scenario page actions and panels
    "sc.standards": {"en": "Minimum standards ({level})", "zh": "最低配置标准（{level}）"},
    "sc.standards_of_base": {"en": "Shown for the scenario before your edits (the edits are not valid).",
                             "zh": "显示的是修改前的方案（修改尚未通过校验）。"},
    "sc.download": {"en": "Download the scenario (YAML)", "zh": "下载方案（YAML）"},
    "sc.download_help": {"en": "A complete scenario file that `hallsim run` accepts.",
                         "zh": "完整的方案文件，可直接用于 `hallsim run`。"},
    "sc.variant_name": {"en": "Variant name", "zh": "变体名称"},
    "sc.save": {"en": "Save as variant", "zh": "另存为变体"},
    "sc.saved": {"en": "Saved variant '{name}': it can now be compared.", "zh": "已保存变体“{name}”，可在方案对比中选用。"},
    "sc.reset": {"en": "Discard edits", "zh": "放弃修改"},
    "sc.run": {"en": "Run this scenario", "zh": "运行此方案"},
    "sc.run_reps": {"en": "Replications for this run", "zh": "本次运行的重复次数"},
    "sc.results": {"en": "Results of the last run ({reps} replications, seed {seed}, {seconds:.1f} s)",
                   "zh": "最近一次运行结果（重复 {reps} 次，随机种子 {seed}，{seconds:.1f} 秒）"},
    "sc.results_stale": {"en": "The scenario has changed since this run: run it again to update.",
                         "zh": "运行后方案已修改：请重新运行以更新结果。"},
    "sc.kpis": {"en": "Key figures", "zh": "主要指标"},
    # comparison
    "cmp.pick": {"en": "Scenarios to compare (2 to 4; the first is the baseline)",
                 "zh": "对比方案（2–4 个，第一个为基准方案）"},
    "cmp.reps": {"en": "Replications", "zh": "重复次数"},
    "cmp.max_reps": {"en": "At most (replications)", "zh": "最多重复次数"},
    "cmp.auto": {"en": "Choose the number of replications automatically", "zh": "自动确定重复次数"},
    "cmp.auto_help": {"en": "Add replications until the main KPIs of every scenario have 95 % intervals within the "
                            "precision of their means (Hoad, Robinson & Davies 2010), at most the number given.",
                      "zh": "逐次增加重复次数，直到每个方案主要指标的 95% 置信区间半宽不超过均值的给定精度"
                            "（Hoad、Robinson 和 Davies，2010），最多不超过所填次数。"},
    "cmp.precision": {"en": "Precision (± % of the mean)", "zh": "精度（均值的 ± %）"},
    "cmp.auto_done": {"en": "{reps} replications chosen automatically for ±{precision:g} % (worst relative "
                            "half-width {worst:.1f} %).",
                      "zh": "已自动确定 {reps} 次重复，精度 ±{precision:g}%（最大相对半宽 {worst:.1f}%）。"},
    "cmp.auto_capped": {"en": "Stopped at {reps} replications before every main KPI reached ±{precision:g} % "
                              "(worst relative half-width {worst:.1f} %): raise the maximum or relax the precision.",
                        "zh": "已达到最多 {reps} 次重复，部分主要指标仍未达到 ±{precision:g}%（最大相对半宽 "
                              "{worst:.1f}%）：请提高最多次数或放宽精度。"},
    "cmp.run": {"en": "Run the comparison", "zh": "开始对比"},
    "cmp.need": {"en": "Choose 2 to 4 scenarios.", "zh": "请选择 2–4 个方案。"},
    "cmp.progress": {"en": "Running replications: {done} of {total}", "zh": "正在运行：{done}/{total} 次重复"},
    "cmp.done": {"en": "{n} scenarios × {reps} replications in {seconds:.1f} s (seed {seed})",
                 "zh": "{n} 个方案 × {reps} 次重复，用时 {seconds:.1f} 秒（随机种子 {seed}）"},
    "cmp.stale": {"en": "The choice has changed since this comparison: run it again to update.",
                  "zh": "对比方案已改变：请重新运行以更新结果。"},
    "cmp.scorecard": {"en": "SLA scorecard", "zh": "服务目标（SLA）达标情况"},
    "cmp.scorecard_help": {"en": "Mean with its {conf} interval; met when the whole interval is within the target.",
                           "zh": "平均值及其 {conf} 置信区间；整个区间都在目标之内才算达标。"},
    "cmp.diff": {"en": "Difference against the baseline ({name})", "zh": "与基准方案（{name}）的差异"},
    "cmp.diff_help": {"en": "Paired on common random numbers: scenario − baseline, with its interval.",
                      "zh": "在共同随机数下配对：方案 − 基准，附置信区间。"},
    "cmp.charts": {"en": "Charts", "zh": "图表"},
    "cmp.downloads": {"en": "Downloads", "zh": "下载"},
    "cmp.dl_table": {"en": "KPI table (CSV)", "zh": "指标表（CSV）"},
    "cmp.dl_sla": {"en": "SLA verdicts (CSV)", "zh": "SLA 结论（CSV）"},
    "cmp.dl_yaml": {"en": "Scenario file: {name} (YAML)", "zh": "方案文件：{name}（YAML）"},
    "cmp.failed": {"en": "The comparison could not run:", "zh": "对比无法运行："},
    "col.target": {"en": "target", "zh": "服务目标"},
    "col.kpi": {"en": "KPI", "zh": "指标"},
    "fig.png": {"en": "PNG", "zh": "下载 PNG"},
    "fig.queue": {"en": "Queue length through the day", "zh": "全天等候人数"},
    "fig.hour": {"en": "Waits by hour against the target", "zh": "各时段等候时长与目标"},
    "fig.cdf": {"en": "Wait distribution", "zh": "等候时长分布"},
    "fig.elderly": {"en": "Elderly and others", "zh": "老年人与其他群众"},
    "fig.util": {"en": "Window and staff utilisation, empty-window minutes (空窗)",
                 "zh": "窗口与人员利用率、空窗分钟数"},
    "fig.issuance": {"en": "On-the-spot issuance times (立等可取)", "zh": "立等可取制卡用时"},
    # staffing
    "st.intro": {"en": "Searches the fewest windows and staff per time block that meet the wait targets, "
                       "and proposes a roster.",
                 "zh": "按时段搜索满足等候目标所需的最少窗口与人员，并给出排班建议。"},
    "st.pick": {"en": "Scenario", "zh": "方案"},
    "st.run": {"en": "Run the staffing search", "zh": "开始人员配置搜索"},
    "st.blocks": {"en": "Proposed roster per time block", "zh": "各时段建议排班"},
    "st.chart": {"en": "Demand and proposed windows", "zh": "业务量与建议窗口数"},
    "st.roster": {"en": "Proposed roster (A/B posts, shifts, breaks)", "zh": "建议排班（AB岗、班次、休息）"},
    "st.download": {"en": "Download the proposed scenario (YAML)", "zh": "下载建议方案（YAML）"},
    "st.save": {"en": "Save the proposal as variant '{name}'", "zh": "将建议方案另存为变体“{name}”"},
    "st.block_min": {"en": "Block length (min)", "zh": "时段长度（分钟）"},
    "stc.block_start": {"en": "from", "zh": "开始"},
    "stc.block_end": {"en": "to", "zh": "结束"},
    "stc.arrivals_per_hour": {"en": "arrivals per hour", "zh": "每小时到达人数"},
    "stc.windows": {"en": "windows open", "zh": "开放窗口数"},
    "stc.staff": {"en": "staff on shift", "zh": "在岗人数"},
    "stc.erlang_c_windows": {"en": "Erlang C windows", "zh": "Erlang C 窗口数"},
    "stc.erlang_a_windows": {"en": "Erlang A windows", "zh": "Erlang A 窗口数"},
    "stc.wait_mean_min": {"en": "mean wait (min)", "zh": "平均等候时长（分钟）"},
    "stc.wait_p90_min": {"en": "90th percentile wait (min)", "zh": "等候时长第 90 百分位（分钟）"},
    "stc.verdict": {"en": "verdict", "zh": "结论"},
    "st.failed": {"en": "The staffing search could not run:", "zh": "人员配置搜索无法运行："},
    # batch
    "bt.intro": {"en": "Open the result folder of a sweep (`hallsim sweep … --out DIR`) and plot a KPI against "
                       "a swept parameter.",
                 "zh": "打开参数扫描的结果文件夹（`hallsim sweep … --out 目录`），绘制指标随扫描参数的变化。"},
    "bt.folder": {"en": "Sweep result folder", "zh": "参数扫描结果文件夹"},
    "bt.found": {"en": "Sweep folders found under the working folder", "zh": "工作目录下找到的扫描结果"},
    "bt.none": {"en": "Type the path of a folder that holds a sweep's manifest.json.",
                "zh": "请输入包含 manifest.json 的扫描结果文件夹路径。"},
    "bt.bad": {"en": "This folder cannot be read as a sweep:", "zh": "无法读取该扫描结果文件夹："},
    "bt.kpi": {"en": "KPI", "zh": "指标"},
    "bt.group": {"en": "Group", "zh": "群体"},
    "bt.param": {"en": "Swept parameter", "zh": "扫描参数"},
    "bt.points": {"en": "{points} design points over {params}", "zh": "{params}：{points} 个设计点"},
    "bt.summary": {"en": "Summary per design point", "zh": "各设计点汇总"},
    "bt.sla": {"en": "SLA verdicts per design point", "zh": "各设计点 SLA 结论"},
    "bt.dl": {"en": "Summary (CSV)", "zh": "汇总（CSV）"},
    # issuance
    "is.intro": {"en": "Card making and issuance over working days (制卡, 发卡, 领卡) for scenarios with an "
                       "`issuance` section.",
                 "zh": "按工作日模拟制卡、发卡、领卡（适用于含 `issuance` 部分的方案）。"},
    "is.none": {"en": "No scenario has an `issuance` section: add one to a scenario file or upload one.",
                "zh": "没有含 `issuance` 部分的方案：请在方案文件中添加，或上传一个。"},
    "is.pick": {"en": "Scenario", "zh": "方案"},
    "is.reps": {"en": "Replications", "zh": "重复次数"},
    "is.days": {"en": "Application days", "zh": "受理天数"},
    "is.run": {"en": "Simulate issuance", "zh": "开始制发卡仿真"},
    "is.summary": {"en": "Issuance KPIs", "zh": "制发卡指标"},
    "is.sla": {"en": "Issuance targets", "zh": "制发卡目标"},
    "is.backlog": {"en": "Backlog over time", "zh": "积压随时间变化"},
    "is.cycle": {"en": "Cycle times", "zh": "制发卡周期"},
    "is.dl": {"en": "Daily table (CSV)", "zh": "每日数据（CSV）"},
    "is.failed": {"en": "The issuance simulation could not run:", "zh": "制发卡仿真无法运行："},
    # common table headers
    "col.value": {"en": "mean [interval]", "zh": "平均值 [置信区间]"},
    "col.verdict": {"en": "verdict", "zh": "结论"},
    "col.standard": {"en": "standard", "zh": "标准"},
    "col.required": {"en": "required", "zh": "要求"},
    "col.actual": {"en": "actual", "zh": "实际"},
    "col.result": {"en": "result", "zh": "结果"},
    # network page (sim.ui.pages.network)
    "page.network": {"en": "Network", "zh": "服务网络"},
    "net.intro": {"en": "A county's service points and the 10-minute card circle: zones choose points by travel and "
                        "wait, every point's hall is simulated with the demand it receives, and the circle is measured. "
                        "Try closing, moving or adding a point, compared on common random numbers.",
                  "zh": "全县服务网点与 10 分钟办卡服务圈：各片区群众按路程和等候选择网点，各网点按分得的需求仿真，"
                        "并测算服务圈覆盖。可试算关闭、移动或新增网点，采用共同随机数对比。"},
    "net.none": {"en": "No network file in scenarios/network/ (a YAML file with points and zones).",
                 "zh": "scenarios/network/ 中没有网络文件（含 points 和 zones 的 YAML 文件）。"},
    "net.pick": {"en": "Network file", "zh": "网络文件"},
    "net.reps": {"en": "Replications", "zh": "重复次数"},
    "net.run": {"en": "Simulate the network", "zh": "开始网络仿真"},
    "net.failed": {"en": "The network could not run:", "zh": "网络仿真无法运行："},
    "net.bad_file": {"en": "This network file has problems:", "zh": "该网络文件有问题："},
    "net.headline": {"en": "The circle", "zh": "办卡服务圈"},
    "net.circle": {"en": "within the circle", "zh": "服务圈内居民"},
    "net.circle_elderly": {"en": "elderly within it", "zh": "服务圈内老年人"},
    "net.door": {"en": "door to card", "zh": "门到卡"},
    "net.door_elderly": {"en": "door to card, elderly", "zh": "门到卡，老年人"},
    "net.verdicts": {"en": "Each point's verdict", "zh": "各网点结论"},
    "net.map": {"en": "Map", "zh": "地图"},
    "net.colour": {"en": "Colour the zones by", "zh": "片区着色依据"},
    "net.colour.circle": {"en": "the circle (travel)", "zh": "服务圈覆盖（路程）"},
    "net.colour.door": {"en": "door to card (travel + wait)", "zh": "门到卡（路程 + 等候）"},
    "net.colour.wait": {"en": "the wait", "zh": "等候时长"},
    "net.points": {"en": "Service points", "zh": "服务网点"},
    "net.scorecard": {"en": "SLA targets per point", "zh": "各网点服务目标"},
    "net.zones": {"en": "Zones", "zh": "片区"},
    "net.whatif": {"en": "What-if", "zh": "情景推演"},
    "net.close": {"en": "Close points", "zh": "关闭网点"},
    "net.move": {"en": "Move a point", "zh": "移动网点"},
    "net.move.none": {"en": "(none)", "zh": "（不移动）"},
    "net.move.x": {"en": "new x (km)", "zh": "新 x（公里）"},
    "net.move.y": {"en": "new y (km)", "zh": "新 y（公里）"},
    "net.add": {"en": "Add candidate sites", "zh": "新增候选网点"},
    "net.add.none": {"en": "No candidate file (a YAML file with candidates) beside the network.",
                     "zh": "网络文件旁没有候选点文件（含 candidates 的 YAML 文件）。"},
    "net.compare": {"en": "Compare the what-if", "zh": "对比情景"},
    "net.nothing": {"en": "Choose a point to close, move or add first.", "zh": "请先选择要关闭、移动或新增的网点。"},
    "net.stale": {"en": "The network, seed or replications have changed: run it again to update.",
                  "zh": "网络、随机种子或重复次数已改变：请重新运行以更新结果。"},
    "net.whatif_stale": {"en": "The what-if has changed since this comparison: compare again to update.",
                         "zh": "情景已改变：请重新对比以更新结果。"},
    "net.whatif_map": {"en": "Map of the what-if", "zh": "情景地图"},
    "net.dl": {"en": "Points table (CSV)", "zh": "网点表（CSV）"},
}
"""key -> {"en": ..., "zh": ...}: every string the dashboard shows that is not in sim.i18n."""

CODES: dict[str, dict[str, dict[str, str]]] = {
    "service": {
        "apply": {"en": "apply", "zh": "申领"},
        "instant_issue": {"en": "instant issue (立等可取)", "zh": "即时制卡（立等可取）"},
        "collect": {"en": "collect a card", "zh": "领卡"},
        "activate": {"en": "activate", "zh": "启用激活"},
        "loss_report": {"en": "loss report", "zh": "挂失"},
        "replace": {"en": "replace", "zh": "补换卡"},
        "info_change": {"en": "change of data", "zh": "信息变更"},
        "e_card": {"en": "e-card sign-up", "zh": "电子社保卡"},
        "consult": {"en": "questions", "zh": "咨询"},
        "photo": {"en": "photo", "zh": "自助拍照"},
    },
    "device": {
        "computer": {"en": "computer", "zh": "计算机"},
        "card_reader": {"en": "card reader", "zh": "读卡器"},
        "printer": {"en": "printer", "zh": "打印机"},
        "scanner": {"en": "scanner", "zh": "扫描仪"},
    },
    "kind": {
        "general": {"en": "general", "zh": "综合窗口"},
        "green": {"en": "green channel", "zh": "绿色通道"},
        "bank": {"en": "bank", "zh": "银行窗口"},
    },
    "level": {
        "city": {"en": "city", "zh": "市级"},
        "county": {"en": "county", "zh": "县级"},
        "bank_outlet": {"en": "bank outlet", "zh": "合作银行网点"},
        "town": {"en": "town", "zh": "乡镇"},
        "agency": {"en": "handling agency", "zh": "经办机构"},
    },
    "green": {
        "dedicated": {"en": "dedicated: green windows call elderly tickets first",
                      "zh": "专设绿色通道：绿色通道窗口优先叫老年人号"},
        "priority": {"en": "priority: every window calls elderly tickets first",
                     "zh": "老年人优先：所有窗口优先叫老年人号"},
        "none": {"en": "none: first come, first served", "zh": "不设绿色通道：按取号顺序办理"},
    },
    "lunch": {
        "staggered": {"en": "staggered: open at lunch, staff take turns", "zh": "错峰午休：午间不打烊，轮流休息"},
        "closed": {"en": "closed: doors shut at lunch", "zh": "午间闭厅"},
    },
    "weekday": {
        "mon": {"en": "Monday", "zh": "周一"}, "tue": {"en": "Tuesday", "zh": "周二"},
        "wed": {"en": "Wednesday", "zh": "周三"}, "thu": {"en": "Thursday", "zh": "周四"},
        "fri": {"en": "Friday", "zh": "周五"}, "sat": {"en": "Saturday", "zh": "周六"},
        "sun": {"en": "Sunday", "zh": "周日"},
    },
    "calendar": {
        "weekdays": {"en": "weekly opening hours only", "zh": "仅按每周营业时间"},
        "chinese": {"en": "public calendar: holidays closed, adjusted weekends open",
                    "zh": "按国家法定节假日：节假日闭厅，调休上班日开厅"},
    },
}
"""Names of the scenario schema's codes, per kind of code."""


def t(key: str, lang: str = "en", **values) -> str:
    """The dashboard string ``key`` in ``lang`` with ``{placeholders}`` filled; KeyError
    names an unknown key."""
    check_lang(lang)
    try:
        template = UI[key][lang]
    except KeyError:
        raise KeyError(f"ui text: no string {key!r}") from None
    return template.format(**values) if values else template


def code_label(kind: str, code: str, lang: str = "en") -> str:
    """The name of ``code`` (a service, device, window kind, level, green-channel or lunch
    mode) in ``lang``; codes without a name (a hall's own service codes) show as they are."""
    check_lang(lang)
    return CODES.get(kind, {}).get(code, {}).get(lang, code)
