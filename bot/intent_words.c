/* SPDX-License-Identifier: MIT */
/*
 * intent_words.c - the words the intent rules look for, in normalised form
 * (simplified characters, ASCII lower-case, no spaces). Lists end with NULL.
 */
#include "bot/intent_words.h"

#include <stddef.h>

#include "bot/intent.h"

/* Opt-out anywhere in the reply, and as the whole reply (without these fillers). */
const char *const intent__optout[] = {"退订", "退定", "拒收", "取消订阅", "tuiding", NULL};
const char *const intent__optout_exact[] = {"t", "td", "r", NULL};
const char *const intent__optout_fillers[] = {"回复", "回", "谢谢", "谢了", "了", "吧",
                                              "请",   "哦", "啊",   "嗯",   NULL};
/* Asking to stop in words: weaker than a claim or a waiver in the same reply. */
const char *const intent__optout_soft[] = {
    "别发了",     "不要发了",   "别再发",       "不要再发",   "别给我发", "不要给我发",
    "别发短信",   "不要发短信", "不要再给我发", "别再给我发", "停止发送", "别发信息",
    "不要发信息", "别发消息",   "以后别发",     "骚扰",       NULL};

/* Paying verbs, longest first (a verb is matched at each position, longest wins). */
const char *const intent__pay[] = {"缴纳", "缴费", "交费", "交钱", "付款", "付费",
                                   "支付", "参保", "缴",   "交",   "买",   NULL};
/* 交 in other words: the character after (交通, 交流, 交易...) or before (提交, 社交...). */
const char *const intent__jiao_not_after[] = {"通", "流", "代", "警", "叉", "界", "往",
                                              "际", "易", "换", "谈", "朋", "待", "织",
                                              "集", "错", "接", "互", "卷", NULL};
const char *const intent__jiao_not_before[] = {"提", "外", "社", "转", "移", "递", "成",
                                               "结", "相", "杂", "性", "邦", "至", "之",
                                               "深", "初", "私", "断", NULL};
/* 买 is a paying verb only when the reply names the medical insurance. */
const char *const intent__insurance[] = {"医保",     "医疗保险", "合作医疗", "农合",
                                         "居民保险", "居民医疗", NULL};

/* Before a verb: a denial (没交, 不交, 冇交, 唔交), of which "not yet" is a subset. */
const char *const intent__neg[] = {"没", "未", "冇", "不", "别", "唔", "莫", "无", NULL};
const char *const intent__notyet[] = {"没", "未", "冇", NULL};
/* Before a verb: a payment still to come (要交了, 明天交, 等发了工资就交). */
const char *const intent__future[] = {"要",   "想",     "准备",   "打算",   "马上", "明天",
                                      "后天", "过几天", "过两天", "下个月", "下周", "下星期",
                                      "等",   "再",     "会",     "将",     "尽快", "抽空",
                                      "回头", "得",     "应该",   "该",     NULL};
/* Before a verb: a payment for an earlier year (去年交了). */
const char *const intent__past[] = {"去年", "前年", "上年", "往年", "以前", NULL};
/* After a finished verb: what it would bring, not that it happened (交了有什么用). */
const char *const intent__if_after[] = {"的话", "有什么", "有啥", "会", "能",
                                        "可以", "才能",   "就能", "又", NULL};
/* Before a verb: asking whether it happened (有没有交, 是不是交了). */
const char *const intent__ask_before[] = {"是否", "是不是", "有没有", "有无", "有冇", NULL};
/* After a verb: finished whatever comes before (交过, 交好, 缴费成功)... */
const char *const intent__done_strong[] = {"过",   "好",   "完", "掉", "清", "齐", "上",
                                           "上去", "成功", "咗", "罢", "毕", "妥", NULL};
/* ...of which these finish anywhere; the others only before a particle or the end
 * of a clause (交好了, not 交好多钱). */
const char *const intent__done_alone[] = {"过", "咗", "罢", "毕", NULL};
/* ...and finished unless a future word comes before (交了, 交咯, 缴哒, 交的). */
const char *const intent__done_weak[] = {"了", "咯", "哒", "啦", "喽", "嘞", "的", "啰", NULL};
/* After a finished verb: particles, then a question (交了吗, 交了没, 交过了没有?). */
const char *const intent__tail_skip[] = {"了", "啊", "呀", "哦", "喔", "吧",
                                         "的", "哈", "呢", "啦", NULL};
