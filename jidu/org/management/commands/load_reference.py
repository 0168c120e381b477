from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jidu.core.datafiles import read_json
from jidu.org.models import Area, Department, Field, ProblemType
from jidu.org.roles import ensure_role_groups

DATA = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = ("载入城市参考数据（区划、部门、执法领域、问题类型）、表头同义词、默认工单来源、工作日历与角色。"
            "可重复运行：按代码更新，不重复创建。")

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA / "zhoushan.json"), help="城市参考数据 JSON 文件")
        parser.add_argument("--synonyms", default=str(DATA / "header_synonyms.json"))

    def handle(self, *args, file, synonyms, **options):
        data = read_json(file, "参考数据文件")
        with transaction.atomic():
            counts = load_city(data)
            n_syn = load_synonyms(Path(synonyms))
            from jidu.orders.models import Source

            Source.objects.get_or_create(code="12345", defaults={"name": "12345政务服务便民热线"})
        ensure_role_groups()
        call_command("seed_calendar", stdout=self.stdout)
        call_command("load_screening_defaults", stdout=self.stdout)
        call_command("load_grading_defaults", stdout=self.stdout)
        call_command("load_catalogue", stdout=self.stdout)
        call_command("load_document_defaults", stdout=self.stdout)
        call_command("load_supervision_defaults", stdout=self.stdout)
        call_command("load_job_defaults", stdout=self.stdout)
        call_command("load_directive_defaults", stdout=self.stdout)
        call_command("load_notification_defaults", stdout=self.stdout)
        call_command("load_measure_defaults", stdout=self.stdout)
        call_command("load_report_defaults", stdout=self.stdout)
        call_command("load_coordination_defaults", stdout=self.stdout)
        call_command("load_warning_defaults", stdout=self.stdout)
        self.stdout.write(
            f"参考数据：区域{counts['areas']}个，部门{counts['departments']}个，执法领域{counts['fields']}个，"
            f"问题类型{counts['problems']}个，表头同义词{n_syn}条。"
        )


def load_city(data: dict) -> dict[str, int]:
    areas = list(data.get("areas", []))
    city = data.get("city")
    if city and not any(a["code"] == city["code"] for a in areas):
        areas.insert(0, {"code": city["code"], "name": city["name"], "kind": "city", "parent": None,
                         "aliases": [city.get("short", "")] if city.get("short") else []})
    by_code: dict[str, Area] = {}
    pending = areas
    while pending:  # parents first, whatever the file's order
        progressed, rest = False, []
        for item in pending:
            parent_code = item.get("parent")
            if parent_code and parent_code not in by_code and not Area.objects.filter(code=parent_code).exists():
                rest.append(item)
                continue
            parent = by_code.get(parent_code) or (Area.objects.get(code=parent_code) if parent_code else None)
            by_code[item["code"]], _ = Area.objects.update_or_create(
                code=item["code"], defaults={"name": item["name"], "kind": item["kind"], "parent": parent,
                                             "aliases": item.get("aliases", [])})
            progressed = True
        if not progressed:
            raise CommandError("区域的上级代码不存在：" + "、".join(f"{i['code']}→{i.get('parent')}" for i in rest))
        pending = rest

    fields = {}
    for n, item in enumerate(data.get("fields", [])):
        fields[item["code"]] = _upsert_named(Field, item["code"], item["name"], sort=n)
    field_lookup = {**fields, **{f.name: f for f in fields.values()}}

    depts: dict[str, Department] = {}
    pending = list(data.get("departments", []))
    while pending:
        progressed, rest = False, []
        for item in pending:
            parent_code = item.get("parent")
            if parent_code and parent_code not in depts:
                rest.append(item)
                continue
            area = Area.objects.filter(code=item["area"]).first() if item.get("area") else None
            dept, _ = Department.objects.update_or_create(
                code=item["code"],
                defaults={"name": item["name"], "short_name": item.get("short_name", ""), "level": item["level"],
                          "parent": depts.get(parent_code), "area": area,
                          "is_enforcement": bool(item.get("is_enforcement")), "aliases": item.get("aliases", [])})
            dept.fields.set([field_lookup[f] for f in item.get("fields", []) if f in field_lookup])
            depts[item["code"]] = dept
            progressed = True
        if not progressed:
            raise CommandError("部门的上级代码不存在：" + "、".join(f"{i['code']}→{i.get('parent')}" for i in rest))
        pending = rest
    for item in data.get("fields", []):  # a field's default departments also cover that field
        for code in item.get("departments", []):
            if code in depts:
                depts[code].fields.add(fields[item["code"]])

    problems = 0
    for n, item in enumerate(data.get("problem_types", [])):
        pt = _upsert_named(ProblemType, item["code"], item["name"], sort=n)
        pt.fields.set([field_lookup[f] for f in item.get("fields", []) if f in field_lookup])
        problems += 1
    return {"areas": len(by_code), "departments": len(depts), "fields": len(fields), "problems": problems}


def _upsert_named(model, code: str, name: str, **values):
    """Fields and problem types are unique by code and by name: match either, so a second city's
    file that names a known field with another code reuses it instead of colliding."""
    obj = model.objects.filter(code=code).first() or model.objects.filter(name=name).first() or model(code=code)
    obj.name = name
    for key, value in values.items():
        setattr(obj, key, value)
    obj.save()
    return obj


def load_synonyms(path: Path) -> int:
    from jidu.intake.models import HeaderSynonym

    if not path.exists():
        return 0
    data = read_json(path, "表头同义词文件")
    count = 0
    for field, headers in data.items():
        for header in headers:
            HeaderSynonym.objects.update_or_create(header=header, defaults={"field": field})
            count += 1
    return count
