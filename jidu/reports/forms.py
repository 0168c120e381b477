import datetime as dt

from django import forms
from django.utils import timezone

from jidu.org.models import Area, Department, Field, ProblemType
from jidu.reports.models import Kind


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label="报告类型", choices=Kind.choices)
    start = forms.DateField(label="日期 / 起始日期", widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="日报为当日；月报取该日所在月份；研判报告为起始日期")
    end = forms.DateField(label="截止日期（研判报告）", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    theme = forms.CharField(label="主题", required=False, max_length=60)
    field = forms.ModelChoiceField(label="执法领域", queryset=Field.objects.all(), required=False, to_field_name="code")
    problem = forms.ModelChoiceField(label="问题类型", queryset=ProblemType.objects.all(), required=False,
                                     to_field_name="code")
    business = forms.CharField(label="经营主体", required=False, max_length=100)
    area = forms.ModelChoiceField(label="区域", queryset=Area.objects.exclude(kind__in=["town", "street"]),
                                  required=False, to_field_name="code")
    department = forms.ModelChoiceField(label="承办单位", queryset=Department.objects.all(), required=False,
                                        to_field_name="code")
    tourism = forms.BooleanField(label="只看涉旅", required=False)

    def clean(self):
        data = super().clean()
        kind, start, end = data.get("kind"), data.get("start"), data.get("end")
        if start and start > timezone.localdate():
            raise forms.ValidationError("不能为将来的日期生成报告")
        if kind == Kind.TOPIC:
            if end and start and end < start:
                raise forms.ValidationError("截止日期不能早于起始日期")
            if end and start and (end - start) > dt.timedelta(days=366):
                raise forms.ValidationError("研判报告的时间范围不能超过一年")
        elif any(data.get(k) for k in ("theme", "field", "problem", "business", "area", "department", "tourism")):
            raise forms.ValidationError("主题、领域等范围条件只用于研判报告")
        return data

    def params(self) -> dict:
        data = self.cleaned_data
        out = {}
        for key in ("field", "problem", "area", "department"):
            if data.get(key):
                out[key] = data[key].code
        for key in ("theme", "business"):
            if data.get(key):
                out[key] = data[key].strip()
        if data.get("tourism"):
            out["tourism"] = True
        if data["kind"] == Kind.TOPIC and data.get("end"):
            out["period_end"] = data["end"]
        return out