const char *const intent__tail_ask[] = {"吗", "么", "?", NULL};
const char *const intent__tail_ask_end[] = {"没有", "没得", "没", "未", "不",
                                            "冇",   "啵",   "否", NULL};

/* Who paid, in the few characters before a finished verb. */
const char *const intent__unit[] = {"单位", "公司",       "厂里", "工厂", "厂子",
                                    "老板", "上班的地方", "企业", NULL};
const char *const intent__school[] = {"学校", "大学", "学院", "在校", "高校", "读书的地方", NULL};
const char *const intent__place[] = {
    "外地",     "外省",     "异地",     "外面", "外边", "打工地", "打工的地方", "工作的地方",
    "别的地方", "其他地方", "其它地方", "别处", "省外", "外县",   "广东",       "深圳",
    "广州",     "东莞",     "佛山",     "中山", "珠海", "浙江",   "杭州",       "宁波",
    "温州",     "义乌",     "江苏",     "苏州", "无锡", "上海",   "北京",       "天津",
    "福建",     "厦门",     "泉州",     "新疆", NULL};
/* A channel between the place and the verb means where the money went, not the
 * scheme ("在外面打工，在银行交了"). */
const char *const intent__channel[] = {"银行", "微信", "支付宝", "手机", "网上", "app", "村里",
                                       "村委", "税务", "小程序", "pos",  "代征", NULL};
/* Schemes named outright. */
const char *const intent__employee_noun[] = {"职工医保",   "职工保险", "职工医疗", "职工社保",
                                             "城镇职工",   "职工基本", "单位医保", "职工的医保",
                                             "职工的保险", NULL};
const char *const intent__unit_noun[] = {"单位有医保", "公司有医保", "单位有保险", "公司有保险",
                                         "单位有社保", "公司有社保", "单位买",     "单位给买",
                                         "公司买",     "公司给买",   "厂里买",     "厂里给买",
                                         "厂里给我买", "单位给我买", "公司给我买", "老板给我买",
                                         "厂里有社保", "厂里有医保", NULL};
const char *const intent__school_noun[] = {"学生医保", "大学生医保", "学生保险", "在学校参保",
                                           "在学校买了", "学校给买", "学校买了",  NULL};
const char *const intent__place_noun[] = {"异地参保", "外地参保", "异地医保",
                                          "外地医保", "外省参保", NULL};
/* A scheme denied before its name, or ended after it. */
const char *const intent__noun_deny[] = {"没", "无", "不是", "冇", NULL};
const char *const intent__noun_ended[] = {"断",     "停",   "中断", "到期", "没了",
                                          "没有了", "取消", "退了", "没交", NULL};

/* Waiver words, and what before them makes them something else (交不交, 不得不交). */
const char *const intent__waive[] = {
    "放弃",       "不参加",   "不参保",   "不想参加", "不想参保", "不交",   "不缴",     "不想交",
    "不想缴",     "不想买",   "不买",     "不续",     "不办",     "唔交",   "唔缴",     "拒交",
    "拒缴",       "拒绝参保", "拒绝缴",   "拒绝交",   "不再交",   "不再缴", "不愿意交", "不愿交",
    "不愿意参加", "不愿意缴", "不打算交", "不准备交", "不要了",   "莫交",   "冇想交",   NULL};
const char *const intent__waive_not_after[] = {"不得", "不能", "不可", "交", "缴", NULL};
/* A waiver word asked about: "不交会怎样", "可以不交吗", "不交的话有影响吗". */
const char *const intent__waive_ask_after[] = {
    "会",     "的话",     "有什么", "有啥", "有没有", "有影响", "行不行", "行吗", "行不", "可以吗",
    "可以不", "可不可以", "能行",   "咋",   "怎么",   "怎样",   "罚",     "影响", "后果", "要紧",
    "吗",     "么",       "?",      "不行", "算不算", "有事",   "犯法",   "违法", NULL};
const char *const intent__waive_ask_before[] = {"可以",   "能",   "能不能", "可不可以", "是否",
                                                "如果",   "要是", "假如",   "万一",     "必须",
                                                "为什么", "为啥", NULL};

/* Reasons of the waiver form in words. */
const char *const intent__reason_commercial[] = {
    "商业保险", "商业险",     "商保",     "商业医疗", "保险公司", "人寿",
    "平安保险", "太平洋保险", "泰康",     "百万医疗", "惠民保",   "买了保险",
    "别的保险", "其他保险",   "其它保险", "重疾险",   NULL};
