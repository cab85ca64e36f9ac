"""The unit tree of a city bureau, shared by the demo (one city) and the benchmark (a province of
cities): 市局 → its offices (机关), the traffic brigades and the service halls under them, and its
分局 → 派出所 with a 户政窗口 each (and 出入境 points in some).

Codes follow the city's: a city 990100000000 has offices 9901000N0000, 分局 9901KK000000 and their
stations 9901KK5J0000, so every code says where the unit sits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from demo import templates as T


@dataclass(frozen=True)
class Unit:
    """One unit of the bureau as the units export lists it."""

    unit_id: str
    name: str
    short: str
    parent_id: str | None
    unit_type: str
    police_type: str | None
    headcount: int | None
    district: int = -1  # index into the city's districts for 分局, their stations and windows
    rural: bool = False


@dataclass
class CityTree:
    """Every unit of one city bureau, in the order the units export lists them, and its parts."""

    units: list[Unit] = field(default_factory=list)
    office: dict[str, Unit] = field(default_factory=dict)  # by short name without the prefix
    brigades: list[Unit] = field(default_factory=list)
    halls: dict[str, Unit] = field(default_factory=dict)  # by 警种
    districts: list[Unit] = field(default_factory=list)
    stations: list[Unit] = field(default_factory=list)
    windows: list[Unit] = field(default_factory=list)  # halls first, then the districts'


def city_tree(
    rng: random.Random,
    *,
    bureau: str = T.BUREAU,
    city_id: str = "990100000000",
    districts: list = T.DISTRICTS,
    exit_entry: tuple[str, ...] = tuple(T.EXIT_ENTRY_DISTRICTS),
    prefix: str = "",
) -> CityTree:
    """The units of `bureau` (code city_id) with `districts` as [short, rural, station names].

    Headcounts are drawn from rng, in a fixed order. `prefix` goes before the short names of
    offices, brigades and halls, which are the same in every city: a province's units export
    needs them unique. The 分局 named in `exit_entry` get an 出入境 point beside their 户政窗口.
    """
    tree = CityTree()
    head = city_id[:6]
    tree.units.append(Unit(city_id, bureau, f"{prefix}市局", None, "市局", None, None))
    for i, (short, full, ptype, heads) in enumerate(T.OFFICES, 1):
        unit = Unit(
            f"{head}{i:02d}0000",
            full.replace(T.BUREAU, bureau),
            f"{prefix}{short}",
            city_id,
            "机关",
            ptype,
            heads,
        )
        tree.office[short] = unit
        tree.units.append(unit)
    traffic = tree.office["交警支队"]
    tree.brigades = [
        Unit(
            f"{traffic.unit_id[:8]}{j:02d}00",
            f"{traffic.name}{short[2:]}",
            f"{prefix}{short}",
            traffic.unit_id,
            "支队大队",
            "交警",
            heads,
        )
        for j, (short, heads) in enumerate(T.TRAFFIC_BRIGADES, 1)
    ]
    tree.units += tree.brigades
    exit_office, household = tree.office["出入境管理支队"], tree.office["人口管理支队"]
    tree.halls = {
        "出入境": Unit(
            f"{exit_office.unit_id[:8]}9100",
            f"{exit_office.name}出入境接待大厅",
            f"{prefix}出入境接待大厅",
            exit_office.unit_id,
            "窗口",
            "出入境",
            14,
        ),
        "交警": Unit(
            f"{traffic.unit_id[:8]}9100",
            f"{traffic.name}车辆管理所业务大厅",
            f"{prefix}车管所业务大厅",
            traffic.unit_id,
            "窗口",
            "交警",
            16,
        ),
        "治安": Unit(
            f"{household.unit_id[:8]}9100",
            f"{household.name}户政服务大厅",
            f"{prefix}户政服务大厅",
            household.unit_id,
            "窗口",
            "治安",
            12,
        ),
    }
    tree.units += list(tree.halls.values())
    tree.windows = list(tree.halls.values())
    for k, (short, rural, names) in enumerate(districts):
        code = f"{city_id[:4]}{k + 1:02d}"
        heads = rng.randint(22, 30) if rural else rng.randint(34, 52)
        district = Unit(
            f"{code}000000", f"{bureau}{short}", short, city_id, "分局", "综合", heads, k, rural
        )
        tree.districts.append(district)
        tree.units.append(district)
        for j, name in enumerate(names):
            heads = rng.randint(10, 20) if rural else rng.randint(26, 56)
            station = Unit(
                f"{code}{51 + j:02d}0000",
                f"{district.name}{name}派出所",
                f"{name}派出所",
                district.unit_id,
                "派出所",
                "治安",
                heads,
                k,
                rural,
            )
            tree.stations.append(station)
            tree.units.append(station)
        window = Unit(
            f"{code}009100",
            f"{district.name}户政窗口",
            f"{short}户政窗口",
            district.unit_id,
            "窗口",
            "治安",
            rng.randint(5, 9),
            k,
            rural,
        )
        tree.windows.append(window)
        tree.units.append(window)
        if short in exit_entry:
            window = Unit(
                f"{code}009200",
                f"{district.name}出入境受理点",
                f"{short}出入境受理点",
                district.unit_id,
                "窗口",
                "出入境",
                rng.randint(4, 7),
                k,
                rural,
            )
            tree.windows.append(window)
            tree.units.append(window)
    window = Unit(
        f"{traffic.unit_id[:8]}9200",
        f"{traffic.name}车辆管理所经开分所",
        f"{prefix}车管所经开分所",
        traffic.unit_id,
        "窗口",
        "交警",
        9,
    )
    tree.windows.append(window)
    tree.units.append(window)
    return tree
