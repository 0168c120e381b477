import re

from django import forms

from jidu.coordination.models import Consultation, Guidance, Inspection
from jidu.jurisdiction.models import ListEntry, ListType
from jidu.org.models import Area, Department, ProblemType, User

SPLIT = re.compile(r"[\s,，、；;#]+")


def departments():
    return Department.objects.filter(active=True).order_by("level", "code")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class OrderNumbersField(forms.CharField):
    """Order numbers separated by commas/spaces → WorkOrder rows (resolved by the view's scope)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "工单编号，用逗号或空格分隔")
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 60}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return [p for p in SPLIT.split(value or "") if p]


def _local_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ConsultationForm(forms.ModelForm):
    departments = forms.ModelMultipleChoiceField(label="参会部门", queryset=departments(),
                                                 widget=forms.SelectMultiple(attrs={"size": 8}))
    order_numbers = OrderNumbersField(label="关联工单")
    dispute_ids = forms.CharField(label="关联派单争议", required=False, help_text="争议编号，如 12, 15")

    class Meta:
        model = Consultation
        fields = ["topic", "kind", "scheduled_at", "place", "description"]
        widgets = {"scheduled_at": _local_input(), "description": forms.Textarea(attrs={"rows": 3})}

    def clean_dispute_ids(self):
        parts = [p for p in SPLIT.split(self.cleaned_data.get("dispute_ids") or "") if p]
        bad = [p for p in parts if not p.isdigit()]
        if bad:
            raise forms.ValidationError("争议编号应为数字：" + "、".join(bad))
        return [int(p) for p in parts]


class MinutesForm(forms.Form):
    minutes = forms.CharField(label="会议纪要", widget=forms.Textarea(attrs={"rows": 5}))


class ConclusionsForm(forms.Form):
    conclusions = forms.CharField(label="会商结论", widget=forms.Textarea(attrs={"rows": 4}))


class MaterialsForm(forms.Form):
    files = MultipleFileField(label="材料")


class TaskForm(forms.Form):
    text = forms.CharField(label="任务内容", widget=forms.Textarea(attrs={"rows": 2}))
    owner_department = forms.ModelChoiceField(label="责任部门", queryset=departments())
    owner_user = forms.ModelChoiceField(label="责任人", required=False,
                                        queryset=User.objects.filter(is_active=True, department__isnull=False))
    working_days = forms.IntegerField(label="时限（工作日）", required=False, min_value=1, max_value=120,
                                      help_text="空=按默认办理时限")


class DoneForm(forms.Form):
    note = forms.CharField(label="完成情况", widget=forms.Textarea(attrs={"rows": 2}))


class EntryForm(forms.Form):
    """Create or amend a responsibility-list entry from the conclusion."""

    mode = forms.ChoiceField(label="操作", choices=[("amend", "修改现有条目"), ("create", "新增条目")])
    entry = forms.ModelChoiceField(label="要修改的条目", queryset=ListEntry.objects.all(), required=False)
    code = forms.CharField(label="新条目编号", max_length=40, required=False)
    list_type = forms.ChoiceField(label="清单类型", choices=[("", "（不变/厘清的职责边界）"), *ListType.choices],
                                  required=False)
    matter = forms.CharField(label="事项", max_length=200, required=False)
    lead_department = forms.ModelChoiceField(label="主办部门", queryset=departments(), required=False)
    co_departments = forms.ModelMultipleChoiceField(label="协办部门", queryset=departments(), required=False,
                                                    widget=forms.SelectMultiple(attrs={"size": 4}))
    keywords = forms.CharField(label="关键词（、分隔）", required=False)
    basis_law = forms.CharField(label="法规名称", max_length=200, required=False)
    basis_article = forms.CharField(label="条款", max_length=100, required=False)
    basis_text = forms.CharField(label="条文要点", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label="备注", required=False)

    def clean(self):
        data = super().clean()
        if data.get("mode") == "amend" and not data.get("entry"):
            self.add_error("entry", "请选择要修改的条目")
        if data.get("mode") == "create" and not data.get("code"):
            self.add_error("code", "请填写新条目的编号")
        return data

    def changes(self) -> dict:
        from jidu.jurisdiction.services.lists import split_list

        d = self.cleaned_data
        return {"list_type": d.get("list_type"), "matter": d.get("matter"), "lead_department": d.get("lead_department"),
                "co_departments": list(d.get("co_departments") or []), "keywords": split_list(d.get("keywords")),
                "basis_law": d.get("basis_law"), "basis_article": d.get("basis_article"),
                "basis_text": d.get("basis_text"), "note": d.get("note")}


class ConsultationFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False)
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Consultation.State.choices])
    kind = forms.ChoiceField(label="形式", required=False, choices=[("", "会商/会审"), *Consultation.Kind.choices])
    department = forms.ModelChoiceField(label="部门", required=False, queryset=departments(), empty_label="全部部门")


# ------------------------------------------------------------------------------------------ inspections
class InspectionForm(forms.ModelForm):
    area = forms.ModelChoiceField(label="巡查区域", queryset=Area.objects.order_by("code"))
    departments = forms.ModelMultipleChoiceField(label="参加部门", queryset=departments(),
                                                 widget=forms.SelectMultiple(attrs={"size": 8}))
    problem_types = forms.ModelMultipleChoiceField(label="巡查问题类型", queryset=ProblemType.objects.all(),
                                                   required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    order_numbers = OrderNumbersField(label="关联工单")

    class Meta:
        model = Inspection
        fields = ["title", "area", "start_date", "end_date", "themes"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "结束日期早于开始日期")
        return data


class InspectionFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False)
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Inspection.State.choices])
    area = forms.ModelChoiceField(label="区域", required=False, empty_label="全部区域",
                                  queryset=Area.objects.exclude(kind__in=["town", "street"]))
    department = forms.ModelChoiceField(label="部门", required=False, queryset=departments(), empty_label="全部部门")


class FindingForm(forms.Form):
    place = forms.CharField(label="地点/地址", max_length=300)
    business_name = forms.CharField(label="经营主体", max_length=200, required=False)
    uscc = forms.CharField(label="统一社会信用代码", max_length=30, required=False)
    problem_type = forms.ModelChoiceField(label="问题类型", queryset=ProblemType.objects.all(), required=False)
    description = forms.CharField(label="发现问题", widget=forms.Textarea(attrs={"rows": 2}))
    photos = MultipleFileField(label="照片（JPG/PNG）")


class CaseForm(forms.Form):
    number = forms.CharField(label="案件编号", max_length=80)
    department = forms.ModelChoiceField(label="立案部门", queryset=departments())
    note = forms.CharField(label="说明", max_length=300, required=False)


class RectificationForm(forms.Form):
    department = forms.ModelChoiceField(label="整改责任部门", queryset=departments())
    description = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}))


class BusinessForm(forms.Form):
    name = forms.CharField(label="经营主体", max_length=200)
    uscc = forms.CharField(label="统一社会信用代码", max_length=30, required=False)


# ------------------------------------------------------------------------------------------ guidance
class GuidanceForm(forms.Form):
    order_no = forms.CharField(label="关联工单编号", required=False, max_length=64)
    department = forms.ModelChoiceField(label="指导对象部门", queryset=departments(), required=False,
                                        help_text="空=工单的主办单位")
    text = forms.CharField(label="指导意见", widget=forms.Textarea(attrs={"rows": 4}))
    legal_basis = forms.CharField(label="法律依据", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    requested_action = forms.CharField(label="要求采取的措施", widget=forms.Textarea(attrs={"rows": 2}))
    working_days = forms.IntegerField(label="落实时限（工作日）", min_value=1, max_value=60)

    def clean(self):
        data = super().clean()
        if not data.get("order_no") and not data.get("department"):
            raise forms.ValidationError("请填写关联工单编号或选择指导对象部门")
        return data


class GuidanceFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Guidance.State.choices])
    department = forms.ModelChoiceField(label="部门", required=False, queryset=departments(), empty_label="全部部门")


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label="签收意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ActForm(forms.Form):
    action_taken = forms.CharField(label="落实情况", widget=forms.Textarea(attrs={"rows": 3}))