const char *const intent__reason_healthy[] = {
    "身体好",     "身体健康", "身体很好", "身体棒",   "身体还好", "身体挺好",
    "身体还可以", "没病",     "不生病",   "很少生病", "少生病",   "从不生病",
    "不怎么生病", "用不上",   "用不着",   "用不到",   "收入稳定", "年轻",
    "不看病",     "很少看病", "没生过病", "健康",     NULL};
/* Reason 4 with the words after the marker... */
const char *const intent__reason_mark[] = {"其他原因", "其它原因", "其他",   "其它",   "别的原因",
                                           "因为",     "由于",     "原因是", "理由是", NULL};
/* ...or with the whole reply. */
const char *const intent__reason_other[] = {
    "太贵",     "贵了",     "贵",     "涨价", "涨了",   "没钱",   "交不起",   "缴不起",
    "困难",     "不划算",   "划不来", "不值", "报销少", "报不了", "报销不了", "没用",
    "没什么用", "用处不大", "不合算", "外出", "打工",   "出国",   "国外",     "学校",
    "外地",     "当兵",     "参军",   "服刑", NULL};
/* Counted things: a digit before these is no reason number (3个人, 4口人). */
const char *const intent__units[] = {"个", "口", "人", "年", "月", "日", "天", "元", "块", "岁",
                                     "次", "位", "份", "十", "百", "千", "万", "点", "分", NULL};
const char *const intent__reason_num_before[] = {"原因", "理由", "选择", "选", "第", NULL};

/* Fillers around a bare survey choice or waiver reason number. */
const char *const intent__choice_fillers[] = {
    "我选择", "我选", "选择", "选项", "选", "第",   "个",   "项", "号",
    "条",     "吧",   "啊",   "呀",   "哦", "的",   "了",   "就", "是",
    "答案",   "答",   "回复", "回",   "嗯", "原因", "理由", "我", NULL};
/* 一..十 are choices 1..10 (两 is 2). */
const char *const intent__numerals[] = {"一", "二", "三", "四", "五", "六",
                                        "七", "八", "九", "十", "两", NULL};

/* Any of these makes a reply a question (topic words then count). */
const char *const intent__ask[] = {
    "?",        "吗",     "请问",   "想问",   "问一下", "问下",   "咨询", "是否", "能否", "能不能",
    "可不可以", "可以吗", "行不行", "要不要", "是不是", "有没有", "怎么", "怎样", "如何", "咋",
    "哪",       "什么",   "啥",     "几",     "多少",   "呢",     "么",   NULL};

