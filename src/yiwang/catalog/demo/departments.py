"""Official-looking department names for a region and kind (广州市公安局, 天河区税务局)."""

from __future__ import annotations

from yiwang.regions.models import Region

SUFFIXES = {
    "public_security": ("公安局", "Public Security Bureau"),
    "civil_affairs": ("民政局", "Civil Affairs Bureau"),
    "human_resources": ("人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    "medical_insurance": ("医疗保障局", "Healthcare Security Administration"),
    "market_regulation": ("市场监督管理局", "Administration for Market Regulation"),
    "health": ("卫生健康局", "Health Bureau"),
    "transport": ("交通运输局", "Transport Bureau"),
    "housing": ("住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    "taxation": ("税务局", "Tax Service"),
    "data": ("政务服务数据管理局", "Government Services and Data Administration"),
    "government": ("人民政府", "People's Government"),
}


def department_name(region: Region, kind: str) -> tuple[str, str]:
    zh, en = SUFFIXES[kind]
    if kind == "taxation":
        return f"国家税务总局{region.name}税务局", f"{region.name_en or region.name} {en}"
    return f"{region.name}{zh}", f"{region.name_en or region.name} {en}"
