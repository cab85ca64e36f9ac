"""What each kind of export holds: contract columns, their types, keys, header synonyms and labels.

This is the registry the loader, `inspect` and the tests walk. A header in an export is matched
against the synonyms of every column of the chosen kind after normalisation (see `normalise_header`),
then by its parts and its values (etl/recognise.py). English synonyms are written as normalised
("createdat" stands for created_at, Created At, createdAt).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """One contract column of a kind."""

    name: str
    type: str = "text"  # text, id, timestamp, date, int, float, bool, unit, label:<vocabulary>
    synonyms: tuple[str, ...] = ()
    required: bool = False
    label: str = ""  # Chinese name shown in messages

    @property
    def display(self) -> str:
        return self.label or (self.synonyms[0] if self.synonyms else self.name)


@dataclass(frozen=True)
class Kind:
    """One kind of export and the contract table it loads into."""

    name: str
    table: str
    label: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    text_columns: tuple[str, ...] = ()  # free text segmented into text_tokens
    token_source: str = ""
    token_unit: str = ""  # column whose unit the tokens are filed under
    token_day: str = ""
    # The unit a row belongs to, as SQL over the row aliased {a}: a staff account may load only rows
    # whose owner is in its unit tree. Empty: the kind has no owner (units, aliases: admin only).
    owner: str = ""
    owner_label: str = ""
    # Columns that may take one value for the whole file (--set, the upload page's fixed values):
    # a channel, a kind, a unit, a survey … never a record's id, its text or its dates.
    fixable_columns: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


# Label vocabularies of the contract, and the variants real exports write for them.
VOCABULARIES: dict[str, dict[str, str]] = {
    "callback_result": {
        "满意": "满意", "非常满意": "满意", "很满意": "满意", "比较满意": "满意", "满意度高": "满意",
        "基本满意": "基本满意", "一般": "基本满意", "还行": "基本满意", "较满意": "基本满意",
        "不满意": "不满意", "非常不满意": "不满意", "很不满意": "不满意", "比较不满意": "不满意",
        "不太满意": "不满意",
        "未回访": "未回访", "未接通": "未回访", "拒访": "未回访", "空号": "未回访", "关机": "未回访",
        "无人接听": "未回访", "停机": "未回访", "拒绝回访": "未回访", "无法联系": "未回访",
        "未评价": "未回访", "": "未回访",
    },
    "kind": {
        "投诉": "投诉", "建议": "建议", "意见建议": "建议", "求助": "求助", "咨询": "咨询",
        "举报": "举报", "表扬": "表扬", "感谢": "表扬", "表扬感谢": "表扬", "投诉举报": "投诉",
    },
    "complaint_status": {
        "受理": "受理", "已受理": "受理", "待受理": "受理", "登记": "受理",
        "交办": "交办", "已交办": "交办", "转办": "转办", "已转办": "转办",
        "办理中": "办理中", "处理中": "办理中", "在办": "办理中", "待办理": "办理中",
        "已反馈": "已反馈", "反馈": "已反馈", "已回复": "已反馈", "已答复": "已反馈",
        "已办结": "已办结", "办结": "已办结", "已完成": "已办结", "结案": "已办结", "已结案": "已办结",
        "已评议": "已评议", "评议": "已评议", "已评价": "已评议",
    },
    "event_stage": {
        "受理": "受理", "交办": "交办", "转办": "转办", "退回": "退回", "退单": "退回",
        "改派": "改派", "重新派单": "改派", "反馈": "反馈", "答复": "反馈", "评议": "评议",
        "回访": "评议", "办结": "办结", "结案": "办结",
    },
    "label_target": {
        "category": "category", "诉求类别": "category", "handling_unit": "handling_unit",
        "承办单位": "handling_unit", "suggestion_category": "suggestion_category",
        "建议类别": "suggestion_category",
    },
    "routed_by": {
        "规则": "规则", "自动": "规则", "自动分派": "规则", "系统": "规则", "智能分派": "规则",
        "人工": "人工", "手工": "人工", "人工分派": "人工",
    },
    "respondent_role": {
        "民警": "民警", "警察": "民警", "辅警": "辅警", "协警": "辅警", "警务辅助人员": "辅警",
        "群众": "群众", "市民": "群众",
    },
    "rect_source": {
        "警意调查": "警意调查", "警意": "警意调查", "民意诉求": "民意诉求", "民意": "民意诉求",
        "群众诉求": "民意诉求", "自查": "自查", "自查自纠": "自查", "督察": "督察", "督查": "督察",
        "其他": "其他", "其它": "其他",
    },
    "rect_status": {
        "待整改": "待整改", "未整改": "待整改", "整改中": "整改中", "正在整改": "整改中",
        "已整改": "已整改", "整改完成": "已整改", "已完成": "已整改", "已销号": "已整改",
        "长期整改": "长期整改", "持续整改": "长期整改", "长期坚持": "长期整改",
    },
    "frequency": {
        "日": "日", "日报": "日", "每日": "日", "周": "周", "周报": "周", "每周": "周",
        "月": "月", "月报": "月", "每月": "月", "季": "季", "季报": "季", "季度": "季",
        "半年": "半年", "半年报": "半年", "年": "年", "年报": "年", "每年": "年",
        "不定期": "不定期", "临时": "不定期",
    },
    "fill_method": {
        "手工": "手工", "手工填报": "手工", "人工": "手工", "纸质": "手工",
        "系统": "系统", "系统生成": "系统", "自动": "系统", "系统自动": "系统",
    },
    "ledger_status": {
        "保留": "保留", "合并": "合并", "已合并": "合并", "取消": "取消", "已取消": "取消",
        "废止": "取消",
    },
    "unit_type": {
        "市局": "市局", "分局": "分局", "派出所": "派出所", "所": "派出所", "机关": "机关",
        "机关部门": "机关", "支队大队": "支队大队", "支队": "支队大队", "大队": "支队大队",
        "窗口": "窗口", "服务窗口": "窗口",
    },
    "bool": {
        "是": "true", "否": "false", "属实": "true", "不属实": "false", "部分属实": "true",
        "y": "true", "n": "false", "yes": "true", "no": "false", "1": "true", "0": "false",
        "true": "true", "false": "false",
    },
}

# Likert answers in words, as questionnaires (问卷星 and others) export them, onto a 1-5 score.
LIKERT_SCORES: dict[str, int] = {
    "非常满意": 5, "满意": 4, "一般": 3, "基本满意": 3, "不满意": 2, "非常不满意": 1,
    "完全同意": 5, "非常同意": 5, "同意": 4, "比较同意": 4, "中立": 3, "不确定": 3,
    "不同意": 2, "比较不同意": 2, "完全不同意": 1, "非常不同意": 1,
    "很好": 5, "好": 4, "较好": 4, "较差": 2, "差": 2, "很差": 1,
    "非常认同": 5, "认同": 4, "比较认同": 4, "不认同": 2, "非常不认同": 1,
    "非常重要": 5, "重要": 4, "比较重要": 4, "不重要": 2, "非常不重要": 1,
}


def _c(name, type_="text", *synonyms, required=False, label=""):
    return Column(name, type_, tuple(synonyms), required, label)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind(
            "units", "units", "单位", ("unit_id",),
            (
                _c("unit_id", "id", "单位编码", "单位代码", "机构代码", "机构编码", "单位编号", "编码",
                   required=True, label="单位编码"),
                _c("name", "text", "单位名称", "机构名称", "单位全称", "名称", required=True, label="单位名称"),
                _c("short_name", "text", "单位简称", "简称", label="单位简称"),
                _c("parent_id", "id", "上级单位编码", "上级编码", "上级单位代码", "上级机构代码", label="上级单位编码"),
                _c("unit_type", "label:unit_type", "单位类型", "单位类别", "机构类型", "类型", label="单位类型"),
                _c("police_type", "text", "警种", "所属警种", label="警种"),
                _c("headcount", "int", "编制人数", "在岗人数", "人数", "警力", "民警人数", label="人数"),
            ),
            fixable_columns=("unit_type", "police_type"),
        ),
        Kind(
            "unit_aliases", "unit_aliases", "单位别名", ("alias",),
            (
                _c("alias", "text", "别名", "导出名称", "系统名称", "单位别名", required=True, label="别名"),
                _c("unit_id", "unit", "单位编码", "单位名称", "标准单位", "对应单位", required=True, label="对应单位"),
            ),
            fixable_columns=("unit_id",),
        ),
        Kind(
            "call_records", "call_records", "110/12345/窗口回访记录", ("record_id",),
            (
                _c("record_id", "id", "警情编号", "接警单编号", "工单编号", "工单号", "记录编号", "业务编号",
                   "流水号", "编号", "案件编号", "id", "recordid", "callid", "ticketid", required=True,
                   label="记录编号"),
                _c("received_at", "timestamp", "报警时间", "接警时间", "来电时间", "受理时间", "登记时间",
                   "办理时间", "业务办理时间", "时间", "日期", "createdat", "receivedat", "calltime", "date",
                   "time", required=True, label="受理时间"),
                _c("channel", "text", "渠道", "来源", "来源渠道", "业务渠道", "服务渠道", "业务类型", "信息来源",
                   "channel", "source", label="渠道"),
                _c("unit_id", "unit", "管辖单位", "处警单位", "承办单位", "办理单位", "责任单位", "所属单位",
                   "单位", "窗口", "办理窗口", "单位名称", "unit", "department", required=True, label="单位"),
                _c("police_type", "text", "警种", "所属警种", label="警种"),
                _c("category", "text", "警情类别", "警情类型", "事项类别", "业务类别", "类别", "分类", "诉求类别",
                   label="类别"),
                _c("callback_at", "timestamp", "回访时间", "回访日期", label="回访时间"),
                _c("callback_result", "label:callback_result", "回访结果", "满意度", "评价结果", "回访评价",
                   "群众评价", "评价", label="回访结果"),
                _c("response_minutes", "float", "响应时长", "到场时长", "响应时长(分钟)", "处警时长(分钟)",
                   "到场时间(分钟)", label="响应时长"),
                _c("note", "text", "回访记录", "回访内容", "群众意见", "备注", "回访意见", "内容", "note",
                   "comment", "content", label="回访记录"),
            ),
            text_columns=("note",), token_source="call_note", token_unit="unit_id", token_day="received_at",
            owner="{a}.unit_id", owner_label="单位",
            fixable_columns=("channel", "unit_id", "police_type", "category"),
        ),
        Kind(
            "complaints", "complaints", "投诉与诉求", ("case_id",),
            (
                _c("case_id", "id", "工单编号", "案件编号", "诉求编号", "信件编号", "编号", "工单号", "留言编号",
                   "id", "caseid", "ticketid", "ticketno", "messageid", required=True, label="工单编号"),
                _c("received_at", "timestamp", "受理时间", "登记时间", "来电时间", "来信时间", "留言时间",
                   "反映时间", "诉求时间", "提交时间", "创建时间", "发布时间", "时间", "日期", "createdat",
                   "created", "createtime", "submittedat", "receivedat", "date", "time", required=True,
                   label="受理时间"),
                _c("channel", "text", "来源", "来源渠道", "渠道", "诉求渠道", "反映渠道", "信息来源", "channel",
                   "source", required=True, label="来源渠道"),
                _c("kind", "label:kind", "诉求类型", "类型", "性质", "诉求性质", "件别", "type", "kind",
                   label="诉求类型"),
                _c("title", "text", "标题", "诉求标题", "留言主题", "主题", "事由", "title", "subject",
                   "topic", label="标题"),
                _c("content", "text", "诉求内容", "来信内容", "内容", "反映内容", "留言详情", "留言内容",
                   "问题描述", "content", "body", "text", "message", "description", "details", required=True,
                   label="诉求内容"),
                _c("receiving_unit_id", "unit", "受理单位", "接收单位", "登记单位", label="受理单位"),
                _c("handling_unit_id", "unit", "承办单位", "办理单位", "责任单位", "处理单位", "主办单位",
                   "department", "handlingunit", "unit", label="承办单位"),
                _c("status", "label:complaint_status", "办理状态", "状态", "处理状态", "工单状态", "status",
                   "state", label="办理状态"),
                _c("deadline_at", "timestamp", "办理时限", "截止时间", "要求办结时间", "时限", "办结时限",
                   "deadline", "dueat", "duedate", label="办理时限"),
                _c("closed_at", "timestamp", "办结时间", "结案时间", "完成时间", "closedat", "resolvedat",
                   "finishedat", label="办结时间"),
                _c("satisfaction", "label:callback_result", "回访结果", "满意度", "评价结果", "群众评价",
                   "满意度评价", "satisfaction", "rating", label="回访结果"),
                _c("substantiated", "bool", "是否属实", "属实情况", "核查结果", label="是否属实"),
                _c("category", "text", "问题类别", "诉求类别", "类别", "分类", "问题分类", "一级分类",
                   "问题类型", "category", label="问题类别"),
                _c("duplicate_of", "id", "重复件", "关联工单", "重复工单编号", "原工单编号", label="重复件"),
                _c("routed_by", "label:routed_by", "分派方式", "派单方式", "交办方式", label="分派方式"),
                # Stored only as a keyed hash (intel.repeats.prepare_incoming), never the value.
                _c("complainant_ref", "text", "诉求人", "来电号码", "联系电话", "留言用户", "身份证号",
                   "证件号码", "来信人", label="诉求人"),
                _c("supporters", "int", "点赞数", "支持数", "附议数", label="点赞数"),
                _c("reply_text", "text", "答复意见", "答复内容", "回复内容", "回复意见", label="答复意见"),
                _c("replied_at", "timestamp", "答复时间", "回复时间", label="答复时间"),
            ),
            text_columns=("title", "content"), token_source="complaint", token_unit="handling_unit_id",
            token_day="received_at",
            owner="coalesce({a}.handling_unit_id, {a}.receiving_unit_id)", owner_label="承办单位",
            fixable_columns=("channel", "kind", "receiving_unit_id", "handling_unit_id", "status",
                             "category", "routed_by"),
        ),
        Kind(
            "complaint_events", "complaint_events", "诉求流转记录", ("case_id", "event_at", "stage"),
            (
                _c("case_id", "id", "工单编号", "案件编号", "诉求编号", "编号", required=True, label="工单编号"),
                _c("event_at", "timestamp", "操作时间", "流转时间", "环节时间", "时间", required=True,
                   label="操作时间"),
                _c("stage", "label:event_stage", "环节", "流转环节", "操作", "节点", "操作类型", required=True,
                   label="环节"),
                _c("from_unit_id", "unit", "发送单位", "来源单位", "转出单位", "操作单位", label="发送单位"),
                _c("to_unit_id", "unit", "接收单位", "目标单位", "转入单位", "承办单位", label="接收单位"),
                _c("note", "text", "意见", "备注", "办理意见", "说明", label="意见"),
            ),
            owner=(
                "(select coalesce(k.handling_unit_id, k.receiving_unit_id)"
                " from complaints as k where k.case_id = {a}.case_id"
                " and k.source_system = {a}.source_system)"
            ),
            owner_label="工单的承办单位",
            fixable_columns=("stage", "from_unit_id", "to_unit_id"),
        ),
        Kind(
            "survey_responses", "survey_responses", "问卷调查", ("survey_id", "response_id", "question"),
            (
                _c("response_id", "id", "答卷编号", "问卷编号", "序号", "答卷序号", "编号", required=True,
                   label="答卷编号"),
                _c("survey_id", "id", "调查编号", "问卷名称", "调查名称", "调查批次", required=True, label="调查编号"),
                _c("submitted_at", "timestamp", "提交答卷时间", "提交时间", "填写时间", "答题时间", label="提交时间"),
                _c("respondent_unit_id", "unit", "所在单位", "填写单位", "单位", "答卷人单位", label="所在单位"),
                _c("respondent_role", "label:respondent_role", "身份", "人员类别", "人员身份", "答卷人身份",
                   label="身份"),
                _c("target_unit_id", "unit", "被评单位", "评议对象", "被评议单位", "评价对象", label="被评单位"),
                _c("question", "text", "题目", "问题", "评价项目", "题号", required=True, label="题目"),
                _c("answer", "text", "答案", "回答", "选项", "评价", label="答案"),
                _c("score", "int", "得分", "分数", "评分", label="得分"),
                _c("suggestion", "text", "意见建议", "建议", "意见", "具体建议", label="意见建议"),
                _c("category", "text", "问题类别", "问题分类", "类别", label="问题类别"),
            ),
            text_columns=("suggestion",), token_source="survey_suggestion", token_unit="target_unit_id",
            token_day="submitted_at",
            owner="{a}.respondent_unit_id", owner_label="所在单位",
            fixable_columns=("survey_id", "respondent_unit_id", "respondent_role", "target_unit_id",
                             "category"),
        ),
        Kind(
            "rectifications", "rectifications", "整改台账", ("item_id",),
            (
                _c("item_id", "id", "问题编号", "整改编号", "台账编号", "编号", "序号", required=True, label="问题编号"),
                _c("source", "label:rect_source", "问题来源", "来源", label="问题来源"),
                _c("source_ref", "id", "来源编号", "关联编号", "原始编号", label="来源编号"),
                _c("unit_id", "unit", "责任单位", "整改单位", "承办单位", "单位", required=True, label="责任单位"),
                _c("category", "text", "问题类别", "问题分类", "类别", label="问题类别"),
                _c("description", "text", "问题描述", "存在问题", "问题", "问题内容", label="问题描述"),
                _c("found_on", "date", "发现时间", "发现日期", "登记日期", "交办日期", required=True, label="发现日期"),
                _c("deadline_on", "date", "整改时限", "整改期限", "完成时限", "时限", label="整改时限"),
                _c("status", "label:rect_status", "整改状态", "状态", "整改情况", required=True, label="整改状态"),
                _c("rectified_on", "date", "整改完成时间", "完成日期", "销号日期", "整改完成日期", label="整改完成日期"),
                _c("review_result", "text", "回头看结果", "复查结果", "回头看", "复核结果", label="回头看结果"),
            ),
            owner="{a}.unit_id", owner_label="责任单位",
            fixable_columns=("source", "unit_id", "category", "status"),
        ),
        Kind(
            "report_ledger", "report_ledger", "报表台账", ("year", "station_unit_id", "report_name", "demanding_dept"),
            (
                _c("year", "int", "年度", "年份", required=True, label="年度"),
                _c("station_unit_id", "unit", "派出所", "填报单位", "单位", "基层单位", required=True, label="填报单位"),
                _c("report_name", "text", "报表名称", "台账名称", "报表", "名称", required=True, label="报表名称"),
                _c("demanding_dept", "text", "要求部门", "下发部门", "要求单位", "业务部门", "警种部门",
                   required=True, label="要求部门"),
                _c("frequency", "label:frequency", "填报频次", "频次", "报送频次", "周期", label="填报频次"),
                _c("fill_method", "label:fill_method", "填报方式", "方式", "生成方式", label="填报方式"),
                _c("status", "label:ledger_status", "处理结果", "状态", "清理结果", "处理意见", label="处理结果"),
            ),
            owner="{a}.station_unit_id", owner_label="填报单位",
            fixable_columns=("year", "station_unit_id", "demanding_dept", "frequency", "fill_method",
                             "status"),
        ),
        # Preset routing keywords (intel/route.py): the 路由模拟 page edits them as this kind.
        Kind(
            "routing_rules", "routing_rules", "分派规则", ("rule_id",),
            (
                _c("rule_id", "id", "规则编号", required=True, label="规则编号"),
                _c("phrase", "text", "关键词", "关键字", "匹配词", required=True, label="关键词"),
                _c("channel", "text", "适用渠道", label="适用渠道"),
                _c("category", "text", "适用类别", label="适用类别"),
                _c("handling_unit_id", "unit", "分派单位", "承办单位", label="分派单位"),
                _c("set_category", "text", "归入类别", label="归入类别"),
                _c("deadline_days", "int", "办理时限（工作日）", "办理时限", "时限", label="办理时限（工作日）"),
            ),
            fixable_columns=("channel", "category", "handling_unit_id", "deadline_days"),
        ),
        # The bureau's own category tree (etl/category_tree.py): one row per edge, or a wide file
        # with one column per level (extra["levels"], level 1 first) that loads as its edges.
        Kind(
            "category_tree", "category_tree", "分类体系", ("category", "parent"),
            (
                _c("category", "text", "类别名称", "分类名称", "类别", "下级类别", "category",
                   required=True, label="类别"),
                _c("parent", "text", "上级类别", "上级分类", "父类别", "所属类别", "所属分类", "parent",
                   required=True, label="上级类别"),
                _c("level", "int", "层级", "级别", "分类级别", "类别层级", "level", label="层级"),
            ),
            fixable_columns=("level",),
            extra={"levels": tuple(
                (f"{n}级分类", f"{n}级类别", f"{n}级标签", f"{n}级目录", f"{n}级")
                for n in "一二三四五"
            )},
        ),
        # A person's label for a record (review queue of intel/): written by the 待复核 page.
        Kind(
            "labels", "labels", "人工标注", ("target", "record_id"),
            (
                _c("record_id", "id", "标注记录编号", required=True, label="标注记录编号"),
                _c("target", "label:label_target", "标注目标", required=True, label="标注目标"),
                _c("value", "text", "标注值", required=True, label="标注值"),
                _c("labelled_by", "text", "标注人", label="标注人"),
                _c("labelled_at", "timestamp", "标注时间", label="标注时间"),
            ),
            fixable_columns=("target",),
        ),
    ]
}

_FULLWIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "})
_HEADER_NOISE = re.compile(r"[\s\*＊:：()（）\[\]【】<>《》_\-./]|（.*?）|\(.*?\)")


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation to their ASCII forms (NFKC would also touch 。、)."""
    return text.translate(_FULLWIDTH)


def normalise_header(header: str) -> str:
    """Header text as compared with synonyms: half-width, no spaces, no marks like * or (必填)."""
    text = to_halfwidth(unicodedata.normalize("NFC", str(header))).strip()
    text = re.sub(r"[（(][^）)]*[）)]", "", text)  # 响应时长(分钟) -> 响应时长
    return _HEADER_NOISE.sub("", text).lower()


def propose_mapping(
    kind: Kind, headers: list[str], sample: dict[str, list] | None = None
) -> dict[str, str | None]:
    """Each file header -> the contract column it fills (or None): by synonym, then by the
    header's parts and, given `sample` (header -> some of its values), by what the column holds."""
    from etl.recognise import propose_matches  # recognise reads this module's tables

    return {h: m.column if m else None for h, m in propose_matches(kind, headers, sample).items()}