const intent_topic_t intent__topics[] = {
    /* amount: the person's own amount */
    {"多少钱", INTENT_Q_AMOUNT, 0},
    {"几多钱", INTENT_Q_AMOUNT, 0},
    {"好多钱", INTENT_Q_AMOUNT, 0},
    {"几钱", INTENT_Q_AMOUNT, 0},
    {"几块", INTENT_Q_AMOUNT, 0},
    {"多钱", INTENT_Q_AMOUNT, 0},
    {"啥价", INTENT_Q_AMOUNT, 0},
    {"什么价", INTENT_Q_AMOUNT, 0},
    {"交多少", INTENT_Q_AMOUNT, 0},
    {"缴多少", INTENT_Q_AMOUNT, 0},
    {"要多少", INTENT_Q_AMOUNT, 0},
    {"交不交", INTENT_Q_AMOUNT, 0},
    {"缴不缴", INTENT_Q_AMOUNT, 0},
    {"要不要交", INTENT_Q_AMOUNT, 0},
    {"需不需要交", INTENT_Q_AMOUNT, 0},
    {"用不用交", INTENT_Q_AMOUNT, 0},
    {"金额", INTENT_Q_AMOUNT, 1},
    {"费用", INTENT_Q_AMOUNT, 1},
    {"钱数", INTENT_Q_AMOUNT, 1},
    {"价格", INTENT_Q_AMOUNT, 1},
    {"价钱", INTENT_Q_AMOUNT, 1},
    {"收费", INTENT_Q_AMOUNT, 1},
    {"标准", INTENT_Q_AMOUNT, 1},
    {"要交", INTENT_Q_AMOUNT, 2},
    {"要缴", INTENT_Q_AMOUNT, 2},
    {"还交", INTENT_Q_AMOUNT, 2},
    {"用交", INTENT_Q_AMOUNT, 2},
    {"得交", INTENT_Q_AMOUNT, 2},
    {"贵", INTENT_Q_AMOUNT, 1},
    {"涨", INTENT_Q_AMOUNT, 1},
    /* channels: how and where */
    {"怎么交", INTENT_Q_CHANNELS, 0},
    {"怎么缴", INTENT_Q_CHANNELS, 0},
    {"咋交", INTENT_Q_CHANNELS, 0},
    {"咋缴", INTENT_Q_CHANNELS, 0},
    {"咋个交", INTENT_Q_CHANNELS, 0},
    {"如何交", INTENT_Q_CHANNELS, 0},
    {"如何缴", INTENT_Q_CHANNELS, 0},
    {"怎样交", INTENT_Q_CHANNELS, 0},
    {"怎样缴", INTENT_Q_CHANNELS, 0},
    {"在哪交", INTENT_Q_CHANNELS, 0},
    {"在哪缴", INTENT_Q_CHANNELS, 0},
    {"在哪里交", INTENT_Q_CHANNELS, 0},
    {"在哪里缴", INTENT_Q_CHANNELS, 0},
    {"哪里交", INTENT_Q_CHANNELS, 0},
    {"哪里缴", INTENT_Q_CHANNELS, 0},
    {"哪儿交", INTENT_Q_CHANNELS, 0},
    {"去哪交", INTENT_Q_CHANNELS, 0},
    {"去哪里交", INTENT_Q_CHANNELS, 0},
    {"找谁交", INTENT_Q_CHANNELS, 0},
    {"怎么弄", INTENT_Q_CHANNELS, 0},
    {"怎么操作", INTENT_Q_CHANNELS, 0},
    {"咋弄", INTENT_Q_CHANNELS, 0},
    {"不会交", INTENT_Q_CHANNELS, 0},
    {"不会缴", INTENT_Q_CHANNELS, 0},
    {"不会弄", INTENT_Q_CHANNELS, 0},
    {"渠道", INTENT_Q_CHANNELS, 1},
    {"方式", INTENT_Q_CHANNELS, 1},
    {"途径", INTENT_Q_CHANNELS, 1},
    {"二维码", INTENT_Q_CHANNELS, 0},
    {"链接", INTENT_Q_CHANNELS, 0},
    {"微信", INTENT_Q_CHANNELS, 1},
    {"支付宝", INTENT_Q_CHANNELS, 1},
    {"手机", INTENT_Q_CHANNELS, 1},
    {"网上", INTENT_Q_CHANNELS, 1},
    {"app", INTENT_Q_CHANNELS, 1},
    {"小程序", INTENT_Q_CHANNELS, 1},
    {"银行", INTENT_Q_CHANNELS, 1},
    {"税务", INTENT_Q_CHANNELS, 1},
    /* deadline, and what missing it costs */
    {"什么时候", INTENT_Q_DEADLINE, 0},
    {"啥时候", INTENT_Q_DEADLINE, 0},
    {"几时", INTENT_Q_DEADLINE, 0},
    {"哪天", INTENT_Q_DEADLINE, 0},
    {"几号", INTENT_Q_DEADLINE, 0},
    {"还有几天", INTENT_Q_DEADLINE, 0},
    {"多少天", INTENT_Q_DEADLINE, 0},
    {"截止", INTENT_Q_DEADLINE, 1},
    {"最后一天", INTENT_Q_DEADLINE, 1},
    {"期限", INTENT_Q_DEADLINE, 1},
    {"最晚", INTENT_Q_DEADLINE, 1},
    {"时间", INTENT_Q_DEADLINE, 1},
    {"日期", INTENT_Q_DEADLINE, 1},
    {"逾期", INTENT_Q_DEADLINE, 1},
    {"过期", INTENT_Q_DEADLINE, 1},
    {"晚交", INTENT_Q_DEADLINE, 1},
    {"补交", INTENT_Q_DEADLINE, 1},
    {"来得及", INTENT_Q_DEADLINE, 1},
    {"还能交", INTENT_Q_DEADLINE, 1},
    {"月底", INTENT_Q_DEADLINE, 1},
    {"年底", INTENT_Q_DEADLINE, 1},
    {"必须交", INTENT_Q_DEADLINE, 1},
    {"一定要交", INTENT_Q_DEADLINE, 1},
    {"强制", INTENT_Q_DEADLINE, 1},
    {"后果", INTENT_Q_DEADLINE, 1},
    /* subsidy */
    {"补贴", INTENT_Q_SUBSIDY, 1},
    {"资助", INTENT_Q_SUBSIDY, 1},
    {"减免", INTENT_Q_SUBSIDY, 1},
    {"优惠", INTENT_Q_SUBSIDY, 1},
    {"补助", INTENT_Q_SUBSIDY, 1},
    {"减半", INTENT_Q_SUBSIDY, 1},
    {"免费", INTENT_Q_SUBSIDY, 1},
    {"免交", INTENT_Q_SUBSIDY, 1},
    {"低保", INTENT_Q_SUBSIDY, 1},
    {"残疾", INTENT_Q_SUBSIDY, 1},
    {"五保", INTENT_Q_SUBSIDY, 1},
    {"特困", INTENT_Q_SUBSIDY, 1},
    {"困难户", INTENT_Q_SUBSIDY, 1},
    {"贫困", INTENT_Q_SUBSIDY, 1},
    {"脱贫", INTENT_Q_SUBSIDY, 1},
    {"监测", INTENT_Q_SUBSIDY, 1},
    {"政府出", INTENT_Q_SUBSIDY, 1},
    {"政府交", INTENT_Q_SUBSIDY, 1},
    {"政府补", INTENT_Q_SUBSIDY, 1},
    {"少交", INTENT_Q_SUBSIDY, 1},
    {"便宜", INTENT_Q_SUBSIDY, 1},
    {"返还", INTENT_Q_SUBSIDY, 1},
    {"退还", INTENT_Q_SUBSIDY, 1},
    /* status: is my payment recorded */
    {"交没交", INTENT_Q_STATUS, 0},
    {"缴没缴", INTENT_Q_STATUS, 0},
    {"交上没", INTENT_Q_STATUS, 0},
    {"到账", INTENT_Q_STATUS, 1},
    {"查一下", INTENT_Q_STATUS, 1},
    {"查询", INTENT_Q_STATUS, 1},
    {"记录", INTENT_Q_STATUS, 1},
    {"查到", INTENT_Q_STATUS, 1},
    {"查不到", INTENT_Q_STATUS, 1},
    /* newborn: a child just born (not 出生日期) */
    {"新生儿", INTENT_Q_NEWBORN, 0},
    {"新生宝宝", INTENT_Q_NEWBORN, 0},
    {"刚出生", INTENT_Q_NEWBORN, 0},
    {"出生了", INTENT_Q_NEWBORN, 0},
    {"孩子出生", INTENT_Q_NEWBORN, 0},
    {"宝宝出生", INTENT_Q_NEWBORN, 0},
    {"小孩出生", INTENT_Q_NEWBORN, 0},
    {"刚生了", INTENT_Q_NEWBORN, 0},
    {"刚生的", INTENT_Q_NEWBORN, 0},
    {"生了孩子", INTENT_Q_NEWBORN, 1},
    {"生了小孩", INTENT_Q_NEWBORN, 1},
    {"生了宝宝", INTENT_Q_NEWBORN, 1},
    {"生小孩", INTENT_Q_NEWBORN, 2},
    {"生孩子", INTENT_Q_NEWBORN, 2},
    {NULL, 0, 0}};

