"""Where a term's modifier ends on the left: governing verbs, adverbs, function words.

Official prose puts a term after the verb that governs it (深入实施 | 旅游振兴十大行动,
全面推行 | 林长制). Walking left from a head noun, the modifier stops at the
nearest such word, at punctuation, or at a length limit. The list is written
from Chinese grammar, not mined from any corpus.
"""

from __future__ import annotations

import re

__all__ = ["BOUNDARY_WORDS", "TIME_AND_DISCOURSE_WORDS", "left_modifier"]

# Words that end a modifier on its left. Verbs that govern terms, degree and
# manner adverbs, function words, and quantifiers over whole regions.
_WORDS = (
    # verbs that govern a named policy
    "实施 推进 推动 开展 加快 深化 落实 启动 完成 打造 构建 建立 健全 完善 创建 组织 "
    "推行 探索 发挥 实行 形成 出台 制定 获批 入选 申报 争创 获评 建成 启用 运行 依托 "
    "通过 围绕 按照 作为 成为 列入 纳入 实现 参与 加入 落地 推广 试行 开通 投用 做好 "
    "抓好 办好 用好 建好 管好 搞好 巩固 拓展 优化 加强 强化 坚持 抓实 抓细 融入 "
    "对接 建设 支持 鼓励 引导 培育 打好 打赢 决胜 开启 迎接 召开 举办 承办 "
    "成功 获得 荣获 被评为 评为 确定 认定 设立 设置 成立 组建 挂牌 揭牌 命名 批准 "
    "印发 发布 编制 执行 贯彻 践行 弘扬 树立 增强 提高 扩大 新增 累计 "
    "夯实 压实 抓实 落细 做实 做细 筑牢 织密 密织 壮大 聚力 聚焦 突出 打通 畅通 守住 守牢 "
    "坚守 助力 赋能 推出 "
    "建立健全 全面推行 全面实施 深入实施 深入推进 大力推进 加快推进 扎实推进 持续推进 "
    # adverbs and fillers
    "深入 全面 大力 积极 扎实 着力 持续 不断 进一步 切实 认真 努力 加快 稳步 有序 "
    "率先 全力 重点 继续 首次 首批 一批 先后 分别 共同 统筹 "
    # function words
    "的 和 与 及 以及 等 了 在 是 把 将 对 为 以 于 从 由 向 到 并 或 及其 其 之 "
    "着 "
    # regions and levels as quantifiers (全省 | 河长制), not part of the term
    "全省 全市 全县 全区 全镇 全国 全域 我省 我市 我县 我区 我镇 各级 各类 各地 本市 本省"
)
#: Words that end a modifier on its left.
BOUNDARY_WORDS = tuple(_WORDS.split())

#: Time and discourse words: they place or link a statement (今年以来, 下一步,
#: 与此同时) and are never part of an official term. A closed class, written from
#: grammar; term discovery never lets a candidate run through one.
_TIME_AND_DISCOURSE = (
    "今年 去年 明年 前年 当年 全年 近年 近年来 多年 多年来 历年 以来 今年以来 去年以来 "
    "长期以来 一直以来 此前 此后 之前 之后 目前 当前 现在 如今 当下 今后 未来 下一步 "
    "一步 近期 近日 日前 连日来 截至 截至目前 年初 年底 年末 年内 上半年 下半年 期间 "
    "同时 与此同时 此外 另外 其中 为此 对此 因此 总之 首先 其次 最后 一是 二是 三是 "
    "四是 五是 一方面 另一方面"
)
TIME_AND_DISCOURSE_WORDS = tuple(_TIME_AND_DISCOURSE.split())

_BOUNDARY = re.compile("|".join(sorted(set(BOUNDARY_WORDS), key=len, reverse=True)))
_MODIFIER_CHAR = re.compile(r"[\u3400-\u9fffA-Za-z0-9Ａ-Ｚａ-ｚ０-９+＋.．·]")


def left_modifier(
    text: str, end: int, *, cuts: frozenset[int] | None = None, max_chars: int = 10
) -> int:
    """Start offset of the modifier that ends at ``end``.

    Walks left over characters that can be part of a term (Chinese, Latin,
    digits, ``+``), at most ``max_chars``, then moves the start right past the
    last boundary word inside that window.

    ``cuts`` are the token boundaries of a segmentation of ``text``: with them,
    a boundary word counts only where it is a whole token, so 为 ends the
    modifier in 为 | 群众 but not in 为民服务中心.

    Returns
    -------
    int
        ``end`` itself when there is no modifier.
    """
    start = end
    while start > 0 and end - start < max_chars and _MODIFIER_CHAR.match(text, start - 1):
        start -= 1
    window = text[start:end]
    cut = 0
    for match in _BOUNDARY.finditer(window):
        if cuts is None or (start + match.start() in cuts and start + match.end() in cuts):
            cut = match.end()
    # A decimal point or plus sign cannot open a term.
    while cut < len(window) and window[cut] in "+＋.．·":
        cut += 1
    return start + cut
