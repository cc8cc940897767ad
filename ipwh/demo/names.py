"""Names, addresses, titles, classes and brands the demo records are made of."""

from __future__ import annotations

import numpy as np

from ipwh.identifiers import USCC_ALPHABET, uscc_check_char

UNIT_ADDRESS = {
    "421002": ("荆州市沙市区", 0.22, "434000"),
    "421003": ("荆州市荆州区", 0.12, "434020"),
    "421022": ("荆州市公安县", 0.08, "434300"),
    "421024": ("荆州市江陵县", 0.04, "434100"),
    "421081": ("荆州市石首市", 0.07, "434400"),
    "421083": ("荆州市洪湖市", 0.09, "433200"),
    "421087": ("荆州市松滋市", 0.08, "434200"),
    "421088": ("荆州市监利市", 0.10, "433300"),
    "421071": ("荆州市荆州经济技术开发区", 0.12, "434000"),
    "421090": ("荆州市纪南文旅区", 0.02, "434000"),
    "421091": ("荆州高新区", 0.04, "434000"),
    "421099": ("荆州市", 0.02, "434000"),
}
OUTSIDE_PLACES = [
    "湖北省武汉市洪山区", "湖北省宜昌市西陵区", "湖北省襄阳市樊城区", "湖南省长沙市岳麓区",
    "河南省郑州市金水区", "广东省深圳市南山区", "浙江省杭州市西湖区", "江苏省南京市鼓楼区",
]  # fmt: skip
STREETS = [
    "北京路", "江津路", "荆州大道", "学苑路", "东方大道", "塔桥路", "园林路", "人民路", "复兴大道",
    "红星路", "楚都大道", "玉桥路",
]  # fmt: skip
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰文斌建国志红")
BRANDS = [
    "楚天", "荆楚", "江汉", "长江", "古城", "洪湖", "荆江", "华中", "恒立", "新锐", "创源", "博远",
    "金象", "天鹅", "凯龙", "鑫源", "中硕", "佳信", "润泽", "东方",
]  # fmt: skip
TRADES = [
    "机械", "化工", "生物科技", "食品", "纺织", "电子科技", "汽车零部件", "新材料", "医药",
    "农业科技", "环保科技", "智能装备",
]  # fmt: skip
TITLES = [
    "一种{x}的制备方法", "一种{x}装置", "{x}及其控制系统", "一种用于{x}的检测方法", "一种{x}结构",
    "{x}的加工工艺",
]  # fmt: skip
THINGS = [
    "汽车转向器", "石油钻具", "淡水鱼加工", "复合肥料", "纺织纤维", "锂电池隔膜", "柔性电路板",
    "中药提取物", "智能传感器", "稻米烘干", "莲藕保鲜", "高分子材料",
]  # fmt: skip
# IPC pools: SEI-listed subclasses (matched through ../shared/reference/sei) and ordinary ones.
IPC_SEI = [  # each in the SEI concordance, exactly or through its subclass/main group
    "G06F16/28", "H01M10/0525", "C12N15/11", "B62D5/04", "G01N33/02",
    "C08L67/02", "H05K1/02", "B60L53/80", "G06N3/08", "H02J7/00",
]  # fmt: skip
IPC_PLAIN = [  # none of these is in the concordance, even after expansion
    "H04L67/12", "A61K36/185", "E21B17/00", "D06M15/00", "B65D81/18",
    "F16H57/02", "A47J36/00", "A23B7/00", "A47B96/00", "F16K31/00",
]  # fmt: skip
WELL_KNOWN_2020 = 25  # 驰名商标, plan chapter 1
HIGH_VALUE_2021 = 439  # 0.84 per 10k × 523.08万 (plan Table 3 baseline)
LOCARNO = ["11-01", "06-01", "09-03", "12-16", "07-02"]
NICE_NAMES = {
    29: "29-肉鱼蛋奶",
    30: "30-方便食品",
    31: "31-饲料种籽",
    33: "33-酒",
    35: "35-广告销售",
    7: "7-机械设备",
    12: "12-运输工具",
    9: "9-科学仪器",
    5: "5-医药",
    1: "1-化学原料",
    25: "25-服装鞋帽",
    43: "43-餐饮住宿",
}
GI_NAMES = [
    "荆州鱼糕", "洪湖莲藕", "监利黄鳝", "洈水刁子鱼", "松滋鸡", "笔架鱼肚", "海子湖青鱼",
    "公安葡萄", "公安牛肉", "三湖黄桃", "洪湖清水螃蟹", "监利大米", "石首鮰鱼", "江陵三湖黄桃",
    "松滋白云边", "洪湖野鸭", "荆州大米", "沙市早酥梨", "石首笔架山茶", "松滋橘柑", "监利龙虾",
    "洪湖鳜鱼", "江陵油菜", "公安荸荠", "荆州八宝饭",
]  # fmt: skip


class Names:
    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def company(self, place: str = "荆州") -> str:
        r = self.rng
        brand = BRANDS[r.integers(len(BRANDS))] + GIVEN[r.integers(len(GIVEN))]
        trade = TRADES[r.integers(len(TRADES))]
        if r.random() < 0.05:
            return f"{brand}（{place}）{trade}有限公司"
        return f"{place}{brand}{trade}有限公司"

    def person(self) -> str:
        r = self.rng
        return SURNAMES[r.integers(len(SURNAMES))] + "".join(
            GIVEN[r.integers(len(GIVEN))] for _ in range(1 + (r.random() < 0.7))
        )

    def holder(self, place: str = "荆州") -> str:
        return self.person() if self.rng.random() < 0.15 else self.company(place)

    def address(self, unit: str | None, outside: str | None = None) -> str:
        r = self.rng
        street = f"{STREETS[r.integers(len(STREETS))]}{r.integers(1, 400)}号"
        if outside:
            return f"{outside}{street}"
        prefix, _, postcode = UNIT_ADDRESS[unit]
        if unit == "421088" and r.random() < 0.3:
            prefix = "荆州市监利县"  # old unit name still in use
        addr = f"湖北省{prefix}{street}"
        if r.random() < 0.2:
            addr = postcode + addr  # glued postcode
        return addr

    def uscc(self, unit: str | None) -> str:
        region = unit if unit and unit.startswith("4210") and unit[4:6] != "99" else "420100"
        body = "91" + region + "".join(USCC_ALPHABET[self.rng.integers(31)] for _ in range(9))
        return body + uscc_check_char(body)


def _pick_units(rng: np.random.Generator, n: int) -> np.ndarray:
    codes = list(UNIT_ADDRESS)
    w = np.array([UNIT_ADDRESS[c][1] for c in codes])
    return np.array(codes)[rng.choice(len(codes), size=n, p=w / w.sum())]