/* Receipt numbers follow these. */
const char *const intent__receipt_words[] = {
    "票号",   "税票号", "电子税票", "税票",   "凭证号", "凭证",     "单号",
    "订单号", "交易号", "交易单号", "流水号", "收据号", "收据",     "发票号",
    "发票",   "票据号", "票据",     "回执号", "回执",   "缴费单号", NULL};
/* Between the receipt word and the number (besides clause marks). */
const char *const intent__receipt_gap[] = {"是", "为", "号", "码", "no", NULL};

/* A death outright, and the verbs that say it only right after a person (人走了). */
const char *const intent__death[] = {"去世", "过世", "逝世", "离世", "病故", "身故", "已故",
                                     "亡故", "死亡", "过身", "仙逝", "辞世", NULL};
const char *const intent__death_weak[] = {"走了", "不在了", "死了", "没了", NULL};
const char *const intent__death_between[] = {"已经", "早就", "早", "都", "也", "就", "刚",
                                             "去年", "前年", "今年", "上个月", "前几天",
                                             "年初", "上半年", NULL};
const char *const intent__death_end[] = {"了", "啊", "呀", "哦", "的", "嘛", NULL};
const char *const intent__person[] = {
    "人",   "老人", "老人家", "老头", "老太", "老爷子", "爷爷", "奶奶", "外公", "外婆", "姥姥",
    "姥爷", "父亲", "母亲", "爸爸", "妈妈",   "爸",   "妈",   "老伴", "本人", "婆婆",
    "公公", "岳父", "岳母", NULL}; /* not 儿子, 老公: 儿子走了 is off to work */
