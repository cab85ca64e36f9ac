"""Chinese strings of 总览's weekly trend and station league, and of 民意诉求's unit comparison."""

from __future__ import annotations

# 总览: weekly trend of the headline figures
TREND = "主要指标周走势（近12个月）"
TREND_CAPTION = (
    "{start} 至 {end} 每周（周一起）的数值，口径与上面的卡片相同，侧栏的单位和其他筛选照常生效；"
    "阴影为95%置信区间（Wilson），样本少的周区间宽。办结率、按期办结率按受理周统计，"
    "近几周仍在办理的诉求会使其偏低。点击某周查看该周的记录。"
)
TREND_EMPTY = "近12个月没有记录。"
# The metrics of overview_trend in the order drawn, two per row.
TREND_METRICS = {
    "satisfaction": "满意率",
    "reply_rate": "有效回访率",
    "closure": "办结率",
    "on_time": "按期办结率",
}
TREND_DRILL = "{metric} · {week} 当周"

# 总览: station league
LEAGUE = "派出所满意率排名"
LEAGUE_CAPTION = (
    "本期各派出所按满意率排名，误差线为95%置信区间（Wilson）；"
    "有效回访少于 {n} 条的派出所标为灰色、排在最后、不参与排名。点击查看该所不满意的记录。"
)
LEAGUE_EMPTY = "本期没有派出所的回访记录。"
COLUMNS = {"peer_rank": "排名"}

# 民意诉求: 承办单位对比
UNITS_CAPTION = (
    "按办结率排名，误差线为95%置信区间（Wilson）；本期受理少于 {n} 件的单位标为灰色、"
    "排在最后、不参与排名：件数太少，办结率的偶然波动很大。"
)
